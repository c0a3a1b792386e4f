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
    /// Rows the list showed last frame (the step of page up / down).
    height: Cell<usize>,
}

fn fetch<'s>(ctx: &'s Ctx<'_>) -> impl Fn(Option<i64>) -> Result<Vec<TodoRow>, StoreError> + 's {
    |after| ctx.store.linkedin_todo_page(after, PAGE)
}

/// The items above one (`None`: the end of the list), for `G` and the pages above the end.
fn above<'s>(ctx: &'s Ctx<'_>) -> impl Fn(Option<i64>, usize) -> Result<Vec<TodoRow>, StoreError> + 's {
    |before, limit| ctx.store.linkedin_todo_page_above(before, limit)
}

impl TodoScreen {
    fn first(&mut self, ctx: &Ctx<'_>) -> Result<(), StoreError> {
        self.loaded = true;
        self.paged.first(fetch(ctx))
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
                let _ = self.paged.refresh(fetch(ctx));
                return Outcome::warn(format!("NOT marked: {e}; it is unmarked, the others stay marked"));
            }
            Err(e) => return Outcome::error("NOT marked", e),
        };
        self.marks.clear();
        let undo = ctx.undo_hint(" (", ")");
        let step = Step::MarkedDone { request_ids: ids, name, at };
        match self.paged.refresh(fetch(ctx)) {
            Ok(()) => Outcome::info(format!("done on LinkedIn: {said}{undo}")),
            Err(e) => Outcome::error("cannot read the to-do list", e),
        }
        .with_step(step)
    }

    /// Marks every item of the list, on every page.
    fn mark_all(&mut self, ctx: &Ctx<'_>) -> Outcome {
        let mut after = None;
        loop {
            let page = match ctx.store.linkedin_todo_page(after, PAGE) {
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
            return read(self.paged.move_by(step, fetch(ctx), &above(ctx)));
        }
        match action {
            Action::First => read(self.first(ctx)),
            Action::Last => read(self.paged.last(&above(ctx))),
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
            Some(delta) => {
                Outcome::or_error(self.paged.move_by(delta, fetch(ctx), &above(ctx)), "cannot read the to-do list")
            }
            None => Outcome::done(),
        }
    }

    fn refresh(&mut self, ctx: &mut Ctx<'_>) -> Result<(), StoreError> {
        if !self.loaded {
            return self.first(ctx);
        }
        self.paged.refresh(fetch(ctx))
    }

    fn forget(&mut self) {
        self.loaded = false;
    }

    fn hints(&self) -> Vec<Hint> {
        vec![
            Hint::Key(Action::MarkDone),
            Hint::Key(Action::Mark),
            Hint::Key(Action::OpenProfile),
            Hint::Screens,
            Hint::Key(Action::Help),
            Hint::Key(Action::Quit),
        ]
    }

    fn render(&self, area: Rect, buf: &mut Buffer, draw: &Draw<'_>) {
        let t = draw.theme;
        let paged = &self.paged;
        let block = Block::bordered()
            .title(format!(" To do on LinkedIn (My Network → Invitations) · {} ", paged.label()))
            .border_style(t.accent);
        let inner = block.inner(area);
        block.render(area, buf);
        if paged.rows.is_empty() {
            Paragraph::new(Line::styled("Nothing left to do on LinkedIn.", t.muted)).render(inner, buf);
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
            let head = format!("{}{checked} {:<6} ", if selected { "▸" } else { " " }, row.action);
            let name_w = (if width >= 100 { 44 } else { 24 }).min(width.saturating_sub(head.chars().count() + 1));
            let name = pad(&r.name, name_w);
            let url = r.profile_url.as_deref().map(|u| text::line(u).into_owned()).unwrap_or("(no URL)".into());
            let rest = width.saturating_sub(head.chars().count() + name_w + 1);
            let style = if selected { t.selection } else { t.text };
            lines.push(Line::styled(format!("{head}{name} {}", text::truncate(&url, rest)), style));
        }
        let o = draw.keymap.first(Action::OpenProfile).unwrap_or_default();
        let x = draw.keymap.first(Action::MarkDone).unwrap_or_default();
        let more = if paged.at_end { "" } else { "▼ more · " };
        lines.push(Line::styled(format!("  {more}{o} opens the profile · {x} marks it done"), t.muted));
        Paragraph::new(lines).render(inner, buf);
    }
}
