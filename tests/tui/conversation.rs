//! The conversations waiting on the rep, in the app: a reply marked with `r` waits above the
//! touches; `space` on it asks what comes next, one key each.

use super::Fixture;
use touchbase::tui::modal::Modal;

/// Lee Park answers with a question: `r q`, then the selection moves up onto the task.
fn lee_asked() -> Fixture {
    let mut f = Fixture::seeded();
    f.select("Lee Park");
    f.press(&["r", "q"]);
    assert_eq!(f.app.queue.tasks.len(), 1, "{}", f.status());
    assert!(!f.in_queue("Lee Park"));
    // Omar's inbound call leads the queue; the conversation comes right after it.
    f.app.queue.selected = 0;
    assert!(
        f.selected_name().contains("Omar Haddad"),
        "{}",
        f.selected_name()
    );
    f.press(&["j"]);
    assert_eq!(f.app.queue.on_task, Some(0));
    f
}

#[test]
fn a_reply_waits_above_the_touches_with_its_detail() {
    let mut f = lee_asked();
    f.resize(120, 40);
    let screen = f.screen();
    assert!(screen.contains("Waiting on you · 1"), "{screen}");
    assert!(screen.contains("↩ reply    Lee Park"), "{screen}");
    assert!(
        screen.contains("Replied today: your answer is due."),
        "{screen}"
    );
    assert!(screen.contains("kind: question"), "{screen}");
    // The order on screen is the order of the keys: the lead, the task, the other touches.
    let (lead, task, touch) = (
        screen.find("Omar Haddad").expect("the lead"),
        screen.find("↩ reply    Lee Park").expect("the task"),
        screen.find("Then").expect("the other touches"),
    );
    assert!(lead < task && task < touch, "{screen}");
    // Down from the task is the first touch after the lead; up from there, the task again;
    // up from the task, the lead.
    f.press(&["j"]);
    assert_eq!((f.app.queue.on_task, f.app.queue.selected), (None, 1));
    f.press(&["k"]);
    assert_eq!(f.app.queue.on_task, Some(0));
    f.press(&["k"]);
    assert_eq!((f.app.queue.on_task, f.app.queue.selected), (None, 0));
}

#[test]
fn answered_takes_it_off_today_and_u_puts_it_back() {
    let mut f = lee_asked();
    f.press(&["space"]);
    let Some(Modal::Pick(p)) = &f.app.modal else {
        panic!("space asks what comes next");
    };
    assert!(
        p.title.contains("Lee Park: what comes next?"),
        "{}",
        p.title
    );
    f.press(&["a"]);
    assert!(f.status().contains("Answered Lee Park"), "{}", f.status());
    assert!(f.app.queue.tasks.is_empty());
    f.press(&["u"]);
    assert_eq!(f.app.queue.tasks.len(), 1, "{}", f.status());
}

#[test]
fn closed_lost_asks_why_and_a_meeting_asks_when() {
    let mut f = lee_asked();
    f.press(&["space", "l"]);
    f.press(&["Enter"]);
    assert!(f.screen().contains("type why"), "{}", f.screen());
    f.type_text("went with a competitor");
    f.press(&["Enter"]);
    assert!(
        f.status()
            .contains("Closed lost with Lee Park: went with a competitor"),
        "{}",
        f.status()
    );
    assert!(f.app.queue.tasks.is_empty());
    // Back, and booked instead: the meeting waits for its day (Thursday).
    f.press(&["u", "j", "space", "m"]);
    f.type_text("thu 2pm");
    f.press(&["Enter"]);
    assert!(
        f.status().contains("Meeting booked with Lee Park"),
        "{}",
        f.status()
    );
    assert!(f.app.queue.tasks.is_empty(), "the meeting is not today");
}

#[test]
fn start_a_sequence_offers_the_sequences_and_enrolls_without_a_cool_off() {
    let mut f = lee_asked();
    f.press(&["space", "s"]);
    let Some(Modal::Pick(p)) = &f.app.modal else {
        panic!("s offers the sequences");
    };
    let key = p
        .choices
        .iter()
        .find(|c| c.label.starts_with("post-demo"))
        .map(|c| c.key.to_string())
        .expect("post-demo is offered");
    f.press(&[key.as_str()]);
    assert!(
        f.status().contains("Enrolled Lee Park in post-demo"),
        "{}",
        f.status()
    );
    assert!(f.app.queue.tasks.is_empty());
    assert!(f.in_queue("Lee Park"), "the recap is due today");
}

