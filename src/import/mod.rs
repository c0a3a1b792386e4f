//! Importers: LinkedIn's data export (zip, folder, Invitations.csv, Connections.csv),
//! vetted's own format (TOML, JSON, CSV) and vetted's JSON backup. They parse and decide; they
//! never write SQL nor hold the transaction. [`import_with`] finds what a path holds and runs
//! one [`Store::import`]; each importer feeds a `Session` (the report, and what is looked at
//! once every row is in), which writes through the store's [`ImportSink`]: an import lands
//! whole or not at all.
//!
//! - `linkedin`: LinkedIn's export: finds its files by content, reads Invitations.csv and
//!   Connections.csv by column name.
//! - `own_format`: vetted's own format; only `name` is required.
//! - `backup`: restores a backup of `vetted export --format json` into an empty store, row by
//!   row as it is parsed.
//! - `decode`: a text file in whatever encoding it came, decided for the whole file first.
//! - `dates`, `url`, `hints`: sent-at dates to UTC instants, profile URLs to one normal
//!   form (a person's key), and the hints pre-filled on a request. Pure functions, used by the
//!   CLI too.

mod backup;
mod backup_rules;
pub mod dates;
mod decode;
pub mod hints;
mod linkedin;
mod own_format;
pub mod url;

pub use linkedin::{MAX_ZIP_ENTRIES, directory_reads as zip_directory_reads};

use crate::checklist::Checklist;
use crate::evidence::Phrases;
use crate::model::{NewRequest, Status, name_key};
use crate::store::{ImportRun, ImportSink, Match, Store, StoreError, UpsertOutcome};
use serde::Serialize;
use std::collections::HashMap;
use std::collections::hash_map::DefaultHasher;
use std::fs::File;
use std::hash::{Hash, Hasher};
use std::io::Read;
use std::path::{Path, PathBuf};

pub use crate::model::{MAX_FIELD_BYTES, MAX_FILE_BYTES};

/// The size limit in force: [`MAX_FILE_BYTES`], or a lower one a test asks for through the
/// hidden `VETTED_TEST_MAX_FILE_BYTES` (it can only lower the limit, never lift it), so that
/// the same code path is tested at a few kilobytes.
pub fn max_file_bytes() -> u64 {
    std::env::var("VETTED_TEST_MAX_FILE_BYTES")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .map_or(MAX_FILE_BYTES, |n| n.min(MAX_FILE_BYTES))
}

/// The limit as the messages say it: "512 MiB" (or, lowered for a test, "2048-byte" / "2048 bytes").
fn limit_words(limit: u64, adjective: bool) -> String {
    match limit % (1024 * 1024) {
        0 => format!("{} MiB", limit / (1024 * 1024)),
        _ if adjective => format!("{limit}-byte"),
        _ => format!("{limit} bytes"),
    }
}

/// Invalid rows listed one by one in a report; beyond that they are only counted.
const MAX_LISTED_PROBLEMS: usize = 1000;

pub const ACCEPTED: &str = "vetted imports: a LinkedIn data export (the .zip, or its unzipped folder), \
    Invitations.csv, Connections.csv, or a file in vetted's own format (.toml with [[request]] tables, \
    a JSON array of requests, or a CSV whose header has a `name` column), or a backup from \
    `vetted export --format json` (into an empty store)";

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{path}: {action}: {source}")]
    Io { path: PathBuf, action: &'static str, source: std::io::Error },
    #[error("{path}: {size} bytes is over the {} limit for one import{advice}", limit_words(*limit, true))]
    TooLarge { path: PathBuf, size: u64, limit: u64, advice: String },
    #[error("{path}: not a file vetted can import.\n{ACCEPTED}")]
    Unrecognised { path: PathBuf },
    /// The file is not what it claims to be; nothing was imported.
    #[error("{path}: {reason}; nothing was imported")]
    Refused { path: PathBuf, reason: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub type Result<T, E = ImportError> = std::result::Result<T, E>;

/// One row that was skipped, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// `file:line`, or `file: request #N` for TOML and JSON.
    pub at: String,
    pub reason: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.at, self.reason)
    }
}

/// A request the report names: its id and its sender.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Named {
    pub id: i64,
    pub name: String,
}

/// A sender with no usable URL whose name several different connections have: left pending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ambiguous {
    pub id: i64,
    pub name: String,
    /// Each connection of that name, as `name <url> (connected day)` (no `<url>` for one
    /// without a URL).
    pub candidates: Vec<String>,
}

