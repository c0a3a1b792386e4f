//! A property test over random interleavings of changes and syncs on three stores sharing a
//! folder (through the library, each store a real file): every store ends with the same log,
//! statuses and notes, and they are what the merge rule's oracle (`sync::merge::Replica`,
//! fed every event in the folder) says.

use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use vetted::checklist::Checklist;
use vetted::evidence::Phrases;
use vetted::model::{Answers, NewRequest, Status, Verdict};
use vetted::store::{NewDevice, PersonRef, Store};
use vetted::sync::{Replica, RequestKey, SyncKey, folder};

const PEOPLE: usize = 2;
const DEVICES: [&str; 3] = ["laptop", "desktop", "phone"];

#[derive(Debug, Clone)]
enum Op {
    Import { dev: usize, person: usize },
    Decide { dev: usize, person: usize, verdict: u8 },
    Undo { dev: usize, person: usize },
    Note { dev: usize, person: usize, text: u8 },
    Answer { dev: usize, person: usize, yes: bool },
    Forget { dev: usize, person: usize },
    Sync { dev: usize },
}

fn op() -> impl Strategy<Value = Op> {
    let (d, p) = (0..DEVICES.len(), 0..PEOPLE);
    prop_oneof![
        2 => (d.clone(), p.clone()).prop_map(|(dev, person)| Op::Import { dev, person }),
        3 => (d.clone(), p.clone(), 0u8..3).prop_map(|(dev, person, verdict)| Op::Decide { dev, person, verdict }),
        1 => (d.clone(), p.clone()).prop_map(|(dev, person)| Op::Undo { dev, person }),
        1 => (d.clone(), p.clone(), 0u8..3).prop_map(|(dev, person, text)| Op::Note { dev, person, text }),
        1 => (d.clone(), p.clone(), any::<bool>()).prop_map(|(dev, person, yes)| Op::Answer { dev, person, yes }),
        1 => (d.clone(), p.clone()).prop_map(|(dev, person)| Op::Forget { dev, person }),
        3 => d.prop_map(|dev| Op::Sync { dev }),
    ]
}

fn url(p: usize) -> String {
    format!("https://www.linkedin.com/in/made-up-person-{p}")
}

fn request(p: usize) -> NewRequest {
    NewRequest {
        name: format!("Made-up Person {p}"),
        profile_url: Some(url(p)),
        sent_at_raw: Some(format!("2026-11-0{}", p + 1)),
        sent_at: Some(format!("2026-11-0{}T10:00:00Z", p + 1)),
        message: "a fictional hello".into(),
        source: "linkedin".into(),
        ..NewRequest::default()
    }
}

struct Device {
    store: Store,
}

fn request_id(store: &Store, p: usize) -> Option<i64> {
    let person = store.person_by_key(&url(p)).ok()??;
    store.requests_of_person(person).ok()?.first().map(|r| r.id)
}

fn apply(d: &mut Device, op: &Op, key: &SyncKey, checklist: &Checklist) {
    let s = &mut d.store;
    match *op {
        Op::Import { person, .. } => {
            s.add_request(&request(person)).unwrap();
        }
        Op::Decide { person, verdict, .. } => {
            let Some(id) = request_id(s, person) else { return };
            let verdict = [Verdict::Accept, Verdict::Decline, Verdict::Defer][verdict as usize];
            let _ = s.decide(id, verdict, "a made-up reason", &Answers::new());
        }
        Op::Undo { person, .. } => {
            let Some(id) = request_id(s, person) else { return };
            let person_id = s.request(id).unwrap().person_id;
            if let Some(last) = s.person_history(person_id, 1).unwrap().first() {
                let _ = s.undo(last.id);
            }
        }
        Op::Note { person, text, .. } => {
            let Some(id) = s.person_by_key(&url(person)).unwrap() else { return };
            s.set_note(id, ["", "a fictional note", "another fictional note"][text as usize]).unwrap();
        }
        Op::Answer { person, yes, .. } => {
            let Some(id) = request_id(s, person) else { return };
            s.set_answers(id, &[("selling", Some(yes))], checklist).unwrap();
        }
        Op::Forget { person, .. } => {
            if s.person_by_key(&url(person)).unwrap().is_some() {
                s.forget(&PersonRef::ProfileUrl(url(person)), checklist).unwrap();
            }
        }
        Op::Sync { .. } => {
            vetted::sync_run::sync(s, key, checklist, &Phrases::builtin(), &mut |_, _| {}).unwrap();
        }
    }
}

