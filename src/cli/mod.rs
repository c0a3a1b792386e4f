//! The command line: the clap root, the store-opening policy, and the dispatch to one file per
//! subcommand, each holding its arguments and its `run` (atuin's `command/client/*.rs` layout).
//! `output` is how every subcommand writes (the listing, JSON, cells, the pager, the exit code);
//! `input` reads what the user types (a person, dates, a `--where` query).
//!
//! Rule: a new subcommand is a new file here plus its variant in [`Command`] and its arm in
//! [`dispatch`]; nothing below this folder prints.

pub mod add;
pub mod backup;
pub mod completions;
pub mod config;
pub mod decide;
pub mod declined;
pub mod doctor;
pub mod export;
pub mod forget;
pub mod import;
pub mod input;
pub mod list;
pub mod log;
pub mod man;
pub mod output;
pub mod pager;
pub mod review;
pub mod stats;
pub mod sync;
pub mod todo;

use crate::checklist::Checklist;
use crate::config::{Config, Paths};
use crate::error::{Error, Result};
use crate::evidence::Phrases;
use crate::store::{Store, StoreError};
use crate::text;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub use crate::paint::ColorChoice;

/// The command line as `--help`, the man page and completions show it: the derive below, with
/// the built-in checklist's keys listed under `decide --check` and `--flag`.
pub fn command() -> clap::Command {
    use crate::checklist::{Checklist, Kind};
    let checklist = Checklist::builtin();
    let keys = |kind: Kind| {
        checklist
            .items
            .iter()
            .filter(|i| i.kind == kind)
            .map(|i| format!("  {:<22} {}", i.key, i.label))
            .collect::<Vec<_>>()
    };
    let listed = format!(
        "Checklist keys (the built-in checklist; one of your own has its own):\n--check:\n{}\n--flag:\n{}",
        keys(Kind::Signal).join("\n"),
        keys(Kind::RedFlag).join("\n")
    );
    Cli::command().mut_subcommand("decide", |c| c.after_help(listed))
}

/// The command line for `vetted completions`: `decide --check` and `--flag` complete the keys
/// of `checklist` (the user's, or the built-in one), not file names. Only the generated script
/// sees them as a fixed list: the parser keeps taking any key, and `decide` checks it against
/// the checklist in use.
pub fn command_for_completions(checklist: &Checklist) -> clap::Command {
    use crate::checklist::Kind;
    let values = |kind: Kind| {
        let keys: Vec<clap::builder::PossibleValue> = checklist
            .items
            .iter()
            .filter(|i| i.kind == kind)
            .map(|i| clap::builder::PossibleValue::new(i.key.clone()).help(i.label.clone()))
            .collect();
        clap::builder::PossibleValuesParser::new(keys)
    };
    command().mut_subcommand("decide", |c| {
        c.mut_arg("checks", |a| a.value_parser(values(Kind::Signal)))
            .mut_arg("flags", |a| a.value_parser(values(Kind::RedFlag)))
    })
}

#[derive(Debug, Parser)]
#[command(
    name = "vetted",
    version = env!("VETTED_VERSION"),
    about = "Review pending connection requests in the terminal: the guide's checklist beside what you \
             know, and a decision log you can search and revisit.",
    after_help = "Without a command, vetted opens the review app on your store.\n\
                  Everything stays on this machine: vetted never uses the network."
)]
pub struct Cli {
    /// The database file [default: vetted.db in the platform data directory]
    #[arg(long, global = true, env = "VETTED_DB", value_name = "PATH", help_heading = "Global options")]
    pub db: Option<PathBuf>,

    /// The config file [default: config.toml in the platform config directory]
    #[arg(long, global = true, env = "VETTED_CONFIG", value_name = "PATH", help_heading = "Global options")]
    pub config: Option<PathBuf>,

    /// Open the database read-only: list and log work on a damaged or read-only file; nothing is written
    #[arg(long, global = true, help_heading = "Global options")]
    pub read_only: bool,

