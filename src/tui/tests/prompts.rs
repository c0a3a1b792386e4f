//! The prompts: reasons, the notes editor, $EDITOR, pastes, readline keys.

use super::*;

#[test]
fn decline_asks_for_a_reason_and_refuses_an_empty_one() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["d"]);
    assert_eq!(app.mode(), Mode::Prompt(PromptKind::Reason(Verdict::Decline)));
    assert_eq!(editor_lines(&app), [""], "nothing answered: nothing to prefill");
    press(&mut app, &["enter"]);
    assert_eq!(app.mode(), Mode::Prompt(PromptKind::Reason(Verdict::Decline)), "still asking");
    assert_eq!(app.notice.as_ref().unwrap().level, Level::Warning);
    assert!(app.notice.as_ref().unwrap().text.contains("needs a reason"));
    assert!(app.store().log_page(None, 10).unwrap().is_empty(), "nothing recorded");
    type_text(&mut app, "not my field");
    press(&mut app, &["enter"]);
    assert_eq!(app.mode(), Mode::Normal);
    let log = app.store().log_page(None, 10).unwrap();
    assert_eq!(
        (log[0].decision, log[0].reason.as_str(), log[0].name.as_str()),
        (Status::Declined, "not my field", "Ada Lovelace")
    );
    assert_eq!(app.session.pending, 3);
    assert_eq!(selected_name(&app), "Bo Seller", "the next request is shown");
}

#[test]
fn reasons_are_prefilled_from_the_checklist_and_editable() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["j"]);
    let selling = checklist.items.iter().position(|i| i.key == "selling").unwrap() + 1;
    press(&mut app, &[&selling.to_string()]);
    press(&mut app, &["d"]);
    assert_eq!(
        editor_lines(&app),
        [checklist.reason_for(Verdict::Decline, &app.queue.current.as_ref().unwrap().answers)]
    );
    type_text(&mut app, "; pitch in the first line");
    press(&mut app, &["enter"]);
    let log = app.store().log_page(None, 1).unwrap();
    assert_eq!(log[0].reason, "wants to sell me something; pitch in the first line");
    assert_eq!(log[0].answers.get("selling"), Some(&true), "the checklist is kept with the decision");
}

#[test]
fn accept_and_defer_take_optional_reasons_and_esc_cancels() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["a"]);
    assert_eq!(app.mode(), Mode::Prompt(PromptKind::Reason(Verdict::Accept)));
    press(&mut app, &["esc"]);
    assert_eq!(app.mode(), Mode::Normal);
    assert!(app.store().log_page(None, 10).unwrap().is_empty());
    press(&mut app, &["a", "enter"]);
    press(&mut app, &["l", "enter"]);
    let log = app.store().log_page(None, 10).unwrap();
    assert_eq!(log.iter().map(|d| d.decision).collect::<Vec<_>>(), [Status::Deferred, Status::Accepted]);
    assert_eq!(app.session.len(), 2);
    assert_eq!(selected_name(&app), "Cy Quiet");
    // In the prompt, normal keys are text.
    press(&mut app, &["a"]);
    type_text(&mut app, "q");
    assert!(!app.quit);
    assert_eq!(editor_lines(&app), ["q"]);
}

#[test]
fn notes_are_edited_inline_and_saved_only_on_save() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["j", "e"]);
    assert_eq!(app.mode(), Mode::Prompt(PromptKind::Notes));
    type_text(&mut app, "Cold pitch.");
    press(&mut app, &["enter"]);
    type_text(&mut app, "Second line.");
    press(&mut app, &["esc"]);
    assert_eq!(app.mode(), Mode::Prompt(PromptKind::Notes), "unsaved notes: asked first");
    assert!(app.notice.as_ref().unwrap().text.contains("unsaved notes: ctrl-s saves them, esc again closes"));
    press(&mut app, &["esc"]);
    assert_eq!(app.mode(), Mode::Normal);
    assert_eq!(app.store().note(2).unwrap(), None, "discarded");
    press(&mut app, &["e"]);
    type_text(&mut app, "Cold pitch.");
    press(&mut app, &["enter"]);
    type_text(&mut app, "q and j are text here");
    press(&mut app, &["ctrl-s"]);
    assert_eq!(app.mode(), Mode::Normal);
    assert_eq!(app.store().note(2).unwrap().as_deref(), Some("Cold pitch.\nq and j are text here"));
    assert_eq!(app.queue.current.as_ref().unwrap().note.as_deref(), Some("Cold pitch.\nq and j are text here"));
    // The new notes are searchable at once.
    press(&mut app, &["/"]);
    type_text(&mut app, "cold pitch");
    assert_eq!(app.queue.win.rows.len(), 1);
    assert_eq!(selected_name(&app), "Bo Seller");
}

