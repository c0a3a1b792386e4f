//! Tests of the reducer with synthetic key events, screen snapshots, and hostile text.

use super::app::{Level, PAGE};
use super::*;
use crate::model::{NewRequest, Status, Verdict};
use crate::store::QueueOrder;
use ratatui::Terminal;
use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::layout::Rect;
use ratatui::{TerminalOptions, Viewport};

/// "Now" of every test: frozen, so relative times are stable.
fn now() -> jiff::Timestamp {
    "2026-11-25T12:00:00Z".parse().unwrap()
}

fn req(name: &str, day: u32, message: &str) -> NewRequest {
    NewRequest {
        name: name.into(),
        profile_url: Some(format!("https://www.linkedin.com/in/{}", name.to_lowercase().replace(' ', "-"))),
        message: message.into(),
        sent_at_raw: Some(format!("11/{day}/26, 9:00 AM")),
        sent_at: Some(format!("2026-11-{day:02}T17:00:00Z")),
        source: "linkedin".into(),
        ..NewRequest::default()
    }
}

/// A small store with varied requests, oldest first: Ada, Bo, Cy, Di.
fn fixture() -> Store {
    let mut store = Store::in_memory().unwrap();
    fill(&mut store);
    store
}

/// The same, in a file (for two sessions on one store).
fn fixture_on_disk(path: &std::path::Path) -> Store {
    let mut store = Store::open(path).unwrap();
    fill(&mut store);
    store
}

fn fill(store: &mut Store) {
    store
        .add_request(&NewRequest {
            headline: Some("Compiler engineer at Analytical Engines".into()),
            company: Some("Analytical Engines".into()),
            location: Some("London".into()),
            mutual_connections: Some(12),
            notes: Some("Met at RustConf 2025; gave the talk on borrowck.".into()),
            ..req("Ada Lovelace", 2, "Loved your post on keyset pagination. Would be glad to compare notes on SQLite.")
        })
        .unwrap();
    store
        .add_request(&NewRequest {
            headline: Some("Growth hacker | 10x your pipeline".into()),
            hints: vec!["sales_phrasing".into()],
            ..req("Bo Seller", 10, "Hi {first_name}, I help founders like you 10x their leads. Quick call?")
        })
        .unwrap();
    store.add_request(&NewRequest { hints: vec!["no_message".into()], ..req("Cy Quiet", 18, "") }).unwrap();
    store.add_request(&req("Di Repeat", 22, "Trying again, would love to connect.")).unwrap();
}

fn app<'a>(store: &'a mut Store, checklist: &'a Checklist) -> App<'a> {
    let mut app = App::new(store, checklist, Keymap::default(), Theme::monochrome(), now()).unwrap();
    app.zone = jiff::tz::TimeZone::UTC; // whatever zone the machine running the tests is in
    app
}

/// Presses keys given in keymap spelling.
fn press(app: &mut App<'_>, keys: &[&str]) {
    for k in keys {
        app.on_key(Key::parse(k).unwrap().event());
    }
}

fn type_text(app: &mut App<'_>, s: &str) {
    for c in s.chars() {
        app.on_key(Key::ch(c).event());
    }
}

fn selected_name(app: &App<'_>) -> String {
    app.selected().map(|r| r.name.clone()).unwrap_or_default()
}

fn screen(app: &App<'_>, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| f.render_widget(app, f.area())).unwrap();
    let buf = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        for x in 0..w {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    // Decision dates come from the store's real clock.
    let today = jiff::Timestamp::now().strftime("%Y-%m-%d").to_string();
    out.replace(&today, "[today]")
}

#[test]
fn moving_through_the_queue() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    assert_eq!(app.pending, 4);
    assert_eq!(selected_name(&app), "Ada Lovelace");
    press(&mut app, &["j"]);
    assert_eq!(selected_name(&app), "Bo Seller");
    press(&mut app, &["down", "down", "down"]);
    assert_eq!(selected_name(&app), "Di Repeat", "stops at the end");
    press(&mut app, &["k"]);
    assert_eq!(selected_name(&app), "Cy Quiet");
    press(&mut app, &["up", "up", "up"]);
    assert_eq!(selected_name(&app), "Ada Lovelace", "stops at the start");
    press(&mut app, &["G"]);
    assert_eq!(selected_name(&app), "Di Repeat");
    press(&mut app, &["g"]);
    assert_eq!(selected_name(&app), "Ada Lovelace");
    press(&mut app, &["pagedown"]);
    assert_eq!(selected_name(&app), "Di Repeat");
    press(&mut app, &["pageup"]);
    assert_eq!(selected_name(&app), "Ada Lovelace");
    assert_eq!(app.current.as_ref().unwrap().note.as_deref(), Some("Met at RustConf 2025; gave the talk on borrowck."));
}

#[test]
fn a_long_queue_is_paged_not_loaded() {
    let mut store = Store::in_memory().unwrap();
    let n = PAGE * 5 + 7;
    for i in 0..n {
        store
            .add_request(&NewRequest {
                sent_at_raw: Some(i.to_string()),
                sent_at: Some(format!("2026-{:02}-{:02}T{:02}:00:00Z", 1 + i / 600, 1 + (i / 24) % 25, i % 24)),
                ..req(&format!("P{i:04}"), 1, "hi")
            })
            .unwrap();
    }
    let checklist = Checklist::builtin();
    let mut app = app(&mut store, &checklist);
    assert!(app.rows.len() <= PAGE);
    for _ in 0..n + 5 {
        press(&mut app, &["j"]);
        assert!(app.rows.len() <= 3 * PAGE, "the window stays bounded");
    }
    assert_eq!(selected_name(&app), format!("P{:04}", n - 1));
    for _ in 0..n {
        press(&mut app, &["k"]);
    }
    assert_eq!(selected_name(&app), "P0000");
    press(&mut app, &["G"]);
    assert_eq!(selected_name(&app), format!("P{:04}", n - 1));
    press(&mut app, &["k"]);
    assert_eq!(selected_name(&app), format!("P{:04}", n - 2));
    press(&mut app, &["g"]);
    assert_eq!(selected_name(&app), "P0000");
}

#[test]
fn panes_cycle_and_move_their_own_cursor() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    assert_eq!(app.focus, Pane::Queue);
    press(&mut app, &["tab"]);
    assert_eq!(app.focus, Pane::Person);
    press(&mut app, &["j", "j"]);
    assert_eq!(app.person_scroll, 2);
    assert_eq!(selected_name(&app), "Ada Lovelace");
    press(&mut app, &["tab"]);
    assert_eq!(app.focus, Pane::Checklist);
    press(&mut app, &["j", "j"]);
    assert_eq!(app.item, 2);
    press(&mut app, &["space"]);
    let key = &checklist.items[2].key;
    assert_eq!(app.store().answers(1).unwrap().get(key), Some(&true), "written at once");
    press(&mut app, &["tab"]);
    assert_eq!(app.focus, Pane::Queue);
}

#[test]
fn toggles_cycle_yes_no_unknown_and_are_stored() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    let key = checklist.items[0].key.clone();
    press(&mut app, &["1"]);
    assert_eq!(app.store().answers(1).unwrap().get(&key), Some(&true));
    assert_eq!(app.store().rank(1).unwrap(), crate::store::RANK_ACCEPT);
    press(&mut app, &["1"]);
    assert_eq!(app.store().answers(1).unwrap().get(&key), Some(&false));
    press(&mut app, &["1"]);
    assert_eq!(app.store().answers(1).unwrap().get(&key), None);
    for n in 1..=9 {
        press(&mut app, &[&n.to_string()]);
        assert!(app.store().answers(1).unwrap().contains_key(&checklist.items[n - 1].key), "item {n}");
    }
    assert_eq!(app.current.as_ref().unwrap().answers, app.store().answers(1).unwrap());
}

