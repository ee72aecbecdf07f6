//! An inbox sync: the messages not seen before, classified, matched to prospects by their
//! address, and applied as one undoable action — a reply closes the enrollment as replied, a
//! permanent bounce marks the email bad exactly as `bounced`, an out-of-office notice with a
//! return date pauses until the working day after it, an opt-out goes on the do-not-contact
//! list. Every message is recorded (outside the undo log) so none is applied twice.

use super::Desk;
use super::log::{LogRequest, log_in};
use crate::domain::{Event, Outcome};
use crate::inbox::{Kind, Mail, classify, imap, maildir};
use crate::store::queries;
use anyhow::{Result, anyhow};
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, params};
use serde::Serialize;
use std::collections::HashSet;

/// One message a sync considered, as `inbox --json` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct Considered {
    #[serde(skip)]
    pub key: String,
    pub message_id: Option<String>,
    pub date: Option<NaiveDateTime>,
    pub from: Option<String>,
    pub subject: String,
    pub kind: &'static str,
    pub prospect_id: Option<i64>,
    pub recipient: Option<String>,
    pub permanent: Option<bool>,
    pub return_date: Option<NaiveDate>,
    /// What was done (or, in a dry run, what would be).
    pub action: String,
    #[serde(skip)]
    snippet: String,
    #[serde(skip)]
    request: Option<LogRequest>,
    /// Whether its effect was applied.
    #[serde(skip)]
    applied: bool,
}

/// What a sync did.
#[derive(Debug, Clone, Default)]
pub struct Synced {
    pub messages: Vec<Considered>,
    /// "Inbox: 2 replies, 1 bounce, 1 out of office".
    pub summary: String,
}

impl Desk {
    /// Reads the configured inbox and applies what the new messages mean; `dry_run` says
    /// what it would do and changes nothing.
    pub fn sync_inbox(&mut self, dry_run: bool, now: NaiveDateTime) -> Result<Synced> {
        let inbox =
            self.config.inbox.clone().ok_or_else(|| {
                anyhow!("no [inbox] in config.toml: set maildir = \"~/Mail/INBOX\"")
            })?;
        let (seen_keys, seen_ids) = seen(self.store.conn())?;
        let mut fetched: Vec<(String, Vec<u8>)> = Vec::new();
        if let Some(url) = &inbox.imap {
            let account = imap::Account::parse(url)?;
            let password = imap::password(inbox.password_command.as_deref())?;
            let folders = if inbox.folders.is_empty() {
                vec!["INBOX".to_string()]
            } else {
                inbox.folders.clone()
            };
            let ca = inbox.ca_path();
            for m in imap::unseen(&account, &password, &folders, ca.as_deref(), &seen_keys)? {
                fetched.push((m.key, m.raw));
            }
        } else {
            let dir = inbox
                .maildir_path()
                .ok_or_else(|| anyhow!("[inbox] in config.toml names no maildir or imap"))?;
            for entry in maildir::unseen(&dir, &seen_keys)? {
                let raw = std::fs::read(&entry.path)
                    .map_err(|e| anyhow!("{}: {e}", entry.path.display()))?;
                fetched.push((entry.key, raw));
            }
        }
        let mut messages = Vec::new();
        let mut ids_now: HashSet<String> = HashSet::new();
        for (key, raw) in fetched {
            let Some(mail) = Mail::parse(&raw) else {
                continue;
            };
            let repeated = mail
                .message_id
                .as_ref()
                .is_some_and(|id| seen_ids.contains(id) || !ids_now.insert(id.clone()));
            messages.push(self.consider(key, &mail, repeated, now)?);
        }
        let requests: Vec<usize> = (0..messages.len())
            .filter(|i| messages.get(*i).is_some_and(|m| m.request.is_some()))
            .collect();
        let settings = self.log_settings();
        let apply = |tx: &mut crate::store::Tx, messages: &mut Vec<Considered>| -> Result<()> {
            for i in &requests {
                let Some(m) = messages.get_mut(*i) else {
                    continue;
                };
                let Some(req) = m.request.take() else {
                    continue;
                };
                // A refusal (nothing open to pause, a bounce on a call step) leaves the
                // message shown, not applied; the engine refuses before it writes.
                (m.action, m.applied) = match log_in(tx, &req, &settings, now) {
                    Ok((logged, _)) => (logged.message, true),
                    Err(e) => (format!("not applied: {e:#}"), false),
                };
            }
            record(tx.conn(), messages, now)
        };
        if dry_run {
            self.store.rehearse("inbox", now, |tx| {
                apply(tx, &mut messages)?;
                Ok(((), String::new()))
            })?;
        } else if requests.is_empty() {
            self.store
                .write_plain(|conn| record(conn, &messages, now))?;
        } else {
            self.store.action("inbox", now, |tx| {
                apply(tx, &mut messages)?;
                Ok(((), format!("inbox sync ({})", summary(&messages))))
            })?;
        }
        let summary = summary(&messages);
        Ok(Synced { messages, summary })
    }

