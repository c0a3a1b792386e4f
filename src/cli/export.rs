//! `vetted export`: the whole log as CSV or Markdown, or a complete JSON backup; with
//! `--read-only`, from a rescued copy of what a damaged store can still give.

use super::Setup;
use super::output::{out_err, write_new_file};
use crate::error::Result;
use crate::store::Store;
use crate::text;
use clap::Args;
use std::io::{IsTerminal, Write};

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// csv or md (the log, for reading or a spreadsheet), json (a complete backup)
    #[arg(long, value_enum)]
    pub format: crate::export::Format,
    /// Write to this new file (created private, 0600) instead of standard output (`-`)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
}

pub fn run(setup: &Setup, args: ExportArgs, out: &mut dyn Write) -> Result<()> {
    let terminal = std::io::stdout().is_terminal();
    if setup.read_only {
        return export_read_only(&setup.open()?, &args, terminal, out);
    }
    export(&setup.open()?, &args, terminal, out)
}

/// `terminal`: standard output is a terminal. CSV and Markdown shown there go through the
/// text gate (strangers' escape sequences as visible stand-ins); to a file or a pipe they are
/// the data unchanged. JSON escapes them itself.
pub fn export(store: &Store, args: &ExportArgs, terminal: bool, out: &mut dyn Write) -> Result<()> {
    let at = crate::clock::now_stored();
    let Some(path) = args.output.as_ref().filter(|p| p.as_os_str() != "-") else {
        if terminal && args.format != crate::export::Format::Json {
            let mut safe = text::TerminalSafe::new(out);
            crate::export::write(store, args.format, &at, &mut safe)?;
            return safe.flush().map_err(out_err);
        }
        return Ok(crate::export::write(store, args.format, &at, out)?);
    };
    let shown = text::line(&path.display().to_string()).into_owned();
    write_new_file(path, |w| Ok(crate::export::write(store, args.format, &at, w)?))?;
    writeln!(out, "wrote {shown}").map_err(out_err)
}

/// `vetted --read-only export`: from the store itself when it passes `quick_check`, else from
/// a rescued copy of every readable row (and a warning of what was lost).
pub fn export_read_only(store: &Store, args: &ExportArgs, terminal: bool, out: &mut dyn Write) -> Result<()> {
    if store.passes_quick_check() {
        return export(store, args, terminal, out);
    }
    let (copy, lost) = store.rescue()?;
    eprintln!(
        "vetted: the database is damaged; exporting every readable row ({lost} could not be read); \
         `vetted doctor` checks the file"
    );
    export(&copy, args, terminal, out)
}
