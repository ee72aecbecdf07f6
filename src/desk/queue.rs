//! The queue of due touches and the text each one carries.

use super::Desk;
use crate::content::{MergeValues, Rendered, Sequence, render_step};
use crate::desk::store::queries;
use crate::domain::engine::overdue_days;
use crate::domain::windows::{Window, WindowStatus};
use crate::domain::{Channel, Enrollment, PlannedStep, Prospect};

pub use crate::desk::store::queries::DueBrief;
use anyhow::Result;
use chrono::{NaiveDate, NaiveDateTime};
use chrono_tz::Tz;
use std::rc::Rc;

/// One due touch: the prospect, their enrollment, and the sequence version it runs on.
#[derive(Debug, Clone)]
pub struct QueueItem {
    pub prospect: Prospect,
    pub enrollment: Enrollment,
    pub sequence_name: String,
    pub sequence: Rc<Sequence>,
    pub overdue_days: i64,
    /// The prospect's wall-clock time now, when their time zone is known.
    pub local_now: Option<NaiveDateTime>,
    /// The channel's good window in the prospect's day, and where now stands against it.
    pub window: Option<(Window, WindowStatus)>,
}

/// A due touch in brief, with how late it is (see [`Desk::queue_entries`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueEntry {
    pub brief: queries::DueBrief,
    pub overdue_days: i64,
    /// The step's channel and the sequence's name: what the queue can be focused on.
    pub channel: Channel,
    pub sequence: String,
    /// For a call or a text to someone whose zone is known: minutes until their good hours
    /// for it open (0 while they are open), so a call block runs in the order people become
    /// callable.
    pub callable_in: Option<i64>,
    /// A new inbound lead's first touch: it leads the queue, before the conversations.
    pub speed_to_lead: bool,
}

impl QueueItem {
    pub fn step(&self) -> Option<&PlannedStep> {
        self.sequence.plan.steps.get(self.enrollment.step)
    }

    pub fn steps(&self) -> usize {
        self.sequence.plan.steps.len()
    }

    pub fn channel(&self) -> Channel {
        self.step().map_or(Channel::Task, |s| s.channel)
    }

    /// A new inbound lead's first touch: first in the queue, before any conversation.
    pub fn is_speed_to_lead(&self) -> bool {
        speed_to_lead(&self.sequence.plan, self.enrollment.step)
    }

    /// For a call or a text to someone whose zone is known: minutes until their good hours
    /// for it open (0 while open).
    pub fn callable_in(&self) -> Option<i64> {
        let phone = matches!(self.channel(), Channel::Call | Channel::Sms);
        let (window, _) = self.window.as_ref().filter(|_| phone)?;
        window.minutes_until_open(self.local_now?)
    }
}

impl Desk {
    /// Today's and overdue touches: overdue first (oldest first); then today's, those whose
    /// window in the prospect's day is open now first, then by when their window opens, then
    /// by due time.
    pub fn queue(&self, now: NaiveDateTime) -> Result<Vec<QueueItem>> {
        let today = now.date();
        let rows = queries::due(self.store.conn(), today)?;
        let mut items = Vec::with_capacity(rows.len());
        for row in rows {
            if let Some(item) = self.queue_item_from(row, now)? {
                items.push(item);
            }
        }
        // Stable: within a rank the store's due order holds.
        items.sort_by_key(|item| rank(item, now));
        Ok(items)
    }

    /// One due row as a queue item; `None` when it has nothing left to work.
    fn queue_item_from(
        &self,
        row: queries::DueRow,
        now: NaiveDateTime,
    ) -> Result<Option<QueueItem>> {
        let Some(due) = row.enrollment.due else {
            return Ok(None);
        };
        let sequence = self.store.version(row.enrollment.version_id)?;
        if row.enrollment.step >= sequence.plan.steps.len() {
            return Ok(None);
        }
        let zone: Option<Tz> = row
            .prospect
            .timezone
            .as_deref()
            .and_then(|z| z.parse().ok());
        let local = self.rep_zone().to_prospect(now, zone);
        let window = sequence
            .plan
            .steps
            .get(row.enrollment.step)
            .and_then(|step| {
                self.config
                    .windows
                    .for_step(step.channel, sequence.plan.trigger)
                    .map(|w| (w.clone(), w.status(local)))
            });
        Ok(Some(QueueItem {
            local_now: zone.map(|_| local),
            window,
            overdue_days: overdue_days(due, now.date()),
            prospect: row.prospect,
            enrollment: row.enrollment,
            sequence_name: row.sequence,
            sequence,
        }))
    }

