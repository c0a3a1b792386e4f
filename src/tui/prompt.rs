//! The one prompt: the reason of a decision or of a reconsidered decline, the queue's search,
//! the log's filter, and the notes editor. Its text, its editing keys, its footer and its
//! widgets; what a confirmed prompt records is the screen's business.

use super::action::{Action, KeyMode};
use super::key::Key;
use super::keymap::Keymap;
use super::session::Reconsider;
use super::theme::Theme;
use crate::model::Verdict;
use crate::text;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Widget, Wrap};
use ratatui_textarea::{CursorMove, TextArea};

/// What a prompt is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    /// The reason of a decision.
    Reason(Verdict),
    /// The new reason of a reconsidered decline.
    Reconsider(Reconsider),
    Search,
    Filter,
    /// The inline notes editor (several lines).
    Notes,
    /// The person's headline, company and location, one labelled line each.
    Profile,
}

impl PromptKind {
    pub fn key_mode(self) -> KeyMode {
        if self.multi_line() { KeyMode::Editor } else { KeyMode::Prompt }
    }

    /// An editor of several lines (`enter` is a new line, the editor's keys save or discard).
    pub fn multi_line(self) -> bool {
        matches!(self, PromptKind::Notes | PromptKind::Profile)
    }

    /// Typed into the notice line (the others are a popup or the notes box).
    pub fn inline(self) -> bool {
        matches!(self, PromptKind::Search | PromptKind::Filter)
    }
}

#[derive(Debug, Clone)]
pub struct Prompt {
    pub kind: PromptKind,
    pub editor: TextArea<'static>,
    /// What it held when it opened (notes are saved only when changed).
    initial: String,
    /// Who the reason is about.
    pub subject: Option<String>,
    /// Said beside the subject: the decision goes against the checklist's recommendation.
    pub against: Option<String>,
    /// Leaving unsaved notes was asked once: the same key again leaves.
    pub armed: bool,
    /// Reasons given before, most used first, for `tab` and `up` / `down`.
    suggestions: Vec<String>,
    /// Each suggestion as reasons are compared (worked out once, not every frame).
    keys: Vec<String>,
    /// The suggestion `up` / `down` reached, and what was typed before walking.
    walked: Option<(usize, String)>,
}

impl Prompt {
    pub fn new(kind: PromptKind, text: &str) -> Prompt {
        let single_line = !kind.multi_line();
        let lines: Vec<String> =
            if single_line { vec![text.to_string()] } else { text.split('\n').map(str::to_string).collect() };
        let mut editor = TextArea::new(lines);
        editor.move_cursor(CursorMove::Bottom);
        editor.move_cursor(CursorMove::End);
        editor.set_cursor_line_style(Style::new());
        if !single_line {
            editor.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
        }
        Prompt {
            kind,
            editor,
            initial: text.to_string(),
            subject: None,
            against: None,
            armed: false,
            suggestions: Vec::new(),
            keys: Vec::new(),
            walked: None,
        }
    }

    /// Reasons given before, most used first, to complete from.
    pub fn recalling(self, suggestions: Vec<String>) -> Prompt {
        let keys = suggestions.iter().map(|s| crate::store::reason_key(s)).collect();
        Prompt { suggestions, keys, ..self }
    }

    fn set_text(&mut self, text: &str) {
        let kept = (self.kind, std::mem::take(&mut self.initial));
        let mut fresh = Prompt::new(kept.0, text);
        fresh.initial = kept.1;
        self.editor = fresh.editor;
    }

    /// The earlier reason the text so far begins (compared as the store compares reasons).
    pub fn completion(&self) -> Option<&str> {
        let typed = crate::store::reason_key(&self.text());
        if typed.is_empty() {
            return None;
        }
        let at = self.keys.iter().position(|key| key.starts_with(&typed) && *key != typed)?;
        Some(&self.suggestions[at])
    }

    /// `tab`: the text becomes the earlier reason it begins; false when there is none.
    pub fn complete(&mut self) -> bool {
        let Some(done) = self.completion().map(str::to_string) else { return false };
        self.set_text(&done);
        self.walked = None;
        true
    }

