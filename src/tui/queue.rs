//! The Queue view's state. The counts come from the due index, then only as much of the queue
//! as the screen needs: overdue touches lead the queue oldest first, which the index gives
//! directly; today's touches are ranked by the prospects' time of day, which takes the whole
//! day's rows, so those load only once the screen reaches them (or a filter needs every name).

use super::lint_cache::LintCache;
use crate::content::Rendered;
use crate::content::lint::Finding;
use crate::desk::{Desk, HistoryLine, QueueEntry, QueueItem};
use crate::domain::TouchRef;
use anyhow::Result;
use chrono::NaiveDateTime;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

/// Overdue rows load this many beyond what the screen needs, so paging rarely waits.
const CHUNK: usize = 200;

/// A touch is keyed by its enrollment and step: the same row after a reload is the same touch.
pub type TouchKey = (i64, usize);

/// What the detail pane shows for the selected touch.
#[derive(Debug, Clone)]
pub struct Detail {
    pub key: TouchKey,
    pub text: Rendered,
    /// The rep edited the text in $EDITOR: this is what gets copied and frozen.
    pub edited: bool,
    /// Lint findings about this step of the sequence.
    pub lint: Vec<Finding>,
    /// The enrollment runs on an earlier version of its sequence than the file holds now.
    pub older_version: bool,
    pub history: Vec<HistoryLine>,
}

#[derive(Debug, Default)]
pub struct QueueState {
    /// Due touches in brief, in queue order: the head of the queue, or all of it once
    /// `complete` (the first frame reads only what it shows).
    pub entries: Vec<QueueEntry>,
    pub complete: bool,
    /// How many touches are due today, and how many of those are overdue.
    pub due_total: usize,
    pub overdue_total: usize,
    /// The due touches loaded in full: those on screen and the selected one.
    pub items: HashMap<i64, QueueItem>,
    /// Indexes into `entries` that pass the filter.
    pub visible: Vec<usize>,
    pub selected: usize,
    pub offset: usize,
    pub filter: String,
    /// The filter is taking typed characters.
    pub filtering: bool,
    /// Rows marked with `v` for one action on all of them, by enrollment.
    pub marked: std::collections::BTreeSet<i64>,
    /// What the rep chose to work on: one channel (a call block), one sequence, or only
    /// what is overdue.
    pub focus: Focus,
    pub done_today: i64,
    /// Today's worked touches by channel, most first.
    pub done_by_channel: Vec<(crate::domain::Channel, i64)>,
    pub has_prospects: bool,
    /// When the next touch is due, shown when nothing is due today.
    pub next_due: Option<NaiveDateTime>,
    /// Problems of the rows on screen (empty = ready); only visible rows are rendered.
    pub problems: HashMap<TouchKey, Vec<String>>,
    pub detail: Option<Detail>,
    pub detail_error: Option<String>,
    pub detail_scroll: u16,
    /// Texts the rep edited, until the touch is logged.
    pub edits: HashMap<TouchKey, Rendered>,
    /// Texts that were not ready and the rep copied anyway (`C`): `space` asks whether one
    /// went out as copied.
    pub copied_anyway: HashMap<TouchKey, Rendered>,
    /// Conversations waiting on the rep (replies, nudges, meetings), above the touches.
    pub tasks: Vec<crate::desk::TaskItem>,
    /// The selected task, when the selection is among the tasks rather than the touches.
    pub on_task: Option<usize>,
}

