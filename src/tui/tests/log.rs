//! The Log and Declined screens: lists, filters, paging, reconsidering, the chains.

use super::*;

#[test]
fn declined_lists_current_declines_with_reason_answers_and_notes() {
    let (mut store, checklist) = (log_fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["D"]);
    assert_eq!(log_names(&app, Screen::Declined), ["Cy Quiet", "Bo Seller"], "Di was accepted since");
    press(&mut app, &["j"]);
    let s = screen_text(&app);
    assert!(s.contains("selling outsourcing"), "{s}");
    assert!(s.contains("[x] Wants to sell me something"), "checklist then: {s}");
    assert!(s.contains("Pitched outsourcing twice."), "notes: {s}");
    // A decline made in the queue shows when the screen is shown again.
    press(&mut app, &["Q"]);
    drop(app);
    store.add_request(&req("Fay New", 24, "hello")).unwrap();
    let mut app = self::app(&mut store, &checklist);
    press(&mut app, &["D", "Q", "d"]);
    type_text(&mut app, "not now");
    press(&mut app, &["enter", "D"]);
    assert_eq!(log_names(&app, Screen::Declined), ["Fay New", "Cy Quiet", "Bo Seller"]);
}

#[test]
fn reconsidering_a_decline_keeps_the_whole_chain() {
    let (mut store, checklist) = (log_fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["D", "j", "a"]);
    assert_eq!(app.mode(), Mode::Prompt(PromptKind::Reconsider(Reconsider::Accept)));
    press(&mut app, &["enter"]);
    assert_eq!(app.notice.as_ref().unwrap().level, Level::Warning, "a new reason is required");
    type_text(&mut app, "they stopped selling");
    press(&mut app, &["enter"]);
    assert_eq!(app.mode(), Mode::Normal);
    assert_eq!(log_names(&app, Screen::Declined), ["Cy Quiet"]);
    let history = app.store().person_history(2, 10).unwrap();
    assert_eq!(history.len(), 2, "the decline stays in the log");
    assert_eq!((history[0].decision, history[0].reason.as_str()), (Status::Accepted, "they stopped selling"));
    assert_eq!(history[0].supersedes, Some(history[1].id));
    assert_eq!((history[1].decision, history[1].reason.as_str()), (Status::Declined, "selling outsourcing"));
    // Back to pending: the request returns to the queue, the chain grows.
    let pending = app.session.pending;
    press(&mut app, &["p"]);
    type_text(&mut app, "ask them first");
    press(&mut app, &["enter"]);
    assert!(log_names(&app, Screen::Declined).is_empty());
    assert_eq!(app.session.pending, pending + 1);
    assert_eq!(app.store().request(3).unwrap().status, Status::Pending);
    press(&mut app, &["Q"]);
    assert!(app.queue.win.rows.iter().any(|(r, _)| r.name == "Cy Quiet"), "back in the queue");
    press(&mut app, &["L"]);
    let s = screen_text(&app);
    assert!(s.contains("back to pending") || s.contains("ask them first"), "{s}");
    // Esc cancels without writing.
    press(&mut app, &["D"]);
    let before = app.store().log_page(None, 100).unwrap().len();
    press(&mut app, &["p", "esc"]);
    assert_eq!(app.store().log_page(None, 100).unwrap().len(), before);
}

