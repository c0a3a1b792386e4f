//! The append-only decision log. A decision row is never changed: a change of mind or an
//! undo is a new row that supersedes the latest one, and the request's status follows it in
//! the same transaction.

use super::findings::read_findings;
use super::requests::set_status;
use super::rows::{decision_columns, row_to_decision};
use super::{Result, Store, StoreError, sqlite_err};
use crate::clock::now_stored;
use crate::model::{Answers, DecisionRow, Status, StoredFinding, Verdict};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

/// A decision row as it is stored.
pub(super) struct NewDecision<'a> {
    /// `None`: the next id (a new decision); a backup restores its rows with their own.
    pub id: Option<i64>,
    pub request_id: i64,
    pub status: &'a str,
    pub reason: &'a str,
    pub answers: &'a Answers,
    pub supersedes: Option<i64>,
    pub undo: bool,
    pub decided_at: &'a str,
    pub defer_until: Option<&'a str>,
    /// The batch it was decided in, if any.
    pub batch: Option<i64>,
    /// The evidence it was made on; `None`: the request's findings now.
    pub evidence: Option<&'a [StoredFinding]>,
}

/// The one writer of `decision`, which is append-only: rows are inserted, never changed.
/// Returns the row's id.
pub(super) fn insert_decision(tx: &Connection, d: &NewDecision<'_>) -> rusqlite::Result<i64> {
    let answers = serde_json::to_string(d.answers).expect("a map of strings to bools serialises");
    let now;
    let evidence = match d.evidence {
        Some(e) => e,
        None => {
            now = read_findings(tx, d.request_id)?;
            &now
        }
    };
    let evidence = serde_json::to_string(evidence).expect("findings serialise");
    tx.prepare_cached(
        "INSERT INTO decision (id, request_id, status, reason, answers, supersedes, undo, decided_at, defer_until, \
           batch, evidence) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
    )?
    .query_row(
        params![
            d.id,
            d.request_id,
            d.status,
            d.reason,
            answers,
            d.supersedes,
            d.undo,
            d.decided_at,
            d.defer_until,
            d.batch,
            evidence
        ],
        |r| r.get(0),
    )
}

/// Decision rows many at once, as [`insert_decision`] writes one (the same writer of `decision`,
/// set-based for a batch): `rows` is a JSON array of `[request_id, status, answers, supersedes,
/// undo, defer_until, evidence]` (answers and evidence as JSON text); each row takes the next
/// id, in the order given; all share `reason`, `decided_at` and `batch`.
pub(super) fn insert_decisions(
    tx: &Connection,
    rows: &str,
    reason: &str,
    decided_at: &str,
    batch: i64,
) -> rusqlite::Result<usize> {
    tx.prepare_cached(
        "INSERT INTO decision (request_id, status, reason, answers, supersedes, undo, decided_at, defer_until, \
           batch, evidence) \
         SELECT j.value ->> 0, j.value ->> 1, ?2, j.value ->> 2, j.value ->> 3, j.value ->> 4, ?3, j.value ->> 5, \
           ?4, j.value ->> 6 FROM jsonb_each(?1) j ORDER BY j.key",
    )?
    .execute(params![rows, reason, decided_at, batch])
}

fn latest_id(tx: &Transaction<'_>, request_id: i64) -> rusqlite::Result<Option<i64>> {
    tx.prepare_cached("SELECT max(id) FROM decision WHERE request_id = ?1")?.query_row([request_id], |r| r.get(0))
}

/// One row to append to the log.
struct Entry<'a> {
    status: Status,
    reason: &'a str,
    answers: &'a Answers,
    undo: bool,
    /// For a deferral: when it comes back (`None`: at the next session).
    defer_until: Option<&'a str>,
    batch: Option<i64>,
}

/// Decisions made together: many requests, one reason, one transaction.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Batch {
    pub id: i64,
    /// The decision rows, one per request, in the order the requests were given.
    pub decisions: Vec<i64>,
}

