//! The phrase lists (`assets/evidence.toml`), the user's additions, and their compiled form.
//!
//! The file is TOML: one table per detector family, each key of it a named list of strings
//! (`[sales] strong = [...]` is the list `sales.strong`). A user's file has the same shape; a
//! list named there is added to the built-in one, unless the file's top-level
//! `replace = ["sales.weak", ...]` names it, then it takes the built-in list's place (an empty
//! list so switches a list off). A list name the code does not know is refused (a typo would
//! otherwise be silently ignored).

use super::matcher::{Hit, Matcher};
use super::normal::{Tokens, fold_words};
use std::collections::HashSet;
use std::path::Path;

/// The phrase lists as shipped.
pub const BUILTIN_TOML: &str = include_str!("../../assets/evidence.toml");
const BUILTIN_NAME: &str = "assets/evidence.toml (built in)";

/// Every list, in the order of the ids below.
pub const LISTS: &[&str] = &[
    "sales.strong",
    "sales.weak",
    "scam.strong",
    "scam.weak",
    "stock.phrases",
    "collector.phrases",
    "recruiter.strong",
    "recruiter.weak",
    "personal.reasons",
    "greeting.phrases",
    "sales.voice",
    "sales.offer",
    "sales.ask",
    "sales.invite",
    "scam.money",
    "scam.pressure",
    "scam.contact",
    "scam.hook",
    "recruiter.not",
    "personal.introductions",
    "collector.not",
    "scam.not",
    "template.fields",
    "template.core",
    "template.caps",
    "links.safe",
    "links.suspicious",
];

pub(crate) const SALES_STRONG: usize = 0;
pub(crate) const SALES_WEAK: usize = 1;
pub(crate) const SCAM_STRONG: usize = 2;
pub(crate) const SCAM_WEAK: usize = 3;
pub(crate) const STOCK: usize = 4;
pub(crate) const COLLECTOR: usize = 5;
pub(crate) const RECRUITER_STRONG: usize = 6;
pub(crate) const RECRUITER_WEAK: usize = 7;
pub(crate) const PERSONAL: usize = 8;
pub(crate) const GREETING: usize = 9;
/// The cue families of the scored sales and scam rules (`cues.rs`).
pub(crate) const SALES_VOICE: usize = 10;
pub(crate) const SALES_OFFER: usize = 11;
pub(crate) const SALES_ASK: usize = 12;
pub(crate) const SALES_INVITE: usize = 13;
pub(crate) const SCAM_MONEY: usize = 14;
pub(crate) const SCAM_PRESSURE: usize = 15;
pub(crate) const SCAM_CONTACT: usize = 16;
pub(crate) const SCAM_HOOK: usize = 17;
/// A job seeker's words, or a recruiter's saying this note is no offer.
pub(crate) const RECRUITER_NOT: usize = 18;
/// Someone's introduction given as the reason: a reason when it names none of the user's
/// connections, or in a note that goes on to say what about (`detect::INTRODUCTION_AND_MORE`).
pub(crate) const PERSONAL_INTRODUCTIONS: usize = 19;
/// A purpose the note gives for connecting ("connecting here so I can send the notes"): no
/// collector, whatever else it says.
pub(crate) const COLLECTOR_NOT: usize = 20;
/// Words that deny the scam phrase or cue right after them ("not crypto trading", "no
/// registration fee").
pub(crate) const SCAM_NOT: usize = 21;
const TEMPLATE_FIELDS: usize = 22;
const TEMPLATE_CORE: usize = 23;
const TEMPLATE_CAPS: usize = 24;
const LINKS_SAFE: usize = 25;
const LINKS_SUSPICIOUS: usize = 26;
/// The lists of phrases (matched as word sequences); the others are lists of single words or
/// domains.
const PHRASE_LISTS: usize = 22;

/// Why a phrase file was refused: the file, and where in it.
#[derive(Debug, thiserror::Error)]
pub enum PhrasesError {
    #[error("{file}: cannot read it: {source}")]
    Read { file: String, source: std::io::Error },
    #[error("{file}:{line}: {message}")]
    Toml { file: String, line: usize, message: String },
    #[error("{file}:{line}: unknown list “{name}” (the lists are: {})", LISTS.join(", "))]
    UnknownList { file: String, line: usize, name: String },
    #[error("{file}:{line}: list “{list}”: “{phrase}”: {why}")]
    BadPhrase { file: String, line: usize, list: String, phrase: String, why: String },
}

