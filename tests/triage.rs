//! Triage of a big backlog: the query language against a store imported from a real-format
//! LinkedIn export (three templates, no-message waves, a hidden character), batches (all or
//! nothing, undo), the reasons given before, the groups, and the command line end to end.

mod common;

use common::env::Env;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use vetted::checklist::Checklist;
use vetted::model::{NewRequest, Status, Verdict};
use vetted::query::{self, Query};
use vetted::store::{Direction, GroupBy, LogFilter, LogScope, QueueKey, QueueOrder, Store, StoreError};

const T1: &str = "Hi {first_name}, I help founders 10x their pipeline. Quick call?";
const T2: &str = "I'd like to add you to my professional network.";
const T3: &str = "Loved your talk on keyset pagination at RustConf";

/// An Invitations.csv as LinkedIn writes it since late 2023 (US Pacific "Sent At", quoted
/// fields): 25 of template 1 (June), 12 of template 2 (September), 4 of template 3 (November),
/// 15 without a message (October), 4 personal notes, one name with a bidi control, one outgoing.
fn export(dir: &Path) -> PathBuf {
    let mut csv = String::from("From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n");
    let mut row = |name: String, slug: String, sent: String, message: &str, direction: &str| {
        let message = message.replace('"', "\"\"");
        csv.push_str(&format!(
            "{name},Pat Tester,\"{sent}\",\"{message}\",{direction},https://www.linkedin.com/in/{slug},\
             https://www.linkedin.com/in/pat-tester\n"
        ));
    };
    for i in 0..25 {
        row(format!("Tem One {i}"), format!("t1-{i}"), format!("6/{}/26, 9:00 AM", i + 1), T1, "INCOMING");
    }
    for i in 0..12 {
        row(format!("Tem Two {i}"), format!("t2-{i}"), format!("9/{}/26, 10:00 AM", i + 1), T2, "INCOMING");
    }
    for i in 0..4 {
        row(format!("Tem Three {i}"), format!("t3-{i}"), format!("11/{}/26, 8:00 PM", i + 20), T3, "INCOMING");
    }
    for i in 0..15 {
        row(format!("Quiet {i}"), format!("q-{i}"), format!("10/{}/26, 7:30 AM", i + 1), "", "INCOMING");
    }
    let personal = [
        "We met at the SQLite meetup, great talk!",
        "Your crate saved my week, thank you",
        "Same team at Example Corp in 2019, let's reconnect",
        "Read your post on parsers; would love to compare notes",
    ];
    for (i, m) in personal.iter().enumerate() {
        row(format!("Pal {i}"), format!("pal-{i}"), format!("11/{}/26, 9:15 AM", i + 25), m, "INCOMING");
    }
    row("Eve\u{202E}Mallory".into(), "eve".into(), "11/29/26, 1:00 PM".into(), "hello there friend", "INCOMING");
    row("Pat Tester".into(), "pat-tester".into(), "11/29/26, 1:00 PM".into(), "", "OUTGOING");
    let path = dir.join("Invitations.csv");
    std::fs::write(&path, csv).unwrap();
    path
}

const TOTAL: u64 = 61;

fn now() -> Timestamp {
    "2026-12-01T12:00:00Z".parse().unwrap()
}

fn store() -> (tempfile::TempDir, Store, Checklist) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::in_memory().unwrap();
    let checklist = Checklist::builtin();
    let opts = vetted::import::Options { dry_run: false, progress: None };
    // Without evidence: these tests pin the query terms against answers given by hand (the
    // evidence's own ranks and terms: tests/evidence_store.rs).
    vetted::import::import_with_phrases(&mut store, &export(dir.path()), opts, &checklist, None).unwrap();
    (dir, store, checklist)
}

fn q(input: &str) -> Query {
    query::parse_at(input, &TimeZone::UTC, &Checklist::builtin(), now()).unwrap_or_else(|e| panic!("{input}: {e}"))
}

fn id_of(store: &Store, name: &str) -> i64 {
    let found = store.ids_where(&q(&format!("\"{name}\"")), 10).unwrap();
    assert_eq!(found.len(), 1, "{name}");
    found[0].0
}

