//! LinkedIn's data export: Invitations.csv (three header variants) and Connections.csv
//! (with or without its Notes preamble). Files are found by what they hold, not by their
//! name; columns are matched by name, never by position; each file is decoded whole
//! (`decode`) before a row is read.

use super::{
    ImportError, Kind, LineCount, Result, Session, Step, classify_text, columns, decode, hints, next_row, url,
};
use crate::import::dates::{self, BadDate};
use crate::model::NewRequest;
use std::cell::RefCell;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::rc::Rc;

const INVITATIONS: &str = "Invitations.csv";
const CONNECTIONS: &str = "Connections.csv";
const ONLY_INVITATIONS: &str = "only Invitations.csv was read: it lists accepted invitations too, and without \
     Connections.csv they cannot be told apart from pending ones; import the whole export to tell them apart";
/// A header line (or a preamble line) longer than this is not LinkedIn's.
const MAX_HEADER_BYTES: usize = 64 * 1024;

/// Where one file of the export is: on disk, or inside the zip.
pub(crate) enum Source {
    File(PathBuf),
    Entry { zip: PathBuf, name: String, archive: Rc<Archive> },
}

/// An export zip, its central directory read once for every entry read from it, and its size
/// and time when it was opened (an entry read after it changed is refused).
pub(crate) struct Archive {
    zip: RefCell<zip::ZipArchive<File>>,
    file: File,
    stamp: super::Stamp,
}

/// Entries of a zip looked at, at most: a LinkedIn export holds fewer than 100.
pub const MAX_ZIP_ENTRIES: usize = 10_000;

/// Central directories read so far in this process (each zip import reads its own once).
static DIRECTORY_READS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How many zip central directories this process has read (for the tests: once per import).
#[doc(hidden)]
pub fn directory_reads() -> u64 {
    DIRECTORY_READS.load(std::sync::atomic::Ordering::Relaxed)
}

impl Source {
    /// How messages name it: its path, or `archive.zip!entry`.
    fn label(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::Entry { zip, name, .. } => format!("{}!{name}", zip.display()),
        }
    }

    fn file_name(&self) -> &str {
        match self {
            Source::File(p) => p.file_name().and_then(|n| n.to_str()).unwrap_or(""),
            Source::Entry { name, .. } => name.rsplit('/').next().unwrap_or(name),
        }
    }

    /// Runs `f` on a fresh reader of the whole file (never more than the size limit), with
    /// the size it says it has. Only regular files are read.
    fn open<T>(&self, f: impl FnOnce(&mut (dyn Read + Send), u64) -> Result<T>) -> Result<T> {
        match self {
            Source::File(path) => {
                let file = super::open_regular(path)?;
                let before = super::Stamp::of(&file, path)?;
                let out = f(&mut (&file).take(super::max_file_bytes()), before.size)?;
                before.unchanged(&file, path)?;
                Ok(out)
            }
            Source::Entry { zip, name, archive } => {
                let refused = |reason: String| ImportError::Refused { path: zip.clone(), reason };
                let mut opened = archive.zip.borrow_mut();
                let mut entry = opened
                    .by_name(name)
                    .map_err(|e| refused(format!("cannot read {} ({e})", crate::text::line(name))))?;
                let limit = super::max_file_bytes();
                if entry.size() > limit {
                    return Err(super::too_large(
                        &PathBuf::from(self.label()),
                        entry.size(),
                        classify_name(self.file_name()),
                    ));
                }
                let size = entry.size();
                let out = f(&mut (&mut entry).take(limit), size)?;
                drop(entry);
                archive.stamp.unchanged(&archive.file, zip)?;
                Ok(out)
            }
        }
    }

    /// What the file holds, told by its first bytes.
    fn kind(&self) -> Result<Option<Kind>> {
        self.open(|r, _| {
            let mut head = Vec::with_capacity(8192);
            r.take(8192).read_to_end(&mut head).map_err(|e| ImportError::Refused {
                path: self.label().into(),
                reason: format!("cannot read ({e})"),
            })?;
            Ok(classify_text(&decode::head_text(&head)))
        })
    }
}

