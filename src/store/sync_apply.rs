//! Applying other devices' events to the store by the merge rule (`sync::merge`, which the
//! tests compare it with): each segment's events and the new position in one transaction.
//! Decision rows are appended whatever their stamp, and the request's status follows the
//! latest by stamp; notes, answers, To do marks and profile info keep the latest by stamp
//! (every note text kept in `sync_note_version`); a forget erases the person and keeps its
//! marks, so what arrives about them later is dropped.

use super::decisions::{DEFERRAL_DUE, NewDecision, insert_decision};
use super::people::PersonIndex;
use super::requests::{set_status, upsert};
use super::sync_journal::{self, Of};
use super::sync_record::{drop_unsent_about, keep_marks};
use super::{Result, Store, sqlite_err};
use crate::checklist::Checklist;
use crate::model::{Answers, Status};
use crate::sync::crypt::SyncKey;
use crate::sync::event::{Change, Event, EventId, RequestKey};
use crate::sync::plan::Position;
use rusqlite::{Connection, Transaction, params};
use std::path::Path;

/// What applying one segment did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Applied {
    pub events: u64,
    /// About a forgotten person, or about a request this store never got: left out.
    pub dropped: u64,
    /// People erased by a forget.
    pub forgotten: u64,
}

pub(super) fn is_marked(tx: &Connection, key: &SyncKey, person: &str) -> rusqlite::Result<bool> {
    tx.prepare_cached("SELECT EXISTS (SELECT 1 FROM sync_mark WHERE mark = ?1)")?
        .query_row([key.mark(person)], |r| r.get(0))
}

/// Whether the store holds any forget mark (else no event needs its person's mark made).
fn any_marks(tx: &Connection) -> rusqlite::Result<bool> {
    tx.query_row("SELECT EXISTS (SELECT 1 FROM sync_mark)", [], |r| r.get(0))
}

/// The sync key, when the store holds forget marks to test people against (an unreadable key
/// file: none, as a sync would fail on it first).
pub(super) fn forget_key(tx: &Connection) -> rusqlite::Result<Option<SyncKey>> {
    if !any_marks(tx)? {
        return Ok(None);
    }
    Ok(sync_journal::device(tx)?.and_then(|me| SyncKey::read(&me.key_file).ok()))
}

/// One other device's decision row, appended; the request's status follows when it is the
/// latest by stamp (of its decisions and of the status an import gave it).
fn append_remote(tx: &Connection, e: &Event, request_id: i64, row: RemoteRow<'_>) -> rusqlite::Result<()> {
    if sync_journal::decision_of(tx, &e.id)?.is_some() {
        return Ok(()); // applied before
    }
    let latest = sync_journal::latest_decision_stamp(tx, request_id)?;
    let supersedes: Option<i64> = tx
        .prepare_cached("SELECT max(id) FROM decision WHERE request_id = ?1")?
        .query_row([request_id], |r| r.get(0))?;
    let batch = row.batch.map(|b| sync_journal::local_batch(tx, b)).transpose()?;
    let id = insert_decision(
        tx,
        &NewDecision {
            id: None,
            request_id,
            status: row.status.as_str(),
            reason: row.reason,
            answers: row.answers,
            supersedes: row.supersedes.or(supersedes),
            undo: row.undo,
            decided_at: row.decided_at,
            defer_until: row.defer_until,
            batch,
            evidence: row.evidence,
        },
    )?;
    sync_journal::stamp_decision(tx, id, e)?;
    let imported = sync_journal::stamp_of(tx, Of::Request(request_id), "status")?;
    if latest.is_none_or(|l| l < e.hlc) && imported.is_none_or(|i| i < e.hlc) {
        let until = if row.status == Status::Deferred { row.defer_until } else { None };
        set_status(tx, request_id, row.status, until)?;
    }
    Ok(())
}

struct RemoteRow<'a> {
    status: Status,
    reason: &'a str,
    answers: &'a Answers,
    undo: bool,
    supersedes: Option<i64>,
    decided_at: &'a str,
    defer_until: Option<&'a str>,
    batch: Option<&'a EventId>,
    /// What the deciding device's decision was made on (`None`: a row that carries none).
    evidence: Option<&'a [crate::model::StoredFinding]>,
}

/// Answers replaced whole by `answers` (ranked by `checklist`).
fn replace_answers(tx: &Connection, request_id: i64, answers: &Answers, checklist: &Checklist) -> rusqlite::Result<()> {
    let now = super::answers::read_answers(tx, request_id)?;
    let mut changes: Vec<(&str, Option<bool>)> =
        now.keys().filter(|k| !answers.contains_key(*k)).map(|k| (k.as_str(), None)).collect();
    changes.extend(answers.iter().map(|(k, v)| (k.as_str(), Some(*v))));
    super::answers::write_answers(tx, request_id, &changes, checklist)
}

