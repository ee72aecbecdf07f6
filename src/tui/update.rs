//! Keys in, state changes out: a key becomes an [`Action`] through the key table (or feeds
//! the open picker, prompt or search box), and the action changes the [`App`].

use super::action::{Action, View};
use super::app::{App, Tone};
use super::editor::EditRequest;
use super::keymap;
use super::line_edit;
use super::modal::{Modal, Picker, Prompt, PromptFor};
use super::schedule;
use super::work::{self, CopyWhat};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// What the event loop must do after a key, beyond drawing again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    None,
    Quit,
    /// Hand the terminal to `$EDITOR` for this text, then call [`work::finish_edit`].
    Edit(EditRequest),
    /// Hand the terminal to `$EDITOR` for a prospect's fields, then take them back.
    EditProspect(super::prospect_form::ProspectFile),
}

/// Handles one key press and brings the derived state up to date.
pub fn handle_key(app: &mut App, key: KeyEvent) -> Effect {
    if key.kind == KeyEventKind::Release {
        return Effect::None;
    }
    if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
        return Effect::Quit;
    }
    // The rep cannot see what a key would act on: only quitting works.
    if app.too_small() {
        return match key.code {
            KeyCode::Char('q') => Effect::Quit,
            _ => Effect::None,
        };
    }
    let effect = match app.modal.take() {
        Some(modal) => modal_key(app, modal, key),
        None if typing(app) => {
            text_key(app, key);
            Effect::None
        }
        None => match keymap::lookup(app.view, &key) {
            Some(action) => update(app, action),
            None => Effect::None,
        },
    };
    app.sync();
    effect
}

fn typing(app: &App) -> bool {
    match app.view {
        View::Queue => app.queue.filtering,
        View::Prospects => app.prospects.searching,
        View::Sequences | View::Stats | View::Upcoming => false,
    }
}

/// Carries out one action.
pub fn update(app: &mut App, action: Action) -> Effect {
    match action {
        Action::Up
        | Action::Down
        | Action::Top
        | Action::Bottom
        | Action::PageUp
        | Action::PageDown => move_selection(app, action),
        Action::ScrollDown => scroll(app, 3),
        Action::ScrollUp => scroll(app, -3),
        Action::NextView => show(app, app.view.next()),
        Action::PrevView => show(app, app.view.prev()),
        Action::Show(v) => show(app, v),
        Action::Help => app.modal = Some(Modal::Help),
        Action::Quit => return Effect::Quit,
        Action::Back => back(app),
        Action::Focus => work::focus(app),
        Action::Mark => super::bulk::toggle(app),
        Action::Filter => match app.view {
            View::Queue => app.queue.filtering = true,
            View::Prospects => {
                app.prospects.searching = true;
                app.prospects.opened = false;
            }
            View::Sequences | View::Stats | View::Upcoming => {}
        },
        Action::OpenProspect => app.prospects.opened = !app.prospects.opened,
        Action::Copy => work::copy(app, CopyWhat::Message),
        Action::CopySubject => work::copy(app, CopyWhat::Subject),
        Action::CopyAnyway => work::copy(app, CopyWhat::Anyway),
        Action::Open => work::open(app),
        Action::Edit => return work::edit_request(app),
        Action::EditProspect => return super::fix::edit_request(app),
        Action::Note => super::fix::note(app),
        Action::AddProspect => return super::fix::add_request(),
        Action::Inbox => super::inbox_sync::ask(app),
        Action::SendEmail => super::sending::send(app),
        Action::PossibleReplies => super::inbox_sync::possible(app),
        Action::Done => work::done(app),
        Action::Replied => super::replies::reply(app),
        Action::Meeting => work::meeting(app),
        Action::OptOut => work::opt_out(app),
        Action::OptOutDomain => work::opt_out_domain(app),
        Action::Complained => work::log_selected(app, crate::domain::Event::Complained),
        Action::MoveCredit => super::replies::move_credit(app),
        Action::Bounced => work::log_selected(
            app,
            crate::domain::Event::Work(crate::domain::Outcome::Bounced),
        ),
        Action::Skip => work::skip(app),
        Action::Snooze => work::snooze(app),
        Action::Pause => work::pause(app),
        Action::Undo => work::undo(app),
        Action::Enroll => work::enroll(app),
        Action::Remove => work::remove(app),
        Action::PrevSequence => app.stats.step(-1, &app.desk, app.now),
        Action::NextSequence => app.stats.step(1, &app.desk, app.now),
        Action::CyclePeriod => app.stats.cycle_period(&app.desk, app.now),
        Action::Explain => schedule::explain(app),
        Action::TimeOff => schedule::open_time_off(app),
    }
    Effect::None
}

