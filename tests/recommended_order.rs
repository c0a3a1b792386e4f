//! The recommendation order of the queue follows the checklist answers however they were
//! written: by `vetted decide --check/--flag`, or restored from a JSON backup.

mod common;

use common::env::Env;
use vetted::checklist::Checklist;
use vetted::import::{self, Options};
use vetted::model::NewRequest;
use vetted::store::{Direction, QueueOrder, Store};

/// The pending queue in the recommendation order, by name.
fn recommended(store: &Store) -> Vec<String> {
    let page = store.queue_page(QueueOrder::Recommendation, None, Direction::Forward, 100).unwrap();
    page.into_iter().map(|(row, _)| row.name).collect()
}

/// Ada (oldest), Bo and Cy, all pending.
fn three_requests(store: &mut Store) {
    for (name, day) in [("Ada", "01"), ("Bo", "02"), ("Cy", "03")] {
        let req = NewRequest {
            name: name.into(),
            sent_at: Some(format!("2026-01-{day}T10:00:00Z")),
            source: "manual".into(),
            ..NewRequest::default()
        };
        store.add_request(&req).unwrap();
    }
}

#[test]
fn answers_given_to_vetted_decide_rank_the_request_in_the_recommended_order() {
    let env = Env::new();
    let db = env.path("v.db");
    three_requests(&mut Store::open(&db).unwrap());
    // Deferred with a red flag (Ada) and a green light (Cy), then back in the queue.
    env.ok(&["decide", "1", "--defer", "--flag", "selling"]);
    env.ok(&["decide", "3", "--defer", "--check", "know_like_trust"]);
    let mut store = Store::open(&db).unwrap();
    assert_eq!(store.release_due_deferrals("9999-01-01T00:00:00Z").unwrap(), 2);
    // Bo wrote no note: decline unless you know them, after Ada's red flag (oldest first).
    assert_eq!(recommended(&store), ["Cy", "Ada", "Bo"]);
}

#[test]
fn a_restored_backup_keeps_the_recommended_order() {
    let env = Env::new();
    let mut store = Store::open(&env.path("v.db")).unwrap();
    three_requests(&mut store);
    store.set_answers(1, &[("selling", Some(true))], &Checklist::builtin()).unwrap();
    store.set_answers(3, &[("know_like_trust", Some(true))], &Checklist::builtin()).unwrap();
    assert_eq!(recommended(&store), ["Cy", "Bo", "Ada"]);
    drop(store);

    env.ok(&["export", "--format", "json", "--output", env.path("backup.json").to_str().unwrap()]);
    // Opened by the CLI, the store weighed its evidence: Bo wrote no note (decline unless
    // you know them), ranked with Ada's red flag now.
    let original = recommended(&Store::open(&env.path("v.db")).unwrap());
    assert_eq!(original, ["Cy", "Ada", "Bo"]);
    let mut restored = Store::open(&env.path("restored.db")).unwrap();
    import::import(&mut restored, &env.path("backup.json"), Options::default()).unwrap();
    assert_eq!(recommended(&restored), original);
}
