//! Zips with many entries, and entries sharing a name (issue 20, item 6): the central
//! directory is read once per import (linear work), a zip over the entry cap is refused naming
//! the file and the cap, and two entries at one path are refused naming the path.

mod common;

use common::env::Env;
use std::io::Write;
use std::path::Path;
use vetted::import::{self, Options};
use vetted::store::Store;

const INVITATIONS: &str = "From,To,Sent At,Message,Direction\n\
    Ada Quill,Me,\"8/26/22, 8:56 PM\",,INCOMING\n";
const OTHER_INVITATIONS: &str = "From,To,Sent At,Message,Direction\n\
    Bo Lantern,Me,\"8/27/22, 9:10 AM\",,INCOMING\n";

/// A zip of `extra` small CSV files (not LinkedIn's) and an Invitations.csv, with the `zip` crate.
fn zip_with(path: &Path, extra: usize) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..extra {
        zip.start_file(format!("extra/f{i:05}.csv"), stored).unwrap();
        zip.write_all(b"a,b\n1,2\n").unwrap();
    }
    zip.start_file("Invitations.csv", stored).unwrap();
    zip.write_all(INVITATIONS.as_bytes()).unwrap();
    zip.finish().unwrap();
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A stored zip written by hand: the `zip` crate refuses to write two entries of one name.
fn raw_zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let (mut out, mut dir) = (Vec::new(), Vec::new());
    for (name, data) in entries {
        let offset = out.len() as u32;
        let (crc, len, nlen) = (crc32(data), data.len() as u32, name.len() as u16);
        out.extend_from_slice(b"PK\x03\x04");
        out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0]); // version, flags, stored, time, date
        for v in [crc, len, len] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&nlen.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        dir.extend_from_slice(b"PK\x01\x02");
        dir.extend_from_slice(&[20, 3, 20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0]);
        for v in [crc, len, len] {
            dir.extend_from_slice(&v.to_le_bytes());
        }
        dir.extend_from_slice(&nlen.to_le_bytes());
        dir.extend_from_slice(&[0; 8]); // extra, comment, disk, internal attributes
        dir.extend_from_slice(&[0, 0, 0x80, 0x81]); // external attributes: a regular file, 0600
        dir.extend_from_slice(&offset.to_le_bytes());
        dir.extend_from_slice(name.as_bytes());
    }
    let (dir_at, dir_len, n) = (out.len() as u32, dir.len() as u32, entries.len() as u16);
    out.extend_from_slice(&dir);
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(&dir_len.to_le_bytes());
    out.extend_from_slice(&dir_at.to_le_bytes());
    out.extend_from_slice(&[0; 2]);
    out
}

#[test]
fn a_zip_of_thousands_of_entries_reads_its_directory_once() {
    // Before: every entry looked at opened the zip again and read its whole central directory
    // (3,000 entries: 3,000 directory reads of 3,000 entries each, about 9 s).
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("export.zip");
    zip_with(&path, 3_000);
    let mut store = Store::open(&tmp.path().join("v.db")).unwrap();
    let before = import::zip_directory_reads();
    let report = import::import(&mut store, &path, Options::default()).unwrap();
    assert_eq!(import::zip_directory_reads() - before, 1, "one read of the central directory per import");
    assert_eq!(report.new, 1);
}

#[test]
fn a_zip_over_the_entry_cap_is_refused_naming_the_file_and_the_cap() {
    let env = Env::new();
    let path = env.path("many.zip");
    zip_with(&path, import::MAX_ZIP_ENTRIES);
    let out = env.run(&["import", path.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("many.zip") && err.contains("10001 entries, over the 10000"), "{err}");
    let list = env.ok(&["list"]);
    assert!(!list.contains("Ada Quill"), "nothing imported: {list}");
}

#[test]
fn two_zip_entries_at_one_path_are_refused_naming_the_path() {
    // Before: the zip reader kept one of the two and the import went ahead silently.
    let env = Env::new();
    let path = env.path("twice.zip");
    let zip =
        raw_zip(&[("Invitations.csv", INVITATIONS.as_bytes()), ("Invitations.csv", OTHER_INVITATIONS.as_bytes())]);
    std::fs::write(&path, zip).unwrap();
    let out = env.run(&["import", path.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("twice.zip") && err.contains("two entries named Invitations.csv"), "{err}");
    // The same hand-made zip with distinct names imports: the writer is sound.
    let fine = env.path("fine.zip");
    std::fs::write(&fine, raw_zip(&[("Invitations.csv", INVITATIONS.as_bytes()), ("notes.txt", b"hi")])).unwrap();
    env.ok(&["import", fine.to_str().unwrap()]);
}
