//! Drafts: a message the rep edited and did not send before quitting stays with its touch,
//! and is there again (as what `y` copies and what logging freezes) when the app opens.
//! Once the touch is worked the draft is not read any more (undo brings both back); the
//! next quit writes the drafts afresh.

use super::Desk;
use crate::content::Rendered;
use crate::desk::DeskError;
use anyhow::Result;
use chrono::NaiveDateTime;
use rusqlite::params;

/// A touch by enrollment and step (0-based).
pub type DraftKey = (i64, usize);

impl Desk {
    /// Keeps these edited texts as drafts (and only these: one no longer edited is gone).
    pub fn save_drafts(
        &mut self,
        drafts: &[(DraftKey, Rendered)],
        now: NaiveDateTime,
    ) -> Result<usize, DeskError> {
        Ok(self.store.write_plain(|conn| {
            conn.execute("DELETE FROM drafts", [])?;
            let mut kept = 0;
            for ((enrollment_id, step), text) in drafts {
                // Only for a touch that is still the enrollment's current one.
                kept += conn.execute(
                    "INSERT INTO drafts (enrollment_id, step, subject, body, saved_at) \
                     SELECT ?1, ?2, ?3, ?4, ?5 FROM enrollments \
                     WHERE id = ?1 AND step = ?2 AND due IS NOT NULL",
                    params![enrollment_id, *step as i64, text.subject, text.body, now],
                )?;
            }
            Ok(kept)
        })?)
    }

    /// The drafts still on their touch: the enrollment has not moved past that step.
    pub fn drafts(&self) -> Result<Vec<(DraftKey, Option<String>, String)>> {
        let mut stmt = self.store.conn().prepare(
            "SELECT d.enrollment_id, d.step, d.subject, d.body FROM drafts d \
             JOIN enrollments e ON e.id = d.enrollment_id AND e.step = d.step \
             WHERE e.due IS NOT NULL",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                (r.get::<_, i64>(0)?, r.get::<_, i64>(1)? as usize),
                r.get(2)?,
                r.get(3)?,
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
