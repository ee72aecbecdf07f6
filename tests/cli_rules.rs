//! Engine rules as the rep meets them on the command line: the cool-off after a finished
//! sequence, a pause that ends by itself, a dry-run import, and a re-import that must not
//! bring an opted-out person back.

use crate::db::bytes;
use crate::util::Sandbox;
use serde_json::Value;

fn run(sb: &Sandbox, now: &str, args: &[&str]) -> String {
    let out = sb.cmd(now).args(args).output().expect("run");
    assert!(
        out.status.success(),
        "touchbase {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn fails(sb: &Sandbox, now: &str, args: &[&str]) -> String {
    let out = sb.cmd(now).args(args).output().expect("run");
    assert!(!out.status.success(), "touchbase {args:?} succeeded");
    String::from_utf8(out.stderr).expect("utf-8")
}

fn show(sb: &Sandbox, now: &str, who: &str) -> Value {
    serde_json::from_str(&run(sb, now, &["show", who, "--json"])).expect("JSON")
}

fn sandbox_with_dana(sequence: &str) -> Sandbox {
    let sb = Sandbox::new();
    sb.write_me();
    sb.add_dana("2026-11-23", sequence);
    sb
}

#[test]
fn a_finished_sequence_rests_the_prospect_unless_forced() {
    // rule-333: email on day 1, LinkedIn on day 4, call on day 7.
    let sb = sandbox_with_dana("rule-333");
    for (day, outcome) in [
        ("2026-11-23", "sent"),
        ("2026-11-26", "done"),
        ("2026-12-01", "no-answer"),
    ] {
        run(&sb, day, &["log", "1", outcome]);
    }
    let dana = show(&sb, "2026-12-01", "1");
    assert_eq!(dana["status"], "completed");
    assert_eq!(dana["rest_until"], "2026-12-31", "30 days of cool-off");
    let said = fails(&sb, "2026-12-02", &["enroll", "1", "cold-7"]);
    assert!(
        said.contains("resting") && said.contains("2026-12-31"),
        "{said}"
    );
    // A re-import with a sequence leaves her resting too.
    let csv = sb.dir.path().join("again.csv");
    std::fs::write(&csv, "first_name,email\nDana,dana@northwind.example\n").expect("csv");
    let out = run(
        &sb,
        "2026-12-02",
        &[
            "import",
            csv.to_str().expect("path"),
            "--sequence",
            "cold-7",
        ],
    );
    assert!(out.contains("0 enrolled"), "{out}");
    assert_eq!(show(&sb, "2026-12-02", "1")["status"], "completed");
    // After the cool-off, or forced, she can start again.
    run(&sb, "2026-12-02", &["enroll", "1", "cold-7", "--force"]);
    assert_eq!(show(&sb, "2026-12-02", "1")["status"], "active");
    run(&sb, "2026-12-02", &["undo"]);
    run(&sb, "2026-12-31", &["enroll", "1", "cold-7"]);
    assert_eq!(show(&sb, "2026-12-31", "1")["status"], "active");
}

#[test]
fn a_pause_with_a_return_date_comes_back_by_itself() {
    let sb = sandbox_with_dana("cold-21");
    run(&sb, "2026-11-23", &["log", "1", "sent"]);
    run(&sb, "2026-11-23", &["log", "1", "done"]);
    // The call is due Wed 25; out of office from Tue 24 to Mon 7 Dec with one working day
    // of the gap left.
    run(
        &sb,
        "2026-11-24",
        &["log", "1", "paused", "--until", "2026-12-07"],
    );
    assert_eq!(show(&sb, "2026-11-24", "1")["status"], "paused");
    for day in ["2026-11-25", "2026-12-04", "2026-12-07"] {
        let due: Value = serde_json::from_str(&run(&sb, day, &["due", "--json"])).expect("JSON");
        assert_eq!(due.as_array().map(Vec::len), Some(0), "due on {day}: {due}");
    }
    let due: Value =
        serde_json::from_str(&run(&sb, "2026-12-08", &["due", "--json"])).expect("JSON");
    assert_eq!(due[0]["due"], "2026-12-08");
    assert_eq!(due[0]["channel"], "call");
    assert_eq!(show(&sb, "2026-12-08", "1")["status"], "active");
    // Worked without a "resumed" by hand: the log says when it came back.
    run(&sb, "2026-12-08", &["log", "1", "voicemail"]);
    let history = show(&sb, "2026-12-08", "1")["history"].clone();
    let outcomes: Vec<&str> = history
        .as_array()
        .expect("history")
        .iter()
        .map(|h| h["outcome"].as_str().expect("outcome"))
        .collect();
    assert_eq!(
        outcomes,
        ["sent", "done", "paused", "resumed", "voicemail"],
        "{history}"
    );
}

#[test]
fn a_dry_run_import_reports_and_changes_nothing() {
    let sb = sandbox_with_dana("cold-21");
    let csv = sb.dir.path().join("leads.csv");
    std::fs::write(
        &csv,
        "first_name,last_name,email\nOmar,Haddad,omar@brightline.example\nDana,Reyes,DANA@northwind.example\n",
    )
    .expect("csv");
    let before = bytes(&sb.db());
    let out = run(
        &sb,
        "2026-11-23",
        &[
            "import",
            csv.to_str().expect("path"),
            "--sequence",
            "cold-7",
            "--dry-run",
        ],
    );
    assert!(out.starts_with("Dry run, nothing changed."), "{out}");
    assert!(out.contains("1 added, 1 updated, 1 enrolled"), "{out}");
    assert!(bytes(&sb.db()) == before, "a dry run changed the database");
    // Nothing was recorded to undo either: the newest action is still the add.
    let undone = run(&sb, "2026-11-23", &["undo"]);
    assert!(undone.starts_with("Undone: Added Dana Reyes"), "{undone}");
}

#[test]
fn an_opted_out_person_stays_out_whatever_is_imported() {
    let sb = sandbox_with_dana("cold-21");
    run(&sb, "2026-11-23", &["log", "1", "opted-out"]);
    let csv = sb.dir.path().join("leads.csv");
    std::fs::write(
        &csv,
        "first_name,last_name,email,phone,linkedin\n\
         Dana,Reyes,Dana@Northwind.Example,,\n\
         D,R,,+1 (415) 555-0100,\n\
         Dana,R,dana.r@home.example,,http://linkedin.com/in/Dana-Reyes/\n\
         Omar,Haddad,omar@brightline.example,,\n",
    )
    .expect("csv");
    let out = run(
        &sb,
        "2026-11-24",
        &[
            "import",
            csv.to_str().expect("path"),
            "--sequence",
            "cold-7",
        ],
    );
    assert!(out.contains("1 enrolled"), "{out}");
    assert!(out.contains("3 on the do-not-contact list"), "{out}");
    let dana = show(&sb, "2026-11-24", "1");
    assert_eq!(dana["status"], "opted_out");
    assert_eq!(dana["do_not_contact"], true);
    let said = fails(&sb, "2026-11-24", &["enroll", "1", "classic-4", "--force"]);
    assert!(said.contains("do-not-contact"), "{said}");
}

#[test]
fn a_reply_carries_its_kind_and_not_now_or_a_referral_does_what_it_says() {
    let sb = sandbox_with_dana("classic-4");
    run(&sb, "2026-11-23", &["log", "1", "sent"]);
    let err = fails(
        &sb,
        "2026-11-24",
        &["log", "1", "replied", "--kind", "maybe"],
    );
    assert!(err.contains("error:"), "{err}");
    let err = fails(
        &sb,
        "2026-11-24",
        &["log", "1", "replied", "--kind", "not-now"],
    );
    assert!(err.contains("--until DATE"), "{err}");
    let err = fails(
        &sb,
        "2026-11-24",
        &["log", "1", "sent", "--kind", "positive"],
    );
    assert!(err.contains("--kind goes with replied"), "{err}");
    // "Ask me again in January": closed as replied, back in the sequence on the day.
    let out = run(
        &sb,
        "2026-11-24",
        &[
            "log",
            "1",
            "replied",
            "--kind",
            "not-now",
            "--until",
            "2027-01-11",
        ],
    );
    assert!(
        out.contains("back in re-engagement on Mon 11 Jan 2027"),
        "{out}"
    );
    let v = show(&sb, "2026-11-24", "1");
    let enrollments = v["enrollments"].as_array().expect("enrollments");
    assert_eq!(enrollments.len(), 2, "{v}");
    assert_eq!(
        enrollments[1]["due"].as_str().map(|d| &d[..10]),
        Some("2027-01-11")
    );
    // A referral adds the person named, noted as referred.
    run(&sb, "2027-01-11", &["log", "1", "sent"]);
    let out = run(
        &sb,
        "2027-01-12",
        &[
            "log",
            "1",
            "replied",
            "--kind",
            "referral",
            "--refer",
            "Mia Cho <mia@northwind.example>",
        ],
    );
    assert!(out.contains("added Mia Cho as prospect 2"), "{out}");
    let mia = show(&sb, "2027-01-12", "mia@northwind.example");
    assert_eq!(mia["company"], "Northwind");
    let stats: Value =
        serde_json::from_str(&run(&sb, "2027-01-12", &["stats", "--json"])).expect("json");
    assert_eq!(stats["totals"]["replies_by_kind"]["not-now"], 1, "{stats}");
    assert_eq!(stats["totals"]["replies_by_kind"]["referral"], 1, "{stats}");
}

#[test]
fn enroll_takes_a_decision_date_and_an_end_date() {
    let sb = Sandbox::new();
    sb.write_me();
    let add = |email: &str| {
        run(
            &sb,
            "2026-11-23",
            &[
                "add",
                "--first",
                "Lee",
                "--last",
                "Park",
                "--email",
                email,
                "--company",
                "Quanta",
            ],
        );
    };
    add("lee@quanta.example");
    let err = fails(&sb, "2026-11-23", &["enroll", "1", "proposal"]);
    assert!(err.contains("--decision DATE"), "{err}");
    let out = run(
        &sb,
        "2026-11-23",
        &["enroll", "1", "proposal", "--decision", "2026-12-11"],
    );
    assert!(out.contains("Enrolled Lee Park in proposal"), "{out}");
    let explain = run(&sb, "2026-11-23", &["show", "1", "--explain"]);
    assert!(explain.contains("first touch"), "{explain}");
    // An end date: on that day the touch is not due, and the next event closes it.
    add("mia@quanta.example");
    run(
        &sb,
        "2026-11-23",
        &[
            "enroll",
            "2",
            "cold-7",
            "--start",
            "2026-11-24",
            "--until",
            "2026-11-26",
        ],
    );
    let due = |now: &str| -> Vec<i64> {
        let v: Value = serde_json::from_str(&run(&sb, now, &["due", "--json"])).expect("json");
        v.as_array()
            .expect("array")
            .iter()
            .filter_map(|i| i["prospect_id"].as_i64())
            .collect()
    };
    assert!(due("2026-11-24").contains(&2));
    assert!(!due("2026-11-26").contains(&2), "due after its end date");
    let err = fails(&sb, "2026-11-26", &["log", "2", "sent"]);
    assert!(err.contains("removed"), "{err}");
}

#[test]
fn time_off_wholly_in_the_past_is_refused_and_counts_read_in_the_singular() {
    let sb = sandbox_with_dana("classic-4");
    let err = fails(
        &sb,
        "2026-11-23",
        &["vacation", "--from", "2026-11-02", "--to", "2026-11-06"],
    );
    assert!(err.contains("already over"), "{err}");
    let dir = sb.dir.path().join("dup.csv");
    std::fs::write(
        &dir,
        "First Name,Last Name,Email\nAnn,Lee,ann@x.example\nAnn,Lee,ann@x.example\n",
    )
    .expect("write");
    let out = run(&sb, "2026-11-23", &["import", dir.to_str().expect("path")]);
    assert!(out.contains("(1 duplicate in the file)"), "{out}");
}

#[test]
fn edit_fixes_a_missing_field_and_the_touch_turns_ready() {
    let sb = Sandbox::new();
    sb.write_me();
    run(
        &sb,
        "2026-11-23",
        &[
            "add",
            "--first",
            "Lee",
            "--last",
            "Park",
            "--email",
            "lee@q.example",
            "--sequence",
            "classic-4",
        ],
    );
    let ready = |sb: &Sandbox| -> bool {
        let v: Value =
            serde_json::from_str(&run(sb, "2026-11-23", &["due", "--json"])).expect("json");
        v[0]["ready"].as_bool().expect("ready")
    };
    assert!(!ready(&sb), "no company yet");
    let out = run(
        &sb,
        "2026-11-23",
        &[
            "edit",
            "1",
            "--company",
            "Quanta",
            "--note",
            "met at the fair",
        ],
    );
    assert!(out.contains("Changed company, notes for Lee Park"), "{out}");
    assert!(ready(&sb), "the touch is ready once the company is known");
    assert!(
        show(&sb, "2026-11-23", "1")["notes"]
            .as_str()
            .expect("notes")
            .contains("met at the fair")
    );
    run(&sb, "2026-11-23", &["undo"]);
    assert!(!ready(&sb), "undo takes the edit back");
    // Another prospect's address, or one on the do-not-contact list, is refused.
    run(
        &sb,
        "2026-11-23",
        &[
            "add",
            "--first",
            "Mia",
            "--email",
            // Another company: Lee's sequence is not her account's business.
            "mia@elsewhere.example",
            "--phone",
            "+1 415 555 0100",
        ],
    );
    let err = fails(
        &sb,
        "2026-11-23",
        &["edit", "1", "--email", "MIA@elsewhere.example"],
    );
    assert!(err.contains("already prospect 2"), "{err}");
    run(&sb, "2026-11-23", &["log", "2", "opted-out"]);
    let err = fails(
        &sb,
        "2026-11-23",
        &["edit", "1", "--phone", "+1 (415) 555-0100"],
    );
    assert!(err.contains("do-not-contact"), "{err}");
    // An empty value clears a field.
    run(&sb, "2026-11-23", &["edit", "1", "--company", "Quanta"]);
    run(&sb, "2026-11-23", &["edit", "1", "--company", ""]);
    assert!(!ready(&sb));
}

#[test]
fn enrolling_says_how_many_steps_cannot_reach_them_and_what_fits() {
    let sb = Sandbox::new();
    sb.write_me();
    run(
        &sb,
        "2026-11-23",
        &[
            "add",
            "--first",
            "Lee",
            "--last",
            "Park",
            "--email",
            "lee@q.example",
            "--company",
            "Q",
        ],
    );
    let out = run(&sb, "2026-11-23", &["enroll", "1", "cold-21"]);
    assert!(
        out.contains(
            "6 of its 10 steps will be skipped (no LinkedIn URL, no working phone number)"
        ),
        "{out}"
    );
    assert!(
        out.contains("classic-4 reaches them on every step"),
        "{out}"
    );
}

#[test]
fn completions_for_every_shell_and_a_man_page_come_from_the_commands() {
    let sb = crate::util::Sandbox::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = sb
            .cmd("2026-11-23T09:00")
            .args(["completions", shell])
            .output()
            .expect("run");
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        // The script asks touchbase itself, so what it offers is today's.
        for word in ["touchbase", "COMPLETE"] {
            assert!(text.contains(word), "{shell} completions lack {word}");
        }
    }
    let out = sb.cmd("2026-11-23T09:00").arg("man").output().expect("run");
    assert!(out.status.success());
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(page.contains(".TH touchbase"), "{page}");
    for section in [
        "COMMANDS",
        "KEYS",
        "CONFIGURATION",
        "ENVIRONMENT",
        "FILES",
        "EXIT STATUS",
    ] {
        let heading = match section.contains(' ') {
            true => format!(".SH \"{section}\""),
            false => format!(".SH {section}"),
        };
        assert!(page.contains(&heading), "no {section}: {page}");
    }
    for word in [
        "touchbase inbox",
        "TOUCHBASE_DB",
        "complained",
        "max_touches_per_day",
    ] {
        assert!(page.contains(word), "no {word}: {page}");
    }
    // No page it points to is missing: every command is on this one.
    assert!(!page.contains("touchbase\\-import(1)"), "{page}");
    assert!(!sb.db().exists(), "neither opens a database");
}

