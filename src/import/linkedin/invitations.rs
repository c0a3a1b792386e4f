//! Invitations.csv: the requests of LinkedIn's export, read on one thread while the loader
//! stores them on another.

use super::{INVITATIONS, after_header, cell, refusal};
use crate::import::csv_rows::{AtLineEnd, LineCount, Step, columns, next_row};
use crate::import::dates::{self, BadDate};
use crate::import::loader::{Loader, Outgoing, Progress};
use crate::import::{Result, hints, url};
use crate::model::NewRequest;
use std::io::Read;

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
/// One thread reads and parses while this one hands the rows to the loader. A file none of
/// whose rows could be read is refused, as is one a spreadsheet re-saved with day and month in
/// doubt.
pub(super) fn read<R: Read + Send>(
    loader: &mut dyn Loader,
    reader: R,
    file: &str,
    progress: Option<&dyn Progress>,
) -> Result<()> {
    let refused = refusal(file);
    let (mut rdr, lines, at_line_end, headers) =
        after_header(reader, file, 0, |_| true, "`From,To,Sent At,…`", INVITATIONS)?;
    let cols = InvitationColumns::find(&headers).map_err(&refused)?;
    let (mut read, mut bad) = (0u64, 0u64);
    let mut first_problem = None;
    std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<Row>>(8);
        let cols = &cols;
        let reading = scope.spawn(move || parse_rows(&mut rdr, lines, &at_line_end, cols, &send, progress));
        for batch in receive {
            for row in batch {
                match row {
                    Row::Request(req) => {
                        read += 1;
                        loader.request(&req)?
                    }
                    Row::Outgoing(invitee) => loader.outgoing(invitee)?,
                    Row::Problem(line, reason) => {
                        bad += 1;
                        first_problem.get_or_insert_with(|| format!("line {line}: {reason}"));
                        loader.problem(format!("{file}:{line}"), reason)
                    }
                }
            }
        }
        reading.join().expect("the CSV reader does not panic").map_err(&refused)
    })?;
    if read == 0 && bad > 0 {
        return Err(refused(format!(
            "none of its {bad} rows could be read (the first: {})",
            first_problem.unwrap_or_default()
        )));
    }
    Ok(())
}

/// The reading thread: parses every row and sends them in batches. `Err` refuses the file.
fn parse_rows<R: Read>(
    rdr: &mut csv::Reader<R>,
    lines: LineCount,
    at_line_end: &AtLineEnd,
    cols: &InvitationColumns,
    send: &std::sync::mpsc::SyncSender<Vec<Row>>,
    progress: Option<&dyn Progress>,
) -> std::result::Result<(), String> {
    let mut rec = csv::ByteRecord::new();
    let mut batch = Vec::with_capacity(BATCH);
    // Each row waits for the next: the last one is not stored when the file ends inside
    // it (no line break after it, and fewer fields than the header: a cut download).
    let mut held: Option<(u64, usize, Row)> = None;
    loop {
        let row = match next_row(rdr, &mut rec, lines)? {
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
            if let Some(progress) = progress {
                progress.at(rec.position().map_or(0, |p| p.byte()));
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
}
