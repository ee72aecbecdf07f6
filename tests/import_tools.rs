//! Every tool's export, with its real header: each person lands with the right fields, the
//! tool's own id is kept, note lines and footers are skipped, and importing the same file
//! again adds nobody and changes nobody's fields. The expectations live next to the files,
//! in `tests/fixtures/import/tools/expected.toml`, with where each header came from.

use crate::import_csv::{MON, prospects, run};
use crate::util::Sandbox;
use std::path::PathBuf;
use touchbase::domain::Prospect;

#[derive(Debug, serde::Deserialize)]
struct Tool {
    file: String,
    #[serde(default)]
    record_id_column: String,
    #[serde(default)]
    preamble_lines: usize,
    #[serde(default)]
    footer_lines: usize,
    #[serde(default)]
    totals_rows: usize,
    /// A board's group titles, repeated headers, subitems and summaries.
    #[serde(default)]
    board_lines: usize,
    people: Vec<Person>,
}

#[derive(Debug, serde::Deserialize)]
struct Person {
    first_name: String,
    last_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    company: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    linkedin: String,
    #[serde(default)]
    record_id: String,
    #[serde(default)]
    city: String,
    /// What the row's CRM flags say: "opted out", "do not call", "do not contact" (both) or
    /// "bounced"; empty when the row carries none.
    #[serde(default)]
    consent: String,
}

fn folder() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/tools")
}

fn tools() -> Vec<(String, Tool)> {
    let text = std::fs::read_to_string(folder().join("expected.toml")).expect("expected.toml");
    let table: std::collections::BTreeMap<String, Tool> = toml::from_str(&text).expect("parse");
    table.into_iter().collect()
}

