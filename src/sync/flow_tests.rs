//! Three devices sharing one folder through the real files: each writes its unsent events as
//! its next segment, scans, plans and applies what the others wrote. The store's sync will do
//! the same with the store in place of the replica.

use super::crypt::SyncKey;
use super::event::{Change, Event, Journal, RequestKey};
use super::merge::Replica;
use super::plan::{Positions, Problem, plan};
use super::segment::{self, Instance};
use super::{Position, folder};
use crate::model::{Answers, NewRequest, Status, Verdict};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

struct Device {
    name: &'static str,
    instance: Instance,
    journal: Journal,
    replica: Replica,
    unsent: Vec<Event>,
    written: u64,
    applied: Positions,
}

impl Device {
    fn new(name: &'static str, n: u8, key: &SyncKey) -> Device {
        Device {
            name,
            instance: [n; 16],
            journal: Journal::resume(name, 0, None),
            replica: Replica::new(key.clone()),
            unsent: Vec::new(),
            written: 0,
            applied: Positions::new(),
        }
    }

    fn record(&mut self, change: Change, wall: u64) {
        let e = self.journal.record(change, wall);
        self.replica.apply(e.clone());
        self.unsent.push(e);
    }

    /// `vetted sync`: write what is new, then apply what the others wrote. The problems found.
    fn sync(&mut self, dir: &Path, key: &SyncKey) -> Vec<Problem> {
        if !self.unsent.is_empty() {
            let bytes = segment::encode(key, self.instance, self.written + 1, &self.unsent).unwrap();
            folder::write_segment(dir, self.name, self.written + 1, &bytes).unwrap();
            self.written += 1;
            self.unsent.clear();
        }
        let after: BTreeMap<String, u64> = self.applied.iter().map(|(d, p)| (d.clone(), p.seq)).collect();
        let scan = folder::scan_after(dir, &after).unwrap();
        let p = plan(self.name, self.instance, key.id(), &self.applied, &scan);
        for step in &p.apply {
            for e in folder::read_segment(key, &step.path, &step.device, step.seq).unwrap() {
                self.journal.observe(&e.hlc, 0);
                self.replica.apply(e);
            }
            self.applied.insert(step.device.clone(), Position { seq: step.seq, instance: step.instance });
        }
        assert_eq!(self.applied, p.positions);
        p.problems
    }

    /// After a forget reached this device: its own segments rewritten without the person.
    fn rewrite_own(&self, dir: &Path, key: &SyncKey) {
        for seq in 1..=self.written {
            let path = folder::device_dir(dir, self.name).join(folder::segment_name(seq));
            let bytes = std::fs::read(&path).unwrap();
            if let Some(fewer) = segment::without(key, &bytes, |e| self.replica.is_forgotten(&e.change)).unwrap() {
                folder::replace_segment(dir, self.name, seq, &fewer).unwrap();
            }
        }
    }
}

/// Every event of every segment in the folder.
fn everything_in(dir: &Path, key: &SyncKey) -> Vec<Event> {
    let scan = folder::scan(dir).unwrap();
    scan.segments.iter().flat_map(|f| folder::read_segment(key, &f.path, &f.device, f.seq).unwrap()).collect()
}

fn person(p: usize) -> String {
    format!("https://www.linkedin.com/in/made-up-{p}")
}

fn request(p: usize) -> RequestKey {
    RequestKey { person: person(p), sent: format!("2026-11-0{p}T10:00:00Z", p = p + 1) }
}

fn import(p: usize) -> Change {
    let fields = NewRequest {
        name: format!("Made-up Person {p}"),
        profile_url: Some(person(p)),
        sent_at: Some(request(p).sent),
        message: "a fictional hello".into(),
        source: "linkedin".into(),
        ..NewRequest::default()
    };
    assert_eq!(RequestKey::of(&fields), request(p));
    Change::RequestImported { request: request(p), fields: Box::new(fields) }
}

fn decide(p: usize, verdict: Verdict) -> Change {
    Change::Decided {
        request: request(p),
        verdict,
        reason: "a made-up reason".into(),
        answers: Answers::new(),
        defer_until: None,
        batch: None,
        decided_at: "2026-11-10T09:00:00Z".into(),
        evidence: Vec::new(),
    }
}

