use super::*;
use crate::sync::crypt::SyncKey;
use crate::sync::event::{Change, Event, Journal};
use crate::sync::folder::{self, device_dir, scan};
use crate::sync::segment;
use std::fs;
use std::path::Path;

const LAPTOP: Instance = [1; 16];
const DESKTOP: Instance = [2; 16];
const ME: Instance = [9; 16];

/// Device `device`'s segments `1..=n`, one event each, stamped from `start_ms`.
fn segments(key: &SyncKey, device: &str, instance: Instance, n: u64, start_ms: u64) -> Vec<Vec<u8>> {
    let mut j = Journal::resume(device, 0, None);
    (1..=n)
        .map(|seq| {
            let e: Event = j.record(
                Change::NoteSet { person: "name:someone".into(), text: format!("v{seq}"), replaces: vec![] },
                start_ms + seq,
            );
            segment::encode(key, instance, seq, &[e]).unwrap()
        })
        .collect()
}

fn put(dir: &Path, device: &str, seq: u64, bytes: &[u8]) {
    folder::write_segment(dir, device, seq, bytes).unwrap();
}

fn order(p: &Plan) -> Vec<(String, u64)> {
    p.apply.iter().map(|s| (s.device.clone(), s.seq)).collect()
}

#[test]
fn segments_are_applied_in_sequence_interleaved_by_stamp_from_where_each_device_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let key = SyncKey::generate().unwrap();
    for (seq, b) in segments(&key, "laptop", LAPTOP, 3, 1_000).iter().enumerate() {
        put(dir.path(), "laptop", seq as u64 + 1, b);
    }
    for (seq, b) in segments(&key, "desktop", DESKTOP, 2, 1_001).iter().enumerate() {
        put(dir.path(), "desktop", seq as u64 + 1, b);
    }
    for (seq, b) in segments(&key, "me", ME, 1, 0).iter().enumerate() {
        put(dir.path(), "me", seq as u64 + 1, b);
    }
    let applied = Positions::from([("laptop".to_string(), Position { seq: 1, instance: LAPTOP })]);
    let p = plan("me", ME, key.id(), &applied, &scan(dir.path()).unwrap());
    assert_eq!(p.problems, []);
    let want = [("desktop", 1), ("laptop", 2), ("desktop", 2), ("laptop", 3)];
    assert_eq!(order(&p), want.map(|(d, s)| (d.to_string(), s)));
    assert_eq!(p.positions["laptop"].seq, 3);
    assert_eq!(p.positions["desktop"], Position { seq: 2, instance: DESKTOP });
    assert!(!p.positions.contains_key("me"), "its own segments are not applied");
    // Once applied, nothing more to do: a second sync applies nothing twice.
    let again = plan("me", ME, key.id(), &p.positions, &scan(dir.path()).unwrap());
    assert_eq!((again.apply.len(), again.positions), (0, p.positions));
}

#[test]
fn a_missing_segment_makes_the_later_ones_wait_until_it_arrives() {
    let dir = tempfile::tempdir().unwrap();
    let key = SyncKey::generate().unwrap();
    let segs = segments(&key, "laptop", LAPTOP, 3, 1_000);
    put(dir.path(), "laptop", 1, &segs[0]);
    put(dir.path(), "laptop", 3, &segs[2]); // 2 arrives late
    let p = plan("me", ME, key.id(), &Positions::new(), &scan(dir.path()).unwrap());
    assert_eq!(order(&p), [("laptop".to_string(), 1)]);
    assert_eq!(p.problems, [Problem::Gap { device: "laptop".into(), missing: 2 }]);
    put(dir.path(), "laptop", 2, &segs[1]);
    let p = plan("me", ME, key.id(), &p.positions, &scan(dir.path()).unwrap());
    assert_eq!(order(&p), [("laptop".to_string(), 2), ("laptop".to_string(), 3)]);
    assert_eq!(p.problems, []);
}

#[test]
fn a_segment_cut_short_is_named_never_applied_and_taken_whole_next_time() {
    let dir = tempfile::tempdir().unwrap();
    let key = SyncKey::generate().unwrap();
    let segs = segments(&key, "laptop", LAPTOP, 2, 1_000);
    put(dir.path(), "laptop", 1, &segs[0]);
    let path = device_dir(dir.path(), "laptop").join("00000002.seg");
    fs::write(&path, &segs[1][..segs[1].len() - 10]).unwrap();
    let p = plan("me", ME, key.id(), &Positions::new(), &scan(dir.path()).unwrap());
    assert_eq!(order(&p), [("laptop".to_string(), 1)]);
    let want = segs[1].len() as u64;
    assert_eq!(p.problems, [Problem::CutShort { path: path.clone(), have: want - 10, want }]);
    assert_eq!(p.positions["laptop"].seq, 1);
    fs::write(&path, &segs[1]).unwrap(); // the copy finished
    let p = plan("me", ME, key.id(), &p.positions, &scan(dir.path()).unwrap());
    assert_eq!(order(&p), [("laptop".to_string(), 2)]);
}

