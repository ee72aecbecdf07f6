//! The rollups the stats read are kept by triggers on every write: after random work, replies,
//! opt-outs and undos on a demo database they must agree with a count over the raw log, and
//! so must the rollups the migration builds from an existing log.

use chrono::{Days, NaiveDateTime};
use touchbase::config::Config;
use touchbase::content::Library;
use touchbase::content::Rendered;
use touchbase::desk::{Desk, DeskError, Happened, LogRequest, NextStep, Refused};
use touchbase::domain::{Channel, Event, Outcome};
use touchbase::stats::Filter;

/// SplitMix64: the same random run every time.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % n
    }
}

fn open(path: &std::path::Path) -> Desk {
    let config = Config {
        max_touches_per_day: Some(u32::MAX),
        ..Config::default()
    };
    Desk::open(path, Library::new(None), config).expect("open")
}

fn filters(path: &std::path::Path) -> Vec<Filter> {
    let busiest: String = rusqlite::Connection::open(path)
        .expect("raw open")
        .query_row(
            "SELECT e.sequence FROM touches t JOIN enrollments e ON e.id = t.enrollment_id \
             GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("a sequence");
    vec![
        Filter::default(),
        Filter {
            sequence: None,
            since: Some("2026-11-20T00:00:00".parse().expect("time")),
        },
        Filter {
            sequence: Some(busiest.clone()),
            since: None,
        },
        Filter {
            sequence: Some(busiest),
            since: Some("2026-09-01T00:00:00".parse().expect("time")),
        },
    ]
}

fn assert_agree(desk: &Desk, path: &std::path::Path, when: &str) {
    // The header's "done" count per day and channel, against the log itself.
    let conn = rusqlite::Connection::open(path).expect("open");
    let raw: Vec<(String, String, i64)> = conn
        .prepare(
            "SELECT substr(at, 1, 10), coalesce(channel, ''), count(*) FROM touches \
             WHERE is_touch = 1 OR (outcome = 'skipped' AND step IS NOT NULL \
             AND coalesce(reason, '') NOT LIKE 'skipped automatically%') GROUP BY 1, 2",
        )
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect()
        })
        .expect("raw counts");
    assert!(!raw.is_empty(), "{when}: nothing worked");
    let mut by_day: std::collections::BTreeMap<String, i64> = Default::default();
    for (day, channel, n) in &raw {
        *by_day.entry(day.clone()).or_default() += n;
        let date: chrono::NaiveDate = day.parse().expect("day");
        if let Ok(ch) = channel.parse::<Channel>() {
            let got = desk.worked_by_channel(date).expect("by channel");
            assert!(
                got.contains(&(ch, *n)),
                "{when}: {day} {channel}: {got:?} lacks {n}"
            );
        }
    }
    for (day, n) in by_day {
        let date: chrono::NaiveDate = day.parse().expect("day");
        assert_eq!(
            desk.worked_on(date).expect("done"),
            n,
            "{when}: done on {day}"
        );
    }
    // The Sequences view's active / paused / finished, against the enrollments themselves.
    let raw: Vec<(String, [i64; 3])> = conn
        .prepare(
            "SELECT sequence, sum(status = 'active'), sum(status = 'paused'), \
             sum(status NOT IN ('active', 'paused')) FROM enrollments GROUP BY sequence",
        )
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(0)?, [r.get(1)?, r.get(2)?, r.get(3)?])))?
                .collect()
        })
        .expect("raw people");
    let mut people = desk.sequence_people().expect("people");
    people.sort();
    assert_eq!(people, raw, "{when}: people per sequence");
    for f in filters(path) {
        let fast = desk.stats(&f).expect("stats");
        let slow = desk.stats_from_log(&f).expect("reference");
        assert_eq!(
            fast.calls_by_hour, slow.calls_by_hour,
            "{when}, filter {f:?}"
        );
        assert_eq!(
            fast.calls_by_weekday, slow.calls_by_weekday,
            "{when}, filter {f:?}"
        );
        assert_eq!(fast, slow, "{when}, filter {f:?}");
        assert!(fast.totals.touches > 0, "{when}: nothing counted for {f:?}");
    }
}

