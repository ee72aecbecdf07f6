//! Opening the database file: permissions, the checks that keep us from touching a file that
//! is not ours or is newer than us, the pragmas, and the migrations.

use super::schema::{APPLICATION_ID, LATEST, migrations};
use anyhow::{Context, Result, bail};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

/// Opens (creating if needed) the database at `path`, ready for use. A new file that fails
/// while being set up is removed again, with its side files: no partial database is left.
pub fn open_connection(path: &Path) -> Result<Connection> {
    refuse_odd_file(path)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.exists() {
            create_private_dir(dir).map_err(|e| io_error(e, dir, "create the folder"))?;
        }
    }
    let created = !path.exists();
    if created {
        create_private_file(path).map_err(|e| io_error(e, path, "create"))?;
    }
    tighten_modes(path);
    let opened = open_existing(path).map_err(|e| super::errors::explain(e, path));
    if opened.is_err() && created {
        for side in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(format!("{}{side}", path.display()));
        }
    }
    opened
}

/// Refuses, before anything waits on it, what is not a plain file a book can live in: a
/// folder, a pipe or device, a loop of links, a file nobody may read.
pub fn refuse_odd_file(path: &Path) -> Result<()> {
    let shown = path.display();
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        // ELOOP: following the links comes back to where it started.
        Err(e) if e.raw_os_error() == Some(40) => {
            bail!("{shown} is a loop of symbolic links; point it at a file")
        }
        Err(e) => bail!("{shown}: {e}"),
    };
    if meta.is_dir() {
        bail!(
            "{shown} is a folder, not a database file; give a file path such as {}",
            path.join("touchbase.db").display()
        );
    }
    if !meta.is_file() {
        bail!(
            "{shown} is not a plain file (a pipe, socket or device); a book lives in a plain file"
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o600 != 0o600 && std::fs::File::open(path).is_err() {
            bail!(
                "{shown} may not be read or written (its mode is {:04o}); `chmod 600 {shown}` gives it back to you",
                meta.permissions().mode() & 0o7777
            );
        }
    }
    Ok(())
}

/// A file-system failure, naming the file and what was being done.
fn io_error(e: std::io::Error, path: &Path, doing: &str) -> anyhow::Error {
    let shown = path.display();
    match e.kind() {
        std::io::ErrorKind::StorageFull => {
            anyhow::anyhow!("{shown}: the disk is full; could not {doing} it")
        }
        std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied => {
            anyhow::anyhow!("could not {doing} {shown}: its folder is read-only ({e})")
        }
        _ => anyhow::anyhow!("could not {doing} {shown}: {e}"),
    }
}

/// The database, its side files and its snapshots are the rep's private data: anything
/// looser than 0600 for a file or 0700 for their folders (a copy, an unpacked backup, a
/// loose umask) is tightened when the book is opened. The folder of a book given with
/// `--db` is the rep's own choice and is left as it is, but for the default data folder.
fn tighten_modes(path: &Path) {
    use crate::paths::tighten;
    for side in ["", "-wal", "-shm"] {
        tighten(Path::new(&format!("{}{side}", path.display())), 0o600);
    }
    let backups = super::backup::folder_for(path);
    if backups.is_dir() {
        tighten(&backups, 0o700);
        if let Ok(entries) = std::fs::read_dir(&backups) {
            for entry in entries.filter_map(|e| e.ok()) {
                tighten(&entry.path(), 0o600);
            }
        }
    }
    let data = crate::paths::default_data_dir().ok();
    if let Some(dir) = path.parent().filter(|d| Some(*d) == data.as_deref()) {
        tighten(dir, 0o700);
    }
}

