//! The one seam between the parsers and the store. A parser (LinkedIn's export, vetted's own
//! format, a backup) reads its file and pushes what it finds into a [`Loader`]; it never sees
//! the store, the report or the other rows. A real import's loader is the reconciler
//! (`reconcile.rs`, over the store's `ImportSink`); the parsers' unit tests use one that
//! keeps the records in lists. How far a file is read is told to a [`Progress`] the caller
//! gives (the CLI's progress bar).

use super::Result;
use crate::model::NewRequest;
use crate::store::{AnswerRecord, ConnectionRecord, DecisionRecord, PersonRecord, RequestRecord, StoreError};

/// What a file holds, said as its reading begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileRole {
    /// LinkedIn's Invitations.csv: the requests that follow are LinkedIn's.
    Invitations,
    /// LinkedIn's Connections.csv.
    Connections,
    /// vetted's own format (TOML, JSON or CSV).
    OwnFormat,
    /// A backup of `vetted export --format json`: restored into an empty store only.
    Backup,
}

/// One of the user's own invitations (Invitations.csv's `OUTGOING`): to whom (normalised URL,
/// name) and the day (UTC `YYYY-MM-DD`, '' when unreadable). Kept for "you invited them too".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Outgoing {
    pub url: Option<String>,
    pub name: String,
    pub day: String,
}

/// One row of a backup, in the order `vetted export` writes them.
pub(crate) enum Restored {
    Person(PersonRecord),
    Request(RequestRecord),
    Answer(AnswerRecord),
    Decision(DecisionRecord),
    Connection(ConnectionRecord),
}

/// Where a parser puts what it reads.
pub(crate) trait Loader {
    /// A file begins (`name` as the report lists it). A backup is refused here unless the store
    /// holds nothing.
    fn file(&mut self, name: String, role: FileRole) -> Result<()>;
    /// A request read from the file begun last.
    fn request(&mut self, req: &NewRequest) -> Result<()>;
    /// A connection: its normal profile URL, name and day (`""` when unknown).
    fn connection(&mut self, url: Option<&str>, name: &str, connected_on: &str) -> Result<()>;
    /// A row of a backup (checked by the parser against the format's rules first).
    fn restore(&mut self, row: Restored) -> std::result::Result<(), StoreError>;
    /// An invitation the user sent: not a request; its invitee when the row names one.
    fn outgoing(&mut self, invitee: Option<Outgoing>) -> Result<()>;
    /// A row of Connections.csv empty but for the date (a closed or hidden account).
    fn blank_connection(&mut self);
    /// A row that cannot be read: `at` names it (`file:line`), `reason` says why.
    fn problem(&mut self, at: String, reason: String);
    /// Something the user should know about the files read (an encoding, a file left out).
    fn note(&mut self, note: String);
}

/// What a [`Progress`] is told of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work<'a> {
    /// A file is read (its name; the total is its size in bytes).
    Reading(&'a str),
    /// The evidence of the requests an import brought is weighed (the total: requests).
    Weighing,
}

/// How far an import has come, for a progress bar. Told from the thread doing the work.
pub trait Progress: Sync {
    /// Work of `total` bytes or requests begins.
    fn begin(&self, work: Work<'_>, total: u64);
    /// `done` of it are done.
    fn at(&self, done: u64);
    /// It is done.
    fn end(&self);
}
