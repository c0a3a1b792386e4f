//! The decision log from the command line: filters, who is declined, statistics, and the
//! exports — hostile text made safe in CSV, kept lossless in JSON, and the JSON backup
//! restoring a whole store.

use assert_cmd::Command;
use serde_json::Value;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use vetted::model::{Answers, NewRequest, Verdict};
use vetted::store::Store;

const HOSTILE_REASON: &str = "=HYPERLINK(\"http://evil.example\",\"click\")";
const HOSTILE_NOTE: &str = "@SUM(1)\nsecond line, with \"quotes\"\u{1b}[31m";

/// A store with a history: Ada accepted; Bo declined, then reconsidered and accepted; Cy
/// declined with a hostile reason and note; Di deferred.
fn seeded(dir: &Path) -> PathBuf {
    let db = dir.join("v.db");
    let mut store = Store::open(&db).unwrap();
    let mut add = |name: &str, url: &str, message: &str| {
        store
            .add_request(&NewRequest {
                name: name.into(),
                profile_url: Some(format!("https://www.linkedin.com/in/{url}")),
                message: message.into(),
                source: "manual".into(),
                ..Default::default()
            })
            .unwrap()
            .0
    };
    let (ada, bo, cy, di) = (
        add("Ada Example", "ada", "We met at RustConf"),
        add("Bo Sample", "bo", "-5% on our services"),
        add("Cy Hostile\u{202E}", "cy", "+1 555 scam\u{7}"),
        add("Di Later", "di", ""),
    );
    let flags: Answers = [("selling".to_string(), true)].into();
    let checklist = vetted::checklist::Checklist::builtin();
    store.set_answers(ada, &[("know_like_trust", Some(true)), ("profile_checked", Some(false))], &checklist).unwrap();
    store.decide(ada, Verdict::Accept, "met at RustConf", &[("know_like_trust".to_string(), true)].into()).unwrap();
    store.decide(bo, Verdict::Decline, "selling", &flags).unwrap();
    store.decide(bo, Verdict::Accept, "reconsidered: new role", &Answers::new()).unwrap();
    store.decide(cy, Verdict::Decline, HOSTILE_REASON, &flags).unwrap();
    let cy_person = store.request(cy).unwrap().person_id;
    store.set_note(cy_person, HOSTILE_NOTE).unwrap();
    store.decide(di, Verdict::Defer, "", &Answers::new()).unwrap();
    db
}

fn vetted(db: &Path) -> Command {
    let mut c = Command::cargo_bin("vetted").unwrap();
    let home = db.parent().unwrap();
    c.env_clear().env("HOME", home).env("XDG_CONFIG_HOME", home.join("cfg")).arg("--db").arg(db);
    c
}

