//! Unfilled mail-merge fields: `{first_name}`, `{{firstName}}`, `[Company Name]`, `%FIRSTNAME%`,
//! `<first name>`, `(company)`, blanks (`XXX`, `___`) and all-caps stand-ins (`FIRSTNAME`),
//! without flagging a bracketed aside (`(we met at RustConf)`) or words in capitals (`AWS`).

use super::phrases::Phrases;

/// The pairs a field is written between.
const BRACKETS: &[(&str, &str)] = &[("{{", "}}"), ("{", "}"), ("[", "]"), ("<", ">"), ("%", "%"), ("(", ")")];

/// The longest field a bracket may hold.
const LONGEST: usize = 40;

/// The words of a field's name: split on non-letters and at camelCase humps, lowercased.
fn field_words(inner: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut prev_lower = false;
    for c in inner.chars() {
        if !c.is_alphanumeric() {
            prev_lower = false;
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            continue;
        }
        if c.is_uppercase() && prev_lower && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        prev_lower = c.is_lowercase();
        word.extend(c.to_lowercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// Whether `inner` (what a bracket holds) names a mail-merge field.
fn is_field(inner: &str, phrases: &Phrases) -> bool {
    if inner.is_empty() || inner.len() > LONGEST || inner.contains('\n') {
        return false;
    }
    if !inner.chars().all(|c| c.is_alphanumeric() || matches!(c, ' ' | '_' | '-' | '.' | '/' | '\'' | '’')) {
        return false;
    }
    let words = field_words(inner);
    !words.is_empty()
        && words.iter().all(|w| phrases.template_fields.contains(w))
        && words.iter().any(|w| phrases.template_core.contains(w))
}

/// A blank: three or more `_`, or a word of three or more `X`/`x` alone — not beside a word
/// holding a digit, for that is a masked number ("+91 98xx xxx 210"), not a field.
fn blank(message: &str) -> Option<&str> {
    if let Some(at) = message.find("___") {
        let len = message[at..].bytes().take_while(|&b| b == b'_').count();
        return Some(&message[at..at + len]);
    }
    let digit = |w: &str| w.bytes().any(|b| b.is_ascii_digit());
    let mut words = message.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).peekable();
    let mut after_digit = false;
    while let Some(w) = words.next() {
        let xs = w.len() >= 3 && (w.bytes().all(|b| b == b'X') || w.bytes().all(|b| b == b'x'));
        if xs && !after_digit && !words.peek().is_some_and(|next| digit(next)) {
            return Some(w);
        }
        after_digit = digit(w);
    }
    None
}

/// An all-caps stand-in from the list, in a note that is not itself written in capitals.
fn caps(message: &str, phrases: &Phrases) -> Option<String> {
    // Every stand-in has four capitals in a row ("NAME"): most notes have none.
    let run = message.as_bytes().windows(4).any(|w| w.iter().all(u8::is_ascii_uppercase));
    if !run {
        return None;
    }
    let letters = message.chars().filter(|c| c.is_alphabetic()).count();
    let upper = message.chars().filter(|c| c.is_uppercase()).count();
    if letters == 0 || upper * 2 > letters {
        return None;
    }
    let words: Vec<&str> =
        message.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|w| !w.is_empty()).collect();
    for (i, word) in words.iter().enumerate() {
        let two = words.get(i + 1).map(|next| format!("{word} {next}"));
        if let Some(two) = two.filter(|t| phrases.template_caps.contains(t)) {
            return Some(two);
        }
        // A field's name in capitals joined by underscores ("INSERT_TOPIC", "YOUR_COMPANY").
        let joined = word.contains('_') && word.chars().all(|c| c.is_ascii_uppercase() || c == '_');
        if joined && is_field(word, phrases) {
            return Some(word.to_string());
        }
        if phrases.template_caps.contains(*word) {
            // "NAME" beside other capitals is a heading or an acronym run, not a stand-in.
            let shouting = |w: Option<&&str>| w.is_some_and(|w| w.len() > 1 && w.chars().all(|c| !c.is_lowercase()));
            if word.len() > 4 || !(shouting(i.checked_sub(1).and_then(|j| words.get(j))) || shouting(words.get(i + 1)))
            {
                return Some(word.to_string());
            }
        }
    }
    None
}

/// The first unfilled field of the message, as written.
pub(crate) fn find(message: &str, phrases: &Phrases) -> Option<String> {
    for (open, close) in BRACKETS {
        let mut rest = message;
        let mut offset = 0;
        while let Some(start) = rest.find(open) {
            let after = &rest[start + open.len()..];
            let Some(end) = after.find(close) else { break };
            // A template language's filter after the field: {{ first_name | default: "there" }}.
            let inner = &after[..end];
            let field = if *open == "{{" { inner.split('|').next().unwrap_or(inner) } else { inner };
            if is_field(field, phrases) {
                let from = offset + start;
                return Some(message[from..from + open.len() + end + close.len()].to_string());
            }
            let skip = start + open.len();
            offset += skip;
            rest = &rest[skip..];
        }
    }
    blank(message).map(str::to_string).or_else(|| caps(message, phrases))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftover(m: &str) -> Option<String> {
        find(m, &Phrases::builtin())
    }

    #[test]
    fn every_way_a_field_is_left_unfilled() {
        for (m, want) in [
            ("Hi {first_name}, let's talk", "{first_name}"),
            ("Hi {{firstName}}!", "{{firstName}}"),
            ("Hi {{ first_name | default: 'there' }}!", "{{ first_name | default: 'there' }}"),
            ("Hello {{ contact.first_name }}", "{{ contact.first_name }}"),
            ("Dear [Name], greetings", "[Name]"),
            ("at [Company Name] you", "[Company Name]"),
            ("Hi %FIRSTNAME%, hello", "%FIRSTNAME%"),
            ("Dear <first name>,", "<first name>"),
            ("your work at (company) is", "(company)"),
            ("Best, [YOUR NAME]", "[YOUR NAME]"),
            ("this is ____ from ____.", "____"),
            ("Hi XXX, saw your post", "XXX"),
            ("Hi FIRSTNAME, how are you", "FIRSTNAME"),
            ("Hello NAME, nice profile", "NAME"),
            ("Olá [Nome], tudo bem?", "[Nome]"),
            ("saw your post about INSERT_TOPIC and", "INSERT_TOPIC"),
            ("Hi Sam, how is YOUR_COMPANY doing", "YOUR_COMPANY"),
        ] {
            assert_eq!(leftover(m).as_deref(), Some(want), "{m}");
        }
    }

    #[test]
    fn asides_capitals_and_percentages_are_not_fields() {
        for m in [
            "Hi Sam (we met at RustConf), great talk",
            "I work on AWS and NASA data as CTO",
            "I scored 100% at 50% speed {ok}",
            "my name is Ana (yes, like the song)",
            "AWS NAME SERVICE",
            "see [1] and [the docs]",
            "Dear team, xx",
            "THE NAME GAME IS ON",
            "set MAX_RETRIES and HTTP_PROXY in your env", // capitals with underscores that name no field
            "a tuple (name, age) in Rust",                // two fields with a comma: code, not a leftover
            "call me on +91 98xx xxx 210 any time",       // a masked phone number
            "card ending 4242, ref 98XX-XXX-210",
        ] {
            assert_eq!(leftover(m), None, "{m}");
        }
    }
}
