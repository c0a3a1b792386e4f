//! The shell of the review app: which screen is shown, what lies over it (the help or a
//! prompt), the notice line and this session. [`update`] carries out the shell's own actions
//! (quit, help, undo, the screen keys) and hands every other one to the screen shown; the
//! [`Outcome`] it answers with is applied here. This is the only file that names more than
//! one screen.

use super::action::{Action, KeyMode};
use super::chrome;
use super::keymap::Keymap;
use super::present::thousands;
use super::prompt::{Prompt, PromptKind};
use super::screens::log::LogScreen;
use super::screens::queue::QueueScreen;
use super::screens::stats::StatsScreen;
use super::screens::todo::TodoScreen;
use super::screens::{Answer, Ctx, Draw, Effect, Hits, Level, Notice, Outcome, Role, Screen, Settings, Tell, View};
use super::session::{Session, Step, Undo};
use super::theme::Theme;
use crate::checklist::Checklist;
use crate::model::{RequestRow, Status};
use crate::store::{LogScope, Store, StoreError};
use crate::text;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::Widget;
use std::cell::RefCell;

/// What lies over the screen.
#[derive(Debug, Default)]
pub enum Overlay {
    #[default]
    None,
    /// The help, scrolled to this line (kept within it by the renderer).
    Help(std::cell::Cell<u16>),
    Prompt(Box<Prompt>),
}

/// What the keys mean now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Help,
    Prompt(PromptKind),
}

impl Mode {
    pub fn key_mode(self) -> KeyMode {
        match self {
            Mode::Normal | Mode::Help => KeyMode::Normal,
            Mode::Prompt(kind) => kind.key_mode(),
        }
    }
}

