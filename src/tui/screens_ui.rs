//! Widgets of the log screens: Declined, Log, Stats and To do. Untrusted text goes through
//! `text.rs` as everywhere else.

use super::action::Action;
use super::app::App;
use super::screens::{LogView, Screen, StatsView};
use crate::model::{DecisionRow, Status};
use crate::store::DeclinedRow;
use crate::text;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Paragraph, Sparkline, Widget, Wrap};

/// The mark of a decision, readable without colour.
pub fn mark(d: &DecisionRow) -> &'static str {
    if d.undo {
        return "↶";
    }
    match d.decision {
        Status::Accepted => "✓",
        Status::Declined => "✗",
        Status::Deferred => "…",
        _ => "○",
    }
}

fn word(d: &DecisionRow) -> &'static str {
    if d.undo {
        return "undo";
    }
    match d.decision {
        Status::Accepted => "accepted",
        Status::Declined => "declined",
        Status::Deferred => "deferred",
        Status::Pending => "back to pending",
        Status::Connected => "connected",
        Status::Withdrawn => "withdrawn",
    }
}

fn pad(s: &str, w: usize) -> String {
    let t = text::truncate(s, w).into_owned();
    let width = unicode_width::UnicodeWidthStr::width(t.as_str());
    format!("{t}{}", " ".repeat(w.saturating_sub(width)))
}

/// The Declined or the Log screen: the page on the left, the selected decision and the
/// person's whole history on the right.
pub struct LogScreen<'a, 'b>(pub &'a App<'b>, pub Screen);

impl Widget for LogScreen<'_, '_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (app, screen) = (self.0, self.1);
        let view = app.log_view(screen);
        let list_w = (area.width * 48 / 100).max(38);
        let [list, detail] = Layout::horizontal([Constraint::Length(list_w), Constraint::Min(30)]).areas(area);
        let title = match screen {
            Screen::Declined => format!(" Declined now · page {} ", view.paged.page()),
            _ => format!(" Log, newest first · page {} ", view.paged.page()),
        };
        let block = Block::bordered().title(title).border_style(app.theme.accent);
        let inner = block.inner(list);
        block.render(list, buf);
        render_list(app, view, screen, inner, buf);
        let block = Block::bordered().title(" Decision and history ").border_style(app.theme.muted);
        let inner = block.inner(detail);
        block.render(detail, buf);
        match view.paged.selected() {
            Some(row) => Paragraph::new(detail_lines(app, row, view)).wrap(Wrap { trim: false }).render(inner, buf),
            None => Paragraph::new("nothing selected").style(app.theme.muted).render(inner, buf),
        }
    }
}

fn render_list(app: &App<'_>, view: &LogView, screen: Screen, area: Rect, buf: &mut Buffer) {
    let t = &app.theme;
    let mut lines: Vec<Line> = Vec::new();
    if !view.filter_text.is_empty() {
        lines.push(Line::styled(format!("filter: {}", text::line(&view.filter_text)), t.warning));
    }
    let down = app.keymap.first(Action::Down).unwrap_or_default();
    let partial = format!("… more may match: {down} at the end searches all");
    if view.paged.rows.is_empty() && !view.complete {
        lines.push(Line::styled(partial, t.warning));
        Paragraph::new(lines).wrap(Wrap { trim: false }).render(area, buf);
        return;
    }
    if view.paged.rows.is_empty() {
        let msg = match (screen, view.filter_text.is_empty()) {
            (_, false) => "no match",
            (Screen::Declined, true) => "nobody is declined",
            _ => "no decisions yet",
        };
        lines.push(Line::styled(msg, t.muted));
        Paragraph::new(lines).render(area, buf);
        return;
    }
    let height = (area.height as usize).saturating_sub(lines.len() + 1).max(1);
    app.list_height.set(height);
    let offset = view.paged.sel.saturating_sub(height - 1);
    {
        let top = area.y + lines.len() as u16;
        let mut hits = app.hits.borrow_mut();
        hits.list = Rect { y: top, height: height as u16, ..area };
        hits.list_offset = offset;
    }
    let width = area.width as usize;
    for (i, r) in view.paged.rows.iter().enumerate().skip(offset).take(height) {
        let d = &r.decision;
        let selected = i == view.paged.sel;
        let chain = d.supersedes.map(|s| format!("↶#{s} ")).unwrap_or_default();
        let narrow = width < 50;
        let day = app.day(&d.decided_at);
        let date = if narrow { day.get(5..).unwrap_or_default() } else { day.as_str() };
        let head = format!("{}{} {date} ", if selected { "▸" } else { " " }, mark(d));
        let name_w = (if narrow { 13 } else { 18 }).min(width.saturating_sub(head.chars().count() + 2));
        let name = pad(&text::line(&d.name), name_w);
        let rest = width.saturating_sub(head.chars().count() + name_w + 1);
        let tail = text::truncate(&format!("{chain}{}", text::line(&d.reason)), rest).into_owned();
        let style = if selected { t.selection } else { t.text };
        lines.push(Line::styled(format!("{head}{name} {tail}"), style));
    }
    if !view.complete {
        lines.push(Line::styled(partial, t.warning));
    } else {
        let more = if view.paged.at_end { "end of the list" } else { "▼ more" };
        lines.push(Line::styled(format!("  {more}"), t.muted));
    }
    Paragraph::new(lines).render(area, buf);
}

