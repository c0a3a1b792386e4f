//! What surrounds the screens: help, quitting, the footer and remapped keys, the screen
//! keys and tabs, and the snapshots of the main screens.

use super::*;

#[test]
fn help_opens_and_any_key_closes_it() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["?"]);
    assert_eq!(app.mode(), Mode::Help);
    press(&mut app, &["a"]);
    assert_eq!(app.mode(), Mode::Normal);
    assert!(app.store().log_page(None, 1).unwrap().is_empty(), "the key only closed the help");
    press(&mut app, &["?", "q"]);
    assert!(!app.quit);
    press(&mut app, &["q"]);
    assert!(app.quit);
}

#[test]
fn ctrl_c_quits_from_any_mode() {
    for keys in [&["ctrl-c"][..], &["d", "ctrl-c"], &["e", "ctrl-c"], &["/", "ctrl-c"], &["?", "ctrl-c"]] {
        let (mut store, checklist) = (fixture(), Checklist::builtin());
        let mut app = app(&mut store, &checklist);
        press(&mut app, keys);
        assert!(app.quit, "{keys:?}");
    }
}

#[test]
fn every_action_is_handled_in_every_mode_without_panicking() {
    for prefix in [&[][..], &["d"], &["e"], &["/"], &["?"]] {
        for action in Action::all() {
            let (mut store, checklist) = (fixture(), Checklist::builtin());
            let mut app = app(&mut store, &checklist);
            press(&mut app, prefix);
            update(&mut app, action);
            let _ = screen(&app, 80, 24);
        }
    }
    // And with an empty store.
    let mut store = Store::in_memory().unwrap();
    let checklist = Checklist::builtin();
    let mut app = app(&mut store, &checklist);
    for action in Action::all() {
        update(&mut app, action);
        app.overlay = Overlay::None;
        app.quit = false;
    }
}

#[test]
fn remapped_keys_drive_the_same_actions_and_the_footer_follows() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let overrides = [("accept".to_string(), vec!["y".to_string()]), ("quit".to_string(), vec!["x".to_string()])];
    let keymap = Keymap::with_overrides(&overrides.into_iter().collect(), std::path::Path::new("c.toml")).unwrap();
    let mut app = App::new(&mut store, &checklist, keymap, Theme::monochrome(), now()).unwrap();
    press(&mut app, &["a"]);
    assert_eq!(app.mode(), Mode::Normal);
    press(&mut app, &["y", "enter"]);
    assert_eq!(app.store().log_page(None, 1).unwrap()[0].decision, Status::Accepted);
    let s = screen(&app, 120, 40);
    assert!(s.contains("y accept"), "{s}");
    assert!(s.contains("x quit"), "{s}");
    assert!(!s.contains("a accept"), "{s}");
    press(&mut app, &["?"]);
    let help = screen(&app, 120, 40);
    assert!(help.contains("y          accept"), "{help}");
}

#[test]
fn snapshot_main_screen_80x24() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["j"]);
    insta::assert_snapshot!("main_80x24", screen(&app, 80, 24));
}

#[test]
fn the_docs_show_what_the_demo_shows() {
    // `vetted demo` on the day its fictional export was made (on another day every date moves
    // with it, so the ages stay these: `demo::tests`).
    let checklist = Checklist::builtin();
    let (_dir, mut store) = crate::demo::open_at(&checklist, now()).unwrap();
    store.release_due_deferrals("2026-11-25T12:00:00Z").unwrap();
    let app = app(&mut store, &checklist);
    let shown = screen(&app, 80, 24);
    let doc = include_str!("../../../README.md");
    assert!(doc.contains(shown.trim_end_matches('\n')), "update the screen capture in README.md:\n{shown}");
}

#[test]
fn snapshot_main_screen_120x40() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["tab", "tab", "j", "enter", "2"]);
    insta::assert_snapshot!("main_120x40", screen(&app, 120, 40));
}

#[test]
fn snapshot_help_overlay() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["?"]);
    insta::assert_snapshot!("help_80x24", screen(&app, 80, 24));
    insta::assert_snapshot!("help_120x40", screen(&app, 120, 40));
}

#[test]
fn snapshot_reason_prompt() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["j", "d", "enter"]);
    insta::assert_snapshot!("reason_prompt_80x24", screen(&app, 80, 24));
}

#[test]
fn snapshot_notes_editor_and_search() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["e"]);
    type_text(&mut app, " Wants to talk storage.");
    insta::assert_snapshot!("notes_editor_80x24", screen(&app, 80, 24));
    press(&mut app, &["esc", "esc", "/"]);
    type_text(&mut app, "connect");
    insta::assert_snapshot!("search_80x24", screen(&app, 80, 24));
}

#[test]
fn snapshot_empty_queue() {
    let mut store = Store::in_memory().unwrap();
    let checklist = Checklist::builtin();
    let app = app(&mut store, &checklist);
    insta::assert_snapshot!("empty_80x24", screen(&app, 80, 24));
}

#[test]
fn snapshot_too_small() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let app = app(&mut store, &checklist);
    let s = screen(&app, 60, 20);
    assert!(s.contains("Enlarge the terminal"));
    insta::assert_snapshot!("too_small_60x20", s);
    for (w, h) in [(0, 0), (1, 1), (79, 24), (80, 23), (10, 3)] {
        let _ = screen(&app, w.max(1), h.max(1));
    }
}

