//! The Stats rollups of a bulk load (the demo's history), counted as each prospect is
//! written instead of by the SQL rebuild, which would read a million-row log back several
//! times. Each count follows the definition of its table in `stats::rollup` and
//! `stats::responses`; a test builds a demo and checks every table against that rebuild.

use super::bulk::Bulk;
use crate::domain::{Prospect, Record};
use anyhow::Result;
use chrono::{NaiveDate, Timelike};
// A quick hash: the keys are small and made here, from the demo's own rows.
use rustc_hash::FxHashMap as HashMap;
use std::collections::{BTreeMap, BTreeSet};

/// One touch row as the rollups see it.
struct Row<'a> {
    enrollment: Option<i64>,
    record: &'a Record,
    variant: Sym,
    day: NaiveDate,
}

impl Row<'_> {
    fn outcome(&self) -> &'static str {
        self.record.outcome.as_str()
    }
    fn channel(&self) -> &'static str {
        self.record.channel.map_or("", |c| c.as_str())
    }
    fn response(&self) -> bool {
        matches!(self.outcome(), "replied" | "meeting")
    }
}

/// What the header counts as done on a day: worked touches, and steps the rep skipped by
/// hand (as SQL's LIKE compares: ASCII letters in any case).
fn counts_as_done(row: &Row) -> bool {
    let r = row.record;
    let automatic = r
        .reason
        .as_deref()
        .unwrap_or_default()
        .to_ascii_lowercase()
        .starts_with("skipped automatically");
    r.is_touch || (row.outcome() == "skipped" && r.step.is_some() && !automatic)
}

/// A string counted under a small number (sequence names, zones, variants): keys stay
/// `Copy`, so a million rows cost no allocation each. 0 is the empty string.
type Sym = u32;

#[derive(Default, Clone)]
struct Symbols {
    names: Vec<String>,
    ids: HashMap<String, Sym>,
}

impl Symbols {
    fn of(&mut self, s: &str) -> Sym {
        if s.is_empty() {
            return 0;
        }
        if let Some(id) = self.ids.get(s) {
            return *id;
        }
        self.names.push(s.to_string());
        let id = self.names.len() as Sym;
        self.ids.insert(s.to_string(), id);
        id
    }

    fn name(&self, id: Sym) -> &str {
        match id {
            0 => "",
            id => self.names.get(id as usize - 1).map_or("", String::as_str),
        }
    }
}

/// The text of a day as the rollups key it (`substr(at, 1, 10)`); `None`: ''.
fn day_text(day: Option<NaiveDate>) -> String {
    day.map(|d| d.to_string()).unwrap_or_default()
}

