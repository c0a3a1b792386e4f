//! kill -9 in the middle of imports and decisions: all or nothing, never a half.

use super::*;

/// Starts `vetted import csv` and SIGKILLs it once its transaction holds the store's write
/// lock and has written more than `wal_bytes` into its log (waited for, not timed); true when
/// the kill landed so, mid-transaction.
fn kill_9_import_mid_transaction(env: &Env, csv: &Path, wal_bytes: u64) -> bool {
    let mut child = env.cmd().args(["import", csv.to_str().unwrap()]).stdout(Stdio::null()).spawn().unwrap();
    // A WAL, or into an empty store a rollback journal (see `import::mod`).
    let logs = [env.path("v.db-wal"), env.path("v.db-journal")];
    let mut landed = false;
    while child.try_wait().unwrap().is_none() {
        let written: u64 = logs.iter().map(|p| std::fs::metadata(p).map_or(0, |m| m.len())).sum();
        if written > wal_bytes && write_lock_held(&env.db()) {
            landed = child.kill().is_ok();
            break;
        }
    }
    let _ = child.kill();
    child.wait().unwrap();
    landed
}

/// Bytes a process has read so far (`rchar` of `/proc/PID/io`).
fn bytes_read(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/io"))
        .ok()
        .and_then(|io| io.lines().find_map(|l| l.strip_prefix("rchar: ").and_then(|n| n.trim().parse().ok())))
        .unwrap_or(0)
}

/// Starts the first `vetted import csv` into an empty store and SIGKILLs it once its
/// transaction has begun — its rollback journal exists and it holds the write lock — and it
/// has read more than `read` bytes (waited for, not timed); true when the kill landed so.
/// Into an empty store the journal holds only the few pages the store had, and its header is
/// written when it is synced, at the commit: mid-import it is there, but not yet hot.
fn kill_9_first_import_mid_transaction(env: &Env, csv: &Path, read: u64) -> bool {
    let mut child = env.cmd().args(["import", csv.to_str().unwrap()]).stdout(Stdio::null()).spawn().unwrap();
    let journal = env.path("v.db-journal");
    let mut landed = false;
    while child.try_wait().unwrap().is_none() {
        if journal.exists() && bytes_read(child.id()) > read && write_lock_held(&env.db()) {
            landed = child.kill().is_ok();
            break;
        }
    }
    let _ = child.kill();
    child.wait().unwrap();
    landed
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
    // As soon as it writes, and once it has written a few MiB.
    for wal_bytes in [0, 4 << 20] {
        killed_mid_import += kill_9_import_mid_transaction(&env, &csv, wal_bytes) as u32;
        assert_eq!(integrity(&env.db()), "ok");
        let n = env.count("SELECT count(*) FROM request");
        assert!(n == 1 || n == 1 + rows as i64, "partial import: {n}");
        assert_eq!(env.count("SELECT count(*) FROM decision WHERE status = 'accepted'"), 1);
    }
    assert!(killed_mid_import > 0, "the import ended before any kill landed in its transaction: make the file bigger");
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
    let (mut killed_mid_import, mut journals_left) = (0, 0);
    // As its transaction begins, and once it has read half the file.
    let size = std::fs::metadata(&csv).unwrap().len();
    for read in [0, size / 2] {
        killed_mid_import += kill_9_first_import_mid_transaction(&env, &csv, read) as u32;
        journals_left += env.path("v.db-journal").exists() as u32;
        // vetted itself opens it first (its header check runs before SQLite rolls back).
        let listed = env.ok(&["list", "--status", "all", "--json"]);
        let n = env.count("SELECT count(*) FROM request");
        assert!(n == 0 || n == rows as i64, "partial import: {n}");
        assert!(n > 0 || listed.trim() == "[]", "{listed}");
        assert_eq!(integrity(&env.db()), "ok");
        // Hot, SQLite rolls it back and removes it; not hot yet (its header still zero), there
        // is nothing to roll back and vetted's open removes it.
        assert!(!env.path("v.db-journal").exists(), "the journal was rolled back and removed");
        if n > 0 {
            break;
        }
    }
    assert!(killed_mid_import > 0, "the import ended before any kill landed in its transaction: make the file bigger");
    assert!(journals_left > 0, "no kill left a rollback journal: the path under test was not taken");
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

/// True while another connection holds the store's write lock: a `BEGIN IMMEDIATE` without a
/// busy timeout is refused at once.
fn write_lock_held(db: &Path) -> bool {
    let Ok(conn) = Connection::open(db) else { return false };
    let _ = conn.busy_timeout(Duration::ZERO);
    match conn.execute_batch("BEGIN IMMEDIATE") {
        Ok(()) => {
            let _ = conn.execute_batch("ROLLBACK");
            false
        }
        Err(_) => true,
    }
}

/// The kill lands while the batch's transaction holds the store's write lock (waited for, not
/// timed: the test watches the lock), and proves it did: a try whose kill came before or after
/// the transaction does not count.
#[test]
fn kill_9_during_a_batch_decision_leaves_all_of_it_or_none() {
    const TRIES: usize = 10;
    for attempt in 1..=TRIES {
        let env = Env::new();
        store_with_rows(&env, 3000);
        let mut child = env
            .cmd()
            .args(["decide", "--where", "ada", "--decline", "--reason", "batch", "--yes"])
            .stdout(Stdio::null())
            .stdin(Stdio::null())
            .spawn()
            .unwrap();
        // Opening a current store writes nothing: the first write lock is the batch's.
        let mut in_transaction = false;
        while child.try_wait().unwrap().is_none() {
            if write_lock_held(&env.db()) {
                in_transaction = child.kill().is_ok();
                break;
            }
        }
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
        assert!(counts.iter().all(|(_, n)| *n == 3000), "every batch whole, try {attempt}: {counts:?}");
        let declined: i64 =
            conn.query_row("SELECT count(*) FROM request WHERE status = 'declined'", [], |r| r.get(0)).unwrap();
        assert!(declined == 0 || declined == 3000, "all or none declined, try {attempt}: {declined}");
        if in_transaction {
            println!("try {attempt}: killed while the batch held the write lock; {declined} of 3000 declined");
            return;
        }
    }
    panic!("in {TRIES} tries no kill landed while the batch's transaction was open");
}
