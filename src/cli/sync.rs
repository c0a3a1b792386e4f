//! `vetted sync`: share one decision log between machines through a folder the user already
//! syncs (docs/sync.md). `init DIR` makes this store the first device (and its key), `join DIR
//! --key-file PATH` another, `vetted sync` exchanges changes, `status` says what each device
//! wrote and how far this store got. The work is in `sync_run` and the store.

use super::Setup;
use super::output::out_err;
use crate::error::{Error, Result};
use crate::store::{NewDevice, Store};
use crate::sync::plan::Problem;
use crate::sync::{SyncKey, folder, segment};
use crate::sync_run::{self, Report, SyncError};
use crate::text;
use clap::{Args, Subcommand};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct SyncArgs {
    #[command(subcommand)]
    pub action: Option<SyncAction>,
}

#[derive(Debug, Subcommand)]
pub enum SyncAction {
    /// Make DIR (a folder Syncthing, Dropbox, iCloud Drive or git carries) this store's sync folder, with a new key
    Init(DeviceArgs),
    /// Join a sync folder another store made, with a copy of its key file
    Join(JoinArgs),
    /// What each device last wrote, when, and how far this store has applied it
    Status(super::JsonArg),
}

#[derive(Debug, Args)]
pub struct DeviceArgs {
    /// The sync folder (must exist; vetted keeps its files in DIR/vetted-sync)
    pub dir: PathBuf,
    /// This device's name: 1-32 of a-z 0-9 - _ [default: the host name]
    #[arg(long)]
    pub name: Option<String>,
}

#[derive(Debug, Args)]
pub struct JoinArgs {
    #[command(flatten)]
    pub device: DeviceArgs,
    /// A copy of the key file `vetted sync init` made on the first device
    #[arg(long, value_name = "PATH")]
    pub key_file: PathBuf,
}

pub fn run(setup: &Setup, args: SyncArgs, out: &mut dyn Write) -> Result<()> {
    match args.action {
        None => exchange(setup, out),
        Some(SyncAction::Init(a)) => init(setup, &a, None, out),
        Some(SyncAction::Join(a)) => init(setup, &a.device, Some(&a.key_file), out),
        Some(SyncAction::Status(a)) => status(setup, a.json, out),
    }
}

fn sync_err(e: SyncError) -> Error {
    match e {
        SyncError::Store(e) => Error::Store(e),
        SyncError::NotSyncing => Error::Usage(e.to_string()),
        other => Error::Failed(text::line(&other.to_string()).into_owned()),
    }
}

/// The host name as a device name (`a-z 0-9 - _`, at most 32), else `device`.
fn host_name() -> String {
    let raw = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_default();
    let name: String = raw
        .trim()
        .split('.')
        .next()
        .unwrap_or_default()
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .take(segment::MAX_DEVICE_LEN)
        .collect();
    if segment::valid_device(&name) { name } else { "device".into() }
}

/// Where the key lives: beside the config file.
fn key_path(setup: &Setup) -> PathBuf {
    setup.paths.config.parent().unwrap_or(Path::new(".")).join("sync.key")
}

/// The key for `init` (new) or `join` (a copy, kept 0600 beside the config), and its path.
fn key_for(setup: &Setup, dir: &Path, copy: Option<&Path>) -> Result<(SyncKey, PathBuf)> {
    let path = key_path(setup);
    let fail = |e: crate::sync::crypt::KeyError| Error::Failed(text::line(&e.to_string()).into_owned());
    let key = match copy {
        None => SyncKey::generate().map_err(fail)?,
        Some(from) => SyncKey::read(from).map_err(fail)?,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
    }
    match key.write_new(&path, dir) {
        Ok(()) => Ok((key, path)),
        // The same key already there (join run again after a failure): kept.
        Err(crate::sync::crypt::KeyError::Exists(_)) if SyncKey::read(&path).is_ok_and(|k| k.id() == key.id()) => {
            Ok((key, path))
        }
        Err(e) => Err(fail(e)),
    }
}

