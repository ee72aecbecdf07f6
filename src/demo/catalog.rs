//! The built-in sequences the demo runs, each stored once as the version its enrollments run
//! on, and each one's running count of enrollments (the ordinal that picks A/B variants).

use crate::content::{Library, Sequence};
use crate::desk::bulk_load::Bulk;
use anyhow::{Context, Result};
use chrono::NaiveDateTime;
use std::sync::Arc;

pub const SEQUENCES: &[&str] = &[
    "cold-21",
    "cold-7",
    "classic-4",
    "rule-333",
    "inbound",
    "post-demo",
    "rule-222",
];

struct Entry {
    sequence: Arc<Sequence>,
    version_id: i64,
    enrolled: i64,
}

pub struct Catalog {
    entries: Vec<Entry>,
}

impl Catalog {
    /// Loads the built-ins (never the rep's own files: the demo is the same on every machine)
    /// and stores a version of each.
    pub fn store(bulk: &mut Bulk, at: NaiveDateTime) -> Result<Catalog> {
        let library = Library::new(None);
        let mut entries = Vec::new();
        for name in SEQUENCES {
            let sequence = library
                .load(name)
                .with_context(|| format!("built-in sequence {name}"))?;
            let version_id = bulk.sequence_version(&sequence, at)?;
            entries.push(Entry {
                sequence: Arc::new(sequence),
                version_id,
                enrolled: 0,
            });
        }
        Ok(Catalog { entries })
    }

    /// The sequence, its version id and the ordinal of a new enrollment in it.
    pub fn take(&mut self, name: &str) -> Option<(Arc<Sequence>, i64, i64)> {
        let entry = self.entries.iter_mut().find(|e| e.sequence.name == name)?;
        let ordinal = entry.enrolled;
        entry.enrolled += 1;
        Some((entry.sequence.clone(), entry.version_id, ordinal))
    }
}
