//! What arrives from the terminal in a burst (issue 20, still open): text pasted where the
//! terminal does not mark pastes goes in as fast as it came, never like a stall; a marked paste
//! that carries its own end marker cannot go on as keys that decide.

use std::time::{Duration, Instant};
use vetted::model::NewRequest;
use vetted::store::Store;

mod common;
use common::pty::Pty;

fn seeded() -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vetted.db");
    let mut store = Store::open(&db).unwrap();
    for name in ["Ada Quill", "Bo Tiller"] {
        store
            .add_request(&NewRequest { name: name.into(), source: "linkedin".into(), ..NewRequest::default() })
            .unwrap();
    }
    let config = dir.path().join("none.toml");
    let args = vec!["--db".into(), db.to_str().unwrap().into(), "--config".into(), config.to_str().unwrap().into()];
    (dir, args)
}

fn decisions(dir: &tempfile::TempDir) -> i64 {
    let conn = rusqlite::Connection::open(dir.path().join("vetted.db")).unwrap();
    conn.query_row("SELECT count(*) FROM decision", [], |r| r.get(0)).unwrap()
}

/// Frames drawn so far: ratatui hides the cursor once a frame.
fn frames(pty: &Pty) -> usize {
    pty.text().matches("\u{1b}[?25l").count()
}

#[test]
fn five_kilobytes_typed_at_once_go_in_as_a_burst_and_one_esc_closes_the_prompt() {
    let (dir, args) = seeded();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut pty = Pty::spawn(&args, dir.path(), &[]);
    pty.wait_for("2 pending");
    pty.send("d");
    pty.wait_for("reason (required)");
    let before = frames(&pty);
    let text: String = (0..1000).map(|i| format!("w{:03} ", i % 1000)).collect::<String>(); // 5,000 bytes
    pty.send(&text);
    pty.send("\u{1b}"); // one esc
    pty.wait_for("cancelled");
    let drawn = frames(&pty) - before;
    eprintln!("{drawn} frames for 5,000 typed bytes");
    assert!(drawn < 200, "{drawn} frames: one a key is a stall");
    pty.send("q");
    assert!(pty.wait_exit().success(), "{}", pty.squashed());
    assert_eq!(decisions(&dir), 0);
}

#[test]
fn keys_riding_behind_a_paste_end_marker_are_part_of_the_paste_never_a_decision() {
    let (dir, args) = seeded();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut pty = Pty::spawn(&args, dir.path(), &[]);
    pty.wait_for("2 pending");
    // In the queue, a paste is ignored; what follows its (forged) end marker would accept.
    pty.send("\u{1b}[200~hello\u{1b}[201~a\r");
    pty.wait_for("paste ignored");
    let start = Instant::now();
    while start.elapsed() < Duration::from_millis(300) {
        assert_eq!(decisions(&dir), 0, "a key behind the paste decided:\n{}", pty.squashed());
        std::thread::sleep(Duration::from_millis(20));
    }
    // In a reason prompt, the tail is text of the paste.
    pty.send("d");
    pty.wait_for("reason (required)");
    pty.send("\u{1b}[200~spam\u{1b}[201~ and\rmore");
    pty.wait_for("spam and more"); // a line end pasted into a one-line reason is a space
    pty.send("\u{1b}");
    pty.wait_for("cancelled"); // (esc and q in one read would be alt-q)
    pty.send("q");
    assert!(pty.wait_exit().success(), "{}", pty.squashed());
    assert_eq!(decisions(&dir), 0);
}

#[test]
fn an_unfinished_paste_is_ended_after_two_seconds_and_what_it_held_never_decides() {
    let (dir, args) = seeded();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut pty = Pty::spawn(&args, dir.path(), &[]);
    pty.wait_for("2 pending");
    // A paste's start marker with no end: crossterm holds every key after it, q and ctrl-c
    // too. Accept keys keep coming for three seconds, past the moment the app ends the paste:
    // the ones held and the ones right behind are dropped, none accepts anyone.
    pty.send("\u{1b}[200~stray");
    for key in ["q", "\u{3}", "q"].into_iter().chain(std::iter::repeat_n("a", 24)) {
        std::thread::sleep(Duration::from_millis(120));
        pty.send(key);
    }
    pty.wait_for("did not end within 2 s: ended");
    assert_eq!(decisions(&dir), 0, "{}", pty.squashed());
    // Keys work again, without the user typing an end marker.
    pty.send("q");
    assert!(pty.wait_exit().success(), "{}", pty.squashed());
    assert_eq!(decisions(&dir), 0);
}

#[test]
fn a_signal_still_ends_the_app_while_a_paste_is_unfinished() {
    let (dir, args) = seeded();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut pty = Pty::spawn(&args, dir.path(), &[]);
    pty.wait_for("2 pending");
    pty.send("\u{1b}[200~stray");
    std::thread::sleep(Duration::from_millis(200));
    pty.send("q");
    std::thread::sleep(Duration::from_millis(200));
    pty.signal(libc::SIGTERM);
    assert_eq!(pty.wait_exit().code(), Some(143), "{}", pty.squashed());
    assert!(pty.cooked(), "the terminal given back");
}
