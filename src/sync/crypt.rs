//! The sync key and what it seals.
//!
//! Choice: XChaCha20-Poly1305 from RustCrypto (`chacha20poly1305`, audited, widely used; 9
//! small crates, no C) with one random 256-bit key shared by the user's devices, rather than
//! `age` (about 150 crates: i18n, fluent, scrypt, …). Every device both writes and reads, so a
//! public-key scheme buys nothing here; a symmetric key kept in a 0600 file and copied by the
//! user's own means is the whole need. The 192-bit nonce is drawn at random for every segment
//! (no counter to keep in step across devices, and random nonces of that size never repeat in
//! practice). The segment's plain header is the associated data: a header changed in transit
//! fails to open like a changed payload.
//!
//! The same key, through SHA-256 under its own label, makes the marks a forget tombstone
//! keeps: every device computes the same mark for the same person, and the mark names nobody.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};
use std::fmt;
use std::io::Write;
use std::path::Path;

pub const NONCE_LEN: usize = 24;
pub const TAG_LEN: usize = 16;
const KEY_FILE_HEAD: &str = "vetted-sync-key 1";

/// The key the user's devices share.
#[derive(Clone, PartialEq, Eq)]
pub struct SyncKey([u8; 32]);

impl fmt::Debug for SyncKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SyncKey({})", hex(&self.id()))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{0}: not a vetted sync key file (it begins \"{KEY_FILE_HEAD}\", then 64 hex digits)")]
    NotAKey(String),
    #[error("{0} is inside the sync folder: the key must never travel with the segments")]
    InsideFolder(String),
    #[error("{0} exists already: vetted does not replace a key")]
    Exists(String),
    #[error("no random bytes from the system: {0}")]
    Random(String),
    #[error("{path}: the sync key can be read by other users (mode {mode:04o}): run `chmod 600 {path}`")]
    Loose { path: String, mode: u32 },
}

impl SyncKey {
    /// A new random key (`vetted sync init`).
    pub fn generate() -> Result<SyncKey, KeyError> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| KeyError::Random(e.to_string()))?;
        Ok(SyncKey(bytes))
    }

    pub fn from_bytes(bytes: [u8; 32]) -> SyncKey {
        SyncKey(bytes)
    }

    /// Eight bytes that tell keys apart (a hash of the key: it reveals nothing of it). A segment
    /// carries the id of its key, so "made with another key" is told from "damaged".
    pub fn id(&self) -> [u8; 8] {
        let d = Sha256::new().chain_update(b"vetted-sync key id\0").chain_update(self.0).finalize();
        d[..8].try_into().expect("8 of 32")
    }

    /// The mark of a person's stable key in a forget tombstone: a keyed hash, hex.
    pub fn mark(&self, person_key: &str) -> String {
        let d = Sha256::new()
            .chain_update(b"vetted-sync forget\0")
            .chain_update(self.0)
            .chain_update(person_key)
            .finalize();
        hex(&d)
    }

    /// Encrypts `plain` under a fresh random nonce; `header` is authenticated, not encrypted.
    /// Returns the nonce and the ciphertext (with its 16-byte tag).
    pub fn seal(&self, header: &[u8], plain: &[u8]) -> Result<([u8; NONCE_LEN], Vec<u8>), KeyError> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).map_err(|e| KeyError::Random(e.to_string()))?;
        let cipher = XChaCha20Poly1305::new((&self.0).into());
        let sealed = cipher
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: plain, aad: header })
            .expect("encryption of an in-memory buffer does not fail");
        Ok((nonce, sealed))
    }

    /// Decrypts what [`SyncKey::seal`] made; `None` when the key, header, nonce or bytes differ.
    pub fn open(&self, header: &[u8], nonce: &[u8; NONCE_LEN], sealed: &[u8]) -> Option<Vec<u8>> {
        let cipher = XChaCha20Poly1305::new((&self.0).into());
        cipher.decrypt(XNonce::from_slice(nonce), Payload { msg: sealed, aad: header }).ok()
    }

    /// Writes the key to a new 0600 file at `path` (never replacing one), refusing a path
    /// inside the sync folder `dir`. Made whole or not at all (`crate::partial`).
    pub fn write_new(&self, path: &Path, dir: &Path) -> Result<(), KeyError> {
        let io = |e: std::io::Error| KeyError::Io { path: path.display().to_string(), source: e };
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let (real_parent, real_dir) = (parent.canonicalize().map_err(io)?, dir.canonicalize().ok());
        if real_dir.is_some_and(|d| real_parent.starts_with(d)) {
            return Err(KeyError::InsideFolder(path.display().to_string()));
        }
        let tmp = crate::partial::Partial::create_in(parent).map_err(io)?;
        let mut f = tmp.as_file();
        writeln!(f, "{KEY_FILE_HEAD}\n{}", hex(&self.0)).map_err(io)?;
        f.sync_all().map_err(io)?;
        tmp.persist_noclobber(path).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                KeyError::Exists(path.display().to_string())
            } else {
                io(e.error)
            }
        })
    }

    /// Reads a key file (`vetted sync join DIR --key-file PATH`).
    pub fn read(path: &Path) -> Result<SyncKey, KeyError> {
        use std::io::Read;
        let io = |e: std::io::Error| KeyError::Io { path: path.display().to_string(), source: e };
        let not = || KeyError::NotAKey(path.display().to_string());
        // A device, FIFO or folder given by mistake is refused before it is opened (opening a
        // FIFO waits for a writer); a file is read no further than a key file's length.
        if !std::fs::metadata(path).map_err(io)?.is_file() {
            return Err(not());
        }
        let file = std::fs::File::open(path).map_err(io)?;
        let mut text = String::new();
        file.take(256).read_to_string(&mut text).map_err(|_| not())?;
        let mut lines = text.lines();
        if lines.next().map(str::trim) != Some(KEY_FILE_HEAD) {
            return Err(not());
        }
        let digits = lines.next().map(str::trim).filter(|d| d.len() == 64).ok_or_else(not)?;
        let mut bytes = [0u8; 32];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = u8::from_str_radix(digits.get(2 * i..2 * i + 2).ok_or_else(not)?, 16).map_err(|_| not())?;
        }
        Ok(SyncKey(bytes))
    }

    /// The key a store keeps beside its config: as [`SyncKey::read`], refused when other users
    /// can read the file (as ssh refuses a private key that is not private).
    pub fn read_kept(path: &Path) -> Result<SyncKey, KeyError> {
        if let Some(mode) = readable_by_others(path) {
            return Err(KeyError::Loose { path: path.display().to_string(), mode });
        }
        SyncKey::read(path)
    }
}

