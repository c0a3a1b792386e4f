//! Checklist answers (per request) and the rank they give the request in the queue's
//! recommendation order (`review_rank`), always written together. The rank comes from the
//! answers and, for the items they leave open, the request's findings' suggestions.

use super::findings::read_findings;
use super::{Result, Store};
use crate::checklist::{Checklist, RANK_UNDECIDED};
use crate::clock::now_stored;
use crate::model::Answers;
use rusqlite::{Connection, params};

pub(super) fn read_answers(conn: &Connection, request_id: i64) -> rusqlite::Result<Answers> {
    conn.prepare_cached("SELECT item, value FROM answer WHERE request_id = ?1")?
        .query_map([request_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
}

/// The one writer of `answer` and `review_rank`: sets each answer in `changes` (yes, no, or
/// with `None` unknown: removed), then the request's rank by `checklist` from the answers as
/// they stand, so that the recommendation order never lags behind the answers.
pub(super) fn write_answers(
    tx: &Connection,
    request_id: i64,
    changes: &[(&str, Option<bool>)],
    checklist: &Checklist,
) -> rusqlite::Result<()> {
    for (item, value) in changes {
        match value {
            None => tx
                .prepare_cached("DELETE FROM answer WHERE request_id = ?1 AND item = ?2")?
                .execute(params![request_id, item])?,
            Some(v) => tx
                .prepare_cached(
                    "INSERT INTO answer (request_id, item, value, updated_at) VALUES (?1, ?2, ?3, ?4) \
                     ON CONFLICT (request_id, item) DO UPDATE SET value = excluded.value, \
                       updated_at = excluded.updated_at",
                )?
                .execute(params![request_id, item, v, now_stored()])?,
        };
    }
    let rank = checklist.rank_with(&read_answers(tx, request_id)?, &read_findings(tx, request_id)?);
    write_rank(tx, request_id, rank, false)
}

/// The rank of every request with an empty message after `after` at once (a bulk import's
/// silent requests: "decline unless you know them"); the evidence pass then ranks the few
/// whose evidence says more. Returns how many (`None`: undecided, the absence of a rank, so
/// nothing was written).
pub(super) fn write_rank_of_silent(tx: &Connection, after: i64, rank: u8) -> rusqlite::Result<Option<usize>> {
    if rank == RANK_UNDECIDED {
        return Ok(None);
    }
    tx.execute(
        "INSERT INTO review_rank (request_id, rank) SELECT id, ?2 FROM request WHERE id > ?1 AND message = '' \
         ON CONFLICT (request_id) DO UPDATE SET rank = excluded.rank",
        params![after, rank],
    )
    .map(Some)
}

/// The one writer of `review_rank`: a request's rank (undecided is the absence of a row).
/// `fresh`: no rank is stored yet. Called by `write_answers`, and by the evidence pass with
/// the answers and findings it holds.
pub(super) fn write_rank(tx: &Connection, request_id: i64, rank: u8, fresh: bool) -> rusqlite::Result<()> {
    if rank == RANK_UNDECIDED {
        if !fresh {
            tx.prepare_cached("DELETE FROM review_rank WHERE request_id = ?1")?.execute([request_id])?;
        }
    } else {
        tx.prepare_cached(
            "INSERT INTO review_rank (request_id, rank) VALUES (?1, ?2) \
             ON CONFLICT (request_id) DO UPDATE SET rank = excluded.rank",
        )?
        .execute(params![request_id, rank])?;
    }
    Ok(())
}

impl Store {
    pub fn answers(&self, request_id: i64) -> Result<Answers> {
        read_answers(&self.conn, request_id).map_err(|e| self.err(e))
    }

    /// Sets checklist answers of a request (`None`: unknown) and its rank in the
    /// recommendation order by `checklist`, in one transaction.
    pub fn set_answers(
        &mut self,
        request_id: i64,
        changes: &[(&str, Option<bool>)],
        checklist: &Checklist,
    ) -> Result<()> {
        self.request(request_id)?;
        self.transact(|tx| {
            write_answers(tx.sql(), request_id, changes, checklist).map_err(|e| tx.err(e))?;
            super::sync_record::record_answers(tx.sql(), request_id).map_err(|e| tx.err(e))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::{RANK_ACCEPT, RANK_DECLINE};
    use crate::model::NewRequest;

    #[test]
    fn the_rank_follows_the_answers_by_the_checklist() {
        let mut store = Store::in_memory().unwrap();
        let (req, _) = store
            .add_request(&NewRequest {
                name: "Di".into(),
                message: "Met at the Rust meetup.".into(),
                source: "manual".into(),
                ..Default::default()
            })
            .unwrap();
        let checklist = Checklist::builtin();
        store.set_answers(req, &[("know_like_trust", Some(true))], &checklist).unwrap();
        assert_eq!(store.rank(req).unwrap(), RANK_ACCEPT);
        store.set_answers(req, &[("selling", Some(true)), ("profile_checked", Some(false))], &checklist).unwrap();
        assert_eq!(store.rank(req).unwrap(), RANK_DECLINE, "a red flag wins");
        store.set_answers(req, &[("selling", None), ("know_like_trust", None)], &checklist).unwrap();
        assert_eq!(store.rank(req).unwrap(), RANK_UNDECIDED);
        assert_eq!(store.answers(req).unwrap(), Answers::from([("profile_checked".to_string(), false)]));
        let rows: i64 = store.conn.query_row("SELECT count(*) FROM review_rank", [], |r| r.get(0)).unwrap();
        assert_eq!(rows, 0, "undecided is the absence of a rank row");
    }
}
