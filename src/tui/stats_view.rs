//! The Stats view's state: which sequence and period are chosen, and the numbers for them,
//! computed when the view is opened or the choice changes (never for the first frame).

use crate::desk::Desk;
use crate::stats::{Filter, Stats};
use chrono::{Days, NaiveDateTime};

/// How far back the numbers reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Period {
    #[default]
    Days30,
    Days90,
    All,
}

impl Period {
    pub fn next(self) -> Period {
        match self {
            Period::Days30 => Period::Days90,
            Period::Days90 => Period::All,
            Period::All => Period::Days30,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Period::Days30 => "last 30 days",
            Period::Days90 => "last 90 days",
            Period::All => "all time",
        }
    }

    /// The first moment counted, from `now`.
    pub fn since(self, now: NaiveDateTime) -> Option<NaiveDateTime> {
        let days = match self {
            Period::Days30 => 30,
            Period::Days90 => 90,
            Period::All => return None,
        };
        now.checked_sub_days(Days::new(days))
    }
}

#[derive(Debug, Default)]
pub struct StatsView {
    pub period: Period,
    /// Sequences with activity in the period, busiest first.
    pub sequences: Vec<String>,
    /// Index into `sequences`; one past the end means all sequences together.
    pub chosen: usize,
    /// The numbers for the chosen sequence and period, or why they could not be counted.
    pub stats: Option<Result<Stats, String>>,
    /// Across all sequences in the period: what the chooser compares.
    pub overall: Option<Stats>,
    pub scroll: u16,
    /// Counted once already: the first count opens on all sequences together.
    counted: bool,
}

impl StatsView {
    /// The chosen sequence's name; `None` for all sequences together.
    pub fn sequence(&self) -> Option<&str> {
        self.sequences.get(self.chosen).map(String::as_str)
    }

    /// Counts again for the current choice: the list of sequences for the period, then the
    /// chosen one's numbers. Keeps the chosen sequence by name when the list changes.
    pub fn load(&mut self, desk: &Desk, now: NaiveDateTime) {
        let since = self.period.since(now);
        let keep = self.sequence().map(str::to_string);
        let all = Filter {
            sequence: None,
            since,
        };
        let overall = match desk.stats(&all) {
            Ok(s) => s,
            Err(e) => {
                self.stats = Some(Err(format!("{e:#}")));
                self.overall = None;
                return;
            }
        };
        let mut seqs: Vec<(u64, String)> = overall
            .sequences
            .iter()
            .map(|s| (s.prospects, s.sequence.clone()))
            .collect();
        seqs.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        self.sequences = seqs.into_iter().map(|(_, n)| n).collect();
        self.chosen = match keep {
            Some(name) => self.sequences.iter().position(|n| *n == name).unwrap_or(0),
            // The first look is at everything; after that "all" stays chosen once chosen.
            None if !self.counted || self.chosen >= self.sequences.len() => self.sequences.len(),
            None => 0,
        };
        self.counted = true;
        self.overall = Some(overall);
        self.sequence_changed(desk, now);
    }

    /// Moves the choice by one (wrapping through "all sequences") and counts again.
    pub fn step(&mut self, by: isize, desk: &Desk, now: NaiveDateTime) {
        let n = self.sequences.len() + 1;
        let at = self.chosen.min(n - 1) as isize;
        self.chosen = (at + by).rem_euclid(n as isize) as usize;
        self.sequence_changed(desk, now);
    }

    fn sequence_changed(&mut self, desk: &Desk, now: NaiveDateTime) {
        let since = self.period.since(now);
        self.scroll = 0;
        self.stats = Some(match self.sequence() {
            None => match &self.overall {
                Some(s) => Ok(s.clone()),
                None => return self.load(desk, now),
            },
            Some(name) => {
                let one = Filter {
                    sequence: Some(name.to_string()),
                    since,
                };
                desk.stats(&one).map_err(|e| format!("{e:#}"))
            }
        });
    }

    pub fn cycle_period(&mut self, desk: &Desk, now: NaiveDateTime) {
        self.period = self.period.next();
        self.load(desk, now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_cycle_and_reach_back() {
        let now: NaiveDateTime = "2026-11-23T09:00:00".parse().expect("time");
        assert_eq!(Period::Days30.next().next().next(), Period::Days30);
        assert_eq!(
            Period::Days30.since(now),
            "2026-10-24T09:00:00".parse().ok()
        );
        assert_eq!(Period::All.since(now), None);
    }
}
