//! The sync folder on disk: `DIR/vetted-sync/<device>/<seq:08>.seg`. A device writes only
//! its own subfolder, and a segment once renamed into place is never changed. Reading lists
//! what is there and what each file is: a segment (its header checked, not decrypted), a sync
//! tool's temporary file (ignored), a conflict copy (reported, never applied), or something
//! else (reported).

use super::crypt::SyncKey;
use super::event::Event;
use super::segment::{self, Header, SegmentError};
use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The folder vetted keeps inside the user's sync folder.
pub const ROOT: &str = "vetted-sync";

/// What a file's name says it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// `00000042.seg`
    Segment(u64),
    /// A sync tool's (or vetted's own) file being written: `.syncthing.*.tmp`, `~*.tmp`,
    /// `*.partial`, `*.part`, `.vetted-partial-*`, an iCloud placeholder `.*.icloud`.
    Temporary,
    /// A conflict copy: `… (conflicted copy …)…` (Dropbox, Nextcloud), `*.sync-conflict-*`
    /// (Syncthing); the sequence of the segment it copies, when its name still starts with it.
    ConflictCopy(Option<u64>),
    Other,
}

/// What a file's name says it is.
pub fn classify(name: &str) -> Kind {
    let temp = (name.starts_with(".syncthing.") && name.ends_with(".tmp"))
        || (name.starts_with('~') && name.ends_with(".tmp"))
        || name.ends_with(".partial")
        || name.ends_with(".part")
        || name.starts_with(".vetted-partial-")
        || (name.starts_with('.') && name.ends_with(".icloud"));
    if temp {
        return Kind::Temporary;
    }
    let seq = |s: &str| s.get(..8).filter(|d| d.bytes().all(|b| b.is_ascii_digit())).and_then(|d| d.parse().ok());
    if name.contains("conflicted copy") || name.contains(".sync-conflict-") {
        return Kind::ConflictCopy(seq(name));
    }
    match name.strip_suffix(".seg") {
        Some(digits) if digits.len() >= 8 && digits.bytes().all(|b| b.is_ascii_digit()) => {
            digits.parse().map_or(Kind::Other, Kind::Segment)
        }
        _ => Kind::Other,
    }
}

/// The file name of segment `seq`.
pub fn segment_name(seq: u64) -> String {
    format!("{seq:08}.seg")
}

/// The folder of `device`'s segments.
pub fn device_dir(dir: &Path, device: &str) -> PathBuf {
    dir.join(ROOT).join(device)
}

/// A segment file found, and what its header says (or why it cannot be read yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub path: PathBuf,
    pub device: String,
    pub seq: u64,
    pub check: Result<Header, SegmentError>,
}

/// A conflict copy found: never applied; its header, when it reads, tells whose it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copy {
    pub path: PathBuf,
    pub device: String,
    pub seq: Option<u64>,
    pub header: Option<Header>,
}

/// Everything in `DIR/vetted-sync`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    pub segments: Vec<Found>,
    pub conflict_copies: Vec<Copy>,
    /// Temporary files of sync tools, skipped.
    pub ignored: Vec<PathBuf>,
    /// Files and folders vetted did not make (a device folder with a name vetted never gives).
    pub others: Vec<PathBuf>,
}

/// Reads `DIR/vetted-sync`: every device folder and every file in it (headers checked, nothing
/// decrypted). A folder without `vetted-sync` yet reads as empty; a missing `DIR` is an error.
pub fn scan(dir: &Path) -> io::Result<Scan> {
    scan_after(dir, &BTreeMap::new())
}

/// As [`scan`], leaving out the segments at or below `after[device]` (those applied already):
/// they are not read, so a sync reads only what is new.
pub fn scan_after(dir: &Path, after: &BTreeMap<String, u64>) -> io::Result<Scan> {
    let mut scan = Scan::default();
    fs::metadata(dir)?;
    let root = dir.join(ROOT);
    let Ok(devices) = fs::read_dir(&root) else { return Ok(scan) };
    for entry in devices {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !entry.file_type()?.is_dir() || !segment::valid_device(&name) {
            match classify(&name) {
                Kind::Temporary => scan.ignored.push(entry.path()),
                _ => scan.others.push(entry.path()),
            }
            continue;
        }
        for file in fs::read_dir(entry.path())? {
            let file = file?;
            let path = file.path();
            let file_name = file.file_name().to_string_lossy().into_owned();
            match classify(&file_name) {
                Kind::Segment(seq) if after.get(&name).is_some_and(|&done| seq <= done) => {}
                Kind::Segment(seq) => {
                    let check = read_capped(&path).and_then(|b| {
                        let h = segment::inspect(&b)?;
                        if h.device != name || h.seq != seq {
                            return Err(SegmentError::Damaged(format!("holds {} segment {}", h.device, h.seq)));
                        }
                        Ok(h)
                    });
                    scan.segments.push(Found { path, device: name.clone(), seq, check });
                }
                Kind::ConflictCopy(seq) => {
                    let header = read_capped(&path).ok().and_then(|b| segment::inspect(&b).ok());
                    scan.conflict_copies.push(Copy { path, device: name.clone(), seq, header });
                }
                Kind::Temporary => scan.ignored.push(path),
                Kind::Other => scan.others.push(path),
            }
        }
    }
    scan.segments.sort_by(|a, b| (&a.device, a.seq).cmp(&(&b.device, b.seq)));
    scan.conflict_copies.sort_by(|a, b| a.path.cmp(&b.path));
    scan.ignored.sort();
    scan.others.sort();
    Ok(scan)
}

