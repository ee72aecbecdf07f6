//! The book's order kept as numbers: each prospect's place in name order (last name, first
//! name, id) is a position, with room left between neighbours, and the position is the row
//! id of its entry in the search index. A search then reads its matches in book order
//! straight from the index, from any page's edge, and stops when the page is full: a page
//! costs what it holds, whatever the size of the book.
//!
//! Positions are derived, like an index: a transaction notes the prospects it wrote
//! (`rows::Upkeep`) and places them at its end, each between its neighbours. When the
//! neighbours sit too close, a stretch of the book around them is spread out again; a
//! bulk load lays the whole book out at once.

use rusqlite::{Connection, OptionalExtension, params};

/// Migration 24: the positions, each with the prospect's status (its latest enrollment's;
/// `none`: never enrolled) so a status is paged in book order from an index, and how many
/// stand at each; the search index keyed by the positions. The search index's triggers go:
/// it is kept with the positions, at the end of each transaction.
pub const V24: &str = "
CREATE TABLE book_positions (
    pos         INTEGER PRIMARY KEY,
    prospect_id INTEGER NOT NULL UNIQUE,
    status      TEXT NOT NULL
);
CREATE INDEX book_positions_status ON book_positions(status, pos);
CREATE TABLE book_statuses (
    status TEXT PRIMARY KEY,
    n      INTEGER NOT NULL
) WITHOUT ROWID;
DROP TRIGGER prospect_search_insert;
DROP TRIGGER prospect_search_update;
DROP TRIGGER prospect_search_delete;
CREATE TRIGGER book_status_in AFTER INSERT ON enrollments BEGIN
    UPDATE book_positions SET status = NEW.status WHERE prospect_id = NEW.prospect_id
    AND NEW.id = (SELECT max(id) FROM enrollments WHERE prospect_id = NEW.prospect_id);
END;
CREATE TRIGGER book_status_update AFTER UPDATE OF state, extra ON enrollments
    WHEN OLD.status IS NOT NEW.status BEGIN
    UPDATE book_positions SET status = NEW.status WHERE prospect_id = NEW.prospect_id
    AND NEW.id = (SELECT max(id) FROM enrollments WHERE prospect_id = NEW.prospect_id);
END;
CREATE TRIGGER book_status_out AFTER DELETE ON enrollments BEGIN
    UPDATE book_positions SET status = coalesce((SELECT e.status FROM enrollments e
        WHERE e.prospect_id = OLD.prospect_id ORDER BY e.id DESC LIMIT 1), 'none')
    WHERE prospect_id = OLD.prospect_id;
END;
";

