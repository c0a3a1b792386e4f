//! The rows of a backup (`vetted export --format json`), as `vetted import` reads them back:
//! one record a table row, refused field by field where a backup breaks its rules.

use crate::text;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One table row of a backup, as `vetted import` reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonRecord {
    pub id: i64,
    pub key: String,
    pub name: String,
    pub profile_url: Option<String>,
    pub headline: Option<String>,
    pub company: Option<String>,
    pub location: Option<String>,
    #[serde(default, deserialize_with = "count")]
    pub mutual_connections: Option<i64>,
    pub shared_groups: Option<String>,
    pub introduced_by: Option<String>,
    pub connected_on: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestRecord {
    pub id: i64,
    pub person_id: i64,
    pub source: String,
    pub sent_at: String,
    pub sent_at_raw: Option<String>,
    pub message: String,
    pub hints: String,
    pub status: String,
    pub earlier_decline: Option<i64>,
    pub added_at: String,
    #[serde(default)]
    pub defer_until: Option<String>,
    #[serde(default)]
    pub done_on_linkedin: Option<String>,
    /// A declined request older than everything a newer whole export held: the day of that
    /// export's newest invitation.
    #[serde(default)]
    pub not_listed: Option<String>,
}

/// One of the user's connections (Connections.csv), as a backup holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectionRecord {
    pub url: Option<String>,
    pub name: String,
    pub connected_on: String,
}

/// One checklist answer of a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerRecord {
    pub request_id: i64,
    pub item: String,
    pub value: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionRecord {
    pub id: i64,
    pub request_id: i64,
    pub status: String,
    pub reason: String,
    #[serde(deserialize_with = "unique_keys")]
    pub answers: BTreeMap<String, bool>,
    pub supersedes: Option<i64>,
    pub undo: bool,
    pub decided_at: String,
    #[serde(default)]
    pub defer_until: Option<String>,
    #[serde(default)]
    pub batch: Option<i64>,
    /// The evidence it was made on (none in a backup from before evidence).
    #[serde(default)]
    pub evidence: Vec<crate::model::StoredFinding>,
}

/// A count in a backup (`mutual_connections`): refused, naming the field, when negative.
fn count<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Option<i64>, D::Error> {
    match Option::<i64>::deserialize(d)? {
        Some(n) if n < 0 => {
            Err(serde::de::Error::custom(format_args!("mutual_connections is {n}: a count cannot be negative")))
        }
        n => Ok(n),
    }
}

/// A decision's answers in a backup: a key given twice is refused, naming it (a plain map
/// would keep the last one silently).
fn unique_keys<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<BTreeMap<String, bool>, D::Error> {
    struct Unique;
    impl<'de> serde::de::Visitor<'de> for Unique {
        type Value = BTreeMap<String, bool>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("the answers, each item once")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> std::result::Result<Self::Value, A::Error> {
            let mut answers = BTreeMap::new();
            while let Some((item, value)) = map.next_entry::<String, bool>()? {
                if answers.insert(item.clone(), value).is_some() {
                    return Err(serde::de::Error::custom(format_args!(
                        "answers: the item `{}` is given twice",
                        text::line(&item)
                    )));
                }
            }
            Ok(answers)
        }
    }
    d.deserialize_map(Unique)
}
