//! The actions that do something with a touch or a prospect: every outcome, each one desk
//! call (one transaction), then a reload and a status sentence.

use super::action::View;
use super::app::{App, Tone, TouchKey};
use super::bulk;
pub use super::enrolling::enroll;
use super::enrolling::enroll_picker;
use super::modal::{self, Conversation, Modal, Person, Pick, Prompt, PromptFor, Target};
use super::replies;
use super::submit::bulk_event;
pub use super::submit::submit_prompt;
pub use super::touch_text::{CopyWhat, copy, edit_request, finish_edit, open};
use super::update::Effect;
use crate::desk::{DeskError, EnrollRequest, Happened, LogRequest, Refused, ReplyDetails};
use crate::domain::conversation::CallEnd;
use crate::domain::{Channel, EngineError, Event, Outcome, Status};
use std::collections::HashSet;

/// The prospect the current view has selected.
pub(super) fn target(app: &App) -> Option<Person> {
    if app.view == View::Upcoming {
        let (_, e) = app.upcoming.selected_entry()?;
        return Some(Person {
            prospect_id: e.brief.prospect_id,
            name: e.brief.name.clone(),
            touch: Some(crate::domain::TouchRef {
                enrollment_id: e.brief.enrollment_id,
                step: e.brief.step,
                due: Some(e.brief.due),
            }),
        });
    }
    if let (View::Queue, Some(task)) = (app.view, app.queue.selected_task()) {
        return Some(Person {
            prospect_id: task.prospect.id,
            name: task.prospect.full_name(),
            touch: None,
        });
    }
    let (p, touch) = match app.view {
        View::Queue => {
            let item = app.queue.selected_item()?;
            (&item.prospect, item.enrollment.touch())
        }
        View::Prospects => {
            let p = app.prospects.selected_prospect()?;
            let card = app
                .prospects
                .card
                .as_ref()
                .filter(|c| c.prospect.id == p.id);
            (p, card.and_then(|c| c.touch))
        }
        View::Sequences | View::Stats | View::Upcoming => return None,
    };
    Some(Person {
        prospect_id: p.id,
        name: p.full_name(),
        touch,
    })
}

pub(super) fn nothing_selected(app: &mut App) {
    let msg = match app.view {
        View::Queue => "Nothing is selected: the queue is empty.",
        _ => "Select a prospect first.",
    };
    app.set_status(msg, Tone::Info);
}

pub fn done(app: &mut App) {
    // A conversation: the rep says what comes next.
    if let (View::Queue, Some(task)) = (app.view, app.queue.selected_task()) {
        let meeting = task.conversation.task == crate::domain::conversation::Task::Meeting;
        let suggested = task.conversation.suggested.as_ref().map(|s| s.describe());
        if let Some(t) = target(app) {
            app.modal = Some(modal::next_step(t, meeting, suggested));
        }
        return;
    }
    let channel = match app.view {
        View::Upcoming => app.upcoming.selected_entry().map(|(_, e)| e.channel),
        _ => app.queue.selected_item().map(|i| i.channel()),
    };
    let (Some(t), Some(channel)) = (target(app), channel) else {
        return nothing_selected(app);
    };
    let outcome = match channel {
        Channel::Call => return app.modal = Some(modal::call_outcome(t)),
        Channel::Email => Outcome::Sent,
        _ => Outcome::Done,
    };
    match copied_not_ready(app, &t) {
        Some(problems) => app.modal = Some(modal::sent_as_copied(t, outcome, &problems)),
        None => log_event(app, &t, Event::Work(outcome)),
    }
}

/// The problems of a touch whose not-ready text the rep copied with `C` and has not edited
/// into a ready one since.
fn copied_not_ready(app: &App, t: &Person) -> Option<Vec<String>> {
    let seen = t.touch?;
    let key = (seen.enrollment_id, seen.step);
    let copied = app.queue.copied_anyway.get(&key)?;
    match app.queue.edits.get(&key) {
        Some(edited) if edited.ready() => None,
        _ => Some(copied.problems.clone()),
    }
}

/// The rep says the not-ready text they copied went out as it was.
fn log_as_copied(app: &mut App, t: &Person, outcome: Outcome) {
    let copied = t.touch.and_then(|seen| {
        let key = (seen.enrollment_id, seen.step);
        app.queue.copied_anyway.get(&key).cloned()
    });
    let Some(text) = copied else {
        return app.set_status("Nothing was copied with C for that touch.", Tone::Error);
    };
    let happened = Happened::SentAsCopied { outcome, text };
    send(app, LogRequest::new(t.prospect_id, t.touch, happened));
}

