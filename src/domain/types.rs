//! The vocabulary of the domain: channels, outcomes, exits, sequences as the engine sees them,
//! and enrollments.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Implements `Display`/`FromStr` over a fixed list of `(variant, name)` pairs, so the names
/// used on the command line, in files and in the database are written once.
macro_rules! named_enum {
    ($ty:ident, $what:literal, [$(($variant:ident, $name:literal)),+ $(,)?]) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $name),+ }
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl FromStr for $ty {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                // `opted_out`, `opted-out` and `Opted-Out` all name the same thing.
                let wanted = s.trim().to_ascii_lowercase().replace('_', "-");
                $(if wanted == $name.replace('_', "-") {
                    return Ok($ty::$variant);
                })+
                match wanted.as_str() {
                    other => Err(format!(
                        "unknown {} '{}' (expected one of: {})",
                        $what,
                        other,
                        [$($name),+].join(", ")
                    )),
                }
            }
        }
        impl Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    Email,
    Call,
    Linkedin,
    Sms,
    Task,
}
named_enum!(
    Channel,
    "channel",
    [
        (Email, "email"),
        (Call, "call"),
        (Linkedin, "linkedin"),
        (Sms, "sms"),
        (Task, "task"),
    ]
);

impl Channel {
    /// A one-cell glyph for the queue.
    pub fn glyph(self) -> &'static str {
        match self {
            Channel::Email => "✉",
            Channel::Call => "☎",
            Channel::Linkedin => "in",
            Channel::Sms => "✆",
            Channel::Task => "☐",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkedinAction {
    Connect,
    Message,
    View,
    Engage,
}
named_enum!(
    LinkedinAction,
    "LinkedIn action",
    [
        (Connect, "connect"),
        (Message, "message"),
        (View, "view"),
        (Engage, "engage"),
    ]
);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Trigger {
    Cold,
    Inbound,
    PostDemo,
    Proposal,
    MissedMeeting,
    ReEngagement,
    Custom,
}
named_enum!(
    Trigger,
    "trigger",
    [
        (Cold, "cold"),
        (Inbound, "inbound"),
        (PostDemo, "post-demo"),
        (Proposal, "proposal"),
        (MissedMeeting, "missed-meeting"),
        (ReEngagement, "re-engagement"),
        (Custom, "custom"),
    ]
);

/// Everything a rep can log against a touch or an enrollment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    Sent,
    Bounced,
    Done,
    Connected,
    Voicemail,
    NoAnswer,
    Gatekeeper,
    WrongNumber,
    Skipped,
    Snoozed,
    Replied,
    Meeting,
    OptedOut,
    /// A spam complaint: an opt-out, counted apart.
    Complained,
    Paused,
    Resumed,
    Removed,
    // The conversation after a reply (DESIGN §2): no touch and no engine event, logged
    // so that history and the funnel after the reply can be read back.
    /// The rep answered them.
    Answered,
    /// The meeting took place.
    Held,
    /// They did not come to the meeting.
    NoShow,
    /// The meeting moved to another time.
    Moved,
    /// The meeting will not happen.
    Cancelled,
    /// The conversation closed as won.
    Won,
    /// The conversation closed as lost.
    Lost,
}
named_enum!(
    Outcome,
    "outcome",
    [
        (Sent, "sent"),
        (Bounced, "bounced"),
        (Done, "done"),
        (Connected, "connected"),
        (Voicemail, "voicemail"),
        (NoAnswer, "no-answer"),
        (Gatekeeper, "gatekeeper"),
        (WrongNumber, "wrong-number"),
        (Skipped, "skipped"),
        (Snoozed, "snoozed"),
        (Replied, "replied"),
        (Meeting, "meeting"),
        (OptedOut, "opted-out"),
        (Complained, "complained"),
        (Paused, "paused"),
        (Resumed, "resumed"),
        (Removed, "removed"),
        (Answered, "answered"),
        (Held, "held"),
        (NoShow, "no-show"),
        (Moved, "moved"),
        (Cancelled, "cancelled"),
        (Won, "won"),
        (Lost, "lost"),
    ]
);

impl Outcome {
    /// Outcomes that mean the step was actually worked (a message went out, a call was made).
    pub fn is_work(self) -> bool {
        matches!(
            self,
            Outcome::Sent
                | Outcome::Bounced
                | Outcome::Done
                | Outcome::Connected
                | Outcome::Voicemail
                | Outcome::NoAnswer
                | Outcome::Gatekeeper
                | Outcome::WrongNumber
        )
    }

