//! Tests of `store/forget.rs`.

use super::*;
use crate::model::{Answers, NewRequest, Verdict};

fn add(store: &mut Store, name: &str, url: Option<&str>) -> i64 {
    let req = NewRequest {
        name: name.into(),
        profile_url: url.map(str::to_string),
        message: format!("message from {name}"),
        notes: Some(format!("note on {name}")),
        source: "manual".into(),
        ..Default::default()
    };
    store.add_request(&req).unwrap().0
}

/// The review app's search index (trigram FTS5, keyed by request id) and its rank table
/// refer to the person too: forget clears both, and no trigram of them stays in the file.
#[test]
fn forget_also_clears_search_index_rows_and_any_table_referring_to_the_person() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("v.db");
    let mut store = Store::open(&db).unwrap();
    let gone = add(&mut store, "Ottoline Vanishing", Some("https://www.linkedin.com/in/ottoline"));
    let kept = add(&mut store, "Pim Staying", None);
    while store.search_index_step(100).unwrap() {}
    for id in [gone, kept] {
        store.set_answers(id, &[("selling", Some(true))], &crate::checklist::Checklist::builtin()).unwrap();
    }
    store.decide(gone, Verdict::Decline, "Quixotic pitch", &Answers::new()).unwrap();
    store.decide(kept, Verdict::Decline, "Zealous pitch", &Answers::new()).unwrap();
    while store.search_index_step(100).unwrap() {}
    let search = |store: &Store, q: &str| -> i64 {
        store.conn.query_row("SELECT count(*) FROM request_fts WHERE request_fts MATCH ?1", [q], |r| r.get(0)).unwrap()
    };
    let reasons = |store: &Store, q: &str| -> i64 {
        store.conn.query_row("SELECT count(*) FROM reason_fts WHERE reason_fts MATCH ?1", [q], |r| r.get(0)).unwrap()
    };
    assert_eq!(search(&store, "Vanishing"), 1);
    assert_eq!(reasons(&store, "pitch"), 2);

    let f = store
        .forget(&PersonRef::ProfileUrl("https://www.linkedin.com/in/ottoline".into()), &Checklist::builtin())
        .unwrap();
    assert_eq!((f.requests, f.decisions, f.notes, f.answers), (1, 1, 1, 1));
    assert!(f.scrubbed);
    assert_eq!(search(&store, "Vanishing"), 0);
    assert_eq!(search(&store, "Staying"), 1);
    assert_eq!((reasons(&store, "Quixotic"), reasons(&store, "Zealous")), (0, 1));
    let ranks: i64 = store.conn.query_row("SELECT count(*) FROM review_rank", [], |r| r.get(0)).unwrap();
    assert_eq!(ranks, 1);
    let fk: i64 = store.conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
    assert_eq!(fk, 0);
    drop(store);
    let bytes = std::fs::read(&db).unwrap();
    for s in ["Ottoline", "ottoline", "Vanish", "anishin", "message from Ott", "note on Ott", "Quixotic", "uixoti"] {
        assert!(!bytes.windows(s.len()).any(|w| w == s.as_bytes()), "{s:?} remains");
    }
    assert!(bytes.windows(11).any(|w| w == b"Pim Staying"));
}

#[test]
fn forgetting_nobody_is_a_clear_error_and_changes_nothing() {
    let mut store = Store::in_memory().unwrap();
    add(&mut store, "Quin Present", None);
    let err = store.forget(&PersonRef::Request(42), &Checklist::builtin()).unwrap_err();
    assert_eq!(err.to_string(), "no request with id 42 (see `vetted list --status all`)");
    let err = store
        .forget(&PersonRef::ProfileUrl("https://www.linkedin.com/in/nobody".into()), &Checklist::builtin())
        .unwrap_err();
    assert!(err.to_string().contains("nobody with the profile URL"), "{err}");
    assert_eq!(store.forgotten_counts().unwrap(), (0, 0));
}
