//! The rules of an import: nobody twice, nobody who opted out, new starts spread over working
//! days, a dry run that changes nothing, an undo that takes it all back, and a large file
//! streamed through one transaction.

use crate::db;
use crate::import_csv::{MON, fixture, import, prospect, prospects, run};
use crate::util::Sandbox;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;

const THU: &str = "2026-11-26";

fn sandbox() -> Sandbox {
    let sb = Sandbox::new();
    sb.write_me();
    sb
}

/// The rep's config with a daily cap of `cap` touches.
fn cap(sb: &Sandbox, cap: u32) {
    std::fs::create_dir_all(sb.config_dir()).expect("config dir");
    std::fs::write(
        sb.config_dir().join("config.toml"),
        format!(
            "max_touches_per_day = {cap}\n\n[me]\nname = \"Sam Carter\"\ncompany = \"Relaypoint\"\n"
        ),
    )
    .expect("config");
}

fn write(sb: &Sandbox, name: &str, text: &str) -> String {
    let path = sb.dir.path().join(name);
    std::fs::write(&path, text).expect("write");
    path.display().to_string()
}

fn dump(sb: &Sandbox) -> BTreeMap<String, Vec<String>> {
    db::dump_file(&sb.db())
}

/// Omar is added, enrolled, and opts out: he is on the do-not-contact list.
fn omar_opts_out(sb: &Sandbox) {
    run(
        sb,
        MON,
        &[
            "add",
            "--first",
            "Omar",
            "--last",
            "Haddad",
            "--email",
            "omar@brightline.example",
            "--title",
            "CFO",
            "--sequence",
            "cold-7",
        ],
    );
    run(sb, MON, &["log", "omar@brightline.example", "opted-out"]);
}

#[test]
fn duplicates_in_the_file_and_in_the_database_are_neither_added_twice_nor_lost() {
    let sb = sandbox();
    run(
        &sb,
        MON,
        &[
            "add",
            "--first",
            "Dana",
            "--last",
            "Reyes",
            "--email",
            "dana@northwind.example",
            "--phone",
            "+1 415 555 0100",
            "--company",
            "Northwind",
        ],
    );
    let csv = write(
        &sb,
        "dups.csv",
        "First Name,Last Name,Email,Person Linkedin Url,Title\n\
         Dana,Reyes,DANA@Northwind.example,https://www.linkedin.com/in/dana-reyes,VP Operations\n\
         Lee,Park,lee@quanta.example,http://linkedin.com/in/lee-park/,CTO\n\
         Lee,Park,LEE@QUANTA.EXAMPLE,,Chief Technology Officer\n\
         Lee,P.,lee.park@gmail.example,https://www.LinkedIn.com/in/Lee-Park?trk=public,CTO\n\
         Dana,Reyes,,linkedin.com/in/dana-reyes/,VP\n\
         Mia,Wong,mia@quanta.example,,Head of Data\n",
    );
    let out = run(&sb, MON, &["import", &csv]);
    assert!(out.contains("6 rows; 2 added, 1 updated"), "{out}");
    assert!(out.contains("3 duplicates in the file"), "{out}");
    let all = prospects(&sb);
    assert_eq!(all.len(), 3, "Dana, Lee, Mia: {all:?}");
    let dana = prospect(&sb, "dana@northwind.example");
    assert_eq!(dana.id, 1, "the known Dana, updated");
    assert_eq!(dana.title.as_deref(), Some("VP Operations"));
    assert_eq!(dana.phone.as_deref(), Some("+1 415 555 0100"), "kept");
    assert_eq!(dana.company.as_deref(), Some("Northwind"), "kept");
    assert_eq!(
        dana.linkedin.as_deref(),
        Some("https://www.linkedin.com/in/dana-reyes")
    );
    assert_eq!(
        prospect(&sb, "lee@quanta.example").title.as_deref(),
        Some("CTO")
    );
    // Importing the same file again finds everybody known.
    let again = run(&sb, MON, &["import", &csv]);
    assert!(again.contains("0 added, 3 updated"), "{again}");
    assert_eq!(prospects(&sb).len(), 3);
}

