//! The cadence engine's schedule, worked by hand through the pure functions: the reference
//! schedules, late touches, weekends, holidays, same-day steps, inbound leads, unreachable
//! steps.

use crate::sim::{Sim, at, builtin, d, everyone, on_time, plan, plus};
use chrono::{NaiveTime, Weekday};
use touchbase::domain::{Calendar, Channel, EngineError, Outcome, Reachability, Status};

const MON: &str = "2026-11-23";

fn dates(list: &[&str]) -> Vec<chrono::NaiveDate> {
    list.iter().map(|s| d(s)).collect()
}

fn weekdays() -> Calendar {
    Calendar::default()
}

#[test]
fn cold_21_on_calendar_days_falls_on_days_1_3_4_7_9_11_14_17_21() {
    let mut p = builtin("cold-21");
    p.working_days_only = false;
    let start = d(MON);
    let dues = on_time(&p, &Calendar::every_day(), start);
    // Ten steps: the email and the LinkedIn view share day 1.
    let days: Vec<i64> = dues.iter().map(|x| (*x - start).num_days() + 1).collect();
    assert_eq!(days, vec![1, 1, 3, 4, 7, 9, 11, 14, 17, 21]);
    let mut distinct = days.clone();
    distinct.dedup();
    assert_eq!(distinct, vec![1, 3, 4, 7, 9, 11, 14, 17, 21]);
}

/// Each built-in, started on each weekday of the week of Mon 23 November 2026 and worked on
/// time, Monday to Friday working: the calendar day (1 = the start) each step falls on. Day N
/// of the table is the Nth calendar day, rolled to the next working day; a roll moves that
/// touch alone, and a step never shares the day of the one before it unless the table says so.
const BUILTIN_CALENDARS: &[(&str, [&[i64]; 5])] = &[
    (
        "classic-4",
        [
            &[1, 3, 8, 15],
            &[1, 3, 8, 15],
            &[1, 3, 8, 15],
            &[1, 5, 8, 15],
            &[1, 4, 8, 15],
        ],
    ),
    (
        "cold-21",
        [
            &[1, 1, 3, 4, 8, 9, 11, 15, 17, 22],
            &[1, 1, 3, 4, 7, 9, 11, 14, 17, 21],
            &[1, 1, 3, 6, 7, 9, 13, 14, 17, 21],
            &[1, 1, 5, 6, 7, 9, 12, 14, 19, 21],
            &[1, 1, 4, 5, 7, 11, 12, 14, 18, 21],
        ],
    ),
    (
        "cold-7",
        [
            &[1, 3, 5, 8, 10, 15, 22],
            &[1, 3, 7, 8, 10, 14, 21],
            &[1, 3, 6, 7, 10, 14, 21],
            &[1, 5, 6, 7, 12, 14, 21],
            &[1, 4, 5, 7, 11, 14, 21],
        ],
    ),
    (
        "cold-8",
        [
            &[1, 3, 5, 8, 10, 12, 15, 22],
            &[1, 3, 7, 8, 10, 14, 15, 21],
            &[1, 3, 6, 8, 10, 13, 15, 21],
            &[1, 5, 6, 8, 12, 13, 15, 21],
            &[1, 4, 5, 8, 11, 12, 15, 21],
        ],
    ),
    (
        "missed-meeting",
        [
            &[1, 2, 4, 8],
            &[1, 2, 4, 8],
            &[1, 2, 6, 8],
            &[1, 2, 5, 8],
            &[1, 4, 5, 8],
        ],
    ),
    (
        "inbound",
        [
            &[1, 1, 2, 3, 5, 8],
            &[1, 1, 2, 3, 7, 8],
            &[1, 1, 2, 3, 6, 7],
            &[1, 1, 2, 5, 6, 7],
            &[1, 1, 4, 5, 6, 7],
        ],
    ),
    (
        "post-demo",
        [
            &[1, 2, 4, 8, 10],
            &[1, 2, 4, 7, 10],
            &[1, 2, 6, 7, 10],
            &[1, 2, 5, 7, 12],
            &[1, 4, 5, 7, 11],
        ],
    ),
    (
        "rule-222",
        [
            &[1, 15, 59],
            &[1, 14, 59],
            &[1, 13, 59],
            &[1, 13, 61],
            &[1, 13, 60],
        ],
    ),
    (
        "rule-333",
        [&[1, 4, 8], &[1, 4, 7], &[1, 6, 7], &[1, 5, 7], &[1, 4, 7]],
    ),
];

