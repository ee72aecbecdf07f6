//! Days and moments as a rep types them, read the same in the app's prompts and in every
//! command-line option: `2026-12-07`, `today`, `tomorrow`, `+3` (days), `+2w`, `+1m`,
//! `in 3 days`, `fri`, `next tuesday`, `next week`, `jan 11`, `11 january 2027`; and with a
//! time, `tue 3pm`, `tomorrow 9:30`, `jan 11 14:00`, `2026-12-07T14:00`.
//!
//! A weekday is the next one after today ("next tuesday" too: a rep who says it on a
//! Monday means tomorrow-but-one, never a week later). A month and day without a year is
//! the next one on or after today.

use chrono::{Datelike, Days, Months, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

const HELP: &str = "use 2026-12-07, +3, +2w, tomorrow, fri, next tue or jan 11";

/// A day the rep typed, read against `today`.
pub fn parse_day(input: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let s = words(input);
    let refused = || format!("'{}' is not a day: {HELP}", input.trim());
    let too_far = || format!("'{}' is too far ahead", input.trim());
    if let Ok(d) = s.parse::<NaiveDate>() {
        return Ok(d);
    }
    match s.as_str() {
        "today" => return Ok(today),
        "tomorrow" | "tom" | "tmrw" => return Ok(today + Days::new(1)),
        "next week" => return Ok(next_monday(today)),
        _ => {}
    }
    if let Some(span) = s.strip_prefix('+').or_else(|| s.strip_prefix("in ")) {
        return shift(span, today, true)
            .ok_or_else(refused)?
            .ok_or_else(too_far);
    }
    let bare = s
        .strip_prefix("next ")
        .or_else(|| s.strip_prefix("this "))
        .unwrap_or(&s);
    if let Some(day) = weekday(bare) {
        let from = today.weekday().num_days_from_monday();
        let ahead = (7 + day.num_days_from_monday() - from) % 7;
        let ahead = if ahead == 0 { 7 } else { ahead };
        return Ok(today + Days::new(u64::from(ahead)));
    }
    month_day(&s, today).ok_or_else(refused)
}

/// A day in the past the rep typed, for a `--since`: `2026-11-02`, `today`, `yesterday`,
/// `-7` (days ago), `-2w`, `-1m`, a weekday (the last one before today) or `jan 11` (the
/// last one on or before today).
pub fn parse_past_day(input: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let s = words(input);
    let refused = || {
        format!(
            "'{}' is not a day: use 2026-11-02, yesterday, -7, -2w, fri or jan 11",
            input.trim()
        )
    };
    if let Ok(d) = s.parse::<NaiveDate>() {
        return Ok(d);
    }
    match s.as_str() {
        "today" => return Ok(today),
        "yesterday" => return Ok(today - Days::new(1)),
        _ => {}
    }
    if let Some(span) = s.strip_prefix('-') {
        return shift(span, today, false)
            .ok_or_else(refused)?
            .ok_or_else(refused);
    }
    let bare = s.strip_prefix("last ").unwrap_or(&s);
    if let Some(day) = weekday(bare) {
        let from = today.weekday().num_days_from_monday();
        let back = (7 + from - day.num_days_from_monday()) % 7;
        let back = if back == 0 { 7 } else { back };
        return Ok(today - Days::new(u64::from(back)));
    }
    let next = month_day(&s, today).ok_or_else(refused)?;
    if next <= today || s.split(' ').count() == 3 {
        return Ok(next);
    }
    next.with_year(next.year() - 1).ok_or_else(refused)
}

/// A moment the rep typed: a day as [`parse_day`] reads it (today when left out) and a time
/// (`14:00`, `9:30`, `3pm`, `3:30 pm`, `noon`), or nothing at all (`None`).
pub fn parse_moment(input: &str, now: NaiveDateTime) -> Result<Option<NaiveDateTime>, String> {
    let s = words(&split_iso(input));
    if s.is_empty() {
        return Ok(None);
    }
    let tokens: Vec<&str> = s.split(' ').collect();
    let n = tokens.len();
    // The time is the last word or two ("tue 3 pm"), or the first ("15:30 today").
    let splits = [
        (n.saturating_sub(2), n),
        (n.saturating_sub(1), n),
        (0, 2),
        (0, 1),
    ];
    for (from, to) in splits {
        let Some(time) = tokens.get(from..to).and_then(|t| time_of_day(&t.join(""))) else {
            continue;
        };
        let day: Vec<&str> = tokens
            .iter()
            .enumerate()
            .filter(|(i, _)| !(from..to).contains(i))
            .map(|(_, t)| *t)
            .collect();
        let day = match day.as_slice() {
            [] => now.date(),
            words => parse_day(&words.join(" "), now.date())?,
        };
        return Ok(Some(day.and_time(time)));
    }
    Err(format!(
        "'{}': give a day and a time, like thu 14:00, tue 3pm or 2026-12-07 9:30",
        input.trim()
    ))
}

/// The first working day of next week's Monday, before the rep's calendar moves it.
pub fn next_monday(today: NaiveDate) -> NaiveDate {
    today + Days::new(u64::from(7 - today.weekday().num_days_from_monday()))
}

/// "2026-12-07T14:00" with a space for its `T`.
fn split_iso(input: &str) -> String {
    let chars: Vec<char> = input.chars().collect();
    let between_digits = |i: usize| {
        i > 0
            && chars.get(i - 1).is_some_and(char::is_ascii_digit)
            && chars.get(i + 1).is_some_and(char::is_ascii_digit)
    };
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| match c {
            'T' | 't' if between_digits(i) => ' ',
            c => *c,
        })
        .collect()
}

