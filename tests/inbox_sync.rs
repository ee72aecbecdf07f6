//! An inbox sync from a Maildir, end to end through the binary: each kind of message has its
//! effect, a second sync applies nothing, the mailbox is left byte for byte, a dry run
//! changes nothing, and undo takes the sync back.

use crate::db;
use crate::util::Sandbox;
use std::path::{Path, PathBuf};

pub const NOW: &str = "2026-12-01T18:00";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/mail")
        .join(name)
}

/// A Maildir holding these fixtures (in `cur/`, as a mail client leaves read mail), all
/// arrived on Tuesday 1 December 2026 (the file's time is when it arrived).
pub fn maildir_at(dir: &Path, files: &[&str]) {
    maildir_arrived(dir, files, 1_796_083_200);
}

/// The same, arrived at `arrived` (seconds since 1970).
pub fn maildir_arrived(dir: &Path, files: &[&str], arrived: u64) {
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(dir.join(sub)).expect("maildir");
    }
    for (i, f) in files.iter().enumerate() {
        let name = format!("{arrived}{i:02}.M{i}P1.mailhost:2,S");
        let path = dir.join("cur").join(name);
        std::fs::copy(fixture(f), &path).expect("copy");
        let when = std::time::UNIX_EPOCH + std::time::Duration::from_secs(arrived);
        std::fs::File::options()
            .write(true)
            .open(&path)
            .and_then(|file| file.set_modified(when))
            .expect("arrival time");
    }
}

fn maildir(sb: &Sandbox, files: &[&str]) -> PathBuf {
    let dir = sb.dir.path().join("Mail/INBOX");
    maildir_at(&dir, files);
    dir
}

/// The messages both syncs read: one of each kind.
pub const CORPUS: [&str; 6] = [
    "reply_quoted.eml",
    "postfix_bounce.eml",
    "ooo_de.eml",
    "opt_out_en.eml",
    "newsletter.eml",
    "ooo_no_date.eml",
];

fn setup() -> (Sandbox, PathBuf) {
    let sb = Sandbox::new();
    sb.write_me();
    let dir = maildir(&sb, &CORPUS);
    inbox_config(&sb, &format!("maildir = \"{}\"\n", dir.display()));
    add_prospects(&sb);
    (sb, dir)
}

/// Adds an `[inbox]` table to the sandbox's config.
pub fn inbox_config(sb: &Sandbox, lines: &str) {
    let config = sb.config_dir().join("config.toml");
    let mut text = std::fs::read_to_string(&config).expect("config");
    text.push_str(&format!("\n[inbox]\n{lines}"));
    std::fs::write(&config, text).expect("write config");
}

/// The prospects the corpus is about, each with an opener sent yesterday.
pub fn add_prospects(sb: &Sandbox) {
    let add = |first: &str, last: &str, email: &str| {
        sb.cmd("2026-11-30T09:00")
            .args(["add", "--first", first, "--last", last, "--email", email])
            .args(["--company", "Acme", "--sequence", "classic-4"])
            .assert()
            .success();
    };
    add("Dana", "Reyes", "dana.reyes@northwind.example");
    add("Old", "Contact", "old.contact@quanta.example");
    add("Lena", "Vogel", "lena@tailspin.example");
    add("Henrik", "Larsen", "henrik@wingtip.example");
    add("Kenji", "Sato", "kenji@proseware.example");
    // Their openers went out yesterday: the next steps are due later.
    for who in [
        "dana.reyes@northwind.example",
        "old.contact@quanta.example",
        "lena@tailspin.example",
        "henrik@wingtip.example",
        "kenji@proseware.example",
    ] {
        sb.cmd("2026-11-30T10:00")
            .args(["log", who, "sent"])
            .assert()
            .success();
    }
}

fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(dir.join("cur"))
        .expect("cur")
        .map(|e| {
            let p = e.expect("entry").path();
            let bytes = std::fs::read(&p).expect("read");
            (p, bytes)
        })
        .collect();
    out.sort();
    out
}

