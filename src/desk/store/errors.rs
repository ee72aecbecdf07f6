//! SQLite's failures in words a rep can act on, each naming the file: a full disk, a
//! read-only file or folder, a busy or damaged database are different problems with
//! different fixes.

use anyhow::anyhow;
use rusqlite::ErrorCode;
use std::path::Path;

/// The SQLite error code somewhere in `err`'s chain, if any.
fn code_of(err: &anyhow::Error) -> Option<ErrorCode> {
    err.chain()
        .find_map(|e| match e.downcast_ref::<rusqlite::Error>() {
            Some(rusqlite::Error::SqliteFailure(f, _)) => Some(f.code),
            _ => None,
        })
}

/// `err` as one line naming `path`, when it is one of the failures a rep can do something
/// about; anything else (a refusal, a rule of the engine) passes through unchanged.
pub fn explain(err: anyhow::Error, path: &Path) -> anyhow::Error {
    let shown = path.display();
    let Some(code) = code_of(&err) else {
        return err;
    };
    match code {
        ErrorCode::DiskFull => {
            anyhow!("{shown}: the disk is full; nothing was saved (free some space and try again)")
        }
        ErrorCode::ReadOnly => anyhow!(
            "{shown} cannot be written: the file or its folder is read-only; nothing was saved"
        ),
        ErrorCode::CannotOpen => anyhow!(
            "{shown} cannot be opened for writing (is its folder read-only or gone?); nothing was changed"
        ),
        ErrorCode::PermissionDenied => {
            anyhow!("{shown}: permission denied; nothing was changed")
        }
        ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => anyhow!(
            "{shown} is busy: another touchbase held it for more than 5 seconds; nothing was saved, try again"
        ),
        ErrorCode::DatabaseCorrupt => anyhow!(
            "{shown} is damaged (SQLite finds malformed pages); nothing was changed: restore a backup with `touchbase restore FILE` (the daily ones are in {})",
            super::backup::folder_for(path).display()
        ),
        ErrorCode::NotADatabase => {
            anyhow!("{shown} is not a touchbase database (not an SQLite file); left it untouched")
        }
        // A full disk often shows as an I/O error: the shared-memory or WAL file could not
        // grow. The free space tells the two apart.
        ErrorCode::SystemIoFailure if disk_full(path) => {
            anyhow!("{shown}: the disk is full; nothing was saved (free some space and try again)")
        }
        ErrorCode::SystemIoFailure => {
            anyhow!("{shown}: the disk reported an input/output error; nothing was saved")
        }
        _ => err,
    }
}

/// Whether the file system `path` is on (or would be on) has no room left to speak of.
pub fn disk_full(path: &Path) -> bool {
    let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => dir,
        None => Path::new("."),
    };
    free_bytes(dir).is_some_and(|free| free < 256 * 1024)
}

#[cfg(unix)]
fn free_bytes(dir: &Path) -> Option<u64> {
    let st = rustix::fs::statvfs(dir).ok()?;
    Some(st.f_bavail.saturating_mul(st.f_frsize))
}

#[cfg(not(unix))]
fn free_bytes(_: &Path) -> Option<u64> {
    None
}
