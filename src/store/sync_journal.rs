//! This store as a sync device (docs/sync.md): the one writer of `sync_device`, `sync_unsent`,
//! `sync_position` and the stamp tables. The store's writers call [`record`] in their own
//! transaction; it does nothing (one look at an empty one-row table) unless `vetted sync init`
//! or `join` made the store a device. Requests are named across devices by
//! [`RequestKey`], found here from a row id and back.

use super::{Result, Store, sqlite_err};
use crate::sync::event::{Change, Event, EventId, Journal, RequestKey};
use crate::sync::hlc::{Hlc, wall_ms};
use crate::sync::plan::{Position, Positions};
use crate::sync::segment::Instance;
use rusqlite::{Connection, OptionalExtension, params};
use std::path::PathBuf;

/// This store as a device: its name and instance, its folder and key file, how far its
/// journal got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncDevice {
    pub device: String,
    pub instance: Instance,
    pub dir: PathBuf,
    pub key_file: PathBuf,
    /// The number of the last event made here.
    pub counter: u64,
    /// The last stamp made or observed here.
    pub last: Option<Hlc>,
    /// The last segment written to the folder.
    pub written: u64,
}

pub(super) fn device(conn: &Connection) -> rusqlite::Result<Option<SyncDevice>> {
    conn.prepare_cached(
        "SELECT device, instance, dir, key_file, counter, last_wall, last_counter, written FROM sync_device",
    )?
    .query_row([], |r| {
        let device: String = r.get(0)?;
        let instance: Vec<u8> = r.get(1)?;
        let last = match (r.get::<_, Option<i64>>(5)?, r.get::<_, Option<i64>>(6)?) {
            (Some(w), Some(c)) => Some(Hlc { wall_ms: w as u64, counter: c as u32, device: device.clone() }),
            _ => None,
        };
        Ok(SyncDevice {
            instance: instance.try_into().unwrap_or([0; 16]),
            dir: PathBuf::from(r.get::<_, String>(2)?),
            key_file: PathBuf::from(r.get::<_, String>(3)?),
            counter: r.get::<_, i64>(4)? as u64,
            last,
            written: r.get::<_, i64>(7)? as u64,
            device,
        })
    })
    .optional()
}

/// Whether this store syncs (cheap: one row or none).
pub(super) fn syncs(conn: &Connection) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM sync_device)")?.query_row([], |r| r.get(0))
}

fn save_clock(tx: &Connection, counter: u64, last: &Hlc) -> rusqlite::Result<()> {
    tx.prepare_cached("UPDATE sync_device SET counter = ?1, last_wall = ?2, last_counter = ?3")?.execute(params![
        counter as i64,
        last.wall_ms as i64,
        last.counter
    ])?;
    Ok(())
}

/// Records the change `make` describes as this device's next event, unsent, in the caller's
/// transaction; nothing (and `make` is not called) when the store does not sync.
pub(super) fn record(
    tx: &Connection,
    make: impl FnOnce(&Connection) -> rusqlite::Result<Option<Change>>,
) -> rusqlite::Result<Option<Event>> {
    let Some(me) = device(tx)? else { return Ok(None) };
    let Some(change) = make(tx)? else { return Ok(None) };
    let mut journal = Journal::resume(&me.device, me.counter, me.last.as_ref());
    let event = journal.record(change, wall_ms());
    save_clock(tx, event.id.counter, &event.hlc)?;
    let json = serde_json::to_string(&event).expect("an event serialises");
    tx.prepare_cached("INSERT INTO sync_unsent (counter, event) VALUES (?1, ?2)")?
        .execute(params![event.id.counter as i64, json])?;
    Ok(Some(event))
}

/// Moves this device's clock past `remote` (a stamp read from another device).
pub(super) fn observe(tx: &Connection, remote: &Hlc) -> rusqlite::Result<()> {
    let Some(me) = device(tx)? else { return Ok(()) };
    let mut clock = me.last.as_ref().map_or_else(|| crate::sync::Clock::new(&me.device), crate::sync::Clock::resume);
    let stamp = clock.observe(remote, wall_ms());
    save_clock(tx, me.counter, &stamp)
}

/// How every device names request `request_id`.
pub(super) fn request_key(conn: &Connection, request_id: i64) -> rusqlite::Result<RequestKey> {
    conn.prepare_cached(
        "SELECT p.key, CASE r.sent_at WHEN '' THEN coalesce(r.sent_at_raw, '') ELSE r.sent_at END \
         FROM request r JOIN person p ON p.id = r.person_id WHERE r.id = ?1",
    )?
    .query_row([request_id], |r| Ok(RequestKey { person: r.get(0)?, sent: r.get(1)? }))
}

