//! `touchbase doctor`: the report, one line per check; non-zero exit on any failure.

use super::args::{DoctorArgs, Global};
use crate::doctor::{Level, Setup, examine_each};
use anyhow::Result;
use std::io::Write;
use std::process::ExitCode;

pub fn run(g: &Global, a: &DoctorArgs) -> Result<ExitCode> {
    let setup = Setup {
        db: super::db_path(g)?,
        config_dir: super::config_dir(g)?,
        fix: a.fix,
    };
    let mut out = std::io::stdout().lock();
    let mut found = Vec::new();
    let mut written = Ok(());
    examine_each(&setup, &mut |finding| {
        if written.is_ok() {
            written = writeln!(out, "{}", crate::text::sanitize(&finding.to_string()))
                .and_then(|()| out.flush());
        }
        found.push(finding.level);
    });
    written?;
    let count = |level| found.iter().filter(|l| **l == level).count();
    let (warnings, failures) = (count(Level::Warn), count(Level::Fail));
    writeln!(
        out,
        "{}",
        match (failures, warnings) {
            (0, 0) => "All good.".to_string(),
            (0, w) => format!("{w} warning{}; nothing is broken.", plural(w)),
            (f, w) => format!("{f} problem{} to fix, {w} warning{}.", plural(f), plural(w)),
        }
    )?;
    Ok(if failures > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
