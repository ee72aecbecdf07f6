//! Undo is an exact inverse: random rep actions through the desk on a database file, then
//! undone one by one, must give back every table exactly as it was at each level. A refused
//! action must change nothing at all.

use crate::db::{assert_same, dump_file, open, t};
use chrono::{Days, NaiveDate, NaiveDateTime};
use proptest::prelude::*;
use std::collections::BTreeMap;
use touchbase::desk::{Desk, EnrollRequest};
use touchbase::domain::{Event, Outcome, Prospect};
use touchbase::import::ImportOptions;

const SEQUENCES: [&str; 7] = [
    "classic-4",
    "cold-21",
    "cold-7",
    "post-demo",
    "inbound",
    "rule-333",
    "rule-222",
];

#[derive(Debug, Clone)]
enum Action {
    Log {
        who: usize,
        outcome: usize,
        until: u64,
    },
    Enroll {
        who: usize,
        sequence: usize,
        force: bool,
    },
    Add {
        who: usize,
        sequence: Option<usize>,
    },
    Import {
        who: Vec<usize>,
        sequence: Option<usize>,
    },
    TimeOff {
        from: u64,
        days: u64,
    },
    /// A reply of some kind, maybe credited to a named step.
    Reply {
        who: usize,
        kind: usize,
        credit: Option<usize>,
        back_in: u64,
    },
    /// What comes next in a conversation: answered, held, no-show, moved, cancelled, closed.
    Next {
        who: usize,
        step: usize,
    },
    /// The whole domain of someone asks to stop.
    BlockDomain {
        who: usize,
    },
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        8 => (0usize..6, 0..Outcome::ALL.len(), 1u64..12)
            .prop_map(|(who, outcome, until)| Action::Log { who, outcome, until }),
        2 => (0usize..6, 0..SEQUENCES.len(), any::<bool>())
            .prop_map(|(who, sequence, force)| Action::Enroll { who, sequence, force }),
        1 => (0usize..8, prop::option::of(0..SEQUENCES.len()))
            .prop_map(|(who, sequence)| Action::Add { who, sequence }),
        1 => (prop::collection::vec(0usize..8, 1..4), prop::option::of(0..SEQUENCES.len()))
            .prop_map(|(who, sequence)| Action::Import { who, sequence }),
        1 => (0u64..10, 0u64..4).prop_map(|(from, days)| Action::TimeOff { from, days }),
        2 => (0usize..6, 0usize..7, prop::option::of(1usize..4), 2u64..40)
            .prop_map(|(who, kind, credit, back_in)| Action::Reply { who, kind, credit, back_in }),
        2 => (0usize..6, 0usize..6).prop_map(|(who, step)| Action::Next { who, step }),
        1 => (0usize..6).prop_map(|who| Action::BlockDomain { who }),
    ]
}

/// Person `i`: some with every contact point, some with only a few.
fn person(i: usize) -> Prospect {
    Prospect {
        first_name: format!("P{i}"),
        last_name: "Test".into(),
        email: (i % 4 != 3).then(|| format!("p{i}@acme.example")),
        phone: (i % 3 != 2).then(|| format!("+1 415 555 01{i:02}")),
        linkedin: (i % 2 == 0).then(|| format!("https://www.linkedin.com/in/p{i}")),
        company: Some("Acme".into()),
        ..Prospect::default()
    }
}

fn id_of(desk: &Desk, who: usize) -> Option<i64> {
    let name = format!("P{who}");
    desk.search(&name, usize::MAX)
        .ok()?
        .into_iter()
        .find(|p| p.first_name == name)
        .map(|p| p.id)
}

fn csv_for(who: &[usize]) -> String {
    let mut s = String::from("first_name,last_name,email,phone,linkedin,company\n");
    for i in who {
        let p = person(*i);
        let o = |v: Option<String>| v.unwrap_or_default();
        s.push_str(&format!(
            "{},{},{},{},{},Acme Ltd\n",
            p.first_name,
            p.last_name,
            o(p.email),
            o(p.phone),
            o(p.linkedin)
        ));
    }
    s
}

