//! Keeping the search index for a big write in one go. Its triggers index each prospect row
//! as it is written, which for a 100,000-row import costs more than the import itself (a
//! trigger's every run is a small program of its own); a write that knows it is big takes
//! them off and, at the end, in the same transaction, indexes the prospects it wrote (the
//! action knows them: each went through `Tx::put_prospect`). A rollback undoes all of it,
//! the triggers' removal included.

use rusqlite::Connection;

/// The index's triggers, as the schema made them.
const TRIGGERS: &str = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' \
    AND name LIKE 'prospect\\_search\\_%' ESCAPE '\\'";

/// The triggers taken off by [`defer`], to put back.
pub struct Deferred {
    triggers: Vec<(String, String)>,
}

/// Takes the index's triggers off for the rest of the transaction.
pub fn defer(conn: &Connection) -> rusqlite::Result<Deferred> {
    let triggers: Vec<(String, String)> = {
        let mut stmt = conn.prepare(TRIGGERS)?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (name, _) in &triggers {
        conn.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
    }
    Ok(Deferred { triggers })
}

impl Deferred {
    /// Indexes the prospects `written` since [`defer`] as they now are (one gone since is
    /// only taken out), and puts the triggers back.
    pub fn finish(
        self,
        conn: &Connection,
        written: &std::collections::BTreeSet<i64>,
    ) -> rusqlite::Result<()> {
        conn.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS search_written (id INTEGER PRIMARY KEY)",
        )?;
        {
            let mut put =
                conn.prepare("INSERT OR IGNORE INTO temp.search_written (id) VALUES (?1)")?;
            for id in written {
                put.execute([id])?;
            }
        }
        conn.execute_batch(
            "DELETE FROM prospect_search WHERE rowid IN (SELECT id FROM temp.search_written);
             INSERT INTO prospect_search (rowid, name, company, email)
             SELECT p.id, p.first_name || ' ' || p.last_name, p.company, p.email
             FROM main.prospects p JOIN temp.search_written w ON w.id = p.id;
             DROP TABLE temp.search_written;",
        )?;
        for (_, sql) in &self.triggers {
            conn.execute_batch(sql)?;
        }
        Ok(())
    }
}
