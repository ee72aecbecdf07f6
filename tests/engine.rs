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

#[test]
fn cold_21_on_working_days_from_monday_23_november() {
    let dues = on_time(&builtin("cold-21"), &weekdays(), d(MON));
    // Gaps of 0, 2, 1, 3, 2, 2, 3, 3, 4 working days, weekends stepped over.
    let expected = dates(&[
        "2026-11-23", // Mon, day 1 email
        "2026-11-23", // Mon, day 1 LinkedIn view
        "2026-11-25", // Wed, +2
        "2026-11-26", // Thu, +1
        "2026-12-01", // Tue, +3 over the weekend
        "2026-12-03", // Thu, +2
        "2026-12-07", // Mon, +2 over the weekend
        "2026-12-10", // Thu, +3
        "2026-12-15", // Tue, +3 over the weekend
        "2026-12-21", // Mon, +4 over the weekend
    ]);
    assert_eq!(dues, expected);
    let cal = weekdays();
    assert!(dues.iter().all(|x| cal.is_working(*x)));
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
    // Working days: Thu 26 is not one, so the day-4 connect moves to Fri 27 and
    // everything after it counts from there.
    let dues = on_time(&builtin("cold-21"), &cal, d(MON));
    assert_eq!(
        dues[..5],
        dates(&[
            "2026-11-23",
            "2026-11-23",
            "2026-11-25",
            "2026-11-27",
            "2026-12-02"
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
