//! The query language that selects requests (the queue's filter, `vetted list --where`,
//! `vetted decide --where`, the groups) and decisions (the Log, Declined, `vetted log`): plain
//! data and its parser. The store turns a [`Query`] into SQL (`store/query_sql.rs`).
//!
//! Terms combine with AND; `-term` negates any term; `"two words"` is one text term.
//!
//! - words: text in the name, headline, company, message and notes (and, in the log, the reason);
//! - `hint:no-message|template|sales|same-message|hidden-chars` ([`crate::hint::ALL`]);
//! - `ev:sales|scam|collector|stock|recruiter|template|campaign|personal|introduced|invited-them`:
//!   the evidence's findings ([`EV_TERMS`]; in the log: the evidence a decision was made on);
//! - `rec:accept|decline|undecided`: the checklist's recommendation;
//! - `check:KEY=yes|no|unknown`: a checklist answer (in the log: the checklist then);
//! - `age:>180d`, `age:<7d` (d, w, m = 30 days, y = 365 days), from now;
//! - `sent:2026-11`, `sent:2026-11-05`: local months and days;
//! - `asked-again`, `source:linkedin`, `message-of:ID` (exactly the message of request ID);
//!   `campaign-of:ID` (the notes of request ID's campaign);
//! - the log's `is:accepted|declined|deferred|pending`, `reason:TEXT`, `since:DAY`, `until:DAY`.

mod parse;
#[cfg(test)]
mod tests;

pub use parse::{MAX_TERMS, parse, parse_at, parse_lenient, parse_requests_lenient};

use crate::evidence::Detector;
use crate::model::Status;
use crate::text;
use std::fmt;

/// Text terms need this many characters (the search indexes are trigrams).
pub const MIN_TEXT: usize = 3;

/// The detectors the query language names, `ev:NAME` (`Detector::name` with `_` written
/// `-`): every detector but the last, `NoNote` (a silent request is `hint:no-message`).
/// Scripts rely on these names: add, never rename.
pub const EV_TERMS: &[Detector] = match Detector::ALL.split_last() {
    Some((Detector::NoNote, terms)) => terms,
    _ => panic!("Detector::ALL ends with NoNote"),
};

/// The `ev:` word of a detector (`invited-them`).
pub fn ev_name(detector: Detector) -> String {
    detector.name().replace('_', "-")
}

/// Terms that only the log has (a decision's kind, reason and date).
const LOG_ONLY: &str = "is:, reason:, since: and until:";

/// A parsed query: every term must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub terms: Vec<Term>,
}

/// One term, as typed (`raw`, without the minus) and as understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub negated: bool,
    pub kind: TermKind,
    pub raw: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermKind {
    /// Text looked for (case-insensitively, for ASCII) in the request's fields, notes and, in the
    /// log, the reason.
    Text(String),
    /// A stored hint key (`no_message`, …).
    Hint(&'static str),
    /// A finding of this detector (one of [`EV_TERMS`]).
    Evidence(Detector),
    Rec(Rec),
    /// A checklist answer: yes, no, or `None` for unknown.
    Check {
        key: String,
        answer: Option<bool>,
    },
    /// Sent before `cutoff` (`older`), or at or after it; RFC 3339 UTC.
    Age {
        older: bool,
        cutoff: String,
    },
    /// Sent in `[from, until)`, RFC 3339 UTC (a local day or month).
    Sent {
        from: String,
        until: String,
    },
    /// The sender had been declined before this request came.
    AskedAgain,
    /// The request's source (`linkedin`, `manual`, …), compared without case.
    Source(String),
    /// Exactly the (non-empty) message of request `id`: a template's group.
    MessageOf(i64),
    /// The notes of request `id`'s campaign (the same words once greetings, names and numbers
    /// are out): a campaign's group.
    CampaignOf(i64),
    /// The log: decisions of this kind.
    Is(Status),
    /// The log: text in the reason.
    Reason(String),
    /// The log: decided at or after (RFC 3339 UTC).
    Since(String),
    /// The log: decided before (RFC 3339 UTC; `until:DAY` includes the day).
    Until(String),
}

/// The checklist's recommendation, as the store keeps it (`review_rank`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rec {
    Accept,
    Decline,
    Undecided,
}

impl Rec {
    pub const ALL: [Rec; 3] = [Rec::Accept, Rec::Undecided, Rec::Decline];

    pub fn rank(self) -> u8 {
        match self {
            Rec::Accept => crate::checklist::RANK_ACCEPT,
            Rec::Decline => crate::checklist::RANK_DECLINE,
            Rec::Undecided => crate::checklist::RANK_UNDECIDED,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Rec::Accept => "accept",
            Rec::Decline => "decline",
            Rec::Undecided => "undecided",
        }
    }
}

/// A term the parser could not use. The message names it (through `text::line`) and says what
/// would work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct QueryError {
    /// The term as typed.
    pub term: String,
    pub message: String,
}

impl QueryError {
    fn new(term: &str, message: impl Into<String>) -> QueryError {
        QueryError { term: term.to_string(), message: message.into() }
    }

    /// `TERM? use …`
    fn unknown(term: &str, what_works: &str) -> QueryError {
        QueryError::new(term, format!("{}? use {what_works}", text::line(term)))
    }
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The first term only the log understands, if any.
    pub fn log_only_term(&self) -> Option<&Term> {
        self.terms.iter().find(|t| t.kind.log_only())
    }

    /// Refuses a query for requests (the queue, `--where`) that has a log term, naming it.
    pub fn for_requests(&self) -> Result<(), QueryError> {
        match self.log_only_term() {
            Some(t) => Err(QueryError::new(
                &t.raw,
                format!(
                    "{}: {LOG_ONLY} select decisions (the Log, `vetted log`); requests are pending, \
                     narrow them with hint:, ev:, rec:, check:, age:, sent:, asked-again, source: or words",
                    text::line(&t.raw)
                ),
            )),
            None => Ok(()),
        }
    }
}

impl TermKind {
    fn log_only(&self) -> bool {
        matches!(self, TermKind::Is(_) | TermKind::Reason(_) | TermKind::Since(_) | TermKind::Until(_))
    }
}

/// The query as it can be typed again (`-` and quotes as given).
impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, t) in self.terms.iter().enumerate() {
            write!(f, "{}{}{}", if i > 0 { " " } else { "" }, if t.negated { "-" } else { "" }, t.raw)?;
        }
        Ok(())
    }
}
