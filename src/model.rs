//! Plain data shared by the store, the importers, the CLI and the TUI.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Files larger than this are refused before anything is read, but for a vetted backup: it is
/// read as a stream (row by row, memory bounded), so a backup of any size restores.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;
/// A field larger than this makes its row invalid (an import's cell, a reason, notes).
pub const MAX_FIELD_BYTES: usize = 64 * 1024;

/// Marks the first line of a backup; `vetted import` recognises it.
pub const BACKUP_TAG: &str = "vetted_backup";

/// A decision about more requests than this at once asks once more (`decide --where` wants
/// `--yes`; the app asks again, naming how many and how many carry red flags).
pub const BATCH_CONFIRM_ABOVE: usize = 50;

/// What the user decided about a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Accept,
    Decline,
    Defer,
}

impl Verdict {
    /// The request status this verdict leads to.
    pub fn status(self) -> Status {
        match self {
            Verdict::Accept => Status::Accepted,
            Verdict::Decline => Status::Declined,
            Verdict::Defer => Status::Deferred,
        }
    }
}

/// Where a request stands. The latest decision sets it; imports may set the last two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pending,
    Accepted,
    Declined,
    Deferred,
    /// The sender is already a connection (found in Connections.csv).
    Connected,
    /// The request vanished from a newer export before the user decided.
    Withdrawn,
    /// An older invitation of someone who sent a newer one: the newer one is in the queue.
    Replaced,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Pending,
        Status::Accepted,
        Status::Declined,
        Status::Deferred,
        Status::Connected,
        Status::Withdrawn,
        Status::Replaced,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Accepted => "accepted",
            Status::Declined => "declined",
            Status::Deferred => "deferred",
            Status::Connected => "connected",
            Status::Withdrawn => "withdrawn",
            Status::Replaced => "replaced",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What To do says of an ignore that a newer export no longer lists (`day`: that export's
/// newest invitation, `YYYY-MM-DD`): "probably done — it is not in your 2026-12 export".
pub fn not_listed_note(day: Option<&str>) -> Option<String> {
    let month = day?.get(..7)?;
    Some(format!("probably done — it is not in your {month} export"))
}

/// Checklist answers of one request: item key → yes (true) / no (false). Absent = unknown.
pub type Answers = BTreeMap<String, bool>;

/// A request as it enters the store, from an importer or `vetted add`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewRequest {
    pub name: String,
    /// Normalised profile URL (see `import::url`), if any.
    pub profile_url: Option<String>,
    /// LinkedIn member URN, when the export has one and no URL.
    pub urn: Option<String>,
    pub headline: Option<String>,
    pub company: Option<String>,
    pub location: Option<String>,
    pub message: String,
    /// The send time as the source wrote it.
    pub sent_at_raw: Option<String>,
    /// The send time as a UTC instant, RFC 3339 (`2024-05-01T17:04:00Z`).
    pub sent_at: Option<String>,
    pub mutual_connections: Option<i64>,
    pub shared_groups: Option<String>,
    pub introduced_by: Option<String>,
    pub notes: Option<String>,
    /// `linkedin`, `manual`, or whatever a vetted-format file says.
    pub source: String,
    /// Automatic hints (see `hints`), comma-separated keys.
    pub hints: Vec<String>,
}

impl NewRequest {
    /// The stable key of the person: profile URL, else URN, else a name-based key.
    pub fn person_key(&self) -> String {
        if let Some(url) = &self.profile_url {
            return url.clone();
        }
        if let Some(urn) = &self.urn {
            return urn.clone();
        }
        format!("name:{}", name_key(&self.name))
    }
}

/// A name as people write it, for comparing: NFKC-normalised, lowercased, every run of
/// whitespace (no-break spaces included) one space, trimmed. LinkedIn builds `From` as
/// first + " " + last, so a first name stored with a trailing space gives a double space.
pub fn name_key(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    if name.is_ascii() {
        // NFKC leaves ASCII as it is: only case and spacing (the common case, and every row of a
        // big import).
        let mut out = String::with_capacity(name.len());
        for word in name.split_ascii_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
        }
        return out;
    }
    let folded: String = name.nfkc().flat_map(char::to_lowercase).collect();
    let mut out = String::with_capacity(folded.len());
    // Invisible marks that a copy may carry on one side only: BOM, zero-width space, word
    // joiner, soft hyphen. (Joiners inside emoji and scripts stay: they are writing.)
    let invisible = |c: char| matches!(c, '\u{feff}' | '\u{200b}' | '\u{2060}' | '\u{ad}');
    let folded: String = folded.chars().filter(|&c| !invisible(c)).collect();
    for word in folded.split(char::is_whitespace).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// One request joined with its sender, as lists and the review screen show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestRow {
    pub id: i64,
    pub person_id: i64,
    pub name: String,
    pub profile_url: Option<String>,
    pub headline: Option<String>,
    pub company: Option<String>,
    pub location: Option<String>,
    pub message: String,
    pub sent_at: Option<String>,
    pub sent_at_raw: Option<String>,
    pub source: String,
    pub status: Status,
    pub hints: Vec<String>,
    pub mutual_connections: Option<i64>,
    pub shared_groups: Option<String>,
    pub introduced_by: Option<String>,
    /// Set when this person had been declined before this request came.
    pub asked_again: bool,
    /// How many requests this person has sent (2 or more: they asked again).
    pub asks: i64,
    /// A deferred request comes back then (RFC 3339 UTC); `None` otherwise, or at the next session.
    pub defer_until: Option<String>,
    /// What its checklist answers recommend (accept or decline), when they do: the user's
    /// answers first, the evidence's suggestions for the items they left open.
    #[serde(skip)]
    pub recommends: Option<Verdict>,
    /// The evidence vetted found for this request, red flags first (see [`StoredFinding`]).
    pub findings: Vec<StoredFinding>,
}

