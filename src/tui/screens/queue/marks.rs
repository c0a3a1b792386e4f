//! Marks and the decisions about all marked requests at once: `space`, `V` and `*` mark, a
//! decision key with marks opens one reason prompt for all of them, recorded in one
//! transaction with a shared batch id, each request with its own decision and answers.

use super::QueueScreen;
use crate::model::Verdict;
use crate::query::Query;
use crate::store::StoreError;
use crate::text;
use crate::tui::present::{hint_text, verdict_done};
use crate::tui::prompt::{Prompt, PromptKind};
use crate::tui::screens::{Ctx, Outcome};
use crate::tui::session::Step;

/// The most `*` marks at once.
pub const MARK_ALL_LIMIT: usize = 100_000;

impl QueueScreen {
    /// Marks the selected row (or unmarks it, `toggle`).
    pub(super) fn mark_selected(&mut self, toggle: bool) -> Outcome {
        let Some(row) = self.win.selected() else { return Outcome::warn("no request selected") };
        if toggle && self.marks.remove(&row.id).is_some() {
            return Outcome::clear();
        }
        self.marks.insert(row.id, row.status);
        Outcome::clear()
    }

    /// Marks the rows from `from` to the selection (both included) while `V` is on.
    pub(super) fn mark_passed(&mut self, from: usize) {
        if !self.marking_range {
            return;
        }
        let (lo, hi) = (from.min(self.win.sel), from.max(self.win.sel));
        for (row, _) in self.win.rows.iter().take(hi + 1).skip(lo) {
            self.marks.insert(row.id, row.status);
        }
    }

    /// Marks every pending request the filter matches (every page), or the whole queue.
    pub(super) fn mark_all(&mut self, ctx: &Ctx<'_>) -> Outcome {
        let all = Query::default();
        let query = self.win.search.as_ref().map_or(&all, |(_, q)| q);
        match ctx.store.ids_where(query, MARK_ALL_LIMIT) {
            Ok(ids) => {
                let found = ids.len();
                self.marks.extend(ids);
                let cut = if found == MARK_ALL_LIMIT { " (the most at once)" } else { "" };
                let what = if self.win.search.is_some() { "the filter matches" } else { "pending" };
                Outcome::info(format!("{found} marked: every request {what}{cut}; {} marked in all", self.marks.len()))
            }
            Err(e) => Outcome::error("cannot mark", e),
        }
    }

    /// One reason prompt for every marked request, prefilled with the hint they share, saying
    /// how many of them the decision goes against.
    pub(super) fn start_batch(&self, verdict: Verdict, ctx: &Ctx<'_>) -> Outcome {
        let ids: Vec<i64> = self.marks.keys().copied().collect();
        let against = match ctx.store.recommended_of(&ids) {
            Ok((accept, decline)) => match verdict {
                Verdict::Accept => decline,
                Verdict::Decline => accept,
                Verdict::Defer => 0,
            },
            Err(e) => return Outcome::error("cannot read the marked requests", e),
        };
        let against = (against > 0).then(|| format!("  ! {against} against the recommendation"));
        let subject = format!("{} {} marked requests", Self::verb(verdict), ids.len());
        let prompt = Prompt::new(PromptKind::Reason(verdict), &self.shared_hint())
            .about(&subject, against)
            .recalling(crate::tui::screens::recalled(ctx, verdict.status()));
        Outcome::open(prompt)
    }

    fn verb(verdict: Verdict) -> &'static str {
        match verdict {
            Verdict::Accept => "accept",
            Verdict::Decline => "decline",
            Verdict::Defer => "defer",
        }
    }

    /// The words of the hint every marked request shown has (when every marked one is shown),
    /// else of the filter's one hint term.
    fn shared_hint(&self) -> String {
        let shown: Vec<_> = self.win.rows.iter().filter(|(r, _)| self.marks.contains_key(&r.id)).collect();
        if shown.len() == self.marks.len()
            && let Some((first, _)) = shown.first()
            && let Some(h) = first.hints.iter().find(|h| shown.iter().all(|(r, _)| r.hints.contains(h)))
        {
            return hint_text(h);
        }
        let hints: Vec<&str> = self
            .win
            .search
            .iter()
            .flat_map(|(_, q)| &q.terms)
            .filter_map(|t| match t.kind {
                crate::query::TermKind::Hint(key) if !t.negated => Some(key),
                _ => None,
            })
            .collect();
        if let [key] = hints[..] { hint_text(key) } else { String::new() }
    }

    /// Records one decision for every marked request, in one transaction.
    pub(super) fn record_batch(
        &mut self,
        verdict: Verdict,
        reason: &str,
        until: Option<&str>,
        ctx: &mut Ctx<'_>,
    ) -> Outcome {
        let items: Vec<_> = self.marks.iter().map(|(id, seen)| (*id, *seen)).collect();
        match ctx.store.decide_batch(&items, verdict, reason, until) {
            Ok(batch) => {
                let size = batch.decisions.len() as u64;
                self.marks.clear();
                self.marking_range = false;
                let undo = ctx.undo_hint(" (", " them all)");
                let said =
                    format!("{} {size} requests together (batch {}): recorded{undo}", verdict_done(verdict), batch.id);
                match self.reload(ctx) {
                    Ok(()) => Outcome::info(said),
                    Err(e) => Outcome::error("cannot read the queue", e),
                }
                .with_step(Step::Batch { id: batch.id, verdict, size })
            }
            Err(e @ StoreError::BatchStale { id, .. }) => {
                // Decided elsewhere since it was marked: nothing recorded, that one unmarked.
                self.marks.remove(&id);
                let said =
                    format!("NOT recorded: {}; it is unmarked, the others stay marked", text::line(&e.to_string()));
                match self.reload(ctx) {
                    Ok(()) => Outcome::warn(said),
                    Err(e) => Outcome::error("cannot read the queue", e),
                }
            }
            Err(e) => Outcome::error("NOT recorded", e),
        }
    }
}
