//! The decision log written out: CSV (safe to open in a spreadsheet), Markdown (to read), and
//! JSON (a complete backup that `vetted import` restores into an empty store).

use crate::store::{Result, Store, output_err};
use crate::text;
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Json,
    Md,
}

pub use crate::model::BACKUP_TAG;

/// A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, tab or CR as a formula:
/// such cells get a leading `'`, the usual neutraliser, which spreadsheets show as text.
pub fn csv_cell(s: &str) -> std::borrow::Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}").into(),
        _ => s.into(),
    }
}

fn answers_text(answers: &std::collections::BTreeMap<String, bool>) -> String {
    answers.iter().map(|(k, v)| format!("{k}={}", if *v { "yes" } else { "no" })).collect::<Vec<_>>().join("; ")
}

pub fn write(store: &Store, format: Format, exported_at: &str, out: &mut dyn Write) -> Result<()> {
    // Few large writes: `out` passes writes larger than its own buffer straight through.
    let mut out = std::io::BufWriter::with_capacity(1 << 20, out);
    match format {
        Format::Csv => csv(store, &mut out),
        Format::Md => markdown(store, exported_at, &mut out),
        Format::Json => json(store, exported_at, &mut out),
    }?;
    out.flush().map_err(output_err)
}

fn csv(store: &Store, out: &mut dyn Write) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let io = |e: csv::Error| std::io::Error::other(e.to_string());
    w.write_record([
        "decision_id",
        "decided_at",
        "decision",
        "undo",
        "supersedes",
        "name",
        "profile_url",
        "reason",
        "checklist",
        "sent_at",
        "message",
        "notes",
        "defer_until",
    ])
    .map_err(|e| crate::store::StoreError::Io {
        path: "the export output".into(),
        action: "cannot write",
        source: io(e),
    })?;
    store.each_log_entry(|e| {
        let (id, supersedes, answers) =
            (e.id.to_string(), e.supersedes.map(|s| s.to_string()).unwrap_or_default(), answers_text(&e.answers));
        let cells: [&str; 13] = [
            &id,
            e.decided_at,
            e.decision,
            if e.undo { "true" } else { "false" },
            &supersedes,
            e.name,
            e.profile_url.unwrap_or_default(),
            e.reason,
            &answers,
            e.sent_at,
            e.message,
            e.notes.unwrap_or_default(),
            e.defer_until.unwrap_or_default(),
        ];
        for cell in cells {
            w.write_field(&*csv_cell(cell)).map_err(io)?;
        }
        w.write_record(None::<&[u8]>).map_err(io)
    })?;
    w.flush().map_err(|e| crate::store::StoreError::Io {
        path: "the export output".into(),
        action: "cannot write",
        source: e,
    })
}

fn markdown(store: &Store, exported_at: &str, out: &mut dyn Write) -> Result<()> {
    writeln!(out, "# vetted decision log\n\nExported {exported_at}.\n").map_err(output_err)?;
    store.each_log_entry(|e| {
        let what = if e.undo { format!("undo → {}", e.decision) } else { e.decision.to_string() };
        let day = crate::clock::local_day(e.decided_at, crate::clock::zone());
        writeln!(out, "## {day} — {what} — {}\n", text::line(e.name))?;
        if let Some(until) = e.defer_until {
            writeln!(out, "- until: {}", crate::clock::local_day(until, crate::clock::zone()))?;
        }
        if let Some(url) = &e.profile_url {
            writeln!(out, "- profile: {}", text::line(url))?;
        }
        if !e.reason.is_empty() {
            writeln!(out, "- reason: {}", text::line(e.reason))?;
        }
        if !e.answers.is_empty() {
            writeln!(out, "- checklist: {}", text::line(&answers_text(&e.answers)))?;
        }
        if !e.message.is_empty() {
            writeln!(out, "- message:")?;
            for line in text::block(e.message).lines() {
                writeln!(out, "  > {line}")?;
            }
        }
        if let Some(notes) = &e.notes {
            writeln!(out, "- notes:")?;
            for line in text::block(notes).lines() {
                writeln!(out, "  {line}")?;
            }
        }
        writeln!(out)
    })
}

/// Writes one JSON array member per line, so a backup of any size streams out.
fn json_section(
    out: &mut dyn Write,
    name: &str,
    each: impl FnOnce(&mut dyn FnMut(&[u8]) -> std::io::Result<()>) -> Result<()>,
) -> Result<()> {
    write!(out, ",\n\"{name}\": [").map_err(output_err)?;
    let mut first = true;
    each(&mut |row: &[u8]| {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        first = false;
        out.write_all(row)
    })?;
    write!(out, "\n]").map_err(output_err)
}

fn json(store: &Store, exported_at: &str, out: &mut dyn Write) -> Result<()> {
    write!(out, "{{\"{BACKUP_TAG}\": 1, \"exported_at\": \"{exported_at}\"").map_err(output_err)?;
    json_section(out, "people", |f| store.each_person(f))?;
    json_section(out, "requests", |f| store.each_request(f))?;
    json_section(out, "answers", |f| store.each_answer(f))?;
    json_section(out, "decisions", |f| store.each_decision(f))?;
    json_section(out, "connections", |f| store.each_connection(f))?;
    json_section(out, "outgoing_invitations", |f| store.each_outgoing(f))?;
    writeln!(out, "\n}}").map_err(output_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_prefixes_are_neutralised() {
        for s in ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(csv_cell(s).starts_with('\''), "{s:?}");
        }
        assert_eq!(csv_cell("plain, text"), "plain, text");
        assert_eq!(csv_cell(""), "");
    }
}
