//! After the reply (DESIGN §2): what an answer leaves waiting on the rep, kept on the
//! prospect, and the one step the rep takes next. Every change is part of the action that
//! made it, so one undo takes it back with the rest.

use super::Desk;
use super::error::DeskError;
use super::happened::Happened;
use super::store::{Tx, queries};
use crate::domain::conversation::{Conversation, Origin, Task};
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
    /// The meeting moved to this time.
    Moved(crate::domain::conversation::MeetingTime),
    /// The meeting will not happen: the conversation waits on the rep's answer again.
    Cancelled,
}

/// A task in today's queue: the prospect and what waits on the rep.
#[derive(Debug, Clone)]
pub struct TaskItem {
    pub prospect: Prospect,
    pub conversation: Conversation,
    /// The meeting's time on the rep's clock (it is kept in UTC).
    pub meeting_local: Option<NaiveDateTime>,
}

impl TaskItem {
    /// "reply", "nudge", "meeting".
    pub fn task(&self) -> &'static str {
        self.conversation.task.as_str()
    }
}

/// An answer as an event wrote it: whose, on which enrollment, the records, and what they
/// said.
pub(super) struct Heard<'a> {
    pub prospect_id: i64,
    pub enrollment_id: i64,
    pub records: &'a [Record],
    pub happened: &'a Happened,
    pub said: Option<&'a str>,
    /// The rep's clock, for the day a meeting falls on.
    pub zone: crate::clock::Zone,
    /// The kind the reply's words suggest.
    pub suggested: Option<&'a crate::domain::conversation::Suggestion>,
}

impl<'a> Heard<'a> {
    /// What `req` on `prospect_id`'s enrollment `enrollment_id` wrote.
    pub fn of(
        (prospect_id, enrollment_id): (i64, i64),
        records: &'a [Record],
        req: &'a super::happened::LogRequest,
        zone: crate::clock::Zone,
    ) -> Heard<'a> {
        Heard {
            prospect_id,
            enrollment_id,
            records,
            happened: &req.happened,
            said: req.note.as_deref(),
            zone,
            suggested: req.suggested.as_ref(),
        }
    }
}