impl QueueState {
    /// Re-reads the queue and the header's counts and keeps the selection on the same touch,
    /// or on the row that took its place.
    pub fn reload(&mut self, desk: &Desk, now: NaiveDateTime, page: usize) -> Result<()> {
        let keep = self.selected_entry().map(|e| e.brief.enrollment_id);
        let today = now.date();
        self.has_prospects = desk.any_prospect()?;
        self.tasks = desk.tasks(now)?;
        self.on_task = self
            .on_task
            .filter(|_| !self.tasks.is_empty())
            .map(|i| i.min(self.tasks.len() - 1));
        self.done_today = desk.worked_on(today)?;
        self.done_by_channel = desk.worked_by_channel(today)?;
        (self.due_total, self.overdue_total) = desk.queue_counts(now)?;
        self.next_due = if self.due_total == 0 {
            desk.next_due_after(today)?
        } else {
            None
        };
        self.entries.clear();
        self.complete = false;
        self.items.clear();
        self.problems.clear();
        self.detail = None;
        self.load_rows(desk, now, self.selected.max(self.offset) + page + 1)?;
        self.refilter(desk, now);
        if let Some(id) = keep {
            self.select_enrollment(id);
        }
        Ok(())
    }

    /// Makes sure the first `n` rows of the queue are loaded.
    pub fn ensure_rows(&mut self, desk: &Desk, now: NaiveDateTime, n: usize) -> Result<()> {
        if self.complete || self.entries.len() >= n.min(self.due_total) {
            return Ok(());
        }
        self.load_rows(desk, now, n)?;
        self.refilter(desk, now);
        Ok(())
    }

    fn load_rows(&mut self, desk: &Desk, now: NaiveDateTime, n: usize) -> Result<()> {
        if self.complete || self.entries.len() >= n.min(self.due_total) {
            return Ok(());
        }
        if n <= self.overdue_total && self.filter.trim().is_empty() {
            let want = n.saturating_add(CHUNK).min(self.overdue_total);
            self.entries = desk.queue_head(now, want)?;
            if self.entries.len() >= want {
                return Ok(());
            }
            // Fewer than counted (a row with nothing left to work): take the exact list.
        }
        self.entries = desk.queue_entries(now)?;
        self.complete = true;
        // The loaded queue is the exact answer; the index count may only be a hair off.
        self.due_total = self.entries.len();
        self.overdue_total = self.entries.iter().filter(|e| e.overdue_days > 0).count();
        Ok(())
    }

