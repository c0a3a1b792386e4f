//! What the user types on the command line, read once: a person (request id or profile URL),
//! dates, a `--where` query, and the field limit of free text.

use crate::checklist::Checklist;
use crate::error::{Error, Result};
use crate::import::{dates, url};
use crate::query::Query;
use crate::store::{PersonRef, Store};
use crate::text;

/// Text a person passes has the field limit of an import.
pub fn within_field_limit(flag: &str, text: &str) -> Result<()> {
    if text.len() > crate::model::MAX_FIELD_BYTES {
        return Err(Error::Usage(format!("{flag}: {} bytes, over the 64 KiB limit of a field", text.len())));
    }
    Ok(())
}

/// A `--where` given on the command line, parsed for requests: an empty one is refused (it
/// would select every pending request), a bad term is a usage error naming it.
pub fn request_query(raw: &str, checklist: &Checklist) -> Result<Query> {
    if raw.trim().is_empty() {
        return Err(Error::Usage(
            "--where '': an empty query would select every pending request; say which, e.g. \
             --where 'hint:no-message age:>180d'"
                .into(),
        ));
    }
    let query = crate::query::parse(raw, crate::clock::zone(), checklist)
        .and_then(|q| q.for_requests().map(|()| q))
        .map_err(|e| Error::Usage(format!("--where: {e}")))?;
    Ok(query)
}

/// A person given on the command line (`--person`, `vetted forget`): a request id as `vetted
/// list` shows it, or a profile URL.
pub fn person_ref(given: &str) -> Result<PersonRef> {
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

/// A request id, a profile URL, or else a name (`vetted forget`: someone the user only
/// invited has no request id).
pub fn person_or_name(given: &str) -> Result<PersonRef> {
    match person_ref(given) {
        Err(Error::Usage(_)) if !given.trim().is_empty() && !given.contains('/') => {
            Ok(PersonRef::Name(given.trim().to_string()))
        }
        other => other,
    }
}

/// The person (id) a `--person` names.
pub fn person_of(store: &Store, given: &str) -> Result<i64> {
    Ok(store.find_person(&person_ref(given)?)?.0)
}

/// A date given on the command line, or why it is not one.
pub fn user_date(flag: &str, raw: &str, parse: fn(&str) -> Option<String>) -> Result<String> {
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

/// A date typed on the command line: a bare day is where the user is (its start), anything
/// else as `dates::any` reads it.
pub fn since_instant(raw: &str) -> Option<String> {
    match bare_day(raw) {
        Some(day) => crate::clock::day_start(day, crate::clock::zone()),
        None => dates::any(raw),
    }
}

/// The day after `date` when it is a bare date: `--until 2026-11-30` includes that (local) day.
pub fn until_instant(raw: &str) -> Option<String> {
    match bare_day(raw) {
        Some(day) => crate::clock::day_start(day.tomorrow().ok()?, crate::clock::zone()),
        None => dates::any(raw),
    }
}

fn bare_day(raw: &str) -> Option<jiff::civil::Date> {
    let raw = raw.trim();
    if raw.len() == 10 { raw.parse().ok() } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
