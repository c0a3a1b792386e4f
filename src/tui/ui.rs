//! One widget per pane and screen. Untrusted text reaches the buffer only through `text.rs`;
//! as a last line of defence, [`scrub`] replaces anything unsafe left in the buffer.

use super::action::{Action, KeyMode};
use super::app::{App, Level, Mode, Pane};
use super::screens::{Reconsider, Screen};
use super::screens_ui::{LogScreen, StatsScreen, TodoScreen};
use crate::checklist::Kind;
use crate::model::{Status, Verdict};
use crate::text;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Widget, Wrap};

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

impl Widget for &App<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        *self.hits.borrow_mut() = Default::default(); // what this frame draws, nothing older
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            TooSmall { width: area.width, height: area.height }.render(area, buf);
            scrub(buf, area);
            return;
        }
        let [header, body, notice, footer] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(10),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);
        Header(self).render(header, buf);
        if self.screen == Screen::Declined || self.screen == Screen::Log {
            LogScreen(self, self.screen).render(body, buf);
        } else if self.screen == Screen::Stats {
            StatsScreen(self).render(body, buf);
        } else if self.screen == Screen::Todo {
            TodoScreen(self).render(body, buf);
        } else if self.rows.is_empty() && self.search.is_none() {
            Summary(self).render(body, buf);
        } else {
            let queue_w = (area.width * 22 / 100).clamp(18, 34);
            let check_w = (area.width * 34 / 100).clamp(30, 48);
            let [queue, person, checklist] =
                Layout::horizontal([Constraint::Length(queue_w), Constraint::Min(24), Constraint::Length(check_w)])
                    .areas(body);
            QueuePane(self).render(queue, buf);
            PersonPane(self).render(person, buf);
            ChecklistPane(self).render(checklist, buf);
            let inner = |r: Rect| Block::bordered().inner(r);
            let mut hits = self.hits.borrow_mut();
            (hits.queue, hits.person, hits.checklist) = (inner(queue), inner(person), inner(checklist));
            if self.mode == Mode::Notes {
                let [_, editor] = Layout::vertical([Constraint::Percentage(40), Constraint::Min(6)]).areas(person);
                self.editor_box(" Notes (editing) ", editor, buf);
            }
        }
        NoticeLine(self).render(notice, buf);
        Footer(self).render(footer, buf);
        match self.mode {
            Mode::Help => Help(self).render(area, buf),
            Mode::Reason(v) => ReasonPrompt(self, Some(v)).render(area, buf),
            Mode::Reconsider(_) => ReasonPrompt(self, None).render(area, buf),
            _ => {}
        }
        scrub(buf, area);
    }
}

impl App<'_> {
    fn editor_box(&self, title: &str, area: Rect, buf: &mut Buffer) {
        Clear.render(area, buf);
        let block = Block::bordered().border_type(BorderType::Thick).title(title).border_style(self.theme.accent);
        let inner = block.inner(area);
        block.render(area, buf);
        let mut editor = self.editor.clone();
        editor.set_style(self.theme.text);
        editor.set_cursor_style(Style::new().add_modifier(Modifier::REVERSED));
        editor.render(inner, buf);
    }
}

/// Replaces any cell whose symbol would drive the terminal (control, escape, bidi,
/// zero-width) with a visible stand-in. Everything drawn already went through `text.rs`;
/// this catches what a widget might add (e.g. text typed into the editor).
pub fn scrub(buf: &mut Buffer, area: Rect) {
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            if let Some(cell) = buf.cell_mut((x, y)) {
                let sym = cell.symbol();
                if sym.chars().any(|c| c.is_control()) || text::has_hidden_characters(sym) {
                    cell.set_symbol("�");
                }
            }
        }
    }
}

struct TooSmall {
    width: u16,
    height: u16,
}