/// What the shell gets back when it asks, as bash asks: the words so far and which one is
/// being completed.
fn completed(sb: &crate::util::Sandbox, index: usize, words: &[&str]) -> Vec<String> {
    let out = sb
        .cmd("2026-11-23T09:00")
        .env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", index.to_string())
        .arg("--")
        .args(words)
        .output()
        .expect("run");
    assert!(out.status.success(), "{words:?}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn the_shell_completes_outcomes_sequences_and_prospects_from_the_book() {
    let sb = crate::util::Sandbox::new();
    // With no book yet: commands complete, prospects do not, and no book is made.
    let commands = completed(&sb, 1, &["touchbase", "i"]);
    assert!(commands.contains(&"import".to_string()), "{commands:?}");
    assert!(commands.contains(&"inbox".to_string()), "{commands:?}");
    assert!(
        completed(&sb, 2, &["touchbase", "show", ""])
            .iter()
            .all(|w| w.starts_with('-'))
    );
    assert!(!sb.db().exists(), "completion made a book");
    for email in [
        "lee@quanta.example",
        "lena@tailspin.example",
        "ann@berg.example",
    ] {
        sb.cmd("2026-11-23T09:00")
            .args(["add", "--first", "X", "--email", email])
            .assert()
            .success();
    }
    let shown = completed(&sb, 2, &["touchbase", "show", "le"]);
    assert_eq!(shown, ["lee@quanta.example", "lena@tailspin.example"]);
    let outcomes = completed(&sb, 3, &["touchbase", "log", "1", ""]);
    for o in ["sent", "connected", "no-answer", "complained", "removed"] {
        assert!(outcomes.contains(&o.to_string()), "{o}: {outcomes:?}");
    }
    // The config's own sequences come with the built-ins.
    let own = sb.config_dir().join("sequences");
    std::fs::create_dir_all(&own).expect("dir");
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/templates/sequences/rule-333.toml"
        ),
        own.join("my-cadence.toml"),
    )
    .expect("copy");
    let names = completed(&sb, 3, &["touchbase", "enroll", "1", ""]);
    for n in ["cold-7", "classic-4", "my-cadence"] {
        assert!(names.contains(&n.to_string()), "{n}: {names:?}");
    }
    let names = completed(&sb, 3, &["touchbase", "stats", "--sequence", "cold-2"]);
    assert_eq!(names, ["cold-21"]);
}

