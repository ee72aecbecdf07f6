//! Key sequences driving the app, checked against the clipboard and the database.

use super::{Fixture, at, day};
use touchbase::domain::{Exit, Status};
use touchbase::tui::action::View;
use touchbase::tui::modal::Modal;
use touchbase::tui::{Effect, work};

/// The rendered text of a prospect's current touch, straight from the desk.
fn rendered_body(f: &Fixture, email: &str) -> (Option<String>, String) {
    let desk = &f.app.desk;
    let p = desk.prospect(email).expect("prospect");
    let (e, _) = desk
        .open_enrollment(p.id)
        .map(|o| o.map(|i| (i.enrollment, i.sequence_name)))
        .expect("query")
        .expect("open enrollment");
    let seq = desk.version(e.version_id).expect("version");
    let r = desk.render_current(&p, &e, &seq).expect("render");
    assert!(r.ready(), "{:?}", r.problems);
    (r.subject, r.body)
}

#[test]
fn y_copies_the_exact_body_and_capital_y_the_subject() {
    let mut f = Fixture::seeded();
    f.select("Lee Park");
    let (subject, body) = rendered_body(&f, "lee@quanta.example");
    f.press(&["y"]);
    assert_eq!(f.clipboard.last().as_deref(), Some(body.as_str()));
    assert!(f.status().contains("test clipboard"), "{}", f.status());
    f.press(&["Y"]);
    assert_eq!(f.clipboard.last(), subject);
    // Enter copies too.
    f.press(&["Enter"]);
    assert_eq!(f.clipboard.last().as_deref(), Some(body.as_str()));
}

#[test]
fn a_call_copies_the_phone_number() {
    let mut f = Fixture::seeded();
    f.select("Dana Reyes");
    f.press(&["y"]);
    assert_eq!(f.clipboard.last().as_deref(), Some("+1 415 555 0100"));
}

#[test]
fn a_touch_that_is_not_ready_is_not_copied_unless_overridden() {
    let mut f = Fixture::seeded();
    f.select("Ana Silva");
    f.press(&["y"]);
    assert_eq!(f.clipboard.last(), None);
    assert!(f.status().contains("missing company"), "{}", f.status());
    f.press(&["C"]);
    let copied = f.clipboard.last().expect("copied anyway");
    assert!(copied.contains("⟨title⟩"), "{copied}");
}

#[test]
fn space_on_an_email_schedules_the_next_step_on_the_right_day() {
    let mut f = Fixture::seeded();
    f.select("Lee Park");
    let (subject, body) = rendered_body(&f, "lee@quanta.example");
    f.press(&["space"]);
    let id = f.prospect_id("lee@quanta.example");
    let (e, _) = f
        .app
        .desk
        .open_enrollment(id)
        .map(|o| o.map(|i| (i.enrollment, i.sequence_name)))
        .expect("query")
        .expect("still open");
    // classic-4: day 1 then day 3, two working days after Monday's send.
    assert_eq!(e.step, 1);
    assert_eq!(e.due.map(|d| d.date()), Some(day("2026-11-25")));
    let sent = f
        .app
        .desk
        .history(id)
        .map(|h| h.into_iter().map(|l| l.row).collect::<Vec<_>>())
        .expect("history");
    let last = sent.last().expect("a touch");
    assert_eq!(last.outcome.as_str(), "sent");
    assert_eq!(last.subject, subject);
    assert_eq!(last.body.as_deref(), Some(body.as_str()));
    assert!(!f.in_queue("Lee Park"));
    assert!(
        f.status().starts_with("Sent 1/4 opener to Lee Park"),
        "{}",
        f.status()
    );
    assert!(f.status().contains("Wed 25 Nov"), "{}", f.status());
    // The selection moved on to the row that took its place (Omar's inbound call leads the
    // queue, then the overdue work; Lee's row was the third).
    assert_eq!(f.selected_name(), "Ana Silva");
}

