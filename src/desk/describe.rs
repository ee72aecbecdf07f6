//! The sentences the status line and the command line print after an action.

use crate::content::Sequence;
use crate::domain::{Enrollment, Status};
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
    match e.status {
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
