//! The decision log read page by page ([`LogFilter`], the Log and Declined screens, `vetted
//! log`), with text filters that stay fast with a million decisions.
//!
//! A filtered page first examines the newest decisions directly (at most
//! [`LOG_SCAN_WINDOW`] of them, below the page's keyset bound): a common word fills a page
//! there. When it does not, the rest of the page comes from candidates found through the
//! trigram indexes — `request_fts` (name, headline, message, notes; rowid = request id) and
//! `reason_fts` (decision reasons; rowid = decision id) — plus the rows those indexes have not
//! caught up with yet (above their watermarks, and notes changed since they were indexed).
//! Every candidate is checked again with the exact `LIKE` test, so the indexes only narrow
//! the search: results are the same as a full scan's.

use super::query_sql::{Target, conditions, indexed_text};
use super::rows::{DECISION_COLUMN_COUNT, decision_columns, row_to_decision};
use super::search_index::{FTS_NOTES_AT, Search, reason_watermark, state, watermark};
use super::{Result, Store};
use crate::model::{DecisionRow, Status};
use crate::query::{Query, TermKind};
use rusqlite::ToSql;
use serde::Serialize;

/// Decisions a filtered page examines directly before it turns to the indexes.
pub const LOG_SCAN_WINDOW: i64 = 4_096;

/// Which decisions a log page holds. Dates are RFC 3339 UTC instants; `until` is exclusive.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogFilter {
    pub decision: Option<Status>,
    pub since: Option<String>,
    pub until: Option<String>,
    /// Text looked for (case-insensitively, for ASCII) in name, headline, message, reason and notes.
    pub grep: Option<String>,
    /// Text looked for (as `grep`) in the reason only.
    pub reason: Option<String>,
    pub person: Option<i64>,
    /// Terms of the query language (see [`crate::query`]), AND-ed with the fields above.
    pub query: Query,
}

impl LogFilter {
    /// The filter of a query (the Log's filter prompt, `vetted log --where`).
    pub fn of(query: Query) -> LogFilter {
        LogFilter { query, ..LogFilter::default() }
    }

    /// The one kind of decision the filter allows, if it says so.
    fn decision_kind(&self) -> Option<Status> {
        self.decision.or_else(|| {
            self.query.terms.iter().find_map(|t| match t.kind {
                TermKind::Is(status) if !t.negated => Some(status),
                _ => None,
            })
        })
    }
}

/// Someone whose latest decision is a decline, with the notes about them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeclinedRow {
    #[serde(flatten)]
    pub decision: DecisionRow,
    pub notes: Option<String>,
}

/// Which decisions a page may hold beyond the filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogScope {
    /// Every decision (the Log).
    All,
    /// Only decisions that are a request's latest and a decline (Declined).
    DeclinedNow,
}

fn like(text: &str) -> String {
    Search { text: text.to_string() }.like()
}

impl Store {
    /// One page of the log, newest first; pass the last id seen as `before` for the next page.
    pub fn log_page(&self, before: Option<i64>, limit: usize) -> Result<Vec<DecisionRow>> {
        self.log_filtered(&LogFilter::default(), before, limit)
    }

    /// One page of the log matching `filter`, newest first (keyset on the decision id). Text
    /// filters use the search indexes (see the top of this file).
    pub fn log_filtered(&self, filter: &LogFilter, before: Option<i64>, limit: usize) -> Result<Vec<DecisionRow>> {
        Ok(self.log_search(filter, LogScope::All, before, limit)?.into_iter().map(|r| r.decision).collect())
    }

    /// People whose latest decision is a decline, most recent first (keyset on decision id).
    pub fn declined_page(&self, before: Option<i64>, limit: usize) -> Result<Vec<DeclinedRow>> {
        self.log_search(&LogFilter::default(), LogScope::DeclinedNow, before, limit)
    }

    /// One page of decisions matching `filter` in `scope`, newest first (keyset on the decision
    /// id: pass the last id seen as `before`), each with the person's notes.
    pub fn log_search(
        &self,
        filter: &LogFilter,
        scope: LogScope,
        before: Option<i64>,
        limit: usize,
    ) -> Result<Vec<DeclinedRow>> {
        self.log_search_within(filter, scope, before, limit, None).map(|(rows, _)| rows)
    }

