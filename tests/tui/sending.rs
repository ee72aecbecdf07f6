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

/// `e` on Lee Park's email, his greeting written as `greeting` in the editor.
fn edit_lee(f: &mut Fixture, greeting: &str) {
    f.select("Lee Park");
    let touchbase::tui::Effect::Edit(req) = f.press(&["e"]) else {
        panic!("e asks for the editor");
    };
    let file = touchbase::tui::editor::to_file_text(&req.text);
    let edited = file.replace("Hi Lee,", greeting);
    touchbase::tui::work::finish_edit(&mut f.app, req, Ok(edited));
}

/// `e` then `S`: the edited text is what goes, as the screen shows it.
#[test]
fn s_sends_the_edited_text() {
    let Some((mut f, _dovecot, postfix)) = sending_app(0) else {
        return;
    };
    edit_lee(&mut f, "Lee, quick one:");
    assert!(f.screen().contains("Lee, quick one:"), "{}", f.screen());
    f.press(&["S"]);
    poll_until(&mut f, "Sent");
    let got = postfix.received(1, Duration::from_secs(10));
    let mail = touchbase::inbox::Mail::parse(got[0].as_bytes()).expect("message");
    assert!(mail.text.starts_with("Lee, quick one:"), "{}", mail.text);
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

/// An edit left as a draft when the app quit is what `touchbase send` sends: the text the
/// app shows for that touch.
#[test]
fn a_draft_left_by_the_app_is_what_a_send_from_the_command_line_sends() {
    let Some((mut f, _dovecot, postfix)) = sending_app(0) else {
        return;
    };
    edit_lee(&mut f, "Lee, from the draft:");
    f.app.keep_drafts().expect("a draft");
    let lee = f.prospect_id("lee@quanta.example").to_string();
    let now = super::now();
    let queued = f
        .app
        .desk
        .queue_email(&lee, false, None, now)
        .expect("queued");
    f.app.desk.send_now(queued.id, now).expect("sent");
    let got = postfix.received(1, Duration::from_secs(10));
    let mail = touchbase::inbox::Mail::parse(got[0].as_bytes()).expect("message");
    assert!(
        mail.text.starts_with("Lee, from the draft:"),
        "{}",
        mail.text
    );
}

/// A send the account refused is not lost: its row says "not sent" and why, and so does its
/// detail, until the rep sets it right.
#[test]
fn a_send_the_account_refused_stays_on_its_row_with_the_reason() {
    let Some((mut f, _dovecot, postfix)) = sending_app(0) else {
        return;
    };
    if let Some(send) = f.app.desk.config.send.as_mut() {
        send.password_command = Some("echo wrong".into());
    }
    f.select("Lee Park");
    f.press(&["S"]);
    poll_until(&mut f, "sending stopped");
    let screen = f.screen();
    let row = screen
        .lines()
        .find(|l| l.contains("Lee Park") && l.contains("not sent"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(row.contains("✗ not sent"), "{row}");
    assert!(screen.contains("✗ not sent: sending stopped"), "{screen}");
    assert!(screen.contains("Outbox · 1"), "{screen}");
    assert!(postfix.received(1, Duration::from_millis(300)).is_empty());
    // Set right, S on the row tries the same email again: it goes, once.
    if let Some(send) = f.app.desk.config.send.as_mut() {
        send.password_command = Some("echo s3cret".into());
    }
    f.app.sending = Default::default();
    f.app.reload().expect("reload");
    f.select("Lee Park");
    f.press(&["S"]);
    assert!(
        f.status().contains("Trying the email to Lee Park again"),
        "{}",
        f.status()
    );
    poll_until(&mut f, "Sent");
    assert_eq!(postfix.received(1, Duration::from_secs(10)).len(), 1);
    assert!(!f.screen().contains("not sent"), "{}", f.screen());
}

/// A cap holds the second email (`per_minute = 1`); when its minute is over the app sends
/// it by itself, once, with no key pressed.
#[test]
fn an_email_a_cap_held_goes_by_itself_when_its_time_comes() {
    let Some((mut f, _dovecot, postfix)) = sending_app(0) else {
        return;
    };
    if let Some(send) = f.app.desk.config.send.as_mut() {
        send.per_minute = Some(1);
    }
    f.select("Lee Park");
    f.press(&["S"]);
    poll_until(&mut f, "Sent");
    f.select("Eve Mallory");
    f.press(&["S"]);
    poll_until(&mut f, "waits in the outbox until");
    assert!(f.status().contains("pacing"), "{}", f.status());
    assert!(f.screen().contains("Outbox · 1"), "{}", f.screen());
    assert_eq!(postfix.received(2, Duration::from_millis(500)).len(), 1);
    // A minute on.
    f.app.clock = touchbase::clock::Clock::Fixed(super::now() + chrono::Duration::seconds(61));
    poll_until(&mut f, "Sent 1/4 opener to Eve Mallory");
    assert_eq!(postfix.received(2, Duration::from_secs(10)).len(), 2);
    for _ in 0..10 {
        sending::poll(&mut f.app);
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(postfix.received(3, Duration::from_millis(500)).len(), 2);
    assert!(!f.screen().contains("Outbox ·"), "{}", f.screen());
}
