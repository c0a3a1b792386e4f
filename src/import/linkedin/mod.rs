//! LinkedIn's data export: Invitations.csv (three header variants) and Connections.csv
//! (with or without its Notes preamble). Files are found by what they hold, not by their
//! name; columns are matched by name, never by position; each file is decoded whole
//! (`decode`) before a row is read.
//!
//! - `source`: a file on disk or an entry of the zip; the zip itself.
//! - `invitations`, `connections`: each file's rows, pushed into the loader.

mod connections;
mod invitations;
mod source;
#[cfg(test)]
mod tests;

pub(crate) use source::{Archive, open_zip};
pub use source::{MAX_ZIP_ENTRIES, directory_reads};

use super::csv_rows::{AtLineEnd, LineCount, csv_after_header};
use super::detect::Kind;
use super::loader::{FileRole, Loader, Progress, Work};
use super::{ImportError, Result, decode, io_err};
use source::Source;
use std::path::{Path, PathBuf};
use std::rc::Rc;

const INVITATIONS: &str = "Invitations.csv";
const CONNECTIONS: &str = "Connections.csv";

/// The export zip: every entry is a candidate (the export may sit in a folder inside it).
/// Entries are streamed, never unpacked to disk; its central directory is read once.
pub fn zip(loader: &mut dyn Loader, path: &Path, archive: Archive, progress: Option<&dyn Progress>) -> Result<()> {
    let archive = Rc::new(archive);
    let mut names: Vec<String> = archive.file_names().into_iter().filter(|n| !n.ends_with('/')).collect();
    names.sort();
    let candidates = names
        .into_iter()
        .map(|name| {
            let depth = name.matches('/').count();
            (Source::Entry { zip: path.into(), name, archive: archive.clone() }, depth)
        })
        .collect();
    export(loader, path, "zip", candidates, progress)
}

/// The unzipped export folder, or a folder that holds it one level down.
pub fn folder(loader: &mut dyn Loader, dir: &Path, progress: Option<&dyn Progress>) -> Result<()> {
    let mut candidates = Vec::new();
    list_folder(dir, 0, &mut candidates)?;
    export(loader, dir, "folder", candidates, progress)
}

fn list_folder(dir: &Path, depth: usize, out: &mut Vec<(Source, usize)>) -> Result<()> {
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir).map_err(io_err(dir, "cannot read the folder"))?.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() && depth == 0 => list_folder(&path, 1, out)?,
            Ok(m) if m.is_dir() => {}
            _ => out.push((Source::File(path), depth)),
        }
    }
    Ok(())
}

/// Picks Invitations.csv and Connections.csv among `candidates` by what they hold (a file
/// named as LinkedIn names it first, then the shallower, then by name), and reads them,
/// Connections.csv first so that invitations from connections are known as they arrive.
fn export(
    loader: &mut dyn Loader,
    at: &Path,
    what: &str,
    candidates: Vec<(Source, usize)>,
    progress: Option<&dyn Progress>,
) -> Result<()> {
    let mut found: Vec<(Kind, bool, usize, Source)> = Vec::new();
    let mut seen = Vec::new();
    for (source, depth) in candidates {
        let name = source.file_name().to_string();
        let text_like = [".csv", ".tsv", ".txt"].iter().any(|ext| name.to_ascii_lowercase().ends_with(ext));
        if text_like && let Some(kind @ (Kind::Invitations | Kind::Connections)) = source.kind()? {
            let canonical = if kind == Kind::Invitations { INVITATIONS } else { CONNECTIONS };
            found.push((kind, !name.eq_ignore_ascii_case(canonical), depth, source));
        } else {
            seen.push(name);
        }
    }
    found.sort_by_key(|f| (f.1, f.2));
    let pick = |kind: Kind| {
        let mut all = found.iter().filter(|f| f.0 == kind).map(|f| &f.3);
        let chosen = all.next();
        let others: Vec<String> = all.map(Source::label).collect();
        (chosen, others)
    };
    let ((con, con_others), (inv, inv_others)) = (pick(Kind::Connections), pick(Kind::Invitations));
    if con.is_none() && inv.is_none() {
        return Err(ImportError::Refused { path: at.into(), reason: nothing_found(what, &seen) });
    }
    for (chosen, others) in [(con, con_others), (inv, inv_others)] {
        if let Some(chosen) = chosen
            && !others.is_empty()
        {
            loader.note(format!(
                "read {} and not {}: one export holds one of each",
                crate::text::line(&chosen.label()),
                crate::text::line(&others.join(", "))
            ));
        }
    }
    if let Some(source) = con {
        read(loader, source, Kind::Connections, progress)?;
    }
    if let Some(source) = inv {
        read(loader, source, Kind::Invitations, progress)?;
    }
    Ok(())
}

