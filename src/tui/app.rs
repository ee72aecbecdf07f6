//! The app's state. No drawing here, and no key handling: [`super::update`] changes it,
//! [`super::views`] draws it.

use super::action::View;
use super::launch::Launcher;
use super::lint_cache::LintCache;
use super::modal::Modal;
use super::prospect_list::ProspectList;
use super::queue::QueueState;
use super::sequence_list::SequenceList;
use super::stats_view::StatsView;
use super::upcoming::UpcomingState;
use super::views;
use crate::clipboard::Clipboard;
use crate::clock::{Clock, Zone};
use crate::desk::Desk;
use anyhow::Result;
use chrono::NaiveDateTime;

pub use super::queue::{Detail, TouchKey};

/// How a status message reads: news, or something that went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Error,
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
    pub queue: QueueState,
    pub status: Option<(String, Tone)>,
    pub modal: Option<Modal>,
    pub prospects: ProspectList,
    pub sequences: SequenceList,
    pub stats: StatsView,
    pub upcoming: UpcomingState,
    /// Lint findings per sequence version, worked out once.
    pub lints: LintCache,
    pub clipboard: Box<dyn Clipboard>,
    pub launcher: Box<dyn Launcher>,
    /// The prospect of the newest action, so undo can put the selection back on them.
    pub last_acted: Option<i64>,
    /// The database's data version when this app last read it: another writer changes it.
    pub seen_version: Option<i64>,
    /// The background inbox sync, when the config names an inbox (started by the real app).
    pub inbox: Option<super::inbox_sync::InboxSync>,
    /// What the last inbox sync found, for the header.
    pub inbox_said: Option<String>,
    /// The emails `S` sent to the outbox.
    pub sending: super::sending::Sending,
    /// The prospect the last `x` opted out: `D` puts their whole domain on the list.
    pub last_opt_out: Option<i64>,
    /// Whether a failed daily snapshot has been said on the status line.
    pub snapshot_said: bool,
}

impl App {
    pub fn new(
        desk: Desk,
        clock: Clock,
        clipboard: Box<dyn Clipboard>,
        launcher: Box<dyn Launcher>,
    ) -> Result<App> {
        let zone = desk.rep_zone();
        let problems = desk.library_problems();
        let mut app = App {
            desk,
            clock,
            now: clock.now(),
            zone,
            view: View::Queue,
            size: (80, 24),
            color: true,
            queue: QueueState::default(),
            status: None,
            modal: None,
            prospects: ProspectList::default(),
            sequences: SequenceList::default(),
            stats: StatsView::default(),
            upcoming: UpcomingState::default(),
            lints: LintCache::default(),
            clipboard,
            launcher,
            last_acted: None,
            seen_version: None,
            inbox: None,
            inbox_said: None,
            sending: Default::default(),
            last_opt_out: None,
            snapshot_said: false,
        };
        app.reload()?;
        // The selection starts at the top of the day's order: a new lead, else what waits
        // on the rep, else the first touch.
        if app.queue.leads() == 0 && !app.queue.tasks.is_empty() {
            app.queue.on_task = Some(0);
        }
        app.restore_drafts();
        app.sync();
        if let Some(first) = problems.first() {
            let more = match problems.len() {
                1 => String::new(),
                n => format!(" (and {} more: see the Sequences view)", n - 1),
            };
            app.set_status(format!("{first}{more}"), Tone::Error);
        }
        Ok(app)
    }

    /// Opens the first run's questions when there is no config.toml to read yet.
    pub fn offer_setup(&mut self) {
        let Some(dir) = self
            .desk
            .library
            .user_dir()
            .map(std::path::Path::to_path_buf)
        else {
            return;
        };
        if self.desk.config.source.is_none() && !dir.join("config.toml").exists() {
            self.modal = Some(super::modal::Modal::Setup(Box::new(
                super::setup::Setup::new(dir),
            )));
        }
    }

    /// Puts back the texts the rep edited and left unsent last time.
    fn restore_drafts(&mut self) {
        let Ok(drafts) = self.desk.drafts() else {
            return;
        };
        for (key, subject, body) in drafts {
            let original = crate::content::Rendered {
                subject: subject.clone(),
                body: String::new(),
                voicemail: None,
                problems: Vec::new(),
            };
            let file = super::editor::to_file_text(&crate::content::Rendered {
                body,
                ..original.clone()
            });
            let text = super::editor::from_file_text(&file, &original);
            self.queue.problems.insert(key, text.problems.clone());
            self.queue.edits.insert(key, text);
        }
        if !self.queue.edits.is_empty() {
            let n = self.queue.edits.len();
            let msg = format!(
                "{} you edited last time {} back: y copies it as you left it.",
                crate::text::count(n, "message", "messages"),
                if n == 1 { "is" } else { "are" }
            );
            self.set_status(msg, Tone::Info);
        }
    }

