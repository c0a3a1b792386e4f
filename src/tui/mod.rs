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
) -> Result<(), RunError> {
    // Asked now: once the terminal hangs up, it no longer answers whether it is one.
    let stderr_on_terminal = io::IsTerminal::is_terminal(&io::stderr());
    let mut terminal = init().inspect_err(|_| {
        let _ = ratatui::try_restore();
    })?;
    // A paste arrives as one event of text, never as keys that could decide.
    let result = terminal_modes(true, mouse)
        .map_err(RunError::from)
        .and_then(|()| session(&mut terminal, store, checklist, keymap, theme, mouse));
    let restored = terminal_modes(false, mouse).and_then(|()| ratatui::try_restore());
    if restored.is_err() || input_ended() {
        detach_from_terminal(stderr_on_terminal);
    }
    drop(terminal);
    result
}

/// The most columns and rows the app draws: a window reporting more (10000×10000) would
/// otherwise cost gigabytes of screen buffers; the app draws its top-left corner and says so.
pub const MAX_DRAWN: (u16, u16) = (1000, 400);

/// The part of a `width`×`height` window the app draws.
fn drawn(width: u16, height: u16) -> ratatui::layout::Rect {
    ratatui::layout::Rect::new(0, 0, width.min(MAX_DRAWN.0), height.min(MAX_DRAWN.1))
}

/// Raw mode, the alternate screen, a panic hook that gives the terminal back (as ratatui's
/// `init` does), and a terminal drawing at most [`MAX_DRAWN`], resized by the loop.
fn init() -> io::Result<ratatui::DefaultTerminal> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = ratatui::try_restore();
        hook(info);
    }));
    terminal::enable_raw_mode()?;
    execute!(io::stdout(), terminal::EnterAlternateScreen)?;
    let (width, height) = terminal::size()?;
    let viewport = ratatui::Viewport::Fixed(drawn(width, height));
    ratatui::Terminal::with_options(
        ratatui::backend::CrosstermBackend::new(io::stdout()),
        ratatui::TerminalOptions { viewport },
    )
}

/// Points standard output (the app's terminal) and standard error when it was the terminal
/// too at `/dev/null` once the terminal is gone, so what still writes on the way out
/// (ratatui's cursor, the exit message) neither fails nor panics; a standard error redirected
/// to a file still gets the message.
fn detach_from_terminal(stderr_too: bool) {
    let Ok(null) = std::fs::OpenOptions::new().write(true).open("/dev/null") else { return };
    let _ = rustix::stdio::dup2_stdout(&null);
    if stderr_too {
        let _ = rustix::stdio::dup2_stderr(&null);
    }
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

/// The session's loop. Every failure of the terminal in it ends the session as a hang-up
/// would: what was recorded is already in the store.
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
        Some(_) => App::new_uncounted(store, checklist, keymap, theme, crate::clock::now())?,
        None => App::new(store, checklist, keymap, theme, crate::clock::now())?,
    };
    let mut counter = counter;
    let mut indexing = true;
    let mut dirty = false;
    let mut last_input = std::time::Instant::now();
    let signals = signals::Signals::install()?;
    // A browser that fails after it started says so here, whenever it does.
    let (opened, open_failures) = std::sync::mpsc::channel::<(String, String)>();
    let mut terminal = Terminal(terminal);
    if let Some(said) = terminal.fit()? {
        app.notice = Some(Notice { level: Level::Info, text: said });
    }
    loop {
        match signals.take() {
            Some(signals::Signal::End(sig)) => {
                let _ = app.store().checkpoint();
                return Err(RunError::Signal(sig));
            }
            Some(signals::Signal::Stop) => terminal.suspended(mouse, || signals.stop_now())?.map_err(RunError::gone)?,
            Some(signals::Signal::Resumed) => terminal.resume(mouse)?,
            None => {}
        }
        if let Ok((url, why)) = open_failures.try_recv() {
            app.notice = Some(open_failed(&url, &why));
        }
        app.ctx.now = crate::clock::now();
        terminal.draw(&app)?;
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
        if !terminal.poll(wait.min(signals::CHECK))? {
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
        // Every event already waiting is taken before the next frame, so a burst (typed
        // fast, or text pasted where the terminal does not mark pastes) goes in as fast as it
        // came rather than one frame a key; for at most a frame's time, so the screen follows.
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
            carry_out(&mut app, &mut terminal, &signals, mouse, &opened)?;
            let more = next.is_none() && !app.quit && !signals.pending() && burst.elapsed() < BURST;
            if more && terminal.poll(Duration::ZERO)? {
                next = Some(event::read().map_err(RunError::gone)?);
            }
        }
    }
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
        let room = text.len() < crate::import::MAX_FIELD_BYTES;
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
    mouse: bool,
    opened: &std::sync::mpsc::Sender<(String, String)>,
) -> Result<(), RunError> {
    match app.effect.take() {
        Some(Effect::Open(url)) => {
            if let Err(why) = open_url(&url, opened.clone()) {
                app.notice = Some(open_failed(&url, &why));
            }
        }
        Some(Effect::EditNotes { person_id, text }) => {
            let edited = terminal.suspended(mouse, || edit_in_editor(&text, || signals.ending()))?;
            match edited {
                Ok(after) => app.finish_external_edit(person_id, &text, &after),
                Err(e) => app.notice = Some(Notice { level: Level::Error, text: format!("$EDITOR: {e}") }),
            }
        }
        Some(Effect::Suspend) => terminal.suspended(mouse, || signals.stop_now())?.map_err(RunError::gone)?,
        None => {}
    }
    Ok(())
}

