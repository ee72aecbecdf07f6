//! The Prospects view: a search list, and the selected prospect's card (beside it when wide,
//! full size when opened with Enter).

use super::Theme;
use super::detail::history_line;
use crate::text::{fit, sanitize};
use crate::tui::app::App;
use crate::tui::prospect_list::Card;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

pub fn draw(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let list = &app.prospects;
    if list.opened {
        return card(app, theme, frame, area, Borders::TOP);
    }
    if area.width >= 100 {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(area);
        rows(app, theme, frame, left);
        card(app, theme, frame, right, Borders::TOP | Borders::LEFT);
    } else {
        rows(app, theme, frame, area);
    }
}

fn rows(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let list = &app.prospects;
    let block = Block::new().borders(Borders::TOP).title(Span::styled(
        format!(" Prospects · {} ", count_words(list)),
        theme.title(),
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines = vec![search_line(list, theme)];
    if let Some(e) = &list.error {
        lines.push(Line::styled(format!(" {}", sanitize(e)), theme.bad()));
    }
    if list.rows.is_empty() && list.error.is_none() {
        lines.push(Line::raw(" No prospect matches."));
    }
    let width = usize::from(inner.width);
    // The status ("inbound 1/6 speed-to-lead · tomorrow") gets the room it needs first.
    let name_w = (width / 4).clamp(10, 26);
    let company_w = (width / 5).clamp(8, 22);
    let status_w = width.saturating_sub(name_w + company_w + 3);
    for (i, p) in list
        .rows
        .iter()
        .enumerate()
        .skip(list.offset)
        .take(usize::from(inner.height.saturating_sub(1)))
    {
        let status = list.statuses.get(&p.id).map_or("", String::as_str);
        let mark = if list.marked.contains(&p.id) {
            "•"
        } else {
            " "
        };
        let line = Line::from(vec![
            Span::styled(mark, theme.accent()),
            Span::raw(fit(&sanitize(&p.full_name()), name_w)),
            Span::raw(" "),
            Span::raw(fit(
                &sanitize(p.company.as_deref().unwrap_or("")),
                company_w,
            )),
            Span::raw(" "),
            Span::styled(fit(&sanitize(status), status_w), theme.dim()),
        ]);
        lines.push(if i == list.selected {
            line.style(theme.selected())
        } else {
            line
        });
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// "1,204 prospects", "12 paused", "matching": as much as the list knows. The whole book
/// is counted; a narrowed list is counted once all of it is loaded; a short search that
/// stopped early has no count to give.
fn count_words(list: &crate::tui::prospect_list::ProspectList) -> String {
    let whole = list.at_start && list.at_end && !list.partial;
    match (list.total, &list.status) {
        (Some(total), _) => {
            crate::text::count(usize::try_from(total).unwrap_or(0), "prospect", "prospects")
        }
        (None, Some(status)) if whole => format!("{} {}", list.rows.len(), status_label(status)),
        (None, Some(status)) => format!("{} only", status_label(status)),
        (None, None) if whole => format!("{} matching", list.rows.len()),
        (None, None) => "matching".to_string(),
    }
}

/// The search as typed, or how to start one.
fn search_line(list: &crate::tui::prospect_list::ProspectList, theme: &Theme) -> Line<'static> {
    if !list.searching && list.query.is_empty() {
        return Line::styled(
            " / searches by name, company or email; Enter opens",
            theme.dim(),
        );
    }
    let cursor = if list.searching { "▏" } else { "" };
    let mut line = Line::styled(
        format!(" search: {}{cursor}", sanitize(&list.query)),
        theme.accent(),
    );
    if list.partial {
        line.push_span(Span::styled(
            format!(
                "  ({} names searched: type more)",
                crate::text::thousands(crate::desk::SHORT_SEARCH_SCAN)
            ),
            theme.dim(),
        ));
    }
    line
}

fn card(app: &App, theme: &Theme, frame: &mut Frame, area: Rect, borders: Borders) {
    let Some(c) = &app.prospects.card else {
        return frame.render_widget(Block::new().borders(borders), area);
    };
    let title = format!(" {} ", sanitize(&c.prospect.full_name()));
    let block = Block::new()
        .borders(borders)
        .title(Span::styled(title, theme.title()));
    let para = Paragraph::new(card_lines(app, c, theme))
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((app.prospects.scroll, 0));
    frame.render_widget(para, area);
}

/// What waits on the rep for this prospect: their reply, a nudge, the meeting booked.
fn waiting(app: &App, p: &crate::domain::Prospect) -> Option<String> {
    let conv = p.conversation.as_ref()?;
    let since = crate::desk::day_label(conv.since.date(), app.now.date());
    let what = match conv.meeting_at.map(|at| app.zone.local(at)) {
        Some(at) => format!(
            "meeting {} {}",
            crate::desk::day_label(at.date(), app.now.date()),
            at.format("%H:%M")
        ),
        None => format!("{} since {since}", conv.task.as_str()),
    };
    let said = conv
        .said
        .as_deref()
        .map(|s| format!(": “{}”", sanitize(s)))
        .unwrap_or_default();
    Some(format!("{what}{said}"))
}

fn card_lines(app: &App, c: &Card, theme: &Theme) -> Vec<Line<'static>> {
    let p = &c.prospect;
    let mut lines = Vec::new();
    if c.do_not_contact {
        lines.push(Line::styled(
            "DO NOT CONTACT: opted out; never enrolled again",
            theme.bad().patch(theme.bold()),
        ));
    }
    let field = |label: &str, value: String, flag: &str| {
        Line::from(vec![
            Span::styled(format!("{label:<9} "), theme.dim()),
            Span::raw(value),
            Span::styled(flag.to_string(), theme.bad()),
        ])
    };
    let opt = |v: &Option<String>| sanitize(v.as_deref().unwrap_or(""));
    let bad = |b: bool| if b { " (bad)" } else { "" };
    let local = app
        .zone
        .label(app.now, p.timezone.as_deref())
        .map(|t| format!(" (now {t})"))
        .unwrap_or_default();
    for (label, value, flag) in [
        ("title", opt(&p.title), ""),
        ("company", opt(&p.company), ""),
        ("email", opt(&p.email), bad(p.email_bad)),
        ("phone", opt(&p.phone), bad(p.phone_bad)),
        ("linkedin", opt(&p.linkedin), ""),
        ("city", opt(&p.city), ""),
        ("timezone", format!("{}{local}", opt(&p.timezone)), ""),
    ] {
        if !value.trim().is_empty() {
            lines.push(field(label, value, flag));
        }
    }
    for (k, v) in &p.fields {
        lines.push(field(&sanitize(k), sanitize(v), ""));
    }
    if !p.notes.trim().is_empty() {
        lines.push(field("notes", sanitize(&p.notes), ""));
    }
    if let Some(r) = p.rest_until.filter(|r| *r > app.now.date()) {
        lines.push(field("resting", format!("until {r}"), ""));
    }
    if let Some(waiting) = waiting(app, p) {
        lines.push(field("waiting", waiting, ""));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("── sequences ──", theme.dim()));
    if c.enrollments.is_empty() {
        lines.push(Line::styled("none yet: e enrolls", theme.dim()));
    }
    for e in &c.enrollments {
        lines.push(Line::raw(sanitize(e)));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("── history ──", theme.dim()));
    if c.history.is_empty() {
        lines.push(Line::styled("nothing yet", theme.dim()));
    }
    for h in c.history.iter().rev() {
        lines.push(history_line(h, theme));
    }
    lines
}

/// A status as the filter names it ("opted out", "never enrolled").
pub fn status_label(status: &str) -> String {
    match status {
        "none" => "never enrolled".to_string(),
        "opted_out" => "opted out".to_string(),
        other => other.replace('_', " "),
    }
}
