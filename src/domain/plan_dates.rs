//! Where a step falls in calendar days, the way the references write their tables: step *i*
//! is planned for the start + (day[i] − 1) days + the lateness so far, and due on that date
//! rolled to the next working day. A roll over a weekend or holiday moves that touch alone;
//! working a touch late (or snoozing or pausing it) shifts every later step.

use super::calendar::Calendar;
use super::why::Why;
use chrono::{Days, NaiveDate};

/// The next step's due date after the step described by `worked` (its why, and its due date)
/// was worked on `on`, `gap` plan days after it: the due date, the unrolled plan date, and
/// the non-working days rolled past.
pub fn after_worked(
    cal: &Calendar,
    worked: Option<&Why>,
    worked_due: NaiveDate,
    on: NaiveDate,
    gap: u32,
) -> (NaiveDate, NaiveDate, Vec<(NaiveDate, String)>) {
    // The due date the plan gave the worked touch, before a snooze, a pause, the daily cap
    // or time off moved it; and the plan date before it rolled to a working day.
    let due_by_plan = worked.and_then(|w| w.earliest).unwrap_or(worked_due);
    let planned_before = worked.and_then(|w| w.planned).unwrap_or(due_by_plan);
    let lateness = (on - due_by_plan).num_days();
    let planned = shift(planned_before, i64::from(gap) + lateness);
    let mut due = cal.roll_forward(planned);
    // Never on the day of the touch before it, unless the table puts them on the same day.
    if gap > 0 && due <= on {
        due = cal.roll_forward(shift(on, 1));
    }
    if due < on {
        due = on;
    }
    (due, planned, off_days(cal, planned.max(on), due))
}

/// A step timed `offset` days from the `decision` date, after a touch worked on `on`: due on
/// that date rolled to a working day, but never on or before the day of the touch before it.
pub fn from_decision(
    cal: &Calendar,
    decision: NaiveDate,
    offset: i32,
    on: NaiveDate,
) -> (NaiveDate, NaiveDate, Vec<(NaiveDate, String)>) {
    let planned = shift(decision, i64::from(offset));
    let mut due = cal.roll_forward(planned);
    if due <= on {
        due = cal.roll_forward(shift(on, 1));
    }
    (due, planned, off_days(cal, planned.max(on), due))
}

/// The first step of an enrollment starting on `start` whose first reachable step lies `gap`
/// plan days in: its due date, its plan date, and the days rolled past.
pub fn from_start(
    cal: &Calendar,
    start: NaiveDate,
    gap: u32,
) -> (NaiveDate, NaiveDate, Vec<(NaiveDate, String)>) {
    let planned = shift(start, i64::from(gap));
    let due = cal.roll_forward(planned);
    (due, planned, off_days(cal, planned, due))
}

fn shift(d: NaiveDate, days: i64) -> NaiveDate {
    let moved = if days >= 0 {
        d.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        d.checked_sub_days(Days::new(days.unsigned_abs()))
    };
    moved.unwrap_or(d)
}

/// The day a paused enrollment's remaining `gap` runs out when it resumes on `back`. The gap
/// counts from `back` itself, exactly as the pause counted it from the day it began, so a
/// pause and a resume on the same day change nothing; a gap of 0 rolls to a working day.
pub fn after_pause(
    cal: &Calendar,
    working_days_only: bool,
    back: NaiveDate,
    gap: u32,
) -> (NaiveDate, Vec<(NaiveDate, String)>) {
    let (day, mut days) = cal.add_gap_explained(back, gap, working_days_only);
    let rolled = cal.roll_forward(day);
    days.extend(off_days(cal, day, rolled));
    (rolled, days)
}

/// The non-working days in `[from, to)` with why each is off.
pub fn off_days(cal: &Calendar, from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, String)> {
    let mut out = Vec::new();
    let mut d = from;
    while d < to {
        if let Some(off) = cal.why_off(d) {
            out.push((d, off));
        }
        match d.succ_opt() {
            Some(next) => d = next,
            None => break,
        }
    }
    out
}
