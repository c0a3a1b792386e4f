//! Decision-log benchmark on a store of 1,000,000 decisions (one per request).
//!
//!     cargo bench --bench log                      # 1,000,000 decisions
//!     VETTED_BENCH_ROWS=100000 cargo bench --bench log
//!     VETTED_BENCH_DB=/tmp/log.db cargo bench --bench log   # keep the store between runs
//!     cargo bench --bench log -- batches           # only `vetted log` / `declined` on batches
//!     VETTED_BENCH_BATCH=100000 cargo bench --bench log -- batches   # batches of that size
//!     cargo bench --bench log -- backup            # only the JSON backup and its restore
//!     cargo bench --bench log -- snapshot          # only `vetted backup` and `vetted stats`
//!                                                  # against sqlite3 on the same file
//!
//! Measures, on the library the app uses: the first page of the Log and of Declined, a page
//! with a text filter (what one keystroke in a filter costs), and with the real binary:
//! `vetted log --grep TEXT --json` and `vetted export --format csv|json` (decisions/s, 3 runs).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use vetted::store::{LogFilter, LogScope, Store};

const REASONS: &[&str] = &[
    "selling outsourcing",
    "no personal note",
    "recruiter spam",
    "collects connections",
    "crypto scam",
    "met at the meetup",
    "respect their work",
    "introduced by Jonas",
];