impl Widget for TooSmall {
    fn render(self, area: Rect, buf: &mut Buffer) {
        Clear.render(area, buf);
        let msg = vec![
            Line::from("Enlarge the terminal"),
            Line::from(format!("vetted needs {MIN_WIDTH}×{MIN_HEIGHT}; this one is {}×{}.", self.width, self.height)),
            Line::from("(q quits)"),
        ];
        let h = (msg.len() as u16).min(area.height);
        let y = area.y + area.height.saturating_sub(h) / 2;
        Paragraph::new(msg).centered().wrap(Wrap { trim: true }).render(Rect { y, height: h.max(1), ..area }, buf);
    }
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

struct Header<'a, 'b>(&'a App<'b>);

impl Widget for Header<'_, '_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let t = &app.theme;
        let done = app.session.len();
        let mut spans = vec![Span::styled(" vetted ", t.title), Span::raw("│")];
        let mut x = area.x + 9;
        let mut tabs = Vec::new();
        for screen in Screen::ALL {
            let tab = if screen == app.screen {
                Span::styled(format!("[{}]", screen.label()), t.title.add_modifier(Modifier::REVERSED))
            } else {
                Span::styled(format!(" {} ", screen.label()), t.muted)
            };
            let w = tab.width() as u16;
            tabs.push((x, x + w, screen));
            x += w;
            spans.push(tab);
        }
        app.hits.borrow_mut().tabs = tabs;
        spans.push(Span::raw("│ "));
        if app.screen != Screen::Queue {
            spans.push(Span::styled(format!("{} pending", thousands(app.pending)), t.accent));
            Line::from(spans).render(area, buf);
            return;
        }
        spans.extend([
            Span::styled(
                if app.counted { format!("{} pending", thousands(app.pending)) } else { "counting… pending".into() },
                t.accent,
            ),
            Span::raw(if app.counted {
                format!(" │ session {done}/{}", thousands(app.session_total))
            } else {
                format!(" │ session {done}/…")
            }),
            Span::raw(format!(" │ {}", app.order.label())),
        ]);
        if let Some(s) = &app.search {
            let more = if app.at_end() { "" } else { "+" };
            spans.push(Span::raw(" │ "));
            spans.push(Span::styled(
                format!("search \"{}\" ({}{more})", text::truncate(&text::line(&s.text), 24), app.rows.len()),
                t.warning,
            ));
        }
        Line::from(spans).render(area, buf);
    }
}

fn pane_block<'a>(app: &App<'_>, title: &'a str, pane: Pane) -> Block<'a> {
    let focused = app.focus == pane && app.mode == Mode::Normal;
    let block = Block::bordered().borders(Borders::ALL);
    if focused {
        block.border_type(BorderType::Thick).title(format!("▶{title}")).border_style(app.theme.accent)
    } else {
        block.title(format!(" {title}")).border_style(app.theme.muted)
    }
}

/// When a request was sent: an instant, or a day alone (a spreadsheet dropped the time),
/// taken at noon UTC for its age.
fn sent_instant(sent_at: Option<&str>) -> Option<(jiff::Timestamp, bool)> {
    let s = sent_at?;
    if let Ok(ts) = s.parse::<jiff::Timestamp>() {
        return Some((ts, false));
    }
    let day: jiff::civil::Date = s.parse().ok()?;
    let noon = day.to_datetime(jiff::civil::Time::constant(12, 0, 0, 0));
    Some((jiff::tz::TimeZone::UTC.to_timestamp(noon).ok()?, true))
}

/// "3d", "5h", "2mo": the short age of a request.
fn short_age(now: jiff::Timestamp, sent_at: Option<&str>) -> String {
    let Some((ts, day_only)) = sent_instant(sent_at) else { return String::new() };
    let secs = now.as_second() - ts.as_second();
    match secs {
        s if s < 0 => "new".into(),
        s if day_only && s < 86_400 => "0d".into(),
        s if s < 3600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h", s / 3600),
        s if s < 86_400 * 60 => format!("{}d", s / 86_400),
        s if s < 86_400 * 730 => format!("{}mo", s / (86_400 * 30)),
        s => format!("{}y", s / (86_400 * 365)),
    }
}

