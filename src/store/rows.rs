//! Mapping between table rows and domain types.

use super::undo::Frozen;
use crate::domain::{Enrollment, Prospect, Record, Status};
use rusqlite::{Row, Transaction, params};
use std::sync::LazyLock;

pub const PROSPECT_COLS: &str = "id, first_name, last_name, email, phone, linkedin, company, \
    title, city, timezone, fields, notes, email_bad, phone_bad, rest_until, created_at, \
    external_ids";

/// The matching keys kept next to a prospect's columns (written, never read back into one).
const KEY_COLS: &str = "phone_key, name_key";

pub const ENROLLMENT_COLS: &str = "id, prospect_id, version_id, status, step, due, \
    last_worked_step, paused_gap, resume_on, started, closed_at, exit_reason, ordinal, why, \
    last_answerable_step, decision_on, until";

/// How many columns [`ENROLLMENT_COLS`] selects.
pub const ENROLLMENT_WIDTH: usize = 17;

/// Reads a prospect from a row selected with [`PROSPECT_COLS`] starting at column `at`.
pub fn prospect_from(row: &Row, at: usize) -> rusqlite::Result<Prospect> {
    let fields: String = row.get(at + 10)?;
    Ok(Prospect {
        id: row.get(at)?,
        first_name: row.get(at + 1)?,
        last_name: row.get(at + 2)?,
        email: row.get(at + 3)?,
        phone: row.get(at + 4)?,
        linkedin: row.get(at + 5)?,
        company: row.get(at + 6)?,
        title: row.get(at + 7)?,
        city: row.get(at + 8)?,
        timezone: row.get(at + 9)?,
        fields: serde_json::from_str(&fields).unwrap_or_default(),
        notes: row.get(at + 11)?,
        email_bad: row.get(at + 12)?,
        phone_bad: row.get(at + 13)?,
        rest_until: row.get(at + 14)?,
        created_at: row.get(at + 15)?,
        external_ids: serde_json::from_str(&row.get::<_, String>(at + 16)?).unwrap_or_default(),
    })
}

/// Reads an enrollment from a row selected with [`ENROLLMENT_COLS`] starting at column `at`.
pub fn enrollment_from(row: &Row, at: usize) -> rusqlite::Result<Enrollment> {
    let status: String = row.get(at + 3)?;
    let status = status.parse::<Status>().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(at + 3, rusqlite::types::Type::Text, e.into())
    })?;
    Ok(Enrollment {
        id: row.get(at)?,
        prospect_id: row.get(at + 1)?,
        version_id: row.get(at + 2)?,
        status,
        step: row.get::<_, i64>(at + 4)? as usize,
        due: row.get(at + 5)?,
        last_worked_step: row.get::<_, Option<i64>>(at + 6)?.map(|s| s as usize),
        paused_gap: row.get(at + 7)?,
        resume_on: row.get(at + 8)?,
        started: row.get(at + 9)?,
        closed_at: row.get(at + 10)?,
        exit_reason: row.get(at + 11)?,
        ordinal: row.get(at + 12)?,
        why: row
            .get::<_, Option<String>>(at + 13)?
            .and_then(|w| serde_json::from_str(&w).ok()),
        last_answerable_step: row.get::<_, Option<i64>>(at + 14)?.map(|s| s as usize),
        decision_on: row.get(at + 15)?,
        until: row.get(at + 16)?,
    })
}

/// `ON CONFLICT(id) DO UPDATE SET …` for every column but the id: an update in place, so
/// rows that refer to it stay valid.
fn upsert_tail(cols: &str) -> String {
    let sets: Vec<String> = cols
        .split(',')
        .map(str::trim)
        .filter(|c| *c != "id")
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    format!("ON CONFLICT(id) DO UPDATE SET {}", sets.join(", "))
}

/// Writes every column of a prospect (insert, or update by id).
pub fn write_prospect(tx: &Transaction, p: &Prospect) -> rusqlite::Result<i64> {
    let fields = serde_json::to_string(&p.fields).unwrap_or_else(|_| "{}".into());
    let external = serde_json::to_string(&p.external_ids).unwrap_or_else(|_| "{}".into());
    let id = if p.id > 0 { Some(p.id) } else { None };
    static SQL: LazyLock<String> = LazyLock::new(|| {
        let cols = format!("{PROSPECT_COLS}, {KEY_COLS}");
        format!(
            "INSERT INTO prospects ({cols}) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, \
             ?17, ?18, ?19) {}",
            upsert_tail(&cols)
        )
    });
    // Prepared once per connection and reused: an import writes many rows.
    tx.prepare_cached(&SQL)?.execute(params![
        id,
        p.first_name,
        p.last_name,
        p.email,
        p.phone,
        p.linkedin,
        p.company,
        p.title,
        p.city,
        p.timezone,
        fields,
        p.notes,
        p.email_bad,
        p.phone_bad,
        p.rest_until,
        p.created_at,
        external,
        p.phone_key(),
        p.name_key(),
    ])?;
    Ok(id.unwrap_or_else(|| tx.last_insert_rowid()))
}

/// Writes every column of an enrollment (insert, or update by id).
pub fn write_enrollment(tx: &Transaction, e: &Enrollment, sequence: &str) -> rusqlite::Result<i64> {
    let id = if e.id > 0 { Some(e.id) } else { None };
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "INSERT INTO enrollments ({ENROLLMENT_COLS}, sequence) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, \
             ?17, ?18) {}",
            upsert_tail(&format!("{ENROLLMENT_COLS}, sequence"))
        )
    });
    // Prepared once per connection and reused: an import writes many rows.
    tx.prepare_cached(&SQL)?.execute(params![
        id,
        e.prospect_id,
        e.version_id,
        e.status.as_str(),
        e.step as i64,
        e.due,
        e.last_worked_step.map(|s| s as i64),
        e.paused_gap,
        e.resume_on,
        e.started,
        e.closed_at,
        e.exit_reason,
        e.ordinal,
        e.why.as_ref().and_then(|w| serde_json::to_string(w).ok()),
        e.last_answerable_step.map(|s| s as i64),
        e.decision_on,
        e.until,
        sequence,
    ])?;
    Ok(id.unwrap_or_else(|| tx.last_insert_rowid()))
}

/// Appends one record to the touch log; `action_id` is `None` for history that belongs to no
/// rep action (the demo's). Returns the new row's id.
pub fn insert_touch(
    tx: &Transaction,
    action_id: Option<i64>,
    enrollment_id: Option<i64>,
    prospect_id: i64,
    r: &Record,
    note: Option<&str>,
    text: Option<&Frozen>,
) -> rusqlite::Result<i64> {
    tx.prepare_cached(
        "INSERT INTO touches (action_id, enrollment_id, prospect_id, at, step, channel, \
         outcome, is_touch, reason, note, subject, body, variant, attributed_step, kind) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        action_id,
        enrollment_id,
        prospect_id,
        r.at,
        r.step.map(|s| s as i64),
        r.channel.map(|c| c.as_str()),
        r.outcome.as_str(),
        r.is_touch,
        r.reason,
        note,
        text.and_then(|t| t.subject.as_deref()),
        text.and_then(|t| t.body.as_deref()),
        text.and_then(|t| t.variant.as_deref()),
        r.attributed_step.map(|s| s as i64),
        r.kind.map(|k| k.as_str()),
    ])?;
    Ok(tx.last_insert_rowid())
}
