//! What the rep logs, as types: each event carries what it needs and nothing else, so a
//! credit on a skip or a call's ending on an email cannot be written.

use super::reply::ReplyDetails;
use crate::content::Rendered;
use crate::domain::{EngineError, Event, Outcome, TouchRef};
use chrono::NaiveDate;

/// How a connected call went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallWent {
    /// A conversation, which counts as a reply (of this kind, when the rep said).
    Reply(ReplyDetails),
    /// A meeting was booked on the call (at this time, on the rep's clock, when known).
    Meeting(Option<crate::domain::conversation::MeetingTime>),
    /// They said no: removed from the sequence, not opted out.
    NotInterested,
}

/// What happened, with what that event needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Happened {
    /// The touch was worked: sent, done, or how a call went short of connecting. `text` is
    /// the message as it went out when the rep edited it.
    Worked {
        outcome: Outcome,
        text: Option<Rendered>,
    },
    /// A message that was not ready went out anyway, as the rep copied it (`C`): the rep's
    /// override. It is frozen as copied, each `⟨field⟩` gap written `[field]`.
    SentAsCopied {
        outcome: Outcome,
        text: Rendered,
    },
    /// A call connected; `text` is the script as the rep edited it.
    Connected {
        went: CallWent,
        text: Option<Rendered>,
    },
    /// An email bounced: the one on screen, or (`reported`) a bounce that came back about
    /// the last email that went out, whichever step is current by now.
    Bounced {
        reported: bool,
    },
    /// They answered; `credit` (a 1-based step) overrides the engine's choice.
    Replied {
        details: ReplyDetails,
        credit: Option<usize>,
    },
    /// A meeting was booked, at `at` when known.
    Meeting {
        at: Option<crate::domain::conversation::MeetingTime>,
        credit: Option<usize>,
    },
    OptedOut,
    /// A spam complaint: everything an opt-out does, counted apart.
    Complained,
    Skipped {
        reason: String,
    },
    Snoozed {
        until: NaiveDate,
    },
    Paused {
        until: Option<NaiveDate>,
    },
    Resumed,
    Removed {
        reason: String,
    },
}

impl Happened {
    /// The plain form of an outcome the command line and the app log by name.
    pub fn from_outcome(
        outcome: Outcome,
        reason: Option<String>,
        until: Option<NaiveDate>,
    ) -> Result<Happened, EngineError> {
        Ok(Happened::from(Event::from_outcome(outcome, reason, until)?))
    }

    /// The engine's event for it.
    pub fn event(&self) -> Event {
        match self {
            Happened::Worked { outcome, .. } | Happened::SentAsCopied { outcome, .. } => {
                Event::Work(*outcome)
            }
            Happened::Connected { .. } => Event::Work(Outcome::Connected),
            Happened::Bounced { .. } => Event::Work(Outcome::Bounced),
            Happened::Replied { .. } => Event::Replied,
            Happened::Meeting { .. } => Event::Meeting,
            Happened::OptedOut => Event::OptedOut,
            Happened::Complained => Event::Complained,
            Happened::Skipped { reason } => Event::Skip {
                reason: reason.clone(),
            },
            Happened::Snoozed { until } => Event::Snooze { until: *until },
            Happened::Paused { until } => Event::Pause { until: *until },
            Happened::Resumed => Event::Resume,
            Happened::Removed { reason } => Event::Remove {
                reason: reason.clone(),
            },
        }
    }

    /// The message as the rep edited it, for a worked touch.
    pub(super) fn text(&self) -> Option<&Rendered> {
        match self {
            Happened::Worked { text, .. } | Happened::Connected { text, .. } => text.as_ref(),
            Happened::SentAsCopied { text, .. } => Some(text),
            _ => None,
        }
    }

    /// The step the rep credits a reply or meeting to.
    pub(super) fn credit(&self) -> Option<usize> {
        match self {
            Happened::Replied { credit, .. } | Happened::Meeting { credit, .. } => *credit,
            _ => None,
        }
    }

    /// What the rep said about an answer (nothing for other events).
    pub(super) fn reply(&self) -> ReplyDetails {
        match self {
            Happened::Replied { details, .. }
            | Happened::Connected {
                went: CallWent::Reply(details),
                ..
            } => details.clone(),
            _ => ReplyDetails::default(),
        }
    }

    /// When a meeting logged now takes place.
    pub(super) fn meeting_at(&self) -> Option<crate::domain::conversation::MeetingTime> {
        match self {
            Happened::Meeting { at, .. }
            | Happened::Connected {
                went: CallWent::Meeting(at),
                ..
            } => *at,
            _ => None,
        }
    }

    /// Events about this touch need it to be the one the rep saw. A reply, a meeting, an
    /// opt-out or a bounce that came back later is news about the person, whichever touch is
    /// current.
    pub(super) fn bound_to_touch(&self) -> bool {
        !matches!(
            self,
            Happened::Replied { .. }
                | Happened::Meeting { .. }
                | Happened::OptedOut
                | Happened::Complained
        )
    }

    /// Work outcomes and skips need the touch to be due; a bounce reports mail that went out.
    pub fn needs_due(&self) -> bool {
        matches!(
            self,
            Happened::Worked { .. }
                | Happened::SentAsCopied { .. }
                | Happened::Connected { .. }
                | Happened::Skipped { .. }
        )
    }
}

impl From<Event> for Happened {
    fn from(event: Event) -> Happened {
        match event {
            Event::Work(Outcome::Connected) => Happened::Connected {
                went: CallWent::Reply(ReplyDetails::default()),
                text: None,
            },
            Event::Work(Outcome::Bounced) => Happened::Bounced { reported: false },
            Event::Work(outcome) => Happened::Worked {
                outcome,
                text: None,
            },
            Event::Replied => Happened::Replied {
                details: ReplyDetails::default(),
                credit: None,
            },
            Event::Meeting => Happened::Meeting {
                at: None,
                credit: None,
            },
            Event::OptedOut => Happened::OptedOut,
            Event::Complained => Happened::Complained,
            Event::Skip { reason } => Happened::Skipped { reason },
            Event::Snooze { until } => Happened::Snoozed { until },
            Event::Pause { until } => Happened::Paused { until },
            Event::Resume => Happened::Resumed,
            Event::Remove { reason } => Happened::Removed { reason },
        }
    }
}

/// One event the rep logs, and the touch they saw when they did.
#[derive(Debug, Clone)]
pub struct LogRequest {
    pub prospect_id: i64,
    /// The touch on screen (or that the command read). `None` only for a prospect with no
    /// open enrollment (an opt-out, a late reply).
    pub touch: Option<TouchRef>,
    pub happened: Happened,
    pub note: Option<String>,
    /// Work a touch that is due on a later day, on purpose.
    pub ahead: bool,
    /// Refuse a work outcome that repeats the one just logged on the step before: the same
    /// command run again from the shell's history.
    pub refuse_repeat: bool,
    /// An opt-out for the whole company: their work domain goes on the list too, in the
    /// same action (one undo).
    pub whole_domain: bool,
    /// For a reply the inbox read: the kind its words suggest, kept on the conversation.
    pub suggested: Option<crate::domain::conversation::Suggestion>,
}

impl LogRequest {
    pub fn new(prospect_id: i64, touch: Option<TouchRef>, happened: Happened) -> LogRequest {
        LogRequest {
            prospect_id,
            touch,
            happened,
            note: None,
            ahead: false,
            refuse_repeat: false,
            whole_domain: false,
            suggested: None,
        }
    }
}
