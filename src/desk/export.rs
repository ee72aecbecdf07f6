//! Exports: the plain CSVs, the CRM activity files (which remember where the last one ended)
//! and the calendar.

use super::Desk;
use super::store::queries;
use crate::domain::Channel;
use crate::export::activities::{self, Crm, Kind, Mark, Since};
use crate::export::{ExportArgs, What, ics, write_private};
use anyhow::{Result, anyhow, bail};
use chrono::{NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;
use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// How far ahead `export ics` looks when not told.
const DEFAULT_ICS_DAYS: u32 = 14;
/// The slot a call gets in the calendar.
const CALL_MINUTES: i64 = 10;
/// How much of the call script goes into the event.
const SCRIPT_LINES: usize = 6;

impl Desk {
    /// Writes the export the arguments ask for.
    pub fn export(&mut self, args: &ExportArgs, now: NaiveDateTime) -> Result<ExitCode> {
        let only = |set: bool, flag: &str, what: &str| -> Result<()> {
            if set {
                bail!("{flag} is for `export {what}` only");
            }
            Ok(())
        };
        match args.what {
            What::Prospects | What::Touches => {
                only(args.format.is_some(), "--format", "activities")?;
                only(args.since.is_some(), "--since", "activities")?;
                only(args.days.is_some(), "--days", "ics")?;
                self.export_plain(args)
            }
            What::Activities => {
                only(args.days.is_some(), "--days", "ics")?;
                let crm = args.format.ok_or_else(|| {
                    anyhow!("export activities needs --format hubspot, salesforce or pipedrive")
                })?;
                self.export_activities(crm, args, now.date())
            }
            What::Ics => {
                only(args.format.is_some(), "--format", "activities")?;
                only(args.since.is_some(), "--since", "activities")?;
                self.export_ics(args, now)
            }
        }
    }

    /// The logged touches after `mark` as activities, and how many were left out for having
    /// no email address to match on.
    fn activities_since(&self, mark: Option<&Mark>) -> Result<(Vec<activities::Activity>, usize)> {
        let store = &self.store;
        let purpose = |version: i64, step: usize| {
            let seq = store.version(version).ok()?;
            let planned = seq.plan.steps.get(step)?;
            Some((
                planned.purpose.clone(),
                seq.plan.steps.len(),
                planned.action.map(|a| a.as_str().to_string()),
            ))
        };
        let zone = self.rep_zone();
        let mut no_email = 0;
        let mut found = Vec::new();
        for touch in logged_touches(self.store.conn(), mark, zone)? {
            match activities::activity_from(touch, zone, &purpose) {
                Some(a) => found.push(a),
                None => no_email += 1,
            }
        }
        Ok((found, no_email))
    }

    /// Notes the last activity exported: the next `--since last` starts after it.
    fn remember_export(&mut self, key: &str, last: &activities::Activity) -> Result<()> {
        let value = Mark {
            at: last.at_text.clone(),
            id: last.id,
        }
        .to_setting();
        self.store.write_plain(|conn| {
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) \
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                rusqlite::params![key, value],
            )?;
            Ok(())
        })
    }

    fn export_activities(
        &mut self,
        crm: Crm,
        args: &ExportArgs,
        today: chrono::NaiveDate,
    ) -> Result<ExitCode> {
        let key = activities::mark_key(crm);
        let since = Since::parse(args.since.as_deref(), today)?;
        let mark = match since {
            Since::Everything => None,
            Since::Day(day) => Some(Mark::day(day)),
            Since::Last => self
                .store
                .setting(&key)?
                .and_then(|s| Mark::from_setting(&s)),
        };
        let (found, no_email) = self.activities_since(mark.as_ref())?;
        let zone_name = self
            .config
            .timezone
            .clone()
            .unwrap_or_else(|| "the rep's local time".into());
        if found.is_empty() && matches!(since, Since::Last) {
            // Nothing new: the files of the last export stay as they are.
            println!(
                "Nothing logged since the last export to {}; no file written",
                crm.name()
            );
            return Ok(ExitCode::SUCCESS);
        }
        if let Some(out) = &args.out {
            let targets = files_for(crm, out);
            let targets: Vec<&Path> = targets.iter().map(PathBuf::as_path).collect();
            crate::export::check_free(&targets, args.force)?;
        }
        let written = write_activities(crm, args.out.as_deref(), &found, &zone_name)?;
        if let Some(last) = found.last() {
            self.remember_export(&key, last)?;
        }
        let count = |k: Kind| found.iter().filter(|a| a.kind == k).count();
        let summary = format!(
            "{} calls, {} emails, {} LinkedIn and other tasks, {} meetings and {} replies and opt-outs{}",
            count(Kind::Call),
            count(Kind::Email),
            count(Kind::Task),
            count(Kind::Meeting),
            count(Kind::Note),
            match (&since, &mark) {
                (Since::Last, None) => " (no earlier export: everything)".to_string(),
                (_, Some(m)) => format!(" after {}", m.shown()),
                _ => String::new(),
            }
        );
        let left_out = if no_email > 0 {
            format!("; {no_email} touches of prospects without an email were left out")
        } else {
            String::new()
        };
        if written.is_empty() {
            eprintln!("{summary}{left_out}");
        } else {
            println!("Wrote {summary} to {}{left_out}", written.join(", "));
        }
        Ok(ExitCode::SUCCESS)
    }

    fn export_ics(&mut self, args: &ExportArgs, now: NaiveDateTime) -> Result<ExitCode> {
        let days = args.days.unwrap_or(DEFAULT_ICS_DAYS);
        let calls = self.planned_calls(now, days)?;
        let meetings = self.booked_meetings(now, days)?;
        let text = ics::calendar(&calls, &meetings, self.rep_zone().to_utc(now));
        match &args.out {
            Some(out) => {
                crate::export::check_free(&[out], args.force)?;
                write_private(out, |w| {
                    w.write_all(text.as_bytes())?;
                    Ok(())
                })?;
                let n = |k: usize, one: &str| match k {
                    1 => format!("1 {one}"),
                    k => format!("{k} {one}s"),
                };
                println!(
                    "Wrote {} and {} of the next {days} days to {}",
                    n(calls.len(), "call"),
                    n(meetings.len(), "meeting"),
                    out.display()
                );
            }
            None => std::io::stdout().lock().write_all(text.as_bytes())?,
        }
        Ok(ExitCode::SUCCESS)
    }

    /// The calls due from today (overdue ones today) through `days` days on, each placed in
    /// the call window of the prospect's day, ten minutes apart within a window.
    fn planned_calls(&self, now: NaiveDateTime, days: u32) -> Result<Vec<ics::PlannedCall>> {
        let today = now.date();
        let last = today + chrono::Days::new(u64::from(days.max(1)) - 1);
        let conn = self.store.conn();
        let mut briefs = queries::due_briefs(conn, today)?;
        if let Some(tomorrow) = today.succ_opt().filter(|d| *d <= last) {
            briefs.extend(queries::due_on_days(conn, tomorrow, last)?);
        }
        let mut taken: HashMap<(NaiveDateTime, String), i64> = HashMap::new();
        let mut calls = Vec::new();
        for b in briefs {
            let seq = self.store.version(b.version_id)?;
            let Some(step) = seq.plan.steps.get(b.step) else {
                continue;
            };
            if step.channel != Channel::Call {
                continue;
            }
            let Some(p) = queries::prospect(conn, b.prospect_id)? else {
                continue;
            };
            let Some((e, sequence)) = queries::enrollment(conn, b.enrollment_id)? else {
                continue;
            };
            // A call due on a day off is made on the next working day; today's from now on.
            let mut day = b.due.date().max(today);
            while !self.config.calendar.is_working(day) && day < last {
                day = day.succ_opt().unwrap_or(day);
            }
            let from = if day == today {
                now
            } else {
                day.and_time(NaiveTime::MIN)
            };
            let zone: Option<Tz> = p.timezone.as_deref().and_then(|z| z.parse().ok());
            let earliest = self.rep_zone().to_prospect(from, zone);
            let spans = self
                .config
                .windows
                .for_step(step.channel, seq.plan.trigger)
                .map_or(&[][..], |w| w.spans.as_slice());
            let fallback = match b.due.time() {
                t if t == NaiveTime::MIN => NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(t),
                t => t,
            };
            let first = ics::call_slot(spans, earliest, 0, CALL_MINUTES, fallback);
            let key = (first, p.timezone.clone().unwrap_or_default());
            let slot = taken.entry(key).or_insert(0);
            let start = ics::call_slot(spans, earliest, *slot, CALL_MINUTES, fallback);
            *slot += 1;
            let starts = match zone {
                Some(tz) => tz
                    .from_local_datetime(&start)
                    .earliest()
                    .map(|d| d.with_timezone(&chrono::Utc))
                    .unwrap_or_else(|| self.rep_zone().to_utc(start)),
                None => self.rep_zone().to_utc(start),
            };
            let rendered = self.render_current(&p, &e, &seq)?;
            let script: Vec<String> = rendered
                .body
                .lines()
                .map(|l| l.trim_end().replace("**", ""))
                .filter(|l| !l.is_empty())
                .take(SCRIPT_LINES)
                .collect();
            calls.push(ics::PlannedCall {
                enrollment_id: b.enrollment_id,
                step: b.step,
                steps: seq.plan.steps.len(),
                sequence,
                name: p.full_name(),
                company: p.company.clone(),
                phone: p.phone.clone().filter(|_| !p.phone_bad),
                starts,
                minutes: CALL_MINUTES,
                their_time: p
                    .timezone
                    .as_ref()
                    .filter(|_| zone.is_some())
                    .map(|tz| format!("{} in {tz}", start.format("%a %H:%M"))),
                script,
            });
        }
        Ok(calls)
    }

    /// The meetings booked to take place from today through `days` days on.
    fn booked_meetings(&self, now: NaiveDateTime, days: u32) -> Result<Vec<ics::BookedMeeting>> {
        let from = now.date().and_time(NaiveTime::MIN);
        let to = from + chrono::Duration::days(i64::from(days.max(1)));
        let zone = self.rep_zone();
        let rows =
            queries::meetings_between(self.store.conn(), zone.to_utc(from), zone.to_utc(to))?;
        let mut out = Vec::new();
        for (touch_id, at, note, p) in rows {
            // A meeting moved since it was booked keeps its event (the same UID) at the new
            // time; a cancelled one leaves the calendar.
            use crate::domain::conversation::Task;
            let at = match &p.conversation {
                Some(c) if c.task == Task::Meeting => c.meeting_at.unwrap_or(at),
                Some(_) => continue,
                None => at,
            };
            let zone: Option<Tz> = p.timezone.as_deref().and_then(|z| z.parse().ok());
            out.push(ics::BookedMeeting {
                touch_id,
                name: p.full_name(),
                company: p.company.clone(),
                email: p.email.clone(),
                phone: p.phone.clone(),
                starts: at,
                their_time: zone.map(|tz| {
                    let theirs = at.with_timezone(&tz);
                    format!("{} in {tz}", theirs.format("%a %H:%M"))
                }),
                note,
            });
        }
        Ok(out)
    }
}

