//! The schedule around the rep's and the prospect's day: holidays, year end, the daily cap,
//! time off and its undo, "why is this due?", and time zones in the queue.

use crate::util::Sandbox;
use serde_json::Value;

fn config(sb: &Sandbox, extra: &str) {
    std::fs::create_dir_all(sb.config_dir()).expect("dir");
    std::fs::write(
        sb.config_dir().join("config.toml"),
        format!("{extra}\n[me]\nname = \"Sam\"\ncompany = \"Relaypoint\"\nsignature = \"Sam\"\n"),
    )
    .expect("config");
}

fn run(sb: &Sandbox, now: &str, args: &[&str]) -> String {
    let out = sb.cmd(now).args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).expect("utf-8")
}

fn add(sb: &Sandbox, now: &str, i: usize, sequence: &str, extra: &[&str]) {
    // Each at a company of their own: the cap per account does not spread them.
    let email = format!("p{i}@acme{i}.example");
    let mut args = vec!["add", "--first", "Pat", "--last", "Doe", "--email", &email];
    args.extend_from_slice(&["--company", "Acme", "--sequence", sequence]);
    args.extend_from_slice(extra);
    run(sb, now, &args);
}

fn due_of(sb: &Sandbox, now: &str, prospect: &str) -> Option<String> {
    let v: Value =
        serde_json::from_str(&run(sb, now, &["show", prospect, "--json"])).expect("json");
    v["enrollments"]
        .as_array()
        .and_then(|e| e.last())
        .and_then(|e| e["due"].as_str())
        .map(|d| d[..10].to_string())
}

#[test]
fn nothing_falls_due_on_a_holiday_and_explain_names_it() {
    let sb = Sandbox::new();
    config(&sb, "holiday_sets = [\"us-federal\"]");
    add(&sb, "2026-11-24", 1, "classic-4", &[]);
    run(&sb, "2026-11-24", &["log", "1", "sent"]);
    // Day 3 from Tue 24 Nov is Thanksgiving, Thu 26: the bump rolls to Fri 27.
    assert_eq!(
        due_of(&sb, "2026-11-24", "1").as_deref(),
        Some("2026-11-27")
    );
    let why = run(&sb, "2026-11-24", &["show", "1", "--explain"]);
    assert!(why.contains("Thu 26 Nov (Thanksgiving Day)"), "{why}");
    assert!(why.contains("2 days"), "{why}");
}

#[test]
fn the_schedule_crosses_the_year_end() {
    let sb = Sandbox::new();
    config(&sb, "holiday_sets = [\"us-federal\"]");
    add(&sb, "2026-12-23", 1, "classic-4", &[]);
    run(&sb, "2026-12-23", &["log", "1", "sent"]);
    // Day 3 is Christmas, Fri 25, then the weekend: Mon 28.
    assert_eq!(
        due_of(&sb, "2026-12-23", "1").as_deref(),
        Some("2026-12-28")
    );
    run(&sb, "2026-12-30", &["log", "1", "sent"]);
    // Worked two days late, so day 8 (Wed 30) moves two days to New Year's Day, Fri 1 Jan,
    // which rolls past the weekend to Mon 4.
    assert_eq!(
        due_of(&sb, "2026-12-30", "1").as_deref(),
        Some("2027-01-04")
    );
}

#[test]
fn new_starts_and_next_steps_respect_the_daily_cap() {
    let sb = Sandbox::new();
    config(&sb, "max_touches_per_day = 3");
    for i in 1..=7 {
        add(&sb, "2026-11-23", i, "classic-4", &[]);
    }
    let starts: Vec<String> = (1..=7)
        .map(|i| due_of(&sb, "2026-11-23", &i.to_string()).expect("due"))
        .collect();
    assert_eq!(
        starts,
        [
            "2026-11-23",
            "2026-11-23",
            "2026-11-23",
            "2026-11-24",
            "2026-11-24",
            "2026-11-24",
            "2026-11-25"
        ]
    );
    // The three openers sent today schedule bumps for Wed 25 Nov, which holds one start.
    let mut moved = 0;
    for i in 1..=3 {
        let out = run(&sb, "2026-11-23", &["log", &i.to_string(), "sent"]);
        moved += usize::from(out.contains("that day is full"));
    }
    assert_eq!(moved, 1);
    let bumps: Vec<String> = (1..=3)
        .map(|i| due_of(&sb, "2026-11-23", &i.to_string()).expect("due"))
        .collect();
    assert_eq!(bumps, ["2026-11-25", "2026-11-25", "2026-11-26"]);
    let why = run(&sb, "2026-11-23", &["show", "3", "--explain"]);
    assert!(
        why.contains(
            "Moved from Wed 25 Nov to Thu 26 Nov: Wed 25 Nov was full (max_touches_per_day = 3)"
        ),
        "{why}"
    );
    let why = run(&sb, "2026-11-23", &["show", "7", "--explain"]);
    assert!(why.contains("Moved from Mon 23 Nov to Wed 25 Nov"), "{why}");
}

