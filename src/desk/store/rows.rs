//! Mapping between table rows and domain types.

use super::undo::Frozen;
use crate::domain::conversation::{Conversation, Origin};
use crate::domain::{Enrollment, FIELDS, Field, Prospect, Record, Status};
use rusqlite::{Connection, Row, params};
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// The columns a prospect is read from: its id, its own fields (`domain::FIELDS`, in their
/// order), then what the engine and the import keep.
pub static PROSPECT_COLS: LazyLock<String> = LazyLock::new(|| {
    let own: Vec<&str> = FIELDS.iter().map(|f| f.key).collect();
    format!("id, {}, {PROSPECT_TAIL}", own.join(", "))
});

/// The columns after a prospect's own fields.
const PROSPECT_TAIL: &str =
    "fields, email_bad, phone_bad, rest_until, created_at, external_ids, rep_fields, conversation";

/// The matching keys kept next to a prospect's columns (written, never read back into one).
const KEY_COLS: &str = "phone_key, name_key";

pub const ENROLLMENT_COLS: &str = "id, prospect_id, version_id, status, step, due, \
    last_worked_step, paused_gap, resume_on, started, closed_at, exit_reason, ordinal, why, \
    last_answerable_step, decision_on, until";

/// How many columns [`ENROLLMENT_COLS`] selects.
pub const ENROLLMENT_WIDTH: usize = 17;

/// Reads a prospect from a row selected with [`PROSPECT_COLS`] starting at column `at`.
pub fn prospect_from(row: &Row, at: usize) -> rusqlite::Result<Prospect> {
    let mut p = Prospect {
        id: row.get(at)?,
        ..Prospect::default()
    };
    for (i, spec) in FIELDS.iter().enumerate() {
        p.set_field(spec.field, row.get(at + 1 + i)?);
    }
    let rest = at + 1 + FIELDS.len();
    p.fields = serde_json::from_str(&row.get::<_, String>(rest)?).unwrap_or_default();
    p.email_bad = row.get(rest + 1)?;
    p.phone_bad = row.get(rest + 2)?;
    p.rest_until = row.get(rest + 3)?;
    p.created_at = row.get(rest + 4)?;
    p.external_ids = serde_json::from_str(&row.get::<_, String>(rest + 5)?).unwrap_or_default();
    p.rep_fields = row
        .get::<_, Option<String>>(rest + 6)?
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default();
    (p.conversation, p.thread) = row
        .get::<_, Option<String>>(rest + 7)?
        .map(|json| conversation_from(&json))
        .unwrap_or_default();
    Ok(p)
}

/// The `conversation` column: the conversation under way, or else only the origin of the
/// thread it went on into (`{"origin": …}`, no `due`: no task).
fn conversation_column(p: &Prospect) -> Option<String> {
    match (&p.conversation, p.thread) {
        (Some(c), _) => serde_json::to_string(c).ok(),
        (None, Some(origin)) => Some(serde_json::json!({ "origin": origin }).to_string()),
        (None, None) => None,
    }
}

fn conversation_from(json: &str) -> (Option<Conversation>, Option<Origin>) {
    if let Ok(c) = serde_json::from_str::<Conversation>(json) {
        let origin = c.origin;
        return (Some(c), origin);
    }
    #[derive(serde::Deserialize)]
    struct Thread {
        origin: Option<Origin>,
    }
    let thread = serde_json::from_str::<Thread>(json).ok();
    (None, thread.and_then(|t| t.origin))
}

/// Reads an enrollment from a row selected with [`ENROLLMENT_COLS`] starting at column `at`.
pub fn enrollment_from(row: &Row, at: usize) -> rusqlite::Result<Enrollment> {
    let status: String = row.get(at + 3)?;
    let status = status.parse::<Status>().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(at + 3, rusqlite::types::Type::Text, e.into())
    })?;
    Ok(Enrollment {
        id: row.get(at)?,
        prospect_id: row.get(at + 1)?,
        version_id: row.get(at + 2)?,
        status,
        step: row.get::<_, i64>(at + 4)? as usize,
        due: row.get(at + 5)?,
        last_worked_step: row.get::<_, Option<i64>>(at + 6)?.map(|s| s as usize),
        paused_gap: row.get(at + 7)?,
        resume_on: row.get(at + 8)?,
        started: row.get(at + 9)?,
        closed_at: row.get(at + 10)?,
        exit_reason: row.get(at + 11)?,
        ordinal: row.get(at + 12)?,
        why: row
            .get::<_, Option<String>>(at + 13)?
            .and_then(|w| serde_json::from_str(&w).ok()),
        last_answerable_step: row.get::<_, Option<i64>>(at + 14)?.map(|s| s as usize),
        decision_on: row.get(at + 15)?,
        until: row.get(at + 16)?,
    })
}

