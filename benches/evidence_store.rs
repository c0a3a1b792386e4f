//! Evidence in the store: what it adds to an import, a whole re-evaluation after a change of
//! phrase lists, and the queue's `ev:` filter, on a generated export with the real mix (96 %
//! of invitations without a note; of the notes a third sell, a quarter are job offers…).
//!
//!     cargo bench --bench evidence_store                          # 100,000 requests
//!     VETTED_BENCH_ROWS=1000000 cargo bench --bench evidence_store
//!     VETTED_BENCH_DIR=/some/dir …   # keeps the generated export there, and reuses it
//!
//! `import` runs the library's import of Invitations.csv into an empty store on disk, with the
//! built-in phrase lists (`true`) or without evidence (`false`). `reevaluate` weighs every
//! request of that store again with the user's lists (one phrase added); `ev_filter` is the
//! first page of the queue (50 rows) and the count for a term, as one keystroke of the app's
//! filter asks them (an `ev:` or a `rec:` term); `recommended` the first page in the
//! recommended order and the group view by recommendation.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use vetted::checklist::Checklist;
use vetted::evidence::Phrases;
use vetted::import::{Options, import_with_phrases};
use vetted::store::{Direction, QueueOrder, Store};

fn main() {
    divan::main();
}

fn rows() -> usize {
    std::env::var("VETTED_BENCH_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000)
}

const SALES: &[&str] = &[
    "Hi Sam, our agency builds {w} stores for brands like yours. Open to a free audit?",
    "We provide offshore {w} developers at 40% lower cost. Can I send our rate card?",
    "I help {w} leaders generate more qualified leads. Worth a quick call?",
];
const RECRUITER: &[&str] = &[
    "I'm a technical recruiter: we're hiring a {w} engineer, remote. Open to new opportunities?",
    "Your profile fits a senior {w} developer position I am recruiting for.",
];
const PERSONAL: &[&str] = &[
    "We met at the {w} meetup, loved your talk on parsers!",
    "Read your article on {w}; it fixed our slow admin pages.",
];
const GENERIC: &[&str] = &["Hi Sam, I'd like to connect with you.", "I'd like to add you to my professional network."];
const WORDS: &[&str] = &["rust", "kotlin", "sqlite", "billing", "search", "payments", "mobile", "cloud", "data", "ml"];

/// Writes `rows` INCOMING invitations from fictional people: 1 in 28 with a note.
fn generate(path: &Path, rows: usize) {
    let mut w = BufWriter::with_capacity(1 << 20, std::fs::File::create(path).unwrap());
    writeln!(w, "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl").unwrap();
    for i in 0..rows {
        let note = match i % 28 {
            0 => pick(SALES, i),
            1 if i % 56 == 1 => pick(RECRUITER, i),
            2 if i % 84 == 2 => pick(PERSONAL, i),
            3 if i % 84 == 3 => GENERIC[i % GENERIC.len()].to_string(),
            _ => String::new(),
        };
        let (month, day, minute) = (1 + (i / 28) % 12, 1 + i % 28, i % 60);
        writeln!(
            w,
            "Ada Example{i},Sam Reviewer,\"{month}/{day}/25, 9:{minute:02} AM\",\"{}\",INCOMING,\
             https://www.linkedin.com/in/ada-{i:x},https://www.linkedin.com/in/sam-reviewer",
            note.replace('"', "\"\"")
        )
        .unwrap();
    }
    w.flush().unwrap();
}

fn pick(pool: &[&str], i: usize) -> String {
    pool[i % pool.len()].replace("{w}", WORDS[(i / 28) % WORDS.len()])
}

/// The generated export (once per run; kept in `$VETTED_BENCH_DIR` when set, and reused).
fn export() -> &'static PathBuf {
    static FILE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &FILE
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let kept = std::env::var_os("VETTED_BENCH_DIR").map(PathBuf::from);
            let path = match &kept {
                Some(d) => d.join(format!("evidence-{}.csv", rows())),
                None => dir.path().join("Invitations.csv"),
            };
            if kept.is_none() || !path.exists() {
                generate(&path, rows());
            }
            (dir, path)
        })
        .1
}

fn import_into(dir: &Path, evidence: bool) -> Store {
    let mut store = Store::open(&dir.join("v.db")).unwrap();
    let phrases = Phrases::builtin();
    let phrases = evidence.then_some(&phrases);
    import_with_phrases(&mut store, export(), Options::default(), &Checklist::builtin(), phrases).unwrap();
    store
}

#[divan::bench(args = [false, true], sample_count = 3, sample_size = 1)]
fn import(bencher: divan::Bencher, evidence: bool) {
    bencher
        .with_inputs(|| tempfile::tempdir().unwrap())
        .bench_local_values(|dir| drop(import_into(dir.path(), evidence)));
}

/// A store of the generated export, with evidence (once per run).
fn store_dir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        import_into(dir.path(), true);
        dir
    })
    .path()
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn reevaluate(bencher: divan::Bencher) {
    let mut store = Store::open(&store_dir().join("v.db")).unwrap();
    let mine = Phrases::from_sources(Some(("evidence.toml", "[sales]\nstrong = [\"billing stores\"]\n"))).unwrap();
    let lists = [mine, Phrases::builtin()];
    let mut turn = 0;
    bencher.bench_local(|| {
        turn += 1;
        store.reevaluate(&lists[turn % 2], &Checklist::builtin(), &mut |_, _| {}).unwrap()
    });
}

#[divan::bench(
    args = ["ev:sales", "ev:personal", "ev:introduced", "ev:campaign", "rec:accept", "rec:undecided", "rec:decline"],
    sample_count = 10
)]
fn ev_filter(bencher: divan::Bencher, query: &str) {
    let store = Store::open(&store_dir().join("v.db")).unwrap();
    let query = vetted::query::parse(query, &jiff::tz::TimeZone::UTC, &Checklist::builtin()).unwrap();
    bencher.bench_local(|| {
        let page = store.queue_page_where(QueueOrder::Oldest, &query, None, Direction::Forward, 50).unwrap();
        (page.len(), store.count_where(&query).unwrap())
    });
}

/// The rank's readers on the store of the generated export (no rank row for the silent 96 %):
/// the first page of the queue in the recommended order, and the group view by
/// recommendation.
#[divan::bench(args = ["first page", "groups"], sample_count = 10)]
fn recommended(bencher: divan::Bencher, what: &str) {
    let store = Store::open(&store_dir().join("v.db")).unwrap();
    bencher.bench_local(|| match what {
        "first page" => store.queue_page(QueueOrder::Recommendation, None, Direction::Forward, 50).unwrap().len(),
        _ => store.groups(vetted::store::GroupBy::Recommendation, &jiff::tz::TimeZone::UTC).unwrap().len(),
    });
}
