//! The `?` overlay, generated from the key table the handler uses.

use super::{Theme, centered};
use crate::tui::app::App;
use crate::tui::keymap::{Scope, help_lines};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

pub fn draw(app: &App, theme: &Theme, frame: &mut Frame, body: Rect) {
    let here = section(
        &format!("In {}", app.view.title()),
        Scope::In(app.view),
        theme,
    );
    let everywhere = section("Everywhere", Scope::Global, theme);
    let has_own = !help_lines(Scope::In(app.view)).is_empty();
    let wide = body.width >= 78 && has_own;
    // Side by side: this view's keys left, the global ones right; when the view's list is
    // taller than the screen, all of them flow down the left column and on into the right.
    let fits = here.len().max(everywhere.len()) + 2 <= usize::from(body.height);
    let (left, right) = if wide && fits {
        (here, everywhere)
    } else if wide {
        let mut all = here;
        all.extend(everywhere);
        // Tight: the blank lines between the sections go first.
        all.retain(|l| l.width() > 0);
        // The left column as tall as the screen allows; the rest on the right.
        let tall = usize::from(body.height.saturating_sub(2)).max(all.len().div_ceil(2));
        let right = all.split_off(tall.min(all.len()));
        (all, right)
    } else {
        let mut all = if has_own { here } else { Vec::new() };
        all.extend(everywhere);
        (all, Vec::new())
    };
    let rows = left.len().max(right.len());
    let area = centered(body, 100, u16::try_from(rows + 2).unwrap_or(u16::MAX));
    frame.render_widget(Clear, area);
    let block = Block::new()
        .borders(Borders::ALL)
        .title(Span::styled(" Keys — any key closes ", theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if wide {
        let [l, r] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
            .areas(inner);
        frame.render_widget(Paragraph::new(left), l);
        frame.render_widget(Paragraph::new(right), r);
    } else {
        frame.render_widget(Paragraph::new(left), inner);
    }
}

fn section(title: &str, scope: Scope, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(format!(" {title}"), theme.bold())];
    let keys_list = help_lines(scope);
    let w = keys_list.iter().map(|(k, _)| k.width()).max().unwrap_or(0);
    for (keys, help) in keys_list {
        lines.push(Line::from(vec![
            Span::styled(format!(" {keys:<w$} "), theme.accent()),
            Span::raw(help),
        ]));
    }
    lines.push(Line::raw(""));
    lines
}
