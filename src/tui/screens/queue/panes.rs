//! The review's widgets: the queue, the person, the checklist side by side, the notes editor
//! over the person, and the session summary when the queue is empty. Untrusted text reaches
//! the buffer only through `text.rs`.

use super::{Current, Pane, QueueScreen, pane_block};
use crate::model::{RequestRow, Status, Verdict};
use crate::text;
use crate::tui::action::Action;
use crate::tui::present::{decision_mark, decision_word, long_time, short_age, until, verdict_done, verdict_mark};
use crate::tui::prompt::PromptKind;
use crate::tui::screens::Draw;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Paragraph, Widget, Wrap};
use unicode_width::UnicodeWidthStr;

pub fn render(q: &QueueScreen, area: Rect, buf: &mut Buffer, draw: &Draw<'_>) {
    if q.win.rows.is_empty() && q.win.search.is_none() {
        return summary(q, draw, area, buf);
    }
    let width = area.width;
    let (queue_w, check_w) = if q.preview {
        // The messages are read as a list: the queue takes what the others can spare.
        let check_w = (width * 28 / 100).clamp(24, 40);
        let person_w = (width / 4).max(20);
        (width.saturating_sub(check_w + person_w).clamp(18, 90), check_w)
    } else {
        ((width * 22 / 100).clamp(18, 34), (width * 34 / 100).clamp(30, 48))
    };
    let [queue, person, checklist] =
        Layout::horizontal([Constraint::Length(queue_w), Constraint::Min(20), Constraint::Length(check_w)]).areas(area);
    queue_pane(q, draw, queue, buf);
    person_pane(q, draw, person, buf);
    super::checklist_pane::render(q, draw, checklist, buf);
    let inner = |r: Rect| Block::bordered().inner(r);
    let mut hits = draw.hits.borrow_mut();
    (hits.queue, hits.person, hits.checklist) = (inner(queue), inner(person), inner(checklist));
    if let Some(p) = draw.prompt.filter(|p| p.kind.multi_line()) {
        let [_, editor] = Layout::vertical([Constraint::Percentage(40), Constraint::Min(6)]).areas(person);
        let title = if p.kind == PromptKind::Notes { " Notes (editing) " } else { " Headline, company, location " };
        p.render_box(title, editor, buf, draw.theme);
    }
    drop(hits);
    if let Some(g) = &q.groups {
        super::groups::render(g, area, buf, draw);
    }
}

