//! The To do and Stats screens.

use super::*;

#[test]
fn todo_lists_decisions_to_carry_out_opens_and_marks_done() {
    let (mut store, checklist) = (log_fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["T"]);
    let todo: Vec<(String, &str)> = app.todo.paged.rows.iter().map(|t| (t.request.name.clone(), t.action)).collect();
    assert_eq!(
        todo,
        [
            ("Ada Lovelace".to_string(), "accept"),
            ("Di Repeat".to_string(), "accept"),
            ("Bo Seller".to_string(), "ignore"),
            ("Cy Quiet".to_string(), "ignore")
        ],
        "grouped by what to do on LinkedIn"
    );
    press(&mut app, &["j", "j", "o"]);
    assert_eq!(app.effect.take(), Some(Effect::Open("https://www.linkedin.com/in/bo-seller".into())));
    press(&mut app, &["m"]);
    assert_eq!(app.todo.paged.rows.len(), 3);
    assert_eq!(app.store().linkedin_todo_page(None, 10).unwrap().len(), 3, "written to the store");
    assert_eq!(app.todo.paged.selected().unwrap().request.name, "Cy Quiet");
    // The screen-only keys say where they work.
    press(&mut app, &["Q", "m"]);
    assert!(app.notice.as_ref().unwrap().text.contains("To do screen"));
    press(&mut app, &["p"]);
    assert!(app.notice.as_ref().unwrap().text.contains("Declined screen"));
    press(&mut app, &["T", "d"]);
    assert!(app.notice.as_ref().unwrap().text.contains("Queue screen"));
}

#[test]
fn stats_show_counts_rates_reasons_answers_and_the_week() {
    let (mut store, checklist) = (log_fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["S"]);
    let StatsView::Ready(stats) = &app.stats.state else { panic!("in-memory stats are computed at once") };
    assert_eq!(stats.decisions.get("declined"), Some(&3));
    let s = screen_text(&app);
    assert!(s.contains("✓ 2 accepted  ✗ 2 declined"), "people, not log rows (Di's decline was changed): {s}");
    assert!(s.contains("6 decisions in the log"), "{s}");
    assert!(s.contains("… 1 deferred"), "{s}");
    assert!(s.contains("selling outsourcing"), "{s}");
    assert!(s.contains("Accepted % by month, 2026-10 to 2026-11"), "{s}");
    assert!(s.contains("Oct   Nov"), "months by name, in order: {s}");
    assert!(s.contains("This week: 2 decisions"), "{s}");
}