#[test]
fn r_closes_the_enrollment_and_u_brings_it_back_exactly() {
    let mut f = Fixture::seeded();
    f.select("Lee Park");
    let id = f.prospect_id("lee@quanta.example");
    let (before, _) = f
        .app
        .desk
        .open_enrollment(id)
        .map(|o| o.map(|i| (i.enrollment, i.sequence_name)))
        .expect("query")
        .expect("open");
    let prospect_before = f.app.desk.prospect_by_id(id).expect("query");
    // r asks what kind of reply it was; p: positive.
    f.press(&["r", "p"]);
    assert!(!f.in_queue("Lee Park"));
    let (closed, _) = f
        .app
        .desk
        .enrollments(f.app.desk.prospect_by_id(id).expect("q").expect("p").id)
        .map(|v| {
            v.into_iter()
                .find(|i| i.enrollment.id == before.id)
                .map(|i| (i.enrollment, i.sequence_name))
        })
        .expect("query")
        .expect("row");
    assert_eq!(closed.status, Status::Closed(Exit::Replied));
    assert!(f.status().contains("replied"), "{}", f.status());
    f.press(&["u"]);
    let (after, _) = f
        .app
        .desk
        .enrollments(f.app.desk.prospect_by_id(id).expect("q").expect("p").id)
        .map(|v| {
            v.into_iter()
                .find(|i| i.enrollment.id == before.id)
                .map(|i| (i.enrollment, i.sequence_name))
        })
        .expect("query")
        .expect("row");
    assert_eq!(after, before);
    assert_eq!(
        f.app.desk.prospect_by_id(id).expect("query"),
        prospect_before
    );
    assert!(f.in_queue("Lee Park"));
    assert_eq!(f.selected_name(), "Lee Park");
    assert!(f.status().starts_with("Undone:"), "{}", f.status());
}

#[test]
fn undo_goes_back_many_levels() {
    let mut f = Fixture::seeded();
    let start: Vec<String> = f
        .app
        .queue
        .entries
        .iter()
        .map(|e| e.brief.name.clone())
        .collect();
    f.select("Lee Park");
    f.press(&["space"]);
    f.select("Eve Mallory");
    f.press(&["x"]);
    f.select("Dana Reyes");
    f.press(&["space", "v"]);
    assert_eq!(f.app.queue.entries.len(), 2);
    f.press(&["u", "u", "u"]);
    let back: Vec<String> = f
        .app
        .queue
        .entries
        .iter()
        .map(|e| e.brief.name.clone())
        .collect();
    assert_eq!(back, start);
}

#[test]
fn a_call_asks_how_it_went() {
    let mut f = Fixture::seeded();
    f.select("Dana Reyes");
    f.press(&["space"]);
    assert!(matches!(f.app.modal, Some(Modal::Pick(_))));
    f.press(&["v"]);
    assert!(f.app.modal.is_none());
    assert!(f.status().contains("voicemail"), "{}", f.status());
    let id = f.prospect_id("dana@northwind.example");
    let (e, _) = f
        .app
        .desk
        .open_enrollment(id)
        .map(|o| o.map(|i| (i.enrollment, i.sequence_name)))
        .expect("query")
        .expect("open");
    // Step 4 (LinkedIn connect, day 4) comes one working day after the call.
    assert_eq!(e.step, 3);
    assert_eq!(e.due.map(|d| d.date()), Some(day("2026-11-24")));
}

#[test]
fn esc_cancels_a_picker_and_changes_nothing() {
    let mut f = Fixture::seeded();
    f.select("Dana Reyes");
    f.press(&["space", "Esc"]);
    assert!(f.app.modal.is_none());
    assert!(f.in_queue("Dana Reyes"));
    assert_eq!(f.status(), "Cancelled.");
}

#[test]
fn snooze_to_a_typed_weekday() {
    let mut f = Fixture::seeded();
    f.select("Lee Park");
    f.press(&["z", "d"]);
    f.type_text("fri");
    f.press(&["Enter"]);
    let id = f.prospect_id("lee@quanta.example");
    let (e, _) = f
        .app
        .desk
        .open_enrollment(id)
        .map(|o| o.map(|i| (i.enrollment, i.sequence_name)))
        .expect("query")
        .expect("open");
    assert_eq!(e.step, 0);
    assert_eq!(e.due.map(|d| d.date()), Some(day("2026-11-27")));
    assert!(!f.in_queue("Lee Park"));
}

#[test]
fn skip_with_a_picked_reason() {
    let mut f = Fixture::seeded();
    f.select("Lee Park");
    f.press(&["s", "t"]);
    let id = f.prospect_id("lee@quanta.example");
    let h = f
        .app
        .desk
        .history(id)
        .map(|h| h.into_iter().map(|l| l.row).collect::<Vec<_>>())
        .expect("history");
    let last = h.last().expect("row");
    assert_eq!(last.outcome.as_str(), "skipped");
    assert_eq!(last.reason.as_deref(), Some("not the right moment"));
}

