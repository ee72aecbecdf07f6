//! Prospects: by id, by email, by any identifier; the do-not-contact match; the search and
//! how identifiers are stored.

use crate::desk::store::rows::{PROSPECT_COLS, prospect_from};
use crate::domain::Prospect;
use crate::domain::prospect::{normalize_email, normalize_linkedin_keep};
use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, params};

pub fn prospect(conn: &Connection, id: i64) -> Result<Option<Prospect>> {
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!("SELECT {} FROM prospects WHERE id = ?1", *PROSPECT_COLS)
    });
    Ok(conn
        .prepare_cached(&SQL)?
        .query_row([id], |r| prospect_from(r, 0))
        .optional()?)
}

/// A prospect by id or by email address (case-insensitive).
pub fn find_prospect(conn: &Connection, key: &str) -> Result<Option<Prospect>> {
    let key = key.trim();
    if let Ok(id) = key.parse::<i64>() {
        return prospect(conn, id);
    }
    Ok(conn
        .query_row(
            &format!("SELECT {} FROM prospects WHERE email = ?1", *PROSPECT_COLS),
            [normalize_email(key)],
            |r| prospect_from(r, 0),
        )
        .optional()?)
}

/// A known prospect with the same email or LinkedIn URL, for de-duplication.
pub fn matching_prospect(conn: &Connection, p: &Prospect) -> Result<Option<Prospect>> {
    if let Some(email) = p.email.as_deref().filter(|e| !e.is_empty()) {
        if let Some(found) = find_prospect(conn, email)? {
            return Ok(Some(found));
        }
    }
    if let Some(li) = p.linkedin.as_deref().filter(|l| !l.is_empty()) {
        return Ok(conn
            .query_row(
                &format!(
                    "SELECT {} FROM prospects WHERE linkedin = ?1",
                    *PROSPECT_COLS
                ),
                [normalize_linkedin_keep(li)],
                |r| prospect_from(r, 0),
            )
            .optional()?);
    }
    Ok(None)
}

/// The do-not-contact entry that matches any of the prospect's identifiers.
pub fn do_not_contact_match(conn: &Connection, p: &Prospect) -> Result<Option<(String, String)>> {
    let mut stmt =
        conn.prepare_cached("SELECT 1 FROM do_not_contact WHERE kind = ?1 AND value = ?2")?;
    for (kind, value) in p.identifiers() {
        if stmt.exists(params![kind, value])? {
            return Ok(Some((kind.to_string(), value)));
        }
    }
    // A whole company may have asked to stop: every address at its domain.
    let domain = p
        .email
        .as_deref()
        .and_then(crate::domain::accounts::work_domain);
    if let Some(domain) = domain {
        if stmt.exists(params!["domain", domain])? {
            return Ok(Some(("domain".to_string(), domain)));
        }
    }
    Ok(None)
}

/// Prospects whose name, company or email contains `needle`, by name; at most `limit`.
pub fn search(conn: &Connection, needle: &str, limit: usize) -> Result<Vec<Prospect>> {
    Ok(super::book_page(
        conn,
        &super::BookFilter {
            needle,
            ..Default::default()
        },
        &super::Page::First,
        limit,
    )?
    .rows)
}

/// Whether there is any prospect at all (without counting them all).
pub fn any_prospect(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM prospects)", [], |r| r.get(0))?)
}

/// Every custom field name prospects carry (kept by `rows::write_prospect`).
pub fn custom_field_names(conn: &Connection) -> Result<std::collections::BTreeSet<String>> {
    let mut stmt = conn.prepare_cached("SELECT name FROM custom_field_names")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Up to `limit` email addresses that start with `prefix` (lower case), in order: read from
/// the email index alone, so a shell's completion is as quick in a big book as a small one.
pub fn emails_starting(conn: &Connection, prefix: &str, limit: usize) -> Result<Vec<String>> {
    let prefix = prefix.to_lowercase();
    let mut stmt = conn.prepare_cached(
        "SELECT email FROM prospects WHERE email >= ?1 AND email < ?1 || char(1114111) \
         ORDER BY email LIMIT ?2",
    )?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = stmt.query_map(params![prefix, limit], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
}

/// The prospects whose conversation's task is due by `day` (see `prospects_tasks`), soonest
/// first.
pub fn tasks_due(conn: &Connection, day: chrono::NaiveDate) -> Result<Vec<Prospect>> {
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "SELECT {} FROM prospects WHERE task_due IS NOT NULL AND task_due < ?1 \
             ORDER BY task_due, id",
            *PROSPECT_COLS
        )
    });
    let next = day.succ_opt().unwrap_or(day).to_string();
    let mut stmt = conn.prepare_cached(&SQL)?;
    let rows = stmt.query_map([next], |r| prospect_from(r, 0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<Prospect>>>()?)
}

/// The prospects whose conversation's task falls due after `today` up to `last` (both days).
pub fn tasks_between(
    conn: &Connection,
    today: chrono::NaiveDate,
    last: chrono::NaiveDate,
) -> Result<Vec<Prospect>> {
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "SELECT {} FROM prospects WHERE task_due IS NOT NULL \
             AND task_due >= ?1 AND task_due < ?2 ORDER BY task_due, id",
            *PROSPECT_COLS
        )
    });
    let from = today.succ_opt().unwrap_or(today).to_string();
    let to = last.succ_opt().unwrap_or(last).to_string();
    let mut stmt = conn.prepare_cached(&SQL)?;
    let rows = stmt.query_map([from, to], |r| prospect_from(r, 0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<Prospect>>>()?)
}
