//! Reply analytics: the definitions on small hand-built logs, the JSON fields, and a
//! simulation whose true per-step reply rates the numbers must recover.

use crate::util::Sandbox;
use chrono::{Days, NaiveDate, NaiveDateTime};
use touchbase::config::Config;
use touchbase::content::{Library, Me};
use touchbase::desk::{Desk, EnrollRequest, NextStep};
use touchbase::domain::{Event, Outcome, Prospect};
use touchbase::stats::{Filter, Stats, StepStats};

fn at(s: &str) -> NaiveDateTime {
    format!("{s}T10:00:00").parse().expect("time")
}

fn desk() -> Desk {
    let config = Config {
        me: Me {
            name: "Sam".into(),
            company: "Relaypoint".into(),
            signature: "Sam".into(),
        },
        // The simulations work thousands of touches a day: no daily cap spreads them out.
        max_touches_per_day: Some(u32::MAX),
        ..Config::default()
    };
    Desk::in_memory(Library::new(None), config).expect("store")
}

fn add(desk: &mut Desk, i: usize, sequence: &str, start: NaiveDateTime) -> i64 {
    let p = Prospect {
        first_name: format!("P{i}"),
        last_name: "Test".into(),
        // Each at a company of their own: one's reply pauses no one else.
        company: Some(format!("Acme {i}")),
        email: Some(format!("p{i}@acme{i}.example")),
        phone: Some(format!("+1 555 01{i:02}")),
        linkedin: Some(format!("https://www.linkedin.com/in/p{i}")),
        ..Prospect::default()
    };
    let req = EnrollRequest {
        sequence: sequence.into(),
        start: None,
        force: false,
    };
    desk.add(p, Some(req), start).expect("add").prospect_id
}

fn log(desk: &mut Desk, id: i64, event: Event, when: &str) {
    desk.log_current(id, event, None, at(when)).expect("log");
}

fn step<'a>(s: &'a Stats, seq: &str, n: usize) -> &'a StepStats {
    s.sequences
        .iter()
        .find(|x| x.sequence == seq)
        .and_then(|x| x.steps.iter().find(|st| st.step == n))
        .unwrap_or_else(|| panic!("{seq} step {n} in {s:#?}"))
}

fn all(desk: &Desk) -> Stats {
    desk.stats(&Filter::default()).expect("stats")
}

#[test]
fn a_reply_after_step_3_counts_for_step_3_only() {
    let mut d = desk();
    let id = add(&mut d, 1, "classic-4", at("2026-11-23"));
    log(&mut d, id, Event::Work(Outcome::Sent), "2026-11-23");
    log(&mut d, id, Event::Work(Outcome::Sent), "2026-11-25");
    log(&mut d, id, Event::Work(Outcome::Sent), "2026-12-02");
    log(&mut d, id, Event::Replied, "2026-12-03");
    let s = all(&d);
    assert_eq!(
        (
            step(&s, "classic-4", 1).replies,
            step(&s, "classic-4", 2).replies
        ),
        (0, 0)
    );
    let third = step(&s, "classic-4", 3);
    assert_eq!(
        (
            third.touches,
            third.replies,
            third.reply_rate,
            third.reply_share
        ),
        (1, 1, 1.0, 1.0)
    );
    assert_eq!(s.totals.replies, 1);
    assert_eq!(
        s.days_to_reply
            .iter()
            .map(|b| (b.value, b.count))
            .collect::<Vec<_>>(),
        vec![(10, 1)]
    );
    assert_eq!(
        s.touches_before_exit
            .iter()
            .map(|b| (b.value, b.count))
            .collect::<Vec<_>>(),
        vec![(3, 1)]
    );
}

#[test]
fn a_connected_call_counts_for_that_call() {
    let mut d = desk();
    let id = add(&mut d, 1, "cold-21", at("2026-11-23"));
    log(&mut d, id, Event::Work(Outcome::Sent), "2026-11-23");
    log(&mut d, id, Event::Work(Outcome::Done), "2026-11-23");
    log(&mut d, id, Event::Work(Outcome::Connected), "2026-11-25");
    let s = all(&d);
    let call = step(&s, "cold-21", 3);
    assert_eq!((call.channel.as_str(), call.replies), ("call", 1));
    assert_eq!(step(&s, "cold-21", 1).replies, 0);
    let calls: u64 = s.calls_by_hour.iter().map(|b| b.connected).sum();
    assert_eq!(calls, 1);
    let email = s
        .channels
        .iter()
        .find(|c| c.channel == "email")
        .expect("email");
    assert_eq!(email.replies, 0);
}

