//! vetted's own import format: the same fields as TOML (`[[request]]` tables), a JSON array
//! of objects, or CSV with these column names. Only `name` is required.

use super::csv_rows::{Step, columns, field, next_row};
use super::loader::{FileRole, Loader};
use super::{ImportError, Result, dates, hints, io_err, url};
use crate::model::NewRequest;
use serde::Deserialize;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

pub const FIELDS: &[&str] = &[
    "name",
    "profile_url",
    "headline",
    "company",
    "location",
    "message",
    "sent_at",
    "mutual_connections",
    "shared_groups",
    "introduced_by",
    "notes",
    "source",
];

/// TOML and JSON files this large are refused: they are parsed whole. Use CSV beyond it.
/// (Parsed whole, TOML takes about 20 times its size in memory and JSON about 9 times:
/// 8 MiB keeps an import under the 256 MiB import budget; 64 MiB took 1.2 GB.)
const MAX_TREE_BYTES: u64 = 8 * 1024 * 1024;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Record {
    name: String,
    profile_url: Option<String>,
    headline: Option<String>,
    company: Option<String>,
    location: Option<String>,
    message: Option<String>,
    sent_at: Option<String>,
    mutual_connections: Option<i64>,
    shared_groups: Option<String>,
    introduced_by: Option<String>,
    notes: Option<String>,
    source: Option<String>,
}

impl Record {
    fn into_request(self) -> std::result::Result<NewRequest, String> {
        let name = self.name.trim().to_string();
        if name.is_empty() {
            return Err("empty `name`".into());
        }
        for (field, value) in [("message", &self.message), ("notes", &self.notes), ("headline", &self.headline)] {
            if value.as_ref().is_some_and(|v| v.len() > super::MAX_FIELD_BYTES) {
                return Err(format!("field `{field}` is over the 64 KiB limit"));
            }
        }
        let sent_at = match self.sent_at.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(raw) => Some((
                raw.to_string(),
                dates::any(raw).ok_or_else(|| match crate::clock::no_such_day(raw) {
                    Some(why) => format!("sent_at {:?}: {why}", crate::text::line(raw)),
                    None => format!("sent_at {:?} is not a date (use YYYY-MM-DD or RFC 3339)", crate::text::line(raw)),
                })?,
            )),
        };
        let message = self.message.unwrap_or_default();
        Ok(NewRequest {
            hints: hints::for_request(&name, &message),
            name,
            profile_url: self.profile_url.as_deref().and_then(url::normalize),
            urn: None,
            headline: self.headline,
            company: self.company,
            location: self.location,
            message,
            sent_at_raw: sent_at.as_ref().map(|(raw, _)| raw.clone()),
            sent_at: sent_at.map(|(_, utc)| utc),
            mutual_connections: self.mutual_connections,
            shared_groups: self.shared_groups,
            introduced_by: self.introduced_by,
            notes: self.notes,
            source: self.source.filter(|s| !s.trim().is_empty()).unwrap_or_else(|| "vetted".into()),
        })
    }
}

fn store_record(loader: &mut dyn Loader, at: String, record: std::result::Result<Record, String>) -> Result<()> {
    match record.and_then(Record::into_request) {
        Ok(req) => loader.request(&req),
        Err(reason) => {
            loader.problem(at, reason);
            Ok(())
        }
    }
}

fn read_tree(path: &Path) -> Result<String> {
    let size = std::fs::metadata(path).map_err(io_err(path, "cannot read"))?.len();
    if size > MAX_TREE_BYTES {
        return Err(ImportError::Refused {
            path: path.into(),
            reason: format!("{size} bytes is over the 8 MiB limit for TOML and JSON; use vetted's CSV format"),
        });
    }
    let bytes = std::fs::read(path).map_err(io_err(path, "cannot read"))?;
    String::from_utf8(bytes).map_err(|e| ImportError::Refused {
        path: path.into(),
        reason: format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
    })
}

pub fn toml(loader: &mut dyn Loader, path: &Path) -> Result<()> {
    #[derive(Deserialize)]
    struct Doc {
        #[serde(default)]
        request: Vec<toml::Value>,
    }
    let text = read_tree(path)?;
    let doc: Doc = toml::from_str(&text).map_err(|e| ImportError::Refused {
        path: path.into(),
        reason: format!("line {}: {}", crate::config::line_of(&text, e.span()), e.message().trim()),
    })?;
    loader.file(path.display().to_string(), FileRole::OwnFormat)?;
    for (i, value) in doc.request.into_iter().enumerate() {
        let record = value.try_into::<Record>().map_err(|e| e.message().trim().to_string());
        store_record(loader, format!("{}: request #{}", path.display(), i + 1), record)?;
    }
    Ok(())
}

pub fn json(loader: &mut dyn Loader, path: &Path) -> Result<()> {
    let text = read_tree(path)?;
    let values: Vec<serde_json::Value> = serde_json::from_str(&text).map_err(|e| ImportError::Refused {
        path: path.into(),
        reason: format!("line {} column {}: {e}", e.line(), e.column()),
    })?;
    loader.file(path.display().to_string(), FileRole::OwnFormat)?;
    for (i, value) in values.into_iter().enumerate() {
        let record = serde_json::from_value::<Record>(value).map_err(|e| e.to_string());
        store_record(loader, format!("{}: request #{}", path.display(), i + 1), record)?;
    }
    Ok(())
}

pub fn csv(loader: &mut dyn Loader, path: &Path) -> Result<()> {
    let refused = |reason: String| ImportError::Refused { path: path.into(), reason };
    let file = File::open(path).map_err(io_err(path, "cannot open"))?;
    let guarded = super::decode::RowGuard::new(BufReader::new(file), super::decode::MAX_ROW_BYTES, 1);
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(guarded);
    let headers = rdr.byte_headers().map_err(|e| refused(format!("cannot read the header ({e})")))?.clone();
    let cols = columns(&headers);
    if let Some(unknown) = cols.keys().find(|c| !FIELDS.contains(&c.as_str())) {
        return Err(refused(format!("unknown column `{unknown}`; the columns are {}", FIELDS.join(", "))));
    }
    loader.file(path.display().to_string(), FileRole::OwnFormat)?;
    let col = |name: &str| cols.get(name).copied();
    let mut rec = csv::ByteRecord::new();
    loop {
        let line = match next_row(&mut rdr, &mut rec, Default::default()).map_err(refused)? {
            Step::End => break,
            Step::Row(line) => line,
            Step::Bad(line, reason) => {
                loader.problem(format!("{}:{line}", path.display()), reason);
                continue;
            }
        };
        let text = |name: &str| -> std::result::Result<Option<String>, String> {
            let v = field(&rec, col(name), name)?;
            Ok((!v.trim().is_empty()).then(|| v.to_string()))
        };
        let record = (|| {
            Ok(Record {
                name: text("name")?.unwrap_or_default(),
                profile_url: text("profile_url")?,
                headline: text("headline")?,
                company: text("company")?,
                location: text("location")?,
                message: text("message")?,
                sent_at: text("sent_at")?,
                mutual_connections: match text("mutual_connections")? {
                    None => None,
                    Some(n) => Some(n.trim().parse().map_err(|_| format!("mutual_connections {n:?} is not a number"))?),
                },
                shared_groups: text("shared_groups")?,
                introduced_by: text("introduced_by")?,
                notes: text("notes")?,
                source: text("source")?,
            })
        })();
        store_record(loader, format!("{}:{line}", path.display()), record)?;
    }
    Ok(())
}
