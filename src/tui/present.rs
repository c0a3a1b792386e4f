//! The words and marks the app shows for model values — verdicts, decisions, ages, times,
//! counts — written once. Marks are readable without colour.

use crate::model::{DecisionRow, Status, StoredFinding, Verdict};
use crate::text;
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// ✓ ✗ … for a verdict.
pub fn verdict_mark(v: Verdict) -> &'static str {
    match v {
        Verdict::Accept => "✓",
        Verdict::Decline => "✗",
        Verdict::Defer => "…",
    }
}

/// "accepted", "declined", "deferred": what a verdict did.
pub fn verdict_done(v: Verdict) -> &'static str {
    v.status().as_str()
}

/// The mark of a decision in a log: its verdict's, ○ for back to pending, ↶ for an undo.
pub fn decision_mark(d: &DecisionRow) -> &'static str {
    if d.undo {
        return "↶";
    }
    match d.decision {
        Status::Accepted => verdict_mark(Verdict::Accept),
        Status::Declined => verdict_mark(Verdict::Decline),
        Status::Deferred => verdict_mark(Verdict::Defer),
        _ => "○",
    }
}

/// The word of a decision in a log: "accepted", "back to pending", "undo", …
pub fn decision_word(d: &DecisionRow) -> &'static str {
    match (d.undo, d.decision) {
        (true, _) => "undo",
        (false, Status::Pending) => "back to pending",
        (false, s) => s.as_str(),
    }
}

/// " (until 2026-12-15)": the local day a deferral comes back, if it has one.
pub fn until(d: &DecisionRow, zone: &TimeZone) -> String {
    match &d.defer_until {
        Some(at) if d.decision == Status::Deferred => format!(" (until {})", crate::clock::local_day(at, zone)),
        _ => String::new(),
    }
}

/// " · batch 7, 23 declined together": a decision made with others at once; " · decided on
/// laptop and desktop": a request decided on more than one device (a store that syncs).
pub fn together(d: &DecisionRow) -> String {
    d.together().into_iter().chain(d.decided_on_note()).map(|t| format!(" · {t}")).collect()
}

/// `(x)` / `( )`: what the evidence suggests for an item the user left open, told apart from
/// the user's own `[x]` / `[ ]` without colour.
pub fn suggestion_mark(answer: bool) -> &'static str {
    if answer { "(x)" } else { "( )" }
}

/// The finding whose suggestion stands for checklist item `key` (the first: red flags come
/// first, as `Checklist::recommend_with` takes them).
pub fn suggestion<'f>(findings: &'f [StoredFinding], key: &str) -> Option<&'f StoredFinding> {
    findings.iter().find(|f| f.item.as_deref() == Some(key))
}

/// 1,234,567.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Untrusted text cut and padded to `w` columns.
pub fn pad(s: &str, w: usize) -> String {
    let t = text::truncate(&text::line(s), w).into_owned();
    let width = unicode_width::UnicodeWidthStr::width(t.as_str());
    format!("{t}{}", " ".repeat(w.saturating_sub(width)))
}

/// The words of `s` in lines of at most `width` columns (a word longer than a line is cut).
pub fn wrap(s: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = vec![String::new()];
    for word in s.split_whitespace() {
        let word = text::truncate(word, width);
        let used = unicode_width::UnicodeWidthStr::width(lines[lines.len() - 1].as_str());
        if used > 0 && used + 1 + unicode_width::UnicodeWidthStr::width(word.as_ref()) > width {
            lines.push(String::new());
        }
        let last = lines.last_mut().expect("never empty");
        if !last.is_empty() {
            last.push(' ');
        }
        last.push_str(&word);
    }
    lines
}

/// The words of an import hint (from the one table, [`crate::hint::ALL`]).
pub fn hint_text(key: &str) -> String {
    text::line(crate::hint::label(key)).into_owned()
}

/// When a request was sent: an instant, or a day alone (a spreadsheet dropped the time),
/// taken at noon UTC for its age.
fn sent_instant(sent_at: Option<&str>) -> Option<(Timestamp, bool)> {
    let s = sent_at?;
    if let Ok(ts) = s.parse::<Timestamp>() {
        return Some((ts, false));
    }
    let day: jiff::civil::Date = s.parse().ok()?;
    let noon = day.to_datetime(jiff::civil::Time::constant(12, 0, 0, 0));
    Some((TimeZone::UTC.to_timestamp(noon).ok()?, true))
}

