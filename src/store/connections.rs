//! The user's connections, as Connections.csv lists them, and how a request's sender is found
//! among them: by profile URL when the invitation has a usable one, else by name among all
//! connections (real exports of 2018 – 2023 carry no URL, a URN, or only LinkedIn's bare
//! `…/in` prefix, while Connections.csv of the same export has URLs).

use crate::model::name_key;
use rusqlite::{Connection, Transaction, params};
use std::collections::HashMap;

/// One connection as the index keeps it.
#[derive(Debug, Clone)]
struct Known {
    url: Option<String>,
    name: String,
    connected_on: String,
}

/// Every connection in the store, in memory for the length of one import.
#[derive(Debug, Default)]
pub(super) struct ConnectionIndex {
    all: Vec<Known>,
    by_url: HashMap<String, usize>,
    by_name: HashMap<String, Vec<usize>>,
}

/// Whether a sender is one of the user's connections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    NotConnected,
    Connected {
        /// `YYYY-MM-DD`, or empty when the file did not say.
        connected_on: String,
        /// Found by name (the invitation had no usable URL, or the connection has none).
        by_name: bool,
    },
    /// Several different connections have the sender's name and their days cannot tell which
    /// (one of unknown day, or the invitation's day unknown): each as `name <url> (connected
    /// day)`.
    Ambiguous(Vec<String>),
    /// Several connections have the sender's name, all made before the invitation was sent:
    /// none of them sent it (a connection cannot invite you). Each as in `Ambiguous`.
    SomeoneElse(Vec<String>),
}

impl ConnectionIndex {
    pub(super) fn load(conn: &Connection) -> rusqlite::Result<ConnectionIndex> {
        let mut index = ConnectionIndex::default();
        let mut stmt = conn.prepare("SELECT url, name, name_key, connected_on FROM connection ORDER BY id")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let key: String = r.get(2)?;
            index.insert(Known { url: r.get(0)?, name: r.get(1)?, connected_on: r.get(3)? }, key);
        }
        Ok(index)
    }

    pub(super) fn is_empty(&self) -> bool {
        self.all.is_empty()
    }

    fn insert(&mut self, known: Known, key: String) {
        if let Some(url) = &known.url
            && let Some(&at) = self.by_url.get(url)
        {
            self.all[at] = known; // the same person again (a newer file): the latest row wins
            return;
        }
        // A row without a URL is its name and day (as the store keeps it): the same file
        // imported again adds no second one.
        if known.url.is_none()
            && self.by_name.get(&key).is_some_and(|rows| {
                rows.iter().any(|&at| self.all[at].url.is_none() && self.all[at].connected_on == known.connected_on)
            })
        {
            return;
        }
        let at = self.all.len();
        if let Some(url) = &known.url {
            self.by_url.insert(url.clone(), at);
        }
        self.by_name.entry(key).or_default().push(at);
        self.all.push(known);
    }

    /// Finds a sender: by `url` when there is one; by name (`name_key`) when there is none,
    /// among every connection, and also among the connections that have no URL themselves
    /// (files before 2022 have no URL column). `sent_day` (`YYYY-MM-DD`, when known) settles
    /// namesakes: see [`by_dates`].
    pub(super) fn find(&self, url: Option<&str>, name_key: &str, sent_day: Option<&str>) -> Match {
        if let Some(&at) = url.and_then(|u| self.by_url.get(u)) {
            return Match::Connected { connected_on: self.all[at].connected_on.clone(), by_name: false };
        }
        let candidates: Vec<&Known> = self
            .by_name
            .get(name_key)
            .into_iter()
            .flatten()
            .map(|&at| &self.all[at])
            .filter(|k| url.is_none_or(opaque) || k.url.is_none())
            .collect();
        let mut urls: Vec<&str> = candidates.iter().filter_map(|k| k.url.as_deref()).collect();
        urls.sort_unstable();
        urls.dedup();
        let unlinked = candidates.iter().filter(|k| k.url.is_none()).count();
        // Rows of one person from an old file (no URL) and a newer one (URL) are one person;
        // two URLs, or two URL-less rows, are two people of the same name.
        let people = if urls.is_empty() { unlinked } else { urls.len() };
        match (people, candidates.first()) {
            (0, _) | (_, None) => Match::NotConnected,
            (1, Some(first)) => {
                let newest = candidates.iter().map(|k| k.connected_on.as_str()).max().unwrap_or("");
                let connected_on = if newest.is_empty() { first.connected_on.clone() } else { newest.to_string() };
                Match::Connected { connected_on, by_name: true }
            }
            _ => by_dates(&candidates, sent_day),
        }
    }
}

