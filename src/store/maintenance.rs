//! Keeping the store healthy and private: integrity checks, permissions, free space, online
//! backups, a read-only mode for damaged or read-only files, and `forget` (remove everything
//! about a person, leaving an anonymous tombstone, and scrub the bytes from the file).

use super::{Result, Store, StoreError, check_header, schema, sqlite_err};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use std::collections::BTreeMap;
use std::fs::{self, OpenOptions};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long the check when opening may take: long enough to check a small store completely,
/// short enough that a big one still opens at once. Doctor runs the full check.
pub const OPEN_CHECK_BUDGET: Duration = Duration::from_millis(40);

/// Free space below which doctor reports a problem (besides twice the database size, which
/// `forget`'s VACUUM needs).
pub const MIN_FREE_BYTES: u64 = 64 << 20;

/// The outcome of one doctor check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub name: &'static str,
    /// `Ok(detail)` or `Err(problem)`.
    pub result: std::result::Result<String, String>,
}

impl Check {
    fn ok(name: &'static str, detail: impl Into<String>) -> Check {
        Check { name, result: Ok(detail.into()) }
    }
    fn problem(name: &'static str, problem: impl Into<String>) -> Check {
        Check { name, result: Err(problem.into()) }
    }
}

/// What `forget` removed. The tombstone row keeps only these counts and the date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Forgotten {
    pub tombstone: i64,
    pub name: String,
    pub requests: i64,
    pub decisions: i64,
    pub notes: i64,
    pub answers: i64,
    /// `false` when another process kept the WAL from being emptied (traces may remain there
    /// until it is checkpointed).
    pub scrubbed: bool,
}

/// Whom to forget: a request id as `vetted list` shows it, or a normalised profile URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersonRef {
    Request(i64),
    ProfileUrl(String),
}

fn mode_problem(path: &Path, want: u32) -> Option<String> {
    let meta = fs::metadata(path).ok()?;
    let mode = meta.permissions().mode() & 0o777;
    (mode & 0o077 != 0).then(|| format!("{} is mode {mode:04o}, should be {want:04o}", path.display()))
}

/// `path` with `suffix` appended to its file name (`v.db` → `v.db-wal`).
pub fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Bytes available to an unprivileged user on the filesystem holding `path` (statvfs(3)).
pub fn free_bytes(path: &Path) -> std::io::Result<u64> {
    let st = rustix::fs::statvfs(path)?;
    Ok(st.f_bavail.saturating_mul(st.f_frsize))
}

/// Runs `PRAGMA quick_check` (or `integrity_check`) and returns its messages; `["ok"]` for a
/// sound file.
fn run_check(conn: &Connection, full: bool) -> rusqlite::Result<Vec<String>> {
    let sql = if full { "PRAGMA integrity_check(20)" } else { "PRAGMA quick_check(20)" };
    conn.prepare(sql).and_then(|mut s| s.query_map([], |r| r.get::<_, String>(0))?.collect())
}

/// `quick_check` within a time budget: `None` when the budget ran out first. The budget is
/// kept by a progress handler (called every 1,000 VM steps of this thread), so nothing can
/// interrupt a later statement.
fn quick_check_within(conn: &mut Connection, budget: Duration) -> rusqlite::Result<Option<Vec<String>>> {
    let interrupted = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (deadline, flag) = (std::time::Instant::now() + budget, interrupted.clone());
    conn.progress_handler(
        1_000,
        Some(move || {
            let over = std::time::Instant::now() >= deadline;
            flag.fetch_or(over, std::sync::atomic::Ordering::Relaxed);
            over
        }),
    )?;
    let result = run_check(conn, false);
    conn.progress_handler(0, None::<fn() -> bool>)?;
    match result {
        Ok(lines) => Ok(Some(lines)),
        Err(e) if is_corrupt(&e) => Err(e),
        // An interrupt can surface as another error (e.g. "vtable constructor failed" when it
        // lands while the check opens the search index).
        Err(_) if interrupted.load(std::sync::atomic::Ordering::Relaxed) => Ok(None),
        Err(e) => Err(e),
    }
}

