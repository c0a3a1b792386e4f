//! Evidence per message: what the detectors add to an import, per request.
//!
//!     cargo bench --bench evidence
//!
//! Builds the phrase lists once, as an import does, then measures `evaluate` on typical notes
//! (empty — 96 % of real invitations —, a sales pitch, a personal note, a long note in
//! Portuguese) and `campaign_key`, with 2,000 connections to look names up in.

use vetted::evidence::{Connections, Context, Phrases, campaign_key, evaluate};

fn main() {
    divan::main();
}

const NOTES: &[(&str, &str)] = &[
    ("empty", ""),
    ("stock", "I'd like to add you to my professional network on LinkedIn."),
    (
        "sales",
        "Hi Sam, we help B2B SaaS companies book 20+ qualified meetings a month with zero upfront cost. Worth a quick chat next week?",
    ),
    (
        "personal",
        "Sam, I caught your talk on SQLite WAL mode at the Porto meetup last month - the bit about checkpoints finally made it click for me. Would love to stay in touch.",
    ),
    (
        "portuguese",
        "Olá Sam, tudo bem? Sou recrutadora na Vértice Tech e temos uma vaga de desenvolvedor backend sênior que combina com o seu perfil. Podemos conversar? Abraços, Marta",
    ),
];

fn connections() -> Connections {
    let first = ["Ana", "Bruno", "Carla", "Diogo", "Eva", "Filipe", "Gil", "Helena", "Ivo", "Joana"];
    let last = ["Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Martins"];
    Connections::new((0..2000).map(|i| format!("{} {} {}", first[i % 10], last[i % 8], i)))
}

#[divan::bench(args = NOTES.iter().map(|(name, _)| *name))]
fn evaluate_note(bencher: divan::Bencher, name: &str) {
    let phrases = Phrases::builtin();
    let connections = connections();
    let note = NOTES.iter().find(|(n, _)| *n == name).map(|(_, m)| *m).unwrap_or_default();
    let ctx = Context {
        sender_name: "Alex Moreau",
        user_first_name: Some("Sam"),
        connections: &connections,
        invited_on: None,
    };
    bencher.bench_local(|| evaluate(&phrases, divan::black_box(note), &ctx));
}

#[divan::bench]
fn campaign_key_of_a_pitch(bencher: divan::Bencher) {
    let phrases = Phrases::builtin();
    let note = NOTES[2].1;
    bencher.bench_local(|| campaign_key(&phrases, divan::black_box(note), "Alex Moreau", Some("Sam")));
}

#[divan::bench]
fn build_the_phrase_lists(bencher: divan::Bencher) {
    bencher.bench_local(Phrases::builtin);
}
