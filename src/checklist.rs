//! The guide's checklist: items, loading, and the recommendation rule with its "why".

use crate::model::{Answers, Verdict};
use serde::Deserialize;
use std::collections::HashSet;
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
        let yes = |i: &&Item| answers.get(&i.key) == Some(&true);
        let no = |i: &&Item| answers.get(&i.key) == Some(&false);
        let labels = |items: Vec<&Item>| items.iter().map(|i| in_sentence(&i.label)).collect::<Vec<_>>().join(", ");

        let flags: Vec<&Item> = self.items.iter().filter(|i| i.kind == Kind::RedFlag).filter(yes).collect();
        if !flags.is_empty() {
            return Recommendation { verdict: Some(Verdict::Decline), why: format!("red flag: {}", labels(flags)) };
        }
        let missing: Vec<&Item> =
            self.items.iter().filter(|i| i.kind == Kind::Signal && i.effect == Effect::Required).filter(no).collect();
        if !missing.is_empty() {
            return Recommendation { verdict: Some(Verdict::Decline), why: format!("not met: {}", labels(missing)) };
        }
        if let Some(light) = self.green_lights().find(yes) {
            return Recommendation {
                verdict: Some(Verdict::Accept),
                why: format!("green light: {}", in_sentence(&light.label)),
            };
        }
        let lights = self.green_lights().count();
        let unanswered = self.green_lights().filter(|i| !answers.contains_key(&i.key)).count();
        if lights > 0 && unanswered == 0 {
            return Recommendation { verdict: Some(Verdict::Decline), why: "no green light applies".into() };
        }
        Recommendation { verdict: None, why: format!("no green light yet ({unanswered} of {lights} unanswered)") }
    }

    /// The rank of these answers in the recommendation order ([`RANK_ACCEPT`], …).
    pub fn rank(&self, answers: &Answers) -> u8 {
        match self.recommend(answers).verdict {
            Some(Verdict::Accept) => RANK_ACCEPT,
            Some(Verdict::Decline) => RANK_DECLINE,
            _ => RANK_UNDECIDED,
        }
    }

    /// A reason to prefill the prompt for `verdict`, from the answers: the red flags and the
    /// unmet requirements for a decline, the green lights for an accept.
    pub fn reason_for(&self, verdict: Verdict, answers: &Answers) -> String {
        let answered = |i: &Item, v: bool| answers.get(&i.key) == Some(&v);
        let parts: Vec<String> = match verdict {
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
        };
        parts.join("; ")
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
