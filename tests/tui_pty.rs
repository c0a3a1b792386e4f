//! End-to-end: the real binary in a pseudo-terminal. Seeds a store, records a decline with a
//! reason through the keyboard, quits, and finds the decision in the store.

use std::path::Path;
use std::process::{Command, Stdio};
use vetted::model::{NewRequest, Status};
use vetted::store::Store;

mod common;
use common::pty::{Pty, script};

fn seed(path: &Path) {
    let mut store = Store::open(path).unwrap();
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

/// A private folder with a store of two pending requests.
fn seeded() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vetted.db");
    seed(&db);
    (dir, db)
}

/// The app on `db` (no config file), once it shows its queue.
fn app_on(dir: &tempfile::TempDir, db: &Path) -> Pty {
    app_on_pending(dir, db, "2 pending")
}

#[test]
fn a_decline_typed_in_the_app_is_in_the_store() {
    let (dir, db) = seeded();
    let mut pty = app_on(&dir, &db);
    pty.send("j"); // Bo Seller
    pty.send("d");
    pty.wait_for("reason (required)");
    pty.send("\x15"); // ctrl-u: the reason prefilled from the note's evidence goes
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

    let store = Store::open(&db).unwrap();
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
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vetted.db");
    seed(&db);
    let editor = dir.path().join("fake-editor");
    script(&editor, "printf 'Met at the meetup.\\n' >> \"$1\"\n");
    let config = dir.path().join("none.toml");
    let args = ["--db", db.to_str().unwrap(), "--config", config.to_str().unwrap()];
    let mut pty = Pty::spawn(&args, dir.path(), &[("VISUAL", &editor)]);
    pty.wait_for("2 pending");
    pty.send("E");
    pty.wait_for("notes saved");
    pty.send("q");
    assert!(pty.wait_exit().success(), "{}", pty.text());
    let store = Store::open(&db).unwrap();
    let person = store.request(1).unwrap().person_id;
    assert_eq!(store.note(person).unwrap().as_deref(), Some("Met at the meetup."));
}

#[test]
fn the_notes_file_handed_to_the_editor_ends_with_a_line_end_and_an_untouched_one_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vetted.db");
    seed(&db);
    {
        let mut store = Store::open(&db).unwrap();
        let person = store.request(1).unwrap().person_id;
        store.set_note(person, "Met at the meetup.").unwrap();
    }
    let seen = dir.path().join("seen.md");
    let editor = dir.path().join("looking-editor");
    script(&editor, &format!("cp \"$1\" '{}'\n", seen.display()));
    let config = dir.path().join("none.toml");
    let args = ["--db", db.to_str().unwrap(), "--config", config.to_str().unwrap()];
    let mut pty = Pty::spawn(&args, dir.path(), &[("VISUAL", &editor)]);
    pty.wait_for("2 pending");
    pty.send("E");
    pty.wait_for("notes unchanged");
    pty.send("q");
    assert!(pty.wait_exit().success(), "{}", pty.text());
    assert_eq!(std::fs::read_to_string(&seen).unwrap(), "Met at the meetup.\n");
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
    let (dir, db) = seeded();
    let mut pty = app_on(&dir, &db);
    pty.send("j");
    pty.send("d");
    pty.wait_for("reason (required)");
    pty.send("\x15"); // ctrl-u: the reason prefilled from the note's evidence goes
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

    let store = Store::open(&db).unwrap();
    let log = store.log_page(None, 10).unwrap();
    assert_eq!(
        log.iter().map(|d| (d.decision, d.reason.as_str())).collect::<Vec<_>>(),
        [(Status::Accepted, "they wrote a real note"), (Status::Declined, "sales pitch")]
    );
    assert_eq!(log[0].supersedes, Some(log[1].id), "the chain is kept");
    assert!(store.linkedin_todo_page(None, 10).unwrap().is_empty(), "marked done");
}

/// Text as a terminal sends a bracketed paste.
fn paste(text: &str) -> String {
    format!("\u{1b}[200~{text}\u{1b}[201~")
}

