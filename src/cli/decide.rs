//! `vetted decide` and `vetted undo`: one decision on one request, every pending request a
//! `--where` query selects in one batch (one reason, each request its own decision row), and
//! taking back a decision or a whole batch.

use super::Setup;
use super::input::{request_query, since_instant, user_date, within_field_limit};
use super::output::{Listing, PAGE, confirm, json_safe, out_err};
use crate::checklist::{Checklist, Kind};
use crate::error::{Error, Result};
use crate::model::{Answers, Verdict};
use crate::query::Query;
use crate::store::{Direction, QueueKey, QueueOrder, Store};
use crate::text;
use clap::Args;
use std::io::{BufRead, IsTerminal, Write};

/// Above this many requests, `decide --where` asks first (or wants `--yes`); the app's batch
/// decisions ask once more too.
pub const CONFIRM_ABOVE: usize = crate::model::BATCH_CONFIRM_ABOVE;

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("verdict").required(true).args(["accept", "decline", "defer"])))]
pub struct DecideArgs {
    /// Request id, as `vetted list` shows it
    #[arg(required_unless_present = "query", conflicts_with = "query")]
    pub id: Option<i64>,
    /// Every pending request this query selects, one batch ('hint:template age:>30d'; see docs/screens.md)
    #[arg(long = "where", value_name = "QUERY")]
    pub query: Option<String>,
    /// With --where: list who would be decided, change nothing
    #[arg(long, requires = "query")]
    pub dry_run: bool,
    /// With --where: do not ask before deciding more than 50 requests
    #[arg(long, requires = "query")]
    pub yes: bool,
    /// JSON for scripts (the decision recorded; with --where, the batch)
    #[arg(long)]
    pub json: bool,
    /// Accept: carry it out on LinkedIn afterwards (see `vetted todo`)
    #[arg(long)]
    pub accept: bool,
    /// Needs --reason: the log is where you later learn why
    #[arg(long)]
    pub decline: bool,
    /// Decide later: back in the queue at the next session, or on --until
    #[arg(long)]
    pub defer: bool,
    /// Why: kept in the log with the checklist as it is now (required with --decline)
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// With --defer: when it comes back to the queue (YYYY-MM-DD) [default: the next session]
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// A checklist signal that applies (repeatable; the keys are listed below)
    #[arg(long = "check", value_name = "KEY")]
    pub checks: Vec<String>,
    /// A red flag that applies (repeatable; the keys are listed below)
    #[arg(long = "flag", value_name = "KEY")]
    pub flags: Vec<String>,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["decision", "batch"])))]
pub struct UndoArgs {
    /// A decision id, as `vetted log` shows it (its ID column)
    pub decision: Option<i64>,
    /// Every decision of this batch, in one transaction (`vetted log` shows "batch N")
    #[arg(long, value_name = "ID")]
    pub batch: Option<i64>,
    /// JSON for scripts: what was taken back
    #[arg(long)]
    pub json: bool,
}

pub fn run(setup: &Setup, args: DecideArgs, out: &mut dyn Write) -> Result<()> {
    let checklist = setup.checklist()?;
    // A dry run only reads.
    let mut store = if args.dry_run { setup.open()? } else { setup.writable()? };
    let stdin = std::io::stdin();
    decide(&mut store, &checklist, &args, stdin.is_terminal(), &mut stdin.lock(), out)
}

pub fn run_undo(setup: &Setup, args: UndoArgs, out: &mut dyn Write) -> Result<()> {
    undo(&mut setup.writable()?, &args, out)
}

/// `interactive` and `input`: standard input is a terminal, and the answer to a confirmation
/// (`decide --where` above [`CONFIRM_ABOVE`] requests).
pub fn decide(
    store: &mut Store,
    checklist: &Checklist,
    args: &DecideArgs,
    interactive: bool,
    input: &mut dyn std::io::BufRead,
    out: &mut dyn Write,
) -> Result<()> {
    let verdict = if args.accept {
        Verdict::Accept
    } else if args.decline {
        Verdict::Decline
    } else {
        Verdict::Defer
    };
    let reason = args.reason.as_deref().unwrap_or("").trim();
    within_field_limit("--reason", reason)?;
    if verdict == Verdict::Decline && reason.is_empty() {
        return Err(Error::Usage(
            "a decline needs --reason: turning people down is part of quality connections, \
             and the log is where you later learn why"
                .into(),
        ));
    }
    let until = deferral_date(args, verdict)?;
    let Some(id) = args.id else {
        let batching = Batching { verdict, reason, until: until.as_deref(), interactive, input };
        return decide_where(store, checklist, args, batching, out);
    };
    let keys_of =
        |kind: Kind| checklist.items.iter().filter(|i| i.kind == kind).map(|i| i.key.as_str()).collect::<Vec<_>>();
    let mut answers: Answers = store.answers(id)?;
    for (given, kind, flag) in [(&args.checks, Kind::Signal, "--check"), (&args.flags, Kind::RedFlag, "--flag")] {
        for key in given {
            if checklist.item(key).is_none_or(|i| i.kind != kind) {
                return Err(Error::Usage(format!("{flag} {key:?}: not one of {}", keys_of(kind).join(", "))));
            }
            answers.insert(key.clone(), true);
        }
    }
    let decision = store.decide_until(id, verdict, reason, &answers, until.as_deref())?;
    // The answers only once the decision is in: a refused one writes nothing.
    let given: Vec<(&str, Option<bool>)> =
        args.checks.iter().chain(&args.flags).map(|key| (key.as_str(), Some(true))).collect();
    if !given.is_empty() {
        store.set_answers(id, &given, checklist)?;
    }
    let row = store.request(id)?;
    if args.json {
        let value = serde_json::json!({
            "decision": decision,
            "request": id,
            "status": row.status,
            "name": row.name,
            "defer_until": row.defer_until,
        });
        return writeln!(out, "{}", json_safe(&value)).map_err(out_err);
    }
    writeln!(out, "{} {} (decision {decision})", row.status, text::line(&row.name)).map_err(out_err)
}

/// `--until` of a deferral: a day in the future.
fn deferral_date(args: &DecideArgs, verdict: Verdict) -> Result<Option<String>> {
    match &args.until {
        None => Ok(None),
        Some(_) if verdict != Verdict::Defer => Err(Error::Usage("--until goes with --defer".into())),
        Some(raw) => {
            let until = user_date("--until", raw, since_instant)?;
            if until <= crate::clock::now_stored() {
                return Err(Error::Usage(format!(
                    "--until {:?} is not in the future: a deferral comes back later",
                    text::line(raw)
                )));
            }
            Ok(Some(until))
        }
    }
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
/// already checked by [`decide`], whether standard input is a terminal (to ask), and
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
        if !confirm(&capitalised(&ask), b.input)? {
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
        writeln!(out, "{}", super::list::list_header()).map_err(out_err)?;
    }
    let mut listing = Listing::start(json, &mut *out)?;
    let mut count = 0u64;
    let mut from: Option<QueueKey> = None;
    loop {
        let rows = store.queue_page_where(QueueOrder::Oldest, query, from.as_ref(), Direction::Forward, PAGE)?;
        for (row, _) in &rows {
            listing.item(row, super::list::list_line)?;
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
