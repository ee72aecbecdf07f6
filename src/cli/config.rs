//! `touchbase config`: the effective configuration and where each value came from.

use super::args::Global;
use crate::config::Config;
use anyhow::Result;
use std::io::Write;
use std::process::ExitCode;

pub fn print(g: &Global) -> Result<ExitCode> {
    let dir = super::config_dir(g)?;
    let config = Config::load(&dir)?;
    let mut out = std::io::stdout().lock();
    let from = |set: bool| match (&config.source, set) {
        (Some(file), true) => file.clone(),
        _ => "default".to_string(),
    };
    writeln!(out, "config dir      {}", dir.display())?;
    writeln!(out, "database        {}", super::db_path(g)?.display())?;
    for (key, value) in [
        ("me.name", &config.me.name),
        ("me.company", &config.me.company),
        ("me.signature", &config.me.signature),
    ] {
        let shown = if value.is_empty() {
            "(not set: templates that sign with it are not ready)".to_string()
        } else {
            value.replace('\n', " / ")
        };
        writeln!(out, "{key:<15} {shown}  [{}]", from(!value.is_empty()))?;
    }
    let days = config.calendar.weekday_names();
    writeln!(
        out,
        "working_days    {}  [{}]",
        days.join(", "),
        from(config.working_days_set)
    )?;
    let holidays: Vec<String> = config.calendar.holidays().map(|d| d.to_string()).collect();
    writeln!(
        out,
        "holidays        {}  [{}]",
        if holidays.is_empty() {
            "none".to_string()
        } else {
            holidays.join(", ")
        },
        from(!holidays.is_empty())
    )?;
    writeln!(
        out,
        "timezone        {}  [{}]",
        config
            .timezone
            .as_deref()
            .unwrap_or("the system's local time"),
        from(config.timezone.is_some())
    )?;
    writeln!(
        out,
        "cool_off_days   {}  [{}]",
        config.cool_off_days.unwrap_or(30),
        if config.cool_off_days.is_some() {
            from(true)
        } else {
            "default (a sequence file may set its own)".to_string()
        }
    )?;
    writeln!(
        out,
        "backups_kept    {}  [{}]",
        config.backups_kept(),
        from(config.backups_kept.is_some())
    )?;
    writeln!(
        out,
        "backups         {}",
        crate::desk::book::folder_for(&super::db_path(g)?).display()
    )?;
    Ok(ExitCode::SUCCESS)
}
