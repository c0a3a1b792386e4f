//! LinkedIn's data export: Invitations.csv (three header variants) and Connections.csv
//! (with or without its Notes preamble). Columns are matched by name, never by position.

use super::{ImportError, Result, Session, Step, columns, dates, field, hints, io_err, next_row, url};
use crate::model::NewRequest;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

const INVITATIONS: &str = "Invitations.csv";
const CONNECTIONS: &str = "Connections.csv";
const ONLY_INVITATIONS: &str = "only Invitations.csv was read: it lists accepted invitations too, and without \
     Connections.csv they cannot be told apart from pending ones; import the whole export to tell them apart";

/// The export zip: its Connections.csv first (so invitations from connections are known),
/// then Invitations.csv. Entries are streamed, never unpacked to disk.
pub fn zip(session: &mut Session<'_, '_>, path: &Path) -> Result<()> {
    let refused = |reason: String| ImportError::Refused { path: path.into(), reason };
    let file = File::open(path).map_err(io_err(path, "cannot open"))?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| refused(format!("not a readable zip ({e})")))?;
    let find = |archive: &zip::ZipArchive<File>, wanted: &str| {
        archive
            .file_names()
            .flatten()
            .find(|n| n.rsplit('/').next().is_some_and(|b| b.eq_ignore_ascii_case(wanted)))
            .map(|n| n.into_owned())
    };
    let (inv, con) = (find(&archive, INVITATIONS), find(&archive, CONNECTIONS));
    if inv.is_none() && con.is_none() {
        return Err(refused("this zip holds neither Invitations.csv nor Connections.csv".into()));
    }
    session.report.kind = "LinkedIn export (zip)".into();
    for (name, is_invitations) in [(con, false), (inv, true)] {
        let Some(name) = name else { continue };
        let mut entry = archive.by_name(&name).map_err(|e| refused(format!("cannot read {name} ({e})")))?;
        if entry.size() > super::MAX_FILE_BYTES {
            return Err(refused(format!("{name} unpacks to {} bytes, over the 512 MiB limit", entry.size())));
        }
        let size = entry.size();
        let label = format!("{}!{name}", path.display());
        session.report.files.push(name.clone());
        let reader = (&mut entry).take(super::MAX_FILE_BYTES);
        if is_invitations {
            invitations(session, reader, &label, size)?;
        } else {
            connections(session, reader, &label, size)?;
        }
    }
    note_missing_connections(session);
    Ok(())
}

/// The unzipped export folder.
pub fn folder(session: &mut Session<'_, '_>, dir: &Path) -> Result<()> {
    let find = |wanted: &str| {
        std::fs::read_dir(dir)
            .ok()?
            .flatten()
            .map(|e| e.path())
            .find(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.eq_ignore_ascii_case(wanted)))
    };
    let (inv, con) = (find(INVITATIONS), find(CONNECTIONS));
    if inv.is_none() && con.is_none() {
        return Err(ImportError::Refused {
            path: dir.into(),
            reason: "this folder holds neither Invitations.csv nor Connections.csv".into(),
        });
    }
    session.report.kind = "LinkedIn export (folder)".into();
    if let Some(p) = con {
        connections_file(session, &p)?;
    }
    if let Some(p) = inv {
        invitations_file(session, &p)?;
    }
    note_missing_connections(session);
    Ok(())
}

fn note_missing_connections(session: &mut Session<'_, '_>) {
    if !session.report.files.iter().any(|f| f.ends_with(CONNECTIONS))
        && !session.report.notes.iter().any(|n| n == ONLY_INVITATIONS)
    {
        session.report.notes.push(ONLY_INVITATIONS.into());
    }
}

fn open_checked(path: &Path) -> Result<(File, u64)> {
    let file = File::open(path).map_err(io_err(path, "cannot open"))?;
    let size = file.metadata().map_err(io_err(path, "cannot read"))?.len();
    if size > super::MAX_FILE_BYTES {
        return Err(ImportError::TooLarge { path: path.into(), size });
    }
    Ok((file, size))
}

pub fn invitations_file(session: &mut Session<'_, '_>, path: &Path) -> Result<()> {
    let (file, size) = open_checked(path)?;
    if session.report.kind.is_empty() {
        session.report.kind = "LinkedIn Invitations.csv".into();
    }
    session.report.files.push(path.display().to_string());
    invitations(session, file, &path.display().to_string(), size)?;
    note_missing_connections(session);
    Ok(())
}

pub fn connections_file(session: &mut Session<'_, '_>, path: &Path) -> Result<()> {
    let (file, size) = open_checked(path)?;
    if session.report.kind.is_empty() {
        session.report.kind = "LinkedIn Connections.csv".into();
    }
    session.report.files.push(path.display().to_string());
    connections(session, file, &path.display().to_string(), size)
}