/// What must agree: per request key, its status and how many log rows it has; per person,
/// the note shown.
type Seen = (BTreeMap<String, (Status, usize)>, BTreeMap<String, Option<String>>);

fn seen_in(store: &Store) -> Seen {
    let mut requests = BTreeMap::new();
    let mut notes = BTreeMap::new();
    for p in 0..PEOPLE {
        let Some(id) = request_id(store, p) else { continue };
        let row = store.request(id).unwrap();
        let rows = store.person_history(row.person_id, 1000).unwrap().len();
        requests.insert(url(p), (row.status, rows));
        notes.insert(url(p), store.note(row.person_id).unwrap());
    }
    (requests, notes)
}

fn seen_by_oracle(dir: &Path, key: &SyncKey) -> Seen {
    let mut replica = Replica::new(key.clone());
    let scan = folder::scan(dir).unwrap();
    for f in &scan.segments {
        for e in folder::read_segment(key, &f.path, &f.device, f.seq).unwrap() {
            replica.apply(e);
        }
    }
    let state = replica.state();
    let mut requests = BTreeMap::new();
    let mut notes = BTreeMap::new();
    for p in 0..PEOPLE {
        let k = RequestKey { person: url(p), sent: request(p).sent_at.unwrap() };
        let Some(r) = state.requests.get(&k).filter(|r| r.fields.is_some()) else { continue };
        requests.insert(url(p), (r.status(), r.decisions.len()));
        let note = state.people.get(&url(p)).and_then(|s| s.note()).map(str::to_string);
        notes.insert(url(p), note);
    }
    (requests, notes)
}

fn run(ops: &[Op]) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("Sync");
    std::fs::create_dir_all(&dir).unwrap();
    let key = SyncKey::generate().unwrap();
    let checklist = Checklist::builtin();
    let mut devices: Vec<Device> = DEVICES
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let home: PathBuf = tmp.path().join(name);
            let key_file = home.join("sync.key");
            std::fs::create_dir_all(&home).unwrap();
            key.write_new(&key_file, &dir).unwrap();
            let mut store = Store::open(&home.join("v.db")).unwrap();
            let d = NewDevice { device: name, instance: [i as u8 + 1; 16], dir: &dir, key_file: &key_file };
            store.sync_begin(&d, |_| {}).unwrap();
            Device { store }
        })
        .collect();
    let mut forgotten = [false; PEOPLE];
    for op in ops {
        let (dev, person) = match *op {
            Op::Sync { dev } => (dev, None),
            Op::Import { dev, person }
            | Op::Decide { dev, person, .. }
            | Op::Undo { dev, person }
            | Op::Note { dev, person, .. }
            | Op::Answer { dev, person, .. }
            | Op::Forget { dev, person } => (dev, Some(person)),
        };
        // A forget wins forever: nobody imports the person again afterwards.
        if person.is_some_and(|p| forgotten[p]) {
            continue;
        }
        if let (Op::Forget { .. }, Some(p)) = (op, person) {
            forgotten[p] = true;
        }
        apply(&mut devices[dev], op, &key, &checklist);
    }
    for _ in 0..2 {
        for d in &mut devices {
            vetted::sync_run::sync(&mut d.store, &key, &checklist, &Phrases::builtin(), &mut |_, _| {}).unwrap();
        }
    }
    let first = seen_in(&devices[0].store);
    for d in &devices[1..] {
        assert_eq!(seen_in(&d.store), first);
    }
    assert_eq!(seen_by_oracle(&dir, &key), first, "the store follows the merge rule");
}

proptest! {
    // Each case opens three stores and syncs them many times: few cases, kept short for CI.
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
    #[test]
    fn random_changes_and_syncs_end_with_one_state_the_merge_rule_gives(ops in proptest::collection::vec(op(), 1..40)) {
        run(&ops);
    }
}
