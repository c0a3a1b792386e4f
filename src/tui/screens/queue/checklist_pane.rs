//! The checklist pane: each item with the user's answer (`[x]` `[ ]` `[?]`) or, for an item
//! they left open, the evidence's suggestion (`(x)` `( )`, a style of its own); the
//! recommendation with what in it is suggested; the automatic hints and the findings that
//! answer no item; the focused item's help and the why of its suggestion. The sender's words
//! reach the buffer only through `text.rs`.

use super::{Pane, QueueScreen, pane_block};
use crate::checklist::Kind;
use crate::model::{Answers, StoredFinding, Verdict};
use crate::text;
use crate::tui::action::Action;
use crate::tui::present::{hint_text, suggestion, suggestion_mark, verdict_mark, wrap};
use crate::tui::screens::Draw;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

pub fn render(q: &QueueScreen, draw: &Draw<'_>, area: Rect, buf: &mut Buffer) {
    let block = pane_block(q, draw, " Checklist ", Pane::Checklist);
    let inner = block.inner(area);
    block.render(area, buf);
    let Some(c) = &q.current else { return };
    let mut lines = items(q, draw, &c.answers, &c.row.findings, inner);
    lines.extend(recommendation(draw, &c.answers, &c.row.findings));
    let t = &draw.theme;
    if !c.row.hints.is_empty() {
        lines.push(Line::styled("Hints (automatic, not answers):", t.warning));
        for h in &c.row.hints {
            lines.push(Line::styled(format!("  ! {}", hint_text(h)), t.warning));
        }
    }
    // A finding that answers no item of this checklist (a recruiter) is still said.
    let known = |f: &&StoredFinding| f.item.as_deref().is_some_and(|k| draw.checklist.item(k).is_some());
    for f in c.row.findings.iter().filter(|f| !known(f)) {
        lines.push(Line::styled(format!("  ≈ {}", text::line(&f.why)), t.suggested));
    }
    lines.extend(focused(q, draw, &c.answers, &c.row.findings));
    Paragraph::new(lines).wrap(Wrap { trim: false }).render(inner, buf);
}

/// One line per item (more when a long label wraps and the pane is tall enough for all).
fn items<'a>(
    q: &QueueScreen,
    draw: &Draw<'_>,
    answers: &Answers,
    findings: &[StoredFinding],
    inner: Rect,
) -> Vec<Line<'a>> {
    let t = &draw.theme;
    let width = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    let mut hit_items = Vec::new();
    // Long labels wrap under themselves when the pane is tall enough for all of them and the
    // recommendation below; else each item keeps one line, its label cut.
    let indent = |item: &crate::checklist::Item| 7 + if item.kind == Kind::RedFlag { 2 } else { 0 };
    let wrapped: Vec<Vec<String>> =
        draw.checklist.items.iter().map(|i| wrap(&i.label, width.saturating_sub(indent(i)))).collect();
    let wraps = wrapped.iter().map(Vec::len).sum::<usize>() + 4 <= inner.height as usize;
    for ((i, item), parts) in draw.checklist.items.iter().enumerate().zip(wrapped) {
        let answer = answers.get(&item.key).copied();
        // The user's answer wins; an item they left open shows what the evidence suggests.
        let suggested = answer.is_none().then(|| suggestion(findings, &item.key)).flatten();
        let state = match (answer, suggested) {
            (Some(true), _) => "[x]",
            (Some(false), _) => "[ ]",
            (None, Some(f)) => suggestion_mark(f.answer),
            (None, None) => "[?]",
        };
        // The item's own key, as the keymap has it (a one-character key fits the column).
        let num = u8::try_from(i + 1)
            .ok()
            .and_then(|n| draw.keymap.first(Action::Toggle(n)))
            .filter(|k| k.chars().count() == 1)
            .unwrap_or_else(|| " ".into());
        let flag = if item.kind == Kind::RedFlag { "! " } else { "" };
        let focused = i == q.item && q.focus == Pane::Checklist;
        let marker = if focused { "▸" } else { " " };
        let mut style = match (item.kind, answer, suggested) {
            (Kind::RedFlag, Some(true), _) => t.danger,
            (Kind::Signal, Some(true), _) => t.success,
            (_, None, Some(_)) => t.suggested,
            (_, None, None) => t.text,
            _ => t.muted,
        };
        if focused {
            style = style.patch(t.selection);
        }
        let indent = indent(item);
        let parts =
            if wraps { parts } else { vec![text::truncate(&item.label, width.saturating_sub(indent)).into_owned()] };
        for (n, part) in parts.into_iter().enumerate() {
            let head = if n == 0 { format!("{marker}{num} {state} {flag}") } else { " ".repeat(indent) };
            lines.push(Line::styled(format!("{head}{part}"), style));
            hit_items.push(i);
        }
    }
    draw.hits.borrow_mut().checklist_items = hit_items;
    lines
}

