//! The import's writing half: each row of a CSV file, read by [`crate::import`], meets the
//! book in one action — matched, merged or added, checked against the do-not-contact list,
//! enrolled with its start spread over working days. All of it lands, or none of it.

use super::Desk;
use super::enroll::{EnrollTarget, Start, enroll_in};
use super::import_seen::{Key, Seen};
use super::store::{Tx, queries};
use crate::domain::{Calendar, Effect, Exit, Prospect};
use crate::import::merge::{merge, same_person};
use crate::import::row::Flags;
use crate::import::{
    BIG_FILE, DO_NOT_CONTACT, DUPLICATE, ImportOptions, NAMELESS, Progress, Report, Row, Source,
    TWO_KNOWN,
};
use anyhow::Result;
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::Connection;
use std::collections::HashSet;
use std::path::Path;

impl Desk {
    /// Imports `path`. A bad row anywhere rolls everything back and names the file, line and
    /// column.
    pub(super) fn import_file(
        &mut self,
        path: &Path,
        opts: &ImportOptions,
        now: NaiveDateTime,
    ) -> Result<Report> {
        let seq = match &opts.sequence {
            Some(name) => Some(self.library.load(name)?),
            None => None,
        };
        let mut source = Source::open(path)?;
        // A file with no data rows changes nothing: not even an undo entry for nothing.
        let Some(first_row) = source.next_row()? else {
            return Ok(Report {
                file: source.shown.clone(),
                dry_run: opts.dry_run,
                preamble_lines: source.preamble_lines,
                footer_lines: source.footer_lines,
                board_lines: source.board.skipped,
                ..Report::default()
            });
        };
        let cal = self.config.calendar.clone();
        let plan = Plan {
            target: seq
                .as_ref()
                .map(|s| EnrollTarget::new(s).with_caps(self.caps())),
            first_day: cal.roll_forward(opts.start.unwrap_or(now.date()).max(now.date())),
            cal: &cal,
            opts,
        };
        let body = |tx: &mut Tx| rows_into(tx, plan, &mut source, first_row);
        if opts.dry_run {
            self.store.rehearse("import", now, body)
        } else {
            self.store.action("import", now, body)
        }
    }
}

/// What an import does with the rows besides storing them.
struct Plan<'a> {
    /// The sequence to enroll them in, if any.
    target: Option<EnrollTarget<'a>>,
    first_day: NaiveDate,
    cal: &'a Calendar,
    opts: &'a ImportOptions,
}

/// Every row of the file, inside the action.
fn rows_into(
    tx: &mut Tx,
    plan: Plan,
    source: &mut Source,
    first_row: Row,
) -> Result<(Report, String)> {
    let big = source.size >= BIG_FILE;
    let emails = plan.target.as_ref().is_some_and(|t| {
        t.seq
            .plan
            .steps
            .iter()
            .any(|st| st.channel == crate::domain::Channel::Email)
    });
    let mut import = Import {
        target: plan.target,
        cal: plan.cal,
        spread: Spread {
            day: plan.first_day,
            used: 0,
            per_day: plan.opts.per_day,
        },
        newest_before: newest_prospect(tx.conn())?,
        touched: HashSet::new(),
        report: Report {
            file: source.shown.clone(),
            dry_run: plan.opts.dry_run,
            ..Report::default()
        },
        emails,
        // Only a big file pays for reading the book's keys into a filter.
        seen: if big {
            Some(Seen::load(tx.conn(), source.size / 50)?)
        } else {
            None
        },
        any_do_not_contact: tx.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM do_not_contact)",
            [],
            |r| r.get(0),
        )?,
        now: tx.now,
    };
    let progress = Progress::new(source.size, plan.opts.progress);
    let mut pending = Some(first_row);
    while let Some(row) = match pending.take() {
        Some(row) => Some(row),
        None => source.next_row()?,
    } {
        import.row(tx, row)?;
        if import.report.rows % 1024 == 0 {
            progress.update(source.read.get(), import.report.rows);
        }
    }
    progress.finish();
    if !import.report.bad.is_empty() && !plan.opts.skip_bad {
        let refusal = crate::import::BadRows::new(&source.shown, &import.report.bad);
        return Err(refusal.into());
    }
    import.report.headers = source.layout.headers.clone();
    import.report.preamble_lines = source.preamble_lines;
    import.report.footer_lines = source.footer_lines;
    import.report.board_lines = source.board.skipped;
    let summary = format!(
        "import of {} ({} added, {} updated)",
        import.report.file, import.report.added, import.report.updated
    );
    Ok((import.report, summary))
}

