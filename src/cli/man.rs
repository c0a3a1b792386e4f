//! `vetted man`: the man pages (roff), one per subcommand, generated from the clap definitions.

use super::output::out_err;
use crate::error::{Error, Result};
use crate::text;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ManArgs {
    /// One subcommand's page (`vetted man decide`, `vetted man config path`) instead of the main one
    pub subcommand: Vec<String>,
    /// Write vetted.1 and a vetted-SUBCOMMAND.1 for each subcommand into this folder
    #[arg(long, value_name = "DIR", conflicts_with = "subcommand")]
    pub out_dir: Option<PathBuf>,
}

/// `vetted man`: the main page, one subcommand's, or every page into a folder.
pub fn man(args: &ManArgs, out: &mut dyn Write) -> Result<()> {
    // No pages for clap's `help` subcommands: `vetted help` is `--help`, not a command of its own.
    let mut cmd = super::command().disable_help_subcommand(true);
    cmd.build();
    let version = cmd.get_version().unwrap_or_default().to_string();
    let pages = man_pages(&cmd, &[], &version);
    if let Some(dir) = &args.out_dir {
        let shown = text::line(&dir.display().to_string()).into_owned();
        std::fs::create_dir_all(dir).map_err(|e| Error::io(format!("{shown}: cannot create"), e))?;
        for (name, roff) in &pages {
            std::fs::write(dir.join(format!("{name}.1")), roff)
                .map_err(|e| Error::io(format!("{shown}: cannot write"), e))?;
        }
        return writeln!(out, "wrote {} man pages into {shown} (vetted.1, vetted-SUBCOMMAND.1)", pages.len())
            .map_err(out_err);
    }
    let wanted =
        std::iter::once("vetted").chain(args.subcommand.iter().map(|w| w.trim())).collect::<Vec<_>>().join("-");
    let Some((_, roff)) = pages.iter().find(|(n, _)| *n == wanted) else {
        let names: Vec<&str> = cmd.get_subcommands().map(|c| c.get_name()).collect();
        let name = args.subcommand.join(" ");
        return Err(Error::Usage(format!("no subcommand {:?}: one of {}", text::line(&name), names.join(", "))));
    };
    out.write_all(roff).map_err(out_err)
}

/// Every man page: `vetted` and one per subcommand (`vetted-config-path` for a nested one),
/// each named and versioned, with ENVIRONMENT, FILES, EXIT STATUS and EXAMPLES sections.
fn man_pages(cmd: &clap::Command, parents: &[&str], version: &str) -> Vec<(String, Vec<u8>)> {
    let mut path: Vec<&str> = parents.to_vec();
    path.push(cmd.get_name());
    let name = path.join("-");
    let page = cmd.clone().name(name.clone()).display_name(name.clone()).version(version.to_string());
    let man = clap_mangen::Man::new(page.clone()).source(format!("vetted {version}")).manual("vetted manual");
    let mut roff = Vec::new();
    let rendered = (|| -> std::io::Result<()> {
        man.render_title(&mut roff)?;
        man.render_name_section(&mut roff)?;
        man.render_synopsis_section(&mut roff)?;
        man.render_description_section(&mut roff)?;
        man.render_options_section(&mut roff)?;
        if page.has_subcommands() {
            man.render_subcommands_section(&mut roff)?;
        }
        if page.get_after_help().is_some() || page.get_after_long_help().is_some() {
            man.render_extra_section(&mut roff)?;
        }
        roff.extend_from_slice(MAN_SECTIONS.as_bytes());
        let examples = man_examples(&name);
        if !examples.is_empty() {
            roff.extend_from_slice(b".SH EXAMPLES\n");
            for (what, line) in examples {
                roff.extend_from_slice(format!(".PP\n{what}:\n.PP\n.RS 4\n.nf\n{line}\n.fi\n.RE\n").as_bytes());
            }
        }
        man.render_version_section(&mut roff)
    })();
    rendered.expect("rendering into memory does not fail");
    let mut pages = vec![(name, roff)];
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        pages.extend(man_pages(sub, &path, version));
    }
    pages
}

