//! Rules about one step's template(s): length for the channel, a clear ask, filler,
//! placeholders, fields nothing can fill, and template errors found before send time.

use super::{Finding, Severity, at_step};
use crate::content::located::line_col;
use crate::content::sequence::Sequence;
use crate::content::template::{Me, MergeValues, Template, bracket_placeholders};
use crate::domain::fields::is_merge_field;
use crate::domain::{Channel, LinkedinAction, Prospect};
use std::collections::BTreeSet;

/// Phrases that add no new value: the reader learns nothing and has no reason to reply.
pub const FILLER: &[&str] = &[
    "just checking in",
    "just following up",
    "circling back",
    "bumping this",
    "touching base",
    "just wanted to follow up",
];

/// About 30 seconds of speech.
const VOICEMAIL_WORDS: usize = 75;

/// Rules about one step's template(s).
pub fn check(seq: &Sequence, i: usize, custom: &BTreeSet<String>, out: &mut Vec<Finding>) {
    let Some(step) = seq.plan.steps.get(i) else {
        return;
    };
    let paths = seq.step_templates.get(i).cloned().unwrap_or_default();
    if paths.is_empty() {
        if step.channel == Channel::Call {
            out.push(at_step(
                seq,
                i,
                "missing-template",
                Severity::Error,
                "a call step needs a call script".into(),
            ));
        }
        if step.action == Some(LinkedinAction::Connect) || step.channel == Channel::Sms {
            out.push(at_step(
                seq,
                i,
                "missing-template",
                Severity::Error,
                "this step needs a message template".into(),
            ));
        }
        return;
    }
    let first_email = seq
        .plan
        .steps
        .iter()
        .position(|s| s.channel == Channel::Email);
    for path in &paths {
        let Some(t) = seq.templates.get(path) else {
            continue;
        };
        let file = seq
            .template_files
            .get(path)
            .cloned()
            .unwrap_or_else(|| path.clone());
        let mut push = |rule: &'static str, severity, line: usize, message: String| {
            out.push(Finding {
                rule,
                severity,
                file: file.clone(),
                line,
                step: Some(i),
                message: format!("step {}: {message}", i + 1),
            })
        };
        let body_at = |offset: usize| t.body_line() + line_col(&t.body, offset).0 - 1;
        match step.channel {
            Channel::Email => {
                if t.subject.as_deref().is_none_or(|s| s.trim().is_empty()) {
                    push(
                        "no-subject",
                        Severity::Error,
                        1,
                        "an email needs a subject in its front matter".into(),
                    );
                }
                let words = email_words(&t.body);
                // The first email introduces: it needs room for who, why them and the ask.
                let (range, rule) = if first_email == Some(i) {
                    (75..=125, "first-email-length")
                } else {
                    (50..=125, "email-length")
                };
                if !range.contains(&words) {
                    let which = if first_email == Some(i) {
                        "the first email"
                    } else {
                        "the email"
                    };
                    push(
                        rule,
                        Severity::Warning,
                        t.body_line(),
                        format!(
                            "{which} is {words} words; {} to {} get the most replies",
                            range.start(),
                            range.end()
                        ),
                    );
                }
                if !asks(&t.body) {
                    push(
                        "no-ask",
                        Severity::Warning,
                        t.body_line(),
                        "no clear ask: end with a question or one concrete next step".into(),
                    );
                }
            }
            Channel::Call if t.body.trim().is_empty() => {
                push(
                    "missing-template",
                    Severity::Error,
                    t.body_line(),
                    "the call script is empty".into(),
                );
            }
            Channel::Call => {
                let words = t.voicemail.as_deref().map_or(0, email_words);
                if words > VOICEMAIL_WORDS {
                    push(
                        "voicemail-length",
                        Severity::Warning,
                        2,
                        format!(
                            "the voicemail is {words} words, over 30 seconds; keep it under {VOICEMAIL_WORDS}"
                        ),
                    );
                }
            }
            Channel::Linkedin if step.action == Some(LinkedinAction::Connect) => {
                let n = sample_length(&t.body);
                if n > 300 {
                    push(
                        "connect-length",
                        Severity::Error,
                        t.body_line(),
                        format!("the connection note is about {n} characters; LinkedIn allows 300"),
                    );
                }
            }
            Channel::Sms => {
                let n = sample_length(&t.body);
                if n > 160 {
                    push(
                        "sms-length",
                        Severity::Warning,
                        t.body_line(),
                        format!("the text is about {n} characters; one SMS holds 160"),
                    );
                }
            }
            _ => {}
        }
        let lower = t.body.to_lowercase();
        for phrase in FILLER {
            if let Some(at) = lower.find(phrase) {
                push(
                    "filler",
                    Severity::Warning,
                    body_at(at),
                    format!("\"{phrase}\" adds nothing new; give a new reason to reply"),
                );
            }
        }
        for p in bracket_placeholders(&t.body) {
            let at = t.body.find(&p).unwrap_or(0);
            push(
                "placeholder",
                Severity::Error,
                body_at(at),
                format!("placeholder {p} left in"),
            );
        }
        for p in t.subject.iter().flat_map(|s| bracket_placeholders(s)) {
            push(
                "placeholder",
                Severity::Error,
                2,
                format!("placeholder {p} left in the subject"),
            );
        }
        for var in t.variables() {
            if let Some(problem) = unknown_variable(var, custom) {
                push(
                    "unknown-field",
                    Severity::Warning,
                    variable_line(t, var),
                    problem,
                );
            }
            if var == "previous.subject" && first_email.is_none_or(|f| f >= i) {
                push(
                    "previous-subject",
                    Severity::Error,
                    variable_line(t, var),
                    "previous.subject is used before any email went out".into(),
                );
            }
        }
        // A filter that does not exist, a wrong argument: found now, not at send time.
        for failure in render_errors(t) {
            let problem = format!("template {}: {}", t.path, failure.message);
            push("template-error", Severity::Error, failure.line, problem);
        }
    }
}

