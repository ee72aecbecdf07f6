//! One action's transaction: every write records the row as it was before, so undo can put
//! everything back exactly, newest action first, also after a restart.

use super::queries;
use super::rows::{
    NewTouch, Upkeep, insert_prospect, insert_touch, write_enrollment, write_prospect,
};
use crate::content::Sequence;
use crate::domain::{Enrollment, Prospect, Record};
use anyhow::{Context, Result};
use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Rows as they were before the action (`None`: the action created it). Rows that existed
/// are kept in `action_rows` since schema version 12; older actions have them boxed here.
#[derive(Debug, Default, Serialize, Deserialize)]
struct UndoLog {
    prospects: Vec<(i64, Option<Box<Prospect>>)>,
    enrollments: Vec<(i64, Option<Box<EnrollmentBefore>>)>,
    dnc_added: Vec<(String, String)>,
    #[serde(default)]
    time_off_added: Vec<i64>,
    /// Sequence versions first stored by this action (an enrollment in a new version).
    #[serde(default)]
    versions_added: Vec<i64>,
    /// Touch rows this action replaced (a reply credited elsewhere), to put back.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    touches_removed: Vec<super::recredit::TouchCopy>,
}

/// The kinds of row `action_rows` keeps.
const PROSPECT: &str = "prospect";
const ENROLLMENT: &str = "enrollment";

/// The settings key holding the highest prospect id ever given.
const PROSPECT_IDS: &str = "prospect_ids_given";

/// An enrollment row and its sequence name.
type EnrollmentBefore = (Enrollment, String);

/// The text that went out, frozen on the touch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Frozen {
    pub subject: Option<String>,
    pub body: Option<String>,
    pub variant: Option<String>,
}

/// An open action transaction.
pub struct Tx<'c> {
    tx: super::Held<'c>,
    versions: &'c super::Versions,
    action_id: i64,
    undo: UndoLog,
    seen_prospects: BTreeSet<i64>,
    seen_enrollments: BTreeSet<i64>,
    /// The highest prospect id ever given, once read: a new prospect never gets the id of
    /// one an undo took away, so `log 3` never reaches someone else.
    prospect_ids: Option<i64>,
    /// The first id this action gave a new prospect: that one and every later one are
    /// its own (ids are given in order), so they need no place in `seen_prospects`.
    first_fresh: Option<i64>,
    upkeep: Upkeep,
    /// How many rows [`Tx::keep_before`] has kept.
    kept: i64,
    pub now: NaiveDateTime,
}

