//! `touchbase export activities --format hubspot|salesforce|pipedrive`: the logged touches in
//! the column layout each CRM's own import reads, matched to the contact by email, so the
//! rep's manager sees the week's calls, emails and LinkedIn steps where they look.
//!
//! HubSpot imports one kind of activity per file (contacts plus calls, emails or tasks), so it
//! gets three files; Salesforce (Data Loader, Task object) and Pipedrive take one.

use super::cell::neutralise;
use crate::clock::Zone;
use crate::store::message::Unpacker;
use anyhow::{Result, bail};
use chrono::NaiveDateTime;
use clap::ValueEnum;
use rusqlite::Connection;
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Crm {
    Hubspot,
    Salesforce,
    Pipedrive,
}

impl Crm {
    pub fn name(self) -> &'static str {
        match self {
            Crm::Hubspot => "hubspot",
            Crm::Salesforce => "salesforce",
            Crm::Pipedrive => "pipedrive",
        }
    }
}

/// Where the last export to a CRM ended: its newest touch, by the time exactly as stored
/// (with its fraction of a second) and its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub at: String,
    pub id: i64,
}

impl Mark {
    /// The start of `day`: every touch of that day and after.
    pub fn day(day: chrono::NaiveDate) -> Mark {
        Mark {
            at: format!("{day} 00:00:00"),
            id: 0,
        }
    }

    pub fn to_setting(&self) -> String {
        format!("{}|{}", self.at, self.id)
    }

    pub fn from_setting(s: &str) -> Option<Mark> {
        let (at, id) = s.rsplit_once('|')?;
        Some(Mark {
            at: at.to_string(),
            id: id.parse().ok()?,
        })
    }

    /// The mark's time, to the minute, for messages.
    pub fn shown(&self) -> String {
        self.at.get(..16).unwrap_or(&self.at).to_string()
    }
}

/// The settings key of the last export to `crm`.
pub fn mark_key(crm: Crm) -> String {
    format!("activities_exported.{}", crm.name())
}

/// The kind of activity a touch becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Call,
    Email,
    /// A LinkedIn step (or anything else done by hand): a completed task.
    Task,
}

/// One logged touch, ready to be written in any layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    pub id: i64,
    pub at: NaiveDateTime,
    /// `at` as stored, for the mark of the export.
    pub at_text: String,
    pub utc_millis: i64,
    pub kind: Kind,
    pub outcome: String,
    pub email: String,
    pub name: String,
    /// The title line: the email's subject, "Call: Left voicemail", "LinkedIn: connect …".
    pub subject: String,
    /// The email's body, the call's note, the LinkedIn message.
    pub body: String,
    /// "cold-7, step 3 of 7", for the record's notes.
    pub context: String,
}

/// What the step was for, looked up from the enrollment's sequence version: its purpose and,
/// for LinkedIn, the action.
pub type StepPurpose<'a> = dyn Fn(i64, usize) -> Option<(String, usize, Option<String>)> + 'a;

