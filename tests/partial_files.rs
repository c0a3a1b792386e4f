//! A signal while `export -o` or `backup` writes (issue 20, item 4): the temporary file beside
//! the target holds names, messages and notes, and must not outlive the command. SIGTERM,
//! SIGINT or SIGHUP removes it and ends the command with 128 + N; a leftover of a harder death
//! (`kill -9`) is removed by the next such command in that folder. All people are fictional.

use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::env::{Env, invitations};

fn partials(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with(".vetted-partial-"))
        .collect()
}

/// Starts `args`, waits for its temporary file to appear in `dir`, and sends `sig`.
/// `None` when the command finished before the file could be seen.
fn signal_while_writing(env: &Env, args: &[&str], dir: &Path, sig: i32) -> Option<std::process::ExitStatus> {
    let mut child: Child = env.cmd().args(args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let start = Instant::now();
    loop {
        if partials(dir).len() == 1 {
            // SAFETY: kill(2) on our own child.
            assert_eq!(unsafe { libc::kill(child.id() as i32, sig) }, 0);
            return Some(child.wait().unwrap());
        }
        if child.try_wait().unwrap().is_some() {
            return None;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "{args:?} never started writing");
        std::thread::yield_now();
    }
}

#[test]
fn a_signal_while_a_file_is_written_removes_its_temporary_file() {
    let env = Env::new();
    let csv = env.path("Invitations.csv");
    invitations(&csv, 60_000);
    env.ok(&["import", csv.to_str().unwrap()]);
    let out = env.path("out");
    std::fs::create_dir(&out).unwrap();
    let (json, db) = (out.join("backup.json"), out.join("copy.db"));
    let mut landed = 0;
    for (args, sig) in [
        (vec!["export", "--format", "json", "-o", json.to_str().unwrap()], libc::SIGTERM),
        (vec!["export", "--format", "json", "-o", json.to_str().unwrap()], libc::SIGINT),
        (vec!["export", "--format", "json", "-o", json.to_str().unwrap()], libc::SIGHUP),
        (vec!["backup", db.to_str().unwrap()], libc::SIGTERM),
    ] {
        if let Some(status) = signal_while_writing(&env, &args, &out, sig) {
            landed += 1;
            assert_eq!(status.code(), Some(128 + sig), "{args:?}");
            assert!(!json.exists() && !db.exists(), "{args:?}: no target");
        }
        assert_eq!(partials(&out), Vec::<String>::new(), "{args:?}: a temporary file left behind");
    }
    eprintln!("{landed} of 4 signals landed while a file was written");
    assert!(landed >= 2, "only {landed} signals landed while a file was written");
}

#[test]
fn the_next_export_removes_what_a_killed_one_left() {
    let env = Env::new();
    env.ok(&["add", "--name", "Ada Example", "--note", "private words"]);
    let out = env.path("out");
    std::fs::create_dir(&out).unwrap();
    let mut done = std::process::Command::new("true").spawn().unwrap();
    let dead = done.id();
    done.wait().unwrap();
    let leftover = out.join(format!(".vetted-partial-{dead}-x1y2z3"));
    std::fs::write(&leftover, "Ada Example, private words").unwrap();
    env.ok(&["export", "--format", "csv", "-o", out.join("log.csv").to_str().unwrap()]);
    assert!(!leftover.exists());
    assert_eq!(partials(&out), Vec::<String>::new());
}