/// The triggers that count the prospects at each status: taken off while the whole book is
/// laid out (they would run for every row), counted once after.
const COUNTS: &str = "
CREATE TRIGGER book_statuses_in AFTER INSERT ON book_positions BEGIN
    INSERT INTO book_statuses (status, n) VALUES (NEW.status, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER book_statuses_update AFTER UPDATE OF status ON book_positions
    WHEN OLD.status IS NOT NEW.status BEGIN
    UPDATE book_statuses SET n = n - 1 WHERE status = OLD.status;
    INSERT INTO book_statuses (status, n) VALUES (NEW.status, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
    DELETE FROM book_statuses WHERE n = 0;
END;
CREATE TRIGGER book_statuses_out AFTER DELETE ON book_positions BEGIN
    UPDATE book_statuses SET n = n - 1 WHERE status = OLD.status;
    DELETE FROM book_statuses WHERE n = 0;
END;
";

/// A prospect's status as the book keeps it: its latest enrollment's, `none` if it has none.
const STATUS_OF: &str = "coalesce((SELECT e.status FROM enrollments e \
    WHERE e.prospect_id = {id} ORDER BY e.id DESC LIMIT 1), 'none')";

/// Room between neighbours when the book is laid out whole: ten halvings before a stretch
/// must be spread again. Small on purpose: the search index stores each of its lists as
/// the differences between positions, and a small difference takes fewer bytes.
const GAP: i64 = 1 << 10;

/// The least room a stretch spread again leaves between its rows.
const MIN_GAP: i64 = 1 << 4;

/// The ends of the positions, far from the integer's so no sum overflows.
const LOW: i64 = -(1 << 61);
const HIGH: i64 = 1 << 61;

/// Migration 24's part: the whole book laid out and indexed.
pub fn migrate(tx: &rusqlite::Transaction) -> rusqlite_migration::HookResult {
    tx.execute_batch(V24)?;
    tx.execute_batch(COUNTS)?;
    rebuild(tx)?;
    Ok(())
}

/// Lays the whole book out again, [`GAP`] apart in name order, counts its statuses and
/// indexes it for search.
pub fn rebuild(conn: &Connection) -> rusqlite::Result<()> {
    let status = STATUS_OF.replace("{id}", "p.id");
    conn.execute_batch(&format!(
        "{CLEAR}
         INSERT INTO book_positions (pos, prospect_id, status)
         SELECT row_number() OVER (ORDER BY p.last_name, p.first_name, p.id) * {GAP}, p.id,
         {status} FROM prospects p;"
    ))?;
    index_laid_out(conn)
}

/// [`rebuild`] for a bulk load, which laid the book out itself: its positions (each
/// prospect's, [`position`]s apart in name order, with its status) are copied from the
/// table `source`; the caller indexes the book for search at the same positions.
pub fn lay_out_from(conn: &Connection, source: &str) -> rusqlite::Result<()> {
    // The status index built after the rows, from them sorted: quicker than row by row.
    conn.execute_batch(&format!(
        "{CLEAR}
         DROP INDEX book_positions_status;
         INSERT INTO book_positions (pos, prospect_id, status)
         SELECT pos, prospect_id, status FROM {source};
         {STATUS_INDEX}"
    ))?;
    count_statuses(conn)
}

/// The position of the prospect at `rank` (from 0) in name order, in a book laid out whole.
pub fn position(rank: usize) -> i64 {
    (rank as i64).saturating_add(1).saturating_mul(GAP)
}

/// V24's index of the positions by status, made again after a bulk lay-out.
const STATUS_INDEX: &str = "CREATE INDEX book_positions_status ON book_positions(status, pos);";

/// Takes the counting triggers off and empties the positions, before a lay-out.
const CLEAR: &str = "DROP TRIGGER book_statuses_in; DROP TRIGGER book_statuses_update;
    DROP TRIGGER book_statuses_out; DELETE FROM book_positions;";

/// Indexes a book just laid out for search, counts its statuses, and puts the counting
/// triggers back.
fn index_laid_out(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "INSERT INTO prospect_search (prospect_search) VALUES ('delete-all');
         INSERT INTO prospect_search (rowid, name, company, email)
         SELECT b.pos, p.first_name || ' ' || p.last_name, p.company, p.email
         FROM book_positions b CROSS JOIN prospects p ON p.id = b.prospect_id ORDER BY b.pos;",
    )?;
    count_statuses(conn)
}

/// Counts the statuses of a book just laid out and puts the counting triggers back.
fn count_statuses(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(&format!(
        "DELETE FROM book_statuses;
         INSERT INTO book_statuses (status, n)
         SELECT status, count(*) FROM book_positions GROUP BY status;
         {COUNTS}"
    ))
}

/// A prospect's place in name order.
type Key = (String, String, i64);

/// Places the prospects `written` (each once) since they were last placed (one no longer in the book is
/// only taken out) and indexes them for search. A write bigger than half the book lays it
/// all out again instead: cheaper than placing each.
pub fn place(conn: &Connection, written: &[i64]) -> rusqlite::Result<()> {
    if written.len() > 1_000 {
        let book: i64 = conn.query_row("SELECT count(*) FROM book_positions", [], |r| r.get(0))?;
        if written.len() as i64 * 2 > book {
            return rebuild(conn);
        }
    }
    let mut keys: Vec<Key> = Vec::with_capacity(written.len());
    for &id in written {
        take_out(conn, id)?;
        if let Some(key) = key_of(conn, id)? {
            keys.push(key);
        }
    }
    // In order, so each finds the one before it already placed, and a run of new rows
    // between the same two neighbours shares the room between them evenly.
    keys.sort();
    let mut run = keys.as_slice();
    while let [first, ..] = run {
        let pos = free_place(conn, first, run)?;
        put(conn, pos, first.2)?;
        run = run.get(1..).unwrap_or_default();
    }
    Ok(())
}

/// A prospect's key, when it is in the book.
fn key_of(conn: &Connection, id: i64) -> rusqlite::Result<Option<Key>> {
    conn.prepare_cached("SELECT last_name, first_name, id FROM prospects WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()
}

/// Takes a prospect's position and search entry out, if it has them.
fn take_out(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    let pos: Option<i64> = conn
        .prepare_cached("DELETE FROM book_positions WHERE prospect_id = ?1 RETURNING pos")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    if let Some(pos) = pos {
        conn.prepare_cached("DELETE FROM prospect_search WHERE rowid = ?1")?
            .execute([pos])?;
    }
    Ok(())
}

/// Gives prospect `id` position `pos` and its search entry.
fn put(conn: &Connection, pos: i64, id: i64) -> rusqlite::Result<()> {
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "INSERT INTO book_positions (pos, prospect_id, status) VALUES (?1, ?2, {})",
            STATUS_OF.replace("{id}", "?2")
        )
    });
    conn.prepare_cached(&SQL)?.execute(params![pos, id])?;
    conn.prepare_cached(
        "INSERT INTO prospect_search (rowid, name, company, email) \
         SELECT ?1, first_name || ' ' || last_name, company, email FROM prospects WHERE id = ?2",
    )?
    .execute(params![pos, id])?;
    Ok(())
}

