//! Evidence written: a request's findings with the rank they give it, one at a time
//! ([`Store::set_findings`]).

use super::answers::{read_answers, write_rank};
use super::findings::write_findings;
use super::{Result, Store};
use crate::checklist::Checklist;
use crate::model::StoredFinding;
use rusqlite::Connection;

/// Replaces a request's findings and ranks it again by `checklist` from its answers and them.
pub(super) fn replace_findings(
    tx: &Connection,
    request_id: i64,
    findings: &[StoredFinding],
    checklist: &Checklist,
) -> rusqlite::Result<()> {
    write_findings(tx, request_id, findings, false)?;
    let all = super::findings::read_findings(tx, request_id)?;
    write_rank(tx, request_id, checklist.rank_with(&read_answers(tx, request_id)?, &all), false)
}

impl Store {
    /// Sets a request's findings (`no_note` is the empty message itself: left out) and its
    /// rank by `checklist`, in one transaction. The importers and the re-evaluation write
    /// findings in bulk; this is for one request (the demo, tests).
    pub fn set_findings(&mut self, request_id: i64, findings: &[StoredFinding], checklist: &Checklist) -> Result<()> {
        self.request(request_id)?;
        self.transact(|tx| replace_findings(tx.sql(), request_id, findings, checklist).map_err(|e| tx.err(e)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::{RANK_DECLINE, RANK_UNDECIDED};
    use crate::model::NewRequest;

    fn sales() -> StoredFinding {
        StoredFinding {
            detector: "sales".into(),
            item: Some("selling".into()),
            answer: true,
            why: "sales: ‘book a 15-minute call’".into(),
            words: vec!["book a 15-minute call".into()],
            fact: None,
        }
    }

    #[test]
    fn findings_are_kept_read_back_on_the_row_and_rank_the_request() {
        let mut store = Store::in_memory().unwrap();
        let new = |name: &str, message: &str| NewRequest {
            name: name.into(),
            message: message.into(),
            source: "manual".into(),
            ..Default::default()
        };
        let (pitch, _) = store.add_request(&new("Bo Seller", "Let's book a 15-minute call")).unwrap();
        let (silent, _) = store.add_request(&new("Cy Quiet", "")).unwrap();
        let checklist = Checklist::builtin();
        assert_eq!(store.rank(pitch).unwrap(), RANK_UNDECIDED);
        store.set_findings(pitch, &[sales()], &checklist).unwrap();
        assert_eq!(store.findings(pitch).unwrap(), [sales()]);
        assert_eq!(store.request(pitch).unwrap().findings, [sales()], "the row carries them");
        assert_eq!(store.rank(pitch).unwrap(), RANK_DECLINE);
        // The user's answer wins over the suggestion.
        store.set_answers(pitch, &[("selling", Some(false))], &checklist).unwrap();
        assert_eq!(store.rank(pitch).unwrap(), RANK_UNDECIDED);
        store.set_findings(pitch, &[], &checklist).unwrap();
        assert!(store.findings(pitch).unwrap().is_empty());
        // No note is the empty message itself: read back, never stored.
        let found = store.request(silent).unwrap().findings;
        assert_eq!(found.iter().map(|f| f.detector.as_str()).collect::<Vec<_>>(), ["no_note"]);
        assert_eq!(found[0].why, "no note: they did not say why");
        store.set_findings(silent, &[], &checklist).unwrap();
        assert_eq!(store.rank(silent).unwrap(), RANK_DECLINE, "decline unless you know them");
    }
}
