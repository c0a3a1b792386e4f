//! `vetted config path` and `vetted config init`.

use super::output::{json_safe, out_err, write_new_file};
use super::{JsonArg, Setup};
use crate::config::{self, Paths};
use crate::error::{Error, Result};
use crate::text;
use clap::{Args, Subcommand};
use std::io::Write;

/// `vetted config ACTION`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    #[command(subcommand)]
    pub action: ConfigAction,
}

#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Print the config, database, checklist and evidence phrase-list paths in use
    Path(JsonArg),
    /// Write a commented example config (never overwrites)
    Init,
}

pub fn run(setup: &Setup, args: ConfigArgs, out: &mut dyn Write) -> Result<()> {
    match args.action {
        ConfigAction::Path(args) => config_path(&setup.paths, args.json, out),
        ConfigAction::Init => config_init(&setup.paths, out),
    }
}

pub fn config_path(paths: &Paths, json: bool, out: &mut dyn Write) -> Result<()> {
    if json {
        let value = serde_json::json!({
            "config": { "path": paths.config, "exists": paths.config.exists() },
            "database": { "path": paths.database, "exists": paths.database.exists() },
            "checklist": { "path": paths.checklist, "exists": paths.checklist.exists() },
            "evidence": { "path": paths.evidence, "exists": paths.evidence.exists() },
        });
        return writeln!(out, "{}", json_safe(&value)).map_err(out_err);
    }
    let exists = |p: &std::path::Path| if p.exists() { "" } else { "  (not there yet)" };
    let checklist_note = if paths.checklist.exists() { "" } else { "  (not there: the built-in checklist is used)" };
    let shown = |p: &std::path::Path| text::line(&p.display().to_string()).into_owned();
    writeln!(out, "config     {}{}", shown(&paths.config), exists(&paths.config)).map_err(out_err)?;
    writeln!(out, "database   {}{}", shown(&paths.database), exists(&paths.database)).map_err(out_err)?;
    writeln!(out, "checklist  {}{checklist_note}", shown(&paths.checklist)).map_err(out_err)?;
    let evidence_note = if paths.evidence.exists() { "" } else { "  (not there: the built-in phrase lists are used)" };
    writeln!(out, "evidence   {}{evidence_note}", shown(&paths.evidence)).map_err(out_err)
}

pub fn config_init(paths: &Paths, out: &mut dyn Write) -> Result<()> {
    let path = &paths.config;
    let shown = text::line(&path.display().to_string()).into_owned();
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let folder = text::line(&dir.display().to_string()).into_owned();
        // Private whatever the umask (000 would leave it open to all): it sits beside notes.
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| Error::io(format!("{folder}: cannot create the folder"), e))?;
    }
    write_new_file(path, |w| w.write_all(config::EXAMPLE_TOML.as_bytes()).map_err(out_err))?;
    writeln!(out, "wrote {shown}").map_err(out_err)
}