/// Opens an export zip: its central directory is read once, its entries counted first (a zip
/// of more than [`MAX_ZIP_ENTRIES`] is refused before its directory is read) and a name given
/// to two entries is refused, naming it (one of the two would be read, the other silently not).
/// What an entry of LinkedIn's export is, told by its name (for the advice of an oversized one).
fn classify_name(name: &str) -> Option<Kind> {
    let name = name.to_ascii_lowercase();
    if name.starts_with("invitations") {
        Some(Kind::Invitations)
    } else if name.starts_with("connections") {
        Some(Kind::Connections)
    } else {
        None
    }
}

fn open_zip(path: &Path) -> Result<Archive> {
    let refused = |reason: String| ImportError::Refused { path: path.into(), reason };
    let file = super::open_regular(path)?;
    let stamp = super::Stamp::of(&file, path)?;
    let mut reading = super::open_regular(path)?;
    if let Some(n) = zip_entry_count(&mut reading).map_err(super::io_err(path, "cannot read"))?
        && n > MAX_ZIP_ENTRIES as u64
    {
        return Err(refused(too_many_entries(n)));
    }
    DIRECTORY_READS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let archive = zip::ZipArchive::new(reading).map_err(|e| refused(format!("not a readable zip ({e})")))?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(refused(too_many_entries(archive.len() as u64)));
    }
    if archive.has_duplicate_names() {
        let start = archive.central_directory_start();
        let name = super::open_regular(path)
            .ok()
            .and_then(|mut f| first_repeated_name(&mut f, start, MAX_ZIP_ENTRIES * 2).ok().flatten())
            .unwrap_or_else(|| "alike".into());
        return Err(refused(format!(
            "it holds two entries named {}: which one is the export cannot be told; unzip it, keep one of \
             them, and import the folder",
            crate::text::line(&name)
        )));
    }
    Ok(Archive { zip: RefCell::new(archive), file, stamp })
}

fn too_many_entries(n: u64) -> String {
    format!(
        "it holds {n} entries, over the {MAX_ZIP_ENTRIES} vetted looks at in a zip (a LinkedIn export holds \
         fewer than 100): import the zip LinkedIn sent, or its Invitations.csv and Connections.csv"
    )
}

/// The number of entries a zip's end record says it has (`None` when no end record is found:
/// the zip reader then says what is wrong). Reads at most the last 64 KiB, and 76 bytes more
/// for a zip64 end record.
fn zip_entry_count(file: &mut File) -> std::io::Result<Option<u64>> {
    use std::io::{Seek, SeekFrom};
    let len = file.metadata()?.len();
    let tail = len.min(65_557);
    file.seek(SeekFrom::Start(len - tail))?;
    let mut buf = vec![0u8; tail as usize];
    file.read_exact(&mut buf)?;
    let Some(at) = (0..buf.len().saturating_sub(21)).rev().find(|&i| buf[i..].starts_with(b"PK\x05\x06")) else {
        return Ok(None);
    };
    let count = u16::from_le_bytes([buf[at + 10], buf[at + 11]]);
    if count != 0xFFFF {
        return Ok(Some(u64::from(count)));
    }
    // Zip64: the locator just before the end record points at the zip64 end record.
    let end = (len - tail) + at as u64;
    if end < 20 {
        return Ok(None);
    }
    let mut locator = [0u8; 20];
    file.seek(SeekFrom::Start(end - 20))?;
    file.read_exact(&mut locator)?;
    if !locator.starts_with(b"PK\x06\x07") {
        return Ok(None);
    }
    let record = u64::from_le_bytes(locator[8..16].try_into().expect("8 bytes"));
    let mut end64 = [0u8; 56];
    if file.seek(SeekFrom::Start(record)).is_err()
        || file.read_exact(&mut end64).is_err()
        || !end64.starts_with(b"PK\x06\x06")
    {
        return Ok(None);
    }
    Ok(Some(u64::from_le_bytes(end64[32..40].try_into().expect("8 bytes"))))
}

