//! Issue 20, the "weaker" list: a query of a thousand terms, a decision with the largest id,
//! an unclosed quote in Invitations.csv, and an older export imported after a newer one.

mod common;

use common::env::Env;
use vetted::store::{LogFilter, LogScope, Store};

#[test]
fn a_query_of_a_thousand_terms_is_refused_in_words() {
    let env = Env::new();
    env.ok(&["add", "--name", "Ada Example", "--message", "selling things"]);
    env.ok(&["decide", "1", "--decline", "--reason", "selling"]);
    let many = vec!["selling"; 1000].join(" ");
    for command in ["log", "list"] {
        let out = env.run(&[command, "--where", &many]);
        let err = String::from_utf8_lossy(&out.stderr);
        // Before: SQLite's own "Expression tree is too large (maximum depth 1000)".
        assert_eq!(out.status.code(), Some(2), "{command}: {err}");
        assert!(err.contains("1000 terms: a query holds at most 100"), "{command}: {err}");
        assert!(!err.to_lowercase().contains("expression tree"), "{err}");
    }
    let hundred = vec!["selling"; 100].join(" ");
    assert!(env.ok(&["log", "--where", &hundred]).contains("Ada Example"));
}

#[test]
fn a_decision_with_the_largest_id_is_listed() {
    let store = Store::in_memory().unwrap();
    let tx = store.raw_for_tests().unchecked_transaction().unwrap();
    tx.execute("INSERT INTO person (id, key, name) VALUES (1, 'k1', 'Ada Example')", []).unwrap();
    tx.execute(
        "INSERT INTO request (id, person_id, source, sent_at, message, status, added_at) \
         VALUES (1, 1, 'manual', '', 'hello', 'declined', '')",
        [],
    )
    .unwrap();
    for id in [1, i64::MAX] {
        tx.execute(
            "INSERT INTO decision (id, request_id, status, reason, decided_at) \
             VALUES (?1, 1, 'declined', 'selling things', '2026-01-01T00:00:00Z')",
            [id],
        )
        .unwrap();
    }
    tx.commit().unwrap();
    let ids = |rows: Vec<vetted::store::DeclinedRow>| rows.iter().map(|r| r.decision.id).collect::<Vec<_>>();
    // Before: `id < i64::MAX` as "no bound" left it out.
    assert_eq!(ids(store.log_search(&LogFilter::default(), LogScope::All, None, 10).unwrap()), [i64::MAX, 1]);
    let grep = LogFilter { grep: Some("selling".into()), ..LogFilter::default() };
    assert_eq!(ids(store.log_search(&grep, LogScope::All, None, 10).unwrap()), [i64::MAX, 1]);
    assert_eq!(ids(store.log_search(&grep, LogScope::All, Some(i64::MAX), 10).unwrap()), [1]);
    assert_eq!(ids(store.log_search(&LogFilter::default(), LogScope::DeclinedNow, None, 10).unwrap()), [i64::MAX]);
    assert_eq!(ids(store.log_search_above(&grep, LogScope::All, Some(1), 10).unwrap()), [i64::MAX]);
}

#[test]
fn an_unclosed_quote_is_named_at_the_row_where_it_opened() {
    let env = Env::new();
    let path = env.path("Invitations.csv");
    std::fs::write(
        &path,
        "From,To,Sent At,Message,Direction\n\
         Ada Quill,Me,\"8/26/22, 8:56 PM\",\"Hello there,INCOMING\n\
         Bo Lantern,Me,\"8/27/22, 9:10 AM\",,INCOMING\n\
         Cy Harbor,Me,\"8/28/22, 9:10 AM\",,INCOMING\n",
    )
    .unwrap();
    // Before: Ada's row was skipped as 'Direction "9:10 AM\"" is neither INCOMING nor
    // OUTGOING'; Bo's row, swallowed into it, was never named.
    let out = env.ok(&["import", path.to_str().unwrap()]);
    assert!(
        out.contains(
            "Invitations.csv:2: a quote opened in this row is not closed before line 3: line 3 was read into it"
        ),
        "{out}"
    );
    assert!(out.contains("1 new request"), "{out}");
    // A message over several lines, quoted right, is one row as before.
    let fine = env.path("fine/Invitations.csv");
    std::fs::create_dir(env.path("fine")).unwrap();
    std::fs::write(
        &fine,
        "From,To,Sent At,Message,Direction\nDi Meadow,Me,\"8/29/22, 8:56 PM\",\"Hi,\nwe met, at the meetup\",INCOMING\n",
    )
    .unwrap();
    let out = env.ok(&["import", fine.to_str().unwrap()]);
    assert!(out.contains("1 new request") && !out.contains("invalid"), "{out}");
}

