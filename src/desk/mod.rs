//! The rep's desk: the one door to the data. The app and the command line read and write only
//! through [`Desk`]; the store behind it is a private child module, so nothing outside this
//! folder can name it. Each action takes what happened as a type ([`Happened`]), loads what
//! the engine needs inside its own IMMEDIATE transaction, asks the engine, writes the answer,
//! and says why when it refuses ([`DeskError`]). Import, export, stats and the demo are pure
//! (rows in, values out); the desk does their reading and writing.
//!
//! The store cannot be reached past the desk; this does not compile:
//!
//! ```compile_fail
//! use touchbase::desk::store::Store;
//! ```

mod accounts;
pub mod bulk_load;
mod conversation;
mod credit;
mod describe;
mod drafts;
pub(crate) mod edit;
mod enroll;
mod error;
mod export;
mod export_csv;
mod going;
mod happened;
mod import;
mod import_seen;
mod inbox;
mod log;
mod log_after;
mod log_checks;
mod many;
mod outbox;
mod queue;
mod read;
mod refusal;
mod repeats;
mod reply;
mod schedule;
mod send;
mod send_text;
mod store;
mod versions;

pub use conversation::{NextStep, TaskItem};
pub use describe::{day_label, enrollment_state, step_label};
pub use edit::ProspectEdit;
pub use enroll::{AddOutcome, EnrollRequest, Refusal};
pub use error::DeskError;
pub use happened::{CallWent, Happened, LogRequest};
pub use inbox::{Considered, Possible, PossibleChoice, Synced};
pub use log::Logged;
pub use outbox::OutboxEntry;
pub use queue::{DueBrief, QueueEntry, QueueItem};
pub use read::{EnrollmentInfo, HistoryLine, TouchRow};
pub use refusal::Refused;
pub use reply::{Referral, ReplyDetails, parse_referral};
pub use send::Queued;
pub use store::queries::{BookFilter, BookKey, Page, RARE_STATUS, SHORT_SEARCH_SCAN};

use crate::clock::Zone;
use crate::config::Config;
use crate::content::{Library, Me};
use crate::desk::store::{Store, queries};
use crate::domain::Prospect;
use anyhow::{Result, anyhow};
use chrono::NaiveDateTime;
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;

/// Whole-file operations on a book, for the commands that work on the file rather than its
/// rows: a restore, where its snapshots go, the checks `doctor` runs, an upgrade ahead.
pub mod book {
    pub use super::store::backup::{check, folder_for, newest, restore};
    pub use super::store::schema::LATEST as SCHEMA_VERSION;
    pub use super::store::{explain_error, refuse_odd_file, will_upgrade};
}

/// The schema's migrations and version numbers, for tests that build an older database.
#[doc(hidden)]
pub mod schema {
    pub use super::store::schema::{APPLICATION_ID, LATEST, migrations};
    pub use super::store::stats::call_slots::define as define_call_slot;
    pub use super::store::stats::rollup::rebuild as rebuild_rollups;
}

/// The packed text of the touch log (see the store's `message` module).
pub mod message {
    pub use super::store::message::{Message, MessageError, Unpacker, pack};
}

pub struct Desk {
    store: Store,
    pub library: Library,
    pub config: Config,
    /// The config's calendar before the rep's time off is added to it.
    base_calendar: crate::domain::Calendar,
    /// Each sequence's current file content, read once per session (`None`: gone or broken).
    current_snapshots: RefCell<HashMap<String, Option<String>>>,
}

/// A book, its library and its config, to open a second desk on in another thread.
pub struct AnotherDesk {
    db: std::path::PathBuf,
    dir: Option<std::path::PathBuf>,
    config: Config,
}

impl AnotherDesk {
    pub fn open(self) -> Result<Desk> {
        let library = Library::new(self.dir.as_deref()).with_cool_off(self.config.cool_off_days);
        Desk::open(&self.db, library, self.config)
    }
}

impl Desk {
    /// Opens (or creates) the database file and the desk on it.
    pub fn open(path: &Path, library: Library, config: Config) -> Result<Desk> {
        Desk::new(Store::open(path)?, library, config)
    }

    /// From here on what the desk does stays off the file (see
    /// [`Store::rehearse_from_here`]).
    pub fn rehearse_from_here(&mut self) -> Result<()> {
        self.store.rehearse_from_here()
    }

    /// What another thread needs to open a desk of its own on this book (its own
    /// connection, so its transactions never hold this one's); `None` for a book in memory.
    pub fn for_another_thread(&self) -> Option<AnotherDesk> {
        Some(AnotherDesk {
            db: self.db_path()?,
            dir: self.library.user_dir().map(Path::to_path_buf),
            config: self.config.clone(),
        })
    }

    /// A desk on a database that lives in memory only (tests, dry runs).
    pub fn in_memory(library: Library, config: Config) -> Result<Desk> {
        Desk::new(Store::in_memory()?, library, config)
    }