/// The request `key` names here, if this store has it.
pub(super) fn find_request(conn: &Connection, key: &RequestKey) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached(
        "SELECT r.id FROM request r JOIN person p ON p.id = r.person_id WHERE p.key = ?1 \
         AND (r.sent_at = ?2 OR (r.sent_at = '' AND coalesce(r.sent_at_raw, '') = ?2)) ORDER BY r.id LIMIT 1",
    )?
    .query_row(params![key.person, key.sent], |r| r.get(0))
    .optional()
}

pub(super) fn person_key(conn: &Connection, person_id: i64) -> rusqlite::Result<String> {
    conn.prepare_cached("SELECT key FROM person WHERE id = ?1")?.query_row([person_id], |r| r.get(0))
}

pub(super) fn find_person(conn: &Connection, key: &str) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached("SELECT id FROM person WHERE key = ?1")?.query_row([key], |r| r.get(0)).optional()
}

/// Remembers which event decision row `decision_id` is (its stamp: the latest is in force).
pub(super) fn stamp_decision(tx: &Connection, decision_id: i64, e: &Event) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT OR IGNORE INTO sync_decision (decision_id, wall, counter, device, event) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![decision_id, e.hlc.wall_ms as i64, e.hlc.counter, e.id.device, e.id.counter as i64])?;
    Ok(())
}

/// The decision row of event `id`, if it was applied here.
pub(super) fn decision_of(conn: &Connection, id: &EventId) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached("SELECT decision_id FROM sync_decision WHERE device = ?1 AND event = ?2")?
        .query_row(params![id.device, id.counter as i64], |r| r.get(0))
        .optional()
}

/// The event of decision row `decision_id`, if it has one.
pub(super) fn event_of(conn: &Connection, decision_id: i64) -> rusqlite::Result<Option<EventId>> {
    conn.prepare_cached("SELECT device, event FROM sync_decision WHERE decision_id = ?1")?
        .query_row([decision_id], |r| Ok(EventId { device: r.get(0)?, counter: r.get::<_, i64>(1)? as u64 }))
        .optional()
}

/// The latest stamp of a decision row of the request (the one in force).
pub(super) fn latest_decision_stamp(conn: &Connection, request_id: i64) -> rusqlite::Result<Option<Hlc>> {
    conn.prepare_cached(
        "SELECT s.wall, s.counter, s.device FROM sync_decision s JOIN decision d ON d.id = s.decision_id \
         WHERE d.request_id = ?1 ORDER BY s.wall DESC, s.counter DESC, s.device DESC LIMIT 1",
    )?
    .query_row([request_id], |r| Ok(Hlc { wall_ms: r.get::<_, i64>(0)? as u64, counter: r.get(1)?, device: r.get(2)? }))
    .optional()
}

/// Which table a latest-wins stamp belongs to: a person's (note, profile, connected) or a
/// request's (answers, todo).
#[derive(Debug, Clone, Copy)]
pub(super) enum Of {
    Person(i64),
    Request(i64),
}

impl Of {
    fn table(self) -> (&'static str, &'static str, i64) {
        match self {
            Of::Person(id) => ("sync_person_stamp", "person_id", id),
            Of::Request(id) => ("sync_request_stamp", "request_id", id),
        }
    }
}

/// The stamp of `kind` of `of`, if one was kept.
pub(super) fn stamp_of(tx: &Connection, of: Of, kind: &str) -> rusqlite::Result<Option<Hlc>> {
    let (table, column, id) = of.table();
    tx.prepare_cached(&format!("SELECT wall, counter, device FROM {table} WHERE {column} = ?1 AND kind = ?2"))?
        .query_row(params![id, kind], |r| {
            Ok(Hlc { wall_ms: r.get::<_, i64>(0)? as u64, counter: r.get(1)?, device: r.get(2)? })
        })
        .optional()
}

