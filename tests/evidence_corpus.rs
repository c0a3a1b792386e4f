//! Precision and recall of every evidence detector on the labelled corpus
//! (`tests/data/evidence/`, see its README).
//!
//! `cargo test --test evidence_corpus -- --nocapture` prints one table per part and one for
//! the whole corpus (the parts and their history: `docs/evidence.md`):
//!
//! - tune: the phrase lists were tuned on it;
//! - holdout: written before any phrase list, never tuned on;
//! - fresh: written after the first tuning round, measured blind, then tuned on in the second;
//! - blind: written after the second round, measured blind, then tuned on in the third;
//! - final: written after the third round, never tuned on;
//! - round4: written after the third round by another author, measured blind, then tuned on in
//!   the fourth (the scored cues);
//! - blind2: written by another writer while round 4 was tuned, kept unopened until its lists
//!   were frozen, measured once, never tuned on.
//!
//! So only the first measurement of each part is an estimate for notes nobody tuned on;
//! `docs/evidence.md` keeps those figures.
//!
//! `VETTED_EV_MISSES=tune` (or another part's name) also lists every wrong call of that part.
//! The goals are asserted on the tuning part and on the whole corpus.

use serde::Deserialize;
use std::collections::BTreeSet;
use vetted::evidence::{Connections, Context, Detector, Phrases, evaluate};

#[derive(Deserialize)]
struct Case {
    m: String,
    l: Vec<String>,
    from: Option<String>,
    #[serde(default)]
    invited: bool,
}

const MEASURED: &[(&str, f64, f64)] = &[
    ("sales", 0.90, 0.80),
    ("scam", 0.90, 0.80),
    ("template", 0.90, 0.80),
    ("stock", 0.90, 0.80),
    ("recruiter", 0.85, 0.75),
    ("personal", 0.85, 0.75),
    ("collector", 0.0, 0.0),
    ("introduced", 0.0, 0.0),
];

fn load(name: &str) -> Vec<Case> {
    let path = format!("{}/tests/data/evidence/{name}.jsonl", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| serde_json::from_str(l).unwrap_or_else(|e| panic!("{path}:{}: {e}", i + 1)))
        .collect()
}

/// Per detector: (true positives, false positives, false negatives).
type Counts = Vec<(usize, usize, usize)>;