/// Every row of the queue `order` for `query`, walking pages of `page` in `dir`.
fn walk(store: &Store, order: QueueOrder, query: &Query, dir: Direction, page: usize) -> Vec<i64> {
    let mut all: Vec<i64> = Vec::new();
    let mut from: Option<QueueKey> = None;
    loop {
        let rows = store.queue_page_where(order, query, from.as_ref(), dir, page).unwrap();
        let Some(edge) = (if dir == Direction::Forward { rows.last() } else { rows.first() }) else { break };
        from = Some(edge.1.clone());
        let ids: Vec<i64> = rows.iter().map(|(r, _)| r.id).collect();
        if dir == Direction::Forward {
            all.extend(ids);
        } else {
            all.splice(0..0, ids);
        }
    }
    all
}

#[test]
fn every_term_and_its_negation_select_in_sql() {
    let (_dir, mut store, checklist) = store();
    // Answers give two recommendations; a declined sender asks again; one request by hand.
    let pal = id_of(&store, "Pal 0");
    store.set_answers(pal, &[("know_like_trust", Some(true))], &checklist).unwrap();
    let t2 = id_of(&store, "Tem Two 0");
    store.set_answers(t2, &[("selling", Some(true)), ("scam", Some(false))], &checklist).unwrap();
    let quiet = id_of(&store, "Quiet 0");
    store.decide(quiet, Verdict::Decline, "no note", &Default::default()).unwrap();
    let again = NewRequest {
        name: "Quiet 0".into(),
        profile_url: Some("https://www.linkedin.com/in/q-0".into()),
        sent_at_raw: Some("11/30/26, 9:00 AM".into()),
        sent_at: Some("2026-11-30T17:00:00Z".into()),
        source: "linkedin".into(),
        ..NewRequest::default()
    };
    store.add_request(&again).unwrap();
    store
        .add_request(&NewRequest { name: "Met At Meetup".into(), source: "manual".into(), ..Default::default() })
        .unwrap();
    let total = TOTAL + 1; // one declined, one asked again, one by hand
    assert_eq!(store.count_where(&Query::default()).unwrap(), total);

    let cases: &[(&str, u64)] = &[
        ("hint:no-message", 14), // Quiet 0 declined; the two added by hand carry no hints
        ("hint:template", 25),
        ("hint:sales", 25),
        ("hint:same-message", 41),
        ("hint:hidden-chars", 1),
        ("rec:accept", 1),
        ("rec:decline", 1),
        ("rec:undecided", total - 2),
        ("check:selling=yes", 1),
        ("check:scam=no", 1),
        ("check:know_like_trust=unknown", total - 1),
        ("age:>150d", 25),    // June, before 2026-07-04
        ("age:<7d", 7),       // from 11/24 noon: Pal 0-3, Eve, asked again, by hand (sent now)
        ("sent:2026-06", 25), // local days: the test zone is UTC
        ("sent:2026-09-05", 1),
        ("asked-again", 1),
        ("source:linkedin", total - 1),
        ("source:MANUAL", 1),
        ("sqlite", 1),
        ("\"keyset pagination\"", 4),
        ("founders", 25),
        (&format!("message-of:{t2}"), 12),
        ("hint:template sent:2026-06 founders", 25),
        ("hint:no-message sent:2026-10-03", 1),
    ];
    let check = |store: &Store| {
        for (input, expected) in cases {
            let (yes, no) = (q(input), q(&format!("-{input}")));
            let n = store.count_where(&yes).unwrap();
            assert_eq!(n, *expected, "{input}");
            let ids: BTreeSet<i64> = store.ids_where(&yes, 1000).unwrap().into_iter().map(|(id, _)| id).collect();
            assert_eq!(ids.len() as u64, n, "{input}: ids_where");
            // `-` negates the term it stands before: for one term, the rest of the queue.
            if yes.terms.len() == 1 {
                let others: BTreeSet<i64> = store.ids_where(&no, 1000).unwrap().into_iter().map(|(id, _)| id).collect();
                assert!(ids.is_disjoint(&others), "{input}: a row and its negation");
                assert_eq!(n + others.len() as u64, total, "{input}: the negation is the rest");
            }
            let walked: BTreeSet<i64> =
                walk(store, QueueOrder::Oldest, &yes, Direction::Forward, 7).into_iter().collect();
            assert_eq!(walked, ids, "{input}: the queue pages");
        }
    };
    check(&store);
    // The same once the search index has caught up (text terms then start from its candidates).
    while store.search_index_step(1000).unwrap() {}
    check(&store);
    assert!(store.ids_where(&q("hint:template"), 3).unwrap().iter().all(|(_, s)| *s == Status::Pending));
    assert_eq!(store.ids_where(&q("hint:template"), 3).unwrap().len(), 3, "the limit");
    // The log's terms are refused for requests, naming the term.
    let err = store.count_where(&q("hint:sales is:declined")).unwrap_err();
    assert!(matches!(&err, StoreError::Query(e) if e.term == "is:declined"), "{err}");
}

