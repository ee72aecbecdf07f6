//! How long an inbox sync takes from a Maildir of 10,000 messages: the first scan (every
//! message read, classified and matched) and the next (nothing new); and, when Dovecot is
//! installed, an IMAP sync with nothing new against a local one. Run with
//! `cargo bench --bench inbox`; `BENCH_MESSAGES` changes the size.
// The benchmark may panic: a failed expectation is how they report.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice
)]

#[path = "../tests/support/dovecot.rs"]
mod dovecot;

use std::time::Instant;
use touchbase::config::{Config, Inbox};
use touchbase::content::Library;
use touchbase::desk::Desk;

fn main() -> anyhow::Result<()> {
    let n: usize = std::env::var("BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir()?;
    let mail = dir.path().join("Mail");
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(mail.join(sub))?;
    }
    let fixtures: Vec<Vec<u8>> = {
        let mut paths: Vec<_> = std::fs::read_dir(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mail"),
        )?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
        paths.sort();
        paths.iter().map(std::fs::read).collect::<Result<_, _>>()?
    };
    for i in 0..n {
        let raw = String::from_utf8_lossy(&fixtures[i % fixtures.len()]).replacen(
            "Message-ID: <",
            &format!("Message-ID: <{i}-"),
            1,
        );
        std::fs::write(mail.join(format!("cur/{i:010}.M{i}P1.host:2,S")), raw)?;
    }
    let config = Config {
        inbox: Some(Inbox {
            maildir: Some(mail.display().to_string()),
            ..Inbox::default()
        }),
        ..Config::default()
    };
    let now = "2026-12-01T18:00:00".parse()?;
    let mut desk = Desk::open(&dir.path().join("bench.db"), Library::new(None), config)?;
    let start = Instant::now();
    let first = desk.sync_inbox(false, now)?;
    let scan = start.elapsed();
    assert_eq!(first.messages.len(), n);
    let start = Instant::now();
    let again = desk.sync_inbox(false, now)?;
    let nothing = start.elapsed();
    assert!(again.messages.is_empty());
    println!(
        "first sync of a {n}-message Maildir        {:>7.3} s",
        scan.as_secs_f64()
    );
    println!(
        "the next sync (nothing new)                {:>7.3} s",
        nothing.as_secs_f64()
    );
    if dovecot::have("dovecot") {
        imap(&fixtures, now)?;
    } else {
        println!("(no Dovecot installed: the IMAP sync is not timed)");
    }
    Ok(())
}

/// An IMAP sync with nothing new, against a local Dovecot holding 1,000 messages.
fn imap(fixtures: &[Vec<u8>], now: chrono::NaiveDateTime) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = dovecot::Dovecot::start(&dir.path().join("dovecot"));
    let mail = server.maildir();
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(mail.join(sub))?;
    }
    for i in 0..1000 {
        let raw = String::from_utf8_lossy(&fixtures[i % fixtures.len()]).replacen(
            "Message-ID: <",
            &format!("Message-ID: <imap-{i}-"),
            1,
        );
        std::fs::write(mail.join(format!("cur/{i:010}.M{i}P1.host:2,S")), raw)?;
    }
    server.own_mail();
    let config = Config {
        inbox: Some(Inbox {
            imap: Some(format!("imaps://sam@127.0.0.1:{}", server.port)),
            password_command: Some("echo s3cret".to_string()),
            ca_file: Some(server.ca().display().to_string()),
            ..Inbox::default()
        }),
        ..Config::default()
    };
    let mut desk = Desk::open(&dir.path().join("imap.db"), Library::new(None), config)?;
    let start = Instant::now();
    let all = desk.sync_inbox(false, now)?;
    let first = start.elapsed();
    assert_eq!(all.messages.len(), 1000, "the server holds 1000 messages");
    let mut times = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        let again = desk.sync_inbox(false, now)?;
        times.push(start.elapsed());
        assert!(again.messages.is_empty());
    }
    times.sort();
    println!(
        "first IMAP sync of 1000 messages           {:>7.3} s",
        first.as_secs_f64()
    );
    println!(
        "an IMAP sync with nothing new (median)     {:>7.3} s",
        times[2].as_secs_f64()
    );
    Ok(())
}
