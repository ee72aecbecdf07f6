//! Reading an IMAP mailbox, read-only: `EXAMINE` (never `SELECT`), `BODY.PEEK` (never a
//! `\Seen`), no flag, no move. (The Sent folder's lookup and copy are in `sent_folder`.) TLS from the start (`imaps://`, port 993) or upgraded with
//! STARTTLS (`imap://`, port 143); a password or an OAuth token (XOAUTH2, OAUTHBEARER). A
//! message is keyed by folder, UIDVALIDITY and UID, so a sync fetches only what it has not
//! seen, and only what arrived in its window (`SEARCH SINCE`); headers come first, and a
//! body only for the messages that need one. Secrets are used for the login and never
//! stored or logged. Every failure says which of the usual ones it is.

use super::secret::Secret;
use anyhow::{Context, Result};
use rustls::pki_types::{CertificateDer, ServerName, pem::PemObject};
use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

/// How long a connection may take to open.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long the server may stay silent once connected: 30 s, or
/// `TOUCHBASE_IMAP_READ_TIMEOUT` seconds (a slow link; the tests' silent server).
fn read_timeout() -> Duration {
    let secs = std::env::var("TOUCHBASE_IMAP_READ_TIMEOUT")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .filter(|s| *s > 0)
        .unwrap_or(30);
    Duration::from_secs(secs)
}

/// How the connection is kept private.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// TLS from the first byte (`imaps://`, 993).
    Tls,
    /// Plain first, then STARTTLS before anything is said (`imap://`, 143).
    StartTls,
}

/// Where to read: from `imaps://user@host[:port]` or `imap://user@host[:port]`. The user
/// is percent-decoded (`dana%40example.com`, as aerc writes it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub user: String,
    pub host: String,
    pub port: u16,
    pub security: Security,
}

impl Account {
    pub fn parse(url: &str) -> Result<Account> {
        let (security, rest, default_port) = if let Some(rest) = url.strip_prefix("imaps://") {
            (Security::Tls, rest, 993)
        } else if let Some(rest) = url.strip_prefix("imap://") {
            (Security::StartTls, rest, 143)
        } else {
            anyhow::bail!(
                "[inbox] imap = \"{url}\": write it imaps://user@host (TLS) or imap://user@host (STARTTLS)"
            );
        };
        let (user, server) = rest.rsplit_once('@').ok_or_else(|| {
            anyhow::anyhow!("[inbox] imap = \"{url}\": the user is missing (imaps://user@host)")
        })?;
        let user = percent_encoding::percent_decode_str(user)
            .decode_utf8()
            .map_err(|_| anyhow::anyhow!("[inbox] imap = \"{url}\": the user is not UTF-8"))?
            .into_owned();
        let server = server.trim_end_matches('/');
        let (host, port) = match server.rsplit_once(':') {
            Some((h, p)) => (
                h.to_string(),
                p.parse::<u16>().map_err(|_| {
                    anyhow::anyhow!("[inbox] imap = \"{url}\": '{p}' is not a port")
                })?,
            ),
            None => (server.to_string(), default_port),
        };
        Ok(Account {
            user,
            host,
            port,
            security,
        })
    }

    fn address(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }
}

/// What went wrong reaching the mailbox, named as the rep can act on it.
#[derive(Debug, thiserror::Error)]
pub enum ImapError {
    #[error("{address} does not answer: {detail} (offline, or a wrong host or port)")]
    Unreachable { address: String, detail: String },
    #[error("{address} timed out {during}")]
    TimedOut {
        address: String,
        during: &'static str,
    },
    #[error("{address}: {detail}")]
    Tls { address: String, detail: String },
    #[error(
        "{address}: the server's certificate is not trusted ({detail}); set ca_file in [inbox] to the certificate of the authority that signed it"
    )]
    Untrusted { address: String, detail: String },
    #[error("the server refused the login as {user}: {detail}")]
    Credentials { user: String, detail: String },
    #[error("the folder \"{0}\" does not exist on the server")]
    MissingFolder(String),
    #[error("{0:#}")]
    Other(anyhow::Error),
}