pub struct App<'a> {
    pub ctx: Ctx<'a>,
    /// The screen shown.
    pub screen: Screen,
    pub queue: QueueScreen,
    pub declined: LogScreen,
    pub log: LogScreen,
    pub stats: StatsScreen,
    pub todo: TodoScreen,
    pub overlay: Overlay,
    pub notice: Option<Notice>,
    pub session: Session,
    pub effect: Option<Effect>,
    pub quit: bool,
    /// The last search-index step found the store locked by another process.
    pub index_busy: bool,
    /// `Store::data_version` when the screens were last read.
    seen_version: i64,
    /// Where the last frame drew what a click can hit (set while drawing).
    pub hits: RefCell<Hits>,
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
        let zone = crate::clock::zone().clone();
        let mut ctx = Ctx { store, checklist, keymap, theme, now, zone, pending: None, settings: Settings::default() };
        let seen_version = ctx.store.data_version()?;
        Ok(App {
            queue: QueueScreen::new(&mut ctx)?,
            ctx,
            screen: Screen::Queue,
            declined: LogScreen::new(LogScope::DeclinedNow),
            log: LogScreen::new(LogScope::All),
            stats: StatsScreen::default(),
            todo: TodoScreen::default(),
            overlay: Overlay::None,
            notice: None,
            session: Session::default(),
            effect: None,
            quit: false,
            index_busy: false,
            seen_version,
            hits: Default::default(),
        })
    }

    /// The settings the config gave, and where a key that changes one writes it.
    pub fn with_settings(mut self, settings: Settings) -> App<'a> {
        self.queue.preview = settings.preview;
        self.ctx.settings = settings;
        self
    }

    pub fn set_pending_count(&mut self, at_start: u64) {
        self.session.set_pending_count(at_start);
    }

    pub fn store(&self) -> &Store {
        self.ctx.store
    }

    pub(crate) fn store_mut(&mut self) -> &mut Store {
        self.ctx.store
    }

    pub fn mode(&self) -> Mode {
        match &self.overlay {
            Overlay::None => Mode::Normal,
            Overlay::Help(_) => Mode::Help,
            Overlay::Prompt(p) => Mode::Prompt(p.kind),
        }
    }

    /// The request selected in the queue.
    pub fn selected(&self) -> Option<&RequestRow> {
        self.queue.selected()
    }

    pub(super) fn say(&mut self, level: Level, text: impl Into<String>) {
        self.notice = Some(Notice { level, text: text.into() });
    }

    fn error(&mut self, what: &str, e: StoreError) {
        self.say(Level::Error, format!("{what}: {e}"));
    }

    /// The screen shown, and what it works with.
    pub(super) fn parts(&mut self) -> (&mut dyn View, &mut Ctx<'a>) {
        self.ctx.pending = self.session.counted.then_some(self.session.pending);
        let view: &mut dyn View = match self.screen {
            Screen::Queue => &mut self.queue,
            Screen::Declined => &mut self.declined,
            Screen::Log => &mut self.log,
            Screen::Stats => &mut self.stats,
            Screen::Todo => &mut self.todo,
        };
        (view, &mut self.ctx)
    }

    fn view(&self) -> &dyn View {
        match self.screen {
            Screen::Queue => &self.queue,
            Screen::Declined => &self.declined,
            Screen::Log => &self.log,
            Screen::Stats => &self.stats,
            Screen::Todo => &self.todo,
        }
    }

    /// Hands an action to the screen shown.
    pub(super) fn on_screen(&mut self, action: Action) {
        let (view, ctx) = self.parts();
        let outcome = view.handle(action, ctx);
        if outcome.elsewhere {
            self.say_where(action);
        }
        self.apply(outcome);
    }

    pub(super) fn apply(&mut self, outcome: Outcome) {
        match outcome.tell {
            Tell::Keep => {}
            Tell::Clear => self.notice = None,
            Tell::Show(n) => self.notice = Some(n),
        }
        if let Some(prompt) = outcome.prompt {
            self.overlay = Overlay::Prompt(prompt);
        }
        if let Some(effect) = outcome.effect {
            self.effect = Some(effect);
        }
        if let Some(step) = outcome.step {
            if let Step::Reconsidered(_) = step {
                self.log.forget();
                self.todo.forget();
            }
            self.stats.forget(); // computed again when next shown
            self.session.take(step);
        }
    }

    /// "“edit the profile notes here” works on the Queue screen (Q)": in words, from the table.
    fn say_where(&mut self, action: Action) {
        let on: Vec<Screen> = Screen::ALL.into_iter().filter(|s| s.has(action.on())).collect();
        let names: Vec<&str> = on.iter().map(|s| s.label()).collect();
        let keys: Vec<String> = on.iter().filter_map(|s| self.ctx.keymap.first(s.action())).collect();
        let names = match names.split_last() {
            Some((last, [])) => format!("the {last} screen"),
            Some((last, rest)) => format!("the {} and {last} screens", rest.join(", ")),
            None => "no screen".into(),
        };
        let keys = if keys.is_empty() { String::new() } else { format!(" ({})", keys.join(", ")) };
        self.say(Level::Info, format!("“{}” works on {names}{keys}", action.description()));
    }

    /// Shows a screen, reading what it shows.
    pub fn show(&mut self, screen: Screen) {
        self.screen = screen;
        self.notice = None;
        let (view, ctx) = self.parts();
        if let Err(e) = view.refresh(ctx) {
            self.error(&format!("cannot read {}", screen.label()), e);
        }
    }

    /// The prompt's text changed, or it was confirmed or cancelled: the screen that opened it
    /// answers; it stays open while typing, or when the screen cannot record it yet.
    pub(super) fn answer(&mut self, answer: Answer) {
        let Overlay::Prompt(prompt) = std::mem::take(&mut self.overlay) else { return };
        let (view, ctx) = self.parts();
        let outcome = view.answer(&prompt, answer, ctx);
        if answer == Answer::Changed || outcome.keep_prompt {
            self.overlay = Overlay::Prompt(prompt);
        }
        self.apply(outcome);
    }

    fn prompt_action(&mut self, action: Action) {
        match action {
            Action::Confirm | Action::Save => self.answer(Answer::Confirmed),
            Action::Cancel => self.answer(Answer::Cancelled),
            Action::Complete | Action::OlderReason | Action::NewerReason => {
                let Overlay::Prompt(p) = &mut self.overlay else { return };
                let moved = match action {
                    Action::Complete => p.complete(),
                    Action::OlderReason => p.walk(1),
                    _ => p.walk(-1),
                };
                if moved {
                    self.notice = None;
                }
            }
            Action::Discard if self.may_leave_notes(Action::Discard, "closes the editor") => {
                self.answer(Answer::Cancelled)
            }
            _ => {}
        }
    }

    /// Asks once before unsaved notes are left behind; true when the caller may go on.
    fn may_leave_notes(&mut self, again: Action, what: &str) -> bool {
        let Overlay::Prompt(p) = &mut self.overlay else { return true };
        if !p.kind.multi_line() || !p.changed() || p.armed {
            p.armed = false;
            return true;
        }
        p.armed = true;
        let key = |a: Action| self.ctx.keymap.first(a).unwrap_or_default();
        let edited = if p.kind == PromptKind::Notes { "notes" } else { "details" };
        let text = format!(
            "unsaved {edited}: {} saves them, {} again {what} without them, any other key keeps editing",
            key(Action::Save),
            key(again)
        );
        self.say(Level::Warning, text);
        false
    }

    /// Stores notes edited in `$EDITOR` (only when they changed).
    pub fn finish_external_edit(&mut self, person_id: i64, before: &str, after: &str) {
        let outcome = self.queue.finish_external_edit(person_id, before, after, &mut self.ctx);
        self.apply(outcome);
    }

    /// Takes back the session's last step: a decision in the queue, a reconsider on Declined,
    /// or a mark-done on To do.
    fn undo(&mut self) {
        match self.session.undo(self.ctx.store) {
            Undo::Nothing => self.say(Level::Info, "nothing to undo in this session"),
            Undo::Done(step) => self.after_undo(&step),
            Undo::Refused(why) => self.say(Level::Warning, why),
            Undo::Failed(e) => self.error("NOT undone", e),
        }
    }

    /// The screens show what an undo changed.
    fn after_undo(&mut self, step: &Step) {
        let name = text::line(step.name());
        let (what, said) = match step {
            Step::Decided(_) => {
                ("cannot read the queue", format!("undone: {name} is pending again (the undo is in the log)"))
            }
            Step::Reconsidered(_) => {
                ("cannot read the log", format!("undone: {name} is declined again (the undo is in the log)"))
            }
            Step::Batch { size, .. } => {
                ("cannot read the queue", format!("undone: the {size} requests of the batch are pending again"))
            }
            Step::MarkedDone { .. } => {
                ("cannot read the to-do list", format!("undone: {name} is on the To do list again"))
            }
        };
        // The screen the step was taken on shows it undone, and the one shown is read again.
        let result = match step {
            Step::Decided(e) => self.queue.reload_around(e.request_id, &self.ctx),
            Step::Batch { .. } => self.queue.refresh(&mut self.ctx),
            Step::MarkedDone { .. } => self.todo.refresh(&mut self.ctx),
            Step::Reconsidered(_) => Ok(()),
        }
        .and_then(|()| {
            let (view, ctx) = self.parts();
            view.refresh(ctx)
        });
        match result {
            Ok(()) => self.say(Level::Info, said),
            Err(e) => self.error(what, e),
        }
    }

    /// Reads the screens again when another process changed the store (another session, a
    /// command, an import) since they were read; true when it did.
    pub fn notice_outside_changes(&mut self) -> bool {
        let Ok(version) = self.ctx.store.data_version() else { return false };
        if version == self.seen_version {
            return false;
        }
        self.seen_version = version;
        self.declined.forget();
        self.log.forget();
        self.stats.forget();
        self.todo.forget();
        let result = self.ctx.store.count(Status::Pending).and_then(|pending| {
            self.session.pending = pending;
            let (view, ctx) = self.parts();
            view.refresh(ctx)
        });
        if let Err(e) = result {
            self.error("cannot read the store again", e);
        }
        true
    }

    /// Takes what was computed in the background (the groups, the statistics), if it is
    /// ready; true when the screen changed.
    pub fn poll_background(&mut self) -> bool {
        if let Some(outcome) = self.queue.poll_groups() {
            self.apply(outcome);
            return true;
        }
        self.stats.poll()
    }

    /// Work running in the background that the screen waits for (statistics, groups).
    pub fn computing(&self) -> bool {
        self.stats.loading() || self.queue.groups.as_ref().is_some_and(|g| g.loading.is_some())
    }

    /// The footer's keys: the open prompt's, or the screen's hints.
    pub fn footer_items(&self) -> Vec<(String, String)> {
        match &self.overlay {
            Overlay::Help(_) => vec![("any key".into(), "close help".into())],
            Overlay::Prompt(p) => p.hints(&self.ctx.keymap),
            Overlay::None => chrome::hint_items(&self.view().hints(), &self.ctx.keymap),
        }
    }

    /// The header's texts: the pending count, this session on the queue, then the screen's.
    fn status(&self) -> Vec<(String, Role)> {
        let s = &self.session;
        if self.screen != Screen::Queue {
            return vec![(format!("{} pending", thousands(s.pending)), Role::Accent)];
        }
        let mut status = if s.counted {
            vec![
                (format!("{} pending", thousands(s.pending)), Role::Accent),
                (format!("session {}/{}", thousands(s.len() as u64), thousands(s.total)), Role::Plain),
            ]
        } else {
            vec![
                ("counting… pending".into(), Role::Accent),
                (format!("session {}/…", thousands(s.len() as u64)), Role::Plain),
            ]
        };
        status.extend(self.view().status());
        status
    }
}

