//! The dictionaries messages are packed against: made from the templates of every
//! sequence's newest version, then trained on the messages that went out (see the module
//! above). Never changed or deleted once made.

use super::{MessageError, Unpacker};
use rusqlite::{Connection, OptionalExtension, params};

/// The most of the templates a dictionary holds (zstd reaches back at most this far).
const DICTIONARY_MAX: usize = 112 * 1024;

/// Messages packed with a dictionary made from templates before a trained one replaces it.
const TRAIN_AFTER: i64 = 2_000;

/// The newest messages a trained dictionary learns from.
const TRAIN_SAMPLES: usize = 2_000;

/// A trained dictionary's size: past this, a bigger one barely packs tighter.
const TRAINED_SIZE: usize = 32 * 1024;

/// A trained dictionary starts with this, then its 4-byte id.
const DICTIONARY_MAGIC: [u8; 4] = [0x37, 0xA4, 0x30, 0xEC];

/// FNV-1a: names a dictionary's bytes in the per-thread caches.
pub(super) fn fingerprint(bytes: &[u8]) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h as i64
}

/// What the dictionary is made of: the templates of every sequence's newest version, the
/// most recently changed last (zstd finds near matches cheapest).
fn dictionary_text(conn: &Connection) -> rusqlite::Result<Vec<u8>> {
    let mut stmt = conn.prepare(
        "SELECT v.body FROM sequence_versions v \
         WHERE v.id IN (SELECT max(id) FROM sequence_versions GROUP BY name) ORDER BY v.id",
    )?;
    let snapshots = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let mut text = Vec::new();
    for snapshot in snapshots {
        let snapshot = snapshot?;
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&snapshot) else {
            continue;
        };
        if let Some(sources) = value.get("sources").and_then(|s| s.as_object()) {
            for source in sources.values().filter_map(|s| s.as_str()) {
                text.extend_from_slice(source.as_bytes());
                text.push(b'\n');
            }
        }
    }
    let cut = text.len().saturating_sub(DICTIONARY_MAX);
    Ok(text.split_off(cut))
}

/// The newest dictionary row.
struct Newest {
    id: i64,
    hash: i64,
    built_through: i64,
    trained: bool,
    used: i64,
}

/// The dictionary new messages use: (id, fingerprint), made first when the sequences changed
/// since the newest one, or trained once enough messages went out with one made from
/// templates. `None`: there is nothing to make one from yet.
pub(super) fn current_dictionary(conn: &Connection) -> rusqlite::Result<Option<(i64, i64)>> {
    let newest_version: i64 = conn
        .prepare_cached("SELECT coalesce(max(id), 0) FROM sequence_versions")?
        .query_row([], |r| r.get(0))?;
    let newest = conn
        .prepare_cached(
            "SELECT id, hash, built_through, trained, used FROM text_dictionaries \
             ORDER BY id DESC LIMIT 1",
        )?
        .query_row([], |r| {
            Ok(Newest {
                id: r.get(0)?,
                hash: r.get(1)?,
                built_through: r.get(2)?,
                trained: r.get(3)?,
                used: r.get(4)?,
            })
        })
        .optional()?;
    match newest {
        Some(d) if d.built_through >= newest_version || newest_version == 0 => {
            if !d.trained && d.used >= TRAIN_AFTER {
                if let Some(made) = train(conn, d.built_through)? {
                    return Ok(Some(made));
                }
                // Too little to learn from: try again after as many more.
                conn.execute(
                    "UPDATE text_dictionaries SET used = 0 WHERE id = ?1",
                    [d.id],
                )?;
            }
            Ok(Some((d.id, d.hash)))
        }
        newest => {
            let bytes = dictionary_text(conn)?;
            if bytes.is_empty() {
                return Ok(newest.map(|d| (d.id, d.hash)));
            }
            insert_dictionary(conn, &bytes, newest_version, false).map(Some)
        }
    }
}

fn insert_dictionary(
    conn: &Connection,
    bytes: &[u8],
    built_through: i64,
    trained: bool,
) -> rusqlite::Result<(i64, i64)> {
    let hash = fingerprint(bytes);
    conn.execute(
        "INSERT INTO text_dictionaries (hash, built_through, trained, used) \
         VALUES (?1, ?2, ?3, 0)",
        params![hash, built_through, trained],
    )?;
    let id = conn.last_insert_rowid();
    conn.execute(
        "INSERT INTO text_dictionary_bytes (id, bytes) VALUES (?1, ?2)",
        params![id, bytes],
    )?;
    Ok((id, hash))
}

/// A dictionary trained on the newest messages; `None` when zstd finds too little in them.
fn train(conn: &Connection, built_through: i64) -> rusqlite::Result<Option<(i64, i64)>> {
    let mut samples: Vec<Vec<u8>> = Vec::with_capacity(TRAIN_SAMPLES);
    {
        let mut stmt = conn.prepare(
            "SELECT message FROM touches WHERE message IS NOT NULL ORDER BY id DESC LIMIT ?1",
        )?;
        let mut rows = stmt.query([TRAIN_SAMPLES as i64])?;
        let mut unpacker = Unpacker::new(conn);
        while let Some(r) = rows.next()? {
            let packed: Vec<u8> = r.get(0)?;
            let Ok(m) = unpacker.unpack(Some(&packed)) else {
                continue;
            };
            let mut sample = m.subject.unwrap_or_default().into_bytes();
            sample.extend_from_slice(m.body.unwrap_or_default().as_bytes());
            samples.push(sample);
        }
    }
    let Ok(mut bytes) = zstd::dict::from_samples(&samples, TRAINED_SIZE) else {
        return Ok(None);
    };
    // Id 0: frames then carry no dictionary id (the message's own header names it).
    if bytes.get(..4) == Some(&DICTIONARY_MAGIC[..]) {
        if let Some(id) = bytes.get_mut(4..8) {
            id.fill(0);
        }
    }
    insert_dictionary(conn, &bytes, built_through, true).map(Some)
}

pub(super) fn dictionary_bytes(conn: &Connection, id: i64) -> Result<Vec<u8>, MessageError> {
    conn.prepare_cached("SELECT bytes FROM text_dictionary_bytes WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .ok_or(MessageError::MissingDictionary(id))
}