#[test]
fn pause_without_a_date_then_resume_from_prospects() {
    let mut f = Fixture::seeded();
    f.select("Lee Park");
    f.press(&["p", "Enter"]);
    let id = f.prospect_id("lee@quanta.example");
    let open = |f: &Fixture| {
        f.app
            .desk
            .open_enrollment(id)
            .map(|o| o.map(|i| (i.enrollment, i.sequence_name)))
            .expect("query")
            .expect("open")
            .0
    };
    assert_eq!(open(&f).status, Status::Paused);
    assert!(!f.in_queue("Lee Park"));
    f.press(&["2", "/"]);
    f.type_text("lee");
    f.press(&["Enter", "p"]);
    assert_eq!(open(&f).status, Status::Active);
    assert!(f.in_queue("Lee Park"));
}

#[test]
fn pause_with_a_return_date() {
    let mut f = Fixture::seeded();
    f.select("Lee Park");
    f.press(&["p"]);
    f.type_text("2026-12-07");
    f.press(&["Enter"]);
    let id = f.prospect_id("lee@quanta.example");
    let (e, _) = f
        .app
        .desk
        .open_enrollment(id)
        .map(|o| o.map(|i| (i.enrollment, i.sequence_name)))
        .expect("query")
        .expect("open");
    assert_eq!(e.status, Status::Paused);
    assert_eq!(e.resume_on, Some(day("2026-12-07")));
}

#[test]
fn edited_text_is_copied_and_frozen() {
    let mut f = Fixture::seeded();
    f.select("Lee Park");
    let Effect::Edit(req) = f.press(&["e"]) else {
        panic!("e asks for the editor");
    };
    let file = touchbase::tui::editor::to_file_text(&req.text);
    assert!(file.starts_with("Subject: Quanta"), "{file}");
    let edited = file.replace("Hi Lee,", "Hello Lee,");
    work::finish_edit(&mut f.app, req, Ok(edited));
    f.press(&["y"]);
    let copied = f.clipboard.last().expect("copied");
    assert!(copied.starts_with("Hello Lee,"), "{copied}");
    f.press(&["space"]);
    let id = f.prospect_id("lee@quanta.example");
    let h = f
        .app
        .desk
        .history(id)
        .map(|h| h.into_iter().map(|l| l.row).collect::<Vec<_>>())
        .expect("history");
    assert_eq!(h.last().and_then(|t| t.body.clone()), Some(copied));
}

#[test]
fn o_opens_mailto_with_subject_and_body() {
    let mut f = Fixture::seeded();
    f.select("Lee Park");
    f.press(&["o"]);
    let url = f.launcher.last().expect("opened");
    assert!(
        url.starts_with("mailto:lee@quanta.example?subject=Quanta%20and"),
        "{url}"
    );
    assert!(url.contains("&body=Hi%20Lee%2C%0D%0A"), "{url}");
    f.select("Dana Reyes");
    f.press(&["o"]);
    assert_eq!(f.launcher.last().as_deref(), Some("tel:+14155550100"));
}

#[test]
fn filter_narrows_the_queue_and_esc_clears_it() {
    let mut f = Fixture::seeded();
    f.press(&["/"]);
    f.type_text("quanta");
    assert_eq!(f.app.queue.visible.len(), 1);
    assert_eq!(f.selected_name(), "Lee Park");
    // Keys go to the filter while typing: 'q' did not quit, 'y' did not copy.
    assert_eq!(f.clipboard.last(), None);
    f.press(&["Enter", "y"]);
    assert!(f.clipboard.last().is_some());
    f.press(&["Esc"]);
    assert_eq!(f.app.queue.visible.len(), 5);
}

#[test]
fn views_switch_with_tab_and_numbers() {
    let mut f = Fixture::seeded();
    f.press(&["Tab"]);
    assert_eq!(f.app.view, View::Prospects);
    f.press(&["3"]);
    assert_eq!(f.app.view, View::Sequences);
    assert!(!f.app.sequences.entries.is_empty());
    f.press(&["Tab"]);
    assert_eq!(f.app.view, View::Stats);
    f.press(&["Tab"]);
    assert_eq!(f.app.view, View::Upcoming);
    f.press(&["Tab"]);
    assert_eq!(f.app.view, View::Queue);
    f.press(&["5"]);
    assert_eq!(f.app.view, View::Upcoming);
    assert_eq!(f.press(&["q"]), Effect::Quit);
    assert_eq!(f.press(&["C-c"]), Effect::Quit);
}

