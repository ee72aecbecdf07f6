//! The engine's vocabulary of change: the events a rep logs, the records and effects the
//! engine answers with, and what it refuses.

use super::types::{Channel, Enrollment, Exit, Outcome};
use chrono::{NaiveDate, NaiveDateTime};
use thiserror::Error;

/// What the rep did, as the engine understands it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The current step was worked with this outcome (sent, bounced, done, a call outcome).
    Work(Outcome),
    Replied,
    Meeting,
    OptedOut,
    /// A spam complaint: everything an opt-out does, counted apart.
    Complained,
    Skip {
        reason: String,
    },
    Snooze {
        until: NaiveDate,
    },
    Pause {
        until: Option<NaiveDate>,
    },
    Resume,
    Remove {
        reason: String,
    },
}

impl Event {
    /// Builds the event for an outcome name as the command line and the app log it.
    pub fn from_outcome(
        outcome: Outcome,
        reason: Option<String>,
        until: Option<NaiveDate>,
    ) -> Result<Event, EngineError> {
        let reason_or = |default: &str| {
            reason
                .clone()
                .filter(|r| !r.trim().is_empty())
                .unwrap_or_else(|| default.to_string())
        };
        Ok(match outcome {
            Outcome::Replied => Event::Replied,
            Outcome::Meeting => Event::Meeting,
            Outcome::OptedOut => Event::OptedOut,
            Outcome::Complained => Event::Complained,
            Outcome::Skipped => Event::Skip {
                reason: reason_or("skipped by the rep"),
            },
            Outcome::Snoozed => Event::Snooze {
                until: until.ok_or(EngineError::NeedsDate("snoozed"))?,
            },
            Outcome::Paused => Event::Pause { until },
            Outcome::Resumed => Event::Resume,
            Outcome::Removed => Event::Remove {
                reason: reason_or("removed by the rep"),
            },
            step if step.is_conversation() => return Err(EngineError::ConversationStep(step)),
            work => Event::Work(work),
        })
    }
}

/// A side effect outside the enrollment that the store applies in the same transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    MarkEmailBad,
    MarkPhoneBad,
    /// Every identifier of the prospect goes on the do-not-contact list.
    DoNotContact,
    /// Every other open enrollment of the prospect closes with this exit.
    CloseOthers(Exit),
    /// The prospect rests (cannot be enrolled unless forced) until this date.
    RestUntil(NaiveDate),
}

/// One line of the append-only touch log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub at: NaiveDateTime,
    pub step: Option<usize>,
    pub channel: Option<Channel>,
    pub outcome: Outcome,
    pub reason: Option<String>,
    /// For replies and meetings: the step that produced it.
    pub attributed_step: Option<usize>,
    /// For replies: what kind of answer it was, when the rep said.
    pub kind: Option<super::types::ReplyKind>,
    /// True for the record of the touch the rep worked: its text is frozen on it.
    pub is_touch: bool,
}

/// The engine's answer to an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub enrollment: Enrollment,
    pub records: Vec<Record>,
    pub effects: Vec<Effect>,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EngineError {
    #[error("'{0}' is a step of the conversation after a reply, not of a sequence")]
    ConversationStep(Outcome),
    #[error("the enrollment is closed ({0}); nothing is due")]
    Closed(Exit),
    #[error("the enrollment is paused; resume it first")]
    Paused,
    #[error("the enrollment is not paused")]
    NotPaused,
    #[error("the enrollment is already paused")]
    AlreadyPaused,
    #[error("'{outcome}' does not fit step {step} ({channel}); use one of: {allowed}")]
    WrongOutcome {
        outcome: Outcome,
        step: usize,
        channel: Channel,
        allowed: String,
    },
    #[error("'{0}' needs a date (--until DATE)")]
    NeedsDate(&'static str),
    #[error("snooze needs a date after today ({0} is not)")]
    SnoozeNotLater(NaiveDate),
    #[error(
        "the plan puts this touch on {earliest} at the earliest; a snooze to {until} would squeeze the spacing"
    )]
    SnoozeEarlier {
        until: NaiveDate,
        earliest: NaiveDate,
    },
    #[error("the return date {0} is not after today")]
    ReturnNotLater(NaiveDate),
    #[error("the prospect cannot be reached on any step of this sequence")]
    Unreachable,
    #[error("the sequence has no steps")]
    NoSteps,
    #[error("this sequence times steps to the decision date: give it (--decision DATE)")]
    NeedsDecision,
    #[error("the end date {0} is not after the start")]
    UntilNotLater(NaiveDate),
}
