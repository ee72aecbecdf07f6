
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
CREATE TRIGGER stat_touch_in AFTER INSERT ON touches BEGIN
INSERT INTO stat_steps (sequence, step, day, channel, touches, bounces, opt_outs) SELECT e.sequence, NEW.step, substr(NEW.at, 1, 10), coalesce(NEW.channel, ''), 1 * (NEW.is_touch = 1), 1 * (NEW.is_touch = 1 AND NEW.outcome = 'bounced'), 1 * (NEW.outcome = 'opted-out') FROM enrollments e WHERE e.id = NEW.enrollment_id AND NEW.step IS NOT NULL AND (NEW.is_touch = 1 OR NEW.outcome = 'opted-out') ON CONFLICT DO UPDATE SET touches = touches + excluded.touches, bounces = bounces + excluded.bounces, opt_outs = opt_outs + excluded.opt_outs;
INSERT INTO stat_opt_outs (sequence, day, n) SELECT coalesce((SELECT sequence FROM enrollments WHERE id = NEW.enrollment_id), ''), substr(NEW.at, 1, 10), 1 WHERE NEW.outcome = 'opted-out' ON CONFLICT DO UPDATE SET n = n + excluded.n;
INSERT INTO stat_calls (sequence, timezone, hour, calls, connected) SELECT e.sequence, coalesce(p.timezone, ''), substr(NEW.at, 1, 13), 1, 1 * (NEW.outcome = 'connected') FROM enrollments e, prospects p WHERE e.id = NEW.enrollment_id AND p.id = NEW.prospect_id AND NEW.is_touch = 1 AND NEW.channel = 'call' ON CONFLICT DO UPDATE SET calls = calls + excluded.calls, connected = connected + excluded.connected;
INSERT INTO stat_variants (sequence, step, variant, day, touches, replied) SELECT e.sequence, NEW.step, coalesce(NEW.variant, ''), substr(NEW.at, 1, 10), 1, 1 * (EXISTS (SELECT 1 FROM touches r INDEXED BY touches_responses WHERE r.enrollment_id = NEW.enrollment_id AND r.attributed_step = NEW.step AND r.outcome IN ('replied', 'meeting') AND r.id <> NEW.id) OR (NEW.outcome IN ('replied', 'meeting') AND NEW.attributed_step = NEW.step)) FROM enrollments e WHERE e.id = NEW.enrollment_id AND NEW.is_touch = 1 AND NEW.step IS NOT NULL ON CONFLICT DO UPDATE SET touches = touches + excluded.touches, replied = replied + excluded.replied;
INSERT INTO stat_variants (sequence, step, variant, day, touches, replied) SELECT e.sequence, w.step, coalesce(w.variant, ''), substr(w.at, 1, 10), 0, 1 FROM touches w JOIN enrollments e ON e.id = w.enrollment_id WHERE NEW.outcome IN ('replied', 'meeting') AND w.enrollment_id = NEW.enrollment_id AND w.is_touch = 1 AND w.step = NEW.attributed_step AND w.id <> NEW.id AND NOT EXISTS (SELECT 1 FROM touches r INDEXED BY touches_responses WHERE r.enrollment_id = NEW.enrollment_id AND r.attributed_step = NEW.attributed_step AND r.outcome IN ('replied', 'meeting') AND r.id <> NEW.id) ON CONFLICT DO UPDATE SET replied = replied + excluded.replied;
INSERT INTO stat_exits (sequence, day, touches, n) SELECT e.sequence, coalesce(substr(e.closed_at, 1, 10), ''), (SELECT count(*) FROM touches w WHERE w.enrollment_id = NEW.enrollment_id AND w.is_touch = 1) - 1, -1 FROM enrollments e WHERE e.id = NEW.enrollment_id AND NEW.is_touch = 1 AND e.status NOT IN ('active', 'paused') ON CONFLICT DO UPDATE SET n = n + excluded.n;
INSERT INTO stat_exits (sequence, day, touches, n) SELECT e.sequence, coalesce(substr(e.closed_at, 1, 10), ''), (SELECT count(*) FROM touches w WHERE w.enrollment_id = NEW.enrollment_id AND w.is_touch = 1), 1 FROM enrollments e WHERE e.id = NEW.enrollment_id AND NEW.is_touch = 1 AND e.status NOT IN ('active', 'paused') ON CONFLICT DO UPDATE SET n = n + excluded.n;
DELETE FROM stat_exits WHERE n = 0 AND (sequence, day) IN (SELECT e.sequence, coalesce(substr(e.closed_at, 1, 10), '') FROM enrollments e WHERE e.id = NEW.enrollment_id);
END;
CREATE TRIGGER stat_touch_out AFTER DELETE ON touches BEGIN
INSERT INTO stat_steps (sequence, step, day, channel, touches, bounces, opt_outs) SELECT e.sequence, OLD.step, substr(OLD.at, 1, 10), coalesce(OLD.channel, ''), -1 * (OLD.is_touch = 1), -1 * (OLD.is_touch = 1 AND OLD.outcome = 'bounced'), -1 * (OLD.outcome = 'opted-out') FROM enrollments e WHERE e.id = OLD.enrollment_id AND OLD.step IS NOT NULL AND (OLD.is_touch = 1 OR OLD.outcome = 'opted-out') ON CONFLICT DO UPDATE SET touches = touches + excluded.touches, bounces = bounces + excluded.bounces, opt_outs = opt_outs + excluded.opt_outs;
INSERT INTO stat_opt_outs (sequence, day, n) SELECT coalesce((SELECT sequence FROM enrollments WHERE id = OLD.enrollment_id), ''), substr(OLD.at, 1, 10), -1 WHERE OLD.outcome = 'opted-out' ON CONFLICT DO UPDATE SET n = n + excluded.n;
INSERT INTO stat_calls (sequence, timezone, hour, calls, connected) SELECT e.sequence, coalesce(p.timezone, ''), substr(OLD.at, 1, 13), -1, -1 * (OLD.outcome = 'connected') FROM enrollments e, prospects p WHERE e.id = OLD.enrollment_id AND p.id = OLD.prospect_id AND OLD.is_touch = 1 AND OLD.channel = 'call' ON CONFLICT DO UPDATE SET calls = calls + excluded.calls, connected = connected + excluded.connected;
INSERT INTO stat_variants (sequence, step, variant, day, touches, replied) SELECT e.sequence, OLD.step, coalesce(OLD.variant, ''), substr(OLD.at, 1, 10), -1, -1 * (EXISTS (SELECT 1 FROM touches r INDEXED BY touches_responses WHERE r.enrollment_id = OLD.enrollment_id AND r.attributed_step = OLD.step AND r.outcome IN ('replied', 'meeting') AND r.id <> OLD.id) OR (OLD.outcome IN ('replied', 'meeting') AND OLD.attributed_step = OLD.step)) FROM enrollments e WHERE e.id = OLD.enrollment_id AND OLD.is_touch = 1 AND OLD.step IS NOT NULL ON CONFLICT DO UPDATE SET touches = touches + excluded.touches, replied = replied + excluded.replied;
INSERT INTO stat_variants (sequence, step, variant, day, touches, replied) SELECT e.sequence, w.step, coalesce(w.variant, ''), substr(w.at, 1, 10), 0, -1 FROM touches w JOIN enrollments e ON e.id = w.enrollment_id WHERE OLD.outcome IN ('replied', 'meeting') AND w.enrollment_id = OLD.enrollment_id AND w.is_touch = 1 AND w.step = OLD.attributed_step AND w.id <> OLD.id AND NOT EXISTS (SELECT 1 FROM touches r INDEXED BY touches_responses WHERE r.enrollment_id = OLD.enrollment_id AND r.attributed_step = OLD.attributed_step AND r.outcome IN ('replied', 'meeting') AND r.id <> OLD.id) ON CONFLICT DO UPDATE SET replied = replied + excluded.replied;
INSERT INTO stat_exits (sequence, day, touches, n) SELECT e.sequence, coalesce(substr(e.closed_at, 1, 10), ''), (SELECT count(*) FROM touches w WHERE w.enrollment_id = OLD.enrollment_id AND w.is_touch = 1) + 1, -1 FROM enrollments e WHERE e.id = OLD.enrollment_id AND OLD.is_touch = 1 AND e.status NOT IN ('active', 'paused') ON CONFLICT DO UPDATE SET n = n + excluded.n;
INSERT INTO stat_exits (sequence, day, touches, n) SELECT e.sequence, coalesce(substr(e.closed_at, 1, 10), ''), (SELECT count(*) FROM touches w WHERE w.enrollment_id = OLD.enrollment_id AND w.is_touch = 1), 1 FROM enrollments e WHERE e.id = OLD.enrollment_id AND OLD.is_touch = 1 AND e.status NOT IN ('active', 'paused') ON CONFLICT DO UPDATE SET n = n + excluded.n;
DELETE FROM stat_exits WHERE n = 0 AND (sequence, day) IN (SELECT e.sequence, coalesce(substr(e.closed_at, 1, 10), '') FROM enrollments e WHERE e.id = OLD.enrollment_id);
DELETE FROM stat_steps WHERE touches = 0 AND bounces = 0 AND opt_outs = 0 AND sequence = (SELECT sequence FROM enrollments WHERE id = OLD.enrollment_id) AND step = OLD.step AND day = substr(OLD.at, 1, 10);
DELETE FROM stat_opt_outs WHERE n = 0 AND sequence = coalesce((SELECT sequence FROM enrollments WHERE id = OLD.enrollment_id), '') AND day = substr(OLD.at, 1, 10);
DELETE FROM stat_calls WHERE calls = 0 AND connected = 0 AND sequence = (SELECT sequence FROM enrollments WHERE id = OLD.enrollment_id) AND timezone = coalesce((SELECT timezone FROM prospects WHERE id = OLD.prospect_id), '') AND hour = substr(OLD.at, 1, 13);
DELETE FROM stat_variants WHERE touches = 0 AND replied = 0 AND sequence = (SELECT sequence FROM enrollments WHERE id = OLD.enrollment_id) AND step IN (OLD.step, OLD.attributed_step);
END;
CREATE TRIGGER stat_enrollment_in AFTER INSERT ON enrollments WHEN NEW.status NOT IN ('active', 'paused') BEGIN
INSERT INTO stat_exits (sequence, day, touches, n) SELECT NEW.sequence, coalesce(substr(NEW.closed_at, 1, 10), ''), (SELECT count(*) FROM touches w WHERE w.enrollment_id = NEW.id AND w.is_touch = 1), 1 WHERE NEW.status NOT IN ('active', 'paused') ON CONFLICT DO UPDATE SET n = n + excluded.n;
DELETE FROM stat_exits WHERE n = 0 AND sequence = NEW.sequence AND day = coalesce(substr(NEW.closed_at, 1, 10), '');
END;
CREATE TRIGGER stat_enrollment_update AFTER UPDATE ON enrollments WHEN OLD.status NOT IN ('active', 'paused') OR NEW.status NOT IN ('active', 'paused') BEGIN
INSERT INTO stat_exits (sequence, day, touches, n) SELECT OLD.sequence, coalesce(substr(OLD.closed_at, 1, 10), ''), (SELECT count(*) FROM touches w WHERE w.enrollment_id = OLD.id AND w.is_touch = 1), -1 WHERE OLD.status NOT IN ('active', 'paused') ON CONFLICT DO UPDATE SET n = n + excluded.n;
DELETE FROM stat_exits WHERE n = 0 AND sequence = OLD.sequence AND day = coalesce(substr(OLD.closed_at, 1, 10), '');
INSERT INTO stat_exits (sequence, day, touches, n) SELECT NEW.sequence, coalesce(substr(NEW.closed_at, 1, 10), ''), (SELECT count(*) FROM touches w WHERE w.enrollment_id = NEW.id AND w.is_touch = 1), 1 WHERE NEW.status NOT IN ('active', 'paused') ON CONFLICT DO UPDATE SET n = n + excluded.n;
DELETE FROM stat_exits WHERE n = 0 AND sequence = NEW.sequence AND day = coalesce(substr(NEW.closed_at, 1, 10), '');
END;
CREATE TRIGGER stat_enrollment_out AFTER DELETE ON enrollments WHEN OLD.status NOT IN ('active', 'paused') BEGIN
INSERT INTO stat_exits (sequence, day, touches, n) SELECT OLD.sequence, coalesce(substr(OLD.closed_at, 1, 10), ''), (SELECT count(*) FROM touches w WHERE w.enrollment_id = OLD.id AND w.is_touch = 1), -1 WHERE OLD.status NOT IN ('active', 'paused') ON CONFLICT DO UPDATE SET n = n + excluded.n;
DELETE FROM stat_exits WHERE n = 0 AND sequence = OLD.sequence AND day = coalesce(substr(OLD.closed_at, 1, 10), '');
END;
CREATE TRIGGER stat_zone AFTER UPDATE OF timezone ON prospects WHEN OLD.timezone IS NOT NEW.timezone BEGIN
INSERT INTO stat_calls (sequence, timezone, hour, calls, connected) SELECT e.sequence, coalesce(OLD.timezone, ''), substr(t.at, 1, 13), -1, -1 * (t.outcome = 'connected') FROM touches t JOIN enrollments e ON e.id = t.enrollment_id WHERE t.prospect_id = OLD.id AND t.is_touch = 1 AND t.channel = 'call' ON CONFLICT DO UPDATE SET calls = calls + excluded.calls, connected = connected + excluded.connected;
INSERT INTO stat_calls (sequence, timezone, hour, calls, connected) SELECT e.sequence, coalesce(NEW.timezone, ''), substr(t.at, 1, 13), 1, 1 * (t.outcome = 'connected') FROM touches t JOIN enrollments e ON e.id = t.enrollment_id WHERE t.prospect_id = NEW.id AND t.is_touch = 1 AND t.channel = 'call' ON CONFLICT DO UPDATE SET calls = calls + excluded.calls, connected = connected + excluded.connected;
DELETE FROM stat_calls WHERE calls = 0 AND connected = 0 AND timezone = coalesce(OLD.timezone, '');
END;

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
