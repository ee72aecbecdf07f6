//! The rep's own files: config.toml, sequences and templates (every problem located), the
//! calendar they set, and the inbox settings.

use super::{Finding, shown};
use crate::config::{Config, Inbox};
use crate::content::{Library, Origin};
use std::path::Path;

/// Checks config.toml and the sequence and template files; returns the config when it reads.
pub fn check(config_dir: &Path, found: &mut Vec<Finding>) -> Option<Config> {
    let config = match Config::load(config_dir) {
        Ok(config) => {
            found.push(match &config.source {
                Some(file) => Finding::ok("config", format!("{file} reads")),
                None => Finding::ok(
                    "config",
                    format!(
                        "no config.toml in {}: the defaults apply",
                        shown(config_dir)
                    ),
                ),
            });
            if config.me.name.is_empty() || config.me.signature.is_empty() {
                found.push(Finding::warn(
                    "config",
                    "me.name or me.signature is not set: templates that sign with them are not ready",
                    "`touchbase init` asks for them",
                ));
            }
            Some(config)
        }
        Err(located) => {
            found.push(Finding::fail(
                "config",
                located.to_string(),
                "correct that line; until then every command refuses to start",
            ));
            None
        }
    };
    let library = Library::new(Some(config_dir));
    let problems = library.problems();
    if problems.is_empty() {
        let names = library.names();
        let own = names
            .iter()
            .filter(|(_, o)| matches!(o, Origin::User(_)))
            .count();
        found.push(Finding::ok(
            "sequences",
            format!(
                "{} sequences ({own} of your own), every file loads",
                names.len()
            ),
        ));
    }
    for problem in problems {
        found.push(Finding::fail(
            "sequences",
            problem,
            "correct the file; its sequence cannot be used until then",
        ));
    }
    config
}

/// The rep's time zone and working days.
pub fn calendar(config: &Config) -> Vec<Finding> {
    let zone = match &config.timezone {
        Some(tz) if tz.parse::<chrono_tz::Tz>().is_ok() => {
            Finding::ok("time zone", format!("{tz} (config.toml)"))
        }
        Some(tz) => Finding::fail(
            "time zone",
            format!("'{tz}' is not an IANA time zone"),
            "write it like Europe/Berlin or America/Chicago",
        ),
        None => Finding::warn(
            "time zone",
            format!(
                "not set: the system's clock is used ({})",
                chrono::Local::now().format("UTC%:z now")
            ),
            "set `timezone = \"Area/City\"` in config.toml so call hours stay right when you travel",
        ),
    };
    let days = config.calendar.weekday_names();
    let working = if days.is_empty() {
        Finding::fail(
            "calendar",
            "no working days: nothing can ever fall due",
            "set `working_days` in config.toml",
        )
    } else {
        let holidays = config.calendar.holidays().count();
        Finding::ok(
            "calendar",
            format!("works {}; {holidays} holidays", days.join(", ")),
        )
    };
    vec![zone, working]
}

/// The `[inbox]` settings: the folders exist, the server's address reads and answers, a
/// password has a source. The mailbox itself is left to `touchbase inbox --dry-run`.
pub fn inbox(inbox: &Inbox) -> Vec<Finding> {
    let mut found = Vec::new();
    for (what, path) in [
        ("maildir", inbox.maildir_path()),
        ("sent", inbox.sent_path()),
    ] {
        let Some(path) = path else { continue };
        found.push(if path.join("cur").is_dir() && path.join("new").is_dir() {
            Finding::ok("inbox", format!("{what} {} is a Maildir", shown(&path)))
        } else {
            Finding::fail(
                "inbox",
                format!(
                    "{what} {} is not a Maildir (no cur/ and new/)",
                    shown(&path)
                ),
                "point it at the folder your mail program syncs to",
            )
        });
    }
    if let Some(url) = &inbox.imap {
        found.push(imap(url, inbox));
    }
    if let Some(ca) = inbox.ca_path() {
        if !ca.is_file() {
            found.push(Finding::fail(
                "inbox",
                format!("ca_file {} does not exist", shown(&ca)),
                "give the path of the certificate (PEM) to trust",
            ));
        }
    }
    found
}

/// Logs in to the SMTP server (EHLO, STARTTLS, AUTH; no message), or finds the sendmail
/// command: what fails is named.
pub fn send(send: &crate::config::send::Send, inbox: Option<&Inbox>) -> Finding {
    use crate::send::{SendError, Transport};
    let transport = match Transport::from_config(send, inbox) {
        Ok(t) => t,
        Err(e) => return Finding::fail("send", format!("{e:#}"), "correct [send] in config.toml"),
    };
    let way = send
        .smtp
        .clone()
        .or_else(|| send.sendmail.clone())
        .unwrap_or_default();
    match transport.check() {
        Ok(()) => Finding::ok("send", format!("{way} takes mail from {}", send.address())),
        Err(SendError::Temporary(e)) => Finding::warn(
            "send",
            format!("{way}: {e}"),
            "check the host and port in [send] smtp, and that you are online",
        ),
        Err(e) => Finding::fail(
            "send",
            format!("{way}: {e}"),
            "check the user, password_command (or token_command) and ca_file in [send]",
        ),
    }
}

/// Logs in to the IMAP account (reading nothing) and opens its folders; a failure is named:
/// unreachable, a timeout, TLS, an untrusted certificate, the credentials, a folder.
fn imap(url: &str, inbox: &Inbox) -> Finding {
    use crate::inbox::imap::{self, ImapError};
    let account = match imap::Account::parse(url) {
        Ok(a) => a,
        Err(e) => return Finding::fail("inbox", format!("{e:#}"), "correct [inbox] imap"),
    };
    let secret = match inbox.secret() {
        Ok(s) => s,
        Err(e) => {
            return Finding::fail(
                "inbox",
                format!("{e:#}"),
                "fix the command in [inbox], or set password_command (token_command for OAuth)",
            );
        }
    };
    let mut folders = if inbox.folders.is_empty() {
        vec!["INBOX".to_string()]
    } else {
        inbox.folders.clone()
    };
    folders.extend(inbox.sent_folder.clone());
    let ca = inbox.ca_path();
    match imap::check(&account, &secret, ca.as_deref(), &folders) {
        Ok(()) => Finding::ok(
            "inbox",
            format!(
                "logged in to {}:{} as {}; {} open read-only",
                account.host,
                account.port,
                account.user,
                folders.join(", ")
            ),
        ),
        Err(e) => {
            let fix = match &e {
                ImapError::Unreachable { .. } | ImapError::TimedOut { .. } => {
                    "check the host and port in [inbox] imap, and that you are online"
                }
                ImapError::Tls { .. } => {
                    "imaps:// for a port that speaks TLS from the start (993), imap:// for STARTTLS (143)"
                }
                ImapError::Untrusted { .. } => {
                    "set ca_file in [inbox] to the PEM certificate of the authority that signed the server's"
                }
                ImapError::Credentials { .. } => {
                    "check the user in [inbox] imap and what password_command or token_command prints"
                }
                ImapError::MissingFolder(_) => "correct folders or sent_folder in [inbox]",
                ImapError::Other(_) => "`touchbase inbox --dry-run` shows the whole exchange",
            };
            // Offline is not broken: it says so, and the rest of the check goes on.
            match e {
                ImapError::Unreachable { .. } | ImapError::TimedOut { .. } => {
                    Finding::warn("inbox", e.to_string(), fix)
                }
                _ => Finding::fail("inbox", e.to_string(), fix),
            }
        }
    }
}