#[test]
fn undo_takes_back_the_last_decision_whichever_screen_it_was_made_on() {
    let (mut store, checklist) = (log_fixture(), Checklist::builtin());
    let fay = store.add_request(&req("Fay New", 24, "hello")).unwrap().0;
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["d"]);
    type_text(&mut app, "not now");
    press(&mut app, &["enter", "D"]);
    assert_eq!(log_names(&app, Screen::Declined), ["Fay New", "Cy Quiet", "Bo Seller"]);
    press(&mut app, &["j", "j", "a"]);
    type_text(&mut app, "they stopped selling");
    press(&mut app, &["enter", "p"]);
    type_text(&mut app, "ask them first");
    press(&mut app, &["enter"]);
    assert_eq!(log_names(&app, Screen::Declined), ["Fay New"]);
    let pending = app.session.pending;

    // On Declined: the reopen of Cy is taken back; Cy is declined again and leaves the queue.
    press(&mut app, &["u"]);
    assert_eq!(app.store().request(3).unwrap().status, Status::Declined);
    assert_eq!(app.session.pending, pending - 1);
    assert_eq!(log_names(&app, Screen::Declined), ["Cy Quiet", "Fay New"], "shown again, the undo first");
    assert!(app.notice.as_ref().unwrap().text.contains("Cy Quiet"), "{:?}", app.notice);
    // In the queue: the reconsidered accept of Bo comes before Fay's decline, made earlier.
    press(&mut app, &["Q"]);
    assert!(!app.queue.win.rows.iter().any(|(r, _)| r.name == "Cy Quiet"), "no longer pending");
    press(&mut app, &["u"]);
    assert_eq!(app.store().request(2).unwrap().status, Status::Declined);
    assert_eq!(app.store().request(fay).unwrap().status, Status::Declined);
    press(&mut app, &["u"]);
    assert_eq!(app.store().request(fay).unwrap().status, Status::Pending);
    assert_eq!(selected_name(&app), "Fay New");
    press(&mut app, &["u"]);
    assert!(app.notice.as_ref().unwrap().text.contains("nothing to undo"));

    press(&mut app, &["D"]);
    assert_eq!(log_names(&app, Screen::Declined), ["Bo Seller", "Cy Quiet"]);
    let chain: Vec<_> = app.store().person_history(2, 10).unwrap();
    let chain: Vec<_> = chain.iter().map(|d| (d.decision, d.reason.as_str(), d.undo)).collect();
    assert_eq!(
        chain,
        [
            (Status::Declined, "undo", true),
            (Status::Accepted, "they stopped selling", false),
            (Status::Declined, "selling outsourcing", false)
        ]
    );
    press(&mut app, &["L"]);
    assert_eq!(log_names(&app, Screen::Log)[..4], ["Fay New", "Bo Seller", "Cy Quiet", "Cy Quiet"]);
}

#[test]
fn the_log_shows_every_change_of_mind_as_a_chain() {
    let (mut store, checklist) = (log_fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["L"]);
    assert_eq!(
        log_names(&app, Screen::Log),
        ["Eve Later", "Di Repeat", "Cy Quiet", "Bo Seller", "Di Repeat", "Ada Lovelace"],
        "newest first"
    );
    press(&mut app, &["j"]);
    let s = screen_text(&app);
    assert!(s.contains("↶#2"), "the list shows what the decision replaced: {s}");
    assert!(s.contains("#5 ✓ accepted 2026-11-20: met in person after all (replaces"), "{s}");
    assert!(s.contains("#2 ✗ declined 2026-10-05: collects connections"), "{s}");
}

#[test]
fn log_filters_by_text_kind_reason_and_dates() {
    let (mut store, checklist) = (log_fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["L", "/"]);
    assert_eq!(app.mode(), Mode::Prompt(PromptKind::Filter));
    type_text(&mut app, "ou");
    assert_eq!(log_names(&app, Screen::Log).len(), 6, "two characters do not filter yet");
    assert!(app.notice.as_ref().unwrap().text.contains("3 characters"));
    type_text(&mut app, "tsourcing");
    assert_eq!(log_names(&app, Screen::Log), ["Bo Seller"], "reason text");
    press(&mut app, &["enter"]);
    assert_eq!(app.mode(), Mode::Normal);
    assert_eq!(log_names(&app, Screen::Log), ["Bo Seller"], "enter keeps the filter");
    let filter = |app: &mut App<'_>, text: &str| {
        press(app, &["/"]);
        for _ in 0..60 {
            press(app, &["backspace"]);
        }
        type_text(app, text);
        press(app, &["enter"]);
        log_names(app, app.screen)
    };
    assert_eq!(filter(&mut app, "twice"), ["Bo Seller"], "notes");
    assert_eq!(filter(&mut app, "CONFERENCE"), ["Eve Later"], "message, case-insensitive");
    assert_eq!(filter(&mut app, "is:accepted"), ["Di Repeat", "Ada Lovelace"]);
    assert_eq!(filter(&mut app, "is:declined since:2026-11-01"), ["Cy Quiet", "Bo Seller"]);
    assert_eq!(filter(&mut app, "until:2026-10-05"), ["Di Repeat", "Ada Lovelace"], "until includes the day");
    assert_eq!(filter(&mut app, "reason:person"), ["Di Repeat", "Cy Quiet"], "in person, personal");
    assert_eq!(filter(&mut app, "reason:all"), ["Di Repeat"]);
    assert_eq!(filter(&mut app, "reason:twice"), Vec::<String>::new(), "reason: looks in the reason only");
    assert_eq!(filter(&mut app, "since:someday").len(), 6);
    assert_eq!(app.notice.as_ref().unwrap().text, "since: use YYYY-MM-DD");
    press(&mut app, &["/", "esc"]);
    assert_eq!(log_names(&app, Screen::Log).len(), 6, "esc clears the filter");
    // The Declined screen filters by text, reason and date too.
    press(&mut app, &["D"]);
    assert_eq!(filter(&mut app, "note"), ["Cy Quiet"]);
    assert_eq!(filter(&mut app, "since:2026-11-15"), ["Cy Quiet"]);
    assert_eq!(filter(&mut app, "reason:selling"), ["Bo Seller"]);
}

