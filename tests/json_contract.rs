//! docs/json.md is the contract of every `--json` output and of the backup: each of its field
//! tables is checked here against what the binary really prints (names, and types).

use serde_json::Value;
use std::path::Path;

/// One documented table: the heading's command (or backup section) and its (field, type) rows.
struct Table {
    heading: String,
    fields: Vec<(String, String)>,
}

fn tables() -> Vec<Table> {
    let doc = include_str!("../docs/json.md");
    let mut out: Vec<Table> = Vec::new();
    for line in doc.lines() {
        if let Some(h) = line.strip_prefix("## ").or_else(|| line.strip_prefix("### ")) {
            out.push(Table { heading: h.to_string(), fields: Vec::new() });
        } else if let Some(row) = line.strip_prefix("| `") {
            let cells: Vec<&str> = row.split(" | ").collect();
            let name = cells[0].trim_end_matches('`').to_string();
            out.last_mut().expect("a table under a heading").fields.push((name, cells[1].to_string()));
        }
    }
    out.retain(|t| !t.fields.is_empty());
    out
}

fn fits(value: &Value, ty: &str) -> bool {
    (ty.contains("or null") && value.is_null())
        || match ty.split_whitespace().next().unwrap_or("") {
            "integer" => value.is_i64(),
            "string" => value.is_string(),
            "boolean" => value.is_boolean(),
            "object" => value.is_object(),
            "array" => value.is_array(),
            other => panic!("docs/json.md: unknown type {other:?}"),
        }
}

fn check(what: &str, object: &Value, table: &Table) {
    let object = object.as_object().unwrap_or_else(|| panic!("{what}: not an object: {object}"));
    let documented: Vec<&str> = table.fields.iter().map(|(n, _)| n.as_str()).collect();
    let mut real: Vec<&str> = object.keys().map(String::as_str).collect();
    real.sort();
    let mut sorted = documented.clone();
    sorted.sort();
    assert_eq!(real, sorted, "{what}: the fields docs/json.md lists ({}) differ", table.heading);
    for (name, ty) in &table.fields {
        assert!(fits(&object[name], ty), "{what}.{name} = {} is not {ty}", object[name]);
    }
}

mod common;
use common::env::Env;

fn first(v: Value) -> Value {
    v.as_array().and_then(|a| a.first()).cloned().unwrap_or_else(|| panic!("an empty list: {v}"))
}

