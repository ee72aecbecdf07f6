//! Where files live: the database, the demo database and the config dir.

use anyhow::{Result, anyhow};
use directories::ProjectDirs;
use std::path::PathBuf;

fn project_dirs() -> Result<ProjectDirs> {
    ProjectDirs::from("", "", "touchbase")
        .ok_or_else(|| anyhow!("cannot find a home directory; pass --db and --config-dir"))
}

/// `<data dir>/touchbase.db`.
pub fn default_db() -> Result<PathBuf> {
    Ok(project_dirs()?.data_dir().join("touchbase.db"))
}

/// `<data dir>/demo.db`: the demo never writes the rep's real database.
pub fn default_demo_db() -> Result<PathBuf> {
    Ok(project_dirs()?.data_dir().join("demo.db"))
}

pub fn default_config_dir() -> Result<PathBuf> {
    Ok(project_dirs()?.config_dir().to_path_buf())
}