pub fn log_selected(app: &mut App, event: Event) {
    match target(app) {
        Some(t) => log_event(app, &t, event),
        None => nothing_selected(app),
    }
}

/// `x`: they opted out. `D` next puts their whole domain on the list too.
pub fn opt_out(app: &mut App) {
    let Some(t) = target(app) else {
        return nothing_selected(app);
    };
    log_event(app, &t, Event::OptedOut);
    // Offered only when the opt-out went through: they are on the list now.
    let listed = app
        .desk
        .prospect(&t.prospect_id.to_string())
        .and_then(|p| app.desk.do_not_contact_match(&p))
        .is_ok_and(|m| m.is_some());
    if let (true, Some((said, tone))) = (listed, app.status.clone()) {
        app.last_opt_out = Some(t.prospect_id);
        app.set_status(format!("{said}. D adds their whole email domain."), tone);
    }
}

/// `D` after `x`: the domain of the person just opted out goes on the list.
pub fn opt_out_domain(app: &mut App) {
    let Some(id) = app.last_opt_out.take() else {
        return app.set_status(
            "D follows x: it puts the whole domain of who just opted out on the list.",
            Tone::Info,
        );
    };
    match app.desk.block_domain(&id.to_string(), app.clock.now()) {
        Ok(msg) => {
            app.set_status(msg, Tone::Info);
            reload(app);
        }
        Err(e) => app.set_status(format!("{e:#}"), Tone::Error),
    }
}

/// `f`: asks which part of the queue to work on, or in Prospects which status to show.
pub fn focus(app: &mut App) {
    if app.view == View::Prospects {
        match app.desk.status_counts() {
            Ok(counts) => app.modal = Some(modal::status_filter(&counts)),
            Err(e) => app.set_status(format!("{e:#}"), Tone::Error),
        }
        return;
    }
    app.ensure_all();
    let mut sequences: Vec<String> = app
        .queue
        .entries
        .iter()
        .map(|e| e.sequence.clone())
        .collect();
    sequences.sort();
    sequences.dedup();
    app.modal = Some(modal::focus(&sequences));
}

/// `m`: a meeting was booked; asks when it is, then logs it.
pub fn meeting(app: &mut App) {
    match target(app) {
        Some(t) => app.modal = Some(modal::meeting_when(t, None)),
        None => nothing_selected(app),
    }
}

pub fn skip(app: &mut App) {
    match target(app) {
        Some(t) => app.modal = Some(modal::skip_reason(t)),
        None => nothing_selected(app),
    }
}

pub fn snooze(app: &mut App) {
    match bulk::marked(app)
        .map(|ts| bulk::as_target(&ts))
        .or_else(|| target(app).map(Target::One))
    {
        Some(t) => {
            let today = app.clock.now().date();
            app.modal = Some(modal::snooze(t, today, &app.desk.config.calendar));
        }
        None => nothing_selected(app),
    }
}

/// Resumes a paused sequence at once; pausing asks for an optional return date first.
pub fn pause(app: &mut App) {
    if let Some(ts) = bulk::marked(app) {
        app.modal = Some(modal::prompt(PromptFor::PauseUntil, bulk::as_target(&ts)));
        return;
    }
    let Some(t) = target(app) else {
        return nothing_selected(app);
    };
    let today = app.clock.now().date();
    match app.desk.open_enrollment(t.prospect_id) {
        Ok(Some(info)) => {
            if info.enrollment.status_on(today) == Status::Paused {
                log_event(app, &t, Event::Resume);
            } else {
                app.modal = Some(modal::prompt(PromptFor::PauseUntil, t));
            }
        }
        Ok(None) => app.set_status(format!("{} is not in a sequence.", t.name), Tone::Info),
        Err(e) => app.set_status(format!("{e:#}"), Tone::Error),
    }
}

pub fn remove(app: &mut App) {
    match bulk::marked(app)
        .map(|ts| bulk::as_target(&ts))
        .or_else(|| target(app).map(Target::One))
    {
        Some(t) => app.modal = Some(modal::remove_reason(t)),
        None => nothing_selected(app),
    }
}

pub fn apply_pick(app: &mut App, t: Target, pick: Pick) -> Effect {
    match (t, pick) {
        (t, Pick::Type(purpose)) => app.modal = Some(modal::prompt(purpose, t)),
        (Target::Marked(_), pick) => match bulk::marked(app) {
            Some(all) => apply_to_marked(app, &all, pick),
            None => nothing_selected(app),
        },
        (Target::One(person), pick) => apply_to_person(app, person, pick),
        (Target::Nobody, pick) => apply_to_view(app, pick),
    }
    Effect::None
}

