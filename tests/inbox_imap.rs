//! The inbox over IMAP against a real Dovecot: started here on 127.0.0.1 at a free port with
//! a throwaway config, user and self-signed certificate, the corpus delivered into its
//! Maildir. A sync applies each kind once, the next applies nothing, and the messages on the
//! server are byte for byte as they were (nothing flagged, nothing moved). In CI a missing
//! Dovecot fails the test.

use crate::inbox_sync::{
    CORPUS, NOW, add_prospects, by_kind, dump, inbox_config, maildir_at, sync,
};
use crate::util::Sandbox;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn have(tool: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool} || test -x /usr/sbin/{tool}"))
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A Dovecot of our own, serving one user's Maildir over IMAPS.
struct Dovecot {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Dovecot {
    fn start(dir: &Path) -> Dovecot {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
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
        let config = format!(
            "first_valid_uid = 0\nfirst_valid_gid = 0\nbase_dir = {d}/run\nstate_dir = {d}/state\n\
             log_path = {d}/log\nprotocols = imap\nlisten = 127.0.0.1\nssl = required\n\
             ssl_cert = <{d}/cert.pem\nssl_key = <{d}/key.pem\nauth_mechanisms = plain\n\
             mail_location = maildir:{d}/home/%u/Maildir\n\
             passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN {d}/users\n}}\n\
             userdb {{\n  driver = static\n  args = uid={uid} gid={gid} home={d}/home/%u\n}}\n\
             service imap-login {{\n  chroot =\n  inet_listener imap {{\n    port = 0\n  }}\n  \
             inet_listener imaps {{\n    port = {port}\n    ssl = yes\n  }}\n}}\n\
             service anvil {{\n  chroot =\n}}\n"
        );
        std::fs::write(dir.join("dovecot.conf"), config).expect("config");
        std::fs::write(dir.join("users"), "sam:{PLAIN}s3cret\n").expect("users");
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
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "dovecot did not listen"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Dovecot {
            child,
            port,
            dir: dir.to_path_buf(),
        }
    }

    fn maildir(&self) -> PathBuf {
        self.dir.join("home/sam/Maildir")
    }

    /// Hands the mail to the user Dovecot runs it as.
    fn own_mail(&self) {
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

impl Drop for Dovecot {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The message files on the server: name and bytes.
fn messages(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = ["cur", "new"]
        .iter()
        .flat_map(|sub| std::fs::read_dir(dir.join(sub)).into_iter().flatten())
        .map(|e| {
            let e = e.expect("entry");
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_sync_over_imap_applies_once_and_changes_nothing_on_the_server() {
    if !have("dovecot") {
        assert!(
            std::env::var_os("CI").is_none(),
            "dovecot is not installed (CI installs it in .ci/run)"
        );
        eprintln!("note: dovecot is not installed; skipping the IMAP test");
        return;
    }
    let sb = Sandbox::new();
    sb.write_me();
    let server_dir = sb.dir.path().join("dovecot");
    let dovecot = Dovecot::start(&server_dir);
    maildir_at(&dovecot.maildir(), &CORPUS);
    dovecot.own_mail();
    inbox_config(
        &sb,
        &format!(
            "imap = \"imaps://sam@127.0.0.1:{}\"\npassword_command = \"echo s3cret\"\nca_file = \"{}\"\n",
            dovecot.port,
            server_dir.join("ca.pem").display()
        ),
    );
    add_prospects(&sb);
    let on_server = messages(&dovecot.maildir());
    let before = dump(&sb);
    let first = sync(&sb, &[]);
    assert_eq!(
        first.as_array().map(Vec::len),
        Some(CORPUS.len()),
        "{first:#}"
    );
    assert_eq!(by_kind(&first, "reply").len(), 1, "{first:#}");
    assert_eq!(by_kind(&first, "bounce").len(), 1);
    assert_eq!(by_kind(&first, "opt_out").len(), 1);
    assert_ne!(dump(&sb), before);
    // Nothing new: nothing fetched, nothing applied.
    let after = dump(&sb);
    let again = sync(&sb, &[]);
    assert_eq!(again.as_array().map(Vec::len), Some(0), "{again:#}");
    assert_eq!(dump(&sb), after);
    // Read-only: the same files, names (flags) and bytes.
    assert_eq!(messages(&dovecot.maildir()), on_server);
    // A wrong password is one clear error, and changes nothing.
    let config = sb.config_dir().join("config.toml");
    let text = std::fs::read_to_string(&config)
        .expect("config")
        .replace("echo s3cret", "echo nope");
    std::fs::write(&config, text).expect("config");
    let out = sb.cmd(NOW).arg("inbox").output().expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("IMAP login as sam failed"), "{err}");
    assert!(!err.contains("nope"), "the password is never shown: {err}");
}
