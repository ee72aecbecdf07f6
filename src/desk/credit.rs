//! Which step a reply or a meeting is credited to: the engine's choice (the last worked step
//! the prospect could answer), or the step the rep names (`log … replied --credit N`).

use super::Desk;
use super::describe::step_label;
use crate::content::Sequence;
use crate::desk::DeskError;
use crate::desk::store::{Tx, queries};
use crate::domain::{Enrollment, Outcome, Record};
use anyhow::{Result, bail};
use chrono::NaiveDateTime;
use rusqlite::OptionalExtension;

/// Outcomes that mean the step was worked (not skipped, snoozed or only planned).
const WORKED: &str = "'sent', 'done', 'connected', 'voicemail', 'no-answer', 'gatekeeper'";

/// Whether step `i` (0-based) of enrollment `enrollment_id` was worked.
fn was_worked(tx: &Tx, enrollment_id: i64, i: usize) -> Result<bool> {
    Ok(tx.conn().query_row(
        &format!(
            "SELECT EXISTS (SELECT 1 FROM touches WHERE enrollment_id = ?1 AND step = ?2 \
             AND outcome IN ({WORKED}))"
        ),
        rusqlite::params![enrollment_id, i as i64],
        |r| r.get(0),
    )?)
}

/// Credits the reply or meeting among `records` to `step` (1-based), which must be a step of
/// this enrollment the rep worked.
pub fn credit_to(
    tx: &Tx,
    e: &Enrollment,
    seq: &Sequence,
    records: &mut [Record],
    step: usize,
) -> Result<()> {
    let steps = seq.plan.steps.len();
    if step == 0 || step > steps {
        bail!("--credit takes a step from 1 to {steps}");
    }
    let i = step - 1;
    if !was_worked(tx, e.id, i)? {
        bail!(
            "step {} was never worked, so no reply can be credited to it",
            step_label(seq, i)
        );
    }
    for r in records
        .iter_mut()
        .filter(|r| matches!(r.outcome, Outcome::Replied | Outcome::Meeting))
    {
        r.attributed_step = Some(i);
    }
    Ok(())
}

/// A worked step one may credit a reply to: its 1-based number and its label.
pub type StepChoice = (usize, String);

impl Desk {
    /// Moves the credit of a prospect's latest reply (and the meeting after it) to `step`
    /// (1-based), one of the steps the rep worked in that enrollment: one undoable action.
    pub fn move_credit(
        &mut self,
        prospect_id: i64,
        step: usize,
        now: NaiveDateTime,
    ) -> Result<String, DeskError> {
        Ok(self.store.action("credit", now, |tx| {
            let p = queries::prospect(tx.conn(), prospect_id)?
                .ok_or_else(|| anyhow::anyhow!("no prospect {prospect_id}"))?;
            let rows: Vec<(i64, i64)> = {
                let mut stmt = tx.conn().prepare(
                    "SELECT t.id, t.enrollment_id FROM touches t \
                     WHERE t.enrollment_id = (SELECT r.enrollment_id FROM enrollments e \
                        JOIN touches r ON r.enrollment_id = e.id WHERE e.prospect_id = ?1 \
                        AND r.outcome IN ('replied', 'meeting') \
                        ORDER BY r.at DESC, r.id DESC LIMIT 1) \
                     AND t.outcome IN ('replied', 'meeting')",
                )?;
                let found = stmt.query_map([prospect_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
                found.collect::<rusqlite::Result<_>>()?
            };
            let Some(&(_, enrollment_id)) = rows.first() else {
                bail!("{} has no reply to credit", p.full_name());
            };
            let e = queries::enrollment(tx.conn(), enrollment_id)?
                .ok_or_else(|| anyhow::anyhow!("enrollment {enrollment_id} is gone"))?
                .0;
            let seq = tx.version(e.version_id)?;
            let steps = seq.plan.steps.len();
            if step == 0 || step > steps {
                bail!("a step from 1 to {steps}");
            }
            if !was_worked(tx, enrollment_id, step - 1)? {
                bail!(
                    "step {} was never worked, so no reply can be credited to it",
                    step_label(&seq, step - 1)
                );
            }
            for (id, _) in &rows {
                tx.recredit(*id, step - 1)?;
            }
            let msg = format!(
                "{}'s reply now credited to step {}",
                p.full_name(),
                step_label(&seq, step - 1)
            );
            Ok((msg.clone(), msg))
        })?)
    }

    /// The steps a prospect's latest replied enrollment worked, for choosing a new credit:
    /// (1-based step, its label), and the step credited now.
    pub fn creditable_steps(&self, prospect_id: i64) -> Result<(Vec<StepChoice>, Option<usize>)> {
        let conn = self.store.conn();
        let found: Option<(i64, Option<i64>)> = conn
            .query_row(
                "SELECT r.enrollment_id, r.attributed_step FROM enrollments e \
                 JOIN touches r ON r.enrollment_id = e.id WHERE e.prospect_id = ?1 \
                 AND r.outcome IN ('replied', 'meeting') \
                 ORDER BY r.at DESC, r.id DESC LIMIT 1",
                [prospect_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((enrollment_id, credited)) = found else {
            return Ok((Vec::new(), None));
        };
        let Some((e, _)) = queries::enrollment(conn, enrollment_id)? else {
            return Ok((Vec::new(), None));
        };
        let seq = self.store.version(e.version_id)?;
        let mut stmt = conn.prepare(&format!(
            "SELECT DISTINCT step FROM touches WHERE enrollment_id = ?1 AND step IS NOT NULL \
             AND outcome IN ({WORKED}) ORDER BY step"
        ))?;
        let steps = stmt.query_map([enrollment_id], |r| r.get::<_, i64>(0))?;
        let mut out = Vec::new();
        for s in steps {
            let i = s? as usize;
            out.push((i + 1, step_label(&seq, i)));
        }
        Ok((out, credited.map(|c| c as usize + 1)))
    }
}
