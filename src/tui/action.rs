//! What a key asks for. Keys map to these through the one table in [`super::keymap`];
//! [`super::update`] turns them into state changes and desk calls.

/// The app's views, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Queue,
    Prospects,
    Sequences,
    Stats,
    /// The next working days: what is coming, to work ahead on purpose.
    Upcoming,
}

impl View {
    pub const ALL: [View; 5] = [
        View::Queue,
        View::Prospects,
        View::Sequences,
        View::Stats,
        View::Upcoming,
    ];

    pub fn title(self) -> &'static str {
        match self {
            View::Queue => "Queue",
            View::Prospects => "Prospects",
            View::Sequences => "Sequences",
            View::Stats => "Stats",
            View::Upcoming => "Upcoming",
        }
    }

    pub fn next(self) -> View {
        match self {
            View::Queue => View::Prospects,
            View::Prospects => View::Sequences,
            View::Sequences => View::Stats,
            View::Stats => View::Upcoming,
            View::Upcoming => View::Queue,
        }
    }

    pub fn prev(self) -> View {
        match self {
            View::Queue => View::Upcoming,
            View::Prospects => View::Queue,
            View::Sequences => View::Prospects,
            View::Stats => View::Sequences,
            View::Upcoming => View::Stats,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    /// Scroll the message or card on the right.
    ScrollDown,
    ScrollUp,
    Copy,
    CopySubject,
    /// Copy a touch that is not ready, on purpose.
    CopyAnyway,
    Open,
    Edit,
    /// Fix the prospect's fields in `$EDITOR`.
    EditProspect,
    /// A dated note on the prospect.
    Note,
    /// A new prospect, in `$EDITOR`.
    AddProspect,
    /// Read the inbox now.
    Inbox,
    /// Send the due email from the rep's mailbox (after the undo window).
    SendEmail,
    /// The possible replies the inbox found, to confirm.
    PossibleReplies,
    Done,
    Replied,
    Meeting,
    OptOut,
    /// After `x`: the whole email domain of the person who opted out.
    OptOutDomain,
    /// A spam complaint: an opt-out, counted apart.
    Complained,
    /// Move the credit of the latest reply to another worked step.
    MoveCredit,
    Bounced,
    Skip,
    Snooze,
    Pause,
    Undo,
    /// Type to filter (the queue) or search (prospects).
    Filter,
    /// Mark the row for one action on several prospects.
    Mark,
    /// Work on part of the queue: a channel, a sequence, what is overdue.
    Focus,
    /// Leave what is open: a filter, an opened prospect.
    Back,
    NextView,
    PrevView,
    Show(View),
    Help,
    Quit,
    OpenProspect,
    Enroll,
    Remove,
    /// Stats: the previous / next sequence, and the next period.
    PrevSequence,
    NextSequence,
    CyclePeriod,
    /// How the selected prospect's due date came to be.
    Explain,
    /// Take days off: pending touches move past them.
    TimeOff,
}
