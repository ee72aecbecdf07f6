//! Sending from the terminal against a real Postfix (STARTTLS and TLS, SASL through the test
//! Dovecot), delivering into a Maildir read back here: the bytes that arrive, one thread
//! for an enrollment's emails, the undo window taken back from another terminal, a wrong
//! password that stops the send with its reason. In CI a missing Postfix fails the tests.

use crate::dovecot::{Dovecot, have};
use crate::postfix::{Postfix, postfix_here};
use crate::util::Sandbox;
use std::time::Duration;
use touchbase::inbox::Mail;

/// Postfix, Dovecot for its logins, and a sandbox whose `[send]` uses them; José Núñez of
/// Quanta in classic-4 since Monday 30 November 2026.
fn setup(url: impl Fn(&Postfix) -> String, password: &str) -> Option<(Sandbox, Dovecot, Postfix)> {
    if !postfix_here() {
        return None;
    }
    let sb = Sandbox::new();
    sb.write_me();
    let (dovecot, postfix) = servers_for(&sb, url, password, 3);
    sb.cmd("2026-11-30T09:00")
        .args([
            "add",
            "--first",
            "José",
            "--last",
            "Núñez",
            "--email",
            "jose@quanta.example",
        ])
        .args(["--company", "Quanta", "--sequence", "classic-4"])
        .assert()
        .success();
    Some((sb, dovecot, postfix))
}

/// Dovecot and Postfix started in the sandbox, and its `[send]` pointed at them: the rep's
/// `password`, a window of `undo_seconds`.
pub fn servers_for(
    sb: &Sandbox,
    url: impl Fn(&Postfix) -> String,
    password: &str,
    undo_seconds: u32,
) -> (Dovecot, Postfix) {
    let dovecot = Dovecot::start(&sb.dir.path().join("dovecot"));
    let postfix = Postfix::start(&sb.dir.path().join("postfix"), &dovecot);
    sb.edit_config(|me| {
        format!(
            "{me}\n[send]\nfrom = \"Sam Carter <sam@relaypoint.example>\"\nsmtp = \"{}\"\n\
             password_command = \"echo {password}\"\nca_file = \"{}\"\nundo_seconds = {undo_seconds}\n",
            url(&postfix),
            dovecot.ca().display()
        )
    });
    (dovecot, postfix)
}

pub fn starttls(p: &Postfix) -> String {
    format!("smtp://sam@127.0.0.1:{}", p.port)
}

