//! Restoring a JSON backup written by `vetted export --format json`, into an empty store.
//! The file is read as a stream: each row is inserted as soon as it is parsed, so memory
//! stays bounded whatever the size of the backup.

use super::{ImportError, Result, Session, io_err};
use crate::export::BACKUP_TAG;
use crate::store::{self, AnswerRecord, ConnectionRecord, DecisionRecord, PersonRecord, RequestRecord};
use rusqlite::{Statement, Transaction, params};
use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;
use std::path::{Path, PathBuf};

/// The fields of a backup, in the order `vetted export` writes them.
const FIELDS: &[&str] = &[BACKUP_TAG, "exported_at", "people", "requests", "answers", "decisions", "connections"];
/// Backups written before the connections were kept have no `connections`.
const OPTIONAL: &[&str] = &["connections"];

/// True when the start of a file looks like a backup.
pub fn looks_like_backup(head: &str) -> bool {
    head.trim_start().starts_with('{') && head.contains(BACKUP_TAG)
}

pub fn restore(session: &mut Session<'_, '_>, path: &Path) -> Result<()> {
    let refused = |reason: String| ImportError::Refused { path: path.into(), reason };
    let sql = session.sql();
    let tx = session.tx;
    let empty: bool = tx
        .query_row("SELECT NOT EXISTS (SELECT 1 FROM person) AND NOT EXISTS (SELECT 1 FROM request)", [], |r| r.get(0))
        .map_err(&sql)?;
    if !empty {
        return Err(refused("a backup restores into an empty store: pass --db with a new file".into()));
    }
    session.report.kind = "vetted backup".into();
    session.report.files.push(path.display().to_string());
    let file = std::fs::File::open(path).map_err(io_err(path, "cannot open"))?;
    let mut rows = Rows::new(tx, path, session.sql()).map_err(&sql)?;
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::new(file));
    let parsed = de.deserialize_map(BackupVisitor(&mut rows)).and_then(|()| de.end());
    if let Some(e) = rows.failed.take() {
        return Err(e);
    }
    // serde_json's message ends with the line and column.
    parsed.map_err(|e| refused(format!("not a readable vetted backup: {e}")))?;
    session.report.new += rows.requests;
    store::derive_from_people(tx).map_err(&sql)?;
    // The import ran without per-row foreign-key checks: check the restored links once.
    let broken: i64 = tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).map_err(&sql)?;
    if broken > 0 {
        return Err(refused(format!("{broken} rows point at people, requests or decisions the backup lacks")));
    }
    Ok(())
}

/// The insert statements, and what went wrong outside the JSON itself (serde only carries
/// its own error type through the parser).
struct Rows<'t> {
    conn: &'t rusqlite::Connection,
    person: Statement<'t>,
    note: Statement<'t>,
    request: Statement<'t>,
    answer: Statement<'t>,
    decision: Statement<'t>,
    sql: Box<dyn Fn(rusqlite::Error) -> ImportError>,
    path: PathBuf,
    now: String,
    requests: u64,
    failed: Option<ImportError>,
}