impl<'c> Tx<'c> {
    pub(super) fn begin(
        tx: super::Held<'c>,
        versions: &'c super::Versions,
        kind: &str,
        now: NaiveDateTime,
    ) -> Result<Tx<'c>> {
        tx.execute(
            "INSERT INTO actions (at, kind, undo) VALUES (?1, ?2, '{}')",
            params![now, kind],
        )?;
        let action_id = tx.last_insert_rowid();
        Ok(Tx {
            tx,
            versions,
            action_id,
            undo: UndoLog::default(),
            seen_prospects: BTreeSet::new(),
            seen_enrollments: BTreeSet::new(),
            prospect_ids: None,
            first_fresh: None,
            upkeep: Upkeep::default(),
            kept: 0,
            now,
        })
    }

    pub(super) fn commit(mut self, summary: &str) -> Result<()> {
        self.upkeep.finish(&self.tx)?;
        // Kept outside the undo log on purpose: undo never lowers it.
        if let Some(high) = self.prospect_ids {
            self.tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) \
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![PROSPECT_IDS, high.to_string()],
            )?;
        }
        let undo = serde_json::to_string(&self.undo)?;
        self.tx.execute(
            "UPDATE actions SET undo = ?1, summary = ?2 WHERE id = ?3",
            params![undo, summary, self.action_id],
        )?;
        self.tx.commit().context("committing")?;
        Ok(())
    }

    pub(super) fn conn_tx(&self) -> &Connection {
        &self.tx
    }

    pub(super) fn action(&self) -> i64 {
        self.action_id
    }

    pub(super) fn removed_touch(&mut self, t: super::recredit::TouchCopy) {
        self.undo.touches_removed.push(t);
    }

    /// Reads go through the same transaction, so they see this action's writes.
    pub fn conn(&self) -> &rusqlite::Connection {
        &self.tx
    }

    /// The sequence version an enrollment runs on, read inside the transaction.
    pub fn version(&self, id: i64) -> Result<std::rc::Rc<Sequence>> {
        super::load_version(&self.tx, self.versions, id)
    }

    /// Inserts (id 0) or updates a prospect; returns its id.
    pub fn put_prospect(&mut self, p: &Prospect) -> Result<i64> {
        let fresh_here = self.first_fresh.is_some_and(|first| p.id >= first);
        if p.id > 0 && !fresh_here && self.seen_prospects.insert(p.id) {
            match queries::prospect(&self.tx, p.id)? {
                Some(before) => {
                    self.keep_before(PROSPECT, p.id, &serde_json::to_string(&before)?)?
                }
                None => self.undo.prospects.push((p.id, None)),
            }
        }
        if p.id > 0 {
            return Ok(write_prospect(&self.tx, p, &mut self.upkeep)?);
        }
        let fresh = self.next_prospect_id()?;
        insert_prospect(&self.tx, p, Some(fresh), &mut self.upkeep)?;
        // Recorded as new: undo deletes it.
        self.undo.prospects.push((fresh, None));
        Ok(fresh)
    }

    /// An id no prospect has had: past both the highest there is and the highest ever given.
    fn next_prospect_id(&mut self) -> Result<i64> {
        let high = match self.prospect_ids {
            Some(h) => h,
            None => {
                let given: i64 = self
                    .tx
                    .query_row(
                        "SELECT value FROM settings WHERE key = ?1",
                        [PROSPECT_IDS],
                        |r| r.get::<_, String>(0),
                    )
                    .optional()?
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                let there: i64 =
                    self.tx
                        .query_row("SELECT coalesce(max(id), 0) FROM prospects", [], |r| {
                            r.get(0)
                        })?;
                given.max(there)
            }
        };
        let next = high + 1;
        self.prospect_ids = Some(next);
        self.first_fresh.get_or_insert(next);
        Ok(next)
    }

    /// Inserts (id 0) or updates an enrollment; returns its id.
    pub fn put_enrollment(&mut self, e: &Enrollment, sequence: &str) -> Result<i64> {
        if e.id > 0 && self.seen_enrollments.insert(e.id) {
            match queries::enrollment(&self.tx, e.id)? {
                Some(before) => {
                    let json = serde_json::to_string(&before)?;
                    self.keep_before(ENROLLMENT, e.id, &json)?;
                }
                None => self.undo.enrollments.push((e.id, None)),
            }
        }
        let id = write_enrollment(&self.tx, e, sequence)?;
        if e.id == 0 && self.seen_enrollments.insert(id) {
            self.undo.enrollments.push((id, None));
        }
        Ok(id)
    }

    /// Keeps a row as it was before this action in `action_rows`, not in memory: an import
    /// that updates 100,000 prospects would otherwise hold every one of them until commit.
    fn keep_before(&mut self, kind: &str, id: i64, json: &str) -> Result<()> {
        self.kept += 1;
        self.tx
            .prepare_cached(
                "INSERT INTO action_rows (action_id, n, kind, row_id, before) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![self.action_id, self.kept, kind, id, json])?;
        Ok(())
    }

    /// Puts an identifier on the do-not-contact list (no-op if it is there already).
    pub fn add_dnc(&mut self, kind: &str, value: &str, prospect_id: i64) -> Result<()> {
        let added = self.tx.execute(
            "INSERT OR IGNORE INTO do_not_contact (kind, value, prospect_id, at) \
             VALUES (?1, ?2, ?3, ?4)",
            params![kind, value, prospect_id, self.now],
        )?;
        if added > 0 {
            self.undo
                .dnc_added
                .push((kind.to_string(), value.to_string()));
        }
        Ok(())
    }

    /// Records the rep's time off (both dates included).
    pub fn add_time_off(&mut self, from: chrono::NaiveDate, to: chrono::NaiveDate) -> Result<i64> {
        self.tx.execute(
            "INSERT INTO time_off (first_day, last_day, created_at) VALUES (?1, ?2, ?3)",
            params![from, to, self.now],
        )?;
        let id = self.tx.last_insert_rowid();
        self.undo.time_off_added.push(id);
        Ok(id)
    }

    /// Appends one record to the touch log.
    pub fn append(
        &mut self,
        enrollment_id: Option<i64>,
        prospect_id: i64,
        r: &Record,
        note: Option<&str>,
        text: Option<&Frozen>,
    ) -> Result<i64> {
        let mut writer = super::rows::TouchWriter::default();
        let touch = NewTouch {
            action_id: Some(self.action_id),
            enrollment_id,
            prospect_id,
            record: r,
            note,
            text,
        };
        let id = insert_touch(&self.tx, &touch, &mut writer)?;
        writer.finish(&self.tx)?;
        Ok(id)
    }

    /// This action's id (an outbox row names the action that queued it, or logged it).
    pub fn action_id(&self) -> i64 {
        self.action_id
    }

    /// The Message-ID of the email this action logged as sent, kept on its touch so that
    /// the follow-ups thread under it and the inbox knows replies to it.
    pub fn mark_sent_message(&mut self, message_id: &str) -> Result<()> {
        self.tx.execute(
            "UPDATE touches SET extra = json_set(coalesce(extra, '{}'), '$.i', ?2) \
             WHERE action_id = ?1 AND is_touch = 1 AND outcome = 'sent'",
            rusqlite::params![self.action_id, message_id],
        )?;
        Ok(())
    }

    /// When the meeting a touch of this action booked takes place. Undo removes the row with
    /// the action, so the time needs no record of its own.
    pub fn set_meeting_at(
        &mut self,
        touch_id: i64,
        at: crate::domain::conversation::MeetingTime,
    ) -> Result<()> {
        let key = format!("$.{}", super::log_codes::MEETING_AT);
        let at = crate::domain::conversation::utc::text(&at);
        self.tx.execute(
            "UPDATE touches SET extra = json_set(coalesce(extra, '{}'), ?4, ?2) \
             WHERE id = ?1 AND action_id = ?3",
            rusqlite::params![touch_id, at, self.action_id, key],
        )?;
        Ok(())
    }

    /// The stored version of this exact sequence content, stored now if it is new.
    pub fn version_id_for(&mut self, seq: &Sequence) -> Result<i64> {
        let body = seq.snapshot();
        let found: Option<i64> = self
            .tx
            .query_row(
                "SELECT id FROM sequence_versions WHERE name = ?1 AND body = ?2",
                params![seq.name, body],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = found {
            return Ok(id);
        }
        self.tx.execute(
            "INSERT INTO sequence_versions (name, body, created_at) VALUES (?1, ?2, ?3)",
            params![seq.name, body, self.now],
        )?;
        let id = self.tx.last_insert_rowid();
        self.undo.versions_added.push(id);
        Ok(id)
    }
}

/// Writes back, newest first, every row of one kind that action `id` kept as it was.
fn restore_kept(
    tx: &Connection,
    id: i64,
    kind: &str,
    mut restore: impl FnMut(&str) -> Result<()>,
) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "SELECT before FROM action_rows WHERE action_id = ?1 AND kind = ?2 ORDER BY n DESC",
    )?;
    let mut rows = stmt.query(params![id, kind])?;
    while let Some(row) = rows.next()? {
        restore(&row.get::<_, String>(0)?)?;
    }
    Ok(())
}

