//! The review session's state and its one reducer, [`update`]. Keys become [`Action`]s
//! through the keymap; `update` carries them out, writing every decision, checklist answer
//! and notes edit through the store at once, each in its own transaction.

use super::action::{Action, KeyMode};
use super::keymap::{Key, Keymap};
use super::screens::{HISTORY_SHOWN, LogView, Reconsider, Screen, StatsView, TodoView, parse_filter};
use super::theme::Theme;
use crate::checklist::Checklist;
use crate::model::{Answers, DecisionRow, RequestRow, Status, Verdict};
use crate::store::{
    Direction, LogScope, QueueKey, QueueOrder, RANK_ACCEPT, RANK_DECLINE, RANK_UNDECIDED, SEARCH_TAIL_SCAN, Search,
    Store, StoreError,
};
use crate::text;
use ratatui::crossterm::event::KeyEvent;
use ratatui_textarea::{CursorMove, TextArea};
use std::cell::Cell;

/// Rows fetched per page, and the most the window keeps.
pub const PAGE: usize = 64;
const MAX_WINDOW: usize = 3 * PAGE;
/// Fetch more when the selection comes this close to an edge of the window.
const MARGIN: usize = 8;
/// Under this many pending requests, searches of one or two characters scan the table.
const SHORT_SEARCH_LIMIT: u64 = 50_000;
/// How long a filter keystroke of the Log or Declined screen may look through the indexes.
pub const FILTER_BUDGET: std::time::Duration = std::time::Duration::from_millis(30);
/// How many earlier decisions about the person are shown.
const HISTORY: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Help,
    /// The reason prompt of a decision.
    Reason(Verdict),
    Search,
    /// The inline notes editor.
    Notes,
    /// The filter prompt of the Log or Declined screen.
    Filter,
    /// The reason prompt of a reconsidered decline.
    Reconsider(Reconsider),
}

impl Mode {
    pub fn key_mode(self) -> KeyMode {
        match self {
            Mode::Normal | Mode::Help => KeyMode::Normal,
            Mode::Reason(_) | Mode::Search | Mode::Filter | Mode::Reconsider(_) => KeyMode::Prompt,
            Mode::Notes => KeyMode::Editor,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Queue,
    Person,
    Checklist,
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

/// What the selected request shows beyond its row.
#[derive(Debug, Clone, PartialEq)]
pub struct Current {
    pub row: RequestRow,
    pub note: Option<String>,
    pub answers: Answers,
    pub history: Vec<DecisionRow>,
}

/// A decision taken in this session.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionEntry {
    pub decision_id: i64,
    pub request_id: i64,
    pub name: String,
    pub profile_url: Option<String>,
    pub verdict: Verdict,
    pub reason: String,
}

/// What the last frame drew where, for the mouse: the screen tabs of the header, the queue's
/// rows, the person pane, the checklist's items (one line each), the rows of a list screen.
#[derive(Debug, Clone, Default)]
pub struct Hits {
    pub tabs: Vec<(u16, u16, Screen)>,
    pub queue: ratatui::layout::Rect,
    pub person: ratatui::layout::Rect,
    pub checklist: ratatui::layout::Rect,
    pub list: ratatui::layout::Rect,
    /// The index of the row drawn first in `list`.
    pub list_offset: usize,
}

/// One step of this session that `u` can take back, newest last.
#[derive(Debug, Clone, PartialEq)]
pub enum Undoable {
    /// The last of `App::session`.
    Decision,
    /// The last of `App::reconsidered`.
    Reconsider,
    /// A To do item marked done (at that time).
    MarkDone { request_id: i64, name: String, at: String },
}

/// A decline reconsidered on the Declined screen in this session.
#[derive(Debug, Clone, PartialEq)]
pub struct Reconsidered {
    pub decision_id: i64,
    pub name: String,
    pub to: Reconsider,
}

/// Work `update` asks the event loop to do outside the app (it needs the terminal or the OS).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Open this (checked http/https) URL with the system opener.
    Open(String),
    /// Edit these notes in `$EDITOR`, then hand the result to [`App::finish_external_edit`].
    EditNotes { person_id: i64, text: String },
    /// Stop to the shell like every full-screen tool, the terminal given back first.
    Suspend,
}

pub struct App<'a> {
    store: &'a mut Store,
    pub checklist: &'a Checklist,
    pub keymap: Keymap,
    pub theme: Theme,
    pub mode: Mode,
    /// The screen shown.
    pub screen: Screen,
    pub declined: LogView,
    pub log: LogView,
    pub todo: TodoView,
    pub stats: StatsView,
    pub focus: Pane,
    pub order: QueueOrder,
    /// The search narrowing the queue, if any.
    pub search: Option<Search>,
    /// A window of the queue, in queue order.
    pub rows: Vec<(RequestRow, QueueKey)>,
    pub sel: usize,
    at_start: bool,
    at_end: bool,
    /// Pending requests in the store: counted once, then kept by the decisions made here.
    pub pending: u64,
    /// False until the count has arrived (see [`App::new_uncounted`]).
    pub counted: bool,
    /// Pending requests when the session began (the `n` of `i/n`).
    pub session_total: u64,
    pub current: Option<Current>,
    /// The focused checklist item.
    pub item: usize,
    pub person_scroll: u16,
    pub session: Vec<SessionEntry>,
    /// Declines reconsidered in this session (`u` takes back the later of these and `session`).
    pub reconsidered: Vec<Reconsidered>,
    /// The order of this session's decisions, reconsiders and mark-dones, for `u`.
    pub undo_order: Vec<Undoable>,
    pub notice: Option<Notice>,
    /// The text widget of the reason prompt, the search and the notes editor.
    pub editor: TextArea<'static>,
    /// What the editor held when it opened (notes are saved only when changed).
    editor_initial: String,
    /// Leaving the notes editor with unsaved changes was asked once: the same key again leaves.
    leave_armed: bool,
    pub effect: Option<Effect>,
    pub quit: bool,
    /// The last search-index step found the store locked by another process.
    pub index_busy: bool,
    /// "Now" for relative times: the event loop sets it, tests freeze it.
    pub now: jiff::Timestamp,
    /// The user's zone: times and days are shown in it (tests set UTC).
    pub zone: jiff::tz::TimeZone,
    /// `Store::data_version` when the screens were last read.
    seen_version: i64,
    /// First row of the queue shown, kept by the renderer so the list scrolls smoothly.
    pub queue_offset: Cell<usize>,
    /// Rows the queue pane showed last frame (the page size of page up / down).
    pub queue_height: Cell<usize>,
    /// Rows the list of a log screen showed last frame.
    pub list_height: Cell<usize>,
    /// Where the last frame drew what a click can hit (set while drawing).
    pub hits: std::cell::RefCell<Hits>,
    /// How long a filter keystroke may search before it shows what it found so far.
    pub filter_budget: std::time::Duration,
}

