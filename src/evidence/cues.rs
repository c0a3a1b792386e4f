//! Scored cues: the sales pitches and scams no phrase list has the shape of, told by what they
//! are made of rather than by one sentence.
//!
//! Each detector has a few cue families, each a phrase list of `assets/evidence.toml`:
//!
//! - sales: the **voice** of a business speaking of its offer ("we turn", "I specialise",
//!   "our clients"), an **offer** (commercial nouns: clients, pricing, per month, free trial;
//!   also a price or a percentage), an **ask** (a call to action: "worth a look", "can I send",
//!   "mind if I share") and a generic **invite** ("would you like", "interested?");
//! - scam: **money** (fees, funds, returns; also a price), **pressure** ("urgently", "within 24
//!   hours", "to release"), a move off LinkedIn (**contact**: WhatsApp, "your private email";
//!   also a phone number, an @handle, an e-mail address, a link outside the safe domains) and a
//!   **hook** (romance, prizes, inheritances, trading, soldiers abroad, account warnings).
//!
//! One cue of a family is taken per family, over words no other cue holds, so one phrase never
//! counts twice (nor, for a scam, a word of a recruiter's strong phrase: "urgent requirement";
//! the caller leaves out the cues the note denies, `scam.not`).
//! A pitch needs two families, one of them an offer, or a voice and an ask (an organiser's "we
//! run the meetup, would you like to join?" is neither); three when the note also gives a
//! reason ("your docs" is said by sellers too). A scam needs three families, or two when words
//! of the note ask to move off LinkedIn (a number or an address alone is what friends
//! give too); a second, different hook counts as a family. The finding quotes every cue.

use super::links::Link;
use super::matcher::Hit;
use super::normal::Tokens;
use super::phrases::{
    RECRUITER_STRONG, SALES_ASK, SALES_INVITE, SALES_OFFER, SALES_VOICE, SCAM_CONTACT, SCAM_HOOK, SCAM_MONEY,
    SCAM_PRESSURE,
};

/// The cues found so far: the family (list id) and the words quoted.
struct Cues<'m> {
    found: Vec<(usize, &'m str)>,
    taken: Vec<Hit>,
}

