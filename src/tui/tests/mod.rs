//! Tests of the review app with synthetic key events, screen snapshots and hostile text,
//! one file per screen or concern; the fixtures and drivers they share are here.

mod chrome;
mod hostile;
mod log;
mod prompts;
mod queue;
mod skim;
mod suggestions;
mod todo_stats;

use super::app::Overlay;
use super::paged::PAGE;
use super::prompt::PromptKind;
use super::screens::Level;
use super::screens::Screen;
use super::screens::queue::Pane;
use super::screens::stats::StatsView;
use super::session::Reconsider;
use super::*;
use crate::model::{NewRequest, Status, Verdict};
use crate::store::QueueOrder;
use ratatui::Terminal;
use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::layout::Rect;
use ratatui::{TerminalOptions, Viewport};

/// "Now" of every test: frozen, so relative times are stable.
pub fn now() -> jiff::Timestamp {
    "2026-11-25T12:00:00Z".parse().unwrap()
}

pub fn req(name: &str, day: u32, message: &str) -> NewRequest {
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
pub fn fixture() -> Store {
    let mut store = Store::in_memory().unwrap();
    fill(&mut store);
    store
}

/// The same, in a file (for two sessions on one store).
pub fn fixture_on_disk(path: &std::path::Path) -> Store {
    let mut store = Store::open(path).unwrap();
    fill(&mut store);
    store
}

pub fn fill(store: &mut Store) {
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

pub fn app<'a>(store: &'a mut Store, checklist: &'a Checklist) -> App<'a> {
    let mut app = App::new(store, checklist, Keymap::default(), Theme::monochrome(), now()).unwrap();
    app.ctx.zone = jiff::tz::TimeZone::UTC; // whatever zone the machine running the tests is in
    app
}

/// Presses keys given in keymap spelling.
pub fn press(app: &mut App<'_>, keys: &[&str]) {
    for k in keys {
        app.on_key(Key::parse(k).unwrap().event());
    }
}

pub fn type_text(app: &mut App<'_>, s: &str) {
    for c in s.chars() {
        app.on_key(Key::ch(c).event());
    }
}

/// The prompt open over the screen.
pub fn prompt<'b>(app: &'b mut App<'_>) -> &'b mut prompt::Prompt {
    let Overlay::Prompt(p) = &mut app.overlay else { panic!("no prompt open") };
    p
}

pub fn editor_lines(app: &App<'_>) -> Vec<String> {
    let Overlay::Prompt(p) = &app.overlay else { panic!("no prompt open") };
    p.editor.lines().to_vec()
}

pub fn selected_name(app: &App<'_>) -> String {
    app.selected().map(|r| r.name.clone()).unwrap_or_default()
}

pub fn screen(app: &App<'_>, w: u16, h: u16) -> String {
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

/// Records a decision as the store does, with the store's clock frozen at `at` (RFC 3339).
pub fn decide_at(store: &mut Store, request: i64, status: &str, reason: &str, answers: &str, at: &str) -> i64 {
    let verdict = match status {
        "accepted" => Verdict::Accept,
        "declined" => Verdict::Decline,
        "deferred" => Verdict::Defer,
        other => panic!("no verdict gives {other}"),
    };
    let answers: crate::model::Answers = serde_json::from_str(answers).unwrap();
    crate::clock::frozen_at(at.parse().unwrap(), || store.decide(request, verdict, reason, &answers)).unwrap()
}

/// The fixture with a history: Ada accepted; Bo and Cy declined; Di declined, then accepted
/// (a chain); Eve deferred.
pub fn log_fixture() -> Store {
    let mut store = fixture();
    store.add_request(&req("Eve Later", 23, "Let's connect after the conference.")).unwrap();
    decide_at(&mut store, 1, "accepted", "met at RustConf", r#"{"know_like_trust":true}"#, "2026-10-02T10:00:00Z");
    decide_at(&mut store, 4, "declined", "collects connections", r#"{"collector":true}"#, "2026-10-05T10:00:00Z");
    decide_at(&mut store, 2, "declined", "selling outsourcing", r#"{"selling":true}"#, "2026-11-10T10:00:00Z");
    decide_at(&mut store, 3, "declined", "no personal note", r#"{"personalized_why":false}"#, "2026-11-18T10:00:00Z");
    decide_at(
        &mut store,
        4,
        "accepted",
        "met in person after all",
        r#"{"real_conversation":true}"#,
        "2026-11-20T10:00:00Z",
    );
    decide_at(&mut store, 5, "deferred", "after the conference", "{}", "2026-11-23T10:00:00Z");
    store.set_note(2, "Pitched outsourcing twice.").unwrap();
    store
}

pub fn log_names(app: &App<'_>, screen: Screen) -> Vec<String> {
    (if screen == Screen::Declined { &app.declined } else { &app.log })
        .paged
        .rows
        .iter()
        .map(|r| r.decision.name.clone())
        .collect()
}

pub fn screen_text(app: &App<'_>) -> String {
    screen(app, 120, 40)
}

pub fn click(app: &mut App<'_>, x: u16, y: u16) {
    use ratatui::crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    let kind = MouseEventKind::Down(MouseButton::Left);
    app.on_mouse(MouseEvent { kind, column: x, row: y, modifiers: KeyModifiers::NONE });
}

pub fn wheel(app: &mut App<'_>, x: u16, y: u16, down: bool) {
    use ratatui::crossterm::event::{KeyModifiers, MouseEvent, MouseEventKind};
    let kind = if down { MouseEventKind::ScrollDown } else { MouseEventKind::ScrollUp };
    app.on_mouse(MouseEvent { kind, column: x, row: y, modifiers: KeyModifiers::NONE });
}

/// The actions the shell carries out itself, whatever the screen.
pub const SHELL_ACTIONS: &[Action] = &[
    Action::ForceQuit,
    Action::Suspend,
    Action::Help,
    Action::Quit,
    Action::Undo,
    Action::NextScreen,
    Action::PrevScreen,
    Action::ScreenQueue,
    Action::ScreenDeclined,
    Action::ScreenLog,
    Action::ScreenStats,
    Action::ScreenTodo,
];
