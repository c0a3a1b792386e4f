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
    assert!(env.ok(&["import", folder.to_str().unwrap()]).contains("new invitations from"));
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

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

#[test]
fn a_store_folder_open_to_others_is_made_private_or_refused_with_the_fix() {
    let env = Env::new();
    // A data folder left 0777, holding only the store: made private, said once.
    let data = env.path("data");
    let db = data.join("v.db");
    let d = db.to_str().unwrap();
    env.ok(&["--db", d, "add", "--name", "Ada Example"]);
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o777)).unwrap();
    let out = env.run(&["--db", d, "list"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("data: the store's folder was open to others (mode 777); made private (0700)"), "{err}");
    assert_eq!(mode(&data), 0o700);
    assert!(env.run(&["--db", d, "list"]).stderr.is_empty(), "said once");

    // The data folder a symbolic link into a shared folder: the folder it points at is the
    // store's own, so it is made private, and the message says where the link goes.
    let shared = env.path("shared");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o777)).unwrap();
    let linked = env.path("linked");
    std::os::unix::fs::symlink(&shared, &linked).unwrap();
    let db = linked.join("v.db");
    let out = env.run(&["--db", db.to_str().unwrap(), "add", "--name", "Bo Example"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("linked (a link to") && err.contains("made private (0700)"), "{err}");
    assert_eq!(mode(&shared), 0o700);

    // A shared folder others can write, holding other files: not vetted's to change; refused
    // with the fix, and nothing is created or changed there.
    let common = env.path("common");
    std::fs::create_dir(&common).unwrap();
    std::fs::write(common.join("someone-else.txt"), "theirs").unwrap();
    std::fs::set_permissions(&common, std::fs::Permissions::from_mode(0o777)).unwrap();
    let db = common.join("v.db");
    env.fails(&["--db", db.to_str().unwrap(), "add", "--name", "Cy Example"], 1, "can be written by others");
    env.fails(&["--db", db.to_str().unwrap(), "list"], 1, "chmod 700 DIR");
    assert_eq!(mode(&common), 0o777);
    assert!(!db.exists());

    // A sticky shared folder (as /tmp): nobody else can rename or remove the store there.
    let sticky = env.path("sticky");
    std::fs::create_dir(&sticky).unwrap();
    std::fs::write(sticky.join("someone-else.txt"), "theirs").unwrap();
    std::fs::set_permissions(&sticky, std::fs::Permissions::from_mode(0o1777)).unwrap();
    let db = sticky.join("v.db");
    env.ok(&["--db", db.to_str().unwrap(), "add", "--name", "Di Example"]);
    assert_eq!(mode(&sticky), 0o1777, "not vetted's to change");
    assert_eq!(mode(&db) & 0o077, 0, "the store itself private");
}

#[test]
fn forget_by_a_url_several_people_share_forgets_each_after_naming_them() {
    let env = Env::new();
    let url = "https://www.linkedin.com/in/shared-url";
    env.ok(&["add", "--name", "Ada Example", "--url", url]);
    env.ok(&["add", "--name", "Ada Exampel"]);
    env.ok(&["add", "--name", "Bo Staying"]);
    // A connection found by name can be given the URL another person is keyed by.
    let conn = rusqlite::Connection::open(env.path("v.db")).unwrap();
    conn.execute("UPDATE person SET profile_url = ?1 WHERE name = 'Ada Exampel'", [url]).unwrap();
    drop(conn);
    env.fails(&["forget", url], 2, "forgetting Ada Example, Ada Exampel cannot be undone");
    let out = env.ok(&["forget", url, "--yes"]);
    assert!(out.contains("2 people have this profile URL: Ada Example, Ada Exampel"), "{out}");
    assert!(out.contains("forgot Ada Example:") && out.contains("forgot Ada Exampel:"), "{out}");
    let left = env.ok(&["list", "--status", "all"]);
    assert!(left.contains("Bo Staying") && !left.contains("Ada"), "{left}");
}

#[test]
fn a_backup_with_a_key_given_twice_or_a_negative_count_is_refused_naming_the_field() {
    let env = Env::new();
    env.ok(&["add", "--name", "Ada Example", "--url", "https://www.linkedin.com/in/ada"]);
    env.ok(&["decide", "1", "--decline", "--reason", "no note", "--flag", "selling"]);
    let backup = env.ok(&["export", "--format", "json"]);
    assert!(backup.contains("\"mutual_connections\":null") && backup.contains("\"answers\":{\"selling\":true}"));
    let cases = [
        (backup.replace("\"mutual_connections\":null", "\"mutual_connections\":-3"), "mutual_connections is -3"),
        (
            backup.replace("\"answers\":{\"selling\":true}", "\"answers\":{\"selling\":true,\"selling\":false}"),
            "answers: the item `selling` is given twice",
        ),
        (
            backup.replace("\"name\":\"Ada Example\"", "\"name\":\"Ada Example\",\"name\":\"Eve\""),
            "duplicate field `name`",
        ),
    ];
    for (i, (text, says)) in cases.iter().enumerate() {
        assert_ne!(text, &backup, "case {i} changed nothing");
        let file = env.path(&format!("backup{i}.json"));
        std::fs::write(&file, text).unwrap();
        let db = env.path(&format!("restored{i}.db"));
        env.fails(&["--db", db.to_str().unwrap(), "import", file.to_str().unwrap()], 1, says);
        assert!(env.ok(&["--db", db.to_str().unwrap(), "list", "--status", "all", "--json"]).trim() == "[]");
    }
}

#[test]
fn a_row_with_fewer_fields_than_the_header_in_the_middle_of_a_file_is_reported_not_stored() {
    let env = Env::new();
    let csv = env.path("Invitations.csv");
    std::fs::write(
        &csv,
        "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n\
         Ada Example,You,\"11/2/26, 9:00 AM\",,INCOMING,https://www.linkedin.com/in/ada-example,\n\
         Bo Short,You,\"11/3/26, 9:00 AM\",,INCOMING\n\
         Cy Example,You,\"11/4/26, 9:00 AM\",,INCOMING,https://www.linkedin.com/in/cy-example,\n",
    )
    .unwrap();
    let report = env.json(&["import", csv.to_str().unwrap(), "--json"]);
    assert_eq!((report["new"].as_u64(), report["invalid"].as_u64()), (Some(2), Some(1)), "{report}");
    let problem = &report["problems"][0];
    assert!(problem["at"].as_str().unwrap().ends_with("Invitations.csv:3"), "{problem}");
    assert_eq!(problem["reason"], "5 fields where the header has 7");
    let names: Vec<String> =
        env.json(&["list", "--json"]).as_array().unwrap().iter().map(|r| r["name"].to_string()).collect();
    assert!(!names.iter().any(|n| n.contains("Bo Short")), "{names:?}");
}

#[test]
fn tag_characters_and_hangul_fillers_show_as_stand_ins_in_the_command_line_and_are_hinted() {
    let env = Env::new();
    let name = "Ada\u{E0041}\u{E0042} \u{3164}Lovelace";
    env.ok(&["add", "--name", name, "--message", "hello\u{115F}"]);
    let listed = env.ok(&["list"]);
    assert!(!listed.contains('\u{E0041}') && !listed.contains('\u{3164}') && !listed.contains('\u{115F}'), "{listed}");
    assert!(listed.contains("Ada"), "{listed}");
    let rows = env.json(&["list", "--json"]);
    assert_eq!(rows[0]["hints"][0], "hidden_characters", "{rows}");
}
