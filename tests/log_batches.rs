//! The log of a big batch (issue 20, item 7): each batch is counted once, not once per row
//! (a batch of n decisions listed cost n² before), and the counts follow the store's writes.

use vetted::model::{Status, Verdict};
use vetted::store::Store;

/// `n` pending requests (ids 1..=n), written straight into the tables.
fn pending(store: &mut Store, n: i64) {
    let tx = store.raw_for_tests().unchecked_transaction().unwrap();
    {
        let mut person = tx.prepare("INSERT INTO person (id, key, name) VALUES (?1, ?2, ?3)").unwrap();
        let mut request = tx
            .prepare(
                "INSERT INTO request (id, person_id, source, sent_at, message, status, added_at) \
                 VALUES (?1, ?1, 'manual', '2026-01-01T00:00:00Z', '', 'pending', '2026-01-01T00:00:00Z')",
            )
            .unwrap();
        for i in 1..=n {
            person.execute(rusqlite::params![i, format!("k{i}"), format!("Person {i}")]).unwrap();
            request.execute([i]).unwrap();
        }
    }
    tx.commit().unwrap();
}

#[test]
fn a_batch_of_100000_decisions_is_counted_once_however_many_pages_list_it() {
    let mut store = Store::in_memory().unwrap();
    pending(&mut store, 100_000);
    let items: Vec<(i64, Status)> = (1..=100_000).map(|id| (id, Status::Pending)).collect();
    let batch = store.decide_batch(&items, Verdict::Decline, "selling", None).unwrap();
    let before = vetted::store::batch_counts();
    let (mut listed, mut last) = (0, None);
    loop {
        let page = store.log_page(last, 500).unwrap();
        let Some(end) = page.last() else { break };
        assert!(page.iter().all(|d| d.batch == Some(batch.id) && d.batch_size == Some(100_000)));
        (listed, last) = (listed + page.len(), Some(end.id));
    }
    assert_eq!(listed, 100_000);
    // Before: a count of the batch for every row listed (100,000 counts of 100,000 rows).
    assert_eq!(vetted::store::batch_counts() - before, 1, "one count for the whole batch");
}

#[test]
fn batch_sizes_follow_an_undo_of_part_of_the_batch() {
    let mut store = Store::in_memory().unwrap();
    pending(&mut store, 3);
    let items: Vec<(i64, Status)> = (1..=3).map(|id| (id, Status::Pending)).collect();
    let batch = store.decide_batch(&items, Verdict::Decline, "selling", None).unwrap();
    let sizes = |store: &Store| -> Vec<(bool, Option<u64>)> {
        store.log_page(None, 10).unwrap().iter().map(|d| (d.undo, d.batch_size)).collect()
    };
    assert_eq!(sizes(&store), [(false, Some(3)); 3]);
    store.undo(batch.decisions[0]).unwrap(); // one decision of it undone on its own: no batch
    assert_eq!(sizes(&store)[0], (true, None));
    assert_eq!(store.undo_batch(batch.id).unwrap(), 2);
    // The two undo rows of the batch, counted apart from its three decisions.
    assert_eq!(&sizes(&store)[..2], [(true, Some(2)); 2]);
    assert_eq!(&sizes(&store)[3..], [(false, Some(3)); 3]);
}