    /// Applies the filter (loading every row first when there is one); the selection stays
    /// at its index, clamped.
    pub fn refilter(&mut self, desk: &Desk, now: NaiveDateTime) {
        let needle = self.filter.trim().to_lowercase();
        if (!needle.is_empty() || self.focus.is_on()) && !self.complete {
            if let Err(e) = self.load_rows(desk, now, usize::MAX) {
                self.detail_error = Some(format!("Could not load the queue: {e:#}"));
            }
        }
        self.visible = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| needle.is_empty() || matches(e, &needle))
            .filter(|(_, e)| self.focus.admits(e))
            .map(|(i, _)| i)
            .collect();
        // A call block runs in the order people become callable (stable: due order within).
        if self.focus.channel == Some(crate::domain::Channel::Call) {
            let entries = &self.entries;
            self.visible
                .sort_by_key(|&i| entries.get(i).and_then(|e| e.callable_in).unwrap_or(0));
        }
        self.selected = self.selected.min(self.visible.len().saturating_sub(1));
    }

    /// The row at a position of the visible list.
    pub fn visible_entry(&self, pos: usize) -> Option<&QueueEntry> {
        self.visible.get(pos).and_then(|&i| self.entries.get(i))
    }

    pub fn selected_entry(&self) -> Option<&QueueEntry> {
        self.visible_entry(self.selected)
    }

    /// The selected touch in full (loaded by [`QueueState::sync`]); none while a task is.
    pub fn selected_item(&self) -> Option<&QueueItem> {
        if self.on_task.is_some() {
            return None;
        }
        self.selected_entry()
            .and_then(|e| self.items.get(&e.brief.enrollment_id))
    }

    /// The selected conversation, when the selection is on one.
    pub fn selected_task(&self) -> Option<&crate::desk::TaskItem> {
        self.on_task.and_then(|i| self.tasks.get(i))
    }

    /// How many rows at the top of the visible queue are new inbound leads' first touches:
    /// they come before the conversations (DESIGN §2), the other touches after.
    pub fn leads(&self) -> usize {
        (0..self.visible.len())
            .take_while(|&pos| self.visible_entry(pos).is_some_and(|e| e.speed_to_lead))
            .count()
    }

    /// Moves the selection one step in the order leads, tasks, other touches: down from the
    /// last lead reaches the first task, down from the last task the first other touch, and
    /// up the same way back. Returns whether it moved here (a move inside the touches is
    /// not this one's).
    pub fn cross_tasks(&mut self, down: bool) -> bool {
        let (leads, tasks) = (self.leads(), self.tasks.len());
        let after_leads = leads < self.visible.len();
        match (self.on_task, down) {
            (Some(i), false) if i > 0 => self.on_task = Some(i - 1),
            (Some(_), false) if leads > 0 => {
                self.on_task = None;
                self.selected = leads - 1;
            }
            (Some(_), false) => {}
            (Some(i), true) if i + 1 < tasks => self.on_task = Some(i + 1),
            (Some(_), true) if after_leads => {
                self.on_task = None;
                self.selected = leads;
            }
            (Some(_), true) => {}
            (None, true) if tasks > 0 && leads > 0 && self.selected + 1 == leads => {
                self.on_task = Some(0);
            }
            (None, false) if tasks > 0 && self.selected == leads => {
                self.on_task = Some(tasks - 1);
            }
            (None, _) => return false,
        }
        true
    }

    /// The selected touch as the rep sees it.
    pub fn selected_touch(&self) -> Option<TouchRef> {
        self.selected_item().and_then(|i| i.enrollment.touch())
    }

    /// Every touch in the loaded queue.
    pub fn keys(&self) -> HashSet<TouchKey> {
        self.entries.iter().map(key_of).collect()
    }

    pub(crate) fn select_enrollment(&mut self, id: i64) -> bool {
        let found = (0..self.visible.len()).find(|&pos| {
            self.visible_entry(pos)
                .is_some_and(|e| e.brief.enrollment_id == id)
        });
        if let Some(pos) = found {
            self.selected = pos;
        }
        found.is_some()
    }

    /// Puts the selection on this prospect's row, if they are in the queue.
    pub fn select_prospect(&mut self, prospect_id: i64) {
        let found = (0..self.visible.len()).find(|&pos| {
            self.visible_entry(pos)
                .is_some_and(|e| e.brief.prospect_id == prospect_id)
        });
        if let Some(pos) = found {
            self.selected = pos;
        }
    }

    /// Puts the selection on the first visible row whose touch is not in `before`.
    pub fn select_new(&mut self, before: &HashSet<TouchKey>) {
        let found = (0..self.visible.len()).find(|&pos| {
            self.visible_entry(pos)
                .is_some_and(|e| !before.contains(&key_of(e)))
        });
        if let Some(pos) = found {
            self.selected = pos;
        }
    }

    /// Brings derived state up to date: the scroll offset, the problems of the rows on
    /// screen, and the selected touch's detail. Only what is shown is computed.
    pub fn sync(&mut self, desk: &Desk, now: NaiveDateTime, page: usize, lints: &mut LintCache) {
        if let Err(e) = self.ensure_rows(desk, now, self.selected.max(self.offset) + page + 1) {
            self.detail_error = Some(format!("Could not load the queue: {e:#}"));
        }
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + page {
            self.offset = self.selected + 1 - page;
        }
        self.offset = self.offset.min(self.visible.len().saturating_sub(page));
        let end = (self.offset + page).min(self.visible.len());
        let on_screen: Vec<i64> = (self.offset..end)
            .chain(Some(self.selected))
            .filter_map(|pos| self.visible_entry(pos).map(|e| e.brief.enrollment_id))
            .collect();
        for id in on_screen {
            if let Entry::Vacant(slot) = self.items.entry(id) {
                match desk.queue_item(id, now) {
                    Ok(Some(item)) => {
                        slot.insert(item);
                    }
                    Ok(None) => {}
                    Err(e) => self.detail_error = Some(format!("{e:#}")),
                }
            }
            let Some(item) = self.items.get(&id) else {
                continue;
            };
            let key = (item.enrollment.id, item.enrollment.step);
            if self.problems.contains_key(&key) {
                continue;
            }
            let problems = match self.edits.get(&key) {
                Some(edited) => edited.problems.clone(),
                None => desk
                    .render_current(&item.prospect, &item.enrollment, &item.sequence)
                    .map(|r| r.problems)
                    .unwrap_or_else(|e| vec![e.to_string()]),
            };
            self.problems.insert(key, problems);
        }
        self.sync_detail(desk, lints);
    }

    fn sync_detail(&mut self, desk: &Desk, lints: &mut LintCache) {
        let Some(item) = self.selected_item() else {
            self.detail = None;
            return;
        };
        let key = (item.enrollment.id, item.enrollment.step);
        if self.detail.as_ref().is_some_and(|d| d.key == key) {
            return;
        }
        let (text, edited) = match self.edits.get(&key) {
            Some(t) => (Ok(t.clone()), true),
            None => (
                desk.render_current(&item.prospect, &item.enrollment, &item.sequence),
                false,
            ),
        };
        let history = desk.history(item.prospect.id);
        let lint = lints.step_findings(
            desk,
            item.enrollment.version_id,
            &item.sequence,
            item.enrollment.step,
        );
        let older_version = desk.runs_older_version(&item.enrollment, &item.sequence_name);
        self.detail_scroll = 0;
        match (text, history) {
            (Ok(text), Ok(history)) => {
                self.detail_error = None;
                self.detail = Some(Detail {
                    key,
                    text,
                    edited,
                    lint,
                    older_version,
                    history,
                });
            }
            (Err(e), _) | (_, Err(e)) => {
                self.detail = None;
                self.detail_error = Some(format!("{e:#}"));
            }
        }
    }

    /// The text that goes out for the selected touch: the rep's edit, else the template.
    pub fn current_text(&self) -> Option<&Rendered> {
        let item = self.selected_item()?;
        let key = (item.enrollment.id, item.enrollment.step);
        self.edits.get(&key).or(self
            .detail
            .as_ref()
            .filter(|d| d.key == key)
            .map(|d| &d.text))
    }
}

