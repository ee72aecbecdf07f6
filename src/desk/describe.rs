//! The sentences the status line and the command line print after an action.

use super::log::Open;
use crate::content::Sequence;
use crate::domain::{Enrollment, Event, Exit, Outcome, Record, ReplyKind, Status};
use chrono::{NaiveDate, NaiveDateTime};

/// "Thu 26 Nov"; "today" and "tomorrow" where that reads better.
pub fn day_label(day: NaiveDate, today: NaiveDate) -> String {
    if day == today {
        "today".to_string()
    } else if Some(day) == today.succ_opt() {
        "tomorrow".to_string()
    } else {
        day.format("%a %-d %b").to_string()
    }
}

/// "2/8 bump".
pub fn step_label(seq: &Sequence, step: usize) -> String {
    let purpose = seq
        .plan
        .steps
        .get(step)
        .map(|s| s.purpose.as_str())
        .unwrap_or("");
    format!("{}/{} {purpose}", step + 1, seq.plan.steps.len())
}

/// What comes next for an enrollment after an action: "next: call, Thu 26 Nov".
pub fn next_clause(seq: &Sequence, e: &Enrollment, now: NaiveDateTime) -> String {
    match e.status_on(now.date()) {
        Status::Closed(exit) => format!("closed: {exit}"),
        Status::Paused => match e.resume_on {
            Some(back) => format!("paused until {}", day_label(back, now.date())),
            None => "paused".to_string(),
        },
        Status::Active => match (seq.plan.steps.get(e.step), e.due) {
            (Some(step), Some(due)) => {
                // "call call" reads badly: name the channel once when the purpose repeats it.
                let what = if step.purpose == step.channel.as_str() {
                    step.purpose.clone()
                } else {
                    format!("{} {}", step.channel, step.purpose)
                };
                format!("next: {what}, {}", day_label(due.date(), now.date()))
            }
            _ => "nothing left".to_string(),
        },
    }
}

/// An enrollment's state in a few words, the same in every view and on the command line:
/// "3/10 call · Thu 26 Nov" (due then), "paused until Mon 7 Dec", "removed (deal closed)".
pub fn enrollment_state(seq: &Sequence, e: &Enrollment, now: NaiveDateTime) -> String {
    let today = now.date();
    match (e.status_on(today), e.due) {
        (Status::Active, Some(due)) => format!(
            "{} · {}",
            step_label(seq, e.step),
            day_label(due.date(), today)
        ),
        (Status::Active, None) => "active".to_string(),
        (Status::Paused, _) => match e.resume_on {
            Some(back) => format!("paused until {}", day_label(back, today)),
            None => "paused".to_string(),
        },
        (Status::Closed(exit), _) => {
            let reason = e
                .exit_reason
                .as_deref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default();
            format!("{}{reason}", exit.as_str().replace('_', " "))
        }
    }
}

/// The outcome word an event is logged and undone under.
pub fn event_name(event: &Event) -> &'static str {
    match event {
        Event::Work(o) => o.as_str(),
        Event::Replied => "replied",
        Event::Meeting => "meeting",
        Event::OptedOut => "opted-out",
        Event::Complained => "complained",
        Event::Skip { .. } => "skipped",
        Event::Snooze { .. } => "snoozed",
        Event::Pause { .. } => "paused",
        Event::Resume => "resumed",
        Event::Remove { .. } => "removed",
    }
}

/// "Sent 2/8 opener to Dana Reyes — next: call, Thu 26 Nov".
pub(super) fn logged_sentence(
    event: &Event,
    open: &Open,
    after: &Enrollment,
    records: &[Record],
    now: NaiveDateTime,
) -> String {
    let Open {
        p, e: before, seq, ..
    } = *open;
    let name = p.full_name();
    let step = step_label(seq, before.step);
    let closed = |what: &str| format!("{what} — closed; {}", credited(seq, after, records));
    let head = match event {
        Event::Work(Outcome::Connected) => {
            return format!(
                "Connected with {name} on {step} — {}",
                call_end(seq, after, records)
            );
        }
        Event::Work(Outcome::Bounced) => format!("Bounce on {step} for {name}; email marked bad"),
        Event::Work(Outcome::WrongNumber) => {
            format!("Wrong number on {step} for {name}; phone marked bad")
        }
        Event::Work(o) if Outcome::CALL.contains(o) => format!("Called {name} ({step}): {o}"),
        Event::Work(Outcome::Sent) => format!("Sent {step} to {name}"),
        Event::Work(_) => format!("Done {step} for {name}"),
        Event::Replied => return closed(&format!("{name} replied")),
        Event::Meeting => return closed(&format!("Meeting booked with {name}")),
        Event::OptedOut => {
            return format!("{name} opted out — closed, on the do-not-contact list for good");
        }
        Event::Complained => {
            return format!(
                "{name} complained (spam) — closed, on the do-not-contact list for good"
            );
        }
        Event::Skip { reason } => format!("Skipped {step} for {name} ({reason})"),
        Event::Snooze { .. } => format!("Snoozed {step} for {name}"),
        Event::Pause { .. } => format!("Paused {name}"),
        Event::Resume => format!("Resumed {name}"),
        Event::Remove { reason } => {
            return format!("Removed {name} from {} ({reason})", seq.name);
        }
    };
    let skipped = auto_skipped(records);
    format!("{head}{skipped} — {}", next_clause(seq, after, now))
}

/// " (2 unreachable steps skipped)", or nothing.
fn auto_skipped(records: &[Record]) -> String {
    let auto_skips = records
        .iter()
        .filter(|r| {
            r.outcome == Outcome::Skipped
                && r.reason
                    .as_deref()
                    .is_some_and(|x| x.starts_with("skipped automatically"))
        })
        .count();
    match auto_skips {
        0 => String::new(),
        1 => " (1 unreachable step skipped)".to_string(),
        n => format!(" ({n} unreachable steps skipped)"),
    }
}

/// What a reply or meeting is credited to (the engine's choice, or the rep's).
fn credited(seq: &Sequence, after: &Enrollment, records: &[Record]) -> String {
    let credit = records
        .iter()
        .find(|r| matches!(r.outcome, Outcome::Replied | Outcome::Meeting))
        .and_then(|r| r.attributed_step);
    match credit {
        Some(i) => format!("credited to step {}", step_label(seq, i)),
        None if after.last_worked_step.is_some() => {
            "credited to no step (only silent touches went out)".to_string()
        }
        None => "before any touch went out".to_string(),
    }
}

/// How a connected call ended, as the status line says it.
fn call_end(seq: &Sequence, after: &Enrollment, records: &[Record]) -> String {
    match after.status {
        Status::Closed(Exit::Meeting) => "meeting booked, sequence closed".to_string(),
        Status::Closed(Exit::Removed) => format!(
            "{}: removed from {} (not an opt-out)",
            crate::domain::conversation::NOT_INTERESTED,
            seq.name
        ),
        _ => {
            let kind = records
                .iter()
                .find(|r| r.outcome == Outcome::Replied)
                .and_then(|r| r.kind);
            match kind {
                Some(ReplyKind::Positive) => "interested: closed as replied",
                Some(ReplyKind::NotNow) => "not now",
                Some(ReplyKind::Referral) => "referred you on",
                Some(ReplyKind::WrongPerson) => "wrong person: closed",
                _ => "closed as replied",
            }
            .to_string()
        }
    }
}
