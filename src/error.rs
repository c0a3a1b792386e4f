//! The error the binary reports: one clear line, and an exit code.

use crate::checklist::ChecklistError;
use crate::config::ConfigError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Checklist(#[from] ChecklistError),
    #[error(transparent)]
    Phrases(#[from] crate::evidence::PhrasesError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Import(#[from] crate::import::ImportError),
    #[error(transparent)]
    Keymap(#[from] crate::tui::KeymapError),
    #[error(transparent)]
    Theme(#[from] crate::tui::ThemeError),
    /// The user asked for something that cannot be done as asked (exit code 2).
    #[error("{0}")]
    Usage(String),
    #[error("{what}: {source}")]
    Io { what: String, source: std::io::Error },
    /// A check found problems it has already reported (exit code 1).
    #[error("{0}")]
    Failed(String),
    /// The review app was ended by a signal (exit code 128 + its number, as shells expect).
    #[error("{message}")]
    Signal { sig: i32, message: String },
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => 2,
            Error::Signal { sig, .. } => 128 + sig,
            _ => 1,
        }
    }

    pub fn io(what: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io { what: what.into(), source }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
