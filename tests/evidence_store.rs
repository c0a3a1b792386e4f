//! Evidence in the store: computed at import (campaigns across imports, connections named in a
//! note, the user's own invitations), evaluated again when connections arrive or the phrase
//! lists change, and the rank it gives a fresh backlog.

use std::path::Path;
use vetted::checklist::Checklist;
use vetted::evidence::Phrases;
use vetted::import::{self, Options};
use vetted::model::RequestRow;
use vetted::store::{
    Direction, PersonRef, QueueOrder, RANK_ACCEPT, RANK_DECLINE, RANK_UNDECIDED, RequestFilter, Store,
};

const HEADER: &str = "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n";

fn invitations(dir: &Path, name: &str, rows: &[(&str, &str, &str, &str)]) -> std::path::PathBuf {
    let mut text = HEADER.to_string();
    for (from, to, message, direction) in rows {
        let (inviter, invitee) = match *direction {
            "INCOMING" => (slug(from), "https://www.linkedin.com/in/sam-user".to_string()),
            _ => ("https://www.linkedin.com/in/sam-user".to_string(), slug(to)),
        };
        text.push_str(&format!(
            "{from},{to},\"3/2/26, 9:15 AM\",\"{}\",{direction},{inviter},{invitee}\n",
            message.replace('"', "\"\"")
        ));
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn slug(name: &str) -> String {
    format!("https://www.linkedin.com/in/{}", name.to_lowercase().replace(' ', "-"))
}

fn connections(dir: &Path, names: &[&str]) -> std::path::PathBuf {
    let mut text = "Notes:\n\"When exporting your connection data…\"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\n".to_string();
    for name in names {
        let (first, last) = name.split_once(' ').unwrap();
        text.push_str(&format!("{first},{last},{},,,,01 Jan 2025\n", slug(name)));
    }
    let path = dir.join("Connections.csv");
    std::fs::write(&path, text).unwrap();
    path
}

fn row<'a>(rows: &'a [RequestRow], name: &str) -> &'a RequestRow {
    rows.iter().find(|r| r.name == name).unwrap_or_else(|| panic!("no request from {name}"))
}

fn detectors(row: &RequestRow) -> Vec<&str> {
    row.findings.iter().map(|f| f.detector.as_str()).collect()
}

fn all(store: &Store) -> Vec<RequestRow> {
    store.requests_page(&RequestFilter::default(), None, 1000).unwrap()
}

fn matching(store: &Store, query: &str) -> Vec<String> {
    let query = vetted::query::parse(query, &jiff::tz::TimeZone::UTC, &Checklist::builtin()).unwrap();
    let page = store.queue_page_where(QueueOrder::Oldest, &query, None, Direction::Forward, 100).unwrap();
    let mut names: Vec<String> = page.into_iter().map(|(row, _)| row.name).collect();
    names.sort();
    names
}

const PITCH_A: &str = "Hi Sam, we help 20 SaaS teams cut cloud costs. Worth a chat next week?";
const PITCH_B: &str = "Hello Alex, we help 35 SaaS teams cut cloud costs. Worth a chat next week?";
const PITCH_C: &str = "Dear Robin, we help 12 SaaS teams cut cloud costs. Worth a chat next week?";