/// "3 days ago (2026-11-22 09:14 PST)" in the user's zone, or for a day alone "3 days ago
/// (2026-11-22, time unknown)".
fn long_time(now: jiff::Timestamp, zone: &jiff::tz::TimeZone, sent_at: Option<&str>, raw: Option<&str>) -> String {
    let Some((ts, day_only)) = sent_instant(sent_at) else {
        return match raw {
            Some(r) => format!("{} (as exported)", text::line(r)),
            None => "unknown".into(),
        };
    };
    let secs = now.as_second() - ts.as_second();
    let unit = |n: i64, u: &str| format!("{n} {u}{} ago", if n == 1 { "" } else { "s" });
    let rel = match secs {
        s if s < 0 => "in the future".to_string(),
        s if day_only && s < 86_400 => "today".to_string(),
        s if s < 3600 => unit(s / 60, "minute"),
        s if s < 86_400 => unit(s / 3600, "hour"),
        s if s < 86_400 * 60 => unit(s / 86_400, "day"),
        s if s < 86_400 * 730 => unit(s / (86_400 * 30), "month"),
        s => unit(s / (86_400 * 365), "year"),
    };
    if day_only {
        return format!("{rel} ({}, time unknown)", ts.strftime("%Y-%m-%d"));
    }
    format!("{rel} ({})", crate::clock::local_time(ts, zone))
}

struct QueuePane<'a, 'b>(&'a App<'b>);

impl Widget for QueuePane<'_, '_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let block = pane_block(app, " Queue ", Pane::Queue);
        let inner = block.inner(area);
        block.render(area, buf);
        if app.rows.is_empty() {
            let msg = if app.search.is_some() { "no match" } else { "queue empty" };
            Paragraph::new(msg).style(app.theme.muted).wrap(Wrap { trim: true }).render(inner, buf);
            return;
        }
        let height = inner.height as usize;
        let more_below = !app.at_end();
        let visible = height.saturating_sub(usize::from(more_below)).max(1);
        app.queue_height.set(visible);
        // Keep the selection in view, moving the offset as little as possible.
        let mut offset = app.queue_offset.get().min(app.rows.len().saturating_sub(1));
        if app.sel < offset {
            offset = app.sel;
        } else if app.sel >= offset + visible {
            offset = app.sel + 1 - visible;
        }
        app.queue_offset.set(offset);
        let width = inner.width as usize;
        let mut lines = Vec::new();
        for (i, (row, _)) in app.rows.iter().enumerate().skip(offset).take(visible) {
            let selected = i == app.sel;
            let marker = if selected { "▸" } else { " " };
            let again = if row.asked_again { "↺" } else { " " };
            let age = short_age(app.now, row.sent_at.as_deref());
            // A repeated invitation is one entry: how often they asked (`↺` already says it
            // of someone declined before).
            let age = if row.asks > 1 && !row.asked_again { format!("{}× {age}", row.asks) } else { age };
            let name_w = width.saturating_sub(3 + unicode_width::UnicodeWidthStr::width(age.as_str()) + 1);
            let name = text::truncate(&text::line(&row.name), name_w).into_owned();
            let pad = name_w.saturating_sub(unicode_width::UnicodeWidthStr::width(name.as_str()));
            let style = if selected { app.theme.selection } else { app.theme.text };
            lines.push(Line::from(vec![
                Span::styled(format!("{marker}{again}"), style),
                Span::styled(format!("{name}{} {age}", " ".repeat(pad)), style),
            ]));
        }
        if more_below {
            lines.push(Line::styled("  ▼ more", app.theme.muted));
        }
        Paragraph::new(lines).render(inner, buf);
    }
}

fn hint_text(key: &str) -> String {
    match key {
        "no_message" => "no message with the request".into(),
        "template_leftover" => "message looks like an unfilled template".into(),
        "sales_phrasing" => "message uses sales phrasing".into(),
        "duplicate_message" => "same message sent by others".into(),
        "hidden_characters" => "hidden characters in the name or message".into(),
        other => text::line(other).into_owned(),
    }
}

fn verdict_word(status: Status) -> &'static str {
    match status {
        Status::Accepted => "accepted",
        Status::Declined => "declined",
        Status::Deferred => "deferred",
        Status::Pending => "undone (pending again)",
        Status::Connected => "connected",
        Status::Withdrawn => "withdrawn",
    }
}

struct PersonPane<'a, 'b>(&'a App<'b>);

