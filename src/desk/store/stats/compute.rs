//! The numbers, read from the rollups the V4 triggers keep (see `rollup.rs`): a few thousand
//! small rows instead of every touch. The period counts whole days, from the start of
//! `since`'s date.

use crate::clock::Zone;
use crate::desk::store::Store;
use crate::stats::assemble::{self, Counts};
use crate::stats::{Bucket, Filter, Stats};
use anyhow::Result;
use rusqlite::types::Value;

/// `AND …` clauses and their parameters for the filter: `day` is the column holding the
/// event's day (or a longer time that starts with it), `seq` the sequence column.
fn clauses(f: &Filter, day: &str, seq: &str) -> (String, Vec<Value>) {
    let mut sql = String::new();
    let mut params = Vec::new();
    if let Some(since) = f.since {
        // A date compares below every time on that day, so this counts whole days.
        params.push(Value::Text(since.date().format("%F").to_string()));
        sql.push_str(&format!(" AND {day} >= ?{}", params.len()));
    }
    if let Some(s) = &f.sequence {
        params.push(Value::Text(s.clone()));
        sql.push_str(&format!(" AND {seq} = ?{}", params.len()));
    }
    (sql, params)
}

fn count(r: &rusqlite::Row, i: usize) -> rusqlite::Result<u64> {
    Ok(r.get::<_, Option<i64>>(i)?.unwrap_or(0).max(0) as u64)
}

/// Computes every number of the Stats view for the filter. `rep_zone` is the zone the log's
/// times are written in (the rep's); calls are bucketed in each prospect's own zone.
pub fn compute(store: &Store, filter: &Filter, rep_zone: Zone) -> Result<Stats> {
    let conn = store.conn();
    let mut counts = Counts::default();

    let (cond, params) = clauses(filter, "day", "sequence");
    let mut stmt = conn.prepare(&format!(
        "SELECT sequence, step, max(CASE WHEN touches > 0 THEN channel END), sum(touches), \
         sum(bounces), sum(opt_outs) FROM stat_steps WHERE 1{cond} GROUP BY sequence, step"
    ))?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
    while let Some(r) = rows.next()? {
        let (touches, opt_outs) = (count(r, 3)?, count(r, 5)?);
        if touches == 0 && opt_outs == 0 {
            continue;
        }
        let row = counts.steps.entry((r.get(0)?, r.get(1)?)).or_default();
        row.channel = r.get::<_, Option<String>>(2)?.unwrap_or_default();
        row.touches = touches;
        // The engine works a step at most once per enrollment: touches are prospects.
        row.prospects = touches;
        row.bounces = count(r, 4)?;
        row.opt_outs = opt_outs;
    }

    // Responses count distinct enrollments: from their own rollup, all time or by day.
    add_responses(store, filter, &mut counts)?;

    add_after_reply(conn, filter, &mut counts)?;

    // Prospects per channel, from their first touch on it.
    let (cond, params) = clauses(filter, "day", "sequence");
    let mut stmt = conn.prepare(&format!(
        "SELECT channel, sum(n) FROM stat_channels WHERE 1{cond} GROUP BY channel"
    ))?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
    while let Some(r) = rows.next()? {
        counts.channel_prospects.insert(r.get(0)?, count(r, 1)?);
    }

    // Spam complaints are few: read from the log through their own partial index. One
    // outside any enrollment counts in the total unless one sequence is asked for.
    let (cond, params) = clauses(filter, "t.at", "coalesce(e.sequence, '')");
    let mut stmt = conn.prepare(&format!(
        "SELECT coalesce(e.sequence, ''), t.step, count(*) FROM touches t \
         INDEXED BY touches_complaints LEFT JOIN enrollments e ON e.id = t.enrollment_id \
         WHERE t.outcome = 'complained'{cond} GROUP BY 1, 2"
    ))?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
    while let Some(r) = rows.next()? {
        let n = count(r, 2)?;
        counts.complaints += n;
        if let Some(step) = r.get::<_, Option<i64>>(1)? {
            if let Some(row) = counts.steps.get_mut(&(r.get(0)?, step)) {
                row.complaints = n;
            }
        }
    }

    // Opt-outs outside any enrollment (sequence '') count too, unless one sequence is asked.
    let (cond, params) = clauses(filter, "day", "sequence");
    counts.opt_outs = conn.query_row(
        &format!("SELECT sum(n) FROM stat_opt_outs WHERE 1{cond}"),
        rusqlite::params_from_iter(params.iter()),
        |r| count(r, 0),
    )?;

    if filter.since.is_none() && super::call_slots::counted_in(conn, rep_zone)? {
        add_call_slots(store, filter, &mut counts)?;
    } else {
        add_call_hours(store, filter, &mut counts)?;
    }

    let (cond, params) = clauses(filter, "day", "sequence");
    let mut stmt = conn.prepare(&format!(
        "SELECT touches, sum(n) FROM stat_exits WHERE 1{cond} \
         GROUP BY touches HAVING sum(n) > 0 ORDER BY touches"
    ))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(params.iter()), |r| {
        Ok(Bucket {
            value: r.get(0)?,
            count: count(r, 1)?,
        })
    })?;
    counts.touches_before_exit = rows.collect::<Result<_, _>>()?;

    let mut variants = |seq: &str, step: i64| variant_rows(store, filter, seq, step);
    assemble::stats(
        &mut |name| store.latest_version(name),
        filter,
        rep_zone,
        counts,
        &mut variants,
    )
}

