//! Looking inside a database file from the outside: every table's rows, the bytes on disk,
//! and a desk opened on a file the way the binary opens it.
#![allow(dead_code)]

use chrono::NaiveDateTime;
use rusqlite::Connection;
use rusqlite::types::ValueRef;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use touchbase::config::Config;
use touchbase::content::{Library, Me};
use touchbase::desk::Desk;

/// Every row of every table, each row as one line, sorted: equal dumps mean equal contents.
pub fn dump(conn: &Connection) -> BTreeMap<String, Vec<String>> {
    let mut tables = Vec::new();
    {
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .expect("tables");
        let names = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .expect("tables");
        for n in names {
            tables.push(n.expect("name"));
        }
    }
    let mut out = BTreeMap::new();
    // The search index's own tables hold its b-tree, whose shape depends on the order of the
    // writes: compared by what it holds instead (each trigram and the rows that have it).
    // Text dictionaries are kept for good once made, undo or not (any later message may be
    // packed with one); the messages themselves are compared byte for byte.
    if tables.iter().any(|t| t == "prospect_search") {
        conn.execute_batch(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_terms \
             USING fts5vocab(main, prospect_search, 'row')",
        )
        .expect("search terms");
        let mut stmt = conn
            .prepare("SELECT term, doc FROM temp.search_terms ORDER BY term")
            .expect("terms");
        let terms: Vec<String> = stmt
            .query_map([], |r| {
                Ok(format!(
                    "{:?} | {}",
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?
                ))
            })
            .expect("terms")
            .collect::<Result<_, _>>()
            .expect("terms");
        out.insert("prospect_search (terms)".to_string(), terms);
    }
    // The book's positions are derived, like an index: the numbers depend on the order of the
    // writes, so what is compared is the order they give, which must be the name order.
    if tables.iter().any(|t| t == "book_positions") {
        let ids = |sql: &str| -> Vec<String> {
            let ids: Vec<i64> = conn
                .prepare(sql)
                .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
                .expect("book order");
            ids.iter().map(i64::to_string).collect()
        };
        let placed = ids("SELECT prospect_id FROM book_positions ORDER BY pos");
        let named = ids("SELECT id FROM prospects ORDER BY last_name, first_name, id");
        assert_eq!(placed, named, "the book's positions follow its name order");
        let statuses = ids(
            "SELECT count(*) FROM book_positions b WHERE b.status IS NOT coalesce((SELECT \
             e.status FROM enrollments e WHERE e.prospect_id = b.prospect_id \
             ORDER BY e.id DESC LIMIT 1), 'none')",
        );
        assert_eq!(
            statuses,
            ["0"],
            "each position carries its prospect's status"
        );
        out.insert("book order".to_string(), vec![placed.join(" ")]);
    }
    // Variants, like dictionaries, are a lookup kept for good: the log is compared by the
    // variants' names, whatever ids they were given.
    let compact = tables.iter().any(|t| t == "variants");
    tables.retain(|t| {
        !t.starts_with("prospect_search")
            && !t.starts_with("text_dictionar")
            && t != "variants"
            && t != "book_positions"
    });
    for t in tables {
        let query = match t.as_str() {
            "touches" if compact => "SELECT id, action_id, enrollment_id, prospect_id, at, step, \
                channel, outcome, is_touch, reason, note, \
                (SELECT name FROM variants v WHERE v.id = touches.variant), attributed_step, kind, \
                message, meeting_at FROM touches"
                .to_string(),
            "prospects" if compact => "SELECT id, first_name, last_name, email, phone, linkedin, \
                company, title, city, timezone, fields, notes, email_bad, phone_bad, rest_until, \
                created_at, external_ids, phone_key, name_key FROM prospects"
                .to_string(),
            "enrollments" if compact => "SELECT id, prospect_id, version_id, sequence, status, \
                step, due, last_worked_step, paused_gap, resume_on, started, closed_at, \
                exit_reason, ordinal, why, last_answerable_step, decision_on, until \
                FROM enrollments"
                .to_string(),
            "stat_variants" if compact => "SELECT sequence, step, \
                coalesce((SELECT name FROM variants v WHERE v.id = s.variant), s.variant), day, \
                touches, replied FROM stat_variants s"
                .to_string(),
            _ => format!("SELECT * FROM \"{t}\""),
        };
        let mut stmt = conn.prepare(&query).expect("select");
        let width = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                let mut cells = Vec::with_capacity(width);
                for i in 0..width {
                    cells.push(match r.get_ref(i)? {
                        ValueRef::Null => "NULL".to_string(),
                        ValueRef::Integer(v) => v.to_string(),
                        ValueRef::Real(v) => v.to_string(),
                        ValueRef::Text(v) => format!("{:?}", String::from_utf8_lossy(v)),
                        ValueRef::Blob(v) => format!("blob{v:?}"),
                    });
                }
                Ok(cells.join(" | "))
            })
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("rows");
        // The highest prospect id ever given outlives undo on purpose (an undone prospect's id
        // is never handed to someone else), so it is no part of "the same contents".
        if t == "settings" {
            rows.retain(|r| !r.starts_with("\"prospect_ids_given\""));
        }
        rows.sort();
        out.insert(t, rows);
    }
    out
}

