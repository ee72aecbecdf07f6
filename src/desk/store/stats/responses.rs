//! The responses behind the all-time Stats (migration V19): how many enrollments replied to
//! each step, booked a meeting, answered positively, answered in each kind, and how many days
//! each took to answer. These count distinct enrollments, so they cannot be summed from
//! per-touch deltas as the other rollups are. Instead each enrollment keeps its own few
//! rows in `stat_response_keys` (one per thing it counts towards), and whenever one of its
//! response rows (or, once it has responded, a worked touch) is written or removed, its rows
//! are worked out again from its touches and the totals moved by the difference. Responses
//! are a few percent of the log, so this costs little, and it agrees with a recount by
//! construction. A period (`--since`) reads its own responses through `touches_responses_at`.
//!
//! The migration that made these tables is frozen SQL in `store/migrations/`; what is here
//! rebuilds the rows from the log.

/// A response row of the log.
const RESPONSE: &str = "t.outcome IN ('replied', 'meeting')";

/// The statements that write the key rows of the enrollments `filter` selects (a condition
/// on `t.enrollment_id`; `worked` the same on `w.enrollment_id`).
fn keys(filter: &str, worked: &str) -> String {
    let insert = "INSERT OR IGNORE INTO stat_response_keys \
                  (enrollment_id, sequence, measure, step, label)";
    let from = "FROM touches t INDEXED BY touches_responses \
                JOIN enrollments e ON e.id = t.enrollment_id";
    let step = "coalesce(t.attributed_step, -1)";
    let mut sql = String::new();
    for (measure, extra) in [
        ("reply", ""),
        ("meeting", " AND t.outcome = 'meeting'"),
        (
            "positive",
            " AND (t.outcome = 'meeting' OR t.kind = 'positive')",
        ),
    ] {
        sql.push_str(&format!(
            "{insert} SELECT DISTINCT t.enrollment_id, e.sequence, '{measure}', {step}, '' \
             {from} WHERE {filter} AND {RESPONSE}{extra};\n"
        ));
    }
    // A meeting row has a kind of its own only when the enrollment never replied.
    sql.push_str(&format!(
        "{insert} SELECT DISTINCT t.enrollment_id, e.sequence, 'kind', {step}, \
         coalesce(t.kind, CASE t.outcome WHEN 'meeting' THEN 'meeting' ELSE 'unsaid' END) \
         {from} WHERE {filter} AND {RESPONSE} \
         AND (t.outcome = 'replied' OR NOT EXISTS (SELECT 1 FROM touches r \
              WHERE r.enrollment_id = t.enrollment_id AND r.outcome = 'replied'));\n"
    ));
    // Days from the first worked touch to the first response.
    sql.push_str(&format!(
        "{insert} SELECT r.enrollment_id, e.sequence, 'days', -1, \
         CAST(julianday(r.first) - julianday(f.first) AS INTEGER) \
         FROM (SELECT t.enrollment_id, date(min(t.at)) AS first \
               FROM touches t INDEXED BY touches_responses \
               WHERE {filter} AND {RESPONSE} GROUP BY t.enrollment_id) r \
         JOIN (SELECT w.enrollment_id, date(min(w.at)) AS first FROM touches w \
               WHERE {worked} AND w.is_touch = 1 GROUP BY w.enrollment_id) f \
              ON f.enrollment_id = r.enrollment_id \
         JOIN enrollments e ON e.id = r.enrollment_id;\n"
    ));
    sql
}

/// Every enrollment's key rows and the totals, from the whole log; the status counts.
pub fn fill() -> String {
    format!(
        "DELETE FROM stat_response_keys; DELETE FROM stat_response_totals; \
         DELETE FROM stat_statuses; \
         INSERT INTO stat_statuses (sequence, status, n) \
         SELECT sequence, status, count(*) FROM enrollments GROUP BY 1, 2;\n{}\
         INSERT INTO stat_response_totals (sequence, measure, step, label, n) \
         SELECT sequence, measure, step, label, count(*) FROM stat_response_keys \
         GROUP BY 1, 2, 3, 4;\n",
        keys("t.enrollment_id IS NOT NULL", "w.enrollment_id IS NOT NULL")
    )
}
