//! What the command line says is true: stats that add up, batch numbers that do not skip,
//! dates that exist, ids where `undo` needs them, JSON where `--json` is asked for, man pages,
//! completions, colour and the pager (issue 19).

mod common;
use common::env::Env;

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
