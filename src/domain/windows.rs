//! Good hours per channel in the prospect's own day: when a call or an email lands best.

use super::types::{Channel, Trigger};
use chrono::{Datelike, NaiveDateTime, NaiveTime, TimeZone, Weekday};
use chrono_tz::Tz;
use serde::Serialize;

/// One span of good hours, on some weekdays (all of them when `days` is empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    pub days: Vec<Weekday>,
    pub from: NaiveTime,
    pub to: NaiveTime,
}

impl Span {
    fn on(&self, day: Weekday) -> bool {
        self.days.is_empty() || self.days.contains(&day)
    }

    fn status(&self, at: NaiveDateTime) -> WindowStatus {
        if !self.on(at.weekday()) {
            return WindowStatus::NotToday;
        }
        let t = at.time();
        if t < self.from {
            WindowStatus::Later(self.from)
        } else if t < self.to {
            WindowStatus::Now
        } else {
            WindowStatus::Passed
        }
    }

    /// "Tue–Thu 08:00–10:00".
    fn label(&self) -> String {
        let hours = format!("{}–{}", self.from.format("%H:%M"), self.to.format("%H:%M"));
        match (self.days.first(), self.days.last()) {
            (Some(a), Some(b)) if a == b => format!("{a} {hours}"),
            (Some(a), Some(b)) => format!("{a}–{b} {hours}"),
            _ => hours,
        }
    }
}

/// A channel's good hours: one or several spans (emails Tue–Thu 08–10 and 15–16).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Window {
    pub spans: Vec<Span>,
}

impl Window {
    pub fn new(days: &[Weekday], from: (u32, u32), to: (u32, u32)) -> Window {
        let t = |(h, m): (u32, u32)| NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN);
        Window {
            spans: vec![Span {
                days: days.to_vec(),
                from: t(from),
                to: t(to),
            }],
        }
    }

    /// Adds another span to the same channel's hours.
    pub fn and(mut self, days: &[Weekday], from: (u32, u32), to: (u32, u32)) -> Window {
        self.spans.extend(Window::new(days, from, to).spans);
        self
    }

    /// Where the prospect's local moment `at` stands: open now in any span, else the span
    /// that opens soonest today, else closed for today.
    pub fn status(&self, at: NaiveDateTime) -> WindowStatus {
        self.spans
            .iter()
            .map(|s| s.status(at))
            .min()
            .unwrap_or(WindowStatus::NotToday)
    }

    /// "Tue–Thu 08:00–10:00 and 15:00–16:00": days said once when the spans share them.
    pub fn label(&self) -> String {
        let mut labels: Vec<String> = Vec::new();
        let mut days: Option<&Vec<Weekday>> = None;
        for span in &self.spans {
            if days == Some(&span.days) {
                labels.push(format!(
                    "{}–{}",
                    span.from.format("%H:%M"),
                    span.to.format("%H:%M")
                ));
            } else {
                labels.push(span.label());
            }
            days = Some(&span.days);
        }
        labels.join(" and ")
    }

    /// Minutes from the prospect's local moment `at` until the window is open (0 while it
    /// is), looking up to a week ahead; `None` when no span is ever open.
    pub fn minutes_until_open(&self, at: NaiveDateTime) -> Option<i64> {
        (0..=7u64).find_map(|ahead| {
            let day = at.date().checked_add_days(chrono::Days::new(ahead))?;
            self.spans
                .iter()
                .filter(|s| s.on(day.weekday()) && s.from < s.to)
                .filter_map(|s| {
                    let (start, end) = (day.and_time(s.from), day.and_time(s.to));
                    match at {
                        _ if at >= start && at < end => Some(0),
                        _ if start >= at => Some((start - at).num_minutes()),
                        _ => None,
                    }
                })
                .min()
        })
    }
}

/// "in 45m", "in 7h", "in 3d": the same, short enough for a queue row.
pub fn wait_short(minutes: i64) -> String {
    match minutes {
        ..60 => format!("in {minutes}m"),
        60..2880 => format!("in {}h", minutes / 60),
        _ => format!("in {}d", minutes / 1440),
    }
}

/// "in 45 min", "in 2 h 30 min", "in 7 h", "in 3 days": how long until a window opens.
pub fn wait_in_words(minutes: i64) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    match h {
        0 => format!("in {m} min"),
        1..=2 if m > 0 => format!("in {h} h {m} min"),
        1..=47 => format!("in {h} h"),
        _ => format!("in {} days", h / 24),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum WindowStatus {
    /// Inside the window right now.
    Now,
    /// Opens later today, at this local time.
    Later(NaiveTime),
    /// Closed for today.
    Passed,
    /// Not a day this window is open.
    NotToday,
}

/// The windows per channel. A call in a cold sequence has its own window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Windows {
    pub email: Option<Window>,
    pub follow_up_call: Option<Window>,
    pub cold_call: Option<Window>,
    pub linkedin: Option<Window>,
    pub sms: Option<Window>,
}

