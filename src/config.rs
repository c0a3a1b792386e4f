//! Configuration: where things live, the keymap overrides and the theme.
//!
//! Layers: built-in defaults → config file → environment → command-line flags.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The commented example written by `vetted config init`.
pub const EXAMPLE_TOML: &str = include_str!("../assets/config.example.toml");

/// One key or several for an action in `[keymap]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Keys {
    One(String),
    Many(Vec<String>),
}

impl Keys {
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            Keys::One(k) => vec![k.clone()],
            Keys::Many(ks) => ks.clone(),
        }
    }
}

/// The config file's contents. Unknown keys are errors, so typos never pass silently.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub database: Option<PathBuf>,
    pub checklist: Option<PathBuf>,
    #[serde(default)]
    pub keymap: BTreeMap<String, Keys>,
    #[serde(default)]
    pub theme: BTreeMap<String, String>,
    /// Clicks and the wheel in the review app (default on); `false` leaves the mouse to the
    /// terminal (its own selection and copy).
    pub mouse: Option<bool>,
    /// Queue rows show the first line of each message beside the name (the review app's
    /// `preview` key toggles it and writes it back, see [`remember`]).
    pub message_preview: Option<bool>,
    /// The review app runs `vetted sync` as it opens and after it closes, saying what it did
    /// (a store that syncs; default off).
    pub sync: Option<bool>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read the config file: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}:{line}: {message}")]
    Parse { path: PathBuf, line: usize, message: String },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("{path}: cannot write the config file: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("no home directory found: set VETTED_DB and VETTED_CONFIG, or pass --db and --config")]
    NoHome,
}

/// The 1-based line of a byte span in `text` (1 when the parser gave no span).
pub fn line_of(text: &str, span: Option<std::ops::Range<usize>>) -> usize {
    let at = span.map_or(0, |s| s.start.min(text.len()));
    text.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1
}

impl Config {
    /// Reads the config at `path`; a missing file means defaults.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        match read_small_file(path) {
            Ok(Some(text)) => Config::parse(&text, path),
            Ok(None) => Ok(Config::default()),
            Err(source) => Err(ConfigError::Read { path: path.into(), source }),
        }
    }

    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let mut config: Config = toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: path.into(),
            line: line_of(text, e.span()),
            message: e.message().trim().to_string(),
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        config.database = config.database.map(|p| resolve(&p, base));
        config.checklist = config.checklist.map(|p| resolve(&p, base));
        Ok(config)
    }
}

/// Writes one top-level setting (`message_preview = true`) into the config file at `path`,
/// keeping everything else in it as it was: other settings, comments, order, spacing. A
/// missing file (and its folder) is created holding just that setting. The file is replaced
/// whole (a reader sees the old file or the new one) with its mode kept, and through a symlink
/// the file it points to is the one changed. A file that is not valid TOML is left alone.
pub fn remember(path: &Path, key: &str, value: bool) -> Result<(), ConfigError> {
    let write_err = |source| ConfigError::Write { path: path.into(), source };
    // A symlinked config (dotfiles kept elsewhere) keeps its link: its target is written.
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let text = read_small_file(&target).map_err(|source| ConfigError::Read { path: path.into(), source })?;
    let mut doc: toml_edit::DocumentMut =
        text.as_deref().unwrap_or("").parse().map_err(|e: toml_edit::TomlError| ConfigError::Parse {
            path: path.into(),
            line: line_of(text.as_deref().unwrap_or(""), e.span()),
            message: e.message().trim().to_string(),
        })?;
    doc[key] = toml_edit::value(value);
    let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if text.is_none() {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir).map_err(write_err)?;
    }
    let file = crate::partial::Partial::create_in(dir).map_err(write_err)?;
    if let Ok(meta) = std::fs::metadata(&target) {
        file.as_file().set_permissions(meta.permissions()).map_err(write_err)?;
    }
    use std::io::Write;
    (&mut file.as_file()).write_all(doc.to_string().as_bytes()).map_err(write_err)?;
    file.as_file().sync_all().map_err(write_err)?;
    file.persist_replacing(&target).map_err(|e| write_err(e.error))
}

