//! The text that went out on a touch, kept byte for byte but small. The subject and body are
//! packed into one zstd frame compressed against a dictionary made of the rep's own
//! templates, which already hold most of every message's words: what is left to store is
//! little more than the names and the lines the rep changed.
//!
//! A dictionary (`text_dictionaries`) is never changed or deleted once a message uses it.
//! When the sequences change, the next message written makes a new one from their templates;
//! once 2,000 messages went out with such a one, the next is trained (zstd's
//! dictionary builder) on the newest messages themselves, which also teaches it the rep's
//! signature and the book's names and companies. A packed message is
//! `[flags][dictionary id as a varint][zstd frame without its 4-byte magic number]`; the
//! frame holds the subject's length as a varint, the subject, then the body.

mod dictionary;

use dictionary::{current_dictionary, dictionary_bytes};
use rusqlite::{Connection, OptionalExtension, params};

use std::cell::RefCell;
use std::collections::HashMap;

/// How hard to compress: messages are small, so a higher level costs little time and wins
/// a few bytes each.
const LEVEL: i32 = 3;

/// Every zstd frame starts with it; stored once here instead of once per message.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xB5, 0x2F, 0xFD];

/// A message unpacks to at most this much (a damaged frame cannot ask for more memory).
const MESSAGE_MAX: usize = 4 * 1024 * 1024;

const HAS_SUBJECT: u8 = 1;
const HAS_BODY: u8 = 2;

