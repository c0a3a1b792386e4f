//! What is left to do on LinkedIn: vetted never touches LinkedIn, so decisions on requests
//! that came from there must be carried out by hand (accept, or ignore), then marked done.

use super::rows::{REQUEST_COLUMN_COUNT, row_to_request};
use super::{Result, Store, StoreError};
use crate::clock::now_stored;
use crate::model::RequestRow;
use rusqlite::params;
use serde::Serialize;

/// A decision still to carry out on LinkedIn: one per person, the newest request's. An older
/// request of someone who asked again is no longer on LinkedIn (the newer invitation is),
/// whatever became of the newer one: decided, carried out, or not yet decided.
pub(super) const TODO: &str = "r.source = 'linkedin' AND r.done_on_linkedin IS NULL \
     AND (r.status = 'accepted' OR r.status = 'declined') \
     AND NOT EXISTS (SELECT 1 FROM request n WHERE n.person_id = r.person_id AND n.source = 'linkedin' \
       AND (n.sent_at, n.id) > (r.sent_at, r.id))";

/// A decision still to carry out on LinkedIn.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TodoRow {
    #[serde(flatten)]
    pub request: RequestRow,
    /// "accept" or "ignore", LinkedIn's own words.
    pub action: &'static str,
    /// An ignore older than everything a newer whole export held: LinkedIn no longer lists it
    /// (probably ignored already). The day of that export's newest invitation.
    pub not_listed: Option<String>,
}

impl TodoRow {
    /// Its place in the list: the accepts first, then the ignores, each by request id.
    pub fn key(&self) -> i64 {
        i64::from(self.action != "accept") * TODO_GROUP + self.request.id
    }
}

/// Keys of the second group (ignore) start here.
const TODO_GROUP: i64 = 1 << 48;

impl Store {
    /// One page of the to-do list, grouped by what to do (accept, then ignore), each group by
    /// request id; pass the last row's [`TodoRow::key`] as `after` for the next page.
    pub fn linkedin_todo_page(&self, after: Option<i64>, limit: usize) -> Result<Vec<TodoRow>> {
        self.linkedin_todo_page_of(after, limit, false)
    }

    /// As [`Store::linkedin_todo_page`]; `accepts_only`: without the ignores (ignoring on
    /// LinkedIn is optional: the sender is never told).
    pub fn linkedin_todo_page_of(&self, after: Option<i64>, limit: usize, accepts_only: bool) -> Result<Vec<TodoRow>> {
        let after = after.unwrap_or(0);
        let (group, from) = (after / TODO_GROUP, after % TODO_GROUP);
        let mut rows = Vec::new();
        // Each group a range of the (status, id) index: a page costs its rows, at any size.
        for (g, status, action) in [(0, "accepted", "accept"), (1, "declined", "ignore")] {
            if g < group || rows.len() >= limit || (accepts_only && g == 1) {
                continue;
            }
            let start = if g == group { from } else { 0 };
            rows.extend(self.todo_range(status, action, start, true, limit - rows.len())?);
        }
        Ok(rows)
    }

    /// The `limit` items just above the one of key `before` in the to-do list's order (`None`:
    /// the end of the list), in that order: how `G` reaches the end at once.
    pub fn linkedin_todo_page_above(&self, before: Option<i64>, limit: usize) -> Result<Vec<TodoRow>> {
        self.linkedin_todo_page_above_of(before, limit, false)
    }

    /// As [`Store::linkedin_todo_page_above`]; `accepts_only`: without the ignores.
    pub fn linkedin_todo_page_above_of(
        &self,
        before: Option<i64>,
        limit: usize,
        accepts_only: bool,
    ) -> Result<Vec<TodoRow>> {
        let (group, upto) = match before {
            Some(k) => (k / TODO_GROUP, k % TODO_GROUP),
            None => (2, 0),
        };
        let mut rows: Vec<TodoRow> = Vec::new();
        for (g, status, action) in [(1, "declined", "ignore"), (0, "accepted", "accept")] {
            if g > group || rows.len() >= limit || (accepts_only && g == 1) {
                continue;
            }
            let upto = if g == group { upto } else { i64::MAX };
            rows.extend(self.todo_range(status, action, upto, false, limit - rows.len())?);
        }
        rows.reverse();
        Ok(rows)
    }

