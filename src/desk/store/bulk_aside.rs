//! The book's order and search index for a bulk load, made on the machine's other core
//! while the load's own connection builds the lookup indexes. Indexing a million prospects'
//! names, companies and addresses by trigram is the longest single step at the end of a
//! load, and one connection does one thing at a time; a second connection on a side file
//! can do it beside.
//!
//! The book's text is read once, in prospect order. The side thread sorts it into name
//! order and writes, in a new file, each prospect's position with its status and the search
//! table indexing it at that position. The load's connection then copies both in: the
//! positions as rows, the search index as the pages it is stored in (the search table's
//! shadow tables, row for row). The side file is removed.
//!
//! The load's own connection may hold the search table's state from before the copy, so the
//! file is opened again before the index is read (`bulk_load::load_new_book` does).

use super::book_order;
use anyhow::{Context, Result, bail};
use rusqlite::{Connection, params};
use std::path::{Path, PathBuf};

/// Each prospect's searchable text, read in one pass: the fields sit end to end in one
/// string (a million prospects' as separate strings would take twice the memory).
pub struct BookText {
    text: String,
    entries: Vec<Entry>,
}

/// One prospect's fields in [`BookText::text`]: last name, first name, company and email
/// end at `ends[1..]`, the last name beginning at `ends[0]`.
struct Entry {
    id: i64,
    ends: [u32; 5],
}

impl BookText {
    /// Reads the book's names, companies and addresses.
    pub fn read(conn: &Connection) -> Result<BookText> {
        let mut book = BookText {
            text: String::new(),
            entries: Vec::new(),
        };
        let mut stmt = conn.prepare(
            "SELECT id, last_name, first_name, coalesce(company, ''), coalesce(email, '') \
             FROM prospects",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let mut ends = [book.end()?; 5];
            for (field, end) in ends.iter_mut().skip(1).enumerate() {
                book.text.push_str(row.get_ref(field + 1)?.as_str()?);
                *end = book.end()?;
            }
            book.entries.push(Entry {
                id: row.get(0)?,
                ends,
            });
        }
        Ok(book)
    }

    fn end(&self) -> Result<u32> {
        u32::try_from(self.text.len()).context("the book's text is too long to index at once")
    }

    /// Field `n` of `entry` (0: last name, 1: first name, 2: company, 3: email).
    fn field(&self, entry: &Entry, n: usize) -> &str {
        let (Some(&from), Some(&to)) = (entry.ends.get(n), entry.ends.get(n + 1)) else {
            return "";
        };
        self.text
            .get(from as usize..to as usize)
            .unwrap_or_default()
    }

    /// Puts the entries in the book's order: last name, first name, id, compared byte by
    /// byte as SQLite's default collation does.
    fn sort(&mut self) {
        let mut entries = std::mem::take(&mut self.entries);
        entries.sort_unstable_by(|a, b| {
            (self.field(a, 0), self.field(a, 1), a.id).cmp(&(
                self.field(b, 0),
                self.field(b, 1),
                b.id,
            ))
        });
        self.entries = entries;
    }
}

/// The side file the book's order and search index are made in, next to the book (so on
/// the same disk, and as private); removed when dropped.
pub struct SideFile {
    path: PathBuf,
}

impl SideFile {
    /// A new, empty, private side file beside the database `book` (a file left by a load
    /// that was stopped is replaced).
    pub fn beside(book: &Path) -> Result<SideFile> {
        let mut name = book.as_os_str().to_owned();
        name.push("-search");
        let side = SideFile { path: name.into() };
        side.remove();
        super::open::create_private_file(&side.path)
            .with_context(|| format!("creating {}", side.path.display()))?;
        Ok(side)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn remove(&self) {
        // Nothing to do about a file that will not go: it holds no more than the book does.
        let _ = std::fs::remove_file(&self.path);
        let _ = std::fs::remove_file(format!("{}-journal", self.path.display()));
    }
}

impl Drop for SideFile {
    fn drop(&mut self) {
        self.remove();
    }
}

/// The positions table in the side file.
const POSITIONS: &str = "CREATE TABLE positions (
    pos         INTEGER PRIMARY KEY,
    prospect_id INTEGER NOT NULL,
    status      TEXT NOT NULL
)";

/// The side thread's work: sorts `book` into name order and writes in `side` each
/// prospect's position with its status (`status(id)`; `None`: never enrolled), and the
/// search table `table` (its `CREATE VIRTUAL TABLE` statement) indexing it there.
pub fn lay_out_aside(
    mut book: BookText,
    status: impl Fn(i64) -> Option<&'static str>,
    side: &Path,
    table: &str,
) -> Result<()> {
    book.sort();
    let mut conn = Connection::open(side)?;
    // A scratch file, copied in and removed: nothing to keep safe on disk.
    conn.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")?;
    conn.execute_batch(POSITIONS)?;
    conn.execute_batch(table)?;
    let tx = conn.transaction()?;
    {
        let mut place = tx.prepare("INSERT INTO positions VALUES (?1, ?2, ?3)")?;
        let mut index = tx.prepare(
            "INSERT INTO prospect_search (rowid, name, company, email) VALUES (?1, ?2, ?3, ?4)",
        )?;
        let mut name = String::new();
        for (rank, entry) in book.entries.iter().enumerate() {
            let pos = book_order::position(rank);
            place.execute(params![pos, entry.id, status(entry.id).unwrap_or("none")])?;
            name.clear();
            name.push_str(book.field(entry, 1));
            name.push(' ');
            name.push_str(book.field(entry, 0));
            index.execute(params![
                pos,
                name,
                book.field(entry, 2),
                book.field(entry, 3)
            ])?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// The search table's `CREATE` statement, for the side file.
pub fn table_sql(conn: &Connection) -> Result<String> {
    Ok(conn.query_row(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'prospect_search'",
        [],
        |r| r.get(0),
    )?)
}

/// The name the side file is attached under while what it holds is copied in.
const ASIDE: &str = "search_aside";

/// Copies the positions and the search index made in `side` into the book, replacing its
/// (empty) ones: the search index as every shadow table of the search table, row for row.
pub fn copy_in(conn: &Connection, side: &Path) -> Result<()> {
    let Some(side) = side.to_str() else {
        bail!("{} is not a path SQLite can open", side.display());
    };
    // Detached once the load commits ([`detach`]): until then it is in its transaction.
    conn.execute(&format!("ATTACH DATABASE ?1 AS {ASIDE}"), [side])?;
    book_order::lay_out_from(conn, &format!("{ASIDE}.positions"))?;
    let mut names = conn.prepare(&format!(
        "SELECT name FROM {ASIDE}.sqlite_master WHERE type = 'table' \
         AND name LIKE 'prospect\\_search\\_%' ESCAPE '\\'"
    ))?;
    let tables: Vec<String> = names
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if tables.is_empty() {
        bail!("the search index made aside is missing");
    }
    for table in tables {
        conn.execute_batch(&format!(
            "DELETE FROM main.\"{table}\"; \
             INSERT INTO main.\"{table}\" SELECT * FROM {ASIDE}.\"{table}\";"
        ))?;
    }
    Ok(())
}

/// Lets the side file go, after the load committed.
pub fn detach(conn: &Connection) -> Result<()> {
    conn.execute_batch(&format!("DETACH DATABASE {ASIDE}"))?;
    Ok(())
}
