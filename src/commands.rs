//! What each subcommand does. Output goes to the writer given, so tests and the binary
//! share one path; every untrusted string printed for people goes through `text`.

use crate::checklist::{Checklist, Kind};
use crate::cli::{
    AddArgs, DecideArgs, DecisionFilter, ExportArgs, ImportArgs, ListArgs, LogArgs, StatusFilter, TodoArgs,
};
use crate::config::{self, Paths};
use crate::error::{Error, Result};
use crate::import::{self, Report, dates, hints, url};
use crate::model::{Answers, DecisionRow, NewRequest, RequestRow, Status, Verdict};
use crate::store::{DeclinedRow, LogFilter, PersonRef, RequestFilter, Sort, Store, TodoRow};
use crate::text;
use std::io::{Read, Write};
use unicode_width::UnicodeWidthStr;

/// Rows fetched per query when streaming a list: memory stays flat for any store size.
const PAGE: usize = 500;

fn out_err(e: std::io::Error) -> Error {
    Error::io("cannot write the output", e)
}

/// Serialises `value` as JSON that is safe to print on a terminal: characters that could
/// drive it (C1 controls, bidi and invisible characters) are written as `\uXXXX` escapes,
/// which any JSON reader decodes back to the original text.
pub fn json_safe<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let mut out = Vec::new();
    value
        .serialize(&mut serde_json::Serializer::with_formatter(&mut out, TerminalSafe))
        .expect("plain data serialises");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// Compact JSON that also escapes what serde_json leaves raw in strings (it escapes only C0
/// controls, `"` and `\`).
struct TerminalSafe;

impl serde_json::ser::Formatter for TerminalSafe {
    fn write_string_fragment<W: ?Sized + Write>(&mut self, out: &mut W, fragment: &str) -> std::io::Result<()> {
        text::write_json_str(out, fragment)
    }
}

/// Pads one-line text to `width` columns (cut with `…` when longer).
fn cell(s: &str, width: usize) -> String {
    let safe = text::line(s);
    let mut shown = text::truncate(&safe, width).into_owned();
    while shown.width() > width {
        shown.pop();
    }
    let pad = width.saturating_sub(shown.width());
    format!("{shown}{}", " ".repeat(pad))
}

/// The local day of a stored instant (`2026-11-25T…` → `2026-11-25` in the user's zone).
fn day(ts: &str) -> String {
    crate::clock::local_day(ts, crate::clock::zone())
}

