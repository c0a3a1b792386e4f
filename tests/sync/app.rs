//! `sync = true` in the config: the review app syncs as it opens and after it closes, and
//! says so on the terminal (around the app, not inside it).

use super::common::pty::Pty;
use super::{World, export};

#[test]
fn the_app_syncs_as_it_opens_and_after_it_closes_when_the_config_says_so() {
    let w = World::new();
    let (laptop, desktop) = (w.store("laptop"), w.store("desktop"));
    laptop.ok(&["import", &export("export-2024-06")]);
    laptop.init(&w.dir(), "laptop");
    desktop.join(&w.dir(), "desktop", &laptop.key_file());
    laptop.ok(&["decide", &laptop.id_of("Kenji Sato"), "--accept"]);
    laptop.sync();
    let config = desktop.home.join("config/config.toml");
    std::fs::write(&config, "sync = true\n").unwrap();
    let (db, config) = (desktop.db(), config);
    let args = ["--db", db.to_str().unwrap(), "--config", config.to_str().unwrap()];
    let mut pty = Pty::spawn(&args, &desktop.home, &[]);
    pty.wait_for("synced as the app opened");
    pty.wait_for("pending");
    pty.send("q");
    let status = pty.wait_exit();
    assert!(status.success(), "{status}; screen:\n{}", pty.text());
    assert!(pty.text().contains("synced after the app closed"), "{}", pty.text());
    assert!(
        desktop.ok(&["list", "--status", "all"]).lines().any(|l| l.contains("Kenji Sato") && l.contains("accepted"))
    );
}
