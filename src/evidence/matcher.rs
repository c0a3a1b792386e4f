//! Phrase matching over a message's words, compiled once.
//!
//! A phrase is a sequence of words, written as people write them ("book a 15-minute call") and
//! folded as messages are (see `normal.rs`). Four marks widen a word:
//!
//! - `a|b|c`  any one of these words;
//! - `*`      any one word;
//! - `**`     a gap of zero to four words;
//! - `#`      a word holding a digit ("15", "10x", "2019").
//!
//! A phrase starts with a plain word (or alternatives): every phrase is filed under its first
//! words, so a message is matched in one pass, one map look-up per word.

use super::normal::{Tokens, fold_words};
use std::collections::HashMap;

/// How many words `**` may skip.
pub(crate) const GAP: usize = 4;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    /// One of these folded words.
    Word(Box<[Box<str>]>),
    Any,
    Gap,
    Number,
}

#[derive(Debug, Clone)]
struct Pattern {
    steps: Box<[Step]>,
    list: usize,
    /// Index of the phrase in its list, to tell two matches of one list apart.
    phrase: usize,
}

/// A match: which list, which phrase, which words `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    pub list: usize,
    pub phrase: usize,
    pub from: usize,
    pub to: usize,
}

/// Every phrase of every list, filed by first word.
#[derive(Debug, Default, Clone)]
pub(crate) struct Matcher {
    patterns: Vec<Pattern>,
    by_first: HashMap<Box<str>, Vec<usize>>,
}

/// The steps of one phrase, or why it cannot be compiled.
fn compile_steps(phrase: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    for piece in phrase.split_whitespace() {
        match piece {
            "*" => steps.push(Step::Any),
            "**" => steps.push(Step::Gap),
            "#" => steps.push(Step::Number),
            _ if piece.contains('|') => {
                let mut alternatives = Vec::new();
                for alternative in piece.split('|') {
                    let words = fold_words(alternative);
                    if words.len() != 1 {
                        return Err(format!("“{alternative}” in “{piece}” must be one word"));
                    }
                    alternatives.push(words.into_iter().next().unwrap_or_default().into_boxed_str());
                }
                steps.push(Step::Word(alternatives.into_boxed_slice()));
            }
            _ => {
                let words = fold_words(piece);
                if words.is_empty() {
                    return Err(format!("“{piece}” holds no letter or digit"));
                }
                steps.extend(words.into_iter().map(|w| Step::Word(Box::new([w.into_boxed_str()]))));
            }
        }
    }
    match steps.first() {
        None => Err("the phrase is empty".to_string()),
        Some(Step::Word(_)) => {
            if matches!(steps.last(), Some(Step::Gap)) {
                return Err("a phrase cannot end with “**”".to_string());
            }
            Ok(steps)
        }
        Some(_) => Err("a phrase must start with a word, not “*”, “**” or “#”".to_string()),
    }
}

impl Matcher {
    /// Adds one phrase of list `list`.
    pub fn add(&mut self, list: usize, phrase: usize, text: &str) -> Result<(), String> {
        let steps = compile_steps(text)?;
        let index = self.patterns.len();
        if let Some(Step::Word(firsts)) = steps.first() {
            for first in firsts.iter() {
                self.by_first.entry(first.clone()).or_default().push(index);
            }
        }
        self.patterns.push(Pattern { steps: steps.into_boxed_slice(), list, phrase });
        Ok(())
    }

    /// Every match in `tokens`, in order of their first word (one per phrase and start).
    pub fn scan(&self, tokens: &Tokens, hits: &mut Vec<Hit>) {
        for at in 0..tokens.len() {
            let word = tokens.word(at);
            let found = self.by_first.get(word).or_else(|| without_clitics(word).find_map(|w| self.by_first.get(w)));
            let Some(candidates) = found else { continue };
            for &p in candidates {
                let pattern = &self.patterns[p];
                if let Some(to) = match_from(&pattern.steps[1..], tokens, at + 1) {
                    hits.push(Hit { list: pattern.list, phrase: pattern.phrase, from: at, to });
                }
            }
        }
    }
}

/// The prefixes Arabic writes onto the next word: "and" (و), "so" (ف), "with" (ب), "for" (ل),
/// "as" (ك), "the" (ال), and those joined ("and the", "with the", "for the" (لل)), longest first.
const CLITICS: &[&str] = &["وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل"];