/// A picker opened over marked rows acts on all of them.
fn apply_to_marked(app: &mut App, all: &[Person], pick: Pick) {
    match pick {
        Pick::Enroll(sequence) | Pick::EnrollDecision(sequence) => {
            bulk::enroll_all(app, all, &sequence)
        }
        Pick::Snooze(until) => {
            bulk_event(app, all, Event::Snooze { until });
        }
        Pick::Remove(reason) => {
            bulk_event(app, all, Event::Remove { reason });
        }
        _ => app.set_status(
            "That acts on one prospect: Esc clears the marks.",
            Tone::Info,
        ),
    }
}

/// A choice about one prospect.
fn apply_to_person(app: &mut App, t: Person, pick: Pick) {
    let now = app.clock.now();
    let said = match pick {
        Pick::Outcome(o) => return log_event(app, &t, Event::Work(o)),
        Pick::SentAsCopied(o) => return log_as_copied(app, &t, o),
        Pick::Next(step) => return next_step(app, &t, &step),
        Pick::FollowOn => return super::enrolling::follow_on_picker(app, t),
        Pick::KindOfAnswer => return app.modal = Some(modal::reply_kind(t)),
        Pick::TakeSuggestion => return replies::take_suggestion(app, &t),
        Pick::EnrollDecision(sequence) => {
            return app.modal = Some(super::prompt::decision_date(t, &sequence));
        }
        Pick::MeetingFromConversation => {
            return app.modal = Some(modal::prompt(PromptFor::ConversationMeeting, t));
        }
        Pick::Nothing => return app.set_status("Not logged: e edits the text.", Tone::Info),
        Pick::Skip(reason) => return log_event(app, &t, Event::Skip { reason }),
        Pick::Snooze(until) => return log_event(app, &t, Event::Snooze { until }),
        Pick::Remove(reason) => return log_event(app, &t, Event::Remove { reason }),
        Pick::Reply(kind) => {
            let details = ReplyDetails {
                kind,
                ..ReplyDetails::default()
            };
            return replies::log_reply(app, &t, details);
        }
        Pick::Enroll(sequence) => {
            let req = EnrollRequest {
                sequence,
                start: None,
                force: false,
            };
            app.desk.enroll(&t.prospect_id.to_string(), &req, now)
        }
        Pick::Credit(step) => app.desk.move_credit(t.prospect_id, step, now),
        Pick::Connected => return app.modal = Some(modal::conversation(t)),
        Pick::Conversation(Conversation::End(CallEnd::Meeting)) => {
            let call = Conversation::End(CallEnd::Meeting);
            return app.modal = Some(modal::meeting_when(t, Some(call)));
        }
        Pick::Conversation(call) => return app.modal = Some(modal::call_note(t, call)),
        Pick::CallPrompt(purpose) => return call_prompt(app, t, purpose),
        view_pick => return apply_to_view(app, view_pick),
    };
    match said {
        Ok(msg) => {
            app.set_status(msg, Tone::Info);
            reload(app);
        }
        Err(e) => app.set_status(format!("{e:#}"), Tone::Error),
    }
}

/// A prompt during a call: what they said, on the way to logging the call.
fn call_prompt(app: &mut App, t: Person, purpose: PromptFor) {
    app.modal = Some(match modal::prompt(purpose, t) {
        Modal::Prompt(p) => Modal::Prompt(Prompt {
            call: Some(Conversation::Reply(ReplyDetails::default())),
            ..p
        }),
        other => other,
    });
}

/// A choice about the view itself: a focus, a filter, a possible reply.
fn apply_to_view(app: &mut App, pick: Pick) {
    match pick {
        Pick::ConfirmReply(which, label) => app.modal = Some(modal::settle_reply(&which, &label)),
        Pick::SettleReply(which, true) => {
            match app.desk.confirm_possible(&which, app.clock.now()) {
                Ok(msg) => {
                    app.set_status(msg, Tone::Info);
                    reload(app);
                }
                Err(e) => app.set_status(format!("{e:#}"), Tone::Error),
            }
        }
        Pick::SettleReply(which, false) => match app.desk.dismiss_possible(&which.key) {
            Ok(()) => app.set_status("Dismissed.", Tone::Info),
            Err(e) => app.set_status(format!("{e:#}"), Tone::Error),
        },
        Pick::Status(status, rare) => {
            app.prospects.status = status;
            app.prospects.rare = rare;
            app.prospects.selected = 0;
        }
        Pick::Focus(focus) => set_focus(app, focus),
        _ => nothing_selected(app),
    }
}