    /// Up to `limit` rows of one group (requests of `status`, to `action` on LinkedIn), a
    /// range of the (status, id) index: ids after `bound` in order (`forward`), or before it
    /// from the nearest.
    fn todo_range(
        &self,
        status: &str,
        action: &'static str,
        bound: i64,
        forward: bool,
        limit: usize,
    ) -> Result<Vec<TodoRow>> {
        let not_listed =
            if super::rows::has_column(&self.conn, "request", "not_listed") { "r.not_listed" } else { "NULL" };
        let columns = self.request_columns();
        let (past, order) = if forward { (">", "") } else { ("<", " DESC") };
        self.conn
            .prepare_cached(&format!(
                "SELECT {columns}, {not_listed} FROM request r INDEXED BY request_linkedin_todo \
                 JOIN person p ON p.id = r.person_id WHERE {TODO} AND r.status = ?3 AND r.id {past} ?1 \
                 ORDER BY r.id{order} LIMIT ?2"
            ))
            .and_then(|mut s| {
                s.query_map(params![bound, limit as i64, status], |r| {
                    Ok(TodoRow { request: row_to_request(r)?, action, not_listed: r.get(REQUEST_COLUMN_COUNT)? })
                })?
                .collect()
            })
            .map_err(|e| self.err(e))
    }

    /// Records that the decision on `request_id` was carried out on LinkedIn; returns when.
    pub fn mark_done_on_linkedin(&mut self, request_id: i64) -> Result<String> {
        self.mark_many_done_on_linkedin(&[request_id])
    }

    /// Records that the decisions on all of `request_ids` were carried out on LinkedIn, in one
    /// transaction: refused, with nothing marked, when one of them has nothing to do (naming
    /// it). Returns when.
    pub fn mark_many_done_on_linkedin(&mut self, request_ids: &[i64]) -> Result<String> {
        for &id in request_ids {
            self.request(id)?;
        }
        let at = now_stored();
        self.transact(|tx| {
            for &request_id in request_ids {
                let changed = tx
                    .sql()
                    .prepare_cached(&format!(
                        "UPDATE request AS r SET done_on_linkedin = ?2 WHERE r.id = ?1 AND {TODO}"
                    ))
                    .and_then(|mut s| s.execute(params![request_id, at]))
                    .map_err(|e| tx.err(e))?;
                if changed == 0 {
                    return Err(StoreError::NotToDo(request_id));
                }
                super::sync_record::record_todo(tx.sql(), request_id, true).map_err(|e| tx.err(e))?;
            }
            Ok(())
        })?;
        Ok(at)
    }

    /// Takes back a mark-done made `at` (an undo): the item is on the To do list again. One
    /// marked done again since, or closed by an import, is left as it is.
    pub fn unmark_done_on_linkedin(&mut self, request_id: i64, at: &str) -> Result<()> {
        self.unmark_many_done_on_linkedin(&[request_id], at)
    }

    /// Takes back marks done together (at `at`), in one transaction: all, or none when one of
    /// them changed since.
    pub fn unmark_many_done_on_linkedin(&mut self, request_ids: &[i64], at: &str) -> Result<()> {
        self.transact(|tx| {
            for &request_id in request_ids {
                let changed = tx
                    .sql()
                    .prepare_cached(
                        "UPDATE request SET done_on_linkedin = NULL WHERE id = ?1 AND done_on_linkedin = ?2",
                    )
                    .and_then(|mut s| s.execute(params![request_id, at]))
                    .map_err(|e| tx.err(e))?;
                if changed == 0 {
                    return Err(StoreError::NothingToUndo); // rolled back with the transaction: nothing changed
                }
                super::sync_record::record_todo(tx.sql(), request_id, false).map_err(|e| tx.err(e))?;
            }
            Ok(())
        })
    }
}