type Stream = rustls::StreamOwned<rustls::ClientConnection, TcpStream>;
type Session = imap::Session<Stream>;

/// One fetched message: the whole of it, or (`whole` false) its headers.
pub struct Fetched {
    pub key: String,
    pub raw: Vec<u8>,
    pub whole: bool,
}

/// What to read: the folders, the window, and which messages need their body.
pub struct Wanted<'a> {
    pub folders: &'a [String],
    /// Only messages that arrived on or after this day (`SEARCH SINCE`).
    pub since: chrono::NaiveDate,
    pub seen: &'a HashSet<String>,
    /// From a message's folder and headers: whether its body is needed.
    pub needs_body: &'a dyn Fn(&str, &[u8]) -> bool,
}

/// Logs in (and reads nothing): what `doctor` checks, with the folders it would open.
pub fn check(
    account: &Account,
    secret: &Secret,
    ca_file: Option<&std::path::Path>,
    folders: &[String],
) -> Result<(), ImapError> {
    let mut session = login(account, secret, ca_file)?;
    for folder in folders {
        examine(&mut session, folder)?;
    }
    let _ = session.logout();
    Ok(())
}

/// The messages of the wanted folders and window not seen before: headers first, the
/// whole message only for those whose headers ask for it.
pub fn unseen(
    account: &Account,
    secret: &Secret,
    ca_file: Option<&std::path::Path>,
    wanted: &Wanted,
) -> Result<Vec<Fetched>, ImapError> {
    let mut session = login(account, secret, ca_file)?;
    let mut out = Vec::new();
    for folder in wanted.folders {
        let validity = examine(&mut session, folder)?;
        let key = |uid: u32| format!("imap:{folder}:{validity}:{uid}");
        let uids = window_uids(&mut session, wanted.since)?;
        let mut new: Vec<u32> = uids
            .into_iter()
            .filter(|u| !wanted.seen.contains(&key(*u)))
            .collect();
        new.sort_unstable();
        for chunk in new.chunks(500) {
            let heads = fetch(&mut session, chunk, "BODY.PEEK[HEADER]")?;
            let mut bodies = Vec::new();
            for (uid, head) in heads {
                if (wanted.needs_body)(folder, &head) {
                    bodies.push(uid);
                } else {
                    out.push(Fetched {
                        key: key(uid),
                        raw: head,
                        whole: false,
                    });
                }
            }
            for part in bodies.chunks(100) {
                for (uid, raw) in fetch(&mut session, part, "BODY.PEEK[]")? {
                    out.push(Fetched {
                        key: key(uid),
                        raw,
                        whole: true,
                    });
                }
            }
        }
    }
    let _ = session.logout();
    Ok(out)
}

/// The UIDs of the messages that arrived since `since` (by the server's arrival date).
fn window_uids(session: &mut Session, since: chrono::NaiveDate) -> Result<Vec<u32>, ImapError> {
    let found = session
        .uid_search(format!("SINCE {}", since.format("%-d-%b-%Y")))
        .map_err(|e| other(e, "listing messages"))?;
    Ok(found.into_iter().collect())
}

/// Opens `folder` read-only; its UIDVALIDITY.
pub(super) fn examine(session: &mut Session, folder: &str) -> Result<u32, ImapError> {
    match session.examine(folder) {
        Ok(mailbox) => Ok(mailbox.uid_validity.unwrap_or(0)),
        Err(imap::Error::No(_)) => Err(ImapError::MissingFolder(folder.to_string())),
        Err(e) => Err(other(e, &format!("opening {folder} read-only"))),
    }
}

/// `(uid, bytes)` of `item` for these UIDs.
fn fetch(
    session: &mut Session,
    uids: &[u32],
    item: &str,
) -> Result<Vec<(u32, Vec<u8>)>, ImapError> {
    let set: Vec<String> = uids.iter().map(u32::to_string).collect();
    let fetched = session
        .uid_fetch(set.join(","), format!("(UID {item})"))
        .map_err(|e| other(e, "fetching messages"))?;
    Ok(fetched
        .iter()
        .filter_map(|f| {
            let bytes = f.body().or_else(|| f.header())?;
            Some((f.uid?, bytes.to_vec()))
        })
        .collect())
}