#[test]
fn a_pasted_reason_with_line_ends_records_nothing_until_enter_then_exactly_one_decision() {
    let (dir, db) = seeded();
    let mut pty = app_on(&dir, &db);
    assert!(pty.text().contains("\u{1b}[?2004h"), "bracketed paste is on");
    pty.send(&paste("a\rd\r")); // outside a prompt: ignored, not keys
    pty.wait_for("paste ignored");
    pty.send("d");
    pty.wait_for("reason (required)");
    pty.send(&paste("spam, obviously\ra\r"));
    pty.wait_for("spam, obviously a");
    {
        let store = Store::open(&db).unwrap();
        assert_eq!(store.log_page(None, 10).unwrap().len(), 0, "a paste is never read as keys");
    }
    pty.send("\r");
    pty.wait_for("recorded");
    pty.send("q");
    assert!(pty.wait_exit().success());
    assert!(pty.text().contains("\u{1b}[?2004l"), "bracketed paste is off again");
    let store = Store::open(&db).unwrap();
    let log = store.log_page(None, 10).unwrap();
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!((log[0].decision, log[0].reason.as_str()), (Status::Declined, "spam, obviously a"));
}

#[test]
fn a_megabyte_pasted_into_a_prompt_is_cut_to_the_field_limit_and_the_app_stays_responsive() {
    let (dir, db) = seeded();
    let mut pty = app_on(&dir, &db);
    pty.send("/");
    pty.send(&paste(&"x".repeat(1 << 20)));
    pty.wait_for("pasted text cut at 64 KiB");
    pty.send("\u{1b}"); // esc: the search is dropped
    std::thread::sleep(std::time::Duration::from_millis(300)); // (esc then q at once reads as alt-q)
    pty.send("q");
    assert!(pty.wait_exit().success(), "still answering keys after the paste");
}

#[test]
fn each_ending_signal_gives_the_terminal_back() {
    for (sig, code) in [(libc::SIGTERM, 143), (libc::SIGHUP, 129), (libc::SIGINT, 130), (libc::SIGQUIT, 131)] {
        let (dir, db) = seeded();
        let mut pty = app_on(&dir, &db);
        assert!(!pty.cooked(), "raw mode while the app runs");
        pty.signal(sig);
        let status = pty.wait_exit();
        assert_eq!(status.code(), Some(code), "signal {sig}");
        let out = pty.text();
        assert!(out.rfind("\u{1b}[?1049l") > out.rfind("\u{1b}[?1049h"), "left the alternate screen ({sig})");
        assert!(out.rfind("\u{1b}[?25h") > out.rfind("\u{1b}[?25l"), "the cursor shown again ({sig})");
        assert!(pty.cooked(), "echo and line editing back on ({sig})");
        assert!(pty.squashed().contains("everydecisionyoumadeissaved"), "{}", pty.squashed());
    }
}

