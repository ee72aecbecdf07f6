//! The app: snapshots of every screen on a fixed clock, key sequences checked against the
//! database, and the real binary in a real terminal.

mod book;
mod bulk;
mod calls;
mod conversation;
mod copied;
mod fix;
mod inbox;
mod keys;
mod narrow;
mod progress;
mod prompt_props;
mod schedule_stats;
mod sending;
mod setup;
mod snapshots;
mod terminal;
mod typed_dates;
mod upcoming;
mod windows;

use chrono::{NaiveDate, NaiveDateTime};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tempfile::TempDir;
use touchbase::clipboard::FakeClipboard;
use touchbase::config::Config;
use touchbase::content::Library;
use touchbase::desk::{Desk, EnrollRequest};
use touchbase::domain::{Event, Outcome, Prospect};
use touchbase::text::sanitize;
use touchbase::tui::launch::FakeLauncher;
use touchbase::tui::{App, Clock, Effect, handle_key};

/// Monday 23 November 2026, 09:00 on the rep's clock (Berlin).
pub fn now() -> NaiveDateTime {
    at("2026-11-23T09:00:00")
}

pub fn at(s: &str) -> NaiveDateTime {
    s.parse().expect("test time")
}

pub fn day(s: &str) -> NaiveDate {
    s.parse().expect("test date")
}

pub const CONFIG: &str = r#"timezone = "Europe/Berlin"

[me]
name = "Sam Carter"
company = "Relaypoint"
signature = "Sam Carter\nRelaypoint"
"#;

/// An app on a temporary database, with a fake clipboard and opener to look into.
pub struct Fixture {
    pub app: App,
    pub clipboard: FakeClipboard,
    pub launcher: FakeLauncher,
    /// The database file, and the folder that holds it (`None` in a second window).
    pub db: std::path::PathBuf,
    _dir: Option<TempDir>,
}

impl Fixture {
    pub fn empty() -> Fixture {
        Fixture::build(|_| {})
    }

    /// Five prospects: two overdue (a call and an email), an inbound call due at 08:30, one
    /// not ready (no company), and one whose name and company carry escape sequences.
    pub fn seeded() -> Fixture {
        Fixture::build(seed)
    }

    /// The seeded five, and whatever `more` adds.
    pub fn seeded_with(more: impl FnOnce(&mut Desk)) -> Fixture {
        Fixture::build(|desk| {
            seed(desk);
            more(desk);
        })
    }

    fn build(fill: impl FnOnce(&mut Desk)) -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut f = Fixture::on(&dir.path().join("touchbase.db"), fill);
        f._dir = Some(dir);
        f
    }

    /// Another window on the same database file, as a second `touchbase` would be.
    pub fn second_window(&self) -> Fixture {
        Fixture::on(&self.db, |_| {})
    }

    fn on(db: &std::path::Path, fill: impl FnOnce(&mut Desk)) -> Fixture {
        let config_dir = db.parent().expect("folder").join("config");
        std::fs::create_dir_all(&config_dir).expect("config dir");
        let config = Config::parse("config.toml", CONFIG).expect("config");
        let mut desk = Desk::open(db, Library::new(Some(&config_dir)), config).expect("desk");
        fill(&mut desk);
        Fixture::around(desk, db, |_| {})
    }

    /// The app on `desk` (its database at `db`), with `before` run on it before the first
    /// frame is worked out.
    pub fn around(desk: Desk, db: &std::path::Path, before: impl FnOnce(&mut App)) -> Fixture {
        let clipboard = FakeClipboard::new();
        let launcher = FakeLauncher::new();
        let mut app = App::new(
            desk,
            Clock::Fixed(now()),
            Box::new(clipboard.clone()),
            Box::new(launcher.clone()),
        )
        .expect("app");
        app.size = (100, 30);
        before(&mut app);
        app.sync();
        Fixture {
            app,
            clipboard,
            launcher,
            db: db.to_path_buf(),
            _dir: None,
        }
    }

    pub fn resize(&mut self, w: u16, h: u16) {
        self.app.size = (w, h);
        self.app.sync();
    }

    /// Presses keys: single characters, or `Enter`, `Esc`, `Tab`, `Backspace`, `Down`,
    /// `Up`, `space`, `C-c`. Returns the last key's effect.
    pub fn press(&mut self, keys: &[&str]) -> Effect {
        let mut effect = Effect::None;
        for k in keys {
            effect = handle_key(&mut self.app, key(k));
        }
        effect
    }

    /// Types text into whatever takes text (a filter, a search, a prompt).
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            handle_key(
                &mut self.app,
                KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE),
            );
        }
    }

    pub fn screen(&self) -> String {
        touchbase::tui::render_text(&self.app)
    }

    pub fn status(&self) -> String {
        self.app
            .status
            .as_ref()
            .map(|(s, _)| s.clone())
            .unwrap_or_default()
    }

    /// Moves the selection onto this prospect's touch.
    pub fn select(&mut self, name: &str) {
        let q = &self.app.queue;
        let pos = (0..q.visible.len())
            .position(|p| {
                q.visible_entry(p)
                    .is_some_and(|e| sanitize(&e.brief.name) == name)
            })
            .unwrap_or_else(|| panic!("{name} is not in the queue"));
        self.app.queue.selected = pos;
        self.app.sync();
    }

    pub fn selected_name(&self) -> String {
        self.app
            .queue
            .selected_item()
            .map(|i| i.prospect.full_name())
            .unwrap_or_default()
    }

    pub fn in_queue(&self, name: &str) -> bool {
        self.app
            .queue
            .entries
            .iter()
            .any(|e| sanitize(&e.brief.name) == name)
    }

    pub fn prospect_id(&self, email: &str) -> i64 {
        self.app.desk.prospect(email).expect("prospect").id
    }
}