/// The first name the central directory (from `start`) gives twice, looking at no more than
/// `max` entries.
fn first_repeated_name(file: &mut File, start: u64, max: usize) -> std::io::Result<Option<String>> {
    use std::io::{Seek, SeekFrom};
    file.seek(SeekFrom::Start(start))?;
    let mut dir = BufReader::new(file);
    let mut seen = std::collections::HashSet::new();
    let mut header = [0u8; 46];
    for _ in 0..max {
        if dir.read_exact(&mut header).is_err() || !header.starts_with(b"PK\x01\x02") {
            return Ok(None);
        }
        let le16 = |i: usize| u64::from(u16::from_le_bytes([header[i], header[i + 1]]));
        let (name_len, rest) = (le16(28), le16(30) + le16(32));
        let mut name = Vec::new();
        (&mut dir).take(name_len).read_to_end(&mut name)?;
        std::io::copy(&mut (&mut dir).take(rest), &mut std::io::sink())?;
        let name = String::from_utf8_lossy(&name).into_owned();
        if !seen.insert(name.clone()) {
            return Ok(Some(name));
        }
    }
    Ok(None)
}

/// The export zip: every entry is a candidate (the export may sit in a folder inside it).
/// Entries are streamed, never unpacked to disk; its central directory is read once.
pub fn zip(session: &mut Session<'_, '_>, path: &Path) -> Result<()> {
    let archive = Rc::new(open_zip(path)?);
    let mut names: Vec<String> =
        archive.zip.borrow().file_names().flatten().filter(|n| !n.ends_with('/')).map(|n| n.into_owned()).collect();
    names.sort();
    let candidates = names
        .into_iter()
        .map(|name| {
            let depth = name.matches('/').count();
            (Source::Entry { zip: path.into(), name, archive: archive.clone() }, depth)
        })
        .collect();
    session.report.kind = "LinkedIn export (zip)".into();
    export(session, path, "zip", candidates)
}

/// The unzipped export folder, or a folder that holds it one level down.
pub fn folder(session: &mut Session<'_, '_>, dir: &Path) -> Result<()> {
    let mut candidates = Vec::new();
    list_folder(dir, 0, &mut candidates)?;
    session.report.kind = "LinkedIn export (folder)".into();
    export(session, dir, "folder", candidates)
}

fn list_folder(dir: &Path, depth: usize, out: &mut Vec<(Source, usize)>) -> Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(super::io_err(dir, "cannot read the folder"))?
        .flatten()
        .map(|e| e.path())
        .collect();
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
fn export(session: &mut Session<'_, '_>, at: &Path, what: &str, candidates: Vec<(Source, usize)>) -> Result<()> {
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
            session.report.notes.push(format!(
                "read {} and not {}: one export holds one of each",
                crate::text::line(&chosen.label()),
                crate::text::line(&others.join(", "))
            ));
        }
    }
    if let Some(source) = con {
        read(session, source, Kind::Connections)?;
    }
    if let Some(source) = inv {
        read(session, source, Kind::Invitations)?;
    }
    note_missing_connections(session);
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

fn note_missing_connections(session: &mut Session<'_, '_>) {
    if session.read_invitations
        && !session.read_connections
        && !session.report.notes.iter().any(|n| n == ONLY_INVITATIONS)
    {
        session.report.notes.push(ONLY_INVITATIONS.into());
    }
}

pub fn invitations_file(session: &mut Session<'_, '_>, path: &Path) -> Result<()> {
    if session.report.kind.is_empty() {
        session.report.kind = "LinkedIn Invitations.csv".into();
    }
    read(session, &Source::File(path.into()), Kind::Invitations)?;
    note_missing_connections(session);
    Ok(())
}

pub fn connections_file(session: &mut Session<'_, '_>, path: &Path) -> Result<()> {
    if session.report.kind.is_empty() {
        session.report.kind = "LinkedIn Connections.csv".into();
    }
    read(session, &Source::File(path.into()), Kind::Connections)
}

