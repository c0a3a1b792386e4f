//! The guide's checklist: items, loading, and the recommendation rule with its "why".

use crate::model::{Answers, StoredFinding, Verdict};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The default checklist, embedded in the binary.
pub const DEFAULT_TOML: &str = include_str!("../assets/checklist.toml");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Signal,
    RedFlag,
}

/// What a signal's answer does to the recommendation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// A yes is a green light on its own.
    #[default]
    Accept,
    /// A no is a reason to decline.
    Required,
    /// Recorded, never decides.
    None,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub key: String,
    pub label: String,
    pub help: String,
    pub kind: Kind,
    #[serde(default)]
    pub effect: Effect,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checklist {
    pub items: Vec<Item>,
}

#[derive(Debug, thiserror::Error)]
pub enum ChecklistError {
    #[error("{path}: cannot read the checklist: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}:{line}: {message}")]
    Parse { path: PathBuf, line: usize, message: String },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    item: Vec<Item>,
}

/// Where a request's answers put it in the queue's recommendation order: recommended accepts
/// first, then undecided, then recommended declines (the store keeps it as `review_rank`).
pub const RANK_ACCEPT: u8 = 0;
pub const RANK_UNDECIDED: u8 = 1;
pub const RANK_DECLINE: u8 = 2;

/// The recommendation and the one-line reason shown beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recommendation {
    /// `None` means undecided.
    pub verdict: Option<Verdict>,
    pub why: String,
    /// The checklist items the verdict rests on that only the evidence answered (see
    /// [`Checklist::recommend_with`]); empty when the user's own answers decide.
    pub suggested: Vec<String>,
}

impl Checklist {
    /// The embedded default.
    pub fn builtin() -> Checklist {
        Checklist::parse(DEFAULT_TOML, Path::new("<built-in checklist>"))
            .expect("the built-in checklist is valid (tested)")
    }

    /// The user's checklist at `path` when that file exists, else the built-in one.
    pub fn load(path: &Path) -> Result<Checklist, ChecklistError> {
        match crate::config::read_small_file(path) {
            Ok(Some(text)) => Checklist::parse(&text, path),
            Ok(None) => Ok(Checklist::builtin()),
            Err(source) => Err(ChecklistError::Read { path: path.into(), source }),
        }
    }

