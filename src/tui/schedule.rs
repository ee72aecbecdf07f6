//! The schedule from the app: why a touch is due when it is (`w`), and time off (`V`), which
//! moves every pending touch in the absence past it as one undoable action.

use super::action::View;
use super::app::{App, Tone};
use super::modal::Modal;
use super::when::parse_day;
use crossterm::event::{KeyCode, KeyEvent};

/// The explain overlay: whom it is about and the desk's sentences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub name: String,
    pub lines: Vec<String>,
}

/// The time-off prompt: two typed days, the first and the last day off.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TimeOff {
    pub first: String,
    pub last: String,
    /// Typing the last day (else the first).
    pub on_last: bool,
    /// Why the last Enter was refused.
    pub error: Option<String>,
}

/// `w`: opens the explanation of the selected prospect's due date.
pub fn explain(app: &mut App) {
    let who = match app.view {
        View::Queue => app.queue.selected_item().map(|i| &i.prospect),
        View::Prospects => app.prospects.selected_prospect(),
        View::Sequences | View::Stats | View::Upcoming => None,
    };
    let Some(p) = who else {
        return app.set_status("Select a prospect first.", Tone::Info);
    };
    let name = p.full_name();
    match app.desk.explain(p.id, app.clock.now()) {
        Ok(lines) => app.modal = Some(Modal::Explain(Explanation { name, lines })),
        Err(e) => app.set_status(format!("{e:#}"), Tone::Error),
    }
}

/// `V`: opens the time-off prompt.
pub fn open_time_off(app: &mut App) {
    app.modal = Some(Modal::TimeOff(TimeOff::default()));
}

/// A key while the time-off prompt is open.
pub fn time_off_key(app: &mut App, mut t: TimeOff, key: KeyEvent) {
    match key.code {
        KeyCode::Esc => return app.set_status("Cancelled.", Tone::Info),
        KeyCode::Tab | KeyCode::BackTab | KeyCode::Up | KeyCode::Down => t.on_last = !t.on_last,
        KeyCode::Enter if !t.on_last => t.on_last = true,
        KeyCode::Enter => {
            if let Err(e) = submit(app, &t) {
                t.error = Some(e);
                app.modal = Some(Modal::TimeOff(t));
            }
            return;
        }
        KeyCode::Backspace if t.on_last && t.last.is_empty() => t.on_last = false,
        _ => {
            crate::tui::line_edit::edit(field(&mut t), &key);
        }
    }
    t.error = None;
    app.modal = Some(Modal::TimeOff(t));
}

fn field(t: &mut TimeOff) -> &mut String {
    if t.on_last { &mut t.last } else { &mut t.first }
}

/// Enter on the last day: takes the time off, or says why not (the prompt stays open).
fn submit(app: &mut App, t: &TimeOff) -> Result<(), String> {
    let now = app.clock.now();
    let today = now.date();
    let first = parse_day(&t.first, today).map_err(|e| format!("first day: {e}"))?;
    let last = match t.last.trim() {
        // One day off.
        "" => first,
        s => parse_day(s, today).map_err(|e| format!("last day: {e}"))?,
    };
    if last < today {
        return Err(format!("{last} has passed"));
    }
    if last < first {
        return Err(format!("the last day {last} is before the first {first}"));
    }
    let message = app
        .desk
        .vacation(first, last, now)
        .map_err(|e| format!("{e:#}"))?;
    app.set_status(message, Tone::Info);
    if let Err(e) = app.reload() {
        app.set_status(format!("Could not reload the queue: {e:#}"), Tone::Error);
    }
    app.prospects.invalidate();
    Ok(())
}
