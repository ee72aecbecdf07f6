//! The inbox in the app: a background thread reads the mailbox every `poll_minutes` (and
//! when the rep presses `i`) on its own connection, so a key never waits for it. What it
//! applies reaches the app as any other writer's change does; its summary comes back over a
//! channel for the header.

use super::app::{App, Tone};
use crate::desk::Desk;
use chrono::NaiveDateTime;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

/// The running sync: where to ask for one, and where its summaries arrive.
pub struct InboxSync {
    ask: Sender<NaiveDateTime>,
    said: Receiver<Result<String, String>>,
    every: Duration,
    last: Instant,
    /// A sync is under way.
    pub busy: bool,
}

impl InboxSync {
    /// Starts the thread for the desk's database and config, when the config has an inbox.
    pub fn start(desk: &Desk) -> Option<InboxSync> {
        let inbox = desk.config.inbox.clone()?;
        let another = desk.for_another_thread()?;
        let (ask, asked) = channel::<NaiveDateTime>();
        let (say, said) = channel();
        std::thread::spawn(move || {
            // Its own connection: a sync's transaction never holds the app's.
            let mut desk = match another.open() {
                Ok(d) => d,
                Err(e) => {
                    let _ = say.send(Err(format!("{e:#}")));
                    return;
                }
            };
            while let Ok(now) = asked.recv() {
                let result = desk
                    .sync_inbox(false, now)
                    .map(|s| s.summary)
                    .map_err(|e| format!("{e:#}"));
                if say.send(result).is_err() {
                    return;
                }
            }
        });
        let minutes = u64::from(inbox.poll_minutes.unwrap_or(5).max(1));
        Some(InboxSync {
            ask,
            said,
            every: Duration::from_secs(minutes * 60),
            // The first sync runs as the app opens.
            last: Instant::now()
                .checked_sub(Duration::from_secs(minutes * 60))
                .unwrap_or_else(Instant::now),
            busy: false,
        })
    }

    /// Asks for a sync now, unless one is running.
    pub fn now(&mut self, at: NaiveDateTime) {
        if !self.busy && self.ask.send(at).is_ok() {
            self.busy = true;
            self.last = Instant::now();
        }
    }

    /// Asks for a sync when `poll_minutes` have passed since the last.
    pub fn tick(&mut self, at: NaiveDateTime) {
        if self.last.elapsed() >= self.every {
            self.now(at);
        }
    }

    /// A finished sync's summary, if one came back.
    pub fn take(&mut self) -> Option<Result<String, String>> {
        let got = self.said.try_recv().ok()?;
        self.busy = false;
        Some(got)
    }
}

const READING: &str = "Reading the inbox…";

/// `i`: reads the inbox now (in the background).
pub fn ask(app: &mut App) {
    let now = app.clock.now();
    match &mut app.inbox {
        Some(sync) if sync.busy => app.set_status(READING, Tone::Info),
        Some(sync) => {
            sync.now(now);
            app.set_status(READING, Tone::Info);
        }
        None => app.set_status(
            "No inbox set: add [inbox] maildir = \"~/Mail/INBOX\" to config.toml.",
            Tone::Info,
        ),
    }
}

/// `I`: the possible replies the inbox found, to confirm one.
pub fn possible(app: &mut App) {
    match app.desk.possible_replies() {
        Ok(list) if list.is_empty() => {
            app.set_status("No possible reply or opt-out to confirm.", Tone::Info)
        }
        Ok(list) => {
            let labels: Vec<(crate::desk::PossibleChoice, String)> = list
                .into_iter()
                .map(|m| {
                    let name = match m.choice.prospect {
                        Some(id) => app
                            .desk
                            .prospect_by_id(id)
                            .ok()
                            .flatten()
                            .map_or_else(|| format!("prospect {id}"), |p| p.full_name()),
                        None => "someone new".to_string(),
                    };
                    let what = if m.opt_out { "opt-out" } else { "reply" };
                    let (from, subject) = (m.sender, m.subject);
                    let label =
                        crate::text::sanitize(&format!("{what}: {name}? {from}: {subject}"));
                    (
                        m.choice,
                        crate::text::fit(&label, 60).trim_end().to_string(),
                    )
                })
                .collect();
            app.modal = Some(super::modal::possible_replies(&labels));
        }
        Err(e) => app.set_status(format!("{e:#}"), Tone::Error),
    }
}

/// Between keys: starts a due sync, and shows what a finished one found.
pub fn poll(app: &mut App) {
    let now = app.clock.now();
    let Some(sync) = &mut app.inbox else {
        return;
    };
    sync.tick(now);
    if let Some(result) = sync.take() {
        match result {
            // Said only when the rep asked (`i`); a timed sync that found nothing is quiet.
            Ok(summary) if summary.ends_with("nothing new") => {
                if app.status.as_ref().is_some_and(|(t, _)| t == READING) {
                    app.set_status("Inbox: nothing new.", Tone::Info);
                }
            }
            Ok(summary) => {
                app.inbox_said = Some(summary.clone());
                app.refresh_from_elsewhere();
                app.set_status(format!("{summary} — u undoes"), Tone::Info);
            }
            Err(e) => app.set_status(format!("Inbox: {e}"), Tone::Error),
        }
    }
}