fn init(setup: &Setup, args: &DeviceArgs, copy: Option<&Path>, out: &mut dyn Write) -> Result<()> {
    let name = args.name.clone().unwrap_or_else(host_name);
    if !segment::valid_device(&name) {
        return Err(Error::Usage(format!("{}: a device name is 1-32 of a-z 0-9 - _", text::line(&name))));
    }
    let dir = std::path::absolute(&args.dir).map_err(|e| Error::io(args.dir.display().to_string(), e))?;
    if !dir.is_dir() {
        return Err(Error::Usage(format!(
            "{}: no such folder (vetted never makes the sync folder: it is the one your sync tool carries)",
            text::line(&dir.display().to_string())
        )));
    }
    let scan = folder::scan(&dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
    if scan.segments.iter().any(|f| f.device == name) {
        return Err(Error::Usage(format!(
            "another store already writes as {name:?} in {}: choose another name with --name",
            text::line(&dir.display().to_string())
        )));
    }
    let mut store = setup.writable()?;
    if let Some(me) = store.sync_device()? {
        return Err(Error::Usage(format!(
            "this store already syncs as {:?} through {}",
            me.device,
            text::line(&me.dir.display().to_string())
        )));
    }
    let (key, key_file) = key_for(setup, &dir, copy)?;
    let instance = new_instance()?;
    let bar = progress_bar("recording the store");
    let d = NewDevice { device: &name, instance, dir: &dir, key_file: &key_file };
    let n = store.sync_begin(&d, |n| bar.set_position(n))?;
    bar.finish_and_clear();
    writeln!(out, "this store syncs as {name:?} through {}", text::line(&dir.display().to_string()))
        .map_err(out_err)?;
    if copy.is_none() {
        writeln!(
            out,
            "the key is in {} (0600): copy it to your other machines by your own means, never into the sync folder",
            text::line(&key_file.display().to_string())
        )
        .map_err(out_err)?;
    }
    if let Some((from, mode)) = copy.and_then(|f| crate::sync::crypt::readable_by_others(f).map(|m| (f, m))) {
        writeln!(
            out,
            "note: the copy {} can be read by other users (mode {mode:04o}); the key is now kept in {} (0600): delete the copy",
            text::line(&from.display().to_string()),
            text::line(&key_file.display().to_string())
        )
        .map_err(out_err)?;
    }
    writeln!(out, "{n} changes recorded from what the store holds").map_err(out_err)?;
    let report = run_sync(&mut store, &key, setup)?;
    say(&report, out)
}

fn new_instance() -> Result<segment::Instance> {
    let mut instance = [0u8; 16];
    getrandom::fill(&mut instance).map_err(|e| Error::Failed(format!("no random bytes from the system: {e}")))?;
    Ok(instance)
}

fn progress_bar(what: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    bar.set_message(what.to_string());
    bar
}

fn run_sync(store: &mut Store, key: &SyncKey, setup: &Setup) -> Result<Report> {
    let (checklist, phrases) = (setup.checklist()?, setup.phrases()?);
    let bar = progress_bar("applying segments");
    let report = sync_run::sync(store, key, &checklist, &phrases, &mut |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    });
    bar.finish_and_clear();
    let report = report.map_err(sync_err)?;
    if report.applied.iter().any(|(_, _, a)| a.forgotten > 0) {
        sync_run::rewrite_own(store, key).map_err(sync_err)?;
    }
    Ok(report)
}

/// `sync = true` in the config: a sync as the app opens and after it closes, said on the
/// terminal before the app takes it and after it gives it back. A failure is said, never fatal.
pub fn around_the_app(setup: &Setup, store: &mut Store, when: &str) {
    let Ok(Some(me)) = store.sync_device() else { return };
    let done = SyncKey::read_kept(&me.key_file)
        .map_err(|e| Error::Failed(e.to_string()))
        .and_then(|key| run_sync(store, &key, setup));
    let mut said = Vec::new();
    let line = match done.and_then(|report| say(&report, &mut said)) {
        Ok(()) => format!("synced {when}: {}", String::from_utf8_lossy(&said).trim_end().replace('\n', "; ")),
        Err(e) => format!("could not sync {when}: {e}"),
    };
    eprintln!("vetted: {}", text::line(&line));
}

