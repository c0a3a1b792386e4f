//! To do on LinkedIn: the decisions still to be carried out there (accept or ignore the
//! invitation), one keyset page at a time, each marked done when it is.

use super::{Ctx, Draw, Hint, Hits, Outcome, Pointer, View};
use crate::store::{StoreError, TodoRow};
use crate::text;
use crate::tui::action::Action;
use crate::tui::paged::{PAGE, Paged};
use crate::tui::present::pad;
use crate::tui::session::Step;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Widget};
use std::cell::Cell;
use std::collections::BTreeSet;

#[derive(Debug, Default)]
pub struct TodoScreen {
    pub paged: Paged<TodoRow>,
    pub loaded: bool,
    /// Items marked to be marked done together.
    pub marks: BTreeSet<i64>,
    /// Without the ignores: ignoring on LinkedIn is optional (the sender is never told).
    pub accepts_only: bool,
    /// Walk mode: the item whose profile the walk opened last (request id, its action, the
    /// sender's name), marked done by the next step of the walk.
    pub walking: Option<(i64, &'static str, String)>,
    /// Rows the list showed last frame (the step of page up / down).
    height: Cell<usize>,
}

fn fetch<'s>(ctx: &'s Ctx<'_>, accepts_only: bool) -> impl Fn(Option<i64>) -> Result<Vec<TodoRow>, StoreError> + 's {
    move |after| ctx.store.linkedin_todo_page_of(after, PAGE, accepts_only)
}

/// The items above one (`None`: the end of the list), for `G` and the pages above the end.
fn above<'s>(
    ctx: &'s Ctx<'_>,
    accepts_only: bool,
) -> impl Fn(Option<i64>, usize) -> Result<Vec<TodoRow>, StoreError> + 's {
    move |before, limit| ctx.store.linkedin_todo_page_above_of(before, limit, accepts_only)
}

impl TodoScreen {
    fn first(&mut self, ctx: &Ctx<'_>) -> Result<(), StoreError> {
        self.loaded = true;
        self.paged.first(fetch(ctx, self.accepts_only))
    }

    /// Hides or shows the ignores: LinkedIn never tells the sender, so ignoring is optional.
    fn toggle_ignores(&mut self, ctx: &Ctx<'_>) -> Outcome {
        self.accepts_only = !self.accepts_only;
        // Marks (and a walk) on rows no longer shown would act unseen: dropped.
        let cleared = std::mem::take(&mut self.marks).len();
        self.walking = None;
        if let Err(e) = self.first(ctx) {
            return Outcome::error("cannot read the to-do list", e);
        }
        let key = ctx.key(Action::AcceptsOnly);
        let cleared = if cleared > 0 { format!(" ({cleared} marks cleared)") } else { String::new() };
        Outcome::info(if self.accepts_only {
            format!(
                "accepts only: ignoring is optional (LinkedIn never tells the sender); {key} shows the ignores{cleared}"
            )
        } else {
            format!("accepts and ignores; {key} hides the ignores{cleared}")
        })
    }

    /// One step of the walk: the item opened last is marked done, the next one's profile is
    /// opened, and the walk waits on it. Esc ends the walk.
    fn walk(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        let mut said = String::new();
        let mut step = None;
        if let Some((id, action, name)) = self.walking.take() {
            match ctx.store.mark_many_done_on_linkedin(&[id]) {
                Ok(at) => {
                    said = format!("done: {action} {} · ", text::line(&name));
                    step = Some(Step::MarkedDone { request_ids: vec![id], name, at });
                }
                // Marked done or changed elsewhere since: nothing to mark, the walk goes on.
                Err(StoreError::NotToDo(_)) => {}
                Err(e) => return Outcome::error("NOT marked", e),
            }
            self.marks.remove(&id);
            if let Err(e) = self.paged.refresh(fetch(ctx, self.accepts_only)) {
                return Outcome::error("cannot read the to-do list", e);
            }
        }
        let done = |o: Outcome, step: Option<Step>| match step {
            Some(step) => o.with_step(step),
            None => o,
        };
        let Some(t) = self.paged.selected() else {
            return done(Outcome::info(format!("{said}the walk is over: nothing left to do on LinkedIn")), step);
        };
        let what = format!("{} {}", t.action, text::line(&t.request.name));
        let (w, esc) = (ctx.key(Action::Walk), ctx.key(Action::Cancel));
        let opened = super::open_profile(Some(t.request.profile_url.as_deref()));
        self.walking = Some((t.request.id, t.action, t.request.name.clone()));
        let outcome = if opened.effect.is_some() {
            Outcome::info(format!(
                "{said}walk: {what} on LinkedIn now; {w} marks it done and opens the next, {esc} stops"
            ))
        } else {
            Outcome::warn(format!(
                "{said}walk: {what}: no profile to open; find them on LinkedIn, then {w} marks it done and moves on"
            ))
        };
        let outcome = match opened.effect {
            Some(effect) => outcome.with_effect(effect),
            None => outcome,
        };
        done(outcome, step)
    }