    /// What one message is, whom it is about, and what it asks for.
    fn consider(
        &self,
        key: String,
        mail: &Mail,
        repeated: bool,
        now: NaiveDateTime,
    ) -> Result<Considered> {
        let kind = classify(mail);
        let about = match &kind {
            Kind::Bounce { recipient, .. } => recipient.clone(),
            _ => mail.from.clone(),
        };
        let prospect = match &about {
            Some(address) => queries::find_prospect(self.store.conn(), address)?
                .filter(|p| p.email.as_deref() == Some(address.as_str())),
            None => None,
        };
        let (recipient, permanent, return_date) = match &kind {
            Kind::Bounce {
                recipient,
                permanent,
                ..
            } => (recipient.clone(), Some(*permanent), None),
            Kind::AutoReply { return_date } => (None, None, *return_date),
            _ => (None, None, None),
        };
        let event = match (&kind, &prospect) {
            _ if repeated => None,
            (Kind::Reply, Some(_)) => Some(Event::Replied),
            (
                Kind::Bounce {
                    permanent: true, ..
                },
                Some(_),
            ) => Some(Event::Work(Outcome::Bounced)),
            (
                Kind::AutoReply {
                    return_date: Some(d),
                },
                Some(_),
            ) => {
                let back = self.config.calendar.add_working_days(*d, 1);
                (back > now.date()).then_some(Event::Pause { until: Some(back) })
            }
            (Kind::OptOut, Some(_)) => Some(Event::OptedOut),
            _ => None,
        };
        let action = match (&kind, &prospect, &event) {
            _ if repeated => "already seen".to_string(),
            (Kind::Ignored(why), _, _) => format!("ignored: {why}"),
            (_, None, _) => "not from a prospect".to_string(),
            (
                Kind::Bounce {
                    permanent: false, ..
                },
                _,
                _,
            ) => "shown: delivery delayed".to_string(),
            (Kind::AutoReply { .. }, _, None) => "shown: out of office, no return date".to_string(),
            _ => String::new(),
        };
        let request = match (event, &prospect) {
            (Some(event), Some(p)) => Some(LogRequest::new(p.id, None, event)),
            _ => None,
        };
        let snippet: String = mail
            .own_text()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        Ok(Considered {
            key,
            message_id: mail.message_id.clone(),
            date: mail.date,
            from: mail.from.clone(),
            subject: mail.subject.clone(),
            kind: kind.as_str(),
            prospect_id: prospect.map(|p| p.id),
            recipient,
            permanent,
            return_date,
            action,
            snippet: snippet.chars().take(200).collect(),
            request,
            applied: false,
        })
    }
}

/// The message keys and Message-IDs every earlier sync saw.
fn seen(conn: &Connection) -> Result<(HashSet<String>, HashSet<String>)> {
    let mut keys = HashSet::new();
    let mut ids = HashSet::new();
    let mut stmt = conn.prepare("SELECT key, message_id FROM inbox_messages")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        keys.insert(r.get::<_, String>(0)?);
        if let Some(id) = r.get::<_, Option<String>>(1)? {
            ids.insert(id);
        }
    }
    Ok((keys, ids))
}

fn record(conn: &Connection, messages: &[Considered], now: NaiveDateTime) -> Result<()> {
    for m in messages {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO inbox_messages (key, message_id, date, sender, subject, kind, \
             prospect_id, recipient, permanent, return_date, snippet, action, seen_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?
        .execute(params![
            m.key,
            m.message_id,
            m.date,
            m.from,
            m.subject,
            m.kind,
            m.prospect_id,
            m.recipient,
            m.permanent,
            m.return_date,
            m.snippet,
            m.action,
            now
        ])?;
    }
    Ok(())
}

/// "Inbox: 2 replies, 1 bounce, 1 out of office" (what was applied), or "Inbox: nothing new".
fn summary(messages: &[Considered]) -> String {
    let count = |kind: &str| {
        messages
            .iter()
            .filter(|m| m.kind == kind && m.applied)
            .count()
    };
    let parts: Vec<String> = [
        (count("reply"), "reply", "replies"),
        (count("bounce"), "bounce", "bounces"),
        (count("auto_reply"), "out of office", "out of office"),
        (count("opt_out"), "opt-out", "opt-outs"),
    ]
    .into_iter()
    .filter(|(n, ..)| *n > 0)
    .map(|(n, one, many)| crate::text::count(n, one, many))
    .collect();
    if parts.is_empty() {
        "Inbox: nothing new".to_string()
    } else {
        format!("Inbox: {}", parts.join(", "))
    }
}