fn rank_of(checklist: &Checklist, answers: &Answers) -> u8 {
    match checklist.recommend(answers).verdict {
        Some(Verdict::Accept) => RANK_ACCEPT,
        Some(Verdict::Decline) => RANK_DECLINE,
        _ => RANK_UNDECIDED,
    }
}

impl<'a> App<'a> {
    /// Opens the session: counts the pending requests once and loads the first page.
    pub fn new(
        store: &'a mut Store,
        checklist: &'a Checklist,
        keymap: Keymap,
        theme: Theme,
        now: jiff::Timestamp,
    ) -> Result<App<'a>, StoreError> {
        let pending = store.count(Status::Pending)?;
        let mut app = App::new_uncounted(store, checklist, keymap, theme, now)?;
        app.set_pending_count(pending);
        Ok(app)
    }

    /// Opens the session without counting the pending requests: the caller counts them
    /// elsewhere (a million rows take ~100 ms) and hands the result to
    /// [`App::set_pending_count`].
    pub fn new_uncounted(
        store: &'a mut Store,
        checklist: &'a Checklist,
        keymap: Keymap,
        theme: Theme,
        now: jiff::Timestamp,
    ) -> Result<App<'a>, StoreError> {
        let pending = 0;
        let mut app = App {
            store,
            checklist,
            keymap,
            theme,
            mode: Mode::Normal,
            screen: Screen::Queue,
            declined: LogView::default(),
            log: LogView::default(),
            todo: TodoView::default(),
            stats: StatsView::NotLoaded,
            focus: Pane::Queue,
            order: QueueOrder::Oldest,
            search: None,
            rows: Vec::new(),
            sel: 0,
            at_start: true,
            at_end: true,
            pending,
            zone: crate::clock::zone().clone(),
            seen_version: 0,
            counted: false,
            session_total: pending,
            current: None,
            item: 0,
            person_scroll: 0,
            session: Vec::new(),
            reconsidered: Vec::new(),
            undo_order: Vec::new(),
            notice: None,
            editor: TextArea::default(),
            editor_initial: String::new(),
            leave_armed: false,
            effect: None,
            quit: false,
            index_busy: false,
            now,
            queue_offset: Cell::new(0),
            queue_height: Cell::new(10),
            list_height: Cell::new(10),
            hits: Default::default(),
            filter_budget: FILTER_BUDGET,
        };
        app.seen_version = app.store.data_version()?;
        app.reload(None)?;
        Ok(app)
    }

    /// The pending count taken when the session began; decisions made since are subtracted.
    /// Reads the screens again when another process changed the store (another session, a
    /// command, an import) since they were read; true when it did.
    pub fn notice_outside_changes(&mut self) -> bool {
        let Ok(version) = self.store.data_version() else { return false };
        if version == self.seen_version {
            return false;
        }
        self.seen_version = version;
        self.log.loaded = false;
        self.declined.loaded = false;
        self.todo.loaded = false;
        if matches!(self.stats, StatsView::Ready(_) | StatsView::Failed(_)) {
            self.stats = StatsView::NotLoaded;
        }
        let result = self.store.count(Status::Pending).and_then(|pending| {
            self.pending = pending;
            self.read_screen(self.screen)
        });
        if let Err(e) = result {
            self.error("cannot read the store again", e);
        }
        true
    }

    pub fn set_pending_count(&mut self, at_start: u64) {
        self.session_total = at_start;
        // The count was taken at launch: this session's decisions left the queue since, and
        // declines sent back to pending joined it.
        let reopened = self.reconsidered.iter().filter(|r| r.to == Reconsider::Pending).count() as u64;
        self.pending = (at_start + reopened).saturating_sub(self.session.len() as u64);
        self.counted = true;
    }

    pub fn store(&self) -> &Store {
        self.store
    }

    pub(crate) fn store_mut(&mut self) -> &mut Store {
        self.store
    }

    pub fn selected(&self) -> Option<&RequestRow> {
        self.rows.get(self.sel).map(|(r, _)| r)
    }

    pub fn at_end(&self) -> bool {
        self.at_end
    }

    pub fn at_start(&self) -> bool {
        self.at_start
    }

    /// Decisions of this session that still stand, by verdict.
    pub fn decided(&self, verdict: Verdict) -> impl Iterator<Item = &SessionEntry> {
        self.session.iter().filter(move |e| e.verdict == verdict)
    }

    fn info(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice { level: Level::Info, text: text.into() });
    }

    fn warn(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice { level: Level::Warning, text: text.into() });
    }

    fn error(&mut self, what: &str, e: StoreError) {
        self.notice = Some(Notice { level: Level::Error, text: format!("{what}: {e}") });
    }

    fn page(
        &self,
        from: Option<&QueueKey>,
        dir: Direction,
        limit: usize,
    ) -> Result<Vec<(RequestRow, QueueKey)>, StoreError> {
        self.store.queue_page(self.order, self.search.as_ref(), from, dir, limit)
    }

    /// Loads the queue from its start (`None`) or around a row: the rows before it for
    /// context, then from the first row at or after it.
    fn reload(&mut self, around: Option<&QueueKey>) -> Result<(), StoreError> {
        let before = match around {
            Some(k) => self.page(Some(k), Direction::Backward, MARGIN * 2)?,
            None => Vec::new(),
        };
        let after = self.page(before.last().map(|(_, k)| k), Direction::Forward, PAGE)?;
        self.at_start = before.len() < MARGIN * 2;
        self.at_end = after.len() < PAGE;
        self.sel = before.len().min((before.len() + after.len()).saturating_sub(1));
        self.rows = before;
        self.rows.extend(after);
        self.queue_offset.set(self.sel.saturating_sub(3));
        self.load_current()
    }

    /// Keeps the window filled around the selection, and bounded.
    fn fill(&mut self) -> Result<(), StoreError> {
        if !self.at_end && self.sel + MARGIN >= self.rows.len() {
            let more = self.page(self.rows.last().map(|(_, k)| k), Direction::Forward, PAGE)?;
            self.at_end = more.len() < PAGE;
            self.rows.extend(more);
            if self.rows.len() > MAX_WINDOW {
                let drop = self.rows.len() - MAX_WINDOW;
                self.rows.drain(..drop);
                self.sel -= drop;
                self.queue_offset.set(self.queue_offset.get().saturating_sub(drop));
                self.at_start = false;
            }
        }
        if !self.at_start && self.sel < MARGIN {
            let more = self.page(self.rows.first().map(|(_, k)| k), Direction::Backward, PAGE)?;
            self.at_start = more.len() < PAGE;
            let n = more.len();
            self.rows.splice(0..0, more);
            self.sel += n;
            self.queue_offset.set(self.queue_offset.get() + n);
            if self.rows.len() > MAX_WINDOW {
                self.rows.truncate(MAX_WINDOW);
                self.at_end = false;
            }
        }
        Ok(())
    }

    /// Reads what the selected request shows: notes, answers, earlier decisions.
    fn load_current(&mut self) -> Result<(), StoreError> {
        self.person_scroll = 0;
        let Some(row) = self.selected().cloned() else {
            self.current = None;
            return Ok(());
        };
        if self.current.as_ref().is_some_and(|c| c.row.id == row.id) {
            return Ok(());
        }
        let note = self.store.note(row.person_id)?;
        let answers = self.store.answers(row.id)?;
        let history = self.store.person_history(row.person_id, HISTORY)?;
        self.current = Some(Current { row, note, answers, history });
        Ok(())
    }

    fn select(&mut self, sel: usize) {
        if self.rows.is_empty() {
            return;
        }
        self.sel = sel.min(self.rows.len() - 1);
        let result = self.fill().and_then(|()| self.load_current());
        if let Err(e) = result {
            self.error("cannot read the queue", e);
        }
    }

    fn open_editor(&mut self, text: &str, single_line: bool) {
        let lines: Vec<String> =
            if single_line { vec![text.to_string()] } else { text.split('\n').map(str::to_string).collect() };
        let mut editor = TextArea::new(lines);
        editor.move_cursor(CursorMove::Bottom);
        editor.move_cursor(CursorMove::End);
        editor.set_cursor_line_style(ratatui::style::Style::new());
        if !single_line {
            editor.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
        }
        self.editor = editor;
        self.editor_initial = text.to_string();
    }

    fn editor_text(&self) -> String {
        self.editor.lines().join("\n")
    }

    /// Handles one key event: the keymap turns it into an action for [`update`]; in the text
    /// modes, unbound keys edit the text.
    pub fn on_key(&mut self, ev: KeyEvent) {
        let Some(key) = Key::from_event(&ev) else { return };
        if self.leave_armed {
            // Asked "leave without saving?": only that key again says yes; any other keeps editing.
            let again = matches!(
                self.keymap.action(self.mode.key_mode(), key),
                Some(Action::Discard | Action::ForceQuit | Action::Save)
            );
            if !again {
                self.leave_armed = false;
                self.notice = None;
            }
        }
        if self.mode == Mode::Help {
            match self.keymap.action(KeyMode::Global, key) {
                Some(a) => update(self, a),
                None => self.mode = Mode::Normal,
            }
            return;
        }
        match self.keymap.action(self.mode.key_mode(), key) {
            Some(action) => update(self, action),
            // The cancel key in the queue drops a kept search, as it does in the prompt.
            None if self.mode == Mode::Normal
                && self.search.is_some()
                && self.keymap.action(KeyMode::Prompt, key) == Some(Action::Cancel) =>
            {
                self.search = None;
                self.notice = None;
                if let Err(e) = self.reload(None) {
                    self.error("cannot read the queue", e);
                }
            }
            None if matches!(
                self.mode,
                Mode::Reason(_) | Mode::Search | Mode::Notes | Mode::Filter | Mode::Reconsider(_)
            ) =>
            {
                // Readline's: ctrl-u deletes to the start of the line, ctrl-w the word before.
                let changed = if key == Key::ctrl('u') {
                    self.editor.delete_line_by_head()
                } else if key == Key::ctrl('w') {
                    self.editor.delete_word()
                } else {
                    self.editor.input(ev)
                };
                if changed && self.mode == Mode::Search {
                    self.apply_search();
                }
                if changed && self.mode == Mode::Filter {
                    self.apply_filter();
                }
                if let Mode::Reason(_) | Mode::Reconsider(_) = self.mode {
                    self.notice = None;
                }
            }
            None => {}
        }
    }

    /// A click or the wheel. A click selects a queue row, a screen tab, a checklist item (a
    /// second click on it toggles it) or a list row; the wheel moves in the pane under it.
    pub fn on_mouse(&mut self, ev: ratatui::crossterm::event::MouseEvent) {
        use ratatui::crossterm::event::{MouseButton, MouseEventKind};
        if self.mode != Mode::Normal {
            return;
        }
        let at = ratatui::layout::Position::new(ev.column, ev.row);
        let hits = self.hits.borrow().clone();
        let row_in = |r: ratatui::layout::Rect| r.contains(at).then(|| usize::from(at.y - r.y));
        let step = match ev.kind {
            MouseEventKind::ScrollUp => -1,
            MouseEventKind::ScrollDown => 1,
            MouseEventKind::Down(MouseButton::Left) => 0,
            _ => return,
        };
        if step != 0 {
            if hits.person.contains(at) {
                self.person_scroll = self.person_scroll.saturating_add_signed(step as i16);
            } else if hits.checklist.contains(at) {
                let last = self.checklist.items.len().saturating_sub(1);
                self.item = self.item.saturating_add_signed(step).min(last);
            } else if hits.queue.contains(at) {
                self.select(self.sel.saturating_add_signed(step));
            } else if hits.list.contains(at) {
                self.list_move(step);
            }
            return;
        }
        if let Some(&(_, _, screen)) = hits.tabs.iter().find(|(x0, x1, _)| at.y == 0 && (*x0..*x1).contains(&at.x)) {
            self.show(screen);
        } else if let Some(i) = row_in(hits.queue) {
            let index = self.queue_offset.get() + i;
            if index < self.rows.len() {
                self.focus = Pane::Queue;
                self.select(index);
            }
        } else if let Some(i) = row_in(hits.checklist).filter(|i| *i < self.checklist.items.len()) {
            if self.focus == Pane::Checklist && self.item == i {
                self.toggle(i);
            } else {
                self.focus = Pane::Checklist;
                self.item = i;
            }
        } else if let Some(i) = row_in(hits.list) {
            let sel = match self.screen {
                Screen::Declined | Screen::Log => self.log_view(self.screen).paged.sel,
                _ => self.todo.paged.sel,
            };
            self.list_move((hits.list_offset + i) as isize - sel as isize);
        } else if hits.person.contains(at) {
            self.focus = Pane::Person;
        }
    }

    /// A bracketed paste: text for the prompt or the notes editor that has the focus, never
    /// keys. A one-line prompt gets its line ends as spaces; the whole text is cut at the field
    /// limit of an import, and the search or filter runs once, not once a character.
    pub fn on_paste(&mut self, pasted: &str) {
        let one_line = matches!(self.mode, Mode::Reason(_) | Mode::Search | Mode::Filter | Mode::Reconsider(_));
        if !one_line && self.mode != Mode::Notes {
            self.info("paste ignored: pasted text only goes into a prompt or the notes editor, never in as keys");
            return;
        }
        let text = pasted.replace("\r\n", "\n").replace('\r', "\n");
        let text = if one_line { text.replace('\n', " ") } else { text };
        let room = crate::import::MAX_FIELD_BYTES.saturating_sub(self.editor_text().len());
        let mut end = text.len().min(room);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        self.editor.insert_str(&text[..end]);
        match self.mode {
            Mode::Search => self.apply_search(),
            Mode::Filter => self.apply_filter(),
            _ => {}
        }
        if end < text.len() {
            self.warn(format!(
                "pasted text cut at {} KiB, the longest a field can be",
                crate::import::MAX_FIELD_BYTES / 1024
            ));
        } else if let Mode::Reason(_) | Mode::Reconsider(_) = self.mode {
            self.notice = None;
        }
    }

    fn apply_search(&mut self) {
        let text = self.editor_text();
        let text = text.trim();
        let chars = text.chars().count();
        if chars == 0 {
            self.search = None;
            self.notice = None;
        } else if chars < 3 && (!self.counted || self.pending >= SHORT_SEARCH_LIMIT) {
            self.info("keep typing: searches need 3 characters");
            return;
        } else {
            self.search = Some(Search { text: text.to_string() });
            self.notice = None;
            let backlog = if chars >= 3 { self.store.search_index_backlog().unwrap_or(0) } else { 0 };
            if backlog > SEARCH_TAIL_SCAN {
                let unsearched = backlog - SEARCH_TAIL_SCAN;
                self.warn(format!("search index catching up: {unsearched} newest requests not searched yet"));
            }
        }
        if let Err(e) = self.reload(None) {
            self.error("search failed", e);
        }
    }

    /// Stores notes edited in `$EDITOR` (only when they changed).
    pub fn finish_external_edit(&mut self, person_id: i64, before: &str, after: &str) {
        let after = after.strip_suffix('\n').unwrap_or(after);
        if after == before {
            self.info("notes unchanged");
            return;
        }
        self.save_notes(person_id, after);
    }

    /// The notes editor holds changes not saved yet.
    fn unsaved_notes(&self) -> bool {
        self.mode == Mode::Notes && self.editor_text() != self.editor_initial
    }

    /// Asks once before unsaved notes are left behind; true when the caller may go on.
    fn may_leave_notes(&mut self, again: Action, what: &str) -> bool {
        if !self.unsaved_notes() || self.leave_armed {
            self.leave_armed = false;
            return true;
        }
        self.leave_armed = true;
        let key = |a: Action| self.keymap.first(a).unwrap_or_default();
        self.warn(format!(
            "unsaved notes: {} saves them, {} again {what} without them, any other key keeps editing",
            key(Action::Save),
            key(again)
        ));
        false
    }

    fn save_notes(&mut self, person_id: i64, body: &str) {
        if body.len() > crate::import::MAX_FIELD_BYTES {
            let kib = body.len() / 1024;
            self.notice = Some(Notice {
                level: Level::Error,
                text: format!("notes NOT saved: {kib} KiB is over the 64 KiB limit of a field"),
            });
            return;
        }
        match self.store.save_note(person_id, body) {
            Ok(()) => {
                if let Some(c) = self.current.as_mut().filter(|c| c.row.person_id == person_id) {
                    c.note = (!body.trim().is_empty()).then(|| body.to_string());
                }
                self.info("notes saved");
            }
            Err(e) => self.error("notes NOT saved", e),
        }
    }

    /// Checklist item `index` (0-based): unknown → yes → no → unknown, written at once.
    fn toggle(&mut self, index: usize) {
        let Some(item) = self.checklist.items.get(index) else {
            self.warn(format!("the checklist has {} items", self.checklist.items.len()));
            return;
        };
        let Some(current) = &self.current else {
            self.warn("no request selected");
            return;
        };
        let next = match current.answers.get(&item.key) {
            None => Some(true),
            Some(true) => Some(false),
            Some(false) => None,
        };
        let mut answers = current.answers.clone();
        match next {
            Some(v) => answers.insert(item.key.clone(), v),
            None => answers.remove(&item.key),
        };
        let rank = rank_of(self.checklist, &answers);
        let (id, key) = (current.row.id, item.key.clone());
        match self.store.set_answer_ranked(id, &key, next, rank) {
            Ok(()) => {
                if let Some(c) = self.current.as_mut() {
                    c.answers = answers;
                }
                self.item = index;
                self.notice = None;
            }
            Err(e) => self.error("answer NOT saved", e),
        }
    }

    fn start_decision(&mut self, verdict: Verdict) {
        let Some(current) = &self.current else {
            self.warn("no request selected");
            return;
        };
        let prefill = self.checklist.reason_for(verdict, &current.answers);
        self.open_editor(&prefill, true);
        self.mode = Mode::Reason(verdict);
        self.notice = None;
    }

    fn record(&mut self, verdict: Verdict) {
        let mut reason = self.editor_text().trim().to_string();
        let mut until = None;
        if verdict == Verdict::Defer
            && let Some((r, date)) = reason.rsplit_once('|')
        {
            let today = self.today();
            match date.trim().parse::<jiff::civil::Date>() {
                Ok(d) if d > today => until = Some(d),
                Ok(_) => {
                    self.warn("not recorded: the \"until\" date must be after today");
                    return;
                }
                Err(_) => {
                    self.warn("not recorded: write the date after | as YYYY-MM-DD (e.g. reason | 2026-12-15)");
                    return;
                }
            }
            reason = r.trim().to_string();
        }
        if verdict == Verdict::Decline && reason.is_empty() {
            self.warn("not recorded: a decline needs a reason (type one, or esc to cancel)");
            return;
        }
        let Some(current) = self.current.clone() else {
            self.mode = Mode::Normal;
            return;
        };
        // The deferral comes back when that day begins where the user is.
        let until_at = until.and_then(|d| crate::clock::day_start(d, &self.zone));
        let seen = current.row.status;
        match self.store.decide_as_seen(current.row.id, seen, verdict, &reason, &current.answers, until_at.as_deref()) {
            Ok(decision_id) => {
                self.undo_order.push(Undoable::Decision);
                self.session.push(SessionEntry {
                    decision_id,
                    request_id: current.row.id,
                    name: current.row.name.clone(),
                    profile_url: current.row.profile_url.clone(),
                    verdict,
                    reason,
                });
                self.pending = self.pending.saturating_sub(1);
                self.mode = Mode::Normal;
                let word = match verdict {
                    Verdict::Accept => "accepted",
                    Verdict::Decline => "declined",
                    Verdict::Defer => "deferred",
                };
                let undo = self.keymap.first(Action::Undo).map(|k| format!(" ({k} undoes)")).unwrap_or_default();
                let when = match (verdict, until) {
                    (Verdict::Defer, Some(d)) => format!(" until {d}"),
                    (Verdict::Defer, None) => " until the next session".into(),
                    _ => String::new(),
                };
                self.info(format!("{word} {}{when}: recorded{undo}", text::line(&current.row.name)));
                self.rows.remove(self.sel);
                self.current = None;
                let sel = self.sel.min(self.rows.len().saturating_sub(1));
                if self.rows.is_empty() {
                    if let Err(e) = self.reload(None) {
                        self.error("cannot read the queue", e);
                    }
                } else {
                    self.select(sel);
                }
            }
            Err(e @ StoreError::Stale { .. }) => {
                // Decided elsewhere since it was drawn: nothing recorded, the queue read again.
                self.mode = Mode::Normal;
                self.current = None;
                let name = text::line(&current.row.name).into_owned();
                match self.reload(None) {
                    Ok(()) => self.warn(format!("NOT recorded: {name}: {e}; the queue is read again")),
                    Err(e) => self.error("cannot read the queue", e),
                }
            }
            Err(e) => {
                self.mode = Mode::Normal;
                self.error("NOT recorded", e);
            }
        }
    }

    /// Takes back the session's last step: a decision in the queue, a reconsider on Declined,
    /// or a mark-done on To do.
    fn undo(&mut self) {
        match self.undo_order.pop() {
            Some(Undoable::Decision) => {
                if let Some(last) = self.session.last().cloned() {
                    self.undo_decision(last)
                }
            }
            Some(Undoable::Reconsider) => {
                if let Some(last) = self.reconsidered.last().cloned() {
                    self.undo_reconsider(last)
                }
            }
            Some(Undoable::MarkDone { request_id, name, at }) => self.undo_mark_done(request_id, &name, &at),
            None => self.info("nothing to undo in this session"),
        }
    }

    fn undo_mark_done(&mut self, request_id: i64, name: &str, at: &str) {
        match self.store.unmark_done_on_linkedin(request_id, at) {
            Ok(()) => {
                let store = &*self.store;
                match self.todo.paged.refresh(|a| store.linkedin_todo_page(a, PAGE)) {
                    Ok(()) => self.info(format!("undone: {} is on the To do list again", text::line(name))),
                    Err(e) => self.error("cannot read the to-do list", e),
                }
            }
            Err(e) => self.error("NOT undone", e),
        }
    }

    fn undo_decision(&mut self, last: SessionEntry) {
        match self.store.undo(last.decision_id) {
            Ok(_) => {
                self.session.pop();
                self.pending += 1;
                let result = self
                    .store
                    .request(last.request_id)
                    .and_then(|row| self.store.queue_key(&row, self.order))
                    .and_then(|key| {
                        self.current = None;
                        self.reload(Some(&key))
                    })
                    .and_then(|()| if self.screen == Screen::Queue { Ok(()) } else { self.read_screen(self.screen) });
                if let Err(e) = result {
                    self.error("cannot read the queue", e);
                } else {
                    self.info(format!("undone: {} is pending again (the undo is in the log)", text::line(&last.name)));
                }
            }
            Err(StoreError::NothingToUndo) => {
                self.session.pop();
                self.warn("cannot undo: that request was decided again elsewhere");
            }
            Err(e @ StoreError::DecidedSince { .. }) => {
                self.session.pop();
                self.warn(format!("cannot undo {}: {e}", text::line(&last.name)));
            }
            Err(e) => self.error("NOT undone", e),
        }
    }

    /// Restores the decline a reconsider superseded.
    fn undo_reconsider(&mut self, last: Reconsidered) {
        match self.store.undo(last.decision_id) {
            Ok(_) => {
                self.reconsidered.pop();
                if last.to == Reconsider::Pending {
                    self.pending = self.pending.saturating_sub(1);
                }
                match self.read_screen(self.screen) {
                    Ok(()) => self
                        .info(format!("undone: {} is declined again (the undo is in the log)", text::line(&last.name))),
                    Err(e) => self.error("cannot read the log", e),
                }
            }
            Err(StoreError::NothingToUndo) => {
                self.reconsidered.pop();
                self.warn("cannot undo: that request was decided again elsewhere");
            }
            Err(e @ StoreError::DecidedSince { .. }) => {
                self.reconsidered.pop();
                self.warn(format!("cannot undo {}: {e}", text::line(&last.name)));
            }
            Err(e) => self.error("NOT undone", e),
        }
    }

    fn move_by(&mut self, delta: isize) {
        match self.focus {
            Pane::Queue => self.select(self.sel.saturating_add_signed(delta)),
            Pane::Person => self.person_scroll = self.person_scroll.saturating_add_signed(delta as i16),
            Pane::Checklist => {
                let n = self.checklist.items.len();
                self.item = self.item.saturating_add_signed(delta).min(n.saturating_sub(1));
            }
        }
    }
}

