//! The review queue: moving, paging, toggling, deciding, undo, search, sort, the mouse.

use super::*;

#[test]
fn moving_through_the_queue() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    assert_eq!(app.session.pending, 4);
    assert_eq!(selected_name(&app), "Ada Lovelace");
    press(&mut app, &["j"]);
    assert_eq!(selected_name(&app), "Bo Seller");
    press(&mut app, &["down", "down", "down"]);
    assert_eq!(selected_name(&app), "Di Repeat", "stops at the end");
    press(&mut app, &["k"]);
    assert_eq!(selected_name(&app), "Cy Quiet");
    press(&mut app, &["up", "up", "up"]);
    assert_eq!(selected_name(&app), "Ada Lovelace", "stops at the start");
    press(&mut app, &["G"]);
    assert_eq!(selected_name(&app), "Di Repeat");
    press(&mut app, &["g"]);
    assert_eq!(selected_name(&app), "Ada Lovelace");
    press(&mut app, &["pagedown"]);
    assert_eq!(selected_name(&app), "Di Repeat");
    press(&mut app, &["pageup"]);
    assert_eq!(selected_name(&app), "Ada Lovelace");
    assert_eq!(
        app.queue.current.as_ref().unwrap().note.as_deref(),
        Some("Met at RustConf 2025; gave the talk on borrowck.")
    );
}

#[test]
fn a_long_queue_is_paged_not_loaded() {
    let mut store = Store::in_memory().unwrap();
    let n = PAGE * 5 + 7;
    for i in 0..n {
        store
            .add_request(&NewRequest {
                sent_at_raw: Some(i.to_string()),
                sent_at: Some(format!("2026-{:02}-{:02}T{:02}:00:00Z", 1 + i / 600, 1 + (i / 24) % 25, i % 24)),
                ..req(&format!("P{i:04}"), 1, "hi")
            })
            .unwrap();
    }
    let checklist = Checklist::builtin();
    let mut app = app(&mut store, &checklist);
    assert!(app.queue.win.rows.len() <= PAGE);
    for _ in 0..n + 5 {
        press(&mut app, &["j"]);
        assert!(app.queue.win.rows.len() <= 3 * PAGE, "the window stays bounded");
    }
    assert_eq!(selected_name(&app), format!("P{:04}", n - 1));
    for _ in 0..n {
        press(&mut app, &["k"]);
    }
    assert_eq!(selected_name(&app), "P0000");
    press(&mut app, &["G"]);
    assert_eq!(selected_name(&app), format!("P{:04}", n - 1));
    press(&mut app, &["k"]);
    assert_eq!(selected_name(&app), format!("P{:04}", n - 2));
    press(&mut app, &["g"]);
    assert_eq!(selected_name(&app), "P0000");
}

#[test]
fn panes_cycle_and_move_their_own_cursor() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    assert_eq!(app.queue.focus, Pane::Queue);
    press(&mut app, &["tab"]);
    assert_eq!(app.queue.focus, Pane::Person);
    press(&mut app, &["j", "j"]);
    assert_eq!(app.queue.person_scroll, 2);
    assert_eq!(selected_name(&app), "Ada Lovelace");
    press(&mut app, &["tab"]);
    assert_eq!(app.queue.focus, Pane::Checklist);
    press(&mut app, &["j", "j"]);
    assert_eq!(app.queue.item, 2);
    press(&mut app, &["enter"]);
    let key = &checklist.items[2].key;
    assert_eq!(app.store().answers(1).unwrap().get(key), Some(&true), "written at once");
    press(&mut app, &["tab"]);
    assert_eq!(app.queue.focus, Pane::Queue);
}

#[test]
fn toggles_cycle_yes_no_unknown_and_are_stored() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    let key = checklist.items[0].key.clone();
    press(&mut app, &["1"]);
    assert_eq!(app.store().answers(1).unwrap().get(&key), Some(&true));
    assert_eq!(app.store().rank(1).unwrap(), crate::store::RANK_ACCEPT);
    press(&mut app, &["1"]);
    assert_eq!(app.store().answers(1).unwrap().get(&key), Some(&false));
    press(&mut app, &["1"]);
    assert_eq!(app.store().answers(1).unwrap().get(&key), None);
    for n in 1..=9 {
        press(&mut app, &[&n.to_string()]);
        assert!(app.store().answers(1).unwrap().contains_key(&checklist.items[n - 1].key), "item {n}");
    }
    assert_eq!(app.queue.current.as_ref().unwrap().answers, app.store().answers(1).unwrap());
}

#[test]
fn undo_walks_back_the_session_and_is_logged() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["a", "enter"]);
    press(&mut app, &["d"]);
    type_text(&mut app, "spam");
    press(&mut app, &["enter"]);
    assert_eq!(app.session.pending, 2);
    press(&mut app, &["u"]);
    assert_eq!(selected_name(&app), "Bo Seller", "the undone request is selected again");
    assert_eq!(app.store().request(2).unwrap().status, Status::Pending);
    press(&mut app, &["u"]);
    assert_eq!(selected_name(&app), "Ada Lovelace");
    assert_eq!(app.session.pending, 4);
    press(&mut app, &["u"]);
    assert!(app.notice.as_ref().unwrap().text.contains("nothing to undo"));
    let log = app.store().log_page(None, 10).unwrap();
    assert_eq!(log.len(), 4, "two decisions and two undos, append-only");
    assert!(log[0].undo && log[1].undo);
}

