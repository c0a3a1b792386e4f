//! The review: the queue of pending requests, the person, the checklist. Every decision,
//! checklist answer and notes edit is written through the store at once, each in its own
//! transaction; a decision made on a view another process has changed since is refused.

mod checklist_pane;
mod decide;
mod details;
mod groups;
mod marks;
mod panes;
pub mod window;

use super::{Answer, Ctx, Draw, Effect, Hint, Hits, Outcome, Pointer, Role, View};
use crate::model::{Answers, DecisionRow, RequestRow, Status, Verdict};
use crate::store::{OtherNote, StoreError};
use crate::text;
use crate::tui::action::Action;
use crate::tui::prompt::{Prompt, PromptKind};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::widgets::{Block, BorderType, Borders};
use std::cell::Cell;
use std::collections::BTreeMap;
use window::Window;

fn yes_no(answer: bool) -> &'static str {
    if answer { "yes" } else { "no" }
}

/// Under this many pending requests, words of one or two characters are searched too (a scan;
/// above it the trigram index needs three).
const SHORT_SEARCH_LIMIT: u64 = 50_000;

/// How many earlier decisions about the person are shown.
const HISTORY: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Queue,
    Person,
    Checklist,
}

/// What the selected request shows beyond its row.
#[derive(Debug, Clone, PartialEq)]
pub struct Current {
    pub row: RequestRow,
    pub note: Option<String>,
    /// Texts of the note another device wrote beside this one (sync), shown under it.
    pub other_notes: Vec<OtherNote>,
    pub answers: Answers,
    pub history: Vec<DecisionRow>,
}

#[derive(Debug)]
pub struct QueueScreen {
    pub win: Window,
    pub current: Option<Current>,
    pub focus: Pane,
    /// The focused checklist item.
    pub item: usize,
    pub person_scroll: u16,
    /// The first line of the session summary shown (the queue is empty); kept within the
    /// summary by the renderer.
    pub summary_scroll: Cell<u16>,
    /// Requests marked for a decision about all of them, with their status as seen.
    pub marks: BTreeMap<i64, Status>,
    /// `V` was pressed: every row passed over is marked until it is pressed again.
    pub marking_range: bool,
    /// The group view, when it is open over the queue.
    pub groups: Option<groups::Groups>,
    /// A big batch decision asked once more (verdict, reason and day, how many): the same again
    /// records it.
    pub confirming: Option<(Verdict, String, usize)>,
    /// Rows show the first line of each message beside the name (`Settings::preview`).
    pub preview: bool,
}

impl QueueScreen {
    pub fn new(ctx: &mut Ctx<'_>) -> Result<QueueScreen, StoreError> {
        let mut queue = QueueScreen {
            win: Window::default(),
            current: None,
            focus: Pane::Queue,
            item: 0,
            person_scroll: 0,
            summary_scroll: Cell::new(0),
            marks: BTreeMap::new(),
            marking_range: false,
            groups: None,
            confirming: None,
            preview: ctx.settings.preview,
        };
        queue.win.reload(ctx.store, None)?;
        queue.load_current(ctx)?;
        Ok(queue)
    }

    pub fn selected(&self) -> Option<&RequestRow> {
        self.win.selected()
    }

    /// Reads what the selected request shows: notes, answers, earlier decisions.
    fn load_current(&mut self, ctx: &Ctx<'_>) -> Result<(), StoreError> {
        self.person_scroll = 0;
        let Some(row) = self.win.selected().cloned() else {
            self.current = None;
            return Ok(());
        };
        if self.current.as_ref().is_some_and(|c| c.row.id == row.id) {
            return Ok(());
        }
        let note = ctx.store.note(row.person_id)?;
        let other_notes = ctx.store.other_notes(row.person_id)?;
        let answers = ctx.store.answers(row.id)?;
        let history = ctx.store.person_history(row.person_id, HISTORY)?;
        self.current = Some(Current { row, note, other_notes, answers, history });
        Ok(())
    }

    /// The queue from its start.
    pub(super) fn reload(&mut self, ctx: &Ctx<'_>) -> Result<(), StoreError> {
        self.current = None;
        self.win.reload(ctx.store, None)?;
        self.load_current(ctx)
    }

