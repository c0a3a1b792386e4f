//! The maintenance commands: `vetted doctor`, `vetted backup FILE`, `vetted forget PERSON`.
//! The work is in `store::maintenance`; this is what they print.

use crate::cli::ForgetArgs;
use crate::error::{Error, Result};
use crate::import::url;
use crate::store::{PersonRef, Store};
use crate::text;
use std::io::{BufRead, Write};
use std::path::Path;

fn out_err(e: std::io::Error) -> Error {
    Error::io("cannot write the output", e)
}

/// One line per check: `NAME  ok: …` or `NAME  problem: …`; an error (exit 1) when any check
/// found a problem. Opens the store read-only, so a damaged file is examined, never changed.
pub fn doctor(database: &Path, out: &mut dyn Write) -> Result<()> {
    let line = |out: &mut dyn Write, name: &str, result: std::result::Result<String, String>| {
        let (word, detail) = match result {
            Ok(d) => ("ok", d),
            Err(d) => ("problem", d),
        };
        writeln!(out, "{name:<12} {word}: {}", text::line(&detail)).map_err(out_err)
    };
    writeln!(out, "database     {}", text::line(&database.display().to_string())).map_err(out_err)?;
    if !database.exists() {
        line(out, "store", Err("no database there yet (`vetted import` or `vetted add` creates it)".into()))?;
        return Err(Error::Failed("doctor: no database".into()));
    }
    let store = match Store::open_read_only(database) {
        Ok(store) => store,
        Err(e) => {
            line(out, "store", Err(e.to_string()))?;
            return Err(Error::Failed("doctor: the database cannot be opened".into()));
        }
    };
    let mut problems = 0;
    for check in store.doctor() {
        problems += usize::from(check.result.is_err());
        line(out, check.name, check.result)?;
    }
    match problems {
        0 => Ok(()),
        1 => Err(Error::Failed("doctor found a problem".into())),
        n => Err(Error::Failed(format!("doctor found {n} problems"))),
    }
}

pub fn backup(store: &Store, file: &Path, out: &mut dyn Write) -> Result<()> {
    store.backup(file).map_err(|e| match e {
        crate::store::StoreError::Exists { .. } => Error::Usage(e.to_string()),
        e => Error::from(e),
    })?;
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    writeln!(
        out,
        "backed up to {} ({}, integrity ok, private 0600)",
        text::line(&file.display().to_string()),
        crate::store::maintenance::human(size)
    )
    .map_err(out_err)
}

/// `PERSON`: a request id as `vetted list` shows it, or a profile URL.
pub fn person_ref(raw: &str) -> Result<PersonRef> {
    if let Ok(id) = raw.trim().parse::<i64>() {
        return Ok(PersonRef::Request(id));
    }
    match url::normalize(raw) {
        Some(u) if raw.contains('/') => Ok(PersonRef::ProfileUrl(u)),
        _ => Err(Error::Usage(format!("{raw:?}: give a request id from `vetted list` or a profile URL"))),
    }
}

pub fn forget(store: &mut Store, args: &ForgetArgs, interactive: bool, out: &mut dyn Write) -> Result<()> {
    let who = person_ref(&args.person)?;
    let (_, name, _) = store.find_person(&who)?;
    if !args.yes {
        if !interactive {
            return Err(Error::Usage(format!(
                "forgetting {} cannot be undone: add --yes to confirm",
                text::line(&name)
            )));
        }
        let mut err = std::io::stderr();
        write!(err, "Forget {} — every request, note, answer and decision — for good? Type yes: ", text::line(&name))
            .map_err(out_err)?;
        err.flush().map_err(out_err)?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer).map_err(|e| Error::io("cannot read the answer", e))?;
        if answer.trim() != "yes" {
            writeln!(out, "nothing forgotten").map_err(out_err)?;
            return Ok(());
        }
    }
    let f = store.forget(&who)?;
    writeln!(
        out,
        "forgot {}: {} request(s), {} decision(s), {} note(s), {} checklist answer(s); tombstone #{} keeps only the \
         date and these counts",
        text::line(&f.name),
        f.requests,
        f.decisions,
        f.notes,
        f.answers,
        f.tombstone
    )
    .map_err(out_err)?;
    if !f.scrubbed {
        writeln!(
            out,
            "warning: another vetted process is reading the store, so its WAL could not be emptied yet; \
             deleted text may remain in the -wal file until it closes (run `vetted forget` again or `vetted doctor`)"
        )
        .map_err(out_err)?;
    }
    Ok(())
}
