//! Accounts: when someone at a company answers or opts out, their colleagues' sequences
//! stop cold-touching it (`account_rule`), in the same action; a whole domain can ask to
//! stop.

use crate::import_csv::run;
use crate::util::Sandbox;

/// Lucía and Tom at mapledale.example, Ivy at Mapledale with a gmail.com address, Sam
/// elsewhere: all in cold-7 since Tuesday 1 December 2026. `rule` goes in config.toml.
fn mapledale(rule: Option<&str>) -> Sandbox {
    let sb = Sandbox::new();
    sb.write_me();
    if let Some(rule) = rule {
        let config = sb.config_dir().join("config.toml");
        let text = std::fs::read_to_string(&config).expect("config");
        std::fs::write(&config, format!("account_rule = \"{rule}\"\n{text}")).expect("write");
    }
    for (first, email) in [
        ("Lucía", "lucia@mapledale.example"),
        ("Tom", "tom@mapledale.example"),
        ("Ivy", "ivy.mapledale@gmail.com"),
        ("Sam", "sam@other.example"),
    ] {
        run(
            &sb,
            "2026-12-01T09:00",
            &[
                "add",
                "--first",
                first,
                "--last",
                "X",
                "--email",
                email,
                "--company",
                "Mapledale",
                "--title",
                "CTO",
                "--sequence",
                "cold-7",
            ],
        );
    }
    sb
}

fn state(sb: &Sandbox, who: &str) -> String {
    let shown = run(sb, "2026-12-02T10:05", &["show", who]);
    shown
        .lines()
        .find(|l| l.trim_start().starts_with("cold-7:"))
        .unwrap_or_default()
        .trim()
        .to_string()
}

#[test]
fn a_reply_pauses_the_colleagues_at_its_domain_and_one_undo_resumes_them() {
    let sb = mapledale(None);
    let said = run(&sb, "2026-12-02T10:00", &["log", "1", "replied"]);
    assert!(said.contains("1 colleague's sequence paused"), "{said}");
    assert!(
        state(&sb, "2").starts_with("cold-7: paused"),
        "{}",
        state(&sb, "2")
    );
    let tom = run(&sb, "2026-12-02T10:05", &["show", "2"]);
    assert!(
        tom.contains("paused Lucía X at Mapledale replied on 2 Dec"),
        "{tom}"
    );
    // Free mail makes no account; another company is another account.
    assert!(
        state(&sb, "3").starts_with("cold-7: 1/7 opener"),
        "{}",
        state(&sb, "3")
    );
    assert!(
        state(&sb, "4").starts_with("cold-7: 1/7 opener"),
        "{}",
        state(&sb, "4")
    );
    run(&sb, "2026-12-02T10:10", &["undo"]);
    assert!(
        state(&sb, "2").starts_with("cold-7: 1/7 opener"),
        "{}",
        state(&sb, "2")
    );
}

#[test]
fn finish_ends_the_colleagues_sequences_and_none_leaves_them() {
    let sb = mapledale(Some("finish"));
    run(&sb, "2026-12-02T10:00", &["log", "1", "replied"]);
    assert!(
        state(&sb, "2").starts_with("cold-7: removed"),
        "{}",
        state(&sb, "2")
    );
    let sb = mapledale(Some("none"));
    run(&sb, "2026-12-02T10:00", &["log", "1", "replied"]);
    assert!(
        state(&sb, "2").starts_with("cold-7: 1/7 opener"),
        "{}",
        state(&sb, "2")
    );
}