#[test]
fn the_cap_never_moves_an_overdue_touch() {
    let sb = Sandbox::new();
    config(&sb, "max_touches_per_day = 1");
    add(&sb, "2026-11-23", 1, "classic-4", &[]);
    add(&sb, "2026-11-23", 2, "classic-4", &[]);
    // Once due, a touch stays due on its day however late the rep is and however full
    // today is.
    let v: Value = serde_json::from_str(&run(&sb, "2026-11-26", &["due", "--json"])).expect("json");
    let overdue: Vec<i64> = v
        .as_array()
        .expect("array")
        .iter()
        .map(|t| t["overdue_days"].as_i64().unwrap_or(-1))
        .collect();
    assert_eq!(overdue, vec![3, 2]);
    add(&sb, "2026-11-26", 3, "classic-4", &[]);
    assert_eq!(
        due_of(&sb, "2026-11-26", "1").as_deref(),
        Some("2026-11-23")
    );
    assert_eq!(
        due_of(&sb, "2026-11-26", "3").as_deref(),
        Some("2026-11-26")
    );
}

#[test]
fn time_off_moves_pending_touches_past_it_and_undo_restores_them() {
    let sb = Sandbox::new();
    config(&sb, "");
    add(&sb, "2026-11-23", 1, "classic-4", &[]);
    add(&sb, "2026-11-23", 2, "cold-7", &[]);
    // The bump falls due on Wed 25 Nov.
    run(&sb, "2026-11-23", &["log", "1", "sent"]);
    // No LinkedIn and no phone: the next touch after this opener is the day-7 email.
    run(&sb, "2026-11-23", &["log", "2", "sent"]);
    let before: Vec<String> = ["1", "2"]
        .iter()
        .map(|p| run(&sb, "2026-11-23", &["show", p, "--json"]))
        .collect();
    let out = run(
        &sb,
        "2026-11-23",
        &["vacation", "--from", "2026-11-24", "--to", "2026-12-01"],
    );
    assert!(out.contains("back on Wed 2 Dec"), "{out}");
    // Wed 25 was the 2nd working day of the absence: it stays the 2nd after coming back.
    assert_eq!(
        due_of(&sb, "2026-11-23", "1").as_deref(),
        Some("2026-12-03")
    );
    let why = run(&sb, "2026-11-23", &["show", "1", "--explain"]);
    assert!(
        why.contains("Moved from Wed 25 Nov to Thu 3 Dec: time off 24 Nov to 1 Dec"),
        "{why}"
    );
    // Nothing new falls due inside the time off either.
    run(
        &sb,
        "2026-11-23",
        &["log", "1", "snoozed", "--until", "2026-11-27"],
    );
    assert_eq!(
        due_of(&sb, "2026-11-23", "1").as_deref(),
        Some("2026-12-02")
    );
    run(&sb, "2026-11-23", &["undo"]);
    run(&sb, "2026-11-23", &["undo"]);
    let after: Vec<String> = ["1", "2"]
        .iter()
        .map(|p| run(&sb, "2026-11-23", &["show", p, "--json"]))
        .collect();
    assert_eq!(after, before, "undo puts every touch back exactly");
    run(
        &sb,
        "2026-11-23",
        &["log", "1", "snoozed", "--until", "2026-11-27"],
    );
    assert_eq!(
        due_of(&sb, "2026-11-23", "1").as_deref(),
        Some("2026-11-27"),
        "the time off is gone too"
    );
}

