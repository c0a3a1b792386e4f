//! `vetted doctor`: a healthy store passes, each problem is named.

use super::*;

#[test]
fn doctor_passes_a_healthy_private_store_and_names_each_problem() {
    let env = Env::new();
    env.ok(&["add", "--name", "Bea Sample"]);
    let out = env.run(&["doctor"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    for name in ["integrity", "permissions", "schema", "free space"] {
        assert!(text.lines().any(|l| l.starts_with(name) && l.contains(" ok: ")), "{name}: {text}");
    }

    std::fs::set_permissions(env.db(), std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = env.run(&["doctor"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.lines().any(|l| l.starts_with("permissions") && l.contains("problem: ") && l.contains("0644")),
        "{text}"
    );
    assert!(text.lines().any(|l| l.starts_with("integrity") && l.contains(" ok: ")), "{text}");
}

#[test]
fn doctor_without_a_database_is_a_problem_and_creates_nothing() {
    let env = Env::new();
    let out = env.run(&["doctor"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("problem: no database"));
    assert!(!env.db().exists());
}
