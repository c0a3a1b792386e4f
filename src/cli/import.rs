//! `vetted import`: a LinkedIn export or a vetted file into the store, and the report said
//! back (or as JSON).

use super::Setup;
use super::output::{json_safe, out_err};
use crate::checklist::Checklist;
use crate::error::{Error, Result};
use crate::evidence::Phrases;
use crate::import::{self, Report};
use crate::store::Store;
use crate::text;
use clap::Args;
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

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

pub fn run(setup: &Setup, args: ImportArgs, out: &mut dyn Write) -> Result<()> {
    let checklist = setup.checklist()?;
    let phrases = setup.phrases()?;
    let progress = std::io::stderr().is_terminal();
    // A dry run creates nothing: without a store yet, it imports into one in memory.
    if args.dry_run && !setup.read_only && !setup.paths.database.exists() {
        return import(&mut Store::in_memory()?, (&checklist, &phrases), &args, progress, out);
    }
    import(&mut setup.writable_as_is()?, (&checklist, &phrases), &args, progress, out)
}

/// The progress bar on standard error while a large file is read (8 MiB or more: a smaller
/// one is read before a bar would be seen), or the evidence of many requests is weighed.
#[derive(Default)]
struct ProgressBar(std::sync::Mutex<Option<indicatif::ProgressBar>>);

impl import::Progress for ProgressBar {
    fn begin(&self, work: import::Work<'_>, total: u64) {
        let (large, counts, what) = match work {
            import::Work::Reading(file) => {
                (8 * 1024 * 1024, "{bytes}/{total_bytes}", format!("importing {}", text::line(file)))
            }
            import::Work::Weighing => (100_000, "{pos}/{len}", "weighing the evidence".to_string()),
        };
        let bar = (total >= large).then(|| {
            let bar = indicatif::ProgressBar::new(total);
            bar.set_style(
                indicatif::ProgressStyle::with_template(&format!("{{msg}} [{{bar:30}}] {counts} ({{eta}})"))
                    .expect("a valid template")
                    .progress_chars("=> "),
            );
            bar.set_message(what);
            bar
        });
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = bar;
    }

    fn at(&self, done: u64) {
        if let Some(bar) = &*self.0.lock().unwrap_or_else(|e| e.into_inner()) {
            bar.set_position(done);
        }
    }

    fn end(&self) {
        if let Some(bar) = self.0.lock().unwrap_or_else(|e| e.into_inner()).take() {
            bar.finish_and_clear();
        }
    }
}

/// `checklist` ranks the checklist answers a backup restores and the evidence `phrases` make.
pub fn import(
    store: &mut Store,
    (checklist, phrases): (&Checklist, &Phrases),
    args: &ImportArgs,
    progress: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let bar = ProgressBar::default();
    let opts = import::Options { dry_run: args.dry_run, progress: progress.then_some(&bar as &dyn import::Progress) };
    let report = if args.path.as_os_str() == "-" {
        // Standard input is read once, into a private temporary file (a zip needs to seek),
        // never more than the size limit.
        let mut tmp = tempfile::NamedTempFile::new().map_err(|e| Error::io("cannot create a temporary file", e))?;
        let limit = import::max_file_bytes();
        let read = std::io::copy(&mut std::io::stdin().lock().take(limit + 1), tmp.as_file_mut())
            .map_err(|e| Error::io("standard input: cannot read", e))?;
        if read > limit {
            return Err(import::too_large_input(read).into());
        }
        let mut report = import::import_with_phrases(store, tmp.path(), opts, checklist, Some(phrases))
            .map_err(|e| stdin_named(e, tmp.path()))?;
        report.path = "-".into();
        report
    } else {
        import::import_with_phrases(store, &args.path, opts, checklist, Some(phrases))?
    };
    if args.json {
        writeln!(out, "{}", json_safe(&report)).map_err(out_err)
    } else {
        print_report(&report, out).map_err(out_err)
    }
}

/// An import error about the temporary copy of standard input, told as about standard input.
fn stdin_named(e: import::ImportError, tmp: &std::path::Path) -> Error {
    Error::Failed(e.to_string().replace(&tmp.display().to_string(), "standard input"))
}

fn print_report(r: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "{} {} ({})", if r.dry_run { "Would import" } else { "Imported" }, text::line(&r.path), r.kind)?;
    print_counts(r, out)?;
    print_kept_and_invalid(r, out)?;
    print_next(r, out)
}

