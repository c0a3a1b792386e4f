//! Tests of `store/batches.rs`: a batch writes what deciding (and undoing) one request at a
//! time writes, on requests in every state a batch can meet.

use super::*;
use crate::checklist::Checklist;
use crate::model::NewRequest;

/// The decision rows as stored, without what differs between a batch and single decisions
/// (ids aside from `supersedes` order, the time, the batch): (request, status, reason,
/// answers, supersedes' position, undo, defer_until, evidence).
type Row = (i64, String, String, String, Option<i64>, bool, Option<String>, String);

fn rows(store: &Store) -> Vec<Row> {
    store
        .conn
        .prepare(
            "SELECT request_id, status, reason, answers, \
               (SELECT count(*) FROM decision o WHERE o.id < d.supersedes), undo, defer_until, evidence \
             FROM decision d ORDER BY request_id, id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

fn statuses(store: &Store) -> Vec<(i64, String, Option<String>)> {
    store
        .conn
        .prepare("SELECT id, status, defer_until FROM request ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

/// Six requests, in the states a batch meets: never decided (with and without a message),
/// answered items, deferred to a date, declined twice, reconsidered back to pending.
fn mixed_store() -> Store {
    let mut store = Store::in_memory().unwrap();
    let checklist = Checklist::builtin();
    for i in 0..6 {
        let req = NewRequest {
            name: format!("Invented Person {i}"),
            profile_url: Some(format!("https://www.linkedin.com/in/invented-{i}")),
            message: if i % 2 == 0 { String::new() } else { "Hi, we met at the imaginary Rust meetup".into() },
            source: "linkedin".into(),
            ..NewRequest::default()
        };
        let id = store.add_request(&req).unwrap().0;
        let none = Answers::new();
        match i {
            1 => {
                store.set_answers(id, &[("selling", Some(true)), ("profile_checked", Some(false))], &checklist).unwrap()
            }
            2 => {
                store.decide_until(id, Verdict::Defer, "later", &none, Some("2099-05-01T00:00:00Z")).unwrap();
            }
            3 => {
                store.set_answers(id, &[("know_like_trust", Some(true))], &checklist).unwrap();
                store.decide(id, Verdict::Decline, "no note", &none).unwrap();
                store.decide(id, Verdict::Decline, "selling", &store.answers(id).unwrap()).unwrap_err();
                store.decide(id, Verdict::Defer, "", &none).unwrap();
                store.decide(id, Verdict::Decline, "selling", &store.answers(id).unwrap()).unwrap();
            }
            4 => {
                store.decide(id, Verdict::Accept, "", &none).unwrap();
                store.reopen(id, Status::Accepted, "second look").unwrap();
            }
            _ => {}
        }
    }
    store
}

fn items(store: &Store) -> Vec<(i64, Status)> {
    statuses(store).into_iter().map(|(id, s, _)| (id, Status::parse(&s).unwrap())).collect()
}

#[test]
fn a_batch_writes_what_deciding_each_request_writes_and_its_undo_what_undoing_each_writes() {
    for verdict in [Verdict::Accept, Verdict::Defer] {
        let (mut batched, mut single) = (mixed_store(), mixed_store());
        let items: Vec<(i64, Status)> = items(&batched).into_iter().filter(|(_, s)| *s != verdict.status()).collect();
        let until = Some("2099-06-01T00:00:00Z");
        let batch = batched.decide_batch(&items, verdict, " met them ", until).unwrap();
        let mut decisions = Vec::new();
        for (id, _) in &items {
            let answers = single.answers(*id).unwrap();
            decisions.push(single.decide_until(*id, verdict, "met them", &answers, until).unwrap());
        }
        assert_eq!(batch.decisions.len(), items.len());
        assert_eq!(rows(&batched), rows(&single), "{verdict:?}");
        assert_eq!(statuses(&batched), statuses(&single));
        let before = statuses(&mixed_store());
        assert_eq!(batched.undo_batch(batch.id).unwrap(), items.len());
        for d in decisions {
            single.undo(d).unwrap();
        }
        assert_eq!(rows(&batched), rows(&single), "{verdict:?}");
        assert_eq!(statuses(&batched), before, "every request as it was: status and deferral date");
        let evidence: String = batched
            .conn
            .query_row("SELECT evidence FROM decision WHERE undo ORDER BY id LIMIT 1", [], |r| r.get(0))
            .unwrap();
        assert!(evidence.contains("no_note"), "{evidence}");
    }
}

#[test]
fn a_batch_undo_leaves_decisions_undone_already_and_refuses_one_decided_since() {
    let mut store = mixed_store();
    let items = items(&store);
    let batch = store.decide_batch(&items, Verdict::Accept, "met them", None).unwrap();
    store.undo(batch.decisions[0]).unwrap();
    store.decide(items[2].0, Verdict::Decline, "changed my mind", &Answers::new()).unwrap();
    let seen = rows(&store);
    let err = store.undo_batch(batch.id).unwrap_err();
    assert!(
        matches!(err, StoreError::DecidedSince { id, status: Status::Declined, .. } if id == items[2].0),
        "{err:?}"
    );
    assert_eq!(rows(&store), seen, "the refused undo wrote nothing");
    store.undo(store.log_page(None, 1).unwrap()[0].id).unwrap();
    // Now the five still in force are taken back; the one undone already is left.
    assert_eq!(store.undo_batch(batch.id).unwrap(), items.len() - 1);
    assert_eq!(statuses(&store), statuses(&mixed_store()));
    assert!(matches!(store.undo_batch(batch.id), Err(StoreError::NothingToUndo)));
    assert!(matches!(store.undo_batch(999), Err(StoreError::NoSuchBatch(999))));
}

#[test]
fn a_batch_is_refused_at_its_first_request_that_cannot_take_the_verdict_writing_nothing() {
    let mut store = mixed_store();
    let mut items = items(&store);
    let before = rows(&store);
    // The fourth was seen pending, but is declined now; the fifth is declined already.
    items[3].1 = Status::Pending;
    let err = store.decide_batch(&items, Verdict::Decline, "spam", None).unwrap_err();
    assert!(
        matches!(&err, StoreError::BatchStale { id, name, status: Status::Declined, seen: Status::Pending }
            if *id == items[3].0 && name == "Invented Person 3"),
        "{err:?}"
    );
    let items = crate::store::batches::tests::items(&store);
    let err = store.decide_batch(&items, Verdict::Decline, "spam", None).unwrap_err();
    assert!(matches!(err, StoreError::AlreadyDecided { id, .. } if id == items[3].0), "{err:?}");
    // A request given twice meets its own first decision, in one chunk or across two.
    for twice in [vec![items[0], items[1], items[0]], vec![items[0], items[1], items[5], items[0]]] {
        let err = store.decide_batch(&twice, Verdict::Accept, "", None).unwrap_err();
        assert!(
            matches!(err, StoreError::BatchStale { id, status: Status::Accepted, seen: Status::Pending, .. } if id == items[0].0),
            "{err:?}"
        );
    }
    assert!(matches!(
        store.decide_batch(&[(999, Status::Pending)], Verdict::Accept, "", None),
        Err(StoreError::NoSuchRequest(999))
    ));
    assert_eq!(rows(&store), before, "nothing written");
}
