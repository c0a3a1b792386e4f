//! A key as the keymap knows it, spelled as the config spells it (`a`, `G`, `ctrl-c`, `esc`).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::fmt;

/// A key as the keymap knows it: a code and the ctrl / alt modifiers. Shift is part of the
/// character (`G`), or of the code (`backtab`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Key {
        Key { code, ctrl: false, alt: false }
    }

    pub const fn ch(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    pub const fn ctrl(c: char) -> Key {
        Key { code: KeyCode::Char(c), ctrl: true, alt: false }
    }

    /// The key of a terminal event (`None` for releases and repeats of nothing).
    pub fn from_event(ev: &KeyEvent) -> Option<Key> {
        if ev.kind == KeyEventKind::Release {
            return None;
        }
        let mut code = ev.code;
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        if let KeyCode::Char(c) = code
            && ctrl
        {
            code = KeyCode::Char(c.to_ascii_lowercase());
        }
        if code == KeyCode::Tab && ev.modifiers.contains(KeyModifiers::SHIFT) {
            code = KeyCode::BackTab;
        }
        Some(Key { code, ctrl, alt: ev.modifiers.contains(KeyModifiers::ALT) })
    }

    /// The event a real terminal sends for this key (for tests and scripted input).
    pub fn event(self) -> KeyEvent {
        let mut m = KeyModifiers::NONE;
        if self.ctrl {
            m |= KeyModifiers::CONTROL;
        }
        if self.alt {
            m |= KeyModifiers::ALT;
        }
        if let KeyCode::Char(c) = self.code
            && c.is_uppercase()
        {
            m |= KeyModifiers::SHIFT;
        }
        KeyEvent::new(self.code, m)
    }

    /// Parses the config spelling: `a`, `G`, `?`, `ctrl-c`, `alt-x`, `enter`, `esc`, `tab`,
    /// `backtab`, `space`, `up`, `down`, `left`, `right`, `home`, `end`, `pageup`, `pagedown`,
    /// `backspace`, `delete`, `insert`, `f1`…`f12`.
    pub fn parse(s: &str) -> Result<Key, String> {
        let mut rest = s;
        let (mut ctrl, mut alt) = (false, false);
        loop {
            let lower = rest.to_ascii_lowercase();
            if rest.chars().count() > 2 && (lower.starts_with("ctrl-") || lower.starts_with("ctrl+")) {
                ctrl = true;
                rest = &rest[5..];
            } else if rest.chars().count() > 2 && (lower.starts_with("alt-") || lower.starts_with("alt+")) {
                alt = true;
                rest = &rest[4..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) if !c.is_control() && c != ' ' => {
                KeyCode::Char(if ctrl { c.to_ascii_lowercase() } else { c })
            }
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" => KeyCode::Tab,
                "backtab" | "shift-tab" => KeyCode::BackTab,
                "space" => KeyCode::Char(' '),
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pageup" | "page_up" => KeyCode::PageUp,
                "pagedown" | "page_down" => KeyCode::PageDown,
                "backspace" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "insert" => KeyCode::Insert,
                f if f.starts_with('f') && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) => {
                    KeyCode::F(f[1..].parse().expect("checked"))
                }
                _ => return Err(format!("unknown key {s:?}")),
            },
        };
        // A terminal sends these as the key they share a byte with: a binding to them would
        // never fire, and must never be the only way out of the app or a prompt.
        if let (true, KeyCode::Char(c @ ('m' | 'i' | '['))) = (ctrl, code) {
            let same = match c {
                'm' => "enter",
                'i' => "tab",
                _ => "esc",
            };
            return Err(format!(
                "{s:?}: a terminal sends ctrl-{c} as {same} and cannot tell them apart; bind {same:?}"
            ));
        }
        Ok(Key { code, ctrl, alt })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("backtab"),
            KeyCode::Up => f.write_str("up"),
            KeyCode::Down => f.write_str("down"),
            KeyCode::Left => f.write_str("left"),
            KeyCode::Right => f.write_str("right"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::PageUp => f.write_str("pageup"),
            KeyCode::PageDown => f.write_str("pagedown"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Delete => f.write_str("delete"),
            KeyCode::Insert => f.write_str("insert"),
            KeyCode::F(n) => write!(f, "f{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_and_print() {
        for (s, key) in [
            ("a", Key::ch('a')),
            ("G", Key::ch('G')),
            ("?", Key::ch('?')),
            ("ctrl-c", Key::ctrl('c')),
            ("Ctrl+C", Key::ctrl('c')),
            ("space", Key::ch(' ')),
            ("enter", Key::plain(KeyCode::Enter)),
            ("tab", Key::plain(KeyCode::Tab)),
            ("up", Key::plain(KeyCode::Up)),
            ("f5", Key::plain(KeyCode::F(5))),
            ("-", Key::ch('-')),
        ] {
            assert_eq!(Key::parse(s), Ok(key), "{s}");
        }
        assert_eq!(Key::ctrl('c').to_string(), "ctrl-c");
        assert!(Key::parse("hyper-x").is_err());
        assert!(Key::parse("").is_err());
        assert!(Key::parse("f13").is_err());
    }

    #[test]
    fn events_map_to_keys() {
        let ev = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&ev), Some(Key::ch('G')));
        let ev = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(Key::from_event(&ev), Some(Key::ctrl('c')));
        assert_eq!(Key::from_event(&Key::ch('E').event()), Some(Key::ch('E')));
    }
}
