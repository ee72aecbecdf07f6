//! The reference count: every number straight from the raw touch log, as first defined.
//! Too slow for the app on a large log (it reads every touch row, message bodies and all);
//! kept so tests can check that the rollups [`super::compute`] reads agree with it.

use crate::clock::Zone;
use crate::desk::store::Store;
use crate::stats::assemble::{self, CallCounts, Counts, StepRow};
use crate::stats::{Bucket, Filter, Stats};
use anyhow::Result;
use rusqlite::types::Value;
use std::collections::BTreeMap;

/// `AND …` clauses and their parameters for the filter, on a query whose touch table is `t`
/// joined to enrollments as `e`.
fn clauses(f: &Filter) -> (String, Vec<Value>) {
    let mut sql = String::new();
    let mut params = Vec::new();
    if let Some(since) = f.since {
        params.push(Value::Text(since.format("%F %T%.f").to_string()));
        sql.push_str(&format!(" AND t.at >= ?{}", params.len()));
    }
    if let Some(seq) = &f.sequence {
        params.push(Value::Text(seq.clone()));
        sql.push_str(&format!(" AND e.sequence = ?{}", params.len()));
    }
    (sql, params)
}

/// The same for counts of enrollments by the day of their first row of a kind: a period
/// holds those whose `first` day (an SQL expression over `t`) is one of its days.
fn first_clauses(f: &Filter, first: &str) -> (String, Vec<Value>) {
    let mut sql = String::new();
    let mut params = Vec::new();
    if let Some(since) = f.since {
        params.push(Value::Text(since.date().format("%F").to_string()));
        sql.push_str(&format!(" AND {first} >= ?{}", params.len()));
    }
    if let Some(seq) = &f.sequence {
        params.push(Value::Text(seq.clone()));
        sql.push_str(&format!(" AND e.sequence = ?{}", params.len()));
    }
    (sql, params)
}

/// A response counts in the period its enrollment first answered in, with all its answers.
fn response_clauses(f: &Filter) -> (String, Vec<Value>) {
    first_clauses(
        f,
        "(SELECT date(min(x.at)) FROM touches x WHERE x.enrollment_id = t.enrollment_id \
         AND x.outcome IN ('replied', 'meeting'))",
    )
}

