//! `touchbase show`: one prospect, as text or JSON: their fields, sequences, what waits on
//! the rep, the meeting booked, notes and history.

use super::args::ShowArgs;
use crate::desk::{Desk, EnrollmentInfo, enrollment_state};
use crate::domain::Prospect;
use crate::text::sanitize;
use anyhow::Result;
use chrono::NaiveDateTime;
use serde::Serialize;
use std::io::Write;
use std::process::ExitCode;

#[derive(Serialize)]
struct HistoryJson {
    at: String,
    sequence: Option<String>,
    step: Option<usize>,
    channel: Option<String>,
    outcome: String,
    reason: Option<String>,
    note: Option<String>,
    subject: Option<String>,
    body: Option<String>,
    variant: Option<String>,
    attributed_step: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    meeting_at: Option<String>,
}

#[derive(Serialize)]
struct EnrollmentJson {
    id: i64,
    sequence: String,
    status: String,
    step: usize,
    steps: usize,
    due: Option<String>,
    started: String,
    closed_at: Option<String>,
    exit_reason: Option<String>,
    /// The sequence file changed since this enrollment started (it keeps its version).
    older_version: bool,
}

#[derive(Serialize)]
struct ShowJson {
    #[serde(flatten)]
    prospect: Prospect,
    full_name: String,
    status: Option<String>,
    do_not_contact: bool,
    enrollments: Vec<EnrollmentJson>,
    history: Vec<HistoryJson>,
}

