//! What a path holds, told by its content (never its name), and the checks every file to
//! import passes first: a regular file, within the size limit, not changing while it is read.

use super::{ImportError, Result, backup, decode, io_err, limit_words, max_file_bytes, own_format};
use std::fs::File;
use std::io::Read;
use std::path::Path;

/// What `detect` found at a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Zip,
    Folder,
    Invitations,
    Connections,
    OwnToml,
    OwnJson,
    OwnCsv,
    Backup,
}

impl Kind {
    /// What the report says was found.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Zip => "LinkedIn export (zip)",
            Kind::Folder => "LinkedIn export (folder)",
            Kind::Invitations => "LinkedIn Invitations.csv",
            Kind::Connections => "LinkedIn Connections.csv",
            Kind::OwnToml => "vetted TOML",
            Kind::OwnJson => "vetted JSON",
            Kind::OwnCsv => "vetted CSV",
            Kind::Backup => "vetted backup",
        }
    }
}

/// Opens a file to import, refusing what is not a regular file (a device, a FIFO, a socket):
/// such a thing could be endless, or give its bytes only once.
/// (Looked at before opening: opening a FIFO waits for a writer.)
pub(crate) fn open_regular(path: &Path) -> Result<File> {
    let not_regular = || ImportError::Refused {
        path: path.into(),
        reason: "not a regular file (a device, FIFO or socket); vetted imports files".into(),
    };
    if !std::fs::metadata(path).map_err(io_err(path, "cannot open"))?.is_file() {
        return Err(not_regular());
    }
    let file = File::open(path).map_err(io_err(path, "cannot open"))?;
    if !file.metadata().map_err(io_err(path, "cannot read"))?.is_file() {
        return Err(not_regular()); // replaced between the two looks
    }
    Ok(file)
}

/// A file's size and time when its reading began: a file that grows or shrinks while it is
/// read (a download still running, a sync) is refused rather than imported in part.
pub(crate) struct Stamp {
    pub size: u64,
    modified: Option<std::time::SystemTime>,
}

impl Stamp {
    pub fn of(file: &File, path: &Path) -> Result<Stamp> {
        let meta = file.metadata().map_err(io_err(path, "cannot read"))?;
        Ok(Stamp { size: meta.len(), modified: meta.modified().ok() })
    }

    pub fn unchanged(&self, file: &File, path: &Path) -> Result<()> {
        let now = Stamp::of(file, path)?;
        if now.size != self.size || now.modified != self.modified {
            return Err(ImportError::Refused {
                path: path.into(),
                reason: format!(
                    "it changed while it was read ({} bytes, now {}); import it again once it is complete",
                    self.size, now.size
                ),
            });
        }
        Ok(())
    }
}

/// Reads up to `n` bytes from the start of a file.
fn head(path: &Path, n: usize) -> Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(n);
    open_regular(path)?.take(n as u64).read_to_end(&mut buf).map_err(io_err(path, "cannot read"))?;
    Ok(buf)
}

/// Classifies a CSV/text file by its first lines (decoded), not its name.
pub(crate) fn classify_text(text: &str) -> Option<Kind> {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if backup::looks_like_backup(text) {
        return Some(Kind::Backup);
    }
    if text.starts_with('[') && !text.starts_with("[[") {
        return Some(Kind::OwnJson);
    }
    let cols = |line: &str| -> Vec<String> {
        let sep = decode::delimiter(line.as_bytes()) as char;
        line.split(sep).map(|c| c.trim().trim_matches('"').to_ascii_lowercase()).collect()
    };
    // Connections.csv: its header after a "Notes:" preamble (2022 on), or first with its
    // `Connected On` column (Profile.csv also starts with First Name, Last Name).
    let mut preamble = false;
    for line in text.split(['\n', '\r']).filter(|l| !l.is_empty()).take(12) {
        let c = cols(line);
        let has = |name: &str| c.iter().any(|x| x == name);
        if has("first name") && has("last name") && (preamble || has("connected on")) {
            return Some(Kind::Connections);
        }
        preamble |= line.trim().starts_with("Notes:");
    }
    let first = cols(text.split(['\n', '\r']).next().unwrap_or("").trim());
    let has = |c: &str| first.iter().any(|x| x == c);
    if has("from") && has("sent at") && has("direction") {
        return Some(Kind::Invitations);
    }
    if has("name") && first.iter().all(|c| own_format::FIELDS.contains(&c.as_str())) {
        return Some(Kind::OwnCsv);
    }
    if text.split(['\n', '\r']).any(|l| l.trim() == "[[request]]") {
        return Some(Kind::OwnToml);
    }
    None
}

