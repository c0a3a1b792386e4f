//! Issue 6, proved on the real binary: kills, full disks, concurrent processes, bad `--db`
//! targets, damaged pages, doctor, backup and forget (with the bytes of the file searched).
//! All people here are fictional.

use rusqlite::Connection;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::env::invitations;

const BIN: &str = env!("CARGO_BIN_EXE_vetted");

struct Env {
    tmp: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        Env { tmp }
    }
    fn db(&self) -> PathBuf {
        self.tmp.path().join("v.db")
    }
    fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }
    /// `vetted` on this env's private store (never the user's).
    fn cmd(&self) -> Command {
        self.cmd_with(Path::new(BIN))
    }
    /// The same, with another copy of the binary.
    fn cmd_with(&self, program: &Path) -> Command {
        let mut c = Command::new(program);
        c.env_clear()
            .env("HOME", self.tmp.path())
            .env("XDG_DATA_HOME", self.tmp.path().join("xdg-data"))
            .env("XDG_CONFIG_HOME", self.tmp.path().join("xdg-config"))
            .env("VETTED_DB", self.db())
            .stdin(Stdio::null());
        c
    }
    fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().unwrap()
    }
    /// Runs and insists on success; returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }
    fn count(&self, sql: &str) -> i64 {
        Connection::open(self.db()).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn integrity(db: &Path) -> String {
    let conn = Connection::open(db).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap()
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// Limits the child's file size to `bytes`, with SIGXFSZ ignored so writes fail with EFBIG.
fn limit_file_size(cmd: &mut Command, bytes: u64) {
    // SAFETY: only async-signal-safe calls (signal, setrlimit) between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let lim = libc::rlimit { rlim_cur: bytes as libc::rlim_t, rlim_max: bytes as libc::rlim_t };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

fn files_bytes(db: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        if let Ok(bytes) = std::fs::read(PathBuf::from(p)) {
            all.extend(bytes);
        }
    }
    all
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// Each entry of `dir`: name, mode, size and a hash of the bytes.
fn snapshot(dir: &Path) -> Vec<(String, u32, usize, u64)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let meta = e.metadata().unwrap();
            let bytes = if meta.is_file() { std::fs::read(e.path()).unwrap_or_default() } else { Vec::new() };
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            bytes.hash(&mut h);
            (e.file_name().to_string_lossy().into_owned(), meta.permissions().mode(), bytes.len(), h.finish())
        })
        .collect();
    v.sort();
    v
}

// ---------------------------------------------------------------- doctor

