//! How many calendar days a sequence really runs: its steps worked on the day each falls due,
//! from a start on each working weekday, on the rep's calendar.

use super::calendar::Calendar;
use super::engine::{Ctx, apply, enroll};
use super::event::Event;
use super::types::{Channel, Outcome, Plan, Reachability};
use chrono::{Days, NaiveDate};

/// The shortest and longest calendar span (day 1 = the start) over starts on each working
/// day of a week; `None` for a plan without steps.
pub fn calendar_span(plan: &Plan, cal: &Calendar) -> Option<(u32, u32)> {
    // Any week will do; one without holidays of its own is the usual case.
    let monday = NaiveDate::from_isoywd_opt(2030, 10, chrono::Weekday::Mon)?;
    let spans: Vec<u32> = (0..7)
        .filter_map(|k| monday.checked_add_days(Days::new(k)))
        .filter(|d| cal.is_working(*d))
        .filter_map(|start| run(plan, cal, start))
        .collect();
    Some((*spans.iter().min()?, *spans.iter().max()?))
}

/// The day number the last step falls on, worked on time from `start`.
fn run(plan: &Plan, cal: &Calendar, start: NaiveDate) -> Option<u32> {
    let reach = Reachability {
        email: true,
        phone: true,
        linkedin: true,
        do_not_call: false,
        sent_before: 0,
    };
    let at = start.and_hms_opt(9, 0, 0)?;
    let ctx = |now| Ctx {
        plan,
        reach,
        now,
        cal,
    };
    let mut e = enroll(&ctx(at), 0, 0, start, 0).ok()?.enrollment;
    let mut last = start;
    // Bounded: a plan has at most a few dozen steps.
    for _ in 0..=plan.steps.len() {
        let Some(due) = e.due else { break };
        let channel = plan.steps.get(e.step).map(|s| s.channel)?;
        let outcome = match channel {
            Channel::Email => Outcome::Sent,
            Channel::Call => Outcome::NoAnswer,
            _ => Outcome::Done,
        };
        last = due.date();
        let now = due.date().and_hms_opt(9, 0, 0)?;
        e = apply(&ctx(now), &e, &Event::Work(outcome)).ok()?.enrollment;
    }
    let days = (last - start).num_days() + 1;
    u32::try_from(days).ok()
}
