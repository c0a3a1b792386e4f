//! Checklist answers (per request) and the rank they give the request in the queue's
//! recommendation order (`review_rank`), always written together. The rank comes from the
//! answers and, for the items they leave open, the request's findings' suggestions. A rank
//! has a row only where it is not the request's default (`rows::RANK_OF_R`): undecided, or
//! for a request without a note the silent rank a fresh pass keeps (no row for 96 % of a
//! real backlog).

use super::findings::{read_findings, silent_rank, write_silent_rank};
use super::{Result, Store};
use crate::checklist::{Checklist, RANK_UNDECIDED};
use crate::clock::now_stored;
use crate::model::Answers;
use rusqlite::{Connection, OptionalExtension, params};

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
    write_rank(tx, request_id, rank, default_rank(tx, request_id)?, false)
}

/// How this store's queries read a request's rank: the SQL of `rows::RANK_OF_R` (or its
/// form before evidence) and the silent rank kept.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RankSql {
    expr: &'static str,
    silent: u8,
}

impl Default for RankSql {
    fn default() -> RankSql {
        RankSql { expr: super::rows::RANK_OF_R, silent: RANK_UNDECIDED }
    }
}

pub(super) fn rank_sql(conn: &Connection) -> rusqlite::Result<RankSql> {
    rank_sql_with(conn, super::rows::request_columns(conn))
}

/// [`rank_sql`] for a store whose request columns are known (`Store::request_columns`).
pub(super) fn rank_sql_with(conn: &Connection, columns: &str) -> rusqlite::Result<RankSql> {
    let expr = super::rows::rank_of_r(columns);
    let silent = if expr == super::rows::RANK_OF_R { silent_rank(conn)? } else { RANK_UNDECIDED };
    Ok(RankSql { expr, silent })
}

impl RankSql {
    /// The rank of request `r`, as SQL.
    pub(super) fn expr(&self) -> &'static str {
        self.expr
    }

    /// Whether a request without a row can have `rank` (then a reader must test every
    /// request; otherwise the rows alone hold it).
    pub(super) fn implicit(&self, rank: u8) -> bool {
        rank == RANK_UNDECIDED || rank == self.silent
    }

    /// "request `r` has rank `rank`" (SQL: a literal or a parameter) looked for among the
    /// requests with a note and the rows alone: see [`RankSql::noted_only`].
    pub(super) fn among_noted(&self, rank: &str) -> String {
        format!(
            "(r.id IN (SELECT x.id FROM request x WHERE x.message <> '' \
             UNION ALL SELECT k.request_id FROM review_rank k WHERE k.rank = {rank}) AND {} = {rank})",
            self.expr
        )
    }

    /// Whether only the requests with a note or a row can have `rank`: undecided, when the
    /// silent rank is another. They are found through the index of requests with a note
    /// (`request_noted`) and the rows, not by reading every request.
    pub(super) fn noted_only(&self, rank: u8) -> bool {
        rank == RANK_UNDECIDED && self.silent != RANK_UNDECIDED
    }

    /// The condition "request `r` has `rank`": a look at its row alone when no request
    /// without one has it (no read of the request), else the whole expression — over the
    /// requests with a note or a row only, when no other can have it.
    pub(super) fn is(&self, rank: u8) -> String {
        if self.noted_only(rank) {
            self.among_noted(&rank.to_string())
        } else if self.implicit(rank) {
            format!("{} = {rank}", self.expr)
        } else {
            format!("EXISTS (SELECT 1 FROM review_rank k WHERE k.request_id = r.id AND k.rank = {rank})")
        }
    }
}

/// The rank a request has without a row of its own (`rows::RANK_OF_R`): the silent rank
/// for one without a note, undecided for any other.
pub(super) fn default_rank(tx: &Connection, request_id: i64) -> rusqlite::Result<u8> {
    let silent: bool = tx
        .prepare_cached("SELECT message = '' FROM request WHERE id = ?1")?
        .query_row([request_id], |r| r.get(0))
        .optional()?
        .unwrap_or(false);
    if silent { silent_rank(tx) } else { Ok(RANK_UNDECIDED) }
}

/// Makes `rank` the rank of every request without a note and without a row (a fresh pass's
/// silent requests: "decline unless you know them"), so that they need no row: the requests
/// up to `upto` that relied on another rank get a row of it first, and their rows that say
/// `rank` go. Nothing to write when it is the rank kept already.
pub(super) fn set_silent_rank(tx: &Connection, rank: u8, upto: i64) -> rusqlite::Result<()> {
    let old = silent_rank(tx)?;
    if old == rank {
        return Ok(());
    }
    tx.execute(
        "INSERT INTO review_rank (request_id, rank) SELECT r.id, ?2 FROM request r \
         WHERE r.id <= ?1 AND r.message = '' AND NOT EXISTS (SELECT 1 FROM review_rank k WHERE k.request_id = r.id)",
        params![upto, old],
    )?;
    tx.execute(
        "DELETE FROM review_rank WHERE rank = ?2 AND request_id <= ?1 \
         AND EXISTS (SELECT 1 FROM request r WHERE r.id = review_rank.request_id AND r.message = '')",
        params![upto, rank],
    )?;
    write_silent_rank(tx, rank)
}

/// The one writer of `review_rank`: a request's rank, a row only when it is not the
/// request's `default` (`default_rank`). `fresh`: no rank is stored yet. Called by
/// `write_answers`, and by the evidence passes with the answers and findings they hold.
pub(super) fn write_rank(tx: &Connection, request_id: i64, rank: u8, default: u8, fresh: bool) -> rusqlite::Result<()> {
    if rank == default {
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
