//! The one place that makes untrusted text (names, messages, notes, URLs) safe to show.
//!
//! Nothing a stranger wrote may drive the terminal: control characters, escape sequences,
//! bidi controls and invisible characters are replaced by visible stand-ins, so the user sees
//! that they were there. The store always keeps the original text.

use std::borrow::Cow;

/// How line breaks are treated by [`sanitize`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// Keep `\n` (multi-line panes: messages, notes).
    Keep,
    /// Show `\n` as `⏎` (tables, one-line fields).
    Fold,
}

/// True for a character that must never reach a terminal as is (without its neighbours:
/// the conservative answer, used where no context is at hand).
fn is_unsafe(c: char, lines: Lines) -> bool {
    match c {
        '\n' => lines == Lines::Fold,
        c if c.is_control() => true, // C0, DEL, C1
        _ => is_format_control(c),
    }
}

/// As [`is_unsafe`], with the characters around it: a zero-width joiner or non-joiner between
/// two visible characters is writing (an emoji sequence such as 👩‍💻, a Persian or Indic
/// word), not a trick; at an edge or beside a space it is hidden, and shown.
fn is_unsafe_at(prev: Option<char>, c: char, next: Option<char>, lines: Lines) -> bool {
    let visible = |x: Option<char>| x.is_some_and(|x| !x.is_whitespace() && !is_unsafe(x, Lines::Fold));
    match c {
        '\u{200C}' | '\u{200D}' => !(visible(prev) && visible(next)),
        c => is_unsafe(c, lines),
    }
}

/// Whether any character of `s` is unsafe where it stands.
fn any_unsafe(s: &str, lines: Lines) -> bool {
    let mut prev = None;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' || is_unsafe_at(prev, c, chars.peek().copied(), lines) {
            return true;
        }
        prev = Some(c);
    }
    false
}

/// Bidi controls, zero-width and other invisible formatting characters.
fn is_format_control(c: char) -> bool {
    matches!(c,
        '\u{00AD}'                  // soft hyphen
        | '\u{061C}'                // Arabic letter mark
        | '\u{180E}'                // Mongolian vowel separator
        | '\u{200B}'..='\u{200F}'   // zero-width space/joiners, LRM, RLM
        | '\u{2028}'..='\u{202E}'   // line/para separators, bidi embeddings and overrides
        | '\u{2060}'..='\u{206F}'   // word joiner, invisible operators, bidi isolates
        | '\u{FEFF}'                // zero-width no-break space / BOM
        | '\u{FFF9}'..='\u{FFFB}'   // interlinear annotation
        | '\u{034F}'                // combining grapheme joiner
        | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' // Hangul fillers: blank "letters"
        | '\u{17B4}' | '\u{17B5}'   // Khmer inherent vowels (invisible)
        | '\u{1D173}'..='\u{1D17A}' // musical formatting controls
        | '\u{E0000}'..='\u{E007F}' // tag characters: invisible text riding along
    )
}

fn push_visible(out: &mut String, c: char) {
    match c {
        '\n' => out.push('⏎'),
        '\t' => out.push('⇥'),
        '\u{1b}' => out.push('␛'),
        '\u{7f}' => out.push('␡'),
        // C0 controls have Unicode "control pictures" at U+2400 + code.
        c if (c as u32) < 0x20 => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('�')),
        c => out.push_str(&format!("⟨U+{:04X}⟩", c as u32)),
    }
}

/// Makes untrusted text safe to draw: every unsafe character becomes a visible stand-in.
/// Borrows when there is nothing to replace (the common case).
pub fn sanitize(s: &str, lines: Lines) -> Cow<'_, str> {
    if !any_unsafe(s, lines) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut prev = None;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        if c == '\r' && lines == Lines::Keep && next == Some('\n') {
            continue; // CRLF is just a line break
        }
        if c == '\r' || is_unsafe_at(prev, c, next, lines) {
            push_visible(&mut out, c);
        } else {
            out.push(c);
        }
        prev = Some(c);
    }
    Cow::Owned(out)
}

