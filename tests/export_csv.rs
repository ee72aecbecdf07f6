//! `touchbase export`: prospects re-import without loss, formulas are neutralised for
//! spreadsheets, and the touch log comes out one row per logged touch.

use crate::import_csv::{MON, import, prospect, prospects, run};
use crate::util::Sandbox;
use std::collections::BTreeMap;
use touchbase::domain::Prospect;

/// Values a spreadsheet would run as formulas, or that look like an escape already.
const TRICKY: &str = "first_name,last_name,email,phone,linkedin,company,title,city,timezone,notes,score,handle,motto\n\
    Dana,Reyes,dana@northwind.example,+1 415 555 0100,https://www.linkedin.com/in/dana-reyes,\
    \"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",+Growth,Chicago,America/Chicago,\
    \"  two spaces, a comma\nand a second line  \",-5%,@dana,'=already quoted\n\
    Lee,Park,lee@quanta.example,-,,Quanta,\"'+1 leading apostrophe\",,,,'',\"\tTab\",\"\rCR\"\n";

/// Every field of every prospect, keyed by name and email (ids and timestamps differ between
/// databases).
fn contents(sb: &Sandbox) -> BTreeMap<String, Prospect> {
    prospects(sb)
        .into_iter()
        .map(|mut p| {
            p.id = 0;
            p.created_at = None;
            let key = format!(
                "{} <{}>",
                p.full_name(),
                p.email.clone().unwrap_or_default()
            );
            (key, p)
        })
        .collect()
}

fn cells(csv_text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv_text.as_bytes())
        .records()
        .map(|r| r.expect("record").iter().map(String::from).collect())
        .collect()
}

fn source(sb: &Sandbox) {
    let own = sb.dir.path().join("tricky.csv");
    std::fs::write(&own, TRICKY).expect("write");
    run(sb, MON, &["import", own.to_str().expect("path")]);
    // Typed in, not imported: the apostrophes are the rep's own text.
    run(
        sb,
        MON,
        &[
            "add",
            "--first",
            "Quinn",
            "--last",
            "Apostrophe",
            "--email",
            "quinn@quote.example",
            "--title",
            "'+ not a guard",
            "--field",
            "motto='=already quoted",
        ],
    );
    for name in [
        "apollo.csv",
        "google_contacts.csv",
        "pipedrive.csv",
        "close.csv",
    ] {
        import(sb, name, &[]);
    }
}

#[test]
fn prospects_round_trip_without_loss() {
    let from = Sandbox::new();
    source(&from);
    let dana = prospect(&from, "dana@northwind.example");
    assert_eq!(
        dana.company.as_deref(),
        Some("=HYPERLINK(\"http://evil.example\",\"x\")")
    );
    assert_eq!(dana.notes, "  two spaces, a comma\nand a second line  ");
    // In touchbase's own format a leading apostrophe before a formula character is the
    // export's guard, so it comes off.
    assert_eq!(
        dana.fields.get("motto").map(String::as_str),
        Some("=already quoted")
    );
    let quinn = prospect(&from, "quinn@quote.example");
    assert_eq!(
        quinn.fields.get("motto").map(String::as_str),
        Some("'=already quoted")
    );
    let out = from.dir.path().join("out").join("prospects.csv");
    std::fs::create_dir_all(out.parent().expect("dir")).expect("dir");
    let said = run(
        &from,
        MON,
        &["export", "prospects", "--out", out.to_str().expect("path")],
    );
    let want_rows = prospects(&from).len();
    assert_eq!(
        said.trim(),
        format!("Wrote {want_rows} prospects to {}", out.display())
    );
    let text = std::fs::read_to_string(&out).expect("read");
    let to = Sandbox::new();
    let summary = run(&to, MON, &["import", out.to_str().expect("path")]);
    assert!(summary.contains(&format!("{want_rows} added")), "{summary}");
    let (mut a, b) = (contents(&from), contents(&to));
    assert_eq!(a.len(), b.len());
    // Every character comes back but the controls a terminal would obey: a lone CR (C0) is
    // written as a space; a tab stays.
    // Which fields the rep typed is this book's memory, not a field: it does not travel.
    for p in a.values_mut() {
        for v in p.fields.values_mut() {
            *v = v.replace('\r', " ");
        }
        p.rep_fields.clear();
    }
    for (name, p) in &a {
        assert_eq!(Some(p), b.get(name), "{name} after the round trip");
    }
    // And the second export is the first, byte for byte.
    let again = run(&to, MON, &["export", "prospects"]);
    assert_eq!(again, text);
}

#[test]
fn exported_cells_never_start_a_formula() {
    let sb = Sandbox::new();
    source(&sb);
    let text = run(&sb, MON, &["export", "prospects"]);
    let rows = cells(&text);
    let header = &rows[0];
    assert_eq!(
        header[..11].join(","),
        "id,first_name,last_name,email,phone,linkedin,company,title,city,timezone,notes"
    );
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "unguarded cell {cell:?}"
            );
        }
    }
    let dana = rows
        .iter()
        .find(|r| r[3] == "dana@northwind.example")
        .expect("Dana");
    // The id is the number `show` and `log` take.
    let shown = run(&sb, MON, &["show", &dana[0]]);
    assert!(shown.contains("Dana"), "{shown}");
    assert_eq!(dana[4], "'+1 415 555 0100");
    assert_eq!(dana[6], "'=HYPERLINK(\"http://evil.example\",\"x\")");
    assert_eq!(dana[7], "'+Growth");
    let column = |name: &str| header.iter().position(|h| h == name).expect(name);
    assert_eq!(dana[column("score")], "'-5%");
    assert_eq!(dana[column("handle")], "'@dana");
    assert_eq!(dana[column("motto")], "'=already quoted");
    let quinn = rows
        .iter()
        .find(|r| r[3] == "quinn@quote.example")
        .expect("Quinn");
    assert_eq!(quinn[7], "''+ not a guard");
    assert_eq!(quinn[column("motto")], "''=already quoted");
    assert_eq!(dana[column("mobile_phone")], "", "Dana of the CSV has none");
}

#[test]
fn touches_export_one_row_per_logged_touch() {
    let sb = Sandbox::new();
    sb.write_me();
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
            "--company",
            "Northwind",
            "--sequence",
            "cold-7",
        ],
    );
    run(
        &sb,
        "2026-11-23T10:15",
        &["log", "dana@northwind.example", "sent"],
    );
    run(
        &sb,
        "2026-11-24T16:40",
        &[
            "log",
            "dana@northwind.example",
            "replied",
            "--note",
            "=interested, call back",
        ],
    );
    let text = run(&sb, "2026-11-25", &["export", "touches"]);
    let rows = cells(&text);
    assert_eq!(
        rows[0].join(","),
        "prospect_id,name,email,sequence,step,channel,outcome,at,reason,note,subject,body,variant"
    );
    let logged: Vec<&Vec<String>> = rows[1..]
        .iter()
        .filter(|r| r[6] == "sent" || r[6] == "replied")
        .collect();
    assert_eq!(logged.len(), 2, "{text}");
    let sent = logged[0];
    assert_eq!(
        &sent[..8],
        [
            "1",
            "Dana Reyes",
            "dana@northwind.example",
            "cold-7",
            "1",
            "email",
            "sent",
            "2026-11-23T10:15:00"
        ]
    );
    assert!(!sent[10].is_empty(), "the subject that went out");
    assert!(!sent[11].is_empty(), "the body that went out");
    let replied = logged[1];
    assert_eq!(replied[6], "replied");
    assert_eq!(replied[9], "'=interested, call back");
}