/// `ON CONFLICT(id) DO UPDATE SET …` for every column but the id: an update in place, so
/// rows that refer to it stay valid.
fn upsert_tail(cols: &str) -> String {
    let sets: Vec<String> = cols
        .split(',')
        .map(str::trim)
        .filter(|c| *c != "id")
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    format!("ON CONFLICT(id) DO UPDATE SET {}", sets.join(", "))
}

/// Writes every column of a prospect (insert, or update by id), and the lookups that follow
/// its row.
pub fn write_prospect(tx: &Connection, p: &Prospect, upkeep: &mut Upkeep) -> rusqlite::Result<i64> {
    store_prospect(tx, p, (p.id > 0).then_some(p.id), false, upkeep)
}

/// Inserts a prospect no row has, under `id` (or the next free one), and the lookups that
/// follow.
pub fn insert_prospect(
    tx: &Connection,
    p: &Prospect,
    id: Option<i64>,
    upkeep: &mut Upkeep,
) -> rusqlite::Result<i64> {
    store_prospect(tx, p, id, true, upkeep)
}

/// Writes `p` under `id` (`p.id` is not read).
fn store_prospect(
    tx: &Connection,
    p: &Prospect,
    id: Option<i64>,
    fresh: bool,
    upkeep: &mut Upkeep,
) -> rusqlite::Result<i64> {
    let fields = serde_json::to_string(&p.fields).unwrap_or_else(|_| "{}".into());
    let external = serde_json::to_string(&p.external_ids).unwrap_or_else(|_| "{}".into());
    let before = match id {
        Some(id) if !fresh => side_columns(tx, id)?,
        _ => None,
    };
    // A new row is a plain insert: an upsert would carry the update triggers with it, and
    // with them a statement journal on every row of an import.
    static SQL: LazyLock<(String, String)> = LazyLock::new(|| {
        // The columns as stored (`store::prospect_codes`); they read back as PROSPECT_COLS.
        let own: Vec<&str> = FIELDS.iter().map(|f| stored_column(f.field)).collect();
        let cols = format!(
            "id, {}, fields, email_bad, phone_bad, rest_d, created_s, created_f, \
             external_ids, rep_fields, conversation, {KEY_COLS}",
            own.join(", ")
        );
        let n = cols.split(',').count();
        let marks: Vec<String> = (1..=n).map(|i| format!("?{i}")).collect();
        let insert = format!(
            "INSERT INTO prospects ({cols}) VALUES ({})",
            marks.join(", ")
        );
        let upsert = format!("{insert} {}", upsert_tail(&cols));
        (insert, upsert)
    });
    let sql = if fresh { &SQL.0 } else { &SQL.1 };
    use super::prospect_codes::{encode_day, encode_moment};
    use rusqlite::types::Value;
    let (created, created_fraction) = p.created_at.map(encode_moment).unzip();
    let mut values: Vec<Value> = vec![id.into()];
    values.extend(FIELDS.iter().map(|f| stored_value(p, f.field)));
    values.extend([
        fields.clone().into(),
        p.email_bad.into(),
        p.phone_bad.into(),
        p.rest_until.map(encode_day).into(),
        created.into(),
        created_fraction.flatten().into(),
        external.clone().into(),
        (!p.rep_fields.is_empty())
            .then(|| serde_json::to_string(&p.rep_fields).unwrap_or_default())
            .into(),
        conversation_column(p).into(),
        p.phone_key().into(),
        p.name_key().into(),
    ]);
    // Prepared once per connection and reused: an import writes many rows.
    tx.prepare_cached(sql)?
        .execute(rusqlite::params_from_iter(values))?;
    let id = id.unwrap_or_else(|| tx.last_insert_rowid());
    follow(
        tx,
        id,
        before.as_ref(),
        Some((p, &fields, &external)),
        upkeep,
    )?;
    Ok(id)
}