/// The reducer: carries out one action.
pub fn update(app: &mut App<'_>, action: Action) {
    match (app.mode(), action) {
        (_, Action::ForceQuit) => app.quit |= app.may_leave_notes(Action::ForceQuit, "quits"),
        (_, Action::Suspend) => app.effect = Some(Effect::Suspend),
        (Mode::Help, _) => app.overlay = Overlay::None,
        (Mode::Prompt(_), a) => app.prompt_action(a),
        (Mode::Normal, Action::Help) => app.overlay = Overlay::Help(Default::default()),
        (Mode::Normal, Action::Quit) => app.quit = true,
        (Mode::Normal, Action::Undo) => app.undo(),
        (Mode::Normal, Action::NextScreen) => app.show(app.screen.next()),
        (Mode::Normal, Action::PrevScreen) => app.show(app.screen.prev()),
        (Mode::Normal, a) => match Screen::ALL.into_iter().find(|s| s.action() == a) {
            Some(screen) => app.show(screen),
            None => app.on_screen(a),
        },
    }
}

impl Widget for &App<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        *self.hits.borrow_mut() = Default::default(); // what this frame draws, nothing older
        if area.width < chrome::MIN_WIDTH || area.height < chrome::MIN_HEIGHT {
            chrome::too_small(&self.ctx.keymap, area, buf);
            return chrome::scrub(buf, area);
        }
        let [header, body, notice, footer] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(10),
            Constraint::Length(chrome::notice_height(self.notice.as_ref(), area.width)),
            Constraint::Length(1),
        ])
        .areas(area);
        let (ctx, theme) = (&self.ctx, &self.ctx.theme);
        chrome::header(self.screen, &self.status(), theme, &self.hits, header, buf);
        let prompt = if let Overlay::Prompt(p) = &self.overlay { Some(&**p) } else { None };
        let draw = Draw {
            theme,
            keymap: &ctx.keymap,
            checklist: ctx.checklist,
            now: ctx.now,
            zone: &ctx.zone,
            session: &self.session,
            prompt,
            keys_here: matches!(self.overlay, Overlay::None),
            hits: &self.hits,
        };
        self.view().render(body, buf, &draw);
        match prompt.filter(|p| p.kind.inline()) {
            Some(p) => {
                let warning = self.notice.as_ref().filter(|n| n.level != Level::Info).map(|n| n.text.as_str());
                p.render_inline(warning, notice, buf, theme);
            }
            None => chrome::notice(self.notice.as_ref(), theme, notice, buf),
        }
        chrome::footer(&self.footer_items(), theme, footer, buf);
        match &self.overlay {
            Overlay::Help(scroll) => chrome::help(&ctx.keymap, theme, scroll, area, buf),
            Overlay::Prompt(p) if matches!(p.kind, PromptKind::Reason(_) | PromptKind::Reconsider(_)) => {
                p.render_popup(area, buf, theme, &ctx.keymap)
            }
            _ => {}
        }
        chrome::scrub(buf, area);
    }
}