    /// The steps of the conversation after a reply.
    pub const CONVERSATION: &'static [Outcome] = &[
        Outcome::Answered,
        Outcome::Held,
        Outcome::NoShow,
        Outcome::Moved,
        Outcome::Cancelled,
        Outcome::Won,
        Outcome::Lost,
    ];

    /// Whether this is a step of the conversation after a reply, not of a sequence.
    pub fn is_conversation(self) -> bool {
        Self::CONVERSATION.contains(&self)
    }

    pub const CALL: &'static [Outcome] = &[
        Outcome::Connected,
        Outcome::Voicemail,
        Outcome::NoAnswer,
        Outcome::Gatekeeper,
        Outcome::WrongNumber,
    ];
}

/// What kind of answer a reply was, set by the rep (one key) when marking it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReplyKind {
    /// Interested: yes, let's talk.
    Positive,
    /// Asks something before deciding.
    Question,
    /// Pushes back on price, fit or timing.
    Objection,
    /// Not now: comes back on a date.
    NotNow,
    /// Names someone else to talk to.
    Referral,
    /// Not the person who deals with this.
    WrongPerson,
}
named_enum!(
    ReplyKind,
    "reply kind",
    [
        (Positive, "positive"),
        (Question, "question"),
        (Objection, "objection"),
        (NotNow, "not-now"),
        (Referral, "referral"),
        (WrongPerson, "wrong-person"),
    ]
);

/// How a closed enrollment ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Exit {
    Replied,
    Meeting,
    OptedOut,
    Bounced,
    Completed,
    Removed,
}
named_enum!(
    Exit,
    "exit",
    [
        (Replied, "replied"),
        (Meeting, "meeting"),
        (OptedOut, "opted_out"),
        (Bounced, "bounced"),
        (Completed, "completed"),
        (Removed, "removed"),
    ]
);

/// Whether an enrollment still runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Active,
    Paused,
    Closed(Exit),
}

impl Status {
    pub fn is_open(self) -> bool {
        !matches!(self, Status::Closed(_))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Paused => "paused",
            Status::Closed(exit) => exit.as_str(),
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "active" => Ok(Status::Active),
            "paused" => Ok(Status::Paused),
            other => other.parse::<Exit>().map(Status::Closed),
        }
    }
}

impl Serialize for Status {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Status {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// One planned step as the engine needs it (templates live with the content, not here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedStep {
    /// The day of the table (1 = the start). For a step timed to the decision date, the day
    /// of the step before it: its place in the order, not its date.
    pub day: u32,
    /// Timed to the enrollment's decision date instead: this many days from it (negative
    /// before it), as a proposal follow-up is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<i32>,
    pub channel: Channel,
    pub action: Option<LinkedinAction>,
    pub purpose: String,
    /// An email that begins a thread of its own (`thread = false` in the file): its own
    /// subject, answering nothing; the emails after it follow it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub own_thread: bool,
}

/// A sequence's timing rules and steps: the part of a sequence the engine reasons about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub trigger: Trigger,
    pub working_days_only: bool,
    pub cool_off_days: u32,
    pub steps: Vec<PlannedStep>,
}

impl Plan {
    /// The planned gap in days between step `from` and a later step `to`.
    pub fn gap(&self, from: usize, to: usize) -> u32 {
        let a = self.steps.get(from).map_or(1, |s| s.day);
        let b = self.steps.get(to).map_or(a, |s| s.day);
        b.saturating_sub(a)
    }
}

/// Which channels a prospect can be reached on right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Reachability {
    pub email: bool,
    pub phone: bool,
    pub linkedin: bool,
    /// The CRM (or the rep) marked the person do-not-call: their phones are not used.
    #[serde(default)]
    pub do_not_call: bool,
    /// One bit per step (step 0 the lowest): the message that step sends already went to
    /// the person from another enrollment, so it is never sent to them again.
    #[serde(default)]
    pub sent_before: u128,
}