#[test]
fn decline_asks_for_a_reason_and_refuses_an_empty_one() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["d"]);
    assert_eq!(app.mode, Mode::Reason(Verdict::Decline));
    assert_eq!(app.editor.lines(), [""], "nothing answered: nothing to prefill");
    press(&mut app, &["enter"]);
    assert_eq!(app.mode, Mode::Reason(Verdict::Decline), "still asking");
    assert_eq!(app.notice.as_ref().unwrap().level, Level::Warning);
    assert!(app.notice.as_ref().unwrap().text.contains("needs a reason"));
    assert!(app.store().log_page(None, 10).unwrap().is_empty(), "nothing recorded");
    type_text(&mut app, "not my field");
    press(&mut app, &["enter"]);
    assert_eq!(app.mode, Mode::Normal);
    let log = app.store().log_page(None, 10).unwrap();
    assert_eq!(
        (log[0].decision, log[0].reason.as_str(), log[0].name.as_str()),
        (Status::Declined, "not my field", "Ada Lovelace")
    );
    assert_eq!(app.pending, 3);
    assert_eq!(selected_name(&app), "Bo Seller", "the next request is shown");
}

#[test]
fn reasons_are_prefilled_from_the_checklist_and_editable() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["j"]);
    let selling = checklist.items.iter().position(|i| i.key == "selling").unwrap() + 1;
    press(&mut app, &[&selling.to_string()]);
    press(&mut app, &["d"]);
    assert_eq!(app.editor.lines(), [checklist.reason_for(Verdict::Decline, &app.current.as_ref().unwrap().answers)]);
    type_text(&mut app, "; pitch in the first line");
    press(&mut app, &["enter"]);
    let log = app.store().log_page(None, 1).unwrap();
    assert_eq!(log[0].reason, "wants to sell me something; pitch in the first line");
    assert_eq!(log[0].answers.get("selling"), Some(&true), "the checklist is kept with the decision");
}

#[test]
fn accept_and_defer_take_optional_reasons_and_esc_cancels() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["a"]);
    assert_eq!(app.mode, Mode::Reason(Verdict::Accept));
    press(&mut app, &["esc"]);
    assert_eq!(app.mode, Mode::Normal);
    assert!(app.store().log_page(None, 10).unwrap().is_empty());
    press(&mut app, &["a", "enter"]);
    press(&mut app, &["l", "enter"]);
    let log = app.store().log_page(None, 10).unwrap();
    assert_eq!(log.iter().map(|d| d.decision).collect::<Vec<_>>(), [Status::Deferred, Status::Accepted]);
    assert_eq!(app.session.len(), 2);
    assert_eq!(selected_name(&app), "Cy Quiet");
    // In the prompt, normal keys are text.
    press(&mut app, &["a"]);
    type_text(&mut app, "q");
    assert!(!app.quit);
    assert_eq!(app.editor.lines(), ["q"]);
}

#[test]
fn undo_walks_back_the_session_and_is_logged() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["a", "enter"]);
    press(&mut app, &["d"]);
    type_text(&mut app, "spam");
    press(&mut app, &["enter"]);
    assert_eq!(app.pending, 2);
    press(&mut app, &["u"]);
    assert_eq!(selected_name(&app), "Bo Seller", "the undone request is selected again");
    assert_eq!(app.store().request(2).unwrap().status, Status::Pending);
    press(&mut app, &["u"]);
    assert_eq!(selected_name(&app), "Ada Lovelace");
    assert_eq!(app.pending, 4);
    press(&mut app, &["u"]);
    assert!(app.notice.as_ref().unwrap().text.contains("nothing to undo"));
    let log = app.store().log_page(None, 10).unwrap();
    assert_eq!(log.len(), 4, "two decisions and two undos, append-only");
    assert!(log[0].undo && log[1].undo);
}

#[test]
fn the_queue_empties_into_a_summary() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["a", "enter", "a", "enter"]);
    press(&mut app, &["d"]);
    type_text(&mut app, "no message");
    press(&mut app, &["enter", "l", "enter"]);
    assert_eq!(app.pending, 0);
    assert!(app.rows.is_empty());
    let s = screen(&app, 100, 30);
    assert!(s.contains("2 accepted, 1 declined, 1 deferred"), "{s}");
    assert!(s.contains("[ ] Accept Ada Lovelace  https://www.linkedin.com/in/ada-lovelace"), "{s}");
    assert!(s.contains("[ ] Ignore Cy Quiet"), "{s}");
    insta::assert_snapshot!("summary_100x30", s);
    press(&mut app, &["u"]);
    assert_eq!(selected_name(&app), "Di Repeat");
}

#[test]
fn notes_are_edited_inline_and_saved_only_on_save() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["j", "e"]);
    assert_eq!(app.mode, Mode::Notes);
    type_text(&mut app, "Cold pitch.");
    press(&mut app, &["enter"]);
    type_text(&mut app, "Second line.");
    press(&mut app, &["esc"]);
    assert_eq!(app.mode, Mode::Notes, "unsaved notes: asked first");
    assert!(app.notice.as_ref().unwrap().text.contains("unsaved notes: ctrl-s saves them, esc again closes"));
    press(&mut app, &["esc"]);
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.store().note(2).unwrap(), None, "discarded");
    press(&mut app, &["e"]);
    type_text(&mut app, "Cold pitch.");
    press(&mut app, &["enter"]);
    type_text(&mut app, "q and j are text here");
    press(&mut app, &["ctrl-s"]);
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.store().note(2).unwrap().as_deref(), Some("Cold pitch.\nq and j are text here"));
    assert_eq!(app.current.as_ref().unwrap().note.as_deref(), Some("Cold pitch.\nq and j are text here"));
    // The new notes are searchable at once.
    press(&mut app, &["/"]);
    type_text(&mut app, "cold pitch");
    assert_eq!(app.rows.len(), 1);
    assert_eq!(selected_name(&app), "Bo Seller");
}

#[test]
fn external_editor_is_an_effect_and_its_result_is_saved() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["E"]);
    let Some(Effect::EditNotes { person_id, text }) = app.effect.take() else { panic!("no effect") };
    assert_eq!((person_id, text.as_str()), (1, "Met at RustConf 2025; gave the talk on borrowck."));
    app.finish_external_edit(person_id, &text, &format!("{text}\n"));
    assert_eq!(app.notice.as_ref().unwrap().text, "notes unchanged");
    app.finish_external_edit(person_id, &text, "Rewritten.\n");
    assert_eq!(app.store().note(1).unwrap().as_deref(), Some("Rewritten."));
}

#[test]
fn open_profile_hands_only_web_urls_to_the_opener() {
    let mut store = fixture();
    store
        .add_request(&NewRequest { profile_url: Some("file:///etc/passwd".into()), ..req("Zed Sneaky", 28, "hello") })
        .unwrap();
    let checklist = Checklist::builtin();
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["o"]);
    assert_eq!(app.effect.take(), Some(Effect::Open("https://www.linkedin.com/in/ada-lovelace".into())));
    press(&mut app, &["G", "o"]);
    assert_eq!(app.effect, None);
    assert!(app.notice.as_ref().unwrap().text.contains("not a web address"));
}