#[test]
fn ctrl_z_suspends_and_the_app_comes_back_in_raw_mode_redrawn() {
    let (dir, db) = seeded();
    let mut pty = app_on(&dir, &db);
    pty.send("\u{1a}"); // ctrl-z
    pty.wait_stopped();
    assert!(pty.cooked(), "the terminal is given back before the stop");
    let before = pty.text().len();
    pty.signal(libc::SIGCONT); // `fg`
    let start = std::time::Instant::now();
    while !pty.text()[before..].contains("Ada Lovelace") {
        assert!(start.elapsed() < std::time::Duration::from_secs(20), "not redrawn after fg");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(!pty.cooked(), "raw mode again");
    // An outside SIGTSTP does the same.
    pty.signal(libc::SIGTSTP);
    pty.wait_stopped();
    assert!(pty.cooked());
    pty.signal(libc::SIGCONT);
    std::thread::sleep(std::time::Duration::from_millis(300));
    pty.send("q");
    assert!(pty.wait_exit().success());
}

#[test]
fn notes_from_the_editor_over_the_field_limit_are_refused_and_its_folder_removed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vetted.db");
    seed(&db);
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let editor = dir.path().join("fake-editor");
    // 100 KB of notes; and the folder the file is in must be private.
    script(
        &editor,
        "stat -c %a \"$(dirname \"$1\")\" > \"$(dirname \"$1\")/../../mode\"\nhead -c 100000 /dev/zero | tr '\\0' x >> \"$1\"\n",
    );
    let config = dir.path().join("none.toml");
    let args = ["--db", db.to_str().unwrap(), "--config", config.to_str().unwrap()];
    let mut pty = Pty::spawn(&args, dir.path(), &[("VISUAL", &editor), ("TMPDIR", &tmp)]);
    pty.wait_for("2 pending");
    pty.send("E");
    pty.wait_for("over the 64 KiB limit");
    pty.send("q");
    assert!(pty.wait_exit().success(), "{}", pty.text());
    assert_eq!(std::fs::read_to_string(dir.path().join("mode")).unwrap().trim(), "700");
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0, "the editor's folder is removed");
    let store = Store::open(&db).unwrap();
    let person = store.request(1).unwrap().person_id;
    assert_eq!(store.note(person).unwrap(), None, "nothing stored");
}

#[test]
fn the_app_shows_local_days_and_times_with_the_zone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vetted.db");
    {
        let mut store = Store::open(&db).unwrap();
        store
            .add_request(&NewRequest {
                name: "Ada Lovelace".into(),
                sent_at: Some("2026-11-22T06:00:00Z".into()),
                sent_at_raw: Some("11/21/26, 10:00 PM".into()),
                source: "linkedin".into(),
                ..NewRequest::default()
            })
            .unwrap();
    }
    let config = dir.path().join("none.toml");
    for (tz, shown) in [("America/Los_Angeles", "2026-11-21 22:00 PST"), ("Asia/Tokyo", "2026-11-22 15:00 JST")] {
        let args = ["--db", db.to_str().unwrap(), "--config", config.to_str().unwrap()];
        let mut pty = Pty::spawn(&args, dir.path(), &[("TZ", Path::new(tz))]);
        pty.wait_for(shown);
        pty.send("q");
        assert!(pty.wait_exit().success());
    }
}

#[test]
fn a_click_selects_a_queue_row_and_mouse_false_leaves_the_mouse_to_the_terminal() {
    let (dir, db) = seeded();
    let mut pty = app_on(&dir, &db);
    assert!(pty.text().contains("\u{1b}[?1000h"), "mouse reporting is on");
    pty.send("\u{1b}[<0;5;4M\u{1b}[<0;5;4m"); // press and release on the second row (SGR)
    pty.wait_for("quick call about 10x leads");
    pty.send("q");
    assert!(pty.wait_exit().success());
    assert!(pty.text().contains("\u{1b}[?1000l"), "and off again");

    let config = dir.path().join("config.toml");
    std::fs::write(&config, "mouse = false\n").unwrap();
    let args = ["--db", db.to_str().unwrap(), "--config", config.to_str().unwrap()];
    let mut pty = Pty::spawn(&args, dir.path(), &[]);
    pty.wait_for("2 pending");
    pty.send("q");
    assert!(pty.wait_exit().success());
    assert!(!pty.text().contains("\u{1b}[?1000h"), "mouse = false: never turned on");
}

/// A private folder with a store of one pending request from `name`, whose profile is `url`.
fn one_request_with_profile(name: &str, url: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vetted.db");
    Store::open(&db)
        .unwrap()
        .add_request(&NewRequest {
            name: name.into(),
            profile_url: Some(url.into()),
            source: "linkedin".into(),
            ..NewRequest::default()
        })
        .unwrap();
    (dir, db)
}

