//! `S` in the app against a real Postfix: the email waits out the undo window (`u` takes it
//! back, nothing sent), then goes from a background thread; the header shows the outbox.

use super::Fixture;
use crate::dovecot::Dovecot;
use crate::postfix::{Postfix, postfix_here};
use std::time::{Duration, Instant};
use touchbase::tui::sending;

/// The seeded app with `[send]` pointed at a Postfix of its own; `window` seconds to undo.
fn sending_app(window: u32) -> Option<(Fixture, Dovecot, Postfix)> {
    if !postfix_here() {
        return None;
    }
    let mut f = Fixture::seeded();
    let dir = f.db.parent().expect("folder").to_path_buf();
    let dovecot = Dovecot::start(&dir.join("dovecot"));
    let postfix = Postfix::start(&dir.join("postfix"), &dovecot);
    f.app.desk.config.send = Some(touchbase::config::send::Send {
        from: "Sam Carter <sam@relaypoint.example>".into(),
        smtp: Some(format!("smtp://sam@127.0.0.1:{}", postfix.port)),
        password_command: Some("echo s3cret".into()),
        ca_file: Some(dovecot.ca().display().to_string()),
        undo_seconds: Some(window),
        ..Default::default()
    });
    f.resize(120, 40);
    Some((f, dovecot, postfix))
}

/// Polls as the app does between keys until the status says `what` (or 15 s pass).
fn poll_until(f: &mut Fixture, what: &str) {
    let start = Instant::now();
    while !f.status().contains(what) && start.elapsed() < Duration::from_secs(15) {
        sending::poll(&mut f.app);
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn s_sends_the_email_on_screen_after_the_window() {
    let Some((mut f, _dovecot, postfix)) = sending_app(1) else {
        return;
    };
    f.select("Lee Park");
    f.press(&["S"]);
    assert!(f.status().contains("to Lee Park in"), "{}", f.status());
    assert!(f.screen().contains("Outbox · 1"), "{}", f.screen());
    poll_until(&mut f, "Sent");
    assert!(f.status().contains("to Lee Park"), "{}", f.status());
    let got = postfix.received(1, Duration::from_secs(10));
    assert_eq!(got.len(), 1);
    assert!(
        got[0].contains("To: \"Lee Park\" <lee@quanta.example>"),
        "{}",
        got[0]
    );
    assert!(!f.screen().contains("Outbox ·"), "{}", f.screen());
}

#[test]
fn u_in_the_window_takes_it_back_with_nothing_sent() {
    let Some((mut f, _dovecot, postfix)) = sending_app(30) else {
        return;
    };
    f.select("Lee Park");
    f.press(&["S", "u"]);
    poll_until(&mut f, "Taken back");
    assert!(
        f.status().contains("nothing sent to Lee Park"),
        "{}",
        f.status()
    );
    assert!(postfix.received(1, Duration::from_secs(2)).is_empty());
}
