//! After the reply (DESIGN §2): what an answer leaves waiting on the rep, kept on the
//! prospect, and the one step the rep takes next. Every change is part of the action that
//! made it, so one undo takes it back with the rest.

use super::Desk;
use super::error::DeskError;
use super::happened::Happened;
use super::store::{Tx, queries};
use crate::domain::conversation::{Conversation, Task};
use crate::domain::{Outcome, Prospect, Record, ReplyKind};
use anyhow::{Result, bail};
use chrono::NaiveDateTime;

/// What the rep says comes next in a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextStep {
    /// The rep answered: a nudge falls due after `nudge_days` working days of silence.
    Answered,
    /// The meeting took place: `post-demo` starts, its recap due today.
    Held,
    /// They did not come: `missed-meeting` starts at once.
    NoShow,
    /// The conversation is over, won or lost, and why.
    Closed { won: bool, reason: String },
    /// The meeting moved to this time (the rep's clock).
    Moved(NaiveDateTime),
    /// The meeting will not happen: the conversation waits on the rep's answer again.
    Cancelled,
}

/// A task in today's queue: the prospect and what waits on the rep.
#[derive(Debug, Clone)]
pub struct TaskItem {
    pub prospect: Prospect,
    pub conversation: Conversation,
}

impl TaskItem {
    /// "reply", "nudge", "meeting".
    pub fn task(&self) -> &'static str {
        self.conversation.task.as_str()
    }
}

/// Opens the conversation an answer leaves waiting on the rep, from the records an event
/// wrote: a meeting to hold, or a reply to answer ("not now" asks for none: the prospect
/// comes back on the day they gave).
pub(super) fn after_answer(
    tx: &mut Tx,
    prospect_id: i64,
    records: &[Record],
    happened: &Happened,
    said: Option<&str>,
) -> Result<()> {
    let now = tx.now;
    let said = said.map(str::to_string);
    let opened = if records.iter().any(|r| r.outcome == Outcome::Meeting) {
        Some(Conversation::meeting(now, happened.meeting_at(), said))
    } else if records.iter().any(|r| r.outcome == Outcome::Replied) {
        let kind = happened.reply().kind;
        (kind != Some(ReplyKind::NotNow))
            .then(|| Conversation::reply(now, said, kind.map(|k| k.to_string())))
    } else {
        None
    };
    let Some(conversation) = opened else {
        return Ok(());
    };
    // Read again: the event's effects may have changed the prospect already.
    let Some(mut p) = queries::prospect(tx.conn(), prospect_id)? else {
        return Ok(());
    };
    // What they said before stays, when this event says nothing new (a meeting booked).
    let mut conversation = conversation;
    if conversation.said.is_none() {
        conversation.said = p.conversation.as_ref().and_then(|c| c.said.clone());
    }
    p.conversation = Some(conversation);
    tx.put_prospect(&p)?;
    Ok(())
}

/// They wrote again in a conversation under way: their reply is waiting on the rep once more.
pub(super) fn reopen(
    tx: &mut Tx,
    p: &Prospect,
    details: &super::reply::ReplyDetails,
    said: Option<&str>,
) -> Result<(super::log::Logged, String)> {
    let mut p = p.clone();
    let kind = details.kind.map(|k| k.to_string());
    p.conversation = Some(Conversation::reply(tx.now, said.map(str::to_string), kind));
    tx.put_prospect(&p)?;
    let message = format!("{} wrote again — waiting on your reply", p.full_name());
    let logged = super::log::Logged {
        message: message.clone(),
        enrollment: None,
        referred: None,
    };
    Ok((logged, message))
}

/// "Not now" in a conversation under way: it ends, and they come back on the day they gave
/// into re-engagement.
pub(super) fn not_now(
    tx: &mut Tx,
    p: &Prospect,
    details: &super::reply::ReplyDetails,
    s: &super::log::Settings,
) -> Result<(super::log::Logged, String)> {
    let Some(back) = details.back_on else {
        bail!("\"not now\" needs the day they want to hear back (--until)");
    };
    let mut p = p.clone();
    p.conversation = None;
    tx.put_prospect(&p)?;
    let seq = s.library.load(super::reply::RE_ENGAGEMENT)?;
    let mut target = super::enroll::EnrollTarget::new(&seq);
    let start = super::enroll::Start {
        day: back,
        force: true,
    };
    let first = match super::enroll::enroll_in(tx, &p, &mut target, start, &s.cal)? {
        Ok(e) => e.due.map_or(back, |d| d.date()),
        Err(refusal) => bail!("{refusal}"),
    };
    let message = format!(
        "{}: not now — back in {} on {}",
        p.full_name(),
        seq.name,
        first.format("%a %-d %b %Y")
    );
    let logged = super::log::Logged {
        message: message.clone(),
        enrollment: None,
        referred: None,
    };
    Ok((logged, message))
}