#[test]
fn undo_after_mark_done_takes_back_the_mark_done() {
    let (mut store, checklist) = (log_fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    let decisions = app.store().log_page(None, 100).unwrap().len();
    press(&mut app, &["T", "m"]);
    assert_eq!(app.todo.paged.rows.len(), 3);
    press(&mut app, &["u"]);
    assert!(app.notice.as_ref().unwrap().text.contains("is on the To do list again"));
    assert_eq!(app.todo.paged.rows.len(), 4);
    assert_eq!(app.store().log_page(None, 100).unwrap().len(), decisions, "no decision was reverted");
    press(&mut app, &["u"]);
    assert!(app.notice.as_ref().unwrap().text.contains("nothing to undo"));
}

#[test]
fn the_to_do_list_groups_by_action_and_marks_many_done_at_once() {
    let (mut store, checklist) = (log_fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["T"]);
    let actions: Vec<&str> = app.todo.paged.rows.iter().map(|t| t.action).collect();
    assert_eq!(actions, ["accept", "accept", "ignore", "ignore"], "grouped by what to do");
    press(&mut app, &["space", "j", "space"]);
    assert!(screen_text(&app).contains("[x] accept"), "{}", screen_text(&app));
    press(&mut app, &["m"]);
    assert_eq!(app.notice.as_ref().unwrap().text, "done on LinkedIn: 2 requests (u undoes)");
    assert_eq!(app.todo.paged.rows.len(), 2);
    press(&mut app, &["*", "m"]);
    assert!(app.todo.paged.rows.is_empty(), "every page marked, then done together");
    press(&mut app, &["u"]);
    assert_eq!(app.todo.paged.rows.len(), 2, "undone as one step");
    press(&mut app, &["u"]);
    assert_eq!(app.todo.paged.rows.len(), 4);
}

#[test]
fn to_do_hides_the_optional_ignores_and_walks_profile_by_profile() {
    let (mut store, checklist) = (log_fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["T"]);
    assert!(screen_text(&app).contains("ignoring is optional: LinkedIn never tells the sender · I hides the ignores"));
    let shown = |app: &App<'_>| -> Vec<String> { app.todo.paged.rows.iter().map(|t| t.request.name.clone()).collect() };
    press(&mut app, &["I"]);
    assert_eq!(shown(&app), ["Ada Lovelace", "Di Repeat"], "the accepts only");
    assert!(app.notice.as_ref().unwrap().text.contains("ignoring is optional"), "{:?}", app.notice);
    assert!(screen_text(&app).contains("accepts only · I shows the ignores too"));
    press(&mut app, &["G"]);
    assert_eq!(app.todo.paged.selected().unwrap().request.name, "Di Repeat", "the end of the accepts");
    press(&mut app, &["I"]);
    assert_eq!(shown(&app).len(), 4);

    // The walk: each step marks the profile opened before done and opens the next.
    let open = |app: &mut App<'_>| match app.effect.take() {
        Some(Effect::Open(url)) => url,
        other => panic!("no profile opened: {other:?}"),
    };
    press(&mut app, &["w"]);
    assert_eq!(open(&mut app), "https://www.linkedin.com/in/ada-lovelace");
    assert_eq!(app.store().linkedin_todo_page(None, 10).unwrap().len(), 4, "nothing done yet");
    assert!(screen_text(&app).contains("· walking") && screen_text(&app).contains("↗[ ] accept Ada Lovelace"));
    press(&mut app, &["w"]);
    assert_eq!(open(&mut app), "https://www.linkedin.com/in/di-repeat");
    assert!(app.notice.as_ref().unwrap().text.starts_with("done: accept Ada Lovelace · walk: accept Di Repeat"));
    assert_eq!(shown(&app), ["Di Repeat", "Bo Seller", "Cy Quiet"]);
    press(&mut app, &["w", "w"]);
    assert_eq!(open(&mut app), "https://www.linkedin.com/in/cy-quiet");
    press(&mut app, &["w"]);
    assert_eq!(app.effect.take(), None, "nothing left to open");
    assert!(app.notice.as_ref().unwrap().text.contains("the walk is over: nothing left to do on LinkedIn"));
    assert!(app.store().linkedin_todo_page(None, 10).unwrap().is_empty(), "all four marked done");
    // Each step is undone on its own; esc stops a walk without marking anything.
    press(&mut app, &["u"]);
    assert_eq!(shown(&app), ["Cy Quiet"]);
    assert!(app.notice.as_ref().unwrap().text.contains("undone: Cy Quiet is on the To do list again"));
    press(&mut app, &["w", "esc"]);
    assert!(app.notice.as_ref().unwrap().text.contains("walk stopped"));
    press(&mut app, &["w"]);
    assert_eq!(app.store().linkedin_todo_page(None, 10).unwrap().len(), 1, "a stopped walk marks nothing");
}

#[test]
fn an_ignore_a_newer_export_no_longer_lists_says_it_is_probably_done() {
    let dir = tempfile::tempdir().unwrap();
    let export = |name: &str, rows: &str| {
        let at = dir.path().join(name);
        std::fs::create_dir(&at).unwrap();
        std::fs::write(
            at.join("Invitations.csv"),
            format!("From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n{rows}"),
        )
        .unwrap();
        std::fs::write(
            at.join("Connections.csv"),
            "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n",
        )
        .unwrap();
        at
    };
    let olaf = "Olaf Olsen,Me,\"6/1/26, 9:00 AM\",,INCOMING,https://www.linkedin.com/in/olaf-olsen,x\n";
    let nils = "Nils Dahl,Me,\"12/5/26, 9:00 AM\",,INCOMING,https://www.linkedin.com/in/nils-dahl,x\n";
    let mut store = Store::in_memory().unwrap();
    crate::import::import(&mut store, &export("first", olaf), crate::import::Options::default()).unwrap();
    let id = store.requests_page(&Default::default(), None, 10).unwrap()[0].id;
    store.decide(id, Verdict::Decline, "no", &Default::default()).unwrap();
    crate::import::import(&mut store, &export("newer", nils), crate::import::Options::default()).unwrap();
    let checklist = Checklist::builtin();
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["T"]);
    let shown = screen(&app, 120, 40);
    assert!(shown.contains("ignore Olaf Olsen"), "{shown}");
    assert!(shown.contains("probably done — it is not in your 2026-12 export · https://"), "{shown}");
}
