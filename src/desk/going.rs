//! Sends a stop cut short (DESIGN §9, exactly once). A row marked going whose process is
//! gone may or may not have reached the server: it is never handed over again blindly. It
//! is looked for in the rep's Sent folder by its Message-ID; found, the touch is logged as
//! sent; not found (or no Sent folder to look in), it waits as unsure, and the rep says
//! whether it went (`outbox --sent`) or should go again (`outbox --resend`).

use super::Desk;
use super::error::DeskError;
use crate::inbox::sent_folder::SentFolder;
use anyhow::{Result, anyhow};
use chrono::NaiveDateTime;
use rusqlite::params;
use std::collections::HashSet;

/// What an unsure row asks of the rep.
const UNSURE: &str = "touchbase stopped while handing it over, and your Sent folder does not \
                      show it: it may have gone. Look in your Sent folder, then `touchbase \
                      outbox --sent` logs it as sent or `--resend` sends it again";

impl Desk {
    /// Settles the sends a stopped process left going (and the unsure ones, which may since
    /// have shown up in Sent): what became of each.
    pub fn settle_going(&mut self, now: NaiveDateTime) -> Result<Vec<String>, DeskError> {
        let left = self.left_going()?;
        if left.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<String> = left.iter().map(|(_, mid)| mid.clone()).collect();
        let (found, why_not) = match self.found_in_sent(&ids) {
            Ok(Some(found)) => (found, None),
            Ok(None) => (HashSet::new(), None),
            Err(e) => (HashSet::new(), Some(format!("{e:#}"))),
        };
        let mut said = Vec::new();
        for (id, message_id) in left {
            let Some(row) = self.outbox_row(id)? else {
                continue;
            };
            if found.contains(&message_id) {
                said.push(self.went(id, &row, "found in your Sent folder", now)?);
            } else {
                let reason = match &why_not {
                    Some(e) => format!("{UNSURE} (the Sent folder could not be read: {e})"),
                    None => UNSURE.to_string(),
                };
                self.store.write_plain(|conn| {
                    conn.execute(
                        "UPDATE outbox SET state = 'unsure', reason = ?2 \
                         WHERE id = ?1 AND state IN ('going', 'unsure')",
                        params![id, reason],
                    )?;
                    Ok(())
                })?;
                said.push(format!(
                    "The email to {} may have gone: {reason}",
                    row.to_name
                ));
            }
        }
        Ok(said)
    }

    /// The rep's word on an unsure send to the prospect: it went (logged as sent), or it
    /// goes again now.
    pub fn decide_unsure(
        &mut self,
        key: &str,
        went: bool,
        now: NaiveDateTime,
    ) -> Result<String, DeskError> {
        let p = self.prospect(key)?;
        let id: Option<i64> = rusqlite::OptionalExtension::optional(self.store.conn().query_row(
            "SELECT id FROM outbox WHERE prospect_id = ?1 AND state = 'unsure' ORDER BY id DESC",
            [p.id],
            |r| r.get(0),
        ))?;
        let id = id.ok_or_else(|| {
            anyhow!(
                "nothing of {}'s is unsure in the outbox: `touchbase outbox` lists what waits",
                p.full_name()
            )
        })?;
        let row = self
            .outbox_row(id)?
            .ok_or_else(|| anyhow!("no such email in the outbox"))?;
        if went {
            return self.went(id, &row, "as you found", now);
        }
        self.store.write_plain(|conn| {
            conn.execute(
                "UPDATE outbox SET state = 'waiting', not_before = ?2, reason = NULL, \
                 going_by = NULL WHERE id = ?1 AND state = 'unsure'",
                params![id, now],
            )?;
            Ok(())
        })?;
        self.send_now(id, now)
    }

    /// The row went: its touch is logged as sent, unless the log has it already (an inbox
    /// sync read the copy in Sent first).
    fn went(
        &mut self,
        id: i64,
        row: &super::send::OutboxRow,
        how_known: &str,
        now: NaiveDateTime,
    ) -> Result<String, DeskError> {
        let current = self.current_touch(row.prospect_id)?;
        let still = current
            .is_some_and(|t| t.enrollment_id == row.enrollment_id && t.step as i64 == row.step);
        if still {
            let said = self.log_sent(id, row, now)?;
            return Ok(format!(
                "The email to {} had gone before touchbase stopped ({how_known}): {said}",
                row.to_name
            ));
        }
        self.store.write_plain(|conn| {
            conn.execute(
                "UPDATE outbox SET state = 'sent', sent_at = ?2, \
                 reason = 'it had gone; the log had it already' WHERE id = ?1",
                params![id, now],
            )?;
            Ok(())
        })?;
        Ok(format!(
            "The email to {} had gone before touchbase stopped ({how_known}); the log had it already",
            row.to_name
        ))
    }

    /// The going rows whose process is gone, and the unsure ones: id and Message-ID.
    fn left_going(&self) -> Result<Vec<(i64, String)>> {
        let mut stmt = self.store.conn().prepare_cached(
            "SELECT id, message_id, going_by, state FROM outbox \
             WHERE state IN ('going', 'unsure') ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<i64>>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, message_id, by, state) = row?;
            if state == "unsure" || !by.is_some_and(process_alive) {
                out.push((id, message_id));
            }
        }
        Ok(out)
    }

    /// Which of the Message-IDs the rep's Sent folder holds; `None`: there is no Sent
    /// folder to look in (no `[inbox]`, or it names none).
    fn found_in_sent(&self, ids: &[String]) -> Result<Option<HashSet<String>>> {
        let Some(inbox) = &self.config.inbox else {
            return Ok(None);
        };
        SentFolder::of(inbox)
            .map(|sent| sent.holding(ids))
            .transpose()
    }
}

/// Whether the process that marked a row going still runs (on this machine).
fn process_alive(pid: i64) -> bool {
    if i64::from(std::process::id()) == pid {
        return true;
    }
    #[cfg(unix)]
    {
        let Some(pid) = i32::try_from(pid)
            .ok()
            .and_then(rustix::process::Pid::from_raw)
        else {
            return false;
        };
        match rustix::process::test_kill_process(pid) {
            Ok(()) => true,
            // It runs, as another user.
            Err(e) => e == rustix::io::Errno::PERM,
        }
    }
    #[cfg(not(unix))]
    {
        true
    }
}
