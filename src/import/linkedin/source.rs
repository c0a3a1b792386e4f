//! Where a file of the export is (on disk, or an entry of the zip), and the export zip: its
//! central directory read once, its entries counted and their names checked before any is read.

use crate::import::detect::{Kind, Stamp, classify_text, open_regular, too_large};
use crate::import::{ImportError, Result, decode, io_err, max_file_bytes};
use std::cell::RefCell;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// Where one file of the export is: on disk, or inside the zip.
pub(crate) enum Source {
    File(PathBuf),
    Entry { zip: PathBuf, name: String, archive: Rc<Archive> },
}

/// An export zip, its central directory read once for every entry read from it, and its size
/// and time when it was opened (an entry read after it changed is refused).
pub(crate) struct Archive {
    zip: RefCell<zip::ZipArchive<File>>,
    file: File,
    stamp: Stamp,
}

impl Archive {
    /// The names of its entries, as its central directory gives them.
    pub fn file_names(&self) -> Vec<String> {
        self.zip.borrow().file_names().flatten().map(|n| n.into_owned()).collect()
    }

    /// How many bytes its invitations files hold unzipped, as its central directory says (see
    /// `import::is_invitations_name`): the store's guess of how big the import is.
    pub fn invitation_bytes(&self) -> u64 {
        let zip = self.zip.borrow();
        (0..zip.len())
            .filter_map(|i| zip.by_index_data(i).ok())
            .filter(|e| e.name().is_ok_and(|n| crate::import::is_invitations_name(n.rsplit('/').next().unwrap_or(""))))
            .map(|e| e.size())
            .sum()
    }
}

/// Entries of a zip looked at, at most: a LinkedIn export holds fewer than 100.
pub const MAX_ZIP_ENTRIES: usize = 10_000;

/// Central directories read so far in this process (each zip import reads its own once).
static DIRECTORY_READS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How many zip central directories this process has read (for the tests: once per import).
#[doc(hidden)]
pub fn directory_reads() -> u64 {
    DIRECTORY_READS.load(std::sync::atomic::Ordering::Relaxed)
}

impl Source {
    /// How messages name it: its path, or `archive.zip!entry`.
    pub fn label(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::Entry { zip, name, .. } => format!("{}!{name}", zip.display()),
        }
    }

    /// How the report lists it: its path, or the entry's name in the zip.
    pub fn report_name(&self) -> String {
        match self {
            Source::File(_) => self.label(),
            Source::Entry { name, .. } => name.clone(),
        }
    }

    pub fn file_name(&self) -> &str {
        match self {
            Source::File(p) => p.file_name().and_then(|n| n.to_str()).unwrap_or(""),
            Source::Entry { name, .. } => name.rsplit('/').next().unwrap_or(name),
        }
    }

    /// Runs `f` on a fresh reader of the whole file (never more than the size limit), with
    /// the size it says it has. Only regular files are read.
    pub fn open<T>(&self, f: impl FnOnce(&mut (dyn Read + Send), u64) -> Result<T>) -> Result<T> {
        match self {
            Source::File(path) => {
                let file = open_regular(path)?;
                let before = Stamp::of(&file, path)?;
                let out = f(&mut (&file).take(max_file_bytes()), before.size)?;
                before.unchanged(&file, path)?;
                Ok(out)
            }
            Source::Entry { zip, name, archive } => {
                let refused = |reason: String| ImportError::Refused { path: zip.clone(), reason };
                let mut opened = archive.zip.borrow_mut();
                let mut entry = opened
                    .by_name(name)
                    .map_err(|e| refused(format!("cannot read {} ({e})", crate::text::line(name))))?;
                let limit = max_file_bytes();
                if entry.size() > limit {
                    return Err(too_large(&PathBuf::from(self.label()), entry.size(), classify_name(self.file_name())));
                }
                let size = entry.size();
                let out = f(&mut (&mut entry).take(limit), size)?;
                drop(entry);
                archive.stamp.unchanged(&archive.file, zip)?;
                Ok(out)
            }
        }
    }

    /// What the file holds, told by its first bytes.
    pub fn kind(&self) -> Result<Option<Kind>> {
        self.open(|r, _| {
            let mut head = Vec::with_capacity(8192);
            r.take(8192).read_to_end(&mut head).map_err(|e| ImportError::Refused {
                path: self.label().into(),
                reason: format!("cannot read ({e})"),
            })?;
            Ok(classify_text(&decode::head_text(&head)))
        })
    }
}

/// What an entry of LinkedIn's export is, told by its name (for the advice of an oversized one).
fn classify_name(name: &str) -> Option<Kind> {
    let name = name.to_ascii_lowercase();
    if name.starts_with("invitations") {
        Some(Kind::Invitations)
    } else if name.starts_with("connections") {
        Some(Kind::Connections)
    } else {
        None
    }
}