pub(crate) fn detect(path: &Path) -> Result<Kind> {
    let meta = std::fs::metadata(path).map_err(io_err(path, "cannot open"))?;
    if meta.is_dir() {
        return Ok(Kind::Folder);
    }
    let head = head(path, 8192)?;
    let kind = if head.starts_with(b"PK\x03\x04") { Some(Kind::Zip) } else { classify_text(&decode::head_text(&head)) };
    // A backup streams in whatever its size (the backup of a big store is over the limit).
    if kind != Some(Kind::Backup) && meta.len() > max_file_bytes() {
        return Err(too_large(path, meta.len(), kind));
    }
    kind.ok_or_else(|| ImportError::Unrecognised { path: path.into() })
}

/// Standard input over the size limit (it is copied to a file before anything is read).
pub fn too_large_input(size: u64) -> ImportError {
    let advice = "; a backup of `vetted export --format json` has no limit when imported from its file".into();
    ImportError::TooLarge { path: "standard input".into(), size, limit: max_file_bytes(), advice }
}

/// A file over the size limit, with what to do about it.
pub(crate) fn too_large(path: &Path, size: u64, kind: Option<Kind>) -> ImportError {
    let limit = max_file_bytes();
    let words = limit_words(limit, false);
    let advice = match kind {
        Some(Kind::Invitations | Kind::OwnCsv) => format!(
            ": split it into files under {words}, each starting with the header line, and import them one \
             after the other, e.g. `head -n 1 FILE > part-header; tail -n +2 FILE | split -C 400M - part-` and \
             `cat part-header part-aa > 1.csv` for each part (a file imported alone cannot tell which requests \
             were withdrawn)"
        ),
        Some(Kind::Connections) => format!(
            ": split it into files under {words}, each with the `First Name,Last Name,…` header line, and \
             import them one after the other"
        ),
        _ => String::new(),
    };
    ImportError::TooLarge { path: path.into(), size, limit, advice }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_file_that_grows_while_it_is_read_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Invitations.csv");
        std::fs::write(&path, "From,To,Sent At,Message,Direction\n").unwrap();
        let file = File::open(&path).unwrap();
        let stamp = Stamp::of(&file, &path).unwrap();
        assert!(stamp.unchanged(&file, &path).is_ok());
        std::fs::OpenOptions::new().append(true).open(&path).unwrap().write_all(b"Ada,Me,x,,INCOMING\n").unwrap();
        let err = stamp.unchanged(&file, &path).unwrap_err().to_string();
        assert!(err.contains("it changed while it was read (34 bytes, now 53)"), "{err}");
    }

    #[test]
    fn kinds_are_detected_by_content() {
        let k = |s: &str| classify_text(&decode::head_text(s.as_bytes()));
        assert_eq!(k("From,To,Sent At,Message,Direction\n"), Some(Kind::Invitations));
        assert_eq!(
            k("\u{feff}From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\r\n"),
            Some(Kind::Invitations)
        );
        assert_eq!(k("Notes:\n\"When exporting…\"\n\nFirst Name,Last Name,URL\n"), Some(Kind::Connections));
        assert_eq!(k("First Name,Last Name,Email Address,Company,Position,Connected On\n"), Some(Kind::Connections));
        assert_eq!(k("name,profile_url,message\n"), Some(Kind::OwnCsv));
        assert_eq!(k("  [ {\"name\": \"x\"} ]"), Some(Kind::OwnJson));
        assert_eq!(k("# mine\n[[request]]\nname = \"x\"\n"), Some(Kind::OwnToml));
        assert_eq!(k("name,favourite_colour\n"), None);
        assert_eq!(k("\u{0}\u{1}binary"), None);
    }
}
