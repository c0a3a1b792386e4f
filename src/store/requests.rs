//! People and their requests: upserts (shared by `vetted add` and every importer), pages and
//! counts. Nothing here loads a whole table.

use super::people::{PersonIndex, enrich_person, find_person, insert_person, non_empty};
use super::rows::row_to_request;
use super::search_index::{reindex_person, watermark};
use super::{Result, Store, StoreError, sqlite_err};
use crate::clock::now_stored;
use crate::model::{NewRequest, RequestRow, Status};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use std::hash::Hash;

/// What an upsert did with one incoming request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UpsertOutcome {
    /// A request not seen before (of a new or a known person).
    New,
    /// A new request from someone whose latest decision was a decline.
    AskedAgain,
    /// A new request from someone who is already a connection: stored, not pending.
    AlreadyConnected,
    /// Seen before; this copy added details (headline, notes, …).
    Enriched,
    /// Seen before, nothing new.
    Unchanged,
    /// Seen before and marked withdrawn since; listed again, so pending again.
    CameBack,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Oldest,
    Newest,
}

/// What an upsert did, and with which rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Upserted {
    pub outcome: UpsertOutcome,
    pub request_id: i64,
    pub person_id: i64,
    /// The person was in the store before this request.
    pub known_person: bool,
}

/// Which requests a page holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestFilter {
    /// `None`: every status.
    pub status: Option<Status>,
    pub sort: Sort,
}

/// The one writer of a request's status (and of the day a deferral comes back, which only a
/// deferred request has).
pub(super) fn set_status(
    tx: &Connection,
    request_id: i64,
    status: Status,
    defer_until: Option<&str>,
) -> rusqlite::Result<()> {
    tx.prepare_cached("UPDATE request SET status = ?2, defer_until = ?3 WHERE id = ?1")?.execute(params![
        request_id,
        status.as_str(),
        defer_until
    ])?;
    Ok(())
}

/// The statuses of many requests at once, as [`set_status`] sets one: `rows` is a JSON array of
/// `[request_id, status, defer_until]`. One statement: each request's row and the indexes its
/// status is in are moved once.
pub(super) fn set_statuses(tx: &Connection, rows: &str) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "UPDATE request SET status = j.value ->> 1, defer_until = j.value ->> 2 \
         FROM jsonb_each(?1) j WHERE request.id = j.value ->> 0",
    )?
    .execute([rows])?;
    Ok(())
}

/// Stores one incoming request inside the caller's transaction: finds or creates the person
/// (by its stable key), fills in details the store lacks, and adds the request unless it is
/// already there. `connected` says the sender is a connection already.
/// Returns what it did and the id of the request (new or matched).
pub(super) fn upsert(
    tx: &Transaction<'_>,
    req: &NewRequest,
    connected: bool,
    run: Option<i64>,
    people: &mut PersonIndex,
) -> rusqlite::Result<Upserted> {
    let key = req.person_key();
    let existing = find_person(tx, &key, people)?;
    let (person_id, was_connected, mut enriched) = match existing {
        Some((id, was_connected)) => (id, was_connected, enrich_person(tx, id, &key, req)?),
        None => (insert_person(tx, &key, req, people)?, false, false),
    };
    if let Some(notes) = non_empty(&req.notes) {
        enriched |= super::notes::merge_note(tx, person_id, notes)?;
    }
    let known_person = existing.is_some();
    let done = |outcome, request_id| Upserted { outcome, request_id, person_id, known_person };
    if let Some(known) = known_person.then(|| known_request(tx, person_id, req)).transpose()?.flatten() {
        let (outcome, id) = update_known(tx, known, req, enriched)?;
        return Ok(done(outcome, id));
    }
    let earlier_decline = if known_person { earlier_decline(tx, person_id)? } else { None };
    let is_connection = connected || was_connected;
    let status = if is_connection { Status::Connected } else { Status::Pending };
    let sent_at =
        req.sent_at.clone().unwrap_or_else(|| if req.source == "manual" { now_stored() } else { String::new() });
    tx.prepare_cached(
        "INSERT INTO request (person_id, source, sent_at, sent_at_raw, message, hints, status, \
           earlier_decline, import_run, added_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        person_id,
        req.source,
        sent_at,
        req.sent_at_raw,
        req.message,
        req.hints.join(","),
        status.as_str(),
        earlier_decline,
        run,
        now_stored(),
    ])?;
    let outcome = if is_connection {
        UpsertOutcome::AlreadyConnected
    } else if earlier_decline.is_some() {
        UpsertOutcome::AskedAgain
    } else {
        UpsertOutcome::New
    };
    Ok(done(outcome, tx.last_insert_rowid()))
}

