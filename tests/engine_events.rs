//! Each of the engine's event rules on its own, as a table of cases worked by hand: a
//! three-step plan (an email on day 1, a call on day 3, an email on day 5, working days
//! only), started on Monday 23 November 2026.

use crate::sim::{Sim, at, d, everyone, plan};
use chrono::NaiveDate;
use touchbase::domain::{
    Calendar, Channel, Effect, EngineError, Event, Exit, Outcome, Plan, Status,
};

const MON: &str = "2026-11-23";

fn three_steps() -> Plan {
    plan(
        true,
        &[(1, Channel::Email), (3, Channel::Call), (5, Channel::Email)],
    )
}

/// The state a case starts from, on the Monday the enrollment started.
#[derive(Clone, Copy, Debug)]
enum From {
    /// Step 1 due today, nothing worked.
    Fresh,
    /// Step 1 sent today; step 2 (the call) due Wednesday.
    OneSent,
    /// Paused today, with no return date, before step 1.
    Paused,
    /// Every step worked: completed.
    Completed,
    /// Step 1 sent, then a reply: closed as replied.
    Replied,
}

fn sim_from<'a>(p: &'a Plan, cal: &'a Calendar, from: From) -> Sim<'a> {
    let mon = d(MON);
    let mut sim = Sim::start(p, cal, everyone(), mon, at(mon)).expect("enroll");
    match from {
        From::Fresh => {}
        From::OneSent => {
            sim.work(at(mon));
        }
        From::Paused => {
            sim.apply(Event::Pause { until: None }, at(mon))
                .expect("pause");
        }
        From::Completed => {
            sim.run(&|_| 0);
        }
        From::Replied => {
            sim.work(at(mon));
            sim.apply(Event::Replied, at(mon)).expect("reply");
        }
    }
    sim.log.clear();
    sim.effects.clear();
    sim
}

/// What an event left: the status, the next step (1-based), its due day, the outcomes
/// recorded and the effects asked for.
#[derive(Debug, PartialEq)]
struct After {
    status: Status,
    step: usize,
    due: Option<NaiveDate>,
    outcomes: Vec<Outcome>,
    effects: Vec<Effect>,
}

fn run(from: From, event: Event, on: &str) -> Result<After, EngineError> {
    let p = three_steps();
    let cal = Calendar::default();
    let mut sim = sim_from(&p, &cal, from);
    sim.apply(event, at(d(on)))?;
    Ok(After {
        status: sim.e.status,
        step: sim.e.step + 1,
        due: sim.e.due.map(|x| x.date()),
        outcomes: sim.log.iter().map(|r| r.outcome).collect(),
        effects: sim.effects.clone(),
    })
}

fn after(status: Status, step: usize, due: Option<&str>, outcomes: &[Outcome]) -> After {
    After {
        status,
        step,
        due: due.map(d),
        outcomes: outcomes.to_vec(),
        effects: Vec::new(),
    }
}

fn with(mut a: After, effects: &[Effect]) -> After {
    a.effects = effects.to_vec();
    a
}

