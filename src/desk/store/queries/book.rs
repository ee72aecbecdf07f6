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
pub const SHORT_SEARCH_SCAN: i64 = 2_000;

/// Prospects at a status few enough that a search within it reads them all rather than
/// the trigram index's candidates of every status (a frame's work either way).
pub const RARE_STATUS: i64 = 2_000;

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
    /// A walk of at most this many rows in book order, each tested with `LIKE`.
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

/// A short needle walks (no index holds runs that short); a longer one reads the index,
/// unless few prospects have the status asked for: then those few are walked, all of them
/// if need be, rather than the index's candidates of every status.
fn plan_search(needle: &str, rare: bool) -> Search {
    match needle.chars().count() {
        0 => Search::None,
        1 | 2 => Search::Walk(SHORT_SEARCH_SCAN),
        _ if rare => Search::Walk(i64::MAX),
        _ => Search::Indexed(trigram_query(needle)),
    }
}

/// A page of prospects matching `needle` (name, company or email, as `LIKE '%needle%'`
/// does) whose latest enrollment has `status` (`"none"`: never enrolled), in book order.
/// Every way reads the book's positions (`store::book_order`) from the page's edge and
/// stops when the page is full, so the last page costs what the first does, and a page what
/// it holds: a status from the index of positions by status; a search of three or more
/// characters from the trigram index, keyed by position; a shorter one walks at most
/// [`SHORT_SEARCH_SCAN`] rows.
pub fn book_page(
    conn: &Connection,
    filter: &BookFilter,
    page: &Page,
    limit: usize,
) -> Result<BookPage> {
    let needle = filter.needle.trim().replace(['%', '_'], "");
    let asked = Asked {
        needle: &needle,
        status: filter.status,
        page,
        limit,
    };
    let rare = filter.rare && filter.status.is_some();
    run_page(conn, &asked, &plan_search(&needle, rare))
}

/// Which prospects a page of the book shows.
#[derive(Debug, Clone, Copy, Default)]
pub struct BookFilter<'a> {
    /// Part of a name, company or email; empty: all.
    pub needle: &'a str,
    /// Only prospects whose latest enrollment has this status (`"none"`: never enrolled).
    pub status: Option<&'a str>,
    /// Few prospects have `status` (see [`plan_search`]).
    pub rare: bool,
}

/// What a page asks for.
struct Asked<'a> {
    needle: &'a str,
    status: Option<&'a str>,
    page: &'a Page,
    limit: usize,
}

/// One query for the page, found the way `search` says; `partial` when a walk stopped at
/// its length with rows beyond it.
fn run_page(conn: &Connection, asked: &Asked, search: &Search) -> Result<BookPage> {
    let order = match asked.page {
        Page::First | Page::After(_) => "ASC",
        Page::Last | Page::Before(_) => "DESC",
    };
    let status = asked.status.map(|_| "b.status = :status");
    let mut clauses: Vec<&str> = Vec::new();
    let source = match search {
        // The index's candidates in book order from the page's edge: CROSS JOIN keeps SQLite
        // from starting anywhere else, so the page stops reading when it is full.
        Search::Indexed(_) => {
            clauses.push("prospect_search MATCH :match AND s.rowid > :from AND s.rowid < :to");
            clauses.extend(status);
            "prospect_search s CROSS JOIN book_positions b ON b.pos = s.rowid \
             CROSS JOIN prospects p ON p.id = b.prospect_id"
                .to_string()
        }
        // The walk reads at most its length of positions; the rows are read as it goes.
        Search::Walk(_) => format!(
            "(SELECT pos, prospect_id FROM book_positions b \
             WHERE {} b.pos > :from AND b.pos < :to ORDER BY b.pos {order} LIMIT :scan) b \
             CROSS JOIN prospects p ON p.id = b.prospect_id",
            status.map(|s| format!("{s} AND")).unwrap_or_default()
        ),
        Search::None => {
            clauses.push("b.pos > :from AND b.pos < :to");
            clauses.extend(status);
            "book_positions b CROSS JOIN prospects p ON p.id = b.prospect_id".to_string()
        }
    };
    if !matches!(search, Search::None) {
        clauses.push(
            "(p.first_name || ' ' || p.last_name LIKE :like OR p.company LIKE :like \
             OR p.email LIKE :like)",
        );
    }
    // The index's own order, which is the positions': SQLite knows only that it needs no
    // sorting.
    let by = match search {
        Search::Indexed(_) => "s.rowid",
        _ => "b.pos",
    };
    let sql = format!(
        "SELECT {} FROM {source} WHERE {} ORDER BY {by} {order} LIMIT :limit",
        prefixed("p", &PROSPECT_COLS),
        clauses.join(" AND ")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let like = format!("%{}%", asked.needle);
    let limit = asked.limit as i64;
    let scan = match search {
        Search::Walk(n) => *n,
        _ => 0,
    };
    let (from, to) = edges(conn, asked.page)?;
    let mut named: Vec<(&str, &dyn rusqlite::ToSql)> =
        vec![(":limit", &limit), (":from", &from), (":to", &to)];
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
    if let Some(s) = &asked.status {
        named.push((":status", s));
    }
    let rows = stmt.query_map(named.as_slice(), |r| prospect_from(r, 0))?;
    let mut out: Vec<Prospect> = rows.collect::<Result<_, _>>()?;
    if order == "DESC" {
        out.reverse();
    }
    let partial = matches!(search, Search::Walk(n) if *n < i64::MAX)
        && out.len() < asked.limit
        && rows_beyond_scan(conn, asked, order, (from, to), scan)?;
    Ok(BookPage { rows: out, partial })
}

/// The positions a page lies strictly between: past its neighbour's (or the place it would
/// have, when it has gone or been renamed since).
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

/// Whether more than `scan` positions (of the status asked for) lie between `edges`.
fn rows_beyond_scan(
    conn: &Connection,
    asked: &Asked,
    order: &str,
    edges: (i64, i64),
    scan: i64,
) -> Result<bool> {
    let status = if asked.status.is_some() {
        "b.status = :status AND"
    } else {
        ""
    };
    let sql = format!(
        "SELECT EXISTS (SELECT 1 FROM book_positions b WHERE {status} b.pos > :from \
         AND b.pos < :to ORDER BY b.pos {order} LIMIT 1 OFFSET :scan)"
    );
    let mut named: Vec<(&str, &dyn rusqlite::ToSql)> =
        vec![(":scan", &scan), (":from", &edges.0), (":to", &edges.1)];
    if let Some(s) = &asked.status {
        named.push((":status", s));
    }
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(named.as_slice(), |r| r.get(0))?)
}

/// How many prospects stand at each status (their latest enrollment's; `none`: never
/// enrolled), most first: from the counts kept beside the book's positions.
pub fn status_counts(conn: &Connection) -> Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT status, n FROM book_statuses WHERE n > 0 ORDER BY n DESC, status",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
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
