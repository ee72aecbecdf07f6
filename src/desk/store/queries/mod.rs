//! Read-only queries. They take a `&Connection`, so they work inside an action's transaction
//! as well as outside it. By what they read: prospects (`people`), the book in pages (`book`),
//! what is due (`due`), the touch log (`log`); enrollments and settings here.

mod book;
mod due;
mod log;
mod people;

pub use book::*;
pub use due::*;
pub use log::*;
pub use people::*;

use crate::desk::store::rows::{ENROLLMENT_COLS, ENROLLMENT_WIDTH, enrollment_from};
use crate::domain::Enrollment;
use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};

pub fn enrollment(conn: &Connection, id: i64) -> Result<Option<(Enrollment, String)>> {
    Ok(conn
        .query_row(
            &format!("SELECT {ENROLLMENT_COLS}, sequence FROM enrollments WHERE id = ?1"),
            [id],
            |r| Ok((enrollment_from(r, 0)?, r.get(ENROLLMENT_WIDTH)?)),
        )
        .optional()?)
}

/// The prospect's open (active or paused) enrollment, with its sequence name.
pub fn open_enrollment(
    conn: &Connection,
    prospect_id: i64,
) -> Result<Option<(Enrollment, String)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ENROLLMENT_COLS}, sequence FROM enrollments \
         WHERE prospect_id = ?1 AND status IN ('active', 'paused')"
    ))?;
    Ok(stmt
        .query_row([prospect_id], |r| {
            Ok((enrollment_from(r, 0)?, r.get(ENROLLMENT_WIDTH)?))
        })
        .optional()?)
}

/// Every enrollment of a prospect, oldest first.
pub fn enrollments_of(conn: &Connection, prospect_id: i64) -> Result<Vec<(Enrollment, String)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ENROLLMENT_COLS}, sequence FROM enrollments WHERE prospect_id = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([prospect_id], |r| {
        Ok((enrollment_from(r, 0)?, r.get(ENROLLMENT_WIDTH)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// How many enrollments a sequence has had: the next enrollment's ordinal (from the status
/// counts the enrollment triggers keep).
pub fn next_ordinal(conn: &Connection, sequence: &str) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT coalesce(sum(n), 0) FROM stat_statuses WHERE sequence = ?1")?
        .query_row([sequence], |r| r.get(0))?)
}

pub(super) fn prefixed(alias: &str, cols: &str) -> String {
    cols.split(',')
        .map(|c| format!("{alias}.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The rep's time off, as (first day, last day) pairs, oldest first.
pub fn time_off(conn: &Connection) -> Result<Vec<(NaiveDate, NaiveDate)>> {
    let mut stmt =
        conn.prepare_cached("SELECT first_day, last_day FROM time_off ORDER BY first_day")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
