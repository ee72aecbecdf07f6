//! What the rep does with a touch's text before logging it: copy it (or the number, the
//! subject, the profile), open it in the mail client or dialer, edit it in `$EDITOR`.

use super::action::View;
use super::app::{App, Tone};
use super::editor::{self, EditRequest};
use super::launch;
use super::update::Effect;
use super::work::nothing_selected;
use crate::domain::{Channel, LinkedinAction};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyWhat {
    Message,
    Subject,
    /// The message even when it is not ready.
    Anyway,
}

pub fn copy(app: &mut App, what: CopyWhat) {
    if app.view == View::Upcoming {
        return copy_upcoming(app, what);
    }
    let Some(item) = app.queue.selected_item().cloned() else {
        return nothing_selected(app);
    };
    let Some(text) = app.queue.current_text().cloned() else {
        let why = app.queue.detail_error.clone().unwrap_or_default();
        return app.set_status(format!("Nothing to copy: {why}"), Tone::Error);
    };
    copy_item(app, &item, &text, what);
}

/// `y` in Upcoming: the touch's message as it would be rendered on its day.
fn copy_upcoming(app: &mut App, what: CopyWhat) {
    let Some((day, entry)) = app.upcoming.selected_entry() else {
        return nothing_selected(app);
    };
    let on_its_day = day.and_time(app.now.time());
    let found = app
        .desk
        .queue_item(entry.brief.enrollment_id, on_its_day)
        .and_then(|item| match item {
            Some(item) => {
                let text =
                    app.desk
                        .render_current(&item.prospect, &item.enrollment, &item.sequence)?;
                Ok(Some((item, text)))
            }
            None => Ok(None),
        });
    match found {
        Ok(Some((item, text))) => copy_item(app, &item, &text, what),
        Ok(None) => app.set_status("That touch is no longer coming up.", Tone::Error),
        Err(e) => app.set_status(format!("Nothing to copy: {e:#}"), Tone::Error),
    }
}

fn copy_item(
    app: &mut App,
    item: &crate::desk::QueueItem,
    text: &crate::content::Rendered,
    what: CopyWhat,
) {
    let p = &item.prospect;
    let name = p.full_name();
    let channel = item.channel();
    let action = item.step().and_then(|s| s.action);
    let link_only = matches!(action, Some(LinkedinAction::View | LinkedinAction::Engage));
    // A call copies the number, a profile visit the URL: the script's gaps do not matter.
    let (payload, label) = match (what, channel) {
        (CopyWhat::Subject, _) => match &text.subject {
            Some(s) => (Some(s.clone()), "subject"),
            None => return app.set_status("This touch has no subject.", Tone::Info),
        },
        (_, Channel::Call) => (p.phone.clone(), "phone number"),
        (_, Channel::Linkedin) if link_only => (p.linkedin.clone(), "LinkedIn URL"),
        (_, Channel::Email) => (Some(text.body.clone()), "email body"),
        (_, Channel::Linkedin) => (Some(text.body.clone()), "LinkedIn note"),
        (_, Channel::Sms) => (Some(text.body.clone()), "text message"),
        (_, Channel::Task) => (Some(text.body.clone()), "task"),
    };
    let needs_ready = !matches!(label, "phone number" | "LinkedIn URL");
    if needs_ready && what != CopyWhat::Anyway && !text.ready() {
        let msg = format!(
            "Not copied: {}. e edits it, C copies anyway.",
            text.problems.join("; ")
        );
        return app.set_status(msg, Tone::Error);
    }
    let Some(payload) = payload.filter(|s| !s.trim().is_empty()) else {
        return app.set_status(format!("No {label} known for {name}."), Tone::Error);
    };
    match app.clipboard.copy(&payload) {
        Ok(reached) => {
            let mut said = reached.sentence(&format!("{name}'s {label}"));
            if needs_ready && !text.ready() {
                let key = (item.enrollment.id, item.enrollment.step);
                app.queue.copied_anyway.insert(key, text.clone());
                if !said.ends_with('.') {
                    said.push('.');
                }
                said.push_str(" Not ready: space asks if it went out as copied.");
            }
            app.set_status(said, Tone::Info)
        }
        Err(e) => app.set_status(format!("Could not copy: {e}"), Tone::Error),
    }
}

pub fn open(app: &mut App) {
    let Some(item) = app.queue.selected_item() else {
        return nothing_selected(app);
    };
    let p = &item.prospect;
    let name = p.full_name();
    let known = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
    let text = app.queue.current_text().cloned().unwrap_or_default();
    let url = match item.channel() {
        Channel::Email => match known(&p.email).filter(|_| !p.email_bad) {
            Some(to) if text.ready() => {
                Ok(launch::mailto(&to, text.subject.as_deref(), &text.body))
            }
            Some(_) => Err(format!(
                "Not opened: {}. e edits it first.",
                text.problems.join("; ")
            )),
            None => Err(format!("No working email address for {name}.")),
        },
        Channel::Call => known(&p.phone)
            .and_then(|ph| launch::tel(&ph))
            .ok_or_else(|| format!("No phone number for {name}.")),
        Channel::Sms => known(&p.phone)
            .and_then(|ph| launch::sms(&ph, &text.body))
            .ok_or_else(|| format!("No phone number for {name}.")),
        Channel::Linkedin | Channel::Task => known(&p.linkedin)
            .map(|u| {
                if u.starts_with("http") {
                    u
                } else {
                    format!("https://{u}")
                }
            })
            .ok_or_else(|| format!("No LinkedIn URL for {name}.")),
    };
    let url = match url {
        Ok(u) => u,
        Err(e) => return app.set_status(e, Tone::Error),
    };
    let scheme = url.split(':').next().unwrap_or("link").to_string();
    match app.launcher.open(&url) {
        Ok(by) => app.set_status(format!("Opened {scheme} for {name} with {by}."), Tone::Info),
        Err(e) => app.set_status(
            format!("Could not open {scheme}: {e}. y copies it instead."),
            Tone::Error,
        ),
    }
}

pub fn edit_request(app: &mut App) -> Effect {
    let Some(item) = app.queue.selected_item() else {
        nothing_selected(app);
        return Effect::None;
    };
    let key = (item.enrollment.id, item.enrollment.step);
    match app.queue.current_text() {
        Some(text) => Effect::Edit(EditRequest {
            key,
            text: text.clone(),
        }),
        None => {
            app.set_status("Nothing to edit for this touch.", Tone::Error);
            Effect::None
        }
    }
}

/// Takes the editor's result back: the edited text is what `y` copies and what is frozen
/// when the touch is logged.
pub fn finish_edit(app: &mut App, req: EditRequest, result: anyhow::Result<String>) {
    match result {
        Ok(saved) if saved == editor::to_file_text(&req.text) => {
            app.set_status("No change.", Tone::Info);
        }
        Ok(saved) => {
            let edited = editor::from_file_text(&saved, &req.text);
            if edited.body.trim().is_empty() {
                app.set_status("The edited text was empty; kept the old one.", Tone::Error);
            } else {
                let msg = if edited.ready() {
                    "Edited: y copies this text and logging the touch saves it.".to_string()
                } else {
                    format!("Edited, still not ready: {}.", edited.problems.join("; "))
                };
                app.queue.problems.insert(req.key, edited.problems.clone());
                app.queue.edits.insert(req.key, edited);
                app.queue.detail = None;
                app.set_status(msg, Tone::Info);
            }
        }
        Err(e) => app.set_status(format!("Not edited: {e:#}"), Tone::Error),
    }
    app.sync();
}
