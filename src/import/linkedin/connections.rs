//! Connections.csv: the user's connections, with or without the Notes preamble (2022 on).

use super::{CONNECTIONS, after_header, cell, refusal};
use crate::import::csv_rows::{Step, columns, next_row};
use crate::import::loader::{Loader, Progress};
use crate::import::{Result, dates, url};
use std::io::Read;

/// Connections.csv, with or without the three-line Notes preamble (2022 on). It is read
/// whole or refused: a row it skipped would make that connection look like a pending request.
pub(super) fn read<R: Read>(
    loader: &mut dyn Loader,
    reader: R,
    file: &str,
    progress: Option<&dyn Progress>,
) -> Result<()> {
    let refused = refusal(file);
    let (mut rdr, lines, at_line_end, headers) =
        after_header(reader, file, 10, |l| l.starts_with("First Name"), "`First Name,Last Name,…`", CONNECTIONS)?;
    let cols = columns(&headers);
    let col = |name: &str| cols.get(name).copied();
    let (first, last, url_col, on) = (col("first name"), col("last name"), col("url"), col("connected on"));
    if first.is_none() || last.is_none() {
        return Err(refused("the header has no `First Name` and `Last Name`: not LinkedIn's Connections.csv".into()));
    }
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
            loader.blank_connection(); // closed or hidden accounts: only the date is left
            continue;
        }
        let raw_on = cell(&rec, on, "Connected On").map_err(at_line)?.trim();
        let connected_on = dates::linkedin_connected_on(raw_on).unwrap_or_else(|| {
            undated += u64::from(!raw_on.is_empty());
            String::new()
        });
        loader.connection(url.as_deref(), name.trim(), &connected_on)?;
        if let Some(progress) = progress {
            progress.at(rec.position().map_or(0, |p| p.byte()));
        }
    }
    if undated > 0 {
        loader.note(format!(
            "{undated} rows of {} have a Connected On vetted cannot read: kept without a date",
            crate::text::line(file)
        ));
    }
    Ok(())
}
