//! Logging what happened on a touch. One IMMEDIATE transaction reads the prospect and the
//! enrollment, checks that the touch the rep saw is still the current one (and due, and
//! ready), asks the engine, and writes its answer: two windows or two processes can never
//! both log the same touch, and a command run again never works the next one by accident.

use super::Desk;
use super::credit::credit_to;
use super::describe::{day_label, event_name, logged_sentence, step_label};
use super::refusal::{Refused, stale_message};
use super::reply::{self, ReplyDetails};
use super::schedule::level;
use crate::content::{Me, Rendered, Sequence, render_step};
use crate::desk::store::{Tx, queries, undo::Frozen};
use crate::domain::conversation::CallEnd;
use crate::domain::{
    self, Calendar, Ctx, Effect, Enrollment, Event, Exit, Outcome, Prospect, Record, Status,
    TouchRef,
};
use anyhow::{Result, anyhow, bail};
use chrono::NaiveDateTime;

/// One outcome the rep logs, and the touch they saw when they did.
#[derive(Debug, Clone)]
pub struct LogRequest {
    pub prospect_id: i64,
    /// The touch on screen (or that the command read). `None` only for a prospect with no
    /// open enrollment (an opt-out, a late reply).
    pub touch: Option<TouchRef>,
    pub event: Event,
    pub note: Option<String>,
    /// The message as it went out (edited by the rep), instead of the template's text.
    pub text: Option<Rendered>,
    /// Work a touch that is due on a later day, on purpose.
    pub ahead: bool,
    /// Refuse a work outcome that repeats the one just logged on the step before: the same
    /// command run again from the shell's history.
    pub refuse_repeat: bool,
    /// For a reply or a meeting: the step (1-based) to credit instead of the engine's choice.
    pub credit: Option<usize>,
    /// For a reply: its kind, and what that kind asks for.
    pub reply: ReplyDetails,
    /// For a connected call: that it booked a meeting, or that they are not interested.
    pub call_end: Option<CallEnd>,
    /// For a booked meeting: when it takes place (the rep's clock), for the calendar.
    pub meeting_at: Option<NaiveDateTime>,
    /// The event reports on mail already sent (a bounce read from the inbox or logged from
    /// the command line): it concerns the last email that went out, whichever step is
    /// current. With none sent yet, a bounce is the current email's.
    pub reported: bool,
}

impl LogRequest {
    pub fn new(prospect_id: i64, touch: Option<TouchRef>, event: Event) -> LogRequest {
        LogRequest {
            prospect_id,
            touch,
            event,
            note: None,
            text: None,
            ahead: false,
            refuse_repeat: false,
            credit: None,
            reply: ReplyDetails::default(),
            call_end: None,
            meeting_at: None,
            reported: false,
        }
    }
}

/// The result of a logged outcome: the status-line sentence and the enrollment after it.
#[derive(Debug, Clone)]
pub struct Logged {
    pub message: String,
    pub enrollment: Option<Enrollment>,
    /// A referral's new prospect (id and name), to offer a sequence for.
    pub referred: Option<(i64, String)>,
}

/// What a log needs besides the transaction: read before it, none of it about the touch.
pub(super) struct Settings {
    me: Me,
    cal: Calendar,
    cap: u32,
}

impl Desk {
    pub(super) fn log_settings(&self) -> Settings {
        Settings {
            me: self.me(),
            cal: self.config.calendar.clone(),
            cap: self.config.max_touches_per_day(),
        }
    }

    /// Logs on the prospect's touch as it stands when the action runs, with a note: for
    /// scripts and simulations. The app and the command line name the touch they showed.
    pub fn log_current(
        &mut self,
        prospect_id: i64,
        event: Event,
        note: Option<String>,
        now: NaiveDateTime,
    ) -> Result<Logged> {
        let touch = self.current_touch(prospect_id)?;
        let req = LogRequest {
            note,
            ..LogRequest::new(prospect_id, touch, event)
        };
        self.log(req, now)
    }

    /// Logs one outcome as one action. Refusals ([`Refused`]) change nothing.
    pub fn log(&mut self, req: LogRequest, now: NaiveDateTime) -> Result<Logged> {
        let settings = self.log_settings();
        let kind = event_name(&req.event);
        self.store
            .action(kind, now, |tx| log_in(tx, &req, &settings, now))
    }
}