    /// The whole queue in brief, in the same order as [`Desk::queue`]: enough to count,
    /// order, filter and move through every due touch while loading in full only those on
    /// screen (with [`Desk::queue_item`]), so a big day opens as fast as a small one.
    pub fn queue_entries(&self, now: NaiveDateTime) -> Result<Vec<QueueEntry>> {
        let briefs = queries::due_briefs(self.store.conn(), now.date())?;
        let mut keyed = Vec::with_capacity(briefs.len());
        for brief in briefs {
            if let Some(entry) = self.entry(brief, now)? {
                keyed.push(entry);
            }
        }
        // Stable: within a rank the store's due order holds.
        keyed.sort_by_key(|(key, _)| *key);
        Ok(keyed.into_iter().map(|(_, e)| e).collect())
    }

    /// The touches due on each of the next `days` working days after today, by day and in
    /// due order (the Upcoming view). Working one of them now is working ahead.
    pub fn upcoming(
        &self,
        now: NaiveDateTime,
        days: u32,
    ) -> Result<Vec<(NaiveDate, Vec<QueueEntry>)>> {
        let cal = &self.config.calendar;
        let dates: Vec<NaiveDate> = (1..=days)
            .map(|n| cal.add_working_days(now.date(), n))
            .collect();
        let (Some(first), Some(last)) = (dates.first(), dates.last()) else {
            return Ok(Vec::new());
        };
        let briefs = queries::due_on_days(
            self.store.conn(),
            now.date().succ_opt().unwrap_or(*first),
            *last,
        )?;
        let mut out: Vec<(NaiveDate, Vec<QueueEntry>)> =
            dates.iter().map(|d| (*d, Vec::new())).collect();
        for brief in briefs {
            let day = brief.due.date();
            // A touch due on a day off shows on the working day it will be worked.
            let slot = out.iter_mut().find(|(d, _)| *d >= day);
            if let (Some((_, entries)), Some((_, entry))) = (slot, self.entry(brief, now)?) {
                entries.push(entry);
            }
        }
        Ok(out)
    }

    /// The head of [`Desk::queue_entries`]: new inbound leads' first touches, then the first
    /// `limit` overdue touches, read without looking at the rest of the day.
    pub fn queue_head(&self, now: NaiveDateTime, limit: usize) -> Result<Vec<QueueEntry>> {
        let conn = self.store.conn();
        let mut keyed = Vec::new();
        let firsts = queries::first_step_briefs(conn, now.date())?;
        let overdue = queries::overdue_briefs(conn, now.date(), limit)?;
        let mut seen = std::collections::HashSet::new();
        for brief in firsts {
            // Only the inbound ones among the first steps lead the queue.
            if let Some((key, entry)) = self.entry(brief, now)? {
                if key.0 == 0 && seen.insert(entry.brief.enrollment_id) {
                    keyed.push((key, entry));
                }
            }
        }
        for brief in overdue {
            if let Some((key, entry)) = self.entry(brief, now)? {
                if seen.insert(entry.brief.enrollment_id) {
                    keyed.push((key, entry));
                }
            }
        }
        keyed.sort_by_key(|(key, _)| *key);
        Ok(keyed.into_iter().map(|(_, e)| e).collect())
    }

    /// How many touches are due today, and how many of them are overdue.
    pub fn queue_counts(&self, now: NaiveDateTime) -> Result<(usize, usize)> {
        queries::due_counts(self.store.conn(), now.date())
    }

