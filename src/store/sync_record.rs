//! What the store's writers record for sync, as events built from the rows they wrote (so a
//! hook and the snapshot of `sync init` describe a row alike), and making this store a device.

use super::note_versions;
use super::sync_journal::{self, Of, record};
use super::{Result, Store, StoreError, sqlite_err};
use crate::model::{Answers, NewRequest, Status, Verdict};
use crate::sync::SyncKey;
use crate::sync::event::{Change, Event, Journal};
use crate::sync::hlc::{Hlc, wall_ms};
use crate::sync::segment::Instance;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use std::path::Path;

/// Request `request_id` as an import would bring it to another device.
pub(super) fn request_fields(conn: &Connection, request_id: i64) -> rusqlite::Result<NewRequest> {
    conn.prepare_cached(
        "SELECT p.key, p.name, p.headline, p.company, p.location, p.mutual_connections, p.shared_groups, \
           p.introduced_by, r.source, r.sent_at, r.sent_at_raw, r.message, r.hints \
         FROM request r JOIN person p ON p.id = r.person_id WHERE r.id = ?1",
    )?
    .query_row([request_id], |r| {
        let key: String = r.get(0)?;
        let (profile_url, urn) = if key.starts_with("name:") {
            (None, None)
        } else if key.starts_with("https://") {
            (Some(key.clone()), None)
        } else {
            (None, Some(key.clone()))
        };
        let sent_at: String = r.get(9)?;
        let sent_at = Some(sent_at).filter(|s| !s.is_empty());
        let raw: Option<String> = r.get(10)?;
        let hints: String = r.get(12)?;
        Ok(NewRequest {
            name: r.get(1)?,
            profile_url,
            urn,
            headline: r.get(2)?,
            company: r.get(3)?,
            location: r.get(4)?,
            mutual_connections: r.get(5)?,
            shared_groups: r.get(6)?,
            introduced_by: r.get(7)?,
            source: r.get(8)?,
            // A request added by hand has no raw time: its stored time names it everywhere.
            sent_at_raw: raw,
            sent_at,
            message: r.get(11)?,
            hints: hints.split(',').filter(|h| !h.is_empty()).map(str::to_string).collect(),
            notes: None,
        })
    })
}

pub(super) fn imported(conn: &Connection, request_id: i64) -> rusqlite::Result<Option<Change>> {
    let fields = request_fields(conn, request_id)?;
    let request = sync_journal::request_key(conn, request_id)?;
    Ok(Some(Change::RequestImported { request, fields: Box::new(fields) }))
}

/// Decision row `id` as an event: a decision, an undo row, or a return to pending.
pub(super) fn decision_change(conn: &Connection, me: &str, id: i64) -> rusqlite::Result<Option<Change>> {
    type Row = (i64, String, String, String, Option<i64>, bool, String, Option<String>, Option<i64>, String);
    let (request_id, status, reason, answers, supersedes, undo, decided_at, defer_until, batch, evidence): Row = conn
        .prepare_cached(
            "SELECT request_id, status, reason, answers, supersedes, undo, decided_at, defer_until, batch, evidence \
             FROM decision WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
            ))
        })?;
    let evidence = serde_json::from_str(&evidence).unwrap_or_default();
    let request = sync_journal::request_key(conn, request_id)?;
    let answers: Answers = serde_json::from_str(&answers).unwrap_or_default();
    let batch = batch.map(|b| sync_journal::batch_event(conn, me, b)).transpose()?;
    let status = Status::parse(&status).unwrap_or(Status::Pending);
    let undoes = match supersedes {
        Some(s) if undo => sync_journal::event_of(conn, s)?,
        _ => None,
    };
    let verdict = match status {
        Status::Accepted => Some(Verdict::Accept),
        Status::Declined => Some(Verdict::Decline),
        Status::Deferred => Some(Verdict::Defer),
        _ => None,
    };
    Ok(Some(match (undoes, verdict) {
        (Some(undoes), _) => Change::Undone { request, undoes, restores: status, batch, decided_at },
        (None, Some(verdict)) if !undo => {
            Change::Decided { request, verdict, reason, answers, defer_until, batch, decided_at, evidence }
        }
        _ => Change::Reopened { request, reason, answers, decided_at },
    }))
}

