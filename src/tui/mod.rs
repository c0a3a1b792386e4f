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
pub mod paged;
mod present;
pub mod prompt;
pub mod screens;
pub mod session;
mod signals;
pub mod theme;

pub use action::{Action, KeyMode};
pub use app::{App, Mode, update};
pub use keymap::{Key, Keymap, KeymapError};
pub use screens::Effect;
pub use theme::{Theme, ThemeError};

use crate::checklist::Checklist;
use crate::store::{Store, StoreError};
use ratatui::crossterm::event::{self, Event};
use ratatui::crossterm::{execute, terminal};
use screens::{Level, Notice};
use std::io;
use std::time::Duration;

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
) -> Result<(), RunError> {
    let mut terminal = ratatui::try_init()?;
    // A paste arrives as one event of text, never as keys that could decide.
    let result = terminal_modes(true, mouse)
        .map_err(RunError::from)
        .and_then(|()| session(&mut terminal, store, checklist, keymap, theme, mouse));
    let _ = terminal_modes(false, mouse);
    ratatui::restore();
    result
}

/// Bracketed paste, and the mouse when it is wanted: on while the app owns the terminal.
fn terminal_modes(on: bool, mouse: bool) -> io::Result<()> {
    let mut out = io::stdout();
    if on {
        execute!(out, event::EnableBracketedPaste)?;
        if mouse {
            execute!(out, event::EnableMouseCapture)?;
        }
    } else {
        execute!(out, event::DisableBracketedPaste)?;
        if mouse {
            execute!(out, event::DisableMouseCapture)?;
        }
    }
    Ok(())
}

fn session(
    terminal: &mut ratatui::DefaultTerminal,
    store: &mut Store,
    checklist: &Checklist,
    keymap: Keymap,
    theme: Theme,
    mouse: bool,
) -> Result<(), RunError> {
    // The first frame does not wait for the count of pending requests.
    let counter = store.count_pending_in_background();
    store.set_autocheckpoint(AUTOCHECKPOINT_PAGES)?;
    let mut app = match counter {
        Some(_) => App::new_uncounted(store, checklist, keymap, theme, jiff::Timestamp::now())?,
        None => App::new(store, checklist, keymap, theme, jiff::Timestamp::now())?,
    };
    let mut counter = counter;
    let mut indexing = true;
    let mut dirty = false;
    let mut last_input = std::time::Instant::now();
    let signals = signals::Signals::install()?;
    loop {
        match signals.take() {
            Some(signals::Signal::End(sig)) => {
                let _ = app.store().checkpoint();
                return Err(RunError::Signal(sig));
            }
            Some(signals::Signal::Stop) => suspended(terminal, mouse, || signals.stop_now())??,
            Some(signals::Signal::Resumed) => resume(terminal, mouse)?,
            None => {}
        }
        app.ctx.now = jiff::Timestamp::now();
        terminal.draw(|f| f.render_widget(&app, f.area()))?;
        if app.quit {
            let _ = app.store().checkpoint();
            return Ok(());
        }
        if let Some(rx) = &counter {
            match rx.try_recv() {
                Ok(Ok(n)) => {
                    app.set_pending_count(n);
                    counter = None;
                    continue;
                }
                Ok(Err(e)) => {
                    app.notice = Some(Notice { level: Level::Warning, text: format!("cannot count: {e}") });
                    counter = None;
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => {}
                Err(std::sync::mpsc::TryRecvError::Disconnected) => counter = None,
            }
        }
        if app.poll_background() {
            continue;
        }
        // While the search index has a backlog, index a batch whenever no key is waiting.
        let wait = if app.computing() {
            Duration::from_millis(50)
        } else if indexing {
            if app.index_busy { Duration::from_millis(250) } else { Duration::ZERO }
        } else if counter.is_some() {
            Duration::from_millis(10)
        } else {
            IDLE
        };
        if !event::poll(wait.min(signals::CHECK))? {
            if app.mode() == Mode::Normal && app.notice_outside_changes() {
                continue; // another process changed the store: drawn again from it
            }
            if indexing {
                indexing = app.index_step(INDEX_BATCH);
                let _ = app.store().checkpoint();
            } else if dirty && counter.is_none() && last_input.elapsed() >= IDLE {
                let _ = app.store().checkpoint();
                dirty = false;
            }
            continue;
        }
        dirty = true;
        last_input = std::time::Instant::now();
        match event::read()? {
            Event::Key(key) => app.on_key(key),
            Event::Paste(text) => app.on_paste(&text),
            Event::Mouse(ev) => app.on_mouse(ev),
            Event::Resize(..) => {}
            _ => continue,
        }
        match app.effect.take() {
            Some(Effect::Open(url)) => {
                if let Err(e) = open_url(&url) {
                    // The whole address, so it can be copied by hand, and on the clipboard
                    // where the terminal takes OSC 52 (the others ignore it).
                    let copied = offer_to_clipboard(&url).is_ok();
                    let text = format!(
                        "cannot open it ({}); the address{}: {}",
                        crate::text::line(&e.to_string()),
                        if copied { " (offered to the clipboard)" } else { "" },
                        crate::text::line(&url)
                    );
                    app.notice = Some(Notice { level: Level::Error, text });
                }
            }
            Some(Effect::EditNotes { person_id, text }) => {
                let edited = suspended(terminal, mouse, || edit_in_editor(&text))?;
                match edited {
                    Ok(after) => app.finish_external_edit(person_id, &text, &after),
                    Err(e) => app.notice = Some(Notice { level: Level::Error, text: format!("$EDITOR: {e}") }),
                }
            }
            Some(Effect::Suspend) => suspended(terminal, mouse, || signals.stop_now())??,
            None => {}
        }
    }
}

/// After a stop the app could not see (SIGSTOP): raw mode, the alternate screen and a full
/// redraw again.
fn resume(terminal: &mut ratatui::DefaultTerminal, mouse: bool) -> io::Result<()> {
    execute!(io::stdout(), terminal::EnterAlternateScreen, terminal::Clear(terminal::ClearType::All))?;
    terminal_modes(true, mouse)?;
    terminal::enable_raw_mode()?;
    terminal.draw(|f| f.render_widget(ratatui::widgets::Clear, f.area()))?;
    Ok(())
}

/// Opens a profile with `$BROWSER` when it is set (run through the shell, so `BROWSER="firefox
/// --new-tab"` works), else with the system's opener. Neither waits for the browser.
fn open_url(url: &str) -> io::Result<()> {
    match std::env::var("BROWSER").ok().filter(|b| !b.trim().is_empty()) {
        Some(browser) => std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("{browser} \"$1\""))
            .arg("sh")
            .arg(url)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map(|mut child| {
                std::thread::spawn(move || child.wait()); // reaped, never waited for here
            }),
        None => open::that_detached(url),
    }
}