/// Why a folder or zip gave nothing, naming what it holds.
fn nothing_found(what: &str, seen: &[String]) -> String {
    let mut reason = format!("this {what} holds neither LinkedIn's Invitations.csv nor Connections.csv");
    let spreadsheets: Vec<&String> = seen
        .iter()
        .filter(|n| [".xlsx", ".xls", ".ods", ".numbers"].iter().any(|e| n.to_ascii_lowercase().ends_with(e)))
        .collect();
    if let Some(sheet) = spreadsheets.first() {
        reason.push_str(&format!(
            " ({} is a spreadsheet: open it and save it as CSV, or import the original export from LinkedIn)",
            crate::text::line(sheet)
        ));
    } else if seen.is_empty() {
        reason.push_str(" (it is empty)");
    } else {
        let shown: Vec<&str> = seen.iter().take(8).map(String::as_str).collect();
        let more = if seen.len() > 8 { format!(" and {} more", seen.len() - 8) } else { String::new() };
        reason.push_str(&format!(" (it holds {}{more})", crate::text::line(&shown.join(", "))));
    }
    reason
}

/// Invitations.csv on its own.
pub fn invitations_file(loader: &mut dyn Loader, path: &Path, progress: Option<&dyn Progress>) -> Result<()> {
    read(loader, &Source::File(path.into()), Kind::Invitations, progress)
}

/// Connections.csv on its own.
pub fn connections_file(loader: &mut dyn Loader, path: &Path, progress: Option<&dyn Progress>) -> Result<()> {
    read(loader, &Source::File(path.into()), Kind::Connections, progress)
}

/// Reads one file of the export: first its encoding over the whole file, then its rows.
fn read(loader: &mut dyn Loader, source: &Source, kind: Kind, progress: Option<&dyn Progress>) -> Result<()> {
    let label = source.label();
    let refused = |reason: String| ImportError::Refused { path: label.clone().into(), reason };
    let encoding = source.open(|r, _| decode::sniff(r).map_err(|e| refused(format!("read failed ({e})"))))?;
    if encoding != decode::Encoding::Utf8 {
        loader.note(format!(
            "{} is not UTF-8: read as {}{}",
            crate::text::line(&label),
            encoding.label(),
            if encoding == decode::Encoding::Windows1252 { " (a spreadsheet's \"CSV (Windows)\")" } else { "" }
        ));
    }
    let role = if kind == Kind::Connections { FileRole::Connections } else { FileRole::Invitations };
    loader.file(source.report_name(), role)?;
    source.open(|r, size| {
        let text = decode::decoded(r, encoding);
        if let Some(progress) = progress {
            progress.begin(Work::Reading(&label), size);
        }
        let read = match role {
            FileRole::Connections => connections::read(loader, text, &label, progress),
            _ => invitations::read(loader, text, &label, progress),
        };
        if let Some(progress) = progress {
            progress.end();
        }
        read
    })
}

/// How a file of the export is refused: naming it.
fn refusal(file: &str) -> impl Fn(String) -> ImportError + '_ {
    move |reason| ImportError::Refused { path: file.into(), reason }
}

/// A file of the export read up to and with its header (found after at most `preamble`
/// lines, the first that `is_header` accepts): the CSV reader, how its lines count, whether
/// it ends with a line break, and the header. Without one it is refused as not LinkedIn's
/// `what` (`header` says what was looked for).
fn after_header<R: std::io::Read>(
    reader: R,
    file: &str,
    preamble: u64,
    is_header: impl Fn(&str) -> bool,
    header: &str,
    what: &str,
) -> Result<(csv::Reader<impl std::io::Read>, LineCount, AtLineEnd, csv::ByteRecord)> {
    let refused = refusal(file);
    let (mut rdr, lines, at_line_end) = csv_after_header(reader, preamble, is_header)
        .map_err(&refused)?
        .ok_or_else(|| refused(format!("no {header} header: not LinkedIn's {what}")))?;
    let headers = rdr.byte_headers().map_err(|e| refused(format!("cannot read the header ({e})")))?.clone();
    Ok((rdr, lines, at_line_end, headers))
}

/// One cell of an export row, within the size limit. What a spreadsheet writes for an empty
/// cell (`NA`, `N/A`, `#N/A`, `NULL`) is empty.
fn cell<'r>(rec: &'r csv::ByteRecord, idx: Option<usize>, name: &str) -> std::result::Result<&'r str, String> {
    let text = super::csv_rows::field(rec, idx, name)?;
    let blank = ["NA", "N/A", "#N/A", "NULL"].iter().any(|na| text.trim().eq_ignore_ascii_case(na));
    Ok(if blank { "" } else { text })
}
