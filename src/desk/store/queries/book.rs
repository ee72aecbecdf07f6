//! The whole book in name order, a page at a time by key, narrowed by a search and a status;
//! how many stand at each status and in each sequence.

use super::prefixed;
use crate::desk::store::rows::{PROSPECT_COLS, prospect_from};
use crate::domain::Prospect;
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

/// Candidates read from the search index before a search walks the book in name order
/// instead: with more than this many, matches are dense enough that a walk fills a page soon.
const FEW_CANDIDATES: i64 = 5_000;

/// Rows of the book a one- or two-character search looks through (no index holds runs that
/// short): about a frame's work. A page that ends short of it reports itself incomplete.
pub const SHORT_SEARCH_SCAN: i64 = 20_000;

/// A page of the book, and whether it is all there is in its direction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BookPage {
    pub rows: Vec<Prospect>,
    /// A short search looked through only [`SHORT_SEARCH_SCAN`] rows and stopped there:
    /// more matches may lie beyond.
    pub partial: bool,
}

/// How a search finds its rows.
enum Search {
    None,
    /// From the trigram index's candidates, confirmed by `LIKE`.
    Indexed(String),
    /// A walk in name order, every row tested with `LIKE`.
    Walk,
    /// A walk of at most [`SHORT_SEARCH_SCAN`] rows.
    ShortWalk,
}

/// The trigram query that every row containing `needle` matches (`needle` has three or more
/// characters): each run of three, quoted, joined by AND.
fn trigram_query(needle: &str) -> String {
    let chars: Vec<char> = needle.chars().collect();
    chars
        .windows(3)
        .map(|w| format!("\"{}\"", w.iter().collect::<String>().replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" AND ")
}

fn plan_search(conn: &Connection, needle: &str) -> Result<Search> {
    if needle.is_empty() {
        return Ok(Search::None);
    }
    if needle.chars().count() < 3 {
        return Ok(Search::ShortWalk);
    }
    let query = trigram_query(needle);
    let candidates: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM (SELECT rowid FROM prospect_search \
             WHERE prospect_search MATCH ?1 LIMIT ?2)",
        )?
        .query_row(rusqlite::params![query, FEW_CANDIDATES + 1], |r| r.get(0))?;
    Ok(if candidates > FEW_CANDIDATES {
        Search::Walk
    } else {
        Search::Indexed(query)
    })
}

