//! The SQLite store: opening (with refusal of foreign or newer files), migrations, and one
//! module per table group. Every write runs in a `BEGIN IMMEDIATE` transaction. What people
//! decide — checklist answers with their rank, notes, decisions, a request's status — each
//! has one writer function, used by the app, the CLI and the importers alike. The modules
//! depend on each other in one direction only (and on this root for `Store`, `Result` and
//! the error helpers):
//!
//! - `error`: [`StoreError`], what every store call can fail with, and `sqlite_err`, SQLite's
//!   codes as those errors.
//! - `schema`: the migrations. Append, never edit.
//! - `rows`: the columns a request or decision query selects and the row mappers. A leaf.
//! - `search_index`: the trigram indexes of requests and decision reasons, caught up in steps
//!   above a watermark kept in `review_state`. A leaf.
//! - `notes`: `write_note`, the one writer of `note` (the app's editor, imports, restores).
//! - `people`: the one writer of `person` (`insert_person`, `enrich_person`) and how an
//!   upsert finds a person by key (through a map during a bulk import).
//! - `requests`: requests: `upsert` (for `vetted add` and every importer),
//!   `set_status` (and `set_statuses`, many at once), the one writer of a request's status,
//!   and the request pages.
//! - `findings`: evidence: the one writer of `finding` (a request's findings) and
//!   `request.evidence` (their detectors, for the `ev:` indexes), `campaign_key`,
//!   `outgoing_invitation` and `evidence_state` (the phrase lists' fingerprint, the silent
//!   rank, each campaign's count of other senders); the reads that give findings as plain data.
//! - `answers`: `write_answers`, the one writer of `answer` and `review_rank`: a request's
//!   rank in the recommendation order is written wherever its answers or findings are, from
//!   both (`Checklist::rank_with`).
//! - `evidence_pass`: findings written with the rank they give (`Store::set_findings`), the
//!   detectors run over stored requests; `evidence_around` what a pass knows around the notes
//!   (connections, outgoing invitations), `evidence_campaigns` the campaigns counted across
//!   the store, `evidence_fresh` the shorter pass over requests nothing is stored for yet.
//! - `decisions`: the append-only log: `insert_decision` (and `insert_decisions`, many rows
//!   at once), the one writer of `decision`, and decide, undo, reopen, the deferrals that come
//!   back.
//! - `batches`: decisions made together (`decide_batch`, `undo_batch`), set-based: a few
//!   statements per chunk of requests rather than several per request.
//! - `connections`: the user's connections as Connections.csv lists them, and how a sender
//!   is found among them.
//! - `query_sql`: a [`crate::query::Query`] as SQL conditions on requests or decisions, and the
//!   search index candidates a text term narrows to.
//! - `queue`: the queue in its three orders, keyset-paginated, narrowed by a search or a
//!   query; the counts and ids a query matches.
//! - `log_search`: the log's pages and filters (Log, Declined, `vetted log`), the query
//!   language included.
//! - `log`: the reasons given before (normalised), and the backup and exports read row by
//!   row.
//! - `stats`: the numbers of `vetted stats` and the Stats screen, in few passes over the log.
//! - `records`: the rows of a backup as `vetted import` reads them back.
//! - `groups`: the pending queue grouped by hint, template, recommendation or month sent.
//! - `todo`: the decisions left to carry out on LinkedIn (To do, `vetted todo`).
//! - `import_sink`: [`Store::import`] and the [`ImportSink`] importers write through; it owns
//!   the import's transaction. `import_restore`: a backup's rows restored through it.
//! - `bulk`: the indexes a bulk write (a big import, a device joining a sync) drops while its
//!   rows go in and builds again before it commits.
//! - `files`: the store's file and its companions: the header read before SQLite opens it,
//!   their owners and permissions.
//! - `health`: the check when opening, `vetted doctor`'s checks, online backups.
//! - `salvage`: reading a read-only or damaged store (`--read-only`), stepping over what
//!   cannot be read.
//! - `forget`: removing everything about a person, and scrubbing the file.
//! - `sync_journal`: this store as a sync device (docs/sync.md): the one writer of the sync
//!   tables, and `record`, the hook the writers call in their transaction (nothing unless the
//!   store syncs).
//! - `sync_record`: the events the writers' hooks record, built from the rows written, and
//!   the snapshot `sync init` records.
//! - `sync_apply`: other devices' segments applied by the merge rule, one transaction each;
//!   `sync_join`: a store that holds no request yet (a joining device) applies them all in
//!   one, as a bulk write.
//! - `txn`: [`Store::transact`], the write transaction every writer runs in, and
//!   [`Store::in_background`], work on a second connection.

