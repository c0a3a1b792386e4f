//! Restoring a JSON backup written by `vetted export --format json`, into an empty store.
//! The file is read as a stream: each row is inserted as soon as it is parsed, so memory
//! stays bounded whatever the size of the backup.

use super::backup_rules as rules;
use super::loader::{FileRole, Loader, Restored};
use super::{ImportError, Result, io_err};
use crate::model::BACKUP_TAG;
use crate::store::{self, AnswerRecord, ConnectionRecord, DecisionRecord, PersonRecord, RequestRecord};
use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;
use std::path::{Path, PathBuf};

/// The fields of a backup, in the order `vetted export` writes them.
const FIELDS: &[&str] = &[BACKUP_TAG, "exported_at", "people", "requests", "answers", "decisions", "connections"];
/// Backups written before the connections were kept have no `connections`.
const OPTIONAL: &[&str] = &["connections"];

/// True when the start of a file looks like a backup.
pub fn looks_like_backup(head: &str) -> bool {
    head.trim_start().starts_with('{') && head.contains(BACKUP_TAG)
}

/// Restores the backup at `path` through `loader`, which refuses it unless the store holds
/// nothing, and checks the whole once every row is in.
pub fn restore(loader: &mut dyn Loader, path: &Path) -> Result<()> {
    let refused = |reason: String| ImportError::Refused { path: path.into(), reason };
    loader.file(path.display().to_string(), FileRole::Backup)?;
    let file = std::fs::File::open(path).map_err(io_err(path, "cannot open"))?;
    let mut rows = Rows { loader, path: path.into(), failed: None };
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::new(file));
    let parsed = de.deserialize_map(BackupVisitor(&mut rows)).and_then(|()| de.end());
    if let Some(e) = rows.failed.take() {
        return Err(e);
    }
    // serde_json's message ends with the line and column.
    parsed.map_err(|e| refused(format!("not a readable vetted backup: {e}")))
}

/// Where the rows go, and what went wrong outside the JSON itself (serde only carries its own
/// error type through the parser).
struct Rows<'a> {
    loader: &'a mut dyn Loader,
    path: PathBuf,
    failed: Option<ImportError>,
}

/// Why a row was not stored: it breaks a rule of the format, or the store refused it.
enum RowError {
    Invalid(String),
    Store(store::StoreError),
}

impl From<store::StoreError> for RowError {
    fn from(e: store::StoreError) -> Self {
        RowError::Store(e)
    }
}

type RowResult = std::result::Result<(), RowError>;

impl Rows<'_> {
    fn person(&mut self, p: PersonRecord) -> RowResult {
        rules::person(&p).map_err(RowError::Invalid)?;
        Ok(self.loader.restore(Restored::Person(p))?)
    }

    fn request(&mut self, r: RequestRecord) -> RowResult {
        rules::request(&r).map_err(RowError::Invalid)?;
        Ok(self.loader.restore(Restored::Request(r))?)
    }

    fn connection(&mut self, c: ConnectionRecord) -> RowResult {
        rules::connection(&c).map_err(RowError::Invalid)?;
        Ok(self.loader.restore(Restored::Connection(c))?)
    }

    fn answer(&mut self, a: AnswerRecord) -> RowResult {
        rules::answer(&a).map_err(RowError::Invalid)?;
        Ok(self.loader.restore(Restored::Answer(a))?)
    }

    fn decision(&mut self, d: DecisionRecord) -> RowResult {
        rules::decision(&d).map_err(RowError::Invalid)?;
        Ok(self.loader.restore(Restored::Decision(d))?)
    }
}

/// The top-level object: `vetted_backup` first (so a newer format is refused before any row
/// is stored), then each section streamed into the store.
struct BackupVisitor<'r, 'a>(&'r mut Rows<'a>);

impl<'de> Visitor<'de> for BackupVisitor<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a vetted backup object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let rows = self.0;
        let mut seen: Vec<String> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if seen.contains(&key) {
                return Err(de::Error::custom(format_args!("duplicate field `{key}`")));
            }
            if seen.is_empty() && key != BACKUP_TAG {
                return Err(de::Error::custom(format_args!("`{BACKUP_TAG}` must be the first field")));
            }
            match key.as_str() {
                BACKUP_TAG => {
                    let version: u32 = map.next_value()?;
                    if version != 1 {
                        let reason = format!("backup format {version} is newer than this vetted knows");
                        rows.failed = Some(ImportError::Refused { path: rows.path.clone(), reason });
                        return Err(de::Error::custom("newer format"));
                    }
                }
                // Kept in the file for people; nothing to restore.
                "exported_at" => {
                    let _: String = map.next_value()?;
                }
                "people" => map.next_value_seed(Section(rows, "people", Rows::person))?,
                "requests" => map.next_value_seed(Section(rows, "requests", Rows::request))?,
                "answers" => map.next_value_seed(Section(rows, "answers", Rows::answer))?,
                "decisions" => map.next_value_seed(Section(rows, "decisions", Rows::decision))?,
                "connections" => map.next_value_seed(Section(rows, "connections", Rows::connection))?,
                other => return Err(de::Error::unknown_field(other, FIELDS)),
            }
            seen.push(key);
        }
        match FIELDS.iter().find(|f| !OPTIONAL.contains(f) && !seen.iter().any(|s| s == *f)) {
            Some(missing) => Err(de::Error::missing_field(missing)),
            None => Ok(()),
        }
    }
}

/// One section's array, each member inserted as soon as it is read.
struct Section<'r, 'a, T>(&'r mut Rows<'a>, &'static str, fn(&mut Rows<'a>, T) -> RowResult);

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for Section<'_, '_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for Section<'_, '_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of rows")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Section(rows, name, insert) = self;
        let mut n = 0;
        while let Some(row) = seq.next_element::<T>()? {
            n += 1;
            if let Err(e) = insert(rows, row) {
                let refused =
                    |why| ImportError::Refused { path: rows.path.clone(), reason: format!("{name} #{n}: {why}") };
                rows.failed = Some(match e {
                    RowError::Invalid(why) => refused(why),
                    // The backup's fault (a duplicate id): name the row.
                    RowError::Store(e) => match e.constraint_violation() {
                        Some(why) => refused(why),
                        None => ImportError::Store(e),
                    },
                });
                return Err(de::Error::custom("the store failed"));
            }
        }
        Ok(())
    }
}
