//! `touchbase import`: prospects from a CSV file, de-duplicated, checked against the
//! do-not-contact list, optionally enrolled with their starts spread over working days.
//! The whole import is one action: all of it lands, or none of it.

mod columns;
mod read;

use crate::desk::{enroll_in, Desk};
use crate::domain::Prospect;
use crate::store::queries;
use anyhow::Result;
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::Path;

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub sequence: Option<String>,
    pub start: Option<NaiveDate>,
    pub per_day: Option<usize>,
    pub dry_run: bool,
}

/// What an import did (or, on a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub file: String,
    pub dry_run: bool,
    pub added: usize,
    pub updated: usize,
    pub enrolled: usize,
    /// Reason → count.
    pub skipped: BTreeMap<String, usize>,
    pub first_start: Option<NaiveDate>,
    pub last_start: Option<NaiveDate>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.dry_run {
            write!(f, "Dry run, nothing changed. ")?;
        }
        let skipped: usize = self.skipped.values().sum();
        write!(
            f,
            "{}: {} added, {} updated, {} enrolled, {} skipped",
            self.file, self.added, self.updated, self.enrolled, skipped
        )?;
        if skipped > 0 {
            let parts: Vec<String> = self
                .skipped
                .iter()
                .map(|(why, n)| format!("{n} {why}"))
                .collect();
            write!(f, " ({})", parts.join(", "))?;
        }
        if let (Some(a), Some(b)) = (self.first_start, self.last_start) {
            if a == b {
                write!(f, "; starts {a}")?;
            } else {
                write!(f, "; starts spread {a} to {b}")?;
            }
        }
        Ok(())
    }
}

/// Reads and imports `path`. A bad row fails everything before the database is touched.
pub fn run(
    desk: &mut Desk,
    path: &Path,
    opts: &ImportOptions,
    now: NaiveDateTime,
) -> Result<Report> {
    let rows = read::read(path)?;
    let seq = match &opts.sequence {
        Some(name) => Some(desk.library.load(name)?),
        None => None,
    };
    let cal = desk.config.calendar.clone();
    let mut report = Report {
        file: path.display().to_string(),
        dry_run: opts.dry_run,
        ..Report::default()
    };
    let body = |tx: &mut crate::store::Tx| -> Result<(Report, String)> {
        let mut report = report.clone();
        let mut seen: HashSet<String> = HashSet::new();
        let first_day = cal.roll_forward(opts.start.unwrap_or(now.date()).max(now.date()));
        let mut day = first_day;
        let mut used_today = 0usize;
        let skip = |report: &mut Report, why: &str| {
            *report.skipped.entry(why.to_string()).or_default() += 1;
        };
        for row in rows {
            let mut p = row;
            queries::normalize_identifiers(&mut p);
            let keys: Vec<String> = p
                .identifiers()
                .into_iter()
                .filter(|(k, _)| *k != "phone")
                .map(|(k, v)| format!("{k}:{v}"))
                .collect();
            if keys.iter().any(|k| seen.contains(k)) {
                skip(&mut report, "duplicates in the file");
                continue;
            }
            seen.extend(keys);
            if queries::do_not_contact_match(tx.conn(), &p)?.is_some() {
                skip(&mut report, "on the do-not-contact list");
                continue;
            }
            let stored = match queries::matching_prospect(tx.conn(), &p)? {
                Some(known) => {
                    let merged = merge(known, p);
                    tx.put_prospect(&merged)?;
                    report.updated += 1;
                    merged
                }
                None => {
                    p.created_at = Some(now);
                    p.id = tx.put_prospect(&p)?;
                    report.added += 1;
                    p
                }
            };
            let Some(seq) = &seq else { continue };
            if let Some(limit) = opts.per_day {
                if used_today >= limit {
                    day = cal.add_working_days(day, 1);
                    used_today = 0;
                }
            }
            match enroll_in(tx, &stored, seq, day, false, &cal)? {
                Ok(_) => {
                    report.enrolled += 1;
                    used_today += 1;
                    report.first_start.get_or_insert(day);
                    report.last_start = Some(day);
                }
                Err(refusal) => skip(&mut report, refusal.label()),
            }
        }
        let summary = format!("import of {}", report.file);
        Ok((report, summary))
    };
    report = if opts.dry_run {
        desk.store.rehearse("import", now, body)?
    } else {
        desk.store.action("import", now, body)?
    };
    Ok(report)
}

/// A known prospect updated with the non-empty values of a new row. Flags, notes history and
/// id stay as they were.
fn merge(mut known: Prospect, new: Prospect) -> Prospect {
    let take = |slot: &mut Option<String>, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            *slot = Some(v);
        }
    };
    if !new.first_name.is_empty() {
        known.first_name = new.first_name;
    }
    if !new.last_name.is_empty() {
        known.last_name = new.last_name;
    }
    take(&mut known.email, new.email);
    take(&mut known.phone, new.phone);
    take(&mut known.linkedin, new.linkedin);
    take(&mut known.company, new.company);
    take(&mut known.title, new.title);
    take(&mut known.city, new.city);
    take(&mut known.timezone, new.timezone);
    if !new.notes.is_empty() {
        known.notes = new.notes;
    }
    known.fields.extend(new.fields);
    known
}