/// Sets the stamp of `kind` of `of` to `hlc` when it is later than the one kept; returns
/// whether it was (whether the value it stamps should be written).
pub(super) fn later_stamp(tx: &Connection, of: Of, kind: &str, hlc: &Hlc) -> rusqlite::Result<bool> {
    let (table, column, id) = of.table();
    let kept = stamp_of(tx, of, kind)?;
    if kept.is_some_and(|k| k >= *hlc) {
        return Ok(false);
    }
    tx.prepare_cached(&format!(
        "INSERT INTO {table} ({column}, kind, wall, counter, device) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT DO UPDATE SET wall = excluded.wall, counter = excluded.counter, device = excluded.device"
    ))?
    .execute(params![id, kind, hlc.wall_ms as i64, hlc.counter, hlc.device])?;
    Ok(true)
}

/// The local batch that another device's batch `id` became here (made on first sight).
pub(super) fn local_batch(tx: &Connection, id: &EventId) -> rusqlite::Result<i64> {
    if let Some(b) = tx
        .prepare_cached("SELECT batch FROM sync_batch WHERE device = ?1 AND event = ?2")?
        .query_row(params![id.device, id.counter as i64], |r| r.get(0))
        .optional()?
    {
        return Ok(b);
    }
    let next: i64 = tx.query_row(
        "SELECT max(coalesce((SELECT max(batch) FROM decision), 0), coalesce((SELECT max(batch) FROM sync_batch), 0)) + 1",
        [],
        |r| r.get(0),
    )?;
    tx.prepare_cached("INSERT INTO sync_batch (device, event, batch) VALUES (?1, ?2, ?3)")?.execute(params![
        id.device,
        id.counter as i64,
        next
    ])?;
    Ok(next)
}

/// How every device names local batch `batch`: the other device's batch it came from, else
/// this device's own.
pub(super) fn batch_event(conn: &Connection, me: &str, batch: i64) -> rusqlite::Result<EventId> {
    let theirs = conn
        .prepare_cached("SELECT device, event FROM sync_batch WHERE batch = ?1")?
        .query_row([batch], |r| Ok(EventId { device: r.get(0)?, counter: r.get::<_, i64>(1)? as u64 }))
        .optional()?;
    Ok(theirs.unwrap_or(EventId { device: me.to_string(), counter: batch as u64 }))
}

/// Fills in `decided_on` of each row whose request more than one device decided (a store that
/// syncs only: otherwise one look at an empty table). A deferral coming due is nobody's decision.
pub(super) fn fill_decided_on<'r>(
    conn: &Connection,
    rows: impl IntoIterator<Item = &'r mut crate::model::DecisionRow>,
) -> rusqlite::Result<()> {
    if !syncs(conn).unwrap_or(false) {
        return Ok(()); // a store opened read-only before migration 11 has no such table
    }
    for row in rows {
        let devices: Vec<String> = conn
            .prepare_cached(
                "SELECT DISTINCT s.device FROM sync_decision s JOIN decision d ON d.id = s.decision_id \
                 WHERE d.request_id = ?1 AND NOT (d.status = 'pending' AND d.reason = ?2) ORDER BY s.device",
            )?
            // A deferral coming due is no one's decision: each device that opened the app logs its own.
            .query_map(params![row.request_id, super::rows::DEFERRAL_DUE], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if devices.len() > 1 {
            row.decided_on = devices;
        }
    }
    Ok(())
}

pub(super) fn positions(conn: &Connection) -> rusqlite::Result<Positions> {
    conn.prepare_cached("SELECT device, seq, instance FROM sync_position")?
        .query_map([], |r| {
            let instance: Vec<u8> = r.get(2)?;
            Ok((
                r.get::<_, String>(0)?,
                Position { seq: r.get::<_, i64>(1)? as u64, instance: instance.try_into().unwrap_or([0; 16]) },
            ))
        })?
        .collect()
}

pub(super) fn set_position(tx: &Connection, device: &str, p: &Position) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO sync_position (device, seq, instance, applied_at) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (device) DO UPDATE SET seq = excluded.seq, instance = excluded.instance, \
           applied_at = excluded.applied_at",
    )?
    .execute(params![device, p.seq as i64, p.instance.as_slice(), crate::clock::now_stored()])?;
    Ok(())
}

impl Store {
    /// This store as a sync device, if it is one.
    pub fn sync_device(&self) -> Result<Option<SyncDevice>> {
        device(&self.conn).map_err(|e| self.err(e))
    }

    /// How far this store applied each other device.
    pub fn sync_positions(&self) -> Result<Positions> {
        positions(&self.conn).map_err(|e| self.err(e))
    }

