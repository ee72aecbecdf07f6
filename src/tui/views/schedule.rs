//! Overlays about the schedule: why a touch is due (`w`) and the time-off prompt (`V`).

use super::pickers::{draw_prompt_box, end_prompt};
use super::{Theme, centered};
use crate::text::sanitize;
use crate::tui::schedule::{Explanation, TimeOff};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

pub fn draw_explain(e: &Explanation, theme: &Theme, frame: &mut Frame, area: Rect) {
    let title = format!(" Why {}'s touch is due then ", sanitize(&e.name));
    let mut lines: Vec<Line> = e
        .lines
        .iter()
        .map(|l| Line::raw(format!(" {}", sanitize(l))))
        .collect();
    lines.push(Line::styled(" any key closes", theme.dim()));
    let widest = lines
        .iter()
        .map(Line::width)
        .chain([title.width()])
        .max()
        .unwrap_or(20);
    let w = u16::try_from(widest + 3)
        .unwrap_or(u16::MAX)
        .min(area.width.saturating_sub(4));
    // Lines longer than the box wrap: count the rows they take.
    let inner_w = usize::from(w.saturating_sub(2)).max(1);
    let rows: usize = lines
        .iter()
        .map(|l| l.width().max(1).div_ceil(inner_w))
        .sum();
    let h = u16::try_from(rows + 2).unwrap_or(u16::MAX);
    let rect = centered(area, w, h);
    frame.render_widget(Clear, rect);
    let block = Block::new()
        .borders(Borders::ALL)
        .title(Span::styled(title, theme.title()));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        rect,
    );
}

pub fn draw_time_off(t: &TimeOff, theme: &Theme, frame: &mut Frame, area: Rect) {
    let title = " Time off: pending touches move past it ";
    let field = |label: &str, text: &str, active: bool| {
        let cursor = if active { "▏" } else { "" };
        let marker = if active { " > " } else { "   " };
        Line::from(vec![
            Span::styled(marker.to_string(), theme.accent()),
            Span::raw(format!("{label:<10}")),
            Span::styled(format!("{}{cursor}", sanitize(text)), theme.bold()),
        ])
    };
    let mut lines = vec![
        field("first day", &t.first, !t.on_last),
        field("last day", &t.last, t.on_last),
        Line::styled(
            " 2026-12-21, +N days or a weekday; Tab switches, Enter takes it",
            theme.dim(),
        ),
        Line::styled(
            " (no last day: one day off) · u undoes it after",
            theme.dim(),
        ),
    ];
    end_prompt(&mut lines, t.error.as_deref(), theme);
    let widest = lines.iter().map(Line::width).max().unwrap_or(40);
    let width = widest.max(title.width());
    draw_prompt_box(frame, area, theme, (title.to_string(), lines), width);
}