fn queue_pane(q: &QueueScreen, draw: &Draw<'_>, area: Rect, buf: &mut Buffer) {
    let block = pane_block(q, draw, " Queue ", Pane::Queue);
    let inner = block.inner(area);
    block.render(area, buf);
    if q.win.rows.is_empty() {
        let down = draw.keymap.first(Action::Down).unwrap_or_default();
        let msg = match &q.win.search {
            Some(_) if !q.win.complete => format!("… more may match: {down} searches all"),
            Some(_) => "no match".to_string(),
            None => "queue empty".to_string(),
        };
        Paragraph::new(msg).style(draw.theme.muted).wrap(Wrap { trim: true }).render(inner, buf);
        return;
    }
    let height = inner.height as usize;
    let more_below = !q.win.at_end;
    let visible = height.saturating_sub(usize::from(more_below)).max(1);
    q.win.height.set(visible);
    let offset = q.win.scroll_to_selection(visible);
    let width = inner.width as usize;
    let mut lines = Vec::new();
    // A column for what the answers recommend, once any row shown has a recommendation.
    let shown = || q.win.rows.iter().skip(offset).take(visible);
    let rec_w = usize::from(shown().any(|(r, _)| r.recommends.is_some()));
    let mark_w = usize::from(!q.marks.is_empty());
    // With the preview, names share one column (a quarter of the pane at most) and the
    // message follows them.
    let names_w = shown().map(|(r, _)| text::line(&r.name).width()).max().unwrap_or(0);
    let preview_name_w = names_w.min(width / 4).max(8);
    // A repeated invitation is one entry: how often they asked (`↺` already says it of
    // someone declined before).
    let age_of = |row: &crate::model::RequestRow| {
        let age = short_age(draw.now, row.sent_at.as_deref());
        if row.asks > 1 && !row.asked_again { format!("{}× {age}", row.asks) } else { age }
    };
    let ages_w = shown().map(|(r, _)| age_of(r).width()).max().unwrap_or(0);
    for (i, (row, _)) in shown().enumerate().map(|(n, r)| (n + offset, r)) {
        let selected = i == q.win.sel;
        let marker = if selected { "▸" } else { " " };
        let again = if row.asked_again { "↺" } else { " " };
        // What the answers recommend, readable without colour.
        let rec = if rec_w == 0 { "" } else { row.recommends.map_or(" ", verdict_mark) };
        let mark = match (mark_w, q.marks.contains_key(&row.id)) {
            (0, _) => "",
            (_, true) => "●",
            (_, false) => " ",
        };
        let age = age_of(row);
        // Aligned, so the messages start in one column.
        let age = if q.preview { format!("{age:>ages_w$}") } else { age };
        let room = width.saturating_sub(3 + rec_w + mark_w + age.width() + 1);
        let name_w = if q.preview { room.min(preview_name_w) } else { room };
        let name = text::truncate(&text::line(&row.name), name_w).into_owned();
        let pad = name_w.saturating_sub(name.width());
        let style = if selected { draw.theme.selection } else { draw.theme.text };
        let mut spans = vec![
            Span::styled(format!("{marker}{mark}{again}{rec}"), style),
            Span::styled(format!("{name}{} {age}", " ".repeat(pad)), style),
        ];
        if q.preview {
            let room = room.saturating_sub(name_w + 2);
            let first = text::line(first_line(&row.message).unwrap_or("(no message)"));
            let first = text::truncate(&first, room);
            spans.push(Span::styled(format!("  {first}"), if selected { style } else { draw.theme.muted }));
        }
        lines.push(Line::from(spans));
    }
    if more_below {
        lines.push(Line::styled("  ▼ more", draw.theme.muted));
    }
    Paragraph::new(lines).render(inner, buf);
}

/// The first line of a message with words on it, trimmed (`None`: no message).
pub fn first_line(message: &str) -> Option<&str> {
    message.lines().map(str::trim).find(|l| !l.is_empty())
}

fn person_pane(q: &QueueScreen, draw: &Draw<'_>, area: Rect, buf: &mut Buffer) {
    let t = &draw.theme;
    let block = pane_block(q, draw, " Person ", Pane::Person);
    let inner = block.inner(area);
    block.render(area, buf);
    let Some(c) = &q.current else {
        Paragraph::new("nothing selected").style(t.muted).render(inner, buf);
        return;
    };
    let mut lines = person_heading(q, draw, &c.row);
    lines.extend(person_facts(draw, &c.row));
    lines.extend(message_and_notes(draw, c));
    lines.extend(earlier_decisions(draw, c));
    Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((q.person_scroll, 0)).render(inner, buf);
}

