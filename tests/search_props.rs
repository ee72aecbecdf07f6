//! Search as you type finds exactly what `LIKE '%needle%'` on name, company and email finds,
//! in book order, page after page, whichever way it takes: the trigram index read in book
//! order (by each prospect's position) for three letters or more, a short walk for one or
//! two.

use crate::db::open;
use proptest::prelude::*;
use rusqlite::Connection;
use std::sync::OnceLock;
use touchbase::desk::{BookFilter, BookKey, Desk, Page};
use touchbase::import::ImportOptions;

/// Syllables the names are made of; some letters only a few names carry.
const PARTS: &[&str] = &[
    "an", "be", "co", "da", "el", "fi", "go", "ha", "ix", "jo", "ka", "lu", "mé", "no", "ö", "pa",
    "qu", "ri", "so", "ta", "uz", "vi", "wy", "xe", "yo", "ze", "O'", "-",
];

/// Prospects in the book: fewer than a short needle reads, so it searches the whole book.
const BOOK: usize = 1_900;

fn part(i: usize) -> &'static str {
    PARTS.get(i % PARTS.len()).copied().unwrap_or("a")
}

/// A name from the syllables of `i` (a stable, spread mix).
fn word(i: usize, salt: usize) -> String {
    let mut x = i.wrapping_mul(2_654_435_761).wrapping_add(salt * 97);
    let mut w = String::new();
    for _ in 0..2 + x % 3 {
        w.push_str(part(x));
        x /= PARTS.len();
        x = x.wrapping_mul(31).wrapping_add(7);
    }
    let mut chars = w.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => w,
    }
}

/// One book for every case: built once, then only read.
fn book() -> &'static (tempfile::TempDir, std::path::PathBuf) {
    static BOOK_DB: OnceLock<(tempfile::TempDir, std::path::PathBuf)> = OnceLock::new();
    BOOK_DB.get_or_init(|| {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("book.db");
        let csv = dir.path().join("book.csv");
        let mut text = String::from("First Name,Last Name,Email,Company\n");
        for i in 0..BOOK {
            let company = if i % 17 == 0 {
                String::new()
            } else {
                format!(
                    "{} {}",
                    word(i, 3),
                    ["Ltd", "GmbH", "& Co", "100%_Pure"][i % 4]
                )
            };
            text.push_str(&format!(
                "{},{},p{i}@mail{}.example,\"{company}\"\n",
                word(i, 1),
                word(i, 2),
                word(i, 4)
                    .to_lowercase()
                    .chars()
                    .filter(char::is_ascii_alphanumeric)
                    .collect::<String>()
            ));
        }
        std::fs::write(&csv, text).expect("write");
        let mut desk = open(&path, None);
        desk.import(&csv, &ImportOptions::default(), crate::db::t("2026-11-23"))
            .expect("import");
        (dir, path)
    })
}

/// The book order of every prospect `LIKE` finds, as the search defines it.
pub fn like(conn: &Connection, needle: &str) -> Vec<i64> {
    let needle = needle.trim().replace(['%', '_'], "");
    let mut stmt = conn
        .prepare(
            "SELECT id FROM prospects WHERE first_name || ' ' || last_name LIKE ?1 \
             OR company LIKE ?1 OR email LIKE ?1 ORDER BY last_name, first_name, id",
        )
        .expect("reference");
    stmt.query_map([format!("%{needle}%")], |r| r.get(0))
        .expect("reference")
        .collect::<Result<_, _>>()
        .expect("reference")
}

/// Every page of the search, first to last, as the Prospects view reads them.
/// Prospects of any status whose name, company or email holds `needle`.
fn everyone(needle: &str) -> BookFilter<'_> {
    BookFilter {
        needle,
        ..BookFilter::default()
    }
}

pub fn pages(desk: &Desk, needle: &str, size: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut page = Page::First;
    loop {
        let got = desk
            .book_page(&everyone(needle), &page, size)
            .expect("page");
        assert!(!got.partial, "a book this size is searched whole");
        let n = got.rows.len();
        ids.extend(got.rows.iter().map(|p| p.id));
        let Some(last) = got.rows.last() else { break };
        page = Page::After(BookKey::of(last));
        if n < size {
            break;
        }
    }
    ids
}