/// Errors rendering `t` for a prospect whose every field is filled, where each is.
fn render_errors(t: &Template) -> Vec<crate::content::Located> {
    let values = MergeValues::new(&sample_prospect(), &sample_me(), Some("Earlier subject"));
    t.render_failures(&values)
}

fn sample_prospect() -> Prospect {
    Prospect {
        first_name: "Dana".into(),
        last_name: "Reyes".into(),
        email: Some("dana@northwind.example".into()),
        phone: Some("+1 415 555 0100".into()),
        linkedin: Some("https://www.linkedin.com/in/dana-reyes".into()),
        company: Some("Northwind".into()),
        title: Some("VP Operations".into()),
        city: Some("Chicago".into()),
        timezone: Some("America/Chicago".into()),
        ..Prospect::default()
    }
}

fn sample_me() -> Me {
    Me {
        name: "Sam Carter".into(),
        company: "Relaypoint".into(),
        signature: "Sam Carter\nRelaypoint".into(),
    }
}

/// Whether an email asks for something: a question, or a plain call to action.
fn asks(body: &str) -> bool {
    let text = body.to_lowercase();
    const ASKS: &[&str] = &[
        "reply",
        "let me know",
        "send me",
        "send them",
        "book a",
        "pick a time",
        "grab a time",
        "point me",
        "pointing me",
        "yes or no",
    ];
    text.contains('?') || ASKS.iter().any(|cta| text.contains(cta))
}

/// Why a template variable cannot be filled, or `None` when something can fill it.
fn unknown_variable(var: &str, custom: &BTreeSet<String>) -> Option<String> {
    if is_merge_field(var) || custom.contains(var) {
        return None;
    }
    match var {
        "me.name" | "me.company" | "me.signature" | "previous.subject" | "me" | "previous" => None,
        v if v.starts_with("me.") => Some(format!(
            "{v} is not a config value (me.name, me.company, me.signature)"
        )),
        v => Some(format!(
            "no prospect field or known custom field is called {v}; touches will not be ready"
        )),
    }
}

fn variable_line(t: &Template, var: &str) -> usize {
    match t.body.find(var) {
        Some(at) => t.body_line() + line_col(&t.body, at).0 - 1,
        None => 2,
    }
}

/// Words of an email body as the reader sees them: a merge field counts as one word and the
/// signature block as none.
pub fn email_words(body: &str) -> usize {
    let mut text = String::new();
    let mut rest = body;
    while let Some((before, after)) = rest.split_once("{{") {
        text.push_str(before);
        let (field, tail) = after.split_once("}}").unwrap_or((after, ""));
        if !field.contains("me.signature") {
            text.push_str(" word ");
        }
        rest = tail;
    }
    text.push_str(rest);
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// Characters after filling merge fields with typical values (a name is about 8 characters,
/// a company about 12).
pub fn sample_length(body: &str) -> usize {
    let mut n = 0;
    let mut rest = body.trim();
    while let Some((before, after)) = rest.split_once("{{") {
        n += before.chars().count();
        let (field, tail) = after.split_once("}}").unwrap_or((after, ""));
        n += if field.contains("company") { 12 } else { 8 };
        rest = tail;
    }
    n + rest.chars().count()
}
