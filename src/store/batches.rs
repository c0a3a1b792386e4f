//! Decisions made together: [`Store::decide_batch`] and [`Store::undo_batch`], each in one
//! transaction, written set-based — one statement reads what every request needs (its status,
//! answers, evidence and latest decision), one inserts the decision rows, one moves the
//! statuses — rather than four or more statements per request (docs/performance.md: 11,804
//! requests of a 1M store). What is written is what [`Store::decide`] and [`Store::undo`] write,
//! request by request.

use super::decisions::{Batch, decidable, insert_decisions, next_batch, undo_in};
use super::requests::set_statuses;
use super::rows::{FINDINGS_JSON, findings_from_json};
use super::{Result, Store, StoreError, sqlite_err, sync_journal, sync_record};
use crate::clock::now_stored;
use crate::model::{Answers, Status, Verdict};
use rusqlite::{Connection, Transaction};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// What a new decision row of a request takes from the store: its answers now, its evidence
/// now (JSON) and its latest decision.
struct Current {
    answers: String,
    evidence: String,
    latest: Option<i64>,
}

/// [`Current`] of each request of `items` (id and the status it was seen with), in that order;
/// `None` for one that cannot take `verdict` now (gone, decided elsewhere since it was seen,
/// closed, or given it already). One statement.
fn current_of(tx: &Connection, items: &[(i64, Status)], verdict: Verdict) -> rusqlite::Result<Vec<Option<Current>>> {
    let given = Value::from(items.iter().map(|(id, seen)| json!([id, seen.as_str()])).collect::<Vec<_>>());
    let sql = format!(
        "SELECT r.id IS NULL OR r.status IS NOT j.value ->> 1 OR r.status = ?2 \
           OR r.status IN ('connected', 'withdrawn', 'replaced'), \
           {FINDINGS_JSON}, r.message, (SELECT max(id) FROM decision WHERE request_id = r.id), \
           (SELECT json_group_array(json_array(a.item, a.value)) FROM answer a WHERE a.request_id = r.id) \
         FROM jsonb_each(?1) j LEFT JOIN request r ON r.id = j.value ->> 0 ORDER BY j.key"
    );
    tx.prepare_cached(&sql)?
        .query_map(rusqlite::params![given.to_string(), verdict.status().as_str()], |r| {
            if r.get(0)? {
                return Ok(None);
            }
            let evidence = findings_from_json(r.get_ref(1)?.as_str_or_null()?, r.get_ref(2)?.as_str()?);
            let pairs: Vec<(String, i64)> = serde_json::from_str(r.get_ref(4)?.as_str()?).unwrap_or_default();
            let answers: Answers = pairs.into_iter().map(|(item, value)| (item, value != 0)).collect();
            Ok(Some(Current {
                answers: serde_json::to_string(&answers).expect("a map of strings to bools serialises"),
                evidence: serde_json::to_string(&evidence).expect("findings serialise"),
                latest: r.get(3)?,
            }))
        })?
        .collect()
}

/// Refuses the batch as deciding its requests one by one would, at the first request that
/// cannot take `verdict` (`first`: the first [`current_of`] found, if any) or is given twice,
/// naming it.
fn refuse(
    tx: &Transaction<'_>,
    path: &Path,
    items: &[(i64, Status)],
    first: Option<usize>,
    verdict: Verdict,
) -> Result<()> {
    let mut seen_ids = HashSet::new();
    let twice = items.iter().position(|(id, _)| !seen_ids.insert(*id));
    let (at, again) = match (first, twice) {
        (Some(f), Some(t)) if t < f => (t, true),
        (Some(f), _) => (f, false),
        (None, Some(t)) => (t, true),
        (None, None) => return Ok(()),
    };
    let (id, seen) = items[at];
    let stale = |status: Status| -> Result<StoreError> {
        let name = tx
            .query_row("SELECT p.name FROM request r JOIN person p ON p.id = r.person_id WHERE r.id = ?1", [id], |r| {
                r.get(0)
            })
            .map_err(|e| sqlite_err(path, e))?;
        Ok(StoreError::BatchStale { id, name, status, seen })
    };
    // A request given twice: its first decision is made by then, the second meets it.
    if again {
        let now = verdict.status();
        return Err(if seen != now { stale(now)? } else { StoreError::AlreadyDecided { id, status: now } });
    }
    match decidable(tx, path, id, Some(seen), verdict) {
        Err(StoreError::Stale { status, .. }) => Err(stale(status)?),
        Err(e) => Err(e),
        Ok(()) => Err(StoreError::NoSuchRequest(id)), // found above, so not reached
    }
}

