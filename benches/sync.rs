//! Sync benchmark (issue 23), through the real binary on stores built row by row:
//!
//!     cargo bench --bench sync                          # 1,000,000 requests, 100,000 decisions
//!     VETTED_BENCH_ROWS=100000 cargo bench --bench sync # a smaller store (decisions: a tenth)
//!     VETTED_BENCH_DIR=/some/dir cargo bench --bench sync  # keeps the first device and its
//!                                                          # folder there; a next run only joins
//!
//! Prints: a month's work (300 decisions) synced, written on one device and applied on the
//! other (target under 1 s each); a new device joining the big store (`vetted sync join`,
//! target under a minute) and its peak memory (from /usr/bin/time, when there is one); the
//! folder's size against the store's file (target within 2×).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;
use vetted::model::{Answers, Verdict};
use vetted::store::Store;

/// `rows` requests (one person each), the first tenth decided.
fn build(path: &Path, rows: usize) {
    let store = Store::open(path).expect("store");
    let tx = store.raw_for_tests().unchecked_transaction().expect("tx");
    {
        let mut person = tx.prepare("INSERT INTO person (id, key, name, headline) VALUES (?1, ?2, ?3, ?4)").unwrap();
        let mut request = tx
            .prepare(
                "INSERT INTO request (id, person_id, source, sent_at, sent_at_raw, message, status, added_at) \
                 VALUES (?1, ?1, 'linkedin', ?2, ?2, ?3, ?4, ?2)",
            )
            .unwrap();
        let mut decision = tx
            .prepare(
                "INSERT INTO decision (id, request_id, status, reason, answers, decided_at) VALUES (?1, ?1, ?2, ?3, ?4, ?5)",
            )
            .unwrap();
        for i in 1..=rows as i64 {
            let decided = i as usize <= rows / 10;
            let status = if decided { ["declined", "accepted"][i as usize % 2] } else { "pending" };
            let at =
                format!("2026-{:02}-{:02}T{:02}:{:02}:{:02}Z", 1 + i % 11, 1 + i % 28, i % 24, i % 60, i / 60 % 60);
            let key = format!("https://www.linkedin.com/in/made-up-{i:x}");
            person.execute(rusqlite::params![i, key, format!("Made-up Person {i}"), "Engineer"]).unwrap();
            request.execute(rusqlite::params![i, at, format!("A fictional hello, number {i}"), status]).unwrap();
            if decided {
                decision.execute(rusqlite::params![i, status, "a made-up reason", r#"{"selling":false}"#, at]).unwrap();
            }
        }
    }
    tx.commit().unwrap();
}

/// `program` (vetted, or a timer around it) with the store and config of `home`.
fn in_home(program: &str, home: &Path) -> Command {
    let mut c = Command::new(program);
    c.env_clear()
        .env("HOME", home)
        .env("VETTED_DB", home.join("v.db"))
        .env("VETTED_CONFIG", home.join("config.toml"))
        .stdin(Stdio::null());
    c
}

fn vetted(home: &Path, args: &[&str]) -> std::process::Output {
    let out = in_home(env!("CARGO_BIN_EXE_vetted"), home).args(args).output().unwrap();
    assert!(out.status.success(), "vetted {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

/// Runs `vetted` under /usr/bin/time when there is one: seconds and peak memory (KiB).
fn timed(home: &Path, args: &[&str]) -> (f64, Option<u64>) {
    let start = Instant::now();
    if Path::new("/usr/bin/time").exists() {
        let out = in_home("/usr/bin/time", home)
            .args(["-f", "%M"])
            .arg(env!("CARGO_BIN_EXE_vetted"))
            .args(args)
            .stdout(Stdio::null())
            .output()
            .unwrap();
        assert!(out.status.success(), "vetted {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        let secs = start.elapsed().as_secs_f64();
        let rss = String::from_utf8_lossy(&out.stderr).lines().last().and_then(|l| l.trim().parse().ok());
        return (secs, rss);
    }
    vetted(home, args);
    (start.elapsed().as_secs_f64(), None)
}

fn size_of(dir: &Path) -> u64 {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .flatten()
            .map(|e| if e.path().is_dir() { size_of(&e.path()) } else { e.metadata().map_or(0, |m| m.len()) })
            .sum()
    })
}

fn month(tmp: &Path) {
    let dir = tmp.join("month-sync");
    let (a, b) = (tmp.join("month-a"), tmp.join("month-b"));
    for d in [&dir, &a, &b] {
        std::fs::create_dir_all(d).unwrap();
    }
    build(&a.join("v.db"), 3_000);
    vetted(&a, &["sync", "init", dir.to_str().unwrap(), "--name", "laptop"]);
    let key = a.join("sync.key");
    vetted(&b, &["sync", "join", dir.to_str().unwrap(), "--name", "desktop", "--key-file", key.to_str().unwrap()]);
    let mut store = Store::open(&a.join("v.db")).unwrap();
    for id in 301..=600 {
        store.decide(id, Verdict::Accept, "a made-up reason", &Answers::new()).unwrap();
    }
    drop(store);
    let (write, _) = timed(&a, &["sync"]);
    let (apply, _) = timed(&b, &["sync"]);
    println!(
        "a month's work (300 decisions): written by vetted sync in {:.0} ms, applied in {:.0} ms",
        write * 1e3,
        apply * 1e3
    );
}

/// `tmp`: where the stores and the folder are made; a first device that synced already there
/// (`VETTED_BENCH_DIR`, a run before) is reused, and only the join measured again.
fn join(tmp: &Path, rows: usize) {
    let dir = tmp.join("join-sync");
    let (a, b) = (tmp.join("join-a"), tmp.join("join-b"));
    let _ = std::fs::remove_dir_all(&b);
    let made_for = std::fs::read_to_string(a.join("rows")).ok().and_then(|s| s.trim().parse::<usize>().ok());
    let reused = a.join("sync.key").exists() && made_for == Some(rows);
    for d in [&dir, &a, &b] {
        std::fs::create_dir_all(d).unwrap();
    }
    let kib = |r: Option<u64>| r.map_or_else(|| "unknown".into(), |k| format!("{} MiB", k / 1024));
    let store_bytes = if reused {
        println!("reusing the store of {rows} requests and its folder in {}", tmp.display());
        std::fs::read_to_string(a.join("bytes")).ok().and_then(|s| s.trim().parse().ok()).unwrap_or(0)
    } else {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for f in ["v.db", "v.db-wal", "v.db-shm", "sync.key", "rows"] {
            let _ = std::fs::remove_file(a.join(f));
        }
        let start = Instant::now();
        build(&a.join("v.db"), rows);
        println!(
            "built a store of {rows} requests and {} decisions in {:.1} s",
            rows / 10,
            start.elapsed().as_secs_f64()
        );
        let store_bytes = std::fs::metadata(a.join("v.db")).unwrap().len();
        let (init, init_rss) = timed(&a, &["sync", "init", dir.to_str().unwrap(), "--name", "laptop"]);
        println!("vetted sync init (the store recorded and written): {init:.1} s, peak memory {}", kib(init_rss));
        std::fs::write(a.join("bytes"), store_bytes.to_string()).unwrap();
        std::fs::write(a.join("rows"), rows.to_string()).unwrap();
        store_bytes
    };
    let key = a.join("sync.key");
    let args = ["sync", "join", dir.to_str().unwrap(), "--name", "desktop", "--key-file", key.to_str().unwrap()];
    let (joined, join_rss) = timed(&b, &args);
    println!("vetted sync join (every segment applied): {joined:.1} s, peak memory {}", kib(join_rss));
    let folder_bytes = size_of(&dir);
    println!(
        "the folder: {:.1} MiB for a store of {:.1} MiB before it synced ({:.2}×)",
        folder_bytes as f64 / 1048576.0,
        store_bytes as f64 / 1048576.0,
        folder_bytes as f64 / store_bytes as f64
    );
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let rows: usize = std::env::var("VETTED_BENCH_ROWS").ok().and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let tmp = tempfile::tempdir().unwrap();
    month(tmp.path());
    let kept = std::env::var_os("VETTED_BENCH_DIR").map(std::path::PathBuf::from);
    join(kept.as_deref().unwrap_or(tmp.path()), rows);
}
