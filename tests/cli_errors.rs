//! Bad input on the command line: each gives exactly one `error:` line on stderr that names
//! where the fault is, a non-zero exit, and a database left byte for byte as it was.

use crate::db::bytes;
use crate::util::Sandbox;
use std::path::{Path, PathBuf};

const MON: &str = "2026-11-23";

/// A sandbox whose database holds one prospect in cold-21, with a user sequence `mine`
/// whose file and template each test may break.
fn sandbox() -> Sandbox {
    let sb = Sandbox::new();
    sb.write_me();
    let cfg = sb.config_dir();
    std::fs::create_dir_all(cfg.join("sequences")).expect("dir");
    std::fs::create_dir_all(cfg.join("templates/mine")).expect("dir");
    std::fs::write(cfg.join("sequences/mine.toml"), MINE).expect("write");
    std::fs::write(cfg.join("templates/mine/opener.md"), OPENER).expect("write");
    sb.cmd(MON)
        .args(["add", "--first", "Dana", "--last", "Reyes"])
        .args(["--email", "dana@northwind.example", "--sequence", "cold-21"])
        .assert()
        .success();
    sb.cmd(MON)
        .args([
            "add",
            "--first",
            "Omar",
            "--email",
            "omar@brightline.example",
        ])
        .assert()
        .success();
    sb
}

const MINE: &str =
    "title = \"Mine\"\n\n[[steps]]\nday = 1\nchannel = \"email\"\ntemplate = \"mine/opener.md\"\n";
const OPENER: &str = "+++\nsubject = \"Hello\"\n+++\nHi {{ first_name }},\nshort note.\n";

fn write(path: PathBuf, text: &str) -> PathBuf {
    std::fs::write(&path, text).expect("write");
    path
}

