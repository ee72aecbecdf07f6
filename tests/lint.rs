//! Every lint rule: a fixture that triggers it, and the clean fixture that passes them all.

use std::collections::BTreeSet;
use std::path::Path;
use tempfile::TempDir;
use touchbase::content::lint::{Finding, LintInput, Severity, lint};
use touchbase::content::{Library, LoadError};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/lint");

/// A config dir holding the `good` fixture with some text replaced: (file, from, to).
fn config_with(edits: &[(&str, &str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let seqs = dir.path().join("sequences");
    let tmpl = dir.path().join("templates").join("good");
    std::fs::create_dir_all(&seqs).expect("dir");
    std::fs::create_dir_all(&tmpl).expect("dir");
    let mut files = vec![("good.toml".to_string(), seqs.join("good.toml"))];
    for f in ["opener.md", "connect.md", "call.md", "breakup.md"] {
        files.push((format!("good/{f}"), tmpl.join(f)));
    }
    for (rel, dest) in files {
        let mut text = std::fs::read_to_string(Path::new(FIXTURE).join(&rel)).expect("fixture");
        for (file, from, to) in edits {
            if *file == rel {
                assert!(text.contains(from), "{rel} does not contain {from:?}");
                text = text.replacen(from, to, 1);
            }
        }
        std::fs::write(dest, text).expect("write");
    }
    dir
}

fn findings(dir: &TempDir, custom: &[&str]) -> Vec<Finding> {
    let seq = Library::new(Some(dir.path())).load("good").expect("loads");
    let custom: BTreeSet<String> = custom.iter().map(|s| s.to_string()).collect();
    lint(&LintInput {
        sequence: &seq,
        custom_fields: &custom,
    })
}

#[test]
fn the_clean_fixture_passes_every_rule() {
    let dir = config_with(&[]);
    assert_eq!(findings(&dir, &[]), Vec::<Finding>::new());
}

/// The opener's body with two words changed: the same message twice.
const OPENER_NEARLY: &str =
    "Most distributors we speak with still re-type incoming orders from email into their ERP.
It is slow, and a single wrong digit turns into a credit note a week later.

{{ me.company }} reads those emails and fills the order for a person to approve, which
cuts entry time by roughly two thirds. Setup takes about a week and uses the mailbox
and the ERP you already have, with no new screens for anybody to learn.

Is order entry something {{ company }} wants to speed up this quarter?";

const LONG_WORDS: &str = "word word word word word word word word word word word word word word word word word word word word ";

/// (what it checks, edits, severity, a phrase of the message, the file it points at, line)
type Case = (
    &'static str,
    Vec<(&'static str, &'static str, String)>,
    Severity,
    &'static str,
    &'static str,
    usize,
);

fn cases() -> Vec<Case> {
    let steps_13: String = (0..9)
        .map(|i| {
            format!(
                "\n[[steps]]\nday = {}\nchannel = \"task\"\npurpose = \"research\"\n",
                10 + i * 2
            )
        })
        .collect();
    vec![
        (
            "the first email under 75 words",
            vec![
                (
                    "good/opener.md",
                    "Most distributors we speak with still re-type incoming orders from email into their ERP.\nIt is slow, and a single wrong digit turns into a credit note a week later.\n",
                    String::new(),
                ),
                (
                    "good/opener.md",
                    "{{ me.company }} reads those emails and fills the order for a person to approve, which\ncuts entry time by roughly two thirds. ",
                    String::new(),
                ),
            ],
            Severity::Warning,
            "the first email is 36 words; 75 to 125",
            "good/opener.md",
            4,
        ),
        (
            "a later email under 50 words",
            vec![(
                "good/breakup.md",
                "If the timing is wrong rather than the idea, reply \"later\" and I will check in next\nquarter. If it is a no, a one-word \"no\" is just as helpful, and I will leave it there.",
                "Reply \"later\" if the timing is off.".into(),
            )],
            Severity::Warning,
            "the email is 35 words; 50 to 125",
            "good/breakup.md",
            4,
        ),
        (
            "an email with no clear ask",
            vec![(
                "good/breakup.md",
                "If the timing is wrong rather than the idea, reply \"later\" and I will check in next\nquarter. If it is a no, a one-word \"no\" is just as helpful, and I will leave it there.",
                "The timing may simply be wrong, and that is fine. I wish you and the whole team a good\nquarter, and I will leave the subject there for now, with thanks for your time.".into(),
            )],
            Severity::Warning,
            "no clear ask",
            "good/breakup.md",
            4,
        ),
        (
            "a voicemail over 75 words",
            vec![(
                "good/call.md",
                "A one-line reply to my email is plenty.",
                format!("{}{}{}{}A one-line reply to my email is plenty.", LONG_WORDS, LONG_WORDS, LONG_WORDS, LONG_WORDS),
            )],
            Severity::Warning,
            "the voicemail is",
            "good/call.md",
            2,
        ),
        (
            "two steps with nearly the same body",
            vec![(
                "good/breakup.md",
                "I have reached out a few times without hearing back, so I will stop here. No more messages\nfrom me after this one.\n\nIf the timing is wrong rather than the idea, reply \"later\" and I will check in next\nquarter. If it is a no, a one-word \"no\" is just as helpful, and I will leave it there.",
                OPENER_NEARLY.into(),
            )],
            Severity::Warning,
            "nearly the same text as step 1",
            "good.toml",
            23,
        ),
        (
            "touches on consecutive days across channels",
            vec![("good.toml", "day = 3", "day = 2".into())],
            Severity::Warning,
            "the day after step 1 on another channel",
            "good.toml",
            10,
        ),
        (
            "three touches in a row on one channel",
            vec![
                (
                    "good.toml",
                    "channel = \"call\"\npurpose = \"call\"\ntemplate = \"good/call.md\"",
                    "channel = \"linkedin\"\naction = \"message\"\npurpose = \"message\"\ntemplate = \"good/connect.md\"".into(),
                ),
                (
                    "good.toml",
                    "channel = \"email\"\npurpose = \"breakup\"\ntemplate = \"good/breakup.md\"",
                    "channel = \"linkedin\"\naction = \"message\"\npurpose = \"breakup\"\ntemplate = \"good/connect.md\"".into(),
                ),
            ],
            Severity::Warning,
            "three linkedin touches in a row",
            "good.toml",
            24,
        ),
        (
            "a cold sequence off the field's shape",
            vec![("good.toml", "trigger = \"custom\"", "trigger = \"cold\"".into())],
            Severity::Hint,
            "cold sequences that book meetings mostly run 8–12 touches",
            "good.toml",
            1,
        ),
        (
            "a filter that does not exist",
            vec![(
                "good/opener.md",
                "Is order entry something {{ company }}",
                "Is order entry something {{ company | shout }}".into(),
            )],
            Severity::Error,
            "template good/opener.md",
            "good/opener.md",
            // The line the unknown filter is on.
            13,
        ),
        (
            "email over 125 words",
            vec![(
                "good/opener.md",
                "Is order entry",
                format!(
                    "{}{}{}{}Is order entry",
                    LONG_WORDS, LONG_WORDS, LONG_WORDS, LONG_WORDS
                ),
            )],
            Severity::Warning,
            "words; 75 to 125",
            "good/opener.md",
            4,
        ),
        (
            "LinkedIn connect note over 300 characters",
            vec![(
                "good/connect.md",
                "Happy to connect",
                format!(
                    "{}Happy to connect",
                    "A long sentence that keeps going. ".repeat(8)
                ),
            )],
            Severity::Error,
            "LinkedIn allows 300",
            "good/connect.md",
            3,
        ),
        (
            "SMS over 160 characters",
            vec![
                (
                    "good.toml",
                    "channel = \"linkedin\"\naction = \"connect\"",
                    "channel = \"sms\"".into(),
                ),
                (
                    "good/connect.md",
                    "Happy to connect",
                    format!("{}Happy to connect", "Texting you as well. ".repeat(4)),
                ),
            ],
            Severity::Warning,
            "one SMS holds 160",
            "good/connect.md",
            3,
        ),
        (
            "filler with no new value",
            vec![(
                "good/breakup.md",
                "I have reached out",
                "Just checking in again. I have reached out".into(),
            )],
            Severity::Warning,
            "\"just checking in\" adds nothing new",
            "good/breakup.md",
            6,
        ),
        (
            "two steps with the same body",
            vec![(
                "good.toml",
                "template = \"good/breakup.md\"",
                "template = \"good/opener.md\"".into(),
            )],
            Severity::Warning,
            "same text as step 1",
            "good.toml",
            23,
        ),
        (
            "four emails in a row",
            vec![
                (
                    "good.toml",
                    "channel = \"linkedin\"\naction = \"connect\"\npurpose = \"connect\"\ntemplate = \"good/connect.md\"",
                    "channel = \"email\"\npurpose = \"bump\"\ntemplate = \"good/breakup.md\""
                        .into(),
                ),
                (
                    "good.toml",
                    "channel = \"call\"\npurpose = \"call\"\ntemplate = \"good/call.md\"",
                    "channel = \"email\"\npurpose = \"new-angle\"\ntemplate = \"good/opener.md\""
                        .into(),
                ),
            ],
            Severity::Warning,
            "four emails in a row",
            "good.toml",
            22,
        ),
        (
            "the same channel less than 2 days apart",
            vec![(
                "good.toml",
                "day = 5\nchannel = \"call\"",
                "day = 4\nchannel = \"linkedin\"\naction = \"message\"".into(),
            )],
            Severity::Warning,
            "linkedin again 1 day(s) after step 2",
            "good.toml",
            17,
        ),
        (
            "fewer than 3 touches",
            vec![(
                "good.toml",
                "[[steps]]\nday = 3\nchannel = \"linkedin\"\naction = \"connect\"\npurpose = \"connect\"\ntemplate = \"good/connect.md\"\n\n[[steps]]\nday = 5\nchannel = \"call\"\npurpose = \"call\"\ntemplate = \"good/call.md\"\n\n",
                String::new(),
            )],
            Severity::Warning,
            "only 2 touches",
            "good.toml",
            1,
        ),
        (
            "more than 12 touches",
            vec![(
                "good.toml",
                "[[steps]]\nday = 9",
                format!("{steps_13}\n[[steps]]\nday = 28"),
            )],
            Severity::Warning,
            "13 touches",
            "good.toml",
            1,
        ),
        (
            "longer than 28 days",
            vec![("good.toml", "day = 9", "day = 30".into())],
            Severity::Warning,
            "runs 30 days",
            "good.toml",
            1,
        ),
        (
            "a single channel only",
            vec![
                (
                    "good.toml",
                    "channel = \"linkedin\"\naction = \"connect\"\npurpose = \"connect\"\ntemplate = \"good/connect.md\"",
                    "channel = \"email\"\npurpose = \"bump\"\ntemplate = \"good/breakup.md\""
                        .into(),
                ),
                (
                    "good.toml",
                    "channel = \"call\"\npurpose = \"call\"\ntemplate = \"good/call.md\"",
                    "channel = \"email\"\npurpose = \"new-angle\"\ntemplate = \"good/opener.md\""
                        .into(),
                ),
            ],
            Severity::Hint,
            "uses email only",
            "good.toml",
            1,
        ),
        (
            "the last step is not a breakup",
            vec![(
                "good.toml",
                "purpose = \"breakup\"",
                "purpose = \"last-try\"".into(),
            )],
            Severity::Hint,
            "not a breakup",
            "good.toml",
            23,
        ),
        (
            "a bracket placeholder left in",
            vec![(
                "good/breakup.md",
                "Thanks for reading",
                "Thanks for reading, [Name]".into(),
            )],
            Severity::Error,
            "placeholder [Name] left in",
            "good/breakup.md",
            12,
        ),
        (
            "a variable nothing can supply",
            vec![(
                "good/opener.md",
                "Is order entry",
                "Given {{ industry_vertical }}, is order entry".into(),
            )],
            Severity::Warning,
            "no prospect field or known custom field is called industry_vertical",
            "good/opener.md",
            13,
        ),
        (
            "a me.* value the config does not have",
            vec![(
                "good/breakup.md",
                "{{ me.signature }}",
                "{{ me.phone }}".into(),
            )],
            Severity::Warning,
            "me.phone is not a config value",
            "good/breakup.md",
            14,
        ),
        (
            "a call step without a script",
            vec![(
                "good.toml",
                "purpose = \"call\"\ntemplate = \"good/call.md\"",
                "purpose = \"call\"".into(),
            )],
            Severity::Error,
            "needs a call script",
            "good.toml",
            17,
        ),
        (
            "an email without a subject",
            vec![(
                "good/opener.md",
                "subject = \"Order entry at {{ company }}\"",
                String::new(),
            )],
            Severity::Error,
            "needs a subject",
            "good/opener.md",
            1,
        ),
        (
            "previous.subject before any email went out",
            vec![(
                "good/opener.md",
                "subject = \"Order entry at {{ company }}\"",
                "subject = \"Re: {{ previous.subject }}\"".into(),
            )],
            Severity::Error,
            "previous.subject is used before any email",
            "good/opener.md",
            2,
        ),
    ]
}

#[test]
fn each_rule_has_a_fixture_that_triggers_it() {
    for (what, edits, severity, phrase, file, line) in cases() {
        let edits: Vec<(&str, &str, &str)> =
            edits.iter().map(|(f, a, b)| (*f, *a, b.as_str())).collect();
        let dir = config_with(&edits);
        let found = findings(&dir, &[]);
        let hit = found.iter().find(|f| f.message.contains(phrase));
        let Some(hit) = hit else {
            panic!("{what}: no finding containing {phrase:?} in {found:#?}");
        };
        assert_eq!(hit.severity, severity, "{what}: {hit}");
        assert!(
            hit.file.ends_with(file),
            "{what}: points at {} not {file}",
            hit.file
        );
        assert_eq!(hit.line, line, "{what}: {hit}");
    }
}

#[test]
fn a_custom_field_prospects_have_is_not_unknown() {
    let dir = config_with(&[(
        "good/opener.md",
        "Is order entry",
        "Given {{ industry_vertical }}, is order entry",
    )]);
    let found = findings(&dir, &["industry_vertical"]);
    assert_eq!(found, Vec::<Finding>::new());
}

#[test]
fn a_template_syntax_error_names_file_line_and_column() {
    let dir = config_with(&[(
        "good/breakup.md",
        "Thanks for reading,",
        "Thanks {{ for reading,",
    )]);
    match Library::new(Some(dir.path())).load("good") {
        Err(LoadError::Invalid(at)) => {
            assert!(at.file.ends_with("good/breakup.md"), "{at}");
            // The column points at the token the parser could not take.
            assert_eq!((at.line, at.column), (12, 15), "{at}");
        }
        other => panic!("expected a located error, got {other:?}"),
    }
}

/// A filter that does not exist is found when rendering, and named on its own line of the
/// file (line 14 here), not the body's first.
#[test]
fn a_template_error_found_rendering_is_on_its_own_line() {
    let dir = config_with(&[(
        "good/breakup.md",
        "{{ me.signature }}",
        "{{ me.signature | shout }}",
    )]);
    let found = findings(&dir, &[]);
    let errors: Vec<(&str, usize, &str)> = found
        .iter()
        .filter(|f| f.rule == "template-error")
        .map(|f| (f.file.as_str(), f.line, f.message.as_str()))
        .collect();
    assert_eq!(errors.len(), 1, "{found:?}");
    let (file, line, message) = errors[0];
    assert!(file.ends_with("good/breakup.md"), "{file}");
    assert_eq!(line, 14, "{message}");
    assert!(message.contains("filter shout is unknown"), "{message}");
}

#[test]
fn the_builtins_have_no_errors() {
    let lib = Library::new(None);
    for (name, _) in lib.names() {
        let seq = lib.load(&name).expect("built-in loads");
        let errors: Vec<Finding> = lint(&LintInput {
            sequence: &seq,
            custom_fields: &BTreeSet::new(),
        })
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
        assert_eq!(errors, Vec::<Finding>::new(), "{name}");
    }
}

#[test]
fn a_re_engagement_sequence_may_run_long() {
    let long = [("good.toml", "day = 9", "day = 30")];
    let cold = config_with(&long);
    assert!(findings(&cold, &[]).iter().any(|f| f.rule == "too-long"));
    let dir = config_with(&[
        ("good.toml", "day = 9", "day = 30"),
        (
            "good.toml",
            "trigger = \"custom\"",
            "trigger = \"re-engagement\"",
        ),
    ]);
    assert!(!findings(&dir, &[]).iter().any(|f| f.rule == "too-long"));
}

#[test]
fn a_waiver_in_the_sequence_file_shows_the_reason_instead_of_the_warning() {
    let dir = config_with(&[
        (
            "good.toml",
            "purpose = \"breakup\"",
            "purpose = \"last-try\"",
        ),
        (
            "good.toml",
            "[[steps]]",
            "[lint]\nallow = [\"no-breakup\"]\nreason = \"ends on an open offer by design\"\n\n[[steps]]",
        ),
    ]);
    let found = findings(&dir, &[]);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].severity, Severity::Waived);
    assert!(
        found[0]
            .message
            .contains("no-breakup: ends on an open offer by design"),
        "{}",
        found[0]
    );
    // A waiver naming no rule is a mistake in the file, located.
    let bad = config_with(&[(
        "good.toml",
        "[[steps]]",
        "[lint]\nallow = [\"no-brekup\"]\n\n[[steps]]",
    )]);
    match Library::new(Some(bad.path())).load("good") {
        Err(LoadError::Invalid(at)) => {
            assert!(
                at.message.contains("no lint rule is called 'no-brekup'"),
                "{}",
                at.message
            );
            assert_eq!(at.line, 5);
        }
        other => panic!("expected a located error, got {other:?}"),
    }
}

