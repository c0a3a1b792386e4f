//! The hints vetted infers from a request (stored apart from the user's answers, always shown as
//! a suggestion): their stored keys, the query language's name for each, and the words people
//! see. THE table: the importers, the query language, the store's groups, the review app and the
//! CLI all read their words from [`ALL`].

pub const NO_MESSAGE: &str = "no_message";
pub const TEMPLATE_LEFTOVER: &str = "template_leftover";
pub const SALES_PHRASING: &str = "sales_phrasing";
pub const DUPLICATE_MESSAGE: &str = "duplicate_message";
pub const HIDDEN_CHARACTERS: &str = "hidden_characters";

/// One kind of hint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hint {
    /// What the store keeps in `request.hints`.
    pub key: &'static str,
    /// The query language's word (`hint:sales`).
    pub name: &'static str,
    /// The words a person sees.
    pub label: &'static str,
}

/// Every hint, in help order.
pub const ALL: &[Hint] = &[
    Hint { key: NO_MESSAGE, name: "no-message", label: "no personal message" },
    Hint { key: TEMPLATE_LEFTOVER, name: "template", label: "message looks like an unfilled template" },
    Hint { key: SALES_PHRASING, name: "sales", label: "message uses sales phrasing" },
    Hint { key: DUPLICATE_MESSAGE, name: "same-message", label: "same message sent by others" },
    Hint { key: HIDDEN_CHARACTERS, name: "hidden-chars", label: "hidden characters in the name or message" },
];

/// The hint stored under `key`.
pub fn by_key(key: &str) -> Option<&'static Hint> {
    ALL.iter().find(|h| h.key == key)
}

/// The hint the query language calls `name` (ASCII case ignored).
pub fn by_name(name: &str) -> Option<&'static Hint> {
    ALL.iter().find(|h| h.name.eq_ignore_ascii_case(name))
}

/// The words people see for a stored key; an unknown key (a newer version's) as it is, raw:
/// pass it through `text` before a terminal sees it.
pub fn label(key: &str) -> &str {
    by_key(key).map_or(key, |h| h.label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_hint_has_a_label_and_a_name_of_its_own() {
        for (i, h) in ALL.iter().enumerate() {
            assert_ne!(label(h.key), h.key);
            assert_eq!(by_name(h.name), Some(h));
            assert!(ALL[i + 1..].iter().all(|o| o.key != h.key && o.name != h.name && o.label != h.label));
        }
        assert_eq!(label("from_the_future"), "from_the_future");
    }
}
