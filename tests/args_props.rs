//! Every numeric option and date the command line takes, fed any value: the binary answers
//! with its work or one `error:` line, and never panics.

use crate::util::Sandbox;
use proptest::prelude::*;

/// (arguments before the value, the option taking it) for every number and date.
const SLOTS: &[(&[&str], &str)] = &[
    (&["demo", "--no-open"], "--prospects"),
    (&["import", "missing.csv", "--dry-run"], "--per-day"),
    (&["import", "missing.csv", "--dry-run"], "--start"),
    (&["log", "1", "sent"], "--step"),
    (&["log", "1", "replied"], "--credit"),
    (&["log", "1", "snoozed"], "--until"),
    (&["stats"], "--days"),
    (&["stats"], "--since"),
    (&["export", "ics"], "--days"),
    (&["screen"], "--width"),
    (&["screen"], "--height"),
    (&["enroll", "1", "cold-7"], "--start"),
    (&["enroll", "1", "proposal"], "--decision"),
    (&["vacation", "--from", "2026-11-24"], "--to"),
    (&["due"], "--now"),
];

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        (0u64..20).prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| format!("{n}0")),
        (0i32..100_000, 1u32..13, 1u32..32).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        (-5000i32..5000).prop_map(|y| format!("{y}-01-01T09:00")),
        "[a-z0-9:.-]{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_number_or_date_is_work_or_one_error(slot in 0..SLOTS.len(), v in value()) {
        let sb = Sandbox::new();
        sb.add_dana("2026-11-23T09:00", "cold-7");
        let (before, option) = SLOTS[slot];
        let out = sb
            .cmd("2026-11-23T10:00")
            .args(before)
            .arg(format!("{option}={v}"))
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        prop_assert!(!stderr.contains("panicked"), "{option}={v}: {stderr}");
        let code = out.status.code();
        prop_assert!(matches!(code, Some(0..=2)), "{option}={v}: {code:?} {stderr}");
        if code != Some(0) {
            let first = stderr.lines().find(|l| !l.starts_with("warning:")).unwrap_or("");
            prop_assert!(first.starts_with("error: "), "{option}={v}: {stderr}");
        }
    }
}
