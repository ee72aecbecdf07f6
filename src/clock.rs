//! Where "now" comes from, and the rep's time zone. The domain takes both as plain values;
//! only this module reads the system clock and the system's zone.

use crate::domain::windows;
use chrono::{Local, NaiveDateTime, TimeZone};
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

    /// The moment `at` on the rep's clock, as the clock on the prospect's wall shows it.
    pub fn to_prospect(&self, at: NaiveDateTime, prospect: Option<Tz>) -> NaiveDateTime {
        match self {
            Zone::Named(tz) => windows::local_time(at, tz, prospect),
            Zone::System => windows::local_time(at, &Local, prospect),
        }
    }

    /// The prospect's wall-clock time when it is `now` for the rep: "08:12 CST".
    pub fn label(&self, now: NaiveDateTime, prospect_tz: Option<&str>) -> Option<String> {
        let theirs: Tz = prospect_tz?.trim().parse().ok()?;
        let at = self.to_prospect(now, Some(theirs));
        let abbr = theirs.from_local_datetime(&at).earliest()?.format("%Z");
        Some(format!("{} {abbr}", at.format("%H:%M")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prospect_local_time() {
        let berlin = Zone::from_config(Some("Europe/Berlin"));
        let now: NaiveDateTime = "2026-11-23T15:00:00".parse().expect("time");
        assert_eq!(
            berlin.label(now, Some("America/Chicago")).as_deref(),
            Some("08:00 CST")
        );
        assert_eq!(berlin.label(now, Some("Mars/Base")), None);
    }
}
