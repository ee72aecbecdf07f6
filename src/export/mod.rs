//! `touchbase export`: the cells of each file, from rows the desk reads. The prospects file
//! uses touchbase's own column names, so `touchbase import` reads it back without loss.

pub mod activities;
pub mod activities_more;
pub mod cell;
pub mod ics;

use crate::domain::{FIELDS, Field};
use anyhow::{Context, Result};
use cell::neutralise;
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The column after them with the ids other tools gave each prospect ("hubspot:51; …").
pub const EXTERNAL_IDS: &str = "external_ids";

/// The prospects file's first column: the prospect's number in this book (`show 12`,
/// `log 12 sent`). Importing the file elsewhere ignores it.
pub const PROSPECT_ID: &str = "id";

pub const TOUCH_COLUMNS: &[&str] = &[
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
    #[arg(long, allow_negative_numbers = true, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=366))]
    pub days: Option<u32>,
    /// Replace a file that is already there
    #[arg(long)]
    pub force: bool,
}

/// Refuses to write over a file that is there already, unless the rep said `--force`.
pub fn check_free(paths: &[&Path], force: bool) -> Result<()> {
    if let Some(there) = paths.iter().find(|p| !force && p.exists()) {
        anyhow::bail!(
            "{} is there already; nothing was written (add --force to replace it)",
            there.display()
        );
    }
    Ok(())
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
    let full = |e: &anyhow::Error| {
        let is_full = |io: &std::io::Error| io.kind() == std::io::ErrorKind::StorageFull;
        e.chain().any(|c| {
            c.downcast_ref::<std::io::Error>().is_some_and(is_full)
                || c.downcast_ref::<csv::Error>()
                    .is_some_and(|e| match e.kind() {
                        csv::ErrorKind::Io(io) => is_full(io),
                        _ => false,
                    })
        })
    };
    if result.as_ref().is_err_and(full) {
        anyhow::bail!("{}: the disk is full; nothing was written", path.display());
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

/// The cells of one prospect's row, in the order of [`prospect_header`].
pub fn prospect_cells(p: &crate::domain::Prospect, custom: &[String]) -> Vec<String> {
    let mut cells: Vec<String> = vec![p.id.to_string()];
    cells.extend(
        FIELDS
            .iter()
            .map(|f| p.field(f.field).unwrap_or_default().to_string()),
    );
    cells.push(crate::domain::prospect::external_ids_text(&p.external_ids));
    cells.extend(
        custom
            .iter()
            .map(|k| p.fields.get(k).cloned().unwrap_or_default()),
    );
    cells
}

/// The header of the prospects file: touchbase's own columns (the prospect's id, fields,
/// then the tools' ids), then the custom fields among `field_names` (those not named like
/// one of touchbase's columns).
pub fn prospect_header(field_names: Vec<String>) -> (Vec<String>, Vec<String>) {
    let custom: Vec<String> = field_names
        .into_iter()
        .filter(|k| Field::from_key(k).is_none() && k != EXTERNAL_IDS && k != PROSPECT_ID)
        .collect();
    let header = [PROSPECT_ID]
        .into_iter()
        .chain(FIELDS.iter().map(|f| f.key))
        .chain([EXTERNAL_IDS])
        .chain(custom.iter().map(String::as_str))
        .map(str::to_string)
        .collect();
    (header, custom)
}

/// One line of the touch log as the touches file shows it.
#[derive(Debug, Clone, Default)]
pub struct TouchLine {
    pub prospect_id: i64,
    pub name: String,
    pub email: String,
    pub sequence: String,
    /// 0-based, as stored.
    pub step: Option<i64>,
    pub channel: String,
    pub outcome: String,
    pub at: chrono::NaiveDateTime,
    pub reason: String,
    pub note: String,
    pub subject: String,
    pub body: String,
    pub template: String,
}

/// The cells of one touch line, in the order of [`TOUCH_COLUMNS`].
pub fn touch_cells(t: TouchLine) -> [String; 13] {
    // Steps are stored 0-based and shown 1-based, as everywhere else.
    let step = t.step.map(|s| (s + 1).to_string()).unwrap_or_default();
    [
        t.prospect_id.to_string(),
        t.name,
        t.email,
        t.sequence,
        step,
        t.channel,
        t.outcome,
        t.at.format("%Y-%m-%dT%H:%M:%S").to_string(),
        t.reason,
        t.note,
        t.subject,
        t.body,
        t.template,
    ]
}

/// Writes one CSV record, every cell made safe for a spreadsheet and for a terminal: no
/// control character (but the line break), bidi override or zero-width character is
/// written, and a cell that starts like a formula is guarded.
pub fn write_row<W: Write>(w: &mut csv::Writer<W>, cells: &[String]) -> Result<()> {
    w.write_record(cells.iter().map(|c| inert_cell(c)))?;
    Ok(())
}

/// A cell as every export writes it (see [`write_row`]).
pub fn inert_cell(c: &str) -> String {
    neutralise(&crate::text::sanitize_cell(c)).into_owned()
}