/// The statuses `--status` selects (`None`: all).
pub(crate) fn status_filter(filter: StatusFilter) -> Option<Status> {
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
pub(crate) fn list_header() -> String {
    format!("{:>6}  {:<10}  {:<9}  {:<24}  {:<28}  MESSAGE", "ID", "SENT", "STATUS", "NAME", "HEADLINE")
}

/// One request as a line of `vetted list`'s table.
pub(crate) fn list_line(row: &RequestRow) -> String {
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

/// The header of `vetted log`'s lines: the decision's id first, as `vetted undo ID` takes it.
pub(crate) fn log_header() -> String {
    format!("{:>6}  {:<20}  {:<16}  {:<24}  REASON", "ID", "DECIDED", "DECISION", "NAME")
}

/// One decision as a line of `vetted log`.
pub(crate) fn log_line(d: &DecisionRow) -> String {
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
    )
}

/// ` (batch 7, 23 declined together)` for a decision made in a batch.
pub fn batch_note(d: &DecisionRow) -> String {
    d.together().map(|t| format!(" ({t})")).unwrap_or_default()
}

pub fn list(store: &Store, checklist: &Checklist, args: &ListArgs, out: &mut dyn Write) -> Result<()> {
    if let Some(raw) = &args.query {
        if args.status != StatusFilter::Pending {
            return Err(Error::Usage("--where lists pending requests: it goes without --status".into()));
        }
        let query = crate::batch::request_query(raw, checklist)?;
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

/// Text a person passes has the field limit of an import.
fn within_field_limit(flag: &str, text: &str) -> Result<()> {
    if text.len() > import::MAX_FIELD_BYTES {
        return Err(Error::Usage(format!("{flag}: {} bytes, over the 64 KiB limit of a field", text.len())));
    }
    Ok(())
}

pub fn add(store: &mut Store, args: &AddArgs, out: &mut dyn Write) -> Result<()> {
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
    let sent_at = match &args.sent_at {
        None => None,
        Some(raw) => {
            let at = dates::any(raw).ok_or_else(|| {
                let why = crate::clock::no_such_day(raw)
                    .unwrap_or_else(|| "use YYYY-MM-DD, RFC 3339, or \"8/26/22, 8:56 PM\"".into());
                Error::Usage(format!("--sent-at {:?}: {why}", text::line(raw)))
            })?;
            // A day alone is a local day (today east of UTC is still today); a time gets a
            // minute's slack for a clock read twice.
            let today = crate::clock::today(crate::clock::now(), crate::clock::zone());
            let ahead =
                crate::clock::now().saturating_add(jiff::SignedDuration::from_secs(60)).unwrap_or(jiff::Timestamp::MAX);
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
            Some(at)
        }
    };
    let profile_url = match &args.url {
        None => None,
        Some(raw) => {
            // `javascript:`, `file://`, `ftp://`… are not profiles; `linkedin.com/in/x` is.
            let scheme = raw.trim().split_once(':').map(|(s, _)| s).filter(|s| {
                s.starts_with(|c: char| c.is_ascii_alphabetic())
                    && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-')
            });
            let web = scheme.is_none_or(|s| s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https"));
            let normal = url::normalize(raw).filter(|_| web);
            Some(normal.ok_or_else(|| {
                Error::Usage(format!("--url {:?} is not a profile URL (http or https)", text::line(raw)))
            })?)
        }
    };
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
    let (id, _) = store.add_request(&req)?;
    if args.json {
        return writeln!(out, "{}", json_safe(&store.request(id)?)).map_err(out_err);
    }
    writeln!(out, "added request {id} from {}", text::line(&req.name)).map_err(out_err)
}

/// `interactive` and `input`: standard input is a terminal, and the answer to a confirmation
/// (`decide --where` above [`crate::batch::CONFIRM_ABOVE`] requests).
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
        let batching = crate::batch::Batching { verdict, reason, until: until.as_deref(), interactive, input };
        return crate::batch::decide_where(store, checklist, args, batching, out);
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
            if until <= crate::store::now() {
                return Err(Error::Usage(format!(
                    "--until {:?} is not in the future: a deferral comes back later",
                    text::line(raw)
                )));
            }
            Ok(Some(until))
        }
    }
}

/// A date typed on the command line: a bare day is where the user is (its start), anything
/// else as `dates::any` reads it.
fn since_instant(raw: &str) -> Option<String> {
    match bare_day(raw) {
        Some(day) => crate::clock::day_start(day, crate::clock::zone()),
        None => dates::any(raw),
    }
}

/// The day after `date` when it is a bare date: `--until 2026-11-30` includes that (local) day.
fn until_instant(raw: &str) -> Option<String> {
    match bare_day(raw) {
        Some(day) => crate::clock::day_start(day.tomorrow().ok()?, crate::clock::zone()),
        None => dates::any(raw),
    }
}

fn bare_day(raw: &str) -> Option<jiff::civil::Date> {
    let raw = raw.trim();
    if raw.len() == 10 { raw.parse().ok() } else { None }
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

/// A person given on the command line (`--person`, `vetted forget`): a request id as `vetted
/// list` shows it, or a profile URL.
pub(crate) fn person_ref(given: &str) -> Result<PersonRef> {
    let given = given.trim();
    if !given.is_empty() && given.bytes().all(|b| b.is_ascii_digit()) {
        // An id, however long: never read as a URL.
        let id = given.parse::<i64>().map_err(|_| Error::Failed(format!("no request with id {given}")))?;
        return Ok(PersonRef::Request(id));
    }
    match url::normalize(given) {
        Some(url) if given.contains('/') => Ok(PersonRef::ProfileUrl(url)),
        _ => Err(Error::Usage(format!("{:?} is neither a request id nor a profile URL", text::line(given)))),
    }
}

/// The person (id) a `--person` names.
fn person_of(store: &Store, given: &str) -> Result<i64> {
    Ok(store.find_person(&person_ref(given)?)?.0)
}

/// A date given on the command line, or why it is not one.
fn user_date(flag: &str, raw: &str, parse: fn(&str) -> Option<String>) -> Result<String> {
    parse(raw).ok_or_else(|| {
        let day = raw.trim().len() == 10 && raw.trim().parse::<jiff::civil::Date>().is_ok();
        let why = if let Some(no_such_day) = crate::clock::no_such_day(raw) {
            no_such_day
        } else if day {
            "a day beyond the last one vetted handles (9999-12-30)".to_string()
        } else {
            "use YYYY-MM-DD or RFC 3339 (an offset within ±14:00)".to_string()
        };
        Error::Usage(format!("{flag} {:?}: {why}", text::line(raw)))
    })
}

/// Writes rows as a streamed JSON array, or one line each for people.
fn stream<T: serde::Serialize>(
    json: bool,
    out: &mut dyn Write,
    mut page: impl FnMut(Option<&T>) -> Result<Vec<T>>,
    line: impl Fn(&T) -> String,
    empty: &str,
) -> Result<()> {
    let mut listing = Listing::start(json, out)?;
    let mut last: Option<T> = None;
    loop {
        let rows = page(last.as_ref())?;
        let full = rows.len() == PAGE;
        for row in &rows {
            listing.item(row, &line)?;
        }
        if !full {
            break;
        }
        last = rows.into_iter().last();
    }
    listing.finish(empty)
}

/// Rows written as a JSON array (`--json`) or as lines for people, with a line of its own
/// when there are none.
pub(crate) struct Listing<'o> {
    json: bool,
    out: &'o mut dyn Write,
    first: bool,
}

impl<'o> Listing<'o> {
    pub(crate) fn start(json: bool, out: &'o mut dyn Write) -> Result<Self> {
        if json {
            out.write_all(b"[").map_err(out_err)?;
        }
        Ok(Listing { json, out, first: true })
    }

    pub(crate) fn item<T: serde::Serialize>(&mut self, row: &T, line: impl Fn(&T) -> String) -> Result<()> {
        if self.json {
            write!(self.out, "{}{}", if self.first { "\n" } else { ",\n" }, json_safe(row)).map_err(out_err)?;
        } else {
            writeln!(self.out, "{}", line(row)).map_err(out_err)?;
        }
        self.first = false;
        Ok(())
    }

    pub(crate) fn finish(self, empty: &str) -> Result<()> {
        if self.json {
            self.out.write_all(if self.first { b"]\n" } else { b"\n]\n" }).map_err(out_err)?;
        } else if self.first {
            writeln!(self.out, "{empty}").map_err(out_err)?;
        }
        Ok(())
    }
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

pub fn declined(store: &Store, json: bool, out: &mut dyn Write) -> Result<()> {
    stream(
        json,
        out,
        |last: Option<&DeclinedRow>| Ok(store.declined_page(last.map(|d| d.decision.id), PAGE)?),
        |d| {
            let mut line = format!(
                "{}  {}  {}",
                day(&d.decision.decided_at),
                cell(&d.decision.name, 24),
                text::line(&d.decision.reason)
            );
            let flags: Vec<&str> = d.decision.answers.iter().filter(|(_, v)| **v).map(|(k, _)| k.as_str()).collect();
            if !flags.is_empty() {
                line.push_str(&format!("  [{}]", text::line(&flags.join(", "))));
            }
            if let Some(notes) = &d.notes {
                line.push_str(&format!("\n            notes: {}", text::truncate(&text::line(notes), 100)));
            }
            line
        },
        "(nobody is declined)",
    )
}

/// `terminal`: standard output is a terminal. CSV and Markdown shown there go through the
/// text gate (strangers' escape sequences as visible stand-ins); to a file or a pipe they are
/// the data unchanged. JSON escapes them itself.
pub fn export(store: &Store, args: &ExportArgs, terminal: bool, out: &mut dyn Write) -> Result<()> {
    let at = crate::store::now();
    let Some(path) = args.output.as_ref().filter(|p| p.as_os_str() != "-") else {
        if terminal && args.format != crate::export::Format::Json {
            let mut safe = text::TerminalSafe::new(out);
            crate::export::write(store, args.format, &at, &mut safe)?;
            return safe.flush().map_err(out_err);
        }
        return Ok(crate::export::write(store, args.format, &at, out)?);
    };
    let shown = text::line(&path.display().to_string()).into_owned();
    write_new_file(path, |w| Ok(crate::export::write(store, args.format, &at, w)?))?;
    writeln!(out, "wrote {shown}").map_err(out_err)
}

/// Creates `path` whole or not at all: written to a private temporary file in the same folder,
/// then renamed into place, refusing to replace a file that exists. A full disk leaves no
/// partial file behind, and the error names `path`.
pub fn write_new_file(path: &std::path::Path, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    let shown = text::line(&path.display().to_string()).into_owned();
    if path.exists() {
        return Err(Error::Usage(format!("{shown}: already exists; vetted never overwrites it")));
    }
    // A write that fails is the target's (its disk is full): named as such.
    let failed = |action: &str, e: std::io::Error| match e.kind() {
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::FileTooLarge => {
            Error::Store(crate::store::StoreError::TargetFull { path: path.into() })
        }
        _ => Error::io(format!("{shown}: {action}"), e),
    };
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let tmp = crate::partial::Partial::create_in(dir).map_err(|e| failed("cannot create", e))?;
    let mut w = std::io::BufWriter::new(tmp.as_file());
    write(&mut w).map_err(|e| match e {
        Error::Store(crate::store::StoreError::Io { action, source, .. }) => failed(action, source),
        Error::Io { source, .. } => failed("cannot write", source),
        e => e,
    })?;
    w.into_inner()
        .map_err(|e| failed("cannot write", e.into_error()))?
        .sync_all()
        .map_err(|e| failed("cannot write", e))?;
    tmp.persist_noclobber(path).map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            Error::Usage(format!("{shown}: already exists; vetted never overwrites it"))
        } else {
            failed("cannot create", e.error)
        }
    })?;
    Ok(())
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