#[test]
fn the_queue_empties_into_a_summary() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["a", "enter", "a", "enter"]);
    press(&mut app, &["d"]);
    type_text(&mut app, "no message");
    press(&mut app, &["enter", "l", "enter"]);
    assert_eq!(app.session.pending, 0);
    assert!(app.queue.win.rows.is_empty());
    let s = screen(&app, 100, 30);
    assert!(s.contains("2 accepted, 1 declined, 1 deferred"), "{s}");
    assert!(s.contains("[ ] Accept Ada Lovelace  https://www.linkedin.com/in/ada-lovelace"), "{s}");
    assert!(s.contains("[ ] Ignore Cy Quiet"), "{s}");
    insta::assert_snapshot!("summary_100x30", s);
    press(&mut app, &["u"]);
    assert_eq!(selected_name(&app), "Di Repeat");
}

#[test]
fn open_profile_hands_only_web_urls_to_the_opener() {
    let mut store = fixture();
    store
        .add_request(&NewRequest { profile_url: Some("file:///etc/passwd".into()), ..req("Zed Sneaky", 28, "hello") })
        .unwrap();
    let checklist = Checklist::builtin();
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["o"]);
    assert_eq!(app.effect.take(), Some(Effect::Open("https://www.linkedin.com/in/ada-lovelace".into())));
    press(&mut app, &["G", "o"]);
    assert_eq!(app.effect, None);
    assert!(app.notice.as_ref().unwrap().text.contains("not a web address"));
}

#[test]
fn search_is_incremental_and_esc_clears_it() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["/"]);
    assert_eq!(app.mode(), Mode::Prompt(PromptKind::Search));
    type_text(&mut app, "sq");
    assert_eq!(app.queue.win.rows.len(), 1, "small queues search short words too (a two-letter name)");
    assert_eq!(selected_name(&app), "Ada Lovelace", "SQLite in the message");
    type_text(&mut app, "l");
    assert_eq!(app.queue.win.rows.len(), 1);
    press(&mut app, &["backspace", "backspace", "backspace"]);
    assert_eq!(app.queue.win.rows.len(), 4);
    type_text(&mut app, "growth");
    assert_eq!(selected_name(&app), "Bo Seller", "headline");
    press(&mut app, &["enter"]);
    assert_eq!(app.mode(), Mode::Normal);
    assert_eq!(app.queue.win.search.as_ref().unwrap().0, "growth");
    press(&mut app, &["/", "esc"]);
    assert_eq!(app.queue.win.search, None);
    assert_eq!(app.queue.win.rows.len(), 4);
    press(&mut app, &["/"]);
    type_text(&mut app, "nobody-has-this");
    assert!(app.queue.win.rows.is_empty());
    assert!(screen(&app, 80, 24).contains("no match"));
}

#[test]
fn a_filter_keystroke_past_its_budget_shows_more_may_match_and_j_searches_all() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    // No time at all: every keystroke's search runs out of its budget, as one scanning a
    // million requests the index has not caught up with would.
    app.queue.win.budget = std::time::Duration::ZERO;
    press(&mut app, &["/"]);
    type_text(&mut app, "growth");
    press(&mut app, &["enter"]);
    assert!(app.queue.win.rows.is_empty() && !app.queue.win.complete);
    let shown = screen(&app, 200, 24);
    assert!(shown.contains("… more may match: j searches all"), "{shown}");
    assert!(shown.contains("search: 0+ for \"growth\""), "{shown}");
    press(&mut app, &["j"]);
    assert!(app.queue.win.complete);
    assert_eq!(selected_name(&app), "Bo Seller");
    assert!(!screen(&app, 100, 24).contains("more may match"));
}

#[test]
fn sort_cycles_oldest_newest_recommendation() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["G", "1"]); // Di: know, like and trust → recommended accept
    press(&mut app, &["s"]);
    assert_eq!(app.queue.win.order, QueueOrder::Newest);
    assert_eq!(selected_name(&app), "Di Repeat");
    press(&mut app, &["j"]);
    assert_eq!(selected_name(&app), "Cy Quiet");
    press(&mut app, &["s"]);
    assert_eq!(app.queue.win.order, QueueOrder::Recommendation);
    assert_eq!(selected_name(&app), "Di Repeat", "recommended accepts first");
    press(&mut app, &["j"]);
    assert_eq!(selected_name(&app), "Ada Lovelace");
    press(&mut app, &["s"]);
    assert_eq!(app.queue.win.order, QueueOrder::Oldest);
}

#[test]
fn earlier_decisions_and_asked_again_are_shown() {
    let mut store = fixture();
    store.decide(4, Verdict::Decline, "selling", &Default::default()).unwrap();
    store.add_request(&req("Di Repeat", 24, "Second try!")).unwrap();
    let checklist = Checklist::builtin();
    let app = app(&mut store, &checklist);
    let mut app = app;
    press(&mut app, &["G"]);
    assert!(app.selected().unwrap().asked_again);
    let s = screen(&app, 120, 40);
    assert!(s.contains("↺ asked again (declined before)"), "{s}");
    assert!(s.contains("✗ declined [today]: selling"), "{s}");
}