fn detail_lines<'a>(app: &App<'_>, row: &DeclinedRow, view: &LogView) -> Vec<Line<'a>> {
    let t = &app.theme;
    let d = &row.decision;
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
            Span::raw(format!("{} {} on {}", mark(d), word(d), app.day(&d.decided_at))),
        ]),
        Line::from(vec![
            label("Reason"),
            Span::raw(if d.reason.is_empty() { "(none given)".into() } else { text::line(&d.reason).into_owned() }),
        ]),
    ];
    let answers: Vec<String> = app
        .checklist
        .items
        .iter()
        .filter_map(|i| d.answers.get(&i.key).map(|v| format!("{} {}", if *v { "[x]" } else { "[ ]" }, i.label)))
        .collect();
    lines.push(Line::styled("Checklist then", t.muted.add_modifier(Modifier::BOLD)));
    if answers.is_empty() {
        lines.push(Line::styled("(nothing answered)", t.muted));
    }
    lines.extend(answers.into_iter().map(Line::raw));
    lines.push(Line::styled("Notes", t.muted.add_modifier(Modifier::BOLD)));
    match row.notes.as_deref().filter(|n| !n.trim().is_empty()) {
        Some(n) => lines.extend(Text::raw(text::block(n).into_owned()).lines),
        None => lines.push(Line::styled("(none)", t.muted)),
    }
    lines.push(Line::styled("History of this person, newest first", t.muted.add_modifier(Modifier::BOLD)));
    for h in &view.history {
        let chain = h.supersedes.map(|s| format!(" (replaces #{s})")).unwrap_or_default();
        let reason = if h.reason.is_empty() { String::new() } else { format!(": {}", text::line(&h.reason)) };
        let style = if h.id == d.id { t.accent.add_modifier(Modifier::BOLD) } else { t.text };
        lines.push(Line::styled(
            format!("#{} {} {} {}{reason}{chain}", h.id, mark(h), word(h), app.day(&h.decided_at)),
            style,
        ));
    }
    if screen_keys_hint(app).is_some() && row.decision.decision == Status::Declined {
        lines.push(Line::raw(""));
        lines.push(Line::styled(screen_keys_hint(app).unwrap_or_default(), t.muted));
    }
    lines
}

fn screen_keys_hint(app: &App<'_>) -> Option<String> {
    if app.screen != Screen::Declined {
        return None;
    }
    let a = app.keymap.first(Action::Accept)?;
    let p = app.keymap.first(Action::Reopen)?;
    Some(format!("Reconsider: {a} accept · {p} back to pending (with a new reason)"))
}

/// The To do on LinkedIn screen.
pub struct TodoScreen<'a, 'b>(pub &'a App<'b>);

impl Widget for TodoScreen<'_, '_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let t = &app.theme;
        let paged = &app.todo.paged;
        let block = Block::bordered()
            .title(format!(" To do on LinkedIn (My Network → Invitations) · page {} ", paged.page()))
            .border_style(t.accent);
        let inner = block.inner(area);
        block.render(area, buf);
        let mut lines: Vec<Line> = Vec::new();
        if paged.rows.is_empty() {
            lines.push(Line::styled("Nothing left to do on LinkedIn.", t.muted));
            Paragraph::new(lines).render(inner, buf);
            return;
        }
        let height = (inner.height as usize).saturating_sub(2).max(1);
        app.list_height.set(height);
        let offset = paged.sel.saturating_sub(height - 1);
        {
            let mut hits = app.hits.borrow_mut();
            hits.list = Rect { height: height as u16, ..inner };
            hits.list_offset = offset;
        }
        let width = inner.width as usize;
        for (i, row) in paged.rows.iter().enumerate().skip(offset).take(height) {
            let r = &row.request;
            let selected = i == paged.sel;
            let head = format!("{}[ ] {:<6} ", if selected { "▸" } else { " " }, row.action);
            let name_w = (if width >= 100 { 44 } else { 24 }).min(width.saturating_sub(head.chars().count() + 1));
            let name = pad(&text::line(&r.name), name_w);
            let url = r.profile_url.as_deref().map(|u| text::line(u).into_owned()).unwrap_or("(no URL)".into());
            let rest = width.saturating_sub(head.chars().count() + name_w + 1);
            let style = if selected { t.selection } else { t.text };
            lines.push(Line::styled(format!("{head}{name} {}", text::truncate(&url, rest)), style));
        }
        let o = app.keymap.first(Action::OpenProfile).unwrap_or_default();
        let x = app.keymap.first(Action::MarkDone).unwrap_or_default();
        let more = if paged.at_end { "" } else { "▼ more · " };
        lines.push(Line::styled(format!("  {more}{o} opens the profile · {x} marks it done"), t.muted));
        Paragraph::new(lines).render(inner, buf);
    }
}

