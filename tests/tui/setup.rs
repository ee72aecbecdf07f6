//! The first run in the app: no config.toml yet, so it asks once who the rep is, writes
//! the file, and the touches are signed and ready at once.

use super::{Fixture, at, enroll, person};
use touchbase::config::Config;
use touchbase::content::Library;
use touchbase::desk::Desk;
use touchbase::tui::App;
use touchbase::tui::modal::Modal;

fn fresh() -> (Fixture, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("dir");
    let config_dir = dir.path().join("config");
    std::fs::create_dir_all(&config_dir).expect("config dir");
    let db = dir.path().join("touchbase.db");
    let mut desk =
        Desk::open(&db, Library::new(Some(&config_dir)), Config::default()).expect("desk");
    let lee = touchbase::domain::Prospect {
        company: Some("Quanta".into()),
        ..person("Lee", "Park", "lee@quanta.example")
    };
    desk.add(
        lee,
        enroll("classic-4", "2026-11-23"),
        at("2026-11-23T08:00:00"),
    )
    .expect("add");
    let mut f = Fixture::around(desk, &db, App::offer_setup);
    f._dir = Some(dir);
    (f, config_dir)
}

#[test]
fn a_fresh_config_asks_five_questions_writes_config_toml_and_the_touch_is_ready() {
    let (mut f, config_dir) = fresh();
    assert!(matches!(f.app.modal, Some(Modal::Setup(_))));
    f.resize(80, 24);
    super::snapshots::snap("setup_first_question_80x24", &f.screen());
    assert!(
        f.screen().contains("missing me."),
        "not ready before: {}",
        f.screen()
    );
    f.press(&["Enter"]);
    assert!(f.screen().contains("a name is needed"), "{}", f.screen());
    f.type_text("Sam Carter");
    f.press(&["Enter"]);
    f.type_text("Relaypoint");
    f.press(&["Enter"]);
    assert!(
        f.screen().contains("Sam Carter\\nRelaypoint"),
        "{}",
        f.screen()
    );
    f.press(&["Enter"]);
    f.type_text("Mars/Olympus");
    f.press(&["Enter"]);
    assert!(f.screen().contains("not a time zone"), "{}", f.screen());
    for _ in 0.."Mars/Olympus".len() {
        f.press(&["Backspace"]);
    }
    f.type_text("Europe/Berlin");
    f.press(&["Enter", "Enter"]);
    assert!(f.app.modal.is_none(), "{}", f.screen());
    assert!(f.status().contains("Wrote"), "{}", f.status());
    let written = std::fs::read_to_string(config_dir.join("config.toml")).expect("written");
    assert!(written.contains("name = \"Sam Carter\""), "{written}");
    let screen = f.screen();
    assert!(!screen.contains("missing me."), "ready now: {screen}");
    f.press(&["y"]);
    let copied = f.clipboard.last().expect("copied");
    assert!(copied.contains("Sam Carter"), "{copied}");
}

#[test]
fn the_setup_at_120x40() {
    let (mut f, _) = fresh();
    f.resize(120, 40);
    f.type_text("Sam Carter");
    f.press(&["Enter"]);
    f.type_text("Relaypoint");
    f.press(&["Enter"]);
    super::snapshots::snap("setup_signature_120x40", &f.screen());
}

#[test]
fn esc_leaves_the_setup_for_later_and_writes_nothing() {
    let (mut f, config_dir) = fresh();
    f.press(&["Esc"]);
    assert!(f.status().contains("touchbase init"), "{}", f.status());
    assert!(!config_dir.join("config.toml").exists());
}