fn csv_reader<R: Read>(reader: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(reader)
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
        })
    }

    /// One row: `Ok(None)` for an outgoing invitation.
    fn parse(&self, rec: &csv::ByteRecord) -> std::result::Result<Option<NewRequest>, String> {
        if rec.len() < 5.min(self.width) {
            return Err(format!("{} fields where the header has {}", rec.len(), self.width));
        }
        match field(rec, self.direction, "Direction")?.trim() {
            "INCOMING" => {}
            "OUTGOING" => return Ok(None),
            other => return Err(format!("Direction {:?} is neither INCOMING nor OUTGOING", crate::text::line(other))),
        }
        let name = field(rec, self.from, "From")?.trim();
        if name.is_empty() {
            return Err("empty From: no sender".into());
        }
        let raw_sent = field(rec, self.sent, "Sent At")?.trim();
        let Some(sent_at) = dates::linkedin_sent_at(raw_sent) else {
            return Err(format!("Sent At {:?} is not like \"8/26/22, 8:56 PM\"", crate::text::line(raw_sent)));
        };
        let message = field(rec, self.message, "Message")?;
        let urn = field(rec, self.profile_urn, "inviterProfileUrn")?.trim();
        Ok(Some(NewRequest {
            name: name.to_string(),
            profile_url: url::normalize(field(rec, self.profile_url, "inviterProfileUrl")?),
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

/// A parsed row, passed from the reading thread to the writing one.
#[allow(clippy::large_enum_variant)] // nearly every row is a request: a box would only add an allocation
enum Row {
    Request(NewRequest),
    Outgoing,
    Problem(u64, String),
}

/// Rows handed over at a time.
const BATCH: usize = 1024;

/// Invitations.csv: `From,To,Sent At,Message,Direction[,inviterProfileUrn|Url,invitee…]`.
/// One thread reads and parses while this one writes to SQLite.
fn invitations<R: Read + Send>(session: &mut Session<'_, '_>, reader: R, file: &str, size: u64) -> Result<()> {
    let refused = |reason: String| ImportError::Refused { path: file.into(), reason };
    let sql = session.sql();
    let mut rdr = csv_reader(reader);
    let headers = rdr.byte_headers().map_err(|e| refused(format!("cannot read the header ({e})")))?.clone();
    let cols = InvitationColumns::find(&headers).map_err(refused)?;
    let bar = session.progress_bar(size, file);
    std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<Row>>(8);
        let progress = bar.clone();
        let reading = scope.spawn(move || -> std::result::Result<(), String> {
            let mut rec = csv::ByteRecord::new();
            let mut batch = Vec::with_capacity(BATCH);
            loop {
                match next_row(&mut rdr, &mut rec, 0)? {
                    Step::End => break,
                    Step::Row(line) => batch.push(match cols.parse(&rec) {
                        Ok(Some(req)) => Row::Request(req),
                        Ok(None) => Row::Outgoing,
                        Err(reason) => Row::Problem(line, reason),
                    }),
                    Step::Bad(line, reason) => batch.push(Row::Problem(line, reason)),
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
            let _ = send.send(batch);
            Ok(())
        });
        for batch in receive {
            for row in batch {
                match row {
                    Row::Request(req) => session.request(&req, true).map_err(&sql)?,
                    Row::Outgoing => session.report.skipped_outgoing += 1,
                    Row::Problem(line, reason) => session.problem(format!("{file}:{line}"), reason),
                }
            }
        }
        reading.join().expect("the CSV reader does not panic").map_err(refused)
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(())
}

/// Connections.csv, with or without the three-line Notes preamble (2022 on).
fn connections<R: Read>(session: &mut Session<'_, '_>, reader: R, file: &str, size: u64) -> Result<()> {
    let refused = |reason: String| ImportError::Refused { path: file.into(), reason };
    let sql = session.sql();
    let mut buf = BufReader::new(reader);
    // Skip the preamble: everything before the header line, which starts with "First Name".
    let mut skipped = 0u64;
    let mut header = String::new();
    loop {
        header.clear();
        let mut raw = Vec::new();
        if buf.read_until(b'\n', &mut raw).map_err(|e| refused(format!("read failed ({e})")))? == 0 || skipped > 10 {
            return Err(refused("no `First Name,Last Name,…` header: not LinkedIn's Connections.csv".into()));
        }
        header.push_str(&String::from_utf8_lossy(&raw));
        if header.trim_start_matches('\u{feff}').trim_start_matches('"').starts_with("First Name") {
            break;
        }
        skipped += 1;
    }
    let mut rdr = csv_reader(std::io::Cursor::new(header.into_bytes()).chain(buf));
    let headers = rdr.byte_headers().map_err(|e| refused(format!("cannot read the header ({e})")))?.clone();
    let cols = columns(&headers);
    let col = |name: &str| cols.get(name).copied();
    let (first, last, url_col, on) = (col("first name"), col("last name"), col("url"), col("connected on"));
    if first.is_none() || last.is_none() {
        return Err(refused("the header has no `First Name` and `Last Name`: not LinkedIn's Connections.csv".into()));
    }
    let bar = session.progress_bar(size, file);
    let mut rec = csv::ByteRecord::new();
    loop {
        let line = match next_row(&mut rdr, &mut rec, skipped).map_err(refused)? {
            Step::End => break,
            Step::Row(line) => line,
            Step::Bad(line, reason) => {
                session.problem(format!("{file}:{line}"), reason);
                continue;
            }
        };
        let parsed = (|| -> std::result::Result<Option<(String, String)>, String> {
            let name =
                format!("{} {}", field(&rec, first, "First Name")?.trim(), field(&rec, last, "Last Name")?.trim());
            let url = url::normalize(field(&rec, url_col, "URL")?);
            if name.trim().is_empty() && url.is_none() {
                return Ok(None); // LinkedIn leaves some rows empty but for the date
            }
            let raw_on = field(&rec, on, "Connected On")?.trim();
            let connected_on = dates::linkedin_connected_on(raw_on).unwrap_or_else(|| raw_on.to_string());
            let key =
                NewRequest { name: name.trim().to_string(), profile_url: url, ..NewRequest::default() }.person_key();
            Ok(Some((key, connected_on)))
        })();
        match parsed {
            Ok(Some((key, on))) => session.connection(key, on).map_err(&sql)?,
            Ok(None) => {}
            Err(reason) => session.problem(format!("{file}:{line}"), reason),
        }
        if let Some(bar) = &bar {
            bar.set_position(rec.position().map_or(0, |p| p.byte()));
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(())
}