fn measure(cases: &[Case], show_misses: bool) -> Counts {
    let phrases = Phrases::builtin();
    let connections = Connections::new([
        "Jonas Weber",
        "Priya Raman",
        "Marta Souza",
        "Tomás Alves",
        "Lena Okafor",
        "Chen Wei",
        "Fatima Haddad",
        "Ruth Abernathy",
    ]);
    let mut counts = vec![(0, 0, 0); MEASURED.len()];
    for case in cases {
        let ctx = Context {
            sender_name: case.from.as_deref().unwrap_or("Alex Moreau"),
            user_first_name: Some("Sam"),
            connections: &connections,
            invited_on: case.invited.then_some("2026-03-02"),
        };
        let findings = evaluate(&phrases, &case.m, &ctx);
        let got: BTreeSet<&str> = findings.iter().map(|f| f.detector.name()).collect();
        let mut want: BTreeSet<&str> = case.l.iter().map(String::as_str).collect();
        for label in &want {
            assert!(Detector::parse(label).is_some(), "unknown label {label}");
        }
        // Writers differ on a fake job (scam, or scam and recruiter). vetted calls it a scam
        // only, so that a job seeker's batch accepting `ev:recruiter` never takes one in.
        if want.contains("scam") {
            want.remove("recruiter");
        }
        for (i, (name, _, _)) in MEASURED.iter().enumerate() {
            match (got.contains(name), want.contains(name)) {
                (true, true) => counts[i].0 += 1,
                (true, false) => counts[i].1 += 1,
                (false, true) => counts[i].2 += 1,
                (false, false) => {}
            }
        }
        let measured = |s: &BTreeSet<&str>| -> BTreeSet<String> {
            s.iter().filter(|d| MEASURED.iter().any(|(n, _, _)| n == *d)).map(|d| d.to_string()).collect()
        };
        if show_misses && measured(&got) != measured(&want) {
            let why: Vec<String> = findings.iter().map(|f| f.why()).collect();
            println!("want {:?} got {:?}\n    {}\n    {}", measured(&want), measured(&got), case.m, why.join(" | "));
        }
    }
    counts
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

fn table(title: &str, n: usize, counts: &Counts) -> String {
    let mut out = format!(
        "\n{title} ({n} notes)\n| detector | precision | recall | tp | fp | fn |\n| --- | --- | --- | --- | --- | --- |\n"
    );
    for ((name, _, _), (tp, fp, fn_)) in MEASURED.iter().zip(counts) {
        out.push_str(&format!(
            "| {name} | {:.2} | {:.2} | {tp} | {fp} | {fn_} |\n",
            ratio(*tp, tp + fp),
            ratio(*tp, tp + fn_)
        ));
    }
    out
}

fn goals_met(counts: &Counts) -> Vec<String> {
    let mut short = Vec::new();
    for ((name, p, r), (tp, fp, fn_)) in MEASURED.iter().zip(counts) {
        let (precision, recall) = (ratio(*tp, tp + fp), ratio(*tp, tp + fn_));
        if precision < *p || recall < *r {
            short.push(format!("{name}: {precision:.2}/{recall:.2} < {p}/{r}"));
        }
    }
    short
}

#[test]
fn detectors_meet_their_goals_on_the_corpus() {
    let misses = std::env::var("VETTED_EV_MISSES").unwrap_or_default();
    let mut all: Counts = vec![(0, 0, 0); MEASURED.len()];
    let mut n = 0;
    let mut t = Counts::new();
    for (part, title) in [
        ("tune", "Tuning part"),
        ("holdout", "Holdout (written before the phrase lists, never tuned on)"),
        ("fresh", "Fresh part (blind for round 1, tuned on in round 2)"),
        ("blind", "Blind part (blind for round 2, tuned on in round 3)"),
        ("final", "Final part (written after round 3, never tuned on)"),
        ("round4", "Round 4 (blind for round 3's lists, tuned on in round 4)"),
        ("blind2", "Blind 2 (another writer's, measured once on round 4's lists, tuned on in round 5)"),
        ("blind3", "Blind 3 (a third writer's, measured once on round 5's lists, tuned on in round 6)"),
        ("blind4", "Blind 4 (a fourth writer's, measured once on round 6's lists, tuned on in round 7)"),
        ("blind5", "Blind 5 (a fifth writer's, measured once on round 7's lists, tuned on in round 8)"),
        ("blind6", "Blind 6 (a sixth writer's, measured once on round 8's lists, tuned on in round 9)"),
        ("blind7", "Blind 7 (a seventh writer's, measured once on round 9's lists, tuned on in round 10)"),
        ("blind8", "Blind 8 (an eighth writer's, measured once on round 10's lists, tuned on in round 11)"),
        ("blind9", "Blind 9 (a ninth writer's, measured once on round 11's lists, tuned on in round 12)"),
        ("blind10", "Blind 10 (a tenth writer's, measured once on round 12's lists, tuned on in round 13)"),
        ("blind11", "Blind 11 (an eleventh writer's, measured once on round 13's lists, tuned on in round 14)"),
        ("blind12", "Blind 12 (a twelfth writer's, measured once on round 14's lists, tuned on in round 15)"),
        ("blind13", "Blind 13 (a thirteenth writer's, measured once on round 15's lists, tuned on in round 16)"),
        ("blind14", "Blind 14 (a fourteenth writer's, measured once on round 16's lists, tuned on in round 17)"),
        ("blind15", "Blind 15 (a fifteenth writer's, measured once on round 17's lists, tuned on in round 18)"),
        ("blind16", "Blind 16 (a sixteenth writer's, measured once on round 18's lists, tuned on in round 19)"),
        ("blind17", "Blind 17 (a seventeenth writer's, measured once on round 19's lists, tuned on in round 20)"),
        ("blind18", "Blind 18 (an eighteenth writer's, measured once on round 20's lists, tuned on in round 21)"),
        ("blind19", "Blind 19 (a nineteenth writer's, measured once on round 21's lists, tuned on in round 22)"),
        ("blind20", "Blind 20 (a twentieth writer's, measured once on round 22's lists, tuned on in round 23)"),
        ("blind21", "Blind 21 (a twenty-first writer's, measured once on round 23's lists, tuned on in round 24)"),
        ("blind22", "Blind 22 (a twenty-second writer's, measured once on round 23's lists, tuned on in round 24)"),
        ("blind23", "Blind 23 (a twenty-third writer's, measured once on round 24's lists, tuned on in round 25)"),
        ("blind24", "Blind 24 (a twenty-fourth writer's, measured once on round 24's lists, tuned on in round 25)"),
        ("blind25", "Blind 25 (a twenty-fifth writer's, measured once on round 25's lists, tuned on in round 26)"),
        ("blind26", "Blind 26 (a twenty-sixth writer's, measured once on round 26's lists, tuned on in round 27)"),
        ("blind27", "Blind 27 (a twenty-seventh writer's, measured once on round 27's lists, tuned on in round 28)"),
        ("blind28", "Blind 28 (a twenty-eighth writer's, measured once on round 27's lists, tuned on in round 28)"),
        ("blind29", "Blind 29 (a twenty-ninth writer's, measured once on round 28's lists, tuned on in round 29)"),
        ("blind30", "Blind 30 (a thirtieth writer's, measured once on round 28's lists, tuned on in round 29)"),
        ("blind31", "Blind 31 (a thirty-first writer's, measured once on round 29's lists, tuned on in round 30)"),
        ("blind32", "Blind 32 (a thirty-second writer's, measured once on round 29's lists, tuned on in round 30)"),
        ("blind33", "Blind 33 (a thirty-third writer's, measured once on round 29's lists, tuned on in round 30)"),
        ("blind34", "Blind 34 (a thirty-fourth writer's, measured once on round 29's lists, tuned on in round 30)"),
        ("blind35", "Blind 35 (a thirty-fifth writer's, measured once on round 30's lists, never tuned on)"),
        ("blind36", "Blind 36 (a thirty-sixth writer's, measured once on round 30's lists, never tuned on)"),
    ] {
        let cases = load(part);
        let counts = measure(&cases, misses == part);
        println!("{}", table(title, cases.len(), &counts));
        for (a, c) in all.iter_mut().zip(&counts) {
            *a = (a.0 + c.0, a.1 + c.1, a.2 + c.2);
        }
        n += cases.len();
        if part == "tune" {
            t = counts;
        }
    }
    assert!(n >= 400);
    println!("{}", table("Whole corpus", n, &all));
    let short = goals_met(&t);
    assert!(short.is_empty(), "tuning part short of the goals: {short:?}");
    let short = goals_met(&all);
    assert!(short.is_empty(), "whole corpus short of the goals: {short:?}");
}
