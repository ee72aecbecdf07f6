//! Marked rows: `v` marks the selected row (and moves on), and then a snooze, a pause, a
//! removal or an enrollment acts on every marked prospect at once, as one undoable action.
//! Esc clears the marks.

use super::action::View;
use super::app::{App, Tone};
use super::modal::{Person, Target};
use super::work::reload;
use crate::desk::{Happened, LogRequest};
use crate::domain::{Event, TouchRef};

/// `v`: marks or unmarks the selected row, then selects the next one.
pub fn toggle(app: &mut App) {
    match app.view {
        View::Queue => {
            let Some(e) = app.queue.selected_entry() else {
                return;
            };
            let id = e.brief.enrollment_id;
            if !app.queue.marked.remove(&id) {
                app.queue.marked.insert(id);
            }
            let last = app.queue.visible.len().saturating_sub(1);
            app.queue.selected = (app.queue.selected + 1).min(last);
            let n = app.queue.marked.len();
            say_marked(app, n);
        }
        View::Prospects => {
            let Some(p) = app.prospects.selected_prospect() else {
                return;
            };
            let id = p.id;
            if !app.prospects.marked.remove(&id) {
                app.prospects.marked.insert(id);
            }
            let last = app.prospects.rows.len().saturating_sub(1);
            app.prospects.selected = (app.prospects.selected + 1).min(last);
            let n = app.prospects.marked.len();
            say_marked(app, n);
        }
        View::Sequences | View::Stats | View::Upcoming => {}
    }
}

fn say_marked(app: &mut App, n: usize) {
    let msg = match n {
        0 => "No row marked.".to_string(),
        n => format!(
            "{} marked: z snoozes, p pauses, R removes them all; Esc clears.",
            crate::text::count(n, "prospect", "prospects")
        ),
    };
    app.set_status(msg, Tone::Info);
}

/// Clears the marks of the view; whether there were any.
pub fn clear(app: &mut App) -> bool {
    let marks = match app.view {
        View::Queue => &mut app.queue.marked,
        View::Prospects => &mut app.prospects.marked,
        View::Sequences | View::Stats | View::Upcoming => return false,
    };
    let had = !marks.is_empty();
    marks.clear();
    had
}

/// The marked prospects of the view, each with the touch the rep saw, or `None` when no
/// row is marked.
pub fn marked(app: &App) -> Option<Vec<Person>> {
    let targets: Vec<Person> = match app.view {
        View::Queue => app
            .queue
            .entries
            .iter()
            .filter(|e| app.queue.marked.contains(&e.brief.enrollment_id))
            .map(|e| Person {
                prospect_id: e.brief.prospect_id,
                name: e.brief.name.clone(),
                touch: Some(TouchRef {
                    enrollment_id: e.brief.enrollment_id,
                    step: e.brief.step,
                    due: Some(e.brief.due),
                }),
            })
            .collect(),
        View::Prospects => app
            .prospects
            .marked
            .iter()
            .map(|id| {
                let name = app
                    .prospects
                    .rows
                    .iter()
                    .find(|p| p.id == *id)
                    .map_or_else(|| format!("prospect {id}"), |p| p.full_name());
                // The Prospects list shows people, not touches: the current touch is read
                // in the action itself.
                Person {
                    prospect_id: *id,
                    name,
                    touch: None,
                }
            })
            .collect(),
        View::Sequences | View::Stats | View::Upcoming => Vec::new(),
    };
    (!targets.is_empty()).then_some(targets)
}

/// The name a picker or prompt uses for the marked rows ("5 marked prospects").
pub fn as_target(targets: &[Person]) -> Target {
    Target::Marked(targets.len())
}

/// Logs the same event for every marked prospect in one action.
pub fn log_all(app: &mut App, targets: &[Person], event: &Event, what: &str) {
    let requests: Vec<LogRequest> = targets
        .iter()
        .map(|t| LogRequest::new(t.prospect_id, t.touch, Happened::from(event.clone())))
        .collect();
    match app.desk.log_each(&requests, what, app.clock.now()) {
        Ok(msg) => {
            clear(app);
            app.set_status(format!("{msg} u undoes all of it."), Tone::Info);
            reload(app);
        }
        Err(e) => app.set_status(format!("{e:#}"), Tone::Error),
    }
}

/// Enrolls every marked prospect in one action.
pub fn enroll_all(app: &mut App, targets: &[Person], sequence: &str) {
    let ids: Vec<i64> = targets.iter().map(|t| t.prospect_id).collect();
    match app.desk.enroll_each(&ids, sequence, app.clock.now()) {
        Ok(msg) => {
            clear(app);
            app.set_status(format!("{msg}. u undoes all of it."), Tone::Info);
            reload(app);
        }
        Err(e) => app.set_status(format!("{e:#}"), Tone::Error),
    }
}