impl<'t> Rows<'t> {
    fn new(
        tx: &'t Transaction<'_>,
        path: &Path,
        sql: impl Fn(rusqlite::Error) -> ImportError + 'static,
    ) -> rusqlite::Result<Self> {
        Ok(Rows {
            conn: tx,
            person: tx.prepare(
                "INSERT INTO person (id, key, name, profile_url, headline, company, location, mutual_connections, \
                 shared_groups, introduced_by, connected_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?,
            note: tx.prepare("INSERT INTO note (person_id, body, updated_at) VALUES (?1, ?2, ?3)")?,
            request: tx.prepare(
                "INSERT INTO request (id, person_id, source, sent_at, sent_at_raw, message, hints, status, \
                 earlier_decline, added_at, defer_until, done_on_linkedin) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?,
            answer: tx.prepare("INSERT INTO answer (request_id, item, value, updated_at) VALUES (?1, ?2, ?3, ?4)")?,
            decision: tx.prepare(
                "INSERT INTO decision (id, request_id, status, reason, answers, supersedes, undo, decided_at, \
                 defer_until) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?,
            sql: Box::new(sql),
            path: path.into(),
            now: crate::store::now(),
            requests: 0,
            failed: None,
        })
    }

    fn person(&mut self, p: PersonRecord) -> rusqlite::Result<()> {
        self.person.execute(params![
            p.id,
            p.key,
            p.name,
            p.profile_url,
            p.headline,
            p.company,
            p.location,
            p.mutual_connections,
            p.shared_groups,
            p.introduced_by,
            p.connected_on
        ])?;
        if let Some(body) = &p.notes {
            self.note.execute(params![p.id, body, self.now])?;
        }
        Ok(())
    }

    fn request(&mut self, r: RequestRecord) -> rusqlite::Result<()> {
        self.request.execute(params![
            r.id,
            r.person_id,
            r.source,
            r.sent_at,
            r.sent_at_raw,
            r.message,
            r.hints,
            r.status,
            r.earlier_decline,
            r.added_at,
            r.defer_until,
            r.done_on_linkedin
        ])?;
        self.requests += 1;
        Ok(())
    }

    fn connection(&mut self, c: ConnectionRecord) -> rusqlite::Result<()> {
        let mut index = store::ConnectionIndex::default();
        store::connection_row(self.conn, &mut index, c.url.as_deref(), &c.name, &c.connected_on)
    }

    fn answer(&mut self, a: AnswerRecord) -> rusqlite::Result<()> {
        self.answer.execute(params![a.request_id, a.item, a.value, self.now]).map(|_| ())
    }

    fn decision(&mut self, d: DecisionRecord) -> rusqlite::Result<()> {
        let answers = serde_json::to_string(&d.answers).expect("a map of strings to bools serialises");
        self.decision
            .execute(params![
                d.id,
                d.request_id,
                d.status,
                d.reason,
                answers,
                d.supersedes,
                d.undo,
                d.decided_at,
                d.defer_until
            ])
            .map(|_| ())
    }
}

/// The top-level object: `vetted_backup` first (so a newer format is refused before any row
/// is stored), then each section streamed into the store.
struct BackupVisitor<'r, 't>(&'r mut Rows<'t>);

impl<'de> Visitor<'de> for BackupVisitor<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a vetted backup object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let rows = self.0;
        let mut seen: Vec<String> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if seen.contains(&key) {
                return Err(de::Error::custom(format_args!("duplicate field `{key}`")));
            }
            if seen.is_empty() && key != BACKUP_TAG {
                return Err(de::Error::custom(format_args!("`{BACKUP_TAG}` must be the first field")));
            }
            match key.as_str() {
                BACKUP_TAG => {
                    let version: u32 = map.next_value()?;
                    if version != 1 {
                        let reason = format!("backup format {version} is newer than this vetted knows");
                        rows.failed = Some(ImportError::Refused { path: rows.path.clone(), reason });
                        return Err(de::Error::custom("newer format"));
                    }
                }
                // Kept in the file for people; nothing to restore.
                "exported_at" => {
                    let _: String = map.next_value()?;
                }
                "people" => map.next_value_seed(Section(rows, "people", Rows::person))?,
                "requests" => map.next_value_seed(Section(rows, "requests", Rows::request))?,
                "answers" => map.next_value_seed(Section(rows, "answers", Rows::answer))?,
                "decisions" => map.next_value_seed(Section(rows, "decisions", Rows::decision))?,
                "connections" => map.next_value_seed(Section(rows, "connections", Rows::connection))?,
                other => return Err(de::Error::unknown_field(other, FIELDS)),
            }
            seen.push(key);
        }
        match FIELDS.iter().find(|f| !OPTIONAL.contains(f) && !seen.iter().any(|s| s == *f)) {
            Some(missing) => Err(de::Error::missing_field(missing)),
            None => Ok(()),
        }
    }
}

/// One section's array, each member inserted as soon as it is read.
struct Section<'r, 't, T>(&'r mut Rows<'t>, &'static str, fn(&mut Rows<'t>, T) -> rusqlite::Result<()>);

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for Section<'_, '_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for Section<'_, '_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of rows")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Section(rows, name, insert) = self;
        let mut n = 0;
        while let Some(row) = seq.next_element::<T>()? {
            n += 1;
            if let Err(e) = insert(rows, row) {
                rows.failed = Some(match e.sqlite_error_code() {
                    // The backup's fault (a duplicate id, a bad status): name the row.
                    Some(rusqlite::ErrorCode::ConstraintViolation) => {
                        ImportError::Refused { path: rows.path.clone(), reason: format!("{name} #{n}: {e}") }
                    }
                    _ => (rows.sql)(e),
                });
                return Err(de::Error::custom("the store failed"));
            }
        }
        Ok(())
    }
}
