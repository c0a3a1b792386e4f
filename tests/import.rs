//! Importing real-format files: every LinkedIn header variant, the Connections preamble, BOM
//! and CRLF, quoting and emoji, raw vs percent-encoded slugs, duplicates, outgoing rows, a
//! zip and a folder, two successive exports, and vetted's own TOML / JSON / CSV.

use proptest::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use vetted::import::{self, ImportError, Options, Report};
use vetted::model::{Answers, RequestRow, Status, Verdict};
use vetted::store::{RequestFilter, Store};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)
}

fn run(store: &mut Store, path: &Path) -> Report {
    import::import(store, path, Options::default()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn all(store: &Store) -> Vec<RequestRow> {
    store.requests_page(&RequestFilter::default(), None, 1000).unwrap()
}

fn find<'a>(rows: &'a [RequestRow], name: &str) -> &'a RequestRow {
    rows.iter().find(|r| r.name == name).unwrap_or_else(|| panic!("no request from {name}"))
}

#[test]
fn pre_2023_header_without_urls() {
    let mut store = Store::in_memory().unwrap();
    let r = run(&mut store, &data("invitations-2021.csv"));
    assert_eq!((r.new, r.skipped_outgoing, r.invalid), (2, 1, 0));
    assert!(r.notes.iter().any(|n| n.contains("cannot be told apart")), "{:?}", r.notes);
    let rows = all(&store);
    let greta = find(&rows, "Greta Holm");
    assert_eq!(greta.profile_url, None);
    assert_eq!(greta.sent_at.as_deref(), Some("2021-03-14T16:05:00Z"), "PST is UTC-8");
    assert_eq!(greta.sent_at_raw.as_deref(), Some("3/14/21, 9:05 AM"));
    assert_eq!(find(&rows, "Farid Karimi").hints, ["no_message"]);

    // An old Connections.csv (no preamble, no URL, BOM, CRLF) matches by name. Greta was
    // never known to be pending (Invitations.csv alone cannot tell): she was a connection
    // already, not one that "became" a connection since.
    let r = run(&mut store, &data("connections-2019.csv"));
    assert_eq!((r.connections_read, r.became_connections, r.already_connected), (1, 0, 1));
    assert_eq!(find(&all(&store), "Greta Holm").status, Status::Connected);
}

#[test]
fn mid_2023_header_with_urns() {
    let mut store = Store::in_memory().unwrap();
    let r = run(&mut store, &data("invitations-2023-urn.csv"));
    assert_eq!((r.new, r.skipped_outgoing), (1, 1));
    assert_eq!(run(&mut store, &data("invitations-2023-urn.csv")).unchanged, 1, "the URN is the key");
    assert_eq!(find(&all(&store), "Hedda Lund").sent_at.as_deref(), Some("2023-07-05T01:30:00Z"), "PDT is UTC-7");
}

fn first_export(store: &mut Store) -> Report {
    run(store, &data("export-2024-06"))
}

#[test]
fn a_whole_export_folder() {
    let mut store = Store::in_memory().unwrap();
    let r = first_export(&mut store);
    assert_eq!(r.kind, "LinkedIn export (folder)");
    assert_eq!(r.new, 6, "{r:#?}");
    assert_eq!(r.unchanged, 1, "Kenji's duplicate row (trailing slash) is the same request");
    assert_eq!(r.already_connected, 1, "Mila is in Connections.csv");
    assert_eq!(r.skipped_outgoing, 1);
    assert_eq!(r.connections_read, 2, "the row empty but for the date is skipped");
    assert!(r.notes.is_empty(), "{:?}", r.notes);
    let problems: Vec<String> = r.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(r.invalid, 3, "{problems:#?}");
    assert!(
        problems[0].ends_with("Invitations.csv:11: Sent At \"yesterday\" is not like \"8/26/22, 8:56 PM\""),
        "{problems:?}"
    );
    assert!(problems[1].contains("Invitations.csv:12: 2 fields where the header has 7"), "{problems:?}");
    assert!(problems[2].contains("Invitations.csv:13: empty From"), "{problems:?}");

    let rows = all(&store);
    let zoe = find(&rows, "Zoë Müller");
    assert_eq!(
        zoe.message,
        "Hallo Pat 👋 — we both maintain parsers, yours handles \"quoted, commas\" better than mine!"
    );
    assert_eq!(zoe.profile_url.as_deref(), Some("https://www.linkedin.com/in/zoë-müller-9a"));
    assert_eq!(zoe.status, Status::Pending);
    assert_eq!(find(&rows, "Mila Novak").status, Status::Connected);
    assert_eq!(find(&rows, "Nora Vale").profile_url, None, "a bare /in URL means no URL");
    let quinn = find(&rows, "Quinn Sales");
    for hint in ["template_leftover", "sales_phrasing", "duplicate_message"] {
        assert!(quinn.hints.iter().any(|h| h == hint), "{hint} missing: {:?}", quinn.hints);
    }
    assert!(find(&rows, "Rosa Blanca").hints.iter().any(|h| h == "duplicate_message"));
    assert!(!find(&rows, "Victor Ash").hints.iter().any(|h| h == "duplicate_message"));
    assert_eq!(store.count(Status::Pending).unwrap(), 6);
}