/// The request of a known person this one is again, as (id, message, status): the one with
/// the same send time; for a record without a time (a vetted file of profile notes) the
/// person's latest request; none for a hand-added one (`vetted add` is always new).
fn known_request(
    tx: &Transaction<'_>,
    person_id: i64,
    req: &NewRequest,
) -> rusqlite::Result<Option<(i64, String, String)>> {
    let row = |r: &rusqlite::Row<'_>| Ok((r.get(0)?, r.get(1)?, r.get(2)?));
    match &req.sent_at_raw {
        None if req.source == "manual" => Ok(None),
        None => tx
            .prepare_cached("SELECT id, message, status FROM request WHERE person_id = ?1 ORDER BY id DESC LIMIT 1")?
            .query_row([person_id], row)
            .optional(),
        Some(raw) => tx
            .prepare_cached(
                "SELECT id, message, status FROM request WHERE person_id = ?1 AND sent_at_raw = ?2 LIMIT 1",
            )?
            .query_row(params![person_id, raw], row)
            .optional(),
    }
}

/// A request seen before: back to pending when it is listed again after it vanished from an
/// export (it is waiting on LinkedIn after all), or given the message it lacked.
fn update_known(
    tx: &Transaction<'_>,
    (id, message, status): (i64, String, String),
    req: &NewRequest,
    enriched: bool,
) -> rusqlite::Result<(UpsertOutcome, i64)> {
    if status == Status::Withdrawn.as_str() && req.sent_at_raw.is_some() {
        set_status(tx, id, Status::Pending, None)?;
        return Ok((UpsertOutcome::CameBack, id));
    }
    let mut enriched = enriched;
    if message.is_empty() && !req.message.is_empty() {
        tx.prepare_cached("UPDATE request SET message = ?2, hints = ?3 WHERE id = ?1")?.execute(params![
            id,
            req.message,
            req.hints.join(",")
        ])?;
        enriched = true;
    }
    Ok((if enriched { UpsertOutcome::Enriched } else { UpsertOutcome::Unchanged }, id))
}