#[test]
fn an_opt_out_is_not_a_reply_and_a_meeting_after_a_reply_is_one_response() {
    let mut d = desk();
    let a = add(&mut d, 1, "classic-4", at("2026-11-23"));
    let b = add(&mut d, 2, "classic-4", at("2026-11-23"));
    for id in [a, b] {
        log(&mut d, id, Event::Work(Outcome::Sent), "2026-11-23");
    }
    log(&mut d, a, Event::OptedOut, "2026-11-24");
    log(&mut d, b, Event::Replied, "2026-11-24");
    log(&mut d, b, Event::Meeting, "2026-11-25");
    let s = all(&d);
    let first = step(&s, "classic-4", 1);
    assert_eq!(
        (
            first.prospects,
            first.replies,
            first.meetings,
            first.opt_outs
        ),
        (2, 1, 1, 1)
    );
    assert_eq!(first.reply_rate, 0.5);
    assert_eq!(
        (s.totals.replies, s.totals.meetings, s.totals.opt_outs),
        (1, 1, 1)
    );
}

#[test]
fn the_period_leaves_older_events_out() {
    let mut d = desk();
    let id = add(&mut d, 1, "classic-4", at("2026-10-01"));
    log(&mut d, id, Event::Work(Outcome::Sent), "2026-10-01");
    log(&mut d, id, Event::Work(Outcome::Sent), "2026-11-23");
    let recent = Filter {
        sequence: None,
        since: Some(at("2026-11-01")),
    };
    let s = d.stats(&recent).expect("stats");
    assert_eq!(s.totals.touches, 1);
    assert_eq!(step(&s, "classic-4", 2).touches, 1);
}

/// A period's responses are the enrollments whose first answer falls in it, each counted
/// with every answer it gave: one who replied before the period and booked a meeting in it
/// is not a new response; one who first answered in it is, with its days to reply. A
/// meeting held counts in the period it first took place in.
#[test]
fn a_period_counts_the_enrollments_that_first_answered_in_it() {
    let mut d = desk();
    let early = add(&mut d, 1, "classic-4", at("2026-10-01"));
    let mid = add(&mut d, 2, "classic-4", at("2026-10-01"));
    let late = add(&mut d, 3, "classic-4", at("2026-11-20"));
    log(&mut d, early, Event::Work(Outcome::Sent), "2026-10-01");
    log(&mut d, early, Event::Replied, "2026-10-05");
    log(&mut d, early, Event::Meeting, "2026-11-24");
    log(&mut d, mid, Event::Work(Outcome::Sent), "2026-10-01");
    log(&mut d, mid, Event::Replied, "2026-10-10");
    log(&mut d, mid, Event::Meeting, "2026-10-11");
    held(&mut d, mid, "2026-10-12");
    log(&mut d, late, Event::Work(Outcome::Sent), "2026-11-20");
    log(&mut d, late, Event::Replied, "2026-11-23");
    log(&mut d, late, Event::Meeting, "2026-11-24");
    held(&mut d, late, "2026-11-25");
    let recent = Filter {
        sequence: None,
        since: Some(at("2026-11-01")),
    };
    let s = d.stats(&recent).expect("stats");
    let t = &s.totals;
    assert_eq!((t.replies, t.meetings, t.held), (1, 1, 1));
    let days: Vec<(i64, u64)> = s.days_to_reply.iter().map(|b| (b.value, b.count)).collect();
    assert_eq!(days, [(3, 1)], "Nov 20 to Nov 23");
    let s = all(&d);
    let t = &s.totals;
    assert_eq!((t.replies, t.meetings, t.held), (3, 3, 2));
    let days: Vec<(i64, u64)> = s.days_to_reply.iter().map(|b| (b.value, b.count)).collect();
    assert_eq!(days, [(3, 1), (4, 1), (9, 1)]);
}

