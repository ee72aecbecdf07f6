//! Calls by the hour and weekday on the prospect's own clock, for all time (migration V19).
//! The hour-by-hour rollup (`stat_calls`) grows with every day of history times every zone,
//! and each of its rows must be converted from the rep's clock to the prospect's; this one
//! holds at most 168 slots per sequence. The conversion happens in the triggers, through
//! `touchbase_call_slot(at, zone)`, a function every connection the store opens defines with
//! the rep's zone. When the rep's zone changes, the slots are counted again (see
//! [`follow_rep_zone`]); until then, or when that fails, Stats converts `stat_calls` instead.
//!
//! This text is a released migration: append a new one rather than changing it.

use crate::clock::Zone;
use chrono::{Datelike, NaiveDateTime, Timelike};
use rusqlite::functions::FunctionFlags;
use rusqlite::{Connection, OptionalExtension};

/// The settings key naming the rep zone the slots were counted in.
const COUNTED_IN: &str = "call_slots_zone";

/// The slot of a moment on the rep's clock: weekday (Monday 0) × 24 + hour, on the
/// prospect's clock. The hour on the rep's clock is what converts, as for `stat_calls`
/// (which keeps the hour only), so a half-hour zone buckets the same either way.
pub fn slot(rep: Zone, at: NaiveDateTime, prospect_zone: Option<&str>) -> i64 {
    let tz = prospect_zone.and_then(|z| z.trim().parse().ok());
    let hour = at.date().and_hms_opt(at.hour(), 0, 0).unwrap_or(at);
    let local = rep.to_prospect(hour, tz);
    i64::from(local.weekday().num_days_from_monday()) * 24 + i64::from(local.hour())
}

/// How a zone is named in [`COUNTED_IN`]. The system's is named by its offsets in winter
/// and summer: a laptop that travels to another zone counts the slots again, as a rep who
/// sets `timezone` does.
fn zone_name(zone: Zone) -> String {
    match zone {
        Zone::Named(tz) => tz.name().to_string(),
        Zone::System => {
            use chrono::TimeZone;
            let offset = |month: u32| {
                chrono::Utc
                    .with_ymd_and_hms(2026, month, 15, 12, 0, 0)
                    .single()
                    .map(|t| t.with_timezone(&chrono::Local).format("%:z").to_string())
                    .unwrap_or_default()
            };
            format!("system {}/{}", offset(1), offset(7))
        }
    }
}

/// Defines `touchbase_call_slot` on `conn` for the rep's `zone`.
pub fn define(conn: &Connection, zone: Zone) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        "touchbase_call_slot",
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        move |ctx| {
            let at: NaiveDateTime = ctx.get(0)?;
            let prospect_zone: Option<String> = ctx.get(1)?;
            Ok(slot(zone, at, prospect_zone.as_deref()))
        },
    )
}

/// Whether the slots were counted in the rep's zone `zone` (else Stats converts the hourly
/// rollup itself).
pub fn counted_in(conn: &Connection, zone: Zone) -> rusqlite::Result<bool> {
    let stored: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([COUNTED_IN], |r| r.get(0))
        .optional()?;
    Ok(stored.as_deref() == Some(zone_name(zone).as_str()))
}

/// Defines the function for `zone` and, when the slots were counted in another zone, counts
/// them again in one transaction (once, the first time the rep's zone is not the last one).
/// When that cannot be done (a read-only file, a busy one), the function keeps the zone the
/// slots were counted in, so they stay true to it, and Stats converts the hourly rollup.
pub fn follow_rep_zone(conn: &Connection, zone: Zone) -> rusqlite::Result<()> {
    if counted_in(conn, zone)? {
        return define(conn, zone);
    }
    let recounted = (|| {
        let tx = conn.unchecked_transaction()?;
        define(&tx, zone)?;
        tx.execute_batch(&fill())?;
        record_zone(&tx, zone)?;
        tx.commit()
    })();
    if recounted.is_err() {
        define(conn, stored_zone(conn)?)?;
    }
    Ok(())
}

/// The zone the slots were counted in (the system's when none is noted).
fn stored_zone(conn: &Connection) -> rusqlite::Result<Zone> {
    let stored: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([COUNTED_IN], |r| r.get(0))
        .optional()?;
    Ok(stored
        .and_then(|name| name.parse().ok())
        .map_or(Zone::System, Zone::Named))
}

/// Notes that the slots are counted in `zone`.
pub fn record_zone(conn: &Connection, zone: Zone) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) \
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [COUNTED_IN, &zone_name(zone)],
    )?;
    Ok(())
}

/// Adds `sign` times the calls of the touches `rows` selects (with `t` the touch, `e` its
/// enrollment and `zone` the prospect zone to count them in).
fn add(sign: i32, rows: &str, zone: &str) -> String {
    format!(
        "INSERT INTO stat_call_slots (sequence, slot, calls, connected) \
         SELECT e.sequence, touchbase_call_slot(t.at, {zone}), {sign} * count(*), \
         {sign} * sum(t.outcome = 'connected') {rows} GROUP BY 1, 2 \
         ON CONFLICT DO UPDATE SET calls = calls + excluded.calls, \
         connected = connected + excluded.connected;\n"
    )
}

/// Every slot counted from the log.
pub fn fill() -> String {
    format!(
        "DELETE FROM stat_call_slots;\n{}",
        add(
            1,
            "FROM touches t JOIN enrollments e ON e.id = t.enrollment_id \
             JOIN prospects p ON p.id = t.prospect_id \
             WHERE t.is_touch = 1 AND t.channel = 'call'",
            "p.timezone"
        )
    )
}
