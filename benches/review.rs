//! The review session at scale: 1,000,000 pending requests.
//!
//! `cargo bench --bench review` builds (once, then reuses) a store of N pending requests with
//! direct SQL in one transaction, catches up the search index, then measures in a fresh child
//! process, so that its peak memory is the app's alone:
//!
//! - launch: open the store, count, load the first page and the first request, draw the
//!   first full frame (120×40, through the real crossterm backend into a sink);
//! - decision: from the `enter` of the reason prompt to the next frame drawn, including the
//!   durable write (WAL, synchronous=FULL) — median and p95 over many decisions;
//! - moving down the queue, and with each message's first line in the rows (`M`);
//! - search keystroke: from one typed character to the next frame with the results;
//! - triage: `ids_where` for a query matching ~1% of the store ("mark everything the filter
//!   matches"), `decide_batch` of them (one durable transaction), its `undo_batch`, and a
//!   queue filter keystroke through `queue_page_where` (first page of 50 in each order);
//! - peak RSS (VmHWM) of the child.
//!
//! `cargo bench --bench review -- batch` instead times `vetted decide --where` and `vetted undo
//! --batch` of the same ~1% through the real binary, against `sqlite3` writing the same rows.
//!
//! `VETTED_BENCH_N` sets N (default 1,000,000); `VETTED_BENCH_DIR` where the store lives
//! (default: the system temp dir); `VETTED_BENCH_NO_INDEX=1` leaves the search index empty
//! (a store just imported, before the app's idle indexing caught up).

use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use vetted::checklist::Checklist;
use vetted::store::Store;
use vetted::tui::{App, Key, Keymap, Theme};

const FIRST: &[&str] = &["Ada", "Bo", "Cy", "Di", "Eve", "Finn", "Grace", "Hal", "Ines", "Jon", "Kai", "Lea"];
const LAST: &[&str] = &["Lovelace", "Hopper", "Turing", "Noether", "Curie", "Knuth", "Liskov", "Ritchie"];
const ROLES: &[&str] = &["Software engineer", "Growth hacker", "Recruiter", "Founder", "Data scientist", "Sales lead"];
const MESSAGES: &[&str] = &[
    "",
    "",
    "Hi {first_name}, I help founders 10x their pipeline. Quick call?",
    "Loved your post on keyset pagination; would be glad to compare notes.",
    "We met at the meetup last week, great talk on SQLite!",
    "I'd like to add you to my professional network.",
];

fn vm_hwm_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