#[test]
fn search_is_incremental_and_esc_clears_it() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["/"]);
    assert_eq!(app.mode, Mode::Search);
    type_text(&mut app, "sq");
    assert_eq!(app.rows.len(), 1, "small stores search short queries too");
    assert_eq!(selected_name(&app), "Ada Lovelace", "SQLite in the message");
    press(&mut app, &["backspace", "backspace"]);
    assert_eq!(app.rows.len(), 4);
    type_text(&mut app, "growth");
    assert_eq!(selected_name(&app), "Bo Seller", "headline");
    press(&mut app, &["enter"]);
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.search.as_ref().unwrap().text, "growth");
    press(&mut app, &["/", "esc"]);
    assert_eq!(app.search, None);
    assert_eq!(app.rows.len(), 4);
    press(&mut app, &["/"]);
    type_text(&mut app, "nobody-has-this");
    assert!(app.rows.is_empty());
    assert!(screen(&app, 80, 24).contains("no match"));
}

#[test]
fn sort_cycles_oldest_newest_recommendation() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["G", "1"]); // Di: know, like and trust → recommended accept
    press(&mut app, &["s"]);
    assert_eq!(app.order, QueueOrder::Newest);
    assert_eq!(selected_name(&app), "Di Repeat");
    press(&mut app, &["j"]);
    assert_eq!(selected_name(&app), "Cy Quiet");
    press(&mut app, &["s"]);
    assert_eq!(app.order, QueueOrder::Recommendation);
    assert_eq!(selected_name(&app), "Di Repeat", "recommended accepts first");
    press(&mut app, &["j"]);
    assert_eq!(selected_name(&app), "Ada Lovelace");
    press(&mut app, &["s"]);
    assert_eq!(app.order, QueueOrder::Oldest);
}

#[test]
fn help_opens_and_any_key_closes_it() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["?"]);
    assert_eq!(app.mode, Mode::Help);
    press(&mut app, &["a"]);
    assert_eq!(app.mode, Mode::Normal);
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
        app.mode = Mode::Normal;
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
    assert_eq!(app.mode, Mode::Normal);
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
fn earlier_decisions_and_asked_again_are_shown() {
    let mut store = fixture();
    store.decide(4, Verdict::Decline, "selling", &Default::default()).unwrap();
    store.add_request(&req("Di Repeat", 24, "Second try!")).unwrap();
    let checklist = Checklist::builtin();
    let app = app(&mut store, &checklist);
    let mut app = app;
    press(&mut app, &["G"]);
    assert!(app.selected().unwrap().asked_again);
    let s = screen(&app, 120, 40);
    assert!(s.contains("↺ asked again (declined before)"), "{s}");
    assert!(s.contains("✗ declined [today]: selling"), "{s}");
}

// --- screens -------------------------------------------------------------------------------

#[test]
fn snapshot_main_screen_80x24() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["j"]);
    insta::assert_snapshot!("main_80x24", screen(&app, 80, 24));
}

#[test]
fn the_docs_show_what_the_demo_shows() {
    // `vetted demo` on the day its fictional export was made (the ages follow the real day).
    let (_dir, mut store) = crate::demo::open().unwrap();
    store.release_due_deferrals("2026-11-25T12:00:00Z").unwrap();
    let checklist = Checklist::builtin();
    let app = app(&mut store, &checklist);
    let shown = screen(&app, 80, 24);
    let doc = include_str!("../../README.md");
    assert!(doc.contains(shown.trim_end_matches('\n')), "update the screen capture in README.md:\n{shown}");
}

#[test]
fn snapshot_main_screen_120x40() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["tab", "tab", "j", "space", "2"]);
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

// --- hostile text ---------------------------------------------------------------------------

const HOSTILE_NAME: &str = "Eve\u{1b}]0;pwned\u{7}\u{1b}[2J Mallory\u{202E}gnp.exe";
const HOSTILE_MESSAGE: &str =
    "Hi\u{9b}31mred\u{1b}[31m \u{200B}zero\u{FEFF}width \u{7}bell\r\n\u{1b}P+q\u{1b}\\ \u{2066}iso\u{2069}";

fn hostile_store() -> Store {
    let mut store = Store::in_memory().unwrap();
    store
        .add_request(&NewRequest {
            name: HOSTILE_NAME.into(),
            headline: Some("CEO\u{1b}[8m hidden".into()),
            company: Some("Acme\u{85}Corp".into()),
            profile_url: Some("https://www.linkedin.com/in/eve\u{1b}[5m".into()),
            notes: Some("note\u{1b}]52;c;ZXZpbA==\u{7} clipboard".into()),
            hints: vec!["hidden_characters".into(), "weird\u{1b}[1mhint".into()],
            ..req("x", 3, HOSTILE_MESSAGE)
        })
        .unwrap();
    store
}

fn is_unsafe(c: char) -> bool {
    c.is_control() || crate::text::has_hidden_characters(&c.to_string())
}

#[test]
fn hostile_text_never_reaches_the_buffer_raw() {
    let mut store = hostile_store();
    let checklist = Checklist::builtin();
    let mut app = app(&mut store, &checklist);
    for keys in [&[][..], &["d"], &["e"], &["?"]] {
        press(&mut app, keys);
        for (w, h) in [(80, 24), (120, 40)] {
            let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
            terminal.draw(|f| f.render_widget(&app, f.area())).unwrap();
            for cell in terminal.backend().buffer().content() {
                assert!(!cell.symbol().chars().any(is_unsafe), "{:?} after {keys:?}", cell.symbol());
            }
        }
        press(&mut app, &["esc"]);
    }
    let s = screen(&app, 120, 40);
    assert!(s.contains("Eve␛]0;pwned␇␛[2J Mallory⟨U+202E⟩gnp.exe"), "made visible: {s}");
    // Every field goes through text.rs (the buffer scrub is only a last line of defence).
    for shown in [
        "Hi⟨U+009B⟩31mred␛[31m ⟨U+200B⟩zero⟨U+FEFF⟩width",
        "␇bell",
        "⟨U+2066⟩iso⟨U+2069⟩",
        "CEO␛[8m hidden",
        "Acme⟨U+0085⟩Corp",
        "eve␛[5m",
        "note␛]52;c;ZXZpbA==␇ clipboard",
        "weird␛[1mhint",
    ] {
        assert!(s.contains(shown), "{shown:?} not shown as stand-ins:\n{s}");
    }
}

#[test]
fn hostile_text_never_reaches_the_terminal_bytes() {
    let mut store = hostile_store();
    let checklist = Checklist::builtin();
    let mut app = App::new(&mut store, &checklist, Keymap::default(), Theme::default(), now()).unwrap();
    let mut frames = Vec::new();
    for keys in [&[][..], &["e"], &["esc", "d"], &["esc", "/"]] {
        press(&mut app, keys);
        let mut bytes = Vec::<u8>::new();
        let options = TerminalOptions { viewport: Viewport::Fixed(Rect::new(0, 0, 120, 40)) };
        let mut terminal = Terminal::with_options(CrosstermBackend::new(&mut bytes), options).unwrap();
        terminal.draw(|f| f.render_widget(&app, f.area())).unwrap();
        drop(terminal);
        frames.push(bytes);
    }
    for bytes in frames {
        let out = String::from_utf8(bytes).expect("utf-8");
        for payload in
            ["\u{1b}]0;", "\u{1b}[2J", "\u{1b}]52", "\u{1b}P", "\u{1b}[8m", "\u{1b}[5m", "\u{7}", "\u{9b}", "\u{85}"]
        {
            assert!(!out.contains(payload), "{payload:?} reached the terminal");
        }
        for c in ['\u{202E}', '\u{2066}', '\u{2069}', '\u{200B}', '\u{FEFF}', '\r'] {
            assert!(!out.contains(c), "{c:?} reached the terminal");
        }
        // Every ESC the app writes starts a CSI sequence of ratatui's own: cursor moves and
        // SGR styles, parameters then a final letter.
        let mut rest = out.as_str();
        while let Some(at) = rest.find('\u{1b}') {
            let seq = &rest[at + 1..];
            assert!(seq.starts_with('['), "non-CSI escape: {:?}", &seq[..seq.len().min(12)]);
            let end = seq[1..].find(|c: char| !(c.is_ascii_digit() || c == ';' || c == '?')).unwrap() + 1;
            let final_byte = seq.as_bytes()[end] as char;
            assert!("mHJKhlABCDG".contains(final_byte), "unexpected CSI {:?}", &seq[..=end]);
            assert!(!(final_byte == 'J' && seq[1..end].contains('2')), "screen clear");
            rest = &seq[end + 1..];
        }
        assert!(out.contains("pwned"), "the text is shown, made harmless");
    }
}

