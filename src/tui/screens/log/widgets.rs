//! The log's widgets: the list of decisions, and the detail of the one selected (the decision,
//! what the person wrote, the checklist then, the notes, the person's history). Untrusted
//! text reaches the buffer only through `text.rs`.

use super::LogScreen;
use crate::model::{DecisionRow, RequestRow, Status};
use crate::store::DeclinedRow;
use crate::text;
use crate::tui::action::Action;
use crate::tui::present::{decision_mark, decision_word, pad, together, until};
use crate::tui::prompt::PromptKind;
use crate::tui::screens::Draw;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Paragraph, Widget, Wrap};

/// The screen: the list on the left, the selected decision and the person's history on the
/// right, the notes editor over it while it is open.
pub(super) fn render(screen: &LogScreen, area: Rect, buf: &mut Buffer, draw: &Draw<'_>) {
    let list_w = (area.width * 48 / 100).max(38);
    let [list, detail] = Layout::horizontal([Constraint::Length(list_w), Constraint::Min(30)]).areas(area);
    let title = if screen.declined() {
        format!(" Declined now · {} ", screen.paged.label())
    } else {
        format!(" Log, newest first · {} ", screen.paged.label())
    };
    let block = Block::bordered().title(title).border_style(draw.theme.accent);
    let inner = block.inner(list);
    block.render(list, buf);
    screen.render_list(inner, buf, draw);
    let block = Block::bordered().title(" Decision and history ").border_style(draw.theme.muted);
    let inner = block.inner(detail);
    block.render(detail, buf);
    match screen.paged.selected() {
        Some(row) => Paragraph::new(screen.detail_lines(row, draw)).wrap(Wrap { trim: false }).render(inner, buf),
        None => Paragraph::new("nothing selected").style(draw.theme.muted).render(inner, buf),
    }
    if let Some(p) = draw.prompt.filter(|p| p.kind == PromptKind::Notes) {
        let [_, editor] = Layout::vertical([Constraint::Percentage(40), Constraint::Min(6)]).areas(detail);
        p.render_box(" Notes (editing) ", editor, buf, draw.theme);
    }
}

impl LogScreen {
    fn render_list(&self, area: Rect, buf: &mut Buffer, draw: &Draw<'_>) {
        let t = draw.theme;
        let mut lines: Vec<Line> = Vec::new();
        if !self.filter_text.is_empty() {
            lines.push(Line::styled(format!("filter: {}", text::line(&self.filter_text)), t.warning));
        }
        let down = draw.keymap.first(Action::Down).unwrap_or_default();
        let partial = format!("… more may match: {down} at the end searches all");
        if self.paged.rows.is_empty() && !self.complete {
            lines.push(Line::styled(partial, t.warning));
            Paragraph::new(lines).wrap(Wrap { trim: false }).render(area, buf);
            return;
        }
        if self.paged.rows.is_empty() {
            let msg = match (self.declined(), self.filter_text.is_empty()) {
                (_, false) => "no match",
                (true, true) => "nobody is declined",
                _ => "no decisions yet",
            };
            lines.push(Line::styled(msg, t.muted));
            Paragraph::new(lines).render(area, buf);
            return;
        }
        let height = (area.height as usize).saturating_sub(lines.len() + 1).max(1);
        self.height.set(height);
        let offset = self.paged.sel.saturating_sub(height - 1);
        {
            let top = area.y + lines.len() as u16;
            let mut hits = draw.hits.borrow_mut();
            hits.list = Rect { y: top, height: height as u16, ..area };
            hits.list_offset = offset;
        }
        let width = area.width as usize;
        for (i, r) in self.paged.rows.iter().enumerate().skip(offset).take(height) {
            let d = &r.decision;
            let selected = i == self.paged.sel;
            let chain = d.supersedes.map(|s| format!("↶#{s} ")).unwrap_or_default();
            let chain = match d.batch_size {
                Some(n) if d.batch.is_some() => format!("{chain}×{n} "),
                _ => chain,
            };
            let narrow = width < 50;
            let day = draw.day(&d.decided_at);
            let date = if narrow { day.get(5..).unwrap_or_default() } else { day.as_str() };
            let head = format!("{}{} {date} ", if selected { "▸" } else { " " }, decision_mark(d));
            let name_w = (if narrow { 13 } else { 18 }).min(width.saturating_sub(head.chars().count() + 2));
            let name = pad(&d.name, name_w);
            let rest = width.saturating_sub(head.chars().count() + name_w + 1);
            // A deferral's day to come back leads, so that it is never cut.
            let until = until(d, draw.zone).trim().trim_matches(['(', ')']).to_string();
            let until = if until.is_empty() { until } else { format!("{until} · ") };
            let tail = text::truncate(&format!("{chain}{until}{}", text::line(&d.reason)), rest).into_owned();
            let style = if selected { t.selection } else { t.text };
            lines.push(Line::styled(format!("{head}{name} {tail}"), style));
        }
        if !self.complete {
            lines.push(Line::styled(partial, t.warning));
        } else {
            let more = if self.paged.at_end { "end of the list" } else { "▼ more" };
            lines.push(Line::styled(format!("  {more}"), t.muted));
        }
        Paragraph::new(lines).render(area, buf);
    }

