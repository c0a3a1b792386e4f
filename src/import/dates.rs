//! Dates as the sources write them, turned into UTC instants (RFC 3339, to the second).

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use std::sync::OnceLock;

/// LinkedIn writes `Sent At` in US Pacific wall-clock time, wherever the user lives.
fn pacific() -> &'static TimeZone {
    static TZ: OnceLock<TimeZone> = OnceLock::new();
    TZ.get_or_init(|| TimeZone::get("America/Los_Angeles").expect("the tz database is embedded"))
}

pub fn format_utc(ts: Timestamp) -> String {
    let dt = TimeZone::UTC.to_datetime(ts);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

/// Reads LinkedIn's `Sent At` (`8/26/22, 8:56 PM`, M/D/YY h:MM AM/PM, Pacific time) as UTC.
pub fn linkedin_sent_at(raw: &str) -> Option<String> {
    let s = raw.trim();
    let (date, time) = s.split_once(',')?;
    let mut d = date.trim().split('/');
    let month: i8 = d.next()?.trim().parse().ok()?;
    let day: i8 = d.next()?.trim().parse().ok()?;
    let year: i16 = d.next()?.trim().parse().ok()?;
    if d.next().is_some() {
        return None;
    }
    let year = if year < 100 { 2000 + year } else { year };
    let time = time.trim();
    let (clock, half) = time.rsplit_once(' ')?;
    let (h, m) = clock.split_once(':')?;
    let mut hour: i8 = h.trim().parse().ok()?;
    let minute: i8 = m.trim().parse().ok()?;
    if !(1..=12).contains(&hour) {
        return None;
    }
    match half.trim().to_ascii_uppercase().as_str() {
        "AM" if hour == 12 => hour = 0,
        "AM" => {}
        "PM" if hour != 12 => hour += 12,
        "PM" => {}
        _ => return None,
    }
    let dt = DateTime::from_parts(Date::new(year, month, day).ok()?, Time::new(hour, minute, 0, 0).ok()?);
    let zoned = dt.to_zoned_datetime(pacific().clone()).ok()?;
    Some(format_utc(zoned.timestamp()))
}

/// Reads Connections.csv's `Connected On` (`09 Sep 2022`) as `2022-09-09`.
pub fn linkedin_connected_on(raw: &str) -> Option<String> {
    let date = Date::strptime("%d %b %Y", raw.trim()).ok()?;
    Some(date.to_string())
}

/// A date the user typed or a vetted file holds: RFC 3339, `YYYY-MM-DD` (midnight UTC),
/// `YYYY-MM-DD HH:MM` (UTC), or LinkedIn's own format.
pub fn any(raw: &str) -> Option<String> {
    let s = raw.trim();
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
        assert_eq!(any("2024-05-01").as_deref(), Some("2024-05-01T00:00:00Z"));
        assert_eq!(any("2024-05-01T10:30:00+02:00").as_deref(), Some("2024-05-01T08:30:00Z"));
        assert_eq!(any("2024-05-01 10:30").as_deref(), Some("2024-05-01T10:30:00Z"));
        assert_eq!(any("8/26/22, 8:56 PM").as_deref(), Some("2022-08-27T03:56:00Z"));
        assert_eq!(any("soon"), None);
    }
}
