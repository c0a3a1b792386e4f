//! Keeping the store sound: the integrity check when opening and doctor's checks
//! (integrity, permissions, schema, free space, owed scrubs), and online backups.

use super::{Result, Store, StoreError, schema, sqlite_err};
use rusqlite::Connection;
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long the check when opening may take: long enough to check a small store completely,
/// short enough that a big one still opens at once. Doctor runs the full check.
pub const OPEN_CHECK_BUDGET: Duration = Duration::from_millis(40);
/// Stores up to this size are checked at every open (the check finishes within its budget);
/// bigger ones only when there is a reason to.
pub const OPEN_CHECK_BYTES: u64 = 8 << 20;

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

/// `quick_check` of a backup's copy at `path`, table by table: every table and index (the
/// search indexes' own tables among them) page by page, as `PRAGMA quick_check` does, but not
/// the search indexes' contents term by term (FTS5's own check: most of its time at 1M
/// decisions, and what it checks can be rebuilt from the tables). Read through a memory map
/// (the copy is a private file nothing else opens) on two threads, each taking the largest
/// table left. `["ok"]` for a sound copy.
fn check_copy(path: &Path) -> rusqlite::Result<Vec<String>> {
    let open = || {
        let c = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        c.pragma_update(None, "mmap_size", 1i64 << 40)?;
        Ok::<_, rusqlite::Error>(c)
    };
    let first = open()?;
    let names: Vec<String> = first
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let quoted = |t: &str| format!("\"{}\"", t.replace('"', "\"\""));
    // Largest first (rows as the rowid says; a table without one counts as small), so neither
    // thread is left alone with the biggest at the end.
    let mut tables: Vec<(i64, String)> = names
        .into_iter()
        .map(|t| {
            let rows = first.query_row(&format!("SELECT max(rowid) FROM {}", quoted(&t)), [], |r| r.get(0));
            (rows.ok().flatten().unwrap_or(0), t)
        })
        .collect();
    tables.sort_by_key(|t| std::cmp::Reverse(t.0));
    let queue = std::sync::Mutex::new(tables.into_iter().map(|(_, t)| t));
    let check = |conn: &Connection| -> rusqlite::Result<Vec<String>> {
        let mut problems = Vec::new();
        while let Some(table) = queue.lock().unwrap_or_else(|e| e.into_inner()).next() {
            let sql = format!("PRAGMA quick_check({})", quoted(&table));
            let lines: Vec<String> =
                conn.prepare(&sql)?.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            problems.extend(lines.into_iter().filter(|l| l != "ok"));
        }
        Ok(problems)
    };
    let (problems, theirs) = std::thread::scope(|scope| {
        let other = scope.spawn(|| open().and_then(|c| check(&c)));
        let mine = check(&first);
        (mine, other.join().unwrap_or_else(|_| Ok(vec!["the check's second thread failed".into()])))
    });
    let mut problems = problems?;
    problems.extend(theirs?);
    Ok(if problems.is_empty() { vec!["ok".into()] } else { problems })
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

    /// Every check of `vetted doctor`, in order: integrity, permissions, schema, free space, forgotten people whose scrub is owed.
    pub fn doctor(&self) -> Vec<Check> {
        vec![
            self.integrity_check(),
            self.permissions_check(),
            self.schema_check(),
            self.objects_check(),
            self.free_space_check(),
            self.forget_check(),
            self.evidence_check(),
        ]
    }

    /// `PRAGMA integrity_check`, all of it.
    fn integrity_check(&self) -> Check {
        match run_check(&self.conn, true) {
            Ok(lines) if lines == ["ok"] => Check::ok("integrity", "ok (PRAGMA integrity_check)"),
            Ok(lines) => Check::problem("integrity", lines.join("; ")),
            Err(e) => Check::problem("integrity", e.to_string()),
        }
    }

    /// The folder 0700 and the database files 0600.
    fn permissions_check(&self) -> Check {
        let mut problems = Vec::new();
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            problems.extend(mode_problem(dir, 0o700));
        }
        for suffix in ["", "-wal", "-shm"] {
            problems.extend(mode_problem(&sibling(&self.path, suffix), 0o600));
        }
        if problems.is_empty() {
            Check::ok("permissions", "folder 0700, database files 0600 (nothing readable by others)")
        } else {
            Check::problem("permissions", format!("{} (chmod them)", problems.join("; ")))
        }
    }

    /// The schema version and the application id are this vetted's.
    fn schema_check(&self) -> Check {
        let ids: rusqlite::Result<(i32, i32)> = self.conn.query_row(
            "SELECT (SELECT user_version FROM pragma_user_version), (SELECT application_id FROM pragma_application_id)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        );
        match ids {
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
        }
    }

    /// Every table, index and trigger is vetted's own.
    fn objects_check(&self) -> Check {
        match self.foreign_objects(None) {
            Ok(found) if found.is_empty() => Check::ok("objects", "every table, index and trigger is vetted's own"),
            Ok(found) => Check::problem(
                "objects",
                format!(
                    "{} vetted did not make: {} (vetted will not write while a trigger or view is there)",
                    if found.len() == 1 { "1 schema object" } else { "schema objects" },
                    found.join(", ")
                ),
            ),
            Err(e) => Check::problem("objects", e.to_string()),
        }
    }

    /// Free space: twice the store, at least [`MIN_FREE_BYTES`].
    fn free_space_check(&self) -> Check {
        let dir = match self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            Some(d) => d.to_path_buf(),
            None => PathBuf::from("."),
        };
        let db_size = fs::metadata(&self.path).map(|m| m.len()).unwrap_or(0)
            + fs::metadata(sibling(&self.path, "-wal")).map(|m| m.len()).unwrap_or(0);
        let need = MIN_FREE_BYTES.max(2 * db_size);
        match free_bytes(&dir) {
            Ok(free) if free >= need => Check::ok("free space", format!("{} free", human(free))),
            Ok(0) => Check::problem(
                "free space",
                format!("the disk is full (0 B free); vetted wants at least {}: nothing can be saved", human(need)),
            ),
            Ok(free) => Check::problem(
                "free space",
                format!("{} free; vetted wants at least {} (decisions could fail to save)", human(free), human(need)),
            ),
            Err(e) => Check::problem("free space", format!("statvfs: {e}")),
        }
    }

    /// Forgotten people whose scrub is owed.
    fn forget_check(&self) -> Check {
        // A store older than the tombstones (migration 4) has nobody forgotten.
        let owed: i64 =
            self.conn.query_row("SELECT count(*) FROM forgotten WHERE scrubbed = 0", [], |r| r.get(0)).unwrap_or(0);
        match owed {
            0 => Check::ok("forget", "every forgotten person is scrubbed from the file"),
            n => Check::problem(
                "forget",
                format!(
                    "{n} forgotten {} not yet scrubbed from the file (deleted text may remain in it); the next \
                     `vetted` command with free space, while no other vetted runs, finishes it",
                    if n == 1 { "person" } else { "people" }
                ),
            ),
        }
    }

    /// The evidence's tables hold nothing of a request that is gone (forget removes a
    /// person's findings and campaign keys with their requests), and how many of the user's
    /// own outgoing invitations are kept (names and URLs: `vetted forget` erases one).
    fn evidence_check(&self) -> Check {
        let counts = self.conn.query_row(
            "SELECT (SELECT count(*) FROM finding f WHERE NOT EXISTS (SELECT 1 FROM request r WHERE r.id = f.request_id)) \
                  + (SELECT count(*) FROM campaign_key c WHERE NOT EXISTS (SELECT 1 FROM request r WHERE r.id = c.request_id)), \
                    (SELECT count(*) FROM outgoing_invitation)",
            [],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
        );
        match counts {
            // A store older than the evidence (migration 11) keeps none.
            Err(_) => Check::ok("evidence", "this store keeps no evidence yet"),
            Ok((0, outgoing)) => Check::ok(
                "evidence",
                format!(
                    "every finding and campaign key belongs to a stored request; {outgoing} of your own outgoing \
                     invitations kept (`vetted forget URL|NAME` erases one)"
                ),
            ),
            Ok((n, _)) => Check::problem(
                "evidence",
                format!(
                    "{n} finding or campaign key row(s) of requests no longer stored (forget takes them with their request: a tool other than vetted changed the file)"
                ),
            ),
        }
    }

    /// Copies the store to `dest` with SQLite's online backup API: a consistent snapshot,
    /// taken while other vetted processes may be reading or writing. `dest` must not exist.
    /// The copy is written to a private (0600) temporary file in `dest`'s folder and renamed
    /// into place when whole, so a failure (a full disk) leaves nothing there; errors name `dest`.
    pub fn backup(&self, dest: &Path) -> Result<()> {
        let io = |action, source| StoreError::Io { path: dest.into(), action, source };
        if dest.exists() {
            return Err(StoreError::Exists { path: dest.into() });
        }
        let dir = super::files::folder_of(dest);
        let tmp = crate::partial::Partial::create_in(dir).map_err(|e| io("cannot create", e))?;
        self.backup_into(tmp.path(), dest)?;
        // The copy goes to the disk while it is checked (one waits on the disk, the other reads
        // the pages just written from memory).
        let (synced, lines) = std::thread::scope(|scope| {
            let synced = scope.spawn(|| tmp.as_file().sync_all());
            let lines = check_copy(tmp.path());
            (synced.join().unwrap_or_else(|_| Err(std::io::Error::other("the sync's thread failed"))), lines)
        });
        let lines = lines.map_err(|e| match sqlite_err(dest, e) {
            StoreError::Full { path } => StoreError::TargetFull { path },
            other => other,
        })?;
        if lines != ["ok"] {
            return Err(StoreError::Corrupt { path: dest.into(), detail: lines.join("; ") });
        }
        synced.map_err(|e| io("cannot sync", e))?;
        tmp.persist_noclobber(dest).map_err(|e| match e.error.kind() {
            std::io::ErrorKind::AlreadyExists => StoreError::Exists { path: dest.into() },
            _ => io("cannot create", e.error),
        })?;
        Ok(())
    }

    /// The copy itself, into the (empty) file at `to_path`, not yet checked nor synced; errors
    /// name `dest`.
    fn backup_into(&self, to_path: &Path, dest: &Path) -> Result<()> {
        // A write that fails is the target's: its disk, not the store's.
        let target = |e| match sqlite_err(dest, e) {
            StoreError::Full { path } => StoreError::TargetFull { path },
            other => other,
        };
        let mut to = Connection::open(to_path).map_err(target)?;
        // No sync of its own: the copy is a temporary file, synced once whole before it is
        // renamed into place (`backup`), so its pages go to the disk while it is checked.
        to.pragma_update(None, "synchronous", "OFF").map_err(target)?;
        {
            let backup = rusqlite::backup::Backup::new(&self.conn, &mut to).map_err(target)?;
            // All pages in one step: one read transaction, so one consistent snapshot
            // (WAL readers never block writers, nor writers them).
            let mut waited = Duration::ZERO;
            loop {
                match backup.step(-1).map_err(target)? {
                    rusqlite::backup::StepResult::Done => break,
                    _ if waited >= super::BUSY_TIMEOUT => return Err(StoreError::Busy { path: self.path.clone() }),
                    _ => {
                        std::thread::sleep(Duration::from_millis(50));
                        waited += Duration::from_millis(50);
                    }
                }
            }
        }
        // Leave one self-contained file behind: no -wal for the copy (and so the check's
        // readers need none either).
        to.pragma_update(None, "journal_mode", "DELETE").map_err(target)?;
        to.close().map_err(|(_, e)| target(e))
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

    #[test]
    fn the_check_of_a_copy_finds_a_damaged_table_page() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("copy.db");
        let root: i64 = {
            let store = Store::open(&path).unwrap();
            store
                .conn
                .execute_batch(
                    "INSERT INTO person (id, key, name) \
                       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) \
                       SELECT i, 'name:p' || i, 'Fictional Person ' || i FROM n;",
                )
                .unwrap();
            store.conn.query_row("SELECT rootpage FROM sqlite_schema WHERE name = 'person'", [], |r| r.get(0)).unwrap()
        };
        assert_eq!(check_copy(&path).unwrap(), ["ok"]);
        // The person table's root (an interior page at 20,000 rows): its cells point nowhere.
        let mut bytes = fs::read(&path).unwrap();
        let page = u16::from_be_bytes([bytes[16], bytes[17]]) as usize;
        let at = (root as usize - 1) * page + 12;
        bytes[at..at + 64].fill(0xff);
        fs::write(&path, bytes).unwrap();
        assert!(!matches!(check_copy(&path), Ok(lines) if lines == ["ok"]));
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