/// `rows` requests with one decision each; `batch`: decisions made in batches of that many
/// (0: none).
fn build(path: &std::path::Path, rows: usize, batch: i64) {
    let store = Store::open(path).expect("store");
    let tx = store.raw_for_tests().unchecked_transaction().expect("tx");
    {
        let mut person = tx.prepare("INSERT INTO person (id, key, name, headline) VALUES (?1, ?2, ?3, ?4)").unwrap();
        let mut request = tx
            .prepare(
                "INSERT INTO request (id, person_id, source, sent_at, message, status, added_at) \
                 VALUES (?1, ?1, 'linkedin', ?2, ?3, ?4, ?2)",
            )
            .unwrap();
        let mut decision = tx
            .prepare(
                "INSERT INTO decision (id, request_id, status, reason, answers, decided_at, batch) \
                 VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .unwrap();
        for i in 1..=rows as i64 {
            let status = ["declined", "accepted", "declined", "deferred"][i as usize % 4];
            let at = format!("2026-{:02}-{:02}T{:02}:{:02}:00Z", 1 + i % 11, 1 + i % 28, i % 24, i % 60);
            person
                .execute(rusqlite::params![
                    i,
                    format!("https://www.linkedin.com/in/p-{i:x}"),
                    format!("Person {i}"),
                    "Engineer"
                ])
                .unwrap();
            request.execute(rusqlite::params![i, at, format!("Hello, message number {i}"), status]).unwrap();
            let answers = if status == "declined" { r#"{"selling":true}"# } else { r#"{"respect_work":true}"# };
            let in_batch = (batch > 0).then(|| (i - 1) / batch + 1);
            decision
                .execute(rusqlite::params![i, status, REASONS[i as usize % REASONS.len()], answers, at, in_batch])
                .unwrap();
        }
    }
    tx.commit().unwrap();
}

fn time<T>(what: &str, f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    let t = start.elapsed();
    println!("{what:<44} {:>9.1} ms", t.as_secs_f64() * 1000.0);
    (out, t)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let rows: usize = std::env::var("VETTED_BENCH_ROWS").ok().and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let tmp = tempfile::tempdir().unwrap();
    if std::env::args().skip(1).any(|a| a == "batches") {
        return batches(tmp.path(), rows);
    }
    if std::env::args().skip(1).any(|a| a == "backup") {
        return backup(tmp.path(), rows);
    }
    if std::env::args().skip(1).any(|a| a == "snapshot") {
        return snapshot_and_stats(tmp.path(), rows);
    }
    // VETTED_BENCH_DB=path keeps the store (built once) for repeated runs.
    let db = std::env::var_os("VETTED_BENCH_DB").map_or_else(|| tmp.path().join("log.db"), Into::into);
    if !db.exists() {
        let start = Instant::now();
        build(&db, rows, 0);
        println!("built a store of {rows} decisions in {:.1} s", start.elapsed().as_secs_f64());
    }

    let mut store = Store::open(&db).unwrap();
    // What the app does in idle steps after an import: catch up the search indexes.
    time("catch up the search indexes (once)", || while store.search_index_step(1_000_000).unwrap() {});
    time("open Log: first page (100 rows)", || store.log_page(None, 100).unwrap().len());
    time("open Declined: first page (100 rows)", || store.declined_page(None, 100).unwrap().len());
    for text in ["Person 99999", "recruiter", "number 4242", "no such text"] {
        let filter = LogFilter { grep: Some(text.into()), ..LogFilter::default() };
        time(&format!("Log filter {text:?}: first page"), || store.log_filtered(&filter, None, 100).unwrap().len());
    }
    let filter = LogFilter { decision: Some(vetted::model::Status::Declined), ..LogFilter::default() };
    time("Log filter declined: first page", || store.log_filtered(&filter, None, 100).unwrap().len());
    // The screens: a page as the app asks for it, and each keystroke of a filter typed in the
    // prompt (the app filters from the third character on).
    let page = vetted::tui::paged::PAGE;
    for (scope, name) in [(LogScope::All, "Log"), (LogScope::DeclinedNow, "Declined")] {
        time(&format!("{name} screen: open (first page)"), || {
            store.log_search(&LogFilter::default(), scope, None, page).unwrap().len()
        });
        for (budget, what) in [(None, "complete search"), (Some(vetted::tui::screens::log::FILTER_BUDGET), "as typed")]
        {
            let mut times: Vec<(Duration, String)> = Vec::new();
            let mut partial = 0;
            for typed in ["Person 123456", "crypto scam", "met at the meetup", "zzz nothing"] {
                for n in 3..=typed.chars().count() {
                    let text: String = typed.chars().take(n).collect();
                    let filter = LogFilter { grep: Some(text.clone()), ..LogFilter::default() };
                    let start = Instant::now();
                    let (_, complete) = store.log_search_within(&filter, scope, None, page, budget).unwrap();
                    times.push((start.elapsed(), text));
                    partial += usize::from(!complete);
                }
            }
            times.sort();
            let ms = |d: Duration| d.as_secs_f64() * 1e3;
            let (median, p90, (max, slowest)) =
                (times[times.len() / 2].0, times[times.len() * 9 / 10].0, times.last().unwrap().clone());
            println!(
                "{:<44} {:>9.1} ms median, {:.1} ms p90, {:.1} ms max ({slowest:?}; {} keystrokes, {partial} partial)",
                format!("{name}: filter keystroke, {what}"),
                ms(median),
                ms(p90),
                ms(max),
                times.len()
            );
        }
        let filter = LogFilter {
            reason: Some("crypto".into()),
            since: Some("2026-06-01T00:00:00Z".into()),
            ..LogFilter::default()
        };
        time(&format!("{name} screen: reason + since filter"), || {
            store.log_search(&filter, scope, None, page).unwrap().len()
        });
    }
    time("Stats screen: open (Store::stats)", || {
        store.stats("2026-11-25".parse().unwrap(), &jiff::tz::TimeZone::UTC).unwrap().by_month.len()
    });
    time("To do screen: open (first page)", || store.linkedin_todo_page(None, page).unwrap().len());
    drop(store);
    app_screens(&db);

    let vetted = |args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_vetted"));
        c.arg("--db").arg(&db).arg("--config").arg(tmp.path().join("none.toml")).args(args).stdout(Stdio::null());
        c
    };
    time("vetted log --grep 'Person 99999' --json", || {
        assert!(vetted(&["log", "--grep", "Person 99999", "--json"]).status().unwrap().success())
    });
    // Export speed is in decisions (one CSV line each), counted in the store rather than taken
    // from VETTED_BENCH_ROWS (a kept store may hold another size); the JSON backup also writes
    // every person, request and answer, so its rate over all rows written is printed beside.
    let store = Store::open(&db).unwrap();
    let count = |table: &str| -> f64 {
        store.raw_for_tests().query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get::<_, i64>(0)).unwrap()
            as f64
    };
    let decisions = count("decision");
    let all = decisions + count("person") + count("request") + count("answer");
    drop(store);
    for format in ["csv", "json"] {
        let mut times: Vec<Duration> = (0..3)
            .map(|_| {
                time(&format!("vetted export --format {format}"), || {
                    assert!(vetted(&["export", "--format", format]).status().unwrap().success())
                })
                .1
            })
            .collect();
        times.sort();
        let per_s = |rows: f64, t: Duration| rows / t.as_secs_f64();
        let (best, median, worst) = (times[0], times[1], times[2]);
        println!(
            "{:<44} {:>9.0} decisions/s median (best {:.0}, worst {:.0}){}",
            format!("  export {format} (3 runs)"),
            per_s(decisions, median),
            per_s(decisions, best),
            per_s(decisions, worst),
            if format == "json" { format!("; {:.0} rows/s of all tables", per_s(all, median)) } else { String::new() }
        );
    }
}

