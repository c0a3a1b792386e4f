//! The review app when its terminal goes away (a closed window, a lost SSH connection, tmux's
//! `kill-pane`) or hangs up: it leaves as on `q`, at once, with exit 129 — everything recorded
//! in the store, nothing half-written, the demo's folder removed — in every state (a prompt
//! open, the editor open, after decisions). And a stop it did not see (SIGSTOP, then `fg`)
//! gives it raw mode back.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use vetted::model::{NewRequest, Status};
use vetted::store::Store;

mod common;
use common::pty::{Pty, script};

/// A private folder with a store of three pending requests, and the arguments that open it.
fn seeded() -> (tempfile::TempDir, PathBuf, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vetted.db");
    let mut store = Store::open(&db).unwrap();
    for (name, day) in [("Ada Quill", 2), ("Bo Tiller", 3), ("Cy Marsh", 4)] {
        store
            .add_request(&NewRequest {
                name: name.into(),
                message: "Hello there".into(),
                sent_at_raw: Some(format!("11/{day}/26, 9:00 AM")),
                sent_at: Some(format!("2026-11-{day:02}T17:00:00Z")),
                source: "linkedin".into(),
                ..NewRequest::default()
            })
            .unwrap();
    }
    let config = dir.path().join("none.toml");
    let args = vec!["--db".into(), db.to_str().unwrap().into(), "--config".into(), config.to_str().unwrap().into()];
    (dir, db, args)
}

fn spawn(dir: &Path, args: &[String], controlling: bool, envs: &[(&str, &Path)]) -> Pty {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let pty = Pty::spawn_in_session(&args, dir, envs, controlling);
    pty.wait_for("3 pending");
    pty
}

/// Declines the request shown with `reason` and waits until the screen says it is recorded.
fn decline(pty: &mut Pty, reason: &str) {
    pty.send("d");
    pty.wait_for("reason (required)");
    pty.send(reason);
    pty.send("\r");
    pty.wait_for("recorded");
}

/// Waits for the app to exit after its terminal went away; says how long it took.
fn exit_after_close(pty: &mut Pty) -> (Option<i32>, Duration) {
    let start = Instant::now();
    pty.close();
    let status = pty.wait_exit();
    (status.code(), start.elapsed())
}

fn declined(db: &Path) -> Vec<String> {
    let store = Store::open(db).unwrap();
    let log = store.log_page(None, 10).unwrap();
    assert!(log.iter().all(|d| d.decision == Status::Declined));
    log.into_iter().map(|d| d.reason).collect()
}

#[test]
fn closing_the_terminal_ends_the_app_as_on_quit_with_every_decision_kept() {
    // With a controlling terminal the app gets SIGHUP and sees the end of its input; without
    // one, only the end of its input.
    for controlling in [true, false] {
        let (dir, db, args) = seeded();
        let mut pty = spawn(dir.path(), &args, controlling, &[]);
        decline(&mut pty, "no reason to connect");
        let (code, took) = exit_after_close(&mut pty);
        eprintln!("controlling terminal {controlling}: gone {} ms after its terminal closed", took.as_millis());
        assert_eq!(code, Some(129), "controlling terminal {controlling}");
        assert_eq!(declined(&db), ["no reason to connect"]);
        let conn = rusqlite::Connection::open(&db).unwrap();
        let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(check, "ok");
    }
}

#[test]
fn with_a_prompt_open_a_hang_up_or_a_closed_terminal_records_nothing_half_typed() {
    for close in [false, true] {
        let (dir, db, args) = seeded();
        let mut pty = spawn(dir.path(), &args, true, &[]);
        decline(&mut pty, "first");
        pty.send("d");
        pty.wait_for("reason (required)");
        pty.send("half a rea");
        pty.wait_for("half a rea");
        let code = if close {
            exit_after_close(&mut pty).0
        } else {
            pty.signal(libc::SIGHUP);
            pty.wait_exit().code()
        };
        assert_eq!(code, Some(129), "closed {close}");
        assert_eq!(declined(&db), ["first"], "closed {close}");
        assert_eq!(Store::open(&db).unwrap().count(Status::Pending).unwrap(), 2);
    }
}

#[test]
fn a_hang_up_while_stats_or_groups_are_worked_out_in_the_background_ends_the_app() {
    for key in ["S", "v"] {
        let (dir, db, args) = seeded();
        let mut pty = spawn(dir.path(), &args, true, &[]);
        decline(&mut pty, "kept");
        pty.send(key); // the work starts on a second connection; the hang-up does not wait for it
        pty.signal(libc::SIGHUP);
        assert_eq!(pty.wait_exit().code(), Some(129), "{key}");
        assert_eq!(declined(&db), ["kept"], "{key}");
    }
}