/// Whom the counts of a report are about (each list at most 1,000 long; the counts are whole).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Who {
    pub became_connections: Vec<Named>,
    /// Requests accepted here whose sender is now a connection: the accept was carried out.
    pub accepted_connected: Vec<Named>,
    /// Older requests whose to-do closed: the same person sent a newer invitation.
    pub to_do_closed: Vec<Named>,
    /// Declined requests older than everything this whole export holds: LinkedIn no longer
    /// lists them (probably ignored there); they stay on To do, said so.
    pub not_listed: Vec<Named>,
    pub vanished: Vec<Named>,
    pub asked_again: Vec<Named>,
    pub ignored_on_linkedin: Vec<Named>,
    /// Several connections have the sender's name and their days cannot tell which: pending.
    pub ambiguous: Vec<Ambiguous>,
    /// Several connections have the sender's name, all made before the invitation: none of
    /// them sent it, so it is someone else of that name: pending.
    pub different_person: Vec<Ambiguous>,
}

/// What an import did (or, with `--dry-run`, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub path: String,
    /// What was found: e.g. "LinkedIn export (zip)", "vetted TOML".
    pub kind: String,
    pub files: Vec<String>,
    pub dry_run: bool,
    /// New requests: each invitation not seen before (an older one of a repeated sender too).
    pub new: u64,
    /// The people who sent them: one queue entry each.
    pub new_people: u64,
    pub enriched: u64,
    pub unchanged: u64,
    pub skipped_outgoing: u64,
    pub already_connected: u64,
    /// Senders without a usable URL found among the connections by their name.
    pub matched_by_name: u64,
    pub asked_again: u64,
    pub connections_read: u64,
    /// Rows of Connections.csv empty but for the date (closed or hidden accounts).
    pub blank_connections: u64,
    /// Pending requests whose sender is now a connection (accepted on LinkedIn).
    pub became_connections: u64,
    /// Pending requests missing from this newer export (withdrawn or ignored on LinkedIn).
    pub vanished: u64,
    /// Withdrawn requests that this export lists again: pending again.
    pub came_back: u64,
    /// Older invitations of a sender who sent a newer one: one person, one queue entry.
    pub repeated: u64,
    /// Declined requests this newer export no longer lists: ignored on LinkedIn, to-do done.
    pub ignored_on_linkedin: u64,
    /// Accepted requests whose sender is now a connection: to-do done.
    pub accepted_connected: u64,
    /// Older requests whose to-do closed because the same person sent a newer invitation.
    pub to_do_closed: u64,
    /// Declined requests older than everything this whole export holds: not listed any more.
    pub not_listed: u64,
    /// Requests waiting for a decision once this import is in.
    pub pending: u64,
    /// Decisions waiting to be carried out on LinkedIn once this import is in.
    pub to_do: u64,
    /// Requests whose evidence this import weighed (its own, and those its connections,
    /// invitations or a change of phrase lists speak to).
    pub evaluated: u64,
    pub invalid: u64,
    pub problems: Vec<Problem>,
    pub notes: Vec<String>,
    pub who: Who,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub dry_run: bool,
    /// Show a progress bar on stderr for large files (the caller checks it is a terminal).
    pub progress: bool,
}

/// What `detect` found at a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Zip,
    Folder,
    Invitations,
    Connections,
    OwnToml,
    OwnJson,
    OwnCsv,
    Backup,
}

fn io_err(path: &Path, action: &'static str) -> impl FnOnce(std::io::Error) -> ImportError {
    let path = path.to_path_buf();
    move |source| ImportError::Io { path, action, source }
}

/// Opens a file to import, refusing what is not a regular file (a device, a FIFO, a socket):
/// such a thing could be endless, or give its bytes only once.
/// (Looked at before opening: opening a FIFO waits for a writer.)
fn open_regular(path: &Path) -> Result<File> {
    let not_regular = || ImportError::Refused {
        path: path.into(),
        reason: "not a regular file (a device, FIFO or socket); vetted imports files".into(),
    };
    if !std::fs::metadata(path).map_err(io_err(path, "cannot open"))?.is_file() {
        return Err(not_regular());
    }
    let file = File::open(path).map_err(io_err(path, "cannot open"))?;
    if !file.metadata().map_err(io_err(path, "cannot read"))?.is_file() {
        return Err(not_regular()); // replaced between the two looks
    }
    Ok(file)
}

