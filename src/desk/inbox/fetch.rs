//! Reading the new mail of the configured inbox: a Maildir, or IMAP (one login for the inbox
//! folders and the sent folder). Nothing here decides what a message means.

use crate::config::Inbox as InboxConfig;
use crate::inbox::{imap, maildir};
use anyhow::{Result, anyhow};
use std::collections::HashSet;

/// The raw messages not seen before, by key.
#[derive(Debug, Default)]
pub(super) struct Fetched {
    pub received: Vec<(String, Vec<u8>)>,
    /// Mail the rep sent: a due email to a prospect, with its subject, is logged as sent.
    pub sent: Vec<(String, Vec<u8>)>,
}

/// The messages of `inbox` whose keys are not in `seen_keys`.
pub(super) fn new_mail(inbox: &InboxConfig, seen_keys: &HashSet<String>) -> Result<Fetched> {
    match &inbox.imap {
        Some(url) => from_imap(inbox, url, seen_keys),
        None => from_maildir(inbox, seen_keys),
    }
}

fn from_imap(inbox: &InboxConfig, url: &str, seen_keys: &HashSet<String>) -> Result<Fetched> {
    let account = imap::Account::parse(url)?;
    let password = imap::password(inbox.password_command.as_deref())?;
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
    let mut out = Fetched::default();
    for m in imap::unseen(&account, &password, &folders, ca.as_deref(), seen_keys)? {
        match &sent_prefix {
            Some(prefix) if m.key.starts_with(prefix.as_str()) => out.sent.push((m.key, m.raw)),
            _ => out.received.push((m.key, m.raw)),
        }
    }
    Ok(out)
}

fn from_maildir(inbox: &InboxConfig, seen_keys: &HashSet<String>) -> Result<Fetched> {
    let dir = inbox
        .maildir_path()
        .ok_or_else(|| anyhow!("[inbox] in config.toml names no maildir or imap"))?;
    let read = |path: &std::path::Path| read_bounded(path);
    let mut out = Fetched::default();
    for entry in maildir::unseen(&dir, seen_keys)? {
        out.received.push((entry.key, read(&entry.path)?));
    }
    if let Some(dir) = inbox.sent_path() {
        let seen_sent: HashSet<String> = seen_keys
            .iter()
            .filter_map(|k| k.strip_prefix("sent-").map(str::to_string))
            .collect();
        for entry in maildir::unseen(&dir, &seen_sent)? {
            out.sent
                .push((format!("sent-{}", entry.key), read(&entry.path)?));
        }
    }
    Ok(out)
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
