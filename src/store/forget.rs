//! `vetted forget`: remove everything about a person, leaving an anonymous tombstone, and
//! scrub the bytes from the file.

use super::{Result, Store, StoreError, sqlite_err};
use crate::checklist::Checklist;
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::BTreeMap;
use std::time::Duration;

/// What `forget` removed. The tombstone row keeps only these counts and the date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Forgotten {
    pub tombstone: i64,
    pub name: String,
    pub requests: i64,
    pub decisions: i64,
    pub notes: i64,
    pub answers: i64,
    /// Rows of the user's connections that named them (Connections.csv).
    pub connections: i64,
    /// The user's own invitations to them (an export's OUTGOING rows).
    pub outgoing: i64,
    /// Some of their requests came from LinkedIn's export: the invitation is still there, and
    /// an import of an export that lists it brings the person back.
    pub from_linkedin: bool,
    /// `false` when another process kept the WAL from being emptied, or the disk was too full
    /// to rebuild the file (traces may remain until the next open finishes the scrub).
    pub scrubbed: bool,
    /// The scrub could not finish because the disk is full (rather than another process).
    pub disk_full: bool,
}

/// Whom to forget: a request id as `vetted list` shows it, a normalised profile URL, or a
/// name (as people write it: compared as `model::name_key` does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersonRef {
    Request(i64),
    ProfileUrl(String),
    Name(String),
}

impl Store {
    /// The person `who` points at: (id, name, profile URL); the first when several share a URL.
    pub fn find_person(&self, who: &PersonRef) -> Result<(i64, String, Option<String>)> {
        Ok(self.find_people(who)?.swap_remove(0))
    }

    /// Everyone `who` points at, by id: one for a request id, and for a profile URL everyone
    /// who has it (two people can share one: a connection found by name, say). Never empty.
    pub fn find_people(&self, who: &PersonRef) -> Result<Vec<(i64, String, Option<String>)>> {
        let row = |r: &rusqlite::Row<'_>| Ok((r.get(0)?, r.get(1)?, r.get(2)?));
        let found: Vec<_> = match who {
            PersonRef::Request(id) => self.conn.query_row(
                "SELECT p.id, p.name, p.profile_url FROM request r JOIN person p ON p.id = r.person_id WHERE r.id = ?1",
                [id],
                row,
            )
            .optional()
            .map(|p| p.into_iter().collect()),
            PersonRef::ProfileUrl(url) => self
                .conn
                .prepare("SELECT id, name, profile_url FROM person WHERE key = ?1 OR profile_url = ?1 ORDER BY id")
                .and_then(|mut s| s.query_map([url], row)?.collect()),
            PersonRef::Name(name) => self
                .conn
                .prepare("SELECT id, name, profile_url FROM person WHERE name_key = ?1 ORDER BY id")
                .and_then(|mut s| s.query_map([crate::model::name_key(name)], row)?.collect()),
        }
        .map_err(|e| self.err(e))?;
        if found.is_empty() {
            return Err(StoreError::NoSuchPerson(match who {
                PersonRef::Request(id) => format!("no request with id {id}"),
                PersonRef::ProfileUrl(url) => format!("nobody with the profile URL {url}"),
                PersonRef::Name(name) => format!("nobody named {name}"),
            }));
        }
        Ok(found)
    }

    /// Removes everything about the person `who` points at (everyone, when several share a
    /// profile URL): see [`Store::forget_all`]. The counts are summed, the names joined.
    pub fn forget(&mut self, who: &PersonRef, checklist: &Checklist) -> Result<Forgotten> {
        let mut all = self.forget_all(who, checklist)?.into_iter();
        let mut sum = all.next().expect("find_people is never empty");
        for f in all {
            sum.name = format!("{}, {}", sum.name, f.name);
            sum.tombstone = f.tombstone;
            sum.requests += f.requests;
            sum.decisions += f.decisions;
            sum.notes += f.notes;
            sum.answers += f.answers;
            sum.connections += f.connections;
            sum.outgoing += f.outgoing;
            sum.from_linkedin |= f.from_linkedin;
        }
        Ok(sum)
    }

