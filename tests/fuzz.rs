//! Property / fuzz runs of the parsers that read untrusted input: no panic on any input.
//! Normal runs use proptest's default case count; the README's counts come from
//! `PROPTEST_CASES=1000000 cargo test --release --test fuzz` (importers: see README).

use proptest::prelude::*;
use std::path::Path;
use vetted::config::Config;
use vetted::import::{self, Options, dates, url};
use vetted::store::Store;

/// Strings that look like what the parsers expect, with random damage; plus plain noise.
fn near(templates: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        (proptest::sample::select(templates), any::<String>(), 0usize..64).prop_map(|(t, noise, at)| {
            let mut s = t.to_string();
            let at = (0..=at.min(s.len())).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0);
            s.insert_str(at, &noise);
            s
        }),
        (1u32..40, 0u32..40, 0u32..120, 0u32..30, 0u32..70, any::<bool>())
            .prop_map(|(m, d, y, h, min, pm)| format!("{m}/{d}/{y}, {h}:{min:02} {}", if pm { "PM" } else { "AM" })),
    ]
}

const URLS: &[&str] = &[
    "https://www.linkedin.com/in/ada-example",
    "http://LinkedIn.com/in/%E6%97%A5%E6%9C%AC/?x=1#f",
    "https://www.linkedin.com/in",
    "www.linkedin.com/pub/x/1/2",
    "https://user@de.linkedin.com/in/zoë/",
];
/// Whole examples and short runs of the characters a parser treats specially, glued together:
/// those characters side by side far more often than in random text.
fn glued(
    examples: &'static [&'static str],
    special: impl Strategy<Value = String> + 'static,
) -> impl Strategy<Value = String> {
    let piece = prop_oneof![proptest::sample::select(examples).prop_map(String::from), special, "[a-zA-Z]{1,8}"];
    proptest::collection::vec(piece, 1..8).prop_map(|v| v.concat())
}

/// URL pieces and `%XX` escapes glued together: what trimming, cutting at `?`/`#` and
/// percent-decoding treat specially.
fn url_like() -> impl Strategy<Value = String> {
    glued(URLS, prop_oneof!["[%?#/ @:.a-fA-F0-9\t]{1,4}", "%[0-9a-fA-F]{2}"])
}

const DATES: &[&str] = &["8/26/22, 8:56 PM", "09 Sep 2022", "2026-11-25", "2026-11-25T10:00:00Z", "12/31/99, 12:00 AM"];
const CONFIGS: &[&str] = &[
    "database = \"~/v.db\"\n[keymap]\naccept = \"a\"\n",
    "checklist = \"c.toml\"\n[theme]\naccent = \"blue\"\n",
    "[keymap]\nquit = [\"q\", \"ctrl-c\"]\n",
];

const NOTES: &[&str] = &[
    "We're hiring in Helsinki, 5,800–6,800 €/kk. Happy to talk.",
    "Returns of 10–20% a week, guaranteed. Message me on WhatsApp +44 7700 900123.",
    "Hi {first_name}, our agency cuts costs by 40%: $99/month. Book a demo at https://bit.ly/x",
    "Jonas Weber suggested I reach out about your talk — ¿hablamos? أود التواصل",
];
/// Pieces of notes glued together: currency signs, percent signs, digits, dashes and wide
/// characters next to each other.
fn note_like() -> impl Strategy<Value = String> {
    glued(NOTES, "[0-9.,$€£¥₹%–—→٣日 {}\\[\\]<>@:/]{1,4}".prop_map(String::from))
}

fn builtin_phrases() -> &'static vetted::evidence::Phrases {
    static PHRASES: std::sync::OnceLock<vetted::evidence::Phrases> = std::sync::OnceLock::new();
    PHRASES.get_or_init(vetted::evidence::Phrases::builtin)
}

proptest! {
    #[test]
    fn the_detectors_never_panic(s in prop_oneof![near(NOTES), note_like()]) {
        let connections = vetted::evidence::Connections::new(["Jonas Weber"]);
        let ctx = vetted::evidence::Context {
            sender_name: "Ada Example", user_first_name: None, connections: &connections, invited_on: None,
        };
        let _ = vetted::evidence::evaluate(builtin_phrases(), &s, &ctx);
        let _ = vetted::evidence::campaign_key(builtin_phrases(), &s, "Ada Example", Some("Sam"));
    }

    #[test]
    fn url_normaliser_never_panics(s in prop_oneof![near(URLS), url_like()]) {
        // And normalising is idempotent: a normalised URL normalises to itself.
        if let Some(u) = url::normalize(&s) {
            prop_assert_eq!(url::normalize(&u), Some(u.clone()));
        }
    }

    #[test]
    fn date_parsers_never_panic(s in near(DATES)) {
        let _ = dates::linkedin_sent_at(&s);
        let _ = dates::linkedin_connected_on(&s);
        let _ = dates::any(&s);
    }

    #[test]
    fn config_parser_never_panics(s in near(CONFIGS)) {
        let _ = Config::parse(&s, Path::new("/nonexistent/config.toml"));
    }
}

