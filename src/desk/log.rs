//! Logging what happened on a touch: the engine decides, the store records, in one action.

use super::describe::{day_label, next_clause, step_label};
use super::schedule::level;
use super::Desk;
use crate::content::{Rendered, Sequence};
use crate::domain::{
    self, Ctx, Effect, Enrollment, Event, Exit, Outcome, Prospect, Record, Status,
};
use crate::store::{queries, undo::Frozen, Tx};
use anyhow::{anyhow, bail, Result};
use chrono::NaiveDateTime;

/// The result of a logged outcome: the status-line sentence and the enrollment after it.
#[derive(Debug, Clone)]
pub struct Logged {
    pub message: String,
    pub enrollment: Option<Enrollment>,
}

impl Desk {
    /// Logs an event on the prospect's current touch. `text` is the message as it went out
    /// (edited by the rep, or `None` to freeze the rendered template).
    pub fn log(
        &mut self,
        prospect_id: i64,
        event: Event,
        note: Option<String>,
        text: Option<Rendered>,
        now: NaiveDateTime,
    ) -> Result<Logged> {
        let p = queries::prospect(self.store.conn(), prospect_id)?
            .ok_or_else(|| anyhow!("no prospect {prospect_id}"))?;
        let open = queries::open_enrollment(self.store.conn(), p.id)?;
        let (e, seq_name) = match open {
            Some(found) => found,
            None => return self.log_without_enrollment(&p, &event, note, now),
        };
        let seq = self.store.version(e.version_id)?;
        let frozen = match &event {
            Event::Work(_) => {
                let r = match text {
                    Some(t) => t,
                    None => self.render_current(&p, &e, &seq)?,
                };
                Some(Frozen {
                    subject: r.subject,
                    body: Some(r.body),
                    variant: Desk::variant_of(&e, &seq),
                })
            }
            _ => None,
        };
        let cal = self.config.calendar.clone();
        let ctx = Ctx {
            plan: &seq.plan,
            reach: p.reachability(),
            now,
            cal: &cal,
        };
        let settled = domain::engine::settle(&ctx, &e).1.len();
        let t = domain::apply(&ctx, &e, &event)?;
        let kind = event_name(&event);
        let cap = self.config.max_touches_per_day();
        self.store.action(kind, now, |tx| {
            let mut after = t.enrollment.clone();
            let moved = level(tx, &mut after, cap, &cal, now.date(), false)?;
            let mut message = describe(&event, &p, &seq, &e, &after, &t.records, now);
            if let Some(m) = moved {
                message.push_str(&format!(
                    " (moved from {}: that day is full)",
                    day_label(m.from, now.date())
                ));
            }
            tx.put_enrollment(&after, &seq_name)?;
            for (i, r) in t.records.iter().enumerate() {
                let primary = i == settled;
                let text = if r.is_touch { frozen.as_ref() } else { None };
                let note = if primary { note.as_deref() } else { None };
                tx.append(Some(e.id), p.id, r, note, text)?;
            }
            apply_effects(tx, &p, e.id, &t.effects)?;
            Ok((
                Logged {
                    message: message.clone(),
                    enrollment: Some(after),
                },
                message,
            ))
        })
    }