fn exchange(setup: &Setup, out: &mut dyn Write) -> Result<()> {
    let mut store = setup.writable()?;
    let me = store.sync_device()?.ok_or_else(|| sync_err(SyncError::NotSyncing))?;
    let key = SyncKey::read_kept(&me.key_file).map_err(|e| Error::Failed(text::line(&e.to_string()).into_owned()))?;
    let report = run_sync(&mut store, &key, setup)?;
    say(&report, out)
}

/// What a sync did, then each problem in words.
fn say(report: &Report, out: &mut dyn Write) -> Result<()> {
    let written: usize = report.written.iter().map(|(_, n)| n).sum();
    let applied: u64 = report.applied.iter().map(|(_, _, a)| a.events).sum();
    let dropped: u64 = report.applied.iter().map(|(_, _, a)| a.dropped).sum();
    writeln!(
        out,
        "sent {written} changes in {} segments; applied {applied} changes from {} segments{}",
        report.written.len(),
        report.applied.len(),
        if dropped > 0 {
            format!(" ({dropped} left out: about forgotten people or requests this store lacks)")
        } else {
            String::new()
        }
    )
    .map_err(out_err)?;
    for (device, ahead) in &report.clocks_ahead {
        writeln!(out, "note: {device}'s clock runs {} hours ahead of this one", ahead / 3_600_000).map_err(out_err)?;
    }
    for p in &report.problems {
        writeln!(out, "note: {}", text::line(&problem(p))).map_err(out_err)?;
    }
    Ok(())
}

fn problem(p: &Problem) -> String {
    match p {
        Problem::CutShort { path, have, want } => {
            format!("{}: cut short ({have} of {want} bytes; still being copied?): taken when whole", path.display())
        }
        Problem::Damaged { path, why } => {
            format!("{}: damaged ({why}); that device's later segments wait", path.display())
        }
        Problem::WrongKey { path } => format!("{}: made with another sync key: not applied", path.display()),
        Problem::NewerVersion { path, version } => {
            format!("{}: format {version}, made by a newer vetted: update this one", path.display())
        }
        Problem::Gap { device, missing } => {
            format!("{device}'s segment {missing} has not arrived yet: its later ones wait")
        }
        Problem::DuplicateDevice { device } => {
            format!("two stores write as {device:?}: nothing of that name is applied until one is renamed")
        }
        Problem::ConflictCopy { path } => format!("{}: a sync tool's conflict copy: never applied", path.display()),
    }
}

fn status(setup: &Setup, json: bool, out: &mut dyn Write) -> Result<()> {
    let store = setup.open()?;
    let (me, devices, unsent) = sync_run::status(&store).map_err(sync_err)?;
    if json {
        let v = serde_json::json!({
            "device": me.device,
            "dir": me.dir,
            "key_file": me.key_file,
            "unsent": unsent,
            "devices": devices,
        });
        writeln!(out, "{v}").map_err(out_err)?;
        return Ok(());
    }
    writeln!(
        out,
        "this store: {:?} through {} ({unsent} changes not sent yet)",
        me.device,
        text::line(&me.dir.display().to_string())
    )
    .map_err(out_err)?;
    let zone = crate::clock::zone();
    for d in devices {
        let when = d
            .last_written_ms
            .and_then(|ms| jiff::Timestamp::from_millisecond(ms as i64).ok())
            .map_or_else(|| "unknown".into(), |t| crate::clock::local_time(t, zone));
        let how_far = if d.this_store {
            "this store".to_string()
        } else if d.applied >= d.last_segment {
            "all applied".to_string()
        } else {
            format!("applied up to {} ({} waiting)", d.applied, d.last_segment - d.applied)
        };
        writeln!(out, "  {:<16} segment {:>4}, last change {when}; {how_far}", d.device, d.last_segment)
            .map_err(out_err)?;
    }
    Ok(())
}
