//! Opening the database file: permissions, the checks that keep us from touching a file that
//! is not ours or is newer than us, the pragmas, and the migrations.

use super::schema::{APPLICATION_ID, LATEST, migrations};
use anyhow::{Context, Result, bail};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

/// Opens (creating if needed) the database at `path`, ready for use.
pub fn open_connection(path: &Path) -> Result<Connection> {
    let shown = path.display();
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.exists() {
            create_private_dir(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
    }
    let existed = path.exists()
        && std::fs::metadata(path)
            .map(|m| m.len() > 0)
            .unwrap_or(false);
    if !path.exists() {
        create_private_file(path).with_context(|| format!("creating {shown}"))?;
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .with_context(|| format!("opening {shown}"))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    if existed {
        check_is_ours(&conn, path)?;
    }
    configure(&conn)?;
    let mut conn = conn;
    migrations()
        .to_latest(&mut conn)
        .with_context(|| format!("upgrading {shown}"))?;
    if !existed {
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    }
    Ok(conn)
}

/// An in-memory database, for tests.
pub fn open_in_memory() -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    migrations().to_latest(&mut conn)?;
    conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    Ok(conn)
}

/// Refuses, before writing anything, a file that is not a touchbase database or that a newer
/// touchbase wrote.
fn check_is_ours(conn: &Connection, path: &Path) -> Result<()> {
    let shown = path.display();
    let app_id: i32 = match conn.query_row("PRAGMA application_id", [], |r| r.get(0)) {
        Ok(v) => v,
        Err(_) => {
            bail!("{shown} is not a touchbase database (not an SQLite file); left it untouched")
        }
    };
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if app_id != APPLICATION_ID {
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .unwrap_or(1);
        if app_id != 0 || tables > 0 || version != 0 {
            bail!("{shown} is not a touchbase database; left it untouched");
        }
    }
    if version > LATEST {
        bail!(
            "{shown} was written by a newer touchbase (schema version {version}, this one knows up to {LATEST}); upgrade touchbase to open it. The file was left untouched"
        );
    }
    Ok(())
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
    Ok(())
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

#[cfg(unix)]
fn create_private_file(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map(|_| ())
}

#[cfg(not(unix))]
fn create_private_file(path: &Path) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map(|_| ())
}
