//! The changes that travel between devices: one [`Event`] per change that matters, with an id
//! (device + counter, so applying one twice changes nothing) and a hybrid logical clock stamp
//! (so every device orders them alike). Plain data: serde, no store.

use super::hlc::Hlc;
use crate::model::{Answers, NewRequest, Status, StoredFinding, Verdict};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Which event: the device that made it and its number there (1, 2, 3… with no reuse).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EventId {
    pub device: String,
    pub counter: u64,
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.device, self.counter)
    }
}

/// A request as every device knows it, whatever its row id there: its sender's stable key
/// ([`NewRequest::person_key`]) and when it was sent (as the export wrote it, else empty).
/// Two devices importing overlapping exports name the same request alike.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RequestKey {
    pub person: String,
    pub sent: String,
}

impl RequestKey {
    pub fn of(req: &NewRequest) -> RequestKey {
        let sent = req.sent_at.clone().or_else(|| req.sent_at_raw.clone()).unwrap_or_default();
        RequestKey { person: req.person_key(), sent }
    }
}

/// One change, with its id and stamp.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: EventId,
    pub hlc: Hlc,
    pub change: Change,
}

/// The changes that matter. Every one but [`Change::Forgotten`] names the person it is about
/// (their stable key); a tombstone names nobody.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// A request imported (an export, a vetted-format file, `vetted add`).
    RequestImported { request: RequestKey, fields: Box<NewRequest> },
    /// What is known of a person's profile (headline, company, location).
    ProfileInfo { person: String, headline: Option<String>, company: Option<String>, location: Option<String> },
    /// The person is a connection (from Connections.csv), since that day if known.
    Connected { person: String, since: Option<String> },
    /// A decision: one row of the log. `batch` groups the decisions made at once.
    Decided {
        request: RequestKey,
        verdict: Verdict,
        reason: String,
        answers: Answers,
        defer_until: Option<String>,
        batch: Option<EventId>,
        /// When it was decided (RFC 3339 UTC), as the deciding device's log shows it.
        decided_at: String,
        /// The evidence it was made on (the request's findings then, on the deciding device).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        evidence: Vec<StoredFinding>,
    },
    /// An undo row: the decision `undoes` is taken back and the request returns to `restores`
    /// (as undo across sessions decides it today, on the device that undid).
    Undone { request: RequestKey, undoes: EventId, restores: Status, batch: Option<EventId>, decided_at: String },
    /// A decided request back to pending (reconsidered, or a deferral come due), with the
    /// reason and the checklist as that row holds them.
    Reopened { request: RequestKey, reason: String, answers: Answers, decided_at: String },
    /// A status an import gave a request from what the export says (connected, withdrawn,
    /// replaced, or pending again when it came back): the latest by stamp, decisions included,
    /// is in force.
    ImportStatus { request: RequestKey, status: Status },
    /// The checklist answers of a request, whole.
    AnswersSet { request: RequestKey, answers: Answers },
    /// A note on a person, whole (an empty text clears it). `replaces`: the stamps of the
    /// texts the writer's store showed as current (more than one when two devices had each
    /// written one), so every device can tell an edit made over a text from one made beside it.
    NoteSet {
        person: String,
        text: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        replaces: Vec<Hlc>,
    },
    /// A To do item marked done (or not done again).
    TodoMarked { request: RequestKey, done: bool },
    /// A forget: keyed hashes of the person's keys ([`super::crypt::SyncKey::mark`]), no name.
    Forgotten { marks: Vec<String>, at: String },
}

impl Change {
    /// The person the change is about (their stable key); `None` for a tombstone.
    pub fn person(&self) -> Option<&str> {
        match self {
            Change::ProfileInfo { person, .. } | Change::Connected { person, .. } | Change::NoteSet { person, .. } => {
                Some(person)
            }
            _ => self.request().map(|r| r.person.as_str()),
        }
    }

    /// The request the change is about, if it is about one.
    pub fn request(&self) -> Option<&RequestKey> {
        match self {
            Change::RequestImported { request, .. }
            | Change::Decided { request, .. }
            | Change::Undone { request, .. }
            | Change::Reopened { request, .. }
            | Change::ImportStatus { request, .. }
            | Change::AnswersSet { request, .. }
            | Change::TodoMarked { request, .. } => Some(request),
            _ => None,
        }
    }
}

/// Makes a device's events: numbers them and stamps them.
#[derive(Debug, Clone)]
pub struct Journal {
    clock: super::hlc::Clock,
    counter: u64,
}

impl Journal {
    /// A journal for `device` going on from its last event (counter 0 and no stamp: none yet).
    pub fn resume(device: &str, counter: u64, last: Option<&Hlc>) -> Journal {
        let clock = last.map_or_else(|| super::hlc::Clock::new(device), super::hlc::Clock::resume);
        Journal { clock, counter }
    }

    /// The next event, stamped at `physical_ms`.
    pub fn record(&mut self, change: Change, physical_ms: u64) -> Event {
        self.counter += 1;
        let id = EventId { device: self.clock.device().to_string(), counter: self.counter };
        Event { id, hlc: self.clock.now(physical_ms), change }
    }

    /// Takes in an event read from another device, so what this one does next sorts after it.
    pub fn observe(&mut self, remote: &Hlc, physical_ms: u64) {
        self.clock.observe(remote, physical_ms);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_round_trip_through_json_and_name_their_person() {
        let req = NewRequest {
            name: "Quentin Fictive".into(),
            profile_url: Some("https://www.linkedin.com/in/quentin-fictive".into()),
            sent_at: Some("2026-11-02T10:00:00Z".into()),
            message: "Hello there".into(),
            source: "linkedin".into(),
            ..NewRequest::default()
        };
        let key = RequestKey::of(&req);
        assert_eq!(key.person, "https://www.linkedin.com/in/quentin-fictive");
        let mut j = Journal::resume("laptop", 0, None);
        let events = [
            j.record(Change::RequestImported { request: key.clone(), fields: Box::new(req) }, 10),
            j.record(
                Change::Decided {
                    request: key.clone(),
                    verdict: Verdict::Decline,
                    reason: "no shared context".into(),
                    answers: Answers::from([("knows".to_string(), false)]),
                    defer_until: None,
                    batch: None,
                    decided_at: "2026-11-03T09:00:00Z".into(),
                    evidence: Vec::new(),
                },
                10,
            ),
            j.record(Change::Forgotten { marks: vec!["ab".into()], at: "2026-11-04T00:00:00Z".into() }, 11),
        ];
        assert_eq!(events[1].id, EventId { device: "laptop".into(), counter: 2 });
        assert!(events[0].hlc < events[1].hlc && events[1].hlc < events[2].hlc);
        for e in &events {
            let json = serde_json::to_string(e).unwrap();
            assert_eq!(&serde_json::from_str::<Event>(&json).unwrap(), e);
        }
        assert!(serde_json::to_string(&events[1]).unwrap().contains(r#""kind":"decided""#));
        assert_eq!(events[1].change.person(), Some(key.person.as_str()));
        assert_eq!(events[2].change.person(), None);
    }
}