/// The person's last decision, when it was a decline: their new request asks again.
fn earlier_decline(tx: &Transaction<'_>, person_id: i64) -> rusqlite::Result<Option<i64>> {
    Ok(tx
        .prepare_cached(
            "SELECT d.id, d.status FROM decision d JOIN request r ON r.id = d.request_id \
             WHERE r.person_id = ?1 ORDER BY d.id DESC LIMIT 1",
        )?
        .query_row([person_id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
        .optional()?
        .filter(|(_, status)| status == "declined")
        .map(|(id, _)| id))
}

/// What [`mark_connected`] changed: the requests waiting for a decision, now `connected`
/// (each with the time it was added to the store), and the accepted ones whose to-do it
/// closed (carried out on LinkedIn).
pub(super) struct Connected {
    pub waiting: Vec<(i64, String)>,
    pub accepted: Vec<i64>,
}

/// Marks person `person_id` as a connection (from Connections.csv): an accepted request of
/// theirs was carried out on LinkedIn, and their requests still waiting for a decision become
/// `connected`.
pub(super) fn mark_connected(tx: &Transaction<'_>, person_id: i64, connected_on: &str) -> rusqlite::Result<Connected> {
    tx.prepare_cached("UPDATE person SET connected_on = ?2 WHERE id = ?1")?
        .execute(params![person_id, connected_on])?;
    let accepted: Vec<i64> = tx
        .prepare_cached(
            "UPDATE request SET done_on_linkedin = ?2 WHERE person_id = ?1 AND status = 'accepted' \
             AND done_on_linkedin IS NULL RETURNING id",
        )?
        .query_map(params![person_id, now_stored()], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let waiting: Vec<(i64, String)> = tx
        .prepare_cached("SELECT id, added_at FROM request WHERE person_id = ?1 AND status = 'pending'")?
        .query_map([person_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, _) in &waiting {
        set_status(tx, *id, Status::Connected, None)?;
    }
    Ok(Connected { waiting, accepted })
}

/// The people a connection row may be: the one whose key is its URL, and those without a URL
/// who have its name. Each as (id, profile URL, name).
pub(super) fn people_like(
    tx: &Transaction<'_>,
    url: Option<&str>,
    name_key: &str,
) -> rusqlite::Result<Vec<(i64, Option<String>, String)>> {
    tx.prepare_cached("SELECT id, profile_url, name FROM person WHERE key = ?1 OR (name_key = ?2 AND name_key != '')")?
        .query_map(params![url.unwrap_or(""), name_key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect()
}

/// People with a profile URL and a request waiting for a decision, each as (id, profile URL,
/// name): those a connection without a URL (a file before 2022) may be, by name.
pub(super) fn waiting_people_with_urls(tx: &Transaction<'_>) -> rusqlite::Result<Vec<(i64, Option<String>, String)>> {
    tx.prepare_cached(
        "SELECT p.id, p.profile_url, p.name FROM person p WHERE p.profile_url IS NOT NULL \
         AND EXISTS (SELECT 1 FROM request r WHERE r.person_id = p.id AND r.status = 'pending')",
    )?
    .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
    .collect()
}

/// What the user fills in about a person that LinkedIn's export lacks. Empty: unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    pub headline: String,
    pub company: String,
    pub location: String,
}

impl Store {
    /// Sets a person's headline, company and location (an empty one: unknown), and searches
    /// find them at once. A later import keeps them: it only fills what is unknown.
    pub fn set_profile(&mut self, person_id: i64, profile: &Profile) -> Result<()> {
        let path = self.path.clone();
        let e = |err| sqlite_err(&path, err);
        let wm = watermark(&self.conn).map_err(e)?;
        let known = |s: &str| Some(s.trim()).filter(|s| !s.is_empty()).map(str::to_string);
        let p = profile;
        self.transact(|tx| {
            let changed = tx
                .sql()
                .execute(
                    "UPDATE person SET headline = ?2, company = ?3, location = ?4 WHERE id = ?1",
                    params![person_id, known(&p.headline), known(&p.company), known(&p.location)],
                )
                .map_err(|e| tx.err(e))?;
            if changed == 0 {
                return Err(StoreError::NoSuchPerson(format!("no person with id {person_id} (forgotten?)")));
            }
            super::sync_record::record_profile(tx.sql(), person_id).map_err(|e| tx.err(e))?;
            reindex_person(tx.sql(), person_id, wm).map_err(|e| tx.err(e))
        })
    }

    /// Adds one request by hand (`vetted add`), in its own transaction. Returns its id.
    pub fn add_request(&mut self, req: &NewRequest) -> Result<(i64, UpsertOutcome)> {
        let done = self.transact(|tx| {
            let done = upsert(tx.sql(), req, false, None, &mut PersonIndex::Sql).map_err(|e| tx.err(e))?;
            if done.outcome != UpsertOutcome::Unchanged {
                super::sync_record::record_request(tx.sql(), done.request_id, req.notes.is_some(), done.person_id)
                    .map_err(|e| tx.err(e))?;
            }
            Ok(done)
        })?;
        Ok((done.request_id, done.outcome))
    }

    /// One page of requests, keyset-paginated: pass the last row of the previous page as
    /// `after` to get the next one. With a status, pages follow the send time (the queue
    /// index); across every status they follow the order of arrival in the store (the rowid),
    /// which needs no index of its own.
    pub fn requests_page(
        &self,
        filter: &RequestFilter,
        after: Option<&RequestRow>,
        limit: usize,
    ) -> Result<Vec<RequestRow>> {
        let (cmp, order) = match filter.sort {
            Sort::Oldest => (">", "ASC"),
            Sort::Newest => ("<", "DESC"),
        };
        let (condition, keyset, order_by) = match filter.status {
            Some(_) => (
                "r.status = ?1",
                format!("(r.sent_at, r.id) {cmp} (?2, ?3)"),
                format!("r.sent_at {order}, r.id {order}"),
            ),
            None => ("1", format!("r.id {cmp} ?3"), format!("r.id {order}")),
        };
        let keyset = if after.is_some() { keyset } else { "1".to_string() };
        let columns = self.request_columns();
        let sql = format!(
            "SELECT {columns} FROM request r JOIN person p ON p.id = r.person_id \
             WHERE {condition} AND {keyset} ORDER BY {order_by} LIMIT ?4"
        );
        let status = filter.status.map(Status::as_str);
        let (after_sent, after_id) =
            after.map_or((String::new(), 0), |r| (r.sent_at.clone().unwrap_or_default(), r.id));
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut stmt| {
                stmt.query_map(params![status, after_sent, after_id, limit as i64], row_to_request)?.collect()
            })
            .map_err(|e| self.err(e))
    }

    /// The person with this stable key (a normalised profile URL), if any.
    pub fn person_by_key(&self, key: &str) -> Result<Option<i64>> {
        self.conn
            .prepare_cached("SELECT id FROM person WHERE key = ?1")
            .and_then(|mut s| s.query_row([key], |r| r.get(0)).optional())
            .map_err(|e| self.err(e))
    }

    /// Every request of one person, newest first.
    pub fn requests_of_person(&self, person_id: i64) -> Result<Vec<RequestRow>> {
        let columns = self.request_columns();
        self.conn
            .prepare_cached(&format!(
                "SELECT {columns} FROM request r JOIN person p ON p.id = r.person_id \
                 WHERE r.person_id = ?1 ORDER BY r.sent_at DESC, r.id DESC"
            ))
            .and_then(|mut s| s.query_map([person_id], row_to_request)?.collect())
            .map_err(|e| self.err(e))
    }

    pub fn request(&self, id: i64) -> Result<RequestRow> {
        let columns = self.request_columns();
        self.conn
            .prepare_cached(&format!(
                "SELECT {columns} FROM request r JOIN person p ON p.id = r.person_id WHERE r.id = ?1"
            ))
            .and_then(|mut s| s.query_row([id], row_to_request).optional())
            .map_err(|e| self.err(e))?
            .ok_or(StoreError::NoSuchRequest(id))
    }

    /// How many requests have `status`, counted by SQL on the status index.
    pub fn count(&self, status: Status) -> Result<u64> {
        self.conn
            .prepare_cached("SELECT count(*) FROM request WHERE status = ?1")
            .and_then(|mut s| s.query_row([status.as_str()], |r| r.get::<_, i64>(0)))
            .map(|n| n as u64)
            .map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(name: &str, url: Option<&str>, sent: Option<&str>) -> NewRequest {
        NewRequest {
            name: name.into(),
            profile_url: url.map(Into::into),
            sent_at_raw: sent.map(Into::into),
            sent_at: sent.map(|s| format!("2024-01-{s}T10:00:00Z")),
            source: "linkedin".into(),
            ..NewRequest::default()
        }
    }

    #[test]
    fn upsert_is_idempotent_and_enriches() {
        let mut store = Store::in_memory().unwrap();
        let tx = store.write().unwrap();
        let a = req("Ada Example", Some("https://www.linkedin.com/in/ada"), Some("01"));
        assert_eq!(upsert(&tx, &a, false, None, &mut PersonIndex::Sql).unwrap().outcome, UpsertOutcome::New);
        assert_eq!(upsert(&tx, &a, false, None, &mut PersonIndex::Sql).unwrap().outcome, UpsertOutcome::Unchanged);
        let richer =
            NewRequest { headline: Some("Engineer".into()), notes: Some("met at RustConf".into()), ..a.clone() };
        assert_eq!(upsert(&tx, &richer, false, None, &mut PersonIndex::Sql).unwrap().outcome, UpsertOutcome::Enriched);
        assert_eq!(upsert(&tx, &richer, false, None, &mut PersonIndex::Sql).unwrap().outcome, UpsertOutcome::Unchanged);
        let later = req("Ada Example", Some("https://www.linkedin.com/in/ada"), Some("09"));
        assert_eq!(upsert(&tx, &later, false, None, &mut PersonIndex::Sql).unwrap().outcome, UpsertOutcome::New);
        assert_eq!(
            upsert(&tx, &req("Bo", None, Some("02")), true, None, &mut PersonIndex::Sql).unwrap().outcome,
            UpsertOutcome::AlreadyConnected
        );
        tx.commit().unwrap();
        assert_eq!(store.count(Status::Pending).unwrap(), 2);
        assert_eq!(store.count(Status::Connected).unwrap(), 1);
        let first = store.requests_page(&RequestFilter::default(), None, 1).unwrap();
        assert_eq!(first[0].headline.as_deref(), Some("Engineer"));
    }

    #[test]
    fn pages_follow_the_keyset_in_both_directions() {
        let mut store = Store::in_memory().unwrap();
        for day in 10..30 {
            store.add_request(&req(&format!("P{day}"), None, Some(&day.to_string()))).unwrap();
        }
        let filter = RequestFilter { status: Some(Status::Pending), sort: Sort::Oldest };
        let mut seen = Vec::new();
        let mut after: Option<RequestRow> = None;
        loop {
            let page = store.requests_page(&filter, after.as_ref(), 7).unwrap();
            if page.is_empty() {
                break;
            }
            seen.extend(page.iter().map(|r| r.name.clone()));
            after = page.last().cloned();
        }
        assert_eq!(seen, (10..30).map(|d| format!("P{d}")).collect::<Vec<_>>());
        store.decide(1, crate::model::Verdict::Accept, "", &Default::default()).unwrap();
        let newest = RequestFilter { status: None, sort: Sort::Newest };
        let page = store.requests_page(&newest, None, 3).unwrap();
        assert_eq!(page.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["P29", "P28", "P27"]);
        let next = store.requests_page(&newest, page.last(), 2).unwrap();
        assert_eq!(next.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["P26", "P25"]);
    }
}