/// A decision, undo row or return to pending from another device, appended (`None`: the
/// event is of another kind); whether it was kept (false: this store lacks the request).
fn apply_decision_row(tx: &Transaction<'_>, e: &Event) -> rusqlite::Result<Option<bool>> {
    let none = Answers::new();
    let (k, row) = match &e.change {
        Change::Decided { request, verdict, reason, answers, defer_until, batch, decided_at, evidence } => {
            let row = RemoteRow {
                status: verdict.status(),
                reason,
                answers,
                undo: false,
                supersedes: None,
                decided_at,
                defer_until: defer_until.as_deref(),
                batch: batch.as_ref(),
                evidence: Some(evidence),
            };
            (request, row)
        }
        Change::Undone { request, undoes, restores, batch, decided_at } => {
            let row = RemoteRow {
                status: *restores,
                reason: "undo",
                answers: &none,
                undo: true,
                supersedes: sync_journal::decision_of(tx, undoes)?,
                decided_at,
                defer_until: None,
                batch: batch.as_ref(),
                evidence: None,
            };
            (request, row)
        }
        Change::Reopened { request, reason, answers, decided_at } => {
            let row = RemoteRow {
                status: Status::Pending,
                reason,
                answers,
                undo: false,
                supersedes: None,
                decided_at,
                defer_until: None,
                batch: None,
                evidence: None,
            };
            (request, row)
        }
        _ => return Ok(None),
    };
    let Some(id) = sync_journal::find_request(tx, k)? else { return Ok(Some(false)) };
    if row.reason == DEFERRAL_DUE && row.status == Status::Pending && came_due_here(tx, id)? {
        // Both devices opened the app after the date: the deferral came due once.
        return Ok(Some(true));
    }
    append_remote(tx, e, id, row)?;
    Ok(Some(true))
}

/// Whether the request's last deferral has come due on this store already (a "deferral due"
/// row after it), so another device's return of the same deferral is not logged twice.
fn came_due_here(tx: &Connection, request_id: i64) -> rusqlite::Result<bool> {
    tx.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM decision WHERE request_id = ?1 AND status = 'pending' AND reason = ?2 \
           AND undo = 0 AND id > (SELECT coalesce(max(id), 0) FROM decision \
                                  WHERE request_id = ?1 AND status = 'deferred' AND undo = 0))",
    )?
    .query_row(params![request_id, DEFERRAL_DUE], |r| r.get(0))
}

/// Applies one event; returns whether it was kept (false: dropped).
fn apply_one(tx: &Transaction<'_>, e: &Event, checklist: &Checklist) -> rusqlite::Result<bool> {
    if let Some(kept) = apply_decision_row(tx, e)? {
        return Ok(kept);
    }
    let request = |k: &RequestKey| sync_journal::find_request(tx, k);
    match &e.change {
        Change::RequestImported { request: k, fields } => {
            // One added by hand has no raw time to find it by: found by its key, else new.
            let known = if fields.sent_at_raw.is_none() { request(k)? } else { None };
            // Imported fields only fill what is unknown (as a second import does): no stamp.
            if known.is_none() {
                upsert(tx, fields, false, None, &mut PersonIndex::Sql)?;
            }
        }
        Change::ImportStatus { request: k, status } => {
            let Some(id) = request(k)? else { return Ok(false) };
            let decided = sync_journal::latest_decision_stamp(tx, id)?;
            if sync_journal::later_stamp(tx, Of::Request(id), "status", &e.hlc)? && decided.is_none_or(|d| d < e.hlc) {
                set_status(tx, id, *status, None)?;
            }
        }
        Change::AnswersSet { request: k, answers } => {
            let Some(id) = request(k)? else { return Ok(false) };
            if sync_journal::later_stamp(tx, Of::Request(id), "answers", &e.hlc)? {
                replace_answers(tx, id, answers, checklist)?;
            }
        }
        Change::TodoMarked { request: k, done } => {
            let Some(id) = request(k)? else { return Ok(false) };
            if sync_journal::later_stamp(tx, Of::Request(id), "todo", &e.hlc)? {
                super::todo::set_done(tx, id, *done)?;
            }
        }
        Change::NoteSet { person, text, replaces } => {
            let Some(id) = sync_journal::find_person(tx, person)? else { return Ok(false) };
            super::note_versions::keep(tx, id, &e.hlc, text, replaces)?;
            if sync_journal::later_stamp(tx, Of::Person(id), "note", &e.hlc)? {
                super::notes::write_note(tx, id, text)?;
            }
        }
        Change::ProfileInfo { person, headline, company, location } => {
            let Some(id) = sync_journal::find_person(tx, person)? else { return Ok(false) };
            if sync_journal::later_stamp(tx, Of::Person(id), "profile", &e.hlc)? {
                tx.prepare_cached("UPDATE person SET headline = ?2, company = ?3, location = ?4 WHERE id = ?1")?
                    .execute(params![id, headline, company, location])?;
            }
        }
        Change::Connected { person, since } => {
            let Some(id) = sync_journal::find_person(tx, person)? else { return Ok(false) };
            if sync_journal::later_stamp(tx, Of::Person(id), "connected", &e.hlc)? {
                // The person only: the statuses and To do marks it led to travel as their own.
                tx.prepare_cached("UPDATE person SET connected_on = ?2 WHERE id = ?1")?
                    .execute(params![id, since.as_deref().unwrap_or_default()])?;
            }
        }
        // By the caller, which can erase; decision rows above.
        Change::Forgotten { .. } | Change::Decided { .. } | Change::Undone { .. } | Change::Reopened { .. } => {}
    }
    Ok(true)
}

