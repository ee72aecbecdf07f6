//! `touchbase export prospects|touches`: CSV for spreadsheets and other tools. The prospects
//! file uses touchbase's own column names, so `touchbase import` reads it back without loss.

pub mod activities;
pub mod cell;
pub mod ics;

use crate::store::queries;
use crate::store::rows::{PROSPECT_COLS, prospect_from};
use anyhow::{Context, Result};
use cell::neutralise;
use clap::{Args, ValueEnum};
use rusqlite::Connection;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// touchbase's own prospect columns, in the order they are written; custom fields follow.
pub const PROSPECT_COLUMNS: &[&str] = &[
    "first_name",
    "last_name",
    "email",
    "phone",
    "linkedin",
    "company",
    "title",
    "city",
    "timezone",
    "notes",
];

/// The column after them with the ids other tools gave each prospect ("hubspot:51; …").
pub const EXTERNAL_IDS: &str = "external_ids";

const TOUCH_COLUMNS: &[&str] = &[
    "prospect_id",
    "name",
    "email",
    "sequence",
    "step",
    "channel",
    "outcome",
    "at",
    "reason",
    "note",
    "subject",
    "body",
    "variant",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum What {
    /// Every prospect with every field, custom fields as their own columns
    Prospects,
    /// The touch log, one row per logged touch or event
    Touches,
    /// The logged touches in a CRM's activity import layout (needs --format)
    Activities,
    /// Due calls and booked meetings as an iCalendar file
    Ics,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    pub what: What,
    /// Write to this file instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// activities: the CRM whose import layout to write
    #[arg(long, value_enum)]
    pub format: Option<activities::Crm>,
    /// activities: only touches logged from this date (YYYY-MM-DD), or `last` for those since
    /// the previous export to the same CRM
    #[arg(long, value_name = "DATE|last")]
    pub since: Option<String>,
    /// ics: how many days ahead of today the calendar covers [default: 14]
    #[arg(long, value_name = "N")]
    pub days: Option<u32>,
}

/// Runs `touchbase export prospects|touches`.
pub fn command(conn: &Connection, a: &ExportArgs) -> Result<ExitCode> {
    let what = match a.what {
        What::Prospects => "prospects",
        What::Touches => "touches",
        What::Activities | What::Ics => anyhow::bail!("export {:?} is written by the desk", a.what),
    };
    match &a.out {
        None => {
            let stdout = std::io::stdout();
            write(conn, a.what, stdout.lock())?;
        }
        Some(path) => {
            let rows = write_file(conn, a.what, path)?;
            println!("Wrote {rows} {what} to {}", path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes the CSV to `out`; returns the number of data rows.
pub fn write(conn: &Connection, what: What, out: impl Write) -> Result<usize> {
    let mut w = csv::WriterBuilder::new().from_writer(out);
    let rows = match what {
        What::Prospects => prospects(conn, &mut w)?,
        What::Touches => touches(conn, &mut w)?,
        What::Activities | What::Ics => anyhow::bail!("not a plain CSV export"),
    };
    w.flush()?;
    Ok(rows)
}

fn write_file(conn: &Connection, what: What, path: &Path) -> Result<usize> {
    write_private(path, |out| write(conn, what, out))
}

/// Writes `path` through `fill`, next to it first and renamed into place, so a failed export
/// never leaves half a file where a good one was. The file is private (0600), like the
/// database.
pub fn write_private<T>(path: &Path, fill: impl FnOnce(&mut dyn Write) -> Result<T>) -> Result<T> {
    let partial = PathBuf::from(format!("{}.partial", path.display()));
    let result = (|| -> Result<T> {
        let mut out = std::io::BufWriter::new(create_private(&partial)?);
        let value = fill(&mut out)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&partial, path)?;
        Ok(value)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result.with_context(|| format!("writing {}", path.display()))
}

#[cfg(unix)]
fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::create(path)
}

fn prospects<W: Write>(conn: &Connection, w: &mut csv::Writer<W>) -> Result<usize> {
    let custom: Vec<String> = queries::custom_field_names(conn)?
        .into_iter()
        .filter(|k| !PROSPECT_COLUMNS.contains(&k.as_str()) && k != EXTERNAL_IDS)
        .collect();
    let header = PROSPECT_COLUMNS
        .iter()
        .copied()
        .chain([EXTERNAL_IDS])
        .chain(custom.iter().map(String::as_str));
    w.write_record(header.map(neutralise).map(|c| c.into_owned()))?;
    let mut stmt = conn.prepare(&format!(
        "SELECT {PROSPECT_COLS} FROM prospects ORDER BY id"
    ))?;
    let mut rows = stmt.query([])?;
    let mut n = 0;
    while let Some(r) = rows.next()? {
        let p = prospect_from(r, 0)?;
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let mut cells = vec![
            p.first_name.clone(),
            p.last_name.clone(),
            opt(&p.email),
            opt(&p.phone),
            opt(&p.linkedin),
            opt(&p.company),
            opt(&p.title),
            opt(&p.city),
            opt(&p.timezone),
            p.notes.clone(),
            crate::domain::prospect::external_ids_text(&p.external_ids),
        ];
        cells.extend(
            custom
                .iter()
                .map(|k| p.fields.get(k).cloned().unwrap_or_default()),
        );
        w.write_record(cells.iter().map(|c| neutralise(c).into_owned()))?;
        n += 1;
    }
    Ok(n)
}

fn touches<W: Write>(conn: &Connection, w: &mut csv::Writer<W>) -> Result<usize> {
    w.write_record(TOUCH_COLUMNS)?;
    let mut stmt = conn.prepare(
        "SELECT t.prospect_id, trim(p.first_name || ' ' || p.last_name), p.email, e.sequence, \
         t.step, t.channel, t.outcome, t.at, t.reason, t.note, t.message, \
         (SELECT name FROM variants v WHERE v.id = t.variant) \
         FROM touches t JOIN prospects p ON p.id = t.prospect_id \
         LEFT JOIN enrollments e ON e.id = t.enrollment_id ORDER BY t.at, t.id",
    )?;
    let mut rows = stmt.query([])?;
    let mut unpacker = crate::store::message::Unpacker::new(conn);
    let mut n = 0;
    while let Some(r) = rows.next()? {
        let packed: Option<Vec<u8>> = r.get(10)?;
        let message = unpacker.unpack(packed.as_deref())?;
        let text = |i: usize| -> rusqlite::Result<String> {
            Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default())
        };
        // Steps are stored 0-based and shown 1-based, as everywhere else.
        let step = r
            .get::<_, Option<i64>>(4)?
            .map(|s| (s + 1).to_string())
            .unwrap_or_default();
        let at: chrono::NaiveDateTime = r.get(7)?;
        let cells = [
            r.get::<_, i64>(0)?.to_string(),
            text(1)?,
            text(2)?,
            text(3)?,
            step,
            text(5)?,
            text(6)?,
            at.format("%Y-%m-%dT%H:%M:%S").to_string(),
            text(8)?,
            text(9)?,
            message.subject.unwrap_or_default(),
            message.body.unwrap_or_default(),
            text(11)?,
        ];
        w.write_record(cells.iter().map(|c| neutralise(c).into_owned()))?;
        n += 1;
    }
    Ok(n)
}
