//! Handing a message over: SMTP (`smtps://` TLS on 465, `smtp://` STARTTLS on 587) with a
//! password or an OAuth token, or a sendmail-compatible command reading it on its input.
//! Each failure says what kind it is: the server will take it later, the address was
//! refused (a bounce), or the account cannot send (and sending stops).

use crate::config::Inbox;
use crate::config::send::Send;
use crate::inbox::secret::Secret;
use anyhow::{Context, Result, anyhow, bail};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, CertificateStore, Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport as _};
use std::io::Write;
use std::time::Duration;

/// Why a message did not go.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// A 4xx answer or a dropped connection: it may be tried again later.
    #[error("the server will take it later: {0}")]
    Temporary(String),
    /// A permanent refusal of the recipient (5.1.x): a bounce.
    #[error("the server refused the address: {0}")]
    Bounce(String),
    /// The account cannot send (login, TLS, a refusal of the sender): sending stops.
    #[error("{0}")]
    Account(String),
}

/// The configured way out.
pub enum Transport {
    Smtp(Box<SmtpTransport>),
    Sendmail(String),
}

impl Transport {
    /// From `[send]`; the secret from its commands, else `[inbox]`'s.
    pub fn from_config(send: &Send, inbox: Option<&Inbox>) -> Result<Transport> {
        match (&send.smtp, &send.sendmail) {
            (Some(url), _) => smtp(url, send, inbox).map(|t| Transport::Smtp(Box::new(t))),
            (None, Some(cmd)) => Ok(Transport::Sendmail(cmd.clone())),
            (None, None) => {
                bail!("[send] names no smtp = \"smtps://you@host\" nor sendmail = \"…\"")
            }
        }
    }

    /// Hands the message over; `Ok` means the server (or the command) took it.
    pub fn deliver(&self, message: &Message) -> Result<(), SendError> {
        match self {
            Transport::Smtp(t) => t.send(message).map(|_| ()).map_err(smtp_error),
            Transport::Sendmail(cmd) => sendmail(cmd, &message.formatted()),
        }
    }

    /// Logs in and says nothing (EHLO, STARTTLS, AUTH): what `doctor` checks.
    pub fn check(&self) -> Result<(), SendError> {
        match self {
            Transport::Smtp(t) => match t.test_connection() {
                Ok(true) => Ok(()),
                Ok(false) => Err(SendError::Account("the server did not answer".into())),
                Err(e) => Err(smtp_error(e)),
            },
            Transport::Sendmail(cmd) => {
                let program = cmd.split_whitespace().next().unwrap_or_default();
                let found = std::process::Command::new("sh")
                    .arg("-c")
                    .arg(format!("command -v {program}"))
                    .output()
                    .is_ok_and(|o| o.status.success());
                if found {
                    Ok(())
                } else {
                    Err(SendError::Account(format!(
                        "the sendmail command '{program}' is not installed"
                    )))
                }
            }
        }
    }
}

fn smtp(url: &str, send: &Send, inbox: Option<&Inbox>) -> Result<SmtpTransport> {
    let (wrapper, rest, default_port) = if let Some(rest) = url.strip_prefix("smtps://") {
        (true, rest, 465)
    } else if let Some(rest) = url.strip_prefix("smtp://") {
        (false, rest, 587)
    } else {
        bail!(
            "[send] smtp = \"{url}\": write it smtps://user@host (TLS, 465) or smtp://user@host (STARTTLS, 587)"
        );
    };
    let (user, server) = rest
        .rsplit_once('@')
        .ok_or_else(|| anyhow!("[send] smtp = \"{url}\": the user is missing"))?;
    let user = percent_encoding::percent_decode_str(user)
        .decode_utf8()
        .map_err(|_| anyhow!("[send] smtp = \"{url}\": the user is not UTF-8"))?
        .into_owned();
    let server = server.trim_end_matches('/');
    let (host, port) = match server.rsplit_once(':') {
        Some((h, p)) => (
            h.to_string(),
            p.parse::<u16>()
                .map_err(|_| anyhow!("[send] smtp = \"{url}\": '{p}' is not a port"))?,
        ),
        None => (server.to_string(), default_port),
    };
    let mut tls =
        TlsParameters::builder(host.clone()).certificate_store(CertificateStore::WebpkiRoots);
    let ca = send.ca_path().or_else(|| inbox.and_then(Inbox::ca_path));
    if let Some(path) = ca {
        let pem = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let cert = Certificate::from_pem(&pem)
            .map_err(|e| anyhow!("{}: not a certificate ({e})", path.display()))?;
        tls = tls.add_root_certificate(cert);
    }
    let tls = tls.build_rustls().context("TLS setup")?;
    let secret = match (&send.password_command, &send.token_command, inbox) {
        (None, None, Some(inbox)) => inbox.secret()?,
        _ => crate::inbox::secret::secret(
            send.password_command.as_deref(),
            send.token_command.as_deref(),
        )?,
    };
    let (credentials, mechanisms) = match secret {
        Secret::Password(p) => (
            Credentials::new(user, p),
            vec![Mechanism::Plain, Mechanism::Login],
        ),
        Secret::Token(t) => (Credentials::new(user, t), vec![Mechanism::Xoauth2]),
    };
    Ok(SmtpTransport::builder_dangerous(host)
        .port(port)
        .tls(if wrapper {
            Tls::Wrapper(tls)
        } else {
            Tls::Required(tls)
        })
        .credentials(credentials)
        .authentication(mechanisms)
        .timeout(Some(Duration::from_secs(30)))
        .build())
}

/// What an SMTP failure means for the message and the account.
fn smtp_error(e: lettre::transport::smtp::Error) -> SendError {
    let said = e.to_string();
    if e.is_transient() || e.is_timeout() || e.is_transport_shutdown() {
        return SendError::Temporary(said);
    }
    // 5.1.x: the recipient's address (RFC 3463).
    let recipient = said.contains("5.1.") || said.contains(" 550 ") || said.starts_with("550");
    if e.is_permanent() && recipient && !said.contains("5.7.") {
        return SendError::Bounce(said);
    }
    SendError::Account(said)
}

/// Runs the sendmail-compatible command with the message on its input.
fn sendmail(cmd: &str, bytes: &[u8]) -> Result<(), SendError> {
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| SendError::Account(format!("running {cmd}: {e}")))?;
    if let Some(mut input) = child.stdin.take() {
        input
            .write_all(bytes)
            .map_err(|e| SendError::Temporary(format!("writing to {cmd}: {e}")))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| SendError::Temporary(format!("waiting for {cmd}: {e}")))?;
    if out.status.success() {
        return Ok(());
    }
    let said = crate::text::sanitize(String::from_utf8_lossy(&out.stderr).trim());
    // sysexits: 75 (EX_TEMPFAIL) is a try-again.
    match out.status.code() {
        Some(75) => Err(SendError::Temporary(said)),
        _ => Err(SendError::Account(format!(
            "{cmd} failed ({}): {said}",
            out.status
        ))),
    }
}