pub(super) use super::rows::DEFERRAL_DUE;

/// Appends a decision row and moves the request to its status.
fn append(tx: &Transaction<'_>, request_id: i64, e: Entry<'_>) -> rusqlite::Result<i64> {
    let until = if e.status == Status::Deferred { e.defer_until } else { None };
    let id = insert_decision(
        tx,
        &NewDecision {
            id: None,
            request_id,
            status: e.status.as_str(),
            reason: e.reason,
            answers: e.answers,
            supersedes: latest_id(tx, request_id)?,
            undo: e.undo,
            decided_at: &now_stored(),
            defer_until: until,
            batch: e.batch,
            evidence: None,
        },
    )?;
    set_status(tx, request_id, e.status, until)?;
    super::sync_record::record_decision(tx, id)?;
    Ok(id)
}

/// The id the next batch takes.
pub(super) fn next_batch(tx: &Transaction<'_>) -> rusqlite::Result<i64> {
    tx.query_row("SELECT coalesce(max(batch), 0) + 1 FROM decision WHERE batch IS NOT NULL", [], |r| r.get(0))
}

/// Whether `verdict` can be recorded on the request now: not on a connection or a withdrawn
/// or replaced request, not the verdict it already has, not on a stale view (`seen`: the status shown).
pub(super) fn decidable(
    tx: &Transaction<'_>,
    path: &std::path::Path,
    request_id: i64,
    seen: Option<Status>,
    verdict: Verdict,
) -> Result<()> {
    let status: Status = tx
        .prepare_cached("SELECT status FROM request WHERE id = ?1")
        .and_then(|mut s| s.query_row([request_id], |r| r.get(0)).optional())
        .map_err(|e| sqlite_err(path, e))?
        .ok_or(StoreError::NoSuchRequest(request_id))?;
    if seen.is_some_and(|seen| seen != status) {
        return Err(StoreError::Stale { id: request_id, status });
    }
    if matches!(status, Status::Connected | Status::Withdrawn | Status::Replaced) {
        return Err(StoreError::NotDecidable { id: request_id, status });
    }
    if status == verdict.status() {
        return Err(StoreError::AlreadyDecided { id: request_id, status });
    }
    Ok(())
}

