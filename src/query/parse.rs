//! The parser of the query language: tokens, then one term each.

use super::{EV_TERMS, MIN_TEXT, Query, QueryError, Rec, Term, TermKind};
use crate::checklist::Checklist;
use crate::hint;
use crate::model::Status;
use crate::text;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// The most terms a query may hold (each becomes a condition of one SQL statement).
pub const MAX_TERMS: usize = 100;

/// Parses `input` (see the module doc); ages count back from now. The first term that cannot
/// be used is the error.
pub fn parse(input: &str, zone: &TimeZone, checklist: &Checklist) -> Result<Query, QueryError> {
    parse_at(input, zone, checklist, crate::clock::now())
}

/// As [`parse`], with ages counted back from `now`.
pub fn parse_at(input: &str, zone: &TimeZone, checklist: &Checklist, now: Timestamp) -> Result<Query, QueryError> {
    let (query, problem) = parse_lenient(input, zone, checklist, now);
    match problem {
        Some(e) => Err(e),
        None => Ok(query),
    }
}

/// For a filter typed key by key: the terms that can be used, and the first one that cannot
/// (left out, never silently).
pub fn parse_lenient(
    input: &str,
    zone: &TimeZone,
    checklist: &Checklist,
    now: Timestamp,
) -> (Query, Option<QueryError>) {
    let mut query = Query::default();
    let mut problem = None;
    let tokens = tokens(input);
    if tokens.len() > MAX_TERMS {
        // SQLite refuses a condition nested over 1,000 deep: said here, in words, rather than
        // as its "Expression tree is too large". The first terms are kept (a filter being typed).
        problem = Some(QueryError::new(
            "",
            format!("{} terms: a query holds at most {MAX_TERMS}; narrow it with fewer, longer terms", tokens.len()),
        ));
    }
    for token in tokens.into_iter().take(MAX_TERMS) {
        match term(&token, zone, checklist, now) {
            Ok(t) => query.terms.push(t),
            Err(e) => {
                problem.get_or_insert(e);
            }
        }
    }
    (query, problem)
}

/// For the requests' filter typed key by key (the queue's `/`): as [`parse_lenient`], and a
/// term only the log has (`is:`, `reason:`, …) is left out and named too. Words are the same
/// terms as in the Log and `--where`: each one must be found (3 characters or more; with
/// `short_words`, on a queue small enough to scan, shorter ones too: "Wu", "Li").
pub fn parse_requests_lenient(
    input: &str,
    zone: &TimeZone,
    checklist: &Checklist,
    now: Timestamp,
    short_words: bool,
) -> (Query, Option<QueryError>) {
    let (mut query, mut problem) = (Query::default(), None);
    for token in tokens(input) {
        let short = short_words
            && (1..MIN_TEXT).contains(&token.text.chars().count())
            && (token.quoted || !token.text.contains(':'));
        let parsed = match short {
            true => {
                Ok(Term { negated: token.negated, kind: TermKind::Text(token.text.clone()), raw: token.raw.clone() })
            }
            false => term(&token, zone, checklist, now),
        };
        match parsed {
            Ok(t) => query.terms.push(t),
            Err(e) => {
                problem.get_or_insert(e);
            }
        }
    }
    if let Err(e) = query.for_requests() {
        query.terms.retain(|t| !t.kind.log_only());
        problem.get_or_insert(e);
    }
    (query, problem)
}

/// One token as typed: its text (quotes removed) and whether it began with a quote.
struct Token {
    raw: String,
    text: String,
    negated: bool,
    quoted: bool,
}

/// Splits on whitespace outside double quotes; a leading `-` negates.
fn tokens(input: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = input.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(&first) = chars.peek() else { break };
        let negated = first == '-';
        if negated {
            chars.next();
        }
        let (mut raw, mut text, mut in_quotes) = (String::new(), String::new(), false);
        let quoted = chars.peek() == Some(&'"');
        while let Some(c) = chars.next_if(|c| in_quotes || !c.is_whitespace()) {
            raw.push(c);
            if c == '"' {
                in_quotes = !in_quotes;
            } else {
                text.push(c);
            }
        }
        out.push(Token { raw, text, negated, quoted });
    }
    out
}

