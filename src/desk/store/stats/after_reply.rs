//! The funnel after the reply, all time (migration 23): how many enrollments had a meeting
//! held and how many were won, per sequence and the step their reply was credited to. These
//! count distinct enrollments, so each enrollment keeps one key row per (measure, step) it
//! counts towards, and the totals move when a key row comes or goes. The log's triggers
//! keep both in the same transaction as the held or won row itself. A period reads its own
//! rows through `touches_conversation`.

/// The tables, and the triggers that keep them from the log.
const SCHEMA: &str = "
CREATE TABLE stat_after_reply_keys (
    enrollment_id INTEGER NOT NULL,
    measure       TEXT NOT NULL,
    step          INTEGER NOT NULL,
    sequence      TEXT NOT NULL,
    PRIMARY KEY (enrollment_id, measure, step)
) WITHOUT ROWID;
CREATE TABLE stat_after_reply (
    sequence TEXT NOT NULL,
    step     INTEGER NOT NULL,
    measure  TEXT NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (sequence, step, measure)
) WITHOUT ROWID;
";

/// The triggers: a held or won row adds its enrollment's key (once); removing the last such
/// row takes it away; each key moves its total, and a total that falls to nothing goes, so
/// an undo leaves the tables as they were.
const TRIGGERS: &str = "
CREATE TRIGGER stat_after_reply_key_in AFTER INSERT ON stat_after_reply_keys BEGIN
    INSERT INTO stat_after_reply (sequence, step, measure, n)
    VALUES (NEW.sequence, NEW.step, NEW.measure, 1)
    ON CONFLICT (sequence, step, measure) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER stat_after_reply_key_out AFTER DELETE ON stat_after_reply_keys BEGIN
    UPDATE stat_after_reply SET n = n - 1
    WHERE sequence = OLD.sequence AND step = OLD.step AND measure = OLD.measure;
    DELETE FROM stat_after_reply
    WHERE sequence = OLD.sequence AND step = OLD.step AND measure = OLD.measure AND n <= 0;
END;
CREATE TRIGGER stat_after_reply_in AFTER INSERT ON touches
WHEN (NEW.code >> 4) & 31 = 31 AND NEW.outcome IN ('held', 'won') BEGIN
    INSERT OR IGNORE INTO stat_after_reply_keys (enrollment_id, measure, step, sequence)
    SELECT NEW.enrollment_id, NEW.outcome, coalesce(NEW.attributed_step, -1), e.sequence
    FROM enrollments e WHERE e.id = NEW.enrollment_id;
END;
CREATE TRIGGER stat_after_reply_out AFTER DELETE ON touches
WHEN (OLD.code >> 4) & 31 = 31 AND OLD.outcome IN ('held', 'won') BEGIN
    DELETE FROM stat_after_reply_keys
    WHERE enrollment_id = OLD.enrollment_id AND measure = OLD.outcome
    AND step = coalesce(OLD.attributed_step, -1)
    AND NOT EXISTS (SELECT 1 FROM touches t WHERE t.enrollment_id = OLD.enrollment_id
        AND (t.code >> 4) & 31 = 31 AND t.outcome = OLD.outcome
        AND coalesce(t.attributed_step, -1) = coalesce(OLD.attributed_step, -1));
END;
";

/// The key rows and totals recomputed from the log, whether the triggers are on or off
/// (a bulk load takes them off).
pub fn fill() -> &'static str {
    "DELETE FROM stat_after_reply_keys;
     INSERT OR IGNORE INTO stat_after_reply_keys (enrollment_id, measure, step, sequence)
     SELECT t.enrollment_id, t.outcome, coalesce(t.attributed_step, -1), e.sequence
     FROM touches t INDEXED BY touches_conversation
     CROSS JOIN enrollments e ON e.id = t.enrollment_id
     WHERE (t.code >> 4) & 31 = 31 AND t.outcome IN ('held', 'won');
     DELETE FROM stat_after_reply;
     INSERT INTO stat_after_reply (sequence, step, measure, n)
     SELECT sequence, step, measure, count(*) FROM stat_after_reply_keys GROUP BY 1, 2, 3;"
}

/// Migration 23's part: the tables, filled from the log, then the triggers.
pub fn migrate(tx: &rusqlite::Transaction) -> rusqlite_migration::HookResult {
    tx.execute_batch(SCHEMA)?;
    tx.execute_batch(fill())?;
    tx.execute_batch(TRIGGERS)?;
    Ok(())
}
