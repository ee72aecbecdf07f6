//! The SQLite store on temporary files: privacy, durability settings, every action surviving
//! a restart, undo across restarts and many levels deep, sequence versions in flight, frozen
//! touch text, and files it must refuse without touching them.

use crate::db::{assert_same, bytes, dump_file, open, t};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use touchbase::config::Config;
use touchbase::content::Library;
use touchbase::desk::{Desk, EnrollRequest};
use touchbase::domain::{Event, Exit, Outcome, Prospect, Status};

fn dana() -> Prospect {
    Prospect {
        first_name: "Dana".into(),
        last_name: "Reyes".into(),
        email: Some("dana@northwind.example".into()),
        phone: Some("+1 415 555 0100".into()),
        linkedin: Some("https://www.linkedin.com/in/dana-reyes".into()),
        company: Some("Northwind".into()),
        ..Prospect::default()
    }
}

fn request(sequence: &str) -> Option<EnrollRequest> {
    Some(EnrollRequest {
        sequence: sequence.into(),
        start: None,
        force: false,
    })
}

/// Opens the file, runs `f`, and closes it again: every check after it reads from disk.
fn session<R>(db: &Path, config: Option<&Path>, f: impl FnOnce(&mut Desk) -> R) -> R {
    let mut desk = open(db, config);
    let r = f(&mut desk);
    drop(desk);
    r
}

fn open_enrollment(db: &Path, id: i64) -> Option<touchbase::domain::Enrollment> {
    session(db, None, |d| {
        d.open_enrollment(id)
            .map(|o| o.map(|i| (i.enrollment, i.sequence_name)))
            .expect("query")
            .map(|(e, _)| e)
    })
}

#[cfg(unix)]
#[test]
fn a_new_database_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("data/touchbase/touchbase.db");
    session(&db, None, |d| {
        d.add(dana(), request("cold-21"), t("2026-11-23"))
    })
    .expect("add");
    let mode = |p: &Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
    assert_eq!(mode(&db), 0o600, "the database file");
    assert_eq!(mode(db.parent().expect("dir")), 0o700, "its directory");
    assert_eq!(
        mode(&dir.path().join("data")),
        0o700,
        "every directory created for it"
    );
    // SQLite's side files carry the database's own permissions.
    let _still_open = open(&db, None);
    for side in ["-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{side}", db.display()));
        if p.exists() {
            assert_eq!(mode(&p), 0o600, "{side}");
        }
    }
}

#[test]
fn wal_full_sync_foreign_keys_and_a_busy_timeout_are_on() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("t.db");
    let store = open(&db, None);
    assert_eq!(store.pragma("synchronous").expect("pragma"), 2, "FULL");
    assert_eq!(store.pragma("foreign_keys").expect("pragma"), 1);
    let busy = store.pragma("busy_timeout").expect("pragma");
    assert!(busy >= 1000, "busy timeout {busy} ms");
    // WAL is a property of the file: a plain connection sees it too.
    drop(store);
    let plain = rusqlite::Connection::open(&db).expect("plain");
    let journal: String = plain
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("pragma");
    assert_eq!(journal, "wal");
}

