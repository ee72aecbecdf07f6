//! One reading of a typed day or moment, in the app's prompts and in every command-line
//! option alike: a table of phrases, each worked out by hand from Monday 23 November 2026.

use chrono::{NaiveDate, NaiveDateTime};
use touchbase::domain::when::{parse_day, parse_moment, parse_past_day};

/// Monday 23 November 2026, 10:00.
const MON: &str = "2026-11-23";

fn d(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("moment")
}

/// Phrases a rep types for a day ahead, and the day each means.
pub const DAYS: &[(&str, &str)] = &[
    ("2026-12-07", "2026-12-07"),
    ("today", "2026-11-23"),
    ("tomorrow", "2026-11-24"),
    ("+3", "2026-11-26"),
    ("+3d", "2026-11-26"),
    ("+2w", "2026-12-07"),
    ("+1m", "2026-12-23"),
    ("in 3 days", "2026-11-26"),
    ("in 2 weeks", "2026-12-07"),
    ("fri", "2026-11-27"),
    ("Thurs", "2026-11-26"),
    ("monday", "2026-11-30"),
    ("next tuesday", "2026-11-24"),
    ("next tue", "2026-11-24"),
    ("next week", "2026-11-30"),
    ("jan 11", "2027-01-11"),
    ("Jan 11", "2027-01-11"),
    ("11 january", "2027-01-11"),
    ("dec 1", "2026-12-01"),
    ("nov 23", "2026-11-23"),
    ("Jan 11, 2028", "2028-01-11"),
];

#[test]
fn every_day_phrase_reads_as_worked_out() {
    for (typed, want) in DAYS {
        assert_eq!(parse_day(typed, d(MON)), Ok(d(want)), "{typed}");
    }
}

#[test]
fn phrases_that_are_no_day_are_refused_with_the_forms_that_work() {
    for typed in [
        "soon",
        "+",
        "+2y",
        "feb 30",
        "mié",
        "mañana",
        "日曜日",
        "13/01",
        "next",
    ] {
        let err = parse_day(typed, d(MON)).expect_err(typed);
        assert!(err.contains("jan 11"), "{typed}: {err}");
    }
}

#[test]
fn every_moment_phrase_reads_as_worked_out() {
    let now = at("2026-11-23 10:00");
    let cases = [
        ("tue 3pm", "2026-11-24 15:00"),
        ("tue 3 pm", "2026-11-24 15:00"),
        ("thu 14:00", "2026-11-26 14:00"),
        ("tomorrow 9:30", "2026-11-24 09:30"),
        ("jan 11 9:30am", "2027-01-11 09:30"),
        ("2026-12-07T14:00", "2026-12-07 14:00"),
        ("2026-12-07 14:00", "2026-12-07 14:00"),
        ("15:30 today", "2026-11-23 15:30"),
        ("16:00", "2026-11-23 16:00"),
        ("next tuesday noon", "2026-11-24 12:00"),
        ("fri 12am", "2026-11-27 00:00"),
        ("fri 12pm", "2026-11-27 12:00"),
    ];
    for (typed, want) in cases {
        assert_eq!(parse_moment(typed, now), Ok(Some(at(want))), "{typed}");
    }
    assert_eq!(parse_moment("  ", now), Ok(None));
    for typed in ["tue", "13pm", "tue 25:00", "soon 3pm"] {
        assert!(parse_moment(typed, now).is_err(), "{typed}");
    }
}

#[test]
fn a_since_reads_backwards() {
    let cases = [
        ("2026-11-02", "2026-11-02"),
        ("yesterday", "2026-11-22"),
        ("-7", "2026-11-16"),
        ("-2w", "2026-11-09"),
        ("-1m", "2026-10-23"),
        ("fri", "2026-11-20"),
        ("mon", "2026-11-16"),
        ("nov 2", "2026-11-02"),
        ("dec 1", "2025-12-01"),
    ];
    for (typed, want) in cases {
        assert_eq!(parse_past_day(typed, d(MON)), Ok(d(want)), "{typed}");
    }
}

mod options {
    use crate::util::Sandbox;

    fn run(sb: &Sandbox, args: &[&str]) -> String {
        let out = sb.cmd("2026-11-23T10:00").args(args).output().expect("run");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn lee() -> Sandbox {
        let sb = Sandbox::new();
        sb.write_me();
        run(
            &sb,
            &[
                "add",
                "--first",
                "Lee",
                "--last",
                "Park",
                "--email",
                "lee@quanta.example",
                "--company",
                "Quanta",
                "--title",
                "CTO",
                "--sequence",
                "cold-7",
            ],
        );
        sb
    }

    /// The command line reads a day as the prompts do: a snooze of `+2w` and a "not now"
    /// until `jan 11` land on the days the table above says.
    #[test]
    fn options_take_the_phrases_the_prompts_take() {
        let sb = lee();
        let said = run(&sb, &["log", "1", "snoozed", "--until", "+2w"]);
        assert!(said.contains("Mon 7 Dec"), "{said}");
        let said = run(
            &sb,
            &[
                "log", "1", "replied", "--kind", "not-now", "--until", "jan 11",
            ],
        );
        assert!(
            said.contains("back in re-engagement on Mon 11 Jan 2027"),
            "{said}"
        );
    }

    /// `--when "thu 2pm"` books the meeting at 14:00 on Thursday, and `show` says when.
    #[test]
    fn a_meeting_typed_as_a_phrase_is_shown_with_its_time() {
        let sb = lee();
        run(
            &sb,
            &["log", "1", "meeting", "--when", "thu 2pm", "--note", "demo"],
        );
        let shown = run(&sb, &["show", "Lee Park"]);
        assert!(
            shown.contains("  meeting  Thu 26 Nov 2026 14:00 (coming)"),
            "{shown}"
        );
        assert!(
            shown.contains("meeting for Thu 26 Nov 14:00; demo"),
            "{shown}"
        );
        let json = run(&sb, &["show", "1", "--json"]);
        assert!(
            json.contains("\"meeting_at\": \"2026-11-26T14:00:00\""),
            "{json}"
        );
    }

    #[test]
    fn a_phrase_that_is_no_day_is_one_error_naming_the_option() {
        let sb = lee();
        let out = sb
            .cmd("2026-11-23T10:00")
            .args(["log", "1", "snoozed", "--until", "soon"])
            .output()
            .expect("run");
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with("error: --until: 'soon' is not a day"),
            "{err}"
        );
    }
}
