//! Sending a prospect's due email from the rep's mailbox (DESIGN §9), exactly once. `S` or
//! `send` puts it in the outbox (one undoable action: undo takes it back while it waits);
//! when its time comes it is marked going, with its Message-ID, before it is handed over;
//! when the server takes it, the touch is logged as sent with its text and Message-ID. A
//! going row found after a crash is never handed over again blindly.

use super::Desk;
use super::error::DeskError;
use super::happened::{Happened, LogRequest};
use crate::content::Rendered;
use crate::domain::{Channel, Outcome};
use crate::send::{Outgoing, SendError, Transport, build, new_message_id};
use anyhow::{Result, anyhow};
use chrono::NaiveDateTime;
use rusqlite::{OptionalExtension, params};

/// An email waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    pub id: i64,
    pub name: String,
    pub to: String,
    pub subject: String,
    pub not_before: NaiveDateTime,
}

impl Desk {
    /// Puts the prospect's due email in the outbox, to go after the undo window (or now,
    /// `undo` false). Only a ready email of the current step, exactly as the rep sees it:
    /// `edited` (the app's edit on screen), else the draft an edit left on the touch, else
    /// as it renders now.
    pub fn queue_email(
        &mut self,
        key: &str,
        undo: bool,
        edited: Option<&Rendered>,
        now: NaiveDateTime,
    ) -> Result<Queued, DeskError> {
        let send =
            self.config.send.clone().ok_or_else(|| {
                anyhow!("no [send] in config.toml: set from and smtp (or sendmail)")
            })?;
        let p = self.prospect(key)?;
        let info = self
            .open_enrollment(p.id)?
            .ok_or_else(|| anyhow!("{} is in no sequence: nothing to send", p.full_name()))?;
        let item = self
            .queue_item(info.enrollment.id, now)?
            .ok_or_else(|| anyhow!("{}'s next touch is not due: nothing to send", p.full_name()))?;
        if item.channel() != Channel::Email {
            return Err(anyhow!("{}'s due touch is not an email", p.full_name()).into());
        }
        let to = p
            .email
            .clone()
            .filter(|_| !p.email_bad)
            .ok_or_else(|| anyhow!("{} has no working email address", p.full_name()))?;
        let template = self.render_current(&item.prospect, &item.enrollment, &item.sequence)?;
        let step = (item.enrollment.id, item.enrollment.step);
        let rendered = match edited.cloned() {
            Some(text) => text,
            None => self.draft_on(step)?.unwrap_or_else(|| template.clone()),
        };
        let rendered = Rendered {
            subject: rendered.subject.or(template.subject),
            ..rendered
        };
        if !rendered.problems.is_empty() {
            return Err(anyhow!(
                "not sent: the email to {} is not ready ({})",
                p.full_name(),
                rendered.problems.join("; ")
            )
            .into());
        }
        let waiting: Option<(String, Option<String>)> = self
            .store
            .conn()
            .query_row(
                "SELECT state, reason FROM outbox WHERE enrollment_id = ?1 AND step = ?2 \
                 AND state IN ('waiting', 'going', 'unsure')",
                params![item.enrollment.id, item.enrollment.step as i64],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((state, reason)) = waiting {
            if state == "unsure" {
                return Err(anyhow!(
                    "{}'s email may have gone already: {}",
                    p.full_name(),
                    reason.unwrap_or_default()
                )
                .into());
            }
            let why = reason.map(|r| format!(": {r}")).unwrap_or_default();
            return Err(anyhow!(
                "{}'s email is in the outbox already ({state}{why}); `touchbase outbox --flush` sends it",
                p.full_name()
            )
            .into());
        }
        let thread = self.thread_of(
            item.enrollment.id,
            &item.sequence.plan.steps,
            item.enrollment.step,
        )?;
        let subject = match &thread.first_subject {
            Some(first) => format!("Re: {}", first.trim_start_matches("Re: ")),
            None => rendered.subject.clone().unwrap_or_default(),
        };
        let window = if undo { send.undo_seconds() } else { 0 };
        let not_before = now + chrono::Duration::seconds(i64::from(window));
        let message_id = new_message_id(send.address());
        let row = (
            p.id,
            item.enrollment.id,
            item.enrollment.step,
            (p.full_name(), to.clone()),
            (subject.clone(), rendered.body.clone()),
            (
                message_id,
                serde_json::to_string(&thread.ids).unwrap_or_default(),
            ),
        );
        let name = p.full_name();
        let id = self.store.action("send", now, |tx| {
            let action = tx.action_id();
            let (pid, eid, step, (to_name, to_address), (subject, body), (mid, thread)) = &row;
            tx.conn().execute(
                "INSERT INTO outbox (action_id, prospect_id, enrollment_id, step, to_name, \
                 to_address, subject, body, message_id, thread, state, not_before) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'waiting', ?11)",
                params![
                    action,
                    pid,
                    eid,
                    *step as i64,
                    to_name,
                    to_address,
                    subject,
                    body,
                    mid,
                    thread,
                    not_before
                ],
            )?;
            let id = tx.conn().last_insert_rowid();
            Ok((id, format!("email to {name} in the outbox")))
        })?;
        Ok(Queued {
            id,
            name,
            to,
            subject,
            not_before,
        })
    }

    /// Takes back an email still waiting in the outbox: true when it was, and now never goes.
    pub fn cancel_queued(&mut self, id: i64) -> Result<bool, DeskError> {
        Ok(self.store.write_plain(|conn| {
            Ok(conn.execute(
                "UPDATE outbox SET state = 'cancelled', reason = 'taken back' \
                 WHERE id = ?1 AND state = 'waiting'",
                [id],
            )? == 1)
        })?)
    }

    /// Whether an outbox row still waits to go (undo from anywhere cancels it).
    pub fn still_waiting(&self, id: i64) -> Result<bool> {
        let state: Option<String> = self
            .store
            .conn()
            .query_row("SELECT state FROM outbox WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        Ok(state.as_deref() == Some("waiting"))
    }

    /// Sends an outbox row whose time has come, exactly once. Just before, the inbox (when
    /// set up) is read: an answer from them or their account cancels it. Over a cap it
    /// waits, saying why. It is marked going (in its own transaction) before it is handed
    /// over, and logged as sent when the server took it.
    pub fn send_now(&mut self, id: i64, now: NaiveDateTime) -> Result<String, DeskError> {
        let send = self
            .config
            .send
            .clone()
            .ok_or_else(|| anyhow!("no [send] in config.toml"))?;
        let Some(row) = self.outbox_row(id)? else {
            return Err(anyhow!("no such email in the outbox").into());
        };
        match row.state.as_str() {
            "waiting" => {}
            "cancelled" => return Err(anyhow!("taken back: nothing was sent").into()),
            state => return Err(anyhow!("that email is {state} already; not sent again").into()),
        }
        if let Some(said) = self.reply_gate(id, &row, now)? {
            return Ok(said);
        }
        if let Some(reason) = self.bounce_paused(&send)? {
            self.hold(id, now, &reason)?;
            return Ok(format!(
                "The email to {} waits in the outbox: {reason}",
                row.to_name
            ));
        }
        if let Some((until, reason)) =
            super::outbox::capped(self.store.conn(), &send, &row.to_address, now)?
        {
            self.hold(id, until, &reason)?;
            return Ok(format!(
                "The email to {} waits in the outbox until {}: {reason}",
                row.to_name,
                until.format("%a %-d %b %H:%M")
            ));
        }
        let transport = Transport::from_config(&send, self.config.inbox.as_ref())?;
        let marked = self.store.write_plain(|conn| {
            Ok(conn.execute(
                "UPDATE outbox SET state = 'going', going_by = ?2 WHERE id = ?1 AND state = 'waiting'",
                params![id, std::process::id()],
            )? == 1)
        })?;
        if !marked {
            return Err(anyhow!("taken back: nothing was sent").into());
        }
        let outgoing = Outgoing {
            from: send.from.clone(),
            to_name: row.to_name.clone(),
            to_address: row.to_address.clone(),
            subject: row.subject.clone(),
            body: row.body.clone(),
            message_id: row.message_id.clone(),
            thread: serde_json::from_str(&row.thread).unwrap_or_default(),
        };
        let message = build(&outgoing)?;
        match transport.deliver(&message) {
            Ok(()) => {
                let said = self.log_sent(id, &row, now)?;
                Ok(match self.copy_to_sent(&message.formatted()) {
                    Ok(()) => said,
                    Err(e) => format!("{said} (the copy to Sent failed: {e:#})"),
                })
            }
            Err(e) => self.not_taken(id, &row, e, now),
        }
    }

    /// The server did not take it: a temporary failure waits and tries again later (a
    /// growing wait), a refused address is a bounce, a failure of the account stops
    /// sending; nothing leaves the outbox unexplained.
    fn not_taken(
        &mut self,
        id: i64,
        row: &OutboxRow,
        e: SendError,
        now: NaiveDateTime,
    ) -> Result<String, DeskError> {
        match e {
            SendError::Temporary(why) => {
                let minutes = 1_i64 << row.attempts.clamp(0, 6);
                let until = now + chrono::Duration::minutes(minutes);
                let reason = format!("will try again: {why}");
                self.store.write_plain(|conn| {
                    conn.execute(
                        "UPDATE outbox SET state = 'waiting', not_before = ?2, reason = ?3, \
                         attempts = attempts + 1 WHERE id = ?1",
                        params![id, until, reason],
                    )?;
                    Ok(())
                })?;
                Ok(format!(
                    "The email to {} waits in the outbox until {}: {reason}",
                    row.to_name,
                    until.format("%a %-d %b %H:%M")
                ))
            }
            SendError::Bounce(why) => {
                self.store.write_plain(|conn| {
                    conn.execute(
                        "UPDATE outbox SET state = 'failed', reason = ?2 WHERE id = ?1",
                        params![id, format!("bounced: {why}")],
                    )?;
                    Ok(())
                })?;
                let bounced = Happened::Worked {
                    outcome: Outcome::Bounced,
                    text: None,
                };
                let touch = self.current_touch(row.prospect_id)?;
                let logged = self.log(LogRequest::new(row.prospect_id, touch, bounced), now)?;
                Err(anyhow!("{} bounced: {why} ({})", row.to_address, logged.message).into())
            }
            SendError::Account(why) => {
                let reason = format!("sending stopped: {why}");
                self.hold(id, now, &reason)?;
                Err(anyhow!("not sent to {}: {reason}", row.to_address).into())
            }
        }
    }

    /// Reads the inbox (when one is set up) just before a send: if the prospect's touch is
    /// no longer the one the email was written for (they answered, someone at their account
    /// did, they were paused), the send is cancelled. `Some`: what happened instead.
    fn reply_gate(
        &mut self,
        id: i64,
        row: &OutboxRow,
        now: NaiveDateTime,
    ) -> Result<Option<String>, DeskError> {
        if self.config.inbox.is_some() {
            if let Err(e) = self.sync_inbox(false, now) {
                let reason =
                    format!("the inbox could not be read before sending ({e:#}); it tries again");
                self.hold(id, now + chrono::Duration::minutes(1), &reason)?;
                return Ok(Some(format!(
                    "The email to {} waits: {reason}",
                    row.to_name
                )));
            }
        }
        let current = self.current_touch(row.prospect_id)?;
        let still = current
            .is_some_and(|t| t.enrollment_id == row.enrollment_id && t.step as i64 == row.step);
        if still {
            return Ok(None);
        }
        let answered = self
            .prospect_by_id(row.prospect_id)?
            .is_some_and(|p| p.conversation.is_some());
        let reason = if answered {
            "they answered before it went: not sent, and their answer waits on you"
        } else {
            "their sequence moved on before it went (paused, closed, worked by hand): not sent"
        };
        self.store.write_plain(|conn| {
            conn.execute(
                "UPDATE outbox SET state = 'cancelled', reason = ?2 WHERE id = ?1 AND state = 'waiting'",
                params![id, reason],
            )?;
            Ok(())
        })?;
        Ok(Some(format!(
            "The email to {} was not sent: {reason}",
            row.to_name
        )))
    }

    pub(super) fn outbox_row(&self, id: i64) -> Result<Option<OutboxRow>> {
        Ok(self
            .store
            .conn()
            .query_row(
                "SELECT prospect_id, enrollment_id, step, to_name, to_address, subject, body, \
                 message_id, thread, state, attempts FROM outbox WHERE id = ?1",
                [id],
                |r| {
                    Ok(OutboxRow {
                        prospect_id: r.get(0)?,
                        enrollment_id: r.get(1)?,
                        step: r.get(2)?,
                        to_name: r.get(3)?,
                        to_address: r.get(4)?,
                        subject: r.get(5)?,
                        body: r.get(6)?,
                        message_id: r.get(7)?,
                        thread: r.get(8)?,
                        state: r.get(9)?,
                        attempts: r.get(10)?,
                    })
                },
            )
            .optional()?)
    }

    /// The server took it: the touch is logged as sent, with the text and Message-ID, and
    /// the outbox row says which action logged it.
    pub(super) fn log_sent(
        &mut self,
        id: i64,
        row: &OutboxRow,
        now: NaiveDateTime,
    ) -> Result<String, DeskError> {
        let text = Rendered {
            subject: Some(row.subject.clone()),
            body: row.body.clone(),
            voicemail: None,
            problems: Vec::new(),
        };
        // The touch it was written for must still be the current one.
        let touch = self
            .current_touch(row.prospect_id)?
            .filter(|t| t.enrollment_id == row.enrollment_id && t.step as i64 == row.step)
            .ok_or_else(|| {
                anyhow!(
                    "sent to {}, but their sequence moved on meanwhile: log it by hand",
                    row.to_address
                )
            })?;
        let sent = Happened::Worked {
            outcome: Outcome::Sent,
            text: Some(text),
        };
        let req = LogRequest {
            ahead: true,
            ..LogRequest::new(row.prospect_id, Some(touch), sent)
        };
        let settings = self.log_settings();
        let message_id = row.message_id.clone();
        Ok(self.store.action("sent", now, |tx| {
            let (logged, said) = super::log::log_in(tx, &req, &settings, now)?;
            tx.mark_sent_message(&message_id)?;
            let action = tx.action_id();
            tx.conn().execute(
                "UPDATE outbox SET state = 'sent', sent_action = ?2, sent_at = ?3, reason = NULL \
                 WHERE id = ?1",
                params![id, action, now],
            )?;
            let _ = logged;
            Ok((said.clone(), said))
        })?)
    }

    /// With `copy_to_sent`, a copy of the message goes to the rep's Sent folder: appended by
    /// IMAP to `[inbox] sent_folder`, or written into a local `[inbox] sent` Maildir (which
    /// mbsync and offlineimap carry up). Marked as read. Servers that keep their own copy
    /// (Gmail) need none.
    fn copy_to_sent(&self, message: &[u8]) -> Result<()> {
        let wanted = self.config.send.as_ref().and_then(|s| s.copy_to_sent) == Some(true);
        if !wanted {
            return Ok(());
        }
        let inbox = self
            .config
            .inbox
            .as_ref()
            .ok_or_else(|| anyhow!("copy_to_sent needs an [inbox] with its sent_folder"))?;
        crate::inbox::sent_folder::SentFolder::of(inbox)
            .ok_or_else(|| {
                anyhow!("copy_to_sent needs sent_folder (or a sent Maildir) in [inbox]")
            })?
            .append(message)
    }
}

/// An outbox row as the sender reads it.
pub(super) struct OutboxRow {
    pub prospect_id: i64,
    pub enrollment_id: i64,
    pub step: i64,
    pub to_name: String,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub message_id: String,
    pub thread: String,
    pub state: String,
    pub attempts: i64,
}
