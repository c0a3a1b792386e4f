//! Reading a store that cannot be written or is damaged (`--read-only`): opening it without
//! writing, reading its rows by id while stepping over pages that cannot be read, and
//! rescuing every readable row into a fresh copy.

use super::files::check_header;
use super::health::sibling;
use super::rows::{decision_columns, request_columns, row_to_decision, row_to_request};
use super::{Result, Store, StoreError, schema, sqlite_err};
use crate::model::{DecisionRow, RequestRow, Status};
use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Row, params, params_from_iter};
use std::fs;
use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

impl Store {
    /// Opens an existing store for reading only: no migration, no write, nothing created.
    /// Works on a read-only file or folder and on a damaged file (as far as its pages can be
    /// read). The header is checked first, so a foreign or newer file is still refused.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        match fs::metadata(path) {
            Ok(m) if m.is_dir() => return Err(StoreError::IsDirectory { path: path.into() }),
            Ok(m) if m.len() == 0 => return Err(StoreError::Empty { path: path.into() }),
            Ok(_) => check_header(path)?,
            Err(source) => return Err(StoreError::Io { path: path.into(), action: "cannot open", source }),
        }
        super::check_companions(path)?;
        // Only a normal open may roll back what an interrupted import left: read now, the file
        // would be half an import, and look damaged.
        if has_hot_journal(path) {
            return Err(StoreError::Interrupted { path: path.into() });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
        // A URI names the file byte by byte: any path opens, UTF-8 or not.
        let uri = |extra: &str| -> Result<String> {
            use std::os::unix::ffi::OsStrExt;
            let mut u = String::from("file:");
            for &b in path.as_os_str().as_bytes() {
                match b {
                    b'%' | b'?' | b'#' => u.push_str(&format!("%{b:02X}")),
                    0x21..=0x7e => u.push(b as char),
                    _ => u.push_str(&format!("%{b:02X}")),
                }
            }
            Ok(format!("{u}?mode=ro{extra}"))
        };
        // A file or folder without write permission, with no WAL beside it: nothing can be in a
        // WAL, and nobody is meant to write there, so the file is read as immutable — SQLite
        // then creates no -wal/-shm either, and the folder stays exactly as it was.
        // An empty -wal (left by an open the full disk stopped) holds nothing either.
        let wal_exists = fs::metadata(sibling(path, "-wal")).is_ok_and(|m| m.len() > 0);
        let unwritable = |p: &Path| fs::metadata(p).is_ok_and(|m| m.permissions().mode() & 0o222 == 0);
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let immutable = !wal_exists && (unwritable(path) || unwritable(dir));
        let conn = Connection::open_with_flags(uri(if immutable { "&immutable=1" } else { "" })?, flags)
            .map_err(|e| sqlite_err(path, e))?;
        let mut store = Store::wrap(conn, path);
        // A WAL-mode file in a folder we cannot create -shm in, with no -wal left behind:
        // reading it as immutable loses nothing.
        if !immutable
            && !wal_exists
            && store.conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(())).is_err()
        {
            let conn = Connection::open_with_flags(uri("&immutable=1")?, flags).map_err(|e| sqlite_err(path, e))?;
            store = Store::wrap(conn, path);
        }
        store.conn.busy_timeout(super::BUSY_TIMEOUT).map_err(|e| store.err(e))?;
        store.conn.execute_batch("PRAGMA query_only = ON").map_err(|e| store.err(e))?;
        let (user_version, app_id): (i32, i32) = store
            .conn
            .query_row("SELECT (SELECT user_version FROM pragma_user_version), (SELECT application_id FROM pragma_application_id)", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .map_err(|e| store.err(e))?;
        if app_id != schema::APPLICATION_ID {
            return Err(StoreError::Foreign { path: path.into() });
        }
        if user_version > schema::latest_version() {
            return Err(StoreError::Newer {
                path: path.into(),
                found: user_version,
                supported: schema::latest_version(),
            });
        }
        Ok(store)
    }

    /// Every readable request (with `status`, or all), in id order, stepping over damaged
    /// pages. Returns how many could not be read.
    pub fn salvage_requests<E>(
        &self,
        status: Option<Status>,
        emit: &mut dyn FnMut(RequestRow) -> std::result::Result<(), E>,
    ) -> std::result::Result<u64, E> {
        let filter = match status {
            None => String::new(),
            Some(s) => format!(" AND r.status = '{}'", s.as_str()),
        };
        let from = "FROM request r JOIN person p ON p.id = r.person_id";
        let columns = request_columns(&self.conn);
        let page_sql = format!("SELECT {columns} {from} WHERE r.id >= ?1{filter} ORDER BY r.id LIMIT ?2");
        let point_sql = format!("SELECT {columns} {from} WHERE r.id = ?1{filter}");
        let map = |r: &Row<'_>| -> rusqlite::Result<(i64, RequestRow)> {
            let row = row_to_request(r)?;
            Ok((row.id, row))
        };
        salvage(&self.conn, &page_sql, &point_sql, max_id(&self.conn, "request"), false, map, emit)
    }

    /// Every readable decision, newest first, stepping over damaged pages. Returns how many
    /// could not be read.
    pub fn salvage_decisions<E>(
        &self,
        emit: &mut dyn FnMut(DecisionRow) -> std::result::Result<(), E>,
    ) -> std::result::Result<u64, E> {
        let from = "FROM decision d JOIN request r ON r.id = d.request_id JOIN person p ON p.id = r.person_id";
        let columns = decision_columns(&self.conn);
        let page_sql = format!("SELECT {columns} {from} WHERE d.id <= ?1 ORDER BY d.id DESC LIMIT ?2");
        let point_sql = format!("SELECT {columns} {from} WHERE d.id = ?1");
        let map = |r: &Row<'_>| -> rusqlite::Result<(i64, DecisionRow)> {
            let row = row_to_decision(r)?;
            Ok((row.id, row))
        };
        // A batch's size is counted once; on a damaged page the count may fail: left unknown.
        let mut counted = |mut row: DecisionRow| {
            let _ = self.batch_sizes.borrow_mut().fill(&self.conn, std::iter::once(&mut row));
            emit(row)
        };
        salvage(&self.conn, &page_sql, &point_sql, max_id(&self.conn, "decision"), true, map, &mut counted)
    }

    /// Whether the file passes `PRAGMA quick_check`.
    pub fn passes_quick_check(&self) -> bool {
        self.conn.query_row("PRAGMA quick_check(1)", [], |r| r.get::<_, String>(0)).is_ok_and(|s| s == "ok")
    }

    /// Copies every readable row of a (damaged) store into a fresh in-memory store, table by
    /// table, stepping over rows on damaged pages. Returns the copy and how many rows were lost
    /// (a table that cannot be read at all counts its readable row count as unknown: +1).
    pub fn rescue(&self) -> Result<(Store, u64)> {
        let src = &self.conn;
        let mut copy = Store::in_memory()?;
        let sql_err = |e: rusqlite::Error| StoreError::Sqlite { path: ":memory:".into(), source: e };
        copy.conn.execute_batch("PRAGMA foreign_keys = OFF").map_err(sql_err)?;
        let tables: Vec<(String, String)> = src
            .prepare(
                "SELECT name, coalesce(sql, '') FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )
            .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
            .map_err(|e| self.err(e))?;
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
                .conn
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
                tx.prepare_cached(&insert).and_then(|mut s| s.execute(params_from_iter(row))).map_err(sql_err)?;
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
                fn row_values(r: &Row<'_>) -> rusqlite::Result<(i64, Vec<Value>)> {
                    let n = r.as_ref().column_count();
                    Ok((r.get(0)?, (1..n).map(|i| r.get::<_, Value>(i)).collect::<rusqlite::Result<_>>()?))
                }
                lost += salvage(src, &page, &point, max_id(src, &quoted), false, row_values, &mut put)?;
            }
            tx.commit().map_err(sql_err)?;
        }
        Ok((copy, lost))
    }
}

