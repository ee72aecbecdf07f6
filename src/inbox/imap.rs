//! Reading an IMAP mailbox over TLS, read-only: `EXAMINE` (never `SELECT`), `BODY.PEEK[]`
//! (never a `\Seen`), no flag, no move. A message is keyed by folder, UIDVALIDITY and UID,
//! so a sync fetches only what it has not seen. The password comes from `password_command`
//! or `TOUCHBASE_IMAP_PASSWORD`, is used for the login, and is never stored or logged.

use anyhow::{Context, Result, anyhow, bail};
use rustls::pki_types::{CertificateDer, ServerName, pem::PemObject};
use std::collections::HashSet;
use std::net::TcpStream;
use std::sync::Arc;
use std::time::Duration;

/// Where to read: from `imaps://user@host[:port]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub user: String,
    pub host: String,
    pub port: u16,
}

impl Account {
    pub fn parse(url: &str) -> Result<Account> {
        let rest = url.strip_prefix("imaps://").ok_or_else(|| {
            anyhow!("[inbox] imap = \"{url}\": write it imaps://user@host (TLS only)")
        })?;
        let (user, server) = rest.rsplit_once('@').ok_or_else(|| {
            anyhow!("[inbox] imap = \"{url}\": the user is missing (imaps://user@host)")
        })?;
        let server = server.trim_end_matches('/');
        let (host, port) = match server.rsplit_once(':') {
            Some((h, p)) => (
                h.to_string(),
                p.parse::<u16>()
                    .map_err(|_| anyhow!("[inbox] imap = \"{url}\": '{p}' is not a port"))?,
            ),
            None => (server.to_string(), 993),
        };
        Ok(Account {
            user: user.to_string(),
            host,
            port,
        })
    }
}

/// The password: the command's first line, or the environment.
pub fn password(command: Option<&str>) -> Result<String> {
    if let Some(cmd) = command {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(cmd)
            .output()
            .with_context(|| "running password_command".to_string())?;
        if !out.status.success() {
            bail!("password_command failed ({})", out.status);
        }
        let text = String::from_utf8_lossy(&out.stdout);
        return Ok(text.lines().next().unwrap_or_default().to_string());
    }
    std::env::var("TOUCHBASE_IMAP_PASSWORD").map_err(|_| {
        anyhow!("no IMAP password: set password_command in [inbox], or TOUCHBASE_IMAP_PASSWORD")
    })
}

/// One fetched message.
pub struct Fetched {
    pub key: String,
    pub raw: Vec<u8>,
}

/// The messages of `folders` not in `seen`. `ca_file`: a certificate to trust besides the
/// public roots (a company's own CA, a test server).
pub fn unseen(
    account: &Account,
    password: &str,
    folders: &[String],
    ca_file: Option<&std::path::Path>,
    seen: &HashSet<String>,
) -> Result<Vec<Fetched>> {
    let stream = tls(account, ca_file)?;
    let mut client = imap::Client::new(stream);
    client
        .read_greeting()
        .context("reading the IMAP greeting")?;
    let mut session = client
        .login(&account.user, password)
        .map_err(|(e, _)| anyhow!("IMAP login as {} failed: {e}", account.user))?;
    let mut out = Vec::new();
    for folder in folders {
        let mailbox = session
            .examine(folder)
            .with_context(|| format!("opening {folder} read-only"))?;
        let validity = mailbox.uid_validity.unwrap_or(0);
        let key = |uid: u32| format!("imap:{folder}:{validity}:{uid}");
        let uids = session.uid_search("ALL").context("listing messages")?;
        let mut new: Vec<u32> = uids
            .into_iter()
            .filter(|u| !seen.contains(&key(*u)))
            .collect();
        new.sort_unstable();
        for chunk in new.chunks(200) {
            let set: Vec<String> = chunk.iter().map(u32::to_string).collect();
            let fetched = session
                .uid_fetch(set.join(","), "(UID BODY.PEEK[])")
                .context("fetching messages")?;
            for f in fetched.iter() {
                if let (Some(uid), Some(body)) = (f.uid, f.body()) {
                    out.push(Fetched {
                        key: key(uid),
                        raw: body.to_vec(),
                    });
                }
            }
        }
    }
    let _ = session.logout();
    Ok(out)
}

fn tls(
    account: &Account,
    ca_file: Option<&std::path::Path>,
) -> Result<rustls::StreamOwned<rustls::ClientConnection, TcpStream>> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = ca_file {
        let certs = CertificateDer::pem_file_iter(path)
            .with_context(|| format!("reading {}", path.display()))?;
        for cert in certs {
            let cert = cert.with_context(|| format!("reading {}", path.display()))?;
            roots
                .add(cert)
                .with_context(|| format!("{}: not a certificate", path.display()))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("TLS setup")?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = ServerName::try_from(account.host.clone())
        .map_err(|_| anyhow!("'{}' is not a host name", account.host))?;
    let conn = rustls::ClientConnection::new(Arc::new(config), name).context("TLS setup")?;
    let tcp = TcpStream::connect((account.host.as_str(), account.port))
        .with_context(|| format!("connecting to {}:{}", account.host, account.port))?;
    tcp.set_read_timeout(Some(Duration::from_secs(30)))?;
    Ok(rustls::StreamOwned::new(conn, tcp))
}
