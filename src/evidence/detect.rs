//! The detectors over one message, and how they combine.
//!
//! - scam: a strong phrase, a suspicious link (shortener, chat hand-off, LinkedIn look-alike),
//!   two different weak phrases, or one weak phrase and a link outside the safe domains, or its
//!   scored cues (`cues.rs`); or a sender's name holding hidden characters. No phrase or cue the
//!   note denies counts (`scam.not`: "no registration fee", "not crypto trading").
//! - sales: a strong phrase, two different weak ones, one weak phrase and a price ("$999"), or
//!   its scored cues, unless the note is a scam; only a strong one in a recruiter's note or in a
//!   note that names a connection, and a strong one or all three cue families in a note that
//!   gives a reason.
//! - recruiter: a strong phrase or two different weak ones (not beside a strong pitch), unless
//!   the note is a scam, or a job seeker's or says it is no offer (`recruiter.not`).
//! - stock: LinkedIn's own sentence, when nothing in the note gives a reason.
//! - template: an unfilled field (`template.rs`).
//! - personal: a reason phrase, in a note that is no sales, scam, stock text or template; an
//!   introduction ("suggested I reach out") when it names no connection, or in a note of
//!   [`INTRODUCTION_AND_MORE`] words or more (it goes on to say what about).
//! - collector: "let's connect" and the like, when the note gives no reason (nor a purpose of
//!   its own for connecting, `collector.not`), names no
//!   connection and is none of the above.
//! - introduced: the note names one of the user's connections (not the sender themself).
//! - invited_them, no_note: facts from the context.

use super::matcher::Hit;
use super::normal::{Tokens, fold_words, tokenize};
use super::phrases::{self, Phrases};
use super::{Context, Detector, Finding, cues, links, template};

/// The fewest words of a note in which a connection's introduction is a reason of its own: a
/// bare "Jonas Weber suggested I connect" is shorter, "Marta Souza suggested I reach out about
/// migrating our ticketing database from Oracle" is not (round 29, `docs/evidence.md`).
pub(crate) const INTRODUCTION_AND_MORE: usize = 18;

/// The longest match of a list.
fn strongest(hits: &[Hit], list: usize) -> Option<Hit> {
    hits.iter().filter(|h| h.list == list).max_by_key(|h| (h.to - h.from, std::cmp::Reverse(h.from))).copied()
}

/// Two matches of a list from different phrases over different words.
fn two(hits: &[Hit], list: usize) -> Option<(Hit, Hit)> {
    let of_list: Vec<&Hit> = hits.iter().filter(|h| h.list == list).collect();
    for (i, a) in of_list.iter().enumerate() {
        for b in &of_list[i + 1..] {
            let apart = a.to <= b.from || b.to <= a.from;
            if apart && a.phrase != b.phrase {
                return Some((**a, **b));
            }
        }
    }
    None
}

/// A price: a currency sign beside a number ("$999", "€25/hour", "40 €", "R$ 80").
fn price(message: &str) -> Option<&str> {
    let sign = |c: char| matches!(c, '$' | '€' | '£' | '¥' | '₹');
    for (at, c) in message.char_indices() {
        if !sign(c) {
            continue;
        }
        let after = &message[at + c.len_utf8()..];
        let digits = after.trim_start_matches(' ');
        if digits.starts_with(|d: char| d.is_ascii_digit()) {
            let skipped = after.len() - digits.len();
            let len = digits
                .find(|d: char| !(d.is_ascii_digit() || matches!(d, ',' | '.' | 'k' | 'K')))
                .unwrap_or(digits.len());
            let end = at + c.len_utf8() + skipped + len;
            return Some(message[at..end].trim_end_matches(['.', ',']));
        }
        let before = message[..at].trim_end_matches(' ');
        if before.ends_with(|d: char| d.is_ascii_digit()) {
            let start = before.trim_end_matches(|d: char| d.is_ascii_digit() || matches!(d, ',' | '.')).len();
            return Some(&message[start..at + c.len_utf8()]);
        }
    }
    None
}