fn held(desk: &mut Desk, id: i64, when: &str) {
    desk.next_step(&id.to_string(), &NextStep::Held, at(when))
        .expect("held");
}

#[test]
fn stats_json_has_the_documented_fields() {
    let sb = Sandbox::new();
    sb.write_me();
    sb.cmd("2026-11-23")
        .args([
            "add",
            "--first",
            "Dana",
            "--email",
            "dana@northwind.example",
            "--company",
            "Northwind",
        ])
        .args(["--sequence", "classic-4"])
        .assert()
        .success();
    sb.cmd("2026-11-23")
        .args(["log", "1", "sent"])
        .assert()
        .success();
    sb.cmd("2026-11-24")
        .args(["log", "1", "replied"])
        .assert()
        .success();
    let out = sb
        .cmd("2026-11-24")
        .args(["stats", "--json"])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("json");
    for key in [
        "sequences",
        "channels",
        "variants",
        "calls_by_hour",
        "calls_by_weekday",
        "days_to_reply",
        "touches_before_exit",
        "totals",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    let s = &v["sequences"][0];
    assert_eq!(s["sequence"], "classic-4");
    let st = &s["steps"][0];
    for key in [
        "step",
        "channel",
        "purpose",
        "touches",
        "prospects",
        "replies",
        "meetings",
        "held",
        "won",
        "opt_outs",
        "bounces",
        "reply_rate",
        "reply_share",
    ] {
        assert!(st.get(key).is_some(), "missing steps[].{key}");
    }
    assert_eq!(st["replies"], 1);
    assert_eq!(st["reply_rate"], 1.0);
}

/// SplitMix64: a tiny fixed-seed generator, so the simulation is the same on every run.
struct Rng(u64);

impl Rng {
    fn next_f64(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Works every due touch of 2,000 prospects through the real engine and store, replying at
/// a known rate after each step, and checks the stats recover those rates.
#[test]
fn the_stats_recover_known_reply_rates() {
    const TRUE_RATES: [f64; 4] = [0.04, 0.03, 0.06, 0.10];
    const PROSPECTS: usize = 2000;
    let mut d = desk();
    let start: NaiveDate = "2026-09-01".parse().expect("date");
    for i in 0..PROSPECTS {
        add(
            &mut d,
            i,
            "classic-4",
            start.and_hms_opt(9, 0, 0).expect("time"),
        );
    }
    let mut rng = Rng(0x5EED);
    for day in 0..40 {
        let now = (start + Days::new(day))
            .and_hms_opt(10, 0, 0)
            .expect("time");
        for item in d.queue(now).expect("queue") {
            let step = item.enrollment.step;
            d.log_current(item.prospect.id, Event::Work(Outcome::Sent), None, now)
                .expect("sent");
            if rng.next_f64() < TRUE_RATES[step] {
                d.log_current(item.prospect.id, Event::Replied, None, now)
                    .expect("replied");
            }
        }
    }
    let s = all(&d);
    for (i, truth) in TRUE_RATES.iter().enumerate() {
        let st = step(&s, "classic-4", i + 1);
        // Each step's rate is a binomial proportion over the prospects who got the step; four
        // standard errors make a false alarm rarer than 1 in 10,000 (and the seed is fixed).
        let n = st.prospects as f64;
        let tolerance = 4.0 * (truth * (1.0 - truth) / n).sqrt();
        assert!(
            (st.reply_rate - truth).abs() <= tolerance,
            "step {}: measured {:.4} vs true {truth} (±{tolerance:.4}, n = {n})",
            i + 1,
            st.reply_rate
        );
        assert!(
            st.prospects > 1500,
            "step {} reached {} prospects",
            i + 1,
            st.prospects
        );
    }
    // Every reply is credited to exactly one step.
    let credited: u64 = s.sequences[0].steps.iter().map(|st| st.replies).sum();
    assert_eq!(credited, s.totals.replies);
}

#[test]
fn a_reply_after_a_same_day_profile_view_is_credited_to_the_email() {
    let mut d = desk();
    let id = add(&mut d, 1, "cold-21", at("2026-11-23"));
    // Day 1: the opener, then the LinkedIn profile view the same day.
    log(&mut d, id, Event::Work(Outcome::Sent), "2026-11-23");
    log(&mut d, id, Event::Work(Outcome::Done), "2026-11-23");
    log(&mut d, id, Event::Replied, "2026-11-24");
    let s = all(&d);
    assert_eq!(step(&s, "cold-21", 1).replies, 1, "the email produced it");
    assert_eq!(
        step(&s, "cold-21", 2).replies,
        0,
        "a view leaves nothing to answer"
    );
}

#[test]
fn the_rep_moves_the_credit_to_a_worked_step_and_undo_takes_it_back() {
    use touchbase::desk::{Happened, LogRequest, ReplyDetails};
    let mut d = desk();
    let id = add(&mut d, 1, "classic-4", at("2026-11-23"));
    log(&mut d, id, Event::Work(Outcome::Sent), "2026-11-23");
    log(&mut d, id, Event::Work(Outcome::Sent), "2026-11-25");
    let reply = |credit: usize| {
        let replied = Happened::Replied {
            details: ReplyDetails::default(),
            credit: Some(credit),
        };
        LogRequest::new(id, None, replied)
    };
    // Step 3 was never worked: nothing to credit, nothing logged.
    let refused = d
        .log(reply(3), at("2026-11-26"))
        .expect_err("unworked step");
    assert!(
        format!("{refused:#}").contains("never worked"),
        "{refused:#}"
    );
    assert_eq!(all(&d).totals.replies, 0);
    // "She answered the opener": credited to step 1, though step 2 went out since.
    let logged = d.log(reply(1), at("2026-11-26")).expect("reply");
    assert!(
        logged.message.contains("credited to step 1/4"),
        "{}",
        logged.message
    );
    let s = all(&d);
    assert_eq!(
        (
            step(&s, "classic-4", 1).replies,
            step(&s, "classic-4", 2).replies
        ),
        (1, 0)
    );
    d.undo(at("2026-11-26")).expect("undo");
    let s = all(&d);
    assert_eq!(s.totals.replies, 0, "undo took the reply back");
    // Without --credit, the last step the prospect could answer: the bump.
    log(&mut d, id, Event::Replied, "2026-11-26");
    assert_eq!(step(&all(&d), "classic-4", 2).replies, 1);
}

#[test]
fn a_spam_complaint_is_an_opt_out_counted_apart() {
    let mut d = desk();
    let a = add(&mut d, 1, "classic-4", at("2026-11-23"));
    let b = add(&mut d, 2, "classic-4", at("2026-11-23"));
    log(&mut d, a, Event::Work(Outcome::Sent), "2026-11-23");
    log(&mut d, b, Event::Work(Outcome::Sent), "2026-11-23");
    log(&mut d, a, Event::OptedOut, "2026-11-24");
    log(&mut d, b, Event::Complained, "2026-11-24");
    let s = all(&d);
    assert_eq!((s.totals.opt_outs, s.totals.complaints), (1, 1));
    let first = step(&s, "classic-4", 1);
    assert_eq!((first.opt_outs, first.complaints), (1, 1));
    assert_eq!(
        s,
        d.stats_from_log(&Filter::default()).expect("log"),
        "rollups and log agree"
    );
    // Both are on the do-not-contact list: neither can be enrolled again.
    for id in [a, b] {
        let again = d.enroll(
            &id.to_string(),
            &EnrollRequest {
                sequence: "cold-7".into(),
                start: None,
                force: true,
            },
            at("2026-12-30"),
        );
        assert!(again.is_err(), "prospect {id} was enrolled again");
    }
}

#[test]
fn replies_are_counted_by_kind_and_the_positive_rate_beside_the_raw_one() {
    use touchbase::desk::{Happened, LogRequest, ReplyDetails};
    use touchbase::domain::ReplyKind;
    let mut d = desk();
    let kinds = [
        Some(ReplyKind::Positive),
        Some(ReplyKind::Objection),
        Some(ReplyKind::Positive),
        None,
    ];
    for (i, kind) in kinds.iter().enumerate() {
        let id = add(&mut d, i, "classic-4", at("2026-11-23"));
        log(&mut d, id, Event::Work(Outcome::Sent), "2026-11-23");
        let replied = Happened::Replied {
            details: ReplyDetails {
                kind: *kind,
                ..ReplyDetails::default()
            },
            credit: None,
        };
        let req = LogRequest::new(id, None, replied);
        d.log(req, at("2026-11-24")).expect("reply");
    }
    // A fifth got the opener and did not answer.
    let silent = add(&mut d, 9, "classic-4", at("2026-11-23"));
    log(&mut d, silent, Event::Work(Outcome::Sent), "2026-11-23");
    let s = all(&d);
    let first = step(&s, "classic-4", 1);
    assert_eq!((first.prospects, first.replies), (5, 4));
    assert_eq!(first.reply_rate, 0.8);
    assert_eq!(first.positive_rate, 0.4);
    let by_kind: Vec<(&str, u64)> = first
        .replies_by_kind
        .iter()
        .map(|(k, n)| (k.as_str(), *n))
        .collect();
    assert_eq!(by_kind, [("objection", 1), ("positive", 2), ("unsaid", 1)]);
    assert_eq!(s.totals.replies_by_kind, first.replies_by_kind);
    assert_eq!(
        s,
        d.stats_from_log(&Filter::default()).expect("log"),
        "rollups and log agree"
    );
}

#[test]
fn the_header_totals_are_the_rows_plus_what_came_before_any_touch() {
    let mut d = desk();
    // One answered the opener; another booked a meeting before anything went out.
    let a = add(&mut d, 1, "classic-4", at("2026-11-23"));
    log(&mut d, a, Event::Work(Outcome::Sent), "2026-11-23");
    log(&mut d, a, Event::Replied, "2026-11-24");
    let b = add(&mut d, 2, "classic-4", at("2026-11-23"));
    log(&mut d, b, Event::Meeting, "2026-11-23");
    let s = all(&d);
    let seq = s
        .sequences
        .iter()
        .find(|q| q.sequence == "classic-4")
        .expect("seq");
    let in_rows: u64 = seq.steps.iter().map(|st| st.replies).sum();
    assert_eq!((in_rows, seq.replies_before_any_touch), (1, 1));
    assert_eq!(seq.replies, in_rows + seq.replies_before_any_touch);
    assert_eq!(s.totals.replies, seq.replies);
    let mut table = Vec::new();
    touchbase::stats::write_table(&mut table, &s).expect("table");
    let table = String::from_utf8(table).expect("utf-8");
    assert!(
        table.contains("before any touch: 1 reply (1 meeting), credited to no step"),
        "{table}"
    );
}

#[test]
fn a_channel_rate_divides_by_the_people_who_got_it_not_by_touches() {
    let mut d = desk();
    // Two prospects, two emails each; one answers the second.
    let a = add(&mut d, 1, "classic-4", at("2026-11-23"));
    let b = add(&mut d, 2, "classic-4", at("2026-11-23"));
    for id in [a, b] {
        log(&mut d, id, Event::Work(Outcome::Sent), "2026-11-23");
        log(&mut d, id, Event::Work(Outcome::Sent), "2026-11-25");
    }
    log(&mut d, a, Event::Replied, "2026-11-26");
    let s = all(&d);
    let email = s
        .channels
        .iter()
        .find(|c| c.channel == "email")
        .expect("email");
    assert_eq!((email.touches, email.prospects, email.replies), (4, 2, 1));
    assert_eq!(email.reply_rate, 0.5);
    assert_eq!(
        s,
        d.stats_from_log(&Filter::default()).expect("log"),
        "rollups and log agree"
    );
    // Undo the reply and the last email: the count stays with the people.
    d.undo(at("2026-11-26")).expect("undo");
    d.undo(at("2026-11-26")).expect("undo");
    let s = all(&d);
    let email = s
        .channels
        .iter()
        .find(|c| c.channel == "email")
        .expect("email");
    assert_eq!((email.touches, email.prospects), (3, 2));
    assert_eq!(s, d.stats_from_log(&Filter::default()).expect("log"));
}