#[test]
fn the_count_may_arrive_after_the_first_frame() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = App::new_uncounted(&mut store, &checklist, Keymap::default(), Theme::monochrome(), now()).unwrap();
    assert!(!app.session.counted);
    assert!(screen(&app, 80, 24).contains("counting… pending"));
    press(&mut app, &["/"]);
    type_text(&mut app, "bo");
    assert_eq!(app.queue.win.rows.len(), 4, "short words never apply, counted or not");
    press(&mut app, &["esc", "a", "enter"]);
    app.set_pending_count(4);
    assert_eq!((app.session.pending, app.session.total), (3, 4), "decisions made meanwhile are subtracted");
    assert!(screen(&app, 80, 24).contains("3 pending │ session 1/4"));
}

#[test]
fn a_count_arriving_after_a_decline_was_sent_back_to_pending_includes_it() {
    let (mut store, checklist) = (log_fixture(), Checklist::builtin());
    let at_launch = store.count(Status::Pending).unwrap();
    let mut app = App::new_uncounted(&mut store, &checklist, Keymap::default(), Theme::monochrome(), now()).unwrap();
    press(&mut app, &["D", "p"]);
    type_text(&mut app, "ask them first");
    press(&mut app, &["enter"]);
    app.set_pending_count(at_launch);
    assert_eq!(app.session.pending, at_launch + 1);
}

#[test]
fn a_search_index_backlog_hides_nothing_from_a_search() {
    let mut store = Store::in_memory().unwrap();
    for i in 0..300 {
        store.add_request(&req(&format!("Backlog {i}"), 3, "hello there")).unwrap();
    }
    let checklist = Checklist::builtin();
    let mut app = app(&mut store, &checklist);
    assert!(app.store().search_index_backlog().unwrap() > 0, "nothing indexed yet");
    press(&mut app, &["/"]);
    type_text(&mut app, "backlog 299");
    assert_eq!(selected_name(&app), "Backlog 299", "the newest, not indexed, is found");
    assert_eq!(app.notice, None);
    press(&mut app, &["esc"]);
    while app.index_step(5_000) {}
    press(&mut app, &["/"]);
    type_text(&mut app, "backlog 299");
    assert_eq!(selected_name(&app), "Backlog 299", "and the same once indexed");
}

#[test]
fn asked_again_shows_the_earlier_decline_and_the_repeat_key_records_it() {
    let mut store = fixture();
    store.decide(4, Verdict::Decline, "collects connections", &Default::default()).unwrap();
    store.add_request(&req("Di Repeat", 24, "Second try!")).unwrap();
    let checklist = Checklist::builtin();
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["G"]);
    assert!(app.selected().unwrap().asked_again);
    let s = screen_text(&app);
    assert!(s.contains("↺ earlier: declined [today]: collects connections"), "{s}");
    assert!(s.contains("(r repeats it)"), "{s}");
    press(&mut app, &["r"]);
    assert_eq!(app.mode(), Mode::Prompt(PromptKind::Reason(Verdict::Decline)));
    assert_eq!(editor_lines(&app).join(""), "collects connections", "the earlier reason, editable");
    type_text(&mut app, ", again");
    press(&mut app, &["enter"]);
    let last = app.store().log_page(None, 1).unwrap().remove(0);
    assert_eq!((last.decision, last.reason.as_str()), (Status::Declined, "collects connections, again"));
    assert_eq!(last.request_id, 5);
    // Nobody else has an earlier decision: the key says so.
    press(&mut app, &["g", "r"]);
    assert_eq!(app.mode(), Mode::Normal);
    assert!(app.notice.as_ref().unwrap().text.contains("no earlier decision"));
}

#[test]
fn defer_takes_an_optional_until_date() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["l"]);
    type_text(&mut app, "after the conference | 2026-12-1x");
    press(&mut app, &["enter"]);
    assert!(matches!(app.mode(), Mode::Prompt(PromptKind::Reason(Verdict::Defer))), "a bad date is not recorded");
    assert!(app.notice.as_ref().unwrap().text.contains("YYYY-MM-DD"));
    // A day that does not exist is named as such, not as a format mistake.
    for _ in 0..10 {
        press(&mut app, &["backspace"]);
    }
    type_text(&mut app, "2026-11-31");
    press(&mut app, &["enter"]);
    assert!(matches!(app.mode(), Mode::Prompt(PromptKind::Reason(Verdict::Defer))), "a bad date is not recorded");
    let notice = &app.notice.as_ref().unwrap().text;
    assert!(notice.contains("there is no 31 November 2026"), "{notice}");
    for _ in 0..10 {
        press(&mut app, &["backspace"]);
    }
    type_text(&mut app, "2026-11-20");
    press(&mut app, &["enter"]);
    assert!(app.notice.as_ref().unwrap().text.contains("after today"), "a past date is refused");
    for _ in 0..10 {
        press(&mut app, &["backspace"]);
    }
    type_text(&mut app, "2026-12-15");
    press(&mut app, &["enter"]);
    assert_eq!(app.mode(), Mode::Normal);
    assert!(app.notice.as_ref().unwrap().text.contains("until 2026-12-15"));
    let until = app.store().request(1).unwrap().defer_until;
    assert_eq!(until.as_deref(), Some("2026-12-15T00:00:00Z"));
    assert_eq!(app.store().log_page(None, 1).unwrap()[0].reason, "after the conference");
    press(&mut app, &["l", "enter"]);
    assert!(app.notice.as_ref().unwrap().text.contains("until the next session"));
}

