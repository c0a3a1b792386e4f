//! What to apply next: a pure function of how far this device got with each other device and
//! of what the folder holds now. Per device, segments are taken in sequence from the one after
//! the last applied, and the walk stops at the first that is missing (a gap: wait for it), cut
//! short (wait for the rest), damaged or made with another key (named). A device name that
//! two stores use is refused whole. Conflict copies are named and never applied: a segment is
//! never changed, so a copy holds either what the original holds or the work of a second
//! store of the same name (then refused as such).

use super::folder::Scan;
use super::hlc::Hlc;
use super::segment::{Instance, SegmentError};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::PathBuf;

/// How far this device got with another: the last sequence applied, and which store made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub seq: u64,
    pub instance: Instance,
}

pub type Positions = BTreeMap<String, Position>;

/// One segment to read and apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub path: PathBuf,
    pub device: String,
    pub seq: u64,
    pub first: Hlc,
    pub instance: Instance,
}

/// What stops or is set aside, each with what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Not whole yet (still being copied): taken whole on a later sync.
    CutShort { path: PathBuf, have: u64, want: u64 },
    /// Whole length but wrong: the device's later segments wait behind it.
    Damaged { path: PathBuf, why: String },
    /// Made with another sync key (a store that joined with another key file).
    WrongKey { path: PathBuf },
    /// Made by a newer vetted: update this one.
    NewerVersion { path: PathBuf, version: u16 },
    /// `device`'s segment `missing` has not arrived yet; those after it wait.
    Gap { device: String, missing: u64 },
    /// Two stores write as `device`: nothing of it is applied until one is renamed.
    DuplicateDevice { device: String },
    /// A sync tool's conflict copy: never applied.
    ConflictCopy { path: PathBuf },
}

/// The segments to apply, in order, what was found wrong, and the positions once they are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub apply: Vec<Step>,
    pub problems: Vec<Problem>,
    pub positions: Positions,
}

/// Plans a sync for the store `me` (its device name and instance) holding the key `key_id`,
/// having applied `applied`, from what `scan` found.
pub fn plan(me: &str, my_instance: Instance, key_id: [u8; 8], applied: &Positions, scan: &Scan) -> Plan {
    let mut out = Plan { positions: applied.clone(), ..Plan::default() };
    let devices: BTreeSet<&str> = scan.segments.iter().map(|f| f.device.as_str()).collect();
    let mut queues: Vec<VecDeque<Step>> = Vec::new();
    for copy in &scan.conflict_copies {
        out.problems.push(Problem::ConflictCopy { path: copy.path.clone() });
    }
    for device in devices {
        let found: Vec<_> = scan.segments.iter().filter(|f| f.device == device).collect();
        let mut instances: BTreeSet<Instance> =
            found.iter().filter_map(|f| f.check.as_ref().ok()).map(|h| h.instance).collect();
        instances.extend(
            scan.conflict_copies
                .iter()
                .filter(|c| c.device == device)
                .filter_map(|c| c.header.as_ref())
                .map(|h| h.instance),
        );
        instances.extend(applied.get(device).map(|p| p.instance));
        if device == me {
            instances.insert(my_instance);
        }
        if instances.len() > 1 {
            out.problems.push(Problem::DuplicateDevice { device: device.to_string() });
            continue;
        }
        if device == me {
            continue; // this store's own: already in it
        }
        let start = applied.get(device).map_or(0, |p| p.seq) + 1;
        let mut next = start;
        let mut queue = VecDeque::new();
        for f in found.into_iter().filter(|f| f.seq >= start) {
            if f.seq != next {
                out.problems.push(Problem::Gap { device: device.to_string(), missing: next });
                break;
            }
            let path = f.path.clone();
            let problem = match &f.check {
                Ok(h) if h.key_id != key_id => Problem::WrongKey { path },
                Ok(h) => {
                    queue.push_back(Step {
                        path,
                        device: device.to_string(),
                        seq: f.seq,
                        first: h.first.clone(),
                        instance: h.instance,
                    });
                    next += 1;
                    continue;
                }
                Err(SegmentError::CutShort { have, want }) => Problem::CutShort { path, have: *have, want: *want },
                Err(SegmentError::Damaged(why)) => Problem::Damaged { path, why: why.clone() },
                Err(SegmentError::WrongKey) => Problem::WrongKey { path },
                Err(SegmentError::NewerVersion(version)) => Problem::NewerVersion { path, version: *version },
            };
            out.problems.push(problem);
            break;
        }
        if let Some(last) = queue.back() {
            out.positions.insert(device.to_string(), Position { seq: last.seq, instance: last.instance });
        }
        queues.push(queue);
    }
    // Every device's segments in sequence, interleaved by their first stamp: a sync stopped
    // half way has applied a prefix of each device's segments, as the positions say.
    while let Some(q) = queues.iter_mut().filter(|q| !q.is_empty()).min_by(|a, b| a[0].first.cmp(&b[0].first)) {
        out.apply.push(q.pop_front().expect("not empty"));
    }
    out
}

/// The devices whose newest readable segment is stamped more than `limit_ms` ahead of this
/// device's clock (`now_ms`), and by how much: their stamps drag every device's ahead, so the
/// user is told ("desktop's clock is 3 days ahead").
pub fn clocks_ahead(scan: &Scan, now_ms: u64, limit_ms: u64) -> Vec<(String, u64)> {
    let mut newest: BTreeMap<&str, u64> = BTreeMap::new();
    for h in scan.segments.iter().filter_map(|f| f.check.as_ref().ok()) {
        let wall = newest.entry(&h.device).or_default();
        *wall = (*wall).max(h.last.wall_ms);
    }
    newest
        .into_iter()
        .filter(|(_, wall)| wall.saturating_sub(now_ms) > limit_ms)
        .map(|(device, wall)| (device.to_string(), wall - now_ms))
        .collect()
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
