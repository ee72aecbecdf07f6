//! The Stats view, lint findings and version markers in the app, why a touch is due (`w`),
//! and time off (`V`) with its undo.

use super::{CONFIG, Fixture, at, day, now};
use touchbase::clipboard::FakeClipboard;
use touchbase::config::Config;
use touchbase::content::Library;
use touchbase::desk::{Desk, EnrollRequest};
use touchbase::domain::{Event, Outcome, Prospect};
use touchbase::tui::action::View;
use touchbase::tui::launch::FakeLauncher;
use touchbase::tui::{App, Clock};

fn snap(name: &str, screen: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(name, screen));
}

/// The seeded desk with some history: Lee got the opener and replied, Omar's inbound call
/// connected, Dana's call went to voicemail.
fn with_history() -> Fixture {
    let mut f = Fixture::seeded();
    let lee = f.prospect_id("lee@quanta.example");
    let omar = f.prospect_id("omar@brightline.example");
    let dana = f.prospect_id("dana@northwind.example");
    let desk = &mut f.app.desk;
    desk.log_current(
        lee,
        Event::Work(Outcome::Sent),
        None,
        at("2026-11-20T10:00:00"),
    )
    .expect("Lee sent");
    desk.log_current(lee, Event::Replied, None, at("2026-11-21T15:00:00"))
        .expect("Lee replied");
    desk.log_current(
        omar,
        Event::Work(Outcome::Connected),
        None,
        at("2026-11-23T08:40:00"),
    )
    .expect("Omar connected");
    desk.log_current(
        dana,
        Event::Work(Outcome::Voicemail),
        None,
        at("2026-11-23T08:50:00"),
    )
    .expect("Dana voicemail");
    f.app.reload().expect("reload");
    f.app.sync();
    f
}

#[test]
fn four_and_tab_reach_the_stats_view() {
    let mut f = Fixture::seeded();
    f.press(&["4"]);
    assert_eq!(f.app.view, View::Stats);
    assert!(f.app.stats.stats.is_some(), "opening the view counts");
    f.press(&["1", "Tab", "Tab", "Tab"]);
    assert_eq!(f.app.view, View::Stats);
    f.press(&["Tab", "Tab"]);
    assert_eq!(
        f.app.view,
        View::Queue,
        "Upcoming comes between Stats and the Queue"
    );
}

#[test]
fn stats_are_not_counted_for_the_first_frame() {
    let f = with_history();
    assert!(f.app.stats.stats.is_none());
}

#[test]
fn stats_view_at_80x24() {
    let mut f = with_history();
    f.resize(80, 24);
    // It opens on all sequences together; then the busiest first, ties by name: classic-4,
    // cold-21, inbound.
    f.press(&["4"]);
    assert!(
        f.screen().contains("Stats · all sequences"),
        "{}",
        f.screen()
    );
    f.press(&["]", "]"]);
    let screen = f.screen();
    assert!(
        screen.contains("Stats · cold-21 (2 of 3) · last 30 days"),
        "{screen}"
    );
    snap("stats_80x24", &screen);
    // All sequences together again, then the page scrolled to its end.
    f.press(&["]", "]", "G"]);
    snap("stats_all_sequences_scrolled_80x24", &f.screen());
}

#[test]
fn the_stats_rows_add_up_to_the_totals_and_an_hour_without_a_connect_has_no_bar() {
    let mut f = with_history();
    f.resize(200, 50);
    f.press(&["4"]);
    let Some(Ok(stats)) = f.app.stats.stats.clone() else {
        panic!("counted");
    };
    let rows: u64 = stats.sequences.iter().map(|q| q.replies).sum();
    assert_eq!(rows, stats.totals.replies, "{stats:?}");
    let kinds: u64 = stats.totals.replies_by_kind.values().sum();
    assert_eq!(kinds, stats.totals.replies, "{stats:?}");
    let screen = f.screen();
    // Each sequence's share of the replies, as the command line gives it.
    assert!(screen.contains("50% of replies"), "{screen}");
    // The hours shown run from before the first call to after the last.
    for c in &stats.calls_by_hour {
        let hour = c.label.get(..2).expect("hour").trim_start_matches('0');
        assert!(
            screen.contains(&format!(" {} ", if hour.is_empty() { "0" } else { hour })),
            "{screen}"
        );
        if c.connected == 0 {
            assert!(screen.contains("··"), "a dot, not a bar: {screen}");
        }
    }
}

#[test]
fn stats_view_at_200x50_in_two_columns() {
    let mut f = with_history();
    f.resize(200, 50);
    f.press(&["4", "t", "t"]);
    let screen = f.screen();
    assert!(screen.contains("all sequences · all time"), "{screen}");
    snap("stats_200x50", &screen);
}

#[test]
fn w_explains_the_due_date() {
    let mut f = Fixture::seeded();
    f.resize(80, 24);
    f.select("Dana Reyes");
    f.press(&["w"]);
    let screen = f.screen();
    assert!(screen.contains("Why Dana Reyes"), "{screen}");
    snap("explain_overlay", &screen);
    f.press(&["x"]);
    assert!(f.app.modal.is_none(), "any key closes");
    assert!(
        f.in_queue("Dana Reyes"),
        "the closing key does nothing else"
    );
}

#[test]
fn time_off_prompt() {
    let mut f = Fixture::seeded();
    f.resize(80, 24);
    f.press(&["V"]);
    f.type_text("2026-11-24");
    f.press(&["Enter"]);
    f.type_text("2026-11-27");
    snap("prompt_time_off", &f.screen());
}