#[test]
fn work_logs_the_touch_and_schedules_the_next_step() {
    use Outcome::*;
    let active = Status::Active;
    let cases: Vec<(From, Outcome, Result<After, EngineError>)> = vec![
        // Sent on Monday: the call is two working days on, Wednesday.
        (
            From::Fresh,
            Sent,
            Ok(after(active, 2, Some("2026-11-25"), &[Sent])),
        ),
        // A bounce marks the address bad; the call still comes.
        (
            From::Fresh,
            Bounced,
            Ok(with(
                after(active, 2, Some("2026-11-25"), &[Bounced]),
                &[Effect::MarkEmailBad],
            )),
        ),
        // A wrong number marks the phone bad; the last email is two working days on.
        (
            From::OneSent,
            WrongNumber,
            Ok(with(
                after(active, 3, Some("2026-11-25"), &[WrongNumber]),
                &[Effect::MarkPhoneBad],
            )),
        ),
        // A connected call is a conversation: closed as replied.
        (
            From::OneSent,
            Connected,
            Ok(after(
                Status::Closed(Exit::Replied),
                2,
                None,
                &[Connected, Replied],
            )),
        ),
        // A call's outcome does not fit an email step.
        (
            From::Fresh,
            NoAnswer,
            Err(EngineError::WrongOutcome {
                outcome: NoAnswer,
                step: 1,
                channel: Channel::Email,
                allowed: "sent, bounced".to_string(),
            }),
        ),
        (From::Paused, Sent, Err(EngineError::Paused)),
        (
            From::Completed,
            Sent,
            Err(EngineError::Closed(Exit::Completed)),
        ),
    ];
    for (from, outcome, want) in cases {
        let got = run(from, Event::Work(outcome), MON);
        assert_eq!(got, want, "{outcome} from {from:?}");
    }
}

#[test]
fn a_reply_or_a_meeting_closes_the_sequence_credited_to_the_last_step_worked() {
    let cases = [
        (From::OneSent, Event::Replied, Exit::Replied, Some(0)),
        (From::OneSent, Event::Meeting, Exit::Meeting, Some(0)),
        (From::Fresh, Event::Replied, Exit::Replied, None),
    ];
    for (from, event, exit, credited) in cases {
        let p = three_steps();
        let cal = Calendar::default();
        let mut sim = sim_from(&p, &cal, from);
        sim.apply(event.clone(), at(d(MON))).expect("answer");
        assert_eq!(sim.e.status, Status::Closed(exit), "{event:?}");
        assert_eq!(sim.e.due, None);
        let answer = sim.log.last().expect("a record");
        assert_eq!(answer.attributed_step, credited, "{event:?} from {from:?}");
    }
}

#[test]
fn an_opt_out_or_a_complaint_closes_every_sequence_and_lists_the_person() {
    let everything = [Effect::DoNotContact, Effect::CloseOthers(Exit::OptedOut)];
    let closed = Status::Closed(Exit::OptedOut);
    let cases = [
        (Event::OptedOut, Outcome::OptedOut),
        (Event::Complained, Outcome::Complained),
    ];
    for (event, outcome) in cases {
        let got = run(From::OneSent, event, MON).expect("opt out");
        assert_eq!(got, with(after(closed, 2, None, &[outcome]), &everything));
    }
}

#[test]
fn a_skip_moves_on_counting_from_the_day_the_skipped_touch_was_due() {
    let skip = || Event::Skip {
        reason: "no time".to_string(),
    };
    let active = Status::Active;
    let cases = [
        // Skipped on its own day: the call two working days on.
        (
            From::Fresh,
            MON,
            Ok(after(active, 2, Some("2026-11-25"), &[Outcome::Skipped])),
        ),
        // Skipped ahead of its day (the call, due Wednesday, skipped on Monday): the last
        // email counts from Wednesday, not from Monday.
        (
            From::OneSent,
            MON,
            Ok(after(active, 3, Some("2026-11-27"), &[Outcome::Skipped])),
        ),
        (From::Paused, MON, Err(EngineError::Paused)),
    ];
    for (from, on, want) in cases {
        assert_eq!(run(from, skip(), on), want, "from {from:?}");
    }
}

