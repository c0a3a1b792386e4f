//! `vetted backup FILE`: a consistent copy of the store, safe while vetted runs; never overwrites.

use super::Setup;
use super::output::{json_safe, out_err};
use crate::error::{Error, Result};
use crate::store::Store;
use crate::text;
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The new file (created private, 0600)
    pub file: PathBuf,
    /// JSON for scripts: the file and its size
    #[arg(long)]
    pub json: bool,
}

pub fn run(setup: &Setup, args: BackupArgs, out: &mut dyn Write) -> Result<()> {
    backup(&setup.open()?, &args.file, args.json, out)
}

pub fn backup(store: &Store, file: &Path, json: bool, out: &mut dyn Write) -> Result<()> {
    store.backup(file).map_err(|e| match e {
        crate::store::StoreError::Exists { .. } => Error::Usage(e.to_string()),
        e => Error::from(e),
    })?;
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    if json {
        let value = serde_json::json!({ "path": file, "bytes": size, "integrity": "ok" });
        return writeln!(out, "{}", json_safe(&value)).map_err(out_err);
    }
    writeln!(
        out,
        "backed up to {} ({}, integrity ok, private 0600)",
        text::line(&file.display().to_string()),
        crate::store::health::human(size)
    )
    .map_err(out_err)
}
