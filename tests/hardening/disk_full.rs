//! Full disks and file-size limits, private WAL files, no network crate.

use super::*;

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