pub fn stats(store: &Store, json: bool, out: &mut dyn Write) -> Result<()> {
    let zone = crate::clock::zone();
    let s = store.stats(crate::clock::today(crate::clock::now(), zone), zone)?;
    if json {
        return writeln!(out, "{}", json_safe(&s)).map_err(out_err);
    }
    let w = |out: &mut dyn Write, line: String| writeln!(out, "{line}").map_err(out_err);
    let counts = |m: &std::collections::BTreeMap<String, u64>| {
        m.iter().map(|(k, v)| format!("{v} {k}")).collect::<Vec<_>>().join(", ")
    };
    if s.requests.is_empty() && s.decisions.is_empty() {
        return w(
            out,
            "no requests and no decisions yet: `vetted import PATH` reads a LinkedIn export, `vetted add` adds one"
                .into(),
        );
    }
    w(out, format!("requests   {}", counts(&s.requests)))?;
    if s.decisions.is_empty() {
        w(out, "decisions  none yet (the log is empty)".into())?;
    } else {
        let rows: u64 = s.decisions.values().sum();
        w(out, format!("decisions  {} ({rows} in the log, changes of mind included)", counts(&s.decisions)))?;
    }
    w(out, "\naccept rate by month (each request once, by its latest decision)".into())?;
    if s.by_month.is_empty() {
        w(out, "  (none)".into())?;
    }
    for (month, acc, dec) in &s.by_month {
        let rate = crate::store::accept_rate(*acc, *dec).unwrap_or(0);
        w(
            out,
            format!("  {month}  {rate:>3}%  {}  ({acc} accepted, {dec} declined)", "█".repeat((rate / 5) as usize)),
        )?;
    }
    w(out, "\ntop decline reasons (each request once, by its latest decision)".into())?;
    if s.top_decline_reasons.is_empty() {
        w(out, "  (none)".into())?;
    }
    for (reason, n) in &s.top_decline_reasons {
        w(out, format!("  {n:>5}  {}", text::line(reason)))?;
    }
    w(out, "\nchecklist answers (yes) at the current decision: accepted / declined".into())?;
    if s.answers.is_empty() {
        w(out, "  (none)".into())?;
    }
    for (item, acc, dec) in &s.answers {
        w(out, format!("  {:<24} {acc:>5} / {dec}", text::line(item)))?;
    }
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = s.last_7_days.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let spark: String = s.last_7_days.iter().map(|(_, n)| BARS[(*n * 7 / max) as usize]).collect();
    let total: u64 = s.last_7_days.iter().map(|(_, n)| n).sum();
    w(
        out,
        format!(
            "\nthis week  {spark}  {total} decisions (from {})",
            s.last_7_days.first().map_or("", |(d, _)| d.as_str())
        ),
    )
}

