//! How rows of the request and decision tables are read: the columns each query selects, in
//! the order the row mappers read them.

use crate::model::{DecisionRow, RequestRow, Status, StoredFinding};
use rusqlite::Row;

macro_rules! request_columns_before_rank {
    () => {
        "r.id, r.person_id, p.name, p.profile_url, p.headline, p.company, \
         p.location, r.message, r.sent_at, r.sent_at_raw, r.source, r.status, r.hints, \
         p.mutual_connections, p.shared_groups, p.introduced_by, r.earlier_decline IS NOT NULL, \
         (SELECT count(*) FROM request x WHERE x.person_id = r.person_id), r.defer_until, "
    };
}

/// The rank of request `r` in the recommendation order (`checklist::RANK_*`): its row in
/// `review_rank`; without one, a request without a note has the rank every such request
/// without a row has (`silent_rank` in `evidence_state`, kept by `answers.rs`) and any other
/// is undecided. So the silent 96 % of a backlog need no row of their own.
macro_rules! rank_of_r {
    () => {
        "coalesce((SELECT k.rank FROM review_rank k WHERE k.request_id = r.id), \
         CASE WHEN r.message = '' THEN (SELECT CAST(s.value AS INTEGER) FROM evidence_state s \
         WHERE s.key = 'silent_rank') END, 1)"
    };
}

/// The same from a store written before evidence (no `evidence_state`): a row or undecided.
macro_rules! rank_of_r_before_evidence {
    () => {
        "coalesce((SELECT k.rank FROM review_rank k WHERE k.request_id = r.id), 1)"
    };
}

/// See [`rank_of_r!`]: the rank of request `r` as every reader of the rank computes it.
pub(crate) const RANK_OF_R: &str = rank_of_r!();

/// The `evidence_state` key of a campaign's count of other senders is this prefix and the
/// campaign's key (`findings::write_campaign_count`).
macro_rules! campaign_count_prefix {
    () => {
        "campaign:"
    };
}
pub(super) use campaign_count_prefix;

/// A campaign finding's count of other senders is its campaign's (`findings::write_campaign_count`,
/// one row per campaign), else the one it was written with.
macro_rules! findings_json {
    () => {
        concat!(
            "(SELECT json_group_array(json_object('seq', f.seq, 'detector', f.detector, 'item', f.item, \
             'answer', json(CASE f.answer WHEN 1 THEN 'true' ELSE 'false' END), 'why', f.why, \
             'words', json(f.words), 'fact', CASE f.detector WHEN 'campaign' THEN coalesce((SELECT s.value \
             FROM campaign_key c JOIN evidence_state s ON s.key = '",
            campaign_count_prefix!(),
            "' || c.key WHERE c.request_id = f.request_id), \
             f.fact) ELSE f.fact END)) FROM finding f WHERE f.request_id = r.id)"
        )
    };
}

/// A request query's column of its findings as JSON (`r` is the request), read by
/// `findings::findings_from_json`: one look-up per row, so a page of the queue carries its
/// evidence.
pub(crate) const FINDINGS_JSON: &str = findings_json!();

/// Columns of [`RequestRow`], in the order `row_to_request` reads them.
pub(crate) const REQUEST_COLUMNS: &str = concat!(request_columns_before_rank!(), rank_of_r!(), ", ", findings_json!());

/// The same columns from a store written before evidence (schema 10, read without migrating).
const REQUEST_COLUMNS_BEFORE_EVIDENCE: &str =
    concat!(request_columns_before_rank!(), rank_of_r_before_evidence!(), ", NULL");

/// [`RANK_OF_R`], or its form for a store written before evidence (read without migrating).
pub(crate) fn rank_of_r(columns: &str) -> &'static str {
    if columns == REQUEST_COLUMNS { RANK_OF_R } else { rank_of_r_before_evidence!() }
}

/// The request columns this store has: a store opened read-only is not migrated.
pub(crate) fn request_columns(conn: &rusqlite::Connection) -> &'static str {
    let has_findings = conn
        .query_row("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'finding'", [], |r| {
            r.get::<_, i64>(0)
        })
        .is_ok_and(|n| n > 0);
    if has_findings { REQUEST_COLUMNS } else { REQUEST_COLUMNS_BEFORE_EVIDENCE }
}

/// How many columns [`REQUEST_COLUMNS`] selects: a query may add its own after them.
pub(crate) const REQUEST_COLUMN_COUNT: usize = 21;

pub(crate) fn row_to_request(r: &Row<'_>) -> rusqlite::Result<RequestRow> {
    let sent_at: String = r.get(8)?;
    let status: Status = r.get(11)?;
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
        status,
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
        findings: {
            let message: String = r.get(7)?;
            findings_from_json(r.get::<_, Option<String>>(20)?.as_deref(), &message)
        },
    })
}

macro_rules! decision_columns_before_batches {
    () => {
        "d.id, d.request_id, r.person_id, p.name, p.profile_url, d.status, d.reason, d.answers, d.decided_at, \
         d.supersedes, d.undo, d.defer_until"
    };
}

/// The reason of the decision that brings a deferral back (not a reason the user gave). Here,
/// in a leaf, because the sync journal reads it as well as the log and the writers.
pub(crate) const DEFERRAL_DUE: &str = "deferral due";

/// Columns of [`DecisionRow`], in the order `row_to_decision` reads them. The size of a row's
/// batch is not counted here (a count per row made a batch of n rows cost n² to list): the
/// readers fill it in through [`BatchSizes`], once per batch.
pub(crate) const DECISION_COLUMNS: &str = concat!(decision_columns_before_batches!(), ", d.batch, NULL, d.evidence");

