//! Which sequence each prospect runs and when it started: cold sequences started over the
//! past six weeks, inbound leads and demos more recently, a few starts booked for the coming
//! days, a few prospects not enrolled yet; and after a booked meeting, the post-demo sequence.

use super::rng::Rng;
use super::simulate::Run;
use crate::domain::{Calendar, Outcome};
use anyhow::Result;
use chrono::{Days, Duration, NaiveDate, NaiveDateTime, NaiveTime};

/// How far back cold starts go, in working days (about six weeks).
const COLD_SPREAD: u32 = 30;

/// `n` working days before `d` (`d` itself rolled back to a working day when `n` is 0).
fn working_days_before(cal: &Calendar, d: NaiveDate, n: u32) -> NaiveDate {
    let mut day = d;
    let mut left = n;
    // Bounded: a calendar always has working days (see `Calendar::new`).
    for _ in 0..(n as usize + 1) * 14 {
        if cal.is_working(day) {
            if left == 0 {
                return day;
            }
            left -= 1;
        }
        day = day.pred_opt().unwrap_or(day);
    }
    day
}

fn at_time(day: NaiveDate, hour: u32, minute: u32) -> NaiveDateTime {
    day.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN))
}

/// Point `index` of the R2 low-discrepancy sequence: evenly spread pairs in [0, 1)², so the
/// mix of sequences and the spread of start days hold steady at any size, which keeps the
/// size of today's queue in proportion to the number of prospects.
fn spread(index: u64) -> (f64, f64) {
    const A1: f64 = 0.754_877_666_246_692_7;
    const A2: f64 = 0.569_840_290_998_053_3;
    let i = index as f64;
    ((0.5 + A1 * i).fract(), (0.5 + A2 * i).fract())
}

/// How many prospects are in play today. The rest ran their sequences months ago, so a
/// large database has a long history but still a day's work in the queue, as a rep's would.
const IN_PLAY: u64 = 120;

/// Lives one prospect's weeks: picks a sequence and a start, runs it through the engine, and
/// follows a booked meeting with the post-demo sequence. `index` places the prospect in the
/// spread of sequences and start days.
pub fn live(run: &mut Run, index: u64) -> Result<()> {
    if index >= IN_PLAY {
        return past(run);
    }
    let (cal, now) = (run.world.cal, run.world.now);
    let today = now.date();
    let (roll, when) = spread(index);
    // A start between today and `max` working days ago, evenly spread over the prospects.
    let ago = |_: &mut Rng, max: u32| {
        let n = (when * f64::from(max + 1)) as u32;
        working_days_before(cal, today, n.min(max))
    };
    let morning = |rng: &mut Rng, day: NaiveDate| {
        let at = at_time(day, 8, 0) + Duration::minutes(rng.between(0, 55));
        // Enrolled before the moment the demo is built, even when that is early today.
        at.min(now - Duration::minutes(1))
    };

    let reach = run.prospect.reachability();
    let (sequence, start, enrolled_at) = if run.prospect.company.is_none() {
        // Imported yesterday or today without a company: not ready, so not worked yet.
        let start = ago(run.rng, 1);
        ("cold-7", start, morning(run.rng, start))
    } else if roll < 0.04 {
        // Added, not enrolled yet.
        let day = ago(run.rng, 10);
        run.prospect.created_at = Some(morning(run.rng, day));
        return Ok(());
    } else if roll < 0.07 {
        // Booked to start in the coming days (an import spread with --per-day).
        let days = run.rng.between(1, 5) as u32;
        let start = cal.add_working_days(today, days);
        let enrolled = ago(run.rng, 3);
        let seq = if reach.phone { "cold-7" } else { "classic-4" };
        (seq, start, morning(run.rng, enrolled))
    } else if roll < 0.15 {
        // An inbound lead: enrolled the minute the form came in, during the working day.
        let source = if run.rng.chance(0.5) {
            "Website form"
        } else {
            "Demo request"
        };
        run.prospect
            .fields
            .insert("lead_source".into(), source.into());
        let mut day = ago(run.rng, 12);
        let mut at = at_time(day, 9, 0) + Duration::minutes(run.rng.between(0, 8 * 60));
        if at >= now {
            day = working_days_before(cal, today, 1);
            at = at_time(day, 9, 0) + Duration::minutes(run.rng.between(0, 8 * 60));
        }
        ("inbound", day, at)
    } else if roll < 0.19 {
        // A demo given outside any sequence (a conference meeting): enrolled after it.
        let day = ago(run.rng, 16);
        let at = (at_time(day, 15, 0) + Duration::minutes(run.rng.between(0, 90)))
            .min(now - Duration::minutes(1));
        ("post-demo", day, at)
    } else if roll < 0.24 {
        // A first conversation two days before the start, on a long buying cycle.
        let start = ago(run.rng, COLD_SPREAD);
        ("rule-222", start, morning(run.rng, start))
    } else {
        if run.rng.chance(EARLIER_CAMPAIGN) && !earlier_campaign(run)? {
            return Ok(());
        }
        let start = ago(run.rng, COLD_SPREAD);
        let pick = run.rng.unit();
        let seq = match (reach.phone && reach.linkedin, pick) {
            (true, p) if p < 0.4 => "cold-21",
            (true, p) if p < 0.8 => "cold-7",
            (true, _) => "rule-333",
            // Without a phone or LinkedIn: mostly the email-only sequence; some run a
            // multi-channel one and the engine skips what cannot be reached.
            (false, p) if p < 0.65 => "classic-4",
            (false, p) if p < 0.9 => "cold-7",
            (false, _) => "rule-333",
        };
        (seq, start, morning(run.rng, start))
    };

    if run.prospect.created_at.is_none() {
        // Imported a few days before the first enrollment.
        let imported = enrolled_at.date() - Days::new(run.rng.between(0, 6) as u64);
        run.prospect.created_at = Some(morning(run.rng, imported).min(enrolled_at));
    }
    let meeting = run.enrollment(sequence, start, enrolled_at)?;
    if sequence != "post-demo" {
        follow_meeting(run, meeting)?;
    }
    Ok(())
}

