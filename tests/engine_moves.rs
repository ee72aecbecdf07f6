//! The engine's moves on a running enrollment, through the pure functions: pause and resume,
//! a return date, snooze, skip, and outcomes that do not fit the step's channel.

use crate::sim::{Sim, at, builtin, d, everyone, plan};
use touchbase::domain::{Calendar, Channel, EngineError, Event, Outcome, Status};

const MON: &str = "2026-11-23";

fn weekdays() -> Calendar {
    Calendar::default()
}

#[test]
fn pause_keeps_the_remaining_gap_and_resume_restores_it() {
    // (working_days_only, calendar, paused on, resumed on, gap left, due after resume)
    let cases = [
        // Due Mon 30 (5 working days after Mon 23); paused Wed 25 with Thu, Fri, Mon left.
        (
            true,
            weekdays(),
            "2026-11-25",
            "2026-12-07",
            3,
            "2026-12-10",
        ),
        // Resumed on a Saturday: the 3 working days left are Mon, Tue, Wed.
        (
            true,
            weekdays(),
            "2026-11-25",
            "2026-12-05",
            3,
            "2026-12-09",
        ),
        // Paused and resumed on the same day: nothing moves.
        (
            true,
            weekdays(),
            "2026-11-25",
            "2026-11-25",
            3,
            "2026-11-30",
        ),
        (
            true,
            weekdays(),
            "2026-11-28",
            "2026-11-28",
            1,
            "2026-11-30",
        ),
        // Calendar days: due Sat 28 (every day works); paused Wed 25 with 3 days left.
        (
            false,
            Calendar::every_day(),
            "2026-11-25",
            "2026-12-07",
            3,
            "2026-12-10",
        ),
    ];
    for (wd, cal, paused_on, resumed_on, gap, want) in cases {
        let p = plan(wd, &[(1, Channel::Email), (6, Channel::Email)]);
        let mut sim = Sim::start(&p, &cal, everyone(), d(MON), at(d(MON))).expect("enroll");
        sim.work(at(d(MON)));
        sim.apply(Event::Pause { until: None }, at(d(paused_on)))
            .expect("pause");
        assert_eq!(sim.e.status, Status::Paused);
        assert_eq!(sim.e.paused_gap, Some(gap));
        assert_eq!(sim.e.due, None, "a paused enrollment without a date waits");
        // Nothing can be worked, skipped or snoozed while paused.
        for refused in [
            Event::Work(Outcome::Sent),
            Event::Skip { reason: "x".into() },
            Event::Snooze {
                until: d("2026-12-20"),
            },
            Event::Pause { until: None },
        ] {
            assert!(
                sim.apply(refused.clone(), at(d("2026-11-30"))).is_err(),
                "{refused:?}"
            );
        }
        sim.apply(Event::Resume, at(d(resumed_on))).expect("resume");
        assert_eq!(sim.e.status, Status::Active);
        assert_eq!(sim.e.paused_gap, None);
        assert_eq!(
            sim.due_date(),
            Some(d(want)),
            "wd={wd} resumed {resumed_on}"
        );
        assert_eq!(
            sim.apply(Event::Resume, at(d(resumed_on))).err(),
            Some(EngineError::NotPaused)
        );
    }
}