thread_local! {
    static SCRATCH: tempfile::TempDir = tempfile::tempdir().unwrap();
    static STORE: std::cell::RefCell<Store> = std::cell::RefCell::new(Store::in_memory().unwrap());
    static BACKUP_STORE: std::cell::RefCell<Store> = std::cell::RefCell::new(Store::in_memory().unwrap());
}

proptest! {
    // Each case is a file and an in-memory store: fewer by default.
    #![proptest_config(ProptestConfig { cases: std::env::var("VETTED_FUZZ_IMPORT_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64), ..ProptestConfig::default() })]

    #[test]
    fn every_importer_survives_damaged_files(
        kind in 0usize..6,
        body in near(&["Ada,Me,\"6/20/24, 4:15 PM\",hi,INCOMING,https://www.linkedin.com/in/a,x\n", "name = \"x\"\n"]),
        cut in any::<u16>(),
    ) {
        let (file, header) = [
            ("Invitations.csv", "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n"),
            ("Invitations.csv", "From,To,Sent At,Message,Direction\n"),
            ("Connections.csv", "Notes:\n\"x\"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\n"),
            ("requests.csv", "name,profile_url,message,sent_at,notes\n"),
            ("requests.toml", "[[request]]\n"),
            ("requests.json", "[{\"name\": "),
        ][kind];
        let path = SCRATCH.with(|d| d.path().join(file));
        let mut content = format!("{header}{body}").into_bytes();
        content.truncate(cut as usize % (content.len() + 1) + header.len().min(content.len()));
        std::fs::write(&path, content).unwrap();
        // One store for all cases, each import a dry run (rolled back): the cases stay
        // independent and a million of them fit in minutes.
        STORE.with_borrow_mut(|store| {
            let _ = import::import(store, &path, Options { dry_run: true, progress: None });
        });
        // And every tenth case for real, on a fresh store.
        if cut % 10 == 0 {
            let _ = import::import(&mut Store::in_memory().unwrap(), &path, Options::default());
        }
    }
}

/// A small but complete backup, as `vetted export --format json` writes it.
const BACKUP: &str = r#"{"vetted_backup": 1, "exported_at": "2026-11-26T02:27:24Z",
"people": [
{"id":1,"key":"https://www.linkedin.com/in/hist-sample","name":"Hist Sample","profile_url":"https://www.linkedin.com/in/hist-sample","headline":null,"company":null,"location":null,"mutual_connections":null,"shared_groups":null,"introduced_by":null,"connected_on":null,"notes":"met at a meetup"}
],
"requests": [
{"id":1,"person_id":1,"source":"manual","sent_at":"2026-06-01T00:00:00Z","sent_at_raw":"2026-06-01","message":"hello","hints":"","status":"declined","earlier_decline":null,"added_at":"2026-11-26T02:27:24Z","defer_until":null,"done_on_linkedin":null}
],
"answers": [
{"request_id":1,"item":"selling","value":true}
],
"decisions": [
{"id":1,"request_id":1,"status":"declined","reason":"no","answers":{"selling":true},"supersedes":null,"undo":false,"decided_at":"2026-11-26T02:27:24Z","defer_until":null}
]
}
"#;

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("VETTED_FUZZ_IMPORT_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256), ..ProptestConfig::default() })]

    /// A damaged backup never panics and is restored whole or not at all.
    #[test]
    fn a_damaged_backup_restores_whole_or_not_at_all(noise in any::<String>(), at in any::<u16>(), cut in any::<u16>()) {
        let mut text = BACKUP.to_string();
        let at = (0..=at as usize % (text.len() + 1)).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        text.insert_str(at, &noise);
        let mut bytes = text.into_bytes();
        if cut % 2 == 0 {
            bytes.truncate(cut as usize % (bytes.len() + 1));
        }
        let path = SCRATCH.with(|d| d.path().join("backup.json"));
        std::fs::write(&path, &bytes).unwrap();
        let count = |store: &Store| -> [i64; 4] {
            ["person", "request", "answer", "decision"].map(|table| {
                store.raw_for_tests().query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap()
            })
        };
        // A dry run on one shared empty store (rolled back, so it stays empty), and every
        // tenth case for real on a fresh one.
        BACKUP_STORE.with_borrow_mut(|store| {
            let _ = import::import(store, &path, Options { dry_run: true, progress: None });
            assert_eq!(count(store), [0, 0, 0, 0], "a dry run changed the store");
        });
        if cut % 10 == 1 {
            let mut store = Store::in_memory().unwrap();
            let restored = import::import(&mut store, &path, Options::default()).is_ok();
            let rows = count(&store);
            prop_assert!(rows == [0, 0, 0, 0] || (restored && rows == [1, 1, 1, 1]), "{rows:?}, restored: {restored}");
        }
    }
}
