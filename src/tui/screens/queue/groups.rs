//! The group view: the pending queue by hint, by identical message (the top templates), by
//! campaign (told apart by their distinguishing words), by recommendation or by month sent,
//! each group with its count; choosing one filters the queue to exactly it.

use super::QueueScreen;
use crate::store::{Background, Group, GroupBy, StoreError};
use crate::text;
use crate::tui::action::Action;
use crate::tui::prompt::centered;
use crate::tui::screens::{Ctx, Draw, Outcome};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Widget};

const ORDER: [GroupBy; 5] =
    [GroupBy::Hint, GroupBy::Message, GroupBy::Campaign, GroupBy::Recommendation, GroupBy::MonthSent];

#[derive(Debug)]
pub struct Groups {
    pub by: GroupBy,
    pub list: Vec<Group>,
    pub sel: usize,
    /// Grouping a big queue takes a moment: it is done on a second connection meanwhile.
    pub loading: Option<Background<Vec<Group>>>,
}

fn name(by: GroupBy) -> &'static str {
    match by {
        GroupBy::Hint => "hint",
        GroupBy::Message => "identical message",
        GroupBy::Campaign => "campaign",
        GroupBy::Recommendation => "recommendation",
        GroupBy::MonthSent => "month sent",
    }
}

impl QueueScreen {
    /// Opens the group view (or shows the next grouping).
    pub(super) fn show_groups(&mut self, by: GroupBy, ctx: &Ctx<'_>) -> Outcome {
        if self.win.rows.is_empty() && self.win.search.is_none() {
            return Outcome::info("nothing pending to group");
        }
        let zone = ctx.zone.clone();
        let job = ctx.store.in_background(move |s| s.groups(by, &zone));
        // Done already (a store in memory): shown at once, or its error said.
        match job.poll() {
            Some(Ok(list)) => self.groups = Some(Groups { by, list, sel: 0, loading: None }),
            Some(Err(e)) => return Outcome::error("cannot group the queue", e),
            None => self.groups = Some(Groups { by, list: Vec::new(), sel: 0, loading: Some(job) }),
        }
        Outcome::clear()
    }

    /// Takes the groups computed in the background, if they are ready; true when the view
    /// changed.
    pub fn poll_groups(&mut self) -> Option<Outcome> {
        let g = self.groups.as_mut()?;
        match g.loading.as_ref()?.poll()? {
            Ok(list) => {
                (g.list, g.loading) = (list, None);
                Some(Outcome::done())
            }
            Err(StoreError::Stopped) => {
                self.groups = None;
                Some(Outcome::warn("grouping stopped"))
            }
            Err(e) => {
                self.groups = None;
                Some(Outcome::error("cannot group the queue", e))
            }
        }
    }

    /// The keys while the group view is open: move, the next grouping, choose, close.
    pub(super) fn in_groups(&mut self, action: Action, ctx: &Ctx<'_>) -> Outcome {
        let Some(g) = &mut self.groups else { return Outcome::done() };
        let last = g.list.len().saturating_sub(1);
        match action {
            Action::Up => g.sel = g.sel.saturating_sub(1),
            Action::Down => g.sel = (g.sel + 1).min(last),
            Action::First => g.sel = 0,
            Action::Last => g.sel = last,
            Action::NextPane => {
                let next = ORDER[(ORDER.iter().position(|b| *b == g.by).unwrap_or(0) + 1) % ORDER.len()];
                return self.show_groups(next, ctx);
            }
            Action::ToggleFocused => {
                let Some(chosen) = g.list.get(g.sel).cloned() else { return Outcome::warn("no group to choose") };
                self.groups = None;
                return match crate::query::parse(&chosen.query, &ctx.zone, ctx.checklist) {
                    Ok(query) => {
                        self.win.search = Some((chosen.query.clone(), query));
                        match self.reload(ctx) {
                            Ok(()) => {
                                // How to read the group as a list before marking it.
                                let skim = match ctx.keymap.first(Action::Preview) {
                                    Some(key) if !self.preview => format!(" · {key} shows their messages"),
                                    _ => String::new(),
                                };
                                let query = text::line(&chosen.query);
                                Outcome::info(format!("{} requests: {query}{skim}", chosen.count))
                            }
                            Err(e) => Outcome::error("cannot read the queue", e),
                        }
                    }
                    Err(e) => Outcome::warn(e.to_string()),
                };
            }
            Action::Cancel | Action::Groups => self.groups = None,
            _ => {}
        }
        Outcome::done()
    }
}

/// The group view, over the queue.
pub fn render(g: &Groups, area: Rect, buf: &mut Buffer, draw: &Draw<'_>) {
    let t = draw.theme;
    let key = |a: Action| draw.keymap.first(a).unwrap_or_default();
    let popup = centered(area, 76, (g.list.len() as u16 + 4).clamp(6, area.height));
    Clear.render(popup, buf);
    let title = format!(" Pending by {} — {} next grouping ", name(g.by), key(Action::NextPane));
    let block = Block::bordered().border_type(BorderType::Double).title(title).border_style(t.accent);
    let inner = block.inner(popup);
    block.render(popup, buf);
    let mut lines: Vec<Line> = Vec::new();
    if g.loading.is_some() {
        lines.push(Line::styled("grouping the pending requests…", t.muted));
    } else if g.list.is_empty() {
        lines.push(Line::styled("no pending request falls in a group of this kind", t.muted));
    }
    let width = inner.width as usize;
    let visible = (inner.height as usize).saturating_sub(1).max(1);
    for (i, group) in g.list.iter().enumerate().skip(g.sel.saturating_sub(visible - 1)).take(visible) {
        let selected = i == g.sel;
        let head = format!("{}{:>7}  ", if selected { "▸" } else { " " }, group.count);
        let label = text::line(&group.label);
        let label = text::truncate(&label, width.saturating_sub(head.chars().count()));
        lines.push(Line::styled(format!("{head}{label}"), if selected { t.selection } else { t.text }));
    }
    lines.push(Line::styled(
        format!("{} filters the queue to it · {} closes", key(Action::ToggleFocused), key(Action::Cancel)),
        t.muted,
    ));
    Paragraph::new(lines).render(inner, buf);
}
