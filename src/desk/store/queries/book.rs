//! The whole book in name order, a page at a time by key, narrowed by a search and a status;
//! how many stand at each status and in each sequence.

use super::prefixed;
use crate::desk::store::rows::{PROSPECT_COLS, prospect_from};
use crate::domain::Prospect;
use anyhow::Result;
use rusqlite::{Connection, OptionalExtension};

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

/// Rows of the book a one- or two-character search looks through (no index holds runs that
/// short): well within a frame. A page that ends short of it reports itself incomplete.
pub const SHORT_SEARCH_SCAN: i64 = 3_000;

/// A page of the book, and whether it is all there is in its direction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BookPage {
    pub rows: Vec<Prospect>,
    /// A short search looked through only [`SHORT_SEARCH_SCAN`] rows and stopped there:
    /// more matches may lie beyond.
    pub partial: bool,
}

/// How a search finds its rows.
#[derive(Clone)]
enum Search {
    None,
    /// From the trigram index's candidates in book order (the index is keyed by each
    /// prospect's position, `store::book_order`), confirmed by `LIKE`.
    Indexed(String),
    /// A walk of at most this many rows in name order, each tested with `LIKE`.
    Walk(i64),
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

/// A short needle walks (no index holds runs that short); a longer one reads the index.
fn plan_search(needle: &str) -> Search {
    match needle.chars().count() {
        0 => Search::None,
        1 | 2 => Search::Walk(SHORT_SEARCH_SCAN),
        _ => Search::Indexed(trigram_query(needle)),
    }
}

/// A page of prospects matching `needle` (name, company or email, as `LIKE '%needle%'`
/// does) whose latest enrollment has `status` (`"none"`: never enrolled), in book order.
/// Keyset paging: each page seeks the name index from its neighbour's key, so the last page
/// costs what the first does. A search of three or more characters reads the trigram
/// index's candidates in book order from the page's edge and stops when the page is full;
/// a shorter one walks at most [`SHORT_SEARCH_SCAN`] rows.
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
    let asked = Asked {
        needle: &needle,
        status,
        rare,
        page,
        limit,
    };
    run_page(conn, &asked, &plan_search(&needle))
}

/// What a page asks for.
struct Asked<'a> {
    needle: &'a str,
    status: Option<&'a str>,
    rare: bool,
    page: &'a Page,
    limit: usize,
}

