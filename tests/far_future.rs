//! A system clock at the end of the calendar (issue 20, "weaker"): at 9999-12-30 and at the last
//! instant jiff can hold, Stats, the query language's relative days, the demo and the review
//! app's first frame answer without panicking.

use jiff::Timestamp;
use vetted::checklist::Checklist;
use vetted::model::{NewRequest, Verdict};
use vetted::store::Store;

fn ends() -> [Timestamp; 2] {
    ["9999-12-30T12:00:00Z".parse().unwrap(), Timestamp::MAX]
}

fn store() -> Store {
    let mut store = Store::in_memory().unwrap();
    let (id, _) = store
        .add_request(&NewRequest {
            name: "Ada Example".into(),
            sent_at: Some("9999-12-29T10:00:00Z".into()),
            source: "manual".into(),
            ..NewRequest::default()
        })
        .unwrap();
    store.decide(id, Verdict::Decline, "no note", &Default::default()).unwrap();
    store
}

#[test]
fn stats_and_relative_days_at_the_end_of_the_calendar() {
    let zone = jiff::tz::TimeZone::get("Pacific/Kiritimati").unwrap(); // UTC+14: past the end locally
    for now in ends() {
        let store = store();
        let today = vetted::clock::today(now, &zone);
        store.stats(today, &zone).unwrap();
        for q in ["age:>30d", "age:<2w", "sent:2026-11", "since:7d"] {
            let _ = vetted::query::parse_at(q, &zone, &Checklist::builtin(), now);
        }
    }
}

#[test]
fn the_demo_at_the_end_of_the_calendar() {
    for now in ends() {
        vetted::demo::open_at(&Checklist::builtin(), now).unwrap();
    }
}

#[test]
fn the_review_app_draws_and_takes_keys_at_the_end_of_the_calendar() {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    for now in ends() {
        let mut store = store();
        let checklist = Checklist::builtin();
        let keymap = vetted::tui::Keymap::default();
        let mut app =
            vetted::tui::App::new(&mut store, &checklist, keymap, vetted::tui::Theme::monochrome(), now).unwrap();
        let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
        // Every screen, a deferral to a day (the prompt's date arithmetic), the help.
        for key in ['Q', 'l', 'D', 'L', 'S', 'T', '?', 'Q'] {
            app.on_key(KeyEvent::new(KeyCode::Char(key), KeyModifiers::NONE));
            terminal.draw(|f| f.render_widget(&app, f.area())).unwrap();
            if key == 'l' {
                for c in "30d".chars() {
                    app.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
                }
                app.on_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
                terminal.draw(|f| f.render_widget(&app, f.area())).unwrap();
                app.on_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
            }
        }
    }
}

#[test]
fn every_command_answers_with_the_system_clock_past_the_last_instant() {
    let has_faketime = std::process::Command::new("faketime").arg("--help").output().is_ok_and(|o| o.status.success());
    if !has_faketime {
        eprintln!("not run: the faketime command is not installed (.ci/run installs it)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let run = |args: &[&str]| {
        let out = std::process::Command::new("faketime")
            .arg("9999-12-31 23:00:00")
            .arg(env!("CARGO_BIN_EXE_vetted"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env("HOME", dir.path())
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success() && !err.contains("panicked"), "{args:?}: {err}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    run(&["add", "--name", "Ada Example"]);
    run(&["decide", "1", "--decline", "--reason", "no note"]);
    assert!(run(&["stats"]).contains("1 declined"));
    assert!(run(&["export", "--format", "md"]).contains("Ada Example"));
    run(&["export", "--format", "json"]);
    run(&["log"]);
}
