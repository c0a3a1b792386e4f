//! The programs outside the app it hands work to: the browser for a profile, `$EDITOR` for
//! notes. Neither can block the session: a browser's failure comes back on a channel, an editor
//! is ended when a signal ends the session.

use super::screens::{Level, Notice};
use std::io;
use std::time::Duration;

/// What the app says when a profile could not be opened: the whole address first, so it can
/// be copied by hand, and on the clipboard where the terminal takes OSC 52 (others ignore it).
pub(super) fn open_failed(url: &str, why: &str) -> Notice {
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
pub(super) fn open_url(url: &str, failed: std::sync::mpsc::Sender<(String, String)>) -> Result<(), String> {
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

/// Writes `text` to a private temporary file, runs `$VISUAL` / `$EDITOR` (default `vi`) on
/// it through the shell (so `EDITOR="code -w"` works), and reads it back. When `ending` turns
/// true (a signal that ends the session), the editor is ended and nothing is read back.
pub(super) fn edit_in_editor(text: &str, ending: impl Fn() -> bool) -> io::Result<String> {
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
            let limit = crate::model::MAX_FIELD_BYTES;
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