/// The hook of every decision row a writer appends.
pub(super) fn record_decision(tx: &Connection, id: i64) -> rusqlite::Result<()> {
    let Some(me) = sync_journal::device(tx)? else { return Ok(()) };
    if let Some(e) = record(tx, |c| decision_change(c, &me.device, id))? {
        sync_journal::stamp_decision(tx, id, &e)?;
    }
    Ok(())
}

/// The hook of a request an import or `vetted add` wrote (new, or enriched); `with_note`: it
/// brought notes, merged into the person's, which travel as the note they made.
pub(super) fn record_request(
    tx: &Connection,
    request_id: i64,
    with_note: bool,
    person_id: i64,
) -> rusqlite::Result<()> {
    if record(tx, |c| imported(c, request_id))?.is_some() && with_note {
        let note: Option<String> = tx
            .prepare_cached("SELECT body FROM note WHERE person_id = ?1")?
            .query_row([person_id], |r| r.get(0))
            .optional()?;
        record_note(tx, person_id, note.as_deref().unwrap_or_default())?;
    }
    Ok(())
}

/// The hook of a request's answers, written whole.
pub(super) fn record_answers(tx: &Connection, request_id: i64) -> rusqlite::Result<()> {
    let made = record(tx, |c| {
        let request = sync_journal::request_key(c, request_id)?;
        Ok(Some(Change::AnswersSet { request, answers: answers_of(c, request_id)? }))
    })?;
    if let Some(e) = made {
        sync_journal::later_stamp(tx, Of::Request(request_id), "answers", &e.hlc)?;
    }
    Ok(())
}

/// The hook of a note written by the user.
pub(super) fn record_note(tx: &Connection, person_id: i64, text: &str) -> rusqlite::Result<()> {
    let replaces = note_versions::current_heads(tx, person_id)?;
    let made = record(tx, |c| {
        let person = sync_journal::person_key(c, person_id)?;
        Ok(Some(Change::NoteSet { person, text: text.into(), replaces: replaces.clone() }))
    })?;
    if let Some(e) = made {
        sync_journal::later_stamp(tx, Of::Person(person_id), "note", &e.hlc)?;
        note_versions::keep(tx, person_id, &e.hlc, text, &replaces)?;
    }
    Ok(())
}

/// The hook of a status an import gave a request (connected, withdrawn, replaced, back).
pub(super) fn record_status(tx: &Connection, request_id: i64) -> rusqlite::Result<()> {
    let made = record(tx, |c| {
        let status: String =
            c.prepare_cached("SELECT status FROM request WHERE id = ?1")?.query_row([request_id], |r| r.get(0))?;
        let status = Status::parse(&status).unwrap_or(Status::Pending);
        Ok(Some(Change::ImportStatus { request: sync_journal::request_key(c, request_id)?, status }))
    })?;
    if let Some(e) = made {
        sync_journal::later_stamp(tx, Of::Request(request_id), "status", &e.hlc)?;
    }
    Ok(())
}

/// The hook of a To do mark (done, or not done again).
pub(super) fn record_todo(tx: &Connection, request_id: i64, done: bool) -> rusqlite::Result<()> {
    let made =
        record(tx, |c| Ok(Some(Change::TodoMarked { request: sync_journal::request_key(c, request_id)?, done })))?;
    if let Some(e) = made {
        sync_journal::later_stamp(tx, Of::Request(request_id), "todo", &e.hlc)?;
    }
    Ok(())
}

