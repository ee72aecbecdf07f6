//! Where files live: the database, the demo database and the config dir.

use anyhow::{Result, anyhow};
use directories::ProjectDirs;
use std::path::{Path, PathBuf};

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

/// Makes `dir` and any missing parent private (0700), whatever the umask.
pub fn create_private_dir_all(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Writes `text` (or bytes) to `path`, the file private (0600) whatever the umask, and its
/// folder made private if it was missing.
pub fn write_private_file(path: &Path, text: impl AsRef<[u8]>) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.exists() {
            create_private_dir_all(dir)?;
        }
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(text.as_ref())?;
    tighten(path, 0o600);
    Ok(())
}

/// Takes group and other bits off `path` when it has any (a file the umask or a copy left
/// loose); `mode` is what it gets.
pub fn tighten(path: &Path, mode: u32) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::symlink_metadata(path) {
            if !meta.file_type().is_symlink() && meta.permissions().mode() & 0o077 != 0 {
                let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
}

/// The folder the default book lives in.
pub fn default_data_dir() -> Result<PathBuf> {
    Ok(project_dirs()?.data_dir().to_path_buf())
}
