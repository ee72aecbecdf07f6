//! What one message is, as a sync considers it: the rep's own sent mail logged as sent,
//! anyone else's classified, dated against the prospect's sequence, and turned into what it
//! asks for (or what the rep is to confirm, or why it is only shown).

use super::whom::by_address;
use super::{Considered, Known};
use crate::desk::Desk;
use crate::desk::happened::{Happened, LogRequest};
use crate::desk::store::queries;
use crate::domain::{Event, Outcome, Prospect};
use crate::inbox::suggest::suggest;
use crate::inbox::{Kind, Mail, classify};
use anyhow::Result;
use chrono::{NaiveDate, NaiveDateTime};

impl Desk {
    /// A message the rep sent: logged as sent when it went to a prospect whose current touch
    /// is a due email with that subject, with the text as it went out.
    pub(super) fn consider_sent(
        &self,
        key: String,
        mail: &Mail,
        now: NaiveDateTime,
    ) -> Result<Considered> {
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
    pub(super) fn consider(
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
