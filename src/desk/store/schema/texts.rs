//! The text of every released migration, V1 to V23 and V27, as it was released: history, never
//! edited (the pins in `schema::tests` hold them to it). What a migration does beyond its
//! SQL is in `hooks`; migrations after V23 live with what they keep (`book_order`,
//! `stats::response_days`, `stats::after_reply_days`).

pub(super) const V1: &str = r#"
CREATE TABLE prospects (
    id          INTEGER PRIMARY KEY,
    first_name  TEXT NOT NULL,
    last_name   TEXT NOT NULL DEFAULT '',
    email       TEXT,
    phone       TEXT,
    linkedin    TEXT,
    company     TEXT,
    title       TEXT,
    city        TEXT,
    timezone    TEXT,
    fields      TEXT NOT NULL DEFAULT '{}',
    notes       TEXT NOT NULL DEFAULT '',
    email_bad   INTEGER NOT NULL DEFAULT 0,
    phone_bad   INTEGER NOT NULL DEFAULT 0,
    rest_until  TEXT,
    created_at  TEXT
);
CREATE UNIQUE INDEX prospects_email ON prospects(email) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX prospects_linkedin ON prospects(linkedin) WHERE linkedin IS NOT NULL;
CREATE INDEX prospects_name ON prospects(last_name, first_name);

CREATE TABLE do_not_contact (
    kind        TEXT NOT NULL,
    value       TEXT NOT NULL,
    prospect_id INTEGER,
    at          TEXT NOT NULL,
    PRIMARY KEY (kind, value)
) WITHOUT ROWID;

CREATE TABLE sequence_versions (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX sequence_versions_name ON sequence_versions(name);

CREATE TABLE enrollments (
    id               INTEGER PRIMARY KEY,
    prospect_id      INTEGER NOT NULL REFERENCES prospects(id),
    version_id       INTEGER NOT NULL REFERENCES sequence_versions(id),
    sequence         TEXT NOT NULL,
    status           TEXT NOT NULL,
    step             INTEGER NOT NULL,
    due              TEXT,
    last_worked_step INTEGER,
    paused_gap       INTEGER,
    resume_on        TEXT,
    started          TEXT NOT NULL,
    closed_at        TEXT,
    exit_reason      TEXT,
    ordinal          INTEGER NOT NULL
);
CREATE UNIQUE INDEX enrollments_one_open ON enrollments(prospect_id)
    WHERE status IN ('active', 'paused');
CREATE INDEX enrollments_due ON enrollments(due) WHERE due IS NOT NULL;
CREATE INDEX enrollments_prospect ON enrollments(prospect_id);
CREATE INDEX enrollments_sequence ON enrollments(sequence);

CREATE TABLE actions (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    kind      TEXT NOT NULL,
    summary   TEXT NOT NULL DEFAULT '',
    undo      TEXT NOT NULL,
    undone_at TEXT
);
CREATE INDEX actions_open ON actions(id) WHERE undone_at IS NULL;

CREATE TABLE touches (
    id              INTEGER PRIMARY KEY,
    action_id       INTEGER REFERENCES actions(id),
    enrollment_id   INTEGER REFERENCES enrollments(id),
    prospect_id     INTEGER NOT NULL REFERENCES prospects(id),
    at              TEXT NOT NULL,
    step            INTEGER,
    channel         TEXT,
    outcome         TEXT NOT NULL,
    is_touch        INTEGER NOT NULL DEFAULT 0,
    reason          TEXT,
    note            TEXT,
    subject         TEXT,
    body            TEXT,
    variant         TEXT,
    attributed_step INTEGER
);
CREATE INDEX touches_prospect ON touches(prospect_id, at);
CREATE INDEX touches_enrollment ON touches(enrollment_id);
CREATE INDEX touches_action ON touches(action_id);
CREATE INDEX touches_at ON touches(at);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
"#;

/// How each enrollment's current due date was computed (JSON), for "why is this due?".
pub(super) const V2: &str = "ALTER TABLE enrollments ADD COLUMN why TEXT;";

/// The rep's time off: no touch falls due on these days.
pub(super) const V3: &str = "CREATE TABLE time_off (
    id         INTEGER PRIMARY KEY,
    first_day  TEXT NOT NULL,
    last_day   TEXT NOT NULL,
    created_at TEXT NOT NULL
);";

