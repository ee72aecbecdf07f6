//! Enter in a prompt: what the typed line means for each kind of prompt, and the action it
//! takes.

use super::app::{App, Tone};
use super::bulk;
use super::modal::{self, Conversation, Modal, Person, Prompt, PromptFor, Target};
use super::replies;
use super::update::Effect;
use super::when::{parse_day, parse_moment};
use super::work::{log_event, reload, send};
use crate::desk::{EnrollRequest, Happened, LogRequest, ReplyDetails, parse_referral};
use crate::domain::{Event, ReplyKind};
use chrono::NaiveDate;

/// Enter in a prompt. An error keeps the prompt open with the reason.
pub fn submit_prompt(app: &mut App, p: &Prompt) -> Result<(), String> {
    let input = p.input.trim();
    match p.purpose {
        PromptFor::NotNowDate | PromptFor::Referral => reply_details(app, p, input),
        PromptFor::Note => super::fix::submit_note(app, person(p)?.prospect_id, input),
        PromptFor::EnrollWho => enroll_who(app, p, input),
        PromptFor::DecisionDate => enroll_with_decision(app, p, input),
        PromptFor::CallNote => {
            let call = p.call.clone().ok_or("no call to note")?;
            replies::log_call(app, person(p)?, call, input, p.meeting_at);
            Ok(())
        }
        PromptFor::MeetingWhen => meeting_when(app, p, input),
        PromptFor::ConversationMeeting => conversation_meeting(app, p, input),
        PromptFor::ClosedWhy(won) => {
            if input.is_empty() {
                return Err("type why, or Esc".to_string());
            }
            let reason = input.to_string();
            let step = crate::desk::NextStep::Closed { won, reason };
            super::work::next_step(app, person(p)?, &step);
            Ok(())
        }
        PromptFor::SnoozeDate
        | PromptFor::PauseUntil
        | PromptFor::SkipReason
        | PromptFor::RemoveReason => {
            let event = event_for(p.purpose, input, app.clock.now().date())?;
            match (&p.target, bulk::marked(app)) {
                (Target::Marked(_), Some(all)) => {
                    bulk_event(app, &all, event);
                }
                _ => log_event(app, person(p)?, event),
            }
            Ok(())
        }
    }
}

/// The one prospect a prompt is about.
fn person(p: &Prompt) -> Result<&Person, String> {
    match &p.target {
        Target::One(person) => Ok(person),
        _ => Err("select one prospect for this, or Esc".to_string()),
    }
}

/// A day after today, typed as the prompts take it ("fri", "2027-01-11", "+3").
fn later_day(input: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let d = parse_day(input, today)?;
    if d <= today {
        return Err(format!("{d} is not after today"));
    }
    Ok(d)
}

/// A reply's details (not now until a day, or whom they referred): on a call a note comes
/// next; otherwise it is logged now.
fn reply_details(app: &mut App, p: &Prompt, input: &str) -> Result<(), String> {
    let today = app.clock.now().date();
    let details = match p.purpose {
        PromptFor::NotNowDate => ReplyDetails {
            kind: Some(ReplyKind::NotNow),
            back_on: Some(later_day(input, today)?),
            referral: None,
        },
        _ => ReplyDetails {
            kind: Some(ReplyKind::Referral),
            back_on: None,
            referral: Some(parse_referral(input).map_err(|e| format!("{e:#}"))?),
        },
    };
    match &p.call {
        Some(_) => {
            let call = Conversation::Reply(details);
            app.modal = Some(modal::call_note(person(p)?.clone(), call));
        }
        None => replies::log_reply(app, person(p)?, details),
    }
    Ok(())
}

/// `e` in Sequences: enrolls the prospect typed (an email or an id).
fn enroll_who(app: &mut App, p: &Prompt, input: &str) -> Result<(), String> {
    if input.is_empty() {
        return Err("type an email address or a prospect id, or Esc".to_string());
    }
    let req = EnrollRequest {
        sequence: p.sequence.clone().unwrap_or_default(),
        start: None,
        force: false,
    };
    match app.desk.enroll(input, &req, app.clock.now()) {
        Ok(msg) => {
            app.set_status(msg, Tone::Info);
            reload(app);
            Ok(())
        }
        Err(e) => Err(format!("{e:#}")),
    }
}

