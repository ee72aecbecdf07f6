//! `add`, `import`, `enroll`, `log`, `undo` and `show`.

use super::args::{AddArgs, EnrollArgs, ImportArgs, LogArgs, ShowArgs};
use super::parse_date;
use crate::desk::{day_label, step_label, Desk, EnrollRequest};
use crate::domain::prospect::snake_case;
use crate::domain::{Event, Outcome, Prospect, Status};
use crate::import::{self, ImportOptions};
use crate::store::queries;
use crate::text::sanitize;
use anyhow::{anyhow, bail, Result};
use chrono::NaiveDateTime;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

pub fn add(desk: &mut Desk, a: &AddArgs, now: NaiveDateTime) -> Result<ExitCode> {
    let mut fields = BTreeMap::new();
    for f in &a.fields {
        let (k, v) = f
            .split_once('=')
            .ok_or_else(|| anyhow!("--field '{f}': expected KEY=VALUE"))?;
        let key = snake_case(k);
        if key.is_empty() {
            bail!("--field '{f}': the key is empty");
        }
        fields.insert(key, v.trim().to_string());
    }
    if let Some(tz) = &a.timezone {
        if tz.parse::<chrono_tz::Tz>().is_err() {
            bail!("--timezone: '{tz}' is not a time zone (like America/Chicago)");
        }
    }
    let p = Prospect {
        first_name: a.first.trim().to_string(),
        last_name: a.last.trim().to_string(),
        email: a.email.clone(),
        phone: a.phone.clone(),
        linkedin: a.linkedin.clone(),
        company: a.company.clone(),
        title: a.title.clone(),
        city: a.city.clone(),
        timezone: a.timezone.clone(),
        fields,
        ..Prospect::default()
    };
    let enroll = match &a.sequence {
        Some(s) => Some(EnrollRequest {
            sequence: s.clone(),
            start: a
                .start
                .as_deref()
                .map(|d| parse_date(d, "--start"))
                .transpose()?,
            force: false,
        }),
        None => None,
    };
    let out = desk.add(p, enroll, now)?;
    println!("{}", out.message);
    Ok(ExitCode::SUCCESS)
}

pub fn import(desk: &mut Desk, a: &ImportArgs, now: NaiveDateTime) -> Result<ExitCode> {
    let opts = ImportOptions {
        sequence: a.sequence.clone(),
        start: a
            .start
            .as_deref()
            .map(|d| parse_date(d, "--start"))
            .transpose()?,
        per_day: a.per_day,
        dry_run: a.dry_run,
        // Drawn only on large files, and only when stderr is a terminal.
        progress: true,
    };
    if opts.per_day == Some(0) {
        bail!("--per-day must be at least 1");
    }
    let report = import::run(desk, &a.file, &opts, now)?;
    println!("{report}");
    Ok(ExitCode::SUCCESS)
}

pub fn enroll(desk: &mut Desk, a: &EnrollArgs, now: NaiveDateTime) -> Result<ExitCode> {
    let req = EnrollRequest {
        sequence: a.sequence.clone(),
        start: a
            .start
            .as_deref()
            .map(|d| parse_date(d, "--start"))
            .transpose()?,
        force: a.force,
    };
    println!("{}", desk.enroll(&a.prospect, &req, now)?);
    Ok(ExitCode::SUCCESS)
}