/// `checklist` ranks the checklist answers a backup restores.
pub fn import(
    store: &mut Store,
    checklist: &Checklist,
    args: &ImportArgs,
    progress: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let opts = import::Options { dry_run: args.dry_run, progress };
    let report = if args.path.as_os_str() == "-" {
        // Standard input is read once, into a private temporary file (a zip needs to seek),
        // never more than the size limit.
        let mut tmp = tempfile::NamedTempFile::new().map_err(|e| Error::io("cannot create a temporary file", e))?;
        let limit = import::max_file_bytes();
        let read = std::io::copy(&mut std::io::stdin().lock().take(limit + 1), tmp.as_file_mut())
            .map_err(|e| Error::io("standard input: cannot read", e))?;
        if read > limit {
            return Err(import::too_large_input(read).into());
        }
        let mut report =
            import::import_with(store, tmp.path(), opts, checklist).map_err(|e| stdin_named(e, tmp.path()))?;
        report.path = "-".into();
        report
    } else {
        import::import_with(store, &args.path, opts, checklist)?
    };
    if args.json {
        writeln!(out, "{}", json_safe(&report)).map_err(out_err)
    } else {
        print_report(&report, out).map_err(out_err)
    }
}

/// An import error about the temporary copy of standard input, told as about standard input.
fn stdin_named(e: import::ImportError, tmp: &std::path::Path) -> Error {
    Error::Failed(e.to_string().replace(&tmp.display().to_string(), "standard input"))
}

