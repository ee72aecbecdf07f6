//! The promise "never loses or double-sends a touch", through the binary: two processes
//! logging the same touch at once, a command run again from the shell's history, a touch
//! that is not ready, and a prospect's fields that try to drive the terminal.

use crate::db::dump_file;
use crate::util::Sandbox;
use std::process::{Command, Stdio};

const MON: &str = "2026-11-23T10:00";

fn sandbox(sequence: &str) -> Sandbox {
    let sb = Sandbox::new();
    sb.write_me();
    sb.add_dana(MON, sequence);
    sb
}

/// The binary with the sandbox's files, as a plain process (so two can run at once).
fn process(sb: &Sandbox, now: &str, args: &[&str]) -> Command {
    let mut c = sb.process(now);
    c.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn touches_with(sb: &Sandbox, outcome: &str) -> usize {
    dump_file(&sb.db()).get("touches").map_or(0, |rows| {
        rows.iter()
            .filter(|r| r.contains(&format!("\"{outcome}\"")))
            .count()
    })
}

#[test]
fn two_logs_of_one_touch_at_once_log_it_once() {
    let template = sandbox("cold-7");
    for trial in 0..50 {
        // A fresh copy of the same database for every trial.
        let sb = Sandbox::new();
        sb.write_me();
        std::fs::create_dir_all(sb.db().parent().expect("dir")).expect("mkdir");
        std::fs::copy(template.db(), sb.db()).expect("copy");
        let a = process(&sb, MON, &["log", "1", "sent"])
            .spawn()
            .expect("spawn");
        let b = process(&sb, MON, &["log", "1", "sent"])
            .spawn()
            .expect("spawn");
        let (a, b) = (
            a.wait_with_output().expect("wait"),
            b.wait_with_output().expect("wait"),
        );
        let wins = [&a, &b].iter().filter(|o| o.status.success()).count();
        assert_eq!(wins, 1, "trial {trial}: {wins} processes logged the touch");
        let loser = if a.status.success() { &b } else { &a };
        let said = String::from_utf8_lossy(&loser.stderr);
        assert_eq!(said.lines().count(), 1, "trial {trial}: {said}");
        assert!(
            said.starts_with("error: ")
                && (said.contains("already logged as sent") || said.contains("is due")),
            "trial {trial}: {said}"
        );
        assert_eq!(touches_with(&sb, "sent"), 1, "trial {trial}");
    }
}

#[test]
fn a_repeated_log_never_works_ahead() {
    let sb = sandbox("cold-7");
    let first = process(&sb, MON, &["log", "1", "sent"])
        .output()
        .expect("run");
    assert!(first.status.success());
    let before = dump_file(&sb.db());
    // From the shell's history, again and again: step 2 is due on Wednesday.
    for _ in 0..5 {
        let again = process(&sb, MON, &["log", "1", "sent"])
            .output()
            .expect("run");
        assert!(!again.status.success());
        let said = String::from_utf8_lossy(&again.stderr);
        assert!(
            said.contains("Step 2/7")
                && said.contains("is due Wed 25 Nov")
                && said.contains("--ahead"),
            "{said}"
        );
    }
    assert_eq!(
        dump_file(&sb.db()),
        before,
        "a refused log changed the file"
    );
    // On purpose it works.
    let ahead = process(&sb, MON, &["log", "1", "sent", "--ahead"])
        .output()
        .expect("run");
    assert!(
        ahead.status.success(),
        "{}",
        String::from_utf8_lossy(&ahead.stderr)
    );
    // Step 2 is a LinkedIn connect: "sent" there is logged as done.
    assert_eq!(touches_with(&sb, "sent") + touches_with(&sb, "done"), 2);
}

#[test]
fn a_repeat_on_a_same_day_step_is_refused_until_the_step_is_named() {
    // cold-21 opens with an email and a LinkedIn profile view on day 1.
    let sb = sandbox("cold-21");
    assert!(
        process(&sb, MON, &["log", "1", "sent"])
            .output()
            .expect("run")
            .status
            .success()
    );
    let again = process(&sb, MON, &["log", "1", "sent"])
        .output()
        .expect("run");
    assert!(!again.status.success());
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(
        said.contains("was already logged as sent at 10:00") && said.contains("--step 2"),
        "{said}"
    );
    assert_eq!(touches_with(&sb, "done"), 0);
    let view = process(&sb, MON, &["log", "1", "done"])
        .output()
        .expect("run");
    assert!(
        view.status.success(),
        "{}",
        String::from_utf8_lossy(&view.stderr)
    );
    assert_eq!(touches_with(&sb, "done"), 1);
}

#[test]
fn a_touch_that_is_not_ready_is_not_logged_as_sent() {
    let sb = Sandbox::new();
    sb.write_me();
    let add = process(
        &sb,
        MON,
        &[
            "add",
            "--first",
            "Ana",
            "--last",
            "Silva",
            "--email",
            "ana@acme.example",
            "--sequence",
            "classic-4",
        ],
    )
    .output()
    .expect("run");
    assert!(add.status.success());
    let before = dump_file(&sb.db());
    let sent = process(&sb, MON, &["log", "1", "sent"])
        .output()
        .expect("run");
    assert!(!sent.status.success());
    let said = String::from_utf8_lossy(&sent.stderr);
    assert!(
        said.contains("not ready (missing company)") && said.contains("--text"),
        "{said}"
    );
    assert_eq!(dump_file(&sb.db()), before);
    // The text as it went out is what is frozen, without a gap marker.
    let text = sb.dir.path().join("sent.txt");
    std::fs::write(
        &text,
        "Subject: A quick question\n\nHi Ana,\n\nWritten by hand.\n",
    )
    .expect("write");
    let ok = process(
        &sb,
        MON,
        &["log", "1", "sent", "--text", text.to_str().expect("path")],
    )
    .output()
    .expect("run");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let show = process(&sb, MON, &["show", "1", "--json"])
        .output()
        .expect("run");
    let json: serde_json::Value = serde_json::from_slice(&show.stdout).expect("json");
    let history = json["history"].as_array().expect("history");
    let touch = history
        .iter()
        .find(|h| h["outcome"] == "sent")
        .expect("a sent touch");
    assert_eq!(touch["outcome"], "sent");
    assert_eq!(touch["subject"], "A quick question");
    assert_eq!(touch["body"], "Hi Ana,\n\nWritten by hand.");
    // A text that still has the gap is refused too.
    std::fs::write(&text, "Hi Ana, about ⟨company⟩…\n").expect("write");
    let gap = process(
        &sb,
        "2026-11-25T10:00",
        &["log", "1", "sent", "--text", text.to_str().expect("path")],
    )
    .output()
    .expect("run");
    assert!(!gap.status.success());
}

#[test]
fn removed_needs_a_reason() {
    let sb = sandbox("cold-7");
    let out = process(&sb, MON, &["log", "1", "removed"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs a reason"));
    let ok = process(
        &sb,
        MON,
        &["log", "1", "removed", "--reason", "deal closed"],
    )
    .output()
    .expect("run");
    assert!(ok.status.success());
}

#[test]
fn no_line_the_command_line_prints_carries_a_control_character() {
    let sb = Sandbox::new();
    sb.write_me();
    let name = "Eve\u{1b}]52;c;aGk=\u{7}\u{1b}[2J\u{202e}Mallory";
    let add = process(
        &sb,
        MON,
        &[
            "add",
            "--first",
            name,
            "--last",
            "X\u{200b}",
            "--email",
            "eve@evil.example",
            "--company",
            "Evil\u{1b}[31m",
            "--sequence",
            "cold-7",
        ],
    )
    .output()
    .expect("run");
    let runs = [
        add,
        process(&sb, MON, &["log", "1", "sent"])
            .output()
            .expect("run"),
        process(&sb, MON, &["log", "1", "sent"])
            .output()
            .expect("run"),
        process(&sb, MON, &["undo"]).output().expect("run"),
        process(&sb, MON, &["show", "1"]).output().expect("run"),
        process(&sb, MON, &["due"]).output().expect("run"),
        process(&sb, MON, &["enroll", "1", "cold-7"])
            .output()
            .expect("run"),
    ];
    for out in runs {
        for stream in [&out.stdout, &out.stderr] {
            let text = String::from_utf8_lossy(stream);
            assert!(
                !text.chars().any(|c| (c.is_control() && c != '\n')
                    || ('\u{202a}'..='\u{202e}').contains(&c)
                    || c == '\u{200b}'),
                "raw text reached the terminal: {text:?}"
            );
        }
    }
}

#[test]
fn enrolling_again_after_a_reply_waits_out_the_cool_off() {
    let sb = sandbox("cold-7");
    assert!(
        process(&sb, MON, &["log", "1", "replied"])
            .output()
            .expect("run")
            .status
            .success()
    );
    let out = process(&sb, "2026-11-30", &["enroll", "1", "classic-4"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("replied on 2026-11-23") && said.contains("--force"),
        "{said}"
    );
    let forced = process(&sb, "2026-11-30", &["enroll", "1", "classic-4", "--force"])
        .output()
        .expect("run");
    assert!(
        forced.status.success(),
        "{}",
        String::from_utf8_lossy(&forced.stderr)
    );
}

#[test]
fn the_do_not_contact_list_covers_every_address_of_a_row() {
    let sb = Sandbox::new();
    sb.write_me();
    let csv = sb.dir.path().join("leads.csv");
    std::fs::write(
        &csv,
        "First Name,Last Name,Email,Secondary Email,Company\nOmar,Haddad,omar@brightline.example,o.haddad@gmail.example,Brightline\n",
    )
    .expect("write");
    let shown = csv.to_str().expect("path");
    assert!(
        process(&sb, MON, &["import", shown])
            .output()
            .expect("run")
            .status
            .success()
    );
    assert!(
        process(&sb, MON, &["log", "1", "opted-out"])
            .output()
            .expect("run")
            .status
            .success()
    );
    // He turns up again under his other address only.
    let other = process(
        &sb,
        MON,
        &[
            "add",
            "--first",
            "Omar",
            "--last",
            "H",
            "--email",
            "o.haddad@gmail.example",
        ],
    )
    .output()
    .expect("run");
    let said = String::from_utf8_lossy(&other.stderr);
    assert!(!other.status.success(), "re-added an opted-out person");
    assert!(
        said.contains("do-not-contact list (email o.haddad@gmail.example)"),
        "{said}"
    );
}

#[test]
fn an_undone_prospects_id_is_never_given_to_someone_else() {
    let sb = Sandbox::new();
    sb.write_me();
    let add = |first: &str, email: &str| -> String {
        let out = sb
            .cmd("2026-11-23")
            .args(["add", "--first", first, "--email", email, "--company", "X"])
            .output()
            .expect("add");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(add("Ann", "ann@x.example").contains("prospect 1"));
    assert!(add("Bob", "bob@x.example").contains("prospect 2"));
    sb.cmd("2026-11-23").arg("undo").assert().success();
    // Bob is gone; Cy gets 3, so a `log 2 …` from the shell's history finds nobody.
    assert!(add("Cy", "cy@x.example").contains("prospect 3"));
    let out = sb
        .cmd("2026-11-23")
        .args(["show", "2"])
        .output()
        .expect("show");
    assert!(!out.status.success(), "prospect 2 still answers");
}
