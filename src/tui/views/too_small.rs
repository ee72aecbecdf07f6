//! Below the minimum size: say so, instead of drawing garbage.

use super::{MIN_HEIGHT, MIN_WIDTH};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

pub fn draw(frame: &mut Frame, area: Rect) {
    let lines = vec![
        Line::raw("Terminal too small"),
        Line::raw(format!("{}×{}", area.width, area.height)),
        Line::raw(format!("touchbase needs {MIN_WIDTH}×{MIN_HEIGHT}")),
        Line::raw("q quits"),
    ];
    let top = area.height.saturating_sub(4) / 2;
    let rect = Rect::new(area.x, area.y + top, area.width, area.height - top);
    frame.render_widget(
        Paragraph::new(lines).centered().wrap(Wrap { trim: true }),
        rect,
    );
}