    /// Shows a request again (its decision was undone), wherever it now is in the queue.
    pub fn reload_around(&mut self, request_id: i64, ctx: &Ctx<'_>) -> Result<(), StoreError> {
        let row = ctx.store.request(request_id)?;
        let key = ctx.store.queue_key(&row, self.win.order)?;
        self.current = None;
        self.win.reload(ctx.store, Some(&key))?;
        self.load_current(ctx)
    }

    fn select(&mut self, sel: usize, ctx: &Ctx<'_>) -> Result<(), StoreError> {
        self.win.select(ctx.store, sel)?;
        self.load_current(ctx)
    }

    fn move_by(&mut self, delta: isize, ctx: &Ctx<'_>) -> Result<(), StoreError> {
        if delta > 0 && !self.win.complete && self.win.sel + 1 >= self.win.rows.len() {
            // The filter ran out of its keystroke's budget: search to the end now.
            return self.reload(ctx);
        }
        if self.win.rows.is_empty() && self.win.search.is_none() {
            let line = self.summary_scroll.get().saturating_add_signed(delta as i16);
            self.summary_scroll.set(line);
            return Ok(());
        }
        match self.focus {
            Pane::Queue => return self.select(self.win.sel.saturating_add_signed(delta), ctx),
            Pane::Person => self.person_scroll = self.person_scroll.saturating_add_signed(delta as i16),
            Pane::Checklist => {
                let n = ctx.checklist.items.len();
                self.item = self.item.saturating_add_signed(delta).min(n.saturating_sub(1));
            }
        }
        Ok(())
    }

    /// The earlier verdict about the selected request's person (on another request), if any.
    pub fn earlier_decision(&self) -> Option<&DecisionRow> {
        let c = self.current.as_ref()?;
        c.history.iter().find(|d| {
            d.request_id != c.row.id
                && !d.undo
                && matches!(d.decision, Status::Accepted | Status::Declined | Status::Deferred)
        })
    }

    /// Checklist item `index` (0-based): unknown → yes → no → unknown, written at once.
    fn toggle(&mut self, index: usize, ctx: &mut Ctx<'_>) -> Outcome {
        let Some(item) = ctx.checklist.items.get(index) else {
            return Outcome::warn(format!("the checklist has {} items", ctx.checklist.items.len()));
        };
        let Some(current) = &mut self.current else { return Outcome::warn("no request selected") };
        // With a suggestion: the first press confirms it, the next overrides it, the next
        // leaves the item open again (the suggestion shows once more).
        let suggested = crate::tui::present::suggestion(&current.row.findings, &item.key).map(|f| f.answer);
        let now = current.answers.get(&item.key).copied();
        let next = match (now, suggested) {
            (None, Some(s)) => Some(s),
            (Some(a), Some(s)) if a == s => Some(!s),
            (Some(_), Some(_)) => None,
            (None, None) => Some(true),
            (Some(true), None) => Some(false),
            (Some(false), None) => None,
        };
        let said = match (next, suggested) {
            (Some(a), Some(s)) if a == s => format!("{}: {}, as suggested", index + 1, yes_no(a)),
            (Some(a), Some(_)) => format!("{}: {}, your answer over the suggestion", index + 1, yes_no(a)),
            (None, Some(s)) => format!("{}: open again (suggested: {})", index + 1, yes_no(s)),
            (_, None) => String::new(),
        };
        let mut answers = current.answers.clone();
        match next {
            Some(v) => answers.insert(item.key.clone(), v),
            None => answers.remove(&item.key),
        };
        match ctx.store.set_answers(current.row.id, &[(&item.key, next)], ctx.checklist) {
            Ok(()) => {
                let rec = ctx.checklist.recommend_with(&answers, &current.row.findings);
                let recommends = rec.verdict.filter(|v| *v != Verdict::Defer);
                if let Some((row, _)) = self.win.rows.get_mut(self.win.sel) {
                    row.recommends = recommends;
                }
                current.answers = answers;
                self.item = index;
                if said.is_empty() { Outcome::clear() } else { Outcome::info(said) }
            }
            Err(e) => Outcome::error("answer NOT saved", e),
        }
    }

