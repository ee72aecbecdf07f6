//! `touchbase demo`: a deterministic demo database with a realistic day, never the real one.

use crate::util::Sandbox;
use predicates::prelude::*;
use rusqlite::Connection;
use std::path::Path;
use touchbase::demo::{self, DEFAULT_PROSPECTS};

const NOW: &str = "2026-11-23";

fn now() -> chrono::NaiveDateTime {
    touchbase::cli::parse_now(NOW).expect("fixed clock")
}

/// `due --json` on a database, as parsed JSON.
fn due_json(s: &Sandbox, db: &Path) -> Vec<serde_json::Value> {
    let out = s
        .cmd(NOW)
        .args(["--db", &db.display().to_string(), "due", "--json"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json array")
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).expect("count")
}

#[test]
fn the_same_size_and_clock_build_the_same_database() {
    let s = Sandbox::new();
    let (a, b) = (s.dir.path().join("a.db"), s.dir.path().join("b.db"));
    let first = demo::build(&a, DEFAULT_PROSPECTS, now()).expect("first build");
    let second = demo::build(&b, DEFAULT_PROSPECTS, now()).expect("second build");
    assert_eq!(first.touches, second.touches);
    assert_eq!(due_json(&s, &a), due_json(&s, &b));
    let history = |db: &Path| -> Vec<(i64, String, String, Option<Vec<u8>>)> {
        let conn = Connection::open(db).expect("open");
        let mut stmt = conn
            .prepare("SELECT prospect_id, at, outcome, message FROM touches ORDER BY id")
            .expect("query");
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .expect("rows");
        rows.collect::<Result<_, _>>().expect("history")
    };
    assert_eq!(history(&a), history(&b));
}

#[test]
fn todays_queue_is_a_days_work_with_some_overdue() {
    let s = Sandbox::new();
    let db = s.dir.path().join("demo.db");
    let summary = demo::build(&db, DEFAULT_PROSPECTS, now()).expect("build");
    let (due, waiting): (Vec<serde_json::Value>, Vec<serde_json::Value>) = due_json(&s, &db)
        .into_iter()
        .partition(|d| d["task"] == "touch");
    assert_eq!(due.len() as i64, summary.due);
    // Some answers still wait on the rep: a reply to answer, a meeting to say how it went.
    let kinds: std::collections::BTreeSet<&str> =
        waiting.iter().filter_map(|d| d["task"].as_str()).collect();
    assert!(
        kinds.contains("reply") && kinds.contains("meeting"),
        "{kinds:?}"
    );
    assert!((15..=30).contains(&due.len()), "{} due", due.len());
    let overdue: Vec<i64> = due
        .iter()
        .filter_map(|d| d["overdue_days"].as_i64())
        .filter(|d| *d > 0)
        .collect();
    assert!(!overdue.is_empty(), "nothing overdue");
    assert!(overdue.iter().all(|d| (1..=3).contains(d)), "{overdue:?}");
    let channels: std::collections::BTreeSet<&str> =
        due.iter().filter_map(|d| d["channel"].as_str()).collect();
    assert!(channels.len() >= 3, "channels: {channels:?}");
    // The demo rep signs every message; only a prospect without a company is not ready.
    for d in &due {
        if d["company"].is_null() {
            assert_eq!(d["ready"], false);
            assert_eq!(d["problems"][0], "missing company");
        } else {
            assert_eq!(d["ready"], true, "{d}");
        }
    }
    assert!(
        due.iter().any(|d| d["ready"] == false),
        "no touch shows 'not ready'"
    );
}

#[test]
fn the_history_follows_the_engines_rules() {
    let s = Sandbox::new();
    let db = s.dir.path().join("demo.db");
    demo::build(&db, 1500, now()).expect("build");
    let conn = Connection::open(&db).expect("open");
    let closed_with_due = count(
        &conn,
        "SELECT count(*) FROM enrollments WHERE status NOT IN ('active', 'paused') \
         AND due IS NOT NULL",
    );
    assert_eq!(closed_with_due, 0);
    let two_open = count(
        &conn,
        "SELECT count(*) FROM (SELECT prospect_id FROM enrollments \
         WHERE status IN ('active', 'paused') GROUP BY prospect_id HAVING count(*) > 1)",
    );
    assert_eq!(two_open, 0);
    // Every outcome the history should show happened at least once.
    for outcome in [
        "sent",
        "done",
        "replied",
        "meeting",
        "opted-out",
        "bounced",
        "voicemail",
        "no-answer",
        "gatekeeper",
        "connected",
        "wrong-number",
        "skipped",
        "snoozed",
        "paused",
        "removed",
    ] {
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM touches WHERE outcome = ?1",
                [outcome],
                |r| r.get(0),
            )
            .expect("count");
        assert!(n > 0, "no '{outcome}' in the history");
    }
    // A worked touch carries the text that went out.
    let emails: Vec<(i64, Option<String>)> = conn
        .prepare(
            "SELECT id, (SELECT name FROM variants v WHERE v.id = t.variant) FROM touches t \
             WHERE is_touch = 1 AND channel = 'email'",
        )
        .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
        .expect("emails");
    assert!(!emails.is_empty());
    for (id, variant) in emails {
        let text = crate::db::message_of(&conn, id);
        assert!(
            text.subject.is_some() && text.body.is_some() && variant.is_some(),
            "touch {id} went out without its text"
        );
    }
    // No history belongs to an undoable action.
    assert_eq!(count(&conn, "SELECT count(*) FROM actions"), 0);
}