/// The compiled phrase lists. Build once (per import, per change of lists) and share.
#[derive(Debug, Clone)]
pub struct Phrases {
    lists: Vec<Vec<String>>,
    matcher: Matcher,
    /// The greetings alone: all a campaign key looks for.
    greetings: Matcher,
    pub(crate) template_fields: HashSet<String>,
    pub(crate) template_core: HashSet<String>,
    pub(crate) template_caps: HashSet<String>,
    pub(crate) safe_domains: Vec<String>,
    pub(crate) suspicious_domains: Vec<String>,
}

/// The 1-based line of a byte offset.
fn line_at(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].bytes().filter(|&b| b == b'\n').count() + 1
}

/// The line where `needle` first appears (a best guess for a list or a phrase), else 1.
fn line_of(text: &str, needle: &str) -> usize {
    text.find(needle).map_or(1, |at| line_at(text, at))
}

/// The line of `key` in table `[section]`, else of the table, else 1.
fn line_of_key(text: &str, section: &str, key: &str) -> usize {
    let Some(table) = text.find(&format!("[{section}]")) else { return line_of(text, key) };
    text[table..].find(key).map_or(line_at(text, table), |at| line_at(text, table + at))
}

/// The lists a file names: `(list id, strings)`, and the lists it replaces.
type Parsed = (Vec<(usize, Vec<String>)>, HashSet<usize>);

fn parse(text: &str, file: &str) -> Result<Parsed, PhrasesError> {
    let table: toml::Table = toml::from_str(text).map_err(|e| PhrasesError::Toml {
        file: file.to_string(),
        line: e.span().map_or(1, |s| line_at(text, s.start)),
        message: e.message().trim().to_string(),
    })?;
    let unknown = |name: String| PhrasesError::UnknownList { file: file.to_string(), line: line_of(text, &name), name };
    let not_strings = |name: &str| PhrasesError::Toml {
        file: file.to_string(),
        line: line_of(text, name),
        message: format!("“{name}” must be a list of strings"),
    };
    let strings = |name: &str, value: &toml::Value| -> Result<Vec<String>, PhrasesError> {
        let array = value.as_array().ok_or_else(|| not_strings(name))?;
        array.iter().map(|v| v.as_str().map(str::to_string).ok_or_else(|| not_strings(name))).collect()
    };
    let id = |name: &str| LISTS.iter().position(|l| *l == name);
    let mut lists = Vec::new();
    let mut replace = HashSet::new();
    for (section, value) in &table {
        if section == "replace" {
            for name in strings("replace", value)? {
                replace.insert(id(&name).ok_or_else(|| unknown(name.clone()))?);
            }
            continue;
        }
        let Some(inner) = value.as_table() else { return Err(unknown(section.clone())) };
        for (key, value) in inner {
            let name = format!("{section}.{key}");
            let list = id(&name).ok_or_else(|| PhrasesError::UnknownList {
                file: file.to_string(),
                line: line_of_key(text, section, key),
                name: name.clone(),
            })?;
            lists.push((list, strings(&name, value)?));
        }
    }
    Ok((lists, replace))
}

impl Phrases {
    /// The built-in lists.
    pub fn builtin() -> Phrases {
        Phrases::from_sources(None).expect("the built-in phrase lists are valid (tested)")
    }

