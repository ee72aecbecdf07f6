//! Writing many rows in one transaction, outside the undo log: for history that is not a rep's
//! action (the demo database). Statements are prepared once and reused for every row.

use super::Store;
use super::bulk_aside::{self, BookText, SideFile};
use super::rows::{
    APPEND_TOUCH, NewTouch, Upkeep, append_touch, insert_prospect, write_enrollment,
};
use super::undo::Frozen;
use crate::content::Sequence;
use crate::domain::{Enrollment, Prospect, Record, Status};
use anyhow::{Context, Result, anyhow, bail};
use chrono::NaiveDateTime;
use rusqlite::{Connection, Statement, params};
use std::path::Path;

/// An open bulk transaction. Nothing is written unless [`Bulk::commit`] is called.
/// The triggers that keep the rollups are off while it runs (each would fire for every
/// row). The caller writes the Stats rollups itself, counted as it
/// writes the rows (the demo does; a test holds them to `stats::rollup::rebuild`); commit
/// lays out the book's order and its search index once and puts the triggers back, all in
/// the same transaction.
pub struct Bulk<'c> {
    /// The connection, in the transaction this began (`BEGIN IMMEDIATE`); rolled back when
    /// dropped uncommitted. Held as the connection itself so the statements below can
    /// live as long as the load.
    tx: &'c Connection,
    committed: bool,
    /// The log's append, prepared once.
    append: Statement<'c>,
    upkeep: Upkeep,
    /// The triggers taken off: name and the SQL that makes them again.
    triggers: Vec<(String, String)>,
    /// The indexes taken off, to be built again at commit from sorted rows (quicker than
    /// keeping them row by row, and packed tighter).
    indexes: Vec<(String, String)>,
    writer: super::rows::TouchWriter,
    /// Each enrollment written: prospect, enrollment id and status, so the book is laid out
    /// at commit with each prospect's status (its latest enrollment's) already known.
    enrolled: Vec<(i64, i64, Status)>,
}

/// Indexes a bulk load builds at the end instead, unique ones included: a unique index
/// built again checks every row at once, so a duplicate still fails the whole load (and
/// checking each row as it went in cost a million-prospect demo about 8 s).
const LOOKUP_INDEXES: &str = "SELECT name, sql FROM sqlite_master WHERE type = 'index' \
    AND tbl_name IN ('touches', 'enrollments', 'prospects') AND sql IS NOT NULL";

/// The triggers a bulk load takes off: the rollups' (the caller writes those) and the ones
/// that keep each prospect's status beside its position (laid out whole at commit).
const DERIVED_TRIGGERS: &str = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' \
    AND (name LIKE 'stat\\_%' ESCAPE '\\' OR name LIKE 'book\\_status\\_%' ESCAPE '\\')";

impl Store {
    /// Starts a bulk write. Undo never sees these rows: they belong to no action.
    pub fn bulk(&mut self) -> Result<Bulk<'_>> {
        let tx: &Connection = &self.conn;
        tx.execute_batch("BEGIN IMMEDIATE")?;
        let begun = || -> rusqlite::Result<Bulk<'_>> {
            let triggers = derived(tx, DERIVED_TRIGGERS)?;
            let indexes = derived(tx, LOOKUP_INDEXES)?;
            for (name, _) in &triggers {
                tx.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
            }
            for (name, _) in &indexes {
                tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
            }
            Ok(Bulk {
                tx,
                committed: false,
                append: tx.prepare(APPEND_TOUCH)?,
                upkeep: Upkeep::whole_book(),
                triggers,
                indexes,
                writer: super::rows::TouchWriter::default(),
                enrolled: Vec::new(),
            })
        };
        match begun() {
            Ok(bulk) => Ok(bulk),
            Err(e) => {
                let _ = tx.execute_batch("ROLLBACK");
                Err(e.into())
            }
        }
    }
}

impl Drop for Bulk<'_> {
    fn drop(&mut self) {
        if !self.committed {
            // Nothing to do about a failed rollback: the connection closes with it undone.
            let _ = self.tx.execute_batch("ROLLBACK");
            // Attached only if the load got as far as copying the search index in.
            let _ = bulk_aside::detach(self.tx);
        }
    }
}