/// The subject and body a touch row keeps, unpacked.
pub fn message_of(conn: &Connection, touch_id: i64) -> touchbase::message::Message {
    let packed: Option<Vec<u8>> = conn
        .query_row(
            "SELECT message FROM touches WHERE id = ?1",
            [touch_id],
            |r| r.get(0),
        )
        .expect("the touch");
    touchbase::message::Unpacker::new(conn)
        .unpack(packed.as_deref())
        .expect("unpack")
}

/// Takes a database back to schema version 21, before the rep's own fields were kept.
pub fn downgrade_to_21(conn: &Connection) {
    downgrade_to_22(conn);
    conn.execute_batch(
        "DROP INDEX prospects_account; ALTER TABLE prospects DROP COLUMN account; \
         DROP INDEX prospects_tasks; ALTER TABLE prospects DROP COLUMN task_due; \
         ALTER TABLE prospects DROP COLUMN conversation; \
         ALTER TABLE prospects DROP COLUMN rep_fields; PRAGMA user_version = 21;",
    )
    .expect("back to version 21");
}

/// Takes a database back to schema version 26: each prospect's account found with V22's
/// list of free-mail domains.
pub fn downgrade_to_26(conn: &Connection) {
    conn.execute_batch(
        "DROP INDEX prospects_account; ALTER TABLE prospects DROP COLUMN account; \
         ALTER TABLE prospects ADD COLUMN account TEXT GENERATED ALWAYS AS ( \
         CASE WHEN instr(email, '@') > 0 \
         AND lower(substr(email, instr(email, '@') + 1)) NOT IN ( \
         'gmail.com', 'googlemail.com', 'yahoo.com', 'yahoo.co.uk', 'hotmail.com', \
         'outlook.com', 'live.com', 'msn.com', 'icloud.com', 'me.com', 'mac.com', 'aol.com', \
         'proton.me', 'protonmail.com', 'gmx.com', 'gmx.de', 'gmx.net', 'web.de', 'mail.com', \
         'yandex.com', 'yandex.ru', 'zoho.com', 'fastmail.com', 'hey.com', 'qq.com', \
         '163.com', '126.com', 't-online.de', 'orange.fr', 'free.fr', 'laposte.net', \
         'libero.it', 'btinternet.com', 'comcast.net', 'verizon.net', 'att.net') \
         THEN 'd:' || lower(substr(email, instr(email, '@') + 1)) \
         WHEN trim(coalesce(company, '')) <> '' THEN 'c:' || lower(trim(company)) \
         END) VIRTUAL; \
         CREATE INDEX prospects_account ON prospects(account) WHERE account IS NOT NULL; \
         PRAGMA user_version = 26;",
    )
    .expect("back to version 26");
}

/// Takes a database back to schema version 25: meetings held and deals won all time only.
pub fn downgrade_to_25(conn: &Connection) {
    downgrade_to_26(conn);
    conn.execute_batch(
        "DROP TRIGGER stat_after_reply_day_in; DROP TRIGGER stat_after_reply_day_out; \
         DROP TRIGGER stat_after_reply_day_moved; DROP TRIGGER stat_after_reply_day_earlier; \
         DROP TRIGGER stat_after_reply_day_later; DROP TABLE stat_after_reply_days; \
         ALTER TABLE stat_after_reply_keys DROP COLUMN day; PRAGMA user_version = 25;",
    )
    .expect("back to version 25");
}

