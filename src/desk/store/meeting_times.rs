//! Meeting times are kept in UTC (`domain::conversation::utc`). Books written before kept
//! them on the rep's clock; the first open by this build turns them into UTC, once, with the
//! rep's zone (which the schema's migrations cannot know).

use crate::clock::Zone;
use crate::domain::conversation::utc;
use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension};

/// The setting that says the book's meeting times are UTC.
const DONE: &str = "meetings_in_utc";

/// Turns the book's meeting times into UTC, unless that was done. The mark is written first,
/// inside the same transaction: a second process opening the book at once waits for the
/// first and then finds it done.
pub fn to_utc_once(conn: &Connection, zone: Zone) -> rusqlite::Result<()> {
    let done: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([DONE], |r| r.get(0))
        .optional()?;
    if done.is_some() {
        return Ok(());
    }
    let tx = conn.unchecked_transaction()?;
    let marked = tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, '1') ON CONFLICT(key) DO NOTHING",
        [DONE],
    )?;
    if marked == 0 {
        return Ok(());
    }
    convert_log(&tx, zone)?;
    convert_conversations(&tx, zone)?;
    tx.commit()
}

/// Notes that the book's meeting times are UTC (a book written whole by this build).
pub fn mark_done(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, '1') ON CONFLICT(key) DO NOTHING",
        [DONE],
    )?;
    Ok(())
}

/// The rep's clock as written (no `Z`) to UTC as stored; `None` when already UTC.
fn in_utc(text: &str, zone: Zone) -> Option<String> {
    if text.ends_with('Z') {
        return None;
    }
    let local: NaiveDateTime = text.trim().replace(' ', "T").parse().ok()?;
    Some(utc::text(&zone.to_utc(local)))
}

fn convert_log(tx: &Connection, zone: Zone) -> rusqlite::Result<()> {
    let rows: Vec<(i64, String)> = tx
        .prepare("SELECT id, meeting_at FROM touches WHERE meeting_at IS NOT NULL")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let key = format!("$.{}", super::log_codes::MEETING_AT);
    for (id, text) in rows {
        if let Some(at) = in_utc(&text, zone) {
            tx.execute(
                "UPDATE touches SET extra = json_set(extra, ?1, ?2) WHERE id = ?3",
                rusqlite::params![key, at, id],
            )?;
        }
    }
    Ok(())
}

fn convert_conversations(tx: &Connection, zone: Zone) -> rusqlite::Result<()> {
    let rows: Vec<(i64, String)> = tx
        .prepare(
            "SELECT id, json_extract(conversation, '$.meeting_at') FROM prospects \
             WHERE task_due IS NOT NULL AND json_extract(conversation, '$.meeting_at') IS NOT NULL",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, text) in rows {
        if let Some(at) = in_utc(&text, zone) {
            tx.execute(
                "UPDATE prospects SET conversation = json_set(conversation, '$.meeting_at', ?1) \
                 WHERE id = ?2",
                rusqlite::params![at, id],
            )?;
        }
    }
    Ok(())
}
