//! Prompts: a line the rep types (a date, a reason, a note, a moment), with what it is for
//! and whom it is about.

use super::modal::{Conversation, Modal, Target, whose_touch};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub title: String,
    pub help: String,
    pub input: String,
    /// Where typing goes in `input` (a byte offset).
    pub cursor: usize,
    pub purpose: PromptFor,
    pub target: Target,
    /// Why the last Enter was refused.
    pub error: Option<String>,
    /// For a prompt on a connected call: how it went so far (the note prompt logs it).
    pub call: Option<Conversation>,
    /// For "enroll who": the sequence.
    pub sequence: Option<String>,
    /// For the note after a call that booked a meeting: when the meeting is.
    pub meeting_at: Option<chrono::NaiveDateTime>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptFor {
    SnoozeDate,
    PauseUntil,
    SkipReason,
    RemoveReason,
    /// A "not now" reply: the day they come back.
    NotNowDate,
    /// A referral: who they named.
    Referral,
    /// A note on a connected call; empty is fine.
    CallNote,
    /// A dated note on the prospect.
    Note,
    /// When a booked meeting takes place; empty is fine.
    MeetingWhen,
    /// Someone to enroll in the sequence the Sequences view has selected.
    EnrollWho,
    /// Why a conversation closed, won (true) or lost.
    ClosedWhy(bool),
    /// A conversation's meeting: when it is (booked now, or moved).
    ConversationMeeting,
    /// The buyer's decision date, for a sequence timed to it (`proposal`).
    DecisionDate,
}

/// A prompt for `purpose`, its title and help worded for `target`.
pub fn prompt(purpose: PromptFor, target: impl Into<Target>) -> Modal {
    let target: Target = target.into();
    let (title, help) = match purpose {
        PromptFor::SnoozeDate => (
            format!("Snooze {} until", whose_touch(&target)),
            "a day: 2026-12-07, +3, +2w, tomorrow, fri, next tue, jan 11; Enter",
        ),
        PromptFor::PauseUntil => (
            format!("Pause {} until", target.name()),
            "a return date (2026-12-07, +N, a weekday), or just Enter for none",
        ),
        PromptFor::SkipReason => (
            format!("Skip this step for {}: why?", target.name()),
            "type the reason; Enter",
        ),
        PromptFor::RemoveReason => (
            format!("Remove {} from their sequence: why?", target.name()),
            "type the reason; Enter",
        ),
        PromptFor::NotNowDate => (
            format!("Not now: when does {} want to hear back?", target.name()),
            "a date (2027-01-15), +N days or a weekday; Enter",
        ),
        PromptFor::Referral => (
            format!("Who did {} refer you to?", target.name()),
            "a name and an email, like Sam Lee <sam@example.com>; Enter",
        ),
        PromptFor::EnrollWho => (
            String::new(),
            "their email address or prospect id (v marks several in Prospects); Enter",
        ),
        PromptFor::Note => (
            format!("A note on {}", target.name()),
            "kept with today's date on their card; Enter",
        ),
        PromptFor::CallNote => (
            format!("A note on the call with {}", target.name()),
            "what was said, for next time; Enter (alone: no note)",
        ),
        PromptFor::ClosedWhy(won) => (
            format!(
                "Closed {} with {}: why?",
                if won { "won" } else { "lost" },
                target.name()
            ),
            "a few words for the record (\"pilot signed\", \"went with a competitor\"); Enter",
        ),
        PromptFor::ConversationMeeting => (
            format!("The meeting with {}: when is it?", target.name()),
            "a day and a time on your clock (tue 3pm, thu 14:00, jan 11 9:30); Enter",
        ),
        PromptFor::DecisionDate => (
            format!("When does {} decide?", target.name()),
            "the decision date: its late steps fall around it (2027-01-15, +3w, jan 29); Enter",
        ),
        PromptFor::MeetingWhen => (
            format!("Meeting booked with {}: when is it?", target.name()),
            "a day and a time on your clock (tue 3pm, thu 14:00, jan 11 9:30, 15:30 today); Enter alone: not set",
        ),
    };
    Modal::Prompt(Prompt {
        title,
        help: help.to_string(),
        input: String::new(),
        cursor: 0,
        purpose,
        target,
        error: None,
        call: None,
        sequence: None,
        meeting_at: None,
    })
}

/// `e` in Sequences: who to enroll in `sequence`.
pub fn enroll_who(sequence: &str) -> Modal {
    let nobody = Target::Nobody;
    match prompt(PromptFor::EnrollWho, nobody) {
        Modal::Prompt(p) => Modal::Prompt(Prompt {
            title: format!("Enroll who in {sequence}?"),
            sequence: Some(sequence.to_string()),
            ..p
        }),
        other => other,
    }
}

/// A sequence timed to the decision date: the date first, then `target` is enrolled.
pub fn decision_date(target: impl Into<Target>, sequence: &str) -> Modal {
    match prompt(PromptFor::DecisionDate, target) {
        Modal::Prompt(p) => Modal::Prompt(Prompt {
            sequence: Some(sequence.to_string()),
            ..p
        }),
        other => other,
    }
}

/// The last step of a connected call: a note (Enter alone skips it), then it is logged.
pub fn call_note(target: impl Into<Target>, call: Conversation) -> Modal {
    let target: Target = target.into();
    match prompt(PromptFor::CallNote, target) {
        Modal::Prompt(p) => Modal::Prompt(Prompt {
            call: Some(call),
            ..p
        }),
        other => other,
    }
}

/// A meeting was booked (`m`, or on a call): when is it? A call's note comes after.
pub fn meeting_when(target: impl Into<Target>, call: Option<Conversation>) -> Modal {
    let target: Target = target.into();
    match prompt(PromptFor::MeetingWhen, target) {
        Modal::Prompt(p) => Modal::Prompt(Prompt { call, ..p }),
        other => other,
    }
}