/// Takes a database back to schema version 24: responses counted all time only.
pub fn downgrade_to_24(conn: &Connection) {
    downgrade_to_25(conn);
    conn.execute_batch(
        "DROP TRIGGER stat_response_day_in; DROP TRIGGER stat_response_day_out; \
         DROP TABLE stat_response_days; ALTER TABLE stat_response_keys DROP COLUMN day; \
         PRAGMA user_version = 24;",
    )
    .expect("back to version 24");
}

/// Takes a database back to schema version 23: the search index keyed by prospect id and
/// kept by triggers, no positions.
pub fn downgrade_to_23(conn: &Connection) {
    downgrade_to_24(conn);
    conn.execute_batch(
        "DROP TABLE book_positions; DROP TABLE book_statuses; \
         DROP TRIGGER book_status_in; DROP TRIGGER book_status_update; \
         DROP TRIGGER book_status_out; \
         INSERT INTO prospect_search (prospect_search) VALUES ('delete-all'); \
         INSERT INTO prospect_search (rowid, name, company, email) \
         SELECT id, first_name || ' ' || last_name, company, email FROM prospects; \
         CREATE TRIGGER prospect_search_insert AFTER INSERT ON prospects BEGIN \
         INSERT INTO prospect_search (rowid, name, company, email) \
         VALUES (new.id, new.first_name || ' ' || new.last_name, new.company, new.email); END; \
         CREATE TRIGGER prospect_search_update \
         AFTER UPDATE OF first_name, last_name, company, email ON prospects BEGIN \
         DELETE FROM prospect_search WHERE rowid = old.id; \
         INSERT INTO prospect_search (rowid, name, company, email) \
         VALUES (new.id, new.first_name || ' ' || new.last_name, new.company, new.email); END; \
         CREATE TRIGGER prospect_search_delete AFTER DELETE ON prospects BEGIN \
         DELETE FROM prospect_search WHERE rowid = old.id; END; \
         PRAGMA user_version = 23;",
    )
    .expect("back to version 23");
}

/// Takes a database back to schema version 22: no index of the conversation's steps.
pub fn downgrade_to_22(conn: &Connection) {
    downgrade_to_23(conn);
    conn.execute_batch(
        "DROP INDEX touches_conversation; DROP TRIGGER stat_steps_reported_bounce; \
         ALTER TABLE inbox_messages DROP COLUMN candidates; DROP TABLE outbox; \
         DROP INDEX touches_message_id; \
         DROP TRIGGER stat_steps_reported_bounce_gone; \
         DROP TRIGGER stat_after_reply_in; DROP TRIGGER stat_after_reply_out; \
         DROP TABLE stat_after_reply_keys; DROP TABLE stat_after_reply; \
         PRAGMA user_version = 22;",
    )
    .expect("back to version 22");
}

