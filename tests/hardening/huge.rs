//! Huge structured inputs within the memory budget; damaged backups refused whole.

use super::*;

/// Runs `cmd` to the end; its exit code and peak RSS in MiB (wait4's ru_maxrss).
#[allow(clippy::zombie_processes)] // reaped by wait4, which also gives the peak RSS
fn peak_rss_mib(cmd: &mut Command) -> (Option<i32>, i64) {
    let child = cmd.stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 fills it for our own child, reaped here.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    // SAFETY: waits for the child spawned above, with valid out-pointers.
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(rc, pid);
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    (code, usage.ru_maxrss / 1024)
}

#[test]
fn a_toml_file_at_the_size_limit_imports_within_the_memory_budget() {
    let env = Env::new();
    // Just under the 8 MiB limit for files parsed whole.
    let toml = env.path("requests.toml");
    let mut text = String::new();
    let mut i = 0;
    loop {
        let record = format!(
            "[[request]]\nname = \"Toml Example{i}\"\nsent_at = \"2026-11-01\"\nprofile_url = \"https://www.linkedin.com/in/toml-{i}\"\n\n"
        );
        if text.len() + record.len() > 8 * 1024 * 1024 {
            break;
        }
        text.push_str(&record);
        i += 1;
    }
    std::fs::write(&toml, &text).unwrap();
    let (code, rss) = peak_rss_mib(env.cmd().args(["import", toml.to_str().unwrap()]));
    assert_eq!(code, Some(0));
    assert_eq!(env.count("SELECT count(*) FROM request"), i as i64);
    assert!(rss <= 256, "peak RSS {rss} MiB for {i} TOML records");
    println!("{i} TOML records (8 MiB): peak RSS {rss} MiB");

    // One byte more is refused at once, before anything is read into memory.
    text.push_str(&" ".repeat(8 * 1024 * 1024 + 1 - text.len()));
    let big = env.path("big.toml");
    std::fs::write(&big, &text).unwrap();
    let out = env.run(&["import", big.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("over the 8 MiB limit for TOML and JSON"), "{}", stderr(&out));
    assert_eq!(env.count("SELECT count(*) FROM request"), i as i64);
}

/// A backup as `vetted export --format json` writes it: `n` people, each with a declined
/// request, a checklist answer and a decision, with a message and a reason of 1,000 bytes.
fn big_backup(path: &Path, n: usize) {
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let (at, long) = ("2026-11-01T10:00:00Z", "x".repeat(1000));
    write!(w, "{{\"vetted_backup\": 1, \"exported_at\": \"{at}\",\n\"people\": [").unwrap();
    for i in 1..=n {
        let sep = if i == 1 { "\n" } else { ",\n" };
        write!(
            w,
            "{sep}{{\"id\":{i},\"key\":\"https://www.linkedin.com/in/ada-{i}\",\"name\":\"Ada Example{i}\",\
             \"profile_url\":\"https://www.linkedin.com/in/ada-{i}\",\"headline\":null,\"company\":null,\
             \"location\":null,\"mutual_connections\":null,\"shared_groups\":null,\"introduced_by\":null,\
             \"connected_on\":null,\"notes\":\"met at {i}\"}}"
        )
        .unwrap();
    }
    write!(w, "\n],\n\"requests\": [").unwrap();
    for i in 1..=n {
        let sep = if i == 1 { "\n" } else { ",\n" };
        write!(
            w,
            "{sep}{{\"id\":{i},\"person_id\":{i},\"source\":\"manual\",\"sent_at\":\"{at}\",\"sent_at_raw\":null,\
             \"message\":\"{long}\",\"hints\":\"\",\"status\":\"declined\",\"earlier_decline\":null,\
             \"added_at\":\"{at}\",\"defer_until\":null,\"done_on_linkedin\":null}}"
        )
        .unwrap();
    }
    write!(w, "\n],\n\"answers\": [").unwrap();
    for i in 1..=n {
        let sep = if i == 1 { "\n" } else { ",\n" };
        write!(w, "{sep}{{\"request_id\":{i},\"item\":\"know_like_trust\",\"value\":true}}").unwrap();
    }
    write!(w, "\n],\n\"decisions\": [").unwrap();
    for i in 1..=n {
        let sep = if i == 1 { "\n" } else { ",\n" };
        write!(
            w,
            "{sep}{{\"id\":{i},\"request_id\":{i},\"status\":\"declined\",\"reason\":\"{long}\",\
             \"answers\":{{\"know_like_trust\":true}},\"supersedes\":null,\"undo\":false,\"decided_at\":\"{at}\",\
             \"defer_until\":null}}"
        )
        .unwrap();
    }
    writeln!(w, "\n]\n}}").unwrap();
    w.flush().unwrap();
}

#[test]
fn a_large_json_backup_restores_within_the_memory_budget() {
    let env = Env::new();
    let backup = env.path("backup.json");
    // Large enough that half of it is over the budget (a 106 MiB backup restored in 52–53 MiB,
    // right at that half).
    let n = 60_000;
    big_backup(&backup, n);
    let size = std::fs::metadata(&backup).unwrap().len() / (1024 * 1024);
    let (code, rss) = peak_rss_mib(env.cmd().args(["import", backup.to_str().unwrap()]));
    assert_eq!(code, Some(0));
    for table in ["person", "note", "request", "answer", "decision"] {
        assert_eq!(env.count(&format!("SELECT count(*) FROM {table}")), n as i64, "{table}");
    }
    assert_eq!(integrity(&env.db()), "ok");
    println!("{n} decisions ({size} MiB backup): peak RSS {rss} MiB");
    assert!(rss <= 64 && rss < size as i64 / 2, "peak RSS {rss} MiB for a {size} MiB backup");
}

#[test]
fn a_damaged_backup_is_a_clear_error_and_stores_nothing() {
    let env = Env::new();
    let good = env.path("good.json");
    big_backup(&good, 300);
    let text = std::fs::read_to_string(&good).unwrap();
    let cut = env.path("cut.json");
    std::fs::write(&cut, &text[..text.len() * 9 / 10]).unwrap();
    // The last decision given the id of the first: the store refuses it, after all else is in.
    let last = text.rfind("{\"id\":300,").unwrap();
    let dup = env.path("dup.json");
    std::fs::write(&dup, format!("{}{{\"id\":1,{}", &text[..last], &text[last + 10..])).unwrap();
    let newer = env.path("newer.json");
    std::fs::write(&newer, text.replacen("\"vetted_backup\": 1", "\"vetted_backup\": 2", 1)).unwrap();
    for (file, expect) in [
        (&newer, format!("{}: backup format 2 is newer than this vetted knows; nothing", newer.display())),
        (&cut, format!("{}: not a readable vetted backup: EOF while parsing a string at line 1", cut.display())),
        (
            &dup,
            format!("{}: decisions #300: UNIQUE constraint failed: decision.id; nothing was imported", dup.display()),
        ),
    ] {
        let out = env.run(&["import", file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(stderr(&out).contains(&expect), "{}", stderr(&out));
        for table in ["person", "note", "request", "answer", "decision"] {
            assert_eq!(env.count(&format!("SELECT count(*) FROM {table}")), 0, "{table}");
        }
    }
    env.ok(&["import", good.to_str().unwrap()]);
    assert_eq!(env.count("SELECT count(*) FROM decision"), 300);
}