/// The most a config or checklist file may hold: far more than any needs.
pub const MAX_SETTINGS_BYTES: u64 = 1024 * 1024;

/// Reads a config or checklist file whole: `None` when there is none. A FIFO, a device or a
/// file over [`MAX_SETTINGS_BYTES`] is refused before a byte is read (it could be endless, or
/// wait for ever).
pub fn read_small_file(path: &Path) -> std::io::Result<Option<String>> {
    use std::io::Read;
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let refuse = |why: String| Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, why));
    if !meta.is_file() {
        return refuse("not a regular file (a device, FIFO or folder)".into());
    }
    if meta.len() > MAX_SETTINGS_BYTES {
        return refuse(format!("{} bytes, over the {} KiB limit", meta.len(), MAX_SETTINGS_BYTES / 1024));
    }
    let mut text = String::new();
    std::fs::File::open(path)?.take(MAX_SETTINGS_BYTES + 1).read_to_string(&mut text)?;
    if text.len() as u64 > MAX_SETTINGS_BYTES {
        return refuse(format!("over the {} KiB limit", MAX_SETTINGS_BYTES / 1024));
    }
    Ok(Some(text))
}

/// Expands a leading `~/` and makes a relative path relative to the config file's folder.
fn resolve(p: &Path, base: &Path) -> PathBuf {
    if let Ok(rest) = p.strip_prefix("~")
        && let Ok(home) = etcetera::home_dir()
    {
        return home.join(rest);
    }
    if p.is_relative() { base.join(p) } else { p.to_path_buf() }
}

/// The files vetted uses, after every layer has had its say.
#[derive(Debug, Clone, PartialEq)]
pub struct Paths {
    pub config: PathBuf,
    pub database: PathBuf,
    pub checklist: PathBuf,
    /// The user's phrase lists for the evidence (`evidence.toml` beside the config file).
    pub evidence: PathBuf,
}

/// The XDG base directories, on Linux and on macOS alike (`~/.config`, `~/.local/share`, or
/// `XDG_CONFIG_HOME` / `XDG_DATA_HOME`), as the terminal tools vetted's users run do there.
fn base_dirs() -> Result<etcetera::base_strategy::Xdg, ConfigError> {
    etcetera::base_strategy::Xdg::new().map_err(|_| ConfigError::NoHome)
}

