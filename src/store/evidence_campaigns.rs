//! Campaigns: one note sent by several people ("same campaign as N other senders"), counted
//! by people across the whole store once a pass has written the keys of the notes it weighed.

use super::answers::{default_rank, read_answers, write_rank};
use super::findings::{
    campaign_key_of, campaign_requests, campaign_senders, drop_unheld_campaign_counts, read_findings,
    write_campaign_count, write_findings,
};
use super::rows::stored;
use crate::checklist::Checklist;
use crate::evidence::Finding;
use crate::model::StoredFinding;
use rusqlite::Connection;
use std::collections::HashMap;

/// Red flags a campaign finding goes after (`evaluate` puts red flags first).
pub(super) fn insert_campaign(findings: &mut Vec<StoredFinding>, campaign: StoredFinding) {
    let at = findings.iter().rposition(|f| ["scam", "sales", "stock", "collector"].contains(&f.detector.as_str()));
    findings.insert(at.map_or(0, |i| i + 1), campaign);
}

pub(super) fn is_campaign(f: &StoredFinding) -> bool {
    f.detector == "campaign"
}

/// A note with a reason of its own or naming the user's connection is never called a
/// campaign's, however alike friends write.
pub(super) fn vouched(findings: &[StoredFinding]) -> bool {
    findings.iter().any(|f| f.detector == "personal" || f.detector == "introduced")
}

/// The fewest senders of one note that make a campaign.
pub(super) const CAMPAIGN_SENDERS: u64 = 3;

/// A campaign key as the pass keeps it while it runs: a hash, not the text (a 40,000-note
/// import held every key's text and a list of its requests).
pub(super) fn key_hash(key: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    key.hash(&mut h);
    h.finish()
}

/// The notes of one campaign key the pass evaluated: one of them (to read the key back),
/// and whether any kept a campaign finding.
#[derive(Clone, Copy)]
pub(super) struct Seen {
    pub(super) request: i64,
    pub(super) notes: u32,
    pub(super) had_finding: bool,
}

/// The campaign finding of every request sharing a key with the notes just evaluated:
/// "same campaign as N other senders" when at least [`CAMPAIGN_SENDERS`] people sent it,
/// counted across every import, never on a note that vouches for itself ([`vouched`]).
/// Returns how many requests' findings changed.
pub(super) fn count_campaigns(
    tx: &Connection,
    checklist: &Checklist,
    campaigns: HashMap<u64, Seen>,
) -> rusqlite::Result<u64> {
    let mut changed = 0;
    for seen in campaigns.into_values() {
        let Some(key) = campaign_key_of(tx, seen.request)? else { continue };
        let senders = campaign_senders(tx, &key)?;
        // The usual case: a note of its own, evaluated just now, with no campaign finding.
        if senders == 1 && seen.notes == 1 && !seen.had_finding {
            continue;
        }
        changed += recount(tx, checklist, &key, senders)?;
    }
    drop_unheld_campaign_counts(tx)?;
    Ok(changed)
}

/// The campaign finding of every request whose note has `key`, sent by `senders` people.
/// Returns how many requests' findings changed.
pub(super) fn recount(tx: &Connection, checklist: &Checklist, key: &str, senders: u64) -> rusqlite::Result<u64> {
    let want = (senders >= CAMPAIGN_SENDERS).then(|| senders - 1);
    write_campaign_count(tx, key, want)?;
    let mut changed = 0;
    for id in campaign_requests(tx, key)? {
        changed += u64::from(update_member(tx, checklist, id, want)?);
    }
    Ok(changed)
}

/// After people left the store (`forget`): the campaigns their notes were in, counted again
/// over who is left. `keys`: the campaign keys of the notes that went.
pub(super) fn recount_after_leaving(tx: &Connection, checklist: &Checklist, keys: &[String]) -> rusqlite::Result<()> {
    for key in keys {
        recount(tx, checklist, key, campaign_senders(tx, key)?)?;
    }
    drop_unheld_campaign_counts(tx)
}

/// Gives a stored request the campaign finding of `want` other senders (`None`: none), unless
/// its note vouches for itself, and ranks it again. Returns whether its findings changed.
pub(super) fn update_member(
    tx: &Connection,
    checklist: &Checklist,
    id: i64,
    want: Option<u64>,
) -> rusqlite::Result<bool> {
    let mut findings = read_findings(tx, id)?;
    let had = findings.iter().find(|f| is_campaign(f)).and_then(|f| f.fact.clone());
    let want = want.filter(|_| !vouched(&findings)).map(|n| n.to_string());
    if had == want {
        return Ok(false);
    }
    findings.retain(|f| !is_campaign(f));
    if let Some(n) = &want {
        insert_campaign(&mut findings, stored(&Finding::campaign(n.parse().unwrap_or(0))));
    }
    write_findings(tx, id, &findings, false)?;
    let rank = checklist.rank_with(&read_answers(tx, id)?, &findings);
    write_rank(tx, id, rank, default_rank(tx, id)?, false)?;
    Ok(true)
}
