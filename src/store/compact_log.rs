//! Migration 21: the touch log in its compact layout (see [`super::log_codes`]). The table is
//! made again with every row encoded; the triggers that read it are taken off for the swap
//! and put back as they were, and the per-prospect lookups go through the enrollments
//! (whose index already finds a prospect's), so the log keeps no index of its own on every
//! row's prospect: only on the few rows that belong to no enrollment.

use super::log_codes;
use rusqlite::Transaction;

/// The index that finds a prospect's rows outside any enrollment (an opt-out with none open).
const LOOSE_INDEX: &str =
    "CREATE INDEX touches_loose ON touches(prospect_id) WHERE enrollment_id IS NULL";

pub fn migrate(tx: &Transaction) -> rusqlite_migration::HookResult {
    let saved = |kind: &str| -> rusqlite::Result<Vec<(String, String)>> {
        let mut stmt = tx.prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = ?1 AND sql IS NOT NULL \
             AND (tbl_name = 'touches' OR ?1 = 'trigger')",
        )?;
        let rows = stmt.query_map([kind], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect()
    };
    let triggers = saved("trigger")?;
    let indexes = saved("index")?;
    for (name, _) in &triggers {
        tx.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
    }
    tx.execute_batch(
        "CREATE TABLE variants (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
         INSERT INTO variants (name)
             SELECT DISTINCT variant FROM touches WHERE variant IS NOT NULL ORDER BY variant;
         UPDATE stat_variants SET variant = (SELECT id FROM variants v WHERE v.name = variant)
             WHERE variant <> '';",
    )?;
    tx.execute_batch(&log_codes::table("touches_compact"))?;
    tx.execute_batch(&format!(
        "INSERT INTO touches_compact (id, action_id, enrollment_id, prospect_id, at_s, code, \
         extra, variant, message) \
         SELECT id, action_id, enrollment_id, prospect_id, {}, \
         (SELECT id FROM variants v WHERE v.name = touches.variant), message \
         FROM touches ORDER BY id;
         DROP TABLE touches;
         ALTER TABLE touches_compact RENAME TO touches;",
        log_codes::encoded_columns()
    ))?;
    for (name, sql) in &indexes {
        if name != "touches_prospect" {
            tx.execute_batch(sql)?;
        }
    }
    tx.execute_batch(LOOSE_INDEX)?;
    for (_, sql) in &triggers {
        tx.execute_batch(&by_enrollment(sql))?;
    }
    Ok(())
}

/// A trigger's SQL with its lookups of a prospect's touches (`t.prospect_id = NEW.id`) made
/// through the enrollment they are joined to, which has an index on its prospect.
fn by_enrollment(sql: &str) -> String {
    sql.replace("t.prospect_id = OLD.id", "e.prospect_id = OLD.id")
        .replace("t.prospect_id = NEW.id", "e.prospect_id = NEW.id")
}
