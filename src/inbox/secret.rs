//! The mailbox's secret: a password (from `password_command` or `TOUCHBASE_IMAP_PASSWORD`)
//! or an OAuth access token (from `token_command`, for XOAUTH2: Google Workspace and
//! Microsoft 365 no longer take passwords). Read when needed, never stored; a command's own
//! complaint is shown when it fails.

use anyhow::{Result, bail};

#[derive(Clone, PartialEq, Eq)]
pub enum Secret {
    Password(String),
    Token(String),
}

impl std::fmt::Debug for Secret {
    // Never printed, whatever prints it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Secret::Password(_) => f.write_str("Secret::Password(…)"),
            Secret::Token(_) => f.write_str("Secret::Token(…)"),
        }
    }
}

/// The secret the settings name: the token command's, else the password command's, else
/// the environment's.
pub fn secret(password_command: Option<&str>, token_command: Option<&str>) -> Result<Secret> {
    if let Some(cmd) = token_command {
        return Ok(Secret::Token(first_line(cmd, "token_command")?));
    }
    if let Some(cmd) = password_command {
        return Ok(Secret::Password(first_line(cmd, "password_command")?));
    }
    match std::env::var("TOUCHBASE_IMAP_PASSWORD") {
        Ok(p) => Ok(Secret::Password(p)),
        Err(_) => bail!(
            "no IMAP password: set password_command (or token_command for OAuth) in [inbox], or TOUCHBASE_IMAP_PASSWORD"
        ),
    }
}

/// The first line a command prints; its own error output when it fails.
fn first_line(cmd: &str, what: &str) -> Result<String> {
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| anyhow::anyhow!("running {what}: {e}"))?;
    if !out.status.success() {
        let said = String::from_utf8_lossy(&out.stderr);
        let said = crate::text::sanitize(said.trim());
        if said.is_empty() {
            bail!("{what} failed ({})", out.status);
        }
        bail!("{what} failed ({}): {said}", out.status);
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().next().unwrap_or_default().to_string();
    if line.is_empty() {
        bail!("{what} printed nothing");
    }
    Ok(line)
}