/// Ends a prospect's conversation (a follow-on sequence started, they opted out).
pub(super) fn close(tx: &mut Tx, prospect_id: i64) -> Result<()> {
    let Some(mut p) = queries::prospect(tx.conn(), prospect_id)? else {
        return Ok(());
    };
    if p.conversation.take().is_some() {
        tx.put_prospect(&p)?;
    }
    Ok(())
}

impl Desk {
    /// The conversations whose task is due by today, soonest first.
    pub fn tasks(&self, now: NaiveDateTime) -> Result<Vec<TaskItem>> {
        let people = queries::tasks_due(self.store.conn(), now.date())?;
        Ok(people
            .into_iter()
            .filter_map(|mut prospect| {
                let conversation = prospect.conversation.take()?;
                Some(TaskItem {
                    prospect,
                    conversation,
                })
            })
            .collect())
    }

    /// The meetings booked after `today` up to `last` (both days), soonest first.
    pub fn meetings_between(
        &self,
        today: chrono::NaiveDate,
        last: chrono::NaiveDate,
    ) -> Result<Vec<TaskItem>> {
        let people = queries::tasks_between(self.store.conn(), today, last)?;
        Ok(people
            .into_iter()
            .filter_map(|mut prospect| {
                let conversation = prospect.conversation.take()?;
                (conversation.task == Task::Meeting).then_some(TaskItem {
                    prospect,
                    conversation,
                })
            })
            .collect())
    }

    /// The rep says what comes next in a prospect's conversation, in one action.
    pub fn next_step(
        &mut self,
        key: &str,
        step: &NextStep,
        now: NaiveDateTime,
    ) -> Result<String, DeskError> {
        let found = self.prospect(key)?;
        let nudge_days = self.config.nudge_days();
        let cal = self.config.calendar.clone();
        let follow_on = match step {
            NextStep::Held => Some(self.library.load("post-demo")?),
            NextStep::NoShow => Some(self.library.load("missed-meeting")?),
            _ => None,
        };
        Ok(self.store.action("conversation", now, |tx| {
            let Some(mut p) = queries::prospect(tx.conn(), found.id)? else {
                bail!("prospect {} is gone", found.id);
            };
            let name = p.full_name();
            let Some(open) = p.conversation.take() else {
                bail!("{name} has no conversation waiting on you (log a reply or a meeting first)");
            };
            let said = match step {
                NextStep::Answered => {
                    let nudge = open.answered(now, &cal, nudge_days);
                    let when = super::day_label(nudge.due.date(), now.date());
                    p.conversation = Some(nudge);
                    format!("Answered {name}: a nudge comes back {when} if they stay quiet")
                }
                NextStep::Moved(at) => {
                    if open.task != Task::Meeting {
                        bail!("{name} has no meeting booked to move");
                    }
                    p.conversation = Some(Conversation::meeting(now, Some(*at), open.said));
                    format!(
                        "Meeting with {name} moved to {}",
                        at.format("%a %-d %b %H:%M")
                    )
                }
                NextStep::Cancelled => {
                    if open.task != Task::Meeting {
                        bail!("{name} has no meeting booked to cancel");
                    }
                    p.conversation = Some(Conversation::reply(now, open.said, open.kind));
                    format!("Meeting with {name} cancelled: the conversation waits on you")
                }
                NextStep::Closed { won, reason } => {
                    let how = if *won { "won" } else { "lost" };
                    format!("Closed {how} with {name}: {reason}")
                }
                NextStep::Held | NextStep::NoShow => {
                    if open.task != Task::Meeting {
                        bail!("{name} has no meeting booked to say how it went");
                    }
                    let Some(seq) = follow_on.as_ref() else {
                        bail!("no follow-on sequence for this meeting");
                    };
                    tx.put_prospect(&p)?;
                    let started = start_follow_on(tx, &p, seq, &cal)?;
                    return Ok((started.clone(), started));
                }
            };
            tx.put_prospect(&p)?;
            Ok((said.clone(), said))
        })?)
    }
}

/// Starts the sequence a meeting's outcome calls for, its first step due today.
fn start_follow_on(
    tx: &mut Tx,
    p: &Prospect,
    seq: &crate::content::Sequence,
    cal: &crate::domain::Calendar,
) -> Result<String> {
    let mut target = super::enroll::EnrollTarget::new(seq);
    let start = super::enroll::Start {
        day: tx.now.date(),
        force: true,
    };
    match super::enroll::enroll_in(tx, p, &mut target, start, cal)? {
        Ok(e) => Ok(format!(
            "{}: {} started, first step {}",
            p.full_name(),
            seq.name,
            e.due
                .map(|d| super::day_label(d.date(), tx.now.date()))
                .unwrap_or_default()
        )),
        Err(refusal) => bail!("{refusal}"),
    }
}