/// A file's size and time when its reading began: a file that grows or shrinks while it is
/// read (a download still running, a sync) is refused rather than imported in part.
pub(crate) struct Stamp {
    pub size: u64,
    modified: Option<std::time::SystemTime>,
}

impl Stamp {
    pub fn of(file: &File, path: &Path) -> Result<Stamp> {
        let meta = file.metadata().map_err(io_err(path, "cannot read"))?;
        Ok(Stamp { size: meta.len(), modified: meta.modified().ok() })
    }

    pub fn unchanged(&self, file: &File, path: &Path) -> Result<()> {
        let now = Stamp::of(file, path)?;
        if now.size != self.size || now.modified != self.modified {
            return Err(ImportError::Refused {
                path: path.into(),
                reason: format!(
                    "it changed while it was read ({} bytes, now {}); import it again once it is complete",
                    self.size, now.size
                ),
            });
        }
        Ok(())
    }
}

/// Reads up to `n` bytes from the start of a file.
fn head(path: &Path, n: usize) -> Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(n);
    open_regular(path)?.take(n as u64).read_to_end(&mut buf).map_err(io_err(path, "cannot read"))?;
    Ok(buf)
}

/// Classifies a CSV/text file by its first lines (decoded), not its name.
fn classify_text(text: &str) -> Option<Kind> {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if backup::looks_like_backup(text) {
        return Some(Kind::Backup);
    }
    if text.starts_with('[') && !text.starts_with("[[") {
        return Some(Kind::OwnJson);
    }
    let cols = |line: &str| -> Vec<String> {
        let sep = decode::delimiter(line.as_bytes()) as char;
        line.split(sep).map(|c| c.trim().trim_matches('"').to_ascii_lowercase()).collect()
    };
    // Connections.csv: its header after a "Notes:" preamble (2022 on), or first with its
    // `Connected On` column (Profile.csv also starts with First Name, Last Name).
    let mut preamble = false;
    for line in text.split(['\n', '\r']).filter(|l| !l.is_empty()).take(12) {
        let c = cols(line);
        let has = |name: &str| c.iter().any(|x| x == name);
        if has("first name") && has("last name") && (preamble || has("connected on")) {
            return Some(Kind::Connections);
        }
        preamble |= line.trim().starts_with("Notes:");
    }
    let first = cols(text.split(['\n', '\r']).next().unwrap_or("").trim());
    let has = |c: &str| first.iter().any(|x| x == c);
    if has("from") && has("sent at") && has("direction") {
        return Some(Kind::Invitations);
    }
    if has("name") && first.iter().all(|c| own_format::FIELDS.contains(&c.as_str())) {
        return Some(Kind::OwnCsv);
    }
    if text.split(['\n', '\r']).any(|l| l.trim() == "[[request]]") {
        return Some(Kind::OwnToml);
    }
    None
}

fn detect(path: &Path) -> Result<Kind> {
    let meta = std::fs::metadata(path).map_err(io_err(path, "cannot open"))?;
    if meta.is_dir() {
        return Ok(Kind::Folder);
    }
    let head = head(path, 8192)?;
    let kind = if head.starts_with(b"PK\x03\x04") { Some(Kind::Zip) } else { classify_text(&decode::head_text(&head)) };
    // A backup streams in whatever its size (the backup of a big store is over the limit).
    if kind != Some(Kind::Backup) && meta.len() > max_file_bytes() {
        return Err(too_large(path, meta.len(), kind));
    }
    kind.ok_or_else(|| ImportError::Unrecognised { path: path.into() })
}

/// Standard input over the size limit (it is copied to a file before anything is read).
pub fn too_large_input(size: u64) -> ImportError {
    let advice = "; a backup of `vetted export --format json` has no limit when imported from its file".into();
    ImportError::TooLarge { path: "standard input".into(), size, limit: max_file_bytes(), advice }
}

/// A file over the size limit, with what to do about it.
pub(crate) fn too_large(path: &Path, size: u64, kind: Option<Kind>) -> ImportError {
    let limit = max_file_bytes();
    let words = limit_words(limit, false);
    let advice = match kind {
        Some(Kind::Invitations | Kind::OwnCsv) => format!(
            ": split it into files under {words}, each starting with the header line, and import them one \
             after the other, e.g. `head -n 1 FILE > part-header; tail -n +2 FILE | split -C 400M - part-` and \
             `cat part-header part-aa > 1.csv` for each part (a file imported alone cannot tell which requests \
             were withdrawn)"
        ),
        Some(Kind::Connections) => format!(
            ": split it into files under {words}, each with the `First Name,Last Name,…` header line, and \
             import them one after the other"
        ),
        _ => String::new(),
    };
    ImportError::TooLarge { path: path.into(), size, limit, advice }
}

