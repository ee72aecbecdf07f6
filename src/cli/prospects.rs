//! `add`, `import`, `enroll`, `log`, `undo` and `show`.

use super::args::{AddArgs, EnrollArgs, ImportArgs, LogArgs, ShowArgs};
use super::parse_date;
use crate::content::Rendered;
use crate::content::render::from_file_text;
use crate::desk::{
    Desk, DeskError, EnrollRequest, EnrollmentInfo, Happened, LogRequest, Refused, ReplyDetails,
    enrollment_state, parse_referral,
};
use crate::domain::prospect::snake_case;
use crate::domain::{Outcome, Prospect};
use crate::import::ImportOptions;
use crate::text::sanitize;
use anyhow::{Context, Result, anyhow, bail};
use chrono::NaiveDateTime;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Read;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// `--field KEY=VALUE` arguments as custom fields: keys in snake_case, values trimmed (an
/// empty value is kept, so `edit` can read it as "remove this field").
fn parse_fields(args: &[String], shape_hint: &str) -> Result<BTreeMap<String, String>> {
    let mut fields = BTreeMap::new();
    for f in args {
        let (k, v) = f
            .split_once('=')
            .ok_or_else(|| anyhow!("--field '{f}': {shape_hint}"))?;
        let key = snake_case(k);
        if key.is_empty() {
            bail!("--field '{f}': the key is empty");
        }
        fields.insert(key, v.trim().to_string());
    }
    Ok(fields)
}

pub fn edit(desk: &mut Desk, a: &super::args::EditArgs, now: NaiveDateTime) -> Result<ExitCode> {
    let fields = parse_fields(&a.fields, "expected KEY=VALUE (KEY= removes it)")?;
    let change = crate::desk::ProspectEdit {
        set: a.set.values.clone(),
        fields,
        note: a.note.clone(),
    };
    say(&desk.edit(&a.prospect, &change, now)?);
    Ok(ExitCode::SUCCESS)
}

pub fn add(desk: &mut Desk, a: &AddArgs, now: NaiveDateTime) -> Result<ExitCode> {
    let fields = parse_fields(&a.fields, "expected KEY=VALUE")?;
    let new = crate::desk::ProspectEdit {
        set: a.set.values.clone(),
        fields,
        note: None,
    };
    if !new.set.contains_key(&crate::domain::Field::FirstName) {
        bail!("a prospect needs a first name (--first)");
    }
    let p = new.apply(Prospect::default(), now)?;
    let enroll = match &a.sequence {
        Some(s) => Some(EnrollRequest {
            sequence: s.clone(),
            start: a
                .start
                .as_deref()
                .map(|d| parse_date(d, "--start", now.date()))
                .transpose()?,
            force: false,
        }),
        None => None,
    };
    let out = desk.add(p, enroll, now)?;
    say(&out.message);
    Ok(ExitCode::SUCCESS)
}