/// A touch's text, unpacked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Message {
    pub subject: Option<String>,
    pub body: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum MessageError {
    #[error("a stored message is damaged ({0})")]
    Damaged(&'static str),
    #[error("a stored message names text dictionary {0}, which the database lacks")]
    MissingDictionary(i64),
    #[error(transparent)]
    Sql(#[from] rusqlite::Error),
}

impl From<MessageError> for rusqlite::Error {
    fn from(e: MessageError) -> rusqlite::Error {
        match e {
            MessageError::Sql(e) => e,
            other => rusqlite::Error::ToSqlConversionFailure(Box::new(other)),
        }
    }
}

fn put_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// A varint from the front of `bytes`, and the rest.
fn take_varint(bytes: &[u8]) -> Result<(u64, &[u8]), MessageError> {
    let mut n: u64 = 0;
    for (i, b) in bytes.iter().enumerate().take(10) {
        n |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Ok((n, bytes.get(i + 1..).unwrap_or_default()));
        }
    }
    Err(MessageError::Damaged("length"))
}

/// Prepared dictionaries and contexts, per thread, by fingerprint: preparing one costs far
/// more than compressing a message with it.
#[derive(Default)]
struct Engines {
    compress: HashMap<i64, zstd::zstd_safe::CDict<'static>>,
    decompress: HashMap<i64, zstd::zstd_safe::DDict<'static>>,
    cctx: Option<zstd::zstd_safe::CCtx<'static>>,
    dctx: Option<zstd::zstd_safe::DCtx<'static>>,
    /// A message's bytes before packing, and its zstd frame.
    payload: Vec<u8>,
    frame: Vec<u8>,
}

/// Dictionaries kept prepared per thread; past it the cache starts over.
const ENGINES_KEPT: usize = 16;

thread_local! {
    static ENGINES: RefCell<Engines> = RefCell::new(Engines::default());
}

fn zstd_failed(_code: usize) -> MessageError {
    MessageError::Damaged("zstd")
}

/// Packs a touch's text for the `message` column; `None` when it has neither subject nor
/// body. Makes the dictionary first when the sequences changed (in the caller's transaction).
pub fn pack(
    conn: &Connection,
    subject: Option<&str>,
    body: Option<&str>,
) -> rusqlite::Result<Option<Vec<u8>>> {
    let mut packer = Packer::default();
    let packed = packer.pack(conn, subject, body)?;
    packer.finish(conn)?;
    Ok(packed)
}

/// Messages a [`Packer`] packs between looks at which dictionary is current.
const CHECK_EVERY: u32 = 256;

/// Packs many messages in one transaction (a bulk load): looks up the current dictionary and
/// records its use once every [`CHECK_EVERY`] messages instead of for each.
#[derive(Default)]
pub struct Packer {
    dictionary: Option<(i64, i64)>,
    /// Messages packed since the last look.
    since_check: u32,
    /// Uses of `dictionary` not yet counted in its row.
    uses: i64,
}

impl Packer {
    pub fn pack(
        &mut self,
        conn: &Connection,
        subject: Option<&str>,
        body: Option<&str>,
    ) -> rusqlite::Result<Option<Vec<u8>>> {
        if subject.is_none() && body.is_none() {
            return Ok(None);
        }
        if self.since_check == 0 {
            self.finish(conn)?;
            self.dictionary = current_dictionary(conn)?;
        }
        self.since_check = (self.since_check + 1) % CHECK_EVERY;
        let packed = pack_with(conn, self.dictionary, subject, body)?;
        if self.dictionary.is_some() {
            self.uses += 1;
        }
        Ok(Some(packed))
    }

    /// Counts the uses not yet written.
    pub fn finish(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        if let (Some((id, _)), uses) = (self.dictionary, self.uses) {
            if uses > 0 {
                conn.prepare_cached("UPDATE text_dictionaries SET used = used + ?2 WHERE id = ?1")?
                    .execute([id, uses])?;
            }
        }
        self.uses = 0;
        Ok(())
    }
}

fn pack_with(
    conn: &Connection,
    dictionary: Option<(i64, i64)>,
    subject: Option<&str>,
    body: Option<&str>,
) -> rusqlite::Result<Vec<u8>> {
    let flags =
        if subject.is_some() { HAS_SUBJECT } else { 0 } | if body.is_some() { HAS_BODY } else { 0 };
    let packed = ENGINES.with(|engines| -> Result<Vec<u8>, MessageError> {
        let mut engines = engines.borrow_mut();
        let engines = &mut *engines;
        if let Some((id, hash)) = dictionary {
            if !engines.compress.contains_key(&hash) {
                if engines.compress.len() >= ENGINES_KEPT {
                    engines.compress.clear();
                }
                let bytes = dictionary_bytes(conn, id)?;
                engines
                    .compress
                    .insert(hash, zstd::zstd_safe::CDict::create(&bytes, LEVEL));
            }
        }
        // The message and its frame go through buffers kept from one message to the next:
        // a bulk load packs millions.
        let payload = &mut engines.payload;
        payload.clear();
        let subject_bytes = subject.unwrap_or_default().as_bytes();
        put_varint(payload, subject_bytes.len() as u64);
        payload.extend_from_slice(subject_bytes);
        payload.extend_from_slice(body.unwrap_or_default().as_bytes());
        let frame = &mut engines.frame;
        frame.clear();
        frame.reserve(zstd::zstd_safe::compress_bound(payload.len()));
        let cctx = engines
            .cctx
            .get_or_insert_with(zstd::zstd_safe::CCtx::create);
        match dictionary.and_then(|(_, hash)| engines.compress.get(&hash)) {
            Some(cdict) => cctx.compress_using_cdict(frame, payload, cdict),
            None => cctx.compress(frame, payload, LEVEL),
        }
        .map_err(zstd_failed)?;
        let kept = frame.get(ZSTD_MAGIC.len()..).unwrap_or_default();
        let mut out = Vec::with_capacity(1 + 10 + kept.len());
        out.push(flags);
        put_varint(&mut out, dictionary.map_or(0, |(id, _)| id as u64));
        out.extend_from_slice(kept);
        Ok(out)
    })?;
    Ok(packed)
}

/// Unpacks stored messages, remembering which dictionary each id names for as long as it
/// lives (one history, one export).
pub struct Unpacker<'c> {
    conn: &'c Connection,
    fingerprints: HashMap<i64, i64>,
}

