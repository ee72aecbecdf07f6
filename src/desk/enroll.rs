//! Adding prospects and enrolling them in sequences.

use super::Desk;
use super::describe::{day_label, next_clause};
use super::error::refuse;
use super::schedule::{DayLoad, Leveling, level_with};
use crate::content::Sequence;
use crate::desk::DeskError;
use crate::desk::store::{Tx, queries};
use crate::domain::{self, Calendar, Ctx, Enrollment, Exit, Field, Prospect, Status};
use anyhow::{Result, bail};
use chrono::{Days, NaiveDate, NaiveDateTime};

/// Which sequence to enroll in, from when, and whether to override a cool-off.
#[derive(Debug, Clone)]
pub struct EnrollRequest {
    pub sequence: String,
    pub start: Option<NaiveDate>,
    pub force: bool,
}

#[derive(Debug, Clone)]
pub struct AddOutcome {
    pub prospect_id: i64,
    pub message: String,
}

/// Why a prospect was not enrolled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("{name} is on the do-not-contact list ({kind} {value}); not enrolled")]
    DoNotContact {
        name: String,
        kind: String,
        value: String,
    },
    #[error("{name} is already in {sequence} (step {step}); remove them from it first")]
    AlreadyEnrolled {
        name: String,
        sequence: String,
        step: usize,
    },
    #[error(
        "{name} is resting after a finished sequence until {until}; use --force to enroll anyway"
    )]
    Resting { name: String, until: NaiveDate },
    #[error(
        "{name} {what} on {on} ({sequence}); cooling off until {until}; use --force to enroll anyway"
    )]
    CoolingOff {
        name: String,
        /// "replied", "booked a meeting", "was removed".
        what: String,
        sequence: String,
        on: NaiveDate,
        until: NaiveDate,
    },
    #[error("{name}: {reason}")]
    Engine { name: String, reason: String },
}

impl Refusal {
    /// A short label for counting refusals in an import summary.
    pub fn label(&self) -> &'static str {
        match self {
            Refusal::DoNotContact { .. } => "on the do-not-contact list",
            Refusal::AlreadyEnrolled { .. } => "already in a sequence",
            Refusal::Resting { .. } => "resting after a finished sequence",
            Refusal::CoolingOff { .. } => "cooling off after a reply, meeting or removal",
            Refusal::Engine { .. } => "not reachable on any step",
        }
    }
}

/// A sequence being enrolled in within one action. Its stored version and the next
/// enrollment ordinal are looked up once, on the first enrollment, and then counted on: an
/// import of many prospects must not look them up for every row.
pub struct EnrollTarget<'s> {
    pub seq: &'s Sequence,
    /// (version id, next ordinal), once known.
    looked_up: Option<(i64, i64)>,
    /// The daily cap new starts respect, if any.
    cap: Option<u32>,
    /// Each day's load, counted once per action however many start.
    load: DayLoad,
    /// A decision date and an end date for the new enrollment.
    terms: domain::Terms,
    /// At most this many touches a day at one account (0: no such cap), and each account's
    /// load as this action has counted it.
    per_account: u32,
    account_load: super::accounts::AccountLoad,
}

