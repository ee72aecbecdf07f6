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
//! This text is a released migration: append a new one rather than changing it.

/// `status` of an enrollment that has exited.
const CLOSED: &str = "status NOT IN ('active', 'paused')";

const TABLES: &str = r#"
-- Touches worked, bounces and opt-outs per sequence, step (0-based), day and channel.
CREATE TABLE stat_steps (
    sequence TEXT NOT NULL,
    step     INTEGER NOT NULL,
    day      TEXT NOT NULL,
    channel  TEXT NOT NULL,
    touches  INTEGER NOT NULL,
    bounces  INTEGER NOT NULL,
    opt_outs INTEGER NOT NULL,
    PRIMARY KEY (sequence, step, day, channel)
) WITHOUT ROWID;
-- Every opt-out record; sequence '' when it belongs to no enrollment.
CREATE TABLE stat_opt_outs (
    sequence TEXT NOT NULL,
    day      TEXT NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (sequence, day)
) WITHOUT ROWID;
-- Calls per prospect zone ('' when unknown) and hour of the log ('YYYY-MM-DD HH').
CREATE TABLE stat_calls (
    sequence  TEXT NOT NULL,
    timezone  TEXT NOT NULL,
    hour      TEXT NOT NULL,
    calls     INTEGER NOT NULL,
    connected INTEGER NOT NULL,
    PRIMARY KEY (sequence, timezone, hour)
) WITHOUT ROWID;
-- Touches per variant; `replied`: those whose enrollment has a response credited to the step.
CREATE TABLE stat_variants (
    sequence TEXT NOT NULL,
    step     INTEGER NOT NULL,
    variant  TEXT NOT NULL,
    day      TEXT NOT NULL,
    touches  INTEGER NOT NULL,
    replied  INTEGER NOT NULL,
    PRIMARY KEY (sequence, step, variant, day)
) WITHOUT ROWID;
-- Closed enrollments per day closed ('' when unknown) and touches received.
CREATE TABLE stat_exits (
    sequence TEXT NOT NULL,
    day      TEXT NOT NULL,
    touches  INTEGER NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (sequence, day, touches)
) WITHOUT ROWID;
-- The few response rows, and each enrollment's worked touches, without reading message bodies.
CREATE INDEX touches_responses ON touches(enrollment_id, attributed_step, outcome, at)
    WHERE outcome IN ('replied', 'meeting');
CREATE INDEX touches_worked ON touches(enrollment_id, at) WHERE is_touch = 1;
"#;

/// Whether an enrollment has a response credited to step `step` other than row `id`.
fn responded(enrollment: &str, step: &str, id: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM touches r INDEXED BY touches_responses \
         WHERE r.enrollment_id = {enrollment} AND r.attributed_step = {step} \
         AND r.outcome IN ('replied', 'meeting') AND r.id <> {id})"
    )
}

/// Worked touches of enrollment `e` (after the change that fires the trigger).
fn worked(e: &str) -> String {
    format!("(SELECT count(*) FROM touches w WHERE w.enrollment_id = {e} AND w.is_touch = 1)")
}

/// Adds `sign` times the exit of enrollment row `e` (NEW or OLD) with `n` touches.
fn exit(e: &str, n: &str, sign: i32) -> String {
    format!(
        "INSERT INTO stat_exits (sequence, day, touches, n) \
         SELECT {e}.sequence, coalesce(substr({e}.closed_at, 1, 10), ''), {n}, {sign} \
         WHERE {e}.{CLOSED} \
         ON CONFLICT DO UPDATE SET n = n + excluded.n;\n\
         DELETE FROM stat_exits WHERE n = 0 AND sequence = {e}.sequence \
         AND day = coalesce(substr({e}.closed_at, 1, 10), '');\n"
    )
}