#[test]
fn an_import_weighs_the_evidence_of_what_it_brings() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::in_memory().unwrap();
    let first = invitations(
        dir.path(),
        "Invitations.csv",
        &[
            ("Bo Seller", "Sam User", "Our agency offers a free demo: book a 15-minute call", "INCOMING"),
            ("Cy Quiet", "Sam User", "", "INCOMING"),
            ("Di Friend", "Sam User", "Jonas Weber suggested I reach out about your parser crate", "INCOMING"),
            ("Ed Invited", "Sam User", "", "INCOMING"),
            ("Sam User", "Ed Invited", "", "OUTGOING"),
            ("Fay Pitch", "Sam User", PITCH_A, "INCOMING"),
            ("Eve\u{202E}Mallory", "Sam User", "", "INCOMING"),
        ],
    );
    connections(dir.path(), &["Jonas Weber"]);
    let report = import::import(&mut store, dir.path(), Options::default()).unwrap();
    assert_eq!((report.new, report.skipped_outgoing, report.evaluated), (6, 1, 6), "{report:?}");
    drop(first);
    let rows = all(&store);
    let bo = row(&rows, "Bo Seller");
    assert_eq!(detectors(bo), ["sales"]);
    assert!(bo.findings[0].why.starts_with("sales: ‘"), "{:?}", bo.findings);
    assert_eq!(store.rank(bo.id).unwrap(), RANK_DECLINE);
    let cy = row(&rows, "Cy Quiet");
    assert_eq!(detectors(cy), ["no_note"]);
    assert_eq!(store.rank(cy.id).unwrap(), RANK_DECLINE, "decline unless you know them");
    let di = row(&rows, "Di Friend");
    assert!(detectors(di).contains(&"introduced"), "{:?}", di.findings);
    assert_eq!(store.rank(di.id).unwrap(), RANK_ACCEPT);
    let ed = row(&rows, "Ed Invited");
    assert_eq!(detectors(ed), ["no_note", "invited_them"]);
    assert_eq!(ed.findings[1].why, "you invited them on 2026-03-02");
    assert_eq!(store.rank(ed.id).unwrap(), RANK_UNDECIDED, "having invited them outweighs the silence");
    assert!(!detectors(row(&rows, "Fay Pitch")).contains(&"campaign"), "one sender is no campaign");
    let eve = row(&rows, "Eve\u{202E}Mallory");
    assert_eq!(detectors(eve), ["scam", "no_note"], "a silent request of a bulk import still has its name looked at");
    assert_eq!(matching(&store, "ev:sales"), ["Bo Seller", "Fay Pitch"]);
    assert_eq!(matching(&store, "ev:introduced"), ["Di Friend"]);
    assert_eq!(matching(&store, "ev:invited-them"), ["Ed Invited"]);
    assert_eq!(
        matching(&store, "rec:decline -ev:sales -ev:scam"),
        ["Cy Quiet"],
        "a fresh backlog filters by recommendation"
    );
    assert_eq!(matching(&store, "ev:scam"), ["Eve\u{202E}Mallory"]);
    assert_eq!(matching(&store, "rec:accept"), ["Di Friend"]);

    // Next month's export: the same pitch from another sender, with other names and numbers.
    let next = tempfile::tempdir().unwrap();
    let path = invitations(next.path(), "Invitations.csv", &[("Gil Pitch", "Sam User", PITCH_B, "INCOMING")]);
    let report = import::import(&mut store, &path, Options::default()).unwrap();
    assert_eq!(report.evaluated, 1);
    let rows = all(&store);
    for name in ["Fay Pitch", "Gil Pitch"] {
        assert!(!detectors(row(&rows, name)).contains(&"campaign"), "two senders are no campaign yet: {name}");
    }
    // A third sender, the month after: a campaign.
    let third = tempfile::tempdir().unwrap();
    let path = invitations(third.path(), "Invitations.csv", &[("Hal Pitch", "Sam User", PITCH_C, "INCOMING")]);
    import::import(&mut store, &path, Options::default()).unwrap();
    let rows = all(&store);
    for name in ["Fay Pitch", "Gil Pitch", "Hal Pitch"] {
        let f = row(&rows, name).findings.iter().find(|f| f.detector == "campaign").cloned();
        assert_eq!(f.map(|f| f.why), Some("same campaign as 2 other senders".into()), "{name}");
        assert_eq!(store.rank(row(&rows, name).id).unwrap(), RANK_DECLINE);
    }
    // A fourth: every member's finding says so (the count is kept once for the campaign).
    let fourth = tempfile::tempdir().unwrap();
    let pitch_d = "Hi Kim, we help 7 SaaS teams cut cloud costs. Worth a chat next week?";
    let path = invitations(fourth.path(), "Invitations.csv", &[("Ida Pitch", "Sam User", pitch_d, "INCOMING")]);
    import::import(&mut store, &path, Options::default()).unwrap();
    let rows = all(&store);
    for name in ["Fay Pitch", "Gil Pitch", "Hal Pitch", "Ida Pitch"] {
        let f = row(&rows, name).findings.iter().find(|f| f.detector == "campaign").cloned().unwrap();
        assert_eq!((f.why.as_str(), f.fact.as_deref()), ("same campaign as 3 other senders", Some("3")), "{name}");
        assert_eq!(store.findings(row(&rows, name).id).unwrap(), row(&rows, name).findings, "{name}");
    }
    // Two of them forgotten: two senders are left, no campaign any more.
    for name in ["Hal Pitch", "Ida Pitch"] {
        store.forget(&PersonRef::Request(row(&rows, name).id), &Checklist::builtin()).unwrap();
    }
    let rows = all(&store);
    for name in ["Fay Pitch", "Gil Pitch"] {
        assert!(!detectors(row(&rows, name)).contains(&"campaign"), "counted again after a forget: {name}");
    }
}