fn print_report(r: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "{} {} ({})", if r.dry_run { "Would import" } else { "Imported" }, text::line(&r.path), r.kind)?;
    let none: &[import::Named] = &[];
    // Invitations and people apart: a repeated sender's older invitation is new too, but
    // only their newest is in the queue.
    let new = if r.new == r.new_people {
        "new request{s}".to_string()
    } else {
        format!("new invitations from {} (one queue entry each)", plural(r.new_people, "{n} {people}"))
    };
    let lines: [(u64, &str, &[import::Named]); 17] = [
        (r.new, &new, none),
        (
            r.asked_again,
            "asked again (declined before: the earlier decline is shown when you review)",
            &r.who.asked_again,
        ),
        (r.enriched, "enriched with new details", none),
        (r.unchanged, "unchanged (already in the store)", none),
        (r.came_back, "listed again after they had vanished (pending again)", none),
        (
            r.repeated,
            "older invitation{s} replaced by a newer invitation from the same person (`vetted list --status replaced`)",
            none,
        ),
        (r.skipped_outgoing, "outgoing invitation{s} skipped", none),
        (r.already_connected, "already connected (not pending)", none),
        (r.matched_by_name, "of them found among your connections by name (no usable profile URL)", none),
        (r.connections_read, "connection{s} read", none),
        (r.blank_connections, "connection row{s} empty but for the date (closed or hidden accounts), skipped", none),
        (
            r.became_connections,
            "became connections since you imported them (accepted on LinkedIn)",
            &r.who.became_connections,
        ),
        (
            r.accepted_connected,
            "accepted here and now connections: accepted on LinkedIn, to-do done",
            &r.who.accepted_connected,
        ),
        (r.vanished, "vanished from LinkedIn before you decided (marked withdrawn)", &r.who.vanished),
        (
            r.ignored_on_linkedin,
            "declined here and gone from LinkedIn: ignored there, to-do done",
            &r.who.ignored_on_linkedin,
        ),
        (
            r.to_do_closed,
            "older request{s} closed on To do: the same person sent a newer invitation, the one to decide",
            &r.who.to_do_closed,
        ),
        (
            r.not_listed,
            "declined here and older than everything this export holds: LinkedIn no longer lists them \
             (probably ignored there; To do says so)",
            &r.who.not_listed,
        ),
    ];
    for (n, what, who) in lines {
        if n > 0 {
            writeln!(out, "  {n:>7} {}", plural(n, what))?;
            print_names(out, n, who.iter().map(|p| format!("{} (#{})", text::line(&p.name), p.id)))?;
        }
    }
    if !r.who.ambiguous.is_empty() {
        writeln!(
            out,
            "  {:>7} kept pending: more than one of your connections has their name (check who they are)",
            r.who.ambiguous.len()
        )?;
        for a in &r.who.ambiguous {
            writeln!(out, "          {} (#{}): {}", text::line(&a.name), a.id, text::line(&a.candidates.join("; ")))?;
        }
    }
    if !r.who.different_person.is_empty() {
        writeln!(
            out,
            "  {:>7} kept pending as someone else of the same name: each connection of that name was made \
             before they asked, so none of them sent it",
            r.who.different_person.len()
        )?;
        for a in &r.who.different_person {
            writeln!(out, "          {} (#{}): {}", text::line(&a.name), a.id, text::line(&a.candidates.join("; ")))?;
        }
    }
    if r.invalid > 0 {
        writeln!(out, "  {:>7} {}:", r.invalid, plural(r.invalid, "invalid row{s} skipped"))?;
        for p in &r.problems {
            writeln!(out, "          {}", text::line(&p.to_string()))?;
        }
        if r.invalid as usize > r.problems.len() {
            writeln!(out, "          … and {} more", r.invalid as usize - r.problems.len())?;
        }
    }
    for note in &r.notes {
        writeln!(out, "Note: {}", text::line(note))?;
    }
    let mut next = vec![match r.pending {
        0 => "nothing pending".to_string(),
        n => format!("{n} pending: run `vetted`"),
    }];
    if r.to_do > 0 {
        next.push(format!("{} to do on LinkedIn: `vetted todo`", r.to_do));
    }
    if r.dry_run {
        writeln!(out, "(dry run: nothing was changed; it would leave {})", next.join("; "))?;
    } else {
        writeln!(out, "Next: {}", next.join("; "))?;
    }
    Ok(())
}