    fn detail_lines<'a>(&self, row: &DeclinedRow, draw: &Draw<'_>) -> Vec<Line<'a>> {
        let d = &row.decision;
        let mut lines = decision_heading(d, draw);
        // What the person wrote, beside the decision (a batch's each its own).
        if let Some(r) = self.request.as_ref().filter(|r| r.id == d.request_id) {
            lines.extend(their_message(r, draw));
        }
        lines.extend(checklist_and_notes(row, draw));
        lines.extend(self.person_history(d, draw));
        let keys = draw.keymap.first(Action::Accept).zip(draw.keymap.first(Action::Reopen));
        if let Some((a, p)) = keys.filter(|_| self.declined() && d.decision == Status::Declined) {
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                format!("Reconsider: {a} accept · {p} back to pending (with a new reason)"),
                draw.theme.muted,
            ));
        }
        lines
    }

    /// Every decision about the person, newest first, this one in bold.
    fn person_history<'a>(&self, d: &DecisionRow, draw: &Draw<'_>) -> Vec<Line<'a>> {
        let t = draw.theme;
        let mut lines =
            vec![Line::styled("History of this person, newest first", t.muted.add_modifier(Modifier::BOLD))];
        for h in &self.history {
            let chain = h.supersedes.map(|s| format!(" (replaces #{s})")).unwrap_or_default();
            let reason = if h.reason.is_empty() { String::new() } else { format!(": {}", text::line(&h.reason)) };
            let style = if h.id == d.id { t.accent.add_modifier(Modifier::BOLD) } else { t.text };
            lines.push(Line::styled(
                format!(
                    "#{} {} {} {}{reason}{chain}",
                    h.id,
                    decision_mark(h),
                    decision_word(h),
                    draw.day(&h.decided_at)
                ),
                style,
            ));
        }
        lines
    }
}

/// The name, the profile, the decision and its reason, and the evidence it was made on.
fn decision_heading<'a>(d: &DecisionRow, draw: &Draw<'_>) -> Vec<Line<'a>> {
    let t = draw.theme;
    let label = |s: &str| Span::styled(format!("{s}: "), t.muted);
    let mut lines = vec![
        Line::styled(text::line(&d.name).into_owned(), t.title),
        Line::from(vec![
            label("Profile"),
            match &d.profile_url {
                Some(u) => Span::styled(text::line(u).into_owned(), t.accent),
                None => Span::styled("(no URL)", t.muted),
            },
        ]),
        Line::from(vec![
            label(&format!("#{}", d.id)),
            Span::raw(format!(
                "{} {} on {}{}{}",
                decision_mark(d),
                decision_word(d),
                draw.day(&d.decided_at),
                until(d, draw.zone),
                together(d)
            )),
        ]),
        Line::from(vec![
            label("Reason"),
            Span::raw(if d.reason.is_empty() { "(none given)".into() } else { text::line(&d.reason).into_owned() }),
        ]),
    ];
    // The evidence it was made on: "decided on: suggested sales pitch ‘…’".
    if let Some(on) = crate::evidence::decided_on(d) {
        lines.push(Line::styled(format!("≈ {}", text::line(&on)), t.suggested));
    }
    lines
}

/// The person's headline and message.
fn their_message<'a>(r: &RequestRow, draw: &Draw<'_>) -> Vec<Line<'a>> {
    let t = draw.theme;
    let mut lines = Vec::new();
    if let Some(h) = r.headline.as_deref().filter(|h| !h.trim().is_empty()) {
        lines.push(Line::from(vec![Span::styled("Headline: ", t.muted), Span::raw(text::line(h).into_owned())]));
    }
    lines.push(Line::styled("Their message", t.muted.add_modifier(Modifier::BOLD)));
    if r.message.trim().is_empty() {
        lines.push(Line::styled("(no message)", t.muted));
    } else {
        lines.extend(Text::raw(text::block(&r.message).into_owned()).lines);
    }
    lines
}

/// The checklist as answered when deciding, and the notes on the person.
fn checklist_and_notes<'a>(row: &DeclinedRow, draw: &Draw<'_>) -> Vec<Line<'a>> {
    let t = draw.theme;
    let answers: Vec<String> = draw
        .checklist
        .items
        .iter()
        .filter_map(|i| {
            row.decision.answers.get(&i.key).map(|v| format!("{} {}", if *v { "[x]" } else { "[ ]" }, i.label))
        })
        .collect();
    let mut lines = vec![Line::styled("Checklist then", t.muted.add_modifier(Modifier::BOLD))];
    if answers.is_empty() {
        lines.push(Line::styled("(nothing answered)", t.muted));
    }
    lines.extend(answers.into_iter().map(Line::raw));
    lines.push(Line::styled("Notes", t.muted.add_modifier(Modifier::BOLD)));
    match row.notes.as_deref().filter(|n| !n.trim().is_empty()) {
        Some(n) => lines.extend(Text::raw(text::block(n).into_owned()).lines),
        None => lines.push(Line::styled("(none)", t.muted)),
    }
    lines
}
