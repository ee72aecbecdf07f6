//! Sequence files: TOML with ordered steps, each pointing at its template(s).

use super::located::Located;
use super::template::Template;
use crate::domain::{Channel, LinkedinAction, Plan, PlannedStep, Trigger};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use toml::Spanned;

/// Where a sequence came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Origin {
    Builtin,
    User(String),
    /// The frozen copy an enrollment runs on.
    Snapshot,
}

/// A loaded, checked sequence: its plan for the engine and its templates for rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sequence {
    pub name: String,
    pub title: String,
    pub description: String,
    pub origin: Origin,
    pub plan: Plan,
    /// For each step, its template paths (one, several A/B variants, or none).
    pub step_templates: Vec<Vec<String>>,
    pub templates: BTreeMap<String, Template>,
    /// The raw text of each template, kept so a snapshot is exact.
    pub sources: BTreeMap<String, String>,
    /// The file it was read from, as shown in messages.
    pub file: String,
    /// The line of each step's `[[steps]]` table in that file (for lint findings).
    pub step_lines: Vec<usize>,
    /// Each template's path as shown in messages (the rep's file or the built-in).
    pub template_files: BTreeMap<String, String>,
    /// Lint rules this sequence breaks on purpose (`[lint] allow`), and why.
    pub lint_allow: Vec<String>,
    pub lint_reason: String,
    /// The sequence someone who answers "not now" comes back into on their day (default
    /// `re-engagement`).
    pub not_now: Option<String>,
}

