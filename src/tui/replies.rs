//! Replies and connected calls: `r` asks what kind of answer came, a connected call asks how
//! it went and for a note, `c` moves a reply's credit. Each is one logged action.

use super::app::{App, Tone};
use super::modal::{self, Conversation, Target};
use super::work::{nothing_selected, send, target};
use crate::desk::{LogRequest, ReplyDetails};
use crate::domain::{Event, Outcome};

/// Logs a connected call with how it went and the rep's note, in one action.
pub(super) fn log_call(
    app: &mut App,
    t: &Target,
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
    let mut req = LogRequest {
        text,
        note: (!note.is_empty()).then(|| note.to_string()),
        meeting_at,
        ..LogRequest::new(t.prospect_id, t.touch, Event::Work(Outcome::Connected))
    };
    match call {
        Conversation::Reply(details) => req.reply = details,
        Conversation::End(end) => req.call_end = Some(end),
    }
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
pub(super) fn log_reply(app: &mut App, t: &Target, details: ReplyDetails) {
    let req = LogRequest {
        reply: details,
        ..LogRequest::new(t.prospect_id, t.touch, Event::Replied)
    };
    send(app, req);
}