/// The terminal while the session runs: each way of using it, with its failures read as the
/// terminal going away.
struct Terminal<'t>(&'t mut ratatui::DefaultTerminal);

impl Terminal<'_> {
    /// Draws on as much of the window as [`drawn`] allows, after a resize (or a stop, during
    /// which it may have changed). Says so when the window is larger than that.
    fn fit(&mut self) -> Result<Option<String>, RunError> {
        let (width, height) = terminal::size().map_err(RunError::gone)?;
        let area = drawn(width, height);
        if area != self.0.get_frame().area() {
            self.0.resize(area).map_err(RunError::gone)?;
        }
        Ok((area.width < width || area.height < height).then(|| {
            format!(
                "this window is {width}×{height}; vetted draws its top-left {}×{} (the most it draws)",
                area.width, area.height
            )
        }))
    }

    fn draw(&mut self, app: &App) -> Result<(), RunError> {
        self.0.draw(|f| f.render_widget(app, f.area())).map(drop).map_err(RunError::gone)
    }

    /// Whether an event waits, looking at most `wait`. A terminal that hung up or reached the
    /// end of its input ends the session here, before the event reader is asked: crossterm's
    /// reader would read the end of input again and again without returning.
    fn poll(&self, wait: Duration) -> Result<bool, RunError> {
        if input_ended() {
            return Err(RunError::HungUp("its input ended".into()));
        }
        // crossterm's /dev/tty reader reads nothing within a zero wait: at least a millisecond.
        event::poll(wait.max(Duration::from_millis(1))).map_err(RunError::gone)
    }

    /// After a stop the app could not see (SIGSTOP, then `fg`): the shell gave the terminal its
    /// own modes meanwhile, so raw mode, the alternate screen and a full redraw again.
    fn resume(&mut self, mouse: bool) -> Result<(), RunError> {
        let mut again = || -> io::Result<()> {
            execute!(io::stdout(), terminal::EnterAlternateScreen, terminal::Clear(terminal::ClearType::All))?;
            terminal_modes(true, mouse)?;
            // crossterm skips enabling raw mode when it believes it is on: off, then on.
            terminal::disable_raw_mode()?;
            terminal::enable_raw_mode()?;
            self.0.draw(|f| f.render_widget(ratatui::widgets::Clear, f.area())).map(drop)
        };
        again().map_err(RunError::gone)?;
        self.fit().map(drop)
    }

    /// Leaves the TUI (raw mode, alternate screen) while `f` runs, then comes back.
    fn suspended<T>(&mut self, mouse: bool, f: impl FnOnce() -> T) -> Result<T, RunError> {
        let out = suspended(self.0, mouse, f).map_err(RunError::gone)?;
        self.fit()?;
        Ok(out)
    }
}

