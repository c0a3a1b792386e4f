//! Colour in the command line's human output (`--color`): verdict words and warnings, on a
//! terminal unless `NO_COLOR`, `CLICOLOR=0` or `TERM=dumb` says no (`CLICOLOR_FORCE` forces it),
//! never in JSON, nor in a pipe unless forced.
//! Nothing is told by colour alone: the words are there either way. (The review app has its
//! own theme, `tui::theme`.)

use std::sync::atomic::{AtomicBool, Ordering};

/// `--color WHEN`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

static ON: AtomicBool = AtomicBool::new(false);

/// Whether to colour, from `--color`, the environment and whether stdout is a terminal.
/// `auto`: `NO_COLOR` (not empty) turns colour off; else `CLICOLOR_FORCE` (not empty, not `0`)
/// turns it on, even into a pipe; else `CLICOLOR=0` or `TERM=dumb` turn it off; else colour on
/// a terminal.
pub fn decide(choice: ColorChoice, terminal: bool, env: impl Fn(&str) -> Option<String>) -> bool {
    let set = |name: &str| env(name).is_some_and(|v| !v.is_empty() && v != "0");
    match choice {
        ColorChoice::Never => false,
        ColorChoice::Always => true,
        ColorChoice::Auto if env("NO_COLOR").is_some_and(|v| !v.is_empty()) => false,
        ColorChoice::Auto if set("CLICOLOR_FORCE") => true,
        ColorChoice::Auto => terminal && !colour_refused(&env),
    }
}

/// Whether the environment lets a terminal have colour (`--color auto` on a terminal).
pub fn colour_on_a_terminal(env: impl Fn(&str) -> Option<String>) -> bool {
    decide(ColorChoice::Auto, true, env)
}

/// `CLICOLOR=0` or `TERM=dumb`: the terminal or the user asks for no colour (the review app's
/// theme honours them too, with `NO_COLOR`).
pub fn colour_refused(env: &impl Fn(&str) -> Option<String>) -> bool {
    env("CLICOLOR").is_some_and(|v| v.trim() == "0") || env("TERM").is_some_and(|t| t.trim() == "dumb")
}

/// Turns colour on or off for this run.
pub fn set(on: bool) {
    ON.store(on, Ordering::Relaxed);
}

fn sgr(code: &str, text: &str) -> String {
    if ON.load(Ordering::Relaxed) { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() }
}

/// A status or verdict word (`accepted`, `declined`, …), padded to `width` before colouring.
pub fn status(word: &str, width: usize) -> String {
    let padded = format!("{word:<width$}");
    match word.trim_start_matches("undo → ") {
        "accepted" => sgr("32", &padded),
        "declined" => sgr("31", &padded),
        "deferred" => sgr("33", &padded),
        "connected" | "withdrawn" | "replaced" => sgr("2", &padded),
        _ => padded,
    }
}

/// A warning or an error's first word.
pub fn warning(text: &str) -> String {
    sgr("1;31", text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_colours_a_terminal_unless_no_color() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
        };
        assert!(decide(ColorChoice::Auto, true, env(&[])));
        assert!(!decide(ColorChoice::Auto, false, env(&[])));
        assert!(!decide(ColorChoice::Auto, true, env(&[("NO_COLOR", "1")])));
        assert!(decide(ColorChoice::Auto, true, env(&[("NO_COLOR", "")])), "an empty NO_COLOR is unset");
        assert!(decide(ColorChoice::Auto, false, env(&[("CLICOLOR_FORCE", "1")])));
        assert!(!decide(ColorChoice::Auto, false, env(&[("CLICOLOR_FORCE", "0")])));
        assert!(decide(ColorChoice::Always, false, env(&[("NO_COLOR", "1")])));
        assert!(!decide(ColorChoice::Never, true, env(&[("CLICOLOR_FORCE", "1")])));
        assert!(!decide(ColorChoice::Auto, true, env(&[("CLICOLOR", "0")])), "CLICOLOR=0");
        assert!(decide(ColorChoice::Auto, true, env(&[("CLICOLOR", "1")])));
        assert!(!decide(ColorChoice::Auto, true, env(&[("TERM", "dumb")])), "a dumb terminal");
        assert!(decide(ColorChoice::Auto, true, env(&[("TERM", "dumb"), ("CLICOLOR_FORCE", "1")])), "forced");
        assert!(decide(ColorChoice::Auto, true, env(&[("CLICOLOR", "0"), ("CLICOLOR_FORCE", "1")])), "forced");
        assert!(decide(ColorChoice::Always, true, env(&[("TERM", "dumb")])));
    }
}