    /// Marks done the marked items, or else the selected one, in one transaction.
    fn mark_done(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        let (ids, name, said) = if self.marks.is_empty() {
            let Some(t) = self.paged.selected() else { return Outcome::warn("nothing to do on LinkedIn") };
            (vec![t.request.id], t.request.name.clone(), format!("{} {}", t.action, text::line(&t.request.name)))
        } else {
            let n = format!("{} requests", self.marks.len());
            (self.marks.iter().copied().collect(), n.clone(), n)
        };
        let at = match ctx.store.mark_many_done_on_linkedin(&ids) {
            Ok(at) => at,
            Err(e @ StoreError::NotToDo(id)) => {
                // Done or changed elsewhere since it was marked: unmarked, the list read again.
                self.marks.remove(&id);
                let _ = self.paged.refresh(fetch(ctx, self.accepts_only));
                return Outcome::warn(format!("NOT marked: {e}; it is unmarked, the others stay marked"));
            }
            Err(e) => return Outcome::error("NOT marked", e),
        };
        self.marks.clear();
        let undo = ctx.undo_hint(" (", ")");
        let step = Step::MarkedDone { request_ids: ids, name, at };
        match self.paged.refresh(fetch(ctx, self.accepts_only)) {
            Ok(()) => Outcome::info(format!("done on LinkedIn: {said}{undo}")),
            Err(e) => Outcome::error("cannot read the to-do list", e),
        }
        .with_step(step)
    }

    /// Marks every item of the list, on every page.
    fn mark_all(&mut self, ctx: &Ctx<'_>) -> Outcome {
        let mut after = None;
        loop {
            let page = match ctx.store.linkedin_todo_page_of(after, PAGE, self.accepts_only) {
                Ok(page) => page,
                Err(e) => return Outcome::error("cannot read the to-do list", e),
            };
            self.marks.extend(page.iter().map(|t| t.request.id));
            match page.last() {
                Some(last) if page.len() == PAGE => after = Some(last.key()),
                _ => break,
            }
        }
        let m = ctx.key(Action::MarkDone);
        Outcome::info(format!("{} marked: {m} marks them done on LinkedIn", self.marks.len()))
    }
}

impl View for TodoScreen {
    fn handle(&mut self, action: Action, ctx: &mut Ctx<'_>) -> Outcome {
        let read = |result| Outcome::or_error(result, "cannot read the to-do list");
        if let Some(step) = super::list_step(action, self.height.get()) {
            return read(self.paged.move_by(step, fetch(ctx, self.accepts_only), &above(ctx, self.accepts_only)));
        }
        match action {
            Action::First => read(self.first(ctx)),
            Action::Last => read(self.paged.last(&above(ctx, self.accepts_only))),
            Action::MarkDone => self.mark_done(ctx),
            Action::Mark => match self.paged.selected().map(|t| t.request.id) {
                Some(id) if !self.marks.remove(&id) => {
                    self.marks.insert(id);
                    Outcome::clear()
                }
                Some(_) => Outcome::clear(),
                None => Outcome::warn("nothing to do on LinkedIn"),
            },
            Action::MarkAll => self.mark_all(ctx),
            Action::AcceptsOnly => self.toggle_ignores(ctx),
            Action::Walk => self.walk(ctx),
            Action::Cancel if self.walking.is_some() => {
                self.walking = None;
                Outcome::info(format!("walk stopped; {} walks again", ctx.key(Action::Walk)))
            }
            Action::Cancel if !self.marks.is_empty() => {
                let n = self.marks.len();
                self.marks.clear();
                Outcome::info(format!("{n} marks cleared"))
            }
            Action::OpenProfile => super::open_profile(self.paged.selected().map(|t| t.request.profile_url.as_deref())),
            Action::Cancel => Outcome::done(),
            _ => Outcome::elsewhere(),
        }
    }

