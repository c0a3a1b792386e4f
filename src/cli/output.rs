//! How the command line writes: one listing (a streamed JSON array, or lines for people), JSON
//! that is safe on a terminal, table cells, the pager, files created whole, and the exit code.
//! Every untrusted string printed for people goes through `text`.

use crate::error::{Error, Result};
use crate::text;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use unicode_width::UnicodeWidthStr;

/// Rows fetched per query when streaming a list: memory stays flat for any store size.
pub const PAGE: usize = 500;

/// An error writing the output.
pub fn out_err(e: std::io::Error) -> Error {
    Error::io("cannot write the output", e)
}

/// Serialises `value` as JSON that is safe to print on a terminal: characters that could
/// drive it (C1 controls, bidi and invisible characters) are written as `\uXXXX` escapes,
/// which any JSON reader decodes back to the original text.
pub fn json_safe<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let mut out = Vec::new();
    value
        .serialize(&mut serde_json::Serializer::with_formatter(&mut out, TerminalSafe))
        .expect("plain data serialises");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// Compact JSON that also escapes what serde_json leaves raw in strings (it escapes only C0
/// controls, `"` and `\`).
struct TerminalSafe;

impl serde_json::ser::Formatter for TerminalSafe {
    fn write_string_fragment<W: ?Sized + Write>(&mut self, out: &mut W, fragment: &str) -> std::io::Result<()> {
        text::write_json_str(out, fragment)
    }
}

/// Pads one-line text to `width` columns (cut with `…` when longer).
pub fn cell(s: &str, width: usize) -> String {
    let safe = text::line(s);
    let mut shown = text::truncate(&safe, width).into_owned();
    while shown.width() > width {
        shown.pop();
    }
    let pad = width.saturating_sub(shown.width());
    format!("{shown}{}", " ".repeat(pad))
}

/// The local day of a stored instant (`2026-11-25T…` → `2026-11-25` in the user's zone).
pub fn day(ts: &str) -> String {
    crate::clock::local_day(ts, crate::clock::zone())
}

/// Writes rows as a streamed JSON array, or one line each for people.
pub fn stream<T: serde::Serialize>(
    json: bool,
    out: &mut dyn Write,
    mut page: impl FnMut(Option<&T>) -> Result<Vec<T>>,
    line: impl Fn(&T) -> String,
    empty: &str,
) -> Result<()> {
    let mut listing = Listing::start(json, out)?;
    let mut last: Option<T> = None;
    loop {
        let rows = page(last.as_ref())?;
        let full = rows.len() == PAGE;
        for row in &rows {
            listing.item(row, &line)?;
        }
        if !full {
            break;
        }
        last = rows.into_iter().last();
    }
    listing.finish(empty)
}

/// Rows written as a JSON array (`--json`) or as lines for people, with a line of its own
/// when there are none.
pub struct Listing<'o> {
    json: bool,
    out: &'o mut dyn Write,
    first: bool,
}

impl<'o> Listing<'o> {
    pub fn start(json: bool, out: &'o mut dyn Write) -> Result<Self> {
        if json {
            out.write_all(b"[").map_err(out_err)?;
        }
        Ok(Listing { json, out, first: true })
    }

    pub fn item<T: serde::Serialize>(&mut self, row: &T, line: impl Fn(&T) -> String) -> Result<()> {
        if self.json {
            write!(self.out, "{}{}", if self.first { "\n" } else { ",\n" }, json_safe(row)).map_err(out_err)?;
        } else {
            writeln!(self.out, "{}", line(row)).map_err(out_err)?;
        }
        self.first = false;
        Ok(())
    }

    pub fn finish(self, empty: &str) -> Result<()> {
        if self.json {
            self.out.write_all(if self.first { b"]\n" } else { b"\n]\n" }).map_err(out_err)?;
        } else if self.first {
            writeln!(self.out, "{empty}").map_err(out_err)?;
        }
        Ok(())
    }
}

pub fn report_unreadable(unreadable: u64, what: &str) {
    if unreadable > 0 {
        eprintln!(
            "vetted: {unreadable} {what} could not be read (damaged pages); `vetted doctor` checks the file, \
             `vetted backup` copies what is readable"
        );
    }
}