fn show(app: &mut App, view: View) {
    app.view = view;
    match view {
        View::Sequences => app
            .sequences
            .load(&app.desk, app.lints.custom_fields(&app.desk)),
        // Counted afresh each time it is opened: the log may have grown meanwhile.
        View::Stats => app.stats.load(&app.desk, app.now),
        // Loaded by `sync`, only now that it is shown.
        View::Prospects | View::Queue | View::Upcoming => {}
    }
}

fn back(app: &mut App) {
    if super::bulk::clear(app) {
        return app.set_status("Marks cleared.", Tone::Info);
    }
    match app.view {
        View::Queue if !app.queue.filter.is_empty() => {
            app.queue.filter.clear();
            app.refilter();
        }
        View::Queue if app.queue.focus.is_on() => {
            app.queue.focus = Default::default();
            app.refilter();
            app.set_status("The whole queue.", Tone::Info);
        }
        View::Prospects if app.prospects.opened => app.prospects.opened = false,
        View::Prospects if !app.prospects.query.is_empty() => app.prospects.query.clear(),
        View::Prospects if app.prospects.status.is_some() => app.prospects.status = None,
        _ => {}
    }
}

/// The new index after a move in a list of `len` rows showing `page` at a time.
fn moved(sel: usize, len: usize, page: usize, action: Action) -> usize {
    let last = len.saturating_sub(1);
    match action {
        Action::Up => sel.saturating_sub(1),
        Action::Down => (sel + 1).min(last),
        Action::Top => 0,
        Action::Bottom => last,
        Action::PageUp => sel.saturating_sub(page),
        Action::PageDown => (sel + page).min(last),
        _ => sel,
    }
}

fn move_selection(app: &mut App, action: Action) {
    match app.view {
        View::Queue => {
            // Inbound leads, then the conversations, then the other touches: one step at a
            // time crosses between them.
            let q = &mut app.queue;
            let crossed = match action {
                Action::Up | Action::Down => q.cross_tasks(action == Action::Down),
                Action::Top if !q.tasks.is_empty() && q.leads() == 0 => {
                    q.on_task = Some(0);
                    true
                }
                _ => {
                    q.on_task = None;
                    false
                }
            };
            if crossed {
                return;
            }
            // Only the head of a long queue is loaded: load what the move reaches first.
            match action {
                Action::Bottom => app.ensure_all(),
                _ => app.ensure_rows(app.queue.selected + app.page() + 1),
            }
            app.queue.selected = moved(
                app.queue.selected,
                app.queue.visible.len(),
                app.page(),
                action,
            );
        }
        View::Prospects => {
            let p = &mut app.prospects;
            if p.opened {
                // An opened card scrolls instead.
                let by = if matches!(action, Action::Up | Action::PageUp) {
                    -3
                } else {
                    3
                };
                return scroll(app, by);
            }
            let by = match action {
                Action::Up => -1,
                Action::Down => 1,
                Action::PageUp => -10,
                Action::PageDown => 10,
                Action::Top => i64::MIN,
                _ => i64::MAX,
            };
            p.move_by(&app.desk, by);
        }
        View::Sequences => {
            let s = &mut app.sequences;
            let before = s.selected;
            s.selected = moved(s.selected, s.entries.len(), 10, action);
            if s.selected != before {
                s.scroll = 0;
            }
        }
        View::Upcoming => {
            let u = &mut app.upcoming;
            u.selected = moved(u.selected, u.len(), 10, action);
        }
        View::Stats => {
            let by = match action {
                Action::Up => -1,
                Action::Down => 1,
                Action::PageUp => -10,
                Action::PageDown => 10,
                Action::Top => -i32::from(u16::MAX),
                _ => i32::from(u16::MAX),
            };
            scroll(app, by);
            let most = super::views::stats_max_scroll(app, app.size);
            app.stats.scroll = app.stats.scroll.min(most);
        }
    }
}

