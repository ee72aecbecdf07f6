//! Reading the new mail of the configured inbox: a Maildir, or IMAP (one login for the inbox
//! folders and the sent folder). Nothing here decides what a message means.

use crate::config::Inbox as InboxConfig;
use crate::inbox::{imap, maildir};
use anyhow::{Result, anyhow};
use std::collections::HashSet;

/// One raw message: its key, its bytes, and whether they are all of it (else its headers).
#[derive(Debug)]
pub(super) struct Raw {
    pub key: String,
    pub bytes: Vec<u8>,
    pub whole: bool,
}

/// The raw messages not seen before.
#[derive(Debug, Default)]
pub(super) struct Fetched {
    pub received: Vec<Raw>,
    /// Mail the rep sent: a due email to a prospect, with its subject, is logged as sent.
    pub sent: Vec<Raw>,
}

/// What a sync reads: the messages not seen before, arrived since `since`, and of those the
/// whole message only where `needs_body(folder, headers)` says so (the rest by headers).
pub(super) struct Window<'a> {
    pub seen: &'a HashSet<String>,
    pub since: chrono::NaiveDate,
    pub needs_body: &'a dyn Fn(&str, &[u8]) -> bool,
}

/// The messages of `inbox` in the window.
pub(super) fn new_mail(inbox: &InboxConfig, window: &Window) -> Result<Fetched> {
    match &inbox.imap {
        Some(url) => from_imap(inbox, url, window),
        None => from_maildir(inbox, window),
    }
}

fn from_imap(inbox: &InboxConfig, url: &str, window: &Window) -> Result<Fetched> {
    let account = imap::Account::parse(url)?;
    let secret = inbox.secret()?;
    let mut folders = if inbox.folders.is_empty() {
        vec!["INBOX".to_string()]
    } else {
        inbox.folders.clone()
    };
    // One login reads the sent folder too; its messages are told apart by key.
    let sent_prefix = inbox.sent_folder.as_ref().map(|f| {
        folders.push(f.clone());
        format!("imap:{f}:")
    });
    let ca = inbox.ca_path();
    let wanted = imap::Wanted {
        folders: &folders,
        since: window.since,
        seen: window.seen,
        // What the rep sent is logged with its text: read whole.
        needs_body: &|folder: &str, head: &[u8]| {
            inbox.sent_folder.as_deref() == Some(folder) || (window.needs_body)(folder, head)
        },
    };
    let mut out = Fetched::default();
    for m in imap::unseen(&account, &secret, ca.as_deref(), &wanted)? {
        let raw = Raw {
            key: m.key,
            bytes: m.raw,
            whole: m.whole,
        };
        match &sent_prefix {
            Some(prefix) if raw.key.starts_with(prefix.as_str()) => out.sent.push(raw),
            _ => out.received.push(raw),
        }
    }
    Ok(out)
}

fn from_maildir(inbox: &InboxConfig, window: &Window) -> Result<Fetched> {
    let dir = inbox
        .maildir_path()
        .ok_or_else(|| anyhow!("[inbox] in config.toml names no maildir or imap"))?;
    let mut out = Fetched::default();
    for entry in maildir::unseen(&dir, window.seen, window.since)? {
        let (bytes, whole) = read_wanted(&entry.path, window)?;
        out.received.push(Raw {
            key: entry.key,
            bytes,
            whole,
        });
    }
    if let Some(dir) = inbox.sent_path() {
        let seen_sent: HashSet<String> = window
            .seen
            .iter()
            .filter_map(|k| k.strip_prefix("sent-").map(str::to_string))
            .collect();
        for entry in maildir::unseen(&dir, &seen_sent, window.since)? {
            out.sent.push(Raw {
                key: format!("sent-{}", entry.key),
                bytes: read_bounded(&entry.path)?,
                whole: true,
            });
        }
    }
    Ok(out)
}

/// A message file's headers, and the rest only when they ask for it (then true).
fn read_wanted(path: &std::path::Path, window: &Window) -> Result<(Vec<u8>, bool)> {
    let head = read_head(path)?;
    if (window.needs_body)("", &head) {
        Ok((read_bounded(path)?, true))
    } else {
        Ok((head, false))
    }
}

/// The header block of a message file (up to the first blank line, at most 64 KB).
fn read_head(path: &std::path::Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let mut raw = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(64 * 1024).read_to_end(&mut raw))
        .map_err(|e| anyhow!("{}: {e}", path.display()))?;
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| p + 4)
        .or_else(|| raw.windows(2).position(|w| w == b"\n\n").map(|p| p + 2));
    if let Some(end) = end {
        raw.truncate(end);
    }
    Ok(raw)
}

/// The most of one message that is read: headers and the start of any body are far inside
/// it; what a huge attachment adds beyond is never needed to tell what the message is.
pub(super) const MESSAGE_READ_MAX: u64 = 4 * 1024 * 1024;

/// A message file's first [`MESSAGE_READ_MAX`] bytes.
fn read_bounded(path: &std::path::Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let mut raw = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MESSAGE_READ_MAX).read_to_end(&mut raw))
        .map_err(|e| anyhow!("{}: {e}", path.display()))?;
    Ok(raw)
}