/// The screens through the app itself: key → `update()` → a full frame drawn at 120×40.
fn app_screens(db: &std::path::Path) {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use vetted::tui::{App, Key, Keymap, Theme};
    let mut store = Store::open(db).unwrap();
    let checklist = vetted::checklist::Checklist::builtin();
    let mut app =
        App::new_uncounted(&mut store, &checklist, Keymap::default(), Theme::monochrome(), jiff::Timestamp::now())
            .unwrap();
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let mut press = |app: &mut App<'_>, key: Key| {
        let start = Instant::now();
        app.on_key(key.event());
        terminal.draw(|f| f.render_widget(&*app, f.area())).unwrap();
        start.elapsed()
    };
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    for (key, name) in [('L', "Log"), ('D', "Declined"), ('T', "To do"), ('L', "Log")] {
        let t = press(&mut app, Key::ch(key));
        println!("{:<44} {:>9.1} ms", format!("app: {key} → {name} screen drawn"), ms(t));
    }
    for (screen, typed) in [('L', "Person 4242"), ('L', "recruiter"), ('D', "met at the meetup"), ('D', "selling")] {
        press(&mut app, Key::ch(screen));
        press(&mut app, Key::ch('/'));
        let mut times: Vec<Duration> = typed.chars().map(|c| press(&mut app, Key::ch(c))).collect();
        press(&mut app, Key::plain(ratatui::crossterm::event::KeyCode::Esc));
        times.sort();
        println!(
            "{:<44} {:>9.1} ms median, {:.1} ms max",
            format!("app: typing {typed:?} on {screen}"),
            ms(times[times.len() / 2]),
            ms(*times.last().unwrap())
        );
    }
    let t = press(&mut app, Key::ch('j'));
    println!("{:<44} {:>9.1} ms", "app: move in the Declined list", ms(t));
}

