//! Fictional events for the tests.

use super::event::{Change, Event, Journal, RequestKey};
use crate::model::{Answers, NewRequest, Verdict};

pub const NAME: &str = "Quentin Fictive";
pub const MESSAGE: &str = "Loved your talk on imaginary numbers";
pub const NOTE: &str = "met at the made-up conference";
pub const REASON: &str = "no shared context whatsoever";

/// `n` events of `device`: a request imported, then a decision, a note, answers, … in turn.
pub fn some_events(device: &str, n: usize) -> Vec<Event> {
    let req = NewRequest {
        name: NAME.into(),
        profile_url: Some("https://www.linkedin.com/in/quentin-fictive".into()),
        message: MESSAGE.into(),
        sent_at: Some("2026-11-02T10:00:00Z".into()),
        source: "linkedin".into(),
        ..NewRequest::default()
    };
    let key = RequestKey::of(&req);
    let mut j = Journal::resume(device, 0, None);
    (0..n)
        .map(|i| {
            let change = match i % 4 {
                0 => Change::RequestImported { request: key.clone(), fields: Box::new(req.clone()) },
                1 => Change::Decided {
                    request: key.clone(),
                    verdict: Verdict::Decline,
                    reason: REASON.into(),
                    answers: Answers::new(),
                    defer_until: None,
                    batch: None,
                    decided_at: "2026-11-03T09:00:00Z".into(),
                    evidence: Vec::new(),
                },
                2 => Change::NoteSet { person: key.person.clone(), text: NOTE.into(), replaces: vec![] },
                _ => Change::AnswersSet { request: key.clone(), answers: Answers::from([("knows".into(), true)]) },
            };
            j.record(change, 1_800_000_000_000 + i as u64)
        })
        .collect()
}
