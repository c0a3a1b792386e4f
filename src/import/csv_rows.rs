//! Reading CSV files row by row: line numbers as people count them, fields within the size
//! limit, columns found by name, and the header found after a preamble.

use super::decode;
use crate::model::MAX_FIELD_BYTES;
use std::collections::HashMap;
use std::io::{BufReader, Read};

/// A header line (or a preamble line) longer than this is not a CSV file vetted reads.
const MAX_HEADER_BYTES: usize = 64 * 1024;

/// How a file's line numbers are counted: the preamble lines before its header, and whether
/// its lines end with a lone carriage return.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct LineCount {
    pub skipped: u64,
    pub cr_only: bool,
}

/// One step through a CSV file.
pub(crate) enum Step {
    /// A record was read; its line number.
    Row(u64),
    /// The CSV parser rejected a row (line, reason): reported and skipped.
    Bad(u64, String),
    End,
}

/// Reads the next record into `rec`. Line numbers are shifted by `skipped` preamble lines; an
/// I/O failure ends the import (`Err`).
pub(crate) fn next_row<R: Read>(
    rdr: &mut csv::Reader<R>,
    rec: &mut csv::ByteRecord,
    lines: LineCount,
) -> std::result::Result<Step, String> {
    let line = |p: Option<&csv::Position>| {
        let p = p.map_or((0, 0), |p| (p.line(), p.record()));
        // The CSV reader counts line feeds: a file with CR-only line ends (an old Mac
        // spreadsheet) is counted by records instead.
        lines.skipped + if lines.cr_only { p.1 + 1 } else { p.0 }
    };
    match rdr.read_byte_record(rec) {
        Ok(false) => Ok(Step::End),
        Ok(true) => Ok(Step::Row(line(rec.position()))),
        Err(e) => {
            if let csv::ErrorKind::Io(io) = e.kind()
                && let Some(long) = io.get_ref().and_then(|inner| inner.downcast_ref::<decode::RowTooLong>())
            {
                return Err(long.to_string()); // names its own line
            }
            let line = line(e.position());
            if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                return Err(format!("read failed at line {line} ({e})"));
            }
            Ok(Step::Bad(line, format!("unreadable row ({e})")))
        }
    }
}

/// Reads one field of a CSV byte record as text, within the size limit.
pub(crate) fn field<'r>(
    rec: &'r csv::ByteRecord,
    idx: Option<usize>,
    name: &str,
) -> std::result::Result<&'r str, String> {
    let Some(bytes) = idx.and_then(|i| rec.get(i)) else { return Ok("") };
    if bytes.len() > MAX_FIELD_BYTES {
        return Err(format!("field `{name}` is {} bytes, over the 64 KiB limit", bytes.len()));
    }
    std::str::from_utf8(bytes).map_err(|_| format!("field `{name}` is not valid UTF-8"))
}

/// The header's column positions, by name (case-insensitive, BOM and spaces ignored).
pub(crate) fn columns(headers: &csv::ByteRecord) -> HashMap<String, usize> {
    headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let name = String::from_utf8_lossy(h);
            (name.trim_start_matches('\u{feff}').trim().to_ascii_lowercase(), i)
        })
        .collect()
}

/// Whether the text read so far ends with a line break.
pub(crate) type AtLineEnd = std::sync::Arc<std::sync::atomic::AtomicBool>;

/// Reads the header line (skipping up to `preamble` lines before one that `is_header`
/// accepts) and returns a CSV reader over the header and the rest, with the separator the
/// header uses, how many lines were skipped, and the flag that says whether the text read so
/// far ends with a line break.
pub(crate) fn csv_after_header<R: Read>(
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