#[test]
fn reimporting_the_same_export_adds_nothing() {
    let mut store = Store::in_memory().unwrap();
    first_export(&mut store);
    let before = all(&store);
    let indexes: i64 = store
        .raw_for_tests()
        .query_row("SELECT count(*) FROM sqlite_schema WHERE name IN ('person_key', 'request_queue')", [], |r| r.get(0))
        .unwrap();
    assert_eq!(indexes, 2, "the bulk import into an empty store rebuilt its deferred indexes");
    let r = first_export(&mut store);
    assert_eq!((r.new, r.asked_again, r.enriched, r.unchanged, r.vanished, r.became_connections), (0, 0, 0, 8, 0, 0));
    assert_eq!(all(&store), before);
}

#[test]
fn a_newer_export_reconciles_and_finds_who_asks_again() {
    let mut store = Store::in_memory().unwrap();
    first_export(&mut store);
    let rows = all(&store);
    let victor = find(&rows, "Victor Ash").id;
    store.decide(victor, Verdict::Decline, "selling offshore teams", &Answers::new()).unwrap();

    let r = run(&mut store, &data("export-2024-09"));
    assert_eq!(r.became_connections, 1, "Zoë (percent-encoded in Connections.csv) was accepted on LinkedIn");
    assert_eq!(r.asked_again, 1, "{r:#?}");
    assert_eq!(r.new, 1, "Ines");
    assert_eq!(r.vanished, 1, "Kenji's request is gone from the newer export");
    assert_eq!(r.unchanged, 6);

    let rows = all(&store);
    assert_eq!(find(&rows, "Zoë Müller").status, Status::Connected);
    assert_eq!(find(&rows, "Kenji Sato").status, Status::Withdrawn);
    let again: Vec<&RequestRow> = rows.iter().filter(|r| r.name == "Victor Ash").collect();
    assert_eq!(again.len(), 2, "one person, two requests");
    assert_eq!(again[0].person_id, again[1].person_id);
    let new = again.iter().find(|r| r.id != victor).unwrap();
    assert!(new.asked_again && new.status == Status::Pending);
    let history = store.person_history(new.person_id, 10).unwrap();
    assert_eq!(history[0].reason, "selling offshore teams", "the earlier decline belongs to the person");
}

fn zip_of(dir: &Path, out: &Path) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
    for name in ["Connections.csv", "Invitations.csv"] {
        zip.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(&std::fs::read(dir.join(name)).unwrap()).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn the_export_zip_imports_like_the_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("Basic_LinkedInDataExport_06-21-2024.zip");
    zip_of(&data("export-2024-06"), &zip);
    let mut from_zip = Store::in_memory().unwrap();
    let z = run(&mut from_zip, &zip);
    let mut from_folder = Store::in_memory().unwrap();
    let f = first_export(&mut from_folder);
    assert_eq!(z.kind, "LinkedIn export (zip)");
    assert_eq!(
        (z.new, z.unchanged, z.already_connected, z.invalid),
        (f.new, f.unchanged, f.already_connected, f.invalid)
    );
    assert!(z.problems[0].at.ends_with(".zip!Invitations.csv:11"), "{:?}", z.problems[0]);
    let names = |s: &Store| all(s).into_iter().map(|r| (r.name, r.status)).collect::<Vec<_>>();
    assert_eq!(names(&from_zip), names(&from_folder));
}

