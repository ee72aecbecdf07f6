//! The cadence engine: pure functions from (enrollment, plan, reachability, event, now,
//! calendar) to the new enrollment plus the records to append. No SQLite, no terminal, no clock.

use super::calendar::Calendar;
pub use super::event::{Effect, EngineError, Event, Record, Transition};
use super::outcomes::fit_outcome;
pub use super::outcomes::outcomes_for;
use super::plan_dates::{self, off_days};
pub use super::start::{Opening, Terms, enroll, enroll_on_terms};
use super::types::{Enrollment, Exit, Outcome, Plan, Reachability, Status};
use super::why::{Basis, Why};
use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime};

/// The fixed inputs of one engine call.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    pub plan: &'a Plan,
    pub reach: Reachability,
    pub now: NaiveDateTime,
    pub cal: &'a Calendar,
}

impl Ctx<'_> {
    pub(super) fn today(&self) -> NaiveDate {
        self.now.date()
    }

    pub(super) fn record(&self, step: Option<usize>, outcome: Outcome) -> Record {
        Record {
            at: self.now,
            step,
            channel: step.and_then(|i| self.plan.steps.get(i)).map(|s| s.channel),
            outcome,
            reason: None,
            attributed_step: None,
            kind: None,
            is_touch: false,
        }
    }
}

pub(super) fn start_of(d: NaiveDate) -> NaiveDateTime {
    d.and_time(NaiveTime::MIN)
}

/// Where the next due date is measured from.
pub(super) enum Anchor {
    /// The enrollment starts: the first step is due at this moment.
    Start(NaiveDateTime),
    /// Step `.0` was worked (or skipped); the gaps count from day `.1`.
    Worked(usize, NaiveDate),
}

/// What moving on to the next step adds to the engine's answer: the records of the steps
/// skipped on the way, and a rest after the last one.
#[derive(Default)]
pub(super) struct Answer {
    pub records: Vec<Record>,
    pub effects: Vec<Effect>,
}

impl Answer {
    pub(super) fn into_transition(self, enrollment: Enrollment) -> Transition {
        Transition {
            enrollment,
            records: self.records,
            effects: self.effects,
        }
    }
}

/// How the sequence ends when no reachable step is left.
pub(super) struct Onward {
    pub anchor: Anchor,
    pub reach: Reachability,
    pub exhausted: Exit,
}

/// Moves `e` to its next reachable step, logging automatic skips, or closes it when no step
/// is left (with `exhausted` as the exit).
pub(super) fn schedule_next(ctx: &Ctx, e: &mut Enrollment, onward: Onward, out: &mut Answer) {
    let Onward {
        anchor,
        reach,
        exhausted,
    } = onward;
    let (from, mut candidate) = match anchor {
        Anchor::Start(_) => (0, 0),
        Anchor::Worked(i, _) => (i, i + 1),
    };
    let mut skipped_steps = Vec::new();
    while let Some(step) = ctx.plan.steps.get(candidate) {
        if let Some(blocker) = reach.blocker(candidate, step) {
            let mut r = ctx.record(Some(candidate), Outcome::Skipped);
            r.reason = Some(format!("skipped automatically: {blocker}"));
            out.records.push(r);
            skipped_steps.push((candidate, blocker.to_string()));
            candidate += 1;
            continue;
        }
        let gap = ctx.plan.gap(from, candidate);
        let (due, mut why) = match anchor {
            Anchor::Start(at) => due_from_start(ctx, e, at, gap),
            Anchor::Worked(_, on) => due_after_step(ctx, e, step, (from, on), gap),
        };
        why.skipped_steps = skipped_steps;
        why.earliest = Some(due.date());
        e.step = candidate;
        // The buying timeline has passed before this touch would be due: it ends here.
        if let Some(until) = e.until.filter(|u| due.date() >= *u) {
            let mut r = ctx.record(Some(candidate), Outcome::Removed);
            r.reason = Some(format!("timeline passed (until {until})"));
            out.records.push(r);
            close(ctx, e, Exit::Removed, Some("timeline passed".to_string()));
            return;
        }
        e.due = Some(due);
        e.why = Some(why);
        return;
    }
    e.step = ctx.plan.steps.len();
    close(ctx, e, exhausted, None);
    if exhausted == Exit::Completed {
        out.effects.push(Effect::RestUntil(
            ctx.today() + Days::new(u64::from(ctx.plan.cool_off_days)),
        ));
    }
}

