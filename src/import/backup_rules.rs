//! What each row of a backup must be before it is stored: a backup is a file anybody can
//! write, and what it restores is printed and drawn later. Instants are RFC 3339, days are
//! days, answer keys are checklist keys, statuses are known, ids are in range. Each rule names
//! the field it refused; the caller names the row.

use crate::model::Status;
use crate::store::{AnswerRecord, ConnectionRecord, DecisionRecord, PersonRecord, RequestRecord};

/// The largest id a backup may hold: the largest integer JSON readers keep exact (2^53 − 1),
/// far beyond any store, and clear of SQLite's own limit where `id + 1` would overflow.
pub const MAX_ID: i64 = (1 << 53) - 1;

type Checked = Result<(), String>;

fn id(field: &str, value: i64) -> Checked {
    if (1..=MAX_ID).contains(&value) {
        return Ok(());
    }
    Err(format!("`{field}` is {value}: an id is between 1 and {MAX_ID}"))
}

fn some_id(field: &str, value: Option<i64>) -> Checked {
    value.map_or(Ok(()), |v| id(field, v))
}

fn instant(field: &str, value: &str) -> Checked {
    if value.parse::<jiff::Timestamp>().is_ok() {
        return Ok(());
    }
    Err(format!("`{field}` is {value:?}: not an instant (RFC 3339, such as 2026-11-02T17:00:00Z)"))
}

fn some_instant(field: &str, value: Option<&str>) -> Checked {
    value.map_or(Ok(()), |v| instant(field, v))
}

/// A day as the store writes it (`2026-11-02`), or `""` for none.
fn day_or_empty(field: &str, value: &str) -> Checked {
    if value.is_empty() || (value.len() == 10 && value.parse::<jiff::civil::Date>().is_ok()) {
        return Ok(());
    }
    Err(format!("`{field}` is {value:?}: not a day (such as 2026-11-02)"))
}

/// A key as the checklist spells them: lowercase letters, digits and `_`.
fn key(field: &str, value: &str) -> Checked {
    let shaped = !value.is_empty()
        && value.len() <= 64
        && value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if shaped {
        return Ok(());
    }
    Err(format!("`{field}` is {value:?}: not a key (lowercase letters, digits and _)"))
}

/// Text that is never written by hand with control characters in it (a source, a key).
fn plain(field: &str, value: &str) -> Checked {
    if value.chars().any(char::is_control) {
        return Err(format!("`{field}` is {value:?}: it holds control characters"));
    }
    Ok(())
}

pub fn person(p: &PersonRecord) -> Checked {
    id("id", p.id)?;
    plain("key", &p.key)?;
    if p.key.is_empty() {
        return Err("`key` is empty".into());
    }
    p.connected_on.as_deref().map_or(Ok(()), |d| day_or_empty("connected_on", d))
}

pub fn request(r: &RequestRecord) -> Checked {
    id("id", r.id)?;
    id("person_id", r.person_id)?;
    some_id("earlier_decline", r.earlier_decline)?;
    plain("source", &r.source)?;
    // Sent: an instant, a day alone (a spreadsheet re-save dropped the time), or unknown.
    match r.sent_at.len() {
        0 | 10 => day_or_empty("sent_at", &r.sent_at)?,
        _ => instant("sent_at", &r.sent_at)?,
    }
    r.hints.split(',').filter(|h| !h.is_empty()).try_for_each(|h| key("hints", h))?;
    if Status::parse(&r.status).is_none() {
        return Err(format!("`status` is {:?}: not a status this vetted knows", r.status));
    }
    instant("added_at", &r.added_at)?;
    some_instant("defer_until", r.defer_until.as_deref())?;
    some_instant("done_on_linkedin", r.done_on_linkedin.as_deref())?;
    r.not_listed.as_deref().map_or(Ok(()), |d| day_or_empty("not_listed", d))
}

pub fn answer(a: &AnswerRecord) -> Checked {
    id("request_id", a.request_id)?;
    key("item", &a.item)
}

pub fn decision(d: &DecisionRecord) -> Checked {
    id("id", d.id)?;
    id("request_id", d.request_id)?;
    some_id("supersedes", d.supersedes)?;
    some_id("batch", d.batch)?;
    match Status::parse(&d.status) {
        Some(Status::Pending | Status::Accepted | Status::Declined | Status::Deferred) => {}
        _ => return Err(format!("`status` is {:?}: a decision is pending, accepted, declined or deferred", d.status)),
    }
    d.answers.keys().try_for_each(|k| key("answers", k))?;
    instant("decided_at", &d.decided_at)?;
    some_instant("defer_until", d.defer_until.as_deref())?;
    evidence(&d.evidence)
}

/// The findings a decision was made on: detector and item names are keys; their words are
/// the sender's text (gated where they are shown), each within the field limit.
fn evidence(findings: &[crate::model::StoredFinding]) -> Checked {
    if findings.len() > 32 {
        return Err(format!("`evidence` holds {} findings: a request has a few at most", findings.len()));
    }
    for f in findings {
        key("evidence.detector", &f.detector)?;
        f.item.as_deref().map_or(Ok(()), |i| key("evidence.item", i))?;
        let texts = std::iter::once(&f.why).chain(&f.words).chain(&f.fact);
        if let Some(long) = texts.map(String::len).find(|n| *n > crate::model::MAX_FIELD_BYTES) {
            return Err(format!("`evidence` holds a text of {long} bytes, over the 64 KiB limit"));
        }
    }
    Ok(())
}

