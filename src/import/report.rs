//! What an import did (or, on a dry run, would do), as the summary the rep reads.

use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::fmt;

/// How many of the people refused for being on the do-not-contact list are named one by one.
pub const NAMED_REFUSALS: usize = 20;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub file: String,
    pub dry_run: bool,
    pub rows: usize,
    pub added: usize,
    pub updated: usize,
    pub enrolled: usize,
    /// Reason → count.
    pub skipped: BTreeMap<String, usize>,
    /// The first few people refused because they are on the do-not-contact list.
    pub do_not_contact: Vec<String>,
    pub first_start: Option<NaiveDate>,
    pub last_start: Option<NaiveDate>,
    /// Note lines above the header, and report footer or totals lines below the rows.
    pub preamble_lines: usize,
    pub footer_lines: usize,
    /// People added without an address another prospect has (kept as a field instead).
    pub shared_addresses: usize,
    /// A board's group titles, repeated headers, subitems and summary rows.
    pub board_lines: usize,
    /// Enrolled without an email address in a sequence that has email steps.
    pub enrolled_without_email: usize,
    /// Rows whose place named a city that several zones share, with nothing to tell which.
    pub ambiguous_places: usize,
    /// Rows whose zone cell named no zone touchbase knows (the place settled it if it could).
    pub unknown_zones: usize,
    /// People the CRM marks opted out of email: their address went on the do-not-contact
    /// list and their open sequence ended.
    pub opted_out: usize,
    /// People the CRM marks do-not-call: their call steps are skipped.
    pub do_not_call: usize,
    /// People whose address the CRM marks bounced: their email steps are skipped.
    pub bounced: usize,
    /// The first people those flags concern, with what the CRM said.
    pub flagged: Vec<String>,
    /// On a dry run, what would change for the first known people the file updates
    /// ("Marcus Webb: title 'VP Sales' → 'VP of Sales'"), and how many it changes in all.
    pub changes: Vec<String>,
    pub changed: usize,
    /// The file's header, and the rows set aside with a bad cell (`--skip-bad`).
    pub headers: Vec<String>,
    pub bad: Vec<super::row::BadRow>,
}

impl Report {
    pub fn skip(&mut self, why: &str) {
        *self.skipped.entry(why.to_string()).or_default() += 1;
    }

    /// Counts a known prospect the file changes, and names what changes for the first few.
    pub fn note_changes(
        &mut self,
        before: &crate::domain::Prospect,
        row: &crate::domain::Prospect,
        after: &crate::domain::Prospect,
    ) {
        let changes = super::merge::changes(before, row, after);
        if changes.is_empty() {
            return;
        }
        self.changed += 1;
        if self.changes.len() < NAMED_REFUSALS {
            let name = crate::text::sanitize(&after.full_name());
            self.changes.push(format!("{name}: {}", changes.join("; ")));
        }
    }

    pub fn skipped_total(&self) -> usize {
        self.skipped.values().sum()
    }
}

impl Report {
    /// What the CRM's consent and delivery flags did, and (on a dry run) to whom.
    fn write_flags(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if self.opted_out > 0 {
            parts.push(format!(
                "{} of email (on the do-not-contact list, their sequence ended)",
                count(self.opted_out, "opted out", "opted out")
            ));
        }
        if self.do_not_call > 0 {
            parts.push(format!(
                "{} not to be called (call steps skipped)",
                count(self.do_not_call, "person", "people")
            ));
        }
        if self.bounced > 0 {
            parts.push(format!(
                "{} (email steps skipped)",
                count(self.bounced, "bounced address", "bounced addresses")
            ));
        }
        if parts.is_empty() {
            return Ok(());
        }
        write!(f, "\nThe CRM's flags, obeyed: {}", parts.join("; "))?;
        if self.dry_run {
            for who in &self.flagged {
                write!(f, "\n  {who}")?;
            }
        }
        Ok(())
    }
}

/// "1 row", "2 rows".
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl Report {
    /// What was passed over around the rows, and what the rows said of places and zones.
    fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if self.preamble_lines > 0 {
            notes.push(format!(
                "{} above the header skipped",
                count(self.preamble_lines, "line", "lines")
            ));
        }
        if self.footer_lines > 0 {
            notes.push(format!(
                "{} skipped",
                count(self.footer_lines, "footer line", "footer lines")
            ));
        }
        if self.shared_addresses > 0 {
            notes.push(format!(
            "{} an email or LinkedIn address with someone else (the CRM's ids tell them apart): kept as shared_email or shared_linkedin",
            count(self.shared_addresses, "person shares", "people share")
        ));
        }
        if self.board_lines > 0 {
            notes.push(format!(
                "{} of layout skipped (the header again, group titles, subitems, summaries)",
                count(self.board_lines, "line", "lines")
            ));
        }
        if self.ambiguous_places > 0 {
            notes.push(format!(
                "{} no time zone: their place spans several and the row does not say which",
                count(self.ambiguous_places, "prospect has", "prospects have")
            ));
        }
        if self.unknown_zones > 0 {
            notes.push(format!(
            "{} a time zone touchbase does not know: worked out from the place where that settles one",
            count(self.unknown_zones, "row names", "rows name")
        ));
        }
        notes
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.dry_run {
            write!(f, "Dry run, nothing changed. ")?;
        }
        if self.rows == 0 {
            return write!(
                f,
                "{}: no data rows, only a header; nothing imported",
                self.file
            );
        }
        let skipped = self.skipped_total();
        write!(
            f,
            "{}: {}; {} added, {} updated, {} enrolled, {} skipped",
            self.file,
            count(self.rows, "row", "rows"),
            self.added,
            self.updated,
            self.enrolled,
            skipped
        )?;
        if skipped > 0 {
            let parts: Vec<String> = self
                .skipped
                .iter()
                .map(|(why, n)| match (*n, why.strip_prefix("duplicates ")) {
                    (1, Some(rest)) => format!("1 duplicate {rest}"),
                    _ => format!("{n} {why}"),
                })
                .collect();
            write!(f, " ({})", parts.join(", "))?;
        }
        if let (Some(a), Some(b)) = (self.first_start, self.last_start) {
            if a == b {
                write!(f, "; starts {a}")?;
            } else {
                write!(f, "; starts spread {a} to {b}")?;
            }
        }
        let notes = self.notes();
        if !notes.is_empty() {
            write!(f, "\n{}", notes.join("; "))?;
        }
        if self.enrolled_without_email > 0 {
            write!(
                f,
                "\nWarning: {} no email address; their email steps will be skipped",
                count(
                    self.enrolled_without_email,
                    "enrolled prospect has",
                    "enrolled prospects have"
                )
            )?;
        }
        self.write_flags(f)?;
        if self.dry_run && self.changed > 0 {
            let people = count(self.changed, "known prospect", "known prospects");
            write!(f, "\nWould change {people}:")?;
            for change in &self.changes {
                write!(f, "\n  {change}")?;
            }
            if self.changed > self.changes.len() {
                write!(f, "\n  and {} more", self.changed - self.changes.len())?;
            }
        }
        if !self.do_not_contact.is_empty() {
            write!(f, "\nNot imported, on the do-not-contact list:")?;
            for who in &self.do_not_contact {
                write!(f, "\n  {who}")?;
            }
            let all = self
                .skipped
                .get(super::DO_NOT_CONTACT)
                .copied()
                .unwrap_or(0);
            if all > self.do_not_contact.len() {
                write!(f, "\n  … and {} more", all - self.do_not_contact.len())?;
            }
        }
        Ok(())
    }
}
