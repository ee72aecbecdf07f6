//! Replies from an address the book does not know, at a prospect's company, to one of their
//! subjects: kept for the rep to confirm or dismiss.

use super::super::Desk;
use super::super::happened::{Happened, LogRequest};
use crate::desk::DeskError;
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

/// The prospects at the sender's company (by the address's domain) who were sent the
/// subject this message answers ("Re: …", "AW: …"): any of them may be the one it is about.
pub(super) fn candidates(conn: &Connection, from: &str, subject: &str) -> Result<Vec<i64>> {
    let Some((_, domain)) = from.rsplit_once('@') else {
        return Ok(Vec::new());
    };
    let Some(answered) = answered_subject(subject) else {
        return Ok(Vec::new());
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
        }
    }
    Ok(ids)
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

/// One way to settle a message the inbox could not be sure of: it is `prospect`'s, or
/// (`None`) from someone new, to add as a prospect at that account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PossibleChoice {
    pub key: String,
    pub prospect: Option<i64>,
}

/// A choice to offer for a possible reply or opt-out.
pub struct Possible {
    pub choice: PossibleChoice,
    pub sender: String,
    pub subject: String,
    /// An opt-out (the words that may ask to stop), not a reply.
    pub opt_out: bool,
}

impl Desk {
    /// The possible replies and opt-outs not yet settled: one choice per person each may be
    /// about, and, for a reply from an address the book does not know, "someone new".
    pub fn possible_replies(&self) -> Result<Vec<Possible>> {
        let mut stmt = self.store.conn().prepare_cached(
            "SELECT key, prospect_id, coalesce(sender, ''), subject, kind = 'opt_out', \
             candidates FROM inbox_messages WHERE possible = 1 ORDER BY date",
        )?;
        let mut out = Vec::new();
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let key: String = r.get(0)?;
            let one: Option<i64> = r.get(1)?;
            let opt_out: bool = r.get(4)?;
            let listed: Option<String> = r.get(5)?;
            let people: Vec<i64> = listed
                .and_then(|l| serde_json::from_str(&l).ok())
                .filter(|l: &Vec<i64>| !l.is_empty())
                .unwrap_or_else(|| one.into_iter().collect());
            let mut choices: Vec<Option<i64>> = people.into_iter().map(Some).collect();
            // A possible reply comes from an address the book does not know.
            if !opt_out {
                choices.push(None);
            }
            for prospect in choices {
                out.push(Possible {
                    choice: PossibleChoice {
                        key: key.clone(),
                        prospect,
                    },
                    sender: r.get(2)?,
                    subject: r.get(3)?,
                    opt_out,
                });
            }
        }
        Ok(out)
    }

    /// Settles a possible message as the rep chose: the prospect's reply (or opt-out),
    /// logged as one action; or the sender added as a new prospect at that account.
    pub fn confirm_possible(
        &mut self,
        choice: &PossibleChoice,
        now: NaiveDateTime,
    ) -> Result<String, DeskError> {
        let key = choice.key.as_str();
        let found: Option<(Option<String>, Option<String>, bool)> = {
            use rusqlite::OptionalExtension;
            self.store
                .conn()
                .query_row(
                    "SELECT snippet, sender, kind = 'opt_out' FROM inbox_messages \
                     WHERE key = ?1 AND possible = 1",
                    [key],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?
        };
        let (snippet, sender, opt_out) =
            found.ok_or_else(|| anyhow!("that message is settled already"))?;
        let Some(prospect) = choice.prospect else {
            let said = self.add_sender(sender.as_deref(), now)?;
            self.settle_possible(key, &said)?;
            return Ok(said);
        };
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

    /// Adds the sender of a message as a prospect at the company of the people at their
    /// domain.
    fn add_sender(
        &mut self,
        sender: Option<&str>,
        now: NaiveDateTime,
    ) -> Result<String, DeskError> {
        let Some(address) = sender.filter(|s| s.contains('@')) else {
            return Err(anyhow!("the message names no sender to add").into());
        };
        let domain = address.rsplit_once('@').map_or("", |(_, d)| d);
        let company: Option<String> = {
            use rusqlite::OptionalExtension;
            self.store
                .conn()
                .query_row(
                    "SELECT company FROM prospects WHERE email LIKE '%@' || ?1 \
                     AND company IS NOT NULL LIMIT 1",
                    [domain],
                    |r| r.get(0),
                )
                .optional()?
        };
        let local = address.split('@').next().unwrap_or(address);
        let first = local
            .split(['.', '_', '-', '+'])
            .next()
            .filter(|w| !w.is_empty())
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect::<String>())
                    .unwrap_or_default()
            })
            .unwrap_or_else(|| local.to_string());
        let p = crate::domain::Prospect {
            first_name: first,
            email: Some(address.to_string()),
            company,
            ..crate::domain::Prospect::default()
        };
        let added = self.add(p, None, now)?;
        Ok(format!("{} (someone new at {domain})", added.message))
    }

    /// Leaves a possible message alone: it was neither.
    pub fn dismiss_possible(&mut self, key: &str) -> Result<(), DeskError> {
        Ok(self.settle_possible(key, "dismissed")?)
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