/// Takes the touch log back to the layout before migration 21 (times and names as text, an
/// index on every row's prospect), as a book written before it.
pub fn downgrade_to_20(conn: &Connection) {
    downgrade_to_21(conn);
    let saved = |kind: &str| -> Vec<(String, String)> {
        conn.prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = ?1 AND sql IS NOT NULL \
             AND (tbl_name IN ('touches', 'enrollments', 'prospects') OR ?1 = 'trigger')",
        )
        .and_then(|mut s| {
            s.query_map([kind], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect()
        })
        .expect("schema")
    };
    let (triggers, indexes) = (saved("trigger"), saved("index"));
    for (name, _) in &triggers {
        conn.execute_batch(&format!("DROP TRIGGER \"{name}\""))
            .expect("drop trigger");
    }
    for (name, _) in indexes
        .iter()
        .filter(|(n, _)| n.starts_with("enrollments_") || n.starts_with("prospects_"))
    {
        conn.execute_batch(&format!("DROP INDEX \"{name}\""))
            .expect("drop index");
    }
    // Enrollments: their values as they read, then the old columns in place of the codes.
    let old = "status, due, started, closed_at, paused_gap, resume_on, exit_reason, why, \
        decision_on, until";
    conn.execute_batch(&format!(
        "CREATE TEMP TABLE enrollments_text AS SELECT id, {old} FROM enrollments;"
    ))
    .expect("enrollments as text");
    for column in old
        .split(", ")
        .chain("state, due_s, started_d, closed_s, extra".split(", "))
    {
        conn.execute_batch(&format!("ALTER TABLE enrollments DROP COLUMN {column}"))
            .expect("drop a column");
    }
    for column in old.split(", ") {
        conn.execute_batch(&format!("ALTER TABLE enrollments ADD COLUMN {column}"))
            .expect("add a column");
    }
    conn.execute_batch(&format!(
        "UPDATE enrollments SET ({old}) = (SELECT {old} FROM enrollments_text t \
         WHERE t.id = enrollments.id); DROP TABLE enrollments_text;"
    ))
    .expect("the old values");
    // Prospects: the LinkedIn address, rest day and time added as text again.
    conn.execute_batch(
        "CREATE TEMP TABLE prospects_text AS SELECT id, linkedin, rest_until, created_at \
         FROM prospects;",
    )
    .expect("prospects as text");
    for column in [
        "linkedin",
        "rest_until",
        "created_at",
        "linkedin_s",
        "rest_d",
        "created_s",
        "created_f",
    ] {
        conn.execute_batch(&format!("ALTER TABLE prospects DROP COLUMN {column}"))
            .expect("drop a column");
    }
    conn.execute_batch(
        "ALTER TABLE prospects ADD COLUMN linkedin TEXT; \
         ALTER TABLE prospects ADD COLUMN rest_until TEXT; \
         ALTER TABLE prospects ADD COLUMN created_at TEXT; \
         UPDATE prospects SET (linkedin, rest_until, created_at) = \
         (SELECT linkedin, rest_until, created_at FROM prospects_text t WHERE t.id = prospects.id); \
         DROP TABLE prospects_text;",
    )
    .expect("the old prospect columns");
    conn.execute_batch(
        "CREATE TABLE touches_text (
            id INTEGER PRIMARY KEY, action_id INTEGER REFERENCES actions(id),
            enrollment_id INTEGER REFERENCES enrollments(id),
            prospect_id INTEGER NOT NULL REFERENCES prospects(id), at TEXT NOT NULL,
            step INTEGER, channel TEXT, outcome TEXT NOT NULL, is_touch INTEGER NOT NULL DEFAULT 0,
            reason TEXT, note TEXT, subject TEXT, body TEXT, variant TEXT, attributed_step INTEGER,
            kind TEXT, message BLOB, meeting_at TEXT);
         INSERT INTO touches_text SELECT id, action_id, enrollment_id, prospect_id, at, step,
            channel, outcome, is_touch, reason, note, NULL, NULL,
            (SELECT name FROM variants v WHERE v.id = touches.variant), attributed_step, kind,
            message, meeting_at FROM touches;
         UPDATE stat_variants SET variant = (SELECT name FROM variants v WHERE v.id = variant)
            WHERE variant <> '';
         DROP TABLE touches; DROP TABLE variants;
         ALTER TABLE touches_text RENAME TO touches;
         CREATE INDEX touches_prospect ON touches(prospect_id);",
    )
    .expect("the log as text");
    for (name, sql) in &indexes {
        if name != "touches_loose" {
            conn.execute_batch(sql).expect("index");
        }
    }
    for (_, sql) in &triggers {
        conn.execute_batch(&sql.replace(
            "UPDATE OF sequence, state ON",
            "UPDATE OF sequence, status ON",
        ))
        .expect("trigger");
    }
    conn.execute_batch("PRAGMA user_version = 20;")
        .expect("version 20");
}

