//! Crash safety through the binary: hundreds of scripted actions, each process killed
//! (SIGKILL) at a random moment. Afterwards the file is intact, every action that was
//! acknowledged (exit 0 before the kill) is there, and no action is half done.

use crate::db::dump_file;
use crate::util::{Rng, Sandbox, run_killed};
use std::time::Duration;

const MON: &str = "2026-11-23T10:00";

/// Runs the action to its end and fails with what it printed unless it succeeded.
fn finishes(sb: &Sandbox, args: &[String], what: &str) {
    let out = sb.cmd(MON).args(args).output().expect("run");
    assert!(
        out.status.success(),
        "{what}: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

fn count(rows: Option<&Vec<String>>, needle: &str) -> usize {
    rows.map_or(0, |r| r.iter().filter(|row| row.contains(needle)).count())
}

#[test]
fn killed_actions_are_all_or_nothing_and_acknowledged_ones_survive() {
    let sb = Sandbox::new();
    sb.write_me();
    let mut rng = Rng(0x5eed_1234);
    // The book is made under the same kills (an import of a header with no rows makes one
    // and adds nobody): whatever first use is cut short, the next one finishes making it.
    let empty = sb.dir.path().join("empty.csv");
    std::fs::write(&empty, "first_name,email\n").expect("csv");
    let make = strings(&["import", empty.to_str().expect("path")]);
    for _ in 0..20 {
        let after = Duration::from_millis(rng.below(31));
        run_killed(&sb, MON, &make, after);
    }
    finishes(
        &sb,
        &make,
        "the book is made after its making was cut short",
    );
    finishes(
        &sb,
        &strings(&["due"]),
        "the book opens after its making was cut short",
    );
    let mut acknowledged_adds = Vec::new();
    let mut acknowledged_sends = Vec::new();
    let mut added = Vec::new();
    let actions = 220;
    for n in 0..actions {
        let after = Duration::from_millis(rng.below(31));
        // Two adds (each with its enrollment), then a send for an earlier prospect.
        if n % 3 != 2 || added.is_empty() {
            let email = format!("p{n}@crash.example");
            let args = strings(&[
                "add",
                "--first",
                &format!("P{n}"),
                "--last",
                "Crash",
                "--email",
                &email,
                "--company",
                "Crashworks",
                "--sequence",
                "cold-7",
            ]);
            if run_killed(&sb, MON, &args, after) {
                acknowledged_adds.push(email.clone());
            }
            added.push(email);
        } else {
            let i = usize::try_from(rng.below(added.len() as u64)).expect("index");
            let email = added[i].clone();
            if run_killed(&sb, MON, &strings(&["log", &email, "sent"]), after) {
                acknowledged_sends.push(email);
            }
        }
    }
    assert!(
        acknowledged_adds.len() > 20 && acknowledged_adds.len() < actions,
        "{} of {actions} adds acknowledged: the kills should land before and after commits",
        acknowledged_adds.len()
    );
    let conn = rusqlite::Connection::open(sb.db()).expect("open");
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity");
    assert_eq!(check, "ok");
    drop(conn);
    let dump = dump_file(&sb.db());
    let prospects = dump.get("prospects");
    for email in &acknowledged_adds {
        assert_eq!(
            count(prospects, &format!("\"{email}\"")),
            1,
            "{email} was acknowledged"
        );
    }
    for email in &acknowledged_sends {
        let id_of = |e: &str| {
            prospects
                .and_then(|rows| rows.iter().find(|r| r.contains(&format!("\"{e}\""))))
                .and_then(|r| r.split(" | ").next().map(str::to_string))
                .expect("prospect")
        };
        let id = id_of(email);
        let sent = dump.get("touches").map_or(0, |rows| {
            rows.iter()
                .filter(|r| {
                    let cells: Vec<&str> = r.split(" | ").collect();
                    cells.get(3) == Some(&id.as_str()) && r.contains("\"sent\"")
                })
                .count()
        });
        assert_eq!(sent, 1, "{email}'s acknowledged send");
    }
    // Nothing half done: every prospect has its enrollment and its add action, every send
    // its action, and no touch was logged twice.
    let n_prospects = prospects.map_or(0, Vec::len);
    let n_enrollments = dump.get("enrollments").map_or(0, Vec::len);
    let actions_rows = dump.get("actions");
    assert_eq!(n_prospects, n_enrollments);
    assert_eq!(count(actions_rows, "\"add\""), n_prospects);
    let sent_touches = count(dump.get("touches"), "\"sent\"");
    assert_eq!(count(actions_rows, "\"sent\""), sent_touches);
    assert!(sent_touches <= n_prospects, "a touch was logged twice");
    assert_eq!(
        count(actions_rows, "\"{}\""),
        0,
        "an action without its undo record"
    );
}

/// The state a first use leaves when it is killed inside its first transaction: the file
/// holds pages written early (a small cache spilled them) and its rollback journal is hot,
/// so the next open rolls the file back to nothing.
fn cut_short_with_a_hot_journal(book: &std::path::Path) {
    let making = book.with_extension("making");
    std::fs::create_dir_all(book.parent().expect("folder")).expect("folder");
    let conn = rusqlite::Connection::open(&making).expect("open");
    conn.execute_batch(
        "PRAGMA journal_mode = DELETE; PRAGMA cache_size = 10;
         BEGIN; CREATE TABLE t (x);
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
         INSERT INTO t SELECT randomblob(3000) FROM n;",
    )
    .expect("spill");
    let journal = format!("{}-journal", making.display());
    assert!(
        std::fs::metadata(&making).expect("file").len() > 0,
        "pages reached the file"
    );
    std::fs::copy(&making, book).expect("copy");
    std::fs::copy(&journal, format!("{}-journal", book.display())).expect("copy journal");
    drop(conn);
}

#[test]
fn a_first_use_cut_short_with_its_journal_hot_is_made_a_book_the_next_time() {
    let sb = Sandbox::new();
    sb.write_me();
    cut_short_with_a_hot_journal(&sb.db());
    let empty = sb.dir.path().join("empty.csv");
    std::fs::write(&empty, "first_name,email\n").expect("csv");
    finishes(
        &sb,
        &strings(&["import", empty.to_str().expect("path")]),
        "made",
    );
    finishes(&sb, &strings(&["due"]), "opened");
    let conn = rusqlite::Connection::open(sb.db()).expect("open");
    let id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .expect("id");
    assert_eq!(id, touchbase::schema::APPLICATION_ID);
}

#[test]
fn a_book_an_earlier_cut_left_unmarked_is_marked_and_a_look_alike_is_not() {
    let sb = Sandbox::new();
    sb.write_me();
    sb.add_dana(MON, "cold-7");
    let conn = rusqlite::Connection::open(sb.db()).expect("open");
    conn.pragma_update(None, "application_id", 0)
        .expect("unmark");
    drop(conn);
    finishes(&sb, &strings(&["due"]), "the unmarked book opens");
    let conn = rusqlite::Connection::open(sb.db()).expect("open");
    let id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .expect("id");
    assert_eq!(id, touchbase::schema::APPLICATION_ID);
    drop(conn);

    // Another program's file with a version number and a table of the same name.
    let other = Sandbox::new();
    std::fs::create_dir_all(other.db().parent().expect("folder")).expect("folder");
    let conn = rusqlite::Connection::open(other.db()).expect("open");
    conn.execute_batch("PRAGMA user_version = 3; CREATE TABLE prospects (name);")
        .expect("look-alike");
    drop(conn);
    let before = std::fs::read(other.db()).expect("bytes");
    other
        .cmd(MON)
        .arg("due")
        .assert()
        .failure()
        .stderr(predicates::str::contains("not a touchbase database"));
    assert_eq!(std::fs::read(other.db()).expect("bytes"), before);
}
