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
/// A file this big (some thousand rows) filters its lookups through the desk's filter of known keys.
pub const BIG_FILE: u64 = 256 * 1024;

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub sequence: Option<String>,
    pub start: Option<NaiveDate>,
    pub per_day: Option<usize>,
    pub dry_run: bool,
    /// Draw a progress bar on large files (when stderr is a terminal).
    pub progress: bool,
}
