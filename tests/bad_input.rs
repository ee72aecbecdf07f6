//! Bad input of every kind, through the binary: each case prints exactly one `error:` line
//! naming what was at fault (the file, and its line and column where they apply), exits
//! non-zero, and leaves the database as it was.

use crate::db::dump_file;
use crate::util::Sandbox;
use std::path::Path;

const MON: &str = "2026-11-23T10:00";

/// One case: how to break things, the command, and what the error line must contain.
struct Case {
    name: &'static str,
    setup: fn(&Sandbox),
    args: &'static [&'static str],
    says: &'static [&'static str],
}

fn none(_: &Sandbox) {}

fn write(sb: &Sandbox, rel: &str, text: &[u8]) {
    let p = sb.dir.path().join(rel);
    std::fs::create_dir_all(p.parent().expect("dir")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

fn config(sb: &Sandbox, text: &str) {
    write(sb, "config/config.toml", text.as_bytes());
}

fn sequence(sb: &Sandbox, name: &str, text: &str) {
    write(
        sb,
        &format!("config/sequences/{name}.toml"),
        text.as_bytes(),
    );
}

const GOOD_STEP: &str =
    "title = \"Mine\"\n[[steps]]\nday = 1\nchannel = \"email\"\npurpose = \"opener\"\n";

fn cases() -> Vec<Case> {
    vec![
        // CSV files.
        Case {
            name: "open quote",
            setup: |sb| {
                write(
                    sb,
                    "in.csv",
                    b"first_name,last_name,email\nBob,Lee,\"bob@x\nAnn,Ko,ann@x.example\n",
                )
            },
            args: &["import", "in.csv"],
            says: &["in.csv:", "quote"],
        },
        Case {
            name: "NUL in a cell",
            setup: |sb| {
                write(
                    sb,
                    "in.csv",
                    b"first_name,last_name,email\nBo\0b,Lee,bob@x.example\n",
                )
            },
            args: &["import", "in.csv"],
            says: &["in.csv:2:1", "NUL"],
        },
        Case {
            name: "bad email",
            setup: |sb| {
                write(
                    sb,
                    "in.csv",
                    b"first_name,last_name,email\nBob,Lee,not-an-address\n",
                )
            },
            args: &["import", "in.csv"],
            says: &["in.csv:2:3"],
        },
        Case {
            name: "an address without its domain",
            setup: |sb| write(sb, "in.csv", b"first_name,email\nBob,bob@\n"),
            args: &["import", "in.csv"],
            says: &["in.csv:2:2", "is not an email"],
        },
        Case {
            name: "too many cells",
            setup: |sb| write(sb, "in.csv", b"first_name,last_name\nBob,Lee,extra,more\n"),
            args: &["import", "in.csv"],
            says: &["in.csv:2:", "cells"],
        },
        Case {
            name: "too few cells",
            setup: |sb| write(sb, "in.csv", b"first_name,last_name,email\nBob\n"),
            args: &["import", "in.csv"],
            says: &["in.csv:2:", "cells"],
        },
        Case {
            name: "no header",
            setup: |sb| write(sb, "in.csv", b"1,2,3\n4,5,6\n"),
            args: &["import", "in.csv"],
            says: &["in.csv"],
        },
        Case {
            name: "missing file",
            setup: none,
            args: &["import", "nowhere.csv"],
            says: &["nowhere.csv"],
        },
        Case {
            name: "a folder, not a file",
            setup: |sb| std::fs::create_dir_all(sb.dir.path().join("folder.csv")).expect("mkdir"),
            args: &["import", "folder.csv"],
            says: &["folder.csv"],
        },
        Case {
            name: "binary file",
            setup: |sb| {
                write(
                    sb,
                    "in.csv",
                    &[0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0, 1],
                )
            },
            args: &["import", "in.csv"],
            says: &["in.csv"],
        },
        Case {
            name: "unknown sequence on import",
            setup: |sb| write(sb, "in.csv", b"first_name,last_name\nBob,Lee\n"),
            args: &["import", "in.csv", "--sequence", "nope"],
            says: &["no sequence named 'nope'"],
        },
        Case {
            name: "per-day zero",
            setup: |sb| write(sb, "in.csv", b"first_name,last_name\nBob,Lee\n"),
            args: &["import", "in.csv", "--per-day", "0"],
            says: &["--per-day"],
        },
        // TOML: the config.
        Case {
            name: "config syntax",
            setup: |sb| config(sb, "[me\nname = 1\n"),
            args: &["due"],
            says: &["config.toml:1:"],
        },
        Case {
            name: "config wrong type",
            setup: |sb| config(sb, "max_touches_per_day = \"many\"\n"),
            args: &["due"],
            says: &["config.toml:1:"],
        },
        Case {
            name: "config bad zone",
            setup: |sb| config(sb, "timezone = \"Mars/Base\"\n"),
            args: &["due"],
            says: &["config.toml", "Mars/Base"],
        },
        Case {
            name: "config unknown key",
            setup: |sb| config(sb, "max_touchez_per_day = 3\n"),
            args: &["due"],
            says: &["config.toml:1:"],
        },
        // Sequences and templates.
        Case {
            name: "sequence syntax",
            setup: |sb| sequence(sb, "mine", "title = \"Mine\"\n[[steps]\nday = 1\n"),
            args: &["enroll", "1", "mine"],
            says: &["mine.toml:2:"],
        },
        Case {
            name: "sequence unknown channel",
            setup: |sb| {
                sequence(
                    sb,
                    "mine",
                    "title = \"Mine\"\n[[steps]]\nday = 1\nchannel = \"fax\"\npurpose = \"x\"\n",
                )
            },
            args: &["enroll", "1", "mine"],
            says: &["mine.toml:"],
        },
        Case {
            name: "sequence without steps",
            setup: |sb| sequence(sb, "mine", "title = \"Mine\"\n"),
            args: &["enroll", "1", "mine"],
            says: &["mine.toml"],
        },
        Case {
            name: "template missing",
            setup: |sb| {
                sequence(
                    sb,
                    "mine",
                    &format!("{GOOD_STEP}template = \"mine/none.md\"\n"),
                )
            },
            args: &["enroll", "1", "mine"],
            says: &["mine.toml", "none.md"],
        },
        Case {
            name: "template syntax",
            setup: |sb| {
                sequence(
                    sb,
                    "mine",
                    &format!("{GOOD_STEP}template = \"mine/a.md\"\n"),
                );
                write(
                    sb,
                    "config/templates/mine/a.md",
                    b"+++\nsubject = \"Hi\"\n+++\nHello {{ first_name \n",
                );
            },
            args: &["enroll", "1", "mine"],
            says: &["a.md:"],
        },
        Case {
            name: "template front matter",
            setup: |sb| {
                sequence(
                    sb,
                    "mine",
                    &format!("{GOOD_STEP}template = \"mine/a.md\"\n"),
                );
                write(
                    sb,
                    "config/templates/mine/a.md",
                    b"+++\nsubject = Hi\n+++\nHello\n",
                );
            },
            args: &["enroll", "1", "mine"],
            says: &["a.md:"],
        },
        Case {
            name: "unknown sequence",
            setup: none,
            args: &["enroll", "1", "nope"],
            says: &["no sequence named 'nope'"],
        },
        // Arguments.
        Case {
            name: "unknown outcome",
            setup: none,
            args: &["log", "1", "emailed"],
            says: &["emailed"],
        },
        Case {
            name: "removed without reason",
            setup: none,
            args: &["log", "1", "removed"],
            says: &["needs a reason"],
        },
        Case {
            name: "snoozed without a date",
            setup: none,
            args: &["log", "1", "snoozed"],
            says: &["needs a date"],
        },
        Case {
            name: "until not a date",
            setup: none,
            args: &["log", "1", "snoozed", "--until", "soon"],
            says: &["--until", "soon"],
        },
        Case {
            name: "step zero",
            setup: none,
            args: &["log", "1", "sent", "--step", "0"],
            says: &["--step"],
        },
        Case {
            name: "unknown prospect",
            setup: none,
            args: &["log", "99", "sent"],
            says: &["no prospect '99'"],
        },
        Case {
            name: "unknown email",
            setup: none,
            args: &["show", "who@nowhere.example"],
            says: &["who@nowhere.example"],
        },
        Case {
            name: "wrong outcome for the channel",
            setup: none,
            args: &["log", "1", "voicemail"],
            says: &["voicemail"],
        },
        Case {
            name: "add bad zone",
            setup: none,
            args: &[
                "add",
                "--first",
                "A",
                "--last",
                "B",
                "--timezone",
                "Mars/Base",
            ],
            says: &["--timezone", "Mars/Base"],
        },
        Case {
            name: "add field without =",
            setup: none,
            args: &["add", "--first", "A", "--last", "B", "--field", "industry"],
            says: &["--field"],
        },
        Case {
            name: "add a known person",
            setup: none,
            args: &[
                "add",
                "--first",
                "Dana",
                "--last",
                "Reyes",
                "--email",
                "DANA@northwind.example",
            ],
            says: &["already known"],
        },
        Case {
            name: "vacation backwards",
            setup: none,
            args: &["vacation", "--from", "2026-12-10", "--to", "2026-12-01"],
            says: &["before"],
        },
        Case {
            name: "vacation bad date",
            setup: none,
            args: &["vacation", "--from", "2026-12-40", "--to", "2026-12-41"],
            says: &["--from"],
        },
        // Dates and the clock.
        Case {
            name: "now not a date",
            setup: none,
            args: &["--now", "yesterday", "due"],
            says: &["--now"],
        },
        Case {
            name: "now out of range",
            setup: none,
            args: &["--now", "2026-13-01", "due"],
            says: &["--now"],
        },
        Case {
            name: "start not a date",
            setup: none,
            args: &["enroll", "1", "classic-4", "--start", "whenever"],
            says: &["--start"],
        },
        Case {
            name: "already enrolled",
            setup: none,
            args: &["enroll", "1", "classic-4"],
            says: &["already in cold-7"],
        },
    ]
}

/// What is wrong with how the binary met this case, if anything.
fn check(sb: &Sandbox, name: &str, args: &[&str], says: &[&str]) -> Option<String> {
    let before = dump_file(&sb.db());
    let out = sb
        .cmd(MON)
        .current_dir(sb.dir.path())
        .args(args)
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    if out.status.success() {
        return Some(format!("{name}: accepted ({err})"));
    }
    if err.lines().count() != 1 || !err.starts_with("error: ") {
        return Some(format!("{name}: not one error line: {err}"));
    }
    if let Some(s) = says.iter().find(|s| !err.contains(**s)) {
        return Some(format!("{name}: '{s}' missing from {err}"));
    }
    (dump_file(&sb.db()) != before).then(|| format!("{name} changed the database"))
}

#[test]
fn every_bad_input_gets_one_located_line_and_changes_nothing() {
    let all = cases();
    assert!(all.len() >= 40, "{} cases", all.len());
    let mut wrong = Vec::new();
    for case in all {
        let sb = Sandbox::new();
        sb.write_me();
        sb.add_dana(MON, "cold-7");
        (case.setup)(&sb);
        wrong.extend(check(&sb, case.name, case.args, case.says));
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A kind of bad database file: its name, how to make one, what the refusal says.
type BadFile = (&'static str, fn(&Path), &'static str);

/// Database files touchbase must refuse, untouched: newer, foreign, not SQLite, truncated.
#[test]
fn damaged_foreign_and_newer_databases_are_refused_untouched() {
    let make: [BadFile; 4] = [
        (
            "newer",
            |p| {
                let c = rusqlite::Connection::open(p).expect("open");
                c.pragma_update(None, "application_id", touchbase::schema::APPLICATION_ID)
                    .expect("id");
                c.pragma_update(None, "user_version", touchbase::schema::LATEST + 1)
                    .expect("v");
                c.execute_batch("CREATE TABLE future (x)").expect("table");
            },
            "newer touchbase",
        ),
        (
            "foreign",
            |p| {
                rusqlite::Connection::open(p)
                    .expect("open")
                    .execute_batch("CREATE TABLE photos (id)")
                    .expect("t");
            },
            "not a touchbase database",
        ),
        (
            "text",
            |p| std::fs::write(p, "name,email\n".repeat(200)).expect("write"),
            "not a touchbase database",
        ),
        (
            "truncated",
            |p| {
                let sb = Sandbox::new();
                sb.write_me();
                for i in 0..40 {
                    sb.cmd(MON)
                        .args([
                            "add",
                            "--first",
                            &format!("P{i}"),
                            "--last",
                            "T",
                            "--email",
                            &format!("p{i}@t.example"),
                            "--sequence",
                            "cold-7",
                        ])
                        .assert()
                        .success();
                }
                let bytes = std::fs::read(sb.db()).expect("read");
                std::fs::write(p, &bytes[..bytes.len() / 2]).expect("write half");
            },
            "damaged",
        ),
    ];
    for (name, build, says) in make {
        let dir = tempfile::tempdir().expect("dir");
        let db = dir.path().join("t.db");
        build(&db);
        let before = std::fs::read(&db).expect("read");
        let sb = Sandbox::new();
        let out = sb
            .cmd(MON)
            .env("TOUCHBASE_DB", &db)
            .args(["due"])
            .output()
            .expect("run");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{name}: opened");
        assert_eq!(err.lines().count(), 1, "{name}: {err}");
        assert!(
            err.contains(says) && err.contains(&db.display().to_string()),
            "{name}: {err}"
        );
        assert_eq!(
            std::fs::read(&db).expect("read"),
            before,
            "{name}: the file was modified"
        );
    }
}

/// Runs a shell script in a private mount namespace (user namespaces work for root and for
/// an unprivileged user alike), where it may mount a tmpfs of its own.
fn in_namespace(script: &str) -> std::process::Output {
    std::process::Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-c", script])
        .output()
        .expect("unshare (util-linux) is needed for the full-disk and read-only cases")
}

#[test]
fn a_full_disk_and_a_read_only_folder_each_say_so_and_leave_no_partial_file() {
    let bin = assert_cmd::cargo::cargo_bin("touchbase");
    let dir = tempfile::tempdir().expect("dir");
    let mnt = dir.path().join("mnt");
    std::fs::create_dir_all(&mnt).expect("mkdir");
    let csv = dir.path().join("big.csv");
    let mut text = String::from("first_name,last_name,email,company\n");
    for i in 0..3000 {
        text.push_str(&format!(
            "P{i},Person,p{i}@big.example,A company with a long name {i}\n"
        ));
    }
    std::fs::write(&csv, text).expect("csv");
    let env = format!(
        "TOUCHBASE_CONFIG_DIR={0}/cfg TOUCHBASE_NOW={MON} HOME={0}",
        dir.path().display()
    );
    let (m, b, c) = (mnt.display(), bin.display(), csv.display());
    // A new database on a disk too small for it: the error names the file, and no partial
    // file is left behind.
    let out = in_namespace(&format!(
        "mount -t tmpfs -o size=96k tmpfs {m} && env {env} {b} --db {m}/t.db import {c}; echo \"exit=$?\"; ls -A {m}"
    ));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("exit=1"), "{stdout} {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("disk is full") && stderr.contains("t.db"),
        "{stderr}"
    );
    assert!(
        !stdout.contains("t.db"),
        "a partial file was left: {stdout}"
    );
    // An existing database whose folder turns read-only: one line that says so, and the
    // file still opens with what it had.
    let out = in_namespace(&format!(
        "mount -t tmpfs tmpfs {m} && env {env} {b} --db {m}/t.db add --first Dana --last Reyes --email dana@n.example && \
         mount -o remount,ro {m} && env {env} {b} --db {m}/t.db add --first Omar --last Haddad; echo \"exit=$?\""
    ));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains("Added Dana Reyes") && stdout.contains("exit=1"),
        "{stdout} {stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("t.db") && (stderr.contains("read-only") || stderr.contains("cannot be")),
        "{stderr}"
    );
}

#[test]
fn a_daily_goal_of_zero_is_refused_at_its_place() {
    let sb = crate::util::Sandbox::new();
    std::fs::create_dir_all(sb.config_dir()).expect("config dir");
    std::fs::write(sb.config_dir().join("config.toml"), "daily_goal = 0\n").expect("write");
    let out = sb
        .cmd("2026-11-23T09:00")
        .args(["due"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("config.toml:1:14") && err.contains("daily_goal must be at least 1"),
        "{err}"
    );
}

/// Odd files where a book or a CSV should be: each is refused at once with its own line
/// (nothing waits on a pipe), and an empty file becomes a new book with a word about it.
#[test]
fn odd_files_are_refused_at_once_each_with_its_own_message() {
    let sb = crate::util::Sandbox::new();
    let dir = sb.dir.path();
    let fifo = dir.join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    std::fs::create_dir(dir.join("folder")).expect("folder");
    std::os::unix::fs::symlink(dir.join("loop-a"), dir.join("loop-b")).expect("link");
    std::os::unix::fs::symlink(dir.join("loop-b"), dir.join("loop-a")).expect("link");
    let cases = [
        ("fifo", "is not a plain file"),
        ("folder", "is a folder, not a database file"),
        ("loop-a", "is a loop of symbolic links"),
    ];
    for (name, says) in cases {
        let out = sb
            .cmd("2026-11-23T10:00")
            .env("TOUCHBASE_DB", dir.join(name))
            .arg("due")
            .timeout(std::time::Duration::from_secs(30))
            .assert()
            .failure();
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert_eq!(err.lines().count(), 1, "{name}: {err}");
        assert!(
            err.starts_with("error: ") && err.contains(says),
            "{name}: {err}"
        );
    }
    let out = sb
        .cmd("2026-11-23T10:00")
        .arg("import")
        .arg(&fifo)
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("is not a plain file"), "{err}");
    let empty = dir.join("empty.db");
    std::fs::write(&empty, b"").expect("empty");
    let out = sb
        .cmd("2026-11-23T10:00")
        .env("TOUCHBASE_DB", &empty)
        .arg("due")
        .assert()
        .success();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("was an empty file; a new book was made in it"),
        "{err}"
    );
}

/// Bad values at the command line's doors: each option that takes an email, a phone, a
/// LinkedIn profile, a number or a date, given one it cannot take.
fn argument_cases() -> Vec<(String, Vec<String>, Vec<String>)> {
    let mut out = Vec::new();
    let mut case = |args: &[&str], says: &[&str]| {
        out.push((
            args.join(" "),
            args.iter().map(|s| s.to_string()).collect(),
            says.iter().map(|s| s.to_string()).collect(),
        ));
    };
    for bad in [
        "not an email",
        "dana at northwind",
        "dana@",
        "@northwind.example",
    ] {
        case(
            &["add", "--first", "Bo", "--email", bad],
            &["--email", "is not an email address"],
        );
        case(
            &["edit", "1", "--email", bad],
            &["--email", "is not an email address"],
        );
    }
    for bad in ["n/a", "call me maybe", "12", "555-CALL-NOW"] {
        case(
            &["add", "--first", "Bo", "--phone", bad],
            &["--phone", "is not a phone number"],
        );
        case(
            &["edit", "1", "--phone", bad],
            &["--phone", "is not a phone number"],
        );
    }
    for bad in [
        "javascript:alert(1)",
        "https://www.linkedin.com/company/northwind",
        "https://evil.example/in/dana",
        "ftp://linkedin.com/in/dana",
    ] {
        case(
            &["add", "--first", "Bo", "--linkedin", bad],
            &["--linkedin", "is not a LinkedIn profile"],
        );
        case(
            &["edit", "1", "--linkedin", bad],
            &["--linkedin", "is not a LinkedIn profile"],
        );
    }
    for (option, args) in [
        ("--days", &["stats"][..]),
        ("--days", &["export", "ics"][..]),
        ("--per-day", &["import", "in.csv"][..]),
        ("--step", &["log", "1", "sent"][..]),
        ("--credit", &["log", "1", "replied"][..]),
        ("--width", &["screen"][..]),
        ("--height", &["screen"][..]),
        ("--prospects", &["demo", "--no-open", "--db", "demo.db"][..]),
    ] {
        for bad in ["0", "-1", "100000000", "ten"] {
            let mut all: Vec<&str> = args.to_vec();
            all.extend([option, bad]);
            case(&all, &[option]);
        }
    }
    for bad in [
        "9999-12-31",
        "1900-01-01",
        "0001-01-01",
        "2026-02-30",
        "tomorrowish",
    ] {
        case(&["enroll", "1", "classic-4", "--start", bad], &["--start"]);
        case(&["log", "1", "snoozed", "--until", bad], &["--until"]);
        case(
            &["vacation", "--from", "2026-11-24", "--to", bad],
            &["--to"],
        );
        case(&["--now", bad, "due"], &["--now"]);
    }
    case(
        &["vacation", "--from", "2026-11-24", "--to", "2028-01-01"],
        &["longer than a year"],
    );
    for zone in ["Mars/Olympus", "EST", "UTC+25"] {
        let says = if zone == "EST" {
            "fixed offset"
        } else {
            "is not a time zone"
        };
        case(&["edit", "1", "--timezone", zone], &["--timezone", says]);
        case(
            &["add", "--first", "Bo", "--timezone", zone],
            &["--timezone", says],
        );
    }
    case(&["edit", "1", "--first", ""], &["--first cannot be empty"]);
    case(
        &["log", "1", "sent", "--credit", "2"],
        &["--credit goes with replied or meeting"],
    );
    case(&["log", "1", "replied", "--kind", "maybe"], &["maybe"]);
    out
}

#[test]
fn every_bad_argument_gets_one_line_and_changes_nothing() {
    let all = argument_cases();
    // With the table above, the bad inputs number over 120.
    assert!(
        all.len() + cases().len() >= 120,
        "{}",
        all.len() + cases().len()
    );
    let sb = Sandbox::new();
    sb.write_me();
    sb.add_dana(MON, "cold-7");
    write(&sb, "in.csv", b"first_name,email\nAna,ana@x.example\n");
    let mut wrong = Vec::new();
    for (name, args, says) in &all {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let says: Vec<&str> = says.iter().map(String::as_str).collect();
        wrong.extend(check(&sb, name, &args, &says));
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A template that would loop for ever: `due` still answers, with the touch not ready.
#[test]
fn a_runaway_template_leaves_the_queue_answering_with_the_touch_not_ready() {
    let sb = Sandbox::new();
    sb.write_me();
    sequence(
        &sb,
        "loop",
        &format!("{GOOD_STEP}template = \"mine/loop.md\"\n"),
    );
    write(
        &sb,
        "config/templates/mine/loop.md",
        b"---\nsubject = \"Hi\"\n---\n{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}\n",
    );
    sb.cmd(MON)
        .args([
            "add",
            "--first",
            "Ana",
            "--email",
            "ana@x.example",
            "--sequence",
            "loop",
        ])
        .assert()
        .success();
    let out = sb.cmd(MON).arg("due").assert().success();
    let said = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        said.contains("NOT READY") && said.contains("ran out of fuel"),
        "{said}"
    );
}

/// A mistyped path is not an empty day: every command that reads or changes a book says
/// there is none there, and makes neither the file nor its folder.
#[test]
fn read_commands_on_a_path_with_no_book_say_so_and_make_nothing() {
    let sb = Sandbox::new();
    let missing = sb.dir.path().join("nodir").join("x.db");
    for args in [
        vec!["due"],
        vec!["show", "1"],
        vec!["stats"],
        vec!["export", "prospects"],
        vec!["log", "1", "sent"],
        vec!["undo"],
        vec!["backup"],
    ] {
        let out = sb
            .cmd(MON)
            .env("TOUCHBASE_DB", &missing)
            .args(&args)
            .assert()
            .failure();
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(err.starts_with("error: no book at"), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    }
    assert!(
        !missing.parent().expect("dir").exists(),
        "no folder was made"
    );
    let screen = sb
        .cmd(MON)
        .env("TOUCHBASE_DB", &missing)
        .arg("screen")
        .assert()
        .failure();
    assert!(!String::from_utf8_lossy(&screen.get_output().stderr).is_empty());
    assert!(!missing.exists());
}

#[test]
fn an_unknown_sequence_name_is_an_error_listing_the_known_ones() {
    let sb = Sandbox::new();
    sb.add_dana(MON, "cold-7");
    let out = sb
        .cmd(MON)
        .args(["stats", "--sequence", "cold7"])
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("no sequence named 'cold7'") && err.contains("cold-7"),
        "{err}"
    );
}
