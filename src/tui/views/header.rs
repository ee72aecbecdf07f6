//! The top two lines: the day with its counts and progress, and the view tabs.

use super::Theme;
use crate::text::sanitize;
use crate::tui::action::View;
use crate::tui::app::App;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

/// "touchbase · Mon 23 Nov · 14 due · 3 overdue · 6 done ███░░░░░░░ 30%".
pub fn draw(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let due = app.queue.due_total;
    let overdue = app.queue.overdue_total;
    let done = usize::try_from(app.queue.done_today).unwrap_or(0);
    let mut spans = vec![
        Span::styled(" touchbase ", theme.title()),
        Span::raw("· "),
        Span::styled(app.now.format("%a %-d %b").to_string(), theme.bold()),
        Span::raw(" · "),
        Span::raw(format!("{due} due · ")),
        Span::styled(
            format!("{overdue} overdue"),
            if overdue > 0 {
                theme.warn()
            } else {
                Default::default()
            },
        ),
    ];
    let goal = app.desk.config.daily_goal.map(|g| g as usize);
    spans.push(Span::raw(match goal {
        Some(goal) => format!(" · {done}/{goal} done"),
        None => format!(" · {done} done"),
    }));
    // "(✉ 4 ☎ 2)" when there is room for it and the bar.
    let by_channel: Vec<String> = app
        .queue
        .done_by_channel
        .iter()
        .map(|(c, n)| format!("{} {n}", c.glyph()))
        .collect();
    let used: usize = spans.iter().map(|s| s.content.width()).sum();
    if !by_channel.is_empty() {
        let part = format!(" ({})", by_channel.join(" "));
        if used + part.width() + 12 <= usize::from(area.width) {
            spans.push(Span::styled(part, theme.dim()));
        }
    }
    spans.push(Span::raw(" "));
    let used: usize = spans.iter().map(|s| s.content.width()).sum();
    let room = usize::from(area.width).saturating_sub(used + 6);
    let bar = room.min(20);
    // Against the goal when there is one, else against the day's work.
    let total = goal.unwrap_or(done + due);
    if bar >= 5 && total > 0 {
        let filled = (bar * done / total).min(bar);
        let pct = 100 * done / total;
        spans.push(Span::styled("█".repeat(filled), theme.good()));
        spans.push(Span::styled("░".repeat(bar - filled), theme.dim()));
        spans.push(Span::raw(format!(" {pct}%")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// " 1 Queue  2 Prospects  3 Sequences" and, on the right, the queue's filter.
pub fn draw_tabs(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut spans = vec![Span::raw(" ")];
    for (i, v) in View::ALL.iter().enumerate() {
        let label = format!(" {} {} ", i + 1, v.title());
        let style = if *v == app.view {
            theme.selected()
        } else {
            theme.dim()
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
    }
    let filter = match app.view {
        View::Queue if app.queue.filtering || !app.queue.filter.is_empty() => {
            Some((app.queue.filter.as_str(), app.queue.filtering))
        }
        _ => None,
    };
    let focus = (app.view == View::Queue && app.queue.focus.is_on())
        .then(|| format!("focus: {}", app.queue.focus.label()));
    let shown = match (filter, focus) {
        (Some((text, typing)), focus) => {
            let cursor = if typing { "▏" } else { "" };
            let focus = focus.map(|f| format!("{f} · ")).unwrap_or_default();
            Some(format!("{focus}filter: {}{cursor}", sanitize(text)))
        }
        (None, None) if app.view == View::Queue => match app.sending.pending() {
            0 => app.inbox_said.clone(),
            n => Some(format!("Outbox · {n}")),
        },
        (None, focus) => focus,
    };
    if let Some(shown) = shown {
        let used: usize = spans.iter().map(|s| s.content.width()).sum();
        let pad = usize::from(area.width).saturating_sub(used + shown.width() + 1);
        spans.push(Span::raw(" ".repeat(pad)));
        spans.push(Span::styled(shown, theme.accent()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
