//! The text that went out on each worked touch, rendered as the desk renders the current touch
//! (`Desk::render_current`): the step's template (its A/B variant by the enrollment's ordinal),
//! the prospect's fields, the demo rep as `me`, and the thread's previous subject.

use crate::content::{Me, MergeValues, Rendered, Sequence};
use crate::domain::{Channel, Prospect};
use crate::store::undo::Frozen;

pub struct Texts {
    me: Me,
    /// Whether bodies are frozen too (see `FULL_TEXT_UP_TO` in the module root).
    with_body: bool,
}

impl Texts {
    pub fn new(me: Me, with_body: bool) -> Texts {
        Texts { me, with_body }
    }

    /// The text of step `step` for this prospect. `last_subject` is the newest subject that
    /// went out on the enrollment; without one, the nearest earlier email step's subject keeps
    /// a `Re:` readable, as in the app.
    pub fn render(
        &self,
        p: &Prospect,
        seq: &Sequence,
        step: usize,
        ordinal: i64,
        last_subject: Option<&str>,
    ) -> Rendered {
        let Some(template) = seq.template_for(step, ordinal) else {
            return untemplated(seq, step);
        };
        let planned;
        let previous = match last_subject {
            Some(s) => Some(s),
            None => {
                planned = self.planned_previous_subject(p, seq, step, ordinal);
                planned.as_deref()
            }
        };
        template.render(&MergeValues::new(p, &self.me, previous))
    }

    fn planned_previous_subject(
        &self,
        p: &Prospect,
        seq: &Sequence,
        step: usize,
        ordinal: i64,
    ) -> Option<String> {
        // Only a template that threads needs it: most do not, and rendering costs time.
        let template = seq.template_for(step, ordinal)?;
        if !template.variables().contains("previous.subject") {
            return None;
        }
        let values = MergeValues::new(p, &self.me, None);
        (0..step).rev().find_map(|j| {
            if seq.plan.steps.get(j)?.channel != Channel::Email {
                return None;
            }
            seq.template_for(j, ordinal)
                .and_then(|t| t.render(&values).subject)
        })
    }

    /// What is frozen on the touch record.
    pub fn frozen(&self, r: Rendered, seq: &Sequence, step: usize, ordinal: i64) -> Frozen {
        Frozen {
            subject: r.subject,
            body: self.with_body.then_some(r.body),
            variant: seq.template_for(step, ordinal).map(|t| t.path.clone()),
        }
    }
}

/// A step with no template still says what to do (as the desk's queue does).
fn untemplated(seq: &Sequence, step: usize) -> Rendered {
    let body = match seq.plan.steps.get(step) {
        Some(s) => match s.action {
            Some(a) => format!("LinkedIn: {a} ({})", s.purpose),
            None => format!("{}: {}", s.channel, s.purpose),
        },
        None => String::new(),
    };
    Rendered {
        body,
        ..Rendered::default()
    }
}
