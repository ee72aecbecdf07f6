//! Dates the rep types into the app.

use crate::domain::Calendar;
use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

/// A moment the rep typed: a day as [`parse_day`] reads it (today when left out) and a time
/// (`14:00`, `9:30`), or nothing at all (`None`).
pub fn parse_moment(input: &str, now: NaiveDateTime) -> Result<Option<NaiveDateTime>, String> {
    let s = input.trim().replace('T', " ");
    if s.is_empty() {
        return Ok(None);
    }
    let (day, time) = match s.rsplit_once(' ') {
        Some((day, time)) => (Some(day.trim()), time),
        None => (None, s.as_str()),
    };
    let time = NaiveTime::parse_from_str(time, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(time, "%H:%M:%S"))
        .map_err(|_| format!("'{input}': give a time too, like thu 14:00"))?;
    let day = match day {
        Some(d) => parse_day(d, now.date())?,
        None => now.date(),
    };
    Ok(Some(day.and_time(time)))
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
    // "fri", "thurs", "monday": three letters at least of a weekday's name.
    if s.chars().count() >= 3 {
        if let Some((day, _)) = WEEKDAYS.iter().find(|(_, name)| name.starts_with(&s)) {
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

const WEEKDAYS: [(Weekday, &str); 7] = [
    (Weekday::Mon, "monday"),
    (Weekday::Tue, "tuesday"),
    (Weekday::Wed, "wednesday"),
    (Weekday::Thu, "thursday"),
    (Weekday::Fri, "friday"),
    (Weekday::Sat, "saturday"),
    (Weekday::Sun, "sunday"),
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
        assert_eq!(parse_day("thurs", mon), Ok(d("2026-11-26")));
        // Typed in another language: refused with a reason, never a crash.
        for typed in ["mié", "mañana", "ñ", "日曜日", "é"] {
            assert!(parse_day(typed, mon).is_err(), "{typed}");
        }
        assert_eq!(next_week(mon, &Calendar::default()), d("2026-11-30"));
    }
}