    /// An opt-out needs no enrollment; a meeting may follow a reply on a closed one.
    fn log_without_enrollment(
        &mut self,
        p: &Prospect,
        event: &Event,
        note: Option<String>,
        now: NaiveDateTime,
    ) -> Result<Logged> {
        let name = p.full_name();
        match event {
            Event::OptedOut => {
                let message = format!("{name} opted out — on the do-not-contact list for good");
                self.store.action("opted-out", now, |tx| {
                    let r = Record {
                        at: now,
                        step: None,
                        channel: None,
                        outcome: Outcome::OptedOut,
                        reason: None,
                        attributed_step: None,
                        is_touch: false,
                    };
                    tx.append(None, p.id, &r, note.as_deref(), None)?;
                    apply_effects(tx, p, 0, &[Effect::DoNotContact])?;
                    Ok((
                        Logged {
                            message: message.clone(),
                            enrollment: None,
                        },
                        message,
                    ))
                })
            }
            Event::Replied | Event::Meeting => {
                let last = queries::enrollments_of(self.store.conn(), p.id)?
                    .into_iter()
                    .next_back();
                let late_ok = |e: &Enrollment| {
                    matches!(
                        (e.status, event),
                        (Status::Closed(Exit::Completed), _)
                            | (Status::Closed(Exit::Replied), Event::Meeting)
                    )
                };
                match last {
                    Some((e, seq_name)) if late_ok(&e) => {
                        let seq = self.store.version(e.version_id)?;
                        let cal = self.config.calendar.clone();
                        let ctx = Ctx {
                            plan: &seq.plan,
                            reach: p.reachability(),
                            now,
                            cal: &cal,
                        };
                        let t = domain::apply(&ctx, &e, event)?;
                        let message = describe(event, p, &seq, &e, &t.enrollment, &t.records, now);
                        let kind = event_name(event);
                        self.store.action(kind, now, |tx| {
                            tx.put_enrollment(&t.enrollment, &seq_name)?;
                            for r in &t.records {
                                tx.append(Some(e.id), p.id, r, note.as_deref(), None)?;
                            }
                            Ok((
                                Logged {
                                    message: message.clone(),
                                    enrollment: Some(t.enrollment.clone()),
                                },
                                message,
                            ))
                        })
                    }
                    _ => bail!(
                        "{name} has no open enrollment to log a {} on",
                        event_name(event)
                    ),
                }
            }
            _ => bail!("{name} has no open enrollment: nothing is due"),
        }
    }
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

fn event_name(event: &Event) -> &'static str {
    match event {
        Event::Work(o) => o.as_str(),
        Event::Replied => "replied",
        Event::Meeting => "meeting",
        Event::OptedOut => "opted-out",
        Event::Skip { .. } => "skipped",
        Event::Snooze { .. } => "snoozed",
        Event::Pause { .. } => "paused",
        Event::Resume => "resumed",
        Event::Remove { .. } => "removed",
    }
}

/// "Sent 2/8 opener to Dana Reyes — next: call, Thu 26 Nov".
fn describe(
    event: &Event,
    p: &Prospect,
    seq: &Sequence,
    before: &Enrollment,
    after: &Enrollment,
    records: &[Record],
    now: NaiveDateTime,
) -> String {
    let name = p.full_name();
    let step = step_label(seq, before.step);
    let next = next_clause(seq, after, now);
    let auto_skips = records
        .iter()
        .filter(|r| {
            r.outcome == Outcome::Skipped
                && r.reason
                    .as_deref()
                    .is_some_and(|x| x.starts_with("skipped automatically"))
        })
        .count();
    let skipped = match auto_skips {
        0 => String::new(),
        1 => " (1 unreachable step skipped)".to_string(),
        n => format!(" ({n} unreachable steps skipped)"),
    };
    let credited = |e: &Enrollment| match e.last_worked_step {
        Some(i) => format!("credited to step {}", step_label(seq, i)),
        None => "before any touch went out".to_string(),
    };
    let head = match event {
        Event::Work(Outcome::Connected) => {
            return format!("Connected with {name} on call {step} — closed as replied");
        }
        Event::Work(Outcome::Bounced) => format!("Bounce on {step} for {name}; email marked bad"),
        Event::Work(Outcome::WrongNumber) => {
            format!("Wrong number on {step} for {name}; phone marked bad")
        }
        Event::Work(o) if Outcome::CALL.contains(o) => format!("Called {name} ({step}): {o}"),
        Event::Work(Outcome::Sent) => format!("Sent {step} to {name}"),
        Event::Work(_) => format!("Done {step} for {name}"),
        Event::Replied => return format!("{name} replied — closed; {}", credited(after)),
        Event::Meeting => {
            return format!("Meeting booked with {name} — closed; {}", credited(after))
        }
        Event::OptedOut => {
            return format!("{name} opted out — closed, on the do-not-contact list for good")
        }
        Event::Skip { reason } => format!("Skipped {step} for {name} ({reason})"),
        Event::Snooze { .. } => format!("Snoozed {step} for {name}"),
        Event::Pause { .. } => format!("Paused {name}"),
        Event::Resume => format!("Resumed {name}"),
        Event::Remove { reason } => return format!("Removed {name} from {} ({reason})", seq.name),
    };
    format!("{head}{skipped} — {next}")
}
