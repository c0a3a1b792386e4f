//! `vetted forget`: every trace of a person gone from the file, a tombstone left.

use super::*;

#[test]
fn forget_removes_every_trace_of_a_person_from_the_file_and_leaves_a_tombstone() {
    let env = Env::new();
    let secrets = [
        "Quintessa Forgettable",
        "https://www.linkedin.com/in/quintessa-forgettable",
        "we met at the glassblowing retreat",
        "owes me a pottery wheel",
        "too pushy about the timeshare",
    ];
    env.ok(&["add", "--name", secrets[0], "--url", secrets[1], "--message", secrets[2], "--note", secrets[3]]);
    env.ok(&["add", "--name", "Remy Keeper", "--message", "stays"]);
    env.ok(&["decide", "1", "--defer"]);
    env.ok(&["decide", "1", "--decline", "--reason", secrets[4], "--flag", "selling"]);
    env.ok(&["decide", "2", "--accept"]);
    // A second request from the same person, imported.
    let csv = env.path("Invitations.csv");
    std::fs::write(
        &csv,
        format!(
            "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n\
             {},Me,\"6/20/24, 4:15 PM\",{} again,INCOMING,{}/,https://www.linkedin.com/in/me\n",
            secrets[0], secrets[2], secrets[1]
        ),
    )
    .unwrap();
    env.ok(&["import", csv.to_str().unwrap()]);

    // Keep a reader open so the WAL stays, as while the app runs: the bytes are there now.
    let reader = Connection::open(env.db()).unwrap();
    let _: i64 = reader.query_row("SELECT count(*) FROM request", [], |r| r.get(0)).unwrap();
    let bytes = files_bytes(&env.db());
    for s in secrets {
        assert!(contains(&bytes, s), "before: {s:?} is in the files");
    }
    drop(reader);

    let out = env.run(&["forget", "https://www.linkedin.com/in/Quintessa-Forgettable/"]);
    assert_eq!(out.status.code(), Some(2), "no --yes, no terminal: refused");
    assert_eq!(env.count("SELECT count(*) FROM person"), 2);

    let text = env.ok(&["forget", "https://www.linkedin.com/in/Quintessa-Forgettable/", "--yes"]);
    assert!(text.contains("2 request(s), 2 decision(s), 1 note(s), 1 checklist answer(s)"), "{text}");
    assert!(
        text.contains(
            "their invitation is still on LinkedIn; the next import brings it back (as a new request) unless you \
             ignore it there"
        ),
        "{text}"
    );
    // So it does: the same file again brings them back, as new.
    let again = env.ok(&["import", csv.to_str().unwrap()]);
    assert!(again.contains("1 new request"), "{again}");
    let text = env.ok(&["forget", "https://www.linkedin.com/in/Quintessa-Forgettable/", "--yes"]);
    assert!(text.contains("still on LinkedIn"), "{text}");

    let bytes = files_bytes(&env.db());
    for s in secrets {
        assert!(!contains(&bytes, s), "after: {s:?} is still in the files");
    }
    assert!(contains(&bytes, "Remy Keeper"), "the others stay");
    assert_eq!(integrity(&env.db()), "ok");
    assert_eq!(env.count("SELECT count(*) FROM person"), 1);
    assert_eq!(env.count("SELECT count(*) FROM decision"), 1);
    assert_eq!(env.count("SELECT count(*) FROM forgotten WHERE requests = 2 AND decisions = 2"), 1);
    assert!(env.ok(&["log"]).contains("Remy Keeper"));

    let out = env.run(&["forget", "1", "--yes"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no request with id 1"), "{}", stderr(&out));
}
