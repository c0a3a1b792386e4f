//! The maintenance commands: `vetted doctor`, `vetted backup FILE`, `vetted forget PERSON`.
//! The work is in `store::maintenance`; this is what they print.

use crate::cli::ForgetArgs;
use crate::commands::Listing;
use crate::error::{Error, Result};
use crate::import::url;
use crate::store::{PersonRef, Store};
use crate::text;
use std::io::{BufRead, Write};
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

pub fn backup(store: &Store, file: &Path, out: &mut dyn Write) -> Result<()> {
    store.backup(file).map_err(|e| match e {
        crate::store::StoreError::Exists { .. } => Error::Usage(e.to_string()),
        e => Error::from(e),
    })?;
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    writeln!(
        out,
        "backed up to {} ({}, integrity ok, private 0600)",
        text::line(&file.display().to_string()),
        crate::store::maintenance::human(size)
    )
    .map_err(out_err)
}

/// `PERSON`: a request id as `vetted list` shows it, or a profile URL.
pub fn person_ref(raw: &str) -> Result<PersonRef> {
    if let Ok(id) = raw.trim().parse::<i64>() {
        return Ok(PersonRef::Request(id));
    }
    match url::normalize(raw) {
        Some(u) if raw.contains('/') => Ok(PersonRef::ProfileUrl(u)),
        _ => Err(Error::Usage(format!("{raw:?}: give a request id from `vetted list` or a profile URL"))),
    }
}

pub fn forget(store: &mut Store, args: &ForgetArgs, interactive: bool, out: &mut dyn Write) -> Result<()> {
    let who = person_ref(&args.person)?;
    let (_, name, _) = store.find_person(&who)?;
    if !args.yes {
        if !interactive {
            return Err(Error::Usage(format!(
                "forgetting {} cannot be undone: add --yes to confirm",
                text::line(&name)
            )));
        }
        let mut err = std::io::stderr();
        write!(err, "Forget {} — every request, note, answer and decision — for good? Type yes: ", text::line(&name))
            .map_err(out_err)?;
        err.flush().map_err(out_err)?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer).map_err(|e| Error::io("cannot read the answer", e))?;
        if answer.trim() != "yes" {
            writeln!(out, "nothing forgotten").map_err(out_err)?;
            return Ok(());
        }
    }
    let f = store.forget(&who)?;
    writeln!(
        out,
        "forgot {}: {} request(s), {} decision(s), {} note(s), {} checklist answer(s); tombstone #{} keeps only the \
         date and these counts",
        text::line(&f.name),
        f.requests,
        f.decisions,
        f.notes,
        f.answers,
        f.tombstone
    )
    .map_err(out_err)?;
    if !f.scrubbed {
        writeln!(
            out,
            "warning: another vetted process is using the store, so the file could not be scrubbed yet: \
             deleted text may remain in it until the next time vetted opens it while nothing else does"
        )
        .map_err(out_err)?;
    }
    Ok(())
}

