//! How a connected call ended. `connected` closes the enrollment as a reply credited to the
//! call; when the rep says the call booked a meeting, or that the person is not interested,
//! the same transition ends differently: a meeting, or a removal with that reason (not an
//! opt-out: they may be approached again one day).

use super::event::Transition;
use super::types::{Exit, Outcome, Status};

/// The reason a "not interested" call removes the prospect with.
pub const NOT_INTERESTED: &str = "not interested";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallEnd {
    /// A meeting was booked on the call.
    Meeting,
    /// They said no: removed from the sequence, not opted out.
    NotInterested,
}

/// Rewrites the transition of a `connected` call for how it ended. The call itself stays
/// logged as connected; only the record that closed the enrollment, and the exit, change.
/// A transition that did not close as a reply is returned as it was.
pub fn end_call(mut t: Transition, end: CallEnd) -> Transition {
    if t.enrollment.status != Status::Closed(Exit::Replied) {
        return t;
    }
    let Some(closing) = t
        .records
        .iter_mut()
        .rev()
        .find(|r| r.outcome == Outcome::Replied)
    else {
        return t;
    };
    match end {
        CallEnd::Meeting => {
            closing.outcome = Outcome::Meeting;
            t.enrollment.status = Status::Closed(Exit::Meeting);
        }
        CallEnd::NotInterested => {
            closing.outcome = Outcome::Removed;
            closing.attributed_step = None;
            closing.reason = Some(NOT_INTERESTED.to_string());
            t.enrollment.status = Status::Closed(Exit::Removed);
            t.enrollment.exit_reason = Some(NOT_INTERESTED.to_string());
        }
    }
    t
}

/// What waits on the rep after someone answered (DESIGN §2, "After the reply"): kept on
/// the prospect until the rep says what comes next.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Conversation {
    pub task: Task,
    /// When the task is due in the queue.
    pub due: chrono::NaiveDateTime,
    /// When it began: their answer, the rep's, the booking.
    pub since: chrono::NaiveDateTime,
    /// What they said (the inbox's snippet, the call note).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub said: Option<String>,
    /// The kind of reply, when the rep said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// A booked meeting's time, in UTC: an instant agreed with someone else, whatever
    /// zone the rep is in when it comes.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "utc")]
    pub meeting_at: Option<MeetingTime>,
    /// The answer that began it: its later steps are credited there too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    /// What kind of answer their words suggest (read by the inbox), for the rep to take or
    /// change with one key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggested: Option<Suggestion>,
}

/// A kind of answer suggested by the words that decided it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Suggestion {
    pub kind: super::ReplyKind,
    /// The phrase that decided it ("circle back", "talk to").
    pub phrase: String,
    /// For not now: the day their words name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub back_on: Option<chrono::NaiveDate>,
    /// For a referral: the person they named ("Sam Lee <sam@example.com>").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral: Option<String>,
}

impl Suggestion {
    /// "not now, back Mon 1 Mar 2027 (“circle back”)".
    pub fn describe(&self) -> String {
        let what = match (&self.back_on, &self.referral) {
            (Some(d), _) => format!("{}, back {}", self.kind, d.format("%a %-d %b %Y")),
            (_, Some(who)) => format!("{}: {who}", self.kind),
            _ => self.kind.to_string(),
        };
        format!("{what} (“{}”)", self.phrase)
    }
}

/// When a meeting takes place: an instant, kept in UTC.
pub type MeetingTime = chrono::DateTime<chrono::Utc>;

/// A meeting's time as stored: `2026-12-04T19:00:00Z`. A time written without its zone is
/// read as UTC (the store turns the rep's clock of older books into UTC when it opens them).
pub mod utc {
    use super::MeetingTime;
    use chrono::{NaiveDateTime, TimeZone, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    pub const FORMAT: &str = "%Y-%m-%dT%H:%M:%SZ";

    /// The stored text of a meeting's time.
    pub fn text(at: &MeetingTime) -> String {
        at.format(FORMAT).to_string()
    }

    /// A stored meeting time, with or without its `Z`.
    pub fn parse(text: &str) -> Option<MeetingTime> {
        let naive = text.trim().trim_end_matches('Z').replace(' ', "T");
        let at = naive.parse::<NaiveDateTime>().ok()?;
        Some(Utc.from_utc_datetime(&at))
    }

    pub fn serialize<S: Serializer>(at: &Option<MeetingTime>, s: S) -> Result<S::Ok, S::Error> {
        match at {
            Some(at) => s.serialize_str(&text(at)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<MeetingTime>, D::Error> {
        let text = Option::<String>::deserialize(d)?;
        Ok(text.as_deref().and_then(parse))
    }
}

/// The enrollment, and the step of it, an answer was credited to. The conversation's later
/// steps (held, won) count there too, so the funnel after the reply reads per sequence and
/// step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Origin {
    pub enrollment: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<usize>,
}

/// The kind of task a conversation puts in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Task {
    /// They answered: the rep's answer is due.
    Reply,
    /// The rep answered and they went quiet: a nudge is due.
    Nudge,
    /// A meeting is booked: on its day, and after it, held or no-show.
    Meeting,
}

impl Task {
    pub fn as_str(self) -> &'static str {
        match self {
            Task::Reply => "reply",
            Task::Nudge => "nudge",
            Task::Meeting => "meeting",
        }
    }
}

impl Conversation {
    /// They answered (a reply, a call that went somewhere): the rep's answer is due now.
    pub fn reply(now: chrono::NaiveDateTime, said: Option<String>, kind: Option<String>) -> Self {
        Conversation {
            task: Task::Reply,
            due: now,
            since: now,
            said,
            kind,
            meeting_at: None,
            origin: None,
            suggested: None,
        }
    }

    /// A meeting was booked: the task is due on its day (`at`, and the day it falls on
    /// the rep's clock), at once when its time is unknown.
    pub fn meeting(
        now: chrono::NaiveDateTime,
        at: Option<(MeetingTime, chrono::NaiveDate)>,
        said: Option<String>,
    ) -> Self {
        Conversation {
            task: Task::Meeting,
            due: at.map_or(now, |(_, day)| day.and_time(chrono::NaiveTime::MIN)),
            since: now,
            said,
            kind: None,
            meeting_at: at.map(|(at, _)| at),
            origin: None,
            suggested: None,
        }
    }

    /// The same, begun by the answer `origin` names.
    pub fn from(self, origin: Option<Origin>) -> Self {
        Conversation { origin, ..self }
    }

    /// The rep answered: the ball is in their court, and a nudge falls due after
    /// `nudge_days` working days of silence.
    pub fn answered(
        &self,
        now: chrono::NaiveDateTime,
        cal: &super::Calendar,
        nudge_days: u32,
    ) -> Self {
        let day = cal.add_working_days(now.date(), nudge_days);
        Conversation {
            task: Task::Nudge,
            due: day.and_time(chrono::NaiveTime::MIN),
            since: now,
            meeting_at: None,
            ..self.clone()
        }
    }

    /// Whether the task is in today's queue.
    pub fn is_due(&self, now: chrono::NaiveDateTime) -> bool {
        self.due.date() <= now.date()
    }
}