#[test]
fn the_count_may_arrive_after_the_first_frame() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = App::new_uncounted(&mut store, &checklist, Keymap::default(), Theme::monochrome(), now()).unwrap();
    assert!(!app.counted);
    assert!(screen(&app, 80, 24).contains("counting… pending"));
    press(&mut app, &["/"]);
    type_text(&mut app, "bo");
    assert_eq!(app.rows.len(), 4, "short searches wait for the count");
    press(&mut app, &["esc", "a", "enter"]);
    app.set_pending_count(4);
    assert_eq!((app.pending, app.session_total), (3, 4), "decisions made meanwhile are subtracted");
    assert!(screen(&app, 80, 24).contains("3 pending │ session 1/4"));
}

#[test]
fn a_count_arriving_after_a_decline_was_sent_back_to_pending_includes_it() {
    let (mut store, checklist) = (log_fixture(), Checklist::builtin());
    let at_launch = store.count(Status::Pending).unwrap();
    let mut app = App::new_uncounted(&mut store, &checklist, Keymap::default(), Theme::monochrome(), now()).unwrap();
    press(&mut app, &["D", "p"]);
    type_text(&mut app, "ask them first");
    press(&mut app, &["enter"]);
    app.set_pending_count(at_launch);
    assert_eq!(app.pending, at_launch + 1);
}

#[test]
fn a_search_index_backlog_is_announced() {
    let mut store = Store::in_memory().unwrap();
    let n = crate::store::SEARCH_TAIL_SCAN as usize + 40;
    for i in 0..n {
        store.add_request(&req(&format!("Backlog {i}"), 3, "hello there")).unwrap();
    }
    let checklist = Checklist::builtin();
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["/"]);
    type_text(&mut app, "backlog 1");
    let notice = app.notice.clone().unwrap();
    assert_eq!(notice.level, Level::Warning);
    assert_eq!(notice.text, "search index catching up: 40 newest requests not searched yet");
    assert!(!app.rows.is_empty());
    press(&mut app, &["esc"]);
    while app.index_step(5_000) {}
    press(&mut app, &["/"]);
    type_text(&mut app, "backlog 1");
    assert_eq!(app.notice, None);
}

// ---- The log screens (issue 5) ----

use super::screens::{Screen, StatsView};

/// Appends a decision at a fixed time (raw SQL, as the store would: the request follows it).
fn decide_at(store: &Store, request: i64, status: &str, reason: &str, answers: &str, at: &str) -> i64 {
    let conn = store.conn();
    let supersedes: Option<i64> =
        conn.query_row("SELECT max(id) FROM decision WHERE request_id = ?1", [request], |r| r.get(0)).unwrap();
    conn.execute(
        "INSERT INTO decision (request_id, status, reason, answers, supersedes, decided_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        rusqlite::params![request, status, reason, answers, supersedes, at],
    )
    .unwrap();
    conn.execute("UPDATE request SET status = ?2 WHERE id = ?1", rusqlite::params![request, status]).unwrap();
    conn.last_insert_rowid()
}

