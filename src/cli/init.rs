//! `touchbase init`: asks once for who the rep is and when they work, and writes config.toml,
//! so the first touches are ready instead of "missing me.company, me.signature".

use super::args::Global;
use anyhow::{Context, Result, anyhow, bail};
use std::io::{BufRead, Write};
use std::process::ExitCode;

pub fn run(g: &Global) -> Result<ExitCode> {
    let dir = super::config_dir(g)?;
    let path = dir.join("config.toml");
    if path.exists() {
        bail!(
            "{} exists already; edit it there (touchbase config shows what it holds)",
            path.display()
        );
    }
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut ask = |question: &str, default: &str| -> Result<String> {
        let mut err = std::io::stderr().lock();
        if default.is_empty() {
            write!(err, "{question}: ")?;
        } else {
            write!(err, "{question} [{default}]: ")?;
        }
        err.flush()?;
        let answer = match lines.next() {
            Some(line) => line.context("reading the answer")?,
            None => String::new(),
        };
        let answer = answer.trim();
        Ok(if answer.is_empty() {
            default.to_string()
        } else {
            answer.to_string()
        })
    };
    let name = ask("Your name, as you sign emails", "")?;
    if name.is_empty() {
        bail!("a name is needed: templates sign with it");
    }
    let company = ask("Your company", "")?;
    let signature = ask(
        "Your signature (use \\n for a new line)",
        &format!("{name}\\n{company}"),
    )?;
    let zone = ask("Your time zone (like Europe/Berlin or Central Time)", "")?;
    let zone = crate::domain::zones::zone_named(&zone).map_err(|e| anyhow!(e))?;
    let days = ask("Your working days", crate::config::first_run::WORKING_DAYS)?;
    let answers = crate::config::first_run::Answers {
        name,
        company,
        signature,
        timezone: zone,
        working_days: days,
    };
    let text = answers.to_toml(&path.display().to_string())?;
    crate::paths::create_private_dir_all(&dir)
        .with_context(|| format!("creating {}", dir.display()))?;
    crate::paths::write_private_file(&path, &text)
        .with_context(|| format!("writing {}", path.display()))?;
    super::prospects::say(&format!("Wrote {}", path.display()));
    Ok(ExitCode::SUCCESS)
}
