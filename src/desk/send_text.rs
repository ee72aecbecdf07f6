//! What a sent email says and answers: the text the rep sees (an edit left as a draft
//! counts), and the thread it belongs to, so the follow-ups of an enrollment arrive as one
//! conversation unless a step begins its own.

use super::Desk;
use crate::content::Rendered;
use anyhow::Result;
use rusqlite::{OptionalExtension, params};

impl Desk {
    /// The draft an edit left on this touch, if any.
    pub(super) fn draft_on(&self, (enrollment_id, step): (i64, usize)) -> Result<Option<Rendered>> {
        Ok(self
            .store
            .conn()
            .query_row(
                "SELECT subject, body FROM drafts WHERE enrollment_id = ?1 AND step = ?2",
                params![enrollment_id, step as i64],
                |r| {
                    Ok(Rendered {
                        subject: r.get(0)?,
                        body: r.get(1)?,
                        voicemail: None,
                        problems: Vec::new(),
                    })
                },
            )
            .optional()?)
    }

    /// The thread the email of step `now_step` answers: the Message-IDs sent in this
    /// enrollment since the last step that began a thread of its own (oldest first), and
    /// the subject it began with. A step that begins its own answers nothing.
    pub(super) fn thread_of(
        &self,
        enrollment_id: i64,
        steps: &[crate::domain::PlannedStep],
        now_step: usize,
    ) -> Result<Thread> {
        let begins = |step: usize| steps.get(step).is_some_and(|s| s.own_thread);
        if begins(now_step) {
            return Ok(Thread::default());
        }
        let conn = self.store.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT json_extract(extra, '$.i'), message, step FROM touches \
             WHERE enrollment_id = ?1 AND json_extract(extra, '$.i') IS NOT NULL ORDER BY id",
        )?;
        let mut rows = stmt.query([enrollment_id])?;
        let mut unpacker = super::store::message::Unpacker::new(conn);
        let mut thread = Thread::default();
        while let Some(r) = rows.next()? {
            let step: Option<i64> = r.get(2)?;
            if step
                .and_then(|s| usize::try_from(s).ok())
                .is_some_and(begins)
            {
                thread = Thread::default();
            }
            thread.ids.push(r.get(0)?);
            if thread.first_subject.is_none() {
                let packed: Option<Vec<u8>> = r.get(1)?;
                thread.first_subject = unpacker.unpack(packed.as_deref())?.subject;
            }
        }
        Ok(thread)
    }
}

/// An enrollment's emails so far, as a thread.
#[derive(Default)]
pub(super) struct Thread {
    pub ids: Vec<String>,
    pub first_subject: Option<String>,
}
