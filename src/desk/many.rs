//! Several prospects at once (marked rows in the app): the same snooze, pause or removal for
//! each, or one enrollment for all, as one action that undo takes back whole. Every request
//! still names the touch it acts on, so one that moved on elsewhere refuses the lot.

use super::Desk;
use super::enroll::{EnrollTarget, Start, enroll_in};
use super::happened::LogRequest;
use super::log::log_in;
use crate::desk::DeskError;
use crate::desk::store::queries;
use anyhow::{Context, Result};
use chrono::NaiveDateTime;

impl Desk {
    /// Logs every request in one action; the first that is refused refuses them all, naming
    /// whom it was about. `what` says what was done ("snoozed until Tue 24 Nov").
    pub fn log_each(
        &mut self,
        requests: &[LogRequest],
        what: &str,
        now: NaiveDateTime,
    ) -> Result<String, DeskError> {
        let settings = self.log_settings();
        let n = requests.len();
        Ok(self.store.action("bulk", now, |tx| {
            for req in requests {
                let name = queries::prospect(tx.conn(), req.prospect_id)?
                    .map(|p| p.full_name())
                    .unwrap_or_else(|| format!("prospect {}", req.prospect_id));
                log_in(tx, req, &settings, now)
                    .with_context(|| format!("{name}: nothing was changed for the {n}"))?;
            }
            let msg = format!("{} {what}.", crate::text::count(n, "prospect", "prospects"));
            Ok((msg.clone(), msg))
        })?)
    }

    /// Enrolls every prospect in `sequence` in one action. Those who cannot be (already in a
    /// sequence, opted out, resting after a reply) are skipped and counted.
    pub fn enroll_each(
        &mut self,
        prospect_ids: &[i64],
        sequence: &str,
        now: NaiveDateTime,
    ) -> Result<String, DeskError> {
        let seq = self.library.load(sequence)?;
        let cal = self.config.calendar.clone();
        let caps = self.caps();
        Ok(self.store.action("enroll", now, |tx| {
            let (mut enrolled, mut skipped) = (0, 0);
            let mut target = EnrollTarget::new(&seq).with_caps(caps);
            for id in prospect_ids {
                let Some(p) = queries::prospect(tx.conn(), *id)? else {
                    skipped += 1;
                    continue;
                };
                match enroll_in(
                    tx,
                    &p,
                    &mut target,
                    Start {
                        day: now.date(),
                        force: false,
                    },
                    &cal,
                )? {
                    Ok(_) => enrolled += 1,
                    Err(_) => skipped += 1,
                }
            }
            let mut msg = format!(
                "Enrolled {} in {}",
                crate::text::count(enrolled, "prospect", "prospects"),
                seq.name
            );
            if skipped > 0 {
                msg.push_str(&format!(
                    "; {skipped} skipped (already in a sequence, opted out or resting)"
                ));
            }
            Ok((msg.clone(), msg))
        })?)
    }
}