/// Lower case, single spaces, no commas ("Jan 11, 2027" → "jan 11 2027").
fn words(input: &str) -> String {
    input
        .to_lowercase()
        .replace(',', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `3`, `3d`, `2w`, `1m`, `3 days`, `2 weeks`, `1 month` after today (`forward`) or
/// before it: `None` when it is not such a span, `Some(None)` when it runs off the calendar.
fn shift(span: &str, today: NaiveDate, forward: bool) -> Option<Option<NaiveDate>> {
    let span = span.trim();
    let digits = span.chars().take_while(char::is_ascii_digit).count();
    let n: u32 = span.get(..digits)?.parse().ok()?;
    let unit = span.get(digits..)?.trim();
    let days = |k: u64| {
        let k = Days::new(k.checked_mul(u64::from(n))?);
        if forward {
            today.checked_add_days(k)
        } else {
            today.checked_sub_days(k)
        }
    };
    Some(match unit {
        "" | "d" | "day" | "days" => days(1),
        "w" | "wk" | "week" | "weeks" => days(7),
        "m" | "mo" | "month" | "months" if forward => today.checked_add_months(Months::new(n)),
        "m" | "mo" | "month" | "months" => today.checked_sub_months(Months::new(n)),
        _ => return None,
    })
}

/// A weekday by three letters or more of its name ("thu", "thurs", "thursday").
fn weekday(s: &str) -> Option<Weekday> {
    const NAMES: [(Weekday, &str); 7] = [
        (Weekday::Mon, "monday"),
        (Weekday::Tue, "tuesday"),
        (Weekday::Wed, "wednesday"),
        (Weekday::Thu, "thursday"),
        (Weekday::Fri, "friday"),
        (Weekday::Sat, "saturday"),
        (Weekday::Sun, "sunday"),
    ];
    (s.chars().count() >= 3)
        .then(|| NAMES.iter().find(|(_, name)| name.starts_with(s)))
        .flatten()
        .map(|(day, _)| *day)
}

/// "jan 11", "11 jan", "january 11 2027", "11 jan 2027": without a year, the next such day
/// on or after today.
fn month_day(s: &str, today: NaiveDate) -> Option<NaiveDate> {
    let parts: Vec<&str> = s.split(' ').collect();
    let (month, day, year) = match parts.as_slice() {
        [a, b] | [a, b, _] if month(a).is_some() => (month(a)?, b.parse().ok()?, parts.get(2)),
        [a, b] | [a, b, _] => (month(b)?, a.parse().ok()?, parts.get(2)),
        _ => return None,
    };
    if let Some(year) = year {
        return NaiveDate::from_ymd_opt(year.parse().ok()?, month, day);
    }
    let this_year = NaiveDate::from_ymd_opt(today.year(), month, day);
    match this_year {
        Some(d) if d >= today => Some(d),
        _ => NaiveDate::from_ymd_opt(today.year() + 1, month, day),
    }
}

/// A month by three letters or more of its English name.
fn month(s: &str) -> Option<u32> {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let s = s.trim_end_matches('.');
    (s.chars().count() >= 3)
        .then(|| NAMES.iter().position(|name| name.starts_with(s)))
        .flatten()
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// `14:00`, `9:30`, `14:00:00`, `3pm`, `3:30pm`, `noon`, `midnight`.
fn time_of_day(s: &str) -> Option<NaiveTime> {
    match s {
        "noon" => return NaiveTime::from_hms_opt(12, 0, 0),
        "midnight" => return Some(NaiveTime::MIN),
        _ => {}
    }
    let (clock, half) = match (s.strip_suffix("am"), s.strip_suffix("pm")) {
        (Some(c), _) => (c, Some(0)),
        (_, Some(c)) => (c, Some(12)),
        _ => (s, None),
    };
    let (h, m, sec) = match clock.split(':').collect::<Vec<_>>().as_slice() {
        [h] if half.is_some() => (h.parse::<u32>().ok()?, 0, 0),
        [h, m] => (h.parse().ok()?, m.parse().ok()?, 0),
        [h, m, s] if half.is_none() => (h.parse().ok()?, m.parse().ok()?, s.parse().ok()?),
        _ => return None,
    };
    let h = match half {
        Some(add) if (1..=12).contains(&h) => h % 12 + add,
        Some(_) => return None,
        None => h,
    };
    NaiveTime::from_hms_opt(h, m, sec)
}