/// The name (and "asked again"), the earlier decision to repeat, the headline and the place.
fn person_heading(q: &QueueScreen, draw: &Draw<'_>, r: &RequestRow) -> Vec<Line<'static>> {
    let t = &draw.theme;
    let mut lines: Vec<Line> = Vec::new();
    let mut name = vec![Span::styled(text::line(&r.name).into_owned(), t.title)];
    if r.asked_again {
        name.push(Span::styled("  ↺ asked again (declined before)", t.warning));
    }
    lines.push(Line::from(name));
    if let Some(e) = q.earlier_decision() {
        let key = draw.keymap.first(Action::RepeatEarlier).map(|k| format!(" ({k} repeats it)")).unwrap_or_default();
        let reason = if e.reason.is_empty() { String::new() } else { format!(": {}", text::line(&e.reason)) };
        lines.push(Line::styled(
            format!("↺ earlier: {} {}{reason}{key}", decision_word(e), draw.day(&e.decided_at)),
            t.warning.add_modifier(Modifier::BOLD),
        ));
    }
    if let Some(h) = r.headline.as_deref().filter(|h| !h.is_empty()) {
        lines.push(Line::from(text::line(h).into_owned()));
    }
    let place: Vec<String> =
        [&r.company, &r.location].into_iter().flatten().map(|s| text::line(s).into_owned()).collect();
    if !place.is_empty() {
        lines.push(Line::from(place.join(" · ")));
    }
    lines
}

/// Labelled facts: sent, source, profile, mutual connections, shared groups, introduced by.
fn person_facts(draw: &Draw<'_>, r: &RequestRow) -> Vec<Line<'static>> {
    let t = &draw.theme;
    let label = |s: &str| Span::styled(format!("{s}: "), t.muted);
    let mut lines: Vec<Line> = Vec::new();
    lines.push(Line::from(vec![
        label("Sent"),
        Span::raw(long_time(draw.now, draw.zone, r.sent_at.as_deref(), r.sent_at_raw.as_deref())),
        Span::styled(
            if r.asks > 1 && !r.asked_again { format!(" · asked {}×", r.asks) } else { String::new() },
            t.warning,
        ),
    ]));
    lines.push(Line::from(vec![label("Source"), Span::raw(text::line(&r.source).into_owned())]));
    lines.push(Line::from(vec![
        label("Profile"),
        match &r.profile_url {
            Some(u) => Span::styled(text::line(u).into_owned(), t.accent),
            None => Span::styled("(no URL)", t.muted),
        },
    ]));
    if let Some(m) = r.mutual_connections {
        lines.push(Line::from(vec![label("Mutual connections"), Span::raw(m.to_string())]));
    }
    if let Some(g) = r.shared_groups.as_deref().filter(|g| !g.is_empty()) {
        lines.push(Line::from(vec![label("Shared groups"), Span::raw(text::line(g).into_owned())]));
    }
    if let Some(i) = r.introduced_by.as_deref().filter(|i| !i.is_empty()) {
        lines.push(Line::from(vec![label("Introduced by"), Span::raw(text::line(i).into_owned())]));
    }
    lines
}

/// The message, then the user's notes (or how to write one).
fn message_and_notes(draw: &Draw<'_>, c: &Current) -> Vec<Line<'static>> {
    let t = &draw.theme;
    let mut lines: Vec<Line> = Vec::new();
    lines.push(Line::raw(""));
    lines.push(Line::styled("Message", t.muted.add_modifier(Modifier::BOLD)));
    if c.row.message.trim().is_empty() {
        lines.push(Line::styled("(no message)", t.muted));
    } else {
        lines.extend(Text::raw(text::block(&c.row.message).into_owned()).lines);
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Notes", t.muted.add_modifier(Modifier::BOLD)));
    match c.note.as_deref().filter(|n| !n.trim().is_empty()) {
        Some(n) => lines.extend(Text::raw(text::block(n).into_owned()).lines),
        None => {
            let key = draw.keymap.first(Action::EditNotes).unwrap_or_default();
            lines.push(Line::styled(format!("(none; {key} to write)"), t.muted));
        }
    }
    for other in &c.other_notes {
        let when = crate::clock::local_time(other.written_at, draw.zone);
        let device = text::line(&other.device);
        let key = draw.keymap.first(Action::EditNotes).unwrap_or_default();
        lines.push(Line::styled(
            format!("Also written on {device}, {when}, beside the text above ({key} to settle):"),
            t.warning,
        ));
        match other.text.trim() {
            "" => lines.push(Line::styled("(cleared there)", t.muted)),
            body => lines.extend(Text::raw(text::block(body).into_owned()).lines),
        }
    }
    lines
}

/// Earlier decisions about this person, newest first as the store gives them.
fn earlier_decisions(draw: &Draw<'_>, c: &Current) -> Vec<Line<'static>> {
    let t = &draw.theme;
    let mut lines: Vec<Line> = Vec::new();
    if !c.history.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled("Earlier decisions about this person", t.muted.add_modifier(Modifier::BOLD)));
        for d in &c.history {
            let date = draw.day(&d.decided_at);
            let reason = if d.reason.is_empty() { String::new() } else { format!(": {}", text::line(&d.reason)) };
            let style = if d.decision == Status::Declined { t.warning } else { t.text };
            let until = until(d, draw.zone);
            lines.push(Line::styled(format!("{} {} {date}{reason}{until}", decision_mark(d), decision_word(d)), style));
        }
    }
    lines
}

fn summary(q: &QueueScreen, draw: &Draw<'_>, area: Rect, buf: &mut Buffer) {
    let t = &draw.theme;
    let block = Block::bordered().title(" Session summary ").border_style(t.accent);
    let inner = block.inner(area);
    block.render(area, buf);
    let mut lines: Vec<Line> = Vec::new();
    if draw.session.is_empty() {
        lines.push(Line::styled("Nothing to review: no pending requests.", t.title));
        lines.push(Line::raw("Import your LinkedIn export with `vetted import`, or add one with `vetted add`."));
    } else {
        lines.push(Line::styled("Queue empty: every pending request is decided.", t.title));
    }
    let count = |v| draw.session.decided(v).count() + draw.session.batched(v) as usize;
    if !draw.session.is_empty() {
        lines.push(Line::raw(format!(
            "This session: {} accepted, {} declined, {} deferred.",
            count(Verdict::Accept),
            count(Verdict::Decline),
            count(Verdict::Defer)
        )));
    }
    let names = |v| draw.session.decided(v).map(|e| text::line(&e.name).into_owned()).collect::<Vec<_>>().join(", ");
    for v in [Verdict::Accept, Verdict::Decline, Verdict::Defer] {
        if count(v) > 0 {
            let word = verdict_done(v);
            let word = format!("{}{}", word[..1].to_uppercase(), &word[1..]);
            lines.push(Line::raw(format!("  {} {word}: {}", verdict_mark(v), names(v))));
        }
    }
    let todo: Vec<_> = draw.session.decisions().filter(|e| e.verdict != Verdict::Defer).collect();
    if !todo.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled("To do on LinkedIn (My Network → Invitations):", t.title));
        for (v, what) in [(Verdict::Accept, "Accept"), (Verdict::Decline, "Ignore")] {
            for e in todo.iter().filter(|e| e.verdict == v) {
                let url = e.profile_url.as_deref().map(|u| format!("  {}", text::line(u))).unwrap_or_default();
                lines.push(Line::raw(format!("  [ ] {what} {}{url}", text::line(&e.name))));
            }
        }
    }
    let together = draw.session.batched(Verdict::Accept) + draw.session.batched(Verdict::Decline);
    if together > 0 {
        let key = draw.keymap.first(Action::ScreenTodo).unwrap_or_default();
        lines.push(Line::raw(format!("  … and {together} decided together: the To do screen ({key}) lists them")));
    }
    if count(Verdict::Defer) > 0 {
        lines.push(Line::styled("Deferred requests wait in the store: `vetted list --status deferred`.", t.muted));
    }
    lines.push(Line::raw(""));
    let undo = draw.keymap.first(Action::Undo).map(|k| format!("{k} undoes the last decision · ")).unwrap_or_default();
    let quit = draw.keymap.first(Action::Quit).unwrap_or_default();
    lines.push(Line::styled(format!("{undo}{quit} quits"), t.muted));
    let summary = Paragraph::new(lines).wrap(Wrap { trim: false });
    // Kept where the text still fills the pane; a hint says when more is below.
    let height = summary.line_count(inner.width) as u16;
    let scroll = q.summary_scroll.get().min(height.saturating_sub(inner.height));
    q.summary_scroll.set(scroll);
    summary.scroll((scroll, 0)).render(inner, buf);
    if height > scroll + inner.height {
        let down = draw.keymap.first(Action::Down).unwrap_or_default();
        Line::styled(format!(" ▼ more ({down}) "), t.muted)
            .right_aligned()
            .render(Rect { y: area.bottom() - 1, height: 1, ..area }, buf);
    }
}