#[test]
fn explain_says_how_each_kind_of_due_date_came_about() {
    let sb = Sandbox::new();
    config(&sb, "");
    add(&sb, "2026-11-28", 1, "classic-4", &[]);
    let start = run(&sb, "2026-11-28", &["show", "1", "--explain"]);
    assert!(
        start.contains("the first touch: due on the start date, Sat 28 Nov"),
        "{start}"
    );
    assert!(
        start.contains("Sat 28 Nov (not a working day), Sun 29 Nov (not a working day)"),
        "{start}"
    );
    assert!(start.contains("Due Mon 30 Nov 2026"), "{start}");
    run(
        &sb,
        "2026-11-30",
        &["log", "1", "snoozed", "--until", "2026-12-03"],
    );
    let snoozed = run(&sb, "2026-11-30", &["show", "1", "--explain"]);
    assert!(
        snoozed.contains("Snoozed on Mon 30 Nov until Thu 3 Dec"),
        "{snoozed}"
    );
    run(&sb, "2026-12-03", &["log", "1", "sent"]);
    run(
        &sb,
        "2026-12-03",
        &["log", "1", "paused", "--until", "2026-12-14"],
    );
    let paused = run(&sb, "2026-12-03", &["show", "1", "--explain"]);
    // The snooze made the opener three days late, so the bump moved from day 3 to Thu 3 Dec,
    // the day the opener went out: it follows on Fri 4, one day later.
    assert!(
        paused.contains("Paused on Thu 3 Dec with 1 day left, back on Mon 14 Dec"),
        "{paused}"
    );
    assert!(paused.contains("Due Tue 15 Dec 2026"), "{paused}");
    run(&sb, "2026-12-03", &["undo"]);
    run(&sb, "2026-12-03", &["log", "1", "paused"]);
    run(&sb, "2026-12-07", &["log", "1", "resumed"]);
    let resumed = run(&sb, "2026-12-07", &["show", "1", "--explain"]);
    assert!(
        resumed.contains("Resumed on Mon 7 Dec with 1 day left"),
        "{resumed}"
    );
    assert!(resumed.contains("Due Tue 8 Dec 2026"), "{resumed}");
}

#[test]
fn an_inbound_lead_is_due_at_the_minute_it_came_in() {
    let sb = Sandbox::new();
    config(&sb, "");
    add(
        &sb,
        "2026-11-23T14:37",
        1,
        "inbound",
        &["--phone", "+1 312 555 0100"],
    );
    let v: Value =
        serde_json::from_str(&run(&sb, "2026-11-23T14:40", &["due", "--json"])).expect("json");
    assert_eq!(v[0]["due"], "2026-11-23T14:37:00");
    let why = run(&sb, "2026-11-23T14:40", &["show", "1", "--explain"]);
    assert!(
        why.contains("inbound sequence: due the moment the lead came in"),
        "{why}"
    );
}

