//! The Stats view's charts, drawn as lines of text: horizontal bars in eighths, the hour
//! columns of call connect rates, and distributions grouped into ranges.

use super::Theme;
use super::stats::{BAR_MAX, heading, pct, plural};
use crate::stats::{Bucket, CallBucket};
use crate::text::fit;
use ratatui::text::{Line, Span};

/// A bar `rate ÷ top` of `width` cells, in eighths.
pub(super) fn bar(rate: f64, top: f64, width: usize) -> String {
    let share = if top > 0.0 {
        (rate / top).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let eighths = (share * (width * 8) as f64).round() as usize;
    let mut out = "█".repeat(eighths / 8);
    const PARTS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    if let Some(part) = PARTS.get(eighths % 8).filter(|_| eighths % 8 > 0) {
        out.push(*part);
    }
    let used = out.chars().count();
    out.push_str(&"·".repeat(width.saturating_sub(used)));
    out
}

/// One row of a bar chart: label, bar, percent, counts.
pub(super) struct Row {
    pub label: String,
    pub rate: f64,
    pub counts: String,
}

pub(super) fn bars(rows: &[Row], theme: &Theme, width: usize, lines: &mut Vec<Line<'static>>) {
    let label_w = rows
        .iter()
        .map(|r| r.label.chars().count())
        .max()
        .unwrap_or(0)
        .min(width / 3);
    let counts_w = rows.iter().map(|r| r.counts.len()).max().unwrap_or(0);
    let bar_w = width
        .saturating_sub(label_w + counts_w + 12)
        .clamp(6, BAR_MAX);
    let top = rows.iter().map(|r| r.rate).fold(0.0, f64::max);
    for r in rows {
        lines.push(Line::from(vec![
            Span::raw(format!("  {} ", fit(&r.label, label_w))),
            Span::styled(bar(r.rate, top, bar_w), theme.accent()),
            Span::styled(format!(" {}", pct(r.rate)), theme.bold()),
            Span::styled(format!("  {}", r.counts), theme.dim()),
        ]));
    }
    lines.push(Line::raw(""));
}

/// Connect rate by the prospect's hour: a column per hour, in eighths, scaled to the best.
pub(super) fn hours(
    calls: &[CallBucket],
    theme: &Theme,
    width: usize,
    lines: &mut Vec<Line<'static>>,
) {
    heading("Call connect rate by the prospect's hour", theme, lines);
    if calls.is_empty() {
        lines.push(Line::styled("  no calls in this period", theme.dim()));
        lines.push(Line::raw(""));
        return;
    }
    let mut by_hour = [None; 24];
    for c in calls {
        if let Some(h) = c.label.get(..2).and_then(|h| h.parse::<usize>().ok()) {
            if let Some(slot) = by_hour.get_mut(h) {
                *slot = Some(c);
            }
        }
    }
    // Only the hours that had calls, with an hour either side.
    let first = by_hour.iter().position(Option::is_some).unwrap_or(0);
    let last = by_hour.iter().rposition(Option::is_some).unwrap_or(23);
    let (from, to) = (first.saturating_sub(1), (last + 1).min(23));
    let cell = if (to - from + 1) * 3 + 4 <= width {
        3
    } else {
        2
    };
    let top = calls.iter().map(|c| c.connect_rate).fold(0.0, f64::max);
    const HEIGHT: usize = 5;
    const EIGHTHS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    for row in (0..HEIGHT).rev() {
        let mut text = String::from(if row == HEIGHT - 1 {
            "  ▲ "
        } else {
            "  │ "
        });
        for slot in by_hour.iter().take(to + 1).skip(from) {
            let level = slot.map_or(0.0, |c| if top > 0.0 { c.connect_rate / top } else { 0.0 });
            let filled = (level * (HEIGHT * 8) as f64).round() as usize;
            let here = filled.saturating_sub(row * 8).min(8);
            // An hour with calls and no connect gets a dot on the axis, not a bar.
            let ch = match (here, slot) {
                (0, Some(c)) if row == 0 && c.connected == 0 => '·',
                (0, Some(_)) if row == 0 => '▁',
                (0, _) => ' ',
                (n, _) => EIGHTHS.get(n - 1).copied().unwrap_or('█'),
            };
            text.push_str(&ch.to_string().repeat(cell - 1));
            text.push(' ');
        }
        lines.push(Line::styled(text, theme.accent()));
    }
    let mut axis = String::from("  └─");
    let mut labels = String::from("    ");
    for h in from..=to {
        axis.push_str(&"─".repeat(cell));
        let l = if h % 3 == 0 || cell == 3 {
            format!("{h:<cell$}")
        } else {
            " ".repeat(cell)
        };
        labels.push_str(&l);
    }
    lines.push(Line::styled(axis, theme.dim()));
    lines.push(Line::styled(labels.trim_end().to_string(), theme.dim()));
    let calls_n: u64 = calls.iter().map(|c| c.calls).sum();
    let connected: u64 = calls.iter().map(|c| c.connected).sum();
    // A best hour is named only on enough calls in it to mean something.
    let best = calls
        .iter()
        .filter(|c| c.connected > 0 && c.calls >= crate::stats::MIN_SAMPLE)
        .max_by(|a, b| a.connect_rate.total_cmp(&b.connect_rate));
    let mut note = format!(
        "  {} connected of {} ({})",
        connected,
        plural(calls_n, "call", "calls"),
        pct(crate::stats::rate(connected, calls_n)).trim_start()
    );
    match best {
        Some(b) => note.push_str(&format!(
            " · best {}: {} of {}",
            b.label, b.connected, b.calls
        )),
        None if calls_n > 0 => note.push_str(" · not enough calls yet to name a best hour"),
        None => {}
    }
    lines.push(Line::styled(note, theme.dim()));
    lines.push(Line::raw(""));
}

/// A distribution as bars of counts, under its title, each value with its unit ("3d"); many
/// distinct values are grouped into ranges.
pub(super) fn distribution(
    (title, unit): (&str, &str),
    buckets: &[Bucket],
    theme: &Theme,
    width: usize,
    lines: &mut Vec<Line<'static>>,
) {
    heading(title, theme, lines);
    if buckets.is_empty() {
        lines.push(Line::styled("  none in this period", theme.dim()));
        lines.push(Line::raw(""));
        return;
    }
    let total: u64 = buckets.iter().map(|b| b.count).sum();
    let rows: Vec<Row> = group(buckets)
        .into_iter()
        .map(|(lo, hi, n)| Row {
            label: if lo == hi {
                format!("{lo}{unit}")
            } else {
                format!("{lo}–{hi}{unit}")
            },
            rate: crate::stats::rate(n, total),
            counts: n.to_string(),
        })
        .collect();
    bars(&rows, theme, width, lines);
}

/// Buckets as (from, to, count): one per value, or ten even ranges when there are many.
fn group(buckets: &[Bucket]) -> Vec<(i64, i64, u64)> {
    if buckets.len() <= 12 {
        return buckets
            .iter()
            .map(|b| (b.value, b.value, b.count))
            .collect();
    }
    let lo = buckets.iter().map(|b| b.value).min().unwrap_or(0);
    let hi = buckets.iter().map(|b| b.value).max().unwrap_or(0);
    let step = ((hi - lo + 1) + 9) / 10;
    let mut out: Vec<(i64, i64, u64)> = Vec::new();
    let mut start = lo;
    while start <= hi {
        let end = (start + step - 1).min(hi);
        let n = buckets
            .iter()
            .filter(|b| (start..=end).contains(&b.value))
            .map(|b| b.count)
            .sum();
        out.push((start, end, n));
        start = end + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_top_in_eighths() {
        assert_eq!(bar(1.0, 1.0, 4), "████");
        assert_eq!(bar(0.5, 1.0, 4), "██··");
        assert_eq!(bar(0.0, 0.0, 3), "···");
        assert_eq!(bar(1.0 / 16.0, 1.0, 2), "▏·");
    }

    #[test]
    fn many_values_group_into_ranges() {
        let b: Vec<Bucket> = (0..30).map(|v| Bucket { value: v, count: 1 }).collect();
        let g = group(&b);
        assert_eq!(g.len(), 10);
        assert_eq!(g[0], (0, 2, 3));
        assert_eq!(g.iter().map(|x| x.2).sum::<u64>(), 30);
    }
}