#[test]
fn three_devices_sharing_a_folder_end_with_one_log() {
    let dir = tempfile::tempdir().unwrap();
    let key = SyncKey::generate().unwrap();
    let (mut laptop, mut desktop, mut phone) =
        (Device::new("laptop", 1, &key), Device::new("desktop", 2, &key), Device::new("phone", 3, &key));
    let day = 24 * 3600 * 1000;
    let t = 1_800_000_000_000;
    // Overlapping exports imported on both; the desktop's clock is a day behind.
    for p in [0, 1] {
        laptop.record(import(p), t);
    }
    for p in [1, 2] {
        desktop.record(import(p), t - day);
    }
    assert_eq!(laptop.sync(dir.path(), &key), []);
    assert_eq!(desktop.sync(dir.path(), &key), []);
    assert_eq!(laptop.sync(dir.path(), &key), []);
    // Decided on both, notes on both; a batch on the desktop; a forget on the laptop.
    laptop.record(decide(1, Verdict::Accept), t + 1_000);
    desktop.record(decide(1, Verdict::Decline), t - day + 2_000); // not having seen it
    laptop.record(
        Change::NoteSet { person: person(1), text: "laptop's fictional note".into(), replaces: vec![] },
        t + 3_000,
    );
    desktop.record(
        Change::NoteSet { person: person(1), text: "desktop's fictional note".into(), replaces: vec![] },
        t - day + 4_000,
    );
    let batch = Some(super::EventId { device: "desktop".into(), counter: 99 });
    for p in [0, 2] {
        desktop.record(
            Change::Decided {
                request: request(p),
                verdict: Verdict::Defer,
                reason: "later".into(),
                answers: Answers::new(),
                defer_until: None,
                batch: batch.clone(),
                decided_at: "2026-11-10T09:05:00Z".into(),
                evidence: Vec::new(),
            },
            t - day + 5_000,
        );
    }
    laptop.record(Change::Forgotten { marks: vec![key.mark(&person(0))], at: "2026-11-11".into() }, t + 6_000);
    // The phone joins late; a sync tool left a temporary file around.
    let tmp = folder::device_dir(dir.path(), "laptop").join(".syncthing.00000003.seg.tmp");
    std::fs::write(&tmp, b"half").unwrap();
    for _ in 0..2 {
        for d in [&mut laptop, &mut desktop, &mut phone] {
            assert_eq!(d.sync(dir.path(), &key), []);
        }
    }
    let log = |d: &Device| d.replica.log().cloned().collect::<Vec<_>>();
    assert_eq!(log(&laptop), log(&desktop));
    assert_eq!(log(&laptop), log(&phone));
    assert_eq!(laptop.replica.state(), phone.replica.state());
    assert_eq!(desktop.replica.state(), phone.replica.state());
    let state = phone.replica.state();
    let r1 = &state.requests[&request(1)];
    // The desktop's clock is a day behind and it had not seen the accept: the accept is later.
    assert_eq!(r1.status(), Status::Accepted);
    assert_eq!(r1.decided_on(), BTreeSet::from(["laptop", "desktop"]));
    assert_eq!(state.people[&person(1)].notes.len(), 2);
    assert_eq!(state.people[&person(1)].note(), Some("laptop's fictional note"));
    assert!(!state.requests.contains_key(&request(0)), "forgotten everywhere");
    assert_eq!(state.requests[&request(2)].status(), Status::Deferred);
    // Each device rewrites its own segments: nothing in the folder is about the forgotten
    // person any more, and a device joining now ends the same.
    assert!(everything_in(dir.path(), &key).iter().any(|e| e.change.person() == Some(&person(0))));
    for d in [&laptop, &desktop, &phone] {
        d.rewrite_own(dir.path(), &key);
    }
    assert!(!everything_in(dir.path(), &key).iter().any(|e| e.change.person() == Some(&person(0))));
    let mut tablet = Device::new("tablet", 4, &key);
    assert_eq!(tablet.sync(dir.path(), &key), []);
    assert_eq!(log(&tablet), log(&phone));
    assert_eq!(tablet.replica.state(), phone.replica.state());

    // Nothing more to do: a further sync applies nothing; a conflict copy is named, not applied.
    let before = log(&phone);
    let copy = folder::device_dir(dir.path(), "laptop").join("00000001 (Ada's conflicted copy 2026-11-12).seg");
    std::fs::copy(folder::device_dir(dir.path(), "laptop").join("00000001.seg"), &copy).unwrap();
    assert_eq!(phone.sync(dir.path(), &key), [Problem::ConflictCopy { path: copy }]);
    assert_eq!(log(&phone), before);
    // Afterwards the desktop, having read the accept, changes its mind: now it is later.
    desktop.record(decide(1, Verdict::Decline), t - day + 7_000);
    desktop.sync(dir.path(), &key);
    phone.sync(dir.path(), &key);
    assert_eq!(phone.replica.state().requests[&request(1)].status(), Status::Declined);
}
