//! What the field knows about good sequences, as checks with a place and a severity:
//! `file:line: warning: message`. The same findings show in the app.

use super::located::line_col;
use super::sequence::Sequence;
use super::template::{Template, bracket_placeholders};
use crate::domain::prospect::MERGE_FIELDS;
use crate::domain::{Channel, LinkedinAction};
use std::collections::{BTreeSet, HashMap};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Hint,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Hint => "hint",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub file: String,
    pub line: usize,
    /// The step it concerns (0-based), if any.
    pub step: Option<usize>,
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.file, self.line, self.severity, self.message
        )
    }
}

/// Phrases that add no new value: the reader learns nothing and has no reason to reply.
pub const FILLER: &[&str] = &[
    "just checking in",
    "just following up",
    "circling back",
    "bumping this",
    "touching base",
    "just wanted to follow up",
];

/// Where the findings point and which fields the templates may read.
pub struct LintInput<'a> {
    pub sequence: &'a Sequence,
    /// Custom field names prospects actually have (from the database, when there is one).
    pub custom_fields: &'a BTreeSet<String>,
}

/// Every finding for a sequence, errors first, then in file order.
pub fn lint(input: &LintInput) -> Vec<Finding> {
    let seq = input.sequence;
    let mut out = Vec::new();
    sequence_shape(seq, &mut out);
    for i in 0..seq.plan.steps.len() {
        step_content(seq, i, input.custom_fields, &mut out);
    }
    same_bodies(seq, &mut out);
    out.sort_by(|a, b| {
        (a.severity, &a.file, a.line, &a.message).cmp(&(b.severity, &b.file, b.line, &b.message))
    });
    out.dedup();
    out
}

fn step_line(seq: &Sequence, i: usize) -> usize {
    seq.step_lines.get(i).copied().unwrap_or(1)
}

fn at_step(seq: &Sequence, i: usize, severity: Severity, message: String) -> Finding {
    Finding {
        severity,
        file: seq.file.clone(),
        line: step_line(seq, i),
        step: Some(i),
        message: format!("step {}: {message}", i + 1),
    }
}

/// Rules about the sequence as a whole: count, length, channels, spacing, the ending.
fn sequence_shape(seq: &Sequence, out: &mut Vec<Finding>) {
    let steps = &seq.plan.steps;
    let whole = |severity, message: String| Finding {
        severity,
        file: seq.file.clone(),
        line: 1,
        step: None,
        message,
    };
    if steps.len() < 3 {
        out.push(whole(
            Severity::Warning,
            format!(
                "only {} touches; most replies come after the third",
                steps.len()
            ),
        ));
    }
    if steps.len() > 12 {
        out.push(whole(
            Severity::Warning,
            format!(
                "{} touches; past 12 the extra touches mostly add opt-outs",
                steps.len()
            ),
        ));
    }
    if let Some(last) = steps.last() {
        if last.day > 28 {
            out.push(whole(
                Severity::Warning,
                format!(
                    "runs {} days; past 28 days a cold sequence goes stale",
                    last.day
                ),
            ));
        }
        let channels: BTreeSet<Channel> = steps.iter().map(|s| s.channel).collect();
        if channels.len() == 1 && steps.len() > 1 {
            out.push(whole(
                Severity::Hint,
                format!(
                    "uses {} only; mixing channels gets noticeably more replies",
                    last.channel
                ),
            ));
        }
        if !last.purpose.to_lowercase().contains("breakup") {
            let i = steps.len() - 1;
            out.push(at_step(
                seq,
                i,
                Severity::Hint,
                "the last step is not a breakup; a clear last message often gets the most replies"
                    .into(),
            ));
        }
    }
    let mut run = 0;
    for (i, s) in steps.iter().enumerate() {
        run = if s.channel == Channel::Email {
            run + 1
        } else {
            0
        };
        if run == 4 {
            out.push(at_step(
                seq,
                i,
                Severity::Warning,
                "four emails in a row; that raises unsubscribes and spam complaints about threefold"
                    .into(),
            ));
        }
    }
    // Same channel less than 2 days apart (a LinkedIn view is silent, so it does not count).
    // Steps timed to a decision date have no day of their own: their spacing is the dates'.
    let mut last_on: HashMap<Channel, (usize, u32)> = HashMap::new();
    for (i, s) in steps.iter().enumerate() {
        if s.action == Some(LinkedinAction::View) {
            continue;
        }
        if s.decision.is_some() {
            last_on.remove(&s.channel);
            continue;
        }
        if let Some((j, day)) = last_on.get(&s.channel) {
            if s.day - day < 2 {
                out.push(at_step(
                    seq,
                    i,
                    Severity::Warning,
                    format!(
                        "{} again {} day(s) after step {}; give it at least 2 days",
                        s.channel,
                        s.day - day,
                        j + 1
                    ),
                ));
            }
        }
        last_on.insert(s.channel, (i, s.day));
    }
}