/// Imports `path` into the store in one transaction (rolled back for a dry run). Restored
/// checklist answers are ranked by the built-in checklist (see [`import_with`]).
pub fn import(store: &mut Store, path: &Path, opts: Options) -> Result<Report> {
    import_with(store, path, opts, &Checklist::builtin())
}

/// As [`import`], ranking restored checklist answers by `checklist` (the user's), with the
/// built-in phrase lists.
pub fn import_with(store: &mut Store, path: &Path, opts: Options, checklist: &Checklist) -> Result<Report> {
    import_with_phrases(store, path, opts, checklist, Some(&Phrases::builtin()))
}

/// As [`import_with`], with the evidence made by `phrases` (the user's lists; `None`: no
/// evidence at all, for measuring what it costs).
pub fn import_with_phrases(
    store: &mut Store,
    path: &Path,
    opts: Options,
    checklist: &Checklist,
    phrases: Option<&Phrases>,
) -> Result<Report> {
    let kind = detect(path)?;
    let run = ImportRun { source: &path.display().to_string(), kind: &format!("{kind:?}"), dry_run: opts.dry_run };
    store.import(run, checklist, |sink| {
        let mut session = Session::new(sink, path, opts);
        session.phrases = phrases;
        match kind {
            Kind::Zip => linkedin::zip(&mut session, path)?,
            Kind::Folder => linkedin::folder(&mut session, path)?,
            Kind::Invitations => linkedin::invitations_file(&mut session, path)?,
            Kind::Connections => linkedin::connections_file(&mut session, path)?,
            Kind::OwnToml => own_format::toml(&mut session, path)?,
            Kind::OwnJson => own_format::json(&mut session, path)?,
            Kind::OwnCsv => own_format::csv(&mut session, path)?,
            Kind::Backup => backup::restore(&mut session, path)?,
        }
        session.finish()?;
        let report = session.report;
        // Kept without the names: `vetted forget` must leave no trace of a person.
        let json =
            serde_json::to_string(&Report { who: Who::default(), ..report.clone() }).expect("a report serialises");
        sink.save_report(json);
        Ok(report)
    })
}

/// Lists in a report stop at this many names (the counts go on).
const MAX_NAMED: usize = 1000;

fn name_it(list: &mut Vec<Named>, id: i64, name: &str) {
    if list.len() < MAX_NAMED {
        list.push(Named { id, name: name.to_string() });
    }
}

/// The state of one import: where it writes, the report, and what must be looked at once
/// every row is in.
pub(crate) struct Session<'a, 's> {
    sink: &'a mut ImportSink<'s>,
    pub report: Report,
    opts: Options,
    /// Connections this import read, for the requests already waiting on them.
    touched: Vec<(Option<String>, String)>,
    pub read_invitations: bool,
    pub read_connections: bool,
    /// Requests this import saw from LinkedIn's Invitations.csv, for the vanished check.
    seen: Vec<i64>,
    /// People who got a request (new, or back) while another of theirs may be pending.
    repeaters: Vec<i64>,
    /// People with a new request.
    new_people: std::collections::HashSet<i64>,
    came_back: Vec<i64>,
    /// The newest LinkedIn invitation the store held before this import's first one (asked
    /// once): an export whose newest is older than it is an older export.
    newest_before: Option<Option<String>>,
    /// The earliest and the latest `sent_at` in this Invitations.csv: what it can speak for.
    window: Option<(String, String)>,
    /// Message hash → (senders seen, first sender key hash, the first new request with it
    /// until a second one comes), and the new requests whose message came more than once (with
    /// its hash): a message seen once costs no list entry (memory of a big import).
    messages: HashMap<u64, (u32, u64, Option<i64>)>,
    new_messages: Vec<(u64, i64)>,
    /// The lists the evidence is made with; `None`: no evidence.
    phrases: Option<&'a Phrases>,
}

fn hash<T: Hash + ?Sized>(t: &T) -> u64 {
    let mut h = DefaultHasher::new();
    t.hash(&mut h);
    h.finish()
}