impl Widget for PersonPane<'_, '_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let t = &app.theme;
        let block = pane_block(app, " Person ", Pane::Person);
        let inner = block.inner(area);
        block.render(area, buf);
        let Some(c) = &app.current else {
            Paragraph::new("nothing selected").style(t.muted).render(inner, buf);
            return;
        };
        let r = &c.row;
        let label = |s: &str| Span::styled(format!("{s}: "), t.muted);
        let mut lines: Vec<Line> = Vec::new();
        let mut name = vec![Span::styled(text::line(&r.name).into_owned(), t.title)];
        if r.asked_again {
            name.push(Span::styled("  ↺ asked again (declined before)", t.warning));
        }
        lines.push(Line::from(name));
        if let Some(e) = app.earlier_decision() {
            let key = app.keymap.first(Action::RepeatEarlier).map(|k| format!(" ({k} repeats it)")).unwrap_or_default();
            let reason = if e.reason.is_empty() { String::new() } else { format!(": {}", text::line(&e.reason)) };
            lines.push(Line::styled(
                format!("↺ earlier: {} {}{reason}{key}", verdict_word(e.decision), app.day(&e.decided_at)),
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
        lines.push(Line::from(vec![
            label("Sent"),
            Span::raw(long_time(app.now, &app.zone, r.sent_at.as_deref(), r.sent_at_raw.as_deref())),
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
        lines.push(Line::raw(""));
        lines.push(Line::styled("Message", t.muted.add_modifier(Modifier::BOLD)));
        if r.message.trim().is_empty() {
            lines.push(Line::styled("(no message)", t.muted));
        } else {
            lines.extend(Text::raw(text::block(&r.message).into_owned()).lines);
        }
        lines.push(Line::raw(""));
        lines.push(Line::styled("Notes", t.muted.add_modifier(Modifier::BOLD)));
        match c.note.as_deref().filter(|n| !n.trim().is_empty()) {
            Some(n) => lines.extend(Text::raw(text::block(n).into_owned()).lines),
            None => {
                let key = app.keymap.first(Action::EditNotes).unwrap_or_default();
                lines.push(Line::styled(format!("(none; {key} to write)"), t.muted));
            }
        }
        if !c.history.is_empty() {
            lines.push(Line::raw(""));
            lines.push(Line::styled("Earlier decisions about this person", t.muted.add_modifier(Modifier::BOLD)));
            for d in &c.history {
                let mark = match d.decision {
                    Status::Accepted => "✓",
                    Status::Declined => "✗",
                    Status::Deferred => "…",
                    _ => "↶",
                };
                let date = app.day(&d.decided_at);
                let reason = if d.reason.is_empty() { String::new() } else { format!(": {}", text::line(&d.reason)) };
                let style = if d.decision == Status::Declined { t.warning } else { t.text };
                lines.push(Line::styled(format!("{mark} {} {date}{reason}", verdict_word(d.decision)), style));
            }
        }
        Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((app.person_scroll, 0)).render(inner, buf);
    }
}

struct ChecklistPane<'a, 'b>(&'a App<'b>);

impl Widget for ChecklistPane<'_, '_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let t = &app.theme;
        let block = pane_block(app, " Checklist ", Pane::Checklist);
        let inner = block.inner(area);
        block.render(area, buf);
        let Some(c) = &app.current else { return };
        let width = inner.width as usize;
        let mut lines: Vec<Line> = Vec::new();
        for (i, item) in app.checklist.items.iter().enumerate() {
            let state = match c.answers.get(&item.key) {
                Some(true) => "[x]",
                Some(false) => "[ ]",
                None => "[?]",
            };
            // The item's own key, as the keymap has it (a one-character key fits the column).
            let num = u8::try_from(i + 1)
                .ok()
                .and_then(|n| app.keymap.first(Action::Toggle(n)))
                .filter(|k| k.chars().count() == 1)
                .unwrap_or_else(|| " ".into());
            let flag = if item.kind == Kind::RedFlag { "! " } else { "" };
            let focused = i == app.item;
            let marker = if focused && app.focus == Pane::Checklist { "▸" } else { " " };
            let label = text::truncate(&item.label, width.saturating_sub(7 + flag.len())).into_owned();
            let mut style = match (item.kind, c.answers.get(&item.key)) {
                (Kind::RedFlag, Some(true)) => t.danger,
                (Kind::Signal, Some(true)) => t.success,
                (_, None) => t.text,
                _ => t.muted,
            };
            if focused && app.focus == Pane::Checklist {
                style = style.patch(t.selection);
            }
            lines.push(Line::styled(format!("{marker}{num} {state} {flag}{label}"), style));
        }
        let rec = app.checklist.recommend(&c.answers);
        let (mark, word, style) = match rec.verdict {
            Some(Verdict::Accept) => ("✓", "accept", t.success),
            Some(Verdict::Decline) => ("✗", "decline", t.danger),
            Some(Verdict::Defer) => ("…", "later", t.text),
            None => ("?", "undecided", t.text),
        };
        lines.push(Line::from(vec![
            Span::styled("Recommend: ", t.muted),
            Span::styled(format!("{mark} {word}"), style.add_modifier(Modifier::BOLD)),
        ]));
        lines.push(Line::styled(format!("  {}", text::line(&rec.why)), t.muted));
        if !c.row.hints.is_empty() {
            lines.push(Line::styled("Hints (automatic, not answers):", t.warning));
            for h in &c.row.hints {
                lines.push(Line::styled(format!("  ! {}", hint_text(h)), t.warning));
            }
        }
        if let Some(item) = app.checklist.items.get(app.item) {
            lines.push(Line::styled(format!("{}. {}", app.item + 1, item.label), t.accent));
            lines.push(Line::styled(item.help.clone(), t.muted));
        }
        Paragraph::new(lines).wrap(Wrap { trim: false }).render(inner, buf);
    }
}

struct NoticeLine<'a, 'b>(&'a App<'b>);

impl Widget for NoticeLine<'_, '_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        if app.mode == Mode::Search || app.mode == Mode::Filter {
            // A warning about the input (a paste cut short) stays in sight beside it.
            let warning = app.notice.as_ref().filter(|n| n.level != Level::Info);
            let note_w = warning.map_or(0, |n| (n.text.chars().count() as u16 + 3).min(area.width / 2));
            let [label, input, note] =
                Layout::horizontal([Constraint::Length(9), Constraint::Min(10), Constraint::Length(note_w)])
                    .areas(area);
            if let Some(n) = warning {
                Line::styled(format!(" ! {}", n.text), app.theme.warning).render(note, buf);
            }
            let label_text = if app.mode == Mode::Search { " search: " } else { " filter: " };
            Span::styled(label_text, app.theme.accent).render(label, buf);
            let mut editor = app.editor.clone();
            editor.set_style(app.theme.text);
            editor.set_cursor_style(Style::new().add_modifier(Modifier::REVERSED));
            editor.render(input, buf);
            return;
        }
        if let Some(n) = &app.notice {
            let (mark, style) = match n.level {
                Level::Info => ("", app.theme.text),
                Level::Warning => ("! ", app.theme.warning),
                Level::Error => ("✗ ", app.theme.danger),
            };
            Line::styled(format!(" {mark}{}", n.text), style).render(area, buf);
        }
    }
}

