//! Reading the decision log as a whole: reasons given before, and the complete backup (every
//! table, row by row, so memory stays flat). The statistics are in `stats.rs`.

use super::decisions::DEFERRAL_DUE;
use super::{Result, Store, StoreError};
use crate::text;
use rusqlite::types::ValueRef;
use serde::Serialize;
use std::collections::BTreeMap;

/// One decision with what was known then, for the CSV and Markdown exports (its text borrowed
/// from the row being read).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogEntry<'a> {
    pub id: i64,
    pub decided_at: &'a str,
    pub decision: &'a str,
    pub undo: bool,
    pub supersedes: Option<i64>,
    pub name: &'a str,
    pub profile_url: Option<&'a str>,
    pub reason: &'a str,
    pub answers: BTreeMap<String, bool>,
    pub sent_at: &'a str,
    pub message: &'a str,
    pub notes: Option<&'a str>,
    /// When a deferral comes back.
    pub defer_until: Option<&'a str>,
}

/// An export's output failed (a full disk, a closed pipe).
pub(crate) fn output_err(source: std::io::Error) -> StoreError {
    StoreError::Io { path: "the export output".into(), action: "cannot write", source }
}

/// A reason as reasons are compared: trimmed, every run of whitespace one space, lowercased
/// ("Selling  " and "selling" are one reason).
pub fn reason_key(reason: &str) -> String {
    reason.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// How many of the newest decisions a reason prompt recalls reasons from (a prompt opens at
/// once whatever the size of the log).
pub const REASONS_RECALLED: i64 = 20_000;

/// The reasons people gave (not undos, not deferrals coming back; `status`: only decisions
/// of that kind; `newest`: only among that many newest decisions; `latest`: only each
/// request's latest decision, so a batch undone and redone, or a decline changed since, counts
/// as the request stands), one per [`reason_key`]: the key, the spelling used most and how
/// often, most used first.
pub(super) fn reasons_given(
    conn: &rusqlite::Connection,
    status: Option<&str>,
    newest: Option<i64>,
    latest: bool,
) -> rusqlite::Result<Vec<(String, String, u64)>> {
    let above: i64 = match newest {
        Some(n) => conn.query_row("SELECT coalesce(max(id), 0) FROM decision", [], |r| r.get::<_, i64>(0))? - n,
        None => 0,
    };
    // Two statements rather than one with a flag: the prompt's recall (not `latest`) never pays
    // for the latest-decision subquery.
    // `latest`: each request whose status is `status` now, by the last decision of that kind it
    // was not an undo (a decline, then an accept undone, counts the decline's reason). The
    // requests in their own order (a scan), so that their decisions are looked up in about the
    // order they are stored rather than at random (4× faster at 1M, docs/performance.md).
    let sql = if latest {
        "SELECT d.reason, count(*) FROM request r NOT INDEXED JOIN decision d ON d.id = \
           (SELECT max(x.id) FROM decision x WHERE x.request_id = r.id AND x.status = ?2 AND x.undo = 0) \
         WHERE r.status = ?2 AND d.id > ?3 AND d.reason <> '' AND d.reason <> ?1 GROUP BY d.reason"
    } else {
        "SELECT reason, count(*) FROM decision WHERE id > ?3 AND undo = 0 AND reason <> '' AND reason <> ?1 \
         AND (?2 IS NULL OR status = ?2) GROUP BY reason"
    };
    let spellings: Vec<(String, u64)> = conn
        .prepare_cached(sql)?
        .query_map(rusqlite::params![DEFERRAL_DUE, status, above], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?
        .collect::<rusqlite::Result<_>>()?;
    // key → (total, the most used spelling and its count)
    let mut by_key: std::collections::HashMap<String, (u64, String, u64)> = std::collections::HashMap::new();
    for (spelling, n) in spellings {
        let key = reason_key(&spelling);
        if key.is_empty() {
            continue;
        }
        let shown = spelling.split_whitespace().collect::<Vec<_>>().join(" ");
        let entry = by_key.entry(key).or_insert((0, shown.clone(), 0));
        entry.0 += n;
        if n > entry.2 || (n == entry.2 && shown < entry.1) {
            (entry.1, entry.2) = (shown, n);
        }
    }
    let mut out: Vec<(String, String, u64)> =
        by_key.into_iter().map(|(k, (total, shown, _))| (k, shown, total)).collect();
    out.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    Ok(out)
}

impl Store {
    /// Reasons given before that start with `prefix` (compared as [`reason_key`] does), each
    /// once in the spelling used most, with how often it was given; most used first, at most
    /// `limit`, among the newest [`REASONS_RECALLED`] decisions. For completing a reason prompt.
    pub fn earlier_reasons(&self, prefix: &str, limit: usize) -> Result<Vec<(String, u64)>> {
        self.earlier_reasons_of(None, prefix, limit)
    }

    /// As [`Store::earlier_reasons`], only the reasons of decisions of one kind (`status`): a
    /// decline prompt recalls the reasons of declines, never those of accepts or deferrals.
    pub fn earlier_reasons_of(
        &self,
        status: Option<crate::model::Status>,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<(String, u64)>> {
        let prefix = reason_key(prefix);
        let all = reasons_given(&self.conn, status.map(|s| s.as_str()), Some(REASONS_RECALLED), false)
            .map_err(|e| self.err(e))?;
        Ok(all.into_iter().filter(|(key, ..)| key.starts_with(&prefix)).take(limit).map(|(_, r, n)| (r, n)).collect())
    }

    /// Calls `each` for every decision with its person, request and notes, oldest first.
    pub fn each_log_entry(&self, mut each: impl FnMut(LogEntry) -> std::io::Result<()>) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT d.id, d.decided_at, d.status, d.undo, d.supersedes, p.name, p.profile_url, d.reason, \
                 d.answers, r.sent_at, r.message, n.body, d.defer_until FROM decision d JOIN request r ON r.id = d.request_id \
                 JOIN person p ON p.id = r.person_id LEFT JOIN note n ON n.person_id = p.id ORDER BY d.id",
            )
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let text_at = |i| r.get_ref(i).and_then(|v| Ok(v.as_str()?));
            let text_or_null_at = |i| r.get_ref(i).and_then(|v| Ok(v.as_str_or_null()?));
            let entry = (|| {
                Ok::<_, rusqlite::Error>(LogEntry {
                    id: r.get(0)?,
                    decided_at: text_at(1)?,
                    decision: text_at(2)?,
                    undo: r.get(3)?,
                    supersedes: r.get(4)?,
                    name: text_at(5)?,
                    profile_url: text_or_null_at(6)?,
                    reason: text_at(7)?,
                    answers: serde_json::from_str(text_at(8)?).unwrap_or_default(),
                    sent_at: text_at(9)?,
                    message: text_at(10)?,
                    notes: text_or_null_at(11)?,
                    defer_until: text_or_null_at(12)?,
                })
            })()
            .map_err(|e| self.err(e))?;
            each(entry).map_err(output_err)?;
        }
        Ok(())
    }

    /// Calls `each` with every person (with their notes) as a JSON object, in id order.
    pub fn each_person(&self, each: impl FnMut(&[u8]) -> std::io::Result<()>) -> Result<()> {
        self.each_backup_row(
            "SELECT p.id, p.key, p.name, p.profile_url, p.headline, p.company, p.location, p.mutual_connections, \
             p.shared_groups, p.introduced_by, p.connected_on, n.body AS notes FROM person p \
             LEFT JOIN note n ON n.person_id = p.id ORDER BY p.id",
            each,
        )
    }

    /// Calls `each` with every request as a JSON object, in id order.
    pub fn each_request(&self, each: impl FnMut(&[u8]) -> std::io::Result<()>) -> Result<()> {
        let not_listed =
            if super::rows::has_column(&self.conn, "request", "not_listed") { "not_listed" } else { "NULL" };
        self.each_backup_row(
            &format!(
                "SELECT id, person_id, source, sent_at, sent_at_raw, message, hints, status, earlier_decline, \
                 added_at, defer_until, done_on_linkedin, {not_listed} AS not_listed FROM request ORDER BY id"
            ),
            each,
        )
    }

    /// Calls `each` with every connection as a JSON object, in the order they were read.
    pub fn each_connection(&self, each: impl FnMut(&[u8]) -> std::io::Result<()>) -> Result<()> {
        self.each_backup_row("SELECT url, name, connected_on FROM connection ORDER BY id", each)
    }

    /// Calls `each` with every outgoing invitation of the user's as a JSON object (none from a
    /// store older than the evidence).
    pub fn each_outgoing(&self, each: impl FnMut(&[u8]) -> std::io::Result<()>) -> Result<()> {
        if !super::rows::has_table(&self.conn, "outgoing_invitation") {
            return Ok(());
        }
        self.each_backup_row("SELECT url, name_key, sent_on FROM outgoing_invitation ORDER BY id", each)
    }

    /// Calls `each` with every checklist answer as a JSON object, by request.
    pub fn each_answer(&self, each: impl FnMut(&[u8]) -> std::io::Result<()>) -> Result<()> {
        self.each_backup_row("SELECT request_id, item, value FROM answer ORDER BY request_id, item", each)
    }

    /// Calls `each` with every decision row as a JSON object, oldest first.
    pub fn each_decision(&self, each: impl FnMut(&[u8]) -> std::io::Result<()>) -> Result<()> {
        let evidence = if super::rows::has_column(&self.conn, "decision", "evidence") { "evidence" } else { "'[]'" };
        self.each_backup_row(
            &format!(
                "SELECT id, request_id, status, reason, answers, supersedes, undo, decided_at, defer_until, batch, \
                 {evidence} AS evidence FROM decision ORDER BY id"
            ),
            each,
        )
    }

    /// The rows of `sql` as the matching `*Record` type serialises (what `vetted import` reads
    /// back), written straight from SQLite: the column names are the keys.
    fn each_backup_row(&self, sql: &str, mut each: impl FnMut(&[u8]) -> std::io::Result<()>) -> Result<()> {
        let mut stmt = self.conn.prepare(sql).map_err(|e| self.err(e))?;
        let columns: Vec<Column> = stmt.column_names().enumerate().map(|(i, name)| Column::new(i, name)).collect();
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        let mut json = Vec::new();
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            json.clear();
            row_json(row, &columns, &mut json).map_err(|e| self.err(e))?;
            each(&json).map_err(output_err)?;
        }
        Ok(())
    }
}

