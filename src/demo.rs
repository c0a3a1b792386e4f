//! `vetted demo`: a throwaway store seeded with fictional people, never the user's store.

use crate::checklist::Checklist;
use crate::error::{Error, Result};
use crate::import::{self, Options};
use crate::store::Store;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// Half a year of earlier decisions (a vetted backup), a fictional LinkedIn export folder and
/// a vetted-format file of profile notes.
const FILES: &[(&str, &str)] = &[
    ("history.json", include_str!("../assets/demo/history.json")),
    ("export/Invitations.csv", include_str!("../assets/demo/Invitations.csv")),
    ("export/Connections.csv", include_str!("../assets/demo/Connections.csv")),
    ("profiles.toml", include_str!("../assets/demo/profiles.toml")),
];

/// The moment the sample data is written as of (the history's `exported_at`; the README's
/// capture was taken then). The demo moves every date by the time since, so the ages it shows
/// are the capture's whatever the day.
const WRITTEN_AT: &str = "2026-11-25T12:00:00Z";

/// Creates the demo store in a private temporary folder (removed when the `TempDir` drops):
/// earlier decisions, then the sample export and profile notes, as a user would import them.
pub fn open() -> Result<(tempfile::TempDir, Store)> {
    open_with(&Checklist::builtin())
}

/// As [`open()`], the earlier checklist answers ranked by `checklist`.
pub fn open_with(checklist: &Checklist) -> Result<(tempfile::TempDir, Store)> {
    open_at(checklist, crate::clock::now())
}

/// As [`open_with`], dated as if it were `now`.
pub fn open_at(checklist: &Checklist, now: Timestamp) -> Result<(tempfile::TempDir, Store)> {
    let written: Timestamp = WRITTEN_AT.parse().expect("a valid instant");
    // Whole minutes, as LinkedIn's times are written.
    let by = SignedDuration::from_secs(now.duration_since(written).as_secs().div_euclid(60) * 60);
    let dir = tempfile::Builder::new()
        .prefix("vetted-demo-")
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700))
        .tempdir()
        .map_err(|e| Error::io("cannot create a folder for the demo store", e))?;
    for (name, contents) in FILES {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("a file in a folder"))
            .and_then(|()| std::fs::write(&path, shift_dates(contents, by)))
            .map_err(|e| Error::io(format!("{}: cannot write the demo data", path.display()), e))?;
    }
    let mut store = Store::open(&dir.path().join("demo.db"))?;
    // Earlier sessions first: among them Victor, declined in March, who asks again now.
    for file in ["history.json", "export", "profiles.toml"] {
        import::import_with(&mut store, &dir.path().join(file), Options::default(), checklist)?;
    }
    Ok((dir, store))
}

