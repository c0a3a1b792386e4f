//! Import benchmark: vetted vs `sqlite3 .import` on the same generated Invitations.csv.
//!
//!     cargo bench --bench import                 # 1,000,000 rows
//!     VETTED_BENCH_ROWS=200000 cargo bench --bench import
//!     cargo bench --bench import -- --generate 1000 /tmp/Invitations.csv   # only write a file
//!     cargo bench --bench import -- zips         # zips of 1,000 to 100,000 entries
//!     cargo bench --bench import -- field        # a 480 MB field inside a small zip: peak RSS
//!     cargo bench --bench import -- second       # a second N rows into a store of N
//!
//! `second` imports N rows into an empty store, then N other people's rows into it, and
//! prints both times and their ratio per row (the files and the store are kept in
//! `$VETTED_BENCH_DIR`, default a temp dir, and reused when they are there).
//!
//! It writes an N-row Invitations.csv in LinkedIn's late-2023 format (fictional people),
//! times `sqlite3 db ".import --csv --skip 1 Invitations.csv t"` into a table with the same
//! columns and a UNIQUE profile-URL column, then times the real `vetted import` binary on an
//! empty store and again on the same file (re-import), with its peak RSS from wait4(2).
//!
//! For scale it also times SQLite's own part alone (the "floor"): the same rows, already
//! parsed into a staging database by sqlite3, copied by one `INSERT … SELECT` per table into
//! an empty vetted store, with every index built afterwards, without journal or sync. No
//! parsing, no URL or date work, no per-row statements, no crash safety: less than any
//! importer into this schema can pay.

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const FIRST: &[&str] =
    &["Ada", "Bo", "Chen", "Dara", "Emil", "Fatou", "Goran", "Hana", "Ivo", "Jia", "Kofi", "Lena", "Zoë", "Ørjan"];
const LAST: &[&str] =
    &["Example", "Sample", "Muster", "Probe", "Dummy", "Müller", "Tanaka", "Okafor", "García", "Novak"];
/// Like real exports: many requests without a note, some with LinkedIn's stock sentence, the
/// rest personal (`{n}` makes each one unique).
const MESSAGES: &[&str] = &[
    "",
    "",
    "",
    "I'd like to add you to my professional network.",
    "Hi Sam, we met at meetup #{n} last week — great talk on parsers, \"quoted, commas\" and all!",
    "Hello Sam! Our agency can book a call to grow your business with our services (offer {n}).",
    "Loved your post #{n} about error handling. Would be glad to stay in touch 👋",
    "We both maintain crates in the same space ({n}); happy to compare notes sometime.",
];

/// Writes `rows` INCOMING invitations, each from a different fictional person.
pub fn generate(path: &Path, rows: usize) -> std::io::Result<()> {
    generate_from(path, 0, rows)
}

/// The same, numbered from `from` (rows `from..from + rows`: another export's people).
pub fn generate_from(path: &Path, from: usize, rows: usize) -> std::io::Result<()> {
    let mut w = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    writeln!(w, "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl")?;
    for i in from..from + rows {
        let first = FIRST[i % FIRST.len()];
        let last = LAST[(i / FIRST.len()) % LAST.len()];
        let message = MESSAGES[(i * 7 + i / 3) % MESSAGES.len()].replace("{n}", &i.to_string());
        let message = if message.is_empty() { String::new() } else { format!("\"{}\"", message.replace('"', "\"\"")) };
        let (month, day) = (1 + (i / 28) % 12, 1 + i % 28);
        let (hour, minute) = (1 + (i / 7) % 12, i % 60);
        let half = if i % 2 == 0 { "AM" } else { "PM" };
        writeln!(
            w,
            "{first} {last},Sam Reviewer,\"{month}/{day}/{yy}, {hour}:{minute:02} {half}\",{message},INCOMING,\
             https://www.linkedin.com/in/{slug}-{i:x},https://www.linkedin.com/in/sam-reviewer",
            yy = 24 + (i / 336) % 3,
            slug = format!("{first}-{last}").to_lowercase(),
        )?;
    }
    w.flush()
}

/// Runs a command, returning its wall time and peak RSS in KiB.
#[allow(clippy::zombie_processes)] // reaped by wait4, which also gives the peak RSS
fn measure(cmd: &mut Command) -> (Duration, i64) {
    let start = Instant::now();
    let child = cmd.stdout(std::process::Stdio::null()).spawn().expect("spawn");
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 on our own child, with valid pointers to locals.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    let elapsed = start.elapsed();
    assert!(pid > 0 && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "{cmd:?} failed");
    (elapsed, usage.ru_maxrss)
}

/// As [`measure`], for a command that may fail: also whether it succeeded.
#[allow(clippy::zombie_processes)] // reaped by wait4
fn measure_any(cmd: &mut Command) -> (Duration, i64, bool) {
    let start = Instant::now();
    let child = cmd.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn().expect("spawn");
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 on our own child, with valid pointers to locals.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert!(pid > 0);
    (start.elapsed(), usage.ru_maxrss, libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0)
}