fn is_corrupt(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase))
}

impl Store {
    /// Opens an existing store for reading only: no migration, no write, nothing created.
    /// Works on a read-only file or folder and on a damaged file (as far as its pages can be
    /// read). The header is checked first, so a foreign or newer file is still refused.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        match fs::metadata(path) {
            Ok(m) if m.is_dir() => return Err(StoreError::IsDirectory { path: path.into() }),
            Ok(m) if m.len() == 0 => return Err(StoreError::Empty { path: path.into() }),
            Ok(_) => check_header(path)?,
            Err(source) => return Err(StoreError::Io { path: path.into(), action: "cannot open", source }),
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
        let uri = |extra: &str| -> Result<String> {
            let text = path.to_str().ok_or_else(|| StoreError::Io {
                path: path.into(),
                action: "cannot open read-only",
                source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "the path is not UTF-8"),
            })?;
            let mut u = String::from("file:");
            for ch in text.chars() {
                match ch {
                    '%' | '?' | '#' => u.push_str(&format!("%{:02X}", ch as u32)),
                    _ => u.push(ch),
                }
            }
            Ok(format!("{u}?mode=ro{extra}"))
        };
        // A file or folder without write permission, with no WAL beside it: nothing can be in a
        // WAL, and nobody is meant to write there, so the file is read as immutable — SQLite
        // then creates no -wal/-shm either, and the folder stays exactly as it was.
        let wal_exists = sibling(path, "-wal").exists();
        let unwritable = |p: &Path| fs::metadata(p).is_ok_and(|m| m.permissions().mode() & 0o222 == 0);
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let immutable = !wal_exists && (unwritable(path) || unwritable(dir));
        let conn = Connection::open_with_flags(uri(if immutable { "&immutable=1" } else { "" })?, flags)
            .map_err(|e| sqlite_err(path, e))?;
        let mut store = Store { conn, path: path.into() };
        // A WAL-mode file in a folder we cannot create -shm in, with no -wal left behind:
        // reading it as immutable loses nothing.
        if !immutable
            && !wal_exists
            && store.conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(())).is_err()
        {
            let conn = Connection::open_with_flags(uri("&immutable=1")?, flags).map_err(|e| sqlite_err(path, e))?;
            store = Store { conn, path: path.into() };
        }
        store.conn.busy_timeout(super::BUSY_TIMEOUT).map_err(|e| store.err(e))?;
        store.conn.execute_batch("PRAGMA query_only = ON").map_err(|e| store.err(e))?;
        let (user_version, app_id): (i32, i32) = store
            .conn
            .query_row("SELECT (SELECT user_version FROM pragma_user_version), (SELECT application_id FROM pragma_application_id)", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .map_err(|e| store.err(e))?;
        if app_id != schema::APPLICATION_ID {
            return Err(StoreError::Foreign { path: path.into() });
        }
        if user_version > schema::latest_version() {
            return Err(StoreError::Newer {
                path: path.into(),
                found: user_version,
                supported: schema::latest_version(),
            });
        }
        Ok(store)
    }

    /// The check when opening: `PRAGMA quick_check` within [`OPEN_CHECK_BUDGET`]. A store too
    /// big to check in that time passes (the header was checked; doctor checks the rest).
    pub(crate) fn check_on_open(&mut self) -> Result<()> {
        match quick_check_within(&mut self.conn, OPEN_CHECK_BUDGET) {
            Ok(Some(lines)) if lines.first().map(String::as_str) != Some("ok") => {
                Err(StoreError::Corrupt { path: self.path.clone(), detail: lines.join("; ") })
            }
            Ok(_) => Ok(()),
            Err(e) if is_corrupt(&e) => Err(StoreError::Corrupt { path: self.path.clone(), detail: e.to_string() }),
            Err(e) => Err(self.err(e)),
        }
    }

    /// Every check of `vetted doctor`, in order: integrity, permissions, schema, free space.
    pub fn doctor(&self) -> Vec<Check> {
        let mut checks = Vec::new();
        checks.push(match run_check(&self.conn, true) {
            Ok(lines) if lines == ["ok"] => Check::ok("integrity", "ok (PRAGMA integrity_check)"),
            Ok(lines) => Check::problem("integrity", lines.join("; ")),
            Err(e) => Check::problem("integrity", e.to_string()),
        });

        let mut problems = Vec::new();
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            problems.extend(mode_problem(dir, 0o700));
        }
        for suffix in ["", "-wal", "-shm"] {
            problems.extend(mode_problem(&sibling(&self.path, suffix), 0o600));
        }
        checks.push(if problems.is_empty() {
            Check::ok("permissions", "folder 0700, database files 0600 (nothing readable by others)")
        } else {
            Check::problem("permissions", format!("{} (chmod them)", problems.join("; ")))
        });

        let ids: rusqlite::Result<(i32, i32)> = self.conn.query_row(
            "SELECT (SELECT user_version FROM pragma_user_version), (SELECT application_id FROM pragma_application_id)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        );
        checks.push(match ids {
            Ok((v, id)) if id == schema::APPLICATION_ID && v == schema::latest_version() => {
                Check::ok("schema", format!("version {v} (current), application id VETD"))
            }
            Ok((v, id)) if id == schema::APPLICATION_ID && v < schema::latest_version() => Check::problem(
                "schema",
                format!(
                    "version {v}, this vetted writes {}: open it once without --read-only",
                    schema::latest_version()
                ),
            ),
            Ok((v, id)) => Check::problem("schema", format!("version {v}, application id {id:#x}: not this vetted's")),
            Err(e) => Check::problem("schema", e.to_string()),
        });

        let dir = match self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            Some(d) => d.to_path_buf(),
            None => PathBuf::from("."),
        };
        let db_size = fs::metadata(&self.path).map(|m| m.len()).unwrap_or(0)
            + fs::metadata(sibling(&self.path, "-wal")).map(|m| m.len()).unwrap_or(0);
        let need = MIN_FREE_BYTES.max(2 * db_size);
        checks.push(match free_bytes(&dir) {
            Ok(free) if free >= need => Check::ok("free space", format!("{} free", human(free))),
            Ok(free) => Check::problem(
                "free space",
                format!("{} free; vetted wants at least {} (decisions could fail to save)", human(free), human(need)),
            ),
            Err(e) => Check::problem("free space", format!("statvfs: {e}")),
        });
        checks
    }

    /// Copies the store to `dest` with SQLite's online backup API: a consistent snapshot,
    /// taken while other vetted processes may be reading or writing. `dest` must not exist;
    /// it is created 0600. On failure the partial file is removed.
    pub fn backup(&self, dest: &Path) -> Result<()> {
        let io = |action, source| StoreError::Io { path: dest.into(), action, source };
        OpenOptions::new().write(true).create_new(true).mode(0o600).open(dest).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                StoreError::Exists { path: dest.into() }
            } else {
                io("cannot create", e)
            }
        })?;
        let result = (|| {
            fs::set_permissions(dest, fs::Permissions::from_mode(0o600)).map_err(|e| io("cannot set mode", e))?;
            let mut to = Connection::open(dest).map_err(|e| sqlite_err(dest, e))?;
            {
                let backup = rusqlite::backup::Backup::new(&self.conn, &mut to).map_err(|e| sqlite_err(dest, e))?;
                // All pages in one step: one read transaction, so one consistent snapshot
                // (WAL readers never block writers, nor writers them).
                let mut waited = Duration::ZERO;
                loop {
                    match backup.step(-1).map_err(|e| sqlite_err(&self.path, e))? {
                        rusqlite::backup::StepResult::Done => break,
                        _ if waited >= super::BUSY_TIMEOUT => return Err(StoreError::Busy { path: self.path.clone() }),
                        _ => {
                            std::thread::sleep(Duration::from_millis(50));
                            waited += Duration::from_millis(50);
                        }
                    }
                }
            }
            let lines = run_check(&to, false).map_err(|e| sqlite_err(dest, e))?;
            if lines != ["ok"] {
                return Err(StoreError::Corrupt { path: dest.into(), detail: lines.join("; ") });
            }
            // Leave one self-contained file behind: no -wal for the copy.
            to.pragma_update(None, "journal_mode", "DELETE").map_err(|e| sqlite_err(dest, e))?;
            drop(to);
            fs::File::open(dest).and_then(|f| f.sync_all()).map_err(|e| io("cannot sync", e))
        })();
        if result.is_err() {
            let _ = fs::remove_file(dest);
            for suffix in ["-wal", "-shm", "-journal"] {
                let _ = fs::remove_file(sibling(dest, suffix));
            }
        }
        result
    }

    /// The person `who` points at: (id, name, profile URL).
    pub fn find_person(&self, who: &PersonRef) -> Result<(i64, String, Option<String>)> {
        let found = match who {
            PersonRef::Request(id) => self
                .conn
                .query_row(
                    "SELECT p.id, p.name, p.profile_url FROM request r JOIN person p ON p.id = r.person_id \
                     WHERE r.id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional(),
            PersonRef::ProfileUrl(url) => self
                .conn
                .query_row("SELECT id, name, profile_url FROM person WHERE key = ?1 OR profile_url = ?1", [url], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .optional(),
        }
        .map_err(|e| self.err(e))?;
        found.ok_or_else(|| {
            StoreError::NoSuchPerson(match who {
                PersonRef::Request(id) => format!("no request with id {id}"),
                PersonRef::ProfileUrl(url) => format!("nobody with the profile URL {url}"),
            })
        })
    }

    /// Removes everything about one person — people row, requests, notes, checklist answers,
    /// decisions, search-index entries and any other row that refers to them — in one
    /// transaction with `secure_delete`, leaves an anonymous tombstone (date and counts), then
    /// empties the WAL and rebuilds the file (VACUUM) so no deleted byte remains in it.
    pub fn forget(&mut self, who: &PersonRef) -> Result<Forgotten> {
        let path = self.path.clone();
        let sql = |e| sqlite_err(&path, e);
        let (person_id, name, profile_url) = self.find_person(who)?;
        self.conn.execute_batch("PRAGMA secure_delete = ON; PRAGMA temp_store = MEMORY").map_err(sql)?;
        let result = self.forget_in_transaction(person_id, name, profile_url);
        let reset = self.conn.execute_batch("PRAGMA secure_delete = OFF");
        let mut forgotten = result?;
        reset.map_err(sql)?;
        // The person is forgotten (committed); scrubbing the file is the second half. When
        // another process keeps it from finishing, the next open finishes it.
        forgotten.scrubbed = self.scrub_and_mark();
        Ok(forgotten)
    }

    fn forget_in_transaction(&mut self, person_id: i64, name: String, url: Option<String>) -> Result<Forgotten> {
        let path = self.path.clone();
        let sql = |e| sqlite_err(&path, e);
        let tx = self.write()?;
        // Requests and decisions refer to each other (a request asked again points at the
        // earlier decline): check the foreign keys once, at commit.
        tx.execute_batch("PRAGMA defer_foreign_keys = ON").map_err(sql)?;
        tx.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS forget_ids (tbl TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (tbl, id)); \
             DELETE FROM temp.forget_ids;",
        )
        .map_err(sql)?;
        tx.execute("INSERT INTO temp.forget_ids SELECT 'person', ?1", [person_id]).map_err(sql)?;
        tx.execute("INSERT INTO temp.forget_ids SELECT 'request', id FROM request WHERE person_id = ?1", [person_id])
            .map_err(sql)?;
        tx.execute_batch(
            "INSERT INTO temp.forget_ids SELECT 'decision', id FROM decision \
             WHERE request_id IN (SELECT id FROM temp.forget_ids WHERE tbl = 'request')",
        )
        .map_err(sql)?;
        let count = |tbl: &str| -> rusqlite::Result<i64> {
            tx.query_row("SELECT count(*) FROM temp.forget_ids WHERE tbl = ?1", [tbl], |r| r.get(0))
        };
        let (requests, decisions) = (count("request").map_err(sql)?, count("decision").map_err(sql)?);
        let mut statuses: BTreeMap<String, i64> = BTreeMap::new();
        {
            let mut stmt =
                tx.prepare("SELECT status, count(*) FROM request WHERE person_id = ?1 GROUP BY status").map_err(sql)?;
            let rows = stmt.query_map([person_id], |r| Ok((r.get(0)?, r.get(1)?))).map_err(sql)?;
            for row in rows {
                let (status, n) = row.map_err(sql)?;
                statuses.insert(status, n);
            }
        }

        // The search indexes are keyed by request id (names, messages, notes) and by decision
        // id (reasons).
        tx.execute_batch(
            "DELETE FROM request_fts WHERE rowid IN (SELECT id FROM temp.forget_ids WHERE tbl = 'request'); \
             DELETE FROM reason_fts WHERE rowid IN (SELECT id FROM temp.forget_ids WHERE tbl = 'decision');",
        )
        .map_err(sql)?;

        // Every row of every table that refers to the person, their requests or their
        // decisions, found through the declared foreign keys — so tables added later are
        // covered too.
        let refs: Vec<(String, String, String)> = {
            let mut stmt = tx
                .prepare(
                    "SELECT s.name, f.\"from\", f.\"table\" FROM sqlite_schema s, pragma_foreign_key_list(s.name) f \
                     WHERE s.type = 'table' AND f.\"table\" IN ('person', 'request', 'decision')",
                )
                .map_err(sql)?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .map_err(sql)?
                .collect::<rusqlite::Result<_>>()
                .map_err(sql)?
        };
        let mut removed: BTreeMap<String, i64> = BTreeMap::new();
        for (table, column, target) in &refs {
            let n = tx
                .execute(
                    &format!(
                        "DELETE FROM \"{}\" WHERE \"{}\" IN (SELECT id FROM temp.forget_ids WHERE tbl = ?1)",
                        table.replace('"', "\"\""),
                        column.replace('"', "\"\"")
                    ),
                    [target],
                )
                .map_err(sql)?;
            *removed.entry(table.clone()).or_default() += n as i64;
        }
        tx.execute("DELETE FROM person WHERE id = ?1", [person_id]).map_err(sql)?;

        // Import reports list invalid rows by their text: drop those lists if they name them.
        tx.execute(
            "UPDATE import_run SET report = json_set(report, '$.problems', json('[]')) \
             WHERE json_valid(report) AND (instr(report, ?1) > 0 OR (?2 IS NOT NULL AND instr(report, ?2) > 0))",
            params![name, url],
        )
        .map_err(sql)?;

        let statuses_json = serde_json::to_string(&statuses).expect("a map serialises");
        let date = super::now().get(..10).unwrap_or_default().to_string();
        let tombstone = tx
            .query_row(
                "INSERT INTO forgotten (forgotten_on, requests, decisions, statuses) VALUES (?1, ?2, ?3, ?4) RETURNING id",
                params![date, requests, decisions, statuses_json],
                |r| r.get(0),
            )
            .map_err(sql)?;
        tx.execute_batch("DELETE FROM temp.forget_ids").map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(Forgotten {
            tombstone,
            name,
            requests,
            decisions,
            notes: removed.get("note").copied().unwrap_or(0),
            answers: removed.get("answer").copied().unwrap_or(0),
            scrubbed: false,
        })
    }

    /// Scrubs, and records on the tombstones that it is done. `false` when it could not finish.
    fn scrub_and_mark(&mut self) -> bool {
        if !self.scrub().unwrap_or(false) {
            return false;
        }
        self.conn
            .execute_batch("UPDATE forgotten SET scrubbed = 1 WHERE scrubbed = 0; PRAGMA wal_checkpoint(TRUNCATE);")
            .is_ok()
    }

    /// When opening: finishes a scrub that another process kept from finishing. Best effort:
    /// a store in use now is scrubbed at a later open.
    pub(crate) fn finish_scrubbing(&mut self) {
        let pending: i64 =
            self.conn.query_row("SELECT count(*) FROM forgotten WHERE scrubbed = 0", [], |r| r.get(0)).unwrap_or(0);
        if pending > 0 {
            // Never make opening wait for another process: busy now means "next time".
            let _ = self.conn.busy_timeout(Duration::ZERO);
            let _ = self.conn.execute_batch("PRAGMA secure_delete = ON");
            self.scrub_and_mark();
            let _ = self.conn.execute_batch("PRAGMA secure_delete = OFF");
            let _ = self.conn.busy_timeout(super::BUSY_TIMEOUT);
        }
    }

    /// Leaves no deleted byte in the database file or its WAL: merges the search index (its
    /// deletes are otherwise only marked), checkpoints the WAL into the file and truncates it,
    /// rebuilds the file (VACUUM, its temporary copy in memory), and truncates the WAL again.
    /// Returns `false` when another process kept the WAL from being emptied.
    fn scrub(&mut self) -> Result<bool> {
        let path = self.path.clone();
        let sql = |e| sqlite_err(&path, e);
        self.conn
            .execute_batch(
                "INSERT INTO request_fts (request_fts) VALUES ('optimize'); \
                 INSERT INTO reason_fts (reason_fts) VALUES ('optimize');",
            )
            .map_err(sql)?;
        let checkpoint = |conn: &Connection| -> rusqlite::Result<bool> {
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| Ok(r.get::<_, i64>(0)? == 0))
        };
        let mut clean = checkpoint(&self.conn).map_err(sql)?;
        self.conn.execute_batch("PRAGMA temp_store = MEMORY; VACUUM;").map_err(sql)?;
        clean &= checkpoint(&self.conn).map_err(sql)?;
        Ok(clean)
    }

    /// The tombstones of forgotten people: (count of people, of their decisions).
    pub fn forgotten_counts(&self) -> Result<(i64, i64)> {
        self.conn
            .query_row("SELECT count(*), coalesce(sum(decisions), 0) FROM forgotten", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .map_err(|e| self.err(e))
    }
}