/// After a reply only the sequences a conversation may ask for are offered (no cold ones);
/// `proposal` asks the decision date first and times its late steps to it.
#[test]
fn start_a_sequence_offers_no_cold_one_and_proposal_asks_the_decision_date() {
    let mut f = lee_asked();
    f.press(&["space", "s"]);
    let Some(Modal::Pick(p)) = &f.app.modal else {
        panic!("s offers the sequences");
    };
    let names: Vec<&str> = p
        .choices
        .iter()
        .filter_map(|c| c.label.split_whitespace().next())
        .collect();
    for cold in ["classic-4", "cold-7", "cold-21"] {
        assert!(!names.contains(&cold), "{cold} offered: {names:?}");
    }
    for warm in ["post-demo", "proposal", "missed-meeting", "re-engagement"] {
        assert!(names.contains(&warm), "{warm} not offered: {names:?}");
    }
    let key = p
        .choices
        .iter()
        .find(|c| c.label.starts_with("proposal"))
        .map(|c| c.key.to_string())
        .expect("proposal is offered");
    f.press(&[key.as_str()]);
    let Some(Modal::Prompt(prompt)) = &f.app.modal else {
        panic!("proposal asks the decision date");
    };
    assert_eq!(prompt.title, "When does Lee Park decide?");
    f.type_text("2027-01-15");
    f.press(&["Enter"]);
    assert!(
        f.status().contains("Enrolled Lee Park in proposal"),
        "{}",
        f.status()
    );
    assert!(f.app.queue.tasks.is_empty());
}

#[test]
fn not_now_on_a_conversation_brings_them_back_into_re_engagement() {
    let mut f = lee_asked();
    f.press(&["space", "n"]);
    f.type_text("jan 11");
    f.press(&["Enter"]);
    assert!(
        f.status()
            .contains("not now — back in re-engagement on Mon 11 Jan 2027"),
        "{}",
        f.status()
    );
    assert!(f.app.queue.tasks.is_empty());
}

#[test]
fn x_then_capital_d_puts_the_whole_domain_on_the_list() {
    let mut f = Fixture::seeded();
    f.select("Lee Park");
    f.press(&["x"]);
    assert!(
        f.status().contains("D adds their whole email domain"),
        "{}",
        f.status()
    );
    f.press(&["D"]);
    assert!(
        f.status()
            .contains("Every address at quanta.example is on the do-not-contact list"),
        "{}",
        f.status()
    );
    // D again has nothing to follow.
    f.press(&["D"]);
    assert!(f.status().contains("D follows x"), "{}", f.status());
}

#[test]
fn the_prospect_card_says_what_waits_on_the_rep() {
    let mut f = lee_asked();
    f.resize(120, 40);
    f.press(&["2", "/"]);
    f.type_text("Lee Park");
    f.press(&["Enter"]);
    let screen = f.screen();
    assert!(screen.contains("waiting   reply since today"), "{screen}");
}

#[test]
fn a_booked_meeting_shows_in_upcoming_on_its_day() {
    let mut f = lee_asked();
    f.resize(120, 40);
    f.press(&["space", "m"]);
    f.type_text("thu 2pm");
    f.press(&["Enter", "5"]);
    let screen = f.screen();
    let thursday = screen
        .lines()
        .position(|l| l.contains("Thu 26 Nov"))
        .expect("Thursday's heading");
    let meeting = screen
        .lines()
        .position(|l| l.contains("◆  meeting 14:00 · Lee Park Quanta"))
        .expect("the meeting");
    assert_eq!(meeting, thursday + 1, "{screen}");
}

/// The app opens on the top of the day's order: Omar's new lead while it waits, then, once
/// his call is made, Lee's reply rather than the first touch.
#[test]
fn the_app_opens_on_the_lead_else_on_what_waits() {
    let f = lee_asked();
    let g = f.second_window();
    assert_eq!(g.app.queue.on_task, None);
    assert!(
        g.selected_name().contains("Omar Haddad"),
        "{}",
        g.selected_name()
    );
    let mut g = g;
    g.select("Omar Haddad");
    g.press(&["space", "n"]);
    assert!(g.status().contains("Omar Haddad"), "{}", g.status());
    let h = g.second_window();
    assert_eq!(h.app.queue.leads(), 0);
    assert_eq!(h.app.queue.on_task, Some(0));
    assert_eq!(
        h.app
            .queue
            .selected_task()
            .map(|t| t.prospect.full_name())
            .as_deref(),
        Some("Lee Park")
    );
}

/// With conversations above them, fewer touches fit: the list still scrolls to keep the
/// selected touch in sight.
#[test]
fn the_selected_touch_stays_in_sight_below_the_conversations() {
    let mut f = lee_asked();
    f.resize(100, 20);
    f.press(&["G"]);
    let name = touchbase::text::sanitize(&f.selected_name());
    let screen = f.screen();
    let list_row = screen
        .lines()
        .any(|l| l.contains(name.as_str()) && !l.contains('─'));
    assert!(list_row, "{name} is not in the list:\n{screen}");
}

/// A filter narrows the touches: from a conversation, the selection goes to them.
#[test]
fn a_filter_takes_the_selection_to_the_touches() {
    let mut f = lee_asked();
    f.press(&["/"]);
    f.type_text("Silva");
    f.press(&["Enter"]);
    assert_eq!(f.app.queue.on_task, None);
    assert!(
        f.selected_name().contains("Ana Silva"),
        "{}",
        f.selected_name()
    );
}
