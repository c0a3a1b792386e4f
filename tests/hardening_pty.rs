//! `kill -9` of the review app in a pseudo-terminal (issue 6, case 1): every decision the
//! screen showed as recorded is in the store, the file passes its integrity check, and the
//! app starts again on it.

use std::time::{Duration, Instant};
use vetted::model::{NewRequest, Status};
use vetted::store::Store;

mod common;
use common::pty::Pty;

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
        let mut store = Store::open(&db).unwrap();
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
    let store = Store::open(&db).unwrap();
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

#[test]
fn an_export_shown_on_a_terminal_cannot_drive_it_and_one_piped_is_the_data_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vetted.db");
    let osc52 = "Eve \u{1b}]52;c;cm0gLXJmIH4K\u{7} Example";
    {
        let mut store = Store::open(&db).unwrap();
        let (id, _) = store
            .add_request(&NewRequest { name: osc52.into(), source: "manual".into(), ..NewRequest::default() })
            .unwrap();
        store.decide(id, vetted::model::Verdict::Decline, "title \u{1b}]0;PWNED\u{7}", &Default::default()).unwrap();
    }
    for format in ["csv", "md"] {
        let mut pty = Pty::spawn(&["--db", db.to_str().unwrap(), "export", "--format", format], dir.path(), &[]);
        assert!(pty.wait_exit().success(), "{}", pty.text());
        pty.wait_for("Eve ␛]52;c;cm0gLXJmIH4K␇ Example"); // the reader may lag behind the exit
        let shown = pty.text();
        assert!(!shown.contains('\u{1b}') && !shown.contains('\u{7}'), "{format}: {shown:?}");
        assert!(shown.contains("Eve ␛]52;c;cm0gLXJmIH4K␇ Example"), "{format}: visible stand-ins: {shown:?}");
    }
    let piped = std::process::Command::new(env!("CARGO_BIN_EXE_vetted"))
        .args(["--db", db.to_str().unwrap(), "export", "--format", "csv"])
        .output()
        .unwrap();
    assert!(String::from_utf8(piped.stdout).unwrap().contains(osc52), "to a pipe: the data as it is");
}
