//! An inbox sync: the messages not seen before, classified, matched to prospects by their
//! address, and applied as one undoable action — a reply closes the enrollment as replied, a
//! permanent bounce marks the email bad exactly as `bounced`, an out-of-office notice with a
//! return date pauses until the working day after it, an opt-out goes on the do-not-contact
//! list. Every message is recorded (outside the undo log) so none is applied twice.

mod fetch;
mod possible;

use super::Desk;
use super::happened::{Happened, LogRequest};
use super::log::log_in;
use crate::desk::DeskError;
use crate::desk::store::{Tx, queries};
use crate::domain::{Event, Outcome, Prospect};
use crate::inbox::suggest::suggest;
use crate::inbox::{Kind, Mail, classify};
use anyhow::{Result, anyhow};
use chrono::{NaiveDate, NaiveDateTime};
pub use possible::{Possible, PossibleChoice};
use possible::{book_domains, candidates};
use rusqlite::{Connection, OptionalExtension, params};
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

    /// A message the rep sent: logged as sent when it went to a prospect whose current touch
    /// is a due email with that subject, with the text as it went out.
    fn consider_sent(&self, key: String, mail: &Mail, now: NaiveDateTime) -> Result<Considered> {
        let mut prospect = None;
        for to in &mail.to {
            if let Some(p) = by_address(self.store.conn(), to)? {
                prospect = Some(p);
                break;
            }
        }
        let mut request = None;
        let action = match &prospect {
            None => "not to a prospect".to_string(),
            Some(p) => match self.open_enrollment(p.id)? {
                None => "not in a sequence".to_string(),
                Some(info) => match self.queue_item(info.enrollment.id, now)? {
                    None => "their touch is not due".to_string(),
                    Some(item) if item.channel() != crate::domain::Channel::Email => {
                        "their current touch is not an email".to_string()
                    }
                    Some(item) => {
                        let due =
                            self.render_current(&item.prospect, &item.enrollment, &item.sequence)?;
                        let same = due
                            .subject
                            .as_deref()
                            .is_some_and(|s| s.trim().eq_ignore_ascii_case(mail.subject.trim()));
                        if same {
                            let text = crate::content::Rendered {
                                subject: Some(mail.subject.clone()),
                                body: mail.text.trim().to_string(),
                                voicemail: None,
                                problems: Vec::new(),
                            };
                            let sent = Happened::Worked {
                                outcome: Outcome::Sent,
                                text: Some(text),
                            };
                            let touch = item.enrollment.touch();
                            request = Some(LogRequest::new(p.id, touch, sent));
                            String::new()
                        } else {
                            "another subject than their due email's".to_string()
                        }
                    }
                },
            },
        };
        Ok(Considered {
            key,
            message_id: mail.message_id.clone(),
            date: mail.date,
            from: mail.from.clone(),
            subject: mail.subject.clone(),
            kind: "sent",
            prospect_id: prospect.map(|p| p.id),
            recipient: mail.to.first().cloned(),
            permanent: None,
            return_date: None,
            possible: false,
            candidates: Vec::new(),
            suggested: None,
            read: "whole",
            action,
            snippet: String::new(),
            request,
            applied: false,
            retry: false,
        })
    }

    /// What one message is, whom it is about, and what it asks for.
    fn consider(
        &self,
        key: String,
        mail: &Mail,
        repeated: bool,
        known: &mut Known,
        now: NaiveDateTime,
    ) -> Result<Considered> {
        let kind = classify(mail);
        known.candidates.clear();
        let (prospect, possible) = self.whom(&kind, mail, known)?;
        let candidates = std::mem::take(&mut known.candidates);
        let (recipient, permanent, return_date) = match &kind {
            Kind::Bounce {
                recipient,
                permanent,
                ..
            } => (recipient.clone(), Some(*permanent), None),
            Kind::Complaint { recipient } => (recipient.clone(), None, None),
            Kind::AutoReply { back } => (None, None, back.map(|b| b.day)),
            _ => (None, None, None),
        };
        // Mail older than their sequence is history, never an answer to it; an old request
        // to stop is still theirs to have made: the rep decides.
        let history = match (&prospect, mail.date) {
            (Some(p), Some(date)) => self.written_before(p.id, date)?,
            _ => None,
        };
        let is_opt_out = matches!(kind, Kind::OptOut { .. });
        // Words that may ask to stop, or may not: the rep decides (I in the app).
        let possible = possible
            || matches!(kind, Kind::OptOut { sure: false, .. })
            || (is_opt_out && history.is_some());
        let happened = match &prospect {
            Some(_) if !repeated && !possible && history.is_none() => self.asks_for(&kind, now),
            _ => None,
        };
        let action = match () {
            _ if repeated => "already seen".to_string(),
            _ if possible => to_confirm(prospect.as_ref(), &kind, candidates.len()),
            _ => match (&prospect, history) {
                (Some(_), Some(day)) => format!(
                    "history: written before their sequence began ({})",
                    day.format("%-d %b %Y")
                ),
                _ => shown_only(&kind, prospect.is_some(), happened.is_some()),
            },
        };
        let snippet: String = mail
            .own_text()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let suggested = (kind == Kind::Reply)
            .then(|| {
                let day = mail.date.map_or(now.date(), |d| d.date());
                suggest(&mail.own_text(), mail.from.as_deref(), day)
            })
            .flatten();
        let request = match (happened, &prospect) {
            (Some(happened), Some(p)) => {
                Some(reply_request(p.id, happened, (&kind, &snippet), &suggested))
            }
            _ => None,
        };
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
            possible,
            candidates,
            suggested: suggested.as_ref().map(|s| s.describe()),
            read: "whole",
            action,
            snippet: snippet.chars().take(200).collect(),
            request,
            applied: false,
            retry: false,
        })
    }

    /// The prospect a message is about, and whether that is only a guess (someone else at
    /// their company answering one of their subjects: maybe a reply).
    fn whom(
        &self,
        kind: &Kind,
        mail: &Mail,
        known: &mut Known,
    ) -> Result<(Option<Prospect>, bool)> {
        let about = match kind {
            Kind::Bounce { recipient, .. } | Kind::Complaint { recipient } => recipient.clone(),
            // An answer to a message the rep sent is theirs, from whatever address.
            _ => match self.by_thread(mail, known)? {
                Some(p) => return Ok((Some(p), false)),
                None => mail.from.clone(),
            },
        };
        let prospect = match &about {
            Some(address) => by_address(self.store.conn(), address)?,
            None => None,
        };
        let (Kind::Reply, None, Some(from)) = (kind, &prospect, &mail.from) else {
            return Ok((prospect, false));
        };
        if known.domains.is_none() {
            known.domains = Some(book_domains(self.store.conn())?);
        }
        let domain = from.rsplit_once('@').map_or("", |(_, d)| d);
        if !known.domains.as_ref().is_some_and(|d| d.contains(domain)) {
            return Ok((None, false));
        }
        let people = candidates(self.store.conn(), from, &mail.subject)?;
        known.candidates = people.clone();
        match people.as_slice() {
            [] => Ok((None, false)),
            [one] => Ok((queries::prospect(self.store.conn(), *one)?, true)),
            // Several were sent the subject: the rep says whose it is.
            _ => Ok((None, true)),
        }
    }

    /// The prospect a message answers by its thread: the recipient of a message the rep
    /// sent (seen in the sent folder, in this sync or an earlier one) that it names in
    /// `In-Reply-To` or `References`.
    fn by_thread(&self, mail: &Mail, known: &Known) -> Result<Option<Prospect>> {
        for id in &mail.thread_ids {
            let conn = self.store.conn();
            // An email touchbase sent (its Message-ID on the touch), else one the rep sent
            // that the sent folder showed.
            let sent_here: Option<i64> = conn
                .prepare_cached(
                    "SELECT prospect_id FROM touches WHERE json_extract(extra, '$.i') = ?1 LIMIT 1",
                )?
                .query_row([id], |r| r.get(0))
                .optional()?;
            let found = match (sent_here, known.sent.get(id)) {
                (Some(p), _) | (None, Some(&p)) => Some(p),
                (None, None) => conn
                    .prepare_cached(
                        "SELECT prospect_id FROM inbox_messages WHERE message_id = ?1 \
                         AND kind = 'sent' AND prospect_id IS NOT NULL LIMIT 1",
                    )?
                    .query_row([id], |r| r.get(0))
                    .optional()?,
            };
            if let Some(p) = found {
                return queries::prospect(self.store.conn(), p);
            }
        }
        Ok(None)
    }

    /// When the prospect's newest sequence began (its first touch, else its start), if mail
    /// written at `date` (UTC) came before it: an older message cannot answer it.
    fn written_before(&self, prospect_id: i64, date: NaiveDateTime) -> Result<Option<NaiveDate>> {
        let conn = self.store.conn();
        let Some((e, _)) = queries::enrollments_of(conn, prospect_id)?
            .into_iter()
            .next_back()
        else {
            return Ok(None);
        };
        let first: Option<NaiveDateTime> = conn
            .prepare_cached(
                "SELECT min(at) FROM touches WHERE enrollment_id = ?1 AND is_touch = 1",
            )?
            .query_row([e.id], |r| r.get(0))?;
        let written = self.rep_zone().from_utc(date);
        let began = first.unwrap_or_else(|| e.started.and_time(chrono::NaiveTime::MIN));
        Ok((written < began).then_some(began.date()))
    }

    /// What a message from a prospect asks for: a reply, a bounce of mail that went out
    /// (the last email sent), a pause until the working day after they are back, an opt-out.
    fn asks_for(&self, kind: &Kind, now: NaiveDateTime) -> Option<Happened> {
        match kind {
            Kind::Reply => Some(Happened::from(Event::Replied)),
            Kind::Bounce {
                permanent: true, ..
            } => Some(Happened::Bounced { reported: true }),
            Kind::AutoReply { back: Some(b) } => {
                // Back on a day: that day; away until a day: the working day after it.
                let back = if b.returns_that_day {
                    b.day
                } else {
                    self.config.calendar.add_working_days(b.day, 1)
                };
                (back > now.date()).then_some(Happened::Paused { until: Some(back) })
            }
            Kind::OptOut { sure: true, .. } => Some(Happened::OptedOut),
            Kind::Complaint { .. } => Some(Happened::Complained),
            _ => None,
        }
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

/// What a message asks of the prospect `prospect_id`. A reply's first words are what the
/// rep sees waiting on them, with the kind they suggest.
fn reply_request(
    prospect_id: i64,
    happened: Happened,
    (kind, snippet): (&Kind, &str),
    suggested: &Option<crate::domain::conversation::Suggestion>,
) -> LogRequest {
    let said = (*kind == Kind::Reply).then(|| snippet.chars().take(200).collect::<String>());
    LogRequest {
        note: said.filter(|s| !s.is_empty()),
        suggested: suggested.clone(),
        ..LogRequest::new(prospect_id, None, happened)
    }
}

/// What the sync says of a message the rep is to confirm (`I` in the app).
fn to_confirm(prospect: Option<&Prospect>, kind: &Kind, candidates: usize) -> String {
    match (prospect, kind) {
        (Some(p), Kind::OptOut { phrase, .. }) => format!(
            "possible opt-out for {} (“{phrase}”): I in the app confirms it",
            p.full_name()
        ),
        (Some(p), _) => format!(
            "possible reply for {}: I in the app confirms it",
            p.full_name()
        ),
        (None, _) => format!(
            "possible reply: one of {candidates} people sent this subject, or someone new; I in the app says which"
        ),
    }
}

/// What the sync says of a message it only shows (nothing for one it applies).
fn shown_only(kind: &Kind, from_prospect: bool, applies: bool) -> String {
    match kind {
        Kind::Ignored(why) => format!("ignored: {why}"),
        _ if !from_prospect => "not from a prospect".to_string(),
        Kind::Bounce {
            permanent: false, ..
        } => "shown: delivery delayed".to_string(),
        Kind::AutoReply { .. } if !applies => "shown: out of office, no return date".to_string(),
        _ => String::new(),
    }
}

/// The prospect an address belongs to: their main email, or one of their other addresses
/// when exactly one prospect has it.
fn by_address(conn: &Connection, address: &str) -> Result<Option<crate::domain::Prospect>> {
    if let Some(p) =
        queries::find_prospect(conn, address)?.filter(|p| p.email.as_deref() == Some(address))
    {
        return Ok(Some(p));
    }
    let mut stmt =
        conn.prepare_cached("SELECT prospect_id FROM other_addresses WHERE address = ?1 LIMIT 2")?;
    let ids: Vec<i64> = stmt
        .query_map([address], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    match ids.as_slice() {
        [one] => queries::prospect(conn, *one),
        _ => Ok(None),
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
             prospect_id, recipient, permanent, return_date, snippet, action, seen_at, possible, \
             candidates) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
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
            now,
            m.possible,
            (!m.candidates.is_empty())
                .then(|| serde_json::to_string(&m.candidates).unwrap_or_default()),
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