/// How old something is, in the one unit the app shows it in: minutes under an hour, hours
/// under a day, days under 60 days, months (of 365/12 days) under two years, then years. The
/// short and the long form both come from here, so `24mo` and `2y` never both appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Age {
    Future,
    /// A day alone (the time is unknown), and it is that day or less than a day since.
    Today,
    Minutes(i64),
    Hours(i64),
    Days(i64),
    Months(i64),
    Years(i64),
}

impl Age {
    fn of(seconds: i64, day_only: bool) -> Age {
        const DAY: i64 = 86_400;
        let days = seconds / DAY;
        match seconds {
            s if s < 0 => Age::Future,
            s if day_only && s < DAY => Age::Today,
            s if s < 3600 => Age::Minutes(s / 60),
            s if s < DAY => Age::Hours(s / 3600),
            _ if days < 60 => Age::Days(days),
            // Whole months of an average length: 729 days are 23 months, 730 are 2 years.
            _ if days * 12 / 365 < 24 => Age::Months(days * 12 / 365),
            _ => Age::Years(days / 365),
        }
    }
}

/// "3d", "5h", "2mo", "2y": the short age of a request.
pub fn short_age(now: Timestamp, sent_at: Option<&str>) -> String {
    let Some((ts, day_only)) = sent_instant(sent_at) else { return String::new() };
    match Age::of(now.as_second() - ts.as_second(), day_only) {
        Age::Future => "new".into(),
        Age::Today => "0d".into(),
        Age::Minutes(n) => format!("{n}m"),
        Age::Hours(n) => format!("{n}h"),
        Age::Days(n) => format!("{n}d"),
        Age::Months(n) => format!("{n}mo"),
        Age::Years(n) => format!("{n}y"),
    }
}

/// "3 days ago (2026-11-22 09:14 PST)" in the user's zone, or for a day alone "3 days ago
/// (2026-11-22, time unknown)".
pub fn long_time(now: Timestamp, zone: &TimeZone, sent_at: Option<&str>, raw: Option<&str>) -> String {
    let Some((ts, day_only)) = sent_instant(sent_at) else {
        return match raw {
            Some(r) => format!("{} (as exported)", text::line(r)),
            None => "unknown".into(),
        };
    };
    let unit = |n: i64, u: &str| format!("{n} {u}{} ago", if n == 1 { "" } else { "s" });
    let rel = match Age::of(now.as_second() - ts.as_second(), day_only) {
        Age::Future => "in the future".to_string(),
        Age::Today => "today".to_string(),
        Age::Minutes(n) => unit(n, "minute"),
        Age::Hours(n) => unit(n, "hour"),
        Age::Days(n) => unit(n, "day"),
        Age::Months(n) => unit(n, "month"),
        Age::Years(n) => unit(n, "year"),
    };
    if day_only {
        return format!("{rel} ({}, time unknown)", ts.strftime("%Y-%m-%d"));
    }
    format!("{rel} ({})", crate::clock::local_time(ts, zone))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_ages_read_as_people_write_them() {
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
        let now: Timestamp = "2026-11-25T12:00:00Z".parse().unwrap();
        assert_eq!(short_age(now, Some("2026-11-22T12:00:00Z")), "3d");
        assert_eq!(short_age(now, Some("2026-11-25")), "0d", "a day alone is not hours old");
        assert_eq!(short_age(now, Some("2026-12-25T12:00:00Z")), "new");
        assert_eq!(long_time(now, &TimeZone::UTC, Some("2026-11-24"), None), "1 day ago (2026-11-24, time unknown)");
        assert_eq!(long_time(now, &TimeZone::UTC, None, Some("soon")), "soon (as exported)");
        // One rule: never "24mo" beside "2y" (729 and 730 days), months then years.
        let ago = |days: i64| (now - jiff::SignedDuration::from_hours(24 * days)).to_string();
        let ages: Vec<String> =
            [59, 60, 364, 365, 700, 729, 730, 1100].iter().map(|d| short_age(now, Some(&ago(*d)))).collect();
        assert_eq!(ages, ["59d", "1mo", "11mo", "12mo", "23mo", "23mo", "2y", "3y"]);
        assert!(ages.iter().all(|a| a != "24mo"));
        assert!(long_time(now, &TimeZone::UTC, Some(&ago(729)), None).starts_with("23 months ago"));
        assert!(long_time(now, &TimeZone::UTC, Some(&ago(730)), None).starts_with("2 years ago"));
        assert_eq!(wrap("Introduced by a connection I trust", 16), ["Introduced by a", "connection I", "trust"]);
        assert_eq!(wrap("", 10), [""]);
    }
}
