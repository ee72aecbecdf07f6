//! The day an out-of-office notice says its writer is back: absolute dates in the usual
//! forms of English, German, French, Spanish, Dutch, Italian and Portuguese ("7 December",
//! "December 7th", "7. Dezember 2026", "7 de diciembre", "07.12.2026", "2026-12-07"), with or
//! without a weekday, and "back on the 7th"; ranges ("traveling July 10–31", "10.–31.
//! Juli") end on their last day. Of the dates stated, the latest after the message's own day
//! decides (notices say "away from the 1st until the 7th"); the words around it say whether
//! it is the day they are back ("back on 9 December": that day) or the last day away ("until
//! 31 July", "July 10–31": the next working day).

use chrono::{Datelike, NaiveDate};
use regex::Regex;
use std::sync::LazyLock;

/// Month names and their common abbreviations, by language, lowercased.
const MONTHS: [&[&str]; 12] = [
    &[
        "january", "jan", "januar", "jänner", "janvier", "janv", "enero", "januari", "gennaio",
        "janeiro", "stycznia", "styczeń", "sty",
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
        "lutego",
        "luty",
        "lut",
    ],
    &[
        "march", "mar", "märz", "maerz", "mars", "marzo", "maart", "março", "marco", "marca",
        "marzec",
    ],
    &[
        "april",
        "apr",
        "avril",
        "abril",
        "aprile",
        "kwietnia",
        "kwiecień",
        "kwi",
    ],
    &["may", "mai", "mayo", "mei", "maggio", "maio", "maja", "maj"],
    &[
        "june", "jun", "juni", "juin", "junio", "giugno", "junho", "czerwca", "czerwiec", "cze",
    ],
    &[
        "july", "jul", "juli", "juillet", "julio", "luglio", "julho", "lipca", "lipiec", "lip",
    ],
    &[
        "august",
        "aug",
        "août",
        "aout",
        "agosto",
        "augustus",
        "sierpnia",
        "sierpień",
        "sie",
    ],
    &[
        "september",
        "sep",
        "sept",
        "septembre",
        "septiembre",
        "settembre",
        "setembro",
        "września",
        "wrzesień",
        "wrz",
    ],
    &[
        "october",
        "oct",
        "oktober",
        "octobre",
        "octubre",
        "ottobre",
        "outubro",
        "okt",
        "października",
        "październik",
        "paź",
    ],
    &[
        "november",
        "nov",
        "novembre",
        "noviembre",
        "novembro",
        "listopada",
        "listopad",
        "lis",
    ],
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
        "grudnia",
        "grudzień",
        "gru",
    ],
];

pub(crate) fn month_of(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    MONTHS
        .iter()
        .position(|names| names.contains(&w.as_str()))
        .and_then(|i| u32::try_from(i + 1).ok())
}

static MONTH_WORD: &str = r"(\p{L}{3,12}\.?)";
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

static MONTH_DAY_RANGE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    // "July 10–31", "Dec 21 - 31, 2026": the range ends on its second day.
    Regex::new(&format!(
        r"(?i)\b{MONTH_WORD}\s+\d{{1,2}}(?:st|nd|rd|th)?\s*(?:–|—|-|to|through|thru)\s*(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?"
    ))
    .ok()
});

/// Words that make a date the day they are back, said before it ("back on", "zurück am")
/// or after it ("… wieder im Büro").
const BACK_BEFORE: &[&str] = &[
    "back", "return", "zurück", "wieder", "ab dem", "ab ", "retour", "vuelta", "regres", "terug",
    "rientr", "ritorno", "volta", "wracam", "powrót", "od ",
];
const BACK_AFTER: &[&str] = &["wieder", "again", "zurück", "de retour", "terug"];

/// The day a notice says its writer is back, and how it says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Back {
    pub day: NaiveDate,
    /// "Back on 9 December": they are in that day. Otherwise the day is the last one away
    /// ("until 31 July"), and they are back the next working day.
    pub returns_that_day: bool,
}

