//! One sync of a store through its folder (docs/sync.md): this device's unsent events written
//! as its next segments, then the other devices' new segments applied in the planned order,
//! each in one transaction with its position. One sync at a time per store (a lock file
//! beside it); a second is refused, saying so.

use crate::checklist::Checklist;
use crate::evidence::Phrases;
use crate::store::{Applied, Store, StoreError, SyncDevice};
use crate::sync::folder::{self, Scan};
use crate::sync::plan::{Position, Problem, clocks_ahead, plan};
use crate::sync::{SyncKey, segment};
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

/// Events per segment at most, and the JSON bytes they may take (a segment stays far below
/// `segment::MAX_LEN`).
const SEGMENT_EVENTS: usize = 50_000;
const SEGMENT_JSON_BYTES: usize = 16 << 20;
/// How long a sync waits for another one on the same store before it is refused.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(3);
/// A device whose stamps run further ahead of this clock is named.
const CLOCK_LIMIT_MS: u64 = 24 * 3600 * 1000;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "this store does not sync yet: `vetted sync init DIR` (first device) or `vetted sync join DIR --key-file PATH`"
    )]
    NotSyncing,
    #[error("{0}: another `vetted sync` is running on this store; try again when it is done")]
    Busy(PathBuf),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{path}: {detail}")]
    Segment { path: PathBuf, detail: String },
    #[error(
        "another store writes as {0:?} in the sync folder: nothing was written or applied under that name; \
         give one of them another name (`vetted sync init DIR --name OTHER` on a fresh store)"
    )]
    NameTaken(String),
    #[error(transparent)]
    Key(#[from] crate::sync::crypt::KeyError),
}

/// What a sync did and found.
#[derive(Debug, Default)]
pub struct Report {
    /// Segments written: (sequence, events).
    pub written: Vec<(u64, usize)>,
    /// Segments applied: (device, sequence, what it did).
    pub applied: Vec<(String, u64, Applied)>,
    pub problems: Vec<Problem>,
    /// Devices whose clock runs more than a day ahead, and by how much (ms).
    pub clocks_ahead: Vec<(String, u64)>,
}

/// Held while a sync runs: an exclusive lock on `<store>.sync-lock`.
pub struct Lock(#[allow(dead_code)] std::fs::File);

/// Takes the store's sync lock, waiting a little for another sync to end, or says another
/// sync holds it.
pub fn lock(store_path: &Path) -> Result<Lock, SyncError> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut name = store_path.as_os_str().to_owned();
    name.push(".sync-lock");
    let path = PathBuf::from(name);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(0o600)
        .open(&path)
        .map_err(|source| SyncError::Io { path: path.clone(), source })?;
    let start = std::time::Instant::now();
    loop {
        match rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => return Ok(Lock(file)),
            Err(rustix::io::Errno::INTR) => continue,
            Err(rustix::io::Errno::WOULDBLOCK) if start.elapsed() < LOCK_WAIT => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(rustix::io::Errno::WOULDBLOCK) => return Err(SyncError::Busy(store_path.to_path_buf())),
            Err(e) => return Err(SyncError::Io { path, source: e.into() }),
        }
    }
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> SyncError + '_ {
    move |source| SyncError::Io { path: path.to_path_buf(), source }
}

