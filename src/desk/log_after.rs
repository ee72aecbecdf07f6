//! The logs that take another path than the current touch: someone in no sequence (an
//! opt-out), an answer after the sequence ended, a bounce that came back later; and the
//! engine's side effects on the prospect and their other enrollments.

use super::credit::credit_to;
use super::describe::{day_label, event_name, logged_sentence, step_label};
use super::happened::{Happened, LogRequest};
use super::log::{Logged, Open, Settings};
use super::reply;
use super::store::{Tx, queries};
use crate::domain::{
    self, Ctx, Effect, Enrollment, Event, Exit, Outcome, Prospect, Record, Status,
};
use anyhow::{Result, bail};
use chrono::NaiveDateTime;

/// An opt-out needs no enrollment; a reply may follow a completed sequence, and a meeting a
/// reply.
pub(super) fn log_without_enrollment(
    tx: &mut Tx,
    p: &Prospect,
    req: &LogRequest,
    s: &Settings,
    now: NaiveDateTime,
) -> Result<(Logged, String)> {
    match &req.happened {
        Happened::OptedOut => opt_out_alone(tx, p, (Outcome::OptedOut, req.note.as_deref()), s),
        Happened::Complained => opt_out_alone(tx, p, (Outcome::Complained, req.note.as_deref()), s),
        // "Not now" in a conversation under way: it ends, and they come back on their day.
        Happened::Replied { details, .. }
            if p.conversation.is_some() && details.kind == Some(domain::ReplyKind::NotNow) =>
        {
            super::conversation::not_now(tx, p, details, s)
        }
        // A new message in a conversation already under way reopens it; the reply that
        // began it keeps the credit.
        Happened::Replied { details, .. } if p.conversation.is_some() => {
            super::conversation::reopen(tx, p, details, req.note.as_deref())
        }
        Happened::Replied { .. } | Happened::Meeting { .. } => late_answer(tx, p, req, s, now),
        _ => bail!("{} has no open enrollment: nothing is due", p.full_name()),
    }
}

/// An opt-out (or a complaint) of someone in no sequence: the list, for good.
fn opt_out_alone(
    tx: &mut Tx,
    p: &Prospect,
    (outcome, note): (Outcome, Option<&str>),
    s: &Settings,
) -> Result<(Logged, String)> {
    let name = p.full_name();
    let mut message = if outcome == Outcome::Complained {
        format!("{name} complained (spam) — on the do-not-contact list for good")
    } else {
        format!("{name} opted out — on the do-not-contact list for good")
    };
    let r = Record {
        at: tx.now,
        step: None,
        channel: None,
        outcome,
        reason: None,
        attributed_step: None,
        kind: None,
        is_touch: false,
    };
    tx.append(None, p.id, &r, note, None)?;
    apply_effects(tx, p, 0, &[Effect::DoNotContact])?;
    let told = super::accounts::tell_colleagues(tx, p, &[r], s.account_rule, &s.cal)?;
    message.push_str(&super::log::colleagues_said(told, s.account_rule));
    let logged = Logged {
        message: message.clone(),
        enrollment: None,
        referred: None,
    };
    Ok((logged, message))
}