/// The logged touches after `since` (every one when `None`), oldest first, with how many were
/// left out for having no email address to match on.
pub fn read(
    conn: &Connection,
    since: Option<&Mark>,
    zone: Zone,
    purpose: &StepPurpose,
) -> Result<(Vec<Activity>, usize)> {
    let mut stmt = conn.prepare(
        "SELECT t.id, t.at, t.channel, t.outcome, t.note, t.message, t.step, p.email, \
         trim(p.first_name || ' ' || p.last_name), e.sequence, e.version_id, CAST(t.at AS TEXT) \
         FROM touches t JOIN prospects p ON p.id = t.prospect_id \
         LEFT JOIN enrollments e ON e.id = t.enrollment_id \
         WHERE t.is_touch = 1 AND t.outcome <> 'skipped' \
           AND (t.at > ?1 OR (t.at = ?1 AND t.id > ?2)) \
         ORDER BY t.at, t.id",
    )?;
    let (from, after) = since.map_or((String::new(), 0), |m| (m.at.clone(), m.id));
    let mut rows = stmt.query(rusqlite::params![from, after])?;
    let mut unpacker = Unpacker::new(conn);
    let (mut out, mut no_email) = (Vec::new(), 0);
    while let Some(r) = rows.next()? {
        let Some(email) = r.get::<_, Option<String>>(7)?.filter(|e| !e.is_empty()) else {
            no_email += 1;
            continue;
        };
        let at: NaiveDateTime = r.get(1)?;
        let channel: String = r.get::<_, Option<String>>(2)?.unwrap_or_default();
        let outcome: String = r.get(3)?;
        let note = r.get::<_, Option<String>>(4)?.unwrap_or_default();
        let packed: Option<Vec<u8>> = r.get(5)?;
        let message = unpacker.unpack(packed.as_deref())?;
        let step = r.get::<_, Option<i64>>(6)?.unwrap_or(0);
        let sequence = r.get::<_, Option<String>>(9)?.unwrap_or_default();
        let about = match r.get::<_, Option<i64>>(10)? {
            Some(version) => purpose(version, usize::try_from(step).unwrap_or(0)),
            None => None,
        };
        let context = match &about {
            Some((_, steps, _)) => format!("{sequence}, step {} of {steps}", step + 1),
            None if sequence.is_empty() => String::new(),
            None => format!("{sequence}, step {}", step + 1),
        };
        let joined = |a: String, b: &str| match (a.is_empty(), b.is_empty()) {
            (_, true) => a,
            (true, false) => b.to_string(),
            (false, false) => format!("{a}\n\n{b}"),
        };
        let (kind, subject, body) = match channel.as_str() {
            "call" => (
                Kind::Call,
                format!("Call: {}", call_result(&outcome)),
                note.clone(),
            ),
            "email" => (
                Kind::Email,
                message
                    .subject
                    .clone()
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| "(no subject)".into()),
                joined(message.body.clone().unwrap_or_default(), &note),
            ),
            other => {
                let label = if other == "linkedin" {
                    "LinkedIn"
                } else {
                    other
                };
                let what = match &about {
                    Some((purpose, _, Some(action))) if purpose != action => {
                        format!("{action} ({purpose})")
                    }
                    Some((purpose, _, _)) => purpose.clone(),
                    None => "step".into(),
                };
                (
                    Kind::Task,
                    format!("{label}: {what}"),
                    joined(message.body.clone().unwrap_or_default(), &note),
                )
            }
        };
        out.push(Activity {
            id: r.get(0)?,
            at,
            at_text: r.get(11)?,
            utc_millis: zone.to_utc(at).timestamp_millis(),
            kind,
            outcome,
            email,
            name: r.get(8)?,
            subject,
            body,
            context,
        });
    }
    Ok((out, no_email))
}

/// A call's outcome as CRMs word it.
fn call_result(outcome: &str) -> &str {
    match outcome {
        "connected" => "Connected",
        "gatekeeper" => "Left live message",
        "voicemail" => "Left voicemail",
        "no-answer" => "No answer",
        "wrong-number" => "Wrong number",
        other => other,
    }
}

fn row(w: &mut csv::Writer<&mut dyn Write>, cells: &[&str]) -> Result<()> {
    w.write_record(cells.iter().map(|c| neutralise(c).into_owned()))?;
    Ok(())
}

/// The note with where it came from, for the CRM's record.
fn described(a: &Activity) -> String {
    match (a.body.is_empty(), a.context.is_empty()) {
        (true, true) => String::new(),
        (true, false) => format!("touchbase: {}", a.context),
        (false, true) => a.body.clone(),
        (false, false) => format!("{}\n\n(touchbase: {})", a.body, a.context),
    }
}

/// HubSpot's three files: each a "Contacts + one activity" import, matched on `Email`, with the
/// activity's internal property names as headers.
pub fn hubspot(activities: &[Activity], kind: Kind, out: &mut dyn Write) -> Result<usize> {
    let mut w = csv::WriterBuilder::new().from_writer(out);
    let header: &[&str] = match kind {
        Kind::Call => &[
            "Email",
            "hs_timestamp",
            "hs_call_title",
            "hs_call_body",
            "hs_call_direction",
            "hs_call_disposition",
            "hs_call_status",
        ],
        Kind::Email => &[
            "Email",
            "hs_timestamp",
            "hs_email_subject",
            "hs_email_text",
            "hs_email_direction",
            "hs_email_status",
        ],
        Kind::Task => &[
            "Email",
            "hs_timestamp",
            "hs_task_subject",
            "hs_task_body",
            "hs_task_type",
            "hs_task_status",
        ],
    };
    row(&mut w, header)?;
    let mut n = 0;
    for a in activities.iter().filter(|a| a.kind == kind) {
        let millis = a.utc_millis.to_string();
        let body = described(a);
        match kind {
            Kind::Call => row(
                &mut w,
                &[
                    &a.email,
                    &millis,
                    &a.subject,
                    &body,
                    "OUTBOUND",
                    call_result(&a.outcome),
                    "COMPLETED",
                ],
            )?,
            Kind::Email => {
                let status = if a.outcome == "bounced" {
                    "BOUNCED"
                } else {
                    "SENT"
                };
                row(
                    &mut w,
                    &[&a.email, &millis, &a.subject, &body, "EMAIL", status],
                )?
            }
            Kind::Task => row(
                &mut w,
                &[&a.email, &millis, &a.subject, &body, "TODO", "COMPLETED"],
            )?,
        }
        n += 1;
    }
    w.flush()?;
    Ok(n)
}

