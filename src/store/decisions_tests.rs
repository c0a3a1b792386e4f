//! Tests of `store/decisions.rs`.

use super::*;
use crate::model::NewRequest;

fn store_with_request() -> (Store, i64) {
    let mut store = Store::in_memory().unwrap();
    let (id, _) = store
        .add_request(&NewRequest { name: "Cy Example".into(), source: "manual".into(), ..Default::default() })
        .unwrap();
    (store, id)
}

#[test]
fn decisions_are_appended_and_set_the_status() {
    let (mut store, req) = store_with_request();
    let answers: Answers = [("selling".to_string(), true)].into();
    let d1 = store.decide(req, Verdict::Decline, " selling ", &answers).unwrap();
    assert_eq!(store.request(req).unwrap().status, Status::Declined);
    let d2 = store.decide(req, Verdict::Accept, "changed my mind", &Answers::new()).unwrap();
    assert_eq!(store.request(req).unwrap().status, Status::Accepted);
    let log = store.log_page(None, 10).unwrap();
    assert_eq!(log.iter().map(|d| d.id).collect::<Vec<_>>(), [d2, d1]);
    assert_eq!(log[0].supersedes, Some(d1));
    assert_eq!(log[1].reason, "selling");
    assert_eq!(log[1].answers, answers);
}

#[test]
fn undo_restores_the_previous_status_and_is_logged() {
    let (mut store, req) = store_with_request();
    let d1 = store.decide(req, Verdict::Defer, "", &Answers::new()).unwrap();
    let d2 = store.decide(req, Verdict::Accept, "", &Answers::new()).unwrap();
    // d2 replaced d1: undoing d1 would take back d2, so it is refused, saying so.
    assert!(matches!(store.undo(d1), Err(StoreError::DecidedSince { status: Status::Accepted, .. })));
    store.undo(d2).unwrap();
    assert_eq!(store.request(req).unwrap().status, Status::Deferred);
    let history = store.person_history(store.request(req).unwrap().person_id, 10).unwrap();
    assert!(history[0].undo && history[0].supersedes == Some(d2));
    store.undo(d1).unwrap();
    assert_eq!(store.request(req).unwrap().status, Status::Pending);
    assert!(matches!(store.undo(d1), Err(StoreError::NothingToUndo)));
    assert!(matches!(store.undo(12345), Err(StoreError::NothingToUndo)));
    assert_eq!(store.person_history(history[0].person_id, 10).unwrap().len(), 4);
}

#[test]
fn due_deferrals_are_found_through_their_index_alone() {
    let store = Store::in_memory().unwrap();
    let plan = store.query_plan(DUE_DEFERRALS, ["2026-01-01T00:00:00Z"]);
    let requests: Vec<&String> = plan.iter().filter(|p| p.contains(" r ")).collect();
    assert_eq!(requests.len(), 2, "{plan:?}");
    assert!(requests.iter().all(|p| p.contains("INDEX request_deferred (defer_until")), "{plan:?}");
}

#[test]
fn deferrals_come_back_when_due() {
    let mut store = Store::in_memory().unwrap();
    let mut add = |name: &str| {
        store.add_request(&NewRequest { name: name.into(), source: "manual".into(), ..Default::default() }).unwrap().0
    };
    let (next_session, dated, later) = (add("Next"), add("Dated"), add("Later"));
    store.decide(next_session, Verdict::Defer, "", &Answers::new()).unwrap();
    store
        .decide_until(dated, Verdict::Defer, "after the conference", &Answers::new(), Some("2026-01-10T00:00:00Z"))
        .unwrap();
    store.decide_until(later, Verdict::Defer, "", &Answers::new(), Some("2999-01-01T00:00:00Z")).unwrap();
    // A session that started before the deferrals were made releases none of them.
    assert_eq!(store.release_due_deferrals("2000-01-01T00:00:00Z").unwrap(), 0);
    // The next session: the undated deferral and the past date come back, the future one waits.
    assert_eq!(store.release_due_deferrals("2500-01-01T00:00:00Z").unwrap(), 2);
    assert_eq!(store.request(next_session).unwrap().status, Status::Pending);
    assert_eq!(store.request(dated).unwrap().status, Status::Pending);
    assert_eq!(store.request(later).unwrap().status, Status::Deferred);
    let log = store.log_page(None, 1).unwrap();
    assert_eq!((log[0].decision, log[0].reason.as_str()), (Status::Pending, "deferral due"));
}

#[test]
fn decision_rows_cannot_be_updated() {
    let (mut store, req) = store_with_request();
    store.decide(req, Verdict::Accept, "", &Answers::new()).unwrap();
    let err = store.conn.execute("UPDATE decision SET reason = 'x'", []).unwrap_err();
    assert!(err.to_string().contains("append-only"));
}

#[test]
fn the_store_refuses_a_decline_without_a_reason_itself() {
    let (mut store, req) = store_with_request();
    for reason in ["", "  "] {
        let err = store.decide(req, Verdict::Decline, reason, &Answers::new()).unwrap_err();
        assert!(matches!(err, StoreError::DeclineNeedsReason), "{err}");
        let err = store.decide_batch(&[(req, Status::Pending)], Verdict::Decline, reason, None).unwrap_err();
        assert!(matches!(err, StoreError::DeclineNeedsReason), "{err}");
    }
    assert_eq!(store.request(req).unwrap().status, Status::Pending, "nothing recorded");
    store.decide(req, Verdict::Decline, "spam", &Answers::new()).unwrap();
}

#[test]
fn unknown_request_is_a_clear_error() {
    let (mut store, _) = store_with_request();
    let err = store.decide(999, Verdict::Accept, "", &Answers::new()).unwrap_err();
    assert_eq!(err.to_string(), "no request with id 999 (see `vetted list --status all`)");
}
