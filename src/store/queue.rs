//! What the review session needs beyond the basic pages: the queue of pending requests in
//! three orders (oldest, newest, recommendation), keyset-paginated, narrowed by a query
//! (`query_sql.rs` turns it into SQL, the search index narrowing its words).

use super::query_sql::{NOTE_JOIN, Where, request_conditions};
use super::rows::row_to_request;
use super::{Result, Store, sqlite_err};
use crate::checklist::{RANK_ACCEPT, RANK_DECLINE, RANK_UNDECIDED};
use crate::model::{RequestRow, Status};
use crate::query::Query;
use rusqlite::{OptionalExtension, ToSql};

/// Order of the review queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum QueueOrder {
    #[default]
    Oldest,
    Newest,
    /// Recommended accepts first, then undecided, then recommended declines; oldest first
    /// within each.
    Recommendation,
}

impl QueueOrder {
    pub fn next(self) -> QueueOrder {
        match self {
            QueueOrder::Oldest => QueueOrder::Newest,
            QueueOrder::Newest => QueueOrder::Recommendation,
            QueueOrder::Recommendation => QueueOrder::Oldest,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            QueueOrder::Oldest => "oldest first",
            QueueOrder::Newest => "newest first",
            QueueOrder::Recommendation => "recommendation",
        }
    }
}

/// Where a row sits in the queue, for keyset pagination.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QueueKey {
    pub rank: u8,
    pub sent_at: String,
    pub id: i64,
}

impl QueueKey {
    /// Where a row sits in the queue (`rank`: its recommendation; any for oldest / newest).
    pub fn of(row: &RequestRow, rank: u8) -> QueueKey {
        QueueKey { rank, sent_at: row.sent_at.clone().unwrap_or_default(), id: row.id }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Rows after the key (or from the start), in queue order.
    Forward,
    /// Rows before the key (or up to the end), returned in queue order.
    Backward,
}

impl Store {
    /// Counts the pending requests on a second, read-only connection in a background thread
    /// (a count of a million rows takes ~100 ms: the first frame does not wait for it).
    /// `None` for an in-memory store: count it directly.
    pub fn count_pending_in_background(&self) -> Option<std::sync::mpsc::Receiver<Result<u64>>> {
        if self.path.as_os_str() == ":memory:" {
            return None;
        }
        let path = self.path.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let count = rusqlite::Connection::open_with_flags(
                &path,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .and_then(|c| {
                c.busy_timeout(super::BUSY_TIMEOUT)?;
                c.query_row("SELECT count(*) FROM request WHERE status = 'pending'", [], |r| r.get::<_, i64>(0))
            })
            .map(|n| n as u64)
            .map_err(|e| sqlite_err(&path, e));
            let _ = tx.send(count);
        });
        Some(rx)
    }

    /// Lets the session choose when the WAL is copied back into the database: automatic
    /// checkpoints only past `pages` (a safety net), and [`Store::checkpoint`] when idle, so
    /// that a decision never waits for one.
    pub fn set_autocheckpoint(&self, pages: u32) -> Result<()> {
        self.conn.pragma_update(None, "wal_autocheckpoint", pages).map_err(|e| self.err(e))
    }

