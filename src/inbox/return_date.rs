//! The day an out-of-office notice says its writer is back: absolute dates in the usual
//! forms of English, German, French, Spanish, Dutch, Italian and Portuguese ("7 December",
//! "December 7th", "7. Dezember 2026", "7 de diciembre", "07.12.2026", "2026-12-07"), with or
//! without a weekday, and "back on the 7th". Of the dates stated, the latest after the
//! message's own day is the return (notices say "away from the 1st until the 7th").

use chrono::{Datelike, NaiveDate};
use regex::Regex;
use std::sync::LazyLock;

/// Month names and their common abbreviations, by language, lowercased.
const MONTHS: [&[&str]; 12] = [
    &[
        "january", "jan", "januar", "jänner", "janvier", "janv", "enero", "januari", "gennaio",
        "janeiro",
    ],
    &[
        "february",
        "feb",
        "februar",
        "février",
        "févr",
        "fevrier",
        "febrero",
        "februari",
        "febbraio",
        "fevereiro",
    ],
    &[
        "march", "mar", "märz", "maerz", "mars", "marzo", "maart", "março", "marco",
    ],
    &["april", "apr", "avril", "abril", "aprile"],
    &["may", "mai", "mayo", "mei", "maggio", "maio"],
    &["june", "jun", "juni", "juin", "junio", "giugno", "junho"],
    &["july", "jul", "juli", "juillet", "julio", "luglio", "julho"],
    &["august", "aug", "août", "aout", "agosto", "augustus"],
    &[
        "september",
        "sep",
        "sept",
        "septembre",
        "septiembre",
        "settembre",
        "setembro",
    ],
    &[
        "october", "oct", "oktober", "octobre", "octubre", "ottobre", "outubro", "okt",
    ],
    &["november", "nov", "novembre", "noviembre", "novembro"],
    &[
        "december",
        "dec",
        "dezember",
        "décembre",
        "decembre",
        "diciembre",
        "dicembre",
        "dezembro",
        "dez",
    ],
];

fn month_of(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    MONTHS
        .iter()
        .position(|names| names.contains(&w.as_str()))
        .and_then(|i| u32::try_from(i + 1).ok())
}

static MONTH_WORD: &str = r"([a-zà-ÿ]{3,10}\.?)";
static DAY_MONTH: LazyLock<Option<Regex>> = LazyLock::new(|| {
    // "7 December", "7. Dezember", "7th of December", "7 de diciembre", with a year or not.
    Regex::new(&format!(
        r"(?i)\b(\d{{1,2}})(?:st|nd|rd|th|er|e|º|ª)?\.?\s+(?:of\s+|de\s+)?{MONTH_WORD}(?:\s+(?:de\s+)?(\d{{4}}))?"
    ))
    .ok()
});
static MONTH_DAY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    // "December 7", "Dec 7th, 2026".
    Regex::new(&format!(
        r"(?i)\b{MONTH_WORD}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?"
    ))
    .ok()
});
static NUMERIC: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})\b").ok());
static ISO: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\b(\d{4})-(\d{2})-(\d{2})\b").ok());
static DAY_ONLY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    // "back on the 7th", "return on the 7th".
    Regex::new(r"(?i)\b(?:back|return|returning|in the office)\s+(?:on\s+)?(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\b").ok()
});

/// The return date a notice states, if any. `sent`: the day it was sent (dates without a
/// year are the next such day after it).
pub fn return_date(text: &str, subject: &str, sent: Option<NaiveDate>) -> Option<NaiveDate> {
    let text = format!("{subject}\n{text}");
    let after = sent.unwrap_or(NaiveDate::MIN);
    let mut found: Vec<NaiveDate> = Vec::new();
    // A date without a year is this year's, unless that is long past (then next year's):
    // "since 30 November" in a December notice is behind it, "until 4 January" ahead.
    let next_with = |month: u32, day: u32| -> Option<NaiveDate> {
        let recent = after
            .checked_sub_days(chrono::Days::new(62))
            .unwrap_or(after);
        let this = NaiveDate::from_ymd_opt(after.year(), month, day)?;
        if this >= recent {
            Some(this)
        } else {
            NaiveDate::from_ymd_opt(after.year() + 1, month, day)
        }
    };
    let num = |s: Option<regex::Match>| s.and_then(|m| m.as_str().parse::<u32>().ok());
    let year = |s: Option<regex::Match>| {
        s.and_then(|m| m.as_str().parse::<i32>().ok())
            .map(|y| if y < 100 { 2000 + y } else { y })
    };
    let dated = |y: Option<i32>, m: u32, d: u32| match y {
        Some(y) => NaiveDate::from_ymd_opt(y, m, d),
        None => next_with(m, d),
    };
    for re in DAY_MONTH.iter() {
        for c in re.captures_iter(&text) {
            if let (Some(d), Some(m)) = (num(c.get(1)), c.get(2).and_then(|m| month_of(m.as_str())))
            {
                found.extend(dated(year(c.get(3)), m, d));
            }
        }
    }
    for re in MONTH_DAY.iter() {
        for c in re.captures_iter(&text) {
            if let (Some(m), Some(d)) = (c.get(1).and_then(|m| month_of(m.as_str())), num(c.get(2)))
            {
                found.extend(dated(year(c.get(3)), m, d));
            }
        }
    }
    for re in ISO.iter() {
        for c in re.captures_iter(&text) {
            if let (Some(y), Some(m), Some(d)) = (year(c.get(1)), num(c.get(2)), num(c.get(3))) {
                found.extend(NaiveDate::from_ymd_opt(y, m, d));
            }
        }
    }
    for re in NUMERIC.iter() {
        for c in re.captures_iter(&text) {
            let (Some(a), Some(b), y) = (num(c.get(1)), num(c.get(2)), year(c.get(3))) else {
                continue;
            };
            // Day first, as everywhere but the US; "12/24/2026" can only be month first.
            let (d, m) = if b > 12 && a <= 12 { (b, a) } else { (a, b) };
            found.extend(y.and_then(|y| NaiveDate::from_ymd_opt(y, m, d)));
        }
    }
    if found.is_empty() {
        for re in DAY_ONLY.iter() {
            for c in re.captures_iter(&text) {
                let Some(day) = num(c.get(1)) else { continue };
                // The next such day of a month from the day it was sent.
                let mut month = after;
                for _ in 0..2 {
                    if let Some(d) = month.with_day(day).filter(|d| *d >= after) {
                        found.push(d);
                        break;
                    }
                    month = month
                        .with_day(1)
                        .and_then(|m| m.checked_add_months(chrono::Months::new(1)))
                        .unwrap_or(month);
                }
            }
        }
    }
    // Within a year of the notice: an older date is "away since", a far one is noise.
    let limit = after
        .checked_add_days(chrono::Days::new(366))
        .unwrap_or(NaiveDate::MAX);
    found
        .into_iter()
        .filter(|d| *d >= after && *d <= limit)
        .max()
}
