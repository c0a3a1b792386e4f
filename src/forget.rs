//! `vetted forget PERSON`: asks for a confirmation, then removes everything about the person
//! (the work is in `store::forget`) and says what went.

use crate::cli::ForgetArgs;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::text;
use std::io::{BufRead, Write};

fn out_err(e: std::io::Error) -> Error {
    Error::io("cannot write the output", e)
}

pub fn forget(store: &mut Store, args: &ForgetArgs, interactive: bool, out: &mut dyn Write) -> Result<()> {
    let who = crate::commands::person_ref(&args.person)?;
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
            "warning: another vetted process is using the store, so the file could not be scrubbed yet: \
             deleted text may remain in it until the next time vetted opens it while nothing else does"
        )
        .map_err(out_err)?;
    }
    Ok(())
}