    fn new(store: Store, library: Library, config: Config) -> Result<Desk> {
        let mut desk = Desk {
            base_calendar: config.calendar.clone(),
            store,
            library,
            config,
            current_snapshots: RefCell::default(),
        };
        desk.refresh_calendar()?;
        crate::desk::store::stats::call_slots::follow_rep_zone(desk.store.conn(), desk.rep_zone())?;
        // A book that cannot be written (read-only) keeps its times as they are.
        let _ = store::meeting_times::to_utc_once(desk.store.conn(), desk.rep_zone());
        Ok(desk)
    }

    /// Rebuilds the working calendar: the config's, plus the rep's time off. A failure to
    /// read the time off is an error, never "no time off".
    fn refresh_calendar(&mut self) -> Result<()> {
        let off = queries::time_off(self.store.conn())?;
        self.config.calendar = schedule::with_time_off(&self.base_calendar, &off);
        Ok(())
    }

    /// The database file (`None` for one in memory).
    pub fn db_path(&self) -> Option<std::path::PathBuf> {
        self.store.path().map(std::path::Path::to_path_buf)
    }

    /// Takes a config read afresh (the first run wrote one): its calendar, its cool-off, its
    /// `me.*`.
    pub fn set_config(&mut self, config: Config) -> Result<()> {
        self.base_calendar = config.calendar.clone();
        self.library = self.library.clone().with_cool_off(config.cool_off_days);
        self.config = config;
        self.refresh_calendar()?;
        crate::desk::store::stats::call_slots::follow_rep_zone(self.store.conn(), self.rep_zone())?;
        Ok(())
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

    /// The rep's time zone: the config's, else the system's.
    pub fn rep_zone(&self) -> Zone {
        Zone::from_config(self.config.timezone.as_deref())
    }

    /// A prospect by id or email, or an error naming what was asked for.
    pub fn prospect(&self, key: &str) -> Result<Prospect> {
        if let Some(p) = queries::find_prospect(self.store.conn(), key)? {
            return Ok(p);
        }
        // A name, when it is one prospect's: "Dana Reyes", in any case.
        let wanted = key.trim().to_lowercase();
        let named: Vec<Prospect> = queries::search(self.store.conn(), key.trim(), 50)?
            .into_iter()
            .filter(|p| p.full_name().to_lowercase() == wanted)
            .collect();
        match named.as_slice() {
            [one] => Ok(one.clone()),
            [] => Err(anyhow!(
                "no prospect '{key}' (give an id, an email address or a full name)"
            )),
            many => {
                let who: Vec<String> = many
                    .iter()
                    .take(8)
                    .map(|p| {
                        let at = p.email.as_deref().unwrap_or("no email");
                        format!("{} ({at})", p.id)
                    })
                    .collect();
                Err(anyhow!(
                    "{} prospects are called '{key}': give one's id or email — {}",
                    many.len(),
                    who.join(", ")
                ))
            }
        }
    }

    /// Undoes the newest action; says what was undone.
    pub fn undo(&mut self, now: NaiveDateTime) -> Result<String, DeskError> {
        let undone = self.store.undo(now)?;
        self.refresh_calendar()?;
        Ok(match undone {
            Some(summary) => format!("Undone: {summary}"),
            None => "Nothing to undo.".to_string(),
        })
    }

    /// Imports a CSV file as one action (or, with `dry_run`, rehearses it and rolls back).
    pub fn import(
        &mut self,
        path: &Path,
        opts: &crate::import::ImportOptions,
        now: NaiveDateTime,
    ) -> Result<crate::import::Report, DeskError> {
        Ok(self.import_file(path, opts, now)?)
    }

    /// Keeps a snapshot before the first write of each day (config `backups_kept`).
    pub fn keep_daily_snapshots(&mut self) {
        let kept = self.config.backups_kept();
        self.store.keep_daily_snapshots(kept);
    }

    /// Takes the day's snapshot, if it is due, without waiting for it (the app's start).
    pub fn daily_snapshot_in_background(&mut self, now: NaiveDateTime) {
        self.store.daily_snapshot_in_background(now);
    }

    /// Why the day's snapshot could not be taken, if it could not.
    pub fn snapshot_problem(&self) -> Option<String> {
        self.store.snapshot_problem()
    }

    /// A snapshot now: into `to`, else into `backups/` beside the database (then pruned to
    /// `backups_kept`). Returns where it went.
    pub fn backup(&self, to: Option<&Path>, now: NaiveDateTime) -> Result<std::path::PathBuf> {
        let db = self
            .store
            .path()
            .ok_or_else(|| anyhow!("a database in memory has nothing to back up"))?;
        let dest = match to {
            Some(p) => p.to_path_buf(),
            None => crate::desk::store::backup::timed_path(db, "", now),
        };
        self.store.snapshot_to(&dest)?;
        if to.is_none() {
            crate::desk::store::backup::prune(db, self.config.backups_kept().max(1))?;
        }
        Ok(dest)
    }

    /// The problems of the rep's own sequence and template files, one line each
    /// (`file:line:column: message`). Every command that uses the library shows them.
    pub fn library_problems(&self) -> Vec<String> {
        self.library.problems()
    }
}
