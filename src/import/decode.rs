//! A text file read whole, whatever encoding LinkedIn or a spreadsheet gave it: UTF-8 (with
//! or without a BOM), UTF-16 LE or BE (by their BOM), or else Windows-1252 ("CSV (Windows)");
//! comma- or tab-separated. The encoding is decided for the whole file before a row is read,
//! so no row is lost to a byte that another encoding would have read.

use encoding_rs_io::{DecodeReaderBytes, DecodeReaderBytesBuilder};
use std::io::{self, BufRead, Read};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

impl Encoding {
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16 LE",
            Encoding::Utf16Be => "UTF-16 BE",
            Encoding::Windows1252 => "Windows-1252",
        }
    }
}

fn bom(head: &[u8]) -> Option<Encoding> {
    match head {
        [0xFF, 0xFE, ..] => Some(Encoding::Utf16Le),
        [0xFE, 0xFF, ..] => Some(Encoding::Utf16Be),
        _ => None,
    }
}

/// Reads until `buf` is full or the stream ends; returns how many bytes it holds.
fn fill(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// The encoding of a whole stream: its UTF-16 BOM; else UTF-8 when every byte of it is valid
/// UTF-8; else Windows-1252.
pub fn sniff(mut r: impl Read) -> io::Result<Encoding> {
    let mut buf = vec![0u8; 1 << 16];
    let mut carry = 0; // the start of a sequence cut by the end of the last chunk
    let mut first = true;
    loop {
        let n = fill(&mut r, &mut buf[carry..])?;
        let len = carry + n;
        if first {
            first = false;
            if let Some(e) = bom(&buf[..len]) {
                return Ok(e);
            }
        }
        if n == 0 {
            return Ok(if carry == 0 { Encoding::Utf8 } else { Encoding::Windows1252 });
        }
        match std::str::from_utf8(&buf[..len]) {
            Ok(_) => carry = 0,
            Err(e) if e.error_len().is_none() && len - e.valid_up_to() < 4 => {
                let valid = e.valid_up_to();
                buf.copy_within(valid..len, 0);
                carry = len - valid;
            }
            Err(_) => return Ok(Encoding::Windows1252),
        }
    }
}

/// The stream as UTF-8 text, its BOM removed.
pub fn decoded<R: Read>(r: R, encoding: Encoding) -> DecodeReaderBytes<R, Vec<u8>> {
    let forced = (encoding == Encoding::Windows1252).then_some(encoding_rs::WINDOWS_1252);
    DecodeReaderBytesBuilder::new().encoding(forced).utf8_passthru(true).strip_bom(true).build(r)
}

/// The first bytes of a file as text, for telling what it is: decoded by its BOM, else as
/// UTF-8 with any invalid byte replaced.
pub fn head_text(head: &[u8]) -> String {
    let enc = match bom(head) {
        Some(Encoding::Utf16Le) => encoding_rs::UTF_16LE,
        Some(Encoding::Utf16Be) => encoding_rs::UTF_16BE,
        _ => encoding_rs::UTF_8,
    };
    let (text, _, _) = enc.decode(head);
    text.trim_start_matches('\u{feff}').to_string()
}

/// The separator a header line uses: a tab when it has more tabs than commas.
pub fn delimiter(header: &[u8]) -> u8 {
    let count = |c: u8| header.iter().filter(|&&b| b == c).count();
    if count(b'\t') > count(b',') { b'\t' } else { b',' }
}

/// A reader that remembers whether the text so far ends with a line break: a file whose last
/// row has none was cut (a download that stopped inside its last row).
pub struct EndWatch<R> {
    inner: R,
    at_line_end: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl<R: Read> EndWatch<R> {
    pub fn new(inner: R) -> (Self, std::sync::Arc<std::sync::atomic::AtomicBool>) {
        let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        (EndWatch { inner, at_line_end: flag.clone() }, flag)
    }
}

impl<R: Read> Read for EndWatch<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(&last) = buf[..n].last() {
            self.at_line_end.store(last == b'\n' || last == b'\r', std::sync::atomic::Ordering::Relaxed);
        }
        Ok(n)
    }
}

/// The longest CSV row vetted reads: its fields are at most `MAX_FIELD_BYTES` (64 KiB) each, so
/// a row over 1 MiB is not an export's; it is refused as its bytes pass, before the CSV reader
/// holds it (a 480 MB field took 521 MiB of memory when the reader held it whole).
pub const MAX_ROW_BYTES: u64 = 1024 * 1024;

/// A CSV row over [`MAX_ROW_BYTES`]: where it starts, and whether a quote opened in it runs on.
#[derive(Debug)]
pub struct RowTooLong {
    pub line: u64,
    pub quoted: bool,
}

impl std::fmt::Display for RowTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: the row starting there is over {} KiB", self.line, MAX_ROW_BYTES / 1024)?;
        if self.quoted {
            write!(f, " (a quote opened in it is never closed, or a field is over the 64 KiB limit)")
        } else {
            write!(f, " (a field over the 64 KiB limit)")
        }
    }
}