/// The statements that add `sign` times touch row `t` (NEW or OLD) to every rollup.
fn touch(t: &str, sign: i32) -> String {
    let upd = "ON CONFLICT DO UPDATE SET";
    let responded_here = format!(
        "({} OR ({t}.outcome IN ('replied', 'meeting') AND {t}.attributed_step = {t}.step))",
        responded(
            &format!("{t}.enrollment_id"),
            &format!("{t}.step"),
            &format!("{t}.id")
        )
    );
    // When this row is an enrollment's first response to a step (or was its last), every
    // worked touch of that step changes between replied and not.
    let flip = format!(
        "INSERT INTO stat_variants (sequence, step, variant, day, touches, replied) \
         SELECT e.sequence, w.step, coalesce(w.variant, ''), substr(w.at, 1, 10), 0, {sign} \
         FROM touches w JOIN enrollments e ON e.id = w.enrollment_id \
         WHERE {t}.outcome IN ('replied', 'meeting') AND w.enrollment_id = {t}.enrollment_id \
         AND w.is_touch = 1 AND w.step = {t}.attributed_step AND w.id <> {t}.id AND NOT {} \
         {upd} replied = replied + excluded.replied;\n",
        responded(
            &format!("{t}.enrollment_id"),
            &format!("{t}.attributed_step"),
            &format!("{t}.id")
        )
    );
    // A worked touch on a closed enrollment moves it from one touches-before-exit bucket to
    // the next (`n` is counted after the change).
    let before = if sign > 0 { "- 1" } else { "+ 1" };
    let moved = format!(
        "INSERT INTO stat_exits (sequence, day, touches, n) \
         SELECT e.sequence, coalesce(substr(e.closed_at, 1, 10), ''), {w} {before}, -1 \
         FROM enrollments e WHERE e.id = {t}.enrollment_id AND {t}.is_touch = 1 AND e.{CLOSED} \
         {upd} n = n + excluded.n;\n\
         INSERT INTO stat_exits (sequence, day, touches, n) \
         SELECT e.sequence, coalesce(substr(e.closed_at, 1, 10), ''), {w}, 1 \
         FROM enrollments e WHERE e.id = {t}.enrollment_id AND {t}.is_touch = 1 AND e.{CLOSED} \
         {upd} n = n + excluded.n;\n\
         DELETE FROM stat_exits WHERE n = 0 AND (sequence, day) IN \
         (SELECT e.sequence, coalesce(substr(e.closed_at, 1, 10), '') FROM enrollments e \
         WHERE e.id = {t}.enrollment_id);\n",
        w = worked(&format!("{t}.enrollment_id")),
    );
    format!(
        "INSERT INTO stat_steps (sequence, step, day, channel, touches, bounces, opt_outs) \
         SELECT e.sequence, {t}.step, substr({t}.at, 1, 10), coalesce({t}.channel, ''), \
         {sign} * ({t}.is_touch = 1), {sign} * ({t}.is_touch = 1 AND {t}.outcome = 'bounced'), \
         {sign} * ({t}.outcome = 'opted-out') \
         FROM enrollments e WHERE e.id = {t}.enrollment_id AND {t}.step IS NOT NULL \
         AND ({t}.is_touch = 1 OR {t}.outcome = 'opted-out') \
         {upd} touches = touches + excluded.touches, bounces = bounces + excluded.bounces, \
         opt_outs = opt_outs + excluded.opt_outs;\n\
         INSERT INTO stat_opt_outs (sequence, day, n) \
         SELECT coalesce((SELECT sequence FROM enrollments WHERE id = {t}.enrollment_id), ''), \
         substr({t}.at, 1, 10), {sign} WHERE {t}.outcome = 'opted-out' \
         {upd} n = n + excluded.n;\n\
         INSERT INTO stat_calls (sequence, timezone, hour, calls, connected) \
         SELECT e.sequence, coalesce(p.timezone, ''), substr({t}.at, 1, 13), {sign}, \
         {sign} * ({t}.outcome = 'connected') \
         FROM enrollments e, prospects p WHERE e.id = {t}.enrollment_id \
         AND p.id = {t}.prospect_id AND {t}.is_touch = 1 AND {t}.channel = 'call' \
         {upd} calls = calls + excluded.calls, connected = connected + excluded.connected;\n\
         INSERT INTO stat_variants (sequence, step, variant, day, touches, replied) \
         SELECT e.sequence, {t}.step, coalesce({t}.variant, ''), substr({t}.at, 1, 10), \
         {sign}, {sign} * {responded_here} \
         FROM enrollments e WHERE e.id = {t}.enrollment_id AND {t}.is_touch = 1 \
         AND {t}.step IS NOT NULL \
         {upd} touches = touches + excluded.touches, replied = replied + excluded.replied;\n\
         {flip}{moved}{tidy}",
        tidy = if sign < 0 { tidy(t) } else { String::new() },
    )
}