#[test]
fn an_export_or_a_backup_never_writes_over_a_file_unless_forced() {
    let sb = crate::util::Sandbox::new();
    sb.write_me();
    sb.add_dana("2026-11-23T10:00", "cold-7");
    let now = "2026-11-23T10:00";
    let out = sb.dir.path().join("p.csv");
    std::fs::write(&out, "keep me").expect("write");
    let refused = sb
        .cmd(now)
        .args(["export", "prospects", "--out"])
        .arg(&out)
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(
        err.contains("is there already") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&out).expect("read"), "keep me");
    sb.cmd(now)
        .args(["export", "prospects", "--force", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(&out)
            .expect("read")
            .starts_with("id,first_name")
    );
    let snap = sb.dir.path().join("b.db");
    std::fs::write(&snap, "keep me").expect("write");
    sb.cmd(now)
        .args(["backup", "--to"])
        .arg(&snap)
        .assert()
        .failure();
    assert_eq!(std::fs::read_to_string(&snap).expect("read"), "keep me");
    // `--since last` run again with nothing new keeps the first files as they were.
    sb.cmd(now).args(["log", "1", "sent"]).assert().success();
    let crm = sb.dir.path().join("sf.csv");
    let args = [
        "export",
        "activities",
        "--format",
        "salesforce",
        "--since",
        "last",
        "--out",
    ];
    sb.cmd(now).args(args).arg(&crm).assert().success();
    let first = std::fs::read_to_string(&crm).expect("read");
    let again = sb.cmd(now).args(args).arg(&crm).assert().success();
    let said = String::from_utf8_lossy(&again.get_output().stdout).into_owned();
    assert!(
        said.contains("Nothing logged since the last export"),
        "{said}"
    );
    assert_eq!(std::fs::read_to_string(&crm).expect("read"), first);
}