#[test]
fn a_row_over_a_mebibyte_is_refused_as_it_is_read_naming_its_line() {
    let env = Env::new();
    let path = env.path("Invitations.csv");
    let huge = "x".repeat(3 << 20);
    std::fs::write(
        &path,
        format!(
            "From,To,Sent At,Message,Direction\nAda Quill,Me,\"8/26/22, 8:56 PM\",,INCOMING\n\
             Bo Lantern,Me,\"8/27/22, 9:10 AM\",\"{huge}\",INCOMING\n"
        ),
    )
    .unwrap();
    // Before: the CSV reader held the whole row (a 480 MB field took 521 MiB), then skipped it.
    let out = env.run(&["import", path.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("Invitations.csv: line 3: the row starting there is over 1024 KiB"), "{err}");
    assert!(!env.ok(&["list"]).contains("Ada Quill"), "nothing imported");
}

/// A bulk import into an empty store finds the people it made through a map of key hashes; a
/// huge one (5M rows peaked at 298 MiB) stops growing the map at a bound and brings the key
/// index back for the rest. The bound is lowered here so the switch happens at the 5th person:
/// the people asked about again after it are still found, and the store ends the same.
#[test]
fn an_import_past_its_map_of_people_ends_the_same_as_one_within_it() {
    let env = Env::new();
    let csv = env.path("Invitations.csv");
    let mut text = String::from("From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n");
    for round in 0..2 {
        for i in 0..12 {
            let day = 1 + round * 12 + i;
            text.push_str(&format!(
                "Ada Example{i},Me,\"6/{day}/24, 4:15 PM\",,INCOMING,https://www.linkedin.com/in/ada-{i},\
                 https://www.linkedin.com/in/me\n"
            ));
        }
    }
    std::fs::write(&csv, text).unwrap();
    let import = |db: &str, max: Option<&str>| {
        let mut cmd = env.cmd();
        cmd.env("VETTED_DB", env.path(db)).args(["import", csv.to_str().unwrap()]);
        if let Some(max) = max {
            cmd.env("VETTED_TEST_BULK_PEOPLE_MAX", max);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let list =
            env.cmd().env("VETTED_DB", env.path(db)).args(["list", "--json", "--status", "all"]).output().unwrap();
        let people: i64 = rusqlite::Connection::open(env.path(db))
            .unwrap()
            .query_row("SELECT count(*) FROM person", [], |r| r.get(0))
            .unwrap();
        (String::from_utf8(list.stdout).unwrap(), people)
    };
    let (within, people) = import("within.db", None);
    assert_eq!(people, 12, "each person asked twice is one person");
    assert_eq!(import("past.db", Some("5")), (within, 12));
}

/// An import into a store that held requests turns to bulk writing once it has added many
/// (its indexes dropped, and built again before the work across rows): lowered here to the 3rd
/// new request, it ends with the same requests, report, evidence and indexes as row by row.
#[test]
fn a_big_import_into_a_store_that_held_requests_ends_the_same_in_bulk() {
    let env = Env::new();
    let header = "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n";
    let pitch = "Hi Sam, our agency builds payment stores for brands like yours. Open to a free audit?";
    let row = |name: &str, day: u32, note: &str| {
        format!(
            "{name},Me,\"6/{day}/24, 4:15 PM\",\"{note}\",INCOMING,https://www.linkedin.com/in/{},\
             https://www.linkedin.com/in/me\n",
            name.to_lowercase().replace(' ', "-")
        )
    };
    let (first, second) = (env.path("first.csv"), env.path("second.csv"));
    let mut text = header.to_string();
    for i in 0..6 {
        text.push_str(&row(&format!("Ada Example{i}"), 1 + i, if i % 2 == 0 { pitch } else { "" }));
    }
    std::fs::write(&first, &text).unwrap();
    for i in 0..12 {
        text.push_str(&row(&format!("Bo Example{i}"), 10 + i, if i % 3 == 0 { pitch } else { "" }));
    }
    text.push_str(&row("Ada Example1", 25, "Asking again: we met at the parser meetup, remember?"));
    std::fs::write(&second, text).unwrap();
    let imported = |db: &str, bulk_after: Option<&str>| {
        let at = |cmd: &mut std::process::Command| {
            cmd.env("VETTED_DB", env.path(db));
        };
        let mut cmd = env.cmd();
        at(&mut cmd);
        assert!(cmd.args(["import", first.to_str().unwrap()]).output().unwrap().status.success());
        let mut cmd = env.cmd();
        at(&mut cmd);
        if let Some(n) = bulk_after {
            cmd.env("VETTED_TEST_BULK_AFTER", n);
        }
        let out = cmd.args(["import", second.to_str().unwrap()]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let mut cmd = env.cmd();
        at(&mut cmd);
        let list = cmd.args(["list", "--json", "--status", "all"]).output().unwrap();
        let conn = rusqlite::Connection::open(env.path(db)).unwrap();
        let indexes: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let report = String::from_utf8(out.stdout).unwrap().replace(db, "");
        (report, String::from_utf8(list.stdout).unwrap(), indexes)
    };
    let row_by_row = imported("rows.db", None);
    assert!(row_by_row.1.contains("campaign"), "the pitch of six senders: {}", row_by_row.1);
    assert!(row_by_row.2.iter().any(|i| i == "person_key") && row_by_row.2.iter().any(|i| i == "request_queue"));
    assert_eq!(imported("bulk.db", Some("3")), row_by_row);
}