pub fn log(desk: &mut Desk, a: &LogArgs, now: NaiveDateTime) -> Result<ExitCode> {
    let outcome: Outcome = a.outcome.parse().map_err(|e: String| anyhow!(e))?;
    let until = a
        .until
        .as_deref()
        .map(|d| parse_date(d, "--until"))
        .transpose()?;
    let event = Event::from_outcome(outcome, a.reason.clone(), until)?;
    let p = desk.prospect(&a.prospect)?;
    let gaps = match &event {
        Event::Work(_) => not_ready(desk, &p)?,
        _ => None,
    };
    let logged = desk.log(p.id, event, a.note.clone(), None, now)?;
    println!("{}", logged.message);
    if let Some(problems) = gaps {
        // The rep sent something by hand; the saved copy shows where the template fell short.
        eprintln!(
            "warning: the template was not ready ({problems}); the saved text shows the gaps"
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The problems of the prospect's current touch, if it is not ready.
fn not_ready(desk: &Desk, p: &Prospect) -> Result<Option<String>> {
    let Some((e, _)) = queries::open_enrollment(desk.store.conn(), p.id)? else {
        return Ok(None);
    };
    let seq = desk.store.version(e.version_id)?;
    let r = desk.render_current(p, &e, &seq)?;
    Ok((!r.ready()).then(|| r.problems.join("; ")))
}

pub fn undo(desk: &mut Desk, now: NaiveDateTime) -> Result<ExitCode> {
    println!("{}", desk.undo(now)?);
    Ok(ExitCode::SUCCESS)
}

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
        let mut out = std::io::stdout().lock();
        writeln!(out, "{} (prospect {})", sanitize(&p.full_name()), p.id)?;
        for line in desk.explain(p.id)? {
            writeln!(out, "  {line}")?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let conn = desk.store.conn();
    let enrollments = queries::enrollments_of(conn, p.id)?;
    let history = queries::history(conn, p.id)?;
    let dnc = queries::do_not_contact_match(conn, &p)?.is_some();
    let mut ej = Vec::new();
    for (e, name) in &enrollments {
        let seq = desk.store.version(e.version_id)?;
        ej.push(EnrollmentJson {
            id: e.id,
            sequence: name.clone(),
            status: effective_status(e.status, e.resume_on, now).to_string(),
            step: (e.step + 1).min(seq.plan.steps.len()),
            steps: seq.plan.steps.len(),
            due: e.due.map(|d| d.format("%Y-%m-%dT%H:%M:%S").to_string()),
            started: e.started.to_string(),
            closed_at: e
                .closed_at
                .map(|d| d.format("%Y-%m-%dT%H:%M:%S").to_string()),
            exit_reason: e.exit_reason.clone(),
            older_version: e.status.is_open() && desk.runs_older_version(e, name),
        });
    }
    let status = ej.last().map(|e| e.status.clone());
    if a.json {
        let out = ShowJson {
            full_name: p.full_name(),
            prospect: p.clone(),
            status,
            do_not_contact: dnc,
            enrollments: ej,
            history: history
                .iter()
                .map(|h| HistoryJson {
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
                })
                .collect(),
        };
        let mut stdout = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut stdout, &out)?;
        writeln!(stdout)?;
        return Ok(ExitCode::SUCCESS);
    }
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
    if let Some(r) = p.rest_until.filter(|r| *r > now.date()) {
        writeln!(out, "  resting until {r}")?;
    }
    for (e, name) in &enrollments {
        let seq = desk.store.version(e.version_id)?;
        let status = effective_status(e.status, e.resume_on, now);
        let due = match (status, e.due) {
            (Status::Active, Some(d)) => {
                format!(
                    ", {} due {}",
                    step_label(&seq, e.step),
                    day_label(d.date(), now.date())
                )
            }
            _ => String::new(),
        };
        let older = if e.status.is_open() && desk.runs_older_version(e, name) {
            "; runs an earlier version of the sequence"
        } else {
            ""
        };
        writeln!(
            out,
            "  {name}: {status}{due} (started {}{older})",
            e.started
        )?;
    }
    if !history.is_empty() {
        writeln!(out, "history:")?;
    }
    for h in &history {
        let step = h
            .step
            .map(|i| format!("step {}", i + 1))
            .unwrap_or_default();
        let channel = h.channel.map(|c| c.to_string()).unwrap_or_default();
        let extra = [h.reason.as_deref(), h.note.as_deref()]
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
    Ok(ExitCode::SUCCESS)
}

/// A pause whose return date has come is active again.
fn effective_status(
    status: Status,
    resume_on: Option<chrono::NaiveDate>,
    now: NaiveDateTime,
) -> Status {
    match (status, resume_on) {
        (Status::Paused, Some(back)) if back <= now.date() => Status::Active,
        (s, _) => s,
    }
}
