//! Time for the app: the injected clock, the prospect's local time, and dates the rep types.

use crate::domain::windows;
use crate::domain::Calendar;
use chrono::{Datelike, Days, Local, NaiveDate, NaiveDateTime, TimeZone, Weekday};
use chrono_tz::Tz;

/// Where "now" comes from: fixed (`--now`, tests) or the real local clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    Fixed(NaiveDateTime),
    Local,
}

impl Clock {
    /// `Some(t)` (from `--now`) freezes the clock at `t`.
    pub fn from_option(fixed: Option<NaiveDateTime>) -> Clock {
        fixed.map_or(Clock::Local, Clock::Fixed)
    }

    pub fn now(&self) -> NaiveDateTime {
        match self {
            Clock::Fixed(t) => *t,
            Clock::Local => Local::now().naive_local(),
        }
    }
}

/// The rep's time zone: the config's, else the system's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Named(Tz),
    System,
}

impl Zone {
    pub fn from_config(tz: Option<&str>) -> Zone {
        tz.and_then(|t| t.parse::<Tz>().ok())
            .map_or(Zone::System, Zone::Named)
    }

    /// The prospect's wall-clock time when it is `now` for the rep: "08:12 CST".
    pub fn local_time(&self, now: NaiveDateTime, prospect_tz: Option<&str>) -> Option<String> {
        let theirs: Tz = prospect_tz?.trim().parse().ok()?;
        let rep = match self {
            Zone::Named(tz) => Some(*tz),
            Zone::System => None,
        };
        let at = windows::local_time(now, rep, Some(theirs));
        let abbr = theirs.from_local_datetime(&at).earliest()?.format("%Z");
        Some(format!("{} {abbr}", at.format("%H:%M")))
    }
}

/// A day the rep typed: `2026-12-07`, `+3` (days from today), `tomorrow`, or a weekday
/// (`mon`, `friday`: the next one after today).
pub fn parse_day(input: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let s = input.trim().to_ascii_lowercase();
    if let Ok(d) = s.parse::<NaiveDate>() {
        return Ok(d);
    }
    if let Some(n) = s.strip_prefix('+') {
        let n: u64 = n
            .trim()
            .parse()
            .map_err(|_| format!("'{input}': +N wants a number of days"))?;
        return today
            .checked_add_days(Days::new(n))
            .ok_or_else(|| format!("'{input}' is too far ahead"));
    }
    if s == "tomorrow" || s == "tom" {
        return Ok(today + Days::new(1));
    }
    if s.len() >= 3 {
        if let Some(day) = WEEKDAYS
            .iter()
            .find(|w| w.to_string().to_ascii_lowercase().starts_with(&s[..3]))
        {
            let ahead =
                (7 + day.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
            let ahead = if ahead == 0 { 7 } else { ahead };
            return Ok(today + Days::new(u64::from(ahead)));
        }
    }
    Err(format!(
        "'{input}' is not a day: use 2026-12-07, +3, tomorrow or a weekday"
    ))
}

const WEEKDAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// The first working day of next week.
pub fn next_week(today: NaiveDate, cal: &Calendar) -> NaiveDate {
    let monday = today + Days::new(u64::from(7 - today.weekday().num_days_from_monday()));
    cal.roll_forward(monday)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn typed_days() {
        let mon = d("2026-11-23");
        assert_eq!(parse_day("2026-12-07", mon), Ok(d("2026-12-07")));
        assert_eq!(parse_day("+3", mon), Ok(d("2026-11-26")));
        assert_eq!(parse_day("tomorrow", mon), Ok(d("2026-11-24")));
        assert_eq!(parse_day("fri", mon), Ok(d("2026-11-27")));
        assert_eq!(parse_day("Monday", mon), Ok(d("2026-11-30")));
        assert!(parse_day("soon", mon).is_err());
        assert_eq!(next_week(mon, &Calendar::default()), d("2026-11-30"));
    }

    #[test]
    fn prospect_local_time() {
        let berlin = Zone::from_config(Some("Europe/Berlin"));
        let now = d("2026-11-23").and_hms_opt(15, 0, 0).expect("time");
        assert_eq!(
            berlin.local_time(now, Some("America/Chicago")).as_deref(),
            Some("08:00 CST")
        );
        assert_eq!(berlin.local_time(now, Some("Mars/Base")), None);
    }
}
