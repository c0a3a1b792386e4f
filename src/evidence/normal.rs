//! One pass over a message: its words, folded for matching, each with the bytes of the
//! original text it came from (so a finding can quote the exact words).
//!
//! Folding: compatibility-decomposed (styled letters become plain ones), accents dropped,
//! lowercased; apostrophes inside a word are dropped ("let's" and "lets" are one word, "I'd" is
//! "id"); every other character that is not a letter or a digit ends a word ("15-minute" is
//! "15" "minute"). Whole words only: "cryptography" never matches "crypto".

use std::ops::Range;

/// One word of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    /// The folded word, a range of [`Tokens::folded`].
    pub folded: Range<usize>,
    /// The original bytes it came from.
    pub original: Range<usize>,
    /// Holds a digit ("15", "10x", "2019").
    pub number: bool,
    /// Had an apostrophe inside ("let's", "Weber's").
    pub apostrophe: bool,
    /// A sentence ends after it (`.`, `!`, `?`, a line break…): no phrase runs across.
    pub ends_sentence: bool,
}

/// The words of one message.
#[derive(Debug, Default)]
pub(crate) struct Tokens {
    pub folded: String,
    pub list: Vec<Token>,
}

impl Tokens {
    /// The folded text of token `i`.
    pub fn word(&self, i: usize) -> &str {
        &self.folded[self.list[i].folded.clone()]
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// The original text from the start of token `from` to the end of token `to - 1`.
    pub fn span<'m>(&self, message: &'m str, from: usize, to: usize) -> &'m str {
        &message[self.list[from].original.start..self.list[to - 1].original.end]
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '`' | '\u{00B4}')
}

fn ends_sentence(c: char) -> bool {
    matches!(
        c,
        '.' | '!'
            | '?'
            | ';'
            | '\n'
            | '\r'
            | '\u{2026}'
            | '\u{061F}'
            | '\u{00BF}'
            | '\u{00A1}'
            | '\u{2022}'
            | '\u{3002}'
    )
}

/// Appends the folded form of a word character to `out`.
fn fold_into(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    unicode_normalization::char::decompose_compatible(c, |d| {
        if !unicode_normalization::char::is_combining_mark(d) {
            out.extend(d.to_lowercase());
        }
    });
}

/// Splits and folds `message` (see the module doc).
pub(crate) fn tokenize(message: &str) -> Tokens {
    let mut tokens =
        Tokens { folded: String::with_capacity(message.len()), list: Vec::with_capacity(message.len() / 5) };
    let mut current: Option<Token> = None;
    let mut chars = message.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        // A combining mark (Arabic harakat, a decomposed accent) or the Arabic tatweel belongs
        // to the word it is in: folding drops it, it must not split the word, nor make a word
        // of nothing where no word has begun.
        if !c.is_ascii() && (unicode_normalization::char::is_combining_mark(c) || c == '\u{0640}') {
            if let Some(token) = current.as_mut() {
                token.original.end = at + c.len_utf8();
            }
            continue;
        }
        if c.is_alphanumeric() {
            let start = tokens.folded.len();
            let token = current.get_or_insert(Token {
                folded: start..start,
                original: at..at,
                number: false,
                apostrophe: false,
                ends_sentence: false,
            });
            fold_into(c, &mut tokens.folded);
            token.number |= c.is_ascii_digit();
            token.original.end = at + c.len_utf8();
            continue;
        }
        // An apostrophe between two letters stays inside the word, and is dropped.
        if is_apostrophe(c)
            && let Some(token) = current.as_mut()
            && chars.peek().is_some_and(|&(_, n)| n.is_alphabetic())
        {
            token.apostrophe = true;
            continue;
        }
        if let Some(mut token) = current.take() {
            token.folded.end = tokens.folded.len();
            tokens.list.push(token);
        }
        // A dot inside a word ("Porto.js", "1.5") ends no sentence.
        let inside = c == '.' && chars.peek().is_some_and(|&(_, n)| n.is_alphanumeric());
        if ends_sentence(c)
            && !inside
            && let Some(last) = tokens.list.last_mut()
        {
            last.ends_sentence = true;
        }
    }
    if let Some(mut token) = current.take() {
        token.folded.end = tokens.folded.len();
        tokens.list.push(token);
    }
    tokens
}

/// The folded words of a short text (a phrase, a name), for building the matchers.
pub(crate) fn fold_words(text: &str) -> Vec<String> {
    let tokens = tokenize(text);
    (0..tokens.len()).map(|i| tokens.word(i).to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        fold_words(s)
    }

    #[test]
    fn folds_case_accents_apostrophes_and_styles() {
        assert_eq!(words("Let's book a 15-minute call!"), ["lets", "book", "a", "15", "minute", "call"]);
        assert_eq!(
            words("I’d like to add você à minha rede"),
            ["id", "like", "to", "add", "voce", "a", "minha", "rede"]
        );
        assert_eq!(words("𝐒𝐚𝐦 CRYPTOGRAPHY"), ["sam", "cryptography"]);
        assert_eq!(words("'quoted' words’"), ["quoted", "words"]);
        assert_eq!(words("🚀🚀 DM me"), ["dm", "me"]);
    }

    #[test]
    fn marks_inside_a_word_stay_in_it() {
        // Harakat, a tatweel and a decomposed accent: one word each, folded as written plain.
        assert_eq!(words("شَبَكَتِي المهنية"), ["شبكتي", "المهنية"]);
        assert_eq!(words("شبـــكتي"), ["شبكتي"]);
        assert_eq!(words("ـشبكتي ok \u{064E} go"), ["شبكتي", "ok", "go"], "no word of a lone mark");
        assert_eq!(words("re\u{301}seau"), ["reseau"]);
        // Hamza forms of alef fold to the bare letter, as people type it either way.
        assert_eq!(words("أود إضافتك"), ["اود", "اضافتك"]);
        let m = "ré\u{301}x";
        assert_eq!(tokenize(m).span(m, 0, 1), m);
    }

    #[test]
    fn spans_quote_the_original_text() {
        let m = "Hi Sam, BOOK a 15-minute call?";
        let t = tokenize(m);
        assert_eq!(t.span(m, 2, 7), "BOOK a 15-minute call");
        assert!(t.list[4].number && !t.list[5].number);
    }
}