/// The people of this store a tombstone's `marks` name.
fn marked_people(
    tx: &Connection,
    key: &SyncKey,
    marks: &[String],
) -> rusqlite::Result<Vec<(i64, String, Option<String>)>> {
    let mut found = Vec::new();
    let mut stmt = tx.prepare("SELECT id, key, name, profile_url FROM person")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (id, pkey, name, url): (i64, String, String, Option<String>) = (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        let hit = |k: &str| marks.contains(&key.mark(k));
        if hit(&pkey) || url.as_deref().is_some_and(hit) {
            found.push((id, name, url));
        }
    }
    Ok(found)
}

impl Store {
    /// Applies the events of segment `seq` of `device` (made by store `instance`), and records
    /// the new position, in one transaction: all of it or nothing.
    pub fn sync_apply(
        &mut self,
        key: &SyncKey,
        device: &str,
        position: Position,
        events: &[Event],
        checklist: &Checklist,
    ) -> Result<Applied> {
        let path = self.path.clone();
        let forgets = events.iter().any(|e| matches!(e.change, Change::Forgotten { .. }));
        if forgets {
            self.conn.execute_batch("PRAGMA secure_delete = ON").map_err(|e| self.err(e))?;
        }
        let tx = self.write()?;
        let done = apply_all(&tx, &path, key, events, checklist).and_then(|done| {
            sync_journal::set_position(&tx, device, &position).map_err(|e| sqlite_err(&path, e))?;
            Ok(done)
        });
        let done = done.and_then(|d| tx.commit().map(|_| d).map_err(|e| sqlite_err(&path, e)));
        if forgets {
            let _ = self.conn.execute_batch("PRAGMA secure_delete = OFF");
        }
        let done = done?;
        if done.forgotten > 0 {
            let _ = self.scrub_and_mark();
        }
        Ok(done)
    }

    /// Whether segment events about `change`'s person would be dropped here (a forget reached
    /// this store): what `doctor` and the rewrite of this device's own segments ask.
    /// Whether a forget's tombstone marks the sender of `req` on this syncing store (every
    /// device drops their events): false without sync.
    pub fn forgotten_everywhere(&self, req: &crate::model::NewRequest) -> Result<bool> {
        let marked = |c: &Connection| match forget_key(c)? {
            Some(key) => is_marked(c, &key, &req.person_key()),
            None => Ok(false),
        };
        marked(&self.conn).map_err(|e| self.err(e))
    }

    pub fn sync_is_forgotten(&self, key: &SyncKey, change: &Change) -> Result<bool> {
        let Some(person) = change.person() else { return Ok(false) };
        is_marked(&self.conn, key, person).map_err(|e| self.err(e))
    }
}

pub(super) fn apply_all(
    tx: &Transaction<'_>,
    path: &Path,
    key: &SyncKey,
    events: &[Event],
    checklist: &Checklist,
) -> Result<Applied> {
    let sql = |e| sqlite_err(path, e);
    let mut done = Applied::default();
    let mut marked = any_marks(tx).map_err(sql)?;
    for e in events {
        if let Change::Forgotten { marks, .. } = &e.change {
            keep_marks(tx, marks).map_err(sql)?;
            marked = true;
            for (id, name, url) in marked_people(tx, key, marks).map_err(sql)? {
                super::forget::erase(tx, path, id, name, url, checklist)?;
                done.forgotten += 1;
            }
            let gone = |p: &str| marks.contains(&key.mark(p));
            drop_unsent_about(tx, &gone).map_err(sql)?;
        } else {
            let about_forgotten =
                marked && e.change.person().map(|p| is_marked(tx, key, p)).transpose().map_err(sql)? == Some(true);
            if about_forgotten || !apply_one(tx, e, checklist).map_err(sql)? {
                done.dropped += 1;
                continue;
            }
        }
        done.events += 1;
    }
    if let Some(last) = events.iter().map(|e| &e.hlc).max() {
        sync_journal::observe(tx, last).map_err(sql)?;
    }
    Ok(done)
}