/// Whether the terminal the keys come from hung up or was closed (the reader would see the
/// end of its input). Standard input is that terminal: the app starts only on one.
fn input_ended() -> bool {
    use rustix::event::{PollFd, PollFlags, poll};
    let stdin = rustix::stdio::stdin();
    let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
    match poll(&mut fds, Some(&rustix::event::Timespec { tv_sec: 0, tv_nsec: 0 })) {
        Ok(_) => fds[0].revents().intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL),
        Err(_) => false,
    }
}

/// What the app says when a profile could not be opened: the whole address first, so it can
/// be copied by hand, and on the clipboard where the terminal takes OSC 52 (others ignore it).
fn open_failed(url: &str, why: &str) -> Notice {
    let copied = offer_to_clipboard(url).is_ok();
    let text = format!(
        "{} — could not open it: {}{}",
        crate::text::line(url),
        crate::text::line(why),
        if copied { "; the address is offered to the clipboard" } else { "" },
    );
    Notice { level: Level::Error, text }
}

/// Opens a profile with `$BROWSER` when it is set (run through the shell, so `BROWSER="firefox
/// --new-tab"` works), else with the system's opener (which the `open` crate watches a moment
/// for a failure). A `$BROWSER` that fails, however late, is sent on `failed` in words; the app
/// never waits for it.
fn open_url(url: &str, failed: std::sync::mpsc::Sender<(String, String)>) -> Result<(), String> {
    let Some(browser) = std::env::var("BROWSER").ok().filter(|b| !b.trim().is_empty()) else {
        return open::that_detached(url).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => {
                "no program to open web pages was found (install xdg-open, or set $BROWSER)".into()
            }
            _ => "the system's opener failed (set $BROWSER to choose a browser)".into(),
        });
    };
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{browser} \"$1\""))
        .arg("sh")
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run a shell for $BROWSER: {e}"))?;
    let url = url.to_string();
    std::thread::spawn(move || {
        let why = match child.wait() {
            Ok(status) if status.success() => return,
            Ok(status) => match status.code() {
                Some(127) => format!("$BROWSER ({browser}) was not found"),
                Some(code) => format!("$BROWSER ({browser}) failed with exit code {code}"),
                None => format!("$BROWSER ({browser}) was ended by a signal"),
            },
            Err(e) => format!("$BROWSER ({browser}): {e}"),
        };
        let _ = failed.send((url, why));
    });
    Ok(())
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
/// it through the shell (so `EDITOR="code -w"` works), and reads it back. When `ending` turns
/// true (a signal that ends the session), the editor is ended and nothing is read back.
fn edit_in_editor(text: &str, ending: impl Fn() -> bool) -> io::Result<String> {
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
    // The file ends with a line end, as editors and POSIX tools expect of a text file.
    let mut contents = text.to_owned();
    if !contents.is_empty() && !contents.ends_with('\n') {
        contents.push('\n');
    }
    std::fs::write(&path, &contents)?;
    // `exec`: the editor is the shell's own process, so a hang-up sent to it reaches the editor.
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("exec {editor} \"$1\""))
        .arg("sh")
        .arg(&path)
        .spawn()
        .and_then(|child| wait_unless(child, ending));
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

/// Waits for `child`; when `ending` turns true first, hangs it up and reports that it was
/// ended, so a signal that ends the session is not kept waiting by an editor that never saw it.
fn wait_unless(mut child: std::process::Child, ending: impl Fn() -> bool) -> io::Result<std::process::ExitStatus> {
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(status);
        }
        if ending() {
            let pid = rustix::process::Pid::from_child(&child);
            let _ = rustix::process::kill_process(pid, rustix::process::Signal::HUP);
            child.wait()?;
            return Err(io::Error::other("ended with the session"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
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
