//! The inbox in the app: `i` reads the mailbox in the background; a key never waits for it,
//! and what it applied shows in the header and the queue as another writer's change would.

use super::Fixture;
use std::time::{Duration, Instant};
use touchbase::tui::inbox_sync::{self, InboxSync};

#[test]
fn i_reads_the_inbox_in_the_background_and_the_reply_leaves_the_queue() {
    let mut f = Fixture::seeded();
    f.resize(120, 40);
    // Lee answers; the reply lands in a Maildir the config names.
    let dir = f.db.parent().expect("folder").join("Mail");
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(dir.join(sub)).expect("maildir");
    }
    let reply = "From: Lee Park <lee@quanta.example>\nTo: sam@relaypoint.example\n\
                 Subject: Re: Quanta\nDate: Mon, 23 Nov 2026 08:40:00 +0100\n\
                 Message-ID: <lee-1@quanta.example>\n\nHappy to talk on Thursday.\n";
    std::fs::write(dir.join("new/1764000000.M1P1.host"), reply).expect("mail");
    f.app.desk.config.inbox = Some(touchbase::config::Inbox {
        maildir: Some(dir.display().to_string()),
        ..Default::default()
    });
    f.app.inbox = InboxSync::start(&f.app.desk);
    assert!(f.in_queue("Lee Park"));
    f.press(&["i"]);
    assert!(f.status().contains("Reading the inbox"), "{}", f.status());
    let start = Instant::now();
    while f.app.inbox_said.is_none() && start.elapsed() < Duration::from_secs(10) {
        inbox_sync::poll(&mut f.app);
        std::thread::sleep(Duration::from_millis(20));
    }
    f.app.sync();
    assert!(
        f.status().contains("Inbox: 1 reply — u undoes"),
        "{}",
        f.status()
    );
    assert!(f.screen().contains("Inbox: 1 reply"), "{}", f.screen());
    assert!(!f.in_queue("Lee Park"), "{}", f.screen());
    f.press(&["u"]);
    assert!(f.in_queue("Lee Park"), "{}", f.status());
    // Asked again, with nothing new: it says so.
    f.press(&["i"]);
    let start = Instant::now();
    while f.status().contains("Reading") && start.elapsed() < Duration::from_secs(10) {
        inbox_sync::poll(&mut f.app);
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(f.status().contains("Inbox: nothing new"), "{}", f.status());
}

/// Someone at Northwind answers the subject of an email Dana was sent; the Maildir holding
/// it is the app's inbox.
fn colleague_answers_dana(f: &mut Fixture, from: &str, prefix: &str, text: &str) {
    let dana = f.prospect_id("dana@northwind.example");
    let subject = f
        .app
        .desk
        .history(dana)
        .expect("history")
        .into_iter()
        .find_map(|h| h.row.subject)
        .expect("an email went out");
    let dir = f.db.parent().expect("folder").join("Mail");
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(dir.join(sub)).expect("maildir");
    }
    let id = from.split('@').next().unwrap_or("x");
    let reply = format!(
        "From: {from}\nTo: sam@relaypoint.example\nSubject: {prefix} {subject}\n\
         Date: Mon, 23 Nov 2026 08:40:00 +0100\nMessage-ID: <{id}-1@northwind.example>\n\n{text}\n"
    );
    std::fs::write(dir.join(format!("new/1764000001.M1P1.{id}")), reply).expect("mail");
    f.app.desk.config.inbox = Some(touchbase::config::Inbox {
        maildir: Some(dir.display().to_string()),
        ..Default::default()
    });
}

#[test]
fn a_reply_from_a_colleague_is_possible_until_the_rep_confirms_it_with_one_key() {
    let mut f = Fixture::seeded();
    f.resize(120, 40);
    colleague_answers_dana(
        &mut f,
        "Ops Desk <ops@northwind.example>",
        "Re:",
        "Dana asked me to reply: Thursday works.",
    );
    let synced = f.app.desk.sync_inbox(false, super::now()).expect("sync");
    assert!(
        synced.summary.contains("1 possible reply to confirm (I)"),
        "{}",
        synced.summary
    );
    assert!(f.in_queue("Dana Reyes"), "not applied on a guess");
    f.app.reload().expect("reload");
    f.press(&["I"]);
    let screen = f.screen();
    assert!(screen.contains("To confirm: which one?"), "{screen}");
    assert!(
        screen.contains("reply: Dana Reyes? ops@northwind.example"),
        "{screen}"
    );
    f.press(&["1"]);
    assert!(
        f.screen().contains("yes: log it as it says"),
        "{}",
        f.screen()
    );
    f.press(&["r"]);
    assert!(f.status().contains("Dana Reyes"), "{}", f.status());
    assert!(!f.in_queue("Dana Reyes"), "{}", f.screen());
    f.press(&["I"]);
    assert!(f.status().contains("No possible reply"), "{}", f.status());
}

