use super::*;
use crate::checklist::Checklist;
use crate::model::{Answers, NewRequest, Status, Verdict};
use rusqlite::params;

#[test]
fn accept_rates_are_rounded_and_months_without_decisions_are_kept() {
    assert_eq!(accept_rate(2, 1), Some(67));
    assert_eq!(accept_rate(1, 7), Some(13));
    assert_eq!(accept_rate(0, 0), None);
    let months = [("2026-11".to_string(), (1, 0)), ("2027-02".to_string(), (0, 2))].into_iter().collect();
    let all: Vec<String> = every_month(&months).into_iter().map(|(m, ..)| m).collect();
    assert_eq!(all, ["2026-11", "2026-12", "2027-01", "2027-02"]);
}

/// The statistics as vetted computed them before issue 21 (a statement per figure, a scan of
/// the log per day of the week, each stored instant parsed): the reference the faster
/// passes must equal.
fn stats_as_before(store: &Store, today: Date, zone: &TimeZone) -> Stats {
    let conn = &store.conn;
    let pairs = |sql: &str| -> BTreeMap<String, u64> {
        conn.prepare(sql)
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    let mut months: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut stmt = conn
        .prepare(
            "SELECT d.decided_at, d.status = 'accepted' FROM decision d \
             WHERE d.id IN (SELECT max(id) FROM decision GROUP BY request_id) AND d.status IN ('accepted', 'declined')",
        )
        .unwrap();
    let mut rows = stmt.query([]).unwrap();
    while let Some(r) = rows.next().unwrap() {
        let day = local_day(r.get_ref(0).unwrap().as_str().unwrap(), zone);
        let month = months.entry(day.get(..7).unwrap_or(&day).to_string()).or_default();
        if r.get(1).unwrap() { month.0 += 1 } else { month.1 += 1 }
    }
    let reasons: BTreeMap<String, u64> = pairs(
        "SELECT reason, count(*) FROM decision WHERE reason <> '' AND reason <> 'deferral due' \
         AND id IN (SELECT max(x.id) FROM decision x JOIN request r ON r.id = x.request_id \
           WHERE r.status = 'declined' AND x.status = 'declined' AND x.undo = 0 GROUP BY x.request_id) GROUP BY reason",
    );
    // One line per reason however it was typed, in the spelling used most (as `reasons_given`).
    let mut by_key: BTreeMap<String, (u64, String, u64)> = BTreeMap::new();
    for (spelling, n) in reasons {
        let shown = spelling.split_whitespace().collect::<Vec<_>>().join(" ");
        let entry = by_key.entry(crate::store::reason_key(&spelling)).or_insert((0, shown.clone(), 0));
        entry.0 += n;
        if n > entry.2 || (n == entry.2 && shown < entry.1) {
            (entry.1, entry.2) = (shown, n);
        }
    }
    let mut top: Vec<(String, String, u64)> = by_key.into_iter().map(|(k, (n, shown, _))| (k, shown, n)).collect();
    top.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    let top = top.into_iter().take(5).map(|(_, shown, n)| (shown, n)).collect();
    let answers = conn
        .prepare(
            "SELECT j.key, sum(d.status = 'accepted'), sum(d.status = 'declined') \
             FROM decision d, json_each(d.answers) j \
             WHERE d.id IN (SELECT max(id) FROM decision GROUP BY request_id) AND j.value = 1 \
             GROUP BY j.key ORDER BY j.key",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64, r.get::<_, i64>(2)? as u64)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let mut days = Vec::new();
    for back in (0..7).rev() {
        let day = today.checked_sub(jiff::Span::new().days(back)).unwrap();
        let (from, to) = (day_start(day, zone), day_start(day.tomorrow().unwrap(), zone));
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM decision WHERE decided_at >= ?1 AND decided_at < ?2",
                params![from, to],
                |r| r.get(0),
            )
            .unwrap();
        days.push((day.to_string(), n as u64));
    }
    Stats {
        requests: pairs("SELECT status, count(*) FROM request GROUP BY status"),
        decisions: pairs(
            "SELECT CASE WHEN undo THEN 'undone' WHEN status = 'pending' THEN 'reopened' ELSE status END, \
             count(*) FROM decision GROUP BY 1",
        ),
        by_month: every_month(&months),
        top_decline_reasons: top,
        answers,
        last_7_days: days,
    }
}

