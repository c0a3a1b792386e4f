//! What sync tools and people do to a folder (issue 23), each through the real binary: files
//! late, out of order or twice, temporary files and conflict copies, a copy cut short, two
//! stores of one name, a clock a day ahead, a missing or read-only folder, `kill -9` in the
//! middle of a sync, two syncs at once.

use super::{Dev, World, export, pair, settle};
use std::path::{Path, PathBuf};
use std::time::Duration;

fn segment(w: &World, device: &str, seq: u64) -> PathBuf {
    w.dir().join("vetted-sync").join(device).join(format!("{seq:08}.seg"))
}

fn status_of(d: &Dev, name: &str) -> String {
    let list = d.json(&["list", "--json", "--status", "all"]);
    let row = list.as_array().unwrap().iter().find(|r| r["name"] == name).cloned();
    row.map_or_else(|| "absent".into(), |r| r["status"].as_str().unwrap().to_string())
}

#[test]
fn segments_late_or_out_of_order_wait_for_the_missing_one_and_copies_are_never_applied() {
    let w = World::new();
    let (laptop, desktop) = pair(&w);
    laptop.ok(&["decide", &laptop.id_of("Rosa Blanca"), "--decline", "--reason", "template"]);
    laptop.sync(); // segment 2
    laptop.ok(&["decide", &laptop.id_of("Kenji Sato"), "--accept"]);
    laptop.sync(); // segment 3
    let two = segment(&w, "laptop", 2);
    let away = w.tmp.path().join("late.seg");
    std::fs::rename(&two, &away).unwrap();
    let said = desktop.sync();
    assert!(said.contains("laptop's segment 2 has not arrived yet"), "{said}");
    assert_eq!(status_of(&desktop, "Kenji Sato"), "pending", "segment 3 waits behind the gap");
    // It arrives, and a sync tool's conflict copy of segment 3 beside it, and temporary files.
    std::fs::rename(&away, &two).unwrap();
    let folder = two.parent().unwrap();
    std::fs::copy(segment(&w, "laptop", 3), folder.join("00000003 (Ada's conflicted copy 2026-11-02).seg")).unwrap();
    std::fs::copy(segment(&w, "laptop", 3), folder.join("00000003.sync-conflict-20261102-101500-ABCDEFG.seg")).unwrap();
    std::fs::write(folder.join(".syncthing.00000004.seg.tmp"), b"half a segment").unwrap();
    std::fs::write(folder.join("~00000004.seg.tmp"), b"half a segment").unwrap();
    let said = desktop.sync();
    assert!(said.contains("applied 2 changes from 2 segments"), "{said}");
    assert_eq!(said.matches("conflict copy: never applied").count(), 2, "{said}");
    assert_eq!(status_of(&desktop, "Kenji Sato"), "accepted");
    assert_eq!(status_of(&desktop, "Rosa Blanca"), "declined");
    // Applied twice: nothing changes (the positions); the log holds each decision once.
    let log = desktop.log();
    desktop.sync();
    assert_eq!(desktop.log(), log);
    assert_eq!(log.len(), 2);
    settle(&[&laptop, &desktop]);
}

#[test]
fn a_segment_cut_short_is_refused_named_and_taken_whole_next_time() {
    let w = World::new();
    let (laptop, desktop) = pair(&w);
    laptop.ok(&["decide", &laptop.id_of("Kenji Sato"), "--accept"]);
    laptop.sync();
    let path = segment(&w, "laptop", 2);
    let whole = std::fs::read(&path).unwrap();
    std::fs::write(&path, &whole[..whole.len() / 2]).unwrap(); // a copy not finished yet
    let said = desktop.sync();
    assert!(said.contains("cut short"), "{said}");
    assert_eq!(status_of(&desktop, "Kenji Sato"), "pending", "nothing of it applied");
    std::fs::write(&path, &whole).unwrap();
    desktop.sync();
    assert_eq!(status_of(&desktop, "Kenji Sato"), "accepted");
}

#[test]
fn a_second_store_under_a_name_in_use_is_refused() {
    let w = World::new();
    let (laptop, _desktop) = pair(&w);
    let other = w.store("other");
    let out = other.run(&[
        "sync",
        "join",
        w.dir().to_str().unwrap(),
        "--name",
        "laptop",
        "--key-file",
        laptop.key_file().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already writes as \"laptop\""));
    assert!(other.run(&["sync"]).status.code() == Some(2), "it did not become a device");
}