/// Several connections have the sender's name. A connection cannot send you an invitation,
/// so the one made on or after the invitation's day (a day earlier allowed, for time zones)
/// is the one that accepted it: the sender is a connection (since the first such day). When
/// every one of them was made before it, none of them is its sender: someone else of the same
/// name. Without the invitation's day, or with a connection of unknown day, it stays
/// ambiguous.
fn by_dates(candidates: &[&Known], sent_day: Option<&str>) -> Match {
    let described = || {
        candidates
            .iter()
            .map(|k| match &k.url {
                Some(url) => format!("{} <{url}> (connected {})", k.name, or_unknown(&k.connected_on)),
                None => format!("{} (connected {})", k.name, or_unknown(&k.connected_on)),
            })
            .collect()
    };
    let Some(earliest) = sent_day.and_then(day_before) else { return Match::Ambiguous(described()) };
    let after = candidates
        .iter()
        .map(|k| k.connected_on.as_str())
        .filter(|on| !on.is_empty() && *on >= earliest.as_str())
        .min();
    match after {
        Some(on) => Match::Connected { connected_on: on.to_string(), by_name: true },
        None if candidates.iter().all(|k| !k.connected_on.is_empty()) => Match::SomeoneElse(described()),
        None => Match::Ambiguous(described()),
    }
}

/// The day before `day` (`YYYY-MM-DD`, or an instant that starts with one).
fn day_before(day: &str) -> Option<String> {
    let date: jiff::civil::Date = day.get(..10)?.parse().ok()?;
    Some(date.yesterday().ok()?.to_string())
}

/// A profile URL by member id (`…/in/ACoAAB…`) rather than the vanity slug that
/// Connections.csv has: it says nothing by itself, so the name decides.
fn opaque(url: &str) -> bool {
    url.strip_prefix("https://www.linkedin.com/in/").is_some_and(|slug| slug.starts_with("acoaa"))
}

fn or_unknown(day: &str) -> &str {
    if day.is_empty() { "on an unknown day" } else { day }
}

/// Stores one row of Connections.csv (the one writer of the `connection` table) and adds it
/// to `index`. A URL identifies a connection; a row without one, its name and day.
pub(super) fn connection_row(
    tx: &Connection,
    index: &mut ConnectionIndex,
    url: Option<&str>,
    name: &str,
    connected_on: &str,
) -> rusqlite::Result<()> {
    let key = name_key(name);
    match url {
        Some(url) => tx
            .prepare_cached(
                "INSERT INTO connection (url, name_key, name, connected_on) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (url) WHERE url IS NOT NULL DO UPDATE SET name_key = excluded.name_key, \
                   name = excluded.name, connected_on = coalesce(nullif(excluded.connected_on, ''), connected_on)",
            )?
            .execute(params![url, key, name, connected_on])?,
        None => tx
            .prepare_cached(
                "INSERT OR IGNORE INTO connection (url, name_key, name, connected_on) VALUES (NULL, ?1, ?2, ?3)",
            )?
            .execute(params![key, name, connected_on])?,
    };
    index
        .insert(Known { url: url.map(str::to_string), name: name.to_string(), connected_on: connected_on.into() }, key);
    Ok(())
}

