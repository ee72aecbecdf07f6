//! Marked rows: one snooze, pause, removal or enrollment for all of them, one undo back.

use super::{Fixture, day};

#[test]
fn five_marked_touches_snooze_together_and_one_undo_brings_them_back() {
    let mut f = Fixture::seeded();
    f.resize(120, 40);
    f.press(&["g", "v", "v", "v", "v", "v"]);
    assert!(f.status().contains("5 prospects marked"), "{}", f.status());
    super::snapshots::snap("queue_marked_120x40", &f.screen());
    f.press(&["z"]);
    assert!(
        f.screen().contains("Snooze 5 marked prospects"),
        "{}",
        f.screen()
    );
    f.press(&["t"]);
    assert!(
        f.status().contains("5 prospects snoozed until tomorrow"),
        "{}",
        f.status()
    );
    assert!(f.app.queue.entries.is_empty(), "{:?}", f.app.queue.entries);
    let lee = f.prospect_id("lee@quanta.example");
    let due = f
        .app
        .desk
        .open_enrollment(lee)
        .expect("query")
        .expect("open")
        .enrollment
        .due
        .map(|d| d.date());
    assert_eq!(due, Some(day("2026-11-24")));
    f.press(&["u"]);
    assert_eq!(
        f.app.queue.entries.len(),
        5,
        "one undo brings all five back"
    );
}

#[test]
fn a_marked_row_that_moved_on_elsewhere_refuses_them_all() {
    let mut f = Fixture::seeded();
    f.press(&["g", "v", "v"]);
    // Another window works the second marked touch first.
    let mut other = f.second_window();
    other.select("Dana Reyes");
    other.press(&["space", "v"]);
    f.press(&["z", "t"]);
    assert!(
        f.status().contains("nothing was changed for the 2"),
        "{}",
        f.status()
    );
    assert!(f.in_queue("Omar Haddad"), "{}", f.screen());
}

#[test]
fn esc_clears_the_marks_and_a_lone_key_acts_on_the_selected_row_again() {
    let mut f = Fixture::seeded();
    f.press(&["g", "v", "v", "Esc"]);
    assert!(f.status().contains("Marks cleared"), "{}", f.status());
    assert!(f.app.queue.marked.is_empty());
    f.select("Lee Park");
    f.press(&["z"]);
    assert!(f.screen().contains("Snooze Lee Park"), "{}", f.screen());
}

#[test]
fn marked_prospects_enroll_together() {
    let mut f = Fixture::seeded();
    f.press(&["2", "/"]);
    f.type_text("example");
    f.press(&["Enter", "g"]);
    let before = f.app.prospects.rows.len();
    assert!(before >= 2);
    f.press(&["v", "v", "e"]);
    assert!(
        f.screen().contains("Enroll 2 marked prospects"),
        "{}",
        f.screen()
    );
    f.press(&["1"]);
    assert!(f.status().contains("Enrolled"), "{}", f.status());
    assert!(f.status().contains("u undoes all of it"), "{}", f.status());
}

#[test]
fn marked_rows_at_80x24() {
    let mut f = Fixture::seeded();
    f.resize(80, 24);
    f.press(&["g", "v", "v", "j", "v"]);
    super::snapshots::snap("queue_marked_80x24", &f.screen());
}

#[test]
fn marked_prospects_snooze_together_from_the_prospects_view() {
    let mut f = Fixture::seeded();
    f.press(&["2", "g", "v", "v", "z"]);
    assert!(
        f.screen().contains("Snooze 2 marked prospects' touches"),
        "{}",
        f.screen()
    );
    f.press(&["t"]);
    assert!(
        f.status().contains("2 prospects snoozed until tomorrow"),
        "{}",
        f.status()
    );
    f.press(&["1"]);
    assert_eq!(f.app.queue.entries.len(), 3, "{}", f.screen());
    f.press(&["u"]);
    assert_eq!(f.app.queue.entries.len(), 5);
}

#[test]
fn marked_touches_pause_together_and_are_removed_together_with_one_reason() {
    let mut f = Fixture::seeded();
    f.press(&["g", "v", "v", "p"]);
    assert!(
        f.screen().contains("Pause 2 marked prospects"),
        "{}",
        f.screen()
    );
    f.press(&["Enter"]);
    assert!(f.status().contains("2 prospects paused"), "{}", f.status());
    f.press(&["u"]);
    assert_eq!(f.app.queue.entries.len(), 5);
    f.press(&["g", "v", "v", "R"]);
    assert!(
        f.screen().contains("Remove 2 marked prospects"),
        "{}",
        f.screen()
    );
    f.press(&["d"]);
    assert!(
        f.status()
            .contains("2 prospects removed from their sequences (deal closed)"),
        "{}",
        f.status()
    );
    assert_eq!(f.app.queue.entries.len(), 3);
    f.press(&["u"]);
    assert_eq!(f.app.queue.entries.len(), 5, "one undo brings both back");
}