#[test]
fn friends_who_write_alike_are_no_campaign() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::in_memory().unwrap();
    // Colleagues back from one conference: a short note, and a longer one with a reason.
    let short = "Great meeting you at RustConf yesterday!";
    let reason = "Great meeting you at RustConf yesterday, I really enjoyed your talk on async Rust.";
    invitations(
        dir.path(),
        "Invitations.csv",
        &[
            ("Ana Colleague", "Sam User", short, "INCOMING"),
            ("Ben Colleague", "Sam User", short, "INCOMING"),
            ("Cat Colleague", "Sam User", short, "INCOMING"),
            ("Dan Colleague", "Sam User", reason, "INCOMING"),
            ("Eli Colleague", "Sam User", reason, "INCOMING"),
            ("Flo Colleague", "Sam User", reason, "INCOMING"),
        ],
    );
    import::import(&mut store, dir.path(), Options::default()).unwrap();
    let rows = all(&store);
    for r in &rows {
        assert!(!detectors(r).contains(&"campaign"), "{}: {:?}", r.name, r.findings);
    }
    assert!(detectors(row(&rows, "Dan Colleague")).contains(&"personal"), "{:?}", row(&rows, "Dan Colleague"));
    assert!(matching(&store, "ev:campaign").is_empty());
}

#[test]
fn connections_that_arrive_later_and_changed_phrase_lists_evaluate_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::in_memory().unwrap();
    let note = "Priya Raman told me about your work on tide tables; would love to compare notes";
    let path = invitations(dir.path(), "Invitations.csv", &[("Hal Tide", "Sam User", note, "INCOMING")]);
    import::import(&mut store, &path, Options::default()).unwrap();
    let hal = row(&all(&store), "Hal Tide").clone();
    assert!(!detectors(&hal).contains(&"introduced"));
    let report = import::import(&mut store, &connections(dir.path(), &["Priya Raman"]), Options::default()).unwrap();
    assert_eq!(report.evaluated, 1, "the notes, again");
    let hal = row(&all(&store), "Hal Tide").clone();
    assert!(detectors(&hal).contains(&"introduced"), "{:?}", hal.findings);

    // A user's phrase file names the tide tables a pitch: the store is stale, then evaluated again.
    let builtin = Phrases::builtin();
    assert!(!store.evidence_is_stale(&builtin).unwrap());
    let mine = Phrases::from_sources(Some(("evidence.toml", "[sales]\nstrong = [\"tide tables\"]\n"))).unwrap();
    assert!(store.evidence_is_stale(&mine).unwrap());
    let mut steps = Vec::new();
    let done = store.reevaluate(&mine, &Checklist::builtin(), &mut |d, t| steps.push((d, t))).unwrap();
    assert_eq!((done.requests, done.changed), (1, 1));
    assert_eq!(steps.last(), Some(&(1, 1)));
    assert!(!store.evidence_is_stale(&mine).unwrap());
    assert!(detectors(&row(&all(&store), "Hal Tide").clone()).contains(&"sales"));
    let again = store.reevaluate(&mine, &Checklist::builtin(), &mut |_, _| {}).unwrap();
    assert_eq!(again.changed, 0, "nothing changed, nothing written");
}