/// One note, scanned once: its words, the phrases found in them, its price and its link.
struct Note<'m> {
    message: &'m str,
    tokens: Tokens,
    hits: Vec<Hit>,
    price: Option<&'m str>,
    link: Option<links::Link>,
    /// Its strongest sales phrase: a pitch, and what outweighs weaker signs of a scam or a job.
    pitch: Option<Hit>,
}

impl<'m> Note<'m> {
    fn new(phrases: &Phrases, message: &'m str) -> Note<'m> {
        let tokens = tokenize(message);
        let mut hits = Vec::new();
        phrases.scan(&tokens, &mut hits);
        let pitch = strongest(&hits, phrases::SALES_STRONG);
        Note { message, tokens, hits, price: price(message), link: links::find(message, phrases), pitch }
    }

    /// Quotes hits as the message wrote them.
    fn quote(&self, hits: &[Hit]) -> Vec<String> {
        hits.iter().map(|h| self.tokens.span(self.message, h.from, h.to).to_string()).collect()
    }

    fn one(&self, list: usize) -> Option<Vec<String>> {
        self.one_of(&self.hits, list)
    }

    fn pair(&self, list: usize) -> Option<Vec<String>> {
        self.pair_of(&self.hits, list)
    }

    /// The strongest hit of `list` among `hits`, quoted.
    fn one_of(&self, hits: &[Hit], list: usize) -> Option<Vec<String>> {
        strongest(hits, list).map(|h| self.quote(&[h]))
    }

    /// Two different hits of `list` among `hits`, quoted.
    fn pair_of(&self, hits: &[Hit], list: usize) -> Option<Vec<String>> {
        two(hits, list).map(|(a, b)| self.quote(&[a, b]))
    }

    fn scam(&self) -> Option<Vec<String>> {
        // A phrase or cue the note denies is a friend's aside: "not crypto trading, I promise",
        // "no registration fee, just show up" (`scam.not`). A move off LinkedIn is never
        // denied: Portuguese "me chama no WhatsApp" is "on WhatsApp".
        let moves =
            |h: &Hit| self.hits.iter().any(|c| c.list == phrases::SCAM_CONTACT && c.from <= h.from && h.from < c.to);
        let denied = |h: &Hit| !moves(h) && self.hits.iter().any(|d| d.list == phrases::SCAM_NOT && d.to == h.from);
        let hits: Vec<Hit> = self.hits.iter().filter(|h| !denied(h)).copied().collect();
        self.one_of(&hits, phrases::SCAM_STRONG)
            .or_else(|| match &self.link {
                Some(links::Link::Suspicious(host)) => Some(vec![host.clone()]),
                _ => None,
            })
            .or_else(|| self.pair_of(&hits, phrases::SCAM_WEAK))
            .or_else(|| match (&self.link, strongest(&hits, phrases::SCAM_WEAK)) {
                (Some(links::Link::Outside(host)), Some(weak)) => {
                    Some(vec![self.quote(&[weak]).remove(0), host.clone()])
                }
                _ => None,
            })
            // Cues alone beside a strong pitch are the pitch's: a vendor's "exclusive, limited
            // seats" dinner is no scam.
            .or_else(|| match self.pitch {
                Some(_) => None,
                None => cues::scam(&self.tokens, self.message, &hits, self.price, self.link.as_ref()),
            })
    }

    /// A pitch, in a note that is no scam. `strong_only`: a recruiter asks for a call and talks
    /// of their team too, and an introduction may mention minutes and clients, so only a strong
    /// phrase makes them a pitch. `reason`: "your docs", "your website" — sellers give reasons
    /// too, so a strong phrase or all three cue families.
    fn sales(&self, strong_only: bool, reason: bool) -> Option<Vec<String>> {
        let strong = self.pitch.map(|h| self.quote(&[h]));
        if strong_only || strong.is_some() {
            return strong;
        }
        let (tokens, hits) = (&self.tokens, &self.hits);
        if reason {
            return cues::sales(tokens, self.message, hits, self.price, true);
        }
        self.pair(phrases::SALES_WEAK)
            .or_else(|| {
                // A price counts as one weak phrase.
                let weak = strongest(hits, phrases::SALES_WEAK).map(|w| self.quote(&[w]).remove(0));
                weak.zip(self.price).map(|(w, p)| vec![w, p.to_string()])
            })
            .or_else(|| cues::sales(tokens, self.message, hits, self.price, false))
    }
}

/// The evidence for one request: its note (`message`, maybe empty) in its `ctx`.
pub fn evaluate(phrases: &Phrases, message: &str, ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    if crate::text::has_hidden_characters(ctx.sender_name) {
        let fact = "the sender's name holds hidden characters".to_string();
        out.push(Finding::new(Detector::Scam, Vec::new(), Some(fact)));
    }
    if message.trim().is_empty() {
        out.push(Finding::new(Detector::NoNote, Vec::new(), None));
        invited(ctx, &mut out);
        return out;
    }
    let note = Note::new(phrases, message);
    let scam = note.scam();
    // A job seeker's "consider me for a role", a recruiter's "no job today": no job offer, and
    // a cover letter's "please find my CV" no pitch either.
    let no_offer = strongest(&note.hits, phrases::RECRUITER_NOT).is_some();
    // A scam dressed as a job offer is a scam, not a recruiter.
    let recruiter = if scam.is_some() || no_offer {
        None
    } else {
        // Two weak words ("hiring", "interns") in a note with a strong pitch are the pitch's:
        // a bootcamp selling its interns, an agency selling its searches.
        let pitched = note.pitch.is_some();
        note.one(phrases::RECRUITER_STRONG).or_else(|| if pitched { None } else { note.pair(phrases::RECRUITER_WEAK) })
    };
    let sender = fold_words(ctx.sender_name);
    let introduced = ctx.connections.find(&note.tokens, &sender);
    // "Jonas suggested I reach out" is the introduction `introduced` already speaks for; from
    // someone who is not a connection, or in a note that goes on to say what about, it is the
    // note's reason too.
    let bare_introduction = introduced.is_some() && note.tokens.list.len() < INTRODUCTION_AND_MORE;
    let reason = note
        .one(phrases::PERSONAL)
        .or_else(|| if bare_introduction { None } else { note.one(phrases::PERSONAL_INTRODUCTIONS) });
    let sales = if scam.is_some() {
        None
    } else {
        note.sales(recruiter.is_some() || introduced.is_some() || no_offer, reason.is_some())
    };
    let leftover = template::find(message, phrases);
    let stock = if reason.is_none() && introduced.is_none() { note.one(phrases::STOCK) } else { None };
    let red = scam.is_some() || sales.is_some();
    let personal = if red || stock.is_some() || leftover.is_some() { None } else { reason.clone() };
    // A note that says what the connection is for is no collector's (`collector.not`).
    let said_why = red || stock.is_some() || recruiter.is_some() || reason.is_some() || introduced.is_some();
    let collector =
        if said_why || note.one(phrases::COLLECTOR_NOT).is_some() { None } else { note.one(phrases::COLLECTOR) };

    let mut push = |detector, words: Option<Vec<String>>| {
        if let Some(words) = words {
            out.push(Finding::new(detector, words, None));
        }
    };
    push(Detector::Scam, scam);
    push(Detector::Sales, sales);
    push(Detector::Stock, stock);
    push(Detector::Collector, collector);
    push(Detector::Template, leftover.map(|l| vec![l]));
    push(Detector::Recruiter, recruiter);
    push(Detector::Introduced, introduced.map(|(_, _, name)| vec![name.to_string()]));
    push(Detector::Personal, personal);
    invited(ctx, &mut out);
    out
}

fn invited(ctx: &Context, out: &mut Vec<Finding>) {
    if let Some(day) = ctx.invited_on {
        out.push(Finding::new(Detector::InvitedThem, Vec::new(), (!day.is_empty()).then(|| day.to_string())));
    }
}
