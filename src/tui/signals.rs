//! Signals while the review app owns the terminal. SIGTERM, SIGHUP, SIGINT and SIGQUIT end the
//! session the ordinary way (the terminal given back, the store checkpointed); SIGTSTP stops
//! the app only after the terminal is given back; SIGCONT (after a stop the app could not see,
//! SIGSTOP) takes the terminal again. The handlers only set flags; the event loop, which looks
//! at them at least every [`CHECK`], does the work.

use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP};
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

/// The longest the event loop waits before it looks at the flags again.
pub const CHECK: Duration = Duration::from_millis(100);

pub struct Signals {
    ended: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    resumed: Arc<AtomicBool>,
    ids: Vec<signal_hook::SigId>,
}

/// What the loop should do.
#[derive(Debug, PartialEq, Eq)]
pub enum Signal {
    /// End the session: the signal's number.
    End(i32),
    /// Give the terminal back, then stop.
    Stop,
    /// Came back from a stop the app did not see: take the terminal again.
    Resumed,
}

impl Signals {
    pub fn install() -> io::Result<Signals> {
        let (ended, stop, resumed) = (Arc::new(AtomicUsize::new(0)), Arc::default(), Arc::default());
        let mut ids = Vec::new();
        for sig in [SIGTERM, SIGHUP, SIGINT, SIGQUIT] {
            ids.push(signal_hook::flag::register_usize(sig, ended.clone(), sig as usize)?);
        }
        ids.push(signal_hook::flag::register(SIGTSTP, Arc::clone(&stop))?);
        ids.push(signal_hook::flag::register(SIGCONT, Arc::clone(&resumed))?);
        Ok(Signals { ended, stop, resumed, ids })
    }

    /// The signal waiting to be dealt with, if any (the ending ones first).
    pub fn take(&self) -> Option<Signal> {
        match self.ended.swap(0, Ordering::SeqCst) {
            0 => {}
            sig => return Some(Signal::End(sig as i32)),
        }
        if self.stop.swap(false, Ordering::SeqCst) {
            self.resumed.store(false, Ordering::SeqCst);
            return Some(Signal::Stop);
        }
        self.resumed.swap(false, Ordering::SeqCst).then_some(Signal::Resumed)
    }

    /// Whether a signal that ends the session has arrived (left for [`Signals::take`]).
    pub fn ending(&self) -> bool {
        self.ended.load(Ordering::SeqCst) != 0
    }

    /// Stops the process as SIGTSTP would have (the terminal already given back); returns when
    /// the shell continues it.
    pub fn stop_now(&self) -> io::Result<()> {
        signal_hook::low_level::emulate_default_handler(SIGTSTP)?;
        self.resumed.store(false, Ordering::SeqCst); // this SIGCONT is the one we waited for
        Ok(())
    }
}

impl Drop for Signals {
    fn drop(&mut self) {
        for id in self.ids.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}

/// A signal's name, for the message when it ended the session.
pub fn name(sig: i32) -> &'static str {
    match sig {
        SIGTERM => "SIGTERM",
        SIGHUP => "SIGHUP",
        SIGINT => "SIGINT",
        SIGQUIT => "SIGQUIT",
        _ => "a signal",
    }
}
