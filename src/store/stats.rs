//! The numbers `vetted stats` and the Stats screen show, each from as few passes over the log
//! as it allows: the log's kinds in one scan, the week in one range, each request's latest
//! decision read once for both its month and its checklist, and the decline reasons by request
//! in the requests' own order (docs/performance.md: 1M decisions).

use super::log::reasons_given;
use super::{Result, Store};
use crate::clock::{day_start, local_day};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;
use std::collections::BTreeMap;

/// The numbers `vetted stats` and the Stats screen show.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Stats {
    /// Requests by current status.
    pub requests: BTreeMap<String, u64>,
    /// Decisions recorded (log rows) by what they did: `accepted`, `declined`, `deferred`,
    /// `undone` (an undo), `reopened` (back to the queue: reconsidered, or a deferral come back).
    pub decisions: BTreeMap<String, u64>,
    /// Local month (YYYY-MM) → (accepted, declined): each request counted once, by its latest
    /// decision; every month from the first to the last, empty ones too.
    pub by_month: Vec<(String, u64, u64)>,
    /// The most frequent decline reasons, with their counts.
    pub top_decline_reasons: Vec<(String, u64)>,
    /// Checklist item → (yes among accepted, yes among declined), from current decisions.
    pub answers: Vec<(String, u64, u64)>,
    /// Decisions (log rows) per local day over the last 7 days, oldest first (day, count).
    pub last_7_days: Vec<(String, u64)>,
}

/// Accepted of accepted and declined, as a rounded percentage (`None` when neither).
pub fn accept_rate(accepted: u64, declined: u64) -> Option<u64> {
    let whole = accepted + declined;
    (accepted * 200 + whole).checked_div(whole * 2)
}

