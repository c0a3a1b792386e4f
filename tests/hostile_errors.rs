//! Every error path the command line can reach, fed escape-laden input (file and folder
//! names, zip entry names, JSON and TOML field names, profile URLs, dates, ids, names): no
//! raw control character (other than a line break or a tab) and no bidi control may reach
//! standard output or standard error. A sweep of every path with fixed payloads, then a
//! proptest of random ones (`VETTED_HOSTILE_CASES`, default 48, a few seconds).

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::io::Write;
use std::process::Output;

mod common;
use common::env::Env;

const PAYLOADS: [&str; 6] =
    ["\u{1b}]0;PWNED\u{7}", "\u{1b}[2J", "\u{9b}31m", "\u{202e}gpj.exe", "\u{2066}\u{200f}x\u{2069}", "a\rb\u{0}\u{8}"];

/// A character that must never reach a terminal raw.
fn raw(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// As a file name: no `/`, no NUL (neither can be in one), never empty.
fn file_name(text: &str) -> String {
    format!("f{}", text.replace(['/', '\0'], "_"))
}

/// As an argument: no NUL (no process can be given one).
fn arg(text: &str) -> String {
    text.replace('\0', "_")
}

fn zip_with_entry(env: &Env, text: &str) -> String {
    let path = env.path("export.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file(format!("{}/Invitations.csv", file_name(text)), options).unwrap();
    zip.write_all(format!("From,To,Sent At\n{text},x,not a date {text}\n").as_bytes()).unwrap();
    zip.finish().unwrap();
    path.display().to_string()
}

fn written(env: &Env, name: &str, contents: &str) -> String {
    let path = env.path(name);
    std::fs::write(&path, contents).unwrap();
    path.display().to_string()
}

/// Each error path: runs the binary on `text` and returns what it printed.
const PATHS: [fn(&Env, &str) -> Output; 14] = [
    |env, t| env.run(&["import", &env.path(&file_name(t)).display().to_string()]),
    |env, t| {
        let dir = env.path(&file_name(t));
        let _ = std::fs::create_dir(&dir);
        env.run(&["--db", &dir.display().to_string(), "list"])
    },
    |env, t| env.run(&["--db", &env.path(&file_name(t)).join("x/v.db").display().to_string(), "doctor"]),
    |env, t| env.run(&["--config", &env.path(&file_name(t)).display().to_string(), "list"]),
    |env, t| env.run(&["log", "--person", &format!("https://www.linkedin.com/in/{}", arg(t))]),
    |env, t| env.run(&["forget", &format!("https://www.linkedin.com/in/{}", arg(t)), "--yes"]),
    |env, t| env.run(&["log", "--since", &arg(t)]),
    |env, t| env.run(&["decide", &arg(t), "--accept"]),
    |env, t| env.run(&["decide", "1", "--defer", "--until", &format!("2099-01-01{}", arg(t))]),
    |env, t| env.run(&["import", &zip_with_entry(env, t)]),
    |env, t| {
        let backup = serde_json::json!({ "vetted_backup": 1, t: [] }).to_string();
        env.run(&[
            "--db",
            &env.path("none.db").display().to_string(),
            "import",
            "--dry-run",
            &written(env, "b.json", &backup),
        ])
    },
    |env, t| {
        let config = toml::to_string(&toml::Table::from_iter([(t.to_string(), toml::Value::Integer(1))])).unwrap();
        env.run(&["--config", &written(env, "config.toml", &config), "list"])
    },
    |env, t| env.run(&["backup", &env.path(&file_name(t)).join("none/copy.db").display().to_string()]),
    |env, t| {
        env.run(&["export", "--format", "csv", "-o", &env.path(&file_name(t)).join("none/e.csv").display().to_string()])
    },
];

fn check(env: &Env, path: usize, text: &str) -> Output {
    let out = PATHS[path](env, text);
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let shown = String::from_utf8(bytes.clone()).unwrap_or_else(|e| panic!("path {path}: {stream} not UTF-8: {e}"));
        let bad: Vec<char> = shown.chars().filter(|&c| raw(c)).collect();
        assert!(bad.is_empty(), "path {path} on {text:?}: raw {bad:?} on {stream}: {shown:?}");
    }
    out
}

fn env_with_a_hostile_person() -> Env {
    let env = Env::new();
    env.ok(&["add", "--name", "\u{1b}]0;PWNED\u{7} Example", "--url", "https://www.linkedin.com/in/pwned"]);
    env
}

#[test]
fn every_error_path_shows_fixed_escape_payloads_as_stand_ins() {
    let env = env_with_a_hostile_person();
    for path in 0..PATHS.len() {
        for text in PAYLOADS {
            let out = check(&env, path, text);
            assert!(!out.status.success(), "path {path} on {text:?} should have failed");
        }
    }
    // The one refusal that quotes a stored name.
    let out = env.run(&["forget", "https://www.linkedin.com/in/pwned"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&out.stderr).chars().any(raw), "{:?}", out.stderr);
}

fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        proptest::sample::select(PAYLOADS.to_vec()).prop_map(str::to_string),
        "[a-z%.:?#&=]{0,4}",
        proptest::char::range('\u{0}', '\u{a0}').prop_map(String::from),
        proptest::char::range('\u{2000}', '\u{2070}').prop_map(String::from),
        any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 1..6).prop_map(|v| v.concat())
}

#[test]
fn every_error_path_shows_random_escape_laden_input_as_stand_ins() {
    let env = env_with_a_hostile_person();
    let cases = std::env::var("VETTED_HOSTILE_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(48);
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    runner
        .run(&(0..PATHS.len(), hostile()), |(path, text)| {
            check(&env, path, &text);
            Ok(())
        })
        .unwrap();
}
