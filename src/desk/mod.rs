//! The rep's desk: the operations the command line and the app both perform. Each one loads
//! what the engine needs, asks the engine, and writes the answer as one store action.

mod describe;
mod enroll;
mod log;
mod queue;
mod schedule;
mod versions;

pub use describe::{day_label, step_label};
pub use enroll::{enroll_in, AddOutcome, EnrollRequest, EnrollTarget, Refusal};
pub use log::Logged;
pub use queue::{QueueEntry, QueueItem};

use crate::config::Config;
use crate::content::{Library, Me};
use crate::domain::Prospect;
use crate::store::{queries, Store};
use anyhow::{anyhow, Result};
use chrono::NaiveDateTime;
use std::cell::RefCell;
use std::collections::HashMap;

pub struct Desk {
    pub store: Store,
    pub library: Library,
    pub config: Config,
    /// The config's calendar before the rep's time off is added to it.
    base_calendar: crate::domain::Calendar,
    /// Each sequence's current file content, read once per session (`None`: gone or broken).
    current_snapshots: RefCell<HashMap<String, Option<String>>>,
}

impl Desk {
    pub fn new(store: Store, library: Library, config: Config) -> Desk {
        let mut desk = Desk {
            base_calendar: config.calendar.clone(),
            store,
            library,
            config,
            current_snapshots: RefCell::default(),
        };
        desk.refresh_calendar();
        desk
    }

    /// Rebuilds the working calendar: the config's, plus the rep's time off.
    fn refresh_calendar(&mut self) {
        let off = queries::time_off(self.store.conn()).unwrap_or_default();
        self.config.calendar = schedule::with_time_off(&self.base_calendar, &off);
    }

    /// `me.*` for templates: the config file's, else the one saved in the database (the demo
    /// database carries its own rep).
    pub fn me(&self) -> Me {
        if self.config.source.is_some() && self.config.me != Me::default() {
            return self.config.me.clone();
        }
        self.store
            .setting("me")
            .ok()
            .flatten()
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_else(|| self.config.me.clone())
    }

    /// The rep's time zone from the config, if set (else the system's local time applies).
    pub fn rep_zone(&self) -> Option<chrono_tz::Tz> {
        self.config.timezone.as_deref().and_then(|z| z.parse().ok())
    }

    /// A prospect by id or email, or an error naming what was asked for.
    pub fn prospect(&self, key: &str) -> Result<Prospect> {
        queries::find_prospect(self.store.conn(), key)?
            .ok_or_else(|| anyhow!("no prospect '{key}' (give an id or an email address)"))
    }

    /// Undoes the newest action; says what was undone.
    pub fn undo(&mut self, now: NaiveDateTime) -> Result<String> {
        let undone = self.store.undo(now)?;
        self.refresh_calendar();
        Ok(match undone {
            Some(summary) => format!("Undone: {summary}"),
            None => "Nothing to undo.".to_string(),
        })
    }
}