fn key_of(e: &QueueEntry) -> TouchKey {
    (e.brief.enrollment_id, e.brief.step)
}

/// A focus on part of the queue. Nothing set: the whole queue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Focus {
    pub channel: Option<crate::domain::Channel>,
    pub sequence: Option<String>,
    pub overdue_only: bool,
}

impl Focus {
    pub fn is_on(&self) -> bool {
        *self != Focus::default()
    }

    pub fn admits(&self, e: &QueueEntry) -> bool {
        self.channel.is_none_or(|c| c == e.channel)
            && self.sequence.as_ref().is_none_or(|s| *s == e.sequence)
            && (!self.overdue_only || e.overdue_days > 0)
    }

    /// How the header names it ("calls", "overdue", "cold-21").
    pub fn label(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(c) = self.channel {
            parts.push(match c {
                crate::domain::Channel::Call => "calls".to_string(),
                crate::domain::Channel::Email => "emails".to_string(),
                other => other.to_string(),
            });
        }
        if let Some(s) = &self.sequence {
            parts.push(s.clone());
        }
        if self.overdue_only {
            parts.push("overdue".to_string());
        }
        parts.join(", ")
    }
}

fn matches(entry: &QueueEntry, needle: &str) -> bool {
    let b = &entry.brief;
    b.name.to_lowercase().contains(needle)
        || b.company
            .as_deref()
            .is_some_and(|c| c.to_lowercase().contains(needle))
}
