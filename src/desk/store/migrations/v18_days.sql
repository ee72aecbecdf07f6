CREATE TABLE stat_days (
            day     TEXT NOT NULL,
            channel TEXT NOT NULL,
            n       INTEGER NOT NULL,
            PRIMARY KEY (day, channel)
        ) WITHOUT ROWID;
        CREATE TRIGGER stat_day_in AFTER INSERT ON touches WHEN (NEW.is_touch = 1 OR (NEW.outcome = 'skipped' AND NEW.step IS NOT NULL AND coalesce(NEW.reason, '') NOT LIKE 'skipped automatically%')) BEGIN
            INSERT INTO stat_days (day, channel, n)
            VALUES (substr(NEW.at, 1, 10), coalesce(NEW.channel, ''), 1)
            ON CONFLICT DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER stat_day_out AFTER DELETE ON touches WHEN (OLD.is_touch = 1 OR (OLD.outcome = 'skipped' AND OLD.step IS NOT NULL AND coalesce(OLD.reason, '') NOT LIKE 'skipped automatically%')) BEGIN
            UPDATE stat_days SET n = n - 1
            WHERE day = substr(OLD.at, 1, 10) AND channel = coalesce(OLD.channel, '');
            DELETE FROM stat_days WHERE n = 0 AND day = substr(OLD.at, 1, 10);
        END;
        INSERT INTO stat_days (day, channel, n) SELECT substr(at, 1, 10), coalesce(channel, ''), count(*) FROM touches WHERE (is_touch = 1 OR (outcome = 'skipped' AND step IS NOT NULL AND coalesce(reason, '') NOT LIKE 'skipped automatically%')) GROUP BY 1, 2;