//! Profile URL normalisation, so the same person matches across files: Invitations.csv has
//! raw Unicode slugs, Connections.csv percent-encodes them.

use percent_encoding::percent_decode_str;

/// Normalises a profile URL: scheme https, host lowercased (LinkedIn's country hosts folded
/// to www.linkedin.com), path percent-decoded except `%`, `?` and `#` (LinkedIn slugs also
/// lowercased), no query, fragment, or trailing `/` or whitespace. `None` for an empty value
/// or a bare `…/in` with no slug. Normalising a result again returns it unchanged.
pub fn normalize(raw: &str) -> Option<String> {
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    let rest = match s.find("://") {
        Some(i) => &s[i + 3..],
        None => s,
    };
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let host = host.rsplit('@').next().unwrap_or(host).trim().to_lowercase();
    if host.is_empty() {
        return None;
    }
    let linkedin = host == "linkedin.com" || host.ends_with(".linkedin.com");
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    let mut path = decoded.trim_end_matches(|c: char| c == '/' || c.is_whitespace()).to_string();
    if linkedin {
        path = path.to_lowercase();
        // A bare profile prefix means "no URL" in LinkedIn's exports.
        if matches!(path.as_str(), "" | "/in" | "/pub") {
            return None;
        }
    }
    let host = if linkedin { "www.linkedin.com" } else { host.as_str() };
    // Kept encoded so that normalising the result again changes nothing: a decoded `%3F`
    // must not become a query, nor `%2541` decode twice.
    let path = path.replace('%', "%25").replace('?', "%3F").replace('#', "%23");
    Some(format!("https://{host}{path}"))
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn raw_and_percent_encoded_slugs_match() {
        let raw = normalize("https://www.linkedin.com/in/zoë-müller-9a").unwrap();
        let enc = normalize("https://www.linkedin.com/in/zo%C3%AB-m%C3%BCller-9a/").unwrap();
        assert_eq!(raw, enc);
        assert_eq!(raw, "https://www.linkedin.com/in/zoë-müller-9a");
    }

    #[test]
    fn host_case_query_fragment_and_slash_are_dropped() {
        assert_eq!(
            normalize(" HTTP://DE.LinkedIn.com/in/Ana-Example/?trk=abc#top ").as_deref(),
            Some("https://www.linkedin.com/in/ana-example")
        );
        assert_eq!(normalize("linkedin.com/in/bo").as_deref(), Some("https://www.linkedin.com/in/bo"));
        assert_eq!(normalize("https://example.org/People/X/").as_deref(), Some("https://example.org/People/X"));
    }

    #[test]
    fn a_second_pass_changes_nothing() {
        for (raw, once) in [
            ("https://example.org/ada ?x", "https://example.org/ada"),
            ("https://example.org /?x", "https://example.org"),
            ("https://example.org/a%20/%20", "https://example.org/a"),
            ("https://www.linkedin.com/in/ada%3fx=1", "https://www.linkedin.com/in/ada%3Fx=1"),
            ("https://www.linkedin.com/in/ada%23top", "https://www.linkedin.com/in/ada%23top"),
            ("https://example.org/100%2541", "https://example.org/100%2541"),
            ("https://example.org/100%", "https://example.org/100%25"),
        ] {
            assert_eq!(normalize(raw).as_deref(), Some(once), "{raw:?}");
            assert_eq!(normalize(once).as_deref(), Some(once), "{once:?}");
        }
    }

    #[test]
    fn bare_prefixes_and_blanks_mean_no_url() {
        for s in [
            "",
            "   ",
            "https://www.linkedin.com/in",
            "https://www.linkedin.com/in/",
            "https://www.linkedin.com",
            "https://",
        ] {
            assert_eq!(normalize(s), None, "{s:?}");
        }
    }
}