    /// The built-in lists with the user's file at `path` applied (see the module doc); the
    /// built-in lists alone when there is no such file.
    pub fn load(path: &Path) -> Result<Phrases, PhrasesError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Phrases::from_sources(Some((&path.display().to_string(), &text))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Phrases::builtin()),
            Err(source) => Err(PhrasesError::Read { file: path.display().to_string(), source }),
        }
    }

    /// The built-in lists with a user's file `(its name, its text)` applied.
    pub fn from_sources(user: Option<(&str, &str)>) -> Result<Phrases, PhrasesError> {
        let mut lists: Vec<Vec<String>> = vec![Vec::new(); LISTS.len()];
        let mut origin: Vec<(&str, &str)> = vec![(BUILTIN_NAME, BUILTIN_TOML); LISTS.len()];
        for (id, strings) in parse(BUILTIN_TOML, BUILTIN_NAME)?.0 {
            lists[id].extend(strings);
        }
        if let Some((file, text)) = user {
            let (named, replace) = parse(text, file)?;
            for id in &replace {
                lists[*id].clear();
            }
            for (id, strings) in named {
                lists[id].extend(strings);
                origin[id] = (file, text);
            }
        }
        let (mut matcher, mut greetings) = (Matcher::default(), Matcher::default());
        for (id, list) in lists.iter().enumerate().take(PHRASE_LISTS) {
            for (n, phrase) in list.iter().enumerate() {
                let greeting = |()| if id == GREETING { greetings.add(id, n, phrase) } else { Ok(()) };
                matcher.add(id, n, phrase).and_then(greeting).map_err(|why| {
                    let (file, text) = origin[id];
                    PhrasesError::BadPhrase {
                        file: file.to_string(),
                        line: line_of(text, &format!("\"{phrase}\"")),
                        list: LISTS[id].to_string(),
                        phrase: phrase.clone(),
                        why,
                    }
                })?;
            }
        }
        let words = |id: usize| lists[id].iter().flat_map(|w| fold_words(w)).collect::<HashSet<_>>();
        let lower = |id: usize| lists[id].iter().map(|d| d.trim().to_ascii_lowercase()).collect::<Vec<_>>();
        Ok(Phrases {
            template_fields: words(TEMPLATE_FIELDS),
            template_core: words(TEMPLATE_CORE),
            template_caps: lists[TEMPLATE_CAPS].iter().cloned().collect(),
            safe_domains: lower(LINKS_SAFE),
            suspicious_domains: lower(LINKS_SUSPICIOUS),
            matcher,
            greetings,
            lists,
        })
    }

    /// The strings of list `name` (e.g. `"sales.strong"`), after the user's file.
    /// What the findings made with these lists depend on, as a short stable text: the lists
    /// as compiled and the detectors' version (the crate's). A store keeps the fingerprint its
    /// findings were made with; another one means they are evaluated again.
    pub fn fingerprint(&self) -> String {
        // FNV-1a: stable across builds and platforms (the std hasher is not).
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |bytes: &[u8]| {
            for b in bytes.iter().chain([0xff].iter()) {
                h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
            }
        };
        eat(env!("CARGO_PKG_VERSION").as_bytes());
        for (name, list) in LISTS.iter().zip(&self.lists) {
            eat(name.as_bytes());
            list.iter().for_each(|phrase| eat(phrase.as_bytes()));
        }
        format!("{h:016x}")
    }

    pub fn list(&self, name: &str) -> Option<&[String]> {
        LISTS.iter().position(|l| *l == name).map(|id| self.lists[id].as_slice())
    }

    pub(crate) fn scan(&self, tokens: &Tokens, hits: &mut Vec<Hit>) {
        self.matcher.scan(tokens, hits);
    }

    /// As [`Phrases::scan`], the greetings' hits alone (a fraction of the look-ups).
    pub(crate) fn scan_greetings(&self, tokens: &Tokens, hits: &mut Vec<Hit>) {
        self.greetings.scan(tokens, hits);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_lists_compile_and_are_all_named() {
        let p = Phrases::builtin();
        for name in LISTS {
            let list = p.list(name).unwrap();
            assert!(!list.is_empty(), "{name} is empty");
            let mut seen = std::collections::HashSet::new();
            let twice: Vec<&String> = list.iter().filter(|phrase| !seen.insert(*phrase)).collect();
            assert!(twice.is_empty(), "{name} holds these twice: {twice:?}");
        }
    }

    #[test]
    fn a_user_file_extends_or_replaces_lists() {
        let builtin = Phrases::builtin();
        let n = builtin.list("sales.strong").unwrap().len();
        let p = Phrases::from_sources(Some(("mine.toml", "[sales]\nstrong = [\"buy my widgets\"]\n"))).unwrap();
        assert_eq!(p.list("sales.strong").unwrap().len(), n + 1);
        let text = "replace = [\"sales.strong\"]\n[sales]\nstrong = [\"buy my widgets\"]\n";
        let p = Phrases::from_sources(Some(("mine.toml", text))).unwrap();
        assert_eq!(p.list("sales.strong").unwrap(), ["buy my widgets"]);
        let p = Phrases::from_sources(Some(("mine.toml", "replace = [\"scam.weak\"]\n"))).unwrap();
        assert!(p.list("scam.weak").unwrap().is_empty());
    }

    #[test]
    fn bad_files_name_the_file_and_line() {
        let err = |text: &str| Phrases::from_sources(Some(("mine.toml", text))).unwrap_err().to_string();
        assert!(err("[sales]\nstrong = [\"a\",\n  oops]\n").starts_with("mine.toml:3"));
        assert!(err("\n[sales]\nstong = [\"a\"]\n").starts_with("mine.toml:3: unknown list “sales.stong”"));
        assert!(err("[sales]\nstrong = \"a\"\n").contains("must be a list of strings"));
        let bad = err("[sales]\n\nstrong = [\"ok\", \"* starts wrong\"]\n");
        assert!(bad.starts_with("mine.toml:3: list “sales.strong”: “* starts wrong”"), "{bad}");
        let missing = Phrases::load(Path::new("/nonexistent/evidence.toml")).unwrap();
        assert_eq!(missing.list("sales.strong"), Phrases::builtin().list("sales.strong"));
    }
}