/// ENVIRONMENT, FILES and EXIT STATUS, the same on every page (as the README says them).
const MAN_SECTIONS: &str = r#".SH ENVIRONMENT
.TP
\fBVETTED_DB\fR
The database file, as \fB\-\-db\fR gives it.
.TP
\fBVETTED_CONFIG\fR
The config file, as \fB\-\-config\fR gives it.
.TP
\fBXDG_DATA_HOME\fR, \fBXDG_CONFIG_HOME\fR
Where the store and the config live by default (see FILES).
.TP
\fBTZ\fR
The zone times are shown in and local days are counted in (else the system's); JSON stays UTC.
.TP
\fBNO_COLOR\fR, \fBCLICOLOR\fR=0, \fBTERM\fR=dumb
No colour, in the command line's output and in the review app.
.TP
\fBCLICOLOR_FORCE\fR
colours the command line's output even into a pipe.
.TP
\fBPAGER\fR, \fBLESS\fR
\fBlist\fR and \fBlog\fR on a terminal go through \fBPAGER\fR (default \fBless\fR, with \fBLESS\fR=FRX when \fBLESS\fR is unset); an empty \fBPAGER\fR or \fBcat\fR, or \fB\-\-no\-pager\fR, prints directly.
.TP
\fBVISUAL\fR, \fBEDITOR\fR
The editor \fBE\fR opens for a person's notes in the review app (default \fBvi\fR).
.TP
\fBBROWSER\fR
What \fBo\fR opens a profile with in the review app (else the system's opener).
.SH FILES
.TP
\fI$XDG_DATA_HOME/vetted/vetted.db\fR (\fI~/.local/share/vetted/vetted.db\fR)
The store: one SQLite file, with \fI\-wal\fR and \fI\-shm\fR beside it while in use; private (0600, folder 0700).
.TP
\fI$XDG_CONFIG_HOME/vetted/config.toml\fR (\fI~/.config/vetted/config.toml\fR)
The config (\fBvetted config init\fR writes a commented example; \fBvetted config path\fR prints the paths in use).
.TP
\fIchecklist.toml\fR beside the config
A checklist of your own, replacing the built\-in one (or \fBchecklist =\fR in the config).
.SH "EXIT STATUS"
.TP
\fB0\fR
Success.
.TP
\fB1\fR
Failure, including "not found" and a problem \fBdoctor\fR found.
.TP
\fB2\fR
Usage error: a bad option or value, a decline without a reason, a question that needs \fB\-\-yes\fR.
.TP
\fB128\fR + \fIN\fR
Signal \fIN\fR ended the review app (129 for SIGHUP, 130 for SIGINT, 143 for SIGTERM); 129 too
when its terminal went away (a closed window, a lost SSH connection); a command writing a file
ends so too, its temporary file removed.
"#;

/// A page's examples (what it does, the command line), from docs/commands.md.
fn man_examples(page: &str) -> Vec<(&'static str, &'static str)> {
    match page {
        "vetted" => vec![
            (
                "Import a LinkedIn export, then review in the app",
                "vetted import Basic_LinkedInDataExport_12\\-01\\-2026.zip\nvetted",
            ),
            ("Try the app on fictional sample data", "vetted demo"),
            (
                "Decide from the command line, and take it back",
                "vetted decide 12 \\-\\-decline \\-\\-reason \"selling; no personal note\"\nvetted log\nvetted undo 812",
            ),
            ("Install the man pages", "vetted man \\-\\-out\\-dir ~/.local/share/man/man1"),
        ],
        "vetted-list" => vec![
            ("Pending requests, oldest first", "vetted list"),
            ("Pending requests a query selects", "vetted list \\-\\-where 'hint:no\\-message age:>180d'"),
        ],
        "vetted-decide" => vec![
            (
                "Decline with a reason and a red flag",
                "vetted decide 12 \\-\\-decline \\-\\-reason \"selling\" \\-\\-flag selling",
            ),
            ("Decide later, on a given day", "vetted decide 9 \\-\\-defer \\-\\-until 2026\\-12\\-15"),
            (
                "A batch: see who first, then decide",
                "vetted decide \\-\\-where 'hint:template age:>30d' \\-\\-decline \\-\\-reason \"template spam\" \\-\\-dry\\-run",
            ),
        ],
        "vetted-undo" => vec![
            ("Take back decision 812 (the ID column of vetted log)", "vetted undo 812"),
            ("Take back a whole batch", "vetted undo \\-\\-batch 3"),
        ],
        "vetted-log" => vec![(
            "Declines of the first half of 2026 that mention recruiters",
            "vetted log \\-\\-decision declined \\-\\-since 2026\\-01\\-01 \\-\\-until 2026\\-06\\-30 \\-\\-grep recruiter",
        )],
        "vetted-backup" => vec![
            ("A snapshot, while vetted runs", "vetted backup ~/vetted\\-copy.db"),
            ("Look at a snapshot without changing it", "vetted \\-\\-read\\-only \\-\\-db ~/vetted\\-copy.db log"),
        ],
        "vetted-export" => vec![
            ("The log for a spreadsheet", "vetted export \\-\\-format csv \\-o decisions.csv"),
            (
                "A complete backup, and its restore into a new store",
                "vetted export \\-\\-format json \\-o backup.json\nvetted \\-\\-db restored.db import backup.json",
            ),
        ],
        _ => Vec::new(),
    }
}
