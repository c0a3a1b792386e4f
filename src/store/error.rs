//! What a store call can fail with ([`StoreError`]), and SQLite's error codes as those errors
//! ([`sqlite_err`]).

use crate::model::Status;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: is a directory, not a vetted database")]
    IsDirectory { path: PathBuf },
    #[error("{path}: not a SQLite database (left untouched)")]
    NotADatabase { path: PathBuf },
    #[error("{path}: a SQLite database of another application (left untouched)")]
    Foreign { path: PathBuf },
    #[error(
        "{path}: written by a newer vetted (schema {found}, this one knows up to {supported}); \
         upgrade vetted (left untouched)"
    )]
    Newer { path: PathBuf, found: i32, supported: i32 },
    #[error(
        "{path}: holds {objects}, which vetted did not make: a trigger or view can keep or change what vetted \
         writes (even what `forget` removes), so vetted will not write to it. `vetted --read-only` still reads \
         it; drop them with sqlite3 (`DROP TRIGGER name;`), or restore a backup"
    )]
    ForeignObjects { path: PathBuf, objects: String },
    #[error(
        "{path}: its schema does not match its version number ({version}): it was changed outside vetted, and \
         upgrading it failed ({detail}). `vetted doctor` checks it; restore a backup"
    )]
    Mismatch { path: PathBuf, version: i32, detail: String },
    #[error("{path}: {action}: {source}")]
    Io { path: PathBuf, action: &'static str, source: std::io::Error },
    #[error("{path}: the store is in use by another vetted process; try again when it is done")]
    Busy { path: PathBuf },
    #[error("{path}: {source}")]
    Sqlite { path: PathBuf, source: rusqlite::Error },
    #[error("no request with id {0} (see `vetted list --status all`)")]
    NoSuchRequest(i64),
    #[error(
        "request {id} is {status}: {}; there is nothing to decide",
        match status {
            Status::Connected => "the sender is already one of your connections",
            Status::Replaced => "the same person sent a newer invitation, which is the one in the queue",
            _ => "it is no longer waiting on LinkedIn",
        }
    )]
    NotDecidable { id: i64, status: Status },
    #[error("request {id} is already {status}; nothing was recorded (see `vetted log`)")]
    AlreadyDecided { id: i64, status: Status },
    #[error("request {id} was decided since this screen was drawn (now {status}); nothing was recorded")]
    Stale { id: i64, status: Status },
    #[error("request {id} was decided again since, elsewhere ({status} at {at}); nothing was undone")]
    DecidedSince { id: i64, status: Status, at: String },
    #[error("nothing to undo")]
    NothingToUndo,
    #[error("stopped")]
    Stopped,
    #[error("a decline needs a reason: the log is where you later learn why; nothing was recorded")]
    DeclineNeedsReason,
    #[error(
        "request {id} ({}) is {status} now, not {seen} as when it was selected; nothing of the batch was recorded",
        crate::text::line(name)
    )]
    BatchStale { id: i64, name: String, status: Status, seen: Status },
    #[error("no batch {0} (`vetted log` shows each batch's id)")]
    NoSuchBatch(i64),
    #[error("nothing to decide: no request was selected")]
    EmptyBatch,
    #[error(transparent)]
    Query(#[from] crate::query::QueryError),
    #[error("request {0} has nothing left to do on LinkedIn (see `vetted todo`)")]
    NotToDo(i64),
    #[error(
        "{path}: the database is damaged ({detail}); run `vetted doctor`, and use `--read-only` to read \
         (list, log, export) what is still readable"
    )]
    Corrupt { path: PathBuf, detail: String },
    #[error("{path}: {what} is read-only; vetted leaves it as it is (`--read-only` reads it without writing)")]
    ReadOnly { path: PathBuf, what: &'static str },
    #[error(
        "{path}: cannot write: the disk is full (or a file-size limit was reached); this change was not saved, \
         everything saved before is intact"
    )]
    Full { path: PathBuf },
    #[error(
        "{path}: a symbolic link where SQLite keeps its own file beside the store; vetted does not follow it (remove it)"
    )]
    LinkedCompanion { path: PathBuf },
    #[error(
        "{path}: made by another user (uid {uid}), who could read your notes from it or write into it; vetted \
         will not use it. Remove it (as its owner or root), and keep the store in a folder of your own"
    )]
    ForeignCompanion { path: PathBuf, uid: u32 },
    #[error("{path}: readable by others (mode {mode:o}) and vetted cannot make it private; run `chmod 600` on it")]
    Exposed { path: PathBuf, mode: u32 },
    #[error("{path}: cannot write: the disk is full (or a file-size limit was reached); nothing was left there")]
    TargetFull { path: PathBuf },
    #[error(
        "{path}: an import was interrupted (killed or crashed) and left its rollback journal beside the store; \
         the next `vetted` command without `--read-only` (`vetted list`) rolls it back, leaving the store as it \
         was before that import"
    )]
    Interrupted { path: PathBuf },
    #[error(
        "{path}: the folder holding the store can be written by others (mode {mode:o}), who could replace it, and \
         it is not the store's own folder for vetted to make private; keep the store in a folder of its own \
         (`--db DIR/vetted.db` with `chmod 700 DIR`)"
    )]
    OpenFolder { path: PathBuf, mode: u32 },
    #[error("{path}: an empty file; there is nothing to read yet")]
    Empty { path: PathBuf },
    #[error("{path}: already exists; vetted never overwrites it")]
    Exists { path: PathBuf },
    #[error("{0} (see `vetted list --status all`)")]
    NoSuchPerson(String),
    #[error("this store already syncs as {device:?} through {}; `vetted sync status` shows it", dir.display())]
    SyncAlready { device: String, dir: PathBuf },
    #[error("{path}: the sync key file: {detail}")]
    SyncKey { path: PathBuf, detail: String },
}

impl StoreError {
    /// SQLite's own message when a write broke a rule of the schema (a duplicate id, a value
    /// a column refuses): the fault of the data written, not of the store.
    pub fn constraint_violation(&self) -> Option<String> {
        match self {
            StoreError::Sqlite { source, .. }
                if source.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) =>
            {
                Some(source.to_string())
            }
            _ => None,
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

pub(crate) fn sqlite_err(path: &Path, source: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    match source.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy { path: path.into() },
        Some(ErrorCode::NotADatabase) => StoreError::NotADatabase { path: path.into() },
        Some(ErrorCode::DiskFull) => StoreError::Full { path: path.into() },
        // SQLITE_IOERR_WRITE, _TRUNCATE, _SHMSIZE: what EFBIG (a file-size limit) becomes.
        Some(ErrorCode::SystemIoFailure)
            if matches!(source.sqlite_error().map(|e| e.extended_code), Some(778 | 1546 | 4874)) =>
        {
            StoreError::Full { path: path.into() }
        }
        Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt { path: path.into(), detail: source.to_string() },
        _ => StoreError::Sqlite { path: path.into(), source },
    }
}
