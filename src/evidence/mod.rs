//! Evidence: what a request's note and its few facts say about the checklist, as suggestions
//! with the exact words behind them. Pure and offline: plain data in, findings out, no store.
//!
//! ```text
//! normal.rs    the words of a message, folded, with their original bytes
//! matcher.rs   phrase lists compiled into a one-pass matcher
//! phrases.rs   assets/evidence.toml, the user's additions, errors with file and line
//! detect.rs    evaluate(): the detectors over one message, and how they combine
//! cues.rs      scored cue families for the pitches and scams no phrase has the shape of
//! template.rs  unfilled mail-merge fields
//! links.rs     links in a note, for the scam detector
//! people.rs    the user's connections, named in a note; the campaign key
//! ```
//!
//! A detector that cannot be sure says nothing: a wrong red flag on a friend is the worst
//! outcome, so every red flag needs one strong phrase, two different weak ones, or cues of
//! several families (`cues.rs`).

mod cues;
mod detect;
mod links;
mod matcher;
mod normal;
mod people;
mod phrases;
mod template;
#[cfg(test)]
mod tests;

pub use detect::evaluate;
pub use people::{Connections, MIN_CAMPAIGN_WORDS, campaign_key};
pub use phrases::{BUILTIN_TOML, LISTS, Phrases, PhrasesError};

/// Which detector a finding comes from. [`Detector::name`] is its stable name (the query
/// language's `ev:` term, with `_` written `-`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Detector {
    Sales,
    Scam,
    Collector,
    Stock,
    Recruiter,
    Template,
    Campaign,
    Personal,
    Introduced,
    InvitedThem,
    NoNote,
}

impl Detector {
    pub const ALL: [Detector; 11] = [
        Detector::Sales,
        Detector::Scam,
        Detector::Collector,
        Detector::Stock,
        Detector::Recruiter,
        Detector::Template,
        Detector::Campaign,
        Detector::Personal,
        Detector::Introduced,
        Detector::InvitedThem,
        Detector::NoNote,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Detector::Sales => "sales",
            Detector::Scam => "scam",
            Detector::Collector => "collector",
            Detector::Stock => "stock",
            Detector::Recruiter => "recruiter",
            Detector::Template => "template",
            Detector::Campaign => "campaign",
            Detector::Personal => "personal",
            Detector::Introduced => "introduced",
            Detector::InvitedThem => "invited_them",
            Detector::NoNote => "no_note",
        }
    }

    pub fn parse(name: &str) -> Option<Detector> {
        Detector::ALL.into_iter().find(|d| d.name() == name || d.name().replace('_', "-") == name)
    }

    /// The key of the checklist item (`assets/checklist.toml`) the detector speaks to, and the
    /// answer it suggests there. Recruiter speaks to none: a category of its own, which the
    /// user's config may map.
    pub fn item(self) -> Option<(&'static str, Answer)> {
        Some(match self {
            Detector::Sales => ("selling", Answer::Yes),
            Detector::Scam => ("scam", Answer::Yes),
            Detector::Collector | Detector::Stock | Detector::Campaign => ("collector", Answer::Yes),
            // A field left unfilled: the note was not written for this person.
            Detector::Template | Detector::NoNote => ("personalized_why", Answer::No),
            Detector::Personal => ("personalized_why", Answer::Yes),
            // The trust part of "introduced by a connection I trust" stays the user's.
            Detector::Introduced => ("introduced_by_trusted", Answer::Yes),
            Detector::InvitedThem => ("clear_benefit", Answer::Yes),
            Detector::Recruiter => return None,
        })
    }
}

impl Detector {
    /// The decision a finding of this detector speaks for: red flags and a note that does not
    /// say why lean to declining, a reason, an introduction or the user's own invitation to
    /// accepting; a recruiter to neither.
    pub fn leans(self) -> Option<crate::model::Verdict> {
        use crate::model::Verdict;
        match self {
            Detector::Recruiter => None,
            Detector::Personal | Detector::Introduced | Detector::InvitedThem => Some(Verdict::Accept),
            _ => Some(Verdict::Decline),
        }
    }

    /// Whether a finding of this detector suggests a red flag (selling, scam, collecting).
    pub fn is_red_flag(self) -> bool {
        matches!(self, Detector::Sales | Detector::Scam | Detector::Collector | Detector::Stock | Detector::Campaign)
    }

    /// What a finding of this detector is, in a reason: "sales pitch", "LinkedIn's stock text".
    pub fn label(self) -> &'static str {
        match self {
            Detector::Sales => "sales pitch",
            Detector::Scam => "looks like a scam",
            Detector::Collector => "connection collector",
            Detector::Stock => "LinkedIn's stock text",
            Detector::Recruiter => "job offer",
            Detector::Template => "unfilled template",
            Detector::Campaign => "campaign",
            Detector::Personal => "personal reason",
            Detector::Introduced => "names your connection",
            Detector::InvitedThem => "you invited them",
            Detector::NoNote => "no note",
        }
    }
}

