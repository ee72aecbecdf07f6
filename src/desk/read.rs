//! What the app and the command line read: a prospect's enrollments and history, the search,
//! the counts on the header. Reads outside an action only ever inform the screen; an action
//! reads again inside its own transaction before it decides anything.

use super::Desk;
use crate::content::Sequence;
use crate::desk::store::queries;
use crate::domain::{Enrollment, Prospect, TouchRef};
use crate::stats::{Filter, Stats};
use anyhow::Result;
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

pub use crate::desk::store::TouchRow;

/// One enrollment with the sequence version it runs on.
#[derive(Debug, Clone)]
pub struct EnrollmentInfo {
    pub enrollment: Enrollment,
    pub sequence_name: String,
    pub sequence: Rc<Sequence>,
}

/// One line of a prospect's history as it is shown: the logged event and its step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryLine {
    pub row: TouchRow,
    /// The purpose of the step it concerns ("opener"), from the version the enrollment ran on.
    pub purpose: Option<String>,
    /// "2/8": the step and how many the sequence has.
    pub step: Option<String>,
}

impl Desk {
    pub fn prospect_by_id(&self, id: i64) -> Result<Option<Prospect>> {
        queries::prospect(self.store.conn(), id)
    }

    /// Every enrollment of a prospect, oldest first.
    pub fn enrollments(&self, prospect_id: i64) -> Result<Vec<EnrollmentInfo>> {
        queries::enrollments_of(self.store.conn(), prospect_id)?
            .into_iter()
            .map(|(enrollment, sequence_name)| {
                Ok(EnrollmentInfo {
                    sequence: self.store.version(enrollment.version_id)?,
                    enrollment,
                    sequence_name,
                })
            })
            .collect()
    }

    /// The prospect's open (active or paused) enrollment.
    pub fn open_enrollment(&self, prospect_id: i64) -> Result<Option<EnrollmentInfo>> {
        let Some((enrollment, sequence_name)) =
            queries::open_enrollment(self.store.conn(), prospect_id)?
        else {
            return Ok(None);
        };
        Ok(Some(EnrollmentInfo {
            sequence: self.store.version(enrollment.version_id)?,
            enrollment,
            sequence_name,
        }))
    }

    /// The prospect's current touch as it stands now: what a command acts on.
    pub fn current_touch(&self, prospect_id: i64) -> Result<Option<TouchRef>> {
        Ok(queries::open_enrollment(self.store.conn(), prospect_id)?.and_then(|(e, _)| e.touch()))
    }

    /// Every logged event of a prospect, oldest first, with its step's purpose.
    pub fn history(&self, prospect_id: i64) -> Result<Vec<HistoryLine>> {
        let mut versions = HashMap::new();
        for info in self.enrollments(prospect_id)? {
            versions.insert(info.enrollment.id, info.sequence);
        }
        Ok(queries::history(self.store.conn(), prospect_id)?
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

    /// The do-not-contact entry that matches any identifier of the prospect: (kind, value).
    pub fn do_not_contact_match(&self, p: &Prospect) -> Result<Option<(String, String)>> {
        queries::do_not_contact_match(self.store.conn(), p)
    }

    /// Up to `limit` prospects' email addresses starting with `prefix`, for completion.
    pub fn emails_starting(&self, prefix: &str, limit: usize) -> Result<Vec<String>> {
        queries::emails_starting(self.store.conn(), prefix, limit)
    }

    /// Prospects whose name, company or email contains `needle`; at most `limit`.
    pub fn search(&self, needle: &str, limit: usize) -> Result<Vec<Prospect>> {
        queries::search(self.store.conn(), needle, limit)
    }

    /// A page of the book in name order (see [`queries::book_page`]).
    pub fn book_page(
        &self,
        filter: &queries::BookFilter,
        page: &queries::Page,
        limit: usize,
    ) -> Result<queries::BookPage> {
        queries::book_page(self.store.conn(), filter, page, limit)
    }

    /// Per sequence: enrollments active, paused and finished.
    pub fn sequence_people(&self) -> Result<Vec<(String, [i64; 3])>> {
        queries::sequence_people(self.store.conn())
    }

    /// How many prospects the book holds.
    pub fn count_prospects(&self) -> Result<i64> {
        Ok(self
            .store
            .conn()
            .query_row("SELECT count(*) FROM prospects", [], |r| r.get(0))?)
    }

    /// How many prospects stand at each status.
    pub fn status_counts(&self) -> Result<Vec<(String, i64)>> {
        queries::status_counts(self.store.conn())
    }

    /// Every custom field name prospects have carried.
    pub fn custom_field_names(&self) -> Result<BTreeSet<String>> {
        queries::custom_field_names(self.store.conn())
    }

    pub fn any_prospect(&self) -> Result<bool> {
        queries::any_prospect(self.store.conn())
    }

    /// How many touches were worked on `day`.
    pub fn worked_on(&self, day: NaiveDate) -> Result<i64> {
        queries::worked_on(self.store.conn(), day)
    }

    /// The touches worked on `day` by channel.
    pub fn worked_by_channel(&self, day: NaiveDate) -> Result<Vec<(crate::domain::Channel, i64)>> {
        queries::worked_by_channel(self.store.conn(), day)
    }

    /// The earliest touch due after `day`.
    pub fn next_due_after(&self, day: NaiveDate) -> Result<Option<NaiveDateTime>> {
        queries::next_due_after(self.store.conn(), day)
    }

    /// Changes whenever another connection (a window, a command, a sync) commits.
    pub fn data_version(&self) -> Result<i64> {
        self.store.data_version()
    }

    /// Reply analytics for the filter.
    pub fn stats(&self, filter: &Filter) -> Result<Stats> {
        super::store::stats::compute::compute(&self.store, filter, self.rep_zone())
    }

    /// One of the connection's pragmas as a number (`synchronous`, `busy_timeout`, …): what
    /// the file and the connection are set to.
    pub fn pragma(&self, name: &str) -> Result<i64> {
        self.store.pragma(name)
    }

    /// Reply analytics counted straight from the touch log, without the rollup tables: the
    /// slow reference the fast numbers are checked against.
    #[doc(hidden)]
    pub fn stats_from_log(&self, filter: &Filter) -> Result<Stats> {
        crate::desk::store::stats::reference::compute_from_log(&self.store, filter, self.rep_zone())
    }

    /// The sequence version an enrollment runs on.
    pub fn version(&self, id: i64) -> Result<Rc<Sequence>> {
        self.store.version(id)
    }
}