/// One line a count the import made (none for a zero), with the people it names.
fn print_counts(r: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let none: &[import::Named] = &[];
    // Invitations and people apart: a repeated sender's older invitation is new too, but
    // only their newest is in the queue.
    let new = if r.new == r.new_people {
        "new request{s}".to_string()
    } else {
        format!("new invitations from {} (one queue entry each)", plural(r.new_people, "{n} {people}"))
    };
    let lines: [(u64, &str, &[import::Named]); 17] = [
        (r.new, &new, none),
        (
            r.asked_again,
            "asked again (declined before: the earlier decline is shown when you review)",
            &r.who.asked_again,
        ),
        (r.enriched, "enriched with new details", none),
        (r.unchanged, "unchanged (already in the store)", none),
        (r.came_back, "listed again after they had vanished (pending again)", none),
        (
            r.repeated,
            "older invitation{s} replaced by a newer invitation from the same person (`vetted list --status replaced`)",
            none,
        ),
        (r.skipped_outgoing, "outgoing invitation{s} skipped", none),
        (r.already_connected, "already connected (not pending)", none),
        (r.matched_by_name, "of them found among your connections by name (no usable profile URL)", none),
        (r.connections_read, "connection{s} read", none),
        (r.blank_connections, "connection row{s} empty but for the date (closed or hidden accounts), skipped", none),
        (
            r.became_connections,
            "became connections since you imported them (accepted on LinkedIn)",
            &r.who.became_connections,
        ),
        (
            r.accepted_connected,
            "accepted here and now connections: accepted on LinkedIn, to-do done",
            &r.who.accepted_connected,
        ),
        (r.vanished, "vanished from LinkedIn before you decided (marked withdrawn)", &r.who.vanished),
        (
            r.ignored_on_linkedin,
            "declined here and gone from LinkedIn: ignored there, to-do done",
            &r.who.ignored_on_linkedin,
        ),
        (
            r.to_do_closed,
            "older request{s} closed on To do: the same person sent a newer invitation, the one to decide",
            &r.who.to_do_closed,
        ),
        (
            r.not_listed,
            "declined here and older than everything this export holds: LinkedIn no longer lists them \
             (probably ignored there; To do says so)",
            &r.who.not_listed,
        ),
    ];
    for (n, what, who) in lines {
        if n > 0 {
            writeln!(out, "  {n:>7} {}", plural(n, what))?;
            print_names(out, n, who.iter().map(|p| format!("{} (#{})", text::line(&p.name), p.id)))?;
        }
    }
    Ok(())
}

/// Who was kept pending for a name shared with connections, and the invalid rows.
fn print_kept_and_invalid(r: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    if !r.who.ambiguous.is_empty() {
        writeln!(
            out,
            "  {:>7} kept pending: more than one of your connections has their name (check who they are)",
            r.who.ambiguous.len()
        )?;
        for a in &r.who.ambiguous {
            writeln!(out, "          {} (#{}): {}", text::line(&a.name), a.id, text::line(&a.candidates.join("; ")))?;
        }
    }
    if !r.who.different_person.is_empty() {
        writeln!(
            out,
            "  {:>7} kept pending as someone else of the same name: each connection of that name was made \
             before they asked, so none of them sent it",
            r.who.different_person.len()
        )?;
        for a in &r.who.different_person {
            writeln!(out, "          {} (#{}): {}", text::line(&a.name), a.id, text::line(&a.candidates.join("; ")))?;
        }
    }
    if r.invalid > 0 {
        writeln!(out, "  {:>7} {}:", r.invalid, plural(r.invalid, "invalid row{s} skipped"))?;
        for p in &r.problems {
            writeln!(out, "          {}", text::line(&p.to_string()))?;
        }
        if r.invalid as usize > r.problems.len() {
            writeln!(out, "          … and {} more", r.invalid as usize - r.problems.len())?;
        }
    }
    Ok(())
}

/// The notes, and what to do next.
fn print_next(r: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    for note in &r.notes {
        writeln!(out, "Note: {}", text::line(note))?;
    }
    let mut next = vec![match r.pending {
        0 => "nothing pending".to_string(),
        n => format!("{n} pending: run `vetted`"),
    }];
    if r.to_do > 0 {
        next.push(format!("{} to do on LinkedIn: `vetted todo`", r.to_do));
    }
    if r.dry_run {
        writeln!(out, "(dry run: nothing was changed; it would leave {})", next.join("; "))?;
    } else {
        writeln!(out, "Next: {}", next.join("; "))?;
    }
    Ok(())
}

/// `what` for `n` of them: its `{s}` is "s" unless there is exactly one ("1 new request"),
/// `{people}` "people" or "person", `{n}` the number.
fn plural(n: u64, what: &str) -> String {
    what.replace("{s}", if n == 1 { "" } else { "s" })
        .replace("{people}", if n == 1 { "person" } else { "people" })
        .replace("{n}", &n.to_string())
}

/// The people a report line is about, a few to a line, the rest counted.
fn print_names(out: &mut dyn Write, total: u64, names: impl Iterator<Item = String>) -> std::io::Result<()> {
    const SHOWN: usize = 12;
    let names: Vec<String> = names.take(SHOWN).collect();
    for chunk in names.chunks(4) {
        writeln!(out, "          {}", chunk.join(", "))?;
    }
    let rest = total.saturating_sub(names.len() as u64);
    if !names.is_empty() && rest > 0 {
        writeln!(out, "          … and {rest} more (`vetted import --json` lists them)")?;
    }
    Ok(())
}