/// `touchbase send 1` at 10:00 on Monday 30 November, running in the background.
fn spawn_send(sb: &Sandbox) -> std::process::Child {
    sb.process("2026-11-30T10:00")
        .args(["send", "1"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("send")
}

fn send(sb: &Sandbox, now: &str, args: &[&str]) -> std::process::Output {
    sb.cmd(now).arg("send").args(args).output().expect("send")
}

#[test]
fn an_email_goes_out_once_and_its_follow_up_threads_under_it() {
    let Some((sb, _dovecot, postfix)) = setup(starttls, "s3cret") else {
        return;
    };
    let out = send(&sb, "2026-11-30T10:00", &["1", "--no-undo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Sent 1/4 opener to José Núñez"));
    let got = postfix.received(1, Duration::from_secs(10));
    assert_eq!(got.len(), 1);
    let first = Mail::parse(got[0].as_bytes()).expect("a message");
    assert_eq!(first.from.as_deref(), Some("sam@relaypoint.example"));
    assert_eq!(first.to, ["jose@quanta.example"]);
    assert_eq!(first.subject, "Quanta and the weekly copy-paste");
    assert!(first.text.starts_with("Hi José,"), "{}", first.text);
    let id = first.message_id.clone().expect("a Message-ID");
    assert!(id.ends_with("@relaypoint.example"), "{id}");
    assert!(first.thread_ids.is_empty());
    assert!(first.header("date").is_some());
    assert!(
        got[0].contains("Content-Type: text/plain; charset=utf-8"),
        "{}",
        got[0]
    );
    // The log says it went out, and the next step is the bump two days on.
    let shown = sb
        .cmd("2026-11-30T10:01")
        .args(["show", "1"])
        .output()
        .expect("show");
    assert!(String::from_utf8_lossy(&shown.stdout).contains("classic-4: 2/4"));
    // The follow-up answers it: one thread.
    let out = send(&sb, "2026-12-02T10:00", &["1", "--no-undo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got = postfix.received(2, Duration::from_secs(10));
    let second = Mail::parse(got[1].as_bytes()).expect("a message");
    assert_eq!(second.subject, "Re: Quanta and the weekly copy-paste");
    assert_eq!(second.thread_ids, std::slice::from_ref(&id));
    // Sent already: asking again finds the next step not due, and nothing more goes.
    let again = send(&sb, "2026-12-02T10:05", &["1", "--no-undo"]);
    assert!(!again.status.success());
    assert_eq!(postfix.received(3, Duration::from_millis(500)).len(), 2);
    // His answer from his own account names the first email: it is his reply.
    let inbox = sb.dir.path().join("Mail/INBOX");
    crate::inbox_sync::maildir_at(&inbox, &[]);
    std::fs::write(
        inbox.join("cur/1796200000.M1P1.host:2,S"),
        format!(
            "From: José <jose.nunez@home.example>\nTo: sam@relaypoint.example\n\
             Subject: Re: Quanta and the weekly copy-paste\nDate: Wed, 02 Dec 2026 12:00:00 +0000\n\
             Message-ID: <answer@home.example>\nIn-Reply-To: <{id}>\n\nYes, let's talk.\n"
        ),
    )
    .expect("answer");
    crate::inbox_sync::inbox_config(&sb, &format!("maildir = \"{}\"\n", inbox.display()));
    let out = sb
        .cmd("2026-12-02T13:00")
        .args(["inbox", "--json"])
        .output()
        .expect("inbox");
    let messages: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(messages[0]["kind"], "reply", "{messages:#}");
    assert_eq!(messages[0]["prospect_id"], 1, "{messages:#}");
}

#[test]
fn the_undo_window_takes_it_back_from_another_terminal_with_nothing_sent() {
    let Some((sb, _dovecot, postfix)) = setup(starttls, "s3cret") else {
        return;
    };
    let waiting = spawn_send(&sb);
    std::thread::sleep(Duration::from_millis(800));
    let undone = sb
        .cmd("2026-11-30T10:00")
        .arg("undo")
        .output()
        .expect("undo");
    assert!(
        undone.status.success(),
        "{}",
        String::from_utf8_lossy(&undone.stderr)
    );
    let out = waiting.wait_with_output().expect("send ends");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Taken back"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(postfix.received(1, Duration::from_secs(2)).is_empty());
    // Without undo it goes, once, after the window.
    let out = send(&sb, "2026-11-30T10:05", &["1"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(postfix.received(1, Duration::from_secs(10)).len(), 1);
}

#[test]
fn tls_from_the_start_works_and_a_wrong_password_stops_the_send_with_its_reason() {
    let Some((sb, _dovecot, postfix)) =
        setup(|p| format!("smtps://sam@127.0.0.1:{}", p.tls_port), "nope")
    else {
        return;
    };
    let out = send(&sb, "2026-11-30T10:00", &["1", "--no-undo"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("error: not sent to jose@quanta.example"),
        "{err}"
    );
    assert!(!err.contains("nope"), "the password is never shown: {err}");
    assert!(postfix.received(1, Duration::from_secs(1)).is_empty());
    // It stays in the outbox, saying why; asking again does not queue a second copy.
    let listed = sb
        .cmd("2026-11-30T10:01")
        .args(["outbox", "--json"])
        .output()
        .expect("outbox");
    let entries: serde_json::Value = serde_json::from_slice(&listed.stdout).expect("json");
    assert_eq!(entries[0]["email"], "jose@quanta.example", "{entries:#}");
    assert!(
        entries[0]["reason"]
            .as_str()
            .unwrap_or("")
            .starts_with("sending stopped:"),
        "{entries:#}"
    );
    let again = send(&sb, "2026-11-30T10:02", &["1", "--no-undo"]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("in the outbox already"));
    sb.edit_config(|text| text.replace("echo nope", "echo s3cret"));
    let out = sb
        .cmd("2026-11-30T10:05")
        .args(["outbox", "--flush"])
        .output()
        .expect("flush");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Sent 1/4 opener to José Núñez"));
    assert_eq!(postfix.received(1, Duration::from_secs(10)).len(), 1);
    assert_eq!(
        postfix.received(2, Duration::from_millis(500)).len(),
        1,
        "once"
    );
}

/// `doctor`'s whole report, and its line about sending.
fn doctor_send_line(sb: &Sandbox) -> (String, String) {
    let out = sb
        .cmd("2026-11-30T10:00")
        .arg("doctor")
        .output()
        .expect("doctor");
    let report = String::from_utf8_lossy(&out.stdout).into_owned();
    let line = report
        .lines()
        .find(|l| l.contains(" send "))
        .unwrap_or_default()
        .to_string();
    (report, line)
}

/// `doctor` logs in to the SMTP server and says so; a wrong password is named.
#[test]
fn doctor_logs_in_to_the_smtp_server() {
    let Some((sb, _dovecot, postfix)) = setup(starttls, "s3cret") else {
        return;
    };
    let (report, line) = doctor_send_line(&sb);
    assert!(line.starts_with("ok"), "{report}");
    assert!(
        line.contains(&format!(
            "smtp://sam@127.0.0.1:{} takes mail from sam@relaypoint.example",
            postfix.port
        )),
        "{line}"
    );
    sb.edit_config(|text| text.replace("echo s3cret", "echo nope"));
    let (report, line) = doctor_send_line(&sb);
    assert!(line.starts_with("fail"), "{report}");
    assert!(postfix.received(1, Duration::from_millis(300)).is_empty());
}

/// `per_minute = 2` with five sends at once: two go now, the rest wait in the outbox with
/// the reason and go as the minutes pass; none is lost, none goes twice.
#[test]
fn pacing_holds_sends_and_loses_none() {
    let Some((sb, _dovecot, postfix)) = setup(starttls, "s3cret") else {
        return;
    };
    sb.edit_config(|text| format!("{text}per_minute = 2\n"));
    for (i, first) in ["Ana", "Ben", "Cy", "Di"].iter().enumerate() {
        sb.cmd("2026-11-30T09:00")
            .args([
                "add",
                "--first",
                first,
                "--email",
                &format!("p@firm{i}.example"),
            ])
            .args(["--company", &format!("Firm {i}"), "--sequence", "classic-4"])
            .assert()
            .success();
    }
    for id in 1..=5 {
        let out = send(&sb, "2026-11-30T10:00", &[&id.to_string(), "--no-undo"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        if id > 2 {
            assert!(
                String::from_utf8_lossy(&out.stdout)
                    .contains("waits in the outbox until Mon 30 Nov 10:01: pacing: 2 a minute"),
                "{}",
                String::from_utf8_lossy(&out.stdout)
            );
        }
    }
    assert_eq!(postfix.received(2, Duration::from_secs(10)).len(), 2);
    let flush = |now: &str| {
        let out = sb
            .cmd(now)
            .args(["outbox", "--flush"])
            .output()
            .expect("flush");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    flush("2026-11-30T10:01");
    assert_eq!(postfix.received(4, Duration::from_secs(10)).len(), 4);
    flush("2026-11-30T10:02");
    let got = postfix.received(5, Duration::from_secs(10));
    assert_eq!(got.len(), 5);
    let mut to: Vec<String> = got
        .iter()
        .filter_map(|m| Mail::parse(m.as_bytes()))
        .flat_map(|m| m.to)
        .collect();
    to.sort();
    to.dedup();
    assert_eq!(to.len(), 5, "five people, once each: {to:?}");
    let left = sb
        .cmd("2026-11-30T10:03")
        .args(["outbox", "--json"])
        .output()
        .expect("outbox");
    assert_eq!(String::from_utf8_lossy(&left.stdout).trim(), "[]");
}

/// The sendmail path: a real msmtp, pointed at the same server, hands the message over.
#[test]
fn a_sendmail_command_sends_it() {
    if !have("msmtp") {
        assert!(
            std::env::var_os("CI").is_none(),
            "msmtp is not installed (CI installs it in .ci/run)"
        );
        eprintln!("note: msmtp is not installed; skipping the sendmail test");
        return;
    }
    let Some((sb, dovecot, postfix)) = setup(starttls, "s3cret") else {
        return;
    };
    let rc = sb.dir.path().join("msmtprc");
    std::fs::write(
        &rc,
        format!(
            "account default\nhost 127.0.0.1\nport {}\ntls on\ntls_starttls on\n\
             tls_trust_file {}\nauth on\nuser sam\npassword s3cret\nfrom sam@relaypoint.example\n",
            postfix.port,
            dovecot.ca().display()
        ),
    )
    .expect("msmtprc");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&rc, std::fs::Permissions::from_mode(0o600)).expect("mode");
    sb.edit_config(|text| {
        text.replace(
            &format!("smtp = \"{}\"", starttls(&postfix)),
            &format!("sendmail = \"msmtp -C {} -t\"", rc.display()),
        )
    });
    let out = send(&sb, "2026-11-30T10:00", &["1", "--no-undo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got = postfix.received(1, Duration::from_secs(10));
    assert_eq!(got.len(), 1);
    let mail = Mail::parse(got[0].as_bytes()).expect("message");
    assert_eq!(mail.to, ["jose@quanta.example"]);
}

/// The server answers 451 first: the send waits and is tried again later, and goes once.
/// Then 550 5.1.1 for the next step: a bounce, the address marked bad, nothing more sent.
#[test]
fn a_temporary_refusal_retries_and_a_refused_address_is_a_bounce() {
    let Some((sb, _dovecot, postfix)) = setup(starttls, "s3cret") else {
        return;
    };
    postfix.refuse("jose@quanta.example", Some("451 4.3.0 try again later"));
    let out = send(&sb, "2026-11-30T10:00", &["1", "--no-undo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("waits in the outbox until Mon 30 Nov 10:01: will try again"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(postfix.received(1, Duration::from_millis(500)).is_empty());
    postfix.refuse("jose@quanta.example", None);
    let out = sb
        .cmd("2026-11-30T10:01")
        .args(["outbox", "--flush"])
        .output()
        .expect("flush");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Sent 1/4 opener"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(postfix.received(1, Duration::from_secs(10)).len(), 1);
    postfix.refuse("jose@quanta.example", Some("550 5.1.1 no such user"));
    let out = send(&sb, "2026-12-02T10:00", &["1", "--no-undo"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("jose@quanta.example bounced"), "{err}");
    let shown = sb
        .cmd("2026-12-02T10:01")
        .args(["show", "1", "--json"])
        .output()
        .expect("show");
    let shown: serde_json::Value = serde_json::from_slice(&shown.stdout).expect("json");
    assert_eq!(shown["email_bad"], true);
    assert_eq!(postfix.received(2, Duration::from_millis(500)).len(), 1);
}

/// A reply lands while the send waits in its window: just before it would go, the inbox is
/// read, the reply applied, and the send cancelled with nothing sent.
#[test]
fn a_reply_in_the_window_stops_the_send() {
    let Some((sb, _dovecot, postfix)) = setup(starttls, "s3cret") else {
        return;
    };
    let inbox = sb.dir.path().join("Mail/INBOX");
    crate::inbox_sync::maildir_at(&inbox, &[]);
    crate::inbox_sync::inbox_config(&sb, &format!("maildir = \"{}\"\n", inbox.display()));
    let waiting = spawn_send(&sb);
    std::thread::sleep(Duration::from_millis(800));
    std::fs::write(
        inbox.join("cur/1796090000.M1P1.host:2,S"),
        "From: José Núñez <jose@quanta.example>\nTo: sam@relaypoint.example\n\
         Subject: Re: earlier\nDate: Mon, 30 Nov 2026 10:00:30 +0000\n\
         Message-ID: <early@quanta.example>\n\nAlready interested, call me.\n",
    )
    .expect("reply");
    let out = waiting.wait_with_output().expect("send ends");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("was not sent: they answered before it went"),
        "{said}"
    );
    assert!(postfix.received(1, Duration::from_secs(2)).is_empty());
    let due = sb
        .cmd("2026-11-30T10:01")
        .args(["due", "--json"])
        .output()
        .expect("due");
    let due: serde_json::Value = serde_json::from_slice(&due.stdout).expect("json");
    assert_eq!(due[0]["task"], "reply", "{due:#}");
}

/// `bounce_pause = 0.05`: the third refused address of the last fifty (over 5%) stops all
/// sending, saying why, and the next email waits instead of going; `outbox --resume`
/// starts again and it goes.
#[test]
fn bounces_over_the_share_pause_sending_until_the_rep_resumes() {
    let Some((sb, _dovecot, postfix)) = setup(starttls, "s3cret") else {
        return;
    };
    sb.edit_config(|text| {
        text.replace(
            "undo_seconds = 3\n",
            "undo_seconds = 3\nbounce_pause = 0.05\n",
        )
    });
    for n in 1..=3 {
        sb.cmd("2026-11-30T09:00")
            .args(["add", "--first", &format!("Gone{n}"), "--last", "Away"])
            .args(["--email", &format!("gone@left{n}.example")])
            .args(["--company", &format!("Left {n}"), "--sequence", "classic-4"])
            .assert()
            .success();
    }
    postfix.refuse_each(
        &["left1.example", "left2.example", "left3.example"],
        Some("550 5.1.1 no such user"),
    );
    for n in 1..=3 {
        let address = format!("gone@left{n}.example");
        let out = send(&sb, "2026-11-30T10:00", &[&address, "--no-undo"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("{address} bounced")), "{err}");
    }
    let out = send(
        &sb,
        "2026-11-30T10:01",
        &["jose@quanta.example", "--no-undo"],
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains(
            "The email to José Núñez waits in the outbox: sending paused: 3 of the last 50 emails bounced (bounce_pause = 5%)"
        ),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A flush does not get past the pause.
    let out = sb
        .cmd("2026-11-30T10:05")
        .args(["outbox", "--flush", "--json"])
        .output()
        .expect("flush");
    let listed = String::from_utf8_lossy(&out.stdout);
    let json = &listed[listed.find('[').expect("json")..];
    let waiting: serde_json::Value = serde_json::from_str(json).expect("json");
    assert_eq!(waiting[0]["email"], "jose@quanta.example", "{waiting:#}");
    assert!(
        waiting[0]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("touchbase outbox --resume")),
        "{waiting:#}"
    );
    assert!(postfix.received(1, Duration::from_millis(500)).is_empty());
    let out = sb
        .cmd("2026-11-30T10:06")
        .args(["outbox", "--resume", "--flush"])
        .output()
        .expect("resume");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("Sending resumed"), "{said}");
    assert!(said.contains("Sent 1/4 opener to José Núñez"), "{said}");
    assert_eq!(postfix.received(1, Duration::from_secs(10)).len(), 1);
}