/// `what` for `n` of them: its `{s}` is "s" unless there is exactly one ("1 new request"),
/// `{people}` "people" or "person", `{n}` the number.
fn plural(n: u64, what: &str) -> String {
    what.replace("{s}", if n == 1 { "" } else { "s" })
        .replace("{people}", if n == 1 { "person" } else { "people" })
        .replace("{n}", &n.to_string())
}

/// The people a report line is about, a few to a line, the rest counted.
fn print_names(out: &mut dyn Write, total: u64, names: impl Iterator<Item = String>) -> std::io::Result<()> {
    const SHOWN: usize = 12;
    let names: Vec<String> = names.take(SHOWN).collect();
    for chunk in names.chunks(4) {
        writeln!(out, "          {}", chunk.join(", "))?;
    }
    let rest = total.saturating_sub(names.len() as u64);
    if !names.is_empty() && rest > 0 {
        writeln!(out, "          … and {rest} more (`vetted import --json` lists them)")?;
    }
    Ok(())
}

/// `vetted man`: the main page, one subcommand's, or every page into a folder.
pub fn man(args: &crate::cli::ManArgs, out: &mut dyn Write) -> Result<()> {
    // No pages for clap's `help` subcommands: `vetted help` is `--help`, not a command of its own.
    let mut cmd = crate::cli::command().disable_help_subcommand(true);
    cmd.build();
    let version = cmd.get_version().unwrap_or_default().to_string();
    let pages = man_pages(&cmd, &[], &version);
    if let Some(dir) = &args.out_dir {
        let shown = text::line(&dir.display().to_string()).into_owned();
        std::fs::create_dir_all(dir).map_err(|e| Error::io(format!("{shown}: cannot create"), e))?;
        for (name, roff) in &pages {
            std::fs::write(dir.join(format!("{name}.1")), roff)
                .map_err(|e| Error::io(format!("{shown}: cannot write"), e))?;
        }
        return writeln!(out, "wrote {} man pages into {shown} (vetted.1, vetted-SUBCOMMAND.1)", pages.len())
            .map_err(out_err);
    }
    let wanted =
        std::iter::once("vetted").chain(args.subcommand.iter().map(|w| w.trim())).collect::<Vec<_>>().join("-");
    let Some((_, roff)) = pages.iter().find(|(n, _)| *n == wanted) else {
        let names: Vec<&str> = cmd.get_subcommands().map(|c| c.get_name()).collect();
        let name = args.subcommand.join(" ");
        return Err(Error::Usage(format!("no subcommand {:?}: one of {}", text::line(&name), names.join(", "))));
    };
    out.write_all(roff).map_err(out_err)
}

/// Every man page: `vetted` and one per subcommand (`vetted-config-path` for a nested one),
/// each named and versioned, with ENVIRONMENT, FILES, EXIT STATUS and EXAMPLES sections.
fn man_pages(cmd: &clap::Command, parents: &[&str], version: &str) -> Vec<(String, Vec<u8>)> {
    let mut path: Vec<&str> = parents.to_vec();
    path.push(cmd.get_name());
    let name = path.join("-");
    let page = cmd.clone().name(name.clone()).display_name(name.clone()).version(version.to_string());
    let man = clap_mangen::Man::new(page.clone()).source(format!("vetted {version}")).manual("vetted manual");
    let mut roff = Vec::new();
    let rendered = (|| -> std::io::Result<()> {
        man.render_title(&mut roff)?;
        man.render_name_section(&mut roff)?;
        man.render_synopsis_section(&mut roff)?;
        man.render_description_section(&mut roff)?;
        man.render_options_section(&mut roff)?;
        if page.has_subcommands() {
            man.render_subcommands_section(&mut roff)?;
        }
        if page.get_after_help().is_some() || page.get_after_long_help().is_some() {
            man.render_extra_section(&mut roff)?;
        }
        roff.extend_from_slice(MAN_SECTIONS.as_bytes());
        let examples = man_examples(&name);
        if !examples.is_empty() {
            roff.extend_from_slice(b".SH EXAMPLES\n");
            for (what, line) in examples {
                roff.extend_from_slice(format!(".PP\n{what}:\n.PP\n.RS 4\n.nf\n{line}\n.fi\n.RE\n").as_bytes());
            }
        }
        man.render_version_section(&mut roff)
    })();
    rendered.expect("rendering into memory does not fail");
    let mut pages = vec![(name, roff)];
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        pages.extend(man_pages(sub, &path, version));
    }
    pages
}