/// When a step `gap` days into a new enrollment falls due, and why.
fn due_from_start(ctx: &Ctx, e: &Enrollment, at: NaiveDateTime, gap: u32) -> (NaiveDateTime, Why) {
    let start = e.started;
    let mut why = Why::new(Basis::Start {
        start,
        inbound: at.time() != NaiveTime::MIN,
    });
    if gap == 0 {
        // Step 1, or a step on day 1 after an unreachable step 1: an inbound lead's first
        // touch is due this minute all the same. The start itself may have rolled past a
        // weekend or holiday.
        why.skipped_days = off_days(ctx.cal, start.max(ctx.today()), at.date());
        why.planned = Some(start.max(ctx.today()));
        (at, why)
    } else if !ctx.plan.working_days_only {
        let (due, planned, days) = plan_dates::from_start(ctx.cal, start.max(ctx.today()), gap);
        why.skipped_days = days;
        why.planned = Some(planned);
        (start_of(due), why)
    } else {
        let (due, days) = ctx.cal.add_gap_explained(at.date(), gap, true);
        why.skipped_days = days;
        (start_of(due), why)
    }
}

/// When `step` falls due `gap` days after step `from` was worked on day `on`, and why.
fn due_after_step(
    ctx: &Ctx,
    e: &Enrollment,
    step: &super::types::PlannedStep,
    (from, on): (usize, NaiveDate),
    gap: u32,
) -> (NaiveDateTime, Why) {
    let wd = ctx.plan.working_days_only;
    let mut why = Why::new(Basis::AfterStep {
        step: from,
        worked_on: on,
        gap,
        working_days: wd,
    });
    let due = if let Some((offset, decision)) = step.decision.zip(e.decision_on) {
        let (due, planned, days) = plan_dates::from_decision(ctx.cal, decision, offset, on);
        why.skipped_days = days;
        why.planned = Some(planned);
        why.decision = Some((decision, offset));
        due
    } else if wd {
        let (due, days) = ctx.cal.add_gap_explained(on, gap, wd);
        why.skipped_days = days;
        due
    } else {
        let worked_due = e.due.map_or(on, |d| d.date());
        let (due, planned, days) =
            plan_dates::after_worked(ctx.cal, e.why.as_ref(), worked_due, on, gap);
        why.skipped_days = days;
        why.planned = Some(planned);
        due
    };
    (start_of(due), why)
}

/// Closes `e`. The log already explains why: the touch or event just recorded.
fn close(ctx: &Ctx, e: &mut Enrollment, exit: Exit, reason: Option<String>) {
    e.status = Status::Closed(exit);
    e.due = None;
    e.why = None;
    e.paused_gap = None;
    e.resume_on = None;
    e.closed_at = Some(ctx.now);
    e.exit_reason = reason;
}

/// Resumes a paused enrollment whose return date has come. The queue shows such an
/// enrollment as due already; this makes the log say so before the next event.
pub fn settle(ctx: &Ctx, e: &Enrollment) -> (Enrollment, Vec<Record>) {
    let mut e = e.clone();
    let mut records = Vec::new();
    if let Some(until) = e.until.filter(|u| *u <= ctx.today() && e.status.is_open()) {
        let mut r = ctx.record(Some(e.step), Outcome::Removed);
        r.reason = Some(format!("timeline passed (until {until})"));
        records.push(r);
        close(
            ctx,
            &mut e,
            Exit::Removed,
            Some("timeline passed".to_string()),
        );
        return (e, records);
    }
    if let (Status::Paused, Some(back)) = (e.status, e.resume_on) {
        if back <= ctx.today() {
            e.status = Status::Active;
            e.paused_gap = None;
            e.resume_on = None;
            let mut r = ctx.record(Some(e.step), Outcome::Resumed);
            r.reason = Some(format!("back on {back}"));
            records.push(r);
        }
    }
    (e, records)
}

