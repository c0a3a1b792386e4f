//! Sync between stores through one folder (issue 23, docs/sync.md), through the real binary:
//! each store its own home, config and database, all sharing a sync folder in a temp dir.
//! Every person is fictional.
//!
//! - `scripted`: two and three stores in scripted sequences end with one log and one list.
//! - `interleavings`: a property test over random changes and syncs, the store against the
//!   merge rule's oracle (`sync::merge::Replica`).
//! - `faults`: what sync tools and people do to a folder.
//! - `privacy`: nothing readable in the folder without the key; the key never in it.
//! - `git`: the folder carried by a real git repository.
//! - `app`: the review app syncing as it opens and after it closes.

#[path = "../common/mod.rs"]
mod common;

mod app;
mod faults;
mod git;
mod interleavings;
mod notes;
mod privacy;
mod scripted;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

/// A laptop with the June export that made the folder, and a desktop that joined it.
pub fn pair(w: &World) -> (Dev, Dev) {
    let (laptop, desktop) = (w.store("laptop"), w.store("desktop"));
    laptop.ok(&["import", &export("export-2024-06")]);
    laptop.init(&w.dir(), "laptop");
    desktop.join(&w.dir(), "desktop", &laptop.key_file());
    (laptop, desktop)
}

/// Stores sharing one sync folder.
pub struct World {
    pub tmp: tempfile::TempDir,
}

impl Default for World {
    fn default() -> World {
        World::new()
    }
}

impl World {
    pub fn new() -> World {
        let w = World { tmp: tempfile::tempdir().unwrap() };
        std::fs::create_dir_all(w.dir()).unwrap();
        w
    }

    /// The folder a sync tool carries.
    pub fn dir(&self) -> PathBuf {
        self.tmp.path().join("Sync")
    }

    /// A store of its own (home, config, database).
    pub fn store(&self, name: &str) -> Dev {
        let home = self.tmp.path().join(name);
        std::fs::create_dir_all(&home).unwrap();
        Dev { home }
    }
}

pub struct Dev {
    pub home: PathBuf,
}

impl Dev {
    pub fn db(&self) -> PathBuf {
        self.home.join("data/v.db")
    }

    /// The review app on this store, in a terminal of its own.
    pub fn app(&self) -> common::pty::Pty {
        let (db, config) = (self.db(), self.home.join("config/config.toml"));
        let args = ["--db", db.to_str().unwrap(), "--config", config.to_str().unwrap()];
        common::pty::Pty::spawn(&args, &self.home, &[])
    }

    pub fn key_file(&self) -> PathBuf {
        self.home.join("config/sync.key")
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_vetted"));
        c.env_clear()
            .env("HOME", &self.home)
            .env("TZ", "UTC")
            .env("VETTED_DB", self.db())
            .env("VETTED_CONFIG", self.home.join("config/config.toml"))
            .stdin(Stdio::null());
        c
    }

    /// Runs with a deadline: a hang is a failure, not a stuck test. The output is read as it
    /// comes (a long one would fill the pipe and stop the child).
    pub fn run(&self, args: &[&str]) -> Output {
        let child = self.cmd().args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let pid = child.id();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || tx.send(child.wait_with_output().unwrap()));
        match rx.recv_timeout(Duration::from_secs(120)) {
            Ok(out) => out,
            Err(_) => {
                let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
                panic!("vetted {args:?} hung");
            }
        }
    }

    /// Runs and expects success; its standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "vetted {args:?} failed: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    pub fn init(&self, dir: &Path, name: &str) -> String {
        self.ok(&["sync", "init", dir.to_str().unwrap(), "--name", name])
    }

    pub fn join(&self, dir: &Path, name: &str, key: &Path) -> String {
        self.ok(&["sync", "join", dir.to_str().unwrap(), "--name", name, "--key-file", key.to_str().unwrap()])
    }

    pub fn sync(&self) -> String {
        self.ok(&["sync"])
    }

    /// `vetted add` of a fictional person (a profile URL made from the name).
    pub fn add(&self, name: &str, sent: &str) {
        let url = format!("https://www.linkedin.com/in/{}", name.to_lowercase().replace(' ', "-"));
        self.ok(&["add", "--name", name, "--url", &url, "--sent-at", sent, "--message", "a fictional hello"]);
    }

    /// The request id of `name` in this store.
    pub fn id_of(&self, name: &str) -> String {
        let list = self.json(&["list", "--json", "--status", "all"]);
        let row = list.as_array().unwrap().iter().find(|r| r["name"] == name);
        row.unwrap_or_else(|| panic!("{name} not in the list")).get("id").unwrap().to_string()
    }

    /// `log --json`, every row without what only this store numbers (row ids, batch numbers),
    /// in one order: what must be the same on every store.
    pub fn log(&self) -> Vec<Value> {
        let mut rows: Vec<Value> = self.json(&["log", "--json"]).as_array().unwrap().clone();
        for r in &mut rows {
            let o = r.as_object_mut().unwrap();
            for local in ["id", "request_id", "person_id", "supersedes"] {
                o.remove(local);
            }
            let batched = o.remove("batch").is_some_and(|b| !b.is_null());
            o.insert("batched".into(), batched.into());
        }
        rows.sort_by_key(|r| r.to_string());
        rows
    }

    /// `list --json --status all` without this store's row ids, by person and send time.
    pub fn list(&self) -> Vec<Value> {
        let mut rows: Vec<Value> = self.json(&["list", "--json", "--status", "all"]).as_array().unwrap().clone();
        for r in &mut rows {
            let o = r.as_object_mut().unwrap();
            o.remove("id");
            o.remove("person_id");
        }
        rows.sort_by_key(|r| r.to_string());
        rows
    }
}

/// Syncs every store twice over (so each has read what the others wrote after it), then
/// checks they hold one log and one list.
pub fn settle(stores: &[&Dev]) {
    for _ in 0..2 {
        for d in stores {
            d.sync();
        }
    }
    let (log, list) = (stores[0].log(), stores[0].list());
    for d in &stores[1..] {
        assert_eq!(d.log(), log, "the log of {} differs", d.home.display());
        assert_eq!(d.list(), list, "the list of {} differs", d.home.display());
    }
}

/// A LinkedIn export folder copied from the fixtures.
pub fn export(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name).to_string_lossy().into_owned()
}
