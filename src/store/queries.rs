//! Read-only queries. They take a `&Connection`, so they work inside an action's transaction
//! as well as outside it.

use super::rows::{
    ENROLLMENT_COLS, ENROLLMENT_WIDTH, PROSPECT_COLS, enrollment_from, prospect_from,
};
use crate::domain::prospect::{normalize_email, normalize_linkedin, normalize_phone};
use crate::domain::{Channel, Enrollment, Outcome, Prospect};
use anyhow::Result;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use rusqlite::{Connection, OptionalExtension, params};

pub fn prospect(conn: &Connection, id: i64) -> Result<Option<Prospect>> {
    static SQL: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| format!("SELECT {PROSPECT_COLS} FROM prospects WHERE id = ?1"));
    Ok(conn
        .prepare_cached(&SQL)?
        .query_row([id], |r| prospect_from(r, 0))
        .optional()?)
}

pub fn enrollment(conn: &Connection, id: i64) -> Result<Option<(Enrollment, String)>> {
    Ok(conn
        .query_row(
            &format!("SELECT {ENROLLMENT_COLS}, sequence FROM enrollments WHERE id = ?1"),
            [id],
            |r| Ok((enrollment_from(r, 0)?, r.get(ENROLLMENT_WIDTH)?)),
        )
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
            &format!("SELECT {PROSPECT_COLS} FROM prospects WHERE email = ?1"),
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
                &format!("SELECT {PROSPECT_COLS} FROM prospects WHERE linkedin = ?1"),
                [normalize_linkedin_keep(li)],
                |r| prospect_from(r, 0),
            )
            .optional()?);
    }
    Ok(None)
}

/// The prospect's open (active or paused) enrollment, with its sequence name.
pub fn open_enrollment(
    conn: &Connection,
    prospect_id: i64,
) -> Result<Option<(Enrollment, String)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ENROLLMENT_COLS}, sequence FROM enrollments \
         WHERE prospect_id = ?1 AND status IN ('active', 'paused')"
    ))?;
    Ok(stmt
        .query_row([prospect_id], |r| {
            Ok((enrollment_from(r, 0)?, r.get(ENROLLMENT_WIDTH)?))
        })
        .optional()?)
}

/// Every enrollment of a prospect, oldest first.
pub fn enrollments_of(conn: &Connection, prospect_id: i64) -> Result<Vec<(Enrollment, String)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ENROLLMENT_COLS}, sequence FROM enrollments WHERE prospect_id = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([prospect_id], |r| {
        Ok((enrollment_from(r, 0)?, r.get(ENROLLMENT_WIDTH)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
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
    Ok(None)
}

/// How many enrollments a sequence has had: the next enrollment's ordinal.
pub fn next_ordinal(conn: &Connection, sequence: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM enrollments WHERE sequence = ?1",
        [sequence],
        |r| r.get(0),
    )?)
}

/// One line of a prospect's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TouchRow {
    pub id: i64,
    pub enrollment_id: Option<i64>,
    pub sequence: Option<String>,
    pub at: NaiveDateTime,
    pub step: Option<usize>,
    pub channel: Option<Channel>,
    pub outcome: Outcome,
    pub is_touch: bool,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub subject: Option<String>,
    pub body: Option<String>,
    pub variant: Option<String>,
    pub attributed_step: Option<usize>,
}

