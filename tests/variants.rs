//! A/B variants: each enrollment gets one variant per step, balanced and deterministic, and
//! the variant is frozen on the touch.

use chrono::NaiveDateTime;
use proptest::prelude::*;
use std::collections::BTreeMap;
use touchbase::config::Config;
use touchbase::content::Library;
use touchbase::desk::{Desk, EnrollRequest};
use touchbase::domain::{Event, Outcome, Prospect};

const SEQUENCE: &str = r#"
title = "Opener A/B test"
[[steps]]
day = 1
channel = "email"
purpose = "opener"
variants = ["ab/a.md", "ab/b.md", "ab/c.md"]
[[steps]]
day = 3
channel = "email"
purpose = "breakup"
template = "ab/breakup.md"
"#;

fn now() -> NaiveDateTime {
    "2026-11-23T09:00:00".parse().expect("time")
}

fn desk() -> (tempfile::TempDir, Desk) {
    let dir = tempfile::tempdir().expect("dir");
    let cfg = dir.path().join("config");
    std::fs::create_dir_all(cfg.join("sequences")).expect("dir");
    std::fs::create_dir_all(cfg.join("templates/ab")).expect("dir");
    std::fs::write(cfg.join("sequences/ab.toml"), SEQUENCE).expect("write");
    for v in ["a", "b", "c", "breakup"] {
        std::fs::write(
            cfg.join(format!("templates/ab/{v}.md")),
            format!("+++\nsubject = \"Variant {v}\"\n+++\nHi {{{{ first_name }}}}, this is {v}.\n"),
        )
        .expect("write");
    }
    let desk = Desk::open(
        &dir.path().join("t.db"),
        Library::new(Some(&cfg)),
        Config::default(),
    )
    .expect("desk");
    (dir, desk)
}

fn add(desk: &mut Desk, i: usize) -> i64 {
    let p = Prospect {
        first_name: format!("P{i}"),
        email: Some(format!("p{i}@co{i}.example")),
        ..Prospect::default()
    };
    let req = EnrollRequest {
        sequence: "ab".into(),
        start: None,
        force: false,
    };
    desk.add(p, Some(req), now()).expect("add").prospect_id
}

/// How many open or closed enrollments use each variant of step 1.
fn variant_counts(desk: &Desk) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    let ids: Vec<i64> = desk
        .search("", usize::MAX)
        .expect("every prospect")
        .iter()
        .map(|p| p.id)
        .collect();
    for id in ids {
        for (e, _) in desk
            .enrollments(id)
            .map(|v| {
                v.into_iter()
                    .map(|i| (i.enrollment, i.sequence_name))
                    .collect::<Vec<_>>()
            })
            .expect("enrollments")
        {
            let seq = desk.version(e.version_id).expect("version");
            let mut first = e.clone();
            first.step = 0;
            let v = Desk::variant_of(&first, &seq).expect("variant");
            *counts.entry(v).or_insert(0) += 1;
        }
    }
    counts
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Whatever mix of enrollments and undos happens, no variant is ahead by more than one.
    #[test]
    fn variants_stay_balanced(ops in proptest::collection::vec(any::<bool>(), 1..40)) {
        let (_dir, mut desk) = desk();
        let mut next = 0;
        for enroll in ops {
            if enroll {
                add(&mut desk, next);
                next += 1;
            } else {
                desk.undo(now()).expect("undo");
            }
            let counts = variant_counts(&desk);
            let max = counts.values().max().copied().unwrap_or(0);
            let min = if counts.len() < 3 { 0 } else { counts.values().min().copied().unwrap_or(0) };
            prop_assert!(max - min <= 1, "unbalanced: {:?}", counts);
        }
    }
}

#[test]
fn the_same_enrollment_always_gets_the_same_variant_and_it_is_frozen() {
    let (_dir, mut desk) = desk();
    let ids: Vec<i64> = (0..6).map(|i| add(&mut desk, i)).collect();
    let queue = desk.queue(now()).expect("queue");
    let first_render: Vec<String> = queue
        .iter()
        .map(|q| {
            desk.render_current(&q.prospect, &q.enrollment, &q.sequence)
                .expect("render")
                .body
        })
        .collect();
    // Rendering again gives the same variant.
    for (q, body) in queue.iter().zip(&first_render) {
        let again = desk
            .render_current(&q.prospect, &q.enrollment, &q.sequence)
            .expect("render");
        assert_eq!(&again.body, body);
    }
    let letters: std::collections::BTreeMap<&str, usize> =
        first_render.iter().fold(BTreeMap::new(), |mut m, b| {
            *m.entry(b.trim_end_matches('.').rsplit(' ').next().unwrap_or(""))
                .or_insert(0) += 1;
            m
        });
    assert_eq!(
        letters,
        BTreeMap::from([("a", 2), ("b", 2), ("c", 2)]),
        "six enrollments use each of three variants twice"
    );
    for id in &ids {
        desk.log_current(*id, Event::Work(Outcome::Sent), None, now())
            .expect("log");
    }
    for (q, body) in queue.iter().zip(&first_render) {
        let history = desk
            .history(q.prospect.id)
            .map(|h| h.into_iter().map(|l| l.row).collect::<Vec<_>>())
            .expect("history");
        let sent = history.iter().find(|h| h.is_touch).expect("a touch");
        assert_eq!(sent.body.as_ref(), Some(body));
        let letter = body
            .trim_end_matches('.')
            .rsplit(' ')
            .next()
            .expect("letter");
        assert_eq!(
            sent.variant.as_deref(),
            Some(format!("ab/{letter}.md").as_str())
        );
    }
}