/// Reads one file of the export: first its encoding over the whole file, then its rows.
fn read(session: &mut Session<'_, '_>, source: &Source, kind: Kind) -> Result<()> {
    let label = source.label();
    let refused = |reason: String| ImportError::Refused { path: label.clone().into(), reason };
    let encoding = source.open(|r, _| decode::sniff(r).map_err(|e| refused(format!("read failed ({e})"))))?;
    if encoding != decode::Encoding::Utf8 {
        session.report.notes.push(format!(
            "{} is not UTF-8: read as {}{}",
            crate::text::line(&label),
            encoding.label(),
            if encoding == decode::Encoding::Windows1252 { " (a spreadsheet's \"CSV (Windows)\")" } else { "" }
        ));
    }
    session.report.files.push(match source {
        Source::File(_) => label.clone(),
        Source::Entry { name, .. } => name.clone(),
    });
    source.open(|r, size| {
        let text = decode::decoded(r, encoding);
        match kind {
            Kind::Connections => {
                session.read_connections = true;
                connections(session, text, &label, size)
            }
            _ => {
                session.read_invitations = true;
                invitations(session, text, &label, size)
            }
        }
    })
}

/// Reads the header line (skipping up to `preamble` lines before one that `is_header`
/// accepts) and returns a CSV reader over the header and the rest, with the separator the
/// header uses, and how many lines were skipped.
/// Also gives the flag that says whether the text read so far ends with a line break.
type AtLineEnd = std::sync::Arc<std::sync::atomic::AtomicBool>;

fn csv_after_header<R: Read>(
    reader: R,
    preamble: u64,
    is_header: impl Fn(&str) -> bool,
) -> std::result::Result<Option<(csv::Reader<impl Read>, LineCount, AtLineEnd)>, String> {
    let mut buf = BufReader::new(reader);
    let mut line = Vec::new();
    let mut skipped = 0u64;
    loop {
        if !decode::line_within(&mut buf, &mut line, MAX_HEADER_BYTES).map_err(|e| format!("read failed ({e})"))? {
            return Ok(None);
        }
        if is_header(String::from_utf8_lossy(&line).trim_start_matches('\u{feff}').trim_start_matches('"')) {
            break;
        }
        if skipped == preamble {
            return Ok(None);
        }
        skipped += 1;
    }
    let delimiter = decode::delimiter(&line);
    let lines = LineCount { skipped, cr_only: line.ends_with(b"\r") };
    let (rest, at_line_end) = decode::EndWatch::new(buf);
    let rdr =
        csv::ReaderBuilder::new().flexible(true).has_headers(true).delimiter(delimiter).from_reader(
            decode::RowGuard::new(std::io::Cursor::new(line).chain(rest), decode::MAX_ROW_BYTES, skipped + 1),
        );
    Ok(Some((rdr, lines, at_line_end)))
}

/// One cell of an export row, within the size limit. What a spreadsheet writes for an empty
/// cell (`NA`, `N/A`, `#N/A`, `NULL`) is empty.
fn cell<'r>(rec: &'r csv::ByteRecord, idx: Option<usize>, name: &str) -> std::result::Result<&'r str, String> {
    let text = super::field(rec, idx, name)?;
    let blank = ["NA", "N/A", "#N/A", "NULL"].iter().any(|na| text.trim().eq_ignore_ascii_case(na));
    Ok(if blank { "" } else { text })
}

/// Where Invitations.csv keeps each column (found by name: three header variants exist).
struct InvitationColumns {
    width: usize,
    from: Option<usize>,
    sent: Option<usize>,
    message: Option<usize>,
    direction: Option<usize>,
    profile_url: Option<usize>,
    profile_urn: Option<usize>,
    to: Option<usize>,
    invitee_url: Option<usize>,
}

/// One of the user's own invitations: to whom (normalised URL, name) and the day (UTC
/// `YYYY-MM-DD`, '' when unreadable). Kept for "you invited them too".
pub(crate) struct Outgoing {
    pub url: Option<String>,
    pub name: String,
    pub day: String,
}

/// A row of Invitations.csv that cannot be read.
enum BadRow {
    /// Skipped and reported.
    Skip(String),
    /// The whole file is refused.
    Refuse(String),
}

impl InvitationColumns {
    fn find(headers: &csv::ByteRecord) -> std::result::Result<InvitationColumns, String> {
        let cols = columns(headers);
        for required in ["from", "sent at", "message", "direction"] {
            if !cols.contains_key(required) {
                return Err(format!("the header has no `{required}` column: not LinkedIn's Invitations.csv"));
            }
        }
        let col = |name: &str| cols.get(name).copied();
        Ok(InvitationColumns {
            width: headers.len(),
            from: col("from"),
            sent: col("sent at"),
            message: col("message"),
            direction: col("direction"),
            profile_url: col("inviterprofileurl"),
            profile_urn: col("inviterprofileurn"),
            to: col("to"),
            invitee_url: col("inviteeprofileurl"),
        })
    }