mod answers;
mod batches;
mod bulk;
mod connections;
mod decisions;
mod error;
mod evidence_around;
mod evidence_campaigns;
mod evidence_fresh;
mod evidence_kept;
mod evidence_pass;
mod files;
mod findings;
mod forget;
mod groups;
pub mod health;
mod import_restore;
mod import_sink;
mod log;
mod log_search;
mod note_versions;
mod notes;
mod people;
mod query_sql;
mod queue;
mod records;
mod requests;
pub(crate) mod rows;
#[doc(hidden)]
pub use rows::batch_counts;
mod salvage;
pub mod schema;
mod search_index;
mod stats;
mod sync_apply;
mod sync_join;
mod sync_journal;
mod sync_record;
mod todo;
mod txn;

pub use crate::checklist::{RANK_ACCEPT, RANK_DECLINE, RANK_UNDECIDED};
pub use connections::Match;
pub use decisions::Batch;
pub(crate) use error::sqlite_err;
pub use error::{Result, StoreError};
pub use forget::{Forgotten, PersonRef};
pub use groups::{Group, GroupBy, TOP_TEMPLATES};
pub use health::Check;
pub use import_sink::{ImportRun, ImportSink};
pub(crate) use log::output_err;
pub use log::{LogEntry, reason_key};
pub use log_search::{DeclinedRow, LOG_SCAN_WINDOW, LogFilter, LogScope};
pub use note_versions::OtherNote;
pub use queue::{Direction, QueueKey, QueueOrder};
pub use records::{AnswerRecord, ConnectionRecord, DecisionRecord, OutgoingRecord, PersonRecord, RequestRecord};
pub use requests::{Profile, RequestFilter, Sort, UpsertOutcome, Upserted};
pub use search_index::Search;
pub use stats::{Stats, accept_rate};
pub use sync_apply::Applied;
pub use sync_join::SyncBatch;
pub use sync_journal::SyncDevice;
pub use sync_record::NewDevice;
pub use todo::TodoRow;
pub use txn::{Background, Tx};

pub(crate) use files::check_companions;
use files::{check_header, tighten, tighten_folder};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use std::fs::{self, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a write waits for another vetted process before saying the store is in use.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// What opening did that the user should hear of (a file made private), for the caller to
    /// say: nothing in the store prints.
    said: Vec<String>,
    /// How many decisions each batch holds, counted once per batch (see `rows::BatchSizes`).
    batch_sizes: std::cell::RefCell<rows::BatchSizes>,
    /// The request columns this store has, looked up once (see [`Store::request_columns`]).
    request_columns: std::cell::OnceCell<&'static str>,
}

impl Store {
    /// A store around an open connection, with nothing looked up or said yet.
    fn wrap(conn: Connection, path: impl Into<PathBuf>) -> Store {
        Store {
            conn,
            path: path.into(),
            said: Vec::new(),
            batch_sizes: Default::default(),
            request_columns: Default::default(),
        }
    }

