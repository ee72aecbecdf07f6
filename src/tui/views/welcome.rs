//! What an empty database shows: how to get prospects in, or try the demo.

use super::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

pub fn draw(theme: &Theme, frame: &mut Frame, area: Rect) {
    let cmd = |c: &'static str, what: &'static str| {
        vec![
            Line::styled(format!("    {c}"), theme.accent()),
            Line::styled(format!("      {what}"), theme.dim()),
        ]
    };
    let mut lines = vec![
        Line::raw(""),
        Line::styled("  Welcome to touchbase.", theme.bold()),
        Line::raw(""),
        Line::raw("  There are no prospects yet. Add some from your shell:"),
        Line::raw(""),
    ];
    lines.extend(cmd(
        "touchbase add --first Dana --email dana@northwind.example --sequence cold-7",
        "add one prospect and start a sequence",
    ));
    lines.extend(cmd(
        "touchbase import leads.csv --sequence cold-7 --per-day 25",
        "import a CSV (from Apollo, HubSpot, Salesforce, Pipedrive, Close…)",
    ));
    lines.extend(cmd(
        "touchbase demo",
        "or try everything on a demo database (it never touches this one)",
    ));
    lines.push(Line::raw(""));
    lines.push(Line::raw(
        "  Then open touchbase each morning: it lists the touches that are due.",
    ));
    lines.push(Line::from(vec![
        Span::raw("  Press "),
        Span::styled("3", theme.bold()),
        Span::raw(" for the built-in sequences, "),
        Span::styled("q", theme.bold()),
        Span::raw(" to quit."),
    ]));
    let block = Block::new()
        .borders(Borders::TOP)
        .title(Span::styled(" Welcome ", theme.title()));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}