/// The months from the first to the last of `months`, those without decisions as zero.
fn every_month(months: &BTreeMap<String, (u64, u64)>) -> Vec<(String, u64, u64)> {
    let parse = |m: &str| Some((m.get(..4)?.parse::<i32>().ok()?, m.get(5..7)?.parse::<u32>().ok()?));
    let (Some(first), Some(last)) =
        (months.keys().next().and_then(|m| parse(m)), months.keys().last().and_then(|m| parse(m)))
    else {
        return months.iter().map(|(m, (a, d))| (m.clone(), *a, *d)).collect();
    };
    let mut out = Vec::new();
    let (mut y, mut m) = first;
    while (y, m) <= last {
        let key = format!("{y:04}-{m:02}");
        let (a, d) = months.get(&key).copied().unwrap_or((0, 0));
        out.push((key, a, d));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

/// Whether `stored` has the form vetted stores instants in (`YYYY-MM-DDTHH:MM:SSZ`), in which
/// text order is time order.
fn canonical(stored: &str) -> bool {
    let b = stored.as_bytes();
    b.len() == 20
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

/// The local month of stored instants (what [`local_day`] gives, cut to `YYYY-MM`), with the
/// stored span of each month met so far: a row in a known month is one comparison, not a
/// parse and a zone conversion.
struct Months<'z> {
    zone: &'z TimeZone,
    /// (first instant, first instant of the next month, month), by first instant.
    known: Vec<(String, String, String)>,
}

impl<'z> Months<'z> {
    fn new(zone: &'z TimeZone) -> Self {
        Months { zone, known: Vec::new() }
    }

    fn of(&mut self, stored: &str) -> String {
        let canonical = canonical(stored);
        if canonical {
            let at = self.known.partition_point(|(start, ..)| start.as_str() <= stored);
            if let Some((_, end, month)) = at.checked_sub(1).map(|i| &self.known[i])
                && stored < end.as_str()
            {
                return month.clone();
            }
        }
        let day = local_day(stored, self.zone);
        let month = day.get(..7).unwrap_or(&day).to_string();
        if canonical && let Some((start, end)) = self.span(&month) {
            let at = self.known.partition_point(|(s, ..)| *s < start);
            self.known.insert(at, (start, end, month.clone()));
        }
        month
    }

    /// The stored instants a local month spans, when both ends are instants.
    fn span(&self, month: &str) -> Option<(String, String)> {
        let first: Date = format!("{month}-01").parse().ok()?;
        let next = first.checked_add(jiff::Span::new().months(1)).ok()?;
        let (start, end) = (day_start(first, self.zone)?, day_start(next, self.zone)?);
        (canonical(&start) && canonical(&end) && start < end).then_some((start, end))
    }
}

/// Each request's latest decision once: its local month (accepted and declined only) and the
/// checklist items it answered yes (`true`, or 1, as SQLite's `json_each` compares them), by
/// the latest decision's kind. Answers that are not a JSON object say nothing.
#[allow(clippy::type_complexity)]
fn latest_decisions(
    conn: &rusqlite::Connection,
    zone: &TimeZone,
) -> rusqlite::Result<(BTreeMap<String, (u64, u64)>, BTreeMap<String, (u64, u64)>)> {
    let (mut months, mut answers) = (BTreeMap::new(), BTreeMap::<String, (u64, u64)>::new());
    let mut month_of = Months::new(zone);
    let mut stmt = conn.prepare(
        "SELECT d.decided_at, d.status, d.answers FROM decision d \
         JOIN (SELECT max(id) AS id FROM decision GROUP BY request_id) l ON l.id = d.id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let status = r.get_ref(1)?;
        let (accepted, declined) = match status.as_str_or_null() {
            Ok(Some("accepted")) => (1, 0),
            Ok(Some("declined")) => (0, 1),
            _ => (0, 0),
        };
        if accepted + declined > 0 {
            let month: &mut (u64, u64) = months.entry(month_of.of(r.get_ref(0)?.as_str()?)).or_default();
            (month.0, month.1) = (month.0 + accepted, month.1 + declined);
        }
        let Ok(Some(json)) = r.get_ref(2)?.as_str_or_null() else { continue };
        let Ok(map) = serde_json::from_str::<BTreeMap<String, serde_json::Value>>(json) else { continue };
        for (key, value) in map {
            let yes = value.as_bool() == Some(true) || value.as_f64() == Some(1.0);
            if yes {
                let item = answers.entry(key).or_default();
                (item.0, item.1) = (item.0 + accepted, item.1 + declined);
            }
        }
    }
    Ok((months, answers))
}

/// Decisions (log rows) on each of the seven local days up to `today`, oldest first: one range
/// of the log, each row counted by comparing it to the days' first instants as SQLite would.
fn last_7_days(conn: &rusqlite::Connection, today: Date, zone: &TimeZone) -> rusqlite::Result<Vec<(String, u64)>> {
    let days: Vec<(Date, Option<String>, Option<String>)> = (0..7)
        .rev()
        .map(|back| {
            let day = today.checked_sub(jiff::Span::new().days(back)).unwrap_or(today);
            let next = day.tomorrow().unwrap_or(day);
            (day, day_start(day, zone), day_start(next, zone))
        })
        .collect();
    let mut counts = vec![0u64; days.len()];
    let from = days.iter().filter_map(|(_, from, _)| from.as_deref()).min();
    let to = days.iter().filter_map(|(_, _, to)| to.as_deref()).max();
    if let (Some(from), Some(to)) = (from, to) {
        let mut stmt = conn.prepare("SELECT decided_at FROM decision WHERE decided_at >= ?1 AND decided_at < ?2")?;
        let mut rows = stmt.query([from, to])?;
        while let Some(r) = rows.next()? {
            let Ok(at) = r.get_ref(0)?.as_str() else { continue };
            for (n, (_, from, to)) in counts.iter_mut().zip(&days) {
                if let (Some(from), Some(to)) = (from, to) {
                    *n += u64::from(from.as_str() <= at && at < to.as_str());
                }
            }
        }
    }
    Ok(days.into_iter().zip(counts).map(|((day, ..), n)| (day.to_string(), n)).collect())
}

impl Store {
    pub fn stats(&self, today: Date, zone: &TimeZone) -> Result<Stats> {
        let pairs = |sql: &str| -> rusqlite::Result<BTreeMap<String, u64>> {
            self.conn.prepare(sql)?.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?.collect()
        };
        let run = || -> rusqlite::Result<Stats> {
            // People, not log rows: each request counts once, by its latest decision, in the
            // local month it was made; the checklist as it was at that decision.
            let (months, answers) = latest_decisions(&self.conn, zone)?;
            // One line per reason however it was typed, in the spelling used most.
            let top_decline_reasons = reasons_given(&self.conn, Some("declined"), None, true)?
                .into_iter()
                .take(5)
                .map(|(_, shown, n)| (shown, n))
                .collect();
            Ok(Stats {
                requests: pairs("SELECT status, count(*) FROM request GROUP BY status")?,
                // An undo row sets the status it restores: counted as what it is, an undo; a
                // request sent back to the queue (reconsidered, a deferral come back) "reopened".
                decisions: pairs(
                    "SELECT CASE WHEN undo THEN 'undone' WHEN status = 'pending' THEN 'reopened' ELSE status END, \
                     count(*) FROM decision GROUP BY 1",
                )?,
                by_month: every_month(&months),
                top_decline_reasons,
                answers: answers.into_iter().map(|(k, (a, d))| (k, a, d)).collect(),
                last_7_days: last_7_days(&self.conn, today, zone)?,
            })
        };
        run().map_err(|e| self.err(e))
    }
}

#[cfg(test)]
#[path = "stats_tests.rs"]
mod tests;
