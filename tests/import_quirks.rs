//! What real LinkedIn exports do (`shared/DESIGN.md` §2), one fictional fixture per quirk in
//! `tests/data/quirks/`: each test asserts the pending set exactly. A property checks that a
//! folder, its zip, and its two files imported one after the other (in either order) end in
//! the same pending set.

use proptest::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use vetted::import::{self, ImportError, Options, Report};
use vetted::model::{Answers, Status, Verdict};
use vetted::store::{RequestFilter, Sort, Store};

fn quirk(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/quirks").join(name)
}

fn run(store: &mut Store, path: &Path) -> Report {
    import::import(store, path, Options::default()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn with(status: Status, store: &Store) -> Vec<String> {
    let filter = RequestFilter { status: Some(status), sort: Sort::Oldest };
    let mut names: Vec<String> =
        store.requests_page(&filter, None, 1000).unwrap().into_iter().map(|r| r.name).collect();
    names.sort();
    names
}

fn pending(store: &Store) -> Vec<String> {
    with(Status::Pending, store)
}

fn imported(path: &Path) -> (Store, Report) {
    let mut store = Store::in_memory().unwrap();
    let report = run(&mut store, path);
    (store, report)
}

/// The request of `name` that is in the queue.
fn id_of(store: &Store, name: &str) -> i64 {
    let filter = RequestFilter { status: Some(Status::Pending), sort: Sort::Oldest };
    let all = store.requests_page(&filter, None, 1000).unwrap();
    all.iter().find(|r| r.name == name).map(|r| r.id).unwrap_or_else(|| panic!("{name} is not pending"))
}

#[test]
fn mid_2023_urns_are_matched_by_name_against_url_connections() {
    let (store, r) = imported(&quirk("urn-2023"));
    assert_eq!(pending(&store), ["Bruno Costa"]);
    assert_eq!((r.already_connected, r.matched_by_name, r.skipped_outgoing), (2, 2, 1), "{r:#?}");
    assert_eq!(with(Status::Connected, &store), ["Astrid Berg", "Cara  Lind"], "a first name with a trailing space");
}

#[test]
fn late_2023_bare_urls_are_matched_by_name_and_a_shared_name_stays_pending() {
    let (store, r) = imported(&quirk("bare-url-2023"));
    assert_eq!(pending(&store), ["Ivo Petrov", "Sam Lee"]);
    assert_eq!(r.matched_by_name, 3, "no-break space, capitals and runs of spaces: {r:#?}");
    assert!(r.who.ambiguous.is_empty(), "{:#?}", r.who);
    // Both Sam Lees were connections before this Sam Lee asked: someone else.
    let [other] = &r.who.different_person[..] else { panic!("{:#?}", r.who) };
    assert_eq!(other.name, "Sam Lee");
    assert_eq!(
        other.candidates,
        [
            "Sam Lee <https://www.linkedin.com/in/sam-lee-1> (connected 2023-09-01)",
            "Sam Lee <https://www.linkedin.com/in/sam-lee-2> (connected 2023-09-15)"
        ]
    );
}

/// Each export period's namesakes (`namesakes/…`): several connections share a sender's name.
/// The one made on or after the invitation's day (or the day before) accepted it; when all
/// were made earlier, the sender is someone else of that name; one candidate is the sender.
/// (fixture, pending, someone else of the same name, connected)
type Names = &'static [&'static str];
const NAMESAKES: &[(&str, Names, Names, Names)] = &[
    (
        "namesakes/old-2019",
        &["Lea Roth", "Ola Nord", "Tom Weiss"],
        &["Lea Roth", "Ola Nord"],
        &["Ana Silva", "Jon Berg", "Mei Tan", "Ravi Rao"],
    ),
    ("namesakes/urn-2023", &["Noor Ali"], &["Noor Ali"], &["Ivan Horvat", "Pia Falk", "Sam Lee"]),
    ("namesakes/bare-url-2023", &["Bea Lund", "Rin Sato"], &["Rin Sato"], &["Ada Quinn", "Kai Moreno"]),
];

fn different(r: &Report) -> Vec<String> {
    let mut names: Vec<String> = r.who.different_person.iter().map(|a| a.name.clone()).collect();
    names.sort();
    names
}

#[test]
fn namesakes_are_settled_by_the_day_each_connection_was_made() {
    for (fixture, pend, other, connected) in NAMESAKES {
        let (store, r) = imported(&quirk(fixture));
        assert_eq!(pending(&store), *pend, "{fixture}: {r:#?}");
        assert_eq!(with(Status::Connected, &store), *connected, "{fixture}");
        assert_eq!(different(&r), *other, "{fixture}");
        assert!(r.who.ambiguous.is_empty(), "{fixture}: {:#?}", r.who.ambiguous);
        for a in &r.who.different_person {
            assert_eq!(a.candidates.len(), 2, "{fixture}: {a:?}");
            assert!(a.candidates.iter().all(|c| c.contains(&a.name) && c.contains("(connected 20")), "{a:?}");
        }
    }
    // The candidates as the report names them: names and the days they were made.
    let (_, r) = imported(&quirk("namesakes/old-2019"));
    let lea = r.who.different_person.iter().find(|a| a.name == "Lea Roth").unwrap();
    assert_eq!(lea.candidates, ["Lea Roth (connected 2015-01-01)", "Lea Roth (connected 2019-02-08)"], "2 days before");
}

#[test]
fn namesakes_are_settled_when_connections_arrive_in_a_later_import() {
    for (fixture, pend, other, connected) in NAMESAKES {
        let dir = quirk(fixture);
        let mut store = Store::in_memory().unwrap();
        let first = run(&mut store, &dir.join("Invitations.csv"));
        assert!(first.who.different_person.is_empty(), "{fixture}: no connections yet");
        let r = run(&mut store, &dir.join("Connections.csv"));
        assert_eq!(pending(&store), *pend, "{fixture}: {r:#?}");
        assert_eq!(with(Status::Connected, &store), *connected, "{fixture}");
        assert_eq!(different(&r), *other, "{fixture}");
        // And the other way round: connections first, the invitations later.
        let mut store = Store::in_memory().unwrap();
        run(&mut store, &dir.join("Connections.csv"));
        let r = run(&mut store, &dir.join("Invitations.csv"));
        assert_eq!(pending(&store), *pend, "{fixture}");
        assert_eq!(different(&r), *other, "{fixture}");
        // The same Connections.csv once more: the same people, each connection once.
        let r = run(&mut store, &dir.join("Connections.csv"));
        assert_eq!(pending(&store), *pend, "{fixture}");
        assert!(r.who.different_person.iter().all(|a| a.candidates.len() == 2), "{fixture}: {:#?}", r.who);
        assert_eq!(different(&r), *other, "{fixture}");
    }
}

#[test]
fn a_namesake_connected_after_a_later_export_settles_a_request_kept_pending() {
    // The 2019 export: both Ola Nords were connections before this one asked. A later
    // Connections.csv lists a third Ola Nord, made after the invitation: that one accepted it.
    let mut store = Store::in_memory().unwrap();
    run(&mut store, &quirk("namesakes/old-2019"));
    let tmp = tempfile::tempdir().unwrap();
    let con = tmp.path().join("Connections.csv");
    std::fs::write(
        &con,
        "First Name,Last Name,Email Address,Company,Position,Connected On\nOla,Nord,,Fjord AS,Pilot,20 Feb 2019\n",
    )
    .unwrap();
    let r = run(&mut store, &con);
    assert_eq!(pending(&store), ["Lea Roth", "Tom Weiss"], "{r:#?}");
    assert_eq!(r.who.became_connections.iter().map(|n| n.name.as_str()).collect::<Vec<_>>(), ["Ola Nord"]);
}

#[test]
fn a_repeated_sender_is_one_queue_entry_and_blank_connection_rows_are_counted() {
    let (store, r) = imported(&quirk("old-2019"));
    assert_eq!(pending(&store), ["Kofi Mensah", "Lina Park"]);
    assert_eq!((r.blank_connections, r.repeated, r.connections_read), (2, 1, 2), "{r:#?}");
    let kofi = store.request(id_of(&store, "Kofi Mensah")).unwrap();
    assert_eq!((kofi.asks, kofi.sent_at_raw.as_deref()), (2, Some("5/20/19, 3:00 PM")), "the newest, asked 2×");
    assert_eq!(with(Status::Replaced, &store), ["Kofi Mensah"], "the older one, replaced");
    assert!(with(Status::Withdrawn, &store).is_empty(), "nothing is gone from LinkedIn");
    // Invitations and people apart: 3 new invitations from 2 people, 2 in the queue.
    assert_eq!((r.new, r.new_people, r.pending), (3, 2, 2), "{r:#?}");
    // The same export again: nothing new, nothing back, still one entry each.
    let mut store = store;
    let again = run(&mut store, &quirk("old-2019"));
    assert_eq!((again.new, again.came_back, again.repeated, again.pending), (0, 0, 0, 2), "{again:#?}");
    assert_eq!(with(Status::Replaced, &store), ["Kofi Mensah"]);

    let (store, r) = imported(&quirk("export-2024"));
    assert_eq!(pending(&store), ["Rosa Blanca", "Tariq Aziz"]);
    assert_eq!((r.blank_connections, r.repeated), (2, 1));
}

#[test]
fn utf16_and_windows_1252_files_read_like_utf8() {
    let (expected, _) = imported(&quirk("export-2024"));
    for variant in ["utf16le-tab", "utf16le-comma", "utf16be-tab", "utf16be-comma", "cp1252"] {
        let (store, r) = imported(&quirk(variant));
        assert_eq!(pending(&store), pending(&expected), "{variant}: {r:#?}");
        assert_eq!(r.invalid, 0, "{variant}: {:?}", r.problems);
        assert_eq!(with(Status::Connected, &store), ["Mila Novak", "Zoë Müller"], "{variant}");
        let said = r.notes.iter().filter(|n| n.contains("is not UTF-8: read as")).count();
        assert_eq!(said, 2, "{variant}: {:?}", r.notes);
    }
    let (_, r) = imported(&quirk("cp1252"));
    assert!(r.notes.iter().any(|n| n.contains("read as Windows-1252")), "{:?}", r.notes);
}

#[test]
fn files_are_found_by_content_renamed_or_one_folder_down() {
    let (expected, _) = imported(&quirk("export-2024"));
    for variant in ["renamed", "nested"] {
        let (store, r) = imported(&quirk(variant));
        assert_eq!(pending(&store), pending(&expected), "{variant}");
        assert_eq!(r.files.len(), 2, "{variant}: {:?}", r.files);
        assert!(!r.notes.iter().any(|n| n.contains("only Invitations.csv")), "{variant}: {:?}", r.notes);
    }
    let mut store = Store::in_memory().unwrap();
    let err = import::import(&mut store, &quirk("xlsx-only"), Options::default()).unwrap_err();
    assert!(matches!(err, ImportError::Refused { .. }), "{err}");
    assert!(err.to_string().contains("Connections.xlsx is a spreadsheet: open it and save it as CSV"), "{err}");
}

#[test]
fn spreadsheet_re_saves_keep_the_day_or_are_refused() {
    let (expected, _) = imported(&quirk("export-2024"));
    let (store, r) = imported(&quirk("resaved-dates"));
    assert_eq!(pending(&store), pending(&expected));
    assert_eq!(r.invalid, 0, "{:?}", r.problems);
    assert_eq!((r.blank_connections, r.matched_by_name), (3, 1), "`NA` cells are empty: {r:#?}");
    let rosa = store.request(id_of(&store, "Rosa Blanca")).unwrap();
    assert_eq!(rosa.sent_at.as_deref(), Some("2024-09-03"), "a day, the time unknown");
    let on: Vec<String> = store
        .raw_for_tests()
        .prepare("SELECT connected_on FROM connection ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(on, ["2024-06-12", "2024-07-01"], "Connected On in one form, whatever the file had");

    let mut store = Store::in_memory().unwrap();
    let err = import::import(&mut store, &quirk("reordered-dates"), Options::default()).unwrap_err();
    assert!(err.to_string().contains("looks re-saved by a spreadsheet"), "{err}");
    assert!(err.to_string().contains("Invitations.csv: line 2: Sent At \"03-09-2024\""), "{err}");
    assert_eq!(pending(&store), Vec::<String>::new(), "nothing stored");
}

#[test]
fn a_file_whose_every_row_is_rejected_fails_the_import() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("Invitations.csv");
    std::fs::write(
        &csv,
        "From,To,Sent At,Message,Direction\nAda Example,Me,someday,,INCOMING\nBo Example,Me,never,,INCOMING\n",
    )
    .unwrap();
    let mut store = Store::in_memory().unwrap();
    let err = import::import(&mut store, &csv, Options::default()).unwrap_err();
    assert!(err.to_string().contains("none of its 2 rows could be read (the first: line 2: Sent At"), "{err}");
}

#[test]
fn reconciling_withdraws_only_what_a_newer_whole_export_covers() {
    let mut store = Store::in_memory().unwrap();
    run(&mut store, &quirk("reconcile/first"));
    assert_eq!(pending(&store), ["Ines Costa", "Kenji Sato", "Nora Vale", "Old Timer", "Quinn Sales", "Uma Rao"]);
    let quinn = id_of(&store, "Quinn Sales");
    store.decide(quinn, Verdict::Decline, "selling", &Answers::new()).unwrap();
    assert_eq!(store.linkedin_todo_page(None, 10).unwrap().len(), 1, "ignore Quinn on LinkedIn");

    let r = run(&mut store, &quirk("reconcile/newer"));
    assert_eq!(pending(&store), ["Nora Vale", "Old Timer", "Uma Rao", "Yara Haddad"], "{r:#?}");
    let names = |list: &[import::Named]| list.iter().map(|n| n.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&r.who.became_connections), ["Ines Costa"]);
    assert_eq!(names(&r.who.vanished), ["Kenji Sato"]);
    assert_eq!(names(&r.who.ignored_on_linkedin), ["Quinn Sales"]);
    assert_eq!((r.became_connections, r.vanished, r.ignored_on_linkedin, r.new), (1, 1, 1, 1));
    assert_eq!(with(Status::Withdrawn, &store), ["Kenji Sato"]);
    assert!(store.linkedin_todo_page(None, 10).unwrap().is_empty(), "the ignore was carried out");

    // An older lone Invitations.csv after that: nothing vanishes, whatever it lacks.
    let r = run(&mut store, &quirk("reconcile/older-invitations"));
    assert_eq!((r.vanished, r.new, r.became_connections), (0, 1, 0), "{r:#?}");
    assert_eq!(pending(&store), ["Nora Vale", "Old Timer", "Uma Rao", "Vic Early", "Yara Haddad"]);

    // The first export again lists Kenji, whom the newer one found withdrawn: an older export
    // (its newest invitation older than the store's) leaves him withdrawn, and says so (issue
    // 20; he was pending again). Yara, newer than anything in it, stays.
    let r = run(&mut store, &quirk("reconcile/first"));
    assert_eq!((r.came_back, r.vanished), (0, 0), "{r:#?}");
    assert_eq!(with(Status::Withdrawn, &store), ["Kenji Sato"]);
    assert!(r.notes.iter().any(|n| n.starts_with("1 request withdrawn on LinkedIn")), "{:?}", r.notes);
    assert!(pending(&store).contains(&"Yara Haddad".to_string()));
}

