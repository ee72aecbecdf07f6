//! `touchbase backup` and `touchbase restore`.

use super::args::{BackupArgs, Global, RestoreArgs};
use crate::desk::Desk;
use crate::desk::book as backup;
use anyhow::Result;
use chrono::NaiveDateTime;
use std::process::ExitCode;

pub fn backup(desk: &Desk, a: &BackupArgs, now: NaiveDateTime) -> Result<ExitCode> {
    if let Some(to) = &a.to {
        crate::export::check_free(&[to], a.force)?;
    }
    let dest = desk.backup(a.to.as_deref(), now)?;
    let size = std::fs::metadata(&dest).map(|m| m.len()).unwrap_or(0);
    println!(
        "Backed up to {} ({:.1} MB)",
        dest.display(),
        size as f64 / 1e6
    );
    Ok(ExitCode::SUCCESS)
}

pub fn restore(g: &Global, a: &RestoreArgs, now: NaiveDateTime) -> Result<ExitCode> {
    let db = super::db_path(g)?;
    let (checked, kept) = backup::restore(&a.file, &db, now)?;
    println!(
        "Restored {} into {}: {} prospects, {} touches (schema version {}).",
        a.file.display(),
        db.display(),
        checked.prospects,
        checked.touches,
        checked.version
    );
    if let Some(kept) = kept {
        println!("The database it replaced is kept as {}.", kept.display());
    }
    // Opening it brings an older backup up to this version's schema.
    super::desk(g)?;
    Ok(ExitCode::SUCCESS)
}
