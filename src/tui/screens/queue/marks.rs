//! Marks and the decisions about all marked requests at once: `space`, `V` and `*` mark, a
//! decision key with marks opens one reason prompt for all of them, recorded in one
//! transaction with a shared batch id, each request with its own decision and answers.

use super::QueueScreen;
use crate::hint;
use crate::model::{BATCH_CONFIRM_ABOVE, Verdict};
use crate::query::Query;
use crate::store::StoreError;
use crate::text;
use crate::tui::action::Action;
use crate::tui::present::{hint_text, thousands, verdict_done};
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

    /// One reason prompt for every marked request, prefilled with the hint all of them share,
    /// saying how many of them the decision goes against and how many lie outside the filter.
    pub(super) fn start_batch(&mut self, verdict: Verdict, ctx: &Ctx<'_>) -> Outcome {
        self.confirming = None;
        let ids: Vec<i64> = self.marks.keys().copied().collect();
        let against = match ctx.store.recommended_of(&ids) {
            Ok((accept, decline)) => match verdict {
                Verdict::Accept => decline,
                Verdict::Decline => accept,
                Verdict::Defer => 0,
            },
            Err(e) => return Outcome::error("cannot read the marked requests", e),
        };
        let hints = match ctx.store.hints_of(&ids) {
            Ok(hints) => hints,
            Err(e) => return Outcome::error("cannot read the marked requests", e),
        };
        // Marks survive a change of filter: the prompt says how many the filter does not show.
        let outside = match &self.win.search {
            Some((_, query)) => match ctx.store.count_where_among(query, &ids) {
                Ok(inside) => (ids.len() as u64).saturating_sub(inside),
                Err(e) => return Outcome::error("cannot read the marked requests", e),
            },
            None => 0,
        };
        let mut said = Vec::new();
        if outside > 0 {
            said.push(format!("{} outside the filter", thousands(outside)));
        }
        if against > 0 {
            said.push(format!("{} against the recommendation", thousands(against)));
        }
        let said = (!said.is_empty()).then(|| format!("  ! {}", said.join(" · ")));
        let subject = format!("{} {} marked requests", Self::verb(verdict), thousands(ids.len() as u64));
        let prompt = Prompt::new(PromptKind::Reason(verdict), &shared_hint(&hints))
            .about(&subject, said)
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

    /// A batch over [`BATCH_CONFIRM_ABOVE`] requests, or one that is the whole queue, asks once
    /// more: how many, and how many carry a red flag (a hint, or a finding of the evidence:
    /// sales, scam, collector, stock text, campaign). `None`: record it now.
    fn ask_again(&mut self, verdict: Verdict, reason: &str, until: Option<&str>, ctx: &Ctx<'_>) -> Option<Outcome> {
        let n = self.marks.len();
        let whole = n > 1 && ctx.pending.is_some_and(|p| p == n as u64);
        // Asked about exactly this: the same decision, reason, day to come back and count.
        let asked = (verdict, format!("{reason}\n{}", until.unwrap_or_default()), n);
        if (n <= BATCH_CONFIRM_ABOVE && !whole) || self.confirming.as_ref() == Some(&asked) {
            return None;
        }
        let ids: Vec<i64> = self.marks.keys().copied().collect();
        let (hints, found) = match ctx.store.hints_of(&ids).and_then(|h| Ok((h, ctx.store.evidence_of(&ids)?))) {
            Ok(both) => both,
            Err(e) => return Some(Outcome::error("cannot read the marked requests", e)),
        };
        self.confirming = Some(asked);
        let count = thousands(n as u64);
        let what = if whole {
            format!("{} all {count} pending requests (the whole queue)", Self::verb(verdict))
        } else {
            format!("{} {count} requests at once", Self::verb(verdict))
        };
        // The question and its keys first: a narrow notice line cuts the details, not them.
        let (flagged, by_hint) = red_flags(&hints, &found);
        let flags = match flagged {
            0 => "none with a red flag".to_string(),
            1 => "1 with a red flag".to_string(),
            n => format!("{} with red flags", thousands(n)),
        };
        let (enter, esc) = (ctx.key(Action::Confirm), ctx.key(Action::Cancel));
        let each = if by_hint.is_empty() { String::new() } else { format!(" · {by_hint}") };
        Some(
            Outcome::warn(format!("{what}, {flags}? {enter} again records all {count}, {esc} cancels{each}"))
                .keeping_prompt(),
        )
    }

    /// Records one decision for every marked request, in one transaction.
    pub(super) fn record_batch(
        &mut self,
        verdict: Verdict,
        reason: &str,
        until: Option<&str>,
        ctx: &mut Ctx<'_>,
    ) -> Outcome {
        if let Some(asking) = self.ask_again(verdict, reason, until, ctx) {
            return asking;
        }
        self.confirming = None;
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

/// The words of the hint every one of these requests has (the prefill of their reason), else
/// nothing: never a hint only some of them have.
fn shared_hint(hints: &[(i64, Vec<String>)]) -> String {
    let Some((_, first)) = hints.first() else { return String::new() };
    first.iter().find(|h| hints.iter().all(|(_, hs)| hs.contains(h))).map(|h| hint_text(h)).unwrap_or_default()
}

/// How many of the marked requests carry a red flag (a red-flag hint or a red-flag finding;
/// `found`: each request's detectors), and how many each hint and detector, as query terms.
fn red_flags(hints: &[(i64, Vec<String>)], found: &[(i64, Vec<String>)]) -> (u64, String) {
    let flag_names: Vec<(&str, &str)> =
        hint::ALL.iter().filter(|h| h.key != hint::NO_MESSAGE).map(|h| (h.name, h.key)).collect();
    let red = |d: &str| crate::evidence::Detector::parse(d).is_some_and(crate::evidence::Detector::is_red_flag);
    let mut flagged: std::collections::BTreeSet<i64> = hints
        .iter()
        .filter(|(_, hs)| hs.iter().any(|h| flag_names.iter().any(|(_, k)| k == h)))
        .map(|(id, _)| *id)
        .collect();
    flagged.extend(found.iter().filter(|(_, ds)| ds.iter().any(|d| red(d))).map(|(id, _)| *id));
    let mut each: Vec<String> = flag_names
        .iter()
        .filter_map(|(name, key)| {
            let n = hints.iter().filter(|(_, hs)| hs.iter().any(|h| h == key)).count();
            (n > 0).then(|| format!("hint:{name} {}", thousands(n as u64)))
        })
        .collect();
    each.extend(crate::evidence::Detector::ALL.iter().filter(|d| d.is_red_flag()).filter_map(|d| {
        let n = found.iter().filter(|(_, ds)| ds.iter().any(|x| x == d.name())).count();
        (n > 0).then(|| format!("ev:{} {}", d.name(), thousands(n as u64)))
    }));
    (flagged.len() as u64, each.join(", "))
}