/// An event a rep could log on this touch, chosen at random.
fn event(rng: &mut Rng, channel: Channel) -> Event {
    match rng.below(10) {
        0 => Event::Replied,
        1 => Event::Meeting,
        2 => Event::OptedOut,
        _ => Event::Work(match channel {
            Channel::Email => {
                [Outcome::Sent, Outcome::Sent, Outcome::Bounced][rng.below(3) as usize]
            }
            Channel::Call => Outcome::CALL[rng.below(Outcome::CALL.len() as u64) as usize],
            _ => Outcome::Done,
        }),
    }
}

/// A demo book of `prospects` built on Monday 23 November 2026, 10:00.
fn demo_book(prospects: usize) -> (tempfile::TempDir, std::path::PathBuf, NaiveDateTime) {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("demo.db");
    let now: NaiveDateTime = "2026-11-23T10:00:00".parse().expect("time");
    touchbase::demo::build(&path, prospects, now).expect("demo");
    (dir, path, now)
}

#[test]
fn rollups_agree_with_the_log_through_work_and_undo() {
    let (_dir, path, now) = demo_book(300);
    let mut desk = open(&path);
    assert_agree(&desk, &path, "after the demo's bulk write");

    let mut rng = Rng(0x70C4);
    let (mut logged, mut undone) = (0, 0);
    let (mut after_reply, mut undone_after_reply) = (0, 0);
    for day in 0..10 {
        let today = now + Days::new(day);
        for item in desk.queue(today).expect("queue") {
            let id = item.prospect.id;
            let e = event(&mut rng, item.channel());
            let req = LogRequest::new(id, item.enrollment.touch(), Happened::from(e.clone()));
            let logged_now = match desk.log(req.clone(), today) {
                // A touch with a gap goes out as the rep rewrote it.
                Err(DeskError::Refused(Refused::NotReady(_))) => {
                    let text = Rendered {
                        subject: Some("A short note".into()),
                        body: "Written by hand for this one.".into(),
                        ..Rendered::default()
                    };
                    let Happened::Worked { outcome, .. } = req.happened else {
                        panic!("only a worked touch is refused as not ready: {req:?}");
                    };
                    let happened = Happened::Worked {
                        outcome,
                        text: Some(text),
                    };
                    desk.log(LogRequest { happened, ..req }, today)
                }
                other => other,
            };
            if logged_now.is_err() {
                continue;
            }
            logged += 1;
            // A late meeting on a reply, credited to the same step.
            if e == Event::Replied && rng.below(4) != 0 {
                desk.log_current(id, Event::Meeting, None, today + Days::new(1))
                    .expect("meeting after a reply");
                // Held, and sometimes won: the funnel after the reply.
                {
                    let key = id.to_string();
                    desk.next_step(&key, &NextStep::Held, today + Days::new(1))
                        .expect("held");
                    if rng.below(2) == 0 {
                        let won = NextStep::Closed {
                            won: true,
                            reason: "signed".into(),
                        };
                        desk.next_step(&key, &won, today + Days::new(2))
                            .expect("won");
                    }
                    after_reply += 1;
                    // Every other one taken back: the counts follow the undo.
                    if after_reply % 2 == 0 {
                        desk.undo(today).expect("undo after the reply");
                        undone_after_reply += 1;
                    }
                }
            }
            if rng.below(5) == 0 {
                desk.undo(today).expect("undo");
                undone += 1;
            }
        }
        assert_agree(&desk, &path, &format!("day {day}"));
    }
    // Enough work to mean something (a reply pauses the colleagues at its account, so
    // fewer touches stay due than prospects).
    assert!(
        logged > 50 && undone > 5,
        "{logged} logged, {undone} undone"
    );
    assert!(
        after_reply > 3 && undone_after_reply > 0,
        "{after_reply} held, {undone_after_reply} of them undone"
    );

    // A prospect moving to another zone takes its calls along. Another connection writing
    // the book defines the triggers' conversion as the store does.
    let raw = rusqlite::Connection::open(&path).expect("raw open");
    touchbase::schema::define_call_slot(&raw, desk.rep_zone()).expect("define");
    raw.execute(
        "UPDATE prospects SET timezone = 'Asia/Tokyo' WHERE id IN \
             (SELECT prospect_id FROM touches WHERE channel = 'call' LIMIT 20)",
        [],
    )
    .expect("move zones");
    assert_agree(&desk, &path, "after zone changes");
}

