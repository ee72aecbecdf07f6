//! A Dovecot of our own for the IMAP tests and the inbox benchmark: started on 127.0.0.1 at
//! a free port with a throwaway config, one user, and a CA and server certificate made by
//! openssl; stopped when dropped. Shared by `tests/` and `benches/` (included by path).
// A test helper: it panics when the server cannot be set up.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Whether a command is installed (also as /usr/sbin/NAME, where Debian puts Dovecot).
pub fn have(tool: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool} || test -x /usr/sbin/{tool}"))
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Whether the tests can start a Dovecot here: on a machine without one a test says so and
/// stops; in CI (which installs it) a missing Dovecot fails it.
pub fn dovecot_here() -> bool {
    if have("dovecot") {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "dovecot is not installed (CI installs it in .ci/run)"
    );
    eprintln!("note: dovecot is not installed; skipping the IMAP test");
    false
}

/// A Dovecot of our own, serving one user's Maildir over IMAPS (`port`) and over plain
/// IMAP that must upgrade with STARTTLS before a login (`plain_port`). Its users are `sam`
/// and `dana@relaypoint.example`, both with the password `s3cret`.
pub struct Dovecot {
    child: Child,
    pub port: u16,
    pub plain_port: u16,
    dir: PathBuf,
}

impl Dovecot {
    pub fn start(dir: &Path) -> Dovecot {
        Dovecot::start_offering(dir, "plain xoauth2 oauthbearer")
    }

    /// The same, offering these SASL mechanisms (Microsoft's IMAP offers XOAUTH2 alone).
    pub fn start_offering(dir: &Path, mechanisms: &str) -> Dovecot {
        let free = || {
            std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .expect("free port")
                .port()
        };
        let (port, plain_port) = (free(), free());
        for sub in ["run", "state", "home/sam/Maildir"] {
            std::fs::create_dir_all(dir.join(sub)).expect("dirs");
        }
        // A CA of its own, and the server's certificate signed by it (a certificate that
        // is its own CA is not accepted for a server).
        let openssl = |args: &[&str]| {
            let ok = Command::new("openssl")
                .current_dir(dir)
                .args(args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("openssl");
            assert!(ok.success(), "openssl {args:?} failed");
        };
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=touchbase test CA",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
        ]);
        openssl(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=localhost",
            "-keyout",
            "key.pem",
            "-out",
            "server.csr",
        ]);
        std::fs::write(
            dir.join("server.ext"),
            "basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n",
        )
        .expect("ext");
        openssl(&[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "server.ext",
            "-out",
            "cert.pem",
        ]);
        // Dovecot never runs mail as root: as root, the mail belongs to nobody.
        let root = Command::new("id")
            .arg("-u")
            .output()
            .map(|o| o.stdout.starts_with(b"0"))
            .unwrap_or(false);
        let (uid, gid) = if root {
            ("65534".to_string(), "65534".to_string())
        } else {
            let id = |f: &str| {
                String::from_utf8_lossy(&Command::new("id").arg(f).output().expect("id").stdout)
                    .trim()
                    .to_string()
            };
            (id("-u"), id("-g"))
        };
        let d = dir.display();
        // OAuth: tokens are checked by a token service of our own (as Google's or
        // Microsoft's would be): `tok-sam` is sam's, anything else is no one's.
        let tokens = token_service();
        std::fs::write(
            dir.join("oauth2.conf"),
            format!(
                "tokeninfo_url = http://127.0.0.1:{tokens}/tokeninfo?access_token=\n\
                 introspection_mode = post\n\
                 introspection_url = http://127.0.0.1:{tokens}/introspect\n\
                 username_attribute = username\nactive_attribute = active\nactive_value = true\n"
            ),
        )
        .expect("oauth2 config");
        let config = format!(
            "first_valid_uid = 0\nfirst_valid_gid = 0\nbase_dir = {d}/run\nstate_dir = {d}/state\n\
             log_path = {d}/log\nprotocols = imap\nlisten = 127.0.0.1\nssl = required\n\
             ssl_cert = <{d}/cert.pem\nssl_key = <{d}/key.pem\nauth_mechanisms = {mechanisms}\n\
             mail_location = maildir:{d}/home/%u/Maildir\n\
             passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN {d}/users\n}}\n\
             passdb {{\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  args = {d}/oauth2.conf\n}}\n\
             userdb {{\n  driver = static\n  args = uid={uid} gid={gid} home={d}/home/%u\n}}\n\
             service imap-login {{\n  chroot =\n  inet_listener imap {{\n    port = {plain_port}\n  }}\n  \
             inet_listener imaps {{\n    port = {port}\n    ssl = yes\n  }}\n}}\n\
             service anvil {{\n  chroot =\n}}\n\
             service auth {{\n  unix_listener {d}/auth-smtp {{\n    mode = 0666\n  }}\n}}\n"
        );
        std::fs::write(dir.join("dovecot.conf"), config).expect("config");
        std::fs::write(
            dir.join("users"),
            "sam:{PLAIN}s3cret\ndana@relaypoint.example:{PLAIN}s3cret\n",
        )
        .expect("users");
        std::fs::create_dir_all(dir.join("home/dana@relaypoint.example/Maildir")).expect("home");
        let child = Command::new(
            if have("dovecot") && Path::new("/usr/sbin/dovecot").exists() {
                "/usr/sbin/dovecot"
            } else {
                "dovecot"
            },
        )
        .arg("-F")
        .arg("-c")
        .arg(dir.join("dovecot.conf"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("dovecot");
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err()
            || std::net::TcpStream::connect(("127.0.0.1", plain_port)).is_err()
        {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "dovecot did not listen"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Dovecot {
            child,
            port,
            plain_port,
            dir: dir.to_path_buf(),
        }
    }

    pub fn maildir(&self) -> PathBuf {
        self.dir.join("home/sam/Maildir")
    }

    /// Hands the mail to the user Dovecot runs it as.
    pub fn own_mail(&self) {
        let root = Command::new("id")
            .arg("-u")
            .output()
            .map(|o| o.stdout.starts_with(b"0"))
            .unwrap_or(false);
        if root {
            Command::new("chown")
                .args(["-R", "65534:65534"])
                .arg(self.dir.join("home"))
                .status()
                .expect("chown");
        }
    }
}

impl Dovecot {
    /// The CA certificate that signed the server's.
    pub fn ca(&self) -> PathBuf {
        self.dir.join("ca.pem")
    }

    /// The folder holding its certificate (`cert.pem`, `key.pem`) and its SASL socket
    /// for an SMTP server (`auth-smtp`).
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A token service on 127.0.0.1 (its port): answers every request with whether the token in
/// it (in the query, the form body or a bearer header) is `tok-sam`, sam's.
fn token_service() -> u16 {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("token service");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
            let mut request = Vec::new();
            let mut buf = [0u8; 4096];
            // Headers, then as much body as Content-Length says.
            while let Ok(n) = stream.read(&mut buf) {
                if n == 0 {
                    break;
                }
                request.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&request);
                if let Some(end) = text.find("\r\n\r\n") {
                    let length = text
                        .lines()
                        .find_map(|l| {
                            l.to_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                        })
                        .unwrap_or(0);
                    if request.len() >= end + 4 + length {
                        break;
                    }
                }
            }
            let text = String::from_utf8_lossy(&request);
            let body = if text.contains("tok-sam") {
                r#"{"active":true,"username":"sam"}"#
            } else {
                r#"{"active":false}"#
            };
            let status = if text.contains("tok-sam") {
                "200 OK"
            } else {
                "401 Unauthorized"
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    port
}
