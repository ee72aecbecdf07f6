//! `touchbase stats` as a plain-text table.

use super::{Bucket, CallBucket, Stats};
use std::io::{self, Write};

fn pct(r: f64) -> String {
    format!("{:.1}%", r * 100.0)
}

/// Writes every section that has data.
pub fn write_table(out: &mut impl Write, s: &Stats) -> io::Result<()> {
    match &s.since {
        Some(since) => writeln!(out, "Since {since}")?,
        None => writeln!(out, "All time")?,
    }
    writeln!(
        out,
        "{}, {} ({}, {} held, {} won), {}, {}, {}",
        count(s.totals.touches, "touch", "touches"),
        count(s.totals.replies, "reply", "replies"),
        count(s.totals.meetings, "meeting", "meetings"),
        s.totals.held,
        s.totals.won,
        count(s.totals.opt_outs, "opt-out", "opt-outs"),
        count(s.totals.complaints, "spam complaint", "spam complaints"),
        count(s.totals.bounces, "bounce", "bounces")
    )?;
    if !s.totals.replies_by_kind.is_empty() {
        let parts: Vec<String> = s
            .totals
            .replies_by_kind
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        writeln!(out, "Replies by kind: {}", parts.join(", "))?;
    }
    for seq in &s.sequences {
        writeln!(out)?;
        writeln!(
            out,
            "{} — {}, {}, {}, {} held, {} won",
            seq.sequence,
            count(seq.prospects, "prospect", "prospects"),
            count(seq.replies, "reply", "replies"),
            count(seq.meetings, "meeting", "meetings"),
            seq.held,
            seq.won
        )?;
        writeln!(
            out,
            "  step  channel   purpose       touches  replies  meetings  held  won  opt-outs  bounces  reply rate  positive  share"
        )?;
        for st in &seq.steps {
            writeln!(
                out,
                "  {:>4}  {:<9} {:<13} {:>7}  {:>7}  {:>8}  {:>4}  {:>3}  {:>8}  {:>7}  {:>10}  {:>8}  {:>5}",
                st.step,
                st.channel,
                st.purpose,
                st.touches,
                st.replies,
                st.meetings,
                st.held,
                st.won,
                st.opt_outs,
                st.bounces,
                pct(st.reply_rate),
                pct(st.positive_rate),
                pct(st.reply_share)
            )?;
        }
        if seq.replies_before_any_touch > 0 {
            writeln!(
                out,
                "  before any touch: {} ({}), credited to no step",
                count(seq.replies_before_any_touch, "reply", "replies"),
                count(seq.meetings_before_any_touch, "meeting", "meetings")
            )?;
        }
    }
    if !s.channels.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "By channel (replies ÷ prospects who got a touch on it)"
        )?;
        for c in &s.channels {
            writeln!(
                out,
                "  {:<9} {:>7} touches  {:>6} replies  {:>7}",
                c.channel,
                c.touches,
                c.replies,
                pct(c.reply_rate)
            )?;
        }
    }
    if !s.variants.is_empty() {
        writeln!(out)?;
        writeln!(out, "A/B variants")?;
        for v in &s.variants {
            writeln!(
                out,
                "  {} step {}  {:<28} {:>6} touches  {:>5} replies  {:>7}",
                v.sequence,
                v.step,
                v.variant,
                v.touches,
                v.replies,
                pct(v.reply_rate)
            )?;
        }
    }
    write_calls(out, "Calls by the prospect's hour", &s.calls_by_hour)?;
    write_calls(out, "Calls by the prospect's weekday", &s.calls_by_weekday)?;
    write_buckets(
        out,
        "Days from first touch to reply",
        "days",
        &s.days_to_reply,
    )?;
    write_buckets(
        out,
        "Touches before exit",
        "touches",
        &s.touches_before_exit,
    )?;
    Ok(())
}

/// "1 reply", "2 replies".
fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn write_calls(out: &mut impl Write, title: &str, buckets: &[CallBucket]) -> io::Result<()> {
    if buckets.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "{title} (connect rate)")?;
    for b in buckets {
        writeln!(
            out,
            "  {:<6} {:>6} calls  {:>5} connected  {:>7}",
            b.label,
            b.calls,
            b.connected,
            pct(b.connect_rate)
        )?;
    }
    Ok(())
}

fn write_buckets(
    out: &mut impl Write,
    title: &str,
    unit: &str,
    buckets: &[Bucket],
) -> io::Result<()> {
    if buckets.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "{title}")?;
    for b in buckets {
        writeln!(out, "  {:>3} {unit:<8} {:>6}", b.value, b.count)?;
    }
    Ok(())
}
