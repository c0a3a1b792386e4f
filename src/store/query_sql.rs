//! A [`Query`] as SQL: the condition each term puts on a request (the queue, `--where`, the
//! groups) or on a decision (the log), with its parameters. The conditions name the tables as
//! the queries join them: `r` request, `p` person, `n` note (a LEFT JOIN), and in the log `d`
//! decision.

use super::answers::{RankSql, rank_sql};
use super::search_index::{FTS_NOTES_AT, Search, state, watermark};
use crate::query::{Query, TermKind};
use rusqlite::ToSql;
use rusqlite::types::Value;

/// What the conditions select.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    /// Requests (the log's terms are refused before: [`Query::for_requests`]).
    Requests,
    /// Decisions; on Declined (`declined_now`) every row is a decline, so `is:` is left out.
    Log { declined_now: bool },
}

/// The joins a request query needs for its text conditions.
pub(super) const NOTE_JOIN: &str = "LEFT JOIN note n ON n.person_id = r.person_id";

/// How many index candidates a request query starts from (then sorts into queue order) rather
/// than walking the queue in order and testing each row.
pub(super) const CANDIDATE_LIMIT: i64 = 20_000;

/// Conditions to append to a WHERE clause (`" AND (…)"` each) and their named parameters.
#[derive(Debug, Default)]
pub(super) struct Where {
    pub sql: String,
    params: Vec<(String, Value)>,
    /// True when a condition keeps only the search index's (few) candidates: the query should
    /// start from them (`+r.status`, so the queue index is not walked).
    pub from_candidates: bool,
    /// True when a condition reads the person or the notes (`p`, `n`): a text term.
    pub reads_people: bool,
    ranks: RankSql,
    /// A condition reads each request's rank whole (a `rec:` term of a rank requests without
    /// a row can have: their message is read), and none narrows by an index.
    scans_ranks: bool,
    narrowed: bool,
}

impl Where {
    fn param(&mut self, value: impl Into<Value>) -> String {
        let name = format!(":w{}", self.params.len());
        self.params.push((name.clone(), value.into()));
        name
    }

    /// The parameters, to bind with the statement's own.
    pub fn params(&self) -> impl Iterator<Item = (&str, &dyn ToSql)> {
        self.params.iter().map(|(k, v)| (k.as_str(), v as &dyn ToSql))
    }

    /// The joins a count of requests needs: none unless a condition reads the person or the
    /// notes (a count of an `ev:` or `hint:` term is then made from its index alone).
    pub fn count_joins(&self) -> String {
        if self.reads_people { format!("JOIN person p ON p.id = r.person_id {NOTE_JOIN}") } else { String::new() }
    }

    /// The request table of a query reading every match (a count, ids): when each request's
    /// rank is read whole and nothing narrows, the table in its own order, one pass (through
    /// the queue index, each row is read at random: 2.4 s against 0.36 s for a `rec:decline`
    /// count of 1M).
    pub fn request_table(&self) -> &'static str {
        if self.scans_ranks && !self.narrowed { "request r NOT INDEXED" } else { "request r" }
    }

    /// The status test of a request query: `+r.status` keeps SQLite from walking the queue
    /// index when the candidates are few.
    pub fn pending(&self) -> &'static str {
        if self.from_candidates { "+r.status = 'pending'" } else { "r.status = 'pending'" }
    }
}

fn like(text: &str) -> String {
    Search { text: text.to_string() }.like()
}

/// The conditions of every term of `query` for `target`, AND-ed; `ranks`: how this store
/// reads a request's rank (`rec:`).
pub(super) fn conditions(query: &Query, target: Target, ranks: RankSql) -> Where {
    let mut w = Where { ranks, ..Where::default() };
    for term in &query.terms {
        w.reads_people |= matches!(term.kind, TermKind::Text(_));
        w.narrowed |= !term.negated
            && matches!(
                term.kind,
                TermKind::Text(_)
                    | TermKind::Hint(_)
                    | TermKind::Evidence(_)
                    | TermKind::Age { .. }
                    | TermKind::Sent { .. }
                    | TermKind::MessageOf(_)
                    | TermKind::CampaignOf(_)
            );
        w.scans_ranks |= matches!(term.kind, TermKind::Rec(rec) if w.ranks.implicit(rec.rank()));
        let Some(cond) = condition(&term.kind, target, &mut w) else { continue };
        // A negated test is true where the term's is false or unknown (NULL).
        if term.negated {
            w.sql.push_str(&format!(" AND NOT coalesce(({cond}), 0)"));
        } else {
            w.sql.push_str(&format!(" AND ({cond})"));
        }
    }
    w
}