/// A column of a backup: its name, its JSON key (after the `{` or `,` that comes before it)
/// and how its value is written.
struct Column {
    name: String,
    key: String,
    kind: Kind,
}

#[derive(Clone, Copy)]
enum Kind {
    /// As SQLite holds it: null, integer or text.
    Stored,
    Bool,
    /// The checklist as it was, stored as JSON text.
    Answers,
    /// The findings a decision was made on, stored as JSON text.
    Evidence,
}

impl Column {
    fn new(i: usize, name: &str) -> Column {
        let kind = match name {
            "undo" | "value" => Kind::Bool,
            "answers" => Kind::Answers,
            "evidence" => Kind::Evidence,
            _ => Kind::Stored,
        };
        Column { name: name.into(), key: format!("{}\"{name}\":", if i == 0 { "{" } else { "," }), kind }
    }
}

/// One row as a JSON object, its text escaped by [`text::write_json_str`].
fn row_json(row: &rusqlite::Row, columns: &[Column], out: &mut Vec<u8>) -> rusqlite::Result<()> {
    let string = |out: &mut Vec<u8>, s: &str| {
        out.push(b'"');
        text::write_json_str(out, s).expect("a Vec takes every write");
        out.push(b'"');
    };
    for (i, column) in columns.iter().enumerate() {
        out.extend_from_slice(column.key.as_bytes());
        let utf8 = |t| std::str::from_utf8(t).map_err(|e| rusqlite::Error::Utf8Error(i, e));
        match (column.kind, row.get_ref(i)?) {
            (_, ValueRef::Null) => out.extend_from_slice(b"null"),
            (Kind::Bool, ValueRef::Integer(n)) => out.extend_from_slice(if n != 0 { b"true" } else { b"false" }),
            // Written as `DecisionRecord` reads it: what is not a map of booleans is no answers.
            (Kind::Answers, ValueRef::Text(t)) => {
                let answers: BTreeMap<String, bool> = serde_json::from_str(utf8(t)?).unwrap_or_default();
                out.push(b'{');
                for (n, (item, value)) in answers.iter().enumerate() {
                    out.extend_from_slice(if n > 0 { b"," } else { b"" });
                    string(out, item);
                    out.extend_from_slice(if *value { b":true" } else { b":false" });
                }
                out.push(b'}');
            }
            // Written as `DecisionRecord` reads it: what is not a list of findings is none.
            (Kind::Evidence, ValueRef::Text(t)) => {
                let findings: Vec<crate::model::StoredFinding> = serde_json::from_str(utf8(t)?).unwrap_or_default();
                out.push(b'[');
                for (n, f) in findings.iter().enumerate() {
                    out.extend_from_slice(if n > 0 { b",{\"detector\":" } else { b"{\"detector\":" });
                    string(out, &f.detector);
                    out.extend_from_slice(b",\"item\":");
                    match &f.item {
                        Some(item) => string(out, item),
                        None => out.extend_from_slice(b"null"),
                    }
                    out.extend_from_slice(if f.answer {
                        b",\"answer\":true,\"why\":"
                    } else {
                        b",\"answer\":false,\"why\":"
                    });
                    string(out, &f.why);
                    out.extend_from_slice(b",\"words\":[");
                    for (w, word) in f.words.iter().enumerate() {
                        out.extend_from_slice(if w > 0 { b"," } else { b"" });
                        string(out, word);
                    }
                    out.extend_from_slice(b"],\"fact\":");
                    match &f.fact {
                        Some(fact) => string(out, fact),
                        None => out.extend_from_slice(b"null"),
                    }
                    out.push(b'}');
                }
                out.push(b']');
            }
            (_, ValueRef::Integer(n)) => out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes()),
            (_, ValueRef::Text(t)) if text::json_plain(t) => {
                out.push(b'"');
                out.extend_from_slice(t);
                out.push(b'"');
            }
            (_, ValueRef::Text(t)) => string(out, utf8(t)?),
            (_, other) => return Err(rusqlite::Error::InvalidColumnType(i, column.name.clone(), other.data_type())),
        }
    }
    out.push(b'}');
    Ok(())
}
