//! The store's file and the files SQLite keeps beside it: the header read before SQLite
//! opens it, and their owners and permissions (a store of notes about people stays private).

use super::{Result, StoreError, schema};
use std::fs;
use std::io::Read;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// What the file header says about an existing database, read without SQLite so that a
/// file we refuse is never touched.
pub(super) fn check_header(path: &Path) -> Result<()> {
    let io = |action, source| StoreError::Io { path: path.into(), action, source };
    let mut file = fs::File::open(path).map_err(|e| io("cannot open", e))?;
    let mut header = [0u8; 100];
    let mut read = 0;
    while read < header.len() {
        match file.read(&mut header[read..]).map_err(|e| io("cannot read", e))? {
            0 => break,
            n => read += n,
        }
    }
    if read == 0 {
        return Ok(()); // zero-length: a new empty store
    }
    if read < 100 || &header[..16] != SQLITE_MAGIC {
        return Err(StoreError::NotADatabase { path: path.into() });
    }
    // Page 1 sanity (cheap, before SQLite sees the file): a page size SQLite can have, and a
    // file made of whole pages.
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65536,
        n => u64::from(n),
    };
    let len = file.metadata().map_err(|e| io("cannot read", e))?.len();
    if !(512..=65536).contains(&page_size) || !page_size.is_power_of_two() || len % page_size != 0 {
        return Err(StoreError::Corrupt {
            path: path.into(),
            detail: format!("page size {page_size} in the header, file size {len}"),
        });
    }
    let be = |at: usize| i32::from_be_bytes(header[at..at + 4].try_into().expect("4 bytes"));
    let (user_version, app_id) = (be(60), be(68));
    if app_id != schema::APPLICATION_ID && !(app_id == 0 && user_version == 0) {
        return Err(StoreError::Foreign { path: path.into() });
    }
    if user_version > schema::latest_version() {
        return Err(StoreError::Newer { path: path.into(), found: user_version, supported: schema::latest_version() });
    }
    Ok(())
}

/// The files SQLite keeps beside the store.
fn companions(path: &Path) -> [PathBuf; 3] {
    let with = |suffix: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    [with("-wal"), with("-shm"), with("-journal")]
}

/// Checked at every open, before SQLite uses them: a `-wal`, `-shm` or `-journal` that is a
/// symbolic link would have SQLite write notes about people wherever it points, and one
/// another user made first (in a shared folder such as `/tmp`) would let them read the notes
/// or write into the store: both refused, saying so. One of the user's own that others may
/// read is made private (0600).
pub(crate) fn check_companions(path: &Path) -> Result<()> {
    let me = rustix::process::geteuid().as_raw();
    for companion in companions(path) {
        let Ok(meta) = fs::symlink_metadata(&companion) else { continue };
        if meta.file_type().is_symlink() {
            return Err(StoreError::LinkedCompanion { path: companion });
        }
        if meta.uid() != me {
            return Err(StoreError::ForeignCompanion { path: companion, uid: meta.uid() });
        }
        let mode = meta.permissions().mode();
        if mode & 0o077 != 0 && fs::set_permissions(&companion, fs::Permissions::from_mode(0o600)).is_err() {
            return Err(StoreError::Exposed { path: companion, mode: mode & 0o777 });
        }
    }
    Ok(())
}

/// A store someone else left readable by others (0644, and its WAL with it) is made private,
/// once, and said so; vetted never silently keeps a world-readable store.
pub(super) fn tighten(path: &Path, mode: u32) -> Result<Option<String>> {
    if mode & 0o077 == 0 {
        return Ok(None);
    }
    for file in std::iter::once(path.to_path_buf()).chain(companions(path)) {
        if let Ok(m) = fs::metadata(&file)
            && m.permissions().mode() & 0o077 != 0
            && fs::set_permissions(&file, fs::Permissions::from_mode(0o600)).is_err()
        {
            return Err(StoreError::Exposed { path: file, mode: m.permissions().mode() & 0o777 });
        }
    }
    Ok(Some(format!(
        "{}: was readable by others (mode {:o}); made private (0600)",
        crate::text::line(&path.display().to_string()),
        mode & 0o777
    )))
}