    /// An outgoing row's invitee, when it names one (the rest of the row is not checked: it is
    /// not a request).
    fn outgoing(&self, rec: &csv::ByteRecord) -> Option<Outgoing> {
        let name = cell(rec, self.to, "To").ok()?.trim();
        let url = url::normalize(cell(rec, self.invitee_url, "inviteeProfileUrl").ok()?);
        if name.is_empty() && url.is_none() {
            return None;
        }
        let raw_sent = cell(rec, self.sent, "Sent At").ok().unwrap_or_default().trim();
        let day = dates::sent_at_cell(raw_sent).ok().and_then(|at| at.get(..10).map(str::to_string));
        Some(Outgoing { url, name: name.to_string(), day: day.unwrap_or_default() })
    }

    /// One row: `Ok(None)` for an outgoing invitation.
    fn parse(&self, rec: &csv::ByteRecord) -> std::result::Result<Option<NewRequest>, BadRow> {
        let skip = BadRow::Skip;
        // A row shorter than its header is cut or hand-edited: its last fields cannot be told.
        if rec.len() < self.width {
            return Err(skip(format!("{} fields where the header has {}", rec.len(), self.width)));
        }
        match cell(rec, self.direction, "Direction").map_err(skip)?.trim() {
            d if d.eq_ignore_ascii_case("INCOMING") => {}
            d if d.eq_ignore_ascii_case("OUTGOING") => return Ok(None),
            other => {
                return Err(skip(format!("Direction {:?} is neither INCOMING nor OUTGOING", crate::text::line(other))));
            }
        }
        let name = cell(rec, self.from, "From").map_err(skip)?.trim();
        if name.is_empty() {
            return Err(skip("empty From: no sender".into()));
        }
        let raw_sent = cell(rec, self.sent, "Sent At").map_err(skip)?.trim();
        let sent_at = match dates::sent_at_cell(raw_sent) {
            Ok(at) => at,
            Err(BadDate::Invalid) => {
                return Err(skip(match crate::clock::no_such_day(raw_sent) {
                    Some(why) => format!("Sent At {:?}: {why}", crate::text::line(raw_sent)),
                    None => format!("Sent At {:?} is not like \"8/26/22, 8:56 PM\"", crate::text::line(raw_sent)),
                }));
            }
            Err(BadDate::Reordered) => {
                return Err(BadRow::Refuse(format!(
                    "Sent At {:?} does not say which number is the day and which the month: this file looks \
                     re-saved by a spreadsheet; import the original Invitations.csv from LinkedIn's export",
                    crate::text::line(raw_sent)
                )));
            }
        };
        let message = cell(rec, self.message, "Message").map_err(skip)?;
        let urn = cell(rec, self.profile_urn, "inviterProfileUrn").map_err(skip)?.trim();
        Ok(Some(NewRequest {
            name: name.to_string(),
            profile_url: url::normalize(cell(rec, self.profile_url, "inviterProfileUrl").map_err(skip)?),
            urn: (!urn.is_empty()).then(|| urn.to_string()),
            message: message.to_string(),
            sent_at_raw: Some(raw_sent.to_string()),
            sent_at: Some(sent_at),
            source: "linkedin".into(),
            hints: hints::for_request(name, message),
            ..NewRequest::default()
        }))
    }
}