impl<'m> Cues<'m> {
    /// The longest hit of each family in `families` over words no cue holds yet.
    /// `held`: words another phrase already explains, which no cue may take.
    fn pick(tokens: &Tokens, message: &'m str, hits: &[Hit], families: &[usize], held: Vec<Hit>) -> Cues<'m> {
        let mut cues = Cues { found: Vec::new(), taken: held };
        for &family in families {
            if let Some(hit) = cues.longest_free(hits, family, None) {
                cues.take(tokens, message, family, hit);
            }
        }
        cues
    }

    fn longest_free(&self, hits: &[Hit], family: usize, not_phrase: Option<usize>) -> Option<Hit> {
        hits.iter()
            .filter(|h| h.list == family && Some(h.phrase) != not_phrase)
            .filter(|h| self.taken.iter().all(|t| h.to <= t.from || t.to <= h.from))
            .max_by_key(|h| (h.to - h.from, std::cmp::Reverse(h.from)))
            .copied()
    }

    fn take(&mut self, tokens: &Tokens, message: &'m str, family: usize, hit: Hit) {
        self.found.push((family, tokens.span(message, hit.from, hit.to)));
        self.taken.push(hit);
    }

    fn has(&self, family: usize) -> bool {
        self.found.iter().any(|(f, _)| *f == family)
    }

    /// Counts `words` (a price, a phone number) for `family` when no phrase did.
    fn or_fact(&mut self, family: usize, words: Option<&'m str>) {
        if let Some(words) = words.filter(|_| !self.has(family)) {
            self.found.push((family, words));
        }
    }

    fn quoted(&self) -> Vec<String> {
        self.found.iter().map(|(_, w)| w.to_string()).collect()
    }
}

/// A sales pitch by its cues: an offer and one more family, or a voice and an ask; three
/// families when `reason` (the note gives one).
pub(crate) fn sales(
    tokens: &Tokens,
    message: &str,
    hits: &[Hit],
    price: Option<&str>,
    reason: bool,
) -> Option<Vec<String>> {
    let mut cues = Cues::pick(tokens, message, hits, &[SALES_VOICE, SALES_ASK, SALES_OFFER, SALES_INVITE], Vec::new());
    cues.or_fact(SALES_OFFER, price.or_else(|| percent(message)));
    let need = if reason { 3 } else { 2 };
    let shape = cues.has(SALES_OFFER) || (cues.has(SALES_VOICE) && cues.has(SALES_ASK));
    (shape && cues.found.len() >= need).then(|| cues.quoted())
}

/// A scam by its cues: three families, or two with words asking to move off LinkedIn.
pub(crate) fn scam(
    tokens: &Tokens,
    message: &str,
    hits: &[Hit],
    price: Option<&str>,
    link: Option<&Link>,
) -> Option<Vec<String>> {
    // A recruiter's "urgent requirement for" is the job offer's words, not pressure.
    let held = hits.iter().filter(|h| h.list == RECRUITER_STRONG).copied().collect();
    let mut cues = Cues::pick(tokens, message, hits, &[SCAM_CONTACT, SCAM_HOOK, SCAM_PRESSURE, SCAM_MONEY], held);
    cues.or_fact(SCAM_MONEY, price);
    // A friend gives a phone number or an address too: only words asking to move count alone.
    let asks_to_move = cues.has(SCAM_CONTACT);
    let host = link.map(|l| match l {
        Link::Suspicious(host) | Link::Outside(host) => host.as_str(),
    });
    cues.or_fact(SCAM_CONTACT, phone(message).or_else(|| handle(message)).or_else(|| email(message)).or(host));
    let mut families = cues.found.len();
    // A second hook of another phrase, over other words, weighs as one more family.
    let first_hook = cues.taken.iter().find(|h| h.list == SCAM_HOOK).map(|h| h.phrase);
    if let Some(second) = first_hook.and_then(|first| cues.longest_free(hits, SCAM_HOOK, Some(first))) {
        cues.take(tokens, message, SCAM_HOOK, second);
        families += 1;
    }
    (families >= 3 || (families >= 2 && asks_to_move)).then(|| cues.quoted())
}

/// A percentage: digits, maybe a space, `%` ("70%", "25 %").
fn percent(message: &str) -> Option<&str> {
    let at = message
        .char_indices()
        .find(|&(i, c)| c == '%' && message[..i].trim_end_matches(' ').ends_with(|d: char| d.is_ascii_digit()))?;
    let before = message[..at.0].trim_end_matches(' ');
    let start = before.trim_end_matches(|d: char| d.is_ascii_digit() || d == '.' || d == ',').len();
    Some(&message[start..=at.0])
}

/// A phone number: `+`, then at least eight digits among spaces and dashes.
fn phone(message: &str) -> Option<&str> {
    for (at, _) in message.match_indices('+') {
        let rest = &message[at + 1..];
        let len = rest.find(|c: char| !(c.is_ascii_digit() || c == ' ' || c == '-')).unwrap_or(rest.len());
        let number = rest[..len].trim_end_matches([' ', '-']);
        if number.starts_with(|c: char| c.is_ascii_digit()) && number.bytes().filter(u8::is_ascii_digit).count() >= 8 {
            return Some(&message[at..at + 1 + number.len()]);
        }
    }
    None
}

/// An @handle at the start of a word ("@elena_sun"), three characters or more.
fn handle(message: &str) -> Option<&str> {
    message.split_whitespace().find_map(|piece| {
        let name = piece.strip_prefix('@')?;
        let len = name.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(name.len());
        (len >= 3).then(|| &piece[..1 + len])
    })
}

/// An e-mail address ("linda.love34@mailbox.com").
fn email(message: &str) -> Option<&str> {
    message.split_whitespace().find_map(|piece| {
        let piece = piece.trim_matches(|c: char| !c.is_alphanumeric());
        let (user, host) = piece.split_once('@')?;
        let ok = !user.is_empty() && host.contains('.') && !host.starts_with('.') && !host.ends_with('.');
        ok.then_some(piece)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::phrases::LISTS;

    #[test]
    fn the_cue_families_are_the_lists_they_name() {
        for (id, name) in [
            (SALES_VOICE, "sales.voice"),
            (SALES_OFFER, "sales.offer"),
            (SALES_ASK, "sales.ask"),
            (SALES_INVITE, "sales.invite"),
            (SCAM_MONEY, "scam.money"),
            (SCAM_PRESSURE, "scam.pressure"),
            (SCAM_CONTACT, "scam.contact"),
            (SCAM_HOOK, "scam.hook"),
        ] {
            assert_eq!(LISTS[id], name);
        }
    }

    #[test]
    fn facts_in_the_text() {
        assert_eq!(percent("cut response time by 70%. Can"), Some("70%"));
        assert_eq!(percent("most save 25 % a year"), Some("25 %"));
        assert_eq!(percent("100% remote"), Some("100%"));
        assert_eq!(percent("a % sign"), None);
        assert_eq!(phone("Me chama no WhatsApp +55 11 98877-1234"), Some("+55 11 98877-1234"));
        assert_eq!(phone("C++ and +1 more"), None);
        assert_eq!(handle("on Telegram @reviewjobs_hr today"), Some("@reviewjobs_hr"));
        assert_eq!(handle("ask @al"), None);
        assert_eq!(email("here is my email linda.love34@mailbox.com."), Some("linda.love34@mailbox.com"));
        assert_eq!(email("meet @ 5 or a@b"), None);
    }
}