#[test]
fn every_builtin_runs_in_calendar_days_from_every_start_weekday() {
    let cal = weekdays();
    for (name, by_weekday) in BUILTIN_CALENDARS {
        let plan = builtin(name);
        assert!(!plan.working_days_only, "{name} counts working days");
        for (offset, want) in by_weekday.iter().enumerate() {
            let start = plus(d(MON), offset as u64);
            let dues = on_time(&plan, &cal, start);
            let days: Vec<i64> = dues.iter().map(|x| (*x - start).num_days() + 1).collect();
            assert_eq!(
                &days[..],
                *want,
                "{name} started {}",
                start.format("%a %-d %b")
            );
            assert!(dues.iter().all(|x| cal.is_working(*x)), "{name}: {dues:?}");
        }
    }
}

#[test]
fn working_days_only_counts_gaps_in_working_days() {
    let mut p = builtin("cold-21");
    p.working_days_only = true;
    let dues = on_time(&p, &weekdays(), d(MON));
    // Gaps of 0, 2, 1, 3, 2, 2, 3, 3, 4 working days, weekends stepped over.
    let expected = dates(&[
        "2026-11-23",
        "2026-11-23",
        "2026-11-25",
        "2026-11-26",
        "2026-12-01",
        "2026-12-03",
        "2026-12-07",
        "2026-12-10",
        "2026-12-15",
        "2026-12-21",
    ]);
    assert_eq!(dues, expected);
}

#[test]
fn a_late_touch_shifts_the_steps_after_it_and_a_roll_does_not() {
    // classic-4 from Friday 27 November: day 3 is Sunday, rolled to Monday 30 (day 4); day 8
    // stays Friday 4 December. Worked two days late on Wednesday 2 December instead, the bump
    // shifts the rest by those two days: day 8 + 2 = Sunday 6, rolled to Monday 7.
    let plan = builtin("classic-4");
    let fri = d("2026-11-27");
    assert_eq!(
        on_time(&plan, &weekdays(), fri),
        dates(&["2026-11-27", "2026-11-30", "2026-12-04", "2026-12-11"])
    );
    let cal = weekdays();
    let mut sim = Sim::start(&plan, &cal, everyone(), fri, at(fri)).expect("enroll");
    sim.work(at(fri));
    assert_eq!(sim.due_date(), Some(d("2026-11-30")));
    sim.work(at(d("2026-12-02")));
    assert_eq!(
        sim.due_date(),
        Some(d("2026-12-07")),
        "the bump was two days late"
    );
}

#[test]
fn every_builtin_keeps_its_planned_days_on_a_seven_day_week() {
    // On calendar days with no day off, worked on time, step i is due on day[i].
    for name in [
        "classic-4",
        "cold-21",
        "cold-7",
        "post-demo",
        "inbound",
        "rule-333",
        "rule-222",
    ] {
        let mut p = builtin(name);
        p.working_days_only = false;
        let start = d(MON);
        let dues = on_time(&p, &Calendar::every_day(), start);
        let planned: Vec<_> = p
            .steps
            .iter()
            .map(|s| plus(start, u64::from(s.day - 1)))
            .collect();
        assert_eq!(dues, planned, "{name}");
    }
}