pub(super) fn other(e: imap::Error, what: &str) -> ImapError {
    if let imap::Error::Io(io) = &e {
        if is_timeout(io) {
            return ImapError::TimedOut {
                address: String::new(),
                during: "waiting for the server",
            };
        }
    }
    ImapError::Other(anyhow::anyhow!("{what}: {e}"))
}

fn is_timeout(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
    )
}

/// Connects, secures and logs in.
pub(super) fn login(
    account: &Account,
    secret: &Secret,
    ca_file: Option<&std::path::Path>,
) -> Result<Session, ImapError> {
    let address = account.address();
    let mut tcp = connect(account)?;
    if account.security == Security::StartTls {
        starttls(&mut tcp, &address)?;
    }
    let stream = secure(account, tcp, ca_file)?;
    let mut client = imap::Client::new(stream);
    if account.security == Security::Tls {
        client.read_greeting().map_err(|e| match e {
            imap::Error::Io(io) if is_timeout(&io) => ImapError::TimedOut {
                address: address.clone(),
                during: "waiting for its greeting",
            },
            e => ImapError::Other(anyhow::anyhow!("reading the IMAP greeting: {e}")),
        })?;
    }
    let refused = |e: imap::Error| {
        let detail = match e {
            imap::Error::No(r) => r.information,
            imap::Error::Bad(r) => r.information,
            e => return other(e, "logging in"),
        };
        ImapError::Credentials {
            user: account.user.clone(),
            detail,
        }
    };
    match secret {
        Secret::Password(password) => client
            .login(&account.user, password)
            .map_err(|(e, _)| refused(e)),
        Secret::Token(token) => {
            // OAUTHBEARER (RFC 7628) where the server offers it, else XOAUTH2 (Google's
            // and Microsoft's own, which both also take).
            let bearer = client
                .capabilities()
                .map(|c| c.has_str("AUTH=OAUTHBEARER"))
                .unwrap_or(false);
            let auth = OAuth {
                user: account.user.clone(),
                token: token.clone(),
                bearer: bearer.then(|| (account.host.clone(), account.port)),
            };
            let mechanism = if bearer { "OAUTHBEARER" } else { "XOAUTH2" };
            client
                .authenticate(mechanism, &auth)
                .map_err(|(e, _)| refused(e))
        }
    }
}

/// The one SASL response of XOAUTH2 or, with the server's host and port, OAUTHBEARER.
struct OAuth {
    user: String,
    token: String,
    bearer: Option<(String, u16)>,
}

impl imap::Authenticator for OAuth {
    type Response = String;
    fn process(&self, challenge: &[u8]) -> String {
        // A second round is the server's error report: this answer ends the exchange.
        if !challenge.is_empty() {
            let end = if self.bearer.is_some() { "\x01" } else { "" };
            return end.to_string();
        }
        match &self.bearer {
            Some((host, port)) => format!(
                "n,a={},\x01host={host}\x01port={port}\x01auth=Bearer {}\x01\x01",
                self.user, self.token
            ),
            None => format!("user={}\x01auth=Bearer {}\x01\x01", self.user, self.token),
        }
    }
}

fn connect(account: &Account) -> Result<TcpStream, ImapError> {
    let address = account.address();
    let unreachable = |detail: String| ImapError::Unreachable {
        address: address.clone(),
        detail,
    };
    let addrs = (account.host.as_str(), account.port)
        .to_socket_addrs()
        .map_err(|e| unreachable(e.to_string()))?;
    let mut last = "no address".to_string();
    for a in addrs {
        match TcpStream::connect_timeout(&a, CONNECT_TIMEOUT) {
            Ok(tcp) => {
                tcp.set_read_timeout(Some(read_timeout()))
                    .and_then(|()| tcp.set_write_timeout(Some(read_timeout())))
                    .map_err(|e| unreachable(e.to_string()))?;
                return Ok(tcp);
            }
            Err(e) if is_timeout(&e) => {
                return Err(ImapError::TimedOut {
                    address,
                    during: "connecting (10 s)",
                });
            }
            Err(e) => last = e.to_string(),
        }
    }
    Err(unreachable(last))
}

