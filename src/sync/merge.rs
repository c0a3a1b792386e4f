//! The merge rule, on plain data: a [`Replica`] takes events in whatever order they arrive and
//! ends, for the same set of events, with the same log and the same current state. This is the
//! rule the store's apply must follow (and what its tests can compare against):
//!
//! - The log is every event, ordered by stamp; an event seen twice (same id) changes nothing.
//! - Per request, the decision in force is the latest by stamp, decisions and undo rows alike;
//!   all stay in the log, and the devices that decided are known ("decided on laptop and
//!   desktop"). Imported fields, checklist answers, To do marks and profile info: the latest
//!   by stamp wins.
//! - A note edited on two devices keeps every text: the latest by stamp is shown, the others
//!   are kept (and an empty latest text clears what is shown, not the history).
//! - A forget tombstone wins over everything about the person whose key it marks, whatever the
//!   stamps and whatever arrives later: their events leave the log and the state, and events
//!   about them arriving afterwards are dropped on arrival. The tombstone stays.

use super::crypt::SyncKey;
use super::event::{Change, Event, EventId, RequestKey};
use super::hlc::Hlc;
use crate::model::{Answers, NewRequest, Status};
use std::collections::{BTreeMap, BTreeSet};

/// A value and the stamp of the event that set it: the latest stamp wins.
#[derive(Debug, Clone, PartialEq)]
pub struct Stamped<T> {
    pub hlc: Hlc,
    pub value: T,
}

fn latest<T>(slot: &mut Option<Stamped<T>>, hlc: &Hlc, value: T) {
    if slot.as_ref().is_none_or(|s| s.hlc < *hlc) {
        *slot = Some(Stamped { hlc: hlc.clone(), value });
    }
}

/// What is known of a request now.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestState {
    pub fields: Option<Stamped<NewRequest>>,
    /// Every decision and undo row: stamp → (event, status it set). The last is in force.
    pub decisions: BTreeMap<Hlc, (EventId, Status)>,
    pub answers: Option<Stamped<Answers>>,
    pub todo_done: Option<Stamped<bool>>,
    /// The latest status an import gave it (connected, withdrawn, replaced, pending again).
    pub imported_status: Option<Stamped<Status>>,
}

impl RequestState {
    /// The status in force: the latest by stamp of the decisions (and undo rows) and the
    /// status an import gave it, else pending.
    pub fn status(&self) -> Status {
        let decided = self.decisions.iter().next_back();
        match (decided, &self.imported_status) {
            (Some((hlc, _)), Some(i)) if i.hlc > *hlc => i.value,
            (Some((_, (_, s))), _) => *s,
            (None, Some(i)) => i.value,
            (None, None) => Status::Pending,
        }
    }

    /// The devices that wrote a decision or undo row about it (two or more: show both).
    pub fn decided_on(&self) -> BTreeSet<&str> {
        self.decisions.values().map(|(id, _)| id.device.as_str()).collect()
    }
}

/// Profile info: headline, company, location.
pub type Profile = (Option<String>, Option<String>, Option<String>);

/// What is known of a person now.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersonState {
    pub profile: Option<Stamped<Profile>>,
    pub connected: Option<Stamped<Option<String>>>,
    /// Every text the note has had, by stamp: the last is shown.
    pub notes: BTreeMap<Hlc, String>,
}

impl PersonState {
    /// The note shown: the latest text, unless it was cleared.
    pub fn note(&self) -> Option<&str> {
        self.notes.values().next_back().map(String::as_str).filter(|t| !t.is_empty())
    }
}

/// The current state, as plain maps.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct State {
    pub requests: BTreeMap<RequestKey, RequestState>,
    pub people: BTreeMap<String, PersonState>,
}

/// What applying one event did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    New,
    /// Seen before: nothing changed.
    Duplicate,
    /// About a forgotten person: dropped.
    Dropped,
}