#[test]
fn a_hang_up_with_the_editor_open_ends_the_editor_and_the_app_and_keeps_the_notes_as_they_were() {
    let (dir, db, args) = seeded();
    // An editor that writes into the file and then waits: what it wrote must not be saved.
    let editor = dir.path().join("slow-editor");
    let pid_file = dir.path().join("editor.pid");
    script(&editor, &format!("echo $$ > '{}'\nprintf 'half written' >> \"$1\"\nexec sleep 60\n", pid_file.display()));
    let mut pty = spawn(dir.path(), &args, true, &[("VISUAL", &editor)]);
    pty.send("E");
    // The app has left the alternate screen for the editor.
    let start = Instant::now();
    while pty.text().matches("\u{1b}[?1049l").count() < 1 {
        assert!(start.elapsed() < Duration::from_secs(20), "the editor never opened:\n{}", pty.squashed());
        std::thread::sleep(Duration::from_millis(20));
    }
    // And the editor has started (it says so by its pid file).
    let pid: i32 = loop {
        if let Some(pid) = std::fs::read_to_string(&pid_file).ok().and_then(|s| s.trim().parse().ok()) {
            break pid;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "the editor never started:\n{}", pty.squashed());
        std::thread::sleep(Duration::from_millis(20));
    };
    pty.signal(libc::SIGHUP); // to the app alone: the editor never sees it
    assert_eq!(pty.wait_exit().code(), Some(129));
    // SAFETY: kill(2) with signal 0 only asks whether the process exists.
    assert_ne!(unsafe { libc::kill(pid, 0) }, 0, "the editor (pid {pid}) outlived the app");
    let store = Store::open(&db).unwrap();
    let person = store.request(1).unwrap().person_id;
    assert_eq!(store.note(person).unwrap(), None);
}

#[test]
fn the_demo_removes_its_folder_when_its_terminal_closes_or_a_signal_ends_it() {
    for close in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let tmp = dir.path().join("tmp");
        std::fs::create_dir(&tmp).unwrap();
        let config = dir.path().join("none.toml");
        let mut pty = Pty::spawn(&["--config", config.to_str().unwrap(), "demo"], dir.path(), &[("TMPDIR", &tmp)]);
        pty.wait_for("pending");
        assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 1, "the demo's folder");
        let code = if close {
            exit_after_close(&mut pty).0
        } else {
            pty.signal(libc::SIGTERM);
            pty.wait_exit().code()
        };
        assert_eq!(code, Some(if close { 129 } else { 143 }));
        assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0, "removed");
    }
}

#[test]
fn after_a_stop_it_did_not_see_the_app_takes_raw_mode_back() {
    let (dir, _db, args) = seeded();
    let mut pty = spawn(dir.path(), &args, true, &[]);
    assert!(!pty.cooked());
    pty.signal(libc::SIGSTOP); // `kill -STOP`: no SIGTSTP the app could act on
    pty.wait_stopped();
    pty.make_cooked(); // what the shell does while the job is stopped
    pty.signal(libc::SIGCONT); // `fg`
    let start = Instant::now();
    while pty.cooked() {
        assert!(start.elapsed() < Duration::from_secs(20), "still in cooked mode with echo on after fg");
        std::thread::sleep(Duration::from_millis(20));
    }
    pty.send("j");
    pty.send("q");
    assert!(pty.wait_exit().success(), "{}", pty.squashed());
}

#[test]
fn a_huge_window_is_drawn_in_its_corner_with_bounded_memory_and_said_so() {
    let (dir, _db, args) = seeded();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut pty = Pty::spawn_sized(&args, dir.path(), &[], (10_000, 10_000));
    pty.wait_for("3 pending");
    pty.wait_for("this window is 10000×10000; vetted draws its top-left 1000×400");
    // The most memory the process held (VmHWM): screen buffers of 1000×400, not 10000×10000.
    let status = std::fs::read_to_string(format!("/proc/{}/status", pty.child.id())).unwrap();
    let peak_kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    eprintln!("peak memory in a 10000×10000 window: {} MiB", peak_kib / 1024);
    assert!(peak_kib < 256 * 1024, "{peak_kib} KiB");
    pty.send("j");
    pty.send("q");
    assert!(pty.wait_exit().success(), "{}", pty.squashed());
    let out = pty.text();
    assert!(out.rfind("\u{1b}[?1049l") > out.rfind("\u{1b}[?1049h"), "left the alternate screen");
}