impl<'a, 's> Session<'a, 's> {
    fn new(sink: &'a mut ImportSink<'s>, path: &Path, opts: Options) -> Self {
        Session {
            sink,
            report: Report { path: path.display().to_string(), dry_run: opts.dry_run, ..Report::default() },
            opts,
            touched: Vec::new(),
            read_invitations: false,
            read_connections: false,
            seen: Vec::new(),
            repeaters: Vec::new(),
            new_people: std::collections::HashSet::new(),
            came_back: Vec::new(),
            newest_before: None,
            window: None,
            messages: HashMap::new(),
            new_messages: Vec::new(),
            phrases: None,
        }
    }

    pub fn problem(&mut self, at: String, reason: String) {
        self.report.invalid += 1;
        if self.report.problems.len() < MAX_LISTED_PROBLEMS {
            self.report.problems.push(Problem { at, reason });
        }
    }

    fn progress_bar(&self, total: u64, name: &str) -> Option<indicatif::ProgressBar> {
        const LARGE: u64 = 8 * 1024 * 1024;
        (self.opts.progress && total >= LARGE).then(|| {
            let bar = indicatif::ProgressBar::new(total);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} ({eta})")
                    .expect("a valid template")
                    .progress_chars("=> "),
            );
            bar.set_message(format!("importing {name}"));
            bar
        })
    }

    /// Stores one request read from a file. `linkedin` marks rows of Invitations.csv.
    fn request(&mut self, req: &NewRequest, linkedin: bool) -> Result<()> {
        if linkedin && self.newest_before.is_none() {
            self.newest_before = Some(self.sink.newest_linkedin_sent_at()?);
        }
        let found = self.sink.find_connection(req.profile_url.as_deref(), &req.name, req.sent_at.as_deref());
        let connected = matches!(found, Match::Connected { .. });
        let done = self.sink.upsert_request(req, connected)?;
        let (id, r) = (done.request_id, &mut self.report);
        match done.outcome {
            UpsertOutcome::New => {
                r.new += 1;
                self.new_people.insert(done.person_id);
            }
            UpsertOutcome::AskedAgain => {
                r.asked_again += 1;
                name_it(&mut r.who.asked_again, id, &req.name);
            }
            UpsertOutcome::AlreadyConnected => {
                r.already_connected += 1;
                r.matched_by_name += u64::from(matches!(found, Match::Connected { by_name: true, .. }));
            }
            UpsertOutcome::Enriched => r.enriched += 1,
            UpsertOutcome::Unchanged => r.unchanged += 1,
            UpsertOutcome::CameBack => self.came_back.push(id),
        }
        let fresh = matches!(done.outcome, UpsertOutcome::New | UpsertOutcome::AskedAgain);
        let stored = fresh || done.outcome == UpsertOutcome::AlreadyConnected;
        if stored && done.known_person && !self.sink.was_empty() {
            // Their newer invitation replaces the older on LinkedIn: one person, one action.
            for older in self.sink.close_older_to_do(done.person_id, id)? {
                self.report.to_do_closed += 1;
                name_it(&mut self.report.who.to_do_closed, older, &req.name);
            }
        }
        let r = &mut self.report;
        if fresh {
            let (list, candidates) = match found {
                Match::Ambiguous(c) => (&mut r.who.ambiguous, c),
                Match::SomeoneElse(c) => (&mut r.who.different_person, c),
                _ => (&mut r.who.ambiguous, Vec::new()),
            };
            if !candidates.is_empty() && list.len() < MAX_NAMED {
                list.push(Ambiguous { id, name: req.name.clone(), candidates });
            }
        }
        if done.known_person && (fresh || done.outcome == UpsertOutcome::CameBack) {
            self.repeaters.push(done.person_id);
        }
        let key = req.person_key();
        if fresh && !req.message.trim().is_empty() {
            let h = hash(req.message.trim());
            let sender = hash(&key);
            match self.messages.entry(h) {
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert((1, sender, Some(id)));
                }
                std::collections::hash_map::Entry::Occupied(mut o) => {
                    let entry = o.get_mut();
                    if entry.1 != sender {
                        entry.0 += 1;
                    }
                    if let Some(first) = entry.2.take() {
                        self.new_messages.push((h, first));
                    }
                    self.new_messages.push((h, id));
                }
            }
        }
        if linkedin {
            // Only an import into a store that held requests looks for vanished ones.
            if !self.sink.was_empty() {
                self.seen.push(id);
            }
            if let Some(at) = &req.sent_at {
                let (start, end) = self.window.get_or_insert_with(|| (at.clone(), at.clone()));
                if at < start {
                    *start = at.clone();
                }
                if at > end {
                    *end = at.clone();
                }
            }
        }
        Ok(())
    }

    /// One of the user's own invitations (an OUTGOING row of Invitations.csv).
    fn outgoing(&mut self, o: linkedin::Outgoing) -> Result<()> {
        self.sink.add_outgoing(o.url.as_deref(), &o.name, &o.day).map_err(Into::into)
    }

    /// A row of Connections.csv.
    fn connection(&mut self, url: Option<&str>, name: &str, connected_on: &str) -> Result<()> {
        self.report.connections_read += 1;
        self.sink.add_connection(url, name, connected_on)?;
        if !self.sink.was_empty() {
            self.touched.push((url.map(str::to_string), name_key(name)));
        }
        Ok(())
    }

    /// Cross-row work once every row is in: duplicate messages, requests already waiting on
    /// a connection this import read, repeated senders, and requests that vanished.
    fn finish(&mut self) -> Result<()> {
        for (h, id) in &self.new_messages {
            if self.messages.get(h).is_some_and(|(senders, ..)| *senders > 1) {
                self.sink.add_hint(*id, crate::hint::DUPLICATE_MESSAGE)?;
            }
        }
        self.connect_waiting()?;
        self.keep_withdrawn_in_an_older_export()?;
        self.one_entry_per_person()?;
        self.withdraw_vanished()?;
        self.evidence()?;
        self.report.new_people = self.new_people.len() as u64;
        (self.report.pending, self.report.to_do) = self.sink.pending_and_to_do()?;
        Ok(())
    }

    /// The evidence of what this import brought (see `ImportSink::evaluate_evidence`), with a
    /// progress bar past 100,000 requests.
    fn evidence(&mut self) -> Result<()> {
        let Some(phrases) = self.phrases else { return Ok(()) };
        let mut bar: Option<indicatif::ProgressBar> = None;
        let show = self.opts.progress;
        let mut progress = |done: u64, total: u64| {
            if show && total >= 100_000 {
                let bar = bar.get_or_insert_with(|| {
                    let bar = indicatif::ProgressBar::new(total);
                    bar.set_style(
                        indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({eta})")
                            .expect("a valid template")
                            .progress_chars("=> "),
                    );
                    bar.set_message("weighing the evidence");
                    bar
                });
                bar.set_position(done);
            }
        };
        let done = self.sink.evaluate_evidence(phrases, &mut progress)?;
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        self.report.evaluated = done.requests;
        Ok(())
    }

    /// Requests from earlier imports whose sender is among the connections this one read.
    /// Only those an earlier import had checked against Connections.csv "became" connections;
    /// the others (Invitations.csv and Connections.csv of one export imported one after the
    /// other) were connections already.
    fn connect_waiting(&mut self) -> Result<()> {
        let touched = std::mem::take(&mut self.touched);
        // A connection without a URL may be someone whose request has one: found by name.
        let mut with_urls: HashMap<String, Vec<(i64, Option<String>, String)>> = HashMap::new();
        if touched.iter().any(|(url, _)| url.is_none()) {
            for person in self.sink.waiting_people_with_urls()? {
                with_urls.entry(name_key(&person.2)).or_default().push(person);
            }
        }
        let mut people = std::collections::HashSet::new();
        for (url, key) in touched {
            let mut candidates = self.sink.people_like(url.as_deref(), &key)?;
            if url.is_none() {
                candidates.extend(with_urls.get(&key).into_iter().flatten().cloned());
            }
            for (person, profile_url, name) in candidates {
                if !people.insert(person) {
                    continue;
                }
                let sent_at = self.sink.newest_pending_sent_at(person)?;
                match self.sink.find_connection(profile_url.as_deref(), &name, sent_at.as_deref()) {
                    Match::Connected { connected_on, by_name } => {
                        let (waiting, accepted) = self.sink.mark_connected(person, &connected_on)?;
                        for id in accepted {
                            let name = self.sink.name_of(id)?;
                            self.report.accepted_connected += 1;
                            name_it(&mut self.report.who.accepted_connected, id, &name);
                        }
                        for id in waiting {
                            let name = self.sink.name_of(id)?;
                            let checked = self.sink.checked_against_connections(id)?;
                            let r = &mut self.report;
                            if checked {
                                r.became_connections += 1;
                                name_it(&mut r.who.became_connections, id, &name);
                            } else {
                                r.already_connected += 1;
                                r.matched_by_name += u64::from(by_name);
                            }
                        }
                    }
                    Match::Ambiguous(candidates) => self.kept_pending(person, candidates, false)?,
                    Match::SomeoneElse(candidates) => self.kept_pending(person, candidates, true)?,
                    Match::NotConnected => {}
                }
            }
        }
        Ok(())
    }

    /// Names a person's pending requests that a connection of their name did not settle:
    /// `different`, all of those connections were made before (someone else of that name).
    fn kept_pending(&mut self, person: i64, candidates: Vec<String>, different: bool) -> Result<()> {
        for id in self.sink.pending_requests_of(person)? {
            let name = self.sink.name_of(id)?;
            let who = &mut self.report.who;
            let list = if different { &mut who.different_person } else { &mut who.ambiguous };
            if list.len() < MAX_NAMED && !list.iter().any(|a| a.id == id) {
                list.push(Ambiguous { id, name, candidates: candidates.clone() });
            }
        }
        Ok(())
    }

    /// A request a newer export found withdrawn comes back only in an export at least as new:
    /// listed again by an older export (imported after the newer one), it stays withdrawn. An
    /// export is older when its newest invitation is older than the newest the store held.
    fn keep_withdrawn_in_an_older_export(&mut self) -> Result<()> {
        let (Some((_, end)), Some(Some(newest))) = (&self.window, &self.newest_before) else { return Ok(()) };
        if self.came_back.is_empty() || end >= newest {
            return Ok(());
        }
        for id in &self.came_back {
            self.sink.withdraw(*id)?;
        }
        let n = self.came_back.len();
        self.report.notes.push(format!(
            "{n} request{s} withdrawn on LinkedIn (missing from a newer export) {are} listed in this older export \
             (its newest invitation is from {}, the store's from {}): {they} withdrawn",
            end.get(..10).unwrap_or(end),
            newest.get(..10).unwrap_or(newest),
            s = if n == 1 { "" } else { "s" },
            are = if n == 1 { "is" } else { "are" },
            they = if n == 1 { "it stays" } else { "they stay" },
        ));
        self.came_back.clear();
        Ok(())
    }

    /// A sender with several pending requests (a repeated invitation) keeps the newest in the
    /// queue; the older ones are replaced by it.
    fn one_entry_per_person(&mut self) -> Result<()> {
        self.repeaters.sort_unstable();
        self.repeaters.dedup();
        let mut replaced = Vec::new();
        for person in &self.repeaters {
            replaced.extend(self.sink.keep_newest_pending(*person)?);
        }
        self.report.repeated = replaced.len() as u64;
        self.report.came_back = self.came_back.iter().filter(|id| !replaced.contains(id)).count() as u64;
        Ok(())
    }

    /// Requests of earlier imports that a newer whole export no longer lists. Only an import
    /// of Invitations.csv and Connections.csv together can tell, and only for requests sent
    /// within the days its Invitations.csv covers: an older or partial file says nothing of
    /// the rest. A pending one was withdrawn (or ignored) on LinkedIn; a declined one was
    /// ignored there, so its to-do item is done.
    fn withdraw_vanished(&mut self) -> Result<()> {
        let whole_export = self.read_invitations && self.read_connections;
        let Some((start, end)) = self.window.as_ref().filter(|_| whole_export && !self.sink.was_empty()) else {
            return Ok(());
        };
        self.seen.sort_unstable();
        let gone = |status: Status, to_do: bool| -> Result<Vec<(i64, String)>> {
            let rows = self.sink.linkedin_requests_sent_between(status, to_do, start, end)?;
            Ok(rows.into_iter().filter(|(id, _)| self.seen.binary_search(id).is_err()).collect())
        };
        let vanished = gone(Status::Pending, false)?;
        let ignored = gone(Status::Declined, true)?;
        for (id, name) in &vanished {
            self.sink.withdraw(*id)?;
            name_it(&mut self.report.who.vanished, *id, name);
        }
        for (id, name) in &ignored {
            self.sink.mark_ignored_on_linkedin(*id)?;
            name_it(&mut self.report.who.ignored_on_linkedin, *id, name);
        }
        // Declined ones older than anything this export holds: it cannot tell whether they
        // were ignored, only that LinkedIn no longer lists them.
        let older = self.sink.to_ignore_sent_before(start)?;
        for (id, name) in &older {
            self.sink.mark_not_listed(*id, end)?;
            name_it(&mut self.report.who.not_listed, *id, name);
        }
        self.report.not_listed = older.len() as u64;
        self.report.vanished = vanished.len() as u64;
        self.report.ignored_on_linkedin = ignored.len() as u64;
        Ok(())
    }
}