/// Rollups of the touch log kept by triggers, so stats read a few rows instead of the log.
pub(super) const V4: &str = include_str!("../migrations/v04_rollups.sql");
/// The replies, meetings and exits by sequence and channel, kept by triggers.
pub(super) const V8: &str = include_str!("../migrations/v08_channels.sql");
/// The responses, the status counts and the call slots, kept by triggers.
pub(super) const V19: &str = include_str!("../migrations/v19_responses.sql");
/// Part of V18: touches done per day and channel, for the header's "done today".
pub(super) const V18_DAYS: &str = include_str!("../migrations/v18_days.sql");

/// Every custom field name prospects carry, with how many carry it, kept by triggers: lint
/// asks which template variables something can fill without reading every prospect, and a
/// count (not a set) lets undo put the table back exactly.
pub(super) const V5: &str = "
CREATE TABLE custom_field_names (
    name      TEXT PRIMARY KEY,
    prospects INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO custom_field_names
    SELECT j.key, count(*) FROM prospects, json_each(prospects.fields) AS j GROUP BY j.key;
CREATE TRIGGER custom_field_names_insert AFTER INSERT ON prospects
    WHEN NEW.fields != '{}'
BEGIN
    INSERT INTO custom_field_names SELECT key, 1 FROM json_each(NEW.fields) WHERE true
        ON CONFLICT(name) DO UPDATE SET prospects = prospects + 1;
END;
CREATE TRIGGER custom_field_names_update AFTER UPDATE OF fields ON prospects
    WHEN NEW.fields != OLD.fields
BEGIN
    UPDATE custom_field_names SET prospects = prospects - 1
        WHERE name IN (SELECT key FROM json_each(OLD.fields));
    INSERT INTO custom_field_names SELECT key, 1 FROM json_each(NEW.fields) WHERE true
        ON CONFLICT(name) DO UPDATE SET prospects = prospects + 1;
    DELETE FROM custom_field_names WHERE prospects <= 0;
END;
CREATE TRIGGER custom_field_names_delete AFTER DELETE ON prospects
    WHEN OLD.fields != '{}'
BEGIN
    UPDATE custom_field_names SET prospects = prospects - 1
        WHERE name IN (SELECT key FROM json_each(OLD.fields));
    DELETE FROM custom_field_names WHERE prospects <= 0;
END;
";

/// The ids other tools gave a prospect, and keys to find a prospect by phone or by name and
/// company: what an import matches a row on after the email and the LinkedIn URL. The ids
/// live in the prospect's row (so undo restores them with it); the lookup table follows it.
pub(super) const V6: &str = "
ALTER TABLE prospects ADD COLUMN external_ids TEXT NOT NULL DEFAULT '{}';
ALTER TABLE prospects ADD COLUMN phone_key TEXT;
ALTER TABLE prospects ADD COLUMN name_key TEXT;
CREATE INDEX prospects_phone_key ON prospects(phone_key) WHERE phone_key IS NOT NULL;
CREATE INDEX prospects_name_key ON prospects(name_key) WHERE name_key IS NOT NULL;
CREATE TABLE external_ids (
    source      TEXT NOT NULL,
    value       TEXT NOT NULL,
    prospect_id INTEGER NOT NULL,
    PRIMARY KEY (source, value, prospect_id)
) WITHOUT ROWID;
CREATE INDEX external_ids_prospect ON external_ids(prospect_id);
CREATE TRIGGER external_ids_insert AFTER INSERT ON prospects
    WHEN NEW.external_ids != '{}'
BEGIN
    INSERT OR IGNORE INTO external_ids SELECT key, value, NEW.id FROM json_each(NEW.external_ids);
END;
CREATE TRIGGER external_ids_update AFTER UPDATE OF external_ids ON prospects
    WHEN NEW.external_ids != OLD.external_ids
BEGIN
    DELETE FROM external_ids WHERE prospect_id = OLD.id;
    INSERT OR IGNORE INTO external_ids SELECT key, value, NEW.id FROM json_each(NEW.external_ids);
END;
CREATE TRIGGER external_ids_delete AFTER DELETE ON prospects
    WHEN OLD.external_ids != '{}'
BEGIN
    DELETE FROM external_ids WHERE prospect_id = OLD.id;
END;
";

/// Where a reply is credited: the last worked step the prospect could answer, kept on the
/// enrollment. Existing enrollments go on crediting their last worked step, as they did when
/// their earlier replies were logged.
/// Spam complaints get a partial index of their own, so stats count them without reading
/// the log. A reply carries its kind (positive, question, not-now…).
pub(super) const V7: &str = "ALTER TABLE enrollments ADD COLUMN last_answerable_step INTEGER;
UPDATE enrollments SET last_answerable_step = last_worked_step;
CREATE INDEX touches_complaints ON touches(enrollment_id) WHERE outcome = 'complained';
ALTER TABLE touches ADD COLUMN kind TEXT;";

/// A proposal's decision date, which its late steps are timed to; and the day an enrollment
/// ends by itself as removed, when the buying timeline has passed.
pub(super) const V9: &str = "ALTER TABLE enrollments ADD COLUMN decision_on TEXT;
ALTER TABLE enrollments ADD COLUMN until TEXT;";

/// Phone numbers on the do-not-contact list are kept by their last ten digits, so a number
/// written the national way ("(415) 555-0100") matches one written with its country code.
pub(super) const V10: &str = "
INSERT OR IGNORE INTO do_not_contact (kind, value, prospect_id, at)
    SELECT kind, substr(value, -10), prospect_id, at FROM do_not_contact
    WHERE kind = 'phone' AND length(value) > 10;
DELETE FROM do_not_contact WHERE kind = 'phone' AND length(value) > 10;
UPDATE OR IGNORE do_not_contact SET value = replace(value, '+', '') WHERE kind = 'phone';
DELETE FROM do_not_contact WHERE kind = 'phone' AND value LIKE '+%';
";

/// The lookups that follow a prospect's row are kept by `rows::write_prospect` from here on:
/// with triggers on it, every insert into `prospects` kept a statement journal. Ids are
/// removed by their own key, so the index by prospect has no reader left.
pub(super) const V11: &str = "
DROP TRIGGER custom_field_names_insert;
DROP TRIGGER custom_field_names_update;
DROP TRIGGER custom_field_names_delete;
DROP TRIGGER external_ids_insert;
DROP TRIGGER external_ids_update;
DROP TRIGGER external_ids_delete;
DROP INDEX external_ids_prospect;
";

/// Rows as they were before an action, one row each: an action that updates a whole book
/// (a re-import) kept them all in memory and in one text.
pub(super) const V12: &str = "
CREATE TABLE action_rows (
    action_id INTEGER NOT NULL REFERENCES actions(id),
    n         INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    row_id    INTEGER NOT NULL,
    before    TEXT NOT NULL,
    PRIMARY KEY (action_id, n)
) WITHOUT ROWID;
";

/// A message the rep edited and left unsent when quitting, kept on its touch until it is
/// worked (then it goes into the log as the text that went out) or edited again.
pub(super) const V13: &str = "
CREATE TABLE drafts (
    enrollment_id INTEGER NOT NULL REFERENCES enrollments(id) ON DELETE CASCADE,
    step          INTEGER NOT NULL,
    subject       TEXT,
    body          TEXT NOT NULL,
    saved_at      TEXT NOT NULL,
    PRIMARY KEY (enrollment_id, step)
) WITHOUT ROWID;
";

/// A prospect's latest enrollment and its status from the index alone: the Prospects view
/// filters the whole book by it. It covers what `enrollments_prospect` served.
pub(super) const V14: &str = "
CREATE INDEX enrollments_latest ON enrollments(prospect_id, id, status);
DROP INDEX enrollments_prospect;
";

/// Every message an inbox sync considered, so none is applied twice: kept outside the undo
/// log (undoing a sync does not make its messages new again). Only these fields, and a
/// snippet of at most 200 characters: never a body.
pub(super) const V15: &str = "
CREATE TABLE inbox_messages (
    key         TEXT PRIMARY KEY,
    message_id  TEXT,
    date        TEXT,
    sender      TEXT,
    subject     TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL,
    prospect_id INTEGER,
    recipient   TEXT,
    permanent   INTEGER,
    return_date TEXT,
    snippet     TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL DEFAULT '',
    seen_at     TEXT NOT NULL,
    -- A reply from another address at a prospect's company to one of their subjects: shown
    -- for the rep to confirm (1), confirmed or dismissed (0).
    possible    INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX inbox_messages_id ON inbox_messages(message_id);
";

/// A prospect's other addresses (the `other_emails` field), so an inbox sync finds the
/// prospect whichever of their addresses they write from.
pub(super) const V16: &str = "
CREATE TABLE other_addresses (
    address     TEXT NOT NULL,
    prospect_id INTEGER NOT NULL,
    PRIMARY KEY (address, prospect_id)
) WITHOUT ROWID;
";

/// Search as you type: every three-character run of a prospect's name, company and email,
/// so a search finds its few candidates without walking the book. Contentless (the text
/// stays in `prospects`) and without positions: a candidate is confirmed by the same `LIKE`
/// a walk would use, so the two always agree. Migration 24 keys it by each prospect's place
/// in the book instead of its id, and keeps it without triggers (`store::book_order`).
pub(super) const V17: &str = "
CREATE VIRTUAL TABLE prospect_search USING fts5(
    name, company, email,
    content = '', contentless_delete = 1, detail = 'none', tokenize = 'trigram'
);
INSERT INTO prospect_search (rowid, name, company, email)
    SELECT id, first_name || ' ' || last_name, company, email FROM prospects;
CREATE TRIGGER prospect_search_insert AFTER INSERT ON prospects BEGIN
    INSERT INTO prospect_search (rowid, name, company, email)
    VALUES (new.id, new.first_name || ' ' || new.last_name, new.company, new.email);
END;
CREATE TRIGGER prospect_search_update
    AFTER UPDATE OF first_name, last_name, company, email ON prospects BEGIN
    DELETE FROM prospect_search WHERE rowid = old.id;
    INSERT INTO prospect_search (rowid, name, company, email)
    VALUES (new.id, new.first_name || ' ' || new.last_name, new.company, new.email);
END;
CREATE TRIGGER prospect_search_delete AFTER DELETE ON prospects BEGIN
    DELETE FROM prospect_search WHERE rowid = old.id;
END;
";

/// A compact history: the text of each touch packed against a dictionary of the rep's own
/// templates (see `store::message`), and the touch log's indexes cut to what is read.
/// The header's "done today" reads `stat_days` instead of an index on every touch's time.
/// `touches_prospect` loses `at` (a prospect's few rows sort in memory); `touches_worked`
/// folds into `touches_enrollment` (`is_touch` is free in an index entry); only touches an
/// action wrote are looked up by action.
pub(super) const V18: &str = "
-- `used` changes with every message written: the bytes live apart so a count does not
-- rewrite them.
CREATE TABLE text_dictionaries (
    id            INTEGER PRIMARY KEY,
    hash          INTEGER NOT NULL,
    built_through INTEGER NOT NULL,
    trained       INTEGER NOT NULL,
    used          INTEGER NOT NULL
);
CREATE TABLE text_dictionary_bytes (
    id    INTEGER PRIMARY KEY,
    bytes BLOB NOT NULL
);
ALTER TABLE touches ADD COLUMN message BLOB;
DROP INDEX touches_prospect;
CREATE INDEX touches_prospect ON touches(prospect_id);
DROP INDEX touches_worked;
DROP INDEX touches_enrollment;
CREATE INDEX touches_enrollment ON touches(enrollment_id, is_touch);
DROP INDEX touches_action;
CREATE INDEX touches_action ON touches(action_id) WHERE action_id IS NOT NULL;
DROP INDEX touches_at;
";

/// When a booked meeting takes place, on the rep's clock, for the calendar export.
pub(super) const V20: &str = "
ALTER TABLE touches ADD COLUMN meeting_at TEXT;
CREATE INDEX touches_meetings ON touches(meeting_at) WHERE meeting_at IS NOT NULL;
";

/// The fields the rep set by hand, which no import changes (a JSON array; NULL: none); the
/// conversation waiting on the rep after someone answered (JSON), found for the queue by
/// when its task is due; and each prospect's account (`domain::accounts::account_of`), to
/// find their colleagues.
pub(super) const V22: &str = "
ALTER TABLE prospects ADD COLUMN rep_fields TEXT;
ALTER TABLE prospects ADD COLUMN conversation TEXT;
ALTER TABLE prospects ADD COLUMN task_due TEXT
    GENERATED ALWAYS AS (json_extract(conversation, '$.due')) VIRTUAL;
CREATE INDEX prospects_tasks ON prospects(task_due) WHERE task_due IS NOT NULL;
ALTER TABLE prospects ADD COLUMN account TEXT GENERATED ALWAYS AS (
    CASE
        WHEN instr(email, '@') > 0
         AND lower(substr(email, instr(email, '@') + 1)) NOT IN (
'gmail.com', 'googlemail.com', 'yahoo.com', 'yahoo.co.uk', 'hotmail.com', 'outlook.com', 'live.com', 'msn.com', 'icloud.com', 'me.com', 'mac.com', 'aol.com', 'proton.me', 'protonmail.com', 'gmx.com', 'gmx.de', 'gmx.net', 'web.de', 'mail.com', 'yandex.com', 'yandex.ru', 'zoho.com', 'fastmail.com', 'hey.com', 'qq.com', '163.com', '126.com', 't-online.de', 'orange.fr', 'free.fr', 'laposte.net', 'libero.it', 'btinternet.com', 'comcast.net', 'verizon.net', 'att.net')
        THEN 'd:' || lower(substr(email, instr(email, '@') + 1))
        WHEN trim(coalesce(company, '')) <> '' THEN 'c:' || lower(trim(company))
    END) VIRTUAL;
CREATE INDEX prospects_account ON prospects(account) WHERE account IS NOT NULL;
";

/// The conversation's steps after a reply (held, won, …) are the log's only outcomes stored
/// by name (`log_codes::OTHER_OUTCOME`): the held and won ones, which the funnel after the
/// reply counts, have a small index of their own (the answered ones are many). The outbox keeps each email from the moment `S` (or `send`) asks for it until the
/// server took it: waiting (in the undo window, or for a cap), going (handed over by the
/// process `going_by`, its Message-ID kept), unsure (a stop cut the handing over short and
/// the Sent folder does not show it: the rep decides), sent (the log says so), cancelled
/// or failed. A message from someone new at a company, answering a subject sent to several of
/// its people, keeps them all (`candidates`, a JSON array of ids) for the rep to choose
/// from. A bounce reported after the fact is a row of its own beside the sent touch (the
/// log is append-only): the step's bounces count it.
pub(super) const V23: &str = "
CREATE INDEX touches_conversation ON touches(at)
    WHERE (code >> 4) & 31 = 31 AND outcome IN ('held', 'won');
ALTER TABLE inbox_messages ADD COLUMN candidates TEXT;
CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY,
    action_id     INTEGER NOT NULL,
    prospect_id   INTEGER NOT NULL REFERENCES prospects(id),
    enrollment_id INTEGER NOT NULL,
    step          INTEGER NOT NULL,
    to_name       TEXT NOT NULL,
    to_address    TEXT NOT NULL,
    subject       TEXT NOT NULL,
    body          TEXT NOT NULL,
    message_id    TEXT NOT NULL,
    thread        TEXT NOT NULL,
    state         TEXT NOT NULL,
    not_before    TEXT NOT NULL,
    reason        TEXT,
    attempts      INTEGER NOT NULL DEFAULT 0,
    sent_at       TEXT,
    sent_action   INTEGER,
    going_by      INTEGER
);
CREATE INDEX outbox_waiting ON outbox(not_before) WHERE state IN ('waiting', 'going');
CREATE INDEX touches_message_id ON touches(json_extract(extra, '$.i'))
    WHERE json_extract(extra, '$.i') IS NOT NULL;
CREATE TRIGGER stat_steps_reported_bounce AFTER INSERT ON touches
WHEN NEW.is_touch = 0 AND NEW.outcome = 'bounced' AND NEW.step IS NOT NULL
BEGIN
INSERT INTO stat_steps (sequence, step, day, channel, touches, bounces, opt_outs)
SELECT e.sequence, NEW.step, substr(NEW.at, 1, 10), coalesce(NEW.channel, ''), 0, 1, 0
FROM enrollments e WHERE e.id = NEW.enrollment_id
ON CONFLICT DO UPDATE SET bounces = bounces + 1;
END;
CREATE TRIGGER stat_steps_reported_bounce_gone AFTER DELETE ON touches
WHEN OLD.is_touch = 0 AND OLD.outcome = 'bounced' AND OLD.step IS NOT NULL
BEGIN
UPDATE stat_steps SET bounces = bounces - 1
WHERE sequence = (SELECT sequence FROM enrollments WHERE id = OLD.enrollment_id)
AND step = OLD.step AND day = substr(OLD.at, 1, 10) AND channel = coalesce(OLD.channel, '');
END;
";

/// Each prospect's account (V22's rule, `domain::accounts::account_of`) found with one
/// `instr` in a string of the free-mail domains: V22's `NOT IN` list cost the insert of a
/// prospect about 3 µs, twice: for the index and for its condition, which goes (the few
/// prospects with no account cost the index little). Together they were a third of a large
/// import. An address with nothing after its `@` makes no account, as in `account_of`.
pub(super) const V27: &str = "
DROP INDEX prospects_account;
ALTER TABLE prospects DROP COLUMN account;
ALTER TABLE prospects ADD COLUMN account TEXT GENERATED ALWAYS AS (
    CASE
        WHEN instr(email, '@') BETWEEN 1 AND length(email) - 1
         AND instr('|gmail.com|googlemail.com|yahoo.com|yahoo.co.uk|hotmail.com|outlook.com|live.com|msn.com|icloud.com|me.com|mac.com|aol.com|proton.me|protonmail.com|gmx.com|gmx.de|gmx.net|web.de|mail.com|yandex.com|yandex.ru|zoho.com|fastmail.com|hey.com|qq.com|163.com|126.com|t-online.de|orange.fr|free.fr|laposte.net|libero.it|btinternet.com|comcast.net|verizon.net|att.net|',
            '|' || lower(substr(email, instr(email, '@') + 1)) || '|') = 0
        THEN 'd:' || lower(substr(email, instr(email, '@') + 1))
        WHEN trim(coalesce(company, '')) <> '' THEN 'c:' || lower(trim(company))
    END) VIRTUAL;
CREATE INDEX prospects_account ON prospects(account);
";
