//! The app at 80 columns: every column in line, nothing that matters cut off, scrolling
//! that stops at the end.

use super::Fixture;

#[test]
fn an_overdue_call_shows_both_its_lateness_and_their_local_time() {
    let mut f = Fixture::seeded();
    f.resize(80, 24);
    let screen = f.screen();
    let dana = screen
        .lines()
        .find(|l| l.contains("Dana Reyes"))
        .expect("Dana's row");
    assert!(dana.contains("3d late") && dana.contains("PST"), "{dana}");
    // The step column lines up: "3/10 call" and " 1/4  opener" start their purpose at
    // the same column.
    let lee = screen
        .lines()
        .find(|l| l.contains("Lee Park"))
        .expect("Lee");
    assert_eq!(dana.find("call"), lee.find("opener"), "{dana}\n{lee}");
}

#[test]
fn a_long_status_ends_in_an_ellipsis_and_the_key_bar_stays() {
    let mut f = Fixture::seeded();
    f.resize(80, 24);
    f.app
        .set_status("word ".repeat(40), touchbase::tui::app::Tone::Info);
    let screen = f.screen();
    let lines: Vec<&str> = screen.lines().collect();
    let status = lines.get(lines.len() - 2).expect("status line");
    assert!(status.trim_end().ends_with('…'), "{status}");
    let keys = lines.last().expect("key bar");
    assert!(keys.contains("? help"), "{keys}");
}

#[test]
fn j_stops_at_the_end_of_the_detail_and_k_comes_straight_back() {
    let mut f = Fixture::seeded();
    f.resize(80, 24);
    f.select("Dana Reyes");
    let top = f.screen();
    for _ in 0..60 {
        f.press(&["J"]);
    }
    let most = f.app.queue.detail_scroll;
    assert!(most > 0 && most < 60 * 3, "scrolled to {most}");
    f.press(&["J"]);
    assert_eq!(
        f.app.queue.detail_scroll, most,
        "no scrolling into a blank pane"
    );
    for _ in 0..60 {
        f.press(&["K"]);
    }
    assert_eq!(f.screen(), top);
}

#[test]
fn the_prospects_status_column_is_whole_at_80_columns() {
    let mut f = Fixture::seeded();
    f.resize(80, 24);
    f.press(&["2"]);
    let screen = f.screen();
    let omar = screen
        .lines()
        .find(|l| l.contains("Omar Haddad"))
        .expect("Omar");
    assert!(omar.contains("speed-to-lead · today"), "{omar}");
}

#[test]
fn every_key_shows_in_the_help_at_80x24() {
    use touchbase::tui::action::View;
    use touchbase::tui::keymap::{Scope, help_lines};
    for (view, key) in [(View::Queue, "1"), (View::Prospects, "2")] {
        let mut f = Fixture::seeded();
        f.resize(80, 24);
        f.press(&[key, "?"]);
        let screen = f.screen();
        for scope in [Scope::In(view), Scope::Global] {
            for (_, help) in help_lines(scope) {
                let start: String = help.chars().take(20).collect();
                assert!(
                    screen.contains(&start),
                    "{view:?}: '{help}' is not shown:\n{screen}"
                );
            }
        }
    }
}