fn condition(kind: &TermKind, target: Target, w: &mut Where) -> Option<String> {
    let log = matches!(target, Target::Log { .. });
    Some(match kind {
        TermKind::Text(text) => {
            let p = w.param(like(text));
            let reason = if log { ["d.reason"].as_slice() } else { &[] };
            ["p.name", "p.headline", "p.company", "r.message", "n.body"]
                .iter()
                .chain(reason)
                .map(|f| format!("coalesce({f}, '') LIKE {p} ESCAPE '\\'"))
                .collect::<Vec<_>>()
                .join(" OR ")
        }
        // Spelled out, not a parameter: the same term as its partial index (migration 8), so
        // SQLite walks only the requests with that hint. `key` is one of the fixed hint keys.
        TermKind::Hint(key) => has_hint(key),
        // In the log: the evidence the decision was made on (a few findings per decision).
        TermKind::Evidence(d) if log => format!(
            "EXISTS (SELECT 1 FROM json_each(d.evidence) e WHERE json_extract(e.value, '$.detector') = '{}')",
            d.name()
        ),
        TermKind::Evidence(d) => has_evidence(d.name()),
        TermKind::Rec(rec) => w.ranks.is(rec.rank()),
        // In the log: the checklist as it was at the decision.
        TermKind::Check { key, answer } if log => {
            let path = w.param(format!("$.\"{key}\""));
            match answer {
                Some(true) => format!("json_type(d.answers, {path}) = 'true'"),
                Some(false) => format!("json_type(d.answers, {path}) = 'false'"),
                None => format!("json_type(d.answers, {path}) IS NULL"),
            }
        }
        TermKind::Check { key, answer } => {
            let item = w.param(key.clone());
            match answer {
                Some(v) => format!(
                    "EXISTS (SELECT 1 FROM answer a WHERE a.request_id = r.id AND a.item = {item} AND a.value = {})",
                    i64::from(*v)
                ),
                None => format!("NOT EXISTS (SELECT 1 FROM answer a WHERE a.request_id = r.id AND a.item = {item})"),
            }
        }
        TermKind::Age { older: true, cutoff } => format!("r.sent_at <> '' AND r.sent_at < {}", w.param(cutoff.clone())),
        TermKind::Age { older: false, cutoff } => format!("r.sent_at >= {}", w.param(cutoff.clone())),
        TermKind::Sent { from, until } => {
            format!("r.sent_at >= {} AND r.sent_at < {}", w.param(from.clone()), w.param(until.clone()))
        }
        TermKind::AskedAgain => "r.earlier_decline IS NOT NULL".into(),
        TermKind::Source(source) => format!("r.source = {} COLLATE NOCASE", w.param(source.clone())),
        TermKind::MessageOf(id) => {
            format!("r.message <> '' AND r.message = (SELECT m.message FROM request m WHERE m.id = {})", w.param(*id))
        }
        TermKind::CampaignOf(id) => format!(
            "r.id IN (SELECT c.request_id FROM campaign_key c WHERE c.key = \
             (SELECT k.key FROM campaign_key k WHERE k.request_id = {}))",
            w.param(*id)
        ),
        TermKind::Is(_) if target == (Target::Log { declined_now: true }) => return None,
        TermKind::Is(status) => format!("d.status = {}", w.param(status.as_str().to_string())),
        TermKind::Reason(text) => format!("d.reason LIKE {} ESCAPE '\\'", w.param(like(text))),
        TermKind::Since(at) => format!("d.decided_at >= {}", w.param(at.clone())),
        TermKind::Until(at) => format!("d.decided_at < {}", w.param(at.clone())),
    })
}