/// Creates `path` whole or not at all: written to a private temporary file in the same folder,
/// then renamed into place, refusing to replace a file that exists. A full disk leaves no
/// partial file behind, and the error names `path`.
pub fn write_new_file(path: &std::path::Path, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    let shown = text::line(&path.display().to_string()).into_owned();
    if path.exists() {
        return Err(Error::Usage(format!("{shown}: already exists; vetted never overwrites it")));
    }
    // A write that fails is the target's (its disk is full): named as such.
    let failed = |action: &str, e: std::io::Error| match e.kind() {
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::FileTooLarge => {
            Error::Store(crate::store::StoreError::TargetFull { path: path.into() })
        }
        _ => Error::io(format!("{shown}: {action}"), e),
    };
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let tmp = crate::partial::Partial::create_in(dir).map_err(|e| failed("cannot create", e))?;
    let mut w = std::io::BufWriter::new(tmp.as_file());
    write(&mut w).map_err(|e| match e {
        Error::Store(crate::store::StoreError::Io { action, source, .. }) => failed(action, source),
        Error::Io { source, .. } => failed("cannot write", source),
        e => e,
    })?;
    w.into_inner()
        .map_err(|e| failed("cannot write", e.into_error()))?
        .sync_all()
        .map_err(|e| failed("cannot write", e))?;
    tmp.persist_noclobber(path).map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            Error::Usage(format!("{shown}: already exists; vetted never overwrites it"))
        } else {
            failed("cannot create", e.error)
        }
    })?;
    Ok(())
}

/// Runs `write` with its output through the pager when standard output is a terminal (unless
/// `--no-pager`, an empty `PAGER` or `PAGER=cat`); directly when the pager cannot start. The
/// pager is waited for before anything else is said.
pub fn paged(no_pager: bool, out: &mut dyn Write, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    let chosen = super::pager::choose(std::io::stdout().is_terminal(), no_pager, |k| std::env::var(k).ok());
    let Some(mut pager) = chosen.as_deref().and_then(super::pager::Pager::start) else {
        return write(out);
    };
    out.flush().map_err(|e| Error::io("cannot write the output", e))?;
    let mut buffered = std::io::BufWriter::new(&mut pager);
    let result = write(&mut buffered);
    let flushed = buffered.flush();
    drop(buffered);
    drop(pager); // waits for the reader to quit it
    result.and_then(|()| flushed.map_err(|e| Error::io("cannot write the output", e)))
}

/// Asks `question` on standard error and reads the answer from `input`: true when it is `yes`.
pub fn confirm(question: &str, input: &mut dyn std::io::BufRead) -> Result<bool> {
    let mut err = std::io::stderr();
    write!(err, "{question}? Type yes: ").map_err(out_err)?;
    err.flush().map_err(out_err)?;
    let mut answer = String::new();
    input.read_line(&mut answer).map_err(|e| Error::io("cannot read the answer", e))?;
    Ok(answer.trim() == "yes")
}

/// The end of a run: its exit code, and its error said on standard error.
pub fn exit(result: Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // `vetted list | head` closing the pipe early is not an error.
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            // Messages quote file names and data: shown through the one gate for untrusted text.
            // Written without panicking: after a hang-up the terminal takes no more output.
            let _ = writeln!(std::io::stderr(), "{} {}", crate::paint::warning("vetted:"), text::block(&e.to_string()));
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_output_escapes_what_could_drive_a_terminal() {
        let s = json_safe(&"a\u{1b}[2J b\u{9b}c \u{202E}d 日本");
        assert_eq!(s, r#""a\u001b[2J b\u009bc \u202ed 日本""#);
        let back: String = serde_json::from_str(&s).unwrap();
        assert_eq!(back, "a\u{1b}[2J b\u{9b}c \u{202E}d 日本");
    }

    #[test]
    fn cells_are_padded_and_cut_by_display_width() {
        assert_eq!(cell("ab", 4), "ab  ");
        assert_eq!(cell("日本語です", 6).width(), 6);
        assert_eq!(cell("x\u{1b}y", 5), "x␛y  ");
    }
}