/// The whole decision, inside the action's transaction.
pub(super) fn log_in(
    tx: &mut Tx,
    req: &LogRequest,
    s: &Settings,
    now: NaiveDateTime,
) -> Result<(Logged, String)> {
    let p = queries::prospect(tx.conn(), req.prospect_id)?
        .ok_or_else(|| anyhow!("no prospect {}", req.prospect_id))?;
    let open = queries::open_enrollment(tx.conn(), p.id)?;
    if let Some(seen) = req.touch.filter(|_| bound_to_touch(&req.event)) {
        let current = open.as_ref().and_then(|(e, _)| e.touch());
        if current != Some(seen) {
            return Err(Refused::Stale(stale_message(tx, &p, seen, now)?).into());
        }
    }
    let Some((e, seq_name)) = open else {
        return log_without_enrollment(tx, &p, req, s, now);
    };
    let seq = tx.version(e.version_id)?;
    if req.event == Event::Work(Outcome::Bounced) && req.reported {
        if let Some(sent) = last_sent_email(tx, e.id)? {
            return late_bounce(tx, &p, (&e, &seq_name), &seq, sent, s, now);
        }
    }
    let ctx = Ctx {
        plan: &seq.plan,
        reach: p.reachability(),
        now,
        cal: &s.cal,
    };
    let (settled, settle_records) = domain::engine::settle(&ctx, &e);
    if needs_due(&req.event) {
        check_due(&settled, &seq, &p, req.ahead, now)?;
    }
    if let (Event::Work(typed), true) = (&req.event, req.refuse_repeat) {
        check_repeat(tx, &p, &settled, &seq, *typed, now)?;
    }
    let frozen = match &req.event {
        Event::Work(outcome) => Some(freeze(tx, &p, &settled, &seq, *outcome, req, s)?),
        _ => None,
    };
    let mut t = domain::apply(&ctx, &e, &req.event)?;
    if let Some(end) = req.call_end {
        if req.event != Event::Work(Outcome::Connected) {
            bail!("how a call ended goes with connected only");
        }
        t = domain::conversation::end_call(t, end);
    }
    if let Some(step) = req.credit {
        credit_to(tx, &e, &seq, &mut t.records, step)?;
    }
    reply::stamp(&req.reply, &mut t.records, now.date())?;
    let mut after = t.enrollment.clone();
    let moved = if super::queue::never_capped(&seq.plan, after.step) {
        None
    } else {
        level(tx, &mut after, s.cap, &s.cal, now.date(), false)?
    };
    let mut message = logged_sentence(&req.event, &p, &seq, &e, &after, &t.records, now);
    if let Some(m) = moved {
        message.push_str(&format!(
            " (moved from {}: that day is full)",
            day_label(m.from, now.date())
        ));
    }
    tx.put_enrollment(&after, &seq_name)?;
    // The settle records (a pause that ended by itself) come first; the note belongs to the
    // rep's own event, the first record after them.
    let primary = settle_records.len();
    for (i, r) in t.records.iter().enumerate() {
        let text = if r.is_touch { frozen.as_ref() } else { None };
        let note = if i == primary {
            req.note.as_deref()
        } else {
            None
        };
        let id = tx.append(Some(e.id), p.id, r, note, text)?;
        if r.outcome == Outcome::Meeting {
            if let Some(at) = req.meeting_at {
                tx.set_meeting_at(id, at)?;
            }
        }
    }
    apply_effects(tx, &p, e.id, &t.effects)?;
    let follow = reply::follow_on(tx, &p, &seq, &req.reply, &s.cal, now)?;
    message.push_str(&follow.said);
    Ok((
        Logged {
            message: message.clone(),
            enrollment: Some(after),
            referred: follow.referred,
        },
        message,
    ))
}

/// Events about this touch: they need it to be the one the rep saw. A reply, a meeting or an
/// opt-out is news about the person, whichever touch is current.
fn bound_to_touch(event: &Event) -> bool {
    !matches!(
        event,
        Event::Replied | Event::Meeting | Event::OptedOut | Event::Complained
    )
}

/// Work outcomes and skips need the touch to be due; a bounce reports mail that went out.
fn needs_due(event: &Event) -> bool {
    match event {
        Event::Work(Outcome::Bounced) => false,
        Event::Work(_) | Event::Skip { .. } => true,
        _ => false,
    }
}

fn check_due(
    e: &Enrollment,
    seq: &Sequence,
    p: &Prospect,
    ahead: bool,
    now: NaiveDateTime,
) -> Result<()> {
    let Some(due) = e.due.filter(|d| d.date() > now.date()) else {
        return Ok(());
    };
    if ahead || e.status != Status::Active {
        return Ok(());
    }
    Err(Refused::NotDue(format!(
        "Step {} for {} is due {}, not today; nothing logged",
        step_label(seq, e.step),
        p.full_name(),
        day_label(due.date(), now.date())
    ))
    .into())
}

