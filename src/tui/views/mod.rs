//! Drawing. Every function here takes the state by `&` and only draws; what is drawn is
//! computed before, in [`super::app`]. Every text from the data passes through
//! [`crate::text::sanitize`] on its way to the screen.

mod detail;
mod footer;
mod header;
mod help;
mod pickers;
mod prospects;
mod queue;
mod schedule;
mod sequences;
mod stats;
mod stats_charts;
mod tasks;
mod too_small;
mod upcoming;
mod welcome;

use super::action::View;
use super::app::App;
use super::modal::Modal;
use crate::content::lint::Severity;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};

/// Below this the app says so instead of drawing a mangled screen.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;
/// From this width the queue and the detail sit side by side.
const SIDE_BY_SIDE: u16 = 140;

/// Whether a terminal of this size shows only the "too small" notice.
pub fn too_small((width, height): (u16, u16)) -> bool {
    width < MIN_WIDTH || height < MIN_HEIGHT
}

/// Draws the whole screen for the app's state.
pub fn draw(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if too_small((area.width, area.height)) {
        return too_small::draw(frame, area);
    }
    let theme = Theme { color: app.color };
    let s = screen(area);
    header::draw(app, &theme, frame, s.header);
    header::draw_tabs(app, &theme, frame, s.tabs);
    match app.view {
        View::Queue if !app.queue.has_prospects => welcome::draw(&theme, frame, s.body),
        // Nothing selected: no empty detail pane.
        View::Queue if app.queue.visible.is_empty() && app.queue.tasks.is_empty() => {
            queue::draw(app, &theme, frame, s.body)
        }
        View::Queue => {
            let (list, detail) = queue_split(s.body);
            let a = queue_areas(app, list);
            if a.head.height > 0 {
                queue::draw_part(app, &theme, frame, a.head, queue::Part::Leads(a.leads));
                tasks::draw(app, &theme, frame, a.strip);
                let after = queue::Part::AfterLeads(a.leads);
                queue::draw_part(app, &theme, frame, a.rest, after);
            } else {
                if a.strip.height > 0 {
                    tasks::draw(app, &theme, frame, a.strip);
                }
                queue::draw(app, &theme, frame, a.rest);
            }
            let beside = s.body.width >= SIDE_BY_SIDE;
            if app.queue.selected_task().is_some() {
                tasks::draw_detail(app, &theme, frame, detail, beside);
            } else {
                detail::draw(app, &theme, frame, detail, beside);
            }
        }
        View::Prospects => prospects::draw(app, &theme, frame, s.body),
        View::Sequences => sequences::draw(app, &theme, frame, s.body),
        View::Stats => stats::draw(app, &theme, frame, s.body),
        View::Upcoming => upcoming::draw(app, &theme, frame, s.body),
    }
    footer::draw(app, &theme, frame, s.status, s.footer);
    match &app.modal {
        Some(Modal::Help) => help::draw(app, &theme, frame, s.body),
        Some(Modal::Pick(p)) => pickers::draw_picker(p, &theme, frame, area),
        Some(Modal::Prompt(p)) => pickers::draw_prompt(p, &theme, frame, area),
        Some(Modal::Explain(e)) => schedule::draw_explain(e, &theme, frame, area),
        Some(Modal::TimeOff(t)) => schedule::draw_time_off(t, &theme, frame, area),
        Some(Modal::Setup(s)) => pickers::draw_setup(s, &theme, frame, area),
        None => {}
    }
}

/// The screen's bands.
struct Screen {
    header: Rect,
    tabs: Rect,
    body: Rect,
    status: Rect,
    footer: Rect,
}

fn screen(area: Rect) -> Screen {
    let [header, tabs, body, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    Screen {
        header,
        tabs,
        body,
        status,
        footer,
    }
}

/// The queue list and the detail pane: side by side when wide, stacked when narrow.
fn queue_split(body: Rect) -> (Rect, Rect) {
    if body.width >= SIDE_BY_SIDE {
        let [list, detail] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(body);
        (list, detail)
    } else {
        let [list, detail] =
            Layout::vertical([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(body);
        (list, detail)
    }
}

/// The queue's list, in the day's order: inbound leads (`head`), the conversations waiting
/// on the rep (`strip`), then the other touches (`rest`, all of them when no lead waits).
struct QueueAreas {
    head: Rect,
    strip: Rect,
    rest: Rect,
    leads: usize,
}

fn queue_areas(app: &App, list: Rect) -> QueueAreas {
    let strip = tasks::height(app).min(list.height / 2);
    let leads = if strip > 0 { app.queue.leads() } else { 0 };
    let head = match u16::try_from(leads).unwrap_or(u16::MAX) {
        0 => 0,
        n => (n + 1).min(list.height / 4).max(2),
    };
    let [head, strip, rest] = Layout::vertical([
        Constraint::Length(head),
        Constraint::Length(strip),
        Constraint::Fill(1),
    ])
    .areas(list);
    QueueAreas {
        head,
        strip,
        rest,
        leads,
    }
}

/// How many rows of touches fit at this terminal size, below the leads and the
/// conversations (each list has a one-line title).
pub fn queue_rows(app: &App, size: (u16, u16)) -> u16 {
    let s = screen(Rect::new(0, 0, size.0, size.1));
    let list = queue_split(s.body).0;
    queue_areas(app, list).rest.height.saturating_sub(1)
}

/// How far the Stats page scrolls at this terminal size.
pub use prospects::status_label;

/// How far the queue's detail pane can scroll.
pub fn detail_max_scroll(app: &App, size: (u16, u16)) -> u16 {
    detail::max_scroll_for(app, size)
}

pub fn stats_max_scroll(app: &App, size: (u16, u16)) -> u16 {
    stats::max_scroll(app, size)
}

/// How many prospect rows fit (a title line and the search line).
pub fn prospect_rows(size: (u16, u16)) -> u16 {
    screen(Rect::new(0, 0, size.0, size.1))
        .body
        .height
        .saturating_sub(2)
}

/// Colours, or none under `NO_COLOR`: then only bold and reverse carry meaning.
pub struct Theme {
    pub color: bool,
}

impl Theme {
    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    /// Not ready, errors.
    pub fn bad(&self) -> Style {
        self.fg(Color::Red)
    }

    /// Overdue, warnings.
    pub fn warn(&self) -> Style {
        self.fg(Color::Yellow)
    }

    pub fn good(&self) -> Style {
        self.fg(Color::Green)
    }

    pub fn dim(&self) -> Style {
        self.fg(Color::DarkGray)
    }

    pub fn accent(&self) -> Style {
        self.fg(Color::Cyan)
    }

    pub fn hint(&self) -> Style {
        self.fg(Color::Blue)
    }

    pub fn bold(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// The selected row: reverse video reads without colour too.
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    /// A section title in a border.
    pub fn title(&self) -> Style {
        self.accent().add_modifier(Modifier::BOLD)
    }
}

/// How a lint finding reads: errors red, warnings yellow, hints quieter.
pub fn severity_style(severity: Severity, theme: &Theme) -> Style {
    match severity {
        Severity::Error => theme.bad().add_modifier(Modifier::BOLD),
        Severity::Warning => theme.warn(),
        Severity::Hint | Severity::Waived => theme.hint(),
    }
}

/// A rectangle of at most `w`×`h` in the middle of `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}