#[test]
fn the_queue_pages_a_query_in_every_order_both_ways() {
    let (_dir, mut store, checklist) = store();
    let query = q("-hint:template -hint:hidden-chars");
    for (name, answer) in [("Quiet 3", "know_like_trust"), ("Tem Two 4", "selling")] {
        let id = id_of(&store, name);
        store.set_answers(id, &[(answer, Some(true))], &checklist).unwrap();
    }
    for order in [QueueOrder::Oldest, QueueOrder::Newest, QueueOrder::Recommendation] {
        let forward = walk(&store, order, &query, Direction::Forward, 5);
        assert_eq!(forward.len(), 35, "{order:?}");
        assert_eq!(walk(&store, order, &query, Direction::Backward, 4), forward, "{order:?}: backward");
        assert_eq!(walk(&store, order, &query, Direction::Forward, 100), forward, "{order:?}: one page");
        if order == QueueOrder::Recommendation {
            assert_eq!(forward[0], id_of(&store, "Quiet 3"), "the recommended accept first");
            assert_eq!(forward[34], id_of(&store, "Tem Two 4"), "the recommended decline last");
        }
    }
    let oldest = walk(&store, QueueOrder::Oldest, &query, Direction::Forward, 5);
    let mut newest = walk(&store, QueueOrder::Newest, &query, Direction::Forward, 5);
    newest.reverse();
    assert_eq!(oldest, newest);
}

#[test]
fn a_batch_is_all_or_nothing_with_each_requests_own_answers() {
    let (_dir, mut store, checklist) = store();
    let items = store.ids_where(&q("hint:template"), 100).unwrap();
    assert_eq!(items.len(), 25);
    let flagged = items[3].0;
    store.set_answers(flagged, &[("selling", Some(true))], &checklist).unwrap();
    // One of them is decided elsewhere after the selection: the batch writes nothing.
    let stale = items[10].0;
    store.decide(stale, Verdict::Accept, "met them after all", &Default::default()).unwrap();
    let log_rows = |s: &Store| s.log_page(None, 1000).unwrap().len();
    let before = log_rows(&store);
    let err = store.decide_batch(&items, Verdict::Decline, "template spam", None).unwrap_err();
    assert!(matches!(err, StoreError::BatchStale { id, status: Status::Accepted, .. } if id == stale), "{err}");
    assert!(err.to_string().contains("Tem One 10"), "names the person: {err}");
    assert!(err.to_string().contains("nothing of the batch was recorded"), "{err}");
    assert_eq!(log_rows(&store), before, "nothing written");
    assert_eq!(store.count_where(&q("hint:template")).unwrap(), 24, "all still pending but the one decided");
    assert!(matches!(store.decide_batch(&[], Verdict::Decline, "x", None), Err(StoreError::EmptyBatch)));

    // Selected again: one row each, the reason and batch shared, the answers their own.
    let items = store.ids_where(&q("hint:template"), 100).unwrap();
    let batch = store.decide_batch(&items, Verdict::Decline, " template spam ", None).unwrap();
    assert_eq!(batch.decisions.len(), 24);
    assert_eq!(store.count_where(&q("hint:template")).unwrap(), 0);
    let log = store.log_page(None, 24).unwrap();
    assert!(log.iter().all(|d| d.batch == Some(batch.id) && d.batch_size == Some(24) && d.reason == "template spam"));
    assert!(log.iter().all(|d| d.decision == Status::Declined));
    let of_flagged = log.iter().find(|d| d.request_id == flagged).unwrap();
    assert_eq!(of_flagged.answers, [("selling".to_string(), true)].into());
    assert!(log.iter().filter(|d| d.request_id != flagged).all(|d| d.answers.is_empty()));
    let single = store.log_page(None, 100).unwrap().into_iter().find(|d| d.request_id == stale).unwrap();
    assert_eq!((single.batch, single.batch_size), (None, None), "decided on its own");
    // A second batch gets the next id; a defer keeps its date.
    let rest = store.ids_where(&q("hint:no-message"), 100).unwrap();
    let later = store.decide_batch(&rest, Verdict::Defer, "", Some("2099-01-01T00:00:00Z")).unwrap();
    assert_eq!(later.id, batch.id + 1);
    assert_eq!(store.request(rest[0].0).unwrap().defer_until.as_deref(), Some("2099-01-01T00:00:00Z"));

    // The log finds the batch with the same language.
    let found =
        |s: &Store, input: &str| s.log_search(&LogFilter::of(q(input)), LogScope::All, None, 100).unwrap().len();
    assert_eq!(found(&store, "hint:template is:declined"), 24);
    assert_eq!(found(&store, "reason:\"template spam\" -check:selling=yes"), 23, "the checklist then");
    assert_eq!(found(&store, "is:declined -reason:template"), 0);
    assert_eq!(found(&store, "founders -is:declined"), 1, "the accept");
    assert_eq!(
        store.log_search(&LogFilter::of(q("is:accepted founders")), LogScope::DeclinedNow, None, 100).unwrap().len(),
        24,
        "Declined leaves is: out"
    );
}

