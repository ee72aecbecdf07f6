//! The Stats view: which steps, channels, wordings and hours get answers. Everything is drawn
//! as lines of text (bars of block characters) so the view scrolls as one page at 80×24 and
//! splits into two columns on a wide terminal.

use super::Theme;
use crate::stats::{Bucket, CallBucket, Stats};
use crate::text::{fit, sanitize};
use crate::tui::app::App;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

/// From this width the charts sit in two columns.
const TWO_COLUMNS: u16 = 140;
/// The widest a bar gets: wider only stretches it.
const BAR_MAX: usize = 30;

pub fn draw(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let block = Block::new()
        .borders(Borders::TOP)
        .title(Span::styled(title(app), theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let columns = page(app, theme, inner.width);
    let scroll = clamp_scroll(app.stats.scroll, &columns, inner.height);
    if columns.len() == 2 {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(inner);
        let mut cols = columns.into_iter();
        for rect in [left, right] {
            let lines = cols.next().unwrap_or_default();
            frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), rect);
        }
    } else {
        let lines = columns.into_iter().flatten().collect::<Vec<_>>();
        frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
    }
}

/// The furthest the page scrolls at this terminal size (the body less its title line).
pub fn max_scroll(app: &App, size: (u16, u16)) -> u16 {
    let body = super::screen(Rect::new(0, 0, size.0, size.1)).body;
    let theme = Theme { color: false };
    let columns = page(app, &theme, body.width);
    clamp_scroll(u16::MAX, &columns, body.height.saturating_sub(1))
}

fn clamp_scroll(scroll: u16, columns: &[Vec<Line>], height: u16) -> u16 {
    let tallest = columns.iter().map(Vec::len).max().unwrap_or(0);
    let most = tallest.saturating_sub(usize::from(height));
    scroll.min(u16::try_from(most).unwrap_or(u16::MAX))
}

/// " Stats · cold-21 (1 of 3) · last 30 days ".
fn title(app: &App) -> String {
    let s = &app.stats;
    let which = match s.sequence() {
        Some(name) => format!(
            "{} ({} of {})",
            sanitize(name),
            s.chosen + 1,
            s.sequences.len()
        ),
        None => "all sequences".to_string(),
    };
    format!(" Stats · {which} · {} ", s.period.label())
}

/// The page as one or two columns of lines.
fn page(app: &App, theme: &Theme, width: u16) -> Vec<Vec<Line<'static>>> {
    let two = width >= TWO_COLUMNS;
    let col_w = usize::from(if two { width / 2 } else { width }).saturating_sub(1);
    let stats = match &app.stats.stats {
        None => return vec![vec![Line::styled(" Counting…", theme.dim())]],
        Some(Err(e)) => {
            let msg = format!(" Could not count: {}", sanitize(e));
            return vec![vec![Line::styled(msg, theme.bad())]];
        }
        Some(Ok(s)) => s,
    };
    let mut left = summary(stats, theme);
    if stats.totals.touches == 0 {
        left.push(Line::styled(
            " Nothing was worked in this period: t widens it.",
            theme.dim(),
        ));
        return vec![left];
    }
    match app.stats.sequence() {
        Some(_) => funnel(stats, theme, col_w, &mut left),
        None => by_sequence(stats, theme, col_w, &mut left),
    }
    channels(stats, theme, col_w, &mut left);
    variants(stats, theme, col_w, &mut left);
    let mut right = Vec::new();
    hours(&stats.calls_by_hour, theme, col_w, &mut right);
    let days = "Days from first touch to reply";
    distribution(days, "d", &stats.days_to_reply, theme, col_w, &mut right);
    let exits = "Touches received before exit";
    distribution(
        exits,
        "",
        &stats.touches_before_exit,
        theme,
        col_w,
        &mut right,
    );
    if two {
        vec![left, right]
    } else {
        left.extend(right);
        vec![left]
    }
}

fn pct(r: f64) -> String {
    format!("{:>5.1}%", r * 100.0)
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn summary(s: &Stats, theme: &Theme) -> Vec<Line<'static>> {
    let t = &s.totals;
    vec![
        Line::from(vec![
            Span::styled(
                format!(" {} ", plural(t.touches, "touch", "touches")),
                theme.bold(),
            ),
            Span::raw("· "),
            Span::styled(plural(t.replies, "reply", "replies"), theme.good()),
            Span::raw(format!(
                " ({}) · {} · {}",
                plural(t.meetings, "meeting", "meetings"),
                plural(t.opt_outs, "opt-out", "opt-outs"),
                plural(t.bounces, "bounce", "bounces")
            )),
        ]),
        Line::raw(""),
    ]
}

fn heading(text: &str, theme: &Theme, lines: &mut Vec<Line<'static>>) {
    lines.push(Line::styled(format!(" {text}"), theme.bold()));
}

