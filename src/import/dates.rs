//! Dates as the sources write them, turned into UTC instants (RFC 3339, to the second).

use crate::clock::format_utc;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use std::sync::OnceLock;

/// LinkedIn writes `Sent At` in US Pacific wall-clock time, wherever the user lives.
fn pacific() -> &'static TimeZone {
    static TZ: OnceLock<TimeZone> = OnceLock::new();
    TZ.get_or_init(|| TimeZone::get("America/Los_Angeles").expect("the tz database is embedded"))
}

/// Reads LinkedIn's `Sent At` (`8/26/22, 8:56 PM`, M/D/YY h:MM AM/PM, Pacific time) as UTC.
pub fn linkedin_sent_at(raw: &str) -> Option<String> {
    let (date, time) = raw.trim().split_once(',')?;
    let day = month_day_year(date.trim())?;
    let half = time.trim().rsplit_once(' ')?.1;
    (half.eq_ignore_ascii_case("AM") || half.eq_ignore_ascii_case("PM")).then_some(())?;
    pacific_instant(day, time.trim())
}

/// Why a `Sent At` cell could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadDate {
    Invalid,
    /// Day and month in an order the cell does not tell (`09-07-2021`): a spreadsheet's re-save.
    Reordered,
}

/// Reads a `Sent At` cell as LinkedIn writes it, or as a spreadsheet re-saved it: with a time
/// (`8/26/22, 8:56 PM`, `8/26/2022 20:56`, `2022-08-26 20:56`), a UTC instant; without one
/// (`9/15/21`, `2021-09-15`, `15-Sep-21`), the day alone (`2021-09-15`, time unknown).
pub fn sent_at_cell(raw: &str) -> Result<String, BadDate> {
    let s = raw.trim();
    // An instant that says it is UTC (`2023-07-05 01:30:00 UTC`, RFC 3339) is taken as such.
    if let Some(utc) = s.strip_suffix(" UTC").or_else(|| s.strip_suffix(" GMT")) {
        let dt: DateTime = utc.trim().parse().map_err(|_| BadDate::Invalid)?;
        return TimeZone::UTC.to_timestamp(dt).map(format_utc).map_err(|_| BadDate::Invalid);
    }
    if let Ok(ts) = s.parse::<Timestamp>() {
        return Ok(format_utc(ts));
    }
    let (date, time) = match s.split_once(',') {
        Some((d, t)) => (d.trim(), t.trim()),
        None => match day(s) {
            Ok(d) => return Ok(d.to_string()),
            Err(BadDate::Reordered) => return Err(BadDate::Reordered),
            Err(BadDate::Invalid) => s.split_once(char::is_whitespace).ok_or(BadDate::Invalid)?,
        },
    };
    let d = day(date)?;
    pacific_instant(d, time.trim()).ok_or(BadDate::Invalid)
}

/// A day as the export or a spreadsheet writes it: `M/D/YY`, `M/D/YYYY`, `YYYY-MM-DD`,
/// `09 Sep 2022`, `9-Sep-22`. A numeric day and month without the year first (`09-07-2021`,
/// `09.07.2021`) is `Reordered`: the order cannot be told.
fn day(s: &str) -> Result<Date, BadDate> {
    if s.contains('/') {
        return month_day_year(s).ok_or(BadDate::Invalid);
    }
    let parts: Vec<&str> = s.split(['-', '.', ' ']).filter(|p| !p.is_empty()).collect();
    let [a, b, c] = parts[..] else { return Err(BadDate::Invalid) };
    let num = |p: &str| p.parse::<i16>().ok().filter(|_| p.bytes().all(|b| b.is_ascii_digit()));
    match (num(a), month_name(b), num(c)) {
        (Some(y), None, Some(d)) if a.len() == 4 => {
            let m = num(b).ok_or(BadDate::Invalid)?;
            Date::new(y, m as i8, d as i8).map_err(|_| BadDate::Invalid)
        }
        (Some(d), Some(m), Some(y)) => Date::new(full_year(y), m, d as i8).map_err(|_| BadDate::Invalid),
        (Some(_), None, Some(_)) if num(b).is_some() => Err(BadDate::Reordered),
        _ => Err(BadDate::Invalid),
    }
}