#[test]
fn a_profile_no_opener_can_open_is_shown_whole_and_offered_to_the_clipboard() {
    // Longer than a line of the terminal: it wraps, shown whole.
    let url = "https://www.linkedin.com/in/ada-lovelace-countess-of-lovelace-analyst-of-the-analytical-engine-and-first-programmer-1815";
    let (dir, db) = one_request_with_profile("Ada Lovelace", url);
    let config = dir.path().join("none.toml");
    let no_tools = dir.path().join("empty-path");
    std::fs::create_dir(&no_tools).unwrap();
    let args = ["--db", db.to_str().unwrap(), "--config", config.to_str().unwrap()];
    let envs = [("PATH", no_tools.as_path()), ("BROWSER", Path::new(""))];
    let mut pty = Pty::spawn(&args, dir.path(), &envs);
    pty.wait_for("1 pending");
    pty.send("o");
    pty.wait_for("offered to the clipboard");
    pty.wait_for(&format!("{url}—couldnotopenit:noprogramtoopenwebpageswasfound"));
    assert!(!pty.text().contains("ExitStatus"), "no debug text");
    pty.send("q");
    assert!(pty.wait_exit().success());
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(url);
    assert!(pty.text().contains(&format!("\u{1b}]52;c;{encoded}\u{7}")), "OSC 52 with the address: {}", pty.text());
}

#[test]
fn a_browser_that_fails_is_said_in_words_with_the_address() {
    let url = "https://www.linkedin.com/in/bo-quill";
    let (dir, db) = one_request_with_profile("Bo Quill", url);
    let failing = dir.path().join("failing-browser");
    script(&failing, "exit 3\n");
    let config = dir.path().join("none.toml");
    let args = ["--db", db.to_str().unwrap(), "--config", config.to_str().unwrap()];
    for (browser, says) in
        [(failing.clone(), "failedwithexitcode3"), (dir.path().join("no-such-browser"), "wasnotfound")]
    {
        let mut pty = Pty::spawn(&args, dir.path(), &[("BROWSER", &browser)]);
        pty.wait_for("1 pending");
        pty.send("o");
        pty.wait_for(&format!("{url}—couldnotopenit:$BROWSER("));
        pty.wait_for(says);
        pty.send("q");
        assert!(pty.wait_exit().success());
    }
}

#[test]
fn two_sessions_on_one_store_undo_only_their_own_decision_while_it_is_the_latest() {
    let (dir, db) = seeded();
    let mut a = app_on(&dir, &db);
    a.send("j");
    a.send("d");
    a.wait_for("reason (required)");
    a.send("sales pitch\r");
    a.wait_for("recorded");
    // The second session reconsiders the decline the first one made.
    let mut b = app_on_pending(&dir, &db, "1 pending");
    b.send("D");
    b.wait_for("Reconsider: a accept");
    b.send("a");
    b.wait_for("Reconsider: accept");
    b.send("met them since\r");
    b.wait_for("the history is kept");
    b.send("q");
    assert!(b.wait_exit().success());
    a.send("u");
    a.wait_for("cannot undo Bo Seller");
    a.send("q");
    assert!(a.wait_exit().success());
    let store = Store::open(&db).unwrap();
    let latest = &store.log_page(None, 1).unwrap()[0];
    assert_eq!((latest.decision, latest.reason.as_str()), (Status::Accepted, "met them since"), "B's decision stands");
}

/// The app on `db`, once its header shows `pending`.
fn app_on_pending(dir: &tempfile::TempDir, db: &Path, pending: &str) -> Pty {
    let config = dir.path().join("none.toml");
    let args = ["--db", db.to_str().unwrap(), "--config", config.to_str().unwrap()];
    let pty = Pty::spawn(&args, dir.path(), &[]);
    pty.wait_for(pending);
    pty
}

#[test]
fn the_group_view_groups_a_store_on_disk_in_the_background() {
    let dir = tempfile::tempdir().unwrap();
    let mut pty = Pty::spawn(&["demo"], dir.path(), &[]);
    pty.wait_for("pending");
    pty.send("v");
    pty.wait_for("Pending by hint");
    pty.wait_for("no personal message");
    pty.send("\r");
    pty.wait_for("requests: hint:no-message");
    pty.send("q");
    assert!(pty.wait_exit().success());
}
