//! The store on disk: migrations, refusal of foreign and newer files (left untouched),
//! file modes, and re-opening.

use rusqlite::Connection;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use vetted::model::{Answers, NewRequest, Status, Verdict};
use vetted::store::{Store, StoreError, schema};

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_new_store_is_private_migrated_and_reopens() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data/vetted");
    let db = dir.join("vetted.db");
    let mut store = Store::open(&db).unwrap();
    let (id, _) =
        store.add_request(&NewRequest { name: "Ann".into(), source: "manual".into(), ..Default::default() }).unwrap();
    store.decide(id, Verdict::Accept, "met at the meetup", &Answers::new()).unwrap();
    assert_eq!(mode(&dir), 0o700);
    for f in ["vetted.db", "vetted.db-wal", "vetted.db-shm"] {
        assert_eq!(mode(&dir.join(f)), 0o600, "{f}");
    }
    assert_eq!(store.schema_version().unwrap(), schema::latest_version());
    drop(store);
    let store = Store::open(&db).unwrap();
    assert_eq!(store.count(Status::Accepted).unwrap(), 1);
    assert_eq!(store.log_page(None, 10).unwrap()[0].reason, "met at the meetup");
    let (journal, app_id): (String, i32) = store
        .raw_for_tests()
        .query_row(
            "SELECT (SELECT journal_mode FROM pragma_journal_mode), (SELECT application_id FROM pragma_application_id)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((journal.as_str(), app_id), ("wal", schema::APPLICATION_ID));
}

#[test]
fn a_zero_length_file_becomes_an_empty_store() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("empty.db");
    std::fs::write(&db, b"").unwrap();
    let store = Store::open(&db).unwrap();
    assert_eq!(store.schema_version().unwrap(), schema::latest_version());
    assert_eq!(store.count(Status::Pending).unwrap(), 0);
}

fn assert_refused_untouched(db: &Path, expect: &str) {
    let before = std::fs::read(db).unwrap();
    let err = match Store::open(db) {
        Err(e) => e,
        Ok(_) => panic!("{} was opened", db.display()),
    };
    assert!(err.to_string().contains(expect), "{err}");
    assert_eq!(std::fs::read(db).unwrap(), before, "the file changed");
}

#[test]
fn a_database_from_a_newer_vetted_is_refused_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("newer.db");
    drop(Store::open(&db).unwrap());
    let conn = Connection::open(&db).unwrap();
    conn.execute_batch("PRAGMA user_version = 999; PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    drop(conn);
    assert_refused_untouched(&db, "written by a newer vetted (schema 999");
    assert!(matches!(Store::open(&db), Err(StoreError::Newer { found: 999, .. })));
}

#[test]
fn another_applications_database_is_refused_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("other.db");
    Connection::open(&db).unwrap().execute_batch("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT);").unwrap();
    assert_refused_untouched(&db, "a SQLite database of another application");
    let tagged = tmp.path().join("tagged.db");
    Connection::open(&tagged).unwrap().execute_batch("PRAGMA application_id = 1234; CREATE TABLE t (x);").unwrap();
    assert_refused_untouched(&tagged, "another application");
}

#[test]
fn text_files_and_directories_are_refused_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let txt = tmp.path().join("notes.txt");
    std::fs::write(&txt, "my shopping list\n".repeat(20)).unwrap();
    assert_refused_untouched(&txt, "not a SQLite database");
    let err = Store::open(tmp.path()).err().unwrap();
    assert!(err.to_string().contains("is a directory"), "{err}");
}