#[test]
fn deferred_requests_come_back_to_the_queue_when_due() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    // The deferrals are made at the tests' now (the store's clock frozen there); the sessions
    // below come after them.
    let now = now();
    let until = jiff::tz::TimeZone::UTC.to_datetime(now).date().checked_add(jiff::Span::new().days(14)).unwrap();
    crate::clock::frozen_at(now, || {
        let mut app = app(&mut store, &checklist);
        press(&mut app, &["l"]);
        type_text(&mut app, &format!("later | {until}"));
        press(&mut app, &["enter", "l", "enter"]);
        assert_eq!(app.session.pending, 2);
    });
    let at = |ts: jiff::Timestamp| crate::clock::format_utc(ts);
    // A session before the date: only the undated deferral (Bo) comes back.
    store.release_due_deferrals(&at(now + jiff::SignedDuration::from_hours(1))).unwrap();
    {
        let app = app(&mut store, &checklist);
        let names: Vec<&str> = app.queue.win.rows.iter().map(|(r, _)| r.name.as_str()).collect();
        assert_eq!(names, ["Bo Seller", "Cy Quiet", "Di Repeat"]);
    }
    // A session after it: Ada is back too.
    store.release_due_deferrals(&at(now + jiff::SignedDuration::from_hours(24 * 16))).unwrap();
    let app = app(&mut store, &checklist);
    assert_eq!(app.queue.win.rows.len(), 4);
    assert_eq!(app.queue.win.rows[0].0.name, "Ada Lovelace");
}

#[test]
fn a_repeated_sender_and_a_day_without_a_time_are_shown_as_such() {
    let mut store = Store::in_memory().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("Invitations.csv");
    std::fs::write(
        &csv,
        "From,To,Sent At,Message,Direction\n\
         Kofi Mensah,Me,\"11/20/26, 3:00 PM\",Hi again,INCOMING\n\
         Kofi Mensah,Me,\"11/2/26, 10:00 AM\",Hi,INCOMING\n\
         Lina Park,Me,11/21/26,,INCOMING\n",
    )
    .unwrap();
    crate::import::import(&mut store, &csv, crate::import::Options::default()).unwrap();
    let checklist = Checklist::builtin();
    let mut app = app(&mut store, &checklist);
    assert_eq!(app.queue.win.rows.len(), 2, "one entry per person");
    let shown = screen(&app, 120, 40);
    assert!(shown.contains("Kofi Mensah    2× 4d ┃"), "{shown}");
    assert!(shown.contains("asked 2×"), "{shown}");
    press(&mut app, &["j"]);
    let shown = screen(&app, 120, 40);
    assert!(shown.contains("Lina Park"), "{shown}");
    assert!(shown.contains("4 days ago (2026-11-21, time unknown)"), "{shown}");
    // Kofi's older invitation, replaced by the newer one, is not lost from sight.
    press(&mut app, &["S"]);
    let shown = screen(&app, 120, 40);
    assert!(shown.contains("0 already connected  0 withdrawn on LinkedIn  1 replaced"), "{shown}");
}

#[test]
fn undo_takes_back_only_this_sessions_decision_while_it_is_the_latest() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    drop(fixture_on_disk(&db));
    let checklist = Checklist::builtin();
    let (mut store_a, mut store_b) = (Store::open(&db).unwrap(), Store::open(&db).unwrap());
    let mut a = app(&mut store_a, &checklist);
    let mut b = app(&mut store_b, &checklist); // drawn before A decides
    press(&mut a, &["d"]);
    type_text(&mut a, "spam");
    press(&mut a, &["enter"]);
    // B, on its stale view, declines Ada as well: refused, and its queue is read again.
    press(&mut b, &["d"]);
    type_text(&mut b, "spam too");
    press(&mut b, &["enter"]);
    assert!(b.notice.as_ref().unwrap().text.contains("NOT recorded: Ada Lovelace: request 1 was decided since"));
    assert_eq!(selected_name(&b), "Bo Seller", "B's queue no longer shows Ada");
    // Someone else changes their mind about Ada: A's undo must not take that back.
    let accepted = b.store_mut().decide(1, Verdict::Accept, "met after all", &Default::default()).unwrap();
    press(&mut a, &["u"]);
    let notice = &a.notice.as_ref().unwrap().text;
    assert!(notice.contains("cannot undo Ada Lovelace") && notice.contains("accepted at"), "{notice}");
    let latest = a.store().log_page(None, 1).unwrap().remove(0);
    assert_eq!((latest.id, latest.decision), (accepted, Status::Accepted), "nothing was undone");
}