/// The longest text term the query needs (not negated), which the trigram indexes can narrow by.
pub(super) fn indexed_text(query: &Query, with_reasons: bool) -> Option<(&str, bool)> {
    query
        .terms
        .iter()
        .filter(|t| !t.negated)
        .filter_map(|t| match &t.kind {
            TermKind::Text(text) => Some((text.as_str(), true)),
            TermKind::Reason(text) if with_reasons => Some((text.as_str(), false)),
            _ => None,
        })
        .filter(|(text, _)| text.chars().count() >= crate::query::MIN_TEXT)
        .max_by_key(|(text, _)| text.chars().count())
}

/// The conditions of a request query; with a text term the index narrows to few candidates,
/// also the condition that keeps only them (and every row the index has not caught up with:
/// requests above its watermark, people whose notes changed since), so that the query starts
/// from them. The exact `LIKE` test stays: results are the same as a full scan's.
pub(super) fn request_conditions(conn: &rusqlite::Connection, query: &Query) -> rusqlite::Result<Where> {
    let mut w = conditions(query, Target::Requests, rank_sql(conn)?);
    let Some((text, _)) = indexed_text(query, false) else { return Ok(w) };
    let wm = watermark(conn)?;
    let max_id: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM request", [], |r| r.get(0))?;
    let backlog = max_id - wm;
    if backlog > CANDIDATE_LIMIT {
        return Ok(w);
    }
    let phrase = Search { text: text.to_string() }.fts_phrase();
    let indexed: i64 = conn
        .prepare_cached("SELECT count(*) FROM (SELECT rowid FROM request_fts WHERE request_fts MATCH ?1 LIMIT ?2)")?
        .query_row(rusqlite::params![phrase, CANDIDATE_LIMIT + 1], |r| r.get(0))?;
    if indexed + backlog > CANDIDATE_LIMIT {
        return Ok(w);
    }
    let notes_at = state(conn, FTS_NOTES_AT)?.unwrap_or_default();
    let (phrase, wm, notes_at) = (w.param(phrase), w.param(wm), w.param(notes_at));
    w.sql.push_str(&format!(
        " AND r.id IN (SELECT rowid FROM request_fts WHERE request_fts MATCH {phrase} \
           UNION ALL SELECT id FROM request WHERE id > {wm} \
           UNION ALL SELECT x.id FROM request x WHERE x.person_id IN \
             (SELECT person_id FROM note WHERE updated_at > {notes_at}))"
    ));
    w.from_candidates = true;
    Ok(w)
}

/// The condition "request `r` has hint `key`", spelled out as its partial index spells it
/// (migration 8) so that SQLite walks only the pending requests with that hint. `key` is one
/// of the fixed hint keys of `crate::hint`, never user text.
pub(super) fn has_hint(key: &str) -> String {
    format!("instr(',' || r.hints || ',', ',{key},') > 0")
}

/// The condition "request `r` has a finding of `detector`", spelled out as its partial index
/// spells it (migrations 13 and 15) so that SQLite walks only the pending requests with it.
/// `detector` is a detector's fixed name, never user text.
pub(super) fn has_evidence(detector: &str) -> String {
    format!("r.evidence <> '' AND instr(',' || r.evidence || ',', ',{detector},') > 0")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::Detector;
    use crate::store::Store;

    #[test]
    fn each_ev_term_walks_its_own_partial_index() {
        let store = Store::in_memory().unwrap();
        for d in Detector::ALL.into_iter().filter(|d| *d != Detector::NoNote) {
            let sql = format!(
                "SELECT r.id FROM request r JOIN person p ON p.id = r.person_id {NOTE_JOIN} \
                 WHERE r.status = 'pending' AND ({}) ORDER BY r.sent_at, r.id LIMIT 50",
                has_evidence(d.name())
            );
            let plan = store.query_plan(&sql, []);
            let index = format!("INDEX request_ev_{} ", d.name());
            assert!(plan.iter().any(|p| p.contains(&index)), "{}: {plan:?}", d.name());
        }
    }
}
