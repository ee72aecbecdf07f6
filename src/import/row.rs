//! One CSV row into one prospect: the best column for each field, several values in one cell,
//! the rest kept as custom fields, and errors that name the file, line and column.

use super::cells;
use super::columns::{Consent, Field};
use super::record_ids;
use super::source::{Layout, RowRef};
use crate::content::Located;
use crate::domain::fields::is_merge_field;
use crate::domain::prospect::snake_case;
use crate::domain::zones::{self, Place};
use crate::domain::{Field as F, Prospect};
use crate::export::cell::restore;
use anyhow::Result;
use std::collections::BTreeMap;

/// What a row turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    Prospect {
        prospect: Box<Prospect>,
        /// No time zone: the row's place is in several and does not say which.
        ambiguous_place: bool,
        /// What the CRM says of consent and delivery.
        flags: Flags,
    },
    /// Neither a first name nor a full name: not importable, counted in the summary.
    Nameless,
    /// A cell that cannot be taken (an email that is no address): named, and set aside.
    Bad(Box<BadRow>),
}

/// A row that cannot be taken as it is: where, why, and its cells as the file had them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    pub line: usize,
    pub column: usize,
    /// The column's header and what is wrong with its cell.
    pub message: String,
    pub cells: Vec<String>,
}

impl BadRow {
    /// `file:line:column: message`, as every located error is written.
    pub fn located(&self, shown: &str) -> String {
        Located::new(shown, self.line, self.column, self.message.clone()).to_string()
    }

