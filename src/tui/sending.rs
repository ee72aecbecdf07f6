//! `S` in the app: the due email goes to the outbox, the status line counts the undo window
//! down (`u` takes it back), and when the window is over a background thread sends it on its
//! own connection, so a key never waits for the network. The header shows what waits.

use super::app::{App, Tone};
use crate::desk::{Desk, OutboxEntry, Queued};
use chrono::NaiveDateTime;
use std::collections::HashSet;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

/// The emails the app sent to the outbox, and the thread that sends them.
#[derive(Default)]
pub struct Sending {
    /// In their undo window: the email, and when the window ends.
    pub waiting: Vec<(Queued, Instant)>,
    /// Outbox rows handed to the thread, not yet answered.
    pub in_flight: HashSet<i64>,
    /// What the outbox holds, as last read: the rows of the touches it is about say so.
    pub held: Vec<OutboxEntry>,
    worker: Option<Worker>,
}

struct Worker {
    ask: Sender<Ask>,
    said: Receiver<Answer>,
}

/// What the thread is asked to do.
enum Ask {
    /// Send this outbox row now.
    Send(i64, NaiveDateTime),
    /// Settle the sends a stop cut short (looked for in Sent: the network).
    Settle(NaiveDateTime),
}

/// What it did: the outbox row it sent (or tried to), and what to say.
struct Answer {
    sent: Option<i64>,
    said: Result<String, String>,
}

impl Sending {
    /// How many emails wait or are going: the header's "Outbox" count.
    pub fn pending(&self) -> usize {
        (self.waiting.len() + self.in_flight.len()).max(self.held.len())
    }

    /// Reads the outbox again (a small table; what waits is indexed).
    pub fn load_held(&mut self, desk: &Desk) {
        if desk.config.send.is_some() {
            self.held = desk.outbox().unwrap_or_default();
        }
    }

    /// The outbox row of this touch, if it is in the outbox.
    pub fn held_for(&self, enrollment_id: i64, step: usize) -> Option<&OutboxEntry> {
        self.held
            .iter()
            .find(|e| e.enrollment_id == enrollment_id && e.step == step)
    }
}

fn worker(desk: &Desk) -> Option<Worker> {
    let another = desk.for_another_thread()?;
    let (ask, asked) = channel::<Ask>();
    let (say, said) = channel();
    std::thread::spawn(move || {
        let mut desk = match another.open() {
            Ok(d) => d,
            Err(e) => {
                let said = Err(format!("{e:#}"));
                let _ = say.send(Answer { sent: None, said });
                return;
            }
        };
        while let Ok(asked) = asked.recv() {
            let answer = match asked {
                Ask::Send(id, now) => Answer {
                    sent: Some(id),
                    said: desk.send_now(id, now).map_err(|e| format!("{e:#}")),
                },
                Ask::Settle(now) => Answer {
                    sent: None,
                    said: desk
                        .settle_going(now)
                        .map(|said| said.join(" "))
                        .map_err(|e| format!("{e:#}")),
                },
            };
            if say.send(answer).is_err() {
                return;
            }
        }
    });
    Some(Worker { ask, said })
}

/// At the start: the emails a last session left waiting, whose time has come, go now.
pub fn resume(app: &mut App) {
    if app.desk.config.send.is_none() {
        return;
    }
    let now = app.clock.now();
    app.sending.load_held(&app.desk);
    if app
        .sending
        .held
        .iter()
        .any(|e| e.state == "going" || e.state == "unsure")
    {
        ask(app, Ask::Settle(now));
    }
    hand_over_due(app, now);
}

/// Hands over what waits in the outbox and may go now: left by an earlier session, held by
/// a cap or a retry whose time has come. Not what waits on the rep (sending stopped or
/// paused, unsure), and not what is in this session's undo window.
fn hand_over_due(app: &mut App, now: NaiveDateTime) {
    let sending = &app.sending;
    let due: Vec<i64> = sending
        .held
        .iter()
        .filter(|e| e.state == "waiting" && e.not_before <= now && !e.needs_the_rep())
        .filter(|e| !sending.in_flight.contains(&e.id))
        .filter(|e| !sending.waiting.iter().any(|(q, _)| q.id == e.id))
        .map(|e| e.id)
        .collect();
    for id in due {
        hand_over(app, id, now);
    }
}

/// On quitting: how many emails stay in the outbox, and how they go.
pub fn left_waiting(app: &App) -> Option<String> {
    match app.sending.pending() {
        0 => None,
        n => Some(format!(
            "{} in the outbox: the next start (or touchbase outbox --flush) sends {}",
            crate::text::count(n, "email waits", "emails wait"),
            if n == 1 { "it" } else { "them" }
        )),
    }
}

