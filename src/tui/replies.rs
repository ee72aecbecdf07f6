//! Replies and connected calls: `r` asks what kind of answer came, a connected call asks how
//! it went and for a note, `c` moves a reply's credit. Each is one logged action.

use super::app::{App, Tone};
use super::modal::{self, Conversation, Person};
use super::work::{nothing_selected, send, target};
use crate::desk::{CallWent, Happened, LogRequest, ReplyDetails};
use crate::domain::conversation::CallEnd;

/// Logs a connected call with how it went and the rep's note, in one action.
pub(super) fn log_call(
    app: &mut App,
    t: &Person,
    call: Conversation,
    note: &str,
    meeting_at: Option<chrono::NaiveDateTime>,
) {
    let text = t.touch.and_then(|seen| {
        app.queue
            .edits
            .get(&(seen.enrollment_id, seen.step))
            .cloned()
    });
    let went = match call {
        Conversation::Reply(details) => CallWent::Reply(details),
        Conversation::End(CallEnd::Meeting) => {
            CallWent::Meeting(meeting_at.map(|at| app.zone.to_utc(at)))
        }
        Conversation::End(CallEnd::NotInterested) => CallWent::NotInterested,
    };
    let req = LogRequest {
        note: (!note.is_empty()).then(|| note.to_string()),
        ..LogRequest::new(t.prospect_id, t.touch, Happened::Connected { went, text })
    };
    send(app, req);
}

/// `c`: asks which worked step the latest reply should be credited to.
pub fn move_credit(app: &mut App) {
    let Some(t) = target(app) else {
        return nothing_selected(app);
    };
    match app.desk.creditable_steps(t.prospect_id) {
        Ok((steps, _)) if steps.is_empty() => {
            app.set_status(format!("{} has no reply to credit.", t.name), Tone::Info);
        }
        Ok((steps, now)) => app.modal = Some(modal::credit(t, &steps, now)),
        Err(e) => app.set_status(format!("{e:#}"), Tone::Error),
    }
}

/// `r`: asks what kind of reply it was, then logs it.
pub fn reply(app: &mut App) {
    match target(app) {
        Some(t) => app.modal = Some(modal::reply_kind(t)),
        None => nothing_selected(app),
    }
}

/// Logs a reply with what the rep said about it.
pub(super) fn log_reply(app: &mut App, t: &Person, details: ReplyDetails) {
    // On a conversation the reply is logged already: this says what kind it was.
    if app
        .queue
        .selected_task()
        .is_some_and(|task| task.prospect.id == t.prospect_id)
    {
        return say_kind(app, t, &details);
    }
    let replied = Happened::Replied {
        details,
        credit: None,
    };
    send(app, LogRequest::new(t.prospect_id, t.touch, replied));
}

/// `k` on a conversation: the kind of answer its words suggest, as the inbox read them.
pub(super) fn take_suggestion(app: &mut App, t: &Person) {
    match app.desk.suggested_details(t.prospect_id) {
        Ok(Some(details)) => say_kind(app, t, &details),
        Ok(None) => app.set_status("Nothing is suggested for this reply.", Tone::Info),
        Err(e) => app.set_status(format!("{e:#}"), Tone::Error),
    }
}

fn say_kind(app: &mut App, t: &Person, details: &ReplyDetails) {
    if details.kind.is_none() {
        return app.set_status("Noted as a reply; nothing else changes.", Tone::Info);
    }
    match app.desk.reply_kind(t.prospect_id, details, app.clock.now()) {
        Ok(msg) => {
            app.set_status(format!("{msg}. u undoes it."), Tone::Info);
            super::work::reload(app);
        }
        Err(e) => app.set_status(format!("{e:#}"), Tone::Error),
    }
}