/// Reads and opens one segment to apply, checking it is still the one planned (`device`, `seq`).
pub fn read_segment(key: &SyncKey, path: &Path, device: &str, seq: u64) -> Result<Vec<Event>, SegmentError> {
    let bytes = read_capped(path)?;
    let (h, events) = segment::decode(key, &bytes)?;
    if h.device != device || h.seq != seq {
        return Err(SegmentError::Damaged(format!("holds {} segment {}", h.device, h.seq)));
    }
    Ok(events)
}

/// A file's bytes, unless it is larger than a segment can be.
fn read_capped(path: &Path) -> Result<Vec<u8>, SegmentError> {
    use std::io::Read;
    let damaged = |e: io::Error| SegmentError::Damaged(format!("{}: {e}", path.display()));
    let mut bytes = Vec::new();
    fs::File::open(path).map_err(damaged)?.take(segment::MAX_LEN + 1).read_to_end(&mut bytes).map_err(damaged)?;
    if bytes.len() as u64 > segment::MAX_LEN {
        return Err(SegmentError::Damaged(format!("{}: larger than a segment is", path.display())));
    }
    Ok(bytes)
}

/// Puts a segment in place: written to a private temporary file in the device's folder,
/// flushed, renamed to `<seq:08>.seg` (never replacing a file there), and the folder flushed.
/// Files are 0600 and folders 0700.
pub fn write_segment(dir: &Path, device: &str, seq: u64, bytes: &[u8]) -> io::Result<PathBuf> {
    use std::os::unix::fs::DirBuilderExt;
    if !segment::valid_device(device) {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("{device:?} is not a device name")));
    }
    fs::metadata(dir)?; // the sync folder itself is the user's: never made here
    let folder = device_dir(dir, device);
    fs::DirBuilder::new().recursive(true).mode(0o700).create(&folder)?;
    let dest = folder.join(segment_name(seq));
    let tmp = crate::partial::Partial::create_in(&folder)?;
    let mut f = tmp.as_file();
    f.write_all(bytes)?;
    f.sync_all()?;
    tmp.persist_noclobber(&dest).map_err(|e| e.error)?;
    fs::File::open(&folder)?.sync_all()?;
    Ok(dest)
}