    /// The reason column of the file the bad rows are written to.
    pub fn reason(&self) -> String {
        format!(
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

/// What a row's CRM flags say: the person opted out of email, is not to be called, or
/// their address bounced.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flags {
    pub email_opt_out: bool,
    pub do_not_call: bool,
    pub bounced: bool,
    /// The row's zone cell named no zone touchbase knows.
    pub unknown_zone: bool,
}

impl Flags {
    /// Takes what one consent cell says.
    fn take(&mut self, kind: Consent, value: &str) {
        let v = value.trim().to_lowercase();
        let yes = crate::domain::prospect::says_yes(&v);
        match kind {
            Consent::EmailOptOut => self.email_opt_out |= yes,
            Consent::DoNotCall => self.do_not_call |= yes,
            Consent::DoNotContact => {
                self.email_opt_out |= yes;
                self.do_not_call |= yes;
            }
            // A count of bounces ("Marketing emails bounced: 2") is a yes above zero.
            Consent::Bounced => self.bounced |= yes || v.parse::<u32>().is_ok_and(|n| n > 0),
            Consent::BouncedWhen => {
                self.bounced |= !v.is_empty() && !matches!(v.as_str(), "false" | "0" | "no")
            }
            Consent::Status => {
                self.email_opt_out |= v.contains("unsubscrib") || v.contains("opted out");
                self.bounced |= v.contains("bounced") || v == "invalid" || v == "undeliverable";
            }
        }
    }
}

/// Reads one row.
pub fn read(layout: &Layout, row: &RowRef) -> Result<Row> {
    let mut p = Prospect::default();
    let mut fields: BTreeMap<String, String> = BTreeMap::new();
    // Per field, the winning column so far: (rank, column index).
    let mut best: Vec<(Field, u8, usize)> = Vec::new();
    let mut losers: Vec<usize> = Vec::new();
    let mut flags = Flags::default();
    for (i, raw) in row.cells.iter().enumerate().take(layout.headers.len()) {
        let value = cell(raw, layout.own);
        if value.is_empty() {
            continue;
        }
        let own_header =
            |name: &str| layout.own && layout.headers.get(i).is_some_and(|h| h == name);
        if own_header(crate::export::EXTERNAL_IDS) {
            p.external_ids = crate::domain::prospect::parse_external_ids(value);
            continue;
        }
        // This book's number for the person means nothing in another book.
        if own_header(crate::export::PROSPECT_ID) {
            continue;
        }
        if let Some(source) = layout.ids.get(i).copied().flatten() {
            if let Some((source, id)) = record_ids::external_id(source, value) {
                p.external_ids.insert(source.to_string(), id);
            }
            continue;
        }
        let Some(col) = layout.columns.get(i).copied().flatten() else {
            losers.push(i);
            continue;
        };
        // Every consent column counts (any one of them saying no is a no), and each stays
        // a custom field too, for the rep to see.
        if let Field::Consent(kind) = col.field {
            flags.take(kind, value);
            losers.push(i);
            continue;
        }
        // A Sales Navigator link stays a custom field under its column's name: it only opens
        // for the rep's own seat, and its case-sensitive id would not survive the
        // normalisation that LinkedIn profile addresses get.
        let not_a_profile = col.field == Field::Own(F::Linkedin)
            && (cells::is_sales_navigator(value) || !cells::is_profile(value));
        if not_a_profile {
            losers.push(i);
            continue;
        }
        let rank = col.rank;
        match best.iter_mut().find(|(f, ..)| *f == col.field) {
            Some(slot) if (rank, i) < (slot.1, slot.2) => {
                losers.push(slot.2);
                *slot = (col.field, rank, i);
            }
            Some(_) => losers.push(i),
            None => best.push((col.field, rank, i)),
        }
    }
    let mut full_name = String::new();
    for &(field, _, i) in &best {
        let value = cell(&row.cells[i], layout.own).to_string();
        let bad = |message: String| {
            let header = layout.headers.get(i).map_or("", String::as_str);
            Row::Bad(Box::new(BadRow {
                line: row.line,
                column: i + 1,
                message: format!("{header}: {message}"),
                cells: row.cells.iter().map(str::to_string).collect(),
            }))
        };
        match field {
            Field::FullName => full_name = value,
            Field::Consent(_) => {}
            Field::Own(F::Email) => {
                let mut found = cells::emails(&value).into_iter();
                let Some(first) = found.next() else {
                    return Ok(bad(format!("'{}' is not an email address", clip(&value))));
                };
                p.email = Some(first);
                let rest: Vec<String> = found.collect();
                append(&mut fields, crate::domain::prospect::OTHER_EMAILS, &rest);
            }
            // touchbase's own export gives back what the book held, as it held it.
            Field::Own(F::Phone) if layout.own => p.phone = Some(value),
            Field::Own(F::Phone) => {
                let mut found = cells::phones(&value).into_iter();
                p.phone = found.next();
                let rest: Vec<String> = found.collect();
                append(&mut fields, crate::domain::prospect::OTHER_PHONES, &rest);
            }
            Field::State => {
                fields.insert("state".into(), value);
            }
            Field::Country => {
                fields.insert("country".into(), value);
            }
            // A zone cell nobody can read is not worth refusing the file for: the zone is
            // worked out from the place instead, and the summary says how many.
            Field::Own(F::Timezone) => match cells::time_zone(&value) {
                Some(zone) => p.timezone = Some(zone),
                None => flags.unknown_zone = true,
            },
            Field::Own(f) => p.set_field(f, Some(value)),
        }
    }
    for i in losers {
        let value = cell(&row.cells[i], layout.own).to_string();
        // A second email column is another address of the same person: kept with the
        // others, so the do-not-contact check sees it too.
        let field = layout.columns.get(i).copied().flatten().map(|c| c.field);
        if field == Some(Field::Own(F::Email)) && !layout.own && value.contains('@') {
            append(&mut fields, crate::domain::prospect::OTHER_EMAILS, &[value]);
            continue;
        }
        let Some(key) = layout.custom_keys.get(i).filter(|k| !k.is_empty()) else {
            continue;
        };
        insert_unique(&mut fields, key, value);
    }
    if p.first_name.is_empty() && !full_name.is_empty() {
        let (first, last) = cells::split_name(&full_name);
        p.first_name = first;
        if p.last_name.is_empty() {
            p.last_name = last;
        }
    }
    if p.first_name.is_empty() {
        return Ok(Row::Nameless);
    }
    p.fields = fields;
    // touchbase's own export is taken as it is: a prospect without a time zone stays so.
    let mut ambiguous_place = false;
    if !layout.own && p.timezone.is_none() {
        let place = infer_zone(&p);
        ambiguous_place = place == Place::Ambiguous;
        p.timezone = place.zone().map(str::to_string);
    }
    Ok(Row::Prospect {
        prospect: Box::new(p),
        ambiguous_place,
        flags,
    })
}

/// A cell's text: CRM exports are trimmed; touchbase's own export is taken exactly as
/// written so that a round trip gives back the very same text. Either way a spreadsheet
/// formula guard comes off.
fn cell(raw: &str, own: bool) -> &str {
    if own {
        restore(raw)
    } else {
        restore(raw.trim()).trim()
    }
}

/// A custom field's name: touchbase's own columns keep theirs; a CRM's are snake_cased
/// ("Lead Source" → `lead_source`, Close's "custom.Lead Source" too). A name a built-in
/// merge field already uses gets `other_` in front, so it is not hidden behind it.
pub fn custom_key(header: &str, own: bool) -> String {
    if own {
        return header.to_string();
    }
    let bare = header
        .trim()
        .strip_prefix("custom.")
        .unwrap_or(header.trim());
    let key = snake_case(bare);
    if is_merge_field(&key) {
        format!("other_{key}")
    } else {
        key
    }
}

/// Two columns with the same snake_cased name both survive: the second becomes `name_2`.
fn insert_unique(fields: &mut BTreeMap<String, String>, key: &str, value: String) {
    if !fields.contains_key(key) {
        fields.insert(key.to_string(), value);
        return;
    }
    let free = (2..)
        .map(|n| format!("{key}_{n}"))
        .find(|k| !fields.contains_key(k));
    if let Some(k) = free {
        fields.insert(k, value);
    }
}

fn append(fields: &mut BTreeMap<String, String>, key: &str, values: &[String]) {
    if values.is_empty() {
        return;
    }
    let joined = values.join("; ");
    fields
        .entry(key.to_string())
        .and_modify(|v| {
            v.push_str("; ");
            v.push_str(&joined);
        })
        .or_insert(joined);
}

/// A time zone from where the prospect is, when the place settles it (see
/// [`zones::infer`]): an import's row, `add`, `edit` and the app's form alike.
pub fn infer_zone(p: &Prospect) -> Place {
    let get = |k: &str| p.fields.get(k).map(String::as_str);
    let direct = zones::infer(p.city.as_deref(), get("state"), get("country"));
    if direct != Place::Unknown {
        return direct;
    }
    match get("location") {
        Some(location) => {
            let (city, state, country) = cells::split_location(location);
            zones::infer(city, state, country)
        }
        None => Place::Unknown,
    }
}

/// A value as an error message quotes it: at most 80 characters, so a runaway cell does not
/// flood the terminal.
pub fn clip(value: &str) -> String {
    const MAX: usize = 80;
    if value.chars().count() <= MAX {
        return value.to_string();
    }
    let kept: String = value.chars().take(MAX - 1).collect();
    format!("{kept}…")
}
