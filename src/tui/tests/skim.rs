//! Skimming before marking: queue rows with each message's first line (the preview key), kept
//! in the config file.

use super::*;
use crate::tui::screens::Settings;

/// Whether one line of the screen holds both (a queue row: the person pane shows the name and
/// the message on lines of their own).
fn in_a_row(screen: &str, name: &str, first: &str) -> bool {
    screen.lines().any(|l| l.contains(name) && l.contains(first))
}

/// Ada, Bo, Cy and Di, with and without the preview, at 120 columns.
#[test]
fn the_preview_key_shows_each_messages_first_line_beside_the_name() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    let before = screen(&app, 120, 30);
    assert!(!in_a_row(&before, "Ada Lovelace", "Loved your post"), "{before}");
    press(&mut app, &["M"]);
    let s = screen(&app, 120, 30);
    insta::assert_snapshot!("preview_120x30", s);
    for (name, first) in [
        ("Ada Lovelace", "Loved your post on"),
        ("Bo Seller", "Hi {first_name}, I help"),
        ("Cy Quiet", "(no message)"),
        ("Di Repeat", "Trying again, would"),
    ] {
        assert!(in_a_row(&s, name, first), "{first:?} beside {name}:\n{s}");
    }
    // The messages start in one column, whatever the name's length.
    let column = |needle: &str| s.lines().find_map(|l| l.find(needle).map(|at| l[..at].chars().count())).unwrap();
    assert_eq!(column("Loved"), column("(no message)"));
    assert_eq!(app.notice.as_ref().unwrap().text, "rows show each message's first line (for this session)");
    press(&mut app, &["M"]);
    assert_eq!(app.notice.take().unwrap().text, "rows show names only (for this session)");
    assert_eq!(screen(&app, 120, 30), before);
}

#[test]
fn the_preview_fits_a_narrow_terminal_and_a_long_first_line_is_cut() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    store.add_request(&req("Fay Long", 24, &format!("{}\nsecond line never shown", "word ".repeat(80)))).unwrap();
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["M", "G"]);
    let s = screen(&app, 80, 24);
    assert!(!s.contains("second line"), "{s}");
    assert!(s.lines().any(|l| l.contains("Fay Long") && l.contains("word word") && l.contains('…')), "{s}");
    assert!(s.lines().all(|l| unicode_width::UnicodeWidthStr::width(l) <= 80), "{s}");
}

#[test]
fn the_preview_is_read_from_and_written_to_the_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("config.toml");
    std::fs::write(&file, "# mine\nmouse = false\n\n[keymap]\naccept = \"a\" # as it was\n").unwrap();
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let settings = Settings { file: Some(file.clone()), preview: true };
    let mut app = app(&mut store, &checklist).with_settings(settings);
    assert!(in_a_row(&screen(&app, 120, 30), "Ada Lovelace", "Loved your"), "on from the config");
    press(&mut app, &["M"]);
    assert!(!in_a_row(&screen(&app, 120, 30), "Ada Lovelace", "Loved your"));
    let notice = app.notice.clone().unwrap();
    assert_eq!(notice.text, format!("rows show names only (kept in {})", file.display()));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "# mine\nmouse = false\nmessage_preview = false\n\n[keymap]\naccept = \"a\" # as it was\n"
    );
    assert_eq!(crate::config::Config::load(&file).unwrap().message_preview, Some(false));
}

#[test]
fn a_config_file_that_cannot_be_written_gives_a_notice_and_the_preview_still_turns() {
    let dir = tempfile::tempdir().unwrap();
    // Under a file: no one can write there, root included.
    std::fs::write(dir.path().join("file"), "").unwrap();
    let file = dir.path().join("file").join("config.toml");
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist).with_settings(Settings { file: Some(file), preview: false });
    press(&mut app, &["M"]);
    assert!(in_a_row(&screen(&app, 120, 30), "Ada Lovelace", "Loved your"));
    let notice = app.notice.clone().unwrap();
    assert_eq!(notice.level, Level::Warning);
    assert!(notice.text.starts_with("rows show each message's first line, for this session only: "), "{}", notice.text);
    assert!(notice.text.contains("config.toml: cannot"), "{}", notice.text);
}

#[test]
fn a_missing_config_file_is_created_holding_only_the_preview() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("vetted").join("config.toml");
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist).with_settings(Settings { file: Some(file.clone()), preview: false });
    press(&mut app, &["M"]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "message_preview = true\n");
}

#[test]
fn choosing_a_group_says_how_to_read_its_messages_as_a_list() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["v"]);
    let at = app.queue.groups.as_ref().unwrap().list.iter().position(|g| g.query == "hint:sales").unwrap();
    for _ in 0..at {
        press(&mut app, &["j"]);
    }
    press(&mut app, &["enter"]);
    assert_eq!(app.notice.as_ref().unwrap().text, "1 requests: hint:sales · M shows their messages");
    press(&mut app, &["M", "esc", "v", "enter"]);
    assert!(!app.notice.as_ref().unwrap().text.contains("shows their messages"), "already shown");
}

#[test]
fn the_group_view_tells_campaigns_that_open_alike_apart_and_filters_to_one() {
    let mut store = Store::in_memory().unwrap();
    let opening = "I hope this message finds you well. I help";
    let (outsourcing, leads) = ("agencies hire offshore developers at lower cost.", "SaaS founders book more demos.");
    for (i, name) in ["Sam Reyes", "Alex Moreau", "Kim Osei"].iter().enumerate() {
        let first = name.split(' ').next().unwrap();
        store.add_request(&req(name, 3 + i as u32, &format!("Hi {first}, {opening} {outsourcing}"))).unwrap();
        store
            .add_request(&req(&format!("{name} Jr"), 10 + i as u32, &format!("Hello {first}! {opening} {leads}")))
            .unwrap();
    }
    let checklist = Checklist::builtin();
    store.reevaluate(&crate::evidence::Phrases::builtin(), &checklist, &mut |_, _| {}).unwrap();
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["v", "tab", "tab"]);
    let s = screen(&app, 120, 30);
    assert!(s.contains("Pending by campaign"), "{s}");
    let groups = app.queue.groups.as_ref().unwrap().list.clone();
    assert_eq!(groups.iter().map(|g| g.count).collect::<Vec<_>>(), [3, 3], "{groups:?}");
    for g in &groups {
        let query = crate::query::parse(&g.query, &jiff::tz::TimeZone::UTC, &checklist).unwrap();
        assert_eq!(app.store().count_where(&query).unwrap(), g.count, "{g:?} selects exactly its group");
    }
    // Not the opening all of them share: the words after it.
    assert!(s.contains("… help agencies hire offshore") && s.contains("… help saas founders book more demos"), "{s}");
    let chosen = groups.iter().position(|g| g.label.contains("offshore")).unwrap();
    for _ in 0..chosen {
        press(&mut app, &["j"]);
    }
    press(&mut app, &["enter"]);
    let names: Vec<String> = app.queue.win.rows.iter().map(|(r, _)| r.name.clone()).collect();
    assert_eq!(names, ["Sam Reyes", "Alex Moreau", "Kim Osei"], "one campaign, its greetings and names aside");
}