/// Works on one part of the queue (or all of it).
fn set_focus(app: &mut App, focus: super::queue::Focus) {
    let label = focus.label();
    app.queue.focus = focus;
    // A block of work starts on its first touch.
    app.queue.selected = 0;
    app.queue.on_task = None;
    app.refilter();
    let shown = app.queue.visible.len();
    let msg = if label.is_empty() {
        "The whole queue.".to_string()
    } else {
        format!(
            "Working on {label}: {shown} of {} due. f changes it.",
            app.queue.due_total
        )
    };
    app.set_status(msg, Tone::Info);
}

/// The rep says what comes next in a conversation (one transaction).
pub fn next_step(app: &mut App, t: &Person, step: &crate::desk::NextStep) {
    let id = t.prospect_id.to_string();
    match app.desk.next_step(&id, step, app.clock.now()) {
        Ok(msg) => {
            app.set_status(msg, Tone::Info);
            reload(app);
        }
        Err(e) => app.set_status(format!("{e:#}"), Tone::Error),
    }
}

/// Logs one event for a prospect (one transaction), with the rep's edited text when the
/// touch was edited, and says what the engine did.
pub fn log_event(app: &mut App, t: &Person, event: Event) {
    let edited = t.touch.and_then(|seen| {
        app.queue
            .edits
            .get(&(seen.enrollment_id, seen.step))
            .cloned()
    });
    let happened = match Happened::from(event) {
        Happened::Worked { outcome, .. } => Happened::Worked {
            outcome,
            text: edited,
        },
        other => other,
    };
    send(app, LogRequest::new(t.prospect_id, t.touch, happened));
}

/// Runs one logged action and says what happened, or why not.
pub(super) fn send(app: &mut App, mut req: LogRequest) {
    // From the Upcoming view, working a touch before its day is the point.
    let ahead = app.view == View::Upcoming && req.happened.needs_due();
    req.ahead |= ahead;
    match app.desk.log(req, app.clock.now()) {
        Ok(logged) => {
            let said = if ahead {
                format!(
                    "{} Worked ahead: the steps after it moved up.",
                    logged.message
                )
            } else {
                logged.message
            };
            app.set_status(said, Tone::Info);
            reload(app);
            // A referral added someone: offer them a sequence right away (Esc leaves it).
            if let Some((prospect_id, name)) = logged.referred {
                let t = Person {
                    prospect_id,
                    name,
                    touch: None,
                };
                enroll_picker(app, t);
            }
        }
        Err(e) => refused(app, e),
    }
}

/// Says why a log was refused, with the key that would fit.
fn refused(app: &mut App, e: DeskError) {
    match e {
        // Another window got there first: show the queue as it is now.
        DeskError::Refused(Refused::Stale(m)) => {
            let m = format!("{m} — queue refreshed.");
            reload(app);
            app.set_status(m, Tone::Error);
        }
        DeskError::Refused(Refused::NotReady(m)) => {
            app.set_status(
                format!("{m}: e edits it first, or C copies it as it is."),
                Tone::Error,
            );
        }
        // The engine speaks in outcome words; in the app, say which key fits.
        DeskError::Rule(EngineError::WrongOutcome {
            outcome, channel, ..
        }) => {
            let fits = match channel {
                Channel::Call => "space asks how the call went",
                Channel::Email => "space marks it sent, b bounced",
                _ => "space marks it done",
            };
            let msg =
                format!("That key logs {outcome}, which does not fit a {channel} step: {fits}.");
            app.set_status(msg, Tone::Error);
        }
        other => app.set_status(format!("{other:#}"), Tone::Error),
    }
}

pub fn undo(app: &mut App) {
    let before: HashSet<TouchKey> = app.queue.keys();
    match app.desk.undo(app.clock.now()) {
        Ok(msg) => {
            // What the last inbox sync found may be what was just undone.
            app.inbox_said = None;
            app.set_status(msg, Tone::Info);
            reload(app);
            // Put the selection on the touch the undo brought back.
            app.queue.select_new(&before);
        }
        Err(e) => app.set_status(format!("{e:#}"), Tone::Error),
    }
}

pub(super) fn reload(app: &mut App) {
    if let Err(e) = app.reload() {
        app.set_status(format!("Could not reload the queue: {e:#}"), Tone::Error);
    }
    app.prospects.invalidate();
    // The Sequences view's counts are read again when it is next drawn.
    app.sequences.loaded = false;
}
