//! Turning counts into the numbers of the Stats view. Shared by the rollup reader and the
//! reference count over the raw log, so the two can only differ in what they count.

use super::VariantStats;
use super::{Bucket, CallBucket, ChannelStats, Filter, SequenceStats, Stats, StepStats, rate};
use crate::clock::Zone;
use crate::content::Sequence;
use anyhow::Result;
use chrono::{Datelike, NaiveDate, Timelike};
use chrono_tz::Tz;
use std::collections::{BTreeMap, HashMap};

#[derive(Default)]
pub struct StepRow {
    pub channel: String,
    pub touches: u64,
    pub prospects: u64,
    pub bounces: u64,
    pub replies: u64,
    pub meetings: u64,
    pub opt_outs: u64,
    pub complaints: u64,
    /// Responses that were positive replies or meetings.
    pub positive: u64,
    pub kinds: BTreeMap<String, u64>,
    /// After the reply: meetings held, conversations won.
    pub held: u64,
    pub won: u64,
}

/// `n` enrollments answered step `step` of `seq` (`None`: no step) in `kind`.
pub fn add_kind(counts: &mut Counts, seq: String, step: Option<i64>, kind: String, n: u64) {
    *counts.kinds.entry(kind.clone()).or_default() += n;
    if let Some(row) = step.and_then(|step| counts.steps.get_mut(&(seq, step))) {
        *row.kinds.entry(kind).or_default() += n;
    }
}

/// Calls and connects by prospect zone, then day and hour of the log (the rep's clock).
#[derive(Debug, Default)]
pub struct CallCounts {
    /// The zones seen (`None`: unknown), by the index the cells use: a book has a few.
    zones: Vec<Option<String>>,
    cells: HashMap<(usize, NaiveDate), [(u64, u64); 24]>,
    /// Days already parsed: a log has a few hundred, its rollup many rows each.
    days: HashMap<String, NaiveDate>,
    /// Calls already on the prospect's clock, by weekday (Monday 0) × 24 + hour.
    slots: BTreeMap<i64, (u64, u64)>,
}

impl CallCounts {
    /// Adds calls already counted on the prospect's clock (see `call_slots`).
    pub fn add_slot(&mut self, slot: i64, calls: u64, connected: u64) {
        let cell = self.slots.entry(slot).or_default();
        cell.0 += calls;
        cell.1 += connected;
    }

    /// Adds a count for zone `zone` at `hour` ('YYYY-MM-DD HH'); a malformed hour is skipped.
    pub fn add(&mut self, zone: Option<&str>, hour: &str, calls: u64, connected: u64) {
        let Some((day, h)) = hour.split_once(' ') else {
            return;
        };
        let Ok(h) = h.parse::<usize>() else {
            return;
        };
        let day = match self.days.get(day) {
            Some(d) => *d,
            None => {
                let Ok(parsed) = day.parse::<NaiveDate>() else {
                    return;
                };
                self.days.insert(day.to_string(), parsed);
                parsed
            }
        };
        let zone = zone.filter(|z| !z.is_empty());
        let index = match self.zones.iter().position(|z| z.as_deref() == zone) {
            Some(i) => i,
            None => {
                self.zones.push(zone.map(str::to_string));
                self.zones.len() - 1
            }
        };
        if let Some(cell) = self.cells.entry((index, day)).or_default().get_mut(h) {
            cell.0 += calls;
            cell.1 += connected;
        }
    }
}

/// What a source counted for one filter.
#[derive(Default)]
pub struct Counts {
    /// Per sequence and 0-based step.
    pub steps: BTreeMap<(String, i64), StepRow>,
    /// Replies and meetings credited to no step, per sequence.
    pub unattributed: BTreeMap<String, (u64, u64)>,
    pub opt_outs: u64,
    pub complaints: u64,
    /// Replies by kind, over every sequence counted.
    pub kinds: BTreeMap<String, u64>,
    /// Prospects who got each channel (first touched on it in the period), all sequences.
    pub channel_prospects: BTreeMap<String, u64>,
    pub calls: CallCounts,
    pub days_to_reply: BTreeMap<i64, u64>,
    pub touches_before_exit: Vec<Bucket>,
    /// Meetings held and conversations won credited to no step, per sequence.
    pub unattributed_after_reply: BTreeMap<String, (u64, u64)>,
}