/// `out` with `-suffix` added to its stem: `week.csv` → `week-calls.csv`.
fn beside(out: &Path, suffix: &str, ext: &str) -> PathBuf {
    let stem = out
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "activities".into());
    out.with_file_name(format!("{stem}-{suffix}.{ext}"))
}

/// Writes the activities in `crm`'s layout: to `out` (and the files beside it), or to
/// standard output; returns the files written.
fn write_activities(
    crm: Crm,
    out: Option<&Path>,
    found: &[activities::Activity],
    zone_name: &str,
) -> Result<Vec<String>> {
    Ok(match (crm, out) {
        (Crm::Hubspot, None) => bail!(
            "HubSpot imports each kind of activity from its own file: give --out FILE.csv \
             (it writes FILE-calls.csv, -emails, -tasks, -meetings and -notes)"
        ),
        (Crm::Hubspot, Some(out)) => {
            let mut written = Vec::new();
            for (kind, suffix) in [
                (Kind::Call, "calls"),
                (Kind::Email, "emails"),
                (Kind::Task, "tasks"),
                (Kind::Meeting, "meetings"),
                (Kind::Note, "notes"),
            ] {
                let path = beside(out, suffix, "csv");
                write_private(&path, |w| activities::hubspot(found, kind, w))?;
                written.push(path.display().to_string());
            }
            written
        }
        (Crm::Salesforce, Some(out)) => {
            write_private(out, |w| activities::salesforce(found, zone_name, w))?;
            let map = out.with_extension("sdl");
            write_private(&map, |w| {
                w.write_all(activities::salesforce_mapping().as_bytes())?;
                Ok(())
            })?;
            let events = beside(out, "events", "csv");
            write_private(&events, |w| {
                crate::export::activities_more::salesforce_events(found, w)
            })?;
            let events_map = beside(out, "events", "sdl");
            write_private(&events_map, |w| {
                let map = crate::export::activities_more::salesforce_event_mapping();
                w.write_all(map.as_bytes())?;
                Ok(())
            })?;
            [out, map.as_path(), events.as_path(), events_map.as_path()]
                .iter()
                .map(|p| p.display().to_string())
                .collect()
        }
        (Crm::Salesforce, None) => {
            activities::salesforce(found, zone_name, &mut std::io::stdout().lock())?;
            Vec::new()
        }
        (Crm::Pipedrive, Some(out)) => {
            write_private(out, |w| activities::pipedrive(found, w))?;
            vec![out.display().to_string()]
        }
        (Crm::Pipedrive, None) => {
            activities::pipedrive(found, &mut std::io::stdout().lock())?;
            Vec::new()
        }
    })
}

