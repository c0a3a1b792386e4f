//! What a first-time user meets outside the app: help on every option, the man page, the
//! version, colour, JSON from every read command, standard input and output as files, and a
//! clear word when there is no terminal.

use serde_json::Value;
use std::io::Read;
use std::path::Path;
use std::process::Stdio;

mod common;
use common::env::Env;

fn export_folder() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/quirks/export-2024").display().to_string()
}

#[test]
fn every_option_of_every_subcommand_has_a_help_line() {
    fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for arg in cmd.get_arguments() {
            if arg.get_help().is_none() && !["help", "version"].contains(&arg.get_id().as_str()) {
                missing.push(format!("{path} {}", arg.get_id()));
            }
        }
        for sub in cmd.get_subcommands() {
            if sub.get_about().is_none() {
                missing.push(format!("{path} {} (no about)", sub.get_name()));
            }
            walk(sub, &format!("{path} {}", sub.get_name()), missing);
        }
    }
    let mut cmd = vetted::cli::command();
    cmd.build();
    let mut missing = Vec::new();
    walk(&cmd, "vetted", &mut missing);
    assert!(missing.is_empty(), "no help line: {missing:#?}");
    let decide = Env::new().ok(&["decide", "--help"]);
    for key in vetted::checklist::Checklist::builtin().items.iter().map(|i| i.key.as_str()) {
        assert!(decide.contains(key), "decide --help lists {key}");
    }
    assert!(Env::new().ok(&["--help"]).contains("Global options:"));
}

#[test]
fn the_man_page_and_the_version() {
    let env = Env::new();
    let page = env.ok(&["man"]);
    assert!(page.starts_with(".ie") || page.contains(".TH vetted"), "{}", &page[..200.min(page.len())]);
    assert!(page.contains("decide") && page.contains("import"), "the subcommands are listed");
    assert!(env.ok(&["man", "decide"]).contains(".TH vetted-decide"));
    let out = env.cmd().args(["man", "nonsense"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let dir = env.tmp.path().join("man1");
    env.ok(&["man", "--out-dir", dir.to_str().unwrap()]);
    for page in ["vetted.1", "vetted-decide.1", "vetted-import.1", "vetted-config-path.1"] {
        assert!(dir.join(page).exists(), "{page}");
    }
    let version = env.ok(&["--version"]);
    assert!(version.starts_with(&format!("vetted {}", env!("CARGO_PKG_VERSION"))), "{version}");
    if std::process::Command::new("git").args(["rev-parse", "HEAD"]).output().is_ok_and(|o| o.status.success()) {
        assert!(version.contains("(commit "), "built from a checkout: {version}");
    }
}

#[test]
fn colour_follows_the_flag_no_color_and_clicolor_force() {
    let env = Env::new();
    env.ok(&["import", &export_folder()]);
    let esc = |args: &[&str], vars: &[(&str, &str)]| {
        let mut c = env.cmd();
        for (k, v) in vars {
            c.env(k, v);
        }
        let out = c.args(args).output().unwrap();
        String::from_utf8(out.stdout).unwrap().contains("\x1b[")
    };
    let list: &[&str] = &["list", "--status", "all"];
    assert!(!esc(list, &[]), "a pipe gets no colour");
    assert!(esc(&["--color", "always", "list", "--status", "all"], &[]));
    assert!(esc(list, &[("CLICOLOR_FORCE", "1")]));
    assert!(!esc(list, &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]));
    assert!(!esc(&["--color", "always", "list", "--json"], &[]), "JSON is never coloured");
    assert!(!esc(&["--color", "never", "list", "--status", "all"], &[("CLICOLOR_FORCE", "1")]));
}

#[test]
fn every_read_command_speaks_json() {
    let env = Env::new();
    env.ok(&["import", &export_folder()]);
    let id = env.json(&["list", "--json"])[0]["id"].to_string();
    env.ok(&["decide", &id, "--defer", "--until", "2099-01-02"]);
    for args in [
        &["list", "--json"][..],
        &["list", "--status", "all", "--json"],
        &["log", "--json"],
        &["declined", "--json"],
        &["stats", "--json"],
        &["todo", "--json"],
        &["config", "path", "--json"],
    ] {
        env.json(args);
    }
    assert!(env.ok(&["list", "--status", "deferred"]).contains("(back 2099-01-0"), "what comes back when");
    assert!(env.ok(&["log"]).contains("(until 2099-01-0"));
    let deferred = env.json(&["list", "--status", "deferred", "--json"]);
    assert_eq!(deferred[0]["defer_until"], "2099-01-02T00:00:00Z");
    assert_eq!(env.json(&["log", "--json"])[0]["defer_until"], "2099-01-02T00:00:00Z");
    // doctor says "problem" (exit 1) of a temporary folder's mode: JSON either way.
    let out = env.cmd().args(["doctor", "--json"]).output().unwrap();
    let doctor: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doctor["ok"] == true, out.status.success(), "{doctor}");
    assert!(doctor["checks"].as_array().unwrap().iter().all(|c| c["name"].is_string() && c["ok"].is_boolean()));
    let paths = env.json(&["config", "path", "--json"]);
    assert_eq!(paths["database"]["exists"], true);
    assert_eq!(paths["config"]["exists"], false);
}

