//! People: the one writer of `person` (a new person from a request, and the details a later
//! request adds), and how an upsert finds a person by their key.

use super::schema;
use crate::model::NewRequest;
use rusqlite::{Connection, OptionalExtension, ToSql, Transaction};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

pub(super) fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// How an upsert finds a person by key. Normally through the key index; during a bulk import
/// into an empty store, that index is dropped (and rebuilt once at the end, a sort instead of
/// a million random inserts), and the people this import created are found through a map of
/// key hashes, each hit checked against the stored key.
#[derive(Debug, Default)]
pub(super) enum PersonIndex {
    #[default]
    Sql,
    Bulk {
        map: HashMap<u64, i64>,
        max: usize,
    },
}

impl PersonIndex {
    /// The map of a bulk import into an empty store, up to [`BULK_PEOPLE_MAX`] people (or
    /// fewer, asked by a test through the hidden `VETTED_TEST_BULK_PEOPLE_MAX`).
    pub(super) fn bulk() -> PersonIndex {
        let max = std::env::var("VETTED_TEST_BULK_PEOPLE_MAX").ok().and_then(|v| v.parse().ok());
        PersonIndex::Bulk { map: HashMap::new(), max: max.map_or(BULK_PEOPLE_MAX, |n: usize| n.min(BULK_PEOPLE_MAX)) }
    }

    /// Becomes the map of every stored person (to stand in for the key index while it is
    /// dropped); false when they are too many for it (then nothing changes).
    pub(super) fn load_all(&mut self, tx: &Connection) -> rusqlite::Result<bool> {
        if matches!(self, PersonIndex::Bulk { .. }) {
            return Ok(true);
        }
        let PersonIndex::Bulk { mut map, max } = PersonIndex::bulk() else { unreachable!("a map") };
        let people: i64 = tx.query_row("SELECT count(*) FROM person", [], |r| r.get(0))?;
        if people as usize >= max {
            return Ok(false);
        }
        map.reserve(people as usize);
        let mut stmt = tx.prepare("SELECT id, key FROM person")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let key: String = r.get(1)?;
            map.insert(key_hash(&key), r.get(0)?);
        }
        *self = PersonIndex::Bulk { map, max };
        Ok(true)
    }
}

/// The most people a bulk import finds through its map (a map of 4M slots, 68 MiB, never
/// doubled to 136): past it, through the key index, rebuilt then.
const BULK_PEOPLE_MAX: usize = 3_500_000;

fn key_hash(key: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    key.hash(&mut h);
    h.finish()
}

pub(super) fn find_person(
    tx: &Transaction<'_>,
    key: &str,
    people: &PersonIndex,
) -> rusqlite::Result<Option<(i64, bool)>> {
    let by_key = || {
        tx.prepare_cached("SELECT id, connected_on IS NOT NULL FROM person WHERE key = ?1")?
            .query_row([key], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
    };
    match people {
        PersonIndex::Sql => by_key(),
        PersonIndex::Bulk { map, .. } => match map.get(&key_hash(key)) {
            None => Ok(None),
            Some(&id) => {
                let (stored, connected): (String, bool) = tx
                    .prepare_cached("SELECT key, connected_on IS NOT NULL FROM person WHERE id = ?1")?
                    .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
                if stored == key { Ok(Some((id, connected))) } else { by_key() } // a hash collision: look it up
            }
        },
    }
}

/// Fills in what the store lacks about a known person, or what changed; never blanks out what
/// it knows. True when something was written.
pub(super) fn enrich_person(tx: &Transaction<'_>, id: i64, key: &str, req: &NewRequest) -> rusqlite::Result<bool> {
    // A LinkedIn row carries nothing beyond name and URL: no statement needed.
    let details = req.headline.is_some()
        || req.company.is_some()
        || req.location.is_some()
        || req.mutual_connections.is_some()
        || req.shared_groups.is_some()
        || req.introduced_by.is_some()
        || req.profile_url.as_ref().is_some_and(|url| url != key);
    if !details {
        return Ok(false);
    }
    let changed = tx
        .prepare_cached(
            "UPDATE person SET \
               profile_url = coalesce(:url, profile_url), headline = coalesce(:headline, headline), \
               company = coalesce(:company, company), location = coalesce(:location, location), \
               mutual_connections = coalesce(:mutual, mutual_connections), \
               shared_groups = coalesce(:groups, shared_groups), \
               introduced_by = coalesce(:introduced, introduced_by) \
             WHERE id = :id AND ( \
               (:url IS NOT NULL AND profile_url IS NOT :url) OR \
               (:headline IS NOT NULL AND headline IS NOT :headline) OR \
               (:company IS NOT NULL AND company IS NOT :company) OR \
               (:location IS NOT NULL AND location IS NOT :location) OR \
               (:mutual IS NOT NULL AND mutual_connections IS NOT :mutual) OR \
               (:groups IS NOT NULL AND shared_groups IS NOT :groups) OR \
               (:introduced IS NOT NULL AND introduced_by IS NOT :introduced))",
        )?
        .execute(Details::of(req).with(&[(":id", &id)]).as_slice())?;
    Ok(changed > 0)
}

/// Adds a person not in the store yet; returns their id.
pub(super) fn insert_person(
    tx: &Transaction<'_>,
    key: &str,
    req: &NewRequest,
    people: &mut PersonIndex,
) -> rusqlite::Result<i64> {
    let name = req.name.trim();
    let name_key = if req.profile_url.is_none() { crate::model::name_key(&req.name) } else { String::new() };
    tx.prepare_cached(
        "INSERT INTO person (key, name, profile_url, headline, company, location, \
           mutual_connections, shared_groups, introduced_by, name_key) \
         VALUES (:key, :name, :url, :headline, :company, :location, :mutual, :groups, :introduced, :name_key)",
    )?
    .execute(Details::of(req).with(&[(":key", &key), (":name", &name), (":name_key", &name_key)]).as_slice())?;
    let id = tx.last_insert_rowid();
    if let PersonIndex::Bulk { map, max } = people {
        map.insert(key_hash(key), id);
        if map.len() >= *max {
            // Memory stays bounded: the key index comes back now, and is kept up to date.
            tx.execute_batch(schema::PERSON_KEY_INDEX)?;
            *people = PersonIndex::Sql;
        }
    }
    Ok(id)
}

/// What a request says about its sender, as the person's columns take it (blank is none).
struct Details<'a> {
    url: Option<&'a str>,
    headline: Option<&'a str>,
    company: Option<&'a str>,
    location: Option<&'a str>,
    mutual: Option<i64>,
    groups: Option<&'a str>,
    introduced: Option<&'a str>,
}

impl<'a> Details<'a> {
    fn of(req: &'a NewRequest) -> Details<'a> {
        Details {
            url: non_empty(&req.profile_url),
            headline: non_empty(&req.headline),
            company: non_empty(&req.company),
            location: non_empty(&req.location),
            mutual: req.mutual_connections,
            groups: non_empty(&req.shared_groups),
            introduced: non_empty(&req.introduced_by),
        }
    }

    /// The named parameters (`:url`, `:headline`, …), with `more`.
    fn with<'p>(&'p self, more: &[(&'static str, &'p dyn ToSql)]) -> Vec<(&'static str, &'p dyn ToSql)> {
        let mut params: Vec<(&'static str, &dyn ToSql)> = vec![
            (":url", &self.url),
            (":headline", &self.headline),
            (":company", &self.company),
            (":location", &self.location),
            (":mutual", &self.mutual),
            (":groups", &self.groups),
            (":introduced", &self.introduced),
        ];
        params.extend_from_slice(more);
        params
    }
}