/// Replies, meetings, positive answers, kinds and days to reply: all time from the
/// `stat_response_totals` rollup (see `responses.rs`), a period from the totals of the days
/// in it (`response_days.rs`: the enrollments that first answered in the period).
fn add_responses(store: &Store, filter: &Filter, counts: &mut Counts) -> Result<()> {
    // Kinds last: they go to the step rows the other measures made.
    let (cond, params) = clauses(filter, "day", "sequence");
    let sql = if filter.since.is_none() {
        format!(
            "SELECT sequence, measure, step, label, n FROM stat_response_totals WHERE 1{cond} \
             ORDER BY measure = 'kind'"
        )
    } else {
        format!(
            "SELECT sequence, measure, step, label, sum(n) FROM stat_response_days \
             WHERE 1{cond} GROUP BY 1, 2, 3, 4 ORDER BY measure = 'kind'"
        )
    };
    let mut stmt = store.conn().prepare(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
    while let Some(r) = rows.next()? {
        let seq: String = r.get(0)?;
        let measure: String = r.get(1)?;
        let step = Some(r.get::<_, i64>(2)?).filter(|s| *s >= 0);
        let n = count(r, 4)?;
        match (measure.as_str(), step) {
            ("days", _) => {
                let days: i64 = r.get(3)?;
                *counts.days_to_reply.entry(days.max(0)).or_default() += n;
            }
            ("kind", _) => assemble::add_kind(counts, seq, step, r.get(3)?, n),
            ("reply", Some(step)) => counts.steps.entry((seq, step)).or_default().replies = n,
            ("meeting", Some(step)) => counts.steps.entry((seq, step)).or_default().meetings = n,
            ("positive", Some(step)) => counts.steps.entry((seq, step)).or_default().positive = n,
            ("reply", None) => counts.unattributed.entry(seq).or_default().0 += n,
            ("meeting", None) => counts.unattributed.entry(seq).or_default().1 += n,
            _ => {}
        }
    }
    Ok(())
}

/// Meetings held and conversations won: all time from their rollup (`after_reply.rs`), a
/// period from the totals of its days (`after_reply_days.rs`).
fn add_after_reply(
    conn: &rusqlite::Connection,
    filter: &Filter,
    counts: &mut Counts,
) -> Result<()> {
    let (cond, params) = clauses(filter, "day", "sequence");
    let table = if filter.since.is_none() {
        "stat_after_reply"
    } else {
        "stat_after_reply_days"
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT sequence, step, sum(CASE WHEN measure = 'held' THEN n END), \
         sum(CASE WHEN measure = 'won' THEN n END) FROM {table} \
         WHERE n > 0{cond} GROUP BY 1, 2"
    ))?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
    while let Some(r) = rows.next()? {
        let step = Some(r.get::<_, i64>(1)?).filter(|s| *s >= 0);
        counts.add_after_reply(r.get(0)?, step, (count(r, 2)?, count(r, 3)?));
    }
    Ok(())
}

/// Calls by slot of the prospect's week, all time, from `stat_call_slots`.
fn add_call_slots(store: &Store, filter: &Filter, counts: &mut Counts) -> Result<()> {
    let (cond, params) = clauses(filter, "day", "sequence");
    let mut stmt = store.conn().prepare(&format!(
        "SELECT slot, sum(calls), sum(connected) FROM stat_call_slots WHERE 1{cond} GROUP BY slot"
    ))?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
    while let Some(r) = rows.next()? {
        counts.calls.add_slot(r.get(0)?, count(r, 1)?, count(r, 2)?);
    }
    Ok(())
}

/// Calls by hour of the log, converted to each prospect's clock (a period, or slots not
/// counted in the rep's zone).
fn add_call_hours(store: &Store, filter: &Filter, counts: &mut Counts) -> Result<()> {
    let conn = store.conn();
    let (cond, params) = clauses(filter, "hour", "sequence");
    let mut stmt = conn.prepare(&format!(
        // Summed in Rust: a GROUP BY here would sort the whole table first.
        "SELECT nullif(timezone, ''), hour, calls, connected FROM stat_calls WHERE 1{cond}"
    ))?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
    while let Some(r) = rows.next()? {
        let zone = r.get_ref(0)?.as_str_or_null()?;
        let hour = r.get_ref(1)?.as_str()?;
        counts.calls.add(zone, hour, count(r, 2)?, count(r, 3)?);
    }
    Ok(())
}

/// Touches and replies per variant of one step (0-based).
fn variant_rows(
    store: &Store,
    filter: &Filter,
    seq: &str,
    step: i64,
) -> Result<Vec<(String, u64, u64)>> {
    let mut params = vec![Value::Text(seq.to_string()), Value::Integer(step)];
    let mut cond = String::new();
    if let Some(since) = filter.since {
        params.push(Value::Text(since.date().format("%F").to_string()));
        cond.push_str(" AND day >= ?3");
    }
    let mut stmt = store.conn().prepare(&format!(
        "SELECT coalesce((SELECT name FROM variants v WHERE v.id = s.variant), s.variant), \
         sum(s.touches), sum(s.replied) FROM stat_variants s \
         WHERE s.sequence = ?1 AND s.step = ?2{cond} \
         GROUP BY s.variant HAVING sum(s.touches) > 0 ORDER BY 1"
    ))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(params.iter()), |r| {
        Ok((r.get(0)?, count(r, 1)?, count(r, 2)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
