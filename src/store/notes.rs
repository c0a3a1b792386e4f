//! Profile notes, one text per person: the user's own (the app's editor), and what imports
//! add to them without ever overwriting the user's words.

use super::search_index::{reindex_person, watermark};
use super::{Result, Store, sqlite_err};
use crate::clock::now_stored;
use rusqlite::{Connection, OptionalExtension, params};

/// The one writer of `note`: replaces a person's notes; a blank text removes them.
pub(super) fn write_note(tx: &Connection, person_id: i64, body: &str) -> rusqlite::Result<()> {
    if body.trim().is_empty() {
        tx.prepare_cached("DELETE FROM note WHERE person_id = ?1")?.execute([person_id])?;
    } else {
        tx.prepare_cached(
            "INSERT INTO note (person_id, body, updated_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT (person_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
        )?
        .execute(params![person_id, body, now_stored()])?;
    }
    Ok(())
}

pub(super) fn read_note(conn: &Connection, person_id: i64) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT body FROM note WHERE person_id = ?1")?.query_row([person_id], |r| r.get(0)).optional()
}

/// Adds `text` to a person's notes unless they already hold it; the user's own notes are
/// never overwritten by an import. Returns whether anything changed.
pub(super) fn merge_note(tx: &Connection, person_id: i64, text: &str) -> rusqlite::Result<bool> {
    let body = match read_note(tx, person_id)? {
        Some(body) if body.contains(text) => return Ok(false),
        Some(body) if !body.trim().is_empty() => format!("{}\n\n{text}", body.trim_end()),
        _ => text.to_string(),
    };
    write_note(tx, person_id, &body)?;
    Ok(true)
}

impl Store {
    pub fn note(&self, person_id: i64) -> Result<Option<String>> {
        read_note(&self.conn, person_id).map_err(|e| self.err(e))
    }

    /// Replaces a person's notes and refreshes their requests in the search index, in one
    /// transaction.
    pub fn save_note(&mut self, person_id: i64, body: &str) -> Result<()> {
        let path = self.path.clone();
        let e = |err| sqlite_err(&path, err);
        let wm = watermark(&self.conn).map_err(e)?;
        self.transact(|tx| {
            write_note(tx.sql(), person_id, body).map_err(|e| tx.err(e))?;
            super::sync_record::record_note(tx.sql(), person_id, body).map_err(|e| tx.err(e))?;
            reindex_person(tx.sql(), person_id, wm).map_err(|e| tx.err(e))
        })
    }

    /// Replaces a person's notes, leaving the search index to catch up at its next step (as
    /// it does for notes another process wrote).
    pub fn set_note(&mut self, person_id: i64, body: &str) -> Result<()> {
        self.transact(|tx| {
            write_note(tx.sql(), person_id, body).map_err(|e| tx.err(e))?;
            super::sync_record::record_note(tx.sql(), person_id, body).map_err(|e| tx.err(e))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Answers, NewRequest};

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

        let checklist = crate::checklist::Checklist::builtin();
        store.set_answers(req, &[("selling", Some(true))], &checklist).unwrap();
        store.set_answers(req, &[("scam", Some(false))], &checklist).unwrap();
        store.set_answers(req, &[("selling", None)], &checklist).unwrap();
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
