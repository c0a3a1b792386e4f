//! How rows of the request and decision tables are read: the columns each query selects, in
//! the order the row mappers read them.

use crate::model::{DecisionRow, RequestRow, Status};
use rusqlite::Row;

/// Columns of [`RequestRow`], in the order `row_to_request` reads them.
pub(crate) const REQUEST_COLUMNS: &str = "r.id, r.person_id, p.name, p.profile_url, p.headline, p.company, \
     p.location, r.message, r.sent_at, r.sent_at_raw, r.source, r.status, r.hints, \
     p.mutual_connections, p.shared_groups, p.introduced_by, r.earlier_decline IS NOT NULL, \
     (SELECT count(*) FROM request x WHERE x.person_id = r.person_id), r.defer_until, \
     (SELECT rank FROM review_rank k WHERE k.request_id = r.id)";

/// How many columns [`REQUEST_COLUMNS`] selects: a query may add its own after them.
pub(crate) const REQUEST_COLUMN_COUNT: usize = 20;

pub(crate) fn row_to_request(r: &Row<'_>) -> rusqlite::Result<RequestRow> {
    let sent_at: String = r.get(8)?;
    let status: String = r.get(11)?;
    let hints: String = r.get(12)?;
    Ok(RequestRow {
        id: r.get(0)?,
        person_id: r.get(1)?,
        name: r.get(2)?,
        profile_url: r.get(3)?,
        headline: r.get(4)?,
        company: r.get(5)?,
        location: r.get(6)?,
        message: r.get(7)?,
        sent_at: (!sent_at.is_empty()).then_some(sent_at),
        sent_at_raw: r.get(9)?,
        source: r.get(10)?,
        status: Status::parse(&status).unwrap_or(Status::Pending),
        hints: hints.split(',').filter(|h| !h.is_empty()).map(str::to_string).collect(),
        mutual_connections: r.get(13)?,
        shared_groups: r.get(14)?,
        introduced_by: r.get(15)?,
        asked_again: r.get(16)?,
        asks: r.get(17)?,
        defer_until: r.get(18)?,
        recommends: match r.get::<_, Option<u8>>(19)? {
            Some(crate::checklist::RANK_ACCEPT) => Some(crate::model::Verdict::Accept),
            Some(crate::checklist::RANK_DECLINE) => Some(crate::model::Verdict::Decline),
            _ => None,
        },
    })
}

macro_rules! decision_columns_before_batches {
    () => {
        "d.id, d.request_id, r.person_id, p.name, p.profile_url, d.status, d.reason, d.answers, d.decided_at, \
         d.supersedes, d.undo, d.defer_until"
    };
}

/// Columns of [`DecisionRow`], in the order `row_to_decision` reads them. The size of a row's
/// batch is not counted here (a count per row made a batch of n rows cost n² to list): the
/// readers fill it in through [`BatchSizes`], once per batch.
pub(crate) const DECISION_COLUMNS: &str = concat!(decision_columns_before_batches!(), ", d.batch, NULL");

/// The same columns from a store written before batches (schema 6, read without migrating).
const DECISION_COLUMNS_BEFORE_BATCHES: &str = concat!(decision_columns_before_batches!(), ", NULL, NULL");

/// Whether `table` has `column`: a store opened read-only is not migrated.
pub(crate) fn has_column(conn: &rusqlite::Connection, table: &str, column: &str) -> bool {
    conn.query_row("SELECT count(*) FROM pragma_table_info(?1) WHERE name = ?2", [table, column], |r| {
        r.get::<_, i64>(0)
    })
    .is_ok_and(|n| n > 0)
}

/// The decision columns this store has: a store opened read-only is not migrated.
pub(crate) fn decision_columns(conn: &rusqlite::Connection) -> &'static str {
    let batched = conn
        .query_row("SELECT count(*) FROM pragma_table_info('decision') WHERE name = 'batch'", [], |r| {
            r.get::<_, i64>(0)
        })
        .is_ok_and(|n| n > 0);
    if batched { DECISION_COLUMNS } else { DECISION_COLUMNS_BEFORE_BATCHES }
}

/// The number of decisions of each batch (and of its undo rows, counted apart), counted once
/// per batch and kept while the database is unchanged: listing a batch of n decisions costs n,
/// not n². Any write, by this connection or another, forgets every count.
#[derive(Debug, Default)]
pub(crate) struct BatchSizes {
    /// `PRAGMA data_version` and the connection's total changes when the counts were made.
    version: (i64, u64),
    counts: std::collections::HashMap<(i64, bool), u64>,
}

/// Count queries run so far in this process (for the tests: once per batch listed).
static BATCH_COUNTS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How many batch sizes this process has counted (one query each).
#[doc(hidden)]
pub fn batch_counts() -> u64 {
    BATCH_COUNTS.load(std::sync::atomic::Ordering::Relaxed)
}

impl BatchSizes {
    /// Fills in `batch_size` of every row of a batch. A count that fails (a damaged page) leaves
    /// it unknown.
    pub(crate) fn fill<'r>(
        &mut self,
        conn: &rusqlite::Connection,
        rows: impl IntoIterator<Item = &'r mut DecisionRow>,
    ) -> rusqlite::Result<()> {
        let mut checked = false;
        for row in rows {
            let Some(batch) = row.batch else { continue };
            if !checked {
                let version = (conn.query_row("PRAGMA data_version", [], |r| r.get(0))?, conn.total_changes());
                if version != self.version {
                    (self.version, self.counts) = (version, Default::default());
                }
                checked = true;
            }
            let key = (batch, row.undo);
            let n = match self.counts.get(&key) {
                Some(n) => *n,
                None => {
                    BATCH_COUNTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let n: i64 = conn
                        .prepare_cached("SELECT count(*) FROM decision WHERE batch = ?1 AND undo = ?2")?
                        .query_row(rusqlite::params![batch, row.undo], |r| r.get(0))?;
                    self.counts.insert(key, n as u64);
                    n as u64
                }
            };
            row.batch_size = Some(n);
        }
        Ok(())
    }
}

pub(crate) fn row_to_decision(r: &Row<'_>) -> rusqlite::Result<DecisionRow> {
    let status: String = r.get(5)?;
    let answers: String = r.get(7)?;
    let batch: Option<i64> = r.get(12)?;
    Ok(DecisionRow {
        id: r.get(0)?,
        request_id: r.get(1)?,
        person_id: r.get(2)?,
        name: r.get(3)?,
        profile_url: r.get(4)?,
        decision: Status::parse(&status).unwrap_or(Status::Pending),
        reason: r.get(6)?,
        answers: serde_json::from_str(&answers).unwrap_or_default(),
        decided_at: r.get(8)?,
        supersedes: r.get(9)?,
        undo: r.get(10)?,
        defer_until: r.get(11)?,
        batch,
        batch_size: r.get::<_, Option<i64>>(13)?.filter(|_| batch.is_some()).map(|n| n as u64),
        decided_on: Vec::new(),
    })
}
