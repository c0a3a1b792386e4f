//! Where importers put what they read. [`Store::import`] opens one write transaction for the
//! whole import and hands the importer an [`ImportSink`]: the importer parses and decides, the
//! sink writes (through the same writers as the rest of the store) and answers the questions
//! an importer asks of what is stored. An import lands whole or not at all.

use super::bulk::{self, Deferred};
use super::connections::{ConnectionIndex, Match, connection_row};
use super::evidence_kept::KeptRows;
use super::people::PersonIndex;
use super::requests::{
    UpsertOutcome, Upserted, mark_connected, people_like, set_status, upsert, waiting_people_with_urls,
};
use super::{Result, Store, StoreError, sqlite_err};
use crate::checklist::Checklist;
use crate::clock::now_stored;
use crate::model::{NewRequest, Status, name_key};
use rusqlite::{OptionalExtension, Transaction, params};
use std::path::PathBuf;

/// One import's write transaction, and what it keeps in memory while it runs.
pub struct ImportSink<'s> {
    pub(super) tx: Transaction<'s>,
    path: PathBuf,
    run: i64,
    pub(super) was_empty: bool,
    /// The greatest request id before this import: its new requests come after.
    pub(super) max_id_before: i64,
    /// This import read connections into a store that held requests (notes may name them).
    pub(super) connections_added: bool,
    /// The user's outgoing invitations this import added (URL, name as compared).
    pub(super) outgoing: Vec<(Option<String>, String)>,
    /// Requests stored before this import that it gave the note they lacked (weighed again).
    pub(super) enriched: Vec<i64>,
    /// The new rows the evidence pass will weigh, kept as they arrive.
    pub(super) kept: KeptRows,
    people: PersonIndex,
    /// Every connection the store knows, this import's included.
    connections: ConnectionIndex,
    /// Restored checklist answers, and the evidence, are ranked by it.
    pub(super) checklist: &'s Checklist,
    report: Option<String>,
    /// The store syncs: what the import writes is recorded for the other devices (looked up
    /// once, so an import into a store that does not sync pays nothing per row).
    syncs: bool,
    /// The sync key, when the store syncs and a forget left marks (see `forgotten_everywhere`).
    forget_key: Option<crate::sync::SyncKey>,
    /// New requests so far, and how many make the rest a bulk write (0: from the first).
    added: u64,
    bulk_after: u64,
    /// Requests read so far, and how many the source is guessed to hold (`bulk::bulk_now`).
    seen: u64,
    expected: u64,
    /// The indexes dropped while the rows go in.
    deferred: Deferred,
}

/// What an import starts from: where it reads, and how.
#[derive(Debug, Clone, Copy)]
pub struct ImportRun<'a> {
    /// The file or folder, as the user named it.
    pub source: &'a str,
    /// What was found there (kept with the run).
    pub kind: &'a str,
    /// Rolled back at the end, whatever was written.
    pub dry_run: bool,
    /// About how many bytes of rows it holds (0: unknown): a big import into a store that
    /// holds requests turns to bulk writing early, and takes the rollback journal.
    pub bytes: u64,
}

