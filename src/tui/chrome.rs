//! What surrounds every screen: the header with the screen tabs, the notice line, the footer,
//! the `?` help, the too-small screen, and the last line of defence against unsafe cells. Plain
//! data in; nothing here knows a screen's state.

use super::action::{Action, Group, KeyMode};
use super::keymap::Keymap;
use super::screens::{Hint, Hits, Level, Notice, Role, Screen};
use super::theme::Theme;
use crate::text;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Widget, Wrap};
use std::cell::{Cell, RefCell};

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// The header: the app's name, the tabs (recorded for clicks), then the status texts, each
/// with its role. Everything but plain texts must be seen whole (a search's match count, the
/// marks): when they would not fit, the other tabs shrink to their first letter, then the plain
/// texts (the sort, the session) are left out, the last first.
pub fn header(
    active: Screen,
    status: &[(String, Role)],
    theme: &Theme,
    hits: &RefCell<Hits>,
    area: Rect,
    buf: &mut Buffer,
) {
    let width = usize::from(area.width);
    let text_w = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    let tab_label = |screen: Screen, short: bool| {
        if screen == active {
            format!("[{}]", screen.label())
        } else if short {
            format!(" {} ", screen.label().chars().next().unwrap_or(' '))
        } else {
            format!(" {} ", screen.label())
        }
    };
    // The columns up to the end of the last text that must be seen whole.
    let needed = |short: bool, shown: &[&(String, Role)]| {
        let tabs: usize = Screen::ALL.iter().map(|s| text_w(&tab_label(*s, short))).sum();
        let mut used = 9 + tabs + 2;
        let mut needed = used;
        for (i, (text, role)) in shown.iter().enumerate() {
            used += text_w(text) + if i > 0 { 3 } else { 0 };
            if *role != Role::Plain {
                needed = used;
            }
        }
        needed
    };
    let mut shown: Vec<&(String, Role)> = status.iter().collect();
    let short = needed(false, &shown) > width;
    while needed(short, &shown) > width {
        let Some(plain) = shown.iter().rposition(|(_, role)| *role == Role::Plain) else { break };
        shown.remove(plain);
    }
    let mut spans = vec![Span::styled(" vetted ", theme.title), Span::raw("│")];
    let mut x = area.x + 9;
    let mut tabs = Vec::new();
    for screen in Screen::ALL {
        let label = tab_label(screen, short);
        let tab = if screen == active {
            Span::styled(label, theme.title.add_modifier(Modifier::REVERSED))
        } else {
            Span::styled(label, theme.muted)
        };
        let w = tab.width() as u16;
        tabs.push((x, x + w, screen));
        x += w;
        spans.push(tab);
    }
    hits.borrow_mut().tabs = tabs;
    spans.push(Span::raw("│ "));
    for (i, (text, role)) in shown.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(" │ "));
        }
        let style = match role {
            Role::Accent => theme.accent,
            Role::Warning => theme.warning,
            Role::Plain => ratatui::style::Style::new(),
        };
        spans.push(Span::styled(text.clone(), style));
    }
    Line::from(spans).render(area, buf);
}

/// The most lines a notice takes; a longer one is cut.
const NOTICE_LINES: u16 = 4;

fn notice_text(n: &Notice) -> String {
    let mark = match n.level {
        Level::Info => "",
        Level::Warning => "! ",
        Level::Error => "✗ ",
    };
    format!(" {mark}{}", n.text)
}

/// How many lines the notice needs at `width`: one, or as many as it wraps to (a web address
/// that could not be opened is shown whole).
pub fn notice_height(notice: Option<&Notice>, width: u16) -> u16 {
    let lines = notice.map_or(1, |n| Paragraph::new(notice_text(n)).wrap(Wrap { trim: false }).line_count(width));
    (lines as u16).clamp(1, NOTICE_LINES)
}

/// The notice line (or lines, when it wraps).
pub fn notice(notice: Option<&Notice>, theme: &Theme, area: Rect, buf: &mut Buffer) {
    if let Some(n) = notice {
        let style = match n.level {
            Level::Info => theme.text,
            Level::Warning => theme.warning,
            Level::Error => theme.danger,
        };
        Paragraph::new(notice_text(n)).style(style).wrap(Wrap { trim: false }).render(area, buf);
    }
}