impl Counts {
    /// `held` meetings held and `won` conversations won, credited to `step` of `seq`.
    pub fn add_after_reply(&mut self, seq: String, step: Option<i64>, (held, won): (u64, u64)) {
        match step.and_then(|step| self.steps.get_mut(&(seq.clone(), step))) {
            Some(row) => {
                row.held += held;
                row.won += won;
            }
            None => {
                let u = self.unattributed_after_reply.entry(seq).or_default();
                u.0 += held;
                u.1 += won;
            }
        }
    }
}

/// Per A/B variant of one step (0-based) of a sequence: variant, touches, replies.
pub type VariantRows<'a> = dyn FnMut(&str, i64) -> Result<Vec<(String, u64, u64)>> + 'a;

/// The newest stored version of a sequence, by name (`None`: never stored).
pub type LatestVersion<'a> = dyn FnMut(&str) -> Result<Option<Sequence>> + 'a;

pub fn stats(
    latest: &mut LatestVersion,
    filter: &Filter,
    rep_zone: Zone,
    counts: Counts,
    variant_rows: &mut VariantRows,
) -> Result<Stats> {
    let mut stats = Stats {
        since: filter.since.map(|s| s.date().to_string()),
        ..Stats::default()
    };
    sequences(latest, &counts, &mut stats)?;
    stats.totals.opt_outs = counts.opt_outs;
    stats.totals.complaints = counts.complaints;
    stats.totals.replies_by_kind = counts.kinds.clone();
    stats.variants = variants(latest, &stats.sequences, variant_rows)?;
    calls(&counts.calls, rep_zone, &mut stats);
    stats.days_to_reply = counts
        .days_to_reply
        .into_iter()
        .map(|(value, count)| Bucket { value, count })
        .collect();
    stats.touches_before_exit = counts.touches_before_exit;
    Ok(stats)
}

fn sequences(latest: &mut LatestVersion, counts: &Counts, stats: &mut Stats) -> Result<()> {
    let (steps, unattributed) = (&counts.steps, &counts.unattributed);
    let channel_prospects = &counts.channel_prospects;
    let mut by_seq: BTreeMap<&str, Vec<(i64, &StepRow)>> = BTreeMap::new();
    for ((seq, step), row) in steps {
        by_seq.entry(seq).or_default().push((*step, row));
    }
    for name in unattributed
        .keys()
        .chain(counts.unattributed_after_reply.keys())
    {
        by_seq.entry(name).or_default();
    }
    let mut channels: BTreeMap<String, ChannelStats> = BTreeMap::new();
    for (name, rows) in by_seq {
        // Purposes come from the newest stored version of the sequence.
        let plan = latest(name)?;
        let (extra_replies, extra_meetings) = unattributed.get(name).copied().unwrap_or_default();
        let replies: u64 = rows.iter().map(|(_, r)| r.replies).sum::<u64>() + extra_replies;
        let meetings: u64 = rows.iter().map(|(_, r)| r.meetings).sum::<u64>() + extra_meetings;
        let (extra_held, extra_won) = counts
            .unattributed_after_reply
            .get(name)
            .copied()
            .unwrap_or_default();
        let held = rows.iter().map(|(_, r)| r.held).sum::<u64>() + extra_held;
        let won = rows.iter().map(|(_, r)| r.won).sum::<u64>() + extra_won;
        let prospects = rows.iter().find(|(s, _)| *s == 0).map_or_else(
            || rows.iter().map(|(_, r)| r.prospects).max().unwrap_or(0),
            |(_, r)| r.prospects,
        );
        let mut seq = SequenceStats {
            sequence: name.to_string(),
            prospects,
            replies,
            meetings,
            held,
            won,
            steps: Vec::new(),
            replies_before_any_touch: extra_replies,
            meetings_before_any_touch: extra_meetings,
        };
        for (step, r) in rows {
            let purpose = plan
                .as_ref()
                .and_then(|p| p.plan.steps.get(step as usize))
                .map(|s| s.purpose.clone())
                .unwrap_or_default();
            seq.steps.push(StepStats {
                step: step as usize + 1,
                channel: r.channel.clone(),
                purpose,
                touches: r.touches,
                prospects: r.prospects,
                replies: r.replies,
                meetings: r.meetings,
                held: r.held,
                won: r.won,
                opt_outs: r.opt_outs,
                complaints: r.complaints,
                bounces: r.bounces,
                reply_rate: rate(r.replies, r.prospects),
                positive: r.positive,
                positive_rate: rate(r.positive, r.prospects),
                replies_by_kind: r.kinds.clone(),
                reply_share: rate(r.replies, replies),
            });
            let c = channels
                .entry(r.channel.clone())
                .or_insert_with(|| ChannelStats {
                    channel: r.channel.clone(),
                    ..ChannelStats::default()
                });
            c.touches += r.touches;
            c.prospects += r.prospects;
            c.replies += r.replies;
            c.meetings += r.meetings;
            stats.totals.touches += r.touches;
            stats.totals.bounces += r.bounces;
        }
        stats.totals.replies += replies;
        stats.totals.meetings += meetings;
        stats.totals.held += held;
        stats.totals.won += won;
        stats.sequences.push(seq);
    }
    stats.channels = channels
        .into_values()
        .filter(|c| !c.channel.is_empty())
        .map(|mut c| {
            c.prospects = channel_prospects.get(&c.channel).copied().unwrap_or(0);
            c.reply_rate = rate(c.replies, c.prospects);
            c
        })
        .collect();
    Ok(())
}

