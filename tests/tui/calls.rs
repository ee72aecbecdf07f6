//! A connected call, as the rep logs it in the app: one key for how it went, then a note
//! (Enter alone skips it), all in one undoable action.

use super::{Fixture, day};
use touchbase::domain::{Exit, Outcome, Status};

/// Dana's current touch is a call; space, `c`, then the keys given.
fn talked_with_dana(keys: &[&str]) -> (Fixture, i64) {
    let mut f = Fixture::seeded();
    f.select("Dana Reyes");
    let id = f.prospect_id("dana@northwind.example");
    f.press(&["space", "c"]);
    assert!(f.screen().contains("how did it go?"), "{}", f.screen());
    f.press(keys);
    (f, id)
}

/// A prospect's latest enrollment status and exit reason, and their logged rows (outcome,
/// note), newest first.
type Latest = (Status, Option<String>, Vec<(Outcome, Option<String>)>);

fn latest(f: &Fixture, id: i64) -> Latest {
    let e = f
        .app
        .desk
        .enrollments(id)
        .expect("enrollments")
        .into_iter()
        .next_back()
        .expect("enrolled")
        .enrollment;
    let mut rows: Vec<(Outcome, Option<String>)> = f
        .app
        .desk
        .history(id)
        .expect("history")
        .into_iter()
        .map(|h| (h.row.outcome, h.row.note))
        .collect();
    rows.reverse();
    (e.status, e.exit_reason, rows)
}

#[test]
fn a_meeting_booked_on_the_call_closes_it_as_a_meeting_with_the_note() {
    let (mut f, id) = talked_with_dana(&["m"]);
    assert!(
        f.screen()
            .contains("Meeting booked with Dana Reyes: when is it?"),
        "{}",
        f.screen()
    );
    f.type_text("thu");
    f.press(&["Enter"]);
    assert!(
        f.screen().contains("give a day and a time"),
        "a day alone is refused: {}",
        f.screen()
    );
    f.press(&["Backspace", "Backspace", "Backspace"]);
    f.type_text("thu 10:00");
    f.press(&["Enter"]);
    assert!(f.screen().contains("A note on the call"), "{}", f.screen());
    f.type_text("demo Thu 10:00 with their COO");
    f.press(&["Enter"]);
    assert!(f.status().contains("meeting booked"), "{}", f.status());
    let (status, _, rows) = latest(&f, id);
    assert_eq!(status, Status::Closed(Exit::Meeting));
    assert!(
        rows.iter().any(|(o, n)| *o == Outcome::Connected
            && n.as_deref() == Some("demo Thu 10:00 with their COO")),
        "{rows:?}"
    );
    assert!(rows.iter().any(|(o, _)| *o == Outcome::Meeting), "{rows:?}");
    // Stats count it as a response, of kind "meeting": the kinds add up to the replies.
    let stats = f
        .app
        .desk
        .stats(&touchbase::stats::Filter::default())
        .expect("stats");
    assert_eq!(
        stats.totals.replies_by_kind.get("meeting"),
        Some(&1),
        "{stats:?}"
    );
    let kinds: u64 = stats.totals.replies_by_kind.values().sum();
    assert_eq!(kinds, stats.totals.replies);
    // One action: undo brings the call back.
    f.press(&["u"]);
    assert!(f.in_queue("Dana Reyes"), "{}", f.status());
}

#[test]
fn not_interested_removes_without_an_opt_out_and_enter_skips_the_note() {
    let (f, id) = talked_with_dana(&["x", "Enter"]);
    assert!(f.status().contains("not interested"), "{}", f.status());
    let (status, reason, rows) = latest(&f, id);
    assert_eq!(status, Status::Closed(Exit::Removed));
    assert_eq!(reason.as_deref(), Some("not interested"));
    assert!(
        rows.iter().all(|(o, _)| *o != Outcome::Replied),
        "a no is not a reply: {rows:?}"
    );
    let dana = f.app.desk.prospect("dana@northwind.example").expect("dana");
    assert_eq!(
        f.app.desk.do_not_contact_match(&dana).expect("dnc"),
        None,
        "not interested is not an opt-out"
    );
    assert!(rows.iter().all(|(_, n)| n.is_none()), "{rows:?}");
}

#[test]
fn not_now_asks_when_then_for_a_note_and_brings_them_back_on_the_day() {
    let (mut f, id) = talked_with_dana(&["n"]);
    f.type_text("2027-01-11");
    f.press(&["Enter"]);
    assert!(f.screen().contains("A note on the call"), "{}", f.screen());
    f.type_text("budget opens in Q1");
    f.press(&["Enter"]);
    assert!(
        f.status()
            .contains("back in re-engagement on Mon 11 Jan 2027"),
        "{}",
        f.status()
    );
    let open = f
        .app
        .desk
        .open_enrollment(id)
        .expect("query")
        .expect("enrolled again");
    assert_eq!(
        open.enrollment.due.map(|d| d.date()),
        Some(day("2027-01-11"))
    );
}