#[test]
fn do_not_contact_people_are_refused_counted_and_named() {
    let sb = sandbox();
    omar_opts_out(&sb);
    let before = prospect(&sb, "omar@brightline.example");
    let csv = write(
        &sb,
        "list.csv",
        "First Name,Last Name,Email,Title\n\
         Omar,Haddad,OMAR@brightline.example,Chief Financial Officer\n\
         Mia,Wong,mia@quanta.example,Head of Data\n",
    );
    let out = run(&sb, MON, &["import", &csv, "--sequence", "cold-7"]);
    assert!(
        out.contains("1 added, 0 updated, 1 enrolled, 1 skipped"),
        "{out}"
    );
    assert!(out.contains("1 on the do-not-contact list"), "{out}");
    assert!(
        out.contains("Omar Haddad (email omar@brightline.example)"),
        "{out}"
    );
    assert_eq!(
        prospect(&sb, "omar@brightline.example"),
        before,
        "not even updated"
    );
}

#[test]
fn per_day_spreads_starts_over_working_days_past_refused_and_duplicate_rows() {
    let sb = sandbox();
    omar_opts_out(&sb);
    let csv = write(
        &sb,
        "spread.csv",
        "First Name,Last Name,Email\n\
         Ana,Lim,ana@quanta.example\n\
         Omar,Haddad,omar@brightline.example\n\
         Ben,Okafor,ben@fourthcoffee.example\n\
         Ana,Lim,ANA@quanta.example\n\
         Chloe,Dubois,chloe@lucerne.example\n\
         Dev,Patel,dev@adatum.example\n\
         Eve,Moreau,eve@litware.example\n",
    );
    // Thursday: two a day is Thursday, Friday, then Monday (the weekend is skipped).
    let out = run(
        &sb,
        THU,
        &["import", &csv, "--sequence", "cold-7", "--per-day", "2"],
    );
    assert!(out.contains("5 enrolled"), "{out}");
    assert!(
        out.contains("starts spread 2026-11-26 to 2026-11-30"),
        "{out}"
    );
    let due: Value =
        serde_json::from_str(&run(&sb, "2026-11-30", &["due", "--json"])).expect("JSON");
    let mut by_day: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for item in due.as_array().expect("array") {
        let day: String = item["due"]
            .as_str()
            .expect("due")
            .chars()
            .take(10)
            .collect();
        let name = item["name"].as_str().expect("name").to_string();
        by_day.entry(day).or_default().push(name);
    }
    let want: BTreeMap<String, Vec<String>> = [
        ("2026-11-26", vec!["Ana Lim", "Ben Okafor"]),
        ("2026-11-27", vec!["Chloe Dubois", "Dev Patel"]),
        ("2026-11-30", vec!["Eve Moreau"]),
    ]
    .into_iter()
    .map(|(d, names)| (d.to_string(), names.into_iter().map(String::from).collect()))
    .collect();
    assert_eq!(by_day, want);
    // Nobody is due before their start.
    let thursday: Value = serde_json::from_str(&run(&sb, THU, &["due", "--json"])).expect("JSON");
    assert_eq!(thursday.as_array().map(Vec::len), Some(2), "{thursday}");
}

#[test]
fn the_daily_cap_holds_even_when_per_day_asks_for_more() {
    let sb = sandbox();
    cap(&sb, 3);
    let mut text = String::from("First Name,Last Name,Email\n");
    for i in 0..7 {
        writeln!(text, "P{i},Tester,p{i}@cap{i}.example").expect("write");
    }
    let csv = write(&sb, "cap.csv", &text);
    let out = run(
        &sb,
        THU,
        &["import", &csv, "--sequence", "cold-7", "--per-day", "5"],
    );
    assert!(out.contains("7 enrolled"), "{out}");
    assert!(
        out.contains("starts spread 2026-11-26 to 2026-11-30"),
        "{out}"
    );
    let due: Value =
        serde_json::from_str(&run(&sb, "2026-11-30", &["due", "--json"])).expect("JSON");
    let mut per_day: BTreeMap<String, usize> = BTreeMap::new();
    for item in due.as_array().expect("array") {
        let day: String = item["due"]
            .as_str()
            .expect("due")
            .chars()
            .take(10)
            .collect();
        *per_day.entry(day).or_default() += 1;
    }
    let want: BTreeMap<String, usize> = [("2026-11-26", 3), ("2026-11-27", 3), ("2026-11-30", 1)]
        .into_iter()
        .map(|(d, n)| (d.to_string(), n))
        .collect();
    assert_eq!(per_day, want);
}