#[test]
fn queue_rows_keep_their_age_column_with_wide_names() {
    let mut store = fixture();
    store.add_request(&req("山田太郎山田太郎山田太郎", 23, "")).unwrap();
    store.add_request(&req("Sam 👩‍💻👩‍💻👩‍💻👩‍💻 Dev", 24, "")).unwrap();
    let checklist = Checklist::builtin();
    let app = app(&mut store, &checklist);
    let shown = screen(&app, 80, 24);
    // The screen helper writes one symbol per cell: the queue's right border is at the same
    // cell on every row when the age column stays in place.
    let column = |needle: &str| {
        use unicode_segmentation::UnicodeSegmentation;
        let line = shown.lines().find(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle}: {shown}"));
        let cells: Vec<&str> = line.graphemes(true).collect();
        cells.iter().skip(1).position(|c| *c == "┃").unwrap()
    };
    assert_eq!(column("山"), column("Cy Quiet"), "{shown}");
    assert_eq!(column("Sam"), column("Cy Quiet"), "{shown}");
    assert!(shown.contains("👩‍💻"), "shown as written, not as stand-ins: {shown}");
}

#[test]
fn the_screens_follow_changes_made_by_another_process() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    drop(fixture_on_disk(&db));
    let checklist = Checklist::builtin();
    let mut store = Store::open(&db).unwrap();
    let mut other = Store::open(&db).unwrap();
    let mut app = app(&mut store, &checklist);
    assert!(!app.notice_outside_changes(), "nothing changed yet");
    assert_eq!(app.session.pending, 4);
    other.decide(1, Verdict::Decline, "declined from the command line", &Default::default()).unwrap();
    assert!(app.notice_outside_changes());
    assert_eq!(app.session.pending, 3);
    assert!(!app.queue.win.rows.iter().any(|(r, _)| r.name == "Ada Lovelace"), "the queue is read again");
    assert!(!app.notice_outside_changes(), "once");
    // The app's own decisions are not "outside" changes.
    press(&mut app, &["a", "enter"]);
    assert!(!app.notice_outside_changes());
}

#[test]
fn clicks_select_rows_tabs_and_checklist_items_and_the_wheel_moves_under_the_pointer() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    let first_row = |app: &App<'_>| {
        screen(app, 120, 40);
        app.hits.borrow().queue.y
    };
    let y = first_row(&app);
    click(&mut app, 5, y + 1); // the second queue row
    assert_eq!(selected_name(&app), "Bo Seller", "{}", screen(&app, 120, 40));
    let check = app.hits.borrow().checklist;
    click(&mut app, check.x + 3, check.y); // item 1: focused first
    assert_eq!((app.queue.focus, app.queue.item), (Pane::Checklist, 0));
    assert_eq!(app.queue.current.as_ref().unwrap().answers.get("know_like_trust"), None);
    click(&mut app, check.x + 3, check.y); // the second click toggles it
    assert_eq!(app.queue.current.as_ref().unwrap().answers.get("know_like_trust"), Some(&true));
    wheel(&mut app, check.x + 3, check.y, true);
    assert_eq!(app.queue.item, 1, "the wheel over the checklist moves its focus");
    let queue = app.hits.borrow().queue;
    wheel(&mut app, queue.x + 2, queue.y, false);
    assert_eq!(selected_name(&app), "Ada Lovelace", "the wheel over the queue moves the selection");
    // The header's tabs, and a list screen's rows.
    let mut log_store = log_fixture();
    let mut app = self::app(&mut log_store, &checklist);
    screen(&app, 120, 40);
    let (x0, _, _) = *app.hits.borrow().tabs.iter().find(|t| t.2 == Screen::Log).unwrap();
    click(&mut app, x0 + 1, 0);
    assert_eq!(app.screen, Screen::Log);
    screen(&app, 120, 40);
    let list = app.hits.borrow().list;
    click(&mut app, list.x + 4, list.y + 2);
    assert_eq!(app.log.paged.sel, 2, "a click selects a log row");
    assert_eq!(app.hits.borrow().queue, Default::default(), "nothing of the queue is hit on Log");
}

#[test]
fn every_builtin_checklist_item_has_a_key() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    assert_eq!(checklist.items.len(), 11);
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["0", "-"]);
    let answers = &app.queue.current.as_ref().unwrap().answers;
    assert_eq!(answers.get(&checklist.items[9].key), Some(&true), "0 toggles item 10");
    assert_eq!(answers.get(&checklist.items[10].key), Some(&true), "- toggles item 11");
    let shown = screen(&app, 120, 40);
    assert!(shown.contains(" 0 [x] ! Collects") && shown.contains(" - [x] ! Looks like"), "{shown}");
}

#[test]
fn esc_in_the_queue_drops_a_kept_search() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["/"]);
    type_text(&mut app, "seller");
    press(&mut app, &["enter"]);
    assert!(app.queue.win.search.is_some());
    assert_eq!(app.queue.win.rows.len(), 1);
    press(&mut app, &["esc"]);
    assert!(app.queue.win.search.is_none());
    assert_eq!(app.queue.win.rows.len(), 4);
}

#[test]
fn the_queue_read_again_after_another_screen_or_an_undo_fills_its_pane() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    for i in 0..8 {
        store.add_request(&req(&format!("Late {i}"), 23, "hello")).unwrap();
    }
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["G"]);
    let before = screen(&app, 80, 24);
    assert!(before.contains("Ada Love"), "twelve rows fit the pane: {before}");
    for keys in [&["L", "Q"][..], &["a", "enter", "u"]] {
        press(&mut app, keys);
        let after = screen(&app, 80, 24);
        assert!(after.contains("Ada Love") && after.contains("▸ Late 7"), "after {keys:?}: {after}");
    }
}

