//! The search indexes and their state: `request_fts` (name, headline, message, notes of each
//! request; rowid = request id) and `reason_fts` (decision reasons; rowid = decision id), both
//! trigram FTS5, and the `review_state` rows that say how far each has caught up.
//!
//! The indexes are caught up incrementally, never by triggers (imports stay fast): every row
//! with an id above a stored watermark is indexed in small batches, and rows above the
//! watermark are searched with `LIKE` until then.

use super::{Result, Store, sqlite_err};
use rusqlite::{OptionalExtension, Transaction, params};

/// The part of a search query the queue needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    pub text: String,
}

impl Search {
    pub(super) fn fts_phrase(&self) -> String {
        format!("\"{}\"", self.text.replace('"', "\"\""))
    }

    pub(super) fn like(&self) -> String {
        let mut out = String::from("%");
        for c in self.text.chars() {
            if matches!(c, '%' | '_' | '\\') {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('%');
        out
    }
}

const FTS_WATERMARK: &str = "fts_watermark";
pub(super) const FTS_NOTES_AT: &str = "fts_notes_at";

pub(super) fn state(tx: &rusqlite::Connection, key: &str) -> rusqlite::Result<Option<String>> {
    tx.prepare_cached("SELECT value FROM review_state WHERE key = ?1")?.query_row([key], |r| r.get(0)).optional()
}

pub(super) fn set_state(tx: &Transaction<'_>, key: &str, value: &str) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO review_state (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key, value])?;
    Ok(())
}

pub(super) fn watermark(conn: &rusqlite::Connection) -> rusqlite::Result<i64> {
    Ok(state(conn, FTS_WATERMARK)?.and_then(|v| v.parse().ok()).unwrap_or(0))
}

const FTS_SELECT: &str = "SELECT r.id, p.name, trim(coalesce(p.headline, '') || ' ' || coalesce(p.company, '')), \
     r.message, coalesce(n.body, '') FROM request r JOIN person p ON p.id = r.person_id \
     LEFT JOIN note n ON n.person_id = r.person_id";

/// Re-indexes every indexed request of a person (after their notes changed).
pub(super) fn reindex_person(tx: &Transaction<'_>, person_id: i64, wm: i64) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "DELETE FROM request_fts WHERE rowid IN (SELECT id FROM request WHERE person_id = ?1 AND id <= ?2)",
    )?
    .execute(params![person_id, wm])?;
    tx.prepare_cached(&format!(
        "INSERT INTO request_fts (rowid, name, headline, message, notes) {FTS_SELECT} \
         WHERE r.person_id = ?1 AND r.id <= ?2"
    ))?
    .execute(params![person_id, wm])?;
    Ok(())
}

const REASON_WATERMARK: &str = "fts_reason_watermark";

pub(super) fn reason_watermark(conn: &rusqlite::Connection) -> rusqlite::Result<i64> {
    Ok(state(conn, REASON_WATERMARK)?.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// Indexes the reasons of decisions `from < id <= upto` and moves the watermark.
pub(super) fn index_reasons(tx: &Transaction<'_>, from: i64, upto: i64) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO reason_fts (rowid, reason, status) SELECT id, reason, substr(status, 1, 3) FROM decision \
         WHERE id > ?1 AND id <= ?2",
    )?
    .execute([from, upto])?;
    set_state(tx, REASON_WATERMARK, &upto.to_string())
}

impl Store {
    /// Indexes up to `batch` requests not yet in the search index, in one transaction, and
    /// catches up notes changed outside the app. Returns true when more remain.
    ///
    /// Never waits for another process's write lock: when the store is busy it returns
    /// [`StoreError::Busy`](super::StoreError::Busy) at once (the caller tries again later).
    pub fn search_index_step(&mut self, batch: usize) -> Result<bool> {
        self.conn.busy_timeout(std::time::Duration::ZERO).map_err(|e| self.err(e))?;
        let result = self.search_index_step_now(batch);
        self.conn.busy_timeout(super::BUSY_TIMEOUT).map_err(|e| self.err(e))?;
        result
    }

    fn search_index_step_now(&mut self, batch: usize) -> Result<bool> {
        let path = self.path.clone();
        let e = |err| sqlite_err(&path, err);
        let max_id: i64 =
            self.conn.query_row("SELECT coalesce(max(id), 0) FROM request", [], |r| r.get(0)).map_err(e)?;
        let wm = watermark(&self.conn).map_err(e)?;
        let notes_at = state(&self.conn, FTS_NOTES_AT).map_err(e)?.unwrap_or_default();
        let changed_notes: Option<String> = self
            .conn
            .query_row("SELECT max(updated_at) FROM note WHERE updated_at > ?1", [&notes_at], |r| r.get(0))
            .map_err(e)?;
        let max_decision: i64 =
            self.conn.query_row("SELECT coalesce(max(id), 0) FROM decision", [], |r| r.get(0)).map_err(e)?;
        let reason_wm = reason_watermark(&self.conn).map_err(e)?;
        if wm >= max_id && changed_notes.is_none() && reason_wm >= max_decision {
            return Ok(false);
        }
        let tx = self.write()?;
        if let Some(latest) = changed_notes {
            let people: Vec<i64> = tx
                .prepare("SELECT person_id FROM note WHERE updated_at > ?1")
                .and_then(|mut s| s.query_map([&notes_at], |r| r.get(0))?.collect())
                .map_err(e)?;
            for person in people {
                reindex_person(&tx, person, wm).map_err(e)?;
            }
            set_state(&tx, FTS_NOTES_AT, &latest).map_err(e)?;
        }
        // Ids are dense in practice; a gap only makes a batch smaller.
        let upto = max_id.min(wm.saturating_add(batch as i64));
        if upto > wm {
            tx.prepare_cached(&format!(
                "INSERT INTO request_fts (rowid, name, headline, message, notes) {FTS_SELECT} \
                 WHERE r.id > ?1 AND r.id <= ?2"
            ))
            .and_then(|mut s| s.execute(params![wm, upto]))
            .map_err(e)?;
            set_state(&tx, FTS_WATERMARK, &upto.to_string()).map_err(e)?;
        }
        let reasons_upto = max_decision.min(reason_wm.saturating_add(batch as i64));
        if reasons_upto > reason_wm {
            index_reasons(&tx, reason_wm, reasons_upto).map_err(e)?;
        }
        tx.commit().map_err(e)?;
        Ok(upto < max_id || reasons_upto < max_decision)
    }

    /// How many requests are not in the search index yet.
    pub fn search_index_backlog(&self) -> Result<i64> {
        let wm = watermark(&self.conn).map_err(|e| self.err(e))?;
        self.conn
            .query_row("SELECT coalesce(max(id), 0) - ?1 FROM request", [wm], |r| r.get::<_, i64>(0))
            .map(|n| n.max(0))
            .map_err(|e| self.err(e))
    }
}
