//! The review session: a ratatui app with the queue, the person and the checklist side by
//! side, and the decision-log screens beside it. This file runs it: the terminal up and down,
//! the event loop, idle work, and the effects a screen asks for. The map of the folder is in
//! `docs/ARCHITECTURE.md`.
//!
//! Data flows one way: the store gives pages → keys become [`Action`]s through the [`Keymap`]
//! → [`update`] hands them to the shell or the screen shown, which write through the store →
//! widgets draw the app.

pub mod action;
pub mod app;
mod chrome;
mod input;
mod key;
pub mod keymap;
mod outside;
pub mod paged;
mod present;
pub mod prompt;
pub mod screens;
pub mod session;
mod signals;
mod terminal;
pub mod theme;

pub use action::{Action, KeyMode};
pub use app::{App, Mode, update};
pub use keymap::{Key, Keymap, KeymapError};
pub use screens::{Effect, Settings};
pub use theme::{Theme, ThemeError};

use crate::checklist::Checklist;
use crate::store::{Store, StoreError};
use outside::{edit_in_editor, open_failed, open_url};
use ratatui::crossterm::event::{self, Event};
use screens::{Level, Notice};
use std::io;
use std::time::Duration;
use terminal::{Terminal, detach_from_terminal, init, input_ended, terminal_modes};

/// Why a session ended badly. The terminal is restored before this is returned.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("terminal: {0}")]
    Io(#[from] io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Ended by a signal (its number); every decision made is in the store.
    #[error("stopped by {}; every decision you made is saved", signals::name(*.0))]
    Signal(i32),
    /// The terminal went away (hung up, end of input, or an error reading or drawing on it)
    /// while the session ran; every decision made is in the store. Ends as SIGHUP does.
    #[error("the terminal went away ({0}); every decision you made is saved")]
    HungUp(String),
}

impl RunError {
    /// What a failure of the terminal in the middle of a session is: the terminal gone.
    fn gone(e: io::Error) -> RunError {
        RunError::HungUp(e.to_string())
    }
}

/// Requests indexed for search per idle step (one short transaction, ~30 ms: the longest a
/// key waits while the index catches up).
pub const INDEX_BATCH: usize = 500;
/// Idle time after which the WAL is checkpointed (decisions never wait for a checkpoint).
const IDLE: Duration = Duration::from_secs(1);
/// Past this many WAL pages SQLite checkpoints by itself anyway.
const AUTOCHECKPOINT_PAGES: u32 = 20_000;

/// Runs the review session on the terminal until the user quits. Sets the terminal up,
/// restores it on quit, on error and on panic (ratatui's hook).
pub fn run(
    store: &mut Store,
    checklist: &Checklist,
    keymap: Keymap,
    theme: Theme,
    mouse: bool,
    settings: Settings,
) -> Result<(), RunError> {
    // Asked now: once the terminal hangs up, it no longer answers whether it is one.
    let stderr_on_terminal = io::IsTerminal::is_terminal(&io::stderr());
    let mut terminal = init().inspect_err(|_| {
        let _ = ratatui::try_restore();
    })?;
    // A paste arrives as one event of text, never as keys that could decide.
    let result = terminal_modes(true, mouse)
        .map_err(RunError::from)
        .and_then(|()| session(&mut terminal, store, checklist, (keymap, theme, settings), mouse));
    let restored = terminal_modes(false, mouse).and_then(|()| ratatui::try_restore());
    if restored.is_err() || input_ended() {
        detach_from_terminal(stderr_on_terminal);
    }
    drop(terminal);
    result
}

