//! `touchbase sequences list|show`.

use super::args::SequencesCommand;
use crate::content::{Library, Origin};
use anyhow::Result;
use std::io::Write;
use std::process::ExitCode;

pub fn run(library: &Library, cmd: &SequencesCommand) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match cmd {
        SequencesCommand::List => {
            let mut broken = false;
            for (name, origin) in library.names() {
                match library.load(&name) {
                    Ok(seq) => writeln!(
                        out,
                        "{name:<12} {:>2} steps {:>3} days  {:<10} {}",
                        seq.plan.steps.len(),
                        seq.span_days(),
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
                "trigger {}, {}, cool-off {} days",
                seq.plan.trigger,
                if seq.plan.working_days_only {
                    "working days"
                } else {
                    "calendar days"
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
                    "{:>3}. day {:>2}  {} {:<18} {:<12} {}",
                    i + 1,
                    step.day,
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