    /// `up` (1) / `down` (-1): the next or previous earlier reason; walking back past the first
    /// gives back what was typed.
    pub fn walk(&mut self, step: isize) -> bool {
        let typed = match &self.walked {
            Some((_, typed)) => typed.clone(),
            None => self.text(),
        };
        let next = match self.walked.as_ref().map(|(i, _)| *i) {
            None if step > 0 => Some(0),
            None => return false,
            Some(i) => i.checked_add_signed(step),
        };
        match next.filter(|i| *i < self.suggestions.len()) {
            Some(i) => {
                let text = self.suggestions[i].clone();
                self.set_text(&text);
                self.walked = Some((i, typed));
            }
            None if step < 0 => {
                self.set_text(&typed);
                self.walked = None;
            }
            None => return false,
        }
        true
    }

    pub fn about(self, subject: &str, against: Option<String>) -> Prompt {
        Prompt { subject: Some(subject.to_string()), against, ..self }
    }

    pub fn text(&self) -> String {
        self.editor.lines().join("\n")
    }

    /// The text differs from what the prompt opened with.
    pub fn changed(&self) -> bool {
        self.text() != self.initial
    }

    /// A key no action claimed: it edits the text (readline's ctrl-u and ctrl-w too). True
    /// when the text changed.
    pub fn edit(&mut self, key: Key, ev: KeyEvent) -> bool {
        if key == Key::ctrl('u') {
            self.editor.delete_line_by_head()
        } else if key == Key::ctrl('w') {
            self.editor.delete_word()
        } else {
            self.editor.input(ev)
        }
    }

    /// A bracketed paste: a one-line prompt gets its line ends as spaces, and the whole text
    /// is cut at the field limit of an import (the warning says so).
    pub fn paste(&mut self, pasted: &str) -> Option<String> {
        let text = pasted.replace("\r\n", "\n").replace('\r', "\n");
        let text = if self.kind.multi_line() { text } else { text.replace('\n', " ") };
        let room = crate::model::MAX_FIELD_BYTES.saturating_sub(self.text().len());
        let mut end = text.len().min(room);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        self.editor.insert_str(&text[..end]);
        (end < text.len()).then(|| {
            format!("pasted text cut at {} KiB, the longest a field can be", crate::model::MAX_FIELD_BYTES / 1024)
        })
    }

    /// The footer's keys while it is open.
    pub fn hints(&self, keymap: &Keymap) -> Vec<(String, String)> {
        let pair = |a: Action, label: &str| keymap.first(a).map(|key| (key, label.to_string()));
        let items = match self.kind {
            PromptKind::Reason(v) => vec![
                pair(Action::Confirm, if v == Verdict::Decline { "record (reason required)" } else { "record" }),
                pair(Action::Cancel, "cancel"),
            ],
            PromptKind::Reconsider(_) => {
                vec![pair(Action::Confirm, "record (reason required)"), pair(Action::Cancel, "cancel")]
            }
            PromptKind::Search => vec![pair(Action::Confirm, "keep results"), pair(Action::Cancel, "clear search")],
            PromptKind::Filter => vec![
                pair(Action::Confirm, "keep"),
                pair(Action::Cancel, "clear"),
                Some(("is: reason: since: until:".into(), "narrow".into())),
            ],
            PromptKind::Notes | PromptKind::Profile => vec![
                pair(Action::Save, "save"),
                pair(Action::Discard, "discard"),
                Some(("enter".into(), "new line".into())),
            ],
        };
        items.into_iter().flatten().collect()
    }