/// Names and SQL of the schema objects `query` selects.
fn derived(tx: &Connection, query: &str) -> rusqlite::Result<Vec<(String, String)>> {
    let mut stmt = tx.prepare(query)?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

impl Bulk<'_> {
    pub(in crate::desk) fn conn(&self) -> &rusqlite::Connection {
        self.tx
    }

    /// Inserts a prospect (with its id when it has one); returns the id.
    pub fn prospect(&mut self, p: &Prospect) -> Result<i64> {
        let id = (p.id > 0).then_some(p.id);
        Ok(insert_prospect(self.tx, p, id, &mut self.upkeep)?)
    }

    /// Inserts an enrollment (with its id when it has one); returns the id.
    pub fn enrollment(&mut self, e: &Enrollment, sequence: &str) -> Result<i64> {
        let id = write_enrollment(self.tx, e, sequence)?;
        self.enrolled.push((e.prospect_id, id, e.status));
        Ok(id)
    }

    /// Appends one record to the touch log, with no action behind it.
    pub fn touch(
        &mut self,
        enrollment_id: Option<i64>,
        prospect_id: i64,
        r: &Record,
        note: Option<&str>,
        text: Option<&Frozen>,
    ) -> Result<()> {
        let touch = NewTouch {
            action_id: None,
            enrollment_id,
            prospect_id,
            record: r,
            note,
            text,
        };
        append_touch(&mut self.append, self.tx, &touch, &mut self.writer)?;
        Ok(())
    }

    /// Puts an identifier on the do-not-contact list (no-op if it is there already).
    pub fn do_not_contact(
        &mut self,
        kind: &str,
        value: &str,
        prospect_id: i64,
        at: NaiveDateTime,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT OR IGNORE INTO do_not_contact (kind, value, prospect_id, at) \
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![kind, value, prospect_id, at])?;
        Ok(())
    }

    /// Stores a sequence version; returns its id. The same content the desk would store, so a
    /// later enrollment by the rep finds and reuses it.
    pub fn sequence_version(&mut self, seq: &Sequence, at: NaiveDateTime) -> Result<i64> {
        self.tx.execute(
            "INSERT INTO sequence_versions (name, body, created_at) VALUES (?1, ?2, ?3)",
            params![seq.name, seq.snapshot(), at],
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    pub fn setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) \
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// Commits: the lookup indexes, the book's order, the search index and the
    /// after-the-reply counts built, the triggers back. A book written whole this way keeps
    /// its meeting times in UTC from the start. The book's order and search index are made
    /// on a second thread meanwhile (`bulk_aside`); this connection must not read the
    /// search index afterwards: the file is opened again for that.
    pub fn commit(mut self) -> Result<()> {
        super::meeting_times::mark_done(self.tx)?;
        self.writer.finish(self.tx)?;
        let side = SideFile::beside(self.book_path()?)?;
        let table = bulk_aside::table_sql(self.tx)?;
        let book = BookText::read(self.tx)?;
        let enrolled = std::mem::take(&mut self.enrolled);
        std::thread::scope(|scope| -> Result<()> {
            let aside = scope.spawn(|| {
                let statuses = latest_statuses(enrolled);
                let status = |id| {
                    let at = statuses.binary_search_by_key(&id, |(p, _)| *p).ok()?;
                    statuses.get(at).map(|(_, status)| status.as_str())
                };
                bulk_aside::lay_out_aside(book, status, side.path(), &table)
            });
            let built = self.build_lookups();
            let laid_out = aside
                .join()
                .map_err(|_| anyhow!("laying the book out stopped short"))?;
            built.and(laid_out)
        })?;
        bulk_aside::copy_in(self.tx, side.path())?;
        for (_, sql) in &self.triggers {
            self.tx.execute_batch(sql)?;
        }
        self.tx
            .execute_batch("COMMIT")
            .context("committing the bulk write")?;
        self.committed = true;
        bulk_aside::detach(self.tx)
    }

    /// The file this load writes: the book's order is made beside it.
    fn book_path(&self) -> Result<&Path> {
        match self.tx.path() {
            Some(path) if !path.is_empty() => Ok(Path::new(path)),
            _ => bail!("a bulk load writes a database file, not one in memory"),
        }
    }

    /// The indexes taken off, built again (SQLite sorting partly on a helper thread: the
    /// side thread leaves the second core free well before these end), and what is counted
    /// from them.
    fn build_lookups(&mut self) -> Result<()> {
        self.tx.pragma_update(None, "threads", 1)?;
        for (_, sql) in &self.indexes {
            self.tx.execute_batch(sql)?;
        }
        self.tx.pragma_update(None, "threads", 0)?;
        // The funnel after the reply is counted from the log's few held and won rows, now
        // that their index is back.
        self.tx.execute_batch(super::stats::after_reply::fill())?;
        self.tx
            .execute_batch(super::stats::after_reply_days::fill())?;
        self.upkeep.finish_field_names(self.tx)?;
        Ok(())
    }
}

/// Each prospect's status, its latest enrollment's (the highest id), in prospect order.
fn latest_statuses(mut enrolled: Vec<(i64, i64, Status)>) -> Vec<(i64, Status)> {
    enrolled.sort_unstable_by_key(|(prospect, id, _)| (*prospect, std::cmp::Reverse(*id)));
    enrolled.dedup_by_key(|(prospect, _, _)| *prospect);
    enrolled
        .into_iter()
        .map(|(prospect, _, status)| (prospect, status))
        .collect()
}
