//! What every sync saw: each message's key and Message-ID, kept outside the undo log so
//! that no message is applied twice.

use super::Considered;
use anyhow::Result;
use chrono::NaiveDateTime;
use rusqlite::{Connection, params};
use std::collections::HashSet;

/// The message keys and Message-IDs every earlier sync saw.
pub(super) fn seen(conn: &Connection) -> Result<(HashSet<String>, HashSet<String>)> {
    let mut keys = HashSet::new();
    let mut ids = HashSet::new();
    let mut stmt = conn.prepare("SELECT key, message_id FROM inbox_messages")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        keys.insert(r.get::<_, String>(0)?);
        if let Some(id) = r.get::<_, Option<String>>(1)? {
            ids.insert(id);
        }
    }
    Ok((keys, ids))
}

/// Records each message as seen, with what was done.
pub(super) fn record(conn: &Connection, messages: &[Considered], now: NaiveDateTime) -> Result<()> {
    for m in messages {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO inbox_messages (key, message_id, date, sender, subject, kind, \
             prospect_id, recipient, permanent, return_date, snippet, action, seen_at, possible, \
             candidates) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        )?
        .execute(params![
            m.key,
            m.message_id,
            m.date,
            m.from,
            m.subject,
            m.kind,
            m.prospect_id,
            m.recipient,
            m.permanent,
            m.return_date,
            m.snippet,
            m.action,
            now,
            m.possible,
            (!m.candidates.is_empty())
                .then(|| serde_json::to_string(&m.candidates).unwrap_or_default()),
        ])?;
    }
    Ok(())
}