/// Reverts the newest action that is not undone yet.
pub(super) fn undo_newest(tx: &Connection, now: NaiveDateTime) -> Result<Option<String>> {
    let newest: Option<(i64, String, String)> = tx
        .query_row(
            "SELECT id, summary, undo FROM actions WHERE undone_at IS NULL \
             ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((id, summary, undo)) = newest else {
        return Ok(None);
    };
    let log: UndoLog = serde_json::from_str(&undo).context("reading the undo log")?;
    // An email that went out cannot be called back: its log stays.
    let sent: Option<String> = tx
        .query_row(
            "SELECT to_address FROM outbox WHERE sent_action = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(to) = sent {
        anyhow::bail!("the email to {to} went out already; undo cannot call it back");
    }
    // A send still in its window is taken back with nothing sent.
    tx.execute(
        "UPDATE outbox SET state = 'cancelled', reason = 'taken back' \
         WHERE action_id = ?1 AND state = 'waiting'",
        [id],
    )?;
    tx.execute("DELETE FROM touches WHERE action_id = ?1", [id])?;
    for t in &log.touches_removed {
        super::recredit::restore(tx, t)?;
    }
    for id in &log.time_off_added {
        tx.execute("DELETE FROM time_off WHERE id = ?1", [id])?;
    }
    for (kind, value) in &log.dnc_added {
        tx.execute(
            "DELETE FROM do_not_contact WHERE kind = ?1 AND value = ?2",
            params![kind, value],
        )?;
    }
    let mut upkeep = Upkeep::default();
    // Rows as they were, kept beside the action (see `Tx::keep_before`): prospects first, as
    // enrollments refer to them; the enrollments it opened go before the ones it closed come
    // back, so a prospect never has two open at once.
    restore_kept(tx, id, PROSPECT, |json| {
        let p: Prospect = serde_json::from_str(json).context("reading the undo log")?;
        write_prospect(tx, &p, &mut upkeep)?;
        Ok(())
    })?;
    for (eid, before) in &log.enrollments {
        if before.is_none() {
            tx.execute("DELETE FROM enrollments WHERE id = ?1", [eid])?;
        }
    }
    restore_kept(tx, id, ENROLLMENT, |json| {
        let (e, seq): EnrollmentBefore =
            serde_json::from_str(json).context("reading the undo log")?;
        write_enrollment(tx, &e, &seq)?;
        Ok(())
    })?;
    tx.execute("DELETE FROM action_rows WHERE action_id = ?1", [id])?;
    // Enrollments first: they refer to prospects.
    for (eid, before) in log.enrollments.iter().rev() {
        match before {
            Some(before) => {
                let (e, seq) = &**before;
                write_enrollment(tx, e, seq)?;
            }
            None => {
                tx.execute("DELETE FROM enrollments WHERE id = ?1", [eid])?;
            }
        }
    }
    // Versions this action stored: every enrollment on them was made by this action or a
    // later one, and those are gone now.
    for vid in &log.versions_added {
        tx.execute(
            "DELETE FROM sequence_versions WHERE id = ?1 \
             AND NOT EXISTS (SELECT 1 FROM enrollments WHERE version_id = ?1)",
            [vid],
        )?;
    }
    for (pid, before) in log.prospects.iter().rev() {
        match before {
            Some(p) => {
                write_prospect(tx, p, &mut upkeep)?;
            }
            None => {
                // Through the prospect's enrollments (the log has no index on every row's
                // prospect), then the rows that belong to none.
                tx.execute(
                    "DELETE FROM touches WHERE enrollment_id IN \
                     (SELECT id FROM enrollments WHERE prospect_id = ?1)",
                    [pid],
                )?;
                tx.execute(
                    "DELETE FROM touches WHERE enrollment_id IS NULL AND prospect_id = ?1",
                    [pid],
                )?;
                super::rows::delete_prospect(tx, *pid, &mut upkeep)?;
            }
        }
    }
    upkeep.finish(tx)?;
    tx.execute(
        "UPDATE actions SET undone_at = ?1 WHERE id = ?2",
        params![now, id],
    )?;
    Ok(Some(summary))
}
