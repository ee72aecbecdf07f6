//! Where "now" comes from, and the rep's time zone. The domain takes both as plain values;
//! only this module reads the system clock and the system's zone.

use crate::domain::windows;
use chrono::{Duration, Local, NaiveDate, NaiveDateTime, Offset, TimeZone};
use chrono_tz::Tz;

/// Where "now" comes from: fixed (`--now`, tests) or the real clock, read in the rep's zone
/// (a rep in Berlin on a server that keeps UTC still works on Berlin's day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    Fixed(NaiveDateTime),
    Live(Zone),
}

impl Clock {
    /// `Some(t)` (from `--now`) freezes the clock at `t`; otherwise the real one in `zone`.
    pub fn from_option(fixed: Option<NaiveDateTime>, zone: Zone) -> Clock {
        fixed.map_or(Clock::Live(zone), Clock::Fixed)
    }

    pub fn now(&self) -> NaiveDateTime {
        match self {
            Clock::Fixed(t) => *t,
            Clock::Live(zone) => zone.now(),
        }
    }

    /// Whether the clock moves (the app then watches for the day turning).
    pub fn is_live(&self) -> bool {
        matches!(self, Clock::Live(_))
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

    /// The wall-clock time now in this zone, to the second: the log keeps whole seconds (a
    /// fraction would cost every row of it).
    pub fn now(&self) -> NaiveDateTime {
        use chrono::Timelike;
        let now = match self {
            Zone::Named(tz) => chrono::Utc::now().with_timezone(tz).naive_local(),
            Zone::System => Local::now().naive_local(),
        };
        now.with_nanosecond(0).unwrap_or(now)
    }

    /// The moment `at` on the rep's clock, in UTC. A time a clock change skips is read an
    /// hour on, one it repeats as the earlier of the two.
    pub fn to_utc(&self, at: NaiveDateTime) -> chrono::DateTime<chrono::Utc> {
        let earliest = |t: NaiveDateTime| match self {
            Zone::Named(tz) => tz
                .from_local_datetime(&t)
                .earliest()
                .map(|d| d.with_timezone(&chrono::Utc)),
            Zone::System => Local
                .from_local_datetime(&t)
                .earliest()
                .map(|d| d.with_timezone(&chrono::Utc)),
        };
        earliest(at)
            .or_else(|| earliest(at + Duration::hours(1)))
            .unwrap_or_else(|| at.and_utc())
    }

    /// The moment `utc` on the rep's clock.
    pub fn from_utc(&self, utc: NaiveDateTime) -> NaiveDateTime {
        match self {
            Zone::Named(tz) => tz.from_utc_datetime(&utc).naive_local(),
            Zone::System => Local.from_utc_datetime(&utc).naive_local(),
        }
    }

    /// An instant (a meeting's time) on the rep's clock.
    pub fn local(&self, at: chrono::DateTime<chrono::Utc>) -> NaiveDateTime {
        self.from_utc(at.naive_utc())
    }

    /// The moment `at` on the rep's clock, as the clock on the prospect's wall shows it.
    pub fn to_prospect(&self, at: NaiveDateTime, prospect: Option<Tz>) -> NaiveDateTime {
        match self {
            Zone::Named(tz) => windows::local_time(at, tz, prospect),
            Zone::System => windows::local_time(at, &Local, prospect),
        }
    }

    /// How far the prospect's wall clock is from the rep's all through the rep's `day`, when
    /// neither clock changes that day: then [`Zone::to_prospect`] of any moment of the day is
    /// that moment plus the shift. `None` on a day a clock changes.
    pub fn steady_shift(&self, day: NaiveDate, prospect: Option<Tz>) -> Option<Duration> {
        let (start, end) = (day.and_hms_opt(0, 0, 0)?, day.and_hms_opt(23, 59, 59)?);
        let rep_offset = |t: NaiveDateTime| -> Option<i32> {
            match self {
                Zone::Named(tz) => tz.offset_from_local_datetime(&t).single().map(|o| o.fix()),
                Zone::System => Local.offset_from_local_datetime(&t).single(),
            }
            .map(|o| o.local_minus_utc())
        };
        let rep = rep_offset(start)?;
        if rep_offset(end)? != rep {
            return None;
        }
        let Some(theirs) = prospect else {
            return Some(Duration::zero());
        };
        let theirs_at = |t: NaiveDateTime| {
            let utc = t - Duration::seconds(i64::from(rep));
            theirs
                .offset_from_utc_datetime(&utc)
                .fix()
                .local_minus_utc()
        };
        let offset = theirs_at(start);
        (theirs_at(end) == offset).then(|| Duration::seconds(i64::from(offset - rep)))
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
mod shift_tests {
    use super::*;
    use chrono::Datelike;

    /// A day's steady shift converts every hour of it as `to_prospect` does, and a day a
    /// clock changes has none.
    #[test]
    fn a_steady_shift_agrees_with_converting_each_hour() {
        let zones = [
            "Europe/Berlin",
            "America/New_York",
            "Australia/Sydney",
            "Asia/Kolkata",
        ];
        let mut changing = 0;
        for rep in zones {
            let rep_zone = Zone::from_config(Some(rep));
            for theirs in zones {
                let tz: Tz = theirs.parse().expect("zone");
                let mut day = NaiveDate::from_ymd_opt(2026, 1, 1).expect("day");
                while day.year_ce().1 == 2026 {
                    match rep_zone.steady_shift(day, Some(tz)) {
                        Some(shift) => {
                            for h in 0..24 {
                                let at = day.and_hms_opt(h, 30, 0).expect("time");
                                assert_eq!(rep_zone.to_prospect(at, Some(tz)), at + shift);
                            }
                        }
                        None => changing += 1,
                    }
                    day = day.succ_opt().expect("next");
                }
            }
        }
        assert!(changing > 0, "some days change a clock");
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

    #[test]
    fn the_live_clock_reads_the_reps_zone_not_the_machines() {
        // Fourteen hours ahead of UTC all year: no machine this runs on keeps that zone.
        let kiritimati = Zone::from_config(Some("Pacific/Kiritimati"));
        let clock = Clock::from_option(None, kiritimati);
        assert!(clock.is_live());
        let ahead = clock.now() - chrono::Utc::now().naive_utc();
        assert!(
            (ahead - Duration::hours(14)).num_seconds().abs() < 60,
            "{ahead}"
        );
        let fixed = Clock::from_option(Some("2026-11-23T15:00:00".parse().expect("t")), kiritimati);
        assert_eq!(fixed.now().to_string(), "2026-11-23 15:00:00");
    }

    #[test]
    fn utc_and_back() {
        let berlin = Zone::from_config(Some("Europe/Berlin"));
        let at: NaiveDateTime = "2026-11-23T15:00:00".parse().expect("time");
        assert_eq!(
            berlin.to_utc(at).naive_utc().to_string(),
            "2026-11-23 14:00:00"
        );
        assert_eq!(berlin.from_utc(berlin.to_utc(at).naive_utc()), at);
        // 02:30 on the spring-forward day does not exist in Berlin: read an hour on.
        let gap: NaiveDateTime = "2026-03-29T02:30:00".parse().expect("time");
        assert_eq!(
            berlin.to_utc(gap).naive_utc().to_string(),
            "2026-03-29 01:30:00"
        );
    }
}
