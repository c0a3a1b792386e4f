//! Evidence written: the detectors run over the stored requests, in steps of a few thousand
//! rows, and each request's findings, campaign key and rank written where they changed. An
//! import runs a pass over what it brought (and what its connections and outgoing
//! invitations may change); a change of phrase lists runs one over the whole store.
//! [`Store::set_findings`] writes one request's findings.

use super::answers::{default_rank, read_answers, set_silent_rank, write_rank};
use super::evidence_around::Around;
use super::evidence_campaigns::{Seen, count_campaigns, insert_campaign, is_campaign, key_hash, vouched};
use super::evidence_fresh::{Evaluated, fresh_pass, nothing_stored_after};
use super::evidence_kept::KeptRows;
use super::findings::{
    add_outgoing, fingerprint, read_findings, write_campaign_key, write_findings, write_fingerprint,
};
use super::rows::{FINDINGS_JSON, RANK_OF_R, findings_from_json, no_note, stored};
use super::{ImportSink, Result, Store};
use crate::checklist::{Checklist, RANK_UNDECIDED};
use crate::evidence::{Context, Phrases, campaign_key, evaluate};
use crate::model::{Answers, StoredFinding, name_key};
use rusqlite::{Connection, params};
use std::collections::{BTreeSet, HashMap};

/// Rows read at a time (each holds its note, up to the field limit: a small step keeps a
/// restore of long notes within its memory budget).
const STEP: i64 = 256;

/// Which requests a pass evaluates.
#[derive(Debug, Default)]
struct Scope {
    /// Every request with a greater id (an import's new ones; 0: all of them).
    after: i64,
    /// Those have nothing stored yet (a bulk import into an empty store): no look-ups.
    fresh: bool,
    /// Also every earlier request with a note (connections arrived: a note may name one).
    notes: bool,
    /// Also every earlier request of these people (the user's invitation to them arrived).
    people: Vec<i64>,
    /// Also these earlier requests (a note that arrived for one stored without).
    requests: Vec<i64>,
    /// The rows the import kept as they arrived (a fresh pass reads them from here).
    kept: KeptRows,
}

/// One request as a pass reads it, with what is stored for it.
struct Stored {
    id: i64,
    name: String,
    url: Option<String>,
    message: String,
    findings: Vec<StoredFinding>,
    answers: Answers,
    rank: u8,
    key: Option<String>,
}

/// The query a pass reads its requests with, a step at a time (`?1`: the last id read, `?2`:
/// `scope.after`), and its condition on `r` alone (to count them).
fn pass_sql(scope: &Scope) -> (String, String) {
    let list = |ids: &[i64]| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let mut extra = vec!["0".to_string()];
    if scope.notes {
        extra.push("r.message <> ''".into());
    }
    if !scope.people.is_empty() {
        extra.push(format!("r.person_id IN ({})", list(&scope.people)));
    }
    if !scope.requests.is_empty() {
        extra.push(format!("r.id IN ({})", list(&scope.requests)));
    }
    let which = format!("(r.id > ?2 OR {})", extra.join(" OR "));
    let sql = format!(
        "SELECT r.id, p.name, p.profile_url, r.message, {FINDINGS_JSON}, \
         (SELECT json_group_object(a.item, json(CASE a.value WHEN 1 THEN 'true' ELSE 'false' END)) \
         FROM answer a WHERE a.request_id = r.id), {RANK_OF_R}, \
         (SELECT key FROM campaign_key c WHERE c.request_id = r.id) FROM request r JOIN person p ON p.id = r.person_id \
         WHERE r.id > ?1 AND {which} ORDER BY r.id LIMIT {STEP}"
    );
    (sql, which)
}

impl Scope {
    /// Only the requests after `after`, nothing else.
    fn only_after(&self) -> bool {
        !self.notes && self.people.is_empty() && self.requests.is_empty()
    }
}