/// One piece of evidence as the store keeps it: which detector found it, the checklist item it
/// speaks to and the answer it suggests there, and why, in words. Plain data for the faces;
/// the words and the why quote the sender's note: untrusted text (pass it through `text`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredFinding {
    /// The detector's stable name (`sales`, `invited_them`, `no_note`: `evidence::Detector::name`).
    pub detector: String,
    /// The checklist item key it speaks to; none for a recruiter (a category of its own).
    pub item: Option<String>,
    /// The answer it suggests for that item.
    pub answer: bool,
    /// `sales: ‘book a 15-minute call’`, `names your connection ‘Jonas Weber’`.
    pub why: String,
    /// The note's own words behind it (one or two spans, or a connection's name).
    #[serde(default)]
    pub words: Vec<String>,
    /// A fact that is not words of the note: a day, a number of senders.
    #[serde(default)]
    pub fact: Option<String>,
}

/// One row of the decision log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionRow {
    pub id: i64,
    pub request_id: i64,
    pub person_id: i64,
    pub name: String,
    pub profile_url: Option<String>,
    /// The status this decision set: accepted, declined, deferred, or pending (an undo).
    pub decision: Status,
    pub reason: String,
    pub answers: Answers,
    pub decided_at: String,
    /// The decision this one replaced (a change of mind or an undo), if any.
    pub supersedes: Option<i64>,
    pub undo: bool,
    /// For a deferral: when it comes back (RFC 3339 UTC); `None`: at the next session.
    pub defer_until: Option<String>,
    /// The batch it was decided in (many requests, one reason), if any.
    pub batch: Option<i64>,
    /// How many decisions that batch holds (not in JSON: `batch` says which).
    #[serde(skip)]
    pub batch_size: Option<u64>,
    /// The devices that decided this request, when more than one did (a store that syncs):
    /// "decided on laptop and desktop". Empty otherwise, and then not in JSON.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub decided_on: Vec<String>,
    /// The evidence the decision was made on: the request's findings then.
    pub evidence: Vec<StoredFinding>,
}

impl DecisionRow {
    /// "batch 7, 23 declined together" for a decision made with others at once.
    pub fn together(&self) -> Option<String> {
        let batch = self.batch?;
        let what = if self.undo { "undone".to_string() } else { self.decision.to_string() };
        Some(format!("batch {batch}, {} {what} together", self.batch_size.unwrap_or(1)))
    }

    /// "decided on laptop and desktop" for a request decided on more than one device.
    pub fn decided_on_note(&self) -> Option<String> {
        let (last, rest) = self.decided_on.split_last()?;
        (!rest.is_empty()).then(|| format!("decided on {} and {last}", rest.join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use super::name_key;

    #[test]
    fn names_compare_as_people_write_them() {
        assert_eq!(name_key("Ada  Lovelace"), "ada lovelace", "a first name with a trailing space");
        assert_eq!(name_key(" Ada\u{a0}Lovelace \t"), "ada lovelace", "a no-break space, tabs, edges");
        assert_eq!(name_key("\u{feff}Ada Love\u{200b}lace"), "ada lovelace", "invisible marks");
        assert_eq!(name_key("ＡＤＡ Ｌｏｖｅｌａｃｅ"), "ada lovelace", "full-width letters (NFKC)");
        assert_eq!(name_key("𝐀𝐝𝐚 Lovelace"), "ada lovelace", "styled mathematical letters");
        assert_eq!(name_key("Zoe\u{308} Mu\u{308}ller"), name_key("Zoë Müller"), "composed and decomposed");
        assert_eq!(name_key("محمد علي"), "محمد علي");
        assert_ne!(name_key("Ada Lovelace"), name_key("Ada Byron"));
    }
}
