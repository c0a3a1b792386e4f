//! Two processes on one store: both land, or the second says the store is in use.

use super::*;

#[test]
fn concurrent_decides_all_land() {
    let env = Env::new();
    store_with_rows(&env, 20);
    let children: Vec<Child> = (1..=12)
        .map(|i| {
            let id = (1 + i % 6).to_string(); // two processes on each of six requests
            let verdict = if i > 6 { "--accept" } else { "--defer" }; // the same verdict twice is refused
            env.cmd()
                .args(["decide", &id, verdict, "--reason", &format!("r{i}")])
                .stdout(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert_eq!(env.count("SELECT count(*) FROM decision"), 12);
    assert_eq!(env.count("SELECT count(DISTINCT reason) FROM decision"), 12);
    assert_eq!(integrity(&env.db()), "ok");
}

#[test]
fn a_second_writer_waits_then_says_the_store_is_in_use() {
    let env = Env::new();
    env.ok(&["add", "--name", "Eli Sample"]);
    let holder = Connection::open(env.db()).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let start = Instant::now();
    let out = env.run(&["decide", "1", "--accept"]);
    let waited = start.elapsed();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("the store is in use"), "{}", stderr(&out));
    assert!(waited >= Duration::from_millis(4500), "waited only {waited:?}");
    holder.execute_batch("ROLLBACK").unwrap();

    // A lock released within the timeout: the second one waits and lands.
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let child = env.cmd().args(["decide", "1", "--accept"]).stdout(Stdio::null()).spawn().unwrap();
    std::thread::sleep(Duration::from_millis(800));
    holder.execute_batch("COMMIT").unwrap();
    assert!(child.wait_with_output().unwrap().status.success());
    assert_eq!(env.count("SELECT count(*) FROM decision"), 1);
}