#[test]
fn log_screens_page_with_keyset_pagination() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    for i in 0..(PAGE + 10) {
        store.add_request(&req(&format!("Many {i:03}"), 1, "")).unwrap();
    }
    let n = store.count(Status::Pending).unwrap() as i64;
    for id in 1..=n {
        decide_at(&mut store, id, "declined", "bulk", "{}", &format!("2026-11-01T10:{:02}:{:02}Z", id / 60, id % 60));
    }
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["L"]);
    assert_eq!(app.log.paged.rows.len(), PAGE, "one page, never everything");
    for _ in 1..PAGE {
        press(&mut app, &["j"]);
    }
    assert_eq!(app.log.paged.sel, PAGE - 1);
    press(&mut app, &["j"]);
    assert_eq!((app.log.paged.page(), app.log.paged.sel), (2, 0), "the next page comes from SQL");
    assert_eq!(app.log.paged.rows.len(), n as usize - PAGE);
    assert!(app.log.paged.at_end);
    press(&mut app, &["k"]);
    assert_eq!((app.log.paged.page(), app.log.paged.sel), (1, PAGE - 1), "and back");
    press(&mut app, &["pagedown", "pagedown", "pagedown", "pagedown", "pagedown", "pagedown", "pagedown"]);
    assert_eq!(app.log.paged.page(), 2);
    press(&mut app, &["g"]);
    assert_eq!((app.log.paged.page(), app.log.paged.sel), (1, 0));
    press(&mut app, &["pageup"]);
    assert_eq!(app.log.paged.sel, 0);
}

#[test]
fn snapshot_log_screens() {
    let (mut store, checklist) = (log_fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["D", "j"]);
    insta::assert_snapshot!("declined_80x24", screen(&app, 80, 24));
    insta::assert_snapshot!("declined_120x40", screen(&app, 120, 40));
    press(&mut app, &["a"]);
    type_text(&mut app, "they stopped selling");
    insta::assert_snapshot!("reconsider_prompt_80x24", screen(&app, 80, 24));
    press(&mut app, &["esc", "L", "j"]);
    insta::assert_snapshot!("log_80x24", screen(&app, 80, 24));
    insta::assert_snapshot!("log_120x40", screen(&app, 120, 40));
    press(&mut app, &["/"]);
    type_text(&mut app, "is:declined conn");
    insta::assert_snapshot!("log_filter_80x24", screen(&app, 80, 24));
    press(&mut app, &["enter", "S"]);
    insta::assert_snapshot!("stats_80x24", screen(&app, 80, 24));
    insta::assert_snapshot!("stats_120x40", screen(&app, 120, 40));
    press(&mut app, &["T"]);
    insta::assert_snapshot!("todo_80x24", screen(&app, 80, 24));
    insta::assert_snapshot!("todo_120x40", screen(&app, 120, 40));
}

#[test]
fn a_filter_keystroke_stops_at_the_newest_decisions_and_the_end_of_the_list_searches_all() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let rows = crate::store::LOG_SCAN_WINDOW + 100;
    for i in 0..rows {
        store.add_request(&req(&format!("Bulk {i}"), 1, "")).unwrap();
    }
    decide_at(&mut store, 1, "declined", "the needle reason", "{}", "2026-01-01T00:00:00Z");
    let n = store.count(Status::Pending).unwrap() as i64;
    for id in 2..=n {
        decide_at(&mut store, id, "accepted", "fine", "{}", "2026-02-01T00:00:00Z");
    }
    let mut app = app(&mut store, &checklist);
    app.log.filter_budget = std::time::Duration::ZERO;
    press(&mut app, &["L", "/"]);
    type_text(&mut app, "needle");
    press(&mut app, &["enter"]);
    assert!(app.log.paged.rows.is_empty() && !app.log.complete);
    assert!(screen_text(&app).contains("… more may match: j at the end searches all"));
    press(&mut app, &["j"]);
    assert!(app.log.complete);
    assert_eq!(log_names(&app, Screen::Log), ["Ada Lovelace"]);
}