#[test]
fn the_session_summary_scrolls_to_its_end() {
    let mut store = Store::in_memory().unwrap();
    for i in 0..30 {
        store.add_request(&req(&format!("Person {i:02}"), 1 + i % 20, "hi")).unwrap();
    }
    let checklist = Checklist::builtin();
    let mut app = app(&mut store, &checklist);
    for _ in 0..30 {
        press(&mut app, &["d"]);
        type_text(&mut app, "no");
        press(&mut app, &["enter"]);
    }
    let top = screen(&app, 80, 24);
    assert!(top.contains("▼ more (j)") && !top.contains("quits"), "the end is below: {top}");
    press(&mut app, &["G", "G", "pagedown", "pagedown", "pagedown"]);
    let end = screen(&app, 80, 24);
    assert!(end.contains("u undoes the last decision · q quits"), "{end}");
    assert!(!end.contains("▼ more"), "{end}");
    press(&mut app, &["g", "pageup", "pageup", "pageup", "pageup"]);
    assert_eq!(screen(&app, 80, 24), top, "and back to the top");
}

#[test]
fn a_kept_search_whose_last_match_was_decided_says_how_to_leave_it() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["/"]);
    type_text(&mut app, "seller");
    press(&mut app, &["enter", "a", "enter"]);
    let said = app.notice.clone().unwrap().text;
    assert!(said.ends_with("no more matches: esc clears the search"), "{said}");
    press(&mut app, &["esc"]);
    assert_eq!(app.queue.win.rows.len(), 3);
}

#[test]
fn checklist_labels_use_the_pane_width_and_a_click_on_a_wrapped_line_picks_its_item() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    let tall = screen(&app, 120, 40);
    assert!(tall.contains("3 [?] Introduced by a connection I") && tall.contains("       trust"), "{tall}");
    assert!(!tall.contains("I t…"), "no label is cut when the pane is tall enough: {tall}");
    let check = app.hits.borrow().checklist;
    let line = app.hits.borrow().checklist_items.iter().position(|&i| i == 2).unwrap() + 1;
    click(&mut app, check.x + 3, check.y + line as u16);
    assert_eq!((app.queue.focus, app.queue.item), (Pane::Checklist, 2), "the second line of item 3 is item 3");
    let short = screen(&app, 80, 24);
    assert!(short.contains("3 [?] Introduced by a conn…"), "one line each when the pane is short: {short}");
}

#[test]
fn queue_rows_show_what_the_answers_recommend() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    let row = |s: &str, name: &str| {
        let queue_part = |l: &str| l.chars().take(25).collect::<String>();
        s.lines().map(queue_part).find(|l| l.contains(name)).unwrap_or_default()
    };
    assert!(row(&screen(&app, 120, 40), "Bo Seller").starts_with("┃  Bo Seller"), "no column while nothing recommends");
    let flag = checklist.items.iter().position(|i| i.key == "selling").unwrap() + 1;
    press(&mut app, &["j", &flag.to_string()]);
    let shown = screen(&app, 120, 40);
    assert!(row(&shown, "Bo Seller").starts_with("┃▸ ✗Bo Seller"), "{shown}");
    assert!(row(&shown, "Ada Lovelace").starts_with("┃   Ada Lovelace"), "{shown}");
}

#[test]
fn space_marks_v_marks_a_range_and_esc_clears_the_marks() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["space", "j", "j", "space"]);
    let marked = |app: &App<'_>| app.queue.marks.keys().copied().collect::<Vec<_>>();
    assert_eq!(marked(&app), [1, 3]);
    let shown = screen(&app, 120, 40);
    assert!(
        shown.contains("│ 2 marked") && shown.contains("┃ ● Ada Lovelace") && shown.contains("┃▸● Cy Quiet"),
        "{shown}"
    );
    press(&mut app, &["space"]);
    assert_eq!(marked(&app), [1], "space again unmarks");
    press(&mut app, &["g", "V", "G"]);
    assert_eq!(marked(&app), [1, 2, 3, 4], "every row passed over");
    press(&mut app, &["V", "k"]);
    assert_eq!(marked(&app).len(), 4, "V again ends the range");
    press(&mut app, &["esc"]);
    assert!(app.queue.marks.is_empty());
    assert_eq!(app.notice.as_ref().unwrap().text, "4 marks cleared");
}

#[test]
fn the_queue_filter_speaks_the_query_language_and_follows_the_sort() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    let names = |app: &App<'_>| app.queue.win.rows.iter().map(|(r, _)| r.name.clone()).collect::<Vec<_>>();
    press(&mut app, &["/"]);
    type_text(&mut app, "hint:no-message");
    assert_eq!(names(&app), ["Cy Quiet"]);
    press(&mut app, &["ctrl-u"]);
    type_text(&mut app, "-hint:no-message -hint:sales");
    assert_eq!(names(&app), ["Ada Lovelace", "Di Repeat"]);
    press(&mut app, &["ctrl-u"]);
    type_text(&mut app, "hint:bogus");
    let said = app.notice.clone().unwrap().text;
    assert!(said.contains("hint:bogus"), "the bad term is named: {said}");
    press(&mut app, &["ctrl-u"]);
    type_text(&mut app, "age:>10d");
    assert_eq!(names(&app), ["Ada Lovelace", "Bo Seller"], "oldest first");
    press(&mut app, &["enter", "s"]);
    assert_eq!(names(&app), ["Bo Seller", "Ada Lovelace"], "the filter follows the sort: newest first");
}

