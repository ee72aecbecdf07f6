//! The few prospect columns stored shorter (migration 21): a LinkedIn address without the
//! `https://www.linkedin.com/in/` every profile shares, the day of the rest after a sequence
//! and the time the prospect was added as integers. Generated columns give back `linkedin`,
//! `rest_until` and `created_at` as they were; only [`super::rows`] encodes.

use chrono::{NaiveDate, NaiveDateTime};

/// What every profile address starts with.
const PROFILE: &str = "https://www.linkedin.com/in/";

/// Marks an address kept whole (one that is not a plain profile address).
const WHOLE: char = '=';

/// The stored form of a LinkedIn address: the profile's name alone when the address is
/// [`PROFILE`] and a name, else the whole address after [`WHOLE`].
pub fn encode_linkedin(url: &str) -> String {
    match url.strip_prefix(PROFILE) {
        Some(name) if !name.is_empty() && !name.contains('/') && !name.starts_with(WHOLE) => {
            name.to_string()
        }
        _ => format!("{WHOLE}{url}"),
    }
}

/// A day as stored: days since 1970-01-01.
pub fn encode_day(day: NaiveDate) -> i64 {
    day.and_time(chrono::NaiveTime::MIN)
        .and_utc()
        .timestamp()
        .div_euclid(86_400)
}

/// A moment as stored: whole seconds, and the fraction as it was written, if any.
pub fn encode_moment(at: NaiveDateTime) -> (i64, Option<String>) {
    super::log_codes::encode_at(at)
}

/// The physical columns added, as `ALTER TABLE … ADD COLUMN` clauses.
pub const ENCODED: [&str; 4] = [
    "linkedin_s TEXT",
    "rest_d INTEGER",
    "created_s INTEGER",
    "created_f TEXT",
];

/// The generated columns, with their old names.
pub fn generated() -> [String; 3] {
    [
        format!(
            "linkedin TEXT GENERATED ALWAYS AS (CASE WHEN linkedin_s IS NULL THEN NULL \
             WHEN substr(linkedin_s, 1, 1) = '{WHOLE}' THEN substr(linkedin_s, 2) \
             ELSE '{PROFILE}' || linkedin_s END) VIRTUAL"
        ),
        "rest_until TEXT GENERATED ALWAYS AS (date(rest_d * 86400, 'unixepoch')) VIRTUAL"
            .to_string(),
        "created_at TEXT GENERATED ALWAYS AS (strftime('%Y-%m-%d %H:%M:%S', created_s, \
         'unixepoch') || coalesce(created_f, '')) VIRTUAL"
            .to_string(),
    ]
}

/// The old columns encoded (in [`ENCODED`]'s order), reading `prospects` before migration 21.
pub fn encoded_from_old() -> String {
    let n = PROFILE.chars().count();
    format!(
        "CASE WHEN linkedin IS NULL THEN NULL \
         WHEN substr(linkedin, 1, {n}) = '{PROFILE}' AND length(linkedin) > {n} \
         AND instr(substr(linkedin, {m}), '/') = 0 AND substr(linkedin, {m}, 1) <> '{WHOLE}' \
         THEN substr(linkedin, {m}) ELSE '{WHOLE}' || linkedin END, \
         CAST(unixepoch(rest_until) / 86400 AS INTEGER), unixepoch(created_at), \
         CASE WHEN length(created_at) > 19 THEN substr(created_at, 20) END",
        m = n + 1
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linkedin_addresses_read_back_exactly() {
        let conn = rusqlite::Connection::open_in_memory().expect("memory");
        conn.execute_batch(&format!(
            "CREATE TABLE p (linkedin_s TEXT, {});",
            generated()[0]
        ))
        .expect("table");
        for url in [
            "https://www.linkedin.com/in/dana-reyes",
            "https://www.linkedin.com/in/dana-reyes/",
            "https://www.linkedin.com/in/",
            "https://www.linkedin.com/in/=odd",
            "https://www.linkedin.com/in/josé-müller",
            "http://uk.linkedin.com/in/dana",
            "dana-reyes",
            "=",
        ] {
            conn.execute("DELETE FROM p", []).expect("clear");
            conn.execute("INSERT INTO p VALUES (?1)", [encode_linkedin(url)])
                .expect("insert");
            let back: String = conn
                .query_row("SELECT linkedin FROM p", [], |r| r.get(0))
                .expect("read");
            assert_eq!(back, url);
        }
        assert_eq!(
            encode_linkedin("https://www.linkedin.com/in/dana-reyes"),
            "dana-reyes"
        );
    }
}
