//! An inbox sync: the messages of the window not seen before (`fetch`), each considered
//! (`consider`: what it is; `whom`: whom it is about) and applied as an undoable action of
//! its own — a reply closes the enrollment as replied, a permanent bounce is logged beside
//! the email it names, an out-of-office notice pauses until they are back, an opt-out goes
//! on the do-not-contact list. Every message is recorded (`seen`, outside the undo log) so
//! none is applied twice; what the rep is to confirm is `possible`.

mod consider;
mod fetch;
mod possible;
mod seen;
mod whom;

use super::Desk;
use super::happened::LogRequest;
use super::log::log_in;
use crate::desk::DeskError;
use crate::desk::store::Tx;
use crate::inbox::Mail;
use anyhow::{Result, anyhow};
use chrono::{NaiveDate, NaiveDateTime};
use possible::book_domains;
pub use possible::{Possible, PossibleChoice};
use rusqlite::{Connection, params};
use seen::{record, seen};
use serde::Serialize;
use std::collections::HashSet;
use whom::by_address;

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
    /// A reply from another address at the prospect's company, to be confirmed by the rep.
    pub possible: bool,
    /// The prospects it may be about, when it is possible and several were sent its subject.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<i64>,
    /// For a reply: the kind its words suggest, and the phrase that decided it.
    pub suggested: Option<String>,
    /// What of it was read: "whole", or only its "headers" (from no one the book knows).
    pub read: &'static str,
    /// What was done (or, in a dry run, what would be).
    pub action: String,
    #[serde(skip)]
    snippet: String,
    #[serde(skip)]
    request: Option<LogRequest>,
    /// Whether its effect was applied.
    #[serde(skip)]
    applied: bool,
    /// Whether it failed to be written, and is left for the next sync.
    #[serde(skip)]
    retry: bool,
}

/// What a sync knows besides the store: the Message-IDs the rep sent in this sync (to the
/// prospect each went to), and the book's email domains once a message needs them.
#[derive(Default)]
struct Known {
    sent: std::collections::HashMap<String, i64>,
    domains: Option<HashSet<String>>,
    /// The people the message now considered may be about (a colleague's reply).
    candidates: Vec<i64>,
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
    pub fn sync_inbox(&mut self, dry_run: bool, now: NaiveDateTime) -> Result<Synced, DeskError> {
        let inbox =
            self.config.inbox.clone().ok_or_else(|| {
                anyhow!("no [inbox] in config.toml: set maildir = \"~/Mail/INBOX\"")
            })?;
        let (seen_keys, seen_ids) = seen(self.store.conn())?;
        let book = book_domains(self.store.conn())?;
        let conn = self.store.conn();
        let needs_body = |_folder: &str, head: &[u8]| needs_body(conn, &book, head);
        let window = fetch::Window {
            seen: &seen_keys,
            since: now.date() - chrono::Days::new(u64::from(inbox.since_days())),
            needs_body: &needs_body,
        };
        let fetched = fetch::new_mail(&inbox, &window)?;
        let mut messages = Vec::new();
        let mut known = Known::default();
        for raw in fetched.sent {
            if let Some(mail) = Mail::parse(&raw.bytes) {
                let sent = self.consider_sent(raw.key, &mail, now)?;
                if let (Some(id), Some(p)) = (&sent.message_id, sent.prospect_id) {
                    known.sent.insert(id.clone(), p);
                }
                messages.push(sent);
            }
        }
        let mut ids_now: HashSet<String> = HashSet::new();
        for raw in fetched.received {
            let Some(mail) = Mail::parse(&raw.bytes) else {
                continue;
            };
            let repeated = mail
                .message_id
                .as_ref()
                .is_some_and(|id| seen_ids.contains(id) || !ids_now.insert(id.clone()));
            let mut m = self.consider(raw.key, &mail, repeated, &mut known, now)?;
            if !raw.whole {
                // Read by its headers alone: from no one the book knows, and no notice.
                m.read = "headers";
                if m.kind == "reply" && m.prospect_id.is_none() && !m.possible {
                    m.kind = "ignored";
                    m.action = "ignored: from no one in the book (read by its headers)".into();
                }
            }
            messages.push(m);
        }
        self.apply_sync(&mut messages, dry_run, now)?;
        let summary = summary(&messages);
        Ok(Synced { messages, summary })
    }

