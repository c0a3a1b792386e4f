//! One screen shown twice: the Log (every decision, newest first) and Declined (the requests
//! whose latest decision is a decline, to reconsider). The page on the left, the selected
//! decision and the person's whole history on the right; a filter narrows the page.

use super::{Answer, Ctx, Draw, Hint, Hits, Outcome, Pointer, View};
use crate::model::{DecisionRow, RequestRow, Status, Verdict};
use crate::store::{DeclinedRow, LogFilter, LogScope, StoreError};
use crate::text;
use crate::tui::action::Action;
use crate::tui::paged::{PAGE, Paged};
use crate::tui::prompt::{Prompt, PromptKind};
use crate::tui::session::{Reconsider, Reconsidered, Step};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use std::cell::Cell;

pub use super::FILTER_BUDGET;
/// How many decisions about a person are shown.
mod widgets;

pub const HISTORY_SHOWN: usize = 20;

#[derive(Debug)]
pub struct LogScreen {
    pub scope: LogScope,
    pub paged: Paged<DeclinedRow>,
    /// The filter as typed, and as understood.
    pub filter_text: String,
    pub filter: LogFilter,
    /// Every decision about the selected person, newest first (their full history).
    pub history: Vec<DecisionRow>,
    /// The request the selected decision is about: what the person wrote, their headline.
    pub request: Option<RequestRow>,
    pub loaded: bool,
    /// False when a filter keystroke stopped at the newest decisions (more may match).
    pub complete: bool,
    /// How long a filter keystroke may search.
    pub filter_budget: std::time::Duration,
    /// Rows the list showed last frame (the step of page up / down).
    height: Cell<usize>,
}

impl LogScreen {
    pub fn new(scope: LogScope) -> LogScreen {
        LogScreen {
            scope,
            paged: Paged::default(),
            filter_text: String::new(),
            filter: LogFilter::default(),
            history: Vec::new(),
            request: None,
            loaded: false,
            complete: true,
            filter_budget: FILTER_BUDGET,
            height: Cell::new(10),
        }
    }

    fn declined(&self) -> bool {
        self.scope == LogScope::DeclinedNow
    }

    fn load_history(&mut self, ctx: &Ctx<'_>) -> Result<(), StoreError> {
        self.history = match self.paged.selected() {
            Some(r) => ctx.store.person_history(r.decision.person_id, HISTORY_SHOWN)?,
            None => Vec::new(),
        };
        self.request = match self.paged.selected() {
            // Forgotten since (`vetted forget`): the decision is shown without it.
            Some(r) => match ctx.store.request(r.decision.request_id) {
                Ok(request) => Some(request),
                Err(StoreError::NoSuchRequest(_)) => None,
                Err(e) => return Err(e),
            },
            None => None,
        };
        Ok(())
    }

    /// Loads the first page; with a budget (a filter keystroke), the page may stop at the
    /// newest decisions (`complete` is then false).
    fn load_within(&mut self, ctx: &Ctx<'_>, budget: Option<std::time::Duration>) -> Result<(), StoreError> {
        self.loaded = true;
        let complete = Cell::new(true);
        let (filter, scope) = (&self.filter, self.scope);
        self.paged.first(|b| {
            let (rows, done) = ctx.store.log_search_within(filter, scope, b, PAGE, budget)?;
            complete.set(done);
            Ok(rows)
        })?;
        self.complete = complete.get();
        self.load_history(ctx)
    }

    fn move_by(&mut self, delta: isize, ctx: &Ctx<'_>) -> Result<(), StoreError> {
        let fetch = fetch(&self.filter, self.scope, ctx);
        if delta > 0 && !self.complete && self.paged.sel + 1 >= self.paged.rows.len() {
            // The filter stopped at the newest decisions while typing: search the rest.
            self.complete = true;
            self.paged.refresh(fetch)?;
        } else {
            self.paged.move_by(delta, fetch, &above(&self.filter, self.scope, ctx))?;
        }
        self.load_history(ctx)
    }

    /// Applies the filter prompt's text (on every keystroke).
    fn apply_filter(&mut self, input: &str, ctx: &Ctx<'_>) -> Outcome {
        let (mut filter, problem) = parse_filter(input, &ctx.zone, ctx.checklist, ctx.now);
        if self.declined() {
            filter.decision = None;
        }
        self.filter_text = input.trim().to_string();
        let changed = self.filter != filter;
        self.filter = filter;
        // Shown beside the filter as it is typed: a bad term is never silently ignored.
        let said = problem.map_or_else(Outcome::clear, Outcome::warn);
        match changed.then(|| self.load_within(ctx, Some(self.filter_budget))) {
            Some(Err(e)) => Outcome::error("filter failed", e),
            _ => said,
        }
    }