#[test]
fn a_possible_reply_that_is_not_one_is_dismissed_and_changes_nothing() {
    let mut f = Fixture::seeded();
    colleague_answers_dana(
        &mut f,
        "IT <it@northwind.example>",
        "RE:",
        "Please use the vendor portal.",
    );
    f.app.desk.sync_inbox(false, super::now()).expect("sync");
    f.press(&["I", "1", "d"]);
    assert!(f.status().contains("Dismissed"), "{}", f.status());
    assert!(f.in_queue("Dana Reyes"));
    assert!(f.app.desk.possible_replies().expect("list").is_empty());
}

/// Two people at Northwind got the same opener; a reply from a third address there names
/// neither: `I` lists both and "someone new", and choosing someone new adds the sender as a
/// prospect at Northwind, with both sequences left as they were.
#[test]
fn a_colleagues_reply_on_a_subject_sent_to_two_lists_both_and_someone_new() {
    let mut f = Fixture::seeded_with(|desk| {
        let tom = touchbase::domain::Prospect {
            first_name: "Tom".into(),
            last_name: "Lind".into(),
            email: Some("tom@northwind.example".into()),
            company: Some("Northwind".into()),
            phone: Some("+1 415 555 0199".into()),
            linkedin: Some("linkedin.com/in/tom-lind".into()),
            ..Default::default()
        };
        super::at_first_call(desk, tom);
    });
    f.resize(120, 40);
    colleague_answers_dana(
        &mut f,
        "Ops Desk <ops@northwind.example>",
        "Re:",
        "Forwarding this to the right team.",
    );
    let synced = f.app.desk.sync_inbox(false, super::now()).expect("sync");
    let message = &synced.messages[0];
    assert_eq!(message.candidates.len(), 2, "{message:?}");
    assert!(
        message.action.contains("one of 2 people"),
        "{}",
        message.action
    );
    f.app.reload().expect("reload");
    f.press(&["I"]);
    let screen = f.screen();
    for who in [
        "reply: Dana Reyes?",
        "reply: Tom Lind?",
        "reply: someone new?",
    ] {
        assert!(screen.contains(who), "{who}\n{screen}");
    }
    f.press(&["3"]);
    assert!(
        f.screen().contains("yes: add them as a prospect"),
        "{}",
        f.screen()
    );
    f.press(&["r"]);
    assert!(
        f.status().contains("someone new at northwind.example"),
        "{}",
        f.status()
    );
    let added = f.app.desk.prospect("ops@northwind.example").expect("added");
    assert_eq!(added.company.as_deref(), Some("Northwind"));
    assert!(
        f.in_queue("Dana Reyes") && f.in_queue("Tom Lind"),
        "neither closed"
    );
}

/// Dana writes "not now" from her own address: the reply waits with what her words suggest,
/// and `space` then `k` takes it (she comes back in March into re-engagement); `r` there
/// says another kind instead.
#[test]
fn the_kind_a_reply_suggests_is_taken_with_one_key() {
    let mut f = Fixture::seeded();
    f.resize(120, 40);
    colleague_answers_dana(
        &mut f,
        "Dana Reyes <dana@northwind.example>",
        "Re:",
        "Thanks, but not now. Circle back in March and we can look at it then.",
    );
    f.app.desk.sync_inbox(false, super::now()).expect("sync");
    f.app.reload().expect("reload");
    let dana = f.prospect_id("dana@northwind.example");
    let at = f
        .app
        .queue
        .tasks
        .iter()
        .position(|t| t.prospect.id == dana)
        .expect("Dana's reply waits");
    f.app.queue.on_task = Some(at);
    assert!(
        f.screen()
            .contains("Their words suggest: not-now, back Mon 1 Mar 2027 (“not now”)"),
        "{}",
        f.screen()
    );
    f.press(&["space"]);
    assert!(
        f.screen()
            .contains("k  take it: not-now, back Mon 1 Mar 2027"),
        "{}",
        f.screen()
    );
    f.press(&["k"]);
    assert!(
        f.status()
            .contains("back in re-engagement on Mon 1 Mar 2027"),
        "{}",
        f.status()
    );
    assert!(f.app.queue.tasks.iter().all(|t| t.prospect.id != dana));
    // Undone, and said to be a question instead: noted, still waiting on the rep.
    f.press(&["u"]);
    let at = f
        .app
        .queue
        .tasks
        .iter()
        .position(|t| t.prospect.id == dana)
        .expect("back");
    f.app.queue.on_task = Some(at);
    f.press(&["space", "r", "q"]);
    assert!(
        f.status().contains("Dana Reyes: question, noted"),
        "{}",
        f.status()
    );
    let task = f
        .app
        .queue
        .tasks
        .iter()
        .find(|t| t.prospect.id == dana)
        .expect("still waiting");
    assert_eq!(task.conversation.kind.as_deref(), Some("question"));
}