#[test]
fn a_snooze_moves_the_touch_to_a_later_working_day_never_before_its_plan() {
    let snooze = |until: &str| Event::Snooze { until: d(until) };
    let active = Status::Active;
    let snoozed = [Outcome::Snoozed];
    let cases = [
        (
            From::Fresh,
            "2026-11-26",
            Ok(after(active, 1, Some("2026-11-26"), &snoozed)),
        ),
        // Saturday rolls to Monday.
        (
            From::Fresh,
            "2026-11-28",
            Ok(after(active, 1, Some("2026-11-30"), &snoozed)),
        ),
        (From::Fresh, MON, Err(EngineError::SnoozeNotLater(d(MON)))),
        // The call is planned for Wednesday: Tuesday would squeeze the spacing.
        (
            From::OneSent,
            "2026-11-24",
            Err(EngineError::SnoozeEarlier {
                until: d("2026-11-24"),
                earliest: d("2026-11-25"),
            }),
        ),
        (From::Paused, "2026-11-26", Err(EngineError::Paused)),
    ];
    for (from, until, want) in cases {
        assert_eq!(run(from, snooze(until), MON), want, "{until} from {from:?}");
    }
}

#[test]
fn a_pause_keeps_the_gap_and_comes_back_by_itself_on_its_return_date() {
    let paused = Status::Paused;
    let mark = [Outcome::Paused];
    let cases = [
        (From::Fresh, None, Ok(after(paused, 1, None, &mark))),
        // Nothing was left of the gap: due the day it is back.
        (
            From::Fresh,
            Some("2026-11-25"),
            Ok(after(paused, 1, Some("2026-11-25"), &mark)),
        ),
        // Two working days were left before the call: due two working days after Friday.
        (
            From::OneSent,
            Some("2026-11-27"),
            Ok(after(paused, 2, Some("2026-12-01"), &mark)),
        ),
        (
            From::Fresh,
            Some(MON),
            Err(EngineError::ReturnNotLater(d(MON))),
        ),
        (From::Paused, None, Err(EngineError::AlreadyPaused)),
    ];
    for (from, until, want) in cases {
        let event = Event::Pause {
            until: until.map(d),
        };
        assert_eq!(run(from, event, MON), want, "until {until:?} from {from:?}");
    }
}

#[test]
fn a_resume_gives_back_the_gap_left_when_paused() {
    // Paused on Monday before step 1 (no gap left): due the day it resumes.
    let got = run(From::Paused, Event::Resume, "2026-11-26");
    let want = after(Status::Active, 1, Some("2026-11-26"), &[Outcome::Resumed]);
    assert_eq!(got, Ok(want));
    assert_eq!(
        run(From::Fresh, Event::Resume, MON),
        Err(EngineError::NotPaused)
    );
}

#[test]
fn a_removal_closes_the_sequence_with_its_reason() {
    let p = three_steps();
    let cal = Calendar::default();
    let mut sim = sim_from(&p, &cal, From::OneSent);
    let event = Event::Remove {
        reason: "deal closed".to_string(),
    };
    sim.apply(event, at(d(MON))).expect("remove");
    assert_eq!(sim.e.status, Status::Closed(Exit::Removed));
    assert_eq!(sim.e.exit_reason.as_deref(), Some("deal closed"));
    let outcomes: Vec<Outcome> = sim.log.iter().map(|r| r.outcome).collect();
    assert_eq!(outcomes, [Outcome::Removed]);
}

#[test]
fn late_news_counts_a_reply_after_the_last_touch_and_a_meeting_after_a_reply_only() {
    let cases = [
        (From::Completed, Event::Replied, Ok(Exit::Replied)),
        (From::Completed, Event::Meeting, Ok(Exit::Meeting)),
        (From::Replied, Event::Meeting, Ok(Exit::Meeting)),
        (
            From::Replied,
            Event::Replied,
            Err(EngineError::Closed(Exit::Replied)),
        ),
        (
            From::Completed,
            Event::Skip {
                reason: "x".to_string(),
            },
            Err(EngineError::Closed(Exit::Completed)),
        ),
    ];
    for (from, event, want) in cases {
        let got = run(from, event.clone(), "2026-12-07").map(|a| match a.status {
            Status::Closed(exit) => exit,
            other => panic!("{event:?} left it {other:?}"),
        });
        assert_eq!(got, want, "{event:?} from {from:?}");
    }
}