/// A screen's hints as the footer shows them: key and word, from the keymap and the table.
pub fn hint_items(hints: &[Hint], keymap: &Keymap) -> Vec<(String, String)> {
    let pair = |a: Action, label: &str| keymap.first(a).map(|key| (key, label.to_string()));
    hints
        .iter()
        .filter_map(|h| match *h {
            Hint::Key(a) => pair(a, a.footer()),
            Hint::Named(a, label) => pair(a, label),
            Hint::Toggles => {
                let digits = (1..=9).all(|n| keymap.first(Action::Toggle(n)) == Some(n.to_string()));
                digits.then(|| ("1-9".to_string(), Action::Toggle(1).footer().to_string()))
            }
            Hint::Screens => screens_pair(keymap),
        })
        .collect()
}

/// "QDLST screens" (or "] next screen" when the screen keys were remapped).
fn screens_pair(keymap: &Keymap) -> Option<(String, String)> {
    let direct: Vec<String> = Screen::ALL.iter().filter_map(|s| keymap.first(s.action())).collect();
    if direct.len() == Screen::ALL.len() && direct.iter().all(|k| k.chars().count() == 1) {
        Some((direct.concat(), "screens".into()))
    } else {
        keymap.first(Action::NextScreen).map(|k| (k, Action::NextScreen.footer().into()))
    }
}

/// The footer: as many of the items as fit.
pub fn footer(items: &[(String, String)], theme: &Theme, area: Rect, buf: &mut Buffer) {
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for (key, label) in items {
        let w = key.chars().count() + label.chars().count() + 3;
        if used + w > area.width as usize {
            break;
        }
        used += w;
        spans.push(Span::styled(key.clone(), theme.accent.add_modifier(Modifier::BOLD)));
        spans.push(Span::styled(format!(" {label}  "), theme.muted));
    }
    Line::from(spans).render(area, buf);
}

/// The `?` help: every action with its keys from the keymap, grouped as the table groups them,
/// scrolled to `scroll` (kept within the text).
pub fn help(keymap: &Keymap, theme: &Theme, scroll: &Cell<u16>, area: Rect, buf: &mut Buffer) {
    let (mut left, mut right) = help_keys(keymap, theme);
    help_legend(theme, &mut left, &mut right);
    let popup = super::prompt::centered(area, area.width.saturating_sub(2).min(110), area.height);
    let inner = Block::bordered().inner(popup);
    let [l, _, r] =
        Layout::horizontal([Constraint::Percentage(58), Constraint::Length(2), Constraint::Min(10)]).areas(inner);
    let (left, right) = (Paragraph::new(left), Paragraph::new(right).wrap(Wrap { trim: false }));
    let height = left.line_count(l.width).max(right.line_count(r.width)) as u16;
    let line = scroll.get().min(height.saturating_sub(inner.height));
    scroll.set(line);
    let title = if height > inner.height {
        let keys = [Action::Down, Action::Up].map(|a| keymap.first(a).unwrap_or_default()).join("/");
        format!(" Keys (from your keymap) — {keys} scroll, any other key closes ")
    } else {
        " Keys (from your keymap) — any key closes ".to_string()
    };
    Clear.render(popup, buf);
    Block::bordered().border_type(BorderType::Double).title(title).border_style(theme.accent).render(popup, buf);
    left.scroll((line, 0)).render(l, buf);
    right.scroll((line, 0)).render(r, buf);
}

