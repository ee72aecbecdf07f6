//! Reading a Maildir (what mbsync, offlineimap and notmuch keep): every file in `cur/` and
//! `new/`, read only, never renamed or flagged. A file's unique name (before `:2,`) keys it,
//! so a sync reads only files it has not seen.

use anyhow::{Context, Result};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// One message file: its key and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub path: PathBuf,
}

/// The message files of a Maildir not in `seen` that arrived on or after `since` (by the
/// file's time, which delivery sets), oldest name first.
pub fn unseen(dir: &Path, seen: &HashSet<String>, since: chrono::NaiveDate) -> Result<Vec<Entry>> {
    let since = since
        .and_hms_opt(0, 0, 0)
        .map(|d| d.and_utc().timestamp())
        .unwrap_or(i64::MIN);
    let mut out = Vec::new();
    let mut any = false;
    for sub in ["cur", "new"] {
        let folder = dir.join(sub);
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        any = true;
        for entry in entries {
            let entry = entry.with_context(|| format!("reading {}", folder.display()))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let key = format!("maildir:{}", name.split(":2,").next().unwrap_or(&name));
            if !seen.contains(&key) && arrived(&entry) >= since {
                out.push(Entry {
                    key,
                    path: entry.path(),
                });
            }
        }
    }
    if !any {
        anyhow::bail!(
            "{}: not a Maildir (no cur/ or new/ folder in it)",
            dir.display()
        );
    }
    out.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(out)
}

/// Which of these Message-IDs (without angle brackets) a message of the Maildir carries:
/// how sends a stop cut short are looked for in a local Sent folder. Only the headers of
/// each file are read.
pub fn holding(dir: &Path, message_ids: &[String]) -> Result<HashSet<String>> {
    use std::io::Read;
    let wanted: HashSet<&str> = message_ids.iter().map(String::as_str).collect();
    let mut found = HashSet::new();
    for sub in ["cur", "new"] {
        let folder = dir.join(sub);
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries {
            let entry = entry.with_context(|| format!("reading {}", folder.display()))?;
            let mut head = Vec::new();
            let Ok(file) = std::fs::File::open(entry.path()) else {
                continue;
            };
            file.take(64 * 1024).read_to_end(&mut head)?;
            let parsed = mail_parser::MessageParser::new().parse_headers(&head);
            if let Some(id) = parsed.as_ref().and_then(|m| m.message_id()) {
                if wanted.contains(id.trim()) {
                    found.insert(id.trim().to_string());
                }
            }
        }
    }
    Ok(found)
}

/// Writes a message into the Maildir the way a delivery does (into `tmp/`, then moved to
/// `cur/` with these flags), under a name no other file has.
pub fn deliver(dir: &Path, message: &[u8], flags: &str) -> Result<()> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = format!(
        "{}.M{}P{}Q{n}.touchbase",
        now.as_secs(),
        now.subsec_micros(),
        std::process::id()
    );
    let tmp = dir.join("tmp").join(&name);
    crate::paths::write_private_file(&tmp, message)
        .with_context(|| format!("writing {}", tmp.display()))?;
    let cur = dir.join("cur").join(format!("{name}:2,{flags}"));
    std::fs::rename(&tmp, &cur).with_context(|| format!("moving it to {}", cur.display()))?;
    Ok(())
}

/// When a message file arrived: its modification time (seconds since 1970); now when the
/// system cannot say, so that it is read rather than missed.
fn arrived(entry: &std::fs::DirEntry) -> i64 {
    entry
        .metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .and_then(|d| i64::try_from(d.as_secs()).ok())
        .unwrap_or(i64::MAX)
}
