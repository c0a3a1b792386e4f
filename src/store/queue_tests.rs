//! Tests of `store/queue.rs`.

use super::*;
use crate::model::{NewRequest, Verdict};

fn store(n: usize) -> Store {
    let mut store = Store::in_memory().unwrap();
    for i in 0..n {
        store
            .add_request(&NewRequest {
                name: format!("Person {i:02}"),
                profile_url: Some(format!("https://www.linkedin.com/in/p{i}")),
                message: if i % 3 == 0 { format!("Hello, I sell widgets #{i}") } else { String::new() },
                sent_at_raw: Some(format!("{i}")),
                sent_at: Some(format!("2026-01-{:02}T10:00:00Z", 28 - i)),
                source: "linkedin".into(),
                ..NewRequest::default()
            })
            .unwrap();
    }
    store
}

fn names(rows: &[(RequestRow, QueueKey)]) -> Vec<String> {
    rows.iter().map(|(r, _)| r.name[7..].to_string()).collect()
}

/// The queue walked page by page, narrowed to the requests holding `text` when given.
fn walk(store: &Store, order: QueueOrder, text: Option<&str>, dir: Direction, page: usize) -> Vec<String> {
    use crate::query::{Query, Term, TermKind};
    let phrase = |t: &str| Query {
        terms: vec![Term { negated: false, kind: TermKind::Text(t.to_string()), raw: t.to_string() }],
    };
    let mut all = Vec::new();
    let mut from: Option<QueueKey> = None;
    loop {
        let rows = match text {
            Some(t) => store.queue_page_where(order, &phrase(t), from.as_ref(), dir, page),
            None => store.queue_page(order, from.as_ref(), dir, page),
        }
        .unwrap();
        if rows.is_empty() {
            break;
        }
        let edge = if dir == Direction::Forward { rows.last() } else { rows.first() };
        from = edge.map(|(_, k)| k.clone());
        let mut ns = names(&rows);
        if dir == Direction::Backward {
            ns.extend(all);
            all = ns;
        } else {
            all.extend(ns);
        }
    }
    all
}

#[test]
fn the_queue_pages_in_every_order_both_ways() {
    let mut s = store(12);
    let oldest: Vec<String> = (0..12).rev().map(|i| format!("{i:02}")).collect();
    assert_eq!(walk(&s, QueueOrder::Oldest, None, Direction::Forward, 5), oldest);
    assert_eq!(walk(&s, QueueOrder::Oldest, None, Direction::Backward, 5), oldest);
    let newest: Vec<String> = oldest.iter().rev().cloned().collect();
    assert_eq!(walk(&s, QueueOrder::Newest, None, Direction::Forward, 4), newest);

    // Person 03 recommended accept, Person 10 decline: they go first and last.
    s.set_answers(4, &[("know_like_trust", Some(true))], &crate::checklist::Checklist::builtin()).unwrap();
    s.set_answers(11, &[("selling", Some(true))], &crate::checklist::Checklist::builtin()).unwrap();
    let mut rec = vec!["03".to_string()];
    rec.extend(oldest.iter().filter(|n| *n != "03" && *n != "10").cloned());
    rec.push("10".into());
    assert_eq!(walk(&s, QueueOrder::Recommendation, None, Direction::Forward, 5), rec);
    assert_eq!(walk(&s, QueueOrder::Recommendation, None, Direction::Backward, 3), rec);

    // Decided requests leave the queue.
    s.decide(4, Verdict::Accept, "", &Default::default()).unwrap();
    assert!(!walk(&s, QueueOrder::Recommendation, None, Direction::Forward, 5).contains(&"03".to_string()));
}

#[test]
fn search_uses_the_index_and_the_unindexed_tail() {
    let mut s = store(12);
    let q = "WIDGETS";
    // Oldest first (Person 00 was sent last): the results follow the queue's order.
    let expect = ["09", "06", "03", "00"];
    assert_eq!(walk(&s, QueueOrder::Oldest, Some(q), Direction::Forward, 3), expect);
    // Index half, then all: same answers.
    assert!(s.search_index_step(6).unwrap());
    assert_eq!(s.search_index_backlog().unwrap(), 6);
    assert_eq!(walk(&s, QueueOrder::Oldest, Some(q), Direction::Forward, 3), expect);
    assert!(!s.search_index_step(100).unwrap());
    assert_eq!(walk(&s, QueueOrder::Oldest, Some(q), Direction::Forward, 3), expect);
    assert_eq!(walk(&s, QueueOrder::Newest, Some(q), Direction::Forward, 3), ["00", "03", "06", "09"]);
    assert_eq!(walk(&s, QueueOrder::Oldest, Some(q), Direction::Backward, 3), expect);

    // Notes are searchable once saved; quotes and LIKE wildcards are literal.
    s.save_note(2, "met at \"Rust%Conf\"").unwrap();
    let q = "\"rust%conf";
    assert_eq!(walk(&s, QueueOrder::Oldest, Some(q), Direction::Forward, 3), ["01"]);
    s.save_note(2, "").unwrap();
    assert!(walk(&s, QueueOrder::Oldest, Some(q), Direction::Forward, 3).is_empty());
    // Short queries scan.
    let q = "11";
    assert_eq!(walk(&s, QueueOrder::Oldest, Some(q), Direction::Forward, 3), ["11"]);
}

#[test]
fn indexing_never_waits_for_another_writer() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.db");
    let mut s = Store::open(&path).unwrap();
    s.add_request(&NewRequest { name: "A".into(), source: "manual".into(), ..Default::default() }).unwrap();
    let mut other = Store::open(&path).unwrap();
    let tx = other.write().unwrap();
    let start = std::time::Instant::now();
    assert!(matches!(s.search_index_step(10), Err(crate::store::StoreError::Busy { .. })));
    // A figure: at once, rather than after the 5 s busy timeout.
    println!("busy answered in {:?}", start.elapsed());
    drop(tx);
    assert!(!s.search_index_step(10).unwrap());
    // The normal busy timeout is back for real writes.
    let (locked, is_locked) = std::sync::mpsc::channel();
    let waiter = std::thread::spawn(move || {
        let tx = other.write().unwrap();
        locked.send(()).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(200));
        drop(tx);
    });
    is_locked.recv().unwrap();
    s.save_note(1, "waited for the lock").unwrap();
    waiter.join().unwrap();
}

#[test]
fn notes_changed_elsewhere_are_caught_up() {
    let mut s = store(3);
    while s.search_index_step(100).unwrap() {}
    s.set_note(1, "knows Grace Hopper").unwrap();
    let q = Some("hopper");
    assert_eq!(walk(&s, QueueOrder::Oldest, q, Direction::Forward, 3), ["00"], "found before the index has them");
    assert!(!s.search_index_step(100).unwrap());
    assert_eq!(walk(&s, QueueOrder::Oldest, q, Direction::Forward, 3), ["00"]);
}
