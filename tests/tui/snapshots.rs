//! Every screen of the app, drawn into a `TestBackend` on a fixed clock.

use super::Fixture;

/// Snapshots live in tests/snapshots/, named by the test.
pub fn snap(name: &str, screen: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(name, screen));
}

#[test]
fn queue_at_80x24() {
    let mut f = Fixture::seeded();
    f.resize(80, 24);
    snap("queue_80x24", &f.screen());
}

#[test]
fn queue_at_120x40_stacked() {
    let mut f = Fixture::seeded();
    f.resize(120, 40);
    snap("queue_120x40", &f.screen());
}

#[test]
fn queue_at_200x50_side_by_side() {
    let mut f = Fixture::seeded();
    f.resize(200, 50);
    snap("queue_200x50", &f.screen());
}

#[test]
fn email_touch_detail() {
    let mut f = Fixture::seeded();
    f.resize(100, 40);
    f.select("Lee Park");
    snap("detail_email", &f.screen());
}

#[test]
fn not_ready_touch_names_the_missing_field() {
    let mut f = Fixture::seeded();
    f.resize(100, 30);
    f.select("Ana Silva");
    let screen = f.screen();
    assert!(screen.contains("missing company"), "{screen}");
    snap("detail_not_ready", &screen);
}

#[test]
fn status_line_after_an_action() {
    let mut f = Fixture::seeded();
    f.resize(100, 30);
    f.select("Lee Park");
    f.press(&["space"]);
    snap("status_after_sent", &f.screen());
}

#[test]
fn filter_while_typing() {
    let mut f = Fixture::seeded();
    f.resize(80, 24);
    f.press(&["/"]);
    f.type_text("north");
    snap("queue_filter", &f.screen());
}

#[test]
fn help_overlay_in_the_queue() {
    let mut f = Fixture::seeded();
    f.resize(80, 24);
    f.press(&["?"]);
    snap("help_queue", &f.screen());
}

#[test]
fn help_overlay_in_prospects() {
    let mut f = Fixture::seeded();
    f.resize(100, 30);
    f.press(&["2", "?"]);
    snap("help_prospects", &f.screen());
}

#[test]
fn call_outcome_picker() {
    let mut f = Fixture::seeded();
    f.resize(80, 24);
    f.select("Dana Reyes");
    f.press(&["space"]);
    snap("picker_call_outcome", &f.screen());
}

#[test]
fn skip_reason_picker() {
    let mut f = Fixture::seeded();
    f.resize(80, 24);
    f.press(&["s"]);
    snap("picker_skip", &f.screen());
}

#[test]
fn skip_reason_typed() {
    let mut f = Fixture::seeded();
    f.resize(80, 24);
    f.press(&["s", "o"]);
    f.type_text("met at a conference");
    snap("prompt_skip_reason", &f.screen());
}

#[test]
fn snooze_picker() {
    let mut f = Fixture::seeded();
    f.resize(80, 24);
    f.press(&["z"]);
    snap("picker_snooze", &f.screen());
}

#[test]
fn snooze_date_prompt_with_a_refused_date() {
    let mut f = Fixture::seeded();
    f.resize(80, 24);
    f.press(&["z", "d"]);
    f.type_text("2026-11-01");
    f.press(&["Enter"]);
    snap("prompt_snooze_refused", &f.screen());
}

#[test]
fn pause_prompt() {
    let mut f = Fixture::seeded();
    f.resize(80, 24);
    f.press(&["p"]);
    snap("prompt_pause", &f.screen());
}

#[test]
fn prospects_list_at_80x24() {
    let mut f = Fixture::seeded();
    f.resize(80, 24);
    f.press(&["2"]);
    snap("prospects_80x24", &f.screen());
}

#[test]
fn prospects_with_card_when_wide() {
    let mut f = Fixture::seeded();
    f.resize(140, 36);
    f.press(&["2", "/"]);
    f.type_text("dana");
    f.press(&["Enter"]);
    snap("prospects_card_140x36", &f.screen());
}

#[test]
fn prospect_opened() {
    let mut f = Fixture::seeded();
    f.resize(80, 24);
    f.press(&["2", "/"]);
    f.type_text("dana");
    f.press(&["Enter", "Enter"]);
    snap("prospect_opened", &f.screen());
}

#[test]
fn enroll_picker() {
    let mut f = Fixture::seeded();
    f.resize(100, 30);
    f.press(&["2", "e"]);
    snap("picker_enroll", &f.screen());
}

#[test]
fn remove_picker() {
    let mut f = Fixture::seeded();
    f.resize(80, 24);
    f.press(&["2", "R"]);
    snap("picker_remove", &f.screen());
}

#[test]
fn sequences_view() {
    let mut f = Fixture::seeded();
    f.resize(100, 40);
    f.press(&["3"]);
    // Move to cold-21 (the list is sorted by name).
    let pos = f
        .app
        .sequences
        .entries
        .iter()
        .position(|e| e.name == "cold-21")
        .expect("cold-21");
    f.app.sequences.selected = pos;
    snap("sequences_cold_21", &f.screen());
}

#[test]
fn welcome_on_an_empty_database() {
    let mut f = Fixture::empty();
    f.resize(80, 24);
    snap("welcome_80x24", &f.screen());
}

#[test]
fn nothing_due_today() {
    let mut f = Fixture::seeded();
    f.resize(80, 24);
    // Work through the whole queue: each touch one or two keys.
    for _ in 0..10 {
        let Some(item) = f.app.queue.selected_item() else {
            break;
        };
        match item.channel() {
            touchbase::domain::Channel::Call => f.press(&["space", "n"]),
            _ => f.press(&["s", "n"]),
        };
    }
    assert!(f.app.queue.entries.is_empty(), "{}", f.screen());
    snap("queue_empty", &f.screen());
}

#[test]
fn too_small() {
    let mut f = Fixture::seeded();
    f.resize(50, 12);
    snap("too_small", &f.screen());
}

/// The SVG drawing of a frame: colours, bold, reversed cells, a wide character and the
/// characters XML escapes, on a buffer small enough to read.
#[test]
fn a_frame_as_svg() {
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::{Color, Modifier, Style};
    let mut buf = Buffer::empty(Rect::new(0, 0, 24, 3));
    buf.set_string(
        0,
        0,
        "touchbase",
        Style::default()
            .fg(Color::Cyan)
            .add_modifier(Modifier::BOLD),
    );
    buf.set_string(10, 0, "· 3 due", Style::default());
    buf.set_string(
        0,
        1,
        "☎ Dana <dana@x> & co",
        Style::default().add_modifier(Modifier::REVERSED),
    );
    buf.set_string(
        2,
        2,
        "1d late",
        Style::default()
            .fg(Color::Yellow)
            .bg(Color::Rgb(40, 44, 52)),
    );
    snap("frame_svg", &touchbase::tui::svg::buffer_svg(&buf));
}