#[test]
fn a_dry_run_reports_the_same_numbers_and_changes_nothing() {
    let sb = sandbox();
    omar_opts_out(&sb);
    let before = dump(&sb);
    let bytes = db::bytes(&sb.db());
    let path = fixture("apollo.csv");
    let shown = path.to_str().expect("path");
    let dry = run(
        &sb,
        MON,
        &["import", shown, "--sequence", "cold-7", "--dry-run"],
    );
    assert!(dry.starts_with("Dry run, nothing changed."), "{dry}");
    assert!(db::bytes(&sb.db()) == bytes, "the file changed");
    db::assert_same(&dump(&sb), &before, "after a dry run");
    let real = run(&sb, MON, &["import", shown, "--sequence", "cold-7"]);
    assert_eq!(dry.trim_start_matches("Dry run, nothing changed. "), real);
}

#[test]
fn undo_takes_a_whole_import_back() {
    let sb = sandbox();
    omar_opts_out(&sb);
    let before = dump(&sb);
    import(&sb, "hubspot.csv", &["--sequence", "cold-7"]);
    assert_eq!(prospects(&sb).len(), 4);
    let undone = run(&sb, MON, &["undo"]);
    assert!(undone.starts_with("Undone: import of"), "{undone}");
    let after = dump(&sb);
    // The undo log records the import as undone; everything else is as it was.
    let rest = |d: &BTreeMap<String, Vec<String>>| {
        d.iter()
            .filter(|(t, _)| t.as_str() != "actions")
            .map(|(t, r)| (t.clone(), r.clone()))
            .collect::<BTreeMap<_, _>>()
    };
    db::assert_same(&rest(&after), &rest(&before), "after undoing the import");
}

#[test]
fn a_large_file_streams_through_one_transaction() {
    let sb = sandbox();
    cap(&sb, 1000);
    let rows = 3_000;
    let mut text = String::from("First Name,Last Name,Email,Company,Title,Notes\n");
    for i in 0..rows {
        writeln!(
            text,
            "Person{i},Tester,person{i}@load{i}.example,\"Load, Inc.\",Buyer,\"line one\nline two\""
        )
        .expect("write");
    }
    // One bad row at the very end: nothing of the 3,000 before it may land.
    let bad = format!("{text}Last,Row,not-an-address,X,Y,Z\n");
    let bad_path = write(&sb, "bad.csv", &bad);
    let out = sb
        .cmd(MON)
        .args([
            "import",
            &bad_path,
            "--sequence",
            "cold-7",
            "--per-day",
            "500",
        ])
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    let last_line = 2 + rows * 2;
    assert!(err.contains(&format!("bad.csv:{last_line}:3:")), "{err}");
    assert!(prospects(&sb).is_empty(), "all or nothing");
    let path = write(&sb, "big.csv", &text);
    let out = run(
        &sb,
        MON,
        &["import", &path, "--sequence", "cold-7", "--per-day", "500"],
    );
    assert!(
        out.contains("3000 added, 0 updated, 3000 enrolled"),
        "{out}"
    );
    assert!(
        out.contains("starts spread 2026-11-23 to 2026-11-30"),
        "{out}"
    );
    assert_eq!(
        prospect(&sb, "person2999@load2999.example").notes,
        "line one\nline two"
    );
}

