//! Fixing a prospect without leaving the app: `E` opens their fields in `$EDITOR`, `n` adds
//! a dated note. Each is one undoable action, and the queue is read again at once, so a
//! touch that was missing a company turns ready as soon as it has one.

use super::app::{App, Tone};
use super::modal::{self, PromptFor};
use super::prospect_form::{self, ProspectFile};
use super::update::Effect;
use super::work::{nothing_selected, reload, target};
use crate::desk::ProspectEdit;

/// `E`: the selected prospect's fields, for the editor.
pub fn edit_request(app: &mut App) -> Effect {
    let Some(t) = target(app) else {
        nothing_selected(app);
        return Effect::None;
    };
    match app.desk.prospect_by_id(t.prospect_id) {
        Ok(Some(p)) => Effect::EditProspect(prospect_form::to_file(&p)),
        Ok(None) => {
            app.set_status(format!("{} is gone.", t.name), Tone::Error);
            Effect::None
        }
        Err(e) => {
            app.set_status(format!("{e:#}"), Tone::Error);
            Effect::None
        }
    }
}

/// Takes the saved file back and makes the changes in one action.
pub fn finish_edit(app: &mut App, file: ProspectFile, saved: anyhow::Result<String>) {
    let saved = match saved {
        Ok(saved) if saved == file.text => {
            return app.set_status(format!("No change for {}.", file.name), Tone::Info);
        }
        Ok(saved) => saved,
        Err(e) => return app.set_status(format!("Not changed: {e:#}"), Tone::Error),
    };
    let Some(prospect_id) = file.prospect_id else {
        return add(app, &saved);
    };
    let before = match app.desk.prospect_by_id(prospect_id) {
        Ok(Some(p)) => p,
        Ok(None) => return app.set_status(format!("{} is gone.", file.name), Tone::Error),
        Err(e) => return app.set_status(format!("{e:#}"), Tone::Error),
    };
    let edit = match prospect_form::changes(&saved, &before) {
        Ok(edit) => edit,
        Err(e) => {
            let msg = format!("Not changed: {e}. E opens it again.");
            return app.set_status(msg, Tone::Error);
        }
    };
    save(app, prospect_id, &edit);
}

/// `a` in Prospects: a blank prospect file, for the editor.
pub fn add_request() -> Effect {
    Effect::EditProspect(prospect_form::blank())
}

/// Adds the prospect a saved blank file describes (one action), and selects them.
fn add(app: &mut App, saved: &str) {
    let p = match prospect_form::new_prospect(saved) {
        Ok(p) => p,
        Err(e) => {
            let msg = format!("Not added: {e}. a opens a new one again.");
            return app.set_status(msg, Tone::Error);
        }
    };
    let name = p.full_name();
    match app.desk.add(p, None, app.clock.now()) {
        Ok(added) => {
            app.set_status(format!("{}: e enrolls them.", added.message), Tone::Info);
            reload(app);
            app.prospects.query = name;
            app.sync();
        }
        Err(e) => app.set_status(format!("Not added: {e:#}"), Tone::Error),
    }
}

/// `n`: asks for a note on the selected prospect.
pub fn note(app: &mut App) {
    match target(app) {
        Some(t) => app.modal = Some(modal::prompt(PromptFor::Note, t)),
        None => nothing_selected(app),
    }
}

/// Enter in the note prompt.
pub fn submit_note(app: &mut App, prospect_id: i64, text: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err("type the note, or Esc".to_string());
    }
    let edit = ProspectEdit {
        note: Some(text.to_string()),
        ..ProspectEdit::default()
    };
    save(app, prospect_id, &edit);
    Ok(())
}

fn save(app: &mut App, prospect_id: i64, edit: &ProspectEdit) {
    match app
        .desk
        .edit(&prospect_id.to_string(), edit, app.clock.now())
    {
        Ok(msg) => {
            app.set_status(msg, Tone::Info);
            reload(app);
            app.sync();
        }
        Err(e) => app.set_status(format!("Not changed: {e:#}"), Tone::Error),
    }
}