/// Applies one event to an enrollment: settles a pause or a timeline that ended by itself,
/// then hands the event to its own rule.
pub fn apply(ctx: &Ctx, current: &Enrollment, event: &Event) -> Result<Transition, EngineError> {
    let (mut e, settled) = settle(ctx, current);
    let mut out = Answer {
        records: settled,
        effects: Vec::new(),
    };
    if let Status::Closed(exit) = e.status {
        late_news(ctx, &mut e, exit, event, &mut out)?;
        return Ok(out.into_transition(e));
    }
    match event {
        Event::Work(outcome) => work(ctx, &mut e, *outcome, &mut out)?,
        Event::Replied => respond(ctx, &mut e, Outcome::Replied, Exit::Replied, &mut out),
        Event::Meeting => respond(ctx, &mut e, Outcome::Meeting, Exit::Meeting, &mut out),
        Event::OptedOut => opt_out(ctx, &mut e, Outcome::OptedOut, &mut out),
        Event::Complained => opt_out(ctx, &mut e, Outcome::Complained, &mut out),
        Event::Skip { reason } => skip(ctx, &mut e, reason, &mut out)?,
        Event::Snooze { until } => snooze(ctx, &mut e, *until, &mut out)?,
        Event::Pause { until } => pause(ctx, &mut e, *until, &mut out)?,
        Event::Resume => resume(ctx, &mut e, &mut out)?,
        Event::Remove { reason } => remove(ctx, &mut e, reason, &mut out),
    }
    Ok(out.into_transition(e))
}

/// A reply to the last message arrives after the sequence completed, and a meeting follows a
/// reply: both still count, credited to the last worked step. Nothing else touches a closed
/// enrollment.
fn late_news(
    ctx: &Ctx,
    e: &mut Enrollment,
    exit: Exit,
    event: &Event,
    out: &mut Answer,
) -> Result<(), EngineError> {
    let (outcome, exit) = match (exit, event) {
        (Exit::Completed, Event::Replied) => (Outcome::Replied, Exit::Replied),
        (Exit::Completed | Exit::Replied, Event::Meeting) => (Outcome::Meeting, Exit::Meeting),
        _ => return Err(EngineError::Closed(exit)),
    };
    e.status = Status::Closed(exit);
    let mut r = ctx.record(e.last_worked_step, outcome);
    r.attributed_step = e.credited_step();
    out.records.push(r);
    Ok(())
}

fn refuse_paused(e: &Enrollment) -> Result<(), EngineError> {
    match e.status {
        Status::Paused => Err(EngineError::Paused),
        _ => Ok(()),
    }
}

