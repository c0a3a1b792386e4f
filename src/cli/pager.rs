//! Long output on a terminal through a pager, as git does: `vetted list` and `vetted log`
//! write into `$PAGER` (default `less`, with `LESS=FRX` when `LESS` is unset, so one screen's
//! worth is simply printed, colour passes and the screen is not cleared) when standard output is
//! a terminal. `--no-pager`, an empty `PAGER` or `PAGER=cat` print directly; a pager that
//! cannot be started falls back to printing.

use std::io::Write;
use std::process::{Child, ChildStdin, Command, Stdio};

/// Which pager to run, if any: `terminal` (standard output is one), `--no-pager`, and the
/// environment (`PAGER`).
pub fn choose(terminal: bool, no_pager: bool, env: impl Fn(&str) -> Option<String>) -> Option<String> {
    if !terminal || no_pager {
        return None;
    }
    let pager = env("PAGER").unwrap_or_else(|| "less".into());
    let pager = pager.trim();
    (!pager.is_empty() && pager != "cat").then(|| pager.to_string())
}

/// A running pager: what is written goes to its standard input.
pub struct Pager {
    child: Child,
    stdin: Option<ChildStdin>,
    signals: Vec<signal_hook::SigId>,
}

/// Shell characters that make a pager command need `sh -c` (as git's list, without the blank).
const SHELL_CHARS: &[char] =
    &['|', '&', ';', '<', '>', '(', ')', '$', '`', '\\', '"', '\'', '*', '?', '[', '#', '~', '=', '%'];

impl Pager {
    /// Starts `command` (split at blanks; through `sh -c` when it has shell syntax), its output
    /// on this terminal. `None` when it cannot be started: print directly then.
    pub fn start(command: &str) -> Option<Pager> {
        let through_shell = command.contains(SHELL_CHARS);
        let mut cmd = if through_shell {
            let mut sh = Command::new("sh");
            sh.arg("-c").arg(command);
            sh
        } else {
            let mut words = command.split_whitespace();
            let mut direct = Command::new(words.next()?);
            direct.args(words);
            direct
        };
        if std::env::var_os("LESS").is_none() {
            cmd.env("LESS", "FRX");
        }
        if std::env::var_os("LV").is_none() {
            cmd.env("LV", "-c");
        }
        let mut child = cmd.stdin(Stdio::piped()).spawn().ok()?;
        // Through the shell, a pager that cannot be found still starts (the shell does) and ends
        // at once: seen within a moment, the output is printed directly instead of lost.
        if through_shell {
            let start = std::time::Instant::now();
            while start.elapsed() < std::time::Duration::from_millis(100) {
                if child.try_wait().ok()?.is_some() {
                    return None;
                }
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        }
        let stdin = child.stdin.take();
        // Ctrl-C and Ctrl-\ are the pager's while it runs (less uses them): vetted must not die
        // and leave it reading the terminal behind the shell. Once the pager quits, the next
        // write fails with a closed pipe and vetted ends quietly.
        let caught = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let signals = [signal_hook::consts::SIGINT, signal_hook::consts::SIGQUIT]
            .into_iter()
            .filter_map(|sig| signal_hook::flag::register(sig, caught.clone()).ok())
            .collect();
        Some(Pager { child, stdin, signals })
    }
}

impl Write for Pager {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.stdin {
            Some(s) => s.write(buf),
            None => Err(std::io::ErrorKind::BrokenPipe.into()),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.stdin {
            Some(s) => s.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for Pager {
    /// Never leaves the pager behind on the terminal: the output ends, and the reader quits it.
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.wait();
        for id in self.signals.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pager_only_on_a_terminal_and_only_when_wanted() {
        let env =
            |pager: Option<&'static str>| move |k: &str| (k == "PAGER").then_some(pager).flatten().map(String::from);
        assert_eq!(choose(true, false, env(None)).as_deref(), Some("less"), "git's default");
        assert_eq!(choose(true, false, env(Some("most -s"))).as_deref(), Some("most -s"));
        assert_eq!(choose(false, false, env(Some("most"))), None, "never into a pipe");
        assert_eq!(choose(true, true, env(Some("most"))), None, "--no-pager");
        assert_eq!(choose(true, false, env(Some(""))), None, "an empty PAGER");
        assert_eq!(choose(true, false, env(Some(" cat "))), None, "PAGER=cat");
    }
}