/// Each CRM's consent and delivery flags, as its export writes them: an email opt-out puts
/// the address on the do-not-contact list (and nobody is enrolled), do-not-call keeps the
/// calls off, a bounce marks the address bad; the summary counts them.
#[test]
fn a_crm_opt_out_holds_here_too() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "salesforce.csv",
            "FirstName,LastName,Email,Phone,HasOptedOutOfEmail,DoNotCall\n\
             Ann,Opt,ann@x.example,+1 415 555 0101,1,0\n\
             Ben,Call,ben@x.example,+1 415 555 0102,0,1\n\
             Cy,Fine,cy@x.example,+1 415 555 0103,0,0\n",
            "1 opted out of email",
        ),
        (
            "hubspot.csv",
            "First Name,Last Name,Email,Unsubscribed from all email\n\
             Ann,Opt,ann@x.example,true\nCy,Fine,cy@x.example,false\n",
            "1 opted out of email",
        ),
        (
            "zoho.csv",
            "First Name,Last Name,Email,Email Opt Out,Unsubscribed Mode\n\
             Ann,Opt,ann@x.example,true,Consent form\nCy,Fine,cy@x.example,false,\n",
            "1 opted out of email",
        ),
        (
            "pipedrive.csv",
            "Person - Name,Person - Email - Work,Person - Marketing status\n\
             Ann Opt,ann@x.example,Unsubscribed\nCy Fine,cy@x.example,Subscribed\n",
            "1 opted out of email",
        ),
        (
            "dynamics.csv",
            "First Name,Last Name,Email,Do not allow Emails,Do not allow Phone Calls\n\
             Ann,Opt,ann@x.example,Do Not Allow,Allow\nCy,Fine,cy@x.example,Allow,Allow\n",
            "1 opted out of email",
        ),
        (
            "bounced.csv",
            "First Name,Last Name,Email,EmailBouncedDate\n\
             Dee,Gone,dee@x.example,2026-10-01\nCy,Fine,cy@x.example,\n",
            "1 bounced address",
        ),
    ];
    for (name, text, says) in cases {
        let sb = Sandbox::new();
        sb.write_me();
        let path = sb.dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        let out = sb
            .cmd(MON)
            .args(["import", "--sequence", "cold-7"])
            .arg(&path)
            .assert()
            .success();
        let said = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
        assert!(said.contains(says), "{name}: {said}");
        // Cy is enrolled; the opted-out person is not, and is on the list for good.
        let due = sb.cmd(MON).args(["due", "--json"]).assert().success();
        let due = String::from_utf8_lossy(&due.get_output().stdout).into_owned();
        assert!(due.contains("cy@x.example"), "{name}: {due}");
        assert!(!due.contains("ann@x.example"), "{name}: {due}");
        if says.contains("opted out") {
            let show = sb
                .cmd(MON)
                .args(["show", "ann@x.example"])
                .assert()
                .success();
            let show = String::from_utf8_lossy(&show.get_output().stdout).into_owned();
            assert!(show.contains("DO NOT CONTACT"), "{name}: {show}");
        }
    }
}

#[test]
fn do_not_call_and_bounced_keep_those_channels_off_and_a_dry_run_names_them() {
    let sb = Sandbox::new();
    sb.write_me();
    let path = sb.dir.path().join("sf.csv");
    std::fs::write(
        &path,
        "FirstName,LastName,Email,Phone,Company,Title,DoNotCall,EmailBouncedReason\n\
         Ben,Call,ben@x.example,+1 415 555 0102,Acme,CFO,true,\n\
         Dee,Gone,dee@x.example,+1 415 555 0104,Acme,CFO,false,550 mailbox unknown\n",
    )
    .expect("write");
    let dry = sb
        .cmd(MON)
        .args(["import", "--dry-run", "--sequence", "cold-7"])
        .arg(&path)
        .assert()
        .success();
    let said = String::from_utf8_lossy(&dry.get_output().stdout).into_owned();
    assert!(said.contains("Ben Call (do not call)"), "{said}");
    assert!(said.contains("Dee Gone (email bounced)"), "{said}");
    sb.cmd(MON)
        .args(["import", "--sequence", "cold-7"])
        .arg(&path)
        .assert()
        .success();
    let ben = sb
        .cmd(MON)
        .args(["show", "ben@x.example", "--json"])
        .assert()
        .success();
    let ben: serde_json::Value = serde_json::from_slice(&ben.get_output().stdout).expect("json");
    // The number works; the person is not to be called on it.
    assert_eq!(ben["phone_bad"], false);
    assert_eq!(ben["fields"]["do_not_call"], "yes (from the CRM)");
    assert_eq!(ben["email_bad"], false);
    // cold-7's third step is a call: working the first two passes it over, saying why.
    for outcome in ["sent", "done"] {
        sb.cmd(MON)
            .args(["log", "ben@x.example", outcome, "--ahead"])
            .assert()
            .success();
    }
    let show = sb
        .cmd(MON)
        .args(["show", "ben@x.example"])
        .assert()
        .success();
    let show = String::from_utf8_lossy(&show.get_output().stdout).into_owned();
    assert!(show.contains("do not call (marked in the CRM)"), "{show}");
    let dee = sb
        .cmd(MON)
        .args(["show", "dee@x.example", "--json"])
        .assert()
        .success();
    let dee: serde_json::Value = serde_json::from_slice(&dee.get_output().stdout).expect("json");
    assert_eq!(dee["email_bad"], true);
}
