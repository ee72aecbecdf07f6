//! Why an action was refused, in words the rep can act on. A refusal changes nothing.

use super::describe::step_label;
use crate::desk::store::{Tx, queries};
use crate::domain::{Outcome, Prospect, TouchRef};
use anyhow::Result;
use chrono::NaiveDateTime;

/// An action the desk refused. The app reloads on [`Refused::Stale`]; the command line
/// adds the flag that would have made it go through.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// The touch the rep saw is no longer the current one: another window or process, or
    /// the same command run before, already acted on it.
    #[error("{0}")]
    Stale(String),
    /// A work outcome on a touch due on a later day.
    #[error("{0}")]
    NotDue(String),
    /// The same work outcome as the one just logged on the step before.
    #[error("{0}")]
    Repeat(String),
    /// The message still has gaps (a missing field, a placeholder, a template error).
    #[error("{0}")]
    NotReady(String),
}

/// "Step 2/7 follow-up for Seo-yeon Choi was already logged as sent at 10:02".
pub(super) fn stale_message(
    tx: &Tx,
    p: &Prospect,
    seen: TouchRef,
    now: NaiveDateTime,
) -> Result<String> {
    let name = p.full_name();
    let step = match queries::enrollment(tx.conn(), seen.enrollment_id)? {
        Some((e, _)) => step_label(&*tx.version(e.version_id)?, seen.step),
        None => format!("{}", seen.step + 1),
    };
    let Some(last) = queries::newest_record(tx.conn(), seen.enrollment_id)? else {
        return Ok(format!("Step {step} for {name} is no longer current"));
    };
    let when = if last.at.date() == now.date() {
        format!("at {}", last.at.format("%H:%M"))
    } else {
        format!("on {}", last.at.format("%a %-d %b at %H:%M"))
    };
    let same_step = last.step == Some(seen.step);
    Ok(match last.outcome {
        Outcome::Snoozed if same_step => format!("Step {step} for {name} was snoozed {when}"),
        Outcome::Skipped if same_step => format!("Step {step} for {name} was skipped {when}"),
        Outcome::Paused => format!("{name} was paused {when}"),
        Outcome::Resumed => format!("{name} was resumed {when}"),
        Outcome::Replied => format!("{name}'s reply was logged {when}"),
        Outcome::Meeting => format!("A meeting with {name} was logged {when}"),
        Outcome::OptedOut => format!("{name} opted out {when}"),
        Outcome::Complained => format!("{name} complained (spam) {when}"),
        Outcome::Removed => format!("{name} was removed from the sequence {when}"),
        o if same_step => format!("Step {step} for {name} was already logged as {o} {when}"),
        o => format!("Step {step} for {name} is no longer current ({o} logged {when})"),
    })
}