/// The file's permission bits when its group or others may read or write it.
pub fn readable_by_others(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    (mode & 0o077 != 0).then_some(mode)
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn sealed_bytes_open_only_with_the_same_key_and_header() {
        let key = SyncKey::generate().unwrap();
        let (nonce, sealed) = key.seal(b"head", b"a note on Quentin Fictive").unwrap();
        assert_eq!(key.open(b"head", &nonce, &sealed).unwrap(), b"a note on Quentin Fictive");
        assert!(key.open(b"HEAD", &nonce, &sealed).is_none(), "a changed header");
        assert!(SyncKey::generate().unwrap().open(b"head", &nonce, &sealed).is_none(), "another key");
        let mut flipped = sealed.clone();
        flipped[0] ^= 1;
        assert!(key.open(b"head", &nonce, &flipped).is_none(), "a changed byte");
        assert_ne!(key.seal(b"head", b"x").unwrap().0, key.seal(b"head", b"x").unwrap().0, "fresh nonces");
    }

    #[test]
    fn marks_are_the_same_on_every_device_and_name_nobody() {
        let key = SyncKey::from_bytes([7; 32]);
        let copy = SyncKey::from_bytes([7; 32]);
        let url = "https://www.linkedin.com/in/quentin-fictive";
        assert_eq!(key.mark(url), copy.mark(url));
        assert_ne!(key.mark(url), SyncKey::from_bytes([8; 32]).mark(url));
        assert!(!key.mark(url).contains("quentin"));
        assert_eq!(key.mark(url).len(), 64);
    }

    #[test]
    fn the_key_file_is_private_never_replaced_and_never_in_the_folder() {
        let home = tempfile::tempdir().unwrap();
        let dir = home.path().join("Sync");
        std::fs::create_dir(&dir).unwrap();
        let key = SyncKey::generate().unwrap();
        let path = home.path().join("sync.key");
        key.write_new(&path, &dir).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(SyncKey::read(&path).unwrap(), key);
        assert!(matches!(key.write_new(&path, &dir), Err(KeyError::Exists(_))));
        assert!(matches!(key.write_new(&dir.join("sync.key"), &dir), Err(KeyError::InsideFolder(_))));
        std::fs::write(home.path().join("other"), "hello").unwrap();
        assert!(matches!(SyncKey::read(&home.path().join("other")), Err(KeyError::NotAKey(_))));
        assert!(!format!("{key:?}").contains(&hex(&key.0)), "Debug shows the id, not the key");
    }
}
