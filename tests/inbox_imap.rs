//! The inbox over IMAP against a real Dovecot: started here on 127.0.0.1 at a free port with
//! a throwaway config, user and self-signed certificate, the corpus delivered into its
//! Maildir. A sync applies each kind once, the next applies nothing, and the messages on the
//! server are byte for byte as they were (nothing flagged, nothing moved). In CI a missing
//! Dovecot fails the test.

use crate::dovecot::{Dovecot, dovecot_here};
use crate::inbox_sync::{
    CORPUS, NOW, add_prospects, by_kind, dump, inbox_config, maildir_at, sync,
};
use crate::util::Sandbox;
use std::path::Path;

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
    if !dovecot_here() {
        return;
    }
    let sb = Sandbox::new();
    sb.write_me();
    let server_dir = sb.dir.path().join("dovecot");
    let dovecot = Dovecot::start(&server_dir);
    maildir_at(&dovecot.maildir(), &CORPUS);
    // A sent folder (Maildir++ keeps it as .Sent): read in the same session, told apart.
    let sent = dovecot.maildir().join(".Sent");
    maildir_at(&sent, &[]);
    std::fs::write(
        sent.join("cur/1764583400.M1P1.host:2,S"),
        "From: sam@relaypoint.example\nTo: dana.reyes@northwind.example\nSubject: Following up\n\
         Date: Tue, 01 Dec 2026 11:00:00 +0000\nMessage-ID: <sent-9@relaypoint.example>\n\nHi Dana\n",
    )
    .expect("sent");
    dovecot.own_mail();
    inbox_config(
        &sb,
        &format!(
            "imap = \"imaps://sam@127.0.0.1:{}\"\npassword_command = \"echo s3cret\"\n\
             ca_file = \"{}\"\nsent_folder = \"Sent\"\n",
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
        Some(CORPUS.len() + 1),
        "{first:#}"
    );
    // Dana's next touch is not due today: the sent mail is seen, not logged.
    let sent = by_kind(&first, "sent");
    assert_eq!(sent.len(), 1, "{first:#}");
    assert_eq!(sent[0]["action"], "their touch is not due", "{first:#}");
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
    assert!(err.contains("the server refused the login as sam"), "{err}");
    assert!(!err.contains("nope"), "the password is never shown: {err}");
}

/// `doctor` on one `[inbox]`: its inbox lines. A server that stays silent is a timeout
/// after 2 s here; the logins after a refused one are slowed down by the server.
fn doctor_inbox(sb: &Sandbox, lines: &str) -> String {
    let silent = lines.contains("timeout-case");
    let config = sb.config_dir().join("config.toml");
    std::fs::create_dir_all(sb.config_dir()).expect("config dir");
    std::fs::write(&config, format!("[inbox]\n{lines}")).expect("config");
    let out = sb
        .cmd(NOW)
        .env(
            "TOUCHBASE_IMAP_READ_TIMEOUT",
            if silent { "2" } else { "30" },
        )
        .arg("doctor")
        .output()
        .expect("doctor");
    // "fail inbox      …" read as "fail inbox …".
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.contains(" inbox "))
        .map(|l| {
            let mut words = l.splitn(2, ' ');
            let level = words.next().unwrap_or_default();
            let rest = words.next().unwrap_or_default().trim_start();
            let (topic, text) = rest.split_once(' ').unwrap_or((rest, ""));
            format!("{level} {topic} {}", text.trim_start())
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// STARTTLS with a percent-encoded user logs in; each way a mailbox cannot be read is named
/// by `doctor`: the credentials, an untrusted certificate, TLS against a plain port and plain
/// against a TLS one, a missing folder, a port that does not answer, a server that stays
/// silent, and a password command that fails (its own words shown).
#[test]
fn doctor_names_each_way_the_mailbox_cannot_be_read() {
    if !dovecot_here() {
        return;
    }
    let sb = Sandbox::new();
    let dovecot = Dovecot::start(&sb.dir.path().join("dovecot"));
    dovecot.own_mail();
    let ca = format!("ca_file = \"{}\"\n", dovecot.ca().display());
    let (tls, plain) = (dovecot.port, dovecot.plain_port);
    let good = "password_command = \"echo s3cret\"\n";
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    // Accepts and never says a word.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("listener");
    let silent_port = silent.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        let _held: Vec<_> = silent.incoming().take(2).collect();
        std::thread::sleep(std::time::Duration::from_secs(30));
    });
    let cases = [
        // OAuth: a token from token_command, checked by the server's token service.
        (
            format!("imap = \"imaps://sam@127.0.0.1:{tls}\"\ntoken_command = \"echo tok-sam\"\n{ca}"),
            format!("ok inbox logged in to 127.0.0.1:{tls} as sam; INBOX open read-only"),
        ),
        (
            format!("imap = \"imap://dana%40relaypoint.example@127.0.0.1:{plain}\"\n{good}{ca}"),
            format!("ok inbox logged in to 127.0.0.1:{plain} as dana@relaypoint.example; INBOX open read-only"),
        ),
        (
            format!("imap = \"imaps://sam@127.0.0.1:{tls}\"\n{good}"),
            format!("fail inbox 127.0.0.1:{tls}: the server's certificate is not trusted"),
        ),
        (
            format!("imap = \"imaps://sam@127.0.0.1:{plain}\"\n{good}{ca}"),
            format!("fail inbox 127.0.0.1:{plain}: the server did not answer in TLS"),
        ),
        (
            format!("imap = \"imap://sam@127.0.0.1:{tls}\"\n{good}{ca}# timeout-case\n"),
            format!("warn inbox 127.0.0.1:{tls} timed out waiting for its greeting"),
        ),
        (
            format!("imap = \"imaps://sam@127.0.0.1:{tls}\"\n{good}{ca}folders = [\"Nope\"]\n"),
            "fail inbox the folder \"Nope\" does not exist on the server".to_string(),
        ),
        (
            format!("imap = \"imaps://sam@127.0.0.1:{closed}\"\n{good}{ca}"),
            format!("warn inbox 127.0.0.1:{closed} does not answer"),
        ),
        (
            format!("imap = \"imaps://sam@127.0.0.1:{silent_port}\"\n{good}{ca}# timeout-case\n"),
            format!("warn inbox 127.0.0.1:{silent_port} timed out during the TLS handshake"),
        ),
        (
            format!(
                "imap = \"imaps://sam@127.0.0.1:{tls}\"\npassword_command = \"echo 'gpg: decryption failed: No secret key' >&2; exit 2\"\n{ca}"
            ),
            "fail inbox password_command failed (exit status: 2): gpg: decryption failed: No secret key".to_string(),
        ),
        // Last: the server delays the logins that follow a refused one.
        (
            format!("imap = \"imaps://sam@127.0.0.1:{tls}\"\ntoken_command = \"echo tok-stolen\"\n{ca}"),
            "fail inbox the server refused the login as sam".to_string(),
        ),
        (
            format!("imap = \"imaps://sam@127.0.0.1:{tls}\"\npassword_command = \"echo nope\"\n{ca}"),
            "fail inbox the server refused the login as sam".to_string(),
        ),
    ];
    for (config, expected) in cases {
        let said = doctor_inbox(&sb, &config);
        assert!(said.starts_with(&expected), "{config}\n{said}");
        assert!(!said.contains("s3cret") && !said.contains("nope"), "{said}");
    }
}