/// The help's two columns of keys: the review's on the left, the other groups on the right,
/// each action with its keys (the screens, the checklist toggles and previous/next as one
/// line each).
fn help_keys(keymap: &Keymap, theme: &Theme) -> (Vec<Line<'static>>, Vec<Line<'static>>) {
    let row = |keys: String, desc: String, kw: usize| {
        Line::from(vec![
            Span::styled(format!("{keys:<kw$} "), theme.accent.add_modifier(Modifier::BOLD)),
            Span::raw(desc),
        ])
    };
    let mut left: Vec<Line> = vec![Line::styled(KeyMode::Normal.label(), theme.title)];
    let mut right: Vec<Line> = Vec::new();
    let joined = |list: &[Action]| {
        list.iter().map(|a| keymap.describe(*a)).filter(|k| !k.is_empty()).collect::<Vec<_>>().join(" ")
    };
    let toggles: Vec<String> = (1..=9).map(|n| keymap.describe(Action::Toggle(n))).collect();
    let toggles = if toggles == (1..=9).map(|n| n.to_string()).collect::<Vec<_>>() {
        "1…9".to_string()
    } else {
        toggles.join(" ")
    };
    let screens: Vec<Action> = Screen::ALL.iter().map(|s| s.action()).collect();
    for (action, _) in keymap.bindings() {
        let (keys, desc) = match action {
            Action::Toggle(1) => (toggles.clone(), "toggle checklist item 1–9".to_string()),
            Action::Toggle(n) if *n > 9 => (keymap.describe(*action), action.description()),
            Action::Toggle(_) => continue,
            Action::ScreenQueue => (joined(&screens), "the five screens".to_string()),
            a if screens.contains(a) => continue,
            Action::PrevScreen => {
                (joined(&[Action::PrevScreen, Action::NextScreen]), "previous / next screen".to_string())
            }
            Action::NextScreen => continue,
            a => (keymap.describe(*a), a.description()),
        };
        let keys = if keys.is_empty() { "(unbound)".to_string() } else { keys };
        let group = action.group();
        let target = if group == Group::Review { &mut left } else { &mut right };
        if group != Group::Review
            && !target.iter().any(|l: &Line| l.spans.first().is_some_and(|s| s.content == group.heading()))
        {
            target.push(Line::styled(group.heading(), theme.title));
        }
        let kw = match group {
            Group::Screens => 9,
            Group::Review => 10,
            _ => 8,
        };
        target.push(row(keys, desc, kw));
    }
    (left, right)
}

/// What the marks mean and the filter's terms, below the keys.
fn help_legend(theme: &Theme, left: &mut Vec<Line<'static>>, right: &mut Vec<Line<'static>>) {
    // Beside the keys that answer it: what a suggestion looks like, and that a key confirms it.
    left.push(Line::raw(""));
    left.push(Line::from(vec![
        Span::styled(format!("{:<10} ", "(x) ( )"), theme.suggested),
        Span::raw("suggested: its key confirms it"),
    ]));
    right.push(Line::raw(""));
    right.push(Line::styled("checklist marks", theme.title));
    right.push(Line::raw("[x] yes  [ ] no  [?] unknown"));
    right.push(Line::raw("!  red flag or hint   ↺ asked again"));
    right.push(Line::raw("✓ accept  ✗ decline  … later  ● marked"));
    right.push(Line::raw(""));
    right.push(Line::styled("filters (/): words and", theme.title));
    let hints: Vec<&str> = crate::hint::ALL.iter().map(|h| h.name).collect();
    right.push(Line::raw(format!("hint:{}", hints.join("|"))));
    right.push(Line::raw("ev:sales|scam|recruiter|… (ev:? lists all)"));
    right.push(Line::raw("rec:accept|decline|undecided  check:KEY=yes|no|unknown"));
    right.push(Line::raw("age:>180d  sent:2026-11  asked-again  source:NAME"));
    right.push(Line::raw("-term negates · Log: is: reason: since: until:"));
}

/// The screen shown when the terminal is smaller than the app needs.
pub fn too_small(keymap: &Keymap, area: Rect, buf: &mut Buffer) {
    Clear.render(area, buf);
    let msg = vec![
        Line::from("Enlarge the terminal"),
        Line::from(format!("vetted needs {MIN_WIDTH}×{MIN_HEIGHT}; this one is {}×{}.", area.width, area.height)),
        Line::from(format!(
            "({} quits)",
            keymap.first(Action::Quit).or(keymap.first(Action::ForceQuit)).unwrap_or_default()
        )),
    ];
    let h = (msg.len() as u16).min(area.height);
    let y = area.y + area.height.saturating_sub(h) / 2;
    Paragraph::new(msg).centered().wrap(Wrap { trim: true }).render(Rect { y, height: h.max(1), ..area }, buf);
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