/// A sequence timed to the decision date, with the date the rep typed.
fn enroll_with_decision(app: &mut App, p: &Prompt, input: &str) -> Result<(), String> {
    let now = app.clock.now();
    let decision_on = parse_day(input, now.date())?;
    let t = person(p)?;
    let req = EnrollRequest {
        sequence: p.sequence.clone().unwrap_or_default(),
        start: None,
        force: false,
    };
    let terms = crate::domain::Terms {
        decision_on: Some(decision_on),
        ..crate::domain::Terms::default()
    };
    let key = t.prospect_id.to_string();
    match app.desk.enroll_on_terms(&key, &req, terms, now) {
        Ok(msg) => {
            app.set_status(msg, Tone::Info);
            reload(app);
            Ok(())
        }
        Err(e) => Err(format!("{e:#}")),
    }
}

/// When the meeting is: on a call a note comes next; otherwise the meeting is logged now.
fn meeting_when(app: &mut App, p: &Prompt, input: &str) -> Result<(), String> {
    let at = parse_moment(input, app.clock.now())?;
    let t = person(p)?;
    match &p.call {
        Some(call) => {
            app.modal = Some(match modal::call_note(t.clone(), call.clone()) {
                Modal::Prompt(note) => Modal::Prompt(Prompt {
                    meeting_at: at,
                    ..note
                }),
                other => other,
            });
        }
        None => {
            let at = at.map(|at| app.zone.to_utc(at));
            let meeting = Happened::Meeting { at, credit: None };
            send(app, LogRequest::new(t.prospect_id, t.touch, meeting));
        }
    }
    Ok(())
}

/// A conversation's meeting: a new booking is logged as a meeting (credited as one); a
/// meeting already booked moves.
fn conversation_meeting(app: &mut App, p: &Prompt, input: &str) -> Result<(), String> {
    let at = parse_moment(input, app.clock.now())?.ok_or("give a day and a time, or Esc")?;
    let at = app.zone.to_utc(at);
    let t = person(p)?;
    let booked = app
        .queue
        .selected_task()
        .is_some_and(|task| task.conversation.task == crate::domain::conversation::Task::Meeting);
    if booked {
        super::work::next_step(app, t, &crate::desk::NextStep::Moved(at));
    } else {
        let meeting = Happened::Meeting {
            at: Some(at),
            credit: None,
        };
        send(app, LogRequest::new(t.prospect_id, None, meeting));
    }
    Ok(())
}

/// The event a snooze, pause, skip or removal prompt asks for.
fn event_for(purpose: PromptFor, input: &str, today: NaiveDate) -> Result<Event, String> {
    Ok(match purpose {
        PromptFor::SnoozeDate => Event::Snooze {
            until: later_day(input, today)?,
        },
        PromptFor::PauseUntil if input.is_empty() => Event::Pause { until: None },
        PromptFor::PauseUntil => Event::Pause {
            until: Some(later_day(input, today)?),
        },
        _ if input.is_empty() => return Err("type a reason, or Esc".to_string()),
        PromptFor::SkipReason => Event::Skip {
            reason: input.to_string(),
        },
        _ => Event::Remove {
            reason: input.to_string(),
        },
    })
}

/// One event for every marked prospect, said as what was done to them.
pub(super) fn bulk_event(app: &mut App, all: &[Person], event: Event) -> Effect {
    let today = app.clock.now().date();
    let what = match &event {
        Event::Snooze { until } => {
            format!("snoozed until {}", crate::desk::day_label(*until, today))
        }
        Event::Pause { until: Some(d) } => {
            format!("paused until {}", crate::desk::day_label(*d, today))
        }
        Event::Pause { until: None } => "paused".to_string(),
        Event::Remove { reason } => format!("removed from their sequences ({reason})"),
        _ => "changed".to_string(),
    };
    bulk::log_all(app, all, &event, &what);
    Effect::None
}
