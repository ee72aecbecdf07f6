//! How an enrollment row is stored (migration 21), and how it reads as before: the status as
//! a code, its days and times as integers, and what few enrollments carry (a pause's gap, a
//! return date, an exit reason, why it is due, a decision date, an end date) in one JSON
//! column. Generated columns give back `status`, `due`, `started`, `closed_at` and the rest
//! under their old names and values; only [`super::rows::write_enrollment`] encodes.
//!
//! The codes are stored: never renumber them. A status added later gets [`OTHER_STATUS`] and
//! its name in `extra`.

use crate::domain::Enrollment;
use chrono::{NaiveDate, NaiveDateTime};

const STATUSES: &[(i64, &str)] = &[
    (0, "active"),
    (1, "paused"),
    (2, "completed"),
    (3, "replied"),
    (4, "meeting"),
    (5, "opted_out"),
    (6, "bounced"),
    (7, "removed"),
];

/// The code of a status with no code of its own: its name is in `extra`.
pub const OTHER_STATUS: i64 = 15;

/// The keys of `extra`.
const STATUS: &str = "s";
const PAUSED_GAP: &str = "g";
const RESUME_ON: &str = "r";
const EXIT_REASON: &str = "x";
const WHY: &str = "w";
const DECISION_ON: &str = "d";
const UNTIL: &str = "u";
const DUE_FRACTION: &str = "df";
const CLOSED_FRACTION: &str = "cf";

/// The physical columns of the compact layout, after the ones kept as they were (`id,
/// prospect_id, version_id, sequence, step, last_worked_step, ordinal,
/// last_answerable_step`).
pub const ENCODED: &str = "state, due_s, started_d, closed_s, extra";

/// The generated columns, with their old names, as `ALTER TABLE … ADD COLUMN` clauses.
pub fn generated() -> Vec<String> {
    let mut status = String::from("CASE state");
    for (code, name) in STATUSES {
        status.push_str(&format!(" WHEN {code} THEN '{name}'"));
    }
    status.push_str(&format!(" ELSE json_extract(extra, '$.{STATUS}') END"));
    let moment = |col: &str, fraction: &str| {
        format!(
            "CASE WHEN {col} IS NULL THEN NULL ELSE strftime('%Y-%m-%d %H:%M:%S', {col}, \
             'unixepoch') || coalesce(json_extract(extra, '$.{fraction}'), '') END"
        )
    };
    let kept = |key: &str| format!("json_extract(extra, '$.{key}')");
    [
        ("status", "TEXT", status),
        ("due", "TEXT", moment("due_s", DUE_FRACTION)),
        (
            "started",
            "TEXT",
            "date(started_d * 86400, 'unixepoch')".to_string(),
        ),
        ("closed_at", "TEXT", moment("closed_s", CLOSED_FRACTION)),
        ("paused_gap", "INTEGER", kept(PAUSED_GAP)),
        ("resume_on", "TEXT", kept(RESUME_ON)),
        ("exit_reason", "TEXT", kept(EXIT_REASON)),
        ("why", "TEXT", kept(WHY)),
        ("decision_on", "TEXT", kept(DECISION_ON)),
        ("until", "TEXT", kept(UNTIL)),
    ]
    .into_iter()
    .map(|(name, ty, expr)| format!("{name} {ty} GENERATED ALWAYS AS ({expr}) VIRTUAL"))
    .collect()
}

/// The enrollments table in the compact layout, for a book that has none yet.
pub fn table() -> String {
    format!(
        "CREATE TABLE enrollments (
    id                   INTEGER PRIMARY KEY,
    prospect_id          INTEGER NOT NULL REFERENCES prospects(id),
    version_id           INTEGER NOT NULL REFERENCES sequence_versions(id),
    sequence             TEXT NOT NULL,
    step                 INTEGER NOT NULL,
    last_worked_step     INTEGER,
    ordinal              INTEGER NOT NULL,
    last_answerable_step INTEGER,
    state                INTEGER NOT NULL,
    due_s                INTEGER,
    started_d            INTEGER NOT NULL,
    closed_s             INTEGER,
    extra                TEXT,
    {}
);\n",
        generated().join(",\n    ")
    )
}

/// The old columns encoded, in [`ENCODED`]'s order, reading `enrollments` before
/// migration 21 (for `UPDATE … SET (state, …) = (…)`).
pub fn encoded_from_old() -> String {
    let mut state = String::from("CASE status");
    for (code, name) in STATUSES {
        state.push_str(&format!(" WHEN '{name}' THEN {code}"));
    }
    state.push_str(&format!(" ELSE {OTHER_STATUS} END"));
    let fraction = |col: &str| format!("CASE WHEN length({col}) > 19 THEN substr({col}, 20) END");
    let pairs = [
        (
            STATUS,
            format!("CASE WHEN ({state}) = {OTHER_STATUS} THEN status END"),
        ),
        (PAUSED_GAP, "paused_gap".to_string()),
        (RESUME_ON, "resume_on".to_string()),
        (EXIT_REASON, "exit_reason".to_string()),
        (WHY, "why".to_string()),
        (DECISION_ON, "decision_on".to_string()),
        (UNTIL, "until".to_string()),
        (DUE_FRACTION, fraction("due")),
        (CLOSED_FRACTION, fraction("closed_at")),
    ];
    format!(
        "{state}, unixepoch(due), CAST(unixepoch(started) / 86400 AS INTEGER), \
         unixepoch(closed_at), {}",
        super::log_codes::json_of_present(&pairs)
    )
}

/// The encoded columns of an enrollment: `(state, due_s, started_d, closed_s, extra)`.
pub fn encode(e: &Enrollment) -> (i64, Option<i64>, i64, Option<i64>, Option<String>) {
    let name = e.status.as_str();
    let state = STATUSES
        .iter()
        .find(|(_, n)| *n == name)
        .map_or(OTHER_STATUS, |(c, _)| *c);
    let moment = |t: Option<NaiveDateTime>| {
        t.map(|t| {
            let fraction = t.format("%.f").to_string();
            (
                t.and_utc().timestamp(),
                (!fraction.is_empty()).then_some(fraction),
            )
        })
    };
    let (due, due_fraction) = moment(e.due).unzip();
    let (closed, closed_fraction) = moment(e.closed_at).unzip();
    let day = |d: NaiveDate| d.to_string();
    let mut extra = serde_json::Map::new();
    let mut put = |key: &str, value: Option<serde_json::Value>| {
        if let Some(v) = value {
            extra.insert(key.to_string(), v);
        }
    };
    put(
        STATUS,
        (state == OTHER_STATUS).then(|| serde_json::Value::from(name)),
    );
    put(PAUSED_GAP, e.paused_gap.map(serde_json::Value::from));
    put(RESUME_ON, e.resume_on.map(|d| day(d).into()));
    put(EXIT_REASON, e.exit_reason.clone().map(Into::into));
    put(
        WHY,
        e.why
            .as_ref()
            .and_then(|w| serde_json::to_string(w).ok())
            .map(Into::into),
    );
    put(DECISION_ON, e.decision_on.map(|d| day(d).into()));
    put(UNTIL, e.until.map(|d| day(d).into()));
    put(DUE_FRACTION, due_fraction.flatten().map(Into::into));
    put(CLOSED_FRACTION, closed_fraction.flatten().map(Into::into));
    let extra = (!extra.is_empty()).then(|| serde_json::Value::Object(extra).to_string());
    let started = e
        .started
        .and_time(chrono::NaiveTime::MIN)
        .and_utc()
        .timestamp()
        / 86_400;
    (state, due, started, closed, extra)
}
