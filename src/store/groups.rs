//! The pending queue in groups (by hint, by identical message, by recommendation, by month
//! sent), each with a query-language string that selects exactly that group.

use super::query_sql::has_hint;
use super::{Result, Store};
use crate::hint;
use crate::query::Rec;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;

/// How the queue is grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupBy {
    Hint,
    /// Identical (non-empty) messages sent by several people: the top templates.
    Message,
    /// Notes of one campaign (the same words once greetings, names and numbers are out, across
    /// every import), sent by several people: the top campaigns, each labelled by the words
    /// that tell it from the others.
    Campaign,
    Recommendation,
    /// The local month the request was sent in.
    MonthSent,
}

/// One group of pending requests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    /// What the group is. For `Message`, the first words of the message: untrusted text, to be
    /// shown through `crate::text`.
    pub label: String,
    /// A query (see [`crate::query`]) that selects exactly this group.
    pub query: String,
    pub count: u64,
}

/// How many templates `GroupBy::Message` gives.
pub const TOP_TEMPLATES: usize = 10;
/// Words of a template's message its label shows.
const LABEL_WORDS: usize = 8;
/// Words of a campaign's label: what tells it from the others (the view cuts it to its width).
const CAMPAIGN_LABEL_WORDS: usize = 12;

/// How many pending requests have hint `key`.
fn hint_count_sql(key: &str) -> String {
    format!("SELECT count(*) FROM request r WHERE r.status = 'pending' AND {}", has_hint(key))
}

impl Store {
    /// The pending requests in groups, biggest first (by month: oldest first); empty groups are
    /// left out. Months are local months in `zone`, as `sent:` reads them.
    pub fn groups(&self, by: GroupBy, zone: &TimeZone) -> Result<Vec<Group>> {
        match by {
            GroupBy::Hint => self.hint_groups(),
            GroupBy::Message => self.template_groups(),
            GroupBy::Campaign => self.campaign_groups(),
            GroupBy::Recommendation => self.rec_groups(),
            GroupBy::MonthSent => self.month_groups(zone),
        }
        .map_err(|e| self.err(e))
    }

    /// Each hint counted through its partial index (migration 8): the pending requests that
    /// have it, never the whole queue.
    fn hint_groups(&self) -> rusqlite::Result<Vec<Group>> {
        let mut groups = Vec::new();
        for h in hint::ALL {
            let sql = hint_count_sql(h.key);
            let count: i64 = self.conn.prepare_cached(&sql)?.query_row([], |r| r.get(0))?;
            if count > 0 {
                groups.push(Group {
                    label: h.label.to_string(),
                    query: format!("hint:{}", h.name),
                    count: count as u64,
                });
            }
        }
        groups.sort_by_key(|g| std::cmp::Reverse(g.count));
        Ok(groups)
    }

    fn template_groups(&self) -> rusqlite::Result<Vec<Group>> {
        self.conn
            .prepare_cached(
                "SELECT message, count(*), min(id) FROM request WHERE status = 'pending' AND message <> '' \
                 GROUP BY message HAVING count(*) > 1 ORDER BY 2 DESC, 3 LIMIT ?1",
            )?
            .query_map([TOP_TEMPLATES as i64], |r| {
                let message: String = r.get(0)?;
                let words: Vec<&str> = message.split_whitespace().collect();
                let mut label = words.iter().take(LABEL_WORDS).copied().collect::<Vec<_>>().join(" ");
                if words.len() > LABEL_WORDS {
                    label.push('…');
                }
                Ok(Group {
                    label,
                    query: format!("message-of:{}", r.get::<_, i64>(2)?),
                    count: r.get::<_, i64>(1)? as u64,
                })
            })?
            .collect()
    }

    fn campaign_groups(&self) -> rusqlite::Result<Vec<Group>> {
        let rows: Vec<(String, u64, i64)> = self
            .conn
            .prepare_cached(
                "SELECT c.key, count(*), min(r.id) FROM request r JOIN campaign_key c ON c.request_id = r.id \
                 WHERE r.status = 'pending' GROUP BY c.key HAVING count(*) > 1 ORDER BY 2 DESC, 3 LIMIT ?1",
            )?
            .query_map([TOP_TEMPLATES as i64], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let keys: Vec<&str> = rows.iter().map(|(key, _, _)| key.as_str()).collect();
        let labels = distinguishing_words(&keys, CAMPAIGN_LABEL_WORDS);
        Ok(rows
            .iter()
            .zip(labels)
            .map(|((_, count, id), label)| Group { label, query: format!("campaign-of:{id}"), count: *count })
            .collect())
    }

    fn rec_groups(&self) -> rusqlite::Result<Vec<Group>> {
        let rank = self.rank_sql()?.expr();
        let counts: Vec<(i64, u64)> = self
            .conn
            // The table in its own order: each request's rank is read whole (its message for
            // one without a row), at random through the queue index.
            .prepare_cached(&format!(
                "SELECT {rank}, count(*) FROM request r NOT INDEXED WHERE r.status = 'pending' GROUP BY 1"
            ))?
            .query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Rec::ALL
            .into_iter()
            .filter_map(|rec| {
                let count = counts.iter().find(|(rank, _)| *rank == i64::from(rec.rank()))?.1;
                let label = match rec {
                    Rec::Undecided => "no recommendation yet".to_string(),
                    _ => format!("recommended: {}", rec.name()),
                };
                Some(Group { label, query: format!("rec:{}", rec.name()), count })
            })
            .collect())
    }

