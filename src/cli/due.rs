//! `touchbase due`: the queue as text or JSON.

use super::args::DueArgs;
use crate::desk::{Desk, QueueItem, TaskItem, day_label};
use crate::domain::windows::WindowStatus;
use crate::text::{fit, sanitize};
use anyhow::Result;
use chrono::NaiveDateTime;
use serde::Serialize;
use std::io::Write;
use std::process::ExitCode;

#[derive(Serialize)]
struct DueJson {
    /// `touch`: a sequence step.
    task: &'static str,
    prospect_id: i64,
    name: String,
    email: Option<String>,
    phone: Option<String>,
    company: Option<String>,
    sequence: String,
    step: usize,
    steps: usize,
    channel: String,
    action: Option<String>,
    purpose: String,
    due: String,
    overdue_days: i64,
    subject: Option<String>,
    body: String,
    voicemail: Option<String>,
    ready: bool,
    problems: Vec<String>,
    /// The prospect's local time now (HH:MM), when their time zone is known.
    local_time: Option<String>,
    /// The channel's good window in the prospect's day, and whether it is open now.
    window: Option<String>,
    in_window: bool,
    /// A call or text outside the person's hours: minutes until they are callable.
    #[serde(skip_serializing_if = "Option::is_none")]
    callable_in_minutes: Option<i64>,
}

/// A conversation waiting on the rep: `reply`, `nudge` or `meeting`.
#[derive(Serialize)]
struct TaskJson {
    task: &'static str,
    prospect_id: i64,
    name: String,
    email: Option<String>,
    phone: Option<String>,
    company: Option<String>,
    due: String,
    /// What they said: the inbox's snippet or the call note.
    said: Option<String>,
    kind: Option<String>,
    /// When the meeting is, in UTC (`2026-12-04T19:00:00Z`), and on the rep's clock.
    meeting_at: Option<String>,
    meeting_local: Option<String>,
}

/// One element of `due --json`: a touch or a task.
#[derive(Serialize)]
#[serde(untagged)]
enum DueRow {
    Touch(Box<DueJson>),
    Task(Box<TaskJson>),
}

pub fn due(desk: &Desk, a: &DueArgs, now: NaiveDateTime) -> Result<ExitCode> {
    if a.json {
        let items = desk.queue(now)?;
        let tasks = desk.tasks(now)?;
        // Tasks come right after new inbound leads' first touches.
        let leads = items.iter().take_while(|i| i.is_speed_to_lead()).count();
        let mut out = Vec::with_capacity(items.len() + tasks.len());
        for (i, item) in items.iter().enumerate() {
            if i == leads {
                out.extend(tasks.iter().map(|t| DueRow::Task(Box::new(task_json(t)))));
            }
            out.push(DueRow::Touch(Box::new(to_json(desk, item)?)));
        }
        if leads == items.len() {
            out.extend(tasks.iter().map(|t| DueRow::Task(Box::new(task_json(t)))));
        }
        let mut stdout = std::io::stdout().lock();
        crate::text::write_json(&mut stdout, &out)?;
        return Ok(ExitCode::SUCCESS);
    }
    print_queue(desk, now)?;
    Ok(ExitCode::SUCCESS)
}

fn task_json(t: &TaskItem) -> TaskJson {
    let p = &t.prospect;
    let c = &t.conversation;
    let moment = |at: NaiveDateTime| at.format("%Y-%m-%dT%H:%M:%S").to_string();
    TaskJson {
        task: t.task(),
        prospect_id: p.id,
        name: p.full_name(),
        email: p.email.clone(),
        phone: p.phone.clone(),
        company: p.company.clone(),
        due: c.due.date().to_string(),
        said: c.said.clone(),
        kind: c.kind.clone(),
        meeting_at: c
            .meeting_at
            .as_ref()
            .map(crate::domain::conversation::utc::text),
        meeting_local: t.meeting_local.map(moment),
    }
}

/// A task as a line of the text queue.
fn task_line(t: &TaskItem) -> String {
    let c = &t.conversation;
    let what = match (c.task, t.meeting_local) {
        (crate::domain::conversation::Task::Meeting, Some(at)) => {
            format!("meeting at {}", at.format("%H:%M"))
        }
        _ => c
            .said
            .as_deref()
            .map(|s| format!("\"{}\"", sanitize(s)))
            .unwrap_or_default(),
    };
    let line = format!(
        "{:>5}  {:<8} {} {}  {}",
        t.prospect.id,
        t.task(),
        fit(&sanitize(&t.prospect.full_name()), 20),
        fit(&sanitize(t.prospect.company.as_deref().unwrap_or("")), 16),
        fit(&what, 60)
    );
    line.trim_end().to_string()
}

