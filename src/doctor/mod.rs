//! `touchbase doctor`: checks the rep's setup and says how to fix each problem, one line each.
//! It reads; only `--fix` changes anything, and only file modes.

mod database;
mod files;
mod modes;
mod reach;

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Ok,
    Warn,
    Fail,
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub level: Level,
    /// What was checked ("database", "modes", "clipboard", …).
    pub topic: &'static str,
    pub text: String,
    /// What to do about it, for a warning or a failure.
    pub fix: Option<String>,
}

impl Finding {
    fn ok(topic: &'static str, text: impl Into<String>) -> Finding {
        Finding {
            level: Level::Ok,
            topic,
            text: text.into(),
            fix: None,
        }
    }

    fn warn(topic: &'static str, text: impl Into<String>, fix: impl Into<String>) -> Finding {
        Finding {
            level: Level::Warn,
            topic,
            text: text.into(),
            fix: Some(fix.into()),
        }
    }

    fn fail(topic: &'static str, text: impl Into<String>, fix: impl Into<String>) -> Finding {
        Finding {
            level: Level::Fail,
            topic,
            text: text.into(),
            fix: Some(fix.into()),
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Ok => "ok",
            Level::Warn => "warn",
            Level::Fail => "fail",
        };
        write!(f, "{level:<5} {:<10} {}", self.topic, self.text)?;
        if let Some(fix) = &self.fix {
            write!(f, " — {fix}")?;
        }
        Ok(())
    }
}

/// What to examine.
pub struct Setup {
    pub db: PathBuf,
    pub config_dir: PathBuf,
    /// Tighten the modes found too open.
    pub fix: bool,
}

/// Every check, in the order the report prints them, each finding handed to `report` as soon as it is known (the integrity check
/// of a big database takes seconds: the lines before it are not kept waiting).
pub fn examine_each(setup: &Setup, report: &mut dyn FnMut(&Finding)) {
    let mut each = |findings: Vec<Finding>| findings.iter().for_each(&mut *report);
    // Modes first: opening the database would tighten its file behind our back.
    each(modes::check(&setup.db, &setup.config_dir, setup.fix));
    each(database::check(&setup.db));
    let mut files = Vec::new();
    let config = files::check(&setup.config_dir, &mut files);
    each(files);
    each(reach::clipboard());
    each(reach::opener());
    if let Some(config) = &config {
        each(files::calendar(config));
        if let Some(inbox) = &config.inbox {
            each(files::inbox(inbox));
        }
        if let Some(send) = &config.send {
            each(vec![files::send(send, config.inbox.as_ref())]);
        }
    }
}

/// `~` for the home folder in paths shown to the rep.
fn shown(path: &Path) -> String {
    path.display().to_string()
}
