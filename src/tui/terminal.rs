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
pub(super) struct Terminal<'t>(pub(super) &'t mut ratatui::DefaultTerminal);

impl Terminal<'_> {
    /// Draws on as much of the window as [`drawn`] allows, after a resize (or a stop, during
    /// which it may have changed). Says so when the window is larger than that.
    pub(super) fn fit(&mut self) -> Result<Option<String>, RunError> {
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

    pub(super) fn draw(&mut self, app: &App) -> Result<(), RunError> {
        self.0.draw(|f| f.render_widget(app, f.area())).map(drop).map_err(RunError::gone)
    }

    /// Whether an event waits, looking at most `wait`. A terminal that hung up or reached the
    /// end of its input ends the session here, before the event reader is asked: crossterm's
    /// reader would read the end of input again and again without returning.
    pub(super) fn poll(&self, wait: Duration) -> Result<bool, RunError> {
        if input_ended() {
            return Err(RunError::HungUp("its input ended".into()));
        }
        // crossterm's /dev/tty reader reads nothing within a zero wait: at least a millisecond.
        event::poll(wait.max(Duration::from_millis(1))).map_err(RunError::gone)
    }

    /// After a stop the app could not see (SIGSTOP, then `fg`): the shell gave the terminal its
    /// own modes meanwhile, so raw mode, the alternate screen and a full redraw again.
    pub(super) fn resume(&mut self, mouse: bool) -> Result<(), RunError> {
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
    pub(super) fn suspended<T>(&mut self, mouse: bool, f: impl FnOnce() -> T) -> Result<T, RunError> {
        let out = suspended(self.0, mouse, f).map_err(RunError::gone)?;
        self.fit()?;
        Ok(out)
    }
}

/// Whether the terminal the keys come from hung up or was closed (the reader would see the
/// end of its input). Standard input is that terminal: the app starts only on one.
pub(super) fn input_ended() -> bool {
    use rustix::event::{PollFd, PollFlags, poll};
    let stdin = rustix::stdio::stdin();
    let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
    match poll(&mut fds, Some(&rustix::event::Timespec { tv_sec: 0, tv_nsec: 0 })) {
        Ok(_) => fds[0].revents().intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL),
        Err(_) => false,
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
