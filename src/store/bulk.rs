//! Bulk writes: the indexes that take random inserts dropped while many rows go in, and built
//! again once they are in (a sort, several times faster than row by row), inside the same
//! transaction, so a store is never committed without them. Used by an import (into an empty
//! store from its first row, into a store that held requests once it has added many) and by a
//! device joining a sync folder.

use super::people::PersonIndex;
use super::schema;
use rusqlite::Connection;

/// The indexes a bulk write dropped, as their `CREATE` statements.
#[derive(Debug, Default)]
pub(super) struct Deferred(Vec<String>);

impl Deferred {
    /// Drops the indexes of [`schema::BULK_DEFERRED_INDEXES`] (`person_key` only when
    /// `map_people` and `people` can stand in for it: then it becomes a map of every stored
    /// person).
    pub(super) fn drop_indexes(
        tx: &Connection,
        people: &mut PersonIndex,
        map_people: bool,
    ) -> rusqlite::Result<Deferred> {
        let mut deferred = Vec::new();
        for name in schema::BULK_DEFERRED_INDEXES {
            if *name == "person_key" && !(map_people && people.load_all(tx)?) {
                continue;
            }
            let create: Option<String> = tx
                .prepare_cached("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?1")?
                .query_row([name], |r| r.get(0))
                .ok();
            if let Some(create) = create {
                tx.execute_batch(&format!("DROP INDEX {name}"))?;
                deferred.push(create);
            }
        }
        Ok(Deferred(deferred))
    }

    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Builds the dropped indexes again (one may be back already: a bulk import past its
    /// map of people); the people are then found through the key index.
    pub(super) fn build(&mut self, tx: &Connection, people: &mut PersonIndex) -> rusqlite::Result<()> {
        for create in std::mem::take(&mut self.0) {
            tx.execute_batch(&create.replacen(" INDEX ", " INDEX IF NOT EXISTS ", 1))?;
        }
        *people = PersonIndex::Sql;
        Ok(())
    }
}

/// For a real bulk write: switches to a rollback journal, in which the new pages go straight
/// into the database file (in WAL mode they are written to the WAL and then copied again at the
/// checkpoint: a whole store written twice). Still one atomic, durable transaction (a kill
/// leaves a hot journal that the next open rolls back). Only possible when no other connection
/// is open; then it returns false and the write stays in WAL mode.
pub(super) fn rollback_journal(conn: &Connection) -> rusqlite::Result<bool> {
    // Another process would make the switch wait for the busy timeout: ask once.
    conn.busy_timeout(std::time::Duration::ZERO)?;
    let mode = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get::<_, String>(0));
    conn.busy_timeout(super::BUSY_TIMEOUT)?;
    Ok(mode.is_ok_and(|m| m == "delete"))
}

/// Back to WAL after [`rollback_journal`]. Should another process hold the store now, this
/// process is done anyway: the next open switches it back.
pub(super) fn back_to_wal(conn: &Connection) {
    let _ = conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()));
}

pub(super) fn holds_no_request(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM request)", [], |r| r.get(0))
}

/// The new requests after which an import into a store holding `before` requests turns to
/// bulk writing: a tenth of the store, at least 50,000 (fewer cost less row by row than the
/// indexes built again over the whole store), or fewer, asked by a test through the hidden
/// `VETTED_TEST_BULK_AFTER`.
pub(super) fn bulk_after(before: i64) -> u64 {
    let asked = std::env::var("VETTED_TEST_BULK_AFTER").ok().and_then(|v| v.parse().ok());
    asked.unwrap_or((before.max(0) as u64 / 10).max(50_000))
}

/// Bytes of a source per request, at most (a LinkedIn row with its two profile URLs takes
/// about 190): the requests guessed from a source's size are rather too few than too many.
pub(super) const ROW_BYTES: u64 = 256;

/// Whether an import into a store that held requests turns to bulk writing at its `added`th
/// new request, `seen` rows read so far, from a source guessed to hold `expected` rows: at
/// `bulk_after`, or early, once a sixteenth of it is in (a sample: the new rows written one by
/// one until then cost more than a sort), when nearly all rows so far were new and the rest,
/// new at that rate, would reach `bulk_after`.
pub(super) fn bulk_now(added: u64, seen: u64, expected: u64, bulk_after: u64) -> bool {
    let sample = (bulk_after / 16).max(1);
    if added == bulk_after {
        return true;
    }
    added == sample
        && added.saturating_mul(10) >= seen.saturating_mul(9)
        && added.saturating_add(expected.saturating_sub(seen).saturating_mul(added) / seen.max(1)) >= bulk_after
}

/// Whether a source of `bytes` may bring at least `bulk_after` requests (then a store that
/// held requests is worth the rollback journal too).
pub(super) fn big(bytes: u64, bulk_after: u64) -> bool {
    bytes / ROW_BYTES >= bulk_after
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_big_source_of_new_rows_turns_to_bulk_after_a_sample_a_small_one_or_a_known_one_later() {
        // 1,000,000 rows of 190 bytes into a store of 1,000,000: bulk after 100,000 new rows,
        // or after the sample of 6,250 when they all were new.
        let (bulk_after, expected) = (100_000, 190_000_000 / ROW_BYTES);
        assert!(bulk_now(6_250, 6_250, expected, bulk_after), "all new: early");
        assert!(!bulk_now(6_249, 6_249, expected, bulk_after), "before the sample");
        assert!(!bulk_now(6_251, 6_251, expected, bulk_after), "decided at the sample only");
        assert!(!bulk_now(6_250, 12_000, expected, bulk_after), "half of the rows stored before");
        assert!(!bulk_now(6_250, 6_250, 50_000, bulk_after), "too few rows to come");
        assert!(!bulk_now(6_250, 6_250, 0, bulk_after), "a source of unknown size");
        assert!(bulk_now(100_000, 900_000, 0, bulk_after), "the tenth of the store, whatever was seen");
        assert!(bulk_now(1, 1, 0, 1), "a test's bulk from the first row");
        assert!(big(190_000_000, 100_000) && !big(1_000_000, 100_000));
    }
}
