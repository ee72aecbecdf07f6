//! Enrolling from the app: `e` on a prospect (or on every marked one) picks a sequence;
//! `e` in Sequences asks who, or takes the prospects marked in Prospects.

use super::action::View;
use super::app::{App, Tone};
use super::bulk;
use super::modal::{self, Target};
use super::work::{nothing_selected, reload, target};

pub fn enroll(app: &mut App) {
    if app.view == View::Sequences {
        return enroll_from_sequences(app);
    }
    match bulk::marked(app)
        .map(|ts| bulk::as_target(&ts))
        .or_else(|| target(app).map(Target::One))
    {
        Some(t) => enroll_picker(app, t),
        None => nothing_selected(app),
    }
}

/// `e` in Sequences: the prospects marked in Prospects go in at once; otherwise it asks who.
fn enroll_from_sequences(app: &mut App) {
    let Some(entry) = app.sequences.selected_entry() else {
        return nothing_selected(app);
    };
    let name = entry.name.clone();
    if !app.prospects.marked.is_empty() {
        let ids: Vec<i64> = app.prospects.marked.iter().copied().collect();
        match app.desk.enroll_each(&ids, &name, app.clock.now()) {
            Ok(msg) => {
                app.prospects.marked.clear();
                app.set_status(format!("{msg}. u undoes all of it."), Tone::Info);
                reload(app);
            }
            Err(e) => app.set_status(format!("{e:#}"), Tone::Error),
        }
        return;
    }
    app.modal = Some(modal::enroll_who(&name));
}

/// The sequences to enroll `t` in, as a picker.
pub(super) fn enroll_picker(app: &mut App, t: impl Into<Target>) {
    let t: Target = t.into();
    let list = sequences(app, |_| true);
    app.modal = Some(modal::enroll(t, &list));
}

/// After a reply: the sequences the conversation may ask for (any whose trigger is not
/// cold: post-demo, proposal, missed-meeting, re-engagement, the rep's own).
pub(super) fn follow_on_picker(app: &mut App, t: impl Into<Target>) {
    let t: Target = t.into();
    let list = sequences(app, |s| s.plan.trigger != crate::domain::Trigger::Cold);
    app.modal = Some(modal::enroll(t, &list));
}

/// The sequences `keep` keeps, each as the picker offers it: its name, what it is for, and
/// whether it asks the decision date first.
fn sequences(
    app: &mut App,
    keep: impl Fn(&crate::content::Sequence) -> bool,
) -> Vec<modal::SequenceChoice> {
    app.sequences
        .load(&app.desk, app.lints.custom_fields(&app.desk));
    app.sequences
        .entries
        .iter()
        .filter(|e| e.sequence.as_ref().is_ok_and(&keep) || e.sequence.is_err())
        .map(|e| {
            let (about, decision) = match &e.sequence {
                Ok(s) => (
                    s.title.clone(),
                    s.plan.steps.iter().any(|s| s.decision.is_some()),
                ),
                Err(_) => ("(does not load)".to_string(), false),
            };
            modal::SequenceChoice {
                name: e.name.clone(),
                about,
                asks_decision: decision,
            }
        })
        .collect()
}
