//! A message already sent to a person is never sent to them again by another enrollment:
//! the steps that would repeat one are marked for the engine, which skips them saying why.

use crate::content::Sequence;
use crate::domain::{Channel, Prospect, Reachability};
use anyhow::Result;
use rusqlite::Connection;
use std::collections::HashSet;

/// How `p` can be reached on the steps of `seq` for the enrollment `enrollment_id`
/// (0: one about to start) numbered `ordinal`: their channels, and the steps whose message
/// already went to them from another enrollment.
pub(super) fn reach(
    conn: &Connection,
    p: &Prospect,
    seq: &Sequence,
    (enrollment_id, ordinal): (i64, i64),
) -> Result<Reachability> {
    let sent = sent_templates(conn, p.id, enrollment_id)?;
    let mut reach = p.reachability();
    if sent.is_empty() {
        return Ok(reach);
    }
    for (i, step) in seq.plan.steps.iter().enumerate() {
        // A call's script is said, not sent: saying it again is no repeat.
        if matches!(step.channel, Channel::Call | Channel::Task) {
            continue;
        }
        let repeats = seq
            .template_for(i, ordinal)
            .is_some_and(|t| sent.contains(&t.path));
        let bit = u32::try_from(i).ok().and_then(|i| 1u128.checked_shl(i));
        if let (true, Some(bit)) = (repeats, bit) {
            reach.sent_before |= bit;
        }
    }
    Ok(reach)
}

/// The templates (their paths) of the messages sent or done for `prospect_id` by any
/// enrollment but `except`.
fn sent_templates(conn: &Connection, prospect_id: i64, except: i64) -> Result<HashSet<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT v.name FROM touches t JOIN variants v ON v.id = t.variant \
         WHERE t.enrollment_id IN \
             (SELECT id FROM enrollments WHERE prospect_id = ?1 AND id != ?2) \
         AND t.is_touch = 1 AND t.outcome IN ('sent', 'done')",
    )?;
    let rows = stmt.query_map([prospect_id, except], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<HashSet<String>>>()?)
}
