//! Times as the user lives them: every time shown to a person is in their zone (`TZ`, else
//! the system's), with the zone named where a time of day is shown, and "a day" is a local day.
//! What is stored and what JSON carries stays UTC (RFC 3339, `Z`).

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use std::sync::OnceLock;

/// The user's zone: `TZ` (an IANA name), else the system's, else UTC.
pub fn zone() -> &'static TimeZone {
    static ZONE: OnceLock<TimeZone> = OnceLock::new();
    ZONE.get_or_init(|| TimeZone::try_system().unwrap_or(TimeZone::UTC))
}

/// The local day of a stored time (`2026-11-22T06:00:00Z` → `2026-11-21` in Los Angeles); a
/// stored day alone (a spreadsheet dropped the time) stays as it is, anything else too.
pub fn local_day(stored: &str, tz: &TimeZone) -> String {
    match stored.parse::<Timestamp>() {
        Ok(ts) => tz.to_datetime(ts).date().to_string(),
        Err(_) => crate::text::line(stored.get(..10).unwrap_or(stored)).into_owned(),
    }
}

/// A time of day for people: `2026-11-22 09:14 PST`.
pub fn local_time(ts: Timestamp, tz: &TimeZone) -> String {
    ts.to_zoned_datetime(tz.clone()).strftime("%Y-%m-%d %H:%M %Z").to_string()
}

/// A stored time shown as [`local_time`], or as it is when it is not an instant.
pub fn local_time_of(stored: &str, tz: &TimeZone) -> String {
    match stored.parse::<Timestamp>() {
        Ok(ts) => local_time(ts, tz),
        Err(_) => crate::text::line(stored).into_owned(),
    }
}

/// Today, where the user is.
pub fn today(now: Timestamp, tz: &TimeZone) -> Date {
    tz.to_datetime(now).date()
}

/// The instant a local day begins, as stored (RFC 3339 UTC): `--since 2026-11-01`, a deferral
/// `until 2026-12-15`.
pub fn day_start(day: Date, tz: &TimeZone) -> Option<String> {
    let start = day.to_zoned_datetime(tz.clone()).ok()?.start_of_day().ok()?;
    Some(crate::import::dates::format_utc(start.timestamp()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_instant_is_another_day_in_los_angeles_and_tokyo() {
        let (la, tokyo) = (TimeZone::get("America/Los_Angeles").unwrap(), TimeZone::get("Asia/Tokyo").unwrap());
        assert_eq!(local_day("2026-11-22T06:00:00Z", &la), "2026-11-21");
        assert_eq!(local_day("2026-11-22T06:00:00Z", &tokyo), "2026-11-22");
        assert_eq!(local_day("2021-09-15", &tokyo), "2021-09-15", "a day alone stays");
        let ts: Timestamp = "2026-11-22T17:14:00Z".parse().unwrap();
        assert_eq!(local_time(ts, &la), "2026-11-22 09:14 PST");
        assert_eq!(day_start("2026-12-15".parse().unwrap(), &la).as_deref(), Some("2026-12-15T08:00:00Z"));
        assert_eq!(day_start("2026-12-15".parse().unwrap(), &TimeZone::UTC).as_deref(), Some("2026-12-15T00:00:00Z"));
    }
}
