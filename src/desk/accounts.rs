//! When someone at an account answers, books or opts out, their colleagues' open sequences
//! stop cold-touching the company (config `account_rule`: pause, the default, or finish),
//! in the same action, so one undo brings everything back. The reason goes on each
//! colleague's log ("Lucía Ortega at Mapledale replied on 7 Dec").

use super::store::{Tx, queries};
use crate::domain::accounts::AccountRule;
use crate::domain::{self, Calendar, Ctx, Event, Outcome, Prospect, Record, Status};
use anyhow::Result;
use chrono::NaiveTime;
use rusqlite::OptionalExtension;

/// The daily caps new touches respect: all touches, and touches at one account.
#[derive(Debug, Clone, Copy)]
pub struct Caps {
    pub day: u32,
    pub account: u32,
}

impl super::Desk {
    /// The caps the config sets (`max_touches_per_day`, `per_account_per_day`).
    pub(super) fn caps(&self) -> Caps {
        Caps {
            day: self.config.max_touches_per_day(),
            account: self.config.per_account_per_day(),
        }
    }
}

/// How many open enrollments each account has due on each day, as far as one action has
/// looked: an account's days are counted in the database once, in one pass over its
/// enrollments, then kept up to date, and a day found full points past itself (as the
/// daily cap's `DayLoad` does). An import of ten thousand people at one company so costs one
/// count, not one per day over all of them.
#[derive(Debug, Default)]
pub struct AccountLoad {
    days: std::collections::HashMap<String, std::collections::HashMap<chrono::NaiveDate, i64>>,
    full_until: std::collections::HashMap<(String, chrono::NaiveDate), chrono::NaiveDate>,
}

impl AccountLoad {
    fn count(&mut self, tx: &Tx, account: &str, day: chrono::NaiveDate) -> Result<i64> {
        if !self.days.contains_key(account) {
            let counted = count_days(tx, account)?;
            self.days.insert(account.to_string(), counted);
        }
        Ok(self
            .days
            .get(account)
            .and_then(|days| days.get(&day))
            .copied()
            .unwrap_or(0))
    }

    /// `from`, or the first working day after it with room at `account` under `cap`.
    fn first_with_room(
        &mut self,
        tx: &Tx,
        account: &str,
        from: chrono::NaiveDate,
        (cap, cal): (u32, &Calendar),
    ) -> Result<chrono::NaiveDate> {
        let mut day = from;
        let mut passed = Vec::new();
        // Bounded: a year of full days at one account is a data problem, not a schedule.
        for _ in 0..366 {
            if let Some(next) = self.full_until.get(&(account.to_string(), day)) {
                passed.push(day);
                day = *next;
                continue;
            }
            if self.count(tx, account, day)? < i64::from(cap) {
                break;
            }
            passed.push(day);
            day = cal.add_working_days(day, 1);
        }
        for d in passed {
            self.full_until.insert((account.to_string(), d), day);
        }
        Ok(day)
    }

    /// One more enrollment of `account` falls due on `day` (written in this action). An
    /// account not counted yet is left alone: its count, when asked for, reads the row.
    fn add(&mut self, account: &str, day: chrono::NaiveDate) {
        if let Some(days) = self.days.get_mut(account) {
            *days.entry(day).or_default() += 1;
        }
    }
}

