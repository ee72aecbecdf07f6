//! The Rust parts of released migrations: rows filled in a way SQL alone could not (V6's
//! matching keys, V16's other addresses, V18's packed messages).

/// Fills the new matching keys of the prospects already there.
pub(super) fn fill_keys(tx: &rusqlite::Transaction) -> rusqlite_migration::HookResult {
    let mut keys: Vec<(i64, Option<String>, Option<String>)> = Vec::new();
    {
        // The columns as they were at V6, named here: today's row layout may differ.
        let mut stmt =
            tx.prepare("SELECT id, first_name, last_name, phone, company, fields FROM prospects")?;
        let rows = stmt.query_map([], |r| {
            let fields: String = r.get(5)?;
            Ok(crate::domain::Prospect {
                id: r.get(0)?,
                first_name: r.get(1)?,
                last_name: r.get(2)?,
                phone: r.get(3)?,
                company: r.get(4)?,
                fields: serde_json::from_str(&fields).unwrap_or_default(),
                ..crate::domain::Prospect::default()
            })
        })?;
        for p in rows {
            let p = p?;
            keys.push((p.id, p.phone_key(), p.name_key()));
        }
    }
    let mut update =
        tx.prepare("UPDATE prospects SET phone_key = ?2, name_key = ?3 WHERE id = ?1")?;
    for (id, phone, name) in keys {
        update.execute(rusqlite::params![id, phone, name])?;
    }
    Ok(())
}

/// Fills `other_addresses` from the prospects already there.
pub(super) fn fill_other_addresses(tx: &rusqlite::Transaction) -> rusqlite_migration::HookResult {
    use crate::domain::prospect::other_emails;
    let mut rows: Vec<(i64, String)> = Vec::new();
    {
        let mut stmt = tx.prepare(
            "SELECT id, json_extract(fields, '$.other_emails') FROM prospects \
             WHERE json_extract(fields, '$.other_emails') IS NOT NULL",
        )?;
        let found = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        for row in found {
            rows.push(row?);
        }
    }
    let mut insert =
        tx.prepare("INSERT OR IGNORE INTO other_addresses (address, prospect_id) VALUES (?1, ?2)")?;
    for (id, value) in rows {
        for address in other_emails(&value) {
            insert.execute(rusqlite::params![address, id])?;
        }
    }
    Ok(())
}

/// Migration 18's rest: the days rollup, then every message already stored packed.
pub(super) fn pack_messages(tx: &rusqlite::Transaction) -> rusqlite_migration::HookResult {
    tx.execute_batch(super::texts::V18_DAYS)?;
    crate::desk::store::message::pack_existing(tx)?;
    Ok(())
}
