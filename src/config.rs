//! The rep's `config.toml`: who they are (`me.*`), when they work, and defaults.

use crate::content::{Located, Me};
use crate::domain::Calendar;
use chrono::{NaiveDate, Weekday};
use serde::Deserialize;
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
        Ok(Config {
            me: f.me.unwrap_or_default(),
            calendar: Calendar::new(&weekdays, holidays),
            timezone: f.timezone.map(|t| t.into_inner()),
            source: Some(file.to_string()),
            working_days_set: f.working_days.is_some(),
            cool_off_days: f.cool_off_days,
        })
    }
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
