//! The `vetted` binary: parse the command line, load the config, dispatch.

use clap::FromArgMatches;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use vetted::checklist::Checklist;
use vetted::cli::{Cli, Command, ConfigAction};
use vetted::config::{self, Config};
use vetted::error::{Error, Result};
use vetted::store::{Store, StoreError};
use vetted::tui::{Keymap, Theme};
use vetted::{batch, commands, demo, doctor, forget};

fn main() -> ExitCode {
    let cli = match vetted::cli::command().try_get_matches().and_then(|m| Cli::from_arg_matches(&m)) {
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
            let _ = write!(std::io::stderr(), "{}", vetted::text::block(&e.render().to_string()));
            return ExitCode::from(e.exit_code() as u8);
        }
    };
    vetted::paint::set(vetted::paint::decide(cli.color, std::io::stdout().is_terminal(), |k| std::env::var(k).ok()));
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = run(cli, &mut out).and_then(|()| out.flush().map_err(|e| Error::io("cannot write the output", e)));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // `vetted list | head` closing the pipe early is not an error.
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            // Messages quote file names and data: shown through the one gate for untrusted text.
            // Written without panicking: after a hang-up the terminal takes no more output.
            let _ = writeln!(
                std::io::stderr(),
                "{} {}",
                vetted::paint::warning("vetted:"),
                vetted::text::block(&e.to_string())
            );
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

