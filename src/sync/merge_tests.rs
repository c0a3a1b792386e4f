use super::*;
use crate::model::Verdict;
use crate::sync::event::Journal;
use proptest::prelude::*;

const DEVICES: [&str; 3] = ["laptop", "desktop", "phone"];
const PEOPLE: usize = 3;

fn key() -> SyncKey {
    SyncKey::from_bytes([42; 32])
}

fn person(p: usize) -> String {
    format!("https://www.linkedin.com/in/fictive-person-{p}")
}

fn request(p: usize) -> RequestKey {
    RequestKey { person: person(p), sent: "2026-11-02T10:00:00Z".into() }
}

fn decided(p: usize, verdict: Verdict, batch: Option<EventId>) -> Change {
    Change::Decided {
        request: request(p),
        verdict,
        reason: format!("made-up reason for {verdict:?}"),
        answers: Answers::new(),
        defer_until: None,
        batch,
        decided_at: "2026-11-03T09:00:00Z".into(),
        evidence: Vec::new(),
    }
}

fn imported(p: usize, by: &str) -> Change {
    let fields = NewRequest {
        name: format!("Fictive Person {p}"),
        profile_url: Some(person(p)),
        message: format!("hello, as {by} imported it"),
        sent_at: Some("2026-11-02T10:00:00Z".into()),
        source: "linkedin".into(),
        ..NewRequest::default()
    };
    Change::RequestImported { request: request(p), fields: Box::new(fields) }
}

#[test]
fn the_same_request_decided_on_two_devices_keeps_both_and_the_later_is_in_force() {
    let (mut laptop, mut desktop) = (Journal::resume("laptop", 0, None), Journal::resume("desktop", 0, None));
    let accept = laptop.record(decided(0, Verdict::Accept, None), 2_000);
    let decline = desktop.record(decided(0, Verdict::Decline, None), 1_000); // desktop's clock is behind
    for order in [[&accept, &decline], [&decline, &accept]] {
        let mut r = Replica::new(key());
        for e in order {
            assert_eq!(r.apply(e.clone()), Applied::New);
        }
        assert_eq!(r.apply(accept.clone()), Applied::Duplicate);
        let req = &r.state().requests[&request(0)];
        assert_eq!(req.status(), Status::Accepted, "the later stamp is in force");
        assert_eq!(req.decided_on(), BTreeSet::from(["laptop", "desktop"]));
        assert_eq!(r.log().map(|e| e.id.device.as_str()).collect::<Vec<_>>(), ["desktop", "laptop"]);
    }
    // The desktop, having read the laptop's accept, undoes it: its undo sorts after it.
    desktop.observe(&accept.hlc, 1_001);
    let undo = desktop.record(
        Change::Undone {
            request: request(0),
            undoes: accept.id.clone(),
            restores: Status::Declined,
            batch: None,
            decided_at: "2026-11-03T09:01:00Z".into(),
        },
        1_002,
    );
    let mut r = Replica::new(key());
    for e in [undo, accept, decline] {
        r.apply(e);
    }
    assert_eq!(r.state().requests[&request(0)].status(), Status::Declined);
    assert_eq!(r.log().count(), 3);
}

#[test]
fn a_note_edited_on_two_devices_keeps_both_texts_and_shows_the_later() {
    let (mut laptop, mut desktop) = (Journal::resume("laptop", 0, None), Journal::resume("desktop", 0, None));
    let a = laptop
        .record(Change::NoteSet { person: person(1), text: "met at a fictional fair".into(), replaces: vec![] }, 5_000);
    let b = desktop
        .record(Change::NoteSet { person: person(1), text: "works at Imaginary Ltd".into(), replaces: vec![] }, 6_000);
    let mut r = Replica::new(key());
    r.apply(b);
    r.apply(a);
    let p = &r.state().people[&person(1)];
    assert_eq!(p.note(), Some("works at Imaginary Ltd"));
    assert_eq!(p.notes.values().collect::<Vec<_>>(), ["met at a fictional fair", "works at Imaginary Ltd"]);
    let clear = laptop.record(Change::NoteSet { person: person(1), text: String::new(), replaces: vec![] }, 7_000);
    r.apply(clear);
    assert_eq!(r.state().people[&person(1)].note(), None);
    assert_eq!(r.state().people[&person(1)].notes.len(), 3, "the history stays");
}

