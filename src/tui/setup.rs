//! The first run in the app: with no config.toml yet, the app asks once for the rep's name,
//! company, signature, time zone and working days (Enter takes the offered answer), writes
//! config.toml, and the queue's touches are signed and ready at once. Esc leaves it for
//! later (`touchbase init` asks the same).

use super::app::{App, Tone};
use super::line_edit;
use crate::config::Config;
use crate::config::first_run::{Answers, WORKING_DAYS};
use crossterm::event::{KeyCode, KeyEvent};
use std::path::PathBuf;

/// The questions, in order.
const QUESTIONS: [&str; 5] = [
    "Your name, as you sign emails",
    "Your company",
    "Your signature (\\n starts a new line)",
    "Your time zone (IANA, like Europe/Berlin; empty: this computer's)",
    "Your working days",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setup {
    /// Where config.toml goes.
    pub dir: PathBuf,
    /// Which question is open (0-based).
    pub step: usize,
    pub answers: Answers,
    pub input: String,
    pub cursor: usize,
    pub error: Option<String>,
}

impl Setup {
    pub fn new(dir: PathBuf) -> Setup {
        Setup {
            dir,
            step: 0,
            answers: Answers::default(),
            input: String::new(),
            cursor: 0,
            error: None,
        }
    }

    pub fn question(&self) -> String {
        let q = QUESTIONS.get(self.step).copied().unwrap_or_default();
        format!(
            "Welcome to touchbase ({} of {}): {q}",
            self.step + 1,
            QUESTIONS.len()
        )
    }

    /// What Enter on an empty line takes.
    pub fn offered(&self) -> String {
        match self.step {
            2 => Answers::default_signature(&self.answers.name, &self.answers.company),
            4 => WORKING_DAYS.to_string(),
            _ => String::new(),
        }
    }
}

/// A key while the first-run questions are open.
pub fn key(app: &mut App, mut s: Setup, key: KeyEvent) {
    match key.code {
        KeyCode::Esc => {
            app.set_status(
                "Set up later: touchbase init asks the same questions.",
                Tone::Info,
            );
            return;
        }
        KeyCode::Enter => {
            let typed = s.input.trim().to_string();
            let answer = if typed.is_empty() { s.offered() } else { typed };
            match s.step {
                0 if answer.is_empty() => {
                    s.error = Some("a name is needed: templates sign with it".into())
                }
                0 => s.answers.name = answer,
                1 => s.answers.company = answer,
                2 => s.answers.signature = answer,
                3 => match crate::domain::zones::zone_named(&answer) {
                    Ok(zone) => s.answers.timezone = zone,
                    Err(e) => s.error = Some(e),
                },
                _ => {
                    s.answers.working_days = answer;
                    return finish(app, s);
                }
            }
            if s.error.is_none() {
                s.step += 1;
                s.input.clear();
                s.cursor = 0;
            }
        }
        _ => {
            line_edit::edit_at(&mut s.input, &mut s.cursor, &key);
            s.error = None;
        }
    }
    app.modal = Some(super::modal::Modal::Setup(Box::new(s)));
}

/// Writes config.toml and reads it back into the desk; a problem keeps the last question open.
fn finish(app: &mut App, mut s: Setup) {
    let path = s.dir.join("config.toml");
    let written = s
        .answers
        .to_toml(&path.display().to_string())
        .and_then(|text| {
            crate::paths::create_private_dir_all(&s.dir)?;
            crate::paths::write_private_file(&path, &text)?;
            Ok(Config::load(&s.dir)?)
        });
    match written {
        Ok(config) => {
            if let Err(e) = app.desk.set_config(config) {
                app.set_status(format!("{e:#}"), Tone::Error);
            }
            app.zone = app.desk.rep_zone();
            if app.clock.is_live() {
                // The time zone just given is the clock's from now on.
                app.clock = crate::clock::Clock::Live(app.zone);
            }
            app.set_status(
                format!(
                    "Wrote {}: your touches are signed as {}.",
                    path.display(),
                    s.answers.name
                ),
                Tone::Info,
            );
            if let Err(e) = app.reload() {
                app.set_status(format!("Could not reload the queue: {e:#}"), Tone::Error);
            }
            app.prospects.invalidate();
        }
        Err(e) => {
            s.error = Some(format!("{e:#}"));
            app.modal = Some(super::modal::Modal::Setup(Box::new(s)));
        }
    }
}
