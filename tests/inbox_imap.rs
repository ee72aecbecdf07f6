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