#[test]
fn a_forget_wins_over_everything_about_the_person_whatever_arrives_when() {
    let (mut laptop, mut desktop) = (Journal::resume("laptop", 0, None), Journal::resume("desktop", 0, None));
    let k = key();
    let before = laptop.record(imported(0, "laptop"), 1_000);
    let other = laptop.record(imported(1, "laptop"), 1_001);
    let forget = laptop.record(Change::Forgotten { marks: vec![k.mark(&person(0))], at: "2026-11-04".into() }, 2_000);
    // The desktop, not knowing yet, notes them with a later stamp.
    let later =
        desktop.record(Change::NoteSet { person: person(0), text: "a made-up note".into(), replaces: vec![] }, 9_000);
    for order in [[&before, &other, &forget, &later], [&later, &forget, &other, &before]] {
        let mut r = Replica::new(k.clone());
        for e in order {
            r.apply(e.clone());
        }
        assert!(!r.state().requests.contains_key(&request(0)));
        assert!(!r.state().people.contains_key(&person(0)));
        assert!(r.state().requests.contains_key(&request(1)), "someone else stays");
        let log: Vec<_> = r.log().map(|e| e.id.clone()).collect();
        assert_eq!(log, [other.id.clone(), forget.id.clone()], "the tombstone stays; nothing of them");
        assert!(r.is_forgotten(&later.change));
        assert_eq!(r.apply(later.clone()), Applied::Duplicate);
    }
    let json = serde_json::to_string(&forget).unwrap();
    assert!(!json.contains("fictive-person-0"), "the tombstone names nobody");
}

/// One step of a random script.
#[derive(Debug, Clone)]
enum Op {
    Local { device: usize, what: u8, person: usize, wall: u64 },
    Sync { from: usize, to: usize },
}

fn op() -> impl Strategy<Value = Op> {
    let wall = 0u64..200_000_000; // clocks that disagree by up to two days
    prop_oneof![
        3 => (0..3usize, 0..10u8, 0..PEOPLE, wall).prop_map(|(device, what, person, wall)| Op::Local { device, what, person, wall }),
        1 => (0..3usize, 0..3usize).prop_map(|(from, to)| Op::Sync { from, to }),
    ]
}

struct Device {
    journal: Journal,
    replica: Replica,
    written: Vec<Event>,
    /// How many of each device's events this one has read.
    read: [usize; 3],
}

/// What device `d` does for `what`, from what it knows now.
fn change(dev: &Device, name: &str, what: u8, p: usize, wall: u64) -> Option<Change> {
    let k = key();
    Some(match what {
        0 => imported(p, name),
        1 => decided(p, if wall.is_multiple_of(3) { Verdict::Accept } else { Verdict::Decline }, None),
        2 => {
            let r = dev.replica.state().requests.get(&request(p))?;
            let mut rows = r.decisions.values().rev();
            let (undoes, _) = rows.next()?.clone();
            let restores = rows.next().map_or(Status::Pending, |(_, s)| *s);
            Change::Undone { request: request(p), undoes, restores, batch: None, decided_at: "2026-11-05".into() }
        }
        3 => Change::NoteSet { person: person(p), text: format!("note {wall} by {name}"), replaces: vec![] },
        4 => Change::AnswersSet {
            request: request(p),
            answers: Answers::from([(format!("q{}", wall % 3), wall.is_multiple_of(2))]),
        },
        5 => Change::TodoMarked { request: request(p), done: wall.is_multiple_of(2) },
        6 => Change::ProfileInfo {
            person: person(p),
            headline: Some(format!("title {wall}")),
            company: None,
            location: None,
        },
        7 => Change::Connected { person: person(p), since: Some(format!("2026-11-{:02}", wall % 28 + 1)) },
        8 => Change::Forgotten { marks: vec![k.mark(&person(p))], at: "2026-11-06".into() },
        _ => Change::Decided {
            request: request(p),
            verdict: Verdict::Defer,
            reason: "batch".into(),
            answers: Answers::new(),
            defer_until: None,
            batch: Some(EventId { device: name.into(), counter: wall }),
            decided_at: "2026-11-05".into(),
            evidence: Vec::new(),
        },
    })
}

/// The rules written out again, plainly, over the whole set of events at once: the log ids in
/// stamp order, each request's status in force, each person's note shown.
type Oracle = (Vec<EventId>, BTreeMap<RequestKey, Status>, BTreeMap<String, Option<String>>);

