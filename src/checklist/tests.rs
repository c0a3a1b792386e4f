//! The checklist's loading, recommendation, rank and prefilled reasons.

use super::*;

fn answers(pairs: &[(&str, bool)]) -> Answers {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

fn finding(detector: &str, item: Option<&str>, answer: bool, why: &str) -> StoredFinding {
    StoredFinding {
        detector: detector.into(),
        item: item.map(str::to_string),
        answer,
        why: why.into(),
        words: Vec::new(),
        fact: None,
    }
}

#[test]
fn suggestions_answer_the_open_items_and_say_so() {
    let c = Checklist::builtin();
    let sales = finding("sales", Some("selling"), true, "sales: ‘book a 15-minute call’");
    let rec = c.recommend_with(&Answers::new(), std::slice::from_ref(&sales));
    assert_eq!(rec.verdict, Some(Verdict::Decline));
    assert_eq!(rec.why, "suggested red flag: sales: ‘book a 15-minute call’");
    assert_eq!(rec.suggested, ["selling"]);
    // The user's answer always wins.
    let rec = c.recommend_with(&answers(&[("selling", false)]), std::slice::from_ref(&sales));
    assert_eq!(rec.verdict, None, "{rec:?}");
    let rec = c.recommend_with(&answers(&[("know_like_trust", true)]), &[]);
    assert!(rec.suggested.is_empty() && rec.why == "green light: I know, like and trust them", "{rec:?}");
    // A user's red flag with a suggested one: the user's answer is not called suggested.
    let rec = c.recommend_with(&answers(&[("scam", true)]), std::slice::from_ref(&sales));
    assert_eq!(rec.suggested, ["selling"]);
    assert!(rec.why.contains("looks like a scam") && rec.why.contains("sales: ‘book"), "{rec:?}");
    let introduced = finding("introduced", Some("introduced_by_trusted"), true, "names your connection ‘Jonas Weber’");
    let rec = c.recommend_with(&Answers::new(), &[introduced]);
    assert_eq!(
        (rec.verdict, rec.why.as_str()),
        (Some(Verdict::Accept), "suggested green light: names your connection ‘Jonas Weber’")
    );
    assert_eq!(c.rank_with(&Answers::new(), &[sales]), RANK_DECLINE);
    let recruiter = finding("recruiter", None, true, "recruiter: ‘open to new opportunities’");
    assert_eq!(c.recommend_with(&Answers::new(), &[recruiter]).verdict, None, "a category of its own");
}

#[test]
fn a_prefilled_reason_quotes_the_strongest_finding_the_answers_agree_with() {
    let c = Checklist::builtin();
    let mut sales = finding("sales", Some("selling"), true, "sales: ‘book a 15-minute call’");
    sales.words = vec!["book a 15-minute call".into()];
    let silent = finding("no_note", Some("personalized_why"), false, "no note: they did not say why");
    let none = Answers::new();
    assert_eq!(
        c.reason_with(Verdict::Decline, &none, std::slice::from_ref(&sales)),
        "sales pitch: ‘book a 15-minute call’"
    );
    assert_eq!(
        c.reason_with(
            Verdict::Decline,
            &answers(&[("selling", true), ("clear_benefit", false)]),
            std::slice::from_ref(&sales)
        ),
        "sales pitch: ‘book a 15-minute call’; not: I can see a clear benefit",
        "the confirmed item is said once, by its finding"
    );
    assert_eq!(
        c.reason_with(Verdict::Decline, &answers(&[("selling", false)]), std::slice::from_ref(&sales)),
        "",
        "overridden"
    );
    assert_eq!(c.reason_with(Verdict::Decline, &none, &[silent]), "no note: they did not say why");
    assert_eq!(c.reason_with(Verdict::Accept, &none, &[sales]), "", "a pitch says nothing for accepting");
}

#[test]
fn a_silent_request_is_declined_unless_you_know_them_never_accused() {
    let c = Checklist::builtin();
    let silent = finding("no_note", Some("personalized_why"), false, "no note: they did not say why");
    let rec = c.recommend_with(&Answers::new(), std::slice::from_ref(&silent));
    assert_eq!(rec.verdict, Some(Verdict::Decline));
    assert_eq!(rec.why, "suggested: no note: they did not say why; decline unless you know them");
    assert_eq!(rec.suggested, ["personalized_why"]);
    assert!(!rec.why.contains("red flag"));
    // Knowing them wins; so does having invited them (a suggestion in their favour).
    let rec = c.recommend_with(&answers(&[("know_like_trust", true)]), std::slice::from_ref(&silent));
    assert_eq!(rec.verdict, Some(Verdict::Accept));
    let invited = finding("invited_them", Some("clear_benefit"), true, "you invited them on 2026-03-02");
    assert_eq!(c.recommend_with(&Answers::new(), &[silent.clone(), invited]).verdict, None);
    // Without suggestions the rule is as it was: nothing said, nothing recommended.
    assert_eq!(c.recommend_with(&Answers::new(), &[]).verdict, None);
    assert_eq!(c.recommend(&answers(&[("personalized_why", false)])).verdict, None);
}

#[test]
fn confirming_the_suggested_no_keeps_the_silent_requests_decline() {
    let c = Checklist::builtin();
    let confirmed = answers(&[("personalized_why", false)]);
    for silent in [
        finding("no_note", Some("personalized_why"), false, "no note: they did not say why"),
        finding("template", Some("personalized_why"), false, "template: ‘{first_name}’"),
    ] {
        let rec = c.recommend_with(&confirmed, std::slice::from_ref(&silent));
        assert_eq!(rec.verdict, Some(Verdict::Decline), "{rec:?}");
        assert_eq!(rec.why, format!("{}; decline unless you know them", silent.why));
        assert!(rec.suggested.is_empty(), "the user's own answer now: {rec:?}");
        assert_eq!(c.rank_with(&confirmed, std::slice::from_ref(&silent)), RANK_DECLINE);
    }
    // The user's yes over the suggested no: no such rule.
    let silent = finding("no_note", Some("personalized_why"), false, "no note: they did not say why");
    let said_why = answers(&[("personalized_why", true)]);
    assert_ne!(c.recommend_with(&said_why, std::slice::from_ref(&silent)).verdict, Some(Verdict::Decline));
    // A personal note the user answered "no" to is not silent.
    let personal = finding("personal", Some("personalized_why"), true, "personal: ‘met at RustConf’");
    assert_eq!(c.recommend_with(&confirmed, &[personal]).verdict, None);
}

#[test]
fn builtin_has_the_guides_items() {
    let c = Checklist::builtin();
    for key in [
        "know_like_trust",
        "real_conversation",
        "introduced_by_trusted",
        "respect_work",
        "valued_in_group",
        "personalized_why",
        "clear_benefit",
        "profile_checked",
        "selling",
        "collector",
        "scam",
    ] {
        let item = c.item(key).unwrap_or_else(|| panic!("missing {key}"));
        assert!(!item.label.is_empty() && !item.help.is_empty());
    }
    assert_eq!(c.items.iter().filter(|i| i.kind == Kind::RedFlag).count(), 3);
}

#[test]
fn nothing_answered_is_undecided() {
    let r = Checklist::builtin().recommend(&Answers::new());
    assert_eq!(r.verdict, None);
    assert_eq!(r.why, "no green light yet (6 of 6 unanswered)");
}

#[test]
fn a_red_flag_wins_over_everything() {
    let r = Checklist::builtin().recommend(&answers(&[("know_like_trust", true), ("selling", true)]));
    assert_eq!(r.verdict, Some(Verdict::Decline));
    assert_eq!(r.why, "red flag: wants to sell me something");
}

#[test]
fn no_clear_benefit_declines_even_a_friend() {
    let r = Checklist::builtin().recommend(&answers(&[("know_like_trust", true), ("clear_benefit", false)]));
    assert_eq!(r.verdict, Some(Verdict::Decline));
    assert_eq!(r.why, "not met: I can see a clear benefit");
}

#[test]
fn the_strongest_green_light_is_named() {
    let r = Checklist::builtin().recommend(&answers(&[("personalized_why", true), ("introduced_by_trusted", true)]));
    assert_eq!(r.verdict, Some(Verdict::Accept));
    assert_eq!(r.why, "green light: introduced by a connection I trust");
}

#[test]
fn every_green_light_no_declines() {
    let mut a = answers(&[]);
    for i in Checklist::builtin().green_lights() {
        a.insert(i.key.clone(), false);
    }
    let r = Checklist::builtin().recommend(&a);
    assert_eq!(r.verdict, Some(Verdict::Decline));
    assert_eq!(r.why, "no green light applies");
}

#[test]
fn some_green_lights_no_is_still_undecided() {
    let r = Checklist::builtin().recommend(&answers(&[("know_like_trust", false), ("profile_checked", true)]));
    assert_eq!(r.verdict, None);
    assert_eq!(r.why, "no green light yet (5 of 6 unanswered)");
}

#[test]
fn diligence_alone_never_decides() {
    let r = Checklist::builtin().recommend(&answers(&[("profile_checked", true), ("clear_benefit", true)]));
    assert_eq!(r.verdict, None);
}

#[test]
fn reasons_are_prefilled_from_answers() {
    let c = Checklist::builtin();
    let a = answers(&[("personalized_why", false), ("selling", true), ("respect_work", true)]);
    assert_eq!(
        c.reason_for(Verdict::Decline, &a),
        "not: personalized request that says why; wants to sell me something"
    );
    assert_eq!(c.reason_for(Verdict::Accept, &a), "I respect their work online");
    assert_eq!(c.reason_for(Verdict::Defer, &a), "");
}

#[test]
fn labels_keep_their_own_capitals_in_a_reason() {
    let c = Checklist::builtin();
    let a = answers(&[("know_like_trust", true), ("introduced_by_trusted", true)]);
    assert_eq!(c.reason_for(Verdict::Accept, &a), "I know, like and trust them; introduced by a connection I trust");
    let a = answers(&[("real_conversation", false), ("scam", true)]);
    assert_eq!(
        c.reason_for(Verdict::Decline, &a),
        "not: we have had a real conversation; looks like a scam or a fake profile"
    );
    for (label, shown) in [
        ("I'm a fan", "I'm a fan"),
        ("LinkedIn contact", "LinkedIn contact"),
        ("CEO of a partner", "CEO of a partner"),
        ("Is a recruiter", "is a recruiter"),
        ("", ""),
    ] {
        assert_eq!(in_sentence(label), shown);
    }
}

#[test]
fn parse_errors_name_file_and_line() {
    let err = Checklist::parse("[[item]]\nkey = \"x\"\nlabel = 3\n", Path::new("my.toml")).unwrap_err();
    let msg = err.to_string();
    assert!(msg.starts_with("my.toml:3: "), "{msg}");
}

#[test]
fn invalid_checklists_are_refused() {
    let item = |key: &str| format!("[[item]]\nkey = \"{key}\"\nlabel = \"l\"\nhelp = \"h\"\nkind = \"signal\"\n");
    let p = Path::new("c.toml");
    assert!(Checklist::parse(&format!("{}{}", item("a"), item("a")), p).unwrap_err().to_string().contains("twice"));
    assert!(Checklist::parse(&item("Bad Key"), p).is_err());
    assert!(Checklist::parse("item = []", p).unwrap_err().to_string().contains("no [[item]]"));
    let unknown = format!("{}colour = \"red\"\n", item("a"));
    assert!(Checklist::parse(&unknown, p).unwrap_err().to_string().contains("colour"));
}

#[test]
fn a_user_checklist_replaces_the_builtin() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("checklist.toml");
    assert_eq!(Checklist::load(&path).unwrap(), Checklist::builtin());
    std::fs::write(&path, "[[item]]\nkey = \"met\"\nlabel = \"Met them\"\nhelp = \"h\"\nkind = \"signal\"\n").unwrap();
    let c = Checklist::load(&path).unwrap();
    assert_eq!(c.items.len(), 1);
    assert_eq!(c.recommend(&answers(&[("met", true)])).verdict, Some(Verdict::Accept));
}
