//! `vetted doctor`: the store checked (integrity, permissions, schema, free space) without
//! changing it. The work is in `store::health`; this is what it prints.

use super::output::{json_safe, out_err};
use super::{JsonArg, Setup};
use crate::error::{Error, Result};
use crate::store::Store;
use crate::text;
use std::io::Write;
use std::path::Path;

/// A store that syncs: whether any segment in the sync folder still holds a person a forget
/// reached here (each device rewrites its own at its next sync). `None`: it does not sync.
fn sync_check(store: &Store) -> Option<std::result::Result<String, String>> {
    let me = store.sync_device().ok().flatten()?;
    let key = match crate::sync::SyncKey::read_kept(&me.key_file) {
        Ok(key) => key,
        Err(e) => return Some(Err(format!("cannot read the sync key: {e}"))),
    };
    Some(match crate::sync_run::segments_holding_forgotten(store, &key) {
        Ok(found) if found.is_empty() => {
            Ok(format!("as {:?}; no segment in the sync folder holds a forgotten person", me.device))
        }
        Ok(found) => Err(format!(
            "{} segments in the sync folder still hold a forgotten person ({}); each device rewrites its own at \
             its next `vetted sync`",
            found.len(),
            found.iter().map(|(p, _)| p.display().to_string()).collect::<Vec<_>>().join(", ")
        )),
        Err(e) => Err(e.to_string()),
    })
}

pub fn run(setup: &Setup, args: JsonArg, out: &mut dyn Write) -> Result<()> {
    doctor(&setup.paths.database, args.json, out)
}

/// One line per check: `NAME  ok: …` or `NAME  problem: …`; an error (exit 1) when any check
/// found a problem. Opens the store read-only, so a damaged file is examined, never changed.
pub fn doctor(database: &Path, json: bool, out: &mut dyn Write) -> Result<()> {
    let mut checks: Vec<(&str, std::result::Result<String, String>)> = Vec::new();
    if !database.exists() {
        checks.push(("store", Err("no database there yet (`vetted import` or `vetted add` creates it)".into())));
    } else {
        match Store::open_read_only(database) {
            Ok(store) => {
                checks.extend(store.doctor().into_iter().map(|c| (c.name, c.result)));
                checks.extend(sync_check(&store).map(|r| ("sync", r)));
            }
            Err(e) => checks.push(("store", Err(e.to_string()))),
        }
    }
    let problems = checks.iter().filter(|(_, r)| r.is_err()).count();
    if json {
        let checks: Vec<serde_json::Value> = checks
            .iter()
            .map(|(name, r)| {
                let (ok, detail) = match r {
                    Ok(d) => (true, d),
                    Err(d) => (false, d),
                };
                serde_json::json!({ "name": name, "ok": ok, "detail": detail })
            })
            .collect();
        let value = serde_json::json!({ "database": database, "ok": problems == 0, "checks": checks });
        writeln!(out, "{}", json_safe(&value)).map_err(out_err)?;
    } else {
        writeln!(out, "database     {}", text::line(&database.display().to_string())).map_err(out_err)?;
        for (name, result) in &checks {
            let (word, detail) = match result {
                Ok(d) => ("ok", d),
                Err(d) => ("problem", d),
            };
            let word = if result.is_ok() { word.to_string() } else { crate::paint::warning(word) };
            writeln!(out, "{name:<12} {word}: {}", text::line(detail)).map_err(out_err)?;
        }
    }
    match problems {
        0 => Ok(()),
        1 => Err(Error::Failed("doctor found a problem".into())),
        n => Err(Error::Failed(format!("doctor found {n} problems"))),
    }
}