impl<'s> EnrollTarget<'s> {
    pub fn new(seq: &'s Sequence) -> EnrollTarget<'s> {
        EnrollTarget {
            seq,
            looked_up: None,
            cap: None,
            load: DayLoad::new(0),
            terms: domain::Terms::default(),
            per_account: 0,
            account_load: super::accounts::AccountLoad::default(),
        }
    }

    /// Starts the enrollment with a decision date and an end date.
    pub fn with_terms(mut self, terms: domain::Terms) -> Self {
        self.terms = terms;
        self
    }

    /// New starts move off a day that already holds `caps.day` touches, or `caps.account`
    /// at the prospect's account.
    pub fn with_caps(mut self, caps: super::accounts::Caps) -> Self {
        self.cap = Some(caps.day);
        self.per_account = caps.account;
        self
    }

    fn version_and_ordinal(&mut self, tx: &mut Tx) -> Result<(i64, i64)> {
        if let Some(known) = self.looked_up {
            return Ok(known);
        }
        let version_id = tx.version_id_for(self.seq)?;
        let ordinal = queries::next_ordinal(tx.conn(), &self.seq.name)?;
        self.looked_up = Some((version_id, ordinal));
        Ok((version_id, ordinal))
    }
}

/// The day an enrollment starts, and whether it starts despite a rest or cool-off (a "not
/// now" answer asked for that day).
#[derive(Debug, Clone, Copy)]
pub struct Start {
    pub day: NaiveDate,
    pub force: bool,
}

/// Enrolls `p` inside an open action. Checks the do-not-contact list, the one-open-enrollment
/// rule and the cool-off before the engine schedules step 1.
pub fn enroll_in(
    tx: &mut Tx,
    p: &Prospect,
    target: &mut EnrollTarget,
    start: Start,
    cal: &Calendar,
) -> Result<Result<Enrollment, Refusal>> {
    let Start { day: start, force } = start;
    let name = p.full_name();
    if let Some((kind, value)) = queries::do_not_contact_match(tx.conn(), p)? {
        return Ok(Err(Refusal::DoNotContact { name, kind, value }));
    }
    if let Some((open, sequence)) = queries::open_enrollment(tx.conn(), p.id)? {
        return Ok(Err(Refusal::AlreadyEnrolled {
            name,
            sequence,
            step: open.step + 1,
        }));
    }
    // The rest and the cool-off keep people from being contacted cold again; they never
    // block the sequence a conversation asked for (post-demo, proposal, re-engagement…).
    let cold = target.seq.plan.trigger == crate::domain::Trigger::Cold;
    if let Some(until) = p.rest_until {
        if until > start && !force && cold {
            return Ok(Err(Refusal::Resting { name, until }));
        }
    }
    if !force && cold {
        if let Some(refusal) = cooling_off(tx, p, start)? {
            return Ok(Err(refusal));
        }
    }
    let (version_id, ordinal) = target.version_and_ordinal(tx)?;
    let seq = target.seq;
    let ctx = Ctx {
        plan: &seq.plan,
        reach: super::repeats::reach(tx.conn(), p, seq, (0, ordinal))?,
        now: tx.now,
        cal,
    };
    let opening = domain::Opening {
        prospect_id: p.id,
        version_id,
        start,
        ordinal,
    };
    let t = match domain::enroll_on_terms(&ctx, opening, target.terms) {
        Ok(t) => t,
        Err(e) => {
            return Ok(Err(Refusal::Engine {
                name,
                reason: e.to_string(),
            }));
        }
    };
    let mut e = t.enrollment;
    let exempt = super::queue::never_capped(&seq.plan, e.step);
    if let (Some(cap), false) = (target.cap, exempt) {
        let rule = Leveling {
            cap,
            cal,
            today: tx.now.date(),
            include_today: true,
        };
        level_with(tx, &mut e, &rule, &mut target.load)?;
        let account_cap = (target.per_account, &rule);
        super::accounts::level_account(tx, &mut e, account_cap, &mut target.account_load)?;
    }
    e.id = tx.put_enrollment(&e, &seq.name)?;
    if let Some(due) = e.due {
        target.load.add(due.date());
    }
    for r in &t.records {
        tx.append(Some(e.id), p.id, r, None, None)?;
    }
    super::conversation::enrolled(tx, p, cold)?;
    if let Some((_, next)) = &mut target.looked_up {
        *next += 1;
    }
    Ok(Ok(e))
}

/// A reply, a meeting or a removal closes the door for the sequence's `cool_off_days`, as
/// a completed sequence does: nobody is re-contacted by surprise.
fn cooling_off(tx: &Tx, p: &Prospect, start: NaiveDate) -> Result<Option<Refusal>> {
    let enrollments = queries::enrollments_of(tx.conn(), p.id)?;
    let Some((e, sequence)) = enrollments
        .into_iter()
        .rev()
        .find(|(e, _)| !e.status.is_open())
    else {
        return Ok(None);
    };
    let what = match e.status {
        Status::Closed(Exit::Replied) => "replied",
        Status::Closed(Exit::Meeting) => "booked a meeting",
        Status::Closed(Exit::Removed) => "was removed",
        _ => return Ok(None),
    };
    let Some(on) = e.closed_at.map(|t| t.date()) else {
        return Ok(None);
    };
    let days = tx.version(e.version_id)?.plan.cool_off_days;
    let until = on + Days::new(u64::from(days));
    Ok((until > start).then(|| Refusal::CoolingOff {
        name: p.full_name(),
        what: what.to_string(),
        sequence,
        on,
        until,
    }))
}

impl Desk {
    /// Adds one prospect (refusing a duplicate or a do-not-contact person), optionally
    /// enrolling them in the same action.
    pub fn add(
        &mut self,
        mut p: Prospect,
        enroll: Option<EnrollRequest>,
        now: NaiveDateTime,
    ) -> Result<AddOutcome, DeskError> {
        if p.first_name.trim().is_empty() {
            refuse!("a prospect needs a first name (--first)");
        }
        for f in [Field::Email, Field::Phone, Field::Linkedin, Field::Timezone] {
            let given = p.field(f).unwrap_or_default().to_string();
            match super::edit::checked(f, &given) {
                Ok(v) => p.set_field(f, (!v.is_empty()).then_some(v)),
                Err(why) => refuse!("--{}: {why}", f.flag()),
            }
        }
        crate::domain::prospect::normalize_identifiers(&mut p);
        if p.timezone.is_none() {
            // Worked out from the place, as an import does, when it settles one zone.
            p.timezone = crate::import::row::infer_zone(&p)
                .zone()
                .map(str::to_string);
        }
        let seq = match &enroll {
            Some(req) => Some(self.library.load(&req.sequence)?),
            None => None,
        };
        let cal = self.config.calendar.clone();
        let caps = self.caps();
        Ok(self.store.action("add", now, |tx| {
            if let Some(known) = queries::matching_prospect(tx.conn(), &p)? {
                bail!(
                    "{} is already known as prospect {} ({}); not added again",
                    p.full_name(),
                    known.id,
                    known.full_name()
                );
            }
            if let Some((kind, value)) = queries::do_not_contact_match(tx.conn(), &p)? {
                bail!(
                    "{} is on the do-not-contact list ({kind} {value}); not added",
                    p.full_name()
                );
            }
            p.id = 0;
            p.created_at = Some(now);
            p.id = tx.put_prospect(&p)?;
            let mut message = format!("Added {} as prospect {}", p.full_name(), p.id);
            if let (Some(seq), Some(req)) = (&seq, &enroll) {
                let start = req.start.unwrap_or(now.date());
                match enroll_in(
                    tx,
                    &p,
                    &mut EnrollTarget::new(seq).with_caps(caps),
                    Start {
                        day: start,
                        force: req.force,
                    },
                    &cal,
                )? {
                    Ok(e) => message.push_str(&format!(
                        " and enrolled in {} — {}",
                        seq.name,
                        next_clause(seq, &e, now)
                    )),
                    Err(refusal) => bail!(refusal),
                }
            }
            Ok((
                AddOutcome {
                    prospect_id: p.id,
                    message: message.clone(),
                },
                message,
            ))
        })?)
    }

