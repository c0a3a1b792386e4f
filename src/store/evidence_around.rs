//! What the evidence pass knows around the notes: the user's connections (a note may name
//! one) and outgoing invitations (the user invited this sender, and when).

use crate::evidence::Connections;
use crate::model::name_key;
use rusqlite::Connection;
use std::collections::HashMap;

/// What is known around the notes: the user's connections and outgoing invitations.
pub(super) struct Around {
    pub(super) connections: Connections,
    /// Invitation day by URL; by name for invitations without a URL; by name for all.
    by_url: HashMap<String, String>,
    by_name_unlinked: HashMap<String, String>,
    pub(super) by_name: HashMap<String, String>,
}

impl Around {
    pub(super) fn load(conn: &Connection) -> rusqlite::Result<Around> {
        let names: Vec<String> = conn
            .prepare("SELECT name FROM connection")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut around = Around {
            connections: Connections::new(names),
            by_url: HashMap::new(),
            by_name_unlinked: HashMap::new(),
            by_name: HashMap::new(),
        };
        // The earliest known day wins; an undated invitation only when none is dated.
        let keep = |map: &mut HashMap<String, String>, key: String, day: &str| {
            let old = map.entry(key).or_insert_with(|| day.to_string());
            if old.is_empty() || (!day.is_empty() && day < old.as_str()) {
                *old = day.to_string();
            }
        };
        let mut stmt = conn.prepare("SELECT url, name_key, sent_on FROM outgoing_invitation")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (url, name, day): (Option<String>, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
            match url {
                Some(url) => keep(&mut around.by_url, url, &day),
                None => keep(&mut around.by_name_unlinked, name.clone(), &day),
            }
            keep(&mut around.by_name, name, &day);
        }
        Ok(around)
    }

    /// The day the user invited this person (as `outgoing_invitation` is matched elsewhere:
    /// by URL, else by name when either side has none).
    pub(super) fn invited_on(&self, url: Option<&str>, name: &str) -> Option<&str> {
        if self.by_url.is_empty() && self.by_name.is_empty() {
            return None;
        }
        let key = name_key(name);
        match url {
            Some(url) => self.by_url.get(url).or_else(|| self.by_name_unlinked.get(&key)),
            None => self.by_name.get(&key),
        }
        .map(String::as_str)
    }
}
