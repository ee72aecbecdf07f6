//! Moves after the engine's date: the daily cap, the rep's time off; and "why is this due?".

use super::Desk;
use super::error::refuse;
use crate::desk::DeskError;
use crate::desk::store::{Tx, queries};
use crate::domain::why::explain;
use crate::domain::{Calendar, Enrollment, Move, Why};
use anyhow::Result;
use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime};
use std::collections::HashMap;

/// The longest time off taken at once: a year (a sabbatical), not a typo'd century.
const MAX_TIME_OFF_DAYS: i64 = 366;

/// Keeps a day at or under the daily cap: a touch landing on a full day moves to the next
/// working day with room. Overdue touches and touches due at a set minute (an inbound lead)
/// never move; today's only when `include_today` (a new enrollment, not the next step of
/// one the rep is working right now). Returns the move made, if any.
pub fn level(tx: &Tx, e: &mut Enrollment, rule: &Leveling) -> Result<Option<Move>> {
    let mut load = DayLoad::new(e.id);
    level_with(tx, e, rule, &mut load)
}

/// How [`level`] moves a touch: the cap, the calendar, today, and whether a touch due
/// today may move.
#[derive(Debug, Clone, Copy)]
pub struct Leveling<'a> {
    pub cap: u32,
    pub cal: &'a Calendar,
    pub today: NaiveDate,
    pub include_today: bool,
}

/// [`level`], with what is known about each day's load kept in `load` from one call to the
/// next: an action that starts many enrollments (an import) counts each day once, not once
/// per enrollment and day passed.
pub fn level_with(
    tx: &Tx,
    e: &mut Enrollment,
    rule: &Leveling,
    load: &mut DayLoad,
) -> Result<Option<Move>> {
    let Leveling {
        cap,
        cal,
        today,
        include_today,
    } = *rule;
    let Some(due) = e.due else {
        return Ok(None);
    };
    let movable = due.date() > today || (include_today && due.date() == today);
    if !movable || due.time() != NaiveTime::MIN {
        return Ok(None);
    }
    let planned = due.date();
    let day = load.first_with_room(tx, planned, cap, cal)?;
    if day == planned {
        return Ok(None);
    }
    let m = Move {
        from: planned,
        to: day,
        reason: format!(
            "{} was full (max_touches_per_day = {cap})",
            planned.format("%a %-d %b")
        ),
    };
    e.due = Some(day.and_time(NaiveTime::MIN));
    if let Some(why) = e.why.as_mut() {
        why.moves.push(m.clone());
    }
    Ok(Some(m))
}

/// How many open enrollments fall due on each day, as far as one action has looked: each day
/// is counted in the database once, then kept up to date with [`DayLoad::add`]. Within an
/// action days only fill up, so a day found full points past itself to the next day that had
/// room, and a later search jumps there at once.
#[derive(Debug, Default)]
pub struct DayLoad {
    /// The enrollment being moved, left out of the counts (0 for a new one).
    except: i64,
    counts: HashMap<NaiveDate, i64>,
    full_until: HashMap<NaiveDate, NaiveDate>,
}

impl DayLoad {
    pub fn new(except: i64) -> DayLoad {
        DayLoad {
            except,
            ..DayLoad::default()
        }
    }

    /// One more enrollment falls due on `day` (written in this action).
    pub fn add(&mut self, day: NaiveDate) {
        if let Some(n) = self.counts.get_mut(&day) {
            *n += 1;
        }
    }

    fn count(&mut self, tx: &Tx, day: NaiveDate) -> Result<i64> {
        if let Some(n) = self.counts.get(&day) {
            return Ok(*n);
        }
        let n = queries::due_on(tx.conn(), day, self.except)?;
        self.counts.insert(day, n);
        Ok(n)
    }

    /// `from`, or the first working day after it with room under `cap`.
    fn first_with_room(
        &mut self,
        tx: &Tx,
        from: NaiveDate,
        cap: u32,
        cal: &Calendar,
    ) -> Result<NaiveDate> {
        let mut day = from;
        let mut passed = Vec::new();
        // Bounded: a year of full days is a configuration problem, not a schedule.
        for _ in 0..366 {
            if let Some(next) = self.full_until.get(&day) {
                passed.push(day);
                day = *next;
                continue;
            }
            if self.count(tx, day)? < i64::from(cap) {
                break;
            }
            passed.push(day);
            day = cal.add_working_days(day, 1);
        }
        for d in passed {
            self.full_until.insert(d, day);
        }
        Ok(day)
    }
}

/// The calendar with the rep's time off added as days off.
pub fn with_time_off(base: &Calendar, time_off: &[(NaiveDate, NaiveDate)]) -> Calendar {
    let mut cal = base.clone();
    for (first, last) in time_off {
        let mut d = *first;
        let mut days = Vec::new();
        while d <= *last {
            days.push((d, "time off".to_string()));
            d = d + Days::new(1);
        }
        cal.add_holidays(days);
    }
    cal
}

