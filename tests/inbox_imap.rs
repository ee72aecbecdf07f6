//! The inbox over IMAP against a real Dovecot: started here on 127.0.0.1 at a free port with
//! a throwaway config, user and self-signed certificate, the corpus delivered into its
//! Maildir. A sync applies each kind once, the next applies nothing, and the messages on the
//! server are byte for byte as they were (nothing flagged, nothing moved). In CI a missing
//! Dovecot fails the test.

use crate::dovecot::{Dovecot, have};
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
    assert!(err.contains("IMAP login as sam failed"), "{err}");
    assert!(!err.contains("nope"), "the password is never shown: {err}");
}