/// The open enrollments of `account` due on each day.
fn count_days(tx: &Tx, account: &str) -> Result<std::collections::HashMap<chrono::NaiveDate, i64>> {
    let mut stmt = tx.conn().prepare_cached(
        "SELECT date(e.due), count(*) FROM enrollments e JOIN prospects p ON p.id = e.prospect_id \
         WHERE p.account = ?1 AND date(e.due) IS NOT NULL AND e.status IN ('active', 'paused') \
         GROUP BY 1",
    )?;
    let rows = stmt.query_map([account], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Keeps one account from being touched more than `cap` times on a day: the touch moves to
/// the next working day with room at the account (`w` says why). Moves only what
/// [`super::schedule::level`] may move.
pub(super) fn level_account(
    tx: &Tx,
    e: &mut crate::domain::Enrollment,
    (cap, rule): (u32, &super::schedule::Leveling),
    load: &mut AccountLoad,
) -> Result<Option<crate::domain::Move>> {
    let Some(due) = e.due else {
        return Ok(None);
    };
    let movable = due.date() > rule.today || (rule.include_today && due.date() == rule.today);
    if cap == 0 || !movable || due.time() != NaiveTime::MIN {
        return Ok(None);
    }
    let account: Option<String> = tx
        .conn()
        .prepare_cached("SELECT account FROM prospects WHERE id = ?1")?
        .query_row([e.prospect_id], |r| r.get(0))
        .optional()?
        .flatten();
    let Some(account) = account else {
        return Ok(None);
    };
    let planned = due.date();
    let day = load.first_with_room(tx, &account, planned, (cap, rule.cal))?;
    load.add(&account, day);
    if day == planned {
        return Ok(None);
    }
    let company = account.split_once(':').map_or(account.as_str(), |(_, a)| a);
    let m = crate::domain::Move {
        from: planned,
        to: day,
        reason: format!(
            "{} already had {cap} touches at {company} (per_account_per_day = {cap})",
            planned.format("%a %-d %b")
        ),
    };
    e.due = Some(day.and_time(NaiveTime::MIN));
    if let Some(why) = e.why.as_mut() {
        why.moves.push(m.clone());
    }
    Ok(Some(m))
}

/// What someone did that their colleagues' sequences hear about, from the records their
/// event wrote: "replied", "booked a meeting", "opted out".
fn news(records: &[Record]) -> Option<&'static str> {
    records.iter().find_map(|r| match r.outcome {
        Outcome::Meeting => Some("booked a meeting"),
        Outcome::Replied => Some("replied"),
        Outcome::OptedOut | Outcome::Complained => Some("opted out"),
        _ => None,
    })
}

/// Applies the account rule to `p`'s colleagues after an event that wrote `records`;
/// returns how many sequences it paused or finished.
pub(super) fn tell_colleagues(
    tx: &mut Tx,
    p: &Prospect,
    records: &[Record],
    rule: AccountRule,
    cal: &Calendar,
) -> Result<usize> {
    let Some(what) = news(records) else {
        return Ok(0);
    };
    if rule == AccountRule::None {
        return Ok(0);
    }
    let account: Option<String> = tx
        .conn()
        .query_row("SELECT account FROM prospects WHERE id = ?1", [p.id], |r| {
            r.get(0)
        })
        .optional()?
        .flatten();
    let Some(account) = account else {
        return Ok(0);
    };
    let colleagues: Vec<i64> = {
        let mut stmt = tx
            .conn()
            .prepare_cached("SELECT id FROM prospects WHERE account = ?1 AND id != ?2")?;
        let rows = stmt.query_map(rusqlite::params![account, p.id], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let company = p.company.as_deref().unwrap_or("their company");
    let reason = format!(
        "{} at {company} {what} on {}",
        p.full_name(),
        tx.now.format("%-d %b")
    );
    let mut told = 0;
    for id in colleagues {
        if stop_one(tx, id, &reason, rule, cal)? {
            told += 1;
        }
    }
    Ok(told)
}

/// Pauses or finishes one colleague's active sequence, with the reason on its record.
fn stop_one(tx: &mut Tx, id: i64, reason: &str, rule: AccountRule, cal: &Calendar) -> Result<bool> {
    let Some((e, seq_name)) = queries::open_enrollment(tx.conn(), id)? else {
        return Ok(false);
    };
    let Some(colleague) = queries::prospect(tx.conn(), id)? else {
        return Ok(false);
    };
    if e.status != Status::Active {
        return Ok(false);
    }
    let seq = tx.version(e.version_id)?;
    let ctx = Ctx {
        plan: &seq.plan,
        reach: colleague.reachability(),
        now: tx.now,
        cal,
    };
    let event = match rule {
        AccountRule::Finish => Event::Remove {
            reason: reason.to_string(),
        },
        _ => Event::Pause { until: None },
    };
    let Ok(mut t) = domain::apply(&ctx, &e, &event) else {
        return Ok(false);
    };
    for r in &mut t.records {
        if matches!(r.outcome, Outcome::Paused | Outcome::Removed) {
            r.reason = Some(reason.to_string());
        }
    }
    tx.put_enrollment(&t.enrollment, &seq_name)?;
    for r in &t.records {
        tx.append(Some(e.id), id, r, None, None)?;
    }
    Ok(true)
}

impl super::Desk {
    /// "Take our company off your list": the prospect's work domain goes on the
    /// do-not-contact list, and every open sequence of someone at it ends, in one action.
    pub fn block_domain(
        &mut self,
        key: &str,
        now: chrono::NaiveDateTime,
    ) -> Result<String, super::DeskError> {
        let found = self.prospect(key)?;
        let cal = self.config.calendar.clone();
        Ok(self.store.action("opt out a domain", now, |tx| {
            let msg = block_domain_in(tx, found.id, &cal)?;
            Ok((msg.clone(), msg))
        })?)
    }
}

/// The prospect's work domain on the do-not-contact list, and every open sequence of
/// someone at it ended, inside the action under way.
pub(super) fn block_domain_in(tx: &mut Tx, prospect_id: i64, cal: &Calendar) -> Result<String> {
    let Some(p) = queries::prospect(tx.conn(), prospect_id)? else {
        anyhow::bail!("prospect {prospect_id} is gone");
    };
    let email = p.email.as_deref().unwrap_or("");
    let Some(domain) = crate::domain::accounts::work_domain(email) else {
        anyhow::bail!(
            "{} has no work address whose domain could go on the list (free mail or none)",
            p.full_name()
        );
    };
    tx.add_dnc("domain", &domain, p.id)?;
    let reason = format!(
        "everyone at {domain} asked to stop ({} for them)",
        p.full_name()
    );
    let colleagues: Vec<i64> = {
        let mut stmt = tx
            .conn()
            .prepare_cached("SELECT id FROM prospects WHERE account = ?1")?;
        let rows = stmt.query_map([format!("d:{domain}")], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut ended = 0;
    for id in colleagues {
        if stop_open(tx, id, &reason, cal)? {
            ended += 1;
        }
    }
    Ok(format!(
        "Every address at {domain} is on the do-not-contact list{}",
        match ended {
            0 => String::new(),
            n => format!(
                "; {} ended",
                crate::text::count(n, "open sequence", "open sequences")
            ),
        }
    ))
}

/// Ends one prospect's open sequence, active or paused, with the reason.
pub(super) fn stop_open(tx: &mut Tx, id: i64, reason: &str, cal: &Calendar) -> Result<bool> {
    let Some((e, seq_name)) = queries::open_enrollment(tx.conn(), id)? else {
        return Ok(false);
    };
    if e.status == Status::Active {
        return stop_one(tx, id, reason, AccountRule::Finish, cal);
    }
    // A paused one ends too: resumed, then removed, as one change.
    let mut closed = e.clone();
    closed.status = Status::Closed(crate::domain::Exit::Removed);
    closed.due = None;
    closed.paused_gap = None;
    closed.resume_on = None;
    closed.closed_at = Some(tx.now);
    closed.exit_reason = Some(reason.to_string());
    tx.put_enrollment(&closed, &seq_name)?;
    let r = Record {
        at: tx.now,
        step: Some(e.step),
        channel: None,
        outcome: Outcome::Removed,
        reason: Some(reason.to_string()),
        attributed_step: None,
        kind: None,
        is_touch: false,
    };
    tx.append(Some(e.id), id, &r, None, None)?;
    Ok(true)
}