/// Takes a database back to schema version 16, as a book from before the search index, the
/// packed history and the response rollups: texts plain again, the old indexes back.
pub fn downgrade_to_16(conn: &Connection) {
    downgrade_to_20(conn);
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM touches WHERE message IS NOT NULL")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("packed touches");
    for id in ids {
        let m = message_of(conn, id);
        conn.execute(
            "UPDATE touches SET subject = ?2, body = ?3 WHERE id = ?1",
            rusqlite::params![id, m.subject, m.body],
        )
        .expect("unpack a touch");
    }
    conn.execute_batch(
        "DROP INDEX touches_meetings; ALTER TABLE touches DROP COLUMN meeting_at; \
         DROP TRIGGER stat_response_in; DROP TRIGGER stat_response_out; \
         DROP TABLE stat_response_keys; DROP TABLE stat_response_totals; \
         DROP INDEX touches_responses_at; DROP TRIGGER stat_status_in; \
         DROP TRIGGER stat_status_update; DROP TRIGGER stat_status_out; DROP TABLE stat_statuses; \
         CREATE INDEX enrollments_sequence ON enrollments(sequence); \
         DROP TRIGGER stat_call_slot_in; DROP TRIGGER stat_call_slot_out; \
         DROP TRIGGER stat_call_slot_zone; DROP TABLE stat_call_slots; \
         DELETE FROM settings WHERE key = 'call_slots_zone'; \
         DROP TRIGGER stat_day_in; DROP TRIGGER stat_day_out; DROP TABLE stat_days; \
         DROP TABLE text_dictionaries; DROP TABLE text_dictionary_bytes; \
         ALTER TABLE touches DROP COLUMN message; \
         DROP INDEX touches_prospect; CREATE INDEX touches_prospect ON touches(prospect_id, at); \
         DROP INDEX touches_enrollment; CREATE INDEX touches_enrollment ON touches(enrollment_id); \
         CREATE INDEX touches_worked ON touches(enrollment_id, at) WHERE is_touch = 1; \
         DROP INDEX touches_action; CREATE INDEX touches_action ON touches(action_id); \
         CREATE INDEX touches_at ON touches(at); \
         DROP TRIGGER prospect_search_insert; DROP TRIGGER prospect_search_update; \
         DROP TRIGGER prospect_search_delete; DROP TABLE prospect_search; \
         PRAGMA user_version = 16;",
    )
    .expect("back to version 16");
}

/// Every row of every table of the database file, read through a connection of its own.
pub fn dump_file(path: &Path) -> BTreeMap<String, Vec<String>> {
    // Read-write, as the binary opens it: closing it folds the write-ahead log back into the
    // file, so byte comparisons after it see what any later command would.
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE)
        .expect("open the database to read it");
    dump(&conn)
}

/// The database file and its write-ahead log, byte for byte (`None` when absent).
pub fn bytes(db: &Path) -> (Option<Vec<u8>>, Option<Vec<u8>>) {
    let wal = PathBuf::from(format!("{}-wal", db.display()));
    (std::fs::read(db).ok(), std::fs::read(wal).ok())
}

/// The rep identity every desk in these tests signs with, so templates render ready.
pub fn config() -> Config {
    Config {
        me: Me {
            name: "Sam Carter".into(),
            company: "Relaypoint".into(),
            signature: "Sam Carter\nRelaypoint".into(),
        },
        ..Config::default()
    }
}

/// A desk on the database file at `path`, with sequences from `config_dir` (or only the
/// built-ins).
pub fn open(path: &Path, config_dir: Option<&Path>) -> Desk {
    Desk::open(path, Library::new(config_dir), config()).expect("open the database")
}

pub fn t(s: &str) -> NaiveDateTime {
    if s.len() == 10 {
        format!("{s}T10:00:00")
    } else {
        s.to_string()
    }
    .parse()
    .unwrap_or_else(|_| panic!("test time {s}"))
}

/// Panics with the rows that differ, table by table, when two dumps are not equal.
pub fn assert_same(
    got: &BTreeMap<String, Vec<String>>,
    want: &BTreeMap<String, Vec<String>>,
    what: &str,
) {
    if got == want {
        return;
    }
    let short = |r: &String| r.chars().take(240).collect::<String>();
    let mut report = String::new();
    let names: std::collections::BTreeSet<&String> = got.keys().chain(want.keys()).collect();
    for name in names {
        let (g, w) = (got.get(name), want.get(name));
        if g == w {
            continue;
        }
        let (g, w) = (
            g.cloned().unwrap_or_default(),
            w.cloned().unwrap_or_default(),
        );
        report.push_str(&format!("table {name}:\n"));
        for r in g.iter().filter(|r| !w.contains(r)) {
            report.push_str(&format!("  + {}\n", short(r)));
        }
        for r in w.iter().filter(|r| !g.contains(r)) {
            report.push_str(&format!("  - {}\n", short(r)));
        }
    }
    panic!("{what}: the database differs\n{report}");
}