#[test]
fn conflict_copies_are_named_never_applied_and_a_second_store_of_one_name_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let key = SyncKey::generate().unwrap();
    let segs = segments(&key, "laptop", LAPTOP, 1, 1_000);
    put(dir.path(), "laptop", 1, &segs[0]);
    let same = device_dir(dir.path(), "laptop").join("00000001.sync-conflict-20261102-101500-ABC.seg");
    fs::write(&same, &segs[0]).unwrap();
    let p = plan("me", ME, key.id(), &Positions::new(), &scan(dir.path()).unwrap());
    assert_eq!(order(&p), [("laptop".to_string(), 1)]);
    assert_eq!(p.problems, [Problem::ConflictCopy { path: same.clone() }]);

    // Another store also calls itself laptop: its segment 1 became the conflict copy.
    let theirs = segments(&key, "laptop", DESKTOP, 1, 2_000);
    fs::write(&same, &theirs[0]).unwrap();
    let p = plan("me", ME, key.id(), &Positions::new(), &scan(dir.path()).unwrap());
    assert_eq!(p.apply, []);
    assert!(p.problems.contains(&Problem::DuplicateDevice { device: "laptop".into() }));
    assert!(p.problems.contains(&Problem::ConflictCopy { path: same }));
}

#[test]
fn a_store_whose_name_another_store_writes_under_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let key = SyncKey::generate().unwrap();
    put(dir.path(), "laptop", 1, &segments(&key, "laptop", LAPTOP, 1, 1_000)[0]);
    // This store is "laptop" too (joined with a name already taken).
    let p = plan("laptop", ME, key.id(), &Positions::new(), &scan(dir.path()).unwrap());
    assert_eq!(p.problems, [Problem::DuplicateDevice { device: "laptop".into() }]);
    // A device whose store was replaced after this one applied it: refused, not mixed in.
    let applied = Positions::from([("laptop".to_string(), Position { seq: 0, instance: DESKTOP })]);
    let p = plan("me", ME, key.id(), &applied, &scan(dir.path()).unwrap());
    assert_eq!((p.apply.len(), &p.problems[..]), (0, &[Problem::DuplicateDevice { device: "laptop".into() }][..]));
}

#[test]
fn a_segment_made_with_another_key_or_damaged_stops_its_device_and_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let key = SyncKey::generate().unwrap();
    let other = SyncKey::generate().unwrap();
    put(dir.path(), "laptop", 1, &segments(&other, "laptop", LAPTOP, 1, 1_000)[0]);
    let mut bad = segments(&key, "desktop", DESKTOP, 1, 1_000).remove(0);
    let last = bad.len() - 1;
    bad[last] ^= 1;
    fs::create_dir_all(device_dir(dir.path(), "desktop")).unwrap();
    let bad_path = device_dir(dir.path(), "desktop").join("00000001.seg");
    fs::write(&bad_path, &bad).unwrap();
    let p = plan("me", ME, key.id(), &Positions::new(), &scan(dir.path()).unwrap());
    assert_eq!(p.apply, []);
    assert!(p.problems.contains(&Problem::WrongKey { path: device_dir(dir.path(), "laptop").join("00000001.seg") }));
    assert!(p.problems.contains(&Problem::Damaged { path: bad_path, why: "checksum does not match".into() }));
    assert!(p.positions.is_empty());
}

#[test]
fn a_device_whose_clock_runs_far_ahead_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let key = SyncKey::generate().unwrap();
    let day = 24 * 3600 * 1000;
    let now = 1_800_000_000_000;
    put(dir.path(), "laptop", 1, &segments(&key, "laptop", LAPTOP, 1, now + 3 * day)[0]);
    put(dir.path(), "desktop", 1, &segments(&key, "desktop", DESKTOP, 1, now + day / 2)[0]);
    let ahead = clocks_ahead(&scan(dir.path()).unwrap(), now, day);
    assert_eq!(ahead, [("laptop".to_string(), 3 * day + 1)]);
}
