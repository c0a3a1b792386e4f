//! The third hardening round's smaller promises (issue 20, "weaker, but each is a promise the
//! docs make"), on the real binary: schema objects vetted did not make, a changed version
//! number, a `TZ` that names a device or a FIFO, `umask 000`, a store path that is not UTF-8,
//! and `--help` into a full device. All people are fictional.

use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};

mod common;
use common::env::Env;

fn sqlite(db: &std::path::Path, sql: &str) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(sql).unwrap();
}

#[test]
fn a_trigger_vetted_did_not_make_is_named_and_nothing_is_written_while_it_is_there() {
    let env = Env::new();
    env.ok(&["add", "--name", "Ada Example", "--note", "private words"]);
    let db = env.path("v.db");
    // A planted trigger that would keep a copy of everything forgotten.
    sqlite(
        &db,
        "CREATE TABLE kept (body TEXT); \
         CREATE TRIGGER keep_notes BEFORE DELETE ON note BEGIN INSERT INTO kept VALUES (old.body); END; \
         CREATE VIEW everyone AS SELECT name FROM person;",
    );
    env.fails(&["forget", "1", "--yes"], 1, "holds trigger keep_notes, view everyone, which vetted did not make");
    env.fails(&["add", "--name", "Bo Example"], 1, "vetted will not write to it");
    assert!(env.ok(&["--read-only", "list", "--status", "all"]).contains("Ada Example"), "reading still works");
    let out = env.run(&["doctor"]);
    let doctor = String::from_utf8_lossy(&out.stdout);
    assert!(
        doctor.contains(
            "objects      problem: schema objects vetted did not make: table kept, trigger keep_notes, view everyone"
        ),
        "{doctor}"
    );
    let kept: i64 =
        rusqlite::Connection::open(&db).unwrap().query_row("SELECT count(*) FROM kept", [], |r| r.get(0)).unwrap();
    assert_eq!(kept, 0, "the trigger never ran");
}

#[test]
fn a_version_number_changed_outside_vetted_is_said_in_words() {
    let env = Env::new();
    env.ok(&["add", "--name", "Ada Example"]);
    sqlite(&env.path("v.db"), "PRAGMA user_version = 3;");
    env.fails(&["list"], 1, "its schema does not match its version number (3): it was changed outside vetted");
}

#[test]
fn a_tz_naming_a_device_or_a_fifo_is_not_read() {
    let env = Env::new();
    env.ok(&["add", "--name", "Ada Example"]);
    let fifo = env.path("zone-fifo");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    for tz in ["/dev/zero", fifo.to_str().unwrap(), &format!(":{}", fifo.display())] {
        let mut child = env.cmd().env("TZ", tz).args(["list"]).stdout(Stdio::null()).spawn().unwrap();
        let start = std::time::Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if start.elapsed() > std::time::Duration::from_secs(20) {
                child.kill().unwrap();
                panic!("TZ={tz}: vetted hangs");
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        assert!(status.success(), "TZ={tz}");
    }
    // The most memory any command of this test held: no gigabyte of /dev/zero.
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage(2) into memory of the right size.
    assert_eq!(unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr()) }, 0);
    // SAFETY: filled by getrusage.
    let peak_kib = unsafe { usage.assume_init() }.ru_maxrss;
    assert!(peak_kib < 256 * 1024, "{peak_kib} KiB");
}

#[test]
fn config_init_under_umask_000_makes_a_private_folder() {
    let env = Env::new();
    let config = env.path("cfg/deeper/config.toml");
    let mut cmd = env.cmd();
    cmd.args(["--config", config.to_str().unwrap(), "config", "init"]).stdout(Stdio::null());
    // SAFETY: umask(2) between fork and exec only.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut cmd, || {
            libc::umask(0);
            Ok(())
        });
    }
    assert!(cmd.status().unwrap().success());
    for dir in [env.path("cfg"), env.path("cfg/deeper")] {
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "{}", dir.display());
    }
    assert_eq!(std::fs::metadata(&config).unwrap().permissions().mode() & 0o777, 0o600);
}

#[test]
fn a_store_path_that_is_not_utf8_opens_for_doctor_and_read_only() {
    use std::os::unix::ffi::OsStrExt;
    let env = Env::new();
    let db = env.tmp.path().join(std::ffi::OsStr::from_bytes(b"st\xffre.db"));
    let run = |args: &[&str]| env.cmd().arg("--db").arg(&db).args(args).output().unwrap();
    assert!(run(&["add", "--name", "Ada Example"]).status.success());
    let doctor = run(&["doctor"]);
    assert!(doctor.status.success(), "{}", String::from_utf8_lossy(&doctor.stderr));
    let listed = run(&["--read-only", "list"]);
    assert!(
        String::from_utf8_lossy(&listed.stdout).contains("Ada Example"),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
}

#[test]
fn help_into_a_full_device_is_a_failure() {
    let env = Env::new();
    for args in [&["--help"][..], &["--version"], &["list", "--help"]] {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let out = env.cmd().args(args).stdout(full).stderr(Stdio::piped()).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write the output"), "{args:?}");
    }
}