#[test]
fn completions_and_the_man_page_survive_a_closed_pipe() {
    let bin = assert_cmd::cargo::cargo_bin("touchbase");
    for what in ["completions bash", "man"] {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("'{}' {what} | head -1", bin.display()))
            .output()
            .expect("run");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{what}: {err}");
        assert!(!out.stdout.is_empty(), "{what}");
    }
}

#[test]
fn a_unique_name_finds_a_prospect_and_a_city_settles_a_zone() {
    let sb = crate::util::Sandbox::new();
    let now = "2026-11-23T10:00";
    sb.cmd(now)
        .args([
            "add", "--first", "Zed", "--last", "Quinn", "--city", "Chicago",
        ])
        .assert()
        .success();
    let shown = sb.cmd(now).args(["show", "zed quinn"]).assert().success();
    let shown = String::from_utf8_lossy(&shown.get_output().stdout).into_owned();
    assert!(shown.contains("timezone America/Chicago"), "{shown}");
    sb.cmd(now)
        .args([
            "add",
            "--first",
            "Zed",
            "--last",
            "Quinn",
            "--email",
            "zq@x.example",
        ])
        .assert()
        .success();
    let two = sb.cmd(now).args(["show", "Zed Quinn"]).assert().failure();
    let err = String::from_utf8_lossy(&two.get_output().stderr).into_owned();
    assert!(
        err.contains("2 prospects are called 'Zed Quinn'") && err.contains("zq@x.example"),
        "{err}"
    );
}
