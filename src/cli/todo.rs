//! `vetted todo`: the decisions still to carry out on LinkedIn, and marking them done.

use super::Setup;
use super::output::{Listing, PAGE, cell, out_err};
use crate::error::Result;
use crate::store::{Store, TodoRow};
use crate::text;
use clap::Args;
use std::io::Write;

#[derive(Debug, Args)]
pub struct TodoArgs {
    /// Mark these requests (ids from the list) as done on LinkedIn, all or none
    #[arg(long, value_name = "ID", num_args = 1.., conflicts_with = "all_shown")]
    pub done: Vec<i64>,
    /// Mark everything the list shows now as done on LinkedIn
    #[arg(long)]
    pub all_shown: bool,
    /// Only the accepts: ignoring on LinkedIn is optional (the sender is never told)
    #[arg(long)]
    pub accepts_only: bool,
    /// JSON for scripts
    #[arg(long)]
    pub json: bool,
}

pub fn run(setup: &Setup, args: TodoArgs, out: &mut dyn Write) -> Result<()> {
    if !args.done.is_empty() || args.all_shown {
        return todo_done(&mut setup.writable()?, &args, out);
    }
    todo(&setup.open()?, &args, out)
}

/// `vetted todo --done ID…` or `--all-shown`: marked done on LinkedIn, all in one transaction.
pub fn todo_done(store: &mut Store, args: &TodoArgs, out: &mut dyn Write) -> Result<()> {
    let ids = if args.all_shown {
        let (mut ids, mut keys) = (Vec::new(), Vec::new());
        loop {
            let page = store.linkedin_todo_page_of(keys.last().copied(), PAGE, args.accepts_only)?;
            keys.extend(page.iter().map(|t| t.key()));
            ids.extend(page.iter().map(|t| t.request.id));
            if page.len() < PAGE {
                break;
            }
        }
        if ids.is_empty() {
            return writeln!(out, "(nothing left to do on LinkedIn)").map_err(out_err);
        }
        ids
    } else {
        args.done.clone()
    };
    if let [id] = ids[..] {
        store.mark_done_on_linkedin(id)?;
        return writeln!(out, "marked request {id} done on LinkedIn").map_err(out_err);
    }
    store.mark_many_done_on_linkedin(&ids)?;
    writeln!(out, "marked {} requests done on LinkedIn", ids.len()).map_err(out_err)
}

/// `vetted todo`: the list, which only reads (so it works `--read-only` and on a full disk).
pub fn todo(store: &Store, args: &TodoArgs, out: &mut dyn Write) -> Result<()> {
    let mut ignores = false;
    {
        let mut listing = Listing::start(args.json, &mut *out)?;
        let mut last: Option<TodoRow> = None;
        loop {
            let rows = store.linkedin_todo_page_of(last.as_ref().map(TodoRow::key), PAGE, args.accepts_only)?;
            for row in &rows {
                ignores |= row.action == "ignore";
                listing.item(row, todo_line)?;
            }
            if rows.len() < PAGE {
                break;
            }
            last = rows.into_iter().last();
        }
        listing.finish("(nothing left to do on LinkedIn)")?;
    }
    if !args.json && ignores {
        writeln!(
            out,
            "Ignoring is optional: LinkedIn never tells the sender, and an invitation left alone expires. \
             `vetted todo --accepts-only` leaves the ignores out."
        )
        .map_err(out_err)?;
    }
    Ok(())
}

/// One line of `vetted todo`.
fn todo_line(t: &TodoRow) -> String {
    let mut line = format!(
        "{:>6}  {:<6}  {}  {}",
        t.request.id,
        t.action,
        cell(&t.request.name, 24),
        text::line(t.request.profile_url.as_deref().unwrap_or("(no profile URL)"))
    );
    if let Some(note) = crate::model::not_listed_note(t.not_listed.as_deref()) {
        line.push_str(&format!("  ({note})"));
    }
    line
}