fn full_year(y: i16) -> i16 {
    if y < 100 { 2000 + y } else { y }
}

fn month_name(s: &str) -> Option<i8> {
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let lower = s.to_ascii_lowercase();
    let i = MONTHS.iter().position(|m| lower.len() >= 3 && lower.starts_with(m))?;
    Some(i as i8 + 1)
}

/// `M/D/YY` or `M/D/YYYY`.
fn month_day_year(s: &str) -> Option<Date> {
    let mut d = s.split('/');
    let month: i8 = d.next()?.trim().parse().ok()?;
    let day: i8 = d.next()?.trim().parse().ok()?;
    let year: i16 = d.next()?.trim().parse().ok()?;
    if d.next().is_some() {
        return None;
    }
    Date::new(full_year(year), month, day).ok()
}

/// A wall-clock time on `day` in US Pacific time (`8:56 PM`, `20:56`, `20:56:07`) as UTC.
fn pacific_instant(day: Date, time: &str) -> Option<String> {
    let (clock, half) = match time.rsplit_once(' ') {
        Some((c, h)) => (c.trim(), Some(h.trim().to_ascii_uppercase())),
        None => (time, None),
    };
    let mut fields = clock.split(':');
    let mut hour: i8 = fields.next()?.trim().parse().ok()?;
    let minute: i8 = fields.next()?.trim().parse().ok()?;
    let second: i8 = fields.next().map_or(Some(0), |s| s.trim().parse().ok())?;
    if fields.next().is_some() {
        return None;
    }
    match half.as_deref() {
        None if (0..=23).contains(&hour) => {}
        Some(_) if !(1..=12).contains(&hour) => return None,
        Some("AM") if hour == 12 => hour = 0,
        Some("PM") if hour != 12 => hour += 12,
        Some("AM" | "PM") => {}
        _ => return None,
    }
    let dt = DateTime::from_parts(day, Time::new(hour, minute, second, 0).ok()?);
    let zoned = dt.to_zoned_datetime(pacific().clone()).ok()?;
    Some(format_utc(zoned.timestamp()))
}

/// Reads Connections.csv's `Connected On` in any shape it arrives in (`09 Sep 2022`,
/// `9-Sep-22`, `2022-09-09`, `1/8/18, 6:14 PM`) as one form, `2022-09-09`.
pub fn linkedin_connected_on(raw: &str) -> Option<String> {
    let s = raw.trim();
    let date = day(s).ok().or_else(|| day(s.split([',', ' ']).next()?.trim()).ok())?;
    Some(date.to_string())
}