#[test]
fn the_two_files_of_one_export_one_after_the_other_say_nothing_became_a_connection() {
    let mut store = Store::in_memory().unwrap();
    run(&mut store, &quirk("export-2024/Invitations.csv"));
    let r = run(&mut store, &quirk("export-2024/Connections.csv"));
    assert_eq!(r.became_connections, 0, "{r:#?}");
    assert_eq!(r.already_connected, 2, "Mila and Zoë were connections already");
}

#[test]
fn connections_without_urls_find_senders_with_urls_in_either_order() {
    let tmp = tempfile::tempdir().unwrap();
    let con = tmp.path().join("Connections.csv");
    std::fs::write(
        &con,
        "First Name,Last Name,Email Address,Company,Position,Connected On\nTariq,Aziz,,,,01 Feb 2019\n",
    )
    .unwrap();
    let inv = quirk("export-2024/Invitations.csv");
    for order in [[&inv, &con], [&con, &inv]] {
        let mut store = Store::in_memory().unwrap();
        run(&mut store, order[0]);
        run(&mut store, order[1]);
        assert_eq!(pending(&store), ["Mila Novak", "Rosa Blanca", "Zoë Müller"], "{order:?}");
    }
}

#[test]
fn a_dry_run_of_a_whole_export_reports_what_the_real_one_does() {
    let mut store = Store::in_memory().unwrap();
    let dry = import::import(&mut store, &quirk("bare-url-2023"), Options { dry_run: true, progress: None }).unwrap();
    assert_eq!(pending(&store), Vec::<String>::new());
    let real = run(&mut store, &quirk("bare-url-2023"));
    assert_eq!(Report { dry_run: false, ..dry }, real);
}

