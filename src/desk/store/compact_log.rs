//! Migration 21: the touch log and the enrollments in their compact layouts (see
//! [`super::log_codes`] and [`super::enrollment_codes`]). The table is
//! made again with every row encoded; the triggers that read it are taken off for the swap
//! and put back as they were, and the per-prospect lookups go through the enrollments
//! (whose index already finds a prospect's), so the log keeps no index of its own on every
//! row's prospect: only on the few rows that belong to no enrollment.

use super::{enrollment_codes, log_codes, prospect_codes};
use rusqlite::Transaction;

/// The index that finds a prospect's rows outside any enrollment (an opt-out with none open).
const LOOSE_INDEX: &str =
    "CREATE INDEX touches_loose ON touches(prospect_id) WHERE enrollment_id IS NULL";

pub fn migrate(tx: &Transaction) -> rusqlite_migration::HookResult {
    let saved = |kind: &str| -> rusqlite::Result<Vec<(String, String)>> {
        let mut stmt = tx.prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = ?1 AND sql IS NOT NULL \
             AND (tbl_name IN ('touches', 'enrollments', 'prospects') OR ?1 = 'trigger')",
        )?;
        let rows = stmt.query_map([kind], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect()
    };
    let triggers = saved("trigger")?;
    let indexes = saved("index")?;
    for (name, _) in &triggers {
        tx.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
    }
    for (name, _) in indexes
        .iter()
        .filter(|(n, _)| n.starts_with("enrollments_") || n.starts_with("prospects_"))
    {
        tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
    }
    compact_enrollments(tx)?;
    compact_prospects(tx)?;
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

/// Every piece of SQL this migration is made of, in one text: the code that builds it
/// (`*_codes`) also reads today's layout, so a test pins this text, and an edit that would
/// change a released migration fails it.
#[cfg(test)]
pub(super) fn released_text() -> String {
    let mut parts = vec![
        LOOSE_INDEX.to_string(),
        log_codes::table("touches_compact"),
        log_codes::encoded_columns(),
        enrollment_codes::table(),
        enrollment_codes::ENCODED.to_string(),
        enrollment_codes::encoded_from_old(),
        prospect_codes::encoded_from_old(),
    ];
    parts.extend(enrollment_codes::generated());
    parts.extend(prospect_codes::ENCODED.iter().map(|c| c.to_string()));
    parts.extend(prospect_codes::generated());
    parts.push(by_enrollment(
        "t.prospect_id = OLD.id t.prospect_id = NEW.id UPDATE OF sequence, status ON enrollments",
    ));
    parts.join("\n")
}

/// Enrollments in their compact layout (`store::enrollment_codes`), made in place: the table
/// is the parent of the log's rows, so it keeps its name and rows, gains the encoded columns,
/// loses the old ones, and reads them back as generated columns.
fn compact_enrollments(tx: &Transaction) -> rusqlite::Result<()> {
    // A new book has no rows to keep (and nothing that points at them): the table is made
    // again at once, which is far quicker than altering it column by column.
    let empty: bool = tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM enrollments)", [], |r| {
        r.get(0)
    })?;
    if empty {
        tx.execute_batch("DROP TABLE enrollments;")?;
        return tx.execute_batch(&enrollment_codes::table());
    }
    let encoded = enrollment_codes::ENCODED;
    for column in encoded.split(", ") {
        tx.execute_batch(&format!("ALTER TABLE enrollments ADD COLUMN {column}"))?;
    }
    tx.execute_batch(&format!(
        "UPDATE enrollments SET ({encoded}) = ({})",
        enrollment_codes::encoded_from_old()
    ))?;
    for column in [
        "status",
        "due",
        "started",
        "closed_at",
        "paused_gap",
        "resume_on",
        "exit_reason",
        "why",
        "decision_on",
        "until",
    ] {
        tx.execute_batch(&format!("ALTER TABLE enrollments DROP COLUMN {column}"))?;
    }
    for column in enrollment_codes::generated() {
        tx.execute_batch(&format!("ALTER TABLE enrollments ADD COLUMN {column}"))?;
    }
    Ok(())
}

/// The prospects' LinkedIn address, rest day and time added stored shorter
/// (`store::prospect_codes`), in place.
fn compact_prospects(tx: &Transaction) -> rusqlite::Result<()> {
    for column in prospect_codes::ENCODED {
        tx.execute_batch(&format!("ALTER TABLE prospects ADD COLUMN {column}"))?;
    }
    tx.execute_batch(&format!(
        "UPDATE prospects SET (linkedin_s, rest_d, created_s, created_f) = ({})",
        prospect_codes::encoded_from_old()
    ))?;
    for column in ["linkedin", "rest_until", "created_at"] {
        tx.execute_batch(&format!("ALTER TABLE prospects DROP COLUMN {column}"))?;
    }
    for column in prospect_codes::generated() {
        tx.execute_batch(&format!("ALTER TABLE prospects ADD COLUMN {column}"))?;
    }
    Ok(())
}

/// A trigger's SQL with its lookups of a prospect's touches (`t.prospect_id = NEW.id`) made
/// through the enrollment they are joined to, which has an index on its prospect.
/// An update of an enrollment's status now writes its code, so a trigger that waits for the
/// status column waits for the code column.
fn by_enrollment(sql: &str) -> String {
    sql.replace("t.prospect_id = OLD.id", "e.prospect_id = OLD.id")
        .replace("t.prospect_id = NEW.id", "e.prospect_id = NEW.id")
        .replace(
            "UPDATE OF sequence, status ON enrollments",
            "UPDATE OF sequence, state ON enrollments",
        )
}
