//! After the reply: a reply, a call that went somewhere or a booked meeting waits on the rep
//! as a task in the queue; the rep's next step (answered, held, no-show, closed, a
//! follow-on sequence) settles it. The command line's contract, on a fresh book.

use crate::import_csv::run;
use crate::util::Sandbox;
use serde_json::Value;

fn fails(sb: &Sandbox, now: &str, args: &[&str]) -> String {
    let out = sb.cmd(now).args(args).output().expect("run");
    assert!(!out.status.success(), "{args:?} succeeded");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `due --json` on a day: its elements' `task` and `prospect_id`.
fn tasks(sb: &Sandbox, now: &str) -> Vec<(String, i64)> {
    let json: Value = serde_json::from_str(&run(sb, now, &["due", "--json"])).expect("json");
    json.as_array()
        .expect("array")
        .iter()
        .map(|e| {
            (
                e["task"].as_str().unwrap_or_default().to_string(),
                e["prospect_id"].as_i64().unwrap_or_default(),
            )
        })
        .collect()
}

/// Lucía, in cold-7 since Tuesday 1 December 2026, her opener sent that day.
fn lucia() -> Sandbox {
    let sb = Sandbox::new();
    sb.write_me();
    run(
        &sb,
        "2026-12-01T09:00",
        &[
            "add",
            "--first",
            "Lucía",
            "--last",
            "Ortega",
            "--email",
            "lucia@mapledale.example",
            "--company",
            "Mapledale",
            "--title",
            "CTO",
            "--sequence",
            "cold-7",
        ],
    );
    run(&sb, "2026-12-01T10:00", &["log", "1", "sent"]);
    sb
}

/// Lucía replies on Wednesday 2 December and books a meeting for Friday at 2pm.
fn reply_and_book_friday(sb: &Sandbox) {
    run(sb, "2026-12-02T10:00", &["log", "1", "replied"]);
    run(
        sb,
        "2026-12-02T10:05",
        &["log", "1", "meeting", "--when", "fri 2pm"],
    );
}

#[test]
fn a_reply_waits_then_answered_brings_a_nudge_after_three_working_days() {
    let sb = lucia();
    run(
        &sb,
        "2026-12-03T10:00",
        &[
            "log",
            "1",
            "replied",
            "--kind",
            "question",
            "--note",
            "What does it cost?",
        ],
    );
    let json: Value =
        serde_json::from_str(&run(&sb, "2026-12-03T10:30", &["due", "--json"])).expect("json");
    assert_eq!(json[0]["task"], "reply");
    assert_eq!(json[0]["said"], "What does it cost?");
    assert_eq!(json[0]["kind"], "question");
    let said = run(&sb, "2026-12-03T11:00", &["log", "1", "answered"]);
    assert!(said.contains("a nudge comes back Tue 8 Dec"), "{said}");
    // Thursday's answer: Friday, Monday and Tuesday are the three working days.
    assert_eq!(tasks(&sb, "2026-12-07T09:00"), []);
    assert_eq!(tasks(&sb, "2026-12-08T09:00"), [("nudge".to_string(), 1)]);
    // She writes again: her reply is waiting once more.
    let again = run(
        &sb,
        "2026-12-08T12:00",
        &["log", "1", "replied", "--note", "Any news?"],
    );
    assert!(again.contains("wrote again"), "{again}");
    assert_eq!(tasks(&sb, "2026-12-08T12:05"), [("reply".to_string(), 1)]);
    // Closed, won: nothing waits any more.
    let err = fails(
        &sb,
        "2026-12-08T13:00",
        &["log", "1", "closed", "--kind", "won"],
    );
    assert!(err.contains("needs a reason"), "{err}");
    run(
        &sb,
        "2026-12-08T13:00",
        &[
            "log",
            "1",
            "closed",
            "--kind",
            "won",
            "--reason",
            "pilot signed",
        ],
    );
    assert_eq!(tasks(&sb, "2026-12-09T09:00"), []);
}

#[test]
fn the_sequence_a_reply_asked_for_starts_without_force_and_cold_ones_still_wait() {
    let sb = lucia();
    run(
        &sb,
        "2026-12-03T10:00",
        &["log", "1", "replied", "--kind", "positive"],
    );
    let err = fails(&sb, "2026-12-03T10:05", &["enroll", "1", "cold-21"]);
    assert!(err.contains("cooling off"), "{err}");
    let said = run(&sb, "2026-12-03T10:05", &["enroll", "1", "post-demo"]);
    assert!(
        said.contains("Enrolled Lucía Ortega in post-demo"),
        "{said}"
    );
    // The sequence answers the reply: no task is left beside its first step.
    assert_eq!(tasks(&sb, "2026-12-03T10:10"), [("touch".to_string(), 1)]);
}

#[test]
fn a_meeting_waits_for_its_day_and_held_or_no_show_starts_what_follows() {
    let sb = lucia();
    reply_and_book_friday(&sb);
    assert_eq!(tasks(&sb, "2026-12-03T09:00"), []);
    let json: Value =
        serde_json::from_str(&run(&sb, "2026-12-04T09:00", &["due", "--json"])).expect("json");
    assert_eq!(json[0]["task"], "meeting");
    assert_eq!(json[0]["meeting_at"], "2026-12-04T14:00:00Z");
    assert_eq!(json[0]["meeting_local"], "2026-12-04T14:00:00");
    let held = run(&sb, "2026-12-04T15:00", &["log", "1", "held"]);
    assert!(
        held.contains("post-demo started, first step today"),
        "{held}"
    );
    let due = run(&sb, "2026-12-04T15:05", &["due"]);
    assert!(due.contains("1/5  recap"), "{due}");
    // One undo takes it all back: the meeting waits again, no sequence runs.
    run(&sb, "2026-12-04T15:10", &["undo"]);
    assert_eq!(tasks(&sb, "2026-12-04T15:10"), [("meeting".to_string(), 1)]);
    let missed = run(&sb, "2026-12-04T15:15", &["log", "1", "no-show"]);
    assert!(missed.contains("missed-meeting started"), "{missed}");
    assert_eq!(tasks(&sb, "2026-12-04T15:20"), [("touch".to_string(), 1)]);
}

#[test]
fn not_now_and_an_opt_out_leave_nothing_waiting() {
    let sb = lucia();
    run(
        &sb,
        "2026-12-03T10:00",
        &[
            "log", "1", "replied", "--kind", "not-now", "--until", "jan 11",
        ],
    );
    assert_eq!(tasks(&sb, "2026-12-03T10:05"), []);
    let sb = lucia();
    run(&sb, "2026-12-03T10:00", &["log", "1", "replied"]);
    run(&sb, "2026-12-03T11:00", &["log", "1", "opted-out"]);
    assert_eq!(tasks(&sb, "2026-12-03T11:05"), []);
    let err = fails(&sb, "2026-12-03T11:10", &["log", "1", "answered"]);
    assert!(err.contains("no conversation waiting"), "{err}");
}

/// "Not now" brings them back on their day into re-engagement, whose first email picks up
/// the conversation: never the opener they already had, whichever sequence and day.
#[test]
fn not_now_comes_back_into_re_engagement_never_the_opener_again() {
    let cases = [
        ("classic-4", "2027-01-11", "2027-01-11"),
        ("cold-7", "2027-01-11", "2027-01-11"),
        ("classic-4", "+2w", "2026-12-17"),
        ("cold-21", "jan 11", "2027-01-11"),
    ];
    for (sequence, until, back) in cases {
        let sb = Sandbox::new();
        sb.write_me();
        run(
            &sb,
            "2026-12-01T09:00",
            &[
                "add",
                "--first",
                "Ann",
                "--last",
                "Lee",
                "--email",
                "ann@acme.example",
                "--company",
                "Acme",
                "--title",
                "CFO",
                "--sequence",
                sequence,
            ],
        );
        run(&sb, "2026-12-01T10:00", &["log", "1", "sent"]);
        let said = run(
            &sb,
            "2026-12-03T10:00",
            &["log", "1", "replied", "--kind", "not-now", "--until", until],
        );
        assert!(said.contains("back in re-engagement"), "{sequence}: {said}");
        let json: Value =
            serde_json::from_str(&run(&sb, &format!("{back}T09:00"), &["due", "--json"]))
                .expect("json");
        assert_eq!(
            json[0]["sequence"], "re-engagement",
            "{sequence} {until}: {json}"
        );
        assert_eq!(json[0]["purpose"], "check-in", "{sequence} {until}");
        assert_eq!(
            json[0]["subject"], "Checking in, as you asked",
            "{sequence}"
        );
    }
}

/// A message that already went to someone is skipped when another enrollment reaches it,
/// saying why.
#[test]
fn a_message_already_sent_is_never_sent_again() {
    let sb = lucia();
    run(
        &sb,
        "2026-12-01T11:00",
        &["log", "1", "removed", "--reason", "wrong time"],
    );
    let said = run(
        &sb,
        "2026-12-01T11:05",
        &["enroll", "1", "cold-7", "--force"],
    );
    // The opener went out already; the LinkedIn and call steps have nothing to go on.
    assert!(said.contains("step 4 (new-angle)"), "{said}");
    let shown = run(&sb, "2026-12-01T11:10", &["show", "1"]);
    assert!(
        shown.contains("this message already went to them from another sequence"),
        "{shown}"
    );
}

/// A meeting moves (shown at its new time, in both clocks) or is cancelled (the reply waits
/// again, with what they said).
#[test]
fn a_meeting_moves_or_is_cancelled() {
    let sb = lucia();
    run(
        &sb,
        "2026-12-01T11:00",
        &["edit", "1", "--timezone", "America/Chicago"],
    );
    run(
        &sb,
        "2026-12-02T10:00",
        &["log", "1", "replied", "--note", "Sure, let's talk"],
    );
    run(
        &sb,
        "2026-12-02T10:05",
        &["log", "1", "meeting", "--when", "fri 2pm"],
    );
    let moved = run(
        &sb,
        "2026-12-02T10:10",
        &["log", "1", "moved", "--when", "mon 3pm"],
    );
    assert!(moved.contains("moved to Mon 7 Dec 15:00"), "{moved}");
    let shown = run(&sb, "2026-12-02T10:15", &["show", "1"]);
    // The sandbox's clock is UTC: 15:00 is 09:00 in Chicago.
    assert!(
        shown.contains("  meeting  Mon 7 Dec 2026 15:00 (coming, 09:00 their time)"),
        "{shown}"
    );
    assert_eq!(tasks(&sb, "2026-12-04T09:00"), []);
    assert_eq!(tasks(&sb, "2026-12-07T09:00"), [("meeting".to_string(), 1)]);
    run(&sb, "2026-12-02T10:20", &["log", "1", "cancelled"]);
    let json: Value =
        serde_json::from_str(&run(&sb, "2026-12-02T10:25", &["due", "--json"])).expect("json");
    assert_eq!(json[0]["task"], "reply");
    assert_eq!(json[0]["said"], "Sure, let's talk");
}

/// Adds a prospect to cold-7 on Tuesday 1 December 2026 and sends their opener.
fn add_and_send(sb: &Sandbox, first: &str, id: &str) {
    let email = format!("{}@{}.example", first.to_lowercase(), first.to_lowercase());
    run(
        sb,
        "2026-12-01T09:00",
        &[
            "add",
            "--first",
            first,
            "--last",
            "Tester",
            "--email",
            &email,
            "--company",
            &format!("{first} Works"),
            "--sequence",
            "cold-7",
        ],
    );
    run(sb, "2026-12-01T10:00", &["log", id, "sent"]);
}

/// The funnel after the reply, on a log a person can count: four openers sent; Ana replied
/// (answered, nothing more); Ben booked a meeting on a reply, held it, went into post-demo
/// and was won there; Cal booked, did not come; Dee never answered. Step 1 of cold-7:
/// 4 touches, 3 replies (Ana, Ben, Cal), 2 meetings (Ben, Cal), 1 held (Ben), 1 won (Ben,
/// credited to the opener that began it, not to post-demo).
#[test]
fn the_funnel_after_the_reply_counts_held_and_won_where_the_reply_was_credited() {
    let sb = Sandbox::new();
    sb.write_me();
    for (first, id) in [("Ana", "1"), ("Ben", "2"), ("Cal", "3"), ("Dee", "4")] {
        add_and_send(&sb, first, id);
    }
    run(&sb, "2026-12-02T10:00", &["log", "1", "replied"]);
    run(&sb, "2026-12-02T11:00", &["log", "1", "answered"]);
    run(&sb, "2026-12-02T10:00", &["log", "2", "replied"]);
    run(
        &sb,
        "2026-12-02T10:05",
        &["log", "2", "meeting", "--when", "2026-12-04 14:00"],
    );
    run(
        &sb,
        "2026-12-02T12:00",
        &["log", "3", "meeting", "--when", "2026-12-04 16:00"],
    );
    run(&sb, "2026-12-04T15:00", &["log", "2", "held"]);
    run(&sb, "2026-12-04T17:00", &["log", "3", "no-show"]);
    let won = run(
        &sb,
        "2026-12-09T10:00",
        &[
            "log",
            "2",
            "closed",
            "--kind",
            "won",
            "--reason",
            "signed the pilot",
        ],
    );
    assert!(
        won.contains("Closed won with Ben Tester: signed the pilot (their sequence stopped)"),
        "{won}"
    );
    let json: Value =
        serde_json::from_str(&run(&sb, "2026-12-09T11:00", &["stats", "--json"])).expect("json");
    let cold = json["sequences"]
        .as_array()
        .expect("sequences")
        .iter()
        .find(|s| s["sequence"] == "cold-7")
        .expect("cold-7");
    let opener = &cold["steps"][0];
    let funnel = ["touches", "replies", "meetings", "held", "won"].map(|k| opener[k].clone());
    assert_eq!(funnel, [4, 3, 2, 1, 1].map(Value::from));
    assert_eq!(
        ["replies", "meetings", "held", "won"].map(|k| cold[k].clone()),
        [3, 2, 1, 1].map(Value::from)
    );
    assert_eq!(json["totals"]["held"], 1);
    assert_eq!(json["totals"]["won"], 1);
    let table = run(&sb, "2026-12-09T11:00", &["stats", "--sequence", "cold-7"]);
    assert!(
        table.contains("cold-7 — 4 prospects, 3 replies, 2 meetings, 1 held, 1 won"),
        "{table}"
    );
    // The history says so, and undo takes the close back.
    let shown = run(&sb, "2026-12-09T11:00", &["show", "2"]);
    let history: Vec<&str> = shown.lines().map(str::trim_end).collect();
    assert!(
        history.contains(&"  2026-12-04 15:00                    held"),
        "{shown}"
    );
    assert!(
        history.contains(&"  2026-12-09 10:00                    won signed the pilot"),
        "{shown}"
    );
    run(&sb, "2026-12-09T11:05", &["undo"]);
    let json: Value =
        serde_json::from_str(&run(&sb, "2026-12-09T11:10", &["stats", "--json"])).expect("json");
    assert_eq!(json["totals"]["won"], 0);
    assert_eq!(json["totals"]["held"], 1);
}

/// A meeting is an instant, kept in UTC: booked at 2pm in New York it is 19:00 UTC; when the
/// rep moves to Berlin it shows at 20:00 on their new clock, on the same day.
#[test]
fn a_meeting_is_kept_in_utc_and_shown_on_the_reps_clock() {
    let sb = lucia();
    sb.write_me_in("America/New_York");
    reply_and_book_friday(&sb);
    let json: Value =
        serde_json::from_str(&run(&sb, "2026-12-04T09:00", &["due", "--json"])).expect("json");
    assert_eq!(json[0]["meeting_at"], "2026-12-04T19:00:00Z");
    assert_eq!(json[0]["meeting_local"], "2026-12-04T14:00:00");
    sb.write_me_in("Europe/Berlin");
    let json: Value =
        serde_json::from_str(&run(&sb, "2026-12-04T09:00", &["due", "--json"])).expect("json");
    assert_eq!(json[0]["meeting_at"], "2026-12-04T19:00:00Z");
    assert_eq!(json[0]["meeting_local"], "2026-12-04T20:00:00");
    let shown = run(&sb, "2026-12-04T09:00", &["show", "1"]);
    assert!(
        shown.contains("  meeting  Fri 4 Dec 2026 20:00 (coming"),
        "{shown}"
    );
}

/// A book from before kept a meeting's time on the rep's clock: the first open turns it into
/// UTC, once.
#[test]
fn a_meeting_time_on_the_reps_clock_becomes_utc_once() {
    let sb = lucia();
    sb.write_me_in("America/New_York");
    reply_and_book_friday(&sb);
    // As an older build wrote it: the rep's clock, no zone, and no mark.
    let conn = rusqlite::Connection::open(sb.db()).expect("open");
    conn.execute_batch(
        "UPDATE prospects SET conversation = \
             json_set(conversation, '$.meeting_at', '2026-12-04T14:00:00'); \
         UPDATE touches SET extra = json_set(extra, '$.m', '2026-12-04T14:00:00') \
             WHERE meeting_at IS NOT NULL; \
         DELETE FROM settings WHERE key = 'meetings_in_utc';",
    )
    .expect("older layout");
    drop(conn);
    for _ in 0..2 {
        let json: Value =
            serde_json::from_str(&run(&sb, "2026-12-04T09:00", &["due", "--json"])).expect("json");
        assert_eq!(json[0]["meeting_at"], "2026-12-04T19:00:00Z");
    }
    let conn = rusqlite::Connection::open(sb.db()).expect("open");
    let logged: String = conn
        .query_row(
            "SELECT meeting_at FROM touches WHERE meeting_at IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .expect("the log's time");
    assert_eq!(logged, "2026-12-04T19:00:00Z");
}

/// Undo of a won close (the only one its sequence and step have) gives back the book
/// exactly, the after-the-reply rollup included.
#[test]
fn undoing_the_only_won_close_leaves_no_trace() {
    let sb = Sandbox::new();
    sb.write_me();
    sb.add_dana("2026-11-30T09:00", "inbound");
    run(&sb, "2026-11-30T09:05", &["log", "1", "replied"]);
    let before = crate::db::dump_file(&sb.db());
    run(
        &sb,
        "2026-11-30T09:10",
        &["log", "1", "closed", "--kind", "won", "--reason", "signed"],
    );
    let closed = crate::db::dump_file(&sb.db());
    assert!(
        closed
            .get("stat_after_reply")
            .is_some_and(|rows| rows.iter().any(|r| r.contains("\"won\""))),
        "{closed:?}"
    );
    run(&sb, "2026-11-30T09:15", &["undo"]);
    let live = crate::undo_props::live;
    crate::db::assert_same(
        &live(crate::db::dump_file(&sb.db())),
        &live(before),
        "after the undo",
    );
}
