//! Importers: LinkedIn's data export (zip, folder, Invitations.csv, Connections.csv),
//! vetted's own format (TOML, JSON, CSV) and vetted's JSON backup. The parsers are pure: each
//! reads its file and pushes records into a [`loader::Loader`]; they never see the store.
//! [`import_with`] finds what a path holds (`detect`) and runs one [`Store::import`], in which
//! the reconciler (`reconcile`) is the loader: it writes through the store's
//! [`crate::store::ImportSink`], keeps the [`Report`] and does the work that looks across
//! rows. An import lands whole or not at all.
//!
//! - `detect`: what a path holds, by content; the size limit; a file changing while read.
//! - `loader`: the seam: the `Loader` trait, and [`Progress`] for the caller's progress bar.
//! - `reconcile`: the loader over the store, and the cross-row work once every row is in.
//! - `report`: what an import did.
//! - `linkedin`: LinkedIn's export: finds its files by content, reads Invitations.csv and
//!   Connections.csv by column name.
//! - `own_format`: vetted's own format; only `name` is required.
//! - `backup`: restores a backup of `vetted export --format json` into an empty store, row by
//!   row as it is parsed (`backup_rules`: what a row must hold).
//! - `csv_rows`: CSV rows with their line numbers, fields within the limit, columns by name.
//! - `decode`: a text file in whatever encoding it came, decided for the whole file first.
//! - `dates`, `url`, `hints`: sent-at dates to UTC instants, profile URLs to one normal
//!   form (a person's key), and the hints pre-filled on a request. Pure functions, used by the
//!   CLI too.

mod backup;
mod backup_rules;
mod csv_rows;
pub mod dates;
mod decode;
mod detect;
pub mod hints;
mod linkedin;
mod loader;
mod own_format;
mod reconcile;
mod report;
pub mod url;

pub use detect::too_large_input;
pub use linkedin::{MAX_ZIP_ENTRIES, directory_reads as zip_directory_reads};
pub use loader::{Progress, Work};
pub use report::{Ambiguous, Named, Problem, Report, Who};

use crate::checklist::Checklist;
use crate::evidence::Phrases;
use crate::store::{ImportRun, Store, StoreError};
use detect::Kind;
use loader::Loader;
use std::path::{Path, PathBuf};

pub use crate::model::{MAX_FIELD_BYTES, MAX_FILE_BYTES};

/// The size limit in force: [`MAX_FILE_BYTES`], or a lower one a test asks for through the
/// hidden `VETTED_TEST_MAX_FILE_BYTES` (it can only lower the limit, never lift it), so that
/// the same code path is tested at a few kilobytes.
pub fn max_file_bytes() -> u64 {
    std::env::var("VETTED_TEST_MAX_FILE_BYTES")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .map_or(MAX_FILE_BYTES, |n| n.min(MAX_FILE_BYTES))
}

/// The limit as the messages say it: "512 MiB" (or, lowered for a test, "2048-byte" / "2048 bytes").
fn limit_words(limit: u64, adjective: bool) -> String {
    match limit % (1024 * 1024) {
        0 => format!("{} MiB", limit / (1024 * 1024)),
        _ if adjective => format!("{limit}-byte"),
        _ => format!("{limit} bytes"),
    }
}