/// The current step was worked: the touch is logged and the next step scheduled. A connected
/// call is a conversation (a reply); a bounce or a wrong number closes that channel.
fn work(
    ctx: &Ctx,
    e: &mut Enrollment,
    typed: Outcome,
    out: &mut Answer,
) -> Result<(), EngineError> {
    refuse_paused(e)?;
    let i = e.step;
    let step = ctx.plan.steps.get(i).ok_or(EngineError::NoSteps)?;
    let outcome = fit_outcome(typed, i, step)?;
    let mut touch = ctx.record(Some(i), outcome);
    touch.is_touch = true;
    out.records.push(touch);
    e.last_worked_step = Some(i);
    // A bounced email or a wrong number reached nobody who could answer.
    let reached = !matches!(outcome, Outcome::Bounced | Outcome::WrongNumber);
    if step.answerable() && reached {
        e.last_answerable_step = Some(i);
    }
    let mut reach = ctx.reach;
    let mut exhausted = Exit::Completed;
    match outcome {
        Outcome::Connected => {
            let mut r = ctx.record(Some(i), Outcome::Replied);
            r.attributed_step = Some(i);
            r.reason = Some("connected on a call".to_string());
            out.records.push(r);
            close(ctx, e, Exit::Replied, None);
            return Ok(());
        }
        Outcome::WrongNumber => {
            out.effects.push(Effect::MarkPhoneBad);
            reach.phone = false;
        }
        Outcome::Bounced => {
            out.effects.push(Effect::MarkEmailBad);
            reach.email = false;
            exhausted = Exit::Bounced;
        }
        _ => {}
    }
    let anchor = Anchor::Worked(i, ctx.today());
    let onward = Onward {
        anchor,
        reach,
        exhausted,
    };
    schedule_next(ctx, e, onward, out);
    Ok(())
}

/// A reply or a meeting ends the sequence, credited to the step that produced it.
fn respond(ctx: &Ctx, e: &mut Enrollment, outcome: Outcome, exit: Exit, out: &mut Answer) {
    let mut r = ctx.record(e.last_worked_step, outcome);
    r.attributed_step = e.credited_step();
    out.records.push(r);
    close(ctx, e, exit, None);
}

/// An opt-out (or a spam complaint) ends this sequence and every other, for good.
fn opt_out(ctx: &Ctx, e: &mut Enrollment, outcome: Outcome, out: &mut Answer) {
    out.records.push(ctx.record(e.last_worked_step, outcome));
    close(ctx, e, Exit::OptedOut, None);
    out.effects.push(Effect::DoNotContact);
    out.effects.push(Effect::CloseOthers(Exit::OptedOut));
}

/// The rep skips the current step. Skipping a touch before its day never brings the next one
/// forward: the gaps count from the day the skipped touch was due, or from today if later.
fn skip(ctx: &Ctx, e: &mut Enrollment, reason: &str, out: &mut Answer) -> Result<(), EngineError> {
    refuse_paused(e)?;
    let i = e.step;
    let mut r = ctx.record(Some(i), Outcome::Skipped);
    r.reason = Some(reason.to_string());
    out.records.push(r);
    let today = ctx.today();
    let on = e.due.map_or(today, |d| d.date().max(today));
    let onward = Onward {
        anchor: Anchor::Worked(i, on),
        reach: ctx.reach,
        exhausted: Exit::Completed,
    };
    schedule_next(ctx, e, onward, out);
    Ok(())
}

/// The current touch moves to a later day. A snooze may undo a later move (time off, a full
/// day), but pulling a touch before the day the plan gives it would squeeze the spacing.
fn snooze(
    ctx: &Ctx,
    e: &mut Enrollment,
    until: NaiveDate,
    out: &mut Answer,
) -> Result<(), EngineError> {
    refuse_paused(e)?;
    let today = ctx.today();
    if until <= today {
        return Err(EngineError::SnoozeNotLater(until));
    }
    let day = ctx.cal.roll_forward(until);
    let earliest = planned_day(e);
    let planned = e.why.as_ref().and_then(|w| w.planned);
    if let Some(earliest) = earliest.filter(|earliest| day < *earliest) {
        return Err(EngineError::SnoozeEarlier { until, earliest });
    }
    let mut r = ctx.record(Some(e.step), Outcome::Snoozed);
    r.reason = Some(format!("until {day}"));
    out.records.push(r);
    e.due = Some(start_of(day));
    let mut why = Why::new(Basis::Snoozed { on: today, until });
    why.skipped_days = off_days(ctx.cal, until, day);
    why.earliest = earliest;
    why.planned = planned;
    e.why = Some(why);
    Ok(())
}

