//! A prospect's history as the app shows it: each logged event with its step's purpose.

use crate::desk::Desk;
use crate::store::{queries, TouchRow};
use anyhow::Result;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryLine {
    pub row: TouchRow,
    /// The purpose of the step it concerns ("opener"), from the version the enrollment ran on.
    pub purpose: Option<String>,
    /// "2/8": the step and how many the sequence has.
    pub step: Option<String>,
}

/// Every event of a prospect, oldest first.
pub fn load(desk: &Desk, prospect_id: i64) -> Result<Vec<HistoryLine>> {
    let conn = desk.store.conn();
    let mut versions = HashMap::new();
    for (e, _) in queries::enrollments_of(conn, prospect_id)? {
        versions.insert(e.id, desk.store.version(e.version_id)?);
    }
    Ok(queries::history(conn, prospect_id)?
        .into_iter()
        .map(|row| {
            let seq = row.enrollment_id.and_then(|id| versions.get(&id));
            let planned = seq.zip(row.step).and_then(|(s, i)| {
                s.plan.steps.get(i).map(|p| {
                    (
                        p.purpose.clone(),
                        format!("{}/{}", i + 1, s.plan.steps.len()),
                    )
                })
            });
            let (purpose, step) = planned.unzip();
            HistoryLine { row, purpose, step }
        })
        .collect())
}
