//! The book's order kept as positions (what a search reads its matches in): whatever the
//! order of the writes — a name added again and again into the same gap, renames, undo —
//! the positions follow the name order (`db::dump` holds every dump to it), and a search
//! finds what `LIKE` finds, page after page, both ways.

use crate::db::{dump, open, t};
use crate::search_props::{like, pages, pages_back};
use proptest::prelude::*;
use rusqlite::Connection;
use std::collections::BTreeMap;
use touchbase::desk::{Desk, ProspectEdit};
use touchbase::domain::{Field, Prospect};

fn person(first: &str, last: &str, n: usize) -> Prospect {
    Prospect {
        first_name: first.into(),
        last_name: last.into(),
        email: Some(format!("p{n}@order.example")),
        company: Some("Ordering Co".into()),
        ..Prospect::default()
    }
}

fn add(desk: &mut Desk, first: &str, last: &str, n: usize) -> i64 {
    desk.add(person(first, last, n), None, t("2026-11-23"))
        .expect("add")
        .prospect_id
}

fn rename(desk: &mut Desk, id: i64, last: &str) {
    let edit = ProspectEdit {
        set: BTreeMap::from([(Field::LastName, last.to_string())]),
        ..ProspectEdit::default()
    };
    desk.edit(&id.to_string(), &edit, t("2026-11-23"))
        .expect("rename");
}

/// Every page of a search, forward from the first and back from the last (as the
/// Prospects view reads them, `search_props`).
fn both_ways(desk: &Desk, needle: &str, size: usize) -> (Vec<i64>, Vec<i64>) {
    (pages(desk, needle, size), pages_back(desk, needle, size))
}

/// Each new name sorts right after the one before and before the last of the book: every
/// write halves the same gap, so it runs out and the stretch around it is spread again,
/// over and over.
#[test]
fn names_added_one_by_one_into_the_same_gap_keep_their_order() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("t.db");
    let mut desk = open(&path, None);
    add(&mut desk, "Ada", "Aab", 0);
    add(&mut desk, "Zoe", "Zzz", 1);
    let mut ids = Vec::new();
    for n in 0..90 {
        ids.push(add(&mut desk, "Mo", &format!("Mid{n:03}"), n + 2));
    }
    let conn = Connection::open(&path).expect("open");
    let gaps: i64 = conn
        .query_row(
            "SELECT min(b.pos - a.pos) FROM book_positions a JOIN book_positions b \
             ON b.pos = (SELECT min(pos) FROM book_positions WHERE pos > a.pos)",
            [],
            |r| r.get(0),
        )
        .expect("gaps");
    assert!(gaps >= 1, "no two share a position");
    let (forward, back) = both_ways(&desk, "mid", 7);
    assert_eq!(
        forward, ids,
        "Mid000 to Mid089, in the order they were added"
    );
    assert_eq!(back, ids);
    dump(&conn);
    // Backwards too: each new name sorts before the one added before it.
    let mut before = Vec::new();
    for n in 0..60 {
        before.insert(
            0,
            add(&mut desk, "Bo", &format!("Bee{:03}", 999 - n), n + 200),
        );
    }
    let (forward, back) = both_ways(&desk, "bee", 9);
    assert_eq!((forward.clone(), back), (before.clone(), before));
    assert_eq!(forward.len(), 60);
    dump(&conn);
}

/// One change to the book.
#[derive(Debug, Clone)]
enum Change {
    Add(String, String),
    Rename(usize, String),
    Undo,
}

/// Last names from a small set, so many are equal and many fall into the same gaps.
fn last_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Ng".to_string()),
        Just("Ngo".to_string()),
        Just("Ñúñez".to_string()),
        Just("O'Neil".to_string()),
        Just("Zhang".to_string()),
        Just(String::new()),
        "[a-c]{1,3}",
        "Mid[0-9]{2}",
    ]
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        4 => ("[A-C][a-z]{0,2}", last_name()).prop_map(|(f, l)| Change::Add(f, l)),
        2 => (0..40usize, last_name()).prop_map(|(i, l)| Change::Rename(i, l)),
        1 => Just(Change::Undo),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]
    #[test]
    fn any_writes_and_undos_keep_the_order_and_the_search(changes in prop::collection::vec(change(), 1..60)) {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("t.db");
        let mut desk = open(&path, None);
        let mut ids: Vec<i64> = Vec::new();
        for (n, c) in changes.iter().enumerate() {
            match c {
                Change::Add(first, last) => ids.push(add(&mut desk, first, last, n)),
                Change::Rename(i, last) if !ids.is_empty() => {
                    let id = ids[i % ids.len()];
                    // A prospect an undo took away cannot be renamed.
                    if desk.prospect(&id.to_string()).is_ok() {
                        rename(&mut desk, id, last);
                    }
                }
                Change::Rename(..) => {}
                Change::Undo => {
                    let _ = desk.undo(t("2026-11-23"));
                }
            }
        }
        let conn = Connection::open(&path).expect("open");
        dump(&conn);
        for needle in ["ord", "ngo", "zha", "úñe", "o'n", "mid", "p1@"] {
            let want = like(&conn, needle);
            let (forward, back) = both_ways(&desk, needle, 3);
            prop_assert_eq!(&forward, &want, "forward, {}", needle);
            prop_assert_eq!(&back, &want, "back, {}", needle);
        }
    }
}
