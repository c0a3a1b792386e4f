//! `vetted add`: a request added by hand (met someone at an event, another network).

use super::Setup;
use super::input::within_field_limit;
use super::output::{json_safe, out_err};
use crate::checklist::Checklist;
use crate::error::{Error, Result};
use crate::evidence::Phrases;
use crate::import::{dates, hints, url};
use crate::model::NewRequest;
use crate::store::Store;
use crate::text;
use clap::Args;
use std::io::Write;

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Their name, as they write it
    #[arg(long)]
    pub name: String,
    /// Profile URL (https://www.linkedin.com/in/…); one already in the store is refused
    #[arg(long)]
    pub url: Option<String>,
    /// What their profile says they do ("Compiler engineer at Example")
    #[arg(long)]
    pub headline: Option<String>,
    /// What they wrote when asking
    #[arg(long)]
    pub message: Option<String>,
    /// When they asked: YYYY-MM-DD, RFC 3339, or LinkedIn's "8/26/22, 8:56 PM" [default: now]
    #[arg(long, value_name = "DATE")]
    pub sent_at: Option<String>,
    /// Your profile notes about them
    #[arg(long)]
    pub note: Option<String>,
    /// JSON for scripts: the request added, as `vetted list --json` shows it
    #[arg(long)]
    pub json: bool,
}

pub fn run(setup: &Setup, args: AddArgs, out: &mut dyn Write) -> Result<()> {
    let mut store = setup.writable()?;
    let weigh = (setup.phrases()?, setup.checklist()?);
    add(&mut store, &args, &weigh, out)
}

/// Adds the request and weighs its evidence with these phrase lists and checklist.
pub fn add(
    store: &mut Store,
    args: &AddArgs,
    (phrases, checklist): &(Phrases, Checklist),
    out: &mut dyn Write,
) -> Result<()> {
    if args.name.trim().is_empty() {
        return Err(Error::Usage("--name must not be empty".into()));
    }
    for (flag, text) in [
        ("--name", Some(&args.name)),
        ("--headline", args.headline.as_ref()),
        ("--message", args.message.as_ref()),
        ("--note", args.note.as_ref()),
        ("--url", args.url.as_ref()),
    ] {
        within_field_limit(flag, text.map_or("", |t| t.as_str()))?;
    }
    let sent_at = args.sent_at.as_deref().map(sent_at).transpose()?;
    let profile_url = args.url.as_deref().map(profile_url).transpose()?;
    if let Some(url) = &profile_url
        && let Some(person) = store.person_by_key(url)?
        && let Some(row) = store.requests_of_person(person)?.into_iter().next()
    {
        return Err(Error::Failed(format!(
            "{} is already in the store: request {} from {} ({}); nothing was added",
            text::line(url),
            row.id,
            text::line(&row.name),
            row.status
        )));
    }
    let message = args.message.clone().unwrap_or_default();
    let req = NewRequest {
        hints: hints::for_request(&args.name, &message),
        name: args.name.clone(),
        profile_url,
        headline: args.headline.clone(),
        message,
        sent_at_raw: args.sent_at.clone(),
        sent_at,
        notes: args.note.clone(),
        source: "manual".into(),
        ..NewRequest::default()
    };
    if store.forgotten_everywhere(&req)? {
        return Err(Error::Failed(format!(
            "{} was forgotten (`vetted forget`), and with sync a forget stays on every device: nothing added",
            text::line(&req.name)
        )));
    }
    let (id, _) = store.add_request(&req)?;
    store.weigh_requests(&[id], phrases, checklist)?;
    if args.json {
        return writeln!(out, "{}", json_safe(&store.request(id)?)).map_err(out_err);
    }
    writeln!(out, "added request {id} from {}", text::line(&req.name)).map_err(out_err)
}

/// `--sent-at`: a day, an RFC 3339 instant or LinkedIn's own form, stored as an instant; a
/// time still to come is refused.
fn sent_at(raw: &str) -> Result<String> {
    let at = dates::any(raw).ok_or_else(|| {
        let why = crate::clock::no_such_day(raw)
            .unwrap_or_else(|| "use YYYY-MM-DD, RFC 3339, or \"8/26/22, 8:56 PM\"".into());
        Error::Usage(format!("--sent-at {:?}: {why}", text::line(raw)))
    })?;
    // A day alone is a local day (today east of UTC is still today); a time gets a minute's
    // slack for a clock read twice.
    let today = crate::clock::today(crate::clock::now(), crate::clock::zone());
    let ahead = crate::clock::now().saturating_add(jiff::SignedDuration::from_secs(60)).unwrap_or(jiff::Timestamp::MAX);
    let future = match raw.trim().parse::<jiff::civil::Date>() {
        Ok(day) => day > today,
        Err(_) => at.parse::<jiff::Timestamp>().is_ok_and(|t| t > ahead),
    };
    if future {
        return Err(Error::Usage(format!(
            "--sent-at {:?} is in the future: a request is added once it was sent (today is {today})",
            text::line(raw),
        )));
    }
    Ok(at)
}

/// `--url`: a profile URL, normalised; `javascript:`, `file://`, `ftp://`… are not profiles,
/// `linkedin.com/in/x` is.
fn profile_url(raw: &str) -> Result<String> {
    let scheme = raw.trim().split_once(':').map(|(s, _)| s).filter(|s| {
        s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-')
    });
    let web = scheme.is_none_or(|s| s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https"));
    url::normalize(raw)
        .filter(|_| web)
        .ok_or_else(|| Error::Usage(format!("--url {:?} is not a profile URL (http or https)", text::line(raw))))
}
