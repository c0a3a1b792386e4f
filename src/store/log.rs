//! Reading the decision log as a whole: who is declined now, statistics, and the complete
//! backup (every table, row by row, so memory stays flat).

use super::decisions::{DECISION_COLUMNS, row_to_decision};
use super::{Result, Store, StoreError};
use crate::model::DecisionRow;
use rusqlite::params;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Someone whose latest decision is a decline, with the notes about them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeclinedRow {
    #[serde(flatten)]
    pub decision: DecisionRow,
    pub notes: Option<String>,
}

/// The numbers `vetted stats` and the Stats screen show.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Stats {
    /// Requests by current status.
    pub requests: BTreeMap<String, u64>,
    /// Decisions recorded (undos included) by what they set.
    pub decisions: BTreeMap<String, u64>,
    /// Month (YYYY-MM) → (accepted, declined) among that month's decisions.
    pub by_month: Vec<(String, u64, u64)>,
    /// The most frequent decline reasons, with their counts.
    pub top_decline_reasons: Vec<(String, u64)>,
    /// Checklist item → (yes among accepted, yes among declined), from current decisions.
    pub answers: Vec<(String, u64, u64)>,
    /// Decisions per day over the last 7 days, oldest first (day, count).
    pub last_7_days: Vec<(String, u64)>,
}

/// One decision with what was known then, for the CSV and Markdown exports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogEntry {
    pub id: i64,
    pub decided_at: String,
    pub decision: String,
    pub undo: bool,
    pub supersedes: Option<i64>,
    pub name: String,
    pub profile_url: Option<String>,
    pub reason: String,
    pub answers: BTreeMap<String, bool>,
    pub sent_at: String,
    pub message: String,
    pub notes: Option<String>,
}

/// One table row of a backup, as JSON-ready plain data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonRecord {
    pub id: i64,
    pub key: String,
    pub name: String,
    pub profile_url: Option<String>,
    pub headline: Option<String>,
    pub company: Option<String>,
    pub location: Option<String>,
    pub mutual_connections: Option<i64>,
    pub shared_groups: Option<String>,
    pub introduced_by: Option<String>,
    pub connected_on: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestRecord {
    pub id: i64,
    pub person_id: i64,
    pub source: String,
    pub sent_at: String,
    pub sent_at_raw: Option<String>,
    pub message: String,
    pub hints: String,
    pub status: String,
    pub earlier_decline: Option<i64>,
    pub added_at: String,
    #[serde(default)]
    pub defer_until: Option<String>,
    #[serde(default)]
    pub done_on_linkedin: Option<String>,
}

/// One checklist answer of a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerRecord {
    pub request_id: i64,
    pub item: String,
    pub value: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionRecord {
    pub id: i64,
    pub request_id: i64,
    pub status: String,
    pub reason: String,
    pub answers: BTreeMap<String, bool>,
    pub supersedes: Option<i64>,
    pub undo: bool,
    pub decided_at: String,
    #[serde(default)]
    pub defer_until: Option<String>,
}

/// An export's output failed (a full disk, a closed pipe).
pub(crate) fn output_err(source: std::io::Error) -> StoreError {
    StoreError::Io { path: "the export output".into(), action: "cannot write", source }
}