#[test]
fn a_device_whose_clock_is_a_day_ahead_is_named_and_what_is_done_after_reading_it_wins() {
    use vetted::sync::event::{Change, Journal, RequestKey};
    use vetted::sync::{SyncKey, folder, segment};
    let w = World::new();
    let (laptop, desktop) = pair(&w);
    // A tablet whose clock runs a day ahead accepts Kenji (written with the library, as a
    // vetted on that tablet would).
    let key = SyncKey::read(&laptop.key_file()).unwrap();
    let day = 24 * 3600 * 1000;
    let mut journal = Journal::resume("tablet", 0, None);
    let request =
        RequestKey { person: "https://www.linkedin.com/in/kenji-sato".into(), sent: "2024-06-15T20:30:00Z".into() };
    let decided = Change::Decided {
        request,
        verdict: vetted::model::Verdict::Accept,
        reason: String::new(),
        answers: Default::default(),
        defer_until: None,
        batch: None,
        decided_at: "2026-11-02T10:00:00Z".into(),
        evidence: Vec::new(),
    };
    let event = journal.record(decided, vetted::sync::hlc::wall_ms() + day + 3_600_000);
    let bytes = segment::encode(&key, [9; 16], 1, &[event]).unwrap();
    folder::write_segment(&w.dir(), "tablet", 1, &bytes).unwrap();
    let said = laptop.sync();
    assert!(said.contains("tablet's clock runs 2") && said.contains("hours ahead of this one"), "{said}");
    assert_eq!(status_of(&laptop, "Kenji Sato"), "accepted");
    // The laptop changes its mind, its own clock a day behind the tablet's stamp: still later.
    laptop.ok(&["decide", &laptop.id_of("Kenji Sato"), "--decline", "--reason", "changed my mind"]);
    settle(&[&laptop, &desktop]);
    assert_eq!(status_of(&desktop, "Kenji Sato"), "declined");
}