    fn month_groups(&self, zone: &TimeZone) -> rusqlite::Result<Vec<Group>> {
        let (first, last): (Option<String>, Option<String>) = self.conn.query_row(
            "SELECT (SELECT min(sent_at) FROM request WHERE status = 'pending' AND sent_at <> ''), \
                    (SELECT max(sent_at) FROM request WHERE status = 'pending')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let month_of = |stored: &str| -> Option<Date> {
            let day: Date = crate::clock::local_day(stored, zone).parse().ok()?;
            day.first_of_month().into()
        };
        let (Some(mut month), Some(last)) = (first.as_deref().and_then(month_of), last.as_deref().and_then(month_of))
        else {
            return Ok(Vec::new());
        };
        let mut groups = Vec::new();
        let mut count = self.conn.prepare_cached(
            "SELECT count(*) FROM request WHERE status = 'pending' AND sent_at >= ?1 AND sent_at < ?2",
        )?;
        while month <= last {
            let Ok(next) = month.checked_add(jiff::Span::new().months(1)) else { break };
            let bounds = crate::clock::day_start(month, zone).zip(crate::clock::day_start(next, zone));
            if let Some((from, until)) = bounds {
                let n: i64 = count.query_row([from, until], |r| r.get(0))?;
                let label = month.strftime("%Y-%m").to_string();
                if n > 0 {
                    groups.push(Group { query: format!("sent:{label}"), label, count: n as u64 });
                }
            }
            month = next;
        }
        Ok(groups)
    }
}

/// For each text, `n` of its words that tell it from the others: from just before its first
/// word that none of the others has (`… help agencies hire offshore developers at`), or its
/// first words when every word of it is found elsewhere. Campaigns of one kind often open
/// alike ("hi, i hope this finds you well, i help…"): their first words would all read the same.
fn distinguishing_words(texts: &[&str], n: usize) -> Vec<String> {
    use std::collections::HashSet;
    let words: Vec<Vec<&str>> = texts.iter().map(|t| t.split_whitespace().collect()).collect();
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let others: HashSet<&str> =
                words.iter().enumerate().filter(|(j, _)| *j != i).flat_map(|(_, o)| o.iter().copied()).collect();
            // One word before it, for context.
            let from = w.iter().position(|word| !others.contains(word)).unwrap_or(0).saturating_sub(1);
            let mut label = w.iter().skip(from).take(n).copied().collect::<Vec<_>>().join(" ");
            if from > 0 {
                label.insert_str(0, "… ");
            }
            if from + n < w.len() {
                label.push_str(" …");
            }
            label
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_hint_is_counted_through_its_partial_index() {
        let store = Store::in_memory().unwrap();
        for h in hint::ALL {
            let plan = store.query_plan(&hint_count_sql(h.key), []);
            let index = format!("INDEX request_hint_{} ", h.key);
            assert!(plan.iter().any(|p| p.contains(&index)), "{}: {plan:?}", h.key);
        }
    }

    #[test]
    fn hint_groups_count_the_pending_requests_with_each_hint() {
        let store = Store::in_memory().unwrap();
        store
            .conn
            .execute_batch(
                "INSERT INTO person (id, key, name) VALUES (1, 'a', 'Ada Quill'), (2, 'b', 'Bo Reed'), (3, 'c', 'Cy Lark');
                 INSERT INTO request (id, person_id, source, hints, status, added_at) VALUES
                   (1, 1, 'linkedin', 'no_message', 'pending', 'x'),
                   (2, 2, 'linkedin', 'sales_phrasing,duplicate_message', 'pending', 'x'),
                   (3, 3, 'linkedin', 'duplicate_message', 'pending', 'x'),
                   (4, 3, 'linkedin', 'no_message', 'declined', 'x');",
            )
            .unwrap();
        let groups = store.groups(GroupBy::Hint, &TimeZone::UTC).unwrap();
        let counts: Vec<(&str, u64)> = groups.iter().map(|g| (g.query.as_str(), g.count)).collect();
        assert_eq!(counts, [("hint:same-message", 2), ("hint:no-message", 1), ("hint:sales", 1)]);
    }

    #[test]
    fn campaigns_that_open_alike_are_told_apart_by_where_they_part() {
        let texts = [
            "i hope this finds you well i help saas founders book more demos with outbound",
            "i hope this finds you well i help agencies hire offshore developers at lower cost",
            "we are hiring a senior rust engineer for our platform team",
            "i hope this finds you well",
        ];
        assert_eq!(
            distinguishing_words(&texts, 6),
            [
                "… help saas founders book more demos …",
                "… help agencies hire offshore developers at …",
                "we are hiring a senior rust …",
                "i hope this finds you well",
            ]
        );
        assert_eq!(distinguishing_words(&["just one campaign here"], 3), ["just one campaign …"]);
        assert!(distinguishing_words(&[], 3).is_empty());
        assert_eq!(distinguishing_words(&["same words", "same words"], 3), ["same words", "same words"]);
    }
}