    /// Colour in the human output: auto (on a terminal, unless NO_COLOR is set), always, never
    #[arg(
        long,
        global = true,
        value_enum,
        default_value = "auto",
        value_name = "WHEN",
        help_heading = "Global options"
    )]
    pub color: ColorChoice,

    /// Print `list` and `log` directly, not through $PAGER (used only on a terminal; default less)
    #[arg(long, global = true, help_heading = "Global options")]
    pub no_pager: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Review pending requests (the default)
    Review,
    /// The review app on built-in sample data, in a throwaway store (never yours)
    Demo,
    /// Import a LinkedIn export (zip, folder, Invitations.csv, Connections.csv) or a vetted file
    Import(import::ImportArgs),
    /// Add a request by hand (met someone at an event, a request from another network)
    Add(add::AddArgs),
    /// List requests, oldest first
    List(list::ListArgs),
    /// Record a decision without the app: on one request, or on every one a query selects
    Decide(decide::DecideArgs),
    /// Take back a decision, or a whole batch (`vetted log` shows their ids)
    Undo(decide::UndoArgs),
    /// The decision history, newest first, with filters
    Log(log::LogArgs),
    /// Everyone whose latest decision is a decline: when, why, the checklist then, your notes
    Declined(JsonArg),
    /// Write the whole log (checklist answers and notes included); JSON is a complete backup
    Export(export::ExportArgs),
    /// Decisions still to carry out on LinkedIn (accept or ignore there), and marking them done
    Todo(todo::TodoArgs),
    /// Counts, accept rate by month, top decline reasons, checklist answers, this week
    Stats(JsonArg),
    /// Show or create the config file
    Config(config::ConfigArgs),
    /// Print shell completions
    Completions(completions::CompletionsArgs),
    /// Print the man page (roff): `vetted man | man -l -`; `--out-dir` writes one per subcommand
    Man(man::ManArgs),
    /// Check the store: integrity, file permissions, schema version, free space (exit 1 on a problem)
    Doctor(JsonArg),
    /// Copy the store to FILE (a consistent snapshot, safe while vetted runs); never overwrites
    Backup(backup::BackupArgs),
    /// Remove everything about a person and scrub it from the database file (cannot be undone)
    Forget(forget::ForgetArgs),
    /// Share one decision log between machines through a folder you already sync (init, join, status)
    Sync(sync::SyncArgs),
}

#[derive(Debug, Args)]
pub struct JsonArg {
    /// JSON for scripts
    #[arg(long)]
    pub json: bool,
}

/// The binary: parse the command line, colour or not, run, and end with the exit code.
pub fn main() -> ExitCode {
    let cli = match command().try_get_matches().and_then(|m| Cli::from_arg_matches(&m)) {
        Ok(cli) => cli,
        // --help and --version: an output that cannot take them (`> /dev/full`) is a failure.
        Err(e) if !e.use_stderr() => {
            return match e.print().and_then(|()| std::io::stdout().flush()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(err) => {
                    let _ = writeln!(std::io::stderr(), "vetted: cannot write the output: {err}");
                    ExitCode::FAILURE
                }
            };
        }
        Err(e) => {
            // clap quotes the value it refused: through the text gate, as every message.
            let _ = write!(std::io::stderr(), "{}", crate::text::block(&e.render().to_string()));
            return ExitCode::from(e.exit_code() as u8);
        }
    };
    crate::paint::set(crate::paint::decide(cli.color, std::io::stdout().is_terminal(), |k| std::env::var(k).ok()));
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = run(cli, &mut out).and_then(|()| out.flush().map_err(output::out_err));
    output::exit(result)
}

/// Runs the command line given: completions and man pages need no config; every other
/// subcommand gets the [`Setup`].
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<()> {
    let command = cli.command.unwrap_or(Command::Review);
    match command {
        Command::Completions(args) => completions::run(cli.config.as_deref(), cli.db.as_deref(), &args, out),
        Command::Man(args) => man::man(&args, out),
        command => {
            let setup = Setup::load(cli.config.as_deref(), cli.db.as_deref(), cli.read_only, cli.no_pager)?;
            dispatch(&setup, command, out)
        }
    }
}

/// One arm per subcommand.
fn dispatch(setup: &Setup, command: Command, out: &mut dyn Write) -> Result<()> {
    match command {
        Command::Completions(_) | Command::Man(_) => unreachable!("run without a setup"),
        Command::Review => review::run(setup, review::On::Yours),
        Command::Demo => review::run(setup, review::On::Demo),
        Command::Import(args) => import::run(setup, args, out),
        Command::Add(args) => add::run(setup, args, out),
        Command::List(args) => list::run(setup, args, out),
        Command::Decide(args) => decide::run(setup, args, out),
        Command::Undo(args) => decide::run_undo(setup, args, out),
        Command::Log(args) => log::run(setup, args, out),
        Command::Declined(args) => declined::run(setup, args, out),
        Command::Export(args) => export::run(setup, args, out),
        Command::Todo(args) => todo::run(setup, args, out),
        Command::Stats(args) => stats::run(setup, args, out),
        Command::Config(args) => config::run(setup, args, out),
        Command::Doctor(args) => doctor::run(setup, args, out),
        Command::Backup(args) => backup::run(setup, args, out),
        Command::Forget(args) => forget::run(setup, args, out),
        Command::Sync(args) => sync::run(setup, args, out),
    }
}

/// What every store subcommand starts from: the config loaded, the paths resolved, and the
/// policy of opening the store (`--read-only`, a full disk, what opening did said first).
pub struct Setup {
    pub config: Config,
    pub paths: Paths,
    /// `--read-only`: nothing is written.
    pub read_only: bool,
    no_pager: bool,
}

