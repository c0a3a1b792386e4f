//! The binary end to end on a temporary store: add → list → decide → log, refusals, config,
//! and exit codes (0 success, 1 runtime failure, 2 usage error).

use assert_cmd::Command;
use serde_json::Value;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

struct Env {
    tmp: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env { tmp: tempfile::tempdir().unwrap() }
    }
    fn db(&self) -> PathBuf {
        self.tmp.path().join("v.db")
    }
    /// `vetted` with a private store, config and data folders (never the user's).
    fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("vetted").unwrap();
        c.env_clear()
            .env("HOME", self.tmp.path())
            .env("XDG_DATA_HOME", self.tmp.path().join("xdg-data"))
            .env("XDG_CONFIG_HOME", self.tmp.path().join("xdg-config"))
            .env("VETTED_DB", self.db());
        c
    }
    fn json(&self, args: &[&str]) -> Value {
        let out = self.cmd().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

fn stdout_of(c: &mut Command) -> String {
    let out = c.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn add_list_decide_log() {
    let env = Env::new();
    let added = stdout_of(env.cmd().args([
        "add",
        "--name",
        "Ada Example",
        "--url",
        "https://www.linkedin.com/in/ada-example/",
        "--headline",
        "Compiler engineer",
        "--message",
        "Met you at RustConf",
        "--sent-at",
        "2026-11-01",
        "--note",
        "sharp",
    ]));
    assert_eq!(added, "added request 1 from Ada Example\n");
    stdout_of(env.cmd().args(["add", "--name", "Bo Seller", "--message", "book a call about our services"]));

    let table = stdout_of(env.cmd().arg("list"));
    assert!(table.lines().next().unwrap().starts_with("    ID  SENT"), "{table}");
    assert!(table.contains("2026-11-01  pending    Ada Example"), "{table}");

    let list = env.json(&["list", "--json"]);
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let ada = &rows[0];
    for key in ["id", "name", "profile_url", "headline", "message", "sent_at", "status"] {
        assert!(ada.get(key).is_some(), "missing {key}");
    }
    assert_eq!(ada["profile_url"], "https://www.linkedin.com/in/ada-example");
    assert_eq!(ada["sent_at"], "2026-11-01T00:00:00Z");
    assert_eq!(ada["status"], "pending");

    let out = env.cmd().args(["decide", "2", "--decline"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "a decline without a reason is a usage error");
    assert!(String::from_utf8_lossy(&out.stderr).contains("a decline needs --reason"));

    let out = env.cmd().args(["decide", "2", "--decline", "--reason", "selling", "--flag", "nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not one of selling, collector, scam"));

    stdout_of(env.cmd().args(["decide", "2", "--decline", "--reason", "selling", "--flag", "selling"]));
    stdout_of(env.cmd().args(["decide", "1", "--accept", "--check", "respect_work"]));
    let out = env.cmd().args(["decide", "99", "--accept"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));

    let log = env.json(&["log", "--json"]);
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!((log[0]["name"].as_str(), log[0]["decision"].as_str()), (Some("Ada Example"), Some("accepted")));
    assert_eq!((log[1]["decision"].as_str(), log[1]["reason"].as_str()), (Some("declined"), Some("selling")));
    assert_eq!(log[1]["answers"]["selling"], true);
    assert!(log[0]["decided_at"].as_str().unwrap().ends_with('Z'));
    for key in ["name", "profile_url", "decision", "reason", "decided_at"] {
        assert!(log[0].get(key).is_some(), "missing {key}");
    }
    assert!(stdout_of(env.cmd().arg("log")).contains("declined          Bo Seller"));
    assert_eq!(env.json(&["list", "--json"]).as_array().unwrap().len(), 0, "nothing pending");
    assert_eq!(env.json(&["list", "--status", "all", "--json"]).as_array().unwrap().len(), 2);
}

#[test]
fn a_hand_added_request_is_weighed() {
    let env = Env::new();
    stdout_of(env.cmd().args(["add", "--name", "Ada Example", "--message", "Met you at RustConf"]));
    let pitch = "We help SaaS teams cut cloud costs. Can we book a 15-minute call this week?";
    stdout_of(env.cmd().args(["add", "--name", "Bo Seller", "--message", pitch]));
    stdout_of(env.cmd().args(["add", "--name", "Cy Quiet"]));
    let list = env.json(&["list", "--json"]);
    let detectors = |i: usize| -> Vec<String> {
        list[i]["findings"].as_array().unwrap().iter().map(|f| f["detector"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(detectors(1), ["sales"], "{list:#}");
    assert_eq!(detectors(2), ["no_note"], "{list:#}");
    let declines = env.json(&["list", "--where", "rec:decline", "--json"]);
    assert_eq!(declines.as_array().unwrap().len(), 2, "the pitch and the silent one are ranked: {declines:#}");
}

#[test]
fn import_reports_for_people_and_scripts() {
    let env = Env::new();
    let export = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/export-2024-06");
    let text = stdout_of(env.cmd().arg("import").arg(&export).arg("--dry-run"));
    assert!(text.starts_with("Would import"), "{text}");
    assert!(text.contains("6 new requests"), "{text}");
    assert!(text.contains("(dry run: nothing was changed; it would leave 6 pending: run `vetted`)"), "{text}");
    assert!(text.contains("Invitations.csv:11: Sent At"), "{text}");
    let report = env.json(&["import", export.to_str().unwrap(), "--json"]);
    assert_eq!((report["new"].as_u64(), report["invalid"].as_u64()), (Some(6), Some(3)));
    assert_eq!(env.json(&["list", "--json"]).as_array().unwrap().len(), 6);
}

#[test]
fn hostile_names_never_reach_the_terminal_raw() {
    let env = Env::new();
    let name = "Eve\u{1b}]0;pwned\u{7}\u{9b}2J\u{202E}";
    stdout_of(env.cmd().args(["add", "--name", name, "--message", "\u{1b}[2Jhi"]));
    stdout_of(env.cmd().args(["decide", "1", "--decline", "--reason", "\u{1b}[31mscam"]));
    for args in [&["list", "--status", "all"][..], &["list", "--status", "all", "--json"], &["log"], &["log", "--json"]]
    {
        let out = stdout_of(env.cmd().args(args));
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{9b}') && !out.contains('\u{7}') && !out.contains('\u{202E}'),
            "{args:?}: {out:?}"
        );
    }
    let json = env.json(&["list", "--status", "all", "--json"]);
    assert_eq!(json[0]["name"], name, "JSON stays lossless");
}

#[test]
fn a_bad_config_names_file_line_and_key() {
    let env = Env::new();
    let config = env.tmp.path().join("config.toml");
    std::fs::write(&config, "[keymap]\naccept = \"a\"\ncolour = 3\n[thme]\n").unwrap();
    let out = env.cmd().env("VETTED_CONFIG", &config).arg("list").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with(&format!("vetted: {}:3:", config.display())), "{err}");
    assert!(err.contains("invalid type") || err.contains("untagged"), "{err}");
    std::fs::write(&config, "databse = \"x.db\"\n").unwrap();
    let err = String::from_utf8(env.cmd().env("VETTED_CONFIG", &config).arg("list").output().unwrap().stderr).unwrap();
    assert!(err.contains("config.toml:1: unknown field `databse`"), "{err}");
}

#[test]
fn db_pointing_at_a_text_file_is_refused_untouched() {
    let env = Env::new();
    let txt = env.tmp.path().join("todo.txt");
    std::fs::write(&txt, "buy milk\n".repeat(30)).unwrap();
    let out = env.cmd().arg("--db").arg(&txt).arg("list").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!("vetted: {}: not a SQLite database (left untouched)\n", txt.display())
    );
    assert_eq!(std::fs::read_to_string(&txt).unwrap(), "buy milk\n".repeat(30));
}

#[test]
fn the_default_store_is_private_even_under_umask_022() {
    let env = Env::new();
    let bin = assert_cmd::cargo::cargo_bin("vetted");
    let mut c = std::process::Command::new("sh");
    c.arg("-c").arg(format!("umask 022; exec '{}' add --name Ann", bin.display()));
    c.env_clear().env("HOME", env.tmp.path()).env("XDG_DATA_HOME", env.tmp.path().join("xdg-data"));
    assert!(c.status().unwrap().success());
    let dir = env.tmp.path().join("xdg-data/vetted");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join("vetted.db")), 0o600);
}

#[test]
fn config_path_and_init() {
    let env = Env::new();
    let paths = stdout_of(env.cmd().args(["config", "path"]));
    let config = env.tmp.path().join("xdg-config/vetted/config.toml");
    assert!(paths.contains(&format!("config     {}  (not there yet)", config.display())), "{paths}");
    assert!(paths.contains(&format!("database   {}", env.db().display())), "{paths}");
    assert!(paths.contains("checklist  ") && paths.contains("the built-in checklist is used"), "{paths}");
    stdout_of(env.cmd().args(["config", "init"]));
    assert_eq!(std::fs::read_to_string(&config).unwrap(), vetted::config::EXAMPLE_TOML);
    std::fs::write(&config, "# mine\n").unwrap();
    let out = env.cmd().args(["config", "init"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&config).unwrap(), "# mine\n", "never overwritten");
}

#[test]
fn help_version_completions_and_usage_errors() {
    let env = Env::new();
    assert!(stdout_of(env.cmd().arg("--version")).starts_with("vetted "));
    for sub in ["add", "list", "decide", "log", "import", "demo", "review", "config", "completions"] {
        assert!(stdout_of(env.cmd().args([sub, "--help"])).contains("Usage: vetted"), "{sub}");
    }
    assert!(stdout_of(env.cmd().args(["completions", "bash"])).contains("_vetted()"));
    assert_eq!(env.cmd().args(["list", "--status", "maybe"]).output().unwrap().status.code(), Some(2));
    assert_eq!(env.cmd().args(["decide", "1"]).output().unwrap().status.code(), Some(2));
}

fn quirk(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/quirks").join(name).display().to_string()
}

#[test]
fn decisions_only_where_they_make_sense() {
    let env = Env::new();
    stdout_of(env.cmd().args(["import", &quirk("urn-2023")]));
    stdout_of(env.cmd().args(["import", &quirk("old-2019")]));
    let all = env.json(&["list", "--status", "all", "--json"]);
    let id_of = |name: &str, status: &str| {
        all.as_array().unwrap().iter().find(|r| r["name"] == name && r["status"] == status).unwrap()["id"].to_string()
    };
    let decisions = || env.json(&["log", "--json"]).as_array().unwrap().len();
    for (id, says) in [
        (id_of("Astrid Berg", "connected"), "is connected: the sender is already one of your connections"),
        (id_of("Kofi Mensah", "replaced"), "is replaced: the same person sent a newer invitation"),
    ] {
        let out = env.cmd().args(["decide", &id, "--accept"]).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains(says), "{}", String::from_utf8_lossy(&out.stderr));
    }
    assert_eq!(decisions(), 0, "nothing written");
    let bruno = id_of("Bruno Costa", "pending");
    stdout_of(env.cmd().args(["decide", &bruno, "--accept"]));
    let out = env.cmd().args(["decide", &bruno, "--accept"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is already accepted; nothing was recorded"));
    assert_eq!(decisions(), 1, "a repeated verdict does not inflate the log");
    stdout_of(env.cmd().args(["decide", &bruno, "--decline", "--reason", "changed my mind"]));
    assert_eq!(decisions(), 2, "a change of mind is recorded");
}

#[test]
fn add_refuses_a_known_profile_and_a_url_that_is_not_the_web() {
    let env = Env::new();
    stdout_of(env.cmd().args(["add", "--name", "Ada Example", "--url", "https://www.linkedin.com/in/ada-example"]));
    let out =
        env.cmd().args(["add", "--name", "Ada E.", "--url", "HTTPS://linkedin.com/in/Ada-Example/"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is already in the store: request 1 from Ada Example (pending); nothing was added"), "{err}");
    for bad in ["javascript:alert(1)//x", "ftp://example.org/ada", "file:///etc/passwd"] {
        let out = env.cmd().args(["add", "--name", "Bo Example", "--url", bad]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("is not a profile URL (http or https)"), "{bad}");
    }
    assert_eq!(env.json(&["list", "--status", "all", "--json"]).as_array().unwrap().len(), 1);
}

#[test]
fn a_dry_run_creates_no_store_and_no_folder() {
    let env = Env::new();
    let db = env.tmp.path().join("not-yet/there/v.db");
    let text = stdout_of(env.cmd().env("VETTED_DB", &db).args(["import", "--dry-run", &quirk("export-2024")]));
    assert!(text.contains("Would import") && text.contains("3 new invitations from 2 people"), "{text}");
    assert!(!env.tmp.path().join("not-yet").exists(), "nothing created");
}

#[test]
fn the_import_report_names_people() {
    let env = Env::new();
    stdout_of(env.cmd().args(["import", &quirk("reconcile/first")]));
    let all = env.json(&["list", "--json"]);
    let quinn = all.as_array().unwrap().iter().find(|r| r["name"] == "Quinn Sales").unwrap()["id"].to_string();
    stdout_of(env.cmd().args(["decide", &quinn, "--decline", "--reason", "selling"]));
    let dry = stdout_of(env.cmd().args(["import", "--dry-run", &quirk("reconcile/newer")]));
    assert!(dry.contains("became connections since you imported them") && dry.contains("Ines Costa (#"), "{dry}");
    assert!(dry.contains("marked withdrawn") && dry.contains("Kenji Sato (#"), "{dry}");
    assert!(dry.contains("ignored there, to-do done") && dry.contains("Quinn Sales (#"), "{dry}");
    let json = env.json(&["import", "--json", &quirk("reconcile/newer")]);
    let names = |list: &str| -> Vec<String> {
        json["who"][list].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(names("became_connections"), ["Ines Costa"]);
    assert_eq!(names("vanished"), ["Kenji Sato"]);
    assert_eq!(names("ignored_on_linkedin"), ["Quinn Sales"]);
    assert!(json["who"]["vanished"][0]["id"].is_i64());
    let withdrawn = env.json(&["list", "--status", "withdrawn", "--json"]);
    assert_eq!(withdrawn.as_array().unwrap().len(), 1);
    assert_eq!(withdrawn[0]["name"], "Kenji Sato");
}

/// Writes a whole LinkedIn export (2024 on: URLs on both sides) into `dir`: invitations as
/// (name, slug, Sent At), connections as (first, last, slug, Connected On).
fn write_export(dir: &Path, invitations: &[(&str, &str, &str)], connections: &[(&str, &str, &str, &str)]) -> String {
    std::fs::create_dir_all(dir).unwrap();
    let mut inv = String::from("From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n");
    for (name, slug, sent) in invitations {
        inv.push_str(&format!(
            "{name},Pat Tester,\"{sent}\",,INCOMING,https://www.linkedin.com/in/{slug},https://www.linkedin.com/in/pat\n"
        ));
    }
    let mut con = String::from("Notes:\n\"When exporting your connection data…\"\n\n");
    con.push_str("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n");
    for (first, last, slug, on) in connections {
        con.push_str(&format!("{first},{last},https://www.linkedin.com/in/{slug},,,,{on}\n"));
    }
    std::fs::write(dir.join("Invitations.csv"), inv).unwrap();
    std::fs::write(dir.join("Connections.csv"), con).unwrap();
    dir.display().to_string()
}

fn pending_id(env: &Env, name: &str) -> String {
    let all = env.json(&["list", "--json"]);
    all.as_array().unwrap().iter().find(|r| r["name"] == name).unwrap_or_else(|| panic!("{name}: {all}"))["id"]
        .to_string()
}

fn todo_items(env: &Env, extra: &[&str]) -> Vec<(String, String)> {
    let args: Vec<&str> = ["todo", "--json"].iter().chain(extra).copied().collect();
    let list = env.json(&args);
    list.as_array()
        .unwrap()
        .iter()
        .map(|t| (t["action"].as_str().unwrap().to_string(), t["name"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn one_person_one_action_on_to_do_and_the_report_names_what_it_closed() {
    let env = Env::new();
    let zed = ("Zed", "Old", "zed-old", "01 Jan 2020");
    let first = write_export(
        &env.tmp.path().join("2026-10"),
        &[("Marco Vargas", "marco-vargas", "10/1/26, 9:00 AM"), ("Ada Lind", "ada-lind", "10/2/26, 9:00 AM")],
        &[zed],
    );
    stdout_of(env.cmd().args(["import", &first]));
    stdout_of(env.cmd().args(["decide", &pending_id(&env, "Marco Vargas"), "--decline", "--reason", "selling"]));
    stdout_of(env.cmd().args(["decide", &pending_id(&env, "Ada Lind"), "--accept"]));
    assert_eq!(todo_items(&env, &[]), [("accept".into(), "Ada Lind".into()), ("ignore".into(), "Marco Vargas".into())]);

    // Marco asks again; Ada accepted on LinkedIn, so she is a connection now.
    let newer = write_export(
        &env.tmp.path().join("2026-11"),
        &[("Marco Vargas", "marco-vargas", "11/20/26, 9:00 AM"), ("Ada Lind", "ada-lind", "10/2/26, 9:00 AM")],
        &[zed, ("Ada", "Lind", "ada-lind", "03 Oct 2026")],
    );
    let report = stdout_of(env.cmd().args(["import", &newer]));
    assert!(report.contains("1 older request closed on To do: the same person sent a newer invitation"), "{report}");
    assert!(report.contains("1 accepted here and now connections: accepted on LinkedIn, to-do done"), "{report}");
    assert!(report.contains("Ada Lind (#") && report.contains("Marco Vargas (#"), "{report}");
    assert!(report.trim_end().ends_with("Next: 1 pending: run `vetted`"), "{report}");
    assert_eq!(todo_items(&env, &[]), [], "the old ignore is closed: LinkedIn shows the new invitation");

    stdout_of(env.cmd().args(["decide", &pending_id(&env, "Marco Vargas"), "--accept"]));
    assert_eq!(todo_items(&env, &[]), [("accept".into(), "Marco Vargas".into())], "one person, one action");
    let json = env.json(&["import", "--json", "--dry-run", &newer]);
    assert_eq!((json["pending"].as_u64(), json["to_do"].as_u64()), (Some(0), Some(1)));
    let text = stdout_of(env.cmd().args(["import", "--dry-run", &newer]));
    assert!(text.contains("it would leave nothing pending; 1 to do on LinkedIn: `vetted todo`"), "{text}");
}

#[test]
fn an_ignore_older_than_a_newer_export_is_said_to_be_probably_done() {
    let env = Env::new();
    let first = write_export(
        &env.tmp.path().join("2026-09"),
        &[("Olaf Olsen", "olaf-olsen", "6/1/26, 9:00 AM"), ("Pia Berg", "pia-berg", "9/10/26, 9:00 AM")],
        &[],
    );
    stdout_of(env.cmd().args(["import", &first]));
    for name in ["Olaf Olsen", "Pia Berg"] {
        stdout_of(env.cmd().args(["decide", &pending_id(&env, name), "--decline", "--reason", "no"]));
    }
    // A newer export that starts after Olaf's invitation: it cannot say whether he was ignored,
    // only that LinkedIn no longer lists him.
    let newer = write_export(
        &env.tmp.path().join("2026-12"),
        &[("Pia Berg", "pia-berg", "9/10/26, 9:00 AM"), ("Nils Dahl", "nils-dahl", "12/5/26, 9:00 AM")],
        &[],
    );
    let report = stdout_of(env.cmd().args(["import", &newer]));
    assert!(
        report.contains("1 declined here and older than everything this export holds: LinkedIn no longer lists them"),
        "{report}"
    );
    assert!(report.contains("Olaf Olsen (#"), "{report}");
    assert!(
        report.trim_end().ends_with("Next: 1 pending: run `vetted`; 2 to do on LinkedIn: `vetted todo`"),
        "{report}"
    );
    let todo = stdout_of(env.cmd().args(["todo"]));
    let olaf = todo.lines().find(|l| l.contains("Olaf Olsen")).unwrap_or_else(|| panic!("{todo}"));
    assert!(olaf.contains("ignore") && olaf.contains("(probably done — it is not in your 2026-12 export)"), "{todo}");
    let pia = todo.lines().find(|l| l.contains("Pia Berg")).unwrap();
    assert!(!pia.contains("probably done"), "Pia is still listed: {todo}");
    assert!(todo.contains("Ignoring is optional: LinkedIn never tells the sender"), "{todo}");
    let json = env.json(&["todo", "--json"]);
    let olaf = json.as_array().unwrap().iter().find(|t| t["name"] == "Olaf Olsen").unwrap();
    assert_eq!(olaf["not_listed"], "2026-12-05");
    // Ignoring is optional: the accepts alone.
    stdout_of(env.cmd().args(["decide", &pending_id(&env, "Nils Dahl"), "--accept"]));
    assert_eq!(todo_items(&env, &["--accepts-only"]), [("accept".into(), "Nils Dahl".into())]);
    let text = stdout_of(env.cmd().args(["todo", "--accepts-only"]));
    assert!(!text.contains("Ignoring is optional") && text.contains("Nils Dahl"), "{text}");
    stdout_of(env.cmd().args(["todo", "--all-shown", "--accepts-only"]));
    assert_eq!(todo_items(&env, &[]).len(), 2, "the ignores are left: {:?}", todo_items(&env, &[]));
}