fn request(store: &mut Store, i: usize) -> i64 {
    let req = NewRequest {
        name: format!("Imaginary Person {i}"),
        profile_url: Some(format!("https://www.linkedin.com/in/imaginary-{i}")),
        message: if i.is_multiple_of(3) { String::new() } else { format!("Hello from the fictional meetup {i}") },
        sent_at: Some("2026-01-02T03:04:05Z".into()),
        source: "linkedin".into(),
        ..NewRequest::default()
    };
    store.add_request(&req).unwrap().0
}

/// A log with every kind of row the statistics read: decisions, changes of mind, undos (one of
/// a batch), a reconsidered request, deferrals, answers given yes and no (and `1`), reasons
/// spelled two ways; then its instants moved around local month and day boundaries, some in
/// other forms than vetted writes (an offset, fractions of a second).
fn varied_store(today: Date) -> Store {
    let mut store = Store::in_memory().unwrap();
    let checklist = Checklist::builtin();
    let ids: Vec<i64> = (0..60).map(|i| request(&mut store, i)).collect();
    for (i, &id) in ids.iter().enumerate() {
        let yes =
            [("selling", Some(i % 2 == 0)), ("know_like_trust", Some(i % 5 == 0)), ("profile_checked", Some(true))];
        store.set_answers(id, &yes[..1 + i % 3], &checklist).unwrap();
        let answers = store.answers(id).unwrap();
        let (verdict, reason) = match i % 4 {
            0 => (Verdict::Decline, if i % 8 == 0 { "Selling  stuff" } else { "selling stuff" }),
            1 => (Verdict::Accept, "met at the fictional meetup"),
            2 => (Verdict::Decline, "recruiter spam"),
            _ => (Verdict::Defer, ""),
        };
        let d = store.decide(id, verdict, reason, &answers).unwrap();
        match i % 10 {
            3 => {
                store.undo(d).unwrap();
            }
            6 => {
                store.reopen(id, verdict.status(), "changed my mind").unwrap();
                store.decide(id, Verdict::Accept, "on second thought", &Answers::new()).unwrap();
            }
            9 => {
                store.decide(id, Verdict::Decline, "collects connections", &answers).unwrap();
            }
            _ => {}
        }
    }
    let pending: Vec<(i64, Status)> = (60..70).map(|i| (request(&mut store, i), Status::Pending)).collect();
    let batch = store.decide_batch(&pending[..6], Verdict::Decline, "template spam", None).unwrap();
    store.undo_batch(batch.id).unwrap();
    store.decide_batch(&pending[6..], Verdict::Accept, "", None).unwrap();
    // Instants around month and day boundaries of every zone used below (UTC, +05:30, +12:45
    // and the US Pacific), over two years, and the week before `today`.
    let week = day_start(today, &TimeZone::UTC).unwrap();
    let week: jiff::Timestamp = week.parse().unwrap();
    let ids: Vec<i64> = store
        .conn
        .prepare("SELECT id FROM decision")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    for (n, id) in ids.iter().enumerate() {
        let at = if n % 3 == 0 {
            week.checked_sub(jiff::SignedDuration::from_mins(n as i64 * 97)).unwrap()
        } else {
            let month_start: jiff::Timestamp =
                format!("20{:02}-{:02}-01T00:00:00Z", 25 + n % 2, 1 + n % 12).parse().unwrap();
            month_start
                .checked_add(jiff::SignedDuration::from_mins((n as i64 % 29 - 14) * 60 + n as i64 % 7 * 15))
                .unwrap()
        };
        let text = match n % 11 {
            4 => at.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
            7 => {
                at.to_zoned_datetime(TimeZone::fixed(jiff::tz::offset(2))).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
            }
            _ => crate::clock::format_utc(at),
        };
        // Test set-up of instants no writer makes (decisions are append-only to the app).
        store.conn.execute_batch("DROP TRIGGER decision_append_only").ok();
        store.conn.execute("UPDATE decision SET decided_at = ?2 WHERE id = ?1", params![id, text]).unwrap();
    }
    store
        .conn
        .execute("UPDATE decision SET answers = '{\"selling\":1,\"know_like_trust\":0}' WHERE id % 13 = 0", [])
        .unwrap();
    store
}