pub fn sync(sb: &Sandbox, extra: &[&str]) -> serde_json::Value {
    let out = sb
        .cmd(NOW)
        .args(["inbox", "--json"])
        .args(extra)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

pub fn by_kind<'a>(messages: &'a serde_json::Value, kind: &str) -> Vec<&'a serde_json::Value> {
    messages
        .as_array()
        .expect("array")
        .iter()
        .filter(|m| m["kind"] == kind)
        .collect()
}

/// The database without the inbox's own record of what it saw (kept through undo).
pub fn dump(sb: &Sandbox) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut d = db::dump_file(&sb.db());
    d.remove("inbox_messages");
    d.remove("actions");
    d
}

#[test]
fn a_sync_applies_each_kind_once_leaves_the_mailbox_and_undoes_message_by_message() {
    let (sb, dir) = setup();
    let mailbox = files(&dir);
    let before = dump(&sb);
    // A dry run says what it would do and changes nothing.
    let dry = sync(&sb, &["--dry-run"]);
    assert_eq!(by_kind(&dry, "reply").len(), 1, "{dry:#}");
    assert_eq!(dump(&sb), before, "a dry run changed something");
    let messages = sync(&sb, &[]);
    let reply = by_kind(&messages, "reply")[0];
    assert!(
        reply["action"].as_str().unwrap_or("").contains("replied"),
        "{reply:#}"
    );
    let bounce = by_kind(&messages, "bounce")[0];
    assert_eq!(bounce["recipient"], "old.contact@quanta.example");
    assert_eq!(bounce["permanent"], true);
    let away: Vec<_> = by_kind(&messages, "auto_reply");
    assert_eq!(away.len(), 2);
    assert!(
        away.iter().any(|m| m["return_date"] == "2026-12-07"),
        "{messages:#}"
    );
    assert_eq!(by_kind(&messages, "opt_out").len(), 1);
    assert_eq!(by_kind(&messages, "ignored").len(), 1);
    // The effects, as the command line shows them.
    let show = |who: &str| {
        let out = sb.cmd(NOW).args(["show", who]).output().expect("show");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(show("dana.reyes@northwind.example").contains("replied"));
    assert!(
        show("old.contact@quanta.example").contains("bad"),
        "{}",
        show("old.contact@quanta.example")
    );
    assert!(
        show("lena@tailspin.example").contains("8 Dec"),
        "{}",
        show("lena@tailspin.example")
    );
    assert!(
        show("henrik@wingtip.example").contains("DO NOT CONTACT"),
        "{}",
        show("henrik@wingtip.example")
    );
    let after = dump(&sb);
    // Again: nothing new, nothing applied twice.
    let again = sync(&sb, &[]);
    assert_eq!(again.as_array().map(Vec::len), Some(0), "{again:#}");
    assert_eq!(dump(&sb), after);
    // The mailbox is as it was, byte for byte, names included (no flag was set).
    assert_eq!(files(&dir), mailbox);
    // Each message is its own undo step: the last one (Henrik's opt-out) goes back alone.
    let undone = sb.cmd(NOW).arg("undo").output().expect("undo");
    let said = String::from_utf8_lossy(&undone.stdout);
    assert!(
        said.contains("opt_out from henrik@wingtip.example"),
        "{said}"
    );
    assert!(!show("henrik@wingtip.example").contains("DO NOT CONTACT"));
    assert!(show("dana.reyes@northwind.example").contains("replied"));
    // An undone message stays seen: the rep took it back on purpose.
    let third = sync(&sb, &[]);
    assert_eq!(third.as_array().map(Vec::len), Some(0));
    // Unless the rep asks for it again.
    let again = sync(&sb, &["--again", "optout-1@wingtip.example"]);
    assert_eq!(by_kind(&again, "opt_out").len(), 1, "{again:#}");
    assert!(show("henrik@wingtip.example").contains("DO NOT CONTACT"));
    // Four effects, four undo steps, and the book is as it was.
    for _ in 0..4 {
        sb.cmd(NOW).arg("undo").assert().success();
    }
    assert_eq!(dump(&sb), before, "undo did not restore the sync exactly");
}

#[test]
fn an_email_found_in_the_sent_folder_logs_the_due_touch_as_sent_with_its_text() {
    let sb = Sandbox::new();
    sb.write_me();
    sb.cmd("2026-12-01T09:00")
        .args([
            "add",
            "--first",
            "Mia",
            "--last",
            "Cho",
            "--email",
            "mia@quanta.example",
        ])
        .args(["--company", "Quanta", "--sequence", "classic-4"])
        .assert()
        .success();
    let due = sb.cmd(NOW).args(["due", "--json"]).output().expect("due");
    let items: serde_json::Value = serde_json::from_slice(&due.stdout).expect("json");
    let subject = items[0]["subject"].as_str().expect("subject").to_string();
    let inbox = sb.dir.path().join("Mail/INBOX");
    let sent = sb.dir.path().join("Mail/Sent");
    maildir_at(&inbox, &[]);
    maildir_at(&sent, &[]);
    let body = "Hi Mia,\n\nA shorter note than the template, written in the mail client.\n\nSam";
    let message = format!(
        "From: Sam Carter <sam@relaypoint.example>\nTo: Mia Cho <mia@quanta.example>\n\
         Subject: {subject}\nDate: Tue, 01 Dec 2026 10:00:00 +0000\n\
         Message-ID: <sent-1@relaypoint.example>\n\n{body}\n"
    );
    std::fs::write(sent.join("cur/1764583200.M1P1.host:2,S"), message).expect("sent");
    inbox_config(
        &sb,
        &format!(
            "maildir = \"{}\"\nsent = \"{}\"\n",
            inbox.display(),
            sent.display()
        ),
    );
    let messages = sync(&sb, &[]);
    let logged = by_kind(&messages, "sent");
    assert_eq!(logged.len(), 1, "{messages:#}");
    assert!(
        logged[0]["action"]
            .as_str()
            .unwrap_or("")
            .starts_with("Sent 1/4"),
        "{messages:#}"
    );
    // The text as it went out is what the touch keeps.
    let conn = rusqlite::Connection::open(sb.db()).expect("open");
    let sent: i64 = conn
        .query_row(
            "SELECT id FROM touches WHERE outcome = 'sent' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("the sent touch");
    assert_eq!(
        crate::db::message_of(&conn, sent).body.as_deref(),
        Some(body)
    );
    // Seen once: the next sync does not log it again.
    assert_eq!(sync(&sb, &[]).as_array().map(Vec::len), Some(0));
    // Her answer from an address the book does not know is hers: it names the message
    // the rep sent her.
    std::fs::write(
        inbox.join("cur/1796083300.M2P1.host:2,S"),
        "From: Mia <mia.cho@home.example>\nTo: sam@relaypoint.example\n\
         Subject: Re: the note\nDate: Wed, 02 Dec 2026 08:00:00 +0000\n\
         Message-ID: <answer-1@home.example>\nIn-Reply-To: <sent-1@relaypoint.example>\n\n\
         Writing from my own account: yes, let's talk.\n",
    )
    .expect("answer");
    let answered = sync(&sb, &[]);
    let reply = by_kind(&answered, "reply");
    assert_eq!(reply.len(), 1, "{answered:#}");
    assert_eq!(reply[0]["prospect_id"], 1, "{answered:#}");
    assert_eq!(reply[0]["possible"], false, "{answered:#}");
}

#[test]
fn a_reply_from_a_prospects_other_address_is_theirs() {
    let sb = Sandbox::new();
    sb.write_me();
    sb.cmd("2026-11-30T09:00")
        .args([
            "add",
            "--first",
            "Lee",
            "--last",
            "Park",
            "--email",
            "lee@quanta.example",
        ])
        .args(["--company", "Quanta", "--sequence", "classic-4"])
        .args([
            "--field",
            "other_emails=Lee.Park@Home.example; lee@old.example",
        ])
        .assert()
        .success();
    let inbox = sb.dir.path().join("Mail/INBOX");
    maildir_at(&inbox, &[]);
    std::fs::write(
        inbox.join("new/1764583300.M1P1.host"),
        "From: Lee <lee.park@home.example>\nTo: sam@relaypoint.example\nSubject: Re: hello\n\
         Date: Tue, 01 Dec 2026 11:00:00 +0000\nMessage-ID: <home-1@home.example>\n\nSure, call me.\n",
    )
    .expect("mail");
    inbox_config(&sb, &format!("maildir = \"{}\"\n", inbox.display()));
    let messages = sync(&sb, &[]);
    let reply = by_kind(&messages, "reply");
    assert_eq!(reply.len(), 1, "{messages:#}");
    assert_eq!(reply[0]["prospect_id"], 1, "{messages:#}");
    assert!(
        reply[0]["action"]
            .as_str()
            .unwrap_or("")
            .contains("replied"),
        "{messages:#}"
    );
    // The reply waits on the rep, with what Lee wrote.
    let due = sb.cmd(NOW).args(["due", "--json"]).output().expect("due");
    let due: serde_json::Value = serde_json::from_slice(&due.stdout).expect("json");
    assert_eq!(due[0]["task"], "reply", "{due:#}");
    assert_eq!(due[0]["said"], "Sure, call me.", "{due:#}");
}

#[test]
fn upgrading_a_book_fills_the_other_addresses_an_inbox_matches_on() {
    let sb = Sandbox::new();
    sb.write_me();
    sb.cmd("2026-11-30T09:00")
        .args(["add", "--first", "Lee", "--email", "lee@quanta.example"])
        .args(["--field", "other_emails=lee@home.example"])
        .assert()
        .success();
    {
        // As a book from before the table was there.
        let conn = rusqlite::Connection::open(sb.db()).expect("open");
        crate::db::downgrade_to_16(&conn);
        conn.execute_batch("DROP TABLE other_addresses; PRAGMA user_version = 15;")
            .expect("downgrade");
    }
    sb.cmd(NOW).arg("due").assert().success();
    let conn = rusqlite::Connection::open(sb.db()).expect("open");
    let rows: Vec<(String, i64)> = conn
        .prepare("SELECT address, prospect_id FROM other_addresses")
        .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
        .expect("rows");
    assert_eq!(rows, vec![("lee@home.example".to_string(), 1)]);
}

/// A stray binary file in the Maildir is no message (not a reply); a 20 MB message is read
/// in bounded memory (the run is capped at 64 MB) and still understood from its start.
#[test]
fn a_binary_file_is_skipped_and_a_huge_message_is_read_in_bounded_memory() {
    use std::io::Write;
    let sb = Sandbox::new();
    sb.write_me();
    let dir = maildir(&sb, &[]);
    inbox_config(&sb, &format!("maildir = \"{}\"\n", dir.display()));
    add_prospects(&sb);
    let mut binary = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0];
    binary.extend(std::iter::repeat_n(0xffu8, 4096));
    std::fs::write(dir.join("cur/1764800001.M1P1.host:2,S"), binary).expect("binary");
    let huge = dir.join("cur/1764800002.M2P1.host:2,S");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&huge).expect("huge"));
    let reply = std::fs::read_to_string(fixture("reply_quoted.eml")).expect("fixture");
    f.write_all(reply.as_bytes()).expect("write");
    let line = [b'x'; 1023];
    for _ in 0..20 * 1024 {
        f.write_all(&line).expect("write");
        f.write_all(b"\n").expect("write");
    }
    drop(f);
    let out = sb.run_in_64_mb(NOW, &["inbox", "--json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let messages: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let kinds: Vec<&str> = messages
        .as_array()
        .expect("list")
        .iter()
        .map(|m| m["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(
        kinds,
        ["reply"],
        "the binary file is no message; the huge one is a reply"
    );
}

/// Adds these people to classic-4 with their opener sent on Monday 30 November 2026.
fn people_with_openers(sb: &Sandbox, people: &[(&str, &str)]) {
    for (first, email) in people {
        sb.cmd("2026-11-30T09:00")
            .args([
                "add", "--first", first, "--last", "Tester", "--email", email,
            ])
            .args(["--company", "Acme", "--sequence", "classic-4"])
            .assert()
            .success();
        sb.cmd("2026-11-30T10:00")
            .args(["log", email, "sent"])
            .assert()
            .success();
    }
}

/// On a real mailbox: mail older than the sequence is history, a negated request to stop
/// is a reply, a lone "unsubscribe" is only suggested (and confirmed with one step), a spam
/// complaint is a complaint, and "back on 9 December" resumes on the 9th itself.
#[test]
fn a_real_mailbox_changes_only_what_the_mail_warrants() {
    let sb = Sandbox::new();
    sb.write_me();
    let dir = sb.dir.path().join("Mail/INBOX");
    maildir_at(
        &dir,
        &[
            "old_reply.eml",
            "negated_opt_out.eml",
            "weak_unsubscribe.eml",
            "arf_complaint.eml",
            "ooo_back_on.eml",
        ],
    );
    inbox_config(&sb, &format!("maildir = \"{}\"\n", dir.display()));
    people_with_openers(
        &sb,
        &[
            ("Dana", "dana.reyes@northwind.example"),
            ("Priya", "priya@fabrikam.example"),
            ("Omar", "omar@brightline.example"),
            ("Henrik", "henrik@wingtip.example"),
            ("Lee", "lee@quanta.example"),
        ],
    );
    let messages = sync(&sb, &[]);
    let of = |from: &str| {
        messages
            .as_array()
            .expect("array")
            .iter()
            .find(|m| m["from"] == from)
            .cloned()
            .unwrap_or_else(|| panic!("no message from {from}: {messages:#}"))
    };
    assert_eq!(
        of("dana.reyes@northwind.example")["action"],
        "history: written before their sequence began (30 Nov 2026)"
    );
    let priya = of("priya@fabrikam.example");
    assert_eq!(priya["kind"], "reply");
    assert_eq!(
        priya["suggested"],
        "not-now, back Mon 1 Mar 2027 (“try me again”)"
    );
    let weak = of("omar@brightline.example");
    assert_eq!(weak["kind"], "opt_out");
    assert_eq!(weak["possible"], true);
    assert_eq!(of("fbl@isp.example")["kind"], "complaint");
    assert_eq!(of("lee@quanta.example")["return_date"], "2026-12-09");
    let show = |who: &str| {
        let out = sb.cmd(NOW).args(["show", who]).output().expect("show");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(show("dana.reyes@northwind.example").contains("classic-4: 2/4"));
    assert!(!show("omar@brightline.example").contains("DO NOT CONTACT"));
    assert!(show("henrik@wingtip.example").contains("DO NOT CONTACT"));
    assert!(
        show("lee@quanta.example").contains("until 2026-12-09"),
        "{}",
        show("lee@quanta.example")
    );
    let stats: serde_json::Value = serde_json::from_slice(
        &sb.cmd(NOW)
            .args(["stats", "--json"])
            .output()
            .expect("stats")
            .stdout,
    )
    .expect("json");
    assert_eq!(stats["totals"]["complaints"], 1);
    assert_eq!(stats["totals"]["replies"], 1, "Priya only: {stats:#}");
}

/// A sync reads only what arrived in its window (`since_days`, 30 by default): mail from two
/// months ago is not even looked at, until the window is widened.
#[test]
fn only_the_window_is_read() {
    let sb = Sandbox::new();
    sb.write_me();
    let dir = sb.dir.path().join("Mail/INBOX");
    // 1 October 2026: two months before NOW.
    maildir_arrived(&dir, &["reply_quoted.eml"], 1_790_812_800);
    maildir_at(&dir, &["opt_out_en.eml"]);
    inbox_config(&sb, &format!("maildir = \"{}\"\n", dir.display()));
    add_prospects(&sb);
    let messages = sync(&sb, &[]);
    let kinds: Vec<&str> = messages
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|m| m["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["opt_out"], "{messages:#}");
    let config = sb.config_dir().join("config.toml");
    let text = std::fs::read_to_string(&config).expect("config");
    std::fs::write(&config, format!("{text}since_days = 90\n")).expect("config");
    let wider = sync(&sb, &[]);
    assert_eq!(by_kind(&wider, "reply").len(), 1, "{wider:#}");
}
