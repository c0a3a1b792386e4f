//! The evidence of requests nothing is stored for yet (those an import or a sync just added):
//! no look-ups, the silent ones ranked by the silent rank (no row each), each request's
//! findings written once. A first
//! step writes the notes' campaign keys and counts each key's senders across the whole store;
//! the second weighs every request knowing its campaign, so no finding is written twice; the
//! older requests sharing a key with the new ones are updated last. While it runs it keeps one
//! entry per campaign key (a hash and a request id), never the notes or their findings.

use super::answers::write_rank;
use super::evidence_around::Around;
use super::evidence_campaigns::{CAMPAIGN_SENDERS, insert_campaign, key_hash, update_member, vouched};
use super::evidence_kept::{KeptRow, KeptRows};
use super::findings::{
    campaign_key_of, campaign_members_changing, campaign_senders, write_campaign_count, write_campaign_key,
    write_findings,
};
use super::rows::{no_note, stored};
use crate::checklist::{Checklist, RANK_UNDECIDED};
use crate::evidence::{Context, Finding, Phrases, campaign_key, evaluate};
use crate::model::{Answers, StoredFinding};
use rusqlite::{Connection, params};
use std::collections::HashMap;

/// What a pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Evaluated {
    /// Requests evaluated.
    pub requests: u64,
    /// Requests whose findings changed.
    pub changed: u64,
}

/// Rows read at a time (each holds its note, up to the field limit).
const STEP: i64 = 256;

/// Whether nothing of the evidence is stored for the requests after `after` (no finding, no
/// campaign key, no answer, no rank): then [`fresh_pass`] weighs them.
pub(super) fn nothing_stored_after(conn: &Connection, after: i64) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT NOT EXISTS (SELECT 1 FROM finding WHERE request_id > ?1) \
           AND NOT EXISTS (SELECT 1 FROM campaign_key WHERE request_id > ?1) \
           AND NOT EXISTS (SELECT 1 FROM answer WHERE request_id > ?1) \
           AND NOT EXISTS (SELECT 1 FROM review_rank WHERE request_id > ?1)",
        [after],
        |r| r.get(0),
    )
}

/// A campaign key the new notes hold: one request with it, how many new notes, and (once
/// counted) the campaign finding's N, when its senders make one.
struct Key {
    request: i64,
    notes: u32,
    want: Option<u64>,
    /// No other request holds it (the usual note): nothing to count or update.
    alone: bool,
}

/// One request as the pass reads it: id, sender's name and URL, note, campaign key.
type Row = (i64, String, Option<String>, String, Option<String>);

/// What the pass holds while it runs (the keys aside).
struct Pass<'a> {
    tx: &'a Connection,
    phrases: &'a Phrases,
    checklist: &'a Checklist,
    around: Around,
    /// The rank of a request without a note, given to them all at once.
    silent: u8,
    done: Evaluated,
}

/// Weighs every request after `after` (nothing stored for them: [`nothing_stored_after`]),
/// writing findings, campaign keys and ranks; `progress(done, total)` after each step. `kept`:
/// the rows the import kept as they arrived, read from there when they are all of those
/// worth weighing and no invitation of the user's can speak to a silent one.
pub(super) fn fresh_pass(
    tx: &Connection,
    phrases: &Phrases,
    checklist: &Checklist,
    after: i64,
    kept: KeptRows,
    progress: &mut dyn FnMut(u64, u64),
) -> rusqlite::Result<Evaluated> {
    // The silent requests have the silent rank without a row (`evidence_pass::pass` kept
    // it): the pass looks only at those whose sender's name or the user's invitation says more.
    let silent = checklist.rank_with(&Answers::new(), &[no_note()]);
    // The ids after `after` as the total while the pass runs (the new ones are in a row).
    let last_id: i64 = tx.query_row("SELECT coalesce(max(id), 0) FROM request", [], |r| r.get(0))?;
    let new_ids = (last_id - after).max(0) as u64;
    let mut pass = Pass { tx, phrases, checklist, around: Around::load(tx)?, silent, done: Evaluated::default() };
    let kept = kept.all_of(new_ids).filter(|_| pass.around.by_name.is_empty());
    let (mut keys, total, keyed) = match kept {
        Some(rows) => {
            let (keys, keyed) = pass.without_keys_kept(rows)?;
            (keys, new_ids, Some(keyed))
        }
        None => {
            let keys = pass.without_keys(after, new_ids, progress)?;
            let total = tx.query_row("SELECT count(*) FROM request WHERE id > ?1", [after], |r| r.get::<_, i64>(0))?;
            (keys, total as u64, None)
        }
    };
    count_senders(tx, &mut keys)?;
    let want: HashMap<u64, u64> = keys.iter().filter_map(|(h, k)| k.want.map(|n| (*h, n))).collect();
    match keyed {
        Some(rows) => rows.into_iter().try_for_each(|row| pass.weigh_in_campaign(row, &want))?,
        None => pass.with_keys(after, &want)?,
    }
    pass.done.requests = total;
    progress(total, total);
    pass.done.changed += update_older(tx, checklist, after, &keys)?;
    Ok(pass.done)
}

