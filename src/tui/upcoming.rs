//! The Upcoming view's state: the touches of the next working days, by day. Read when the
//! view is shown and again after any change; working one of them is working ahead.

use crate::desk::{Desk, QueueEntry};
use chrono::{NaiveDate, NaiveDateTime};

/// How many working days the view looks ahead.
pub const DAYS: u32 = 5;

#[derive(Debug, Default)]
pub struct UpcomingState {
    pub days: Vec<(NaiveDate, Vec<QueueEntry>)>,
    /// The meetings booked in those days, shown under their day.
    pub meetings: Vec<crate::desk::TaskItem>,
    /// Index into every touch of every day, in order.
    pub selected: usize,
    pub scroll: u16,
    pub loaded: bool,
    pub error: Option<String>,
}

impl UpcomingState {
    pub fn load(&mut self, desk: &Desk, now: NaiveDateTime) {
        if self.loaded {
            return;
        }
        let last = desk.upcoming(now, DAYS).map(|days| {
            let last = days.last().map_or(now.date(), |(d, _)| *d);
            self.days = days;
            last
        });
        match last.and_then(|last| desk.meetings_between(now.date(), last)) {
            Ok(meetings) => {
                self.meetings = meetings;
                self.error = None;
            }
            Err(e) => self.error = Some(format!("Could not read the coming days: {e:#}")),
        }
        self.loaded = true;
        self.selected = self.selected.min(self.len().saturating_sub(1));
    }

    /// Every touch of the coming days.
    pub fn len(&self) -> usize {
        self.days.iter().map(|(_, e)| e.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The selected touch and the day it is due.
    pub fn selected_entry(&self) -> Option<(NaiveDate, &QueueEntry)> {
        self.days
            .iter()
            .flat_map(|(d, entries)| entries.iter().map(move |e| (*d, e)))
            .nth(self.selected)
    }
}
