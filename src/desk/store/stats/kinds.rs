//! The replies by kind, read the same way by the rollup reader and the reference count.

/// The replies per sequence, credited step and kind, for a filter's `cond` (over `t.at` and
/// `e.sequence`); `index` names the index to read them through, if any (the first condition
/// is that partial index's own, so SQLite may use it). A meeting booked with no reply before
/// it (on a call) is a response too: its kind is `meeting`, so the kinds add up to the
/// replies.
pub fn kinds_sql(cond: &str, index: &str) -> String {
    format!(
        "SELECT e.sequence, t.attributed_step, \
         coalesce(t.kind, CASE t.outcome WHEN 'meeting' THEN 'meeting' ELSE 'unsaid' END), \
         count(DISTINCT t.enrollment_id) FROM touches t {index} \
         CROSS JOIN enrollments e ON e.id = t.enrollment_id \
         WHERE t.outcome IN ('replied', 'meeting') \
         AND (t.outcome = 'replied' OR NOT EXISTS (SELECT 1 FROM touches r \
              WHERE r.enrollment_id = t.enrollment_id AND r.outcome = 'replied')){cond} \
         GROUP BY 1, 2, 3"
    )
}

/// Adds the rows of [`kinds_sql`] to the counts.
pub fn add_kinds(
    counts: &mut crate::stats::assemble::Counts,
    rows: &mut rusqlite::Rows,
) -> rusqlite::Result<()> {
    while let Some(r) = rows.next()? {
        let (seq, step, kind): (String, Option<i64>, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let n = r.get::<_, Option<i64>>(3)?.unwrap_or(0).max(0) as u64;
        crate::stats::assemble::add_kind(counts, seq, step, kind, n);
    }
    Ok(())
}
