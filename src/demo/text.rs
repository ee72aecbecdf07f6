//! The text that went out on each worked touch of the demo's history, through the same
//! renderer as the queue ([`render_step`]), with the demo rep as `me`.

use crate::content::{Me, MergeValues, Rendered, Sequence, render_step};
use crate::desk::bulk_load::Frozen;
use crate::domain::Prospect;

pub struct Texts {
    me: Me,
}

impl Texts {
    pub fn new(me: Me) -> Texts {
        Texts { me }
    }

    /// What a template reads for this prospect: made once for all their texts.
    pub fn values(&self, p: &Prospect) -> MergeValues {
        MergeValues::of(p, &self.me)
    }

    /// The text of step `step` for the prospect `values` were made for, as the desk renders
    /// it.
    pub fn render(
        &self,
        values: &MergeValues,
        seq: &Sequence,
        step: usize,
        ordinal: i64,
        last_subject: Option<&str>,
    ) -> Rendered {
        render_step(seq, step, ordinal, values, last_subject)
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