/// Reads rows by id, `PAGE` at a time, stepping over ids whose pages cannot be read: a
/// damaged page costs the rows on it, not the whole listing. Returns how many ids failed.
fn salvage<T>(
    conn: &rusqlite::Connection,
    page_sql: &str,
    point_sql: &str,
    max_id: i64,
    descending: bool,
    map: fn(&rusqlite::Row<'_>) -> rusqlite::Result<(i64, T)>,
    emit: &mut dyn FnMut(T) -> Result<()>,
) -> Result<u64> {
    const PAGE: i64 = 500;
    let mut unreadable = 0;
    // The next id to read (inclusive).
    let mut next = if descending { max_id } else { 1 };
    let done = |id: i64| if descending { id < 1 } else { id > max_id };
    while !done(next) {
        let page: rusqlite::Result<Vec<(i64, T)>> =
            conn.prepare_cached(page_sql).and_then(|mut s| s.query_map(rusqlite::params![next, PAGE], map)?.collect());
        match page {
            Ok(rows) => {
                let full = rows.len() as i64 == PAGE;
                let last = rows.last().map(|r| r.0);
                for (_, row) in rows {
                    emit(row)?;
                }
                match (full, last) {
                    (true, Some(last)) => next = if descending { last - 1 } else { last + 1 },
                    _ => break,
                }
            }
            Err(_) => {
                // One id at a time until the damaged stretch is behind us.
                match conn.prepare_cached(point_sql).and_then(|mut s| {
                    use rusqlite::OptionalExtension;
                    s.query_row([next], map).optional()
                }) {
                    Ok(Some((_, row))) => emit(row)?,
                    Ok(None) => {}
                    Err(_) => unreadable += 1,
                }
                next = if descending { next - 1 } else { next + 1 };
            }
        }
    }
    Ok(unreadable)
}

fn max_id(conn: &rusqlite::Connection, table: &str) -> i64 {
    // The largest rowid; if even that page is damaged, the sequence table or a generous bound.
    conn.query_row(&format!("SELECT max(rowid) FROM {table}"), [], |r| r.get::<_, Option<i64>>(0))
        .ok()
        .flatten()
        .or_else(|| conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).ok())
        .unwrap_or(1_000_000)
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
    use crate::store::rows::{REQUEST_COLUMNS, row_to_request};
    let filter = match crate::commands::status_filter(args.status) {
        None => String::new(),
        Some(s) => format!(" AND r.status = '{}'", s.as_str()),
    };
    let from = "FROM request r JOIN person p ON p.id = r.person_id";
    let page_sql = format!("SELECT {REQUEST_COLUMNS} {from} WHERE r.id >= ?1{filter} ORDER BY r.id LIMIT ?2");
    let point_sql = format!("SELECT {REQUEST_COLUMNS} {from} WHERE r.id = ?1{filter}");
    let map = |r: &rusqlite::Row<'_>| -> rusqlite::Result<(i64, crate::model::RequestRow)> {
        let row = row_to_request(r)?;
        Ok((row.id, row))
    };
    if !args.json {
        writeln!(out, "{}", crate::commands::list_header()).map_err(out_err)?;
    }
    let mut listing = Listing::start(args.json, out)?;
    let unreadable =
        salvage(store.conn(), &page_sql, &point_sql, max_id(store.conn(), "request"), false, map, &mut |row| {
            listing.item(&row, crate::commands::list_line)
        })?;
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
    use crate::store::rows::{DECISION_COLUMNS, row_to_decision};
    let from = "FROM decision d JOIN request r ON r.id = d.request_id JOIN person p ON p.id = r.person_id";
    let page_sql = format!("SELECT {DECISION_COLUMNS} {from} WHERE d.id <= ?1 ORDER BY d.id DESC LIMIT ?2");
    let point_sql = format!("SELECT {DECISION_COLUMNS} {from} WHERE d.id = ?1");
    let map = |r: &rusqlite::Row<'_>| -> rusqlite::Result<(i64, crate::model::DecisionRow)> {
        let row = row_to_decision(r)?;
        Ok((row.id, row))
    };
    let mut listing = Listing::start(args.json, out)?;
    let unreadable =
        salvage(store.conn(), &page_sql, &point_sql, max_id(store.conn(), "decision"), true, map, &mut |d| {
            listing.item(&d, crate::commands::log_line)
        })?;
    listing.finish("(no decisions yet)")?;
    report_unreadable(unreadable, "decisions");
    Ok(())
}

