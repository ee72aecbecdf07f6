//! The rep's `config.toml`: who they are (`me.*`), when they work, and defaults.

pub mod first_run;
pub mod send;

use crate::content::{Located, Me};
use crate::domain::windows::{Span, Window, Windows};
use crate::domain::{Calendar, holidays};
use chrono::{NaiveDate, NaiveTime, Weekday};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use toml::Spanned;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    pub me: Me,
    pub calendar: Calendar,
    /// The rep's IANA time zone, if set.
    pub timezone: Option<String>,
    /// Where the file was read from, if there was one.
    pub source: Option<String>,
    /// Whether the file set the working days (for `touchbase config`).
    pub working_days_set: bool,
    /// The cool-off for sequences that do not set their own.
    pub cool_off_days: Option<u32>,
    /// Built-in holiday sets named in the file (`us-federal`, `uk-bank`).
    pub holiday_sets: Vec<String>,
    /// At most this many touches fall due on one future day (default 40).
    pub max_touches_per_day: Option<u32>,
    /// The touches the rep means to work each day, shown beside the progress.
    pub daily_goal: Option<u32>,
    /// Good hours per channel in the prospect's day.
    pub windows: Windows,
    /// Where replies, bounces and out-of-office notices are read from (`[inbox]`).
    pub inbox: Option<Inbox>,
    /// The mailbox emails are sent from (`[send]`).
    pub send: Option<send::Send>,
    /// How many snapshots `backups/` keeps (default 7; 0 turns the daily snapshot off).
    pub backups_kept: Option<u32>,
    /// Working days of silence after the rep answered before a nudge is due (default 3).
    pub nudge_days: Option<u32>,
    /// What colleagues' sequences do when someone at their account answers (default pause).
    pub account_rule: Option<crate::domain::accounts::AccountRule>,
    /// At most this many touches a day at one account (default 2; 0: no cap).
    pub per_account_per_day: Option<u32>,
}

/// The `[inbox]` table: a Maildir or an IMAP account to read, read-only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inbox {
    /// A local Maildir; `~` is the home folder.
    pub maildir: Option<String>,
    /// A Maildir of sent mail.
    pub sent: Option<String>,
    pub imap: Option<String>,
    pub password_command: Option<String>,
    /// Prints an OAuth access token (XOAUTH2) instead of a password.
    pub token_command: Option<String>,
    /// How far back a sync reads, by the day mail arrived (default 30).
    pub since_days: Option<u32>,
    #[serde(default)]
    pub folders: Vec<String>,
    pub sent_folder: Option<String>,
    pub poll_minutes: Option<u32>,
    /// A certificate to trust for the IMAP server besides the public roots (a company CA).
    pub ca_file: Option<String>,
}

impl Inbox {
    /// The Maildir's path, `~` expanded.
    pub fn maildir_path(&self) -> Option<std::path::PathBuf> {
        self.maildir.as_deref().map(expand_home)
    }

    /// The sent Maildir's path, `~` expanded.
    pub fn sent_path(&self) -> Option<std::path::PathBuf> {
        self.sent.as_deref().map(expand_home)
    }

    /// The CA file's path, `~` expanded.
    pub fn ca_path(&self) -> Option<std::path::PathBuf> {
        self.ca_file.as_deref().map(expand_home)
    }

    /// How many days back a sync reads.
    pub fn since_days(&self) -> u32 {
        self.since_days.unwrap_or(30)
    }

    /// The mailbox's secret, as the settings name it.
    pub fn secret(&self) -> anyhow::Result<crate::inbox::secret::Secret> {
        crate::inbox::secret::secret(
            self.password_command.as_deref(),
            self.token_command.as_deref(),
        )
    }
}

fn expand_home(p: &str) -> std::path::PathBuf {
    match (p.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => std::path::Path::new(&home).join(rest),
        _ => std::path::PathBuf::from(p),
    }
}

/// The daily cap when the config sets none.
pub const DEFAULT_MAX_TOUCHES_PER_DAY: u32 = 40;

/// The snapshots kept when the config sets no number.
pub const DEFAULT_BACKUPS_KEPT: u32 = 7;

impl Config {
    pub fn backups_kept(&self) -> u32 {
        self.backups_kept.unwrap_or(DEFAULT_BACKUPS_KEPT)
    }