#[test]
fn marked_requests_are_decided_together_in_one_batch_and_undone_as_one_step() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let flag = checklist.items.iter().position(|i| i.key == "know_like_trust").unwrap() + 1;
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["j", "j", &flag.to_string()]); // Cy: a green light
    press(&mut app, &["/"]);
    type_text(&mut app, "age:>5d");
    press(&mut app, &["enter", "*"]);
    assert_eq!(app.queue.marks.len(), 3, "every match, on every page");
    assert!(app.notice.as_ref().unwrap().text.starts_with("3 marked: every request the filter matches"));
    press(&mut app, &["d"]);
    let shown = screen(&app, 120, 40);
    assert!(shown.contains("decline 3 marked requests"), "{shown}");
    assert!(shown.contains("decline 3 marked requests  ! 1 against the recommendation"), "{shown}");
    type_text(&mut app, "not now");
    press(&mut app, &["enter"]);
    assert!(app.notice.as_ref().unwrap().text.starts_with("declined 3 requests together (batch "), "{:?}", app.notice);
    assert!(app.queue.marks.is_empty());
    assert_eq!(app.session.pending, 1);
    let log = app.store().log_page(None, 10).unwrap();
    assert_eq!(log.len(), 3, "one decision each");
    assert!(log.iter().all(|d| d.reason == "not now" && d.batch.is_some() && d.batch == log[0].batch));
    assert_eq!(
        log.iter().find(|d| d.name == "Cy Quiet").unwrap().answers.get("know_like_trust"),
        Some(&true),
        "its own answers"
    );
    press(&mut app, &["u"]);
    assert_eq!(app.session.pending, 4);
    assert!(app.notice.as_ref().unwrap().text.contains("the 3 requests of the batch are pending again"));
    assert_eq!(app.store().count(Status::Pending).unwrap(), 4);
}

#[test]
fn the_group_view_shows_the_queue_by_hint_and_choosing_a_group_filters_to_it() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["v"]);
    let shown = screen(&app, 120, 40);
    assert!(shown.contains("Pending by hint"), "{shown}");
    let groups = &app.queue.groups.as_ref().unwrap().list;
    assert!(groups.iter().any(|g| g.count == 1 && g.query == "hint:no-message"), "{groups:?}");
    let at = groups.iter().position(|g| g.query == "hint:no-message").unwrap();
    for _ in 0..at {
        press(&mut app, &["j"]);
    }
    press(&mut app, &["enter"]);
    assert!(app.queue.groups.is_none());
    assert_eq!(selected_name(&app), "Cy Quiet");
    assert_eq!(app.queue.win.rows.len(), 1, "filtered to exactly the group");
    press(&mut app, &["esc", "v", "tab"]);
    assert!(screen(&app, 120, 40).contains("Pending by identical message"));
    press(&mut app, &["tab", "tab", "esc"]);
    assert!(app.queue.groups.is_none(), "esc closes it");
}

#[test]
fn v_marks_only_the_rows_moved_over_not_those_a_sort_brings_up() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["G", "V", "s"]);
    assert_eq!(app.queue.marks.keys().copied().collect::<Vec<_>>(), [4], "a sort is no move");
    press(&mut app, &["space"]);
    assert!(app.queue.marks.is_empty(), "space unmarks while V is on");
}

#[test]
fn a_bad_term_in_the_search_applies_the_others_and_is_named_typed_or_pasted() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["/"]);
    type_text(&mut app, "growth hint:foo");
    assert_eq!(app.queue.win.rows.len(), 1, "growth applies");
    assert_eq!(selected_name(&app), "Bo Seller");
    let said = app.notice.as_ref().unwrap();
    assert_eq!(said.level, Level::Warning);
    assert!(said.text.starts_with("hint:foo? use hint:no-message"), "{}", said.text);
    let s = screen(&app, 120, 30);
    assert!(s.lines().next().unwrap().contains("search: 1 for \"growth hint:foo\""), "not a stale prefix: {s}");
    assert!(s.contains("! hint:foo? use"), "named beside the search: {s}");
    press(&mut app, &["esc"]);
    assert_eq!(app.queue.win.rows.len(), 4);
    // The same pasted at once.
    press(&mut app, &["/"]);
    app.on_paste("growth is:declined");
    assert_eq!(selected_name(&app), "Bo Seller");
    assert_eq!(app.queue.win.rows.len(), 1);
    assert!(app.notice.as_ref().unwrap().text.starts_with("is:declined: is:, reason:"));
}

