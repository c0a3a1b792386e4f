//! What the command line says is true: stats that add up, batch numbers that do not skip,
//! dates that exist, ids where `undo` needs them, JSON where `--json` is asked for, man pages,
//! completions, colour and the pager (issue 19).

mod common;
use common::env::Env;
use common::pty::Pty;
use serde_json::Value;
use std::path::Path;

/// Adds fictional people with no note (so `hint:no-message` selects them all).
fn add_people(env: &Env, names: &[&str]) {
    for name in names {
        env.ok(&["add", "--name", name, "--sent-at", "2026-10-01"]);
    }
}

#[test]
fn stats_count_each_request_once_by_its_latest_decision() {
    let env = Env::new();
    add_people(&env, &["Ada Example", "Bo Example", "Cy Example"]);
    let decline = ["decide", "--where", "hint:no-message", "--decline", "--reason", "no note"];
    env.ok(&decline);
    env.ok(&["undo", "--batch", "1"]);
    env.ok(&decline);
    // A decline changed to an accept no longer counts among the declines.
    env.ok(&["decide", "3", "--accept"]);
    let stats = env.json(&["stats", "--json"]);
    assert_eq!(stats["top_decline_reasons"], serde_json::json!([["no note", 2]]), "{stats}");
    let text = env.ok(&["stats"]);
    assert!(text.contains("      2  no note"), "{text}");
    // The undo rows are said as undos, not as "pending".
    assert_eq!(stats["decisions"]["undone"], 3, "{stats}");
    assert!(stats["decisions"].get("pending").is_none(), "{stats}");
    assert!(text.contains("3 undone"), "{text}");
    assert!(!text.contains("pending,") && !text.contains("(log rows)"), "{text}");
    // The decline changed to an accept, the accept taken back: declined again, and counted.
    let log = env.json(&["log", "--json"]);
    let accept = log[0]["id"].as_i64().expect("the accept is the newest decision");
    env.ok(&["undo", &accept.to_string()]);
    let stats = env.json(&["stats", "--json"]);
    assert_eq!(stats["top_decline_reasons"], serde_json::json!([["no note", 3]]), "{stats}");
}

#[test]
fn stats_on_an_empty_store_says_so() {
    let env = Env::new();
    let text = env.ok(&["stats"]);
    assert!(text.contains("no requests and no decisions yet"), "{text}");
    assert!(!text.contains("(log rows)"), "{text}");
    add_people(&env, &["Ada Example"]);
    let text = env.ok(&["stats"]);
    assert!(text.contains("requests   1 pending"), "{text}");
    assert!(text.contains("decisions  none yet"), "{text}");
}

#[test]
fn batch_numbers_do_not_skip_after_an_undo() {
    let env = Env::new();
    add_people(&env, &["Ada Example", "Bo Example"]);
    let decline = ["decide", "--where", "hint:no-message", "--decline", "--reason", "no note"];
    assert!(env.ok(&decline).contains("(batch 1;"));
    env.ok(&["undo", "--batch", "1"]);
    let log = env.ok(&["log"]);
    assert!(log.contains("(batch 1, 2 undone together)"), "{log}");
    assert!(log.contains("(batch 1, 2 declined together)"), "{log}");
    let again = env.ok(&decline);
    assert!(again.contains("(batch 2;"), "{again}");
    env.fails(&["undo", "--batch", "1"], 1, "nothing to undo");
}