/// Rules about one step's template(s).
fn step_content(seq: &Sequence, i: usize, custom: &BTreeSet<String>, out: &mut Vec<Finding>) {
    let Some(step) = seq.plan.steps.get(i) else {
        return;
    };
    let paths = seq.step_templates.get(i).cloned().unwrap_or_default();
    if paths.is_empty() {
        if step.channel == Channel::Call {
            out.push(at_step(
                seq,
                i,
                Severity::Error,
                "a call step needs a call script".into(),
            ));
        }
        if step.action == Some(LinkedinAction::Connect) || step.channel == Channel::Sms {
            out.push(at_step(
                seq,
                i,
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
        let mut push = |severity, line: usize, message: String| {
            out.push(Finding {
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
                        Severity::Error,
                        1,
                        "an email needs a subject in its front matter".into(),
                    );
                }
                let words = email_words(&t.body);
                if !(50..=125).contains(&words) {
                    push(
                        Severity::Warning,
                        t.body_line(),
                        format!("the email is {words} words; 50 to 125 get the most replies"),
                    );
                }
            }
            Channel::Call if t.body.trim().is_empty() => {
                push(
                    Severity::Error,
                    t.body_line(),
                    "the call script is empty".into(),
                );
            }
            Channel::Linkedin if step.action == Some(LinkedinAction::Connect) => {
                let n = sample_length(&t.body);
                if n > 300 {
                    push(
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
                    Severity::Warning,
                    body_at(at),
                    format!("\"{phrase}\" adds nothing new; give a new reason to reply"),
                );
            }
        }
        for p in bracket_placeholders(&t.body) {
            let at = t.body.find(&p).unwrap_or(0);
            push(
                Severity::Error,
                body_at(at),
                format!("placeholder {p} left in"),
            );
        }
        for p in t.subject.iter().flat_map(|s| bracket_placeholders(s)) {
            push(
                Severity::Error,
                2,
                format!("placeholder {p} left in the subject"),
            );
        }
        for var in t.variables() {
            if let Some(problem) = unknown_variable(&var, custom) {
                push(Severity::Warning, variable_line(t, &var), problem);
            }
            if var == "previous.subject" && first_email.is_none_or(|f| f >= i) {
                push(
                    Severity::Error,
                    variable_line(t, &var),
                    "previous.subject is used before any email went out".into(),
                );
            }
        }
    }
}

/// Why a template variable cannot be filled, or `None` when something can fill it.
fn unknown_variable(var: &str, custom: &BTreeSet<String>) -> Option<String> {
    if MERGE_FIELDS.contains(&var) || custom.contains(var) {
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
fn sample_length(body: &str) -> usize {
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

/// Two steps with the same body: the same message on another channel adds nothing.
fn same_bodies(seq: &Sequence, out: &mut Vec<Finding>) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, paths) in seq.step_templates.iter().enumerate() {
        for path in paths {
            let Some(t) = seq.templates.get(path) else {
                continue;
            };
            let key: String = t.body.split_whitespace().collect::<Vec<_>>().join(" ");
            if key.is_empty() {
                continue;
            }
            match seen.get(&key) {
                Some(j) if *j != i => out.push(at_step(
                    seq,
                    i,
                    Severity::Warning,
                    format!("has the same text as step {}; say something new", j + 1),
                )),
                Some(_) => {}
                None => {
                    seen.insert(key, i);
                }
            }
        }
    }
}