/// The session's loop. Every failure of the terminal in it ends the session as a hang-up
/// would: what was recorded is already in the store.
fn session(
    terminal: &mut ratatui::DefaultTerminal,
    store: &mut Store,
    checklist: &Checklist,
    (keymap, theme, settings): (Keymap, Theme, Settings),
    mouse: bool,
) -> Result<(), RunError> {
    // The first frame does not wait for the count of pending requests.
    let counter = store.count_pending_in_background();
    store.set_autocheckpoint(AUTOCHECKPOINT_PAGES)?;
    let mut app = match counter {
        Some(_) => App::new_uncounted(store, checklist, keymap, theme, crate::clock::now())?,
        None => App::new(store, checklist, keymap, theme, crate::clock::now())?,
    }
    .with_settings(settings);
    let mut counter = counter;
    let mut idle = IdleWork { indexing: true, dirty: false, last_input: std::time::Instant::now() };
    let signals = signals::Signals::install()?;
    // A browser that fails after it started says so here, whenever it does.
    let (opened, open_failures) = std::sync::mpsc::channel::<(String, String)>();
    let mut terminal = Terminal::new(terminal, mouse);
    if let Some(said) = terminal.fit()? {
        app.notice = Some(Notice { level: Level::Info, text: said });
    }
    loop {
        take_signal(&signals, &mut terminal, &app)?;
        if let Ok((url, why)) = open_failures.try_recv() {
            app.notice = Some(open_failed(&url, &why));
        }
        app.ctx.now = crate::clock::now();
        terminal.draw(&app)?;
        if app.quit {
            let _ = app.store().checkpoint();
            return Ok(());
        }
        if take_count(&mut app, &mut counter) || app.poll_background() {
            continue;
        }
        if !terminal.poll(idle.wait(&app, counter.is_some()).min(signals::CHECK))? {
            if terminal.swallowing() {
                let dropped = terminal.end_held_input(|| signals.pending())?;
                let text = format!(
                    "a paste began (ESC[200~) and did not end within 2 s: ended, and the {dropped} characters \
                     typed or pasted since were dropped"
                );
                app.notice = Some(Notice { level: Level::Warning, text });
                continue;
            }
            if app.mode() == Mode::Normal && app.notice_outside_changes() {
                continue; // another process changed the store: drawn again from it
            }
            idle.step(&mut app, counter.is_none());
            continue;
        }
        idle.dirty = true;
        idle.last_input = std::time::Instant::now();
        take_burst(&mut app, &mut terminal, &signals, &opened)?;
    }
}

/// A signal the loop was sent: the end of the session (the store checkpointed first), a stop
/// (the terminal given back until the shell resumes it), or a resume.
fn take_signal(signals: &signals::Signals, terminal: &mut Terminal, app: &App) -> Result<(), RunError> {
    match signals.take() {
        Some(signals::Signal::End(sig)) => {
            let _ = app.store().checkpoint();
            return Err(RunError::Signal(sig));
        }
        Some(signals::Signal::Stop) => terminal.suspended(|| signals.stop_now())?.map_err(RunError::gone)?,
        Some(signals::Signal::Resumed) => terminal.resume()?,
        None => {}
    }
    Ok(())
}

/// The work the loop does while no key comes: the search index's backlog, a batch at a time,
/// then a checkpoint once the user has been quiet for [`IDLE`].
struct IdleWork {
    indexing: bool,
    dirty: bool,
    last_input: std::time::Instant,
}

impl IdleWork {
    /// How long to wait for a key before the next piece of idle work: while the search index
    /// has a backlog, index a batch whenever no key is waiting.
    fn wait(&self, app: &App, counting: bool) -> Duration {
        if app.computing() {
            Duration::from_millis(50)
        } else if self.indexing {
            if app.index_busy { Duration::from_millis(250) } else { Duration::ZERO }
        } else if counting {
            Duration::from_millis(10)
        } else {
            IDLE
        }
    }

    /// No key came: a batch of indexing, or the checkpoint owed after a quiet spell.
    fn step(&mut self, app: &mut App, counted: bool) {
        if self.indexing {
            self.indexing = app.index_step(INDEX_BATCH);
            let _ = app.store().checkpoint();
        } else if self.dirty && counted && self.last_input.elapsed() >= IDLE {
            let _ = app.store().checkpoint();
            self.dirty = false;
        }
    }
}

/// The pending count worked out in the background, once it is there: true when it came (the
/// screen is drawn again with it).
fn take_count(app: &mut App, counter: &mut Option<std::sync::mpsc::Receiver<Result<u64, StoreError>>>) -> bool {
    let Some(rx) = counter else { return false };
    match rx.try_recv() {
        Ok(Ok(n)) => {
            app.set_pending_count(n);
            *counter = None;
            true
        }
        Ok(Err(e)) => {
            app.notice = Some(Notice { level: Level::Warning, text: format!("cannot count: {e}") });
            *counter = None;
            false
        }
        Err(std::sync::mpsc::TryRecvError::Empty) => false,
        Err(std::sync::mpsc::TryRecvError::Disconnected) => {
            *counter = None;
            false
        }
    }
}