#[test]
fn calls_line_up_by_the_prospects_good_hours() {
    // A rep in Berlin at 17:10 on a Tuesday: 10:10 in Chicago, 21:40 in Kolkata, 16:10 in London.
    let sb = Sandbox::new();
    config(&sb, "timezone = \"Europe/Berlin\"");
    let now = "2026-11-24T17:10";
    add(
        &sb,
        now,
        1,
        "post-demo",
        &["--timezone", "Asia/Kolkata", "--phone", "+91 80 5550 0101"],
    );
    add(
        &sb,
        now,
        2,
        "post-demo",
        &[
            "--timezone",
            "America/Chicago",
            "--phone",
            "+1 312 555 0102",
        ],
    );
    add(
        &sb,
        now,
        3,
        "rule-333",
        &["--timezone", "Europe/London", "--phone", "+44 20 5550 0103"],
    );
    // Make every touch due on Wed 2 Dec a call: post-demo's step 2 is a call (snoozed to that
    // day), and rule-333's LinkedIn step is skipped (no URL) so its call follows the email.
    for p in ["1", "2"] {
        run(&sb, now, &["log", p, "sent"]);
        run(&sb, now, &["log", p, "snoozed", "--until", "2026-12-02"]);
    }
    run(&sb, now, &["log", "3", "sent"]);
    run(&sb, now, &["log", "3", "snoozed", "--until", "2026-12-02"]);
    assert_eq!(due_of(&sb, now, "3").as_deref(), Some("2026-12-02"));
    let v: Value =
        serde_json::from_str(&run(&sb, "2026-12-02T17:10", &["due", "--json"])).expect("json");
    assert!(
        v.as_array()
            .expect("array")
            .iter()
            .all(|t| t["channel"] == "call"),
        "{v:#}"
    );
    let order: Vec<(&str, &str, bool)> = v
        .as_array()
        .expect("array")
        .iter()
        .map(|t| {
            (
                t["email"].as_str().unwrap_or(""),
                t["local_time"].as_str().unwrap_or(""),
                t["in_window"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    // London's cold-call window (16–17) is open now; Chicago's follow-up window opens at
    // 11:00 local; Kolkata's has passed for today.
    assert_eq!(
        order,
        vec![
            ("p3@acme3.example", "16:10", true),
            ("p2@acme2.example", "10:10", false),
            ("p1@acme1.example", "21:40", false),
        ]
    );
}

#[test]
fn explain_says_when_a_step_follows_the_same_day() {
    let sb = Sandbox::new();
    config(&sb, "");
    add(
        &sb,
        "2026-11-23",
        1,
        "cold-21",
        &["--linkedin", "https://www.linkedin.com/in/pat-doe"],
    );
    run(&sb, "2026-11-23", &["log", "1", "sent"]);
    let why = run(&sb, "2026-11-23", &["show", "1", "--explain"]);
    assert!(
        why.contains("step 1 (email opener) was worked on Mon 23 Nov; the plan has step 2 (linkedin view) follow it the same day."),
        "{why}"
    );
    assert!(why.contains("Due Mon 23 Nov 2026"), "{why}");
}

#[test]
fn an_inbound_lead_leads_the_queue_and_no_full_day_moves_it_or_a_recap() {
    let sb = Sandbox::new();
    config(&sb, "max_touches_per_day = 2");
    // Two cold openers from last Friday, overdue now.
    for i in 1..=2 {
        add(&sb, "2026-11-20", i, "classic-4", &[]);
    }
    // Two cold starts fill Monday; a third finds it full and moves to Tuesday.
    for i in 3..=5 {
        add(&sb, "2026-11-23T09:00", i, "classic-4", &[]);
    }
    assert_eq!(
        due_of(&sb, "2026-11-23", "5").as_deref(),
        Some("2026-11-24")
    );
    // A demo this morning and a lead that came in at 14:37: both due today all the same.
    add(&sb, "2026-11-23T11:00", 6, "post-demo", &[]);
    add(
        &sb,
        "2026-11-23T14:37",
        7,
        "inbound",
        &["--phone", "+1 312 555 0105"],
    );
    assert_eq!(
        due_of(&sb, "2026-11-23", "6").as_deref(),
        Some("2026-11-23")
    );
    let v: Value =
        serde_json::from_str(&run(&sb, "2026-11-23T14:40", &["due", "--json"])).expect("json");
    let order: Vec<(i64, i64)> = v
        .as_array()
        .expect("array")
        .iter()
        .map(|i| {
            let id = i["prospect_id"].as_i64().expect("id");
            (id, i["overdue_days"].as_i64().expect("days"))
        })
        .collect();
    // The lead first, above the overdue openers; then today's work, the recap among it.
    assert_eq!(order[..3], [(7, 0), (1, 3), (2, 3)]);
    let mut today: Vec<i64> = order[3..].iter().map(|(id, _)| *id).collect();
    today.sort_unstable();
    assert_eq!(today, [3, 4, 6]);
    let why = run(&sb, "2026-11-23T14:40", &["show", "7", "--explain"]);
    assert!(
        why.contains("First in the queue: an inbound lead's first touch"),
        "{why}"
    );
    assert!(why.contains("The daily cap never moves it."), "{why}");
    let why = run(&sb, "2026-11-23T14:40", &["show", "1", "--explain"]);
    assert!(why.contains("overdue work comes before today's"), "{why}");
    let why = run(&sb, "2026-11-23T14:40", &["show", "6", "--explain"]);
    assert!(why.contains("The daily cap never moves it."), "{why}");
}

#[test]
fn show_explain_json_is_json() {
    let sb = Sandbox::new();
    config(&sb, "");
    add(&sb, "2026-11-23", 1, "classic-4", &[]);
    run(&sb, "2026-11-23", &["log", "1", "sent"]);
    let out = run(&sb, "2026-11-23", &["show", "1", "--explain", "--json"]);
    let v: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["prospect_id"], 1);
    assert_eq!(v["due"], "2026-11-25T00:00:00");
    let lines = v["explanation"].as_array().expect("lines");
    assert!(
        lines.iter().any(|l| l
            .as_str()
            .is_some_and(|s| s.contains("Due Wed 25 Nov 2026"))),
        "{out}"
    );
}