/// One query for the page, found the way `search` says; `partial` when a walk stopped at
/// its length with rows beyond it.
fn run_page(conn: &Connection, asked: &Asked, search: &Search) -> Result<BookPage> {
    let (key, order) = match asked.page {
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
    let mut clauses = filters(search, asked.status, asked.rare);
    let (source, by) = match &search {
        // The index's candidates in book order from the page's edge: CROSS JOIN keeps SQLite
        // from starting anywhere else, so the page stops reading when it is full.
        Search::Indexed(_) => {
            clauses.push("s.rowid > :from AND s.rowid < :to");
            (
                "prospect_search s CROSS JOIN book_positions b ON b.pos = s.rowid \
                 CROSS JOIN prospects p ON p.id = b.prospect_id"
                    .to_string(),
                format!("s.rowid {order}"),
            )
        }
        // The walk carries only what it tests and sorts on; the rest of a row (some of it
        // computed from its stored form) is read for the rows that match.
        Search::Walk(_) => {
            key_clause.inspect(|k| clauses.push(k));
            let walk = format!(
                "(SELECT id, first_name, last_name, company, email FROM prospects p{} \
                 ORDER BY {by} LIMIT :scan) p CROSS JOIN prospects q ON q.id = p.id",
                key_clause
                    .map(|k| format!(" WHERE {k}"))
                    .unwrap_or_default()
            );
            (walk, by.clone())
        }
        Search::None => {
            key_clause.inspect(|k| clauses.push(k));
            ("prospects p".to_string(), by.clone())
        }
    };
    let filter = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    let row = if matches!(search, Search::Walk(_)) {
        "q"
    } else {
        "p"
    };
    let sql = format!(
        "SELECT {} FROM {source} {filter} ORDER BY {by} LIMIT :limit",
        prefixed(row, &PROSPECT_COLS)
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let like = format!("%{}%", asked.needle);
    let limit = asked.limit as i64;
    let scan = match search {
        Search::Walk(n) => *n,
        _ => 0,
    };
    let (from, to) = match search {
        Search::Indexed(_) => edges(conn, asked.page)?,
        _ => (i64::MIN, i64::MAX),
    };
    let mut named: Vec<(&str, &dyn rusqlite::ToSql)> = vec![(":limit", &limit)];
    match search {
        Search::None => {}
        Search::Indexed(query) => {
            named.push((":like", &like));
            named.push((":match", query));
            named.push((":from", &from));
            named.push((":to", &to));
        }
        Search::Walk(_) => {
            named.push((":like", &like));
            named.push((":scan", &scan));
        }
    }
    let wanted = asked.status.filter(|s| *s != "none");
    if let Some(s) = &wanted {
        named.push((":status", s));
    }
    if let (Some(k), false) = (key, matches!(search, Search::Indexed(_))) {
        named.push((":last", &k.last_name));
        named.push((":first", &k.first_name));
        named.push((":id", &k.id));
    }
    let rows = stmt.query_map(named.as_slice(), |r| prospect_from(r, 0))?;
    let mut out: Vec<Prospect> = rows.collect::<Result<_, _>>()?;
    if order == "DESC" {
        out.reverse();
    }
    let partial = matches!(search, Search::Walk(_))
        && out.len() < asked.limit
        && rows_beyond_scan(conn, key_clause, &by, key, scan)?;
    Ok(BookPage { rows: out, partial })
}

/// The clauses a row must pass besides its place: the search and the status.
fn filters(search: &Search, status: Option<&str>, rare: bool) -> Vec<&'static str> {
    let mut clauses: Vec<&str> = Vec::new();
    if let Search::Indexed(_) = search {
        clauses.push("prospect_search MATCH :match");
    }
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
    clauses
}

/// The positions a page of index candidates lies strictly between: past its neighbour's
/// (or the place it would have, when it has gone or been renamed since).
fn edges(conn: &Connection, page: &Page) -> Result<(i64, i64)> {
    let at = |sql: &str, k: &BookKey| -> Result<Option<i64>> {
        Ok(conn
            .prepare_cached(sql)?
            .query_row(rusqlite::params![k.last_name, k.first_name, k.id], |r| {
                r.get(0)
            })
            .optional()?)
    };
    Ok(match page {
        Page::First | Page::Last => (i64::MIN, i64::MAX),
        Page::After(k) => {
            let from = at(
                "SELECT b.pos FROM prospects p CROSS JOIN book_positions b ON b.prospect_id = p.id \
                 WHERE (p.last_name, p.first_name, p.id) <= (?1, ?2, ?3) \
                 ORDER BY p.last_name DESC, p.first_name DESC, p.id DESC LIMIT 1",
                k,
            )?;
            (from.unwrap_or(i64::MIN), i64::MAX)
        }
        Page::Before(k) => {
            let to = at(
                "SELECT b.pos FROM prospects p CROSS JOIN book_positions b ON b.prospect_id = p.id \
                 WHERE (p.last_name, p.first_name, p.id) >= (?1, ?2, ?3) \
                 ORDER BY p.last_name, p.first_name, p.id LIMIT 1",
                k,
            )?;
            (i64::MIN, to.unwrap_or(i64::MAX))
        }
    })
}

/// Whether the book holds more than `scan` rows past `key` in `by` order.
fn rows_beyond_scan(
    conn: &Connection,
    key_clause: Option<&str>,
    by: &str,
    key: Option<&BookKey>,
    scan: i64,
) -> Result<bool> {
    let sql = format!(
        "SELECT EXISTS (SELECT 1 FROM prospects p{} ORDER BY {by} LIMIT 1 OFFSET :scan)",
        key_clause
            .map(|k| format!(" WHERE {k}"))
            .unwrap_or_default()
    );
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