#[test]
fn undo_batch_takes_back_every_decision_or_none() {
    let (_dir, mut store, _) = store();
    let items = store.ids_where(&q("hint:same-message -hint:template"), 100).unwrap();
    assert_eq!(items.len(), 16);
    let batch = store.decide_batch(&items, Verdict::Accept, "people I met at RustConf", None).unwrap();
    // One of them changed since: refused, naming it, nothing undone.
    let changed = items[5].0;
    let d = store.decide(changed, Verdict::Decline, "second thoughts", &Default::default()).unwrap();
    let err = store.undo_batch(batch.id).unwrap_err();
    assert!(matches!(err, StoreError::DecidedSince { id, status: Status::Declined, .. } if id == changed), "{err}");
    assert_eq!(store.count_where(&q("hint:same-message -hint:template")).unwrap(), 0, "nothing undone");
    store.undo(d).unwrap();
    assert_eq!(store.undo_batch(batch.id).unwrap(), 16);
    assert_eq!(store.count_where(&q("hint:same-message -hint:template")).unwrap(), 16, "all pending again");
    let undos = store.log_page(None, 16).unwrap();
    assert!(undos.iter().all(|u| u.undo && u.decision == Status::Pending && u.batch == Some(batch.id)));
    assert!(undos.iter().all(|u| u.batch_size == Some(16)), "16 undone together, not 32");
    assert!(matches!(store.undo_batch(batch.id), Err(StoreError::NothingToUndo)), "undone already");
    // The next batch takes the next number: an undo takes none.
    let again = store.decide_batch(&items, Verdict::Accept, "people I met at RustConf", None).unwrap();
    assert_eq!(again.id, batch.id + 1, "batch numbers do not skip after an undo");
    assert!(matches!(store.undo_batch(999), Err(StoreError::NoSuchBatch(999))));
}

#[test]
fn earlier_reasons_are_one_per_spelling_most_used_first() {
    let (_dir, mut store, _) = store();
    let ids: Vec<i64> = store.ids_where(&q("hint:no-message"), 100).unwrap().into_iter().map(|(id, _)| id).collect();
    let reasons =
        ["selling", "Selling ", "  selling", "template  spam", "Template spam", "no note", "Sell  me nothing"];
    for (id, reason) in ids.iter().zip(reasons) {
        store.decide(*id, Verdict::Decline, reason, &Default::default()).unwrap();
    }
    store.decide(ids[8], Verdict::Defer, "", &Default::default()).unwrap();
    store.release_due_deferrals("2999-01-01T00:00:00Z").unwrap(); // "deferral due": not a reason given
    let undone = store.decide(ids[9], Verdict::Decline, "changed", &Default::default()).unwrap();
    store.undo(undone).unwrap(); // "undo": not a reason given either (the decline's stays)
    assert_eq!(
        store.earlier_reasons("SEL", 10).unwrap(),
        [("selling".to_string(), 3), ("Sell me nothing".to_string(), 1)]
    );
    assert_eq!(store.earlier_reasons(" template   s", 10).unwrap(), [("Template spam".to_string(), 2)]);
    let all = store.earlier_reasons("", 10).unwrap();
    assert_eq!(all[0], ("selling".to_string(), 3));
    assert_eq!(all.len(), 5, "selling, template spam, no note, sell me nothing, changed: {all:?}");
    assert_eq!(store.earlier_reasons("", 2).unwrap().len(), 2);
    let stats = store.stats("2026-12-01".parse().unwrap(), &jiff::tz::TimeZone::UTC).unwrap();
    assert_eq!(stats.top_decline_reasons[0], ("selling".to_string(), 3));
    assert_eq!(stats.top_decline_reasons[1], ("Template spam".to_string(), 2), "one reason, in the spelling used most");
    assert_eq!(vetted::store::reason_key("  Template \t spam "), "template spam");
}

