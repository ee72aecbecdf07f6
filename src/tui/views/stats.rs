//! The Stats view: which steps, channels, wordings and hours get answers. Everything is drawn
//! as lines of text (bars of block characters) so the view scrolls as one page at 80×24 and
//! splits into two columns on a wide terminal.

use super::Theme;
use super::stats_charts::{Row, bars, distribution, hours};
use crate::stats::Stats;
use crate::text::sanitize;
use crate::tui::app::App;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// From this width the charts sit in two columns.
const TWO_COLUMNS: u16 = 140;
/// The widest a bar gets: wider only stretches it.
pub(super) const BAR_MAX: usize = 30;

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
    after_reply(stats, app.stats.sequence().is_some(), theme, &mut left);
    channels(stats, theme, col_w, &mut left);
    variants(stats, theme, col_w, &mut left);
    let mut right = Vec::new();
    hours(&stats.calls_by_hour, theme, col_w, &mut right);
    let days = "Days from first touch to reply";
    distribution((days, "d"), &stats.days_to_reply, theme, col_w, &mut right);
    let exits = "Touches received before exit";
    let before_exit = &stats.touches_before_exit;
    distribution((exits, ""), before_exit, theme, col_w, &mut right);
    if two {
        vec![left, right]
    } else {
        left.extend(right);
        vec![left]
    }
}

pub(super) fn pct(r: f64) -> String {
    format!("{:>5.1}%", r * 100.0)
}

pub(super) fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn summary(s: &Stats, theme: &Theme) -> Vec<Line<'static>> {
    let t = &s.totals;
    let mut lines = vec![Line::from(vec![
        Span::styled(
            format!(" {} ", plural(t.touches, "touch", "touches")),
            theme.bold(),
        ),
        Span::raw("· "),
        Span::styled(plural(t.replies, "reply", "replies"), theme.good()),
        Span::raw(format!(
            " ({} · {} held · {} won) · {}{} · {}",
            plural(t.meetings, "meeting", "meetings"),
            t.held,
            t.won,
            plural(t.opt_outs, "opt-out", "opt-outs"),
            match t.complaints {
                0 => String::new(),
                n => format!(" · {}", plural(n, "spam complaint", "spam complaints")),
            },
            plural(t.bounces, "bounce", "bounces")
        )),
    ])];
    if !t.replies_by_kind.is_empty() {
        lines.push(Line::raw(by_kind(&t.replies_by_kind)));
    }
    lines.push(Line::raw(""));
    lines
}

/// " replies by kind: positive 2 · objection 1".
fn by_kind(kinds: &std::collections::BTreeMap<String, u64>) -> String {
    let parts: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
    format!(" replies by kind: {}", parts.join(" · "))
}

pub(super) fn heading(text: &str, theme: &Theme, lines: &mut Vec<Line<'static>>) {
    lines.push(Line::styled(format!(" {text}"), theme.bold()));
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
            // As the command line shows it: the step's share of the sequence's replies.
            counts: {
                let positive = match st.positive {
                    0 => String::new(),
                    n => format!(" ({n} positive)"),
                };
                let share = if st.replies > 0 {
                    format!(" · {:.0}% of replies", st.reply_share * 100.0)
                } else {
                    String::new()
                };
                format!("{}{positive}{share}", counts(st.touches, st.replies))
            },
        })
        .collect();
    bars(&rows, theme, width, lines);
    if s.variants
        .iter()
        .any(|v| v.touches < crate::stats::MIN_SAMPLE)
    {
        lines.push(Line::styled(
            "  not enough touches yet to tell the variants apart",
            theme.dim(),
        ));
    }
}

/// After the reply: how far the answers went (replies → meetings → held → won), per step of
/// the chosen sequence or per sequence. Rows with no reply are left out.
fn after_reply(s: &Stats, one: bool, theme: &Theme, lines: &mut Vec<Line<'static>>) {
    let funnel = |replies, meetings, held, won| {
        format!(
            "{} → {} → {held} held → {won} won",
            plural(replies, "reply", "replies"),
            plural(meetings, "meeting", "meetings")
        )
    };
    let rows: Vec<(String, String)> = if one {
        let steps = s.sequences.first().map_or(&[][..], |q| &q.steps[..]);
        steps
            .iter()
            .filter(|st| st.replies > 0)
            .map(|st| {
                let label = format!("{:>2} {}", st.step, st.channel);
                (label, funnel(st.replies, st.meetings, st.held, st.won))
            })
            .collect()
    } else {
        s.sequences
            .iter()
            .filter(|q| q.replies > 0)
            .map(|q| {
                let counted = funnel(q.replies, q.meetings, q.held, q.won);
                (q.sequence.clone(), counted)
            })
            .collect()
    };
    if rows.is_empty() {
        return;
    }
    heading("After the reply", theme, lines);
    let width = rows
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0);
    for (label, counted) in rows {
        lines.push(Line::raw(format!(
            "  {:<width$}  {counted}",
            sanitize(&label)
        )));
    }
    lines.push(Line::raw(""));
}

/// All sequences together: how each one answers.
fn by_sequence(s: &Stats, theme: &Theme, width: usize, lines: &mut Vec<Line<'static>>) {
    heading(
        "Reply rate per sequence (replies ÷ prospects)",
        theme,
        lines,
    );
    let all: u64 = s.sequences.iter().map(|q| q.replies).sum();
    let rows: Vec<Row> = s
        .sequences
        .iter()
        .map(|q| Row {
            label: sanitize(&q.sequence),
            rate: crate::stats::rate(q.replies, q.prospects),
            counts: format!(
                "{} · {}{}",
                plural(q.prospects, "prospect", "prospects"),
                plural(q.replies, "reply", "replies"),
                if q.replies > 0 {
                    format!(
                        " · {:.0}% of replies",
                        crate::stats::rate(q.replies, all) * 100.0
                    )
                } else {
                    String::new()
                }
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