/// Runs one action; `Ok(true)` when it went through, `Ok(false)` when it was refused.
fn run(desk: &mut Desk, a: &Action, now: NaiveDateTime, dir: &std::path::Path) -> bool {
    let today = now.date();
    let req = |sequence: usize, force: bool| EnrollRequest {
        sequence: SEQUENCES[sequence].into(),
        start: None,
        force,
    };
    match a {
        Action::Log {
            who,
            outcome,
            until,
        } => {
            let Some(id) = id_of(desk, *who) else {
                return false;
            };
            let outcome = Outcome::ALL[*outcome];
            let until = (matches!(outcome, Outcome::Snoozed | Outcome::Paused))
                .then(|| today + Days::new(*until));
            let Ok(event) = Event::from_outcome(outcome, Some("because".into()), until) else {
                return false;
            };
            desk.log_current(id, event, Some("a note".into()), now)
                .is_ok()
        }
        Action::Reply {
            who,
            kind,
            credit,
            back_in,
        } => {
            use touchbase::desk::{Happened, LogRequest, ReplyDetails, parse_referral};
            use touchbase::domain::ReplyKind;
            let Some(id) = id_of(desk, *who) else {
                return false;
            };
            let kind = ReplyKind::ALL.get(*kind).copied();
            let reply = ReplyDetails {
                kind,
                back_on: (kind == Some(ReplyKind::NotNow)).then(|| today + Days::new(*back_in)),
                referral: (kind == Some(ReplyKind::Referral))
                    .then(|| parse_referral(&format!("Ref {who} <ref{who}@x.example>")).ok())
                    .flatten(),
            };
            let replied = Happened::Replied {
                details: reply,
                credit: *credit,
            };
            let req = LogRequest::new(id, None, replied);
            desk.log(req, now).is_ok()
        }
        Action::Enroll {
            who,
            sequence,
            force,
        } => desk
            .enroll(&format!("P{who}"), &req(*sequence, *force), now)
            .or_else(|_| match id_of(desk, *who) {
                Some(id) => desk.enroll(&id.to_string(), &req(*sequence, *force), now),
                None => Err(anyhow::anyhow!("nobody").into()),
            })
            .is_ok(),
        Action::Add { who, sequence } => desk
            .add(person(*who), sequence.map(|s| req(s, false)), now)
            .is_ok(),
        Action::Import { who, sequence } => {
            let path = dir.join("import.csv");
            std::fs::write(&path, csv_for(who)).expect("write csv");
            let opts = ImportOptions {
                sequence: sequence.map(|s| SEQUENCES[s].to_string()),
                per_day: Some(2),
                ..ImportOptions::default()
            };
            desk.import(&path, &opts, now).is_ok()
        }
        Action::TimeOff { from, days } => {
            let first = today + Days::new(*from);
            desk.vacation(first, first + Days::new(*days), now).is_ok()
        }
        Action::Next { who, step } => {
            use touchbase::desk::NextStep;
            let Some(id) = id_of(desk, *who) else {
                return false;
            };
            let step = match step {
                0 => NextStep::Answered,
                1 => NextStep::Held,
                2 => NextStep::NoShow,
                3 => NextStep::Moved((now + Days::new(2)).and_utc()),
                4 => NextStep::Cancelled,
                _ => NextStep::Closed {
                    won: true,
                    reason: "signed".into(),
                },
            };
            desk.next_step(&id.to_string(), &step, now).is_ok()
        }
        Action::BlockDomain { who } => match id_of(desk, *who) {
            Some(id) => desk.block_domain(&id.to_string(), now).is_ok(),
            None => false,
        },
    }
}

type Dump = BTreeMap<String, Vec<String>>;

/// The dump without the undo journal's rows for undone actions (the journal keeps them, with
/// the time each was undone).
pub fn live(mut d: Dump) -> Dump {
    if let Some(rows) = d.get_mut("actions") {
        rows.retain(|r| r.ends_with("| NULL"));
    }
    d
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn undo_is_an_exact_inverse(actions in prop::collection::vec((action(), 0u64..3), 1..16)) {
        let dir = tempfile::tempdir().expect("dir");
        let db = dir.path().join("t.db");
        let mut desk = open(&db, None);
        let start: NaiveDate = "2026-11-23".parse().expect("date");
        // A starting book: three prospects in three sequences, one worked once.
        for (i, seq) in [(0usize, 1usize), (1, 4), (2, 5)] {
            desk.add(person(i), Some(EnrollRequest {
                sequence: SEQUENCES[seq].into(),
                start: None,
                force: false,
            }), t("2026-11-23")).expect("add");
        }
        let id0 = id_of(&desk, 0).expect("P0");
        desk.log_current(id0, Event::Work(Outcome::Sent), None, t("2026-11-23")).expect("sent");

        let mut levels = vec![live(dump_file(&db))];
        let mut day = start;
        for (a, advance) in &actions {
            day = day + Days::new(*advance);
            let now = day.and_hms_opt(10, 0, 0).expect("time");
            let before = dump_file(&db);
            if run(&mut desk, a, now, dir.path()) {
                levels.push(live(dump_file(&db)));
            } else {
                assert_same(&dump_file(&db), &before, &format!("refused {a:?}"));
            }
        }
        // Undo everything the actions did, newest first, closing and reopening the file
        // half way through.
        let undo_at = (day + Days::new(1)).and_hms_opt(9, 0, 0).expect("time");
        let mut reopened = false;
        while levels.len() > 1 {
            levels.pop();
            if !reopened && levels.len() * 2 <= actions.len() {
                drop(desk);
                desk = open(&db, None);
                reopened = true;
            }
            let said = desk.undo(undo_at).expect("undo");
            prop_assert!(said.starts_with("Undone"), "{}", said);
            let want = levels.last().expect("level");
            assert_same(
                &live(dump_file(&db)),
                want,
                &format!("undo back to level {}", levels.len() - 1),
            );
        }
    }
}