/// Undoes decision `id` inside `tx` (see [`Store::undo`]); the new row joins `batch`.
pub(super) fn undo_in(tx: &Transaction<'_>, path: &std::path::Path, id: i64, batch: Option<i64>) -> Result<i64> {
    let found: Option<(i64, Option<i64>, String, bool)> = tx
        .prepare_cached(
            "SELECT d.request_id, d.supersedes, d.answers, d.status = r.status \
             FROM decision d JOIN request r ON r.id = d.request_id WHERE d.id = ?1",
        )
        .and_then(|mut s| s.query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).optional())
        .map_err(|e| sqlite_err(path, e))?;
    let Some((request_id, supersedes, answers, same_status)) = found else {
        return Err(StoreError::NothingToUndo);
    };
    // Only the decision in force is taken back: one made since, in another session or by
    // a command, is never undone by this one. In force: the last one not undone (each undo
    // takes back the one in force when it was made, so a session can undo step by step).
    let rows: Vec<(i64, bool, Status, String)> = tx
        .prepare_cached("SELECT id, undo, status, decided_at FROM decision WHERE request_id = ?1 ORDER BY id")
        .and_then(|mut s| s.query_map([request_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?.collect())
        .map_err(|e| sqlite_err(path, e))?;
    let mut in_force = Vec::new();
    for (row, undo, ..) in &rows {
        if *undo {
            in_force.pop();
        } else {
            in_force.push(*row);
        }
    }
    if !in_force.contains(&id) {
        return Err(StoreError::NothingToUndo); // undone already
    }
    if in_force.last() != Some(&id) {
        let (_, _, status, at) = rows.last().cloned().expect("the decision itself is a row");
        return Err(StoreError::DecidedSince { id: request_id, status, at });
    }
    if !same_status {
        return Err(StoreError::NothingToUndo); // an import changed it since (connected, withdrawn)
    }
    let (before, until): (Status, Option<String>) = match supersedes {
        Some(prev) => tx
            .prepare_cached("SELECT status, defer_until FROM decision WHERE id = ?1")
            .and_then(|mut s| s.query_row([prev], |r| Ok((r.get(0)?, r.get(1)?))))
            .map_err(|e| sqlite_err(path, e))?,
        None => (Status::Pending, None),
    };
    let answers: Answers = serde_json::from_str(&answers).unwrap_or_default();
    let entry =
        Entry { status: before, reason: "undo", answers: &answers, undo: true, defer_until: until.as_deref(), batch };
    append(tx, request_id, entry).map_err(|e| sqlite_err(path, e))
}

/// The deferred requests due at `?1`, each with its last decision's answers: those whose day
/// has come, and those deferred "until the next session" before it started. Two ranges of the
/// `request_deferred` index (migration 12), never every deferred request (named: without
/// statistics SQLite would rather walk the queue index by status).
const DUE_DEFERRALS: &str = "SELECT r.id, d.answers FROM request r INDEXED BY request_deferred \
       JOIN decision d ON d.id = (SELECT max(id) FROM decision WHERE request_id = r.id) \
     WHERE r.status = 'deferred' AND r.defer_until <= ?1 \
     UNION ALL SELECT r.id, d.answers FROM request r INDEXED BY request_deferred \
       JOIN decision d ON d.id = (SELECT max(id) FROM decision WHERE request_id = r.id) \
     WHERE r.status = 'deferred' AND r.defer_until IS NULL AND d.decided_at < ?1";

impl Store {
    /// Records a decision on a request, with its reason and the checklist as it is now.
    pub fn decide(&mut self, request_id: i64, verdict: Verdict, reason: &str, answers: &Answers) -> Result<i64> {
        self.decide_until(request_id, verdict, reason, answers, None)
    }

    /// As [`Store::decide`]; a deferral comes back at `defer_until` (RFC 3339), or at the
    /// next session when `None`.
    pub fn decide_until(
        &mut self,
        request_id: i64,
        verdict: Verdict,
        reason: &str,
        answers: &Answers,
        defer_until: Option<&str>,
    ) -> Result<i64> {
        self.decide_checked(request_id, None, verdict, reason, answers, defer_until)
    }

    /// As [`Store::decide_until`], for a request shown with status `seen`: refused
    /// ([`StoreError::Stale`]) when it was decided elsewhere since (another session, a command).
    pub fn decide_as_seen(
        &mut self,
        request_id: i64,
        seen: Status,
        verdict: Verdict,
        reason: &str,
        answers: &Answers,
        defer_until: Option<&str>,
    ) -> Result<i64> {
        self.decide_checked(request_id, Some(seen), verdict, reason, answers, defer_until)
    }

    /// Decisions only where they make sense: not on a connection or a withdrawn request, not
    /// the verdict it already has, not on a stale view; checked in the write transaction.
    fn decide_checked(
        &mut self,
        request_id: i64,
        seen: Option<Status>,
        verdict: Verdict,
        reason: &str,
        answers: &Answers,
        defer_until: Option<&str>,
    ) -> Result<i64> {
        if verdict == Verdict::Decline && reason.trim().is_empty() {
            return Err(StoreError::DeclineNeedsReason);
        }
        self.transact(|tx| {
            decidable(tx.sql(), tx.path(), request_id, seen, verdict)?;
            let entry = Entry {
                status: verdict.status(),
                reason: reason.trim(),
                answers,
                undo: false,
                defer_until,
                batch: None,
            };
            append(tx.sql(), request_id, entry).map_err(|e| tx.err(e))
        })
    }

    /// Brings back the deferrals that are due when a session starts at `session_start`: those
    /// whose date has come, and those deferred "until the next session" before it started.
    /// Each return is logged as a decision back to pending. Returns how many came back.
    pub fn release_due_deferrals(&mut self, session_start: &str) -> Result<usize> {
        let path = self.path.clone();
        let tx = self.write()?;
        let released = (|| {
            let due: Vec<(i64, String)> = tx
                .prepare(DUE_DEFERRALS)?
                .query_map([session_start], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (request_id, answers) in &due {
                let answers: Answers = serde_json::from_str(answers).unwrap_or_default();
                let entry = Entry {
                    status: Status::Pending,
                    reason: DEFERRAL_DUE,
                    answers: &answers,
                    undo: false,
                    defer_until: None,
                    batch: None,
                };
                append(&tx, *request_id, entry)?;
            }
            Ok(due.len())
        })()
        .map_err(|e| sqlite_err(&path, e))?;
        tx.commit().map_err(|e| sqlite_err(&path, e))?;
        Ok(released)
    }

    /// Undoes decision `id`: appends a row that restores the status the request had before
    /// it. Allowed while the request still has the status `id` gave it, so a session can undo
    /// its decisions one after another. Returns the new row's id.
    pub fn undo(&mut self, id: i64) -> Result<i64> {
        self.transact(|tx| undo_in(tx.sql(), tx.path(), id, None))
    }

    /// Returns a decided request to the queue ("reconsider"): a new decision back to pending,
    /// with its reason and the checklist as the latest decision had it. Refused, with nothing
    /// written, when the request is no longer `seen` (decided elsewhere, or closed by an
    /// import, since it was shown). Returns its id.
    pub fn reopen(&mut self, request_id: i64, seen: Status, reason: &str) -> Result<i64> {
        self.request(request_id)?;
        let path = self.path.clone();
        let tx = self.write()?;
        let status: Status = tx
            .query_row("SELECT status FROM request WHERE id = ?1", [request_id], |r| r.get(0))
            .map_err(|e| sqlite_err(&path, e))?;
        if status != seen {
            return Err(StoreError::Stale { id: request_id, status });
        }
        let id = (|| {
            let answers: Option<String> = tx
                .query_row(
                    "SELECT answers FROM decision WHERE request_id = ?1 ORDER BY id DESC LIMIT 1",
                    [request_id],
                    |r| r.get(0),
                )
                .optional()?;
            let answers: Answers = answers.and_then(|a| serde_json::from_str(&a).ok()).unwrap_or_default();
            let entry = Entry {
                status: Status::Pending,
                reason: reason.trim(),
                answers: &answers,
                undo: false,
                defer_until: None,
                batch: None,
            };
            append(&tx, request_id, entry)
        })()
        .map_err(|e| sqlite_err(&path, e))?;
        tx.commit().map_err(|e| sqlite_err(&path, e))?;
        Ok(id)
    }

    /// Every decision about a person (all their requests), newest first, at most `limit`.
    pub fn person_history(&self, person_id: i64, limit: usize) -> Result<Vec<DecisionRow>> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {} FROM decision d JOIN request r ON r.id = d.request_id \
                 JOIN person p ON p.id = r.person_id WHERE r.person_id = ?1 ORDER BY d.id DESC LIMIT ?2",
                decision_columns(&self.conn)
            ))
            .and_then(|mut s| s.query_map(params![person_id, limit as i64], row_to_decision)?.collect())
            .and_then(|mut rows: Vec<DecisionRow>| {
                self.batch_sizes.borrow_mut().fill(&self.conn, rows.iter_mut())?;
                super::sync_journal::fill_decided_on(&self.conn, rows.iter_mut())?;
                Ok(rows)
            })
            .map_err(|e| self.err(e))
    }
}

#[cfg(test)]
#[path = "decisions_tests.rs"]
mod tests;
