//! The screens of the review app and the contract each one keeps with the shell (`app.rs`).
//!
//! A screen owns its state, its keys, its footer hints and its widgets. It is handed a [`Ctx`]
//! (the store, the checklist, the keymap, the clock) and answers every action with an
//! [`Outcome`]: a notice, a prompt to open, an effect for the event loop, a [`Step`] for the
//! session, or "this works on another screen". A screen never imports another screen, `app.rs`
//! or `chrome.rs`; only `app.rs` names more than one screen.

pub mod log;
pub mod queue;
pub mod stats;
pub mod todo;

use super::action::{Action, On};
use super::keymap::Keymap;
use super::prompt::Prompt;
use super::session::{Session, Step};
use super::theme::Theme;
use crate::checklist::Checklist;
use crate::store::{Store, StoreError};
use crate::text;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use std::cell::RefCell;

/// How long a filter keystroke may search (the Log's indexes, the queue's unindexed requests)
/// before the screen shows what it found and says more may match.
pub const FILTER_BUDGET: std::time::Duration = std::time::Duration::from_millis(30);

/// The screens, in the order of the header's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Queue,
    Declined,
    Log,
    Stats,
    Todo,
}

impl Screen {
    pub const ALL: [Screen; 5] = [Screen::Queue, Screen::Declined, Screen::Log, Screen::Stats, Screen::Todo];

    pub fn label(self) -> &'static str {
        match self {
            Screen::Queue => "Queue",
            Screen::Declined => "Declined",
            Screen::Log => "Log",
            Screen::Stats => "Stats",
            Screen::Todo => "To do",
        }
    }

    fn index(self) -> usize {
        Screen::ALL.iter().position(|s| *s == self).expect("listed")
    }

    pub fn next(self) -> Screen {
        Screen::ALL[(self.index() + 1) % Screen::ALL.len()]
    }

    pub fn prev(self) -> Screen {
        Screen::ALL[(self.index() + Screen::ALL.len() - 1) % Screen::ALL.len()]
    }

    /// The action that shows it.
    pub fn action(self) -> Action {
        match self {
            Screen::Queue => Action::ScreenQueue,
            Screen::Declined => Action::ScreenDeclined,
            Screen::Log => Action::ScreenLog,
            Screen::Stats => Action::ScreenStats,
            Screen::Todo => Action::ScreenTodo,
        }
    }

    /// Whether an action's row in the table says it works here.
    pub fn has(self, on: On) -> bool {
        on.has(self.index())
    }
}

/// What every screen works with.
pub struct Ctx<'a> {
    pub store: &'a mut Store,
    pub checklist: &'a Checklist,
    pub keymap: Keymap,
    pub theme: Theme,
    /// "Now" for relative times: the event loop sets it, tests freeze it.
    pub now: Timestamp,
    /// The user's zone: times and days are shown in it (tests set UTC).
    pub zone: TimeZone,
    /// Pending requests, once counted.
    pub pending: Option<u64>,
    /// The settings a key changes, and where they are kept.
    pub settings: Settings,
}

/// Settings a key changes that the app writes back to the config file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// The config file they are kept in; `None` keeps them for the session only (the demo).
    pub file: Option<std::path::PathBuf>,
    /// Queue rows show the first line of each message beside the name.
    pub preview: bool,
}

impl Ctx<'_> {
    /// The first key of an action, as the notices name it ("" when unbound).
    pub fn key(&self, action: Action) -> String {
        self.keymap.first(action).unwrap_or_default()
    }

    /// ", u undoes" / " (u undoes)": how to take a step back, when undo has a key.
    pub fn undo_hint(&self, open: &str, close: &str) -> String {
        self.keymap.first(Action::Undo).map(|k| format!("{open}{k} undoes{close}")).unwrap_or_default()
    }

    pub fn today(&self) -> jiff::civil::Date {
        crate::clock::today(self.now, &self.zone)
    }
}

/// What a frame draws from, besides the screen's own state.
pub struct Draw<'f> {
    pub theme: &'f Theme,
    pub keymap: &'f Keymap,
    pub checklist: &'f Checklist,
    pub now: Timestamp,
    pub zone: &'f TimeZone,
    pub session: &'f Session,
    /// The prompt open over the screen, if any.
    pub prompt: Option<&'f Prompt>,
    /// The screen has the keys (neither the help nor a prompt lies over it).
    pub keys_here: bool,
    /// Where this frame drew what a click can hit.
    pub hits: &'f RefCell<Hits>,
}

