//! Meetings held and conversations won by day (migration 26), what a period of Stats reads:
//! each key row of `after_reply.rs` carries the day of its enrollment's first held (or won)
//! row for that step, and the totals are kept per day. An enrollment counts in the period
//! that first one falls in.

/// The day column on the key rows and the totals per day.
pub const V26: &str = "
ALTER TABLE stat_after_reply_keys ADD COLUMN day TEXT;
CREATE TABLE stat_after_reply_days (
    day      TEXT NOT NULL,
    sequence TEXT NOT NULL,
    step     INTEGER NOT NULL,
    measure  TEXT NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (day, sequence, step, measure)
) WITHOUT ROWID;
";

/// The day of the first held or won row behind the key row `{k}` (`NEW` or `OLD`).
fn first_day(k: &str) -> String {
    format!(
        "(SELECT date(min(t.at)) FROM touches t WHERE t.enrollment_id = {k}.enrollment_id \
         AND (t.code >> 4) & 31 = 31 AND t.outcome = {k}.measure \
         AND coalesce(t.attributed_step, -1) = {k}.step)"
    )
}

/// A total of the day `{d}` for the key row `{k}`, moved by `{by}`; one that falls to
/// nothing goes.
fn move_total(d: &str, k: &str, by: i64) -> String {
    format!(
        "INSERT INTO stat_after_reply_days (day, sequence, step, measure, n) \
         VALUES ({d}, {k}.sequence, {k}.step, {k}.measure, {by}) \
         ON CONFLICT DO UPDATE SET n = n + excluded.n; \
         DELETE FROM stat_after_reply_days WHERE day = {d} AND sequence = {k}.sequence \
         AND step = {k}.step AND measure = {k}.measure AND n <= 0;"
    )
}

/// The triggers: a key row made takes its first day and counts there; one removed leaves
/// it; a day that moves (a held row logged earlier than the first, or the first undone)
/// moves its count. The log's own held and won rows move the day.
fn triggers() -> String {
    let key = "enrollment_id = {k}.enrollment_id AND measure = {k}.measure AND step = {k}.step";
    let new_key = key.replace("{k}", "NEW");
    let touch_key = "enrollment_id = {k}.enrollment_id AND measure = {k}.outcome \
        AND step = coalesce({k}.attributed_step, -1)";
    let earlier = touch_key.replace("{k}", "NEW");
    let later = touch_key.replace("{k}", "OLD");
    let remaining = "(SELECT date(min(t.at)) FROM touches t \
        WHERE t.enrollment_id = OLD.enrollment_id AND (t.code >> 4) & 31 = 31 \
        AND t.outcome = OLD.outcome \
        AND coalesce(t.attributed_step, -1) = coalesce(OLD.attributed_step, -1))";
    format!(
        "CREATE TRIGGER stat_after_reply_day_in AFTER INSERT ON stat_after_reply_keys BEGIN
    UPDATE stat_after_reply_keys SET day = {first} WHERE {new_key};
    {add}
END;
CREATE TRIGGER stat_after_reply_day_out AFTER DELETE ON stat_after_reply_keys
WHEN OLD.day IS NOT NULL BEGIN
    {take}
END;
CREATE TRIGGER stat_after_reply_day_moved AFTER UPDATE OF day ON stat_after_reply_keys
WHEN OLD.day IS NOT NULL AND OLD.day IS NOT NEW.day BEGIN
    {take}
    {add_new}
END;
CREATE TRIGGER stat_after_reply_day_earlier AFTER INSERT ON touches
WHEN (NEW.code >> 4) & 31 = 31 AND NEW.outcome IN ('held', 'won') BEGIN
    UPDATE stat_after_reply_keys SET day = date(NEW.at) WHERE {earlier} AND day > date(NEW.at);
END;
CREATE TRIGGER stat_after_reply_day_later AFTER DELETE ON touches
WHEN (OLD.code >> 4) & 31 = 31 AND OLD.outcome IN ('held', 'won') BEGIN
    UPDATE stat_after_reply_keys SET day = {remaining}
    WHERE {later} AND {remaining} IS NOT NULL;
END;",
        first = first_day("NEW"),
        add = move_total(
            &format!("(SELECT day FROM stat_after_reply_keys WHERE {new_key})"),
            "NEW",
            1
        ),
        take = move_total("OLD.day", "OLD", -1),
        add_new = move_total("NEW.day", "NEW", 1),
    )
}

/// The days on every key row and the totals per day, worked out again from the log and the
/// key rows (whether the triggers are on or off).
pub fn fill() -> &'static str {
    "UPDATE stat_after_reply_keys SET day = f.first FROM (
         SELECT t.enrollment_id, t.outcome, coalesce(t.attributed_step, -1) AS step,
         date(min(t.at)) AS first FROM touches t INDEXED BY touches_conversation
         WHERE (t.code >> 4) & 31 = 31 AND t.outcome IN ('held', 'won') GROUP BY 1, 2, 3) f
     WHERE f.enrollment_id = stat_after_reply_keys.enrollment_id
     AND f.outcome = stat_after_reply_keys.measure AND f.step = stat_after_reply_keys.step;
     DELETE FROM stat_after_reply_days;
     INSERT INTO stat_after_reply_days (day, sequence, step, measure, n)
     SELECT day, sequence, step, measure, count(*) FROM stat_after_reply_keys
     GROUP BY 1, 2, 3, 4;"
}

/// Migration 26's part: the column and table, filled, then the triggers.
pub fn migrate(tx: &rusqlite::Transaction) -> rusqlite_migration::HookResult {
    tx.execute_batch(V26)?;
    tx.execute_batch(fill())?;
    tx.execute_batch(&triggers())?;
    Ok(())
}

/// The text of migration 26 as it runs, for the pin that keeps released migrations unedited.
#[cfg(test)]
pub fn released_text() -> String {
    format!("{V26}{}", triggers())
}
