//! What the field knows about good sequences, as checks with a place and a severity:
//! `file:line: warning: message`. The same findings show in the app. A sequence that breaks
//! a rule on purpose says so in its file (`[lint] allow = ["rule"]`, with a `reason`), and
//! the finding shows as waived, with the reason, instead.

mod content;
mod shape;
mod similar;

pub use content::{FILLER, email_words};

use super::sequence::Sequence;
use std::collections::BTreeSet;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Hint,
    /// A rule the sequence breaks on purpose, with its reason.
    Waived,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Hint => "hint",
            Severity::Waived => "waived",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule's name, as a waiver names it (`email-run`, `daily-touches`…).
    pub rule: &'static str,
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

/// Where the findings point and which fields the templates may read.
pub struct LintInput<'a> {
    pub sequence: &'a Sequence,
    /// Custom field names prospects actually have (from the database, when there is one).
    pub custom_fields: &'a BTreeSet<String>,
}

/// Every finding for a sequence, errors first, then in file order. A waived rule's findings
/// come last, saying why.
pub fn lint(input: &LintInput) -> Vec<Finding> {
    let seq = input.sequence;
    let mut out = Vec::new();
    shape::check(seq, &mut out);
    for i in 0..seq.plan.steps.len() {
        content::check(seq, i, input.custom_fields, &mut out);
    }
    similar::check(seq, &mut out);
    for f in &mut out {
        // Errors are never waived: a broken template breaks whatever the reason.
        if f.severity != Severity::Error && seq.lint_allow.iter().any(|r| r == f.rule) {
            f.severity = Severity::Waived;
            f.message = format!("{} ({}: {})", f.message, f.rule, waiver_reason(seq));
        }
    }
    out.sort_by(|a, b| {
        (a.severity, &a.file, a.line, &a.message).cmp(&(b.severity, &b.file, b.line, &b.message))
    });
    out.dedup();
    out
}

fn waiver_reason(seq: &Sequence) -> &str {
    if seq.lint_reason.trim().is_empty() {
        "allowed in the sequence file"
    } else {
        seq.lint_reason.trim()
    }
}

/// Every rule's name, for checking a waiver names one.
pub const RULES: &[&str] = &[
    "few-touches",
    "many-touches",
    "too-long",
    "one-channel",
    "no-breakup",
    "cold-shape",
    "email-run",
    "channel-run",
    "channel-gap",
    "daily-touches",
    "email-length",
    "first-email-length",
    "no-ask",
    "voicemail-length",
    "sms-length",
    "filler",
    "near-duplicate",
    "unknown-field",
];

fn step_line(seq: &Sequence, i: usize) -> usize {
    seq.step_lines.get(i).copied().unwrap_or(1)
}

fn at_step(
    seq: &Sequence,
    i: usize,
    rule: &'static str,
    severity: Severity,
    message: String,
) -> Finding {
    Finding {
        rule,
        severity,
        file: seq.file.clone(),
        line: step_line(seq, i),
        step: Some(i),
        message: format!("step {}: {message}", i + 1),
    }
}

fn whole(seq: &Sequence, rule: &'static str, severity: Severity, message: String) -> Finding {
    Finding {
        rule,
        severity,
        file: seq.file.clone(),
        line: 1,
        step: None,
        message,
    }
}
