//! The terminal while the app owns it: taking it (raw mode, the alternate screen, a panic hook)
//! and giving it back, its modes, the drawn size (capped), reading events, and what to do when it
//! goes away — every failure of it in a session reads as a hang-up.

use super::{App, RunError};
use ratatui::crossterm::event;
use ratatui::crossterm::{execute, terminal};
use std::io;
use std::time::Duration;

/// The most columns and rows the app draws: a window reporting more (10000×10000) would
/// otherwise cost gigabytes of screen buffers; the app draws its top-left corner and says so.
pub const MAX_DRAWN: (u16, u16) = (1000, 400);

/// The part of a `width`×`height` window the app draws.
fn drawn(width: u16, height: u16) -> ratatui::layout::Rect {
    ratatui::layout::Rect::new(0, 0, width.min(MAX_DRAWN.0), height.min(MAX_DRAWN.1))
}

/// Raw mode, the alternate screen, a panic hook that gives the terminal back (as ratatui's
/// `init` does), and a terminal drawing at most [`MAX_DRAWN`], resized by the loop.
pub(super) fn init() -> io::Result<ratatui::DefaultTerminal> {
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
pub(super) fn detach_from_terminal(stderr_too: bool) {
    let Ok(null) = std::fs::OpenOptions::new().write(true).open("/dev/null") else { return };
    let _ = rustix::stdio::dup2_stdout(&null);
    if stderr_too {
        let _ = rustix::stdio::dup2_stderr(&null);
    }
}

/// Bracketed paste, and the mouse when it is wanted: on while the app owns the terminal.
pub(super) fn terminal_modes(on: bool, mouse: bool) -> io::Result<()> {
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

/// The terminal while the session runs: each way of using it, with its failures read as the
/// terminal going away.
pub(super) struct Terminal<'t> {
    inner: &'t mut ratatui::DefaultTerminal,
    input: Input,
    /// Whether the app takes the mouse (its mode is turned off and on again around a stop).
    mouse: bool,
    /// Since when the reader has taken input and given no event: it holds an unfinished
    /// sequence — for long, a paste begun (`ESC[200~`) that never ends.
    swallowing_since: Option<std::time::Instant>,
}

/// Input held this long with no event is no paste still arriving: the app ends it.
const HELD: Duration = Duration::from_secs(2);
/// After a held paste is ended, input is dropped until it has been quiet this long: the rest
/// of a paste cut short must not arrive as keys.
const QUIET: Duration = Duration::from_millis(500);

impl<'t> Terminal<'t> {
    pub(super) fn new(inner: &'t mut ratatui::DefaultTerminal, mouse: bool) -> Self {
        Terminal { inner, input: Input::take(), mouse, swallowing_since: None }
    }

    /// Whether input has gone into the reader for a while with nothing coming out: crossterm
    /// keeps everything after a paste's start marker until its end marker, `ctrl-c` included,
    /// and has no way to be told to stop ([`Terminal::end_held_input`] ends it).
    pub(super) fn swallowing(&self) -> bool {
        self.swallowing_since.is_some_and(|since| since.elapsed() >= HELD)
    }

    /// Ends input the reader has held with no event, a paste begun (`ESC[200~`) whose end
    /// never came: the end marker is handed to the reader on a pipe of its own, standing in
    /// for the terminal for that one read (what waits in the terminal's queue stays there),
    /// and what the reader held is dropped, never taken as keys or text. Then input is
    /// dropped until it has been quiet for [`QUIET`], or `ending` says a signal came. Gives
    /// the number of characters dropped.
    pub(super) fn end_held_input(&mut self, ending: impl Fn() -> bool) -> Result<usize, RunError> {
        use rustix::pipe::{PipeFlags, pipe_with};
        self.swallowing_since = None;
        let mut dropped = 0;
        let (read, write) = pipe_with(PipeFlags::NONBLOCK | PipeFlags::CLOEXEC).map_err(io::Error::from)?;
        rustix::io::write(&write, b"\x1b[201~").map_err(io::Error::from)?;
        let terminal_input = rustix::io::fcntl_dupfd_cloexec(rustix::stdio::stdin(), 3).map_err(io::Error::from)?;
        rustix::stdio::dup2_stdin(&read).map_err(io::Error::from)?;
        let ended = (|| -> io::Result<()> {
            while event::poll(Duration::from_millis(20))? {
                match event::read()? {
                    event::Event::Paste(text) => {
                        dropped += text.chars().count();
                        break;
                    }
                    _ => dropped += 1,
                }
            }
            Ok(())
        })();
        rustix::stdio::dup2_stdin(&terminal_input).map_err(io::Error::from)?;
        drop(write);
        ended.map_err(RunError::gone)?;
        while !ending() && self.poll(QUIET)? {
            event::read().map_err(RunError::gone)?;
            dropped += 1;
        }
        Ok(dropped)
    }

    /// Draws on as much of the window as [`drawn`] allows, after a resize (or a stop, during
    /// which it may have changed). Says so when the window is larger than that.
    pub(super) fn fit(&mut self) -> Result<Option<String>, RunError> {
        let (width, height) = terminal::size().map_err(RunError::gone)?;
        let area = drawn(width, height);
        if area != self.inner.get_frame().area() {
            self.inner.resize(area).map_err(RunError::gone)?;
        }
        Ok((area.width < width || area.height < height).then(|| {
            format!(
                "this window is {width}×{height}; vetted draws its top-left {}×{} (the most it draws)",
                area.width, area.height
            )
        }))
    }

    pub(super) fn draw(&mut self, app: &App) -> Result<(), RunError> {
        self.inner.draw(|f| f.render_widget(app, f.area())).map(drop).map_err(RunError::gone)
    }

    /// Whether an event waits, looking at most `wait`. A terminal that hung up or reached the
    /// end of its input ends the session here, before the event reader is asked: crossterm's
    /// reader would read the end of input again and again without returning.
    pub(super) fn poll(&mut self, wait: Duration) -> Result<bool, RunError> {
        // The waiting is done here, on the terminal itself, so that what arrives is seen going
        // in; crossterm then reads it (its /dev/tty reader reads nothing within a zero wait).
        let (ended, waiting) = input_state(wait);
        if ended {
            return Err(RunError::HungUp("its input ended".into()));
        }
        let event = event::poll(Duration::from_millis(1)).map_err(RunError::gone)?;
        match (event, waiting) {
            (true, _) => self.swallowing_since = None,
            (false, true) => {
                self.swallowing_since.get_or_insert_with(std::time::Instant::now);
            }
            (false, false) => {}
        }
        Ok(event)
    }

    /// After a stop the app could not see (SIGSTOP, then `fg`): the shell gave the terminal its
    /// own modes meanwhile, so raw mode, the alternate screen and a full redraw again.
    pub(super) fn resume(&mut self) -> Result<(), RunError> {
        let mouse = self.mouse;
        let mut again = || -> io::Result<()> {
            execute!(io::stdout(), terminal::EnterAlternateScreen, terminal::Clear(terminal::ClearType::All))?;
            terminal_modes(true, mouse)?;
            // crossterm skips enabling raw mode when it believes it is on: off, then on.
            terminal::disable_raw_mode()?;
            terminal::enable_raw_mode()?;
            self.inner.draw(|f| f.render_widget(ratatui::widgets::Clear, f.area())).map(drop)
        };
        again().map_err(RunError::gone)?;
        self.fit().map(drop)
    }

    /// Leaves the TUI (raw mode, alternate screen) while `f` runs, then comes back.
    pub(super) fn suspended<T>(&mut self, f: impl FnOnce() -> T) -> Result<T, RunError> {
        let input = &self.input;
        let out = suspended(self.inner, self.mouse, || {
            input.give_back();
            let out = f();
            input.take_again();
            out
        })
        .map_err(RunError::gone)?;
        self.fit()?;
        Ok(out)
    }
}

/// Whether the terminal the keys come from hung up or was closed (the reader would see the
/// end of its input). Standard input is that terminal: the app starts only on one.
pub(super) fn input_ended() -> bool {
    input_state(Duration::ZERO).0
}

/// The terminal's input as the app reads it: a description of `/dev/tty` of its own, that
/// does not block, on standard input while the session runs. crossterm's reader reads again
/// after a read that gave no event, and on a blocking terminal that read waits for the next
/// key: an unfinished sequence (a paste begun, `ESC[200~`, never ended) would hold the app,
/// deaf to keys and signals. The shell's own description is never changed (a `kill -9` leaves
/// it as it was), and programs the app runs get it back.
struct Input {
    /// Standard input as it was, and the app's own; `None` when `/dev/tty` cannot be opened
    /// (no controlling terminal): the reads then block as before.
    fds: Option<(std::os::fd::OwnedFd, std::os::fd::OwnedFd)>,
}

impl Input {
    fn take() -> Input {
        use rustix::fs::{Mode, OFlags, open};
        let fds = (|| {
            let own =
                open("/dev/tty", OFlags::RDWR | OFlags::NONBLOCK | OFlags::CLOEXEC | OFlags::NOCTTY, Mode::empty())
                    .ok()?;
            let saved = rustix::io::fcntl_dupfd_cloexec(rustix::stdio::stdin(), 3).ok()?;
            rustix::stdio::dup2_stdin(&own).ok()?;
            Some((saved, own))
        })();
        Input { fds }
    }

    /// Standard input as it was, for a program the app runs or the shell during a stop.
    fn give_back(&self) {
        if let Some((saved, _)) = &self.fds {
            let _ = rustix::stdio::dup2_stdin(saved);
        }
    }

    fn take_again(&self) {
        if let Some((_, own)) = &self.fds {
            let _ = rustix::stdio::dup2_stdin(own);
        }
    }
}

impl Drop for Input {
    fn drop(&mut self) {
        self.give_back();
    }
}

/// Whether the terminal's input ended (hung up, closed), and whether bytes wait to be read,
/// waiting at most `wait` for either.
fn input_state(wait: Duration) -> (bool, bool) {
    use rustix::event::{PollFd, PollFlags, poll};
    let stdin = rustix::stdio::stdin();
    let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
    let timeout = rustix::event::Timespec { tv_sec: wait.as_secs() as i64, tv_nsec: wait.subsec_nanos() as i64 };
    match poll(&mut fds, Some(&timeout)) {
        Ok(_) => {
            let got = fds[0].revents();
            (got.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL), got.contains(PollFlags::IN))
        }
        Err(_) => (false, false),
    }
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
