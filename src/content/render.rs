//! The text of one step for one prospect: the one renderer the queue, the log and the demo
//! all use, so a touch reads the same wherever it is shown or frozen.

use super::template::bracket_placeholders;
use super::{MergeValues, Rendered, Sequence};
use crate::domain::Channel;

/// The text of step `step` (0-based) for the prospect `values` were made for
/// (`MergeValues::of`, once for all their steps), in the A/B variant the enrollment's
/// `ordinal` picks. `last_subject` is the newest subject that went out on the enrollment;
/// without one, the nearest earlier email step's subject keeps a `Re:` thread readable.
pub fn render_step(
    seq: &Sequence,
    step: usize,
    ordinal: i64,
    values: &MergeValues,
    last_subject: Option<&str>,
) -> Rendered {
    let Some(template) = seq.template_for(step, ordinal) else {
        return untemplated(seq, step);
    };
    let planned;
    let previous = match last_subject {
        Some(s) => Some(s),
        // Only a template that threads needs it: most do not, and rendering costs time.
        None if template.variables().contains("previous.subject") => {
            planned = planned_previous_subject(seq, step, ordinal, values);
            planned.as_deref()
        }
        None => None,
    };
    template.render(&values.after(previous))
}

/// The subject the nearest earlier email step would have had.
fn planned_previous_subject(
    seq: &Sequence,
    step: usize,
    ordinal: i64,
    values: &MergeValues,
) -> Option<String> {
    let values = values.after(None);
    (0..step).rev().find_map(|j| {
        if seq.plan.steps.get(j)?.channel != Channel::Email {
            return None;
        }
        seq.template_for(j, ordinal)
            .and_then(|t| t.render(&values).subject)
    })
}

/// A step with no template still tells the rep what to do.
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

const SUBJECT: &str = "Subject: ";

/// A touch's text as a file the rep edits (in `$EDITOR`, or for `log --text`): a
/// `Subject:` line first when the touch has one.
pub fn to_file_text(r: &Rendered) -> String {
    match &r.subject {
        Some(s) => format!("{SUBJECT}{s}\n\n{}\n", r.body),
        None => format!("{}\n", r.body),
    }
}

/// Reads the edited file back. The rep's own text is ready unless it still holds a gap the
/// template left (`⟨company⟩`) or a `[Placeholder]`.
pub fn from_file_text(text: &str, original: &Rendered) -> Rendered {
    let text = text.replace("\r\n", "\n");
    let (subject, body) = match (&original.subject, text.strip_prefix(SUBJECT)) {
        (Some(_), Some(rest)) => {
            let (line, body) = rest.split_once('\n').unwrap_or((rest, ""));
            (Some(line.trim().to_string()), body)
        }
        (other, _) => (other.clone(), text.as_str()),
    };
    let body = body.trim().to_string();
    let mut problems = Vec::new();
    for part in [subject.as_deref(), Some(body.as_str())]
        .into_iter()
        .flatten()
    {
        for gap in gaps(part) {
            let p = format!("missing {gap}");
            if !problems.contains(&p) {
                problems.push(p);
            }
        }
        for p in bracket_placeholders(part) {
            let p = format!("placeholder {p} left in the text");
            if !problems.contains(&p) {
                problems.push(p);
            }
        }
    }
    Rendered {
        subject,
        body,
        voicemail: original.voicemail.clone(),
        problems,
    }
}

/// A text that went out with its gaps, as it is kept: each `⟨field⟩` marker (which means
/// "missing now" wherever touchbase shows one) becomes `[field]`.
pub fn fill_gaps(text: &str) -> String {
    text.replace('⟨', "[").replace('⟩', "]")
}

/// The `⟨field⟩` markers rendering leaves where a field was missing.
fn gaps(text: &str) -> Vec<String> {
    text.split('⟨')
        .skip(1)
        .filter_map(|s| s.split_once('⟩').map(|(name, _)| name.to_string()))
        .collect()
}
