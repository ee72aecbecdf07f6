//! `touchbase stats`: reply analytics as a table or JSON.

use super::args::StatsArgs;
use crate::desk::Desk;
use crate::stats::{self, Filter};
use anyhow::Result;
use chrono::{Days, NaiveDateTime, NaiveTime};
use std::process::ExitCode;

pub fn run(desk: &Desk, a: &StatsArgs, now: NaiveDateTime) -> Result<ExitCode> {
    let since = match (&a.since, a.days) {
        (Some(d), _) => {
            Some(super::parse_since(d, "--since", now.date())?.and_time(NaiveTime::MIN))
        }
        (None, Some(n)) => Some((now.date() - Days::new(u64::from(n))).and_time(NaiveTime::MIN)),
        (None, None) => None,
    };
    if let Some(name) = &a.sequence {
        let mut known: Vec<String> = desk.library.names().into_iter().map(|(n, _)| n).collect();
        known.extend(desk.sequence_people()?.into_iter().map(|(n, _)| n));
        known.sort();
        known.dedup();
        if !known.contains(name) {
            anyhow::bail!(
                "--sequence: no sequence named '{name}' (known: {})",
                known.join(", ")
            );
        }
    }
    let filter = Filter {
        sequence: a.sequence.clone(),
        since,
    };
    let s = desk.stats(&filter)?;
    let mut out = std::io::stdout().lock();
    if a.json {
        crate::text::write_json(&mut out, &s)?;
    } else {
        stats::write_table(&mut out, &s)?;
    }
    Ok(ExitCode::SUCCESS)
}
