//! `kill -9` of the review app in a pseudo-terminal (issue 6, case 1): every decision the
//! screen showed as recorded is in the store, the file passes its integrity check, and the
//! app starts again on it. (The PTY helper is the one of `tests/tui_pty.rs`.)

use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use vetted::model::{NewRequest, Status};
use vetted::store::Store;

struct Pty {
    master: std::fs::File,
    output: Arc<Mutex<Vec<u8>>>,
    child: Child,
}

fn openpty(cols: u16, rows: u16) -> (OwnedFd, OwnedFd) {
    let (mut master, mut slave) = (0, 0);
    let size = libc::winsize { ws_row: rows, ws_col: cols, ws_xpixel: 0, ws_ypixel: 0 };
    // SAFETY: plain FFI call with valid out-pointers; the fds are owned from here on.
    let rc = unsafe { libc::openpty(&mut master, &mut slave, std::ptr::null_mut(), std::ptr::null(), &size) };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: openpty returned two fresh descriptors.
    unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) }
}

impl Pty {
    fn spawn(args: &[&str], home: &Path, envs: &[(&str, &Path)]) -> Pty {
        let (master, slave) = openpty(100, 30);
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_vetted"));
        cmd.args(args)
            .env("TERM", "xterm-256color")
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env_remove("VETTED_DB")
            .env_remove("VETTED_CONFIG")
            .env_remove("NO_COLOR")
            .envs(envs.iter().copied())
            .stdin(Stdio::from(slave.try_clone().unwrap()))
            .stdout(Stdio::from(slave.try_clone().unwrap()))
            .stderr(Stdio::from(slave));
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY as _, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().expect("spawn vetted");
        drop(cmd); // closes our copies of the slave
        let master = std::fs::File::from(master);
        let output = Arc::new(Mutex::new(Vec::new()));
        let (mut reader, sink) = (master.try_clone().unwrap(), output.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Pty { master, output, child }
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap()).into_owned()
    }

    /// The output with escape sequences and spaces removed: ratatui moves the cursor over
    /// cells that did not change, so words of one line may arrive apart.
    fn squashed(&self) -> String {
        let text = self.text();
        let mut out = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                if chars.next_if_eq(&'[').is_some() {
                    while chars.next().is_some_and(|c| !c.is_ascii_alphabetic()) {}
                }
            } else if !c.is_whitespace() {
                out.push(c);
            }
        }
        out
    }

    fn wait_for(&self, what: &str) {
        let start = Instant::now();
        let what: String = what.chars().filter(|c| !c.is_whitespace()).collect();
        while !self.squashed().contains(&what) {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out waiting for {what:?}; screen:\n{}",
                self.squashed()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn send(&mut self, keys: &str) {
        self.master.write_all(keys.as_bytes()).unwrap();
        self.master.flush().unwrap();
    }

    fn wait_exit(&mut self) -> std::process::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            if start.elapsed() > Duration::from_secs(20) {
                let _ = self.child.kill();
                panic!("vetted did not exit; screen:\n{}", self.text());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Pty {
    /// Waits until `what` has appeared `n` times in the output.
    fn wait_for_nth(&self, what: &str, n: usize) {
        let start = Instant::now();
        while self.squashed().matches(what).count() < n {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out waiting for {what:?} #{n}:\n{}",
                self.squashed()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

#[test]
fn kill_9_during_a_review_session_keeps_every_recorded_decision() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vetted.db");
    {
        let mut store = Store::open(&db, false).unwrap();
        for i in 0..300 {
            store
                .add_request(&NewRequest {
                    name: format!("Nia Example{i}"),
                    message: format!("hello {i}"),
                    sent_at_raw: Some("11/2/26, 9:00 AM".into()),
                    sent_at: Some(format!("2026-11-02T17:{:02}:{:02}Z", i / 60, i % 60)),
                    source: "linkedin".into(),
                    ..NewRequest::default()
                })
                .unwrap();
        }
    }
    let config = dir.path().join("none.toml");
    let args = ["--db", db.to_str().unwrap(), "--config", config.to_str().unwrap()];
    let mut pty = Pty::spawn(&args, dir.path(), &[]);
    pty.wait_for("Nia Example0");
    let watcher = rusqlite::Connection::open(&db).unwrap();
    let decisions = || -> i64 { watcher.query_row("SELECT count(*) FROM decision", [], |r| r.get(0)).unwrap() };
    for (n, reason) in ["first reason", "second reason", "third reason"].iter().enumerate() {
        pty.send("d");
        pty.wait_for_nth("reason(required)", n + 1);
        pty.send(reason);
        pty.send("\r");
        let start = Instant::now();
        while decisions() < n as i64 + 1 {
            assert!(start.elapsed() < Duration::from_secs(20), "decision {n} not stored:\n{}", pty.squashed());
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    pty.wait_for("recorded");
    drop(watcher);
    // SIGKILL while the app runs (its idle search indexing included).
    pty.child.kill().unwrap();
    pty.child.wait().unwrap();

    let conn = rusqlite::Connection::open(&db).unwrap();
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    drop(conn);
    let store = Store::open(&db, false).unwrap();
    let log = store.log_page(None, 10).unwrap();
    let reasons: Vec<&str> = log.iter().map(|d| d.reason.as_str()).collect();
    assert_eq!(reasons, ["third reason", "second reason", "first reason"]);
    assert!(log.iter().all(|d| d.decision == Status::Declined));
    assert_eq!(store.count(Status::Pending).unwrap(), 297);
    drop(store);

    // And the app opens the store again.
    let mut again = Pty::spawn(&args, dir.path(), &[]);
    again.wait_for("Nia Example3");
    again.send("q");
    assert!(again.wait_exit().success(), "{}", again.text());
}
