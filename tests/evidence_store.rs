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
    // One of them forgotten: two senders are left, no campaign any more.
    store.forget(&PersonRef::Request(row(&rows, "Hal Pitch").id), &Checklist::builtin()).unwrap();
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
}