pub fn import(desk: &mut Desk, a: &ImportArgs, now: NaiveDateTime) -> Result<ExitCode> {
    let opts = ImportOptions {
        sequence: a.sequence.clone(),
        start: a
            .start
            .as_deref()
            .map(|d| parse_date(d, "--start", now.date()))
            .transpose()?,
        per_day: a.per_day,
        dry_run: a.dry_run,
        skip_bad: a.skip_bad.is_some(),
        // Drawn only on large files, and only when stderr is a terminal.
        progress: true,
    };
    if opts.per_day == Some(0) {
        bail!("--per-day must be at least 1");
    }
    // The bad rows go to a new file: one that exists is somebody's work.
    if let Some(out) = a.skip_bad.as_ref().filter(|p| p.exists()) {
        bail!(
            "{} exists: --skip-bad writes a new file (name another, or move that one)",
            out.display()
        );
    }
    let report = match desk.import(&a.file, &opts, now) {
        Ok(report) => report,
        // Each bad row on a line of its own, then the one error line.
        Err(DeskError::BadRows(bad)) => {
            for line in &bad.located {
                eprintln!("{}", crate::text::sanitize(line));
            }
            return Err(bad.into());
        }
        Err(e) => return Err(e.into()),
    };
    say(&report.to_string());
    if let (Some(out), false) = (&a.skip_bad, report.bad.is_empty()) {
        let n = report.bad.len();
        if a.dry_run {
            say(&format!("Would write {n} bad rows to {}.", out.display()));
        } else {
            let text = crate::import::bad_rows_csv(&report.headers, &report.bad)?;
            crate::paths::write_private_file(out, &text)
                .with_context(|| format!("writing the bad rows to {}", out.display()))?;
            say(&format!(
                "Wrote {n} bad rows to {} with the reason for each: fix them there and import that file.",
                out.display()
            ));
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn enroll(desk: &mut Desk, a: &EnrollArgs, now: NaiveDateTime) -> Result<ExitCode> {
    let req = EnrollRequest {
        sequence: a.sequence.clone(),
        start: a
            .start
            .as_deref()
            .map(|d| parse_date(d, "--start", now.date()))
            .transpose()?,
        force: a.force,
    };
    let date = |v: &Option<String>, what| {
        v.as_deref()
            .map(|d| parse_date(d, what, now.date()))
            .transpose()
    };
    let terms = crate::domain::Terms {
        decision_on: date(&a.decision, "--decision")?,
        until: date(&a.until, "--until")?,
    };
    // Long past: most likely a typo for this year.
    let long_ago = now.date() - chrono::Days::new(180);
    for (what, day) in [("--start", req.start), ("--decision", terms.decision_on)] {
        if let Some(day) = day.filter(|d| *d < long_ago) {
            super::warn(format!(
                "{what} {day} is more than six months ago; the steps before today are due at once"
            ));
        }
    }
    say(&desk.enroll_on_terms(&a.prospect, &req, terms, now)?);
    Ok(ExitCode::SUCCESS)
}

pub fn log(desk: &mut Desk, a: &LogArgs, now: NaiveDateTime) -> Result<ExitCode> {
    if let Some(step) = next_step(a, now)? {
        say(&desk.next_step(&a.prospect, &step, now)?);
        return Ok(ExitCode::SUCCESS);
    }
    let outcome: Outcome = a.outcome.parse().map_err(|e: String| anyhow!(e))?;
    if a.domain && !matches!(outcome, Outcome::OptedOut | Outcome::Complained) {
        bail!("--domain goes with opted-out or complained");
    }
    let until = a
        .until
        .as_deref()
        .map(|d| parse_date(d, "--until", now.date()))
        .transpose()?;
    if outcome == Outcome::Removed && a.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
        bail!("'removed' needs a reason (--reason \"deal closed\", \"wrong person\", …)");
    }
    if a.step == Some(0) {
        bail!("--step counts from 1");
    }
    let p = desk.prospect(&a.prospect)?;
    // The touch this command acts on is the one current as it starts; the action checks it
    // again inside its transaction, so of two commands at once only one logs it.
    let mut touch = desk.current_touch(p.id)?;
    if let (Some(t), Some(n)) = (touch.as_mut(), a.step) {
        t.step = n - 1;
    }
    let happened = happened_from_args(desk, &p, a, (outcome, until), now)?;
    let req = LogRequest {
        note: a.note.clone(),
        ahead: a.ahead,
        refuse_repeat: a.step.is_none() && !a.ahead,
        ..LogRequest::new(p.id, touch, happened)
    };
    match desk.log(req, now) {
        Ok(logged) => {
            say(&logged.message);
            if a.domain {
                say(&desk.block_domain(&p.id.to_string(), now)?);
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(DeskError::Refused(refused)) => Err(match refused {
            Refused::NotDue(m) => anyhow!("{m} (add --ahead to work it now)"),
            Refused::Repeat(m) => {
                let next = desk.current_touch(p.id).ok().flatten().map(|t| t.step + 1);
                match next {
                    Some(n) => anyhow!("{m}: to log that one, add --step {n}"),
                    None => anyhow!("{m}"),
                }
            }
            Refused::NotReady(m) => anyhow!(
                "{m}; fix the prospect or the template, or give the text as it went out with --text FILE"
            ),
            Refused::Stale(m) => anyhow!("{m}; nothing changed"),
        }),
        Err(other) => Err(other.into()),
    }
}

/// The conversation's next step, when `log` names one (`answered`, `held`, `no-show`,
/// `moved --when …`, `cancelled`, `closed --kind won|lost --reason …`) rather than an
/// outcome of a touch.
fn next_step(a: &LogArgs, now: NaiveDateTime) -> Result<Option<crate::desk::NextStep>> {
    use crate::desk::NextStep;
    Ok(Some(match a.outcome.trim().to_lowercase().as_str() {
        "answered" => NextStep::Answered,
        "held" => NextStep::Held,
        "no-show" => NextStep::NoShow,
        "cancelled" => NextStep::Cancelled,
        "moved" => {
            let Some(when) = a.when.as_deref() else {
                bail!("'moved' needs the new time (--when \"thu 3pm\")");
            };
            NextStep::Moved(super::parse_moment(when, "--when", now)?)
        }
        "closed" => {
            let won = match a.kind.as_deref().map(str::trim) {
                Some("won") => true,
                Some("lost") => false,
                _ => bail!("'closed' needs --kind won or --kind lost"),
            };
            let Some(reason) = a.reason.clone().filter(|r| !r.trim().is_empty()) else {
                bail!(
                    "'closed' needs a reason (--reason \"signed the pilot\", \"went with a competitor\")"
                );
            };
            NextStep::Closed { won, reason }
        }
        _ => return Ok(None),
    }))
}

/// What the command line says happened, each flag on the event it belongs to.
fn happened_from_args(
    desk: &Desk,
    p: &crate::domain::Prospect,
    a: &LogArgs,
    (outcome, until): (Outcome, Option<chrono::NaiveDate>),
    now: NaiveDateTime,
) -> Result<Happened> {
    let text = match &a.text {
        Some(path) => Some(read_sent_text(desk, p, path)?),
        None => None,
    };
    if a.credit.is_some() && !matches!(outcome, Outcome::Replied | Outcome::Meeting) {
        bail!("--credit goes with replied or meeting");
    }
    if a.when.is_some() && outcome != Outcome::Meeting {
        bail!("--when goes with meeting");
    }
    let meeting_at = a
        .when
        .as_deref()
        .map(|w| super::parse_moment(w, "--when", now))
        .transpose()?;
    let kind = a
        .kind
        .as_deref()
        .map(|k| k.parse::<crate::domain::ReplyKind>())
        .transpose()
        .map_err(|e: String| anyhow!(e))?;
    if kind.is_some() && outcome != Outcome::Replied {
        bail!("--kind goes with replied");
    }
    let details = ReplyDetails {
        kind,
        back_on: until.filter(|_| kind == Some(crate::domain::ReplyKind::NotNow)),
        referral: a.refer.as_deref().map(parse_referral).transpose()?,
    };
    Ok(
        match Happened::from_outcome(outcome, a.reason.clone(), until)? {
            Happened::Worked { outcome, .. } => Happened::Worked { outcome, text },
            Happened::Connected { went, .. } => Happened::Connected { went, text },
            // A bounce is news about an email already sent, whichever step is current by now.
            Happened::Bounced { .. } => Happened::Bounced { reported: true },
            Happened::Replied { .. } => Happened::Replied {
                details,
                credit: a.credit,
            },
            Happened::Meeting { .. } => Happened::Meeting {
                at: meeting_at,
                credit: a.credit,
            },
            other => other,
        },
    )
}

/// The message as it went out, from a file or standard input.
fn read_sent_text(desk: &Desk, p: &Prospect, path: &Path) -> Result<Rendered> {
    let raw = if path == Path::new("-") {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("reading the text from standard input")?;
        s
    } else {
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?
    };
    if raw.trim().is_empty() {
        bail!("{}: the text is empty", path.display());
    }
    // An email keeps the template's subject unless the file starts with its own.
    let template = match desk.open_enrollment(p.id)? {
        Some(i) => desk.render_current(p, &i.enrollment, &i.sequence)?,
        None => Rendered::default(),
    };
    Ok(from_file_text(&raw, &template))
}

pub fn undo(desk: &mut Desk, now: NaiveDateTime) -> Result<ExitCode> {
    say(&desk.undo(now)?);
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
        let lines = desk.explain(p.id, now)?;
        let mut out = std::io::stdout().lock();
        if a.json {
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
        return Ok(ExitCode::SUCCESS);
    }
    let enrollments = desk.enrollments(p.id)?;
    let history = desk.history(p.id)?;
    let dnc = desk.do_not_contact_match(&p)?.is_some();
    let today = now.date();
    let older = |i: &EnrollmentInfo| {
        i.enrollment.status.is_open() && desk.runs_older_version(&i.enrollment, &i.sequence_name)
    };
    if a.json {
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
    if let Some(r) = p.rest_until.filter(|r| *r > today) {
        writeln!(out, "  resting until {r}")?;
    }
    for i in &enrollments {
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
        .or_else(|| history.iter().filter_map(|l| l.row.meeting_at).next_back());
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
    for line in &history {
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
    Ok(ExitCode::SUCCESS)
}

/// Prints one line of the command's answer, stripped of anything that could drive the
/// terminal (a prospect's name is the rep's data, not ours).
pub(super) fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    for l in line.lines() {
        let _ = writeln!(out, "{}", sanitize(l));
    }
}
