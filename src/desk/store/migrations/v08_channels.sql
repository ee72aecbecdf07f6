
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

INSERT INTO stat_channels (sequence, channel, day, n)
    SELECT sequence, channel, day, count(*) FROM (
        SELECT e.sequence AS sequence, t.channel AS channel, substr(min(t.at), 1, 10) AS day
        FROM touches t JOIN enrollments e ON e.id = t.enrollment_id
        WHERE t.is_touch = 1 AND t.channel IS NOT NULL GROUP BY t.enrollment_id, t.channel
    ) WHERE true GROUP BY 1, 2, 3;