/// A work outcome the same as the one logged today on the step before, while that step's
/// follower is due now too: the command was run again, not meant for the next step.
fn check_repeat(
    tx: &Tx,
    p: &Prospect,
    e: &Enrollment,
    seq: &Sequence,
    typed: Outcome,
    now: NaiveDateTime,
) -> Result<()> {
    let Some((step, outcome, at)) = queries::last_worked(tx.conn(), e.id)? else {
        return Ok(());
    };
    if outcome != typed || at.date() != now.date() || step == e.step {
        return Ok(());
    }
    Err(Refused::Repeat(format!(
        "Step {} for {} was already logged as {outcome} at {}; nothing changed. \
         Its next touch, {}, is due now too",
        step_label(seq, step),
        p.full_name(),
        at.format("%H:%M"),
        step_label(seq, e.step)
    ))
    .into())
}

/// The text frozen on a worked touch: the rep's edit, else the template's. A message that is
/// not ready is never sent with its gaps; a call's script is kept only when complete.
fn freeze(
    tx: &Tx,
    p: &Prospect,
    e: &Enrollment,
    seq: &Sequence,
    outcome: Outcome,
    req: &LogRequest,
    s: &Settings,
) -> Result<Frozen> {
    let variant = seq.template_for(e.step, e.ordinal).map(|t| t.path.clone());
    let text = match &req.text {
        Some(t) => t.clone(),
        None => {
            let last = queries::last_subject(tx.conn(), e.id)?;
            render_step(seq, e.step, e.ordinal, p, &s.me, last.as_deref())
        }
    };
    let message = matches!(outcome, Outcome::Sent | Outcome::Done);
    if !text.ready() {
        if message {
            return Err(Refused::NotReady(format!(
                "Not logged: step {} for {} is not ready ({})",
                step_label(seq, e.step),
                p.full_name(),
                text.problems.join("; ")
            ))
            .into());
        }
        return Ok(Frozen {
            variant,
            ..Frozen::default()
        });
    }
    Ok(Frozen {
        subject: text.subject,
        body: Some(text.body),
        variant,
    })
}

/// An opt-out needs no enrollment; a reply may follow a completed sequence, and a meeting a
/// reply.
fn log_without_enrollment(
    tx: &mut Tx,
    p: &Prospect,
    req: &LogRequest,
    s: &Settings,
    now: NaiveDateTime,
) -> Result<(Logged, String)> {
    let name = p.full_name();
    let event = &req.event;
    match event {
        Event::OptedOut | Event::Complained => {
            let complained = *event == Event::Complained;
            let message = if complained {
                format!("{name} complained (spam) — on the do-not-contact list for good")
            } else {
                format!("{name} opted out — on the do-not-contact list for good")
            };
            let r = Record {
                at: now,
                step: None,
                channel: None,
                outcome: if complained {
                    Outcome::Complained
                } else {
                    Outcome::OptedOut
                },
                reason: None,
                attributed_step: None,
                kind: None,
                is_touch: false,
            };
            tx.append(None, p.id, &r, req.note.as_deref(), None)?;
            apply_effects(tx, p, 0, &[Effect::DoNotContact])?;
            let logged = Logged {
                message: message.clone(),
                enrollment: None,
                referred: None,
            };
            Ok((logged, message))
        }
        Event::Replied | Event::Meeting => {
            let last = queries::enrollments_of(tx.conn(), p.id)?
                .into_iter()
                .next_back();
            let late_ok = |e: &Enrollment| {
                matches!(
                    (e.status, event),
                    (Status::Closed(Exit::Completed), _)
                        | (Status::Closed(Exit::Replied), Event::Meeting)
                )
            };
            let Some((e, seq_name)) = last.filter(|(e, _)| late_ok(e)) else {
                bail!(
                    "{name} has no open enrollment to log a {} on",
                    event_name(event)
                )
            };
            let seq = tx.version(e.version_id)?;
            let ctx = Ctx {
                plan: &seq.plan,
                reach: p.reachability(),
                now,
                cal: &s.cal,
            };
            let mut t = domain::apply(&ctx, &e, event)?;
            if let Some(step) = req.credit {
                credit_to(tx, &e, &seq, &mut t.records, step)?;
            }
            reply::stamp(&req.reply, &mut t.records, now.date())?;
            let mut message = logged_sentence(event, p, &seq, &e, &t.enrollment, &t.records, now);
            tx.put_enrollment(&t.enrollment, &seq_name)?;
            for r in &t.records {
                let id = tx.append(Some(e.id), p.id, r, req.note.as_deref(), None)?;
                if r.outcome == Outcome::Meeting {
                    if let Some(at) = req.meeting_at {
                        tx.set_meeting_at(id, at)?;
                    }
                }
            }
            let follow = reply::follow_on(tx, p, &seq, &req.reply, &s.cal, now)?;
            message.push_str(&follow.said);
            let logged = Logged {
                message: message.clone(),
                enrollment: Some(t.enrollment),
                referred: follow.referred,
            };
            Ok((logged, message))
        }
        _ => bail!("{name} has no open enrollment: nothing is due"),
    }
}