impl Setup {
    pub fn load(config: Option<&Path>, db: Option<&Path>, read_only: bool, no_pager: bool) -> Result<Setup> {
        let file = crate::config::config_path(config)?;
        let config = Config::load(&file)?;
        let paths = crate::config::resolve_paths(file, &config, db)?;
        Ok(Setup { config, paths, read_only, no_pager })
    }

    /// The checklist in use (the user's file, else the built-in one).
    pub fn checklist(&self) -> Result<Checklist> {
        Ok(Checklist::load(&self.paths.checklist)?)
    }

    /// The evidence's phrase lists in use: the built-in ones with the user's `evidence.toml`.
    pub fn phrases(&self) -> Result<Phrases> {
        Ok(Phrases::load(&self.paths.evidence)?)
    }

    /// Evaluates the store's evidence again when the phrase lists changed since it was made
    /// (or it never was), with a progress bar on a terminal: for the commands that write. A phrase file that cannot be
    /// read, or a store that cannot be written now, is said and the stored evidence kept.
    fn weigh_evidence(&self, store: &mut Store) {
        let weighed = self.phrases().and_then(|phrases| {
            if !store.evidence_is_stale(&phrases)? {
                return Ok(());
            }
            let checklist = self.checklist()?;
            // A bar only where the wait can be seen (on a terminal, a big store).
            let terminal = std::io::stderr().is_terminal();
            let mut bar: Option<indicatif::ProgressBar> = None;
            let mut progress = |done: u64, total: u64| {
                if terminal && total >= 50_000 {
                    let bar = bar.get_or_insert_with(|| {
                        let bar = indicatif::ProgressBar::new(total);
                        bar.set_style(
                            indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({eta})")
                                .expect("a valid template")
                                .progress_chars("=> "),
                        );
                        bar.set_message("weighing the evidence (the phrase lists changed)");
                        bar
                    });
                    bar.set_position(done);
                }
            };
            store.reevaluate(&phrases, &checklist, &mut progress)?;
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
            Ok(())
        });
        if let Err(e) = weighed {
            eprintln!("vetted: {}; the evidence stays as it was", text::line(&e.to_string()));
        }
    }

    /// A reading command reads the evidence as stored (weighing it again is a write
    /// transaction of seconds on a big store, and would keep an open review app from saving):
    /// when the phrase lists changed since, it says so once, and which commands weigh it.
    fn say_if_stale(&self, store: &Store) {
        let stale = self.phrases().ok().and_then(|phrases| store.evidence_is_stale(&phrases).ok());
        if stale == Some(true) {
            eprintln!(
                "vetted: the evidence shown was weighed before the phrase lists changed; `vetted` (the review \
                 app), `vetted decide` or `vetted import` weighs it again"
            );
        }
    }

    /// The store to read. Reading needs no free space: on a full disk a reading command reads
    /// without writing.
    pub fn open(&self) -> Result<Store> {
        if self.read_only {
            return Ok(Store::open_read_only(&self.paths.database)?);
        }
        match Store::open(&self.paths.database) {
            Err(full @ StoreError::Full { .. }) => {
                let current = |s: &Store| s.schema_version().is_ok_and(|v| v == crate::store::schema::latest_version());
                let store = Store::open_read_only(&self.paths.database).ok().filter(current).ok_or(full)?;
                eprintln!(
                    "vetted: {}: the disk is full; reading without writing (free some space before recording anything)",
                    crate::text::line(&self.paths.database.display().to_string())
                );
                Ok(store)
            }
            other => {
                let store = said(other?);
                self.say_if_stale(&store);
                Ok(store)
            }
        }
    }

    /// The store to write; refused with `--read-only`.
    pub fn writable(&self) -> Result<Store> {
        if self.read_only {
            return Err(Error::Usage("--read-only: this command writes to the store".into()));
        }
        let mut store = self.writable_as_is()?;
        self.weigh_evidence(&mut store);
        Ok(store)
    }

    /// The store to write, its evidence as it is (an import weighs it itself).
    pub fn writable_as_is(&self) -> Result<Store> {
        if self.read_only {
            return Err(Error::Usage("--read-only: this command writes to the store".into()));
        }
        Store::open(&self.paths.database).map(said).map_err(Error::from)
    }

    /// `write` through the pager on a terminal, unless `--no-pager` (see [`output::paged`]).
    pub fn paged(&self, out: &mut dyn Write, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
        output::paged(self.no_pager, out, write)
    }
}

/// What opening the store did that the user should hear of, said before anything else.
fn said(mut store: Store) -> Store {
    for said in store.take_said() {
        eprintln!("vetted: {said}");
    }
    store
}
