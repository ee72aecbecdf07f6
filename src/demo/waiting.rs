//! What waits on the rep in the demo: the latest answer of a prospect, when it is recent
//! and nothing has followed it, is a conversation as the app keeps one (a reply to answer,
//! a nudge after the rep's answer met silence, a meeting booked for the coming days).

use super::simulate::History;
use crate::domain::conversation::{Conversation, Origin};
use crate::domain::{Calendar, Exit, Outcome, ReplyKind, Status};
use chrono::{Duration, NaiveDateTime, NaiveTime};

/// Replies this recent still wait on the rep's answer.
const REPLY_DAYS: i64 = 3;
/// Older replies (up to this many days) were answered, and a nudge follows silence.
const ANSWERED_DAYS: i64 = 12;
/// The rep waits this many working days before a nudge, as the config's default.
const NUDGE_DAYS: u32 = 3;
/// A booked meeting takes place this many days after the booking, at 14:00.
const MEETING_AFTER_DAYS: i64 = 3;

/// The conversation the prospect's history leaves waiting on the rep at `now`, if any.
pub fn conversation(
    h: &History,
    now: NaiveDateTime,
    (cal, zone): (&Calendar, crate::clock::Zone),
) -> Option<Conversation> {
    let last = h
        .log
        .iter()
        .rfind(|l| matches!(l.record.outcome, Outcome::Replied | Outcome::Meeting))?;
    // Only the newest enrollment's answer, and only while it closed on that answer.
    if last.enrollment + 1 != h.enrollments.len() {
        return None;
    }
    let (e, _) = h.enrollments.get(last.enrollment)?;
    if !matches!(e.status, Status::Closed(Exit::Replied | Exit::Meeting)) {
        return None;
    }
    let at = last.record.at;
    let said = last.note.map(str::to_string);
    let origin = Some(Origin {
        enrollment: e.id,
        step: last.record.attributed_step,
    });
    let age = (now - at).num_days();
    let waiting = match last.record.outcome {
        Outcome::Meeting => {
            let day = at.date() + Duration::days(MEETING_AFTER_DAYS);
            let meeting = day.and_time(NaiveTime::from_hms_opt(14, 0, 0)?);
            Conversation::meeting(at, Some((zone.to_utc(meeting), day)), said)
        }
        _ if last.record.kind == Some(ReplyKind::NotNow) => return None,
        _ => {
            let kind = last.record.kind.map(|k| k.to_string());
            let reply = Conversation::reply(at, said, kind);
            match age {
                0..=REPLY_DAYS => reply,
                ..=ANSWERED_DAYS => reply.answered(at + Duration::hours(3), cal, NUDGE_DAYS),
                _ => return None,
            }
        }
    };
    // A meeting long past, or a nudge not yet due for days, is left out of the story.
    let stale = waiting.due < now - Duration::days(ANSWERED_DAYS);
    (!stale).then(|| waiting.from(origin))
}
