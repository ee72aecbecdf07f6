//! The app's state. No drawing here, and no key handling: [`super::update`] changes it,
//! [`super::views`] draws it.

use super::action::View;
use super::history::{self, HistoryLine};
use super::launch::Launcher;
use super::lint_cache::LintCache;
use super::modal::Modal;
use super::prospect_list::ProspectList;
use super::sequence_list::SequenceList;
use super::stats_view::StatsView;
use super::views;
use super::when::{Clock, Zone};
use crate::clipboard::Clipboard;
use crate::content::lint::Finding;
use crate::content::Rendered;
use crate::desk::{Desk, QueueEntry, QueueItem};
use anyhow::Result;
use chrono::NaiveDateTime;
use std::collections::HashMap;

/// How a status message reads: news, or something that went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Error,
}

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

pub struct App {
    pub desk: Desk,
    pub clock: Clock,
    /// The clock read once per key, so one frame shows one time.
    pub now: NaiveDateTime,
    pub zone: Zone,
    pub view: View,
    /// The terminal's size, for how many rows a list shows.
    pub size: (u16, u16),
    /// False under `NO_COLOR`.
    pub color: bool,
    /// Due touches in brief, in queue order: the head of the queue, or all of it once
    /// `complete` (the first frame reads only what it shows).
    pub queue: Vec<QueueEntry>,
    pub complete: bool,
    /// How many touches are due today, and how many of those are overdue.
    pub due_total: usize,
    pub overdue_total: usize,
    /// The due touches loaded in full: those on screen and the selected one.
    pub items: HashMap<i64, QueueItem>,
    /// Indexes into `queue` that pass the filter.
    pub visible: Vec<usize>,
    pub selected: usize,
    pub offset: usize,
    pub filter: String,
    /// The filter is taking typed characters.
    pub filtering: bool,
    pub done_today: i64,
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
    pub status: Option<(String, Tone)>,
    pub modal: Option<Modal>,
    pub prospects: ProspectList,
    pub sequences: SequenceList,
    pub stats: StatsView,
    /// Lint findings per sequence version, worked out once.
    pub lints: LintCache,
    pub clipboard: Box<dyn Clipboard>,
    pub launcher: Box<dyn Launcher>,
    /// The prospect of the newest action, so undo can put the selection back on them.
    pub last_acted: Option<i64>,
}

impl App {
    pub fn new(
        desk: Desk,
        clock: Clock,
        clipboard: Box<dyn Clipboard>,
        launcher: Box<dyn Launcher>,
    ) -> Result<App> {
        let zone = Zone::from_config(desk.config.timezone.as_deref());
        let mut app = App {
            desk,
            clock,
            now: clock.now(),
            zone,
            view: View::Queue,
            size: (80, 24),
            color: true,
            queue: Vec::new(),
            complete: false,
            due_total: 0,
            overdue_total: 0,
            items: HashMap::new(),
            visible: Vec::new(),
            selected: 0,
            offset: 0,
            filter: String::new(),
            filtering: false,
            done_today: 0,
            has_prospects: false,
            next_due: None,
            problems: HashMap::new(),
            detail: None,
            detail_error: None,
            detail_scroll: 0,
            edits: HashMap::new(),
            status: None,
            modal: None,
            prospects: ProspectList::default(),
            sequences: SequenceList::default(),
            stats: StatsView::default(),
            lints: LintCache::default(),
            clipboard,
            launcher,
            last_acted: None,
        };
        app.reload()?;
        app.sync();
        Ok(app)
    }

    pub fn selected_entry(&self) -> Option<&QueueEntry> {
        self.visible
            .get(self.selected)
            .and_then(|&i| self.queue.get(i))
    }

    /// The selected touch in full (loaded by [`App::sync`]).
    pub fn selected_item(&self) -> Option<&QueueItem> {
        self.selected_entry()
            .and_then(|e| self.items.get(&e.brief.enrollment_id))
    }

    pub fn set_status(&mut self, text: impl Into<String>, tone: Tone) {
        self.status = Some((text.into(), tone));
    }

    /// How many queue rows fit on screen now.
    pub fn page(&self) -> usize {
        usize::from(views::queue_rows(self.size)).max(1)
    }

    /// Brings derived state up to date after a change: the scroll offset, the problems of
    /// the rows on screen, and the selected touch's detail. Only what is shown is computed.
    pub fn sync(&mut self) {
        let page = self.page();
        self.ensure_rows(self.selected.max(self.offset) + page + 1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + page {
            self.offset = self.selected + 1 - page;
        }
        self.offset = self.offset.min(self.visible.len().saturating_sub(page));
        let end = (self.offset + page).min(self.visible.len());
        let on_screen: Vec<usize> = (self.offset..end)
            .chain(Some(self.selected).filter(|&s| s < self.visible.len()))
            .map(|pos| self.visible[pos])
            .collect();
        for i in on_screen {
            let id = self.queue[i].brief.enrollment_id;
            if !self.items.contains_key(&id) {
                match self.desk.queue_item(id, self.now) {
                    Ok(Some(item)) => {
                        self.items.insert(id, item);
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
                None => self
                    .desk
                    .render_current(&item.prospect, &item.enrollment, &item.sequence)
                    .map(|r| r.problems)
                    .unwrap_or_else(|e| vec![e.to_string()]),
            };
            self.problems.insert(key, problems);
        }
        self.sync_detail();
        if self.view == View::Prospects {
            self.prospects.sync(&self.desk, self.now, self.size);
        }
    }

    fn sync_detail(&mut self) {
        let Some(item) = self.selected_item() else {
            self.detail = None;
            return;
        };
        let key = (item.enrollment.id, item.enrollment.step);
        if self.detail.as_ref().is_some_and(|d| d.key == key) {
            return;
        }
        let (prospect, enrollment, sequence) = (
            item.prospect.clone(),
            item.enrollment.clone(),
            item.sequence.clone(),
        );
        self.detail_scroll = 0;
        let step = enrollment.step;
        let (text, edited) = match self.edits.get(&key) {
            Some(t) => (Ok(t.clone()), true),
            None => (
                self.desk.render_current(&prospect, &enrollment, &sequence),
                false,
            ),
        };
        let history = history::load(&self.desk, prospect.id);
        let lint = self
            .lints
            .step_findings(&self.desk, enrollment.version_id, &sequence, step);
        let older_version = self.selected_item().is_some_and(|i| {
            self.desk
                .runs_older_version(&i.enrollment, &i.sequence_name)
        });
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