/// One-line form: line breaks folded to `⏎`.
pub fn line(s: &str) -> Cow<'_, str> {
    sanitize(s, Lines::Fold)
}

/// Multi-line form: line breaks kept, everything else made visible.
pub fn block(s: &str) -> Cow<'_, str> {
    sanitize(s, Lines::Keep)
}

/// A writer for text bound for a terminal: everything written is shown through [`block`]
/// (a sequence cut between two writes is held until it is whole).
pub struct TerminalSafe<'w> {
    out: &'w mut dyn std::io::Write,
    held: Vec<u8>,
}

impl<'w> TerminalSafe<'w> {
    pub fn new(out: &'w mut dyn std::io::Write) -> Self {
        TerminalSafe { out, held: Vec::new() }
    }
}

impl std::io::Write for TerminalSafe<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.held.extend_from_slice(buf);
        let whole = match std::str::from_utf8(&self.held) {
            Ok(_) => self.held.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => self.held.len(), // not UTF-8: replaced below
        };
        let text = String::from_utf8_lossy(&self.held[..whole]).into_owned();
        self.out.write_all(block(&text).as_bytes())?;
        self.held.drain(..whole);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.held.is_empty() {
            let rest = String::from_utf8_lossy(&self.held).into_owned();
            self.out.write_all(block(&rest).as_bytes())?;
            self.held.clear();
        }
        self.out.flush()
    }
}

/// True when the text holds anything [`sanitize`] would replace (used for import hints).
pub fn has_hidden_characters(s: &str) -> bool {
    any_unsafe(s, Lines::Keep)
}

/// True for a character [`sanitize`] would replace even where line breaks are kept.
pub fn is_hidden(c: char) -> bool {
    c == '\r' || is_unsafe(c, Lines::Keep)
}

/// Writes `s` as the inside of a JSON string: JSON's own escapes as serde_json writes them,
/// and `\uXXXX` for every other character [`is_hidden`] marks, so printed JSON cannot drive a
/// terminal while any JSON reader still decodes the original text.
pub fn write_json_str<W: std::io::Write + ?Sized>(out: &mut W, s: &str) -> std::io::Result<()> {
    if json_plain(s.as_bytes()) {
        return out.write_all(s.as_bytes());
    }
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let short = match c {
            '"' | '\\' => c as u8,
            ' '..='~' => continue,
            '\n' => b'n',
            '\r' => b'r',
            '\t' => b't',
            '\u{8}' => b'b',
            '\u{c}' => b'f',
            c if is_hidden(c) => 0,
            _ => continue,
        };
        out.write_all(&s.as_bytes()[start..i])?;
        start = i + c.len_utf8();
        if short != 0 {
            out.write_all(&[b'\\', short])?;
        } else {
            for unit in c.encode_utf16(&mut [0; 2]) {
                write!(out, "\\u{unit:04x}")?;
            }
        }
    }
    out.write_all(&s.as_bytes()[start..])
}

/// True when `bytes` stand in a JSON string as they are: printable ASCII other than `"` and `\`.
pub fn json_plain(bytes: &[u8]) -> bool {
    // No early exit, so the loop can be vectorised: most text is plain.
    bytes.iter().fold(true, |plain, &b| plain & (b' '..=b'~').contains(&b) & (b != b'"') & (b != b'\\'))
}

/// Shortens one-line text to at most `max` characters, marking the cut with `…`.
pub fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    use unicode_segmentation::UnicodeSegmentation;
    use unicode_width::UnicodeWidthStr;
    if s.width() <= max {
        return Cow::Borrowed(s);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    // Whole grapheme clusters (a family emoji, a letter with its accents), by display width.
    let mut out = String::new();
    let mut width = 0;
    for g in s.graphemes(true) {
        if width + g.width() + 1 > max {
            break;
        }
        out.push_str(g);
        width += g.width();
    }
    out.push('…');
    Cow::Owned(out)
}