/// The fixture with a history: Ada accepted; Bo and Cy declined; Di declined, then accepted
/// (a chain); Eve deferred.
fn log_fixture() -> Store {
    let mut store = fixture();
    store.add_request(&req("Eve Later", 23, "Let's connect after the conference.")).unwrap();
    decide_at(&store, 1, "accepted", "met at RustConf", r#"{"know_like_trust":true}"#, "2026-10-02T10:00:00Z");
    decide_at(&store, 4, "declined", "collects connections", r#"{"collector":true}"#, "2026-10-05T10:00:00Z");
    decide_at(&store, 2, "declined", "selling outsourcing", r#"{"selling":true}"#, "2026-11-10T10:00:00Z");
    decide_at(&store, 3, "declined", "no personal note", r#"{"personalized_why":false}"#, "2026-11-18T10:00:00Z");
    decide_at(
        &store,
        4,
        "accepted",
        "met in person after all",
        r#"{"real_conversation":true}"#,
        "2026-11-20T10:00:00Z",
    );
    decide_at(&store, 5, "deferred", "after the conference", "{}", "2026-11-23T10:00:00Z");
    store.set_note(2, "Pitched outsourcing twice.").unwrap();
    store
}

fn log_names(app: &App<'_>, screen: Screen) -> Vec<String> {
    app.log_view(screen).paged.rows.iter().map(|r| r.decision.name.clone()).collect()
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

fn screen_text(app: &App<'_>) -> String {
    screen(app, 120, 40)
}

#[test]
fn declined_lists_current_declines_with_reason_answers_and_notes() {
    let (mut store, checklist) = (log_fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["D"]);
    assert_eq!(log_names(&app, Screen::Declined), ["Cy Quiet", "Bo Seller"], "Di was accepted since");
    press(&mut app, &["j"]);
    let s = screen_text(&app);
    assert!(s.contains("selling outsourcing"), "{s}");
    assert!(s.contains("[x] Wants to sell me something"), "checklist then: {s}");
    assert!(s.contains("Pitched outsourcing twice."), "notes: {s}");
    // A decline made in the queue shows when the screen is shown again.
    press(&mut app, &["Q"]);
    drop(app);
    store.add_request(&req("Fay New", 24, "hello")).unwrap();
    let mut app = self::app(&mut store, &checklist);
    press(&mut app, &["D", "Q", "d"]);
    type_text(&mut app, "not now");
    press(&mut app, &["enter", "D"]);
    assert_eq!(log_names(&app, Screen::Declined), ["Fay New", "Cy Quiet", "Bo Seller"]);
}

#[test]
fn reconsidering_a_decline_keeps_the_whole_chain() {
    let (mut store, checklist) = (log_fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["D", "j", "a"]);
    assert_eq!(app.mode, Mode::Reconsider(super::screens::Reconsider::Accept));
    press(&mut app, &["enter"]);
    assert_eq!(app.notice.as_ref().unwrap().level, Level::Warning, "a new reason is required");
    type_text(&mut app, "they stopped selling");
    press(&mut app, &["enter"]);
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(log_names(&app, Screen::Declined), ["Cy Quiet"]);
    let history = app.store().person_history(2, 10).unwrap();
    assert_eq!(history.len(), 2, "the decline stays in the log");
    assert_eq!((history[0].decision, history[0].reason.as_str()), (Status::Accepted, "they stopped selling"));
    assert_eq!(history[0].supersedes, Some(history[1].id));
    assert_eq!((history[1].decision, history[1].reason.as_str()), (Status::Declined, "selling outsourcing"));
    // Back to pending: the request returns to the queue, the chain grows.
    let pending = app.pending;
    press(&mut app, &["p"]);
    type_text(&mut app, "ask them first");
    press(&mut app, &["enter"]);
    assert!(log_names(&app, Screen::Declined).is_empty());
    assert_eq!(app.pending, pending + 1);
    assert_eq!(app.store().request(3).unwrap().status, Status::Pending);
    press(&mut app, &["Q"]);
    assert!(app.rows.iter().any(|(r, _)| r.name == "Cy Quiet"), "back in the queue");
    press(&mut app, &["L"]);
    let s = screen_text(&app);
    assert!(s.contains("back to pending") || s.contains("ask them first"), "{s}");
    // Esc cancels without writing.
    press(&mut app, &["D"]);
    let before = app.store().log_page(None, 100).unwrap().len();
    press(&mut app, &["p", "esc"]);
    assert_eq!(app.store().log_page(None, 100).unwrap().len(), before);
}

#[test]
fn undo_takes_back_the_last_decision_whichever_screen_it_was_made_on() {
    let (mut store, checklist) = (log_fixture(), Checklist::builtin());
    let fay = store.add_request(&req("Fay New", 24, "hello")).unwrap().0;
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["d"]);
    type_text(&mut app, "not now");
    press(&mut app, &["enter", "D"]);
    assert_eq!(log_names(&app, Screen::Declined), ["Fay New", "Cy Quiet", "Bo Seller"]);
    press(&mut app, &["j", "j", "a"]);
    type_text(&mut app, "they stopped selling");
    press(&mut app, &["enter", "p"]);
    type_text(&mut app, "ask them first");
    press(&mut app, &["enter"]);
    assert_eq!(log_names(&app, Screen::Declined), ["Fay New"]);
    let pending = app.pending;

    // On Declined: the reopen of Cy is taken back; Cy is declined again and leaves the queue.
    press(&mut app, &["u"]);
    assert_eq!(app.store().request(3).unwrap().status, Status::Declined);
    assert_eq!(app.pending, pending - 1);
    assert_eq!(log_names(&app, Screen::Declined), ["Cy Quiet", "Fay New"], "shown again, the undo first");
    assert!(app.notice.as_ref().unwrap().text.contains("Cy Quiet"), "{:?}", app.notice);
    // In the queue: the reconsidered accept of Bo comes before Fay's decline, made earlier.
    press(&mut app, &["Q"]);
    assert!(!app.rows.iter().any(|(r, _)| r.name == "Cy Quiet"), "no longer pending");
    press(&mut app, &["u"]);
    assert_eq!(app.store().request(2).unwrap().status, Status::Declined);
    assert_eq!(app.store().request(fay).unwrap().status, Status::Declined);
    press(&mut app, &["u"]);
    assert_eq!(app.store().request(fay).unwrap().status, Status::Pending);
    assert_eq!(selected_name(&app), "Fay New");
    press(&mut app, &["u"]);
    assert!(app.notice.as_ref().unwrap().text.contains("nothing to undo"));

    press(&mut app, &["D"]);
    assert_eq!(log_names(&app, Screen::Declined), ["Bo Seller", "Cy Quiet"]);
    let chain: Vec<_> = app.store().person_history(2, 10).unwrap();
    let chain: Vec<_> = chain.iter().map(|d| (d.decision, d.reason.as_str(), d.undo)).collect();
    assert_eq!(
        chain,
        [
            (Status::Declined, "undo", true),
            (Status::Accepted, "they stopped selling", false),
            (Status::Declined, "selling outsourcing", false)
        ]
    );
    press(&mut app, &["L"]);
    assert_eq!(log_names(&app, Screen::Log)[..4], ["Fay New", "Bo Seller", "Cy Quiet", "Cy Quiet"]);
}

#[test]
fn the_log_shows_every_change_of_mind_as_a_chain() {
    let (mut store, checklist) = (log_fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["L"]);
    assert_eq!(
        log_names(&app, Screen::Log),
        ["Eve Later", "Di Repeat", "Cy Quiet", "Bo Seller", "Di Repeat", "Ada Lovelace"],
        "newest first"
    );
    press(&mut app, &["j"]);
    let s = screen_text(&app);
    assert!(s.contains("↶#2"), "the list shows what the decision replaced: {s}");
    assert!(s.contains("#5 ✓ accepted 2026-11-20: met in person after all (replaces"), "{s}");
    assert!(s.contains("#2 ✗ declined 2026-10-05: collects connections"), "{s}");
}

#[test]
fn log_filters_by_text_kind_reason_and_dates() {
    let (mut store, checklist) = (log_fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["L", "/"]);
    assert_eq!(app.mode, Mode::Filter);
    type_text(&mut app, "ou");
    assert_eq!(log_names(&app, Screen::Log).len(), 6, "two characters do not filter yet");
    assert!(app.notice.as_ref().unwrap().text.contains("3 characters"));
    type_text(&mut app, "tsourcing");
    assert_eq!(log_names(&app, Screen::Log), ["Bo Seller"], "reason text");
    press(&mut app, &["enter"]);
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(log_names(&app, Screen::Log), ["Bo Seller"], "enter keeps the filter");
    let filter = |app: &mut App<'_>, text: &str| {
        press(app, &["/"]);
        for _ in 0..60 {
            press(app, &["backspace"]);
        }
        type_text(app, text);
        press(app, &["enter"]);
        log_names(app, app.screen)
    };
    assert_eq!(filter(&mut app, "twice"), ["Bo Seller"], "notes");
    assert_eq!(filter(&mut app, "CONFERENCE"), ["Eve Later"], "message, case-insensitive");
    assert_eq!(filter(&mut app, "is:accepted"), ["Di Repeat", "Ada Lovelace"]);
    assert_eq!(filter(&mut app, "is:declined since:2026-11-01"), ["Cy Quiet", "Bo Seller"]);
    assert_eq!(filter(&mut app, "until:2026-10-05"), ["Di Repeat", "Ada Lovelace"], "until includes the day");
    assert_eq!(filter(&mut app, "reason:person"), ["Di Repeat", "Cy Quiet"], "in person, personal");
    assert_eq!(filter(&mut app, "reason:all"), ["Di Repeat"]);
    assert_eq!(filter(&mut app, "reason:twice"), Vec::<String>::new(), "reason: looks in the reason only");
    assert_eq!(filter(&mut app, "since:someday").len(), 6);
    assert_eq!(app.notice.as_ref().unwrap().text, "since: use YYYY-MM-DD");
    press(&mut app, &["/", "esc"]);
    assert_eq!(log_names(&app, Screen::Log).len(), 6, "esc clears the filter");
    // The Declined screen filters by text, reason and date too.
    press(&mut app, &["D"]);
    assert_eq!(filter(&mut app, "note"), ["Cy Quiet"]);
    assert_eq!(filter(&mut app, "since:2026-11-15"), ["Cy Quiet"]);
    assert_eq!(filter(&mut app, "reason:selling"), ["Bo Seller"]);
}

#[test]
fn log_screens_page_with_keyset_pagination() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    for i in 0..(PAGE + 10) {
        store.add_request(&req(&format!("Many {i:03}"), 1, "")).unwrap();
    }
    let n = store.count(Status::Pending).unwrap() as i64;
    for id in 1..=n {
        decide_at(&store, id, "declined", "bulk", "{}", &format!("2026-11-01T10:{:02}:{:02}Z", id / 60, id % 60));
    }
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["L"]);
    assert_eq!(app.log.paged.rows.len(), PAGE, "one page, never everything");
    press(&mut app, &["G"]);
    assert_eq!(app.log.paged.sel, PAGE - 1);
    press(&mut app, &["j"]);
    assert_eq!((app.log.paged.page(), app.log.paged.sel), (2, 0), "the next page comes from SQL");
    assert_eq!(app.log.paged.rows.len(), n as usize - PAGE);
    assert!(app.log.paged.at_end);
    press(&mut app, &["k"]);
    assert_eq!((app.log.paged.page(), app.log.paged.sel), (1, PAGE - 1), "and back");
    press(&mut app, &["pagedown", "pagedown", "pagedown", "pagedown", "pagedown", "pagedown", "pagedown"]);
    assert_eq!(app.log.paged.page(), 2);
    press(&mut app, &["g"]);
    assert_eq!((app.log.paged.page(), app.log.paged.sel), (1, 0));
    press(&mut app, &["pageup"]);
    assert_eq!(app.log.paged.sel, 0);
}

#[test]
fn asked_again_shows_the_earlier_decline_and_the_repeat_key_records_it() {
    let mut store = fixture();
    store.decide(4, Verdict::Decline, "collects connections", &Default::default()).unwrap();
    store.add_request(&req("Di Repeat", 24, "Second try!")).unwrap();
    let checklist = Checklist::builtin();
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["G"]);
    assert!(app.selected().unwrap().asked_again);
    let s = screen_text(&app);
    assert!(s.contains("↺ earlier: declined [today]: collects connections"), "{s}");
    assert!(s.contains("(r repeats it)"), "{s}");
    press(&mut app, &["r"]);
    assert_eq!(app.mode, Mode::Reason(Verdict::Decline));
    assert_eq!(app.editor.lines().join(""), "collects connections", "the earlier reason, editable");
    type_text(&mut app, ", again");
    press(&mut app, &["enter"]);
    let last = app.store().log_page(None, 1).unwrap().remove(0);
    assert_eq!((last.decision, last.reason.as_str()), (Status::Declined, "collects connections, again"));
    assert_eq!(last.request_id, 5);
    // Nobody else has an earlier decision: the key says so.
    press(&mut app, &["g", "r"]);
    assert_eq!(app.mode, Mode::Normal);
    assert!(app.notice.as_ref().unwrap().text.contains("no earlier decision"));
}

