//! Snapshots of the database file with SQLite's online backup API: the daily one taken before
//! the first write of each day, one on demand (`touchbase backup`), and putting one back
//! (`touchbase restore`). A snapshot is a complete database that opens on its own.

use super::open::{create_private_dir, create_private_file};
use super::schema::{APPLICATION_ID, LATEST};
use anyhow::{Context, Result, anyhow, bail};
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// The folder beside the database that holds its snapshots.
pub fn folder_for(db: &Path) -> PathBuf {
    db.parent().unwrap_or(Path::new(".")).join("backups")
}

/// The file name's stem that every snapshot of `db` starts with (`touchbase` for
/// `touchbase.db`).
fn stem_of(db: &Path) -> String {
    db.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "touchbase".into())
}

/// Where the daily snapshot of `db` for `day` goes.
pub fn daily_path(db: &Path, day: NaiveDate) -> PathBuf {
    folder_for(db).join(format!("{}-{day}.db", stem_of(db)))
}

/// Where a snapshot taken now goes, `label` naming why (`""` for one the rep asked for).
pub fn timed_path(db: &Path, label: &str, now: NaiveDateTime) -> PathBuf {
    let when = now.format("%Y-%m-%d-%H%M%S");
    folder_for(db).join(format!("{}-{label}{when}.db", stem_of(db)))
}

/// Copies the database `from` is open on into a new private file at `dest`, consistent as of
/// one moment even while others write (one read transaction for the whole copy). The copy is
/// made beside `dest` and renamed into place: a failed one leaves nothing behind.
pub fn snapshot(from: &Connection, dest: &Path) -> Result<()> {
    if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.exists() {
            create_private_dir(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
    }
    if let Some(dir) = dest.parent() {
        clean_partials(dir);
    }
    // Each process its own partial file: two commands at once may both take the day's.
    let partial = PathBuf::from(format!("{}.{}.partial", dest.display(), std::process::id()));
    let _ = std::fs::remove_file(&partial);
    let result = (|| -> Result<()> {
        create_private_file(&partial)?;
        let mut to = Connection::open(&partial)?;
        copy_all(from, &mut to)?;
        // The copy is one self-contained file: no -wal beside it.
        to.pragma_update(None, "journal_mode", "DELETE")?;
        // A damaged book makes a damaged copy: it never takes a good snapshot's place.
        let verdict = quick_check(&to);
        if verdict != "ok" {
            return Err(anyhow::Error::new(Damaged(verdict)));
        }
        drop(to);
        std::fs::File::open(&partial)?.sync_all()?;
        std::fs::rename(&partial, dest)?;
        Ok(())
    })();
    if result.is_err() {
        for side in ["", "-journal", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{side}", partial.display()));
        }
    }
    let damaged = |e: &anyhow::Error| e.downcast_ref::<Damaged>().is_some();
    if result.as_ref().is_err_and(|e| !damaged(e)) && super::errors::disk_full(dest) {
        bail!(
            "{}: the disk is full; the backup was not written",
            dest.display()
        );
    }
    result.with_context(|| format!("writing the backup {}", dest.display()))
}

/// The book a snapshot was being taken of is damaged (SQLite's quick check says this).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the book is damaged (SQLite's quick check: {0}); no snapshot was taken of it")]
pub struct Damaged(pub String);

/// SQLite's quick check of the database `conn` is open on: "ok", or the first problem.
fn quick_check(conn: &Connection) -> String {
    conn.query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
        .unwrap_or_else(|e| e.to_string())
}

/// Removes what a snapshot killed half way left in `dir`: its partial file and the side
/// files beside it, once the process that wrote them is gone.
fn clean_partials(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(|e| e.ok()) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(at) = name.find(".partial") else {
            continue;
        };
        let stem = name.get(..at).unwrap_or_default();
        let pid = stem.rsplit('.').next().and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(|pid| !process_is_gone(pid)) {
            continue;
        }
        let _ = std::fs::remove_file(entry.path());
    }
}

/// Whether no process `pid` runs any more (this one always runs).
fn process_is_gone(pid: u32) -> bool {
    if pid == std::process::id() {
        return false;
    }
    if cfg!(target_os = "linux") {
        !Path::new(&format!("/proc/{pid}")).exists()
    } else {
        // Elsewhere nothing cheap tells: a partial file left by anyone is stale after a
        // snapshot's own run, which takes seconds.
        true
    }
}

/// The newest snapshot of `db` in its `backups/` folder, if any.
pub fn newest(db: &Path) -> Option<PathBuf> {
    let prefix = format!("{}-", stem_of(db));
    std::fs::read_dir(folder_for(db))
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with(&prefix) && name.ends_with(".db")
        })
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .max()
        .map(|(_, path)| path)
}

/// Every page of `from` into `to`, in one step (so in one read transaction of `from`).
pub(super) fn copy_all(from: &Connection, to: &mut Connection) -> Result<()> {
    let backup = Backup::new(from, to)?;
    for _ in 0..500 {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            // Busy or locked: another connection holds the file for a moment.
            _ => std::thread::sleep(std::time::Duration::from_millis(10)),
        }
    }
    bail!("the database stayed busy for 5 seconds; try again")
}

/// Removes the oldest snapshots of `db` beyond the newest `kept` (by the time they were
/// written). Returns how many went.
pub fn prune(db: &Path, kept: u32) -> Result<usize> {
    let dir = folder_for(db);
    let prefix = format!("{}-", stem_of(db));
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(0);
    };
    let mut snapshots: Vec<(std::time::SystemTime, PathBuf)> = entries
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with(&prefix) && name.ends_with(".db")
        })
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    snapshots.sort();
    let excess = snapshots.len().saturating_sub(kept as usize);
    for (_, path) in snapshots.iter().take(excess) {
        std::fs::remove_file(path).with_context(|| format!("removing {}", path.display()))?;
    }
    Ok(excess)
}