impl Draw<'_> {
    /// The local day of a stored instant.
    pub fn day(&self, at: &str) -> String {
        crate::clock::local_day(at, self.zone)
    }
}

/// What the last frame drew where, for the mouse: the screen tabs of the header, the queue's
/// rows, the person pane, the checklist's items (one line each), the rows of a list screen.
#[derive(Debug, Clone, Default)]
pub struct Hits {
    pub tabs: Vec<(u16, u16, Screen)>,
    pub queue: Rect,
    pub person: Rect,
    pub checklist: Rect,
    /// The checklist item of each line of `checklist` from its top (a long label wraps).
    pub checklist_items: Vec<usize>,
    pub list: Rect,
    /// The index of the row drawn first in `list`.
    pub list_offset: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warning,
    Error,
}

/// The one-line message under the panes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub level: Level,
    pub text: String,
}

/// What becomes of the notice line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Tell {
    #[default]
    Keep,
    Clear,
    Show(Notice),
}

/// Work the event loop does outside the app (it needs the terminal or the OS).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Open this (checked http/https) URL with the system opener.
    Open(String),
    /// Edit these notes in `$EDITOR`, then hand the result to the queue.
    EditNotes { person_id: i64, text: String },
    /// Stop to the shell like every full-screen tool, the terminal given back first.
    Suspend,
}

/// How a prompt a screen opened was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Its text changed (search and filter follow as it is typed).
    Changed,
    Confirmed,
    Cancelled,
}

/// A click or a turn of the wheel (one row up or down).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pointer {
    Click,
    Wheel(isize),
}

/// A screen's answer to an action.
#[derive(Debug, Default)]
#[must_use]
pub struct Outcome {
    pub tell: Tell,
    /// A prompt to open over the screen.
    pub prompt: Option<Box<Prompt>>,
    /// (Answering a prompt.) The prompt stays open: what was typed cannot be recorded yet.
    pub keep_prompt: bool,
    pub effect: Option<Effect>,
    pub step: Option<Step>,
    /// Not for this screen: the shell says where it works.
    pub elsewhere: bool,
}

impl Outcome {
    pub fn done() -> Outcome {
        Outcome::default()
    }

    pub fn clear() -> Outcome {
        Outcome { tell: Tell::Clear, ..Outcome::default() }
    }

    fn say(level: Level, text: impl Into<String>) -> Outcome {
        Outcome { tell: Tell::Show(Notice { level, text: text.into() }), ..Outcome::default() }
    }

    pub fn info(text: impl Into<String>) -> Outcome {
        Outcome::say(Level::Info, text)
    }

    pub fn warn(text: impl Into<String>) -> Outcome {
        Outcome::say(Level::Warning, text)
    }

    pub fn error(what: &str, e: StoreError) -> Outcome {
        Outcome::failed(format!("{what}: {e}"))
    }

    pub fn failed(text: impl Into<String>) -> Outcome {
        Outcome::say(Level::Error, text)
    }

    pub fn elsewhere() -> Outcome {
        Outcome { elsewhere: true, ..Outcome::default() }
    }

    pub fn open(prompt: Prompt) -> Outcome {
        Outcome { tell: Tell::Clear, prompt: Some(Box::new(prompt)), ..Outcome::default() }
    }

    pub fn with_prompt(self, prompt: Prompt) -> Outcome {
        Outcome { prompt: Some(Box::new(prompt)), ..self }
    }

    pub fn with_effect(self, effect: Effect) -> Outcome {
        Outcome { effect: Some(effect), ..self }
    }

    pub fn with_step(self, step: Step) -> Outcome {
        Outcome { step: Some(step), ..self }
    }

    pub fn keeping_prompt(self) -> Outcome {
        Outcome { keep_prompt: true, ..self }
    }

    /// A store error, or nothing to say.
    pub fn or_error(result: Result<(), StoreError>, what: &str) -> Outcome {
        match result {
            Ok(()) => Outcome::done(),
            Err(e) => Outcome::error(what, e),
        }
    }
}

/// How a text of the header is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Plain,
    Accent,
    Warning,
}

