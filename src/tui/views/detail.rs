//! The selected touch: who, how to reach them, the message as it will go out (with what is
//! wrong with it), and their history.

use super::Theme;
use crate::desk::HistoryLine;
use crate::desk::day_label;
use crate::domain::windows::WindowStatus;
use crate::domain::{Channel, Prospect};
use crate::text::{sanitize, sanitize_multiline};
use crate::tui::app::App;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

/// `beside`: the pane sits right of the queue (else below it).
pub fn draw(app: &App, theme: &Theme, frame: &mut Frame, area: Rect, beside: bool) {
    let borders = if beside {
        Borders::TOP | Borders::LEFT
    } else {
        Borders::TOP
    };
    let Some(item) = app.queue.selected_item() else {
        let block = Block::new().borders(borders);
        return frame.render_widget(block, area);
    };
    let title = format!(" {} ", sanitize(&item.prospect.full_name()));
    let block = Block::new()
        .borders(borders)
        .title(Span::styled(title, theme.title()));
    let inner = block.inner(area);
    let lines = lines(app, theme, item);
    let most = max_scroll(&lines, inner);
    let para = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((app.queue.detail_scroll.min(most), 0));
    frame.render_widget(para, area);
}

/// How far the detail of the selected touch can scroll in a terminal of `size`: `J` stops
/// at its last line.
pub fn max_scroll_for(app: &App, size: (u16, u16)) -> u16 {
    let Some(item) = app.queue.selected_item() else {
        return 0;
    };
    let body = super::screen(Rect::new(0, 0, size.0, size.1)).body;
    let (_, area) = super::queue_split(body);
    let borders = if body.width >= super::SIDE_BY_SIDE {
        Borders::TOP | Borders::LEFT
    } else {
        Borders::TOP
    };
    let inner = Block::new().borders(borders).inner(area);
    let theme = Theme { color: false };
    max_scroll(&lines(app, &theme, item), inner)
}

/// The wrapped height of `lines` past what `area` shows.
fn max_scroll(lines: &[Line], area: Rect) -> u16 {
    let width = usize::from(area.width.max(1));
    let tall: usize = lines.iter().map(|l| l.width().div_ceil(width).max(1)).sum();
    u16::try_from(tall.saturating_sub(usize::from(area.height))).unwrap_or(u16::MAX)
}

fn lines(app: &App, theme: &Theme, item: &crate::desk::QueueItem) -> Vec<Line<'static>> {
    let p = &item.prospect;
    let mut lines = who(p, theme);
    let step = item.step();
    let mut plan = vec![Span::styled(
        format!(
            "Step {}/{} · {}{}{}",
            item.enrollment.step + 1,
            item.steps(),
            item.channel(),
            step.and_then(|s| s.action)
                .map(|a| format!(" {a}"))
                .unwrap_or_default(),
            // "call · call" says nothing twice.
            step.map(|s| s.purpose.as_str())
                .filter(|p| *p != item.channel().as_str())
                .map(|p| format!(" · {p}"))
                .unwrap_or_default(),
        ),
        theme.bold(),
    )];
    plan.push(Span::raw(format!(
        " · {} · ",
        sanitize(&item.sequence_name)
    )));
    if item.overdue_days > 0 {
        let days = item.overdue_days;
        let s = if days == 1 { "" } else { "s" };
        plan.push(Span::styled(format!("{days} day{s} late"), theme.warn()));
    } else {
        let due = item.enrollment.due.map_or_else(String::new, |d| {
            format!("due {}", day_label(d.date(), app.now.date()))
        });
        plan.push(Span::raw(due));
    }
    lines.push(Line::from(plan));
    let their_time = app.zone.label(app.now, p.timezone.as_deref());
    let callable = item.callable_in();
    let window = item.window.as_ref().map(|(w, status)| {
        // A call or a text: whether they can be called now, or how long until they can.
        if let Some(m) = callable.filter(|m| *m > 0) {
            return format!(
                "callable {} their time, {}",
                w.label(),
                crate::domain::windows::wait_in_words(m)
            );
        }
        let when = match status {
            WindowStatus::Now => "open now".to_string(),
            WindowStatus::Later(t) => format!("opens {}", t.format("%H:%M")),
            WindowStatus::Passed => "passed for today".to_string(),
            WindowStatus::NotToday => "not today".to_string(),
        };
        format!("best {}: {} ({when})", item.channel(), w.label())
    });
    let timing: Vec<String> = [their_time.map(|t| format!("their time {t}")), window]
        .into_iter()
        .flatten()
        .collect();
    if !timing.is_empty() {
        lines.push(Line::styled(timing.join(" · "), theme.dim()));
    }
    message(app, item.channel(), theme, &mut lines);
    if let Some(d) = &app.queue.detail {
        history(&d.history, theme, &mut lines);
    }
    // The rep's notes on the person (`n`), newest last, as they wrote them.
    if !p.notes.trim().is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled("── notes ──", theme.dim()));
        for note in p.notes.lines().filter(|l| !l.trim().is_empty()) {
            lines.push(Line::raw(sanitize(note)));
        }
    }
    lines
}