/// The Stats screen.
pub struct StatsScreen<'a, 'b>(pub &'a App<'b>);

impl Widget for StatsScreen<'_, '_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let t = &app.theme;
        let s = match &app.stats {
            StatsView::Ready(s) => s,
            StatsView::Failed(e) => {
                Paragraph::new(format!("cannot compute the statistics: {e}")).style(t.danger).render(area, buf);
                return;
            }
            _ => {
                Paragraph::new("computing the statistics…").style(t.muted).render(area, buf);
                return;
            }
        };
        let [left, right] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
        let block = Block::bordered().title(" Decisions ").border_style(t.accent);
        let inner = block.inner(left);
        block.render(left, buf);
        let h = |s: &str| Line::styled(s.to_string(), t.title);
        let count = |m: &std::collections::BTreeMap<String, u64>, k: &str| m.get(k).copied().unwrap_or(0);
        let mut lines = vec![
            h("Counts by decision (log rows)"),
            Line::raw(format!(
                "✓ {} accepted  ✗ {} declined",
                count(&s.decisions, "accepted"),
                count(&s.decisions, "declined")
            )),
            Line::raw(format!(
                "… {} deferred  ○ {} back to pending",
                count(&s.decisions, "deferred"),
                count(&s.decisions, "pending")
            )),
        ];
        // Requests no decision is needed for, so that none of them is lost from sight.
        let (connected, withdrawn) = (count(&s.requests, "connected"), count(&s.requests, "withdrawn"));
        if connected + withdrawn > 0 {
            lines.push(Line::styled(
                format!("{connected} already connected  {withdrawn} withdrawn on LinkedIn (vetted list --status …)"),
                t.muted,
            ));
        }
        lines.push(h("Top decline reasons"));
        if s.top_decline_reasons.is_empty() {
            lines.push(Line::styled("(none yet)", t.muted));
        }
        for (reason, n) in &s.top_decline_reasons {
            lines.push(Line::raw(format!("{n:>6}  {}", text::truncate(&text::line(reason), 40))));
        }
        lines.push(h("Checklist yes  with ✓ / with ✗"));
        for (key, acc, dec) in &s.answers {
            let label = app.checklist.items.iter().find(|i| &i.key == key).map_or(key.as_str(), |i| i.label.as_str());
            let w = (inner.width as usize).saturating_sub(16).max(8);
            lines.push(Line::raw(format!("{} {acc:>6} {dec:>6}", pad(&text::line(label), w))));
        }
        Paragraph::new(lines).render(inner, buf);

        let [bars, spark] = Layout::vertical([Constraint::Min(8), Constraint::Length(6)]).areas(right);
        let block = Block::bordered().title(" Accept rate (✓ of ✓+✗) by YY-MM ").border_style(t.muted);
        let inner = block.inner(bars);
        block.render(bars, buf);
        let fits = (inner.width as usize / 6).max(1);
        let months = &s.by_month[s.by_month.len().saturating_sub(fits)..];
        let group: Vec<Bar> = months
            .iter()
            .map(|(m, a, d)| {
                let rate = (a * 100).checked_div(a + d).unwrap_or(0);
                Bar::default()
                    .value(rate)
                    .text_value(format!("{rate}"))
                    .label(Line::from(m.get(2..).unwrap_or(m).to_string()))
            })
            .collect();
        if group.is_empty() {
            Paragraph::new("no decisions yet").style(t.muted).render(inner, buf);
        } else {
            BarChart::default()
                .data(BarGroup::default().bars(&group))
                .bar_width(5)
                .bar_gap(1)
                .max(100)
                .bar_style(t.accent)
                .value_style(t.title.add_modifier(Modifier::REVERSED))
                .render(inner, buf);
        }
        let total: u64 = s.last_7_days.iter().map(|(_, n)| n).sum();
        let block = Block::bordered().title(format!(" This week: {total} decisions (7 days) ")).border_style(t.muted);
        let inner = block.inner(spark);
        block.render(spark, buf);
        let [line, days] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
        let data: Vec<u64> = s.last_7_days.iter().map(|(_, n)| *n).collect();
        let per = (inner.width as usize / data.len().max(1)).max(1);
        let wide: Vec<u64> = data.iter().flat_map(|n| std::iter::repeat_n(*n, per)).collect();
        Sparkline::default().data(&wide).style(t.accent).render(line, buf);
        let labels: String = s
            .last_7_days
            .iter()
            .map(|(d, n)| format!("{:<per$}", format!("{}:{n}", d.get(8..).unwrap_or(d))))
            .collect();
        Line::styled(labels, t.muted).render(days, buf);
    }
}
