//! `touchbase sequences list|show`.

use super::args::{Global, SequencesCommand};
use crate::content::lint::{Finding, LintInput, Severity, lint};
use crate::content::{Library, LoadError, Origin, Sequence, scaffold};
use anyhow::{Context, Result, anyhow, bail};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

pub fn run(g: &Global, cmd: &SequencesCommand) -> Result<ExitCode> {
    let library = super::library(g)?;
    let calendar = crate::config::Config::load(&super::config_dir(g)?)?.calendar;
    let library = &library;
    let mut out = std::io::stdout().lock();
    match cmd {
        SequencesCommand::Lint { files } => lint_command(g, library, files),
        SequencesCommand::New { name, from } => {
            let dir = super::config_dir(g)?;
            let base = from.as_deref().map(|f| library.load(f)).transpose()?;
            let written = scaffold::create(&dir, name, base.as_ref())?;
            writeln!(out, "Created {} files:", written.len())?;
            for f in &written {
                writeln!(out, "  {}", f.display())?;
            }
            writeln!(out, "Edit it with `touchbase sequences edit {name}`.")?;
            Ok(ExitCode::SUCCESS)
        }
        SequencesCommand::Edit { name } => edit_command(g, library, name),
        SequencesCommand::List => {
            let mut broken = false;
            for (name, origin) in library.names() {
                match library.load(&name) {
                    Ok(seq) => writeln!(
                        out,
                        "{name:<14} {:>2} steps {:>10}  {:<10} {}",
                        seq.plan.steps.len(),
                        seq.calendar_span(&calendar),
                        match origin {
                            Origin::Builtin => "built-in".to_string(),
                            _ => "yours".to_string(),
                        },
                        seq.title
                    )?,
                    Err(e) => {
                        broken = true;
                        eprintln!("error: {e}");
                    }
                }
            }
            Ok(if broken {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        SequencesCommand::Show { name } => {
            let seq = library.load(name)?;
            writeln!(out, "{} — {}", seq.name, seq.title)?;
            if !seq.description.is_empty() {
                writeln!(out, "{}", seq.description)?;
            }
            writeln!(
                out,
                "trigger {}, runs {} ({}), cool-off {} days",
                seq.plan.trigger,
                seq.calendar_span(&calendar),
                if seq.plan.working_days_only {
                    "gaps counted in working days"
                } else {
                    "day N is the Nth calendar day, rolled to a working day"
                },
                seq.plan.cool_off_days
            )?;
            for (i, step) in seq.plan.steps.iter().enumerate() {
                let channel = match step.action {
                    Some(a) => format!("{} {a}", step.channel),
                    None => step.channel.to_string(),
                };
                let templates = seq
                    .step_templates
                    .get(i)
                    .map(|t| t.join(", "))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "{:>3}. {:<11} {} {:<18} {:<12} {}",
                    i + 1,
                    step.when(),
                    step.channel.glyph(),
                    channel,
                    step.purpose,
                    templates
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Lints the given files, or every sequence; prints `file:line: severity: message` lines
/// and a summary. Exits non-zero when any error is found.
fn lint_command(g: &Global, library: &Library, files: &[PathBuf]) -> Result<ExitCode> {
    let custom = custom_fields(g);
    let mut findings: Vec<Finding> = Vec::new();
    let mut checked = 0;
    let mut load = |result: Result<Sequence, LoadError>, findings: &mut Vec<Finding>| {
        checked += 1;
        match result {
            Ok(seq) => findings.extend(lint(&LintInput {
                sequence: &seq,
                custom_fields: &custom,
            })),
            Err(LoadError::Invalid(at)) => findings.push(Finding {
                rule: "file",
                severity: Severity::Error,
                file: at.file.clone(),
                line: at.line,
                step: None,
                message: format!("{} (column {})", at.message, at.column),
            }),
            Err(e) => findings.push(Finding {
                rule: "file",
                severity: Severity::Error,
                file: String::new(),
                line: 0,
                step: None,
                message: e.to_string(),
            }),
        }
    };
    if files.is_empty() {
        for (name, _) in library.names() {
            load(library.load(&name), &mut findings);
        }
    } else {
        for f in files {
            let text =
                std::fs::read_to_string(f).with_context(|| format!("reading {}", f.display()))?;
            load(library.load_file(f, &text), &mut findings);
        }
    }
    print_findings(&findings, checked)
}

fn print_findings(findings: &[Finding], checked: usize) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    for f in findings {
        writeln!(out, "{f}")?;
    }
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let errors = count(Severity::Error);
    let waived = match count(Severity::Waived) {
        0 => String::new(),
        n => format!(", {n} waived"),
    };
    writeln!(
        out,
        "{checked} sequence(s) checked: {errors} error(s), {} warning(s), {} hint(s){waived}",
        count(Severity::Warning),
        count(Severity::Hint)
    )?;
    Ok(if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Custom field names the rep's prospects carry, so lint knows what templates may read.
/// Without a database there are none; lint never creates one.
fn custom_fields(g: &Global) -> BTreeSet<String> {
    let Ok(path) = super::db_path(g) else {
        return BTreeSet::new();
    };
    if !path.exists() {
        return BTreeSet::new();
    }
    super::desk(g)
        .ok()
        .and_then(|d| d.custom_field_names().ok())
        .unwrap_or_default()
}

/// Opens the rep's copy of a sequence in $EDITOR (copying a built-in first), then lints it.
fn edit_command(g: &Global, library: &Library, name: &str) -> Result<ExitCode> {
    let dir = super::config_dir(g)?;
    let path = dir.join("sequences").join(format!("{name}.toml"));
    if !path.exists() {
        let base = library.load(name)?;
        if base.origin != Origin::Builtin {
            bail!("no sequence file {}", path.display());
        }
        scaffold::create(&dir, name, Some(&base))?;
        eprintln!(
            "Copied the built-in {name} to {} (yours now wins over the built-in).",
            path.display()
        );
    }
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .unwrap_or_else(|_| "vi".to_string());
    let mut parts = editor.split_whitespace();
    let program = parts.next().ok_or_else(|| anyhow!("$EDITOR is empty"))?;
    let status = std::process::Command::new(program)
        .args(parts)
        .arg(&path)
        .status()
        .with_context(|| format!("starting the editor '{editor}'"))?;
    if !status.success() {
        bail!("the editor '{editor}' exited with {status}");
    }
    lint_command(g, library, &[path])
}