fn ok(c: &mut Command) -> String {
    let out = c.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn json(c: &mut Command) -> Value {
    serde_json::from_str(&ok(c)).unwrap()
}

fn names(v: &Value) -> Vec<&str> {
    v.as_array().unwrap().iter().map(|d| d["name"].as_str().unwrap()).collect()
}

#[test]
fn log_filters() {
    let tmp = tempfile::tempdir().unwrap();
    let db = seeded(tmp.path());
    let all = json(vetted(&db).args(["log", "--json"]));
    assert_eq!(all.as_array().unwrap().len(), 5);
    let declined = json(vetted(&db).args(["log", "--json", "--decision", "declined"]));
    assert_eq!(names(&declined), ["Cy Hostile\u{202E}", "Bo Sample"]);
    let grep = json(vetted(&db).args(["log", "--json", "--grep", "RUSTCONF"]));
    assert_eq!(names(&grep), ["Ada Example"], "grep is case-insensitive and looks in the reason and message");
    let by_note = json(vetted(&db).args(["log", "--json", "--grep", "second line"]));
    assert_eq!(names(&by_note), ["Cy Hostile\u{202E}"], "grep looks in notes");
    let percent = json(vetted(&db).args(["log", "--json", "--grep", "5%"]));
    assert_eq!(names(&percent), ["Bo Sample", "Bo Sample"], "% is literal");
    let bo = json(vetted(&db).args(["log", "--json", "--person", "https://www.linkedin.com/in/bo/"]));
    assert_eq!(bo.as_array().unwrap().len(), 2);
    assert_eq!(bo[0]["supersedes"], bo[1]["id"], "the change of mind is a chain");
    let by_id = json(vetted(&db).args(["log", "--json", "--person", "1"]));
    assert_eq!(names(&by_id), ["Ada Example"]);
    let today = &vetted::clock::now_stored()[..10];
    assert_eq!(json(vetted(&db).args(["log", "--json", "--since", today])).as_array().unwrap().len(), 5);
    assert_eq!(
        json(vetted(&db).args(["log", "--json", "--until", today])).as_array().unwrap().len(),
        5,
        "--until includes the day"
    );
    assert_eq!(json(vetted(&db).args(["log", "--json", "--until", "2020-01-01"])).as_array().unwrap().len(), 0);
    assert_eq!(json(vetted(&db).args(["log", "--json", "--since", "2999-01-01"])).as_array().unwrap().len(), 0);
    let bad = vetted(&db).args(["log", "--since", "last week"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    // Not found is a failure (1), not a usage error (2): the one rule for exit codes.
    assert_eq!(
        vetted(&db).args(["log", "--person", "https://www.linkedin.com/in/nobody"]).output().unwrap().status.code(),
        Some(1)
    );
}

#[test]
fn declined_lists_only_current_declines_with_notes() {
    let tmp = tempfile::tempdir().unwrap();
    let db = seeded(tmp.path());
    let declined = json(vetted(&db).args(["declined", "--json"]));
    assert_eq!(names(&declined), ["Cy Hostile\u{202E}"], "Bo was reconsidered");
    assert_eq!(declined[0]["reason"], HOSTILE_REASON);
    assert_eq!(declined[0]["notes"], HOSTILE_NOTE);
    assert_eq!(declined[0]["answers"]["selling"], true);
    let text = ok(vetted(&db).arg("declined"));
    assert!(text.contains("[selling]") && text.contains("notes: @SUM(1)⏎second line"), "{text}");
    assert!(!text.contains('\u{1b}') && !text.contains('\u{202E}'), "{text:?}");
}

#[test]
fn csv_export_is_safe_and_private() {
    let tmp = tempfile::tempdir().unwrap();
    let db = seeded(tmp.path());
    let path = tmp.path().join("log.csv");
    ok(vetted(&db).args(["export", "--format", "csv", "-o"]).arg(&path));
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    let mut rdr = csv::Reader::from_path(&path).unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 5);
    for row in &rows {
        for cell in row {
            assert!(!matches!(cell.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r')), "formula cell {cell:?}");
        }
    }
    let cy = rows.iter().find(|r| r[5].starts_with("Cy")).unwrap();
    assert_eq!(&cy[7], format!("'{HOSTILE_REASON}"), "neutralised, otherwise intact");
    assert_eq!(&cy[11], format!("'{HOSTILE_NOTE}"), "newlines and quotes survive CSV quoting");
    assert_eq!(&cy[8], "selling=yes");
    let again = vetted(&db).args(["export", "--format", "csv", "-o"]).arg(&path).output().unwrap();
    assert_eq!(again.status.code(), Some(2), "never overwrites");
}

#[test]
fn markdown_export_shows_control_characters() {
    let tmp = tempfile::tempdir().unwrap();
    let db = seeded(tmp.path());
    let md = ok(vetted(&db).args(["export", "--format", "md"]));
    assert!(md.starts_with("# vetted decision log"));
    assert!(md.contains("declined — Cy Hostile⟨U+202E⟩"), "{md}");
    assert!(md.contains("  > +1 555 scam␇"), "{md}");
    assert!(!md.contains('\u{1b}') && !md.contains('\u{7}'));
}

#[test]
fn json_backup_round_trip_restores_everything() {
    let tmp = tempfile::tempdir().unwrap();
    let db = seeded(tmp.path());
    let backup = tmp.path().join("backup.json");
    ok(vetted(&db).args(["export", "--format", "json", "-o"]).arg(&backup));
    let raw = std::fs::read_to_string(&backup).unwrap();
    assert!(!raw.contains('\u{1b}') && !raw.contains('\u{202E}'), "escaped in the file, so it is safe to cat");
    let parsed: Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(
        parsed["people"].as_array().unwrap().iter().find(|p| p["notes"].is_string()).unwrap()["notes"],
        HOSTILE_NOTE
    );

    let restored = tmp.path().join("restored.db");
    let report = json(vetted(&restored).arg("import").arg(&backup).arg("--json"));
    assert_eq!(report["kind"], "vetted backup");
    let again = tmp.path().join("again.json");
    ok(vetted(&restored).args(["export", "--format", "json", "-o"]).arg(&again));
    let strip = |v: Value| {
        let mut v = v;
        v.as_object_mut().unwrap().remove("exported_at");
        v
    };
    let a = strip(parsed);
    let b = strip(serde_json::from_str(&std::fs::read_to_string(&again).unwrap()).unwrap());
    assert_eq!(a, b, "people, notes, requests, answers and decisions all restored");
    assert_eq!(ok(vetted(&restored).args(["log"])), ok(vetted(&db).args(["log"])));

    let refused = vetted(&db).arg("import").arg(&backup).output().unwrap();
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("restores into an empty store"));
}

#[test]
fn stats_count_what_happened() {
    let tmp = tempfile::tempdir().unwrap();
    let db = seeded(tmp.path());
    let s = json(vetted(&db).args(["stats", "--json"]));
    assert_eq!(s["requests"]["accepted"], 2);
    assert_eq!(s["requests"]["declined"], 1);
    assert_eq!(s["requests"]["deferred"], 1);
    assert_eq!(s["decisions"]["declined"], 2);
    let month = &s["by_month"][0];
    assert_eq!(
        (month[1].as_u64(), month[2].as_u64()),
        (Some(2), Some(1)),
        "people, not log rows: Ada and Bo (after reconsidering) accepted, Cy declined"
    );
    assert_eq!(s["top_decline_reasons"][0][1], 1);
    let answers = s["answers"].as_array().unwrap();
    assert!(answers.iter().any(|a| a[0] == "selling" && a[1] == 0 && a[2] == 1), "{answers:?}");
    assert!(answers.iter().any(|a| a[0] == "know_like_trust" && a[1] == 1), "{answers:?}");
    let week = s["last_7_days"].as_array().unwrap();
    assert_eq!(week.len(), 7);
    assert_eq!(week[6][1], 5, "today's decisions");
    let text = ok(vetted(&db).arg("stats"));
    assert!(text.contains("this week") && text.contains("5 decisions"), "{text}");
}

#[test]
fn linkedin_todo_and_dated_deferrals_from_the_cli() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("v.db");
    let export = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/export-2024-06");
    ok(vetted(&db).arg("import").arg(&export));
    let pending = json(vetted(&db).args(["list", "--json"]));
    let id_of = |name: &str| pending.as_array().unwrap().iter().find(|r| r["name"] == name).unwrap()["id"].to_string();
    let (zoe, quinn, kenji) = (id_of("Zoë Müller"), id_of("Quinn Sales"), id_of("Kenji Sato"));
    ok(vetted(&db).args(["decide", &zoe, "--accept"]));
    ok(vetted(&db).args(["decide", &quinn, "--decline", "--reason", "template spam"]));
    ok(vetted(&db).args(["decide", &kenji, "--defer", "--until", "2999-01-01"]));
    let bad = vetted(&db).args(["decide", &kenji, "--accept", "--until", "2999-01-01"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2), "--until goes with --defer only");

    let todo = json(vetted(&db).args(["todo", "--json"]));
    let actions: Vec<(&str, &str)> =
        todo.as_array().unwrap().iter().map(|t| (t["name"].as_str().unwrap(), t["action"].as_str().unwrap())).collect();
    assert_eq!(actions, [("Zoë Müller", "accept"), ("Quinn Sales", "ignore")]);
    ok(vetted(&db).args(["todo", "--done", &quinn]));
    assert_eq!(vetted(&db).args(["todo", "--done", &quinn]).output().unwrap().status.code(), Some(1));
    assert!(ok(vetted(&db).arg("todo")).contains("accept  Zoë Müller"));

    // The newer export lists Zoë as a connection: accepted there, so done.
    ok(vetted(&db).arg("import").arg(export.with_file_name("export-2024-09")));
    assert_eq!(ok(vetted(&db).arg("todo")), "(nothing left to do on LinkedIn)\n");
    let deferred = json(vetted(&db).args(["list", "--status", "deferred", "--json"]));
    assert_eq!(deferred.as_array().unwrap().len(), 1, "Kenji waits until 2999");
}
