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

/// Rows of the book a search of three or more characters walks in name order before it
/// asks the trigram index instead: when matches are dense from where the page starts, the
/// page fills within them; when they are few, or gathered further on (every "Zhang" sits
/// at the end of the book), the index's candidates are read and sorted.
const FIRST_WALK: i64 = 2_000;

/// Rows of the book a one- or two-character search looks through (no index holds runs that
/// short): about a frame's work. A page that ends short of it reports itself incomplete.
pub const SHORT_SEARCH_SCAN: i64 = 5_000;

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
    /// From the trigram index's candidates, confirmed by `LIKE`.
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

/// The first way to try: a short needle walks (no index holds runs that short), a longer
/// one walks a little first (see [`FIRST_WALK`]).
fn plan_search(needle: &str) -> Search {
    match needle.chars().count() {
        0 => Search::None,
        1 | 2 => Search::Walk(SHORT_SEARCH_SCAN),
        _ => Search::Walk(FIRST_WALK),
    }
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
    let asked = Asked {
        needle: &needle,
        status,
        rare,
        page,
        limit,
    };
    let search = plan_search(&needle);
    let walked = run_page(conn, &asked, &search)?;
    let short = needle.chars().count() < 3;
    if short || walked.rows.len() >= limit || !walked.partial {
        return Ok(BookPage {
            partial: short && walked.partial,
            rows: walked.rows,
        });
    }
    let indexed = run_page(conn, &asked, &Search::Indexed(trigram_query(&needle)))?;
    Ok(BookPage {
        rows: indexed.rows,
        partial: false,
    })
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
    let Asked {
        needle,
        status,
        rare,
        page,
        limit,
    } = *asked;
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
        Search::Walk(_) => format!(
            "(SELECT id, first_name, last_name, company, email FROM prospects p{} \
             ORDER BY {by} LIMIT :scan) p CROSS JOIN prospects q ON q.id = p.id",
            key_clause
                .map(|k| format!(" WHERE {k}"))
                .unwrap_or_default()
        ),
        Search::None => "prospects p".to_string(),
    };
    if let Some(k) = key_clause {
        clauses.push(k);
    }
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
    let like = format!("%{needle}%");
    let limit = limit as i64;
    let scan = match search {
        Search::Walk(n) => *n,
        _ => 0,
    };
    let mut named: Vec<(&str, &dyn rusqlite::ToSql)> = vec![(":limit", &limit)];
    match search {
        Search::None => {}
        Search::Indexed(query) => {
            named.push((":like", &like));
            named.push((":match", query));
        }
        Search::Walk(_) => {
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
    let partial = matches!(search, Search::Walk(_))
        && out.len() < limit as usize
        && rows_beyond_scan(conn, key_clause, &by, key, scan)?;
    Ok(BookPage { rows: out, partial })
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