pub const ACCEPTED: &str = "vetted imports: a LinkedIn data export (the .zip, or its unzipped folder), \
    Invitations.csv, Connections.csv, or a file in vetted's own format (.toml with [[request]] tables, \
    a JSON array of requests, or a CSV whose header has a `name` column), or a backup from \
    `vetted export --format json` (into an empty store)";

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{path}: {action}: {source}")]
    Io { path: PathBuf, action: &'static str, source: std::io::Error },
    #[error("{path}: {size} bytes is over the {} limit for one import{advice}", limit_words(*limit, true))]
    TooLarge { path: PathBuf, size: u64, limit: u64, advice: String },
    #[error("{path}: not a file vetted can import.\n{ACCEPTED}")]
    Unrecognised { path: PathBuf },
    /// The file is not what it claims to be; nothing was imported.
    #[error("{path}: {reason}; nothing was imported")]
    Refused { path: PathBuf, reason: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub type Result<T, E = ImportError> = std::result::Result<T, E>;

/// How to import.
#[derive(Clone, Copy, Default)]
pub struct Options<'p> {
    pub dry_run: bool,
    /// Told how far each large file is read (the CLI's progress bar).
    pub progress: Option<&'p dyn Progress>,
}

fn io_err(path: &Path, action: &'static str) -> impl FnOnce(std::io::Error) -> ImportError {
    let path = path.to_path_buf();
    move |source| ImportError::Io { path, action, source }
}

/// Imports `path` into the store in one transaction (rolled back for a dry run). Restored
/// checklist answers are ranked by the built-in checklist (see [`import_with`]).
pub fn import(store: &mut Store, path: &Path, opts: Options) -> Result<Report> {
    import_with(store, path, opts, &Checklist::builtin())
}

/// As [`import`], ranking restored checklist answers by `checklist` (the user's), with the
/// built-in phrase lists.
pub fn import_with(store: &mut Store, path: &Path, opts: Options, checklist: &Checklist) -> Result<Report> {
    import_with_phrases(store, path, opts, checklist, Some(&Phrases::builtin()))
}

/// As [`import_with`], with the evidence made by `phrases` (the user's lists; `None`: no
/// evidence at all, for measuring what it costs).
pub fn import_with_phrases(
    store: &mut Store,
    path: &Path,
    opts: Options,
    checklist: &Checklist,
    phrases: Option<&Phrases>,
) -> Result<Report> {
    let kind = detect::detect(path)?;
    let (source, kind_name) = (path.display().to_string(), format!("{kind:?}"));
    // A zip's central directory is read once, before the import: it tells how big the import is.
    let zip = if kind == Kind::Zip { Some(linkedin::open_zip(path)?) } else { None };
    let bytes = zip.as_ref().map_or_else(|| source_bytes(kind, path), linkedin::Archive::invitation_bytes);
    let run = ImportRun { source: &source, kind: &kind_name, dry_run: opts.dry_run, bytes };
    store.import(run, checklist, |sink| {
        let report = Report {
            path: path.display().to_string(),
            kind: kind.label().into(),
            dry_run: opts.dry_run,
            ..Report::default()
        };
        let mut reconciler = reconcile::Reconciler::new(sink, report, phrases, opts.progress);
        parse(kind, path, zip, &mut reconciler, opts.progress)?;
        reconciler.finish()
    })
}

/// About how many bytes of requests `path` holds, for the store's guess of an import's size:
/// an Invitations.csv's size, or a folder's files named so (two levels down); 0 (unknown) for
/// Connections.csv and vetted's own formats. A zip says it itself (`Archive::invitation_bytes`).
fn source_bytes(kind: Kind, path: &Path) -> u64 {
    fn invitations(dir: &Path, depth: u32) -> u64 {
        let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
        entries
            .filter_map(|e| e.ok())
            .map(|e| match e.file_type() {
                Ok(t) if t.is_dir() && depth > 1 => invitations(&e.path(), depth - 1),
                Ok(t) if t.is_file() && is_invitations_name(&e.file_name().to_string_lossy()) => {
                    e.metadata().map_or(0, |m| m.len())
                }
                _ => 0,
            })
            .sum()
    }
    match kind {
        Kind::Invitations => std::fs::metadata(path).map_or(0, |m| m.len()),
        Kind::Folder => invitations(path, 2),
        _ => 0,
    }
}

/// Whether a file of an export is named like its invitations (the size guess only: files are
/// read for what they hold, whatever their name).
pub(crate) fn is_invitations_name(file_name: &str) -> bool {
    file_name.to_lowercase().contains("invit")
}

/// Reads what `path` holds (its `kind`; a zip as `zip` opened it) into `loader`.
fn parse(
    kind: Kind,
    path: &Path,
    zip: Option<linkedin::Archive>,
    loader: &mut dyn Loader,
    progress: Option<&dyn Progress>,
) -> Result<()> {
    match kind {
        Kind::Zip => linkedin::zip(loader, path, zip.map_or_else(|| linkedin::open_zip(path), Ok)?, progress),
        Kind::Folder => linkedin::folder(loader, path, progress),
        Kind::Invitations => linkedin::invitations_file(loader, path, progress),
        Kind::Connections => linkedin::connections_file(loader, path, progress),
        Kind::OwnToml => own_format::toml(loader, path),
        Kind::OwnJson => own_format::json(loader, path),
        Kind::OwnCsv => own_format::csv(loader, path),
        Kind::Backup => backup::restore(loader, path),
    }
}
