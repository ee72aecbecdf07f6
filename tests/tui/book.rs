//! The Prospects view over a whole book: paged by key from the first prospect to the last,
//! narrowed by status with counts.

use super::Fixture;
use touchbase::import::ImportOptions;

/// The seeded fixture and 1,000 more prospects, "Kim Book0000" … by last name.
fn big_book() -> Fixture {
    book_of(1000)
}

/// The seeded fixture and `n` more prospects, "Kim Book00000" … (five digits past 9,999).
fn book_of(n: usize) -> Fixture {
    let mut f = Fixture::seeded();
    let dir = tempfile::tempdir().expect("dir");
    let csv = dir.path().join("book.csv");
    let mut text = String::from("First Name,Last Name,Email\n");
    let width = if n > 10_000 { 5 } else { 4 };
    for i in 0..n {
        text.push_str(&format!("Kim,Book{i:0width$},kim{i}@book.example\n"));
    }
    std::fs::write(&csv, text).expect("write");
    f.app
        .desk
        .import(&csv, &ImportOptions::default(), super::now())
        .expect("import");
    f.app.reload().expect("reload");
    f
}

#[test]
fn g_and_shift_g_reach_the_first_and_last_prospect_and_j_k_cross_every_page() {
    let mut f = big_book();
    f.resize(120, 40);
    f.press(&["2"]);
    assert!(
        f.screen().contains("1,005 prospects") || f.screen().contains("1005 prospects"),
        "{}",
        f.screen()
    );
    f.press(&["G"]);
    let last = f
        .app
        .prospects
        .selected_prospect()
        .expect("last")
        .full_name();
    assert_eq!(last, "Ana Silva", "Silva sorts last");
    f.press(&["g"]);
    let first = f
        .app
        .prospects
        .selected_prospect()
        .expect("first")
        .full_name();
    assert_eq!(first, "Kim Book0000");
    // Down through the whole book one row at a time, in order, past every page edge.
    let mut seen = vec![first];
    for _ in 0..1004 {
        f.press(&["j"]);
        seen.push(
            f.app
                .prospects
                .selected_prospect()
                .expect("row")
                .full_name(),
        );
    }
    let distinct: std::collections::HashSet<&String> = seen.iter().collect();
    assert_eq!(distinct.len(), 1005, "every prospect once");
    assert_eq!(seen.last().map(String::as_str), Some("Ana Silva"));
    assert!(f.app.prospects.rows.len() <= 600, "the window stays small");
    // And back up again across the edges.
    for _ in 0..1004 {
        f.press(&["k"]);
    }
    assert_eq!(
        f.app
            .prospects
            .selected_prospect()
            .expect("row")
            .full_name(),
        "Kim Book0000"
    );
    // The card follows the selection.
    assert!(f.screen().contains("kim0@book.example"), "{}", f.screen());
}

#[test]
fn f_shows_one_status_with_its_count() {
    let mut f = Fixture::seeded();
    f.resize(120, 40);
    f.select("Lee Park");
    f.press(&["r", "r"]);
    f.press(&["2", "f"]);
    let screen = f.screen();
    assert!(screen.contains("replied (1)"), "{screen}");
    assert!(screen.contains("active (4)"), "{screen}");
    super::snapshots::snap("prospects_status_picker_120x40", &screen);
    let key = f
        .app
        .modal
        .as_ref()
        .and_then(|m| match m {
            touchbase::tui::modal::Modal::Pick(p) => p
                .choices
                .iter()
                .find(|c| c.label.starts_with("replied"))
                .map(|c| c.key),
            _ => None,
        })
        .expect("a replied choice");
    f.press(&[&key.to_string()]);
    let names: Vec<String> = f.app.prospects.rows.iter().map(|p| p.full_name()).collect();
    assert_eq!(names, vec!["Lee Park".to_string()]);
    assert!(
        f.screen().contains("Prospects · 1 replied"),
        "{}",
        f.screen()
    );
    f.press(&["Esc"]);
    assert_eq!(f.app.prospects.rows.len(), 5);
}

#[test]
fn the_status_picker_and_the_sequences_view_at_80x24() {
    let mut f = Fixture::seeded();
    f.resize(80, 24);
    f.press(&["2", "f"]);
    super::snapshots::snap("prospects_status_picker_80x24", &f.screen());
    f.press(&["Esc", "3"]);
    super::snapshots::snap("sequences_80x24", &f.screen());
}

#[test]
fn a_rare_status_pages_the_same_rows_as_a_common_one_would() {
    let mut f = big_book();
    f.select("Lee Park");
    f.press(&["r", "r"]);
    let desk = &f.app.desk;
    for (status, _) in desk.status_counts().expect("counts") {
        let mut pages = Vec::new();
        for rare in [false, true] {
            let mut rows = Vec::new();
            let mut page = touchbase::desk::Page::First;
            loop {
                let got = desk
                    .book_page(
                        &touchbase::desk::BookFilter {
                            needle: "",
                            status: Some(&status),
                            rare,
                        },
                        &page,
                        7,
                    )
                    .expect("page")
                    .rows;
                let Some(last) = got.last() else { break };
                page = touchbase::desk::Page::After(touchbase::desk::BookKey::of(last));
                let n = got.len();
                rows.extend(got.into_iter().map(|p| p.id));
                if n < 7 {
                    break;
                }
            }
            pages.push(rows);
        }
        assert_eq!(pages[0], pages[1], "{status}");
        assert!(!pages[0].is_empty(), "{status}");
    }
}

#[test]
fn a_two_letter_search_in_a_big_book_says_it_looked_at_part_of_it() {
    let mut f = book_of(5_100);
    f.resize(120, 40);
    f.press(&["2", "/"]);
    f.type_text("qz");
    let screen = f.screen();
    assert!(
        screen.contains("2,000 names searched: type more"),
        "{screen}"
    );
    assert!(
        !screen.contains("0 matching"),
        "no count for a search that stopped early"
    );
    // A third letter searches the whole book.
    f.type_text("x");
    let screen = f.screen();
    assert!(screen.contains("0 matching"), "{screen}");
    assert!(!screen.contains("names searched"), "{screen}");
}
