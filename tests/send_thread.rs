//! One thread per enrollment, and a step that begins its own (`thread = false`): the bytes
//! handed to the sendmail command, read back.

use crate::send_after_stop::{run_at, sendmail_does, setup, taken};
use touchbase::inbox::Mail;

const STEPS: &str = r#"title = "Four emails, the third a new angle"
trigger = "cold"
working_days_only = false

[[steps]]
day = 1
channel = "email"
template = "fresh/a.md"

[[steps]]
day = 2
channel = "email"
template = "fresh/b.md"

[[steps]]
day = 3
channel = "email"
template = "fresh/c.md"
thread = false

[[steps]]
day = 4
channel = "email"
template = "fresh/d.md"
"#;

#[test]
fn a_step_with_thread_false_begins_its_own_and_the_next_follows_it() {
    let (sb, _) = setup();
    let dir = sb.config_dir();
    std::fs::create_dir_all(dir.join("sequences")).expect("dir");
    std::fs::create_dir_all(dir.join("templates/fresh")).expect("dir");
    std::fs::write(dir.join("sequences/fresh.toml"), STEPS).expect("sequence");
    for (name, subject) in [
        ("a", "First look"),
        ("b", "Ignored"),
        ("c", "A new angle"),
        ("d", "Ignored too"),
    ] {
        std::fs::write(
            dir.join(format!("templates/fresh/{name}.md")),
            format!("+++\nsubject = \"{subject}\"\n+++\nHi {{{{ first_name }}}}, note {name}.\n"),
        )
        .expect("template");
    }
    sb.cmd("2026-11-30T09:00")
        .args([
            "add",
            "--first",
            "Ada",
            "--last",
            "Lind",
            "--email",
            "ada@fjord.example",
        ])
        .args(["--company", "Fjord", "--sequence", "fresh"])
        .assert()
        .success();
    sendmail_does(&sb, false);
    for day in ["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03"] {
        let (ok, _, said) = run_at(
            &sb,
            &format!("{day}T10:00"),
            &["send", "ada@fjord.example", "--no-undo"],
        );
        assert!(ok, "{day}: {said}");
    }
    let mails: Vec<Mail> = taken(&sb)
        .iter()
        .map(|m| Mail::parse(m.as_bytes()).expect("message"))
        .collect();
    let subjects: Vec<&str> = mails.iter().map(|m| m.subject.as_str()).collect();
    assert_eq!(
        subjects,
        [
            "First look",
            "Re: First look",
            "A new angle",
            "Re: A new angle"
        ]
    );
    let id = |n: usize| mails[n].message_id.clone().expect("id");
    assert!(mails[0].thread_ids.is_empty());
    assert_eq!(mails[1].thread_ids, [id(0)]);
    assert!(mails[2].thread_ids.is_empty(), "{:?}", mails[2].thread_ids);
    assert!(mails[2].header("in-reply-to").is_none());
    assert_eq!(mails[3].thread_ids, [id(2)]);
}

#[test]
fn thread_on_a_step_that_is_not_an_email_is_refused_where_it_is_written() {
    let (sb, _) = setup();
    let dir = sb.config_dir();
    std::fs::create_dir_all(dir.join("sequences")).expect("dir");
    let file = dir.join("sequences/calls.toml");
    std::fs::write(
        &file,
        "title = \"Calls\"\n\n[[steps]]\nday = 1\nchannel = \"call\"\nthread = false\n",
    )
    .expect("sequence");
    let (ok, _, said) = run_at(
        &sb,
        "2026-11-30T09:00",
        &["sequences", "lint", file.to_str().expect("path")],
    );
    assert!(!ok);
    assert!(said.contains("calls.toml:6:"), "{said}");
    assert!(said.contains("thread is for email steps"), "{said}");
}
