//! Built-in public holiday sets a rep can name in the config: US federal holidays and UK
//! (England and Wales) bank holidays, as observed when they fall on a weekend.

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// The names the config accepts, with what they mean.
pub const SETS: &[(&str, &str)] = &[
    ("us-federal", "US federal holidays"),
    ("uk-bank", "UK bank holidays (England and Wales)"),
];

/// The holidays of a named set for the given years, or `None` for an unknown name.
pub fn set(name: &str, years: std::ops::RangeInclusive<i32>) -> Option<Vec<(NaiveDate, String)>> {
    let f: fn(i32) -> Vec<(NaiveDate, &'static str)> = match name {
        "us-federal" => us_federal,
        "uk-bank" => uk_bank,
        _ => return None,
    };
    Some(years.flat_map(f).map(|(d, n)| (d, n.to_string())).collect())
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// The `n`th (1-based) `weekday` of a month; `n = 0` means the last one.
fn nth_weekday(y: i32, m: u32, weekday: Weekday, n: u32) -> NaiveDate {
    if n == 0 {
        let next_month = if m == 12 {
            ymd(y + 1, 1, 1)
        } else {
            ymd(y, m + 1, 1)
        };
        let mut d = next_month - Days::new(1);
        while d.weekday() != weekday {
            d = d - Days::new(1);
        }
        return d;
    }
    let mut d = ymd(y, m, 1);
    while d.weekday() != weekday {
        d = d + Days::new(1);
    }
    d + Days::new(7 * u64::from(n - 1))
}

/// Saturday → the Friday before, Sunday → the Monday after (the US federal rule).
fn us_observed(d: NaiveDate) -> NaiveDate {
    match d.weekday() {
        Weekday::Sat => d - Days::new(1),
        Weekday::Sun => d + Days::new(1),
        _ => d,
    }
}

pub fn us_federal(y: i32) -> Vec<(NaiveDate, &'static str)> {
    vec![
        (us_observed(ymd(y, 1, 1)), "New Year's Day"),
        (
            nth_weekday(y, 1, Weekday::Mon, 3),
            "Martin Luther King Jr. Day",
        ),
        (nth_weekday(y, 2, Weekday::Mon, 3), "Washington's Birthday"),
        (nth_weekday(y, 5, Weekday::Mon, 0), "Memorial Day"),
        (us_observed(ymd(y, 6, 19)), "Juneteenth"),
        (us_observed(ymd(y, 7, 4)), "Independence Day"),
        (nth_weekday(y, 9, Weekday::Mon, 1), "Labor Day"),
        (nth_weekday(y, 10, Weekday::Mon, 2), "Columbus Day"),
        (us_observed(ymd(y, 11, 11)), "Veterans Day"),
        (nth_weekday(y, 11, Weekday::Thu, 4), "Thanksgiving Day"),
        (us_observed(ymd(y, 12, 25)), "Christmas Day"),
    ]
}

/// Easter Sunday (the anonymous Gregorian computus).
pub fn easter(y: i32) -> NaiveDate {
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    ymd(y, month as u32, day as u32)
}

/// The next weekday on or after `d` that is not already taken.
fn uk_substitute(d: NaiveDate, taken: &[NaiveDate]) -> NaiveDate {
    let mut d = d;
    while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) || taken.contains(&d) {
        d = d + Days::new(1);
    }
    d
}

pub fn uk_bank(y: i32) -> Vec<(NaiveDate, &'static str)> {
    let easter = easter(y);
    let christmas = uk_substitute(ymd(y, 12, 25), &[]);
    let boxing = uk_substitute(ymd(y, 12, 26), &[christmas]);
    vec![
        (uk_substitute(ymd(y, 1, 1), &[]), "New Year's Day"),
        (easter - Days::new(2), "Good Friday"),
        (easter + Days::new(1), "Easter Monday"),
        (nth_weekday(y, 5, Weekday::Mon, 1), "Early May bank holiday"),
        (nth_weekday(y, 5, Weekday::Mon, 0), "Spring bank holiday"),
        (nth_weekday(y, 8, Weekday::Mon, 0), "Summer bank holiday"),
        (christmas, "Christmas Day"),
        (boxing, "Boxing Day"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn us_2026_matches_the_published_list() {
        let days: Vec<NaiveDate> = us_federal(2026).into_iter().map(|(d, _)| d).collect();
        let published = [
            "2026-01-01",
            "2026-01-19",
            "2026-02-16",
            "2026-05-25",
            "2026-06-19",
            "2026-07-03",
            "2026-09-07",
            "2026-10-12",
            "2026-11-11",
            "2026-11-26",
            "2026-12-25",
        ];
        assert_eq!(days, published.iter().map(|s| d(s)).collect::<Vec<_>>());
    }

    #[test]
    fn uk_2026_and_a_weekend_christmas() {
        let days: Vec<NaiveDate> = uk_bank(2026).into_iter().map(|(d, _)| d).collect();
        let published = [
            "2026-01-01",
            "2026-04-03",
            "2026-04-06",
            "2026-05-04",
            "2026-05-25",
            "2026-08-31",
            "2026-12-25",
            "2026-12-28",
        ];
        assert_eq!(days, published.iter().map(|s| d(s)).collect::<Vec<_>>());
        // 2027: Christmas is a Saturday, Boxing Day a Sunday.
        let x: Vec<NaiveDate> = uk_bank(2027).into_iter().skip(6).map(|(d, _)| d).collect();
        assert_eq!(x, vec![d("2027-12-27"), d("2027-12-28")]);
    }
}