/// Copies every readable row of a (damaged) store into a fresh in-memory store, table by
/// table, stepping over rows on damaged pages. Returns the copy and how many rows were lost
/// (a table that cannot be read at all counts its readable row count as unknown: +1).
pub fn rescue(store: &Store) -> Result<(Store, u64)> {
    use rusqlite::types::Value;
    let src = store.conn();
    let mut copy = Store::in_memory()?;
    let sql_err =
        |e: rusqlite::Error| Error::from(crate::store::StoreError::Sqlite { path: ":memory:".into(), source: e });
    copy.conn().execute_batch("PRAGMA foreign_keys = OFF").map_err(sql_err)?;
    let tables: Vec<(String, String)> = src
        .prepare("SELECT name, coalesce(sql, '') FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
        .map_err(|e| Error::from(crate::store::sqlite_err(store.path(), e)))?;
    let virtual_tables: Vec<&str> =
        tables.iter().filter(|(_, sql)| sql.starts_with("CREATE VIRTUAL")).map(|(n, _)| n.as_str()).collect();
    let mut lost = 0u64;
    for (table, sql) in &tables {
        // Search indexes (and their shadow tables) are rebuilt by the app, never copied.
        if virtual_tables.iter().any(|v| table == v || table.starts_with(&format!("{v}_"))) {
            continue;
        }
        let quoted = format!("\"{}\"", table.replace('"', "\"\""));
        let dest_cols: Vec<String> = copy
            .conn()
            .prepare(&format!("SELECT name FROM pragma_table_info('{}')", table.replace('\'', "''")))
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .map_err(sql_err)?;
        let src_cols: Vec<String> = src
            .prepare(&format!("SELECT name FROM pragma_table_info('{}')", table.replace('\'', "''")))
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .unwrap_or_default();
        let cols: Vec<String> = src_cols.into_iter().filter(|c| dest_cols.contains(c)).collect();
        if cols.is_empty() {
            continue;
        }
        let list = cols.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect::<Vec<_>>().join(", ");
        let marks = vec!["?"; cols.len()].join(", ");
        let insert = format!("INSERT OR REPLACE INTO {quoted} ({list}) VALUES ({marks})");
        let n = cols.len();
        let tx = copy.write()?;
        let mut put = |row: Vec<Value>| -> Result<()> {
            tx.prepare_cached(&insert).and_then(|mut s| s.execute(rusqlite::params_from_iter(row))).map_err(sql_err)?;
            Ok(())
        };
        if sql.contains("WITHOUT ROWID") {
            // No rowid to step by: all or, when damaged, nothing.
            let rows: rusqlite::Result<Vec<Vec<Value>>> = src
                .prepare(&format!("SELECT {list} FROM {quoted}"))
                .and_then(|mut s| s.query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())?.collect());
            match rows {
                Ok(rows) => rows.into_iter().try_for_each(&mut put)?,
                Err(_) => lost += 1,
            }
        } else {
            let page = format!("SELECT rowid, {list} FROM {quoted} WHERE rowid >= ?1 ORDER BY rowid LIMIT ?2");
            let point = format!("SELECT rowid, {list} FROM {quoted} WHERE rowid = ?1");
            fn row_values(r: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, Vec<Value>)> {
                let n = r.as_ref().column_count();
                Ok((r.get(0)?, (1..n).map(|i| r.get::<_, Value>(i)).collect::<rusqlite::Result<_>>()?))
            }
            lost += salvage(src, &page, &point, max_id(src, &quoted), false, row_values, &mut put)?;
        }
        tx.commit().map_err(sql_err)?;
    }
    Ok((copy, lost))
}

/// `vetted --read-only export`: from the store itself when it passes `quick_check`, else from
/// a rescued copy of every readable row (and a warning of what was lost).
pub fn export_read_only(
    store: &Store,
    args: &crate::cli::ExportArgs,
    terminal: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let sound = store.conn().query_row("PRAGMA quick_check(1)", [], |r| r.get::<_, String>(0)).is_ok_and(|s| s == "ok");
    if sound {
        return crate::commands::export(store, args, terminal, out);
    }
    let (copy, lost) = rescue(store)?;
    eprintln!(
        "vetted: the database is damaged; exporting every readable row ({lost} could not be read); \
         `vetted doctor` checks the file"
    );
    crate::commands::export(&copy, args, terminal, out)
}
