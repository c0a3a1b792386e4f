//! Two and three stores sharing a folder, in scripted sequences: they end with one log and one
//! list, conflicts shown ("decided on laptop and desktop"), a forget reaching everywhere.

use super::{Dev, World, export, settle};

/// Overlapping exports imported on both, decisions on both (one request on both), an undo on
/// one, a batch on the other, notes on both, a forget on one.
#[test]
fn two_stores_end_with_one_log_and_one_list() {
    let w = World::new();
    let (laptop, desktop) = (w.store("laptop"), w.store("desktop"));
    laptop.ok(&["import", &export("export-2024-06")]);
    desktop.ok(&["import", &export("export-2024-09")]);
    laptop.add("Tamsin Notewright", "2024-10-01");
    laptop.init(&w.dir(), "laptop");
    desktop.join(&w.dir(), "desktop", &laptop.key_file());
    settle(&[&laptop, &desktop]);

    // The same request decided on both before either has seen the other's.
    laptop.ok(&["decide", &laptop.id_of("Quinn Sales"), "--accept"]);
    desktop.ok(&["decide", &desktop.id_of("Quinn Sales"), "--decline", "--reason", "a fictional reason"]);
    // An undo on the laptop, a batch on the desktop.
    let rosa = laptop.ok(&["decide", &laptop.id_of("Rosa Blanca"), "--decline", "--reason", "selling"]);
    let decision = rosa.split("decision ").nth(1).unwrap().trim_end_matches([')', '\n']).to_string();
    laptop.ok(&["undo", &decision]);
    desktop.ok(&["decide", "--where", "sent:2024-06 -hint:template -hint:sales", "--defer", "--yes"]);
    // Notes on both, through `add --note` (a request added with the user's words).
    desktop.ok(&[
        "add",
        "--name",
        "Ulla Twice",
        "--url",
        "https://www.linkedin.com/in/ulla-twice",
        "--sent-at",
        "2024-10-02",
        "--note",
        "desktop's fictional note",
    ]);
    settle(&[&laptop, &desktop]);

    let quinn: Vec<_> = laptop.log().into_iter().filter(|r| r["name"] == "Quinn Sales").collect();
    assert_eq!(quinn.len(), 2, "both decisions stay in the log: {quinn:?}");
    assert!(quinn.iter().all(|r| r["decided_on"] == serde_json::json!(["desktop", "laptop"])), "{quinn:?}");
    let batched = desktop.log().into_iter().filter(|r| r["batched"] == true).count();
    assert_eq!(batched, 2, "Kenji and Nora deferred together, on both");
    let line = laptop.ok(&["log"]);
    assert!(line.contains("decided on desktop and laptop"), "{line}");

    // A forget on the desktop reaches the laptop.
    desktop.ok(&["forget", &desktop.id_of("Kenji Sato"), "--yes"]);
    settle(&[&laptop, &desktop]);
    for d in [&laptop, &desktop] {
        let list = d.ok(&["list", "--status", "all"]);
        assert!(!list.contains("Kenji"), "{list}");
        assert!(!d.ok(&["log"]).contains("Kenji"));
        assert!(list.contains("Ulla Twice"));
    }
}

/// Three stores: the third joins late and gets everything; a change made there reaches both.
#[test]
fn three_stores_one_joining_late() {
    let w = World::new();
    let (laptop, desktop, phone) = (w.store("laptop"), w.store("desktop"), w.store("phone"));
    laptop.ok(&["import", &export("export-2024-06")]);
    laptop.init(&w.dir(), "laptop");
    desktop.join(&w.dir(), "desktop", &laptop.key_file());
    desktop.ok(&["decide", &desktop.id_of("Rosa Blanca"), "--decline", "--reason", "template"]);
    laptop.ok(&["decide", &laptop.id_of("Kenji Sato"), "--accept"]);
    settle(&[&laptop, &desktop]);
    phone.join(&w.dir(), "phone", &laptop.key_file());
    phone.ok(&["decide", &phone.id_of("Rosa Blanca"), "--accept"]);
    settle(&[&laptop, &desktop, &phone]);
    let rosa: Vec<_> = desktop.log().into_iter().filter(|r| r["name"] == "Rosa Blanca").collect();
    assert_eq!(rosa.len(), 2);
    let list = desktop.list();
    let rosa = list.iter().find(|r| r["name"] == "Rosa Blanca").unwrap();
    assert_eq!(rosa["status"], "accepted", "the later decision is in force");
    let status = phone.ok(&["sync", "status"]);
    for name in ["laptop", "desktop", "phone"] {
        assert!(status.contains(name), "{status}");
    }
}

/// A store that does not sync says how to start.
#[test]
fn sync_without_init_says_what_to_do() {
    let w = World::new();
    let d: Dev = w.store("alone");
    d.add("Vera Lonely", "2024-10-01");
    let out = d.run(&["sync"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("vetted sync init"));
}

/// A forget rewrites the forgetting device's own segments at once, and each other device's
/// when it reaches it; `doctor` names the segments still holding the person until then.
#[test]
fn a_forget_rewrites_segments_and_doctor_reports_those_still_holding_the_person() {
    let w = World::new();
    let (laptop, desktop) = (w.store("laptop"), w.store("desktop"));
    laptop.ok(&["import", &export("export-2024-06")]);
    laptop.init(&w.dir(), "laptop");
    desktop.join(&w.dir(), "desktop", &laptop.key_file());
    desktop.ok(&["decide", &desktop.id_of("Kenji Sato"), "--accept"]);
    settle(&[&laptop, &desktop]);
    let said = desktop.ok(&["forget", &desktop.id_of("Kenji Sato"), "--yes"]);
    assert!(said.contains("of this device's sync segments rewritten without them"), "{said}");
    let doctor = desktop.run(&["doctor"]);
    let report = String::from_utf8_lossy(&doctor.stdout);
    assert_eq!(doctor.status.code(), Some(1), "{report}");
    assert!(report.contains("still hold a forgotten person") && report.contains("laptop"), "{report}");
    assert!(!report.contains("vetted-sync/desktop/"), "its own are rewritten: {report}");
    desktop.sync();
    laptop.sync(); // the forget reaches the laptop, which rewrites its own
    let doctor = desktop.run(&["doctor"]);
    assert!(doctor.status.success(), "{}", String::from_utf8_lossy(&doctor.stdout));
    assert!(String::from_utf8_lossy(&doctor.stdout).contains("no segment in the sync folder holds a forgotten person"));
}

/// A forget on a syncing store, then the same export imported again there and the person added
/// by hand: they stay forgotten on every device (the tombstone drops their events everywhere, so
/// the import leaves them out and `add` refuses, rather than bring them back on one device
/// only), and the report says so.
#[test]
fn a_person_forgotten_stays_out_of_a_later_import_on_every_device() {
    let w = World::new();
    let (laptop, desktop) = super::pair(&w);
    settle(&[&laptop, &desktop]);
    let said = laptop.ok(&["forget", &laptop.id_of("Kenji Sato"), "--yes"]);
    assert!(said.contains("stay forgotten on every device"), "{said}");
    settle(&[&laptop, &desktop]);
    let report = laptop.ok(&["import", &export("export-2024-06")]);
    assert!(report.contains("left out 2 request(s) from people you forgot"), "{report}");
    let out = laptop.run(&["add", "--name", "Kenji Sato", "--url", "https://www.linkedin.com/in/kenji-sato"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("was forgotten"), "{err}");
    settle(&[&laptop, &desktop]);
    for d in [&laptop, &desktop] {
        assert!(!d.ok(&["list", "--status", "all"]).contains("Kenji"));
    }
}
