//! `vetted log`: the decision history, newest first, with filters; with `--read-only` and no
//! filter, every readable decision of a damaged store.

use super::Setup;
use super::input::{person_of, since_instant, until_instant, user_date};
use super::output::{Listing, PAGE, cell, day, out_err, report_unreadable, stream};
use crate::checklist::Checklist;
use crate::error::{Error, Result};
use crate::model::{DecisionRow, Status};
use crate::store::{LogFilter, Store};
use crate::text;
use clap::{Args, ValueEnum};
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DecisionFilter {
    Accepted,
    Declined,
    Deferred,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// Only this kind of decision
    #[arg(long, value_enum)]
    pub decision: Option<DecisionFilter>,
    /// Decisions on or after this date (YYYY-MM-DD or RFC 3339)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Decisions before the end of this day (YYYY-MM-DD) or this instant (RFC 3339)
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Text in the name, headline, message, reason or notes
    #[arg(long, value_name = "TEXT")]
    pub grep: Option<String>,
    /// One person: a request id from `vetted list`, or a profile URL
    #[arg(long, value_name = "ID|URL")]
    pub person: Option<String>,
    /// Only the decisions this query selects ('is:declined reason:spam hint:template'; see docs/screens.md)
    #[arg(long = "where", value_name = "QUERY")]
    pub query: Option<String>,
    /// A JSON array for scripts
    #[arg(long)]
    pub json: bool,
}

pub fn run(setup: &Setup, args: LogArgs, out: &mut dyn Write) -> Result<()> {
    // The salvaging reader has no filters; with filters, the ordinary (read-only) log.
    if setup.read_only && unfiltered(&args) && args.query.is_none() {
        let store = setup.open()?;
        return setup.paged(out, |out| log_read_only(&store, &args, out));
    }
    let (store, checklist) = (setup.open()?, setup.checklist()?);
    setup.paged(out, |out| log(&store, &checklist, &args, out))
}

/// The header of `vetted log`'s lines: the decision's id first, as `vetted undo ID` takes it.
pub fn log_header() -> String {
    format!("{:>6}  {:<20}  {:<16}  {:<24}  REASON", "ID", "DECIDED", "DECISION", "NAME")
}

/// One decision as a line of `vetted log`.
pub fn log_line(d: &DecisionRow) -> String {
    let what = if d.undo { format!("undo → {}", d.decision) } else { d.decision.to_string() };
    let until = d.defer_until.as_deref().map(|u| format!(" (until {})", day(u))).unwrap_or_default();
    format!(
        "{:>6}  {}  {}  {}  {}{until}{}",
        d.id,
        crate::clock::local_time_of(&d.decided_at, crate::clock::zone()),
        crate::paint::status(&what, 16),
        cell(&d.name, 24),
        text::line(&d.reason),
        batch_note(d)
    ) + &crate::evidence::decided_on(d).map(|on| format!("  · {}", text::line(&on))).unwrap_or_default()
}

/// ` (batch 7, 23 declined together)` for a decision made in a batch.
pub fn batch_note(d: &DecisionRow) -> String {
    let notes: Vec<String> = d.together().into_iter().chain(d.decided_on_note()).collect();
    if notes.is_empty() { String::new() } else { format!(" ({})", notes.join("; ")) }
}

pub fn log(store: &Store, checklist: &Checklist, args: &LogArgs, out: &mut dyn Write) -> Result<()> {
    let filter = log_filter(store, checklist, args)?;
    if !args.json {
        writeln!(out, "{}", log_header()).map_err(out_err)?;
    }
    stream(
        args.json,
        out,
        |last: Option<&DecisionRow>| Ok(store.log_filtered(&filter, last.map(|d| d.id), PAGE)?),
        log_line,
        "(no decisions match)",
    )
}

fn log_filter(store: &Store, checklist: &Checklist, args: &LogArgs) -> Result<LogFilter> {
    let date = |flag: &str, raw: &Option<String>, parse: fn(&str) -> Option<String>| -> Result<Option<String>> {
        raw.as_deref().map(|r| user_date(flag, r, parse)).transpose()
    };
    let person = match &args.person {
        None => None,
        Some(p) => Some(person_of(store, p)?),
    };
    Ok(LogFilter {
        decision: args.decision.map(|d| match d {
            DecisionFilter::Accepted => Status::Accepted,
            DecisionFilter::Declined => Status::Declined,
            DecisionFilter::Deferred => Status::Deferred,
        }),
        since: date("--since", &args.since, since_instant)?,
        until: date("--until", &args.until, until_instant)?,
        grep: args.grep.clone().filter(|g| !g.is_empty()),
        reason: None,
        person,
        query: match &args.query {
            None => crate::query::Query::default(),
            Some(raw) => crate::query::parse(raw, crate::clock::zone(), checklist)
                .map_err(|e| Error::Usage(format!("--where: {e}")))?,
        },
    })
}

/// True when `vetted log` was asked for everything (what the salvaging reader can do).
pub fn unfiltered(args: &LogArgs) -> bool {
    args.decision.is_none()
        && args.since.is_none()
        && args.until.is_none()
        && args.grep.is_none()
        && args.person.is_none()
}

/// `vetted --read-only log`: newest first, every readable decision, stepping over damaged pages.
pub fn log_read_only(store: &Store, args: &LogArgs, out: &mut dyn Write) -> Result<()> {
    if !args.json {
        writeln!(out, "{}", log_header()).map_err(out_err)?;
    }
    let mut listing = Listing::start(args.json, out)?;
    let unreadable = store.salvage_decisions(&mut |d| listing.item(&d, log_line))?;
    listing.finish("(no decisions yet)")?;
    report_unreadable(unreadable, "decisions");
    Ok(())
}