fn oracle(all: &[Event]) -> Oracle {
    let k = key();
    let mut unique: BTreeMap<EventId, &Event> = BTreeMap::new();
    for e in all {
        unique.insert(e.id.clone(), e);
    }
    let forgotten: BTreeSet<String> = unique
        .values()
        .filter_map(|e| match &e.change {
            Change::Forgotten { marks, .. } => Some(marks.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    let mut kept: Vec<&Event> =
        unique.into_values().filter(|e| !e.change.person().is_some_and(|p| forgotten.contains(&k.mark(p)))).collect();
    kept.sort_by(|a, b| a.hlc.cmp(&b.hlc));
    let (mut status, mut note) = (BTreeMap::new(), BTreeMap::new());
    for e in &kept {
        match &e.change {
            Change::Decided { request, verdict, .. } => {
                status.insert(request.clone(), verdict.status());
            }
            Change::Undone { request, restores, .. } => {
                status.insert(request.clone(), *restores);
            }
            Change::NoteSet { person, text, .. } => {
                note.insert(person.clone(), Some(text.clone()).filter(|t| !t.is_empty()));
            }
            _ => {}
        }
    }
    (kept.iter().map(|e| e.id.clone()).collect(), status, note)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Any script of changes on three devices and syncs between them, then every device
    /// receiving every event in its own random order (some twice): all end with the same log
    /// and the same state, which is also the state of the events applied in stamp order, and
    /// agrees with the rules written out plainly ([`oracle`]).
    #[test]
    fn every_replica_that_saw_the_same_events_ends_the_same(
        ops in proptest::collection::vec(op(), 1..80),
        orders in proptest::collection::vec(proptest::collection::vec(any::<u16>(), 0..300), 3),
    ) {
        let mut devices: Vec<Device> = DEVICES.iter().map(|d| Device {
            journal: Journal::resume(d, 0, None),
            replica: Replica::new(key()),
            written: Vec::new(),
            read: [0; 3],
        }).collect();
        for op in ops {
            match op {
                Op::Local { device, what, person, wall } => {
                    let dev = &devices[device];
                    let Some(change) = change(dev, DEVICES[device], what, person, wall) else { continue };
                    let dev = &mut devices[device];
                    let e = dev.journal.record(change, wall);
                    dev.replica.apply(e.clone());
                    dev.written.push(e);
                }
                Op::Sync { from, to } => {
                    let new: Vec<Event> = devices[from].written[devices[to].read[from]..].to_vec();
                    let dev = &mut devices[to];
                    dev.read[from] += new.len();
                    for e in new {
                        dev.journal.observe(&e.hlc, 0);
                        dev.replica.apply(e);
                    }
                }
            }
        }
        let all: Vec<Event> = devices.iter().flat_map(|d| d.written.clone()).collect();
        for (dev, order) in devices.iter_mut().zip(&orders) {
            // A random delivery order, with some events delivered twice.
            let mut shuffled: Vec<(u16, &Event)> =
                all.iter().enumerate().map(|(i, e)| (order.get(i).copied().unwrap_or(i as u16), e)).collect();
            shuffled.extend(all.iter().take(order.len() % 5).map(|e| (0, e)));
            shuffled.sort_by_key(|(k, _)| *k);
            for (_, e) in shuffled {
                dev.replica.apply(e.clone());
            }
        }
        let mut reference = Replica::new(key());
        let mut sorted = all.clone();
        sorted.sort_by(|a, b| a.hlc.cmp(&b.hlc));
        for e in sorted {
            reference.apply(e);
        }
        let want_log: Vec<&Event> = reference.log().collect();
        let (ids, status, note) = oracle(&all);
        prop_assert_eq!(want_log.iter().map(|e| e.id.clone()).collect::<Vec<_>>(), ids);
        let state = reference.state();
        let got_status: BTreeMap<RequestKey, Status> = state.requests.iter()
            .filter(|(_, r)| !r.decisions.is_empty()).map(|(k, r)| (k.clone(), r.status())).collect();
        prop_assert_eq!(got_status, status);
        let got_note: BTreeMap<String, Option<String>> = state.people.iter()
            .filter(|(_, p)| !p.notes.is_empty()).map(|(k, p)| (k.clone(), p.note().map(str::to_string))).collect();
        prop_assert_eq!(got_note, note);
        for dev in &devices {
            prop_assert_eq!(&dev.replica.log().collect::<Vec<_>>(), &want_log);
            prop_assert_eq!(dev.replica.state(), reference.state());
            for e in dev.replica.log() {
                prop_assert!(!dev.replica.is_forgotten(&e.change), "nothing of a forgotten person stays");
            }
        }
    }
}
