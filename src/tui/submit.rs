//! Enter in a prompt: what the typed line means for each kind of prompt, and the action it
//! takes.

use super::app::{App, Tone};
use super::bulk;
use super::modal::{self, Conversation, Modal, Prompt, PromptFor, Target};
use super::replies;
use super::update::Effect;
use super::when::{parse_day, parse_moment};
use super::work::{log_event, reload, send};
use crate::desk::{EnrollRequest, LogRequest, ReplyDetails, parse_referral};
use crate::domain::{Event, ReplyKind};

/// Enter in a prompt. An error keeps the prompt open with the reason.
pub fn submit_prompt(app: &mut App, p: &Prompt) -> Result<(), String> {
    let today = app.clock.now().date();
    let input = p.input.trim();
    let later_day = |s: &str| {
        let d = parse_day(s, today)?;
        if d <= today {
            return Err(format!("{d} is not after today"));
        }
        Ok(d)
    };
    // A reply's details, then: on a call, a note comes next; otherwise it is logged now.
    let reply = |app: &mut App, details: ReplyDetails| match &p.call {
        Some(_) => {
            let call = Conversation::Reply(details);
            app.modal = Some(modal::call_note(p.target.clone(), call));
        }
        None => replies::log_reply(app, &p.target, details),
    };
    let event = match p.purpose {
        PromptFor::NotNowDate => {
            let details = ReplyDetails {
                kind: Some(ReplyKind::NotNow),
                back_on: Some(later_day(input)?),
                referral: None,
            };
            reply(app, details);
            return Ok(());
        }
        PromptFor::Referral => {
            let details = ReplyDetails {
                kind: Some(ReplyKind::Referral),
                back_on: None,
                referral: Some(parse_referral(input).map_err(|e| format!("{e:#}"))?),
            };
            reply(app, details);
            return Ok(());
        }
        PromptFor::Note => return super::fix::submit_note(app, p.target.prospect_id, input),
        PromptFor::EnrollWho => {
            if input.is_empty() {
                return Err("type an email address or a prospect id, or Esc".to_string());
            }
            let req = EnrollRequest {
                sequence: p.sequence.clone().unwrap_or_default(),
                start: None,
                force: false,
            };
            return match app.desk.enroll(input, &req, app.clock.now()) {
                Ok(msg) => {
                    app.set_status(msg, Tone::Info);
                    reload(app);
                    Ok(())
                }
                Err(e) => Err(format!("{e:#}")),
            };
        }
        PromptFor::CallNote => {
            let call = p.call.clone().ok_or("no call to note")?;
            replies::log_call(app, &p.target, call, input, p.meeting_at);
            return Ok(());
        }
        PromptFor::MeetingWhen => {
            let at = parse_moment(input, app.clock.now())?;
            match &p.call {
                Some(call) => {
                    app.modal = Some(match modal::call_note(p.target.clone(), call.clone()) {
                        Modal::Prompt(note) => Modal::Prompt(Prompt {
                            meeting_at: at,
                            ..note
                        }),
                        other => other,
                    });
                }
                None => {
                    let req = LogRequest {
                        meeting_at: at,
                        ..LogRequest::new(p.target.prospect_id, p.target.touch, Event::Meeting)
                    };
                    send(app, req);
                }
            }
            return Ok(());
        }
        PromptFor::SnoozeDate => Event::Snooze {
            until: later_day(input)?,
        },
        PromptFor::PauseUntil if input.is_empty() => Event::Pause { until: None },
        PromptFor::PauseUntil => Event::Pause {
            until: Some(later_day(input)?),
        },
        _ if input.is_empty() => return Err("type a reason, or Esc".to_string()),
        PromptFor::SkipReason => Event::Skip {
            reason: input.to_string(),
        },
        PromptFor::RemoveReason => Event::Remove {
            reason: input.to_string(),
        },
    };
    match (p.target.prospect_id, bulk::marked(app)) {
        (0, Some(all)) => {
            bulk_event(app, &all, event);
        }
        _ => log_event(app, &p.target, event),
    }
    Ok(())
}

/// One event for every marked prospect, said as what was done to them.
pub(super) fn bulk_event(app: &mut App, all: &[Target], event: Event) -> Effect {
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
