//! `sync = true` in the config: the review app syncs as it opens and after it closes, and
//! says so on the terminal (around the app, not inside it).

use super::{World, pair, settle};

#[test]
fn the_app_syncs_as_it_opens_and_after_it_closes_when_the_config_says_so() {
    let w = World::new();
    let (laptop, desktop) = pair(&w);
    laptop.ok(&["decide", &laptop.id_of("Kenji Sato"), "--accept"]);
    laptop.sync();
    std::fs::write(desktop.home.join("config/config.toml"), "sync = true\n").unwrap();
    let mut pty = desktop.app();
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

/// A deferral "until the next session" made on one device comes due on both when each opens
/// the app before they sync: the log shows it come due once on each (at the time that device's
/// session began: the row is the device's own), and nobody "decided" it twice.
#[test]
fn a_deferral_due_on_two_devices_is_logged_once() {
    let w = World::new();
    let (laptop, desktop) = pair(&w);
    laptop.ok(&["decide", &laptop.id_of("Nora Vale"), "--defer"]);
    settle(&[&laptop, &desktop]);
    // "The next session" starts after the second the deferral was stored in.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    for dev in [&laptop, &desktop] {
        let mut pty = dev.app();
        pty.wait_for("Nora Vale");
        pty.send("q");
        assert!(pty.wait_exit().success(), "{}", pty.text());
    }
    for dev in [&laptop, &desktop, &laptop] {
        dev.sync();
    }
    for dev in [&laptop, &desktop] {
        let due = dev.log().into_iter().filter(|r| r["name"] == "Nora Vale" && r["reason"] == "deferral due").count();
        assert_eq!(due, 1, "{:?}", dev.ok(&["log"]));
        assert!(dev.ok(&["list"]).contains("Nora Vale"), "back in the queue");
        assert!(!dev.ok(&["log"]).contains("decided on"), "coming due is nobody's decision");
    }
}

/// The app open on one device while `vetted sync` brings another device's decision beside it:
/// the app shows it as it shows any outside change (the queue and its count read again).
#[test]
fn the_app_open_while_another_devices_decision_arrives_shows_it() {
    let w = World::new();
    let (laptop, desktop) = pair(&w);
    let pending = desktop.ok(&["list"]).lines().count() - 1;
    let mut pty = desktop.app();
    pty.wait_for(&format!("{pending} pending"));
    laptop.ok(&["decide", &laptop.id_of("Kenji Sato"), "--accept"]);
    laptop.sync();
    assert!(desktop.sync().contains("applied"), "the sync beside the app");
    // ratatui draws only the cells that change; a stop and `fg` make the app draw the whole
    // screen, which says the new count once the app has read the store again.
    let start = std::time::Instant::now();
    loop {
        // The app reads the store again when it has been idle a moment (no key, no signal).
        std::thread::sleep(std::time::Duration::from_millis(300));
        pty.send("\u{1a}"); // ctrl-z
        pty.wait_stopped();
        let mark = pty.written();
        pty.signal(libc::SIGCONT);
        let redrawn = std::time::Instant::now();
        while !pty.shown_since(mark, "pending") && redrawn.elapsed() < std::time::Duration::from_secs(10) {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        if pty.shown_since(mark, &format!("{} pending", pending - 1)) {
            break;
        }
        assert!(start.elapsed() < std::time::Duration::from_secs(20), "still {pending} pending: {}", pty.squashed());
    }
    pty.send("q");
    assert!(pty.wait_exit().success(), "{}", pty.text());
}