/// The share of cold prospects first approached in an earlier campaign, months ago.
const EARLIER_CAMPAIGN: f64 = 0.25;

/// A sequence three to six months ago that ran its course. Returns whether the prospect is
/// back in play today: not after a reply, an opt-out or a bounce.
fn earlier_campaign(run: &mut Run) -> Result<bool> {
    let (cal, now) = (run.world.cal, run.world.now);
    let day = cal.roll_forward(now.date() - Days::new(run.rng.between(90, 180) as u64));
    let at = at_time(day, 8, 0) + Duration::minutes(run.rng.between(0, 55));
    run.prospect.created_at = Some(at - Duration::days(run.rng.between(0, 6)));
    let sequence = if run.rng.chance(0.5) {
        "cold-7"
    } else {
        "classic-4"
    };
    let meeting = run.enrollment(sequence, day, at)?;
    follow_meeting(run, meeting)?;
    let completed =
        run.history.enrollments.iter().all(|(e, _)| {
            e.status == crate::domain::Status::Closed(crate::domain::Exit::Completed)
        });
    Ok(completed && run.history.do_not_contact.is_empty())
}

/// A prospect worked between ten weeks and a year and a half ago, whose sequences have all
/// ended by now.
fn past(run: &mut Run) -> Result<()> {
    let (cal, now) = (run.world.cal, run.world.now);
    let day = cal.roll_forward(now.date() - Days::new(run.rng.between(70, 540) as u64));
    let at = at_time(day, 8, 0) + Duration::minutes(run.rng.between(0, 55));
    run.prospect.created_at = Some(at - Duration::days(run.rng.between(0, 6)));
    if run.prospect.company.is_none() {
        // An incomplete row from an old import: never enrolled, so never left hanging.
        return Ok(());
    }
    let reach = run.prospect.reachability();
    let sequence = match (reach.phone && reach.linkedin, run.rng.unit()) {
        (true, p) if p < 0.4 => "cold-21",
        (true, _) => "cold-7",
        (false, _) => "classic-4",
    };
    let meeting = run.enrollment(sequence, day, at)?;
    follow_meeting(run, meeting)?;
    second_campaign(run)
}

/// The share of past prospects who heard nothing back and got one more campaign later.
const SECOND_CAMPAIGN: f64 = 0.95;

/// Months after a sequence that ran its course without an answer, another one with a new
/// angle, as reps run them on a book that went quiet.
fn second_campaign(run: &mut Run) -> Result<()> {
    let (cal, now) = (run.world.cal, run.world.now);
    let quiet = run.history.do_not_contact.is_empty()
        && run.history.enrollments.iter().all(|(e, _)| {
            e.status == crate::domain::Status::Closed(crate::domain::Exit::Completed)
        });
    let ended = run
        .history
        .enrollments
        .iter()
        .filter_map(|(e, _)| e.closed_at)
        .max();
    let Some(ended) = ended.filter(|_| quiet) else {
        return Ok(());
    };
    if !run.rng.chance(SECOND_CAMPAIGN) {
        return Ok(());
    }
    let day = cal.roll_forward(ended.date() + Days::new(run.rng.between(45, 120) as u64));
    // Finished well before today: past prospects are not in today's queue.
    if day + Days::new(70) >= now.date() {
        return Ok(());
    }
    let at = at_time(day, 8, 0) + Duration::minutes(run.rng.between(0, 55));
    let sequence = if run.rng.chance(0.5) {
        "classic-4"
    } else {
        "cold-7"
    };
    let meeting = run.enrollment(sequence, day, at)?;
    follow_meeting(run, meeting)
}

/// After a booked meeting, most prospects get a demo and the post-demo sequence.
fn follow_meeting(run: &mut Run, meeting: Option<NaiveDateTime>) -> Result<()> {
    let (cal, now) = (run.world.cal, run.world.now);
    let Some(booked) = meeting else {
        return Ok(());
    };
    if !run.rng.chance(0.6) {
        return Ok(());
    }
    // The demo a few working days after booking; the rep enrolls on the day of the demo.
    let demo_day = cal.add_working_days(booked.date(), run.rng.between(1, 4) as u32);
    let at = at_time(demo_day, 15, 0) + Duration::minutes(run.rng.between(0, 90));
    let resting = run.prospect.rest_until.is_some_and(|r| r > demo_day);
    if at < now && !resting {
        // The demo took place: held, credited to the answer that booked it.
        let Some(origin) = run.last_answer() else {
            return Ok(());
        };
        run.after_answer(origin, Outcome::Held, at - Duration::minutes(30));
        run.enrollment("post-demo", demo_day, at)?;
        // Some deals close a few days after the post-demo sequence got its answer.
        if let Some(answer) = run.newest_answered_at() {
            let closed = answer + Duration::days(run.rng.between(2, 6));
            if closed < now && run.rng.chance(0.8) {
                run.after_answer(origin, Outcome::Won, closed);
            }
        }
    }
    Ok(())
}
