//! `vetted backup`: a private, consistent copy taken while another process writes.

use super::*;

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