/// A date the user typed or a vetted file holds: RFC 3339, `YYYY-MM-DD` (midnight UTC),
/// `YYYY-MM-DD HH:MM` (UTC), or LinkedIn's own format.
pub fn any(raw: &str) -> Option<String> {
    let s = raw.trim();
    // jiff reads offsets up to ±25:59; no place on earth is more than 14 hours off UTC.
    if let Some(at) = s.len().checked_sub(6).filter(|_| s.contains('T') || s.contains(' '))
        && let Some(offset) = s.get(at..)
        && offset.starts_with(['+', '-'])
        && offset.get(1..3).and_then(|h| h.parse::<u8>().ok()).is_some_and(|h| h > 14)
    {
        return None;
    }
    if let Ok(ts) = s.parse::<Timestamp>() {
        return Some(format_utc(ts));
    }
    if let Ok(dt) = s.parse::<DateTime>() {
        return dt.to_zoned_datetime(TimeZone::UTC).ok().map(|z| format_utc(z.timestamp()));
    }
    if let Ok(d) = s.parse::<Date>() {
        return d
            .to_datetime(jiff::civil::Time::midnight())
            .to_zoned_datetime(TimeZone::UTC)
            .ok()
            .map(|z| format_utc(z.timestamp()));
    }
    linkedin_sent_at(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linkedin_times_are_pacific() {
        // August: PDT, UTC-7.
        assert_eq!(linkedin_sent_at("8/26/22, 8:56 PM").as_deref(), Some("2022-08-27T03:56:00Z"));
        // January: PST, UTC-8; 12 AM is midnight, 12 PM is noon.
        assert_eq!(linkedin_sent_at("1/5/24, 12:03 AM").as_deref(), Some("2024-01-05T08:03:00Z"));
        assert_eq!(linkedin_sent_at("1/5/24, 12:03 PM").as_deref(), Some("2024-01-05T20:03:00Z"));
        assert_eq!(linkedin_sent_at(" 12/31/2025 , 11:59 pm ").as_deref(), Some("2026-01-01T07:59:00Z"));
    }

    #[test]
    fn spreadsheet_re_saves() {
        assert_eq!(sent_at_cell("9/15/21").as_deref(), Ok("2021-09-15"), "the time dropped: a day");
        assert_eq!(sent_at_cell("9/15/2021").as_deref(), Ok("2021-09-15"));
        assert_eq!(sent_at_cell("2021-09-15").as_deref(), Ok("2021-09-15"));
        assert_eq!(sent_at_cell("8/26/22, 8:56 PM").as_deref(), Ok("2022-08-27T03:56:00Z"));
        assert_eq!(sent_at_cell("8/26/2022 20:56").as_deref(), Ok("2022-08-27T03:56:00Z"));
        assert_eq!(sent_at_cell("2022-08-26 20:56:00").as_deref(), Ok("2022-08-27T03:56:00Z"));
        assert_eq!(sent_at_cell("2023-07-05 01:30:00 UTC").as_deref(), Ok("2023-07-05T01:30:00Z"));
        assert_eq!(sent_at_cell("2023-07-05T01:30:00Z").as_deref(), Ok("2023-07-05T01:30:00Z"));
        assert_eq!(sent_at_cell("09-07-2021"), Err(BadDate::Reordered));
        assert_eq!(sent_at_cell("09.07.2021 10:00"), Err(BadDate::Reordered));
        assert_eq!(sent_at_cell("yesterday"), Err(BadDate::Invalid));
        assert_eq!(sent_at_cell("2/30/24"), Err(BadDate::Invalid));
    }

    #[test]
    fn bad_linkedin_times_are_none() {
        for s in [
            "",
            "yesterday",
            "13/1/24, 1:00 PM",
            "2/30/24, 1:00 PM",
            "1/1/24, 13:00 PM",
            "1/1/24, 1:00",
            "1/1/24/5, 1:00 PM",
        ] {
            assert_eq!(linkedin_sent_at(s), None, "{s:?}");
        }
    }

    #[test]
    fn connected_on_and_user_dates() {
        assert_eq!(linkedin_connected_on("09 Sep 2022").as_deref(), Some("2022-09-09"));
        assert_eq!(linkedin_connected_on("Sep 2022"), None);
        for raw in ["9-Sep-22", "9 Sep 2022", "2022-09-09", "9/9/22, 6:14 PM", "9/9/2022", "09-SEP-2022"] {
            assert_eq!(linkedin_connected_on(raw).as_deref(), Some("2022-09-09"), "{raw:?}");
        }
        assert_eq!(any("2024-05-01").as_deref(), Some("2024-05-01T00:00:00Z"));
        assert_eq!(any("2024-05-01T10:30:00+02:00").as_deref(), Some("2024-05-01T08:30:00Z"));
        assert_eq!(any("2024-05-01 10:30").as_deref(), Some("2024-05-01T10:30:00Z"));
        assert_eq!(any("8/26/22, 8:56 PM").as_deref(), Some("2022-08-27T03:56:00Z"));
        assert_eq!(any("soon"), None);
        assert_eq!(any("2027-01-01T00:00:00+25:00"), None, "no such offset on earth");
        assert_eq!(any("2027-01-01T00:00:00+14:00").as_deref(), Some("2026-12-31T10:00:00Z"));
    }
}