/// A free position for `first`, the first of `run` (sorted, none placed yet): between the
/// placed rows on either side of it, leaving room for the rest of `run` that falls between
/// the same two. A stretch is spread out first when there is too little.
fn free_place(conn: &Connection, first: &Key, run: &[Key]) -> rusqlite::Result<i64> {
    loop {
        let before = placed_before(conn, first)?;
        let after = placed_after(conn, before)?;
        // How many of the run go between these two neighbours, this one included.
        let room = match &after {
            Some((_, next)) => run.partition_point(|k| k < next),
            None => run.len(),
        } as i64;
        let after = after.map(|(pos, _)| pos);
        let pos = match (before, after) {
            (None, None) => Some(0),
            (Some(lo), Some(hi)) => Some((hi - lo) / (room + 1))
                .filter(|step| *step >= 1)
                .map(|step| lo + step),
            (Some(lo), None) => Some(GAP.min((HIGH - lo) / (room + 1)))
                .filter(|step| *step >= 1)
                .map(|step| lo + step),
            (None, Some(hi)) => Some(GAP.min((hi - LOW) / (room + 1)))
                .filter(|step| *step >= 1)
                .map(|step| hi - step * room),
        };
        match pos {
            Some(pos) => return Ok(pos),
            None => spread(conn, before, after, room)?,
        }
    }
}

/// The position of the last placed row before `key` in name order.
fn placed_before(conn: &Connection, key: &Key) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached(
        "SELECT b.pos FROM prospects p CROSS JOIN book_positions b ON b.prospect_id = p.id \
         WHERE (p.last_name, p.first_name, p.id) < (?1, ?2, ?3) \
         ORDER BY p.last_name DESC, p.first_name DESC, p.id DESC LIMIT 1",
    )?
    .query_row(params![key.0, key.1, key.2], |r| r.get(0))
    .optional()
}

/// The placed row after position `before` (from the start when `None`): its position and
/// key. Positions follow name order, so it is the next row in the book.
fn placed_after(conn: &Connection, before: Option<i64>) -> rusqlite::Result<Option<(i64, Key)>> {
    conn.prepare_cached(
        "SELECT b.pos, p.last_name, p.first_name, p.id \
         FROM book_positions b CROSS JOIN prospects p ON p.id = b.prospect_id \
         WHERE b.pos > ?1 ORDER BY b.pos LIMIT 1",
    )?
    .query_row([before.unwrap_or(i64::MIN)], |r| {
        Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?)))
    })
    .optional()
}

/// Spreads out the stretch of the book around the gap between `before` and `after` so that
/// `room` rows fit in it, each at least [`MIN_GAP`] from the next: the stretch grows until
/// the positions around it leave enough.
fn spread(
    conn: &Connection,
    before: Option<i64>,
    after: Option<i64>,
    room: i64,
) -> rusqlite::Result<()> {
    let mut reach = 32;
    loop {
        let below = stretch(conn, before, reach, "<=", "DESC")?;
        let above = stretch(conn, after, reach, ">=", "ASC")?;
        let below_bound = match below.last() {
            Some(&(first, _)) => bound(conn, first, "<", "DESC")?,
            None => None,
        };
        let above_bound = match above.last() {
            Some(&(last, _)) => bound(conn, last, ">", "ASC")?,
            None => None,
        };
        let slots = below.len() as i64 + room + above.len() as i64;
        // A stretch that reaches an end of the book is laid out [`GAP`] apart from the
        // bound it has: there is room past the end.
        let span = (slots + 1) * GAP;
        let (lo, hi) = match (below_bound, above_bound) {
            (Some(lo), Some(hi)) => (lo, hi),
            (Some(lo), None) => (lo, lo + span),
            (None, Some(hi)) => (hi - span, hi),
            (None, None) => (0, span),
        };
        let step = (hi - lo) / (slots + 1);
        let open = below_bound.is_none() || above_bound.is_none();
        if step >= MIN_GAP || open {
            let mut moved: Vec<(i64, i64)> = Vec::with_capacity(below.len() + above.len());
            let below_new = below.iter().rev().enumerate().map(|(k, &(_, id))| (k, id));
            for (k, id) in below_new {
                moved.push((lo + step * (k as i64 + 1), id));
            }
            let skip = below.len() as i64 + room;
            for (k, &(_, id)) in above.iter().enumerate() {
                moved.push((lo + step * (skip + k as i64 + 1), id));
            }
            for &(_, id) in below.iter().chain(&above) {
                take_out(conn, id)?;
            }
            for (pos, id) in moved {
                put(conn, pos, id)?;
            }
            return Ok(());
        }
        reach *= 2;
    }
}

/// Up to `reach` placed rows from `from` (included) in the direction `cmp`/`order` gives,
/// nearest first: their positions and prospects.
fn stretch(
    conn: &Connection,
    from: Option<i64>,
    reach: i64,
    cmp: &str,
    order: &str,
) -> rusqlite::Result<Vec<(i64, i64)>> {
    let Some(from) = from else {
        return Ok(Vec::new());
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT pos, prospect_id FROM book_positions WHERE pos {cmp} ?1 \
         ORDER BY pos {order} LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![from, reach], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// The nearest position past `from` in the direction `cmp`/`order` gives.
fn bound(conn: &Connection, from: i64, cmp: &str, order: &str) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached(&format!(
        "SELECT pos FROM book_positions WHERE pos {cmp} ?1 ORDER BY pos {order} LIMIT 1"
    ))?
    .query_row([from], |r| r.get(0))
    .optional()
}