    pub fn account_rule(&self) -> crate::domain::accounts::AccountRule {
        self.account_rule.unwrap_or_default()
    }

    pub fn per_account_per_day(&self) -> u32 {
        self.per_account_per_day.unwrap_or(2)
    }

    pub fn nudge_days(&self) -> u32 {
        self.nudge_days.unwrap_or(3)
    }

    pub fn max_touches_per_day(&self) -> u32 {
        self.max_touches_per_day
            .unwrap_or(DEFAULT_MAX_TOUCHES_PER_DAY)
    }
}

/// One span of a channel's good hours, as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WindowFile {
    days: Option<Vec<String>>,
    from: String,
    to: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    me: Option<Me>,
    working_days: Option<Vec<Spanned<String>>>,
    holidays: Option<Vec<Spanned<String>>>,
    timezone: Option<Spanned<String>>,
    cool_off_days: Option<u32>,
    holiday_sets: Option<Vec<Spanned<String>>>,
    max_touches_per_day: Option<Spanned<u32>>,
    daily_goal: Option<Spanned<u32>>,
    backups_kept: Option<u32>,
    nudge_days: Option<u32>,
    account_rule: Option<Spanned<String>>,
    per_account_per_day: Option<u32>,
    inbox: Option<Inbox>,
    send: Option<send::Send>,
    /// Per channel: one span (a table), several (a list of tables), or `false` for none.
    windows: Option<BTreeMap<Spanned<String>, Spanned<toml::Value>>>,
}

