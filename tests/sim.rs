//! Helpers for driving the pure engine by hand: plans, dates, and a tiny simulator that
//! applies events the way the store would (effects change what the prospect can be reached on).
#![allow(dead_code)]

use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime};
use touchbase::content::Library;
use touchbase::domain::{
    self, Calendar, Channel, Ctx, Effect, EngineError, Enrollment, Event, LinkedinAction, Outcome,
    Plan, PlannedStep, Reachability, Record, Transition, Trigger,
};

/// "2026-11-23" as a date.
pub fn d(s: &str) -> NaiveDate {
    s.parse().unwrap_or_else(|_| panic!("test date {s}"))
}

/// That date at 10:30, a time in the rep's working day.
pub fn at(day: NaiveDate) -> NaiveDateTime {
    day.and_time(NaiveTime::from_hms_opt(10, 30, 0).expect("time"))
}

pub fn plus(day: NaiveDate, n: u64) -> NaiveDate {
    day + Days::new(n)
}

/// A built-in sequence's plan, loaded exactly as the app loads it.
pub fn builtin(name: &str) -> Plan {
    Library::new(None)
        .load(name)
        .unwrap_or_else(|e| panic!("built-in {name}: {e}"))
        .plan
}

pub fn step(day: u32, channel: Channel) -> PlannedStep {
    PlannedStep {
        own_thread: false,
        day,
        decision: None,
        channel,
        action: (channel == Channel::Linkedin).then_some(LinkedinAction::Message),
        purpose: channel.to_string(),
    }
}

/// A hand-built plan from `(day, channel)` pairs.
pub fn plan(working_days_only: bool, steps: &[(u32, Channel)]) -> Plan {
    Plan {
        trigger: Trigger::Cold,
        working_days_only,
        cool_off_days: 30,
        steps: steps.iter().map(|(day, c)| step(*day, *c)).collect(),
    }
}

pub fn everyone() -> Reachability {
    Reachability {
        email: true,
        phone: true,
        linkedin: true,
        do_not_call: false,
        sent_before: 0,
    }
}

/// The ordinary "I did it" outcome for a channel.
pub fn worked(channel: Channel) -> Outcome {
    match channel {
        Channel::Email => Outcome::Sent,
        Channel::Call => Outcome::NoAnswer,
        _ => Outcome::Done,
    }
}

/// One prospect in one sequence, driven event by event.
pub struct Sim<'a> {
    pub plan: &'a Plan,
    pub cal: &'a Calendar,
    pub reach: Reachability,
    pub e: Enrollment,
    /// Every record the engine produced, in order.
    pub log: Vec<Record>,
    /// Every effect the engine asked for, in order.
    pub effects: Vec<Effect>,
}

impl<'a> Sim<'a> {
    pub fn ctx(&self, now: NaiveDateTime) -> Ctx<'a> {
        Ctx {
            plan: self.plan,
            reach: self.reach,
            now,
            cal: self.cal,
        }
    }

    /// Enrolls on `start`, with the clock at `now`.
    pub fn start(
        plan: &'a Plan,
        cal: &'a Calendar,
        reach: Reachability,
        start: NaiveDate,
        now: NaiveDateTime,
    ) -> Result<Sim<'a>, EngineError> {
        let ctx = Ctx {
            plan,
            reach,
            now,
            cal,
        };
        let t = domain::enroll(&ctx, 1, 1, start, 0)?;
        let mut sim = Sim {
            plan,
            cal,
            reach,
            e: t.enrollment.clone(),
            log: Vec::new(),
            effects: Vec::new(),
        };
        sim.take(t);
        Ok(sim)
    }

    fn take(&mut self, t: Transition) {
        for effect in &t.effects {
            match effect {
                Effect::MarkEmailBad => self.reach.email = false,
                Effect::MarkPhoneBad => self.reach.phone = false,
                _ => {}
            }
        }
        self.e = t.enrollment;
        self.log.extend(t.records);
        self.effects.extend(t.effects);
    }

    /// Applies `event` at `now`; on success the state moves on, on refusal it stays.
    pub fn apply(&mut self, event: Event, now: NaiveDateTime) -> Result<Transition, EngineError> {
        let t = domain::apply(&self.ctx(now), &self.e, &event)?;
        self.take(t.clone());
        Ok(t)
    }

    /// Works the current step with its channel's ordinary outcome.
    pub fn work(&mut self, now: NaiveDateTime) -> Transition {
        let channel = self.plan.steps[self.e.step].channel;
        self.apply(Event::Work(worked(channel)), now)
            .unwrap_or_else(|e| panic!("working step {}: {e}", self.e.step + 1))
    }

    pub fn due_date(&self) -> Option<NaiveDate> {
        self.e.due.map(|d| d.date())
    }

    /// Works every step on the day it falls due (late by `late[i]` days for step `i`),
    /// returning the date each step was due, in order.
    pub fn run(&mut self, late: &dyn Fn(usize) -> u64) -> Vec<NaiveDate> {
        let mut dues = Vec::new();
        while self.e.status.is_open() {
            let due = self.due_date().expect("an open enrollment has a due date");
            dues.push(due);
            let i = self.e.step;
            self.work(at(plus(due, late(i))));
        }
        dues
    }
}

/// The due dates of every step of `plan` worked on time from `start`.
pub fn on_time(plan: &Plan, cal: &Calendar, start: NaiveDate) -> Vec<NaiveDate> {
    let mut sim = Sim::start(plan, cal, everyone(), start, at(start)).expect("enroll");
    sim.run(&|_| 0)
}