impl Pass<'_> {
    /// The first step, over the requests: writes the campaign key of every note (each key
    /// once in memory) and weighs the requests without one (the others wait for the count).
    /// Returns the keys.
    fn without_keys(
        &mut self,
        after: i64,
        total: u64,
        progress: &mut dyn FnMut(u64, u64),
    ) -> rusqlite::Result<HashMap<u64, Key>> {
        let worth = if self.around.by_name.is_empty() {
            "AND (r.message <> '' OR instr(r.hints, 'hidden_characters') > 0)"
        } else {
            ""
        };
        let sql = format!(
            "SELECT r.id, p.name, p.profile_url, r.message, NULL FROM request r JOIN person p ON p.id = r.person_id \
             WHERE r.id > ?1 {worth} ORDER BY r.id LIMIT {STEP}"
        );
        let mut keys: HashMap<u64, Key> = HashMap::new();
        let mut last = after;
        while let Some(rows) = self.step(&sql, last)? {
            last = rows.last().map_or(last, |r| r.0);
            for row in rows {
                self.first_look(row, &mut keys)?;
            }
            progress(((last - after) as u64).min(total), total);
        }
        Ok(keys)
    }

    /// The first step over the rows the import kept: as [`Pass::without_keys`], and gives
    /// back the rows with a campaign key for the second step.
    fn without_keys_kept(&mut self, rows: Vec<KeptRow>) -> rusqlite::Result<(HashMap<u64, Key>, Vec<Row>)> {
        let mut keys: HashMap<u64, Key> = HashMap::new();
        let mut keyed = Vec::new();
        for KeptRow { id, person, name, message } in rows {
            let name = match name {
                Some(name) => name,
                None => self
                    .tx
                    .prepare_cached("SELECT name FROM person WHERE id = ?1")?
                    .query_row([person], |r| r.get(0))?,
            };
            // No URL: it only finds the user's invitations, and there are none (`fresh_pass`).
            keyed.extend(self.first_look((id, name, None, message, None), &mut keys)?);
        }
        Ok((keys, keyed))
    }

    /// A request's first look: a note's campaign key is written (and counted in `keys`), and
    /// the row given back with it to be weighed once its campaign is counted; any other
    /// request is weighed now.
    fn first_look(&mut self, row: Row, keys: &mut HashMap<u64, Key>) -> rusqlite::Result<Option<Row>> {
        let (id, name, url, message, _) = row;
        let key = Some(&message)
            .filter(|m| !m.trim().is_empty())
            .map(|m| campaign_key(self.phrases, m, &name, None))
            .filter(|k| !k.trim().is_empty());
        let Some(key) = key else {
            self.weigh((id, name, url, message, None), None)?;
            return Ok(None);
        };
        write_campaign_key(self.tx, id, Some(&key), true)?;
        let new = Key { request: id, notes: 0, want: None, alone: false };
        keys.entry(key_hash(&key)).or_insert(new).notes += 1;
        Ok(Some((id, name, url, message, Some(key))))
    }

    /// Weighs a note with a campaign key, knowing its campaign's count (`want`, by key).
    fn weigh_in_campaign(&mut self, row: Row, want: &HashMap<u64, u64>) -> rusqlite::Result<()> {
        let campaign = row.4.as_deref().and_then(|k| want.get(&key_hash(k))).copied();
        self.weigh(row, campaign)
    }

    /// The second step, over the notes with a campaign key: weighed with their campaign.
    fn with_keys(&mut self, after: i64, want: &HashMap<u64, u64>) -> rusqlite::Result<()> {
        let sql = format!(
            "SELECT r.id, p.name, p.profile_url, r.message, c.key FROM campaign_key c \
             JOIN request r ON r.id = c.request_id JOIN person p ON p.id = r.person_id \
             WHERE c.request_id > ?1 ORDER BY c.request_id LIMIT {STEP}"
        );
        let mut last = after;
        while let Some(rows) = self.step(&sql, last)? {
            last = rows.last().map_or(last, |r| r.0);
            for row in rows {
                self.weigh_in_campaign(row, want)?;
            }
        }
        Ok(())
    }

    /// The next rows of `sql` after id `last`; `None` when there are no more.
    fn step(&self, sql: &str, last: i64) -> rusqlite::Result<Option<Vec<Row>>> {
        let rows: Vec<Row> = self
            .tx
            .prepare_cached(sql)?
            .query_map([last], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some(rows).filter(|r| !r.is_empty()))
    }

    /// Weighs one request and writes its findings and rank (`campaign`: the N of its
    /// campaign's finding, unless its note vouches for itself).
    fn weigh(&mut self, (id, name, url, message, _): Row, campaign: Option<u64>) -> rusqlite::Result<()> {
        let invited_on = self.around.invited_on(url.as_deref(), &name);
        // The rank it has without a row (`set_silent_rank`): only another needs one.
        let default = if message.is_empty() { self.silent } else { RANK_UNDECIDED };
        if message.is_empty() && invited_on.is_none() && !crate::text::has_hidden_characters(&name) {
            return Ok(()); // ranked with the silent ones
        }
        let connections = &self.around.connections;
        let ctx = Context { sender_name: &name, user_first_name: None, connections, invited_on };
        let mut found: Vec<StoredFinding> = evaluate(self.phrases, &message, &ctx).iter().map(stored).collect();
        if let Some(n) = campaign.filter(|_| !vouched(&found)) {
            insert_campaign(&mut found, stored(&Finding::campaign(n as usize)));
        }
        write_findings(self.tx, id, &found, true)?;
        let rank = self.checklist.rank_with(&Answers::new(), &found);
        if rank != default {
            write_rank(self.tx, id, rank, default, true)?;
        }
        self.done.changed += u64::from(!found.is_empty());
        Ok(())
    }
}