/// How many columns [`DECISION_COLUMNS`] (and its older forms) select: a query may add its own
/// after them.
pub(crate) const DECISION_COLUMN_COUNT: usize = 15;

/// The same columns from a store written before evidence (schema 7 to 10, read without migrating).
const DECISION_COLUMNS_BEFORE_EVIDENCE: &str = concat!(decision_columns_before_batches!(), ", d.batch, NULL, NULL");

/// The same columns from a store written before batches (schema 6, read without migrating).
const DECISION_COLUMNS_BEFORE_BATCHES: &str = concat!(decision_columns_before_batches!(), ", NULL, NULL, NULL");

/// Whether `table` has `column`: a store opened read-only is not migrated.
pub(crate) fn has_column(conn: &rusqlite::Connection, table: &str, column: &str) -> bool {
    conn.query_row("SELECT count(*) FROM pragma_table_info(?1) WHERE name = ?2", [table, column], |r| {
        r.get::<_, i64>(0)
    })
    .is_ok_and(|n| n > 0)
}

/// Whether the store has `table`: a store opened read-only is not migrated.
pub(crate) fn has_table(conn: &rusqlite::Connection, table: &str) -> bool {
    conn.query_row("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1", [table], |r| {
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
    if !batched {
        DECISION_COLUMNS_BEFORE_BATCHES
    } else if has_column(conn, "decision", "evidence") {
        DECISION_COLUMNS
    } else {
        DECISION_COLUMNS_BEFORE_EVIDENCE
    }
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
    let status: Status = r.get(5)?;
    let answers: String = r.get(7)?;
    let batch: Option<i64> = r.get(12)?;
    Ok(DecisionRow {
        id: r.get(0)?,
        request_id: r.get(1)?,
        person_id: r.get(2)?,
        name: r.get(3)?,
        profile_url: r.get(4)?,
        decision: status,
        reason: r.get(6)?,
        answers: serde_json::from_str(&answers).unwrap_or_default(),
        decided_at: r.get(8)?,
        supersedes: r.get(9)?,
        undo: r.get(10)?,
        defer_until: r.get(11)?,
        batch,
        batch_size: r.get::<_, Option<i64>>(13)?.filter(|_| batch.is_some()).map(|n| n as u64),
        decided_on: Vec::new(),
        evidence: r.get::<_, Option<String>>(14)?.and_then(|e| serde_json::from_str(&e).ok()).unwrap_or_default(),
    })
}

/// The stored name of the "no note" detector (`evidence::Detector::NoNote`).
pub(crate) const NO_NOTE: &str = "no_note";

/// The "no note" finding of a request with an empty message.
pub(crate) fn no_note() -> StoredFinding {
    let f = crate::evidence::Finding::new(crate::evidence::Detector::NoNote, Vec::new(), None);
    stored(&f)
}

/// A finding of the detectors as the store keeps it.
pub(crate) fn stored(f: &crate::evidence::Finding) -> StoredFinding {
    StoredFinding {
        detector: f.detector.name().to_string(),
        item: f.item.map(str::to_string),
        answer: f.answer == crate::evidence::Answer::Yes,
        why: f.why(),
        words: f.words.clone(),
        fact: f.fact.clone(),
    }
}

#[derive(serde::Deserialize)]
struct SeqFinding {
    seq: i64,
    #[serde(flatten)]
    finding: StoredFinding,
}

/// A request's findings from the [`FINDINGS_JSON`] column and its message: the stored ones in
/// their order (a campaign's says its count now), and "no note" after the red flags when the
/// message is empty. A column that cannot be read (a damaged row) gives the findings it can.
pub(crate) fn findings_from_json(json: Option<&str>, message: &str) -> Vec<StoredFinding> {
    let mut rows: Vec<SeqFinding> = json.and_then(|j| serde_json::from_str(j).ok()).unwrap_or_default();
    rows.sort_by_key(|r| r.seq);
    let mut findings: Vec<StoredFinding> = rows.into_iter().map(|r| r.finding).collect();
    for f in findings.iter_mut().filter(|f| f.detector == "campaign") {
        if let Some(others) = f.fact.as_deref().and_then(|n| n.parse().ok()) {
            f.why = crate::evidence::Finding::campaign(others).why();
        }
    }
    if message.trim().is_empty() && !findings.iter().any(|f| f.detector == NO_NOTE) {
        let at = findings.iter().take_while(|f| f.detector == "scam").count();
        findings.insert(at, no_note());
    }
    findings
}

/// A status as the store keeps it (its lowercase word). A word no version of vetted writes is
/// an error naming it, never read as pending.
impl rusqlite::types::FromSql for Status {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        let word = value.as_str()?;
        Status::parse(word)
            .ok_or_else(|| rusqlite::types::FromSqlError::Other(format!("not a status: {word:?}").into()))
    }
}

impl rusqlite::ToSql for Status {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(self.as_str().into())
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Status;
    use rusqlite::Connection;

    #[test]
    fn a_status_converts_both_ways_and_an_unknown_word_is_an_error_not_pending() {
        let conn = Connection::open_in_memory().unwrap();
        for status in Status::ALL {
            let back: Status = conn.query_row("SELECT ?1", [status], |r| r.get(0)).unwrap();
            assert_eq!(back, status);
        }
        let err = conn.query_row("SELECT 'archived'", [], |r| r.get::<_, Status>(0)).unwrap_err();
        assert!(err.to_string().contains("not a status: \"archived\""), "{err}");
    }
}