/// Writes this device's unsent events as its next segments. A segment already in place under
/// the next number holding the first of these events (a sync killed after the rename, before
/// the store heard of it) counts as written.
fn write_unsent(store: &mut Store, me: &SyncDevice, key: &SyncKey, report: &mut Report) -> Result<(), SyncError> {
    let mut seq = me.written;
    loop {
        let events = store.sync_unsent(SEGMENT_EVENTS, SEGMENT_JSON_BYTES)?;
        let Some(last) = events.last().map(|e| e.id.counter) else { return Ok(()) };
        seq += 1;
        let bytes = segment::encode(key, me.instance, seq, &events)
            .map_err(|e| SyncError::Segment { path: me.dir.clone(), detail: e.to_string() })?;
        match folder::write_segment(&me.dir, &me.device, seq, &bytes) {
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                let path = folder::device_dir(&me.dir, &me.device).join(folder::segment_name(seq));
                let there = folder::read_segment(key, &path, &me.device, seq)
                    .map_err(|e| SyncError::Segment { path: path.clone(), detail: e.to_string() })?;
                // The first of these events, written before the store heard of it (more were
                // made since): they are sent; the rest go in the next segment. Whole events
                // compared, not ids: a store restored from an older backup numbers new events
                // as the ones it wrote after that backup.
                let sent = there.len() <= events.len() && there.iter().zip(&events).all(|(a, b)| a == b);
                match there.last().map(|e| e.id.counter) {
                    Some(through) if sent => {
                        store.sync_written(seq, through)?;
                        report.written.push((seq, there.len()));
                        continue;
                    }
                    _ => {
                        return Err(SyncError::Segment {
                            path,
                            detail: format!(
                                "already there, holding other events: this store is older than what it wrote to the \
                                 folder (restored from a backup?), or another store writes as {:?}. Nothing was \
                                 written. To carry on from everything the folder holds, join it from a new store: \
                                 `vetted --db NEW.db sync join DIR --name NEW-NAME --key-file KEY`",
                                me.device
                            ),
                        });
                    }
                }
            }
            Err(e) => return Err(io_err(&me.dir)(e)),
        }
        store.sync_written(seq, last)?;
        report.written.push((seq, events.len()));
    }
}

/// What the folder holds beyond what this store has applied (and beyond its own segments).
fn scan_new(store: &Store, me: &SyncDevice) -> Result<(Scan, crate::sync::Positions), SyncError> {
    let positions = store.sync_positions()?;
    let mut after: BTreeMap<String, u64> = positions.iter().map(|(d, p)| (d.clone(), p.seq)).collect();
    after.insert(me.device.clone(), me.written);
    let scan = folder::scan_after(&me.dir, &after).map_err(io_err(&me.dir))?;
    Ok((scan, positions))
}

/// One sync: write, then apply (and the evidence of the requests it brought, by `phrases`).
/// `progress(done, total)` hears of each segment applied.
pub fn sync(
    store: &mut Store,
    key: &SyncKey,
    checklist: &Checklist,
    phrases: &Phrases,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Report, SyncError> {
    let _lock = lock(store.path())?;
    let me = store.sync_device()?.ok_or(SyncError::NotSyncing)?;
    let mut report = Report::default();
    let (scan, positions) = scan_new(store, &me)?;
    let planned = plan(&me.device, me.instance, key.id(), &positions, &scan);
    if planned.problems.iter().any(|p| matches!(p, Problem::DuplicateDevice { device } if *device == me.device)) {
        return Err(SyncError::NameTaken(me.device));
    }
    write_unsent(store, &me, key, &mut report)?;
    report.clocks_ahead = clocks_ahead(&scan, crate::sync::hlc::wall_ms(), CLOCK_LIMIT_MS);
    let before = store.last_request_id()?;
    // A store that holds no request yet (a device joining) takes the folder in one bulk write.
    if !planned.apply.is_empty() && store.holds_no_request()? {
        store.sync_batch(checklist, |batch| {
            apply_planned(key, &planned.apply, &mut report, progress, |step, events| {
                let position = Position { seq: step.seq, instance: step.instance };
                batch.apply(key, &step.device, position, events)
            })?;
            batch.evaluate_after(before, phrases, progress).map_err(SyncError::from)
        })?;
    } else {
        apply_planned(key, &planned.apply, &mut report, progress, |step, events| {
            let position = Position { seq: step.seq, instance: step.instance };
            store.sync_apply(key, &step.device, position, events, checklist)
        })?;
        // The requests other devices brought get their evidence here, as an import's do.
        if store.last_request_id()? > before {
            store.evaluate_after(before, phrases, checklist, progress)?;
        }
    }
    report.problems.extend(planned.problems);
    Ok(report)
}

/// Reads each planned segment and hands its events to `apply`; a segment that cannot be read
/// (changed since the scan: still being copied) is a problem, and its device waits for the
/// next sync. `progress(done, total)` after each segment.
fn apply_planned(
    key: &SyncKey,
    steps: &[crate::sync::plan::Step],
    report: &mut Report,
    progress: &mut dyn FnMut(u64, u64),
    mut apply: impl FnMut(&crate::sync::plan::Step, &[crate::sync::event::Event]) -> Result<Applied, StoreError>,
) -> Result<(), SyncError> {
    let mut stopped: Vec<String> = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        if stopped.contains(&step.device) {
            continue;
        }
        let events = match folder::read_segment(key, &step.path, &step.device, step.seq) {
            Ok(events) => events,
            Err(e) => {
                report.problems.push(Problem::Damaged { path: step.path.clone(), why: e.to_string() });
                stopped.push(step.device.clone());
                continue;
            }
        };
        let applied = apply(step, &events)?;
        report.applied.push((step.device.clone(), step.seq, applied));
        progress(i as u64 + 1, steps.len() as u64);
    }
    Ok(())
}

