//! The second hardening round, on the real binary: inputs that are not files (FIFOs, devices,
//! a symlink to an endless one), settings files too big, text over the field limit, command
//! lines taken exactly, and what reaches a terminal from an export. All people are fictional.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

mod common;
use common::env::Env;

fn fifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

fn quirk(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/quirks").join(name).display().to_string()
}

#[test]
fn fifos_and_devices_are_refused_at_once_naming_the_path() {
    let env = Env::new();
    let pipe = env.path("pipe.csv");
    fifo(&pipe);
    let p = pipe.to_str().unwrap();
    env.fails(&["import", p], 1, "pipe.csv: not a regular file");
    env.fails(&["--db", p, "list"], 1, "pipe.csv");
    env.fails(&["--config", p, "list"], 1, "pipe.csv: cannot read the config file: not a regular file");
    let config = env.path("config.toml");
    std::fs::write(&config, format!("checklist = {p:?}\n")).unwrap();
    env.fails(&["--config", config.to_str().unwrap(), "decide", "1", "--accept"], 1, "not a regular file");
    std::fs::write(&config, "checklist = \"/dev/zero\"\n").unwrap();
    env.fails(&["--config", config.to_str().unwrap(), "decide", "1", "--accept"], 1, "/dev/zero");
    // An export folder whose Invitations.csv is a symlink to an endless device.
    let folder = env.path("export");
    std::fs::create_dir(&folder).unwrap();
    std::os::unix::fs::symlink("/dev/zero", folder.join("Invitations.csv")).unwrap();
    env.fails(&["import", folder.to_str().unwrap()], 1, "Invitations.csv: not a regular file");
    // A symlink to a regular file is fine.
    std::fs::remove_file(folder.join("Invitations.csv")).unwrap();
    let real = Path::new(&quirk("export-2024")).join("Invitations.csv");
    std::os::unix::fs::symlink(real, folder.join("Invitations.csv")).unwrap();
    assert!(env.ok(&["import", folder.to_str().unwrap()]).contains("new requests"));
}

#[test]
fn settings_files_have_a_size_limit() {
    let env = Env::new();
    let config = env.path("config.toml");
    std::fs::write(&config, format!("# {}\n", "x".repeat(2 << 20))).unwrap();
    env.fails(&["--config", config.to_str().unwrap(), "list"], 1, "over the 1024 KiB limit");
}

#[test]
fn text_passed_on_the_command_line_has_the_field_limit() {
    let env = Env::new();
    let long = "x".repeat(70_000);
    env.fails(&["add", "--name", "Ada Example", "--message", &long], 2, "--message: 70000 bytes, over the 64 KiB");
    env.fails(&["add", "--name", "Ada Example", "--note", &long], 2, "--note: 70000 bytes");
    env.ok(&["add", "--name", "Ada Example"]);
    env.fails(&["decide", "1", "--decline", "--reason", &long], 2, "--reason: 70000 bytes");
    assert!(env.ok(&["log"]).contains("(none)") || env.ok(&["log", "--json"]).trim() == "[]");
}

#[test]
fn the_command_line_taken_exactly() {
    let env = Env::new();
    env.ok(&["add", "--name", "Ada Example"]);
    env.fails(&["log", "--person", "99999999999999999999"], 1, "no request with id 99999999999999999999");
    env.fails(&["log", "--person", "12345"], 1, "no request with id 12345");
    env.fails(&["log", "--person", "bob"], 2, "neither a request id nor a profile URL");
    env.fails(&["log", "--person", "https://www.linkedin.com/in/nobody"], 1, "nobody with the profile URL");
    env.fails(&["log", "--since", "9999-12-31"], 2, "a day beyond the last one vetted handles");
    env.fails(&["decide", "1", "--defer", "--until", "2020-01-01"], 2, "is not in the future");
    env.fails(&["decide", "1", "--defer", "--until", "2099-01-01T00:00:00+25:00"], 2, "within ±14:00");
    assert!(env.ok(&["log", "--json"]).trim() == "[]", "nothing was recorded");
    let db = env.path("new/deeper/v.db");
    env.ok(&["--db", db.to_str().unwrap(), "add", "--name", "Bo Example"]);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!((mode(&env.path("new")), mode(&env.path("new/deeper"))), (0o700, 0o700), "folders --db creates");
}

#[test]
fn a_store_left_readable_by_others_is_made_private_and_a_linked_wal_is_refused() {
    let env = Env::new();
    env.ok(&["add", "--name", "Ada Example"]);
    let db = env.path("v.db");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = env.run(&["list"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("v.db: was readable by others (mode 644); made private (0600)"), "{err}");
    assert_eq!(std::fs::metadata(&db).unwrap().permissions().mode() & 0o777, 0o600);
    assert!(env.run(&["list"]).stderr.is_empty(), "said once");
    // A -wal that is a symbolic link (into a shared folder, say) is refused.
    let shared = env.path("shared-wal");
    std::fs::write(&shared, b"").unwrap();
    let wal = env.path("v.db-wal");
    let _ = std::fs::remove_file(&wal);
    std::os::unix::fs::symlink(&shared, &wal).unwrap();
    env.fails(&["list"], 1, "v.db-wal: a symbolic link where SQLite keeps its own file");
}