/// Every fixture with both files, as the property below imports them.
const EXPORTS: &[&str] = &[
    "namesakes/old-2019",
    "namesakes/urn-2023",
    "namesakes/bare-url-2023",
    "urn-2023",
    "bare-url-2023",
    "old-2019",
    "export-2024",
    "utf16le-tab",
    "utf16be-comma",
    "cp1252",
    "resaved-dates",
    "reconcile/first",
    "reconcile/newer",
];

fn zip_folder(dir: &Path, out: &Path, prefix: &str) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = format!("{prefix}{}", path.file_name().unwrap().to_str().unwrap());
        zip.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(&std::fs::read(&path).unwrap()).unwrap();
    }
    zip.finish().unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn a_folder_its_zip_and_its_files_one_by_one_end_alike(which in 0..EXPORTS.len(), way in 0..4u8, nested in any::<bool>()) {
        let dir = quirk(EXPORTS[which]);
        let (expected, _) = imported(&dir);
        let mut store = Store::in_memory().unwrap();
        let (inv, con) = (dir.join("Invitations.csv"), dir.join("Connections.csv"));
        match way {
            0 => { run(&mut store, &dir); }
            1 => {
                let tmp = tempfile::tempdir().unwrap();
                let zip = tmp.path().join("Basic_LinkedInDataExport_12-01-2026.zip");
                zip_folder(&dir, &zip, if nested { "Basic_LinkedInDataExport_12-01-2026/" } else { "" });
                run(&mut store, &zip);
            }
            2 => { run(&mut store, &con); run(&mut store, &inv); }
            _ => { run(&mut store, &inv); run(&mut store, &con); }
        }
        prop_assert_eq!(pending(&store), pending(&expected), "{} way {}", EXPORTS[which], way);
    }
}

