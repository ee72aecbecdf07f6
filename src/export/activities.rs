//! `touchbase export activities --format hubspot|salesforce|pipedrive`: the logged touches in
//! the column layout each CRM's own import reads, matched to the contact by email, so the
//! rep's manager sees the week's calls, emails and LinkedIn steps where they look.
//!
//! HubSpot imports one kind of activity per file (contacts plus calls, emails, tasks,
//! meetings or notes), so it gets five files; Salesforce (Data Loader) gets its Task records
//! and, for meetings, Event records; Pipedrive takes one file. Replies and opt-outs travel as
//! notes (see `activities_more`).

use crate::clock::Zone;
use anyhow::{Result, bail};
use chrono::NaiveDateTime;
use clap::ValueEnum;
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
    /// A meeting booked, at its time.
    Meeting,
    /// What the prospect answered: a reply, an opt-out, a spam complaint.
    Note,
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
    /// A meeting's time, on the rep's clock, and in UTC milliseconds.
    pub meeting_at: Option<NaiveDateTime>,
    pub meeting_utc_millis: Option<i64>,
}

/// What the step was for, looked up from the enrollment's sequence version: its purpose and,
/// for LinkedIn, the action.
pub type StepPurpose<'a> = dyn Fn(i64, usize) -> Option<(String, usize, Option<String>)> + 'a;

/// One worked touch as the store keeps it, for [`activity_from`].
#[derive(Debug, Clone, Default)]
pub struct LoggedTouch {
    pub id: i64,
    pub at: NaiveDateTime,
    /// `at` as stored, for the mark of the export.
    pub at_text: String,
    pub channel: String,
    pub outcome: String,
    pub note: String,
    pub subject: Option<String>,
    pub body: Option<String>,
    /// 0-based.
    pub step: i64,
    pub email: Option<String>,
    pub name: String,
    pub sequence: String,
    pub version_id: Option<i64>,
    /// A booked meeting's time.
    pub meeting_at: Option<NaiveDateTime>,
}

/// The activity a CRM gets for one logged touch; `None` for a prospect with no email
/// address to match on.
pub fn activity_from(t: LoggedTouch, zone: Zone, purpose: &StepPurpose) -> Option<Activity> {
    let email = t.email.clone().filter(|e| !e.is_empty())?;
    let about = t
        .version_id
        .and_then(|version| purpose(version, usize::try_from(t.step).unwrap_or(0)));
    let (step, sequence) = (t.step, &t.sequence);
    let context = match &about {
        Some((_, steps, _)) => format!("{sequence}, step {} of {steps}", step + 1),
        None if sequence.is_empty() => String::new(),
        None => format!("{sequence}, step {}", step + 1),
    };
    let (kind, subject, body) = match super::activities_more::answered(&t) {
        Some(found) => found,
        None => titled(&t, about.as_ref()),
    };
    let meeting_at = t.meeting_at.filter(|_| kind == Kind::Meeting);
    Some(Activity {
        meeting_at,
        meeting_utc_millis: meeting_at.map(|m| zone.to_utc(m).timestamp_millis()),
        id: t.id,
        at: t.at,
        at_text: t.at_text,
        utc_millis: zone.to_utc(t.at).timestamp_millis(),
        kind,
        outcome: t.outcome,
        email,
        name: t.name,
        subject,
        body,
        context,
    })
}

/// The kind, title line and body of a touch's activity.
fn titled(
    t: &LoggedTouch,
    about: Option<&(String, usize, Option<String>)>,
) -> (Kind, String, String) {
    let joined = |a: String, b: &str| match (a.is_empty(), b.is_empty()) {
        (_, true) => a,
        (true, false) => b.to_string(),
        (false, false) => format!("{a}\n\n{b}"),
    };
    let body = || joined(t.body.clone().unwrap_or_default(), &t.note);
    match t.channel.as_str() {
        "call" => (
            Kind::Call,
            format!("Call: {}", call_result(&t.outcome)),
            t.note.clone(),
        ),
        "email" => (
            Kind::Email,
            t.subject
                .clone()
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "(no subject)".into()),
            body(),
        ),
        other => {
            let label = if other == "linkedin" {
                "LinkedIn"
            } else {
                other
            };
            let what = match about {
                Some((purpose, _, Some(action))) if purpose != action => {
                    format!("{action} ({purpose})")
                }
                Some((purpose, _, _)) => purpose.clone(),
                None => "step".into(),
            };
            (Kind::Task, format!("{label}: {what}"), body())
        }
    }
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

pub(super) fn row(w: &mut csv::Writer<&mut dyn Write>, cells: &[&str]) -> Result<()> {
    w.write_record(cells.iter().map(|c| super::inert_cell(c)))?;
    Ok(())
}

/// The note with where it came from, for the CRM's record.
pub(super) fn described(a: &Activity) -> String {
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
        Kind::Meeting | Kind::Note => {
            return super::activities_more::hubspot(activities, kind, &mut w);
        }
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
            Kind::Task | Kind::Meeting | Kind::Note => row(
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
    // Meetings are Event records, in a file of their own.
    let tasks: Vec<&Activity> = activities
        .iter()
        .filter(|a| a.kind != Kind::Meeting)
        .collect();
    for a in &tasks {
        let (subtype, call_type, disposition) = match a.kind {
            Kind::Call => ("Call", "Outbound", call_result(&a.outcome)),
            Kind::Email => ("Email", "", ""),
            Kind::Task | Kind::Meeting | Kind::Note => ("Task", "", ""),
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
    Ok(tasks.len())
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
            Kind::Meeting => "Meeting",
            Kind::Task | Kind::Note => "Task",
        };
        // A meeting is on its own day and time, and not done yet when it is to come.
        let at = a.meeting_at.unwrap_or(a.at);
        let done = if a.meeting_at.is_some() { "" } else { "Done" };
        row(
            &mut w,
            &[
                &a.name,
                &a.email,
                &a.subject,
                kind,
                &at.format("%Y-%m-%d").to_string(),
                &at.format("%H:%M").to_string(),
                &described(a),
                done,
            ],
        )?;
    }
    w.flush()?;
    Ok(activities.len())
}

/// `--since`: a day (as every `--since` reads one: `2026-11-02`, `-7`, `fri`), or `last` for
/// the end of the previous export to the same CRM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Since {
    Everything,
    Day(chrono::NaiveDate),
    Last,
}

impl Since {
    pub fn parse(s: Option<&str>, today: chrono::NaiveDate) -> Result<Since> {
        match s.map(str::trim) {
            None => Ok(Since::Everything),
            Some("last") => Ok(Since::Last),
            Some(d) => match crate::domain::when::parse_past_day(d, today) {
                Ok(day) => Ok(Since::Day(day)),
                Err(e) => bail!("--since: {e}, or 'last'"),
            },
        }
    }
}
