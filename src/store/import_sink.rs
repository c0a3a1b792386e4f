//! Where importers put what they read. [`Store::import`] opens one write transaction for the
//! whole import and hands the importer an [`ImportSink`]: the importer parses and decides, the
//! sink writes (through the same writers as the rest of the store) and answers the questions
//! an importer asks of what is stored. An import lands whole or not at all.

use super::answers::write_answers;
use super::connections::{ConnectionIndex, Match, connection_row, derive_from_people};
use super::decisions::{NewDecision, insert_decision};
use super::notes::write_note;
use super::people::PersonIndex;
use super::records::{AnswerRecord, ConnectionRecord, DecisionRecord, PersonRecord, RequestRecord};
use super::requests::{Upserted, mark_connected, people_like, set_status, upsert, waiting_people_with_urls};
use super::{BUSY_TIMEOUT, Result, Store, StoreError, schema, sqlite_err};
use crate::checklist::Checklist;
use crate::clock::now_stored;
use crate::model::{NewRequest, Status, name_key};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
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
    people: PersonIndex,
    /// Every connection the store knows, this import's included.
    connections: ConnectionIndex,
    /// Restored checklist answers, and the evidence, are ranked by it.
    pub(super) checklist: &'s Checklist,
    report: Option<String>,
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
}

impl Store {
    /// Runs one import: `feed` reads its source into the sink, in one transaction that is
    /// committed when `feed` succeeds (rolled back on an error, or for a dry run).
    ///
    /// Into an empty store the indexes that would take random inserts are built once at the
    /// end (a sort, several times faster than row by row), and a real import writes through a
    /// rollback journal rather than the WAL (see `rollback_journal_for_bulk`).
    pub fn import<T, E: From<StoreError>>(
        &mut self,
        run: ImportRun<'_>,
        checklist: &Checklist,
        feed: impl FnOnce(&mut ImportSink<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        // A larger page cache for the import's one big transaction (bounded: 32 MiB), and no
        // per-row foreign-key lookups: the importer only links rows it has just read or written.
        self.conn.execute_batch("PRAGMA cache_size = -32768; PRAGMA foreign_keys = OFF").map_err(|e| self.err(e))?;
        let rollback_journal = self.rollback_journal_for_bulk(run.dry_run).map_err(|e| self.err(e))?;
        let result = self.import_in_transaction(run, checklist, feed);
        if rollback_journal {
            // Back to WAL for everything else. Should another process hold the store now, this
            // process is done anyway: the next open switches it back.
            let _ = self.conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()));
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
        let was_empty = holds_no_request(&tx).map_err(sql)?;
        let mut deferred_indexes: Vec<String> = Vec::new();
        if was_empty {
            for name in schema::BULK_DEFERRED_INDEXES {
                let create: String = tx
                    .query_row("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?1", [name], |r| r.get(0))
                    .map_err(sql)?;
                tx.execute_batch(&format!("DROP INDEX {name}")).map_err(sql)?;
                deferred_indexes.push(create);
            }
        }
        let connections = ConnectionIndex::load(&tx).map_err(sql)?;
        let people = if was_empty { PersonIndex::bulk() } else { PersonIndex::Sql };
        let max_id_before: i64 =
            tx.query_row("SELECT coalesce(max(id), 0) FROM request", [], |r| r.get(0)).map_err(sql)?;
        let mut sink = ImportSink {
            tx,
            path: path.clone(),
            run: run_id,
            was_empty,
            max_id_before,
            connections_added: false,
            outgoing: Vec::new(),
            people,
            connections,
            checklist,
            report: None,
        };
        let fed = feed(&mut sink)?;
        let ImportSink { tx, report, .. } = sink;
        for create in &deferred_indexes {
            // One may be back already (a bulk import past its map of people).
            let create = create.replacen(" INDEX ", " INDEX IF NOT EXISTS ", 1);
            tx.execute_batch(&create).map_err(sql)?;
        }
        if let Some(report) = report {
            tx.execute("UPDATE import_run SET report = ?2 WHERE id = ?1", params![run_id, report]).map_err(sql)?;
        }
        if run.dry_run { tx.rollback() } else { tx.commit() }.map_err(sql)?;
        Ok(fed)
    }

    /// For a real import into an empty store: switches to a rollback journal, in which the new
    /// pages go straight into the database file (in WAL mode they are written to the WAL and
    /// then copied again at the checkpoint: a whole store written twice). Still one atomic,
    /// durable transaction (a kill leaves a hot journal that the next open rolls back). Only
    /// possible when no other connection is open; then it returns false and the import stays
    /// in WAL mode.
    fn rollback_journal_for_bulk(&self, dry_run: bool) -> rusqlite::Result<bool> {
        if dry_run || !holds_no_request(&self.conn)? {
            return Ok(false);
        }
        // Another process would make the switch wait for the busy timeout: ask once.
        self.conn.busy_timeout(std::time::Duration::ZERO)?;
        let mode = self.conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get::<_, String>(0));
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        Ok(mode.is_ok_and(|m| m == "delete"))
    }
}

fn holds_no_request(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM request)", [], |r| r.get(0))
}

