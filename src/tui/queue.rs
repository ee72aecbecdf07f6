//! Loading the queue into the app: the counts from the due index, then only as much of the
//! queue as the screen needs. Overdue touches lead the queue oldest first, which the index
//! gives directly; today's touches are ranked by the prospects' time of day, which takes the
//! whole day's rows, so those load only once the screen reaches them (or a filter needs
//! every name).

use super::app::{App, Tone};
use crate::desk::QueueEntry;
use crate::store::queries;
use anyhow::Result;

/// Overdue rows load this many beyond what the screen needs, so paging rarely waits.
const CHUNK: usize = 200;

impl App {
    /// Re-reads the queue and the header's counts from the store and keeps the selection
    /// on the same touch, or on the row that took its place.
    pub fn reload(&mut self) -> Result<()> {
        self.now = self.clock.now();
        let keep = self.selected_entry().map(|e| e.brief.enrollment_id);
        let today = self.now.date();
        let conn = self.desk.store.conn();
        self.has_prospects = queries::any_prospect(conn)?;
        self.done_today = queries::worked_on(conn, today)?;
        (self.due_total, self.overdue_total) = self.desk.queue_counts(self.now)?;
        self.next_due = if self.due_total == 0 {
            queries::next_due_after(conn, today)?
        } else {
            None
        };
        self.queue.clear();
        self.complete = false;
        self.items.clear();
        self.problems.clear();
        self.detail = None;
        self.load_rows(self.selected.max(self.offset) + self.page() + 1)?;
        self.refilter();
        if let Some(id) = keep {
            self.select_enrollment(id);
        }
        Ok(())
    }

    /// Makes sure the first `n` rows of the queue are loaded; a failure goes to the status.
    pub fn ensure_rows(&mut self, n: usize) {
        if self.complete || self.queue.len() >= n.min(self.due_total) {
            return;
        }
        match self.load_rows(n) {
            Ok(()) => self.refilter(),
            Err(e) => self.set_status(format!("Could not load the queue: {e:#}"), Tone::Error),
        }
    }

    /// Loads the whole queue (for the last row, or a filter over every name).
    pub fn ensure_all(&mut self) {
        self.ensure_rows(usize::MAX);
    }

    fn load_rows(&mut self, n: usize) -> Result<()> {
        if self.complete || self.queue.len() >= n.min(self.due_total) {
            return Ok(());
        }
        if n <= self.overdue_total && self.filter.trim().is_empty() {
            let want = n.saturating_add(CHUNK).min(self.overdue_total);
            self.queue = self.desk.queue_head(self.now, want)?;
            if self.queue.len() >= want {
                return Ok(());
            }
            // Fewer than counted (a row with nothing left to work): take the exact list.
        }
        self.queue = self.desk.queue_entries(self.now)?;
        self.complete = true;
        // The loaded queue is the exact answer; the index count may only be a hair off.
        self.due_total = self.queue.len();
        self.overdue_total = self.queue.iter().filter(|e| e.overdue_days > 0).count();
        Ok(())
    }

    /// Applies the filter (loading every row first when there is one); the selection stays
    /// at its index, clamped.
    pub fn refilter(&mut self) {
        let needle = self.filter.trim().to_lowercase();
        if !needle.is_empty() && !self.complete {
            if let Err(e) = self.load_rows(usize::MAX) {
                self.set_status(format!("Could not load the queue: {e:#}"), Tone::Error);
            }
        }
        self.visible = (0..self.queue.len())
            .filter(|&i| needle.is_empty() || matches(&self.queue[i], &needle))
            .collect();
        self.selected = self.selected.min(self.visible.len().saturating_sub(1));
    }

    pub(crate) fn select_enrollment(&mut self, id: i64) -> bool {
        match self
            .visible
            .iter()
            .position(|&i| self.queue[i].brief.enrollment_id == id)
        {
            Some(pos) => {
                self.selected = pos;
                true
            }
            None => false,
        }
    }

    /// Puts the selection on this prospect's row, if they are in the queue.
    pub fn select_prospect(&mut self, prospect_id: i64) {
        if let Some(pos) = self
            .visible
            .iter()
            .position(|&i| self.queue[i].brief.prospect_id == prospect_id)
        {
            self.selected = pos;
        }
    }

    pub fn overdue_count(&self) -> usize {
        self.overdue_total
    }
}

fn matches(entry: &QueueEntry, needle: &str) -> bool {
    let b = &entry.brief;
    b.name.to_lowercase().contains(needle)
        || b.company
            .as_deref()
            .is_some_and(|c| c.to_lowercase().contains(needle))
}
