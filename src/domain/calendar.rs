//! The working-day calendar: which dates a rep works, and day arithmetic over them.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use std::collections::BTreeMap;

/// Working weekdays plus holidays. Passed into the engine; never read from a clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// Indexed by `Weekday::num_days_from_monday()`.
    working: [bool; 7],
    /// Holiday dates with their names ("holiday" when the config gives none).
    holidays: BTreeMap<NaiveDate, String>,
}

impl Default for Calendar {
    /// Monday to Friday, no holidays.
    fn default() -> Self {
        Self::new(
            &[
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ],
            [],
        )
    }
}

impl Calendar {
    /// A calendar with these working weekdays and holidays. With no working weekday at all
    /// every day counts as working, so date arithmetic always terminates.
    pub fn new(weekdays: &[Weekday], holidays: impl IntoIterator<Item = NaiveDate>) -> Self {
        let mut working = [false; 7];
        for d in weekdays {
            if let Some(w) = working.get_mut(d.num_days_from_monday() as usize) {
                *w = true;
            }
        }
        if !working.iter().any(|w| *w) {
            working = [true; 7];
        }
        Calendar {
            working,
            holidays: holidays
                .into_iter()
                .map(|d| (d, "holiday".to_string()))
                .collect(),
        }
    }

    /// Every day of the week is a working day, no holidays.
    pub fn every_day() -> Self {
        Self::new(
            &[
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
                Weekday::Sat,
                Weekday::Sun,
            ],
            [],
        )
    }

    /// The working days as config.toml names them (`mon`, `tue`, …).
    pub fn weekday_names(&self) -> Vec<String> {
        self.weekdays()
            .iter()
            .map(|d| d.to_string().to_lowercase())
            .collect()
    }

    pub fn weekdays(&self) -> Vec<Weekday> {
        (0..7u8)
            .filter(|i| self.working.get(usize::from(*i)).copied().unwrap_or(false))
            .filter_map(|i| Weekday::try_from(i).ok())
            .collect()
    }

    pub fn holidays(&self) -> impl Iterator<Item = &NaiveDate> {
        self.holidays.keys()
    }

    /// Adds named holidays (a built-in set such as US federal holidays).
    pub fn add_holidays(&mut self, days: impl IntoIterator<Item = (NaiveDate, String)>) {
        for (d, name) in days {
            self.holidays.entry(d).or_insert(name);
        }
    }

    /// Why `d` is not a working day ("weekend", or the holiday's name); `None` if it is one.
    pub fn why_off(&self, d: NaiveDate) -> Option<String> {
        if let Some(name) = self.holidays.get(&d) {
            return Some(name.clone());
        }
        if !self.working_weekday(d) {
            return Some("not a working day".to_string());
        }
        None
    }

    /// Like [`Calendar::add_gap`], also listing the non-working days that pushed the date
    /// later: the ones counted past with working days, or rolled past in calendar mode.
    pub fn add_gap_explained(
        &self,
        from: NaiveDate,
        gap: u32,
        working_days_only: bool,
    ) -> (NaiveDate, Vec<(NaiveDate, String)>) {
        let due = self.add_gap(from, gap, working_days_only);
        let first = if working_days_only || gap == 0 {
            from
        } else {
            // Calendar days count every day; only the roll past the landing day is a push.
            from + chrono::Days::new(u64::from(gap)) - chrono::Days::new(1)
        };
        let mut skipped = Vec::new();
        let mut d = next_day(first);
        while d < due {
            if let Some(why) = self.why_off(d) {
                skipped.push((d, why));
            }
            d = next_day(d);
        }
        (due, skipped)
    }

    pub fn is_working(&self, d: NaiveDate) -> bool {
        self.working_weekday(d) && !self.holidays.contains_key(&d)
    }

    fn working_weekday(&self, d: NaiveDate) -> bool {
        let i = d.weekday().num_days_from_monday() as usize;
        self.working.get(i).copied().unwrap_or(false)
    }

    /// `d` itself if it is a working day, else the next one.
    pub fn roll_forward(&self, d: NaiveDate) -> NaiveDate {
        let mut d = d;
        // Bounded: a year of holidays on every working weekday is not a calendar.
        for _ in 0..3660 {
            if self.is_working(d) {
                return d;
            }
            d = next_day(d);
        }
        d
    }

    /// `n` working days after `d`. With `n == 0` the date is `d` itself (the same day).
    pub fn add_working_days(&self, d: NaiveDate, n: u32) -> NaiveDate {
        let mut d = d;
        for _ in 0..n {
            d = self.roll_forward(next_day(d));
        }
        d
    }

    /// How many working days lie after `from` up to and including `to` (0 when `to <= from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut n = 0;
        let mut d = from;
        while d < to {
            d = next_day(d);
            if self.is_working(d) {
                n += 1;
            }
        }
        n
    }

    /// The date a gap of `gap` days after `from` lands on: working days when
    /// `working_days_only`, else calendar days rolled forward to a working day.
    /// A gap of 0 is the same day, right after.
    pub fn add_gap(&self, from: NaiveDate, gap: u32, working_days_only: bool) -> NaiveDate {
        if gap == 0 {
            return from;
        }
        if working_days_only {
            self.add_working_days(from, gap)
        } else {
            self.roll_forward(from + Days::new(u64::from(gap)))
        }
    }

    /// The inverse of [`Calendar::add_gap`] for a pause: how much of the gap is left.
    pub fn gap_between(&self, from: NaiveDate, to: NaiveDate, working_days_only: bool) -> u32 {
        if to <= from {
            return 0;
        }
        if working_days_only {
            self.working_days_between(from, to)
        } else {
            u32::try_from((to - from).num_days()).unwrap_or(u32::MAX)
        }
    }
}

fn next_day(d: NaiveDate) -> NaiveDate {
    d.succ_opt().unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("test date")
    }

    #[test]
    fn working_days_skip_weekends_and_holidays() {
        let cal = Calendar::new(
            &[
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ],
            [date("2026-11-26")],
        );
        assert_eq!(
            cal.add_working_days(date("2026-11-25"), 1),
            date("2026-11-27")
        );
        assert_eq!(
            cal.add_working_days(date("2026-11-27"), 1),
            date("2026-11-30")
        );
        assert_eq!(cal.roll_forward(date("2026-11-28")), date("2026-11-30"));
        assert_eq!(
            cal.working_days_between(date("2026-11-25"), date("2026-11-30")),
            2
        );
    }

    #[test]
    fn calendar_gap_rolls_a_weekend_landing_forward() {
        let cal = Calendar::default();
        // Thu + 2 calendar days = Sat, rolled to Mon.
        assert_eq!(
            cal.add_gap(date("2026-11-26"), 2, false),
            date("2026-11-30")
        );
        assert_eq!(
            cal.add_gap(date("2026-11-26"), 0, false),
            date("2026-11-26")
        );
    }
}