/// `vetted import` of zips holding `n` entries (an Invitations.csv and small CSV files that
/// are not LinkedIn's): linear up to the 10,000-entry cap, refused at once beyond it.
fn zips(dir: &Path) {
    for n in [1_000usize, 5_000, 10_000, 100_000] {
        let path = dir.join(format!("entries-{n}.zip"));
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for i in 0..n - 1 {
            zip.start_file(format!("extra/f{i:06}.csv"), stored).unwrap();
            zip.write_all(b"a,b\n1,2\n").unwrap();
        }
        zip.start_file("Invitations.csv", stored).unwrap();
        zip.write_all(b"From,To,Sent At,Message,Direction\nAda Quill,Me,\"8/26/22, 8:56 PM\",,INCOMING\n").unwrap();
        zip.finish().unwrap();
        let db = dir.join(format!("zips-{n}.db"));
        let (t, rss, ok) = measure_any(
            Command::new(env!("CARGO_BIN_EXE_vetted"))
                .arg("--db")
                .arg(&db)
                .arg("--config")
                .arg(dir.join("none.toml"))
                .arg("import")
                .arg(&path),
        );
        println!(
            "zip of {n:>7} entries: {:>8.1} ms  peak RSS {:>4.0} MiB  {}",
            t.as_secs_f64() * 1e3,
            rss as f64 / 1024.0,
            if ok { "imported" } else { "refused" }
        );
    }
}

/// An Invitations.csv whose second row holds a 480 MB message, deflated into a small zip.
fn field(dir: &Path) {
    let path = dir.join("field.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    zip.start_file("Invitations.csv", zip::write::SimpleFileOptions::default()).unwrap();
    zip.write_all(b"From,To,Sent At,Message,Direction\nAda Quill,Me,\"8/26/22, 8:56 PM\",,INCOMING\n").unwrap();
    zip.write_all(b"Bo Lantern,Me,\"8/27/22, 9:10 AM\",\"").unwrap();
    let chunk = vec![b'x'; 1 << 20];
    for _ in 0..480 {
        zip.write_all(&chunk).unwrap();
    }
    zip.write_all(b"\",INCOMING\n").unwrap();
    zip.finish().unwrap();
    let kib = std::fs::metadata(&path).unwrap().len() / 1024;
    let (t, rss, ok) = measure_any(
        Command::new(env!("CARGO_BIN_EXE_vetted"))
            .arg("--db")
            .arg(dir.join("field.db"))
            .arg("--config")
            .arg(dir.join("none.toml"))
            .arg("import")
            .arg(&path),
    );
    println!(
        "a 480 MB field in a {kib} KiB zip: {:.2} s, peak RSS {:.0} MiB, {}",
        t.as_secs_f64(),
        rss as f64 / 1024.0,
        if ok { "imported" } else { "refused" }
    );
}

/// SQLite's own cost of storing the rows in vetted's tables (see the module comment).
fn floor(dir: &Path, csv: &Path) -> Duration {
    let stage = dir.join("stage.db");
    let ok = Command::new("sqlite3")
        .arg(&stage)
        .arg(
            "CREATE TABLE t (\"From\" TEXT, \"To\" TEXT, \"Sent At\" TEXT, Message TEXT, Direction TEXT, \
             inviterProfileUrl TEXT, inviteeProfileUrl TEXT);",
        )
        .arg(format!(".import --csv --skip 1 {} t", csv.display()))
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "sqlite3 staging import failed");
    let db = dir.join("floor.db");
    let status = Command::new(env!("CARGO_BIN_EXE_vetted"))
        .arg("--db")
        .arg(&db)
        .arg("--config")
        .arg(dir.join("none.toml"))
        .arg("list")
        .stdout(std::process::Stdio::null())
        .status()
        .expect("vetted list");
    assert!(status.success(), "creating an empty store failed");
    let conn = rusqlite::Connection::open(&db).expect("open the floor store");
    let indexes: Vec<(String, String)> = conn
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name IN ('person', 'request') AND sql NOT NULL")
        .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
        .expect("index sql");
    let drops: String = indexes.iter().map(|(name, _)| format!("DROP INDEX {name};")).collect();
    let creates: String = indexes.iter().map(|(_, sql)| format!("{sql};")).collect();
    let start = Instant::now();
    // As generous as it gets: no journal, no sync, a big cache, every index built at the end.
    conn.execute_batch(&format!(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536;
         ATTACH '{stage}' AS s;
         BEGIN;
         {drops}
         INSERT INTO person (id, key, name, profile_url) SELECT rowid, inviterProfileUrl, \"From\", inviterProfileUrl FROM s.t;
         INSERT INTO request (person_id, source, sent_at, sent_at_raw, message, status, added_at)
           SELECT rowid, 'linkedin', \"Sent At\", \"Sent At\", Message, 'pending', '2026-11-25T00:00:00Z' FROM s.t;
         {creates}
         COMMIT;",
        stage = stage.display(),
    ))
    .expect("floor copy");
    start.elapsed()
}

