//! The compact history keeps every text exactly: whatever is packed unpacks byte for byte,
//! with a dictionary made from templates and with one trained on the messages, and a book
//! from before packing reads the same after its upgrade.

use crate::db::{downgrade_to_16, message_of};
use proptest::prelude::*;
use rusqlite::Connection;
use std::collections::BTreeMap;
use std::sync::OnceLock;
use touchbase::message::{Unpacker, pack};

/// A demo book big enough that its newest dictionary was trained on its own messages.
fn trained_book() -> &'static (tempfile::TempDir, std::path::PathBuf) {
    static BOOK: OnceLock<(tempfile::TempDir, std::path::PathBuf)> = OnceLock::new();
    BOOK.get_or_init(|| {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("demo.db");
        touchbase::demo::build(&path, 400, crate::db::t("2026-11-23")).expect("demo");
        (dir, path)
    })
}

/// Every touch's text, by id.
fn texts(conn: &Connection) -> BTreeMap<i64, (Option<String>, Option<String>)> {
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM touches ORDER BY id")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("ids");
    ids.into_iter()
        .map(|id| {
            let m = message_of(conn, id);
            (id, (m.subject, m.body))
        })
        .collect()
}

fn text() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        Just(Some(String::new())),
        ".{0,40}".prop_map(Some),
        "(Hi [A-Z][a-z]{2,8},\n\n|[a-z ,.\n]{0,80}|Relaypoint|Sam Carter\n|\u{1F600}|é){0,40}"
            .prop_map(Some),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn whatever_is_packed_unpacks_exactly(subject in text(), body in text()) {
        let (_, path) = trained_book();
        let conn = Connection::open(path).expect("open");
        let tx = conn.unchecked_transaction().expect("tx");
        let packed = pack(&tx, subject.as_deref(), body.as_deref()).expect("pack");
        prop_assert_eq!(packed.is_none(), subject.is_none() && body.is_none());
        let back = Unpacker::new(&tx).unpack(packed.as_deref()).expect("unpack");
        prop_assert_eq!(back.subject, subject);
        prop_assert_eq!(back.body, body);
        // Nothing is kept: each case starts from the same book.
        tx.rollback().expect("rollback");
    }
}

#[test]
fn a_big_history_is_packed_with_a_dictionary_trained_on_it_and_reads_the_same() {
    let (_, path) = trained_book();
    let conn = Connection::open(path).expect("open");
    let kinds: Vec<bool> = conn
        .prepare("SELECT trained FROM text_dictionaries ORDER BY id")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("dictionaries");
    assert_eq!(kinds, [false, true], "one from templates, then one trained");
    let trained: i64 = conn
        .query_row(
            "SELECT count(*) FROM touches WHERE substr(message, 2, 1) = x'02'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert!(trained > 0, "later messages use the trained dictionary");
    // Emails carry a subject and a body of the length the templates give.
    let emails: Vec<i64> = conn
        .prepare("SELECT id FROM touches WHERE channel = 'email' AND is_touch = 1")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("emails");
    for id in emails {
        let m = message_of(&conn, id);
        assert!(m.subject.is_some_and(|s| !s.is_empty()), "touch {id}");
        assert!(m.body.is_some_and(|b| b.len() > 100), "touch {id}");
    }
}

#[test]
fn a_book_from_before_packing_reads_the_same_after_the_upgrade() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("demo.db");
    touchbase::demo::build(&path, 120, crate::db::t("2026-11-23")).expect("demo");
    let before = texts(&Connection::open(&path).expect("open"));
    assert!(before.values().filter(|(_, b)| b.is_some()).count() > 100);
    {
        let conn = Connection::open(&path).expect("open");
        downgrade_to_16(&conn);
        // The old layout: the text plain in its columns.
        let plain: BTreeMap<i64, (Option<String>, Option<String>)> = conn
            .prepare("SELECT id, subject, body FROM touches ORDER BY id")
            .and_then(|mut s| {
                s.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?
                    .collect()
            })
            .expect("plain");
        assert_eq!(plain, before);
    }
    let desk = crate::db::open(&path, None);
    drop(desk);
    let conn = Connection::open(&path).expect("open");
    assert_eq!(texts(&conn), before);
    let plain_columns: i64 = conn
        .query_row(
            "SELECT count(*) FROM pragma_table_xinfo('touches') WHERE name IN ('subject', 'body')",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(
        plain_columns, 0,
        "every text lives in the packed column alone"
    );
}
