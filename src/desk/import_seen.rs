//! Which keys a big import may already know: a Bloom filter over every key a row is matched
//! on (the tools' ids, email, LinkedIn URL, phone and name keys) of the book and of the rows
//! imported so far. A row none of whose keys is in it — most rows of a first import — is new
//! without a lookup; a key that is in it only means "ask the database". The filter holds ten
//! bits a key, so memory stays a few megabytes however long the file is.

use crate::domain::Prospect;
use anyhow::Result;
use rusqlite::Connection;

/// Bits per key: about one false "maybe" in a hundred with four probes.
const BITS_PER_KEY: u64 = 10;
const PROBES: u64 = 4;
/// The most memory the filter takes (16 MB); a bigger book only makes "maybe" more frequent.
const MAX_BITS: u64 = 1 << 27;

/// What a key is. An id's values are its source and its value; the others have one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    Id,
    Email,
    Linkedin,
    Phone,
    Name,
}

pub struct Seen {
    bits: Vec<u64>,
    /// The number of bits, a power of two.
    mask: u64,
}

impl Seen {
    /// A filter holding the keys of every prospect in the book, sized for `rows` more.
    pub fn load(conn: &Connection, rows: u64) -> Result<Seen> {
        let book: u64 = conn.query_row("SELECT count(*) FROM prospects", [], |r| r.get(0))?;
        let wanted = ((book + rows) * 5 * BITS_PER_KEY).clamp(1 << 16, MAX_BITS);
        let len = wanted.next_power_of_two();
        let mut seen = Seen {
            bits: vec![0; (len / 64) as usize],
            mask: len - 1,
        };
        let mut stmt =
            conn.prepare("SELECT email, linkedin, phone_key, name_key FROM prospects")?;
        let mut found = stmt.query([])?;
        while let Some(row) = found.next()? {
            for (key, column) in [
                (Key::Email, 0),
                (Key::Linkedin, 1),
                (Key::Phone, 2),
                (Key::Name, 3),
            ] {
                if let Some(value) = row.get::<_, Option<String>>(column)? {
                    seen.add(key, &[&value]);
                }
            }
        }
        let mut stmt = conn.prepare("SELECT source, value FROM external_ids")?;
        let mut found = stmt.query([])?;
        while let Some(row) = found.next()? {
            let (source, value): (String, String) = (row.get(0)?, row.get(1)?);
            seen.add(Key::Id, &[&source, &value]);
        }
        Ok(seen)
    }

    /// Remembers a prospect's keys once it is in the book (`weak`: its phone and name keys).
    pub fn insert(&mut self, p: &Prospect, weak: &super::import::WeakKeys) {
        for (source, value) in &p.external_ids {
            self.add(Key::Id, &[source, value]);
        }
        if let Some(email) = &p.email {
            self.add(Key::Email, &[email]);
        }
        if let Some(linkedin) = &p.linkedin {
            self.add(Key::Linkedin, &[linkedin]);
        }
        if let Some(phone) = &weak.phone {
            self.add(Key::Phone, &[phone]);
        }
        if let Some(name) = &weak.name {
            self.add(Key::Name, &[name]);
        }
    }

    /// Whether the book may have this key (false: it surely has not).
    pub fn may_have(&self, key: Key, values: &[&str]) -> bool {
        self.probes(key, values).all(|bit| {
            self.bits
                .get((bit / 64) as usize)
                .is_some_and(|word| word & (1 << (bit % 64)) != 0)
        })
    }

    fn add(&mut self, key: Key, values: &[&str]) {
        for bit in self.probes(key, values) {
            if let Some(word) = self.bits.get_mut((bit / 64) as usize) {
                *word |= 1 << (bit % 64);
            }
        }
    }

    /// The bits of one key: double hashing from one 64-bit FNV-1a hash (fast on the short
    /// strings keys are; the filter needs spread, not resistance to attack).
    fn probes(&self, key: Key, values: &[&str]) -> impl Iterator<Item = u64> + use<> {
        const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
        const PRIME: u64 = 0x0000_0100_0000_01b3;
        let mut hash = OFFSET ^ (key as u64);
        for value in values {
            for byte in value.bytes().chain(std::iter::once(0xff)) {
                hash = (hash ^ u64::from(byte)).wrapping_mul(PRIME);
            }
        }
        // Mix the high bits down, so both halves of the hash spread.
        hash ^= hash >> 29;
        hash = hash.wrapping_mul(0xbf58_476d_1ce4_e5b9);
        hash ^= hash >> 32;
        let (first, step) = (hash, (hash.rotate_left(32)) | 1);
        let mask = self.mask;
        (0..PROBES).map(move |i| first.wrapping_add(i.wrapping_mul(step)) & mask)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(i: usize) -> Prospect {
        Prospect {
            first_name: format!("Ann{i}"),
            last_name: "Lee".into(),
            email: Some(format!("ann{i}@example.com")),
            ..Prospect::default()
        }
    }

    #[test]
    fn a_key_put_in_is_always_found_and_most_others_are_not() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE prospects (email, linkedin, phone_key, name_key); \
             CREATE TABLE external_ids (source, value);",
        )
        .unwrap();
        let mut seen = Seen::load(&conn, 10_000).unwrap();
        for i in 0..10_000 {
            let p = person(i);
            seen.insert(&p, &super::super::import::WeakKeys::of(&p));
        }
        let email = |i| format!("ann{i}@example.com");
        assert!((0..10_000).all(|i| seen.may_have(Key::Email, &[&email(i)])));
        let strangers = (10_000..20_000)
            .filter(|i| seen.may_have(Key::Email, &[&email(*i)]))
            .count();
        assert!(
            strangers < 300,
            "{strangers} of 10,000 strangers looked known"
        );
    }

    #[test]
    fn the_book_s_keys_are_in_it_from_the_start() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE prospects (email, linkedin, phone_key, name_key); \
             CREATE TABLE external_ids (source, value); \
             INSERT INTO prospects VALUES ('a@x.com', NULL, '+13125550100', 'ann|lee|acme'); \
             INSERT INTO external_ids VALUES ('hubspot', '901');",
        )
        .unwrap();
        let seen = Seen::load(&conn, 0).unwrap();
        assert!(seen.may_have(Key::Email, &["a@x.com"]));
        assert!(seen.may_have(Key::Phone, &["+13125550100"]));
        assert!(seen.may_have(Key::Name, &["ann|lee|acme"]));
        assert!(seen.may_have(Key::Id, &["hubspot", "901"]));
        // The same text as another kind of key is another key.
        assert!(!seen.may_have(Key::Linkedin, &["a@x.com"]));
        assert!(!seen.may_have(Key::Id, &["salesforce", "901"]));
    }
}
