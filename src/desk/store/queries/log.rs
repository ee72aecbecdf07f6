//! The touch log read back: a prospect's history, what was worked on a day, the newest
//! record of an enrollment.

use crate::desk::store::message::Unpacker;
use crate::domain::conversation::{MeetingTime, utc};
use crate::domain::{Channel, Outcome};
use anyhow::Result;
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension};

/// One line of a prospect's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TouchRow {
    pub id: i64,
    pub enrollment_id: Option<i64>,
    pub sequence: Option<String>,
    pub at: NaiveDateTime,
    pub step: Option<usize>,
    pub channel: Option<Channel>,
    pub outcome: Outcome,
    pub is_touch: bool,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub subject: Option<String>,
    pub body: Option<String>,
    pub variant: Option<String>,
    pub attributed_step: Option<usize>,
    /// When a booked meeting takes place.
    pub meeting_at: Option<MeetingTime>,
}

/// A prospect's touch log, oldest first.
pub fn history(conn: &Connection, prospect_id: i64) -> Result<Vec<TouchRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.id, t.enrollment_id, e.sequence, t.at, t.step, t.channel, t.outcome, \
         t.is_touch, t.reason, t.note, t.message, \
         (SELECT name FROM variants v WHERE v.id = t.variant), t.attributed_step, \
         t.meeting_at \
         FROM touches t LEFT JOIN enrollments e ON e.id = t.enrollment_id \
         WHERE t.enrollment_id IN (SELECT id FROM enrollments WHERE prospect_id = ?1) \
            OR (t.enrollment_id IS NULL AND t.prospect_id = ?1)",
    )?;
    let mut unpacker = Unpacker::new(conn);
    let mut rows = stmt.query([prospect_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let channel: Option<String> = r.get(5)?;
        let outcome: String = r.get(6)?;
        let packed: Option<Vec<u8>> = r.get(10)?;
        let text = unpacker.unpack(packed.as_deref())?;
        out.push(TouchRow {
            id: r.get(0)?,
            enrollment_id: r.get(1)?,
            sequence: r.get(2)?,
            at: r.get(3)?,
            step: r.get::<_, Option<i64>>(4)?.map(|s| s as usize),
            channel: channel.and_then(|c| c.parse().ok()),
            outcome: outcome.parse().unwrap_or(Outcome::Done),
            is_touch: r.get(7)?,
            reason: r.get(8)?,
            note: r.get(9)?,
            subject: text.subject,
            body: text.body,
            variant: r.get(11)?,
            attributed_step: r.get::<_, Option<i64>>(12)?.map(|s| s as usize),
            meeting_at: meeting_time(r, 13)?,
        });
    }
    // A prospect has a few dozen rows at most: sorted here, the index need not hold `at`.
    out.sort_by_key(|t| (t.at, t.id));
    Ok(out)
}

/// The subject of the newest email that went out on this enrollment (for `previous.subject`).
pub fn last_subject(conn: &Connection, enrollment_id: i64) -> Result<Option<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT message FROM touches WHERE enrollment_id = ?1 AND channel = 'email' \
         AND is_touch = 1 AND message IS NOT NULL ORDER BY id DESC",
    )?;
    let mut unpacker = Unpacker::new(conn);
    let mut rows = stmt.query([enrollment_id])?;
    while let Some(r) = rows.next()? {
        let packed: Option<Vec<u8>> = r.get(0)?;
        if let Some(subject) = unpacker.unpack(packed.as_deref())?.subject {
            return Ok(Some(subject));
        }
    }
    Ok(None)
}

/// Touches worked on `day` (sent, done, call outcomes, steps skipped by hand): the header's
/// "done" count, from the `stat_days` rollup.
pub fn worked_on(conn: &Connection, day: NaiveDate) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT coalesce(sum(n), 0) FROM stat_days WHERE day = ?1")?
        .query_row([day.format("%F").to_string()], |r| r.get(0))?)
}