/// Only plain web addresses are handed to the system opener.
pub fn is_web_url(u: &str) -> bool {
    (u.starts_with("https://") || u.starts_with("http://"))
        && u.len() > 8
        && !u.chars().any(|c| c.is_whitespace() || c.is_control() || has_hidden_characters(&c.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writing_is_shown_as_written_and_invisible_tricks_are_not() {
        for ok in ["Sam 👩‍💻 Dev", "👨‍👩‍👧 Family", "می‌خواهم", "क्‍ष", "日本語の名前"]
        {
            assert_eq!(line(ok), ok, "{ok:?}");
            assert!(!has_hidden_characters(ok), "{ok:?} is writing, not a hint");
        }
        for hidden in
            ["\u{200D}Ada", "Ada\u{200C}", "Ada \u{200D} Lovelace", "Ada\u{E0041}\u{E0042}", "\u{3164}", "A\u{115F}B"]
        {
            assert!(has_hidden_characters(hidden), "{hidden:?}");
            assert!(line(hidden).contains("⟨U+"), "{hidden:?} → {}", line(hidden));
        }
    }

    #[test]
    fn truncation_keeps_whole_graphemes_within_the_width() {
        use unicode_width::UnicodeWidthStr;
        assert_eq!(truncate("日本語の名前です", 7), "日本語…");
        assert_eq!(truncate("日本語の名前です", 7).width(), 7);
        assert_eq!(truncate("👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧", 5), "👨‍👩‍👧👨‍👩‍👧…");
        assert_eq!(truncate("Ada Lovelace", 5), "Ada …");
        assert_eq!(truncate("Ada", 5), "Ada");
    }

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        let s = "Ada Lovelace — analytical engines 🚂, 日本語";
        assert!(matches!(line(s), Cow::Borrowed(_)));
        assert_eq!(line(s), s);
    }

    #[test]
    fn escape_sequences_become_visible() {
        let hostile = "Eve\u{1b}[2J\u{1b}]0;pwned\u{7}\u{9b}31m";
        let shown = line(hostile);
        assert!(!shown.chars().any(|c| c.is_control()), "{shown:?}");
        assert_eq!(shown, "Eve␛[2J␛]0;pwned␇⟨U+009B⟩31m");
    }

    #[test]
    fn bidi_and_zero_width_become_visible() {
        let shown = line("abc\u{202E}fdp.exe\u{2066}x\u{200B}y\u{FEFF}");
        assert_eq!(shown, "abc⟨U+202E⟩fdp.exe⟨U+2066⟩x⟨U+200B⟩y⟨U+FEFF⟩");
    }

    #[test]
    fn newlines_fold_or_stay() {
        assert_eq!(line("a\nb\r\nc"), "a⏎b␍⏎c");
        assert_eq!(block("a\nb\r\nc\rd"), "a\nb\nc␍d");
        assert_eq!(block("nul\0here"), "nul␀here");
    }

    #[test]
    fn hidden_character_detection() {
        assert!(!has_hidden_characters("multi\nline is fine"));
        assert!(has_hidden_characters("bell\u{7}"));
        assert!(has_hidden_characters("rlo\u{202E}"));
    }

    #[test]
    fn json_strings_escape_as_serde_json_does_and_hide_the_rest() {
        let chars = (0..0x3000).chain(0xFEF0..0x10000).chain([0x1F600, 0xE0001]).filter_map(char::from_u32);
        for c in chars {
            let s = format!("a{c}\"\\b");
            let mut json = b"\"".to_vec();
            write_json_str(&mut json, &s).unwrap();
            json.push(b'"');
            let json = String::from_utf8(json).unwrap();
            assert_eq!(serde_json::from_str::<String>(&json).unwrap(), s, "{json}");
            assert!(!json.chars().any(is_hidden), "{json}");
            if !is_hidden(c) || c < ' ' {
                assert_eq!(json, serde_json::to_string(&s).unwrap());
            }
        }
    }

    #[test]
    fn truncate_marks_the_cut() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
    }
}
