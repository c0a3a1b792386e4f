//! Hostile text through import, list and log never reaches the terminal raw.

use super::*;

/// A character that must never reach a terminal raw (as `text.rs` defines it).
fn dangerous(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

#[test]
fn hostile_text_through_import_list_and_log_never_reaches_the_terminal_raw() {
    let env = Env::new();
    let long = format!("Zed{}", "W".repeat(10_000));
    let hostile = [
        ("Csi Example", "\u{1b}[2J\u{1b}[31mred"),
        ("Osc\u{1b}]0;title\u{7} Example", "\u{1b}]8;;https://example.invalid\u{1b}\\link\u{1b}]8;;\u{1b}\\"),
        ("Dcs\u{1b}P1$r\u{1b}\\ Example", "\u{90}dcs\u{9c} \u{9b}2J c1"),
        ("Bel\u{7}\u{7} Example", "nul\u{0}byte"),
        ("Bidi\u{202E}exe.txt Example", "\u{2066}isolate\u{2069} \u{202D}override"),
        ("Zero\u{200B}\u{200D}\u{FEFF}Width", "\u{2060}joined"),
        (long.as_str(), "long name"),
    ];
    let csv = env.path("Invitations.csv");
    let mut bytes = b"From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n".to_vec();
    for (i, (name, message)) in hostile.iter().enumerate() {
        bytes.extend(
            format!(
                "\"{name}\",Me,\"6/20/24, 4:15 PM\",\"{message}\",INCOMING,https://www.linkedin.com/in/h-{i},\
                 https://www.linkedin.com/in/me\n"
            )
            .as_bytes(),
        );
    }
    std::fs::write(&csv, bytes).unwrap();
    let report = env.run(&["import", csv.to_str().unwrap()]);
    assert!(report.status.success(), "{}", stderr(&report));
    let report = String::from_utf8(report.stdout).unwrap();
    assert!(!report.chars().any(dangerous), "{report:?}");
    // A file that is not UTF-8 as a whole is read as Windows-1252, and the report says so.
    let bad = env.path("Bad.csv");
    let mut bytes = b"From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n".to_vec();
    bytes.extend(
        b"Bad\xff\xfeUtf8 Example,Me,\"6/20/24, 4:15 PM\",x\xc3(\x9b,INCOMING,https://www.linkedin.com/in/h-bad,x\n",
    );
    std::fs::write(&bad, bytes).unwrap();
    let bad_report = env.ok(&["import", bad.to_str().unwrap()]);
    assert!(!bad_report.chars().any(dangerous), "{bad_report:?}");
    for id in 1..=7 {
        env.ok(&["decide", &id.to_string(), "--decline", "--reason", "\u{1b}[8mhidden\u{202E} reason\u{7}"]);
    }
    for args in [&["list", "--status", "all"][..], &["list", "--status", "all", "--json"], &["log"], &["log", "--json"]]
    {
        let out = env.run(args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        let text = String::from_utf8(out.stdout).expect("output is UTF-8");
        let bad: Vec<char> = text.chars().filter(|&c| dangerous(c)).collect();
        assert!(bad.is_empty(), "{args:?}: raw {bad:?}");
        assert!(text.contains("Csi Example"), "{args:?}");
    }
    // Visible, not dropped: the table shows stand-ins where the controls were.
    let table = env.ok(&["list", "--status", "all"]);
    assert!(table.contains('␛'), "{table}");
    // The store keeps the original text; JSON round-trips it.
    let conn = Connection::open(env.db()).unwrap();
    for (name, message) in &hostile[..6] {
        let stored: String = conn
            .query_row(
                "SELECT r.message FROM request r JOIN person p ON p.id = r.person_id WHERE p.name = ?1",
                [name],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(&stored, message);
    }
    let json: serde_json::Value = serde_json::from_str(&env.ok(&["list", "--status", "all", "--json"])).unwrap();
    let names: Vec<&str> = json.as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    for (name, _) in &hostile {
        assert!(names.contains(name), "{:?} not round-tripped", &name[..name.len().min(20)]);
    }
    let stored: i64 =
        conn.query_row("SELECT count(*) FROM person WHERE length(name) > 10000", [], |r| r.get(0)).unwrap();
    assert_eq!(stored, 1, "the 10,000-character name is kept whole");
    assert!(bad_report.contains("is not UTF-8: read as Windows-1252"), "{bad_report}");
    assert!(env.ok(&["list"]).contains("Badÿ"), "its row is read, not lost");
}

#[test]
fn newer_or_foreign_databases_are_refused_untouched_in_every_mode() {
    let env = Env::new();
    env.ok(&["add", "--name", "Xia Sample"]);
    {
        let c = Connection::open(env.db()).unwrap();
        c.execute_batch("PRAGMA user_version = 999; PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    }
    let other = env.path("photos.db");
    Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT);")
        .unwrap();
    let before = snapshot(env.tmp.path());
    for (db, expect) in [(env.db(), "written by a newer vetted"), (other.clone(), "another application")] {
        for args in
            [&["list"][..], &["--read-only", "list"], &["--read-only", "export", "--format", "json"], &["doctor"]]
        {
            let out = env.cmd().env("VETTED_DB", &db).args(args).output().unwrap();
            assert_eq!(out.status.code(), Some(1), "{args:?}");
            let all = format!("{}{}", stderr(&out), String::from_utf8_lossy(&out.stdout));
            assert!(all.contains(expect), "{args:?}: {all}");
        }
    }
    assert_eq!(snapshot(env.tmp.path()), before);
}