    /// Removes everything about each person `who` points at — people row, requests, notes,
    /// checklist answers, decisions, search-index entries, any other row that refers to
    /// them, and the rows of their connection (by profile URL, and by name where a URL cannot
    /// tell) — each in one transaction with `secure_delete`, leaving an anonymous tombstone
    /// (date and counts), then empties the WAL and rebuilds the file (VACUUM) once so no
    /// deleted byte remains in it. One [`Forgotten`] per person, in id order.
    ///
    /// Someone the user only invited (in `outgoing_invitation`, never a person of the store)
    /// is forgotten too: their invitations' rows, with a tombstone of no requests.
    /// The campaigns their notes were in are counted again without them, the requests left in
    /// them ranked by `checklist`.
    pub fn forget_all(&mut self, who: &PersonRef, checklist: &Checklist) -> Result<Vec<Forgotten>> {
        let path = self.path.clone();
        let sql = |e| sqlite_err(&path, e);
        let people = match self.find_people(who) {
            Err(StoreError::NoSuchPerson(_)) if self.invitations_to(who)? > 0 => Vec::new(),
            found => found?,
        };
        self.conn.execute_batch("PRAGMA secure_delete = ON; PRAGMA temp_store = MEMORY").map_err(sql)?;
        let result: Result<Vec<Forgotten>> = if people.is_empty() {
            self.forget_invited(who).map(|f| vec![f])
        } else {
            people
                .into_iter()
                .map(|(person_id, name, profile_url)| {
                    self.forget_in_transaction(person_id, name, profile_url, checklist)
                })
                .collect()
        };
        let reset = self.conn.execute_batch("PRAGMA secure_delete = OFF");
        let mut forgotten = result?;
        reset.map_err(sql)?;
        // The people are forgotten (committed); scrubbing the file is the second half. When
        // another process or a full disk keeps it from finishing, the next open finishes it.
        let (scrubbed, disk_full) = match self.scrub_and_mark() {
            Ok(scrubbed) => (scrubbed, false),
            Err(e) => (false, matches!(e, StoreError::Full { .. })),
        };
        for f in &mut forgotten {
            (f.scrubbed, f.disk_full) = (scrubbed, disk_full);
        }
        Ok(forgotten)
    }

    fn forget_in_transaction(
        &mut self,
        person_id: i64,
        name: String,
        url: Option<String>,
        checklist: &Checklist,
    ) -> Result<Forgotten> {
        self.transact(|tx| {
            super::sync_record::record_forget(tx.sql(), tx.path(), person_id)?;
            erase(tx.sql(), tx.path(), person_id, name, url, checklist)
        })
    }

    /// The (URL, name as compared) `who` gives for the user's outgoing invitations: a request
    /// id names a person of the store, never one only invited.
    fn invitation_keys(who: &PersonRef) -> Option<(Option<&str>, String)> {
        match who {
            PersonRef::Request(_) => None,
            PersonRef::ProfileUrl(url) => Some((Some(url.as_str()), String::new())),
            PersonRef::Name(name) => Some((None, crate::model::name_key(name))),
        }
    }

