//! Loading a whole new book at once (the demo): rows written in one transaction outside the
//! undo log, the Stats rollups counted as they go, then the file set for everyday use. The
//! rows go through [`Bulk`]'s typed calls; no SQL leaves the desk.

pub use super::store::bulk::Bulk;
pub use super::store::bulk_rollups::{ResponseKeys, Rollups, Written};
pub use super::store::undo::Frozen;

use super::store::{Store, queries};
use anyhow::{Context, Result};
use chrono::NaiveDateTime;
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::path::Path;

/// What is due in a book just loaded.
#[derive(Debug, Clone, Copy)]
pub struct DueCount {
    pub due: i64,
    pub overdue: i64,
}

/// Creates the book at `path` (no file there yet) and fills it with `fill` in one
/// transaction; `fill` returns the rollups it counted, which are written with the rows.
pub fn load_new_book(
    path: &Path,
    now: NaiveDateTime,
    fill: impl FnOnce(&mut Bulk) -> Result<Rollups>,
) -> Result<(Rollups, DueCount)> {
    let mut store = Store::open(path).with_context(|| format!("creating {}", path.display()))?;
    // A throwaway file rebuilt from scratch: no need to sync each page or journal to disk.
    store.conn().pragma_update(None, "synchronous", "OFF")?;
    store
        .conn()
        .query_row("PRAGMA journal_mode = MEMORY", [], |_| Ok(()))?;
    // Every row goes in at the end of its table (the lookups are built at the end, from
    // sorted rows): a small page cache writes as fast as a big one, in far less memory.
    store.conn().pragma_update(None, "cache_size", -8_192)?;
    // The indexes built at the end sort millions of rows: in temporary files, not in memory
    // (the app keeps its few temporary tables in memory).
    store.conn().pragma_update(None, "temp_store", "FILE")?;

    let mut bulk = store.bulk()?;
    let mut rollups = fill(&mut bulk)?;
    rollups.write(&mut bulk)?;
    bulk.commit()?;

    // The pages the load freed (indexes built again at its end) go back to the disk: each
    // step of the pragma gives back one.
    {
        let mut vacuum = store.conn().prepare("PRAGMA incremental_vacuum")?;
        let mut freed = vacuum.query([])?;
        while freed.next()?.is_some() {}
    }
    // Opened again, set for everyday use: the load's connection may still hold the search
    // index as it was before the load copied its pages in (`Bulk::commit`).
    drop(store);
    let store = Store::open(path).with_context(|| format!("opening {}", path.display()))?;
    let conn = store.conn();
    let due = queries::due(conn, now.date())?;
    let overdue = due
        .iter()
        .filter(|d| d.enrollment.due.is_some_and(|at| at.date() < now.date()))
        .count();
    Ok((
        rollups,
        DueCount {
            due: due.len() as i64,
            overdue: overdue as i64,
        },
    ))
}

/// Whether the file is a book whose setting `key` is "true" (read only; any failure: no).
pub fn setting_is_true(path: &Path, key: &str) -> bool {
    let Ok(conn) = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY) else {
        return false;
    };
    conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
        r.get::<_, String>(0)
    })
    .optional()
    .ok()
    .flatten()
    .is_some_and(|v| v == "true")
}
