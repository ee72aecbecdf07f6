//! Exactly once when a stop cuts a send short (DESIGN §9): the process is killed while the
//! message is being handed over, so nobody knows whether it went. It is never handed over
//! again by itself: found in the rep's Sent folder (by its Message-ID) it is logged as sent;
//! not found, it waits as unsure until the rep says it went or should go again.

use crate::inbox_sync::{inbox_config, maildir_at};
use crate::util::{Rng, Sandbox, run_killed};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

const MON: &str = "2026-11-30T10:00";

/// A sandbox whose sendmail command is `sendmail.sh` in it (set by [`sendmail_does`]), with a
/// local inbox and Sent Maildir, and José Núñez and Lee Park in classic-4.
pub fn setup() -> (Sandbox, PathBuf) {
    let sb = Sandbox::new();
    sb.write_me();
    let script = sb.dir.path().join("sendmail.sh");
    let config = sb.config_dir().join("config.toml");
    let me = std::fs::read_to_string(&config).expect("config");
    std::fs::write(
        &config,
        format!(
            "{me}\n[send]\nfrom = \"Sam Carter <sam@relaypoint.example>\"\n\
             sendmail = \"/bin/sh {}\"\nundo_seconds = 0\n",
            script.display()
        ),
    )
    .expect("config");
    let (inbox, sent) = (sb.dir.path().join("inbox"), sb.dir.path().join("sent"));
    maildir_at(&inbox, &[]);
    maildir_at(&sent, &[]);
    inbox_config(
        &sb,
        &format!(
            "maildir = \"{}\"\nsent = \"{}\"\n",
            inbox.display(),
            sent.display()
        ),
    );
    for (first, last, email) in [
        ("José", "Núñez", "jose@quanta.example"),
        ("Lee", "Park", "lee@harbor.example"),
    ] {
        sb.cmd("2026-11-30T09:00")
            .args(["add", "--first", first, "--last", last, "--email", email])
            .args(["--company", "Quanta", "--sequence", "classic-4"])
            .assert()
            .success();
    }
    (sb, sent)
}

/// The sendmail command keeps what it is given as `taken-N.eml` (N counting up), then
/// either answers at once or never (`hang`: a server that took the message and went silent).
pub fn sendmail_does(sb: &Sandbox, hang: bool) {
    let dir = sb.dir.path().display();
    let then = if hang { "sleep 20" } else { "true" };
    std::fs::write(
        sb.dir.path().join("sendmail.sh"),
        format!(
            "n=$(ls {dir} | grep -c '^taken-')\ncat > {dir}/part && mv {dir}/part {dir}/taken-$n.eml\n{then}\n"
        ),
    )
    .expect("script");
}

pub fn taken(sb: &Sandbox) -> Vec<String> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(sb.dir.path())
        .expect("dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("taken-"))
        })
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("taken"))
        .collect()
}