fn due_of(f: &Fixture, email: &str) -> String {
    let id = f.prospect_id(email);
    let (e, _) = f
        .app
        .desk
        .open_enrollment(id)
        .map(|o| o.map(|i| (i.enrollment, i.sequence_name)))
        .expect("query")
        .expect("open enrollment");
    e.due.expect("due").date().to_string()
}

#[test]
fn time_off_moves_pending_touches_and_u_brings_them_back() {
    let mut f = Fixture::seeded();
    assert!(f.in_queue("Ana Silva"));
    assert_eq!(due_of(&f, "ana@silva.example"), "2026-11-23");
    f.press(&["V"]);
    f.type_text("2026-11-23");
    f.press(&["Enter"]);
    f.type_text("2026-11-27");
    f.press(&["Enter"]);
    assert!(f.app.modal.is_none(), "{:?}", f.app.modal);
    assert!(
        f.status().starts_with("Time off Mon 23 Nov to Fri 27 Nov"),
        "{}",
        f.status()
    );
    assert!(!f.in_queue("Ana Silva"));
    assert!(due_of(&f, "ana@silva.example").as_str() >= "2026-11-30");
    let queue = f.app.desk.queue(now()).expect("queue");
    assert!(queue.iter().all(|i| i.prospect.first_name != "Ana"));
    f.press(&["u"]);
    assert!(f.status().starts_with("Undone: Time off"), "{}", f.status());
    assert!(f.in_queue("Ana Silva"));
    assert_eq!(due_of(&f, "ana@silva.example"), "2026-11-23");
}

#[test]
fn time_off_refuses_a_bad_day_and_keeps_the_prompt() {
    let mut f = Fixture::seeded();
    f.press(&["V"]);
    f.type_text("someday");
    f.press(&["Enter", "Enter"]);
    assert!(f.app.modal.is_some());
    assert!(f.screen().contains("first day:"), "{}", f.screen());
    f.press(&["Esc"]);
    assert!(f.app.modal.is_none());
    assert_eq!(f.status(), "Cancelled.");
}

const MINE_V1: &str = r#"
title = "Mine"
trigger = "cold"

[[steps]]
day = 1
channel = "email"
purpose = "opener"
template = "mine/opener.md"

[[steps]]
day = 4
channel = "email"
purpose = "breakup"
template = "mine/breakup.md"
"#;

const OPENER: &str = "+++\nsubject = \"Order entry at {{ company }}\"\n+++\nHi {{ first_name }},\n\nJust checking in about order entry at {{ company }}.\n\n{{ me.signature }}\n";
const BREAKUP: &str = "+++\nsubject = \"Last note\"\n+++\nHi {{ first_name }}, I will stop here.\n\n{{ me.signature }}\n";

/// A rep's own sequence whose opener has a lint finding, a prospect enrolled on it, and then
/// the file edited: the enrollment runs on the version it started with.
fn edited_sequence_app() -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let config_dir = dir.path().join("config");
    std::fs::create_dir_all(config_dir.join("sequences")).expect("dir");
    std::fs::create_dir_all(config_dir.join("templates/mine")).expect("dir");
    std::fs::write(config_dir.join("sequences/mine.toml"), MINE_V1).expect("write");
    std::fs::write(config_dir.join("templates/mine/opener.md"), OPENER).expect("write");
    std::fs::write(config_dir.join("templates/mine/breakup.md"), BREAKUP).expect("write");
    let config = Config::parse("config.toml", CONFIG).expect("config");
    let mut desk = Desk::open(
        &dir.path().join("touchbase.db"),
        Library::new(Some(&config_dir)),
        config,
    )
    .expect("desk");
    let kim = Prospect {
        first_name: "Kim".into(),
        last_name: "Ode".into(),
        email: Some("kim@ode.example".into()),
        company: Some("Ode Foods".into()),
        ..Prospect::default()
    };
    let req = EnrollRequest {
        sequence: "mine".into(),
        start: Some(day("2026-11-23")),
        force: true,
    };
    desk.add(kim, Some(req), at("2026-11-23T08:00:00"))
        .expect("add Kim");
    let v2 = MINE_V1.replace("day = 4", "day = 6");
    std::fs::write(config_dir.join("sequences/mine.toml"), v2).expect("edit");
    let mut app = App::new(
        desk,
        Clock::Fixed(now()),
        Box::new(FakeClipboard::new()),
        Box::new(FakeLauncher::new()),
    )
    .expect("app");
    app.size = (100, 30);
    app.sync();
    (app, dir)
}

#[test]
fn detail_shows_the_steps_lint_finding_and_the_older_version() {
    let (mut app, _dir) = edited_sequence_app();
    app.size = (100, 40);
    app.sync();
    let screen = touchbase::tui::render_text(&app);
    assert!(screen.contains("\"just checking in\""), "{screen}");
    assert!(
        !screen.contains("6 words"),
        "only the selected step's findings: {screen}"
    );
    assert!(screen.contains("earlier version"), "{screen}");
    assert!(screen.contains("⚑ warning:"), "{screen}");
    snap("detail_lint_older_version", &screen);
}

#[test]
fn sequences_view_lists_findings_at_file_and_line() {
    let (mut app, dir) = edited_sequence_app();
    app.size = (100, 30);
    touchbase::tui::handle_key(&mut app, super::key("3"));
    let pos = app
        .sequences
        .entries
        .iter()
        .position(|e| e.name == "mine")
        .expect("mine is listed");
    app.sequences.selected = pos;
    // Temporary directories have names of one length: only the name is replaced.
    let screen =
        touchbase::tui::render_text(&app).replace(&dir.path().display().to_string(), "$TMP");
    assert!(screen.contains("opener.md:6: warning"), "{screen}");
    snap("sequences_findings", &screen);
}
