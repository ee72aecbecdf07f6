//! Good hours per channel in the prospect's own day: when a call or an email lands best.

use super::types::{Channel, Trigger};
use chrono::{Datelike, NaiveDateTime, NaiveTime, Weekday};
use serde::Serialize;

/// A daily window, on some weekdays (all of them when `days` is empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Window {
    pub days: Vec<Weekday>,
    pub from: NaiveTime,
    pub to: NaiveTime,
}

impl Window {
    pub fn new(days: &[Weekday], from: (u32, u32), to: (u32, u32)) -> Window {
        let t = |(h, m): (u32, u32)| NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN);
        Window {
            days: days.to_vec(),
            from: t(from),
            to: t(to),
        }
    }

    fn on(&self, day: Weekday) -> bool {
        self.days.is_empty() || self.days.contains(&day)
    }

    /// Where the prospect's local moment `at` stands against this window.
    pub fn status(&self, at: NaiveDateTime) -> WindowStatus {
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
    pub fn label(&self) -> String {
        let hours = format!("{}–{}", self.from.format("%H:%M"), self.to.format("%H:%M"));
        match (self.days.first(), self.days.last()) {
            (Some(a), Some(b)) if a == b => format!("{a} {hours}"),
            (Some(a), Some(b)) => format!("{a}–{b} {hours}"),
            _ => hours,
        }
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
    /// Follow-up calls 11:00–12:00, cold calls 16:00–17:00, emails Tue–Thu 08:00–10:00.
    fn default() -> Self {
        Windows {
            email: Some(Window::new(
                &[Weekday::Tue, Weekday::Wed, Weekday::Thu],
                (8, 0),
                (10, 0),
            )),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_against_the_window() {
        let w = Window::new(&[Weekday::Tue], (8, 0), (10, 0));
        let at = |s: &str| -> NaiveDateTime { s.parse().expect("time") };
        assert_eq!(
            w.status(at("2026-11-24T07:30:00")),
            WindowStatus::Later(w.from)
        );
        assert_eq!(w.status(at("2026-11-24T09:59:00")), WindowStatus::Now);
        assert_eq!(w.status(at("2026-11-24T10:00:00")), WindowStatus::Passed);
        assert_eq!(w.status(at("2026-11-23T09:00:00")), WindowStatus::NotToday);
        assert_eq!(w.label(), "Tue 08:00–10:00");
    }
}
