//! Which step a reply or a meeting is credited to: the engine's choice (the last worked step
//! the prospect could answer), or the step the rep names (`log … replied --credit N`).

use super::describe::step_label;
use crate::content::Sequence;
use crate::domain::{Enrollment, Outcome, Record};
use crate::store::Tx;
use anyhow::{Result, bail};

/// Outcomes that mean the step was worked (not skipped, snoozed or only planned).
const WORKED: &str = "'sent', 'done', 'connected', 'voicemail', 'no-answer', 'gatekeeper'";

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
    let worked: bool = tx.conn().query_row(
        &format!(
            "SELECT EXISTS (SELECT 1 FROM touches WHERE enrollment_id = ?1 AND step = ?2 \
             AND outcome IN ({WORKED}))"
        ),
        rusqlite::params![e.id, i as i64],
        |r| r.get(0),
    )?;
    if !worked {
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