/// The log screens (see `screens.rs`).
impl App<'_> {
    /// Today (UTC) by the app's clock.
    pub fn today(&self) -> jiff::civil::Date {
        crate::clock::today(self.now, &self.zone)
    }

    /// The local day of a stored instant.
    pub fn day(&self, at: &str) -> String {
        crate::clock::local_day(at, &self.zone)
    }

    /// The earlier verdict about the selected request's person (on another request), if any.
    pub fn earlier_decision(&self) -> Option<&DecisionRow> {
        let c = self.current.as_ref()?;
        c.history.iter().find(|d| {
            d.request_id != c.row.id
                && !d.undo
                && matches!(d.decision, Status::Accepted | Status::Declined | Status::Deferred)
        })
    }

    fn repeat_earlier(&mut self) {
        let Some(earlier) = self.earlier_decision().cloned() else {
            self.warn("nothing to repeat: no earlier decision about this person");
            return;
        };
        let verdict = match earlier.decision {
            Status::Accepted => Verdict::Accept,
            Status::Declined => Verdict::Decline,
            _ => Verdict::Defer,
        };
        self.open_editor(&earlier.reason, true);
        self.mode = Mode::Reason(verdict);
        self.info(format!("the earlier verdict, from {}: edit the reason or record it", self.day(&earlier.decided_at)));
    }

    pub fn log_view(&self, screen: Screen) -> &LogView {
        if screen == Screen::Declined { &self.declined } else { &self.log }
    }

    fn log_view_mut(&mut self, screen: Screen) -> (&Store, &mut LogView, LogScope) {
        if screen == Screen::Declined {
            (&*self.store, &mut self.declined, LogScope::DeclinedNow)
        } else {
            (&*self.store, &mut self.log, LogScope::All)
        }
    }

    /// Shows a screen, loading its first page the first time (the Queue is read again).
    pub fn show(&mut self, screen: Screen) {
        self.screen = screen;
        self.notice = None;
        if let Err(e) = self.read_screen(screen) {
            self.error("cannot read the log", e);
        }
    }

    /// Reads what a screen shows: its first page the first time, else the page shown again.
    fn read_screen(&mut self, screen: Screen) -> Result<(), StoreError> {
        match screen {
            Screen::Queue => {
                let around = self.rows.get(self.sel).map(|(_, k)| k.clone());
                self.reload(around.as_ref())
            }
            Screen::Declined | Screen::Log if !self.log_view(screen).loaded => self.load_log(screen),
            // Decisions may have changed since: the page shown is read again.
            Screen::Declined | Screen::Log => {
                let (store, view, scope) = self.log_view_mut(screen);
                let filter = view.filter.clone();
                view.paged
                    .refresh(|b| store.log_search(&filter, scope, b, PAGE))
                    .and_then(|()| self.load_history(screen))
            }
            Screen::Todo if !self.todo.loaded => self.load_todo(),
            Screen::Todo => {
                let store = &*self.store;
                self.todo.paged.refresh(|a| store.linkedin_todo_page(a, PAGE))
            }
            Screen::Stats => {
                self.load_stats();
                Ok(())
            }
        }
    }

    /// Loads the first page; with a budget (a filter keystroke), the page may stop at the
    /// newest decisions ([`LogView::complete`] is then false).
    fn load_log_within(&mut self, screen: Screen, budget: Option<std::time::Duration>) -> Result<(), StoreError> {
        let (store, view, scope) = self.log_view_mut(screen);
        view.loaded = true;
        let filter = view.filter.clone();
        let complete = Cell::new(true);
        view.paged.first(|b| {
            let (rows, done) = store.log_search_within(&filter, scope, b, PAGE, budget)?;
            complete.set(done);
            Ok(rows)
        })?;
        view.complete = complete.get();
        self.load_history(screen)
    }

    fn load_log(&mut self, screen: Screen) -> Result<(), StoreError> {
        self.load_log_within(screen, None)
    }

    fn load_history(&mut self, screen: Screen) -> Result<(), StoreError> {
        let (store, view, _) = self.log_view_mut(screen);
        view.history = match view.paged.selected() {
            Some(r) => store.person_history(r.decision.person_id, HISTORY_SHOWN)?,
            None => Vec::new(),
        };
        Ok(())
    }

    fn load_todo(&mut self) -> Result<(), StoreError> {
        let store = &*self.store;
        self.todo.loaded = true;
        self.todo.paged.first(|a| store.linkedin_todo_page(a, PAGE))
    }

    /// Starts computing the statistics (on a second connection in the background when the
    /// store is a file); [`App::poll_stats`] picks the result up.
    pub fn load_stats(&mut self) {
        let today = self.today().to_string();
        let path = self.store.path().to_path_buf();
        if path.as_os_str() == ":memory:" {
            self.stats = match self.store.stats(&today) {
                Ok(s) => StatsView::Ready(Box::new(s)),
                Err(e) => StatsView::Failed(e.to_string()),
            };
            return;
        }
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(Store::open(&path).and_then(|s| s.stats(&today)));
        });
        self.stats = StatsView::Loading(rx);
    }

    /// Takes the statistics computed in the background, if they are ready; true when the
    /// screen changed.
    pub fn poll_stats(&mut self) -> bool {
        let StatsView::Loading(rx) = &self.stats else { return false };
        match rx.try_recv() {
            Ok(Ok(s)) => self.stats = StatsView::Ready(Box::new(s)),
            Ok(Err(e)) => self.stats = StatsView::Failed(e.to_string()),
            Err(std::sync::mpsc::TryRecvError::Empty) => return false,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => self.stats = StatsView::Failed("stopped".into()),
        }
        true
    }

    /// Moves in the list of the screen shown.
    fn list_move(&mut self, delta: isize) {
        let screen = self.screen;
        let result = match screen {
            Screen::Declined | Screen::Log => {
                let (store, view, scope) = self.log_view_mut(screen);
                let filter = view.filter.clone();
                let fetch = |b| store.log_search(&filter, scope, b, PAGE);
                let result = if delta > 0 && !view.complete && view.paged.sel + 1 >= view.paged.rows.len() {
                    // The filter stopped at the newest decisions while typing: search the rest.
                    view.complete = true;
                    view.paged.refresh(fetch)
                } else {
                    view.paged.move_by(delta, fetch)
                };
                result.and_then(|()| self.load_history(screen))
            }
            Screen::Todo => {
                let store = &*self.store;
                self.todo.paged.move_by(delta, |a| store.linkedin_todo_page(a, PAGE))
            }
            Screen::Queue | Screen::Stats => Ok(()),
        };
        if let Err(e) = result {
            self.error("cannot read the log", e);
        }
    }

    fn list_first(&mut self) {
        let result = match self.screen {
            s @ (Screen::Declined | Screen::Log) => self.load_log(s),
            Screen::Todo => self.load_todo(),
            Screen::Queue | Screen::Stats => Ok(()),
        };
        if let Err(e) = result {
            self.error("cannot read the log", e);
        }
    }

    fn list_last(&mut self) {
        match self.screen {
            Screen::Declined | Screen::Log => {
                let screen = self.screen;
                let (_, view, _) = self.log_view_mut(screen);
                view.paged.sel = view.paged.rows.len().saturating_sub(1);
                if let Err(e) = self.load_history(screen) {
                    self.error("cannot read the log", e);
                }
            }
            Screen::Todo => self.todo.paged.sel = self.todo.paged.rows.len().saturating_sub(1),
            Screen::Queue | Screen::Stats => {}
        }
    }

    fn start_filter(&mut self) {
        let text = self.log_view(self.screen).filter_text.clone();
        self.open_editor(&text, true);
        self.mode = Mode::Filter;
        self.notice = None;
    }

    /// Applies the filter prompt's text to the screen shown (on every keystroke).
    fn apply_filter(&mut self) {
        let screen = self.screen;
        let input = self.editor_text();
        let (mut filter, problem) = parse_filter(&input, &self.zone);
        if screen == Screen::Declined {
            filter.decision = None;
        }
        let view = if screen == Screen::Declined { &mut self.declined } else { &mut self.log };
        view.filter_text = input.trim().to_string();
        let changed = view.filter != filter;
        view.filter = filter;
        match problem {
            // Shown beside the filter as it is typed: a bad term is never silently ignored.
            Some(p) => self.warn(p),
            None => self.notice = None,
        }
        if changed && let Err(e) = self.load_log_within(screen, Some(self.filter_budget)) {
            self.error("filter failed", e);
        }
    }

    fn clear_filter(&mut self) {
        let screen = self.screen;
        let view = if screen == Screen::Declined { &mut self.declined } else { &mut self.log };
        view.filter_text.clear();
        view.filter = Default::default();
        self.notice = None;
        if let Err(e) = self.load_log(screen) {
            self.error("cannot read the log", e);
        }
    }

    fn start_reconsider(&mut self, to: Reconsider) {
        if self.screen != Screen::Declined {
            let key = self.keymap.first(Action::ScreenDeclined).unwrap_or_default();
            self.warn(format!("reconsider from the Declined screen ({key})"));
            return;
        }
        if self.declined.paged.selected().is_none() {
            self.warn("nobody selected");
            return;
        }
        self.open_editor("", true);
        self.mode = Mode::Reconsider(to);
        self.notice = None;
    }

    /// Records a reconsidered decline: a new decision that supersedes it.
    fn record_reconsider(&mut self, to: Reconsider) {
        let reason = self.editor_text().trim().to_string();
        if reason.is_empty() {
            self.warn("not recorded: say why you changed your mind (or esc to cancel)");
            return;
        }
        let Some(row) = self.declined.paged.selected().map(|r| r.decision.clone()) else {
            self.mode = Mode::Normal;
            return;
        };
        self.mode = Mode::Normal;
        let result = match to {
            Reconsider::Accept => self.store.decide(row.request_id, Verdict::Accept, &reason, &row.answers),
            Reconsider::Pending => self.store.reopen(row.request_id, &reason),
        };
        match result {
            Ok(id) => {
                self.undo_order.push(Undoable::Reconsider);
                self.reconsidered.push(Reconsidered { decision_id: id, name: row.name.clone(), to });
                let what = match to {
                    Reconsider::Accept => "now accepted",
                    Reconsider::Pending => {
                        self.pending += 1;
                        "back in the queue"
                    }
                };
                let undo = self.keymap.first(Action::Undo).map(|k| format!(", {k} undoes")).unwrap_or_default();
                self.info(format!(
                    "{} {what} (#{id} supersedes #{}; the history is kept{undo})",
                    text::line(&row.name),
                    row.id
                ));
                self.log.loaded = false;
                self.todo.loaded = false;
                if let Err(e) = self
                    .declined
                    .paged
                    .refresh(|b| self.store.log_search(&self.declined.filter, LogScope::DeclinedNow, b, PAGE))
                    .and_then(|()| self.load_history(Screen::Declined))
                {
                    self.error("cannot read the log", e);
                }
            }
            Err(e) => self.error("NOT recorded", e),
        }
    }

    fn mark_done(&mut self) {
        if self.screen != Screen::Todo {
            let key = self.keymap.first(Action::ScreenTodo).unwrap_or_default();
            self.warn(format!("mark done from the To do screen ({key})"));
            return;
        }
        let Some(row) = self.todo.paged.selected().map(|t| (t.request.id, t.request.name.clone(), t.action)) else {
            self.warn("nothing to do on LinkedIn");
            return;
        };
        match self.store.mark_done_on_linkedin(row.0) {
            Ok(at) => {
                self.undo_order.push(Undoable::MarkDone { request_id: row.0, name: row.1.clone(), at });
                let undo = self.keymap.first(Action::Undo).map(|k| format!(" ({k} undoes)")).unwrap_or_default();
                self.info(format!("done on LinkedIn: {} {}{undo}", row.2, text::line(&row.1)));
                let store = &*self.store;
                if let Err(e) = self.todo.paged.refresh(|a| store.linkedin_todo_page(a, PAGE)) {
                    self.error("cannot read the to-do list", e);
                }
            }
            Err(e) => self.error("NOT marked", e),
        }
    }

    /// The profile URL of the selected row of the screen shown.
    fn selected_url(&self) -> Option<Option<String>> {
        match self.screen {
            Screen::Queue => self.current.as_ref().map(|c| c.row.profile_url.clone()),
            Screen::Declined | Screen::Log => {
                self.log_view(self.screen).paged.selected().map(|r| r.decision.profile_url.clone())
            }
            Screen::Todo => self.todo.paged.selected().map(|t| t.request.profile_url.clone()),
            Screen::Stats => None,
        }
    }
}