#[test]
fn standard_input_and_output_stand_in_for_files() {
    let env = Env::new();
    let csv = std::fs::read(Path::new(&export_folder()).join("Invitations.csv")).unwrap();
    let out = env.run_with_input(&["import", "-"], &csv);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(report.starts_with("Imported - (LinkedIn Invitations.csv)"), "{report}");
    assert!(report.contains("5 new invitations from 4 people") && report.contains("Next: 4 pending"), "{report}");
    assert_eq!(env.json(&["list", "--json"]).as_array().unwrap().len(), 4);
    let out = env.run_with_input(&["import", "-"], b"not an export\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("standard input: not a file vetted can import"));
    let csv = env.ok(&["export", "--format", "csv", "-o", "-"]);
    assert!(csv.starts_with("decision_id,") || csv.lines().count() >= 1, "{csv}");
    assert!(!env.tmp.path().join("-").exists(), "`-` is standard output, not a file");
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let env = Env::new();
    for args in [&["completions", "bash"][..], &["man"]] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_vetted"))
            .args(args)
            .env("VETTED_DB", env.tmp.path().join("v.db"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 10];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap(); // then the pipe closes
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
}

#[test]
fn the_app_without_a_terminal_says_what_to_do() {
    let env = Env::new();
    for args in [&[][..], &["demo"]] {
        let out = env.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("the review app needs a terminal") && err.contains("`vetted list`"), "{err}");
        assert!(out.stdout.is_empty(), "nothing drawn into a pipe");
    }
}

#[test]
fn times_are_shown_where_the_user_lives() {
    let env = Env::new();
    // Sent at 22:00 in Los Angeles on the 21st: already the 22nd in Tokyo.
    env.ok(&["add", "--name", "Ada Example", "--sent-at", "2026-11-22T06:00:00Z"]);
    env.ok(&["decide", "1", "--accept", "--reason", "met her"]);
    let in_zone = |tz: &str, args: &[&str]| {
        let out = env.cmd().env("TZ", tz).args(args).output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(in_zone("America/Los_Angeles", &["list", "--status", "all"]).contains("2026-11-21"));
    assert!(in_zone("Asia/Tokyo", &["list", "--status", "all"]).contains("2026-11-22"));
    let log = in_zone("Asia/Tokyo", &["log"]);
    assert!(log.contains(" JST "), "the zone is named beside a time of day: {log}");
    let json = in_zone("Asia/Tokyo", &["list", "--status", "all", "--json"]);
    assert!(json.contains("\"sent_at\":\"2026-11-22T06:00:00Z\""), "JSON stays UTC: {json}");
    // `--since` a day means that day where the user is.
    let since = |tz: &str, day: &str| in_zone(tz, &["log", "--json", "--since", day]).trim().len() > 2;
    let today = env.json(&["log", "--json"])[0]["decided_at"].as_str().unwrap()[..10].to_string();
    assert!(since("UTC", &today));
}

#[test]
fn the_import_report_counts_in_words_one_request_and_several() {
    let env = Env::new();
    for (rows, said) in [(1, "        1 new request\n"), (2, "        2 new requests\n")] {
        let csv = env.path(&format!("{rows}/Invitations.csv"));
        std::fs::create_dir_all(csv.parent().unwrap()).unwrap();
        common::env::invitations(&csv, rows);
        let text =
            env.ok(&["--db", env.path(&format!("{rows}.db")).to_str().unwrap(), "import", csv.to_str().unwrap()]);
        assert!(text.contains(said), "{text}");
    }
}