/// A server that offers XOAUTH2 alone (as Microsoft 365's does) takes the token that way.
#[test]
fn a_token_logs_in_by_xoauth2_where_the_server_offers_only_that() {
    if !dovecot_here() {
        return;
    }
    let sb = Sandbox::new();
    let dovecot = Dovecot::start_offering(&sb.dir.path().join("dovecot"), "plain xoauth2");
    dovecot.own_mail();
    let config = format!(
        "imap = \"imaps://sam@127.0.0.1:{}\"\ntoken_command = \"echo tok-sam\"\nca_file = \"{}\"\n",
        dovecot.port,
        dovecot.ca().display()
    );
    let said = doctor_inbox(&sb, &config);
    assert!(said.starts_with("ok inbox logged in to"), "{said}");
}

/// A real mailbox's size: 50,000 messages on the server, all but 100 of them from before the
/// window (kept small on disk: one old message linked under 49,900 names). The first sync
/// looks only at the window's 100, reads whole only the 3 from people in the book, and
/// applies their effects; the rest are ignored by their headers.
#[test]
fn fifty_thousand_messages_cost_what_the_window_costs() {
    if !dovecot_here() {
        return;
    }
    let sb = Sandbox::new();
    sb.write_me();
    let server_dir = sb.dir.path().join("dovecot");
    let dovecot = Dovecot::start(&server_dir);
    let mail = dovecot.maildir();
    // The window's mail: three from prospects, 97 from strangers.
    maildir_at(&mail, &["reply_quoted.eml", "opt_out_en.eml", "ooo_de.eml"]);
    for i in 0..97 {
        std::fs::write(
            mail.join(format!("cur/1796083300{i:03}.M{i}P9.host:2,S")),
            format!(
                "From: Vendor {i} <news{i}@vendor.example>\nTo: sam@relaypoint.example\n\
                 Subject: Offer {i}\nDate: Mon, 30 Nov 2026 09:00:00 +0000\n\
                 Message-ID: <offer-{i}@vendor.example>\n\nA body no one needs to read.\n"
            ),
        )
        .expect("stranger");
    }
    // Years of older mail: one message, 49,900 names.
    let old = server_dir.join("old.eml");
    std::fs::write(
        &old,
        "From: Old Friend <old@friend.example>\nTo: sam@relaypoint.example\nSubject: Hello\n\
         Date: Sun, 01 Jun 2025 09:00:00 +0000\nMessage-ID: <old@friend.example>\n\n\
         From long ago.\n",
    )
    .expect("old");
    std::fs::File::options()
        .write(true)
        .open(&old)
        .and_then(|f| {
            f.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_748_768_400))
        })
        .expect("old time");
    for i in 0..49_900 {
        std::fs::hard_link(
            &old,
            mail.join(format!("cur/1748768400{i:05}.M{i}P7.host:2,S")),
        )
        .expect("link");
    }
    dovecot.own_mail();
    inbox_config(
        &sb,
        &format!(
            "imap = \"imaps://sam@127.0.0.1:{}\"\npassword_command = \"echo s3cret\"\n\
             ca_file = \"{}\"\n",
            dovecot.port,
            server_dir.join("ca.pem").display()
        ),
    );
    add_prospects(&sb);
    let first = sync(&sb, &[]);
    let messages = first.as_array().expect("array");
    assert_eq!(messages.len(), 100, "only the window is looked at");
    let whole: Vec<&str> = messages
        .iter()
        .filter(|m| m["read"] == "whole")
        .filter_map(|m| m["from"].as_str())
        .collect();
    assert_eq!(
        whole,
        [
            "dana.reyes@northwind.example",
            "henrik@wingtip.example",
            "lena@tailspin.example"
        ],
        "bodies read"
    );
    assert_eq!(by_kind(&first, "reply").len(), 1);
    assert_eq!(by_kind(&first, "opt_out").len(), 1);
    assert_eq!(by_kind(&first, "ignored").len(), 97, "{first:#}");
}