/// ENVIRONMENT, FILES and EXIT STATUS, the same on every page (as the README says them).
const MAN_SECTIONS: &str = r#".SH ENVIRONMENT
.TP
\fBVETTED_DB\fR
The database file, as \fB\-\-db\fR gives it.
.TP
\fBVETTED_CONFIG\fR
The config file, as \fB\-\-config\fR gives it.
.TP
\fBXDG_DATA_HOME\fR, \fBXDG_CONFIG_HOME\fR
Where the store and the config live by default (see FILES).
.TP
\fBTZ\fR
The zone times are shown in and local days are counted in (else the system's); JSON stays UTC.
.TP
\fBNO_COLOR\fR, \fBCLICOLOR\fR=0, \fBTERM\fR=dumb
No colour, in the command line's output and in the review app.
.TP
\fBCLICOLOR_FORCE\fR
colours the command line's output even into a pipe.
.TP
\fBPAGER\fR, \fBLESS\fR
\fBlist\fR and \fBlog\fR on a terminal go through \fBPAGER\fR (default \fBless\fR, with \fBLESS\fR=FRX when \fBLESS\fR is unset); an empty \fBPAGER\fR or \fBcat\fR, or \fB\-\-no\-pager\fR, prints directly.
.TP
\fBVISUAL\fR, \fBEDITOR\fR
The editor \fBE\fR opens for a person's notes in the review app (default \fBvi\fR).
.TP
\fBBROWSER\fR
What \fBo\fR opens a profile with in the review app (else the system's opener).
.SH FILES
.TP
\fI$XDG_DATA_HOME/vetted/vetted.db\fR (\fI~/.local/share/vetted/vetted.db\fR)
The store: one SQLite file, with \fI\-wal\fR and \fI\-shm\fR beside it while in use; private (0600, folder 0700).
.TP
\fI$XDG_CONFIG_HOME/vetted/config.toml\fR (\fI~/.config/vetted/config.toml\fR)
The config (\fBvetted config init\fR writes a commented example; \fBvetted config path\fR prints the paths in use).
.TP
\fIchecklist.toml\fR beside the config
A checklist of your own, replacing the built\-in one (or \fBchecklist =\fR in the config).
.SH "EXIT STATUS"
.TP
\fB0\fR
Success.
.TP
\fB1\fR
Failure, including "not found" and a problem \fBdoctor\fR found.
.TP
\fB2\fR
Usage error: a bad option or value, a decline without a reason, a question that needs \fB\-\-yes\fR.
.TP
\fB128\fR + \fIN\fR
Signal \fIN\fR ended the review app (129 for SIGHUP, 130 for SIGINT, 143 for SIGTERM); 129 too
when its terminal went away (a closed window, a lost SSH connection); a command writing a file
ends so too, its temporary file removed.
"#;

/// A page's examples (what it does, the command line), from docs/commands.md.
fn man_examples(page: &str) -> Vec<(&'static str, &'static str)> {
    match page {
        "vetted" => vec![
            (
                "Import a LinkedIn export, then review in the app",
                "vetted import Basic_LinkedInDataExport_12\\-01\\-2026.zip\nvetted",
            ),
            ("Try the app on fictional sample data", "vetted demo"),
            (
                "Decide from the command line, and take it back",
                "vetted decide 12 \\-\\-decline \\-\\-reason \"selling; no personal note\"\nvetted log\nvetted undo 812",
            ),
            ("Install the man pages", "vetted man \\-\\-out\\-dir ~/.local/share/man/man1"),
        ],
        "vetted-list" => vec![
            ("Pending requests, oldest first", "vetted list"),
            ("Pending requests a query selects", "vetted list \\-\\-where 'hint:no\\-message age:>180d'"),
        ],
        "vetted-decide" => vec![
            (
                "Decline with a reason and a red flag",
                "vetted decide 12 \\-\\-decline \\-\\-reason \"selling\" \\-\\-flag selling",
            ),
            ("Decide later, on a given day", "vetted decide 9 \\-\\-defer \\-\\-until 2026\\-12\\-15"),
            (
                "A batch: see who first, then decide",
                "vetted decide \\-\\-where 'hint:template age:>30d' \\-\\-decline \\-\\-reason \"template spam\" \\-\\-dry\\-run",
            ),
        ],
        "vetted-undo" => vec![
            ("Take back decision 812 (the ID column of vetted log)", "vetted undo 812"),
            ("Take back a whole batch", "vetted undo \\-\\-batch 3"),
        ],
        "vetted-log" => vec![(
            "Declines of the first half of 2026 that mention recruiters",
            "vetted log \\-\\-decision declined \\-\\-since 2026\\-01\\-01 \\-\\-until 2026\\-06\\-30 \\-\\-grep recruiter",
        )],
        "vetted-backup" => vec![
            ("A snapshot, while vetted runs", "vetted backup ~/vetted\\-copy.db"),
            ("Look at a snapshot without changing it", "vetted \\-\\-read\\-only \\-\\-db ~/vetted\\-copy.db log"),
        ],
        "vetted-export" => vec![
            ("The log for a spreadsheet", "vetted export \\-\\-format csv \\-o decisions.csv"),
            (
                "A complete backup, and its restore into a new store",
                "vetted export \\-\\-format json \\-o backup.json\nvetted \\-\\-db restored.db import backup.json",
            ),
        ],
        _ => Vec::new(),
    }
}

/// The review session: brings back the deferrals that are due, then runs the app.
pub fn review(
    mut store: Store,
    checklist: &Checklist,
    keymap: crate::tui::Keymap,
    theme: crate::tui::Theme,
    mouse: bool,
) -> Result<()> {
    store.release_due_deferrals(&crate::store::now())?;
    crate::tui::run(&mut store, checklist, keymap, theme, mouse).map_err(|e| match e {
        crate::tui::RunError::Store(e) => Error::Store(e),
        crate::tui::RunError::Io(e) => Error::io("the terminal", e),
        e @ crate::tui::RunError::Signal(sig) => Error::Signal { sig, message: e.to_string() },
        // As a hang-up ends it: exit 129.
        e @ crate::tui::RunError::HungUp(_) => {
            Error::Signal { sig: signal_hook::consts::SIGHUP, message: e.to_string() }
        }
    })
}

pub fn config_path(paths: &Paths, json: bool, out: &mut dyn Write) -> Result<()> {
    if json {
        let value = serde_json::json!({
            "config": { "path": paths.config, "exists": paths.config.exists() },
            "database": { "path": paths.database, "exists": paths.database.exists() },
            "checklist": { "path": paths.checklist, "exists": paths.checklist.exists() },
        });
        return writeln!(out, "{}", json_safe(&value)).map_err(out_err);
    }
    let exists = |p: &std::path::Path| if p.exists() { "" } else { "  (not there yet)" };
    let checklist_note = if paths.checklist.exists() { "" } else { "  (not there: the built-in checklist is used)" };
    let shown = |p: &std::path::Path| text::line(&p.display().to_string()).into_owned();
    writeln!(out, "config     {}{}", shown(&paths.config), exists(&paths.config)).map_err(out_err)?;
    writeln!(out, "database   {}{}", shown(&paths.database), exists(&paths.database)).map_err(out_err)?;
    writeln!(out, "checklist  {}{checklist_note}", shown(&paths.checklist)).map_err(out_err)
}

pub fn config_init(paths: &Paths, out: &mut dyn Write) -> Result<()> {
    let path = &paths.config;
    let shown = text::line(&path.display().to_string()).into_owned();
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let folder = text::line(&dir.display().to_string()).into_owned();
        // Private whatever the umask (000 would leave it open to all): it sits beside notes.
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| Error::io(format!("{folder}: cannot create the folder"), e))?;
    }
    write_new_file(path, |w| w.write_all(config::EXAMPLE_TOML.as_bytes()).map_err(out_err))?;
    writeln!(out, "wrote {shown}").map_err(out_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_output_escapes_what_could_drive_a_terminal() {
        let s = json_safe(&"a\u{1b}[2J b\u{9b}c \u{202E}d 日本");
        assert_eq!(s, r#""a\u001b[2J b\u009bc \u202ed 日本""#);
        let back: String = serde_json::from_str(&s).unwrap();
        assert_eq!(back, "a\u{1b}[2J b\u{9b}c \u{202E}d 日本");
    }

    #[test]
    fn a_person_is_a_request_id_or_a_profile_url() {
        assert_eq!(person_ref(" 42 ").unwrap(), PersonRef::Request(42));
        let too_long = person_ref("99999999999999999999");
        assert!(matches!(too_long, Err(Error::Failed(m)) if m == "no request with id 99999999999999999999"));
        let url = PersonRef::ProfileUrl("https://www.linkedin.com/in/ada".into());
        assert_eq!(person_ref("linkedin.com/in/Ada/").unwrap(), url);
        assert_eq!(person_ref("https://www.linkedin.com/in/ada?trk=x").unwrap(), url);
        for not_one in ["bob", "-1", ""] {
            assert!(matches!(person_ref(not_one), Err(Error::Usage(_))), "{not_one:?}");
        }
    }

    #[test]
    fn cells_are_padded_and_cut_by_display_width() {
        assert_eq!(cell("ab", 4), "ab  ");
        assert_eq!(cell("日本語です", 6).width(), 6);
        assert_eq!(cell("x\u{1b}y", 5), "x␛y  ");
    }
}