#[test]
fn a_dry_run_reports_the_same_and_changes_nothing() {
    let mut store = Store::in_memory().unwrap();
    let dry = import::import(&mut store, &data("export-2024-06"), Options { dry_run: true, progress: None }).unwrap();
    assert!(dry.dry_run);
    assert_eq!(all(&store), vec![]);
    let real = first_export(&mut store);
    assert_eq!(Report { dry_run: false, ..dry }, real);
}

#[test]
fn vetted_formats_add_and_enrich_without_duplicating() {
    let mut store = Store::in_memory().unwrap();
    first_export(&mut store);

    let r = run(&mut store, &data("own/requests.toml"));
    assert_eq!((r.kind.as_str(), r.new, r.enriched, r.invalid), ("vetted TOML", 1, 1, 2), "{r:#?}");
    assert!(r.problems[0].to_string().ends_with("requests.toml: request #3: empty `name`"));
    assert!(r.problems[1].reason.contains("unknown field `mesage`"), "{:?}", r.problems[1]);
    let rows = all(&store);
    let tara = find(&rows, "Tara Event");
    assert_eq!(
        (tara.source.as_str(), tara.mutual_connections, tara.introduced_by.as_deref()),
        ("event", Some(4), Some("Mila Novak"))
    );
    let zoe = find(&rows, "Zoë Müller");
    assert_eq!(zoe.headline.as_deref(), Some("Parser maintainer"));
    assert_eq!(store.note(zoe.person_id).unwrap().as_deref(), Some("Maintains a CSV crate."));
    assert_eq!(rows.iter().filter(|r| r.name == "Zoë Müller").count(), 1);

    let r = run(&mut store, &data("own/requests.json"));
    assert_eq!((r.new, r.enriched, r.invalid), (1, 1, 2), "{r:#?}");
    assert!(r.problems[0].reason.contains("next tuesday"));
    let rows = all(&store);
    assert_eq!(find(&rows, "Uma Online").message, "Reader of yours \u{1b}[2J", "stored losslessly");
    assert!(find(&rows, "Uma Online").hints.iter().any(|h| h == "hidden_characters"));
    assert_eq!(find(&rows, "Kenji Sato").mutual_connections, Some(12));

    let r = run(&mut store, &data("own/requests.csv"));
    assert_eq!((r.new, r.invalid), (1, 1), "{r:#?}");
    assert!(r.problems[0].to_string().contains("requests.csv:3: mutual_connections \"many\" is not a number"));
    assert_eq!(find(&all(&store), "Walt Csv").message, "Hi, \"quoted\", with commas");
    assert_eq!(run(&mut store, &data("own/requests.csv")).new, 0, "idempotent");
}

#[test]
fn unknown_files_are_refused_with_what_is_accepted() {
    let mut store = Store::in_memory().unwrap();
    let err = import::import(&mut store, &data("not-an-export.csv"), Options::default()).unwrap_err();
    assert!(matches!(err, ImportError::Unrecognised { .. }));
    assert!(err.to_string().contains("Invitations.csv, Connections.csv"), "{err}");
}

#[test]
fn a_file_that_is_not_what_it_claims_imports_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::in_memory().unwrap();
    first_export(&mut store);
    let before = all(&store);
    // A zip whose Connections.csv is fine but whose Invitations.csv lacks a column: the whole
    // import is refused, connections included.
    let dir = tmp.path().join("export");
    std::fs::create_dir(&dir).unwrap();
    std::fs::copy(data("export-2024-09/Connections.csv"), dir.join("Connections.csv")).unwrap();
    std::fs::write(dir.join("Invitations.csv"), "From,Sent At,Direction\nA,\"1/1/24, 1:00 PM\",INCOMING\n").unwrap();
    let zip = tmp.path().join("export.zip");
    zip_of(&dir, &zip);
    let err = import::import(&mut store, &zip, Options::default()).unwrap_err();
    assert!(err.to_string().contains("no `message` column"), "{err}");
    assert!(err.to_string().contains("nothing was imported"), "{err}");
    assert_eq!(all(&store), before);
}