/// [`super::compute`], counted from the raw log.
pub fn compute_from_log(store: &Store, filter: &Filter, rep_zone: Zone) -> Result<Stats> {
    let conn = store.conn();
    let (cond, params) = clauses(filter);
    let p = rusqlite::params_from_iter(params.iter());
    let mut steps: BTreeMap<(String, i64), StepRow> = BTreeMap::new();

    let mut stmt = conn.prepare(&format!(
        "SELECT e.sequence, t.step, max(t.channel), count(*), count(DISTINCT t.enrollment_id), \
         sum(t.outcome = 'bounced') \
         FROM touches t JOIN enrollments e ON e.id = t.enrollment_id \
         WHERE t.is_touch = 1 AND t.step IS NOT NULL{cond} GROUP BY e.sequence, t.step"
    ))?;
    let mut rows = stmt.query(p)?;
    while let Some(r) = rows.next()? {
        let row = steps.entry((r.get(0)?, r.get(1)?)).or_default();
        row.channel = r.get::<_, Option<String>>(2)?.unwrap_or_default();
        row.touches = r.get::<_, i64>(3)? as u64;
        row.prospects = r.get::<_, i64>(4)? as u64;
        row.bounces = r.get::<_, i64>(5)? as u64;
    }
    // Bounces reported after the fact: rows of their own beside the sent touch.
    let mut stmt = conn.prepare(&format!(
        "SELECT e.sequence, t.step, count(*) FROM touches t JOIN enrollments e \
         ON e.id = t.enrollment_id WHERE t.is_touch = 0 AND t.outcome = 'bounced' \
         AND t.step IS NOT NULL{cond} GROUP BY e.sequence, t.step"
    ))?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
    while let Some(r) = rows.next()? {
        let row = steps.entry((r.get(0)?, r.get(1)?)).or_default();
        row.bounces += r.get::<_, i64>(2)? as u64;
    }

    // A response is the first reply or meeting of an enrollment, credited to its stored step.
    let (answered, answered_params) = response_clauses(filter);
    let mut stmt = conn.prepare(&format!(
        "SELECT e.sequence, t.attributed_step, count(DISTINCT t.enrollment_id), \
         count(DISTINCT CASE WHEN t.outcome = 'meeting' THEN t.enrollment_id END), \
         count(DISTINCT CASE WHEN t.outcome = 'meeting' OR t.kind = 'positive' \
         THEN t.enrollment_id END) \
         FROM touches t JOIN enrollments e ON e.id = t.enrollment_id \
         WHERE t.outcome IN ('replied', 'meeting'){answered} \
         GROUP BY e.sequence, t.attributed_step"
    ))?;
    let mut unattributed: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut rows = stmt.query(rusqlite::params_from_iter(answered_params.iter()))?;
    while let Some(r) = rows.next()? {
        let seq: String = r.get(0)?;
        let replies = r.get::<_, i64>(2)? as u64;
        let meetings = r.get::<_, i64>(3)? as u64;
        match r.get::<_, Option<i64>>(1)? {
            Some(step) => {
                let row = steps.entry((seq, step)).or_default();
                row.replies = replies;
                row.meetings = meetings;
                row.positive = r.get::<_, i64>(4)? as u64;
            }
            None => {
                let u = unattributed.entry(seq).or_default();
                u.0 += replies;
                u.1 += meetings;
            }
        }
    }

    let mut stmt = conn.prepare(&format!(
        "SELECT e.sequence, t.step, count(*) FROM touches t \
         JOIN enrollments e ON e.id = t.enrollment_id \
         WHERE t.outcome = 'opted-out' AND t.step IS NOT NULL{cond} GROUP BY e.sequence, t.step"
    ))?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
    while let Some(r) = rows.next()? {
        steps.entry((r.get(0)?, r.get(1)?)).or_default().opt_outs = r.get::<_, i64>(2)? as u64;
    }

    let mut complaints = 0;
    let mut stmt = conn.prepare(&format!(
        "SELECT coalesce(e.sequence, ''), t.step, count(*) FROM touches t \
         LEFT JOIN enrollments e ON e.id = t.enrollment_id \
         WHERE t.outcome = 'complained'{} GROUP BY 1, 2",
        cond.replace("e.sequence", "coalesce(e.sequence, '')")
    ))?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
    while let Some(r) = rows.next()? {
        let n = r.get::<_, i64>(2)? as u64;
        complaints += n;
        if let Some(step) = r.get::<_, Option<i64>>(1)? {
            if let Some(row) = steps.get_mut(&(r.get(0)?, step)) {
                row.complaints = n;
            }
        }
    }

    let mut counts = Counts {
        steps,
        unattributed,
        opt_outs: opt_outs_total(store, filter)?,
        complaints,
        kinds: BTreeMap::new(),
        channel_prospects: BTreeMap::new(),
        calls: calls(store, filter)?,
        days_to_reply: days_to_reply(store, filter)?,
        touches_before_exit: touches_before_exit(store, filter)?,
        unattributed_after_reply: BTreeMap::new(),
    };
    // After the reply: each enrollment once per step it was credited to, in the period its
    // first held (or won) row for that step falls in.
    let (after, after_params) = first_clauses(
        filter,
        "(SELECT date(min(x.at)) FROM touches x WHERE x.enrollment_id = t.enrollment_id \
         AND x.outcome = t.outcome AND x.attributed_step IS t.attributed_step)",
    );
    let mut stmt = conn.prepare(&format!(
        "SELECT e.sequence, t.attributed_step, t.outcome, count(DISTINCT t.enrollment_id) \
         FROM touches t JOIN enrollments e ON e.id = t.enrollment_id \
         WHERE t.outcome IN ('held', 'won'){after} GROUP BY 1, 2, 3"
    ))?;
    let mut rows = stmt.query(rusqlite::params_from_iter(after_params.iter()))?;
    while let Some(r) = rows.next()? {
        let n = r.get::<_, i64>(3)? as u64;
        let held = r.get::<_, String>(2)? == "held";
        let pair = if held { (n, 0) } else { (0, n) };
        counts.add_after_reply(r.get(0)?, r.get(1)?, pair);
    }
    // Prospects per channel: each enrollment once, on the day of its first touch there.
    let since = filter.since.map(|s| s.date().format("%F").to_string());
    let mut stmt = conn.prepare(
        "SELECT t.channel, substr(min(t.at), 1, 10), e.sequence FROM touches t \
         JOIN enrollments e ON e.id = t.enrollment_id \
         WHERE t.is_touch = 1 AND t.channel IS NOT NULL GROUP BY t.enrollment_id, t.channel",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (channel, day, seq): (String, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let in_period = since.as_ref().is_none_or(|s| day >= *s);
        let in_sequence = filter.sequence.as_ref().is_none_or(|s| *s == seq);
        if in_period && in_sequence {
            *counts.channel_prospects.entry(channel).or_default() += 1;
        }
    }
    let mut stmt = conn.prepare(&super::kinds::kinds_sql(&answered, ""))?;
    super::kinds::add_kinds(
        &mut counts,
        &mut stmt.query(rusqlite::params_from_iter(answered_params.iter()))?,
    )?;
    let mut rows = |seq: &str, step: i64| variant_rows(store, filter, seq, step);
    assemble::stats(
        &mut |name| store.latest_version(name),
        filter,
        rep_zone,
        counts,
        &mut rows,
    )
}

fn opt_outs_total(store: &Store, filter: &Filter) -> Result<u64> {
    let (cond, params) = clauses(filter);
    // Opt-outs logged outside any enrollment count too, unless one sequence is asked for.
    let sql = if filter.sequence.is_some() {
        format!(
            "SELECT count(*) FROM touches t JOIN enrollments e ON e.id = t.enrollment_id \
             WHERE t.outcome = 'opted-out'{cond}"
        )
    } else {
        format!(
            "SELECT count(*) FROM touches t LEFT JOIN enrollments e ON e.id = t.enrollment_id \
             WHERE t.outcome = 'opted-out'{cond}"
        )
    };
    let n: i64 = store
        .conn()
        .query_row(&sql, rusqlite::params_from_iter(params.iter()), |r| {
            r.get(0)
        })?;
    Ok(n as u64)
}

/// Touches and replies per variant of one step: a reply counts for a touch when its
/// enrollment has a response credited to that step.
fn variant_rows(
    store: &Store,
    filter: &Filter,
    seq: &str,
    step: i64,
) -> Result<Vec<(String, u64, u64)>> {
    let (cond, mut params) = clauses(filter);
    params.push(Value::Text(seq.to_string()));
    let seq_at = params.len();
    params.push(Value::Integer(step));
    let step_at = params.len();
    let mut stmt = store.conn().prepare(&format!(
        "SELECT (SELECT name FROM variants v WHERE v.id = t.variant), count(*), \
         sum(EXISTS (SELECT 1 FROM touches r \
         WHERE r.enrollment_id = t.enrollment_id AND r.attributed_step = t.step \
         AND r.outcome IN ('replied', 'meeting'))) \
         FROM touches t JOIN enrollments e ON e.id = t.enrollment_id \
         WHERE t.is_touch = 1 AND e.sequence = ?{seq_at} AND t.step = ?{step_at}{cond} \
         GROUP BY t.variant ORDER BY 1"
    ))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(params.iter()), |r| {
        Ok((
            r.get::<_, Option<String>>(0)?.unwrap_or_default(),
            r.get::<_, i64>(1)? as u64,
            r.get::<_, i64>(2)? as u64,
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn calls(store: &Store, filter: &Filter) -> Result<CallCounts> {
    let (cond, params) = clauses(filter);
    let mut stmt = store.conn().prepare(&format!(
        "SELECT p.timezone, substr(t.at, 1, 13), count(*), sum(t.outcome = 'connected') \
         FROM touches t JOIN enrollments e ON e.id = t.enrollment_id \
         JOIN prospects p ON p.id = t.prospect_id \
         WHERE t.is_touch = 1 AND t.channel = 'call'{cond} GROUP BY 1, 2"
    ))?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
    let mut counts = CallCounts::default();
    while let Some(r) = rows.next()? {
        let zone: Option<String> = r.get(0)?;
        let hour: String = r.get(1)?;
        let (calls, connected) = (r.get::<_, i64>(2)? as u64, r.get::<_, i64>(3)? as u64);
        counts.add(zone.as_deref(), &hour, calls, connected);
    }
    Ok(counts)
}

fn days_to_reply(store: &Store, filter: &Filter) -> Result<BTreeMap<i64, u64>> {
    let (cond, params) = response_clauses(filter);
    let mut stmt = store.conn().prepare(&format!(
        "SELECT CAST(julianday(date(r.first_reply)) - julianday(date(min(f.at))) AS INTEGER) AS d, \
         count(*) FROM (SELECT t.enrollment_id, min(t.at) AS first_reply FROM touches t \
         JOIN enrollments e ON e.id = t.enrollment_id \
         WHERE t.outcome IN ('replied', 'meeting'){cond} GROUP BY t.enrollment_id) r \
         JOIN touches f ON f.enrollment_id = r.enrollment_id AND f.is_touch = 1 \
         GROUP BY r.enrollment_id"
    ))?;
    let mut hist: BTreeMap<i64, u64> = BTreeMap::new();
    let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
    while let Some(r) = rows.next()? {
        *hist.entry(r.get::<_, i64>(0)?.max(0)).or_default() += 1;
    }
    Ok(hist)
}

fn touches_before_exit(store: &Store, filter: &Filter) -> Result<Vec<Bucket>> {
    let mut params: Vec<Value> = Vec::new();
    let mut cond = String::new();
    if let Some(since) = filter.since {
        params.push(Value::Text(since.format("%F %T%.f").to_string()));
        cond.push_str(&format!(" AND e.closed_at >= ?{}", params.len()));
    }
    if let Some(seq) = &filter.sequence {
        params.push(Value::Text(seq.clone()));
        cond.push_str(&format!(" AND e.sequence = ?{}", params.len()));
    }
    let mut stmt = store.conn().prepare(&format!(
        "SELECT n, count(*) FROM (SELECT (SELECT count(*) FROM touches t \
         WHERE t.enrollment_id = e.id AND t.is_touch = 1) AS n FROM enrollments e \
         WHERE e.status NOT IN ('active', 'paused'){cond}) GROUP BY n ORDER BY n"
    ))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(params.iter()), |r| {
        Ok(Bucket {
            value: r.get(0)?,
            count: r.get::<_, i64>(1)? as u64,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