/// The column a field is stored in: the LinkedIn address without the prefix every profile
/// shares (`store::prospect_codes`), the rest as they are.
fn stored_column(f: Field) -> &'static str {
    match f {
        Field::Linkedin => "linkedin_s",
        other => other.key(),
    }
}

/// A field's value as stored in [`stored_column`].
fn stored_value(p: &Prospect, f: Field) -> rusqlite::types::Value {
    let value = p.field(f).map(str::to_string);
    match f {
        Field::Linkedin => value
            .as_deref()
            .map(super::prospect_codes::encode_linkedin)
            .into(),
        Field::FirstName | Field::LastName | Field::Notes => value.unwrap_or_default().into(),
        _ => value.into(),
    }
}

/// Deletes a prospect's row and what follows it (its touches are the caller's).
pub fn delete_prospect(tx: &Connection, id: i64, upkeep: &mut Upkeep) -> rusqlite::Result<()> {
    let before = side_columns(tx, id)?;
    tx.prepare_cached("DELETE FROM prospects WHERE id = ?1")?
        .execute([id])?;
    follow(tx, id, before.as_ref(), None, upkeep)
}

/// Keeps `other_addresses` (a prospect's addresses besides the main one, from the
/// `other_emails` field) in step: what the inbox matches a sender on. Most prospects have
/// none, so most writes do nothing here.
fn other_addresses(
    tx: &Connection,
    id: i64,
    old_fields: &str,
    after: Option<&Prospect>,
) -> rusqlite::Result<()> {
    use crate::domain::prospect::{OTHER_EMAILS, other_emails};
    // The common case, read without parsing: no other address before or after.
    let had = old_fields.contains(OTHER_EMAILS);
    if !had && after.is_none_or(|p| !p.fields.contains_key(OTHER_EMAILS)) {
        return Ok(());
    }
    let old: BTreeMap<String, serde_json::Value> =
        serde_json::from_str(old_fields).unwrap_or_default();
    let old = old
        .get(OTHER_EMAILS)
        .and_then(|v| v.as_str())
        .map(other_emails)
        .unwrap_or_default();
    let new = after
        .and_then(|p| p.fields.get(OTHER_EMAILS))
        .map(|v| other_emails(v))
        .unwrap_or_default();
    if old == new {
        return Ok(());
    }
    for address in &old {
        tx.prepare_cached("DELETE FROM other_addresses WHERE address = ?1 AND prospect_id = ?2")?
            .execute(params![address, id])?;
    }
    for address in &new {
        tx.prepare_cached(
            "INSERT OR IGNORE INTO other_addresses (address, prospect_id) VALUES (?1, ?2)",
        )?
        .execute(params![address, id])?;
    }
    Ok(())
}

/// What a transaction's prospect writes leave to be done once, before it commits: how the
/// number of prospects carrying each custom field changed (an import gives the same few
/// names to every row, so they are counted here and written once to `custom_field_names`),
/// and which prospects to place in the book's order and its search index
/// (`store::book_order`).
#[derive(Debug)]
pub struct Upkeep {
    field_names: BTreeMap<String, i64>,
    /// The prospects written, each once or more (a plain list: an import writes a million);
    /// `None`: the whole book is laid out again instead (a bulk load).
    written: Option<Vec<i64>>,
}

impl Default for Upkeep {
    fn default() -> Self {
        Upkeep {
            field_names: BTreeMap::new(),
            written: Some(Vec::new()),
        }
    }
}

impl Upkeep {
    /// For a write of the whole book: its order is laid out at the end, not row by row.
    pub fn whole_book() -> Upkeep {
        Upkeep {
            field_names: BTreeMap::new(),
            written: None,
        }
    }

    fn add(&mut self, name: &str, change: i64) {
        match self.field_names.get_mut(name) {
            Some(count) => *count += change,
            None => {
                self.field_names.insert(name.to_string(), change);
            }
        }
    }

    fn wrote(&mut self, id: i64) {
        if let Some(written) = &mut self.written {
            written.push(id);
        }
    }

    /// Writes the counted changes to `custom_field_names`, places the prospects written,
    /// and forgets both.
    pub fn finish(&mut self, tx: &Connection) -> rusqlite::Result<()> {
        self.finish_field_names(tx)?;
        match &mut self.written {
            Some(written) => {
                let mut written = std::mem::take(written);
                written.sort_unstable();
                written.dedup();
                super::book_order::place(tx, &written)
            }
            None => super::book_order::rebuild(tx),
        }
    }

