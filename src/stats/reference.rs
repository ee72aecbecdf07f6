//! The numbers, counted in SQL over the indexed touch log and assembled here.

use super::{
    rate, Bucket, CallBucket, ChannelStats, Filter, SequenceStats, Stats, StepStats, VariantStats,
};
use crate::domain::windows::local_time;
use crate::store::Store;
use anyhow::Result;
use chrono::{Datelike, NaiveDateTime, Timelike};
use chrono_tz::Tz;
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

#[derive(Default)]
struct StepRow {
    channel: String,
    touches: u64,
    prospects: u64,
    bounces: u64,
    replies: u64,
    meetings: u64,
    opt_outs: u64,
}

/// Computes every number of the Stats view for the filter. `rep_zone` is the zone the log's
/// times are written in (the rep's); calls are bucketed in each prospect's own zone.
pub fn compute(store: &Store, filter: &Filter, rep_zone: Option<Tz>) -> Result<Stats> {
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

    // A response is the first reply or meeting of an enrollment, credited to its stored step.
    let mut stmt = conn.prepare(&format!(
        "SELECT e.sequence, t.attributed_step, count(DISTINCT t.enrollment_id), \
         count(DISTINCT CASE WHEN t.outcome = 'meeting' THEN t.enrollment_id END) \
         FROM touches t JOIN enrollments e ON e.id = t.enrollment_id \
         WHERE t.outcome IN ('replied', 'meeting'){cond} GROUP BY e.sequence, t.attributed_step"
    ))?;
    let mut unattributed: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
    while let Some(r) = rows.next()? {
        let seq: String = r.get(0)?;
        let replies = r.get::<_, i64>(2)? as u64;
        let meetings = r.get::<_, i64>(3)? as u64;
        match r.get::<_, Option<i64>>(1)? {
            Some(step) => {
                let row = steps.entry((seq, step)).or_default();
                row.replies = replies;
                row.meetings = meetings;
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

    let mut stats = Stats {
        since: filter.since.map(|s| s.date().to_string()),
        ..Stats::default()
    };
    assemble_sequences(store, &steps, &unattributed, &mut stats)?;
    stats.totals.opt_outs = opt_outs_total(store, filter)?;
    stats.variants = variants(store, filter, &stats.sequences)?;
    calls(store, filter, rep_zone, &mut stats)?;
    stats.days_to_reply = days_to_reply(store, filter)?;
    stats.touches_before_exit = touches_before_exit(store, filter)?;
    Ok(stats)
}

fn assemble_sequences(
    store: &Store,
    steps: &BTreeMap<(String, i64), StepRow>,
    unattributed: &BTreeMap<String, (u64, u64)>,
    stats: &mut Stats,
) -> Result<()> {
    let mut by_seq: BTreeMap<&str, Vec<(i64, &StepRow)>> = BTreeMap::new();
    for ((seq, step), row) in steps {
        by_seq.entry(seq).or_default().push((*step, row));
    }
    for name in unattributed.keys() {
        by_seq.entry(name).or_default();
    }
    let mut channels: BTreeMap<String, ChannelStats> = BTreeMap::new();
    for (name, rows) in by_seq {
        // Purposes come from the newest stored version of the sequence.
        let plan = match store.latest_version_id(name)? {
            Some(id) => Some(store.version(id)?),
            None => None,
        };
        let (extra_replies, extra_meetings) = unattributed.get(name).copied().unwrap_or_default();
        let replies: u64 = rows.iter().map(|(_, r)| r.replies).sum::<u64>() + extra_replies;
        let meetings: u64 = rows.iter().map(|(_, r)| r.meetings).sum::<u64>() + extra_meetings;
        let prospects = rows.iter().find(|(s, _)| *s == 0).map_or_else(
            || rows.iter().map(|(_, r)| r.prospects).max().unwrap_or(0),
            |(_, r)| r.prospects,
        );
        let mut seq = SequenceStats {
            sequence: name.to_string(),
            prospects,
            replies,
            meetings,
            steps: Vec::new(),
        };
        for (step, r) in rows {
            let purpose = plan
                .as_ref()
                .and_then(|p| p.plan.steps.get(step as usize))
                .map(|s| s.purpose.clone())
                .unwrap_or_default();
            seq.steps.push(StepStats {
                step: step as usize + 1,
                channel: r.channel.clone(),
                purpose,
                touches: r.touches,
                prospects: r.prospects,
                replies: r.replies,
                meetings: r.meetings,
                opt_outs: r.opt_outs,
                bounces: r.bounces,
                reply_rate: rate(r.replies, r.prospects),
                reply_share: rate(r.replies, replies),
            });
            let c = channels
                .entry(r.channel.clone())
                .or_insert_with(|| ChannelStats {
                    channel: r.channel.clone(),
                    ..ChannelStats::default()
                });
            c.touches += r.touches;
            c.prospects += r.prospects;
            c.replies += r.replies;
            c.meetings += r.meetings;
            stats.totals.touches += r.touches;
            stats.totals.bounces += r.bounces;
        }
        stats.totals.replies += replies;
        stats.totals.meetings += meetings;
        stats.sequences.push(seq);
    }
    stats.channels = channels
        .into_values()
        .filter(|c| !c.channel.is_empty())
        .map(|mut c| {
            c.reply_rate = rate(c.replies, c.prospects);
            c
        })
        .collect();
    Ok(())
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

/// Reply rates per A/B variant, for the steps that have more than one variant.
fn variants(
    store: &Store,
    filter: &Filter,
    sequences: &[SequenceStats],
) -> Result<Vec<VariantStats>> {
    let (cond, params) = clauses(filter);
    let mut out = Vec::new();
    for seq in sequences {
        let Some(id) = store.latest_version_id(&seq.sequence)? else {
            continue;
        };
        let def = store.version(id)?;
        for (i, paths) in def.step_templates.iter().enumerate() {
            if paths.len() < 2 {
                continue;
            }
            let mut all = params.clone();
            all.push(Value::Text(seq.sequence.clone()));
            let seq_at = all.len();
            all.push(Value::Integer(i as i64));
            let step_at = all.len();
            let mut stmt = store.conn().prepare(&format!(
                "SELECT t.variant, count(*), sum(EXISTS (SELECT 1 FROM touches r \
                 WHERE r.enrollment_id = t.enrollment_id AND r.attributed_step = t.step \
                 AND r.outcome IN ('replied', 'meeting'))) \
                 FROM touches t JOIN enrollments e ON e.id = t.enrollment_id \
                 WHERE t.is_touch = 1 AND e.sequence = ?{seq_at} AND t.step = ?{step_at}{cond} \
                 GROUP BY t.variant ORDER BY t.variant"
            ))?;
            let mut rows = stmt.query(rusqlite::params_from_iter(all.iter()))?;
            while let Some(r) = rows.next()? {
                let touches = r.get::<_, i64>(1)? as u64;
                let replies = r.get::<_, i64>(2)? as u64;
                out.push(VariantStats {
                    sequence: seq.sequence.clone(),
                    step: i + 1,
                    variant: r.get::<_, Option<String>>(0)?.unwrap_or_default(),
                    touches,
                    replies,
                    reply_rate: rate(replies, touches),
                });
            }
        }
    }
    Ok(out)
}

/// Call connect rates by hour and weekday of the prospect's own day.
fn calls(store: &Store, filter: &Filter, rep_zone: Option<Tz>, stats: &mut Stats) -> Result<()> {
    let (cond, params) = clauses(filter);
    let mut stmt = store.conn().prepare(&format!(
        "SELECT p.timezone, substr(t.at, 1, 13), count(*), sum(t.outcome = 'connected') \
         FROM touches t JOIN enrollments e ON e.id = t.enrollment_id \
         JOIN prospects p ON p.id = t.prospect_id \
         WHERE t.is_touch = 1 AND t.channel = 'call'{cond} GROUP BY 1, 2"
    ))?;
    let mut hours = [(0u64, 0u64); 24];
    let mut days = [(0u64, 0u64); 7];
    let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
    while let Some(r) = rows.next()? {
        let zone: Option<String> = r.get(0)?;
        let hour: String = r.get(1)?;
        let calls = r.get::<_, i64>(2)? as u64;
        let connected = r.get::<_, i64>(3)? as u64;
        let Ok(at) = NaiveDateTime::parse_from_str(&format!("{hour}:00:00"), "%Y-%m-%d %H:%M:%S")
        else {
            continue;
        };
        let local = local_time(at, rep_zone, zone.as_deref().and_then(|z| z.parse().ok()));
        let h = &mut hours[local.hour() as usize];
        h.0 += calls;
        h.1 += connected;
        let d = &mut days[local.weekday().num_days_from_monday() as usize];
        d.0 += calls;
        d.1 += connected;
    }
    stats.calls_by_hour = hours
        .iter()
        .enumerate()
        .filter(|(_, (c, _))| *c > 0)
        .map(|(h, (c, k))| CallBucket {
            label: format!("{h:02}:00"),
            calls: *c,
            connected: *k,
            connect_rate: rate(*k, *c),
        })
        .collect();
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    stats.calls_by_weekday = days
        .iter()
        .enumerate()
        .filter(|(_, (c, _))| *c > 0)
        .map(|(d, (c, k))| CallBucket {
            label: DAYS[d].to_string(),
            calls: *c,
            connected: *k,
            connect_rate: rate(*k, *c),
        })
        .collect();
    Ok(())
}

fn days_to_reply(store: &Store, filter: &Filter) -> Result<Vec<Bucket>> {
    let (cond, params) = clauses(filter);
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
    Ok(hist
        .into_iter()
        .map(|(value, count)| Bucket { value, count })
        .collect())
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