#[test]
fn add_refuses_a_sent_at_in_the_future() {
    let env = Env::new();
    env.fails(&["add", "--name", "Ada Example", "--sent-at", "2999-01-01"], 2, "is in the future");
    env.fails(&["add", "--name", "Ada Example", "--sent-at", "2999-01-01T10:00:00Z"], 2, "is in the future");
    assert_eq!(env.ok(&["list"]).lines().nth(1), Some("(none)"), "nothing was added");
    env.ok(&["add", "--name", "Ada Example", "--sent-at", "2026-01-01"]);
    // Today where the user is, 14 hours ahead of UTC, is today: not the future.
    let zone = jiff::tz::TimeZone::get("Pacific/Kiritimati").unwrap();
    let today = zone.to_datetime(jiff::Timestamp::now()).date().to_string();
    let out =
        env.cmd().env("TZ", "Pacific/Kiritimati").args(["add", "--name", "Bo Example", "--sent-at", &today]).output();
    let out = out.unwrap();
    assert!(out.status.success(), "{today}: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_day_that_does_not_exist_is_said_so_wherever_a_date_is_typed() {
    let env = Env::new();
    let nov31 = "there is no 31 November 2026 (November 2026 has 30 days)";
    env.fails(&["add", "--name", "Ada Example", "--sent-at", "2026-11-31"], 2, nov31);
    env.fails(&["add", "--name", "Ada Example", "--sent-at", "11/31/26, 9:00 AM"], 2, nov31);
    env.fails(&["log", "--since", "2026-11-31"], 2, nov31);
    env.fails(&["log", "--until", "2026-02-30"], 2, "there is no 30 February 2026");
    env.fails(&["log", "--where", "since:2026-11-31"], 2, nov31);
    env.fails(&["list", "--where", "sent:2026-11-31"], 2, nov31);
    env.fails(&["list", "--where", "sent:2026-13"], 2, "there is no month 13");
    add_people(&env, &["Ada Example"]);
    env.fails(&["decide", "1", "--defer", "--until", "2027-04-31"], 2, "there is no 31 April 2027");
    // A text that is no date at all still gets the format.
    env.fails(&["add", "--name", "Ada Example", "--sent-at", "soon"], 2, "use YYYY-MM-DD");
}

#[test]
fn log_shows_the_decision_ids_undo_takes() {
    let env = Env::new();
    add_people(&env, &["Ada Example"]);
    env.ok(&["decide", "1", "--decline", "--reason", "no note"]);
    env.ok(&["decide", "1", "--accept"]);
    let log = env.ok(&["log"]);
    let lines: Vec<&str> = log.lines().collect();
    assert!(lines[0].starts_with("    ID  DECIDED"), "{log}");
    // Newest first: the accept is decision 2, the decline decision 1.
    assert!(lines[1].starts_with("     2  ") && lines[1].contains("accepted"), "{log}");
    assert!(lines[2].starts_with("     1  ") && lines[2].contains("declined"), "{log}");
    assert_eq!(env.ok(&["undo", "2"]), "undid decision 2 (decision 3; the log keeps both)\n");
    let read_only = env.ok(&["--read-only", "log"]);
    assert!(read_only.lines().any(|l| l.starts_with("     3  ")), "{read_only}");
}

/// A fake pager: says it ran (with the `LESS` it was given), then shows what it reads.
fn fake_pager(env: &Env) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = env.path("fake-pager");
    std::fs::write(&path, "#!/bin/sh\necho \"FAKE-PAGER LESS=$LESS\"\ncat\necho FAKE-PAGER-END\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// `vetted ARGS` on a terminal with `PAGER`, its whole output once it ended.
fn on_a_terminal(env: &Env, args: &[&str], pager: &Path) -> String {
    let db = env.path("v.db");
    let mut full = vec!["--db", db.to_str().unwrap()];
    full.extend_from_slice(args);
    let mut pty = Pty::spawn(&full, env.tmp.path(), &[("PAGER", pager)]);
    let status = pty.wait_exit();
    assert!(status.success(), "{args:?}: {}", pty.text());
    pty.text()
}

#[test]
fn list_and_log_on_a_terminal_go_through_the_pager_as_git_does() {
    let env = Env::new();
    add_people(&env, &["Ada Example"]);
    env.ok(&["decide", "1", "--decline", "--reason", "no note"]);
    let pager = fake_pager(&env);
    for args in [&["list", "--status", "all"][..], &["log"]] {
        let shown = on_a_terminal(&env, args, &pager);
        assert!(shown.contains("FAKE-PAGER LESS=FRX"), "{args:?}: {shown}");
        assert!(shown.contains("Ada Example") && shown.contains("FAKE-PAGER-END"), "{args:?}: {shown}");
        // --no-pager, an empty PAGER and PAGER=cat print directly.
        let mut direct = args.to_vec();
        direct.push("--no-pager");
        let shown = on_a_terminal(&env, &direct, &pager);
        assert!(!shown.contains("FAKE-PAGER") && shown.contains("Ada Example"), "{direct:?}: {shown}");
        for none in ["", "cat"] {
            let shown = on_a_terminal(&env, args, Path::new(none));
            assert!(shown.contains("Ada Example"), "PAGER={none:?} {args:?}: {shown}");
        }
    }
    // A pager that cannot start, run directly or through the shell: printed all the same.
    let shown = on_a_terminal(&env, &["log"], &env.path("no-such-pager"));
    assert!(shown.contains("Ada Example"), "{shown}");
    let shown = on_a_terminal(&env, &["log"], Path::new("no-such-pager --opt='x'"));
    assert!(shown.contains("Ada Example"), "through sh: {shown}");
}

#[test]
fn piped_output_never_goes_through_the_pager() {
    let env = Env::new();
    add_people(&env, &["Ada Example"]);
    let pager = fake_pager(&env);
    for args in [&["list"][..], &["log"], &["list", "--json"]] {
        let out = env.cmd().args(args).env("PAGER", &pager).output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.contains("FAKE-PAGER"), "{args:?}: {text}");
    }
}

/// Whether `shown` has a colour (an SGR foreground or background colour).
fn coloured(shown: &str) -> bool {
    let sgr = sgr_params(shown);
    sgr.iter().any(|params| {
        params.split(';').any(|p| matches!(p.parse::<u16>(), Ok(30..=37 | 40..=47 | 90..=97 | 100..=107)))
            || params.starts_with("38;")
            || params.starts_with("48;")
    })
}

/// The parameters of every `ESC [ … m` in `s`.
fn sgr_params(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(at) = rest.find("\u{1b}[") {
        rest = &rest[at + 2..];
        let end = rest.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(rest.len());
        if rest[end..].starts_with('m') {
            out.push(rest[..end].to_string());
        }
        rest = &rest[end..];
    }
    out
}

#[test]
fn clicolor_0_and_a_dumb_terminal_get_no_colour() {
    let env = Env::new();
    add_people(&env, &["Ada Example"]);
    env.ok(&["decide", "1", "--decline", "--reason", "no note"]);
    let db = env.path("v.db");
    let run = |envs: &[(&str, &Path)]| {
        let mut pty = Pty::spawn(&["--db", db.to_str().unwrap(), "--no-pager", "log"], env.tmp.path(), envs);
        assert!(pty.wait_exit().success(), "{}", pty.text());
        pty.text()
    };
    assert!(coloured(&run(&[])), "a terminal gets colour");
    for refused in [("CLICOLOR", Path::new("0")), ("TERM", Path::new("dumb"))] {
        let shown = run(&[refused]);
        assert!(!coloured(&shown) && shown.contains("declined"), "{refused:?}: {shown:?}");
        let forced = run(&[refused, ("CLICOLOR_FORCE", Path::new("1"))]);
        assert!(coloured(&forced), "{refused:?} with CLICOLOR_FORCE");
    }
    // A pipe gets colour only when forced.
    let piped = env.cmd().args(["log"]).env("CLICOLOR_FORCE", "1").output().unwrap();
    assert!(coloured(&String::from_utf8_lossy(&piped.stdout)));
}

#[test]
fn the_review_app_has_no_colour_under_clicolor_0_or_a_dumb_terminal() {
    let home = tempfile::tempdir().unwrap();
    let run = |envs: &[(&str, &Path)]| {
        let mut pty = Pty::spawn(&["demo"], home.path(), envs);
        pty.wait_for("pending");
        pty.send("q");
        assert!(pty.wait_exit().success(), "{}", pty.text());
        pty.text()
    };
    assert!(coloured(&run(&[])), "the theme's colours");
    for refused in [("CLICOLOR", Path::new("0")), ("TERM", Path::new("dumb"))] {
        assert!(!coloured(&run(&[refused])), "{refused:?}");
    }
}

#[test]
fn a_backup_snapshot_restores_as_docs_reliability_says() {
    let env = Env::new();
    add_people(&env, &["Ada Example", "Bo Example"]);
    env.ok(&["decide", "1", "--decline", "--reason", "no note"]);
    let snapshot = env.path("copy.db");
    env.ok(&["backup", snapshot.to_str().unwrap()]);
    // After the snapshot: another decision, and a -wal left behind (as after a kill).
    env.ok(&["decide", "2", "--accept"]);
    let db = env.path("v.db");
    std::fs::write(env.path("v.db-wal"), b"not the snapshot's").unwrap();
    // The steps of docs/reliability.md, "Restoring a `vetted backup` snapshot".
    let doc = include_str!("../docs/reliability.md");
    assert!(doc.contains(r#"for s in "" -wal -shm; do if [ -e "$db$s" ]; then mv "$db$s" "$old$s"; fi; done"#));
    let script = r#"db="$1"; old="$db.before-restore"
for s in "" -wal -shm; do if [ -e "$db$s" ]; then mv "$db$s" "$old$s"; fi; done
cp "$2" "$db" && chmod 600 "$db""#;
    let status = std::process::Command::new("sh").args(["-c", script, "sh"]).arg(&db).arg(&snapshot).status().unwrap();
    assert!(status.success());
    let doctor = env.run(&["doctor", "--json"]);
    let doctor: Value = serde_json::from_slice(&doctor.stdout).unwrap();
    let integrity = doctor["checks"].as_array().unwrap().iter().find(|c| c["name"] == "integrity").unwrap();
    assert_eq!(integrity["ok"], true, "{doctor}");
    // The store is as it was at the snapshot: Bo pending again, Ada declined.
    let all = env.json(&["list", "--status", "all", "--json"]);
    let status_of = |id: i64| all.as_array().unwrap().iter().find(|r| r["id"] == id).unwrap()["status"].clone();
    assert_eq!((status_of(1), status_of(2)), ("declined".into(), "pending".into()), "{all}");
    // The old store, read where it was moved, still has what came after.
    let old = env.path("v.db.before-restore");
    let log = env.ok(&["--read-only", "--db", old.to_str().unwrap(), "log"]);
    assert!(log.contains("accepted"), "{log}");
}

#[test]
fn the_commands_that_write_answer_in_json_when_asked() {
    let env = Env::new();
    let added = env.json(&["add", "--name", "Ada Example", "--sent-at", "2026-10-01", "--json"]);
    assert_eq!((added["id"].as_i64(), added["status"].as_str()), (Some(1), Some("pending")), "{added}");
    let decided = env.json(&["decide", "1", "--decline", "--reason", "no note", "--json"]);
    assert_eq!(
        decided,
        serde_json::json!({"decision": 1, "request": 1, "status": "declined", "name": "Ada Example", "defer_until": null})
    );
    let undone = env.json(&["undo", "1", "--json"]);
    assert_eq!(undone, serde_json::json!({"undone": 1, "decision": 2}));
    env.ok(&["decide", "--where", "hint:no-message", "--decline", "--reason", "no note"]);
    assert_eq!(env.json(&["undo", "--batch", "1", "--json"]), serde_json::json!({"batch": 1, "count": 1}));
    let file = env.path("snapshot.db");
    let backup = env.json(&["backup", file.to_str().unwrap(), "--json"]);
    assert_eq!(backup["path"], file.to_str().unwrap());
    assert!(backup["bytes"].as_u64().is_some_and(|n| n > 0), "{backup}");
    let forgot = env.json(&["forget", "1", "--yes", "--json"]);
    assert_eq!(forgot[0]["name"], "Ada Example", "{forgot}");
    assert_eq!(forgot[0]["requests"], 1, "{forgot}");
}

#[test]
fn the_dependency_tree_has_one_signal_hook_and_no_unused_libc() {
    let lock = include_str!("../Cargo.lock");
    let versions = lock.matches("\nname = \"signal-hook\"\n").count();
    assert_eq!(versions, 1, "signal-hook is in Cargo.lock {versions} times");
    let manifest = include_str!("../Cargo.toml");
    let deps = manifest.split("[dependencies]").nth(1).unwrap().split("\n[").next().unwrap();
    // libc is the tests' and benchmarks' (openpty, wait4): the program itself does not use it.
    let uses_libc = |dir: &Path| -> bool {
        fn walk(dir: &Path, found: &mut bool) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, found);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    *found |= std::fs::read_to_string(&path).unwrap().contains("libc::");
                }
            }
        }
        let mut found = false;
        walk(dir, &mut found);
        found
    };
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    assert_eq!(deps.lines().any(|l| l.starts_with("libc ")), uses_libc(&src), "libc is a dependency iff src uses it");
}

