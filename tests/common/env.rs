//! The real binary on a private temporary store, config and data folders (never the user's),
//! for the tests of the command line.
#![allow(dead_code)] // each test file uses part of it

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

pub struct Env {
    pub tmp: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env { tmp: tempfile::tempdir().unwrap() }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    /// `vetted` with this env's store and folders, and nothing of the caller's environment.
    pub fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_vetted"));
        c.env_clear()
            .env("HOME", self.tmp.path())
            .env("XDG_DATA_HOME", self.path("xdg-data"))
            .env("XDG_CONFIG_HOME", self.path("xdg-config"))
            .env("VETTED_DB", self.path("v.db"))
            .stdin(Stdio::null());
        c
    }

    /// Runs with a deadline: a hang is a failure, not a stuck test.
    pub fn run(&self, args: &[&str]) -> Output {
        let mut child = self.cmd().args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let start = Instant::now();
        while child.try_wait().unwrap().is_none() {
            if start.elapsed() > Duration::from_secs(20) {
                child.kill().unwrap();
                panic!("{args:?} hangs");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        child.wait_with_output().unwrap()
    }

    /// Runs with `input` on standard input.
    pub fn run_with_input(&self, args: &[&str], input: &[u8]) -> Output {
        let mut child =
            self.cmd().args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let _ = child.stdin.take().unwrap().write_all(input); // it may stop reading early
        child.wait_with_output().unwrap()
    }

    /// Runs, insists on success, returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap_or_else(|e| panic!("{args:?}: {e}"))
    }

    /// Runs, insists on exit `code` and a message saying `says`, with no raw escape in it.
    pub fn fails(&self, args: &[&str], code: i32, says: &str) {
        let out = self.run(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(!err.contains('\u{1b}'), "{args:?}: raw escape in {err:?}");
    }
}

/// An Invitations.csv (late-2023 header) of `rows` INCOMING requests from fictional people.
pub fn invitations(path: &Path, rows: usize) {
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(w, "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl").unwrap();
    for i in 0..rows {
        writeln!(
            w,
            "Ada Example{i},Me,\"6/20/24, 4:15 PM\",hi number {i},INCOMING,https://www.linkedin.com/in/ada-{i},\
             https://www.linkedin.com/in/me"
        )
        .unwrap();
    }
    w.flush().unwrap();
}