/// The short footer label of an action.
fn short(a: Action) -> &'static str {
    match a {
        Action::Accept => "accept",
        Action::Decline => "decline",
        Action::Defer => "later",
        Action::Undo => "undo",
        Action::Search => "search",
        Action::Sort => "sort",
        Action::EditNotes => "notes",
        Action::OpenProfile => "open",
        Action::Help => "help",
        Action::Quit => "quit",
        Action::NextPane => "pane",
        Action::Confirm => "record",
        Action::Cancel => "cancel",
        Action::Save => "save",
        Action::Discard => "discard",
        Action::ForceQuit => "quit",
        _ => "",
    }
}

/// The footer's key list for a mode, generated from the keymap.
pub fn footer_items(app: &App<'_>) -> Vec<(String, String)> {
    let k = |a: Action| app.keymap.first(a);
    let pair = |a: Action, label: &str| k(a).map(|key| (key, label.to_string()));
    let items: Vec<Option<(String, String)>> = match app.mode {
        Mode::Help => vec![Some(("any key".into(), "close help".into()))],
        Mode::Reason(v) => vec![
            pair(Action::Confirm, if v == Verdict::Decline { "record (reason required)" } else { "record" }),
            pair(Action::Cancel, "cancel"),
        ],
        Mode::Search => vec![pair(Action::Confirm, "keep results"), pair(Action::Cancel, "clear search")],
        Mode::Filter => vec![
            pair(Action::Confirm, "keep"),
            pair(Action::Cancel, "clear"),
            Some(("is: reason: since: until:".into(), "narrow".into())),
        ],
        Mode::Reconsider(_) => vec![pair(Action::Confirm, "record (reason required)"), pair(Action::Cancel, "cancel")],
        Mode::Normal if app.screen != Screen::Queue => {
            let mut v: Vec<Option<(String, String)>> = Vec::new();
            match app.screen {
                Screen::Declined => {
                    v.push(pair(Action::Accept, "accept"));
                    v.push(pair(Action::Reopen, "to pending"));
                    v.push(pair(Action::Search, "filter"));
                }
                Screen::Log => v.push(pair(Action::Search, "filter")),
                Screen::Todo => v.push(pair(Action::MarkDone, "done")),
                _ => {}
            }
            if app.screen != Screen::Stats {
                v.push(pair(Action::OpenProfile, "open"));
            }
            v.push(screens_pair(app));
            v.extend([Action::Help, Action::Quit].iter().map(|&a| pair(a, short(a))));
            v
        }
        Mode::Notes => vec![
            pair(Action::Save, "save"),
            pair(Action::Discard, "discard"),
            Some(("enter".into(), "new line".into())),
        ],
        Mode::Normal => {
            let toggles: Vec<String> = (1..=9).filter_map(|n| k(Action::Toggle(n))).collect();
            let digits = toggles == (1..=9).map(|n| n.to_string()).collect::<Vec<_>>();
            let mut v: Vec<Option<(String, String)>> = [Action::Accept, Action::Decline, Action::Defer, Action::Undo]
                .iter()
                .map(|&a| pair(a, short(a)))
                .collect();
            if digits {
                v.push(Some(("1-9".into(), "check".into())));
            }
            v.extend([Action::Search, Action::Help, Action::Quit].iter().map(|&a| pair(a, short(a))));
            v.push(screens_pair(app));
            v.extend(
                [Action::EditNotes, Action::OpenProfile, Action::Sort, Action::NextPane]
                    .iter()
                    .map(|&a| pair(a, short(a))),
            );
            v
        }
    };
    items.into_iter().flatten().collect()
}

