//! The Upcoming view: each of the next working days with its touches counted by channel,
//! then the touches themselves. `space` works the selected one now, ahead of its day.

use super::Theme;
use crate::desk::day_label;
use crate::domain::Channel;
use crate::text::{fit, sanitize};
use crate::tui::app::App;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

pub fn draw(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let u = &app.upcoming;
    let title = format!(
        " Upcoming · {} in the next {} working days ",
        crate::text::count(u.len(), "touch", "touches"),
        crate::tui::upcoming::DAYS
    );
    let block = Block::new()
        .borders(Borders::TOP)
        .title(Span::styled(title, theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines: Vec<Line> = vec![Line::styled(
        " space works the selected touch now, ahead of its day; y copies its message",
        theme.dim(),
    )];
    if let Some(e) = &u.error {
        lines.push(Line::styled(format!(" {}", sanitize(e)), theme.bad()));
    }
    let width = usize::from(inner.width);
    let name_w = (width * 3 / 10).clamp(12, 28);
    let company_w = (width / 4).clamp(8, 22);
    let step_w = width.saturating_sub(name_w + company_w + 12).min(24);
    let mut index = 0;
    let mut selected_line = 0;
    for (day, entries) in &u.days {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!(" {} · {}", day_heading(*day, app), by_channel(entries)),
            theme.bold(),
        ));
        // The meetings booked that day come first: the day is planned around them.
        meetings_on(*day, &u.meetings, theme, &mut lines);
        if entries.is_empty() {
            lines.push(Line::styled("   nothing due", theme.dim()));
        }
        for e in entries {
            let step = format!("step {} · {}", e.brief.step + 1, e.sequence);
            let line = Line::from(vec![
                Span::raw("   "),
                Span::raw(fit(e.channel.glyph(), 2)),
                Span::raw(" "),
                Span::raw(fit(&sanitize(&e.brief.name), name_w)),
                Span::raw(" "),
                Span::raw(fit(
                    &sanitize(e.brief.company.as_deref().unwrap_or("")),
                    company_w,
                )),
                Span::raw(" "),
                Span::styled(fit(&sanitize(&step), step_w), theme.dim()),
            ]);
            if index == u.selected {
                selected_line = lines.len();
                lines.push(line.style(theme.selected()));
            } else {
                lines.push(line);
            }
            index += 1;
        }
    }
    // Keep the selected touch on screen: scroll by whole screens below the first.
    let height = usize::from(inner.height).max(1);
    let offset = (selected_line / height) * height;
    let shown: Vec<Line> = lines.into_iter().skip(offset).collect();
    frame.render_widget(Paragraph::new(shown), inner);
}

fn day_heading(day: chrono::NaiveDate, app: &App) -> String {
    let label = day_label(day, app.now.date());
    let date = day.format("%a %-d %b").to_string();
    if label == date {
        date
    } else {
        format!("{date} ({label})")
    }
}

/// "6 touches: 3 ✉ email, 2 ☎ call, 1 in LinkedIn".
fn by_channel(entries: &[crate::desk::QueueEntry]) -> String {
    if entries.is_empty() {
        return "0 touches".to_string();
    }
    let mut counts: Vec<(Channel, usize)> = Vec::new();
    for e in entries {
        match counts.iter_mut().find(|(c, _)| *c == e.channel) {
            Some((_, n)) => *n += 1,
            None => counts.push((e.channel, 1)),
        }
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(c, n)| format!("{n} {} {c}", c.glyph()))
        .collect();
    format!(
        "{}: {}",
        crate::text::count(entries.len(), "touch", "touches"),
        parts.join(", ")
    )
}

/// The meetings booked on `day`, one line each.
fn meetings_on(
    day: chrono::NaiveDate,
    meetings: &[crate::desk::TaskItem],
    theme: &Theme,
    lines: &mut Vec<Line<'static>>,
) {
    let on_day = meetings
        .iter()
        .filter(|m| m.meeting_local.is_some_and(|at| at.date() == day));
    for m in on_day {
        let at = m.meeting_local.map(|at| at.format("%H:%M").to_string());
        let line = format!(
            "   ◆  meeting {} · {} {}",
            at.unwrap_or_default(),
            sanitize(&m.prospect.full_name()),
            sanitize(m.prospect.company.as_deref().unwrap_or(""))
        );
        lines.push(Line::styled(line, theme.accent()));
    }
}
