//! Deciding about the selected request: the reason prompt (prefilled from the checklist, or
//! with the earlier verdict about the person), and recording what it holds, refused when the
//! request was decided elsewhere since it was drawn.

use super::QueueScreen;
use crate::model::{Status, Verdict};
use crate::store::StoreError;
use crate::text;
use crate::tui::action::Action;
use crate::tui::present::verdict_done;
use crate::tui::prompt::{Prompt, PromptKind};
use crate::tui::screens::{Ctx, Outcome};
use crate::tui::session::{SessionEntry, Step};

impl QueueScreen {
    pub(super) fn start_decision(&self, verdict: Verdict, ctx: &Ctx<'_>) -> Outcome {
        let Some(current) = &self.current else { return Outcome::warn("no request selected") };
        // The strongest finding the answers agree with, quoted: the sender's words, gated.
        let prefill = ctx.checklist.reason_with(verdict, &current.answers, &current.row.findings);
        let prefill = text::line(&prefill);
        Outcome::open(self.reason_prompt(verdict, &prefill, ctx))
    }

    /// The reason prompt about the selected request: going against the guide's
    /// recommendation is allowed, and said, with its why.
    fn reason_prompt(&self, verdict: Verdict, text: &str, ctx: &Ctx<'_>) -> Prompt {
        let prompt = Prompt::new(PromptKind::Reason(verdict), text)
            .recalling(crate::tui::screens::recalled(ctx, verdict.status()));
        let Some(c) = &self.current else { return prompt };
        let rec = ctx.checklist.recommend_with(&c.answers, &c.row.findings);
        let opposite = matches!(
            (verdict, rec.verdict),
            (Verdict::Accept, Some(Verdict::Decline)) | (Verdict::Decline, Some(Verdict::Accept))
        );
        let against = opposite.then(|| format!("  ! against the recommendation ({})", text::line(&rec.why)));
        prompt.about(&c.row.name, against)
    }

    pub(super) fn repeat_earlier(&self, ctx: &Ctx<'_>) -> Outcome {
        let Some(earlier) = self.earlier_decision() else {
            return Outcome::warn("nothing to repeat: no earlier decision about this person");
        };
        let verdict = match earlier.decision {
            Status::Accepted => Verdict::Accept,
            Status::Declined => Verdict::Decline,
            _ => Verdict::Defer,
        };
        let day = crate::clock::local_day(&earlier.decided_at, &ctx.zone);
        Outcome::info(format!("the earlier verdict, from {day}: edit the reason or record it"))
            .with_prompt(self.reason_prompt(verdict, &earlier.reason, ctx))
    }

    /// Records the decision the reason prompt was for.
    pub(super) fn record(&mut self, verdict: Verdict, typed: &str, ctx: &mut Ctx<'_>) -> Outcome {
        let mut reason = typed.trim().to_string();
        let mut until = None;
        if verdict == Verdict::Defer
            && let Some((r, date)) = reason.rsplit_once('|')
        {
            match date.trim().parse::<jiff::civil::Date>() {
                Ok(d) if d > ctx.today() => until = Some(d),
                Ok(_) => return Outcome::warn("not recorded: the \"until\" date must be after today").keeping_prompt(),
                Err(_) => {
                    if let Some(why) = crate::clock::no_such_day(date) {
                        return Outcome::warn(format!("not recorded: {why}")).keeping_prompt();
                    }
                    return Outcome::warn(
                        "not recorded: write the date after | as YYYY-MM-DD (e.g. reason | 2026-12-15)",
                    )
                    .keeping_prompt();
                }
            }
            reason = r.trim().to_string();
        }
        if verdict == Verdict::Decline && reason.is_empty() {
            return Outcome::warn("not recorded: a decline needs a reason (type one, or esc to cancel)")
                .keeping_prompt();
        }
        // The deferral comes back when that day begins where the user is.
        let until_at = until.and_then(|d| crate::clock::day_start(d, &ctx.zone));
        if !self.marks.is_empty() {
            return self.record_batch(verdict, &reason, until_at.as_deref(), ctx);
        }
        let Some(current) = self.current.clone() else { return Outcome::done() };
        let row = &current.row;
        match ctx.store.decide_as_seen(row.id, row.status, verdict, &reason, &current.answers, until_at.as_deref()) {
            Ok(decision_id) => {
                let when = match (verdict, until) {
                    (Verdict::Defer, Some(d)) => format!(" until {d}"),
                    (Verdict::Defer, None) => " until the next session".into(),
                    _ => String::new(),
                };
                let undo = ctx.undo_hint(" (", ")");
                let said = format!("{} {}{when}: recorded{undo}", verdict_done(verdict), text::line(&row.name));
                let entry = SessionEntry {
                    decision_id,
                    request_id: row.id,
                    name: row.name.clone(),
                    profile_url: row.profile_url.clone(),
                    verdict,
                    reason,
                };
                self.current = None;
                let result = self.win.remove_selected(ctx.store).and_then(|()| self.load_current(ctx));
                match result {
                    // A kept search whose last match was just decided: say how to leave it.
                    Ok(()) if self.win.rows.is_empty() && self.win.search.is_some() => {
                        let esc = ctx.key(Action::Cancel);
                        Outcome::info(format!("{said}; no more matches: {esc} clears the search"))
                    }
                    Ok(()) => Outcome::info(said),
                    Err(e) => Outcome::error("cannot read the queue", e),
                }
                .with_step(Step::Decided(entry))
            }
            Err(e @ StoreError::Stale { .. }) => {
                // Decided elsewhere since it was drawn: nothing recorded, the queue read again.
                let name = text::line(&row.name).into_owned();
                match self.reload(ctx) {
                    Ok(()) => Outcome::warn(format!("NOT recorded: {name}: {e}; the queue is read again")),
                    Err(e) => Outcome::error("cannot read the queue", e),
                }
            }
            Err(e) => Outcome::error("NOT recorded", e),
        }
    }
}