fn build(path: &Path, n: usize) {
    let t = Instant::now();
    let mut store = Store::open(path).expect("open");
    let tx = store.raw_for_tests().unchecked_transaction().expect("tx");
    {
        let mut person = tx
            .prepare(
                "INSERT INTO person (id, key, name, profile_url, headline, company) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .unwrap();
        let mut request = tx
            .prepare(
                "INSERT INTO request (id, person_id, source, sent_at, sent_at_raw, message, hints, status, added_at) \
                 VALUES (?1, ?1, 'linkedin', ?2, ?3, ?4, ?5, 'pending', '2026-11-25T00:00:00Z')",
            )
            .unwrap();
        let start = jiff::Timestamp::from_second(1_700_000_000).unwrap();
        for i in 0..n {
            let id = i as i64 + 1;
            let name = format!("{} {} {i}", FIRST[i % FIRST.len()], LAST[(i / 7) % LAST.len()]);
            let url = format!("https://www.linkedin.com/in/p{i}");
            let role = ROLES[(i / 3) % ROLES.len()];
            let company = format!("Company {}", i % 5000);
            person.execute(rusqlite::params![id, url, name, url, role, company]).unwrap();
            let sent = start.checked_add(jiff::SignedDuration::from_secs((i as i64 * 61) % 60_000_000)).unwrap();
            let message = MESSAGES[i % MESSAGES.len()];
            let hints = if message.is_empty() { "no_message" } else { "" };
            request
                .execute(rusqlite::params![
                    id,
                    sent.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
                    format!("raw {i}"),
                    message,
                    hints
                ])
                .unwrap();
        }
    }
    tx.commit().unwrap();
    println!("built a store of {n} pending requests in {:.1?}", t.elapsed());
    if std::env::var_os("VETTED_BENCH_NO_INDEX").is_some() {
        println!("search index NOT caught up (VETTED_BENCH_NO_INDEX): searches scan the unindexed rows");
        return;
    }
    let t = Instant::now();
    let mut steps = Vec::new();
    loop {
        let s = Instant::now();
        let more = store.search_index_step(vetted::tui::INDEX_BATCH).unwrap();
        steps.push(s.elapsed());
        if !more {
            break;
        }
    }
    steps.sort();
    println!(
        "search index caught up in {:.1?} ({} idle steps of {} requests; a step takes {:.1?} median, {:.1?} max: \
         the longest a key can wait while the app indexes)",
        t.elapsed(),
        steps.len(),
        vetted::tui::INDEX_BATCH,
        steps[steps.len() / 2],
        steps[steps.len() - 1]
    );
}

type Term = Terminal<CrosstermBackend<std::io::Sink>>;

fn terminal() -> Term {
    let options = TerminalOptions { viewport: Viewport::Fixed(Rect::new(0, 0, 120, 40)) };
    Terminal::with_options(CrosstermBackend::new(std::io::sink()), options).unwrap()
}

fn press(app: &mut App<'_>, k: &str) {
    app.on_key(Key::parse(k).unwrap().event());
}

fn stats(mut v: Vec<Duration>) -> String {
    v.sort();
    format!(
        "median {:.2?}, p95 {:.2?}, max {:.2?} (n={})",
        v[v.len() / 2],
        v[v.len() * 95 / 100],
        v[v.len() - 1],
        v.len()
    )
}

/// The session's WAL policy, as `tui::run` sets it.
fn store_settings(app: &App<'_>) {
    app.store().set_autocheckpoint(20_000).unwrap();
}

fn measure(path: &Path) {
    let checklist = Checklist::builtin();
    let mut term = terminal();
    let t = Instant::now();
    let mut store = Store::open(path).unwrap();
    let opened = t.elapsed();
    // As `tui::run` does: the count runs on a second connection while the first frame is drawn.
    let counter = store.count_pending_in_background().expect("a file store");
    let mut app =
        App::new_uncounted(&mut store, &checklist, Keymap::default(), Theme::default(), jiff::Timestamp::now())
            .unwrap();
    let loaded = t.elapsed();
    term.draw(|f| f.render_widget(&app, f.area())).unwrap();
    let launch = t.elapsed();
    let count = counter.recv().unwrap().unwrap();
    let counted = t.elapsed();
    app.set_pending_count(count);
    term.draw(|f| f.render_widget(&app, f.area())).unwrap();
    println!(
        "launch to first full frame: {launch:.2?} (open {opened:.2?}, first page + request {:.2?}, draw {:.2?}); \
         the count of {count} pending arrives from the background at {counted:.2?}",
        loaded - opened,
        launch - loaded
    );
    store_settings(&app);

    // Decisions: the prompt opens on `a` / `d`; measured from `enter` to the next frame.
    let mut decisions = Vec::new();
    for i in 0..200 {
        press(&mut app, if i % 2 == 0 { "a" } else { "l" });
        term.draw(|f| f.render_widget(&app, f.area())).unwrap();
        let t = Instant::now();
        press(&mut app, "enter");
        term.draw(|f| f.render_widget(&app, f.area())).unwrap();
        decisions.push(t.elapsed());
    }
    println!("decision (enter → durable write → next frame): {}", stats(decisions));
    let mut toggles = Vec::new();
    for i in 0..100 {
        let t = Instant::now();
        press(&mut app, &((i % 9) + 1).to_string());
        term.draw(|f| f.render_widget(&app, f.area())).unwrap();
        toggles.push(t.elapsed());
    }
    println!("checklist toggle (key → durable write → next frame): {}", stats(toggles));
    let mut moves = Vec::new();
    for _ in 0..500 {
        let t = Instant::now();
        press(&mut app, "j");
        term.draw(|f| f.render_widget(&app, f.area())).unwrap();
        moves.push(t.elapsed());
    }
    let t = Instant::now();
    press(&mut app, "G");
    term.draw(|f| f.render_widget(&app, f.area())).unwrap();
    println!("move down: {}; jump to last: {:.2?}", stats(moves), t.elapsed());
    // The rows with each message's first line (`M`; kept for this run only: no config file).
    press(&mut app, "g");
    press(&mut app, "M");
    let mut moves = Vec::new();
    for _ in 0..500 {
        let t = Instant::now();
        press(&mut app, "j");
        term.draw(|f| f.render_widget(&app, f.area())).unwrap();
        moves.push(t.elapsed());
    }
    println!("move down with the message preview: {}", stats(moves));
    press(&mut app, "M");

    let n = app.session.total as usize;
    let someone = format!("{} {} {}", FIRST[(n / 2) % FIRST.len()], LAST[(n / 2 / 7) % LAST.len()], n / 2);
    for query in ["engineer", "keyset pagination", someone.as_str(), "zzqx"] {
        press(&mut app, "/");
        let mut keys = Vec::new();
        for c in query.chars() {
            let t = Instant::now();
            app.on_key(Key::ch(c).event());
            term.draw(|f| f.render_widget(&app, f.area())).unwrap();
            keys.push(t.elapsed());
        }
        println!(
            "search keystroke, typing {query:?} ({} results shown): {}",
            app.queue.win.rows.len(),
            stats(keys.clone()).replace(&format!(" (n={})", keys.len()), "")
        );
        press(&mut app, "esc");
    }
    for _ in 0..3 {
        let t = Instant::now();
        press(&mut app, "s");
        term.draw(|f| f.render_widget(&app, f.area())).unwrap();
        println!("sort change to {} (reload from the start + frame): {:.2?}", app.queue.win.order.label(), t.elapsed());
    }
    drop(app);
    triage(&mut store, &checklist);
    println!("peak RSS (VmHWM) of the session process: {:.1} MiB", vm_hwm_kib() as f64 / 1024.0);
}

/// About 1% of a store of `n` requests: no message, sent in one month of the two years the
/// store spans, less one week of it.
fn triage_query(n: i64) -> String {
    let day = |d: i64| {
        let t = jiff::Timestamp::from_second(1_700_000_000 + d * 86_400).unwrap();
        t.strftime("%Y-%m-%d").to_string()
    };
    let span_days = (n * 61).min(60_000_000) / 86_400;
    let week: Vec<String> = (0..7).map(|i| format!("-sent:{}", day(span_days / 2 + i))).collect();
    let month = day(span_days / 2)[..7].to_string();
    format!("hint:no-message sent:{month} {}", week.join(" "))
}

/// Marks, batches and filter keystrokes on the big store.
fn triage(store: &mut Store, checklist: &Checklist) {
    use vetted::store::{Direction, QueueOrder};
    let zone = jiff::tz::TimeZone::UTC;
    let parse = |q: &str| vetted::query::parse(q, &zone, checklist).unwrap();
    let n = store.raw_for_tests().query_row("SELECT count(*) FROM request", [], |r| r.get::<_, i64>(0)).unwrap();
    let query = parse(&triage_query(n));
    let t = Instant::now();
    let items = store.ids_where(&query, usize::MAX).unwrap();
    let marked = t.elapsed();
    let t = Instant::now();
    let batch = store.decide_batch(&items, vetted::model::Verdict::Decline, "template spam", None).unwrap();
    let decided = t.elapsed();
    let t = Instant::now();
    let undone = store.undo_batch(batch.id).unwrap();
    let took_back = t.elapsed();
    println!(
        "triage: ids_where of {} requests ({query}): {marked:.2?}; decide_batch of them (one durable transaction): \
         {decided:.2?}; undo_batch ({undone}): {took_back:.2?}",
        items.len()
    );
    // The group view's first draw is the store's grouping (the drawing itself is a few rows).
    use vetted::store::GroupBy;
    for by in [GroupBy::Hint, GroupBy::Message, GroupBy::Recommendation, GroupBy::MonthSent] {
        let t = Instant::now();
        let groups = store.groups(by, &zone).unwrap();
        println!("group view by {by:?}: {} groups in {:.2?}", groups.len(), t.elapsed());
    }
    for typed in ["hint:template", "hint:no-message -rec:decline", "founders", "age:>180d hint:sales", "zzqx"] {
        let query = parse(typed);
        let mut times = Vec::new();
        for order in [QueueOrder::Oldest, QueueOrder::Newest, QueueOrder::Recommendation] {
            let t = Instant::now();
            let rows = store.queue_page_where(order, &query, None, Direction::Forward, 50).unwrap();
            times.push((t.elapsed(), rows.len()));
        }
        let shown: Vec<String> = times.iter().map(|(t, n)| format!("{t:.2?} ({n} rows)")).collect();
        println!(
            "queue filter keystroke {typed:?} (first page, oldest / newest / recommendation): {}",
            shown.join(", ")
        );
    }
}

/// `-- batch`: `vetted decide --where QUERY --decline` and `vetted undo --batch` through the
/// real binary (whole process), then the same rows written as bare SQL by `sqlite3` on the
/// same file: one decision row per request (its latest decision superseded) and its status,
/// in one transaction; then the undo rows and the statuses back. Three rounds; medians.
fn cli_batch(path: &Path) {
    use std::process::{Command, Stdio};
    let n = Store::open(path)
        .unwrap()
        .raw_for_tests()
        .query_row("SELECT count(*) FROM request", [], |r| r.get::<_, i64>(0))
        .unwrap();
    let query = triage_query(n);
    let config = std::env::temp_dir().join("vetted-bench-no-config.toml");
    let timed = |c: &mut Command| {
        let t = Instant::now();
        let out = c.stderr(Stdio::inherit()).output().unwrap();
        assert!(out.status.success(), "{c:?}: {}", String::from_utf8_lossy(&out.stdout));
        (t.elapsed(), String::from_utf8(out.stdout).unwrap())
    };
    let vetted = |args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_vetted"));
        c.arg("--db").arg(path).arg("--config").arg(&config).args(args);
        c
    };
    let sqlite = |sql: &str| {
        let mut c = Command::new("sqlite3");
        c.arg(path).arg(sql);
        c
    };
    // The batch the bare SQL writes takes the next number, as vetted's would.
    const NEXT: &str = "CREATE TEMP TABLE b AS SELECT coalesce(max(batch), 0) + 1 AS id FROM decision;";
    const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%SZ')";
    // A store built by SQL was never weighed: the first writing command weighs its evidence
    // (once, minutes at 1M), not what is measured here.
    timed(&mut vetted(&["decide", "--where", "zzqx nothing matches", "--decline", "--reason", "none", "--yes"]));
    let (mut ours, mut theirs) = ((Vec::new(), Vec::new()), (Vec::new(), Vec::new()));
    for _ in 0..3 {
        let (t, out) = timed(&mut vetted(&[
            "decide",
            "--where",
            &query,
            "--decline",
            "--reason",
            "template spam",
            "--yes",
            "--json",
        ]));
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let (batch, count) = (v["batch"].as_i64().unwrap(), v["count"].as_i64().unwrap());
        ours.0.push(t);
        ours.1.push(timed(&mut vetted(&["undo", "--batch", &batch.to_string(), "--json"])).0);
        let decide = format!(
            "BEGIN IMMEDIATE; {NEXT} \
             CREATE TEMP TABLE ids AS SELECT request_id AS id FROM decision WHERE batch = {batch} AND undo = 0; \
             INSERT INTO decision (request_id, status, reason, answers, supersedes, undo, decided_at, batch, evidence) \
               SELECT ids.id, 'declined', 'template spam', '{{}}', \
                 (SELECT max(id) FROM decision WHERE request_id = ids.id), 0, {NOW}, b.id, '[]' FROM ids, b; \
             UPDATE request SET status = 'declined', defer_until = NULL WHERE id IN (SELECT id FROM ids); COMMIT;"
        );
        theirs.0.push(timed(&mut sqlite(&decide)).0);
        let undo = format!(
            "BEGIN IMMEDIATE; \
             CREATE TEMP TABLE last AS SELECT max(batch) AS id FROM decision; \
             INSERT INTO decision (request_id, status, reason, answers, supersedes, undo, decided_at, batch, evidence) \
               SELECT d.request_id, 'pending', 'undo', d.answers, d.id, 1, {NOW}, d.batch, '[]' \
               FROM decision d, last WHERE d.batch = last.id AND d.undo = 0; \
             UPDATE request SET status = 'pending', defer_until = NULL \
               WHERE id IN (SELECT request_id FROM decision, last WHERE batch = last.id AND undo = 0); COMMIT;"
        );
        theirs.1.push(timed(&mut sqlite(&undo)).0);
        println!("round: {count} requests");
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    for (what, ours, theirs) in
        [("decide --where (decline)", &mut ours.0, &mut theirs.0), ("undo --batch", &mut ours.1, &mut theirs.1)]
    {
        let (a, b) = (median(ours), median(theirs));
        println!(
            "vetted {what:<26} {:>8.1} ms (median of 3; {:?}); sqlite3, the same rows as bare SQL: {:.1} ms ({:?}): {:.2}x",
            a.as_secs_f64() * 1e3,
            ours.iter().map(|d| d.as_millis()).collect::<Vec<_>>(),
            b.as_secs_f64() * 1e3,
            theirs.iter().map(|d| d.as_millis()).collect::<Vec<_>>(),
            a.as_secs_f64() / b.as_secs_f64()
        );
    }
}

fn main() {
    if let Some(path) = std::env::var_os("VETTED_BENCH_MEASURE") {
        measure(Path::new(&path));
        return;
    }
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: run small then.
    let quick = !std::env::args().any(|a| a == "--bench");
    let n: usize = std::env::var("VETTED_BENCH_N").ok().and_then(|v| v.parse().ok()).unwrap_or(if quick {
        2_000
    } else {
        1_000_000
    });
    let dir = std::env::var_os("VETTED_BENCH_DIR").map_or_else(std::env::temp_dir, PathBuf::from);
    let path = dir.join(format!("vetted-bench-review-{n}.db"));
    let usable = path.exists()
        && Store::open(&path)
            .ok()
            .and_then(|s| s.raw_for_tests().query_row("SELECT count(*) FROM request", [], |r| r.get::<_, i64>(0)).ok())
            == Some(n as i64);
    if !usable {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        build(&path, n);
    } else {
        println!("reusing {} ({n} requests)", path.display());
    }
    // Top up what earlier runs decided, so every run starts from N pending.
    {
        let store = Store::open(&path).unwrap();
        store.raw_for_tests().execute_batch("UPDATE request SET status = 'pending' WHERE status <> 'pending'").unwrap();
    }
    if std::env::args().skip(1).any(|a| a == "batch") {
        return cli_batch(&path);
    }
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .env("VETTED_BENCH_MEASURE", &path)
        .status()
        .expect("run the measuring child");
    assert!(status.success());
    if quick {
        let _ = std::fs::remove_file(&path);
    }
}