#[test]
fn screen_keys_switch_screens_and_the_header_shows_them() {
    let (mut store, checklist) = (log_fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    assert_eq!(app.screen, Screen::Queue);
    for (key, screen) in
        [("D", Screen::Declined), ("L", Screen::Log), ("S", Screen::Stats), ("T", Screen::Todo), ("Q", Screen::Queue)]
    {
        press(&mut app, &[key]);
        assert_eq!(app.screen, screen, "{key}");
        let s = screen_text(&app);
        assert!(s.lines().next().unwrap().contains(&format!("[{}]", screen.label())), "{s}");
    }
    press(&mut app, &["]"]);
    assert_eq!(app.screen, Screen::Declined);
    press(&mut app, &["[", "["]);
    assert_eq!(app.screen, Screen::Todo);
    // Screen keys are keymap actions: remappable, listed in the help.
    let overrides = [("screen_log".to_string(), vec!["f2".to_string()])].into_iter().collect();
    let keymap = Keymap::with_overrides(&overrides, std::path::Path::new("c.toml")).unwrap();
    drop(app);
    let mut app = App::new(&mut store, &checklist, keymap, Theme::monochrome(), now()).unwrap();
    press(&mut app, &["f2"]);
    assert_eq!(app.screen, Screen::Log);
    press(&mut app, &["?"]);
    assert!(screen(&app, 120, 40).contains("f2"), "the help shows the remapped key");
}

#[test]
fn each_action_works_where_the_action_table_says_and_nowhere_else() {
    for screen in Screen::ALL {
        for action in Action::all() {
            if action.mode() != KeyMode::Normal || SHELL_ACTIONS.contains(&action) {
                continue;
            }
            let (mut store, checklist) = (log_fixture(), Checklist::builtin());
            let mut app = app(&mut store, &checklist);
            app.show(screen);
            update(&mut app, action);
            let said = app.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default();
            let elsewhere = said.contains("” works on the ");
            assert_eq!(elsewhere, !screen.has(action.on()), "{action} on {screen:?}: {said:?}");
        }
    }
    let (mut store, checklist) = (log_fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["L", "r"]);
    assert_eq!(
        app.notice.unwrap().text,
        "“repeat old verdict” works on the Queue screen (Q)",
        "said in words, with the key that gets there"
    );
}

#[test]
fn every_hint_a_screen_shows_is_an_action_it_handles() {
    use super::super::screens::{Hint, View};
    let (mut store, checklist) = (log_fixture(), Checklist::builtin());
    let app = app(&mut store, &checklist);
    let views: [(Screen, &dyn View); 5] = [
        (Screen::Queue, &app.queue),
        (Screen::Declined, &app.declined),
        (Screen::Log, &app.log),
        (Screen::Stats, &app.stats),
        (Screen::Todo, &app.todo),
    ];
    for (screen, view) in views {
        let hints = view.hints();
        assert!(hints.contains(&Hint::Key(Action::Help)), "{screen:?} offers the help");
        for hint in hints {
            let action = match hint {
                Hint::Key(a) | Hint::Named(a, _) => a,
                Hint::Toggles => Action::Toggle(1),
                Hint::Screens => Action::NextScreen,
            };
            let handled = SHELL_ACTIONS.contains(&action) || screen.has(action.on());
            assert!(handled, "{screen:?} shows {hint:?}, which it does not handle");
        }
    }
}

#[test]
fn the_help_scrolls_to_every_key_at_80x24() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["?"]);
    let top = screen(&app, 80, 24);
    assert!(top.contains("j/k scroll") && !top.contains("q          quit"), "{top}");
    press(&mut app, &["j", "j", "pagedown", "pagedown"]);
    let end = screen(&app, 80, 24);
    assert!(end.contains("q          quit") && end.contains("✓ accept  ✗ decline  … later"), "{end}");
    assert_eq!(app.mode(), Mode::Help, "moving keys scroll, they do not close it");
    press(&mut app, &["g"]);
    assert_eq!(screen(&app, 80, 24), top);
    press(&mut app, &["x"]);
    assert_eq!(app.mode(), Mode::Normal);
    press(&mut app, &["?"]);
    assert!(screen(&app, 120, 40).contains("— any key closes"), "it fits at 120×40: nothing to scroll");
}

#[test]
fn the_header_keeps_counts_whole_and_alike() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    // A long search with marks: the match count is seen whole at 120 and 80 columns.
    press(&mut app, &["space", "j", "space", "/"]);
    type_text(&mut app, "Loved your post on keyset pagination");
    press(&mut app, &["enter"]);
    for w in [120, 80] {
        let head = screen(&app, w, 30).lines().next().unwrap().to_string();
        assert!(head.contains("2 marked"), "{w}: {head}");
        let search = if w == 120 { "search: 1 for \"Loved your post on keys…\"" } else { "search: 1 for \"Loved" };
        assert!(head.contains(search), "{w}: {head}");
        assert!(head.contains("[Queue]"), "{w}: {head}");
        // The clicks still land on the shrunken tabs.
        let at = head.find(" L ").map(|i| head[..i].chars().count() as u16 + 1);
        let tab =
            app.hits.borrow().tabs.iter().find(|(x0, x1, _)| at.is_some_and(|x| (*x0..*x1).contains(&x))).map(|t| t.2);
        assert_eq!(tab, Some(Screen::Log), "{w}: {head}");
    }
    // Nothing to keep whole: the tabs keep their names.
    press(&mut app, &["esc", "esc"]);
    let head = screen(&app, 120, 30).lines().next().unwrap().to_string();
    assert!(head.contains("Declined  Log  Stats  To do │ 4 pending │ session 0/4 │ oldest first"), "{head}");
    // Both sides of the session count read alike.
    app.set_pending_count(2_998);
    app.session.take(crate::tui::session::Step::Batch { id: 1, verdict: Verdict::Decline, size: 1_088 });
    let head = screen(&app, 120, 30).lines().next().unwrap().to_string();
    assert!(head.contains("session 1,088/2,998"), "{head}");
}