#[test]
fn the_statistics_equal_those_of_a_statement_per_figure_in_every_zone() {
    let today: Date = "2026-03-04".parse().unwrap();
    let store = varied_store(today);
    for zone in ["UTC", "Asia/Kolkata", "Pacific/Chatham", "America/Los_Angeles"] {
        let zone = TimeZone::get(zone).unwrap();
        let stats = store.stats(today, &zone).unwrap();
        assert_eq!(stats, stats_as_before(&store, today, &zone), "{zone:?}");
        assert!(stats.by_month.len() > 12 && stats.last_7_days.iter().any(|(_, n)| *n > 0), "{stats:?}");
        assert!(stats.decisions.contains_key("undone") && stats.decisions.contains_key("reopened"));
        assert!(stats.answers.iter().any(|(k, a, d)| k == "selling" && a + d > 0));
    }
}

#[test]
fn a_decision_near_midnight_counts_in_its_local_month_and_day() {
    let mut store = Store::in_memory().unwrap();
    let id = request(&mut store, 1);
    store.decide(id, Verdict::Accept, "", &Answers::new()).unwrap();
    // 31 March 19:00 UTC is 1 April 00:30 in Kolkata (+05:30): April there, March in UTC.
    store.conn.execute_batch("DROP TRIGGER decision_append_only").unwrap();
    store.conn.execute("UPDATE decision SET decided_at = '2026-03-31T19:00:00Z'", []).unwrap();
    let today: Date = "2026-04-03".parse().unwrap();
    let kolkata = store.stats(today, &TimeZone::get("Asia/Kolkata").unwrap()).unwrap();
    assert_eq!(kolkata.by_month, [("2026-04".to_string(), 1, 0)]);
    assert_eq!(kolkata.last_7_days.iter().map(|(_, n)| *n).collect::<Vec<_>>(), [0, 0, 0, 0, 1, 0, 0]);
    let utc = store.stats(today, &TimeZone::UTC).unwrap();
    assert_eq!(utc.by_month, [("2026-03".to_string(), 1, 0)]);
    assert_eq!(utc.last_7_days.iter().map(|(_, n)| *n).collect::<Vec<_>>(), [0, 0, 0, 1, 0, 0, 0]);
}

#[test]
fn only_instants_in_the_stored_form_take_a_known_month() {
    assert!(canonical("2026-03-31T19:00:00Z"));
    for odd in ["2026-03-31T19:00:00.5Z", "2026-03-31T19:00:00+02:00", "2026-03-31", "-026-03-31T19:00:00Z", "x"] {
        assert!(!canonical(odd), "{odd}");
    }
    let zone = TimeZone::get("Asia/Kolkata").unwrap();
    let mut months = Months::new(&zone);
    assert_eq!(months.of("2026-03-31T18:29:59Z"), "2026-03");
    assert_eq!(months.of("2026-03-31T18:30:00Z"), "2026-04");
    assert_eq!(months.of("2026-03-15T00:00:00Z"), "2026-03");
    assert_eq!(months.of("2026-04-30T18:29:59Z"), "2026-04");
    assert_eq!(months.of("2026-04-30T18:30:00Z"), "2026-05");
    assert_eq!(months.of("2026-03-31T23:00:00+02:00"), "2026-04");
    assert_eq!(months.known.len(), 3);
}