/// How a file's line numbers are counted: the preamble lines before its header, and whether
/// its lines end with a lone carriage return.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct LineCount {
    pub skipped: u64,
    pub cr_only: bool,
}

/// One step through a CSV file.
pub(crate) enum Step {
    /// A record was read; its line number.
    Row(u64),
    /// The CSV parser rejected a row (line, reason): reported and skipped.
    Bad(u64, String),
    End,
}

/// Reads the next record into `rec`. Line numbers are shifted by `skipped` preamble lines; an
/// I/O failure ends the import (`Err`).
pub(crate) fn next_row<R: Read>(
    rdr: &mut csv::Reader<R>,
    rec: &mut csv::ByteRecord,
    lines: LineCount,
) -> std::result::Result<Step, String> {
    let line = |p: Option<&csv::Position>| {
        let p = p.map_or((0, 0), |p| (p.line(), p.record()));
        // The CSV reader counts line feeds: a file with CR-only line ends (an old Mac
        // spreadsheet) is counted by records instead.
        lines.skipped + if lines.cr_only { p.1 + 1 } else { p.0 }
    };
    match rdr.read_byte_record(rec) {
        Ok(false) => Ok(Step::End),
        Ok(true) => Ok(Step::Row(line(rec.position()))),
        Err(e) => {
            if let csv::ErrorKind::Io(io) = e.kind()
                && let Some(long) = io.get_ref().and_then(|inner| inner.downcast_ref::<decode::RowTooLong>())
            {
                return Err(long.to_string()); // names its own line
            }
            let line = line(e.position());
            if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                return Err(format!("read failed at line {line} ({e})"));
            }
            Ok(Step::Bad(line, format!("unreadable row ({e})")))
        }
    }
}

