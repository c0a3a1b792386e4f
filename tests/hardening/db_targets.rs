//! Bad `--db` targets: a folder, an image, a read-only or unreadable file, an empty one.

use super::*;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\0\x01\0\0\x05\0\x01\r\n-\xb4\0\0\0\0IEND\xaeB`\x82";

#[test]
fn db_at_a_directory_an_image_or_a_text_file_is_refused_untouched() {
    let env = Env::new();
    std::fs::create_dir(env.path("dir.db")).unwrap();
    std::fs::write(env.path("photo.png"), PNG).unwrap();
    std::fs::write(env.path("notes.txt"), "From,To\nnot a database\n".repeat(40)).unwrap();
    let before = snapshot(env.tmp.path());
    for (target, expect) in
        [("dir.db", "is a directory"), ("photo.png", "not a SQLite database"), ("notes.txt", "not a SQLite database")]
    {
        for args in [&["list"][..], &["add", "--name", "Fay Example"], &["doctor"], &["--read-only", "log"]] {
            let out = env.cmd().env("VETTED_DB", env.path(target)).args(args).output().unwrap();
            assert_eq!(out.status.code(), Some(1), "{target} {args:?}");
            let all = format!("{}{}", stderr(&out), String::from_utf8_lossy(&out.stdout));
            assert!(all.contains(expect) && !all.contains("panicked"), "{target} {args:?}: {all}");
        }
    }
    assert_eq!(snapshot(env.tmp.path()), before);
}

#[test]
fn db_read_only_file_or_folder_is_refused_untouched_and_read_only_mode_reads_it() {
    let env = Env::new();
    env.ok(&["add", "--name", "Gil Sample"]);
    std::fs::set_permissions(env.db(), std::fs::Permissions::from_mode(0o400)).unwrap();
    let before = snapshot(env.tmp.path());
    let out = env.run(&["add", "--name", "Hal Sample"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("the file is read-only"), "{}", stderr(&out));
    assert!(env.ok(&["--read-only", "list"]).contains("Gil Sample"));
    let export = env.run(&["--read-only", "export", "--format", "csv"]);
    assert!(export.status.success() && stderr(&export).is_empty(), "{}", stderr(&export));
    assert_eq!(env.run(&["--read-only", "add", "--name", "Hal Sample"]).status.code(), Some(2));
    assert_eq!(snapshot(env.tmp.path()), before);

    std::fs::set_permissions(env.db(), std::fs::Permissions::from_mode(0o600)).unwrap();
    std::fs::set_permissions(env.tmp.path(), std::fs::Permissions::from_mode(0o500)).unwrap();
    let before = snapshot(env.tmp.path());
    let out = env.run(&["decide", "1", "--accept"]);
    let read = env.run(&["--read-only", "list"]);
    let after = snapshot(env.tmp.path());
    std::fs::set_permissions(env.tmp.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("its folder is read-only"), "{}", stderr(&out));
    assert!(read.status.success() && String::from_utf8_lossy(&read.stdout).contains("Gil Sample"), "{}", stderr(&read));
    assert_eq!(after, before);
}

/// Runs vetted (set up by `setup`) to the end as a user that mode bits apply to: as root, as
/// nobody (65534), in a folder made traversable for it, from a copy of the binary it can reach
/// (the build folder may be private). `None` (said on stderr) when root cannot drop privileges.
fn output_unprivileged(env: &Env, setup: impl Fn(&mut Command) -> &mut Command) -> Option<Output> {
    if !is_root() {
        return Some(setup(&mut env.cmd()).output().unwrap());
    }
    std::fs::set_permissions(env.tmp.path(), std::fs::Permissions::from_mode(0o711)).unwrap();
    let bin_dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(bin_dir.path(), std::fs::Permissions::from_mode(0o711)).unwrap();
    let bin = bin_dir.path().join("vetted");
    std::fs::copy(BIN, &bin).unwrap();
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    // A copy just written may still be open in a child that another test is forking
    // (ETXTBSY until that child execs): try again a few times.
    let mut tries = 0;
    let spawned = loop {
        match setup(&mut env.cmd_with(&bin)).uid(65534).gid(65534).output() {
            Err(e) if e.raw_os_error() == Some(libc::ETXTBSY) && tries < 50 => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(20));
            }
            other => break other,
        }
    };
    match spawned {
        Ok(out) => Some(out),
        Err(e) if e.raw_os_error() == Some(libc::EPERM) => {
            eprintln!("not run: root here cannot switch to uid 65534 ({e}), and root reads a chmod 000 file");
            None
        }
        Err(e) => panic!("spawn as uid 65534: {e}"),
    }
}

#[test]
fn db_unreadable_file_is_a_clear_error() {
    let env = Env::new();
    env.ok(&["add", "--name", "Ida Sample"]);
    std::fs::set_permissions(env.db(), std::fs::Permissions::from_mode(0o000)).unwrap();
    let before = snapshot(env.tmp.path());
    for args in [&["list"][..], &["add", "--name", "Jan Sample"], &["--read-only", "list"], &["doctor"]] {
        let Some(out) = output_unprivileged(&env, |c| c.args(args)) else { return };
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let expect = format!("{}: cannot open: Permission denied", env.db().display());
        assert!(
            format!("{}{}", stderr(&out), String::from_utf8_lossy(&out.stdout)).contains(&expect),
            "{}",
            stderr(&out)
        );
    }
    assert_eq!(snapshot(env.tmp.path()), before);
}

#[test]
fn an_unreadable_config_file_is_a_clear_error_before_the_terminal_is_touched() {
    let env = Env::new();
    let config = env.path("config.toml");
    std::fs::write(&config, "[keymap]\naccept = \"a\"\n").unwrap();
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o000)).unwrap();
    let before = snapshot(env.tmp.path());
    // No arguments: the review app, which must stop before raw mode or the alternate screen.
    for args in [&[][..], &["list"], &["config", "path"]] {
        let Some(out) = output_unprivileged(&env, |c| c.env("VETTED_CONFIG", &config).args(args)) else { return };
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let expect = format!("vetted: {}: cannot read the config file: Permission denied", config.display());
        assert!(stderr(&out).starts_with(&expect), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{args:?}: {}", String::from_utf8_lossy(&out.stdout));
    }
    assert_eq!(snapshot(env.tmp.path()), before);
}

#[test]
fn db_zero_length_file_becomes_a_new_empty_store() {
    let env = Env::new();
    std::fs::write(env.db(), b"").unwrap();
    assert!(env.ok(&["list"]).contains("(none)"));
    env.ok(&["add", "--name", "Jo Sample"]);
    assert!(env.ok(&["list"]).contains("Jo Sample"));
    assert!(std::fs::read(env.db()).unwrap().starts_with(b"SQLite format 3\0"));
}