/// Runs `args` against `db`, and checks the refusal: one `error:` line naming each of
/// `names`, a failing exit, nothing on stdout, and the database untouched.
fn refused(sb: &Sandbox, db: &Path, args: &[&str], names: &[&str]) {
    let before = bytes(db);
    assert!(before.0.is_some(), "{} exists before", db.display());
    let out = sb
        .cmd(MON)
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{args:?} succeeded");
    assert_eq!(
        stderr.lines().count(),
        1,
        "{args:?}: stderr is not one line:\n{stderr}"
    );
    assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
    for n in names {
        assert!(
            stderr.contains(n),
            "{args:?}: {stderr:?} does not name {n:?}"
        );
    }
    assert!(
        out.stdout.is_empty(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(bytes(db) == before, "{args:?} changed {}", db.display());
}

#[test]
fn a_malformed_csv_row_names_file_row_and_column_and_imports_nothing() {
    let sb = sandbox();
    let dir = sb.dir.path();
    // (file contents, file:row:column)
    let cases = [
        (
            "first_name,last_name,email\nAna,Lim,ana@quanta.example\nLee,Park\nZoe,Wu,zoe@x.example\n",
            ":3:",
        ),
        (
            "first_name,last_name,email\nAna,Lim,ana@quanta.example\nLee,Park,not-an-address\n",
            ":3:3:",
        ),
        ("last_name,email\nLim,ana@quanta.example\n", ":1:1:"),
    ];
    for (i, (text, place)) in cases.iter().enumerate() {
        let csv = write(dir.join(format!("leads{i}.csv")), text);
        let shown = csv.display().to_string();
        refused(
            &sb,
            &sb.db(),
            &["import", &shown, "--sequence", "cold-7"],
            &[&format!("leads{i}.csv{place}")],
        );
    }
}

#[test]
fn a_broken_sequence_file_is_named_with_line_and_column() {
    let sb = sandbox();
    let file = sb.config_dir().join("sequences/mine.toml");
    // (file contents, line:column)
    let cases = [
        ("title = \"Mine\"\n[[steps]\nday = 1\n", "mine.toml:2:9:"),
        (
            "title = \"Mine\"\n\n[[steps]]\nday = 1\nchannel = \"emial\"\ntemplate = \"mine/opener.md\"\n",
            "mine.toml:5:11:",
        ),
        (
            "title = \"Mine\"\n\n[[steps]]\nday = 1\nchannel = \"email\"\ntemplate = \"mine/nothing.md\"\n",
            "mine.toml:6:12:",
        ),
        (
            "title = \"Mine\"\n\n[[steps]]\nday = 2\nchannel = \"email\"\ntemplate = \"mine/opener.md\"\n",
            "mine.toml:4:7:",
        ),
    ];
    for (text, place) in cases {
        std::fs::write(&file, text).expect("write");
        refused(&sb, &sb.db(), &["enroll", "2", "mine"], &[place]);
        refused(
            &sb,
            &sb.db(),
            &["add", "--first", "Lee", "--sequence", "mine"],
            &[place],
        );
        refused(&sb, &sb.db(), &["sequences", "show", "mine"], &[place]);
    }
}

#[test]
fn a_template_syntax_error_is_named_with_line_and_column() {
    let sb = sandbox();
    let file = sb.config_dir().join("templates/mine/opener.md");
    let cases = [
        // An unclosed variable on line 4: the parser stops at the next token, line 5.
        (
            "+++\nsubject = \"Hello\"\n+++\nHi {{ first_name \nthere\n",
            "opener.md:5:1:",
        ),
        (
            "+++\nsubject = \"Hello\"\n+++\nHi {% if company %}there\n",
            "opener.md:4:",
        ),
        ("+++\nsubject = \"Hello {{ }}\"\n+++\nHi\n", "opener.md:2:"),
        ("+++\nsubject = \"Hello\"\nHi\n", "opener.md:1:1:"),
    ];
    for (text, place) in cases {
        std::fs::write(&file, text).expect("write");
        refused(&sb, &sb.db(), &["enroll", "2", "mine"], &[place]);
    }
}

#[test]
fn a_bad_outcome_prospect_or_date_changes_nothing() {
    let sb = sandbox();
    let db = sb.db();
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["log", "1", "shouted"],
            &["unknown outcome 'shouted'", "no-answer"],
        ),
        (
            &["log", "nobody@x.example", "sent"],
            &["no prospect 'nobody@x.example'"],
        ),
        (&["log", "99", "sent"], &["no prospect '99'"]),
        (&["enroll", "99", "cold-7"], &["no prospect '99'"]),
        (&["show", "99"], &["no prospect '99'"]),
        (
            &["log", "1", "voicemail"],
            &["step 1 (email)", "sent, bounced"],
        ),
        (&["log", "1", "snoozed"], &["--until"]),
        (
            &["log", "1", "snoozed", "--until", "2026-11-31"],
            &["--until", "2026-11-31"],
        ),
        (
            &["log", "1", "snoozed", "--until", "2026-11-20"],
            &["2026-11-20"],
        ),
        (&["log", "2", "sent"], &["Omar", "no open enrollment"]),
        (&["enroll", "1", "cold-7"], &["already in cold-21"]),
        (
            &["enroll", "2", "cold-99"],
            &["no sequence named 'cold-99'"],
        ),
        (
            &[
                "add",
                "--first",
                "Dana",
                "--email",
                "DANA@northwind.example",
            ],
            &["already known"],
        ),
        (
            &["--now", "next tuesday", "due"],
            &["--now", "next tuesday"],
        ),
    ];
    for (args, names) in cases {
        refused(&sb, &db, args, names);
    }
}

#[test]
fn a_newer_database_or_a_foreign_file_is_refused_untouched() {
    let sb = sandbox();
    let dir = sb.dir.path();
    let newer = dir.join("newer.db");
    std::fs::copy(sb.db(), &newer).expect("copy");
    let c = rusqlite::Connection::open(&newer).expect("open");
    c.pragma_update(None, "user_version", 99).expect("pragma");
    drop(c);
    let text = write(
        dir.join("notes.txt"),
        &"Dana Reyes, Northwind, call back\n".repeat(100),
    );
    let other = dir.join("photos.db");
    let c = rusqlite::Connection::open(&other).expect("open");
    c.execute_batch("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT);")
        .expect("create");
    drop(c);
    for args in [
        &["due"][..],
        &["due", "--json"],
        &["log", "1", "sent"],
        &["show", "1"],
        &["undo"],
    ] {
        refused(&sb, &newer, args, &["newer.db", "newer touchbase"]);
        refused(&sb, &text, args, &["notes.txt", "not a touchbase database"]);
        refused(
            &sb,
            &other,
            args,
            &["photos.db", "not a touchbase database"],
        );
    }
}

#[test]
fn sequences_list_reports_a_broken_file_on_one_line_and_lists_the_rest() {
    let sb = sandbox();
    std::fs::write(
        sb.config_dir().join("sequences/mine.toml"),
        "title = \"Mine\"\n[[steps]\nday = 1\n",
    )
    .expect("write");
    let out = sb
        .cmd(MON)
        .args(["sequences", "list"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: ") && stderr.contains("mine.toml:2:9:"),
        "{stderr}"
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 11);
}