#[test]
fn a_template_path_that_leaves_templates_is_a_located_error() {
    let absolute = config_with(&[("good.toml", "\"good/opener.md\"", "\"/etc/passwd\"")]);
    let parent = config_with(&[("good.toml", "\"good/opener.md\"", "\"../../etc/passwd\"")]);
    let linked = config_with(&[("good.toml", "\"good/opener.md\"", "\"good/link.md\"")]);
    std::os::unix::fs::symlink("/etc/passwd", linked.path().join("templates/good/link.md"))
        .expect("link");
    for (dir, says) in [
        (&absolute, "'/etc/passwd' is outside templates/"),
        (&parent, "'../../etc/passwd' is outside templates/"),
        (
            &linked,
            "'good/link.md' links to /etc/passwd, outside templates/",
        ),
    ] {
        match Library::new(Some(dir.path())).load("good") {
            Err(LoadError::Invalid(at)) => {
                assert!(at.file.ends_with("sequences/good.toml"), "{at}");
                assert_eq!(at.line, 8, "{at}");
                assert!(at.message.contains(says), "{at}");
            }
            other => panic!("expected a located error, got {other:?}"),
        }
    }
}

#[test]
fn a_runaway_template_is_an_error_at_lint_not_a_hang() {
    let nested =
        "{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}";
    let dir = config_with(&[("good/breakup.md", "Thanks for reading,", nested)]);
    // A hang would never return from here at all.
    let found = findings(&dir, &[]);
    let errors: Vec<String> = found
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.message.clone())
        .collect();
    assert!(
        errors.iter().any(|m| m.contains("ran out of fuel")),
        "{errors:?}"
    );
    let huge = "{{ \"x\" * 100000 }}{{ \"x\" * 100000 }}{{ \"x\" * 100000 }}";
    let dir = config_with(&[("good/breakup.md", "Thanks for reading,", huge)]);
    let errors: Vec<String> = findings(&dir, &[])
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.message.clone())
        .collect();
    assert!(
        errors.iter().any(|m| m.contains("no message is that long")),
        "{errors:?}"
    );
}

#[test]
fn a_sequence_of_more_than_a_hundred_steps_is_a_located_error() {
    let step = "\n[[steps]]\nday = 30\nchannel = \"call\"\npurpose = \"call\"\n";
    let dir = config_with(&[]);
    let path = dir.path().join("sequences/good.toml");
    let mut text = std::fs::read_to_string(&path).expect("read");
    let before = text.lines().count();
    text.push_str(&step.repeat(101));
    std::fs::write(&path, text).expect("write");
    match Library::new(Some(dir.path())).load("good") {
        Err(LoadError::Invalid(at)) => {
            assert!(at.message.contains("at most 100 steps"), "{at}");
            // The good fixture has 4 steps: the 101st is the 97th added.
            assert_eq!(at.line, before + 96 * 5 + 2, "{at}");
        }
        other => panic!("expected a located error, got {other:?}"),
    }
}
