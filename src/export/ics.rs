//! `touchbase export ics`: the due calls and booked meetings as an RFC 5545 calendar. Every
//! event's UID is fixed by what it is (an enrollment's step, a logged meeting), so importing a
//! newer file updates the events instead of adding copies.

use crate::domain::windows::Span;
use crate::text::{sanitize, sanitize_multiline};
use chrono::{DateTime, Datelike, Duration, NaiveDateTime, NaiveTime, Timelike, Utc};
use icalendar::{Calendar, Component, Event, EventLike};

/// One call to make, placed in the prospect's good hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedCall {
    pub enrollment_id: i64,
    /// 0-based, as stored.
    pub step: usize,
    pub steps: usize,
    pub sequence: String,
    pub name: String,
    pub company: Option<String>,
    pub phone: Option<String>,
    pub starts: DateTime<Utc>,
    pub minutes: i64,
    /// "10:00 in Europe/London", when their zone is known.
    pub their_time: Option<String>,
    /// The script's first lines.
    pub script: Vec<String>,
}

/// A booked meeting, from the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookedMeeting {
    pub touch_id: i64,
    pub name: String,
    pub company: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub starts: DateTime<Utc>,
    pub their_time: Option<String>,
    pub note: Option<String>,
}

/// How long a booked meeting is shown as.
pub const MEETING_MINUTES: i64 = 30;

/// The calendar text: one event per call and per meeting, stamped `stamp`.
pub fn calendar(calls: &[PlannedCall], meetings: &[BookedMeeting], stamp: DateTime<Utc>) -> String {
    let mut cal = Calendar::empty();
    cal.append_property(("VERSION", "2.0"));
    cal.append_property(("PRODID", "-//touchbase//calls and meetings//EN"));
    cal.append_property(("CALSCALE", "GREGORIAN"));
    cal.name("touchbase: calls and meetings");
    for c in calls {
        let who = match &c.company {
            Some(company) if !company.is_empty() => format!("{} ({company})", c.name),
            _ => c.name.clone(),
        };
        let mut lines = Vec::new();
        if let Some(phone) = &c.phone {
            lines.push(format!("Number: {phone}"));
        }
        if let Some(t) = &c.their_time {
            lines.push(format!("Their time: {t}"));
        }
        lines.push(format!(
            "Step {} of {} in {}",
            c.step + 1,
            c.steps,
            c.sequence
        ));
        if !c.script.is_empty() {
            lines.push(String::new());
            lines.extend(c.script.iter().cloned());
        }
        let mut event = Event::new();
        event
            .uid(&format!(
                "call-{}-{}@touchbase",
                c.enrollment_id,
                c.step + 1
            ))
            .timestamp(stamp)
            .summary(&sanitize(&format!("Call {who}")))
            .description(&sanitize_multiline(&lines.join("\n")))
            .starts(c.starts)
            .ends(c.starts + Duration::minutes(c.minutes));
        if let Some(phone) = &c.phone {
            let phone = sanitize(phone);
            event.location(&phone);
            if let Some(tel) = crate::domain::phones::tel_uri(&phone, None) {
                event.url(&tel);
            }
        }
        cal.push(event.done());
    }
    for m in meetings {
        let who = match &m.company {
            Some(company) if !company.is_empty() => format!("{} ({company})", m.name),
            _ => m.name.clone(),
        };
        let mut lines = Vec::new();
        if let Some(t) = &m.their_time {
            lines.push(format!("Their time: {t}"));
        }
        for (label, value) in [("Email", &m.email), ("Number", &m.phone)] {
            if let Some(v) = value {
                lines.push(format!("{label}: {v}"));
            }
        }
        if let Some(note) = m.note.as_ref().filter(|n| !n.is_empty()) {
            lines.push(String::new());
            lines.push(note.clone());
        }
        let mut event = Event::new();
        event
            .uid(&format!("meeting-{}@touchbase", m.touch_id))
            .timestamp(stamp)
            .summary(&sanitize(&format!("Meeting with {who}")))
            .description(&sanitize_multiline(&lines.join("\n")))
            .starts(m.starts)
            .ends(m.starts + Duration::minutes(MEETING_MINUTES));
        cal.push(event.done());
    }
    cal.done().to_string()
}

