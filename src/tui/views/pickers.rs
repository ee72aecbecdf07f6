//! Pickers (one key per choice) and prompts (a line of text), drawn over the view.

use super::{Theme, centered};
use crate::text::sanitize;
use crate::tui::modal::{Picker, Prompt};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

pub fn draw_picker(p: &Picker, theme: &Theme, frame: &mut Frame, area: Rect) {
    let title = format!(" {} ", sanitize(&p.title));
    let mut lines: Vec<Line> = p
        .choices
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let line = Line::from(vec![
                Span::styled(format!(" {} ", c.key), theme.accent().patch(theme.bold())),
                Span::raw(format!(" {}", sanitize(&c.label))),
            ]);
            if i == p.selected {
                line.style(theme.selected())
            } else {
                line
            }
        })
        .collect();
    lines.push(Line::styled(" Esc cancels", theme.dim()));
    let widest = lines
        .iter()
        .map(Line::width)
        .chain([title.width()])
        .max()
        .unwrap_or(20);
    let w = u16::try_from(widest + 4).unwrap_or(u16::MAX);
    let h = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let rect = centered(area, w, h);
    frame.render_widget(Clear, rect);
    let block = Block::new()
        .borders(Borders::ALL)
        .title(Span::styled(title, theme.title()));
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}

pub fn draw_prompt(p: &Prompt, theme: &Theme, frame: &mut Frame, area: Rect) {
    let title = format!(" {} ", sanitize(&p.title));
    let mut lines = vec![
        Line::from(vec![
            Span::styled(" > ", theme.accent()),
            Span::styled(with_cursor(&p.input, p.cursor), theme.bold()),
        ]),
        Line::styled(format!(" {}", p.help), theme.dim()),
    ];
    end_prompt(&mut lines, p.error.as_deref(), theme);
    let width = title.width().max(p.help.width() + 2).max(40);
    draw_prompt_box(frame, area, theme, (title, lines), width);
}

/// The first run's open question, with what Enter alone takes.
pub fn draw_setup(s: &crate::tui::setup::Setup, theme: &Theme, frame: &mut Frame, area: Rect) {
    let title = format!(" {} ", s.question());
    let offered = s.offered();
    let help = if offered.is_empty() {
        "type it, then Enter (Esc: later, with touchbase init)".to_string()
    } else {
        format!("Enter alone takes: {}", sanitize(&offered))
    };
    let mut lines = vec![
        Line::from(vec![
            Span::styled(" > ", theme.accent()),
            Span::styled(with_cursor(&s.input, s.cursor), theme.bold()),
        ]),
        Line::styled(format!(" {help}"), theme.dim()),
    ];
    end_prompt(&mut lines, s.error.as_deref(), theme);
    let width = title.width().max(help.width() + 2).max(40);
    draw_prompt_box(frame, area, theme, (title, lines), width);
}

/// The last lines every typed prompt ends with: its error, if any, and how to leave it.
pub(super) fn end_prompt(lines: &mut Vec<Line<'static>>, error: Option<&str>, theme: &Theme) {
    if let Some(e) = error {
        lines.push(Line::styled(format!(" {}", sanitize(e)), theme.bad()));
    }
    lines.push(Line::styled(" Esc cancels", theme.dim()));
}

/// A prompt's box, `width` columns inside its border, centred over `area`.
pub(super) fn draw_prompt_box(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    (title, lines): (String, Vec<Line<'static>>),
    width: usize,
) {
    let w = u16::try_from(width + 4).unwrap_or(70);
    let h = u16::try_from(lines.len() + 2).unwrap_or(8);
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

/// The typed text with a bar where the next character goes.
fn with_cursor(input: &str, cursor: usize) -> String {
    let at = (0..=cursor.min(input.len()))
        .rev()
        .find(|i| input.is_char_boundary(*i))
        .unwrap_or(0);
    let (before, after) = input.split_at(at);
    format!("{}▏{}", sanitize(before), sanitize(after))
}