#[test]
fn every_opted_out_prospect_is_on_the_do_not_contact_list() {
    let s = Sandbox::new();
    let db = s.dir.path().join("demo.db");
    demo::build(&db, 1500, now()).expect("build");
    let conn = Connection::open(&db).expect("open");
    let mut stmt = conn
        .prepare("SELECT DISTINCT prospect_id FROM touches WHERE outcome = 'opted-out'")
        .expect("query");
    let ids: Vec<i64> = stmt
        .query_map([], |r| r.get(0))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("ids");
    assert!(!ids.is_empty(), "no opt-outs at this size");
    for id in ids {
        let p = crate::db::open(&db, None)
            .prospect_by_id(id)
            .expect("read")
            .expect("exists");
        assert!(!p.identifiers().is_empty());
        for (kind, value) in p.identifiers() {
            let listed: i64 = conn
                .query_row(
                    "SELECT count(*) FROM do_not_contact WHERE kind = ?1 AND value = ?2",
                    [kind, value.as_str()],
                    |r| r.get(0),
                )
                .expect("count");
            assert_eq!(listed, 1, "prospect {id}: {kind} {value} not listed");
        }
        let open: i64 = conn
            .query_row(
                "SELECT count(*) FROM enrollments WHERE prospect_id = ?1 \
                 AND status IN ('active', 'paused')",
                [id],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(open, 0, "prospect {id} opted out but is still enrolled");
    }
}

#[test]
fn the_demo_never_replaces_a_real_database() {
    let s = Sandbox::new();
    s.cmd(NOW)
        .args([
            "add",
            "--first",
            "Dana",
            "--email",
            "dana@northwind.example",
        ])
        .assert()
        .success();
    let db = s.db().display().to_string();
    s.cmd(NOW)
        .args(["demo", "--no-open", "--db", &db])
        .assert()
        .failure()
        .stderr(predicate::str::contains("not a demo database"));
    s.cmd(NOW)
        .args(["show", "dana@northwind.example"])
        .assert()
        .success();
    assert!(!demo::is_demo_database(&s.db()));

    // Nor the default database, even before it exists.
    let real = s.dir.path().join(".local/share/touchbase/touchbase.db");
    s.cmd(NOW)
        .args(["demo", "--no-open", "--db", &real.display().to_string()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("real touchbase database"));
    assert!(!real.exists());
}

#[test]
fn the_command_builds_prints_and_rebuilds() {
    let s = Sandbox::new();
    let db = s.dir.path().join("demo.db");
    let db_arg = db.display().to_string();
    for _ in 0..2 {
        // The second run replaces the first demo database.
        s.cmd(NOW)
            .args(["demo", "--no-open", "--db", &db_arg, "--now", "2026-11-23"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Mon 23 Nov 2026"))
            .stdout(predicate::str::contains("overdue"))
            .stderr(predicate::str::contains("touches logged"))
            .stderr(predicate::str::contains("your real data is untouched"));
    }
    assert!(demo::is_demo_database(&db));
    s.cmd(NOW)
        .args(["--db", &db_arg, "undo"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Nothing to undo"));

    // With no --db the demo goes to its own file in the data dir, beside the real one.
    s.cmd(NOW)
        .env_remove("TOUCHBASE_DB")
        .args(["demo", "--no-open", "--prospects", "30"])
        .assert()
        .success();
    let data = s.dir.path().join(".local/share/touchbase");
    assert!(demo::is_demo_database(&data.join("demo.db")));
    assert!(!data.join("touchbase.db").exists());
}

#[test]
fn the_rollups_counted_while_writing_equal_a_rebuild_from_the_log() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("demo.db");
    touchbase::demo::build(&path, 400, now()).expect("demo");
    let conn = rusqlite::Connection::open(&path).expect("open");
    let rollups = |conn: &rusqlite::Connection| {
        let mut all = crate::db::dump(conn);
        all.retain(|table, _| table.starts_with("stat_"));
        all
    };
    let written = rollups(&conn);
    assert!(written.len() >= 9, "{:?}", written.keys());
    for (table, rows) in &written {
        assert!(!rows.is_empty(), "{table} is empty");
    }
    touchbase::schema::define_call_slot(&conn, touchbase::clock::Zone::System).expect("define");
    touchbase::schema::rebuild_rollups(&conn).expect("rebuild");
    crate::db::assert_same(&rollups(&conn), &written, "rollups counted by the demo");
}

/// A bulk load checks its unique indexes when it builds them again at the end: two
/// prospects with one address fail the load, and the transaction leaves nothing behind.
#[test]
fn a_bulk_load_with_a_duplicate_address_fails_whole() {
    use touchbase::desk::bulk_load::{self, Rollups};
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("bulk.db");
    let person = |id: i64, first: &str| touchbase::domain::Prospect {
        id,
        first_name: first.to_string(),
        last_name: "Reyes".to_string(),
        email: Some("dana@northwind.example".to_string()),
        ..Default::default()
    };
    let loaded = bulk_load::load_new_book(&path, now(), |bulk| {
        bulk.prospect(&person(1, "Dana"))?;
        bulk.prospect(&person(2, "Dani"))?;
        Ok(Rollups::default())
    });
    let error = format!("{:#}", loaded.err().expect("the load fails"));
    assert!(error.contains("UNIQUE"), "{error}");
    let conn = Connection::open(&path).expect("open");
    let prospects: i64 = conn
        .query_row("SELECT count(*) FROM prospects", [], |r| r.get(0))
        .expect("count");
    assert_eq!(prospects, 0);
    let indexes: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name IN ('prospects_email', 'prospects_name')",
            [],
            |r| r.get(0),
        )
        .expect("indexes");
    assert_eq!(indexes, 2, "the indexes the load took off are back");
    assert!(
        !dir.path().join("bulk.db-search").exists(),
        "the side file is gone"
    );
}

/// A bulk load indexes the book for search on a second thread, in a side file whose index
/// it copies in: the search finds each prospect by name, company and address, in book
/// order, the index passes SQLite's own check, and the side file is gone.
#[test]
fn a_bulk_loads_search_finds_each_prospect_in_book_order() {
    use touchbase::desk::bulk_load::{self, Rollups};
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("bulk.db");
    let people = [
        (
            1,
            "Dana",
            "Reyes",
            Some("Northwind"),
            "dana@northwind.example",
        ),
        (2, "Ana", "Reyes", None, "ana.reyes@gmail.example"),
        (3, "Zoë", "Ångström", Some("Fjord AB"), "zoe@fjord.example"),
        (4, "Li", "Zhang", Some("Zhangjiang Ltd"), "li@zj.example"),
        (5, "Bo", "Abel", Some("Northwind"), "bo@northwind.example"),
    ];
    bulk_load::load_new_book(&path, now(), |bulk| {
        for (id, first, last, company, email) in people {
            bulk.prospect(&touchbase::domain::Prospect {
                id,
                first_name: first.to_string(),
                last_name: last.to_string(),
                company: company.map(str::to_string),
                email: Some(email.to_string()),
                ..Default::default()
            })?;
        }
        Ok(Rollups::default())
    })
    .expect("load");
    let desk = crate::db::open(&path, None);
    // Last name, first name, id, byte by byte: "Å" sorts after "Z".
    assert_eq!(crate::search_props::pages(&desk, "", 2), [5, 2, 1, 4, 3]);
    let found = |needle| crate::search_props::pages(&desk, needle, 2);
    assert_eq!(found("north"), [5, 1], "a company and addresses");
    assert_eq!(found("reyes"), [2, 1], "a last name");
    assert_eq!(found("bo abel"), [5], "a whole name");
    assert_eq!(found("ana re"), [2, 1], "inside a name");
    assert_eq!(found("ström"), [3], "a name past ASCII");
    assert_eq!(found("zhang"), [4], "a name and a company");
    assert_eq!(found("gmail"), [2], "the address of one without a company");
    assert!(found("fjordx").is_empty());
    let conn = Connection::open(&path).expect("open");
    conn.execute(
        "INSERT INTO prospect_search (prospect_search, rank) VALUES ('integrity-check', 0)",
        [],
    )
    .expect("the search index passes its check");
    let side: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.contains("search"))
        .collect();
    assert!(side.is_empty(), "{side:?}");
}
