//! The text that went out on each worked touch of the demo's history, through the same
//! renderer as the queue ([`render_step`]), with the demo rep as `me`.

use crate::content::{Me, Rendered, Sequence, render_step};
use crate::desk::bulk_load::Frozen;
use crate::domain::Prospect;

pub struct Texts {
    me: Me,
}

impl Texts {
    pub fn new(me: Me) -> Texts {
        Texts { me }
    }

    /// The text of step `step` for this prospect, as the desk renders it.
    pub fn render(
        &self,
        p: &Prospect,
        seq: &Sequence,
        step: usize,
        ordinal: i64,
        last_subject: Option<&str>,
    ) -> Rendered {
        render_step(seq, step, ordinal, p, &self.me, last_subject)
    }

    /// What is frozen on the touch record.
    pub fn frozen(&self, r: Rendered, seq: &Sequence, step: usize, ordinal: i64) -> Frozen {
        Frozen {
            subject: r.subject,
            body: Some(r.body),
            variant: seq.template_for(step, ordinal).map(|t| t.path.clone()),
        }
    }
}