/// A quote left open in a row of Invitations.csv reads the rows after it as part of one field,
/// up to the next quote: said, naming the row where it opened and the lines it took (rather
/// than storing a request with the next rows in its message, or skipping them unnamed). Told
/// by a field holding a line break in a row whose fields do not match the header (a message
/// written over several lines, quoted right, keeps the row's width), or by a line inside a
/// field that ends as an invitation row does (`,INCOMING` / `,OUTGOING`).
fn swallowed_rows(rec: &csv::ByteRecord, line: u64, width: usize) -> Option<String> {
    let is_break = |f: &[u8], i: usize| f[i] == b'\n' || (f[i] == b'\r' && f.get(i + 1) != Some(&b'\n'));
    let breaks = |f: &[u8]| (0..f.len()).filter(|&i| is_break(f, i)).count() as u64;
    let row_like = |l: &[u8]| {
        let l = String::from_utf8_lossy(l);
        let l = l.trim_end_matches(['\r', '"']);
        l.ends_with(",INCOMING") || l.ends_with(",OUTGOING")
    };
    let inner = rec.iter().map(breaks).sum::<u64>();
    let row_inside = rec.iter().any(|f| f.split(|&b| b == b'\n' || b == b'\r').skip(1).any(row_like));
    if inner == 0 || (rec.len() == width && !row_inside) {
        return None;
    }
    let last = line + inner;
    let taken = if inner == 1 { format!("line {last} was") } else { format!("lines {} to {last} were", line + 1) };
    Some(format!(
        "a quote opened in this row is not closed before line {last}: {taken} read into it, not as rows; close \
         the quote (a quote inside a field is written twice: \"\") and import the file again"
    ))
}

/// A parsed row, passed from the reading thread to the writing one.
#[allow(clippy::large_enum_variant)] // nearly every row is a request: a box would only add an allocation
enum Row {
    Request(NewRequest),
    Outgoing(Option<Outgoing>),
    Problem(u64, String),
}

/// Rows handed over at a time.
const BATCH: usize = 1024;

/// Invitations.csv: `From,To,Sent At,Message,Direction[,inviterProfileUrn|Url,invitee…]`.
/// One thread reads and parses while this one writes to SQLite. A file none of whose rows
/// could be read is refused, as is one a spreadsheet re-saved with day and month in doubt.
fn invitations<R: Read + Send>(session: &mut Session<'_, '_>, reader: R, file: &str, size: u64) -> Result<()> {
    let refused = |reason: String| ImportError::Refused { path: file.into(), reason };
    let not_linkedin = || refused("no `From,To,Sent At,…` header: not LinkedIn's Invitations.csv".into());
    let (mut rdr, lines, at_line_end) =
        csv_after_header(reader, 0, |_| true).map_err(&refused)?.ok_or_else(not_linkedin)?;
    let headers = rdr.byte_headers().map_err(|e| refused(format!("cannot read the header ({e})")))?.clone();
    let cols = InvitationColumns::find(&headers).map_err(&refused)?;
    let bar = session.progress_bar(size, file);
    let (mut read, mut bad) = (0u64, 0u64);
    let mut first_problem = None;
    std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<Row>>(8);
        let progress = bar.clone();
        let reading = scope.spawn(move || -> std::result::Result<(), String> {
            let mut rec = csv::ByteRecord::new();
            let mut batch = Vec::with_capacity(BATCH);
            // Each row waits for the next: the last one is not stored when the file ends inside
            // it (no line break after it, and fewer fields than the header: a cut download).
            let mut held: Option<(u64, usize, Row)> = None;
            loop {
                let row = match next_row(&mut rdr, &mut rec, lines)? {
                    Step::End => break,
                    Step::Row(line) if let Some(reason) = swallowed_rows(&rec, line, cols.width) => {
                        (line, Row::Problem(line, reason))
                    }
                    Step::Row(line) => match cols.parse(&rec) {
                        Ok(Some(req)) => (line, Row::Request(req)),
                        Ok(None) => (line, Row::Outgoing(cols.outgoing(&rec))),
                        Err(BadRow::Skip(reason)) => (line, Row::Problem(line, reason)),
                        Err(BadRow::Refuse(reason)) => return Err(format!("line {line}: {reason}")),
                    },
                    Step::Bad(line, reason) => (line, Row::Problem(line, reason)),
                };
                if let Some((_, _, previous)) = held.replace((row.0, rec.len(), row.1)) {
                    batch.push(previous);
                }
                if batch.len() == BATCH {
                    if let Some(bar) = &progress {
                        bar.set_position(rec.position().map_or(0, |p| p.byte()));
                    }
                    if send.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))).is_err() {
                        return Ok(()); // the writer stopped on an error of its own
                    }
                }
            }
            if let Some((line, fields, last)) = held {
                let cut = !at_line_end.load(std::sync::atomic::Ordering::Relaxed) && fields < cols.width;
                batch.push(if cut {
                    Row::Problem(line, "the file ends inside this row (a download cut short?): not stored".into())
                } else {
                    last
                });
            }
            let _ = send.send(batch);
            Ok(())
        });
        for batch in receive {
            for row in batch {
                match row {
                    Row::Request(req) => {
                        read += 1;
                        session.request(&req, true)?
                    }
                    Row::Outgoing(invitee) => {
                        session.report.skipped_outgoing += 1;
                        if let Some(o) = invitee {
                            session.outgoing(o)?;
                        }
                    }
                    Row::Problem(line, reason) => {
                        bad += 1;
                        first_problem.get_or_insert_with(|| format!("line {line}: {reason}"));
                        session.problem(format!("{file}:{line}"), reason)
                    }
                }
            }
        }
        reading.join().expect("the CSV reader does not panic").map_err(&refused)
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if read == 0 && bad > 0 {
        return Err(refused(format!(
            "none of its {bad} rows could be read (the first: {})",
            first_problem.unwrap_or_default()
        )));
    }
    Ok(())
}