/// The files an activities export for `crm` writes, given `--out`.
fn files_for(crm: Crm, out: &Path) -> Vec<PathBuf> {
    match crm {
        Crm::Hubspot => ["calls", "emails", "tasks", "meetings", "notes"]
            .iter()
            .map(|s| beside(out, s, "csv"))
            .collect(),
        Crm::Salesforce => vec![
            out.to_path_buf(),
            out.with_extension("sdl"),
            beside(out, "events", "csv"),
            beside(out, "events", "sdl"),
        ],
        Crm::Pipedrive => vec![out.to_path_buf()],
    }
}

/// The worked touches after `since` (every one when `None`), oldest first.
fn logged_touches(
    conn: &rusqlite::Connection,
    since: Option<&Mark>,
    zone: crate::clock::Zone,
) -> Result<Vec<activities::LoggedTouch>> {
    let mut stmt = conn.prepare(
        "SELECT t.id, t.at, t.channel, t.outcome, t.note, t.message, t.step, p.email, \
         trim(p.first_name || ' ' || p.last_name), e.sequence, e.version_id, CAST(t.at AS TEXT), \
         t.meeting_at \
         FROM touches t JOIN prospects p ON p.id = t.prospect_id \
         LEFT JOIN enrollments e ON e.id = t.enrollment_id \
         WHERE ((t.is_touch = 1 AND t.outcome <> 'skipped') \
                OR t.outcome IN ('replied', 'meeting', 'opted-out', 'complained')) \
           AND (t.at > ?1 OR (t.at = ?1 AND t.id > ?2)) \
         ORDER BY t.at, t.id",
    )?;
    let (from, after) = since.map_or((String::new(), 0), |m| (m.at.clone(), m.id));
    let mut rows = stmt.query(rusqlite::params![from, after])?;
    let mut unpacker = super::store::message::Unpacker::new(conn);
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let packed: Option<Vec<u8>> = r.get(5)?;
        let message = unpacker.unpack(packed.as_deref())?;
        out.push(activities::LoggedTouch {
            id: r.get(0)?,
            at: r.get(1)?,
            at_text: r.get(11)?,
            channel: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
            outcome: r.get(3)?,
            note: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
            subject: message.subject,
            body: message.body,
            step: r.get::<_, Option<i64>>(6)?.unwrap_or(0),
            email: r.get(7)?,
            name: r.get(8)?,
            sequence: r.get::<_, Option<String>>(9)?.unwrap_or_default(),
            version_id: r.get(10)?,
            // Kept in UTC; the activity files write the rep's clock.
            meeting_at: r
                .get::<_, Option<String>>(12)?
                .as_deref()
                .and_then(crate::domain::conversation::utc::parse)
                .map(|at| zone.local(at)),
        });
    }
    Ok(out)
}