/// A reply after the sequence completed, or a meeting after a reply: the newest enrollment
/// takes it.
fn late_answer(
    tx: &mut Tx,
    p: &Prospect,
    req: &LogRequest,
    s: &Settings,
    now: NaiveDateTime,
) -> Result<(Logged, String)> {
    let event = req.happened.event();
    let last = queries::enrollments_of(tx.conn(), p.id)?
        .into_iter()
        .next_back();
    let late_ok = |e: &Enrollment| {
        matches!(
            (e.status, &event),
            (Status::Closed(Exit::Completed), _) | (Status::Closed(Exit::Replied), Event::Meeting)
        )
    };
    let Some((e, seq_name)) = last.filter(|(e, _)| late_ok(e)) else {
        bail!(
            "{} has no open enrollment to log a {} on",
            p.full_name(),
            event_name(&event)
        )
    };
    let seq = tx.version(e.version_id)?;
    let ctx = Ctx {
        plan: &seq.plan,
        reach: p.reachability(),
        now,
        cal: &s.cal,
    };
    let mut t = domain::apply(&ctx, &e, &event)?;
    if let Some(step) = req.happened.credit() {
        credit_to(tx, &e, &seq, &mut t.records, step)?;
    }
    let details = req.happened.reply();
    reply::stamp(&details, &mut t.records, now.date())?;
    let open = Open {
        p,
        e: &e,
        seq_name: &seq_name,
        seq: &seq,
    };
    let mut message = logged_sentence(&event, &open, &t.enrollment, &t.records, now);
    tx.put_enrollment(&t.enrollment, &seq_name)?;
    for r in &t.records {
        let id = tx.append(Some(e.id), p.id, r, req.note.as_deref(), None)?;
        if let Some(at) = req
            .happened
            .meeting_at()
            .filter(|_| r.outcome == Outcome::Meeting)
        {
            tx.set_meeting_at(id, at)?;
        }
    }
    let heard = super::conversation::Heard::of((p.id, e.id), &t.records, req, s.zone);
    super::conversation::after_answer(tx, heard)?;
    let told = super::accounts::tell_colleagues(tx, p, &t.records, s.account_rule, &s.cal)?;
    message.push_str(&super::log::colleagues_said(told, s.account_rule));
    let follow = reply::follow_on(tx, p, &seq, &details, s)?;
    message.push_str(&follow.said);
    let logged = Logged {
        message: message.clone(),
        enrollment: Some(t.enrollment),
        referred: follow.referred,
    };
    Ok((logged, message))
}

/// The newest email of an enrollment still logged as sent: its row and step.
pub(super) fn last_sent_email(tx: &Tx, enrollment_id: i64) -> Result<Option<(i64, Option<i64>)>> {
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
/// a bounce of the last email sent in this enrollment, whichever step is current by now,
/// logged as a row of its own that names it (the sent touch stays as it went out: the log
/// is append-only); the address is marked bad, so the email steps still ahead are skipped
/// as they come. The current step stays as it is.
pub(super) fn late_bounce(
    tx: &mut Tx,
    open: &Open,
    (touch_id, step): (i64, Option<i64>),
    s: &Settings,
    now: NaiveDateTime,
) -> Result<(Logged, String)> {
    let Open {
        p,
        e,
        seq_name,
        seq,
    } = *open;
    let name = p.full_name();
    if !log_bounce_of(tx, open, (touch_id, step))? {
        bail!("the bounce of {name}'s last email is logged already");
    }
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

/// The bounce of the sent touch `touch_id`, as a row of its own naming it; false (nothing
/// written) when that email's bounce was logged already (a second notice about it).
fn log_bounce_of(tx: &mut Tx, open: &Open, (touch_id, step): (i64, Option<i64>)) -> Result<bool> {
    let logged_already: bool = tx
        .conn()
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM touches WHERE enrollment_id = ?1 AND id > ?2 \
             AND is_touch = 0 AND outcome = 'bounced')",
        )?
        .query_row(rusqlite::params![open.e.id, touch_id], |r| r.get(0))?;
    if logged_already {
        return Ok(false);
    }
    let sent_at: NaiveDateTime = tx
        .conn()
        .prepare_cached("SELECT at FROM touches WHERE id = ?1")?
        .query_row([touch_id], |r| r.get(0))?;
    let record = Record {
        at: tx.now,
        step: step.and_then(|s| usize::try_from(s).ok()),
        channel: Some(crate::domain::Channel::Email),
        outcome: Outcome::Bounced,
        reason: Some(format!(
            "the email sent {} bounced",
            sent_at.format("%a %-d %b %H:%M")
        )),
        attributed_step: None,
        kind: None,
        is_touch: false,
    };
    tx.append(Some(open.e.id), open.p.id, &record, None, None)?;
    Ok(true)
}

/// Applies the engine's side effects to the prospect, the do-not-contact list and other
/// enrollments, inside the action.
pub(super) fn apply_effects(
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
                // Nothing is due to someone who asked to stop, conversations included.
                changed.conversation = None;
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