fn run(cli: Cli, out: &mut dyn Write) -> Result<()> {
    match &cli.command {
        Some(Command::Completions { shell }) => {
            // The checklist keys `--check` / `--flag` complete: the user's checklist when it
            // loads, else the built-in one (a broken config must not stop completions).
            let checklist = config::config_path(cli.config.as_deref())
                .ok()
                .and_then(|file| {
                    let config = Config::load(&file).ok()?;
                    let paths = config::resolve_paths(file, &config, cli.db.as_deref()).ok()?;
                    Checklist::load(&paths.checklist).ok()
                })
                .unwrap_or_else(Checklist::builtin);
            // Into a buffer first: clap_complete panics on a write error (a closed pipe).
            let mut script = Vec::new();
            let mut cmd = vetted::cli::command_for_completions(&checklist);
            clap_complete::generate(*shell, &mut cmd, "vetted", &mut script);
            return out.write_all(&script).map_err(|e| Error::io("cannot write the output", e));
        }
        Some(Command::Man(args)) => return commands::man(args, out),
        _ => {}
    }
    let config_file = config::config_path(cli.config.as_deref())?;
    let config = Config::load(&config_file)?;
    let paths = config::resolve_paths(config_file, &config, cli.db.as_deref())?;
    let read_only = cli.read_only;
    let no_pager = cli.no_pager;
    // What opening the store did that the user should hear of, said before anything else.
    let say = |mut store: Store| {
        for said in store.take_said() {
            eprintln!("vetted: {said}");
        }
        store
    };
    // Reading needs no free space: on a full disk a reading command reads without writing.
    let open = || -> Result<Store> {
        if read_only {
            return Ok(Store::open_read_only(&paths.database)?);
        }
        match Store::open(&paths.database) {
            Err(full @ StoreError::Full { .. }) => {
                let current =
                    |s: &Store| s.schema_version().is_ok_and(|v| v == vetted::store::schema::latest_version());
                let store = Store::open_read_only(&paths.database).ok().filter(current).ok_or(full)?;
                eprintln!(
                    "vetted: {}: the disk is full; reading without writing (free some space before recording anything)",
                    vetted::text::line(&paths.database.display().to_string())
                );
                Ok(store)
            }
            other => Ok(say(other?)),
        }
    };
    let writable = || {
        if read_only {
            Err(Error::Usage("--read-only: this command writes to the store".into()))
        } else {
            Store::open(&paths.database).map(say).map_err(Error::from)
        }
    };
    match cli.command.unwrap_or(Command::Review) {
        Command::Completions { .. } | Command::Man(_) => unreachable!("handled above"),
        Command::Config { action: ConfigAction::Path(args) } => commands::config_path(&paths, args.json, out),
        Command::Config { action: ConfigAction::Init } => commands::config_init(&paths, out),
        // The keymap, theme and checklist are checked before the store and the terminal.
        Command::Review => {
            let (keymap, theme) = (
                Keymap::from_config(&config, &paths.config)?,
                Theme::from_config(&config, &paths.config, Theme::no_color_env())?,
            );
            let checklist = Checklist::load(&paths.checklist)?;
            need_a_terminal()?;
            commands::review(writable()?, &checklist, keymap, theme, config.mouse.unwrap_or(true))
        }
        Command::Demo => {
            let (keymap, theme) = (
                Keymap::from_config(&config, &paths.config)?,
                Theme::from_config(&config, &paths.config, Theme::no_color_env())?,
            );
            let checklist = Checklist::load(&paths.checklist)?;
            need_a_terminal()?;
            let (_dir, store) = demo::open_with(&checklist)?; // the folder is removed when `_dir` drops
            commands::review(store, &checklist, keymap, theme, config.mouse.unwrap_or(true))
        }
        // A dry run creates nothing: without a store yet, it imports into one in memory.
        Command::Import(args) if args.dry_run && !read_only && !paths.database.exists() => {
            let checklist = Checklist::load(&paths.checklist)?;
            commands::import(&mut Store::in_memory()?, &checklist, &args, std::io::stderr().is_terminal(), out)
        }
        Command::Import(args) => {
            let checklist = Checklist::load(&paths.checklist)?;
            commands::import(&mut writable()?, &checklist, &args, std::io::stderr().is_terminal(), out)
        }
        Command::Add(args) => commands::add(&mut writable()?, &args, out),
        Command::List(args) if read_only && args.query.is_none() => {
            let store = open()?;
            paged(no_pager, out, |out| doctor::list_read_only(&store, &args, out))
        }
        Command::List(args) => {
            let (store, checklist) = (open()?, Checklist::load(&paths.checklist)?);
            paged(no_pager, out, |out| commands::list(&store, &checklist, &args, out))
        }
        Command::Decide(args) => {
            let checklist = Checklist::load(&paths.checklist)?;
            // A dry run only reads.
            let mut store = if args.dry_run { open()? } else { writable()? };
            let stdin = std::io::stdin();
            commands::decide(&mut store, &checklist, &args, stdin.is_terminal(), &mut stdin.lock(), out)
        }
        Command::Undo(args) => batch::undo(&mut writable()?, &args, out),
        // The salvaging reader has no filters; with filters, the ordinary (read-only) log.
        Command::Log(args) if read_only && doctor::unfiltered(&args) && args.query.is_none() => {
            let store = open()?;
            paged(no_pager, out, |out| doctor::log_read_only(&store, &args, out))
        }
        Command::Log(args) => {
            let (store, checklist) = (open()?, Checklist::load(&paths.checklist)?);
            paged(no_pager, out, |out| commands::log(&store, &checklist, &args, out))
        }
        Command::Declined(args) => commands::declined(&open()?, args.json, out),
        Command::Export(args) if read_only => {
            doctor::export_read_only(&open()?, &args, std::io::stdout().is_terminal(), out)
        }
        Command::Export(args) => commands::export(&open()?, &args, std::io::stdout().is_terminal(), out),
        Command::Todo(args) if !args.done.is_empty() || args.all_shown => {
            commands::todo_done(&mut writable()?, &args, out)
        }
        Command::Todo(args) => commands::todo(&open()?, &args, out),
        Command::Stats(args) => commands::stats(&open()?, args.json, out),
        Command::Doctor(args) => doctor::doctor(&paths.database, args.json, out),
        Command::Backup { file, json } => doctor::backup(&open()?, &file, json, out),
        Command::Forget(args) => forget::forget(&mut writable()?, &args, std::io::stdin().is_terminal(), out),
    }
}

/// Runs `write` with its output through the pager when standard output is a terminal (unless
/// `--no-pager`, an empty `PAGER` or `PAGER=cat`); directly when the pager cannot start. The
/// pager is waited for before anything else is said.
fn paged(no_pager: bool, out: &mut dyn Write, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    let chosen = vetted::pager::choose(std::io::stdout().is_terminal(), no_pager, |k| std::env::var(k).ok());
    let Some(mut pager) = chosen.as_deref().and_then(vetted::pager::Pager::start) else {
        return write(out);
    };
    out.flush().map_err(|e| Error::io("cannot write the output", e))?;
    let mut buffered = std::io::BufWriter::new(&mut pager);
    let result = write(&mut buffered);
    let flushed = buffered.flush();
    drop(buffered);
    drop(pager); // waits for the reader to quit it
    result.and_then(|()| flushed.map_err(|e| Error::io("cannot write the output", e)))
}

/// The review app draws on a terminal and reads keys from one (checked after the config, whose
/// mistakes are said first).
fn need_a_terminal() -> Result<()> {
    if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() {
        return Ok(());
    }
    Err(Error::Usage(
        "the review app needs a terminal (standard input and output); without one, `vetted list`, \
         `vetted decide` and `vetted log` do the same work"
            .into(),
    ))
}