fn scroll(app: &mut App, by: i32) {
    let field = match app.view {
        View::Queue => &mut app.queue.detail_scroll,
        View::Prospects => &mut app.prospects.scroll,
        View::Sequences => &mut app.sequences.scroll,
        View::Stats => &mut app.stats.scroll,
        View::Upcoming => &mut app.upcoming.scroll,
    };
    let next = (i32::from(*field) + by).clamp(0, i32::from(u16::MAX));
    *field = u16::try_from(next).unwrap_or(0);
    if app.view == View::Queue {
        let most = super::views::detail_max_scroll(app, app.size);
        app.queue.detail_scroll = app.queue.detail_scroll.min(most);
    }
}

/// A key while the filter or search box takes text.
fn text_key(app: &mut App, key: KeyEvent) {
    let prospects = app.view == View::Prospects;
    let text = if prospects {
        &mut app.prospects.query
    } else {
        &mut app.queue.filter
    };
    if line_edit::edit(text, &key) {
        if !prospects {
            app.refilter();
        }
        return;
    }
    match key.code {
        KeyCode::Esc => text.clear(),
        KeyCode::Up | KeyCode::Down => {
            let action = if key.code == KeyCode::Up {
                Action::Up
            } else {
                Action::Down
            };
            return move_selection(app, action);
        }
        _ => {}
    }
    if matches!(key.code, KeyCode::Enter | KeyCode::Esc | KeyCode::Tab) {
        app.queue.filtering = false;
        app.prospects.searching = false;
    }
    if !prospects {
        app.refilter();
    }
}

fn modal_key(app: &mut App, modal: Modal, key: KeyEvent) -> Effect {
    match modal {
        // Any key closes the help.
        Modal::Help | Modal::Explain(_) => Effect::None,
        Modal::TimeOff(t) => {
            schedule::time_off_key(app, t, key);
            Effect::None
        }
        Modal::Pick(p) => pick_key(app, p, key),
        Modal::Setup(s) => {
            super::setup::key(app, *s, key);
            Effect::None
        }
        Modal::Prompt(p) => {
            prompt_key(app, p, key);
            Effect::None
        }
    }
}

fn pick_key(app: &mut App, mut p: Picker, key: KeyEvent) -> Effect {
    let chosen = match key.code {
        KeyCode::Esc => {
            app.set_status("Cancelled.", Tone::Info);
            return Effect::None;
        }
        KeyCode::Char(c) if line_edit::plain(&key) && p.choices.iter().any(|ch| ch.key == c) => {
            p.choices.iter().find(|ch| ch.key == c).cloned()
        }
        KeyCode::Enter => p.choices.get(p.selected).cloned(),
        KeyCode::Down => {
            p.selected = (p.selected + 1).min(p.choices.len().saturating_sub(1));
            None
        }
        KeyCode::Char('j') if line_edit::plain(&key) => {
            p.selected = (p.selected + 1).min(p.choices.len().saturating_sub(1));
            None
        }
        KeyCode::Char('k') if line_edit::plain(&key) => {
            p.selected = p.selected.saturating_sub(1);
            None
        }
        KeyCode::Up => {
            p.selected = p.selected.saturating_sub(1);
            None
        }
        _ => None,
    };
    match chosen {
        Some(choice) => work::apply_pick(app, p.target, choice.value),
        None => {
            app.modal = Some(Modal::Pick(p));
            Effect::None
        }
    }
}

fn prompt_key(app: &mut App, mut p: Prompt, key: KeyEvent) {
    match key.code {
        // The call happened and how it went was said: Esc skips the note, not the call.
        KeyCode::Esc if p.purpose == PromptFor::CallNote => {
            p.input.clear();
            if let Err(e) = work::submit_prompt(app, &p) {
                app.set_status(e, Tone::Error);
            }
            return;
        }
        KeyCode::Esc => {
            app.set_status("Cancelled.", Tone::Info);
            return;
        }
        KeyCode::Enter => {
            if let Err(e) = work::submit_prompt(app, &p) {
                p.error = Some(e);
                app.modal = Some(Modal::Prompt(p));
            }
            return;
        }
        _ => {
            line_edit::edit_at(&mut p.input, &mut p.cursor, &key);
        }
    }
    p.error = None;
    app.modal = Some(Modal::Prompt(p));
}
