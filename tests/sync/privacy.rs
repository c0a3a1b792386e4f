//! Without the key nothing in the sync folder reads as a name, message, note or reason; the
//! key is never in it; files are 0600 and folders 0700.

use super::{World, export, settle};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn every_file(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.is_dir() {
            every_file(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn the_folder_shows_no_name_message_note_or_reason_and_never_the_key() {
    let w = World::new();
    let (laptop, desktop) = (w.store("laptop"), w.store("desktop"));
    laptop.ok(&["import", &export("export-2024-06")]);
    laptop.ok(&[
        "add",
        "--name",
        "Wilhelmina Secretive",
        "--url",
        "https://www.linkedin.com/in/wilhelmina-secretive",
        "--message",
        "a confidential fictional hello",
        "--note",
        "a private fictional note",
    ]);
    laptop.init(&w.dir(), "laptop");
    desktop.join(&w.dir(), "desktop", &laptop.key_file());
    desktop.ok(&[
        "decide",
        &desktop.id_of("Wilhelmina Secretive"),
        "--decline",
        "--reason",
        "an undisclosed fictional reason",
    ]);
    settle(&[&laptop, &desktop]);
    let key = std::fs::read_to_string(laptop.key_file()).unwrap();
    let key_hex = key.lines().nth(1).unwrap().to_string();
    assert_eq!(std::fs::metadata(laptop.key_file()).unwrap().permissions().mode() & 0o777, 0o600);
    assert_eq!(std::fs::metadata(desktop.key_file()).unwrap().permissions().mode() & 0o777, 0o600);
    let mut files = Vec::new();
    every_file(&w.dir(), &mut files);
    assert!(files.len() >= 2, "{files:?}");
    let secrets = [
        "Wilhelmina",
        "Secretive",
        "wilhelmina-secretive",
        "confidential fictional hello",
        "private fictional note",
        "undisclosed fictional reason",
        "Kenji",
        "linkedin.com",
        key_hex.as_str(),
    ];
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for s in secrets {
            assert!(!text.contains(s), "{} shows {s:?}", f.display());
        }
        assert_eq!(std::fs::metadata(f).unwrap().permissions().mode() & 0o777, 0o600, "{}", f.display());
        let folder = f.parent().unwrap();
        assert_eq!(std::fs::metadata(folder).unwrap().permissions().mode() & 0o777, 0o700, "{}", folder.display());
    }
    // With the key it all reads: the same decline is on the laptop.
    assert!(laptop.ok(&["log"]).contains("undisclosed fictional reason"));
}

#[test]
fn the_key_cannot_be_put_inside_the_sync_folder() {
    let w = World::new();
    let d = w.store("laptop");
    // A config inside the sync folder would put the key beside it: refused.
    let inside = w.dir().join("config.toml");
    let out = d
        .cmd()
        .env("VETTED_CONFIG", &inside)
        .args(["sync", "init", w.dir().to_str().unwrap(), "--name", "laptop"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("inside the sync folder"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!w.dir().join("sync.key").exists());
}
