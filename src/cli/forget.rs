//! `vetted forget PERSON`: asks for a confirmation, then removes everything about the person
//! (the work is in `store::forget`) and says what went.

use super::Setup;
use super::output::{confirm, json_safe, out_err};
use crate::checklist::Checklist;
use crate::error::{Error, Result};
use crate::store::{Store, StoreError};
use crate::text;
use clap::Args;
use std::io::{IsTerminal, Write};

#[derive(Debug, Args)]
pub struct ForgetArgs {
    /// A request id from `vetted list`, their profile URL, or their name (reaches, too,
    /// someone you only invited: the export's outgoing invitations are kept)
    pub person: String,
    /// Do not ask for confirmation
    #[arg(long)]
    pub yes: bool,
    /// JSON for scripts: what was removed, person by person
    #[arg(long)]
    pub json: bool,
}

pub fn run(setup: &Setup, args: ForgetArgs, out: &mut dyn Write) -> Result<()> {
    forget(&mut setup.writable()?, &setup.checklist()?, &args, std::io::stdin().is_terminal(), out)
}

fn forget(
    store: &mut Store,
    checklist: &Checklist,
    args: &ForgetArgs,
    interactive: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let who = super::input::person_or_name(&args.person)?;
    let people = match store.find_people(&who) {
        Err(StoreError::NoSuchPerson(_)) if store.invitations_to(&who)? > 0 => Vec::new(),
        found => found?,
    };
    let names = match people.is_empty() {
        true => format!("your invitations to {}", text::line(&args.person)),
        false => people.iter().map(|(_, name, _)| text::line(name).into_owned()).collect::<Vec<_>>().join(", "),
    };
    if people.len() > 1 && !args.json {
        writeln!(out, "{} people have this profile URL: {names}; each is forgotten", people.len()).map_err(out_err)?;
    }
    if !args.yes {
        if !interactive {
            return Err(Error::Usage(format!("forgetting {names} cannot be undone: add --yes to confirm")));
        }
        let question = format!("Forget {names} — every request, note, answer and decision — for good");
        if !confirm(&question, &mut std::io::stdin().lock())? {
            let said = if args.json { "[]" } else { "nothing forgotten" };
            writeln!(out, "{said}").map_err(out_err)?;
            return Ok(());
        }
    }
    let all = store.forget_all(&who, checklist)?;
    let rewritten = rewrite_own_segments(store)?;
    let syncs = store.sync_device()?.is_some();
    said(&all, args.json, syncs, out)?;
    if rewritten > 0 && !args.json {
        writeln!(out, "{rewritten} of this device's sync segments rewritten without them").map_err(out_err)?;
    }
    Ok(())
}

/// A store that syncs: its own segments in the sync folder rewritten without the people
/// forgotten (the other devices do theirs when the forget reaches them).
fn rewrite_own_segments(store: &Store) -> Result<u64> {
    let Some(me) = store.sync_device()? else { return Ok(0) };
    let key =
        crate::sync::SyncKey::read(&me.key_file).map_err(|e| Error::Failed(text::line(&e.to_string()).into_owned()))?;
    crate::sync_run::rewrite_own(store, &key).map_err(|e| Error::Failed(text::line(&e.to_string()).into_owned()))
}

/// What went, person by person, and what the file still owes. With sync (`syncs`), imports
/// leave a forgotten person out on every device.
fn said(all: &[crate::store::Forgotten], json: bool, syncs: bool, out: &mut dyn Write) -> Result<()> {
    if json {
        let people: Vec<serde_json::Value> = all
            .iter()
            .map(|f| {
                serde_json::json!({
                    "name": f.name,
                    "requests": f.requests,
                    "decisions": f.decisions,
                    "notes": f.notes,
                    "answers": f.answers,
                    "outgoing_invitations": f.outgoing,
                    "tombstone": f.tombstone,
                    "scrubbed": f.scrubbed,
                    "disk_full": f.disk_full,
                    "still_on_linkedin": f.from_linkedin,
                })
            })
            .collect();
        return writeln!(out, "{}", json_safe(&people)).map_err(out_err);
    }
    for f in all {
        writeln!(
            out,
            "forgot {}: {} request(s), {} decision(s), {} note(s), {} checklist answer(s), {} connection row(s), \
             {} outgoing invitation(s); tombstone #{} keeps only the date and these counts",
            text::line(&f.name),
            f.requests,
            f.decisions,
            f.notes,
            f.answers,
            f.connections,
            f.outgoing,
            f.tombstone
        )
        .map_err(out_err)?;
        if f.from_linkedin && syncs {
            writeln!(
                out,
                "note: their invitation is still on LinkedIn; with sync they stay forgotten on every device, and \
                 imports leave them out"
            )
            .map_err(out_err)?;
        } else if f.from_linkedin {
            writeln!(
                out,
                "note: their invitation is still on LinkedIn; the next import brings it back (as a new request) \
                 unless you ignore it there"
            )
            .map_err(out_err)?;
        }
    }
    let f = &all[0];
    if f.disk_full {
        writeln!(
            out,
            "warning: the disk is too full to rebuild the file, so it could not be scrubbed yet: deleted text may \
             remain in it until the next time vetted opens it with free space (`vetted doctor` counts what is owed)"
        )
        .map_err(out_err)?;
    } else if !f.scrubbed {
        writeln!(
            out,
            "warning: another vetted process is using the store, so the file could not be scrubbed yet: \
             deleted text may remain in it until the next time vetted opens it while nothing else does"
        )
        .map_err(out_err)?;
    }
    Ok(())
}