#[test]
fn enroll_and_remove_from_the_prospects_view() {
    let mut f = Fixture::seeded();
    let id = f.prospect_id("lee@quanta.example");
    f.press(&["2", "/"]);
    f.type_text("lee");
    f.press(&["Enter", "R", "w"]);
    assert!(
        f.app
            .desk
            .open_enrollment(id)
            .map(|o| o.map(|i| (i.enrollment, i.sequence_name)))
            .expect("query")
            .is_none()
    );
    assert!(!f.in_queue("Lee Park"));
    // Removed a moment ago: enrolling again waits out the cool-off, and says why.
    f.press(&["e", "2"]);
    assert!(f.status().contains("cooling off until"), "{}", f.status());
    assert!(f.app.desk.open_enrollment(id).expect("query").is_none());
    // Undo the removal, then remove with undo's help the old way: undo is the way back.
    f.press(&["u"]);
    assert!(f.app.desk.open_enrollment(id).expect("query").is_some());
    f.press(&["R", "w"]);
    f.press(&["u"]);
    let (e, seq) = f
        .app
        .desk
        .open_enrollment(id)
        .map(|o| o.map(|i| (i.enrollment, i.sequence_name)))
        .expect("query")
        .expect("enrolled");
    // Back as it was: overdue since Friday.
    assert_eq!(seq, "classic-4");
    assert_eq!(e.due.map(|d| d.date()), Some(day("2026-11-20")));
    assert!(f.in_queue("Lee Park"));
    assert!(f.status().starts_with("Undone"), "{}", f.status());
}

#[test]
fn escape_sequences_in_fields_never_reach_the_screen() {
    let mut f = Fixture::seeded();
    f.select("Eve Mallory");
    for size in [(80, 24), (200, 50)] {
        f.resize(size.0, size.1);
        let screen = f.screen();
        assert!(!screen.contains('\u{1b}'), "{screen}");
        assert!(!screen.contains('\u{7}'), "{screen}");
        assert!(screen.contains("Eve Mallory"), "{screen}");
    }
    f.press(&["2"]);
    assert!(!f.screen().contains('\u{1b}'));
}

#[test]
fn no_color_keeps_reverse_for_the_selection() {
    use ratatui::style::{Color, Modifier};
    let mut f = Fixture::seeded();
    f.resize(80, 24);
    f.app.color = false;
    let buf = touchbase::tui::render_buffer(&f.app);
    assert!(
        buf.content
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset)
    );
    // The selected queue row (the first one, on line 4) is drawn reversed.
    let row = usize::from(buf.area.width) * 3;
    assert!(buf.content[row + 5].modifier.contains(Modifier::REVERSED));
    f.app.color = true;
    let buf = touchbase::tui::render_buffer(&f.app);
    assert!(buf.content.iter().any(|c| c.fg == Color::Red));
}

#[test]
fn a_fixed_clock_is_the_app_clock() {
    let f = Fixture::seeded();
    assert_eq!(f.app.now, at("2026-11-23T09:00:00"));
}

#[test]
fn a_reply_and_a_meeting_can_be_logged_from_prospects_any_day() {
    let mut f = Fixture::seeded();
    let id = f.prospect_id("lee@quanta.example");
    f.press(&["2", "/"]);
    f.type_text("quanta");
    f.press(&["Enter", "r", "q"]);
    assert!(f.status().contains("Lee Park replied"), "{}", f.status());
    f.press(&["m"]);
    assert!(
        f.screen()
            .contains("Meeting booked with Lee Park: when is it?"),
        "{}",
        f.screen()
    );
    f.press(&["Enter"]);
    let all = f
        .app
        .desk
        .enrollments(id)
        .map(|v| {
            v.into_iter()
                .map(|i| (i.enrollment, i.sequence_name))
                .collect::<Vec<_>>()
        })
        .expect("query");
    let (last, _) = all.last().expect("enrollment");
    assert_eq!(last.status, Status::Closed(Exit::Meeting));
    assert!(!f.in_queue("Lee Park"));
}