#[test]
fn defer_takes_an_optional_until_date() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["l"]);
    type_text(&mut app, "after the conference | 2026-13-01");
    press(&mut app, &["enter"]);
    assert!(matches!(app.mode, Mode::Reason(Verdict::Defer)), "a bad date is not recorded");
    assert!(app.notice.as_ref().unwrap().text.contains("YYYY-MM-DD"));
    for _ in 0..10 {
        press(&mut app, &["backspace"]);
    }
    type_text(&mut app, "2026-11-20");
    press(&mut app, &["enter"]);
    assert!(app.notice.as_ref().unwrap().text.contains("after today"), "a past date is refused");
    for _ in 0..10 {
        press(&mut app, &["backspace"]);
    }
    type_text(&mut app, "2026-12-15");
    press(&mut app, &["enter"]);
    assert_eq!(app.mode, Mode::Normal);
    assert!(app.notice.as_ref().unwrap().text.contains("until 2026-12-15"));
    let until: Option<String> =
        app.store().conn().query_row("SELECT defer_until FROM request WHERE id = 1", [], |r| r.get(0)).unwrap();
    assert_eq!(until.as_deref(), Some("2026-12-15T00:00:00Z"));
    assert_eq!(app.store().log_page(None, 1).unwrap()[0].reason, "after the conference");
    press(&mut app, &["l", "enter"]);
    assert!(app.notice.as_ref().unwrap().text.contains("until the next session"));
}

#[test]
fn deferred_requests_come_back_to_the_queue_when_due() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    // Dates relative to today: the sessions below come after the deferrals were made.
    let now = jiff::Timestamp::now();
    let until = jiff::tz::TimeZone::UTC.to_datetime(now).date().checked_add(jiff::Span::new().days(14)).unwrap();
    {
        let mut app = app(&mut store, &checklist);
        press(&mut app, &["l"]);
        type_text(&mut app, &format!("later | {until}"));
        press(&mut app, &["enter", "l", "enter"]);
        assert_eq!(app.pending, 2);
    }
    let at = |ts: jiff::Timestamp| crate::import::dates::format_utc(ts);
    // A session before the date: only the undated deferral (Bo) comes back.
    store.release_due_deferrals(&at(now + jiff::SignedDuration::from_hours(1))).unwrap();
    {
        let app = app(&mut store, &checklist);
        let names: Vec<&str> = app.rows.iter().map(|(r, _)| r.name.as_str()).collect();
        assert_eq!(names, ["Bo Seller", "Cy Quiet", "Di Repeat"]);
    }
    // A session after it: Ada is back too.
    store.release_due_deferrals(&at(now + jiff::SignedDuration::from_hours(24 * 16))).unwrap();
    let app = app(&mut store, &checklist);
    assert_eq!(app.rows.len(), 4);
    assert_eq!(app.rows[0].0.name, "Ada Lovelace");
}

#[test]
fn todo_lists_decisions_to_carry_out_opens_and_marks_done() {
    let (mut store, checklist) = (log_fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["T"]);
    let todo: Vec<(String, &str)> = app.todo.paged.rows.iter().map(|t| (t.request.name.clone(), t.action)).collect();
    assert_eq!(
        todo,
        [
            ("Ada Lovelace".to_string(), "accept"),
            ("Bo Seller".to_string(), "ignore"),
            ("Cy Quiet".to_string(), "ignore"),
            ("Di Repeat".to_string(), "accept")
        ]
    );
    press(&mut app, &["j", "o"]);
    assert_eq!(app.effect.take(), Some(Effect::Open("https://www.linkedin.com/in/bo-seller".into())));
    press(&mut app, &["m"]);
    assert_eq!(app.todo.paged.rows.len(), 3);
    assert_eq!(app.store().linkedin_todo_page(None, 10).unwrap().len(), 3, "written to the store");
    assert_eq!(app.todo.paged.selected().unwrap().request.name, "Cy Quiet");
    // The screen-only keys say where they work.
    press(&mut app, &["Q", "m"]);
    assert!(app.notice.as_ref().unwrap().text.contains("To do screen"));
    press(&mut app, &["p"]);
    assert!(app.notice.as_ref().unwrap().text.contains("Declined screen"));
    press(&mut app, &["T", "d"]);
    assert!(app.notice.as_ref().unwrap().text.contains("Queue screen"));
}

#[test]
fn stats_show_counts_rates_reasons_answers_and_the_week() {
    let (mut store, checklist) = (log_fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["S"]);
    let StatsView::Ready(stats) = &app.stats else { panic!("in-memory stats are computed at once") };
    assert_eq!(stats.decisions.get("declined"), Some(&3));
    let s = screen_text(&app);
    assert!(s.contains("✓ 2 accepted  ✗ 3 declined"), "{s}");
    assert!(s.contains("… 1 deferred"), "{s}");
    assert!(s.contains("selling outsourcing"), "{s}");
    assert!(s.contains("Accept rate (✓ of ✓+✗) by YY-MM"), "{s}");
    assert!(s.contains("This week: 2 decisions"), "{s}");
}

#[test]
fn snapshot_log_screens() {
    let (mut store, checklist) = (log_fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["D", "j"]);
    insta::assert_snapshot!("declined_80x24", screen(&app, 80, 24));
    insta::assert_snapshot!("declined_120x40", screen(&app, 120, 40));
    press(&mut app, &["a"]);
    type_text(&mut app, "they stopped selling");
    insta::assert_snapshot!("reconsider_prompt_80x24", screen(&app, 80, 24));
    press(&mut app, &["esc", "L", "j"]);
    insta::assert_snapshot!("log_80x24", screen(&app, 80, 24));
    insta::assert_snapshot!("log_120x40", screen(&app, 120, 40));
    press(&mut app, &["/"]);
    type_text(&mut app, "is:declined conn");
    insta::assert_snapshot!("log_filter_80x24", screen(&app, 80, 24));
    press(&mut app, &["enter", "S"]);
    insta::assert_snapshot!("stats_80x24", screen(&app, 80, 24));
    insta::assert_snapshot!("stats_120x40", screen(&app, 120, 40));
    press(&mut app, &["T"]);
    insta::assert_snapshot!("todo_80x24", screen(&app, 80, 24));
    insta::assert_snapshot!("todo_120x40", screen(&app, 120, 40));
}