#[test]
fn a_touch_worked_two_days_late_moves_every_later_touch_by_two_days() {
    for working_days_only in [false, true] {
        let mut p = builtin("cold-21");
        p.working_days_only = working_days_only;
        let cal = if working_days_only {
            weekdays()
        } else {
            Calendar::every_day()
        };
        let base = on_time(&p, &cal, d(MON));
        for late_step in 0..p.steps.len() {
            let mut sim = Sim::start(&p, &cal, everyone(), d(MON), at(d(MON))).expect("enroll");
            // Two days late, counted the way the plan counts its gaps.
            let mut worked_on = None;
            let mut dues = Vec::new();
            while sim.e.status.is_open() {
                let due = sim.due_date().expect("due");
                dues.push(due);
                let day = if sim.e.step == late_step {
                    let late = if working_days_only {
                        cal.add_working_days(due, 2)
                    } else {
                        plus(due, 2)
                    };
                    worked_on = Some(late);
                    late
                } else {
                    due
                };
                sim.work(at(day));
            }
            assert!(worked_on.is_some());
            for (i, (got, on_time)) in dues.iter().zip(&base).enumerate() {
                let want = if i <= late_step {
                    *on_time
                } else if working_days_only {
                    cal.add_working_days(*on_time, 2)
                } else {
                    plus(*on_time, 2)
                };
                assert_eq!(
                    *got,
                    want,
                    "working_days_only={working_days_only}, step {} late, step {}",
                    late_step + 1,
                    i + 1
                );
            }
        }
    }
}

#[test]
fn a_start_on_a_non_working_day_rolls_forward() {
    // (start, calendar, first due)
    let cases = [
        ("2026-11-28", weekdays(), "2026-11-30"), // Saturday → Monday
        ("2026-11-29", weekdays(), "2026-11-30"), // Sunday → Monday
        ("2026-11-28", Calendar::every_day(), "2026-11-28"),
        (
            "2026-11-26",
            Calendar::new(&[Weekday::Mon, Weekday::Thu], []),
            "2026-11-26",
        ),
        (
            "2026-11-24",
            Calendar::new(&[Weekday::Mon, Weekday::Thu], []),
            "2026-11-26",
        ),
    ];
    for (start, cal, want) in cases {
        for working_days_only in [true, false] {
            let p = plan(
                working_days_only,
                &[(1, Channel::Email), (3, Channel::Call)],
            );
            let sim = Sim::start(&p, &cal, everyone(), d(start), at(d(start))).expect("enroll");
            assert_eq!(sim.due_date(), Some(d(want)), "start {start}");
            assert_eq!(sim.e.status, Status::Active);
        }
    }
}

#[test]
fn a_holiday_is_skipped() {
    let thanksgiving = d("2026-11-26");
    let cal = Calendar::new(
        &[
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ],
        [thanksgiving],
    );
    // Thu 26 is not a working day, so the day-4 connect moves to Fri 27; day 7 (Sunday 29)
    // rolls to Monday 30 as it would anyway.
    let dues = on_time(&builtin("cold-21"), &cal, d(MON));
    assert_eq!(
        dues[..5],
        dates(&[
            "2026-11-23",
            "2026-11-23",
            "2026-11-25",
            "2026-11-27",
            "2026-11-30"
        ])[..]
    );
    assert!(!dues.contains(&thanksgiving));
    // Calendar days: a landing on the holiday rolls to the next working day.
    let p = plan(false, &[(1, Channel::Email), (4, Channel::Email)]);
    let dues = on_time(&p, &cal, d(MON));
    assert_eq!(dues, dates(&["2026-11-23", "2026-11-27"]));
    // A start on the holiday rolls too.
    let sim = Sim::start(&p, &cal, everyone(), thanksgiving, at(thanksgiving)).expect("enroll");
    assert_eq!(sim.due_date(), Some(d("2026-11-27")));
}

#[test]
fn gap_zero_is_the_same_day_even_when_worked_late() {
    let p = plan(
        true,
        &[
            (1, Channel::Email),
            (1, Channel::Linkedin),
            (1, Channel::Call),
        ],
    );
    let cal = weekdays();
    assert_eq!(on_time(&p, &cal, d(MON)), vec![d(MON); 3]);
    let mut sim = Sim::start(&p, &cal, everyone(), d(MON), at(d(MON))).expect("enroll");
    sim.work(at(d("2026-11-26")));
    assert_eq!(sim.due_date(), Some(d("2026-11-26")));
}