    /// Writes the counted changes to `custom_field_names` and forgets them: the part of
    /// [`Upkeep::finish`] for a caller that lays the book out itself.
    pub fn finish_field_names(&mut self, tx: &Connection) -> rusqlite::Result<()> {
        let changes = std::mem::take(&mut self.field_names);
        let mut fell = false;
        for (name, change) in changes.into_iter().filter(|(_, c)| *c != 0) {
            fell |= change < 0;
            tx.prepare_cached(
                "INSERT INTO custom_field_names (name, prospects) VALUES (?1, ?2) \
                 ON CONFLICT(name) DO UPDATE SET prospects = prospects + excluded.prospects",
            )?
            .execute(params![name, change])?;
        }
        if fell {
            tx.execute("DELETE FROM custom_field_names WHERE prospects <= 0", [])?;
        }
        Ok(())
    }
}

/// A stored prospect's `fields` and `external_ids`, as JSON text.
fn side_columns(tx: &Connection, id: i64) -> rusqlite::Result<Option<(String, String)>> {
    use rusqlite::OptionalExtension;
    tx.prepare_cached("SELECT fields, external_ids FROM prospects WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
}

/// Keeps the two lookups that follow a prospect's row in step with it: the ids other tools
/// gave it (`external_ids`) and how many prospects carry each custom field (counted in
/// `upkeep`, for `custom_field_names`, which also notes the prospect to place in the book's
/// order). `before` is the stored row's `fields` and
/// `external_ids` JSON; `after`, the prospect written and the same two as JSON. This is done
/// here rather than by triggers: a table with triggers makes every insert into it keep a
/// statement journal, which cost a big import a fifth of its time.
fn follow(
    tx: &Connection,
    id: i64,
    before: Option<&(String, String)>,
    after: Option<(&Prospect, &str, &str)>,
    upkeep: &mut Upkeep,
) -> rusqlite::Result<()> {
    upkeep.wrote(id);
    let (old_fields, old_ids) = before.map_or(("{}", "{}"), |(f, i)| (f.as_str(), i.as_str()));
    let (new_fields, new_ids) = after.map_or(("{}", "{}"), |(_, f, i)| (f, i));
    let no_ids = BTreeMap::new();
    let new = after.map_or(&no_ids, |(p, ..)| &p.external_ids);
    if old_fields != new_fields {
        other_addresses(tx, id, old_fields, after.map(|(p, ..)| p))?;
        let old: BTreeMap<String, serde::de::IgnoredAny> =
            serde_json::from_str(old_fields).unwrap_or_default();
        for name in old.keys() {
            upkeep.add(name, -1);
        }
        for name in after.iter().flat_map(|(p, ..)| p.fields.keys()) {
            upkeep.add(name, 1);
        }
    }
    if old_ids != new_ids {
        // By the key itself, one plain statement per id: no index on the prospect to keep
        // up, and a statement that writes several rows keeps a journal.
        let old: BTreeMap<String, String> = serde_json::from_str(old_ids).unwrap_or_default();
        for (source, value) in &old {
            tx.prepare_cached(
                "DELETE FROM external_ids WHERE source = ?1 AND value = ?2 AND prospect_id = ?3",
            )?
            .execute(params![source, value, id])?;
        }
        for (source, value) in new {
            tx.prepare_cached(
                "INSERT OR IGNORE INTO external_ids (source, value, prospect_id) \
                 VALUES (?1, ?2, ?3)",
            )?
            .execute(params![source, value, id])?;
        }
    }
    Ok(())
}

/// Writes every column of an enrollment (insert, or update by id), in the compact layout
/// (`store::enrollment_codes`).
pub fn write_enrollment(tx: &Connection, e: &Enrollment, sequence: &str) -> rusqlite::Result<i64> {
    let id = if e.id > 0 { Some(e.id) } else { None };
    const COLS: &str = "id, prospect_id, version_id, sequence, step, last_worked_step, ordinal, \
        last_answerable_step, state, due_s, started_d, closed_s, extra";
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "INSERT INTO enrollments ({COLS}) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) {}",
            upsert_tail(COLS)
        )
    });
    let (state, due, started, closed, extra) = super::enrollment_codes::encode(e);
    // Prepared once per connection and reused: an import writes many rows.
    tx.prepare_cached(&SQL)?.execute(params![
        id,
        e.prospect_id,
        e.version_id,
        sequence,
        e.step as i64,
        e.last_worked_step.map(|s| s as i64),
        e.ordinal,
        e.last_answerable_step.map(|s| s as i64),
        state,
        due,
        started,
        closed,
        extra,
    ])?;
    Ok(id.unwrap_or_else(|| tx.last_insert_rowid()))
}

