//! `add`, `import`, `enroll`, `log`, `undo` and `show`.

use super::args::{AddArgs, EnrollArgs, ImportArgs, LogArgs};
use super::parse_date;
use crate::content::Rendered;
use crate::content::render::from_file_text;
use crate::desk::{
    Desk, DeskError, EnrollRequest, Happened, LogRequest, Refused, ReplyDetails, parse_referral,
};
use crate::domain::prospect::snake_case;
use crate::domain::{Outcome, Prospect};
use crate::import::ImportOptions;
use crate::text::sanitize;
use anyhow::{Context, Result, anyhow, bail};
use chrono::NaiveDateTime;
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
    if let Some(step) = next_step(a, (now, desk.rep_zone()))? {
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
        whole_domain: a.domain,
        ..LogRequest::new(p.id, touch, happened)
    };
    match desk.log(req, now) {
        Ok(logged) => {
            say(&logged.message);
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
fn next_step(
    a: &LogArgs,
    (now, zone): (NaiveDateTime, crate::clock::Zone),
) -> Result<Option<crate::desk::NextStep>> {
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
            let at = super::parse_moment(when, "--when", now)?;
            NextStep::Moved(zone.to_utc(at))
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
        .transpose()?
        .map(|at| desk.rep_zone().to_utc(at));
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

/// Prints one line of the command's answer, stripped of anything that could drive the
/// terminal (a prospect's name is the rep's data, not ours).
pub(super) fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    for l in line.lines() {
        let _ = writeln!(out, "{}", sanitize(l));
    }
}
