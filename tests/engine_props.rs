//! Invariants of the pure engine over random plans, calendars and event sequences: nothing is
//! ever due for a closed enrollment, the planned spacing is never squeezed, pausing and
//! resuming on the same day changes nothing, and replies credit the last worked step.

use crate::sim::{Sim, at, d, plus, step};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use proptest::prelude::*;
use touchbase::domain::{Calendar, Channel, Event, Outcome, Plan, Reachability, Status, Trigger};

const CHANNELS: [Channel; 5] = [
    Channel::Email,
    Channel::Call,
    Channel::Linkedin,
    Channel::Sms,
    Channel::Task,
];

const WORK: [Outcome; 8] = [
    Outcome::Sent,
    Outcome::Bounced,
    Outcome::Done,
    Outcome::Connected,
    Outcome::Voicemail,
    Outcome::NoAnswer,
    Outcome::Gatekeeper,
    Outcome::WrongNumber,
];

fn plan_strategy() -> impl Strategy<Value = Plan> {
    (
        prop::collection::vec((0u32..5, 0usize..5), 1..8),
        any::<bool>(),
        any::<bool>(),
        0u32..45,
    )
        .prop_map(|(raw, working_days_only, inbound, cool_off_days)| {
            let mut day = 1;
            let steps = raw
                .iter()
                .enumerate()
                .map(|(i, (inc, c))| {
                    if i > 0 {
                        day += inc;
                    }
                    step(day, CHANNELS[*c])
                })
                .collect();
            Plan {
                trigger: if inbound {
                    Trigger::Inbound
                } else {
                    Trigger::Cold
                },
                working_days_only,
                cool_off_days,
                steps,
            }
        })
}

fn calendar_strategy() -> impl Strategy<Value = Calendar> {
    (1u8..128, prop::collection::vec(0u64..60, 0..6)).prop_map(|(mask, holidays)| {
        let days: Vec<Weekday> = (0..7u8)
            .filter(|i| mask & (1 << i) != 0)
            .filter_map(|i| Weekday::try_from(i).ok())
            .collect();
        Calendar::new(&days, holidays.iter().map(|h| plus(d("2026-11-23"), *h)))
    })
}

/// One step of the rep's day: how many days pass first, the hour, and what they log.
#[derive(Debug, Clone)]
struct Step {
    days: u64,
    hour: u32,
    event: Event,
}

fn event_strategy() -> impl Strategy<Value = (u64, u32, Event)> {
    let event = prop_oneof![
        6 => (0usize..WORK.len()).prop_map(|i| Event::Work(WORK[i])),
        1 => Just(Event::Replied),
        1 => Just(Event::Meeting),
        1 => Just(Event::OptedOut),
        2 => Just(Event::Skip { reason: "not now".into() }),
        2 => (1u64..12).prop_map(|n| Event::Snooze { until: plus(d("2026-11-23"), n) }),
        2 => prop::option::of(1u64..15)
            .prop_map(|n| Event::Pause { until: n.map(|n| plus(d("2026-11-23"), n)) }),
        2 => Just(Event::Resume),
        1 => Just(Event::Remove { reason: "timeline passed".into() }),
    ];
    (0u64..5, 7u32..19, event)
}

/// Dates in generated events are offsets from the first day; move them to "now".
fn relative(event: &Event, today: NaiveDate) -> Event {
    let shift = |x: NaiveDate| today + (x - d("2026-11-23"));
    match event {
        Event::Snooze { until } => Event::Snooze {
            until: shift(*until),
        },
        Event::Pause { until } => Event::Pause {
            until: until.map(shift),
        },
        other => other.clone(),
    }
}

fn steps_strategy() -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec(event_strategy(), 1..30).prop_map(|v| {
        v.into_iter()
            .map(|(days, hour, event)| Step { days, hour, event })
            .collect()
    })
}

fn reach_strategy() -> impl Strategy<Value = Reachability> {
    (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
        |(email, phone, linkedin, do_not_call)| Reachability {
            email,
            phone,
            linkedin,
            do_not_call,
            sent_before: 0,
        },
    )
}

fn when(day: NaiveDate, hour: u32) -> NaiveDateTime {
    day.and_time(NaiveTime::from_hms_opt(hour, 15, 0).expect("time"))
}

