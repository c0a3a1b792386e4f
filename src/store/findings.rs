//! Evidence as the store keeps it: each request's findings (`finding`), the campaign key of its
//! note (`campaign_key`), the user's outgoing invitations (`outgoing_invitation`) and the
//! fingerprint of the phrase lists the findings were made with, the rank of a silent request
//! without a rank row and each campaign's count of other senders (`evidence_state`). This
//! module is the one writer of those four tables. `no_note` is not stored: a request with an
//! empty message has it, and the readers put it back (after the red flags, as `evaluate` does).

use super::{Result, Store};
use crate::model::StoredFinding;
use rusqlite::{Connection, OptionalExtension, params};

pub(crate) use super::rows::NO_NOTE;
use super::rows::{FINDINGS_JSON, campaign_count_prefix, findings_from_json};

/// A request's findings, "no note" included (see [`findings_from_json`]).
pub(super) fn read_findings(conn: &Connection, request_id: i64) -> rusqlite::Result<Vec<StoredFinding>> {
    let row: Option<(Option<String>, String)> = conn
        .prepare_cached(&format!("SELECT {FINDINGS_JSON}, r.message FROM request r WHERE r.id = ?1"))?
        .query_row([request_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(row.map(|(json, message)| findings_from_json(json.as_deref(), &message)).unwrap_or_default())
}

/// The one writer of `finding`, and of `request.evidence` (the detectors' names, which the
/// `ev:` terms' indexes read): a request's findings become `findings` (`no_note` is left out:
/// it is the empty message). `fresh`: the request has none stored yet (a new import's
/// request), so nothing is deleted first.
pub(super) fn write_findings(
    tx: &Connection,
    request_id: i64,
    findings: &[StoredFinding],
    fresh: bool,
) -> rusqlite::Result<()> {
    if !fresh {
        tx.prepare_cached("DELETE FROM finding WHERE request_id = ?1")?.execute([request_id])?;
    }
    let mut names: Vec<&str> = findings.iter().map(|f| f.detector.as_str()).filter(|d| *d != NO_NOTE).collect();
    names.dedup();
    let names = names.join(",");
    if !(fresh && names.is_empty()) {
        tx.prepare_cached("UPDATE request SET evidence = ?2 WHERE id = ?1 AND evidence IS NOT ?2")?
            .execute(params![request_id, names])?;
    }
    let mut insert = None;
    for (seq, f) in findings.iter().filter(|f| f.detector != NO_NOTE).enumerate() {
        let stmt = match &mut insert {
            Some(s) => s,
            None => insert.insert(tx.prepare_cached(
                "INSERT INTO finding (request_id, seq, detector, item, answer, why, words, fact) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?),
        };
        let words = serde_json::to_string(&f.words).expect("strings serialise");
        stmt.execute(params![request_id, seq as i64, f.detector, f.item, f.answer, f.why, words, f.fact])?;
    }
    Ok(())
}

/// The one writer of `campaign_key`: the key of a request's note (`None`: no note, or a note
/// with nothing left once greetings, names and numbers are out).
pub(super) fn write_campaign_key(
    tx: &Connection,
    request_id: i64,
    key: Option<&str>,
    fresh: bool,
) -> rusqlite::Result<()> {
    match key {
        Some(key) => tx
            .prepare_cached(
                "INSERT INTO campaign_key (request_id, key) VALUES (?1, ?2) \
                 ON CONFLICT (request_id) DO UPDATE SET key = excluded.key WHERE key IS NOT excluded.key",
            )?
            .execute(params![request_id, key])?,
        None if fresh => 0,
        None => tx.prepare_cached("DELETE FROM campaign_key WHERE request_id = ?1")?.execute([request_id])?,
    };
    Ok(())
}

/// How many different people sent a note of campaign `key`.
pub(super) fn campaign_senders(conn: &Connection, key: &str) -> rusqlite::Result<u64> {
    conn.prepare_cached(
        "SELECT count(DISTINCT r.person_id) FROM campaign_key c JOIN request r ON r.id = c.request_id WHERE c.key = ?1",
    )?
    .query_row([key], |r| r.get::<_, i64>(0).map(|n| n as u64))
}

/// The campaign key of a request's note, if it has one.
pub(super) fn campaign_key_of(conn: &Connection, request_id: i64) -> rusqlite::Result<Option<String>> {
    use rusqlite::OptionalExtension;
    conn.prepare_cached("SELECT key FROM campaign_key WHERE request_id = ?1")?
        .query_row([request_id], |r| r.get(0))
        .optional()
}

/// The requests whose note has campaign `key`.
pub(super) fn campaign_requests(conn: &Connection, key: &str) -> rusqlite::Result<Vec<i64>> {
    conn.prepare_cached("SELECT request_id FROM campaign_key WHERE key = ?1")?.query_map([key], |r| r.get(0))?.collect()
}

/// The one writer of a campaign's count of other senders (the N its members' findings read,
/// in `evidence_state`): `None` when its senders make no campaign.
pub(super) fn write_campaign_count(tx: &Connection, key: &str, others: Option<u64>) -> rusqlite::Result<()> {
    let state = format!(concat!(campaign_count_prefix!(), "{}"), key);
    match others {
        Some(n) => write_state(tx, &state, &n.to_string()),
        None => tx.prepare_cached("DELETE FROM evidence_state WHERE key = ?1")?.execute([state]).map(|_| ()),
    }
}

/// Drops the count of every campaign no note holds any more (its notes' keys changed with the
/// phrase lists, or their senders were forgotten): a count is kept under the campaign's words.
pub(super) fn drop_unheld_campaign_counts(tx: &Connection) -> rusqlite::Result<()> {
    // A scan of `evidence_state`: a row per campaign and a few more, after each recount.
    tx.prepare_cached(
        "DELETE FROM evidence_state WHERE substr(key, 1, length(?1)) = ?1 \
         AND NOT EXISTS (SELECT 1 FROM campaign_key c WHERE c.key = substr(evidence_state.key, length(?1) + 1))",
    )?
    .execute([campaign_count_prefix!()])
    .map(|_| ())
}

/// The requests up to id `upto` whose note has campaign `key` and that a campaign's finding
/// is to be given (`campaign`: those without one, whose note does not vouch for itself) or
/// taken from (those with one).
pub(super) fn campaign_members_changing(
    conn: &Connection,
    key: &str,
    upto: i64,
    campaign: bool,
) -> rusqlite::Result<Vec<i64>> {
    let has = |d: &str| format!("instr(',' || r.evidence || ',', ',{d},') > 0");
    let which = if campaign {
        format!("NOT {} AND NOT {} AND NOT {}", has("campaign"), has("personal"), has("introduced"))
    } else {
        has("campaign")
    };
    conn.prepare_cached(&format!(
        "SELECT c.request_id FROM campaign_key c JOIN request r ON r.id = c.request_id \
         WHERE c.key = ?1 AND c.request_id <= ?2 AND {which}"
    ))?
    .query_map(params![key, upto], |r| r.get(0))?
    .collect()
}

/// The one writer of `outgoing_invitation`: the user invited this person (by normalised URL,
/// else the name as compared) on `sent_on` (`YYYY-MM-DD`, or '' when unknown). Returns
/// whether the row is new.
pub(super) fn add_outgoing(
    tx: &Connection,
    url: Option<&str>,
    name_key: &str,
    sent_on: &str,
) -> rusqlite::Result<bool> {
    tx.prepare_cached("INSERT OR IGNORE INTO outgoing_invitation (url, name_key, sent_on) VALUES (?1, ?2, ?3)")?
        .execute(params![url, name_key, sent_on])
        .map(|n| n > 0)
}

/// Forgets the outgoing invitations to a person (`vetted forget`): by URL, and by name the
/// rows without one (every row of the name when the person has no URL).
pub(super) fn forget_outgoing(tx: &Connection, url: Option<&str>, name_key: &str) -> rusqlite::Result<usize> {
    tx.execute(
        "DELETE FROM outgoing_invitation WHERE url = ?1 OR (name_key = ?2 AND (url IS NULL OR ?1 IS NULL))",
        params![url, name_key],
    )
}

/// The fingerprint of the phrase lists the stored findings were made with.
pub(super) fn fingerprint(conn: &Connection) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT value FROM evidence_state WHERE key = 'fingerprint'")?
        .query_row([], |r| r.get(0))
        .optional()
}

pub(super) fn write_fingerprint(tx: &Connection, fingerprint: &str) -> rusqlite::Result<()> {
    write_state(tx, "fingerprint", fingerprint)
}

fn write_state(tx: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO evidence_state (key, value) VALUES (?1, ?2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute([key, value])
    .map(|_| ())
}

/// The rank of a request without a note that has no rank row (`rows::RANK_OF_R`); undecided
/// when none is kept (a store no fresh pass has weighed: every rank then has its row).
pub(super) fn silent_rank(conn: &Connection) -> rusqlite::Result<u8> {
    let value: Option<String> = conn
        .prepare_cached("SELECT value FROM evidence_state WHERE key = 'silent_rank'")?
        .query_row([], |r| r.get(0))
        .optional()?;
    Ok(value.and_then(|v| v.parse().ok()).unwrap_or(crate::checklist::RANK_UNDECIDED))
}

/// Keeps `rank` as [`silent_rank`] (`answers::set_silent_rank`, which gives the rows that
/// relied on the old one their own first).
pub(super) fn write_silent_rank(tx: &Connection, rank: u8) -> rusqlite::Result<()> {
    write_state(tx, "silent_rank", &rank.to_string())
}

impl Store {
    /// A request's findings as plain data, red flags first, "no note" included.
    pub fn findings(&self, request_id: i64) -> Result<Vec<StoredFinding>> {
        read_findings(&self.conn, request_id).map_err(|e| self.err(e))
    }

    /// The fingerprint of the phrase lists the stored findings were made with (`None`: never
    /// evaluated, e.g. a store from before evidence).
    pub fn evidence_fingerprint(&self) -> Result<Option<String>> {
        fingerprint(&self.conn).map_err(|e| self.err(e))
    }
}