#[test]
fn declined_lists_a_person_once_and_an_undone_reconsider_shows_the_decline_again() {
    let (mut store, checklist) = (log_fixture(), Checklist::builtin());
    let (again, _) = store.add_request(&req("Bo Seller", 24, "Me again, about outsourcing")).unwrap();
    store.decide(again, Verdict::Decline, "still selling", &Default::default()).unwrap();
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["D"]);
    assert_eq!(log_names(&app, Screen::Declined), ["Bo Seller", "Cy Quiet"], "Bo once, by the latest decline");
    assert_eq!(app.declined.paged.rows[0].decision.reason, "still selling");
    press(&mut app, &["j", "a"]);
    type_text(&mut app, "asked around, fine");
    press(&mut app, &["enter"]);
    assert_eq!(log_names(&app, Screen::Declined), ["Bo Seller"]);
    press(&mut app, &["u"]);
    assert_eq!(log_names(&app, Screen::Declined), ["Cy Quiet", "Bo Seller"], "the undo is the newest word");
    let cy = &app.declined.paged.rows[0].decision;
    assert_eq!((cy.name.as_str(), cy.undo, cy.reason.as_str()), ("Cy Quiet", true, "no personal note"));
    assert!(screen(&app, 120, 40).contains("Cy Quiet           ↶#8 no personal note"), "{}", screen(&app, 120, 40));
}

#[test]
fn a_deferral_says_when_it_comes_back_in_the_log_and_the_exports() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    store
        .decide_until(1, Verdict::Defer, "after the conference", &Default::default(), Some("2026-12-15T08:00:00Z"))
        .unwrap();
    let mut app = app(&mut store, &checklist);
    app.ctx.zone = jiff::tz::TimeZone::get("America/Los_Angeles").unwrap();
    press(&mut app, &["L"]);
    let shown = screen(&app, 120, 40);
    assert!(shown.contains("Ada Lovelace       until 2026-12-15 · af"), "the row: {shown}");
    assert!(shown.contains("(until 2026-12-15)"), "the detail, in the user's zone: {shown}");
    let mut csv = Vec::new();
    crate::export::write(app.store(), crate::export::Format::Csv, "now", &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.lines().next().unwrap().ends_with(",defer_until"), "{csv}");
    assert!(csv.contains(",2026-12-15T08:00:00Z"), "{csv}");
}

#[test]
fn the_log_shows_decisions_made_together() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let items = [(2, Status::Pending), (3, Status::Pending)];
    let batch = store.decide_batch(&items, Verdict::Decline, "template spam", None).unwrap();
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["L"]);
    let shown = screen(&app, 120, 40);
    assert!(shown.contains("×2 template spam"), "{shown}");
    assert!(shown.contains(&format!("· batch {}, 2 declined together", batch.id)), "{shown}");
}

#[test]
fn a_reconsider_on_a_declined_view_decided_elsewhere_since_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.db");
    let mut store = fixture_on_disk(&path);
    store.decide(2, Verdict::Decline, "selling", &Default::default()).unwrap();
    let checklist = Checklist::builtin();
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["D"]);
    let mut other = Store::open(&path).unwrap();
    other.reopen(2, Status::Declined, "from the command line").unwrap();
    press(&mut app, &["p"]);
    type_text(&mut app, "ask them");
    press(&mut app, &["enter"]);
    assert!(app.notice.as_ref().unwrap().text.starts_with("NOT recorded: Bo Seller"), "{:?}", app.notice);
    let latest = &app.store().log_page(None, 1).unwrap()[0];
    assert_eq!(latest.reason, "from the command line", "the other session's word stands");
}