#[test]
fn a_refused_import_into_an_empty_store_keeps_its_indexes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("export");
    std::fs::create_dir(&dir).unwrap();
    std::fs::copy(data("export-2024-06/Connections.csv"), dir.join("Connections.csv")).unwrap();
    std::fs::write(dir.join("Invitations.csv"), "From,Sent At,Direction\nA,\"1/1/24, 1:00 PM\",INCOMING\n").unwrap();
    let mut store = Store::in_memory().unwrap();
    import::import(&mut store, &dir, Options::default()).unwrap_err();
    let indexes: i64 = store
        .raw_for_tests()
        .query_row("SELECT count(*) FROM sqlite_schema WHERE name IN ('person_key', 'request_queue')", [], |r| r.get(0))
        .unwrap();
    assert_eq!(indexes, 2, "the bulk mode's dropped indexes come back with the rollback");
    assert_eq!(first_export(&mut store).new, 6, "and the store still works");
}

#[test]
fn absurd_sizes_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let huge = tmp.path().join("Invitations.csv");
    std::fs::File::create(&huge).unwrap().set_len(import::MAX_FILE_BYTES + 1).unwrap(); // sparse
    let err = import::import(&mut Store::in_memory().unwrap(), &huge, Options::default()).unwrap_err();
    assert!(err.to_string().contains("over the 512 MiB limit"), "{err}");

    let long = tmp.path().join("long.csv");
    let message = "x".repeat(import::MAX_FIELD_BYTES + 1);
    std::fs::write(
        &long,
        format!("From,To,Sent At,Message,Direction\nLong Talker,Me,\"1/1/24, 1:00 PM\",{message},INCOMING\nOk,Me,\"1/1/24, 1:00 PM\",hi,INCOMING\n"),
    )
    .unwrap();
    let r = import::import(&mut Store::in_memory().unwrap(), &long, Options::default()).unwrap();
    assert_eq!((r.new, r.invalid), (1, 1));
    assert!(r.problems[0].reason.contains("over the 64 KiB limit"));
}

#[test]
fn hostile_text_is_stored_as_written() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("Invitations.csv");
    let name = "Mallory\u{1b}]0;owned\u{7}\u{202E}cod.exe";
    let message = "\u{9b}31mred\u{0}nul \u{200B}";
    std::fs::write(
        &path,
        format!("From,To,Sent At,Message,Direction\n\"{name}\",Me,\"1/1/24, 1:00 PM\",\"{message}\",INCOMING\n"),
    )
    .unwrap();
    let mut store = Store::in_memory().unwrap();
    run(&mut store, &path);
    let row = &all(&store)[0];
    assert_eq!((row.name.as_str(), row.message.as_str()), (name, message));
    assert!(row.hints.iter().any(|h| h == "hidden_characters"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Arbitrary bytes named like an export never panic the importer.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048), header in 0usize..4) {
        let headers = ["", "From,To,Sent At,Message,Direction\n", "Notes:\n\nFirst Name,Last Name,URL,Connected On\n", "name,message\n"];
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("Invitations.csv");
        let mut content = headers[header].as_bytes().to_vec();
        content.extend_from_slice(&bytes);
        std::fs::write(&path, content).unwrap();
        let _ = import::import(&mut Store::in_memory().unwrap(), &path, Options::default());
    }
}

#[test]
fn an_older_export_imported_after_a_newer_one_keeps_withdrawn_requests_withdrawn() {
    let mut store = Store::in_memory().unwrap();
    first_export(&mut store);
    run(&mut store, &data("export-2024-09"));
    let kenji = find(&all(&store), "Kenji Sato").id;
    assert_eq!(store.request(kenji).unwrap().status, Status::Withdrawn);
    // The June export again, after September's: it still lists Kenji. Before: pending again.
    let r = first_export(&mut store);
    assert_eq!(store.request(kenji).unwrap().status, Status::Withdrawn, "{r:#?}");
    assert_eq!(r.came_back, 0);
    // Kenji's. (Victor's older request is `replaced` by his newer one, not withdrawn.)
    let said = "1 request withdrawn on LinkedIn (missing from a newer export) is listed in this older export \
                (its newest invitation is from 2024-06-20, the store's from 2024-09-02): it stays withdrawn";
    assert!(r.notes.iter().any(|n| n == said), "{:?}", r.notes);
    let victor: Vec<RequestRow> = all(&store).into_iter().filter(|r| r.name == "Victor Ash").collect();
    assert_eq!(victor.iter().filter(|r| r.status == Status::Pending).count(), 1, "one queue entry for Victor");
}
