//! The responses by day (migration 25), what a period of Stats reads: each enrollment's
//! key rows (`responses.rs`) carry the day it first answered, and the totals are kept per
//! day, so a period sums a few rows a day, however big the log. An enrollment counts in the
//! period its first answer falls in, with every step it answered (a period is "who answered
//! for the first time in it").

/// The day column on the key rows and the totals per day.
pub const V25: &str = "
ALTER TABLE stat_response_keys ADD COLUMN day TEXT;
CREATE TABLE stat_response_days (
    day      TEXT NOT NULL,
    sequence TEXT NOT NULL,
    measure  TEXT NOT NULL,
    step     INTEGER NOT NULL,
    label    NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (day, sequence, measure, step, label)
) WITHOUT ROWID;
";

/// A key row, by its primary key, in a trigger on `stat_response_keys`.
const THE_KEY: &str = "enrollment_id = NEW.enrollment_id AND measure = NEW.measure \
    AND step = NEW.step AND label = NEW.label";

/// The triggers: a key row written (by the response triggers of migration 19, which work an
/// enrollment's rows out again whenever its responses change) takes its enrollment's first
/// answer's day and adds to that day's total; a key row removed takes from the total it
/// added to, and a total that falls to nothing goes.
fn triggers() -> String {
    format!(
        "CREATE TRIGGER stat_response_day_in AFTER INSERT ON stat_response_keys BEGIN
    UPDATE stat_response_keys SET day = (SELECT date(min(t.at)) FROM touches t
        INDEXED BY touches_responses
        WHERE t.enrollment_id = NEW.enrollment_id AND t.outcome IN ('replied', 'meeting'))
    WHERE {THE_KEY};
    INSERT INTO stat_response_days (day, sequence, measure, step, label, n)
    SELECT day, sequence, measure, step, label, 1 FROM stat_response_keys WHERE {THE_KEY}
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER stat_response_day_out AFTER DELETE ON stat_response_keys BEGIN
    UPDATE stat_response_days SET n = n - 1 WHERE day = OLD.day
    AND sequence = OLD.sequence AND measure = OLD.measure AND step = OLD.step
    AND label = OLD.label;
    DELETE FROM stat_response_days WHERE day = OLD.day
    AND sequence = OLD.sequence AND measure = OLD.measure AND step = OLD.step
    AND label = OLD.label AND n <= 0;
END;"
    )
}

/// The days on every key row and the totals per day, worked out again from the log and the
/// key rows (whether the triggers are on or off).
pub fn fill() -> &'static str {
    "UPDATE stat_response_keys SET day = f.first FROM (
         SELECT t.enrollment_id, date(min(t.at)) AS first FROM touches t
         INDEXED BY touches_responses
         WHERE t.enrollment_id IS NOT NULL AND t.outcome IN ('replied', 'meeting')
         GROUP BY t.enrollment_id) f
     WHERE f.enrollment_id = stat_response_keys.enrollment_id;
     DELETE FROM stat_response_days;
     INSERT INTO stat_response_days (day, sequence, measure, step, label, n)
     SELECT day, sequence, measure, step, label, count(*) FROM stat_response_keys
     GROUP BY 1, 2, 3, 4, 5;"
}

/// Migration 25's part: the column and table, filled, then the triggers.
pub fn migrate(tx: &rusqlite::Transaction) -> rusqlite_migration::HookResult {
    tx.execute_batch(V25)?;
    tx.execute_batch(fill())?;
    tx.execute_batch(&triggers())?;
    Ok(())
}

/// The text of migration 25 as it runs, for the pin that keeps released migrations unedited.
#[cfg(test)]
pub fn released_text() -> String {
    format!("{V25}{}", triggers())
}