    /// Enrolls a known prospect in a sequence.
    pub fn enroll(
        &mut self,
        key: &str,
        req: &EnrollRequest,
        now: NaiveDateTime,
    ) -> Result<String, DeskError> {
        self.enroll_on_terms(key, req, domain::Terms::default(), now)
    }

    /// "; 5 of its 10 steps will be skipped (no phone number, no LinkedIn URL): classic-4
    /// reaches them on every step" when the prospect cannot be reached on some steps.
    fn unreachable_note(&self, p: &Prospect, seq: &Sequence) -> String {
        let reach = p.reachability();
        let mut why: Vec<&str> = Vec::new();
        let mut blocked = 0;
        for (i, s) in seq.plan.steps.iter().enumerate() {
            if let Some(b) = reach.blocker(i, s) {
                blocked += 1;
                if !why.contains(&b) {
                    why.push(b);
                }
            }
        }
        if blocked == 0 {
            return String::new();
        }
        // A built-in of the same kind that reaches them on every step, the longest first.
        let fits = self
            .library
            .names()
            .into_iter()
            .filter_map(|(name, _)| self.library.load(&name).ok())
            .filter(|other| other.plan.trigger == seq.plan.trigger && other.name != seq.name)
            .filter(|other| {
                let steps = other.plan.steps.iter().enumerate();
                steps
                    .into_iter()
                    .all(|(i, s)| reach.blocker(i, s).is_none())
            })
            .max_by_key(|other| other.plan.steps.len())
            .map(|other| format!("; {} reaches them on every step", other.name))
            .unwrap_or_default();
        format!(
            "; {blocked} of its {} steps will be skipped ({}){fits}",
            seq.plan.steps.len(),
            why.join(", ")
        )
    }

    /// [`Desk::enroll`], with a decision date (for steps timed to it) and an end date.
    pub fn enroll_on_terms(
        &mut self,
        key: &str,
        req: &EnrollRequest,
        terms: domain::Terms,
        now: NaiveDateTime,
    ) -> Result<String, DeskError> {
        let p = self.prospect(key)?;
        let seq = self.library.load(&req.sequence)?;
        let cal = self.config.calendar.clone();
        let caps = self.caps();
        let start = req.start.unwrap_or(now.date());
        let unreachable = self.unreachable_note(&p, &seq);
        Ok(self.store.action("enroll", now, |tx| {
            // What the decision rests on is read inside the action.
            let p = queries::prospect(tx.conn(), p.id)?
                .ok_or_else(|| anyhow::anyhow!("prospect {} is gone", p.id))?;
            match enroll_in(
                tx,
                &p,
                &mut EnrollTarget::new(&seq).with_caps(caps).with_terms(terms),
                Start {
                    day: start,
                    force: req.force,
                },
                &cal,
            )? {
                Ok(e) => {
                    let first = e
                        .due
                        .map(|d| day_label(d.date(), now.date()))
                        .unwrap_or_default();
                    let msg = format!(
                        "Enrolled {} in {} — step {} ({}) due {first}{unreachable}",
                        p.full_name(),
                        seq.name,
                        e.step + 1,
                        seq.plan
                            .steps
                            .get(e.step)
                            .map_or("", |s| s.purpose.as_str()),
                    );
                    Ok((msg.clone(), msg))
                }
                Err(refusal) => bail!(refusal),
            }
        })?)
    }
}
