//! Rules about a sequence as a whole: how many touches, how long, which channels, how they
//! are spaced, how it ends.

use super::{Finding, Severity, at_step, whole};
use crate::content::sequence::Sequence;
use crate::domain::{Channel, LinkedinAction, PlannedStep, Trigger};
use std::collections::{BTreeSet, HashMap};

pub fn check(seq: &Sequence, out: &mut Vec<Finding>) {
    let steps = &seq.plan.steps;
    let trigger = seq.plan.trigger;
    if steps.len() < 3 {
        out.push(whole(
            seq,
            "few-touches",
            Severity::Warning,
            format!(
                "only {} touches; most replies come after the third",
                steps.len()
            ),
        ));
    }
    if steps.len() > 12 {
        out.push(whole(
            seq,
            "many-touches",
            Severity::Warning,
            format!(
                "{} touches; past 12 the extra touches mostly add opt-outs",
                steps.len()
            ),
        ));
    }
    let Some(last) = steps.last() else {
        return;
    };
    // A re-engagement sequence is long on purpose: it keeps a slow buyer warm for months.
    if last.day > 28 && trigger != Trigger::ReEngagement {
        out.push(whole(
            seq,
            "too-long",
            Severity::Warning,
            format!(
                "runs {} days; past 28 days a cold sequence goes stale",
                last.day
            ),
        ));
    }
    let channels: BTreeSet<Channel> = steps.iter().map(|s| s.channel).collect();
    if channels.len() == 1 && steps.len() > 1 {
        out.push(whole(
            seq,
            "one-channel",
            Severity::Hint,
            format!(
                "uses {} only; mixing channels gets noticeably more replies",
                last.channel
            ),
        ));
    }
    if !last.purpose.to_lowercase().contains("breakup") {
        out.push(at_step(
            seq,
            steps.len() - 1,
            "no-breakup",
            Severity::Hint,
            "the last step is not a breakup; a clear last message often gets the most replies"
                .into(),
        ));
    }
    if trigger == Trigger::Cold {
        cold_shape(seq, channels.len(), out);
    }
    runs(seq, out);
    spacing(seq, out);
}

/// The field's shape for a cold sequence: 8–12 touches, 3 or more channels, 17–21 days.
fn cold_shape(seq: &Sequence, channels: usize, out: &mut Vec<Finding>) {
    let steps = &seq.plan.steps;
    let days = steps.last().map_or(0, |s| s.day);
    let mut off = Vec::new();
    if !(8..=12).contains(&steps.len()) {
        off.push(format!("{} touches", steps.len()));
    }
    if channels < 3 {
        off.push(format!("{channels} channel(s)"));
    }
    if !(17..=21).contains(&days) {
        off.push(format!("{days} days"));
    }
    if !off.is_empty() {
        out.push(whole(
            seq,
            "cold-shape",
            Severity::Hint,
            format!(
                "{}; cold sequences that book meetings mostly run 8–12 touches over 17–21 days on 3 or more channels",
                off.join(", ")
            ),
        ));
    }
}

/// A channel the prospect feels: a LinkedIn view leaves no trace in their day.
fn felt(s: &PlannedStep) -> bool {
    s.action != Some(LinkedinAction::View)
}

/// Runs on one channel: four emails in a row, or three touches in a row on any channel.
fn runs(seq: &Sequence, out: &mut Vec<Finding>) {
    let mut run: Option<(Channel, usize)> = None;
    for (i, s) in seq.plan.steps.iter().enumerate().filter(|(_, s)| felt(s)) {
        let n = match run {
            Some((c, n)) if c == s.channel => n + 1,
            _ => 1,
        };
        run = Some((s.channel, n));
        match (s.channel, n) {
            (Channel::Email, 4) => out.push(at_step(
                seq,
                i,
                "email-run",
                Severity::Warning,
                "four emails in a row; that raises unsubscribes and spam complaints about threefold"
                    .into(),
            )),
            (Channel::Email, _) => {}
            (c, 3) => out.push(at_step(
                seq,
                i,
                "channel-run",
                Severity::Warning,
                format!("three {c} touches in a row; alternate channels so each touch feels new"),
            )),
            _ => {}
        }
    }
}

/// The same channel under 2 days apart, and touches on consecutive days: no daily touching.
/// Steps timed to a decision date have no day of their own, so they are left out.
fn spacing(seq: &Sequence, out: &mut Vec<Finding>) {
    let mut last_on: HashMap<Channel, (usize, u32)> = HashMap::new();
    let mut previous: Option<(usize, u32, Channel)> = None;
    for (i, s) in seq.plan.steps.iter().enumerate().filter(|(_, s)| felt(s)) {
        if s.decision.is_some() {
            last_on.remove(&s.channel);
            previous = None;
            continue;
        }
        if let Some((j, day)) = last_on.get(&s.channel) {
            if s.day - day < 2 {
                out.push(at_step(
                    seq,
                    i,
                    "channel-gap",
                    Severity::Warning,
                    format!(
                        "{} again {} day(s) after step {}; give it at least 2 days",
                        s.channel,
                        s.day - day,
                        j + 1
                    ),
                ));
            }
        }
        if let Some((j, day, channel)) = previous {
            if s.day == day + 1 && channel != s.channel {
                out.push(at_step(
                    seq,
                    i,
                    "daily-touches",
                    Severity::Warning,
                    format!(
                        "the day after step {} on another channel; touching every day feels like pressure",
                        j + 1
                    ),
                ));
            }
        }
        last_on.insert(s.channel, (i, s.day));
        previous = Some((i, s.day, s.channel));
    }
}