    fn editor_styled(&self, style: Style) -> TextArea<'static> {
        let mut editor = self.editor.clone();
        editor.set_style(style);
        editor.set_cursor_style(Style::new().add_modifier(Modifier::REVERSED));
        editor
    }

    /// The notes editor: a box over `area`.
    pub fn render_box(&self, title: &str, area: Rect, buf: &mut Buffer, theme: &Theme) {
        Clear.render(area, buf);
        let block = Block::bordered().border_type(BorderType::Thick).title(title).border_style(theme.accent);
        let inner = block.inner(area);
        block.render(area, buf);
        self.editor_styled(theme.text).render(inner, buf);
    }

    /// The search or the filter, typed into the notice line; a warning about the input (a
    /// paste cut short) stays in sight beside it.
    pub fn render_inline(&self, warning: Option<&str>, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let note_w = warning.map_or(0, |n| (n.chars().count() as u16 + 3).min(area.width / 2));
        let [label, input, note] =
            Layout::horizontal([Constraint::Length(9), Constraint::Min(10), Constraint::Length(note_w)]).areas(area);
        if let Some(n) = warning {
            Line::styled(format!(" ! {n}"), theme.warning).render(note, buf);
        }
        let label_text = if self.kind == PromptKind::Search { " search: " } else { " filter: " };
        Span::styled(label_text, theme.accent).render(label, buf);
        self.editor_styled(theme.text).render(input, buf);
    }

    /// A reason prompt: a popup in the middle of `area`.
    pub fn render_popup(&self, area: Rect, buf: &mut Buffer, theme: &Theme, keymap: &Keymap) {
        let title = match self.kind {
            PromptKind::Reason(Verdict::Accept) => " ✓ Accept — reason (optional) ",
            PromptKind::Reason(Verdict::Decline) => " ✗ Decline — reason (required) ",
            PromptKind::Reason(Verdict::Defer) => " … Later — reason | until YYYY-MM-DD (both optional) ",
            PromptKind::Reconsider(Reconsider::Accept) => " ✓ Reconsider: accept — new reason (required) ",
            _ => " ○ Reconsider: back to pending — new reason (required) ",
        };
        let popup = centered(area, 70, 6);
        Clear.render(popup, buf);
        let block = Block::bordered().border_type(BorderType::Double).title(title).border_style(theme.accent);
        let inner = block.inner(popup);
        block.render(popup, buf);
        let [who, input, hint] =
            Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Length(2)]).areas(inner);
        let name = self.subject.as_deref().map(|n| text::truncate(&text::line(n), 30).into_owned());
        Line::from(vec![
            Span::styled(name.unwrap_or_default(), theme.title),
            Span::styled(self.against.clone().unwrap_or_default(), theme.warning),
        ])
        .render(who, buf);
        let [prompt, input] = Layout::horizontal([Constraint::Length(2), Constraint::Min(1)]).areas(input);
        Span::styled("› ", theme.accent).render(prompt, buf);
        self.editor_styled(theme.text.add_modifier(Modifier::UNDERLINED)).render(input, buf);
        self.mark_cut(input, buf, theme);
        let mut keys: Vec<String> = self.hints(keymap).into_iter().map(|(k, l)| format!("{k} {l}")).collect();
        if let (Some(done), Some(key)) = (self.completion(), keymap.first(Action::Complete)) {
            keys.insert(0, format!("{key} → {}", text::truncate(&text::line(done), 30)));
        }
        Paragraph::new(keys.join(" · ")).style(theme.muted).wrap(Wrap { trim: true }).render(hint, buf);
    }
}

impl Prompt {
    /// A one-line text wider than its field is scrolled to keep the cursor in sight: a `…` at
    /// either edge says that text lies beyond it, never a silent cut.
    fn mark_cut(&self, input: Rect, buf: &mut Buffer, theme: &Theme) {
        use unicode_width::UnicodeWidthChar;
        let width = usize::from(input.width);
        if width < 3 || input.height == 0 {
            return;
        }
        let ratatui_textarea::DataCursor(row, col) = self.editor.cursor();
        let Some(line) = self.editor.lines().get(row) else { return };
        let cols = |s: &mut dyn Iterator<Item = char>| s.map(|c| c.width().unwrap_or(0)).sum::<usize>();
        let before = cols(&mut line.chars().take(col));
        let total = cols(&mut line.chars());
        // The field shows [scroll, scroll + width): the cursor's column in its last cell at most.
        let scroll = (before + 1).saturating_sub(width);
        let style = theme.muted.add_modifier(Modifier::BOLD);
        if scroll > 0 {
            buf[(input.x, input.y)].set_symbol("…").set_style(style);
        }
        if total > scroll + width {
            buf[(input.x + input.width - 1, input.y)].set_symbol("…").set_style(style);
        }
    }
}

/// A `width`×`height` rectangle in the middle of `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}