/// New starts spread at `per_day` a working day from the first day.
struct Spread {
    day: NaiveDate,
    used: usize,
    per_day: Option<usize>,
}

impl Spread {
    /// The day the next enrollment starts on.
    fn day(&mut self, cal: &Calendar) -> NaiveDate {
        if let Some(limit) = self.per_day {
            if self.used >= limit {
                self.day = cal.add_working_days(self.day, 1);
                self.used = 0;
            }
        }
        self.day
    }
}

/// A prospect as the CRM's flags leave them: a bounced address is bad; a do-not-call person
/// gets the `do_not_call` field, which keeps call and text steps off their phones (the
/// number itself still works, so it is not marked bad).
fn flagged(p: &mut Prospect, flags: Flags) {
    if flags.bounced {
        p.email_bad = true;
    }
    if flags.do_not_call {
        p.fields.insert(
            crate::domain::prospect::DO_NOT_CALL_FIELD.to_string(),
            "yes (from the CRM)".to_string(),
        );
    }
}

/// The state of one import while its rows go through.
struct Import<'a> {
    target: Option<EnrollTarget<'a>>,
    cal: &'a Calendar,
    spread: Spread,
    /// The highest prospect id before the import: any higher one was added by an earlier row
    /// of this file. Asking the database, instead of keeping every row's email and LinkedIn
    /// URL in memory, keeps memory flat however long the file is.
    newest_before: i64,
    /// Known prospects an earlier row of this file updated.
    touched: HashSet<i64>,
    report: Report,
    /// The sequence has email steps (a prospect without an address will skip them).
    emails: bool,
    /// For a big file, the keys the book may know: a row with none of them needs no lookup.
    seen: Option<Seen>,
    /// Whether the do-not-contact list has anyone on it.
    any_do_not_contact: bool,
    now: NaiveDateTime,
}