/// What the store derives from its people (migration 6, and after a backup restore): the name
/// key of each person without a URL (and a name-based person key in the new
/// form, unless another person has it already), and the connections the store knew of as
/// `person.connected_on`.
pub(super) fn derive_from_people(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let mut page =
        tx.prepare("SELECT id, key, name FROM person WHERE id > ?1 AND profile_url IS NULL ORDER BY id LIMIT 10000")?;
    let mut set_name = tx.prepare("UPDATE person SET name_key = ?2 WHERE id = ?1")?;
    let mut set_key = tx.prepare("UPDATE OR IGNORE person SET key = ?2 WHERE id = ?1")?;
    let mut after = 0i64;
    loop {
        // In pages, so that memory stays small however many people there are.
        let people: Vec<(i64, String, String)> =
            page.query_map([after], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?;
        let Some(last) = people.last() else { break };
        after = last.0;
        for (id, key, name) in people {
            let name_key = name_key(&name);
            if key.starts_with("name:") && key != format!("name:{name_key}") {
                set_key.execute(params![id, format!("name:{name_key}")])?;
            }
            set_name.execute(params![id, name_key])?;
        }
    }
    tx.execute_batch(
        "INSERT OR IGNORE INTO connection (url, name_key, name, connected_on) \
         SELECT profile_url, name_key, name, connected_on FROM person WHERE connected_on IS NOT NULL",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(rows: &[(Option<&str>, &str, &str)]) -> ConnectionIndex {
        let mut index = ConnectionIndex::default();
        for (url, name, on) in rows {
            index.insert(
                Known { url: url.map(Into::into), name: (*name).into(), connected_on: (*on).into() },
                name_key(name),
            );
        }
        index
    }

    #[test]
    fn a_sender_without_a_url_is_found_by_name_among_every_connection() {
        let idx = index(&[
            (Some("https://www.linkedin.com/in/ada"), "Ada  Lovelace", "2024-01-02"),
            (None, "Bo Old", "2019-05-01"),
        ]);
        let connected = |by_name, on: &str| Match::Connected { connected_on: on.into(), by_name };
        assert_eq!(idx.find(Some("https://www.linkedin.com/in/ada"), "x", None), connected(false, "2024-01-02"));
        assert_eq!(idx.find(None, &name_key("ada\u{a0}lovelace"), None), connected(true, "2024-01-02"));
        assert_eq!(idx.find(None, "bo old", None), connected(true, "2019-05-01"));
        // A URL that matches nobody: only a URL-less connection may still be them.
        assert_eq!(idx.find(Some("https://www.linkedin.com/in/other"), "ada lovelace", None), Match::NotConnected);
        assert_eq!(idx.find(Some("https://www.linkedin.com/in/bo"), "bo old", None), connected(true, "2019-05-01"));
        assert_eq!(idx.find(None, "nobody", None), Match::NotConnected);
        let by_id = "https://www.linkedin.com/in/acoaab4xyz";
        assert_eq!(idx.find(Some(by_id), "ada lovelace", None), connected(true, "2024-01-02"), "a member-id URL");
    }

    #[test]
    fn two_connections_of_one_name_are_ambiguous() {
        let idx = index(&[
            (Some("https://www.linkedin.com/in/sam-1"), "Sam Lee", "2024-01-02"),
            (Some("https://www.linkedin.com/in/sam-2"), "Sam Lee", "2024-03-04"),
            (None, "Kim Park", "2019-01-01"),
            (None, "Kim Park", "2020-01-01"),
            (None, "Jo Doe", ""),
            (Some("https://www.linkedin.com/in/jo"), "Jo Doe", "2024-02-02"),
        ]);
        let Match::Ambiguous(c) = idx.find(None, "sam lee", None) else { panic!() };
        assert_eq!(
            c,
            [
                "Sam Lee <https://www.linkedin.com/in/sam-1> (connected 2024-01-02)",
                "Sam Lee <https://www.linkedin.com/in/sam-2> (connected 2024-03-04)"
            ]
        );
        assert!(matches!(idx.find(None, "kim park", None), Match::Ambiguous(_)));
        assert_eq!(
            idx.find(None, "jo doe", None),
            Match::Connected { connected_on: "2024-02-02".into(), by_name: true }
        );
    }

    #[test]
    fn a_connection_without_a_url_read_twice_is_one_connection() {
        let idx = index(&[(None, "Ravi Rao", "2018-01-01"), (None, "Ravi Rao", "2018-01-01")]);
        let one = Match::Connected { connected_on: "2018-01-01".into(), by_name: true };
        assert_eq!(idx.find(None, "ravi rao", Some("2019-01-20")), one, "one candidate: its day does not matter");
    }

    #[test]
    fn namesakes_are_told_apart_by_the_day_of_the_invitation() {
        let idx = index(&[
            (Some("https://www.linkedin.com/in/sam-1"), "Sam Lee", "2023-09-01"),
            (Some("https://www.linkedin.com/in/sam-2"), "Sam Lee", "2023-09-15"),
            (None, "Kim Park", "2019-01-01"),
            (None, "Kim Park", ""),
        ]);
        let connected = |on: &str| Match::Connected { connected_on: on.into(), by_name: true };
        // Made on or after the invitation's day (or the day before): that one accepted it.
        assert_eq!(idx.find(None, "sam lee", Some("2023-09-15T18:00:00Z")), connected("2023-09-15"), "same day");
        assert_eq!(idx.find(None, "sam lee", Some("2023-09-16")), connected("2023-09-15"), "a day's slack");
        assert_eq!(idx.find(None, "sam lee", Some("2023-08-20")), connected("2023-09-01"), "the first after it");
        assert_eq!(idx.find(None, "sam lee", Some("2023-09-10")), connected("2023-09-15"));
        // Both made before it: neither sent it.
        let Match::SomeoneElse(c) = idx.find(None, "sam lee", Some("2023-09-17")) else { panic!() };
        assert_eq!(c.len(), 2);
        // A connection of unknown day could be the one: still ambiguous.
        assert!(matches!(idx.find(None, "kim park", Some("2020-01-01")), Match::Ambiguous(_)));
        assert!(matches!(idx.find(None, "sam lee", Some("not a day")), Match::Ambiguous(_)));
    }
}