/// Opens an export zip: its central directory is read once, its entries counted first (a zip
/// of more than [`MAX_ZIP_ENTRIES`] is refused before its directory is read) and a name given
/// to two entries is refused, naming it (one of the two would be read, the other silently not).
pub(crate) fn open_zip(path: &Path) -> Result<Archive> {
    let refused = |reason: String| ImportError::Refused { path: path.into(), reason };
    let file = open_regular(path)?;
    let stamp = Stamp::of(&file, path)?;
    let mut reading = open_regular(path)?;
    if let Some(n) = zip_entry_count(&mut reading).map_err(io_err(path, "cannot read"))?
        && n > MAX_ZIP_ENTRIES as u64
    {
        return Err(refused(too_many_entries(n)));
    }
    DIRECTORY_READS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let archive = zip::ZipArchive::new(reading).map_err(|e| refused(format!("not a readable zip ({e})")))?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(refused(too_many_entries(archive.len() as u64)));
    }
    if archive.has_duplicate_names() {
        let start = archive.central_directory_start();
        let name = open_regular(path)
            .ok()
            .and_then(|mut f| first_repeated_name(&mut f, start, MAX_ZIP_ENTRIES * 2).ok().flatten())
            .unwrap_or_else(|| "alike".into());
        return Err(refused(format!(
            "it holds two entries named {}: which one is the export cannot be told; unzip it, keep one of \
             them, and import the folder",
            crate::text::line(&name)
        )));
    }
    Ok(Archive { zip: RefCell::new(archive), file, stamp })
}

fn too_many_entries(n: u64) -> String {
    format!(
        "it holds {n} entries, over the {MAX_ZIP_ENTRIES} vetted looks at in a zip (a LinkedIn export holds \
         fewer than 100): import the zip LinkedIn sent, or its Invitations.csv and Connections.csv"
    )
}

/// The number of entries a zip's end record says it has (`None` when no end record is found:
/// the zip reader then says what is wrong). Reads at most the last 64 KiB, and 76 bytes more
/// for a zip64 end record.
fn zip_entry_count(file: &mut File) -> std::io::Result<Option<u64>> {
    use std::io::{Seek, SeekFrom};
    let len = file.metadata()?.len();
    let tail = len.min(65_557);
    file.seek(SeekFrom::Start(len - tail))?;
    let mut buf = vec![0u8; tail as usize];
    file.read_exact(&mut buf)?;
    let Some(at) = (0..buf.len().saturating_sub(21)).rev().find(|&i| buf[i..].starts_with(b"PK\x05\x06")) else {
        return Ok(None);
    };
    let count = u16::from_le_bytes([buf[at + 10], buf[at + 11]]);
    if count != 0xFFFF {
        return Ok(Some(u64::from(count)));
    }
    // Zip64: the locator just before the end record points at the zip64 end record.
    let end = (len - tail) + at as u64;
    if end < 20 {
        return Ok(None);
    }
    let mut locator = [0u8; 20];
    file.seek(SeekFrom::Start(end - 20))?;
    file.read_exact(&mut locator)?;
    if !locator.starts_with(b"PK\x06\x07") {
        return Ok(None);
    }
    let record = u64::from_le_bytes(locator[8..16].try_into().expect("8 bytes"));
    let mut end64 = [0u8; 56];
    if file.seek(SeekFrom::Start(record)).is_err()
        || file.read_exact(&mut end64).is_err()
        || !end64.starts_with(b"PK\x06\x06")
    {
        return Ok(None);
    }
    Ok(Some(u64::from_le_bytes(end64[32..40].try_into().expect("8 bytes"))))
}

/// The first name the central directory (from `start`) gives twice, looking at no more than
/// `max` entries.
fn first_repeated_name(file: &mut File, start: u64, max: usize) -> std::io::Result<Option<String>> {
    use std::io::{Seek, SeekFrom};
    file.seek(SeekFrom::Start(start))?;
    let mut dir = BufReader::new(file);
    let mut seen = std::collections::HashSet::new();
    let mut header = [0u8; 46];
    for _ in 0..max {
        if dir.read_exact(&mut header).is_err() || !header.starts_with(b"PK\x01\x02") {
            return Ok(None);
        }
        let le16 = |i: usize| u64::from(u16::from_le_bytes([header[i], header[i + 1]]));
        let (name_len, rest) = (le16(28), le16(30) + le16(32));
        let mut name = Vec::new();
        (&mut dir).take(name_len).read_to_end(&mut name)?;
        std::io::copy(&mut (&mut dir).take(rest), &mut std::io::sink())?;
        let name = String::from_utf8_lossy(&name).into_owned();
        if !seen.insert(name.clone()) {
            return Ok(Some(name));
        }
    }
    Ok(None)
}