/// Puts a (checked, plain) web address on the clipboard through OSC 52.
fn offer_to_clipboard(url: &str) -> io::Result<()> {
    use base64::Engine;
    use std::io::Write;
    let encoded = base64::engine::general_purpose::STANDARD.encode(url);
    let mut out = io::stdout();
    write!(out, "\x1b]52;c;{encoded}\x07")?;
    out.flush()
}

/// Leaves the TUI (raw mode, alternate screen) while `f` runs, then comes back.
fn suspended<T>(terminal: &mut ratatui::DefaultTerminal, mouse: bool, f: impl FnOnce() -> T) -> io::Result<T> {
    terminal::disable_raw_mode()?;
    terminal_modes(false, mouse)?;
    execute!(io::stdout(), terminal::LeaveAlternateScreen)?;
    let out = f();
    execute!(io::stdout(), terminal::EnterAlternateScreen, terminal::Clear(terminal::ClearType::All))?;
    terminal_modes(true, mouse)?;
    terminal::enable_raw_mode()?;
    // Forget the last frame so the next draw repaints everything. (`Terminal::clear` would
    // ask the terminal for the cursor position, which not every terminal answers.)
    terminal.draw(|f| f.render_widget(ratatui::widgets::Clear, f.area()))?;
    Ok(out)
}

/// Writes `text` to a private temporary file, runs `$VISUAL` / `$EDITOR` (default `vi`) on
/// it through the shell (so `EDITOR="code -w"` works), and reads it back.
fn edit_in_editor(text: &str) -> io::Result<String> {
    use std::io::Read;
    let editor = std::env::var("VISUAL")
        .ok()
        .filter(|e| !e.trim().is_empty())
        .or_else(|| std::env::var("EDITOR").ok().filter(|e| !e.trim().is_empty()))
        .unwrap_or_else(|| "vi".into());
    // A private folder (0700), removed with the file on every way out of this function.
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::Builder::new()
        .prefix("vetted-notes-")
        .permissions(std::fs::Permissions::from_mode(0o700))
        .tempdir()?;
    let path = dir.path().join("notes.md");
    std::fs::write(&path, text)?;
    let status =
        std::process::Command::new("sh").arg("-c").arg(format!("{editor} \"$1\"")).arg("sh").arg(&path).status();
    let result = match status {
        Ok(s) if s.success() => {
            // Read no more than the field limit (and one byte to tell it was over).
            let limit = crate::import::MAX_FIELD_BYTES;
            let mut after = Vec::new();
            std::fs::File::open(&path)?.take(limit as u64 + 1).read_to_end(&mut after)?;
            if after.len() > limit {
                return Err(io::Error::other(format!(
                    "the notes are over the {} KiB limit of a field; NOT saved",
                    limit / 1024
                )));
            }
            String::from_utf8(after).map_err(|_| io::Error::other("the notes are not UTF-8 text; NOT saved"))
        }
        Ok(s) => Err(io::Error::other(format!("{editor} exited with {s}; notes unchanged"))),
        Err(e) => Err(io::Error::other(format!("cannot run {editor}: {e}"))),
    };
    drop(dir);
    result
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
