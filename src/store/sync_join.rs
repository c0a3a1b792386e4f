//! A device joining a sync folder with a store that holds no request yet: every segment of
//! the folder applied in one transaction, as a bulk write (`bulk.rs`: the indexes that take
//! random inserts built once at the end, a rollback journal rather than the WAL), then the
//! evidence of what they brought, weighed in the same transaction. All of it or nothing, as
//! one segment at a time is; the memory held is one segment's events.

use super::bulk::{self, Deferred};
use super::evidence_fresh::Evaluated;
use super::people::PersonIndex;
use super::sync_apply::{Applied, apply_all};
use super::{Result, Store, StoreError, sqlite_err, sync_journal};
use crate::checklist::Checklist;
use crate::evidence::Phrases;
use crate::sync::crypt::SyncKey;
use crate::sync::event::Event;
use crate::sync::plan::Position;
use rusqlite::Transaction;
use std::path::PathBuf;

/// The one transaction of a join, and what it applied.
pub struct SyncBatch<'s> {
    tx: Transaction<'s>,
    path: PathBuf,
    checklist: &'s Checklist,
    forgotten: u64,
}

impl Store {
    /// Whether the store holds no request: a join applies the folder through [`Store::sync_batch`].
    pub fn holds_no_request(&self) -> Result<bool> {
        bulk::holds_no_request(&self.conn).map_err(|e| self.err(e))
    }

    /// Runs `apply` on one transaction for many segments (a store joining a folder), committed
    /// when it succeeds; the indexes a bulk write defers are built before.
    pub fn sync_batch<T, E: From<StoreError>>(
        &mut self,
        checklist: &Checklist,
        apply: impl FnOnce(&mut SyncBatch<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        // A forget among the segments erases what an earlier one brought: its bytes too.
        self.conn.execute_batch("PRAGMA secure_delete = ON; PRAGMA cache_size = -32768").map_err(|e| self.err(e))?;
        let rollback_journal = bulk::rollback_journal(&self.conn).map_err(|e| self.err(e))?;
        let done = self.batch_in_transaction(checklist, apply);
        if rollback_journal {
            bulk::back_to_wal(&self.conn);
        }
        let _ = self.conn.execute_batch("PRAGMA secure_delete = OFF");
        let (done, forgotten) = done?;
        if forgotten > 0 {
            let _ = self.scrub_and_mark();
        }
        Ok(done)
    }

    fn batch_in_transaction<T, E: From<StoreError>>(
        &mut self,
        checklist: &Checklist,
        apply: impl FnOnce(&mut SyncBatch<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<(T, u64), E> {
        let path = self.path.clone();
        let tx = self.write()?;
        // The key index stays: every event finds its person by key.
        let mut deferred =
            Deferred::drop_indexes(&tx, &mut PersonIndex::Sql, false).map_err(|e| sqlite_err(&path, e))?;
        let mut batch = SyncBatch { tx, path: path.clone(), checklist, forgotten: 0 };
        let done = apply(&mut batch)?;
        let SyncBatch { tx, forgotten, .. } = batch;
        deferred.build(&tx, &mut PersonIndex::Sql).map_err(|e| sqlite_err(&path, e))?;
        tx.commit().map_err(|e| sqlite_err(&path, e))?;
        Ok((done, forgotten))
    }
}

impl SyncBatch<'_> {
    /// Applies the events of segment `position` of `device` and records the new position (see
    /// [`Store::sync_apply`]).
    pub fn apply(&mut self, key: &SyncKey, device: &str, position: Position, events: &[Event]) -> Result<Applied> {
        let done = apply_all(&self.tx, &self.path, key, events, self.checklist)?;
        sync_journal::set_position(&self.tx, device, &position).map_err(|e| sqlite_err(&self.path, e))?;
        self.forgotten += done.forgotten;
        Ok(done)
    }

    /// The evidence of the requests after `after` (those the segments brought), weighed with
    /// `phrases`; `progress(done, total)` after each step.
    pub fn evaluate_after(
        &mut self,
        after: i64,
        phrases: &Phrases,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<Evaluated> {
        super::evidence_pass::pass_after(&self.tx, after, phrases, self.checklist, progress)
            .map_err(|e| sqlite_err(&self.path, e))
    }
}
