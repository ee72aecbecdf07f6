//! Which outcomes fit which step: a call has its outcomes, an email is sent or bounces, the
//! rest are done.

use super::event::EngineError;
use super::types::{Channel, Outcome, PlannedStep};

/// The outcomes that fit a step of this channel.
pub fn outcomes_for(channel: Channel) -> &'static [Outcome] {
    match channel {
        Channel::Email => &[Outcome::Sent, Outcome::Bounced],
        Channel::Call => Outcome::CALL,
        _ => &[Outcome::Done],
    }
}

/// Normalises a work outcome for the step's channel ("done" on an email is "sent").
pub fn fit_outcome(outcome: Outcome, step: usize, s: &PlannedStep) -> Result<Outcome, EngineError> {
    let allowed = outcomes_for(s.channel);
    let fitted = match (s.channel, outcome) {
        (Channel::Email, Outcome::Done) => Outcome::Sent,
        (Channel::Linkedin | Channel::Sms | Channel::Task, Outcome::Sent) => Outcome::Done,
        (_, o) => o,
    };
    if allowed.contains(&fitted) {
        Ok(fitted)
    } else {
        Err(EngineError::WrongOutcome {
            outcome,
            step: step + 1,
            channel: s.channel,
            allowed: allowed
                .iter()
                .map(|o| o.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })
    }
}