#[test]
fn an_inbound_lead_is_due_the_moment_it_is_enrolled() {
    let inbound = builtin("inbound");
    let cal = weekdays();
    let now = d(MON).and_time(NaiveTime::from_hms_opt(14, 37, 0).expect("time"));
    let sim = Sim::start(&inbound, &cal, everyone(), d(MON), now).expect("enroll");
    assert_eq!(
        sim.e.due,
        Some(now),
        "due at 14:37, not at the start of the day"
    );
    // A cold sequence enrolled at the same minute is due for the day, from its start.
    let cold = builtin("cold-7");
    let sim = Sim::start(&cold, &cal, everyone(), d(MON), now).expect("enroll");
    assert_eq!(sim.e.due, Some(d(MON).and_time(NaiveTime::MIN)));
    // No phone for the first call: the same-day email is the first touch, due at once.
    let no_phone = Reachability {
        phone: false,
        ..everyone()
    };
    let sim = Sim::start(&inbound, &cal, no_phone, d(MON), now).expect("enroll");
    assert_eq!(sim.e.step, 1);
    assert_eq!(sim.e.due, Some(now));
    // An inbound enrollment that starts later is due on its start day.
    let sim = Sim::start(&inbound, &cal, everyone(), d("2026-11-25"), now).expect("enroll");
    assert_eq!(sim.e.due, Some(d("2026-11-25").and_time(NaiveTime::MIN)));
}

#[test]
fn an_unreachable_step_is_skipped_with_the_reason_logged() {
    let p = builtin("cold-21");
    let cal = weekdays();
    let no_phone = Reachability {
        phone: false,
        ..everyone()
    };
    let mut sim = Sim::start(&p, &cal, no_phone, d(MON), at(d(MON))).expect("enroll");
    sim.work(at(d(MON))); // email
    sim.work(at(d(MON))); // LinkedIn view; step 3 is a call
    assert_eq!(sim.e.step, 3, "the call step is passed over");
    // The connect keeps its planned distance from the last worked step (day 1 → day 4).
    assert_eq!(sim.due_date(), Some(d("2026-11-26")));
    let skip = sim
        .log
        .iter()
        .find(|r| r.outcome == Outcome::Skipped)
        .expect("a skip record");
    assert_eq!(skip.step, Some(2));
    assert_eq!(skip.channel, Some(Channel::Call));
    assert!(
        skip.reason
            .as_deref()
            .unwrap_or("")
            .contains("no working phone number"),
        "{skip:?}"
    );
    // Worked to the end, no call step is ever due.
    let rest = sim.run(&|_| 0);
    assert_eq!(
        rest.len(),
        5,
        "connect, email, message, email, email: {rest:?}"
    );
    let skipped: Vec<_> = sim
        .log
        .iter()
        .filter(|r| r.outcome == Outcome::Skipped)
        .map(|r| r.step)
        .collect();
    assert_eq!(skipped, vec![Some(2), Some(5), Some(8)]);
    assert_eq!(sim.e.last_worked_step, Some(9));
}

#[test]
fn a_first_step_that_cannot_be_reached_is_skipped_at_enrollment() {
    let p = plan(true, &[(1, Channel::Email), (3, Channel::Linkedin)]);
    let no_email = Reachability {
        email: false,
        ..everyone()
    };
    let cal = weekdays();
    let sim = Sim::start(&p, &cal, no_email, d(MON), at(d(MON))).expect("enroll");
    assert_eq!(sim.e.step, 1);
    assert_eq!(
        sim.due_date(),
        Some(d("2026-11-25")),
        "day 3 from the start"
    );
    assert_eq!(sim.log.len(), 1);
    assert!(sim.log[0].reason.as_deref().unwrap_or("").contains("email"));
    // Nobody to reach on any step: refused.
    let nobody = Reachability::default();
    assert_eq!(
        Sim::start(&p, &cal, nobody, d(MON), at(d(MON))).err(),
        Some(EngineError::Unreachable)
    );
}