#[test]
fn the_searchs_plain_words_are_each_a_term_as_in_the_log_and_the_cli() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["/"]);
    // Both words in Ada's message, apart: each word is looked for, not the phrase.
    type_text(&mut app, "sqlite pagination");
    assert_eq!(app.queue.win.rows.len(), 1);
    assert_eq!(selected_name(&app), "Ada Lovelace");
    assert_eq!(app.notice, None);
    // A phrase in quotes, as in the Log.
    press(&mut app, &["ctrl-u"]);
    type_text(&mut app, "\"sqlite pagination\"");
    assert!(app.queue.win.rows.is_empty());
    // The CLI's --where selects the same requests.
    let query = crate::query::parse_at("sqlite pagination", &jiff::tz::TimeZone::UTC, &checklist, now()).unwrap();
    let ids: Vec<i64> = app.store().ids_where(&query, 10).unwrap().into_iter().map(|(id, _)| id).collect();
    assert_eq!(ids, [1]);
}

#[test]
fn a_batch_over_fifty_or_the_whole_queue_asks_once_more_naming_the_count_and_the_red_flags() {
    let mut store = Store::in_memory().unwrap();
    for i in 0..60u32 {
        let hints: Vec<String> = match i {
            0 | 1 => vec!["sales_phrasing".into()],
            2 => vec!["template_leftover".into(), "sales_phrasing".into()],
            3..=9 => vec!["no_message".into()],
            _ => Vec::new(),
        };
        store.add_request(&NewRequest { hints, ..req(&format!("Person {i:02}"), 1 + i % 20, "hello there") }).unwrap();
    }
    let checklist = Checklist::builtin();
    // Five suggested scams without a hint, and one on a request with a sales hint.
    let scam = crate::model::StoredFinding {
        detector: "scam".into(),
        item: Some("scam".into()),
        answer: true,
        why: "scam: ‘verify your identity’".into(),
        words: vec!["verify your identity".into()],
        fact: None,
    };
    for id in [1, 21, 22, 23, 24, 25] {
        store.set_findings(id, std::slice::from_ref(&scam), &checklist).unwrap();
    }
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["*", "a", "enter"]);
    assert_eq!(app.mode(), Mode::Prompt(PromptKind::Reason(Verdict::Accept)), "asked once more");
    let said = app.notice.clone().unwrap();
    assert_eq!(said.level, Level::Warning);
    assert_eq!(
        said.text,
        "accept all 60 pending requests (the whole queue), 8 with red flags? enter again records all 60, \
         esc cancels · hint:template 1, hint:sales 3, ev:scam 6"
    );
    assert!(app.store().log_page(None, 1).unwrap().is_empty(), "nothing recorded yet");
    assert!(screen(&app, 120, 40).contains("accept all 60 pending requests"), "the question is in sight");
    // A changed reason is a new question.
    type_text(&mut app, "all good");
    press(&mut app, &["enter"]);
    assert!(app.store().log_page(None, 1).unwrap().is_empty(), "asked again for the new reason");
    press(&mut app, &["esc"]);
    assert!(app.store().log_page(None, 1).unwrap().is_empty(), "esc: nothing recorded");
    assert_eq!(app.queue.marks.len(), 60, "the marks stay");
    // Asked, then confirmed: recorded.
    press(&mut app, &["a", "enter", "enter"]);
    assert_eq!(app.mode(), Mode::Normal);
    assert!(app.notice.as_ref().unwrap().text.starts_with("accepted 60 requests together"), "{:?}", app.notice);
    assert_eq!(app.store().count(Status::Pending).unwrap(), 0);
}

#[test]
fn a_small_batch_that_is_the_whole_queue_asks_too_and_one_within_a_filter_does_not() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["*", "d"]);
    type_text(&mut app, "not now");
    press(&mut app, &["enter"]);
    let said = app.notice.clone().unwrap().text;
    assert!(
        said.starts_with("decline all 4 pending requests (the whole queue), 1 with a red flag? enter again"),
        "{said}"
    );
    press(&mut app, &["esc", "esc", "space", "j", "space", "d"]);
    type_text(&mut app, "not now");
    press(&mut app, &["enter"]);
    assert_eq!(app.mode(), Mode::Normal, "2 of 4: recorded at once");
    assert_eq!(app.store().count(Status::Pending).unwrap(), 2);
}

#[test]
fn marks_outside_the_filter_are_counted_in_the_prompt_and_the_prefill_fits_all_of_them() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["/"]);
    type_text(&mut app, "hint:no-message");
    press(&mut app, &["enter", "*"]); // Cy
    press(&mut app, &["/", "ctrl-u"]);
    type_text(&mut app, "hint:sales");
    press(&mut app, &["enter", "space"]); // Bo, shown; Cy marked, not shown
    assert_eq!(app.queue.marks.len(), 2);
    press(&mut app, &["d"]);
    assert_eq!(editor_lines(&app), [""], "no hint fits both: nothing prefilled");
    let shown = screen(&app, 120, 40);
    assert!(shown.contains("decline 2 marked requests  ! 1 outside the filter"), "{shown}");
    press(&mut app, &["esc"]);
    // Both share a hint, one of them outside the filter: that hint is the prefill.
    app.store_mut().raw_for_tests().execute("UPDATE request SET hints = 'sales_phrasing' WHERE id = 3", []).unwrap();
    press(&mut app, &["d"]);
    assert_eq!(editor_lines(&app), ["message uses sales phrasing"]);
}