/// `S`: the selected email to the outbox, to go when the undo window is over.
pub fn send(app: &mut App) {
    let Some(item) = app.queue.selected_item() else {
        return app.set_status("Nothing selected to send.", Tone::Info);
    };
    if app.desk.config.send.is_none() {
        return app.set_status(
            "No [send] in config.toml: set from and smtp to send from here.",
            Tone::Info,
        );
    }
    // Already in the outbox and held (sending stopped, a cap, a retry): S tries it now.
    let held = app
        .sending
        .held_for(item.enrollment.id, item.enrollment.step)
        .filter(|e| e.state == "waiting")
        .map(|e| e.id);
    if let Some(id) = held {
        let name = item.prospect.full_name();
        hand_over(app, id, app.clock.now());
        return app.set_status(format!("Trying the email to {name} again…"), Tone::Info);
    }
    let key = item.prospect.id.to_string();
    let window = app
        .desk
        .config
        .send
        .as_ref()
        .map_or(20, crate::config::send::Send::undo_seconds);
    // Exactly what the screen shows: the rep's edit when there is one.
    let edited = app
        .queue
        .edits
        .get(&(item.enrollment.id, item.enrollment.step))
        .cloned();
    match app
        .desk
        .queue_email(&key, true, edited.as_ref(), app.clock.now())
    {
        Ok(queued) => {
            let ends = Instant::now() + Duration::from_secs(u64::from(window));
            app.sending.waiting.push((queued, ends));
            app.sending.load_held(&app.desk);
            countdown(app);
        }
        Err(e) => app.set_status(format!("{e:#}"), Tone::Error),
    }
}

/// Between keys: counts the window down, hands over what is due, and says what came back.
pub fn poll(app: &mut App) {
    let now = app.clock.now();
    let answers: Vec<Answer> = app
        .sending
        .worker
        .as_ref()
        .map(|w| w.said.try_iter().collect())
        .unwrap_or_default();
    for answer in answers {
        if let Some(id) = answer.sent {
            app.sending.in_flight.remove(&id);
        }
        // The thread wrote the log: read it again, then say what happened.
        app.refresh_from_elsewhere();
        match answer.said {
            Ok(said) if said.is_empty() => {}
            Ok(said) => app.set_status(said, Tone::Info),
            Err(e) => app.set_status(e, Tone::Error),
        }
    }
    let mut still = Vec::new();
    for (queued, ends) in std::mem::take(&mut app.sending.waiting) {
        match app.desk.still_waiting(queued.id) {
            Ok(false) => app.set_status(
                format!("Taken back: nothing sent to {}.", queued.name),
                Tone::Info,
            ),
            Ok(true) if Instant::now() >= ends => hand_over(app, queued.id, now),
            Ok(true) => still.push((queued, ends)),
            Err(e) => app.set_status(format!("{e:#}"), Tone::Error),
        }
    }
    if still.len() != app.sending.waiting.len() {
        app.sending.load_held(&app.desk);
    }
    app.sending.waiting = still;
    if !app.sending.waiting.is_empty() {
        countdown(app);
    }
    hand_over_due(app, now);
}

fn hand_over(app: &mut App, id: i64, now: NaiveDateTime) {
    if app.sending.in_flight.contains(&id) {
        return;
    }
    if ask(app, Ask::Send(id, now)) {
        app.sending.in_flight.insert(id);
    }
}

/// Asks the sending thread (started on first use); false, and said, when it cannot be.
fn ask(app: &mut App, asked: Ask) -> bool {
    if app.sending.worker.is_none() {
        app.sending.worker = worker(&app.desk);
    }
    match &app.sending.worker {
        Some(w) if w.ask.send(asked).is_ok() => true,
        _ => {
            app.set_status(
                "Could not start sending: what waits stays in the outbox (touchbase outbox --flush).",
                Tone::Error,
            );
            false
        }
    }
}

/// "Sending "…" to Lee Park in 14 s — u takes it back".
fn countdown(app: &mut App) {
    let Some((queued, ends)) = app.sending.waiting.last() else {
        return;
    };
    let left = ends.saturating_duration_since(Instant::now()).as_secs() + 1;
    let said = format!(
        "Sending \"{}\" to {} in {left} s — u takes it back",
        crate::text::sanitize(&queued.subject),
        crate::text::sanitize(&queued.name)
    );
    app.set_status(said, Tone::Info);
}
