//! The bottom two lines: what the newest action did, and the keys that matter here.

use super::Theme;
use crate::text::{fit, sanitize};
use crate::tui::app::{App, Tone};
use crate::tui::keymap;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

/// A status too long for its line ends in "…": the key bar below it always shows.
pub fn draw(app: &App, theme: &Theme, frame: &mut Frame, status: Rect, footer: Rect) {
    if let Some((text, tone)) = &app.status {
        let style = match tone {
            Tone::Info => theme.good(),
            Tone::Error => theme.bad(),
        };
        let text = format!(" {}", sanitize(text));
        let text = fit(&text, usize::from(status.width)).trim_end().to_string();
        frame.render_widget(Paragraph::new(Line::styled(text, style)), status);
    }
    frame.render_widget(Paragraph::new(hints(app, theme, footer.width)), footer);
}

/// "y copy  o open  space done …", as many as fit, from the key table.
fn hints(app: &App, theme: &Theme, width: u16) -> Line<'static> {
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    // The queue's keys mean nothing before there is a prospect.
    let view = if app.queue.has_prospects {
        Some(app.view)
    } else {
        None
    };
    for (key, label) in keymap::hints(view) {
        let w = key.width() + label.width() + 3;
        if used + w > usize::from(width) {
            break;
        }
        used += w;
        spans.push(Span::styled(key, theme.bold()));
        spans.push(Span::styled(format!(" {label}  "), theme.dim()));
    }
    Line::from(spans)
}