/// The reducer: carries out one action.
pub fn update(app: &mut App<'_>, action: Action) {
    match (app.mode, action) {
        (_, Action::ForceQuit) => {
            if app.may_leave_notes(Action::ForceQuit, "quits") {
                app.quit = true;
            }
        }
        (_, Action::Suspend) => app.effect = Some(Effect::Suspend),
        (Mode::Help, _) => app.mode = Mode::Normal,

        (Mode::Reason(v), Action::Confirm) => app.record(v),
        (Mode::Reason(_), Action::Cancel) => {
            app.mode = Mode::Normal;
            app.info("cancelled: nothing recorded");
        }
        (Mode::Search, Action::Confirm) => {
            app.mode = Mode::Normal;
            if app.search.is_none() {
                app.notice = None;
            }
        }
        (Mode::Search, Action::Cancel) => {
            app.mode = Mode::Normal;
            app.search = None;
            app.notice = None;
            if let Err(e) = app.reload(None) {
                app.error("cannot read the queue", e);
            }
        }
        (Mode::Notes, Action::Save) => {
            app.leave_armed = false;
            app.mode = Mode::Normal;
            let text = app.editor_text();
            match &app.current {
                Some(c) if text != app.editor_initial => {
                    let person = c.row.person_id;
                    app.save_notes(person, &text);
                }
                _ => app.info("notes unchanged"),
            }
        }
        (Mode::Notes, Action::Discard) => {
            if app.may_leave_notes(Action::Discard, "closes the editor") {
                app.mode = Mode::Normal;
                app.info("notes editor closed without saving");
            }
        }
        (Mode::Filter, Action::Confirm) => {
            app.mode = Mode::Normal;
        }
        (Mode::Filter, Action::Cancel) => {
            app.mode = Mode::Normal;
            app.clear_filter();
        }
        (Mode::Reconsider(to), Action::Confirm) => app.record_reconsider(to),
        (Mode::Reconsider(_), Action::Cancel) => {
            app.mode = Mode::Normal;
            app.info("cancelled: nothing recorded");
        }
        (Mode::Reason(_) | Mode::Search | Mode::Notes | Mode::Filter | Mode::Reconsider(_), _) => {}

        (Mode::Normal, Action::ScreenQueue) => app.show(Screen::Queue),
        (Mode::Normal, Action::ScreenDeclined) => app.show(Screen::Declined),
        (Mode::Normal, Action::ScreenLog) => app.show(Screen::Log),
        (Mode::Normal, Action::ScreenStats) => app.show(Screen::Stats),
        (Mode::Normal, Action::ScreenTodo) => app.show(Screen::Todo),
        (Mode::Normal, Action::NextScreen) => app.show(app.screen.next()),
        (Mode::Normal, Action::PrevScreen) => app.show(app.screen.prev()),
        (Mode::Normal, Action::Help) => app.mode = Mode::Help,
        (Mode::Normal, Action::Quit) => app.quit = true,
        (Mode::Normal, Action::OpenProfile) => match app.selected_url() {
            Some(Some(u)) if is_web_url(&u) => {
                app.info(format!("opening {}", text::line(&u)));
                app.effect = Some(Effect::Open(u));
            }
            Some(Some(u)) => app.warn(format!("not opened: {} is not a web address", text::line(&u))),
            Some(None) => app.warn("no profile URL for this request"),
            None => app.warn("nothing selected"),
        },
        (Mode::Normal, a) if app.screen != Screen::Queue => screen_update(app, a),

        (Mode::Normal, a) => match a {
            Action::Up => app.move_by(-1),
            Action::Down => app.move_by(1),
            Action::PageUp => app.move_by(-(app.queue_height.get().max(1) as isize)),
            Action::PageDown => app.move_by(app.queue_height.get().max(1) as isize),
            Action::First => {
                if app.at_start {
                    app.select(0);
                } else if let Err(e) = app.reload(None) {
                    app.error("cannot read the queue", e);
                }
            }
            Action::Last => match app.page(None, Direction::Backward, PAGE) {
                Ok(rows) => {
                    app.at_end = true;
                    app.at_start = rows.len() < PAGE;
                    app.rows = rows;
                    app.sel = app.rows.len().saturating_sub(1);
                    app.queue_offset.set(app.sel.saturating_sub(app.queue_height.get().saturating_sub(1)));
                    if let Err(e) = app.load_current() {
                        app.error("cannot read the request", e);
                    }
                }
                Err(e) => app.error("cannot read the queue", e),
            },
            Action::NextPane => {
                app.focus = match app.focus {
                    Pane::Queue => Pane::Person,
                    Pane::Person => Pane::Checklist,
                    Pane::Checklist => Pane::Queue,
                }
            }
            Action::Toggle(n) => app.toggle(n as usize - 1),
            Action::ToggleFocused => app.toggle(app.item),
            Action::Accept => app.start_decision(Verdict::Accept),
            Action::Decline => app.start_decision(Verdict::Decline),
            Action::Defer => app.start_decision(Verdict::Defer),
            Action::Undo => app.undo(),
            Action::EditNotes => match &app.current {
                Some(c) => {
                    // The original text: drawing it is made safe cell by cell (`ui::scrub`), and
                    // saving it never turns a tab or an escape into its stand-in.
                    let notes = c.note.clone().unwrap_or_default();
                    app.open_editor(&notes, false);
                    app.mode = Mode::Notes;
                    app.notice = None;
                }
                None => app.warn("no request selected"),
            },
            Action::EditNotesExternal => match &app.current {
                Some(c) => {
                    let text = text::block(c.note.as_deref().unwrap_or("")).into_owned();
                    app.effect = Some(Effect::EditNotes { person_id: c.row.person_id, text });
                }
                None => app.warn("no request selected"),
            },
            Action::Search => {
                let text = app.search.as_ref().map(|s| s.text.clone()).unwrap_or_default();
                app.open_editor(&text, true);
                app.mode = Mode::Search;
            }
            Action::Sort => {
                app.order = app.order.next();
                app.info(format!("sorted by {}", app.order.label()));
                if let Err(e) = app.reload(None) {
                    app.error("cannot read the queue", e);
                }
            }
            Action::RepeatEarlier => app.repeat_earlier(),
            Action::Reopen => app.start_reconsider(Reconsider::Pending),
            Action::MarkDone => app.mark_done(),
            _ => {}
        },
    }
}

