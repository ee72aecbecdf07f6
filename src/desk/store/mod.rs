//! The SQLite store: one file, numbered migrations, one IMMEDIATE transaction per rep action,
//! an append-only touch log and the undo log.

pub mod backup;
mod book_order;
pub mod bulk;
mod bulk_aside;
pub mod bulk_rollups;
mod compact_log;
mod enrollment_codes;
mod errors;
pub mod log_codes;
pub mod meeting_times;
pub mod message;
mod open;
mod prospect_codes;
pub mod queries;
mod recredit;
pub mod rows;
pub mod schema;
pub mod stats;
pub mod undo;

pub use queries::TouchRow;
pub use undo::Tx;

use crate::content::Sequence;
use anyhow::{Context, Result, anyhow};
use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

pub struct Store {
    conn: Connection,
    /// The file, for messages (`None` in memory).
    path: Option<PathBuf>,
    /// Sequence versions are immutable, so a parsed one can be kept for the session.
    versions: Versions,
    /// The daily snapshot, when this file keeps them.
    daily: Option<Daily>,
    /// A snapshot being taken on its own thread: the process waits for it before exiting.
    snapshotting: Option<std::thread::JoinHandle<()>>,
    /// Everything written from here on stays in one transaction that is never committed
    /// (see [`Store::rehearse_from_here`]).
    rehearsing: bool,
}

/// Where a transaction's writes go: a transaction of its own, or in a rehearsal a savepoint
/// inside the one transaction that is never committed.
pub(crate) enum Held<'c> {
    Transaction(rusqlite::Transaction<'c>),
    Savepoint(rusqlite::Savepoint<'c>),
}

impl std::ops::Deref for Held<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        match self {
            Held::Transaction(tx) => tx,
            Held::Savepoint(sp) => sp,
        }
    }
}

impl Held<'_> {
    pub(crate) fn commit(self) -> rusqlite::Result<()> {
        match self {
            Held::Transaction(tx) => tx.commit(),
            Held::Savepoint(sp) => sp.commit(),
        }
    }
}

/// Begins a write: IMMEDIATE, so it holds the write lock from its first read; in a
/// rehearsal, a savepoint instead.
fn begin(conn: &mut Connection, rehearsing: bool) -> rusqlite::Result<Held<'_>> {
    Ok(if rehearsing {
        Held::Savepoint(conn.savepoint()?)
    } else {
        Held::Transaction(conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
    })
}

impl Drop for Store {
    fn drop(&mut self) {
        if let Some(thread) = self.snapshotting.take() {
            let _ = thread.join();
        }
    }
}

/// The daily snapshot's bookkeeping: how many to keep, the day already covered, and what
/// went wrong with the last one (a failed snapshot never stops the rep's work).
struct Daily {
    kept: u32,
    covered: std::cell::Cell<Option<chrono::NaiveDate>>,
    /// Shared with the thread that takes the day's snapshot in the background.
    problem: std::sync::Arc<std::sync::Mutex<Option<String>>>,
}

impl Daily {
    fn say(&self, problem: Option<String>) {
        say_problem(&self.problem, problem);
    }
}

fn say_problem(slot: &std::sync::Mutex<Option<String>>, problem: Option<String>) {
    if let Ok(mut said) = slot.lock() {
        *said = problem;
    }
}

/// What went wrong with a daily snapshot, in words: a damaged book names the snapshot to
/// put back.
fn snapshot_trouble(e: &anyhow::Error, db: &Path) -> String {
    if let Some(damaged) = e.chain().find_map(|c| c.downcast_ref::<backup::Damaged>()) {
        let last = match backup::newest(db) {
            Some(good) => format!(
                "your last good snapshot is {0}: `touchbase restore {0}` puts it back",
                good.display()
            ),
            None => "there is no snapshot to put back".to_string(),
        };
        return format!(
            "the book is damaged; {last}. No snapshot was taken of it (SQLite's quick check: {})",
            damaged.0
        );
    }
    format!("{e:#} (your work is saved; only today's snapshot is missing)")
}

/// Parsed sequence versions by id.
type Versions = RefCell<HashMap<i64, Rc<Sequence>>>;

pub use errors::explain as explain_error;
pub use open::{refuse_odd_file, will_upgrade};

