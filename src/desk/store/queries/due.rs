//! What is due: the queue's rows in full and in brief, by day, by count, and the days a
//! schedule can move touches to.

use super::prefixed;
use crate::desk::store::rows::{
    ENROLLMENT_COLS, ENROLLMENT_WIDTH, PROSPECT_COLS, enrollment_from, prospect_from,
};
use crate::domain::{Enrollment, Prospect};
use anyhow::Result;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use rusqlite::{Connection, OptionalExtension, params};

/// An open enrollment with a touch due, joined to its prospect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueRow {
    pub enrollment: Enrollment,
    pub sequence: String,
    pub prospect: Prospect,
}

/// Touches due by the end of `today` (overdue ones included), oldest due first.
pub fn due(conn: &Connection, today: NaiveDate) -> Result<Vec<DueRow>> {
    let end = today.succ_opt().unwrap_or(today).and_time(NaiveTime::MIN);
    let e_cols = prefixed("e", ENROLLMENT_COLS);
    let p_cols = prefixed("p", &PROSPECT_COLS);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {e_cols}, e.sequence, {p_cols} FROM enrollments e \
         JOIN prospects p ON p.id = e.prospect_id \
         WHERE e.due IS NOT NULL AND e.due < ?1 AND e.status IN ('active', 'paused') \
         AND (e.until IS NULL OR e.until > ?2) \
         ORDER BY e.due, e.id"
    ))?;
    let rows = stmt.query_map(params![end, today], |r| {
        Ok(DueRow {
            enrollment: enrollment_from(r, 0)?,
            sequence: r.get(ENROLLMENT_WIDTH)?,
            prospect: prospect_from(r, ENROLLMENT_WIDTH + 1)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A due touch in brief: what it takes to count, order and filter the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueBrief {
    pub enrollment_id: i64,
    pub prospect_id: i64,
    pub version_id: i64,
    pub step: usize,
    pub due: NaiveDateTime,
    /// The prospect's full name.
    pub name: String,
    pub company: Option<String>,
    pub timezone: Option<String>,
}

/// Every touch due by the end of `today`, in brief, in the order of [`due`].
pub fn due_briefs(conn: &Connection, today: NaiveDate) -> Result<Vec<DueBrief>> {
    let end = today.succ_opt().unwrap_or(today).and_time(NaiveTime::MIN);
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.prospect_id, e.version_id, e.step, e.due, p.first_name, p.last_name, \
         p.company, p.timezone FROM enrollments e JOIN prospects p ON p.id = e.prospect_id \
         WHERE e.due IS NOT NULL AND e.due < ?1 AND e.status IN ('active', 'paused') \
         AND (e.until IS NULL OR e.until > ?2) \
         ORDER BY e.due, e.id",
    )?;
    let rows = stmt.query_map(params![end, today], brief_from)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Touches due on the days from `first` to `last` (both included), in due order: what the
/// Upcoming view shows. Paused ones that come back in those days are among them.
pub fn due_on_days(conn: &Connection, first: NaiveDate, last: NaiveDate) -> Result<Vec<DueBrief>> {
    let start = first.and_time(NaiveTime::MIN);
    let end = last.succ_opt().unwrap_or(last).and_time(NaiveTime::MIN);
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.prospect_id, e.version_id, e.step, e.due, p.first_name, p.last_name, \
         p.company, p.timezone FROM enrollments e JOIN prospects p ON p.id = e.prospect_id \
         WHERE e.due >= ?1 AND e.due < ?2 AND e.status IN ('active', 'paused') \
         AND (e.until IS NULL OR e.until > date(e.due)) \
         ORDER BY e.due, e.id",
    )?;
    let rows = stmt.query_map(params![start, end], brief_from)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// First steps due today or before: among them, any new inbound lead's, which lead the queue.
pub fn first_step_briefs(conn: &Connection, today: NaiveDate) -> Result<Vec<DueBrief>> {
    let end = today.succ_opt().unwrap_or(today).and_time(NaiveTime::MIN);
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.prospect_id, e.version_id, e.step, e.due, p.first_name, p.last_name, \
         p.company, p.timezone FROM enrollments e JOIN prospects p ON p.id = e.prospect_id \
         WHERE e.due IS NOT NULL AND e.due < ?1 AND e.step = 0 \
         AND e.status IN ('active', 'paused') AND (e.until IS NULL OR e.until > ?2) \
         ORDER BY e.due, e.id",
    )?;
    let rows = stmt.query_map(params![end, today], brief_from)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The head of the queue: touches due before `today`, oldest first, at most `limit`.
pub fn overdue_briefs(conn: &Connection, today: NaiveDate, limit: usize) -> Result<Vec<DueBrief>> {
    let start = today.and_time(NaiveTime::MIN);
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.prospect_id, e.version_id, e.step, e.due, p.first_name, p.last_name, \
         p.company, p.timezone FROM enrollments e JOIN prospects p ON p.id = e.prospect_id \
         WHERE e.due IS NOT NULL AND e.due < ?1 AND e.status IN ('active', 'paused') \
         AND (e.until IS NULL OR e.until > ?3) \
         ORDER BY e.due, e.id LIMIT ?2",
    )?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = stmt.query_map(params![start, limit, today], brief_from)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn brief_from(r: &rusqlite::Row) -> rusqlite::Result<DueBrief> {
    let first: String = r.get(5)?;
    let last: String = r.get(6)?;
    Ok(DueBrief {
        enrollment_id: r.get(0)?,
        prospect_id: r.get(1)?,
        version_id: r.get(2)?,
        step: r.get::<_, i64>(3)? as usize,
        due: r.get(4)?,
        name: format!("{} {}", first.trim(), last.trim())
            .trim()
            .to_string(),
        company: r.get(7)?,
        timezone: r.get(8)?,
    })
}

/// How many touches are due by the end of `today`, and how many of those before `today`.
/// It reads the due index alone: a closed enrollment never keeps a due date.
pub fn due_counts(conn: &Connection, today: NaiveDate) -> Result<(usize, usize)> {
    let start = today.and_time(NaiveTime::MIN);
    let end = today.succ_opt().unwrap_or(today).and_time(NaiveTime::MIN);
    let (due, overdue): (i64, Option<i64>) = conn.query_row(
        "SELECT count(*), sum(due < ?1) FROM enrollments WHERE due IS NOT NULL AND due < ?2 \
         AND (until IS NULL OR until > ?3)",
        params![start, end, today],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let n = |v: i64| usize::try_from(v).unwrap_or(0);
    Ok((n(due), n(overdue.unwrap_or(0))))
}

/// One enrollment's row as [`due`] gives it, if it is due by the end of `today`.
pub fn due_row(conn: &Connection, enrollment_id: i64, today: NaiveDate) -> Result<Option<DueRow>> {
    let end = today.succ_opt().unwrap_or(today).and_time(NaiveTime::MIN);
    let e_cols = prefixed("e", ENROLLMENT_COLS);
    let p_cols = prefixed("p", &PROSPECT_COLS);
    Ok(conn
        .query_row(
            &format!(
                "SELECT {e_cols}, e.sequence, {p_cols} FROM enrollments e \
                 JOIN prospects p ON p.id = e.prospect_id \
                 WHERE e.id = ?1 AND e.due IS NOT NULL AND e.due < ?2 \
                 AND e.status IN ('active', 'paused') AND (e.until IS NULL OR e.until > ?3)"
            ),
            params![enrollment_id, end, today],
            |r| {
                Ok(DueRow {
                    enrollment: enrollment_from(r, 0)?,
                    sequence: r.get(ENROLLMENT_WIDTH)?,
                    prospect: prospect_from(r, ENROLLMENT_WIDTH + 1)?,
                })
            },
        )
        .optional()?)
}

/// The earliest due touch after `today`, for "nothing due today; next on Thu 26 Nov".
pub fn next_due_after(conn: &Connection, today: NaiveDate) -> Result<Option<NaiveDateTime>> {
    let end = today.succ_opt().unwrap_or(today).and_time(NaiveTime::MIN);
    Ok(conn.query_row(
        "SELECT min(due) FROM enrollments WHERE due IS NOT NULL AND due >= ?1 \
         AND status IN ('active', 'paused')",
        [end],
        |r| r.get(0),
    )?)
}

/// How many open enrollments are due on `day`, leaving one enrollment out.
pub fn due_on(conn: &Connection, day: NaiveDate, except: i64) -> Result<i64> {
    let start = day.and_time(NaiveTime::MIN);
    let end = day.succ_opt().unwrap_or(day).and_time(NaiveTime::MIN);
    Ok(conn.query_row(
        "SELECT count(*) FROM enrollments WHERE due >= ?1 AND due < ?2 \
         AND status IN ('active', 'paused') AND id != ?3",
        params![start, end, except],
        |r| r.get(0),
    )?)
}

/// Open enrollments due between two dates (both included), earliest first.
pub fn due_between(
    conn: &Connection,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<Vec<(Enrollment, String)>> {
    let start = first.and_time(NaiveTime::MIN);
    let end = last.succ_opt().unwrap_or(last).and_time(NaiveTime::MIN);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ENROLLMENT_COLS}, sequence FROM enrollments WHERE due >= ?1 AND due < ?2 \
         AND status IN ('active', 'paused') ORDER BY due, id"
    ))?;
    let rows = stmt.query_map(params![start, end], |r| {
        Ok((enrollment_from(r, 0)?, r.get(ENROLLMENT_WIDTH)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
