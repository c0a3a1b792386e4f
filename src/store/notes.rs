//! Profile notes (per person) and checklist answers (per request).

use super::{Result, Store, now, sqlite_err};
use crate::model::Answers;
use rusqlite::{OptionalExtension, Transaction, params};

/// Adds `text` to a person's notes unless they already hold it; the user's own notes are
/// never overwritten by an import. Returns whether anything changed.
pub(super) fn merge_note(tx: &Transaction<'_>, person_id: i64, text: &str) -> rusqlite::Result<bool> {
    let current: Option<String> = tx
        .prepare_cached("SELECT body FROM note WHERE person_id = ?1")?
        .query_row([person_id], |r| r.get(0))
        .optional()?;
    let body = match current {
        Some(body) if body.contains(text) => return Ok(false),
        Some(body) if !body.trim().is_empty() => format!("{}\n\n{text}", body.trim_end()),
        _ => text.to_string(),
    };
    tx.prepare_cached(
        "INSERT INTO note (person_id, body, updated_at) VALUES (?1, ?2, ?3) \
         ON CONFLICT (person_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
    )?
    .execute(params![person_id, body, now()])?;
    Ok(true)
}

impl Store {
    pub fn note(&self, person_id: i64) -> Result<Option<String>> {
        self.conn
            .prepare_cached("SELECT body FROM note WHERE person_id = ?1")
            .and_then(|mut s| s.query_row([person_id], |r| r.get(0)).optional())
            .map_err(|e| self.err(e))
    }

    /// Replaces a person's notes (an empty text removes them).
    pub fn set_note(&mut self, person_id: i64, body: &str) -> Result<()> {
        let path = self.path.clone();
        let tx = self.write()?;
        let result = if body.trim().is_empty() {
            tx.execute("DELETE FROM note WHERE person_id = ?1", [person_id])
        } else {
            tx.execute(
                "INSERT INTO note (person_id, body, updated_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (person_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
                params![person_id, body, now()],
            )
        };
        result.map_err(|e| sqlite_err(&path, e))?;
        tx.commit().map_err(|e| sqlite_err(&path, e))
    }

    pub fn answers(&self, request_id: i64) -> Result<Answers> {
        self.conn
            .prepare_cached("SELECT item, value FROM answer WHERE request_id = ?1")
            .and_then(|mut s| s.query_map([request_id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
            .map_err(|e| self.err(e))
    }

    /// Sets one checklist answer: yes, no, or unknown (`None` removes it).
    pub fn set_answer(&mut self, request_id: i64, item: &str, value: Option<bool>) -> Result<()> {
        self.request(request_id)?;
        let path = self.path.clone();
        let tx = self.write()?;
        let result = match value {
            None => tx.execute("DELETE FROM answer WHERE request_id = ?1 AND item = ?2", params![request_id, item]),
            Some(v) => tx.execute(
                "INSERT INTO answer (request_id, item, value, updated_at) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (request_id, item) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                params![request_id, item, v, now()],
            ),
        };
        result.map_err(|e| sqlite_err(&path, e))?;
        tx.commit().map_err(|e| sqlite_err(&path, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NewRequest;

    #[test]
    fn notes_and_answers_round_trip() {
        let mut store = Store::in_memory().unwrap();
        let (req, _) = store
            .add_request(&NewRequest { name: "Di".into(), source: "manual".into(), ..Default::default() })
            .unwrap();
        let person = store.request(req).unwrap().person_id;
        assert_eq!(store.note(person).unwrap(), None);
        store.set_note(person, "line one\nline two").unwrap();
        assert_eq!(store.note(person).unwrap().as_deref(), Some("line one\nline two"));
        store.set_note(person, "  ").unwrap();
        assert_eq!(store.note(person).unwrap(), None);

        store.set_answer(req, "selling", Some(true)).unwrap();
        store.set_answer(req, "scam", Some(false)).unwrap();
        store.set_answer(req, "selling", None).unwrap();
        assert_eq!(store.answers(req).unwrap(), Answers::from([("scam".to_string(), false)]));
    }

    #[test]
    fn imported_notes_are_merged_never_overwritten() {
        let mut store = Store::in_memory().unwrap();
        let (req, _) = store
            .add_request(&NewRequest { name: "Di".into(), source: "manual".into(), ..Default::default() })
            .unwrap();
        let person = store.request(req).unwrap().person_id;
        store.set_note(person, "my own words").unwrap();
        let tx = store.write().unwrap();
        assert!(merge_note(&tx, person, "from a file").unwrap());
        assert!(!merge_note(&tx, person, "from a file").unwrap());
        tx.commit().unwrap();
        assert_eq!(store.note(person).unwrap().as_deref(), Some("my own words\n\nfrom a file"));
    }
}
