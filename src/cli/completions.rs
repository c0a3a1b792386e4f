//! `vetted completions SHELL`: the shell's completion script, with the checklist keys that
//! `decide --check` and `--flag` take.

use super::output::out_err;
use crate::checklist::Checklist;
use crate::config::{self, Config};
use crate::error::Result;
use clap::Args;
use std::io::Write;
use std::path::Path;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, elvish or powershell
    pub shell: clap_complete::Shell,
}

/// `config` and `db`: the global options, to find the user's checklist.
pub fn run(config: Option<&Path>, db: Option<&Path>, args: &CompletionsArgs, out: &mut dyn Write) -> Result<()> {
    // The checklist keys `--check` / `--flag` complete: the user's checklist when it
    // loads, else the built-in one (a broken config must not stop completions).
    let checklist = config::config_path(config)
        .ok()
        .and_then(|file| {
            let config = Config::load(&file).ok()?;
            let paths = config::resolve_paths(file, &config, db).ok()?;
            Checklist::load(&paths.checklist).ok()
        })
        .unwrap_or_else(Checklist::builtin);
    // Into a buffer first: clap_complete panics on a write error (a closed pipe).
    let mut script = Vec::new();
    let mut cmd = super::command_for_completions(&checklist);
    clap_complete::generate(args.shell, &mut cmd, "vetted", &mut script);
    out.write_all(&script).map_err(out_err)
}
