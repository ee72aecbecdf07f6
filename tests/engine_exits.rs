//! The six exits of the cadence engine and their effects, plus wrong numbers, through the
//! pure functions.

use crate::sim::{Sim, at, builtin, d, everyone, plan, plus};
use touchbase::domain::{Calendar, Channel, Effect, EngineError, Event, Exit, Outcome, Status};

const MON: &str = "2026-11-23";

fn started(p: &touchbase::domain::Plan) -> Sim<'_> {
    // The calendar lives for the whole test binary: it is a constant.
    static CAL: std::sync::OnceLock<Calendar> = std::sync::OnceLock::new();
    let cal = CAL.get_or_init(Calendar::default);
    Sim::start(p, cal, everyone(), d(MON), at(d(MON))).expect("enroll")
}

/// Asserts the closed state every exit shares: nothing due, nothing paused.
fn assert_closed(sim: &Sim, exit: Exit) {
    assert_eq!(sim.e.status, Status::Closed(exit));
    assert_eq!(sim.e.due, None);
    assert_eq!(sim.e.paused_gap, None);
    assert_eq!(sim.e.resume_on, None);
    assert!(sim.e.closed_at.is_some());
}

#[test]
fn a_reply_is_attributed_to_the_last_worked_step() {
    let p = builtin("cold-21");
    // (steps worked before the reply, the step credited)
    for (worked, credited) in [(0, None), (1, Some(0)), (3, Some(2)), (7, Some(6))] {
        for (event, exit, outcome) in [
            (Event::Replied, Exit::Replied, Outcome::Replied),
            (Event::Meeting, Exit::Meeting, Outcome::Meeting),
        ] {
            let mut sim = started(&p);
            for _ in 0..worked {
                let due = sim.due_date().expect("due");
                sim.work(at(due));
            }
            let t = sim
                .apply(event.clone(), at(d("2026-12-22")))
                .expect("reply");
            assert_closed(&sim, exit);
            assert_eq!(t.records.len(), 1);
            assert_eq!(t.records[0].outcome, outcome);
            assert_eq!(t.records[0].attributed_step, credited, "{worked} worked");
            assert_eq!(t.records[0].step, credited);
            assert!(t.effects.is_empty(), "a reply puts no one on any list");
        }
    }
}

#[test]
fn a_reply_after_a_skip_still_counts_for_the_step_before_it() {
    let p = builtin("cold-21");
    let mut sim = started(&p);
    for _ in 0..3 {
        sim.work(at(d(MON)));
    }
    sim.apply(
        Event::Skip {
            reason: "busy".into(),
        },
        at(d("2026-11-26")),
    )
    .expect("skip");
    let t = sim
        .apply(Event::Replied, at(d("2026-11-27")))
        .expect("reply");
    assert_eq!(
        t.records[0].attributed_step,
        Some(2),
        "step 3, not the skipped 4"
    );
}

#[test]
fn a_connected_call_closes_as_replied_credited_to_that_call() {
    let p = builtin("cold-21");
    let mut sim = started(&p);
    sim.work(at(d(MON)));
    sim.work(at(d(MON)));
    assert_eq!(p.steps[sim.e.step].channel, Channel::Call);
    let t = sim
        .apply(Event::Work(Outcome::Connected), at(d("2026-11-25")))
        .expect("connected");
    assert_closed(&sim, Exit::Replied);
    let outcomes: Vec<_> = t.records.iter().map(|r| r.outcome).collect();
    assert_eq!(outcomes, vec![Outcome::Connected, Outcome::Replied]);
    assert!(t.records[0].is_touch, "the call itself is a touch");
    assert_eq!(t.records[1].attributed_step, Some(2));
    assert_eq!(sim.e.last_worked_step, Some(2));
}

#[test]
fn an_opt_out_puts_the_person_on_the_list_and_closes_everything() {
    let p = builtin("cold-21");
    let mut sim = started(&p);
    sim.work(at(d(MON)));
    let t = sim
        .apply(Event::OptedOut, at(d("2026-11-24")))
        .expect("opt out");
    assert_closed(&sim, Exit::OptedOut);
    assert_eq!(t.records.len(), 1);
    assert_eq!(t.records[0].outcome, Outcome::OptedOut);
    assert!(t.effects.contains(&Effect::DoNotContact), "{:?}", t.effects);
    assert!(
        t.effects.contains(&Effect::CloseOthers(Exit::OptedOut)),
        "{:?}",
        t.effects
    );
    // Closed for good: nothing else applies, not even a reply.
    for later in [
        Event::Work(Outcome::Sent),
        Event::Replied,
        Event::Meeting,
        Event::Resume,
        Event::Skip { reason: "x".into() },
    ] {
        assert_eq!(
            sim.apply(later.clone(), at(d("2026-11-25"))).err(),
            Some(EngineError::Closed(Exit::OptedOut)),
            "{later:?}"
        );
    }
}