pub fn key(k: &str) -> KeyEvent {
    let code = match k {
        "Enter" => KeyCode::Enter,
        "Esc" => KeyCode::Esc,
        "Tab" => KeyCode::Tab,
        "Backspace" => KeyCode::Backspace,
        "Down" => KeyCode::Down,
        "Up" => KeyCode::Up,
        "space" => KeyCode::Char(' '),
        "C-c" => return KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
        s if s.chars().count() == 1 => KeyCode::Char(s.chars().next().expect("char")),
        other => panic!("unknown key {other}"),
    };
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn person(first: &str, last: &str, email: &str) -> Prospect {
    Prospect {
        first_name: first.into(),
        last_name: last.into(),
        email: Some(email.into()),
        ..Prospect::default()
    }
}

fn enroll(sequence: &str, start: &str) -> Option<EnrollRequest> {
    Some(EnrollRequest {
        sequence: sequence.into(),
        start: Some(day(start)),
        force: false,
    })
}

/// A prospect in cold-21 whose first two steps were worked on 18 November: their first
/// call is due (and three days late on the fixture's Monday).
pub fn at_first_call(desk: &mut Desk, p: Prospect) -> i64 {
    let t = at("2026-11-18T09:00:00");
    let id = desk
        .add(p, enroll("cold-21", "2026-11-18"), t)
        .expect("add")
        .prospect_id;
    for (outcome, minute) in [(Outcome::Sent, "10:00"), (Outcome::Done, "10:05")] {
        let when = at(&format!("2026-11-18T{minute}:00"));
        desk.log_current(id, Event::Work(outcome), None, when)
            .expect("log");
    }
    id
}

fn seed(desk: &mut Desk) {
    let dana = Prospect {
        company: Some("Northwind".into()),
        title: Some("VP Operations".into()),
        phone: Some("+1 415 555 0100".into()),
        timezone: Some("America/Los_Angeles".into()),
        linkedin: Some("linkedin.com/in/dana-reyes".into()),
        ..person("Dana", "Reyes", "dana@northwind.example")
    };
    at_first_call(desk, dana);
    let lee = Prospect {
        company: Some("Quanta".into()),
        title: Some("Head of Finance".into()),
        ..person("Lee", "Park", "lee@quanta.example")
    };
    desk.add(
        lee,
        enroll("classic-4", "2026-11-20"),
        at("2026-11-20T09:00:00"),
    )
    .expect("add Lee");
    let omar = Prospect {
        company: Some("Brightline".into()),
        phone: Some("+1 312 555 0101".into()),
        timezone: Some("America/Chicago".into()),
        ..person("Omar", "Haddad", "omar@brightline.example")
    };
    desk.add(
        omar,
        enroll("inbound", "2026-11-23"),
        at("2026-11-23T08:30:00"),
    )
    .expect("add Omar");
    let ana = person("Ana", "Silva", "ana@silva.example");
    desk.add(
        ana,
        enroll("cold-7", "2026-11-23"),
        at("2026-11-23T08:00:00"),
    )
    .expect("add Ana");
    let eve = Prospect {
        company: Some("Evil\u{1b}]52;c;aGk=\u{7} Corp".into()),
        ..person("Eve\u{1b}[2J", "Mallory\u{1b}[31m", "eve@example.com")
    };
    desk.add(
        eve,
        enroll("classic-4", "2026-11-23"),
        at("2026-11-23T08:45:00"),
    )
    .expect("add Eve");
}
