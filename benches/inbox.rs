//! How long an inbox sync takes from a Maildir of 10,000 messages: the first scan (every
//! message read, classified and matched) and the next (nothing new); and, when Dovecot is
//! installed, IMAP syncs against a local one: 1,000 messages, and a real mailbox's size
//! (50,000 messages, 100 of them in the window) beside the window's 100 alone. Run with
//! `cargo bench --bench inbox`; `BENCH_MESSAGES` changes the Maildir's size.
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
        let (window_alone, _, _) = big_mailbox(0, now)?;
        let (big, warm, nothing) = big_mailbox(49_900, now)?;
        println!(
            "first IMAP sync, the window's 100 alone    {:>7.3} s",
            window_alone.as_secs_f64()
        );
        println!(
            "first IMAP sync, 50,000 (100 in window)    {:>7.3} s",
            big.as_secs_f64()
        );
        println!(
            "  the same from a new book, server indexed {:>7.3} s",
            warm.as_secs_f64()
        );
        println!(
            "  the next sync there, nothing new         {:>7.3} s",
            nothing.as_secs_f64()
        );
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

/// The first IMAP sync of a mailbox holding 100 messages of the last days (three from
/// prospects) and `older` messages from long before the window (one message linked under
/// that many names, as a mailbox of years keeps them): its time, and the time of another
/// first sync from a new book once the server has indexed the folder (the server's own
/// first look at 50,000 files is most of the first time), and of a sync with nothing new.
fn big_mailbox(
    older: usize,
    now: chrono::NaiveDateTime,
) -> anyhow::Result<(
    std::time::Duration,
    std::time::Duration,
    std::time::Duration,
)> {
    let dir = tempfile::tempdir()?;
    let server = dovecot::Dovecot::start(&dir.path().join("dovecot"));
    let mail = server.maildir();
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(mail.join(sub))?;
    }
    for i in 0..100 {
        let from = match i {
            0 => "dana@northwind.example".to_string(),
            1 => "lee@quanta.example".to_string(),
            2 => "omar@brightline.example".to_string(),
            i => format!("news{i}@vendor.example"),
        };
        std::fs::write(
            mail.join(format!("cur/1796083300{i:03}.M{i}P9.host:2,S")),
            format!(
                "From: {from}\nTo: sam@relaypoint.example\nSubject: Re: note {i}\n\
                 Date: Mon, 30 Nov 2026 09:00:00 +0000\nMessage-ID: <w{i}@vendor.example>\n\n\
                 Thanks, let's talk next week.\n"
            ),
        )?;
    }
    let old = dir.path().join("old.eml");
    std::fs::write(
        &old,
        "From: old@friend.example\nTo: sam@relaypoint.example\nSubject: Hello\n\
         Date: Sun, 01 Jun 2025 09:00:00 +0000\nMessage-ID: <old@friend.example>\n\nLong ago.\n",
    )?;
    std::fs::File::options()
        .write(true)
        .open(&old)?
        .set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_748_768_400))?;
    for i in 0..older {
        std::fs::hard_link(
            &old,
            mail.join(format!("cur/1748768400{i:05}.M{i}P7.host:2,S")),
        )?;
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
    let mut times = Vec::new();
    for book in ["big.db", "again.db"] {
        let mut desk = Desk::open(&dir.path().join(book), Library::new(None), config.clone())?;
        for (first, email) in [
            ("Dana", "dana@northwind.example"),
            ("Lee", "lee@quanta.example"),
            ("Omar", "omar@brightline.example"),
        ] {
            let p = touchbase::domain::Prospect {
                first_name: first.to_string(),
                email: Some(email.to_string()),
                ..Default::default()
            };
            desk.add(p, None, now)?;
        }
        let start = Instant::now();
        let synced = desk.sync_inbox(false, now)?;
        times.push(start.elapsed());
        assert_eq!(synced.messages.len(), 100, "the window's 100");
        if book == "again.db" {
            let start = Instant::now();
            let again = desk.sync_inbox(false, now)?;
            times.push(start.elapsed());
            assert!(again.messages.is_empty());
        }
    }
    Ok((times[0], times[1], times[2]))
}