    /// The filter follows the prompt as it is typed (or pasted), in the query language (words,
    /// `hint:`, `rec:`, `check:`, `age:`, `sent:`, `asked-again`, `source:`, `-term`), read as
    /// the Log and `--where` read it: the terms that can be used apply, and the first that
    /// cannot is said beside it, never silently dropped.
    fn apply_search(&mut self, typed: &str, ctx: &Ctx<'_>) -> Outcome {
        let text = typed.trim();
        let small = ctx.pending.is_some_and(|n| n < SHORT_SEARCH_LIMIT);
        let (query, problem) = crate::query::parse_requests_lenient(text, &ctx.zone, ctx.checklist, ctx.now, small);
        // Rows the search index has not caught up with yet are scanned, within the keystroke's
        // budget; past it the page says more may match and `j` searches them all.
        self.win.search = (!query.is_empty()).then(|| (text.to_string(), query));
        self.current = None;
        match self.win.reload_within(ctx.store).and_then(|()| self.load_current(ctx)) {
            Ok(()) => problem.map_or_else(Outcome::clear, |p| Outcome::warn(p.to_string())),
            Err(e) => Outcome::error("search failed", e),
        }
    }

    /// Rows with or without the first line of each message; written back to the config file
    /// (that one setting), or said when it cannot be.
    fn toggle_preview(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        self.preview = !self.preview;
        ctx.settings.preview = self.preview;
        let shown = if self.preview { "rows show each message's first line" } else { "rows show names only" };
        let Some(file) = &ctx.settings.file else { return Outcome::info(format!("{shown} (for this session)")) };
        let file_name = text::line(&file.display().to_string()).into_owned();
        match crate::config::remember(file, "message_preview", self.preview) {
            Ok(()) => Outcome::info(format!("{shown} (kept in {file_name})")),
            Err(e) => Outcome::warn(format!("{shown}, for this session only: {}", text::line(&e.to_string()))),
        }
    }

    fn drop_search(&mut self, ctx: &Ctx<'_>) -> Outcome {
        self.win.search = None;
        match self.reload(ctx) {
            Ok(()) => Outcome::clear(),
            Err(e) => Outcome::error("cannot read the queue", e),
        }
    }
}

impl QueueScreen {
    /// The queue's keys.
    fn act(&mut self, action: Action, ctx: &mut Ctx<'_>) -> Outcome {
        if self.groups.is_some() {
            return self.in_groups(action, ctx);
        }
        let read = |result| Outcome::or_error(result, "cannot read the queue");
        if let Some(step) = super::list_step(action, self.win.height.get()) {
            return read(self.move_by(step, ctx));
        }
        match action {
            Action::First if self.win.at_start => read(self.select(0, ctx)),
            Action::First => read(self.reload(ctx)),
            Action::Last => read(self.win.last(ctx.store).and_then(|()| self.load_current(ctx))),
            Action::NextPane => {
                self.focus = match self.focus {
                    Pane::Queue => Pane::Person,
                    Pane::Person => Pane::Checklist,
                    Pane::Checklist => Pane::Queue,
                };
                Outcome::done()
            }
            Action::Toggle(n) => self.toggle(n as usize - 1, ctx),
            Action::ToggleFocused => self.toggle(self.item, ctx),
            Action::Accept | Action::Decline | Action::Defer => {
                let verdict = match action {
                    Action::Accept => Verdict::Accept,
                    Action::Decline => Verdict::Decline,
                    _ => Verdict::Defer,
                };
                if self.marks.is_empty() { self.start_decision(verdict, ctx) } else { self.start_batch(verdict, ctx) }
            }
            Action::EditNotes | Action::EditProfile | Action::EditNotesExternal => self.edit(action),
            Action::OpenProfile => super::open_profile(self.current.as_ref().map(|c| c.row.profile_url.as_deref())),
            Action::Search => {
                let text = self.win.search.as_ref().map(|(typed, _)| typed.clone()).unwrap_or_default();
                Outcome::done().with_prompt(Prompt::new(PromptKind::Search, &text))
            }
            Action::Sort => {
                self.win.order = self.win.order.next();
                match self.reload(ctx) {
                    Ok(()) => Outcome::info(format!("sorted by {}", self.win.order.label())),
                    Err(e) => Outcome::error("cannot read the queue", e),
                }
            }
            Action::RepeatEarlier => self.repeat_earlier(ctx),
            Action::Mark => self.mark_selected(true),
            Action::MarkAll => self.mark_all(ctx),
            Action::Groups => self.show_groups(crate::store::GroupBy::Hint, ctx),
            Action::Preview => self.toggle_preview(ctx),
            Action::MarkRange => self.mark_range(),
            Action::Cancel => self.cancel(ctx),
            _ => Outcome::elsewhere(),
        }
    }