#[test]
fn a_message_that_arrives_later_is_weighed() {
    let mut store = Store::in_memory().unwrap();
    let first = tempfile::tempdir().unwrap();
    invitations(first.path(), "Invitations.csv", &[("Bo Seller", "Sam User", "", "INCOMING")]);
    import::import(&mut store, first.path(), Options::default()).unwrap();
    assert_eq!(detectors(row(&all(&store), "Bo Seller")), ["no_note"]);
    // The same invitation again, its note there this time.
    let second = tempfile::tempdir().unwrap();
    invitations(second.path(), "Invitations.csv", &[("Bo Seller", "Sam User", PITCH_A, "INCOMING")]);
    let report = import::import(&mut store, second.path(), Options::default()).unwrap();
    assert_eq!(report.enriched, 1, "{report:?}");
    let bo = row(&all(&store), "Bo Seller").clone();
    assert_eq!(bo.message, PITCH_A);
    assert_eq!(detectors(&bo), ["sales"]);
    assert_eq!(store.rank(bo.id).unwrap(), RANK_DECLINE);
    assert_eq!(matching(&store, "ev:sales"), ["Bo Seller"]);
}

/// A backlog with what the evidence looks at: a campaign sent by six people (some of it from
/// one sender twice), friends writing alike, notes of their own, silent requests, a name with
/// hidden characters, and a person the user invited. Each as (from, to, day, message,
/// direction).
fn backlog() -> Vec<(String, String, u32, String, &'static str)> {
    let mut rows = Vec::new();
    let pitches = [PITCH_A, PITCH_B, PITCH_C];
    for i in 0..40u32 {
        let (from, message) = match i % 8 {
            0 | 3 => (format!("Pia Pitcher{}", i % 6), pitches[i as usize % 3].to_string()),
            1 => (format!("Ray Friend{i}"), "Great meeting you at RustConf yesterday, loved the async talk.".into()),
            2 => (format!("Uma Own{i}"), format!("Your post number {i} on parsers helped me a lot, thank you")),
            5 if i == 13 => ("Eve\u{200b} Hidden".to_string(), String::new()),
            6 if i == 14 => ("Gil Invited".to_string(), String::new()),
            _ => (format!("Quinn Silent{i}"), String::new()),
        };
        rows.push((from, "Sam User".to_string(), 1 + i, message, "INCOMING"));
    }
    rows.push(("Sam User".into(), "Gil Invited".into(), 20, String::new(), "OUTGOING"));
    rows
}