#[test]
fn a_missing_or_read_only_folder_fails_naming_it_and_loses_nothing() {
    let w = World::new();
    let (laptop, desktop) = pair(&w);
    laptop.ok(&["decide", &laptop.id_of("Kenji Sato"), "--accept"]);
    let moved = w.tmp.path().join("Sync-elsewhere");
    std::fs::rename(w.dir(), &moved).unwrap();
    let out = laptop.run(&["sync"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Sync"), "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::rename(&moved, w.dir()).unwrap();
    if rustix_is_root() {
        println!("running as root: the read-only folder case is left out (root writes anyway)");
    } else {
        use std::os::unix::fs::PermissionsExt;
        let own = w.dir().join("vetted-sync/laptop");
        std::fs::set_permissions(&own, std::fs::Permissions::from_mode(0o500)).unwrap();
        assert_eq!(laptop.run(&["sync"]).status.code(), Some(1));
        std::fs::set_permissions(&own, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    let said = laptop.sync();
    assert!(said.starts_with("sent 1 changes"), "the change waited: {said}");
    desktop.sync();
    assert_eq!(status_of(&desktop, "Kenji Sato"), "accepted");
}

fn rustix_is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
}

/// An export of `n` fictional people asking to connect.
fn big_export(dir: &Path, n: usize) -> String {
    std::fs::create_dir_all(dir).unwrap();
    let mut csv = String::from("From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n");
    for i in 0..n {
        let (month, day, hour, minute) = (1 + i % 12, 1 + i % 28, 1 + (i / 28) % 12, i % 60);
        csv.push_str(&format!(
            "Made-up Person {i},Pat Tester,\"{month}/{day}/24, {hour}:{minute:02} PM\",A fictional hello {i},INCOMING,\
             https://www.linkedin.com/in/made-up-person-{i},https://www.linkedin.com/in/pat-tester\n"
        ));
    }
    std::fs::write(dir.join("Invitations.csv"), csv).unwrap();
    dir.to_string_lossy().into_owned()
}

#[test]
fn kill_9_in_the_middle_of_a_sync_leaves_nothing_half_applied_and_the_next_sync_finishes() {
    let w = World::new();
    let (laptop, desktop) = (w.store("laptop"), w.store("desktop"));
    laptop.ok(&["import", &big_export(&w.tmp.path().join("export"), 3000)]);
    laptop.ok(&["decide", "--where", "sent:2024-03", "--decline", "--reason", "a made-up batch", "--yes"]);
    laptop.init(&w.dir(), "laptop");
    desktop.join(&w.dir(), "desktop", &laptop.key_file());
    desktop.ok(&["decide", "--where", "sent:2024-04", "--accept", "--yes"]);
    let mut killed = 0;
    for delay in [5u64, 20, 60, 150] {
        laptop.ok(&["decide", "--where", &format!("sent:2024-0{}", 5 + delay % 4), "--defer", "--yes"]);
        for d in [&desktop, &laptop] {
            let mut child = d.cmd().arg("sync").stdout(std::process::Stdio::null()).spawn().unwrap();
            std::thread::sleep(Duration::from_millis(delay));
            if child.try_wait().unwrap().is_none() {
                killed += 1;
            }
            let _ = child.kill(); // SIGKILL
            let _ = child.wait();
        }
    }
    println!("{killed} syncs killed before they finished");
    settle(&[&laptop, &desktop]);
    assert!(laptop.run(&["doctor"]).status.success());
}

#[test]
fn two_syncs_at_once_on_one_store_one_waits_its_turn_or_is_refused_saying_so() {
    let w = World::new();
    let (laptop, desktop) = (w.store("laptop"), w.store("desktop"));
    laptop.ok(&["import", &big_export(&w.tmp.path().join("export"), 2000)]);
    laptop.init(&w.dir(), "laptop");
    desktop.join(&w.dir(), "desktop", &laptop.key_file());
    laptop.ok(&["decide", "--where", "sent:2024-03", "--accept", "--yes"]);
    laptop.sync();
    let spawn = || {
        desktop
            .cmd()
            .arg("sync")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let outs = [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()];
    assert!(outs.iter().any(|o| o.status.success()));
    for o in outs.iter().filter(|o| !o.status.success()) {
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("another `vetted sync` is running on this store"), "{err}");
    }
    settle(&[&laptop, &desktop]);
}

/// The key: a copy others can read is named at `join` (the kept key is 0600), a kept key made
/// readable later is refused until `chmod 600`, and a FIFO or device given as the key file is
/// refused at once instead of waited on or read without end.
#[test]
fn a_key_readable_by_others_is_named_and_a_fifo_or_device_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let w = World::new();
    let (laptop, desktop, phone) = (w.store("laptop"), w.store("desktop"), w.store("phone"));
    laptop.ok(&["import", &export("export-2024-06")]);
    laptop.init(&w.dir(), "laptop");
    let copy = w.tmp.path().join("key-copy");
    std::fs::copy(laptop.key_file(), &copy).unwrap();
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o644)).unwrap();
    let said = desktop.join(&w.dir(), "desktop", &copy);
    assert!(said.contains("can be read by other users (mode 0644)") && said.contains("delete the copy"), "{said}");
    let kept = std::fs::metadata(desktop.key_file()).unwrap().permissions().mode() & 0o777;
    assert_eq!(kept, 0o600);

    std::fs::set_permissions(desktop.key_file(), std::fs::Permissions::from_mode(0o640)).unwrap();
    let out = desktop.run(&["sync"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("chmod 600"), "{err}");
    std::fs::set_permissions(desktop.key_file(), std::fs::Permissions::from_mode(0o600)).unwrap();
    desktop.sync();

    let fifo = w.tmp.path().join("key-fifo");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let dir = w.dir();
    for not_a_key in [fifo.as_path(), Path::new("/dev/zero")] {
        let args =
            ["sync", "join", dir.to_str().unwrap(), "--name", "phone", "--key-file", not_a_key.to_str().unwrap()];
        let out = phone.run(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success() && err.contains("not a vetted sync key file"), "{not_a_key:?}: {err}");
    }
}

/// A store restored from a backup older than its last sync: its next segment number is taken
/// by what it wrote after the backup. The sync refuses, writes nothing, says why and how to
/// carry on; a new store joining the folder gets every decision made before the loss.
#[test]
fn a_store_restored_from_an_older_backup_is_told_how_to_carry_on() {
    let w = World::new();
    let (laptop, desktop) = pair(&w);
    let backup = w.tmp.path().join("laptop-backup.db");
    laptop.ok(&["backup", backup.to_str().unwrap()]);
    laptop.ok(&["decide", &laptop.id_of("Kenji Sato"), "--accept"]);
    laptop.sync();
    // The disk is lost; the backup comes back in its place.
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", laptop.db().display()));
    }
    std::fs::copy(&backup, laptop.db()).unwrap();
    laptop.ok(&["decide", &laptop.id_of("Nora Vale"), "--accept"]);
    let out = laptop.run(&["sync"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("restored from a backup?") && err.contains("sync join"), "{err}");
    assert_eq!(std::fs::read_dir(w.dir().join("vetted-sync/laptop")).unwrap().count(), 2, "nothing written");

    let fresh = w.store("laptop2");
    fresh.join(&w.dir(), "laptop2", &laptop.key_file());
    desktop.sync();
    for dev in [&fresh, &desktop] {
        assert!(dev.ok(&["list", "--status", "accepted"]).contains("Kenji Sato"), "the decision made before the loss");
    }
}
