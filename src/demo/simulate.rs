//! Weeks of history for one prospect, driven by the real engine: each touch is worked on the
//! day it fell due (sometimes a day or two late) with an outcome drawn at the rates the
//! reference material reports, and every transition and side effect is kept exactly as
//! `Desk::log` would have written it.

use super::catalog::Catalog;
use super::rng::Rng;
use super::text::Texts;
use crate::content::{Rendered, Sequence};
use crate::desk::bulk_load::Frozen;
use crate::domain::{
    self, Calendar, Channel, Ctx, Effect, Enrollment, Event, Exit, LinkedinAction, Outcome, Plan,
    PlannedStep, Prospect, Record, Status, Transition, Trigger,
};
use anyhow::Result;
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};

/// What stays the same for every prospect of a build.
pub struct World<'a> {
    pub cal: &'a Calendar,
    pub now: NaiveDateTime,
    pub texts: &'a Texts,
    /// The rep's clock, which the log's times are on.
    pub rep: crate::clock::Zone,
}

/// One line of the touch log, waiting to be written.
pub struct Logged {
    /// Index into [`History::enrollments`].
    pub enrollment: usize,
    pub record: Record,
    pub note: Option<&'static str>,
    pub text: Option<Frozen>,
}

/// A prospect's enrollments (final states), touch log and do-not-contact entries.
#[derive(Default)]
pub struct History {
    pub enrollments: Vec<(Enrollment, String)>,
    pub log: Vec<Logged>,
    pub do_not_contact: Vec<(&'static str, String, NaiveDateTime)>,
}

/// What a transition's records carry besides the engine's: a note on the record numbered
/// `primary`, the text on its touch.
#[derive(Default)]
struct Marks {
    primary: usize,
    note: Option<&'static str>,
    text: Option<Frozen>,
}

impl Marks {
    fn note(primary: usize, note: Option<&'static str>) -> Marks {
        Marks {
            primary,
            note,
            text: None,
        }
    }

    fn text(primary: usize, text: Frozen) -> Marks {
        Marks {
            primary,
            note: None,
            text: Some(text),
        }
    }
}

/// A touch just worked: its step (and the step's index), how it went and when.
#[derive(Clone, Copy)]
struct Worked<'p> {
    step: &'p PlannedStep,
    index: usize,
    outcome: Outcome,
    at: NaiveDateTime,
}

/// Works one prospect's enrollments from their start up to `now`.
pub struct Run<'w, 'r> {
    pub world: &'w World<'w>,
    pub catalog: &'r mut Catalog,
    pub rng: &'r mut Rng,
    pub prospect: &'r mut Prospect,
    pub history: History,
    /// Whether an email to this address has gone out before (bounces come on the first).
    emailed: bool,
    /// What the prospect's templates read, made at their first text.
    values: Option<crate::content::MergeValues>,
}

const REPLY_NOTES: &[&str] = &[
    "Asked for pricing",
    "Interested; wants to talk next week",
    "Not a priority until next quarter",
    "Forwarded to a colleague who owns this",
    "Asked for a case study first",
    "Already evaluating another tool; open to compare",
];
const OPT_OUT_NOTES: &[&str] = &[
    "Asked not to be contacted again",
    "Unsubscribe request",
    "Not interested, please remove me",
];
const MEETING_NOTES: &[&str] = &["Discovery call booked", "Demo booked", "Intro call booked"];
const REMOVE_REASONS: &[&str] = &[
    "wrong person; pointed me to a colleague",
    "already a customer through a partner",
    "company was acquired; timeline passed",
];

impl<'w, 'r> Run<'w, 'r> {
    pub fn new(
        world: &'w World<'w>,
        catalog: &'r mut Catalog,
        rng: &'r mut Rng,
        prospect: &'r mut Prospect,
    ) -> Self {
        Run {
            world,
            catalog,
            rng,
            prospect,
            history: History::default(),
            emailed: false,
            values: None,
        }
    }

    fn minutes(&mut self, lo: i64, hi: i64) -> Duration {
        Duration::minutes(self.rng.between(lo, hi))
    }