fn backlog_file(dir: &Path, rows: &[(String, String, u32, String, &'static str)]) -> std::path::PathBuf {
    let mut text = HEADER.to_string();
    for (from, to, day, message, direction) in rows {
        let (inviter, invitee) = match *direction {
            "INCOMING" => (slug(from), "https://www.linkedin.com/in/sam-user".to_string()),
            _ => ("https://www.linkedin.com/in/sam-user".to_string(), slug(to)),
        };
        let at = format!("{}/{}/26, 9:{:02} AM", 1 + day / 28, 1 + day % 28, day % 60);
        text.push_str(&format!(
            "{from},{to},\"{at}\",\"{}\",{direction},{inviter},{invitee}\n",
            message.replace('"', "\"\"")
        ));
    }
    let path = dir.join("Invitations.csv");
    std::fs::write(&path, text).unwrap();
    path
}

/// Every request's evidence as the store keeps it: findings (with their facts), rank, and
/// the requests each `ev:` term finds.
#[allow(clippy::type_complexity)]
fn evidence_of(store: &Store) -> (Vec<(String, Option<String>, Vec<(String, Option<String>)>, u8)>, Vec<Vec<String>>) {
    let mut rows: Vec<_> = all(store)
        .into_iter()
        .map(|r| {
            let found = r.findings.iter().map(|f| (f.detector.clone(), f.fact.clone())).collect();
            (r.name.clone(), r.sent_at.clone(), found, store.rank(r.id).unwrap())
        })
        .collect();
    rows.sort();
    let terms = ["ev:sales", "ev:campaign", "ev:personal", "ev:invited-them", "ev:template"];
    (rows, terms.iter().map(|t| matching(store, t)).collect())
}

#[test]
fn evidence_is_the_same_imported_at_once_in_two_halves_or_weighed_afterwards() {
    let rows = backlog();
    let whole = tempfile::tempdir().unwrap();
    let mut at_once = Store::in_memory().unwrap();
    import::import(&mut at_once, &backlog_file(whole.path(), &rows), Options::default()).unwrap();
    let expected = evidence_of(&at_once);
    let pitched: Vec<_> = expected.0.iter().filter(|r| r.0.starts_with("Pia Pitcher")).collect();
    assert_eq!(pitched.len(), 10);
    let campaign = ("campaign".to_string(), Some("5".to_string()));
    assert!(pitched.iter().all(|r| r.2.contains(&campaign)), "six senders, a campaign: {pitched:?}");
    assert!(expected.0.iter().any(|r| r.0 == "Gil Invited" && r.2.iter().any(|f| f.0 == "invited_them")));

    // The same rows in two imports: the second half's campaign members update the first's.
    let mut halves = Store::in_memory().unwrap();
    let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    import::import(&mut halves, &backlog_file(one.path(), &rows[..20]), Options::default()).unwrap();
    import::import(&mut halves, &backlog_file(two.path(), &rows[20..]), Options::default()).unwrap();
    assert_eq!(evidence_of(&halves), expected, "imported in two halves");

    // Imported without evidence, then every request weighed the long way (`vetted add`'s).
    let mut weighed = Store::in_memory().unwrap();
    let opts = Options::default();
    import::import_with_phrases(&mut weighed, &backlog_file(whole.path(), &rows), opts, &Checklist::builtin(), None)
        .unwrap();
    let ids: Vec<i64> = all(&weighed).iter().map(|r| r.id).collect();
    weighed.weigh_requests(&ids, &Phrases::builtin(), &Checklist::builtin()).unwrap();
    assert_eq!(evidence_of(&weighed), expected, "weighed request by request");

    // With no invitation of the user's, the pass weighs the rows the import kept as they
    // arrived (`store/evidence_kept.rs`) instead of reading them back: the same as the long way.
    let incoming: Vec<_> = rows.iter().filter(|r| r.4 == "INCOMING").cloned().collect();
    let file = backlog_file(whole.path(), &incoming);
    let mut kept = Store::in_memory().unwrap();
    import::import(&mut kept, &file, Options::default()).unwrap();
    let mut long_way = Store::in_memory().unwrap();
    import::import_with_phrases(&mut long_way, &file, Options::default(), &Checklist::builtin(), None).unwrap();
    let ids: Vec<i64> = all(&long_way).iter().map(|r| r.id).collect();
    long_way.weigh_requests(&ids, &Phrases::builtin(), &Checklist::builtin()).unwrap();
    let from_kept = evidence_of(&kept);
    assert!(from_kept.0.iter().any(|r| r.0.starts_with("Eve") && r.2.iter().any(|f| f.0 == "scam")), "{from_kept:?}");
    assert_eq!(from_kept, evidence_of(&long_way), "weighed from the rows the import kept");
}

fn parsed(term: &str) -> vetted::query::Query {
    vetted::query::parse(term, &jiff::tz::TimeZone::UTC, &Checklist::builtin()).unwrap()
}

/// What every reader of the rank says of each pending request, against the checklist's own
/// rank from the request's answers and findings: `Store::rank`, the row (`recommends`, as
/// `vetted list --json` shows it), the recommended queue order page by page, each `rec:` term
/// (its page, ids, count and negation), the group view by recommendation and
/// `recommended_of` (the marks' summary). Returns the ranks by id.
fn ranks_agree(store: &Store) -> std::collections::BTreeMap<i64, u8> {
    use vetted::model::{Status, Verdict};
    let checklist = Checklist::builtin();
    let pending: Vec<RequestRow> = all(store).into_iter().filter(|r| r.status == Status::Pending).collect();
    let truth: std::collections::BTreeMap<i64, u8> =
        pending.iter().map(|r| (r.id, checklist.rank_with(&store.answers(r.id).unwrap(), &r.findings))).collect();
    for r in &pending {
        assert_eq!(store.rank(r.id).unwrap(), truth[&r.id], "Store::rank of {}", r.name);
        let verdict = match truth[&r.id] {
            RANK_ACCEPT => Some(Verdict::Accept),
            RANK_DECLINE => Some(Verdict::Decline),
            _ => None,
        };
        assert_eq!(r.recommends, verdict, "the row of {}", r.name);
    }
    let mut expected: Vec<(u8, Option<String>, i64)> =
        pending.iter().map(|r| (truth[&r.id], r.sent_at.clone(), r.id)).collect();
    expected.sort();
    let (mut walked, mut from) = (Vec::new(), None);
    loop {
        let page = store.queue_page(QueueOrder::Recommendation, from.as_ref(), Direction::Forward, 7).unwrap();
        let Some((_, key)) = page.last() else { break };
        from = Some(key.clone());
        walked.extend(page.iter().map(|(row, key)| (key.rank, row.sent_at.clone(), row.id)));
    }
    assert_eq!(walked, expected, "the recommended order");
    let groups = store.groups(vetted::store::GroupBy::Recommendation, &jiff::tz::TimeZone::UTC).unwrap();
    for (name, rank) in [("accept", RANK_ACCEPT), ("undecided", RANK_UNDECIDED), ("decline", RANK_DECLINE)] {
        let want: Vec<i64> = truth.iter().filter(|(_, r)| **r == rank).map(|(id, _)| *id).collect();
        let ids = |term: &str| -> Vec<i64> {
            store.ids_where(&parsed(term), 1000).unwrap().into_iter().map(|(id, _)| id).collect()
        };
        assert_eq!(ids(&format!("rec:{name}")), want, "rec:{name}");
        let others: Vec<i64> = truth.keys().filter(|id| !want.contains(id)).copied().collect();
        assert_eq!(ids(&format!("-rec:{name}")), others, "-rec:{name}");
        assert_eq!(store.count_where(&parsed(&format!("rec:{name}"))).unwrap(), want.len() as u64);
        let page =
            store.queue_page_where(QueueOrder::Oldest, &parsed(&format!("rec:{name}")), None, Direction::Forward, 1000);
        let mut paged: Vec<i64> = page.unwrap().into_iter().map(|(row, _)| row.id).collect();
        paged.sort();
        assert_eq!(paged, want, "a page of rec:{name}");
        let group = groups.iter().find(|g| g.query == format!("rec:{name}")).map_or(0, |g| g.count);
        assert_eq!(group, want.len() as u64, "the group of rec:{name}");
    }
    let count = |rank| truth.values().filter(|r| **r == rank).count() as u64;
    let ids: Vec<i64> = truth.keys().copied().collect();
    assert_eq!(store.recommended_of(&ids).unwrap(), (count(RANK_ACCEPT), count(RANK_DECLINE)));
    truth
}

/// Rank rows of requests without a note.
fn silent_rank_rows(store: &Store) -> i64 {
    store
        .raw_for_tests()
        .query_row(
            "SELECT count(*) FROM review_rank k JOIN request r ON r.id = k.request_id WHERE r.message = ''",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn a_silent_request_needs_no_rank_row_and_every_reader_of_the_rank_agrees() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::in_memory().unwrap();
    import::import(&mut store, &backlog_file(dir.path(), &backlog()), Options::default()).unwrap();
    let id_of = |store: &Store, name: &str| row(&all(store), name).id;
    // Only the silent requests whose evidence says more than "no note" have a row: the name
    // with hidden characters and the person the user invited.
    let truth = ranks_agree(&store);
    assert!(truth.values().filter(|r| **r == RANK_DECLINE).count() >= 20, "{truth:?}");
    let invited = id_of(&store, "Gil Invited");
    assert_eq!(truth[&invited], RANK_UNDECIDED, "the user invited them");
    assert_eq!(silent_rank_rows(&store), 1, "one row for the silent requests (Gil Invited)");

    // The user's answers give a silent request another rank (a row) or the same (none), and
    // the row goes with the answer.
    let checklist = Checklist::builtin();
    let (known, flagged) = (id_of(&store, "Quinn Silent4"), id_of(&store, "Quinn Silent7"));
    store.set_answers(known, &[("know_like_trust", Some(true))], &checklist).unwrap();
    store.set_answers(flagged, &[("selling", Some(true))], &checklist).unwrap();
    let truth = ranks_agree(&store);
    assert_eq!((truth[&known], truth[&flagged]), (RANK_ACCEPT, RANK_DECLINE));
    assert_eq!(silent_rank_rows(&store), 2, "Gil Invited and the one the user knows");
    store.set_answers(known, &[("know_like_trust", None)], &checklist).unwrap();
    assert_eq!(ranks_agree(&store)[&known], RANK_DECLINE);
    assert_eq!(silent_rank_rows(&store), 1, "back to the silent rank: no row");
}

#[test]
fn a_store_ranked_row_by_row_keeps_every_rank_when_an_import_makes_silence_the_default() {
    // A store as vetted wrote it before the silent rank was kept: a row for every rank.
    let rows = backlog();
    let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut store = Store::in_memory().unwrap();
    import::import(&mut store, &backlog_file(one.path(), &rows[..20]), Options::default()).unwrap();
    let raw = store.raw_for_tests();
    raw.execute(
        "INSERT INTO review_rank SELECT id, 2 FROM request r WHERE message = '' \
         AND NOT EXISTS (SELECT 1 FROM review_rank k WHERE k.request_id = r.id)",
        [],
    )
    .unwrap();
    raw.execute("DELETE FROM evidence_state WHERE key = 'silent_rank'", []).unwrap();
    let silent = row(&all(&store), "Quinn Silent6").id;
    store.set_answers(silent, &[("know_like_trust", Some(true))], &Checklist::builtin()).unwrap();
    let before = ranks_agree(&store);
    assert!(silent_rank_rows(&store) > 5, "ranked row by row");

    // The next export (the older rows again, and new ones): the silent rank is kept again,
    // the older requests' ranks stay, and only the answered one keeps a row among the silent
    // requests. (A sender's older request is replaced by their newer one: no longer pending.)
    import::import(&mut store, &backlog_file(two.path(), &rows[..40]), Options::default()).unwrap();
    let after = ranks_agree(&store);
    let kept: Vec<_> = before.iter().filter(|(id, _)| after.contains_key(id)).collect();
    assert!(kept.len() >= 15, "{kept:?}");
    for (id, rank) in kept {
        assert_eq!(after[id], *rank, "request {id}");
    }
    assert_eq!(after[&silent], RANK_ACCEPT);
    assert_eq!(silent_rank_rows(&store), 1, "the answered one");
}

/// How many campaign counts the store keeps (raw: nothing else shows them).
fn campaign_counts(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT count(*) FROM evidence_state WHERE key LIKE 'campaign:%'", [], |r| r.get(0)).unwrap()
}

#[test]
fn a_campaign_count_goes_with_the_last_note_that_holds_its_words() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let mut store = Store::open(&db).unwrap();
    let rows = [("Fay Pitch", "Sam User", PITCH_A, "INCOMING"), ("Gil Pitch", "Sam User", PITCH_B, "INCOMING")];
    let path = invitations(dir.path(), "Invitations.csv", &rows);
    import::import(&mut store, &path, Options::default()).unwrap();
    let third = tempfile::tempdir().unwrap();
    let path = invitations(third.path(), "Invitations.csv", &[("Hal Pitch", "Sam User", PITCH_C, "INCOMING")]);
    import::import(&mut store, &path, Options::default()).unwrap();
    assert_eq!(campaign_counts(&db), 1, "three senders: one campaign");

    // The user's greetings change every note's key: the campaign is counted under its new words
    // and its old ones are not kept.
    let mine = Phrases::from_sources(Some(("evidence.toml", "[greeting]\nphrases = [\"we\"]\n"))).unwrap();
    store.reevaluate(&mine, &Checklist::builtin(), &mut |_, _| {}).unwrap();
    assert_eq!(campaign_counts(&db), 1, "the old words' count went");
    for r in all(&store) {
        let f = r.findings.iter().find(|f| f.detector == "campaign").cloned();
        assert_eq!(f.map(|f| f.why), Some("same campaign as 2 other senders".into()), "{}", r.name);
    }
    // Every sender forgotten: nothing of the campaign's words is left.
    for r in all(&store) {
        store.forget(&PersonRef::Request(r.id), &Checklist::builtin()).unwrap();
    }
    assert_eq!(campaign_counts(&db), 0);
}