    /// The columns of a request row this store has: a store of the previous version opened
    /// read-only is not migrated and has no findings (`rows::request_columns`).
    pub(crate) fn request_columns(&self) -> &'static str {
        self.request_columns.get_or_init(|| rows::request_columns(&self.conn))
    }

    /// How this store's queries read the rank of request `r` (`rows::RANK_OF_R`).
    pub(super) fn rank_sql(&self) -> rusqlite::Result<answers::RankSql> {
        answers::rank_sql_with(&self.conn, self.request_columns())
    }

    /// Opens (creating and migrating if needed) the store at `path`; a missing folder for it
    /// is created private (0700).
    pub fn open(path: &Path) -> Result<Store> {
        let io = |action, source| StoreError::Io { path: path.into(), action, source };
        check_companions(path)?;
        let mut existing_mode = None;
        let mut said = Vec::new();
        match fs::metadata(path) {
            Ok(m) if m.is_dir() => return Err(StoreError::IsDirectory { path: path.into() }),
            // Opening a FIFO would wait for a writer; a device could be anything.
            Ok(m) if !m.is_file() => return Err(StoreError::NotADatabase { path: path.into() }),
            Ok(m) => {
                check_header(path)?;
                // Mode bits, not access(2): root may write anything, but a file or folder
                // without write permission says "leave it alone".
                if m.permissions().mode() & 0o222 == 0 {
                    return Err(StoreError::ReadOnly { path: path.into(), what: "the file" });
                }
                existing_mode = Some(m.permissions().mode());
                let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
                if fs::metadata(dir).is_ok_and(|d| d.permissions().mode() & 0o222 == 0) {
                    return Err(StoreError::ReadOnly { path: path.into(), what: "its folder" });
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                said.extend(tighten_folder(path)?);
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
                    // Private, whoever asked for it: it will hold notes about people.
                    let mut builder = fs::DirBuilder::new();
                    builder.recursive(true).mode(0o700);
                    builder.create(dir).map_err(|e| io("cannot create its folder", e))?;
                }
                // Created here, 0600 whatever the umask; SQLite gives -wal and -shm the same mode.
                OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o600)
                    .open(path)
                    .map_err(|e| io("cannot create", e))?;
                fs::set_permissions(path, fs::Permissions::from_mode(0o600)).map_err(|e| io("cannot set mode", e))?;
            }
            Err(e) => return Err(io("cannot open", e)),
        }
        // The budgeted check at open finishes on a small store; on a big one it ran out its
        // budget on every command and checked nothing. A big store closed cleanly (no WAL, no
        // journal left) is checked when there is a reason: a WAL with frames (another process,
        // or an unclean end), a journal (a kill), `vetted doctor`.
        let reason_to_check = fs::metadata(path).map_or(true, |m| m.len() <= health::OPEN_CHECK_BYTES)
            || fs::metadata(health::sibling(path, "-wal")).is_ok_and(|m| m.len() > 0)
            || fs::symlink_metadata(health::sibling(path, "-journal")).is_ok();
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .map_err(|source| StoreError::Sqlite { path: path.into(), source })?;
        let mut store = Store::wrap(conn, path);
        store.configure()?;
        files::remove_stale_journal(path)?;
        // Again, now that SQLite has opened its companions and before anything is written: one
        // another user slipped in between the first look and the open is refused too.
        check_companions(path)?;
        // Only once it is known to be a vetted store: another application's file stays as it is.
        if let Some(mode) = existing_mode {
            said.extend(tighten_folder(path)?);
            said.extend(tighten(path, mode)?);
        }
        store.said = said;
        if reason_to_check {
            store.check_on_open()?;
        }
        store.refuse_foreign_objects()?;
        store.migrate()?;
        store.finish_scrubbing();
        Ok(store)
    }

    /// Refuses a store with triggers or views vetted did not make (they would run on its
    /// writes). Cheap: one look at the schema's few rows of those kinds.
    fn refuse_foreign_objects(&self) -> Result<()> {
        let found = self.foreign_objects(Some("('trigger', 'view')")).map_err(|e| self.err(e))?;
        if found.is_empty() {
            return Ok(());
        }
        Err(StoreError::ForeignObjects { path: self.path.clone(), objects: found.join(", ") })
    }

    /// The schema objects (`type name`) this store holds that vetted's own schema does not,
    /// of the `kinds` given (an SQL list), or of every kind. SQLite's own (`sqlite_…`) aside.
    pub(crate) fn foreign_objects(&self, kinds: Option<&str>) -> rusqlite::Result<Vec<String>> {
        let fresh = Connection::open_in_memory()?;
        if kinds.is_none() {
            fresh.execute_batch(&schema::MIGRATIONS.concat())?;
        }
        let listed = |conn: &Connection| -> rusqlite::Result<std::collections::BTreeSet<(String, String)>> {
            let kind = kinds.map(|k| format!("AND type IN {k}")).unwrap_or_default();
            let sql = format!("SELECT type, name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' {kind}");
            conn.prepare(&sql)?.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect()
        };
        let ours = if kinds.is_some() {
            schema::OWN_TRIGGERS_AND_VIEWS.iter().map(|(t, n)| (t.to_string(), n.to_string())).collect()
        } else {
            listed(&fresh)?
        };
        Ok(listed(&self.conn)?.difference(&ours).map(|(t, n)| format!("{t} {}", crate::text::line(n))).collect())
    }

    /// What opening did that the user should hear of, once (a file or folder made private).
    pub fn take_said(&mut self) -> Vec<String> {
        std::mem::take(&mut self.said)
    }

    /// A fresh store in memory, for tests and benchmarks.
    pub fn in_memory() -> Result<Store> {
        let conn =
            Connection::open_in_memory().map_err(|source| StoreError::Sqlite { path: ":memory:".into(), source })?;
        let mut store = Store::wrap(conn, ":memory:");
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Wraps a SQLite error with the store's path, and turns "busy" into a clear message.
    pub(crate) fn err(&self, source: rusqlite::Error) -> StoreError {
        sqlite_err(&self.path, source)
    }

    fn configure(&mut self) -> Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| self.err(e))?;
        // Identity and version once more, now through SQLite (the WAL may hold a newer header).
        let (user_version, app_id, tables): (i32, i32, i64) = self
            .conn
            .query_row(
                "SELECT (SELECT user_version FROM pragma_user_version), \
                        (SELECT application_id FROM pragma_application_id), \
                        (SELECT count(*) FROM sqlite_schema)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map_err(|e| self.err(e))?;
        if app_id != schema::APPLICATION_ID && !(app_id == 0 && user_version == 0 && tables == 0) {
            return Err(StoreError::Foreign { path: self.path.clone() });
        }
        if user_version > schema::latest_version() {
            return Err(StoreError::Newer {
                path: self.path.clone(),
                found: user_version,
                supported: schema::latest_version(),
            });
        }
        self.conn
            .execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
            .map_err(|e| self.err(e))
    }

    fn migrate(&mut self) -> Result<()> {
        let current: i32 = self.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| self.err(e))?;
        for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(current.max(0) as usize) {
            let version = i as i32 + 1;
            let path = self.path.clone();
            let rebuild = schema::REBUILDS.contains(&version);
            if rebuild {
                self.conn.execute_batch("PRAGMA foreign_keys = OFF").map_err(|e| self.err(e))?;
            }
            let tx = self.write()?;
            // A step that fails on what an earlier one made: the version number was changed.
            tx.execute_batch(sql).map_err(|e| match sqlite_err(&path, e) {
                StoreError::Sqlite { source, .. } => {
                    let detail = source.to_string();
                    let detail = detail.split(" in \n").next().unwrap_or_default().trim().to_string();
                    StoreError::Mismatch { path: path.clone(), version: current, detail }
                }
                other => other,
            })?;
            if version == 6 {
                connections::derive_from_people(&tx).map_err(|e| sqlite_err(&path, e))?;
            }
            tx.execute_batch(&format!(
                "PRAGMA application_id = {}; PRAGMA user_version = {version};",
                schema::APPLICATION_ID
            ))
            .map_err(|e| sqlite_err(&path, e))?;
            tx.commit().map_err(|e| sqlite_err(&path, e))?;
            if rebuild {
                self.conn.execute_batch("PRAGMA foreign_keys = ON").map_err(|e| self.err(e))?;
            }
        }
        Ok(())
    }

    /// Starts a write transaction (`BEGIN IMMEDIATE`) for the store's own multi-step writers
    /// (migrations, imports, batches, the search index's catch-up, sync's apply, salvage); the
    /// rest go through [`Store::transact`].
    pub(crate) fn write(&mut self) -> Result<Transaction<'_>> {
        let path = self.path.clone();
        self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| sqlite_err(&path, e))
    }

    /// How SQLite runs `sql`: the detail of each step of its plan, for the tests that pin an
    /// index a query must use.
    #[cfg(test)]
    pub(crate) fn query_plan(&self, sql: &str, params: impl rusqlite::Params) -> Vec<String> {
        let mut stmt = self.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).expect("a valid query");
        stmt.query_map(params, |r| r.get::<_, String>(3)).and_then(|rows| rows.collect()).expect("a plan")
    }

    /// The raw connection, for tests and benchmarks that check what the file holds (or set up
    /// what no writer makes). The app, the CLI and the importers never use it.
    #[doc(hidden)]
    pub fn raw_for_tests(&self) -> &Connection {
        &self.conn
    }

    pub fn schema_version(&self) -> Result<i32> {
        self.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| self.err(e))
    }
}
