//! How a row of the touch log is stored (migration 21), and how it reads as before. A book
//! holds about ten rows per prospect, so every byte of a row counts a million times: the
//! time is whole seconds as an integer (with any fraction apart), the variant an id into
//! `variants`, and the flag, channel, outcome, step and credited step one integer `code`.
//! Generated columns give back `at`, `is_touch`, `channel`, `outcome`, `step` and
//! `attributed_step` under their old names and values, so every query, trigger and index
//! reads the log as it always did; only the writers encode.
//!
//! What few rows carry (a reason, a note, a reply's kind, a meeting's time, a fraction of a
//! second, an outcome without a code) shares one JSON column, `extra`: a column costs every
//! row a byte even when it is empty.
//!
//! The codes are stored: never renumber them. An outcome added later gets [`OTHER_OUTCOME`]
//! and its name in `extra`, so the table needs no rebuild for it.

use crate::domain::{Channel, Outcome};
use chrono::NaiveDateTime;

/// Channels and their codes (0: none).
const CHANNELS: &[(i64, &str)] = &[
    (1, "email"),
    (2, "call"),
    (3, "linkedin"),
    (4, "sms"),
    (5, "task"),
];

/// Outcomes and their codes.
const OUTCOMES: &[(i64, &str)] = &[
    (0, "sent"),
    (1, "done"),
    (2, "no-answer"),
    (3, "voicemail"),
    (4, "bounced"),
    (5, "connected"),
    (6, "gatekeeper"),
    (7, "wrong-number"),
    (8, "skipped"),
    (9, "snoozed"),
    (10, "replied"),
    (11, "meeting"),
    (12, "opted-out"),
    (13, "complained"),
    (14, "paused"),
    (15, "resumed"),
    (16, "removed"),
];

/// The code of an outcome with no code of its own: its name is in `extra`.
pub const OTHER_OUTCOME: i64 = 31;

/// Steps are kept 0-based plus one in 10 bits (0: none).
const STEP_BITS: i64 = 10;
const STEP_MAX: i64 = (1 << STEP_BITS) - 2;

/// A touch's `code`, and the outcome's name when it has no code.
pub fn encode(
    is_touch: bool,
    channel: Option<Channel>,
    outcome: Outcome,
    step: Option<usize>,
    attributed_step: Option<usize>,
) -> rusqlite::Result<(i64, Option<&'static str>)> {
    let channel = match channel {
        None => 0,
        Some(c) => code_of(CHANNELS, c.as_str()).ok_or_else(|| too_big("channel"))?,
    };
    let (outcome_code, text) = match code_of(OUTCOMES, outcome.as_str()) {
        Some(code) => (code, None),
        None => (OTHER_OUTCOME, Some(outcome.as_str())),
    };
    let step_code = |s: Option<usize>| -> rusqlite::Result<i64> {
        match s.map(i64::try_from) {
            None => Ok(0),
            Some(Ok(s)) if s <= STEP_MAX => Ok(s + 1),
            Some(_) => Err(too_big("step")),
        }
    };
    let code = i64::from(is_touch)
        | channel << 1
        | outcome_code << 4
        | step_code(step)? << 9
        | step_code(attributed_step)? << (9 + STEP_BITS);
    Ok((code, text))
}

fn code_of(table: &[(i64, &str)], name: &str) -> Option<i64> {
    table.iter().find(|(_, n)| *n == name).map(|(c, _)| *c)
}

fn too_big(what: &str) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(format!("a touch's {what} cannot be stored").into())
}

/// The keys of `extra`.
pub const REASON: &str = "r";
pub const NOTE: &str = "n";
pub const KIND: &str = "k";
pub const MEETING_AT: &str = "m";
pub const FRACTION: &str = "f";
pub const OUTCOME: &str = "o";

/// `at` as stored: whole seconds (the naive time read as UTC) and the fraction as it was
/// written (`.570047107`), if any.
pub fn encode_at(at: NaiveDateTime) -> (i64, Option<String>) {
    let fraction = at.format("%.f").to_string();
    (
        at.and_utc().timestamp(),
        (!fraction.is_empty()).then_some(fraction),
    )
}

/// `extra` for what a row carries besides its code (`None` when it carries nothing).
pub fn extra(values: &[(&str, Option<&str>)]) -> Option<String> {
    let map: serde_json::Map<String, serde_json::Value> = values
        .iter()
        .filter_map(|(k, v)| v.map(|v| (k.to_string(), serde_json::Value::from(v))))
        .collect();
    (!map.is_empty()).then(|| serde_json::Value::Object(map).to_string())
}