    /// Applies what the messages ask for, each message one action of its own (one undo
    /// step: a wrong effect is taken back without the right ones), recorded as seen in the
    /// same transaction; or, in a dry run, rehearses them all and changes nothing.
    fn apply_sync(
        &mut self,
        messages: &mut [Considered],
        dry_run: bool,
        now: NaiveDateTime,
    ) -> Result<()> {
        let settings = self.log_settings();
        if dry_run {
            self.store.rehearse("inbox", now, |tx| {
                for m in messages.iter_mut() {
                    apply_one(tx, m, &settings, now);
                }
                Ok(((), String::new()))
            })?;
            return Ok(());
        }
        for m in messages.iter_mut().filter(|m| m.request.is_some()) {
            let applied = self.store.action("inbox", now, |tx| {
                apply_one(tx, m, &settings, now);
                if !m.applied {
                    // Refused: nothing of it stays; it is recorded below, as shown.
                    anyhow::bail!("{}", m.action);
                }
                record(tx.conn(), std::slice::from_ref(m), now)?;
                let from = m.from.as_deref().unwrap_or("someone");
                Ok(((), format!("inbox: {} from {from}", m.kind)))
            });
            if let Err(e) = applied {
                // Applied but not written (the book was busy, the disk full): not seen
                // either, so the next sync tries it again.
                m.retry = m.applied;
                if m.retry {
                    m.action = format!("not applied: {e:#}; the next sync tries again");
                }
                m.applied = false;
            }
        }
        let rest: Vec<Considered> = messages
            .iter()
            .filter(|m| !m.applied && !m.retry)
            .cloned()
            .collect();
        self.store.write_plain(|conn| record(conn, &rest, now))?;
        Ok(())
    }

    /// Forgets that a message was seen, so the next sync considers it afresh: for a message
    /// whose effect the rep undid and wants after all.
    pub fn forget_message(&mut self, message_id: &str) -> Result<(), DeskError> {
        let id = message_id.trim();
        let bracketed = if id.starts_with('<') {
            id.to_string()
        } else {
            format!("<{id}>")
        };
        let bare = bracketed.trim_matches(['<', '>']).to_string();
        let forgotten = self.store.write_plain(|conn| {
            Ok(conn.execute(
                "DELETE FROM inbox_messages WHERE message_id IN (?1, ?2)",
                params![bracketed, bare],
            )?)
        })?;
        if forgotten == 0 {
            return Err(anyhow!("no message {id} was seen by an earlier sync").into());
        }
        Ok(())
    }
}

/// Applies one message's request inside the action under way, noting what was done. A
/// refusal (nothing open to pause, a bounce on a call step) leaves the message shown, not
/// applied; the engine refuses before it writes.
fn apply_one(tx: &mut Tx, m: &mut Considered, settings: &super::log::Settings, now: NaiveDateTime) {
    let Some(req) = m.request.take() else {
        return;
    };
    (m.action, m.applied) = match log_in(tx, &req, settings, now) {
        Ok((logged, _)) => (logged.message, true),
        Err(e) => (format!("not applied: {e:#}"), false),
    };
}

/// From a message's headers: whether its body is needed to tell what it means. Mail from
/// people the book knows (an address, or a colleague's at their domain) and notices
/// (bounces, reports, auto-replies) are read whole; the rest is ignored by its headers, so
/// a big mailbox costs what its few relevant messages cost.
fn needs_body(conn: &Connection, book: &HashSet<String>, head: &[u8]) -> bool {
    let Some(mail) = Mail::parse(head) else {
        return true;
    };
    if crate::inbox::classify::may_be_notice(&mail) {
        return true;
    }
    let Some(from) = mail.from.as_deref() else {
        return true;
    };
    let domain = from.rsplit_once('@').map_or("", |(_, d)| d);
    book.contains(domain) || by_address(conn, from).ok().flatten().is_some()
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
        (
            count("sent"),
            "email logged as sent",
            "emails logged as sent",
        ),
        (count("reply"), "reply", "replies"),
        (count("bounce"), "bounce", "bounces"),
        (count("auto_reply"), "out of office", "out of office"),
        (count("opt_out"), "opt-out", "opt-outs"),
        (count("complaint"), "spam complaint", "spam complaints"),
    ]
    .into_iter()
    .filter(|(n, ..)| *n > 0)
    .map(|(n, one, many)| crate::text::count(n, one, many))
    .chain(
        [
            ("possible reply", "possible replies", false),
            ("possible opt-out", "possible opt-outs", true),
        ]
        .into_iter()
        .filter_map(|(one, many, opt_out)| {
            let n = messages
                .iter()
                .filter(|m| m.possible && (m.kind == "opt_out") == opt_out)
                .count();
            (n > 0).then(|| format!("{} to confirm (I)", crate::text::count(n, one, many)))
        }),
    )
    .collect();
    if parts.is_empty() {
        "Inbox: nothing new".to_string()
    } else {
        format!("Inbox: {}", parts.join(", "))
    }
}
