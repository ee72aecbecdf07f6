//! Never worse: a field the rep set in touchbase wins over every later file, an empty cell
//! never clears a field, and a dry run says per field what an import would change.

use crate::import_csv::{MON, prospects, run};
use crate::util::Sandbox;
use proptest::prelude::*;
use std::collections::BTreeMap;
use touchbase::desk::ProspectEdit;
use touchbase::domain::{Field, Prospect};
use touchbase::import::merge::merge;

fn write(sb: &Sandbox, name: &str, text: &str) -> String {
    let path = sb.dir.path().join(name);
    std::fs::write(&path, text).expect("write");
    path.to_str().expect("path").to_string()
}

#[test]
fn the_reps_title_survives_a_stale_lower_case_export() {
    let sb = Sandbox::new();
    let first = write(
        &sb,
        "week1.csv",
        "First Name,Last Name,Email,Title,Company\n\
         Marcus,Webb,marcus@webb.example,VP Sales,Acme\n",
    );
    run(&sb, MON, &["import", &first]);
    run(
        &sb,
        MON,
        &["edit", "marcus@webb.example", "--title", "SVP Sales"],
    );
    let stale = write(
        &sb,
        "week2.csv",
        "first name,last name,email,title,company,industry\n\
         marcus,webb,marcus@webb.example,VP of Sales,,Retail\n",
    );
    let dry = run(&sb, MON, &["import", &stale, "--dry-run"]);
    assert!(dry.contains("Would change 1 known prospect:"), "{dry}");
    assert!(
        dry.contains(
            "  Marcus Webb: title kept as you set it ('SVP Sales'; the file says 'VP of Sales'); industry 'Retail'"
        ),
        "{dry}"
    );
    run(&sb, MON, &["import", &stale]);
    let all = prospects(&sb);
    let marcus = all.first().expect("Marcus");
    assert_eq!(marcus.full_name(), "Marcus Webb");
    assert_eq!(marcus.title.as_deref(), Some("SVP Sales"));
    // The empty company cell cleared nothing; the new column arrived.
    assert_eq!(marcus.company.as_deref(), Some("Acme"));
    assert_eq!(
        marcus.fields.get("industry").map(String::as_str),
        Some("Retail")
    );
    // Undoing the import, then the edit, gives back the file's title and forgets the edit.
    run(&sb, MON, &["undo"]);
    run(&sb, MON, &["undo"]);
    let back = prospects(&sb);
    let marcus = back.first().expect("Marcus");
    assert_eq!(marcus.title.as_deref(), Some("VP Sales"));
    assert!(marcus.rep_fields.is_empty(), "{:?}", marcus.rep_fields);
}

/// One step of a rep's weeks: an edit of a field, or an import of a row with these cells
/// (an empty cell is a column the export left blank).
#[derive(Debug, Clone)]
enum Step {
    Edit(Field, String),
    Import(Vec<(Field, String)>),
}

const FIELDS: [Field; 4] = [Field::Title, Field::Company, Field::City, Field::LastName];

fn field() -> impl Strategy<Value = Field> {
    prop::sample::select(FIELDS.to_vec())
}

fn value() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "", "VP Sales", "vp sales", "Acme", "ACME", "Müller", "Muller",
    ])
    .prop_map(str::to_string)
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (field(), value()).prop_map(|(f, v)| Step::Edit(f, v)),
        prop::collection::vec((field(), value()), 0..4).prop_map(Step::Import),
    ]
}

fn base() -> Prospect {
    Prospect {
        id: 1,
        first_name: "Marcus".into(),
        last_name: "Webb".into(),
        title: Some("VP Sales".into()),
        company: Some("Acme".into()),
        ..Prospect::default()
    }
}

proptest! {
    #[test]
    fn an_edit_outlives_every_import_and_no_import_empties_a_field(
        steps in prop::collection::vec(step(), 1..12)
    ) {
        let now = crate::db::t("2026-11-23");
        let mut p = base();
        // What the rep last set each field to (an empty string: cleared on purpose).
        let mut set_by_rep: BTreeMap<Field, String> = BTreeMap::new();
        for step in steps {
            match step {
                Step::Edit(f, v) => {
                    if f == Field::LastName && v.is_empty() {
                        continue;
                    }
                    let edit = ProspectEdit {
                        set: BTreeMap::from([(f, v.clone())]),
                        ..ProspectEdit::default()
                    };
                    let before = p.field(f).unwrap_or_default().to_string();
                    p = edit.apply(p, now).expect("edit");
                    if before != v {
                        set_by_rep.insert(f, v);
                    }
                }
                Step::Import(cells) => {
                    let mut row = Prospect { first_name: "marcus".into(), ..Prospect::default() };
                    for (f, v) in &cells {
                        row.set_field(*f, (!v.is_empty()).then(|| v.clone()));
                    }
                    let filled: Vec<Field> =
                        FIELDS.into_iter().filter(|f| p.field(*f).is_some_and(|v| !v.is_empty())).collect();
                    p = merge(p, row);
                    for f in filled {
                        prop_assert!(p.field(f).is_some_and(|v| !v.is_empty()), "{f:?} emptied");
                    }
                    prop_assert_eq!(p.first_name.as_str(), "Marcus");
                }
            }
            for (f, v) in &set_by_rep {
                prop_assert_eq!(p.field(*f).unwrap_or_default(), v.as_str(), "{:?}", f);
            }
        }
    }
}