#[test]
fn a_pause_with_a_return_date_becomes_due_by_itself() {
    let p = plan(
        true,
        &[(1, Channel::Email), (6, Channel::Email), (8, Channel::Call)],
    );
    let cal = weekdays();
    let mut sim = Sim::start(&p, &cal, everyone(), d(MON), at(d(MON))).expect("enroll");
    sim.work(at(d(MON)));
    // Out of office until Sat 5 Dec: the 3 working days that were left run Mon, Tue, Wed.
    sim.apply(
        Event::Pause {
            until: Some(d("2026-12-05")),
        },
        at(d("2026-11-25")),
    )
    .expect("pause");
    assert_eq!(sim.e.status, Status::Paused);
    assert_eq!(sim.e.resume_on, Some(d("2026-12-05")));
    assert_eq!(sim.due_date(), Some(d("2026-12-09")));
    // No "resume" needed: working the step on its date resumes and logs why.
    let t = sim
        .apply(Event::Work(Outcome::Sent), at(d("2026-12-09")))
        .expect("work");
    assert_eq!(t.records[0].outcome, Outcome::Resumed);
    assert_eq!(t.records[1].outcome, Outcome::Sent);
    assert_eq!(sim.e.status, Status::Active);
    assert_eq!(
        sim.due_date(),
        Some(d("2026-12-11")),
        "2 working days after Wed 9"
    );
    // A return date that is not in the future is refused.
    assert_eq!(
        sim.apply(
            Event::Pause {
                until: Some(d("2026-12-10"))
            },
            at(d("2026-12-10"))
        )
        .err(),
        Some(EngineError::ReturnNotLater(d("2026-12-10")))
    );
}

#[test]
fn snooze_moves_only_the_current_touch() {
    let p = plan(
        true,
        &[(1, Channel::Email), (3, Channel::Call), (5, Channel::Email)],
    );
    let cal = weekdays();
    let mut sim = Sim::start(&p, &cal, everyone(), d(MON), at(d(MON))).expect("enroll");
    sim.work(at(d(MON)));
    assert_eq!(sim.due_date(), Some(d("2026-11-25")));
    // Snoozed to Saturday: the next working day, Monday; the step stays the same.
    sim.apply(
        Event::Snooze {
            until: d("2026-11-28"),
        },
        at(d("2026-11-25")),
    )
    .expect("snooze");
    assert_eq!(sim.e.step, 1);
    assert_eq!(sim.due_date(), Some(d("2026-11-30")));
    assert_eq!(sim.e.status, Status::Active);
    // The step after keeps its full gap from the day the snoozed one is worked.
    sim.work(at(d("2026-11-30")));
    assert_eq!(sim.due_date(), Some(d("2026-12-02")));
    // A snooze never pulls a touch forward: that would squeeze the spacing.
    assert_eq!(sim.due_date(), Some(d("2026-12-02")));
    assert_eq!(
        sim.apply(
            Event::Snooze {
                until: d("2026-12-01")
            },
            at(d("2026-11-30"))
        )
        .err(),
        Some(EngineError::SnoozeEarlier {
            until: d("2026-12-01"),
            earliest: d("2026-12-02")
        })
    );
    // A touch moved later than its planned day (time off, a full day) may be snoozed back
    // towards that day, though never before it.
    sim.e.due = Some(d("2026-12-09").and_time(chrono::NaiveTime::MIN));
    sim.apply(
        Event::Snooze {
            until: d("2026-12-03"),
        },
        at(d("2026-11-30")),
    )
    .expect("back towards the planned day");
    assert_eq!(sim.due_date(), Some(d("2026-12-03")));
    assert!(
        sim.apply(
            Event::Snooze {
                until: d("2026-12-01")
            },
            at(d("2026-11-30"))
        )
        .is_err()
    );
    // Snoozing to today (or earlier) is no snooze.
    assert_eq!(
        sim.apply(
            Event::Snooze {
                until: d("2026-11-30")
            },
            at(d("2026-11-30"))
        )
        .err(),
        Some(EngineError::SnoozeNotLater(d("2026-11-30")))
    );
}