/// `text` with every date in it moved by `by`: RFC 3339 instants (`2026-11-25T12:00:00Z`),
/// days (`2026-11-25`), LinkedIn's `Sent At` (`11/24/26, 9:12 AM`, US Pacific) and
/// `Connected On` (`03 Oct 2026`).
fn shift_dates(text: &str, by: SignedDuration) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut after_digit = false;
    while let Some(c) = rest.chars().next() {
        if !after_digit
            && c.is_ascii_digit()
            && let Some((len, moved)) =
                instant_at(rest, by).or_else(|| sent_at(rest, by)).or_else(|| connected_on(rest, by))
        {
            out.push_str(&moved);
            rest = &rest[len..];
            after_digit = true;
            continue;
        }
        out.push(c);
        after_digit = c.is_ascii_digit();
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// A day moved by `by` (taken at noon UTC, so a whole number of days moves it that many).
fn shift_day(day: Date, by: SignedDuration) -> Option<Date> {
    let noon = day.at(12, 0, 0, 0).to_zoned_datetime(TimeZone::UTC).ok()?.timestamp();
    Some(TimeZone::UTC.to_datetime(noon.checked_add(by).ok()?).date())
}

fn digits_end(s: &str) -> usize {
    s.bytes().take_while(u8::is_ascii_digit).count()
}

/// `2026-11-25T12:00:00Z` or `2026-11-25` at the start of `s`.
fn instant_at(s: &str, by: SignedDuration) -> Option<(usize, String)> {
    if let Some(ts) = s.get(..20).filter(|t| t.as_bytes()[10] == b'T').and_then(|t| t.parse::<Timestamp>().ok()) {
        return Some((20, crate::clock::format_utc(ts.checked_add(by).ok()?)));
    }
    let day: Date = s.get(..10).filter(|d| d.as_bytes()[4] == b'-').and_then(|d| d.parse().ok())?;
    (digits_end(&s[10..]) == 0).then_some(())?;
    Some((10, shift_day(day, by)?.to_string()))
}

/// LinkedIn's `M/D/YY, h:MM AM` (US Pacific) at the start of `s`.
fn sent_at(s: &str, by: SignedDuration) -> Option<(usize, String)> {
    let mut len = 0;
    for sep in ["/", "/", ", ", ":", " "] {
        let n = digits_end(&s[len..]);
        (1..=2).contains(&n).then_some(())?;
        len += n;
        s[len..].starts_with(sep).then_some(())?;
        len += sep.len();
    }
    let half = s.get(len..len + 2).filter(|h| *h == "AM" || *h == "PM")?;
    len += half.len();
    let at: Timestamp = crate::import::dates::linkedin_sent_at(&s[..len])?.parse().ok()?;
    let pacific = TimeZone::get("America/Los_Angeles").ok()?;
    let moved = at.checked_add(by).ok()?.to_zoned_datetime(pacific);
    Some((len, moved.strftime("%-m/%-d/%y, %-I:%M %p").to_string()))
}

/// Connections.csv's `03 Oct 2026` at the start of `s`.
fn connected_on(s: &str, by: SignedDuration) -> Option<(usize, String)> {
    let raw = s.get(..11)?;
    let b = raw.as_bytes();
    (b[2] == b' ' && b[6] == b' ' && digits_end(&raw[7..]) == 4).then_some(())?;
    let day: Date = crate::import::dates::linkedin_connected_on(raw)?.parse().ok()?;
    Some((11, shift_day(day, by)?.strftime("%d %b %Y").to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Status;

    #[test]
    fn the_demo_store_has_a_varied_queue() {
        let (_dir, store) = open().unwrap();
        let pending = store.count(Status::Pending).unwrap();
        assert!((25..=40).contains(&pending), "{pending} pending");
        assert_eq!(store.count(Status::Connected).unwrap(), 1, "Jonas is already a connection");
        let page = store.requests_page(&Default::default(), None, 100).unwrap();
        assert!(page.iter().any(|r| r.asked_again && r.name == "Victor Dubois"));
        assert!(page.iter().any(|r| r.hints.iter().any(|h| h == "duplicate_message")));
        assert!(page.iter().any(|r| r.hints.iter().any(|h| h == "hidden_characters")));
        let priya = page.iter().find(|r| r.name == "Priya Natarajan").unwrap();
        assert_eq!(priya.headline.as_deref(), Some("Head of Observability at Fernwood"));
        assert!(store.note(priya.person_id).unwrap().unwrap().contains("EuroRust"));
    }

    #[test]
    fn the_demo_shows_suggestions_with_their_why() {
        let (_dir, store) = open().unwrap();
        let page = store.requests_page(&Default::default(), None, 100).unwrap();
        let pending: Vec<_> = page.iter().filter(|r| r.status == Status::Pending).collect();
        let detectors: std::collections::BTreeSet<&str> =
            pending.iter().flat_map(|r| r.findings.iter().map(|f| f.detector.as_str())).collect();
        for shown in ["sales", "introduced", "no_note", "campaign", "personal"] {
            assert!(detectors.contains(shown), "{shown}: {detectors:?}");
        }
        let recommended = pending.iter().filter(|r| r.recommends.is_some()).count();
        assert!(recommended * 2 > pending.len(), "{recommended} of {}", pending.len());
    }

    #[test]
    fn every_kind_of_date_moves_by_the_same_time() {
        let day = SignedDuration::from_hours(24 * 12);
        let text = "\"2026-11-25T12:00:00Z\" 2026-11-25 \"11/24/26, 9:12 AM\" 03 Oct 2026; 1/2/3, 10.5, 2026-11-25x";
        assert_eq!(
            shift_dates(text, day),
            "\"2026-12-07T12:00:00Z\" 2026-12-07 \"12/6/26, 9:12 AM\" 15 Oct 2026; 1/2/3, 10.5, 2026-12-07x"
        );
        assert_eq!(shift_dates("12/31/26, 11:59 PM", SignedDuration::from_mins(2)), "1/1/27, 12:01 AM");
        assert_eq!(shift_dates("Zoë 日本 14 Feb 2024", SignedDuration::ZERO), "Zoë 日本 14 Feb 2024");
    }

    /// The README's capture: each queue row's name and age (`┃▸ Olivia B… 25d ┃`).
    fn captured_ages() -> Vec<(String, i64)> {
        let readme = include_str!("../README.md");
        let capture = readme.split("```").nth(1).expect("the capture is the README's first block");
        capture
            .lines()
            .filter_map(|l| l.strip_prefix('┃')?.split('┃').next())
            .filter_map(|row| {
                let row = row.trim_start_matches(['▸', '↺', ' ', '✓', '✗']).trim_end();
                let (name, age) = row.rsplit_once(' ')?;
                Some((name.trim_end_matches('…').to_string(), age.strip_suffix('d')?.parse().ok()?))
            })
            .collect()
    }

    #[test]
    fn the_demo_shows_the_ages_of_the_readme_capture_whatever_the_day() {
        let captured = captured_ages();
        assert!(captured.len() >= 15, "{captured:?}");
        for now in ["2026-11-25T09:00:00Z", "2027-03-14T21:30:00Z", "2031-07-01T00:05:00Z"] {
            let now: Timestamp = now.parse().unwrap();
            let (_dir, store) = open_at(&Checklist::builtin(), now).unwrap();
            let page = store.requests_page(&Default::default(), None, 100).unwrap();
            let pending = page.iter().filter(|r| r.status == crate::model::Status::Pending);
            let pending: Vec<_> = pending.collect();
            for (name, days) in &captured {
                let row =
                    pending.iter().find(|r| r.name.starts_with(name.as_str())).unwrap_or_else(|| panic!("{name}"));
                let sent: Timestamp = row.sent_at.as_deref().unwrap().parse().unwrap();
                let age = now.duration_since(sent).as_hours().div_euclid(24);
                assert_eq!(age, *days, "{name} on {now}");
            }
        }
    }

    #[test]
    fn the_demo_store_has_months_of_history_and_a_linkedin_to_do_list() {
        let (_dir, store) = open().unwrap();
        let stats = store.stats("2026-11-25".parse().unwrap(), &jiff::tz::TimeZone::UTC).unwrap();
        assert!(stats.by_month.len() >= 5, "{:?}", stats.by_month);
        assert!(stats.decisions.get("accepted").is_some_and(|n| *n >= 5), "{:?}", stats.decisions);
        assert!(store.linkedin_todo_page(None, 100).unwrap().len() >= 3, "decisions still to carry out on LinkedIn");
        let lina = store.person_history(10, 10).unwrap();
        assert_eq!(lina.len(), 2, "a reconsidered decline: a chain of two");
    }
}