#[test]
fn doctor_passes_a_healthy_private_store_and_names_each_problem() {
    let env = Env::new();
    env.ok(&["add", "--name", "Bea Sample"]);
    let out = env.run(&["doctor"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    for name in ["integrity", "permissions", "schema", "free space"] {
        assert!(text.lines().any(|l| l.starts_with(name) && l.contains(" ok: ")), "{name}: {text}");
    }

    std::fs::set_permissions(env.db(), std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = env.run(&["doctor"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.lines().any(|l| l.starts_with("permissions") && l.contains("problem: ") && l.contains("0644")),
        "{text}"
    );
    assert!(text.lines().any(|l| l.starts_with("integrity") && l.contains(" ok: ")), "{text}");
}

#[test]
fn doctor_without_a_database_is_a_problem_and_creates_nothing() {
    let env = Env::new();
    let out = env.run(&["doctor"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("problem: no database"));
    assert!(!env.db().exists());
}

// ---------------------------------------------------------------- damaged pages, read-only mode

/// A store of `rows` imported requests, closed cleanly (no WAL left).
fn store_with_rows(env: &Env, rows: usize) {
    let csv = env.path("Invitations.csv");
    invitations(&csv, rows);
    env.ok(&["import", csv.to_str().unwrap()]);
    assert!(!env.path("v.db-wal").exists(), "a clean close leaves no WAL");
}

fn corrupt_middle(db: &Path) {
    let len = std::fs::metadata(db).unwrap().len();
    let mut f = std::fs::OpenOptions::new().write(true).open(db).unwrap();
    use std::io::{Seek, SeekFrom};
    f.seek(SeekFrom::Start(len / 2 / 4096 * 4096)).unwrap();
    f.write_all(&[0xA5; 3 * 4096]).unwrap();
}

#[test]
fn damaged_pages_are_detected_by_doctor_and_on_open_and_read_only_mode_still_reads() {
    let env = Env::new();
    store_with_rows(&env, 3000);
    corrupt_middle(&env.db());
    let before = std::fs::read(env.db()).unwrap();

    let out = env.run(&["doctor"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.lines().any(|l| l.starts_with("integrity") && l.contains("problem: ")), "{text}");

    let out = env.run(&["list", "--status", "all"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("damaged") && stderr(&out).contains("--read-only"), "{}", stderr(&out));
    let out = env.run(&["decide", "1", "--accept"]);
    assert_eq!(out.status.code(), Some(1), "no write to a damaged store");

    let out = env.run(&["--read-only", "list", "--status", "all", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let n = rows.as_array().unwrap().len();
    assert!(n > 0 && n < 3000, "what is readable is listed ({n} rows)");
    assert!(stderr(&out).contains("could not be read"), "{}", stderr(&out));
    let out = env.run(&["--read-only", "log", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));

    // Export (the complete JSON backup) from a rescued copy of every readable row.
    let out = env.run(&["--read-only", "export", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("could not be read"), "{}", stderr(&out));
    let backup: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let requests = backup["requests"].as_array().unwrap().len();
    assert!(requests > 0 && requests < 3000, "{requests} requests exported");
    assert_eq!(std::fs::read(env.db()).unwrap(), before, "nothing written");
}

#[test]
fn a_check_on_open_stays_fast_on_a_big_store() {
    // The check when opening is time-boxed (40 ms); a full quick_check of a 1M-row store
    // takes over a second (README). Here: 20,000 rows, and `list` must not be slowed by it.
    let env = Env::new();
    store_with_rows(&env, 20_000);
    let start = Instant::now();
    env.ok(&["list", "--status", "declined"]);
    assert!(start.elapsed() < Duration::from_secs(3), "{:?}", start.elapsed());
}

// ---------------------------------------------------------------- backup

#[test]
fn backup_is_a_private_consistent_copy_taken_while_another_process_writes() {
    let env = Env::new();
    env.ok(&["add", "--name", "Cy Example", "--message", "hello"]);
    env.ok(&["decide", "1", "--decline", "--reason", "selling"]);

    // Another process (this test) is in the middle of a write transaction.
    let other = Connection::open(env.db()).unwrap();
    other
        .execute_batch("BEGIN IMMEDIATE; INSERT INTO import_run (source, kind, started_at) VALUES ('x','y','z');")
        .unwrap();

    let copy = env.path("copy.db");
    let out = env.run(&["backup", copy.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    other.execute_batch("COMMIT").unwrap();
    assert_eq!(std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777, 0o600);
    assert_eq!(integrity(&copy), "ok");
    let c = Connection::open(&copy).unwrap();
    let reason: String = c.query_row("SELECT reason FROM decision", [], |r| r.get(0)).unwrap();
    assert_eq!(reason, "selling");
    let runs: i64 = c.query_row("SELECT count(*) FROM import_run", [], |r| r.get(0)).unwrap();
    assert_eq!(runs, 0, "the uncommitted write is not in the snapshot");

    // Never overwrites.
    let before = std::fs::read(&copy).unwrap();
    let out = env.run(&["backup", copy.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("already exists"));
    assert_eq!(std::fs::read(&copy).unwrap(), before);
}

// ---------------------------------------------------------------- forget

#[test]
fn forget_removes_every_trace_of_a_person_from_the_file_and_leaves_a_tombstone() {
    let env = Env::new();
    let secrets = [
        "Quintessa Forgettable",
        "https://www.linkedin.com/in/quintessa-forgettable",
        "we met at the glassblowing retreat",
        "owes me a pottery wheel",
        "too pushy about the timeshare",
    ];
    env.ok(&["add", "--name", secrets[0], "--url", secrets[1], "--message", secrets[2], "--note", secrets[3]]);
    env.ok(&["add", "--name", "Remy Keeper", "--message", "stays"]);
    env.ok(&["decide", "1", "--defer"]);
    env.ok(&["decide", "1", "--decline", "--reason", secrets[4], "--flag", "selling"]);
    env.ok(&["decide", "2", "--accept"]);
    // A second request from the same person, imported.
    let csv = env.path("Invitations.csv");
    std::fs::write(
        &csv,
        format!(
            "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n\
             {},Me,\"6/20/24, 4:15 PM\",{} again,INCOMING,{}/,https://www.linkedin.com/in/me\n",
            secrets[0], secrets[2], secrets[1]
        ),
    )
    .unwrap();
    env.ok(&["import", csv.to_str().unwrap()]);

    // Keep a reader open so the WAL stays, as while the app runs: the bytes are there now.
    let reader = Connection::open(env.db()).unwrap();
    let _: i64 = reader.query_row("SELECT count(*) FROM request", [], |r| r.get(0)).unwrap();
    let bytes = files_bytes(&env.db());
    for s in secrets {
        assert!(contains(&bytes, s), "before: {s:?} is in the files");
    }
    drop(reader);

    let out = env.run(&["forget", "https://www.linkedin.com/in/Quintessa-Forgettable/"]);
    assert_eq!(out.status.code(), Some(2), "no --yes, no terminal: refused");
    assert_eq!(env.count("SELECT count(*) FROM person"), 2);

    let text = env.ok(&["forget", "https://www.linkedin.com/in/Quintessa-Forgettable/", "--yes"]);
    assert!(text.contains("2 request(s), 2 decision(s), 1 note(s), 1 checklist answer(s)"), "{text}");
    assert!(
        text.contains(
            "their invitation is still on LinkedIn; the next import brings it back (as a new request) unless you \
             ignore it there"
        ),
        "{text}"
    );
    // So it does: the same file again brings them back, as new.
    let again = env.ok(&["import", csv.to_str().unwrap()]);
    assert!(again.contains("1 new request"), "{again}");
    let text = env.ok(&["forget", "https://www.linkedin.com/in/Quintessa-Forgettable/", "--yes"]);
    assert!(text.contains("still on LinkedIn"), "{text}");

    let bytes = files_bytes(&env.db());
    for s in secrets {
        assert!(!contains(&bytes, s), "after: {s:?} is still in the files");
    }
    assert!(contains(&bytes, "Remy Keeper"), "the others stay");
    assert_eq!(integrity(&env.db()), "ok");
    assert_eq!(env.count("SELECT count(*) FROM person"), 1);
    assert_eq!(env.count("SELECT count(*) FROM decision"), 1);
    assert_eq!(env.count("SELECT count(*) FROM forgotten WHERE requests = 2 AND decisions = 2"), 1);
    assert!(env.ok(&["log"]).contains("Remy Keeper"));

    let out = env.run(&["forget", "1", "--yes"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no request with id 1"), "{}", stderr(&out));
}

// ---------------------------------------------------------------- kill -9

/// Starts `vetted import csv`, SIGKILLs it after `delay_ms`; true when it was still running.
fn kill_9_import_after(env: &Env, csv: &Path, delay_ms: u64) -> bool {
    let mut child = env.cmd().args(["import", csv.to_str().unwrap()]).stdout(Stdio::null()).spawn().unwrap();
    std::thread::sleep(Duration::from_millis(delay_ms));
    let running = child.try_wait().unwrap().is_none();
    child.kill().unwrap();
    child.wait().unwrap();
    running
}

#[test]
fn kill_9_during_an_import_leaves_all_or_nothing() {
    let env = Env::new();
    env.ok(&["add", "--name", "Dee Earlier"]);
    env.ok(&["decide", "1", "--accept"]);
    let csv = env.path("Invitations.csv");
    let rows = 100_000;
    invitations(&csv, rows);
    let mut killed_mid_import = 0;
    for delay_ms in [300, 900] {
        killed_mid_import += kill_9_import_after(&env, &csv, delay_ms) as u32;
        assert_eq!(integrity(&env.db()), "ok");
        let n = env.count("SELECT count(*) FROM request");
        assert!(n == 1 || n == 1 + rows as i64, "partial import: {n}");
        assert_eq!(env.count("SELECT count(*) FROM decision WHERE status = 'accepted'"), 1);
    }
    assert!(killed_mid_import > 0, "the import ended before any kill: make the file bigger");
    env.ok(&["import", csv.to_str().unwrap()]);
    assert_eq!(env.count("SELECT count(*) FROM request"), 1 + rows as i64);
}

/// Into an empty store the import writes through a rollback journal (see `import::mod`): a
/// kill leaves a hot journal, which the next open must roll back.
#[test]
fn kill_9_during_a_first_import_into_an_empty_store_leaves_it_empty() {
    let env = Env::new();
    let csv = env.path("Invitations.csv");
    let rows = 100_000;
    invitations(&csv, rows);
    env.ok(&["list"]); // creates the empty store
    let (mut killed_mid_import, mut hot_journals) = (0, 0);
    for delay_ms in [300, 900] {
        killed_mid_import += kill_9_import_after(&env, &csv, delay_ms) as u32;
        hot_journals += env.path("v.db-journal").exists() as u32;
        // vetted itself opens it first (its header check runs before SQLite rolls back).
        let listed = env.ok(&["list", "--status", "all", "--json"]);
        let n = env.count("SELECT count(*) FROM request");
        assert!(n == 0 || n == rows as i64, "partial import: {n}");
        assert!(n > 0 || listed.trim() == "[]", "{listed}");
        assert_eq!(integrity(&env.db()), "ok");
        assert!(!env.path("v.db-journal").exists(), "the hot journal was rolled back and removed");
        if n > 0 {
            break;
        }
    }
    assert!(killed_mid_import > 0, "the import ended before any kill: make the file bigger");
    assert!(hot_journals > 0, "no kill left a rollback journal: the path under test was not taken");
    let journal: String =
        Connection::open(env.db()).unwrap().query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(journal, "wal", "the store is back in WAL mode");
    env.ok(&["import", csv.to_str().unwrap()]);
    assert_eq!(env.count("SELECT count(*) FROM request"), rows as i64);
}

/// What a killed first import leaves — its rollback journal, hot (synced, with the pages the
/// import had already written into the file) — is named as such by the commands that only
/// read, which cannot roll it back, and left for the next normal open to roll back. The kill
/// window between the journal's sync and the commit is too short to hit by timing, so the
/// test takes the files a kill leaves: a copy made while a writer with a tiny cache (its
/// pages spilled into the file) is in the middle of its transaction.
#[test]
fn an_interrupted_first_import_is_named_as_such_by_doctor_and_read_only_export() {
    let env = Env::new();
    env.ok(&["list"]); // the empty store
    let work = env.path("work.db");
    std::fs::copy(env.db(), &work).unwrap();
    let writer = Connection::open(&work).unwrap();
    writer.execute_batch("PRAGMA journal_mode = DELETE; PRAGMA cache_size = 5; BEGIN IMMEDIATE;").unwrap();
    writer
        .execute_batch(
            "INSERT INTO person (key, name) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) \
             SELECT 'name:p' || i, 'Person Example ' || i FROM n;",
        )
        .unwrap();
    let journal = env.path("v.db-journal");
    std::fs::copy(&work, env.db()).unwrap();
    std::fs::copy(env.path("work.db-journal"), &journal).unwrap();
    drop(writer);
    assert!(std::fs::read(&journal).unwrap().starts_with(&[0xd9, 0xd5, 0x05, 0xf9]), "a hot journal");
    for args in [&["doctor"][..], &["--read-only", "export", "--format", "json"], &["--read-only", "list"]] {
        let out = env.run(args);
        let said = format!("{}{}", stderr(&out), String::from_utf8_lossy(&out.stdout));
        assert_eq!(out.status.code(), Some(1), "{args:?}: {said}");
        assert!(said.contains("v.db: an import was interrupted (killed or crashed)"), "{args:?}: {said}");
        assert!(said.contains("rolls it back"), "{args:?}: {said}");
        assert!(!said.contains("damaged"), "{args:?}: {said}");
        assert!(journal.exists(), "{args:?} wrote nothing, so the journal is still there");
    }
    env.ok(&["list"]);
    assert!(!journal.exists());
    assert_eq!(integrity(&env.db()), "ok");
    let backup: serde_json::Value =
        serde_json::from_str(&env.ok(&["--read-only", "export", "--format", "json"])).unwrap();
    assert_eq!(backup["people"], serde_json::json!([]), "rolled back to the empty store");
}

#[test]
fn kill_9_during_decisions_loses_none_that_were_reported() {
    let env = Env::new();
    store_with_rows(&env, 50);
    let mut reported = Vec::new();
    for i in 0..30u64 {
        let id = (1 + i % 50).to_string();
        let mut child = env
            .cmd()
            .args(["decide", &id, "--decline", "--reason", &format!("reason {i}")])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(i * 3 % 40));
        let _ = child.kill();
        let out = child.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        if let Some(d) = text.split("(decision ").nth(1) {
            reported.push((d.trim_end_matches([')', '\n']).parse::<i64>().unwrap(), format!("reason {i}")));
        }
    }
    assert_eq!(integrity(&env.db()), "ok");
    let conn = Connection::open(env.db()).unwrap();
    for (id, reason) in &reported {
        let stored: String = conn.query_row("SELECT reason FROM decision WHERE id = ?1", [id], |r| r.get(0)).unwrap();
        assert_eq!(&stored, reason);
    }
    println!("{} of 30 decides reported before the kill; all stored", reported.len());
    env.ok(&["decide", "1", "--accept"]);
}

// ---------------------------------------------------------------- two processes

#[test]
fn concurrent_decides_all_land() {
    let env = Env::new();
    store_with_rows(&env, 20);
    let children: Vec<Child> = (1..=12)
        .map(|i| {
            let id = (1 + i % 6).to_string(); // two processes on each of six requests
            let verdict = if i > 6 { "--accept" } else { "--defer" }; // the same verdict twice is refused
            env.cmd()
                .args(["decide", &id, verdict, "--reason", &format!("r{i}")])
                .stdout(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert_eq!(env.count("SELECT count(*) FROM decision"), 12);
    assert_eq!(env.count("SELECT count(DISTINCT reason) FROM decision"), 12);
    assert_eq!(integrity(&env.db()), "ok");
}

#[test]
fn a_second_writer_waits_then_says_the_store_is_in_use() {
    let env = Env::new();
    env.ok(&["add", "--name", "Eli Sample"]);
    let holder = Connection::open(env.db()).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let start = Instant::now();
    let out = env.run(&["decide", "1", "--accept"]);
    let waited = start.elapsed();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("the store is in use"), "{}", stderr(&out));
    assert!(waited >= Duration::from_millis(4500), "waited only {waited:?}");
    holder.execute_batch("ROLLBACK").unwrap();

    // A lock released within the timeout: the second one waits and lands.
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let child = env.cmd().args(["decide", "1", "--accept"]).stdout(Stdio::null()).spawn().unwrap();
    std::thread::sleep(Duration::from_millis(800));
    holder.execute_batch("COMMIT").unwrap();
    assert!(child.wait_with_output().unwrap().status.success());
    assert_eq!(env.count("SELECT count(*) FROM decision"), 1);
}

// ---------------------------------------------------------------- bad --db targets

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\0\x01\0\0\x05\0\x01\r\n-\xb4\0\0\0\0IEND\xaeB`\x82";

#[test]
fn db_at_a_directory_an_image_or_a_text_file_is_refused_untouched() {
    let env = Env::new();
    std::fs::create_dir(env.path("dir.db")).unwrap();
    std::fs::write(env.path("photo.png"), PNG).unwrap();
    std::fs::write(env.path("notes.txt"), "From,To\nnot a database\n".repeat(40)).unwrap();
    let before = snapshot(env.tmp.path());
    for (target, expect) in
        [("dir.db", "is a directory"), ("photo.png", "not a SQLite database"), ("notes.txt", "not a SQLite database")]
    {
        for args in [&["list"][..], &["add", "--name", "Fay Example"], &["doctor"], &["--read-only", "log"]] {
            let out = env.cmd().env("VETTED_DB", env.path(target)).args(args).output().unwrap();
            assert_eq!(out.status.code(), Some(1), "{target} {args:?}");
            let all = format!("{}{}", stderr(&out), String::from_utf8_lossy(&out.stdout));
            assert!(all.contains(expect) && !all.contains("panicked"), "{target} {args:?}: {all}");
        }
    }
    assert_eq!(snapshot(env.tmp.path()), before);
}

#[test]
fn db_read_only_file_or_folder_is_refused_untouched_and_read_only_mode_reads_it() {
    let env = Env::new();
    env.ok(&["add", "--name", "Gil Sample"]);
    std::fs::set_permissions(env.db(), std::fs::Permissions::from_mode(0o400)).unwrap();
    let before = snapshot(env.tmp.path());
    let out = env.run(&["add", "--name", "Hal Sample"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("the file is read-only"), "{}", stderr(&out));
    assert!(env.ok(&["--read-only", "list"]).contains("Gil Sample"));
    let export = env.run(&["--read-only", "export", "--format", "csv"]);
    assert!(export.status.success() && stderr(&export).is_empty(), "{}", stderr(&export));
    assert_eq!(env.run(&["--read-only", "add", "--name", "Hal Sample"]).status.code(), Some(2));
    assert_eq!(snapshot(env.tmp.path()), before);

    std::fs::set_permissions(env.db(), std::fs::Permissions::from_mode(0o600)).unwrap();
    std::fs::set_permissions(env.tmp.path(), std::fs::Permissions::from_mode(0o500)).unwrap();
    let before = snapshot(env.tmp.path());
    let out = env.run(&["decide", "1", "--accept"]);
    let read = env.run(&["--read-only", "list"]);
    let after = snapshot(env.tmp.path());
    std::fs::set_permissions(env.tmp.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("its folder is read-only"), "{}", stderr(&out));
    assert!(read.status.success() && String::from_utf8_lossy(&read.stdout).contains("Gil Sample"), "{}", stderr(&read));
    assert_eq!(after, before);
}

/// Runs vetted (set up by `setup`) to the end as a user that mode bits apply to: as root, as
/// nobody (65534), in a folder made traversable for it, from a copy of the binary it can reach
/// (the build folder may be private). `None` (said on stderr) when root cannot drop privileges.
fn output_unprivileged(env: &Env, setup: impl Fn(&mut Command) -> &mut Command) -> Option<Output> {
    if !is_root() {
        return Some(setup(&mut env.cmd()).output().unwrap());
    }
    std::fs::set_permissions(env.tmp.path(), std::fs::Permissions::from_mode(0o711)).unwrap();
    let bin_dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(bin_dir.path(), std::fs::Permissions::from_mode(0o711)).unwrap();
    let bin = bin_dir.path().join("vetted");
    std::fs::copy(BIN, &bin).unwrap();
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    // A copy just written may still be open in a child that another test is forking
    // (ETXTBSY until that child execs): try again a few times.
    let mut tries = 0;
    let spawned = loop {
        match setup(&mut env.cmd_with(&bin)).uid(65534).gid(65534).output() {
            Err(e) if e.raw_os_error() == Some(libc::ETXTBSY) && tries < 50 => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(20));
            }
            other => break other,
        }
    };
    match spawned {
        Ok(out) => Some(out),
        Err(e) if e.raw_os_error() == Some(libc::EPERM) => {
            eprintln!("not run: root here cannot switch to uid 65534 ({e}), and root reads a chmod 000 file");
            None
        }
        Err(e) => panic!("spawn as uid 65534: {e}"),
    }
}

#[test]
fn db_unreadable_file_is_a_clear_error() {
    let env = Env::new();
    env.ok(&["add", "--name", "Ida Sample"]);
    std::fs::set_permissions(env.db(), std::fs::Permissions::from_mode(0o000)).unwrap();
    let before = snapshot(env.tmp.path());
    for args in [&["list"][..], &["add", "--name", "Jan Sample"], &["--read-only", "list"], &["doctor"]] {
        let Some(out) = output_unprivileged(&env, |c| c.args(args)) else { return };
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let expect = format!("{}: cannot open: Permission denied", env.db().display());
        assert!(
            format!("{}{}", stderr(&out), String::from_utf8_lossy(&out.stdout)).contains(&expect),
            "{}",
            stderr(&out)
        );
    }
    assert_eq!(snapshot(env.tmp.path()), before);
}

#[test]
fn an_unreadable_config_file_is_a_clear_error_before_the_terminal_is_touched() {
    let env = Env::new();
    let config = env.path("config.toml");
    std::fs::write(&config, "[keymap]\naccept = \"a\"\n").unwrap();
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o000)).unwrap();
    let before = snapshot(env.tmp.path());
    // No arguments: the review app, which must stop before raw mode or the alternate screen.
    for args in [&[][..], &["list"], &["config", "path"]] {
        let Some(out) = output_unprivileged(&env, |c| c.env("VETTED_CONFIG", &config).args(args)) else { return };
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let expect = format!("vetted: {}: cannot read the config file: Permission denied", config.display());
        assert!(stderr(&out).starts_with(&expect), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{args:?}: {}", String::from_utf8_lossy(&out.stdout));
    }
    assert_eq!(snapshot(env.tmp.path()), before);
}

#[test]
fn db_zero_length_file_becomes_a_new_empty_store() {
    let env = Env::new();
    std::fs::write(env.db(), b"").unwrap();
    assert!(env.ok(&["list"]).contains("(none)"));
    env.ok(&["add", "--name", "Jo Sample"]);
    assert!(env.ok(&["list"]).contains("Jo Sample"));
    assert!(std::fs::read(env.db()).unwrap().starts_with(b"SQLite format 3\0"));
}

// ---------------------------------------------------------------- disk full

#[test]
fn file_size_limit_during_an_import_is_a_clear_error_and_loses_nothing() {
    let env = Env::new();
    env.ok(&["add", "--name", "Kim Earlier"]);
    env.ok(&["decide", "1", "--decline", "--reason", "kept"]);
    let csv = env.path("Invitations.csv");
    invitations(&csv, 20_000);
    let mut cmd = env.cmd();
    cmd.args(["import", csv.to_str().unwrap()]);
    limit_file_size(&mut cmd, 256 * 1024);
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("the disk is full (or a file-size limit was reached)"), "{}", stderr(&out));
    assert_eq!(integrity(&env.db()), "ok");
    assert_eq!(env.count("SELECT count(*) FROM request"), 1);
    assert!(env.ok(&["log"]).contains("kept"));
    env.ok(&["import", csv.to_str().unwrap()]);
    assert_eq!(env.count("SELECT count(*) FROM request"), 20_001);
}

#[test]
fn file_size_limit_during_a_decide_is_a_clear_error_and_loses_nothing() {
    let env = Env::new();
    env.ok(&["add", "--name", "Lou Earlier"]);
    env.ok(&["add", "--name", "Max Later"]);
    env.ok(&["decide", "1", "--accept"]);
    // A reader keeps -wal and -shm in place (as a running app does), so the limit bites at
    // the decision's write, not at opening.
    let reader = Connection::open(env.db()).unwrap();
    let _: i64 = reader.query_row("SELECT count(*) FROM decision", [], |r| r.get(0)).unwrap();
    let mut cmd = env.cmd();
    cmd.args(["decide", "2", "--decline", "--reason", "never stored"]);
    limit_file_size(&mut cmd, 4096);
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("the disk is full (or a file-size limit was reached)"), "{}", stderr(&out));
    drop(reader);
    assert_eq!(integrity(&env.db()), "ok");
    assert_eq!(env.count("SELECT count(*) FROM decision"), 1);
    env.ok(&["decide", "2", "--decline", "--reason", "stored now"]);
    assert_eq!(env.count("SELECT count(*) FROM decision"), 2);
}

#[test]
fn forget_while_another_process_reads_finishes_scrubbing_at_the_next_open() {
    let env = Env::new();
    env.ok(&["add", "--name", "Ulla Transient", "--message", "a very particular sentence", "--note", "Ulla notes"]);
    env.ok(&["add", "--name", "Vic Remaining"]);
    let reader = Connection::open(env.db()).unwrap();
    reader.execute_batch("BEGIN").unwrap();
    let _: i64 = reader.query_row("SELECT count(*) FROM request", [], |r| r.get(0)).unwrap();
    let out = env.ok(&["forget", "1", "--yes"]);
    assert!(out.contains("could not be scrubbed yet"), "{out}");
    reader.execute_batch("COMMIT").unwrap();
    drop(reader);
    assert_eq!(env.count("SELECT count(*) FROM forgotten WHERE scrubbed = 0"), 1);

    assert!(env.ok(&["list"]).contains("Vic Remaining"));
    assert_eq!(env.count("SELECT count(*) FROM forgotten WHERE scrubbed = 1"), 1);
    let bytes = files_bytes(&env.db());
    for s in ["Ulla Transient", "a very particular sentence", "Ulla notes"] {
        assert!(!contains(&bytes, s), "{s:?} is still in the files");
    }
}

#[test]
fn wal_and_shm_are_private_under_umask_022() {
    let env = Env::new();
    let data = env.path("xdg-data");
    let under_umask_022 = |args: &[&str]| {
        let mut cmd = env.cmd();
        cmd.env_remove("VETTED_DB").args(args);
        // SAFETY: umask is async-signal-safe.
        unsafe {
            cmd.pre_exec(|| {
                libc::umask(0o022);
                Ok(())
            });
        }
        assert!(cmd.status().unwrap().success(), "{args:?}");
    };
    under_umask_022(&["add", "--name", "Wen Sample"]);
    let dir = data.join("vetted");
    let db = dir.join("vetted.db");
    // A reader keeps -wal and -shm in place while the binary writes under umask 022 again.
    let reader = Connection::open(&db).unwrap();
    let _: i64 = reader.query_row("SELECT count(*) FROM request", [], |r| r.get(0)).unwrap();
    under_umask_022(&["decide", "1", "--accept"]);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700);
    for suffix in ["", "-wal", "-shm"] {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        assert_eq!(mode(Path::new(&p)), 0o600, "vetted.db{suffix}");
    }
}

#[test]
fn no_network_crate_in_the_dependency_tree() {
    // (mio is there, for crossterm's terminal event polling, without its `net` feature.)
    let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock")).unwrap();
    let names: Vec<&str> = lock.lines().filter_map(|l| l.strip_prefix("name = \"")?.strip_suffix('"')).collect();
    assert!(names.contains(&"rusqlite"), "the lock file was read");
    for net in [
        "reqwest",
        "hyper",
        "ureq",
        "curl",
        "isahc",
        "attohttpc",
        "surf",
        "h2",
        "rustls",
        "native-tls",
        "openssl",
        "tokio",
        "socket2",
        "async-std",
        "smol",
    ] {
        assert!(!names.contains(&net), "{net} is in Cargo.lock");
    }
}

// ---------------------------------------------------------------- hostile text

/// A character that must never reach a terminal raw (as `text.rs` defines it).
fn dangerous(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

#[test]
fn hostile_text_through_import_list_and_log_never_reaches_the_terminal_raw() {
    let env = Env::new();
    let long = format!("Zed{}", "W".repeat(10_000));
    let hostile = [
        ("Csi Example", "\u{1b}[2J\u{1b}[31mred"),
        ("Osc\u{1b}]0;title\u{7} Example", "\u{1b}]8;;https://example.invalid\u{1b}\\link\u{1b}]8;;\u{1b}\\"),
        ("Dcs\u{1b}P1$r\u{1b}\\ Example", "\u{90}dcs\u{9c} \u{9b}2J c1"),
        ("Bel\u{7}\u{7} Example", "nul\u{0}byte"),
        ("Bidi\u{202E}exe.txt Example", "\u{2066}isolate\u{2069} \u{202D}override"),
        ("Zero\u{200B}\u{200D}\u{FEFF}Width", "\u{2060}joined"),
        (long.as_str(), "long name"),
    ];
    let csv = env.path("Invitations.csv");
    let mut bytes = b"From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n".to_vec();
    for (i, (name, message)) in hostile.iter().enumerate() {
        bytes.extend(
            format!(
                "\"{name}\",Me,\"6/20/24, 4:15 PM\",\"{message}\",INCOMING,https://www.linkedin.com/in/h-{i},\
                 https://www.linkedin.com/in/me\n"
            )
            .as_bytes(),
        );
    }
    std::fs::write(&csv, bytes).unwrap();
    let report = env.run(&["import", csv.to_str().unwrap()]);
    assert!(report.status.success(), "{}", stderr(&report));
    let report = String::from_utf8(report.stdout).unwrap();
    assert!(!report.chars().any(dangerous), "{report:?}");
    // A file that is not UTF-8 as a whole is read as Windows-1252, and the report says so.
    let bad = env.path("Bad.csv");
    let mut bytes = b"From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n".to_vec();
    bytes.extend(
        b"Bad\xff\xfeUtf8 Example,Me,\"6/20/24, 4:15 PM\",x\xc3(\x9b,INCOMING,https://www.linkedin.com/in/h-bad,x\n",
    );
    std::fs::write(&bad, bytes).unwrap();
    let bad_report = env.ok(&["import", bad.to_str().unwrap()]);
    assert!(!bad_report.chars().any(dangerous), "{bad_report:?}");
    for id in 1..=7 {
        env.ok(&["decide", &id.to_string(), "--decline", "--reason", "\u{1b}[8mhidden\u{202E} reason\u{7}"]);
    }
    for args in [&["list", "--status", "all"][..], &["list", "--status", "all", "--json"], &["log"], &["log", "--json"]]
    {
        let out = env.run(args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        let text = String::from_utf8(out.stdout).expect("output is UTF-8");
        let bad: Vec<char> = text.chars().filter(|&c| dangerous(c)).collect();
        assert!(bad.is_empty(), "{args:?}: raw {bad:?}");
        assert!(text.contains("Csi Example"), "{args:?}");
    }
    // Visible, not dropped: the table shows stand-ins where the controls were.
    let table = env.ok(&["list", "--status", "all"]);
    assert!(table.contains('␛'), "{table}");
    // The store keeps the original text; JSON round-trips it.
    let conn = Connection::open(env.db()).unwrap();
    for (name, message) in &hostile[..6] {
        let stored: String = conn
            .query_row(
                "SELECT r.message FROM request r JOIN person p ON p.id = r.person_id WHERE p.name = ?1",
                [name],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(&stored, message);
    }
    let json: serde_json::Value = serde_json::from_str(&env.ok(&["list", "--status", "all", "--json"])).unwrap();
    let names: Vec<&str> = json.as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    for (name, _) in &hostile {
        assert!(names.contains(name), "{:?} not round-tripped", &name[..name.len().min(20)]);
    }
    let stored: i64 =
        conn.query_row("SELECT count(*) FROM person WHERE length(name) > 10000", [], |r| r.get(0)).unwrap();
    assert_eq!(stored, 1, "the 10,000-character name is kept whole");
    assert!(bad_report.contains("is not UTF-8: read as Windows-1252"), "{bad_report}");
    assert!(env.ok(&["list"]).contains("Badÿ"), "its row is read, not lost");
}

#[test]
fn newer_or_foreign_databases_are_refused_untouched_in_every_mode() {
    let env = Env::new();
    env.ok(&["add", "--name", "Xia Sample"]);
    {
        let c = Connection::open(env.db()).unwrap();
        c.execute_batch("PRAGMA user_version = 999; PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    }
    let other = env.path("photos.db");
    Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT);")
        .unwrap();
    let before = snapshot(env.tmp.path());
    for (db, expect) in [(env.db(), "written by a newer vetted"), (other.clone(), "another application")] {
        for args in
            [&["list"][..], &["--read-only", "list"], &["--read-only", "export", "--format", "json"], &["doctor"]]
        {
            let out = env.cmd().env("VETTED_DB", &db).args(args).output().unwrap();
            assert_eq!(out.status.code(), Some(1), "{args:?}");
            let all = format!("{}{}", stderr(&out), String::from_utf8_lossy(&out.stdout));
            assert!(all.contains(expect), "{args:?}: {all}");
        }
    }
    assert_eq!(snapshot(env.tmp.path()), before);
}

// ---------------------------------------------------------------- huge structured inputs

/// Runs `cmd` to the end; its exit code and peak RSS in MiB (wait4's ru_maxrss).
#[allow(clippy::zombie_processes)] // reaped by wait4, which also gives the peak RSS
fn peak_rss_mib(cmd: &mut Command) -> (Option<i32>, i64) {
    let child = cmd.stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 fills it for our own child, reaped here.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    // SAFETY: waits for the child spawned above, with valid out-pointers.
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(rc, pid);
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    (code, usage.ru_maxrss / 1024)
}

#[test]
fn a_toml_file_at_the_size_limit_imports_within_the_memory_budget() {
    let env = Env::new();
    // Just under the 8 MiB limit for files parsed whole.
    let toml = env.path("requests.toml");
    let mut text = String::new();
    let mut i = 0;
    loop {
        let record = format!(
            "[[request]]\nname = \"Toml Example{i}\"\nsent_at = \"2026-11-01\"\nprofile_url = \"https://www.linkedin.com/in/toml-{i}\"\n\n"
        );
        if text.len() + record.len() > 8 * 1024 * 1024 {
            break;
        }
        text.push_str(&record);
        i += 1;
    }
    std::fs::write(&toml, &text).unwrap();
    let (code, rss) = peak_rss_mib(env.cmd().args(["import", toml.to_str().unwrap()]));
    assert_eq!(code, Some(0));
    assert_eq!(env.count("SELECT count(*) FROM request"), i as i64);
    assert!(rss <= 256, "peak RSS {rss} MiB for {i} TOML records");
    println!("{i} TOML records (8 MiB): peak RSS {rss} MiB");

    // One byte more is refused at once, before anything is read into memory.
    text.push_str(&" ".repeat(8 * 1024 * 1024 + 1 - text.len()));
    let big = env.path("big.toml");
    std::fs::write(&big, &text).unwrap();
    let out = env.run(&["import", big.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("over the 8 MiB limit for TOML and JSON"), "{}", stderr(&out));
    assert_eq!(env.count("SELECT count(*) FROM request"), i as i64);
}

/// A backup as `vetted export --format json` writes it: `n` people, each with a declined
/// request, a checklist answer and a decision, with a message and a reason of 1,000 bytes.
fn big_backup(path: &Path, n: usize) {
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let (at, long) = ("2026-11-01T10:00:00Z", "x".repeat(1000));
    write!(w, "{{\"vetted_backup\": 1, \"exported_at\": \"{at}\",\n\"people\": [").unwrap();
    for i in 1..=n {
        let sep = if i == 1 { "\n" } else { ",\n" };
        write!(
            w,
            "{sep}{{\"id\":{i},\"key\":\"https://www.linkedin.com/in/ada-{i}\",\"name\":\"Ada Example{i}\",\
             \"profile_url\":\"https://www.linkedin.com/in/ada-{i}\",\"headline\":null,\"company\":null,\
             \"location\":null,\"mutual_connections\":null,\"shared_groups\":null,\"introduced_by\":null,\
             \"connected_on\":null,\"notes\":\"met at {i}\"}}"
        )
        .unwrap();
    }
    write!(w, "\n],\n\"requests\": [").unwrap();
    for i in 1..=n {
        let sep = if i == 1 { "\n" } else { ",\n" };
        write!(
            w,
            "{sep}{{\"id\":{i},\"person_id\":{i},\"source\":\"manual\",\"sent_at\":\"{at}\",\"sent_at_raw\":null,\
             \"message\":\"{long}\",\"hints\":\"\",\"status\":\"declined\",\"earlier_decline\":null,\
             \"added_at\":\"{at}\",\"defer_until\":null,\"done_on_linkedin\":null}}"
        )
        .unwrap();
    }
    write!(w, "\n],\n\"answers\": [").unwrap();
    for i in 1..=n {
        let sep = if i == 1 { "\n" } else { ",\n" };
        write!(w, "{sep}{{\"request_id\":{i},\"item\":\"know_like_trust\",\"value\":true}}").unwrap();
    }
    write!(w, "\n],\n\"decisions\": [").unwrap();
    for i in 1..=n {
        let sep = if i == 1 { "\n" } else { ",\n" };
        write!(
            w,
            "{sep}{{\"id\":{i},\"request_id\":{i},\"status\":\"declined\",\"reason\":\"{long}\",\
             \"answers\":{{\"know_like_trust\":true}},\"supersedes\":null,\"undo\":false,\"decided_at\":\"{at}\",\
             \"defer_until\":null}}"
        )
        .unwrap();
    }
    writeln!(w, "\n]\n}}").unwrap();
    w.flush().unwrap();
}

#[test]
fn a_large_json_backup_restores_within_the_memory_budget() {
    let env = Env::new();
    let backup = env.path("backup.json");
    let n = 40_000;
    big_backup(&backup, n);
    let size = std::fs::metadata(&backup).unwrap().len() / (1024 * 1024);
    let (code, rss) = peak_rss_mib(env.cmd().args(["import", backup.to_str().unwrap()]));
    assert_eq!(code, Some(0));
    for table in ["person", "note", "request", "answer", "decision"] {
        assert_eq!(env.count(&format!("SELECT count(*) FROM {table}")), n as i64, "{table}");
    }
    assert_eq!(integrity(&env.db()), "ok");
    println!("{n} decisions ({size} MiB backup): peak RSS {rss} MiB");
    assert!(rss <= 64 && rss < size as i64 / 2, "peak RSS {rss} MiB for a {size} MiB backup");
}

#[test]
fn a_damaged_backup_is_a_clear_error_and_stores_nothing() {
    let env = Env::new();
    let good = env.path("good.json");
    big_backup(&good, 300);
    let text = std::fs::read_to_string(&good).unwrap();
    let cut = env.path("cut.json");
    std::fs::write(&cut, &text[..text.len() * 9 / 10]).unwrap();
    // The last decision given the id of the first: the store refuses it, after all else is in.
    let last = text.rfind("{\"id\":300,").unwrap();
    let dup = env.path("dup.json");
    std::fs::write(&dup, format!("{}{{\"id\":1,{}", &text[..last], &text[last + 10..])).unwrap();
    let newer = env.path("newer.json");
    std::fs::write(&newer, text.replacen("\"vetted_backup\": 1", "\"vetted_backup\": 2", 1)).unwrap();
    for (file, expect) in [
        (&newer, format!("{}: backup format 2 is newer than this vetted knows; nothing", newer.display())),
        (&cut, format!("{}: not a readable vetted backup: EOF while parsing a string at line 1", cut.display())),
        (
            &dup,
            format!("{}: decisions #300: UNIQUE constraint failed: decision.id; nothing was imported", dup.display()),
        ),
    ] {
        let out = env.run(&["import", file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(stderr(&out).contains(&expect), "{}", stderr(&out));
        for table in ["person", "note", "request", "answer", "decision"] {
            assert_eq!(env.count(&format!("SELECT count(*) FROM {table}")), 0, "{table}");
        }
    }
    env.ok(&["import", good.to_str().unwrap()]);
    assert_eq!(env.count("SELECT count(*) FROM decision"), 300);
}

#[test]
fn kill_9_during_a_batch_decision_leaves_all_of_it_or_none() {
    let env = Env::new();
    store_with_rows(&env, 3000);
    for wait in [0u64, 5, 15, 30, 60, 120] {
        let mut child = env
            .cmd()
            .args(["decide", "--where", "ada", "--decline", "--reason", "batch", "--yes"])
            .stdout(Stdio::null())
            .stdin(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(wait));
        let _ = child.kill();
        let _ = child.wait();
        assert_eq!(integrity(&env.db()), "ok");
        let conn = Connection::open(env.db()).unwrap();
        let counts: Vec<(i64, i64)> = conn
            .prepare("SELECT batch, count(*) FROM decision WHERE batch IS NOT NULL AND undo = 0 GROUP BY batch")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(counts.iter().all(|(_, n)| *n == 3000), "every batch whole, after {wait} ms: {counts:?}");
        let declined: i64 =
            conn.query_row("SELECT count(*) FROM request WHERE status = 'declined'", [], |r| r.get(0)).unwrap();
        assert!(declined == 0 || declined == 3000, "all or none declined after {wait} ms: {declined}");
        if declined == 3000 {
            println!("the batch was whole when killed after {wait} ms");
            return;
        }
    }
    println!("every kill came before the commit: nothing was written");
}
