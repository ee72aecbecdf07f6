//! `touchbase send PROSPECT [--no-undo]`: the due email, from the rep's mailbox. It waits
//! the undo window in the foreground with a countdown; Ctrl-C, or `touchbase undo` from
//! another terminal, takes it back with nothing sent.

use super::args::{Global, OutboxArgs, SendArgs};
use anyhow::Result;
use chrono::NaiveDateTime;
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

pub fn run(g: &Global, a: &SendArgs, now: NaiveDateTime) -> Result<ExitCode> {
    let mut desk = super::desk(g)?;
    for said in desk.settle_going(now)? {
        eprintln!("{}", crate::text::sanitize(&said));
    }
    let queued = desk.queue_email(&a.prospect, !a.no_undo, None, now)?;
    let interrupted = Arc::new(AtomicBool::new(false));
    signal_hook::flag::register(signal_hook::consts::SIGINT, Arc::clone(&interrupted))?;
    let wait = (queued.not_before - now).num_seconds().max(0);
    let mut err = std::io::stderr().lock();
    for left in (1..=wait).rev() {
        write!(
            err,
            "\rSending \"{}\" to {} in {left} s — Ctrl-C or `touchbase undo` takes it back ",
            crate::text::sanitize(&queued.subject),
            crate::text::sanitize(&queued.name)
        )?;
        err.flush()?;
        for _ in 0..10 {
            std::thread::sleep(Duration::from_millis(100));
            if interrupted.load(Ordering::Relaxed) {
                writeln!(err)?;
                if desk.cancel_queued(queued.id)? {
                    println!("Taken back: nothing sent");
                    return Ok(ExitCode::from(130));
                }
                break;
            }
        }
        if !desk.still_waiting(queued.id)? {
            writeln!(err)?;
            println!("Taken back (undone elsewhere): nothing sent");
            return Ok(ExitCode::SUCCESS);
        }
    }
    if wait > 0 {
        writeln!(err)?;
    }
    let said = desk.send_now(queued.id, now)?;
    println!("{said}");
    Ok(ExitCode::SUCCESS)
}

/// `touchbase outbox [--json] [--flush] [--cancel P] [--sent P | --resend P]`. Sends a
/// stop cut short are settled first (looked for in Sent), so the list is what is so.
pub fn outbox(g: &Global, a: &OutboxArgs, now: NaiveDateTime) -> Result<ExitCode> {
    let mut desk = super::desk(g)?;
    for said in desk.settle_going(now)? {
        eprintln!("{}", crate::text::sanitize(&said));
    }
    if a.resume {
        println!(
            "{}",
            if desk.resume_sending()? {
                "Sending resumed; bounces are counted afresh from here."
            } else {
                "Sending was not paused."
            }
        );
    }
    for (who, went) in [(&a.sent, true), (&a.resend, false)] {
        if let Some(who) = who {
            println!(
                "{}",
                crate::text::sanitize(&desk.decide_unsure(who, went, now)?)
            );
        }
    }
    if let Some(who) = &a.cancel {
        let n = desk.cancel_for(who)?;
        println!("Took back {}", crate::text::count(n, "email", "emails"));
    }
    if a.flush {
        for said in desk.flush_outbox(now)? {
            println!("{said}");
        }
    }
    let entries = desk.outbox()?;
    if a.json {
        crate::text::write_json(&mut std::io::stdout().lock(), &entries)?;
        return Ok(ExitCode::SUCCESS);
    }
    if entries.is_empty() {
        println!("The outbox is empty.");
    }
    for e in entries {
        println!(
            "{:<8} {:<32} {:<40} {}{}",
            e.state,
            crate::text::sanitize(&e.email),
            crate::text::fit(&crate::text::sanitize(&e.subject), 40),
            e.not_before.format("%a %-d %b %H:%M"),
            e.reason
                .map(|r| format!("  {}", crate::text::sanitize(&r)))
                .unwrap_or_default()
        );
    }
    Ok(ExitCode::SUCCESS)
}
