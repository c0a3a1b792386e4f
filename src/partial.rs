//! Files made whole or not at all (`export -o`, `backup`, `config init`): written to a
//! private temporary file beside the target, then renamed into place. The temporary file is
//! named `.vetted-partial-PID-…`, so it can be told apart: SIGINT, SIGTERM or SIGHUP while it
//! is written removes it (and what SQLite keeps beside it) before the process ends with
//! 128 + N; the leftover of a process that died harder (`kill -9`, a crash) is removed by the
//! next one made in the same folder. Such a file holds names, messages and notes: none may
//! outlive the command that wrote it.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once, PoisonError};

const PREFIX: &str = ".vetted-partial-";

/// The temporary files being written now, removed should a signal end the process.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// A temporary file beside its target, removed unless it is persisted.
pub struct Partial {
    file: Option<tempfile::NamedTempFile>,
    path: PathBuf,
}

impl Partial {
    /// A new private (0600) temporary file in `dir`.
    pub fn create_in(dir: &Path) -> io::Result<Partial> {
        remove_on_signals();
        remove_leftovers(dir);
        // Made and registered under the lock: a signal that comes meanwhile waits for it, then
        // finds the file listed.
        let mut live = LIVE.lock().unwrap_or_else(PoisonError::into_inner);
        let file = tempfile::Builder::new()
            .prefix(&format!("{PREFIX}{}-", std::process::id()))
            .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))
            .tempfile_in(dir)?;
        let path = file.path().to_path_buf();
        live.push(path.clone());
        Ok(Partial { file: Some(file), path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn as_file(&self) -> &fs::File {
        self.file.as_ref().expect("held until persisted").as_file()
    }

    /// Renames the file to `dest`, refusing to replace a file that exists there.
    pub fn persist_noclobber(mut self, dest: &Path) -> Result<(), tempfile::PersistError> {
        let file = self.file.take().expect("held until persisted");
        file.persist_noclobber(dest)?;
        remove_with_companions(&self.path); // only SQLite's companions are still there
        Ok(())
    }

    /// Renames the file to `dest`, replacing a file there at once (a reader sees the old file
    /// or the new one, never a mix).
    pub fn persist_replacing(mut self, dest: &Path) -> Result<(), tempfile::PersistError> {
        let file = self.file.take().expect("held until persisted");
        file.persist(dest)?;
        remove_with_companions(&self.path);
        Ok(())
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        // A file not persisted is removed by the NamedTempFile's own drop, with its companions.
        if self.file.take().is_some() {
            remove_with_companions(&self.path);
        }
        LIVE.lock().unwrap_or_else(PoisonError::into_inner).retain(|p| p != &self.path);
    }
}

fn remove_with_companions(path: &Path) {
    let _ = fs::remove_file(path);
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = fs::remove_file(PathBuf::from(name));
    }
}

/// Once per process: a thread that, on SIGINT, SIGTERM or SIGHUP, removes the files being
/// written and ends the process as the signal would have (128 + N).
fn remove_on_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else { return };
        std::thread::spawn(move || {
            if let Some(sig) = signals.forever().next() {
                for path in LIVE.lock().unwrap_or_else(PoisonError::into_inner).iter() {
                    remove_with_companions(path);
                }
                std::process::exit(128 + sig);
            }
        });
    });
}

/// Removes the temporary files in `dir` that processes no longer running left behind (only
/// the user's own: another user's are theirs to remove).
fn remove_leftovers(dir: &Path) {
    use std::os::unix::fs::MetadataExt;
    let Ok(entries) = fs::read_dir(dir) else { return };
    let me = rustix::process::geteuid().as_raw();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(PREFIX)) else { continue };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<i32>().ok()) else { continue };
        let running = rustix::process::Pid::from_raw(pid)
            .is_some_and(|pid| !matches!(rustix::process::test_kill_process(pid), Err(rustix::io::Errno::SRCH)));
        if !running && entry.metadata().is_ok_and(|m| m.uid() == me && m.is_file()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partial_file_not_persisted_is_removed_and_one_persisted_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let gone = Partial::create_in(dir.path()).unwrap();
        let path = gone.path().to_path_buf();
        assert!(path.file_name().unwrap().to_str().unwrap().starts_with(".vetted-partial-"));
        drop(gone);
        assert!(!path.exists());
        let kept = Partial::create_in(dir.path()).unwrap();
        let kept_path = kept.path().to_path_buf();
        kept.persist_noclobber(&dir.path().join("whole")).unwrap();
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        let live = LIVE.lock().unwrap();
        assert!(!live.contains(&path) && !live.contains(&kept_path), "both taken off the list");
    }

    #[test]
    fn leftovers_of_processes_no_longer_running_are_removed_and_a_running_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let mut done = std::process::Command::new("true").spawn().unwrap();
        let dead = done.id();
        done.wait().unwrap();
        let leftover = dir.path().join(format!("{PREFIX}{dead}-abc123"));
        let running = dir.path().join(format!("{PREFIX}1-abc123")); // init never ends
        for p in [&leftover, &running] {
            fs::write(p, "names and notes").unwrap();
        }
        let _new = Partial::create_in(dir.path()).unwrap();
        assert!(!leftover.exists());
        assert!(running.exists());
    }
}
