//! Minimal wiring of the review session until the CLI (cli.rs) lands: `vetted [--db PATH]
//! [--config PATH] [review]`. The CLI replaces this with its own dispatch to
//! `vetted::tui::launch`.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let mut db = std::env::var_os("VETTED_DB").filter(|v| !v.is_empty()).map(PathBuf::from);
    let mut config = None;
    while let Some(arg) = args.next() {
        match arg.to_str() {
            Some("--db") => db = args.next().map(PathBuf::from),
            Some("--config") => config = args.next().map(PathBuf::from),
            Some("review") => {}
            _ => {
                eprintln!("usage: vetted [--db PATH] [--config PATH] [review]");
                return ExitCode::from(2);
            }
        }
    }
    match vetted::tui::launch(db.as_deref(), config.as_deref()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("vetted: {e}");
            ExitCode::FAILURE
        }
    }
}