fn to_json(desk: &Desk, item: &QueueItem) -> Result<DueJson> {
    let r = desk.render_current(&item.prospect, &item.enrollment, &item.sequence)?;
    let step = item.step();
    let due = item.enrollment.due.unwrap_or_default();
    // Day-level dues print as a date; an inbound "due at this minute" keeps its time.
    let due = if due.time() == chrono::NaiveTime::MIN {
        due.date().to_string()
    } else {
        due.format("%Y-%m-%dT%H:%M:%S").to_string()
    };
    Ok(DueJson {
        task: "touch",
        prospect_id: item.prospect.id,
        name: item.prospect.full_name(),
        email: item.prospect.email.clone(),
        phone: item.prospect.phone.clone(),
        company: item.prospect.company.clone(),
        sequence: item.sequence_name.clone(),
        step: item.enrollment.step + 1,
        steps: item.steps(),
        channel: item.channel().to_string(),
        action: step.and_then(|s| s.action).map(|a| a.to_string()),
        purpose: step.map(|s| s.purpose.clone()).unwrap_or_default(),
        due,
        overdue_days: item.overdue_days,
        ready: r.ready(),
        subject: r.subject,
        body: r.body,
        voicemail: r.voicemail,
        problems: r.problems,
        local_time: item.local_now.map(|t| t.format("%H:%M").to_string()),
        window: item.window.as_ref().map(|(w, _)| w.label()),
        in_window: matches!(item.window, Some((_, WindowStatus::Now))),
        callable_in_minutes: item.callable_in().filter(|m| *m > 0),
    })
}

/// "  (callable 09:00–11:30 their time, in 7 h)" for a call outside the person's hours.
fn callable_note(item: &QueueItem) -> String {
    match (item.callable_in().filter(|m| *m > 0), &item.window) {
        (Some(m), Some((w, _))) => format!(
            "  (callable {} their time, {})",
            w.label(),
            crate::domain::windows::wait_in_words(m)
        ),
        _ => String::new(),
    }
}

/// The queue as aligned text, one touch a line.
pub fn print_queue(desk: &Desk, now: NaiveDateTime) -> Result<()> {
    let items = desk.queue(now)?;
    let tasks = desk.tasks(now)?;
    let mut out = std::io::stdout().lock();
    let overdue = items.iter().filter(|i| i.overdue_days > 0).count();
    let waiting = match tasks.len() {
        0 => String::new(),
        n => format!(
            ", {} waiting on you",
            crate::text::count(n, "conversation", "conversations")
        ),
    };
    writeln!(
        out,
        "{} — {} due, {} overdue{waiting}",
        now.format("%a %-d %b %Y"),
        items.len(),
        overdue
    )?;
    let leads = items.iter().take_while(|i| i.is_speed_to_lead()).count();
    for (i, item) in items.iter().enumerate() {
        // Conversations come right after new inbound leads' first touches.
        if i == leads {
            for t in &tasks {
                writeln!(out, "{}", task_line(t))?;
            }
        }
        let r = desk.render_current(&item.prospect, &item.enrollment, &item.sequence)?;
        let when = if item.overdue_days > 0 {
            format!("{}d late", item.overdue_days)
        } else {
            match item.enrollment.due {
                Some(d) if d.time() != chrono::NaiveTime::MIN => d.format("%H:%M").to_string(),
                Some(d) => day_label(d.date(), now.date()),
                None => String::new(),
            }
        };
        let step = item.step();
        writeln!(
            out,
            "{:>5}  {:<8} {} {} {} {:>5}  {}{}{}",
            item.prospect.id,
            when,
            fit(
                &format!(
                    "{} {}",
                    item.channel(),
                    step.and_then(|s| s.action)
                        .map(|a| a.as_str())
                        .unwrap_or("")
                ),
                16
            ),
            fit(&sanitize(&item.prospect.full_name()), 20),
            fit(
                &sanitize(item.prospect.company.as_deref().unwrap_or("")),
                16
            ),
            format!("{}/{}", item.enrollment.step + 1, item.steps()),
            step.map(|s| s.purpose.as_str()).unwrap_or(""),
            callable_note(item),
            if r.ready() {
                String::new()
            } else {
                format!("  NOT READY: {}", r.problems.join("; "))
            }
        )?;
    }
    if leads == items.len() {
        for t in &tasks {
            writeln!(out, "{}", task_line(t))?;
        }
    }
    Ok(())
}
