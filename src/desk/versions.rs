//! Whether an enrollment runs on an older version of its sequence than the file holds now.

use super::Desk;
use crate::domain::Enrollment;

impl Desk {
    /// True when the sequence file has changed (or is gone) since this enrollment started.
    /// The enrollment keeps its own version either way; this only tells the rep.
    pub fn runs_older_version(&self, enrollment: &Enrollment, sequence: &str) -> bool {
        let mut cache = self.current_snapshots.borrow_mut();
        let current = cache
            .entry(sequence.to_string())
            .or_insert_with(|| self.library.load(sequence).ok().map(|s| s.snapshot()));
        let Some(current) = current else {
            return true;
        };
        match self.store.version(enrollment.version_id) {
            Ok(running) => running.snapshot() != *current,
            Err(_) => true,
        }
    }
}