impl Import<'_> {
    /// One row of the file: counted, and taken unless it has no name.
    fn row(&mut self, tx: &mut Tx, row: Row) -> Result<()> {
        self.report.rows += 1;
        match row {
            Row::Nameless => self.report.skip(NAMELESS),
            Row::Bad(bad) => {
                self.report.skip(crate::import::BAD);
                self.report.bad.push(*bad);
            }
            Row::Prospect {
                prospect,
                ambiguous_place,
                flags,
            } => {
                if ambiguous_place {
                    self.report.ambiguous_places += 1;
                }
                if flags.unknown_zone {
                    self.report.unknown_zones += 1;
                }
                self.take(tx, *prospect, flags)?;
            }
        }
        Ok(())
    }

    fn take(&mut self, tx: &mut Tx, mut p: Prospect, flags: Flags) -> Result<()> {
        crate::domain::prospect::normalize_identifiers(&mut p);
        // Worked out once: the lookups, the filter and the stored row all use them.
        let keys = WeakKeys {
            phone: p.phone_key(),
            name: p.name_key(),
        };
        let found = known(tx.conn(), &p, &keys, self.seen.as_ref())?;
        let earlier_row = |id: i64| id > self.newest_before || self.touched.contains(&id);
        if found.iter().any(|k| earlier_row(k.id)) {
            self.report.skip(DUPLICATE);
            return Ok(());
        }
        let stored = match found.as_slice() {
            [_, _, ..] => {
                self.report.skip(TWO_KNOWN);
                return Ok(());
            }
            [before] => {
                // Only a dry run shows the row beside what it changes.
                let row = self.report.dry_run.then(|| p.clone());
                let mut merged = merge(before.clone(), p);
                flagged(&mut merged, flags);
                set_shared_aside(tx.conn(), &mut merged)?;
                if self.refuse_do_not_contact(tx.conn(), &merged)? {
                    return Ok(());
                }
                if let Some(row) = row {
                    self.report.note_changes(before, &row, &merged);
                }
                tx.put_prospect(&merged)?;
                if let Some(seen) = &mut self.seen {
                    seen.insert(&merged, &WeakKeys::of(&merged));
                }
                self.touched.insert(merged.id);
                self.report.updated += 1;
                merged
            }
            _ => {
                if self.refuse_do_not_contact(tx.conn(), &p)? {
                    return Ok(());
                }
                p.created_at = Some(self.now);
                flagged(&mut p, flags);
                if set_shared_aside(tx.conn(), &mut p)? {
                    self.report.shared_addresses += 1;
                }
                p.id = tx.put_prospect(&p)?;
                if let Some(seen) = &mut self.seen {
                    seen.insert(&p, &keys);
                }
                self.report.added += 1;
                p
            }
        };
        self.obey(tx, &stored, flags)?;
        let Some(target) = &mut self.target else {
            return Ok(());
        };
        let day = self.spread.day(self.cal);
        match enroll_in(tx, &stored, target, Start { day, force: false }, self.cal)? {
            Ok(e) => {
                self.report.enrolled += 1;
                if self.emails && stored.email.is_none() {
                    self.report.enrolled_without_email += 1;
                }
                self.spread.used += 1;
                // The daily cap may have moved the start past the day it was spread to.
                let start = e.due.map_or(day, |d| d.date());
                let (first, last) = (&mut self.report.first_start, &mut self.report.last_start);
                *first = Some(first.map_or(start, |f| f.min(start)));
                *last = Some(last.map_or(start, |l| l.max(start)));
            }
            Err(refusal) => self.report.skip(refusal.label()),
        }
        Ok(())
    }

    /// What the CRM's flags ask of a stored prospect: an email opt-out puts the address on
    /// the do-not-contact list and ends their open sequence; each flag is counted and the
    /// first people named.
    fn obey(&mut self, tx: &mut Tx, p: &Prospect, flags: Flags) -> Result<()> {
        if !(flags.email_opt_out || flags.do_not_call || flags.bounced) {
            return Ok(());
        }
        let mut said = Vec::new();
        if flags.email_opt_out {
            self.report.opted_out += 1;
            said.push("opted out of email");
            if let Some(email) = p.email.as_deref() {
                tx.add_dnc(
                    "email",
                    &crate::domain::prospect::normalize_email(email),
                    p.id,
                )?;
            }
            let close = [Effect::CloseOthers(Exit::OptedOut)];
            super::log_after::apply_effects(tx, p, 0, &close)?;
        }
        if flags.do_not_call {
            self.report.do_not_call += 1;
            said.push("do not call");
        }
        if flags.bounced {
            self.report.bounced += 1;
            said.push("email bounced");
        }
        if self.report.flagged.len() < crate::import::report::NAMED_REFUSALS {
            self.report
                .flagged
                .push(format!("{} ({})", p.full_name(), said.join(", ")));
        }
        Ok(())
    }

    /// Counts and names a person on the do-not-contact list; they are neither added nor
    /// updated.
    fn refuse_do_not_contact(&mut self, conn: &Connection, p: &Prospect) -> Result<bool> {
        // An import adds nobody to the list, so an empty list stays empty throughout.
        if !self.any_do_not_contact {
            return Ok(false);
        }
        let Some((kind, value)) = queries::do_not_contact_match(conn, p)? else {
            return Ok(false);
        };
        self.report.skip(DO_NOT_CONTACT);
        if self.report.do_not_contact.len() < crate::import::report::NAMED_REFUSALS {
            self.report
                .do_not_contact
                .push(format!("{} ({kind} {value})", p.full_name()));
        }
        Ok(true)
    }
}