/// `vetted log` and `vetted declined` through the real binary on a log whose decisions were
/// made in batches (`VETTED_BENCH_BATCH` each, default 100): the first page (the time to the
/// 100th line) against the bare query in `sqlite3`, and whole logs in lines per second.
fn batches(tmp: &std::path::Path, rows: usize) {
    let size: i64 = std::env::var("VETTED_BENCH_BATCH").ok().and_then(|s| s.parse().ok()).unwrap_or(100);
    let db = std::env::var_os("VETTED_BENCH_DB").map_or_else(|| tmp.join("batches.db"), Into::into);
    if !db.exists() {
        let start = Instant::now();
        build(&db, rows, size);
        println!("built a store of {rows} decisions in batches of {size} in {:.1} s", start.elapsed().as_secs_f64());
    }
    let mut store = Store::open(&db).unwrap();
    time("catch up the search indexes (once)", || while store.search_index_step(1_000_000).unwrap() {});
    // In the library, without the process and the open: a first page of 500 against the bare
    // query of the same rows on the same connection.
    let bare = |sql: &str| {
        let start = Instant::now();
        let n = store.raw_for_tests().prepare(sql).unwrap().query_map([], |_| Ok(())).unwrap().count();
        (n, start.elapsed())
    };
    let page = |filter: &LogFilter| {
        let start = Instant::now();
        let n = store.log_filtered(filter, None, 500).unwrap().len();
        (n, start.elapsed())
    };
    let join = "FROM decision d JOIN request r ON r.id = d.request_id JOIN person p ON p.id = r.person_id \
         LEFT JOIN note n ON n.person_id = p.id";
    let cols = "d.id, d.decided_at, d.status, d.reason, d.answers, p.name, p.profile_url, d.batch, n.body";
    let selling = LogFilter {
        query: vetted::query::parse(
            "is:declined reason:selling",
            &jiff::tz::TimeZone::UTC,
            &vetted::checklist::Checklist::builtin(),
        )
        .unwrap(),
        ..LogFilter::default()
    };
    for (name, filter, sql) in [
        ("log: first page of 500", LogFilter::default(), format!("SELECT {cols} {join} ORDER BY d.id DESC LIMIT 500")),
        (
            "log is:declined reason:selling: first page",
            selling,
            format!(
                "SELECT {cols} {join} WHERE d.status = 'declined' AND d.reason LIKE '%selling%' \
                 ORDER BY d.id DESC LIMIT 500"
            ),
        ),
    ] {
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        for _ in 0..5 {
            ours.push(page(&filter).1);
            theirs.push(bare(&sql).1);
        }
        ours.sort();
        theirs.sort();
        println!(
            "{:<52} {:>9.2} ms (median of 5); the bare query {:.2} ms ({:.1}x)",
            format!("library, {name}"),
            ms_of(ours[2]),
            ms_of(theirs[2]),
            ours[2].as_secs_f64() / theirs[2].as_secs_f64()
        );
    }
    drop(store);
    let config = tmp.join("none.toml");
    let vetted = |args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_vetted"));
        c.arg("--db").arg(&db).arg("--config").arg(&config).arg("--no-pager").args(args);
        c
    };
    // The time to the 100th line of output (the process is then ended).
    let first_lines = |mut c: Command| {
        use std::io::BufRead;
        let start = Instant::now();
        let mut child = c.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
        let lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines().take(100).count();
        let t = start.elapsed();
        let _ = child.kill();
        let _ = child.wait();
        (lines, t)
    };
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let select = "SELECT d.id, d.decided_at, d.status, p.name, d.reason, d.batch FROM decision d \
         JOIN request r ON r.id = d.request_id JOIN person p ON p.id = r.person_id";
    let cases: [(&str, Vec<&str>, String); 3] = [
        ("vetted log", vec!["log"], format!("{select} ORDER BY d.id DESC LIMIT 500")),
        (
            "vetted log --where 'is:declined reason:selling'",
            vec!["log", "--where", "is:declined reason:selling"],
            format!("{select} WHERE d.status = 'declined' AND d.reason LIKE '%selling%' ORDER BY d.id DESC LIMIT 500"),
        ),
        (
            "vetted log --grep 'Person 99999'",
            vec!["log", "--grep", "Person 99999"],
            format!("{select} WHERE p.name LIKE '%Person 99999%' ORDER BY d.id DESC LIMIT 500"),
        ),
    ];
    for (name, args, sql) in &cases {
        let mut times: Vec<Duration> = (0..3).map(|_| first_lines(vetted(args)).1).collect();
        times.sort();
        let mut bare: Vec<Duration> = (0..3)
            .map(|_| {
                let start = Instant::now();
                let out = Command::new("sqlite3").arg(&db).arg(sql).stdout(Stdio::null()).status();
                assert!(out.is_ok_and(|s| s.success()), "sqlite3 on PATH");
                start.elapsed()
            })
            .collect();
        bare.sort();
        println!(
            "{:<52} {:>9.1} ms to the 100th line (median of 3); sqlite3, the bare query: {:.1} ms ({:.1}x)",
            name,
            ms(times[1]),
            ms(bare[1]),
            times[1].as_secs_f64() / bare[1].as_secs_f64()
        );
    }
    for (name, args) in [("vetted log (whole)", vec!["log"]), ("vetted declined (whole)", vec!["declined"])] {
        let start = Instant::now();
        let out = vetted(&args).stderr(Stdio::null()).output().unwrap();
        let t = start.elapsed();
        assert!(out.status.success());
        let lines = out.stdout.iter().filter(|b| **b == b'\n').count();
        println!("{:<52} {:>9.1} ms, {lines} lines, {:.0} lines/s", name, ms(t), lines as f64 / t.as_secs_f64());
    }
}

