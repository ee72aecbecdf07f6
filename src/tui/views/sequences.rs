//! The Sequences view: every sequence, and the selected one's steps on a day axis, with its
//! lint findings.

use super::Theme;
use crate::content::Sequence;
use crate::text::{fit, sanitize};
use crate::tui::app::App;
use crate::tui::sequence_list::SequenceEntry;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use std::collections::BTreeMap;
use unicode_width::UnicodeWidthStr;

pub fn draw(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let list_w = 22.min(area.width / 3);
    let [left, right] =
        Layout::horizontal([Constraint::Length(list_w), Constraint::Min(10)]).areas(area);
    let s = &app.sequences;
    let block = Block::new()
        .borders(Borders::TOP)
        .title(Span::styled(" Sequences ", theme.title()));
    let inner = block.inner(left);
    frame.render_widget(block, left);
    let names: Vec<Line> = s
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let steps = match &e.sequence {
                Ok(seq) => format!("{:>2}", seq.plan.steps.len()),
                Err(_) => " !".to_string(),
            };
            let w = usize::from(inner.width).saturating_sub(4);
            let line = Line::raw(format!(" {} {steps}", fit(&sanitize(&e.name), w)));
            if i == s.selected {
                line.style(theme.selected())
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(names), inner);
    let Some(entry) = s.selected_entry() else {
        return;
    };
    let block = Block::new()
        .borders(Borders::TOP | Borders::LEFT)
        .title(Span::styled(
            format!(" {} ", sanitize(&entry.name)),
            theme.title(),
        ));
    let width = usize::from(block.inner(right).width);
    let mut lines = Vec::new();
    match &entry.sequence {
        Ok(seq) => describe(seq, entry, width, theme, &mut lines),
        Err(e) => lines.push(Line::styled(sanitize(e), theme.bad())),
    }
    if !entry.findings.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled("── lint ──", theme.dim()));
        for f in &entry.findings {
            lines.push(Line::from(vec![
                Span::styled(format!("⚑ {}:{}: ", sanitize(&f.file), f.line), theme.dim()),
                Span::styled(
                    format!("{}: {}", f.severity, sanitize(&f.message)),
                    super::severity_style(f.severity, theme),
                ),
            ]));
        }
    }
    let para = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((s.scroll, 0));
    frame.render_widget(para, right);
}

fn describe(
    seq: &Sequence,
    entry: &SequenceEntry,
    width: usize,
    theme: &Theme,
    lines: &mut Vec<Line>,
) {
    let plan = &seq.plan;
    lines.push(Line::styled(sanitize(&seq.title), theme.bold()));
    if !seq.description.trim().is_empty() {
        lines.push(Line::styled(sanitize(&seq.description), theme.dim()));
    }
    let counting = if plan.working_days_only {
        " (gaps in working days)"
    } else {
        ""
    };
    lines.push(Line::styled(
        format!(
            "{} touches over {}{counting} · trigger {} · cool-off {} days · {}",
            plan.steps.len(),
            entry.span,
            plan.trigger,
            plan.cool_off_days,
            sanitize(&entry.origin)
        ),
        theme.dim(),
    ));
    let [active, paused, finished] = entry.people;
    lines.push(Line::raw(format!(
        "In it: {active} active · {paused} paused · {finished} finished"
    )));
    lines.push(Line::raw(""));
    // Wider than this, the axis only stretches the gaps.
    for row in axis(seq, width.saturating_sub(1).min(100)) {
        lines.push(Line::styled(row, theme.accent()));
    }
    lines.push(Line::raw(""));
    for (i, step) in plan.steps.iter().enumerate() {
        let what = match step.action {
            Some(a) => format!("{} {a}", step.channel),
            None => step.channel.to_string(),
        };
        // How the step does: replies over the prospects who got it.
        let result = entry
            .steps
            .iter()
            .find(|s| s.step == i + 1)
            .filter(|s| s.prospects > 0)
            .map(|s| {
                format!(
                    "  {:.0}% replied ({} of {})",
                    s.reply_rate * 100.0,
                    s.replies,
                    s.prospects
                )
            })
            .unwrap_or_default();
        lines.push(Line::from(vec![
            Span::styled(format!("{:>2} ", i + 1), theme.dim()),
            Span::raw(format!("{:<7} ", step.when())),
            Span::styled(fit(step.channel.glyph(), 2), theme.accent()),
            Span::raw(format!(" {} ", fit(&what, 16))),
            Span::styled(fit(&sanitize(&step.purpose), 18), theme.bold()),
            Span::styled(result, theme.dim()),
        ]));
    }
}

/// The steps on a day axis: glyph rows (steps of one day stacked), the axis, the day numbers.
fn axis(seq: &Sequence, width: usize) -> Vec<String> {
    let span = seq.span_days().max(1) as usize;
    let usable = width.saturating_sub(3).max(1);
    let x_of = |day: u32| (day.max(1) as usize - 1) * usable / span.saturating_sub(1).max(1);
    let mut by_day: BTreeMap<u32, Vec<&str>> = BTreeMap::new();
    for s in &seq.plan.steps {
        by_day.entry(s.day).or_default().push(s.channel.glyph());
    }
    let height = by_day.values().map(Vec::len).max().unwrap_or(0);
    let mut glyph_rows = vec![vec![" ".to_string(); width]; height];
    let mut axis_row = vec!["─".to_string(); width];
    let mut labels = vec![" ".to_string(); width];
    let mut label_end = 0;
    let last_x = by_day.keys().last().map_or(0, |d| x_of(*d));
    for (day, glyphs) in &by_day {
        let x = x_of(*day).min(width.saturating_sub(1));
        let tick = if x == 0 {
            "├"
        } else if x == last_x {
            "┤"
        } else {
            "┼"
        };
        put(&mut axis_row, x, tick);
        // The first glyph of a day sits on the bottom row, the next ones above it.
        for (row, g) in glyph_rows.iter_mut().rev().zip(glyphs) {
            put(row, x, g);
        }
        let label = day.to_string();
        if x >= label_end && x + label.len() <= width {
            put(&mut labels, x, &label);
            label_end = x + label.len() + 1;
        }
    }
    for cell in axis_row.iter_mut().skip(last_x + 1) {
        *cell = " ".to_string();
    }
    let mut out: Vec<String> = glyph_rows.into_iter().map(|r| r.concat()).collect();
    out.push(axis_row.concat());
    out.push(labels.concat());
    out.push("day".to_string());
    out
}

/// Writes `text` into the cells from `x`, one cell per column (wide text blanks its tail).
fn put(row: &mut [String], x: usize, text: &str) {
    let mut at = x;
    for ch in text.chars() {
        let Some(cell) = row.get_mut(at) else {
            break;
        };
        *cell = ch.to_string();
        let w = ch.to_string().width().max(1);
        for extra in 1..w {
            if let Some(c) = row.get_mut(at + extra) {
                c.clear();
            }
        }
        at += w;
    }
}