/// The sequence waits, keeping the gap to its next touch. With a return date it is due again
/// by itself; without one it waits for a resume.
fn pause(
    ctx: &Ctx,
    e: &mut Enrollment,
    until: Option<NaiveDate>,
    out: &mut Answer,
) -> Result<(), EngineError> {
    let today = ctx.today();
    if e.status == Status::Paused {
        return Err(EngineError::AlreadyPaused);
    }
    if let Some(back) = until.filter(|back| *back <= today) {
        return Err(EngineError::ReturnNotLater(back));
    }
    let due = e.due.map_or(today, |d| d.date());
    let wd = ctx.plan.working_days_only;
    let gap = ctx.cal.gap_between(today, due, wd);
    e.status = Status::Paused;
    e.paused_gap = Some(gap);
    e.resume_on = until;
    let mut before = e.why.take();
    let earliest = before.as_ref().and_then(|w| w.earliest);
    let planned = before.as_ref().and_then(|w| w.planned);
    // An overdue touch paused and resumed by hand is still overdue: it keeps its day.
    let overdue_since = e.due.filter(|d| d.date() < today);
    if let (None, Some(why)) = (until, before.as_mut()) {
        why.overdue_since = overdue_since;
        e.why = before.clone();
    }
    e.due = until.map(|back| {
        let (due, days) = plan_dates::after_pause(ctx.cal, wd, back, gap);
        let mut why = Why::new(Basis::PausedUntil {
            on: today,
            back,
            gap,
            working_days: wd,
        });
        why.skipped_days = days;
        why.earliest = earliest;
        why.planned = planned;
        e.why = Some(why);
        start_of(due)
    });
    let mut r = ctx.record(Some(e.step), Outcome::Paused);
    r.reason = until.map(|b| format!("until {b}"));
    out.records.push(r);
    Ok(())
}

/// A paused sequence goes on: its next touch keeps the gap it had when paused.
fn resume(ctx: &Ctx, e: &mut Enrollment, out: &mut Answer) -> Result<(), EngineError> {
    if e.status != Status::Paused {
        return Err(EngineError::NotPaused);
    }
    let today = ctx.today();
    let gap = e.paused_gap.unwrap_or(0);
    e.status = Status::Active;
    e.paused_gap = None;
    e.resume_on = None;
    let wd = ctx.plan.working_days_only;
    let (due, days) = plan_dates::after_pause(ctx.cal, wd, today, gap);
    let mut why = Why::new(Basis::Resumed {
        on: today,
        gap,
        working_days: wd,
    });
    why.skipped_days = days;
    why.earliest = e.why.as_ref().and_then(|w| w.earliest);
    why.planned = e.why.as_ref().and_then(|w| w.planned);
    let overdue = e.why.as_ref().and_then(|w| w.overdue_since);
    e.due = Some(overdue.filter(|_| gap == 0).unwrap_or(start_of(due)));
    e.why = Some(why);
    out.records.push(ctx.record(Some(e.step), Outcome::Resumed));
    Ok(())
}

/// The rep takes the prospect out of the sequence.
fn remove(ctx: &Ctx, e: &mut Enrollment, reason: &str, out: &mut Answer) {
    let mut r = ctx.record(Some(e.step), Outcome::Removed);
    r.reason = Some(reason.to_string());
    out.records.push(r);
    close(ctx, e, Exit::Removed, Some(reason.to_string()));
}

/// The day the plan gives the current touch; the due date itself when that is not recorded.
fn planned_day(e: &Enrollment) -> Option<NaiveDate> {
    e.why
        .as_ref()
        .and_then(|w| w.earliest)
        .or(e.due.map(|d| d.date()))
}

/// How many whole days `due` lies before `today` (0 when not overdue).
pub fn overdue_days(due: NaiveDateTime, today: NaiveDate) -> i64 {
    (today - due.date()).num_days().max(0)
}