    /// Keeps every edited, unsent message as a draft on its touch; says how many, if any.
    pub fn keep_drafts(&mut self) -> Option<String> {
        if self.queue.edits.is_empty() {
            return None;
        }
        let drafts: Vec<_> = self
            .queue
            .edits
            .iter()
            .map(|(k, v)| (*k, v.clone()))
            .collect();
        Some(match self.desk.save_drafts(&drafts, self.clock.now()) {
            Ok(0) => return None,
            Ok(n) => format!(
                "Kept {} you edited and did not send as a draft; it is there when you open touchbase again.",
                crate::text::count(n, "message", "messages")
            ),
            Err(e) => format!("error: could not keep your edited messages: {e:#}"),
        })
    }

    pub fn set_status(&mut self, text: impl Into<String>, tone: Tone) {
        self.status = Some((text.into(), tone));
    }

    /// How many queue rows fit on screen now.
    pub fn page(&self) -> usize {
        usize::from(views::queue_rows(self, self.size)).max(1)
    }

    /// Re-reads the queue from the desk, keeping the selection on the same touch.
    pub fn reload(&mut self) -> Result<()> {
        self.now = self.clock.now();
        self.seen_version = self.desk.data_version().ok();
        let page = self.page();
        self.upcoming.loaded = false;
        self.sending.load_held(&self.desk);
        self.queue.reload(&self.desk, self.now, page)
    }

    /// Applies the queue's filter again.
    pub fn refilter(&mut self) {
        // A filter narrows the touches: the selection goes to them.
        if !self.queue.filter.is_empty() {
            self.queue.on_task = None;
        }
        self.queue.refilter(&self.desk, self.now);
    }

    /// Makes sure the first `n` rows of the queue are loaded; a failure goes to the status.
    pub fn ensure_rows(&mut self, n: usize) {
        if let Err(e) = self.queue.ensure_rows(&self.desk, self.now, n) {
            self.set_status(format!("Could not load the queue: {e:#}"), Tone::Error);
        }
    }

    /// Loads the whole queue (for the last row, or a filter over every name).
    pub fn ensure_all(&mut self) {
        self.ensure_rows(usize::MAX);
    }

    /// Brings derived state up to date after a change. Only what is shown is computed.
    pub fn sync(&mut self) {
        let page = self.page();
        self.queue.sync(&self.desk, self.now, page, &mut self.lints);
        if self.view == View::Prospects {
            self.prospects.sync(&self.desk, self.now, self.size);
        }
        if self.view == View::Upcoming {
            self.upcoming.load(&self.desk, self.now);
        }
    }

    /// Whether another writer (a second window, the command line) changed the database since
    /// this app last read it. Cheap: one pragma.
    pub fn changed_elsewhere(&self) -> bool {
        let now = self.desk.data_version().ok();
        now.is_some() && now != self.seen_version
    }

    /// Reloads after another writer's change, keeps the selection on the same touch, and says
    /// what changed.
    pub fn refresh_from_elsewhere(&mut self) {
        let before = self.queue.keys();
        let complete = self.queue.complete;
        if let Err(e) = self.reload() {
            return self.set_status(format!("Could not reload: {e:#}"), Tone::Error);
        }
        self.prospects.invalidate();
        self.sequences.loaded = false;
        // The numbers on screen count again, as the queue does.
        if self.view == View::Stats {
            self.stats.load(&self.desk, self.now);
        }
        let after = self.queue.keys();
        let gone = before.difference(&after).count();
        let new = after.difference(&before).count();
        // Only the head of a long queue may be loaded: compare like with like.
        let words = match (gone, new) {
            _ if !complete || !self.queue.complete => "Updated from another window.".to_string(),
            (0, 0) => "Updated from another window.".to_string(),
            (g, 0) => format!("Updated from another window: {} worked there.", touches(g)),
            (0, n) => format!("Updated from another window: {} now due.", touches(n)),
            (g, n) => format!(
                "Updated from another window: {} worked there, {} now due.",
                touches(g),
                touches(n)
            ),
        };
        self.sync();
        self.set_status(words, Tone::Info);
    }

    /// Below this size the app shows only "too small", and only `q` acts.
    pub fn too_small(&self) -> bool {
        views::too_small(self.size)
    }
}

fn touches(n: usize) -> String {
    if n == 1 {
        "1 touch".to_string()
    } else {
        format!("{n} touches")
    }
}