/// Bytes in binary units, one decimal.
pub fn human(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 { format!("{bytes} B") } else { format!("{value:.1} {}", UNITS[unit]) }
}

/// The mode bits of `path`, for messages.
pub fn mode_of(path: &Path) -> Option<u32> {
    fs::metadata(path).ok().map(|m| m.mode() & 0o7777)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Answers, NewRequest, Verdict};

    fn add(store: &mut Store, name: &str, url: Option<&str>) -> i64 {
        let req = NewRequest {
            name: name.into(),
            profile_url: url.map(str::to_string),
            message: format!("message from {name}"),
            notes: Some(format!("note on {name}")),
            source: "manual".into(),
            ..Default::default()
        };
        store.add_request(&req).unwrap().0
    }

    /// The review app's search index (trigram FTS5, keyed by request id) and its rank table
    /// refer to the person too: forget clears both, and no trigram of them stays in the file.
    #[test]
    fn forget_also_clears_search_index_rows_and_any_table_referring_to_the_person() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("v.db");
        let mut store = Store::open(&db).unwrap();
        let gone = add(&mut store, "Ottoline Vanishing", Some("https://www.linkedin.com/in/ottoline"));
        let kept = add(&mut store, "Pim Staying", None);
        while store.search_index_step(100).unwrap() {}
        for id in [gone, kept] {
            store.set_answer_ranked(id, "selling", Some(true), crate::store::RANK_DECLINE).unwrap();
        }
        store.decide(gone, Verdict::Decline, "Quixotic pitch", &Answers::new()).unwrap();
        store.decide(kept, Verdict::Decline, "Zealous pitch", &Answers::new()).unwrap();
        while store.search_index_step(100).unwrap() {}
        let search = |store: &Store, q: &str| -> i64 {
            store
                .conn()
                .query_row("SELECT count(*) FROM request_fts WHERE request_fts MATCH ?1", [q], |r| r.get(0))
                .unwrap()
        };
        let reasons = |store: &Store, q: &str| -> i64 {
            store
                .conn()
                .query_row("SELECT count(*) FROM reason_fts WHERE reason_fts MATCH ?1", [q], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(search(&store, "Vanishing"), 1);
        assert_eq!(reasons(&store, "pitch"), 2);

        let f = store.forget(&PersonRef::ProfileUrl("https://www.linkedin.com/in/ottoline".into())).unwrap();
        assert_eq!((f.requests, f.decisions, f.notes, f.answers), (1, 1, 1, 1));
        assert!(f.scrubbed);
        assert_eq!(search(&store, "Vanishing"), 0);
        assert_eq!(search(&store, "Staying"), 1);
        assert_eq!((reasons(&store, "Quixotic"), reasons(&store, "Zealous")), (0, 1));
        let ranks: i64 = store.conn().query_row("SELECT count(*) FROM review_rank", [], |r| r.get(0)).unwrap();
        assert_eq!(ranks, 1);
        let fk: i64 =
            store.conn().query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
        assert_eq!(fk, 0);
        drop(store);
        let bytes = std::fs::read(&db).unwrap();
        for s in ["Ottoline", "ottoline", "Vanish", "anishin", "message from Ott", "note on Ott", "Quixotic", "uixoti"]
        {
            assert!(!bytes.windows(s.len()).any(|w| w == s.as_bytes()), "{s:?} remains");
        }
        assert!(bytes.windows(11).any(|w| w == b"Pim Staying"));
    }

    #[test]
    fn forgetting_nobody_is_a_clear_error_and_changes_nothing() {
        let mut store = Store::in_memory().unwrap();
        add(&mut store, "Quin Present", None);
        let err = store.forget(&PersonRef::Request(42)).unwrap_err();
        assert_eq!(err.to_string(), "no request with id 42 (see `vetted list --status all`)");
        let err = store.forget(&PersonRef::ProfileUrl("https://www.linkedin.com/in/nobody".into())).unwrap_err();
        assert!(err.to_string().contains("nobody with the profile URL"), "{err}");
        assert_eq!(store.forgotten_counts().unwrap(), (0, 0));
    }

    #[test]
    fn the_check_on_open_stops_at_its_budget_and_doctor_checks_all() {
        let mut store = Store::in_memory().unwrap();
        let tx = store.write().unwrap();
        tx.execute_batch(
            "INSERT INTO person (id, key, name) \
               WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000) \
               SELECT i, 'name:p' || i, 'Person Example ' || i FROM n;
             INSERT INTO request (person_id, source, sent_at, message, added_at) \
               SELECT id, 'manual', '2026-11-01T00:00:00Z', 'hello there ' || id, '2026-11-01T00:00:00Z' FROM person;",
        )
        .unwrap();
        tx.commit().unwrap();
        assert_eq!(quick_check_within(&mut store.conn, Duration::ZERO).unwrap(), None, "interrupted");
        assert!(store.check_on_open().is_ok(), "a check cut short is not a failure");
        let full = run_check(&store.conn, false).unwrap();
        assert_eq!(full, vec!["ok".to_string()]);
        // The statement after an interrupted check runs normally.
        assert_eq!(store.conn.query_row("SELECT count(*) FROM request", [], |r| r.get::<_, i64>(0)).unwrap(), 200_000);
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(human(512), "512 B");
        assert_eq!(human(64 << 20), "64.0 MiB");
        assert_eq!(human(3 << 29), "1.5 GiB");
    }
}
