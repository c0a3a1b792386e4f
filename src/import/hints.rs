//! Automatic hints pre-filled on a request. They are shown as hints for the user to confirm;
//! they never decide anything alone.

use crate::text;

use crate::hint::{HIDDEN_CHARACTERS, NO_MESSAGE, SALES_PHRASING, TEMPLATE_LEFTOVER};

const SALES_PHRASES: &[&str] = &[
    "our services",
    "our solution",
    "our platform",
    "our agency",
    "book a call",
    "schedule a call",
    "quick call",
    "hop on a call",
    "free consultation",
    "free trial",
    "free audit",
    "lead generation",
    "leads for",
    "grow your business",
    "scale your business",
    "increase your revenue",
    "boost your sales",
    "outsourcing",
    "offshore team",
    "white label",
    "partnership opportunity",
    "investment opportunity",
    "passive income",
    "crypto",
    "special offer",
    "discount",
    "limited time",
    "roi ",
];

/// True when the message holds an unfilled mail-merge placeholder.
fn has_template_leftover(message: &str) -> bool {
    let placeholder = |inner: &str| {
        !inner.is_empty()
            && inner.len() <= 30
            && inner.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ' ')
    };
    let enclosed = |open: char, close: char| {
        let mut rest = message;
        while let Some(start) = rest.find(open) {
            let after = &rest[start + open.len_utf8()..];
            let Some(end) = after.find(close) else { return false };
            let inner = &after[..end];
            let named = inner.to_ascii_lowercase();
            if placeholder(inner)
                && (open == '%' && inner.chars().any(|c| c.is_ascii_uppercase())
                    || named.contains("name")
                    || named.contains("company")
                    || named.contains("title"))
            {
                return true;
            }
            rest = &after[end + close.len_utf8()..];
        }
        false
    };
    enclosed('%', '%') || enclosed('{', '}') || enclosed('[', ']') || enclosed('<', '>')
}

fn has_sales_phrasing(message: &str) -> bool {
    let lower = message.to_lowercase();
    SALES_PHRASES.iter().any(|p| lower.contains(p))
}

/// The hints one request earns on its own (duplicates are found across a whole import).
pub fn for_request(name: &str, message: &str) -> Vec<String> {
    let mut hints = Vec::new();
    if message.trim().is_empty() {
        hints.push(NO_MESSAGE.to_string());
    } else {
        if has_template_leftover(message) {
            hints.push(TEMPLATE_LEFTOVER.to_string());
        }
        if has_sales_phrasing(message) {
            hints.push(SALES_PHRASING.to_string());
        }
    }
    if text::has_hidden_characters(name) || text::has_hidden_characters(message) {
        hints.push(HIDDEN_CHARACTERS.to_string());
    }
    hints
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_hint_fires_on_its_case_only() {
        assert_eq!(for_request("Ann", ""), [NO_MESSAGE]);
        assert_eq!(for_request("Ann", "Loved your talk on parsers at RustConf."), Vec::<String>::new());
        assert_eq!(for_request("Ann", "Hi %FIRSTNAME%, let's connect"), [TEMPLATE_LEFTOVER]);
        assert_eq!(for_request("Ann", "Hi {first_name}!"), [TEMPLATE_LEFTOVER]);
        assert_eq!(for_request("Ann", "Dear [Name], greetings"), [TEMPLATE_LEFTOVER]);
        assert_eq!(for_request("Ann", "I scored 100% at 50% speed {ok}"), Vec::<String>::new());
        assert_eq!(for_request("Ann", "Can we Book a Call about our services?"), [SALES_PHRASING]);
        assert_eq!(for_request("Ann\u{202E}", "hello"), [HIDDEN_CHARACTERS]);
        assert_eq!(for_request("Ann", "\u{1b}[31mred"), [HIDDEN_CHARACTERS]);
    }
}
