//! Command-line definitions (clap derive). Behaviour lives in `commands`.

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

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
pub fn command_for_completions(checklist: &crate::checklist::Checklist) -> clap::Command {
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
    Import(ImportArgs),
    /// Add a request by hand (met someone at an event, a request from another network)
    Add(AddArgs),
    /// List requests, oldest first
    List(ListArgs),
    /// Record a decision without the app: on one request, or on every one a query selects
    Decide(DecideArgs),
    /// Take back a decision, or a whole batch (`vetted log` shows their ids)
    Undo(UndoArgs),
    /// The decision history, newest first, with filters
    Log(LogArgs),
    /// Everyone whose latest decision is a decline: when, why, the checklist then, your notes
    Declined(JsonArg),
    /// Write the whole log (checklist answers and notes included); JSON is a complete backup
    Export(ExportArgs),
    /// Decisions still to carry out on LinkedIn (accept or ignore there), and marking them done
    Todo(TodoArgs),
    /// Counts, accept rate by month, top decline reasons, checklist answers, this week
    Stats(JsonArg),
    /// Show or create the config file
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// Print shell completions
    Completions {
        /// bash, zsh, fish, elvish or powershell
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `vetted man | man -l -`; `--out-dir` writes one per subcommand
    Man(ManArgs),
    /// Check the store: integrity, file permissions, schema version, free space (exit 1 on a problem)
    Doctor(JsonArg),
    /// Copy the store to FILE (a consistent snapshot, safe while vetted runs); never overwrites
    Backup {
        /// The new file (created private, 0600)
        file: PathBuf,
        /// JSON for scripts: the file and its size
        #[arg(long)]
        json: bool,
    },
    /// Remove everything about a person and scrub it from the database file (cannot be undone)
    Forget(ForgetArgs),
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// One subcommand's page (`vetted man decide`, `vetted man config path`) instead of the main one
    pub subcommand: Vec<String>,
    /// Write vetted.1 and a vetted-SUBCOMMAND.1 for each subcommand into this folder
    #[arg(long, value_name = "DIR", conflicts_with = "subcommand")]
    pub out_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ForgetArgs {
    /// A request id from `vetted list`, or their profile URL
    pub person: String,
    /// Do not ask for confirmation
    #[arg(long)]
    pub yes: bool,
    /// JSON for scripts: what was removed, person by person
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Export zip, unzipped export folder, Invitations.csv, Connections.csv, or a vetted .toml/.json/.csv;
    /// `-` reads standard input
    pub path: PathBuf,
    /// Report what would happen, change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Print the report as one JSON object
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Their name, as they write it
    #[arg(long)]
    pub name: String,
    /// Profile URL (https://www.linkedin.com/in/…); one already in the store is refused
    #[arg(long)]
    pub url: Option<String>,
    /// What their profile says they do ("Compiler engineer at Example")
    #[arg(long)]
    pub headline: Option<String>,
    /// What they wrote when asking
    #[arg(long)]
    pub message: Option<String>,
    /// When they asked: YYYY-MM-DD, RFC 3339, or LinkedIn's "8/26/22, 8:56 PM" [default: now]
    #[arg(long, value_name = "DATE")]
    pub sent_at: Option<String>,
    /// Your profile notes about them
    #[arg(long)]
    pub note: Option<String>,
    /// JSON for scripts: the request added, as `vetted list --json` shows it
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFilter {
    Pending,
    Accepted,
    Declined,
    Deferred,
    Connected,
    Withdrawn,
    /// Older invitations of someone who sent a newer one
    Replaced,
    All,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Which requests: by status, or all of them
    #[arg(long, value_enum, default_value = "pending")]
    pub status: StatusFilter,
    /// Only the pending requests this query selects ('hint:template age:>30d'; see docs/screens.md)
    #[arg(long = "where", value_name = "QUERY")]
    pub query: Option<String>,
    /// A JSON array for scripts
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("verdict").required(true).args(["accept", "decline", "defer"])))]
pub struct DecideArgs {
    /// Request id, as `vetted list` shows it
    #[arg(required_unless_present = "query", conflicts_with = "query")]
    pub id: Option<i64>,
    /// Every pending request this query selects, one batch ('hint:template age:>30d'; see docs/screens.md)
    #[arg(long = "where", value_name = "QUERY")]
    pub query: Option<String>,
    /// With --where: list who would be decided, change nothing
    #[arg(long, requires = "query")]
    pub dry_run: bool,
    /// With --where: do not ask before deciding more than 50 requests
    #[arg(long, requires = "query")]
    pub yes: bool,
    /// JSON for scripts (the decision recorded; with --where, the batch)
    #[arg(long)]
    pub json: bool,
    /// Accept: carry it out on LinkedIn afterwards (see `vetted todo`)
    #[arg(long)]
    pub accept: bool,
    /// Needs --reason: the log is where you later learn why
    #[arg(long)]
    pub decline: bool,
    /// Decide later: back in the queue at the next session, or on --until
    #[arg(long)]
    pub defer: bool,
    /// Why: kept in the log with the checklist as it is now (required with --decline)
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// With --defer: when it comes back to the queue (YYYY-MM-DD) [default: the next session]
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// A checklist signal that applies (repeatable; the keys are listed below)
    #[arg(long = "check", value_name = "KEY")]
    pub checks: Vec<String>,
    /// A red flag that applies (repeatable; the keys are listed below)
    #[arg(long = "flag", value_name = "KEY")]
    pub flags: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DecisionFilter {
    Accepted,
    Declined,
    Deferred,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// Only this kind of decision
    #[arg(long, value_enum)]
    pub decision: Option<DecisionFilter>,
    /// Decisions on or after this date (YYYY-MM-DD or RFC 3339)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Decisions before the end of this day (YYYY-MM-DD) or this instant (RFC 3339)
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Text in the name, headline, message, reason or notes
    #[arg(long, value_name = "TEXT")]
    pub grep: Option<String>,
    /// One person: a request id from `vetted list`, or a profile URL
    #[arg(long, value_name = "ID|URL")]
    pub person: Option<String>,
    /// Only the decisions this query selects ('is:declined reason:spam hint:template'; see docs/screens.md)
    #[arg(long = "where", value_name = "QUERY")]
    pub query: Option<String>,
    /// A JSON array for scripts
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["decision", "batch"])))]
pub struct UndoArgs {
    /// A decision id, as `vetted log` shows it (its ID column)
    pub decision: Option<i64>,
    /// Every decision of this batch, in one transaction (`vetted log` shows "batch N")
    #[arg(long, value_name = "ID")]
    pub batch: Option<i64>,
    /// JSON for scripts: what was taken back
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TodoArgs {
    /// Mark these requests (ids from the list) as done on LinkedIn, all or none
    #[arg(long, value_name = "ID", num_args = 1.., conflicts_with = "all_shown")]
    pub done: Vec<i64>,
    /// Mark everything the list shows now as done on LinkedIn
    #[arg(long)]
    pub all_shown: bool,
    /// Only the accepts: ignoring on LinkedIn is optional (the sender is never told)
    #[arg(long)]
    pub accepts_only: bool,
    /// JSON for scripts
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct JsonArg {
    /// JSON for scripts
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// csv or md (the log, for reading or a spreadsheet), json (a complete backup)
    #[arg(long, value_enum)]
    pub format: crate::export::Format,
    /// Write to this new file (created private, 0600) instead of standard output (`-`)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Print the config, database and checklist paths in use
    Path(JsonArg),
    /// Write a commented example config (never overwrites)
    Init,
}
