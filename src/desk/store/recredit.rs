//! Moving a reply's credit to another step after it was logged. The touch log is append-only
//! in spirit: the reply row is replaced by a copy credited elsewhere, made by this action, and
//! undo puts the original row back exactly. Replacing rather than updating keeps the rollups'
//! insert and delete triggers the only place their counts change.

use super::undo::Tx;
use anyhow::{Result, anyhow};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

/// Every column of a touch row, to put it back as it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TouchCopy {
    id: i64,
    action_id: Option<i64>,
    enrollment_id: Option<i64>,
    prospect_id: i64,
    at: String,
    step: Option<i64>,
    channel: Option<String>,
    outcome: String,
    is_touch: bool,
    reason: Option<String>,
    note: Option<String>,
    subject: Option<String>,
    body: Option<String>,
    /// The packed text (`store::message`); rows written before it carry subject and body.
    #[serde(default)]
    message: Option<Vec<u8>>,
    /// The variant's name (its id may differ once the row is back).
    variant: Option<String>,
    attributed_step: Option<i64>,
    kind: Option<String>,
    /// When a booked meeting takes place (rows before V20 have none).
    #[serde(default)]
    meeting_at: Option<String>,
}

fn read(tx: &Connection, id: i64) -> Result<Option<TouchCopy>> {
    let variant = super::log_codes::variant_name("touches");
    Ok(tx
        .query_row(
            &format!(
                "SELECT id, action_id, enrollment_id, prospect_id, at, step, channel, outcome, \
                 is_touch, reason, note, NULL, NULL, {variant}, attributed_step, kind, message, \
                 meeting_at FROM touches WHERE id = ?1"
            ),
            [id],
            |r| {
                Ok(TouchCopy {
                    id: r.get(0)?,
                    action_id: r.get(1)?,
                    enrollment_id: r.get(2)?,
                    prospect_id: r.get(3)?,
                    at: r.get(4)?,
                    step: r.get(5)?,
                    channel: r.get(6)?,
                    outcome: r.get(7)?,
                    is_touch: r.get(8)?,
                    reason: r.get(9)?,
                    note: r.get(10)?,
                    subject: r.get(11)?,
                    body: r.get(12)?,
                    variant: r.get(13)?,
                    attributed_step: r.get(14)?,
                    kind: r.get(15)?,
                    message: r.get(16)?,
                    meeting_at: r.get(17)?,
                })
            },
        )
        .optional()?)
}

/// Writes a copied row back, under its own id and action, in the log's compact layout.
pub fn restore(tx: &Connection, t: &TouchCopy) -> rusqlite::Result<()> {
    // A copy taken before texts were packed carries them plain: packed now, as V18 did.
    let message = match (&t.message, &t.subject, &t.body) {
        (Some(m), _, _) => Some(m.clone()),
        (None, None, None) => None,
        (None, subject, body) => super::message::pack(tx, subject.as_deref(), body.as_deref())?,
    };
    let damaged = |what: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("a kept touch has a bad {what}").into(),
        )
    };
    let channel = t
        .channel
        .as_deref()
        .map(|c| {
            c.parse::<crate::domain::Channel>()
                .map_err(|_| damaged("channel"))
        })
        .transpose()?;
    let outcome: crate::domain::Outcome = t.outcome.parse().map_err(|_| damaged("outcome"))?;
    let step = |s: Option<i64>| {
        s.map(|s| usize::try_from(s).map_err(|_| damaged("step")))
            .transpose()
    };
    let (code, outcome_text) = super::log_codes::encode(
        t.is_touch,
        channel,
        outcome,
        step(t.step)?,
        step(t.attributed_step)?,
    )?;
    let variant: Option<i64> = match &t.variant {
        Some(name) => {
            tx.execute(
                "INSERT INTO variants (name) VALUES (?1) ON CONFLICT DO NOTHING",
                [name],
            )?;
            Some(
                tx.query_row("SELECT id FROM variants WHERE name = ?1", [name], |r| {
                    r.get(0)
                })?,
            )
        }
        None => None,
    };
    use super::log_codes::{FRACTION, KIND, MEETING_AT, NOTE, OUTCOME, REASON};
    // The time exactly as it was written, fraction and all.
    let fraction = t.at.get(19..).filter(|f| !f.is_empty());
    let extra = super::log_codes::extra(&[
        (REASON, t.reason.as_deref()),
        (NOTE, t.note.as_deref()),
        (KIND, t.kind.as_deref()),
        (MEETING_AT, t.meeting_at.as_deref()),
        (FRACTION, fraction),
        (OUTCOME, outcome_text),
    ]);
    tx.execute(
        "INSERT INTO touches (id, action_id, enrollment_id, prospect_id, at_s, code, variant, \
         message, extra) VALUES (?1, ?2, ?3, ?4, unixepoch(?5), ?6, ?7, ?8, ?9)",
        params![
            t.id,
            t.action_id,
            t.enrollment_id,
            t.prospect_id,
            t.at,
            code,
            variant,
            message,
            extra
        ],
    )?;
    Ok(())
}

impl Tx<'_> {
    /// Replaces the row `touch_id` with a copy made by this action and changed by `change`;
    /// undo puts the original back.
    fn replace_touch(&mut self, touch_id: i64, change: impl FnOnce(&mut TouchCopy)) -> Result<()> {
        let before =
            read(self.conn_tx(), touch_id)?.ok_or_else(|| anyhow!("touch {touch_id} is gone"))?;
        self.conn_tx()
            .execute("DELETE FROM touches WHERE id = ?1", [touch_id])?;
        let mut copy = before.clone();
        copy.id =
            self.conn_tx()
                .query_row("SELECT coalesce(max(id), 0) + 1 FROM touches", [], |r| {
                    r.get(0)
                })?;
        copy.action_id = Some(self.action());
        change(&mut copy);
        restore(self.conn_tx(), &copy)?;
        self.removed_touch(before);
        Ok(())
    }

    /// Credits the reply or meeting row `touch_id` to `step` (0-based) instead.
    pub fn recredit(&mut self, touch_id: i64, step: usize) -> Result<()> {
        self.replace_touch(touch_id, |copy| copy.attributed_step = Some(step as i64))
    }

    /// Notes what kind of answer the prospect's latest reply was (the rep said it after
    /// the fact); nothing when they have no reply in the log.
    pub fn set_reply_kind(
        &mut self,
        prospect_id: i64,
        kind: crate::domain::ReplyKind,
    ) -> Result<()> {
        use rusqlite::OptionalExtension;
        let latest: Option<i64> = self
            .conn()
            .query_row(
                "SELECT t.id FROM touches t JOIN enrollments e ON e.id = t.enrollment_id \
                 WHERE e.prospect_id = ?1 AND t.outcome = 'replied' ORDER BY t.id DESC LIMIT 1",
                [prospect_id],
                |r| r.get(0),
            )
            .optional()?;
        match latest {
            Some(id) => self.replace_touch(id, |copy| copy.kind = Some(kind.as_str().to_string())),
            None => Ok(()),
        }
    }
}
