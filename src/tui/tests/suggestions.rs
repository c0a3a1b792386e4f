//! Evidence in the review: suggestions beside the user's answers, confirmed or overridden with
//! the item's key, the recommendation saying which parts are suggested, the prefilled reason
//! quoting the strongest finding.

use super::*;
use crate::model::StoredFinding;

pub fn finding(detector: &str, item: Option<&str>, answer: bool, why: &str, words: &[&str]) -> StoredFinding {
    StoredFinding {
        detector: detector.into(),
        item: item.map(str::to_string),
        answer,
        why: why.into(),
        words: words.iter().map(|w| w.to_string()).collect(),
        fact: None,
    }
}

fn sales() -> StoredFinding {
    finding("sales", Some("selling"), true, "sales: ‘10x their leads’", &["10x their leads"])
}

/// The fixture with evidence: Ada's note is personal, Bo's a sales pitch, Cy wrote none (the
/// store reads "no note" back from the empty message), Di's says nothing either way.
fn evidence_fixture() -> Store {
    let mut store = fixture();
    let checklist = Checklist::builtin();
    let personal = finding(
        "personal",
        Some("personalized_why"),
        true,
        "personal: ‘your post on keyset pagination’",
        &["your post on keyset pagination"],
    );
    store.set_findings(1, &[personal], &checklist).unwrap();
    store.set_findings(2, &[sales()], &checklist).unwrap();
    store.set_findings(3, &[], &checklist).unwrap();
    store
}

fn line_with<'s>(screen: &'s str, needle: &str) -> &'s str {
    screen.lines().find(|l| l.contains(needle)).unwrap_or_else(|| panic!("no line with {needle:?}:\n{screen}"))
}

#[test]
fn a_suggestion_has_a_mark_of_its_own_and_its_why_under_the_focused_item() {
    let (mut store, checklist) = (evidence_fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["j", "tab", "tab"]);
    for _ in 0..8 {
        press(&mut app, &["j"]);
    }
    let s = screen(&app, 120, 40);
    insta::assert_snapshot!("suggested_sales_120x40", s);
    assert!(line_with(&s, "Wants to sell me").contains("9 (x) ! Wants to sell me"), "{s}");
    assert!(line_with(&s, "Collects connections").contains("0 [?] !"), "no suggestion: unknown as before");
    assert!(line_with(&s, "Recommend:").contains("✗ decline ≈ suggested (9)"), "{s}");
    let wide = screen(&app, 160, 40);
    assert!(wide.contains("suggested red flag: sales: ‘10x their leads’"), "{wide}");
    assert!(s.contains("≈ suggested: yes · 9 confirms\n") || s.contains("≈ suggested: yes · 9 confirms "), "{s}");
    assert!(s.contains("┃  sales: ‘10x their leads’"), "the why under it: {s}");
}

