//! Replies from an address the book does not know, at a prospect's company, to one of their
//! subjects: kept for the rep to confirm or dismiss.

use super::super::Desk;
use super::super::happened::{Happened, LogRequest};
use crate::desk::DeskError;
use crate::desk::store::queries;
use crate::domain::Event;
use anyhow::{Result, anyhow};
use chrono::NaiveDateTime;
use rusqlite::{Connection, params};
use std::collections::HashSet;

/// Every domain a prospect's email is at: a reply from elsewhere is nobody's, and needs no
/// search of the book.
pub(super) fn book_domains(conn: &Connection) -> Result<HashSet<String>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT substr(email, instr(email, '@') + 1) FROM prospects \
         WHERE email IS NOT NULL",
    )?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The one prospect at the sender's company (by the address's domain) who was sent the
/// subject this message answers ("Re: …", "AW: …"), if there is exactly one.
pub(super) fn possible_reply(
    conn: &Connection,
    from: &str,
    subject: &str,
) -> Result<Option<crate::domain::Prospect>> {
    let Some((_, domain)) = from.rsplit_once('@') else {
        return Ok(None);
    };
    let Some(answered) = answered_subject(subject) else {
        return Ok(None);
    };
    // The emails that went out to the domain, their subjects unpacked: a company's few
    // prospects, each with a handful of emails.
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, t.message FROM prospects p JOIN enrollments e ON e.prospect_id = p.id \
         JOIN touches t ON t.enrollment_id = e.id \
         WHERE p.email LIKE '%@' || ?1 AND t.channel = 'email' AND t.message IS NOT NULL",
    )?;
    let mut unpacker = crate::desk::store::message::Unpacker::new(conn);
    let mut ids: Vec<i64> = Vec::new();
    let mut rows = stmt.query(params![domain])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let packed: Option<Vec<u8>> = r.get(1)?;
        if ids.contains(&id) {
            continue;
        }
        if unpacker.unpack(packed.as_deref())?.subject.as_deref() == Some(answered.as_str()) {
            ids.push(id);
            if ids.len() > 1 {
                break;
            }
        }
    }
    match ids.as_slice() {
        [one] => queries::prospect(conn, *one),
        _ => Ok(None),
    }
}

/// The subject a reply answers: "Re: Quanta and…" → "Quanta and…" (also AW:, SV:, Antw:,
/// RE:, Fwd: is not a reply). `None` when it is not a reply's subject.
pub fn answered_subject(subject: &str) -> Option<String> {
    let mut rest = subject.trim();
    let mut stripped = false;
    loop {
        let lower = rest.to_lowercase();
        let Some(prefix) = ["re:", "aw:", "sv:", "antw:", "réf:", "r:"]
            .iter()
            .find(|p| lower.starts_with(*p))
        else {
            break;
        };
        rest = rest.get(prefix.len()..).unwrap_or_default().trim_start();
        stripped = true;
    }
    (stripped && !rest.is_empty()).then(|| rest.to_string())
}

/// A possible reply or opt-out not yet confirmed or dismissed.
pub struct Possible {
    pub key: String,
    pub prospect_id: i64,
    pub sender: String,
    pub subject: String,
    /// An opt-out (the words that may ask to stop), not a reply.
    pub opt_out: bool,
}

impl Desk {
    pub fn possible_replies(&self) -> Result<Vec<Possible>> {
        let mut stmt = self.store.conn().prepare_cached(
            "SELECT key, prospect_id, coalesce(sender, ''), subject, kind = 'opt_out' \
             FROM inbox_messages WHERE possible = 1 AND prospect_id IS NOT NULL ORDER BY date",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Possible {
                key: r.get(0)?,
                prospect_id: r.get(1)?,
                sender: r.get(2)?,
                subject: r.get(3)?,
                opt_out: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Logs a possible reply as the prospect's reply (or a possible opt-out as their
    /// opt-out), one action, and marks it settled.
    pub fn confirm_possible(&mut self, key: &str, now: NaiveDateTime) -> Result<String, DeskError> {
        let found: Option<(i64, Option<String>, bool)> = {
            use rusqlite::OptionalExtension;
            self.store
                .conn()
                .query_row(
                    "SELECT prospect_id, snippet, kind = 'opt_out' FROM inbox_messages \
                     WHERE key = ?1 AND possible = 1",
                    [key],
                    |r| Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?
        };
        let (prospect, snippet, opt_out) =
            found.ok_or_else(|| anyhow!("that message is settled already"))?;
        let happened = if opt_out {
            Happened::OptedOut
        } else {
            Happened::from(Event::Replied)
        };
        let req = LogRequest {
            note: snippet.filter(|s| !s.is_empty()),
            ..LogRequest::new(prospect, None, happened)
        };
        let logged = self.log(req, now)?;
        self.settle_possible(key, &logged.message)?;
        Ok(logged.message)
    }

    /// Leaves a possible reply alone: it was not one.
    pub fn dismiss_possible(&mut self, key: &str) -> Result<(), DeskError> {
        Ok(self.settle_possible(key, "dismissed: not a reply")?)
    }

    fn settle_possible(&mut self, key: &str, action: &str) -> Result<()> {
        self.store.write_plain(|conn| {
            conn.execute(
                "UPDATE inbox_messages SET possible = 0, action = ?2 WHERE key = ?1",
                params![key, action],
            )?;
            Ok(())
        })
    }
}
