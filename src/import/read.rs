//! Reading a CSV file into prospects: encoding, delimiter, headers, and row errors that name
//! the file, row and column.

use super::columns::{recognise, Column};
use crate::content::Located;
use crate::domain::prospect::snake_case;
use crate::domain::Prospect;
use anyhow::{Context, Result};
use std::path::Path;

/// Reads the whole file; any bad row fails the whole read (nothing is half-imported).
pub fn read(path: &Path) -> Result<Vec<Prospect>> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).with_context(|| format!("reading {shown}"))?;
    let text = decode(&bytes);
    let delimiter = sniff_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| csv_error(&shown, &e))?.clone();
    let columns: Vec<Option<Column>> = headers.iter().map(recognise).collect();
    if !columns
        .iter()
        .any(|c| matches!(c, Some(Column::FirstName | Column::FullName)))
    {
        return Err(
            Located::new(&shown, 1, 1, "no first_name (or name) column in the header").into(),
        );
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(&shown, &e))?;
        let line = record.position().map_or(0, |p| p.line());
        let mut p = Prospect::default();
        let mut full_name = String::new();
        for (i, value) in record.iter().enumerate() {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let col = i + 1;
            let bad = |msg: String| Located::new(&shown, line as usize, col, msg);
            let set = |slot: &mut Option<String>| *slot = Some(value.to_string());
            match columns.get(i).copied().flatten() {
                Some(Column::FirstName) => p.first_name = value.to_string(),
                Some(Column::LastName) => p.last_name = value.to_string(),
                Some(Column::FullName) => full_name = value.to_string(),
                Some(Column::Email) => {
                    // Several addresses in one cell: the first is the primary one.
                    let first = value
                        .split([';', ',', ' '])
                        .find(|s| !s.is_empty())
                        .unwrap_or(value);
                    if !looks_like_email(first) {
                        return Err(bad(format!("'{first}' is not an email address")).into());
                    }
                    p.email = Some(first.to_string());
                }
                Some(Column::Phone) => set(&mut p.phone),
                Some(Column::Linkedin) => set(&mut p.linkedin),
                Some(Column::Company) => set(&mut p.company),
                Some(Column::Title) => set(&mut p.title),
                Some(Column::City) => set(&mut p.city),
                Some(Column::Timezone) => {
                    if value.parse::<chrono_tz::Tz>().is_err() {
                        return Err(bad(format!(
                            "'{value}' is not a time zone (like America/Chicago)"
                        ))
                        .into());
                    }
                    set(&mut p.timezone)
                }
                Some(Column::Notes) => p.notes = value.to_string(),
                None => {
                    let key = snake_case(headers.get(i).unwrap_or(""));
                    if !key.is_empty() {
                        p.fields.insert(key, value.to_string());
                    }
                }
            }
        }
        if p.first_name.is_empty() && !full_name.is_empty() {
            let mut parts = full_name.splitn(2, ' ');
            p.first_name = parts.next().unwrap_or("").to_string();
            if p.last_name.is_empty() {
                p.last_name = parts.next().unwrap_or("").trim().to_string();
            }
        }
        if p.first_name.is_empty() {
            let col = columns
                .iter()
                .position(|c| matches!(c, Some(Column::FirstName | Column::FullName)))
                .map_or(1, |i| i + 1);
            return Err(Located::new(&shown, line as usize, col, "the first name is empty").into());
        }
        rows.push(p);
    }
    Ok(rows)
}

fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => !local.is_empty() && domain.contains('.') && !s.contains(' '),
        None => false,
    }
}

/// UTF-8 (a BOM is dropped), else Windows-1252.
fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

/// `;` when the header line has more semicolons than commas (European spreadsheets).
fn sniff_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    if header.matches(';').count() > header.matches(',').count() {
        b';'
    } else {
        b','
    }
}

fn csv_error(file: &str, e: &csv::Error) -> anyhow::Error {
    let line = e.position().map_or(1, |p| p.line() as usize);
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("this row has {len} fields, the header has {expected_len}"),
        _ => e.to_string(),
    };
    let column = match e.kind() {
        csv::ErrorKind::UnequalLengths { len, .. } => (*len as usize).max(1),
        _ => 1,
    };
    Located::new(file, line, column, message).into()
}