/// Whether a rollback journal that SQLite would play back (a hot journal: its header not
/// zeroed) lies beside the store: what a killed first import leaves.
pub(crate) fn has_hot_journal(path: &Path) -> bool {
    const MAGIC: [u8; 8] = [0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7];
    let mut head = [0u8; 8];
    fs::File::open(sibling(path, "-journal")).and_then(|mut f| f.read_exact(&mut head)).is_ok() && head == MAGIC
}

/// Reads rows by id, `PAGE` at a time, stepping over ids whose pages cannot be read: a
/// damaged page costs the rows on it, not the whole listing. Returns how many ids failed.
fn salvage<T, E>(
    conn: &Connection,
    page_sql: &str,
    point_sql: &str,
    max_id: i64,
    descending: bool,
    map: fn(&Row<'_>) -> rusqlite::Result<(i64, T)>,
    emit: &mut dyn FnMut(T) -> std::result::Result<(), E>,
) -> std::result::Result<u64, E> {
    const PAGE: i64 = 500;
    let mut unreadable = 0;
    // The next id to read (inclusive).
    let mut next = if descending { max_id } else { 1 };
    let done = |id: i64| if descending { id < 1 } else { id > max_id };
    while !done(next) {
        let page: rusqlite::Result<Vec<(i64, T)>> =
            conn.prepare_cached(page_sql).and_then(|mut s| s.query_map(params![next, PAGE], map)?.collect());
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
                match conn.prepare_cached(point_sql).and_then(|mut s| s.query_row([next], map).optional()) {
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

fn max_id(conn: &Connection, table: &str) -> i64 {
    // The largest rowid; if even that page is damaged, the sequence table or a generous bound.
    conn.query_row(&format!("SELECT max(rowid) FROM {table}"), [], |r| r.get::<_, Option<i64>>(0))
        .ok()
        .flatten()
        .or_else(|| conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).ok())
        .unwrap_or(1_000_000)
}