fn ms_of(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Runs a command, returning its wall time and peak RSS in MiB.
#[allow(clippy::zombie_processes)] // reaped by wait4, which also gives the peak RSS
fn measure(cmd: &mut Command) -> (Duration, f64) {
    let start = Instant::now();
    let child = cmd.stdout(Stdio::null()).spawn().expect("spawn");
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 on our own child, with valid pointers to locals.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert!(pid > 0 && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "{cmd:?} failed");
    (start.elapsed(), usage.ru_maxrss as f64 / 1024.0)
}

/// The documented backup and its restore through the real binary: `vetted export --format
/// json -o FILE` of the store, then `vetted import FILE` into a new store (its time and peak
/// RSS), and the restored store's own backup compared with the first.
fn backup(tmp: &std::path::Path, rows: usize) {
    let db = std::env::var_os("VETTED_BENCH_DB").map_or_else(|| tmp.join("log.db"), Into::into);
    if !db.exists() {
        let start = Instant::now();
        build(&db, rows, 100);
        println!("built a store of {rows} requests and decisions in {:.1} s", start.elapsed().as_secs_f64());
    }
    let dir = tempfile::tempdir_in(tmp).unwrap();
    let vetted = |db: &std::path::Path, args: &[&std::ffi::OsStr]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_vetted"));
        c.arg("--db").arg(db).arg("--config").arg(dir.path().join("none.toml")).args(args);
        c
    };
    let file = dir.path().join("backup.json");
    let (t, rss) = measure(&mut vetted(
        &db,
        &["export".as_ref(), "--format".as_ref(), "json".as_ref(), "-o".as_ref(), file.as_os_str()],
    ));
    let mib = std::fs::metadata(&file).unwrap().len() as f64 / (1 << 20) as f64;
    println!(
        "{:<52} {:>9.1} s, {mib:.0} MiB written, peak RSS {rss:.0} MiB",
        "vetted export --format json -o",
        t.as_secs_f64()
    );
    let restored = dir.path().join("restored.db");
    let (t, rss) = measure(&mut vetted(&restored, &["import".as_ref(), file.as_os_str()]));
    println!(
        "{:<52} {:>9.1} s ({:.0} requests/s), peak RSS {rss:.0} MiB",
        "vetted import (the backup, into an empty store)",
        t.as_secs_f64(),
        rows as f64 / t.as_secs_f64()
    );
    let again = dir.path().join("again.json");
    measure(&mut vetted(
        &restored,
        &["export".as_ref(), "--format".as_ref(), "json".as_ref(), "-o".as_ref(), again.as_os_str()],
    ));
    let same = std::fs::metadata(&file).unwrap().len() == std::fs::metadata(&again).unwrap().len();
    println!("{:<52} {}", "the restored store's backup", if same { "the same size" } else { "DIFFERS" });
}

/// The median of `times`, and them all in milliseconds (in the order they were taken).
fn median_of(mut times: Vec<Duration>) -> (Duration, Vec<u128>) {
    let all = times.iter().map(|t| t.as_millis()).collect();
    times.sort();
    (times[times.len() / 2], all)
}

/// `sqlite3`'s statements for what `vetted stats` shows, in UTC: as vetted ran them before
/// issue 21 (a scan of the log per day of the week, the latest decisions found twice, the
/// decline reasons by status), and with the plans vetted uses since (the week one range, the
/// latest decisions joined, the reasons in request order).
fn stats_sql(today: jiff::civil::Date) -> (String, String) {
    let latest = "SELECT max(id) FROM decision GROUP BY request_id";
    let kinds = "SELECT CASE WHEN undo THEN 'undone' WHEN status = 'pending' THEN 'reopened' ELSE status END, \
         count(*) FROM decision GROUP BY 1;";
    let day = |back: i64| format!("{}T00:00:00Z", today.checked_sub(jiff::Span::new().days(back)).unwrap());
    let mut old = format!(
        "SELECT status, count(*) FROM request GROUP BY status; {kinds} \
         SELECT substr(decided_at, 1, 7), sum(status = 'accepted'), sum(status = 'declined') FROM decision \
           WHERE id IN ({latest}) AND status IN ('accepted', 'declined') GROUP BY 1; \
         SELECT reason, count(*) FROM decision WHERE id > 0 AND reason <> '' AND reason <> 'deferral due' \
           AND id IN (SELECT max(x.id) FROM decision x JOIN request r ON r.id = x.request_id \
             WHERE r.status = 'declined' AND x.status = 'declined' AND x.undo = 0 GROUP BY x.request_id) GROUP BY reason; \
         SELECT j.key, sum(d.status = 'accepted'), sum(d.status = 'declined') FROM decision d, json_each(d.answers) j \
           WHERE d.id IN ({latest}) AND j.value = 1 GROUP BY j.key ORDER BY j.key;"
    );
    for back in (0..7).rev() {
        old += &format!(
            " SELECT count(*) FROM decision WHERE decided_at >= '{}' AND decided_at < '{}';",
            day(back),
            day(back - 1)
        );
    }
    let joined = "decision d JOIN (SELECT max(id) AS id FROM decision GROUP BY request_id) l ON l.id = d.id";
    let new = format!(
        "SELECT status, count(*) FROM request GROUP BY status; {kinds} \
         SELECT decided_at FROM decision WHERE decided_at >= '{}' AND decided_at < '{}'; \
         SELECT substr(d.decided_at, 1, 7), sum(d.status = 'accepted'), sum(d.status = 'declined') FROM {joined} \
           WHERE d.status IN ('accepted', 'declined') GROUP BY 1; \
         SELECT j.key, sum(d.status = 'accepted'), sum(d.status = 'declined') FROM {joined}, json_each(d.answers) j \
           WHERE j.value = 1 GROUP BY j.key ORDER BY j.key; \
         SELECT d.reason, count(*) FROM request r NOT INDEXED JOIN decision d ON d.id = \
           (SELECT max(x.id) FROM decision x WHERE x.request_id = r.id AND x.status = 'declined' AND x.undo = 0) \
         WHERE r.status = 'declined' AND d.id > 0 AND d.reason <> '' AND d.reason <> 'deferral due' GROUP BY d.reason;",
        day(6),
        day(-1)
    );
    (old, new)
}