impl Store {
    /// People whose latest decision is a decline, most recent first (keyset on decision id).
    pub fn declined_page(&self, before: Option<i64>, limit: usize) -> Result<Vec<DeclinedRow>> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {DECISION_COLUMNS}, n.body FROM decision d JOIN request r ON r.id = d.request_id \
                 JOIN person p ON p.id = r.person_id LEFT JOIN note n ON n.person_id = p.id \
                 WHERE d.id < ?1 AND d.status = 'declined' \
                 AND d.id = (SELECT max(id) FROM decision WHERE request_id = d.request_id) \
                 ORDER BY d.id DESC LIMIT ?2"
            ))
            .and_then(|mut s| {
                s.query_map(params![before.unwrap_or(i64::MAX), limit as i64], |r| {
                    Ok(DeclinedRow { decision: row_to_decision(r)?, notes: r.get(11)? })
                })?
                .collect()
            })
            .map_err(|e| self.err(e))
    }

    pub fn stats(&self, today: &str) -> Result<Stats> {
        let pairs = |sql: &str| -> rusqlite::Result<BTreeMap<String, u64>> {
            self.conn.prepare(sql)?.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?.collect()
        };
        let run = || -> rusqlite::Result<Stats> {
            let by_month = self
                .conn
                .prepare(
                    "SELECT substr(decided_at, 1, 7), sum(status = 'accepted'), sum(status = 'declined') \
                     FROM decision WHERE undo = 0 GROUP BY 1 ORDER BY 1",
                )?
                .query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64, r.get::<_, i64>(2)? as u64)))?
                .collect::<rusqlite::Result<_>>()?;
            let top_decline_reasons = self
                .conn
                .prepare(
                    "SELECT lower(trim(reason)), count(*) FROM decision \
                     WHERE status = 'declined' AND undo = 0 AND trim(reason) != '' \
                     GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5",
                )?
                .query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?
                .collect::<rusqlite::Result<_>>()?;
            // The checklist as it was at each request's current decision.
            let answers = self
                .conn
                .prepare(
                    "SELECT j.key, sum(d.status = 'accepted'), sum(d.status = 'declined') \
                     FROM decision d, json_each(d.answers) j \
                     WHERE d.id IN (SELECT max(id) FROM decision GROUP BY request_id) AND j.value = 1 \
                     GROUP BY j.key ORDER BY j.key",
                )?
                .query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64, r.get::<_, i64>(2)? as u64)))?
                .collect::<rusqlite::Result<_>>()?;
            let days: Vec<(String, u64)> = self
                .conn
                .prepare(
                    "WITH RECURSIVE day(d, n) AS (SELECT date(?1, '-6 days'), 0 UNION ALL \
                       SELECT date(d, '+1 day'), n + 1 FROM day WHERE n < 6) \
                     SELECT day.d, (SELECT count(*) FROM decision WHERE decided_at >= day.d \
                       AND decided_at < date(day.d, '+1 day')) FROM day ORDER BY day.d",
                )?
                .query_map([today], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(Stats {
                requests: pairs("SELECT status, count(*) FROM request GROUP BY status")?,
                decisions: pairs("SELECT status, count(*) FROM decision GROUP BY status")?,
                by_month,
                top_decline_reasons,
                answers,
                last_7_days: days,
            })
        };
        run().map_err(|e| self.err(e))
    }

    /// Calls `each` for every decision with its person, request and notes, oldest first.
    pub fn each_log_entry(&self, mut each: impl FnMut(LogEntry) -> std::io::Result<()>) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT d.id, d.decided_at, d.status, d.undo, d.supersedes, p.name, p.profile_url, d.reason, \
                 d.answers, r.sent_at, r.message, n.body FROM decision d JOIN request r ON r.id = d.request_id \
                 JOIN person p ON p.id = r.person_id LEFT JOIN note n ON n.person_id = p.id ORDER BY d.id",
            )
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let entry = (|| {
                let answers: String = r.get(8)?;
                Ok::<_, rusqlite::Error>(LogEntry {
                    id: r.get(0)?,
                    decided_at: r.get(1)?,
                    decision: r.get(2)?,
                    undo: r.get(3)?,
                    supersedes: r.get(4)?,
                    name: r.get(5)?,
                    profile_url: r.get(6)?,
                    reason: r.get(7)?,
                    answers: serde_json::from_str(&answers).unwrap_or_default(),
                    sent_at: r.get(9)?,
                    message: r.get(10)?,
                    notes: r.get(11)?,
                })
            })()
            .map_err(|e| self.err(e))?;
            each(entry).map_err(output_err)?;
        }
        Ok(())
    }

    /// Calls `each` for every person (with their notes), in id order.
    pub fn each_person(&self, mut each: impl FnMut(PersonRecord) -> std::io::Result<()>) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT p.id, p.key, p.name, p.profile_url, p.headline, p.company, p.location, p.mutual_connections, \
                 p.shared_groups, p.introduced_by, p.connected_on, n.body FROM person p \
                 LEFT JOIN note n ON n.person_id = p.id ORDER BY p.id",
            )
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let record = (|| {
                Ok::<_, rusqlite::Error>(PersonRecord {
                    id: r.get(0)?,
                    key: r.get(1)?,
                    name: r.get(2)?,
                    profile_url: r.get(3)?,
                    headline: r.get(4)?,
                    company: r.get(5)?,
                    location: r.get(6)?,
                    mutual_connections: r.get(7)?,
                    shared_groups: r.get(8)?,
                    introduced_by: r.get(9)?,
                    connected_on: r.get(10)?,
                    notes: r.get(11)?,
                })
            })()
            .map_err(|e| self.err(e))?;
            each(record).map_err(output_err)?;
        }
        Ok(())
    }

    /// Calls `each` for every checklist answer, by request.
    pub fn each_answer(&self, mut each: impl FnMut(AnswerRecord) -> std::io::Result<()>) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare("SELECT request_id, item, value FROM answer ORDER BY request_id, item")
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let record = (|| {
                Ok::<_, rusqlite::Error>(AnswerRecord { request_id: r.get(0)?, item: r.get(1)?, value: r.get(2)? })
            })()
            .map_err(|e| self.err(e))?;
            each(record).map_err(output_err)?;
        }
        Ok(())
    }

    /// Calls `each` for every request, in id order.
    pub fn each_request(&self, mut each: impl FnMut(RequestRecord) -> std::io::Result<()>) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT r.id, r.person_id, r.source, r.sent_at, r.sent_at_raw, r.message, r.hints, r.status, \
                 r.earlier_decline, r.added_at, r.defer_until, r.done_on_linkedin FROM request r ORDER BY r.id",
            )
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let record = (|| {
                Ok::<_, rusqlite::Error>(RequestRecord {
                    id: r.get(0)?,
                    person_id: r.get(1)?,
                    source: r.get(2)?,
                    sent_at: r.get(3)?,
                    sent_at_raw: r.get(4)?,
                    message: r.get(5)?,
                    hints: r.get(6)?,
                    status: r.get(7)?,
                    earlier_decline: r.get(8)?,
                    added_at: r.get(9)?,
                    defer_until: r.get(10)?,
                    done_on_linkedin: r.get(11)?,
                })
            })()
            .map_err(|e| self.err(e))?;
            each(record).map_err(output_err)?;
        }
        Ok(())
    }

    /// Calls `each` for every decision row, oldest first.
    pub fn each_decision(&self, mut each: impl FnMut(DecisionRecord) -> std::io::Result<()>) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, request_id, status, reason, answers, supersedes, undo, decided_at, defer_until \
                 FROM decision ORDER BY id",
            )
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let record = (|| {
                let answers: String = r.get(4)?;
                Ok::<_, rusqlite::Error>(DecisionRecord {
                    id: r.get(0)?,
                    request_id: r.get(1)?,
                    status: r.get(2)?,
                    reason: r.get(3)?,
                    answers: serde_json::from_str(&answers).unwrap_or_default(),
                    supersedes: r.get(5)?,
                    undo: r.get(6)?,
                    decided_at: r.get(7)?,
                    defer_until: r.get(8)?,
                })
            })()
            .map_err(|e| self.err(e))?;
            each(record).map_err(output_err)?;
        }
        Ok(())
    }
}