    /// The notes or the profile, in the prompt or in `$EDITOR`. The original text: drawing it
    /// is made safe cell by cell (`chrome::scrub`), and saving it never turns a tab or an
    /// escape into its stand-in.
    fn edit(&self, action: Action) -> Outcome {
        let Some(c) = &self.current else { return Outcome::warn("no request selected") };
        match action {
            Action::EditProfile => Outcome::open(Prompt::new(PromptKind::Profile, &Self::profile_text(&c.row))),
            Action::EditNotesExternal => Outcome::done().with_effect(Effect::EditNotes {
                person_id: c.row.person_id,
                text: text::block(c.note.as_deref().unwrap_or("")).into_owned(),
            }),
            _ => Outcome::open(Prompt::new(PromptKind::Notes, c.note.as_deref().unwrap_or_default())),
        }
    }

    /// Starts marking every request moved over, or stops.
    fn mark_range(&mut self) -> Outcome {
        if self.marking_range {
            self.marking_range = false;
            return Outcome::info(format!("{} marked", self.marks.len()));
        }
        if self.win.selected().is_none() {
            return Outcome::warn("no request selected");
        }
        self.marking_range = true;
        let _marked = self.mark_selected(false);
        Outcome::info("marking: every request you move over is marked until V again")
    }

    /// The cancel key drops the marks first, then a kept search, as it does in the prompt.
    fn cancel(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        if !self.marks.is_empty() || self.marking_range {
            let n = self.marks.len();
            self.marks.clear();
            self.marking_range = false;
            Outcome::info(format!("{n} marks cleared"))
        } else if self.win.search.is_some() {
            self.drop_search(ctx)
        } else {
            Outcome::done()
        }
    }
}

/// A pane's frame: thick and marked `▶` when it has the keys.
fn pane_block<'a>(q: &QueueScreen, draw: &Draw<'_>, title: &'a str, pane: Pane) -> Block<'a> {
    let focused = q.focus == pane && draw.keys_here;
    let block = Block::bordered().borders(Borders::ALL);
    if focused {
        block.border_type(BorderType::Thick).title(format!("▶{title}")).border_style(draw.theme.accent)
    } else {
        block.title(format!(" {title}")).border_style(draw.theme.muted)
    }
}

impl View for QueueScreen {
    fn handle(&mut self, action: Action, ctx: &mut Ctx<'_>) -> Outcome {
        let left = self.win.selected().map(|r| r.id);
        let outcome = self.act(action, ctx);
        // While `V` is on, a move marks the rows between the one left and the one reached (the
        // window may have slid: the row left is found again by its id).
        let moved = super::list_step(action, 1).is_some() || matches!(action, Action::First | Action::Last);
        if let Some(from) = left.filter(|_| moved).and_then(|id| self.win.rows.iter().position(|(r, _)| r.id == id)) {
            self.mark_passed(from);
        }
        outcome
    }