/// A page of prospects matching `needle` (name, company or email, as `LIKE '%needle%'`
/// does) whose latest enrollment has `status` (`"none"`: never enrolled), in book order.
/// Keyset paging: each page seeks the name index from its neighbour's key, so the last page
/// costs what the first does. A search of three or more characters reads its candidates
/// from the trigram index when they are few, and walks the name order when they are many
/// (a page fills soon); a shorter one walks at most [`SHORT_SEARCH_SCAN`] rows.
/// `rare`: few prospects have `status` (see the query for why it matters).
pub fn book_page(
    conn: &Connection,
    needle: &str,
    status: Option<&str>,
    rare: bool,
    page: &Page,
    limit: usize,
) -> Result<BookPage> {
    let needle = needle.trim().replace(['%', '_'], "");
    let search = plan_search(conn, &needle)?;
    let mut clauses: Vec<&str> = Vec::new();
    if !matches!(search, Search::None) {
        clauses.push(
            "(p.first_name || ' ' || p.last_name LIKE :like OR p.company LIKE :like \
             OR p.email LIKE :like)",
        );
    }
    match status {
        Some("none") => {
            clauses.push("NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.prospect_id = p.id)")
        }
        // A status few prospects have: from the enrollments that have it (a full pass over
        // the book's name index would find few rows per page). A common one: the name order
        // meets its rows soon, asking each prospect's latest enrollment from the index.
        Some(_) if rare => clauses.push(
            "p.id IN (SELECT e.prospect_id FROM enrollments e WHERE e.status = :status \
             AND e.id = (SELECT max(x.id) FROM enrollments x WHERE x.prospect_id = e.prospect_id))",
        ),
        Some(_) => clauses.push(
            "(SELECT e.status FROM enrollments e WHERE e.prospect_id = p.id \
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
    let key_clause = match (key, order) {
        (None, _) => None,
        (Some(_), "ASC") => Some("(p.last_name, p.first_name, p.id) > (:last, :first, :id)"),
        (Some(_), _) => Some("(p.last_name, p.first_name, p.id) < (:last, :first, :id)"),
    };
    let by = format!("p.last_name {order}, p.first_name {order}, p.id {order}");
    let source = match &search {
        // The candidates first, then sorted: CROSS JOIN keeps SQLite from walking the name
        // index and testing each row against them.
        Search::Indexed(_) => "(SELECT rowid AS rid FROM prospect_search \
             WHERE prospect_search MATCH :match) s CROSS JOIN prospects p ON p.id = s.rid"
            .to_string(),
        // The walk carries only what it tests and sorts on; the rest of a row (some of it
        // computed from its stored form) is read for the rows that match.
        Search::ShortWalk => format!(
            "(SELECT id, first_name, last_name, company, email FROM prospects p{} \
             ORDER BY {by} LIMIT :scan) p CROSS JOIN prospects q ON q.id = p.id",
            key_clause
                .map(|k| format!(" WHERE {k}"))
                .unwrap_or_default()
        ),
        Search::None | Search::Walk => "prospects p".to_string(),
    };
    if let Some(k) = key_clause {
        clauses.push(k);
    }
    let filter = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    let row = if matches!(search, Search::ShortWalk) {
        "q"
    } else {
        "p"
    };
    let sql = format!(
        "SELECT {} FROM {source} {filter} ORDER BY {by} LIMIT :limit",
        prefixed(row, &PROSPECT_COLS)
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let like = format!("%{needle}%");
    let limit = limit as i64;
    let scan = SHORT_SEARCH_SCAN;
    let mut named: Vec<(&str, &dyn rusqlite::ToSql)> = vec![(":limit", &limit)];
    match &search {
        Search::None => {}
        Search::Indexed(query) => {
            named.push((":like", &like));
            named.push((":match", query));
        }
        Search::Walk => named.push((":like", &like)),
        Search::ShortWalk => {
            named.push((":like", &like));
            named.push((":scan", &scan));
        }
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
    let partial = matches!(search, Search::ShortWalk)
        && out.len() < limit as usize
        && rows_beyond_scan(conn, key_clause, &by, key)?;
    Ok(BookPage { rows: out, partial })
}

/// Whether the book holds more than [`SHORT_SEARCH_SCAN`] rows past `key` in `by` order.
fn rows_beyond_scan(
    conn: &Connection,
    key_clause: Option<&str>,
    by: &str,
    key: Option<&BookKey>,
) -> Result<bool> {
    let sql = format!(
        "SELECT EXISTS (SELECT 1 FROM prospects p{} ORDER BY {by} LIMIT 1 OFFSET :scan)",
        key_clause
            .map(|k| format!(" WHERE {k}"))
            .unwrap_or_default()
    );
    let scan = SHORT_SEARCH_SCAN;
    let mut named: Vec<(&str, &dyn rusqlite::ToSql)> = vec![(":scan", &scan)];
    if let Some(k) = key {
        named.push((":last", &k.last_name));
        named.push((":first", &k.first_name));
        named.push((":id", &k.id));
    }
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(named.as_slice(), |r| r.get(0))?)
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
    // From the rollup the enrollment triggers keep: a pass over every enrollment would
    // grow with the book.
    let mut stmt = conn.prepare_cached(
        "SELECT sequence, sum(CASE WHEN status = 'active' THEN n ELSE 0 END), \
         sum(CASE WHEN status = 'paused' THEN n ELSE 0 END), \
         sum(CASE WHEN status NOT IN ('active', 'paused') THEN n ELSE 0 END) \
         FROM stat_statuses GROUP BY sequence",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, [r.get(1)?, r.get(2)?, r.get(3)?])))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