/// `send PROSPECT --no-undo`, killed once the message has been handed over.
fn send_cut_short(sb: &Sandbox, prospect: &str) -> String {
    sendmail_does(sb, true);
    let before = taken(sb).len();
    let mut child = sb
        .process(MON)
        .args(["send", prospect, "--no-undo"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("send");
    let start = Instant::now();
    while taken(sb).len() == before {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "nothing handed over"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().expect("kill");
    child.wait().expect("wait");
    sendmail_does(sb, false);
    taken(sb).pop().expect("the message")
}

fn run(sb: &Sandbox, args: &[&str]) -> (bool, String, String) {
    run_at(sb, MON, args)
}

pub fn run_at(sb: &Sandbox, now: &str, args: &[&str]) -> (bool, String, String) {
    let out = sb.cmd(now).args(args).output().expect("run");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn into_sent(sent: &Path, message: &str) {
    std::fs::write(sent.join("cur/1796100000.M1P1.host:2,S"), message).expect("sent copy");
}

#[test]
fn a_send_cut_short_and_found_in_sent_is_logged_and_never_sent_again() {
    let (sb, sent) = setup();
    let message = send_cut_short(&sb, "lee@harbor.example");
    // The rep's server kept its copy in Sent (Gmail does).
    into_sent(&sent, &message);
    let (ok, listed, said) = run(&sb, &["outbox"]);
    assert!(ok, "{said}");
    assert!(said.contains("Lee Park had gone"), "{said}");
    assert_eq!(listed.trim(), "The outbox is empty.");
    let (_, shown, _) = run(&sb, &["show", "lee@harbor.example"]);
    assert!(shown.contains("classic-4: 2/4"), "{shown}");
    // Asking again finds the next step not due: one message in all.
    let (ok, _, _) = run(&sb, &["send", "lee@harbor.example", "--no-undo"]);
    assert!(!ok);
    assert_eq!(taken(&sb).len(), 1);
}

#[test]
fn a_send_cut_short_and_not_in_sent_waits_for_the_reps_word() {
    let (sb, _sent) = setup();
    send_cut_short(&sb, "jose@quanta.example");
    let (ok, listed, said) = run(&sb, &["outbox", "--json"]);
    assert!(ok, "{said}");
    assert!(said.contains("José Núñez may have gone"), "{said}");
    let entries: serde_json::Value = serde_json::from_str(&listed).expect("json");
    assert_eq!(entries[0]["state"], "unsure", "{entries:#}");
    assert_eq!(entries[0]["email"], "jose@quanta.example");
    // Neither a flush nor a new send hands it over again.
    let (_, _, _) = run(&sb, &["outbox", "--flush"]);
    let (ok, _, said) = run(&sb, &["send", "jose@quanta.example", "--no-undo"]);
    assert!(!ok);
    assert!(said.contains("may have gone already"), "{said}");
    assert_eq!(taken(&sb).len(), 1);
    // The rep looked: it did not go. It goes again, once.
    let (ok, out, said) = run(&sb, &["outbox", "--resend", "jose@quanta.example"]);
    assert!(ok, "{said}");
    assert!(out.contains("Sent 1/4 opener to José Núñez"), "{out}");
    assert_eq!(taken(&sb).len(), 2);
    let (_, listed, _) = run(&sb, &["outbox"]);
    assert_eq!(listed.trim(), "The outbox is empty.");

    // Lee's is cut short too, and the rep finds it went: logged, nothing sent again.
    send_cut_short(&sb, "lee@harbor.example");
    let (ok, out, said) = run(&sb, &["outbox", "--sent", "lee@harbor.example"]);
    assert!(ok, "{said}");
    assert!(out.contains("Lee Park"), "{out}");
    let (_, shown, _) = run(&sb, &["show", "lee@harbor.example"]);
    assert!(shown.contains("classic-4: 2/4"), "{shown}");
    assert_eq!(taken(&sb).len(), 3);
    let (_, listed, _) = run(&sb, &["outbox"]);
    assert_eq!(listed.trim(), "The outbox is empty.");
}

/// A hundred sends to a real Postfix, each process killed at a random moment (before the
/// outbox, in the window, mid-handshake, after the server took it, before the log). Then a
/// flush. Every acknowledged send arrived exactly once; no one got two; everything that
/// arrived is in the log or shown to the rep as unsure; everything logged arrived.
#[test]
fn killed_sends_arrive_at_most_once_and_acknowledged_ones_exactly_once() {
    if !crate::postfix::postfix_here() {
        return;
    }
    let sb = Sandbox::new();
    sb.write_me();
    let (_dovecot, postfix) = crate::send::servers_for(&sb, crate::send::starttls, "s3cret", 0);
    let n = 100;
    let emails: Vec<String> = (0..n)
        .map(|i| format!("p{i}@crash{}.example", i % 9))
        .collect();
    let mut csv = String::from("first_name,last_name,email,company\n");
    for (i, email) in emails.iter().enumerate() {
        csv.push_str(&format!("P{i},Crash,{email},Crashworks\n"));
    }
    let file = sb.dir.path().join("people.csv");
    std::fs::write(&file, csv).expect("csv");
    sb.cmd("2026-11-30T09:00")
        .args([
            "import",
            file.to_str().expect("path"),
            "--sequence",
            "classic-4",
        ])
        .assert()
        .success();

    // The import spreads the starts over the week (the daily cap): a week on, every
    // opener is due.
    let later = "2026-12-09T10:00";
    let mut rng = Rng(0x5e4d_0001);
    let mut acknowledged = Vec::new();
    for email in &emails {
        let after = Duration::from_millis(rng.below(300));
        if run_killed(&sb, later, &["send", email, "--no-undo"], after) {
            acknowledged.push(email.clone());
        }
    }
    assert!(
        acknowledged.len() > 5 && acknowledged.len() < n,
        "{} of {n} sends acknowledged: the kills should land before and after the server took them",
        acknowledged.len()
    );
    // What was left waiting goes now; what was left going is settled.
    let (ok, _, said) = run_at(&sb, later, &["outbox", "--flush"]);
    assert!(ok, "{said}");
    let (_, listed, _) = run_at(&sb, later, &["outbox", "--json"]);
    let entries: serde_json::Value = serde_json::from_str(&listed).expect("json");
    let unsure: Vec<String> = entries
        .as_array()
        .expect("list")
        .iter()
        .inspect(|e| assert_eq!(e["state"], "unsure", "{e:#}"))
        .map(|e| e["email"].as_str().expect("email").to_string())
        .collect();

    let logged: Vec<&String> = emails
        .iter()
        .filter(|e| {
            run_at(&sb, later, &["show", e])
                .1
                .contains("classic-4: 2/4")
        })
        .collect();
    // Postfix delivers what it took a moment later: all that is logged, and then whatever
    // of the unsure ones it took.
    postfix.received(logged.len(), Duration::from_secs(20));
    let received = postfix.received(usize::MAX, Duration::from_secs(2));
    let to: Vec<String> = received
        .iter()
        .flat_map(|m| {
            touchbase::inbox::Mail::parse(m.as_bytes())
                .expect("message")
                .to
        })
        .collect();
    let arrived = |email: &str| to.iter().filter(|t| *t == email).count();
    eprintln!(
        "{} acknowledged, {} logged, {} unsure, {} arrived",
        acknowledged.len(),
        logged.len(),
        unsure.len(),
        to.len()
    );
    for email in &emails {
        assert!(arrived(email) <= 1, "{email} got {} copies", arrived(email));
    }
    for email in &acknowledged {
        assert_eq!(arrived(email), 1, "{email} was acknowledged");
        assert!(
            logged.contains(&email),
            "{email} was acknowledged but is not logged"
        );
    }
    for email in &logged {
        assert_eq!(arrived(email), 1, "{email} is logged as sent");
    }
    for email in emails.iter().filter(|e| arrived(e) == 1) {
        assert!(
            logged.contains(&email) || unsure.contains(email),
            "{email} arrived, and the book neither logged it nor shows it as unsure"
        );
    }
}

/// With `copy_to_sent`, the sent email is appended to the IMAP Sent folder, read; and a send
/// cut short is looked for there by IMAP and found.
#[test]
fn a_copy_goes_to_sent_by_imap_and_a_send_cut_short_is_found_there() {
    use crate::dovecot::Dovecot;
    use crate::postfix::{Postfix, postfix_here};
    if !postfix_here() {
        return;
    }
    let (sb, _) = setup();
    let dovecot = Dovecot::start(&sb.dir.path().join("dovecot"));
    let postfix = Postfix::start(&sb.dir.path().join("postfix"), &dovecot);
    let sent = dovecot.maildir().join(".Sent");
    maildir_at(&sent, &[]);
    dovecot.own_mail();
    let config = sb.config_dir().join("config.toml");
    let me = std::fs::read_to_string(&config).expect("config");
    let me = &me[..me.find("\n[send]").expect("send")];
    let ca = dovecot.ca();
    let smtp = format!(
        "smtp = \"smtp://sam@127.0.0.1:{}\"\npassword_command = \"echo s3cret\"",
        postfix.port
    );
    let write = |how: &str| {
        std::fs::write(
            &config,
            format!(
                "{me}\n[send]\nfrom = \"Sam Carter <sam@relaypoint.example>\"\n{how}\n\
                 ca_file = \"{ca}\"\nundo_seconds = 0\ncopy_to_sent = true\n\n[inbox]\n\
                 imap = \"imaps://sam@127.0.0.1:{port}\"\npassword_command = \"echo s3cret\"\n\
                 ca_file = \"{ca}\"\nsent_folder = \"Sent\"\n",
                ca = ca.display(),
                port = dovecot.port
            ),
        )
        .expect("config")
    };
    write(&smtp);
    let (ok, out, said) = run(&sb, &["send", "jose@quanta.example", "--no-undo"]);
    assert!(ok, "{said}");
    assert!(out.contains("Sent 1/4 opener to José Núñez"), "{out}");
    assert!(!out.contains("failed"), "{out}");
    let got = postfix.received(1, Duration::from_secs(10));
    let id = touchbase::inbox::Mail::parse(got[0].as_bytes())
        .expect("message")
        .message_id
        .expect("id");
    let copies: Vec<PathBuf> = std::fs::read_dir(sent.join("cur"))
        .expect("Sent")
        .chain(std::fs::read_dir(sent.join("new")).expect("Sent"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    assert_eq!(copies.len(), 1, "{copies:?}");
    let copy = std::fs::read_to_string(&copies[0]).expect("copy");
    assert!(copy.contains(&format!("Message-ID: <{id}>")), "{copy}");
    assert!(
        copies[0].to_string_lossy().ends_with(":2,S"),
        "read: {copies:?}"
    );

    // Lee's send is cut short after the handing over; the server kept a copy in Sent.
    write(&format!(
        "sendmail = \"/bin/sh {}\"",
        sb.dir.path().join("sendmail.sh").display()
    ));
    let message = send_cut_short(&sb, "lee@harbor.example");
    std::fs::write(sent.join("cur/1796100000.M9P9.host:2,S"), message).expect("copy");
    dovecot.own_mail();
    let (ok, listed, said) = run(&sb, &["outbox"]);
    assert!(ok, "{said}");
    assert!(
        said.contains("Lee Park had gone before touchbase stopped (found in your Sent folder)"),
        "{said}"
    );
    assert_eq!(listed.trim(), "The outbox is empty.");
    assert_eq!(taken(&sb).len(), 1);
}