/// `CASE expr WHEN code THEN 'name' … [ELSE other] END`.
fn case(expr: &str, table: &[(i64, &str)], other: &str) -> String {
    let mut sql = format!("CASE {expr}");
    for (code, name) in table {
        sql.push_str(&format!(" WHEN {code} THEN '{name}'"));
    }
    if !other.is_empty() {
        sql.push_str(&format!(" ELSE {other}"));
    }
    sql.push_str(" END");
    sql
}

/// `CASE name WHEN 'name' THEN code … END`: the reverse, for the migration.
fn case_back(expr: &str, table: &[(i64, &str)], other: i64) -> String {
    let mut sql = format!("CASE {expr}");
    for (code, name) in table {
        sql.push_str(&format!(" WHEN '{name}' THEN {code}"));
    }
    sql.push_str(&format!(" ELSE {other} END"));
    sql
}

fn step_of(shift: i64) -> String {
    format!(
        "CASE (code >> {shift}) & {mask} WHEN 0 THEN NULL ELSE ((code >> {shift}) & {mask}) - 1 END",
        mask = (1 << STEP_BITS) - 1
    )
}

/// The touch log's table as migration 21 makes it, named `name`.
pub fn table(name: &str) -> String {
    format!(
        "CREATE TABLE {name} (
    id              INTEGER PRIMARY KEY,
    action_id       INTEGER REFERENCES actions(id),
    enrollment_id   INTEGER REFERENCES enrollments(id),
    prospect_id     INTEGER NOT NULL REFERENCES prospects(id),
    at_s            INTEGER NOT NULL,
    code            INTEGER NOT NULL,
    variant         INTEGER,
    message         BLOB,
    extra           TEXT,
    at              TEXT GENERATED ALWAYS AS (strftime('%Y-%m-%d %H:%M:%S', at_s, 'unixepoch')
                    || coalesce(json_extract(extra, '$.{FRACTION}'), '')) VIRTUAL,
    reason          TEXT GENERATED ALWAYS AS (json_extract(extra, '$.{REASON}')) VIRTUAL,
    note            TEXT GENERATED ALWAYS AS (json_extract(extra, '$.{NOTE}')) VIRTUAL,
    kind            TEXT GENERATED ALWAYS AS (json_extract(extra, '$.{KIND}')) VIRTUAL,
    meeting_at      TEXT GENERATED ALWAYS AS (json_extract(extra, '$.{MEETING_AT}')) VIRTUAL,
    is_touch        INTEGER GENERATED ALWAYS AS (code & 1) VIRTUAL,
    channel         TEXT GENERATED ALWAYS AS ({channel}) VIRTUAL,
    outcome         TEXT GENERATED ALWAYS AS ({outcome}) VIRTUAL,
    step            INTEGER GENERATED ALWAYS AS ({step}) VIRTUAL,
    attributed_step INTEGER GENERATED ALWAYS AS ({attributed}) VIRTUAL
);\n",
        channel = case("(code >> 1) & 7", CHANNELS, ""),
        outcome = case(
            "(code >> 4) & 31",
            OUTCOMES,
            &format!("json_extract(extra, '$.{OUTCOME}')")
        ),
        step = step_of(9),
        attributed = step_of(9 + STEP_BITS),
    )
}

/// The columns of the old layout encoded for [`table`]'s: `at_s, code, extra`, reading
/// `touches` as it was before migration 21.
pub fn encoded_columns() -> String {
    let channel = case_back("channel", CHANNELS, 0);
    let outcome = case_back("outcome", OUTCOMES, OTHER_OUTCOME);
    let step = |col: &str| {
        format!(
            "CASE WHEN {col} IS NULL OR {col} < 0 OR {col} > {STEP_MAX} THEN 0 ELSE {col} + 1 END"
        )
    };
    let pairs = [
        (REASON, "reason".to_string()),
        (NOTE, "note".to_string()),
        (KIND, "kind".to_string()),
        (MEETING_AT, "meeting_at".to_string()),
        (
            FRACTION,
            "CASE WHEN length(at) > 19 THEN substr(at, 20) END".to_string(),
        ),
        (
            OUTCOME,
            format!("CASE WHEN ({outcome}) = {OTHER_OUTCOME} THEN outcome END"),
        ),
    ];
    format!(
        "unixepoch(at), \
         (is_touch <> 0) | (coalesce({channel}, 0) << 1) | (({outcome}) << 4) \
         | (({}) << 9) | (({}) << {}), {}",
        step("step"),
        step("attributed_step"),
        9 + STEP_BITS,
        json_of_present(&pairs)
    )
}