    fn answer(&mut self, prompt: &Prompt, answer: Answer, ctx: &mut Ctx<'_>) -> Outcome {
        match (prompt.kind, answer) {
            (PromptKind::Reason(v), Answer::Confirmed) => self.record(v, &prompt.text(), ctx),
            (PromptKind::Reason(_), Answer::Cancelled) => {
                self.confirming = None;
                Outcome::info("cancelled: nothing recorded")
            }
            (PromptKind::Search, Answer::Changed) => self.apply_search(&prompt.text(), ctx),
            (PromptKind::Search, Answer::Confirmed) if self.win.search.is_none() => Outcome::clear(),
            (PromptKind::Search, Answer::Cancelled) => self.drop_search(ctx),
            (PromptKind::Notes, Answer::Confirmed) => match &self.current {
                Some(c) if prompt.changed() => {
                    let person = c.row.person_id;
                    self.save_notes(person, &prompt.text(), ctx)
                }
                _ => Outcome::info("notes unchanged"),
            },
            (PromptKind::Notes, Answer::Cancelled) => Outcome::info("notes editor closed without saving"),
            (PromptKind::Profile, Answer::Confirmed) if prompt.changed() => self.save_profile(&prompt.text(), ctx),
            (PromptKind::Profile, Answer::Confirmed) => Outcome::info("unchanged"),
            (PromptKind::Profile, Answer::Cancelled) => Outcome::info("closed without saving"),
            _ => Outcome::done(),
        }
    }

    /// A click selects a queue row or a checklist item (a second click on it toggles it);
    /// the wheel moves in the pane under it.
    fn point(&mut self, at: Position, pointer: Pointer, hits: &Hits, ctx: &mut Ctx<'_>) -> Outcome {
        let row_in = |r: Rect| r.contains(at).then(|| usize::from(at.y - r.y));
        if let Pointer::Wheel(step) = pointer {
            if hits.person.contains(at) {
                self.person_scroll = self.person_scroll.saturating_add_signed(step as i16);
            } else if hits.checklist.contains(at) {
                let last = ctx.checklist.items.len().saturating_sub(1);
                self.item = self.item.saturating_add_signed(step).min(last);
            } else if hits.queue.contains(at) {
                return Outcome::or_error(
                    self.select(self.win.sel.saturating_add_signed(step), ctx),
                    "cannot read the queue",
                );
            }
            return Outcome::done();
        }
        if let Some(i) = row_in(hits.queue) {
            let index = self.win.offset.get() + i;
            if index < self.win.rows.len() {
                self.focus = Pane::Queue;
                return Outcome::or_error(self.select(index, ctx), "cannot read the queue");
            }
        } else if let Some(&i) = row_in(hits.checklist).and_then(|line| hits.checklist_items.get(line)) {
            if self.focus == Pane::Checklist && self.item == i {
                return self.toggle(i, ctx);
            }
            self.focus = Pane::Checklist;
            self.item = i;
        } else if hits.person.contains(at) {
            self.focus = Pane::Person;
        }
        Outcome::done()
    }

    fn refresh(&mut self, ctx: &mut Ctx<'_>) -> Result<(), StoreError> {
        self.win.reload_here(ctx.store)?;
        self.load_current(ctx)
    }

    fn status(&self) -> Vec<(String, Role)> {
        let mut status = vec![(self.win.order.label().to_string(), Role::Plain)];
        if !self.marks.is_empty() {
            status.push((format!("{} marked", self.marks.len()), Role::Warning));
        }
        if let Some((typed, _)) = &self.win.search {
            let more = if self.win.at_end && self.win.complete { "" } else { "+" };
            // The count first: a narrow header cuts the search's text, never how many match.
            let shown = text::truncate(&text::line(typed), 24).into_owned();
            let found = crate::tui::present::thousands(self.win.rows.len() as u64);
            status.push((format!("search: {found}{more} for \"{shown}\""), Role::Warning));
        }
        status
    }

    fn hints(&self) -> Vec<Hint> {
        if self.groups.is_some() {
            return vec![
                Hint::Named(Action::ToggleFocused, "filter to it"),
                Hint::Named(Action::NextPane, "next grouping"),
                Hint::Named(Action::Groups, "close"),
            ];
        }
        let mut hints: Vec<Hint> =
            [Action::Accept, Action::Decline, Action::Defer, Action::Undo].into_iter().map(Hint::Key).collect();
        hints.push(Hint::Toggles);
        hints.extend([Action::Search, Action::Help, Action::Quit].map(Hint::Key));
        hints.push(Hint::Screens);
        hints.extend([Action::EditNotes, Action::OpenProfile, Action::Sort, Action::NextPane].map(Hint::Key));
        hints
    }

    fn render(&self, area: Rect, buf: &mut Buffer, draw: &Draw<'_>) {
        panes::render(self, area, buf, draw);
    }
}