#[test]
fn a_filter_keystroke_stops_at_the_newest_decisions_and_the_end_of_the_list_searches_all() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let rows = crate::store::LOG_SCAN_WINDOW + 100;
    for i in 0..rows {
        store.add_request(&req(&format!("Bulk {i}"), 1, "")).unwrap();
    }
    decide_at(&store, 1, "declined", "the needle reason", "{}", "2026-01-01T00:00:00Z");
    let n = store.count(Status::Pending).unwrap() as i64;
    for id in 2..=n {
        decide_at(&store, id, "accepted", "fine", "{}", "2026-02-01T00:00:00Z");
    }
    let mut app = app(&mut store, &checklist);
    app.filter_budget = std::time::Duration::ZERO;
    press(&mut app, &["L", "/"]);
    type_text(&mut app, "needle");
    press(&mut app, &["enter"]);
    assert!(app.log.paged.rows.is_empty() && !app.log.complete);
    assert!(screen_text(&app).contains("… more may match: j at the end searches all"));
    press(&mut app, &["j"]);
    assert!(app.log.complete);
    assert_eq!(log_names(&app, Screen::Log), ["Ada Lovelace"]);
}

#[test]
fn hostile_text_in_the_log_screens_is_shown_as_stand_ins() {
    let mut store = hostile_store();
    decide_at(&store, 1, "declined", "spam\u{1b}[2J\u{202E}", r#"{"selling":true}"#, "2026-11-20T10:00:00Z");
    let checklist = Checklist::builtin();
    let mut app = app(&mut store, &checklist);
    for screen_key in ["D", "L", "S", "T"] {
        press(&mut app, &[screen_key]);
        for (w, h) in [(80, 24), (120, 40)] {
            let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
            terminal.draw(|f| f.render_widget(&app, f.area())).unwrap();
            for cell in terminal.backend().buffer().content() {
                assert!(!cell.symbol().chars().any(is_unsafe), "{:?} on {screen_key}", cell.symbol());
            }
        }
        let s = screen(&app, 120, 40);
        if screen_key == "S" {
            assert!(s.contains("spam␛[2j⟨U+202E⟩"), "top reasons are lower-cased: {s}");
            continue;
        }
        assert!(s.contains("Eve␛]0;pwned␇␛[2J Mallory⟨U+202E⟩gnp.exe"), "{screen_key}: {s}");
        if screen_key != "T" {
            assert!(s.contains("spam␛[2J⟨U+202E⟩"), "{screen_key}: {s}");
        }
    }
}

#[test]
fn a_repeated_sender_and_a_day_without_a_time_are_shown_as_such() {
    let mut store = Store::in_memory().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("Invitations.csv");
    std::fs::write(
        &csv,
        "From,To,Sent At,Message,Direction\n\
         Kofi Mensah,Me,\"11/20/26, 3:00 PM\",Hi again,INCOMING\n\
         Kofi Mensah,Me,\"11/2/26, 10:00 AM\",Hi,INCOMING\n\
         Lina Park,Me,11/21/26,,INCOMING\n",
    )
    .unwrap();
    crate::import::import(&mut store, &csv, crate::import::Options::default()).unwrap();
    let checklist = Checklist::builtin();
    let mut app = app(&mut store, &checklist);
    assert_eq!(app.rows.len(), 2, "one entry per person");
    let shown = screen(&app, 120, 40);
    assert!(shown.contains("Kofi Mensah     2× 4d ┃"), "{shown}");
    assert!(shown.contains("asked 2×"), "{shown}");
    press(&mut app, &["j"]);
    let shown = screen(&app, 120, 40);
    assert!(shown.contains("Lina Park"), "{shown}");
    assert!(shown.contains("4 days ago (2026-11-21, time unknown)"), "{shown}");
    // Kofi's older invitation, replaced by the newer one, is not lost from sight.
    press(&mut app, &["S"]);
    assert!(screen(&app, 120, 40).contains("0 already connected  1 withdrawn on LinkedIn"));
}

#[test]
fn a_paste_is_text_for_the_focused_prompt_and_never_keys() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    app.on_paste("a\nd\n");
    assert_eq!(app.mode, Mode::Normal);
    assert!(app.notice.as_ref().unwrap().text.contains("paste ignored"));
    assert_eq!(app.store().log_page(None, 10).unwrap().len(), 0);
    press(&mut app, &["e"]); // the notes editor keeps line ends
    app.editor = Default::default();
    app.on_paste("met at\r\nRustConf");
    assert_eq!(app.editor.lines(), ["met at", "RustConf"]);
    press(&mut app, &["esc", "esc"]);
    press(&mut app, &["d"]);
    app.editor = Default::default();
    app.on_paste("spam,\nobviously");
    assert_eq!(app.editor.lines(), ["spam, obviously"], "one line in a one-line prompt");
}

#[test]
fn undo_takes_back_only_this_sessions_decision_while_it_is_the_latest() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    drop(fixture_on_disk(&db));
    let checklist = Checklist::builtin();
    let (mut store_a, mut store_b) = (Store::open(&db).unwrap(), Store::open(&db).unwrap());
    let mut a = app(&mut store_a, &checklist);
    let mut b = app(&mut store_b, &checklist); // drawn before A decides
    press(&mut a, &["d"]);
    type_text(&mut a, "spam");
    press(&mut a, &["enter"]);
    // B, on its stale view, declines Ada as well: refused, and its queue is read again.
    press(&mut b, &["d"]);
    type_text(&mut b, "spam too");
    press(&mut b, &["enter"]);
    assert!(b.notice.as_ref().unwrap().text.contains("NOT recorded: Ada Lovelace: request 1 was decided since"));
    assert_eq!(selected_name(&b), "Bo Seller", "B's queue no longer shows Ada");
    // Someone else changes their mind about Ada: A's undo must not take that back.
    let accepted = b.store_mut().decide(1, Verdict::Accept, "met after all", &Default::default()).unwrap();
    press(&mut a, &["u"]);
    let notice = &a.notice.as_ref().unwrap().text;
    assert!(notice.contains("cannot undo Ada Lovelace") && notice.contains("accepted at"), "{notice}");
    let latest = a.store().log_page(None, 1).unwrap().remove(0);
    assert_eq!((latest.id, latest.decision), (accepted, Status::Accepted), "nothing was undone");
}