impl<'c> Unpacker<'c> {
    pub fn new(conn: &'c Connection) -> Unpacker<'c> {
        Unpacker {
            conn,
            fingerprints: HashMap::new(),
        }
    }

    /// The fingerprint of dictionary `id`, read once.
    fn fingerprint(&mut self, id: i64) -> Result<i64, MessageError> {
        if let Some(h) = self.fingerprints.get(&id) {
            return Ok(*h);
        }
        let h: i64 = self
            .conn
            .prepare_cached("SELECT hash FROM text_dictionaries WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?
            .ok_or(MessageError::MissingDictionary(id))?;
        self.fingerprints.insert(id, h);
        Ok(h)
    }

    /// The bytes of a zstd `frame` of `size` bytes, with dictionary `id` (whose fingerprint
    /// is `hash`) when it was packed with one.
    fn decompress(
        &self,
        frame: &[u8],
        size: usize,
        (id, hash): (i64, Option<i64>),
    ) -> Result<Vec<u8>, MessageError> {
        ENGINES.with(|engines| -> Result<Vec<u8>, MessageError> {
            let mut engines = engines.borrow_mut();
            let engines = &mut *engines;
            if let Some(hash) = hash {
                if !engines.decompress.contains_key(&hash) {
                    if engines.decompress.len() >= ENGINES_KEPT {
                        engines.decompress.clear();
                    }
                    let bytes = dictionary_bytes(self.conn, id)?;
                    engines
                        .decompress
                        .insert(hash, zstd::zstd_safe::DDict::create(&bytes));
                }
            }
            let dctx = engines
                .dctx
                .get_or_insert_with(zstd::zstd_safe::DCtx::create);
            let mut payload: Vec<u8> = Vec::with_capacity(size);
            match hash.and_then(|h| engines.decompress.get(&h)) {
                Some(ddict) => dctx.decompress_using_ddict(&mut payload, frame, ddict),
                None => dctx.decompress(&mut payload, frame),
            }
            .map_err(zstd_failed)?;
            Ok(payload)
        })
    }

    /// The subject and body of a packed message (`None`: the touch had no text).
    pub fn unpack(&mut self, packed: Option<&[u8]>) -> Result<Message, MessageError> {
        let Some(packed) = packed else {
            return Ok(Message::default());
        };
        let (&flags, rest) = packed.split_first().ok_or(MessageError::Damaged("empty"))?;
        let (id, stored) = take_varint(rest)?;
        let id = i64::try_from(id).map_err(|_| MessageError::Damaged("dictionary id"))?;
        let mut frame = Vec::with_capacity(ZSTD_MAGIC.len() + stored.len());
        frame.extend_from_slice(&ZSTD_MAGIC);
        frame.extend_from_slice(stored);
        let frame = frame.as_slice();
        let size = zstd::zstd_safe::get_frame_content_size(frame)
            .ok()
            .flatten()
            .and_then(|n| usize::try_from(n).ok())
            .filter(|n| *n <= MESSAGE_MAX)
            .ok_or(MessageError::Damaged("size"))?;
        let hash = match id {
            0 => None,
            id => Some(self.fingerprint(id)?),
        };
        let payload = self.decompress(frame, size, (id, hash))?;
        let (subject_len, rest) = take_varint(&payload)?;
        let subject_len =
            usize::try_from(subject_len).map_err(|_| MessageError::Damaged("length"))?;
        if subject_len > rest.len() {
            return Err(MessageError::Damaged("length"));
        }
        let (subject, body) = rest.split_at(subject_len);
        let text = |bytes: &[u8]| {
            String::from_utf8(bytes.to_vec()).map_err(|_| MessageError::Damaged("not UTF-8"))
        };
        Ok(Message {
            subject: if flags & HAS_SUBJECT != 0 {
                Some(text(subject)?)
            } else {
                None
            },
            body: if flags & HAS_BODY != 0 {
                Some(text(body)?)
            } else {
                None
            },
        })
    }
}

/// Migration V18's conversion: every touch's subject and body packed into `message`, a
/// batch at a time in id order.
pub fn pack_existing(conn: &Connection) -> rusqlite::Result<()> {
    let mut read = conn.prepare(
        "SELECT id, subject, body FROM touches WHERE id > ?1 \
         AND (subject IS NOT NULL OR body IS NOT NULL) ORDER BY id LIMIT 2000",
    )?;
    let mut write =
        conn.prepare("UPDATE touches SET message = ?2, subject = NULL, body = NULL WHERE id = ?1")?;
    let mut after = 0_i64;
    let mut packer = Packer::default();
    loop {
        let batch: Vec<(i64, Option<String>, Option<String>)> = read
            .query_map([after], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let Some(last) = batch.last().map(|b| b.0) else {
            return packer.finish(conn);
        };
        for (id, subject, body) in batch {
            let packed = packer.pack(conn, subject.as_deref(), body.as_deref())?;
            write.execute(params![id, packed])?;
        }
        after = last;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip() {
        for n in [
            0u64,
            1,
            127,
            128,
            300,
            16_383,
            16_384,
            u64::from(u32::MAX),
            u64::MAX,
        ] {
            let mut out = Vec::new();
            put_varint(&mut out, n);
            let (back, rest) = take_varint(&out).expect("varint");
            assert_eq!(back, n);
            assert!(rest.is_empty());
        }
        assert!(take_varint(&[0x80]).is_err(), "a cut varint is damage");
    }
}