    pub fn parse(text: &str, path: &Path) -> Result<Checklist, ChecklistError> {
        let file: File = toml::from_str(text).map_err(|e| ChecklistError::Parse {
            path: path.into(),
            line: crate::config::line_of(text, e.span()),
            message: e.message().to_string(),
        })?;
        let invalid = |message: String| ChecklistError::Invalid { path: path.into(), message };
        if file.item.is_empty() {
            return Err(invalid("the checklist has no [[item]]".into()));
        }
        let mut seen = HashSet::new();
        for item in &file.item {
            if item.key.is_empty()
                || !item.key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                return Err(invalid(format!("item key {:?} must be lowercase letters, digits and _", item.key)));
            }
            if !seen.insert(item.key.as_str()) {
                return Err(invalid(format!("item key {:?} appears twice", item.key)));
            }
            if item.kind == Kind::RedFlag && item.effect != Effect::Accept {
                return Err(invalid(format!("red flag {:?} cannot have an effect", item.key)));
            }
        }
        Ok(Checklist { items: file.item })
    }

    pub fn item(&self, key: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.key == key)
    }

    fn green_lights(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|i| i.kind == Kind::Signal && i.effect == Effect::Accept)
    }

    /// The recommendation rule: a pure function of the answers.
    ///
    /// any red flag → decline; a required signal answered no → decline; any green light →
    /// accept; every green light answered no → decline; otherwise undecided.
    pub fn recommend(&self, answers: &Answers) -> Recommendation {
        let (verdict, why, _) = self.rule(answers, &|i| in_sentence(&i.label));
        Recommendation { verdict, why, suggested: Vec::new() }
    }

    /// The rule over the answers, with the items the verdict rests on; `say` words an item.
    fn rule<'a>(
        &'a self,
        answers: &Answers,
        say: &dyn Fn(&Item) -> String,
    ) -> (Option<Verdict>, String, Vec<&'a Item>) {
        let yes = |i: &&Item| answers.get(&i.key) == Some(&true);
        let no = |i: &&Item| answers.get(&i.key) == Some(&false);
        let labels = |items: &[&Item]| items.iter().map(|i| say(i)).collect::<Vec<_>>().join(", ");

        let flags: Vec<&Item> = self.items.iter().filter(|i| i.kind == Kind::RedFlag).filter(yes).collect();
        if !flags.is_empty() {
            return (Some(Verdict::Decline), format!("red flag: {}", labels(&flags)), flags);
        }
        let missing: Vec<&Item> =
            self.items.iter().filter(|i| i.kind == Kind::Signal && i.effect == Effect::Required).filter(no).collect();
        if !missing.is_empty() {
            return (Some(Verdict::Decline), format!("not met: {}", labels(&missing)), missing);
        }
        if let Some(light) = self.green_lights().find(yes) {
            return (Some(Verdict::Accept), format!("green light: {}", say(light)), vec![light]);
        }
        let lights = self.green_lights().count();
        let unanswered = self.green_lights().filter(|i| !answers.contains_key(&i.key)).count();
        if lights > 0 && unanswered == 0 {
            return (Some(Verdict::Decline), "no green light applies".into(), self.green_lights().collect());
        }
        (None, format!("no green light yet ({unanswered} of {lights} unanswered)"), Vec::new())
    }

    /// The user's answers, and for each item they left open the first finding's suggestion
    /// (findings come red flags first), with the finding each suggested item came from.
    fn with_suggestions<'f>(
        &self,
        answers: &Answers,
        findings: &'f [StoredFinding],
    ) -> (Answers, HashMap<String, &'f StoredFinding>) {
        let mut merged = answers.clone();
        let mut from = HashMap::new();
        for f in findings {
            let Some(item) = f.item.as_deref().filter(|k| self.item(k).is_some()) else { continue };
            if !answers.contains_key(item) && !from.contains_key(item) {
                merged.insert(item.to_string(), f.answer);
                from.insert(item.to_string(), f);
            }
        }
        (merged, from)
    }

    /// The recommendation from the user's answers first and, for the items they left open,
    /// the evidence's suggestions ([`StoredFinding`], red flags first). The user's answer
    /// always wins. `suggested` names the items the verdict rests on that only a suggestion
    /// answered, and the why quotes those findings ("suggested red flag: sales: ‘book a call’").
    ///
    /// One more rule for suggestions alone: a note that does not say why (no note at all, or an
    /// unfilled template) and nothing else in favour gives "decline unless you know them" —
    /// never an accusation: colleagues click connect without writing too.
    pub fn recommend_with(&self, answers: &Answers, findings: &[StoredFinding]) -> Recommendation {
        let (merged, from) = self.with_suggestions(answers, findings);
        let say = |i: &Item| match from.get(&i.key) {
            Some(f) => f.why.clone(),
            None => in_sentence(&i.label),
        };
        let (verdict, why, rests_on) = self.rule(&merged, &say);
        let suggested: Vec<String> =
            rests_on.iter().filter(|i| from.contains_key(&i.key)).map(|i| i.key.clone()).collect();
        if verdict.is_some() {
            let why = if suggested.is_empty() { why } else { format!("suggested {why}") };
            return Recommendation { verdict, why, suggested };
        }
        let said_yes = from.values().any(|f| f.answer && self.item(f.item.as_deref().unwrap_or("")).is_some());
        let silent = self.green_lights().find(|i| from.get(&i.key).is_some_and(|f| !f.answer));
        match silent {
            Some(item) if !said_yes => Recommendation {
                verdict: Some(Verdict::Decline),
                why: format!("suggested: {}; decline unless you know them", from[&item.key].why),
                suggested: vec![item.key.clone()],
            },
            _ => Recommendation { verdict, why, suggested },
        }
    }

    /// The rank of these answers in the recommendation order ([`RANK_ACCEPT`], …).
    pub fn rank(&self, answers: &Answers) -> u8 {
        self.rank_with(answers, &[])
    }

    /// The rank of these answers and suggestions ([`Checklist::recommend_with`]).
    pub fn rank_with(&self, answers: &Answers, findings: &[StoredFinding]) -> u8 {
        match self.recommend_with(answers, findings).verdict {
            Some(Verdict::Accept) => RANK_ACCEPT,
            Some(Verdict::Decline) => RANK_DECLINE,
            _ => RANK_UNDECIDED,
        }
    }

    /// A reason to prefill the prompt for `verdict`, from the answers: the red flags and the
    /// unmet requirements for a decline, the green lights for an accept.
    pub fn reason_for(&self, verdict: Verdict, answers: &Answers) -> String {
        self.reason_parts(verdict, answers, None).join("; ")
    }

    /// As [`Checklist::reason_for`], quoting first the finding that speaks most for `verdict`
    /// among those the user's answers do not contradict: "sales pitch: ‘book a 15-minute
    /// call’; not: I can see a clear benefit". Untrusted words: gate it where it is shown.
    pub fn reason_with(&self, verdict: Verdict, answers: &Answers, findings: &[StoredFinding]) -> String {
        let agreed: Vec<StoredFinding> = findings
            .iter()
            .filter(|f| f.item.as_deref().is_none_or(|i| answers.get(i).is_none_or(|a| *a == f.answer)))
            .cloned()
            .collect();
        let Some(strongest) = crate::evidence::strongest(&agreed, verdict) else {
            return self.reason_for(verdict, answers);
        };
        let mut parts = vec![crate::evidence::in_words(strongest)];
        parts.extend(self.reason_parts(verdict, answers, strongest.item.as_deref()));
        parts.join("; ")
    }

    /// The parts of a reason the answers give, but for the item `skip` (a finding says it).
    fn reason_parts(&self, verdict: Verdict, answers: &Answers, skip: Option<&str>) -> Vec<String> {
        let answered = |i: &Item, v: bool| answers.get(&i.key) == Some(&v) && Some(i.key.as_str()) != skip;
        match verdict {
            Verdict::Accept => self
                .items
                .iter()
                .filter(|i| i.kind == Kind::Signal && i.effect != Effect::None && answered(i, true))
                .map(|i| in_sentence(&i.label))
                .collect(),
            Verdict::Decline => self
                .items
                .iter()
                .filter(|i| match i.kind {
                    Kind::RedFlag => answered(i, true),
                    Kind::Signal => i.effect != Effect::None && answered(i, false),
                })
                .map(|i| match i.kind {
                    Kind::RedFlag => in_sentence(&i.label),
                    Kind::Signal => format!("not: {}", in_sentence(&i.label)),
                })
                .collect(),
            Verdict::Defer => Vec::new(),
        }
    }
}

