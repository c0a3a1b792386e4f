//! `vetted list`: requests, oldest first, by status or by a `--where` query; with `--read-only`,
//! every readable request of a damaged store.

use super::Setup;
use super::output::{Listing, PAGE, cell, day, out_err, report_unreadable, stream};
use crate::checklist::Checklist;
use crate::error::{Error, Result};
use crate::model::{RequestRow, Status};
use crate::store::{RequestFilter, Sort, Store};
use crate::text;
use clap::{Args, ValueEnum};
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFilter {
    Pending,
    Accepted,
    Declined,
    Deferred,
    Connected,
    Withdrawn,
    /// Older invitations of someone who sent a newer one
    Replaced,
    All,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Which requests: by status, or all of them
    #[arg(long, value_enum, default_value = "pending")]
    pub status: StatusFilter,
    /// Only the pending requests this query selects ('hint:template age:>30d'; see docs/screens.md)
    #[arg(long = "where", value_name = "QUERY")]
    pub query: Option<String>,
    /// A JSON array for scripts
    #[arg(long)]
    pub json: bool,
}

pub fn run(setup: &Setup, args: ListArgs, out: &mut dyn Write) -> Result<()> {
    if setup.read_only && args.query.is_none() {
        let store = setup.open()?;
        return setup.paged(out, |out| list_read_only(&store, &args, out));
    }
    let (store, checklist) = (setup.open()?, setup.checklist()?);
    setup.paged(out, |out| list(&store, &checklist, &args, out))
}

/// The statuses `--status` selects (`None`: all).
pub fn status_filter(filter: StatusFilter) -> Option<Status> {
    match filter {
        StatusFilter::All => None,
        StatusFilter::Pending => Some(Status::Pending),
        StatusFilter::Accepted => Some(Status::Accepted),
        StatusFilter::Declined => Some(Status::Declined),
        StatusFilter::Deferred => Some(Status::Deferred),
        StatusFilter::Connected => Some(Status::Connected),
        StatusFilter::Withdrawn => Some(Status::Withdrawn),
        StatusFilter::Replaced => Some(Status::Replaced),
    }
}

/// The header of `vetted list`'s table.
pub fn list_header() -> String {
    format!("{:>6}  {:<10}  {:<9}  {:<24}  {:<28}  MESSAGE", "ID", "SENT", "STATUS", "NAME", "HEADLINE")
}

/// One request as a line of `vetted list`'s table.
pub fn list_line(row: &RequestRow) -> String {
    let message = if row.message.is_empty() { "(no message)" } else { &row.message };
    // What comes back when: a deferral says its day.
    let back = match (&row.defer_until, row.status) {
        (Some(u), Status::Deferred) => format!("(back {}) ", day(u)),
        (None, Status::Deferred) => "(back next session) ".to_string(),
        _ => String::new(),
    };
    format!(
        "{:>6}  {:<10}  {}  {}  {}  {}",
        row.id,
        day(row.sent_at.as_deref().unwrap_or("")),
        crate::paint::status(row.status.as_str(), 9),
        cell(&row.name, 24),
        cell(row.headline.as_deref().unwrap_or(""), 28),
        text::truncate(&format!("{back}{}", text::line(message)), 60)
    )
}

pub fn list(store: &Store, checklist: &Checklist, args: &ListArgs, out: &mut dyn Write) -> Result<()> {
    if let Some(raw) = &args.query {
        if args.status != StatusFilter::Pending {
            return Err(Error::Usage("--where lists pending requests: it goes without --status".into()));
        }
        let query = super::input::request_query(raw, checklist)?;
        if !args.json {
            writeln!(out, "{}", list_header()).map_err(out_err)?;
        }
        let order = crate::store::QueueOrder::Oldest;
        let forward = crate::store::Direction::Forward;
        return stream(
            args.json,
            out,
            |last: Option<&RequestRow>| {
                let from = last.map(|r| crate::store::QueueKey::of(r, crate::store::RANK_UNDECIDED));
                Ok(store
                    .queue_page_where(order, &query, from.as_ref(), forward, PAGE)?
                    .into_iter()
                    .map(|(r, _)| r)
                    .collect())
            },
            list_line,
            "(none)",
        );
    }
    let filter = RequestFilter { status: status_filter(args.status), sort: Sort::Oldest };
    if !args.json {
        writeln!(out, "{}", list_header()).map_err(out_err)?;
    }
    stream(
        args.json,
        out,
        |last: Option<&RequestRow>| Ok(store.requests_page(&filter, last, PAGE)?),
        list_line,
        "(none)",
    )
}

/// `vetted --read-only list`: by id (not by date), every readable request, stepping over
/// damaged pages.
pub fn list_read_only(store: &Store, args: &ListArgs, out: &mut dyn Write) -> Result<()> {
    if !args.json {
        writeln!(out, "{}", list_header()).map_err(out_err)?;
    }
    let mut listing = Listing::start(args.json, out)?;
    let status = status_filter(args.status);
    let unreadable = store.salvage_requests(status, &mut |row| listing.item(&row, list_line))?;
    listing.finish("(none)")?;
    report_unreadable(unreadable, "requests");
    Ok(())
}