/// Records the decision rows of `batch` from `first` on as this device's sync events (a store
/// that syncs), in the order they were written.
fn record_rows(tx: &Connection, batch: i64, first: i64) -> rusqlite::Result<()> {
    if !sync_journal::syncs(tx)? {
        return Ok(());
    }
    let ids: Vec<i64> = tx
        .prepare_cached("SELECT id FROM decision WHERE batch = ?1 AND id >= ?2 ORDER BY id")?
        .query_map([batch, first], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.into_iter().try_for_each(|id| sync_record::record_decision(tx, id))
}

/// The next decision id (the first of rows about to be written).
fn next_id(tx: &Connection) -> rusqlite::Result<i64> {
    tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM decision", [], |r| r.get(0))
}

/// How many requests one statement of a batch reads or writes: the rows in flight (their
/// answers and evidence as JSON) stay a few MiB however big the batch. (Three in the tests, so
/// that their batches span chunks.)
#[cfg(not(test))]
const CHUNK: usize = 2_000;
#[cfg(test)]
const CHUNK: usize = 3;

/// New decision rows as [`insert_decisions`] and [`set_statuses`] take them, written as JSON text
/// as they are made.
#[derive(Default)]
struct Rows {
    decisions: String,
    statuses: String,
}

/// One new decision row: request, status, answers (JSON), supersedes, undo, defer_until,
/// evidence (JSON).
type Row<'a> = (i64, &'a str, &'a str, Option<i64>, bool, Option<&'a str>, &'a str);

impl Rows {
    fn push(&mut self, (request, status, answers, supersedes, undo, until, evidence): Row<'_>) {
        let sep = if self.decisions.is_empty() { '[' } else { ',' };
        let row = (request, status, answers, supersedes, i64::from(undo), until, evidence);
        self.decisions.push(sep);
        self.decisions.push_str(&serde_json::to_string(&row).expect("a row serialises"));
        self.statuses.push(sep);
        self.statuses.push_str(&serde_json::to_string(&(request, status, until)).expect("a row serialises"));
    }

    /// Writes the rows as decisions of `batch` with `reason`, and the statuses they give;
    /// returns their ids, in order.
    fn write(mut self, tx: &Transaction<'_>, reason: &str, batch: i64) -> rusqlite::Result<Vec<i64>> {
        if self.decisions.is_empty() {
            return Ok(Vec::new());
        }
        self.decisions.push(']');
        self.statuses.push(']');
        let first = next_id(tx)?;
        let n = insert_decisions(tx, &self.decisions, reason, &now_stored(), batch)?;
        set_statuses(tx, &self.statuses)?;
        record_rows(tx, batch, first)?;
        Ok((first..first + n as i64).collect())
    }
}

impl Store {
    /// Decides many requests at once, each shown with status `seen`: one transaction, all or
    /// nothing. Each request gets its own decision row with `reason`, its own stored checklist
    /// answers and the batch's id. Refused, with nothing written, when any request was decided
    /// elsewhere since it was selected ([`StoreError::BatchStale`], naming it) or cannot take
    /// this verdict.
    pub fn decide_batch(
        &mut self,
        items: &[(i64, Status)],
        verdict: Verdict,
        reason: &str,
        defer_until: Option<&str>,
    ) -> Result<Batch> {
        if items.is_empty() {
            return Err(StoreError::EmptyBatch);
        }
        if verdict == Verdict::Decline && reason.trim().is_empty() {
            return Err(StoreError::DeclineNeedsReason);
        }
        let until = if verdict == Verdict::Defer { defer_until } else { None };
        self.transact(|tx| {
            let (sql, path) = (tx.sql(), tx.path());
            let batch = next_batch(sql).map_err(|e| tx.err(e))?;
            let status = verdict.status().as_str();
            let mut decisions = Vec::with_capacity(items.len());
            // Chunk by chunk, in order: a request given again in a later chunk meets its
            // first decision, as it would one by one; a refusal rolls everything back.
            for chunk in items.chunks(CHUNK) {
                let current = current_of(sql, chunk, verdict).map_err(|e| tx.err(e))?;
                refuse(sql, path, chunk, current.iter().position(Option::is_none), verdict)?;
                let mut rows = Rows::default();
                for ((id, _), c) in chunk.iter().zip(current.iter().flatten()) {
                    rows.push((*id, status, &c.answers, c.latest, false, until, &c.evidence));
                }
                decisions.extend(rows.write(sql, reason.trim(), batch).map_err(|e| tx.err(e))?);
            }
            Ok(Batch { id: batch, decisions })
        })
    }

    /// Undoes every decision of batch `batch` as [`Store::undo`] does, in one transaction: all
    /// or nothing, refused when any request was decided again since (naming it). The undo rows
    /// carry the same batch id (marked `undo`), so the next batch takes the next number.
    /// Decisions of the batch undone already, or on requests an import has closed since, are
    /// left as they are. Returns how many were undone.
    ///
    /// A decision that is still its request's latest row, with the status it gave, and the
    /// batch's only one on that request, is undone with the others in one statement; any other
    /// (undone already, decided since, several in the batch) as [`Store::undo`] judges it.
    pub fn undo_batch(&mut self, batch: i64) -> Result<usize> {
        self.transact(|tx| {
            let (sql, path) = (tx.sql(), tx.path());
            let any: bool = sql
                .query_row("SELECT EXISTS (SELECT 1 FROM decision WHERE batch = ?1)", [batch], |r| r.get(0))
                .map_err(|e| tx.err(e))?;
            if !any {
                return Err(StoreError::NoSuchBatch(batch));
            }
            let (simple, others) = batch_split(sql, batch).map_err(|e| tx.err(e))?;
            let mut undone = 0;
            for id in others {
                match undo_in(sql, path, id, Some(batch)) {
                    Ok(_) => undone += 1,
                    Err(StoreError::NothingToUndo) => {}
                    Err(e) => return Err(e),
                }
            }
            for chunk in simple.chunks(CHUNK) {
                undone +=
                    undo_rows(sql, chunk).and_then(|rows| rows.write(sql, "undo", batch)).map_err(|e| tx.err(e))?.len();
            }
            if undone == 0 {
                return Err(StoreError::NothingToUndo);
            }
            Ok(undone)
        })
    }
}

/// The decisions of `batch` to undo, in id order: those simply undone (see
/// [`Store::undo_batch`]) and the others.
fn batch_split(tx: &Connection, batch: i64) -> rusqlite::Result<(Vec<i64>, Vec<i64>)> {
    let found: Vec<(i64, i64, bool)> = tx
        .prepare_cached(
            "SELECT d.id, d.request_id, d.id = (SELECT max(id) FROM decision WHERE request_id = d.request_id) \
               AND d.status = r.status \
             FROM decision d JOIN request r ON r.id = d.request_id WHERE d.batch = ?1 AND d.undo = 0 ORDER BY d.id",
        )?
        .query_map([batch], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    // A request with two decisions in the batch: each is judged on its own, in order.
    let mut per_request: HashMap<i64, usize> = HashMap::new();
    for (_, request_id, _) in &found {
        *per_request.entry(*request_id).or_default() += 1;
    }
    let (mut simple, mut others) = (Vec::new(), Vec::new());
    for (id, request_id, latest) in found {
        if latest && per_request[&request_id] == 1 { simple.push(id) } else { others.push(id) }
    }
    Ok((simple, others))
}

/// The undo rows of decisions `ids`, as `undo_in` appends them: the status before, the answers
/// the decision had (read again as a checklist), the request's evidence now.
fn undo_rows(tx: &Connection, ids: &[i64]) -> rusqlite::Result<Rows> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT d.id, d.request_id, d.answers, coalesce(p.status, 'pending'), p.defer_until, {FINDINGS_JSON}, r.message \
         FROM jsonb_each(?1) j JOIN decision d ON d.id = j.value JOIN request r ON r.id = d.request_id \
           LEFT JOIN decision p ON p.id = d.supersedes ORDER BY j.key"
    ))?;
    let mut found = stmt.query([Value::from(ids).to_string()])?;
    let mut rows = Rows::default();
    while let Some(r) = found.next()? {
        let answers: Answers = serde_json::from_str(r.get_ref(2)?.as_str()?).unwrap_or_default();
        let before: &str = r.get_ref(3)?.as_str()?;
        let until = if before == "deferred" { r.get_ref(4)?.as_str_or_null()? } else { None };
        let evidence = findings_from_json(r.get_ref(5)?.as_str_or_null()?, r.get_ref(6)?.as_str()?);
        let answers = serde_json::to_string(&answers).expect("a map of strings to bools serialises");
        let evidence = serde_json::to_string(&evidence).expect("findings serialise");
        rows.push((r.get(1)?, before, &answers, Some(r.get(0)?), true, until, &evidence));
    }
    Ok(rows)
}

#[cfg(test)]
#[path = "batches_tests.rs"]
mod tests;