/// The checks that hold after every accepted event. `anchor` is the last worked step and the
/// day it was worked; `floor` is the earliest day the first step may be due.
/// `acted` is the last step worked or skipped by hand, and the day.
fn check(
    sim: &Sim,
    anchor: Option<(usize, NaiveDate)>,
    acted: Option<(usize, NaiveDate)>,
    floor: NaiveDate,
) -> Result<(), TestCaseError> {
    let e = &sim.e;
    match e.status {
        Status::Closed(_) => {
            prop_assert_eq!(e.due, None, "closed but due: {:?}", e);
            prop_assert_eq!(e.paused_gap, None);
            prop_assert_eq!(e.resume_on, None);
        }
        Status::Active => {
            prop_assert!(e.due.is_some(), "active with nothing due: {:?}", e);
            prop_assert!(e.step < sim.plan.steps.len());
        }
        Status::Paused => {
            prop_assert!(e.paused_gap.is_some());
            prop_assert_eq!(e.due.is_some(), e.resume_on.is_some(), "{:?}", e);
        }
    }
    if let Some(last) = e.last_worked_step {
        prop_assert!(last <= e.step);
    }
    if let (true, Some(due)) = (e.status.is_open(), e.due) {
        let due = due.date();
        let (from, on) = anchor.unwrap_or((0, floor));
        let gap = sim.plan.steps[e.step].day - sim.plan.steps[from].day;
        // Every due date is a working day, in either mode. Only an inbound lead's first
        // touch (due the minute it came in) and a same-day step after a touch the rep chose
        // to work on a day off ("gap 0: right after") may fall on a day off.
        let inbound_now = e.due.is_some_and(|x| x.time() != NaiveTime::MIN);
        let right_after = acted.is_some_and(|(i, on)| {
            due == on && sim.plan.steps[e.step].day == sim.plan.steps[i].day
        });
        prop_assert!(
            inbound_now || right_after || sim.cal.is_working(due),
            "due on a day off: {}",
            due
        );
        if sim.plan.working_days_only {
            // Spacing: at least the planned gap, in calendar days, after the last worked step.
            prop_assert!(
                due >= plus(on, u64::from(gap)),
                "step {} due {due}, but step {} was worked on {on} and the plan puts {gap} days between",
                e.step + 1,
                from + 1
            );
        } else {
            // Calendar days follow the table, so a roll over a weekend may bring the next step
            // closer; but never onto the day of the touch before it (unless the table puts
            // them on one day), and never before it.
            // (Before any touch was worked, only the start bounds it.)
            let min = if gap > 0 && anchor.is_some() {
                plus(on, 1)
            } else {
                on
            };
            prop_assert!(
                due >= min,
                "step {} due {due}, but step {} was worked on {on} ({gap} plan days before)",
                e.step + 1,
                from + 1
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_days_keep_the_engines_rules(
        plan in plan_strategy(),
        cal in calendar_strategy(),
        reach in reach_strategy(),
        start_in in 0u64..6,
        steps in steps_strategy(),
    ) {
        let first = d("2026-11-23");
        let start = plus(first, start_in);
        let Ok(mut sim) = Sim::start(&plan, &cal, reach, start, when(first, 9)) else {
            // Nobody to reach on any step: refused, nothing to check.
            prop_assume!(false);
            unreachable!();
        };
        // An inbound lead enrolled today is due at once, whatever the day.
        let floor = if plan.trigger == Trigger::Inbound && start_in == 0 {
            first
        } else {
            cal.roll_forward(start)
        };
        let mut anchor: Option<(usize, NaiveDate)> = None;
        let mut credit: Option<usize> = None;
        let mut acted: Option<(usize, NaiveDate)> = None;
        check(&sim, anchor, acted, floor)?;
        let mut today = first;
        for s in &steps {
            today = plus(today, s.days);
            let now = when(today, s.hour);
            let event = relative(&s.event, today);
            let before = sim.e.clone();
            let worked_step = before.step;
            match sim.apply(event.clone(), now) {
                Err(_) => prop_assert_eq!(&sim.e, &before, "a refusal changed the state"),
                Ok(t) => {
                    if let Some(touch) = t.records.iter().find(|r| r.is_touch) {
                        anchor = Some((worked_step, today));
                        // A reply is credited to the last worked step one could answer.
                        let reached =
                            !matches!(touch.outcome, Outcome::Bounced | Outcome::WrongNumber);
                        if sim.plan.steps[worked_step].answerable() && reached {
                            credit = Some(worked_step);
                        }
                    }
                    if matches!(event, Event::Work(_) | Event::Skip { .. }) {
                        acted = Some((worked_step, today));
                    }
                    for r in &t.records {
                        if matches!(r.outcome, Outcome::Replied | Outcome::Meeting) {
                            prop_assert_eq!(r.attributed_step, credit);
                        }
                    }
                    if let Status::Closed(_) = before.status {
                        prop_assert!(!sim.e.status.is_open(), "a closed enrollment reopened");
                    }
                    check(&sim, anchor, acted, floor)?;
                }
            }
        }
        // Once closed, nothing is due whatever the rep does next.
        if !sim.e.status.is_open() {
            for late in [Event::Work(Outcome::Sent), Event::Resume, Event::Skip { reason: "x".into() }] {
                prop_assert!(sim.apply(late, when(plus(today, 1), 10)).is_err());
                prop_assert_eq!(sim.e.due, None);
            }
        }
    }

    #[test]
    fn pausing_and_resuming_on_the_same_day_changes_nothing(
        plan in plan_strategy(),
        cal in calendar_strategy(),
        worked in 0usize..4,
        pause_in in 0u64..8,
        hour in 7u32..19,
    ) {
        let first = d("2026-11-23");
        let reach = Reachability { email: true, phone: true, linkedin: true, do_not_call: false, sent_before: 0 };
        let mut sim = Sim::start(&plan, &cal, reach, first, at(first)).expect("enroll");
        let mut last_day = first;
        // Work fewer steps than the plan has, so one is still to come.
        for _ in 0..worked.min(plan.steps.len() - 1) {
            last_day = sim.due_date().expect("due");
            sim.work(at(last_day));
        }
        prop_assert_eq!(sim.e.status, Status::Active);
        let due = sim.e.due.expect("due");
        // Any day from the last touch up to the due date itself.
        let pause_day = plus(last_day, pause_in).min(due.date()).max(last_day);
        sim.apply(Event::Pause { until: None }, when(pause_day, hour)).expect("pause");
        sim.apply(Event::Resume, when(pause_day, hour)).expect("resume");
        prop_assert_eq!(sim.e.status, Status::Active);
        prop_assert_eq!(
            sim.e.due.map(|x| x.date()),
            Some(due.date().max(cal.roll_forward(pause_day))),
            "paused and resumed on {}", pause_day
        );
    }
}