    fn entry(
        &self,
        brief: queries::DueBrief,
        now: NaiveDateTime,
    ) -> Result<Option<((u8, i64), QueueEntry)>> {
        let sequence = self.store.version(brief.version_id)?;
        let Some(step) = sequence.plan.steps.get(brief.step) else {
            return Ok(None);
        };
        let zone: Option<Tz> = brief.timezone.as_deref().and_then(|z| z.parse().ok());
        let local = self.rep_zone().to_prospect(now, zone);
        let window = self
            .config
            .windows
            .for_step(step.channel, sequence.plan.trigger);
        let status = window.map(|w| w.status(local));
        let phone = matches!(step.channel, Channel::Call | Channel::Sms);
        let callable_in = window
            .filter(|_| phone && zone.is_some())
            .and_then(|w| w.minutes_until_open(local));
        let overdue_days = overdue_days(brief.due, now.date());
        let key = rank_parts(
            speed_to_lead(&sequence.plan, brief.step),
            overdue_days,
            status,
            local,
        );
        Ok(Some((
            key,
            QueueEntry {
                brief,
                overdue_days,
                channel: step.channel,
                sequence: sequence.name.clone(),
                callable_in,
                speed_to_lead: key.0 == 0,
            },
        )))
    }

    /// One due touch in full, by its enrollment; `None` once it is no longer due.
    pub fn queue_item(&self, enrollment_id: i64, now: NaiveDateTime) -> Result<Option<QueueItem>> {
        match queries::due_row(self.store.conn(), enrollment_id, now.date())? {
            Some(row) => self.queue_item_from(row, now),
            None => Ok(None),
        }
    }

    /// The text of an enrollment's current step for this prospect, with its problems.
    pub fn render_current(
        &self,
        prospect: &Prospect,
        enrollment: &Enrollment,
        sequence: &Sequence,
    ) -> Result<Rendered> {
        let last = queries::last_subject(self.store.conn(), enrollment.id)?;
        Ok(render_step(
            sequence,
            enrollment.step,
            enrollment.ordinal,
            &MergeValues::of(prospect, &self.me()),
            last.as_deref(),
        ))
    }

    /// The variant (template path) an enrollment uses for its current step.
    pub fn variant_of(enrollment: &Enrollment, sequence: &Sequence) -> Option<String> {
        sequence
            .template_for(enrollment.step, enrollment.ordinal)
            .map(|t| t.path.clone())
    }
}

/// A new inbound lead's first touch first; then overdue; then window open now; then windows
/// opening later today, soonest first; then the rest.
fn rank(item: &QueueItem, now: NaiveDateTime) -> (u8, i64) {
    rank_parts(
        speed_to_lead(&item.sequence.plan, item.enrollment.step),
        item.overdue_days,
        item.window.as_ref().map(|(_, s)| *s),
        item.local_now.unwrap_or(now),
    )
}

/// The first touch of an inbound sequence: the lead is waiting, minutes matter.
pub fn speed_to_lead(plan: &crate::domain::Plan, step: usize) -> bool {
    step == 0 && plan.trigger == crate::domain::Trigger::Inbound
}

/// A touch the daily cap never moves: a new inbound lead's first touch and a post-demo
/// recap, both due the day they start.
pub fn never_capped(plan: &crate::domain::Plan, step: usize) -> bool {
    use crate::domain::Trigger;
    step == 0 && matches!(plan.trigger, Trigger::Inbound | Trigger::PostDemo)
}

/// Why a touch stands where it does in the queue, for `w`.
pub fn queue_place(speed: bool, overdue_days: i64, window: Option<WindowStatus>) -> &'static str {
    match rank_parts(speed, overdue_days, window, NaiveDateTime::MIN).0 {
        0 => {
            "First in the queue: an inbound lead's first touch, worked within minutes of the request."
        }
        1 => "Near the top: overdue work comes before today's.",
        2 => "Among today's first: the prospect's good hours for this channel are now.",
        3 => "In today's work by when the prospect's good hours for this channel begin.",
        _ => "In today's work, after the touches whose good hours are today.",
    }
}

/// Speed to lead; overdue; the window open now, then by when it opens, then the rest.
fn rank_parts(
    speed: bool,
    overdue_days: i64,
    window: Option<WindowStatus>,
    local: NaiveDateTime,
) -> (u8, i64) {
    if speed {
        return (0, 0);
    }
    if overdue_days > 0 {
        return (1, 0);
    }
    match window {
        Some(WindowStatus::Now) => (2, 0),
        Some(WindowStatus::Later(opens)) => (3, (opens - local.time()).num_minutes()),
        _ => (4, 0),
    }
}
