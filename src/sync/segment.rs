//! One segment file, as bytes: a plain header (what the planner needs without the key), the
//! events sealed under the sync key, and a SHA-256 of everything before it. The layout, byte
//! by byte, is in docs/sync.md; all integers are big-endian.
//!
//! A copy cut short (a sync tool still copying) is told from a damaged one: the header says how
//! long the file is, so a shorter file is "cut short: N of M bytes" and is picked up whole
//! next time; a whole-length file whose checksum is wrong is damaged.

use super::crypt::{NONCE_LEN, SyncKey};
use super::event::Event;
use super::hlc::Hlc;
use sha2::{Digest, Sha256};

pub const MAGIC: &[u8; 8] = b"VTSYNCSG";
pub const VERSION: u16 = 1;
pub const MAX_DEVICE_LEN: usize = 32;
/// The largest segment written or read (a writer splits its events into segments below it;
/// a larger file is refused unread, so a stray huge file never fills memory).
pub const MAX_LEN: u64 = 64 << 20;
const SUM_LEN: usize = 32;

/// A random id made once per store: two stores given the same device name differ here.
pub type Instance = [u8; 16];

/// What the plain header says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub version: u16,
    pub device: String,
    pub instance: Instance,
    pub key_id: [u8; 8],
    pub seq: u64,
    pub first: Hlc,
    pub last: Hlc,
    pub count: u32,
    /// Length of the sealed payload (events and tag).
    pub sealed_len: u64,
    pub nonce: [u8; NONCE_LEN],
    /// Length of the header itself.
    pub header_len: usize,
}