/// Reads one field of a CSV byte record as text, within the size limit.
pub(crate) fn field<'r>(
    rec: &'r csv::ByteRecord,
    idx: Option<usize>,
    name: &str,
) -> std::result::Result<&'r str, String> {
    let Some(bytes) = idx.and_then(|i| rec.get(i)) else { return Ok("") };
    if bytes.len() > MAX_FIELD_BYTES {
        return Err(format!("field `{name}` is {} bytes, over the 64 KiB limit", bytes.len()));
    }
    std::str::from_utf8(bytes).map_err(|_| format!("field `{name}` is not valid UTF-8"))
}

/// The header's column positions, by name (case-insensitive, BOM and spaces ignored).
pub(crate) fn columns(headers: &csv::ByteRecord) -> HashMap<String, usize> {
    headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let name = String::from_utf8_lossy(h);
            (name.trim_start_matches('\u{feff}').trim().to_ascii_lowercase(), i)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_file_that_grows_while_it_is_read_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Invitations.csv");
        std::fs::write(&path, "From,To,Sent At,Message,Direction\n").unwrap();
        let file = File::open(&path).unwrap();
        let stamp = Stamp::of(&file, &path).unwrap();
        assert!(stamp.unchanged(&file, &path).is_ok());
        std::fs::OpenOptions::new().append(true).open(&path).unwrap().write_all(b"Ada,Me,x,,INCOMING\n").unwrap();
        let err = stamp.unchanged(&file, &path).unwrap_err().to_string();
        assert!(err.contains("it changed while it was read (34 bytes, now 53)"), "{err}");
    }

    #[test]
    fn kinds_are_detected_by_content() {
        let k = |s: &str| classify_text(&decode::head_text(s.as_bytes()));
        assert_eq!(k("From,To,Sent At,Message,Direction\n"), Some(Kind::Invitations));
        assert_eq!(
            k("\u{feff}From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\r\n"),
            Some(Kind::Invitations)
        );
        assert_eq!(k("Notes:\n\"When exporting…\"\n\nFirst Name,Last Name,URL\n"), Some(Kind::Connections));
        assert_eq!(k("First Name,Last Name,Email Address,Company,Position,Connected On\n"), Some(Kind::Connections));
        assert_eq!(k("name,profile_url,message\n"), Some(Kind::OwnCsv));
        assert_eq!(k("  [ {\"name\": \"x\"} ]"), Some(Kind::OwnJson));
        assert_eq!(k("# mine\n[[request]]\nname = \"x\"\n"), Some(Kind::OwnToml));
        assert_eq!(k("name,favourite_colour\n"), None);
        assert_eq!(k("\u{0}\u{1}binary"), None);
    }
}