impl Desk {
    /// Takes `first..=last` off: every pending touch due in that span moves past it, keeping
    /// how many working days into the absence it fell (so spacing between touches holds), and
    /// nothing new falls due on those days. One action, undone as one.
    pub fn vacation(
        &mut self,
        first: NaiveDate,
        last: NaiveDate,
        now: NaiveDateTime,
    ) -> Result<String, DeskError> {
        if last < first {
            refuse!("--to {last} is before --from {first}");
        }
        if last < now.date() {
            refuse!("that time off ({first} to {last}) is already over: nothing is due in it");
        }
        if (last - first).num_days() > MAX_TIME_OFF_DAYS {
            refuse!(
                "{first} to {last} is longer than a year of time off; give at most {MAX_TIME_OFF_DAYS} days"
            );
        }
        let base = self.base_calendar.clone();
        let cap = self.config.max_touches_per_day();
        let mut off = queries::time_off(self.store.conn())?;
        off.push((first, last));
        let cal = with_time_off(&base, &off);
        let back = cal.roll_forward(last + Days::new(1));
        let pending = queries::due_between(self.store.conn(), first.max(now.date()), last)?;
        let moved = pending.len();
        let long = |d: NaiveDate| d.format("%a %-d %b").to_string();
        let message = format!(
            "Time off {} to {}: {moved} pending touch{} moved past it; back on {}",
            long(first),
            long(last),
            if moved == 1 { "" } else { "es" },
            long(back)
        );
        Ok(self
            .store
            .action("vacation", now, |tx| {
                tx.add_time_off(first, last)?;
                for (mut e, seq) in pending {
                    let Some(due) = e.due else { continue };
                    // Working days of the absence before the touch, kept after coming back.
                    let d = due.date();
                    let k = if d == first {
                        0
                    } else {
                        base.working_days_between(first, d) + u32::from(base.is_working(first))
                            - u32::from(base.is_working(d))
                    };
                    let new_day = cal.add_working_days(back, k);
                    let m = Move {
                        from: due.date(),
                        to: new_day,
                        reason: format!(
                            "time off {} to {}",
                            first.format("%-d %b"),
                            last.format("%-d %b")
                        ),
                    };
                    e.due = Some(new_day.and_time(NaiveTime::MIN));
                    let why = e.why.get_or_insert_with(|| {
                        Why::new(crate::domain::Basis::Start {
                            start: e.started,
                            inbound: false,
                        })
                    });
                    why.moves.push(m);
                    let rule = Leveling {
                        cap,
                        cal: &cal,
                        today: now.date(),
                        include_today: false,
                    };
                    level(tx, &mut e, &rule)?;
                    tx.put_enrollment(&e, &seq)?;
                }
                Ok((message.clone(), message))
            })
            .inspect(|_| self.config.calendar = cal)?)
    }

    /// Sentences that explain the current due date of the prospect's open enrollment.
    pub fn explain(&self, prospect_id: i64, now: NaiveDateTime) -> Result<Vec<String>> {
        let Some((e, _)) = queries::open_enrollment(self.store.conn(), prospect_id)? else {
            return Ok(vec!["No open enrollment: nothing is due.".to_string()]);
        };
        let seq = self.store.version(e.version_id)?;
        let mut lines = match &e.why {
            Some(why) => explain(why, &seq.plan, e.step, &self.config.calendar),
            None => vec!["This enrollment predates due-date explanations.".to_string()],
        };
        if let Some(due) = e.due {
            lines.push(format!("Due {}.", due.format("%a %-d %b %Y")));
            if due.date() <= now.date() {
                lines.push(self.queue_place_of(prospect_id, &e, &seq, due, now)?);
            }
            if super::queue::never_capped(&seq.plan, e.step) {
                lines.push("The daily cap never moves it.".to_string());
            }
        } else {
            lines.push("Paused with no return date: nothing is due until it is resumed.".into());
        }
        Ok(lines)
    }

    /// Where a due touch stands in today's queue, and why.
    fn queue_place_of(
        &self,
        prospect_id: i64,
        e: &Enrollment,
        seq: &crate::content::Sequence,
        due: NaiveDateTime,
        now: NaiveDateTime,
    ) -> Result<String> {
        let zone: Option<chrono_tz::Tz> = queries::prospect(self.store.conn(), prospect_id)?
            .and_then(|p| p.timezone)
            .and_then(|z| z.parse().ok());
        let local = self.rep_zone().to_prospect(now, zone);
        let window = seq.plan.steps.get(e.step).and_then(|step| {
            self.config
                .windows
                .for_step(step.channel, seq.plan.trigger)
                .map(|w| w.status(local))
        });
        let overdue = crate::domain::engine::overdue_days(due, now.date());
        Ok(super::queue::queue_place(
            super::queue::speed_to_lead(&seq.plan, e.step),
            overdue,
            window,
        )
        .to_string())
    }
}