/// The plain greeting, then STARTTLS, before anything else is said.
fn starttls(tcp: &mut TcpStream, address: &str) -> Result<(), ImapError> {
    let mismatch = |detail: &str| ImapError::Tls {
        address: address.to_string(),
        detail: format!(
            "{detail}: imap:// starts in plain text and upgrades; a port that speaks TLS from the start wants imaps://"
        ),
    };
    let greeting = read_line(tcp, address, "waiting for its greeting")?;
    if !greeting.starts_with("* OK") && !greeting.starts_with("* PREAUTH") {
        return Err(mismatch("the server did not greet in plain text"));
    }
    tcp.write_all(b"t1 STARTTLS\r\n")
        .map_err(|e| ImapError::Other(e.into()))?;
    loop {
        let line = read_line(tcp, address, "waiting for STARTTLS")?;
        if let Some(answer) = line.strip_prefix("t1 ") {
            if answer.starts_with("OK") {
                return Ok(());
            }
            return Err(ImapError::Tls {
                address: address.to_string(),
                detail: format!("the server does not offer STARTTLS ({answer}); try imaps://"),
            });
        }
    }
}

/// One line from the plain connection (at most 8 KB).
fn read_line(
    tcp: &mut TcpStream,
    address: &str,
    during: &'static str,
) -> Result<String, ImapError> {
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    while line.len() < 8192 {
        let read = tcp.read(&mut byte);
        let [b] = byte;
        match read {
            Ok(0) => break,
            Ok(_) if b == b'\n' => break,
            Ok(_) => line.push(b),
            Err(e) if is_timeout(&e) => {
                return Err(ImapError::TimedOut {
                    address: address.to_string(),
                    during,
                });
            }
            Err(e) => return Err(ImapError::Other(e.into())),
        }
    }
    Ok(String::from_utf8_lossy(&line).trim_end().to_string())
}

/// TLS over the connection, the handshake done here so that its failure is named.
fn secure(
    account: &Account,
    mut tcp: TcpStream,
    ca_file: Option<&std::path::Path>,
) -> Result<Stream, ImapError> {
    let address = account.address();
    let config = tls_config(ca_file).map_err(ImapError::Other)?;
    let name = ServerName::try_from(account.host.clone())
        .map_err(|_| ImapError::Other(anyhow::anyhow!("'{}' is not a host name", account.host)))?;
    let mut conn = rustls::ClientConnection::new(Arc::new(config), name)
        .map_err(|e| ImapError::Other(e.into()))?;
    while conn.is_handshaking() {
        if let Err(e) = conn.complete_io(&mut tcp) {
            return Err(handshake_error(&address, e, ca_file.is_some()));
        }
    }
    Ok(rustls::StreamOwned::new(conn, tcp))
}

fn handshake_error(address: &str, e: std::io::Error, has_ca: bool) -> ImapError {
    if is_timeout(&e) {
        return ImapError::TimedOut {
            address: address.to_string(),
            during: "during the TLS handshake",
        };
    }
    let tls = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>());
    match tls {
        Some(rustls::Error::InvalidCertificate(why)) => ImapError::Untrusted {
            address: address.to_string(),
            detail: if has_ca {
                format!("{why:?}, not even by ca_file")
            } else {
                format!("{why:?}")
            },
        },
        Some(rustls::Error::InvalidMessage(_)) | Some(rustls::Error::InappropriateMessage { .. }) => {
            ImapError::Tls {
                address: address.to_string(),
                detail: "the server did not answer in TLS: imaps:// speaks TLS from the start; a port that starts in plain text (143) wants imap://".to_string(),
            }
        }
        _ => ImapError::Tls {
            address: address.to_string(),
            detail: format!("TLS failed: {e}"),
        },
    }
}

/// The public roots, and the certificate in `ca_file` (a company's own CA, a test server).
fn tls_config(ca_file: Option<&std::path::Path>) -> Result<rustls::ClientConfig> {
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
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("TLS setup")?
        .with_root_certificates(roots)
        .with_no_client_auth())
}