/// The touches worked on `day` by channel (as [`worked_on`] counts them).
pub fn worked_by_channel(conn: &Connection, day: NaiveDate) -> Result<Vec<(Channel, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT channel, n FROM stat_days WHERE day = ?1 AND channel <> '' \
         ORDER BY n DESC, channel",
    )?;
    let rows = stmt.query_map([day.format("%F").to_string()], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (channel, n) = row?;
        if let Ok(channel) = channel.parse::<Channel>() {
            out.push((channel, n));
        }
    }
    Ok(out)
}

/// A logged record in brief.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordBrief {
    pub at: NaiveDateTime,
    pub step: Option<usize>,
    pub outcome: Outcome,
}

/// The newest record the rep (not the engine's automatic skips) put on an enrollment.
pub fn newest_record(conn: &Connection, enrollment_id: i64) -> Result<Option<RecordBrief>> {
    Ok(conn
        .prepare_cached(
            "SELECT at, step, outcome FROM touches WHERE enrollment_id = ?1 \
             AND (reason IS NULL OR reason NOT LIKE 'skipped automatically%') \
             ORDER BY id DESC LIMIT 1",
        )?
        .query_row([enrollment_id], |r| {
            let outcome: String = r.get(2)?;
            Ok(RecordBrief {
                at: r.get(0)?,
                step: r
                    .get::<_, Option<i64>>(1)?
                    .and_then(|s| usize::try_from(s).ok()),
                outcome: outcome.parse().unwrap_or(Outcome::Done),
            })
        })
        .optional()?)
}

/// The newest worked touch of an enrollment: (step, outcome, when).
pub fn last_worked(
    conn: &Connection,
    enrollment_id: i64,
) -> Result<Option<(usize, Outcome, NaiveDateTime)>> {
    Ok(conn
        .prepare_cached(
            "SELECT step, outcome, at FROM touches WHERE enrollment_id = ?1 AND is_touch = 1 \
             ORDER BY id DESC LIMIT 1",
        )?
        .query_row([enrollment_id], |r| {
            let outcome: String = r.get(1)?;
            Ok((
                usize::try_from(r.get::<_, i64>(0)?).unwrap_or(0),
                outcome.parse().unwrap_or(Outcome::Done),
                r.get(2)?,
            ))
        })
        .optional()?)
}

/// A booked meeting: its log row's id, when it is, its note and the prospect.
pub type MeetingRow = (i64, MeetingTime, Option<String>, crate::domain::Prospect);

/// A meeting's time as the log keeps it (`utc::text`).
fn meeting_time(r: &rusqlite::Row, i: usize) -> rusqlite::Result<Option<MeetingTime>> {
    Ok(r.get::<_, Option<String>>(i)?
        .as_deref()
        .and_then(utc::parse))
}

/// The booked meetings taking place from `from` up to `to`, soonest first.
pub fn meetings_between(
    conn: &Connection,
    from: MeetingTime,
    to: MeetingTime,
) -> Result<Vec<MeetingRow>> {
    use crate::desk::store::rows::{PROSPECT_COLS, prospect_from};
    let cols = super::prefixed("p", &PROSPECT_COLS);
    let mut stmt = conn.prepare(&format!(
        "SELECT t.id, t.meeting_at, t.note, {cols} FROM touches t \
         JOIN prospects p ON p.id = t.prospect_id \
         WHERE t.meeting_at >= ?1 AND t.meeting_at < ?2 AND t.outcome = 'meeting' \
         ORDER BY t.meeting_at, t.id"
    ))?;
    let (from, to) = (utc::text(&from), utc::text(&to));
    let rows = stmt.query_map(rusqlite::params![from, to], |r| {
        let at = meeting_time(r, 1)?;
        Ok((r.get(0)?, at, r.get(2)?, prospect_from(r, 3)?))
    })?;
    let rows = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, at, note, p)| Some((id, at?, note, p)))
        .collect())
}
