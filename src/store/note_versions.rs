//! Every text a person's note had on a device that syncs (`sync_note_version`), and which of
//! them were written beside one another rather than over one another: a note edited on two
//! devices before either saw the other's text keeps both, the later shown and the other
//! offered beside it until the user writes the note again.

use super::{Result, Store};
use crate::sync::Hlc;
use rusqlite::{Connection, params};
use std::collections::HashSet;

/// A text of a person's note that the one shown did not replace: written on `device` at
/// `written_at` beside it. An empty `text` is a note cleared there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherNote {
    pub device: String,
    pub written_at: jiff::Timestamp,
    pub text: String,
}

struct Version {
    hlc: Hlc,
    text: String,
    replaces: Vec<Hlc>,
}

/// The one writer of `sync_note_version`: keeps one text a person's note had, with the
/// stamps of the texts it was written over.
pub(super) fn keep(tx: &Connection, person_id: i64, hlc: &Hlc, text: &str, replaces: &[Hlc]) -> rusqlite::Result<()> {
    let replaces = serde_json::to_string(replaces).unwrap_or_else(|_| "[]".into());
    tx.prepare_cached(
        "INSERT OR IGNORE INTO sync_note_version (person_id, wall, counter, device, body, replaces) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![person_id, hlc.wall_ms as i64, hlc.counter, hlc.device, text, replaces])?;
    Ok(())
}

fn versions(conn: &Connection, person_id: i64) -> rusqlite::Result<Vec<Version>> {
    let mut stmt = conn.prepare_cached(
        "SELECT wall, counter, device, body, replaces FROM sync_note_version WHERE person_id = ?1 \
         ORDER BY wall, counter, device",
    )?;
    let rows = stmt.query_map([person_id], |r| {
        let replaces: String = r.get(4)?;
        Ok(Version {
            hlc: Hlc { wall_ms: r.get::<_, i64>(0)? as u64, counter: r.get(1)?, device: r.get(2)? },
            text: r.get(3)?,
            // A list this store wrote itself; unreadable, it replaces nothing (shown, not lost).
            replaces: serde_json::from_str(&replaces).unwrap_or_default(),
        })
    })?;
    rows.collect()
}

/// The texts no other text was written over, oldest first: one when every device saw the
/// last edit before writing, more when two wrote beside each other.
fn heads(all: Vec<Version>) -> Vec<Version> {
    let replaced: HashSet<Hlc> = all.iter().flat_map(|v| v.replaces.iter().cloned()).collect();
    all.into_iter().filter(|v| !replaced.contains(&v.hlc)).collect()
}

/// What a new text of the note is written over: every text this store shows or offers now.
pub(super) fn current_heads(conn: &Connection, person_id: i64) -> rusqlite::Result<Vec<Hlc>> {
    Ok(heads(versions(conn, person_id)?).into_iter().map(|v| v.hlc).collect())
}

fn at_ms(ms: u64) -> jiff::Timestamp {
    jiff::Timestamp::from_millisecond(i64::try_from(ms).unwrap_or(i64::MAX)).unwrap_or(jiff::Timestamp::MAX)
}

impl Store {
    /// The texts of a person's note written on another device beside the one shown (not
    /// over it), latest first; empty when the note has one current text (always, without sync).
    pub fn other_notes(&self, person_id: i64) -> Result<Vec<OtherNote>> {
        let mut heads = heads(versions(&self.conn, person_id).map_err(|e| self.err(e))?);
        let Some(shown) = heads.pop() else { return Ok(Vec::new()) };
        Ok(heads
            .into_iter()
            .rev()
            .filter(|v| v.text.trim() != shown.text.trim())
            .map(|v| OtherNote { device: v.hlc.device, written_at: at_ms(v.hlc.wall_ms), text: v.text })
            .collect())
    }
}