pub fn show(desk: &Desk, a: &ShowArgs, now: NaiveDateTime) -> Result<ExitCode> {
    let p = desk.prospect(&a.prospect)?;
    if a.explain {
        explain(desk, &p, a.json, now)?;
        return Ok(ExitCode::SUCCESS);
    }
    let book = Book {
        enrollments: desk.enrollments(p.id)?,
        history: desk.history(p.id)?,
        dnc: desk.do_not_contact_match(&p)?.is_some(),
    };
    if a.json {
        print_json(desk, &p, &book, now)?;
    } else {
        print_text(desk, &p, &book, now)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// What `show` reads of a prospect besides their fields.
struct Book {
    enrollments: Vec<EnrollmentInfo>,
    history: Vec<crate::desk::HistoryLine>,
    dnc: bool,
}

/// `show --explain`: why the current touch is due when it is.
fn explain(desk: &Desk, p: &Prospect, json: bool, now: NaiveDateTime) -> Result<()> {
    let lines = desk.explain(p.id, now)?;
    let mut out = std::io::stdout().lock();
    if json {
        let due = desk
            .open_enrollment(p.id)?
            .and_then(|info| info.enrollment.due)
            .map(|d| d.format("%Y-%m-%dT%H:%M:%S").to_string());
        let json = serde_json::json!({
            "prospect_id": p.id,
            "name": p.full_name(),
            "due": due,
            "explanation": lines,
        });
        crate::text::write_json(&mut out, &json)?;
    } else {
        writeln!(out, "{} (prospect {})", sanitize(&p.full_name()), p.id)?;
        for line in lines {
            writeln!(out, "  {}", sanitize(&line))?;
        }
    }
    Ok(())
}

fn print_json(desk: &Desk, p: &Prospect, book: &Book, now: NaiveDateTime) -> Result<()> {
    let Book {
        enrollments,
        history,
        dnc,
    } = book;
    let (dnc, today) = (*dnc, now.date());
    let older = |i: &EnrollmentInfo| {
        i.enrollment.status.is_open() && desk.runs_older_version(&i.enrollment, &i.sequence_name)
    };
    let ej: Vec<EnrollmentJson> = enrollments
        .iter()
        .map(|i| {
            let e = &i.enrollment;
            EnrollmentJson {
                id: e.id,
                sequence: i.sequence_name.clone(),
                status: e.status_on(today).to_string(),
                step: (e.step + 1).min(i.sequence.plan.steps.len()),
                steps: i.sequence.plan.steps.len(),
                due: e.due.map(|d| d.format("%Y-%m-%dT%H:%M:%S").to_string()),
                started: e.started.to_string(),
                closed_at: e
                    .closed_at
                    .map(|d| d.format("%Y-%m-%dT%H:%M:%S").to_string()),
                exit_reason: e.exit_reason.clone(),
                older_version: older(i),
            }
        })
        .collect();
    let out = ShowJson {
        full_name: p.full_name(),
        prospect: p.clone(),
        status: ej.last().map(|e| e.status.clone()),
        do_not_contact: dnc,
        enrollments: ej,
        history: history
            .iter()
            .map(|line| {
                let h = &line.row;
                HistoryJson {
                    at: h.at.format("%Y-%m-%dT%H:%M:%S").to_string(),
                    sequence: h.sequence.clone(),
                    step: h.step.map(|s| s + 1),
                    channel: h.channel.map(|c| c.to_string()),
                    outcome: h.outcome.to_string(),
                    reason: h.reason.clone(),
                    note: h.note.clone(),
                    subject: h.subject.clone(),
                    body: h.body.clone(),
                    variant: h.variant.clone(),
                    attributed_step: h.attributed_step.map(|s| s + 1),
                    meeting_at: h
                        .meeting_at
                        .map(|m| m.format("%Y-%m-%dT%H:%M:%S").to_string()),
                }
            })
            .collect(),
    };
    let mut stdout = std::io::stdout().lock();
    crate::text::write_json(&mut stdout, &out)?;
    Ok(())
}

fn print_text(desk: &Desk, p: &Prospect, book: &Book, now: NaiveDateTime) -> Result<()> {
    let Book {
        enrollments,
        history,
        dnc,
    } = book;
    let (dnc, today) = (*dnc, now.date());
    let older = |i: &EnrollmentInfo| {
        i.enrollment.status.is_open() && desk.runs_older_version(&i.enrollment, &i.sequence_name)
    };
    let mut out = std::io::stdout().lock();
    let s = |v: &Option<String>| sanitize(v.as_deref().unwrap_or(""));
    writeln!(out, "{} (prospect {})", sanitize(&p.full_name()), p.id)?;
    let role: Vec<String> = [s(&p.title), s(&p.company)]
        .into_iter()
        .filter(|x| !x.is_empty())
        .collect();
    if !role.is_empty() {
        writeln!(out, "  {}", role.join(" · "))?;
    }
    let bad = |flag: bool| if flag { " (bad)" } else { "" };
    for (label, value, flag) in [
        ("email", s(&p.email), bad(p.email_bad)),
        ("phone", s(&p.phone), bad(p.phone_bad)),
        ("linkedin", s(&p.linkedin), ""),
        ("city", s(&p.city), ""),
        ("timezone", s(&p.timezone), ""),
    ] {
        if !value.is_empty() {
            writeln!(out, "  {label:<8} {value}{flag}")?;
        }
    }
    for (k, v) in &p.fields {
        // Custom field names can be long: keep a space between name and value.
        writeln!(out, "  {:<8} {}", sanitize(k), sanitize(v))?;
    }
    if dnc {
        writeln!(out, "  DO NOT CONTACT")?;
    }
    if let Some(r) = p.rest_until.filter(|r| *r > today) {
        writeln!(out, "  resting until {r}")?;
    }
    for i in enrollments {
        let older = if older(i) {
            "; runs an earlier version of the sequence"
        } else {
            ""
        };
        writeln!(
            out,
            "  {}: {} (started {}{older})",
            i.sequence_name,
            sanitize(&enrollment_state(&i.sequence, &i.enrollment, now)),
            i.enrollment.started
        )?;
    }
    // The meetings booked, newest last: when each is, on the rep's clock.
    // The meeting booked now (at its new time if it moved), else the last one logged.
    let meeting = p
        .conversation
        .as_ref()
        .and_then(|c| c.meeting_at)
        .or_else(|| history.iter().filter_map(|l| l.row.meeting_at).next_back())
        .map(|at| desk.rep_zone().local(at));
    let zone: Option<chrono_tz::Tz> = p.timezone.as_deref().and_then(|z| z.parse().ok());
    if let Some(at) = meeting {
        let when = if at >= now { "coming" } else { "past" };
        let theirs = zone
            .map(|z| desk.rep_zone().to_prospect(at, Some(z)))
            .filter(|t| *t != at)
            .map(|t| format!(", {} their time", t.format("%H:%M")))
            .unwrap_or_default();
        writeln!(
            out,
            "  meeting  {} ({when}{theirs})",
            at.format("%a %-d %b %Y %H:%M")
        )?;
    }
    if let Some(c) = &p.conversation {
        let said = c
            .said
            .as_deref()
            .map(|s| format!(": \"{}\"", sanitize(s)))
            .unwrap_or_default();
        writeln!(
            out,
            "  waiting  {} since {}{said}",
            c.task.as_str(),
            c.since.format("%a %-d %b %H:%M")
        )?;
    }
    if !p.notes.trim().is_empty() {
        writeln!(out, "notes:")?;
        for line in p.notes.lines() {
            writeln!(out, "  {}", sanitize(line))?;
        }
    }
    if !history.is_empty() {
        writeln!(out, "history:")?;
    }
    for line in history {
        let h = &line.row;
        let step = h
            .step
            .map(|i| format!("step {}", i + 1))
            .unwrap_or_default();
        let channel = h.channel.map(|c| c.to_string()).unwrap_or_default();
        let meeting = h
            .meeting_at
            .map(|m| format!("for {}", m.format("%a %-d %b %H:%M")));
        let extra = [meeting.as_deref(), h.reason.as_deref(), h.note.as_deref()]
            .into_iter()
            .flatten()
            .map(sanitize)
            .collect::<Vec<_>>()
            .join("; ");
        writeln!(
            out,
            "  {}  {:<8} {:<8} {:<12} {}",
            h.at.format("%Y-%m-%d %H:%M"),
            step,
            channel,
            h.outcome,
            extra
        )?;
    }
    Ok(())
}
