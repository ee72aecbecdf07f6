//! The rep's Sent folder, by IMAP or a local Maildir: looking a sent email up by its
//! Message-ID (read-only, as a sync is), and the one write touchbase makes to a mailbox, a
//! copy of a sent email put there when the rep asks for it (`[send] copy_to_sent`).

use super::imap::{Account, ImapError, examine, login, other};
use super::secret::Secret;
use crate::config::Inbox;
use anyhow::Result;
use std::collections::HashSet;
use std::path::PathBuf;

/// The rep's Sent folder, as `[inbox]` names it: an IMAP folder (`imap` and `sent_folder`),
/// or a local Maildir (`sent`).
pub enum SentFolder<'a> {
    Imap {
        inbox: &'a Inbox,
        url: &'a str,
        folder: &'a str,
    },
    Maildir(PathBuf),
}

impl<'a> SentFolder<'a> {
    /// The Sent folder `inbox` names, if it names one.
    pub fn of(inbox: &'a Inbox) -> Option<SentFolder<'a>> {
        match (&inbox.imap, &inbox.sent_folder, inbox.sent_path()) {
            (Some(url), Some(folder), _) => Some(SentFolder::Imap { inbox, url, folder }),
            (None, _, Some(dir)) => Some(SentFolder::Maildir(dir)),
            _ => None,
        }
    }

    /// Which of these Message-IDs (without angle brackets) a message in it carries.
    pub fn holding(&self, message_ids: &[String]) -> Result<HashSet<String>> {
        match self {
            SentFolder::Imap { inbox, url, folder } => {
                let (account, secret) = (Account::parse(url)?, inbox.secret()?);
                let ca = inbox.ca_path();
                Ok(holding(
                    &account,
                    &secret,
                    ca.as_deref(),
                    folder,
                    message_ids,
                )?)
            }
            SentFolder::Maildir(dir) => super::maildir::holding(dir, message_ids),
        }
    }

    /// Puts a copy of a sent message in it, marked as read.
    pub fn append(&self, message: &[u8]) -> Result<()> {
        match self {
            SentFolder::Imap { inbox, url, folder } => {
                let (account, secret) = (Account::parse(url)?, inbox.secret()?);
                let ca = inbox.ca_path();
                Ok(append(&account, &secret, ca.as_deref(), folder, message)?)
            }
            SentFolder::Maildir(dir) => super::maildir::deliver(dir, message, "S"),
        }
    }
}

/// Which of these Message-IDs (without angle brackets) a message in `folder` carries: how
/// sends a stop cut short are looked for in the rep's Sent folder. Read-only, as a sync is.
fn holding(
    account: &Account,
    secret: &Secret,
    ca_file: Option<&std::path::Path>,
    folder: &str,
    message_ids: &[String],
) -> Result<HashSet<String>, ImapError> {
    let mut session = login(account, secret, ca_file)?;
    examine(&mut session, folder)?;
    let mut found = HashSet::new();
    // A Message-ID has no quote, backslash or line break of its own; one that does is not
    // one touchbase made.
    for id in message_ids
        .iter()
        .filter(|id| !id.contains(['"', '\\', '\r', '\n']))
    {
        let uids = session
            .uid_search(format!("HEADER Message-ID \"<{id}>\""))
            .map_err(|e| other(e, "searching the sent folder"))?;
        if !uids.is_empty() {
            found.insert(id.clone());
        }
    }
    let _ = session.logout();
    Ok(found)
}

/// Puts a copy of a sent message in `folder`, marked as read: the one write touchbase makes
/// to a mailbox, and only when the rep asks for it (`[send] copy_to_sent`).
fn append(
    account: &Account,
    secret: &Secret,
    ca_file: Option<&std::path::Path>,
    folder: &str,
    message: &[u8],
) -> Result<(), ImapError> {
    let mut session = login(account, secret, ca_file)?;
    session
        .append(folder, message)
        .flag(imap::types::Flag::Seen)
        .finish()
        .map_err(|e| match e {
            imap::Error::No(_) => ImapError::MissingFolder(folder.to_string()),
            e => other(e, &format!("copying the message to {folder}")),
        })?;
    let _ = session.logout();
    Ok(())
}
