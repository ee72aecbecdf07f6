//! `touchbase import`, its reading half: a CSV file from any CRM, decoded, its columns
//! recognised and each row made into a prospect, and the rules for meeting a known one
//! ([`merge`]). The desk streams the rows through one action (matched, de-duplicated,
//! checked against the do-not-contact list, enrolled): all of it lands, or none of it.

mod board;
mod cells;
mod columns;
mod decode;
pub mod merge;
mod progress;
mod record_ids;
pub mod report;
pub mod row;
mod source;
mod watch;

pub use report::Report;

pub use progress::Progress;
pub use row::Row;
pub use source::Source;

use chrono::NaiveDate;

/// The summary's words for why a row was skipped.
pub const DO_NOT_CONTACT: &str = "on the do-not-contact list";
pub const DUPLICATE: &str = "duplicates in the file";
pub const NAMELESS: &str = "without a name";
pub const TWO_KNOWN: &str = "matching more than one known prospect";
pub const BAD: &str = "with a bad cell, set aside";

/// How many bad rows an error names one by one before it counts the rest.
pub const NAMED_BAD_ROWS: usize = 20;

/// The rows set aside, as a CSV file to fix and import again: the file's header with a
/// `reason` column, each row's cells as they were (written inert, as every export is).
pub fn bad_rows_csv(headers: &[String], bad: &[row::BadRow]) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = headers.to_vec();
    header.push("reason".to_string());
    crate::export::write_row(&mut w, &header)?;
    for b in bad {
        let mut cells = b.cells.clone();
        cells.resize(headers.len(), String::new());
        cells.push(b.reason());
        crate::export::write_row(&mut w, &cells)?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// A file refused for its bad rows: the summary, and each bad row located (the first
/// [`NAMED_BAD_ROWS`], then how many more), printed above it.
#[derive(Debug, thiserror::Error)]
#[error("{summary}")]
pub struct BadRows {
    pub summary: String,
    pub located: Vec<String>,
}

impl BadRows {
    /// The error line names the first bad row where it is; when there are more, every one
    /// (up to [`NAMED_BAD_ROWS`]) is listed on its own line above it.
    pub fn new(shown: &str, bad: &[row::BadRow]) -> BadRows {
        let first = bad.first().map(|b| b.located(shown)).unwrap_or_default();
        let summary = if bad.len() == 1 {
            format!(
                "{first}; nothing imported: fix it, or --skip-bad FILE imports the other rows and writes this one to FILE with the reason"
            )
        } else {
            format!(
                "{first}: the first of {} (listed above); nothing imported: fix them, or --skip-bad FILE imports the other rows and writes these to FILE with the reason",
                report::count(bad.len(), "bad row", "bad rows"),
            )
        };
        let mut located: Vec<String> = Vec::new();
        if bad.len() > 1 {
            located.extend(bad.iter().take(NAMED_BAD_ROWS).map(|b| b.located(shown)));
        }
        if bad.len() > NAMED_BAD_ROWS {
            located.push(format!("and {} more", bad.len() - NAMED_BAD_ROWS));
        }
        BadRows { summary, located }
    }
}
/// A file this big (some thousand rows) filters its lookups through the desk's filter of known keys.
pub const BIG_FILE: u64 = 256 * 1024;

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub sequence: Option<String>,
    pub start: Option<NaiveDate>,
    pub per_day: Option<usize>,
    pub dry_run: bool,
    /// Import the good rows and hand back the bad ones (`--skip-bad`), rather than refuse.
    pub skip_bad: bool,
    /// Draw a progress bar on large files (when stderr is a terminal).
    pub progress: bool,
}