#[test]
fn external_editor_is_an_effect_and_its_result_is_saved() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["E"]);
    let Some(Effect::EditNotes { person_id, text }) = app.effect.take() else { panic!("no effect") };
    assert_eq!((person_id, text.as_str()), (1, "Met at RustConf 2025; gave the talk on borrowck."));
    app.finish_external_edit(person_id, &text, &format!("{text}\n"));
    assert_eq!(app.notice.as_ref().unwrap().text, "notes unchanged");
    app.finish_external_edit(person_id, &text, "Rewritten.\n");
    assert_eq!(app.store().note(1).unwrap().as_deref(), Some("Rewritten."));
}

#[test]
fn a_paste_is_text_for_the_focused_prompt_and_never_keys() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    app.on_paste("a\nd\n");
    assert_eq!(app.mode(), Mode::Normal);
    assert!(app.notice.as_ref().unwrap().text.contains("paste ignored"));
    assert_eq!(app.store().log_page(None, 10).unwrap().len(), 0);
    press(&mut app, &["e"]); // the notes editor keeps line ends
    prompt(&mut app).editor = Default::default();
    app.on_paste("met at\r\nRustConf");
    assert_eq!(editor_lines(&app), ["met at", "RustConf"]);
    press(&mut app, &["esc", "esc"]);
    press(&mut app, &["d"]);
    prompt(&mut app).editor = Default::default();
    app.on_paste("spam,\nobviously");
    assert_eq!(editor_lines(&app), ["spam, obviously"], "one line in a one-line prompt");
}

#[test]
fn unsaved_notes_are_not_lost_to_esc_or_ctrl_c_and_keep_their_original_characters() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    store.save_note(2, "tab\there, esc \u{1b}[31m kept").unwrap();
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["j", "e"]);
    type_text(&mut app, "!");
    press(&mut app, &["ctrl-c"]);
    assert!(!app.quit, "asked first");
    assert!(app.notice.as_ref().unwrap().text.contains("ctrl-c again quits without them"));
    type_text(&mut app, "?"); // any other key keeps editing
    press(&mut app, &["esc"]);
    assert_eq!(
        app.mode(),
        Mode::Prompt(PromptKind::Notes),
        "asked again: the earlier question was answered by editing"
    );
    press(&mut app, &["ctrl-s"]);
    assert_eq!(
        app.store().note(2).unwrap().as_deref(),
        Some("tab\there, esc \u{1b}[31m kept!?"),
        "the original characters, not their stand-ins"
    );
    let shown = screen(&app, 120, 40);
    assert!(!shown.contains('\u{1b}'), "drawn safely");
    press(&mut app, &["e", "ctrl-c"]);
    assert!(app.quit, "nothing unsaved: ctrl-c quits at once");
}

#[test]
fn prompts_say_when_a_decision_goes_against_the_recommendation_and_edit_like_readline() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    let flag = checklist.items.iter().position(|i| i.key == "selling").unwrap() + 1;
    press(&mut app, &[&flag.to_string(), "a"]);
    let shown = screen(&app, 120, 40);
    assert!(shown.contains("! against the recommendation (red flag: wants to sell"), "{shown}");
    press(&mut app, &["esc", "d"]);
    assert!(!screen(&app, 120, 40).contains("against the recommendation"), "declining agrees with it");
    prompt(&mut app).editor = Default::default();
    type_text(&mut app, "spam and more words");
    press(&mut app, &["ctrl-w"]);
    assert_eq!(editor_lines(&app), ["spam and more "]);
    press(&mut app, &["ctrl-u"]);
    assert_eq!(editor_lines(&app), [""]);
}

#[test]
fn notes_are_edited_from_the_log_and_declined_too() {
    let (mut store, checklist) = (log_fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["D"]);
    assert_eq!(app.declined.paged.selected().unwrap().decision.name, "Cy Quiet");
    press(&mut app, &["e"]);
    assert_eq!(app.mode(), Mode::Prompt(PromptKind::Notes));
    type_text(&mut app, "Asked twice without a word.");
    press(&mut app, &["ctrl-s"]);
    assert_eq!(app.mode(), Mode::Normal);
    assert_eq!(app.store().note(3).unwrap().as_deref(), Some("Asked twice without a word."));
    assert!(screen_text(&app).contains("Asked twice without a word."), "the detail shows it at once");
    press(&mut app, &["L", "e", "esc"]);
    assert_eq!(app.notice.as_ref().unwrap().text, "notes editor closed without saving");
}