#[test]
fn every_action_survives_closing_and_reopening_the_file() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("t.db");
    let id = session(&db, None, |d| {
        d.add(dana(), request("cold-21"), t("2026-11-23"))
    })
    .expect("add")
    .prospect_id;
    let e = open_enrollment(&db, id).expect("enrolled");
    assert_eq!((e.step, e.status), (0, Status::Active));
    assert_eq!(
        e.due.map(|x| x.date()),
        Some(NaiveDate::from_ymd_opt(2026, 11, 23).expect("d"))
    );

    // (event, when, step after, status after)
    let script: Vec<(Event, &str, usize, Status)> = vec![
        (Event::Work(Outcome::Sent), "2026-11-23", 1, Status::Active),
        (Event::Work(Outcome::Done), "2026-11-23", 2, Status::Active),
        (
            Event::Work(Outcome::Voicemail),
            "2026-11-25",
            3,
            Status::Active,
        ),
        (
            Event::Snooze {
                until: "2026-11-30".parse().expect("d"),
            },
            "2026-11-26",
            3,
            Status::Active,
        ),
        (
            Event::Pause { until: None },
            "2026-11-27",
            3,
            Status::Paused,
        ),
        (Event::Resume, "2026-12-01", 3, Status::Active),
        (
            Event::Skip {
                reason: "not connected yet".into(),
            },
            "2026-12-04",
            4,
            Status::Active,
        ),
    ];
    for (event, when, step, status) in script {
        let before = open_enrollment(&db, id).expect("open");
        session(&db, None, |d| {
            d.log_current(id, event.clone(), None, t(when))
        })
        .unwrap_or_else(|e| panic!("{event:?}: {e}"));
        let after = open_enrollment(&db, id).expect("still open");
        assert_eq!((after.step, after.status), (step, status), "{event:?}");
        assert_ne!(after, before, "{event:?} changed nothing on disk");
    }
    session(&db, None, |d| {
        d.log_current(id, Event::Replied, None, t("2026-12-04"))
    })
    .expect("reply");
    assert_eq!(open_enrollment(&db, id), None);
    let (history, all) = session(&db, None, |d| {
        (
            d.history(id)
                .map(|h| h.into_iter().map(|l| l.row).collect::<Vec<_>>())
                .expect("history"),
            d.enrollments(id)
                .map(|v| {
                    v.into_iter()
                        .map(|i| (i.enrollment, i.sequence_name))
                        .collect::<Vec<_>>()
                })
                .expect("enrollments"),
        )
    });
    assert_eq!(all[0].0.status, Status::Closed(Exit::Replied));
    let outcomes: Vec<Outcome> = history.iter().map(|h| h.outcome).collect();
    assert_eq!(
        outcomes,
        vec![
            Outcome::Sent,
            Outcome::Done,
            Outcome::Voicemail,
            Outcome::Snoozed,
            Outcome::Paused,
            Outcome::Resumed,
            Outcome::Skipped,
            Outcome::Replied
        ]
    );
    assert_eq!(history.last().and_then(|h| h.attributed_step), Some(2));
}

#[test]
fn undo_goes_back_many_levels_across_restarts() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("t.db");
    let mut snapshots = vec![session(&db, None, |_| dump_file(&db))];
    // Thirty actions of every kind, each in its own session.
    let mut ids = Vec::new();
    for i in 0..4 {
        let mut p = dana();
        p.first_name = format!("P{i}");
        p.email = Some(format!("p{i}@northwind.example"));
        p.linkedin = None;
        p.phone = Some(format!("+1 415 555 01{i:02}"));
        let seq = ["cold-21", "classic-4", "inbound", "rule-333"][i];
        ids.push(
            session(&db, None, |d| d.add(p, request(seq), t("2026-11-23")))
                .expect("add")
                .prospect_id,
        );
        snapshots.push(dump_file(&db));
    }
    let days = [
        "2026-11-23",
        "2026-11-24",
        "2026-11-25",
        "2026-11-26",
        "2026-11-27",
    ];
    let events = [
        Event::Work(Outcome::Sent),
        Event::Work(Outcome::Done),
        Event::Work(Outcome::WrongNumber),
        Event::Pause { until: None },
        Event::Resume,
        Event::Work(Outcome::Bounced),
        Event::OptedOut,
        Event::Replied,
    ];
    let mut done = 0;
    'outer: for (k, day) in days.iter().enumerate() {
        for (j, id) in ids.iter().enumerate() {
            let event = events[(k * 3 + j) % events.len()].clone();
            // Refused events (a resume of an active enrollment, …) are not actions.
            if session(&db, None, |d| d.log_current(*id, event, None, t(day))).is_ok() {
                snapshots.push(dump_file(&db));
                done += 1;
                if done == 12 {
                    break 'outer;
                }
            }
        }
    }
    assert!(done >= 10, "only {done} actions went through");
    // Undo them all, newest first, reopening the file for every undo.
    snapshots.pop();
    while let Some(expected) = snapshots.pop() {
        let message = session(&db, None, |d| d.undo(t("2026-11-30"))).expect("undo");
        assert!(message.starts_with("Undone"), "{message}");
        let got = dump_file(&db);
        assert_same(
            &without_journal(&got),
            &without_journal(&expected),
            &format!("undo back to level {}", snapshots.len()),
        );
    }
    let message = session(&db, None, |d| d.undo(t("2026-11-30"))).expect("undo");
    assert_eq!(message, "Nothing to undo.");
}

/// The dump with the undo journal (`actions`) cut down to the actions still in force: the
/// journal keeps a row for each undone action, saying when it was undone.
fn without_journal(
    d: &std::collections::BTreeMap<String, Vec<String>>,
) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut d = d.clone();
    if let Some(rows) = d.get_mut("actions") {
        // `undone_at` is the last column.
        rows.retain(|r| r.ends_with("| NULL"));
    }
    d
}