#[test]
fn groups_select_exactly_their_requests() {
    let (_dir, mut store, checklist) = store();
    let id = id_of(&store, "Pal 2");
    store.set_answers(id, &[("know_like_trust", Some(true))], &checklist).unwrap();
    let la = TimeZone::get("America/Los_Angeles").unwrap();
    for by in [GroupBy::Hint, GroupBy::Message, GroupBy::Recommendation, GroupBy::MonthSent] {
        let groups = store.groups(by, &la).unwrap();
        assert!(!groups.is_empty(), "{by:?}");
        for g in &groups {
            let query = query::parse(&g.query, &la, &checklist).unwrap();
            assert_eq!(store.count_where(&query).unwrap(), g.count, "{by:?} {g:?}");
        }
    }
    let templates = store.groups(GroupBy::Message, &la).unwrap();
    assert_eq!(templates.iter().map(|g| g.count).collect::<Vec<_>>(), [25, 12, 4]);
    assert_eq!(templates[0].label, "Hi {first_name}, I help founders 10x their pipeline.…");
    assert_eq!(templates[2].label, T3);
    let hints = store.groups(GroupBy::Hint, &la).unwrap();
    assert_eq!((hints[0].query.as_str(), hints[0].count), ("hint:same-message", 41));
    assert!(hints.iter().any(|g| g.query == "hint:no-message" && g.count == 15));
    let recs = store.groups(GroupBy::Recommendation, &la).unwrap();
    assert_eq!(
        recs.iter().map(|g| (g.query.as_str(), g.count)).collect::<Vec<_>>(),
        [("rec:accept", 1), ("rec:undecided", 60)]
    );
    let months = store.groups(GroupBy::MonthSent, &la).unwrap();
    assert_eq!(
        months.iter().map(|g| (g.label.as_str(), g.count)).collect::<Vec<_>>(),
        [("2026-06", 25), ("2026-09", 12), ("2026-10", 15), ("2026-11", 9)]
    );
}

// The command line, the real binary.

fn imported() -> Env {
    let env = Env::new();
    let path = export(env.tmp.path());
    env.ok(&["import", path.to_str().unwrap()]);
    env
}

fn pending(env: &Env) -> usize {
    env.json(&["list", "--json"]).as_array().unwrap().len()
}

#[test]
fn decide_where_dry_run_then_the_real_run_then_undo_batch() {
    let env = imported();
    let args = ["decide", "--where", "hint:template", "--decline", "--reason", "template spam"];
    let dry = env.ok(&[&args[..], &["--dry-run"]].concat());
    assert_eq!(dry.lines().filter(|l| l.contains("Tem One")).count(), 25, "{dry}");
    assert!(dry.ends_with("would decline 25 request(s) (dry run: nothing was changed)\n"), "{dry}");
    let json = env.json(&[&args[..], &["--dry-run", "--json"]].concat());
    assert_eq!((json["dry_run"].as_bool(), json["count"].as_u64()), (Some(true), Some(25)));
    assert_eq!(json["requests"].as_array().unwrap().len(), 25);
    assert_eq!(json["requests"][0]["name"], "Tem One 0", "oldest first");
    assert_eq!(pending(&env), TOTAL as usize, "a dry run changes nothing");

    let done = env.ok(&args);
    assert_eq!(done, "declined 25 requests together (batch 1; `vetted undo --batch 1` takes them back)\n");
    assert_eq!(pending(&env), 36);
    let log = env.ok(&["log"]);
    assert_eq!(
        log.lines()
            .filter(|l| l.ends_with(
                "template spam (batch 1, 25 declined together)  · decided on: suggested sales pitch: ‘I help’, ‘Quick call’, ‘pipeline’"
            ))
            .count(),
        25,
        "{log}"
    );
    let log = env.json(&["log", "--json", "--where", "is:declined founders"]);
    assert!(log.as_array().unwrap().iter().all(|d| d["batch"] == 1));
    assert_eq!(log.as_array().unwrap().len(), 25);

    let json = env.json(&["decide", "--where", "hint:no-message", "--defer", "--json"]);
    assert_eq!((json["batch"].as_i64(), json["count"].as_u64()), (Some(2), Some(15)));
    assert_eq!(json["decisions"].as_array().unwrap().len(), 15);
    let none = env.json(&["decide", "--where", "hint:no-message", "--defer", "--json"]);
    assert_eq!((none["batch"].is_null(), none["count"].as_u64()), (true, Some(0)));

    assert_eq!(env.ok(&["undo", "--batch", "1"]), "undid batch 1: 25 decision(s) taken back (the log keeps them)\n");
    assert_eq!(pending(&env), 46);
    env.fails(&["undo", "--batch", "1"], 1, "nothing to undo");
    env.fails(&["undo", "--batch", "99"], 1, "no batch 99");
    env.fails(&["undo"], 2, "--batch");
}