/// One footer entry a screen offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    /// An action's first key, with the table's footer word.
    Key(Action),
    /// An action's first key, with this screen's word for it.
    Named(Action, &'static str),
    /// "1-9 check" (when the toggles are on the digits).
    Toggles,
    /// "QDLST screens" (or the next-screen key when those were remapped).
    Screens,
}

/// One screen.
pub trait View {
    /// Carries out an action of the screen's keys.
    fn handle(&mut self, action: Action, ctx: &mut Ctx<'_>) -> Outcome;

    /// A prompt this screen opened was typed in, confirmed or cancelled.
    fn answer(&mut self, _prompt: &Prompt, _answer: Answer, _ctx: &mut Ctx<'_>) -> Outcome {
        Outcome::done()
    }

    /// A click or the wheel at a cell of the screen, with what the last frame drew where.
    fn point(&mut self, _at: Position, _pointer: Pointer, _hits: &Hits, _ctx: &mut Ctx<'_>) -> Outcome {
        Outcome::done()
    }

    /// Reads what the screen shows again (it is shown, or the store changed).
    fn refresh(&mut self, ctx: &mut Ctx<'_>) -> Result<(), StoreError>;

    /// What was read may be out of date: start again from the top when next shown.
    fn forget(&mut self) {}

    /// What the header says of the screen, after the pending count.
    fn status(&self) -> Vec<(String, Role)> {
        Vec::new()
    }

    /// The footer's entries, in the order shown (the shell's own keys may be among them).
    fn hints(&self) -> Vec<Hint>;

    fn render(&self, area: Rect, buf: &mut Buffer, draw: &Draw<'_>);
}

/// How far a moving key goes in a list showing `height` rows (`None`: not one of them; the
/// first and last row are each list's own).
pub fn list_step(action: Action, height: usize) -> Option<isize> {
    let page = height.max(1) as isize;
    match action {
        Action::Up => Some(-1),
        Action::Down => Some(1),
        Action::PageUp => Some(-page),
        Action::PageDown => Some(page),
        _ => None,
    }
}

/// How far a click or the wheel in a list moves its selection `sel` (a click selects the row
/// under it).
pub fn list_pointed(at: Position, pointer: Pointer, hits: &Hits, sel: usize) -> Option<isize> {
    if !hits.list.contains(at) {
        return None;
    }
    match pointer {
        Pointer::Wheel(step) => Some(step),
        Pointer::Click => Some((hits.list_offset + usize::from(at.y - hits.list.y)) as isize - sel as isize),
    }
}

/// The reasons a reason prompt for a decision of this kind completes from: those given before
/// for the same kind of decision, most used first.
pub fn recalled(ctx: &Ctx<'_>, kind: crate::model::Status) -> Vec<String> {
    let reasons = ctx.store.earlier_reasons_of(Some(kind), "", 200).unwrap_or_default();
    reasons.into_iter().map(|(reason, _)| reason).collect()
}

/// Saves a person's notes, refused over the field limit of an import; `Err`: the error to
/// show instead.
pub fn save_note(ctx: &mut Ctx<'_>, person_id: i64, body: &str) -> Result<(), String> {
    let limit = crate::model::MAX_FIELD_BYTES;
    if body.len() > limit {
        let (kib, max) = (body.len() / 1024, limit / 1024);
        return Err(format!("notes NOT saved: {kib} KiB is over the {max} KiB limit of a field"));
    }
    ctx.store.save_note(person_id, body).map_err(|e| format!("notes NOT saved: {e}"))
}

/// Opens a profile: only plain web addresses are handed to the system opener.
pub fn open_profile(url: Option<Option<&str>>) -> Outcome {
    match url {
        Some(Some(u)) if text::is_web_url(u) => {
            Outcome::info(format!("opening {}", text::line(u))).with_effect(Effect::Open(u.to_string()))
        }
        Some(Some(u)) => Outcome::warn(format!("not opened: {} is not a web address", text::line(u))),
        Some(None) => Outcome::warn("no profile URL for this request"),
        None => Outcome::warn("nothing selected"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screens_cycle() {
        assert_eq!(Screen::Queue.next(), Screen::Declined);
        assert_eq!(Screen::Todo.next(), Screen::Queue);
        assert_eq!(Screen::Queue.prev(), Screen::Todo);
    }
}
