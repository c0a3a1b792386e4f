//! Times as the user lives them: every time shown to a person is in their zone (`TZ`, else
//! the system's), with the zone named where a time of day is shown, and "a day" is a local day.
//! What is stored and what JSON carries stays UTC (RFC 3339, `Z`).

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use std::sync::OnceLock;

/// A stored instant: RFC 3339 UTC to the second (`2026-11-22T17:14:00Z`).
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

/// Now, as jiff holds it. A system clock set past the last instant jiff can hold (9999-12-30
/// and later; jiff's own `Timestamp::now` panics there) reads as that last instant; one
/// before the first, as the first.
pub fn now() -> Timestamp {
    if let Some(at) = FROZEN.get() {
        return at;
    }
    let system = std::time::SystemTime::now();
    Timestamp::try_from(system).unwrap_or(if system > std::time::UNIX_EPOCH { Timestamp::MAX } else { Timestamp::MIN })
}

thread_local!(static FROZEN: std::cell::Cell<Option<Timestamp>> = const { std::cell::Cell::new(None) });

/// Runs `f` with [`now`] (and so every time the store writes) answering `at` on this thread:
/// the tests' clock, instead of raw SQL that rewrites the times stored.
#[doc(hidden)]
pub fn frozen_at<T>(at: Timestamp, f: impl FnOnce() -> T) -> T {
    let before = FROZEN.replace(Some(at));
    let out = f();
    FROZEN.set(before);
    out
}

/// [`now`] as stored: RFC 3339 UTC to the second. Cached per second, since bulk
/// imports ask for it once a row.
pub fn now_stored() -> String {
    use std::cell::RefCell;
    thread_local!(static LAST: RefCell<(i64, String)> = const { RefCell::new((i64::MIN, String::new())) });
    let ts = now();
    LAST.with_borrow_mut(|(second, text)| {
        if *second != ts.as_second() {
            *second = ts.as_second();
            *text = format_utc(ts);
        }
        text.clone()
    })
}

/// The user's zone: `TZ` (an IANA name, a rule, or a time zone file), else the system's,
/// else UTC. A `TZ` naming something that is not a time zone file (a device, a FIFO, a huge
/// file) is not read: UTC.
pub fn zone() -> &'static TimeZone {
    static ZONE: OnceLock<TimeZone> = OnceLock::new();
    ZONE.get_or_init(|| match std::env::var_os("TZ") {
        Some(tz) if !tz_may_be_read(&tz) => TimeZone::UTC,
        _ => TimeZone::try_system().unwrap_or(TimeZone::UTC),
    })
}

/// Whether `TZ` may be handed to jiff, which reads a value that is not a zone name as a file,
/// whole: a name of its database, or anything that is not an existing file other than a
/// regular one of at most 1 MiB (time zone files are a few KiB).
fn tz_may_be_read(tz: &std::ffi::OsStr) -> bool {
    let Some(tz) = tz.to_str() else { return false };
    let tz = tz.strip_prefix(':').unwrap_or(tz);
    if tz.is_empty() || TimeZone::get(tz).is_ok() {
        return true;
    }
    match std::fs::metadata(tz) {
        Ok(m) => m.is_file() && m.len() <= 1 << 20,
        Err(_) => true, // a rule such as `UTC0`, or nothing there: jiff reads no file
    }
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
    Some(format_utc(start.timestamp()))
}

/// Why a date typed as a date is not one, when its shape is right but the day does not exist:
/// `2026-11-31`, `11/31/26, 9:00 AM`, `2026-13` → "there is no 31 November 2026 (November
/// 2026 has 30 days)". `None` when the text is not shaped as a date at all (say the format
/// then), or when the day exists.
pub fn no_such_day(raw: &str) -> Option<String> {
    let s = raw.trim();
    let digits = |p: &str| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit());
    let num = |p: &str| p.parse::<i32>().ok();
    // YYYY-MM-DD (alone, or starting an RFC 3339 instant or a `date time`), or YYYY-MM.
    let iso = s.split(['T', 't', ' ']).next().unwrap_or("");
    let parts: Vec<&str> = iso.split('-').collect();
    let (year, month, day) = match parts[..] {
        [y, m] if y.len() == 4 && m.len() == 2 && digits(y) && digits(m) => (num(y)?, num(m)?, None),
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 && digits(y) && digits(m) && digits(d) => {
            (num(y)?, num(m)?, Some(num(d)?))
        }
        _ => {
            // LinkedIn's M/D/YY or M/D/YYYY, with or without its time.
            let date = s.split(',').next().unwrap_or("").trim();
            let us: Vec<&str> = date.split('/').collect();
            match us[..] {
                [m, d, y] if digits(m) && digits(d) && digits(y) && m.len() <= 2 && d.len() <= 2 => {
                    let y = num(y)?;
                    (if y < 100 { 2000 + y } else { y }, num(m)?, Some(num(d)?))
                }
                _ => return None,
            }
        }
    };
    if !(1..=12).contains(&month) {
        return Some(format!("there is no month {month} (months go from 1 to 12)"));
    }
    let first = Date::new(i16::try_from(year).ok()?, month as i8, 1).ok()?;
    let name = first.strftime("%B").to_string();
    let days = i32::from(first.days_in_month());
    match day {
        Some(d) if !(1..=days).contains(&d) => {
            Some(format!("there is no {d} {name} {year} ({name} {year} has {days} days)"))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frozen_clock_answers_its_time_on_its_thread_only() {
        let at: Timestamp = "2031-05-06T07:08:09Z".parse().unwrap();
        let (inside, other) = frozen_at(at, || (now_stored(), std::thread::spawn(now_stored).join().unwrap()));
        assert_eq!(inside, "2031-05-06T07:08:09Z");
        assert_ne!(other, inside, "another thread keeps the real time");
        assert_ne!(now_stored(), inside, "the real time again after");
    }

    #[test]
    fn a_day_that_does_not_exist_is_named() {
        assert_eq!(
            no_such_day("2026-11-31").as_deref(),
            Some("there is no 31 November 2026 (November 2026 has 30 days)")
        );
        assert_eq!(
            no_such_day("2/29/25, 9:00 AM").as_deref(),
            Some("there is no 29 February 2025 (February 2025 has 28 days)")
        );
        assert!(no_such_day("2026-11-31T10:00:00Z").unwrap().contains("no 31 November"));
        assert!(no_such_day("2026-13").unwrap().contains("no month 13"));
        assert!(no_such_day("2026-00-10").unwrap().contains("no month 0"));
        for fine_or_not_a_date in ["2026-11-30", "2/29/24", "soon", "31 November", "2026-11-31x", ""] {
            assert_eq!(no_such_day(fine_or_not_a_date), None, "{fine_or_not_a_date:?}");
        }
    }

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