/// SQL for the JSON object of the `pairs` (key, expression) whose value is not NULL, or NULL
/// when none is: an old row's rare columns as `extra`.
pub(super) fn json_of_present(pairs: &[(&str, String)]) -> String {
    // json_object keeps NULL members: json_remove takes them out again.
    let object: Vec<String> = pairs.iter().map(|(k, v)| format!("'{k}', {v}")).collect();
    let present: Vec<String> = pairs
        .iter()
        .map(|(_, v)| format!("({v}) IS NOT NULL"))
        .collect();
    let nulls: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("CASE WHEN ({v}) IS NULL THEN '$.{k}' ELSE '$.none' END"))
        .collect();
    format!(
        "CASE WHEN {} THEN json_remove(json_object({}), {}) END",
        present.join(" OR "),
        object.join(", "),
        nulls.join(", ")
    )
}

/// The variant's name for the touch row `alias` (its `variant` column holds the id).
pub fn variant_name(alias: &str) -> String {
    format!("(SELECT name FROM variants WHERE id = {alias}.variant)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_channel_and_outcome_has_a_code_of_its_own() {
        for c in Channel::ALL {
            assert!(code_of(CHANNELS, c.as_str()).is_some(), "{c}");
        }
        // The conversation's steps came later: they are stored by name.
        for o in Outcome::ALL {
            let coded = code_of(OUTCOMES, o.as_str()).is_some();
            assert_eq!(coded, !o.is_conversation(), "{o}");
        }
        let mut codes: Vec<i64> = OUTCOMES.iter().map(|(c, _)| *c).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), OUTCOMES.len());
        assert!(codes.iter().all(|c| *c < OTHER_OUTCOME));
    }

    #[test]
    fn a_code_reads_back_through_the_generated_columns() {
        let conn = rusqlite::Connection::open_in_memory().expect("memory");
        conn.execute_batch(
            "CREATE TABLE actions (id INTEGER PRIMARY KEY); \
             CREATE TABLE enrollments (id INTEGER PRIMARY KEY); \
             CREATE TABLE prospects (id INTEGER PRIMARY KEY); INSERT INTO prospects VALUES (1);",
        )
        .expect("tables");
        conn.execute_batch(&table("touches")).expect("the table");
        let at: NaiveDateTime = "2026-11-23T10:00:05.25".parse().expect("time");
        for channel in std::iter::once(None).chain(Channel::ALL.iter().copied().map(Some)) {
            for outcome in Outcome::ALL {
                for (step, credited) in [(None, None), (Some(0), None), (Some(9), Some(3))] {
                    for touch in [false, true] {
                        let (code, text) =
                            encode(touch, channel, *outcome, step, credited).expect("code");
                        let (at_s, frac) = encode_at(at);
                        let extra = extra(&[(FRACTION, frac.as_deref()), (OUTCOME, text)]);
                        conn.execute(
                            "INSERT INTO touches (prospect_id, at_s, code, extra) \
                             VALUES (1, ?1, ?2, ?3)",
                            rusqlite::params![at_s, code, extra],
                        )
                        .expect("insert");
                        let back: (
                            String,
                            bool,
                            Option<String>,
                            String,
                            Option<i64>,
                            Option<i64>,
                        ) = conn
                            .query_row(
                                "SELECT at, is_touch, channel, outcome, step, attributed_step \
                                 FROM touches WHERE id = last_insert_rowid()",
                                [],
                                |r| {
                                    Ok((
                                        r.get(0)?,
                                        r.get(1)?,
                                        r.get(2)?,
                                        r.get(3)?,
                                        r.get(4)?,
                                        r.get(5)?,
                                    ))
                                },
                            )
                            .expect("read");
                        assert_eq!(
                            back,
                            (
                                "2026-11-23 10:00:05.250".to_string(),
                                touch,
                                channel.map(|c| c.as_str().to_string()),
                                outcome.as_str().to_string(),
                                step.map(|s| s as i64),
                                credited.map(|s| s as i64),
                            )
                        );
                    }
                }
            }
        }
    }
}
