//! A store in a shared sticky folder such as `/tmp` (issue 20, item 3): another user can create
//! the store's `-wal`, `-shm` or `-journal` before vetted does, world-readable, and read the
//! notes from it or write into it. Every open (reading ones too) refuses a companion file that
//! another user owns, and makes one of the user's own that others may read private. As root
//! (CI here), the files are given to uid 65534; otherwise the test says it did not run.

use std::os::unix::fs::{MetadataExt, PermissionsExt};

mod common;
use common::env::Env;

#[test]
fn a_companion_file_another_user_made_in_a_shared_folder_is_refused_on_every_open() {
    if !rustix::process::geteuid().is_root() {
        eprintln!("not run: giving a file to another user needs root");
        return;
    }
    let env = Env::new();
    let shared = env.path("shared");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).unwrap();
    let db = shared.join("store.db");
    let db_arg = db.to_str().unwrap();
    env.ok(&["--db", db_arg, "add", "--name", "Ada Example", "--note", "private words"]);
    for suffix in ["-wal", "-shm", "-journal"] {
        let planted = shared.join(format!("store.db{suffix}"));
        std::fs::write(&planted, b"").unwrap();
        std::fs::set_permissions(&planted, std::fs::Permissions::from_mode(0o666)).unwrap();
        std::os::unix::fs::chown(&planted, Some(65534), Some(65534)).unwrap();
        for args in [
            &["--db", db_arg, "list"][..],
            &["--db", db_arg, "--read-only", "list"],
            &["--db", db_arg, "add", "--name", "Bo"],
        ] {
            env.fails(args, 1, &format!("store.db{suffix}: made by another user (uid 65534)"));
        }
        std::fs::remove_file(&planted).unwrap();
    }
    // The user's own, left readable by others: made private at the next open. (A connection
    // kept open keeps the -wal, which SQLite removes when the last one closes.)
    let keeper = rusqlite::Connection::open(&db).unwrap();
    keeper.query_row("SELECT count(*) FROM request", [], |r| r.get::<_, i64>(0)).unwrap();
    let wal = shared.join("store.db-wal");
    std::fs::set_permissions(&wal, std::fs::Permissions::from_mode(0o644)).unwrap();
    env.ok(&["--db", db_arg, "list"]);
    assert_eq!(std::fs::metadata(&wal).unwrap().mode() & 0o777, 0o600);
    drop(keeper);
    assert!(env.ok(&["--db", db_arg, "list", "--status", "all"]).contains("Ada Example"));
}