impl std::error::Error for RowTooLong {}

/// A reader that refuses a CSV row longer than `max` bytes as its bytes pass, so the CSV
/// reader never holds more. It follows quotes itself: a line break inside quotes does not end
/// a row (a doubled quote toggles twice). Lines end with LF, CRLF or a lone CR.
pub struct RowGuard<R> {
    inner: R,
    max: u64,
    /// Bytes of the current row so far.
    row: u64,
    quoted: bool,
    /// The line being read, and the one the current row started on.
    line: u64,
    row_line: u64,
    after_cr: bool,
    failed: bool,
}

impl<R: Read> RowGuard<R> {
    /// `first_line`: the number of the first line it reads.
    pub fn new(inner: R, max: u64, first_line: u64) -> Self {
        RowGuard {
            inner,
            max,
            row: 0,
            quoted: false,
            line: first_line,
            row_line: first_line,
            after_cr: false,
            failed: false,
        }
    }

    fn too_long(&self) -> io::Error {
        io::Error::other(RowTooLong { line: self.row_line, quoted: self.quoted })
    }
}

impl<R: Read> Read for RowGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.failed {
            return Err(self.too_long());
        }
        let n = self.inner.read(buf)?;
        for &b in &buf[..n] {
            self.row += 1;
            match b {
                b'"' => self.quoted = !self.quoted,
                b'\n' | b'\r' => {
                    if !(b == b'\n' && self.after_cr) {
                        self.line += 1;
                    }
                    if !self.quoted {
                        (self.row, self.row_line) = (0, self.line);
                    }
                }
                _ => {}
            }
            self.after_cr = b == b'\r';
            if self.row > self.max {
                self.failed = true;
                return Err(self.too_long());
            }
        }
        Ok(n)
    }
}

/// Reads one line (with its ending) into `line`, refusing one longer than `max` bytes.
/// Returns false at the end of the stream.
/// A line ends with LF, CRLF, or a lone CR (an old Mac spreadsheet's line ends).
pub fn line_within(r: &mut impl BufRead, line: &mut Vec<u8>, max: usize) -> io::Result<bool> {
    line.clear();
    let too_long = || io::Error::new(io::ErrorKind::InvalidData, format!("a line is over {max} bytes"));
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(!line.is_empty());
        }
        match buf.iter().position(|&b| b == b'\n' || b == b'\r') {
            Some(i) => {
                let cr = buf[i] == b'\r';
                line.extend_from_slice(&buf[..=i]);
                r.consume(i + 1);
                if cr && r.fill_buf()?.first() == Some(&b'\n') {
                    line.push(b'\n');
                    r.consume(1);
                }
                return if line.len() > max { Err(too_long()) } else { Ok(true) };
            }
            None => {
                let n = buf.len();
                line.extend_from_slice(buf);
                r.consume(n);
                if line.len() > max {
                    return Err(too_long());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, le: bool) -> Vec<u8> {
        let mut out = if le { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
        for unit in text.encode_utf16() {
            out.extend(if le { unit.to_le_bytes() } else { unit.to_be_bytes() });
        }
        out
    }

    fn read_all(bytes: &[u8]) -> (Encoding, String) {
        let enc = sniff(bytes).unwrap();
        let mut text = String::new();
        decoded(bytes, enc).read_to_string(&mut text).unwrap();
        (enc, text)
    }

    #[test]
    fn every_encoding_reads_to_the_same_text() {
        let text = "From\tTo\nZoë Müller\tPat\n";
        assert_eq!(read_all(text.as_bytes()), (Encoding::Utf8, text.into()));
        assert_eq!(read_all(format!("\u{feff}{text}").as_bytes()), (Encoding::Utf8, text.into()));
        assert_eq!(read_all(&utf16(text, true)), (Encoding::Utf16Le, text.into()));
        assert_eq!(read_all(&utf16(text, false)), (Encoding::Utf16Be, text.into()));
        let (cp1252, _, _) = encoding_rs::WINDOWS_1252.encode(text);
        assert_eq!(read_all(&cp1252), (Encoding::Windows1252, text.into()));
    }

    #[test]
    fn one_bad_byte_far_into_the_file_decides_for_the_whole_file() {
        let mut bytes = "ü".repeat(100_000).into_bytes(); // 2-byte sequences across chunk ends
        assert_eq!(sniff(&bytes[..]).unwrap(), Encoding::Utf8);
        bytes.push(0xE9); // é in Windows-1252, a cut sequence in UTF-8
        assert_eq!(sniff(&bytes[..]).unwrap(), Encoding::Windows1252);
    }

    #[test]
    fn heads_and_separators() {
        assert!(head_text(&utf16("From\tTo", true)).starts_with("From\tTo"));
        assert_eq!(delimiter(b"First Name\tLast Name\tURL, x"), b'\t');
        assert_eq!(delimiter(b"First Name,Last Name"), b',');
    }
}
