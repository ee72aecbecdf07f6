//! A Postfix of our own for the sending tests: started on 127.0.0.1 with a throwaway
//! configuration directory, listening with STARTTLS (`port`, as 587) and TLS from the start
//! (`tls_port`, as 465), logging in through the test Dovecot's SASL socket (users `sam`,
//! password `s3cret`), and delivering every message into one Maildir the test reads back.
//! Stopped when dropped. Postfix runs as root (it drops to its own user).
// A test helper: it panics when the server cannot be set up.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use crate::dovecot::Dovecot;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Whether the tests can start Postfix and Dovecot here (as `dovecot_here`).
pub fn postfix_here() -> bool {
    if crate::dovecot::have("postfix") && crate::dovecot::have("dovecot") {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "postfix or dovecot is not installed (CI installs them in .ci/run)"
    );
    eprintln!("note: postfix or dovecot is not installed; skipping the sending test");
    false
}

pub struct Postfix {
    dir: PathBuf,
    pub port: u16,
    pub tls_port: u16,
}

impl Postfix {
    pub fn start(dir: &Path, dovecot: &Dovecot) -> Postfix {
        let free = || {
            std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .expect("free port")
                .port()
        };
        let (port, tls_port) = (free(), free());
        for sub in ["mail", "data", "queue"] {
            std::fs::create_dir_all(dir.join(sub)).expect("dirs");
        }
        let own = |owner: &str, path: &Path| {
            let ok = Command::new("chown")
                .arg(owner)
                .arg(path)
                .status()
                .is_ok_and(|s| s.success());
            assert!(ok, "chown {owner} {}", path.display());
        };
        own("postfix", &dir.join("data"));
        own("65534:65534", &dir.join("mail"));
        let (d, v) = (dir.display(), dovecot.dir().display());
        std::fs::write(
            dir.join("main.cf"),
            format!(
                "compatibility_level = 3.6\nqueue_directory = {d}/queue\ndata_directory = {d}/data\n\
                 mail_owner = postfix\nsetgid_group = postdrop\ninet_interfaces = 127.0.0.1\n\
                 inet_protocols = ipv4\nmyhostname = localhost\nmydestination =\n\
                 smtpd_tls_cert_file = {v}/cert.pem\nsmtpd_tls_key_file = {v}/key.pem\n\
                 smtpd_tls_security_level = may\nsmtpd_tls_auth_only = yes\n\
                 smtpd_sasl_auth_enable = yes\nsmtpd_sasl_type = dovecot\nsmtpd_sasl_path = {v}/auth-smtp\n\
                 smtpd_relay_restrictions = permit_sasl_authenticated, reject\n\
                 smtpd_recipient_restrictions = check_recipient_access texthash:{d}/refuse\n\
                 virtual_mailbox_domains = static:ALL\nvirtual_mailbox_base = {d}/mail\n\
                 virtual_mailbox_maps = static:sink/\nvirtual_uid_maps = static:65534\n\
                 virtual_gid_maps = static:65534\nmaillog_file_prefixes = /\nmaillog_file = {d}/maillog\n"
            ),
        )
        .expect("main.cf");
        let master = std::fs::read_to_string("/etc/postfix/master.cf").expect("master.cf");
        let master: String = master
            .lines()
            .map(|l| {
                if l.starts_with("smtp      inet") {
                    format!(
                        "127.0.0.1:{port} inet n - n - - smtpd\n\
                         127.0.0.1:{tls_port} inet n - n - - smtpd -o smtpd_tls_wrappermode=yes"
                    )
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::write(dir.join("master.cf"), master).expect("master.cf");
        std::fs::write(dir.join("refuse"), "").expect("refusals");
        let started = Command::new("postfix")
            .arg("-c")
            .arg(dir)
            .arg("start")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        let log = std::fs::read_to_string(dir.join("maillog")).unwrap_or_default();
        assert!(started, "postfix did not start:\n{log}");
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err()
            || std::net::TcpStream::connect(("127.0.0.1", tls_port)).is_err()
        {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "postfix did not listen"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Postfix {
            dir: dir.to_path_buf(),
            port,
            tls_port,
        }
    }

    /// Answers mail to `address` with `answer` ("550 5.1.1 no such user", "451 4.3.0 try
    /// later"), or (`None`) takes it again.
    pub fn refuse(&self, address: &str, answer: Option<&str>) {
        self.refuse_each(&[address], answer);
    }

    /// The same for several addresses (or domains) at once.
    pub fn refuse_each(&self, addresses: &[&str], answer: Option<&str>) {
        let lines: String = answer
            .map(|a| addresses.iter().map(|ad| format!("{ad} {a}\n")).collect())
            .unwrap_or_default();
        std::fs::write(self.dir.join("refuse"), lines).expect("refusals");
        let ok = Command::new("postfix")
            .arg("-c")
            .arg(&self.dir)
            .arg("reload")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "postfix reload");
        // The processes started before the reload finish with the old answers.
        std::thread::sleep(Duration::from_millis(1500));
    }

    /// The messages delivered so far, oldest first, waiting up to `wait` for `at_least`.
    pub fn received(&self, at_least: usize, wait: Duration) -> Vec<String> {
        let start = Instant::now();
        loop {
            let mut files: Vec<PathBuf> = ["new", "cur"]
                .iter()
                .flat_map(|sub| {
                    std::fs::read_dir(self.dir.join("mail/sink").join(sub))
                        .into_iter()
                        .flatten()
                })
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            // In the order delivered: two in one second have names in no order.
            files.sort_by_key(|f| {
                (
                    std::fs::metadata(f).and_then(|m| m.modified()).ok(),
                    f.clone(),
                )
            });
            if files.len() >= at_least || start.elapsed() > wait {
                return files
                    .iter()
                    .map(|f| std::fs::read_to_string(f).expect("message"))
                    .collect();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Postfix {
    fn drop(&mut self) {
        let _ = Command::new("postfix")
            .arg("-c")
            .arg(&self.dir)
            .arg("stop")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}
