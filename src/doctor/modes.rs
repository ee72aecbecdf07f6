//! File and folder modes: the database, its side files and snapshots are the rep's private
//! data (0600 in a 0700 folder); the config, which names commands to run, is writable by the
//! rep alone.

use super::{Finding, shown};
use crate::desk::book as backup;
use std::path::{Path, PathBuf};

/// A path and the mode bits it must not have, with the mode `--fix` gives it.
struct Rule {
    path: PathBuf,
    forbidden: u32,
    fixed: fn(u32) -> u32,
}

fn private(_: u32) -> u32 {
    0o600
}

fn private_dir(_: u32) -> u32 {
    0o700
}

fn not_writable_by_others(mode: u32) -> u32 {
    mode & !0o022
}

fn rules(db: &Path, config_dir: &Path) -> Vec<Rule> {
    let mut rules = Vec::new();
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
        rules.push(Rule {
            path: dir.to_path_buf(),
            forbidden: 0o077,
            fixed: private_dir,
        });
    }
    for side in ["", "-wal", "-shm"] {
        rules.push(Rule {
            path: PathBuf::from(format!("{}{side}", db.display())),
            forbidden: 0o077,
            fixed: private,
        });
    }
    let backups = backup::folder_for(db);
    if let Ok(entries) = std::fs::read_dir(&backups) {
        let mut files: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
        files.sort();
        rules.extend(files.into_iter().map(|path| Rule {
            path,
            forbidden: 0o077,
            fixed: private,
        }));
    }
    rules.push(Rule {
        path: backups,
        forbidden: 0o077,
        fixed: private_dir,
    });
    for path in [
        config_dir.to_path_buf(),
        config_dir.join("config.toml"),
        config_dir.join("sequences"),
        config_dir.join("templates"),
    ] {
        rules.push(Rule {
            path,
            forbidden: 0o022,
            fixed: not_writable_by_others,
        });
    }
    rules
}

#[cfg(unix)]
pub fn check(db: &Path, config_dir: &Path, fix: bool) -> Vec<Finding> {
    use std::os::unix::fs::PermissionsExt;
    let mut found = Vec::new();
    let mut checked = 0;
    for rule in rules(db, config_dir) {
        let Ok(meta) = std::fs::symlink_metadata(&rule.path) else {
            continue;
        };
        checked += 1;
        let mode = meta.permissions().mode() & 0o777;
        if mode & rule.forbidden == 0 {
            continue;
        }
        let wanted = (rule.fixed)(mode);
        let what = if rule.forbidden == 0o022 {
            "others can change it"
        } else {
            "others can read it"
        };
        if !fix {
            found.push(Finding::warn(
                "modes",
                format!("{} is {mode:04o}: {what}", shown(&rule.path)),
                format!("`touchbase doctor --fix` makes it {wanted:04o}"),
            ));
            continue;
        }
        match std::fs::set_permissions(&rule.path, std::fs::Permissions::from_mode(wanted)) {
            Ok(()) => found.push(Finding::ok(
                "modes",
                format!("{} was {mode:04o}, now {wanted:04o}", shown(&rule.path)),
            )),
            Err(e) => found.push(Finding::fail(
                "modes",
                format!(
                    "{} is {mode:04o} and could not be changed: {e}",
                    shown(&rule.path)
                ),
                format!("chmod {wanted:o} {}", shown(&rule.path)),
            )),
        }
    }
    if found.is_empty() {
        let what = if checked == 1 {
            "file or folder"
        } else {
            "files and folders"
        };
        found.push(Finding::ok(
            "modes",
            format!("{checked} {what} as private as they should be"),
        ));
    }
    found
}

#[cfg(not(unix))]
pub fn check(_: &Path, _: &Path, _: bool) -> Vec<Finding> {
    vec![Finding::ok("modes", "not checked on this system")]
}
