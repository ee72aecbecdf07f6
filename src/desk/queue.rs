//! The queue of due touches and the text each one carries.

use super::Desk;
use crate::content::{MergeValues, Rendered, Sequence};
use crate::domain::engine::overdue_days;
use crate::domain::windows::{local_time, Window, WindowStatus};
use crate::domain::{Channel, Enrollment, PlannedStep, Prospect};
use crate::store::queries;
use anyhow::Result;
use chrono::NaiveDateTime;
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
            let Some(due) = row.enrollment.due else {
                continue;
            };
            let sequence = self.store.version(row.enrollment.version_id)?;
            if row.enrollment.step >= sequence.plan.steps.len() {
                continue;
            }
            let zone: Option<Tz> = row
                .prospect
                .timezone
                .as_deref()
                .and_then(|z| z.parse().ok());
            let local = local_time(now, self.rep_zone(), zone);
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
            items.push(QueueItem {
                local_now: zone.map(|_| local),
                window,
                overdue_days: overdue_days(due, today),
                prospect: row.prospect,
                enrollment: row.enrollment,
                sequence_name: row.sequence,
                sequence,
            });
        }
        // Stable: within a rank the store's due order holds.
        items.sort_by_key(|item| rank(item, now));
        Ok(items)
    }

    /// The text of an enrollment's current step for this prospect, with its problems.
    pub fn render_current(
        &self,
        prospect: &Prospect,
        enrollment: &Enrollment,
        sequence: &Sequence,
    ) -> Result<Rendered> {
        let i = enrollment.step;
        let Some(template) = sequence.template_for(i, enrollment.ordinal) else {
            return Ok(untemplated(sequence.plan.steps.get(i)));
        };
        let previous = match queries::last_subject(self.store.conn(), enrollment.id)? {
            Some(s) => Some(s),
            None => self.planned_previous_subject(prospect, enrollment, sequence),
        };
        let values = MergeValues::new(prospect, &self.me(), previous.as_deref());
        Ok(template.render(&values))
    }

    /// When no earlier email went out yet, the subject the nearest earlier email step would
    /// have had keeps a `Re:` thread readable.
    fn planned_previous_subject(
        &self,
        prospect: &Prospect,
        enrollment: &Enrollment,
        sequence: &Sequence,
    ) -> Option<String> {
        let values = MergeValues::new(prospect, &self.me(), None);
        (0..enrollment.step).rev().find_map(|j| {
            let step = sequence.plan.steps.get(j)?;
            if step.channel != Channel::Email {
                return None;
            }
            sequence
                .template_for(j, enrollment.ordinal)
                .and_then(|t| t.render(&values).subject)
        })
    }

    /// The variant (template path) an enrollment uses for its current step.
    pub fn variant_of(enrollment: &Enrollment, sequence: &Sequence) -> Option<String> {
        sequence
            .template_for(enrollment.step, enrollment.ordinal)
            .map(|t| t.path.clone())
    }
}

/// Overdue first; then window open now; then windows opening later today, soonest first;
/// then the rest.
fn rank(item: &QueueItem, now: NaiveDateTime) -> (u8, i64) {
    if item.overdue_days > 0 {
        return (0, 0);
    }
    match (&item.window, item.local_now.unwrap_or(now)) {
        (Some((_, WindowStatus::Now)), _) => (1, 0),
        (Some((_, WindowStatus::Later(opens))), local) => {
            (2, (*opens - local.time()).num_minutes())
        }
        _ => (3, 0),
    }
}

/// A step with no template still tells the rep what to do.
fn untemplated(step: Option<&PlannedStep>) -> Rendered {
    let body = match step {
        Some(s) => match s.action {
            Some(a) => format!("LinkedIn: {a} ({})", s.purpose),
            None => format!("{}: {}", s.channel, s.purpose),
        },
        None => String::new(),
    };
    Rendered {
        body,
        ..Rendered::default()
    }
}