/// A device's segments as `vetted sync status` shows them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DeviceStatus {
    pub device: String,
    /// The last whole segment in the folder, and when its last event was made (ms).
    pub last_segment: u64,
    pub last_written_ms: Option<u64>,
    /// How far this store applied it (its own: how far it wrote).
    pub applied: u64,
    pub this_store: bool,
}

/// Every device the folder shows, with how far this store got.
pub fn status(store: &Store) -> Result<(SyncDevice, Vec<DeviceStatus>, u64), SyncError> {
    let me = store.sync_device()?.ok_or(SyncError::NotSyncing)?;
    let positions = store.sync_positions()?;
    let scan = folder::scan(&me.dir).map_err(io_err(&me.dir))?;
    let mut devices: BTreeMap<String, DeviceStatus> = BTreeMap::new();
    for f in &scan.segments {
        let d = devices.entry(f.device.clone()).or_insert_with(|| DeviceStatus {
            device: f.device.clone(),
            last_segment: 0,
            last_written_ms: None,
            applied: if f.device == me.device { me.written } else { positions.get(&f.device).map_or(0, |p| p.seq) },
            this_store: f.device == me.device,
        });
        if let Ok(h) = &f.check
            && f.seq > d.last_segment
        {
            d.last_segment = f.seq;
            d.last_written_ms = Some(h.last.wall_ms);
        }
    }
    let unsent = store.sync_unsent_count()?;
    Ok((me, devices.into_values().collect(), unsent))
}

/// Rewrites this device's own segments without the events of people a forget reached (the
/// one change ever made to a segment). Returns how many segments changed.
pub fn rewrite_own(store: &Store, key: &SyncKey) -> Result<u64, SyncError> {
    let me = store.sync_device()?.ok_or(SyncError::NotSyncing)?;
    let mut changed = 0;
    for seq in 1..=me.written {
        let path = folder::device_dir(&me.dir, &me.device).join(folder::segment_name(seq));
        let Ok(bytes) = std::fs::read(&path) else { continue };
        let failed = std::cell::RefCell::new(None);
        let fewer = segment::without(key, &bytes, |e| match store.sync_is_forgotten(key, &e.change) {
            Ok(gone) => gone,
            Err(err) => {
                *failed.borrow_mut() = Some(err);
                false
            }
        });
        if let Some(err) = failed.into_inner() {
            return Err(err.into());
        }
        match fewer {
            Ok(Some(fewer)) => {
                folder::replace_segment(&me.dir, &me.device, seq, &fewer).map_err(io_err(&path))?;
                changed += 1;
            }
            Ok(None) => {}
            Err(e) => return Err(SyncError::Segment { path, detail: e.to_string() }),
        }
    }
    Ok(changed)
}

/// The segments in the folder (any device's) that still hold events about a person a forget
/// reached here: what `doctor` reports. Each as (path, events).
pub fn segments_holding_forgotten(store: &Store, key: &SyncKey) -> Result<Vec<(PathBuf, usize)>, SyncError> {
    let me = store.sync_device()?.ok_or(SyncError::NotSyncing)?;
    let scan = folder::scan(&me.dir).map_err(io_err(&me.dir))?;
    let mut found = Vec::new();
    for f in scan.segments.iter().filter(|f| f.check.is_ok()) {
        let Ok(events) = folder::read_segment(key, &f.path, &f.device, f.seq) else { continue };
        let mut n = 0;
        for e in &events {
            if store.sync_is_forgotten(key, &e.change)? {
                n += 1;
            }
        }
        if n > 0 {
            found.push((f.path.clone(), n));
        }
    }
    Ok(found)
}