/// Takes every event already waiting before the next frame, so a burst (typed fast, or text
/// pasted where the terminal does not mark pastes) goes in as fast as it came rather than one
/// frame a key; for at most a frame's time ([`BURST`]), so the screen follows.
fn take_burst(
    app: &mut App,
    terminal: &mut Terminal,
    signals: &signals::Signals,
    opened: &std::sync::mpsc::Sender<(String, String)>,
) -> Result<(), RunError> {
    let burst = std::time::Instant::now();
    let mut next = Some(event::read().map_err(RunError::gone)?);
    while let Some(ev) = next.take() {
        match ev {
            Event::Key(key) => app.on_key(key),
            Event::Paste(text) => {
                let (text, after) = rest_of_paste(text)?;
                app.on_paste(&text);
                next = after;
            }
            Event::Mouse(ev) => app.on_mouse(ev),
            Event::Resize(..) => {
                if let Some(said) = terminal.fit()? {
                    app.notice = Some(Notice { level: Level::Info, text: said });
                }
            }
            _ => {}
        }
        carry_out(app, terminal, signals, opened)?;
        let more = next.is_none() && !app.quit && !signals.pending() && burst.elapsed() < BURST;
        if more && terminal.poll(Duration::ZERO)? {
            next = Some(event::read().map_err(RunError::gone)?);
        }
    }
    Ok(())
}

/// The longest a burst of waiting events is taken before the screen is drawn again.
const BURST: Duration = Duration::from_millis(30);
/// What arrives this soon after a paste ends is more of it: no one types that fast.
const PASTE_TAIL: Duration = Duration::from_millis(5);

/// A paste, with what came right behind it. A pasted text that carries its own end marker
/// (`ESC[201~`) would otherwise go on as keys that could decide: the text keys and line ends
/// arriving within [`PASTE_TAIL`] of each other are added to it (up to the field limit), other
/// keys are dropped; the first event of another kind is handed back.
fn rest_of_paste(mut text: String) -> Result<(String, Option<Event>), RunError> {
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};
    let start = std::time::Instant::now();
    while start.elapsed() < Duration::from_secs(1) && event::poll(PASTE_TAIL).map_err(RunError::gone)? {
        let room = text.len() < crate::model::MAX_FIELD_BYTES;
        match event::read().map_err(RunError::gone)? {
            Event::Paste(more) if room => text.push_str(&more),
            Event::Key(k) if room && (k.modifiers - KeyModifiers::SHIFT).is_empty() => match k.code {
                KeyCode::Char(c) => text.push(c),
                KeyCode::Enter => text.push('\n'),
                KeyCode::Tab => text.push('\t'),
                _ => {}
            },
            Event::Paste(_) | Event::Key(_) => {}
            other => return Ok((text, Some(other))),
        }
    }
    Ok((text, None))
}

/// Carries out the effect the last event asked for, if any.
fn carry_out(
    app: &mut App,
    terminal: &mut Terminal,
    signals: &signals::Signals,
    opened: &std::sync::mpsc::Sender<(String, String)>,
) -> Result<(), RunError> {
    match app.effect.take() {
        Some(Effect::Open(url)) => {
            if let Err(why) = open_url(&url, opened.clone()) {
                app.notice = Some(open_failed(&url, &why));
            }
        }
        Some(Effect::EditNotes { person_id, text }) => {
            let edited = terminal.suspended(|| edit_in_editor(&text, || signals.ending()))?;
            match edited {
                Ok(after) => app.finish_external_edit(person_id, &text, &after),
                Err(e) => app.notice = Some(Notice { level: Level::Error, text: format!("$EDITOR: {e}") }),
            }
        }
        Some(Effect::Suspend) => terminal.suspended(|| signals.stop_now())?.map_err(RunError::gone)?,
        None => {}
    }
    Ok(())
}

impl App<'_> {
    /// One step of catching up the search index; false when there is nothing left to do (or
    /// it failed: the search then scans the rows not indexed). When another process holds
    /// the write lock, nothing is done and the next step waits a little.
    pub fn index_step(&mut self, batch: usize) -> bool {
        match self.store_mut().search_index_step(batch) {
            Ok(more) => {
                self.index_busy = false;
                more
            }
            Err(StoreError::Busy { .. }) => {
                self.index_busy = true;
                true
            }
            Err(_) => false,
        }
    }
}

#[cfg(test)]
mod tests;
