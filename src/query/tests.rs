//! The query language's tests: parsing, errors, display.

use super::*;
use crate::checklist::Checklist;
use crate::hint;
use jiff::Timestamp;
use jiff::tz::TimeZone;

fn now() -> Timestamp {
    "2026-11-25T12:00:00Z".parse().unwrap()
}

fn q(input: &str) -> Query {
    parse_at(input, &TimeZone::UTC, &Checklist::builtin(), now()).unwrap()
}

fn kinds(input: &str) -> Vec<(bool, TermKind)> {
    q(input).terms.into_iter().map(|t| (t.negated, t.kind)).collect()
}

fn err(input: &str) -> QueryError {
    parse_at(input, &TimeZone::UTC, &Checklist::builtin(), now()).unwrap_err()
}

#[test]
fn every_term_parses() {
    use TermKind::*;
    assert_eq!(
        kinds("hint:no-message hint:template hint:sales hint:same-message hint:hidden-chars"),
        hint::ALL.iter().map(|h| (false, Hint(h.key))).collect::<Vec<_>>()
    );
    assert_eq!(
        kinds("rec:accept REC:Decline rec:undecided"),
        [(false, Rec(super::Rec::Accept)), (false, Rec(super::Rec::Decline)), (false, Rec(super::Rec::Undecided))]
    );
    assert_eq!(
        kinds("check:selling=yes check:scam=no check:know_like_trust=unknown"),
        [
            (false, Check { key: "selling".into(), answer: Some(true) }),
            (false, Check { key: "scam".into(), answer: Some(false) }),
            (false, Check { key: "know_like_trust".into(), answer: None }),
        ]
    );
    assert_eq!(
        kinds("age:>180d age:<7d age:>2w age:>1m age:>1y"),
        [
            (false, Age { older: true, cutoff: "2026-05-29T12:00:00Z".into() }),
            (false, Age { older: false, cutoff: "2026-11-18T12:00:00Z".into() }),
            (false, Age { older: true, cutoff: "2026-11-11T12:00:00Z".into() }),
            (false, Age { older: true, cutoff: "2026-10-26T12:00:00Z".into() }),
            (false, Age { older: true, cutoff: "2025-11-25T12:00:00Z".into() }),
        ]
    );
    assert_eq!(
        kinds("sent:2026-11 sent:2026-12-31 asked-again source:LinkedIn message-of:42"),
        [
            (false, Sent { from: "2026-11-01T00:00:00Z".into(), until: "2026-12-01T00:00:00Z".into() }),
            (false, Sent { from: "2026-12-31T00:00:00Z".into(), until: "2027-01-01T00:00:00Z".into() }),
            (false, AskedAgain),
            (false, Source("linkedin".into())),
            (false, MessageOf(42)),
        ]
    );
    assert_eq!(
        kinds("is:declined reason:Selling since:2026-01-02 until:2026-03-31"),
        [
            (false, Is(Status::Declined)),
            (false, Reason("Selling".into())),
            (false, Since("2026-01-02T00:00:00Z".into())),
            (false, Until("2026-04-01T00:00:00Z".into())),
        ]
    );
    assert_eq!(
        kinds(r#"rust -conf "book a call" -"our services" 10:30"#),
        [
            (false, Text("rust".into())),
            (true, Text("conf".into())),
            (false, Text("book a call".into())),
            (true, Text("our services".into())),
            (false, Text("10:30".into())),
        ]
    );
    assert_eq!(kinds("-hint:sales -asked-again"), [(true, Hint(hint::SALES_PHRASING)), (true, AskedAgain)]);
    assert_eq!(kinds(r#"reason:"template spam""#), [(false, Reason("template spam".into()))]);
    assert!(q("   ").is_empty());
}

#[test]
fn local_days_and_months_are_in_the_zone() {
    let la = TimeZone::get("America/Los_Angeles").unwrap();
    let query = parse_at("sent:2026-11 since:2026-07-04", &la, &Checklist::builtin(), now()).unwrap();
    assert_eq!(
        query.terms[0].kind,
        TermKind::Sent { from: "2026-11-01T07:00:00Z".into(), until: "2026-12-01T08:00:00Z".into() }
    );
    assert_eq!(query.terms[1].kind, TermKind::Since("2026-07-04T07:00:00Z".into()));
}

#[test]
fn every_error_names_its_term() {
    let cases = [
        (
            "hint:foo",
            "hint:foo? use hint:no-message, hint:template, hint:sales, hint:same-message or hint:hidden-chars",
        ),
        ("rec:maybe", "rec:maybe? use rec:accept, rec:decline or rec:undecided"),
        (
            "ev:pitch",
            "ev:pitch? use ev:sales, ev:scam, ev:collector, ev:stock, ev:recruiter, ev:template, ev:campaign, \
             ev:personal, ev:introduced or ev:invited-them",
        ),
        ("ev:invited_them", "ev:invited_them? use ev:sales"),
        ("check:nope=yes", "check:nope=yes? use check:KEY=yes|no|unknown, KEY one of know_like_trust"),
        ("check:selling", "check:selling? use check:KEY=yes|no|unknown"),
        ("check:selling=perhaps", "check:selling=perhaps? use check:selling=yes, check:selling=no or"),
        ("age:old", "age:old? use age:>180d or age:<7d"),
        ("age:>10x", "age:>10x? use age:>180d"),
        ("age:>99999999999999999d", "age:>99999999999999999d? use"),
        ("sent:nov", "sent:nov? use sent:YYYY-MM or sent:YYYY-MM-DD"),
        ("sent:2026-13", "sent:2026-13? there is no month 13"),
        ("sent:2026-11-31", "sent:2026-11-31? there is no 31 November 2026 (November 2026 has 30 days)"),
        ("since:2026-02-29", "since:2026-02-29? there is no 29 February 2026"),
        ("source:", "source:? use source:NAME"),
        ("message-of:x", "message-of:x? use message-of:ID"),
        ("is:maybe", "is:maybe? use is:accepted, is:declined, is:deferred or is:pending"),
        // The Log's messages as they were (the app's tests pin them): the term's name.
        ("since:soon", "since: use YYYY-MM-DD"),
        ("until:2026-1-1", "until: use YYYY-MM-DD"),
        ("reason:ab", "keep typing: text filters need 3 characters (reason:ab)"),
        ("ab", "keep typing: text filters need 3 characters (ab)"),
        (r#""ab""#, "keep typing: text filters need 3 characters (\"ab\")"),
        ("colour:red", "colour:red? not a filter: use hint:"),
        ("-", "-? put a term after the minus"),
        ("hint:\u{1b}[2J", "hint:␛[2J? use"),
    ];
    for (input, start) in cases {
        let e = err(&format!("rust {input} conf"));
        assert!(e.to_string().starts_with(start), "{input}: {e}");
        assert!(e.term.contains(input.trim_start_matches('-')) || input == "-", "{input}: {:?}", e.term);
    }
}

#[test]
fn lenient_parsing_keeps_the_good_terms_and_the_first_problem() {
    let (query, problem) = parse_lenient("hint:sales ab rec:nope conf", &TimeZone::UTC, &Checklist::builtin(), now());
    assert_eq!(query.to_string(), "hint:sales conf");
    assert_eq!(problem.unwrap().term, "ab");
}

#[test]
fn the_requests_filter_keeps_the_good_terms_and_names_a_log_term() {
    let parse = |input| parse_requests_lenient(input, &TimeZone::UTC, &Checklist::builtin(), now(), false);
    let (query, problem) = parse("rust is:declined conf");
    assert_eq!(query.to_string(), "rust conf");
    assert_eq!(problem.unwrap().term, "is:declined");
    let (query, problem) = parse("rust hint:foo");
    assert_eq!(query.to_string(), "rust");
    assert!(problem.unwrap().to_string().starts_with("hint:foo? use"));
    assert_eq!(parse("rust conf"), (q("rust conf"), None), "each word its own term, as in the Log and --where");
}

#[test]
fn requests_refuse_log_terms_naming_them() {
    assert!(q("hint:sales -rec:accept").for_requests().is_ok());
    let e = q("hint:sales is:declined").for_requests().unwrap_err();
    assert_eq!(e.term, "is:declined");
    assert!(e.to_string().starts_with("is:declined: is:, reason:"), "{e}");
}

#[test]
fn a_query_prints_as_it_can_be_typed_again() {
    let typed = r#"-hint:sales "book a call" age:>30d"#;
    assert_eq!(q(typed).to_string(), typed);
    assert_eq!(q(&q(typed).to_string()), q(typed));
}

#[test]
fn each_detector_has_its_ev_term_by_its_fixed_name() {
    use crate::evidence::Detector;
    let names = "ev:sales ev:scam ev:collector ev:stock ev:recruiter ev:template ev:campaign ev:personal \
                 ev:introduced ev:invited-them";
    let kinds: Vec<TermKind> = q(names).terms.into_iter().map(|t| t.kind).collect();
    assert_eq!(kinds, EV_TERMS.iter().copied().map(TermKind::Evidence).collect::<Vec<_>>());
    assert_eq!(q("-EV:Invited-Them").terms[0].kind, TermKind::Evidence(Detector::InvitedThem));
    assert!(q("ev:sales hint:sales").for_requests().is_ok(), "the old hint terms keep working beside them");
}