    fn clear_filter(&mut self, ctx: &Ctx<'_>) -> Outcome {
        self.filter_text.clear();
        self.filter = LogFilter::default();
        match self.load_within(ctx, None) {
            Ok(()) => Outcome::clear(),
            Err(e) => Outcome::error("cannot read the log", e),
        }
    }

    fn start_reconsider(&self, to: Reconsider, ctx: &Ctx<'_>) -> Outcome {
        match self.paged.selected() {
            Some(row) => Outcome::open(
                Prompt::new(PromptKind::Reconsider(to), "")
                    .about(&row.decision.name, None)
                    .recalling(super::recalled(ctx, reconsidered_to(to))),
            ),
            None => Outcome::warn("nobody selected"),
        }
    }

    /// Records a reconsidered decline: a new decision that supersedes it.
    fn record_reconsider(&mut self, to: Reconsider, typed: &str, ctx: &mut Ctx<'_>) -> Outcome {
        let reason = typed.trim().to_string();
        if reason.is_empty() {
            return Outcome::warn("not recorded: say why you changed your mind (or esc to cancel)").keeping_prompt();
        }
        let Some(row) = self.paged.selected().map(|r| r.decision.clone()) else { return Outcome::done() };
        let result = match to {
            // Only while it is still the decline shown: never over a newer word on it.
            Reconsider::Accept => {
                ctx.store.decide_as_seen(row.request_id, Status::Declined, Verdict::Accept, &reason, &row.answers, None)
            }
            Reconsider::Pending => ctx.store.reopen(row.request_id, Status::Declined, &reason),
        };
        let id = match result {
            Ok(id) => id,
            Err(e @ StoreError::Stale { .. }) => {
                // Decided elsewhere, or closed by an import, since it was shown: read again.
                let name = text::line(&row.name).into_owned();
                return match self.refresh(ctx) {
                    Ok(()) => Outcome::warn(format!("NOT recorded: {name}: {e}; the list is read again")),
                    Err(e) => Outcome::error("cannot read the log", e),
                };
            }
            Err(e) => return Outcome::error("NOT recorded", e),
        };
        let what = if to == Reconsider::Accept { "now accepted" } else { "back in the queue" };
        let undo = ctx.undo_hint(", ", "");
        let step = Step::Reconsidered(Reconsidered { decision_id: id, name: row.name.clone(), to });
        match self.refresh(ctx) {
            Ok(()) => Outcome::info(format!(
                "{} {what} (#{id} supersedes #{}; the history is kept{undo})",
                text::line(&row.name),
                row.id
            )),
            Err(e) => Outcome::error("cannot read the log", e),
        }
        .with_step(step)
    }
}

impl View for LogScreen {
    fn handle(&mut self, action: Action, ctx: &mut Ctx<'_>) -> Outcome {
        let read = |result| Outcome::or_error(result, "cannot read the log");
        if let Some(step) = super::list_step(action, self.height.get()) {
            return read(self.move_by(step, ctx));
        }
        match action {
            Action::First => read(self.load_within(ctx, None)),
            // The real end, read from there: never page by page, and the whole of it (a
            // filter typed key by key may have stopped at the newest decisions).
            Action::Last => {
                self.complete = true;
                let last = self.paged.last(&above(&self.filter, self.scope, ctx));
                read(last.and_then(|()| self.load_history(ctx)))
            }
            Action::Search => Outcome::open(Prompt::new(PromptKind::Filter, &self.filter_text)),
            Action::EditNotes => match self.paged.selected() {
                Some(row) => Outcome::open(Prompt::new(PromptKind::Notes, row.notes.as_deref().unwrap_or_default())),
                None => Outcome::warn("nobody selected"),
            },
            Action::Accept if self.declined() => self.start_reconsider(Reconsider::Accept, ctx),
            Action::Reopen if self.declined() => self.start_reconsider(Reconsider::Pending, ctx),
            Action::OpenProfile => {
                super::open_profile(self.paged.selected().map(|r| r.decision.profile_url.as_deref()))
            }
            Action::Cancel => Outcome::done(),
            _ => Outcome::elsewhere(),
        }
    }

    fn answer(&mut self, prompt: &Prompt, answer: Answer, ctx: &mut Ctx<'_>) -> Outcome {
        match (prompt.kind, answer) {
            (PromptKind::Filter, Answer::Changed) => self.apply_filter(&prompt.text(), ctx),
            (PromptKind::Filter, Answer::Cancelled) => self.clear_filter(ctx),
            (PromptKind::Reconsider(to), Answer::Confirmed) => self.record_reconsider(to, &prompt.text(), ctx),
            (PromptKind::Reconsider(_), Answer::Cancelled) => Outcome::info("cancelled: nothing recorded"),
            (PromptKind::Notes, Answer::Confirmed) => match self.paged.selected().map(|r| r.decision.person_id) {
                Some(person) if prompt.changed() => match super::save_note(ctx, person, &prompt.text()) {
                    Ok(()) => match self.refresh(ctx) {
                        Ok(()) => Outcome::info("notes saved"),
                        Err(e) => Outcome::error("cannot read the log", e),
                    },
                    Err(why) => Outcome::failed(why),
                },
                _ => Outcome::info("notes unchanged"),
            },
            (PromptKind::Notes, Answer::Cancelled) => Outcome::info("notes editor closed without saving"),
            _ => Outcome::done(),
        }
    }