/// Title, company and every way to reach them (bad ones marked).
fn who(p: &Prospect, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let role: Vec<String> = [p.title.as_deref(), p.company.as_deref()]
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .map(sanitize)
        .collect();
    if !role.is_empty() {
        lines.push(Line::raw(role.join(" · ")));
    }
    let mut reach: Vec<Span> = Vec::new();
    let mut add = |value: &Option<String>, bad: bool| {
        let Some(v) = value.as_deref().filter(|v| !v.trim().is_empty()) else {
            return;
        };
        if !reach.is_empty() {
            reach.push(Span::raw(" · "));
        }
        if bad {
            reach.push(Span::styled(format!("{} (bad)", sanitize(v)), theme.bad()));
        } else {
            reach.push(Span::styled(sanitize(v), theme.accent()));
        }
    };
    add(&p.email, p.email_bad);
    add(&p.phone, p.phone_bad);
    add(&p.linkedin, false);
    if reach.is_empty() {
        lines.push(Line::styled(
            "no email, phone or LinkedIn known",
            theme.bad(),
        ));
    } else {
        lines.push(Line::from(reach));
    }
    lines
}

fn message(app: &App, channel: Channel, theme: &Theme, lines: &mut Vec<Line<'static>>) {
    let Some(d) = &app.queue.detail else {
        if let Some(e) = &app.queue.detail_error {
            lines.push(Line::styled(sanitize(e), theme.bad()));
        }
        return;
    };
    let r = &d.text;
    lines.push(Line::raw(""));
    for p in &r.problems {
        lines.push(Line::styled(
            format!("✗ not ready: {}", sanitize(p)),
            theme.bad(),
        ));
    }
    if let Some(e) = app.sending.held_for(d.key.0, d.key.1) {
        let reason = e.reason.as_deref().map(sanitize).unwrap_or_default();
        let (said, style) = if e.needs_the_rep() {
            (format!("✗ not sent: {reason}"), theme.bad())
        } else if reason.is_empty() {
            ("✉ in the outbox".to_string(), theme.warn())
        } else {
            (format!("✉ in the outbox: {reason}"), theme.warn())
        };
        lines.push(Line::styled(said, style));
    }
    if d.edited {
        lines.push(Line::styled(
            "✎ edited by you: this text is copied and saved",
            theme.accent(),
        ));
    }
    if d.older_version {
        lines.push(Line::styled(
            "↺ runs on an earlier version of this sequence: its file changed since they started",
            theme.accent(),
        ));
    }
    if channel == Channel::Call {
        lines.push(Line::styled("Call script", theme.bold()));
    }
    if let Some(s) = &r.subject {
        lines.push(Line::from(vec![
            Span::styled("Subject: ", theme.dim()),
            Span::styled(sanitize(s), theme.bold()),
        ]));
    }
    for l in sanitize_multiline(&r.body).lines() {
        lines.push(markdown_bold(l, theme));
    }
    if let Some(vm) = &r.voicemail {
        lines.push(Line::raw(""));
        lines.push(Line::styled("Voicemail", theme.bold()));
        for l in sanitize_multiline(vm).lines() {
            lines.push(Line::raw(l.to_string()));
        }
    }
    let chars = r.body.chars().count();
    let count = match channel {
        Channel::Email => Some(format!("{} words", r.body.split_whitespace().count())),
        Channel::Linkedin | Channel::Sms => Some(format!("{chars} characters")),
        _ => None,
    };
    if let Some(c) = count {
        lines.push(Line::styled(c, theme.dim()));
    }
    for f in &d.lint {
        lines.push(Line::from(vec![
            Span::styled(
                format!("⚑ {}: {}", f.severity, sanitize(&f.message)),
                super::severity_style(f.severity, theme),
            ),
            Span::styled(format!(" ({}:{})", sanitize(&f.file), f.line), theme.dim()),
        ]));
    }
}

fn history(h: &[HistoryLine], theme: &Theme, lines: &mut Vec<Line<'static>>) {
    lines.push(Line::raw(""));
    lines.push(Line::styled("── history ──", theme.dim()));
    if h.is_empty() {
        lines.push(Line::styled("nothing yet", theme.dim()));
    }
    for line in h.iter().rev() {
        lines.push(history_line(line, theme));
    }
}

/// "19 Nov 09:00  ✉ 1/8 opener  sent", newest first.
pub fn history_line(h: &HistoryLine, theme: &Theme) -> Line<'static> {
    let r = &h.row;
    let glyph = r.channel.map_or("·", |c| c.glyph());
    let what = [h.step.as_deref(), h.purpose.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let extra = [r.reason.as_deref(), r.note.as_deref()]
        .into_iter()
        .flatten()
        .map(sanitize)
        .collect::<Vec<_>>()
        .join("; ");
    let outcome_style = match r.outcome.as_str() {
        "replied" | "meeting" | "connected" => theme.good(),
        "opted-out" | "bounced" | "wrong-number" => theme.bad(),
        _ => Default::default(),
    };
    let mut spans = vec![
        Span::styled(r.at.format("%e %b %H:%M").to_string(), theme.dim()),
        Span::raw(format!("  {glyph} {} ", sanitize(&what))),
        Span::styled(r.outcome.to_string(), outcome_style),
    ];
    if !extra.is_empty() {
        spans.push(Span::styled(format!(" ({extra})"), theme.dim()));
    }
    Line::from(spans)
}

/// Scripts mark their parts with `**bold**`: show it bold, without the stars.
fn markdown_bold(line: &str, theme: &Theme) -> Line<'static> {
    if !line.contains("**") {
        return Line::raw(line.to_string());
    }
    let spans: Vec<Span> = line
        .split("**")
        .enumerate()
        .filter(|(_, part)| !part.is_empty())
        .map(|(i, part)| {
            if i % 2 == 1 {
                Span::styled(part.to_string(), theme.bold())
            } else {
                Span::raw(part.to_string())
            }
        })
        .collect();
    Line::from(spans)
}