/// Runs the detectors over the requests in `scope`, writing what changed, then counts the
/// campaigns of every note seen (across the whole store) and writes their findings. Requests
/// nothing is stored for yet take the shorter way (`evidence_fresh`).
fn pass(
    tx: &Connection,
    phrases: &Phrases,
    checklist: &Checklist,
    scope: Scope,
    progress: &mut dyn FnMut(u64, u64),
) -> rusqlite::Result<Evaluated> {
    // "Decline unless you know them": the rank of every silent request without a row, so
    // that they need none (those after a fresh pass's `after` have none yet).
    let silent = checklist.rank_with(&Answers::new(), &[no_note()]);
    set_silent_rank(tx, silent, if scope.fresh { scope.after } else { i64::MAX })?;
    if scope.fresh && scope.only_after() {
        return fresh_pass(tx, phrases, checklist, scope.after, scope.kept, progress);
    }
    let around = Around::load(tx)?;
    let (sql, which) = pass_sql(&scope);
    let total: i64 = tx.query_row(
        &format!("SELECT count(*) FROM request r WHERE {which} AND ?1 = ?1"),
        params![0, scope.after],
        |r| r.get(0),
    )?;
    let mut done = Evaluated::default();
    let mut campaigns: HashMap<u64, Seen> = HashMap::new();
    let mut last = 0i64;
    loop {
        let rows: Vec<Stored> = tx
            .prepare_cached(&sql)?
            .query_map(params![last, scope.after], |r| {
                let message: String = r.get(3)?;
                let answers: Option<String> = r.get(5)?;
                Ok(Stored {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    url: r.get(2)?,
                    findings: findings_from_json(r.get::<_, Option<String>>(4)?.as_deref(), &message),
                    message,
                    answers: answers.and_then(|a| serde_json::from_str(&a).ok()).unwrap_or_default(),
                    rank: r.get(6)?,
                    key: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let Some(end) = rows.last().map(|r| r.id) else { break };
        for row in rows {
            let (campaign, changed) = evaluate_one(tx, phrases, checklist, (&around, silent), row)?;
            if let Some((key, id, had_finding)) = campaign {
                let seen = campaigns.entry(key).or_insert(Seen { request: id, notes: 0, had_finding: false });
                seen.notes += 1;
                seen.had_finding |= had_finding;
            }
            done.requests += 1;
            done.changed += u64::from(changed);
        }
        last = end;
        progress(done.requests, total as u64);
    }
    done.changed += count_campaigns(tx, checklist, campaigns)?;
    Ok(done)
}

/// A note's campaign key as a pass saw it: the key's hash, the request, and whether it kept
/// a campaign finding.
type SeenKey = (u64, i64, bool);

/// Evaluates one request and writes what changed. Returns its campaign key's hash (with its
/// id and whether it kept a campaign finding), and whether its findings changed.
fn evaluate_one(
    tx: &Connection,
    phrases: &Phrases,
    checklist: &Checklist,
    (around, silent): (&Around, u8),
    row: Stored,
) -> rusqlite::Result<(Option<SeenKey>, bool)> {
    let ctx = Context {
        sender_name: &row.name,
        user_first_name: None,
        connections: &around.connections,
        invited_on: around.invited_on(row.url.as_deref(), &row.name),
    };
    let mut found: Vec<StoredFinding> = evaluate(phrases, &row.message, &ctx).iter().map(stored).collect();
    let key = (!row.message.trim().is_empty())
        .then(|| campaign_key(phrases, &row.message, &row.name, None))
        .filter(|k| !k.trim().is_empty());
    // A campaign's finding stays while the key does: the counts are made after the pass.
    let kept = row.findings.iter().find(|f| is_campaign(f)).filter(|_| key == row.key && !vouched(&found)).cloned();
    let had_finding = row.findings.iter().any(is_campaign);
    if let Some(c) = kept {
        insert_campaign(&mut found, c);
    }
    if key != row.key {
        write_campaign_key(tx, row.id, key.as_deref(), false)?;
    }
    let changed = found != row.findings;
    if changed {
        write_findings(tx, row.id, &found, false)?;
    }
    let rank = checklist.rank_with(&row.answers, &found);
    if rank != row.rank {
        let default = if row.message.is_empty() { silent } else { RANK_UNDECIDED };
        write_rank(tx, row.id, rank, default, false)?;
    }
    Ok((key.map(|k| (key_hash(&k), row.id, had_finding)), changed))
}

/// Replaces a request's findings and ranks it again by `checklist` from its answers and them.
pub(super) fn replace_findings(
    tx: &Connection,
    request_id: i64,
    findings: &[StoredFinding],
    checklist: &Checklist,
) -> rusqlite::Result<()> {
    write_findings(tx, request_id, findings, false)?;
    let all = read_findings(tx, request_id)?;
    let rank = checklist.rank_with(&read_answers(tx, request_id)?, &all);
    write_rank(tx, request_id, rank, default_rank(tx, request_id)?, false)
}

/// Weighs the requests after `after` (the shorter way when nothing is stored for them yet).
pub(super) fn pass_after(
    tx: &Connection,
    after: i64,
    phrases: &Phrases,
    checklist: &Checklist,
    progress: &mut dyn FnMut(u64, u64),
) -> rusqlite::Result<Evaluated> {
    let scope = Scope { after, fresh: nothing_stored_after(tx, after)?, ..Scope::default() };
    pass(tx, phrases, checklist, scope, progress)
}

impl Store {
    /// Sets a request's findings (`no_note` is the empty message itself: left out) and its
    /// rank by `checklist`, in one transaction. The importers and the re-evaluation write
    /// findings in bulk; this is for one request (the demo, tests).
    pub fn set_findings(&mut self, request_id: i64, findings: &[StoredFinding], checklist: &Checklist) -> Result<()> {
        self.request(request_id)?;
        self.transact(|tx| replace_findings(tx.sql(), request_id, findings, checklist).map_err(|e| tx.err(e)))
    }

    /// Whether the stored findings were made with other phrase lists than `phrases` (or
    /// never made): then [`Store::reevaluate`] makes them again.
    pub fn evidence_is_stale(&self, phrases: &Phrases) -> Result<bool> {
        Ok(self.evidence_fingerprint()?.as_deref() != Some(phrases.fingerprint().as_str()))
    }

    /// Evaluates the store again with `phrases` (after a change of lists: every request with
    /// a note; a store never evaluated: every request), ranking them by `checklist`, in one
    /// transaction; `progress(done, total)` after each step. Writes only what changed, and
    /// the lists' fingerprint.
    pub fn reevaluate(
        &mut self,
        phrases: &Phrases,
        checklist: &Checklist,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<Evaluated> {
        self.transact(|tx| {
            // The phrase lists speak only to notes: what no note, a name's hidden characters or
            // the user's invitation say stays. A store never weighed is weighed whole.
            let weighed = fingerprint(tx.sql()).map_err(|e| tx.err(e))?.is_some();
            let scope =
                if weighed { Scope { after: i64::MAX, notes: true, ..Scope::default() } } else { Scope::default() };
            let done = pass(tx.sql(), phrases, checklist, scope, progress).map_err(|e| tx.err(e))?;
            write_fingerprint(tx.sql(), &phrases.fingerprint()).map_err(|e| tx.err(e))?;
            Ok(done)
        })
    }

    /// Weighs the evidence of these requests (a hand-added one: `vetted add`) with `phrases`,
    /// ranking them by `checklist`, campaigns counted across the store; one transaction.
    pub fn weigh_requests(&mut self, ids: &[i64], phrases: &Phrases, checklist: &Checklist) -> Result<Evaluated> {
        let scope = Scope { after: i64::MAX, requests: ids.to_vec(), ..Scope::default() };
        self.transact(|tx| pass(tx.sql(), phrases, checklist, scope, &mut |_, _| ()).map_err(|e| tx.err(e)))
    }
}

impl Store {
    /// Evaluates the requests after `after` (those a sync brought) with `phrases`, ranking
    /// them by `checklist`, and counts the campaigns again, in one transaction;
    /// `progress(done, total)` after each step.
    pub fn evaluate_after(
        &mut self,
        after: i64,
        phrases: &Phrases,
        checklist: &Checklist,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<Evaluated> {
        self.transact(|tx| pass_after(tx.sql(), after, phrases, checklist, progress).map_err(|e| tx.err(e)))
    }

    /// The greatest request id (0: none): what a sync adds comes after it.
    pub fn last_request_id(&self) -> Result<i64> {
        self.conn.query_row("SELECT coalesce(max(id), 0) FROM request", [], |r| r.get(0)).map_err(|e| self.err(e))
    }
}

impl ImportSink<'_> {
    /// Keeps one of the user's own outgoing invitations (to `name`, at `url`, on `sent_on`:
    /// `YYYY-MM-DD` or '').
    pub fn add_outgoing(&mut self, url: Option<&str>, name: &str, sent_on: &str) -> Result<()> {
        let key = name_key(name);
        // The pass reads the new rows back when the user has invitations of their own.
        self.kept.give_up();
        let new = add_outgoing(&self.tx, url, &key, sent_on).map_err(|e| self.err(e))?;
        if new && !self.was_empty {
            self.outgoing.push((url.map(str::to_string), key));
        }
        Ok(())
    }

    /// The evidence of this import, in its transaction: its new requests evaluated, and the
    /// earlier ones its connections (notes that may name one) and outgoing invitations speak
    /// to; the whole store when the phrase lists changed since it was evaluated (or it never
    /// was). `progress(done, total)` after each step.
    pub fn evaluate_evidence(&mut self, phrases: &Phrases, progress: &mut dyn FnMut(u64, u64)) -> Result<Evaluated> {
        let current = fingerprint(&self.tx).map_err(|e| self.err(e))?;
        let stale = current.as_deref() != Some(phrases.fingerprint().as_str());
        let scope = if current.is_none() {
            // A restored backup holds answers and ranks: those are read, not taken as none.
            let fresh = nothing_stored_after(&self.tx, 0).map_err(|e| self.err(e))?;
            Scope { after: 0, fresh, kept: std::mem::take(&mut self.kept), ..Scope::default() }
        } else {
            let mut people = BTreeSet::new();
            for (url, key) in &self.outgoing {
                people.extend(
                    super::requests::people_like(&self.tx, url.as_deref(), key)
                        .map_err(|e| self.err(e))?
                        .into_iter()
                        .map(|p| p.0),
                );
            }
            // Other phrase lists speak only to notes (see `Store::reevaluate`).
            Scope {
                after: self.max_id_before,
                fresh: nothing_stored_after(&self.tx, self.max_id_before).map_err(|e| self.err(e))?,
                notes: self.connections_added || stale,
                people: people.into_iter().collect(),
                requests: std::mem::take(&mut self.enriched),
                kept: std::mem::take(&mut self.kept),
            }
        };
        let done = pass(&self.tx, phrases, self.checklist, scope, progress).map_err(|e| self.err(e))?;
        write_fingerprint(&self.tx, &phrases.fingerprint()).map_err(|e| self.err(e))?;
        Ok(done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::RANK_DECLINE;
    use crate::model::NewRequest;

    fn sales() -> StoredFinding {
        StoredFinding {
            detector: "sales".into(),
            item: Some("selling".into()),
            answer: true,
            why: "sales: ‘book a 15-minute call’".into(),
            words: vec!["book a 15-minute call".into()],
            fact: None,
        }
    }

    #[test]
    fn findings_are_kept_read_back_on_the_row_and_rank_the_request() {
        let mut store = Store::in_memory().unwrap();
        let new = |name: &str, message: &str| NewRequest {
            name: name.into(),
            message: message.into(),
            source: "manual".into(),
            ..Default::default()
        };
        let (pitch, _) = store.add_request(&new("Bo Seller", "Let's book a 15-minute call")).unwrap();
        let (silent, _) = store.add_request(&new("Cy Quiet", "")).unwrap();
        let checklist = Checklist::builtin();
        assert_eq!(store.rank(pitch).unwrap(), RANK_UNDECIDED);
        store.set_findings(pitch, &[sales()], &checklist).unwrap();
        assert_eq!(store.findings(pitch).unwrap(), [sales()]);
        assert_eq!(store.request(pitch).unwrap().findings, [sales()], "the row carries them");
        assert_eq!(store.rank(pitch).unwrap(), RANK_DECLINE);
        // The user's answer wins over the suggestion.
        store.set_answers(pitch, &[("selling", Some(false))], &checklist).unwrap();
        assert_eq!(store.rank(pitch).unwrap(), RANK_UNDECIDED);
        store.set_findings(pitch, &[], &checklist).unwrap();
        assert!(store.findings(pitch).unwrap().is_empty());
        // No note is the empty message itself: read back, never stored.
        let found = store.request(silent).unwrap().findings;
        assert_eq!(found.iter().map(|f| f.detector.as_str()).collect::<Vec<_>>(), ["no_note"]);
        assert_eq!(found[0].why, "no note: they did not say why");
        store.set_findings(silent, &[], &checklist).unwrap();
        assert_eq!(store.rank(silent).unwrap(), RANK_DECLINE, "decline unless you know them");
    }
}
