//! `vetted forget` reaches every table that can name a person (issue 20, item 2): the user's
//! connections too, by profile URL and — when a URL cannot tell — by name, so that `doctor`'s
//! "every forgotten person is scrubbed" is true of every table. All people are fictional.

mod common;
use common::env::Env;

/// An export in which Quintessa (a URL, 2024) and Rufus (no URLs, a pre-2023 export) asked to
/// connect and are connections now, and Sol is a connection who never asked.
fn export(env: &Env, folder: &str, with_urls: bool) -> String {
    let dir = env.path(folder);
    std::fs::create_dir_all(&dir).unwrap();
    let (inv, con) = if with_urls {
        (
            "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n\
             Quintessa Forgettable,You,\"3/2/24, 9:00 AM\",Hello from the meetup,INCOMING,https://www.linkedin.com/in/quintessa-f,\n",
            "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n\
             Quintessa,Forgettable,https://www.linkedin.com/in/quintessa-f,,Fernwood,Engineer,05 Mar 2024\n\
             Sol,Keeper,https://www.linkedin.com/in/sol-keeper,,Fernwood,Engineer,01 Jan 2024\n",
        )
    } else {
        (
            "From,To,Sent At,Message,Direction\nRufus Vanishing,You,\"3/2/21, 9:00 AM\",,INCOMING\n",
            "First Name,Last Name,Email Address,Company,Position,Connected On\n\
             Rufus,Vanishing,,Fernwood,Engineer,05 Mar 2021\n\
             Sol,Keeper,,Fernwood,Engineer,01 Jan 2021\n",
        )
    };
    std::fs::write(dir.join("Invitations.csv"), inv).unwrap();
    std::fs::write(dir.join("Connections.csv"), con).unwrap();
    dir.display().to_string()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn forget_removes_a_person_from_the_connections_too() {
    for (with_urls, name, who) in
        [(true, "Quintessa", "https://www.linkedin.com/in/quintessa-f"), (false, "Rufus", "1")]
    {
        let env = Env::new();
        let folder = export(&env, "export", with_urls);
        env.ok(&["import", &folder]);
        assert!(env.ok(&["export", "--format", "json"]).contains(name), "{name} is in the store");
        let said = env.ok(&["forget", who, "--yes"]);
        assert!(said.contains("1 connection row(s)"), "{said}");

        let backup = env.ok(&["export", "--format", "json"]);
        assert!(!backup.contains(name) && backup.contains("Sol"), "{name} in a later backup:\n{backup}");
        let bytes = std::fs::read(env.path("v.db")).unwrap();
        assert!(!contains(&bytes, name), "{name} remains in the file");
        let out = env.run(&["doctor"]);
        let doctor = String::from_utf8_lossy(&out.stdout);
        assert!(doctor.contains("forget       ok: every forgotten person is scrubbed from the file"), "{doctor}");
    }
}

/// An export in which the user invited Tamsin (with her URL) and Umberto (a pre-2023 export,
/// no URLs); neither ever asked, so neither is a person in the store.
fn outgoing_export(env: &Env) -> String {
    let dir = env.path("outgoing");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("Invitations.csv"),
        "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n\
         You,Tamsin Invitee,\"3/2/24, 9:00 AM\",,OUTGOING,https://www.linkedin.com/in/you,https://www.linkedin.com/in/tamsin-i\n\
         You,Umberto Invitee,\"3/4/24, 9:00 AM\",,OUTGOING,https://www.linkedin.com/in/you,\n\
         Ada Example,You,\"3/5/24, 9:00 AM\",,INCOMING,https://www.linkedin.com/in/ada-example,\n",
    )
    .unwrap();
    dir.display().to_string()
}

#[test]
fn forget_reaches_people_the_user_only_invited() {
    let env = Env::new();
    env.ok(&["import", &outgoing_export(&env)]);
    let bytes = std::fs::read(env.path("v.db")).unwrap();
    assert!(contains(&bytes, "tamsin-i") && contains(&bytes, "umberto invitee"), "kept to tell 'you invited them'");
    let said = env.ok(&["forget", "https://www.linkedin.com/in/tamsin-i", "--yes"]);
    assert!(said.contains("1 outgoing invitation(s)"), "{said}");
    let said = env.ok(&["forget", "Umberto Invitee", "--yes"]);
    assert!(said.contains("1 outgoing invitation(s)"), "{said}");
    let bytes = std::fs::read(env.path("v.db")).unwrap();
    assert!(!contains(&bytes, "tamsin") && !contains(&bytes, "umberto"), "an invitee remains in the file");
    let out = env.run(&["forget", "Nobody Known", "--yes"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let out = env.run(&["doctor"]);
    let doctor = String::from_utf8_lossy(&out.stdout);
    assert!(doctor.contains("forget       ok: every forgotten person is scrubbed from the file"), "{doctor}");
    assert!(
        doctor.contains("evidence     ok: every finding and campaign key belongs to a stored request; 0 of"),
        "{doctor}"
    );
    assert!(env.ok(&["list"]).contains("Ada Example"), "others stay");
}