    /// A passive checkpoint (never waits for readers or writers).
    pub fn checkpoint(&self) -> Result<()> {
        self.conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())).map_err(|e| self.err(e))
    }

    /// SQLite's count of changes committed by other connections (other vetted processes): when
    /// it moves, what is on screen may be out of date.
    pub fn data_version(&self) -> Result<i64> {
        self.conn.query_row("PRAGMA data_version", [], |r| r.get(0)).map_err(|e| self.err(e))
    }

    /// The rank of a request in the recommendation order.
    pub fn rank(&self, request_id: i64) -> Result<u8> {
        self.rank_sql()
            .and_then(|k| self.conn.prepare_cached(&format!("SELECT {} FROM request r WHERE r.id = ?1", k.expr())))
            .and_then(|mut s| s.query_row([request_id], |r| r.get(0)).optional())
            .map(|r| r.unwrap_or(RANK_UNDECIDED))
            .map_err(|e| self.err(e))
    }

    /// The queue key of a request in `order`.
    pub fn queue_key(&self, row: &RequestRow, order: QueueOrder) -> Result<QueueKey> {
        let rank = if order == QueueOrder::Recommendation { self.rank(row.id)? } else { RANK_UNDECIDED };
        Ok(QueueKey::of(row, rank))
    }

    /// One page of the pending queue, keyset-paginated from `from` in `dir`. Rows come in
    /// queue order whatever the direction; [`Store::queue_page_where`] narrows them.
    pub fn queue_page(
        &self,
        order: QueueOrder,
        from: Option<&QueueKey>,
        dir: Direction,
        limit: usize,
    ) -> Result<Vec<(RequestRow, QueueKey)>> {
        let rows = self.ordered_page(order, None, from, dir, limit).map_err(|e| self.err(e))?;
        Ok(in_queue_order(rows, dir))
    }

    /// One page of the pending requests matching `query` (see [`crate::query`]), in the
    /// queue's `order`, keyset-paginated as [`Store::queue_page`]. A query with a log term
    /// (`is:`, `reason:`, `since:`, `until:`) is refused, naming it.
    pub fn queue_page_where(
        &self,
        order: QueueOrder,
        query: &Query,
        from: Option<&QueueKey>,
        dir: Direction,
        limit: usize,
    ) -> Result<Vec<(RequestRow, QueueKey)>> {
        query.for_requests()?;
        let filter = request_conditions(&self.conn, query).map_err(|e| self.err(e))?;
        let rows = self.ordered_page(order, Some(&filter), from, dir, limit).map_err(|e| self.err(e))?;
        Ok(in_queue_order(rows, dir))
    }

    /// As [`Store::queue_page_where`], but gives up once `budget` has passed (a keystroke must
    /// not wait: a text term scans the requests the search index has not caught up with, a
    /// million of them right after a big import). Returns the page and whether it is complete;
    /// an incomplete page is empty: ask again without a budget for it.
    pub fn queue_page_where_within(
        &self,
        order: QueueOrder,
        query: &Query,
        from: Option<&QueueKey>,
        dir: Direction,
        limit: usize,
        budget: std::time::Duration,
    ) -> Result<(Vec<(RequestRow, QueueKey)>, bool)> {
        if budget.is_zero() {
            return Ok((Vec::new(), false));
        }
        match self.interrupted_after(budget, || self.queue_page_where(order, query, from, dir, limit)) {
            (Ok(rows), _) => Ok((rows, true)),
            // An interrupt can surface as another error (e.g. "vtable constructor failed" when it
            // lands while the statement opens a search index).
            (Err(_), true) => Ok((Vec::new(), false)),
            (Err(e), false) => Err(e),
        }
    }

    /// How many of these requests their answers recommend accepting, and how many declining.
    pub fn recommended_of(&self, ids: &[i64]) -> Result<(u64, u64)> {
        let (mut accept, mut decline) = (0, 0);
        let rank = self.rank_sql().map_err(|e| self.err(e))?.expr();
        for chunk in ids.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(",");
            let sql = format!("SELECT {rank}, count(*) FROM request r WHERE r.id IN ({marks}) GROUP BY 1");
            let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
            let counts = stmt
                .query_map(rusqlite::params_from_iter(chunk), |r| Ok((r.get::<_, u8>(0)?, r.get::<_, i64>(1)? as u64)))
                .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
                .map_err(|e| self.err(e))?;
            for (rank, n) in counts {
                match rank {
                    RANK_ACCEPT => accept += n,
                    RANK_DECLINE => decline += n,
                    _ => {}
                }
            }
        }
        Ok((accept, decline))
    }

    /// How many of these requests are pending and match `query` (the rest of them are outside
    /// a filter: marked before it, or decided since).
    pub fn count_where_among(&self, query: &Query, ids: &[i64]) -> Result<u64> {
        query.for_requests()?;
        let w = request_conditions(&self.conn, query).map_err(|e| self.err(e))?;
        let sql = format!(
            "SELECT count(*) FROM request r JOIN person p ON p.id = r.person_id {NOTE_JOIN} WHERE {} {} \
             AND r.id IN (SELECT value FROM json_each(:among))",
            w.pending(),
            w.sql
        );
        let among = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
        let mut params: Vec<(&str, &dyn ToSql)> = w.params().collect();
        params.push((":among", &among));
        self.conn
            .prepare(&sql)
            .and_then(|mut s| s.query_row(params.as_slice(), |r| r.get::<_, i64>(0)))
            .map(|n| n as u64)
            .map_err(|e| self.err(e))
    }

    /// The import hints of each of these requests (stored keys: `sales_phrasing`, …).
    pub fn hints_of(&self, ids: &[i64]) -> Result<Vec<(i64, Vec<String>)>> {
        self.words_of("hints", ids)
    }

    /// The detectors of each of these requests' findings (`request.evidence`), by id.
    pub fn evidence_of(&self, ids: &[i64]) -> Result<Vec<(i64, Vec<String>)>> {
        self.words_of("evidence", ids)
    }

    /// A comma-separated column of `request` (`column` is one of the two names above, never
    /// user input) as words, for each of these requests, by id.
    fn words_of(&self, column: &'static str, ids: &[i64]) -> Result<Vec<(i64, Vec<String>)>> {
        let among = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
        let sql = format!("SELECT id, {column} FROM request WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id");
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut s| {
                s.query_map([among], |r| {
                    let words: String = r.get(1)?;
                    Ok((r.get(0)?, words.split(',').filter(|w| !w.is_empty()).map(str::to_string).collect()))
                })?
                .collect()
            })
            .map_err(|e| self.err(e))
    }

    /// How many pending requests match `query`.
    pub fn count_where(&self, query: &Query) -> Result<u64> {
        query.for_requests()?;
        let w = request_conditions(&self.conn, query).map_err(|e| self.err(e))?;
        let sql =
            format!("SELECT count(*) FROM {} {} WHERE {} {}", w.request_table(), w.count_joins(), w.pending(), w.sql);
        let params: Vec<(&str, &dyn ToSql)> = w.params().collect();
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut s| s.query_row(params.as_slice(), |r| r.get::<_, i64>(0)))
            .map(|n| n as u64)
            .map_err(|e| self.err(e))
    }

    /// The pending requests matching `query`, in id order, at most `limit`, each with its status
    /// as seen now (what [`Store::decide_batch`] checks again): "mark everything the filter
    /// matches".
    pub fn ids_where(&self, query: &Query, limit: usize) -> Result<Vec<(i64, Status)>> {
        query.for_requests()?;
        let w = request_conditions(&self.conn, query).map_err(|e| self.err(e))?;
        let sql = format!(
            "SELECT r.id, r.status FROM {} JOIN person p ON p.id = r.person_id {NOTE_JOIN} \
             WHERE {} {} ORDER BY r.id LIMIT :limit",
            w.request_table(),
            w.pending(),
            w.sql
        );
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut params: Vec<(&str, &dyn ToSql)> = w.params().collect();
        params.push((":limit", &limit));
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut s| s.query_map(params.as_slice(), |r| Ok((r.get(0)?, r.get::<_, Status>(1)?)))?.collect())
            .map_err(|e| self.err(e))
    }

    /// Pending rows in `order` from `from` in `dir` (rows in walking order), narrowed by `filter`.
    fn ordered_page(
        &self,
        order: QueueOrder,
        filter: Option<&Where>,
        from: Option<&QueueKey>,
        dir: Direction,
        limit: usize,
    ) -> rusqlite::Result<Vec<(QueueKey, RequestRow)>> {
        if order == QueueOrder::Recommendation {
            return self.ranked_page(filter, from, dir, limit);
        }
        let forward = (order == QueueOrder::Oldest) == (dir == Direction::Forward);
        let rows = self.segment(None, forward, from, limit, filter)?;
        Ok(rows.into_iter().map(|r| (QueueKey::of(&r, RANK_UNDECIDED), r)).collect())
    }

    /// Pending rows in (sent_at, id) order, ascending when `asc`, strictly after `from` in
    /// that direction; `rank` narrows to one recommendation segment, `filter` to a query.
    fn segment(
        &self,
        rank: Option<u8>,
        asc: bool,
        from: Option<&QueueKey>,
        limit: usize,
        filter: Option<&Where>,
    ) -> rusqlite::Result<Vec<RequestRow>> {
        let (cmp, ord) = if asc { (">", "ASC") } else { ("<", "DESC") };
        let columns = self.request_columns();
        let (pending, joins) = match filter {
            Some(w) => (w.pending(), NOTE_JOIN),
            None => ("r.status = 'pending'", ""),
        };
        let ranks = self.rank_sql()?;
        // Only rows have the rank: SQLite sorts the segment's every row, so it selects their
        // ids first and the columns (findings as JSON among them) of the page's alone.
        let rows_only = rank.is_some_and(|rank| !ranks.implicit(rank) || ranks.noted_only(rank));
        let columns = if rows_only { "r.id" } else { columns };
        let mut sql = match rank {
            // A rank requests without a row have (undecided; the silent rank): the queue
            // walked in order, each request's rank read.
            // Undecided when the silent rank is another: the requests with a note and the rows.
            Some(rank) if ranks.noted_only(rank) => format!(
                "SELECT {columns} FROM request r JOIN person p ON p.id = r.person_id {joins} \
                 WHERE {pending} AND {}",
                ranks.among_noted(":rank")
            ),
            Some(rank) if ranks.implicit(rank) => format!(
                "SELECT {columns} FROM request r JOIN person p ON p.id = r.person_id {joins} \
                 WHERE {pending} AND {} = :rank",
                ranks.expr()
            ),
            None => format!(
                "SELECT {columns} FROM request r JOIN person p ON p.id = r.person_id {joins} \
                 WHERE {pending}"
            ),
            // Only rows have it. CROSS JOIN keeps the (small) rank table outside: otherwise
            // SQLite may walk the whole pending queue in order, probing for ranked rows.
            Some(_) => format!(
                "SELECT {columns} FROM review_rank k CROSS JOIN request r ON r.id = k.request_id \
                 JOIN person p ON p.id = r.person_id {joins} WHERE {pending} AND k.rank = :rank"
            ),
        };
        if from.is_some() {
            sql.push_str(&format!(" AND (r.sent_at, r.id) {cmp} (:sent, :id)"));
        }
        if let Some(w) = filter {
            sql.push_str(&w.sql);
        }
        sql.push_str(&format!(" ORDER BY r.sent_at {ord}, r.id {ord} LIMIT :limit"));
        if rows_only {
            sql = format!(
                "SELECT {} FROM request r JOIN person p ON p.id = r.person_id WHERE r.id IN ({sql}) \
                 ORDER BY r.sent_at {ord}, r.id {ord}",
                self.request_columns()
            );
        }
        let (sent, id) = from.map_or((String::new(), 0), |k| (k.sent_at.clone(), k.id));
        let (rank_value, limit) = (rank.unwrap_or(RANK_UNDECIDED), limit as i64);
        let mut params: Vec<(&str, &dyn ToSql)> = vec![(":limit", &limit)];
        if from.is_some() {
            params.extend([(":sent", &sent as &dyn ToSql), (":id", &id)]);
        }
        if rank.is_some() {
            params.push((":rank", &rank_value));
        }
        params.extend(filter.into_iter().flat_map(Where::params));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        stmt.query_map(params.as_slice(), row_to_request)?.collect()
    }

    fn ranked_page(
        &self,
        filter: Option<&Where>,
        from: Option<&QueueKey>,
        dir: Direction,
        limit: usize,
    ) -> rusqlite::Result<Vec<(QueueKey, RequestRow)>> {
        let forward = dir == Direction::Forward;
        let ranks: Vec<u8> = match (from, forward) {
            (Some(k), true) => (k.rank..=RANK_DECLINE).collect(),
            (Some(k), false) => (RANK_ACCEPT..=k.rank).rev().collect(),
            (None, true) => vec![RANK_ACCEPT, RANK_UNDECIDED, RANK_DECLINE],
            (None, false) => vec![RANK_DECLINE, RANK_UNDECIDED, RANK_ACCEPT],
        };
        let mut out = Vec::new();
        for rank in ranks {
            let start = from.filter(|k| k.rank == rank);
            let rows = self.segment(Some(rank), forward, start, limit - out.len(), filter)?;
            out.extend(rows.into_iter().map(|r| (QueueKey::of(&r, rank), r)));
            if out.len() >= limit {
                break;
            }
        }
        Ok(out)
    }
}

/// Rows as a page holds them: in queue order whatever the direction walked.
fn in_queue_order(mut rows: Vec<(QueueKey, RequestRow)>, dir: Direction) -> Vec<(RequestRow, QueueKey)> {
    if dir == Direction::Backward {
        rows.reverse();
    }
    rows.into_iter().map(|(k, r)| (r, k)).collect()
}

#[cfg(test)]
#[path = "queue_tests.rs"]
mod tests;