#[test]
fn a_bounce_with_no_non_email_step_left_closes_as_bounced() {
    // Every step left is an email: nothing can go out any more.
    let p = plan(
        true,
        &[
            (1, Channel::Email),
            (3, Channel::Email),
            (6, Channel::Email),
        ],
    );
    let mut sim = started(&p);
    let t = sim
        .apply(Event::Work(Outcome::Bounced), at(d(MON)))
        .expect("bounce");
    assert_closed(&sim, Exit::Bounced);
    assert!(t.effects.contains(&Effect::MarkEmailBad));
    assert!(
        !t.effects.iter().any(|e| matches!(e, Effect::RestUntil(_))),
        "a bounce is not a finished sequence: {:?}",
        t.effects
    );
    // With a call left, the call still goes ahead and the emails in between are skipped.
    let p = plan(
        true,
        &[(1, Channel::Email), (3, Channel::Email), (6, Channel::Call)],
    );
    let mut sim = started(&p);
    sim.apply(Event::Work(Outcome::Bounced), at(d(MON)))
        .expect("bounce");
    assert_eq!(sim.e.status, Status::Active);
    assert_eq!(sim.e.step, 2);
    assert_eq!(
        sim.due_date(),
        Some(d("2026-11-30")),
        "day 1 → day 6 is 5 working days"
    );
    assert!(!sim.reach.email);
}

#[test]
fn completion_rests_the_prospect_for_the_cool_off() {
    let mut p = builtin("classic-4");
    for cool_off in [30, 0, 90] {
        p.cool_off_days = cool_off;
        let mut sim = started(&p);
        let dues = sim.run(&|_| 0);
        assert_eq!(dues.len(), 4);
        assert_closed(&sim, Exit::Completed);
        let last_worked = *dues.last().expect("dues");
        assert_eq!(
            sim.effects.last(),
            Some(&Effect::RestUntil(plus(last_worked, u64::from(cool_off)))),
        );
        assert_eq!(sim.e.step, 4);
        assert_eq!(sim.e.last_worked_step, Some(3));
        // A reply to the breakup after completion still counts, for the breakup.
        let t = sim
            .apply(Event::Replied, at(plus(last_worked, 3)))
            .expect("late reply");
        assert_eq!(sim.e.status, Status::Closed(Exit::Replied));
        assert_eq!(sim.e.due, None);
        assert_eq!(t.records[0].attributed_step, Some(3));
    }
}

#[test]
fn removal_closes_with_the_reason() {
    let p = builtin("cold-7");
    let mut sim = started(&p);
    sim.work(at(d(MON)));
    let t = sim
        .apply(
            Event::Remove {
                reason: "deal closed through a partner".into(),
            },
            at(d("2026-11-24")),
        )
        .expect("remove");
    assert_closed(&sim, Exit::Removed);
    assert_eq!(
        sim.e.exit_reason.as_deref(),
        Some("deal closed through a partner")
    );
    assert_eq!(t.records[0].outcome, Outcome::Removed);
    assert_eq!(
        t.records[0].reason.as_deref(),
        Some("deal closed through a partner")
    );
    assert!(t.effects.is_empty());
    // A paused enrollment can be removed too.
    let mut sim = started(&p);
    sim.apply(Event::Pause { until: None }, at(d(MON)))
        .expect("pause");
    sim.apply(
        Event::Remove {
            reason: "left the company".into(),
        },
        at(d(MON)),
    )
    .expect("remove");
    assert_closed(&sim, Exit::Removed);
}

#[test]
fn a_wrong_number_marks_the_phone_bad_and_later_calls_skip() {
    let p = builtin("cold-21");
    let mut sim = started(&p);
    sim.work(at(d(MON)));
    sim.work(at(d(MON)));
    let t = sim
        .apply(Event::Work(Outcome::WrongNumber), at(d("2026-11-25")))
        .expect("wrong number");
    assert_eq!(t.effects, vec![Effect::MarkPhoneBad]);
    assert_eq!(t.records[0].outcome, Outcome::WrongNumber);
    assert!(t.records[0].is_touch);
    assert_eq!(sim.e.status, Status::Active);
    // The rest of the sequence runs without a single call.
    sim.run(&|_| 0);
    assert_closed(&sim, Exit::Completed);
    let calls_worked = sim
        .log
        .iter()
        .filter(|r| r.is_touch && r.channel == Some(Channel::Call))
        .count();
    assert_eq!(calls_worked, 1, "only the wrong number itself");
    let skipped: Vec<_> = sim
        .log
        .iter()
        .filter(|r| r.outcome == Outcome::Skipped)
        .map(|r| (r.step, r.reason.clone().unwrap_or_default()))
        .collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    for (step, reason) in skipped {
        assert!(matches!(step, Some(5) | Some(8)), "{step:?}");
        assert!(reason.contains("phone"), "{reason}");
    }
}

#[test]
fn a_wrong_number_on_the_last_call_with_only_calls_left_completes() {
    let p = plan(true, &[(1, Channel::Call), (2, Channel::Call)]);
    let mut sim = started(&p);
    sim.apply(Event::Work(Outcome::WrongNumber), at(d(MON)))
        .expect("wrong number");
    assert_closed(&sim, Exit::Completed);
    assert_eq!(sim.log.last().map(|r| r.outcome), Some(Outcome::Skipped));
}
