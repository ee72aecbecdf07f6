//! Writing many rows in one transaction, outside the undo log: for history that is not a rep's
//! action (the demo database). Statements are prepared once and reused for every row.

use super::rows::{ENROLLMENT_COLS, PROSPECT_COLS};
use super::undo::Frozen;
use super::Store;
use crate::content::Sequence;
use crate::domain::{Enrollment, Prospect, Record};
use anyhow::{Context, Result};
use chrono::NaiveDateTime;
use rusqlite::{params, Transaction, TransactionBehavior};

/// An open bulk transaction. Nothing is written unless [`Bulk::commit`] is called.
pub struct Bulk<'c> {
    tx: Transaction<'c>,
    insert_prospect: String,
    insert_enrollment: String,
}

impl Store {
    /// Starts a bulk write. Undo never sees these rows: they belong to no action.
    pub fn bulk(&mut self) -> Result<Bulk<'_>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        Ok(Bulk {
            tx,
            insert_prospect: insert_sql("prospects", PROSPECT_COLS),
            insert_enrollment: insert_sql("enrollments", &format!("{ENROLLMENT_COLS}, sequence")),
        })
    }
}

fn insert_sql(table: &str, cols: &str) -> String {
    let n = cols.split(',').count();
    let marks: Vec<String> = (1..=n).map(|i| format!("?{i}")).collect();
    format!("INSERT INTO {table} ({cols}) VALUES ({})", marks.join(", "))
}

impl Bulk<'_> {
    pub fn conn(&self) -> &rusqlite::Connection {
        &self.tx
    }

    /// Inserts a prospect (with its id when it has one); returns the id.
    pub fn prospect(&mut self, p: &Prospect) -> Result<i64> {
        let fields = serde_json::to_string(&p.fields)?;
        let id = (p.id > 0).then_some(p.id);
        self.tx
            .prepare_cached(&self.insert_prospect)?
            .execute(params![
                id,
                p.first_name,
                p.last_name,
                p.email,
                p.phone,
                p.linkedin,
                p.company,
                p.title,
                p.city,
                p.timezone,
                fields,
                p.notes,
                p.email_bad,
                p.phone_bad,
                p.rest_until,
                p.created_at,
            ])?;
        Ok(id.unwrap_or_else(|| self.tx.last_insert_rowid()))
    }

    /// Inserts an enrollment (with its id when it has one); returns the id.
    pub fn enrollment(&mut self, e: &Enrollment, sequence: &str) -> Result<i64> {
        let id = (e.id > 0).then_some(e.id);
        let why = match &e.why {
            Some(w) => Some(serde_json::to_string(w)?),
            None => None,
        };
        self.tx
            .prepare_cached(&self.insert_enrollment)?
            .execute(params![
                id,
                e.prospect_id,
                e.version_id,
                e.status.as_str(),
                e.step as i64,
                e.due,
                e.last_worked_step.map(|s| s as i64),
                e.paused_gap,
                e.resume_on,
                e.started,
                e.closed_at,
                e.exit_reason,
                e.ordinal,
                why,
                sequence,
            ])?;
        Ok(id.unwrap_or_else(|| self.tx.last_insert_rowid()))
    }

    /// Appends one record to the touch log, with no action behind it.
    pub fn touch(
        &mut self,
        enrollment_id: Option<i64>,
        prospect_id: i64,
        r: &Record,
        note: Option<&str>,
        text: Option<&Frozen>,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO touches (enrollment_id, prospect_id, at, step, channel, outcome, \
                 is_touch, reason, note, subject, body, variant, attributed_step) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?
            .execute(params![
                enrollment_id,
                prospect_id,
                r.at,
                r.step.map(|s| s as i64),
                r.channel.map(|c| c.as_str()),
                r.outcome.as_str(),
                r.is_touch,
                r.reason,
                note,
                text.and_then(|t| t.subject.as_deref()),
                text.and_then(|t| t.body.as_deref()),
                text.and_then(|t| t.variant.as_deref()),
                r.attributed_step.map(|s| s as i64),
            ])?;
        Ok(())
    }

    /// Puts an identifier on the do-not-contact list (no-op if it is there already).
    pub fn do_not_contact(
        &mut self,
        kind: &str,
        value: &str,
        prospect_id: i64,
        at: NaiveDateTime,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT OR IGNORE INTO do_not_contact (kind, value, prospect_id, at) \
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![kind, value, prospect_id, at])?;
        Ok(())
    }

    /// Stores a sequence version; returns its id. The same content the desk would store, so a
    /// later enrollment by the rep finds and reuses it.
    pub fn sequence_version(&mut self, seq: &Sequence, at: NaiveDateTime) -> Result<i64> {
        self.tx.execute(
            "INSERT INTO sequence_versions (name, body, created_at) VALUES (?1, ?2, ?3)",
            params![seq.name, seq.snapshot(), at],
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    pub fn setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) \
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    pub fn commit(self) -> Result<()> {
        self.tx.commit().context("committing the bulk write")
    }
}
