//! An enrollment runs on the sequence version it started with, whatever happens to the file
//! afterwards, and the text of a touch is frozen when it is logged.

use crate::db::{open, t};
use std::path::Path;
use touchbase::desk::{Desk, EnrollRequest};
use touchbase::domain::{Channel, Event, Outcome, Prospect, Status};
use touchbase::import::ImportOptions;

const SEQUENCE_V1: &str = r#"
title = "Mine, first version"
trigger = "cold"
working_days_only = true
cool_off_days = 10

[[steps]]
day = 1
channel = "email"
purpose = "opener"
template = "x/01-opener.md"

[[steps]]
day = 3
channel = "call"
purpose = "call"
template = "x/02-call.md"

[[steps]]
day = 6
channel = "email"
purpose = "breakup"
template = "x/03-breakup.md"
"#;

/// Writes the sequence `x` and its three templates, each saying which version it is.
fn write_sequence(config: &Path, toml: &str, version: &str) {
    std::fs::create_dir_all(config.join("sequences")).expect("dir");
    std::fs::create_dir_all(config.join("templates/x")).expect("dir");
    std::fs::write(config.join("sequences/x.toml"), toml).expect("write");
    for (file, text) in [
        (
            "01-opener.md",
            "+++\nsubject = \"{{ company }}, VERSION\"\n+++\nHi {{ first_name }}, opener VERSION.\n{{ me.signature }}\n",
        ),
        ("02-call.md", "Call {{ first_name }}: script VERSION.\n"),
        (
            "03-breakup.md",
            "+++\nsubject = \"Last note, VERSION\"\n+++\nHi {{ first_name }}, breakup VERSION.\n",
        ),
    ] {
        std::fs::write(
            config.join("templates/x").join(file),
            text.replace("VERSION", version),
        )
        .expect("write");
    }
}

fn prospect(first: &str) -> Prospect {
    Prospect {
        first_name: first.into(),
        last_name: "Reyes".into(),
        email: Some(format!("{}@northwind.example", first.to_lowercase())),
        phone: Some("+1 415 555 0100".into()),
        company: Some("Northwind".into()),
        ..Prospect::default()
    }
}

/// What the queue shows for a prospect on a day: (step, channel, due date, subject, body).
type Shown = (usize, Channel, String, Option<String>, String);

fn shown(desk: &Desk, id: i64, day: &str) -> Shown {
    let queue = desk.queue(t(day)).expect("queue");
    let item = queue
        .iter()
        .find(|i| i.prospect.id == id)
        .unwrap_or_else(|| panic!("prospect {id} is not due on {day}"));
    let r = desk
        .render_current(&item.prospect, &item.enrollment, &item.sequence)
        .expect("render");
    (
        item.enrollment.step,
        item.channel(),
        item.enrollment.due.expect("due").date().to_string(),
        r.subject,
        r.body,
    )
}

#[test]
fn an_enrollment_keeps_its_version_when_the_file_is_edited_or_deleted() {
    let dir = tempfile::tempdir().expect("dir");
    let (db, config) = (dir.path().join("t.db"), dir.path().join("config"));
    write_sequence(&config, SEQUENCE_V1, "v1");
    let req = EnrollRequest {
        sequence: "x".into(),
        start: None,
        force: false,
    };
    let dana = {
        let mut d = open(&db, Some(&config));
        let id = d
            .add(prospect("Dana"), Some(req.clone()), t("2026-11-23"))
            .expect("add")
            .prospect_id;
        let first = shown(&d, id, "2026-11-23");
        assert_eq!(first.3.as_deref(), Some("Northwind, v1"));
        d.log_current(id, Event::Work(Outcome::Sent), None, t("2026-11-23"))
            .expect("sent");
        id
    };
    let before = shown(&open(&db, Some(&config)), dana, "2026-11-25");
    assert_eq!(before.0, 1);
    assert_eq!(before.1, Channel::Call);
    assert_eq!(before.2, "2026-11-25");
    assert!(before.4.contains("script v1"), "{}", before.4);

    // The rep rewrites the sequence: other days, a LinkedIn step instead of the call, and
    // new words everywhere.
    let v2 = SEQUENCE_V1
        .replace(
            "day = 3\nchannel = \"call\"",
            "day = 2\nchannel = \"linkedin\"",
        )
        .replace("day = 6", "day = 12");
    write_sequence(&config, &v2, "v2");
    let after_edit = shown(&open(&db, Some(&config)), dana, "2026-11-25");
    assert_eq!(
        after_edit, before,
        "editing the file changed an enrollment in flight"
    );

    // Someone new enrolled now runs on the new version.
    let lee = {
        let mut d = open(&db, Some(&config));
        d.add(prospect("Lee"), Some(req.clone()), t("2026-11-23"))
            .expect("add")
            .prospect_id
    };
    let lee_first = shown(&open(&db, Some(&config)), lee, "2026-11-23");
    assert_eq!(lee_first.3.as_deref(), Some("Northwind, v2"));

    // Worked on, Dana's next gap is still the first version's 3 working days (day 3 → 6).
    {
        let mut d = open(&db, Some(&config));
        d.log_current(dana, Event::Work(Outcome::NoAnswer), None, t("2026-11-25"))
            .expect("call");
    }
    // Then the file is deleted outright, templates and all.
    std::fs::remove_file(config.join("sequences/x.toml")).expect("rm");
    std::fs::remove_dir_all(config.join("templates/x")).expect("rm");
    let d = open(&db, Some(&config));
    let last = shown(&d, dana, "2026-11-30");
    assert_eq!(last.0, 2);
    assert_eq!(last.2, "2026-11-30");
    assert_eq!(last.3.as_deref(), Some("Last note, v1"));
    assert_eq!(last.4, "Hi Dana, breakup v1.");
    drop(d);
    let mut d = open(&db, Some(&config));
    let logged = d
        .log_current(dana, Event::Work(Outcome::Sent), None, t("2026-11-30"))
        .expect("breakup");
    assert!(matches!(
        logged.enrollment.map(|e| e.status),
        Some(Status::Closed(_))
    ));
    // The cool-off is the first version's 10 days.
    let p = d.prospect_by_id(dana).expect("query").expect("prospect");
    assert_eq!(p.rest_until, Some("2026-12-10".parse().expect("date")));
}