/// A storage failure in words that name the file (see [`errors::explain`]).
fn explain_at(path: Option<&Path>, err: anyhow::Error) -> anyhow::Error {
    match path {
        Some(path) => errors::explain(err, path),
        None => err,
    }
}

/// A sequence version from the cache, else parsed from the database and kept.
fn load_version(conn: &Connection, cache: &Versions, id: i64) -> Result<Rc<Sequence>> {
    if let Some(s) = cache.borrow().get(&id) {
        return Ok(s.clone());
    }
    let body: String = conn
        .query_row(
            "SELECT body FROM sequence_versions WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| anyhow!("sequence version {id} is missing"))?;
    let seq = Rc::new(
        Sequence::from_snapshot(&body)
            .map_err(|e| anyhow!("sequence version {id} is damaged: {e}"))?,
    );
    cache.borrow_mut().insert(id, seq.clone());
    Ok(seq)
}

impl Store {
    /// Opens or creates the database file.
    pub fn open(path: &Path) -> Result<Store> {
        Ok(Store {
            conn: open::open_connection(path)?,
            path: Some(path.to_path_buf()),
            versions: RefCell::default(),
            daily: None,
            snapshotting: None,
            rehearsing: false,
        })
    }

    /// From here on nothing reaches the file: one transaction is begun and never
    /// committed, and each action is a savepoint inside it (what `screen --keys` acts in).
    /// Reads see the rehearsal's writes; the file and other processes never do. Like a book
    /// in memory, it has no path for other threads to open and keeps no snapshots.
    pub fn rehearse_from_here(&mut self) -> Result<()> {
        self.conn.execute_batch("BEGIN")?;
        self.rehearsing = true;
        self.daily = None;
        self.path = None;
        Ok(())
    }

    pub fn in_memory() -> Result<Store> {
        Ok(Store {
            conn: open::open_in_memory()?,
            path: None,
            versions: RefCell::default(),
            daily: None,
            snapshotting: None,
            rehearsing: false,
        })
    }

    /// The database file (`None` in memory).
    pub fn path(&self) -> Option<&std::path::Path> {
        self.path.as_deref()
    }

    /// Keeps a snapshot in `backups/` before the first write of each day, `kept` of them
    /// (0: none). A database in memory keeps none.
    pub fn keep_daily_snapshots(&mut self, kept: u32) {
        self.daily = (kept > 0 && self.path.is_some()).then(|| Daily {
            kept,
            covered: std::cell::Cell::new(None),
            problem: std::sync::Arc::default(),
        });
    }

    /// Takes the day's snapshot unless it exists, then prunes the old ones. A failure is kept
    /// for [`Store::snapshot_problem`], and the write goes ahead.
    fn daily_snapshot(&self, now: NaiveDateTime) {
        let (Some(daily), Some(path)) = (&self.daily, &self.path) else {
            return;
        };
        let today = now.date();
        if daily.covered.get() == Some(today) {
            return;
        }
        daily.covered.set(Some(today));
        let dest = backup::daily_path(path, today);
        let taken = if dest.exists() {
            Ok(())
        } else {
            backup::snapshot(&self.conn, &dest)
                .and_then(|()| backup::prune(path, daily.kept).map(|_| ()))
        };
        daily.say(taken.err().map(|e| snapshot_trouble(&e, path)));
    }

    /// Takes the day's snapshot on a thread of its own (with its own connection), so that
    /// opening the app waits for nothing. Later writes that day find it covered.
    pub fn daily_snapshot_in_background(&mut self, now: NaiveDateTime) {
        let (Some(daily), Some(path)) = (&self.daily, &self.path) else {
            return;
        };
        let today = now.date();
        let dest = backup::daily_path(path, today);
        daily.covered.set(Some(today));
        if dest.exists() {
            return;
        }
        let (path, kept) = (path.clone(), daily.kept);
        let problem = daily.problem.clone();
        self.snapshotting = Some(std::thread::spawn(move || {
            let taken =
                Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                    .map_err(anyhow::Error::from)
                    .and_then(|from| backup::snapshot(&from, &dest))
                    .and_then(|()| backup::prune(&path, kept));
            say_problem(&problem, taken.err().map(|e| snapshot_trouble(&e, &path)));
        }));
    }

    /// Why the day's snapshot could not be taken, if it could not.
    pub fn snapshot_problem(&self) -> Option<String> {
        self.daily.as_ref()?.problem.lock().ok()?.clone()
    }

    /// A snapshot of the database now, into `dest`.
    pub fn snapshot_to(&self, dest: &Path) -> Result<()> {
        backup::snapshot(&self.conn, dest)
    }

    /// The file's path, for messages.
    fn shown_path(&self) -> Option<PathBuf> {
        self.path.clone()
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs one rep action as one IMMEDIATE transaction with its undo record. `f` returns its
    /// value and a one-line summary of what it did (shown by `undo`).
    pub fn action<T>(
        &mut self,
        kind: &str,
        now: NaiveDateTime,
        f: impl FnOnce(&mut Tx) -> Result<(T, String)>,
    ) -> Result<T> {
        self.daily_snapshot(now);
        let path = self.shown_path();
        let run = || -> Result<T> {
            let tx = begin(&mut self.conn, self.rehearsing)?;
            let mut tx = Tx::begin(tx, &self.versions, kind, now)?;
            let (value, summary) = f(&mut tx)?;
            tx.commit(&summary)?;
            Ok(value)
        };
        run().map_err(|e| explain_at(path.as_deref(), e))
    }

    /// Runs `f` in one IMMEDIATE transaction with no undo record: for what is not a rep's
    /// action (drafts kept on quitting).
    pub fn write_plain<T>(&mut self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let path = self.shown_path();
        let run = || -> Result<T> {
            let tx = begin(&mut self.conn, self.rehearsing)?;
            let value = f(&tx)?;
            tx.commit()?;
            Ok(value)
        };
        run().map_err(|e| explain_at(path.as_deref(), e))
    }

    /// Runs `f` exactly like [`Store::action`] and then rolls everything back: a dry run.
    pub fn rehearse<T>(
        &mut self,
        kind: &str,
        now: NaiveDateTime,
        f: impl FnOnce(&mut Tx) -> Result<(T, String)>,
    ) -> Result<T> {
        let path = self.shown_path();
        let run = || -> Result<T> {
            let tx = begin(&mut self.conn, self.rehearsing)?;
            let mut tx = Tx::begin(tx, &self.versions, kind, now)?;
            let (value, _) = f(&mut tx)?;
            // Dropping the transaction rolls it back.
            drop(tx);
            Ok(value)
        };
        run().map_err(|e| explain_at(path.as_deref(), e))
    }

    /// Undoes the newest action not yet undone; returns its summary, or `None` if there is
    /// nothing left to undo.
    pub fn undo(&mut self, now: NaiveDateTime) -> Result<Option<String>> {
        self.daily_snapshot(now);
        let path = self.shown_path();
        let mut run = || -> Result<Option<String>> {
            let tx = begin(&mut self.conn, self.rehearsing)?;
            let summary = undo::undo_newest(&tx, now)?;
            tx.commit()?;
            Ok(summary)
        };
        let summary = run().map_err(|e| explain_at(path.as_deref(), e))?;
        // Undo may delete a version it stored, and its id can be given to the next one.
        self.versions.borrow_mut().clear();
        Ok(summary)
    }

    /// The sequence version an enrollment runs on.
    pub fn version(&self, id: i64) -> Result<Rc<Sequence>> {
        load_version(&self.conn, &self.versions, id)
    }

    /// A pragma's value as a number.
    pub fn pragma(&self, name: &str) -> Result<i64> {
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(anyhow!("'{name}' is not a pragma name"));
        }
        Ok(self
            .conn
            .query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))?)
    }

    /// SQLite's count of commits by other connections: it changes when another window, the
    /// command line or a sync wrote to the file.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// The newest version id stored for a sequence name, if any.
    pub fn latest_version_id(&self, name: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT max(id) FROM sequence_versions WHERE name = ?1",
                [name],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }

    /// The newest stored version of a sequence, if any.
    pub fn latest_version(&self, name: &str) -> Result<Option<Sequence>> {
        match self.latest_version_id(name)? {
            Some(id) => Ok(Some(Sequence::clone(&*self.version(id)?))),
            None => Ok(None),
        }
    }

    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .context("reading settings")
    }
}
