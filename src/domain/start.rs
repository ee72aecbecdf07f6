//! Starting an enrollment: step 1 due on the start date (or this minute for an inbound lead),
//! with an optional decision date for steps timed to it and an end date.

use super::engine::{Anchor, Answer, Ctx, Onward, schedule_next, start_of};
use super::event::{EngineError, Transition};
use super::types::{Enrollment, Exit, Status};
use chrono::NaiveDate;

/// What an enrollment is started with beyond its start date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Terms {
    /// The prospect's decision date, for steps timed to it.
    pub decision_on: Option<NaiveDate>,
    /// The enrollment ends by itself as removed on this day ("timeline passed").
    pub until: Option<NaiveDate>,
}

/// Which enrollment starts: whose, on which sequence version, from which day, and its
/// number among the prospect's enrollments of that sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opening {
    pub prospect_id: i64,
    pub version_id: i64,
    pub start: NaiveDate,
    pub ordinal: i64,
}

/// Starts an enrollment on `start`. Step 1 is due on the start date rolled to a working day,
/// or at this very moment for an inbound sequence started today.
pub fn enroll(
    ctx: &Ctx,
    prospect_id: i64,
    version_id: i64,
    start: NaiveDate,
    ordinal: i64,
) -> Result<Transition, EngineError> {
    let opening = Opening {
        prospect_id,
        version_id,
        start,
        ordinal,
    };
    enroll_on_terms(ctx, opening, Terms::default())
}

/// [`enroll`], with a decision date and an end date.
pub fn enroll_on_terms(
    ctx: &Ctx,
    opening: Opening,
    terms: Terms,
) -> Result<Transition, EngineError> {
    let Opening {
        prospect_id,
        version_id,
        start,
        ordinal,
    } = opening;
    if ctx.plan.steps.is_empty() {
        return Err(EngineError::NoSteps);
    }
    let timed = ctx.plan.steps.iter().any(|s| s.decision.is_some());
    if timed && terms.decision_on.is_none() {
        return Err(EngineError::NeedsDecision);
    }
    if let Some(until) = terms.until.filter(|u| *u <= start.max(ctx.today())) {
        return Err(EngineError::UntilNotLater(until));
    }
    if !ctx
        .plan
        .steps
        .iter()
        .enumerate()
        .any(|(i, s)| ctx.reach.blocker(i, s).is_none())
    {
        return Err(EngineError::Unreachable);
    }
    let first_due = if ctx.plan.trigger == super::types::Trigger::Inbound && start <= ctx.today() {
        ctx.now
    } else {
        start_of(ctx.cal.roll_forward(start.max(ctx.today())))
    };
    let mut enrollment = Enrollment {
        id: 0,
        prospect_id,
        version_id,
        status: Status::Active,
        step: 0,
        due: None,
        last_worked_step: None,
        last_answerable_step: None,
        decision_on: None,
        until: None,
        paused_gap: None,
        resume_on: None,
        started: start,
        closed_at: None,
        exit_reason: None,
        ordinal,
        why: None,
    };
    enrollment.decision_on = terms.decision_on;
    enrollment.until = terms.until;
    let mut answer = Answer::default();
    let onward = Onward {
        anchor: Anchor::Start(first_due),
        reach: ctx.reach,
        exhausted: Exit::Completed,
    };
    schedule_next(ctx, &mut enrollment, onward, &mut answer);
    Ok(answer.into_transition(enrollment))
}