/// Every page of the search from the last back to the first (`G`, then up), in book order.
pub fn pages_back(desk: &Desk, needle: &str, size: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut page = Page::Last;
    loop {
        let got = desk
            .book_page(&everyone(needle), &page, size)
            .expect("page");
        let n = got.rows.len();
        ids.splice(0..0, got.rows.iter().map(|p| p.id));
        let Some(first) = got.rows.first() else { break };
        page = Page::Before(BookKey::of(first));
        if n < size {
            break;
        }
    }
    ids
}

/// A needle: part of a stored name, company or email (in any case), or letters at random.
fn needle() -> impl Strategy<Value = String> {
    prop_oneof![
        (0..BOOK, 0..5usize, 0..8usize, 1..7usize).prop_map(|(i, which, from, len)| {
            let source = match which {
                0 => word(i, 1),
                1 => word(i, 2),
                2 => format!("{} {}", word(i, 1), word(i, 2)),
                3 => word(i, 3),
                _ => format!("p{i}@"),
            };
            let chars: Vec<char> = source.chars().collect();
            let from = from.min(chars.len().saturating_sub(1));
            let taken: String = chars.iter().skip(from).take(len).collect();
            if i % 2 == 0 {
                taken.to_uppercase()
            } else {
                taken
            }
        }),
        "[a-zé'%_ .@-]{1,5}",
        Just("example".to_string()),
        Just("zz".to_string()),
        Just("100%".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn search_finds_what_like_finds_page_after_page(needle in needle(), size in 20..300usize) {
        let (_, path) = book();
        let desk = open(path, None);
        let conn = Connection::open(path).expect("open");
        let want = like(&conn, &needle);
        prop_assert_eq!(pages(&desk, &needle, size), want.clone(), "paged, {} a page", size);
        let first: Vec<i64> = desk.search(&needle, 200).expect("search").iter().map(|p| p.id).collect();
        prop_assert_eq!(first, want.into_iter().take(200).collect::<Vec<_>>());
    }
}

#[test]
fn the_index_follows_every_change_to_a_name_and_its_undo() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("t.db");
    let mut desk = open(&path, None);
    let csv = dir.path().join("few.csv");
    std::fs::write(
        &csv,
        "First Name,Last Name,Email,Company\nQuinn,Abernathy,quinn@zest.example,Zestwave\n",
    )
    .expect("write");
    let now = crate::db::t("2026-11-23");
    desk.import(&csv, &ImportOptions::default(), now)
        .expect("import");
    let names = |desk: &Desk, needle: &str| -> Vec<String> {
        desk.search(needle, 10)
            .expect("search")
            .iter()
            .map(|p| p.full_name())
            .collect()
    };
    assert_eq!(names(&desk, "berna"), ["Quinn Abernathy"]);
    assert_eq!(names(&desk, "zestw"), ["Quinn Abernathy"]);
    desk.undo(now).expect("undo the import");
    assert!(
        names(&desk, "berna").is_empty(),
        "an undone import leaves no trace"
    );
    desk.import(&csv, &ImportOptions::default(), now)
        .expect("import again");
    assert_eq!(names(&desk, "quinn@zest"), ["Quinn Abernathy"]);
}

/// A file big enough that the import indexes its rows at the end rather than row by row.
#[test]
fn a_big_import_is_searchable_and_so_is_its_update_and_undo() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("t.db");
    let mut desk = open(&path, None);
    let now = crate::db::t("2026-11-23");
    let write = |surname: &str| {
        let csv = dir.path().join(format!("{surname}.csv"));
        let mut text = String::from("First Name,Last Name,Email,Company,Title\n");
        for i in 0..4_000 {
            text.push_str(&format!(
                "Row{i},{surname}{i},row{i}@bulk.example,Bulkcorp Holdings {i},Head of a long title\n"
            ));
        }
        assert!(text.len() > 256 * 1024, "past the big-file size");
        std::fs::write(&csv, text).expect("write");
        csv
    };
    let first = write("Quillfeather");
    desk.import(&first, &ImportOptions::default(), now)
        .expect("import");
    let found = |desk: &Desk, needle: &str| desk.search(needle, 5000).expect("search").len();
    assert_eq!(found(&desk, "quillfeather"), 4_000);
    assert_eq!(found(&desk, "quillfeather3999"), 1);
    // The same people again under new surnames (matched by email): the index follows.
    let second = write("Marrowbank");
    desk.import(&second, &ImportOptions::default(), now)
        .expect("import again");
    assert_eq!(found(&desk, "quillfeather"), 0);
    assert_eq!(found(&desk, "marrowbank12"), 111);
    desk.undo(now).expect("undo the update");
    assert_eq!(found(&desk, "marrowbank"), 0);
    assert_eq!(found(&desk, "quillfeather"), 4_000);
    desk.undo(now).expect("undo the import");
    assert_eq!(found(&desk, "quillfeather"), 0);
}