    fn point(&mut self, at: Position, pointer: Pointer, hits: &Hits, ctx: &mut Ctx<'_>) -> Outcome {
        match super::list_pointed(at, pointer, hits, self.paged.sel) {
            Some(delta) => Outcome::or_error(
                self.paged.move_by(delta, fetch(ctx, self.accepts_only), &above(ctx, self.accepts_only)),
                "cannot read the to-do list",
            ),
            None => Outcome::done(),
        }
    }

    fn refresh(&mut self, ctx: &mut Ctx<'_>) -> Result<(), StoreError> {
        if !self.loaded {
            return self.first(ctx);
        }
        self.paged.refresh(fetch(ctx, self.accepts_only))
    }

    fn forget(&mut self) {
        self.loaded = false;
    }

    fn hints(&self) -> Vec<Hint> {
        vec![
            Hint::Key(Action::MarkDone),
            Hint::Key(Action::Walk),
            Hint::Key(Action::Mark),
            Hint::Key(Action::OpenProfile),
            Hint::Key(Action::AcceptsOnly),
            Hint::Screens,
            Hint::Key(Action::Help),
            Hint::Key(Action::Quit),
        ]
    }

    fn render(&self, area: Rect, buf: &mut Buffer, draw: &Draw<'_>) {
        let t = draw.theme;
        let paged = &self.paged;
        let mode = match (self.accepts_only, self.walking.is_some()) {
            (true, true) => " · accepts only · walking",
            (true, false) => " · accepts only",
            (false, true) => " · walking",
            (false, false) => "",
        };
        let block = Block::bordered()
            .title(format!(" To do on LinkedIn (My Network → Invitations) · {}{mode} ", paged.label()))
            .border_style(t.accent);
        let inner = block.inner(area);
        block.render(area, buf);
        let toggle = draw.keymap.first(Action::AcceptsOnly).unwrap_or_default();
        if paged.rows.is_empty() {
            let text = if self.accepts_only {
                format!("No accepts left to do on LinkedIn ({toggle} shows the ignores).")
            } else {
                "Nothing left to do on LinkedIn.".to_string()
            };
            Paragraph::new(Line::styled(text, t.muted)).render(inner, buf);
            return;
        }
        let height = (inner.height as usize).saturating_sub(2).max(1);
        self.height.set(height);
        let offset = paged.sel.saturating_sub(height - 1);
        {
            let mut hits = draw.hits.borrow_mut();
            hits.list = Rect { height: height as u16, ..inner };
            hits.list_offset = offset;
        }
        let width = inner.width as usize;
        let mut lines: Vec<Line> = Vec::new();
        for (i, row) in paged.rows.iter().enumerate().skip(offset).take(height) {
            let r = &row.request;
            let selected = i == paged.sel;
            let checked = if self.marks.contains(&r.id) { "[x]" } else { "[ ]" };
            let opened = self.walking.as_ref().is_some_and(|(id, ..)| *id == r.id);
            let pointer = match (selected, opened) {
                (_, true) => "↗",
                (true, false) => "▸",
                (false, false) => " ",
            };
            let head = format!("{pointer}{checked} {:<6} ", row.action);
            let name_w = (if width >= 100 { 44 } else { 24 }).min(width.saturating_sub(head.chars().count() + 1));
            let name = pad(&r.name, name_w);
            let mut url = r.profile_url.as_deref().map(|u| text::line(u).into_owned()).unwrap_or("(no URL)".into());
            // An ignore LinkedIn no longer lists: said first, the address after it.
            if let Some(note) = crate::model::not_listed_note(row.not_listed.as_deref()) {
                url = format!("{} · {url}", text::line(&note));
            }
            let rest = width.saturating_sub(head.chars().count() + name_w + 1);
            let style = if selected { t.selection } else { t.text };
            lines.push(Line::styled(format!("{head}{name} {}", text::truncate(&url, rest)), style));
        }
        let o = draw.keymap.first(Action::OpenProfile).unwrap_or_default();
        let x = draw.keymap.first(Action::MarkDone).unwrap_or_default();
        let w = draw.keymap.first(Action::Walk).unwrap_or_default();
        let more = if paged.at_end { "" } else { "▼ more · " };
        let ignores = if self.accepts_only {
            format!("  accepts only · {toggle} shows the ignores too")
        } else {
            format!("  ignoring is optional: LinkedIn never tells the sender · {toggle} hides the ignores")
        };
        for hint in
            [format!("  {more}{o} opens the profile · {x} marks it done · {w} walks: done, next profile"), ignores]
        {
            lines.push(Line::styled(text::truncate(&hint, width).into_owned(), t.muted));
        }
        Paragraph::new(lines).render(inner, buf);
    }
}