/// A label inside a sentence (a reason, a why): its first letter lower-cased, unless the first
/// word must keep its capitals — the pronoun "I" (`I know, like and trust them`), a name or an
/// acronym (`LinkedIn`, `CEO`). The rest keeps the label's own capitals.
pub fn in_sentence(label: &str) -> String {
    let first_word = label.split(|c: char| c.is_whitespace() || c == ',').next().unwrap_or_default();
    let pronoun = first_word == "I" || first_word.starts_with("I'") || first_word.starts_with("I\u{2019}");
    let mut rest = first_word.chars().skip(1);
    let kept = pronoun || rest.any(char::is_uppercase);
    let mut chars = label.chars();
    match chars.next() {
        Some(c) if !kept => c.to_lowercase().chain(chars).collect(),
        _ => label.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(pairs: &[(&str, bool)]) -> Answers {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    fn finding(detector: &str, item: Option<&str>, answer: bool, why: &str) -> StoredFinding {
        StoredFinding {
            detector: detector.into(),
            item: item.map(str::to_string),
            answer,
            why: why.into(),
            words: Vec::new(),
            fact: None,
        }
    }

    #[test]
    fn suggestions_answer_the_open_items_and_say_so() {
        let c = Checklist::builtin();
        let sales = finding("sales", Some("selling"), true, "sales: ‘book a 15-minute call’");
        let rec = c.recommend_with(&Answers::new(), std::slice::from_ref(&sales));
        assert_eq!(rec.verdict, Some(Verdict::Decline));
        assert_eq!(rec.why, "suggested red flag: sales: ‘book a 15-minute call’");
        assert_eq!(rec.suggested, ["selling"]);
        // The user's answer always wins.
        let rec = c.recommend_with(&answers(&[("selling", false)]), std::slice::from_ref(&sales));
        assert_eq!(rec.verdict, None, "{rec:?}");
        let rec = c.recommend_with(&answers(&[("know_like_trust", true)]), &[]);
        assert!(rec.suggested.is_empty() && rec.why == "green light: I know, like and trust them", "{rec:?}");
        // A user's red flag with a suggested one: the user's answer is not called suggested.
        let rec = c.recommend_with(&answers(&[("scam", true)]), std::slice::from_ref(&sales));
        assert_eq!(rec.suggested, ["selling"]);
        assert!(rec.why.contains("looks like a scam") && rec.why.contains("sales: ‘book"), "{rec:?}");
        let introduced =
            finding("introduced", Some("introduced_by_trusted"), true, "names your connection ‘Jonas Weber’");
        let rec = c.recommend_with(&Answers::new(), &[introduced]);
        assert_eq!(
            (rec.verdict, rec.why.as_str()),
            (Some(Verdict::Accept), "suggested green light: names your connection ‘Jonas Weber’")
        );
        assert_eq!(c.rank_with(&Answers::new(), &[sales]), RANK_DECLINE);
        let recruiter = finding("recruiter", None, true, "recruiter: ‘open to new opportunities’");
        assert_eq!(c.recommend_with(&Answers::new(), &[recruiter]).verdict, None, "a category of its own");
    }

    #[test]
    fn a_prefilled_reason_quotes_the_strongest_finding_the_answers_agree_with() {
        let c = Checklist::builtin();
        let mut sales = finding("sales", Some("selling"), true, "sales: ‘book a 15-minute call’");
        sales.words = vec!["book a 15-minute call".into()];
        let silent = finding("no_note", Some("personalized_why"), false, "no note: they did not say why");
        let none = Answers::new();
        assert_eq!(
            c.reason_with(Verdict::Decline, &none, std::slice::from_ref(&sales)),
            "sales pitch: ‘book a 15-minute call’"
        );
        assert_eq!(
            c.reason_with(
                Verdict::Decline,
                &answers(&[("selling", true), ("clear_benefit", false)]),
                std::slice::from_ref(&sales)
            ),
            "sales pitch: ‘book a 15-minute call’; not: I can see a clear benefit",
            "the confirmed item is said once, by its finding"
        );
        assert_eq!(
            c.reason_with(Verdict::Decline, &answers(&[("selling", false)]), std::slice::from_ref(&sales)),
            "",
            "overridden"
        );
        assert_eq!(c.reason_with(Verdict::Decline, &none, &[silent]), "no note: they did not say why");
        assert_eq!(c.reason_with(Verdict::Accept, &none, &[sales]), "", "a pitch says nothing for accepting");
    }

    #[test]
    fn a_silent_request_is_declined_unless_you_know_them_never_accused() {
        let c = Checklist::builtin();
        let silent = finding("no_note", Some("personalized_why"), false, "no note: they did not say why");
        let rec = c.recommend_with(&Answers::new(), std::slice::from_ref(&silent));
        assert_eq!(rec.verdict, Some(Verdict::Decline));
        assert_eq!(rec.why, "suggested: no note: they did not say why; decline unless you know them");
        assert_eq!(rec.suggested, ["personalized_why"]);
        assert!(!rec.why.contains("red flag"));
        // Knowing them wins; so does having invited them (a suggestion in their favour).
        let rec = c.recommend_with(&answers(&[("know_like_trust", true)]), std::slice::from_ref(&silent));
        assert_eq!(rec.verdict, Some(Verdict::Accept));
        let invited = finding("invited_them", Some("clear_benefit"), true, "you invited them on 2026-03-02");
        assert_eq!(c.recommend_with(&Answers::new(), &[silent.clone(), invited]).verdict, None);
        // Without suggestions the rule is as it was: nothing said, nothing recommended.
        assert_eq!(c.recommend_with(&Answers::new(), &[]).verdict, None);
        assert_eq!(c.recommend(&answers(&[("personalized_why", false)])).verdict, None);
    }

    #[test]
    fn builtin_has_the_guides_items() {
        let c = Checklist::builtin();
        for key in [
            "know_like_trust",
            "real_conversation",
            "introduced_by_trusted",
            "respect_work",
            "valued_in_group",
            "personalized_why",
            "clear_benefit",
            "profile_checked",
            "selling",
            "collector",
            "scam",
        ] {
            let item = c.item(key).unwrap_or_else(|| panic!("missing {key}"));
            assert!(!item.label.is_empty() && !item.help.is_empty());
        }
        assert_eq!(c.items.iter().filter(|i| i.kind == Kind::RedFlag).count(), 3);
    }

    #[test]
    fn nothing_answered_is_undecided() {
        let r = Checklist::builtin().recommend(&Answers::new());
        assert_eq!(r.verdict, None);
        assert_eq!(r.why, "no green light yet (6 of 6 unanswered)");
    }

    #[test]
    fn a_red_flag_wins_over_everything() {
        let r = Checklist::builtin().recommend(&answers(&[("know_like_trust", true), ("selling", true)]));
        assert_eq!(r.verdict, Some(Verdict::Decline));
        assert_eq!(r.why, "red flag: wants to sell me something");
    }

    #[test]
    fn no_clear_benefit_declines_even_a_friend() {
        let r = Checklist::builtin().recommend(&answers(&[("know_like_trust", true), ("clear_benefit", false)]));
        assert_eq!(r.verdict, Some(Verdict::Decline));
        assert_eq!(r.why, "not met: I can see a clear benefit");
    }

    #[test]
    fn the_strongest_green_light_is_named() {
        let r =
            Checklist::builtin().recommend(&answers(&[("personalized_why", true), ("introduced_by_trusted", true)]));
        assert_eq!(r.verdict, Some(Verdict::Accept));
        assert_eq!(r.why, "green light: introduced by a connection I trust");
    }

    #[test]
    fn every_green_light_no_declines() {
        let mut a = answers(&[]);
        for i in Checklist::builtin().green_lights() {
            a.insert(i.key.clone(), false);
        }
        let r = Checklist::builtin().recommend(&a);
        assert_eq!(r.verdict, Some(Verdict::Decline));
        assert_eq!(r.why, "no green light applies");
    }

    #[test]
    fn some_green_lights_no_is_still_undecided() {
        let r = Checklist::builtin().recommend(&answers(&[("know_like_trust", false), ("profile_checked", true)]));
        assert_eq!(r.verdict, None);
        assert_eq!(r.why, "no green light yet (5 of 6 unanswered)");
    }

    #[test]
    fn diligence_alone_never_decides() {
        let r = Checklist::builtin().recommend(&answers(&[("profile_checked", true), ("clear_benefit", true)]));
        assert_eq!(r.verdict, None);
    }

    #[test]
    fn reasons_are_prefilled_from_answers() {
        let c = Checklist::builtin();
        let a = answers(&[("personalized_why", false), ("selling", true), ("respect_work", true)]);
        assert_eq!(
            c.reason_for(Verdict::Decline, &a),
            "not: personalized request that says why; wants to sell me something"
        );
        assert_eq!(c.reason_for(Verdict::Accept, &a), "I respect their work online");
        assert_eq!(c.reason_for(Verdict::Defer, &a), "");
    }

    #[test]
    fn labels_keep_their_own_capitals_in_a_reason() {
        let c = Checklist::builtin();
        let a = answers(&[("know_like_trust", true), ("introduced_by_trusted", true)]);
        assert_eq!(
            c.reason_for(Verdict::Accept, &a),
            "I know, like and trust them; introduced by a connection I trust"
        );
        let a = answers(&[("real_conversation", false), ("scam", true)]);
        assert_eq!(
            c.reason_for(Verdict::Decline, &a),
            "not: we have had a real conversation; looks like a scam or a fake profile"
        );
        for (label, shown) in [
            ("I'm a fan", "I'm a fan"),
            ("LinkedIn contact", "LinkedIn contact"),
            ("CEO of a partner", "CEO of a partner"),
            ("Is a recruiter", "is a recruiter"),
            ("", ""),
        ] {
            assert_eq!(in_sentence(label), shown);
        }
    }

    #[test]
    fn parse_errors_name_file_and_line() {
        let err = Checklist::parse("[[item]]\nkey = \"x\"\nlabel = 3\n", Path::new("my.toml")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("my.toml:3: "), "{msg}");
    }

    #[test]
    fn invalid_checklists_are_refused() {
        let item = |key: &str| format!("[[item]]\nkey = \"{key}\"\nlabel = \"l\"\nhelp = \"h\"\nkind = \"signal\"\n");
        let p = Path::new("c.toml");
        assert!(Checklist::parse(&format!("{}{}", item("a"), item("a")), p).unwrap_err().to_string().contains("twice"));
        assert!(Checklist::parse(&item("Bad Key"), p).is_err());
        assert!(Checklist::parse("item = []", p).unwrap_err().to_string().contains("no [[item]]"));
        let unknown = format!("{}colour = \"red\"\n", item("a"));
        assert!(Checklist::parse(&unknown, p).unwrap_err().to_string().contains("colour"));
    }

    #[test]
    fn a_user_checklist_replaces_the_builtin() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("checklist.toml");
        assert_eq!(Checklist::load(&path).unwrap(), Checklist::builtin());
        std::fs::write(&path, "[[item]]\nkey = \"met\"\nlabel = \"Met them\"\nhelp = \"h\"\nkind = \"signal\"\n")
            .unwrap();
        let c = Checklist::load(&path).unwrap();
        assert_eq!(c.items.len(), 1);
        assert_eq!(c.recommend(&answers(&[("met", true)])).verdict, Some(Verdict::Accept));
    }
}