/// What a checked backup holds, for the rep to see before it replaces their file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub version: i64,
    pub prospects: i64,
    pub touches: i64,
}

/// Opens `file` read-only and checks it is a whole touchbase database this version can read:
/// ours, not newer, and passing SQLite's integrity check.
pub fn check(file: &Path) -> Result<Checked> {
    let shown = file.display();
    super::open::refuse_odd_file(file)?;
    if !file.is_file() {
        bail!("{shown}: no such file");
    }
    let conn = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .with_context(|| format!("opening {shown}"))?;
    let header = || -> rusqlite::Result<(i32, i64)> {
        Ok((
            conn.query_row("PRAGMA application_id", [], |r| r.get(0))?,
            conn.query_row("PRAGMA user_version", [], |r| r.get(0))?,
        ))
    };
    let (app_id, version) =
        header().map_err(|_| anyhow!("{shown} is not a database (or is damaged at its start)"))?;
    if app_id != APPLICATION_ID || version == 0 {
        bail!("{shown} is not a touchbase database");
    }
    if version > LATEST {
        bail!(
            "{shown} was written by a newer touchbase (schema version {version}, this one knows up to {LATEST}); upgrade touchbase to restore it"
        );
    }
    let verdict: String = conn
        .query_row("PRAGMA integrity_check(1)", [], |r| r.get(0))
        .unwrap_or_else(|e| e.to_string());
    if verdict != "ok" {
        bail!("{shown} is damaged (SQLite's integrity check: {verdict})");
    }
    let count = |table: &str| -> Result<i64> {
        Ok(conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
    };
    Ok(Checked {
        version,
        prospects: count("prospects")?,
        touches: count("touches")?,
    })
}

/// Puts the checked backup `file` in place of the database at `db`. The book there is first
/// kept as a snapshot (returned); the backup then replaces its content in one write
/// transaction, so every other reader sees the old book or the new one, never a mix, and a
/// failure (a full disk) leaves it exactly as it was. A file too damaged to be read is
/// replaced only once a complete, checked copy of the backup stands beside it.
pub fn restore(file: &Path, db: &Path, now: NaiveDateTime) -> Result<(Checked, Option<PathBuf>)> {
    let checked = check(file)?;
    let from = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    if !db.exists() {
        put_in_place(&from, db, None)?;
        return Ok((checked, None));
    }
    let kept = timed_path(db, "before-restore-", now);
    let live = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_WRITE)
        .map_err(anyhow::Error::from)
        .and_then(|live| {
            live.busy_timeout(std::time::Duration::from_secs(5))?;
            snapshot(&live, &kept)?;
            Ok(live)
        });
    match live {
        Ok(mut live) => {
            copy_all(&from, &mut live).map_err(|e| {
                e.context(format!(
                    "copying {} over {}; the book is as it was",
                    file.display(),
                    db.display()
                ))
            })?;
            Ok((checked, Some(kept)))
        }
        Err(e) if unreadable(&e) => {
            // The current file cannot be read as a database: its bytes are kept as they are,
            // and the backup takes its place whole.
            put_in_place(&from, db, Some(&kept))?;
            Ok((checked, Some(kept)))
        }
        Err(e) => Err(e.context(format!(
            "keeping a copy of {} before the restore; nothing was changed",
            db.display()
        ))),
    }
}

/// Whether an error says the file is not a readable database (damaged, or not one at all).
fn unreadable(e: &anyhow::Error) -> bool {
    use rusqlite::ErrorCode::{DatabaseCorrupt, NotADatabase};
    e.chain().any(|cause| {
        cause.downcast_ref::<Damaged>().is_some()
            || cause
                .downcast_ref::<rusqlite::Error>()
                .and_then(rusqlite::Error::sqlite_error_code)
                .is_some_and(|code| matches!(code, DatabaseCorrupt | NotADatabase))
    })
}

/// Makes a complete, checked copy of `from` beside `db`, then puts it in `db`'s place in one
/// rename (the file there is first set aside to `aside`, with its side files). Until then,
/// `db` is untouched.
fn put_in_place(from: &Connection, db: &Path, aside: Option<&Path>) -> Result<()> {
    let fresh = PathBuf::from(format!("{}.restoring", db.display()));
    snapshot(from, &fresh)?;
    let placed = (|| -> Result<()> {
        if let Some(aside) = aside {
            set_aside(db, aside)?;
        }
        std::fs::rename(&fresh, db)
            .with_context(|| format!("moving the backup to {}", db.display()))?;
        if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
            // The rename itself is durable once the folder is.
            std::fs::File::open(dir).and_then(|d| d.sync_all())?;
        }
        Ok(())
    })();
    if placed.is_err() {
        let _ = std::fs::remove_file(&fresh);
    }
    placed
}

/// Moves a damaged database and its side files to `kept` (they are only bytes now).
fn set_aside(db: &Path, kept: &Path) -> Result<()> {
    if let Some(dir) = kept.parent() {
        if !dir.exists() {
            create_private_dir(dir)?;
        }
    }
    for side in ["", "-wal", "-shm", "-journal"] {
        let from = PathBuf::from(format!("{}{side}", db.display()));
        if from.exists() {
            let to = PathBuf::from(format!("{}{side}", kept.display()));
            std::fs::rename(&from, &to)
                .with_context(|| format!("moving {} aside", from.display()))?;
        }
    }
    Ok(())
}