/// A bar `rate ÷ top` of `width` cells, in eighths.
fn bar(rate: f64, top: f64, width: usize) -> String {
    let share = if top > 0.0 {
        (rate / top).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let eighths = (share * (width * 8) as f64).round() as usize;
    let mut out = "█".repeat(eighths / 8);
    if eighths % 8 > 0 {
        out.push(['▏', '▎', '▍', '▌', '▋', '▊', '▉'][eighths % 8 - 1]);
    }
    let used = out.chars().count();
    out.push_str(&"·".repeat(width.saturating_sub(used)));
    out
}

/// One row of a bar chart: label, bar, percent, counts.
struct Row {
    label: String,
    rate: f64,
    counts: String,
}

fn bars(rows: &[Row], theme: &Theme, width: usize, lines: &mut Vec<Line<'static>>) {
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

fn counts(touches: u64, replies: u64) -> String {
    format!(
        "{} · {}",
        plural(touches, "touch", "touches"),
        plural(replies, "reply", "replies")
    )
}

/// The chosen sequence's steps: reply rate per step (replies ÷ prospects who got it).
fn funnel(s: &Stats, theme: &Theme, width: usize, lines: &mut Vec<Line<'static>>) {
    let Some(seq) = s.sequences.first() else {
        return;
    };
    heading(
        "Reply rate per step (replies ÷ prospects who got it)",
        theme,
        lines,
    );
    let rows: Vec<Row> = seq
        .steps
        .iter()
        .map(|st| Row {
            label: sanitize(&if st.purpose == st.channel {
                format!("{:>2} {}", st.step, st.channel)
            } else {
                format!("{:>2} {} {}", st.step, st.channel, st.purpose)
            }),
            rate: st.reply_rate,
            counts: counts(st.touches, st.replies),
        })
        .collect();
    bars(&rows, theme, width, lines);
}

/// All sequences together: how each one answers.
fn by_sequence(s: &Stats, theme: &Theme, width: usize, lines: &mut Vec<Line<'static>>) {
    heading(
        "Reply rate per sequence (replies ÷ prospects)",
        theme,
        lines,
    );
    let rows: Vec<Row> = s
        .sequences
        .iter()
        .map(|q| Row {
            label: sanitize(&q.sequence),
            rate: crate::stats::rate(q.replies, q.prospects),
            counts: format!(
                "{} · {}",
                plural(q.prospects, "prospect", "prospects"),
                plural(q.replies, "reply", "replies")
            ),
        })
        .collect();
    bars(&rows, theme, width, lines);
}

fn channels(s: &Stats, theme: &Theme, width: usize, lines: &mut Vec<Line<'static>>) {
    if s.channels.is_empty() {
        return;
    }
    heading("By channel", theme, lines);
    let rows: Vec<Row> = s
        .channels
        .iter()
        .map(|c| Row {
            label: sanitize(&c.channel),
            rate: c.reply_rate,
            counts: counts(c.touches, c.replies),
        })
        .collect();
    bars(&rows, theme, width, lines);
}

fn variants(s: &Stats, theme: &Theme, width: usize, lines: &mut Vec<Line<'static>>) {
    if s.variants.is_empty() {
        return;
    }
    heading("A/B variants (replies ÷ touches)", theme, lines);
    let rows: Vec<Row> = s
        .variants
        .iter()
        .map(|v| Row {
            label: sanitize(&format!("step {} {}", v.step, v.variant)),
            rate: v.reply_rate,
            counts: counts(v.touches, v.replies),
        })
        .collect();
    bars(&rows, theme, width, lines);
}

/// Connect rate by the prospect's hour: a column per hour, in eighths, scaled to the best.
fn hours(calls: &[CallBucket], theme: &Theme, width: usize, lines: &mut Vec<Line<'static>>) {
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
        for slot in &by_hour[from..=to] {
            let level = slot.map_or(0.0, |c| if top > 0.0 { c.connect_rate / top } else { 0.0 });
            let filled = (level * (HEIGHT * 8) as f64).round() as usize;
            let here = filled.saturating_sub(row * 8).min(8);
            let ch = match (here, slot) {
                (0, Some(_)) if row == 0 => '▁',
                (0, _) => ' ',
                (n, _) => EIGHTHS[n - 1],
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
    let best = calls
        .iter()
        .filter(|c| c.connected > 0)
        .max_by(|a, b| a.connect_rate.total_cmp(&b.connect_rate));
    let mut note = format!(
        "  {} connected of {} ({})",
        connected,
        plural(calls_n, "call", "calls"),
        pct(crate::stats::rate(connected, calls_n)).trim_start()
    );
    if let Some(b) = best {
        note.push_str(&format!(
            " · best {}: {} of {}",
            b.label, b.connected, b.calls
        ));
    }
    lines.push(Line::styled(note, theme.dim()));
    lines.push(Line::raw(""));
}

/// A distribution as bars of counts; many distinct values are grouped into ranges.
fn distribution(
    title: &str,
    unit: &str,
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