#[test]
fn the_migration_rolls_up_an_existing_log() {
    let (_dir, path, _) = demo_book(200);
    {
        // Back to a version 3 file: no rollups, no triggers (and none of versions 5 to 15).
        let conn = rusqlite::Connection::open(&path).expect("raw open");
        crate::db::downgrade_to_16(&conn);
        let objects: Vec<(String, String)> = conn
            .prepare(
                "SELECT type, name FROM sqlite_master WHERE name LIKE 'stat\\_%' ESCAPE '\\' \
                 OR name IN ('touches_responses', 'touches_worked') \
                 OR name LIKE 'custom\\_field\\_names%' ESCAPE '\\' \
                 OR name LIKE 'external\\_ids%' ESCAPE '\\' \
                 OR name IN ('prospects_phone_key', 'prospects_name_key', 'action_rows', 'drafts', 'other_addresses') \
                 OR name LIKE 'inbox\\_messages%' ESCAPE '\\' \
                 ORDER BY type = 'table'",
            )
            .and_then(|mut s| {
                s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<Result<_, _>>()
            })
            .expect("schema");
        assert!(objects.len() >= 10, "{objects:?}");
        for (kind, name) in objects {
            conn.execute_batch(&format!("DROP {kind} {name}"))
                .expect("drop");
        }
        for column in ["external_ids", "phone_key", "name_key"] {
            conn.execute_batch(&format!("ALTER TABLE prospects DROP COLUMN {column}"))
                .expect("drop column");
        }
        conn.execute_batch(
            "DROP INDEX touches_complaints; \
             ALTER TABLE enrollments DROP COLUMN last_answerable_step; \
             ALTER TABLE touches DROP COLUMN kind; \
             ALTER TABLE enrollments DROP COLUMN decision_on; \
             ALTER TABLE enrollments DROP COLUMN until; \
             DROP INDEX enrollments_latest; \
             CREATE INDEX enrollments_prospect ON enrollments(prospect_id)",
        )
        .expect("drop versions 7 to 14");
        conn.pragma_update(None, "user_version", 3)
            .expect("version");
    }
    let desk = open(&path);
    assert_agree(&desk, &path, "after migrating a version 3 file");
}

#[test]
fn calls_follow_the_reps_zone_when_it_changes() {
    let (_dir, path, _) = demo_book(300);
    let mut hours = Vec::new();
    for zone in ["America/New_York", "Asia/Kolkata", "America/New_York"] {
        let config = touchbase::config::Config {
            timezone: Some(zone.to_string()),
            ..crate::db::config()
        };
        let desk = Desk::open(&path, touchbase::content::Library::new(None), config)
            .expect("open in the zone");
        let fast = desk.stats(&Filter::default()).expect("stats");
        let slow = desk.stats_from_log(&Filter::default()).expect("reference");
        assert_eq!(fast, slow, "rep in {zone}");
        hours.push(fast.calls_by_hour);
    }
    assert_ne!(hours[0], hours[1], "another zone puts calls in other hours");
    assert_eq!(hours[0], hours[2]);
}

/// A rep with no `timezone` in config.toml works on the system's clock. When that clock's
/// zone changes between runs (a laptop that travels), the calls by hour follow it, as they
/// follow a configured zone.
#[test]
fn calls_follow_the_systems_zone_when_it_changes() {
    let sb = crate::util::Sandbox::new();
    let now = "2026-11-24T09:30";
    sb.cmd(now)
        .env("TZ", "America/New_York")
        .args(["demo", "--no-open", "--db"])
        .arg(sb.db())
        .assert()
        .success();
    let hours = |zone: &str| -> serde_json::Value {
        let out = sb
            .cmd(now)
            .env("TZ", zone)
            .args(["stats", "--json"])
            .assert()
            .success();
        let stats: serde_json::Value =
            serde_json::from_slice(&out.get_output().stdout).expect("json");
        stats["calls_by_hour"].clone()
    };
    let new_york = hours("America/New_York");
    let kolkata = hours("Asia/Kolkata");
    assert_ne!(
        new_york, kolkata,
        "another zone puts the calls in other hours"
    );
    assert_eq!(hours("America/New_York"), new_york);
}
