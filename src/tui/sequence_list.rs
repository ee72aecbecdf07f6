//! The Sequences view's state: every sequence the rep can enroll in, loaded and linted the
//! first time the view is shown.

use crate::content::lint::{Finding, LintInput, lint};
use crate::content::{Origin, Sequence};
use crate::desk::Desk;
use std::collections::BTreeSet;

#[derive(Debug, Default)]
pub struct SequenceList {
    pub loaded: bool,
    pub entries: Vec<SequenceEntry>,
    pub selected: usize,
    pub scroll: u16,
}

#[derive(Debug, Clone)]
pub struct SequenceEntry {
    pub name: String,
    /// "built-in" or the rep's file.
    pub origin: String,
    /// The sequence, or why it does not load.
    pub sequence: Result<Sequence, String>,
    /// Lint findings, each at its file and line.
    pub findings: Vec<Finding>,
    /// The calendar days it really runs on the rep's calendar ("21–22 days").
    pub span: String,
    /// Enrollments in it: active, paused, finished.
    pub people: [i64; 3],
    /// Each step's results so far, over all time.
    pub steps: Vec<crate::stats::StepStats>,
}

impl SequenceList {
    /// `custom`: the custom field names prospects carry, which templates may use.
    pub fn load(&mut self, desk: &Desk, custom: &BTreeSet<String>) {
        if self.loaded {
            return;
        }
        self.loaded = true;
        let people: std::collections::HashMap<String, [i64; 3]> = desk
            .sequence_people()
            .unwrap_or_default()
            .into_iter()
            .collect();
        let mut results: std::collections::HashMap<String, Vec<crate::stats::StepStats>> = desk
            .stats(&crate::stats::Filter::default())
            .map(|s| {
                s.sequences
                    .into_iter()
                    .map(|q| (q.sequence, q.steps))
                    .collect()
            })
            .unwrap_or_default();
        self.entries = desk
            .library
            .names()
            .into_iter()
            .map(|(name, origin)| {
                let origin = match origin {
                    Origin::User(path) => path,
                    _ => "built-in".to_string(),
                };
                let sequence = desk.library.load(&name).map_err(|e| e.to_string());
                let findings = match &sequence {
                    Ok(seq) => lint(&LintInput {
                        sequence: seq,
                        custom_fields: custom,
                    }),
                    Err(_) => Vec::new(),
                };
                let span = sequence
                    .as_ref()
                    .map(|seq| seq.calendar_span(&desk.config.calendar))
                    .unwrap_or_default();
                SequenceEntry {
                    people: people.get(&name).copied().unwrap_or_default(),
                    steps: results.remove(&name).unwrap_or_default(),
                    name,
                    origin,
                    sequence,
                    findings,
                    span,
                }
            })
            .collect();
        self.selected = self.selected.min(self.entries.len().saturating_sub(1));
    }

    pub fn selected_entry(&self) -> Option<&SequenceEntry> {
        self.entries.get(self.selected)
    }
}