fn opt(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

/// Whether the book holds the consent flags the row carried, and no others.
fn check_consent(sb: &Sandbox, who: &str, want: &Person, got: &Prospect) -> Option<String> {
    let desk = crate::db::open(&sb.db(), None);
    let opted_out = desk.do_not_contact_match(got).expect("dnc").is_some();
    let held = (opted_out, got.do_not_call(), got.email_bad);
    let wanted = match want.consent.as_str() {
        "" => (false, false, false),
        "opted out" => (true, false, false),
        "do not call" => (false, true, false),
        "do not contact" => (true, true, false),
        "bounced" => (false, false, true),
        other => panic!("{who}: unknown consent {other}"),
    };
    (held != wanted)
        .then(|| format!("{who}: (opted out, do not call, bounced) {held:?}, expected {wanted:?}"))
}

/// Differences between what the importer made of a person and what the row says.
fn check(tool: &str, want: &Person, got: &Prospect, problems: &mut Vec<String>) {
    let who = format!("{tool}: {} {}", want.first_name, want.last_name);
    let mut same = |what: &str, expected: Option<&str>, actual: Option<&str>| {
        if expected != actual {
            problems.push(format!("{who}: {what} {actual:?}, expected {expected:?}"));
        }
    };
    same("email", opt(&want.email), got.email.as_deref());
    same("company", opt(&want.company), got.company.as_deref());
    same("title", opt(&want.title), got.title.as_deref());
    same("phone", opt(&want.phone), got.phone.as_deref());
    same("city", opt(&want.city), got.city.as_deref());
    let linkedin = got
        .linkedin
        .as_deref()
        .map(touchbase::domain::prospect::normalize_linkedin);
    let wanted = opt(&want.linkedin).map(touchbase::domain::prospect::normalize_linkedin);
    same("linkedin", wanted.as_deref(), linkedin.as_deref());
    // A company's id (Close's lead_…) is not the person's.
    let person_id = opt(&want.record_id).filter(|id| !id.starts_with("lead_"));
    if let Some(id) = person_id {
        let kept = got
            .external_ids
            .values()
            .any(|v| id == v || id.ends_with(v.as_str()) || id.starts_with(v.as_str()));
        if !kept {
            problems.push(format!("{who}: id {id} not kept ({:?})", got.external_ids));
        }
    }
}

#[test]
fn every_tools_export_lands_right_and_again_adds_nobody() {
    let mut problems = Vec::new();
    for (name, tool) in tools() {
        let sb = Sandbox::new();
        let path = folder().join(&tool.file);
        let path = path.to_str().expect("path");
        let out = run(&sb, MON, &["import", path]);
        let want_rows = tool.people.len();
        if !out.contains(&format!("{want_rows} rows; {want_rows} added")) {
            problems.push(format!("{name}: {out}"));
            continue;
        }
        let skipped_below = tool.footer_lines + tool.totals_rows;
        if skipped_below > 0 && !out.contains(&format!("{skipped_below} footer lines skipped")) {
            problems.push(format!("{name}: footer not counted: {out}"));
        }
        let board = format!("{} lines of layout skipped", tool.board_lines);
        if tool.board_lines > 0 && !out.contains(&board) {
            problems.push(format!("{name}: board lines not counted: {out}"));
        }
        if tool.preamble_lines > 0
            && !out.contains(&format!("{} lines above the header", tool.preamble_lines))
        {
            problems.push(format!("{name}: note lines not counted: {out}"));
        }
        let all = prospects(&sb);
        for want in &tool.people {
            let found = all
                .iter()
                .find(|p| p.first_name == want.first_name && p.last_name == want.last_name);
            match found {
                Some(got) => {
                    check(&name, want, got, &mut problems);
                    let who = format!("{name}: {} {}", want.first_name, want.last_name);
                    problems.extend(check_consent(&sb, &who, want, got));
                }
                None => problems.push(format!(
                    "{name}: no {} {} among {:?}",
                    want.first_name,
                    want.last_name,
                    all.iter().map(Prospect::full_name).collect::<Vec<_>>()
                )),
            }
        }
        if !tool.record_id_column.is_empty() {
            let column = &tool.record_id_column;
            let text = std::fs::read_to_string(folder().join(&tool.file)).expect("fixture");
            if !text.contains(column.as_str()) {
                problems.push(format!("{name}: the file has no {column} column"));
            }
        }
        // Next week's export of the same people: nobody new, nobody changed.
        // Those the CRM opted out are on the do-not-contact list now: named, left alone.
        let again = run(&sb, MON, &["import", path]);
        let on_list = tool
            .people
            .iter()
            .filter(|p| matches!(p.consent.as_str(), "opted out" | "do not contact"))
            .count();
        let updated = want_rows - on_list;
        let listed = format!("{on_list} on the do-not-contact list");
        if !again.contains(&format!("0 added, {updated} updated"))
            || (on_list > 0 && !again.contains(&listed))
        {
            problems.push(format!("{name}: again: {again}"));
        }
        let after: Vec<Prospect> = prospects(&sb);
        if after != all {
            problems.push(format!("{name}: a re-import changed someone"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A rep who has moved between tools imports every one of them into one book, then does it
/// all again: the second round adds nobody, even where the first could not tell two records
/// of one person apart.
#[test]
fn every_tool_into_one_book_twice_adds_nobody_the_second_time() {
    let sb = Sandbox::new();
    let files: Vec<String> = tools()
        .into_iter()
        .map(|(_, tool)| {
            folder()
                .join(&tool.file)
                .to_str()
                .expect("path")
                .to_string()
        })
        .collect();
    for path in &files {
        run(&sb, MON, &["import", path]);
    }
    let book = prospects(&sb).len();
    for path in &files {
        let again = run(&sb, MON, &["import", path]);
        assert!(again.contains(" 0 added"), "{path}: {again}");
    }
    assert_eq!(prospects(&sb).len(), book);
}

/// The sample files in `assets/examples/` that the README offers to try import on: every
/// person lands with the fields a rep needs and the tool's own id, and the same file again
/// adds nobody.
#[test]
fn the_sample_exports_in_assets_import_as_they_are() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/examples");
    for (file, tool) in [
        ("hubspot-contacts.csv", "hubspot"),
        ("apollo-contacts.csv", "apollo"),
    ] {
        let sb = Sandbox::new();
        let path = dir.join(file);
        let path = path.to_str().expect("path");
        let said = run(&sb, MON, &["import", path, "--sequence", "classic-4"]);
        assert!(said.contains("12 rows; 12 added"), "{file}: {said}");
        let people = prospects(&sb);
        assert_eq!(people.len(), 12, "{file}");
        for p in &people {
            let name = p.full_name();
            assert!(
                p.email.as_deref().is_some_and(|e| e.ends_with(".example")),
                "{file}: {name}"
            );
            assert!(p.company.is_some() && p.title.is_some(), "{file}: {name}");
            assert!(p.timezone.is_some(), "{file}: {name} has no time zone");
            assert!(
                p.external_ids.contains_key(tool),
                "{file}: {name} lost the {tool} id"
            );
        }
        assert!(
            people.iter().filter(|p| p.phone.is_some()).count() >= 6,
            "{file}"
        );
        let again = run(&sb, MON, &["import", path, "--sequence", "classic-4"]);
        assert!(again.contains("0 added"), "{file}: {again}");
    }
}
