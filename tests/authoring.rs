//! Writing sequences through the command line: new, edit, lint, config, and edits that never
//! disturb an enrollment in flight.

use crate::util::Sandbox;
use predicates::prelude::*;

const NOW: &str = "2026-11-23";

fn stdout(sb: &Sandbox, args: &[&str]) -> String {
    let out = sb.cmd(NOW).args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).expect("utf-8")
}

#[test]
fn lint_of_the_builtins_finds_no_errors() {
    let sb = Sandbox::new();
    sb.cmd(NOW)
        .args(["sequences", "lint"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "11 sequence(s) checked: 0 error(s)",
        ));
}

#[test]
fn lint_exits_non_zero_on_an_error_and_names_the_line() {
    let sb = Sandbox::new();
    sb.cmd(NOW)
        .args(["sequences", "new", "mine"])
        .assert()
        .success();
    let toml = sb.config_dir().join("sequences/mine.toml");
    let text = std::fs::read_to_string(&toml).expect("read");
    // Drop the call step's script: an error at that step's line.
    let broken = text.replace(
        "purpose = \"call\"\ntemplate = \"mine/03-call.md\"",
        "purpose = \"call\"",
    );
    assert_ne!(broken, text);
    std::fs::write(&toml, &broken).expect("write");
    let line = broken
        .lines()
        .position(|l| l.starts_with("day = 5"))
        .expect("call step");
    sb.cmd(NOW)
        .args(["sequences", "lint"])
        .arg(&toml)
        .assert()
        .failure()
        .stdout(predicate::str::contains(format!(
            "mine.toml:{line}: error: step 3: a call step needs a call script"
        )));
}

#[test]
fn new_from_a_builtin_becomes_the_reps_own_sequence() {
    let sb = Sandbox::new();
    sb.cmd(NOW)
        .args(["sequences", "new", "my-cold", "--from", "cold-7"])
        .assert()
        .success()
        .stdout(predicate::str::contains("my-cold.toml"));
    let list = stdout(&sb, &["sequences", "list"]);
    let line = list
        .lines()
        .find(|l| l.starts_with("my-cold "))
        .expect("listed");
    assert!(line.contains("yours"), "{line}");
    let show = stdout(&sb, &["sequences", "show", "my-cold"]);
    assert!(show.contains("my-cold/01-opener.md"), "{show}");
    // Refuses to overwrite.
    sb.cmd(NOW)
        .args(["sequences", "new", "my-cold"])
        .assert()
        .failure()
        .stderr(predicate::str::starts_with("error: "));
}

#[test]
fn edit_opens_the_editor_then_lints_what_it_wrote() {
    let sb = Sandbox::new();
    // A stand-in editor that stretches the last step to day 35.
    let editor = sb.dir.path().join("editor.sh");
    std::fs::write(
        &editor,
        "#!/bin/sh\nsed -i 's/^day = 21$/day = 35/' \"$1\"\n",
    )
    .expect("write");
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod");
    sb.cmd(NOW)
        .env("EDITOR", &editor)
        .args(["sequences", "edit", "cold-7"])
        .assert()
        .success()
        .stdout(predicate::str::contains("warning: runs 35 days"));
    // The edited copy is the rep's and wins over the built-in.
    let show = stdout(&sb, &["sequences", "show", "cold-7"]);
    assert!(show.contains("day 35"), "{show}");
}

#[test]
fn config_errors_name_the_file_and_line() {
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.config_dir()).expect("dir");
    std::fs::write(
        sb.config_dir().join("config.toml"),
        "timezone = \"Europe/Berlin\"\nholidays = [\"2026-12-25\", \"26 Dec\"]\n",
    )
    .expect("write");
    let out = sb.cmd(NOW).arg("config").assert().failure();
    let err = String::from_utf8(out.get_output().stderr.clone()).expect("utf-8");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: "), "{err}");
    assert!(
        err.contains("config.toml:2:27: '26 Dec' is not a date"),
        "{err}"
    );
    std::fs::write(
        sb.config_dir().join("config.toml"),
        "[me]\nname = \"Sam\"\nphone = \"1\"\n",
    )
    .expect("write");
    sb.cmd(NOW)
        .arg("due")
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "config.toml:3:1: unknown field `phone`",
        ));
}