/// "QDLST screens" (or "] screens" when the screen keys were remapped).
fn screens_pair(app: &App<'_>) -> Option<(String, String)> {
    let direct: Vec<String> =
        [Action::ScreenQueue, Action::ScreenDeclined, Action::ScreenLog, Action::ScreenStats, Action::ScreenTodo]
            .iter()
            .filter_map(|&a| app.keymap.first(a))
            .collect();
    if direct.len() == 5 && direct.iter().all(|k| k.chars().count() == 1) {
        Some((direct.concat(), "screens".into()))
    } else {
        app.keymap.first(Action::NextScreen).map(|k| (k, "next screen".into()))
    }
}

struct Footer<'a, 'b>(&'a App<'b>);

impl Widget for Footer<'_, '_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let mut spans = vec![Span::raw(" ")];
        let mut used = 1;
        for (key, label) in footer_items(app) {
            let w = key.chars().count() + label.chars().count() + 3;
            if used + w > area.width as usize {
                break;
            }
            used += w;
            spans.push(Span::styled(key, app.theme.accent.add_modifier(Modifier::BOLD)));
            spans.push(Span::styled(format!(" {label}  "), app.theme.muted));
        }
        Line::from(spans).render(area, buf);
    }
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}

/// The reason prompt of a decision (`Some`) or of a reconsidered decline (`None`).
struct ReasonPrompt<'a, 'b>(&'a App<'b>, Option<Verdict>);

