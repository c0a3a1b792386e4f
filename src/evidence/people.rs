//! People named in a note: the user's connections, and the names a campaign key leaves out.

use super::links;
use super::matcher::Hit;
use super::normal::{Tokens, fold_words, tokenize};
use super::phrases::Phrases;
use std::collections::HashMap;

/// The user's connections, indexed for finding their full names in a note. Names are
/// compared as [`crate::model::name_key`] compares them (compatibility forms, case, spacing),
/// and also without accents and apostrophes ("Tomas Alves" names "Tomás Alves"). A name of
/// one word is never looked for: it would match too much.
#[derive(Debug, Clone, Default)]
pub struct Connections {
    /// First folded word → (the folded words, the name as given).
    by_first: HashMap<String, Vec<(Vec<String>, String)>>,
}

impl Connections {
    /// From the connections' names as the export gives them ("First Last").
    pub fn new<I, S>(names: I) -> Connections
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut by_first: HashMap<String, Vec<(Vec<String>, String)>> = HashMap::new();
        for name in names {
            let key = crate::model::name_key(name.as_ref());
            let words = fold_words(&key);
            if words.len() < 2 {
                continue;
            }
            let list = by_first.entry(words[0].clone()).or_default();
            if !list.iter().any(|(w, _)| *w == words) {
                list.push((words, name.as_ref().split_whitespace().collect::<Vec<_>>().join(" ")));
            }
        }
        Connections { by_first }
    }

    pub fn is_empty(&self) -> bool {
        self.by_first.is_empty()
    }

    /// The first connection named in the note, longest name first at each word, skipping
    /// `exclude` (the sender's own folded name): `(from, to)` words and the name as given.
    pub(crate) fn find(&self, tokens: &Tokens, exclude: &[String]) -> Option<(usize, usize, &str)> {
        if self.by_first.is_empty() {
            return None;
        }
        for at in 0..tokens.len() {
            let Some(candidates) = self.by_first.get(tokens.word(at)) else { continue };
            let best = candidates
                .iter()
                .filter(|(words, _)| {
                    at + words.len() <= tokens.len()
                        && words.iter().enumerate().all(|(i, w)| {
                            let word = tokens.word(at + i);
                            // The last word may be possessive: "Weber's".
                            word == w
                                || (i + 1 == words.len()
                                    && tokens.list[at + i].apostrophe
                                    && word.strip_suffix('s') == Some(w))
                        })
                        && words.as_slice() != exclude
                })
                .max_by_key(|(words, _)| words.len());
            if let Some((words, name)) = best {
                return Some((at, at + words.len(), name));
            }
        }
        None
    }
}

/// The key that groups one campaign's notes: the note's words without greetings (and the word
/// after a greeting), the sender's and the user's names, numbers and links, joined by one
/// space. "Hi Sam, we help 20 teams…" and "Hello Alex, we help 35 teams…" share a key. An
/// empty note gives an empty key (no campaign), and so does a key of fewer than
/// [`MIN_CAMPAIGN_WORDS`] words: "Great meeting you at RustConf yesterday!" is what several
/// friends back from one conference write, not a campaign.
pub fn campaign_key(phrases: &Phrases, message: &str, sender_name: &str, user_first_name: Option<&str>) -> String {
    let key = key_words(phrases, message, sender_name, user_first_name);
    if key.split(' ').count() < MIN_CAMPAIGN_WORDS { String::new() } else { key }
}

/// The fewest words a campaign key holds.
pub const MIN_CAMPAIGN_WORDS: usize = 8;

fn key_words(phrases: &Phrases, message: &str, sender_name: &str, user_first_name: Option<&str>) -> String {
    let tokens = tokenize(message);
    let mut drop = vec![false; tokens.len()];
    let mut hits: Vec<Hit> = Vec::new();
    phrases.scan_greetings(&tokens, &mut hits);
    for hit in &hits {
        for d in &mut drop[hit.from..hit.to.min(tokens.len())] {
            *d = true;
        }
        if let Some(d) = drop.get_mut(hit.to) {
            *d = true;
        }
    }
    let mut names = fold_words(sender_name);
    names.extend(user_first_name.map(fold_words).unwrap_or_default());
    // Words inside links.
    let link_spans: Vec<(usize, usize)> = message
        .split_whitespace()
        .filter(|piece| links::is_link(piece))
        .map(|piece| {
            let start = piece.as_ptr() as usize - message.as_ptr() as usize;
            (start, start + piece.len())
        })
        .collect();
    let mut key = String::with_capacity(message.len());
    for (i, token) in tokens.list.iter().enumerate() {
        let word = tokens.word(i);
        let in_link = link_spans.iter().any(|&(s, e)| token.original.start >= s && token.original.end <= e);
        if drop[i] || token.number || in_link || names.iter().any(|n| n == word) {
            continue;
        }
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(word);
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_are_found_by_full_name_only() {
        let c = Connections::new(["Jonas  Weber", "Tomás Alves", "Madonna", "Ann Lee", "Ann Lee Park"]);
        let find = |m: &str| c.find(&tokenize(m), &[]).map(|(_, _, n)| n.to_string());
        assert_eq!(find("Jonas Weber suggested I reach out").as_deref(), Some("Jonas Weber"));
        assert_eq!(find("my manager jonas weber's team").as_deref(), Some("Jonas Weber"));
        assert_eq!(find("Tomas Alves said hi").as_deref(), Some("Tomás Alves"));
        assert_eq!(find("ann lee park and more").as_deref(), Some("Ann Lee Park"));
        assert_eq!(find("Jonas said hi, Madonna too, Weber"), None);
        let exclude = fold_words("Jonas Weber");
        assert_eq!(c.find(&tokenize("— Jonas Weber"), &exclude), None);
    }

    #[test]
    fn a_campaign_key_drops_greetings_names_numbers_and_links() {
        let p = Phrases::builtin();
        let a = campaign_key(
            &p,
            "Hi Sam, we help 20+ SaaS teams cut costs. Book at https://x.io/a1 — Alex Moreau",
            "Alex Moreau",
            Some("Sam"),
        );
        let b = campaign_key(
            &p,
            "Hello  Robin!! We help 35 SaaS teams cut costs; book at https://x.io/zz9 - Jo Park",
            "Jo Park",
            None,
        );
        assert_eq!(a, "we help saas teams cut costs book at");
        assert_eq!(a, b);
        assert_eq!(campaign_key(&p, "", "A B", None), "");
        // Short notes are what friends write alike: no key.
        assert_eq!(campaign_key(&p, "Great meeting you at RustConf yesterday!", "Ana Lima", None), "");
        assert_eq!(campaign_key(&p, "Hi Sam, we help SaaS teams cut costs. Book!", "Ana Lima", Some("Sam")), "");
    }

    #[test]
    fn a_greeting_the_user_adds_is_taken_out_of_a_campaign_key_and_no_other_phrase_is() {
        let note = "Ahoy there Sam, we help SaaS teams cut costs, book a demo at our site";
        let builtin = campaign_key(&Phrases::builtin(), note, "Ana Lima", Some("Sam"));
        assert!(builtin.starts_with("ahoy"), "{builtin}");
        let toml = "[greeting]\nphrases = [\"ahoy there\"]\n[sales]\nstrong = [\"we help saas teams\"]\n";
        let mine = Phrases::from_sources(Some(("evidence.toml", toml))).unwrap();
        assert_eq!(
            campaign_key(&mine, note, "Ana Lima", Some("Sam")),
            "we help saas teams cut costs book a demo at our site"
        );
    }
}