#[test]
fn the_queue_column_and_the_group_view_recommend_on_a_fresh_backlog() {
    let (mut store, checklist) = (evidence_fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    let s = screen(&app, 120, 40);
    // Nothing answered: the suggestions alone.
    assert!(line_with(&s, "┃▸ ✓Ada Lovelace").contains("22d"), "{s}");
    assert!(s.contains("┃  ✗Bo Seller") && s.contains("┃  ✗Cy Quiet") && s.contains("┃   Di Repeat"), "{s}");
    press(&mut app, &["v", "tab", "tab", "tab"]);
    let groups: Vec<(String, u64)> =
        app.queue.groups.as_ref().unwrap().list.iter().map(|g| (g.query.clone(), g.count)).collect();
    assert!(groups.contains(&("rec:decline".into(), 2)) && groups.contains(&("rec:accept".into(), 1)), "{groups:?}");
}

#[test]
fn the_items_key_confirms_a_suggestion_then_overrides_it_and_the_users_answer_wins() {
    let (mut store, checklist) = (evidence_fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["j", "9"]);
    assert_eq!(app.notice.as_ref().unwrap().text, "9: yes, as suggested");
    assert_eq!(app.store().answers(2).unwrap().get("selling"), Some(&true));
    let s = screen(&app, 120, 40);
    assert!(line_with(&s, "Wants to sell me").contains("9 [x] !"), "{s}");
    assert!(!line_with(&s, "Recommend:").contains("suggested"), "the user's own answer now: {s}");
    assert!(s.contains("≈ suggested: yes · you confirmed"), "{s}");
    press(&mut app, &["9"]);
    assert_eq!(app.notice.as_ref().unwrap().text, "9: no, your answer over the suggestion");
    assert_eq!(app.store().answers(2).unwrap().get("selling"), Some(&false));
    let s = screen(&app, 120, 40);
    assert!(line_with(&s, "Wants to sell me").contains("9 [ ] !"), "{s}");
    assert!(line_with(&s, "Recommend:").contains("? undecided"), "the user's no beats the suggested yes: {s}");
    assert!(line_with(&s, "┃▸").contains("Bo Seller") && !line_with(&s, "┃▸").contains('✗'), "{s}");
    assert!(s.contains("≈ suggested: yes · overridden by you"), "{s}");
    press(&mut app, &["9"]);
    assert_eq!(app.notice.as_ref().unwrap().text, "9: open again (suggested: yes)");
    assert_eq!(app.store().answers(2).unwrap().get("selling"), None);
    assert!(line_with(&screen(&app, 120, 40), "Wants to sell me").contains("9 (x) !"));
    // A suggested no (Cy wrote no note) is confirmed as a no.
    press(&mut app, &["j", "6"]);
    assert_eq!(app.store().answers(3).unwrap().get("personalized_why"), Some(&false));
    // Without a suggestion the key cycles as it always did.
    press(&mut app, &["j", "1"]);
    assert_eq!(app.store().answers(4).unwrap().get("know_like_trust"), Some(&true));
}

#[test]
fn the_decline_reason_is_prefilled_with_the_strongest_finding() {
    let (mut store, checklist) = (evidence_fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["j", "d"]);
    assert_eq!(editor_lines(&app), ["sales pitch: ‘10x their leads’"]);
    // The user's own answers follow it.
    press(&mut app, &["esc", "7", "7", "d"]);
    assert_eq!(editor_lines(&app), ["sales pitch: ‘10x their leads’; not: I can see a clear benefit"]);
    // Overridden, a finding is not quoted.
    press(&mut app, &["esc", "9", "9", "d"]);
    assert_eq!(editor_lines(&app), ["not: I can see a clear benefit"]);
    press(&mut app, &["esc", "j", "d"]);
    assert_eq!(editor_lines(&app), ["no note: they did not say why"], "Cy wrote no note");
    press(&mut app, &["esc", "g", "a"]);
    assert_eq!(editor_lines(&app), ["personal reason: ‘your post on keyset pagination’"], "Ada's accept");
}

#[test]
fn a_finding_that_answers_no_item_is_still_shown() {
    let (mut store, checklist) = (fixture(), Checklist::builtin());
    let recruiter = finding("recruiter", None, true, "recruiter: ‘open to new opportunities’", &[]);
    store.set_findings(4, &[recruiter], &checklist).unwrap();
    let mut app = app(&mut store, &checklist);
    press(&mut app, &["G"]);
    let s = screen(&app, 160, 40);
    assert!(s.contains("≈ recruiter: ‘open to new opportunities’"), "{s}");
    assert!(line_with(&s, "Recommend:").contains("? undecided"), "a category of its own: {s}");
}

#[test]
fn the_log_and_declined_details_say_which_evidence_a_decision_was_made_on() {
    let (mut store, checklist) = (evidence_fixture(), Checklist::builtin());
    let mut app = app(&mut store, &checklist);
    // Bo declined on the suggestion alone; Cy with the suggestion confirmed first.
    press(&mut app, &["j", "d", "enter"]);
    press(&mut app, &["6", "d", "enter"]);
    assert_eq!(app.store().log_page(None, 10).unwrap().len(), 2);
    press(&mut app, &["L"]);
    let s = screen(&app, 120, 40);
    assert!(s.contains("≈ decided on: no note: they did not say why"), "confirmed: not called suggested: {s}");
    press(&mut app, &["j"]);
    let s = screen(&app, 120, 40);
    assert!(s.contains("≈ decided on: suggested sales pitch: ‘10x their leads’"), "{s}");
    press(&mut app, &["D"]);
    let s = screen(&app, 120, 40);
    assert!(s.contains("≈ decided on: "), "{s}");
    // A decision made on no evidence says nothing of the kind.
    press(&mut app, &["Q", "l", "enter", "L", "g"]);
    assert!(!screen(&app, 120, 40).contains("decided on"), "a deferral");
}