impl Widget for ReasonPrompt<'_, '_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (app, v) = (self.0, self.1);
        let name = match v {
            Some(_) => app.current.as_ref().map(|c| c.row.name.clone()),
            None => app.declined.paged.selected().map(|r| r.decision.name.clone()),
        };
        let name = name.map(|n| text::truncate(&text::line(&n), 30).into_owned());
        let title = match (v, app.mode) {
            (Some(Verdict::Accept), _) => " ✓ Accept — reason (optional) ",
            (Some(Verdict::Decline), _) => " ✗ Decline — reason (required) ",
            (Some(Verdict::Defer), _) => " … Later — reason | until YYYY-MM-DD (both optional) ",
            (None, Mode::Reconsider(Reconsider::Accept)) => " ✓ Reconsider: accept — new reason (required) ",
            (None, _) => " ○ Reconsider: back to pending — new reason (required) ",
        };
        let popup = centered(area, 70, 6);
        Clear.render(popup, buf);
        let block = Block::bordered().border_type(BorderType::Double).title(title).border_style(app.theme.accent);
        let inner = block.inner(popup);
        block.render(popup, buf);
        let [who, input, hint] =
            Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Length(2)]).areas(inner);
        // Going against the guide's recommendation is allowed, and said, with its why.
        let against = v.zip(app.current.as_ref()).and_then(|(verdict, c)| {
            let rec = app.checklist.recommend(&c.answers);
            let opposite = matches!(
                (verdict, rec.verdict),
                (Verdict::Accept, Some(Verdict::Decline)) | (Verdict::Decline, Some(Verdict::Accept))
            );
            opposite.then(|| format!("  ! against the recommendation ({})", rec.why))
        });
        Line::from(vec![
            Span::styled(name.unwrap_or_default(), app.theme.title),
            Span::styled(against.unwrap_or_default(), app.theme.warning),
        ])
        .render(who, buf);
        let [prompt, input] = Layout::horizontal([Constraint::Length(2), Constraint::Min(1)]).areas(input);
        Span::styled("› ", app.theme.accent).render(prompt, buf);
        let mut editor = app.editor.clone();
        editor.set_style(app.theme.text.add_modifier(Modifier::UNDERLINED));
        editor.set_cursor_style(Style::new().add_modifier(Modifier::REVERSED));
        editor.render(input, buf);
        let keys: Vec<String> = footer_items(app).into_iter().map(|(k, l)| format!("{k} {l}")).collect();
        Paragraph::new(keys.join(" · ")).style(app.theme.muted).wrap(Wrap { trim: true }).render(hint, buf);
    }
}

struct Help<'a, 'b>(&'a App<'b>);

