//! The sync folder carried by a real git repository: a bare repository in a temp folder, a
//! clone on each machine, `git add/commit/push/pull` around `vetted sync`. Segments are never
//! changed once written, so git only ever adds files: no merge conflicts.

use super::{Dev, World, export};
use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=Fictional Tester",
            "-c",
            "user.email=tester@example.invalid",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// `vetted sync`, then the folder committed, pulled and pushed.
fn sync_through_git(d: &Dev, clone: &Path) {
    git(clone, &["pull", "--quiet", "--rebase", "origin", "main"]);
    d.sync();
    git(clone, &["add", "-A"]);
    let _ = Command::new("git")
        .args([
            "-c",
            "user.name=Fictional Tester",
            "-c",
            "user.email=tester@example.invalid",
            "commit",
            "-qm",
            "vetted sync",
        ])
        .current_dir(clone)
        .output();
    git(clone, &["push", "--quiet", "origin", "HEAD:main"]);
}

#[test]
fn a_git_repository_carries_the_folder_between_two_stores() {
    if Command::new("git").arg("--version").output().is_err() {
        println!("git is not installed: the run through a git repository was left out");
        return;
    }
    let w = World::new();
    let bare = w.tmp.path().join("remote.git");
    std::fs::create_dir_all(&bare).unwrap();
    git(&bare, &["init", "--quiet", "--bare"]);
    let (laptop, desktop) = (w.store("laptop"), w.store("desktop"));
    let (a, b) = (w.tmp.path().join("laptop-sync"), w.tmp.path().join("desktop-sync"));
    git(w.tmp.path(), &["clone", "--quiet", bare.to_str().unwrap(), a.to_str().unwrap()]);
    git(&a, &["commit", "--quiet", "--allow-empty", "-m", "start"]);
    git(&a, &["push", "--quiet", "origin", "HEAD:main"]);
    git(w.tmp.path(), &["clone", "--quiet", bare.to_str().unwrap(), b.to_str().unwrap()]);

    laptop.ok(&["import", &export("export-2024-06")]);
    laptop.init(&a, "laptop");
    sync_through_git(&laptop, &a);
    git(&b, &["pull", "--quiet", "--rebase", "origin", "main"]);
    desktop.join(&b, "desktop", &laptop.key_file());
    desktop.ok(&["decide", &desktop.id_of("Kenji Sato"), "--accept"]);
    sync_through_git(&desktop, &b);
    laptop.ok(&["decide", &laptop.id_of("Rosa Blanca"), "--decline", "--reason", "template"]);
    sync_through_git(&laptop, &a);
    sync_through_git(&desktop, &b);
    sync_through_git(&laptop, &a);
    assert_eq!(laptop.log(), desktop.log());
    assert_eq!(laptop.list(), desktop.list());
    assert_eq!(laptop.log().len(), 2);
}
