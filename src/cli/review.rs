//! `vetted` (review) and `vetted demo`: the review app, on your store or on sample data in a
//! throwaway one; one setup for both.

use super::Setup;
use crate::checklist::Checklist;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::tui::{Keymap, Settings, Theme};
use std::io::IsTerminal;

/// Which store the app opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum On {
    /// The user's store.
    Yours,
    /// Built-in sample data in a throwaway folder.
    Demo,
}

/// The keymap, theme and checklist are checked before the store and the terminal.
pub fn run(setup: &Setup, on: On) -> Result<()> {
    let (keymap, theme) = (
        Keymap::from_config(&setup.config, &setup.paths.config)?,
        Theme::from_config(&setup.config, &setup.paths.config, Theme::no_color_env())?,
    );
    let checklist = setup.checklist()?;
    need_a_terminal()?;
    let mouse = setup.config.mouse.unwrap_or(true);
    let preview = setup.config.message_preview.unwrap_or(false);
    match on {
        On::Yours => {
            let synced = setup.config.sync.unwrap_or(false);
            let mut store = setup.writable()?;
            if synced {
                super::sync::around_the_app(setup, &mut store, "as the app opened");
            }
            let settings = Settings { file: Some(setup.paths.config.clone()), preview };
            review(store, &checklist, (keymap, theme, settings), mouse)?;
            if synced {
                super::sync::around_the_app(setup, &mut setup.writable()?, "after the app closed");
            }
            Ok(())
        }
        On::Demo => {
            let (_dir, store) = crate::demo::open_with(&checklist)?; // the folder is removed when `_dir` drops
            // A try-out: the keys change settings for this session, never the user's file.
            review(store, &checklist, (keymap, theme, Settings { file: None, preview }), mouse)
        }
    }
}

/// The review session: brings back the deferrals that are due, then runs the app.
pub fn review(
    mut store: Store,
    checklist: &Checklist,
    (keymap, theme, settings): (Keymap, Theme, Settings),
    mouse: bool,
) -> Result<()> {
    store.release_due_deferrals(&crate::clock::now_stored())?;
    crate::tui::run(&mut store, checklist, keymap, theme, mouse, settings).map_err(|e| match e {
        crate::tui::RunError::Store(e) => Error::Store(e),
        crate::tui::RunError::Io(e) => Error::io("the terminal", e),
        e @ crate::tui::RunError::Signal(sig) => Error::Signal { sig, message: e.to_string() },
        // As a hang-up ends it: exit 129.
        e @ crate::tui::RunError::HungUp(_) => {
            Error::Signal { sig: signal_hook::consts::SIGHUP, message: e.to_string() }
        }
    })
}

/// The review app draws on a terminal and reads keys from one (checked after the config, whose
/// mistakes are said first).
fn need_a_terminal() -> Result<()> {
    if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() {
        return Ok(());
    }
    Err(Error::Usage(
        "the review app needs a terminal (standard input and output); without one, `vetted list`, \
         `vetted decide` and `vetted log` do the same work"
            .into(),
    ))
}