/// A date found in the text, where, and whether it ends a range.
struct Found {
    day: NaiveDate,
    at: usize,
    end: usize,
}

/// The return date a notice states, if any. `sent`: the day it was sent (dates without a
/// year are the next such day after it).
pub fn return_date(text: &str, subject: &str, sent: Option<NaiveDate>) -> Option<Back> {
    let text = format!("{subject}\n{text}");
    let after = sent.unwrap_or(NaiveDate::MIN);
    let found = dates(&text, after);
    // Within a year of the notice: an older date is "away since", a far one is noise.
    let limit = after
        .checked_add_days(chrono::Days::new(366))
        .unwrap_or(NaiveDate::MAX);
    let latest = found
        .into_iter()
        .filter(|f| f.day >= after && f.day <= limit)
        .max_by_key(|f| (f.day, f.at))?;
    let lower = text.to_lowercase();
    let before: String = lower
        .get(..latest.at)
        .unwrap_or_default()
        .chars()
        .rev()
        .take(30)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let after_it: String = lower
        .get(latest.end..)
        .unwrap_or_default()
        .chars()
        .take(30)
        .collect();
    let returns_that_day = BACK_BEFORE.iter().any(|w| before.contains(w))
        || BACK_AFTER.iter().any(|w| after_it.contains(w));
    Some(Back {
        day: latest.day,
        returns_that_day,
    })
}

/// Notes a date found at `whole`.
fn push(found: &mut Vec<Found>, day: Option<NaiveDate>, whole: Option<regex::Match>) {
    if let (Some(day), Some(w)) = (day, whole) {
        found.push(Found {
            day,
            at: w.start(),
            end: w.end(),
        });
    }
}

/// Every date the text states, where it is.
fn dates(text: &str, after: NaiveDate) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();
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
        for c in re.captures_iter(text) {
            if let (Some(d), Some(m)) = (num(c.get(1)), c.get(2).and_then(|m| month_of(m.as_str())))
            {
                push(&mut found, dated(year(c.get(3)), m, d), c.get(0));
            }
        }
    }
    for re in MONTH_DAY.iter().chain(MONTH_DAY_RANGE.iter()) {
        for c in re.captures_iter(text) {
            if let (Some(m), Some(d)) = (c.get(1).and_then(|m| month_of(m.as_str())), num(c.get(2)))
            {
                push(&mut found, dated(year(c.get(3)), m, d), c.get(0));
            }
        }
    }
    for re in ISO.iter() {
        for c in re.captures_iter(text) {
            if let (Some(y), Some(m), Some(d)) = (year(c.get(1)), num(c.get(2)), num(c.get(3))) {
                push(&mut found, NaiveDate::from_ymd_opt(y, m, d), c.get(0));
            }
        }
    }
    for re in NUMERIC.iter() {
        for c in re.captures_iter(text) {
            let (Some(a), Some(b), y) = (num(c.get(1)), num(c.get(2)), year(c.get(3))) else {
                continue;
            };
            // Day first, as everywhere but the US; "12/24/2026" can only be month first.
            let (d, m) = if b > 12 && a <= 12 { (b, a) } else { (a, b) };
            push(
                &mut found,
                y.and_then(|y| NaiveDate::from_ymd_opt(y, m, d)),
                c.get(0),
            );
        }
    }
    if found.is_empty() {
        for re in DAY_ONLY.iter() {
            for c in re.captures_iter(text) {
                let Some(day) = num(c.get(1)) else { continue };
                // The next such day of a month from the day it was sent.
                let mut month = after;
                for _ in 0..2 {
                    if let Some(d) = month.with_day(day).filter(|d| *d >= after) {
                        // From the day's digits: "back on the" stays before it.
                        push(&mut found, Some(d), c.get(1));
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
    found
}