/// Each key's senders, counted by people across the whole store: the N of its campaign
/// finding, when there are enough.
fn count_senders(tx: &Connection, keys: &mut HashMap<u64, Key>) -> rusqlite::Result<()> {
    for k in keys.values_mut() {
        // A note of its own, written once: nobody else sent it.
        if k.notes == 1 && is_alone(tx, k.request)? {
            k.alone = true;
            continue;
        }
        let Some(key) = campaign_key_of(tx, k.request)? else { continue };
        let senders = campaign_senders(tx, &key)?;
        k.want = (senders >= CAMPAIGN_SENDERS).then(|| senders - 1);
    }
    Ok(())
}

/// Whether a request's campaign key is held by no other request.
fn is_alone(tx: &Connection, request: i64) -> rusqlite::Result<bool> {
    tx.prepare_cached(
        "SELECT NOT EXISTS (SELECT 1 FROM campaign_key c JOIN campaign_key o ON o.key = c.key \
         WHERE c.request_id = ?1 AND o.request_id != ?1)",
    )?
    .query_row(params![request], |r| r.get(0))
}

/// The older requests (up to `after`) sharing a key with the new notes: their campaign
/// finding follows the new count (kept once for the campaign). Returns how many gained or
/// lost one.
fn update_older(tx: &Connection, checklist: &Checklist, after: i64, keys: &HashMap<u64, Key>) -> rusqlite::Result<u64> {
    let mut changed = 0;
    for k in keys.values().filter(|k| !k.alone) {
        let Some(key) = campaign_key_of(tx, k.request)? else { continue };
        // The usual change, more senders of one campaign: its count, one row.
        write_campaign_count(tx, &key, k.want)?;
        // Those it makes or unmakes a campaign's: weighed again.
        for id in campaign_members_changing(tx, &key, after, k.want.is_some())? {
            changed += u64::from(update_member(tx, checklist, id, k.want)?);
        }
    }
    Ok(changed)
}