/// Reply rates per A/B variant, for the steps that have more than one variant.
fn variants(
    latest: &mut LatestVersion,
    sequences: &[SequenceStats],
    variant_rows: &mut VariantRows,
) -> Result<Vec<VariantStats>> {
    let mut out = Vec::new();
    for seq in sequences {
        let Some(def) = latest(&seq.sequence)? else {
            continue;
        };
        for (i, paths) in def.step_templates.iter().enumerate() {
            if paths.len() < 2 {
                continue;
            }
            for (variant, touches, replies) in variant_rows(&seq.sequence, i as i64)? {
                out.push(VariantStats {
                    sequence: seq.sequence.clone(),
                    step: i + 1,
                    variant,
                    touches,
                    replies,
                    reply_rate: rate(replies, touches),
                });
            }
        }
    }
    Ok(out)
}

/// Call connect rates by hour and weekday of the prospect's own day. Each zone's day
/// converts by one shift unless a clock changed that day.
fn calls(counts: &CallCounts, rep_zone: Zone, stats: &mut Stats) {
    let mut hours = [(0u64, 0u64); 24];
    let mut days = [(0u64, 0u64); 7];
    let zones: Vec<Option<Tz>> = counts
        .zones
        .iter()
        .map(|z| z.as_deref().and_then(|z| z.parse().ok()))
        .collect();
    for (slot, (calls, connected)) in &counts.slots {
        let (day, hour) = (slot.div_euclid(24), slot.rem_euclid(24));
        let cells = [
            hours.get_mut(usize::try_from(hour).unwrap_or(usize::MAX)),
            days.get_mut(usize::try_from(day).unwrap_or(usize::MAX)),
        ];
        for cell in cells.into_iter().flatten() {
            cell.0 += calls;
            cell.1 += connected;
        }
    }
    for ((zone, day), cells) in &counts.cells {
        let tz = zones.get(*zone).copied().flatten();
        let shift = rep_zone.steady_shift(*day, tz);
        for (h, (calls, connected)) in cells.iter().enumerate() {
            if *calls == 0 && *connected == 0 {
                continue;
            }
            let Some(at) = day.and_hms_opt(h as u32, 0, 0) else {
                continue;
            };
            let local = match shift {
                Some(d) => at + d,
                None => rep_zone.to_prospect(at, tz),
            };
            let slots = [
                hours.get_mut(local.hour() as usize),
                days.get_mut(local.weekday().num_days_from_monday() as usize),
            ];
            for slot in slots.into_iter().flatten() {
                slot.0 += calls;
                slot.1 += connected;
            }
        }
    }
    stats.calls_by_hour = hours
        .iter()
        .enumerate()
        .filter(|(_, (c, _))| *c > 0)
        .map(|(h, (c, k))| CallBucket {
            label: format!("{h:02}:00"),
            calls: *c,
            connected: *k,
            connect_rate: rate(*k, *c),
        })
        .collect();
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    stats.calls_by_weekday = days
        .iter()
        .zip(DAYS)
        .filter(|((c, _), _)| *c > 0)
        .map(|((c, k), day)| CallBucket {
            label: day.to_string(),
            calls: *c,
            connected: *k,
            connect_rate: rate(*k, *c),
        })
        .collect();
}
