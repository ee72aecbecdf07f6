//! Why a touch is due when it is: the engine records how it computed the date, the desk adds
//! later moves (the daily cap, time off), and `explain` turns it into sentences.

use super::calendar::Calendar;
use super::types::Plan;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where the due date was counted from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Basis {
    /// The first step: due on the start date (or at once, for an inbound lead).
    Start { start: NaiveDate, inbound: bool },
    /// Counted from the day step `step` (0-based) was worked or skipped.
    AfterStep {
        step: usize,
        worked_on: NaiveDate,
        gap: u32,
        working_days: bool,
    },
    /// The rep snoozed the touch on `on` until `until`.
    Snoozed { on: NaiveDate, until: NaiveDate },
    /// Paused on `on` with a return date: due the remaining gap after coming back.
    PausedUntil {
        on: NaiveDate,
        back: NaiveDate,
        gap: u32,
        working_days: bool,
    },
    /// Resumed by hand on `on`: due the gap that was left when it was paused.
    Resumed {
        on: NaiveDate,
        gap: u32,
        working_days: bool,
    },
}

/// A move made after the engine's date: the daily cap or the rep's time off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Move {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Why {
    pub basis: Basis,
    /// Non-working days the date stepped over or rolled past, with the reason.
    #[serde(default)]
    pub skipped_days: Vec<(NaiveDate, String)>,
    /// Steps skipped automatically on the way, with the reason.
    #[serde(default)]
    pub skipped_steps: Vec<(usize, String)>,
    #[serde(default)]
    pub moves: Vec<Move>,
    /// The day the plan itself puts this touch on, before any later move: a snooze may bring
    /// the touch back towards it, never before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub earliest: Option<NaiveDate>,
    /// In calendar days: the plan date before it rolled to a working day, which later steps
    /// count from (a roll moves this touch alone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned: Option<NaiveDate>,
    /// For a step timed to the decision date: that date and the step's offset from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<(NaiveDate, i32)>,
    /// Paused while overdue: when it was due, which it keeps when resumed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overdue_since: Option<chrono::NaiveDateTime>,
}

impl Why {
    pub fn new(basis: Basis) -> Why {
        Why {
            basis,
            skipped_days: Vec::new(),
            skipped_steps: Vec::new(),
            moves: Vec::new(),
            earliest: None,
            planned: None,
            decision: None,
            overdue_since: None,
        }
    }
}

fn day(d: NaiveDate) -> String {
    d.format("%a %-d %b").to_string()
}

fn gap_words(gap: u32, working_days: bool) -> String {
    let unit = if working_days { "working day" } else { "day" };
    match gap {
        0 => "the same day".to_string(),
        1 => format!("1 {unit}"),
        n => format!("{n} {unit}s"),
    }
}

fn step_name(plan: &Plan, i: usize) -> String {
    match plan.steps.get(i) {
        Some(s) if s.purpose == s.channel.as_str() => format!("step {} ({})", i + 1, s.purpose),
        Some(s) => format!("step {} ({} {})", i + 1, s.channel, s.purpose),
        None => format!("step {}", i + 1),
    }
}

/// Sentences that say how the current due date of step `current` came about.
pub fn explain(why: &Why, plan: &Plan, current: usize, _cal: &Calendar) -> Vec<String> {
    let this = step_name(plan, current);
    let mut out = vec![basis_sentence(why, plan, &this)];
    if let Some(decision) = decision_sentence(why, &this) {
        out.push(decision);
    }
    for (i, reason) in &why.skipped_steps {
        out.push(format!("{} was skipped: {reason}.", step_name(plan, *i)));
    }
    if !why.skipped_days.is_empty() {
        let days: Vec<String> = why
            .skipped_days
            .iter()
            .map(|(d, r)| format!("{} ({r})", day(*d)))
            .collect();
        out.push(format!(
            "Passed over non-working days: {}.",
            days.join(", ")
        ));
    }
    for m in &why.moves {
        out.push(format!(
            "Moved from {} to {}: {}.",
            day(m.from),
            day(m.to),
            m.reason
        ));
    }
    out
}

/// The sentence for where the due date was measured from.
fn basis_sentence(why: &Why, plan: &Plan, this: &str) -> String {
    match &why.basis {
        Basis::Start {
            start,
            inbound: true,
        } => format!(
            "{this} is the first touch of an inbound sequence: due the moment the lead came in ({}).",
            day(*start)
        ),
        Basis::Start { start, .. } => format!(
            "{this} is the first touch: due on the start date, {}.",
            day(*start)
        ),
        Basis::AfterStep {
            step,
            worked_on,
            gap,
            working_days,
        } if *gap == 0 => format!(
            "{} was worked on {}; the plan has {this} follow it the same day.",
            step_name(plan, *step),
            day(*worked_on)
        ),
        Basis::AfterStep {
            step,
            worked_on,
            gap,
            working_days: false,
        } => match why.planned {
            Some(planned) => format!(
                "{} was worked on {}; the table puts {this} {} after it: {}.",
                step_name(plan, *step),
                day(*worked_on),
                gap_words(*gap, false),
                day(planned)
            ),
            None => format!(
                "{} was worked on {}; the plan puts {} between it and {this}.",
                step_name(plan, *step),
                day(*worked_on),
                gap_words(*gap, false)
            ),
        },
        Basis::AfterStep {
            step,
            worked_on,
            gap,
            working_days,
        } => format!(
            "{} was worked on {}; the plan puts {} between it and {this}.",
            step_name(plan, *step),
            day(*worked_on),
            gap_words(*gap, *working_days)
        ),
        Basis::Snoozed { on, until } => format!("Snoozed on {} until {}.", day(*on), day(*until)),
        Basis::PausedUntil {
            on,
            back,
            gap,
            working_days,
        } => format!(
            "Paused on {} with {} left, back on {}: due {} after that.",
            day(*on),
            gap_words(*gap, *working_days),
            day(*back),
            gap_words(*gap, *working_days)
        ),
        Basis::Resumed {
            on,
            gap,
            working_days,
        } => format!(
            "Resumed on {} with {} left of the gap it had when paused.",
            day(*on),
            gap_words(*gap, *working_days)
        ),
    }
}

/// The sentence for a step timed to the decision date, if this one is.
fn decision_sentence(why: &Why, this: &str) -> Option<String> {
    let (decision, offset) = why.decision?;
    let when = match offset {
        0 => "on the decision date".to_string(),
        n if n < 0 => format!(
            "{} before the decision date",
            gap_words(n.unsigned_abs(), false)
        ),
        n => format!(
            "{} after the decision date",
            gap_words(n.unsigned_abs(), false)
        ),
    };
    Some(format!("The plan times {this} {when}, {}.", day(decision)))
}