#[test]
fn every_documented_field_list_matches_the_real_output() {
    let env = Env::new();
    let quirks = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/quirks");
    let first_export = quirks.join("reconcile/first");
    env.ok(&["import", first_export.to_str().unwrap()]);
    // One of the user's own invitations, for the backup's `outgoing_invitations`.
    let outgoing = env.path("outgoing");
    std::fs::create_dir_all(&outgoing).unwrap();
    std::fs::write(
        outgoing.join("Invitations.csv"),
        "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n\
         You,Dana Invitee,\"3/2/24, 9:00 AM\",,OUTGOING,https://www.linkedin.com/in/you,https://www.linkedin.com/in/dana-i\n",
    )
    .unwrap();
    env.ok(&["import", outgoing.to_str().unwrap()]);
    let ids: Vec<String> =
        env.json(&["list", "--json"]).as_array().unwrap().iter().map(|r| r["id"].to_string()).collect();
    env.ok(&["decide", &ids[0], "--accept", "--check", "know_like_trust"]);
    env.ok(&["decide", &ids[1], "--decline", "--reason", "selling"]);
    env.ok(&["decide", &ids[2], "--defer", "--until", "2099-01-01"]);
    let newer = quirks.join("bare-url-2023");
    let import = env.json(&["import", "--json", "--dry-run", newer.to_str().unwrap()]);
    let backup = {
        let out = env.cmd().args(["export", "--format", "json"]).output().unwrap();
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };

    let all = tables();
    let base = |cmd: &str| all.iter().find(|t| t.heading.contains(&format!("`{cmd} --json`"))).unwrap().fields.clone();
    let mut checked = 0;
    for mut table in tables() {
        // To do rows are requests plus `action`; Declined rows are decisions plus `notes`.
        for (extended, of) in [("`todo --json`", "list"), ("`declined --json`", "log")] {
            if table.heading.contains(extended) {
                table.fields.extend(base(of));
            }
        }
        let h = table.heading.as_str();
        let (what, value) = if let Some(section) = h.strip_prefix("Backup `").and_then(|s| s.strip_suffix('`')) {
            (format!("backup {section}"), first(backup[section].clone()))
        } else if h.starts_with("Backup:") {
            ("backup".into(), backup.clone())
        } else if h == "A finding" {
            ("a finding".into(), first(first(env.json(&["list", "--status", "all", "--json"]))["findings"].clone()))
        } else {
            let args = h.split('`').nth(1).unwrap_or_else(|| panic!("heading without a command: {h}"));
            let args: Vec<&str> = args.split_whitespace().collect();
            // The commands that write, on what the store holds now.
            let pending = || first(env.json(&["list", "--json"]))["id"].to_string();
            let newest = || first(env.json(&["log", "--json"]))["id"].to_string();
            let file = env.path("snapshot.db");
            let batch = || {
                let made = env.json(&["decide", "--where", "age:>1d", "--defer", "--yes", "--json"]);
                made["batch"].to_string()
            };
            let args: Vec<String> = match args[..] {
                ["decide", "ID", ..] => vec!["decide".into(), pending(), "--accept".into(), "--json".into()],
                ["undo", "ID", ..] => vec!["undo".into(), newest(), "--json".into()],
                ["undo", "--batch", "ID", ..] => vec!["undo".into(), "--batch".into(), batch(), "--json".into()],
                ["backup", "FILE", ..] => vec!["backup".into(), file.display().to_string(), "--json".into()],
                ["forget", "PERSON", ..] => vec!["forget".into(), pending(), "--yes".into(), "--json".into()],
                ["sync", "status", ..] => {
                    // A store that syncs, through a folder of its own.
                    let dir = env.path("Sync");
                    std::fs::create_dir_all(&dir).unwrap();
                    env.ok(&["sync", "init", dir.to_str().unwrap(), "--name", "laptop"]);
                    vec!["sync".into(), "status".into(), "--json".into()]
                }
                _ => args.iter().map(|a| a.to_string()).collect(),
            };
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let value = match args[0] {
                "import" => import.clone(),
                // doctor exits 1 on a problem (a temporary folder's mode), its JSON printed first.
                "doctor" => serde_json::from_slice(&env.run(&args).stdout).unwrap(),
                "declined" => first(env.json(&args)),
                "list" => first(env.json(&["list", "--status", "all", "--json"])),
                _ => env.json(&args),
            };
            let value = if value.is_array() { first(value) } else { value };
            (args.join(" "), value)
        };
        check(&what, &value, &table);
        checked += 1;
    }
    assert_eq!(checked, 22, "every table of docs/json.md was checked");
    // `add --json`, described in prose: one request, as `list --json` shows it.
    let list = all.iter().find(|t| t.heading == "`list --json`").unwrap();
    check("add --json", &env.json(&["add", "--name", "Zed Example", "--json"]), list);
    // `who`, described in prose: its lists, and the shape of their members.
    let who = import["who"].as_object().unwrap();
    let mut lists: Vec<&str> = who.keys().map(String::as_str).collect();
    lists.sort();
    assert_eq!(
        lists,
        [
            "accepted_connected",
            "ambiguous",
            "asked_again",
            "became_connections",
            "different_person",
            "ignored_on_linkedin",
            "not_listed",
            "to_do_closed",
            "vanished"
        ]
    );
    let namesake = first(import["who"]["different_person"].clone());
    assert!(namesake["id"].is_i64() && namesake["name"].is_string() && namesake["candidates"][0].is_string());
}
