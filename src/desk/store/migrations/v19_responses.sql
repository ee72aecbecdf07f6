
CREATE TABLE stat_response_keys (
    enrollment_id INTEGER NOT NULL,
    sequence      TEXT NOT NULL,
    measure       TEXT NOT NULL,
    step          INTEGER NOT NULL,
    label         NOT NULL,
    PRIMARY KEY (enrollment_id, measure, step, label)
) WITHOUT ROWID;
CREATE TABLE stat_response_totals (
    sequence TEXT NOT NULL,
    measure  TEXT NOT NULL,
    step     INTEGER NOT NULL,
    label    NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (sequence, measure, step, label)
) WITHOUT ROWID;
CREATE INDEX touches_responses_at ON touches(at) WHERE outcome IN ('replied', 'meeting');
-- Enrollments per sequence and status, for the Sequences view's active / paused / finished.
CREATE TABLE stat_statuses (
    sequence TEXT NOT NULL,
    status   TEXT NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (sequence, status)
) WITHOUT ROWID;
-- It also answers how many enrollments a sequence has had (the next one's ordinal), which
-- an index on every enrollment's sequence was kept for.
DROP INDEX enrollments_sequence;
CREATE TRIGGER stat_status_in AFTER INSERT ON enrollments BEGIN
    INSERT INTO stat_statuses (sequence, status, n) VALUES (NEW.sequence, NEW.status, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER stat_status_update AFTER UPDATE OF sequence, status ON enrollments
    WHEN OLD.sequence IS NOT NEW.sequence OR OLD.status IS NOT NEW.status BEGIN
    UPDATE stat_statuses SET n = n - 1 WHERE sequence = OLD.sequence AND status = OLD.status;
    INSERT INTO stat_statuses (sequence, status, n) VALUES (NEW.sequence, NEW.status, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
    DELETE FROM stat_statuses WHERE n = 0;
END;
CREATE TRIGGER stat_status_out AFTER DELETE ON enrollments BEGIN
    UPDATE stat_statuses SET n = n - 1 WHERE sequence = OLD.sequence AND status = OLD.status;
    DELETE FROM stat_statuses WHERE n = 0;
END;
CREATE TABLE stat_call_slots (
            sequence  TEXT NOT NULL,
            slot      INTEGER NOT NULL,
            calls     INTEGER NOT NULL,
            connected INTEGER NOT NULL,
            PRIMARY KEY (sequence, slot)
        ) WITHOUT ROWID;
        CREATE TRIGGER stat_call_slot_in AFTER INSERT ON touches WHEN NEW.is_touch = 1 AND NEW.channel = 'call' BEGIN
        INSERT INTO stat_call_slots (sequence, slot, calls, connected) SELECT e.sequence, touchbase_call_slot(t.at, p.timezone), 1 * count(*), 1 * sum(t.outcome = 'connected') FROM (SELECT NEW.at AS at, NEW.outcome AS outcome) t, enrollments e, prospects p WHERE e.id = NEW.enrollment_id AND p.id = NEW.prospect_id GROUP BY 1, 2 ON CONFLICT DO UPDATE SET calls = calls + excluded.calls, connected = connected + excluded.connected;
END;
        CREATE TRIGGER stat_call_slot_out AFTER DELETE ON touches WHEN OLD.is_touch = 1 AND OLD.channel = 'call' BEGIN
        INSERT INTO stat_call_slots (sequence, slot, calls, connected) SELECT e.sequence, touchbase_call_slot(t.at, p.timezone), -1 * count(*), -1 * sum(t.outcome = 'connected') FROM (SELECT OLD.at AS at, OLD.outcome AS outcome) t, enrollments e, prospects p WHERE e.id = OLD.enrollment_id AND p.id = OLD.prospect_id GROUP BY 1, 2 ON CONFLICT DO UPDATE SET calls = calls + excluded.calls, connected = connected + excluded.connected;
DELETE FROM stat_call_slots WHERE calls = 0 AND connected = 0;
END;
        CREATE TRIGGER stat_call_slot_zone AFTER UPDATE OF timezone ON prospects
            WHEN OLD.timezone IS NOT NEW.timezone BEGIN
        INSERT INTO stat_call_slots (sequence, slot, calls, connected) SELECT e.sequence, touchbase_call_slot(t.at, OLD.timezone), -1 * count(*), -1 * sum(t.outcome = 'connected') FROM touches t JOIN enrollments e ON e.id = t.enrollment_id WHERE t.prospect_id = NEW.id AND t.is_touch = 1 AND t.channel = 'call' GROUP BY 1, 2 ON CONFLICT DO UPDATE SET calls = calls + excluded.calls, connected = connected + excluded.connected;
INSERT INTO stat_call_slots (sequence, slot, calls, connected) SELECT e.sequence, touchbase_call_slot(t.at, NEW.timezone), 1 * count(*), 1 * sum(t.outcome = 'connected') FROM touches t JOIN enrollments e ON e.id = t.enrollment_id WHERE t.prospect_id = NEW.id AND t.is_touch = 1 AND t.channel = 'call' GROUP BY 1, 2 ON CONFLICT DO UPDATE SET calls = calls + excluded.calls, connected = connected + excluded.connected;
DELETE FROM stat_call_slots WHERE calls = 0 AND connected = 0;
END;
        DELETE FROM stat_call_slots;
INSERT INTO stat_call_slots (sequence, slot, calls, connected) SELECT e.sequence, touchbase_call_slot(t.at, p.timezone), 1 * count(*), 1 * sum(t.outcome = 'connected') FROM touches t JOIN enrollments e ON e.id = t.enrollment_id JOIN prospects p ON p.id = t.prospect_id WHERE t.is_touch = 1 AND t.channel = 'call' GROUP BY 1, 2 ON CONFLICT DO UPDATE SET calls = calls + excluded.calls, connected = connected + excluded.connected;
CREATE TRIGGER stat_response_in AFTER INSERT ON touches WHEN NEW.enrollment_id IS NOT NULL AND (NEW.outcome IN ('replied', 'meeting') OR (NEW.is_touch = 1 AND EXISTS (SELECT 1 FROM stat_response_keys WHERE enrollment_id = NEW.enrollment_id))) BEGIN
INSERT INTO stat_response_totals (sequence, measure, step, label, n) SELECT sequence, measure, step, label, -1 FROM stat_response_keys WHERE enrollment_id = NEW.enrollment_id ON CONFLICT DO UPDATE SET n = n + excluded.n;
DELETE FROM stat_response_keys WHERE enrollment_id = NEW.enrollment_id;
INSERT OR IGNORE INTO stat_response_keys (enrollment_id, sequence, measure, step, label) SELECT DISTINCT t.enrollment_id, e.sequence, 'reply', coalesce(t.attributed_step, -1), '' FROM touches t INDEXED BY touches_responses JOIN enrollments e ON e.id = t.enrollment_id WHERE t.enrollment_id = NEW.enrollment_id AND t.outcome IN ('replied', 'meeting');
INSERT OR IGNORE INTO stat_response_keys (enrollment_id, sequence, measure, step, label) SELECT DISTINCT t.enrollment_id, e.sequence, 'meeting', coalesce(t.attributed_step, -1), '' FROM touches t INDEXED BY touches_responses JOIN enrollments e ON e.id = t.enrollment_id WHERE t.enrollment_id = NEW.enrollment_id AND t.outcome IN ('replied', 'meeting') AND t.outcome = 'meeting';
INSERT OR IGNORE INTO stat_response_keys (enrollment_id, sequence, measure, step, label) SELECT DISTINCT t.enrollment_id, e.sequence, 'positive', coalesce(t.attributed_step, -1), '' FROM touches t INDEXED BY touches_responses JOIN enrollments e ON e.id = t.enrollment_id WHERE t.enrollment_id = NEW.enrollment_id AND t.outcome IN ('replied', 'meeting') AND (t.outcome = 'meeting' OR t.kind = 'positive');
INSERT OR IGNORE INTO stat_response_keys (enrollment_id, sequence, measure, step, label) SELECT DISTINCT t.enrollment_id, e.sequence, 'kind', coalesce(t.attributed_step, -1), coalesce(t.kind, CASE t.outcome WHEN 'meeting' THEN 'meeting' ELSE 'unsaid' END) FROM touches t INDEXED BY touches_responses JOIN enrollments e ON e.id = t.enrollment_id WHERE t.enrollment_id = NEW.enrollment_id AND t.outcome IN ('replied', 'meeting') AND (t.outcome = 'replied' OR NOT EXISTS (SELECT 1 FROM touches r WHERE r.enrollment_id = t.enrollment_id AND r.outcome = 'replied'));
INSERT OR IGNORE INTO stat_response_keys (enrollment_id, sequence, measure, step, label) SELECT r.enrollment_id, e.sequence, 'days', -1, CAST(julianday(r.first) - julianday(f.first) AS INTEGER) FROM (SELECT t.enrollment_id, date(min(t.at)) AS first FROM touches t INDEXED BY touches_responses WHERE t.enrollment_id = NEW.enrollment_id AND t.outcome IN ('replied', 'meeting') GROUP BY t.enrollment_id) r JOIN (SELECT w.enrollment_id, date(min(w.at)) AS first FROM touches w WHERE w.enrollment_id = NEW.enrollment_id AND w.is_touch = 1 GROUP BY w.enrollment_id) f ON f.enrollment_id = r.enrollment_id JOIN enrollments e ON e.id = r.enrollment_id;
INSERT INTO stat_response_totals (sequence, measure, step, label, n) SELECT sequence, measure, step, label, 1 FROM stat_response_keys WHERE enrollment_id = NEW.enrollment_id ON CONFLICT DO UPDATE SET n = n + excluded.n;
DELETE FROM stat_response_totals WHERE n = 0;
END;
CREATE TRIGGER stat_response_out AFTER DELETE ON touches WHEN OLD.enrollment_id IS NOT NULL AND (OLD.outcome IN ('replied', 'meeting') OR (OLD.is_touch = 1 AND EXISTS (SELECT 1 FROM stat_response_keys WHERE enrollment_id = OLD.enrollment_id))) BEGIN
INSERT INTO stat_response_totals (sequence, measure, step, label, n) SELECT sequence, measure, step, label, -1 FROM stat_response_keys WHERE enrollment_id = OLD.enrollment_id ON CONFLICT DO UPDATE SET n = n + excluded.n;
DELETE FROM stat_response_keys WHERE enrollment_id = OLD.enrollment_id;
INSERT OR IGNORE INTO stat_response_keys (enrollment_id, sequence, measure, step, label) SELECT DISTINCT t.enrollment_id, e.sequence, 'reply', coalesce(t.attributed_step, -1), '' FROM touches t INDEXED BY touches_responses JOIN enrollments e ON e.id = t.enrollment_id WHERE t.enrollment_id = OLD.enrollment_id AND t.outcome IN ('replied', 'meeting');
INSERT OR IGNORE INTO stat_response_keys (enrollment_id, sequence, measure, step, label) SELECT DISTINCT t.enrollment_id, e.sequence, 'meeting', coalesce(t.attributed_step, -1), '' FROM touches t INDEXED BY touches_responses JOIN enrollments e ON e.id = t.enrollment_id WHERE t.enrollment_id = OLD.enrollment_id AND t.outcome IN ('replied', 'meeting') AND t.outcome = 'meeting';
INSERT OR IGNORE INTO stat_response_keys (enrollment_id, sequence, measure, step, label) SELECT DISTINCT t.enrollment_id, e.sequence, 'positive', coalesce(t.attributed_step, -1), '' FROM touches t INDEXED BY touches_responses JOIN enrollments e ON e.id = t.enrollment_id WHERE t.enrollment_id = OLD.enrollment_id AND t.outcome IN ('replied', 'meeting') AND (t.outcome = 'meeting' OR t.kind = 'positive');
INSERT OR IGNORE INTO stat_response_keys (enrollment_id, sequence, measure, step, label) SELECT DISTINCT t.enrollment_id, e.sequence, 'kind', coalesce(t.attributed_step, -1), coalesce(t.kind, CASE t.outcome WHEN 'meeting' THEN 'meeting' ELSE 'unsaid' END) FROM touches t INDEXED BY touches_responses JOIN enrollments e ON e.id = t.enrollment_id WHERE t.enrollment_id = OLD.enrollment_id AND t.outcome IN ('replied', 'meeting') AND (t.outcome = 'replied' OR NOT EXISTS (SELECT 1 FROM touches r WHERE r.enrollment_id = t.enrollment_id AND r.outcome = 'replied'));
INSERT OR IGNORE INTO stat_response_keys (enrollment_id, sequence, measure, step, label) SELECT r.enrollment_id, e.sequence, 'days', -1, CAST(julianday(r.first) - julianday(f.first) AS INTEGER) FROM (SELECT t.enrollment_id, date(min(t.at)) AS first FROM touches t INDEXED BY touches_responses WHERE t.enrollment_id = OLD.enrollment_id AND t.outcome IN ('replied', 'meeting') GROUP BY t.enrollment_id) r JOIN (SELECT w.enrollment_id, date(min(w.at)) AS first FROM touches w WHERE w.enrollment_id = OLD.enrollment_id AND w.is_touch = 1 GROUP BY w.enrollment_id) f ON f.enrollment_id = r.enrollment_id JOIN enrollments e ON e.id = r.enrollment_id;
INSERT INTO stat_response_totals (sequence, measure, step, label, n) SELECT sequence, measure, step, label, 1 FROM stat_response_keys WHERE enrollment_id = OLD.enrollment_id ON CONFLICT DO UPDATE SET n = n + excluded.n;
DELETE FROM stat_response_totals WHERE n = 0;
END;
DELETE FROM stat_response_keys; DELETE FROM stat_response_totals; DELETE FROM stat_statuses; INSERT INTO stat_statuses (sequence, status, n) SELECT sequence, status, count(*) FROM enrollments GROUP BY 1, 2;
INSERT OR IGNORE INTO stat_response_keys (enrollment_id, sequence, measure, step, label) SELECT DISTINCT t.enrollment_id, e.sequence, 'reply', coalesce(t.attributed_step, -1), '' FROM touches t INDEXED BY touches_responses JOIN enrollments e ON e.id = t.enrollment_id WHERE t.enrollment_id IS NOT NULL AND t.outcome IN ('replied', 'meeting');
INSERT OR IGNORE INTO stat_response_keys (enrollment_id, sequence, measure, step, label) SELECT DISTINCT t.enrollment_id, e.sequence, 'meeting', coalesce(t.attributed_step, -1), '' FROM touches t INDEXED BY touches_responses JOIN enrollments e ON e.id = t.enrollment_id WHERE t.enrollment_id IS NOT NULL AND t.outcome IN ('replied', 'meeting') AND t.outcome = 'meeting';
INSERT OR IGNORE INTO stat_response_keys (enrollment_id, sequence, measure, step, label) SELECT DISTINCT t.enrollment_id, e.sequence, 'positive', coalesce(t.attributed_step, -1), '' FROM touches t INDEXED BY touches_responses JOIN enrollments e ON e.id = t.enrollment_id WHERE t.enrollment_id IS NOT NULL AND t.outcome IN ('replied', 'meeting') AND (t.outcome = 'meeting' OR t.kind = 'positive');
INSERT OR IGNORE INTO stat_response_keys (enrollment_id, sequence, measure, step, label) SELECT DISTINCT t.enrollment_id, e.sequence, 'kind', coalesce(t.attributed_step, -1), coalesce(t.kind, CASE t.outcome WHEN 'meeting' THEN 'meeting' ELSE 'unsaid' END) FROM touches t INDEXED BY touches_responses JOIN enrollments e ON e.id = t.enrollment_id WHERE t.enrollment_id IS NOT NULL AND t.outcome IN ('replied', 'meeting') AND (t.outcome = 'replied' OR NOT EXISTS (SELECT 1 FROM touches r WHERE r.enrollment_id = t.enrollment_id AND r.outcome = 'replied'));
INSERT OR IGNORE INTO stat_response_keys (enrollment_id, sequence, measure, step, label) SELECT r.enrollment_id, e.sequence, 'days', -1, CAST(julianday(r.first) - julianday(f.first) AS INTEGER) FROM (SELECT t.enrollment_id, date(min(t.at)) AS first FROM touches t INDEXED BY touches_responses WHERE t.enrollment_id IS NOT NULL AND t.outcome IN ('replied', 'meeting') GROUP BY t.enrollment_id) r JOIN (SELECT w.enrollment_id, date(min(w.at)) AS first FROM touches w WHERE w.enrollment_id IS NOT NULL AND w.is_touch = 1 GROUP BY w.enrollment_id) f ON f.enrollment_id = r.enrollment_id JOIN enrollments e ON e.id = r.enrollment_id;
INSERT INTO stat_response_totals (sequence, measure, step, label, n) SELECT sequence, measure, step, label, count(*) FROM stat_response_keys GROUP BY 1, 2, 3, 4;