#[test]
fn capital_x_logs_a_spam_complaint_and_u_takes_it_back() {
    let mut f = Fixture::seeded();
    f.select("Lee Park");
    f.press(&["X"]);
    assert!(
        f.status().contains("Lee Park complained (spam)"),
        "{}",
        f.status()
    );
    assert!(!f.in_queue("Lee Park"));
    let s = f
        .app
        .desk
        .stats(&touchbase::stats::Filter::default())
        .expect("stats");
    assert_eq!((s.totals.complaints, s.totals.opt_outs), (1, 0));
    f.press(&["u"]);
    assert!(f.in_queue("Lee Park"), "{}", f.status());
}

#[test]
fn r_asks_the_kind_and_not_now_brings_the_prospect_back_on_the_day() {
    let mut f = Fixture::seeded();
    f.select("Lee Park");
    let id = f.prospect_id("lee@quanta.example");
    f.press(&["r"]);
    assert!(
        f.screen().contains("what kind of answer?"),
        "{}",
        f.screen()
    );
    f.press(&["n"]);
    f.type_text("2027-01-11");
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
    // One action: undo takes back both the reply and the new enrollment.
    f.press(&["u"]);
    assert!(f.in_queue("Lee Park"), "{}", f.status());
}

#[test]
fn a_referral_adds_the_person_named_with_the_referrer_noted() {
    let mut f = Fixture::seeded();
    f.select("Lee Park");
    f.press(&["r", "f"]);
    f.type_text("Mia Cho <mia@quanta.example>");
    f.press(&["Enter"]);
    assert!(
        f.status().contains("added Mia Cho as prospect"),
        "{}",
        f.status()
    );
    let mia = f.app.desk.prospect("mia@quanta.example").expect("added");
    assert_eq!(mia.company.as_deref(), Some("Quanta"));
    assert!(
        mia.notes.starts_with("Referred by Lee Park"),
        "{}",
        mia.notes
    );
}

#[test]
fn c_in_prospects_moves_a_replys_credit_and_u_puts_it_back() {
    let mut f = Fixture::seeded();
    // Dana (cold-21) worked her day-1 email and LinkedIn view; she replies now.
    let id = f.prospect_id("dana@northwind.example");
    f.select("Dana Reyes");
    f.press(&["r", "p"]);
    let stats = |f: &Fixture| {
        f.app
            .desk
            .stats(&touchbase::stats::Filter::default())
            .expect("stats")
    };
    let credited = |f: &Fixture| {
        let s = stats(f);
        let seq = s
            .sequences
            .iter()
            .find(|q| q.sequence == "cold-21")
            .expect("seq");
        seq.steps
            .iter()
            .filter(|st| st.replies > 0)
            .map(|st| st.step)
            .collect::<Vec<_>>()
    };
    assert_eq!(credited(&f), [1], "the email, not the view");
    let before = crate::db::dump_file(&f.db);
    f.press(&["2", "/"]);
    f.type_text("dana");
    f.press(&["Enter", "c"]);
    assert!(
        f.screen()
            .contains("Credit Dana Reyes's reply to which step?"),
        "{}",
        f.screen()
    );
    assert!(f.screen().contains("(credited now)"), "{}", f.screen());
    // The second choice: step 2, the profile view, worked on the same day.
    f.press(&["2"]);
    assert!(
        f.status().contains("reply now credited to step 2/10"),
        "{}",
        f.status()
    );
    assert_eq!(credited(&f), [2]);
    assert_eq!(
        stats(&f),
        f.app
            .desk
            .stats_from_log(&touchbase::stats::Filter::default())
            .expect("log")
    );
    f.press(&["u"]);
    // Every table as it was, but the log of actions (which keeps the undone one, marked).
    let mut after = crate::db::dump_file(&f.db);
    let mut before = before;
    after.remove("actions");
    before.remove("actions");
    crate::db::assert_same(&after, &before, "undo put the reply back exactly");
    assert_eq!(credited(&f), [1]);
    let _ = id;
}

#[test]
fn a_key_that_does_not_fit_the_step_is_explained_in_keys() {
    let mut f = Fixture::seeded();
    // Dana's current touch is a call: b (bounced) does not fit it.
    f.select("Dana Reyes");
    f.press(&["b"]);
    let status = f.status();
    assert!(status.contains("space asks how the call went"), "{status}");
    assert!(!status.contains("use one of"), "{status}");
}