/// Deletes the rows a removed touch left at zero, so undo leaves the rollups as they were.
fn tidy(t: &str) -> String {
    let seq = format!("(SELECT sequence FROM enrollments WHERE id = {t}.enrollment_id)");
    format!(
        "DELETE FROM stat_steps WHERE touches = 0 AND bounces = 0 AND opt_outs = 0 \
         AND sequence = {seq} AND step = {t}.step AND day = substr({t}.at, 1, 10);\n\
         DELETE FROM stat_opt_outs WHERE n = 0 AND sequence = coalesce({seq}, '') \
         AND day = substr({t}.at, 1, 10);\n\
         DELETE FROM stat_calls WHERE calls = 0 AND connected = 0 AND sequence = {seq} \
         AND timezone = coalesce((SELECT timezone FROM prospects WHERE id = {t}.prospect_id), '') \
         AND hour = substr({t}.at, 1, 13);\n\
         DELETE FROM stat_variants WHERE touches = 0 AND replied = 0 AND sequence = {seq} \
         AND step IN ({t}.step, {t}.attributed_step);\n"
    )
}

/// Moves a prospect's calls to its new zone.
fn zone_change() -> String {
    let mut sql = String::new();
    for (row, sign) in [("OLD", -1), ("NEW", 1)] {
        sql.push_str(&format!(
            "INSERT INTO stat_calls (sequence, timezone, hour, calls, connected) \
             SELECT e.sequence, coalesce({row}.timezone, ''), substr(t.at, 1, 13), {sign}, \
             {sign} * (t.outcome = 'connected') \
             FROM touches t JOIN enrollments e ON e.id = t.enrollment_id \
             WHERE t.prospect_id = {row}.id AND t.is_touch = 1 AND t.channel = 'call' \
             ON CONFLICT DO UPDATE SET calls = calls + excluded.calls, \
             connected = connected + excluded.connected;\n"
        ));
    }
    sql.push_str(
        "DELETE FROM stat_calls WHERE calls = 0 AND connected = 0 \
         AND timezone = coalesce(OLD.timezone, '');\n",
    );
    sql
}

const BACKFILL: &str = r#"
INSERT INTO stat_steps
SELECT e.sequence, t.step, substr(t.at, 1, 10), coalesce(t.channel, ''), sum(t.is_touch = 1),
       sum(t.is_touch = 1 AND t.outcome = 'bounced'), sum(t.outcome = 'opted-out')
FROM touches t JOIN enrollments e ON e.id = t.enrollment_id
WHERE t.step IS NOT NULL AND (t.is_touch = 1 OR t.outcome = 'opted-out')
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

/// The whole V4 migration: tables, indexes, triggers, and the rollups of the existing log.
pub fn migration() -> String {
    let mut sql = String::from(TABLES);
    sql.push_str(&format!(
        "CREATE TRIGGER stat_touch_in AFTER INSERT ON touches BEGIN\n{}END;\n",
        touch("NEW", 1)
    ));
    sql.push_str(&format!(
        "CREATE TRIGGER stat_touch_out AFTER DELETE ON touches BEGIN\n{}END;\n",
        touch("OLD", -1)
    ));
    let n_new = worked("NEW.id");
    let n_old = worked("OLD.id");
    sql.push_str(&format!(
        "CREATE TRIGGER stat_enrollment_in AFTER INSERT ON enrollments WHEN NEW.{CLOSED} \
         BEGIN\n{}END;\n",
        exit("NEW", &n_new, 1)
    ));
    // Only exits matter here; most updates move an open enrollment along and skip this.
    sql.push_str(&format!(
        "CREATE TRIGGER stat_enrollment_update AFTER UPDATE ON enrollments \
         WHEN OLD.{CLOSED} OR NEW.{CLOSED} BEGIN\n{}{}END;\n",
        exit("OLD", &n_old, -1),
        exit("NEW", &n_new, 1)
    ));
    sql.push_str(&format!(
        "CREATE TRIGGER stat_enrollment_out AFTER DELETE ON enrollments WHEN OLD.{CLOSED} \
         BEGIN\n{}END;\n",
        exit("OLD", &n_old, -1)
    ));
    sql.push_str(&format!(
        "CREATE TRIGGER stat_zone AFTER UPDATE OF timezone ON prospects \
         WHEN OLD.timezone IS NOT NEW.timezone BEGIN\n{}END;\n",
        zone_change()
    ));
    sql.push_str(BACKFILL);
    sql
}