/// The keys of the Declined, Log, Stats and To do screens.
fn screen_update(app: &mut App<'_>, action: Action) {
    let height = app.list_height.get().max(1) as isize;
    match action {
        Action::Up => app.list_move(-1),
        Action::Down => app.list_move(1),
        Action::PageUp => app.list_move(-height),
        Action::PageDown => app.list_move(height),
        Action::First => app.list_first(),
        Action::Last => app.list_last(),
        Action::Search if matches!(app.screen, Screen::Declined | Screen::Log) => app.start_filter(),
        Action::Accept => app.start_reconsider(Reconsider::Accept),
        Action::Reopen => app.start_reconsider(Reconsider::Pending),
        Action::MarkDone => app.mark_done(),
        Action::Undo => app.undo(),
        a if a.mode() == KeyMode::Normal => {
            let key = app.keymap.first(Action::ScreenQueue).unwrap_or_default();
            // In words, not the config name: "edit the profile notes here works on …".
            app.info(format!("“{}” works on the Queue screen ({key})", a.description()));
        }
        _ => {}
    }
}

/// Only plain web addresses are handed to the system opener.
pub fn is_web_url(u: &str) -> bool {
    (u.starts_with("https://") || u.starts_with("http://"))
        && u.len() > 8
        && !u.chars().any(|c| c.is_whitespace() || c.is_control() || text::has_hidden_characters(&c.to_string()))
}