impl Default for Windows {
    /// Follow-up calls 11:00–12:00, cold calls 16:00–17:00, emails Tue–Thu 08:00–10:00 and
    /// 15:00–16:00.
    fn default() -> Self {
        Windows {
            // The references' best email hours: 08–10 and 15–16, Tuesday to Thursday.
            email: Some(
                Window::new(&[Weekday::Tue, Weekday::Wed, Weekday::Thu], (8, 0), (10, 0)).and(
                    &[Weekday::Tue, Weekday::Wed, Weekday::Thu],
                    (15, 0),
                    (16, 0),
                ),
            ),
            follow_up_call: Some(Window::new(&[], (11, 0), (12, 0))),
            cold_call: Some(Window::new(&[], (16, 0), (17, 0))),
            linkedin: None,
            sms: None,
        }
    }
}

impl Windows {
    pub fn for_step(&self, channel: Channel, trigger: Trigger) -> Option<&Window> {
        match channel {
            Channel::Email => self.email.as_ref(),
            Channel::Call if trigger == Trigger::Cold => self.cold_call.as_ref(),
            Channel::Call => self.follow_up_call.as_ref(),
            Channel::Linkedin => self.linkedin.as_ref(),
            Channel::Sms => self.sms.as_ref(),
            Channel::Task => None,
        }
    }
}

/// A moment written on the rep's clock (in `rep`'s zone), as the clock on the prospect's
/// wall shows it. Without a prospect zone it stays as it is.
pub fn local_time<Z: TimeZone>(at: NaiveDateTime, rep: &Z, prospect: Option<Tz>) -> NaiveDateTime {
    let Some(prospect) = prospect else {
        return at;
    };
    let instant = rep
        .from_local_datetime(&at)
        .earliest()
        .map(|t| t.naive_utc());
    match instant {
        Some(utc) => prospect.from_utc_datetime(&utc).naive_local(),
        None => at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_against_the_window() {
        let w = Window::new(&[Weekday::Tue], (8, 0), (10, 0));
        let at = |s: &str| -> NaiveDateTime { s.parse().expect("time") };
        let eight = NaiveTime::from_hms_opt(8, 0, 0).expect("time");
        assert_eq!(
            w.status(at("2026-11-24T07:30:00")),
            WindowStatus::Later(eight)
        );
        assert_eq!(w.status(at("2026-11-24T09:59:00")), WindowStatus::Now);
        assert_eq!(w.status(at("2026-11-24T10:00:00")), WindowStatus::Passed);
        assert_eq!(w.status(at("2026-11-23T09:00:00")), WindowStatus::NotToday);
        assert_eq!(w.label(), "Tue 08:00–10:00");
    }

    #[test]
    fn several_spans_open_one_after_the_other() {
        let days = [Weekday::Tue, Weekday::Wed, Weekday::Thu];
        let w = Window::new(&days, (8, 0), (10, 0)).and(&days, (15, 0), (16, 0));
        let at = |s: &str| -> NaiveDateTime { s.parse().expect("time") };
        let three = NaiveTime::from_hms_opt(15, 0, 0).expect("time");
        assert_eq!(w.status(at("2026-11-24T09:00:00")), WindowStatus::Now);
        assert_eq!(
            w.status(at("2026-11-24T12:00:00")),
            WindowStatus::Later(three)
        );
        assert_eq!(w.status(at("2026-11-24T15:30:00")), WindowStatus::Now);
        assert_eq!(w.status(at("2026-11-24T16:30:00")), WindowStatus::Passed);
        assert_eq!(w.status(at("2026-11-23T09:00:00")), WindowStatus::NotToday);
        assert_eq!(w.label(), "Tue–Thu 08:00–10:00 and 15:00–16:00");
    }

    #[test]
    fn local_time_crosses_zones_and_half_hours() {
        let berlin: Tz = "Europe/Berlin".parse().expect("tz");
        let at: NaiveDateTime = "2026-11-23T15:00:00".parse().expect("time");
        let chicago = local_time(at, &berlin, "America/Chicago".parse().ok());
        assert_eq!(chicago.to_string(), "2026-11-23 08:00:00");
        let kolkata = local_time(at, &berlin, "Asia/Kolkata".parse().ok());
        assert_eq!(kolkata.to_string(), "2026-11-23 19:30:00");
        // Summer: Berlin is UTC+2, Chicago UTC-5.
        let july: NaiveDateTime = "2026-07-01T15:00:00".parse().expect("time");
        let chicago = local_time(july, &berlin, "America/Chicago".parse().ok());
        assert_eq!(chicago.to_string(), "2026-07-01 08:00:00");
        // In the week between the two daylight-saving changes (US on 1 Nov, EU on 25 Oct)
        // the gap is 6 hours, not 7.
        let gap_week: NaiveDateTime = "2026-10-28T15:00:00".parse().expect("time");
        let chicago = local_time(gap_week, &berlin, "America/Chicago".parse().ok());
        assert_eq!(chicago.to_string(), "2026-10-28 09:00:00");
    }
}
