//! Whatever a rep's files or fingers hold, nothing panics: random bytes and near-valid text
//! as CSV, TOML (config and sequences), templates, the editor's file, dates, and keys typed
//! into the app's prompts. A bad input is an error, and an error changes nothing.

use crate::db::{config, t};
use proptest::prelude::*;
use std::path::Path;
use touchbase::config::Config;
use touchbase::content::library::builtin_sequence_text;
use touchbase::content::{Library, Me, MergeValues, Template};
use touchbase::desk::Desk;
use touchbase::domain::Prospect;
use touchbase::import::ImportOptions;

const CSV: &str = "First Name,Last Name,Email,Company,Title,Phone,LinkedIn URL,City\n\
                   Dana,Reyes,dana@northwind.example,Northwind,CFO,+1 415 555 0100,,Austin\n\
                   \"Lee, Jr.\",Park,lee@quanta.example,\"Quanta \"\"Labs\"\"\",,,,London\n";

const TEMPLATE: &str = "+++\nsubject = \"{{ company }} and {{ first_name | default('you') }}\"\n+++\n\
                        Hi {{ first_name }},\n\n{% if title %}As {{ title }}{% endif %} …\n\n{{ me.signature }}\n";

const CONFIG: &str = "timezone = \"Europe/Berlin\"\nmax_touches_per_day = 40\n\n[me]\nname = \"Sam\"\n\
                      company = \"Relaypoint\"\n\n[hours]\nstart = \"09:00\"\nend = \"17:00\"\n";

/// Pieces that matter to the parsers, so mutations reach past the first byte.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\"".to_string()),
        Just(",".to_string()),
        Just("\n".to_string()),
        Just("\r".to_string()),
        Just("\0".to_string()),
        Just("{{".to_string()),
        Just("}}".to_string()),
        Just("{%".to_string()),
        Just("%}".to_string()),
        Just("|".to_string()),
        Just("+++".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("=".to_string()),
        Just("ñ".to_string()),
        Just("\u{202e}".to_string()),
        Just("\u{1b}[31m".to_string()),
        "\\PC{0,6}",
    ]
}

/// `base` with pieces inserted and bytes cut at random places (on char boundaries).
fn mutated(base: &'static str) -> impl Strategy<Value = String> {
    prop::collection::vec((any::<prop::sample::Index>(), piece(), any::<bool>()), 1..8).prop_map(
        move |edits| {
            let mut s = base.to_string();
            for (at, piece, cut) in edits {
                let bounds: Vec<usize> = (0..=s.len()).filter(|i| s.is_char_boundary(*i)).collect();
                let i = bounds[at.index(bounds.len())];
                if cut {
                    let end = bounds.iter().copied().find(|b| *b > i).unwrap_or(i);
                    s.replace_range(i..end, "");
                } else {
                    s.insert_str(i, &piece);
                }
            }
            s
        },
    )
}

fn import_bytes(bytes: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.csv");
    std::fs::write(&path, bytes).unwrap();
    let mut desk = Desk::in_memory(Library::new(None), config()).unwrap();
    let before = desk.any_prospect().unwrap();
    let result = desk.import(&path, &ImportOptions::default(), t("2026-11-23"));
    if let Err(e) = result {
        let line = format!("{e:#}");
        assert!(
            line.contains("export.csv"),
            "the error names the file: {line}"
        );
        assert_eq!(
            desk.any_prospect().unwrap(),
            before,
            "a failed import changed nothing"
        );
    }
}

fn render_any(text: &str) {
    if let Ok(template) = Template::parse("step.md", text) {
        let prospect = Prospect {
            first_name: "Dana".into(),
            company: Some(text.chars().take(12).collect()),
            ..Prospect::default()
        };
        let me = Me::default();
        let _ = template.render(&MergeValues::new(&prospect, &me, Some(text)));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_as_csv(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        import_bytes(&bytes);
    }

    #[test]
    fn near_valid_csv(text in mutated(CSV)) {
        import_bytes(text.as_bytes());
    }

    #[test]
    fn random_text_as_config(text in "\\PC{0,300}", near in mutated(CONFIG)) {
        let _ = Config::parse("config.toml", &text);
        let _ = Config::parse("config.toml", &near);
    }

    #[test]
    fn random_text_as_a_sequence(text in "\\PC{0,300}", near in mutated(
        builtin_sequence_text("cold-7").unwrap_or("")
    )) {
        let library = Library::new(None);
        let _ = library.load_file(Path::new("mine.toml"), &text);
        let _ = library.load_file(Path::new("mine.toml"), &near);
    }

    #[test]
    fn random_text_as_a_template(text in "\\PC{0,300}", near in mutated(TEMPLATE)) {
        render_any(&text);
        render_any(&near);
    }

    #[test]
    fn random_text_back_from_the_editor(text in "\\PC{0,300}", near in mutated("Subject: Hi\n\nHello\n")) {
        let original = touchbase::content::Rendered::default();
        let _ = touchbase::content::render::from_file_text(&text, &original);
        let _ = touchbase::content::render::from_file_text(&near, &original);
    }

    #[test]
    fn random_dates(text in "\\PC{0,24}", y in 1i32..9999, m in 1u32..13, d in 1u32..29) {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let _ = touchbase::tui::when::parse_day(&text, today);
        let _ = touchbase::cli::parse_date(&text, "--start", today);
        let _ = touchbase::cli::parse_since(&text, "--since", today);
        let _ = touchbase::domain::when::parse_moment(&text, today.and_hms_opt(9, 0, 0).unwrap());
        let _ = touchbase::cli::parse_now(&text);
        // A real date, written the way the prompt shows it, reads back as itself within
        // the years touchbase plans in, and is one error outside them.
        let date = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let iso = date.format("%Y-%m-%d").to_string();
        let read = touchbase::cli::parse_date(&iso, "--start", today);
        if (1970..=2200).contains(&y) {
            prop_assert_eq!(read.unwrap(), date);
        } else {
            prop_assert!(read.unwrap_err().to_string().contains("outside the years"));
        }
    }
}