#[test]
fn the_text_of_a_touch_is_frozen_when_it_is_logged() {
    let dir = tempfile::tempdir().expect("dir");
    let (db, config) = (dir.path().join("t.db"), dir.path().join("config"));
    write_sequence(&config, SEQUENCE_V1, "v1");
    let req = EnrollRequest {
        sequence: "x".into(),
        start: None,
        force: false,
    };
    let id = {
        let mut d = open(&db, Some(&config));
        let id = d
            .add(prospect("Dana"), Some(req), t("2026-11-23"))
            .expect("add")
            .prospect_id;
        d.log_current(id, Event::Work(Outcome::Sent), None, t("2026-11-23"))
            .expect("sent");
        id
    };
    let history = |d: &Desk| {
        d.history(id)
            .map(|h| h.into_iter().map(|l| l.row).collect::<Vec<_>>())
            .expect("history")
            .into_iter()
            .filter(|h| h.is_touch)
            .map(|h| (h.subject, h.body))
            .collect::<Vec<_>>()
    };
    let frozen = history(&open(&db, Some(&config)));
    assert_eq!(
        frozen,
        vec![(
            Some("Northwind, v1".to_string()),
            Some("Hi Dana, opener v1.\nSam Carter\nRelaypoint".to_string())
        )]
    );
    // The template changes, and the prospect is re-imported with a new name and company.
    write_sequence(&config, SEQUENCE_V1, "v2");
    let csv = dir.path().join("update.csv");
    std::fs::write(
        &csv,
        "first_name,last_name,email,company\nDanielle,Reyes,DANA@northwind.example,Southwind\n",
    )
    .expect("write");
    let mut d = open(&db, Some(&config));
    let report = d
        .import(&csv, &ImportOptions::default(), t("2026-11-24"))
        .expect("import");
    assert_eq!(report.updated, 1, "{report}");
    // What went out stays exactly what went out.
    assert_eq!(history(&d), frozen);
    drop(d);
    assert_eq!(history(&open(&db, Some(&config))), frozen);
    // The touch not yet worked renders with today's data (the call script is the stored
    // version's, the name is new).
    let next = shown(&open(&db, Some(&config)), id, "2026-11-25");
    assert_eq!(next.4, "Call Danielle: script v1.");
}

/// Migration 21 packs the touch log and the enrollments into their compact layouts: a book
/// written in the layouts before it reads the same afterwards, row for row, every column as
/// it was (times with their fractions of a second, statuses, reasons, notes, variants).
#[test]
fn a_book_in_the_layout_before_compaction_reads_the_same_after_the_upgrade() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("book.db");
    touchbase::demo::build(&path, 300, t("2026-11-23")).expect("demo");
    let conn = rusqlite::Connection::open(&path).expect("open");
    touchbase::schema::define_call_slot(&conn, touchbase::clock::Zone::System).expect("fn");
    // Times written by an older touchbase on the real clock carry a fraction of a second.
    conn.execute_batch(
        "UPDATE touches SET extra = json_set(coalesce(extra, '{}'), '$.f', '.570047107') \
         WHERE id % 7 = 0; \
         UPDATE prospects SET created_f = '.25' WHERE id % 5 = 0; \
         UPDATE prospects SET linkedin_s = '=https://uk.linkedin.com/in/x' || id WHERE id % 11 = 0;",
    )
    .expect("fractions");
    let before = crate::db::dump(&conn);
    crate::db::downgrade_to_20(&conn);
    drop(conn);
    let desk = open(&path, None);
    drop(desk);
    let conn = rusqlite::Connection::open(&path).expect("open again");
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(version, touchbase::schema::LATEST);
    crate::db::assert_same(&crate::db::dump(&conn), &before, "after the upgrade");
    // The pages the old layout took are given back, and later ones can be.
    let (free, auto_vacuum): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT freelist_count FROM pragma_freelist_count), \
             (SELECT auto_vacuum FROM pragma_auto_vacuum)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("pages");
    assert_eq!((free, auto_vacuum), (0, 2));
}
