//! The commands for a store in trouble, or to keep it from trouble: `vetted doctor`, `vetted
//! backup FILE`, and the `--read-only` readers of `list`, `log` and `export`, which step over
//! what a damaged file cannot give. The work is in `store::health` and `store::salvage`; this
//! is what they print.

use crate::commands::Listing;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::text;
use std::io::Write;
use std::path::Path;

fn out_err(e: std::io::Error) -> Error {
    Error::io("cannot write the output", e)
}

/// One line per check: `NAME  ok: …` or `NAME  problem: …`; an error (exit 1) when any check
/// found a problem. Opens the store read-only, so a damaged file is examined, never changed.
pub fn doctor(database: &Path, json: bool, out: &mut dyn Write) -> Result<()> {
    let mut checks: Vec<(&str, std::result::Result<String, String>)> = Vec::new();
    if !database.exists() {
        checks.push(("store", Err("no database there yet (`vetted import` or `vetted add` creates it)".into())));
    } else {
        match Store::open_read_only(database) {
            Ok(store) => checks.extend(store.doctor().into_iter().map(|c| (c.name, c.result))),
            Err(e) => checks.push(("store", Err(e.to_string()))),
        }
    }
    let problems = checks.iter().filter(|(_, r)| r.is_err()).count();
    if json {
        let checks: Vec<serde_json::Value> = checks
            .iter()
            .map(|(name, r)| {
                let (ok, detail) = match r {
                    Ok(d) => (true, d),
                    Err(d) => (false, d),
                };
                serde_json::json!({ "name": name, "ok": ok, "detail": detail })
            })
            .collect();
        let value = serde_json::json!({ "database": database, "ok": problems == 0, "checks": checks });
        writeln!(out, "{}", crate::commands::json_safe(&value)).map_err(out_err)?;
    } else {
        writeln!(out, "database     {}", text::line(&database.display().to_string())).map_err(out_err)?;
        for (name, result) in &checks {
            let (word, detail) = match result {
                Ok(d) => ("ok", d),
                Err(d) => ("problem", d),
            };
            let word = if result.is_ok() { word.to_string() } else { crate::paint::warning(word) };
            writeln!(out, "{name:<12} {word}: {}", text::line(detail)).map_err(out_err)?;
        }
    }
    match problems {
        0 => Ok(()),
        1 => Err(Error::Failed("doctor found a problem".into())),
        n => Err(Error::Failed(format!("doctor found {n} problems"))),
    }
}

pub fn backup(store: &Store, file: &Path, json: bool, out: &mut dyn Write) -> Result<()> {
    store.backup(file).map_err(|e| match e {
        crate::store::StoreError::Exists { .. } => Error::Usage(e.to_string()),
        e => Error::from(e),
    })?;
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    if json {
        let value = serde_json::json!({ "path": file, "bytes": size, "integrity": "ok" });
        return writeln!(out, "{}", crate::commands::json_safe(&value)).map_err(out_err);
    }
    writeln!(
        out,
        "backed up to {} ({}, integrity ok, private 0600)",
        text::line(&file.display().to_string()),
        crate::store::health::human(size)
    )
    .map_err(out_err)
}

fn report_unreadable(unreadable: u64, what: &str) {
    if unreadable > 0 {
        eprintln!(
            "vetted: {unreadable} {what} could not be read (damaged pages); `vetted doctor` checks the file, \
             `vetted backup` copies what is readable"
        );
    }
}

/// `vetted --read-only list`: by id (not by date), every readable request, stepping over
/// damaged pages.
pub fn list_read_only(store: &Store, args: &crate::cli::ListArgs, out: &mut dyn Write) -> Result<()> {
    if !args.json {
        writeln!(out, "{}", crate::commands::list_header()).map_err(out_err)?;
    }
    let mut listing = Listing::start(args.json, out)?;
    let status = crate::commands::status_filter(args.status);
    let unreadable = store.salvage_requests(status, &mut |row| listing.item(&row, crate::commands::list_line))?;
    listing.finish("(none)")?;
    report_unreadable(unreadable, "requests");
    Ok(())
}

/// True when `vetted log` was asked for everything (what the salvaging reader can do).
pub fn unfiltered(args: &crate::cli::LogArgs) -> bool {
    args.decision.is_none()
        && args.since.is_none()
        && args.until.is_none()
        && args.grep.is_none()
        && args.person.is_none()
}

/// `vetted --read-only log`: newest first, every readable decision, stepping over damaged pages.
pub fn log_read_only(store: &Store, args: &crate::cli::LogArgs, out: &mut dyn Write) -> Result<()> {
    if !args.json {
        writeln!(out, "{}", crate::commands::log_header()).map_err(|e| Error::io("cannot write the output", e))?;
    }
    let mut listing = Listing::start(args.json, out)?;
    let unreadable = store.salvage_decisions(&mut |d| listing.item(&d, crate::commands::log_line))?;
    listing.finish("(no decisions yet)")?;
    report_unreadable(unreadable, "decisions");
    Ok(())
}

/// `vetted --read-only export`: from the store itself when it passes `quick_check`, else from
/// a rescued copy of every readable row (and a warning of what was lost).
pub fn export_read_only(
    store: &Store,
    args: &crate::cli::ExportArgs,
    terminal: bool,
    out: &mut dyn Write,
) -> Result<()> {
    if store.passes_quick_check() {
        return crate::commands::export(store, args, terminal, out);
    }
    let (copy, lost) = store.rescue()?;
    eprintln!(
        "vetted: the database is damaged; exporting every readable row ({lost} could not be read); \
         `vetted doctor` checks the file"
    );
    crate::commands::export(&copy, args, terminal, out)
}
