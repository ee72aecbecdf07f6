//! A prospect whose every field carries what a terminal would obey (an OSC 52 clipboard
//! write, a screen clear, a bell, a C1 control) or hide (a bidi override, a zero-width
//! space): no output path lets one through raw, and `--json` escapes them.

use crate::util::Sandbox;

const MON: &str = "2026-11-23T10:00";

/// ESC ] 52 (clipboard), ESC [ 2J (clear), BEL, U+202E, U+200B and C1 0x9b.
fn hostile(word: &str) -> String {
    format!("{word}\u{1b}]52;c;ZWNobyBwd25lZA==\u{7}\u{1b}[2J\u{7}\u{202e}x\u{200b}\u{9b}31m")
}

/// What no output may carry raw.
fn raw_in(out: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(out);
    let mut found = Vec::new();
    for c in text.chars() {
        let bad = (c.is_control() && c != '\n' && c != '\r' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{200b}'..='\u{200f}' | '\u{2066}'..='\u{2069}');
        if bad {
            found.push(format!("U+{:04X}", u32::from(c)));
        }
    }
    found.dedup();
    found
}

fn hostile_book() -> Sandbox {
    let sb = Sandbox::new();
    sb.write_me();
    let csv = sb.dir.path().join("in.csv");
    let mut w = csv::Writer::from_path(&csv).expect("csv");
    w.write_record([
        "first_name",
        "last_name",
        "email",
        "company",
        "title",
        "city",
        "notes",
        "industry",
    ])
    .expect("header");
    w.write_record([
        hostile("Dana").as_str(),
        &hostile("Reyes"),
        "dana@northwind.example",
        &hostile("Northwind"),
        &hostile("VP"),
        &hostile("Chicago"),
        &hostile("note"),
        &hostile("Logistics"),
    ])
    .expect("row");
    w.flush().expect("flush");
    sb.cmd(MON)
        .args(["import", "--sequence", "cold-7"])
        .arg(&csv)
        .assert()
        .success();
    sb.cmd(MON).args(["log", "1", "sent"]).assert().success();
    sb
}

#[test]
fn no_output_path_carries_a_control_or_invisible_character_raw() {
    let sb = hostile_book();
    let out = sb.dir.path();
    let runs: Vec<Vec<String>> = vec![
        vec!["due".into()],
        vec!["due".into(), "--json".into()],
        vec!["show".into(), "1".into()],
        vec!["show".into(), "1".into(), "--json".into()],
        vec!["show".into(), "1".into(), "--explain".into()],
        vec!["export".into(), "prospects".into()],
        vec!["export".into(), "touches".into()],
        vec!["export".into(), "ics".into()],
        vec!["stats".into()],
        vec!["stats".into(), "--json".into()],
        vec!["log".into(), "1".into(), "replied".into()],
        vec!["undo".into()],
        vec!["edit".into(), "1".into(), "--note".into(), hostile("again")],
        vec!["screen".into()],
    ];
    for args in runs {
        let got = sb.cmd("2026-11-25T10:00").args(&args).assert().success();
        let o = got.get_output();
        assert_eq!(
            raw_in(&o.stdout),
            Vec::<String>::new(),
            "stdout of {args:?}"
        );
        assert_eq!(
            raw_in(&o.stderr),
            Vec::<String>::new(),
            "stderr of {args:?}"
        );
    }
    // Files written by the exports are as inert as the terminal.
    for what in ["prospects", "touches"] {
        let file = out.join(format!("{what}.csv"));
        sb.cmd(MON)
            .args(["export", what, "--out"])
            .arg(&file)
            .assert()
            .success();
        let bytes = std::fs::read(&file).expect("export");
        assert_eq!(raw_in(&bytes), Vec::<String>::new(), "{what}.csv");
    }
}

#[test]
fn json_escapes_the_characters_it_carries() {
    let sb = hostile_book();
    let got = sb.cmd(MON).args(["show", "1", "--json"]).assert().success();
    let text = String::from_utf8_lossy(&got.get_output().stdout).into_owned();
    assert!(text.contains("\\u202e"), "{text}");
    assert!(text.contains("\\u200b"), "{text}");
    assert!(text.contains("\\u009b"), "{text}");
    assert!(text.contains("\\u001b"), "{text}");
    // Still JSON, and the value read back is the stored one.
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let company = v["company"].as_str().expect("company");
    assert!(company.contains('\u{202e}'), "{company:?}");
}