    fn point(&mut self, at: Position, pointer: Pointer, hits: &Hits, ctx: &mut Ctx<'_>) -> Outcome {
        match super::list_pointed(at, pointer, hits, self.paged.sel) {
            Some(delta) => Outcome::or_error(self.move_by(delta, ctx), "cannot read the log"),
            None => Outcome::done(),
        }
    }

    /// The first page the first time; after that the page shown again (decisions may have
    /// changed since).
    fn refresh(&mut self, ctx: &mut Ctx<'_>) -> Result<(), StoreError> {
        if !self.loaded {
            return self.load_within(ctx, None);
        }
        self.paged.refresh(fetch(&self.filter, self.scope, ctx))?;
        self.load_history(ctx)
    }

    fn forget(&mut self) {
        self.loaded = false;
    }

    fn hints(&self) -> Vec<Hint> {
        let mut hints = Vec::new();
        if self.declined() {
            hints.extend([Hint::Key(Action::Accept), Hint::Key(Action::Reopen)]);
        }
        hints.extend([
            Hint::Named(Action::Search, "filter"),
            Hint::Key(Action::OpenProfile),
            Hint::Screens,
            Hint::Key(Action::Help),
            Hint::Key(Action::Quit),
            Hint::Key(Action::EditNotes),
        ]);
        hints
    }

    fn render(&self, area: Rect, buf: &mut Buffer, draw: &Draw<'_>) {
        widgets::render(self, area, buf, draw);
    }
}

/// The decisions above one in the log's order (`None`: its end), for `G` and the pages above.
fn above<'s>(
    filter: &'s LogFilter,
    scope: LogScope,
    ctx: &'s Ctx<'_>,
) -> impl Fn(Option<i64>, usize) -> Result<Vec<DeclinedRow>, StoreError> + 's {
    move |after, limit| ctx.store.log_search_above(filter, scope, after, limit)
}

/// The kind of decision a reconsider records (its prompt recalls reasons of that kind).
fn reconsidered_to(to: Reconsider) -> Status {
    match to {
        Reconsider::Accept => Status::Accepted,
        Reconsider::Pending => Status::Pending,
    }
}

/// One page of the log after a decision (`None`: the first page).
fn fetch<'s>(
    filter: &'s LogFilter,
    scope: LogScope,
    ctx: &'s Ctx<'_>,
) -> impl Fn(Option<i64>) -> Result<Vec<DeclinedRow>, StoreError> + 's {
    move |before| ctx.store.log_search(filter, scope, before, PAGE)
}

/// Parses the filter prompt with the query language ([`crate::query`]): words are text looked
/// for in name, headline, company, message, reason and notes; `is:`, `reason:`, `since:`,
/// `until:` (inclusive, local days), `hint:`, `rec:`, `check:`, `age:`, `sent:`, … narrow
/// further, `-term` negates. Returns the filter and a complaint about a term it could not use
/// (the rest still applies).
pub fn parse_filter(
    input: &str,
    zone: &jiff::tz::TimeZone,
    checklist: &crate::checklist::Checklist,
    now: jiff::Timestamp,
) -> (LogFilter, Option<String>) {
    let (query, problem) = crate::query::parse_lenient(input, zone, checklist, now);
    (LogFilter::of(query), problem.map(|e| e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse() {
        use crate::query::TermKind;
        let checklist = crate::checklist::Checklist::builtin();
        let now: jiff::Timestamp = "2026-11-25T00:00:00Z".parse().unwrap();
        let parse = |input: &str| parse_filter(input, &jiff::tz::TimeZone::UTC, &checklist, now);
        let (f, p) = parse("spam is:declined since:2026-01-02 until:2026-03-31 reason:selling");
        assert_eq!(p, None);
        let kinds: Vec<TermKind> = f.query.terms.into_iter().map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            [
                TermKind::Text("spam".into()),
                TermKind::Is(Status::Declined),
                TermKind::Since("2026-01-02T00:00:00Z".into()),
                TermKind::Until("2026-04-01T00:00:00Z".into()), // until includes the day
                TermKind::Reason("selling".into()),
            ]
        );
        let (f, p) = parse("ab since:soon");
        assert!(f.query.is_empty());
        assert_eq!(p.as_deref(), Some("keep typing: text filters need 3 characters (ab)"));
        let (f, p) = parse("is:maybe rust conf");
        assert_eq!(f.query.to_string(), "rust conf");
        assert!(p.unwrap().starts_with("is:maybe?"));
    }
}