/// Connections.csv, with or without the three-line Notes preamble (2022 on). It is read
/// whole or refused: a row it skipped would make that connection look like a pending request.
fn connections<R: Read>(session: &mut Session<'_, '_>, reader: R, file: &str, size: u64) -> Result<()> {
    let refused = |reason: String| ImportError::Refused { path: file.into(), reason };
    let not_linkedin = || refused("no `First Name,Last Name,…` header: not LinkedIn's Connections.csv".into());
    let (mut rdr, lines, at_line_end) =
        csv_after_header(reader, 10, |l| l.starts_with("First Name")).map_err(&refused)?.ok_or_else(not_linkedin)?;
    let headers = rdr.byte_headers().map_err(|e| refused(format!("cannot read the header ({e})")))?.clone();
    let cols = columns(&headers);
    let col = |name: &str| cols.get(name).copied();
    let (first, last, url_col, on) = (col("first name"), col("last name"), col("url"), col("connected on"));
    if first.is_none() || last.is_none() {
        return Err(refused("the header has no `First Name` and `Last Name`: not LinkedIn's Connections.csv".into()));
    }
    let bar = session.progress_bar(size, file);
    let mut rec = csv::ByteRecord::new();
    let mut undated = 0u64;
    let mut last_len = headers.len();
    loop {
        let line = match next_row(&mut rdr, &mut rec, lines).map_err(&refused)? {
            Step::End if !at_line_end.load(std::sync::atomic::Ordering::Relaxed) && last_len < headers.len() => {
                return Err(refused(
                    "it ends inside its last row (a download cut short?); download the export again".into(),
                ));
            }
            Step::End => break,
            Step::Row(line) => line,
            Step::Bad(line, reason) => return Err(refused(format!("line {line}: {reason}"))),
        };
        last_len = rec.len();
        let at_line = |reason: String| refused(format!("line {line}: {reason}"));
        let first_name = cell(&rec, first, "First Name").map_err(at_line)?.trim();
        let last_name = cell(&rec, last, "Last Name").map_err(at_line)?.trim();
        let name = format!("{first_name} {last_name}");
        let url = url::normalize(cell(&rec, url_col, "URL").map_err(at_line)?);
        if name.trim().is_empty() && url.is_none() {
            session.report.blank_connections += 1; // closed or hidden accounts: only the date is left
            continue;
        }
        let raw_on = cell(&rec, on, "Connected On").map_err(at_line)?.trim();
        let connected_on = dates::linkedin_connected_on(raw_on).unwrap_or_else(|| {
            undated += u64::from(!raw_on.is_empty());
            String::new()
        });
        session.connection(url.as_deref(), name.trim(), &connected_on)?;
        if let Some(bar) = &bar {
            bar.set_position(rec.position().map_or(0, |p| p.byte()));
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if undated > 0 {
        session.report.notes.push(format!(
            "{undated} rows of {} have a Connected On vetted cannot read: kept without a date",
            crate::text::line(file)
        ));
    }
    Ok(())
}