fn open_existing(path: &Path) -> Result<Connection> {
    let shown = path.display();
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .with_context(|| format!("opening {shown}"))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // Judged by what the file holds, not by its length: a first use killed while its
    // rollback journal was hot leaves bytes that the next open rolls back to nothing.
    let found = check_is_ours(&conn, path)?;
    if found == Found::Empty {
        // Set before anything is written (WAL mode writes the header): pages freed later (a
        // bulk load's rebuilt indexes) can go back to the disk with `incremental_vacuum`.
        conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")?;
    }
    configure(&conn)?;
    // Marked as ours before the first migration: a new file whose process is killed while
    // the schema is being made is still recognised, and the next open finishes the work.
    if found != Found::Ours {
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    }
    // The triggers' conversion to the prospect's clock; the desk sets the rep's zone.
    crate::desk::store::stats::call_slots::define(&conn, crate::clock::Zone::System)?;
    let mut conn = conn;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    migrations()
        .to_latest(&mut conn)
        .with_context(|| format!("upgrading {shown}"))?;
    if found == Found::Ours && version < super::schema::COMPACT {
        // The compact layouts free about a third of an old book's pages: given back once,
        // and from then on as they are freed. A file that cannot be rewritten now (a full
        // disk) keeps working at its old size.
        let _ = conn.execute_batch("PRAGMA auto_vacuum = INCREMENTAL; VACUUM;");
    }
    Ok(conn)
}

/// An in-memory database, for tests.
pub fn open_in_memory() -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    crate::desk::store::stats::call_slots::define(&conn, crate::clock::Zone::System)?;
    migrations().to_latest(&mut conn)?;
    conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    Ok(conn)
}

/// Whether the book at `path` was written by an earlier touchbase and will be upgraded when
/// it is opened (false for a new file, or one that cannot be read).
pub fn will_upgrade(path: &Path) -> bool {
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let Ok(conn) = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY) else {
        return false;
    };
    let ours = conn
        .query_row("PRAGMA application_id", [], |r| r.get::<_, i32>(0))
        .is_ok_and(|id| id == APPLICATION_ID);
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap_or(LATEST);
    ours && version > 0 && version < LATEST
}

/// What a file that may be opened holds.
#[derive(Debug, PartialEq, Eq)]
enum Found {
    /// Nothing yet: a new book is made in it.
    Empty,
    /// A book whose making was cut short before it was marked as ours (an earlier
    /// touchbase marked it only when the file had been empty by length).
    Unmarked,
    Ours,
}

/// Refuses, before writing anything, a file that is not a touchbase database or that a newer
/// touchbase wrote.
fn check_is_ours(conn: &Connection, path: &Path) -> Result<Found> {
    let shown = path.display();
    // A file that is not SQLite at all says so here; a read-only folder or a busy file
    // fails here too, and says that instead (see `errors::explain`).
    let app_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let found = if app_id == APPLICATION_ID {
        Found::Ours
    } else {
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .unwrap_or(1);
        if app_id == 0 && tables == 0 && version == 0 {
            Found::Empty
        } else if app_id == 0 && (1..=LATEST).contains(&version) && has_our_tables(conn) {
            Found::Unmarked
        } else {
            bail!("{shown} is not a touchbase database; left it untouched");
        }
    };
    if version > LATEST {
        bail!(
            "{shown} was written by a newer touchbase (schema version {version}, this one knows up to {LATEST}); upgrade touchbase to open it. The file was left untouched"
        );
    }
    Ok(found)
}

/// Whether the file holds the tables every touchbase schema since the first has had.
fn has_our_tables(conn: &Connection) -> bool {
    conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table'
           AND name IN ('prospects', 'enrollments', 'touches', 'settings', 'actions')",
        [],
        |r| r.get::<_, i64>(0),
    )
    .is_ok_and(|n| n == 5)
}

fn configure(conn: &Connection) -> Result<()> {
    // WAL is a property of the file, set outside the migrations; FULL sync makes a committed
    // action survive a power cut.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Statement journals in memory: an action that writes many rows (an import) would
    // otherwise write each statement's journal to a temporary file.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // An import runs some twenty statements per row: all of them stay prepared.
    conn.set_prepared_statement_cache_capacity(64);
    // 16 MB of page cache (the default is 2 MB): a big import's index pages stay in memory.
    conn.pragma_update(None, "cache_size", -16_000)?;
    Ok(())
}

#[cfg(unix)]
pub(super) fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
pub(super) fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

#[cfg(unix)]
pub(super) fn create_private_file(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map(|_| ())
}

#[cfg(not(unix))]
pub(super) fn create_private_file(path: &Path) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map(|_| ())
}