/// `vetted backup` against `sqlite3`'s `.backup` of the same file, and `vetted stats --json`
/// against `sqlite3` computing the same numbers; 3 runs each, alternated, medians.
fn snapshot_and_stats(tmp: &std::path::Path, rows: usize) {
    let db = std::env::var_os("VETTED_BENCH_DB").map_or_else(|| tmp.join("log.db"), Into::into);
    if !db.exists() {
        let start = Instant::now();
        build(&db, rows, 0);
        println!("built a store of {rows} decisions in {:.1} s", start.elapsed().as_secs_f64());
    }
    // The copies go beside the store (the same disk), unless VETTED_BENCH_COPY_DIR says.
    let copies = std::env::var_os("VETTED_BENCH_COPY_DIR")
        .map_or_else(|| db.parent().unwrap().to_path_buf(), std::path::PathBuf::from);
    let copy = copies.join("vetted-bench-copy.db");
    let run = |c: &mut Command| {
        let start = Instant::now();
        let status = c.stdout(Stdio::null()).status().unwrap();
        assert!(status.success(), "{c:?}");
        start.elapsed()
    };
    let vetted = |args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_vetted"));
        c.arg("--db").arg(&db).arg("--config").arg(tmp.join("none.toml")).env("TZ", "UTC").args(args);
        c
    };
    let sqlite = |sql: &str| {
        let mut c = Command::new("sqlite3");
        c.arg(&db).arg(sql);
        c
    };
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        let _ = std::fs::remove_file(&copy);
        ours.push(run(&mut vetted(&["backup", copy.to_str().unwrap()])));
        std::fs::remove_file(&copy).unwrap();
        theirs.push(run(&mut sqlite(&format!(".backup '{}'", copy.display()))));
        std::fs::remove_file(&copy).unwrap();
    }
    let size = std::fs::metadata(&db).unwrap().len() as f64 / (1 << 20) as f64;
    let (a, b) = (median_of(ours), median_of(theirs));
    println!(
        "vetted backup ({size:.0} MiB)             {:>8.1} ms (median of 3: {:?}); sqlite3 .backup {:.1} ms ({:?}): {:.2}x",
        ms(a.0),
        a.1,
        ms(b.0),
        b.1,
        a.0.as_secs_f64() / b.0.as_secs_f64()
    );
    let today = jiff::tz::TimeZone::UTC.to_datetime(jiff::Timestamp::now()).date();
    let (old, new) = stats_sql(today);
    let (mut ours, mut old_t, mut new_t) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..3 {
        ours.push(run(&mut vetted(&["stats", "--json"])));
        old_t.push(run(&mut sqlite(&old)));
        new_t.push(run(&mut sqlite(&new)));
    }
    let (a, b, c) = (median_of(ours), median_of(old_t), median_of(new_t));
    println!(
        "vetted stats --json                   {:>8.1} ms (median of 3: {:?}); sqlite3, the same aggregate: \
         {:.1} ms ({:?}) as vetted ran it before, {:.1} ms ({:?}) with vetted's plans since: {:.2}x / {:.2}x",
        ms(a.0),
        a.1,
        ms(b.0),
        b.1,
        ms(c.0),
        c.1,
        a.0.as_secs_f64() / b.0.as_secs_f64(),
        a.0.as_secs_f64() / c.0.as_secs_f64()
    );
}
