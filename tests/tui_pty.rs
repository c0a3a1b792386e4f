//! End-to-end: the real binary in a pseudo-terminal. Seeds a store, records a decline with a
//! reason through the keyboard, quits, and finds the decision in the store.

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

fn seed(path: &Path) {
    let mut store = Store::open(path, false).unwrap();
    for (name, day, message) in [
        ("Ada Lovelace", 2, "Loved your talk on engines."),
        ("Bo Seller", 10, "Hi {first_name}, quick call about 10x leads?"),
    ] {
        store
            .add_request(&NewRequest {
                name: name.into(),
                message: message.into(),
                sent_at_raw: Some(format!("11/{day}/26, 9:00 AM")),
                sent_at: Some(format!("2026-11-{day:02}T17:00:00Z")),
                source: "linkedin".into(),
                ..NewRequest::default()
            })
            .unwrap();
    }
}

#[test]
fn a_decline_typed_in_the_app_is_in_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vetted.db");
    seed(&db);
    let config = dir.path().join("none.toml");
    let args = ["--db", db.to_str().unwrap(), "--config", config.to_str().unwrap()];
    let mut pty = Pty::spawn(&args, dir.path(), &[]);
    pty.wait_for("2 pending");
    pty.send("j"); // Bo Seller
    pty.send("d");
    pty.wait_for("reason (required)");
    pty.send("\r"); // an empty reason is refused
    pty.wait_for("needs a reason");
    pty.send("sales pitch");
    pty.send("\r");
    pty.wait_for("recorded");
    pty.send("q");
    let status = pty.wait_exit();
    assert!(status.success(), "{status}; screen:\n{}", pty.text());
    let out = pty.text();
    assert!(out.contains("\u{1b}[?1049h"), "entered the alternate screen");
    assert!(out.rfind("\u{1b}[?1049l") > out.rfind("\u{1b}[?1049h"), "left the alternate screen at the end");

    let store = Store::open(&db, false).unwrap();
    let log = store.log_page(None, 10).unwrap();
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(
        (log[0].name.as_str(), log[0].decision, log[0].reason.as_str()),
        ("Bo Seller", Status::Declined, "sales pitch")
    );
    assert_eq!(store.count(Status::Pending).unwrap(), 1);
    drop(store);
}

#[test]
fn a_bad_keymap_is_reported_before_the_terminal_is_touched() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[keymap]\naccept = \"d\"\n").unwrap();
    let db = dir.path().join("v.db");
    let out = Command::new(env!("CARGO_BIN_EXE_vetted"))
        .args(["--db", db.to_str().unwrap(), "--config", config.to_str().unwrap()])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{}: [keymap]: key \"d\" is bound to both accept and decline", config.display())),
        "{stderr}"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\u{1b}'), "no terminal setup");
}

#[test]
fn notes_edited_in_the_external_editor_are_saved() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vetted.db");
    seed(&db);
    let editor = dir.path().join("fake-editor");
    std::fs::write(&editor, "#!/bin/sh\nprintf 'Met at the meetup.\\n' >> \"$1\"\n").unwrap();
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    let config = dir.path().join("none.toml");
    let args = ["--db", db.to_str().unwrap(), "--config", config.to_str().unwrap()];
    let mut pty = Pty::spawn(&args, dir.path(), &[("VISUAL", &editor)]);
    pty.wait_for("2 pending");
    pty.send("E");
    pty.wait_for("notes saved");
    pty.send("q");
    assert!(pty.wait_exit().success(), "{}", pty.text());
    let store = Store::open(&db, false).unwrap();
    let person = store.request(1).unwrap().person_id;
    assert_eq!(store.note(person).unwrap().as_deref(), Some("Met at the meetup."));
}

#[test]
fn a_bad_theme_is_reported_before_the_terminal_is_touched() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[theme]\naccent = \"blurple\"\n").unwrap();
    let db = dir.path().join("v.db");
    let out = Command::new(env!("CARGO_BIN_EXE_vetted"))
        .args(["--db", db.to_str().unwrap(), "--config", config.to_str().unwrap()])
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("{}: [theme] accent: \"blurple\" is not a colour", config.display())), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn the_log_screens_reconsider_a_decline_and_compute_stats_in_the_background() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vetted.db");
    seed(&db);
    let config = dir.path().join("none.toml");
    let args = ["--db", db.to_str().unwrap(), "--config", config.to_str().unwrap()];
    let mut pty = Pty::spawn(&args, dir.path(), &[]);
    pty.wait_for("2 pending");
    pty.send("j");
    pty.send("d");
    pty.wait_for("reason (required)");
    pty.send("sales pitch\r");
    pty.wait_for("recorded");
    pty.send("D");
    pty.wait_for("[Declined]");
    pty.wait_for("Reconsider: a accept");
    pty.send("a");
    pty.wait_for("Reconsider: accept");
    pty.send("they wrote a real note\r");
    pty.wait_for("the history is kept");
    pty.send("S");
    pty.wait_for("Top decline reasons"); // computed on a second connection, then drawn
    pty.send("T");
    pty.wait_for("accept Bo Seller");
    pty.send("m");
    pty.wait_for("done on LinkedIn: accept Bo Seller");
    pty.send("q");
    let status = pty.wait_exit();
    assert!(status.success(), "{status}; screen:\n{}", pty.text());

    let store = Store::open(&db, false).unwrap();
    let log = store.log_page(None, 10).unwrap();
    assert_eq!(
        log.iter().map(|d| (d.decision, d.reason.as_str())).collect::<Vec<_>>(),
        [(Status::Accepted, "they wrote a real note"), (Status::Declined, "sales pitch")]
    );
    assert_eq!(log[0].supersedes, Some(log[1].id), "the chain is kept");
    assert!(store.linkedin_todo_page(None, 10).unwrap().is_empty(), "marked done");
}