/// The folder holding the store (`.` for a bare file name).
pub(super) fn folder_of(path: &Path) -> &Path {
    path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// The folder of a store, when others may read or write it: made private (0700) and said so
/// once when it is the store's own — the user's, not a shared (sticky) folder, holding nothing
/// but the store and its companions, also through a symbolic link; refused with the fix when
/// others could write there (and so replace the store). A shared folder others can only read
/// shows them file names, never contents (the files are 0600): `vetted doctor` reports it.
pub(super) fn tighten_folder(path: &Path) -> Result<Option<String>> {
    let dir = folder_of(path);
    let Ok(meta) = fs::metadata(dir) else { return Ok(None) };
    let mode = meta.permissions().mode() & 0o7777;
    if mode & 0o077 == 0 {
        return Ok(None);
    }
    let own =
        meta.uid() == rustix::process::geteuid().as_raw() && mode & 0o1000 == 0 && holds_only_the_store(dir, path);
    if own && fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).is_ok() {
        let linked = fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink());
        let target = match fs::canonicalize(dir) {
            Ok(real) if linked => format!(" (a link to {})", real.display()),
            _ => String::new(),
        };
        return Ok(Some(format!(
            "{}: the store's folder was open to others (mode {mode:o}); made private (0700)",
            crate::text::line(&format!("{}{target}", dir.display()))
        )));
    }
    // A sticky folder (`/tmp`) lets nobody else rename or remove the store: kept as it is.
    if mode & 0o022 != 0 && mode & 0o1000 == 0 {
        return Err(StoreError::OpenFolder { path: dir.into(), mode });
    }
    Ok(None)
}

/// True when `dir` holds nothing but the store at `path` and the files SQLite keeps beside it.
fn holds_only_the_store(dir: &Path, path: &Path) -> bool {
    let Some(name) = path.file_name() else { return false };
    let mine: Vec<std::ffi::OsString> = std::iter::once(name.to_os_string())
        .chain(companions(Path::new(name)).into_iter().map(PathBuf::into_os_string))
        .collect();
    fs::read_dir(dir).is_ok_and(|entries| entries.into_iter().all(|e| e.is_ok_and(|e| mine.contains(&e.file_name()))))
}

/// Removes the rollback journal a process killed as its first write transaction began can
/// leave: its pages copied in, but its header still zero (SQLite writes the header's magic
/// only once the journal is synced, before the store file is touched). SQLite does not count
/// such a journal as hot: it neither rolls it back (there is nothing to undo) nor removes it,
/// and left there it made every open of a big store run its check again. Called once the store
/// is open in WAL mode: no rollback-journal writer can be at work then. True when removed.
pub(super) fn remove_stale_journal(path: &Path) -> Result<bool> {
    let [.., journal] = companions(path);
    let Ok(meta) = fs::symlink_metadata(&journal) else { return Ok(false) };
    if !meta.is_file() {
        return Ok(false); // check_companions refused a link; anything else is not SQLite's
    }
    let mut head = [0u8; 8];
    let read = fs::File::open(&journal).and_then(|mut f| f.read(&mut head));
    if read.is_err() || head != [0u8; 8] {
        return Ok(false);
    }
    fs::remove_file(&journal).map(|()| true).map_err(|source| StoreError::Io {
        path: journal,
        action: "cannot remove",
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_journal_whose_header_is_still_zero_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let (db, journal) = (dir.path().join("v.db"), dir.path().join("v.db-journal"));
        assert!(!remove_stale_journal(&db).unwrap(), "none there");
        let hot = [&[0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7][..], &[0; 504]].concat();
        fs::write(&journal, &hot).unwrap();
        assert!(!remove_stale_journal(&db).unwrap());
        assert!(journal.exists(), "a hot journal is SQLite's to roll back");
        fs::write(&journal, vec![0; 4616]).unwrap();
        assert!(remove_stale_journal(&db).unwrap());
        assert!(!journal.exists());
    }
}