#[test]
fn config_prints_values_and_where_they_came_from() {
    let sb = Sandbox::new();
    sb.write_me();
    let out = stdout(&sb, &["config"]);
    let name = out
        .lines()
        .find(|l| l.starts_with("me.name"))
        .expect("me.name");
    assert!(
        name.contains("Sam Carter") && name.contains("config.toml"),
        "{name}"
    );
    let days = out
        .lines()
        .find(|l| l.starts_with("working_days"))
        .expect("days");
    assert!(
        days.contains("mon, tue, wed, thu, fri") && days.contains("[default]"),
        "{days}"
    );
}

#[test]
fn editing_a_sequence_leaves_enrollments_in_flight_alone() {
    let sb = Sandbox::new();
    sb.write_me();
    sb.cmd(NOW)
        .args(["sequences", "new", "mine", "--from", "classic-4"])
        .assert()
        .success();
    sb.cmd(NOW)
        .args([
            "add",
            "--first",
            "Dana",
            "--last",
            "Reyes",
            "--email",
            "dana@northwind.example",
        ])
        .args(["--company", "Northwind", "--sequence", "mine"])
        .assert()
        .success();
    let before = stdout(&sb, &["due", "--json"]);
    // Change the opener's text and squeeze the schedule; then delete the file outright.
    let opener = sb.config_dir().join("templates/mine/01-opener.md");
    let text = std::fs::read_to_string(&opener).expect("read");
    std::fs::write(&opener, text.replace("Hi ", "Hello ")).expect("write");
    let toml = sb.config_dir().join("sequences/mine.toml");
    let seq = std::fs::read_to_string(&toml).expect("read");
    std::fs::write(&toml, seq.replace("day = 3", "day = 2")).expect("write");
    assert_eq!(
        stdout(&sb, &["due", "--json"]),
        before,
        "the touch in flight is unchanged"
    );
    let show = stdout(&sb, &["show", "dana@northwind.example", "--json"]);
    assert!(show.contains("\"older_version\": true"), "{show}");
    // The next step keeps the stored gap (day 3 → two working days), not the edited one.
    sb.cmd(NOW)
        .args(["log", "dana@northwind.example", "sent"])
        .assert()
        .success()
        .stdout(predicate::str::contains("next: email bump, Wed 25 Nov"));
    std::fs::remove_file(&toml).expect("delete");
    sb.cmd("2026-11-25")
        .args(["log", "dana@northwind.example", "sent"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Sent 2/4 bump"));
}

#[test]
fn lint_knows_the_custom_fields_prospects_carry() {
    let sb = Sandbox::new();
    sb.cmd(NOW)
        .args(["sequences", "new", "mine"])
        .assert()
        .success();
    let opener = sb.config_dir().join("templates/mine/01-opener.md");
    let text = std::fs::read_to_string(&opener).expect("read");
    std::fs::write(&opener, text.replace("Hi ", "In {{ industry }}, hi ")).expect("write");
    let unknown = "no prospect field or known custom field is called industry";
    sb.cmd(NOW)
        .args(["sequences", "lint"])
        .arg(sb.config_dir().join("sequences/mine.toml"))
        .assert()
        .success()
        .stdout(predicate::str::contains(unknown));
    sb.cmd(NOW)
        .args(["add", "--first", "Ana", "--field", "Industry=Logistics"])
        .assert()
        .success();
    sb.cmd(NOW)
        .args(["sequences", "lint"])
        .arg(sb.config_dir().join("sequences/mine.toml"))
        .assert()
        .success()
        .stdout(predicate::str::contains(unknown).not());
    // Undoing the add forgets the field again.
    sb.cmd(NOW).arg("undo").assert().success();
    sb.cmd(NOW)
        .args(["sequences", "lint"])
        .arg(sb.config_dir().join("sequences/mine.toml"))
        .assert()
        .success()
        .stdout(predicate::str::contains(unknown));
}