/// One device's view: the log, the state, and what it has seen.
#[derive(Debug, Clone)]
pub struct Replica {
    key: SyncKey,
    seen: BTreeSet<EventId>,
    log: BTreeMap<Hlc, Event>,
    forgotten: BTreeSet<String>,
    state: State,
}

impl Replica {
    /// An empty replica; `key` makes the forget marks (see [`SyncKey::mark`]).
    pub fn new(key: SyncKey) -> Replica {
        Replica {
            key,
            seen: BTreeSet::new(),
            log: BTreeMap::new(),
            forgotten: BTreeSet::new(),
            state: State::default(),
        }
    }

    /// The log, in stamp order.
    pub fn log(&self) -> impl Iterator<Item = &Event> {
        self.log.values()
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    /// Whether `change` is about a person a tombstone seen here marks (a segment rewritten
    /// after a forget leaves such events out).
    pub fn is_forgotten(&self, change: &Change) -> bool {
        change.person().is_some_and(|p| self.forgotten.contains(&self.key.mark(p)))
    }

    /// Takes in one event, from this device or another, in any order.
    pub fn apply(&mut self, event: Event) -> Applied {
        if !self.seen.insert(event.id.clone()) {
            return Applied::Duplicate;
        }
        if self.is_forgotten(&event.change) {
            return Applied::Dropped;
        }
        if let Change::Forgotten { marks, .. } = &event.change {
            self.forget(marks);
        }
        self.fold(&event);
        self.log.insert(event.hlc.clone(), event);
        Applied::New
    }

    fn forget(&mut self, marks: &[String]) {
        self.forgotten.extend(marks.iter().cloned());
        let (key, forgotten) = (&self.key, &self.forgotten);
        let gone = |person: &str| forgotten.contains(&key.mark(person));
        self.log.retain(|_, e| !e.change.person().is_some_and(gone));
        self.state.requests.retain(|r, _| !gone(&r.person));
        self.state.people.retain(|p, _| !gone(p));
    }

    fn fold(&mut self, e: &Event) {
        let hlc = &e.hlc;
        let s = &mut self.state;
        match &e.change {
            Change::RequestImported { request, fields } => {
                latest(&mut s.requests.entry(request.clone()).or_default().fields, hlc, NewRequest::clone(fields));
            }
            Change::Decided { request, verdict, .. } => {
                let r = s.requests.entry(request.clone()).or_default();
                r.decisions.insert(hlc.clone(), (e.id.clone(), verdict.status()));
            }
            Change::Undone { request, restores, .. } => {
                let r = s.requests.entry(request.clone()).or_default();
                r.decisions.insert(hlc.clone(), (e.id.clone(), *restores));
            }
            Change::Reopened { request, .. } => {
                let r = s.requests.entry(request.clone()).or_default();
                r.decisions.insert(hlc.clone(), (e.id.clone(), Status::Pending));
            }
            Change::ImportStatus { request, status } => {
                latest(&mut s.requests.entry(request.clone()).or_default().imported_status, hlc, *status);
            }
            Change::AnswersSet { request, answers } => {
                latest(&mut s.requests.entry(request.clone()).or_default().answers, hlc, answers.clone());
            }
            Change::TodoMarked { request, done } => {
                latest(&mut s.requests.entry(request.clone()).or_default().todo_done, hlc, *done);
            }
            Change::ProfileInfo { person, headline, company, location } => {
                let p = s.people.entry(person.clone()).or_default();
                latest(&mut p.profile, hlc, (headline.clone(), company.clone(), location.clone()));
            }
            Change::Connected { person, since } => {
                latest(&mut s.people.entry(person.clone()).or_default().connected, hlc, since.clone());
            }
            Change::NoteSet { person, text, .. } => {
                s.people.entry(person.clone()).or_default().notes.insert(hlc.clone(), text.clone());
            }
            Change::Forgotten { .. } => {}
        }
    }
}

#[cfg(test)]
#[path = "merge_tests.rs"]
mod tests;