/// A prospect's touch log, oldest first.
pub fn history(conn: &Connection, prospect_id: i64) -> Result<Vec<TouchRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.id, t.enrollment_id, e.sequence, t.at, t.step, t.channel, t.outcome, \
         t.is_touch, t.reason, t.note, t.subject, t.body, t.variant, t.attributed_step \
         FROM touches t LEFT JOIN enrollments e ON e.id = t.enrollment_id \
         WHERE t.prospect_id = ?1 ORDER BY t.at, t.id",
    )?;
    let rows = stmt.query_map([prospect_id], |r| {
        let channel: Option<String> = r.get(5)?;
        let outcome: String = r.get(6)?;
        Ok(TouchRow {
            id: r.get(0)?,
            enrollment_id: r.get(1)?,
            sequence: r.get(2)?,
            at: r.get(3)?,
            step: r.get::<_, Option<i64>>(4)?.map(|s| s as usize),
            channel: channel.and_then(|c| c.parse().ok()),
            outcome: outcome.parse().unwrap_or(Outcome::Done),
            is_touch: r.get(7)?,
            reason: r.get(8)?,
            note: r.get(9)?,
            subject: r.get(10)?,
            body: r.get(11)?,
            variant: r.get(12)?,
            attributed_step: r.get::<_, Option<i64>>(13)?.map(|s| s as usize),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The subject of the newest email that went out on this enrollment (for `previous.subject`).
pub fn last_subject(conn: &Connection, enrollment_id: i64) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT subject FROM touches WHERE enrollment_id = ?1 AND channel = 'email' \
             AND is_touch = 1 AND subject IS NOT NULL ORDER BY id DESC LIMIT 1",
            [enrollment_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// An open enrollment with a touch due, joined to its prospect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueRow {
    pub enrollment: Enrollment,
    pub sequence: String,
    pub prospect: Prospect,
}

/// Touches due by the end of `today` (overdue ones included), oldest due first.
pub fn due(conn: &Connection, today: NaiveDate) -> Result<Vec<DueRow>> {
    let end = today.succ_opt().unwrap_or(today).and_time(NaiveTime::MIN);
    let e_cols = prefixed("e", ENROLLMENT_COLS);
    let p_cols = prefixed("p", PROSPECT_COLS);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {e_cols}, e.sequence, {p_cols} FROM enrollments e \
         JOIN prospects p ON p.id = e.prospect_id \
         WHERE e.due IS NOT NULL AND e.due < ?1 AND e.status IN ('active', 'paused') \
         AND (e.until IS NULL OR e.until > ?2) \
         ORDER BY e.due, e.id"
    ))?;
    let rows = stmt.query_map(params![end, today], |r| {
        Ok(DueRow {
            enrollment: enrollment_from(r, 0)?,
            sequence: r.get(ENROLLMENT_WIDTH)?,
            prospect: prospect_from(r, ENROLLMENT_WIDTH + 1)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A due touch in brief: what it takes to count, order and filter the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueBrief {
    pub enrollment_id: i64,
    pub prospect_id: i64,
    pub version_id: i64,
    pub step: usize,
    pub due: NaiveDateTime,
    /// The prospect's full name.
    pub name: String,
    pub company: Option<String>,
    pub timezone: Option<String>,
}

/// Every touch due by the end of `today`, in brief, in the order of [`due`].
pub fn due_briefs(conn: &Connection, today: NaiveDate) -> Result<Vec<DueBrief>> {
    let end = today.succ_opt().unwrap_or(today).and_time(NaiveTime::MIN);
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.prospect_id, e.version_id, e.step, e.due, p.first_name, p.last_name, \
         p.company, p.timezone FROM enrollments e JOIN prospects p ON p.id = e.prospect_id \
         WHERE e.due IS NOT NULL AND e.due < ?1 AND e.status IN ('active', 'paused') \
         AND (e.until IS NULL OR e.until > ?2) \
         ORDER BY e.due, e.id",
    )?;
    let rows = stmt.query_map(params![end, today], brief_from)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Touches due on the days from `first` to `last` (both included), in due order: what the
/// Upcoming view shows. Paused ones that come back in those days are among them.
pub fn due_on_days(conn: &Connection, first: NaiveDate, last: NaiveDate) -> Result<Vec<DueBrief>> {
    let start = first.and_time(NaiveTime::MIN);
    let end = last.succ_opt().unwrap_or(last).and_time(NaiveTime::MIN);
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.prospect_id, e.version_id, e.step, e.due, p.first_name, p.last_name, \
         p.company, p.timezone FROM enrollments e JOIN prospects p ON p.id = e.prospect_id \
         WHERE e.due >= ?1 AND e.due < ?2 AND e.status IN ('active', 'paused') \
         AND (e.until IS NULL OR e.until > date(e.due)) \
         ORDER BY e.due, e.id",
    )?;
    let rows = stmt.query_map(params![start, end], brief_from)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// First steps due today or before: among them, any new inbound lead's, which lead the queue.
pub fn first_step_briefs(conn: &Connection, today: NaiveDate) -> Result<Vec<DueBrief>> {
    let end = today.succ_opt().unwrap_or(today).and_time(NaiveTime::MIN);
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.prospect_id, e.version_id, e.step, e.due, p.first_name, p.last_name, \
         p.company, p.timezone FROM enrollments e JOIN prospects p ON p.id = e.prospect_id \
         WHERE e.due IS NOT NULL AND e.due < ?1 AND e.step = 0 \
         AND e.status IN ('active', 'paused') AND (e.until IS NULL OR e.until > ?2) \
         ORDER BY e.due, e.id",
    )?;
    let rows = stmt.query_map(params![end, today], brief_from)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The head of the queue: touches due before `today`, oldest first, at most `limit`.
pub fn overdue_briefs(conn: &Connection, today: NaiveDate, limit: usize) -> Result<Vec<DueBrief>> {
    let start = today.and_time(NaiveTime::MIN);
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.prospect_id, e.version_id, e.step, e.due, p.first_name, p.last_name, \
         p.company, p.timezone FROM enrollments e JOIN prospects p ON p.id = e.prospect_id \
         WHERE e.due IS NOT NULL AND e.due < ?1 AND e.status IN ('active', 'paused') \
         AND (e.until IS NULL OR e.until > ?3) \
         ORDER BY e.due, e.id LIMIT ?2",
    )?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = stmt.query_map(params![start, limit, today], brief_from)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn brief_from(r: &rusqlite::Row) -> rusqlite::Result<DueBrief> {
    let first: String = r.get(5)?;
    let last: String = r.get(6)?;
    Ok(DueBrief {
        enrollment_id: r.get(0)?,
        prospect_id: r.get(1)?,
        version_id: r.get(2)?,
        step: r.get::<_, i64>(3)? as usize,
        due: r.get(4)?,
        name: format!("{} {}", first.trim(), last.trim())
            .trim()
            .to_string(),
        company: r.get(7)?,
        timezone: r.get(8)?,
    })
}

/// How many touches are due by the end of `today`, and how many of those before `today`.
/// It reads the due index alone: a closed enrollment never keeps a due date.
pub fn due_counts(conn: &Connection, today: NaiveDate) -> Result<(usize, usize)> {
    let start = today.and_time(NaiveTime::MIN);
    let end = today.succ_opt().unwrap_or(today).and_time(NaiveTime::MIN);
    let (due, overdue): (i64, Option<i64>) = conn.query_row(
        "SELECT count(*), sum(due < ?1) FROM enrollments WHERE due IS NOT NULL AND due < ?2 \
         AND (until IS NULL OR until > ?3)",
        params![start, end, today],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let n = |v: i64| usize::try_from(v).unwrap_or(0);
    Ok((n(due), n(overdue.unwrap_or(0))))
}

/// One enrollment's row as [`due`] gives it, if it is due by the end of `today`.
pub fn due_row(conn: &Connection, enrollment_id: i64, today: NaiveDate) -> Result<Option<DueRow>> {
    let end = today.succ_opt().unwrap_or(today).and_time(NaiveTime::MIN);
    let e_cols = prefixed("e", ENROLLMENT_COLS);
    let p_cols = prefixed("p", PROSPECT_COLS);
    Ok(conn
        .query_row(
            &format!(
                "SELECT {e_cols}, e.sequence, {p_cols} FROM enrollments e \
                 JOIN prospects p ON p.id = e.prospect_id \
                 WHERE e.id = ?1 AND e.due IS NOT NULL AND e.due < ?2 \
                 AND e.status IN ('active', 'paused') AND (e.until IS NULL OR e.until > ?3)"
            ),
            params![enrollment_id, end, today],
            |r| {
                Ok(DueRow {
                    enrollment: enrollment_from(r, 0)?,
                    sequence: r.get(ENROLLMENT_WIDTH)?,
                    prospect: prospect_from(r, ENROLLMENT_WIDTH + 1)?,
                })
            },
        )
        .optional()?)
}

/// Touches worked on `day` (sent, done, call outcomes): the header's "done" count.
pub fn worked_on(conn: &Connection, day: NaiveDate) -> Result<i64> {
    let start = day.and_time(NaiveTime::MIN);
    let end = day.succ_opt().unwrap_or(day).and_time(NaiveTime::MIN);
    Ok(conn.query_row(
        "SELECT count(*) FROM touches WHERE at >= ?1 AND at < ?2 \
         AND (is_touch = 1 OR (outcome = 'skipped' AND step IS NOT NULL \
              AND coalesce(reason, '') NOT LIKE 'skipped automatically%'))",
        params![start, end],
        |r| r.get(0),
    )?)
}

/// The touches worked on `day` by channel (as [`worked_on`] counts them).
pub fn worked_by_channel(conn: &Connection, day: NaiveDate) -> Result<Vec<(Channel, i64)>> {
    let start = day.and_time(NaiveTime::MIN);
    let end = day.succ_opt().unwrap_or(day).and_time(NaiveTime::MIN);
    let mut stmt = conn.prepare_cached(
        "SELECT channel, count(*) FROM touches WHERE at >= ?1 AND at < ?2 AND channel IS NOT NULL \
         AND (is_touch = 1 OR (outcome = 'skipped' AND step IS NOT NULL \
              AND coalesce(reason, '') NOT LIKE 'skipped automatically%')) \
         GROUP BY channel ORDER BY count(*) DESC, channel",
    )?;
    let rows = stmt.query_map(params![start, end], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (channel, n) = row?;
        if let Ok(channel) = channel.parse::<Channel>() {
            out.push((channel, n));
        }
    }
    Ok(out)
}

/// Whether there is any prospect at all (without counting them all).
pub fn any_prospect(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM prospects)", [], |r| r.get(0))?)
}

/// The earliest due touch after `today`, for "nothing due today; next on Thu 26 Nov".
pub fn next_due_after(conn: &Connection, today: NaiveDate) -> Result<Option<NaiveDateTime>> {
    let end = today.succ_opt().unwrap_or(today).and_time(NaiveTime::MIN);
    Ok(conn.query_row(
        "SELECT min(due) FROM enrollments WHERE due IS NOT NULL AND due >= ?1 \
         AND status IN ('active', 'paused')",
        [end],
        |r| r.get(0),
    )?)
}

/// Prospects whose name, company or email contains `needle`, by name; at most `limit`.
pub fn search(conn: &Connection, needle: &str, limit: usize) -> Result<Vec<Prospect>> {
    let like = format!("%{}%", needle.trim().replace(['%', '_'], ""));
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PROSPECT_COLS} FROM prospects \
         WHERE first_name || ' ' || last_name LIKE ?1 OR company LIKE ?1 OR email LIKE ?1 \
         ORDER BY last_name, first_name, id LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![like, limit as i64], |r| prospect_from(r, 0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

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

/// Normalises the identifiers a prospect is stored with.
pub fn normalize_identifiers(p: &mut Prospect) {
    let clean = |v: &mut Option<String>, f: fn(&str) -> String| {
        *v = v.as_deref().map(f).filter(|s| !s.is_empty());
    };
    clean(&mut p.email, normalize_email);
    clean(&mut p.linkedin, normalize_linkedin_keep);
    if let Some(ph) = &p.phone {
        if normalize_phone(ph).is_empty() {
            p.phone = None;
        } else {
            p.phone = Some(ph.trim().to_string());
        }
    }
}

/// LinkedIn URLs are stored normalised but clickable.
fn normalize_linkedin_keep(s: &str) -> String {
    let n = normalize_linkedin(s);
    if n.is_empty() {
        n
    } else {
        format!("https://www.{n}")
    }
}

fn prefixed(alias: &str, cols: &str) -> String {
    cols.split(',')
        .map(|c| format!("{alias}.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every custom field name prospects have carried (kept by triggers; see the schema).
pub fn custom_field_names(conn: &Connection) -> Result<std::collections::BTreeSet<String>> {
    let mut stmt = conn.prepare_cached("SELECT name FROM custom_field_names")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The rep's time off, as (first day, last day) pairs, oldest first.
pub fn time_off(conn: &Connection) -> Result<Vec<(NaiveDate, NaiveDate)>> {
    let mut stmt =
        conn.prepare_cached("SELECT first_day, last_day FROM time_off ORDER BY first_day")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// How many open enrollments are due on `day`, leaving one enrollment out.
pub fn due_on(conn: &Connection, day: NaiveDate, except: i64) -> Result<i64> {
    let start = day.and_time(NaiveTime::MIN);
    let end = day.succ_opt().unwrap_or(day).and_time(NaiveTime::MIN);
    Ok(conn.query_row(
        "SELECT count(*) FROM enrollments WHERE due >= ?1 AND due < ?2 \
         AND status IN ('active', 'paused') AND id != ?3",
        params![start, end, except],
        |r| r.get(0),
    )?)
}

/// Open enrollments due between two dates (both included), earliest first.
pub fn due_between(
    conn: &Connection,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<Vec<(Enrollment, String)>> {
    let start = first.and_time(NaiveTime::MIN);
    let end = last.succ_opt().unwrap_or(last).and_time(NaiveTime::MIN);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ENROLLMENT_COLS}, sequence FROM enrollments WHERE due >= ?1 AND due < ?2 \
         AND status IN ('active', 'paused') ORDER BY due, id"
    ))?;
    let rows = stmt.query_map(params![start, end], |r| {
        Ok((enrollment_from(r, 0)?, r.get(ENROLLMENT_WIDTH)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A logged record in brief.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordBrief {
    pub at: NaiveDateTime,
    pub step: Option<usize>,
    pub outcome: Outcome,
}

/// The newest record the rep (not the engine's automatic skips) put on an enrollment.
pub fn newest_record(conn: &Connection, enrollment_id: i64) -> Result<Option<RecordBrief>> {
    Ok(conn
        .prepare_cached(
            "SELECT at, step, outcome FROM touches WHERE enrollment_id = ?1 \
             AND (reason IS NULL OR reason NOT LIKE 'skipped automatically%') \
             ORDER BY id DESC LIMIT 1",
        )?
        .query_row([enrollment_id], |r| {
            let outcome: String = r.get(2)?;
            Ok(RecordBrief {
                at: r.get(0)?,
                step: r
                    .get::<_, Option<i64>>(1)?
                    .and_then(|s| usize::try_from(s).ok()),
                outcome: outcome.parse().unwrap_or(Outcome::Done),
            })
        })
        .optional()?)
}

/// The newest worked touch of an enrollment: (step, outcome, when).
pub fn last_worked(
    conn: &Connection,
    enrollment_id: i64,
) -> Result<Option<(usize, Outcome, NaiveDateTime)>> {
    Ok(conn
        .prepare_cached(
            "SELECT step, outcome, at FROM touches WHERE enrollment_id = ?1 AND is_touch = 1 \
             ORDER BY id DESC LIMIT 1",
        )?
        .query_row([enrollment_id], |r| {
            let outcome: String = r.get(1)?;
            Ok((
                usize::try_from(r.get::<_, i64>(0)?).unwrap_or(0),
                outcome.parse().unwrap_or(Outcome::Done),
                r.get(2)?,
            ))
        })
        .optional()?)
}
