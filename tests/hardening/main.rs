//! Issue 6, proved on the real binary: kills, full disks, concurrent processes, bad `--db`
//! targets, damaged pages, doctor, backup and forget (with the bytes of the file searched).
//! All people here are fictional.
//!
//! One test binary, one module a concern; the shared `Env` and helpers live here.

use rusqlite::Connection;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

#[path = "../common/mod.rs"]
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

/// A store of `rows` imported requests, closed cleanly (no WAL left).
fn store_with_rows(env: &Env, rows: usize) {
    let csv = env.path("Invitations.csv");
    invitations(&csv, rows);
    env.ok(&["import", csv.to_str().unwrap()]);
    assert!(!env.path("v.db-wal").exists(), "a clean close leaves no WAL");
}

mod backup;
mod damaged;
mod db_targets;
mod disk_full;
mod doctor;
mod forget;
mod hostile;
mod huge;
mod kill9;
mod processes;