impl Store {
    /// Runs one import: `feed` reads its source into the sink, in one transaction that is
    /// committed when `feed` succeeds (rolled back on an error, or for a dry run).
    ///
    /// The indexes that would take random inserts are dropped and built once the rows are in
    /// (`bulk.rs`): into an empty store from the first row, into a store that held requests
    /// once the import has added a tenth of them (or a sample of that, all new, from a source
    /// big enough: `bulk::bulk_now`). A real import into an empty store, or of a source that
    /// big, writes through a rollback journal rather than the WAL (`bulk::rollback_journal`;
    /// only when no other connection is open: one arriving meanwhile waits for the commit).
    pub fn import<T, E: From<StoreError>>(
        &mut self,
        run: ImportRun<'_>,
        checklist: &Checklist,
        feed: impl FnOnce(&mut ImportSink<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        // A larger page cache for the import's one big transaction (bounded: 32 MiB), and no
        // per-row foreign-key lookups: the importer only links rows it has just read or written.
        self.conn.execute_batch("PRAGMA cache_size = -32768; PRAGMA foreign_keys = OFF").map_err(|e| self.err(e))?;
        let empty = bulk::holds_no_request(&self.conn).map_err(|e| self.err(e))?;
        let big = bulk::big(run.bytes, bulk::bulk_after(self.last_request_id()?));
        let rollback_journal =
            !run.dry_run && (empty || big) && bulk::rollback_journal(&self.conn).map_err(|e| self.err(e))?;
        let result = self.import_in_transaction(run, checklist, feed);
        if rollback_journal {
            bulk::back_to_wal(&self.conn);
        }
        self.conn.execute_batch("PRAGMA foreign_keys = ON").map_err(|e| self.err(e))?;
        result
    }

    fn import_in_transaction<T, E: From<StoreError>>(
        &mut self,
        run: ImportRun<'_>,
        checklist: &Checklist,
        feed: impl FnOnce(&mut ImportSink<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let path = self.path.clone();
        let sql = |e| sqlite_err(&path, e);
        let tx = self.write()?;
        tx.execute(
            "INSERT INTO import_run (source, kind, started_at) VALUES (?1, ?2, ?3)",
            params![run.source, run.kind, now_stored()],
        )
        .map_err(sql)?;
        let run_id = tx.last_insert_rowid();
        let was_empty = bulk::holds_no_request(&tx).map_err(sql)?;
        let mut people = PersonIndex::Sql;
        let deferred =
            if was_empty { Deferred::drop_indexes(&tx, &mut people, true).map_err(sql)? } else { Deferred::default() };
        let connections = ConnectionIndex::load(&tx).map_err(sql)?;
        let syncs = super::sync_journal::syncs(&tx).map_err(sql)?;
        let forget_key = if syncs { super::sync_apply::forget_key(&tx).map_err(sql)? } else { None };
        let max_id_before: i64 =
            tx.query_row("SELECT coalesce(max(id), 0) FROM request", [], |r| r.get(0)).map_err(sql)?;
        let mut kept = KeptRows::default();
        // With invitations of the user's own, a silent row may answer one: the pass reads the
        // new rows back, so keeping them would only cost memory.
        if tx.query_row("SELECT EXISTS (SELECT 1 FROM outgoing_invitation)", [], |r| r.get(0)).map_err(sql)? {
            kept.give_up();
        }
        let mut sink = ImportSink {
            tx,
            path: path.clone(),
            run: run_id,
            was_empty,
            max_id_before,
            connections_added: false,
            outgoing: Vec::new(),
            enriched: Vec::new(),
            kept,
            people,
            connections,
            checklist,
            report: None,
            syncs,
            forget_key,
            added: 0,
            bulk_after: if was_empty { 0 } else { bulk::bulk_after(max_id_before) },
            seen: 0,
            expected: run.bytes / bulk::ROW_BYTES,
            deferred,
        };
        let fed = feed(&mut sink)?;
        sink.build_deferred()?;
        let ImportSink { tx, report, .. } = sink;
        if let Some(report) = report {
            tx.execute("UPDATE import_run SET report = ?2 WHERE id = ?1", params![run_id, report]).map_err(sql)?;
        }
        if run.dry_run { tx.rollback() } else { tx.commit() }.map_err(sql)?;
        Ok(fed)
    }
}

impl ImportSink<'_> {
    /// Every row of the import is in: the indexes dropped for a bulk write are built again
    /// (the work across rows that follows looks things up through them). An import into an
    /// empty store keeps them dropped through its evidence pass, and builds them at the end.
    pub fn rows_in(&mut self) -> Result<()> {
        if self.was_empty { Ok(()) } else { self.build_deferred() }
    }

    fn build_deferred(&mut self) -> Result<()> {
        if !self.deferred.is_empty() {
            self.deferred.build(&self.tx, &mut self.people).map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    pub(super) fn err(&self, source: rusqlite::Error) -> StoreError {
        sqlite_err(&self.path, source)
    }

    /// The store held no request when this import began.
    /// Whether a forget's tombstone (this device's or another's) marks the sender: every
    /// device drops their events, so the import leaves them out. False when the store does
    /// not sync.
    pub fn forgotten_everywhere(&self, req: &NewRequest) -> Result<bool> {
        let Some(key) = &self.forget_key else { return Ok(false) };
        super::sync_apply::is_marked(&self.tx, key, &req.person_key()).map_err(|e| sqlite_err(&self.path, e))
    }

    pub fn was_empty(&self) -> bool {
        self.was_empty
    }

    /// Keeps the import's report (as JSON) with its run.
    pub fn save_report(&mut self, json: String) {
        self.report = Some(json);
    }

    /// Whether a sender is one of the user's connections (those stored before, and those
    /// this import read). `sent_at`, the invitation's time, tells namesakes apart.
    pub fn find_connection(&self, url: Option<&str>, name: &str, sent_at: Option<&str>) -> Match {
        if self.connections.is_empty() {
            Match::NotConnected
        } else {
            self.connections.find(url, &name_key(name), sent_at.filter(|s| !s.is_empty()))
        }
    }

    /// When a person's newest request waiting for a decision was sent, if known.
    pub fn newest_pending_sent_at(&self, person_id: i64) -> Result<Option<String>> {
        self.tx
            .prepare_cached(
                "SELECT sent_at FROM request WHERE person_id = ?1 AND status = 'pending' AND sent_at != '' \
                 ORDER BY sent_at DESC LIMIT 1",
            )
            .and_then(|mut s| s.query_row([person_id], |r| r.get(0)).optional())
            .map_err(|e| self.err(e))
    }

    /// Stores one incoming request (see `requests::upsert`); `connected`: its sender is one of
    /// the user's connections.
    pub fn upsert_request(&mut self, req: &NewRequest, connected: bool) -> Result<Upserted> {
        let done = upsert(&self.tx, req, connected, Some(self.run), &mut self.people)
            .map_err(|e| sqlite_err(&self.path, e))?;
        self.seen += 1;
        self.kept.upserted(&done, req, self.max_id_before);
        if matches!(done.outcome, UpsertOutcome::New | UpsertOutcome::AskedAgain | UpsertOutcome::AlreadyConnected) {
            self.added += 1;
            let now = bulk::bulk_now(self.added, self.seen, self.expected, self.bulk_after);
            if now && self.deferred.is_empty() && !self.was_empty {
                self.deferred = Deferred::drop_indexes(&self.tx, &mut self.people, true).map_err(|e| self.err(e))?;
            }
        }
        if done.outcome == UpsertOutcome::Enriched && done.request_id <= self.max_id_before {
            self.enriched.push(done.request_id);
        }
        if self.syncs && done.outcome != super::UpsertOutcome::Unchanged {
            super::sync_record::record_request(&self.tx, done.request_id, req.notes.is_some(), done.person_id)
                .map_err(|e| sqlite_err(&self.path, e))?;
            if matches!(done.outcome, super::UpsertOutcome::AlreadyConnected | super::UpsertOutcome::CameBack) {
                self.record_status(&[done.request_id])?;
            }
        }
        Ok(done)
    }

    /// Stores one row of Connections.csv, and finds its later requests by it.
    pub fn add_connection(&mut self, url: Option<&str>, name: &str, connected_on: &str) -> Result<()> {
        self.connections_added |= !self.was_empty;
        connection_row(&self.tx, &mut self.connections, url, name, connected_on).map_err(|e| sqlite_err(&self.path, e))
    }

    /// Adds a hint (a `hints` key) to a request.
    pub fn add_hint(&self, request_id: i64, hint: &str) -> Result<()> {
        self.tx
            .prepare_cached(
                "UPDATE request SET hints = CASE hints WHEN '' THEN ?2 ELSE hints || ',' || ?2 END WHERE id = ?1",
            )
            .and_then(|mut s| s.execute(params![request_id, hint]))
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// People with a profile URL and a request waiting for a decision, each as (id, profile
    /// URL, name).
    pub fn waiting_people_with_urls(&self) -> Result<Vec<(i64, Option<String>, String)>> {
        waiting_people_with_urls(&self.tx).map_err(|e| self.err(e))
    }

    /// The people a connection row may be, each as (id, profile URL, name).
    pub fn people_like(&self, url: Option<&str>, name_key: &str) -> Result<Vec<(i64, Option<String>, String)>> {
        people_like(&self.tx, url, name_key).map_err(|e| self.err(e))
    }

    /// Marks a person as a connection since `connected_on`; returns their requests that were
    /// waiting for a decision (now `connected`), and their accepted requests whose to-do this
    /// closed (carried out on LinkedIn).
    pub fn mark_connected(&self, person_id: i64, connected_on: &str) -> Result<(Vec<i64>, Vec<i64>)> {
        if self.syncs {
            super::sync_record::record_connected(&self.tx, person_id, connected_on).map_err(|e| self.err(e))?;
        }
        let (waiting, accepted): (Vec<i64>, Vec<i64>) = mark_connected(&self.tx, person_id, connected_on)
            .map(|c| (c.waiting.into_iter().map(|(id, _)| id).collect(), c.accepted))
            .map_err(|e| self.err(e))?;
        self.record_status(&waiting)?;
        self.record_done(&accepted)?;
        Ok((waiting, accepted))
    }

    /// What this import set for sync: the statuses it gave requests (store that syncs only).
    fn record_status(&self, ids: &[i64]) -> Result<()> {
        if self.syncs {
            for id in ids {
                super::sync_record::record_status(&self.tx, *id).map_err(|e| self.err(e))?;
            }
        }
        Ok(())
    }

    /// What this import set for sync: To do items it found carried out.
    fn record_done(&self, ids: &[i64]) -> Result<()> {
        if self.syncs {
            for id in ids {
                super::sync_record::record_todo(&self.tx, *id, true).map_err(|e| self.err(e))?;
            }
        }
        Ok(())
    }

    /// A newer request of a person arrived (`request_id`): the to-do items of their older
    /// requests close (LinkedIn shows the newer invitation only; it is the one to decide).
    /// Returns those requests.
    pub fn close_older_to_do(&self, person_id: i64, request_id: i64) -> Result<Vec<i64>> {
        self.tx
            .prepare_cached(
                "UPDATE request SET done_on_linkedin = ?3 WHERE person_id = ?1 AND id != ?2 \
                   AND source = 'linkedin' AND done_on_linkedin IS NULL \
                   AND (status = 'accepted' OR status = 'declined') \
                   AND sent_at < (SELECT sent_at FROM request WHERE id = ?2) RETURNING id",
            )
            .and_then(|mut s| s.query_map(params![person_id, request_id, now_stored()], |r| r.get(0))?.collect())
            .map_err(|e| self.err(e))
            .and_then(|ids: Vec<i64>| self.record_done(&ids).map(|()| ids))
    }

    /// Declined LinkedIn requests still to ignore, sent before the day of `start`, that no
    /// export has yet been found to lack; each as (id, sender's name).
    pub fn to_ignore_sent_before(&self, start: &str) -> Result<Vec<(i64, String)>> {
        self.tx
            .prepare_cached(
                "SELECT r.id, p.name FROM request r JOIN person p ON p.id = r.person_id \
                 WHERE r.source = 'linkedin' AND r.status = 'declined' AND r.done_on_linkedin IS NULL \
                 AND r.not_listed IS NULL AND r.sent_at != '' AND substr(r.sent_at, 1, 10) < substr(?1, 1, 10)",
            )
            .and_then(|mut s| s.query_map([start], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
            .map_err(|e| self.err(e))
    }

    /// A declined request older than everything a newer whole export holds: LinkedIn no
    /// longer lists it (`day`: that export's newest invitation). It stays on To do, said so.
    pub fn mark_not_listed(&self, request_id: i64, day: &str) -> Result<()> {
        self.tx
            .prepare_cached("UPDATE request SET not_listed = ?2 WHERE id = ?1")
            .and_then(|mut s| s.execute(params![request_id, day.get(..10).unwrap_or(day)]))
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// How many requests wait for a decision, and how many decisions wait to be carried out on
    /// LinkedIn, as this import leaves them.
    pub fn pending_and_to_do(&self) -> Result<(u64, u64)> {
        self.tx
            .query_row(
                &format!(
                    "SELECT (SELECT count(*) FROM request WHERE status = 'pending'), \
                     (SELECT count(*) FROM request r WHERE {})",
                    super::todo::TODO
                ),
                [],
                |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64)),
            )
            .map_err(|e| self.err(e))
    }

    /// A person's requests waiting for a decision.
    pub fn pending_requests_of(&self, person_id: i64) -> Result<Vec<i64>> {
        self.tx
            .prepare_cached("SELECT id FROM request WHERE person_id = ?1 AND status = 'pending'")
            .and_then(|mut s| s.query_map([person_id], |r| r.get(0))?.collect())
            .map_err(|e| self.err(e))
    }

    /// Whether an earlier import that read Connections.csv found `request` pending.
    pub fn checked_against_connections(&self, request: i64) -> Result<bool> {
        self.tx
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM import_run k, request r WHERE r.id = ?1 AND k.id < ?2 \
                   AND (k.id >= r.import_run OR (r.import_run IS NULL AND k.started_at >= r.added_at)) \
                   AND json_extract(k.report, '$.connections_read') > 0)",
            )
            .and_then(|mut s| s.query_row(params![request, self.run], |r| r.get(0)))
            .map_err(|e| self.err(e))
    }

    /// The sender's name of a request.
    pub fn name_of(&self, request: i64) -> Result<String> {
        self.tx
            .prepare_cached("SELECT p.name FROM request r JOIN person p ON p.id = r.person_id WHERE r.id = ?1")
            .and_then(|mut s| s.query_row([request], |r| r.get(0)))
            .map_err(|e| self.err(e))
    }

    /// Keeps a person's newest pending request in the queue; the older ones are replaced by
    /// it. Returns those.
    pub fn keep_newest_pending(&self, person_id: i64) -> Result<Vec<i64>> {
        let older = || -> rusqlite::Result<Vec<i64>> {
            let ids: Vec<i64> = self
                .tx
                .prepare_cached(
                    "SELECT id FROM request WHERE person_id = ?1 AND status = 'pending' AND id != \
                       (SELECT id FROM request WHERE person_id = ?1 AND status = 'pending' \
                        ORDER BY sent_at DESC, id DESC LIMIT 1)",
                )?
                .query_map([person_id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for id in &ids {
                set_status(&self.tx, *id, Status::Replaced, None)?;
            }
            Ok(ids)
        };
        let ids = older().map_err(|e| self.err(e))?;
        self.record_status(&ids)?;
        Ok(ids)
    }

    /// LinkedIn requests with `status` sent between the days of `start` and `end`
    /// (inclusive), each as (id, sender's name); `to_do`: only those not yet carried out on
    /// LinkedIn.
    pub fn linkedin_requests_sent_between(
        &self,
        status: Status,
        to_do: bool,
        start: &str,
        end: &str,
    ) -> Result<Vec<(i64, String)>> {
        let sql = format!(
            "SELECT r.id, p.name FROM request r JOIN person p ON p.id = r.person_id \
             WHERE r.source = 'linkedin' AND r.status = '{}' \
             AND substr(r.sent_at, 1, 10) BETWEEN substr(?1, 1, 10) AND substr(?2, 1, 10){}",
            status.as_str(),
            if to_do { " AND r.done_on_linkedin IS NULL" } else { "" }
        );
        self.tx
            .prepare_cached(&sql)
            .and_then(|mut s| s.query_map([start, end], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
            .map_err(|e| self.err(e))
    }

    /// The send time of the newest LinkedIn invitation the store holds (before this import's
    /// rows, when asked first): how new the newest export imported so far is.
    pub fn newest_linkedin_sent_at(&self) -> Result<Option<String>> {
        self.tx
            .query_row("SELECT max(sent_at) FROM request WHERE source = 'linkedin' AND sent_at <> ''", [], |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    /// A pending request that a newer export no longer lists: withdrawn (or ignored) on
    /// LinkedIn.
    pub fn withdraw(&self, request_id: i64) -> Result<()> {
        set_status(&self.tx, request_id, Status::Withdrawn, None).map_err(|e| self.err(e))?;
        self.record_status(&[request_id])
    }

    /// A declined request that a newer export no longer lists: ignored on LinkedIn, so its
    /// to-do item is done.
    pub fn mark_ignored_on_linkedin(&self, request_id: i64) -> Result<()> {
        self.tx
            .prepare_cached("UPDATE request SET done_on_linkedin = ?2 WHERE id = ?1")
            .and_then(|mut s| s.execute(params![request_id, now_stored()]))
            .map(|_| ())
            .map_err(|e| self.err(e))?;
        self.record_done(&[request_id])
    }
}