impl Header {
    /// The whole file's length: header, sealed payload, checksum.
    pub fn file_len(&self) -> u64 {
        (self.header_len as u64).saturating_add(self.sealed_len).saturating_add(SUM_LEN as u64)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SegmentError {
    /// `want`: the file's length as its header says, or (header not whole) its least length.
    #[error("cut short: {have} of {want} bytes (a copy not finished yet?)")]
    CutShort { have: u64, want: u64 },
    #[error("damaged: {0}")]
    Damaged(String),
    #[error("format version {0}: made by a newer vetted")]
    NewerVersion(u16),
    #[error("made with another sync key")]
    WrongKey,
}

/// Whether `name` may name a device: 1 to 32 of a–z, 0–9, `-`, `_` (it names a folder).
pub fn valid_device(name: &str) -> bool {
    (1..=MAX_DEVICE_LEN).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// The bytes of a segment holding `events` (at least one, all this device's, in stamp order).
pub fn encode(key: &SyncKey, instance: Instance, seq: u64, events: &[Event]) -> Result<Vec<u8>, SegmentError> {
    let (Some(first), Some(last)) = (events.first(), events.last()) else {
        return Err(SegmentError::Damaged("a segment holds events".into()));
    };
    seal(key, instance, seq, (&first.hlc, &last.hlc), events)
}

/// The segment rewritten without the events `forgotten` picks (a forget reached this device:
/// it rewrites its own segments). `None` when none is picked. A segment left with no event
/// keeps its place in the sequence, with its old first stamp as first and last.
pub fn without(
    key: &SyncKey,
    bytes: &[u8],
    forgotten: impl Fn(&Event) -> bool,
) -> Result<Option<Vec<u8>>, SegmentError> {
    let (h, events) = decode(key, bytes)?;
    let kept: Vec<Event> = events.iter().filter(|e| !forgotten(e)).cloned().collect();
    if kept.len() == events.len() {
        return Ok(None);
    }
    let (first, last) = match (kept.first(), kept.last()) {
        (Some(f), Some(l)) => (&f.hlc, &l.hlc),
        _ => (&h.first, &h.first),
    };
    seal(key, h.instance, h.seq, (first, last), &kept).map(Some)
}

fn seal(
    key: &SyncKey,
    instance: Instance,
    seq: u64,
    (first, last): (&Hlc, &Hlc),
    events: &[Event],
) -> Result<Vec<u8>, SegmentError> {
    let bad = |why: &str| Err(SegmentError::Damaged(why.to_string()));
    let device = &first.device;
    if !valid_device(device) {
        return bad("not a device name");
    }
    if events.iter().any(|e| &e.hlc.device != device || &e.id.device != device) {
        return bad("a segment holds one device's events");
    }
    if events.windows(2).any(|w| w[0].hlc >= w[1].hlc) {
        return bad("events in stamp order");
    }
    let plain = serde_json::to_vec(events).map_err(|e| SegmentError::Damaged(e.to_string()))?;
    if plain.len() as u64 > MAX_LEN - 256 {
        return bad("too many events for one segment: split them");
    }
    let sealed_len = (plain.len() + super::crypt::TAG_LEN) as u64;
    let mut head = Vec::with_capacity(128);
    head.extend_from_slice(MAGIC);
    head.extend_from_slice(&VERSION.to_be_bytes());
    head.push(device.len() as u8);
    head.extend_from_slice(device.as_bytes());
    head.extend_from_slice(&instance);
    head.extend_from_slice(&key.id());
    head.extend_from_slice(&seq.to_be_bytes());
    for h in [first, last] {
        head.extend_from_slice(&h.wall_ms.to_be_bytes());
        head.extend_from_slice(&h.counter.to_be_bytes());
    }
    head.extend_from_slice(&(events.len() as u32).to_be_bytes());
    head.extend_from_slice(&sealed_len.to_be_bytes());
    // The nonce is drawn by `seal`; the associated data is the header up to it.
    let (nonce, sealed) = key.seal(&head, &plain).map_err(|e| SegmentError::Damaged(e.to_string()))?;
    debug_assert_eq!(sealed.len() as u64, sealed_len);
    let mut out = head;
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    let sum = Sha256::digest(&out);
    out.extend_from_slice(&sum);
    Ok(out)
}

/// Reads the header and checks length and checksum, without the key.
pub fn inspect(bytes: &[u8]) -> Result<Header, SegmentError> {
    let mut r = Reader { bytes, at: 0 };
    let have = bytes.len() as u64;
    // Until the header is whole, `want` is what the file needs at least.
    let short = |want: usize| SegmentError::CutShort { have, want: want as u64 };
    if bytes.len() < 11 {
        return Err(short(11));
    }
    if r.take(8) != Some(MAGIC) {
        return Err(SegmentError::Damaged("not a vetted segment".into()));
    }
    let version = u16::from_be_bytes(r.array().ok_or_else(|| short(11))?);
    if version > VERSION {
        return Err(SegmentError::NewerVersion(version));
    }
    let n = usize::from(r.take(1).ok_or_else(|| short(11))?[0]);
    let device = r.take(n).ok_or_else(|| short(11 + n))?;
    let device = std::str::from_utf8(device).ok().filter(|d| valid_device(d)).map(str::to_string);
    let device = device.ok_or_else(|| SegmentError::Damaged("not a device name".into()))?;
    let fixed = (|| {
        let instance: Instance = r.array()?;
        let key_id: [u8; 8] = r.array()?;
        let seq = u64::from_be_bytes(r.array()?);
        let mut hlc = || Some((u64::from_be_bytes(r.array()?), u32::from_be_bytes(r.array()?)));
        let (first, last) = (hlc()?, hlc()?);
        let count = u32::from_be_bytes(r.array()?);
        let sealed_len = u64::from_be_bytes(r.array()?);
        let nonce: [u8; NONCE_LEN] = r.array()?;
        Some((instance, key_id, seq, first, last, count, sealed_len, nonce))
    })();
    let Some((instance, key_id, seq, first, last, count, sealed_len, nonce)) = fixed else {
        return Err(short(11 + n + 92));
    };
    let stamp = |(wall_ms, counter)| Hlc { wall_ms, counter, device: device.clone() };
    let header = Header {
        version,
        device: device.clone(),
        instance,
        key_id,
        seq,
        first: stamp(first),
        last: stamp(last),
        count,
        sealed_len,
        nonce,
        header_len: r.at,
    };
    let want = header.file_len();
    if want > MAX_LEN {
        return Err(SegmentError::Damaged(format!("{want} bytes: larger than a segment is")));
    }
    if have < want {
        return Err(SegmentError::CutShort { have, want });
    }
    if have > want {
        return Err(SegmentError::Damaged(format!("{have} bytes where the header says {want}")));
    }
    let body = bytes.len() - SUM_LEN;
    if Sha256::digest(&bytes[..body])[..] != bytes[body..] {
        return Err(SegmentError::Damaged("checksum does not match".into()));
    }
    Ok(header)
}

/// Reads a whole segment: its header and its events, checked against the header.
pub fn decode(key: &SyncKey, bytes: &[u8]) -> Result<(Header, Vec<Event>), SegmentError> {
    let h = inspect(bytes)?;
    if h.key_id != key.id() {
        return Err(SegmentError::WrongKey);
    }
    let aad = &bytes[..h.header_len - NONCE_LEN];
    let sealed = &bytes[h.header_len..bytes.len() - SUM_LEN];
    let plain = key.open(aad, &h.nonce, sealed).ok_or_else(|| SegmentError::Damaged("does not decrypt".into()))?;
    let events: Vec<Event> =
        serde_json::from_slice(&plain).map_err(|e| SegmentError::Damaged(format!("events unreadable: {e}")))?;
    let fits = events.len() == h.count as usize
        && events.first().is_none_or(|e| e.hlc == h.first)
        && events.last().is_none_or(|e| e.hlc == h.last)
        && events.iter().all(|e| e.hlc.device == h.device && e.id.device == h.device)
        && events.windows(2).all(|w| w[0].hlc < w[1].hlc);
    if !fits {
        return Err(SegmentError::Damaged("events do not match the header".into()));
    }
    Ok((h, events))
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let s = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N).map(|s| s.try_into().expect("N bytes"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::testdata;

    #[test]
    fn a_segment_reads_back_as_written() {
        let key = SyncKey::generate().unwrap();
        let events = testdata::some_events("laptop", 5);
        let bytes = encode(&key, [1; 16], 3, &events).unwrap();
        let (h, back) = decode(&key, &bytes).unwrap();
        assert_eq!(back, events);
        assert_eq!((h.device.as_str(), h.seq, h.count, h.instance), ("laptop", 3, 5, [1; 16]));
        assert_eq!((&h.first, &h.last), (&events[0].hlc, &events[4].hlc));
        assert_eq!(h.file_len(), bytes.len() as u64);
        assert_eq!(h.header_len, 103 + "laptop".len());
    }

    #[test]
    fn a_copy_cut_short_is_named_with_its_length_and_a_changed_byte_is_damage() {
        let key = SyncKey::generate().unwrap();
        let bytes = encode(&key, [1; 16], 1, &testdata::some_events("laptop", 3)).unwrap();
        let len = bytes.len() as u64;
        for cut in [0, 5, 40, 120, bytes.len() - 1] {
            match inspect(&bytes[..cut]) {
                Err(SegmentError::CutShort { have, want }) => {
                    assert_eq!(have, cut as u64);
                    assert!(want > have && want <= len, "{want}");
                }
                other => panic!("cut at {cut}: {other:?}"),
            }
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(matches!(inspect(&longer), Err(SegmentError::Damaged(_))));
        for at in [9, 20, 150, bytes.len() - 1] {
            let mut changed = bytes.clone();
            changed[at] ^= 0x40;
            assert!(decode(&key, &changed).is_err(), "byte {at}");
        }
        assert_eq!(decode(&SyncKey::generate().unwrap(), &bytes), Err(SegmentError::WrongKey));
    }

    #[test]
    fn without_the_key_a_segment_shows_no_name_message_note_or_reason() {
        let key = SyncKey::generate().unwrap();
        let events = testdata::some_events("laptop", 6);
        let json = serde_json::to_string(&events).unwrap();
        let secrets = [testdata::NAME, testdata::MESSAGE, testdata::NOTE, testdata::REASON, "quentin"];
        for s in secrets {
            assert!(json.contains(s), "the test events hold {s:?}");
        }
        let bytes = encode(&key, [1; 16], 1, &events).unwrap();
        let lower = String::from_utf8_lossy(&bytes).to_lowercase();
        for s in secrets {
            assert!(!lower.contains(&s.to_lowercase()), "{s:?} in the bytes");
        }
    }

    #[test]
    fn a_segment_rewritten_after_a_forget_keeps_its_place_and_the_others() {
        let key = SyncKey::generate().unwrap();
        let mut events = testdata::some_events("laptop", 4); // all about one person
        let mut j = crate::sync::Journal::resume("laptop", 4, Some(&events[3].hlc));
        let other =
            crate::sync::Change::NoteSet { person: "name:someone else".into(), text: "stays".into(), replaces: vec![] };
        events.push(j.record(other, 0));
        let bytes = encode(&key, [1; 16], 7, &events).unwrap();
        let gone = |e: &Event| e.change.person() == events[0].change.person();
        let rewritten = without(&key, &bytes, gone).unwrap().unwrap();
        let (h, kept) = decode(&key, &rewritten).unwrap();
        assert_eq!((h.seq, h.instance, h.count), (7, [1; 16], 1));
        assert_eq!(kept, events[4..]);
        assert_eq!(without(&key, &rewritten, gone).unwrap(), None, "nothing more to remove");
        let emptied = without(&key, &rewritten, |_| true).unwrap().unwrap();
        let (h, none) = decode(&key, &emptied).unwrap();
        assert_eq!((h.seq, h.count, none.len()), (7, 0, 0));
        assert_eq!(h.first, events[4].hlc);
    }

    proptest::proptest! {
        /// Whatever is cut off or changed, reading never panics and never yields events.
        #[test]
        fn a_cut_or_changed_segment_never_reads(cut in 0usize..2000, at in 0usize..2000, bit in 0u8..8) {
            let key = SyncKey::from_bytes([3; 32]);
            let bytes = encode(&key, [1; 16], 1, &testdata::some_events("laptop", 3)).unwrap();
            let cut = cut % bytes.len();
            proptest::prop_assert!(decode(&key, &bytes[..cut]).is_err());
            let mut changed = bytes.clone();
            changed[at % bytes.len()] ^= 1 << bit;
            proptest::prop_assert!(decode(&key, &changed).is_err());
        }
    }

    #[test]
    fn only_one_devices_events_in_stamp_order_make_a_segment() {
        let key = SyncKey::generate().unwrap();
        let mut events = testdata::some_events("laptop", 3);
        events.swap(0, 1);
        assert!(encode(&key, [1; 16], 1, &events).is_err());
        let mut other = testdata::some_events("laptop", 2);
        other.extend(testdata::some_events("desktop", 1));
        assert!(encode(&key, [1; 16], 1, &other).is_err());
        assert!(encode(&key, [1; 16], 1, &[]).is_err());
        assert!(valid_device("laptop-2") && !valid_device("Laptop") && !valid_device("a/b") && !valid_device(""));
    }
}