/// Salesforce Task records for Data Loader's Insert, related to the contact through
/// `Who:Contact-Email`. `ActivityDate` holds no time of day, so the time leads the comments.
pub fn salesforce(activities: &[Activity], zone_name: &str, out: &mut dyn Write) -> Result<usize> {
    let mut w = csv::WriterBuilder::new().from_writer(out);
    row(&mut w, SALESFORCE_COLUMNS)?;
    for a in activities {
        let (subtype, call_type, disposition) = match a.kind {
            Kind::Call => ("Call", "Outbound", call_result(&a.outcome)),
            Kind::Email => ("Email", "", ""),
            Kind::Task => ("Task", "", ""),
        };
        let when = format!("Time: {} ({zone_name})", a.at.format("%Y-%m-%d %H:%M"));
        let body = described(a);
        let description = if body.is_empty() {
            when
        } else {
            format!("{when}\n{body}")
        };
        row(
            &mut w,
            &[
                &a.email,
                &a.subject,
                &a.at.format("%Y-%m-%d").to_string(),
                "Completed",
                "Normal",
                &description,
                subtype,
                call_type,
                disposition,
            ],
        )?;
    }
    w.flush()?;
    Ok(activities.len())
}

pub const SALESFORCE_COLUMNS: &[&str] = &[
    "Who:Contact-Email",
    "Subject",
    "ActivityDate",
    "Status",
    "Priority",
    "Description",
    "TaskSubtype",
    "CallType",
    "CallDisposition",
];

/// Data Loader's mapping file for [`salesforce`]'s columns ("Choose an Existing Map").
pub fn salesforce_mapping() -> String {
    SALESFORCE_COLUMNS
        .iter()
        .map(|c| {
            let key = c.replace(':', "\\:");
            format!("{key}={key}\n")
        })
        .collect()
}

/// Pipedrive's spreadsheet import: a person (name and email, merged into the existing one) and
/// a done activity per row.
pub fn pipedrive(activities: &[Activity], out: &mut dyn Write) -> Result<usize> {
    let mut w = csv::WriterBuilder::new().from_writer(out);
    row(
        &mut w,
        &[
            "Person - Name",
            "Person - Email",
            "Activity - Subject",
            "Activity - Type",
            "Activity - Due date",
            "Activity - Due time",
            "Activity - Note",
            "Activity - Done",
        ],
    )?;
    for a in activities {
        let kind = match a.kind {
            Kind::Call => "Call",
            Kind::Email => "Email",
            Kind::Task => "Task",
        };
        row(
            &mut w,
            &[
                &a.name,
                &a.email,
                &a.subject,
                kind,
                &a.at.format("%Y-%m-%d").to_string(),
                &a.at.format("%H:%M").to_string(),
                &described(a),
                "Done",
            ],
        )?;
    }
    w.flush()?;
    Ok(activities.len())
}

/// `--since`: a date, or `last` for the end of the previous export to the same CRM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Since {
    Everything,
    Day(chrono::NaiveDate),
    Last,
}

impl Since {
    pub fn parse(s: Option<&str>) -> Result<Since> {
        match s.map(str::trim) {
            None => Ok(Since::Everything),
            Some("last") => Ok(Since::Last),
            Some(d) => match d.parse::<chrono::NaiveDate>() {
                Ok(day) => Ok(Since::Day(day)),
                Err(_) => bail!("--since: '{d}' is neither a date (YYYY-MM-DD) nor 'last'"),
            },
        }
    }
}
