//! The conversations waiting on the rep, drawn above the touches: a reply to answer, a
//! nudge after silence, a meeting on its day; and the selected one's detail.

use super::Theme;
use crate::desk::TaskItem;
use crate::domain::conversation::Task;
use crate::text::{fit, sanitize};
use crate::tui::app::App;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

/// At most this many task rows show at once; the selection scrolls them.
const ROWS: usize = 5;

/// The height the tasks take above the touches (their title line included).
pub fn height(app: &App) -> u16 {
    match app.queue.tasks.len() {
        0 => 0,
        n => u16::try_from(n.min(ROWS) + 1).unwrap_or(0),
    }
}

pub fn draw(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let q = &app.queue;
    let title = format!(" Waiting on you · {} ", q.tasks.len());
    let block = Block::new()
        .borders(Borders::TOP)
        .title(Span::styled(title, theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let first = q.on_task.map_or(0, |i| i.saturating_sub(ROWS - 1));
    let width = usize::from(inner.width);
    let lines: Vec<Line> = q
        .tasks
        .iter()
        .enumerate()
        .skip(first)
        .take(ROWS)
        .map(|(i, t)| {
            let line = Line::raw(row_text(app, t, width));
            if q.on_task == Some(i) {
                line.style(theme.selected())
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The kind of answer the rep gave, or the one their words suggest.
fn kind_lines(c: &crate::domain::conversation::Conversation, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if let Some(kind) = &c.kind {
        lines.push(Line::styled(
            format!("kind: {}", sanitize(kind)),
            theme.dim(),
        ));
    }
    if let Some(s) = &c.suggested {
        lines.push(Line::raw(format!(
            "Their words suggest: {} — space, then k takes it.",
            sanitize(&s.describe())
        )));
    }
    lines
}

/// "↩ reply    Lucía Ortega      Mapledale      “What does it cost?”".
fn row_text(app: &App, t: &TaskItem, width: usize) -> String {
    let c = &t.conversation;
    let glyph = match c.task {
        Task::Reply => "↩",
        Task::Nudge => "↻",
        Task::Meeting => "◆",
    };
    let what = match (c.task, t.meeting_local) {
        (Task::Meeting, Some(at)) => {
            let day = crate::desk::day_label(at.date(), app.now.date());
            format!("meeting {day} {}", at.format("%H:%M"))
        }
        _ => c
            .said
            .as_deref()
            .map(|s| format!("“{}”", sanitize(s)))
            .unwrap_or_else(|| "(what they said is not noted)".to_string()),
    };
    let p = &t.prospect;
    let rest = width.saturating_sub(2 + 10 + 24 + 18);
    format!(
        "  {glyph} {} {} {} {}",
        fit(t.task(), 8),
        fit(&sanitize(&p.full_name()), 23),
        fit(&sanitize(p.company.as_deref().unwrap_or("")), 17),
        fit(&what, rest)
    )
}

/// The selected conversation: who, what they said, and what the keys do.
pub fn draw_detail(app: &App, theme: &Theme, frame: &mut Frame, area: Rect, beside: bool) {
    let Some(t) = app.queue.selected_task() else {
        return;
    };
    let borders = if beside {
        Borders::TOP | Borders::LEFT
    } else {
        Borders::TOP
    };
    let p = &t.prospect;
    let c = &t.conversation;
    let title = format!(" {} ", sanitize(&p.full_name()));
    let block = Block::new()
        .borders(borders)
        .title(Span::styled(title, theme.title()));
    let role: Vec<String> = [&p.title, &p.company]
        .into_iter()
        .flatten()
        .map(|v| sanitize(v))
        .collect();
    let contact: Vec<String> = [&p.email, &p.phone]
        .into_iter()
        .flatten()
        .map(|v| sanitize(v))
        .collect();
    let since = crate::desk::day_label(c.since.date(), app.now.date());
    let headline = match c.task {
        Task::Reply => format!("Replied {since}: your answer is due."),
        Task::Nudge => format!("You answered {since}; nothing since: a nudge is due."),
        Task::Meeting => match t.meeting_local {
            Some(at) => {
                // Both clocks: the rep's, and the prospect's when their zone is known.
                let zone = p.timezone.as_deref().and_then(|z| z.parse().ok());
                let theirs = zone
                    .map(|z| app.zone.to_prospect(at, Some(z)))
                    .filter(|t| *t != at)
                    .map(|t| format!(", {} their time", t.format("%H:%M")))
                    .unwrap_or_default();
                format!(
                    "Meeting {} at {}{theirs} (booked {since}).",
                    crate::desk::day_label(at.date(), app.now.date()),
                    at.format("%H:%M")
                )
            }
            None => format!("Meeting booked {since}, time not set."),
        },
    };
    let mut lines = vec![
        Line::raw(role.join(" · ")),
        Line::styled(contact.join(" · "), theme.dim()),
        Line::raw(""),
        Line::styled(headline, theme.title()),
    ];
    lines.extend(kind_lines(c, theme));
    if let Some(said) = &c.said {
        lines.push(Line::raw(""));
        for l in said.lines() {
            lines.push(Line::raw(format!("  {}", sanitize(l))));
        }
    }
    lines.push(Line::raw(""));
    let next = match c.task {
        Task::Meeting => "space: how it went (held, no-show), or moved, cancelled, closed.",
        Task::Reply | Task::Nudge => {
            "space: what comes next (answered, a sequence, a meeting, closed)."
        }
    };
    lines.push(Line::styled(next, theme.dim()));
    let para = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false });
    frame.render_widget(para, area);
}