/// One record of the touch log, as it is appended.
pub struct NewTouch<'a> {
    /// `None` for history that belongs to no rep action (the demo's).
    pub action_id: Option<i64>,
    pub enrollment_id: Option<i64>,
    pub prospect_id: i64,
    pub record: &'a Record,
    pub note: Option<&'a str>,
    pub text: Option<&'a Frozen>,
}

/// What appending to the touch log keeps between rows: the text packer, and the ids of the
/// variants seen (a bulk load writes a million rows over a few dozen variants).
#[derive(Default)]
pub struct TouchWriter {
    packer: super::message::Packer,
    variants: std::collections::HashMap<String, i64>,
}

impl TouchWriter {
    /// Counts what is not yet written (see [`super::message::Packer::finish`]).
    pub fn finish(&mut self, tx: &Connection) -> rusqlite::Result<()> {
        self.packer.finish(tx)
    }

    /// The id of a variant (a template path) in `variants`, added if it is new.
    fn variant_id(&mut self, tx: &Connection, name: &str) -> rusqlite::Result<i64> {
        if let Some(id) = self.variants.get(name) {
            return Ok(*id);
        }
        tx.prepare_cached("INSERT INTO variants (name) VALUES (?1) ON CONFLICT DO NOTHING")?
            .execute([name])?;
        let id: i64 = tx
            .prepare_cached("SELECT id FROM variants WHERE name = ?1")?
            .query_row([name], |r| r.get(0))?;
        self.variants.insert(name.to_string(), id);
        Ok(id)
    }
}

/// Appends one record to the touch log in its compact layout (`store::log_codes`), its text
/// packed. Returns the row's id.
pub fn insert_touch(
    tx: &Connection,
    t: &NewTouch,
    writer: &mut TouchWriter,
) -> rusqlite::Result<i64> {
    let mut append = tx.prepare_cached(APPEND_TOUCH)?;
    append_touch(&mut append, tx, t, writer)?;
    Ok(tx.last_insert_rowid())
}

/// The statement that appends a record to the log.
pub const APPEND_TOUCH: &str = "INSERT INTO touches (action_id, enrollment_id, prospect_id, \
    at_s, code, variant, message, extra) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

/// [`insert_touch`] through `append`, prepared once from [`APPEND_TOUCH`]: a bulk load
/// appends millions of rows, and finding a cached statement by its text costs a hash of it
/// on the way out and again on the way back.
pub fn append_touch(
    append: &mut rusqlite::Statement,
    tx: &Connection,
    t: &NewTouch,
    writer: &mut TouchWriter,
) -> rusqlite::Result<()> {
    let (r, text) = (t.record, t.text);
    let message = match text {
        Some(f) => writer
            .packer
            .pack(tx, f.subject.as_deref(), f.body.as_deref())?,
        None => None,
    };
    let variant = match text.and_then(|t| t.variant.as_deref()) {
        Some(name) => Some(writer.variant_id(tx, name)?),
        None => None,
    };
    let (code, outcome_text) =
        super::log_codes::encode(r.is_touch, r.channel, r.outcome, r.step, r.attributed_step)?;
    let (at_s, fraction) = super::log_codes::encode_at(r.at);
    use super::log_codes::{FRACTION, KIND, NOTE, OUTCOME, REASON};
    let extra = super::log_codes::extra(&[
        (REASON, r.reason.as_deref()),
        (NOTE, t.note),
        (KIND, r.kind.map(|k| k.as_str())),
        (FRACTION, fraction.as_deref()),
        (OUTCOME, outcome_text),
    ]);
    append.execute(params![
        t.action_id,
        t.enrollment_id,
        t.prospect_id,
        at_s,
        code,
        variant,
        message,
        extra,
    ])?;
    Ok(())
}