/// Another device marked a To do item done (or not done again): kept as this store's mark.
pub(super) fn set_done(tx: &rusqlite::Connection, request_id: i64, done: bool) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "UPDATE request SET done_on_linkedin = CASE WHEN ?2 THEN coalesce(done_on_linkedin, ?3) END WHERE id = ?1",
    )?
    .execute(params![request_id, done, now_stored()])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Answers, NewRequest, Verdict};

    #[test]
    fn decided_linkedin_requests_wait_until_marked_done() {
        let mut store = Store::in_memory().unwrap();
        let mut add = |name: &str, source: &str| {
            store
                .add_request(&NewRequest {
                    name: name.into(),
                    source: source.into(),
                    sent_at_raw: Some(name.into()),
                    ..Default::default()
                })
                .unwrap()
                .0
        };
        let (a, b, c, d) = (add("A", "linkedin"), add("B", "linkedin"), add("C", "linkedin"), add("D", "manual"));
        let (e, f) = (add("E", "linkedin"), add("F", "linkedin"));
        store.decide(a, Verdict::Accept, "", &Answers::new()).unwrap();
        store.decide(b, Verdict::Decline, "spam", &Answers::new()).unwrap();
        store.decide(c, Verdict::Defer, "", &Answers::new()).unwrap();
        store.decide(d, Verdict::Accept, "", &Answers::new()).unwrap();
        let todo = store.linkedin_todo_page(None, 10).unwrap();
        assert_eq!(
            todo.iter().map(|t| (t.request.name.as_str(), t.action)).collect::<Vec<_>>(),
            [("A", "accept"), ("B", "ignore")]
        );
        store.mark_done_on_linkedin(a).unwrap();
        assert!(matches!(store.mark_done_on_linkedin(a), Err(StoreError::NotToDo(_))));
        assert!(matches!(store.mark_done_on_linkedin(c), Err(StoreError::NotToDo(_))), "deferred: nothing to do yet");
        let left = store.linkedin_todo_page(None, 10).unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(store.linkedin_todo_page(Some(left[0].key()), 10).unwrap().len(), 0, "keyset");
        // Grouped by what to do: the accepts first, whatever their ids.
        store.decide(e, Verdict::Decline, "spam", &Answers::new()).unwrap();
        store.decide(f, Verdict::Accept, "", &Answers::new()).unwrap();
        let names = |after| -> Vec<String> {
            store.linkedin_todo_page(after, 10).unwrap().into_iter().map(|t| t.request.name).collect()
        };
        assert_eq!(names(None), ["F", "B", "E"]);
        let first = store.linkedin_todo_page(None, 1).unwrap()[0].key();
        assert_eq!(names(Some(first)), ["B", "E"], "the next page goes on into the second group");
    }

    #[test]
    fn one_person_one_action_the_newest_requests() {
        let mut store = Store::in_memory().unwrap();
        let mut add = |sent: &str| {
            store
                .add_request(&NewRequest {
                    name: "Marco Vargas".into(),
                    profile_url: Some("https://www.linkedin.com/in/marco-vargas".into()),
                    source: "linkedin".into(),
                    sent_at_raw: Some(sent.into()),
                    sent_at: Some(format!("{sent}T09:00:00Z")),
                    ..Default::default()
                })
                .unwrap()
                .0
        };
        let (old, new) = (add("2026-10-01"), add("2026-11-20"));
        store.decide(old, Verdict::Decline, "selling", &Answers::new()).unwrap();
        store.decide(new, Verdict::Accept, "", &Answers::new()).unwrap();
        let todo = store.linkedin_todo_page(None, 10).unwrap();
        assert_eq!(todo.iter().map(|t| (t.request.id, t.action)).collect::<Vec<_>>(), [(new, "accept")]);
        assert!(matches!(store.mark_done_on_linkedin(old), Err(StoreError::NotToDo(_))), "not on the list");
        // Once the accept is carried out, the older ignore does not come back.
        store.mark_done_on_linkedin(new).unwrap();
        assert!(store.linkedin_todo_page(None, 10).unwrap().is_empty());
    }
}
