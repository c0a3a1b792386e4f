//! Restoring a JSON backup written by `vetted export --format json`, into an empty store.

use super::{ImportError, Result, Session, io_err};
use crate::export::BACKUP_TAG;
use crate::store::{AnswerRecord, DecisionRecord, PersonRecord, RequestRecord};
use rusqlite::params;
use serde::Deserialize;
use std::path::Path;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Backup {
    vetted_backup: u32,
    #[allow(dead_code)] // kept in the file for people; nothing to restore
    exported_at: String,
    people: Vec<PersonRecord>,
    requests: Vec<RequestRecord>,
    answers: Vec<AnswerRecord>,
    decisions: Vec<DecisionRecord>,
}

/// True when the start of a file looks like a backup.
pub fn looks_like_backup(head: &str) -> bool {
    head.trim_start().starts_with('{') && head.contains(BACKUP_TAG)
}

pub fn restore(session: &mut Session<'_, '_>, path: &Path) -> Result<()> {
    let refused = |reason: String| ImportError::Refused { path: path.into(), reason };
    let file = std::fs::File::open(path).map_err(io_err(path, "cannot open"))?;
    let backup: Backup = serde_json::from_reader(std::io::BufReader::new(file))
        .map_err(|e| refused(format!("not a readable vetted backup: line {} column {}: {e}", e.line(), e.column())))?;
    if backup.vetted_backup != 1 {
        return Err(refused(format!("backup format {} is newer than this vetted knows", backup.vetted_backup)));
    }
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
    let mut person = tx
        .prepare(
            "INSERT INTO person (id, key, name, profile_url, headline, company, location, mutual_connections, \
             shared_groups, introduced_by, connected_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )
        .map_err(&sql)?;
    let mut note = tx.prepare("INSERT INTO note (person_id, body, updated_at) VALUES (?1, ?2, ?3)").map_err(&sql)?;
    let now = crate::store::now();
    for p in &backup.people {
        person
            .execute(params![
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
            ])
            .map_err(&sql)?;
        if let Some(body) = &p.notes {
            note.execute(params![p.id, body, now]).map_err(&sql)?;
        }
    }
    let mut request = tx
        .prepare(
            "INSERT INTO request (id, person_id, source, sent_at, sent_at_raw, message, hints, status, \
             earlier_decline, added_at, defer_until, done_on_linkedin) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )
        .map_err(&sql)?;
    let mut answer =
        tx.prepare("INSERT INTO answer (request_id, item, value, updated_at) VALUES (?1, ?2, ?3, ?4)").map_err(&sql)?;
    for r in &backup.requests {
        request
            .execute(params![
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
            ])
            .map_err(&sql)?;
        session.report.new += 1;
    }
    for a in &backup.answers {
        answer.execute(params![a.request_id, a.item, a.value, now]).map_err(&sql)?;
    }
    let mut decision = tx
        .prepare(
            "INSERT INTO decision (id, request_id, status, reason, answers, supersedes, undo, decided_at, defer_until) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )
        .map_err(&sql)?;
    for d in &backup.decisions {
        let answers = serde_json::to_string(&d.answers).expect("a map of strings to bools serialises");
        decision
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
            .map_err(&sql)?;
    }
    // The import ran without per-row foreign-key checks: check the restored links once.
    let broken: i64 = tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).map_err(&sql)?;
    if broken > 0 {
        return Err(refused(format!("{broken} rows point at people, requests or decisions the backup lacks")));
    }
    Ok(())
}
