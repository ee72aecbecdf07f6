//! The database file (ours, its version, intact) and its snapshots.

use super::{Finding, shown};
use crate::desk::book::{self as backup, SCHEMA_VERSION as LATEST};
use std::path::Path;

pub fn check(db: &Path) -> Vec<Finding> {
    let mut found = Vec::new();
    if !db.exists() {
        found.push(Finding::ok(
            "database",
            format!("{}: none yet; the first change creates it", shown(db)),
        ));
        return found;
    }
    found.push(match backup::check(db) {
        Ok(c) if c.version < LATEST => Finding::ok(
            "database",
            format!(
                "{}: intact, {} prospects, schema version {} (upgraded on its next use to {LATEST})",
                shown(db),
                c.prospects,
                c.version
            ),
        ),
        Ok(c) => Finding::ok(
            "database",
            format!(
                "{}: intact, {} prospects, {} touches, schema version {}",
                shown(db),
                c.prospects,
                c.touches,
                c.version
            ),
        ),
        Err(e) if e.to_string().contains("newer touchbase") => {
            Finding::fail("database", format!("{e:#}"), "install a newer touchbase")
        }
        Err(e) => Finding::fail(
            "database",
            format!("{e:#}"),
            format!(
                "put a snapshot back with `touchbase restore FILE` (they are in {})",
                shown(&backup::folder_for(db))
            ),
        ),
    });
    found.push(snapshots(db));
    found
}

/// The newest snapshot of this book, whether it would restore, and how old it is.
fn snapshots(db: &Path) -> Finding {
    let dir = backup::folder_for(db);
    let Some(path) = backup::newest(db) else {
        return Finding::warn(
            "backups",
            format!("no snapshot of {} in {} yet", shown(db), shown(&dir)),
            "one is taken before the first change of each day; `touchbase backup` takes one now",
        );
    };
    if let Err(e) = backup::check(&path) {
        return Finding::fail(
            "backups",
            format!(
                "the newest snapshot, {}, would not restore: {e:#}",
                shown(&path)
            ),
            "take a good one now with `touchbase backup`, or restore an older one",
        );
    }
    let age_days = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|when| std::time::SystemTime::now().duration_since(when).ok())
        .map_or(0, |d| d.as_secs() / 86_400);
    if age_days > 7 {
        Finding::warn(
            "backups",
            format!(
                "the newest snapshot, {}, is {age_days} days old",
                shown(&path)
            ),
            "`touchbase backup` takes one now",
        )
    } else {
        Finding::ok(
            "backups",
            format!("newest snapshot {} (checked)", shown(&path)),
        )
    }
}
