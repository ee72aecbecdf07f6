//! The schema behind fast stats (migration V4): small rollup tables kept by SQLite triggers in
//! the same transaction as every write to the log, so they can never disagree with it — not
//! after an undo (which deletes touches and rewrites enrollments), not after the demo's bulk
//! writer, not after a crash. Reading them instead of the touch log (whose rows carry frozen
//! message bodies) is what makes the Stats view instant on a million touches.
//!
//! Additive counts are rolled up by day; numbers that count distinct enrollments (responses,
//! days to reply) read the few response rows through narrow partial indexes instead, so they
//! keep their exact definition. Assumes, as the store guarantees, that touches are never
//! updated in place and an enrollment never changes sequence.
//!
//! The migrations that made these tables are frozen SQL in `store/migrations/`; what is
//! here rebuilds the rows from the log after a bulk load.

const BACKFILL: &str = r#"
INSERT INTO stat_steps
SELECT e.sequence, t.step, substr(t.at, 1, 10), coalesce(t.channel, ''), sum(t.is_touch = 1),
       sum(t.outcome = 'bounced'), sum(t.outcome = 'opted-out')
FROM touches t JOIN enrollments e ON e.id = t.enrollment_id
WHERE t.step IS NOT NULL AND (t.is_touch = 1 OR t.outcome IN ('opted-out', 'bounced'))
GROUP BY 1, 2, 3, 4;
INSERT INTO stat_opt_outs
SELECT coalesce(e.sequence, ''), substr(t.at, 1, 10), count(*)
FROM touches t LEFT JOIN enrollments e ON e.id = t.enrollment_id
WHERE t.outcome = 'opted-out' GROUP BY 1, 2;
INSERT INTO stat_calls
SELECT e.sequence, coalesce(p.timezone, ''), substr(t.at, 1, 13), count(*),
       sum(t.outcome = 'connected')
FROM touches t JOIN enrollments e ON e.id = t.enrollment_id JOIN prospects p ON p.id = t.prospect_id
WHERE t.is_touch = 1 AND t.channel = 'call' GROUP BY 1, 2, 3;
INSERT INTO stat_variants
SELECT e.sequence, t.step, coalesce(t.variant, ''), substr(t.at, 1, 10), count(*),
       sum(EXISTS (SELECT 1 FROM touches r WHERE r.enrollment_id = t.enrollment_id
           AND r.attributed_step = t.step AND r.outcome IN ('replied', 'meeting')))
FROM touches t JOIN enrollments e ON e.id = t.enrollment_id
WHERE t.is_touch = 1 AND t.step IS NOT NULL GROUP BY 1, 2, 3, 4;
INSERT INTO stat_exits
SELECT e.sequence, coalesce(substr(e.closed_at, 1, 10), ''),
       (SELECT count(*) FROM touches w WHERE w.enrollment_id = e.id AND w.is_touch = 1), count(*)
FROM enrollments e WHERE e.status NOT IN ('active', 'paused') GROUP BY 1, 2, 3;
"#;

/// Every rollup recomputed from the log, after a bulk load that ran without the triggers.
pub fn rebuild(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "DELETE FROM stat_steps; DELETE FROM stat_opt_outs; DELETE FROM stat_calls; \
         DELETE FROM stat_variants; DELETE FROM stat_exits; DELETE FROM stat_channels; \
         DELETE FROM stat_days;",
    )?;
    conn.execute_batch(BACKFILL)?;
    conn.execute_batch(CHANNELS_FILL)?;
    conn.execute_batch(&days_fill())?;
    conn.execute_batch(&super::responses::fill())?;
    conn.execute_batch(super::response_days::fill())?;
    conn.execute_batch(super::after_reply::fill())?;
    conn.execute_batch(super::after_reply_days::fill())?;
    conn.execute_batch(&super::call_slots::fill())
}

/// What the header counts as done on a day: worked touches, and steps the rep skipped by
/// hand. `p` prefixes the columns (`NEW.`, `OLD.` or nothing).
fn worked_today(p: &str) -> String {
    format!(
        "({p}is_touch = 1 OR ({p}outcome = 'skipped' AND {p}step IS NOT NULL \
         AND coalesce({p}reason, '') NOT LIKE 'skipped automatically%'))"
    )
}

fn days_fill() -> String {
    format!(
        "INSERT INTO stat_days (day, channel, n) \
         SELECT substr(at, 1, 10), coalesce(channel, ''), count(*) FROM touches \
         WHERE {} GROUP BY 1, 2;",
        worked_today("")
    )
}

/// Fills `stat_channels` from the log.
const CHANNELS_FILL: &str = "
INSERT INTO stat_channels (sequence, channel, day, n)
    SELECT sequence, channel, day, count(*) FROM (
        SELECT e.sequence AS sequence, t.channel AS channel, substr(min(t.at), 1, 10) AS day
        FROM touches t JOIN enrollments e ON e.id = t.enrollment_id
        WHERE t.is_touch = 1 AND t.channel IS NOT NULL GROUP BY t.enrollment_id, t.channel
    ) WHERE true GROUP BY 1, 2, 3;
";
