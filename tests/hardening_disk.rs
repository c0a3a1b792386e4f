//! A really full disk, on the real binary: a small tmpfs mounted over the test's folder (as
//! root; otherwise each test says it did not run), filled to the last byte or nearly. What
//! reads must work; what writes must fail naming its target and leave nothing half-written.
//! The `RLIMIT_FSIZE` tests in `hardening.rs` stay. All people here are fictional.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::env::{Env, invitations};

/// A tmpfs of `size` mounted on a folder, unmounted when dropped (before the folder goes).
struct Tmpfs(PathBuf);

impl Tmpfs {
    /// `None`, said on stderr, when the tests do not run as root or the mount fails.
    fn mount(dir: &Path, size: &str) -> Option<Tmpfs> {
        if !rustix::process::geteuid().is_root() {
            eprintln!("not run: mounting a small tmpfs needs root");
            return None;
        }
        let options = format!("size={size},mode=0700");
        let mounted = Command::new("mount").args(["-t", "tmpfs", "-o", &options, "tmpfs"]).arg(dir).status();
        if !mounted.is_ok_and(|s| s.success()) {
            eprintln!("not run: cannot mount a tmpfs on {}", dir.display());
            return None;
        }
        Some(Tmpfs(dir.into()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

fn free(dir: &Path) -> u64 {
    let st = rustix::fs::statvfs(dir).unwrap();
    st.f_bavail * st.f_frsize
}

/// Fills the filesystem of `dir` with a file `fill` until at most `leave` bytes are free.
fn fill(dir: &Path, leave: u64) -> PathBuf {
    let path = dir.join("fill");
    let mut f = std::fs::File::create(&path).unwrap();
    let chunk = vec![0u8; 64 * 1024];
    while free(dir) > leave {
        let n = chunk.len().min((free(dir) - leave) as usize);
        if f.write_all(&chunk[..n]).is_err() {
            break;
        }
    }
    assert!(free(dir) <= leave, "could not fill the disk");
    path
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

fn store_bytes(db: &Path) -> Vec<u8> {
    ["", "-wal"].iter().flat_map(|s| std::fs::read(format!("{}{s}", db.display())).unwrap_or_default()).collect()
}

#[test]
fn on_a_full_disk_reading_works_doctor_says_so_and_writes_leave_nothing_half_written() {
    let env = Env::new();
    let Some(_disk) = Tmpfs::mount(env.tmp.path(), "2m") else { return };
    let csv = env.path("Invitations.csv");
    invitations(&csv, 2);
    env.ok(&["import", csv.to_str().unwrap()]);
    env.ok(&["decide", "1", "--decline", "--reason", "no personal note"]);
    let filler = fill(env.tmp.path(), 0);
    let readers: [(&[&str], &str); 9] = [
        (&["list"], "Ada Example1"),
        (&["log"], "no personal note"),
        (&["declined"], "Ada Example0"),
        (&["todo"], "Ada Example0"),
        (&["stats"], "1 declined"),
        (&["--read-only", "list"], "Ada Example1"),
        (&["--read-only", "log"], "no personal note"),
        (&["--read-only", "export", "--format", "csv"], "no personal note"),
        (&["--read-only", "todo"], "Ada Example0"),
    ];
    for (args, shows) in readers {
        let out = env.run(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {err}");
        assert!(String::from_utf8_lossy(&out.stdout).contains(shows), "{args:?}");
        assert!(!err.contains("not saved"), "{args:?}: {err}");
    }
    let err = String::from_utf8_lossy(&env.run(&["list"]).stderr).into_owned();
    assert!(err.contains("v.db: the disk is full; reading without writing"), "{err}");
    let doctor = env.run(&["doctor"]);
    assert_eq!(doctor.status.code(), Some(1));
    let report = String::from_utf8_lossy(&doctor.stdout);
    assert!(report.contains("free space   problem: the disk is full (0 B free)"), "{report}");
    assert!(report.contains("integrity    ok"), "{report}");

    // A write says the disk is full and stores nothing; a copy names its target, leaves nothing.
    env.fails(&["decide", "2", "--accept"], 1, "the disk is full");
    let before = names(env.tmp.path());
    let (backup, export) = (env.path("copy.db"), env.path("backup.json"));
    env.fails(&["backup", backup.to_str().unwrap()], 1, "copy.db: cannot write: the disk is full");
    let e = export.to_str().unwrap();
    env.fails(&["export", "--format", "json", "-o", e], 1, "backup.json: cannot write: the disk is full");
    assert_eq!(names(env.tmp.path()), before, "no partial file, no temporary file left");

    std::fs::remove_file(filler).unwrap();
    env.ok(&["backup", backup.to_str().unwrap()]);
    env.ok(&["export", "--format", "json", "-o", e]);
    for file in [&backup, &export] {
        assert_eq!(std::fs::metadata(file).unwrap().permissions().mode() & 0o777, 0o600, "{file:?}");
    }
    let copy = rusqlite::Connection::open(&backup).unwrap();
    let check: String = copy.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    let people: i64 = copy.query_row("SELECT count(*) FROM person", [], |r| r.get(0)).unwrap();
    assert_eq!(people, 2);
    env.ok(&["decide", "2", "--accept"]);
}

#[test]
fn forget_on_a_disk_too_full_to_rebuild_the_file_says_so_and_the_next_open_with_space_scrubs() {
    let env = Env::new();
    let Some(_disk) = Tmpfs::mount(env.tmp.path(), "16m") else { return };
    env.ok(&["add", "--name", "Una Forgettable", "--message", "a very particular sentence"]);
    // A store of about 2 MB: its rebuild (VACUUM copies it into the WAL) needs more than is left.
    let csv = env.path("Invitations.csv");
    invitations(&csv, 5_000);
    env.ok(&["import", csv.to_str().unwrap()]);
    std::fs::remove_file(&csv).unwrap();
    let filler = fill(env.tmp.path(), 600 << 10);

    let out = env.ok(&["forget", "1", "--yes"]);
    assert!(out.contains("forgot Una Forgettable"), "{out}");
    assert!(out.contains("the disk is too full to rebuild the file"), "{out}");
    assert!(!out.contains("another vetted process"), "{out}");
    let doctor = String::from_utf8(env.run(&["doctor"]).stdout).unwrap();
    assert!(doctor.contains("forget       problem: 1 forgotten person not yet scrubbed"), "{doctor}");
    assert!(!doctor.contains("Una"), "a count, not names: {doctor}");

    std::fs::remove_file(filler).unwrap();
    assert!(env.ok(&["stats"]).contains("5000 pending"), "an ordinary open");
    let doctor = String::from_utf8(env.run(&["doctor"]).stdout).unwrap();
    assert!(doctor.contains("forget       ok"), "{doctor}");
    let bytes = store_bytes(&env.path("v.db"));
    for s in ["Una Forgettable", "a very particular sentence"] {
        assert!(!contains(&bytes, s), "{s:?} is still in the file");
    }
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}