/// The prospects a row matches: by the exporting tool's id for the person, by email, by
/// LinkedIn URL — none, one, or two different ones (its email belongs to one and its id to
/// another). Only when none of those match, by phone, then by name and company: a weak key
/// counts only for the prospects the row does not contradict (several of them: the row is ambiguous).
/// A key `seen` knows is new is not looked up.
fn known(
    conn: &Connection,
    p: &Prospect,
    keys: &WeakKeys,
    seen: Option<&Seen>,
) -> Result<Vec<Prospect>> {
    // Ids first, from the indexes alone; a whole prospect is read only for a match.
    let ids = |key: Key, sql: &str, values: &[&str]| -> Result<Vec<i64>> {
        if seen.is_some_and(|s| !s.may_have(key, values)) {
            return Ok(Vec::new());
        }
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(values), |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<i64>>>()?)
    };
    let mut found: Vec<i64> = Vec::new();
    for (source, id) in &p.external_ids {
        let sql = "SELECT prospect_id FROM external_ids WHERE source = ?1 AND value = ?2 LIMIT 2";
        found.extend(ids(Key::Id, sql, &[source, id])?);
    }
    if let Some(email) = &p.email {
        let sql = "SELECT id FROM prospects WHERE email = ?1";
        found.extend(ids(Key::Email, sql, &[email])?);
    }
    if let Some(linkedin) = &p.linkedin {
        let sql = "SELECT id FROM prospects WHERE linkedin = ?1";
        found.extend(ids(Key::Linkedin, sql, &[linkedin])?);
    }
    found.sort_unstable();
    found.dedup();
    if found.is_empty() {
        // A phone shared by several prospects is a switchboard: it settles nothing.
        let sql = "SELECT id FROM prospects WHERE phone_key = ?1 LIMIT 2";
        if let Some(phone) = &keys.phone {
            if let [one] = ids(Key::Phone, sql, &[phone])?.as_slice() {
                if let Some(candidate) = queries::prospect(conn, *one)? {
                    if same_person(p, &candidate) {
                        return Ok(vec![candidate]);
                    }
                }
            }
        }
        // The same name at the same company more than once is this person kept twice (two
        // records in two tools): the row matches all of them that it agrees with, so it is
        // skipped as ambiguous rather than added a third time on every import.
        let sql = "SELECT id FROM prospects WHERE name_key = ?1 LIMIT 16";
        if let Some(name) = &keys.name {
            let mut agreeing = Vec::new();
            for id in ids(Key::Name, sql, &[name])? {
                agreeing.extend(queries::prospect(conn, id)?.filter(|c| same_person(p, c)));
            }
            return Ok(agreeing);
        }
        return Ok(Vec::new());
    }
    let mut out = Vec::with_capacity(found.len());
    for id in found {
        out.extend(queries::prospect(conn, id)?.filter(|c| !another_record(p, c)));
    }
    Ok(out)
}

/// The row and the prospect carry different Salesforce ids for one kind of record: two
/// people (two leads sharing a company's info@ address), whatever else they share. A lead
/// (00Q…) and the contact it became (003…) are one person. Other tools keep one address to
/// one record, so there a new id on a known address is the CRM's merge of two records.
fn another_record(row: &Prospect, known: &Prospect) -> bool {
    let ids = |p: &Prospect| p.external_ids.get("salesforce").cloned();
    match (ids(row), ids(known)) {
        (Some(a), Some(b)) => a.get(..3) == b.get(..3) && a != b,
        _ => false,
    }
}

/// A person whose email or LinkedIn address another prospect already has (a shared address,
/// told apart by the tool's ids): that address is kept as a field instead. Only Salesforce
/// records are told apart that way ([`another_record`]), so only their rows are looked at:
/// an import of any other tool pays nothing for it.
fn set_shared_aside(conn: &Connection, p: &mut Prospect) -> Result<bool> {
    if !p.external_ids.contains_key("salesforce") {
        return Ok(false);
    }
    let mut moved = false;
    for (key, column) in [("shared_email", "email"), ("shared_linkedin", "linkedin")] {
        let value = match column {
            "email" => &mut p.email,
            _ => &mut p.linkedin,
        };
        let Some(v) = value.clone() else { continue };
        let sql = format!("SELECT count(*) FROM prospects WHERE {column} = ?1 AND id != ?2");
        let taken: i64 = conn
            .prepare_cached(&sql)?
            .query_row(rusqlite::params![v, p.id], |r| r.get(0))?;
        if taken > 0 {
            *value = None;
            p.fields.insert(key.to_string(), v);
            moved = true;
        }
    }
    Ok(moved)
}

/// A row's keys by phone and by name and company ([`Prospect::phone_key`], [`Prospect::name_key`]).
pub(crate) struct WeakKeys {
    pub phone: Option<String>,
    pub name: Option<String>,
}

impl WeakKeys {
    pub(super) fn of(p: &Prospect) -> WeakKeys {
        WeakKeys {
            phone: p.phone_key(),
            name: p.name_key(),
        }
    }
}

fn newest_prospect(conn: &Connection) -> Result<i64> {
    Ok(
        conn.query_row("SELECT coalesce(max(id), 0) FROM prospects", [], |r| {
            r.get(0)
        })?,
    )
}