#[test]
fn headline_company_and_location_are_filled_in_from_the_person_pane() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["j", "i"]);
    assert_eq!(editor_lines(&app), ["Headline: Growth hacker | 10x your pipeline", "Company: ", "Location: "]);
    type_text(&mut app, "Lisbon");
    press(&mut app, &["up"]);
    type_text(&mut app, "Acme Outsourcing");
    press(&mut app, &["ctrl-s"]);
    assert_eq!(app.notice.as_ref().unwrap().text, "headline, company and location saved");
    let bo = app.store().request(2).unwrap();
    assert_eq!(
        (bo.headline.as_deref(), bo.company.as_deref(), bo.location.as_deref()),
        (Some("Growth hacker | 10x your pipeline"), Some("Acme Outsourcing"), Some("Lisbon"))
    );
    assert!(screen(&app, 120, 40).contains("Lisbon"));
    press(&mut app, &["/"]);
    type_text(&mut app, "acme");
    assert_eq!(selected_name(&app), "Bo Seller", "a search finds it at once");
    press(&mut app, &["esc", "i", "enter"]);
    type_text(&mut app, "Twitter: @bo");
    press(&mut app, &["ctrl-s"]);
    assert_eq!(app.mode(), Mode::Prompt(PromptKind::Profile), "a line it cannot read keeps the editor open");
    assert!(app.notice.as_ref().unwrap().text.contains("Twitter: @bo?"));
}

#[test]
fn tab_completes_a_reason_from_those_given_before_and_up_down_walk_them() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    for (id, reason) in [(2, "selling outsourcing"), (3, "no personal note"), (4, "Selling  outsourcing")] {
        store.decide(id, Verdict::Decline, reason, &Default::default()).unwrap();
    }
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["d", "ctrl-u"]);
    type_text(&mut app, "SELL");
    assert!(screen(&app, 120, 40).contains("tab → Selling outsourcing"), "{}", screen(&app, 120, 40));
    press(&mut app, &["tab"]);
    assert_eq!(editor_lines(&app), ["Selling outsourcing"], "one reason however it was spaced or cased");
    press(&mut app, &["ctrl-u", "up"]);
    let first = editor_lines(&app);
    assert_eq!(first, ["Selling outsourcing"], "the most used first");
    press(&mut app, &["up"]);
    assert_ne!(editor_lines(&app), first, "then the next");
    press(&mut app, &["down", "down"]);
    assert_eq!(editor_lines(&app), [""], "and back to what was typed");
}

#[test]
fn a_long_prefilled_reason_shows_its_capitals_and_says_it_is_cut() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    // Every green light yes: a prefill longer than the prompt is wide.
    let lights = ["know_like_trust", "real_conversation", "introduced_by_trusted", "respect_work", "valued_in_group"];
    for key in lights {
        let n = checklist.items.iter().position(|i| i.key == key).unwrap() + 1;
        press(&mut app, &[&n.to_string()]);
    }
    press(&mut app, &["a"]);
    let text = editor_lines(&app).concat();
    assert!(text.starts_with("I know, like and trust them; we have had a real conversation"), "{text}");
    assert!(text.contains("connection I trust"), "{text}");
    let s = screen(&app, 80, 24);
    let input = s.lines().find(|l| l.contains("› ")).unwrap();
    assert!(input.contains("› …"), "the start is cut, and it says so: {input}");
    // Back to the start: the end is cut, and it says so.
    press(&mut app, &["home"]);
    let s = screen(&app, 80, 24);
    let input = s.lines().find(|l| l.contains("› ")).unwrap();
    assert!(input.contains("› I know, like and trust them"), "{input}");
    assert!(input.contains("…║"), "the end is cut, and it says so: {input}");
}

#[test]
fn a_reason_prompt_recalls_only_reasons_of_its_own_kind() {
    let mut store = log_fixture();
    for i in 0..3 {
        store.add_request(&req(&format!("New {i}"), 24, "hello")).unwrap();
    }
    let checklist = Checklist::builtin();
    let mut app = app(&mut store, &checklist);
    let walked = |app: &mut App<'_>, opens: &[&str]| {
        press(app, opens);
        press(app, &["ctrl-u"]);
        let mut seen = Vec::new();
        for _ in 0..8 {
            press(app, &["up"]);
            seen.push(editor_lines(app).concat());
        }
        press(app, &["esc"]);
        seen.dedup();
        seen
    };
    let declines = walked(&mut app, &["d"]);
    assert_eq!(declines, ["collects connections", "no personal note", "selling outsourcing"], "{declines:?}");
    let accepts = walked(&mut app, &["a"]);
    assert_eq!(accepts, ["met at RustConf", "met in person after all"], "{accepts:?}");
    let later = walked(&mut app, &["l"]);
    assert_eq!(later, ["after the conference"], "{later:?}");
    let reconsider = walked(&mut app, &["D", "a"]);
    assert_eq!(reconsider, ["met at RustConf", "met in person after all"], "{reconsider:?}");
}