/// `[lint]` in a sequence file: rules it breaks on purpose, with the reason.
#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(deny_unknown_fields)]
struct LintTable {
    #[serde(default)]
    allow: Vec<Spanned<String>>,
    #[serde(default)]
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SequenceFile {
    title: String,
    #[serde(default)]
    description: String,
    trigger: Option<Spanned<String>>,
    working_days_only: Option<bool>,
    cool_off_days: Option<u32>,
    not_now: Option<String>,
    #[serde(default)]
    steps: Vec<Spanned<StepFile>>,
    lint: Option<LintTable>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StepFile {
    day: Option<Spanned<u32>>,
    /// Days from the decision date (negative before it), instead of a day.
    decision: Option<Spanned<i32>>,
    channel: Spanned<String>,
    action: Option<Spanned<String>>,
    #[serde(default)]
    purpose: String,
    template: Option<Spanned<String>>,
    variants: Option<Spanned<Vec<String>>>,
    /// false: the email starts a thread of its own instead of answering the one before.
    thread: Option<Spanned<bool>>,
}

/// The frozen form stored with each enrollment.
#[derive(Serialize, Deserialize)]
struct Snapshot {
    name: String,
    title: String,
    description: String,
    plan: Plan,
    step_templates: Vec<Vec<String>>,
    sources: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    lint_allow: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    lint_reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    not_now: Option<String>,
}

/// The most steps a sequence may have: far beyond any cadence, and a bound on the work every
/// command does with it.
pub const MAX_STEPS: usize = 100;

/// Finds a template by its path: its text and the path to name in errors, or why not.
pub type ReadTemplate<'a> = dyn Fn(&str) -> Result<(String, String), String> + 'a;

impl Sequence {
    /// Parses a sequence file. `read_template` finds a template by its path and returns its
    /// text and the path to name in errors.
    pub fn parse(
        name: &str,
        file: &str,
        text: &str,
        origin: Origin,
        default_cool_off: Option<u32>,
        read_template: &ReadTemplate,
    ) -> Result<Sequence, Located> {
        let f: SequenceFile =
            toml::from_str(text).map_err(|e| Located::from_toml(file, text, &e, 0))?;
        let at = |span: std::ops::Range<usize>, msg: String| {
            Located::at_offset(file, text, span.start, msg)
        };
        let trigger = match &f.trigger {
            Some(t) => t
                .get_ref()
                .parse::<Trigger>()
                .map_err(|m| at(t.span(), m))?,
            None => Trigger::Cold,
        };
        if f.steps.is_empty() {
            return Err(Located::new(
                file,
                1,
                1,
                "a sequence needs at least one [[steps]]",
            ));
        }
        if let Some(extra) = f.steps.get(MAX_STEPS) {
            return Err(at(
                extra.span(),
                format!("a sequence has at most {MAX_STEPS} steps; split it into two"),
            ));
        }
        let mut steps = Vec::new();
        let mut step_templates = Vec::new();
        let mut templates = BTreeMap::new();
        let mut sources = BTreeMap::new();
        let mut template_files = BTreeMap::new();
        let mut step_lines = Vec::new();
        let mut last_day = 1;
        let mut last_decision: Option<i32> = None;
        for (i, s) in f.steps.iter().enumerate() {
            let span = s.span();
            step_lines.push(super::located::line_col(text, span.start).0);
            let s = s.get_ref();
            let (day, decision) = match (&s.day, &s.decision) {
                (Some(d), None) => {
                    let day = *d.get_ref();
                    if day < 1 {
                        return Err(at(d.span(), "day counts from 1".into()));
                    }
                    if i == 0 && day != 1 {
                        return Err(at(d.span(), "the first step is on day 1".into()));
                    }
                    if day < last_day {
                        return Err(at(
                            d.span(),
                            format!("day {day} comes before the previous step's day {last_day}"),
                        ));
                    }
                    if last_decision.is_some() {
                        return Err(at(
                            d.span(),
                            "a step on a day cannot follow one timed to the decision date".into(),
                        ));
                    }
                    (day, None)
                }
                (None, Some(n)) if i == 0 => {
                    return Err(at(
                        n.span(),
                        "the first step is on day 1, not timed to the decision".into(),
                    ));
                }
                (None, Some(n)) => {
                    let n = *n.get_ref();
                    if last_decision.is_some_and(|before| n < before) {
                        return Err(at(
                            s.decision.as_ref().map_or(span.clone(), |d| d.span()),
                            "decision offsets go in order, earliest first".into(),
                        ));
                    }
                    last_decision = Some(n);
                    (last_day, Some(n))
                }
                (Some(d), Some(_)) => {
                    return Err(at(
                        d.span(),
                        "a step has either day or decision, not both".into(),
                    ));
                }
                (None, None) => {
                    return Err(at(
                        span,
                        "a step needs a day (or decision = N, days from the decision date)".into(),
                    ));
                }
            };
            last_day = day;
            let channel = s
                .channel
                .get_ref()
                .parse::<Channel>()
                .map_err(|m| at(s.channel.span(), m))?;
            let action = match &s.action {
                Some(a) if channel == Channel::Linkedin => Some(
                    a.get_ref()
                        .parse::<LinkedinAction>()
                        .map_err(|m| at(a.span(), m))?,
                ),
                Some(a) => return Err(at(a.span(), "only linkedin steps take an action".into())),
                None => None,
            };
            let paths: Vec<(String, std::ops::Range<usize>)> = match (&s.template, &s.variants) {
                (Some(_), Some(v)) => {
                    return Err(at(
                        v.span(),
                        "a step has either template or variants, not both".into(),
                    ));
                }
                (Some(t), None) => vec![(t.get_ref().clone(), t.span())],
                (None, Some(v)) if v.get_ref().is_empty() => {
                    return Err(at(v.span(), "variants is empty".into()));
                }
                (None, Some(v)) => v.get_ref().iter().map(|p| (p.clone(), v.span())).collect(),
                (None, None) if channel == Channel::Email => {
                    return Err(at(span, "an email step needs a template".into()));
                }
                (None, None) => Vec::new(),
            };
            for (path, pspan) in &paths {
                if templates.contains_key(path) {
                    continue;
                }
                let (src, shown) = read_template(path).map_err(|why| at(pspan.clone(), why))?;
                let t = Template::parse(&shown, &src)?;
                let mut t = t;
                t.path = path.clone();
                templates.insert(path.clone(), t);
                sources.insert(path.clone(), src);
                template_files.insert(path.clone(), shown);
            }
            if let Some(t) = s.thread.as_ref().filter(|_| channel != Channel::Email) {
                return Err(at(t.span(), "thread is for email steps".into()));
            }
            steps.push(PlannedStep {
                own_thread: s.thread.as_ref().is_some_and(|t| !*t.get_ref()),
                day,
                decision,
                channel,
                action,
                purpose: if s.purpose.trim().is_empty() {
                    channel.to_string()
                } else {
                    s.purpose.trim().to_string()
                },
            });
            step_templates.push(paths.into_iter().map(|(p, _)| p).collect());
        }
        let lint = f.lint.unwrap_or_default();
        for rule in &lint.allow {
            if !crate::content::lint::RULES.contains(&rule.get_ref().as_str()) {
                return Err(at(
                    rule.span(),
                    format!(
                        "no lint rule is called '{}' (known: {})",
                        rule.get_ref(),
                        crate::content::lint::RULES.join(", ")
                    ),
                ));
            }
        }
        let lint_allow = lint.allow.iter().map(|r| r.get_ref().clone()).collect();
        let lint_reason = lint.reason;
        Ok(Sequence {
            name: name.to_string(),
            title: f.title,
            description: f.description,
            origin,
            plan: Plan {
                trigger,
                working_days_only: f.working_days_only.unwrap_or(false),
                cool_off_days: f.cool_off_days.or(default_cool_off).unwrap_or(30),
                steps,
            },
            step_templates,
            templates,
            sources,
            file: file.to_string(),
            step_lines,
            template_files,
            lint_allow,
            lint_reason,
            not_now: f.not_now,
        })
    }

    /// The exact form stored for an enrollment; equal sequences give equal text.
    pub fn snapshot(&self) -> String {
        serde_json::to_string(&Snapshot {
            name: self.name.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            plan: self.plan.clone(),
            step_templates: self.step_templates.clone(),
            sources: self.sources.clone(),
            lint_allow: self.lint_allow.clone(),
            lint_reason: self.lint_reason.clone(),
            not_now: self.not_now.clone(),
        })
        .unwrap_or_default()
    }

    pub fn from_snapshot(text: &str) -> Result<Sequence, String> {
        let s: Snapshot = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let mut templates = BTreeMap::new();
        for (path, src) in &s.sources {
            let t = Template::parse(path, src).map_err(|e| e.to_string())?;
            templates.insert(path.clone(), t);
        }
        let template_files = s
            .sources
            .keys()
            .map(|p| (p.clone(), format!("{p} (stored version)")))
            .collect();
        Ok(Sequence {
            file: format!("{} (stored version)", s.name),
            step_lines: Vec::new(),
            template_files,
            name: s.name,
            title: s.title,
            description: s.description,
            origin: Origin::Snapshot,
            plan: s.plan,
            step_templates: s.step_templates,
            templates,
            sources: s.sources,
            lint_allow: s.lint_allow,
            lint_reason: s.lint_reason,
            not_now: s.not_now,
        })
    }

    /// The template a given enrollment uses for step `i`: variants rotate by the
    /// enrollment's ordinal so each variant gets an equal share.
    pub fn template_for(&self, i: usize, ordinal: i64) -> Option<&Template> {
        let paths = self.step_templates.get(i)?;
        if paths.is_empty() {
            return None;
        }
        let n = paths.len() as i64;
        let pick = usize::try_from(ordinal.rem_euclid(n)).unwrap_or(0);
        self.templates.get(paths.get(pick)?)
    }

    /// Length in days from the first to the last step, as the table writes it.
    pub fn span_days(&self) -> u32 {
        self.plan.steps.last().map_or(0, |s| s.day)
    }

    /// The calendar days it really runs on `cal`, worked on time: "15 days", or "21–22 days"
    /// when the start weekday changes it.
    pub fn calendar_span(&self, cal: &crate::domain::Calendar) -> String {
        let last_offset = self.plan.steps.iter().filter_map(|s| s.decision).max();
        if let Some(n) = last_offset {
            return match n {
                0 => "to the decision date".to_string(),
                n if n < 0 => format!("to {} days before the decision", n.unsigned_abs()),
                n => format!("to {n} days after the decision"),
            };
        }
        match crate::domain::span::calendar_span(&self.plan, cal) {
            Some((a, b)) if a == b => format!("{a} days"),
            Some((a, b)) => format!("{a}–{b} days"),
            None => "no steps".to_string(),
        }
    }
}