/// When, on the prospect's wall clock, the call that is `taken`-th in its window goes: the first
/// window span that has not passed at `earliest` (the day it is due, or now for today's),
/// `minutes` apart within the span, starting no sooner than `earliest` (rounded up to
/// `minutes`) when the span is open already. Without spans it goes at `fallback` that day.
pub fn call_slot(
    spans: &[Span],
    earliest: NaiveDateTime,
    taken: i64,
    minutes: i64,
    fallback: NaiveTime,
) -> NaiveDateTime {
    let step = Duration::minutes(minutes.max(1));
    let round_up = |t: NaiveDateTime| {
        let past = i64::from(t.minute()) % minutes.max(1);
        let whole = t
            .with_second(0)
            .unwrap_or(t)
            .with_nanosecond(0)
            .unwrap_or(t);
        if past == 0 && t.second() == 0 {
            whole
        } else {
            whole + Duration::minutes(minutes.max(1) - past)
        }
    };
    for offset in 0..8 {
        let day = earliest.date() + chrono::Days::new(offset);
        let mut open: Vec<&Span> = spans
            .iter()
            .filter(|s| s.days.is_empty() || s.days.contains(&day.weekday()))
            .collect();
        open.sort_by_key(|s| s.from);
        for span in open {
            let (from, to) = (day.and_time(span.from), day.and_time(span.to));
            if to <= earliest {
                continue;
            }
            let first = if from < earliest {
                round_up(earliest)
            } else {
                from
            };
            let at = first + step * i32::try_from(taken).unwrap_or(0);
            // A full window stacks the rest on its last slot rather than spilling past it.
            return if at + step <= to {
                at
            } else {
                (to - step).max(first)
            };
        }
    }
    let day = earliest.date().and_time(fallback);
    if day >= earliest {
        day
    } else {
        round_up(earliest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, Weekday};

    fn at(d: u32, h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, d)
            .and_then(|d| d.and_hms_opt(h, m, 0))
            .expect("a time")
    }

    fn span(days: &[Weekday], from: u32, to: u32) -> Span {
        Span {
            days: days.to_vec(),
            from: NaiveTime::from_hms_opt(from, 0, 0).expect("from"),
            to: NaiveTime::from_hms_opt(to, 0, 0).expect("to"),
        }
    }

    #[test]
    fn calls_fill_the_window_ten_minutes_apart() {
        let w = [span(&[], 11, 12)];
        let nine = NaiveTime::from_hms_opt(9, 0, 0).expect("nine");
        let cases = [
            // Before the window: its start, then ten minutes on each.
            (at(1, 8, 0), 0, at(1, 11, 0)),
            (at(1, 8, 0), 2, at(1, 11, 20)),
            // A full window keeps the rest on its last slot.
            (at(1, 8, 0), 9, at(1, 11, 50)),
            // Inside the window: from now, rounded up.
            (at(1, 11, 23), 0, at(1, 11, 30)),
            // After it: the next day's.
            (at(1, 12, 0), 0, at(2, 11, 0)),
        ];
        for (earliest, taken, want) in cases {
            assert_eq!(
                call_slot(&w, earliest, taken, 10, nine),
                want,
                "{earliest} #{taken}"
            );
        }
        // 2026-12-05 is a Saturday: a Tue–Thu window waits for Tuesday.
        let weekdays = [span(&[Weekday::Tue, Weekday::Wed, Weekday::Thu], 15, 16)];
        assert_eq!(call_slot(&weekdays, at(5, 9, 0), 0, 10, nine), at(8, 15, 0));
        // No window: the fallback hour, or now when it has passed.
        assert_eq!(call_slot(&[], at(1, 8, 0), 0, 10, nine), at(1, 9, 0));
        assert_eq!(call_slot(&[], at(1, 9, 41), 0, 10, nine), at(1, 9, 50));
    }
}