/// Replaces this device's own segment `seq` with `bytes` (what [`segment::without`] made after a
/// forget): the only change ever made to a segment, by the device that wrote it. Written whole
/// and renamed over the old file, so a reader sees one or the other.
pub fn replace_segment(dir: &Path, device: &str, seq: u64, bytes: &[u8]) -> io::Result<PathBuf> {
    let folder = device_dir(dir, device);
    let dest = folder.join(segment_name(seq));
    fs::metadata(&dest)?; // only a segment that is there is replaced
    let tmp = crate::partial::Partial::create_in(&folder)?;
    let mut f = tmp.as_file();
    f.write_all(bytes)?;
    f.sync_all()?;
    tmp.persist_replacing(&dest).map_err(|e| e.error)?;
    fs::File::open(&folder)?.sync_all()?;
    Ok(dest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::testdata;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn names_tell_segments_temporary_files_and_conflict_copies_apart() {
        assert_eq!(classify("00000042.seg"), Kind::Segment(42));
        assert_eq!(classify("123456789.seg"), Kind::Segment(123_456_789));
        for temp in [
            ".syncthing.00000042.seg.tmp",
            "~00000042.seg.tmp",
            "00000042.seg.partial",
            "00000042.seg.part",
            ".vetted-partial-77-abc",
            ".00000042.seg.icloud",
        ] {
            assert_eq!(classify(temp), Kind::Temporary, "{temp}");
        }
        assert_eq!(classify("00000042 (Ada's conflicted copy 2026-11-02).seg"), Kind::ConflictCopy(Some(42)));
        assert_eq!(classify("00000042.sync-conflict-20261102-101500-ABCDEFG.seg"), Kind::ConflictCopy(Some(42)));
        assert_eq!(classify("x (conflicted copy).seg"), Kind::ConflictCopy(None));
        for other in ["42.seg", "0000004a.seg", "notes.txt", "00000042.seg.bak"] {
            assert_eq!(classify(other), Kind::Other, "{other}");
        }
    }

    #[test]
    fn a_written_segment_is_private_whole_and_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let key = SyncKey::generate().unwrap();
        let bytes = segment::encode(&key, [1; 16], 1, &testdata::some_events("laptop", 2)).unwrap();
        let path = write_segment(dir.path(), "laptop", 1, &bytes).unwrap();
        assert_eq!(path, dir.path().join("vetted-sync/laptop/00000001.seg"));
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        let folder = fs::metadata(path.parent().unwrap()).unwrap();
        assert_eq!(folder.permissions().mode() & 0o777, 0o700);
        let err = write_segment(dir.path(), "laptop", 1, b"other bytes").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&path).unwrap(), bytes);
        assert_eq!(fs::read_dir(path.parent().unwrap()).unwrap().count(), 1, "no temporary file left");
        assert!(write_segment(&dir.path().join("gone"), "laptop", 2, &bytes).is_err(), "a missing folder");
        let fewer = segment::without(&key, &bytes, |e| e.id.counter == 1).unwrap().unwrap();
        assert_eq!(replace_segment(dir.path(), "laptop", 1, &fewer).unwrap(), path);
        assert_eq!(fs::read(&path).unwrap(), fewer);
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        assert!(replace_segment(dir.path(), "laptop", 2, &fewer).is_err(), "only one that is there");
        assert_eq!(fs::read_dir(path.parent().unwrap()).unwrap().count(), 1);
    }

    #[test]
    fn a_scan_checks_headers_skips_temporary_files_and_reports_copies() {
        let dir = tempfile::tempdir().unwrap();
        let key = SyncKey::generate().unwrap();
        let events = testdata::some_events("laptop", 4);
        let one = segment::encode(&key, [1; 16], 1, &events[..2]).unwrap();
        let two = segment::encode(&key, [1; 16], 2, &events[2..]).unwrap();
        write_segment(dir.path(), "laptop", 1, &one).unwrap();
        let folder = device_dir(dir.path(), "laptop");
        fs::write(folder.join("00000002.seg"), &two[..two.len() / 2]).unwrap(); // mid-copy
        fs::write(folder.join(".syncthing.00000003.seg.tmp"), b"partial").unwrap();
        fs::write(folder.join("00000001 (conflicted copy 2026-11-02).seg"), &one).unwrap();
        fs::write(folder.join("00000009.seg"), &one).unwrap(); // a segment under another name
        fs::write(folder.join("README"), b"hello").unwrap();
        let scan = scan(dir.path()).unwrap();
        let seqs: Vec<u64> = scan.segments.iter().map(|f| f.seq).collect();
        assert_eq!(seqs, [1, 2, 9]);
        assert!(scan.segments[0].check.is_ok());
        assert!(matches!(scan.segments[1].check, Err(SegmentError::CutShort { .. })));
        assert!(matches!(scan.segments[2].check, Err(SegmentError::Damaged(_))));
        assert_eq!(scan.ignored.len(), 1);
        assert_eq!(scan.conflict_copies.len(), 1);
        assert_eq!(scan.conflict_copies[0].seq, Some(1));
        assert_eq!(scan.conflict_copies[0].header.as_ref().unwrap().instance, [1; 16]);
        assert_eq!(scan.others, [folder.join("README")]);
        assert!(super::scan(&dir.path().join("gone")).is_err());
        let after = BTreeMap::from([("laptop".to_string(), 2)]);
        let newer: Vec<u64> = scan_after(dir.path(), &after).unwrap().segments.iter().map(|f| f.seq).collect();
        assert_eq!(newer, [9], "segments applied already are not read");
        assert_eq!(read_segment(&key, &folder.join("00000001.seg"), "laptop", 1).unwrap(), events[..2]);
        assert!(read_segment(&key, &folder.join("00000009.seg"), "laptop", 9).is_err());
        assert_eq!(super::scan(tempfile::tempdir().unwrap().path()).unwrap(), Scan::default());
    }
}