#[test]
fn a_database_from_a_newer_touchbase_or_another_program_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("dir");
    let ours = dir.path().join("ours.db");
    session(&ours, None, |d| {
        d.add(dana(), request("cold-7"), t("2026-11-23"))
    })
    .expect("add");
    // (file, what the error says)
    let newer = dir.path().join("newer.db");
    std::fs::copy(&ours, &newer).expect("copy");
    let c = rusqlite::Connection::open(&newer).expect("open");
    c.pragma_update(None, "user_version", 99).expect("pragma");
    c.pragma_update(None, "journal_mode", "DELETE")
        .expect("pragma");
    drop(c);
    let text = dir.path().join("notes.db");
    std::fs::write(
        &text,
        "Dana Reyes, Northwind\nnot a database at all\n".repeat(40),
    )
    .expect("write");
    let other = dir.path().join("other.db");
    let c = rusqlite::Connection::open(&other).expect("open");
    c.execute_batch("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT);")
        .expect("create");
    drop(c);
    for (file, says) in [
        (&newer, "newer touchbase"),
        (&text, "not a touchbase database"),
        (&other, "not a touchbase database"),
    ] {
        let before = bytes(file);
        let err = Desk::open(file, Library::new(None), Config::default())
            .err()
            .expect("refused");
        let msg = format!("{err:#}");
        assert!(msg.contains(says), "{msg}");
        assert!(msg.contains(&file.display().to_string()), "{msg}");
        assert_eq!(bytes(file), before, "{} was modified", file.display());
    }
}

#[test]
fn undoing_an_enrollment_forgets_the_sequence_version_it_stored() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("t.db");
    let mut desk = open(&db, None);
    let before = dump_file(&db);
    desk.add(dana(), request("cold-7"), t("2026-11-23"))
        .expect("add");
    assert_eq!(
        desk.queue(t("2026-11-23")).expect("queue")[0].sequence.name,
        "cold-7"
    );
    desk.undo(t("2026-11-23")).expect("undo");
    assert_eq!(
        dump_file(&db).get("sequence_versions"),
        before.get("sequence_versions")
    );
    // In the same session, the next enrollment's version may get the same id: it must be
    // read afresh, not taken from what the session saw before the undo.
    desk.add(dana(), request("classic-4"), t("2026-11-23"))
        .expect("add again");
    let queue = desk.queue(t("2026-11-23")).expect("queue");
    assert_eq!(queue[0].sequence_name, "classic-4");
    assert_eq!(queue[0].sequence.name, "classic-4");
    assert_eq!(queue[0].steps(), 4);
}

#[test]
fn an_older_database_is_upgraded_and_keeps_its_rows() {
    use touchbase::schema::{APPLICATION_ID, LATEST, migrations};
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("old.db");
    // A database as the first release wrote it: schema version 1, one prospect.
    let mut c = rusqlite::Connection::open(&db).expect("open");
    migrations().to_version(&mut c, 1).expect("version 1");
    c.pragma_update(None, "application_id", APPLICATION_ID)
        .expect("pragma");
    c.execute(
        "INSERT INTO prospects (first_name, last_name, email, company) VALUES ('Dana', 'Reyes', 'dana@northwind.example', 'Northwind')",
        [],
    )
    .expect("insert");
    drop(c);
    let mut desk = open(&db, None);
    let version = desk.pragma("user_version").expect("pragma");
    assert_eq!(version, LATEST);
    let p = desk.prospect("dana@northwind.example").expect("kept");
    assert_eq!(p.full_name(), "Dana Reyes");
    // And it works as any other: enroll, log, undo.
    desk.enroll("1", &request("classic-4").expect("req"), t("2026-11-23"))
        .expect("enroll");
    desk.log_current(1, Event::Work(Outcome::Sent), None, t("2026-11-23"))
        .expect("sent");
    desk.undo(t("2026-11-23")).expect("undo");
    assert_eq!(open_enrollment_in(&desk, 1).map(|e| e.step), Some(0));
}

fn open_enrollment_in(desk: &Desk, id: i64) -> Option<touchbase::domain::Enrollment> {
    desk.open_enrollment(id)
        .map(|o| o.map(|i| (i.enrollment, i.sequence_name)))
        .expect("query")
        .map(|(e, _)| e)
}

#[test]
fn an_action_waits_for_another_writer_instead_of_failing() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("t.db");
    let mut desk = open(&db, None);
    // Another touchbase (the app, say) holds the write lock for a moment.
    let other = rusqlite::Connection::open(&db).expect("open");
    other.execute_batch("BEGIN IMMEDIATE").expect("lock");
    let release = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(300));
        other.execute_batch("COMMIT").expect("unlock");
    });
    desk.add(dana(), request("cold-7"), t("2026-11-23"))
        .expect("the add waits for the lock and then goes through");
    release.join().expect("thread");
    assert!(open_enrollment_in(&desk, 1).is_some());
}
