//! Two windows on one database, a touch that is not ready, and the too-small screen: keys
//! never act on a touch the rep did not see.

use super::Fixture;
use crate::db::dump_file;
use touchbase::domain::Outcome;
use touchbase::tui::Effect;

fn sent_count(f: &Fixture, email: &str) -> usize {
    let id = f.prospect_id(email);
    f.app
        .desk
        .history(id)
        .expect("history")
        .iter()
        .filter(|h| h.row.outcome == Outcome::Sent)
        .count()
}

#[test]
fn the_stale_window_refuses_and_refreshes() {
    let mut a = Fixture::seeded();
    let mut b = a.second_window();
    a.select("Lee Park");
    b.select("Lee Park");
    a.press(&["space"]);
    assert!(a.status().starts_with("Sent 1/4"), "{}", a.status());
    // B still shows step 1: its space must not log step 2, nor step 1 again.
    b.press(&["space"]);
    let said = b.status();
    assert!(
        said.contains("Step 1/4 opener for Lee Park was already logged as sent at 09:00")
            && said.ends_with("queue refreshed."),
        "{said}"
    );
    assert_eq!(sent_count(&b, "lee@quanta.example"), 1);
    assert!(!b.in_queue("Lee Park"), "B shows the queue as it is now");
}

#[test]
fn a_window_sees_what_another_wrote_and_keeps_its_selection() {
    let mut a = Fixture::seeded();
    let mut b = a.second_window();
    b.select("Dana Reyes");
    assert!(!b.app.changed_elsewhere());
    a.select("Lee Park");
    a.press(&["space"]);
    assert!(
        b.app.changed_elsewhere(),
        "the other window's write is seen"
    );
    b.app.refresh_from_elsewhere();
    assert_eq!(b.selected_name(), "Dana Reyes");
    assert!(!b.in_queue("Lee Park"));
    assert!(
        b.status().starts_with("Updated from another window"),
        "{}",
        b.status()
    );
    // Its own writes are not news to it.
    b.press(&["z", "1"]);
    assert!(!b.app.changed_elsewhere());
}

#[test]
fn space_on_a_touch_that_is_not_ready_logs_nothing() {
    let mut f = Fixture::seeded();
    f.select("Ana Silva");
    let before = dump_file(&f.db);
    f.press(&["space"]);
    assert!(
        f.status().contains("is not ready (missing company)"),
        "{}",
        f.status()
    );
    assert!(f.status().contains("e edits it"), "{}", f.status());
    assert_eq!(dump_file(&f.db), before);
}

#[test]
fn keys_at_the_too_small_screen_change_nothing() {
    let mut f = Fixture::seeded();
    f.select("Lee Park");
    f.resize(50, 12);
    assert!(f.screen().contains("too small"), "{}", f.screen());
    let before = dump_file(&f.db);
    for k in [
        "space", "x", "r", "m", "b", "u", "s", "z", "p", "R", "e", "y",
    ] {
        assert_eq!(f.press(&[k]), Effect::None, "{k}");
    }
    assert_eq!(dump_file(&f.db), before);
    assert!(f.clipboard.last().is_none(), "nothing was copied");
    assert_eq!(f.press(&["q"]), Effect::Quit);
}

/// The Sequences and Stats views count again when the book changes: after the app's own
/// action, and after another window's.
#[test]
fn the_sequences_and_stats_views_count_again_when_the_book_changes() {
    let mut a = Fixture::seeded();
    a.resize(120, 40);
    let mut b = a.second_window();
    b.resize(120, 40);
    // Lee Park and Eve Mallory are in classic-4.
    let in_it = |f: &Fixture| -> String {
        f.screen()
            .lines()
            .find(|l| l.contains("In it:"))
            .map(|l| l.trim().to_string())
            .unwrap_or_default()
    };
    a.press(&["3"]);
    a.app.sequences.selected = a
        .app
        .sequences
        .entries
        .iter()
        .position(|e| e.name == "classic-4")
        .expect("classic-4");
    a.app.sync();
    assert!(
        in_it(&a).contains("2 active · 0 paused · 0 finished"),
        "{}",
        a.screen()
    );
    // This window's own reply, from the queue: the view counts again.
    a.press(&["1"]);
    a.select("Lee Park");
    a.press(&["r", "p", "3"]);
    assert!(
        in_it(&a).contains("1 active · 0 paused · 1 finished"),
        "{}",
        a.screen()
    );
    // Stats, open in the other window, counts again when it sees this write.
    b.press(&["4"]);
    let before = b.screen();
    assert!(b.app.changed_elsewhere());
    b.app.refresh_from_elsewhere();
    assert_ne!(b.screen(), before, "the stats counted the new reply");
}