/// The config file: `--config`, else `VETTED_CONFIG`, else the platform config directory.
pub fn config_path(flag: Option<&Path>) -> Result<PathBuf, ConfigError> {
    if let Some(p) = flag {
        return Ok(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("VETTED_CONFIG").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    use etcetera::BaseStrategy;
    Ok(base_dirs()?.config_dir().join("vetted").join("config.toml"))
}

/// Resolves the database and checklist paths. `db_flag` is `--db` (clap already folds in
/// `VETTED_DB`).
pub fn resolve_paths(config_file: PathBuf, config: &Config, db_flag: Option<&Path>) -> Result<Paths, ConfigError> {
    let database = match (db_flag, &config.database) {
        (Some(p), _) => p.to_path_buf(),
        (None, Some(p)) => p.clone(),
        (None, None) => {
            use etcetera::BaseStrategy;
            base_dirs()?.data_dir().join("vetted").join("vetted.db")
        }
    };
    let checklist = match &config.checklist {
        Some(p) => p.clone(),
        None => config_file.parent().unwrap_or(Path::new(".")).join("checklist.toml"),
    };
    let evidence = config_file.parent().unwrap_or(Path::new(".")).join("evidence.toml");
    Ok(Paths { config: config_file, database, checklist, evidence })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_means_defaults() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Config::load(&dir.path().join("nope.toml")).unwrap(), Config::default());
    }

    #[test]
    fn the_example_parses_to_defaults() {
        assert_eq!(Config::parse(EXAMPLE_TOML, Path::new("x.toml")).unwrap(), Config::default());
    }

    #[test]
    fn keymap_takes_one_key_or_a_list() {
        let c = Config::parse("[keymap]\naccept = \"y\"\ndecline = [\"n\", \"x\"]\n", Path::new("c.toml")).unwrap();
        assert_eq!(c.keymap["accept"].to_vec(), vec!["y"]);
        assert_eq!(c.keymap["decline"].to_vec(), vec!["n", "x"]);
    }

    #[test]
    fn unknown_keys_name_file_line_and_key() {
        let err = Config::parse("database = \"a.db\"\n\ncolour = \"red\"\n", Path::new("/etc/v.toml")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("/etc/v.toml:3: unknown field `colour`"), "{msg}");
    }

    #[test]
    fn wrong_types_and_bad_toml_are_errors() {
        let err = Config::parse("[keymap]\naccept = 5\n", Path::new("c.toml")).unwrap_err().to_string();
        assert!(err.starts_with("c.toml:2:"), "{err}");
        let err = Config::parse("database = \n", Path::new("c.toml")).unwrap_err().to_string();
        assert!(err.starts_with("c.toml:1:"), "{err}");
    }

    #[test]
    fn remember_keeps_the_rest_of_the_file_and_its_comments() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let before = "# my settings\nmouse = false # no clicks\n\n[keymap]\n# mine\naccept = \"y\"\n";
        std::fs::write(&path, before).unwrap();
        remember(&path, "message_preview", true).unwrap();
        let after = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            after,
            "# my settings\nmouse = false # no clicks\nmessage_preview = true\n\n[keymap]\n# mine\naccept = \"y\"\n"
        );
        remember(&path, "message_preview", false).unwrap();
        let again = std::fs::read_to_string(&path).unwrap();
        assert_eq!(again, after.replace("message_preview = true", "message_preview = false"));
        let c = Config::load(&path).unwrap();
        assert_eq!(
            (c.message_preview, c.mouse, c.keymap["accept"].to_vec()),
            (Some(false), Some(false), vec!["y".into()])
        );
    }

    #[test]
    fn remember_creates_a_missing_file_with_just_that_setting() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new").join("config.toml");
        remember(&path, "message_preview", true).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "message_preview = true\n");
    }

    #[test]
    fn remember_writes_through_a_symlink_and_keeps_the_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let (real, link) = (dir.path().join("dotfiles.toml"), dir.path().join("config.toml"));
        std::fs::write(&real, "mouse = true\n").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        remember(&link, "message_preview", true).unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "mouse = true\nmessage_preview = true\n");
        assert_eq!(std::fs::metadata(&real).unwrap().permissions().mode() & 0o777, 0o640);
    }

    #[test]
    fn remember_refuses_what_it_cannot_write_or_read_and_changes_nothing() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "mouse = [\n").unwrap();
        let err = remember(&path, "message_preview", true).unwrap_err().to_string();
        assert!(err.starts_with(&format!("{}:", path.display())), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "mouse = [\n");
        // A folder that is a file stops root too.
        let under_a_file = path.join("config.toml");
        let err = remember(&under_a_file, "message_preview", true).unwrap_err().to_string();
        assert!(err.starts_with(&format!("{}: cannot", under_a_file.display())), "{err}");
        std::fs::write(&path, "mouse = true\n").unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o500)).unwrap();
        let result = remember(&path, "message_preview", true);
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        if rustix::process::geteuid().is_root() {
            eprintln!("running as root: a read-only folder does not stop root; the refusal is not checked");
            return;
        }
        let err = result.unwrap_err().to_string();
        assert!(err.contains("cannot write the config file"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "mouse = true\n");
    }

    #[test]
    fn relative_paths_follow_the_config_file() {
        let c = Config::parse("database = \"data/v.db\"\n", Path::new("/home/u/.config/vetted/config.toml")).unwrap();
        assert_eq!(c.database.unwrap(), PathBuf::from("/home/u/.config/vetted/data/v.db"));
    }

    #[test]
    fn flags_beat_the_file_which_beats_defaults() {
        let cfg = PathBuf::from("/c/config.toml");
        let file = Config { database: Some("/file.db".into()), ..Config::default() };
        let p = resolve_paths(cfg.clone(), &file, Some(Path::new("/flag.db"))).unwrap();
        assert_eq!(p.database, PathBuf::from("/flag.db"));
        let p = resolve_paths(cfg.clone(), &file, None).unwrap();
        assert_eq!(p.database, PathBuf::from("/file.db"));
        assert_eq!(p.checklist, PathBuf::from("/c/checklist.toml"));
    }
}