pub fn connection(c: &ConnectionRecord) -> Checked {
    day_or_empty("connected_on", &c.connected_on)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decision_with(f: impl FnOnce(&mut DecisionRecord)) -> Checked {
        let mut d = DecisionRecord {
            id: 1,
            request_id: 1,
            status: "declined".into(),
            reason: "any \u{1b} text is kept: it is gated where it is shown".into(),
            answers: [("selling".to_string(), true)].into(),
            supersedes: None,
            undo: false,
            decided_at: "2026-11-02T17:00:00Z".into(),
            defer_until: None,
            evidence: Vec::new(),
            batch: None,
        };
        f(&mut d);
        decision(&d)
    }

    #[test]
    fn a_decision_is_checked_field_by_field_and_the_refusal_names_the_field() {
        assert_eq!(decision_with(|_| {}), Ok(()));
        type Change = fn(&mut DecisionRecord);
        let finding = |detector: &str, item: Option<&str>| crate::model::StoredFinding {
            detector: detector.into(),
            item: item.map(str::to_string),
            answer: true,
            why: "sales: ‘any text, gated where shown’".into(),
            words: Vec::new(),
            fact: None,
        };
        assert_eq!(decision_with(|d| d.evidence = vec![finding("sales", Some("selling"))]), Ok(()));
        let err = decision_with(|d| d.evidence = vec![finding("\u{1b}[2J", None)]).unwrap_err();
        assert!(err.starts_with("`evidence.detector` is "), "{err}");
        let err = decision_with(|d| d.evidence = vec![finding("sales", Some("Selling!"))]).unwrap_err();
        assert!(err.starts_with("`evidence.item` is "), "{err}");
        let err = decision_with(|d| d.evidence = vec![finding("sales", None); 33]).unwrap_err();
        assert!(err.starts_with("`evidence` holds 33 findings"), "{err}");
        let cases: [(Change, &str); 10] = [
            (|d| d.decided_at = "\u{1b}]0;PWNED\u{7}".into(), "decided_at"),
            (|d| d.decided_at = "2026-11-02".into(), "decided_at"),
            (|d| d.answers = [("\u{1b}]52;c;cm0=\u{7}".to_string(), true)].into(), "answers"),
            (|d| d.answers = [("Selling".to_string(), true)].into(), "answers"),
            (|d| d.status = "connected".into(), "status"),
            (|d| d.status = "maybe".into(), "status"),
            (|d| d.id = i64::MAX, "id"),
            (|d| d.id = 0, "id"),
            (|d| d.supersedes = Some(-4), "supersedes"),
            (|d| d.defer_until = Some("soon".into()), "defer_until"),
        ];
        for (change, field) in cases {
            let err = decision_with(change).unwrap_err();
            assert!(err.starts_with(&format!("`{field}` is ")), "{err}");
        }
    }

    #[test]
    fn requests_take_an_instant_a_day_or_nothing_as_sent_and_known_statuses_only() {
        let mut r = RequestRecord {
            id: 3,
            person_id: 2,
            source: "linkedin".into(),
            sent_at: "2026-11-02T17:00:00Z".into(),
            sent_at_raw: None,
            message: String::new(),
            hints: "no_message,sales_phrasing".into(),
            status: "pending".into(),
            earlier_decline: None,
            added_at: "2026-11-03T08:00:00Z".into(),
            defer_until: None,
            done_on_linkedin: None,
            not_listed: None,
        };
        assert_eq!(request(&r), Ok(()));
        r.not_listed = Some("2026-12-05".into());
        assert_eq!(request(&r), Ok(()));
        r.not_listed = Some("\u{1b}[2J".into());
        assert!(request(&r).unwrap_err().starts_with("`not_listed`"));
        r.not_listed = None;
        for sent in ["", "2026-11-02"] {
            r.sent_at = sent.into();
            assert_eq!(request(&r), Ok(()), "{sent:?}");
        }
        r.sent_at = "2026-13-02".into();
        assert!(request(&r).unwrap_err().starts_with("`sent_at`"));
        r.sent_at = "yesterday at noon".into();
        assert!(request(&r).unwrap_err().starts_with("`sent_at`"));
        r.sent_at = String::new();
        r.status = "\u{1b}[2J".into();
        assert!(request(&r).unwrap_err().starts_with("`status`"));
        r.status = "pending".into();
        r.hints = "no_message,\u{1b}]0;x\u{7}".into();
        assert!(request(&r).unwrap_err().starts_with("`hints`"));
    }

    #[test]
    fn days_and_keys() {
        assert!(day_or_empty("d", "").is_ok() && day_or_empty("d", "2022-09-09").is_ok());
        assert!(day_or_empty("d", "09 Sep 2022").is_err() && day_or_empty("d", "2022-02-30").is_err());
        assert!(key("k", "know_like_trust").is_ok() && key("k", "").is_err() && key("k", "a b").is_err());
    }
}