/// The hook of profile info the user set.
pub(super) fn record_profile(tx: &Connection, person_id: i64) -> rusqlite::Result<()> {
    let made = record(tx, |c| {
        let (headline, company, location) =
            c.query_row("SELECT headline, company, location FROM person WHERE id = ?1", [person_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        Ok(Some(Change::ProfileInfo { person: sync_journal::person_key(c, person_id)?, headline, company, location }))
    })?;
    if let Some(e) = made {
        sync_journal::later_stamp(tx, Of::Person(person_id), "profile", &e.hlc)?;
    }
    Ok(())
}

/// The hook of a person found among the connections.
pub(super) fn record_connected(tx: &Connection, person_id: i64, since: &str) -> rusqlite::Result<()> {
    let made = record(tx, |c| {
        let since = Some(since.to_string()).filter(|s| !s.is_empty());
        Ok(Some(Change::Connected { person: sync_journal::person_key(c, person_id)?, since }))
    })?;
    if let Some(e) = made {
        sync_journal::later_stamp(tx, Of::Person(person_id), "connected", &e.hlc)?;
    }
    Ok(())
}

/// A request's checklist answers as they stand (read here: `answers.rs` is their writer).
fn answers_of(conn: &Connection, request_id: i64) -> rusqlite::Result<Answers> {
    conn.prepare_cached("SELECT item, value FROM answer WHERE request_id = ?1")?
        .query_map([request_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
}

/// The sync key of this store, read from its key file (a forget needs it for its marks).
fn key_of(tx: &Connection, path: &Path) -> Result<Option<SyncKey>> {
    let Some(me) = sync_journal::device(tx).map_err(|e| sqlite_err(path, e))? else { return Ok(None) };
    SyncKey::read(&me.key_file)
        .map(Some)
        .map_err(|e| StoreError::SyncKey { path: me.key_file.clone(), detail: e.to_string() })
}

/// The hook of a forget made here: a tombstone holding the marks of the person's keys, and
/// none of this device's unsent events about them kept.
pub(super) fn record_forget(tx: &Transaction<'_>, path: &Path, person_id: i64) -> Result<()> {
    let Some(key) = key_of(tx, path)? else { return Ok(()) };
    let sql = |e| sqlite_err(path, e);
    let (person, url): (String, Option<String>) = tx
        .query_row("SELECT key, profile_url FROM person WHERE id = ?1", [person_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(sql)?;
    let mut marks = vec![key.mark(&person)];
    marks.extend(url.filter(|u| *u != person).map(|u| key.mark(&u)));
    drop_unsent_about(tx, &|p| p == person).map_err(sql)?;
    let at = crate::clock::now_stored();
    sync_journal::record(tx, |_| Ok(Some(Change::Forgotten { marks: marks.clone(), at })))
        .and_then(|_| keep_marks(tx, &marks))
        .map_err(sql)
}

pub(super) fn keep_marks(tx: &Connection, marks: &[String]) -> rusqlite::Result<()> {
    for m in marks {
        tx.prepare_cached("INSERT OR IGNORE INTO sync_mark (mark) VALUES (?1)")?.execute([m])?;
    }
    Ok(())
}

/// Removes the unsent events about a person `gone` names (a forget's).
pub(super) fn drop_unsent_about(tx: &Connection, gone: &dyn Fn(&str) -> bool) -> rusqlite::Result<()> {
    let rows: Vec<(i64, String)> = tx
        .prepare("SELECT counter, event FROM sync_unsent")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (counter, json) in rows {
        let about = serde_json::from_str::<Event>(&json).ok().and_then(|e| e.change.person().map(gone));
        if about == Some(true) {
            tx.execute("DELETE FROM sync_unsent WHERE counter = ?1", [counter])?;
        }
    }
    Ok(())
}

/// Everything the store holds, as this device's first events (so the devices that join get
/// it): requests, connections, decisions in order, answers, notes, To do marks.
fn snapshot(
    tx: &Connection,
    me: &str,
    journal: &mut Journal,
    mut progress: impl FnMut(u64),
) -> rusqlite::Result<(u64, Option<Hlc>)> {
    let mut n = 0u64;
    let mut last = None;
    let mut put = |tx: &Connection, change: Change| -> rusqlite::Result<Event> {
        let e = journal.record(change, wall_ms());
        last = Some(e.hlc.clone());
        let json = serde_json::to_string(&e).expect("an event serialises");
        tx.prepare_cached("INSERT INTO sync_unsent (counter, event) VALUES (?1, ?2)")?
            .execute(params![e.id.counter as i64, json])?;
        n += 1;
        if n.is_multiple_of(10_000) {
            progress(n);
        }
        Ok(e)
    };
    let ids = |sql: &str| -> rusqlite::Result<Vec<i64>> { tx.prepare(sql)?.query_map([], |r| r.get(0))?.collect() };
    for id in ids("SELECT id FROM request ORDER BY id")? {
        put(tx, imported(tx, id)?.expect("a request"))?;
    }
    let connected: Vec<(i64, String)> = tx
        .prepare("SELECT id, connected_on FROM person WHERE connected_on IS NOT NULL ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, since) in connected {
        let since = Some(since).filter(|s| !s.is_empty());
        put(tx, Change::Connected { person: sync_journal::person_key(tx, id)?, since })?;
    }
    for id in ids("SELECT id FROM decision ORDER BY id")? {
        let e = put(tx, decision_change(tx, me, id)?.expect("a decision"))?;
        sync_journal::stamp_decision(tx, id, &e)?;
    }
    // After the decisions: a status an import gave is the latest thing that happened to it.
    for id in ids("SELECT id FROM request WHERE status IN ('connected', 'withdrawn', 'replaced') ORDER BY id")? {
        let status: String = tx.query_row("SELECT status FROM request WHERE id = ?1", [id], |r| r.get(0))?;
        let status = Status::parse(&status).unwrap_or(Status::Pending);
        let e = put(tx, Change::ImportStatus { request: sync_journal::request_key(tx, id)?, status })?;
        sync_journal::later_stamp(tx, Of::Request(id), "status", &e.hlc)?;
    }
    for id in ids("SELECT DISTINCT request_id FROM answer ORDER BY request_id")? {
        let request = sync_journal::request_key(tx, id)?;
        let answers = answers_of(tx, id)?;
        let e = put(tx, Change::AnswersSet { request, answers })?;
        sync_journal::later_stamp(tx, Of::Request(id), "answers", &e.hlc)?;
    }
    let notes: Vec<(i64, String)> = tx
        .prepare("SELECT person_id, body FROM note ORDER BY person_id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, text) in notes {
        let e = put(
            tx,
            Change::NoteSet { person: sync_journal::person_key(tx, id)?, text: text.clone(), replaces: vec![] },
        )?;
        sync_journal::later_stamp(tx, Of::Person(id), "note", &e.hlc)?;
        note_versions::keep(tx, id, &e.hlc, &text, &[])?;
    }
    for id in ids("SELECT id FROM request WHERE done_on_linkedin IS NOT NULL ORDER BY id")? {
        let e = put(tx, Change::TodoMarked { request: sync_journal::request_key(tx, id)?, done: true })?;
        sync_journal::later_stamp(tx, Of::Request(id), "todo", &e.hlc)?;
    }
    Ok((n, last))
}

/// What makes a store a device.
#[derive(Debug, Clone)]
pub struct NewDevice<'a> {
    pub device: &'a str,
    pub instance: Instance,
    pub dir: &'a Path,
    pub key_file: &'a Path,
}

impl Store {
    /// Makes this store the sync device `d` and records everything it already holds as its
    /// first events (to be written at the next sync), in one transaction. `progress` hears how
    /// many events so far. Returns how many. Refused when it is a device already.
    pub fn sync_begin(&mut self, d: &NewDevice<'_>, progress: impl FnMut(u64)) -> Result<u64> {
        self.transact(|tx| {
            let sql = |e| tx.err(e);
            if let Some(me) = sync_journal::device(tx.sql()).map_err(sql)? {
                return Err(StoreError::SyncAlready { device: me.device, dir: me.dir });
            }
            tx.sql()
                .execute(
                    "INSERT INTO sync_device (id, device, instance, dir, key_file) VALUES (1, ?1, ?2, ?3, ?4)",
                    params![d.device, d.instance.as_slice(), d.dir.to_string_lossy(), d.key_file.to_string_lossy()],
                )
                .map_err(sql)?;
            let mut journal = Journal::resume(d.device, 0, None);
            let (n, last) = snapshot(tx.sql(), d.device, &mut journal, progress).map_err(sql)?;
            if let Some(last) = last {
                tx.sql()
                    .execute(
                        "UPDATE sync_device SET counter = ?1, last_wall = ?2, last_counter = ?3",
                        params![n as i64, last.wall_ms as i64, last.counter],
                    )
                    .map_err(sql)?;
            }
            Ok(n)
        })
    }
}