    /// The engine's inputs at `at`, with the prospect as they are by then.
    fn ctx<'a>(&self, plan: &'a Plan, at: NaiveDateTime) -> Ctx<'a>
    where
        'w: 'a,
    {
        Ctx {
            plan,
            reach: self.prospect.reachability(),
            now: at,
            cal: self.world.cal,
        }
    }

    /// Enrolls the prospect in `sequence` at `enrolled_at` (step 1 due on `start`) and works
    /// it up to now. Returns when a meeting was booked, if one was.
    pub fn enrollment(
        &mut self,
        sequence: &str,
        start: NaiveDate,
        enrolled_at: NaiveDateTime,
    ) -> Result<Option<NaiveDateTime>> {
        let Some((seq, version_id, ordinal)) = self.catalog.take(sequence) else {
            return Ok(None);
        };
        let plan = &seq.plan;
        let now = self.world.now;
        let started = domain::enroll(
            &self.ctx(plan, enrolled_at),
            self.prospect.id,
            version_id,
            start,
            ordinal,
        );
        // Not reachable on any step: the desk refuses such an enrollment too.
        let Ok(t) = started else { return Ok(None) };
        let idx = self.history.enrollments.len();
        self.history
            .enrollments
            .push((t.enrollment.clone(), seq.name.clone()));
        let mut e = self.keep(idx, &t, Marks::default(), enrolled_at);
        let warm = warm(plan);
        let mut last_subject: Option<String> = None;
        let mut meeting = None;
        let mut next = self.when_worked(&e, enrolled_at);
        while let Some(at) = next.filter(|at| *at < now && e.status.is_open()) {
            let settled = domain::engine::settle(&self.ctx(plan, at), &e).1.len();
            let step = e.step;
            let Some(planned) = plan.steps.get(step) else {
                break;
            };
            if let Some(event) = self.interruption(&e, planned.channel, at) {
                let t = domain::apply(&self.ctx(plan, at), &e, &event)?;
                let note = matches!(event, Event::Pause { .. }).then_some("Out of office");
                e = self.keep(idx, &t, Marks::note(settled, note), at);
                next = self.when_worked(&e, at);
                continue;
            }
            let rendered = self.text(&seq, step, e.ordinal, last_subject.as_deref());
            if !rendered.ready() {
                // The rep leaves a touch that is not ready until its fields are filled in.
                break;
            }
            if planned.channel == Channel::Email {
                last_subject = rendered.subject.clone().or(last_subject);
            }
            let at = match planned.channel {
                Channel::Call => self.call_time(at, plan.trigger, e.due),
                _ => at,
            };
            if at >= now {
                break;
            }
            let outcome = self.outcome(planned.channel, warm, self.their_hour(at));
            let text = self.world.texts.frozen(rendered, &seq, step, e.ordinal);
            let t = domain::apply(&self.ctx(plan, at), &e, &Event::Work(outcome))?;
            e = self.keep(idx, &t, Marks::text(settled, text), at);
            next = self.when_worked(&e, at);
            let worked = Worked {
                step: planned,
                index: step,
                outcome,
                at,
            };
            let (after, booked) = self.answer(idx, plan, e, &worked, next);
            e = after;
            meeting = booked.or(meeting);
        }
        if let Some(slot) = self.history.enrollments.get_mut(idx) {
            slot.0 = e;
        }
        Ok(meeting)
    }

    /// How the prospect answers the touch just `worked`, if they do: a reply or an opt-out,
    /// which may lead to a meeting (the engine closes a connected call as a reply by
    /// itself). Returns the enrollment after it and when a meeting was booked, if one was.
    fn answer(
        &mut self,
        idx: usize,
        plan: &Plan,
        mut e: Enrollment,
        worked: &Worked,
        next: Option<NaiveDateTime>,
    ) -> (Enrollment, Option<NaiveDateTime>) {
        let mut replied =
            (worked.outcome == Outcome::Connected).then(|| worked.at + Duration::minutes(5));
        if let Some((event, when)) = self.response(worked, warm(plan), next) {
            if let Ok(t) = domain::apply(&self.ctx(plan, when), &e, &event) {
                let notes = match event {
                    Event::OptedOut => OPT_OUT_NOTES,
                    _ => REPLY_NOTES,
                };
                let note = self.rng.pick(notes).copied();
                e = self.keep(idx, &t, Marks::note(0, note), when);
                replied = (event == Event::Replied).then_some(when);
            }
        }
        let booked = replied.and_then(|replied| self.book_meeting(idx, plan, &e, replied));
        match booked {
            Some((at, after)) => (after, Some(at)),
            None => (e, None),
        }
    }

    /// Whether a reply or an opt-out answers a worked touch, and when: only when it arrives
    /// before now and before the next touch goes out (else it would answer that one).
    fn response(
        &mut self,
        worked: &Worked,
        warm: bool,
        next: Option<NaiveDateTime>,
    ) -> Option<(Event, NaiveDateTime)> {
        let Worked {
            step,
            index,
            outcome,
            at,
        } = *worked;
        if matches!(
            outcome,
            Outcome::Connected | Outcome::Bounced | Outcome::WrongNumber
        ) {
            return None;
        }
        let breakup = step.purpose == "breakup";
        let reply = match (step.channel, step.action, outcome) {
            (Channel::Email, ..) if breakup => 0.045,
            (Channel::Email, ..) if index == 0 => 0.025,
            (Channel::Email, ..) => 0.015,
            (Channel::Linkedin, Some(LinkedinAction::Message), _) => 0.02,
            (Channel::Linkedin, Some(LinkedinAction::Connect), _) => 0.01,
            (Channel::Linkedin, ..) => 0.002,
            (Channel::Call, _, Outcome::Voicemail) => 0.02,
            (Channel::Call, ..) => 0.004,
            _ => 0.01,
        } * if warm { 3.0 } else { 1.0 };
        let opt_out = match step.channel {
            Channel::Email => 0.009,
            Channel::Linkedin => 0.002,
            _ => 0.004,
        };
        let roll = self.rng.unit();
        let event = if roll < opt_out {
            Event::OptedOut
        } else if roll < opt_out + reply {
            Event::Replied
        } else {
            return None;
        };
        let mut when = at + self.minutes(20, 2 * 24 * 60);
        if let Some(n) = next.filter(|n| *n <= when) {
            if n - at < Duration::minutes(10) {
                return None;
            }
            when = at + (n - at) / 2;
        }
        (when < self.world.now).then_some((event, when))
    }

    /// Sometimes the rep does something else with the touch: snoozes it, is out of office,
    /// skips a call or a LinkedIn step, or takes the prospect out.
    fn interruption(
        &mut self,
        e: &Enrollment,
        channel: Channel,
        at: NaiveDateTime,
    ) -> Option<Event> {
        if e.status == Status::Paused {
            return None;
        }
        let roll = self.rng.unit();
        let today = at.date();
        if roll < 0.015 {
            let days = self.rng.between(1, 3) as u32;
            Some(Event::Snooze {
                until: self.world.cal.add_working_days(today, days),
            })
        } else if roll < 0.02 {
            let days = self.rng.between(7, 14) as u64;
            Some(Event::Pause {
                until: Some(today + chrono::Days::new(days)),
            })
        } else if roll < 0.027 && channel != Channel::Email {
            let reason = if channel == Channel::Call {
                "call list too long today"
            } else {
                "LinkedIn weekly invitation limit reached"
            };
            Some(Event::Skip {
                reason: reason.to_string(),
            })
        } else if roll < 0.031 {
            Some(Event::Remove {
                reason: self
                    .rng
                    .pick(REMOVE_REASONS)
                    .copied()
                    .unwrap_or("no longer a fit")
                    .to_string(),
            })
        } else {
            None
        }
    }

    /// The prospect's hour of the day at `at` on the rep's clock (the rep's own hour when
    /// their zone is unknown).
    fn their_hour(&self, at: NaiveDateTime) -> u32 {
        use chrono::Timelike;
        let tz = self
            .prospect
            .timezone
            .as_deref()
            .and_then(|z| z.parse().ok());
        self.world.rep.to_prospect(at, tz).hour()
    }

    /// When the rep makes a call worked at `at`: in the prospect's business hours, half the
    /// time in the window the references name (16:00–17:00 for a cold call, 11:00–12:00 for
    /// a follow-up), on the rep's clock the same day. Never before the touch fell due, and
    /// left as it is for a prospect whose hours the rep's day cannot reach.
    fn call_time(
        &mut self,
        at: NaiveDateTime,
        trigger: Trigger,
        due: Option<NaiveDateTime>,
    ) -> NaiveDateTime {
        use chrono::TimeZone;
        let Some(tz) = self
            .prospect
            .timezone
            .as_deref()
            .and_then(|z| z.parse::<chrono_tz::Tz>().ok())
        else {
            return at;
        };
        let (from, to) = match (self.rng.chance(0.5), trigger) {
            (true, Trigger::Cold) => (16 * 60, 17 * 60),
            (true, _) => (11 * 60, 12 * 60),
            (false, _) => (9 * 60, 17 * 60 + 30),
        };
        let theirs = self.world.rep.to_prospect(at, Some(tz)).date();
        let wanted = theirs.and_time(NaiveTime::MIN) + self.minutes(from, to);
        let Some(utc) = tz.from_local_datetime(&wanted).earliest() else {
            return at;
        };
        let mine = self.world.rep.from_utc(utc.naive_utc());
        let (start, end) = (
            at.date()
                .and_time(NaiveTime::from_hms_opt(7, 0, 0).unwrap_or(NaiveTime::MIN)),
            at.date()
                .and_time(NaiveTime::from_hms_opt(20, 0, 0).unwrap_or(NaiveTime::MIN)),
        );
        let floor = due.map_or(start, |d| d.max(start));
        if mine < floor || mine > end {
            return at;
        }
        mine
    }

    /// A call's outcome is likelier to connect in the prospect's best hours (the references:
    /// late afternoon for cold calls, late morning for follow-ups).
    fn outcome(&mut self, channel: Channel, warm: bool, their_hour: u32) -> Outcome {
        match channel {
            Channel::Email => {
                // Most bounces show on the first email to an address; later ones are rare.
                let bounce = if self.emailed { 0.002 } else { 0.025 };
                self.emailed = true;
                if self.rng.chance(bounce) {
                    Outcome::Bounced
                } else {
                    Outcome::Sent
                }
            }
            Channel::Call => self
                .rng
                .weighted(&[
                    (Outcome::Connected, connect_weight(warm, their_hour)),
                    (Outcome::Voicemail, 42),
                    (Outcome::NoAnswer, 36),
                    (Outcome::Gatekeeper, 12),
                    (Outcome::WrongNumber, 2),
                ])
                .unwrap_or(Outcome::NoAnswer),
            _ => Outcome::Done,
        }
    }

    /// When the rep works the enrollment's current touch: on its due day during working
    /// hours, sometimes a working day or two late; an inbound lead within minutes; a same-day
    /// step right after the one before it.
    fn when_worked(&mut self, e: &Enrollment, prev: NaiveDateTime) -> Option<NaiveDateTime> {
        let due = e.due.filter(|_| e.status.is_open())?;
        if due.time() != NaiveTime::MIN {
            return Some(due.max(prev) + self.minutes(2, 15));
        }
        let cal = self.world.cal;
        let late = self
            .rng
            .weighted(&[(0u32, 72), (1, 22), (2, 6)])
            .unwrap_or(0);
        let mut day = cal.add_working_days(due.date(), late);
        if late == 2 && (day - due.date()).num_days() > 3 {
            // Over a weekend the rep catches up sooner: nothing waits more than three days.
            day = cal.add_working_days(due.date(), 1);
        }
        let at = day.and_time(NaiveTime::from_hms_opt(8, 30, 0)?) + self.minutes(0, 9 * 60);
        Some(if at <= prev {
            prev + self.minutes(3, 25)
        } else {
            at
        })
    }

    /// The text of `step` for this prospect, as the desk renders it. The demo's effects
    /// never change a field a template reads, so their values are made once.
    fn text(
        &mut self,
        seq: &Sequence,
        step: usize,
        ordinal: i64,
        last_subject: Option<&str>,
    ) -> Rendered {
        let texts = self.world.texts;
        let values = self
            .values
            .get_or_insert_with(|| texts.values(self.prospect));
        texts.render(values, seq, step, ordinal, last_subject)
    }

    /// A meeting booked after the reply at `replied`, as often as prospects book one:
    /// when, and the enrollment after it (`e` is enrollment `idx`).
    fn book_meeting(
        &mut self,
        idx: usize,
        plan: &Plan,
        e: &Enrollment,
        replied: NaiveDateTime,
    ) -> Option<(NaiveDateTime, Enrollment)> {
        if !self.rng.chance(if warm(plan) { 0.5 } else { 0.35 }) {
            return None;
        }
        let booked = replied + self.minutes(60, 3 * 24 * 60);
        if booked >= self.world.now {
            return None;
        }
        let t = domain::apply(&self.ctx(plan, booked), e, &Event::Meeting).ok()?;
        let note = self.rng.pick(MEETING_NOTES).copied();
        Some((booked, self.keep(idx, &t, Marks::note(0, note), booked)))
    }

    /// Keeps a transition: its records (marked with `marks`), its side effects on the
    /// prospect and the do-not-contact list. Returns the new enrollment state.
    fn keep(&mut self, idx: usize, t: &Transition, marks: Marks, at: NaiveDateTime) -> Enrollment {
        let Marks {
            primary,
            note,
            mut text,
        } = marks;
        for (i, r) in t.records.iter().enumerate() {
            self.history.log.push(Logged {
                enrollment: idx,
                record: r.clone(),
                note: note.filter(|_| i == primary),
                text: if r.is_touch { text.take() } else { None },
            });
        }
        self.effects(idx, &t.effects, at);
        t.enrollment.clone()
    }

    /// The latest answer (a reply or a meeting): its enrollment (an index) and credited step.
    pub fn last_answer(&self) -> Option<(usize, Option<usize>)> {
        self.history
            .log
            .iter()
            .rfind(|l| matches!(l.record.outcome, Outcome::Replied | Outcome::Meeting))
            .map(|l| (l.enrollment, l.record.attributed_step))
    }

    /// When the newest enrollment was answered (a reply or a meeting), if it was.
    pub fn newest_answered_at(&self) -> Option<NaiveDateTime> {
        let newest = self.history.enrollments.len().checked_sub(1)?;
        self.history
            .log
            .iter()
            .rfind(|l| matches!(l.record.outcome, Outcome::Replied | Outcome::Meeting))
            .filter(|l| l.enrollment == newest)
            .map(|l| l.record.at)
    }

    /// A step of the conversation after the answer `origin` (held, won…), credited there as
    /// `desk` credits it.
    pub fn after_answer(
        &mut self,
        (enrollment, step): (usize, Option<usize>),
        outcome: Outcome,
        at: NaiveDateTime,
    ) {
        let reason = (outcome == Outcome::Won).then(|| "signed after the demo".to_string());
        self.history.log.push(Logged {
            enrollment,
            record: Record {
                at,
                step: None,
                channel: None,
                outcome,
                reason,
                attributed_step: step,
                kind: None,
                is_touch: false,
            },
            note: None,
            text: None,
        });
    }

    /// The side effects, applied as `desk::log` applies them.
    fn effects(&mut self, this: usize, effects: &[Effect], at: NaiveDateTime) {
        // The addresses as they were before this transition marked any of them bad.
        let identifiers = effects
            .contains(&Effect::DoNotContact)
            .then(|| self.prospect.identifiers());
        for effect in effects {
            match effect {
                Effect::MarkEmailBad => self.prospect.email_bad = true,
                Effect::MarkPhoneBad => self.prospect.phone_bad = true,
                Effect::RestUntil(d) => self.prospect.rest_until = Some(*d),
                Effect::DoNotContact => {
                    for (kind, value) in identifiers.iter().flatten().cloned() {
                        self.history.do_not_contact.push((kind, value, at));
                    }
                }
                Effect::CloseOthers(exit) => self.close_others(this, *exit, at),
            }
        }
    }

    fn close_others(&mut self, this: usize, exit: Exit, at: NaiveDateTime) {
        for (i, (other, _)) in self.history.enrollments.iter_mut().enumerate() {
            if i != this && other.status.is_open() {
                other.status = Status::Closed(exit);
                other.due = None;
                other.paused_gap = None;
                other.resume_on = None;
                other.closed_at = Some(at);
            }
        }
    }
}

/// Whether the sequence works people who already know the rep (they answer more).
fn warm(plan: &Plan) -> bool {
    matches!(
        plan.trigger,
        Trigger::Inbound | Trigger::PostDemo | Trigger::ReEngagement
    )
}

/// The weight of "connected" among a call's outcomes, by the prospect's hour.
fn connect_weight(warm: bool, their_hour: u32) -> u32 {
    let base = if warm { 18 } else { 7 };
    match their_hour {
        16 => base * 2,
        11 => base * 3 / 2,
        8..=17 => base,
        _ => base / 2,
    }
}