impl Reachability {
    /// `None` when step `index` can be worked, else why it cannot.
    pub fn blocker(&self, index: usize, step: &PlannedStep) -> Option<&'static str> {
        let bit = u32::try_from(index).ok().and_then(|i| 1u128.checked_shl(i));
        if bit.is_some_and(|b| self.sent_before & b != 0) {
            return Some("this message already went to them from another sequence");
        }
        match step.channel {
            Channel::Email if !self.email => Some("no working email address"),
            Channel::Call | Channel::Sms if self.do_not_call => {
                Some("do not call (marked in the CRM)")
            }
            Channel::Call if !self.phone => Some("no working phone number"),
            Channel::Sms if !self.phone => Some("no working phone number"),
            Channel::Linkedin if !self.linkedin => Some("no LinkedIn URL"),
            _ => None,
        }
    }
}

/// One prospect running through one sequence version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrollment {
    pub id: i64,
    pub prospect_id: i64,
    pub version_id: i64,
    pub status: Status,
    /// Index (0-based) of the step to work next; equals the step count once all are worked.
    pub step: usize,
    /// When the current step is due; `None` once closed.
    pub due: Option<NaiveDateTime>,
    /// The last step actually worked (not skipped).
    pub last_worked_step: Option<usize>,
    /// The last worked step the prospect could answer (an email, a call, a LinkedIn connect
    /// note or message, an SMS): where a reply is credited. A profile view never is.
    pub last_answerable_step: Option<usize>,
    /// The prospect's decision date, which steps timed to it count from (a proposal).
    pub decision_on: Option<NaiveDate>,
    /// The day the enrollment ends by itself as removed ("timeline passed"), if set.
    pub until: Option<NaiveDate>,
    /// While paused: the gap that was left before the current step was due.
    pub paused_gap: Option<u32>,
    /// While paused: the date it resumes by itself, if the rep gave one.
    pub resume_on: Option<NaiveDate>,
    pub started: NaiveDate,
    pub closed_at: Option<NaiveDateTime>,
    pub exit_reason: Option<String>,
    /// Position of this enrollment among its sequence's enrollments: picks A/B variants.
    pub ordinal: i64,
    /// How the current due date was computed.
    pub why: Option<super::why::Why>,
}

impl PlannedStep {
    /// When the table puts it: "day 3", or "decision −1" for a step timed to the decision.
    pub fn when(&self) -> String {
        match self.decision {
            Some(0) => "decision".to_string(),
            Some(n) if n < 0 => format!("decision −{}", n.unsigned_abs()),
            Some(n) => format!("decision +{n}"),
            None => format!("day {}", self.day),
        }
    }

    /// Whether the prospect could answer this touch: a LinkedIn view or engage, or a task,
    /// leaves them nothing to reply to.
    pub fn answerable(&self) -> bool {
        match self.channel {
            Channel::Email | Channel::Call | Channel::Sms => true,
            Channel::Linkedin => !matches!(
                self.action,
                Some(LinkedinAction::View | LinkedinAction::Engage)
            ),
            Channel::Task => false,
        }
    }
}

impl Enrollment {
    /// The step a reply now is credited to: the last worked step the prospect could answer
    /// (none when only silent touches went out).
    pub fn credited_step(&self) -> Option<usize> {
        self.last_answerable_step
    }

    /// The status as of `today`. A pause whose return date has come is active again: the
    /// queue shows it as due, and the engine's `settle` writes the resume down with the next
    /// event. Every view asks here, so they all agree.
    pub fn status_on(&self, today: NaiveDate) -> Status {
        match (self.status, self.resume_on) {
            (Status::Paused, Some(back)) if back <= today => Status::Active,
            (s, _) => s,
        }
    }

    /// The touch this enrollment has now: its current step and due date (`None` once closed).
    pub fn touch(&self) -> Option<TouchRef> {
        self.status.is_open().then_some(TouchRef {
            enrollment_id: self.id,
            step: self.step,
            due: self.due,
        })
    }
}

/// A touch as the rep was shown it: which enrollment, which step, due when. Every action
/// carries one, and the store acts only while it is still the enrollment's current touch,
/// so a second window, a second process or a command run twice never works a touch the rep
/// did not see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TouchRef {
    pub enrollment_id: i64,
    /// 0-based.
    pub step: usize,
    pub due: Option<NaiveDateTime>,
}
