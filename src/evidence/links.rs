//! Links in a note: `https://…`, `www.…` or a bare `name.tld/…`, and their domain.

use super::phrases::Phrases;

/// Endings that make a bare `word.word` a domain (a sentence's "end.Next" is not one).
const TLDS: &[&str] = &[
    "com", "net", "org", "io", "co", "me", "ly", "in", "ru", "xyz", "app", "dev", "info", "biz", "link", "site",
    "online", "top", "br", "pt", "es", "uk", "de", "fr", "ai", "gg", "cc", "club", "shop", "live", "vip", "icu", "cn",
    "tk", "ml", "ga", "cf", "gl", "at", "is", "to",
];

/// How a note's link looks to the scam detector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Link {
    /// A shortener or a chat hand-off (`bit.ly`, `wa.me`), or a look-alike of LinkedIn.
    Suspicious(String),
    /// Any other domain outside the safe list.
    Outside(String),
}

/// The domain of one whitespace-separated piece of a note, if it is a link.
fn domain(piece: &str) -> Option<String> {
    if !piece.contains('.') {
        return None;
    }
    let piece = piece.trim_matches(|c: char| !c.is_alphanumeric());
    let lower = piece.to_ascii_lowercase();
    let explicit = ["https://", "http://"].iter().find_map(|s| lower.strip_prefix(s));
    let rest = explicit.unwrap_or(&lower);
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    if explicit.is_none() && rest.contains('@') {
        return None; // an e-mail address
    }
    let host = rest.split(['/', '?', '#', ':']).next().unwrap_or("");
    let labels: Vec<&str> = host.split('.').collect();
    let plausible = labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    if !plausible {
        return None;
    }
    let tld = labels[labels.len() - 1];
    // A host that borrows LinkedIn's name is a link whatever its ending (linkedin-refunds.help).
    let borrowed = lookalike(host) && tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic());
    (explicit.is_some() || lower.starts_with("www.") || TLDS.contains(&tld) || borrowed).then(|| host.to_string())
}

/// A host that is not LinkedIn's but borrows its name.
fn lookalike(host: &str) -> bool {
    ["linkedin", "1inkedin", "linkedln", "lnkd", "linked-in", "linkdn", "linkedn", "lnkedin"]
        .iter()
        .any(|name| host.contains(name))
}

/// Whether a whitespace-separated piece of a note is a link.
pub(crate) fn is_link(piece: &str) -> bool {
    domain(piece).is_some()
}

fn within(host: &str, domain: &str) -> bool {
    host == domain || host.strip_suffix(domain).is_some_and(|rest| rest.ends_with('.'))
}

/// The first link of the note that is not on a safe domain, suspicious ones first.
pub(crate) fn find(message: &str, phrases: &Phrases) -> Option<Link> {
    let mut outside = None;
    for host in message.split_whitespace().filter_map(domain) {
        if phrases.safe_domains.iter().any(|d| within(&host, d)) {
            continue;
        }
        if lookalike(&host) || phrases.suspicious_domains.iter().any(|d| within(&host, d)) {
            return Some(Link::Suspicious(host));
        }
        outside.get_or_insert(Link::Outside(host));
    }
    outside
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(m: &str) -> Option<Link> {
        find(m, &Phrases::builtin())
    }

    #[test]
    fn links_and_their_kind() {
        assert_eq!(link("go to bit.ly/li-restore now"), Some(Link::Suspicious("bit.ly".into())));
        assert_eq!(link("at linkedin-secure-check.com or"), Some(Link::Suspicious("linkedin-secure-check.com".into())));
        assert_eq!(link("here: linkedin-refunds.help"), Some(Link::Suspicious("linkedin-refunds.help".into())));
        assert_eq!(
            link("here: premium-renew.linkdn-example.co/a"),
            Some(Link::Suspicious("premium-renew.linkdn-example.co".into()))
        );
        assert_eq!(link("https://wa.me/4477009"), Some(Link::Suspicious("wa.me".into())));
        assert_eq!(link("see https://shop.example.net/x?y=1."), Some(Link::Outside("shop.example.net".into())));
        assert_eq!(link("see www.example.org"), Some(Link::Outside("example.org".into())));
    }

    #[test]
    fn safe_domains_mail_and_sentences_are_not_links() {
        for m in [
            "my repo github.com/ana/csv-sniff and https://www.linkedin.com/in/ana",
            "write to ana@example.com",
            "end of sentence.Next one",
            "version 1.2.3 is out",
            "node.js and e.g. this",
            "",
        ] {
            assert_eq!(link(m), None, "{m}");
        }
    }
}