#[derive(Default)]
pub struct Rollups {
    /// The rep zone the call slots are counted in: the one the demo was lived in, so the
    /// desk that opens the book has nothing to count again.
    pub zone: Option<crate::clock::Zone>,
    symbols: Symbols,
    steps: HashMap<(Sym, i64, NaiveDate, &'static str), [i64; 3]>,
    opt_outs: HashMap<(Sym, NaiveDate), i64>,
    calls: HashMap<(Sym, Sym, NaiveDate, u32), [i64; 2]>,
    variants: HashMap<(Sym, i64, Sym, NaiveDate), [i64; 2]>,
    exits: HashMap<(Sym, Option<NaiveDate>, i64), i64>,
    channels: HashMap<(Sym, &'static str, NaiveDate), i64>,
    days: HashMap<(NaiveDate, &'static str), i64>,
    statuses: HashMap<(Sym, &'static str), i64>,
    call_slots: HashMap<(Sym, i64), [i64; 2]>,
    /// Response key rows counted and not yet written (see [`Rollups::write_keys`]):
    /// (enrollment, sequence, measure, step, label, the day it first answered).
    keys: Vec<Key>,
    /// The totals of the key rows written: all time, and by the day.
    key_totals: HashMap<(Sym, &'static str, i64, Label), i64>,
    key_days: HashMap<(NaiveDate, Sym, &'static str, i64, Label), i64>,
    /// What was counted: rows of the log, of them worked touches, and enrollments.
    pub rows: i64,
    pub worked: i64,
    pub enrollments: i64,
}

/// A response key row: enrollment, sequence, measure, step, label, and the day the
/// enrollment first answered.
type Key = (i64, Sym, &'static str, i64, Label, NaiveDate);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Label {
    Text(&'static str),
    Days(i64),
}

/// Enrollments of one prospect as written: id, sequence, and whether it closed (and on
/// which day, when known).
pub struct Written<'a> {
    pub id: i64,
    pub sequence: &'a str,
    pub status: &'static str,
    pub closed: Option<Option<NaiveDate>>,
}

/// A label as stored: text, or a number of days.
fn value(label: &Label) -> rusqlite::types::Value {
    match label {
        Label::Text(t) => t.to_string().into(),
        Label::Days(d) => (*d).into(),
    }
}

impl Rollups {
    /// Counts one prospect's history. `log`: each row's enrollment (an index into
    /// `enrollments`), record and variant.
    pub fn add(
        &mut self,
        p: &Prospect,
        enrollments: &[Written],
        log: &[(Option<usize>, &Record, Option<&str>)],
    ) {
        self.rows += log.len() as i64;
        self.worked += log.iter().filter(|(_, r, _)| r.is_touch).count() as i64;
        self.enrollments += enrollments.len() as i64;
        let seqs: Vec<(i64, Sym)> = enrollments
            .iter()
            .map(|w| (w.id, self.symbols.of(w.sequence)))
            .collect();
        let rows: Vec<Row> = log
            .iter()
            .map(|(e, record, variant)| Row {
                enrollment: e.and_then(|i| enrollments.get(i)).map(|w| w.id),
                record,
                variant: self.symbols.of(variant.unwrap_or_default()),
                day: record.at.date(),
            })
            .collect();
        let seq_of = |id: Option<i64>| {
            id.and_then(|id| seqs.iter().find(|(e, _)| *e == id))
                .map(|(_, s)| *s)
        };
        let zone = self.symbols.of(p.timezone.as_deref().unwrap_or_default());
        for row in &rows {
            self.add_row(row, seq_of(row.enrollment), (p, zone), &rows);
        }
        for (w, (_, seq)) in enrollments.iter().zip(&seqs) {
            self.add_enrollment(w, *seq, &rows);
        }
    }

    /// One row of the log into the day, opt-out, step, variant and call counts. `whose`: the
    /// prospect and their zone's symbol; `rows`: all of the prospect's rows (for replies).
    fn add_row(&mut self, row: &Row, seq: Option<Sym>, whose: (&Prospect, Sym), rows: &[Row]) {
        let (p, zone) = whose;
        let r = row.record;
        if counts_as_done(row) {
            *self.days.entry((row.day, row.channel())).or_default() += 1;
        }
        if row.outcome() == "opted-out" {
            *self
                .opt_outs
                .entry((seq.unwrap_or_default(), row.day))
                .or_default() += 1;
        }
        let (Some(seq), Some(e)) = (seq, row.enrollment) else {
            return;
        };
        if let Some(step) = r.step.map(|s| s as i64) {
            if r.is_touch || row.outcome() == "opted-out" {
                let c = self
                    .steps
                    .entry((seq, step, row.day, row.channel()))
                    .or_default();
                c[0] += i64::from(r.is_touch);
                c[1] += i64::from(r.is_touch && row.outcome() == "bounced");
                c[2] += i64::from(row.outcome() == "opted-out");
            }
            if r.is_touch {
                let replied = rows.iter().any(|o| {
                    o.enrollment == Some(e)
                        && o.response()
                        && o.record.attributed_step.map(|s| s as i64) == Some(step)
                });
                let c = self
                    .variants
                    .entry((seq, step, row.variant, row.day))
                    .or_default();
                c[0] += 1;
                c[1] += i64::from(replied);
            }
        }
        if r.is_touch && row.channel() == "call" {
            let rep = self.zone.unwrap_or(crate::clock::Zone::System);
            let slot = super::stats::call_slots::slot(rep, r.at, p.timezone.as_deref());
            let c = self.call_slots.entry((seq, slot)).or_default();
            c[0] += 1;
            c[1] += i64::from(row.outcome() == "connected");
            let hour = r.at.time().hour();
            let c = self.calls.entry((seq, zone, row.day, hour)).or_default();
            c[0] += 1;
            c[1] += i64::from(row.outcome() == "connected");
        }
    }

    /// One enrollment into the status, exit, channel and response counts.
    fn add_enrollment(&mut self, w: &Written, seq: Sym, rows: &[Row]) {
        *self.statuses.entry((seq, w.status)).or_default() += 1;
        let mine: Vec<&Row> = rows.iter().filter(|r| r.enrollment == Some(w.id)).collect();
        let worked: Vec<&&Row> = mine.iter().filter(|r| r.record.is_touch).collect();
        if let Some(day) = w.closed {
            *self
                .exits
                .entry((seq, day, worked.len() as i64))
                .or_default() += 1;
        }
        let mut first_on: BTreeMap<&'static str, &Record> = BTreeMap::new();
        for r in worked.iter().filter(|r| r.record.channel.is_some()) {
            let first = first_on.entry(r.channel()).or_insert(r.record);
            if r.record.at < first.at {
                *first = r.record;
            }
        }
        for (channel, r) in first_on {
            *self
                .channels
                .entry((seq, channel, r.at.date()))
                .or_default() += 1;
        }
        self.add_keys(w.id, seq, &mine, &worked);
    }

    fn add_keys(&mut self, id: i64, seq: Sym, mine: &[&Row], worked: &[&&Row]) {
        let responses: Vec<&&Row> = mine.iter().filter(|r| r.response()).collect();
        let Some(first_response) = responses.iter().map(|r| r.day).min() else {
            return;
        };
        let ever_replied = responses.iter().any(|r| r.outcome() == "replied");
        // One enrollment's keys, each once and in order.
        let mut keys: BTreeSet<Key> = BTreeSet::new();
        for r in &responses {
            let step = r.record.attributed_step.map_or(-1, |s| s as i64);
            let meeting = r.outcome() == "meeting";
            let positive = meeting || r.record.kind.is_some_and(|k| k.as_str() == "positive");
            let mut key = |measure: &'static str, label: Label| {
                keys.insert((id, seq, measure, step, label, first_response));
            };
            key("reply", Label::Text(""));
            if meeting {
                key("meeting", Label::Text(""));
            }
            if positive {
                key("positive", Label::Text(""));
            }
            if !meeting || !ever_replied {
                let kind = match (r.record.kind, meeting) {
                    (Some(k), _) => k.as_str(),
                    (None, true) => "meeting",
                    (None, false) => "unsaid",
                };
                key("kind", Label::Text(kind));
            }
        }
        if let Some(first_worked) = worked.iter().map(|r| r.day).min() {
            let days = (first_response - first_worked).num_days();
            let label = Label::Days(days);
            keys.insert((id, seq, "days", -1, label, first_response));
        }
        self.keys.extend(keys);
    }

    /// Writes every table's rows (the tables are empty: a bulk load starts from nothing).
    pub fn write(&mut self, bulk: &mut Bulk) -> Result<()> {
        self.take_keys().write(bulk)?;
        let conn = bulk.conn();
        let mut put = conn.prepare(
            "INSERT INTO stat_steps (sequence, step, day, channel, touches, bounces, opt_outs) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        let name = |id: &Sym| self.symbols.name(*id);
        for ((seq, step, day, channel), [t, b, o]) in &self.steps {
            let day = day.to_string();
            put.execute(rusqlite::params![name(seq), step, day, channel, t, b, o])?;
        }
        let mut put =
            conn.prepare("INSERT INTO stat_opt_outs (sequence, day, n) VALUES (?1, ?2, ?3)")?;
        for ((seq, day), n) in &self.opt_outs {
            put.execute(rusqlite::params![name(seq), day.to_string(), n])?;
        }
        let mut put = conn.prepare(
            "INSERT INTO stat_calls (sequence, timezone, hour, calls, connected) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for ((seq, zone, day, hour), [calls, connected]) in &self.calls {
            let hour = format!("{day} {hour:02}");
            put.execute(rusqlite::params![
                name(seq),
                name(zone),
                hour,
                calls,
                connected
            ])?;
        }
        // Keyed as the log keeps variants: by their id in `variants` ('' for none).
        let mut put = conn.prepare(
            "INSERT INTO stat_variants (sequence, step, variant, day, touches, replied) \
             VALUES (?1, ?2, coalesce((SELECT id FROM variants WHERE name = ?3), ''), ?4, ?5, ?6)",
        )?;
        for ((seq, step, variant, day), [touches, replied]) in &self.variants {
            let (seq, variant, day) = (name(seq), name(variant), day.to_string());
            put.execute(rusqlite::params![seq, step, variant, day, touches, replied])?;
        }
        let mut put = conn.prepare(
            "INSERT INTO stat_exits (sequence, day, touches, n) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for ((seq, day, touches), n) in &self.exits {
            put.execute(rusqlite::params![name(seq), day_text(*day), touches, n])?;
        }
        let mut put = conn.prepare(
            "INSERT INTO stat_channels (sequence, channel, day, n) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for ((seq, channel, day), n) in &self.channels {
            put.execute(rusqlite::params![name(seq), channel, day.to_string(), n])?;
        }
        let mut put =
            conn.prepare("INSERT INTO stat_days (day, channel, n) VALUES (?1, ?2, ?3)")?;
        for ((day, channel), n) in &self.days {
            put.execute(rusqlite::params![day.to_string(), channel, n])?;
        }
        let mut put = conn.prepare(
            "INSERT INTO stat_call_slots (sequence, slot, calls, connected) \
             VALUES (?1, ?2, ?3, ?4)",
        )?;
        for ((seq, slot), [calls, connected]) in &self.call_slots {
            put.execute(rusqlite::params![name(seq), slot, calls, connected])?;
        }
        super::stats::call_slots::record_zone(
            conn,
            self.zone.unwrap_or(crate::clock::Zone::System),
        )?;
        let mut put =
            conn.prepare("INSERT INTO stat_statuses (sequence, status, n) VALUES (?1, ?2, ?3)")?;
        for ((seq, status), n) in &self.statuses {
            put.execute(rusqlite::params![name(seq), status, n])?;
        }
        let mut put = conn.prepare(
            "INSERT INTO stat_response_days (day, sequence, measure, step, label, n) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for ((day, seq, measure, step, label), n) in &self.key_days {
            let day = day.to_string();
            put.execute(rusqlite::params![
                day,
                name(seq),
                measure,
                step,
                value(label),
                n
            ])?;
        }
        let mut put = conn.prepare(
            "INSERT INTO stat_response_totals (sequence, measure, step, label, n) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for ((seq, measure, step, label), n) in &self.key_totals {
            put.execute(rusqlite::params![name(seq), measure, step, value(label), n])?;
        }
        Ok(())
    }

    /// The response key rows counted so far, taken to be written (their totals stay
    /// here): a million prospects' keys would otherwise sit in memory until the end. The
    /// rows are counted on one thread and written on another.
    pub fn take_keys(&mut self) -> ResponseKeys {
        for &(_, seq, measure, step, label, day) in &self.keys {
            *self
                .key_totals
                .entry((seq, measure, step, label))
                .or_default() += 1;
            *self
                .key_days
                .entry((day, seq, measure, step, label))
                .or_default() += 1;
        }
        ResponseKeys {
            rows: std::mem::take(&mut self.keys),
            sequences: self.symbols.clone(),
        }
    }
}

/// Response key rows taken from the [`Rollups`] that counted them, to be written.
pub struct ResponseKeys {
    rows: Vec<Key>,
    sequences: Symbols,
}

impl ResponseKeys {
    pub fn write(&self, bulk: &mut Bulk) -> Result<()> {
        let mut put = bulk.conn().prepare_cached(
            "INSERT INTO stat_response_keys (enrollment_id, sequence, measure, step, label, day) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for (e, seq, measure, step, label, day) in &self.rows {
            put.execute(rusqlite::params![
                e,
                self.sequences.name(*seq),
                measure,
                step,
                value(label),
                day.to_string()
            ])?;
        }
        Ok(())
    }
}
