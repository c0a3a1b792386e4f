//! A backup is a file anybody can write (issue 20, item 1): restore refuses one whose rows
//! break the format's rules or disagree with each other, naming the field and the row; and
//! what a store already holds reaches the terminal only through the text gate, whatever
//! wrote it. All people are fictional.

mod common;
use common::env::Env;

const TITLE: &str = "\u{1b}]0;PWNED\u{7}";
const CLIPBOARD: &str = "\u{1b}]52;c;cm0gLXJmIH4K\u{7}";

/// A store with one declined request (flagged `selling`) and its backup as text.
fn backed_up() -> (Env, String) {
    let env = Env::new();
    env.ok(&["add", "--name", "Ada Example", "--url", "https://www.linkedin.com/in/ada"]);
    env.ok(&["add", "--name", "Bo Example", "--url", "https://www.linkedin.com/in/bo"]);
    env.ok(&["decide", "1", "--decline", "--reason", "no note", "--flag", "selling"]);
    let backup = env.ok(&["export", "--format", "json"]);
    (env, backup)
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

#[test]
fn a_backup_whose_rows_break_the_rules_is_refused_naming_the_field_and_the_row() {
    let (env, backup) = backed_up();
    let decided_at = |b: &str| {
        let at = b.find("\"decided_at\":\"").unwrap() + "\"decided_at\":\"".len();
        let end = at + b[at..].find('"').unwrap();
        (at, end)
    };
    let (at, end) = decided_at(&backup);
    let escaped_time = format!("{}{}{}", &backup[..at - 1], json_str(TITLE), &backup[end + 1..]);
    let cases = [
        (escaped_time, "decisions #1: `decided_at` is"),
        (
            backup.replace("{\"selling\":true}", &format!("{{{}:true}}", json_str(CLIPBOARD))),
            "decisions #1: `answers` is",
        ),
        (backup.replace("\"item\":\"selling\"", &format!("\"item\":{}", json_str(CLIPBOARD))), "answers #1: `item` is"),
        (
            backup.replace("\"status\":\"declined\",\"reason\"", "\"status\":\"maybe\",\"reason\""),
            "decisions #1: `status`",
        ),
        (backup.replace("\"status\":\"pending\"", "\"status\":\"waiting\""), "requests #2: `status`"),
        (
            backup.replace("{\"id\":1,\"request_id\":1", "{\"id\":9223372036854775807,\"request_id\":1"),
            "decisions #1: `id` is",
        ),
        // Rows that are each fine but disagree: Bo pending in the backup, declined by nothing.
        (
            backup.replace(
                "\"hints\":\"no_message\",\"status\":\"pending\"",
                "\"hints\":\"no_message\",\"status\":\"declined\"",
            ),
            "request 2 is declined but its latest decision says nothing",
        ),
    ];
    for (i, (text, says)) in cases.iter().enumerate() {
        assert_ne!(text, &backup, "case {i} changed nothing");
        let file = env.path(&format!("backup{i}.json"));
        std::fs::write(&file, text).unwrap();
        let db = env.path(&format!("restored{i}.db"));
        env.fails(&["--db", db.to_str().unwrap(), "import", file.to_str().unwrap()], 1, says);
        let all = env.ok(&["--db", db.to_str().unwrap(), "list", "--status", "all", "--json"]);
        assert_eq!(all.trim(), "[]", "case {i}: nothing stored");
    }
    // The backup as written restores.
    let file = env.path("backup.json");
    std::fs::write(&file, &backup).unwrap();
    env.ok(&["--db", env.path("whole.db").to_str().unwrap(), "import", file.to_str().unwrap()]);
}

#[test]
fn fields_a_store_already_holds_reach_the_terminal_only_through_the_text_gate() {
    // A store an older vetted restored such a backup into: the raw values are in it.
    let (env, _) = backed_up();
    let db = env.path("v.db");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("DROP TRIGGER decision_append_only").unwrap();
    conn.execute(
        "UPDATE decision SET decided_at = ?1, answers = json_object(?2, json('true'))",
        rusqlite::params![TITLE, CLIPBOARD],
    )
    .unwrap();
    drop(conn);
    let md = env.path("log.md");
    env.ok(&["export", "--format", "md", "-o", md.to_str().unwrap()]);
    for (what, shown) in [
        ("log", env.ok(&["log"])),
        ("declined", env.ok(&["declined"])),
        ("markdown", std::fs::read_to_string(&md).unwrap()),
    ] {
        assert!(!shown.contains('\u{1b}') && !shown.contains('\u{7}'), "{what}: {shown:?}");
        assert!(shown.contains('␛'), "{what}: the escape shown as a stand-in: {shown}");
    }
}

#[test]
fn a_backup_carries_the_users_outgoing_invitations() {
    let env = Env::new();
    let dir = env.path("export");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("Invitations.csv"),
        "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n\
         You,Bo Example,\"3/2/24, 9:00 AM\",,OUTGOING,https://www.linkedin.com/in/you,https://www.linkedin.com/in/bo-example\n\
         You,Cy Example,\"3/3/24, 9:00 AM\",,OUTGOING,https://www.linkedin.com/in/you,\n\
         Bo Example,You,\"3/5/24, 9:00 AM\",,INCOMING,https://www.linkedin.com/in/bo-example,\n",
    )
    .unwrap();
    env.ok(&["import", dir.to_str().unwrap()]);
    let invited = |db: &str| env.json(&["--db", db, "list", "--where", "ev:invited-them", "--json"]);
    let db = env.path("v.db");
    assert_eq!(invited(db.to_str().unwrap()).as_array().unwrap().len(), 1);
    let backup = env.ok(&["export", "--format", "json"]);
    assert!(backup.contains("\"outgoing_invitations\""), "{backup}");
    assert!(backup.contains("\"name_key\":\"cy example\""), "{backup}");
    let file = env.path("backup.json");
    std::fs::write(&file, &backup).unwrap();
    let restored = env.path("restored.db");
    let restored = restored.to_str().unwrap();
    env.ok(&["--db", restored, "import", file.to_str().unwrap()]);
    let bo = invited(restored);
    assert_eq!(bo.as_array().unwrap().len(), 1, "{bo}");
    let again = env.ok(&["--db", restored, "export", "--format", "json"]);
    let section = |b: &str| b[b.find("\"outgoing_invitations\"").unwrap()..].to_string();
    assert_eq!(section(&again), section(&backup), "the same invitations, restored");
}