fn term(token: &Token, zone: &TimeZone, checklist: &Checklist, now: Timestamp) -> Result<Term, QueryError> {
    let raw = token.raw.as_str();
    if token.negated && raw.is_empty() {
        return Err(QueryError::new("-", "-? put a term after the minus: -hint:sales"));
    }
    if token.text.is_empty() {
        return Err(QueryError::unknown(raw, "text between the quotes"));
    }
    let kind =
        if token.quoted { text_term(raw, &token.text)? } else { kind_of(raw, &token.text, zone, checklist, now)? };
    Ok(Term { negated: token.negated, kind, raw: raw.to_string() })
}

fn text_term(raw: &str, text: &str) -> Result<TermKind, QueryError> {
    long_enough(raw, text)?;
    Ok(TermKind::Text(text.to_string()))
}

fn long_enough(raw: &str, text: &str) -> Result<(), QueryError> {
    if text.chars().count() < MIN_TEXT {
        return Err(QueryError::new(
            raw,
            format!("keep typing: text filters need {MIN_TEXT} characters ({})", text::line(raw)),
        ));
    }
    Ok(())
}

fn kind_of(
    raw: &str,
    text: &str,
    zone: &TimeZone,
    checklist: &Checklist,
    now: Timestamp,
) -> Result<TermKind, QueryError> {
    if text.eq_ignore_ascii_case("asked-again") {
        return Ok(TermKind::AskedAgain);
    }
    let Some((name, value)) = text.split_once(':').filter(|(n, _)| is_term_name(n)) else {
        return text_term(raw, text);
    };
    let lower = value.to_ascii_lowercase();
    let name = name.to_ascii_lowercase();
    let local_day = |v: &str| v.parse::<Date>().ok().filter(|_| v.len() == 10);
    match name.as_str() {
        "hint" => hint::by_name(&lower)
            .map(|h| TermKind::Hint(h.key))
            .ok_or_else(|| QueryError::unknown(raw, &hint_choices())),
        "ev" => EV_TERMS
            .iter()
            .copied()
            .find(|d| super::ev_name(*d) == lower)
            .map(TermKind::Evidence)
            .ok_or_else(|| QueryError::unknown(raw, &ev_choices())),
        "rec" => Rec::ALL
            .into_iter()
            .find(|r| r.name() == lower)
            .map(TermKind::Rec)
            .ok_or_else(|| QueryError::unknown(raw, "rec:accept, rec:decline or rec:undecided")),
        "check" => check(raw, &lower, checklist),
        "age" => {
            age(&lower, now).ok_or_else(|| QueryError::unknown(raw, "age:>180d or age:<7d (d, w, m = 30 days, y)"))
        }
        "sent" => sent(&lower, zone).ok_or_else(|| match crate::clock::no_such_day(&lower) {
            Some(why) => QueryError::new(raw, format!("{}? {why}", text::line(raw))),
            None => QueryError::unknown(raw, "sent:YYYY-MM or sent:YYYY-MM-DD"),
        }),
        "source" if !value.is_empty() => Ok(TermKind::Source(lower)),
        "source" => Err(QueryError::unknown(raw, "source:NAME, e.g. source:linkedin")),
        "message-of" => lower
            .parse::<i64>()
            .map(TermKind::MessageOf)
            .map_err(|_| QueryError::unknown(raw, "message-of:ID, a request id")),
        "campaign-of" => lower
            .parse::<i64>()
            .map(TermKind::CampaignOf)
            .map_err(|_| QueryError::unknown(raw, "campaign-of:ID, a request id")),
        "is" => Status::parse(&lower)
            .filter(|s| matches!(s, Status::Accepted | Status::Declined | Status::Deferred | Status::Pending))
            .map(TermKind::Is)
            .ok_or_else(|| QueryError::unknown(raw, "is:accepted, is:declined, is:deferred or is:pending")),
        "reason" => {
            long_enough(raw, value)?;
            Ok(TermKind::Reason(value.to_string()))
        }
        "since" => local_day(&lower)
            .and_then(|d| crate::clock::day_start(d, zone))
            .map(TermKind::Since)
            .ok_or_else(|| day_error(raw, &lower, "since: use YYYY-MM-DD")),
        "until" => local_day(&lower)
            .and_then(|d| d.tomorrow().ok())
            .and_then(|d| crate::clock::day_start(d, zone))
            .map(TermKind::Until)
            .ok_or_else(|| day_error(raw, &lower, "until: use YYYY-MM-DD")),
        _ => Err(QueryError::new(
            raw,
            format!(
                "{}? not a filter: use hint:, ev:, rec:, check:, age:, sent:, source:, message-of:, campaign-of:, asked-again, \
                 is:, reason:, since: or until: (\"in quotes\" searches the text)",
                text::line(raw)
            ),
        )),
    }
}

