//! A backup restored through an import's sink: its people, requests, answers, decisions and
//! connections written as they were, then checked against each other.

use super::ImportSink;
use super::Result;
use super::answers::write_answers;
use super::connections::{ConnectionIndex, connection_row, derive_from_people};
use super::decisions::{NewDecision, insert_decision};
use super::notes::write_note;
use super::records::{AnswerRecord, ConnectionRecord, DecisionRecord, PersonRecord, RequestRecord};
use rusqlite::params;

impl ImportSink<'_> {
    /// The store holds no person and no request: what a backup restores into.
    pub fn holds_nothing(&self) -> Result<bool> {
        self.tx
            .query_row("SELECT NOT EXISTS (SELECT 1 FROM person) AND NOT EXISTS (SELECT 1 FROM request)", [], |r| {
                r.get(0)
            })
            .map_err(|e| self.err(e))
    }

    /// A person of a backup, with their notes, as they were.
    pub fn restore_person(&self, p: &PersonRecord) -> Result<()> {
        let restore = || -> rusqlite::Result<()> {
            self.tx
                .prepare_cached(
                    "INSERT INTO person (id, key, name, profile_url, headline, company, location, \
                       mutual_connections, shared_groups, introduced_by, connected_on) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                )?
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
                ])?;
            match &p.notes {
                Some(body) => write_note(&self.tx, p.id, body),
                None => Ok(()),
            }
        };
        restore().map_err(|e| self.err(e))
    }

    /// A request of a backup, as it was.
    pub fn restore_request(&self, r: &RequestRecord) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO request (id, person_id, source, sent_at, sent_at_raw, message, hints, status, \
                   earlier_decline, added_at, defer_until, done_on_linkedin, not_listed) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )
            .and_then(|mut s| {
                s.execute(params![
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
                    r.done_on_linkedin,
                    r.not_listed
                ])
            })
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// A checklist answer of a backup, and with it the request's rank by the checklist.
    pub fn restore_answer(&self, a: &AnswerRecord) -> Result<()> {
        write_answers(&self.tx, a.request_id, &[(a.item.as_str(), Some(a.value))], self.checklist)
            .map_err(|e| self.err(e))
    }

    /// A decision of a backup, as it was.
    pub fn restore_decision(&self, d: &DecisionRecord) -> Result<()> {
        let row = NewDecision {
            id: Some(d.id),
            request_id: d.request_id,
            status: &d.status,
            reason: &d.reason,
            answers: &d.answers,
            supersedes: d.supersedes,
            undo: d.undo,
            decided_at: &d.decided_at,
            defer_until: d.defer_until.as_deref(),
            batch: d.batch,
            evidence: Some(&d.evidence),
        };
        insert_decision(&self.tx, &row).map(|_| ()).map_err(|e| self.err(e))
    }

    /// A connection of a backup. (Not kept in memory: a restore matches nothing against it.)
    pub fn restore_connection(&self, c: &ConnectionRecord) -> Result<()> {
        let mut index = ConnectionIndex::default();
        connection_row(&self.tx, &mut index, c.url.as_deref(), &c.name, &c.connected_on).map_err(|e| self.err(e))
    }

    /// Once a backup is in: what the store derives from its people, and the first way the
    /// restored rows disagree with each other, if any: rows pointing at a person, request or
    /// decision the backup lacks (the restore ran without per-row foreign-key checks), a
    /// decision superseding a later one or another request's, a request whose status is not
    /// what its latest decision made it.
    pub fn finish_restore(&self) -> Result<Option<String>> {
        derive_from_people(&self.tx).map_err(|e| self.err(e))?;
        let first = |sql: &str| -> rusqlite::Result<Option<String>> {
            self.tx.query_row(&format!("SELECT ({sql} LIMIT 1)"), [], |r| r.get(0))
        };
        let checks = [
            "SELECT count(*) || ' rows point at people, requests or decisions the backup lacks'              FROM pragma_foreign_key_check HAVING count(*) > 0",
            "SELECT 'decision ' || d.id || ' supersedes decision ' || s.id || ', a later one or another request''s'              FROM decision d JOIN decision s ON s.id = d.supersedes              WHERE s.request_id != d.request_id OR s.id >= d.id",
            "SELECT 'request ' || r.id || ' is ' || r.status || ' but its latest decision says ' ||                coalesce(d.status, 'nothing')              FROM request r LEFT JOIN decision d ON d.id = (SELECT max(id) FROM decision WHERE request_id = r.id)              WHERE r.status IN ('accepted', 'declined', 'deferred') AND d.status IS NOT r.status",
        ];
        for sql in checks {
            if let Some(found) = first(sql).map_err(|e| self.err(e))? {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }
}