/// "Recommend: ✗ decline", with "(suggested)" when it rests on suggestions, and its why (which
/// quotes the findings it rests on).
fn recommendation<'a>(draw: &Draw<'_>, answers: &Answers, findings: &[StoredFinding]) -> Vec<Line<'a>> {
    let t = &draw.theme;
    let rec = draw.checklist.recommend_with(answers, findings);
    let (mark, style) = match rec.verdict {
        Some(v @ Verdict::Accept) => (verdict_mark(v), t.success),
        Some(v @ Verdict::Decline) => (verdict_mark(v), t.danger),
        Some(v) => (verdict_mark(v), t.text),
        None => ("?", t.text),
    };
    // The recommendation in the footer's words for the keys that follow it.
    let word = rec.verdict.map_or("undecided", |v| Action::for_verdict(v).footer());
    let mut head = vec![
        Span::styled("Recommend: ", t.muted),
        Span::styled(format!("{mark} {word}"), style.add_modifier(Modifier::BOLD)),
    ];
    if !rec.suggested.is_empty() {
        let keys = item_keys(draw, &rec.suggested);
        head.push(Span::styled(format!(" ≈ suggested ({keys})"), t.suggested));
    }
    vec![Line::from(head), Line::styled(format!("  {}", text::line(&rec.why)), t.muted)]
}

/// "9, 6": the keys of these items, as the keymap has them (the item's number when unbound).
fn item_keys(draw: &Draw<'_>, items: &[String]) -> String {
    let key = |k: &String| {
        let n = draw.checklist.items.iter().position(|i| &i.key == k)? + 1;
        let bound = u8::try_from(n).ok().and_then(|n| draw.keymap.first(Action::Toggle(n)));
        Some(bound.unwrap_or_else(|| n.to_string()))
    };
    items.iter().filter_map(key).collect::<Vec<_>>().join(", ")
}

/// The focused item: its label, what the evidence suggests there and why (and how the user's
/// answer stands to it), its help line from the guide.
fn focused<'a>(q: &QueueScreen, draw: &Draw<'_>, answers: &Answers, findings: &[StoredFinding]) -> Vec<Line<'a>> {
    let t = &draw.theme;
    let Some(item) = draw.checklist.items.get(q.item) else { return Vec::new() };
    let mut lines = vec![Line::styled(format!("{}. {}", q.item + 1, item.label), t.accent)];
    if let Some(f) = suggestion(findings, &item.key) {
        let said = if f.answer { "yes" } else { "no" };
        let key = u8::try_from(q.item + 1).ok().and_then(|n| draw.keymap.first(Action::Toggle(n)));
        let stands = match (answers.get(&item.key), key) {
            (None, Some(k)) => format!(" · {k} confirms"),
            (None, None) => String::new(),
            (Some(a), _) if *a == f.answer => " · you confirmed".into(),
            (Some(_), _) => " · overridden by you".into(),
        };
        lines.push(Line::styled(format!("≈ suggested: {said}{stands}"), t.suggested));
        lines.push(Line::styled(format!("  {}", text::line(&f.why)), t.suggested));
    }
    lines.push(Line::styled(item.help.clone(), t.muted));
    lines
}