    /// How many of the user's own outgoing invitations `who` names (by URL, or every one to
    /// the name).
    pub fn invitations_to(&self, who: &PersonRef) -> Result<i64> {
        let Some((url, name_key)) = Self::invitation_keys(who) else { return Ok(0) };
        self.conn
            .query_row(
                "SELECT count(*) FROM outgoing_invitation WHERE url = ?1 OR (?1 IS NULL AND name_key = ?2)",
                params![url, name_key],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    /// Forgets someone the user only invited: the rows of their invitations, and a tombstone
    /// of no requests (so the scrub is owed until it is done).
    fn forget_invited(&mut self, who: &PersonRef) -> Result<Forgotten> {
        let (url, name_key) = Self::invitation_keys(who).unwrap_or_default();
        let name = match who {
            PersonRef::ProfileUrl(url) => url.clone(),
            PersonRef::Name(name) => name.clone(),
            PersonRef::Request(id) => id.to_string(),
        };
        self.transact(|tx| {
            let outgoing = super::findings::forget_outgoing(tx.sql(), url, &name_key).map_err(|e| tx.err(e))? as i64;
            let tombstone = write_tombstone(tx.sql(), 0, 0, &BTreeMap::new()).map_err(|e| tx.err(e))?;
            Ok(Forgotten { tombstone, name, outgoing, ..Forgotten::default() })
        })
    }

    /// Scrubs, and records on the tombstones that it is done. `Ok(false)` when another process
    /// kept it from finishing, an error (a full disk) when it failed.
    pub(super) fn scrub_and_mark(&mut self) -> Result<bool> {
        if !self.scrub()? {
            return Ok(false);
        }
        self.conn
            .execute_batch("UPDATE forgotten SET scrubbed = 1 WHERE scrubbed = 0; PRAGMA wal_checkpoint(TRUNCATE);")
            .map_err(|e| self.err(e))?;
        Ok(true)
    }

    /// When opening: finishes a scrub that another process kept from finishing. Best effort:
    /// a store in use now is scrubbed at a later open.
    pub(crate) fn finish_scrubbing(&mut self) {
        let pending: i64 =
            self.conn.query_row("SELECT count(*) FROM forgotten WHERE scrubbed = 0", [], |r| r.get(0)).unwrap_or(0);
        if pending > 0 {
            // Never make opening wait for another process: busy now means "next time".
            let _ = self.conn.busy_timeout(Duration::ZERO);
            let _ = self.conn.execute_batch("PRAGMA secure_delete = ON");
            let _ = self.scrub_and_mark();
            let _ = self.conn.execute_batch("PRAGMA secure_delete = OFF");
            let _ = self.conn.busy_timeout(super::BUSY_TIMEOUT);
        }
    }

    /// Leaves no deleted byte in the database file or its WAL: merges the search index (its
    /// deletes are otherwise only marked), checkpoints the WAL into the file and truncates it,
    /// rebuilds the file (VACUUM, its temporary copy in memory), and truncates the WAL again.
    /// Returns `false` when another process kept the WAL from being emptied.
    fn scrub(&mut self) -> Result<bool> {
        let path = self.path.clone();
        let sql = |e| sqlite_err(&path, e);
        self.conn
            .execute_batch(
                "INSERT INTO request_fts (request_fts) VALUES ('optimize'); \
                 INSERT INTO reason_fts (reason_fts) VALUES ('optimize');",
            )
            .map_err(sql)?;
        let checkpoint = |conn: &Connection| -> rusqlite::Result<bool> {
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| Ok(r.get::<_, i64>(0)? == 0))
        };
        let mut clean = checkpoint(&self.conn).map_err(sql)?;
        self.conn.execute_batch("PRAGMA temp_store = MEMORY; VACUUM;").map_err(sql)?;
        clean &= checkpoint(&self.conn).map_err(sql)?;
        Ok(clean)
    }

    /// The tombstones of forgotten people: (count of people, of their decisions).
    pub fn forgotten_counts(&self) -> Result<(i64, i64)> {
        self.conn
            .query_row("SELECT count(*), coalesce(sum(decisions), 0) FROM forgotten", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .map_err(|e| self.err(e))
    }
}

/// Removes everything about person `person_id` inside `tx` (see [`Store::forget_all`]),
/// leaving the anonymous tombstone; the caller commits. Also what a forget arriving from
/// another device does.
pub(super) fn erase(
    tx: &rusqlite::Transaction<'_>,
    path: &std::path::Path,
    person_id: i64,
    name: String,
    url: Option<String>,
    checklist: &Checklist,
) -> Result<Forgotten> {
    let sql = |e| sqlite_err(path, e);
    let (requests, decisions) = mark_for_forgetting(tx, person_id).map_err(sql)?;
    let campaigns = their_campaigns(tx).map_err(sql)?;
    let (from_linkedin, statuses) = what_they_were(tx, person_id).map_err(sql)?;
    let removed = delete_what_refers_to_them(tx).map_err(sql)?;
    let (connections, outgoing, url) = forget_their_connections(tx, person_id, &name, url).map_err(sql)?;
    tx.execute("DELETE FROM person WHERE id = ?1", [person_id]).map_err(sql)?;
    scrub_import_reports(tx, &name, url.as_deref()).map_err(sql)?;
    let tombstone = write_tombstone(tx, requests, decisions, &statuses).map_err(sql)?;
    tx.execute_batch("DELETE FROM temp.forget_ids").map_err(sql)?;
    super::evidence_campaigns::recount_after_leaving(tx, checklist, &campaigns).map_err(sql)?;
    Ok(Forgotten {
        tombstone,
        name,
        requests,
        decisions,
        notes: removed.get("note").copied().unwrap_or(0),
        answers: removed.get("answer").copied().unwrap_or(0),
        connections,
        outgoing,
        from_linkedin,
        scrubbed: false,
        disk_full: false,
    })
}

/// Lists the person, their requests and their decisions in `temp.forget_ids` (the foreign
/// keys checked once, at commit: a request asked again points at the earlier decline), and
/// counts (requests, decisions).
fn mark_for_forgetting(tx: &rusqlite::Transaction<'_>, person_id: i64) -> rusqlite::Result<(i64, i64)> {
    tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
    tx.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS forget_ids (tbl TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (tbl, id)); \
         DELETE FROM temp.forget_ids;",
    )?;
    tx.execute("INSERT INTO temp.forget_ids SELECT 'person', ?1", [person_id])?;
    tx.execute("INSERT INTO temp.forget_ids SELECT 'request', id FROM request WHERE person_id = ?1", [person_id])?;
    tx.execute_batch(
        "INSERT INTO temp.forget_ids SELECT 'decision', id FROM decision \
         WHERE request_id IN (SELECT id FROM temp.forget_ids WHERE tbl = 'request')",
    )?;
    let count = |tbl: &str| -> rusqlite::Result<i64> {
        tx.query_row("SELECT count(*) FROM temp.forget_ids WHERE tbl = ?1", [tbl], |r| r.get(0))
    };
    Ok((count("request")?, count("decision")?))
}

/// The campaign keys of the notes marked for forgetting: the other senders' "same campaign
/// as N" is counted again without them.
fn their_campaigns(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<Vec<String>> {
    tx.prepare(
        "SELECT DISTINCT key FROM campaign_key WHERE request_id IN (SELECT id FROM temp.forget_ids WHERE tbl = 'request')",
    )?
    .query_map([], |r| r.get(0))?
    .collect()
}

/// What the tombstone and the report keep: whether a LinkedIn export brought them, and how
/// many of their requests had each status.
fn what_they_were(tx: &rusqlite::Transaction<'_>, person_id: i64) -> rusqlite::Result<(bool, BTreeMap<String, i64>)> {
    let from_linkedin: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM request WHERE person_id = ?1 AND source = 'linkedin')",
        [person_id],
        |r| r.get(0),
    )?;
    let mut statuses: BTreeMap<String, i64> = BTreeMap::new();
    let mut stmt = tx.prepare("SELECT status, count(*) FROM request WHERE person_id = ?1 GROUP BY status")?;
    let rows = stmt.query_map([person_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    for row in rows {
        let (status, n) = row?;
        statuses.insert(status, n);
    }
    Ok((from_linkedin, statuses))
}

/// Deletes the search index entries of the marked rows and every row of every table that
/// refers to them; the rows removed, by table.
fn delete_what_refers_to_them(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<BTreeMap<String, i64>> {
    // The search indexes are keyed by request id (names, messages, notes) and by decision
    // id (reasons).
    tx.execute_batch(
        "DELETE FROM request_fts WHERE rowid IN (SELECT id FROM temp.forget_ids WHERE tbl = 'request'); \
         DELETE FROM reason_fts WHERE rowid IN (SELECT id FROM temp.forget_ids WHERE tbl = 'decision');",
    )?;
    // Every row of every table that refers to the person, their requests or their
    // decisions, found through the declared foreign keys — so tables added later are
    // covered too.
    let refs: Vec<(String, String, String)> = {
        let mut stmt = tx.prepare(
            "SELECT s.name, f.\"from\", f.\"table\" FROM sqlite_schema s, pragma_foreign_key_list(s.name) f \
             WHERE s.type = 'table' AND f.\"table\" IN ('person', 'request', 'decision')",
        )?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?
    };
    let mut removed: BTreeMap<String, i64> = BTreeMap::new();
    for (table, column, target) in &refs {
        let n = tx.execute(
            &format!(
                "DELETE FROM \"{}\" WHERE \"{}\" IN (SELECT id FROM temp.forget_ids WHERE tbl = ?1)",
                table.replace('"', "\"\""),
                column.replace('"', "\"\"")
            ),
            [target],
        )?;
        *removed.entry(table.clone()).or_default() += n as i64;
    }
    Ok(removed)
}

/// Deletes the user's connections and outgoing invitations that name the person: (the
/// connections removed, the invitations removed, the URL they were known by).
fn forget_their_connections(
    tx: &rusqlite::Transaction<'_>,
    person_id: i64,
    name: &str,
    url: Option<String>,
) -> rusqlite::Result<(i64, i64, Option<String>)> {
    let (key, name_key): (String, String) =
        tx.query_row("SELECT key, name_key FROM person WHERE id = ?1", [person_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let name_key = if name_key.is_empty() { crate::model::name_key(name) } else { name_key };
    let url = url.or_else(|| key.starts_with("https://").then(|| key.clone()));
    // By URL; and by name the rows without one, and every row when the person has none
    // (matched by name, they may be any of them: their privacy first).
    let connections = tx.execute(
        "DELETE FROM connection WHERE url = ?1 OR (name_key = ?2 AND (url IS NULL OR ?1 IS NULL))",
        params![url, name_key],
    )? as i64;
    let outgoing = super::findings::forget_outgoing(tx, url.as_deref(), &name_key)? as i64;
    Ok((connections, outgoing, url))
}

/// Import reports list invalid rows by their text: drops those lists if they name them.
fn scrub_import_reports(tx: &rusqlite::Transaction<'_>, name: &str, url: Option<&str>) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE import_run SET report = json_set(report, '$.problems', json('[]')) \
         WHERE json_valid(report) AND (instr(report, ?1) > 0 OR (?2 IS NOT NULL AND instr(report, ?2) > 0))",
        params![name, url],
    )?;
    Ok(())
}

/// The anonymous tombstone: the date and the counts, nothing that names anyone.
fn write_tombstone(
    tx: &rusqlite::Transaction<'_>,
    requests: i64,
    decisions: i64,
    statuses: &BTreeMap<String, i64>,
) -> rusqlite::Result<i64> {
    let statuses_json = serde_json::to_string(statuses).expect("a map serialises");
    let date = crate::clock::now_stored().get(..10).unwrap_or_default().to_string();
    tx.query_row(
        "INSERT INTO forgotten (forgotten_on, requests, decisions, statuses) VALUES (?1, ?2, ?3, ?4) RETURNING id",
        params![date, requests, decisions, statuses_json],
        |r| r.get(0),
    )
}

#[cfg(test)]
#[path = "forget_tests.rs"]
mod tests;