/// `name:` is read as a term when the name is a word (letters and `-`): `10:30` stays text.
fn is_term_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic() || c == '-')
}

fn hint_choices() -> String {
    let names: Vec<String> = hint::ALL.iter().map(|h| format!("hint:{}", h.name)).collect();
    let (last, rest) = names.split_last().expect("hints exist");
    format!("{} or {last}", rest.join(", "))
}

fn ev_choices() -> String {
    let names: Vec<String> = EV_TERMS.iter().map(|d| format!("ev:{}", super::ev_name(*d))).collect();
    let (last, rest) = names.split_last().expect("detectors exist");
    format!("{} or {last}", rest.join(", "))
}

fn check(raw: &str, value: &str, checklist: &Checklist) -> Result<TermKind, QueryError> {
    let keys = || checklist.items.iter().map(|i| i.key.as_str()).collect::<Vec<_>>().join(", ");
    let Some((key, answer)) = value.split_once('=') else {
        return Err(QueryError::unknown(raw, &format!("check:KEY=yes|no|unknown, KEY one of {}", keys())));
    };
    if checklist.item(key).is_none() {
        return Err(QueryError::unknown(raw, &format!("check:KEY=yes|no|unknown, KEY one of {}", keys())));
    }
    let answer = match answer {
        "yes" => Some(true),
        "no" => Some(false),
        "unknown" => None,
        _ => return Err(QueryError::unknown(raw, &format!("check:{key}=yes, check:{key}=no or check:{key}=unknown"))),
    };
    Ok(TermKind::Check { key: key.to_string(), answer })
}

/// `>180d` / `<7d`: older or newer than that many days before `now`.
fn age(value: &str, now: Timestamp) -> Option<TermKind> {
    let older = match value.chars().next()? {
        '>' => true,
        '<' => false,
        _ => return None,
    };
    let amount = &value[1..];
    let unit_at = amount.find(|c: char| !c.is_ascii_digit())?;
    let (n, unit) = amount.split_at(unit_at);
    let days_per = match unit {
        "d" => 1,
        "w" => 7,
        "m" => 30,
        "y" => 365,
        _ => return None,
    };
    let days: i64 = n.parse::<i64>().ok()?.checked_mul(days_per)?;
    let cutoff = now.checked_sub(jiff::SignedDuration::from_secs(days.checked_mul(86_400)?)).ok()?;
    Some(TermKind::Age { older, cutoff: crate::clock::format_utc(cutoff) })
}

/// A `since:`/`until:` value that is not a day: the day that does not exist named, else `usage`.
fn day_error(raw: &str, value: &str, usage: &str) -> QueryError {
    match crate::clock::no_such_day(value) {
        Some(why) => QueryError::new(raw, format!("{}? {why}", text::line(raw))),
        None => QueryError::new(raw, usage),
    }
}

/// `2026-11` or `2026-11-05`: that local month or day.
fn sent(value: &str, zone: &TimeZone) -> Option<TermKind> {
    let (first, next) = match value.len() {
        7 => {
            let first: Date = format!("{value}-01").parse().ok()?;
            (first, first.checked_add(jiff::Span::new().months(1)).ok()?)
        }
        10 => {
            let day: Date = value.parse().ok()?;
            (day, day.tomorrow().ok()?)
        }
        _ => return None,
    };
    let from = crate::clock::day_start(first, zone)?;
    let until = crate::clock::day_start(next, zone)?;
    Some(TermKind::Sent { from, until })
}