/// A second N rows imported into a store of N: both times, and the second's cost per row
/// against the first's.
fn second() {
    let rows: usize = std::env::var("VETTED_BENCH_ROWS").ok().and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = std::env::var_os("VETTED_BENCH_DIR").map_or_else(|| tmp.path().to_path_buf(), std::path::PathBuf::from);
    let (first_csv, second_csv) = (dir.join(format!("first-{rows}.csv")), dir.join(format!("second-{rows}.csv")));
    for (csv, from) in [(&first_csv, 0), (&second_csv, rows)] {
        if !csv.exists() {
            generate_from(csv, from, rows).expect("generate");
        }
    }
    let db = dir.join(format!("second-{rows}.db"));
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let import = |csv: &Path| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_vetted"));
        c.arg("--db").arg(&db).arg("--config").arg(dir.join("none.toml")).arg("import").arg(csv);
        measure(&mut c)
    };
    let (first, rss1) = import(&first_csv);
    println!(
        "first {rows} into an empty store:  {:>7.2} s  peak RSS {:.0} MiB",
        first.as_secs_f64(),
        rss1 as f64 / 1024.0
    );
    let (second, rss2) = import(&second_csv);
    println!(
        "second {rows} into that store:     {:>7.2} s  peak RSS {:.0} MiB",
        second.as_secs_f64(),
        rss2 as f64 / 1024.0
    );
    println!("second / first, per row:          {:.2} (target ≈ 1)", second.as_secs_f64() / first.as_secs_f64());
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--generate") {
        let rows: usize = args[i + 1].parse().expect("--generate N PATH");
        generate(Path::new(&args[i + 2]), rows).expect("write");
        return;
    }
    if args.iter().any(|a| a == "--list") {
        return; // `cargo bench -- --list` asks which benchmarks exist
    }
    if args.iter().skip(1).any(|a| a == "second") {
        second();
        return;
    }
    if args.iter().skip(1).any(|a| a == "zips" || a == "field") {
        let tmp = tempfile::tempdir().expect("tempdir");
        if args.iter().any(|a| a == "zips") {
            zips(tmp.path());
        }
        if args.iter().any(|a| a == "field") {
            field(tmp.path());
        }
        return;
    }
    let rows: usize = std::env::var("VETTED_BENCH_ROWS").ok().and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let tmp = tempfile::tempdir().expect("tempdir");
    let csv = tmp.path().join("Invitations.csv");
    generate(&csv, rows).expect("generate");
    let mib = std::fs::metadata(&csv).unwrap().len() as f64 / (1 << 20) as f64;
    println!("rows: {rows} ({mib:.0} MiB Invitations.csv)");

    let sqlite_db = tmp.path().join("sqlite3.db");
    let sqlite = Command::new("sqlite3")
        .arg(&sqlite_db)
        .arg(
            "CREATE TABLE t (\"From\" TEXT, \"To\" TEXT, \"Sent At\" TEXT, Message TEXT, Direction TEXT, \
             inviterProfileUrl TEXT UNIQUE, inviteeProfileUrl TEXT);",
        )
        .status();
    let sqlite_time = match sqlite {
        Ok(s) if s.success() => {
            let (t, _) = measure(
                Command::new("sqlite3").arg(&sqlite_db).arg(format!(".import --csv --skip 1 {} t", csv.display())),
            );
            println!("sqlite3 .import:      {:>7.2} s  {:>9.0} rows/s", t.as_secs_f64(), rows as f64 / t.as_secs_f64());
            Some(t)
        }
        _ => {
            println!("sqlite3 not found: install it (apt-get install sqlite3) for the comparison");
            None
        }
    };

    let db = tmp.path().join("vetted.db");
    let vetted = || {
        let mut c = Command::new(env!("CARGO_BIN_EXE_vetted"));
        c.arg("--db").arg(&db).arg("--config").arg(tmp.path().join("none.toml")).arg("import").arg(&csv);
        c
    };
    let (first, rss) = measure(&mut vetted());
    println!(
        "vetted import:        {:>7.2} s  {:>9.0} rows/s  peak RSS {:.0} MiB",
        first.as_secs_f64(),
        rows as f64 / first.as_secs_f64(),
        rss as f64 / 1024.0
    );
    let (again, rss2) = measure(&mut vetted());
    println!(
        "vetted re-import:     {:>7.2} s  {:>9.0} rows/s  peak RSS {:.0} MiB",
        again.as_secs_f64(),
        rows as f64 / again.as_secs_f64(),
        rss2 as f64 / 1024.0
    );
    if let Some(s) = sqlite_time {
        println!("speed-up vs sqlite3:  {:.2}x (target ≥ 2.5x)", s.as_secs_f64() / first.as_secs_f64());
        let floor = floor(tmp.path(), &csv);
        println!(
            "SQLite floor:         {:>7.2} s  {:>9.0} rows/s  (best possible speed-up {:.2}x)",
            floor.as_secs_f64(),
            rows as f64 / floor.as_secs_f64(),
            s.as_secs_f64() / floor.as_secs_f64()
        );
    }
    println!("re-import / import:   {:.2} (target ≤ 1.0)", again.as_secs_f64() / first.as_secs_f64());
}