#[test]
fn man_pages_have_no_help_pages_a_version_and_the_usual_sections() {
    let env = Env::new();
    let dir = env.path("man1");
    env.ok(&["man", "--out-dir", dir.to_str().unwrap()]);
    let pages: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(!pages.iter().any(|p| p.contains("help")), "{pages:?}");
    assert!(pages.contains(&"vetted-config-path.1".to_string()) && pages.len() >= 20, "{pages:?}");
    let version = env!("CARGO_PKG_VERSION");
    for page in &pages {
        let roff = std::fs::read_to_string(dir.join(page)).unwrap();
        let th = roff.lines().find(|l| l.starts_with(".TH ")).unwrap();
        assert!(th.contains(&format!("\"vetted {version}")), "{page}: {th}");
        for section in [".SH ENVIRONMENT", ".SH FILES", ".SH \"EXIT STATUS\""] {
            assert!(roff.contains(section), "{page}: no {section}");
        }
    }
    let main = env.ok(&["man"]);
    assert!(main.contains(".SH EXAMPLES") && main.contains("vetted demo"), "the main page's examples");
    for said in ["VETTED_DB", "VETTED_CONFIG", "NO_COLOR", "PAGER", "vetted.db", "config.toml", "128"] {
        assert!(main.contains(said), "the main page says {said}");
    }
    // The exit codes the page gives are the README's.
    let readme = include_str!("../README.md");
    assert!(readme.contains("Exit codes: 0 success, 1 failure") && readme.contains("2 usage error"));
    assert!(env.ok(&["man", "undo"]).contains("vetted undo \\-\\-batch 3"), "a subcommand's own examples");
    assert!(env.ok(&["man", "config", "path"]).contains(".TH vetted-config-path"));
}

