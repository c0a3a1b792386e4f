//! One theme of named roles. Colours come from the config's `[theme]`; `NO_COLOR`, `CLICOLOR=0`
//! or `TERM=dumb` turn them all off. Meaning is never carried by colour alone: every styled state also has a text
//! marker (`[x]`, `(x)`, `✓`, `!`), and the selection is reversed video, which needs no colour.

use crate::config::Config;
use ratatui::style::{Color, Modifier, Style};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The roles a config may colour.
pub const ROLES: &[&str] =
    &["text", "title", "muted", "accent", "success", "warning", "danger", "selection", "suggested"];

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ThemeError {
    #[error("{path}: [theme]: unknown role {role:?}; roles are: {known}")]
    UnknownRole { path: PathBuf, role: String, known: String },
    #[error("{path}: [theme] {role}: {value:?} is not a colour (a name like \"cyan\", \"#rrggbb\", or \"reset\")")]
    BadColour { path: PathBuf, role: String, value: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub text: Style,
    pub title: Style,
    pub muted: Style,
    pub accent: Style,
    pub success: Style,
    pub warning: Style,
    pub danger: Style,
    pub selection: Style,
    /// What the evidence suggests, not the user's answer (its mark, `(x)` `( )`, says so
    /// without colour).
    pub suggested: Style,
    pub colour: bool,
}

impl Default for Theme {
    fn default() -> Theme {
        Theme {
            text: Style::new(),
            title: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            muted: Style::new().fg(Color::DarkGray),
            accent: Style::new().fg(Color::Cyan),
            success: Style::new().fg(Color::Green),
            warning: Style::new().fg(Color::Yellow),
            danger: Style::new().fg(Color::Red),
            selection: Style::new().add_modifier(Modifier::REVERSED),
            suggested: Style::new().fg(Color::Magenta).add_modifier(Modifier::ITALIC),
            colour: true,
        }
    }
}

impl Theme {
    /// No colours at all: only bold / reversed, which every terminal shows.
    pub fn monochrome() -> Theme {
        Theme {
            text: Style::new(),
            title: Style::new().add_modifier(Modifier::BOLD),
            muted: Style::new(),
            accent: Style::new(),
            success: Style::new(),
            warning: Style::new().add_modifier(Modifier::BOLD),
            danger: Style::new().add_modifier(Modifier::BOLD),
            selection: Style::new().add_modifier(Modifier::REVERSED),
            suggested: Style::new().add_modifier(Modifier::ITALIC),
            colour: false,
        }
    }

    /// True when the environment asks for no colour: `NO_COLOR` (set and not empty), `CLICOLOR=0`
    /// or `TERM=dumb`, unless `CLICOLOR_FORCE` (not empty, not `0`) forces it (as `--color auto`
    /// decides for the command line's output, `paint::decide`).
    pub fn no_color_env() -> bool {
        !crate::paint::colour_on_a_terminal(|k| std::env::var(k).ok())
    }

    /// The default theme with the config's `[theme]` colours, or no colour when `no_color`.
    /// The config is validated either way, so a typo is reported even under `NO_COLOR`.
    pub fn from_config(config: &Config, config_path: &Path, no_color: bool) -> Result<Theme, ThemeError> {
        let mut theme = Theme::default();
        for (role, value) in &config.theme {
            let colour = Color::from_str(value.trim()).map_err(|_| ThemeError::BadColour {
                path: config_path.into(),
                role: role.clone(),
                value: value.clone(),
            })?;
            let slot = match role.as_str() {
                "text" => &mut theme.text,
                "title" => &mut theme.title,
                "muted" => &mut theme.muted,
                "accent" => &mut theme.accent,
                "success" => &mut theme.success,
                "warning" => &mut theme.warning,
                "danger" => &mut theme.danger,
                "selection" => &mut theme.selection,
                "suggested" => &mut theme.suggested,
                _ => {
                    return Err(ThemeError::UnknownRole {
                        path: config_path.into(),
                        role: role.clone(),
                        known: ROLES.join(", "),
                    });
                }
            };
            *slot = slot.fg(colour);
        }
        Ok(if no_color { Theme::monochrome() } else { theme })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> Config {
        Config::parse(text, Path::new("c.toml")).unwrap()
    }

    #[test]
    fn colours_override_roles() {
        let t =
            Theme::from_config(&config("[theme]\naccent = \"magenta\"\ndanger = \"#ff0080\"\n"), Path::new("c"), false)
                .unwrap();
        assert_eq!(t.accent.fg, Some(Color::Magenta));
        assert_eq!(t.danger.fg, Some(Color::Rgb(0xff, 0, 0x80)));
        assert_eq!(t.title, Theme::default().title);
    }

    #[test]
    fn no_color_means_no_colour_anywhere() {
        let t = Theme::from_config(&config("[theme]\naccent = \"magenta\"\n"), Path::new("c"), true).unwrap();
        for s in [t.text, t.title, t.muted, t.accent, t.success, t.warning, t.danger, t.selection, t.suggested] {
            assert_eq!((s.fg, s.bg), (None, None));
        }
        assert!(!t.colour);
    }

    #[test]
    fn bad_roles_and_colours_name_the_file() {
        let err = Theme::from_config(&config("[theme]\naccnet = \"red\"\n"), Path::new("/c.toml"), false).unwrap_err();
        assert!(err.to_string().starts_with("/c.toml: [theme]: unknown role \"accnet\""), "{err}");
        let err =
            Theme::from_config(&config("[theme]\naccent = \"reddish\"\n"), Path::new("/c.toml"), true).unwrap_err();
        assert!(err.to_string().contains("\"reddish\" is not a colour"), "{err}");
    }
}
