//! What a manager looks for first, beside the touches: the meetings booked, and what
//! prospects answered (a reply, an opt-out, a complaint) as notes, in each CRM's layout.

use super::activities::{Activity, Kind, LoggedTouch, described, row};
use anyhow::Result;
use std::io::Write;

/// A record of what the prospect did (not a touch the rep worked): its kind, title and body.
pub(super) fn answered(t: &LoggedTouch) -> Option<(Kind, String, String)> {
    let note = t.note.clone();
    Some(match t.outcome.as_str() {
        "meeting" => (Kind::Meeting, format!("Meeting with {}", t.name), note),
        "replied" => (Kind::Note, format!("{} replied", t.name), note),
        "opted-out" => (
            Kind::Note,
            format!("{} opted out of email: do not contact", t.name),
            note,
        ),
        "complained" => (
            Kind::Note,
            format!("{} marked an email as spam: do not contact", t.name),
            note,
        ),
        _ => return None,
    })
}

/// HubSpot's meetings file (Contacts + Meetings) or notes file (Contacts + Notes).
pub(super) fn hubspot(
    activities: &[Activity],
    kind: Kind,
    w: &mut csv::Writer<&mut dyn Write>,
) -> Result<usize> {
    let meetings = kind == Kind::Meeting;
    let header: &[&str] = if meetings {
        &[
            "Email",
            "hs_timestamp",
            "hs_meeting_title",
            "hs_meeting_body",
            "hs_meeting_start_time",
            "hs_meeting_end_time",
            "hs_meeting_outcome",
        ]
    } else {
        &["Email", "hs_timestamp", "hs_note_body"]
    };
    row(w, header)?;
    let mut n = 0;
    for a in activities.iter().filter(|a| a.kind == kind) {
        let logged = a.utc_millis.to_string();
        if meetings {
            // Without a time, the meeting is shown at the moment it was booked, for 30 minutes.
            let start = a.meeting_utc_millis.unwrap_or(a.utc_millis);
            let end = (start + 30 * 60 * 1000).to_string();
            let start = start.to_string();
            let body = described(a);
            let cells = [
                a.email.as_str(),
                &logged,
                &a.subject,
                &body,
                &start,
                &end,
                "SCHEDULED",
            ];
            row(w, &cells)?;
        } else {
            let body = match described(a) {
                b if b.is_empty() => a.subject.clone(),
                b => format!("{}\n\n{b}", a.subject),
            };
            row(w, &[&a.email, &logged, &body])?;
        }
        n += 1;
    }
    w.flush()?;
    Ok(n)
}

pub const SALESFORCE_EVENT_COLUMNS: &[&str] = &[
    "Who:Contact-Email",
    "Subject",
    "StartDateTime",
    "EndDateTime",
    "Description",
];

/// Salesforce Event records for the meetings booked, for Data Loader's Insert (times in UTC,
/// as Data Loader reads an ISO time with a Z).
pub fn salesforce_events(activities: &[Activity], out: &mut dyn Write) -> Result<usize> {
    let mut w = csv::WriterBuilder::new().from_writer(out);
    row(&mut w, SALESFORCE_EVENT_COLUMNS)?;
    let mut n = 0;
    for a in activities.iter().filter(|a| a.kind == Kind::Meeting) {
        let start = a.meeting_utc_millis.unwrap_or(a.utc_millis);
        let iso = |millis: i64| {
            chrono::DateTime::from_timestamp_millis(millis)
                .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
                .unwrap_or_default()
        };
        let (from, to) = (iso(start), iso(start + 30 * 60 * 1000));
        row(&mut w, &[&a.email, &a.subject, &from, &to, &described(a)])?;
        n += 1;
    }
    w.flush()?;
    Ok(n)
}

/// Data Loader's mapping file for [`salesforce_events`].
pub fn salesforce_event_mapping() -> String {
    SALESFORCE_EVENT_COLUMNS
        .iter()
        .map(|c| {
            let key = c.replace(':', "\\:");
            format!("{key}={key}\n")
        })
        .collect()
}