#[test]
fn a_proposal_times_its_late_steps_to_the_decision_date() {
    use touchbase::domain::{Ctx, Terms, enroll_on_terms};
    let plan = builtin("proposal");
    let cal = weekdays();
    let start = d(MON);
    let ctx = |now| Ctx {
        plan: &plan,
        reach: everyone(),
        now,
        cal: &cal,
    };
    // Without a decision date there is nothing to time them to.
    assert_eq!(
        enroll_on_terms(&ctx(at(start)), opening(start), Terms::default()).err(),
        Some(EngineError::NeedsDecision)
    );
    // Enrolls on these terms and works every touch the day it falls due.
    let dues_worked_on_time = |terms| {
        let mut e = enroll_on_terms(&ctx(at(start)), opening(start), terms)
            .expect("enroll")
            .enrollment;
        let mut dues = Vec::new();
        while let Some(due) = e.due {
            dues.push(due.date());
            let channel = plan.steps[e.step].channel;
            let event = touchbase::domain::Event::Work(crate::sim::worked(channel));
            e = touchbase::domain::apply(&ctx(at(due.date())), &e, &event)
                .expect("work")
                .enrollment;
        }
        dues
    };
    // Decision on Friday 11 December: three days before is Tuesday 8, the day before is
    // Thursday 10, two days after is Sunday 13, rolled to Monday 14.
    let terms = Terms {
        decision_on: Some(d("2026-12-11")),
        until: None,
    };
    assert_eq!(
        dues_worked_on_time(terms),
        dates(&[
            "2026-11-23",
            "2026-11-25",
            "2026-12-08",
            "2026-12-10",
            "2026-12-14"
        ])
    );
    // A decision so close that its steps would come before the call: each follows the touch
    // before it on the next working day instead.
    let terms = Terms {
        decision_on: Some(d("2026-11-25")),
        until: None,
    };
    assert_eq!(
        dues_worked_on_time(terms),
        dates(&[
            "2026-11-23",
            "2026-11-25",
            "2026-11-26",
            "2026-11-27",
            "2026-11-30"
        ])
    );
}

#[test]
fn an_end_date_closes_the_enrollment_as_removed_when_the_timeline_passes() {
    use touchbase::domain::{Ctx, Exit, Terms, enroll_on_terms};
    let plan = builtin("cold-7");
    let cal = weekdays();
    let start = d(MON);
    let ctx = |now| Ctx {
        plan: &plan,
        reach: everyone(),
        now,
        cal: &cal,
    };
    let terms = Terms {
        decision_on: None,
        until: Some(d("2026-11-30")),
    };
    let e = enroll_on_terms(&ctx(at(start)), opening(start), terms)
        .expect("enroll")
        .enrollment;
    // Worked on time: the opener, then day 3; day 5 (Fri 27) still falls before the end.
    let mut e = e;
    for day in ["2026-11-23", "2026-11-25", "2026-11-27"] {
        e = touchbase::domain::apply(
            &ctx(at(d(day))),
            &e,
            &touchbase::domain::Event::Work(crate::sim::worked(plan.steps[e.step].channel)),
        )
        .expect("work")
        .enrollment;
    }
    // Day 7 would be Mon 30 Nov, the end date itself: the enrollment ends instead.
    assert_eq!(e.status, Status::Closed(Exit::Removed));
    assert_eq!(e.exit_reason.as_deref(), Some("timeline passed"));
    assert_eq!(e.due, None);
    // Left unworked past its end, it closes at the next event, and nothing is due.
    let e = enroll_on_terms(&ctx(at(start)), opening(start), terms)
        .expect("enroll")
        .enrollment;
    let late = touchbase::domain::apply(
        &ctx(at(d("2026-12-01"))),
        &e,
        &touchbase::domain::Event::Work(Outcome::Sent),
    );
    assert_eq!(late.err(), Some(EngineError::Closed(Exit::Removed)));
}

#[test]
fn an_overdue_touch_is_still_overdue_after_a_pause_and_resume() {
    use touchbase::domain::Event;
    let plan = builtin("classic-4");
    let cal = weekdays();
    let mon = d(MON);
    let mut sim = Sim::start(&plan, &cal, everyone(), mon, at(mon)).expect("enroll");
    // The opener was due Monday; on Thursday it is three days late, paused and resumed.
    let thu = at(d("2026-11-26"));
    sim.apply(Event::Pause { until: None }, thu).expect("pause");
    sim.apply(Event::Resume, thu).expect("resume");
    assert_eq!(sim.due_date(), Some(mon), "still due Monday: still overdue");
}

/// Prospect 1's first enrollment on version 1, from `start`.
fn opening(start: chrono::NaiveDate) -> touchbase::domain::Opening {
    touchbase::domain::Opening {
        prospect_id: 1,
        version_id: 1,
        start,
        ordinal: 0,
    }
}