#[test]
fn a_backup_keeps_the_connections_a_later_lone_invitations_file_is_checked_against() {
    let (store, _) = imported(&quirk("export-2024/Connections.csv"));
    let tmp = tempfile::tempdir().unwrap();
    let backup = tmp.path().join("backup.json");
    let mut out = Vec::new();
    vetted::export::write(&store, vetted::export::Format::Json, "2026-12-01T00:00:00Z", &mut out).unwrap();
    std::fs::write(&backup, out).unwrap();
    let (mut restored, _) = imported(&backup);
    let count =
        |s: &Store| s.raw_for_tests().query_row("SELECT count(*) FROM connection", [], |r| r.get::<_, i64>(0)).unwrap();
    assert_eq!(count(&restored), count(&store));
    assert_eq!(count(&store), 2);
    run(&mut restored, &quirk("export-2024/Invitations.csv"));
    assert_eq!(pending(&restored), ["Rosa Blanca", "Tariq Aziz"]);
}

#[test]
fn a_download_cut_inside_its_last_row_stores_no_half_row() {
    let tmp = tempfile::tempdir().unwrap();
    let whole = std::fs::read_to_string(quirk("export-2024/Invitations.csv")).unwrap();
    // Cut inside the sender's profile URL of the last row: no line break, fewer fields.
    let cut_at = whole.trim_end().rfind("tariq-az").unwrap() + "tariq-az".len();
    let inv = tmp.path().join("Invitations.csv");
    std::fs::write(&inv, &whole[..cut_at]).unwrap();
    let (store, r) = imported(&inv);
    assert_eq!(pending(&store), ["Mila Novak", "Rosa Blanca", "Zoë Müller"], "Tariq's half row is not stored");
    assert!(r.problems.iter().any(|p| p.reason.contains("ends inside this row")), "{:?}", r.problems);
    // A whole file that only lacks its last line break imports every row.
    std::fs::write(&inv, whole.trim_end()).unwrap();
    let (store, _) = imported(&inv);
    assert!(pending(&store).contains(&"Tariq Aziz".to_string()));
    // Connections.csv cut short: refused whole (a missing connection would look pending).
    let whole = std::fs::read_to_string(quirk("export-2024/Connections.csv")).unwrap();
    let con = tmp.path().join("Connections.csv");
    std::fs::write(&con, &whole[..whole.trim_end().len() - 30]).unwrap();
    let mut store = Store::in_memory().unwrap();
    let err = import::import(&mut store, &con, Options::default()).unwrap_err();
    assert!(err.to_string().contains("ends inside its last row"), "{err}");
}

#[test]
fn cr_only_line_ends_import_with_the_right_line_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("export");
    std::fs::create_dir(&dir).unwrap();
    for name in ["Invitations.csv", "Connections.csv"] {
        let text = std::fs::read_to_string(quirk("export-2024").join(name)).unwrap();
        let mut cr = text.replace('\n', "\r");
        if name == "Invitations.csv" {
            cr.push_str("Late Row,Pat Tester,someday,,INCOMING,https://www.linkedin.com/in/late,x\r");
        }
        std::fs::write(dir.join(name), cr).unwrap();
    }
    let (store, r) = imported(&dir);
    assert_eq!(pending(&store), ["Rosa Blanca", "Tariq Aziz"]);
    let problems: Vec<String> = r.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("Invitations.csv:7: Sent At \"someday\""), "{problems:?}");
}