    /// Up to `limit` unsent events, oldest first, with the approximate bytes they take: what
    /// the next segment holds (at most `max_bytes` of JSON, at least one event).
    pub fn sync_unsent(&self, limit: usize, max_bytes: usize) -> Result<Vec<Event>> {
        let path = self.path.clone();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT event FROM sync_unsent ORDER BY counter LIMIT ?1")
            .map_err(|e| sqlite_err(&path, e))?;
        let mut rows = stmt.query([limit as i64]).map_err(|e| sqlite_err(&path, e))?;
        let (mut out, mut bytes) = (Vec::new(), 0usize);
        while let Some(row) = rows.next().map_err(|e| sqlite_err(&path, e))? {
            let json: String = row.get(0).map_err(|e| sqlite_err(&path, e))?;
            if !out.is_empty() && bytes + json.len() > max_bytes {
                break;
            }
            bytes += json.len();
            match serde_json::from_str(&json) {
                Ok(e) => out.push(e),
                Err(_) => continue, // not one this vetted wrote: left out of the segment
            }
        }
        Ok(out)
    }

    /// How many events wait to be written.
    pub fn sync_unsent_count(&self) -> Result<u64> {
        self.conn
            .query_row("SELECT count(*) FROM sync_unsent", [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(|e| self.err(e))
    }

    /// Segment `seq` holding the unsent events up to `through` (their counter) is in the
    /// folder: they are sent.
    pub fn sync_written(&mut self, seq: u64, through: u64) -> Result<()> {
        self.transact(|tx| {
            tx.sql()
                .execute("DELETE FROM sync_unsent WHERE counter <= ?1", [through as i64])
                .and_then(|_| tx.sql().execute("UPDATE sync_device SET written = ?1", [seq as i64]))
                .map(|_| ())
                .map_err(|e| tx.err(e))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Answers, NewRequest, Verdict};
    use crate::store::NewDevice;

    fn unsent(store: &Store) -> Vec<Event> {
        store.sync_unsent(1000, usize::MAX).unwrap()
    }

    #[test]
    fn a_store_records_events_only_once_it_syncs_and_then_in_the_writers_transaction() {
        let mut store = Store::in_memory().unwrap();
        let req = NewRequest {
            name: "Odile Madeup".into(),
            profile_url: Some("https://www.linkedin.com/in/odile-madeup".into()),
            sent_at_raw: Some("2026-11-02".into()),
            sent_at: Some("2026-11-02T00:00:00Z".into()),
            source: "linkedin".into(),
            ..NewRequest::default()
        };
        let (id, _) = store.add_request(&req).unwrap();
        store.decide(id, Verdict::Defer, "", &Answers::new()).unwrap();
        let person = store.request(id).unwrap().person_id;
        store.set_note(person, "a fictional note").unwrap();
        assert!(unsent(&store).is_empty(), "a store that does not sync records nothing");
        assert!(store.sync_device().unwrap().is_none());

        let d = NewDevice {
            device: "laptop",
            instance: [7; 16],
            dir: std::path::Path::new("/nonexistent"),
            key_file: std::path::Path::new("/nonexistent/sync.key"),
        };
        let n = store.sync_begin(&d, |_| {}).unwrap();
        let kinds: Vec<String> =
            unsent(&store).iter().map(|e| serde_json::to_value(&e.change).unwrap()["kind"].to_string()).collect();
        assert_eq!(kinds, [r#""request_imported""#, r#""decided""#, r#""note_set""#]);
        assert_eq!(n, 3);
        assert!(matches!(store.sync_begin(&d, |_| {}), Err(crate::store::StoreError::SyncAlready { .. })));

        store.decide(id, Verdict::Accept, "", &Answers::new()).unwrap();
        let events = unsent(&store);
        let last = events.last().unwrap();
        assert_eq!(last.id, EventId { device: "laptop".into(), counter: 4 });
        assert!(last.hlc > events[2].hlc);
        let key = RequestKey {
            person: "https://www.linkedin.com/in/odile-madeup".into(),
            sent: "2026-11-02T00:00:00Z".into(),
        };
        assert!(matches!(&last.change, Change::Decided { request, verdict: Verdict::Accept, .. } if *request == key));
        assert_eq!(store.sync_device().unwrap().unwrap().counter, 4);
        // Written as segment 1: sent.
        store.sync_written(1, 4).unwrap();
        assert!(unsent(&store).is_empty());
        assert_eq!(store.sync_device().unwrap().unwrap().written, 1);
    }
}