/// A search narrowed by a status finds what `LIKE` and the latest enrollment's status find,
/// whichever way each is read.
#[test]
fn a_search_within_a_status_finds_what_like_and_the_status_find() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("demo.db");
    touchbase::demo::build(&path, 1_900, crate::db::t("2026-11-23")).expect("demo");
    let desk = open(&path, None);
    let conn = Connection::open(&path).expect("open");
    let statuses: Vec<String> = desk
        .status_counts()
        .expect("counts")
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    assert!(statuses.len() >= 4, "{statuses:?}");
    for status in &statuses {
        for needle in ["", "an", "zhang", "example", "ller", "son", "Q"] {
            let mut want: Vec<i64> = like(&conn, needle);
            let with_status: std::collections::HashSet<i64> = conn
                .prepare(
                    "SELECT p.id FROM prospects p WHERE coalesce((SELECT e.status FROM \
                     enrollments e WHERE e.prospect_id = p.id ORDER BY e.id DESC LIMIT 1), \
                     'none') = ?1",
                )
                .and_then(|mut s| s.query_map([status], |r| r.get(0))?.collect())
                .expect("status");
            want.retain(|id| with_status.contains(id));
            for rare in [false, true] {
                let mut got = Vec::new();
                let mut page = Page::First;
                loop {
                    let found = desk
                        .book_page(
                            &BookFilter {
                                needle,
                                status: Some(status),
                                rare,
                            },
                            &page,
                            50,
                        )
                        .expect("page");
                    got.extend(found.rows.iter().map(|p| p.id));
                    match found.rows.last() {
                        Some(last) if found.rows.len() == 50 => {
                            page = Page::After(BookKey::of(last))
                        }
                        _ => break,
                    }
                }
                assert_eq!(got, want, "{needle:?} in {status} (rare: {rare})");
            }
        }
    }
}

/// Books built to defeat a fast path: one letter repeated, every name sharing a prefix, the
/// matches gathered at the end of the name order, non-Latin scripts and accents. Every needle, letter by letter and page after page, finds what `LIKE` finds.
#[test]
fn adversarial_names_find_what_like_finds_letter_by_letter() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("adversarial.db");
    let csv = dir.path().join("adversarial.csv");
    let mut text = String::from("First Name,Last Name,Email,Company\n");
    // Fewer rows in all than a short search walks, so it walks the whole book.
    for i in 0..1_800 {
        let a = "a".repeat(1 + i % 7);
        text.push_str(&format!("A{a},Aaa{a},aa{i}@aaa.example,Aaaa {}\n", i % 5));
    }
    for i in 0..60 {
        let last = ["Zhang", "Zhao", "Zhangsun"][i % 3];
        text.push_str(&format!("Wei{i},{last},wei{i}@zh.example,\n"));
    }
    for i in 0..40 {
        let (first, last) = [
            ("伟", "张"),
            ("Вэй", "Чжан"),
            ("Zoë", "Ångström"),
            ("Chloé", "Zhänger"),
        ][i % 4];
        text.push_str(&format!("{first},{last},x{i}@intl.example,Ärzte{i}\n"));
    }
    std::fs::write(&csv, text).expect("write");
    let mut desk = open(&path, None);
    desk.import(&csv, &ImportOptions::default(), crate::db::t("2026-11-23"))
        .expect("import");
    let conn = Connection::open(&path).expect("open");
    for word in [
        "zhang", "aaaa", "wei1", "чжан", "张伟", "ångs", "zhä", "aa0@", "ärzte1",
    ] {
        let chars: Vec<char> = word.chars().collect();
        for n in 1..=chars.len() {
            let needle: String = chars.iter().take(n).collect();
            let want = like(&conn, &needle);
            for size in [7, 40] {
                assert_eq!(
                    pages(&desk, &needle, size),
                    want,
                    "{needle:?}, {size} a page"
                );
                assert_eq!(pages_back(&desk, &needle, size), want, "{needle:?} back");
            }
        }
    }
}