/// Opens the conversation an answer leaves waiting on the rep, from the records an event
/// wrote: a meeting to hold, or a reply to answer ("not now" asks for none: the prospect
/// comes back on the day they gave).
pub(super) fn after_answer(tx: &mut Tx, heard: Heard) -> Result<()> {
    let now = tx.now;
    let said = heard.said.map(str::to_string);
    let answer = |outcome| heard.records.iter().find(|r| r.outcome == outcome);
    let (opened, answer) = if let Some(r) = answer(Outcome::Meeting) {
        let at = heard.happened.meeting_at();
        let at = at.map(|at| (at, heard.zone.local(at).date()));
        (Some(Conversation::meeting(now, at, said)), r)
    } else if let Some(r) = answer(Outcome::Replied) {
        let kind = heard.happened.reply().kind;
        let opened = (kind != Some(ReplyKind::NotNow)).then(|| Conversation {
            suggested: heard.suggested.cloned().filter(|_| kind.is_none()),
            ..Conversation::reply(now, said, kind.map(|k| k.to_string()))
        });
        (opened, r)
    } else {
        return Ok(());
    };
    let Some(conversation) = opened else {
        return Ok(());
    };
    // Read again: the event's effects may have changed the prospect already.
    let Some(mut p) = queries::prospect(tx.conn(), heard.prospect_id)? else {
        return Ok(());
    };
    let before = p.conversation.as_ref();
    // What they said before stays, when this event says nothing new (a meeting booked); so
    // does the answer that began the conversation.
    let thread = before.and_then(|c| c.origin).or(p.thread);
    let mut conversation = conversation.from(thread.or(Some(Origin {
        enrollment: heard.enrollment_id,
        step: answer.attributed_step,
    })));
    if conversation.said.is_none() {
        conversation.said = before.and_then(|c| c.said.clone());
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
    let origin = p.conversation.as_ref().and_then(|c| c.origin);
    let reply = Conversation::reply(tx.now, said.map(str::to_string), kind);
    p.conversation = Some(reply.from(origin));
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
    // The thread goes on: a close later is credited to the answer that began it.
    if let Some(c) = p.conversation.take() {
        p.thread = c.origin.or(p.thread);
        tx.put_prospect(&p)?;
    }
    Ok(())
}

/// `p` was just enrolled: a sequence a conversation asked for takes the conversation over
/// (the reply is answered by it); a cold start begins afresh, its answer a thread of its own.
pub(super) fn enrolled(tx: &mut Tx, p: &Prospect, cold: bool) -> Result<()> {
    if !cold && p.conversation.is_some() {
        return close(tx, p.id);
    }
    if !cold || p.thread.is_none() {
        return Ok(());
    }
    let Some(mut p) = queries::prospect(tx.conn(), p.id)? else {
        return Ok(());
    };
    p.thread = None;
    tx.put_prospect(&p)?;
    Ok(())
}

impl Desk {
    /// The conversations whose task is due by today, soonest first.
    pub fn tasks(&self, now: NaiveDateTime) -> Result<Vec<TaskItem>> {
        let people = queries::tasks_due(self.store.conn(), now.date())?;
        let zone = self.rep_zone();
        Ok(people
            .into_iter()
            .filter_map(|mut prospect| {
                let conversation = prospect.conversation.take()?;
                Some(TaskItem {
                    prospect,
                    meeting_local: conversation.meeting_at.map(|at| zone.local(at)),
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
        let zone = self.rep_zone();
        Ok(people
            .into_iter()
            .filter_map(|mut prospect| {
                let conversation = prospect.conversation.take()?;
                (conversation.task == Task::Meeting).then_some(TaskItem {
                    prospect,
                    meeting_local: conversation.meeting_at.map(|at| zone.local(at)),
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
        let rules = Rules {
            nudge_days: self.config.nudge_days(),
            cal: self.config.calendar.clone(),
            zone: self.rep_zone(),
            follow_on: match step {
                NextStep::Held => Some(self.library.load("post-demo")?),
                NextStep::NoShow => Some(self.library.load("missed-meeting")?),
                _ => None,
            },
        };
        Ok(self.store.action("conversation", now, |tx| {
            let Some(p) = queries::prospect(tx.conn(), found.id)? else {
                bail!("prospect {} is gone", found.id);
            };
            let said = match (&p.conversation, step) {
                (Some(_), _) => settle(tx, p, step, &rules)?,
                // A close after the conversation went on into a follow-on sequence.
                (None, NextStep::Closed { won, reason }) if p.thread.is_some() => {
                    close_thread(tx, p, (*won, reason), &rules.cal)?
                }
                (None, _) => bail!(
                    "{} has no conversation waiting on you (log a reply or a meeting first)",
                    p.full_name()
                ),
            };
            Ok((said.clone(), said))
        })?)
    }
}

impl Desk {
    /// What kind of answer a conversation's reply was, as the rep says (or takes from the
    /// suggestion), in one action: not now brings them back on the day into
    /// re-engagement; a referral adds the person named; every other kind is noted on the
    /// conversation and on the reply in the log, for Stats.
    pub fn reply_kind(
        &mut self,
        prospect_id: i64,
        details: &super::ReplyDetails,
        now: NaiveDateTime,
    ) -> Result<String, DeskError> {
        let settings = self.log_settings();
        Ok(self.store.action("reply kind", now, |tx| {
            let Some(mut p) = queries::prospect(tx.conn(), prospect_id)? else {
                bail!("prospect {prospect_id} is gone");
            };
            let name = p.full_name();
            let Some(mut open) = p.conversation.take() else {
                bail!("{name} has no reply waiting on you");
            };
            let Some(kind) = details.kind else {
                bail!("say what kind of answer it was");
            };
            if kind == ReplyKind::NotNow {
                p.conversation = Some(open);
                let (_, said) = not_now(tx, &p, details, &settings)?;
                return Ok((said.clone(), said));
            }
            open.kind = Some(kind.to_string());
            open.suggested = None;
            p.conversation = Some(open);
            tx.put_prospect(&p)?;
            tx.set_reply_kind(prospect_id, kind)?;
            let mut said = format!("{name}: {kind}, noted");
            if let Some(r) = &details.referral {
                let (line, _) = super::reply::add_referral(tx, &p, r, tx.now)?;
                said.push_str(&line);
            }
            Ok((said.clone(), said))
        })?)
    }

    /// Takes what a conversation's reply suggests (`None`: it suggests nothing).
    pub fn suggested_details(&self, prospect_id: i64) -> Result<Option<super::ReplyDetails>> {
        let Some(p) = queries::prospect(self.store.conn(), prospect_id)? else {
            return Ok(None);
        };
        let Some(s) = p.conversation.and_then(|c| c.suggested) else {
            return Ok(None);
        };
        let referral = match &s.referral {
            Some(r) => Some(super::reply::parse_referral(r)?),
            None => None,
        };
        Ok(Some(super::ReplyDetails {
            kind: Some(s.kind),
            back_on: s.back_on,
            referral,
        }))
    }
}

/// What the next steps need from the config and the library.
struct Rules {
    nudge_days: u32,
    cal: crate::domain::Calendar,
    zone: crate::clock::Zone,
    /// The sequence a meeting's outcome starts (held: post-demo, no-show: missed-meeting).
    follow_on: Option<crate::content::Sequence>,
}

/// Settles the conversation under way with the rep's next step.
fn settle(tx: &mut Tx, mut p: Prospect, step: &NextStep, rules: &Rules) -> Result<String> {
    let (now, name) = (tx.now, p.full_name());
    let Some(open) = p.conversation.take() else {
        bail!("{name} has no conversation waiting on you");
    };
    let is_meeting = open.task == Task::Meeting;
    if !is_meeting && matches!(step, NextStep::Moved(_) | NextStep::Cancelled) {
        bail!("{name} has no meeting booked to move or cancel");
    }
    if !is_meeting && matches!(step, NextStep::Held | NextStep::NoShow) {
        bail!("{name} has no meeting booked to say how it went");
    }
    log_step(tx, p.id, open.origin, step)?;
    let said = match step {
        NextStep::Answered => {
            let nudge = open.answered(now, &rules.cal, rules.nudge_days);
            let when = super::day_label(nudge.due.date(), now.date());
            p.conversation = Some(nudge);
            format!("Answered {name}: a nudge comes back {when} if they stay quiet")
        }
        NextStep::Moved(at) => {
            let local = rules.zone.local(*at);
            let moved = Conversation::meeting(now, Some((*at, local.date())), open.said);
            p.conversation = Some(moved.from(open.origin));
            format!(
                "Meeting with {name} moved to {}",
                local.format("%a %-d %b %H:%M")
            )
        }
        NextStep::Cancelled => {
            let waiting = Conversation::reply(now, open.said, open.kind);
            p.conversation = Some(waiting.from(open.origin));
            format!("Meeting with {name} cancelled: the conversation waits on you")
        }
        NextStep::Closed { won, reason } => {
            p.thread = None;
            let how = if *won { "won" } else { "lost" };
            format!("Closed {how} with {name}: {reason}")
        }
        NextStep::Held | NextStep::NoShow => {
            let Some(seq) = rules.follow_on.as_ref() else {
                bail!("no follow-on sequence for this meeting");
            };
            p.thread = open.origin;
            tx.put_prospect(&p)?;
            return start_follow_on(tx, &p, seq, &rules.cal);
        }
    };
    tx.put_prospect(&p)?;
    Ok(said)
}

/// Closes, won or lost, a thread that went on into a follow-on sequence: credited to the
/// answer that began it, and the follow-on stops.
fn close_thread(
    tx: &mut Tx,
    mut p: Prospect,
    (won, reason): (bool, &str),
    cal: &crate::domain::Calendar,
) -> Result<String> {
    let step = NextStep::Closed {
        won,
        reason: reason.to_string(),
    };
    log_step(tx, p.id, p.thread.take(), &step)?;
    tx.put_prospect(&p)?;
    let how = if won { "won" } else { "lost" };
    let stopped = super::accounts::stop_open(tx, p.id, &format!("closed {how}: {reason}"), cal)?;
    let mut said = format!("Closed {how} with {}: {reason}", p.full_name());
    if stopped {
        said.push_str(" (their sequence stopped)");
    }
    Ok(said)
}

/// Logs a step of the conversation (no touch), credited to the enrollment and step its
/// answer was: the history shows it, and the funnel after the reply counts it there.
fn log_step(tx: &mut Tx, prospect_id: i64, origin: Option<Origin>, step: &NextStep) -> Result<()> {
    let (outcome, reason) = match step {
        NextStep::Answered => (Outcome::Answered, None),
        NextStep::Held => (Outcome::Held, None),
        NextStep::NoShow => (Outcome::NoShow, None),
        NextStep::Closed { won: true, reason } => (Outcome::Won, Some(reason.clone())),
        NextStep::Closed { won: false, reason } => (Outcome::Lost, Some(reason.clone())),
        NextStep::Moved(_) => (Outcome::Moved, None),
        NextStep::Cancelled => (Outcome::Cancelled, None),
    };
    let record = Record {
        at: tx.now,
        step: None,
        channel: None,
        outcome,
        reason,
        attributed_step: origin.and_then(|o| o.step),
        kind: None,
        is_touch: false,
    };
    let enrollment = origin.map(|o| o.enrollment);
    let id = tx.append(enrollment, prospect_id, &record, None, None)?;
    if let NextStep::Moved(at) = step {
        tx.set_meeting_at(id, *at)?;
    }
    Ok(())
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
