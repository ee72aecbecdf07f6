//! The whole book in name order, a page at a time by key, narrowed by a search and a status;
//! how many stand at each status and in each sequence.

use crate::domain::Prospect;
use crate::store::rows::{PROSPECT_COLS, prospect_from};
use anyhow::Result;
use rusqlite::Connection;

/// Where a page of the book starts or ends: the sort key of the row next to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookKey {
    pub last_name: String,
    pub first_name: String,
    pub id: i64,
}

impl BookKey {
    pub fn of(p: &Prospect) -> BookKey {
        BookKey {
            last_name: p.last_name.clone(),
            first_name: p.first_name.clone(),
            id: p.id,
        }
    }
}

/// Which page of the book (by last name, first name, id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    First,
    Last,
    After(BookKey),
    Before(BookKey),
}

/// A page of prospects matching `needle` (name, company or email) whose latest enrollment has
/// `status` (`"none"`: never enrolled), in book order. Keyset paging: each page seeks the
/// name index from its neighbour's key, so the last page costs what the first does.
/// `rare`: few prospects have `status` (see the query for why it matters).
pub fn book_page(
    conn: &Connection,
    needle: &str,
    status: Option<&str>,
    rare: bool,
    page: &Page,
    limit: usize,
) -> Result<Vec<Prospect>> {
    let needle = needle.trim().replace(['%', '_'], "");
    let mut clauses: Vec<&str> = Vec::new();
    if !needle.is_empty() {
        clauses.push(
            "(first_name || ' ' || last_name LIKE :like OR company LIKE :like OR email LIKE :like)",
        );
    }
    match status {
        Some("none") => clauses
            .push("NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.prospect_id = prospects.id)"),
        // A status few prospects have: from the enrollments that have it (a full pass over
        // the book's name index would find few rows per page). A common one: the name order
        // meets its rows soon, asking each prospect's latest enrollment from the index.
        Some(_) if rare => clauses.push(
            "id IN (SELECT e.prospect_id FROM enrollments e WHERE e.status = :status \
             AND e.id = (SELECT max(x.id) FROM enrollments x WHERE x.prospect_id = e.prospect_id))",
        ),
        Some(_) => clauses.push(
            "(SELECT e.status FROM enrollments e WHERE e.prospect_id = prospects.id \
             ORDER BY e.id DESC LIMIT 1) = :status",
        ),
        None => {}
    }
    let (key, order) = match page {
        Page::First => (None, "ASC"),
        Page::Last => (None, "DESC"),
        Page::After(k) => (Some(k), "ASC"),
        Page::Before(k) => (Some(k), "DESC"),
    };
    if key.is_some() {
        clauses.push(if order == "ASC" {
            "(last_name, first_name, id) > (:last, :first, :id)"
        } else {
            "(last_name, first_name, id) < (:last, :first, :id)"
        });
    }
    let filter = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    let sql = format!(
        "SELECT {PROSPECT_COLS} FROM prospects {filter} \
         ORDER BY last_name {order}, first_name {order}, id {order} LIMIT :limit"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let like = format!("%{needle}%");
    let limit = limit as i64;
    let mut named: Vec<(&str, &dyn rusqlite::ToSql)> = vec![(":limit", &limit)];
    if !needle.is_empty() {
        named.push((":like", &like));
    }
    let wanted = status.filter(|s| *s != "none");
    if let Some(s) = &wanted {
        named.push((":status", s));
    }
    if let Some(k) = key {
        named.push((":last", &k.last_name));
        named.push((":first", &k.first_name));
        named.push((":id", &k.id));
    }
    let rows = stmt.query_map(named.as_slice(), |r| prospect_from(r, 0))?;
    let mut out: Vec<Prospect> = rows.collect::<Result<_, _>>()?;
    if order == "DESC" {
        out.reverse();
    }
    Ok(out)
}

/// How many prospects stand at each status (their latest enrollment's; `none`: never
/// enrolled), most first.
pub fn status_counts(conn: &Connection) -> Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.status, count(*) FROM enrollments e \
         WHERE e.id = (SELECT max(x.id) FROM enrollments x WHERE x.prospect_id = e.prospect_id) \
         GROUP BY e.status",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    let mut out: Vec<(String, i64)> = rows.collect::<Result<_, _>>()?;
    let never: i64 = conn.query_row(
        "SELECT (SELECT count(*) FROM prospects) - \
         (SELECT count(DISTINCT prospect_id) FROM enrollments)",
        [],
        |r| r.get(0),
    )?;
    if never > 0 {
        out.push(("none".to_string(), never));
    }
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(out)
}

/// Per sequence, how many enrollments are active, paused and finished.
pub fn sequence_people(conn: &Connection) -> Result<Vec<(String, [i64; 3])>> {
    let mut stmt = conn.prepare_cached(
        "SELECT sequence, sum(status = 'active'), sum(status = 'paused'), \
         sum(status NOT IN ('active', 'paused')) FROM enrollments GROUP BY sequence",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, [r.get(1)?, r.get(2)?, r.get(3)?])))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
