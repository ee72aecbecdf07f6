//! The queue: overdue first, then today's by due time, one touch a row.

use super::Theme;
use crate::desk::{QueueItem, day_label};
use crate::domain::Channel;
use crate::domain::windows::{WindowStatus, wait_short};
use crate::text::{fit, sanitize};
use crate::tui::app::App;
use chrono::NaiveTime;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// Which of the queue's rows an area shows: all of them, or, when conversations wait, the
/// inbound leads above them and the other touches below.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Part {
    All,
    Leads(usize),
    AfterLeads(usize),
}

pub fn draw(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    draw_part(app, theme, frame, area, Part::All);
}

pub fn draw_part(app: &App, theme: &Theme, frame: &mut Frame, area: Rect, part: Part) {
    let title = if let Part::AfterLeads(_) = part {
        " Then ".to_string()
    } else if app.queue.filter.is_empty() && !app.queue.focus.is_on() {
        format!(" Queue · {} ", app.queue.due_total)
    } else {
        format!(
            " Queue · {} of {} ",
            app.queue.visible.len(),
            app.queue.due_total
        )
    };
    let block = Block::new()
        .borders(Borders::TOP)
        .title(Span::styled(title, theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if app.queue.visible.is_empty() {
        return frame.render_widget(Paragraph::new(empty_lines(app, theme)), inner);
    }
    let cols = Columns::new(usize::from(inner.width));
    let rows = usize::from(inner.height);
    let q = &app.queue;
    let (first, last) = match part {
        Part::All => (q.offset, usize::MAX),
        Part::Leads(n) => (0, n),
        // Below the conversations the offset counts from the first touch after the leads,
        // the selection kept in sight.
        Part::AfterLeads(n) => {
            let first = q.offset.max(n);
            let first = match q.selected {
                sel if sel >= n && sel >= first + rows => sel + 1 - rows,
                _ => first,
            };
            (first, usize::MAX)
        }
    };
    let lines: Vec<Line> = (first..last)
        .take(rows)
        .map_while(|pos| app.queue.visible_entry(pos).map(|entry| (pos, entry)))
        .map(|(pos, entry)| {
            match app.queue.items.get(&entry.brief.enrollment_id) {
                Some(item) => {
                    let selected = pos == app.queue.selected && app.queue.on_task.is_none();
                    row(app, theme, &cols, item, selected)
                }
                // Not loaded (it stopped being due meanwhile): its name still holds the place.
                None => Line::raw(format!("     {}", sanitize(&entry.brief.name))),
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn empty_lines(app: &App, theme: &Theme) -> Vec<Line<'static>> {
    if !app.queue.filter.is_empty() {
        return vec![
            Line::raw(""),
            Line::raw(format!(
                "  No touch matches “{}”. Esc clears the filter.",
                sanitize(&app.queue.filter)
            )),
        ];
    }
    if app.queue.focus.is_on() && app.queue.due_total > 0 {
        return vec![
            Line::raw(""),
            Line::raw(format!(
                "  Nothing left in {}: {} more due. Esc shows the whole queue.",
                app.queue.focus.label(),
                app.queue.due_total
            )),
        ];
    }
    let next = match app.queue.next_due {
        Some(d) => format!(
            "  The next touch is due {}: 5 shows the coming days, to work ahead.",
            day_label(d.date(), app.now.date())
        ),
        None => "  Nothing is scheduled: enroll prospects in a sequence (2, then e).".to_string(),
    };
    vec![
        Line::raw(""),
        Line::styled("  Nothing due today. The queue is clear.", theme.good()),
        Line::raw(next),
        Line::styled("  u undoes the newest action.", theme.dim()),
    ]
}

/// Column widths for a row of `width` cells.
struct Columns {
    name: usize,
    company: usize,
    step: usize,
    late: usize,
    when: usize,
}

impl Columns {
    fn new(width: usize) -> Columns {
        let wide = width >= 88;
        // Lateness has its own column at every width: "3d late" and "missing company" or a
        // local time both show.
        let late = 8;
        let when = if wide { 20 } else { 16 };
        let step = if wide { 21 } else { 15 };
        // The marks, the glyph and the gaps between columns.
        let fixed = 5 + 4;
        let rest = width.saturating_sub(fixed + step + late + when);
        let (name, company) = if rest < 24 {
            (rest, 0)
        } else {
            let name = (rest * 11 / 20).min(28);
            (name, (rest - name).min(24))
        };
        Columns {
            name,
            company,
            step,
            late,
            when,
        }
    }
}

fn row<'a>(app: &App, theme: &Theme, c: &Columns, item: &QueueItem, selected: bool) -> Line<'a> {
    let p = &item.prospect;
    let key = (item.enrollment.id, item.enrollment.step);
    let problems = app.queue.problems.get(&key);
    let not_ready = problems.is_some_and(|v| !v.is_empty());
    let base = if not_ready {
        theme.bad()
    } else {
        Style::default()
    };
    let step = item.step();
    let purpose = step.map_or("", |s| s.purpose.as_str());
    let late = if item.overdue_days > 0 {
        format!("{}d late", item.overdue_days)
    } else {
        String::new()
    };
    let held = app.sending.held_for(key.0, key.1);
    let (info, info_style) = match (problems.and_then(|v| v.first()), held) {
        (Some(problem), _) => (problem.clone(), theme.bad()),
        // The row has room for the state; the detail says why.
        (None, Some(e)) if e.needs_the_rep() => ("✗ not sent".to_string(), theme.bad()),
        (None, Some(_)) => ("✉ in the outbox".to_string(), theme.warn()),
        (None, None) => when_info(app, item, theme),
    };
    let mut spans = vec![
        Span::styled(if item.overdue_days > 0 { "!" } else { " " }, theme.warn()),
        Span::styled(
            if app.queue.marked.contains(&item.enrollment.id) {
                "•"
            } else {
                " "
            },
            theme.accent(),
        ),
        Span::styled(fit(item.channel().glyph(), 2), base),
        Span::raw(" "),
        Span::styled(fit(&sanitize(&p.full_name()), c.name), base),
        Span::raw(" "),
    ];
    if c.company > 0 {
        let company = sanitize(p.company.as_deref().unwrap_or(""));
        spans.push(Span::styled(fit(&company, c.company), base));
        spans.push(Span::raw(" "));
    }
    // "n/m" padded, so the purposes line up whether a sequence has 4 steps or 10.
    let step_text = format!(
        "{:>2}/{:<2} {}",
        item.enrollment.step + 1,
        item.steps(),
        purpose
    );
    spans.push(Span::styled(fit(&sanitize(&step_text), c.step), base));
    spans.push(Span::raw(" "));
    spans.push(Span::styled(fit(&late, c.late), theme.warn()));
    spans.push(Span::raw(" "));
    spans.push(Span::styled(fit(&sanitize(&info), c.when), info_style));
    let mut line = Line::from(spans);
    if selected {
        line = line.style(theme.selected());
    }
    line
}

/// The time that matters for a row: the prospect's local time for a call or a text, bright
/// inside the channel's good window and dim outside it; or the minute an inbound touch fell
/// due.
fn when_info(app: &App, item: &QueueItem, theme: &Theme) -> (String, Style) {
    if matches!(item.channel(), Channel::Call | Channel::Sms) {
        if let Some(t) = app.zone.label(app.now, item.prospect.timezone.as_deref()) {
            let style = match item.window.as_ref().map(|(_, s)| *s) {
                Some(WindowStatus::Now) | None => theme.good(),
                Some(WindowStatus::Later(_)) => Style::default(),
                Some(WindowStatus::Passed | WindowStatus::NotToday) => theme.dim(),
            };
            // Outside their hours: how long until they are callable, on the row itself.
            return match item.callable_in().filter(|m| *m > 0) {
                Some(m) => (format!("{t} {}", wait_short(m)), style),
                None => (t, style),
            };
        }
    }
    match item.enrollment.due {
        Some(d) if d.time() != NaiveTime::MIN && item.overdue_days == 0 => {
            (format!("due {}", d.format("%H:%M")), theme.warn())
        }
        _ => (String::new(), Style::default()),
    }
}