/// Migration V8: the channel rollup, its triggers, and its rows for the existing log.
pub fn channels_migration() -> String {
    format!("{CHANNELS}{CHANNELS_FILL}")
}

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

/// Migration V18's rollup: touches done per day and channel ('' when none), for the
/// header's "done today" without an index on the whole log's times.
pub fn days_migration() -> String {
    format!(
        "CREATE TABLE stat_days (
            day     TEXT NOT NULL,
            channel TEXT NOT NULL,
            n       INTEGER NOT NULL,
            PRIMARY KEY (day, channel)
        ) WITHOUT ROWID;
        CREATE TRIGGER stat_day_in AFTER INSERT ON touches WHEN {new} BEGIN
            INSERT INTO stat_days (day, channel, n)
            VALUES (substr(NEW.at, 1, 10), coalesce(NEW.channel, ''), 1)
            ON CONFLICT DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER stat_day_out AFTER DELETE ON touches WHEN {old} BEGIN
            UPDATE stat_days SET n = n - 1
            WHERE day = substr(OLD.at, 1, 10) AND channel = coalesce(OLD.channel, '');
            DELETE FROM stat_days WHERE n = 0 AND day = substr(OLD.at, 1, 10);
        END;
        {}",
        days_fill(),
        new = worked_today("NEW."),
        old = worked_today("OLD."),
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

/// Prospects who got each channel: an enrollment counts once per channel, on the day of its
/// first touch there, so a per-channel rate divides by people, not by touches. Kept by
/// triggers like the rest; an undone first touch hands the count to the next one, if any.
const CHANNELS: &str = "
CREATE TABLE stat_channels (
    sequence TEXT NOT NULL,
    channel  TEXT NOT NULL,
    day      TEXT NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (sequence, channel, day)
) WITHOUT ROWID;
CREATE TRIGGER stat_channel_in AFTER INSERT ON touches
    WHEN NEW.is_touch = 1 AND NEW.channel IS NOT NULL AND NEW.enrollment_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM touches t WHERE t.enrollment_id = NEW.enrollment_id
        AND t.is_touch = 1 AND t.channel = NEW.channel AND t.id != NEW.id)
BEGIN
    INSERT INTO stat_channels (sequence, channel, day, n)
        SELECT e.sequence, NEW.channel, substr(NEW.at, 1, 10), 1
        FROM enrollments e WHERE e.id = NEW.enrollment_id
        ON CONFLICT (sequence, channel, day) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER stat_channel_out AFTER DELETE ON touches
    WHEN OLD.is_touch = 1 AND OLD.channel IS NOT NULL AND OLD.enrollment_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM touches t WHERE t.enrollment_id = OLD.enrollment_id
        AND t.is_touch = 1 AND t.channel = OLD.channel
        AND (t.at < OLD.at OR (t.at = OLD.at AND t.id < OLD.id)))
BEGIN
    UPDATE stat_channels SET n = n - 1
        WHERE sequence = (SELECT sequence FROM enrollments WHERE id = OLD.enrollment_id)
        AND channel = OLD.channel AND day = substr(OLD.at, 1, 10);
    INSERT INTO stat_channels (sequence, channel, day, n)
        SELECT e.sequence, OLD.channel, substr(t.at, 1, 10), 1
        FROM touches t JOIN enrollments e ON e.id = t.enrollment_id
        WHERE t.enrollment_id = OLD.enrollment_id AND t.is_touch = 1
        AND t.channel = OLD.channel ORDER BY t.at, t.id LIMIT 1
        ON CONFLICT (sequence, channel, day) DO UPDATE SET n = n + 1;
    DELETE FROM stat_channels WHERE n = 0;
END;
";

/// Fills `stat_channels` from the log.
const CHANNELS_FILL: &str = "
INSERT INTO stat_channels (sequence, channel, day, n)
    SELECT sequence, channel, day, count(*) FROM (
        SELECT e.sequence AS sequence, t.channel AS channel, substr(min(t.at), 1, 10) AS day
        FROM touches t JOIN enrollments e ON e.id = t.enrollment_id
        WHERE t.is_touch = 1 AND t.channel IS NOT NULL GROUP BY t.enrollment_id, t.channel
    ) WHERE true GROUP BY 1, 2, 3;
";
