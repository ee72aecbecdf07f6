//! What a log checks before the engine is asked: that the touch is due (or worked ahead on
//! purpose), that the command was not run twice, and that a message is ready; and the text
//! frozen on a worked touch.

use super::describe::{day_label, step_label};
use super::happened::Happened;
use super::log::{Open, Settings};
use super::refusal::Refused;
use super::store::{Tx, queries, undo::Frozen};
use crate::content::{MergeValues, fill_gaps, render_step};
use crate::domain::{Outcome, Status};
use anyhow::Result;
use chrono::NaiveDateTime;

/// A work outcome or a skip on a touch due on a later day, unless the rep works ahead.
pub(super) fn check_due(open: &Open, ahead: bool, now: NaiveDateTime) -> Result<()> {
    let Open { p, e, seq, .. } = *open;
    let Some(due) = e.due.filter(|d| d.date() > now.date()) else {
        return Ok(());
    };
    if ahead || e.status != Status::Active {
        return Ok(());
    }
    Err(Refused::NotDue(format!(
        "Step {} for {} is due {}, not today; nothing logged",
        step_label(seq, e.step),
        p.full_name(),
        day_label(due.date(), now.date())
    ))
    .into())
}

/// A work outcome the same as the one logged today on the step before, while that step's
/// follower is due now too: the command was run again, not meant for the next step.
pub(super) fn check_repeat(tx: &Tx, open: &Open, typed: Outcome) -> Result<()> {
    let Open { p, e, seq, .. } = *open;
    let now = tx.now;
    let Some((step, outcome, at)) = queries::last_worked(tx.conn(), e.id)? else {
        return Ok(());
    };
    if outcome != typed || at.date() != now.date() || step == e.step {
        return Ok(());
    }
    Err(Refused::Repeat(format!(
        "Step {} for {} was already logged as {outcome} at {}; nothing changed. \
         Its next touch, {}, is due now too",
        step_label(seq, step),
        p.full_name(),
        at.format("%H:%M"),
        step_label(seq, e.step)
    ))
    .into())
}

/// The text frozen on a worked touch: the rep's edit, else the template's. A message that is
/// not ready is never sent with its gaps, unless the rep says it went out as copied; a call's
/// script is kept only when complete.
pub(super) fn freeze(
    tx: &Tx,
    open: &Open,
    outcome: Outcome,
    happened: &Happened,
    s: &Settings,
) -> Result<Frozen> {
    let Open { p, e, seq, .. } = *open;
    let variant = seq.template_for(e.step, e.ordinal).map(|t| t.path.clone());
    if let Happened::SentAsCopied { text, .. } = happened {
        return Ok(Frozen {
            subject: text.subject.as_deref().map(fill_gaps),
            body: Some(fill_gaps(&text.body)),
            variant,
        });
    }
    let text = match happened.text() {
        Some(t) => t.clone(),
        None => {
            let last = queries::last_subject(tx.conn(), e.id)?;
            let values = MergeValues::of(p, &s.me);
            render_step(seq, e.step, e.ordinal, &values, last.as_deref())
        }
    };
    let message = matches!(outcome, Outcome::Sent | Outcome::Done);
    if !text.ready() {
        if message {
            return Err(Refused::NotReady(format!(
                "Not logged: step {} for {} is not ready ({})",
                step_label(seq, e.step),
                p.full_name(),
                text.problems.join("; ")
            ))
            .into());
        }
        return Ok(Frozen {
            variant,
            ..Frozen::default()
        });
    }
    Ok(Frozen {
        subject: text.subject,
        body: Some(text.body),
        variant,
    })
}