#[test]
fn declined_and_log_details_show_what_the_person_wrote_each_its_own_in_a_batch() {
    // Ada's message holds an escape sequence, as the store keeps what it was given.
    let (mut store, checklist) = (Store::in_memory().unwrap(), Checklist::builtin());
    let ada = req("Ada Lovelace", 2, "Hi\u{1b}[2J there");
    store.add_request(&NewRequest { headline: Some("Compiler engineer at Analytical Engines".into()), ..ada }).unwrap();
    let bo = req("Bo Seller", 10, "Hi {first_name}, I help founders like you 10x their leads. Quick call?");
    store.add_request(&NewRequest { headline: Some("Growth hacker | 10x your pipeline".into()), ..bo }).unwrap();
    let items = [(1, Status::Pending), (2, Status::Pending)];
    store.decide_batch(&items, Verdict::Decline, "not now", None).unwrap();
    let mut app = app(&mut store, &checklist);
    for screen_key in ["D", "L"] {
        press(&mut app, &[screen_key]);
        let mut seen = Vec::new();
        for _ in 0..2 {
            let shown = screen(&app, 120, 40);
            seen.push(shown.clone());
            press(&mut app, &["j"]);
        }
        let bo = seen.iter().find(|s| s.contains("Bo Seller │") || s.contains("│Bo Seller")).unwrap();
        assert!(bo.contains("Headline: Growth hacker | 10x your pipeline"), "{bo}");
        assert!(bo.contains("Their message") && bo.contains("I help founders like you 10x their leads"), "{bo}");
        let ada = seen.iter().find(|s| s.contains("│Ada Lovelace")).unwrap();
        assert!(ada.contains("Headline: Compiler engineer at Analytical Engines"), "{ada}");
        assert!(ada.contains("Hi␛[2J there"), "through the text gate: {ada}");
        assert!(!ada.contains("I help founders"), "its own message, not the batch's other: {ada}");
    }
    // A person without a message says so.
    drop(app);
    let mut store = log_fixture();
    let mut app = super::app(&mut store, &checklist);
    press(&mut app, &["D"]);
    while app.declined.paged.selected().is_some_and(|r| r.decision.name != "Cy Quiet") {
        press(&mut app, &["j"]);
    }
    assert!(screen(&app, 120, 40).contains("(no message)"));
}

#[test]
fn g_and_end_reach_the_real_end_of_log_declined_and_to_do() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    for i in 0..(2 * PAGE + 10) {
        store.add_request(&req(&format!("Many {i:03}"), 1, "")).unwrap();
    }
    let n = store.count(Status::Pending).unwrap() as i64;
    for id in 1..=n {
        let status = if id <= 3 { "accepted" } else { "declined" };
        decide_at(&mut store, id, status, "bulk", "{}", &format!("2026-11-01T10:{:02}:{:02}Z", id / 60, id % 60));
    }
    let mut app = app(&mut store, &checklist);
    let selected = |app: &App<'_>, screen: Screen| match screen {
        Screen::Log => app.log.paged.selected().map(|r| r.decision.id),
        Screen::Declined => app.declined.paged.selected().map(|r| r.decision.id),
        _ => app.todo.paged.selected().map(|r| r.request.id),
    };
    // Log and Declined: newest first, so the end is the oldest decision (a decline from 4 on).
    for (key, screen, oldest) in [("L", Screen::Log, 1), ("D", Screen::Declined, 4)] {
        press(&mut app, &[key, "G"]);
        assert_eq!(selected(&app, screen), Some(oldest), "{key}: the real end, not the page's");
        let shown = screen_text(&app);
        assert!(shown.contains("last page") && shown.contains("end of the list"), "{shown}");
        // Up from the end crosses into the page above it, read backwards.
        let on_page = if screen == Screen::Log { app.log.paged.rows.len() } else { app.declined.paged.rows.len() };
        for _ in 0..on_page {
            press(&mut app, &["k"]);
        }
        assert_eq!(selected(&app, screen), Some(oldest + on_page as i64), "{key}: the row just above");
        assert!(screen_text(&app).contains("page 2 from the end"));
        press(&mut app, &["j"]);
        assert_eq!(selected(&app, screen), Some(oldest + on_page as i64 - 1), "{key}: and down again");
        press(&mut app, &["g"]);
        assert_eq!(selected(&app, screen), Some(n), "{key}: g goes back to the newest");
        press(&mut app, &["end"]);
        assert_eq!(selected(&app, screen), Some(oldest), "{key}: end does the same as G");
    }
    // A filter: the end of what matches.
    press(&mut app, &["L", "/"]);
    type_text(&mut app, "many is:declined");
    press(&mut app, &["enter", "G"]);
    assert_eq!(app.log.paged.selected().unwrap().decision.name, "Many 000");
    // To do: the accepts, then the ignores; the end is the last ignore.
    press(&mut app, &["T", "G"]);
    assert_eq!(selected(&app, Screen::Todo), Some(n), "the last ignore");
    assert!(screen_text(&app).contains("last page"));
    for _ in 0..app.todo.paged.rows.len() {
        press(&mut app, &["k"]);
    }
    assert_eq!(selected(&app, Screen::Todo), Some(n - PAGE as i64));
    press(&mut app, &["g"]);
    assert_eq!(selected(&app, Screen::Todo), Some(1), "the first accept");
}
