//! Dates the rep types into the app: read by the one parser every option uses too.

use crate::domain::Calendar;
pub use crate::domain::when::{parse_day, parse_moment};
use chrono::NaiveDate;

/// The first working day of next week.
pub fn next_week(today: NaiveDate, cal: &Calendar) -> NaiveDate {
    cal.roll_forward(crate::domain::when::next_monday(today))
}