#[test]
fn a_version_5_store_gains_name_keys_and_its_known_connections() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("v5.db");
    {
        let c = Connection::open(&db).unwrap();
        for sql in &schema::MIGRATIONS[..5] {
            c.execute_batch(sql).unwrap();
        }
        c.execute_batch(&format!(
            "PRAGMA application_id = {}; PRAGMA user_version = 5;
             INSERT INTO person (id, key, name, connected_on) VALUES (1, 'name:ada  example', 'Ada  Example', '2024-01-02');
             INSERT INTO person (id, key, name, profile_url) VALUES (2, 'https://www.linkedin.com/in/bo', 'Bo Sample', 'https://www.linkedin.com/in/bo');
             INSERT INTO request (person_id, source, sent_at, sent_at_raw, status, added_at)
               VALUES (2, 'linkedin', '2024-02-01T10:00:00Z', '2/1/24, 2:00 AM', 'pending', '2024-02-02T00:00:00Z');",
            schema::APPLICATION_ID
        ))
        .unwrap();
    }
    let mut store = Store::open(&db).unwrap();
    assert_eq!(store.schema_version().unwrap(), schema::latest_version());
    let people: Vec<(String, String)> = store
        .raw_for_tests()
        .prepare("SELECT key, name_key FROM person ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        people,
        [
            ("name:ada example".to_string(), "ada example".to_string()),
            ("https://www.linkedin.com/in/bo".to_string(), String::new()) // a URL: matched by it
        ]
    );
    // The connection the store knew of is kept: a later lone Invitations.csv is checked against it.
    let csv = tmp.path().join("Invitations.csv");
    std::fs::write(&csv, "From,To,Sent At,Message,Direction\nAda Example,Me,\"3/1/24, 9:00 AM\",,INCOMING\n").unwrap();
    let r = vetted::import::import(&mut store, &csv, Default::default()).unwrap();
    assert_eq!((r.new, r.already_connected, r.matched_by_name), (0, 1, 1), "{r:#?}");
}

#[test]
fn migration_9_tells_replaced_invitations_from_withdrawn_ones_and_keeps_every_reference() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("v8.db");
    {
        // A store as schema 8 left it: the older invitation of a repeated sender was withdrawn.
        let conn = Connection::open(&db).unwrap();
        for sql in &schema::MIGRATIONS[..8] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(&format!(
            "PRAGMA application_id = {}; PRAGMA user_version = 8;
             INSERT INTO person (id, key, name) VALUES (1, 'name:kofi mensah', 'Kofi Mensah'),
                                                       (2, 'name:kenji sato', 'Kenji Sato');
             INSERT INTO request (id, person_id, source, sent_at, status, added_at) VALUES
               (1, 1, 'linkedin', '2019-04-02T17:00:00Z', 'withdrawn', 'x'),
               (2, 1, 'linkedin', '2019-05-20T22:00:00Z', 'declined', 'x'),
               (3, 2, 'linkedin', '2019-05-01T10:00:00Z', 'withdrawn', 'x');
             INSERT INTO decision (id, request_id, status, reason, decided_at) VALUES (1, 2, 'declined', 'no', 'x');
             INSERT INTO answer (request_id, item, value, updated_at) VALUES (2, 'selling', 1, 'x');",
            schema::APPLICATION_ID
        ))
        .unwrap();
    }
    let store = Store::open(&db).unwrap();
    assert_eq!(store.schema_version().unwrap(), schema::latest_version());
    let status = |id: i64| store.request(id).unwrap().status;
    assert_eq!((status(1), status(2), status(3)), (Status::Replaced, Status::Declined, Status::Withdrawn));
    let c = store.raw_for_tests();
    let n = |sql: &str| c.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    assert_eq!(n("SELECT count(*) FROM pragma_foreign_key_check"), 0);
    assert_eq!(n("SELECT count(*) FROM decision d JOIN request r ON r.id = d.request_id"), 1);
    assert_eq!(n("SELECT foreign_keys FROM pragma_foreign_keys"), 1, "foreign keys on again");
    // The eight indexes the rebuild made again (migration 12 adds `request_deferred`, 13 one
    // per `ev:` term, 17 `request_noted`, after it).
    let rebuilt = "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'request' \
                   AND name NOT IN ('request_deferred', 'request_noted') \
                   AND name NOT LIKE 'request\\_ev\\_%' ESCAPE '\\'";
    assert_eq!(n(rebuilt), 8);
    assert_eq!(n("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name LIKE 'request_ev_%'"), 10);
    assert_eq!(store.log_page(None, 10).unwrap()[0].reason, "no");
}