/// A word without the prefix Arabic wrote onto it, each way it may read: "وتوسيع شبكتي" is "and
/// expand my network", "بأرباح يومية" "with daily profits". A phrase's first word is looked up
/// so too (never a stem shorter than three letters).
fn without_clitics(word: &str) -> impl Iterator<Item = &str> {
    let arabic = word.starts_with(|c| ('\u{0621}'..='\u{064A}').contains(&c));
    let prefixes: &[&str] = if arabic { CLITICS } else { &[] };
    prefixes.iter().filter_map(move |c| word.strip_prefix(c)).filter(|rest| rest.chars().count() >= 3)
}

/// Matches `steps` from word `at`; the end of the shortest match.
fn match_from(steps: &[Step], tokens: &Tokens, at: usize) -> Option<usize> {
    let Some((step, rest)) = steps.split_first() else { return Some(at) };
    // A phrase never runs across the end of a sentence ("…your app in 1 day. Demo?").
    let crosses = |i: usize| i > 0 && tokens.list.get(i - 1).is_some_and(|t| t.ends_sentence);
    if crosses(at) {
        return None;
    }
    match step {
        Step::Gap => (0..=GAP).take_while(|&skip| skip == 0 || !crosses(at + skip)).find_map(|skip| {
            let next = at + skip;
            if next > tokens.len() { None } else { match_from(rest, tokens, next) }
        }),
        _ if at >= tokens.len() => None,
        Step::Any => match_from(rest, tokens, at + 1),
        Step::Number => tokens.list[at].number.then(|| match_from(rest, tokens, at + 1)).flatten(),
        Step::Word(words) => {
            let word = tokens.word(at);
            words.iter().any(|w| &**w == word).then(|| match_from(rest, tokens, at + 1)).flatten()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::normal::tokenize;
    use super::*;

    fn matches(phrase: &str, message: &str) -> Option<String> {
        let mut m = Matcher::default();
        m.add(0, 0, phrase).unwrap();
        let t = tokenize(message);
        let mut hits = Vec::new();
        m.scan(&t, &mut hits);
        hits.first().map(|h| t.span(message, h.from, h.to).to_string())
    }

    #[test]
    fn words_alternatives_gaps_and_numbers() {
        assert_eq!(
            matches("book|schedule a ** call", "Can we Book a quick 15-minute call?").as_deref(),
            Some("Book a quick 15-minute call")
        );
        assert_eq!(matches("book a call", "booking a call"), None);
        assert_eq!(matches("crypto", "I teach cryptography"), None);
        assert_eq!(matches("crypto", "Crypto returns!").as_deref(), Some("Crypto"));
        assert_eq!(
            matches("guaranteed # * returns", "guaranteed 20 % weekly returns").as_deref(),
            Some("guaranteed 20 % weekly returns")
        );
        assert_eq!(matches("let's connect", "lets connect").as_deref(), Some("lets connect"));
        assert_eq!(
            matches("i help ** generate", "I help engineering leaders generate leads").as_deref(),
            Some("I help engineering leaders generate")
        );
        assert_eq!(matches("i help ** generate", "I help a b c d e generate"), None);
        assert_eq!(matches("توسيع شبكة", "أود التواصل وتوسيع شبكة علاقاتي").as_deref(), Some("وتوسيع شبكة"));
        assert_eq!(matches("تو شبكة", "وتو شبكة"), None, "too short to be a word with و written on");
        assert_eq!(matches("أرباح يومية", "منصة بأرباح يومية مضمونة").as_deref(), Some("بأرباح يومية"));
        assert_eq!(matches("واتساب", "تواصل معي عبر الواتساب").as_deref(), Some("الواتساب"));
        assert_eq!(matches("تسويق رقمي", "شركة للتسويق رقمي").as_deref(), Some("للتسويق رقمي"));
        assert_eq!(matches("لد", "بلد"), None, "a stem is never shorter than three letters");
    }

    #[test]
    fn a_phrase_never_runs_across_the_end_of_a_sentence() {
        assert_eq!(matches("your ** demo", "Ours plugs into your app in 1 day. Demo?"), None);
        assert_eq!(matches("thanks again", "Thanks! Again, sorry"), None);
        assert_eq!(matches("your ** demo", "Loved your live demo!").as_deref(), Some("your live demo"));
        assert_eq!(matches("at the ** meetup", "at the Porto.js meetup").as_deref(), Some("at the Porto.js meetup"));
        assert_eq!(matches("i help ** generate", "I help. Teams generate"), None);
        assert_eq!(matches("we met", "We\nmet"), None);
    }

    #[test]
    fn bad_phrases_are_refused() {
        assert!(compile_steps("").is_err());
        assert!(compile_steps("* call").is_err());
        assert!(compile_steps("call **").is_err());
        assert!(compile_steps("a|two words").is_ok()); // split on spaces first: "a|two" then "words"
        assert!(compile_steps("a|15-minute").is_err());
        assert!(compile_steps("🚀").is_err());
    }
}