/// A stored finding in a reason: its label and the note's words (`sales pitch: ‘book a
/// 15-minute call’`), or its why when it has no words (`no note: they did not say why`,
/// `same campaign as 3 other senders`). Untrusted: pass it through `crate::text`.
pub fn in_words(f: &crate::model::StoredFinding) -> String {
    match Detector::parse(&f.detector) {
        Some(d) if !f.words.is_empty() && d != Detector::Introduced => {
            let quoted = f.words.iter().map(|w| format!("‘{w}’")).collect::<Vec<_>>().join(", ");
            format!("{}: {quoted}", d.label())
        }
        _ => f.why.clone(),
    }
}

/// The finding that speaks most for `verdict` (findings come red flags first) among those the
/// user's `answers` do not contradict (a sales pitch the user answered "not selling" is not
/// quoted), else none. The prefilled reason and "decided on" both take it from here.
pub fn strongest<'f>(
    findings: &'f [crate::model::StoredFinding],
    answers: &crate::model::Answers,
    verdict: crate::model::Verdict,
) -> Option<&'f crate::model::StoredFinding> {
    findings
        .iter()
        .filter(|f| f.item.as_deref().is_none_or(|i| answers.get(i).is_none_or(|a| *a == f.answer)))
        .find(|f| Detector::parse(&f.detector).and_then(Detector::leans) == Some(verdict))
}

/// `decided on: suggested sales pitch ‘book a call’`: the finding of the evidence a decision
/// was made on that speaks most for it, among those its answers agree with ("suggested" when
/// the user left its item open), for an accept or a decline that had one. Both faces show it.
/// Untrusted words: gate it where it is shown.
pub fn decided_on(d: &crate::model::DecisionRow) -> Option<String> {
    use crate::model::{Status, Verdict};
    let verdict = match d.decision {
        Status::Accepted => Verdict::Accept,
        Status::Declined => Verdict::Decline,
        _ => return None,
    };
    let f = strongest(&d.evidence, &d.answers, verdict)?;
    let suggested = f.item.as_deref().is_none_or(|i| !d.answers.contains_key(i));
    Some(format!("decided on: {}{}", if suggested { "suggested " } else { "" }, in_words(f)))
}

/// A suggested answer to a checklist item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Answer {
    Yes,
    No,
}

/// One piece of evidence: a detector, the item it speaks to, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub detector: Detector,
    /// The checklist item key (see [`Detector::item`]), none for a recruiter.
    pub item: Option<&'static str>,
    pub answer: Answer,
    /// The exact words of the message behind it (one or two spans, or a connection's name).
    pub words: Vec<String>,
    /// A fact that is not words of the message: "2026-03-02", "212 other senders".
    pub fact: Option<String>,
}

impl Finding {
    pub(crate) fn new(detector: Detector, words: Vec<String>, fact: Option<String>) -> Finding {
        let (item, answer) = detector.item().map_or((None, Answer::Yes), |(i, a)| (Some(i), a));
        Finding { detector, item, answer, words, fact }
    }

    /// The finding for a note shared by `others` other senders (see [`campaign_key`]).
    pub fn campaign(others: usize) -> Finding {
        Finding::new(Detector::Campaign, Vec::new(), Some(others.to_string()))
    }

    /// The why, in words: `sales: ‘book a 15-minute call’`. Message words are quoted as they
    /// are; pass the result through `crate::text` before a terminal sees it.
    pub fn why(&self) -> String {
        let quoted = self.words.iter().map(|w| format!("‘{w}’")).collect::<Vec<_>>().join(", ");
        let fact = self.fact.as_deref().unwrap_or("");
        match self.detector {
            Detector::NoNote => "no note: they did not say why".to_string(),
            Detector::InvitedThem if fact.is_empty() => "you invited them too".to_string(),
            Detector::InvitedThem => format!("you invited them on {fact}"),
            Detector::Campaign if fact == "1" => "same campaign as 1 other sender".to_string(),
            Detector::Campaign => format!("same campaign as {fact} other senders"),
            Detector::Introduced => format!("names your connection {quoted}"),
            Detector::Scam if self.words.is_empty() => format!("scam: {fact}"),
            d => format!("{}: {quoted}", d.name()),
        }
    }
}

/// What is known around a message, as plain data.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The sender's name as the export gives it.
    pub sender_name: &'a str,
    /// The user's own first name, when known (taken out of campaign keys, never a connection).
    pub user_first_name: Option<&'a str>,
    /// The user's connections (see [`Connections`]).
    pub connections: &'a Connections,
    /// When the user invited this person too: the day of the user's invitation
    /// (`Some("")` when the day is unknown).
    pub invited_on: Option<&'a str>,
}