#[test]
fn decide_where_refuses_what_it_cannot_do_safely() {
    let env = imported();
    env.fails(&["decide", "--where", "  ", "--accept"], 2, "an empty query would select every pending request");
    env.fails(&["decide", "--where", "hint:foo", "--accept"], 2, "--where: hint:foo? use hint:no-message");
    env.fails(&["decide", "--where", "is:declined", "--accept"], 2, "is:declined: is:, reason:");
    env.fails(&["decide", "--where", "hint:template", "--decline"], 2, "a decline needs --reason");
    env.fails(
        &["decide", "--where", "hint:template", "--accept", "--check", "scam"],
        2,
        "--check and --flag go with one",
    );
    env.fails(&["decide", "3", "--where", "hint:template", "--accept"], 2, "cannot be used with");
    env.fails(&["decide", "--accept", "--dry-run"], 2, "--where");
    // Above 50 without a terminal: refused with the fix, nothing written.
    let all = ["decide", "--where", "source:linkedin", "--defer"];
    env.fails(&all, 2, "--where selects 61 requests, more than 50: add --yes");
    assert_eq!(pending(&env), TOTAL as usize);
    let out = env.run_with_input(&all, b"yes\n");
    assert_eq!(out.status.code(), Some(2), "stdin not a terminal: --yes, never a typed answer");
    assert!(env.ok(&[&all[..], &["--yes"]].concat()).starts_with("deferred 61 requests together"));
    assert_eq!(pending(&env), 0);
}

#[test]
fn list_where_and_todo_done_in_bulk() {
    let env = imported();
    let quiet = env.json(&["list", "--where", "hint:no-message -\"Quiet 1\"", "--json"]);
    assert_eq!(quiet.as_array().unwrap().len(), 15 - 6, "Quiet 1, 10-14 left out");
    let table = env.ok(&["list", "--where", "sqlite"]);
    assert!(table.contains("Pal 0") && table.lines().count() == 2, "{table}");
    env.fails(&["list", "--where", "sqlite", "--status", "declined"], 2, "--where lists pending requests");
    env.fails(&["list", "--where", "rec:maybe"], 2, "rec:maybe? use rec:accept");
    env.ok(&["decide", "--where", "hint:same-message", "--decline", "--reason", "spam", "--yes"]);
    let todo = env.json(&["todo", "--json"]);
    let ids: Vec<String> = todo.as_array().unwrap().iter().map(|t| t["id"].to_string()).collect();
    assert_eq!(ids.len(), 41);
    assert_eq!(env.ok(&["todo", "--done", &ids[0], &ids[1]]), "marked 2 requests done on LinkedIn\n");
    env.fails(&["todo", "--done", &ids[2], &ids[0]], 1, &format!("request {} has nothing left to do", ids[0]));
    assert_eq!(env.json(&["todo", "--json"]).as_array().unwrap().len(), 39, "all or none");
    assert_eq!(env.ok(&["todo", "--all-shown"]), "marked 39 requests done on LinkedIn\n");
    assert_eq!(env.ok(&["todo", "--all-shown"]), "(nothing left to do on LinkedIn)\n");
}
