//! Keys are data: defaults in code, partial overrides from the config's `[keymap]`, checked
//! for unknown names and conflicts before the terminal is touched. The footer and the help
//! are generated from the same map.

use super::action::{Action, KeyMode};
pub use super::key::Key;
use crate::config::Config;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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

impl Default for Keymap {
    fn default() -> Keymap {
        Keymap { bindings: Action::all().into_iter().map(|a| (a, a.default_keys().to_vec())).collect() }
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

    /// The key table of docs/screens.md, generated from this keymap: action name, keys, mode and
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
    use ratatui::crossterm::event::KeyCode;

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
    fn keys_a_terminal_sends_as_enter_tab_or_esc_are_refused_so_they_are_never_the_only_way_out() {
        let path = Path::new("/home/u/.config/vetted/config.toml");
        for (pairs, same) in [
            (&[("quit", &["ctrl-m"][..]), ("force_quit", &[])][..], "enter"),
            (&[("cancel", &["ctrl-["][..]), ("force_quit", &[])], "esc"),
            (&[("discard", &["Ctrl+I"][..])], "tab"),
        ] {
            let err = Keymap::with_overrides(&over(pairs), path).unwrap_err().to_string();
            assert!(err.starts_with("/home/u/.config/vetted/config.toml: [keymap] "), "{err}");
            assert!(err.contains(&format!("cannot tell them apart; bind \"{same}\"")), "{err}");
        }
        assert!(Keymap::with_overrides(&over(&[("quit", &["ctrl-q"])]), path).is_ok());
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
    fn overrides_replace_only_the_named_actions() {
        let map = Keymap::with_overrides(&over(&[("accept", &["y", "f2"])]), Path::new("c.toml")).unwrap();
        assert_eq!(map.action(KeyMode::Normal, Key::ch('y')), Some(Action::Accept));
        assert_eq!(map.action(KeyMode::Normal, Key::plain(KeyCode::F(2))), Some(Action::Accept));
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
        let doc = include_str!("../../docs/screens.md");
        let table = Keymap::default().markdown_table();
        assert!(doc.contains(&table), "regenerate the key table in docs/screens.md:\n{table}");
    }

    #[test]
    fn from_config_reads_the_keymap_table() {
        let config = Config::parse("[keymap]\ndefer = \"x\"\n", Path::new("c.toml")).unwrap();
        let map = Keymap::from_config(&config, Path::new("c.toml")).unwrap();
        assert_eq!(map.keys(Action::Defer), &[Key::ch('x')]);
    }
}
