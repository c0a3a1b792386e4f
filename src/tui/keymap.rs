//! Keys are data: defaults in code, partial overrides from the config's `[keymap]`, checked
//! for unknown names and conflicts before the terminal is touched. The footer and the help
//! are generated from the same map.

use super::action::{Action, KeyMode};
use crate::config::Config;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

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

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeymapError {
    #[error("{path}: [keymap]: unknown action {name:?}; known actions: {known}")]
    UnknownAction { path: PathBuf, name: String, known: String },
    #[error("{path}: [keymap] {action}: {message}")]
    BadKey { path: PathBuf, action: String, message: String },
    #[error("{path}: [keymap]: key \"{key}\" is bound to both {first} and {second} ({mode}); rebind one of them")]
    Conflict { path: PathBuf, key: String, first: String, second: String, mode: &'static str },
    #[error("{path}: [keymap]: {why}; bind a key to it")]
    NoWayOut { path: PathBuf, why: &'static str },
}

/// Action → keys, in help order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    bindings: Vec<(Action, Vec<Key>)>,
}

fn defaults(a: Action) -> Vec<Key> {
    use KeyCode::*;
    let k = Key::plain;
    match a {
        Action::Up => vec![Key::ch('k'), k(Up)],
        Action::Down => vec![Key::ch('j'), k(Down)],
        Action::PageUp => vec![k(PageUp)],
        Action::PageDown => vec![k(PageDown)],
        Action::First => vec![Key::ch('g'), k(Home)],
        Action::Last => vec![Key::ch('G'), k(End)],
        Action::NextPane => vec![k(Tab)],
        // 1–9, then 0 and - for items 10 and 11: every built-in item has a key.
        Action::Toggle(n @ 1..=9) => vec![Key::ch((b'0' + n) as char)],
        Action::Toggle(10) => vec![Key::ch('0')],
        Action::Toggle(11) => vec![Key::ch('-')],
        Action::Toggle(_) => vec![],
        Action::ToggleFocused => vec![Key::ch(' ')],
        Action::Accept => vec![Key::ch('a')],
        Action::Decline => vec![Key::ch('d')],
        Action::Defer => vec![Key::ch('l')],
        Action::Undo => vec![Key::ch('u')],
        Action::EditNotes => vec![Key::ch('e')],
        Action::EditNotesExternal => vec![Key::ch('E')],
        Action::OpenProfile => vec![Key::ch('o')],
        Action::Search => vec![Key::ch('/')],
        Action::Sort => vec![Key::ch('s')],
        Action::RepeatEarlier => vec![Key::ch('r')],
        Action::Reopen => vec![Key::ch('p')],
        Action::MarkDone => vec![Key::ch('m')],
        Action::ScreenQueue => vec![Key::ch('Q')],
        Action::ScreenDeclined => vec![Key::ch('D')],
        Action::ScreenLog => vec![Key::ch('L')],
        Action::ScreenStats => vec![Key::ch('S')],
        Action::ScreenTodo => vec![Key::ch('T')],
        Action::NextScreen => vec![Key::ch(']')],
        Action::PrevScreen => vec![Key::ch('[')],
        Action::Help => vec![Key::ch('?')],
        Action::Quit => vec![Key::ch('q')],
        Action::ForceQuit => vec![Key::ctrl('c')],
        Action::Suspend => vec![Key::ctrl('z')],
        Action::Confirm => vec![k(Enter)],
        Action::Cancel => vec![k(Esc)],
        Action::Save => vec![Key::ctrl('s')],
        Action::Discard => vec![k(Esc)],
    }
}

impl Default for Keymap {
    fn default() -> Keymap {
        Keymap { bindings: Action::all().into_iter().map(|a| (a, defaults(a))).collect() }
    }
}

impl Keymap {
    /// The defaults with the config's `[keymap]` overrides. `config_path` names the file in
    /// errors.
    pub fn from_config(config: &Config, config_path: &Path) -> Result<Keymap, KeymapError> {
        let overrides: BTreeMap<String, Vec<String>> =
            config.keymap.iter().map(|(name, keys)| (name.clone(), keys.to_vec())).collect();
        Keymap::with_overrides(&overrides, config_path)
    }

    pub fn with_overrides(overrides: &BTreeMap<String, Vec<String>>, path: &Path) -> Result<Keymap, KeymapError> {
        let mut map = Keymap::default();
        for (name, keys) in overrides {
            let action = Action::from_name(name).ok_or_else(|| KeymapError::UnknownAction {
                path: path.into(),
                name: name.clone(),
                known: Action::all().iter().map(|a| a.name()).collect::<Vec<_>>().join(", "),
            })?;
            let mut parsed = Vec::new();
            for k in keys {
                let key = Key::parse(k).map_err(|message| KeymapError::BadKey {
                    path: path.into(),
                    action: name.clone(),
                    message,
                })?;
                if !parsed.contains(&key) {
                    parsed.push(key);
                }
            }
            map.bindings.iter_mut().find(|(a, _)| *a == action).expect("all actions are bound").1 = parsed;
        }
        map.check(path)?;
        Ok(map)
    }

    fn check(&self, path: &Path) -> Result<(), KeymapError> {
        let unbound = |a: Action| self.keys(a).is_empty();
        let no_way_out = |why| Err(KeymapError::NoWayOut { path: path.into(), why });
        if unbound(Action::Quit) && unbound(Action::ForceQuit) {
            return no_way_out("neither quit nor force_quit has a key: there would be no way out of the app");
        }
        if unbound(Action::Cancel) && unbound(Action::ForceQuit) {
            return no_way_out("neither cancel nor force_quit has a key: there would be no way out of a prompt");
        }
        if unbound(Action::Confirm) {
            return no_way_out("confirm has no key: no decision could be recorded");
        }
        if unbound(Action::Discard) && unbound(Action::Save) && unbound(Action::ForceQuit) {
            return no_way_out("none of save, discard and force_quit has a key: no way out of the notes editor");
        }
        let mut seen: BTreeMap<(KeyMode, String), Action> = BTreeMap::new();
        for (action, keys) in &self.bindings {
            for key in keys {
                let modes = match action.mode() {
                    // A global key shadows the same key in every mode.
                    KeyMode::Global => vec![KeyMode::Normal, KeyMode::Prompt, KeyMode::Editor],
                    m => vec![m],
                };
                for mode in modes {
                    if let Some(first) = seen.insert((mode, key.to_string()), *action) {
                        return Err(KeymapError::Conflict {
                            path: path.into(),
                            key: key.to_string(),
                            first: first.name(),
                            second: action.name(),
                            mode: mode.label(),
                        });
                    }
                }
            }
        }
        Ok(())
    }

    /// The action a key triggers in `mode` (the mode's own keys first, then global ones).
    pub fn action(&self, mode: KeyMode, key: Key) -> Option<Action> {
        let find =
            |m: KeyMode| self.bindings.iter().find(|(a, keys)| a.mode() == m && keys.contains(&key)).map(|(a, _)| *a);
        find(mode).or_else(|| find(KeyMode::Global))
    }

    pub fn keys(&self, action: Action) -> &[Key] {
        self.bindings.iter().find(|(a, _)| *a == action).map_or(&[], |(_, k)| k.as_slice())
    }

    /// The first key of an action as text, or `None` when it is unbound.
    pub fn first(&self, action: Action) -> Option<String> {
        self.keys(action).first().map(Key::to_string)
    }

    /// All keys of an action, as the help shows them (`k/↑`).
    pub fn describe(&self, action: Action) -> String {
        self.keys(action).iter().map(Key::to_string).collect::<Vec<_>>().join("/")
    }

    pub fn bindings(&self) -> &[(Action, Vec<Key>)] {
        &self.bindings
    }

    /// The key table of the README, generated from this keymap: action name, keys, mode and
    /// what it does.
    pub fn markdown_table(&self) -> String {
        let mut out = String::from("| action | keys | where | what it does |\n| --- | --- | --- | --- |\n");
        for (action, keys) in &self.bindings {
            let keys: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
            out.push_str(&format!(
                "| `{}` | {} | {} | {} |\n",
                action.name(),
                keys.join(" "),
                action.mode().label(),
                action.description().replace('|', "\\|")
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn over(pairs: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
        pairs.iter().map(|(a, ks)| (a.to_string(), ks.iter().map(|k| k.to_string()).collect())).collect()
    }

    #[test]
    fn a_keymap_that_leaves_no_way_out_is_refused_naming_the_file() {
        let path = Path::new("/home/u/.config/vetted/config.toml");
        for (pairs, says) in [
            (&[("quit", &[][..]), ("force_quit", &[])][..], "no way out of the app"),
            (&[("cancel", &[][..]), ("force_quit", &[])], "no way out of a prompt"),
            (&[("confirm", &[][..])], "no decision could be recorded"),
            (&[("save", &[][..]), ("discard", &[]), ("force_quit", &[])], "no way out of the notes editor"),
        ] {
            let err = Keymap::with_overrides(&over(pairs), path).unwrap_err().to_string();
            assert!(err.starts_with("/home/u/.config/vetted/config.toml: [keymap]: ") && err.contains(says), "{err}");
        }
        assert!(Keymap::with_overrides(&over(&[("quit", &[])]), path).is_ok(), "ctrl-c still quits");
    }

    #[test]
    fn defaults_have_no_conflicts() {
        Keymap::default().check(Path::new("x")).unwrap();
        let map = Keymap::default();
        assert_eq!(map.action(KeyMode::Normal, Key::ch('a')), Some(Action::Accept));
        assert_eq!(map.action(KeyMode::Normal, Key::ch('3')), Some(Action::Toggle(3)));
        assert_eq!(map.action(KeyMode::Prompt, Key::ch('a')), None);
        assert_eq!(map.action(KeyMode::Prompt, Key::ctrl('c')), Some(Action::ForceQuit));
        assert_eq!(map.action(KeyMode::Editor, Key::plain(KeyCode::Esc)), Some(Action::Discard));
    }

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

    #[test]
    fn overrides_replace_only_the_named_actions() {
        let map = Keymap::with_overrides(&over(&[("accept", &["y", "enter"])]), Path::new("c.toml")).unwrap();
        assert_eq!(map.action(KeyMode::Normal, Key::ch('y')), Some(Action::Accept));
        assert_eq!(map.action(KeyMode::Normal, Key::plain(KeyCode::Enter)), Some(Action::Accept));
        assert_eq!(map.action(KeyMode::Normal, Key::ch('a')), None);
        assert_eq!(map.action(KeyMode::Normal, Key::ch('d')), Some(Action::Decline));
    }

    #[test]
    fn unknown_actions_and_conflicts_name_the_file() {
        let err = Keymap::with_overrides(&over(&[("acept", &["y"])]), Path::new("/home/u/config.toml")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("/home/u/config.toml: [keymap]: unknown action \"acept\""), "{msg}");
        assert!(msg.contains("accept"), "{msg}");

        let err = Keymap::with_overrides(&over(&[("accept", &["d"])]), Path::new("c.toml")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "c.toml: [keymap]: key \"d\" is bound to both accept and decline (review); rebind one of them"
        );
        // The same key in two different modes is fine.
        Keymap::with_overrides(&over(&[("confirm", &["a"])]), Path::new("c.toml")).unwrap();
        // A global key conflicts with every mode.
        let err = Keymap::with_overrides(&over(&[("force_quit", &["q"])]), Path::new("c.toml")).unwrap_err();
        assert!(matches!(err, KeymapError::Conflict { .. }), "{err}");

        let err = Keymap::with_overrides(&over(&[("undo", &["hyper-u"])]), Path::new("c.toml")).unwrap_err();
        assert_eq!(err.to_string(), "c.toml: [keymap] undo: unknown key \"hyper-u\"");
    }

    #[test]
    fn the_docs_key_table_matches_the_default_keymap() {
        let doc = include_str!("../../README.md");
        let table = Keymap::default().markdown_table();
        assert!(doc.contains(&table), "regenerate the key table in README.md:\n{table}");
    }

    #[test]
    fn from_config_reads_the_keymap_table() {
        let config = Config::parse("[keymap]\ndefer = \"w\"\n", Path::new("c.toml")).unwrap();
        let map = Keymap::from_config(&config, Path::new("c.toml")).unwrap();
        assert_eq!(map.keys(Action::Defer), &[Key::ch('w')]);
    }
}
