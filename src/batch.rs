//! Many requests at once from the command line: `vetted decide --where QUERY` (one batch, one
//! reason, each request its own decision row), and `vetted undo` of a decision or a batch.

use crate::checklist::Checklist;
use crate::cli::{DecideArgs, UndoArgs};
use crate::commands::{Listing, json_safe, list_line};
use crate::error::{Error, Result};
use crate::model::Verdict;
use crate::query::Query;
use crate::store::{Direction, QueueKey, QueueOrder, Store};
use crate::text;
use std::io::{BufRead, Write};

/// Above this many requests, `decide --where` asks first (or wants `--yes`); the app's batch
/// decisions ask once more too.
pub const CONFIRM_ABOVE: usize = crate::model::BATCH_CONFIRM_ABOVE;

/// Rows read per page when listing a dry run.
const PAGE: usize = 500;

fn out_err(e: std::io::Error) -> Error {
    Error::io("cannot write the output", e)
}

/// A `--where` given on the command line, parsed for requests: an empty one is refused (it
/// would select every pending request), a bad term is a usage error naming it.
pub fn request_query(raw: &str, checklist: &Checklist) -> Result<Query> {
    if raw.trim().is_empty() {
        return Err(Error::Usage(
            "--where '': an empty query would select every pending request; say which, e.g. \
             --where 'hint:no-message age:>180d'"
                .into(),
        ));
    }
    let query = crate::query::parse(raw, crate::clock::zone(), checklist)
        .and_then(|q| q.for_requests().map(|()| q))
        .map_err(|e| Error::Usage(format!("--where: {e}")))?;
    Ok(query)
}

/// The words of a verdict: "decline", "declined".
fn words(verdict: Verdict) -> (&'static str, &'static str) {
    match verdict {
        Verdict::Accept => ("accept", "accepted"),
        Verdict::Decline => ("decline", "declined"),
        Verdict::Defer => ("defer", "deferred"),
    }
}

/// What `decide --where` needs beyond its arguments: the verdict, reason and deferral date
/// already checked by `commands::decide`, whether standard input is a terminal (to ask), and
/// where the answer comes from.
pub struct Batching<'a> {
    pub verdict: Verdict,
    pub reason: &'a str,
    pub until: Option<&'a str>,
    pub interactive: bool,
    pub input: &'a mut dyn BufRead,
}

/// `vetted decide --where QUERY`: every pending request the query selects, in one batch.
pub fn decide_where(
    store: &mut Store,
    checklist: &Checklist,
    args: &DecideArgs,
    b: Batching<'_>,
    out: &mut dyn Write,
) -> Result<()> {
    let raw = args.query.as_deref().unwrap_or_default();
    if !args.checks.is_empty() || !args.flags.is_empty() {
        return Err(Error::Usage(
            "--check and --flag go with one request id: with --where each request keeps its own answers".into(),
        ));
    }
    let query = request_query(raw, checklist)?;
    let (verb, done) = words(b.verdict);
    if args.dry_run {
        return dry_run(store, &query, b.verdict, b.reason, args.json, out);
    }
    let items = store.ids_where(&query, usize::MAX)?;
    if items.is_empty() {
        if args.json {
            let value = serde_json::json!({ "batch": null, "verdict": verb, "count": 0, "decisions": [] });
            return writeln!(out, "{}", json_safe(&value)).map_err(out_err);
        }
        return writeln!(out, "no pending request matches {}: nothing was decided", text::line(raw)).map_err(out_err);
    }
    if items.len() > CONFIRM_ABOVE && !args.yes {
        let ask = format!("{verb} {} requests with the reason {:?}", items.len(), text::line(b.reason));
        if !b.interactive {
            return Err(Error::Usage(format!(
                "--where selects {} requests, more than {CONFIRM_ABOVE}: add --yes to {ask} \
                 (--dry-run lists them first)",
                items.len()
            )));
        }
        let mut err = std::io::stderr();
        write!(err, "{}? Type yes: ", capitalised(&ask)).map_err(out_err)?;
        err.flush().map_err(out_err)?;
        let mut answer = String::new();
        b.input.read_line(&mut answer).map_err(|e| Error::io("cannot read the answer", e))?;
        if answer.trim() != "yes" {
            return writeln!(out, "nothing was decided").map_err(out_err);
        }
    }
    let batch = store.decide_batch(&items, b.verdict, b.reason, b.until)?;
    if args.json {
        let requests: Vec<i64> = items.iter().map(|(id, _)| *id).collect();
        let value = serde_json::json!({
            "batch": batch.id,
            "verdict": verb,
            "count": batch.decisions.len(),
            "decisions": batch.decisions,
            "requests": requests,
        });
        return writeln!(out, "{}", json_safe(&value)).map_err(out_err);
    }
    writeln!(
        out,
        "{done} {} requests together (batch {}; `vetted undo --batch {}` takes them back)",
        batch.decisions.len(),
        batch.id,
        batch.id
    )
    .map_err(out_err)
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Lists who `decide --where` would decide, oldest first, and changes nothing.
fn dry_run(
    store: &Store,
    query: &Query,
    verdict: Verdict,
    reason: &str,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let (verb, _) = words(verdict);
    if json {
        let head = serde_json::json!({ "dry_run": true, "verdict": verb, "reason": reason });
        let head = json_safe(&head);
        write!(out, "{},\"requests\":", &head[..head.len() - 1]).map_err(out_err)?;
    } else {
        writeln!(out, "{}", crate::commands::list_header()).map_err(out_err)?;
    }
    let mut listing = Listing::start(json, &mut *out)?;
    let mut count = 0u64;
    let mut from: Option<QueueKey> = None;
    loop {
        let rows = store.queue_page_where(QueueOrder::Oldest, query, from.as_ref(), Direction::Forward, PAGE)?;
        for (row, _) in &rows {
            listing.item(row, list_line)?;
            count += 1;
        }
        match rows.last() {
            Some((_, key)) if rows.len() == PAGE => from = Some(key.clone()),
            _ => break,
        }
    }
    listing.finish("(no pending request matches)")?;
    if json {
        return writeln!(out, ",\"count\":{count}}}").map_err(out_err);
    }
    writeln!(out, "would {verb} {count} request(s) (dry run: nothing was changed)").map_err(out_err)
}

/// `vetted undo DECISION` or `vetted undo --batch ID`.
pub fn undo(store: &mut Store, args: &UndoArgs, out: &mut dyn Write) -> Result<()> {
    if let Some(batch) = args.batch {
        let n = store.undo_batch(batch)?;
        if args.json {
            let value = serde_json::json!({ "batch": batch, "count": n });
            return writeln!(out, "{}", json_safe(&value)).map_err(out_err);
        }
        return writeln!(out, "undid batch {batch}: {n} decision(s) taken back (the log keeps them)").map_err(out_err);
    }
    let decision = args.decision.expect("clap requires a decision or --batch");
    let new = store.undo(decision)?;
    if args.json {
        let value = serde_json::json!({ "undone": decision, "decision": new });
        return writeln!(out, "{}", json_safe(&value)).map_err(out_err);
    }
    writeln!(out, "undid decision {decision} (decision {new}; the log keeps both)").map_err(out_err)
}
