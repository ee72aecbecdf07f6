//! A file with bad rows: every one named where it is and nothing imported, or with
//! `--skip-bad FILE` the good rows imported and exactly the bad ones written there, with
//! the reason, ready to fix and import again.

use crate::import_csv::{MON, prospects, run};
use crate::util::Sandbox;

const THREE_BAD: &str = "First Name,Last Name,Email,Company\n\
Ann,Lee,ann@x.example,Acme\n\
Bob,Ray,bob@,Acme\n\
Cy,Fox,cy@x.example,Acme\n\
Di,Moe,not an address,Acme\n\
Ed,Kim,=HYPERLINK(x),Acme\n";

fn write(sb: &Sandbox, name: &str, text: &str) -> String {
    let path = sb.dir.path().join(name);
    std::fs::write(&path, text).expect("write");
    path.to_str().expect("path").to_string()
}

#[test]
fn every_bad_row_is_named_and_nothing_is_imported() {
    let sb = Sandbox::new();
    let path = write(&sb, "leads.csv", THREE_BAD);
    let out = sb.cmd(MON).args(["import", &path]).output().expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines[..3],
        [
            format!("{path}:3:3: Email: 'bob@' is not an email address"),
            format!("{path}:5:3: Email: 'not an address' is not an email address"),
            format!("{path}:6:3: Email: '=HYPERLINK(x)' is not an email address"),
        ]
    );
    assert_eq!(lines.len(), 4, "{err}");
    assert!(
        lines[3].starts_with(&format!("error: {path}:3:3: ")),
        "{err}"
    );
    assert!(lines[3].contains("the first of 3 bad rows"), "{err}");
    assert!(prospects(&sb).is_empty());
}

#[test]
fn past_twenty_bad_rows_the_rest_are_counted() {
    let sb = Sandbox::new();
    let mut text = String::from("First Name,Email\n");
    for i in 0..25 {
        text.push_str(&format!("P{i},nobody{i}\n"));
    }
    let path = write(&sb, "many.csv", &text);
    let out = sb.cmd(MON).args(["import", &path]).output().expect("run");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 22, "{err}");
    assert_eq!(
        lines[19],
        format!("{path}:21:2: Email: 'nobody19' is not an email address")
    );
    assert_eq!(lines[20], "and 5 more");
    assert!(lines[21].contains("the first of 25 bad rows"), "{err}");
}

#[test]
fn skip_bad_imports_the_good_rows_and_writes_exactly_the_bad_ones() {
    let sb = Sandbox::new();
    let path = write(&sb, "leads.csv", THREE_BAD);
    let bad = sb.dir.path().join("bad.csv");
    let bad_path = bad.to_str().expect("path");
    let out = run(&sb, MON, &["import", &path, "--skip-bad", bad_path]);
    assert!(out.contains("5 rows; 2 added"), "{out}");
    assert!(out.contains("3 with a bad cell, set aside"), "{out}");
    assert!(out.contains("Wrote 3 bad rows"), "{out}");
    let names: Vec<String> = prospects(&sb).iter().map(|p| p.full_name()).collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"Ann Lee".to_string()) && names.contains(&"Cy Fox".to_string()));
    let written = std::fs::read_to_string(&bad).expect("bad rows file");
    assert_eq!(
        written,
        "First Name,Last Name,Email,Company,reason\n\
         Bob,Ray,bob@,Acme,\"line 3, column 3: Email: 'bob@' is not an email address\"\n\
         Di,Moe,not an address,Acme,\"line 5, column 3: Email: 'not an address' is not an email address\"\n\
         Ed,Kim,'=HYPERLINK(x),Acme,\"line 6, column 3: Email: '=HYPERLINK(x)' is not an email address\"\n"
    );
    // The file is not written over by a second run.
    let again = sb
        .cmd(MON)
        .args(["import", &path, "--skip-bad", bad_path])
        .output()
        .expect("run");
    assert!(!again.status.success());
    let err = String::from_utf8_lossy(&again.stderr).into_owned();
    assert!(err.contains("bad.csv exists"), "{err}");
    // Fixed there, it imports like any file (the reason column becomes a field).
    let fixed = written
        .replace("bob@,", "bob@ray.example,")
        .replace("not an address", "di@moe.example")
        .replace("'=HYPERLINK(x)", "ed@kim.example");
    let fixed_path = write(&sb, "fixed.csv", &fixed);
    let out = run(&sb, MON, &["import", &fixed_path]);
    assert!(out.contains("3 rows; 3 added"), "{out}");
}

#[test]
fn a_dry_run_with_skip_bad_says_what_it_would_write_and_writes_nothing() {
    let sb = Sandbox::new();
    let path = write(&sb, "leads.csv", THREE_BAD);
    let bad = sb.dir.path().join("bad.csv");
    let out = run(
        &sb,
        MON,
        &[
            "import",
            &path,
            "--dry-run",
            "--skip-bad",
            bad.to_str().expect("path"),
        ],
    );
    assert!(out.contains("Would write 3 bad rows"), "{out}");
    assert!(!bad.exists());
    assert!(prospects(&sb).is_empty());
}