#[test]
fn undo_after_mark_done_takes_back_the_mark_done() {
    let (mut store, checklist) = (log_fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    let decisions = app.store().log_page(None, 100).unwrap().len();
    press(&mut app, &["T", "m"]);
    assert_eq!(app.todo.paged.rows.len(), 3);
    press(&mut app, &["u"]);
    assert!(app.notice.as_ref().unwrap().text.contains("is on the To do list again"));
    assert_eq!(app.todo.paged.rows.len(), 4);
    assert_eq!(app.store().log_page(None, 100).unwrap().len(), decisions, "no decision was reverted");
    press(&mut app, &["u"]);
    assert!(app.notice.as_ref().unwrap().text.contains("nothing to undo"));
}

#[test]
fn unsaved_notes_are_not_lost_to_esc_or_ctrl_c_and_keep_their_original_characters() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    store.save_note(2, "tab\there, esc \u{1b}[31m kept").unwrap();
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["j", "e"]);
    type_text(&mut app, "!");
    press(&mut app, &["ctrl-c"]);
    assert!(!app.quit, "asked first");
    assert!(app.notice.as_ref().unwrap().text.contains("ctrl-c again quits without them"));
    type_text(&mut app, "?"); // any other key keeps editing
    press(&mut app, &["esc"]);
    assert_eq!(app.mode, Mode::Notes, "asked again: the earlier question was answered by editing");
    press(&mut app, &["ctrl-s"]);
    assert_eq!(
        app.store().note(2).unwrap().as_deref(),
        Some("tab\there, esc \u{1b}[31m kept!?"),
        "the original characters, not their stand-ins"
    );
    let shown = screen(&app, 120, 40);
    assert!(!shown.contains('\u{1b}'), "drawn safely");
    press(&mut app, &["e", "ctrl-c"]);
    assert!(app.quit, "nothing unsaved: ctrl-c quits at once");
}

#[test]
fn queue_rows_keep_their_age_column_with_wide_names() {
    let mut store = fixture();
    store.add_request(&req("山田太郎山田太郎山田太郎", 23, "")).unwrap();
    store.add_request(&req("Sam 👩‍💻👩‍💻👩‍💻👩‍💻 Dev", 24, "")).unwrap();
    let checklist = Checklist::builtin();
    let app = app(&mut store, &checklist);
    let shown = screen(&app, 80, 24);
    // The screen helper writes one symbol per cell: the queue's right border is at the same
    // cell on every row when the age column stays in place.
    let column = |needle: &str| {
        use unicode_segmentation::UnicodeSegmentation;
        let line = shown.lines().find(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle}: {shown}"));
        let cells: Vec<&str> = line.graphemes(true).collect();
        cells.iter().skip(1).position(|c| *c == "┃").unwrap()
    };
    assert_eq!(column("山"), column("Cy Quiet"), "{shown}");
    assert_eq!(column("Sam"), column("Cy Quiet"), "{shown}");
    assert!(shown.contains("👩‍💻"), "shown as written, not as stand-ins: {shown}");
}

#[test]
fn the_screens_follow_changes_made_by_another_process() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    drop(fixture_on_disk(&db));
    let checklist = Checklist::builtin();
    let mut store = Store::open(&db).unwrap();
    let mut other = Store::open(&db).unwrap();
    let mut app = app(&mut store, &checklist);
    assert!(!app.notice_outside_changes(), "nothing changed yet");
    assert_eq!(app.pending, 4);
    other.decide(1, Verdict::Decline, "declined from the command line", &Default::default()).unwrap();
    assert!(app.notice_outside_changes());
    assert_eq!(app.pending, 3);
    assert!(!app.rows.iter().any(|(r, _)| r.name == "Ada Lovelace"), "the queue is read again");
    assert!(!app.notice_outside_changes(), "once");
    // The app's own decisions are not "outside" changes.
    press(&mut app, &["a", "enter"]);
    assert!(!app.notice_outside_changes());
}

#[test]
fn prompts_say_when_a_decision_goes_against_the_recommendation_and_edit_like_readline() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    let flag = checklist.items.iter().position(|i| i.key == "selling").unwrap() + 1;
    press(&mut app, &[&flag.to_string(), "a"]);
    let shown = screen(&app, 120, 40);
    assert!(shown.contains("! against the recommendation (red flag: wants to sell"), "{shown}");
    press(&mut app, &["esc", "d"]);
    assert!(!screen(&app, 120, 40).contains("against the recommendation"), "declining agrees with it");
    app.editor = Default::default();
    type_text(&mut app, "spam and more words");
    press(&mut app, &["ctrl-w"]);
    assert_eq!(app.editor.lines(), ["spam and more "]);
    press(&mut app, &["ctrl-u"]);
    assert_eq!(app.editor.lines(), [""]);
}

fn click(app: &mut App<'_>, x: u16, y: u16) {
    use ratatui::crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    let kind = MouseEventKind::Down(MouseButton::Left);
    app.on_mouse(MouseEvent { kind, column: x, row: y, modifiers: KeyModifiers::NONE });
}

fn wheel(app: &mut App<'_>, x: u16, y: u16, down: bool) {
    use ratatui::crossterm::event::{KeyModifiers, MouseEvent, MouseEventKind};
    let kind = if down { MouseEventKind::ScrollDown } else { MouseEventKind::ScrollUp };
    app.on_mouse(MouseEvent { kind, column: x, row: y, modifiers: KeyModifiers::NONE });
}

#[test]
fn clicks_select_rows_tabs_and_checklist_items_and_the_wheel_moves_under_the_pointer() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    let first_row = |app: &App<'_>| {
        screen(app, 120, 40);
        app.hits.borrow().queue.y
    };
    let y = first_row(&app);
    click(&mut app, 5, y + 1); // the second queue row
    assert_eq!(selected_name(&app), "Bo Seller", "{}", screen(&app, 120, 40));
    let check = app.hits.borrow().checklist;
    click(&mut app, check.x + 3, check.y); // item 1: focused first
    assert_eq!((app.focus, app.item), (Pane::Checklist, 0));
    assert_eq!(app.current.as_ref().unwrap().answers.get("know_like_trust"), None);
    click(&mut app, check.x + 3, check.y); // the second click toggles it
    assert_eq!(app.current.as_ref().unwrap().answers.get("know_like_trust"), Some(&true));
    wheel(&mut app, check.x + 3, check.y, true);
    assert_eq!(app.item, 1, "the wheel over the checklist moves its focus");
    let queue = app.hits.borrow().queue;
    wheel(&mut app, queue.x + 2, queue.y, false);
    assert_eq!(selected_name(&app), "Ada Lovelace", "the wheel over the queue moves the selection");
    // The header's tabs, and a list screen's rows.
    let mut log_store = log_fixture();
    let mut app = self::app(&mut log_store, &checklist);
    screen(&app, 120, 40);
    let (x0, _, _) = *app.hits.borrow().tabs.iter().find(|t| t.2 == Screen::Log).unwrap();
    click(&mut app, x0 + 1, 0);
    assert_eq!(app.screen, Screen::Log);
    screen(&app, 120, 40);
    let list = app.hits.borrow().list;
    click(&mut app, list.x + 4, list.y + 2);
    assert_eq!(app.log_view(Screen::Log).paged.sel, 2, "a click selects a log row");
    assert_eq!(app.hits.borrow().queue, Default::default(), "nothing of the queue is hit on Log");
}

#[test]
fn every_builtin_checklist_item_has_a_key() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    assert_eq!(checklist.items.len(), 11);
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["0", "-"]);
    let answers = &app.current.as_ref().unwrap().answers;
    assert_eq!(answers.get(&checklist.items[9].key), Some(&true), "0 toggles item 10");
    assert_eq!(answers.get(&checklist.items[10].key), Some(&true), "- toggles item 11");
    let shown = screen(&app, 120, 40);
    assert!(shown.contains(" 0 [x] ! Collects") && shown.contains(" - [x] ! Looks like"), "{shown}");
}

#[test]
fn esc_in_the_queue_drops_a_kept_search() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["/"]);
    type_text(&mut app, "seller");
    press(&mut app, &["enter"]);
    assert!(app.search.is_some());
    assert_eq!(app.rows.len(), 1);
    press(&mut app, &["esc"]);
    assert!(app.search.is_none());
    assert_eq!(app.rows.len(), 4);
}