impl ImportSink<'_> {
    pub(super) fn err(&self, source: rusqlite::Error) -> StoreError {
        sqlite_err(&self.path, source)
    }

    /// The store held no request when this import began.
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
        upsert(&self.tx, req, connected, Some(self.run), &mut self.people).map_err(|e| sqlite_err(&self.path, e))
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
        mark_connected(&self.tx, person_id, connected_on)
            .map(|c| (c.waiting.into_iter().map(|(id, _)| id).collect(), c.accepted))
            .map_err(|e| self.err(e))
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
        older().map_err(|e| self.err(e))
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
        set_status(&self.tx, request_id, Status::Withdrawn, None).map_err(|e| self.err(e))
    }

    /// A declined request that a newer export no longer lists: ignored on LinkedIn, so its
    /// to-do item is done.
    pub fn mark_ignored_on_linkedin(&self, request_id: i64) -> Result<()> {
        self.tx
            .prepare_cached("UPDATE request SET done_on_linkedin = ?2 WHERE id = ?1")
            .and_then(|mut s| s.execute(params![request_id, now_stored()]))
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// The store holds no person and no request: what a backup restores into.
    pub fn holds_nothing(&self) -> Result<bool> {
        self.tx
            .query_row("SELECT NOT EXISTS (SELECT 1 FROM person) AND NOT EXISTS (SELECT 1 FROM request)", [], |r| {
                r.get(0)
            })
            .map_err(|e| self.err(e))
    }

    /// A person of a backup, with their notes, as they were.
    pub fn restore_person(&self, p: &PersonRecord) -> Result<()> {
        let restore = || -> rusqlite::Result<()> {
            self.tx
                .prepare_cached(
                    "INSERT INTO person (id, key, name, profile_url, headline, company, location, \
                       mutual_connections, shared_groups, introduced_by, connected_on) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                )?
                .execute(params![
                    p.id,
                    p.key,
                    p.name,
                    p.profile_url,
                    p.headline,
                    p.company,
                    p.location,
                    p.mutual_connections,
                    p.shared_groups,
                    p.introduced_by,
                    p.connected_on
                ])?;
            match &p.notes {
                Some(body) => write_note(&self.tx, p.id, body),
                None => Ok(()),
            }
        };
        restore().map_err(|e| self.err(e))
    }

    /// A request of a backup, as it was.
    pub fn restore_request(&self, r: &RequestRecord) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO request (id, person_id, source, sent_at, sent_at_raw, message, hints, status, \
                   earlier_decline, added_at, defer_until, done_on_linkedin, not_listed) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    r.id,
                    r.person_id,
                    r.source,
                    r.sent_at,
                    r.sent_at_raw,
                    r.message,
                    r.hints,
                    r.status,
                    r.earlier_decline,
                    r.added_at,
                    r.defer_until,
                    r.done_on_linkedin,
                    r.not_listed
                ])
            })
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// A checklist answer of a backup, and with it the request's rank by the checklist.
    pub fn restore_answer(&self, a: &AnswerRecord) -> Result<()> {
        write_answers(&self.tx, a.request_id, &[(a.item.as_str(), Some(a.value))], self.checklist)
            .map_err(|e| self.err(e))
    }

    /// A decision of a backup, as it was.
    pub fn restore_decision(&self, d: &DecisionRecord) -> Result<()> {
        let row = NewDecision {
            id: Some(d.id),
            request_id: d.request_id,
            status: &d.status,
            reason: &d.reason,
            answers: &d.answers,
            supersedes: d.supersedes,
            undo: d.undo,
            decided_at: &d.decided_at,
            defer_until: d.defer_until.as_deref(),
            batch: d.batch,
            evidence: Some(&d.evidence),
        };
        insert_decision(&self.tx, &row).map(|_| ()).map_err(|e| self.err(e))
    }

    /// A connection of a backup. (Not kept in memory: a restore matches nothing against it.)
    pub fn restore_connection(&self, c: &ConnectionRecord) -> Result<()> {
        let mut index = ConnectionIndex::default();
        connection_row(&self.tx, &mut index, c.url.as_deref(), &c.name, &c.connected_on).map_err(|e| self.err(e))
    }

    /// Once a backup is in: what the store derives from its people, and the first way the
    /// restored rows disagree with each other, if any: rows pointing at a person, request or
    /// decision the backup lacks (the restore ran without per-row foreign-key checks), a
    /// decision superseding a later one or another request's, a request whose status is not
    /// what its latest decision made it.
    pub fn finish_restore(&self) -> Result<Option<String>> {
        derive_from_people(&self.tx).map_err(|e| self.err(e))?;
        let first = |sql: &str| -> rusqlite::Result<Option<String>> {
            self.tx.query_row(&format!("SELECT ({sql} LIMIT 1)"), [], |r| r.get(0))
        };
        let checks = [
            "SELECT count(*) || ' rows point at people, requests or decisions the backup lacks'              FROM pragma_foreign_key_check HAVING count(*) > 0",
            "SELECT 'decision ' || d.id || ' supersedes decision ' || s.id || ', a later one or another request''s'              FROM decision d JOIN decision s ON s.id = d.supersedes              WHERE s.request_id != d.request_id OR s.id >= d.id",
            "SELECT 'request ' || r.id || ' is ' || r.status || ' but its latest decision says ' ||                coalesce(d.status, 'nothing')              FROM request r LEFT JOIN decision d ON d.id = (SELECT max(id) FROM decision WHERE request_id = r.id)              WHERE r.status IN ('accepted', 'declined', 'deferred') AND d.status IS NOT r.status",
        ];
        for sql in checks {
            if let Some(found) = first(sql).map_err(|e| self.err(e))? {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }
}