#[test]
fn interested_is_a_positive_reply_credited_to_the_call() {
    let (f, id) = talked_with_dana(&["i", "Enter"]);
    assert!(f.status().contains("closed as replied"), "{}", f.status());
    let (status, _, _) = latest(&f, id);
    assert_eq!(status, Status::Closed(Exit::Replied));
    let kinds: Vec<(Option<String>, Option<i64>, Option<i64>)> = rusqlite::Connection::open(&f.db)
        .expect("open")
        .prepare(
            "SELECT kind, attributed_step, step FROM touches \
             WHERE prospect_id = ?1 AND outcome = 'replied'",
        )
        .and_then(|mut s| {
            s.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect()
        })
        .expect("replies");
    // Credited to the call itself (step 3, stored from 0).
    assert_eq!(
        kinds,
        vec![(Some("positive".to_string()), Some(2), Some(2))]
    );
}

#[test]
fn esc_on_the_note_skips_the_note_and_keeps_the_call() {
    // The call happened and how it went was said: Esc leaves out the note only.
    let (mut f, id) = talked_with_dana(&["i"]);
    f.press(&["Esc"]);
    assert!(f.status().contains("closed as replied"), "{}", f.status());
    assert!(!f.in_queue("Dana Reyes"));
    let (status, _, rows) = latest(&f, id);
    assert_eq!(status, Status::Closed(Exit::Replied));
    assert!(rows.iter().all(|(_, note)| note.is_none()), "{rows:?}");
}

#[test]
fn the_conversation_picker_and_the_note_prompt_at_80_and_120_columns() {
    for (w, h) in [(80, 24), (120, 40)] {
        let (mut f, _) = talked_with_dana(&[]);
        f.resize(w, h);
        super::snapshots::snap(&format!("picker_conversation_{w}x{h}"), &f.screen());
        f.press(&["x"]);
        f.type_text("went with an in-house build");
        super::snapshots::snap(&format!("prompt_call_note_{w}x{h}"), &f.screen());
    }
}

#[test]
fn f_c_runs_a_call_block_shown_in_the_header_and_esc_ends_it() {
    let mut f = Fixture::seeded();
    f.resize(120, 40);
    f.press(&["f"]);
    super::snapshots::snap("picker_focus_120x40", &f.screen());
    f.press(&["c"]);
    let screen = f.screen();
    assert!(screen.contains("focus: calls"), "{screen}");
    assert!(screen.contains("Queue · 2 of 5"), "{screen}");
    assert!(
        !screen.contains("Lee Park"),
        "emails are out of the block: {screen}"
    );
    super::snapshots::snap("queue_call_block_120x40", &screen);
    // Working the block: Dana's call, then Omar's; Lee's email waits outside it.
    f.select("Dana Reyes");
    f.press(&["space", "v"]);
    assert!(f.screen().contains("Queue · 1 of 4"), "{}", f.screen());
    f.press(&["Esc"]);
    assert!(f.in_queue("Lee Park"));
    assert!(!f.screen().contains("focus:"), "{}", f.screen());
}

/// At 09:00 in Berlin it is 16:00 in Shanghai (Kai's good call hour), 02:00 in Chicago
/// (Omar: in 9 h) and midnight in Los Angeles (Dana: in 16 h). The queue puts the new
/// inbound lead and the overdue first; the call block goes by who can be called first.
#[test]
fn the_call_block_runs_in_the_order_people_become_callable() {
    let mut f = Fixture::seeded_with(|desk| {
        let kai = touchbase::domain::Prospect {
            first_name: "Kai".into(),
            last_name: "Lund".into(),
            email: Some("kai@lund.example".into()),
            company: Some("Lund Freight".into()),
            title: Some("COO".into()),
            phone: Some("+86 21 5555 0100".into()),
            timezone: Some("Asia/Shanghai".into()),
            linkedin: Some("linkedin.com/in/kai-lund".into()),
            ..Default::default()
        };
        super::at_first_call(desk, kai);
    });
    f.resize(120, 40);
    let names = |f: &Fixture| -> Vec<String> {
        (0..f.app.queue.visible.len())
            .filter_map(|p| f.app.queue.visible_entry(p))
            .filter(|e| e.channel == touchbase::domain::Channel::Call)
            .map(|e| e.brief.name.clone())
            .collect()
    };
    assert_eq!(names(&f), ["Omar Haddad", "Dana Reyes", "Kai Lund"]);
    f.press(&["f", "c"]);
    assert_eq!(names(&f), ["Kai Lund", "Omar Haddad", "Dana Reyes"]);
    let screen = f.screen();
    assert!(screen.contains("02:00 CST in 9h"), "{screen}");
    assert!(screen.contains("00:00 PST in 16h"), "{screen}");
    f.select("Dana Reyes");
    assert!(
        f.screen()
            .contains("callable 16:00–17:00 their time, in 16 h"),
        "{}",
        f.screen()
    );
}

#[test]
fn the_call_block_at_80x24() {
    let mut f = Fixture::seeded();
    f.resize(80, 24);
    f.press(&["f"]);
    super::snapshots::snap("picker_focus_80x24", &f.screen());
    f.press(&["c"]);
    super::snapshots::snap("queue_call_block_80x24", &f.screen());
}