#[test]
fn skip_logs_the_reason_and_advances() {
    let p = builtin("cold-21");
    let cal = weekdays();
    let mut sim = Sim::start(&p, &cal, everyone(), d(MON), at(d(MON))).expect("enroll");
    sim.work(at(d(MON)));
    sim.work(at(d(MON)));
    let t = sim
        .apply(
            Event::Skip {
                reason: "number is a switchboard".into(),
            },
            at(d("2026-11-25")),
        )
        .expect("skip");
    assert_eq!(t.records.len(), 1);
    assert_eq!(t.records[0].outcome, Outcome::Skipped);
    assert_eq!(t.records[0].step, Some(2));
    assert_eq!(
        t.records[0].reason.as_deref(),
        Some("number is a switchboard")
    );
    assert!(!t.records[0].is_touch, "a skipped step is not a touch");
    assert_eq!(sim.e.step, 3);
    // Day 3 → day 4 is one working day from the skip.
    assert_eq!(sim.due_date(), Some(d("2026-11-26")));
    // A skip is not work: a reply now is still credited to the LinkedIn view (step 2).
    assert_eq!(sim.e.last_worked_step, Some(1));
}

#[test]
fn skipping_a_touch_before_its_day_does_not_bring_the_next_one_forward() {
    let p = plan(
        true,
        &[(1, Channel::Email), (4, Channel::Call), (6, Channel::Email)],
    );
    let cal = weekdays();
    let mut sim = Sim::start(&p, &cal, everyone(), d(MON), at(d(MON))).expect("enroll");
    sim.work(at(d(MON)));
    assert_eq!(sim.due_date(), Some(d("2026-11-26")));
    // Skipped on Tuesday, two days early: step 3 counts from Thursday, when step 2 was due.
    sim.apply(
        Event::Skip {
            reason: "no phone hours".into(),
        },
        at(d("2026-11-24")),
    )
    .expect("skip");
    assert_eq!(sim.due_date(), Some(d("2026-11-30")));
}

#[test]
fn outcomes_that_do_not_fit_the_channel_are_refused() {
    let p = plan(
        true,
        &[
            (1, Channel::Email),
            (2, Channel::Call),
            (3, Channel::Linkedin),
            (4, Channel::Sms),
            (5, Channel::Task),
        ],
    );
    let cal = weekdays();
    // (step, outcome, accepted as)
    let cases: &[(usize, Outcome, Option<Outcome>)] = &[
        (0, Outcome::Sent, Some(Outcome::Sent)),
        (0, Outcome::Bounced, Some(Outcome::Bounced)),
        (0, Outcome::Done, Some(Outcome::Sent)),
        (0, Outcome::Voicemail, None),
        (0, Outcome::Connected, None),
        (0, Outcome::WrongNumber, None),
        (1, Outcome::Connected, Some(Outcome::Connected)),
        (1, Outcome::Voicemail, Some(Outcome::Voicemail)),
        (1, Outcome::NoAnswer, Some(Outcome::NoAnswer)),
        (1, Outcome::Gatekeeper, Some(Outcome::Gatekeeper)),
        (1, Outcome::WrongNumber, Some(Outcome::WrongNumber)),
        (1, Outcome::Sent, None),
        (1, Outcome::Bounced, None),
        (1, Outcome::Done, None),
        (2, Outcome::Done, Some(Outcome::Done)),
        (2, Outcome::Sent, Some(Outcome::Done)),
        (2, Outcome::Bounced, None),
        (2, Outcome::Voicemail, None),
        (3, Outcome::Done, Some(Outcome::Done)),
        (3, Outcome::Connected, None),
        (4, Outcome::Done, Some(Outcome::Done)),
        (4, Outcome::NoAnswer, None),
    ];
    for (i, outcome, accepted) in cases {
        let mut sim = Sim::start(&p, &cal, everyone(), d(MON), at(d(MON))).expect("enroll");
        while sim.e.step < *i {
            sim.work(at(d(MON)));
        }
        let before = sim.e.clone();
        match (
            sim.apply(Event::Work(*outcome), at(d("2026-12-01"))),
            accepted,
        ) {
            (Ok(t), Some(as_)) => assert_eq!(t.records[0].outcome, *as_, "{outcome} on {i}"),
            (Err(EngineError::WrongOutcome { step, .. }), None) => {
                assert_eq!(step, i + 1);
                assert_eq!(sim.e, before, "a refusal changes nothing");
            }
            (got, _) => panic!("step {i} {outcome}: {got:?}"),
        }
    }
}