impl Config {
    /// Reads `config.toml` from the config dir; a missing file means the defaults.
    pub fn load(config_dir: &Path) -> Result<Config, Located> {
        let path = config_dir.join("config.toml");
        match std::fs::read_to_string(&path) {
            Ok(text) => Config::parse(&path.display().to_string(), &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(Located::new(
                &path.display().to_string(),
                1,
                1,
                e.to_string(),
            )),
        }
    }

    pub fn parse(file: &str, text: &str) -> Result<Config, Located> {
        let f: ConfigFile =
            toml::from_str(text).map_err(|e| Located::from_toml(file, text, &e, 0))?;
        let at = |span: std::ops::Range<usize>, msg: String| {
            Located::at_offset(file, text, span.start, msg)
        };
        let weekdays = match &f.working_days {
            Some(days) => days
                .iter()
                .map(|d| {
                    d.get_ref()
                        .parse::<Weekday>()
                        .map_err(|_| at(d.span(), format!("'{}' is not a weekday", d.get_ref())))
                })
                .collect::<Result<Vec<_>, _>>()?,
            None => Calendar::default().weekdays(),
        };
        let holidays = match &f.holidays {
            Some(days) => days
                .iter()
                .map(|d| {
                    d.get_ref().parse::<NaiveDate>().map_err(|_| {
                        at(
                            d.span(),
                            format!("'{}' is not a date (YYYY-MM-DD)", d.get_ref()),
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?,
            None => Vec::new(),
        };
        if let Some(tz) = &f.timezone {
            if tz.get_ref().parse::<chrono_tz::Tz>().is_err() {
                return Err(at(
                    tz.span(),
                    format!("'{}' is not a time zone (like Europe/Berlin)", tz.get_ref()),
                ));
            }
        }
        let mut calendar = Calendar::new(&weekdays, holidays);
        let mut holiday_sets = Vec::new();
        for set in f.holiday_sets.iter().flatten() {
            // Generous years: dates are looked up, never iterated, so the range costs little.
            let days = holidays::set(set.get_ref(), 2000..=2060).ok_or_else(|| {
                let known: Vec<&str> = holidays::SETS.iter().map(|(n, _)| *n).collect();
                at(
                    set.span(),
                    format!(
                        "unknown holiday set '{}' (known: {})",
                        set.get_ref(),
                        known.join(", ")
                    ),
                )
            })?;
            calendar.add_holidays(days);
            holiday_sets.push(set.get_ref().clone());
        }
        if let Some(cap) = &f.max_touches_per_day {
            if *cap.get_ref() == 0 {
                return Err(at(
                    cap.span(),
                    "max_touches_per_day must be at least 1".into(),
                ));
            }
        }
        if let Some(goal) = &f.daily_goal {
            if *goal.get_ref() == 0 {
                return Err(at(goal.span(), "daily_goal must be at least 1".into()));
            }
        }
        let account_rule = match &f.account_rule {
            Some(rule) => Some(rule.get_ref().parse().map_err(|e| at(rule.span(), e))?),
            None => None,
        };
        let mut windows = Windows::default();
        for (name, w) in f.windows.iter().flatten() {
            let bad = |why: String| at(w.span(), why);
            let span = |v: &toml::Value| -> Result<WindowFile, Located> {
                v.clone()
                    .try_into::<WindowFile>()
                    .map_err(|e| bad(e.message().to_string()))
            };
            let parsed = match w.get_ref() {
                toml::Value::Boolean(false) => None,
                toml::Value::Array(list) if list.is_empty() => None,
                toml::Value::Array(list) => {
                    let spans = list.iter().map(span).collect::<Result<Vec<_>, _>>()?;
                    Some(parse_window(&spans, &bad)?)
                }
                v @ toml::Value::Table(_) => Some(parse_window(&[span(v)?], &bad)?),
                _ => {
                    return Err(bad(
                        "a window is { from = \"HH:MM\", to = \"HH:MM\" }, a list of them, or false"
                            .into(),
                    ));
                }
            };
            let slot = match name.get_ref().as_str() {
                "email" => &mut windows.email,
                "call" | "follow_up_call" => &mut windows.follow_up_call,
                "cold_call" => &mut windows.cold_call,
                "linkedin" => &mut windows.linkedin,
                "sms" => &mut windows.sms,
                other => {
                    return Err(at(
                        name.span(),
                        format!(
                            "unknown window '{other}' (known: email, follow_up_call, cold_call, linkedin, sms)"
                        ),
                    ));
                }
            };
            *slot = parsed;
        }
        Ok(Config {
            me: f.me.unwrap_or_default(),
            calendar,
            holiday_sets,
            max_touches_per_day: f.max_touches_per_day.map(|c| c.into_inner()),
            daily_goal: f.daily_goal.map(|g| g.into_inner()),
            backups_kept: f.backups_kept,
            nudge_days: f.nudge_days,
            account_rule,
            per_account_per_day: f.per_account_per_day,
            inbox: f.inbox,
            send: f.send,
            windows,
            timezone: f.timezone.map(|t| t.into_inner()),
            source: Some(file.to_string()),
            working_days_set: f.working_days.is_some(),
            cool_off_days: f.cool_off_days,
        })
    }
}

fn parse_window(spans: &[WindowFile], bad: &dyn Fn(String) -> Located) -> Result<Window, Located> {
    let mut window = Window { spans: Vec::new() };
    for w in spans {
        window.spans.push(parse_span(w, bad)?);
    }
    Ok(window)
}

fn parse_span(w: &WindowFile, bad: &dyn Fn(String) -> Located) -> Result<Span, Located> {
    let time = |t: &str| {
        NaiveTime::parse_from_str(t, "%H:%M")
            .map_err(|_| bad(format!("'{t}' is not a time (HH:MM)")))
    };
    let days = match &w.days {
        Some(days) => days
            .iter()
            .map(|d| {
                d.parse::<Weekday>()
                    .map_err(|_| bad(format!("'{d}' is not a weekday")))
            })
            .collect::<Result<Vec<_>, _>>()?,
        None => Vec::new(),
    };
    let (from, to) = (time(&w.from)?, time(&w.to)?);
    if to <= from {
        return Err(bad(format!(
            "a window must end after it starts ({} to {})",
            w.from, w.to
        )));
    }
    Ok(Span { days, from, to })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_values_point_at_their_line() {
        let err = Config::parse(
            "config.toml",
            "[me]\nname = \"Sam\"\n\nholidays = [\"2026-13-01\"]\n",
        )
        .expect_err("bad date");
        // `holidays` after [me] belongs to the me table: an unknown key there.
        assert_eq!(err.line, 4);
        let err = Config::parse("config.toml", "working_days = [\"mon\", \"funday\"]\n")
            .expect_err("bad day");
        assert_eq!((err.line, err.column), (1, 24));
    }
}