#[test]
fn check_and_flag_complete_checklist_keys_not_file_names() {
    let env = Env::new();
    let bash = env.ok(&["completions", "bash"]);
    let after = |script: &str, from: &str| -> String {
        let at = script.find(from).unwrap_or_else(|| panic!("no {from:?}"));
        script[at..].lines().take(2).collect::<Vec<_>>().join("\n")
    };
    let check = after(&bash, "--check)");
    assert!(check.contains("know_like_trust") && !check.contains("compgen -f"), "{check}");
    assert!(after(&bash, "--flag)").contains("selling"), "{bash}");
    let zsh = env.ok(&["completions", "zsh"]);
    assert!(after(&zsh, "'*--check=").contains("know_like_trust"), "zsh");
    assert!(!after(&zsh, "'*--check=").contains("_default"), "zsh: no file names");
    let fish = env.ok(&["completions", "fish"]);
    let line = fish.lines().find(|l| l.contains("-l check")).unwrap();
    assert!(line.contains("-f -a") && line.contains("know_like_trust"), "{line}");
    // A checklist of the user's own: its keys; the parser still takes them.
    let dir = env.path("xdg-config/vetted");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("checklist.toml"),
        "[[item]]\nkey = \"met_at_meetup\"\nlabel = \"Met at a meetup\"\nhelp = \"In person.\"\nkind = \"signal\"\n\n\
         [[item]]\nkey = \"crypto_pitch\"\nlabel = \"Crypto pitch\"\nhelp = \"Selling.\"\nkind = \"red_flag\"\n",
    )
    .unwrap();
    let own = env.ok(&["completions", "bash"]);
    assert!(after(&own, "--check)").contains("met_at_meetup"), "{own}");
    add_people(&env, &["Ada Example"]);
    env.ok(&["decide", "1", "--accept", "--check", "met_at_meetup"]);
}