/// The newest email of an enrollment still logged as sent: its row and step.
fn last_sent_email(tx: &Tx, enrollment_id: i64) -> Result<Option<(i64, Option<i64>)>> {
    use rusqlite::OptionalExtension;
    Ok(tx
        .conn()
        .query_row(
            "SELECT id, step FROM touches WHERE enrollment_id = ?1 AND channel = 'email' \
             AND outcome = 'sent' ORDER BY at DESC, id DESC LIMIT 1",
            [enrollment_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// A bounce reported after the fact (read from the inbox, or logged from the command line):
/// the last email sent in this enrollment becomes the bounced one, whichever step is current
/// by now, and the address is marked bad, so the email steps still ahead are skipped as
/// they come. The current step stays as it is.
fn late_bounce(
    tx: &mut Tx,
    p: &Prospect,
    (e, seq_name): (&Enrollment, &str),
    seq: &Sequence,
    (touch_id, step): (i64, Option<i64>),
    s: &Settings,
    now: NaiveDateTime,
) -> Result<(Logged, String)> {
    let name = p.full_name();
    tx.bounce_sent(touch_id)?;
    apply_effects(tx, p, e.id, &[Effect::MarkEmailBad])?;
    let bounced = step
        .and_then(|s| usize::try_from(s).ok())
        .map(|s| step_label(seq, s))
        .unwrap_or_else(|| "email".to_string());
    let mut message = format!("{bounced} to {name} bounced: the address is marked bad");
    let mut after = e.clone();
    // An email that is the current step can no longer go out: it is skipped now, as the
    // engine skips every step a prospect cannot be reached on.
    let current_is_email = seq
        .plan
        .steps
        .get(e.step)
        .is_some_and(|step| step.channel == crate::domain::Channel::Email);
    if current_is_email && e.status == Status::Active {
        let reach = crate::domain::Reachability {
            email: false,
            ..p.reachability()
        };
        let ctx = Ctx {
            plan: &seq.plan,
            reach,
            now,
            cal: &s.cal,
        };
        let skip = Event::Skip {
            reason: "skipped automatically: the address bounced".to_string(),
        };
        let t = domain::apply(&ctx, e, &skip)?;
        after = t.enrollment;
        // Closed for want of a reachable step: the bounce ended it.
        if after.status == Status::Closed(Exit::Completed) {
            after.status = Status::Closed(Exit::Bounced);
        }
        tx.put_enrollment(&after, seq_name)?;
        for r in &t.records {
            tx.append(Some(e.id), p.id, r, None, None)?;
        }
        message.push_str(&match after.due {
            _ if !after.status.is_open() => ", and the sequence ends".to_string(),
            Some(due) => format!(
                "; its email step is skipped, next: {} {}",
                step_label(seq, after.step),
                day_label(due.date(), now.date())
            ),
            None => "; its email step is skipped".to_string(),
        });
    } else {
        message.push_str("; the sequence's email steps are skipped as they come");
    }
    Ok((
        Logged {
            message: message.clone(),
            enrollment: Some(after),
            referred: None,
        },
        message,
    ))
}

/// Applies the engine's side effects to the prospect, the do-not-contact list and other
/// enrollments, inside the action.
fn apply_effects(
    tx: &mut Tx,
    p: &Prospect,
    this_enrollment: i64,
    effects: &[Effect],
) -> Result<()> {
    if effects.is_empty() {
        return Ok(());
    }
    let mut changed = p.clone();
    for effect in effects {
        match effect {
            Effect::MarkEmailBad => changed.email_bad = true,
            Effect::MarkPhoneBad => changed.phone_bad = true,
            Effect::RestUntil(d) => changed.rest_until = Some(*d),
            Effect::DoNotContact => {
                for (kind, value) in p.identifiers() {
                    tx.add_dnc(kind, &value, p.id)?;
                }
            }
            Effect::CloseOthers(exit) => {
                for (mut other, seq) in queries::enrollments_of(tx.conn(), p.id)? {
                    if other.id != this_enrollment && other.status.is_open() {
                        other.status = Status::Closed(*exit);
                        other.due = None;
                        other.paused_gap = None;
                        other.resume_on = None;
                        other.closed_at = Some(tx.now);
                        tx.put_enrollment(&other, &seq)?;
                    }
                }
            }
        }
    }
    if changed != *p {
        tx.put_prospect(&changed)?;
    }
    Ok(())
}
