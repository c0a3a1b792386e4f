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
        match self.silent(&merged, findings) {
            Some((item, f)) if !said_yes => {
                let (why, suggested) = match from.contains_key(&item.key) {
                    true => (format!("suggested: {}; decline unless you know them", f.why), vec![item.key.clone()]),
                    false => (format!("{}; decline unless you know them", f.why), Vec::new()),
                };
                Recommendation { verdict: Some(Verdict::Decline), why, suggested }
            }
            _ => Recommendation { verdict, why, suggested },
        }
    }

    /// The green light a note that does not say why (no note, an unfilled template) speaks
    /// to, when its answer — suggested or the user's own — is no, with that finding.
    fn silent<'s, 'f>(
        &'s self,
        merged: &Answers,
        findings: &'f [StoredFinding],
    ) -> Option<(&'s Item, &'f StoredFinding)> {
        self.green_lights().filter(|i| merged.get(&i.key) == Some(&false)).find_map(|i| {
            let says_no = |f: &&StoredFinding| {
                f.item.as_deref() == Some(i.key.as_str())
                    && !f.answer
                    && matches!(f.detector.as_str(), "no_note" | "template")
            };
            findings.iter().find(says_no).map(|f| (i, f))
        })
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
        let Some(strongest) = crate::evidence::strongest(findings, answers, verdict) else {
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
mod tests;