#[test]
fn an_export_row_sent_on_a_day_that_does_not_exist_is_named_in_the_report() {
    let env = Env::new();
    let csv = env.path("Invitations.csv");
    std::fs::write(
        &csv,
        "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n\
         Ada Example,Me,\"11/31/26, 9:00 AM\",,INCOMING,https://www.linkedin.com/in/ada-example,https://www.linkedin.com/in/me\n\
         Bo Example,Me,\"11/30/26, 9:00 AM\",,INCOMING,https://www.linkedin.com/in/bo-example,https://www.linkedin.com/in/me\n",
    )
    .unwrap();
    let report = env.ok(&["import", csv.to_str().unwrap()]);
    assert!(report.contains("there is no 31 November 2026 (November 2026 has 30 days)"), "{report}");
}

#[test]
fn a_store_of_the_previous_version_is_read_read_only() {
    let env = Env::new();
    let db = env.path("v10.db");
    {
        // A store as schema 10 left it (before evidence: no `finding` table), never migrated.
        let conn = rusqlite::Connection::open(&db).unwrap();
        for sql in &vetted::store::schema::MIGRATIONS[..10] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(&format!(
            "PRAGMA application_id = {}; PRAGMA user_version = 10;
             INSERT INTO person (id, key, name) VALUES (1, 'name:ada example', 'Ada Example'),
                                                       (2, 'name:bo example', 'Bo Example');
             INSERT INTO request (id, person_id, source, sent_at, status, added_at, message) VALUES
               (1, 1, 'manual', '2026-10-01T00:00:00Z', 'pending', 'x', 'Met you at RustConf'),
               (2, 2, 'linkedin', '2026-10-02T00:00:00Z', 'accepted', 'x', '');
             INSERT INTO decision (id, request_id, status, reason, decided_at) VALUES (1, 2, 'accepted', '', 'x');",
            vetted::store::schema::APPLICATION_ID
        ))
        .unwrap();
        std::fs::set_permissions(&db, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    }
    let db = db.to_str().unwrap();
    let list = env.ok(&["--read-only", "--db", db, "list"]);
    assert!(list.contains("Ada Example"), "{list}");
    let all = env.json(&["--read-only", "--db", db, "list", "--status", "all", "--json"]);
    assert_eq!(all.as_array().unwrap().len(), 2, "{all}");
    let todo = env.ok(&["--read-only", "--db", db, "todo"]);
    assert!(todo.contains("Bo Example"), "{todo}");
    let pending = env.ok(&["--read-only", "--db", db, "list", "--where", "rustconf"]);
    assert!(pending.contains("Ada Example"), "{pending}");
    assert!(env.ok(&["--read-only", "--db", db, "log"]).contains("accepted"));
}

#[test]
fn reading_commands_leave_stale_evidence_as_stored_and_say_so_once() {
    let stderr = |out: &std::process::Output| String::from_utf8_lossy(&out.stderr).into_owned();
    let env = Env::new();
    env.ok(&["add", "--name", "Ada Example", "--message", "Could you tell me about the tide tables you keep?"]);
    assert_eq!(env.json(&["list", "--where", "ev:sales", "--json"]).as_array().unwrap().len(), 0);
    let config = env.path("xdg-config/vetted");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("evidence.toml"), "[sales]\nstrong = [\"tide tables\"]\n").unwrap();
    let db = env.path("v.db");
    let before = std::fs::read(&db).unwrap();
    for command in [&["list"][..], &["stats"], &["log"], &["list", "--status", "all"]] {
        let out = env.run(command);
        assert!(out.status.success(), "{command:?}");
        let err = stderr(&out);
        assert_eq!(err.matches("evidence").count(), 1, "said once: {command:?}: {err}");
        assert!(err.contains("phrase lists changed") && err.contains("vetted decide"), "{err}");
    }
    assert_eq!(env.json(&["list", "--where", "ev:sales", "--json"]).as_array().unwrap().len(), 0, "as stored");
    assert!(std::fs::read(&db).unwrap() == before, "a reading command wrote to the store");
    // A command that writes weighs it again; then nothing is said.
    env.ok(&["add", "--name", "Bo Example"]);
    assert_eq!(env.json(&["list", "--where", "ev:sales", "--json"]).as_array().unwrap().len(), 1);
    assert!(!stderr(&env.run(&["list"])).contains("evidence"));
}