#[test]
fn a_domain_opt_out_refuses_every_address_at_it_from_then_on() {
    let sb = mapledale(None);
    let said = run(
        &sb,
        "2026-12-02T10:00",
        &["log", "1", "opted-out", "--domain"],
    );
    assert!(
        said.contains("Every address at mapledale.example is on the do-not-contact list"),
        "{said}"
    );
    assert!(
        state(&sb, "2").starts_with("cold-7: removed"),
        "{}",
        state(&sb, "2")
    );
    let out = sb
        .cmd("2026-12-02T10:10")
        .args(["add", "--first", "New", "--email", "new@mapledale.example"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(err.contains("domain mapledale.example"), "{err}");
    let csv = sb.dir.path().join("more.csv");
    std::fs::write(
        &csv,
        "First Name,Email\nNia,nia@mapledale.example\nOk,ok@fine.example\n",
    )
    .expect("write");
    let said = run(
        &sb,
        "2026-12-02T10:15",
        &["import", csv.to_str().expect("path")],
    );
    assert!(said.contains("1 added"), "{said}");
    assert!(said.contains("Nia (domain mapledale.example)"), "{said}");
    // Free mail never goes on the list whole.
    let out = sb
        .cmd("2026-12-02T10:20")
        .args(["log", "3", "opted-out", "--domain"])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(err.contains("free mail"), "{err}");
}

/// The opt-out and its domain are one action: one undo takes both back.
#[test]
fn one_undo_takes_back_a_domain_opt_out_whole() {
    let sb = mapledale(None);
    let before = (state(&sb, "1"), state(&sb, "2"));
    run(
        &sb,
        "2026-12-02T10:00",
        &["log", "1", "opted-out", "--domain"],
    );
    let said = run(&sb, "2026-12-02T10:01", &["undo"]);
    assert!(said.starts_with("Undone: Lucía X opted out"), "{said}");
    assert_eq!((state(&sb, "1"), state(&sb, "2")), before);
    run(
        &sb,
        "2026-12-02T10:10",
        &["add", "--first", "New", "--email", "new@mapledale.example"],
    );
    // Free mail never goes on the list whole, and the refused command changes nothing.
    let out = sb
        .cmd("2026-12-02T10:20")
        .args(["log", "3", "opted-out", "--domain"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert_eq!(
        state(&sb, "3"),
        "cold-7: 1/7 opener · Tue 1 Dec (started 2026-12-01)"
    );
}

/// Three people at one company enrolled the same day: two are touched that day, the third
/// the next working day, and `show --explain` says why.
#[test]
fn at_most_two_touches_a_day_at_one_account() {
    let sb = Sandbox::new();
    sb.write_me();
    for (first, email) in [
        ("Ann", "ann@mapledale.example"),
        ("Bo", "bo@mapledale.example"),
        ("Cy", "cy@mapledale.example"),
        ("Di", "di@elsewhere.example"),
    ] {
        run(
            &sb,
            "2026-12-01T09:00",
            &[
                "add",
                "--first",
                first,
                "--email",
                email,
                "--company",
                "Mapledale",
                "--title",
                "CTO",
                "--sequence",
                "classic-4",
            ],
        );
    }
    let due = run(&sb, "2026-12-01T09:30", &["due"]);
    assert!(due.starts_with("Tue 1 Dec 2026 — 3 due"), "{due}");
    assert!(!due.contains("Cy"), "{due}");
    let why = run(&sb, "2026-12-01T09:30", &["show", "3", "--explain"]);
    assert!(
        why.contains(
            "Tue 1 Dec already had 2 touches at mapledale.example (per_account_per_day = 2)"
        ),
        "{why}"
    );
    assert!(run(&sb, "2026-12-02T09:30", &["due"]).contains("Cy"));
}

/// An import of five more people at a company two in the book are already due at that
/// day: the account's days are counted from the book once, then kept as the import places
/// each, two a working day (Tuesday is full, so Wednesday, Thursday, Friday).
#[test]
fn an_import_at_one_account_fills_each_day_up_to_the_cap_from_the_book_on() {
    let sb = mapledale(None);
    let csv = sb.config_dir().join("more.csv");
    std::fs::write(
        &csv,
        "First Name,Last Name,Email,Company\n\
         Cy,X,cy@mapledale.example,Mapledale\n\
         Di,X,di@mapledale.example,Mapledale\n\
         Ed,X,ed@mapledale.example,Mapledale\n\
         Fa,X,fa@mapledale.example,Mapledale\n\
         Gu,X,gu@mapledale.example,Mapledale\n",
    )
    .expect("csv");
    let path = csv.display().to_string();
    run(
        &sb,
        "2026-12-01T09:30",
        &["import", &path, "--sequence", "cold-7", "--per-day", "50"],
    );
    let conn = rusqlite::Connection::open(sb.db()).expect("open");
    let mut stmt = conn
        .prepare(
            "SELECT p.first_name, date(e.due) FROM enrollments e \
             JOIN prospects p ON p.id = e.prospect_id ORDER BY p.id",
        )
        .expect("prepare");
    let due: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("rows");
    let want = [
        ("Lucía", "2026-12-01"),
        ("Tom", "2026-12-01"),
        ("Ivy", "2026-12-01"),
        ("Sam", "2026-12-01"),
        ("Cy", "2026-12-02"),
        ("Di", "2026-12-02"),
        ("Ed", "2026-12-03"),
        ("Fa", "2026-12-03"),
        ("Gu", "2026-12-04"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(due, want);
}

/// Each prospect's account as the book keeps it, first name first.
fn accounts(sb: &Sandbox) -> Vec<(String, Option<String>)> {
    let conn = rusqlite::Connection::open(sb.db()).expect("open");
    let mut stmt = conn
        .prepare("SELECT first_name, account FROM prospects ORDER BY first_name")
        .expect("prepare");
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("rows");
    rows.collect::<Result<_, _>>().expect("rows")
}

#[test]
fn the_account_is_the_work_domain_else_the_company_and_free_mail_makes_none() {
    let sb = Sandbox::new();
    sb.write_me();
    let csv = sb.config_dir().join("people.csv");
    std::fs::write(
        &csv,
        "First Name,Last Name,Email,Company,Phone\n\
         Ana,A,Ana@Mapledale.Example,Mapledale,\n\
         Bo,B,bo@gmail.com,  Mapledale Ltd ,\n\
         Cy,C,cy@mail.com,,\n\
         Di,D,di@gmail.com.example,,\n\
         Ed,E,,Northwind,+1 415 555 0100\n\
         Fa,F,fa@T-Online.de,Kiel GmbH,\n\
         Gu,G,gu@hey.com.au,,\n\
         Ha,H,,,+1 415 555 0101\n",
    )
    .expect("csv");
    run(
        &sb,
        "2026-12-01T09:00",
        &["import", csv.to_str().expect("path")],
    );
    let expected: Vec<(String, Option<String>)> = [
        ("Ana", Some("d:mapledale.example")),
        ("Bo", Some("c:mapledale ltd")),
        ("Cy", None),
        ("Di", Some("d:gmail.com.example")),
        ("Ed", Some("c:northwind")),
        ("Fa", Some("c:kiel gmbh")),
        ("Gu", Some("d:hey.com.au")),
        ("Ha", None),
    ]
    .into_iter()
    .map(|(name, account)| (name.to_string(), account.map(str::to_string)))
    .collect();
    assert_eq!(accounts(&sb), expected);

    // A book whose accounts were found the earlier way finds the same ones once opened.
    let conn = rusqlite::Connection::open(sb.db()).expect("open");
    crate::db::downgrade_to_26(&conn);
    drop(conn);
    assert_eq!(accounts(&sb), expected, "the earlier rule");
    run(&sb, "2026-12-01T09:05", &["due"]);
    assert_eq!(accounts(&sb), expected, "after the migration");
    let conn = rusqlite::Connection::open(sb.db()).expect("open");
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(version, 27);
}