    /// As [`Store::log_search`], but gives up looking through the indexes once `budget` has
    /// passed (a keystroke must not wait): returns the rows found and whether the page is
    /// complete. An incomplete page holds the matches among the newest decisions only; ask
    /// again without a budget for the rest.
    pub fn log_search_within(
        &self,
        filter: &LogFilter,
        scope: LogScope,
        before: Option<i64>,
        limit: usize,
        budget: Option<std::time::Duration>,
    ) -> Result<(Vec<DeclinedRow>, bool)> {
        let start = std::time::Instant::now();
        let Some((text, all_fields)) = narrowing_text(filter) else {
            return Ok((self.log_query(filter, scope, before, None, limit, None)?, true));
        };
        let max_id: i64 = self
            .conn
            .query_row("SELECT coalesce(max(id), 0) FROM decision", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        // No bound (`None`) rather than `max_id + 1`: a decision may have the largest id there is.
        let top = match before {
            Some(before) if before <= max_id => Some(before),
            _ => None,
        };
        let floor = top.unwrap_or(max_id).saturating_sub(LOG_SCAN_WINDOW).max(0);
        let mut rows = self.log_query(filter, scope, top, Some(Narrow::Above(floor)), limit, None)?;
        if rows.len() < limit && floor > 0 {
            let narrow = Narrow::Candidates { text: text.to_string(), all_fields };
            let (more, interrupted) = match budget {
                None => (self.log_query(filter, scope, Some(floor), Some(narrow), limit - rows.len(), None), false),
                Some(budget) => match budget.checked_sub(start.elapsed()) {
                    Some(left) if !left.is_zero() => self.interrupted_after(left, || {
                        self.log_query(filter, scope, Some(floor), Some(narrow), limit - rows.len(), None)
                    }),
                    _ => return Ok((rows, false)),
                },
            };
            match more {
                Ok(more) => rows.extend(more),
                // An interrupt can surface as another error (e.g. "vtable constructor failed"
                // when it lands while the statement opens a search index).
                Err(_) if interrupted => return Ok((rows, false)),
                Err(e) => return Err(e),
            }
        }
        Ok((rows, true))
    }

    /// The decisions just above a row of the log in its order (newest first): the `limit`
    /// decisions matching `filter` in `scope` that are newer than decision `after` (`None`: the
    /// oldest ones), newest first. How `G` reaches the end of the Log and Declined at once.
    pub fn log_search_above(
        &self,
        filter: &LogFilter,
        scope: LogScope,
        after: Option<i64>,
        limit: usize,
    ) -> Result<Vec<DeclinedRow>> {
        // Oldest first: the indexes narrow the whole range (they find every match).
        let narrow = narrowing_text(filter).map(|(text, all_fields)| Narrow::Candidates { text, all_fields });
        let mut rows = self.log_query(filter, scope, None, narrow, limit, Some(after.unwrap_or(0)))?;
        rows.reverse();
        Ok(rows)
    }

    fn log_query(
        &self,
        filter: &LogFilter,
        scope: LogScope,
        before: Option<i64>,
        narrow: Option<Narrow>,
        limit: usize,
        oldest_after: Option<i64>,
    ) -> Result<Vec<DeclinedRow>> {
        let e = |err| self.err(err);
        let grep = filter.grep.as_deref().filter(|g| !g.is_empty()).map(like);
        let reason = filter.reason.as_deref().filter(|g| !g.is_empty()).map(like);
        let (scope_sql, restored_sql) = scope_sql(scope);
        let mut extra_params: Vec<(&str, Box<dyn ToSql>)> = Vec::new();
        let narrow_sql = self.narrow_sql(narrow.as_ref(), scope, filter, &mut extra_params).map_err(e)?;
        let columns = decision_columns(&self.conn);
        let ranks = super::answers::rank_sql(&self.conn).map_err(e)?;
        let terms = conditions(&filter.query, Target::Log { declined_now: scope == LogScope::DeclinedNow }, ranks);
        let terms_sql = &terms.sql;
        let sql = format!(
            "SELECT {columns}, n.body, {restored_sql} FROM decision d JOIN request r ON r.id = d.request_id \
             JOIN person p ON p.id = r.person_id LEFT JOIN note n ON n.person_id = p.id \
             WHERE d.id <= :upto AND (:status IS NULL OR d.status = :status) \
             AND (:since IS NULL OR d.decided_at >= :since) AND (:until IS NULL OR d.decided_at < :until) \
             AND (:person IS NULL OR r.person_id = :person) \
             AND (:grep IS NULL OR p.name LIKE :grep ESCAPE '\\' OR d.reason LIKE :grep ESCAPE '\\' \
                  OR r.message LIKE :grep ESCAPE '\\' OR p.headline LIKE :grep ESCAPE '\\' \
                  OR n.body LIKE :grep ESCAPE '\\') \
             AND (:reason IS NULL OR d.reason LIKE :reason ESCAPE '\\') \
             AND (:after IS NULL OR d.id > :after) \
             {terms_sql} {scope_sql} {narrow_sql} ORDER BY d.id {order} LIMIT :limit",
            order = if oldest_after.is_some() { "ASC" } else { "DESC" }
        );
        let status = filter.decision.map(|s| s.as_str());
        let limit = limit as i64;
        // An inclusive bound: `< before` with no bound as `< i64::MAX` left out a decision with
        // the largest id (a range the planner can use, unlike `:before IS NULL OR …`).
        let upto = before.map_or(i64::MAX, |b| b.saturating_sub(1));
        let mut params: Vec<(&str, &dyn ToSql)> = vec![
            (":upto", &upto),
            (":status", &status),
            (":since", &filter.since),
            (":until", &filter.until),
            (":person", &filter.person),
            (":grep", &grep),
            (":reason", &reason),
            (":limit", &limit),
            (":after", &oldest_after),
        ];
        params.extend(extra_params.iter().map(|(k, v)| (*k, v.as_ref() as &dyn ToSql)));
        params.extend(terms.params());
        let mut rows: Vec<DeclinedRow> = self
            .conn
            .prepare_cached(&sql)
            .and_then(|mut s| {
                s.query_map(params.as_slice(), |r| {
                    let mut decision = row_to_decision(r)?;
                    if let Some(restored) = r.get::<_, Option<String>>(DECISION_COLUMN_COUNT + 1)? {
                        decision.reason = restored;
                    }
                    Ok(DeclinedRow { decision, notes: r.get(DECISION_COLUMN_COUNT)? })
                })?
                .collect()
            })
            .map_err(e)?;
        self.batch_sizes.borrow_mut().fill(&self.conn, rows.iter_mut().map(|r| &mut r.decision)).map_err(e)?;
        super::sync_journal::fill_decided_on(&self.conn, rows.iter_mut().map(|r| &mut r.decision)).map_err(e)?;
        Ok(rows)
    }

    /// The condition that narrows the log to a range of ids or to the candidates the search
    /// indexes give (and the decisions and requests they have not caught up with), with its
    /// parameters pushed onto `params`.
    fn narrow_sql(
        &self,
        narrow: Option<&Narrow>,
        scope: LogScope,
        filter: &LogFilter,
        params: &mut Vec<(&'static str, Box<dyn ToSql>)>,
    ) -> rusqlite::Result<String> {
        Ok(match narrow {
            None => String::new(),
            Some(Narrow::Above(floor)) => {
                params.push((":floor", Box::new(*floor)));
                "AND d.id >= :floor".to_string()
            }
            Some(Narrow::Candidates { text, all_fields }) => {
                let phrase = Search { text: text.clone() }.fts_phrase();
                let dwm = reason_watermark(&self.conn)?;
                // The status of a decision row never changes: the reason index narrows by it
                // too, so candidates of another kind cost nothing.
                let status = match scope {
                    LogScope::DeclinedNow => Some(Status::Declined),
                    LogScope::All => filter.decision_kind(),
                };
                let reason_query = match status {
                    // One trigram per status (acc, dec, def, pen): one short doclist to intersect.
                    Some(st) => format!("reason : {phrase} AND status : \"{}\"", &st.as_str()[..3]),
                    None => format!("reason : {phrase}"),
                };
                params.push((":reason_query", Box::new(reason_query)));
                params.push((":dwm", Box::new(dwm)));
                let reasons = "SELECT rowid FROM reason_fts WHERE reason_fts MATCH :reason_query \
                     UNION ALL SELECT id FROM decision WHERE id > :dwm";
                if *all_fields {
                    let rwm = watermark(&self.conn)?;
                    let notes_at = state(&self.conn, FTS_NOTES_AT)?.unwrap_or_default();
                    params.push((":phrase", Box::new(phrase)));
                    params.push((":rwm", Box::new(rwm)));
                    params.push((":notes_at", Box::new(notes_at)));
                    format!(
                        "AND d.id IN (SELECT d2.id FROM request_fts f JOIN decision d2 ON d2.request_id = f.rowid \
                           WHERE request_fts MATCH :phrase \
                         UNION ALL {reasons} \
                         UNION ALL SELECT id FROM decision WHERE request_id > :rwm \
                         UNION ALL SELECT id FROM decision WHERE request_id IN (SELECT id FROM request \
                           WHERE person_id IN (SELECT person_id FROM note WHERE updated_at > :notes_at)))"
                    )
                } else {
                    format!("AND d.id IN ({reasons})")
                }
            }
        })
    }
}

/// The scope's condition, and the reason shown for an undone reconsider (on Declined it shows
/// the reason of the decline it restored).
fn scope_sql(scope: LogScope) -> (&'static str, &'static str) {
    match scope {
        LogScope::All => ("", "NULL"),
        // The latest word about the person (over all their requests) is a decline: one row
        // each, however often they asked.
        LogScope::DeclinedNow => (
            "AND d.status = 'declined' AND d.id = (SELECT max(x.id) FROM request rx \
               JOIN decision x ON x.request_id = rx.id WHERE rx.person_id = r.person_id)",
            "CASE WHEN d.undo THEN (SELECT y.reason FROM decision y \
               WHERE y.id = (SELECT z.supersedes FROM decision z WHERE z.id = d.supersedes)) END",
        ),
    }
}

/// The text the indexes can narrow a filter by (trigrams need three characters), and whether
/// it is looked for in every field (else the reason only).
fn narrowing_text(filter: &LogFilter) -> Option<(String, bool)> {
    let grep = filter.grep.as_deref().filter(|g| !g.is_empty());
    let reason = filter.reason.as_deref().filter(|g| !g.is_empty());
    [grep.map(|g| (g, true)), reason.map(|r| (r, false))]
        .into_iter()
        .flatten()
        .find(|(t, _)| t.chars().count() >= 3)
        .or_else(|| indexed_text(&filter.query, true))
        .map(|(t, all)| (t.to_string(), all))
}

enum Narrow {
    /// Only decisions at or above this id (the directly examined window).
    Above(i64),
    /// Only candidates found through the indexes (and what they have not caught up with).
    Candidates { text: String, all_fields: bool },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Answers, NewRequest, Status, Verdict};

    /// `rows` requests with one declined decision each (ids equal), all plain text.
    fn big_store(rows: i64) -> Store {
        let mut store = Store::in_memory().unwrap();
        let tx = store.write().unwrap();
        for i in 1..=rows {
            tx.execute(
                "INSERT INTO person (id, key, name) VALUES (?1, ?2, ?3)",
                rusqlite::params![i, format!("k{i}"), format!("Person {i}")],
            )
            .unwrap();
            tx.execute(
                "INSERT INTO request (id, person_id, source, sent_at, message, status, added_at) \
                 VALUES (?1, ?1, 'manual', '', ?2, 'declined', '')",
                rusqlite::params![i, if i == 20 || i == 4500 { "a NeEdLe here" } else { "hello" }],
            )
            .unwrap();
            tx.execute(
                "INSERT INTO decision (id, request_id, status, reason, decided_at) VALUES (?1, ?1, 'declined', ?2, ?3)",
                rusqlite::params![
                    i,
                    if i == 10 || i == 4000 { "the needle reason" } else { "spam 5% off" },
                    format!("2026-01-01T00:00:{:02}Z", i % 60)
                ],
            )
            .unwrap();
        }
        tx.commit().unwrap();
        store
    }

    fn ids(rows: &[DeclinedRow]) -> Vec<i64> {
        rows.iter().map(|r| r.decision.id).collect()
    }

    #[test]
    fn text_filters_find_indexed_unindexed_and_window_rows_like_a_full_scan() {
        let mut store = big_store(10_000);
        // Index the first 3,000 requests and reasons; the rest is the tail the index has not
        // reached (4000 and 4500 are there, below the directly examined window).
        store.search_index_step(3_000).unwrap();
        assert!(store.search_index_backlog().unwrap() > 0);
        // Changed after the index caught up (its time is the store's clock, set for the test).
        let later = "2999-01-01T00:00:00Z".parse().unwrap();
        crate::clock::frozen_at(later, || store.set_note(30, "Met them: NEEDLE in a haystack")).unwrap();
        let grep = |g: &str| LogFilter { grep: Some(g.into()), ..LogFilter::default() };
        let all = store.log_search(&grep("needle"), LogScope::All, None, 100).unwrap();
        assert_eq!(ids(&all), [4500, 4000, 30, 20, 10], "message, reason, notes; indexed or not");
        // Within a time budget: what the newest decisions hold, and a flag that more may match.
        let zero = Some(std::time::Duration::ZERO);
        let (rows, complete) = store.log_search_within(&grep("needle"), LogScope::All, None, 100, zero).unwrap();
        assert!(rows.is_empty() && !complete, "the needles are all below the directly examined window");
        let (rows, complete) = store.log_search_within(&grep("Person 99"), LogScope::All, None, 5, zero).unwrap();
        assert!(rows.len() == 5 && complete, "a full page from the window is complete");
        // Keyset pages give the same rows.
        let p1 = store.log_search(&grep("NEEDLE"), LogScope::All, None, 2).unwrap();
        let p2 = store.log_search(&grep("NEEDLE"), LogScope::All, Some(4000), 2).unwrap();
        let p3 = store.log_search(&grep("NEEDLE"), LogScope::All, Some(20), 2).unwrap();
        assert_eq!((ids(&p1), ids(&p2), ids(&p3)), (vec![4500, 4000], vec![30, 20], vec![10]));
        // Reason only.
        let reason = LogFilter { reason: Some("needle".into()), ..LogFilter::default() };
        assert_eq!(ids(&store.log_search(&reason, LogScope::All, None, 100).unwrap()), [4000, 10]);
        // Fully indexed: the same answers.
        while store.search_index_step(100_000).unwrap() {}
        assert_eq!(
            ids(&store.log_search(&grep("needle"), LogScope::All, None, 100).unwrap()),
            [4500, 4000, 30, 20, 10]
        );
        // `%` is literal, short texts scan.
        assert_eq!(store.log_search(&grep("5%"), LogScope::All, None, 3).unwrap().len(), 3);
        assert!(store.log_search(&grep("6%"), LogScope::All, None, 3).unwrap().is_empty());
        assert!(store.log_search(&grep("no such words"), LogScope::All, None, 3).unwrap().is_empty());
        // A newer decision takes a request out of Declined; the old one stays in the Log.
        store.decide(20, Verdict::Accept, "changed my mind", &Answers::new()).unwrap();
        assert_eq!(
            ids(&store.log_search(&grep("needle"), LogScope::DeclinedNow, None, 100).unwrap()),
            [4500, 4000, 30, 10]
        );
        assert_eq!(store.log_search(&grep("needle"), LogScope::All, None, 100).unwrap().len(), 6);
        // The kind of decision narrows the reason index too (the needles are far below the
        // directly examined window).
        while store.search_index_step(100_000).unwrap() {}
        let kind = |decision| LogFilter { reason: Some("needle reason".into()), decision, ..LogFilter::default() };
        assert_eq!(ids(&store.log_search(&kind(Some(Status::Declined)), LogScope::All, None, 9).unwrap()), [4000, 10]);
        assert!(store.log_search(&kind(Some(Status::Accepted)), LogScope::All, None, 9).unwrap().is_empty());
        let accepted =
            LogFilter { grep: Some("changed my".into()), decision: Some(Status::Accepted), ..LogFilter::default() };
        assert_eq!(store.log_search(&accepted, LogScope::All, None, 9).unwrap().len(), 1);
    }

    #[test]
    fn the_end_of_the_log_is_read_from_there_indexed_or_not() {
        let mut store = big_store(6_000);
        store.search_index_step(3_000).unwrap(); // 4000 and 4500 are in the tail not indexed yet
        let grep = LogFilter { grep: Some("needle".into()), ..LogFilter::default() };
        let above = |after, limit| ids(&store.log_search_above(&grep, LogScope::All, after, limit).unwrap());
        assert_eq!(above(None, 2), [20, 10], "the oldest matches, newest first");
        assert_eq!(above(Some(20), 2), [4500, 4000], "then those just above, unindexed too");
        assert_eq!(above(Some(4500), 2), Vec::<i64>::new());
        let all = LogFilter::default();
        assert_eq!(ids(&store.log_search_above(&all, LogScope::All, None, 3).unwrap()), [3, 2, 1]);
        assert_eq!(ids(&store.log_search_above(&all, LogScope::All, Some(5_998), 9).unwrap()), [6_000, 5_999]);
    }

    #[test]
    fn the_budget_interrupts_only_its_own_statement() {
        let store = Store::in_memory().unwrap();
        let slow = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n";
        let started = std::time::Instant::now();
        let (result, fired) = store.interrupted_after(std::time::Duration::from_millis(20), || {
            store.conn.query_row(slow, [], |r| r.get::<_, i64>(0))
        });
        assert!(fired);
        assert_eq!(result.unwrap_err().sqlite_error_code(), Some(rusqlite::ErrorCode::OperationInterrupted));
        println!("interrupted after {:?}", started.elapsed()); // `fired` says it was the budget
        let (fast, _) = store.interrupted_after(std::time::Duration::from_millis(20), || {
            store.conn.query_row("SELECT 41 + 1", [], |r| r.get::<_, i64>(0))
        });
        assert_eq!(fast.unwrap(), 42);
        std::thread::sleep(std::time::Duration::from_millis(40));
        let later: i64 = store.conn.query_row("SELECT count(*) FROM decision", [], |r| r.get(0)).unwrap();
        assert_eq!(later, 0, "a later statement is never interrupted");
    }

    #[test]
    fn reopening_a_decline_appends_a_pending_decision() {
        let mut store = Store::in_memory().unwrap();
        let (req, _) = store
            .add_request(&NewRequest { name: "Cy".into(), source: "manual".into(), ..Default::default() })
            .unwrap();
        let answers: Answers = [("selling".to_string(), true)].into();
        let d1 = store.decide(req, Verdict::Decline, "selling", &answers).unwrap();
        assert!(matches!(store.reopen(req, Status::Accepted, "x"), Err(crate::store::StoreError::Stale { .. })));
        let d2 = store.reopen(req, Status::Declined, "  ask them first ").unwrap();
        assert_eq!(store.request(req).unwrap().status, Status::Pending);
        let log = store.log_page(None, 10).unwrap();
        assert_eq!(ids_of(&log), [d2, d1]);
        assert_eq!((log[0].supersedes, log[0].reason.as_str()), (Some(d1), "ask them first"));
        assert_eq!(log[0].answers, answers, "the checklist as it was");
        assert!(!log[0].undo);
        assert!(matches!(store.reopen(999, Status::Declined, "x"), Err(crate::store::StoreError::NoSuchRequest(999))));
    }

    fn ids_of(rows: &[crate::model::DecisionRow]) -> Vec<i64> {
        rows.iter().map(|r| r.id).collect()
    }
}