impl Widget for Help<'_, '_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let popup = centered(area, area.width.saturating_sub(2).min(110), area.height);
        Clear.render(popup, buf);
        let block = Block::bordered()
            .border_type(BorderType::Double)
            .title(" Keys (from your keymap) — any key closes ")
            .border_style(app.theme.accent);
        let inner = block.inner(popup);
        block.render(popup, buf);
        let row = |keys: String, desc: String, kw: usize| {
            Line::from(vec![
                Span::styled(format!("{keys:<kw$} "), app.theme.accent.add_modifier(Modifier::BOLD)),
                Span::raw(desc),
            ])
        };
        let mut left: Vec<Line> = vec![Line::styled(KeyMode::Normal.label(), app.theme.title)];
        let mut right: Vec<Line> = Vec::new();
        let toggles: Vec<String> = (1..=9).map(|n| app.keymap.describe(Action::Toggle(n))).collect();
        let toggles = if toggles == (1..=9).map(|n| n.to_string()).collect::<Vec<_>>() {
            "1…9".to_string()
        } else {
            toggles.join(" ")
        };
        for (action, _) in app.keymap.bindings() {
            let screen_keys = |list: &[Action], sep: &str| {
                list.iter().map(|a| app.keymap.describe(*a)).filter(|k| !k.is_empty()).collect::<Vec<_>>().join(sep)
            };
            let (keys, desc) = match action {
                Action::Toggle(1) => (toggles.clone(), "toggle checklist item 1–9".to_string()),
                Action::Toggle(n) if *n > 9 => (app.keymap.describe(*action), format!("toggle checklist item {n}")),
                Action::Toggle(_) => continue,
                Action::ScreenQueue => (
                    screen_keys(
                        &[
                            Action::ScreenQueue,
                            Action::ScreenDeclined,
                            Action::ScreenLog,
                            Action::ScreenStats,
                            Action::ScreenTodo,
                        ],
                        " ",
                    ),
                    "the five screens".to_string(),
                ),
                Action::ScreenDeclined | Action::ScreenLog | Action::ScreenStats | Action::ScreenTodo => continue,
                Action::PrevScreen => {
                    (screen_keys(&[Action::PrevScreen, Action::NextScreen], " "), "previous / next screen".to_string())
                }
                Action::NextScreen => continue,
                a => (app.keymap.describe(*a), a.description()),
            };
            let keys = if keys.is_empty() { "(unbound)".to_string() } else { keys };
            let on_left = action.mode() == KeyMode::Normal && !action.is_screen_action();
            let target = if on_left { &mut left } else { &mut right };
            let heading = if action.is_screen_action() { "screens" } else { action.mode().label() };
            if !on_left && !target.iter().any(|l: &Line| l.spans.first().is_some_and(|s| s.content == heading)) {
                target.push(Line::styled(heading, app.theme.title));
            }
            let kw = if action.is_screen_action() {
                9
            } else if action.mode() == KeyMode::Normal {
                10
            } else {
                8
            };
            target.push(row(keys, desc, kw));
        }
        right.push(Line::raw(""));
        right.push(Line::styled("checklist marks", app.theme.title));
        right.push(Line::raw("[x] yes  [ ] no  [?] unknown"));
        right.push(Line::raw("!  red flag or hint   ↺ asked again"));
        right.push(Line::raw("✓ accept  ✗ decline  … later"));
        let [l, _, r] =
            Layout::horizontal([Constraint::Percentage(58), Constraint::Length(2), Constraint::Min(10)]).areas(inner);
        Paragraph::new(left).render(l, buf);
        Paragraph::new(right).wrap(Wrap { trim: false }).render(r, buf);
    }
}

struct Summary<'a, 'b>(&'a App<'b>);

impl Widget for Summary<'_, '_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let t = &app.theme;
        let block = Block::bordered().title(" Session summary ").border_style(t.accent);
        let inner = block.inner(area);
        block.render(area, buf);
        let mut lines: Vec<Line> = Vec::new();
        if app.session.is_empty() {
            lines.push(Line::styled("Nothing to review: no pending requests.", t.title));
            lines.push(Line::raw("Import your LinkedIn export with `vetted import`, or add one with `vetted add`."));
        } else {
            lines.push(Line::styled("Queue empty: every pending request is decided.", t.title));
        }
        let count = |v| app.decided(v).count();
        if !app.session.is_empty() {
            lines.push(Line::raw(format!(
                "This session: {} accepted, {} declined, {} deferred.",
                count(Verdict::Accept),
                count(Verdict::Decline),
                count(Verdict::Defer)
            )));
        }
        let names = |v| app.decided(v).map(|e| text::line(&e.name).into_owned()).collect::<Vec<_>>().join(", ");
        for (v, mark, word) in
            [(Verdict::Accept, "✓", "Accepted"), (Verdict::Decline, "✗", "Declined"), (Verdict::Defer, "…", "Deferred")]
        {
            if count(v) > 0 {
                lines.push(Line::raw(format!("  {mark} {word}: {}", names(v))));
            }
        }
        let todo: Vec<_> = app.session.iter().filter(|e| e.verdict != Verdict::Defer).collect();
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
        if count(Verdict::Defer) > 0 {
            lines.push(Line::styled("Deferred requests wait in the store: `vetted list --status deferred`.", t.muted));
        }
        lines.push(Line::raw(""));
        let undo =
            app.keymap.first(Action::Undo).map(|k| format!("{k} undoes the last decision · ")).unwrap_or_default();
        let quit = app.keymap.first(Action::Quit).unwrap_or_default();
        lines.push(Line::styled(format!("{undo}{quit} quits"), t.muted));
        Paragraph::new(lines).wrap(Wrap { trim: false }).render(inner, buf);
    }
}
