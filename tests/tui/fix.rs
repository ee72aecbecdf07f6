//! Fixing a prospect from the app: `E` edits their fields, `n` adds a note; the queue is
//! right again the moment they are saved, and undo takes it back.

use super::Fixture;
use touchbase::tui::Effect;
use touchbase::tui::fix;

#[test]
fn filling_the_missing_company_makes_the_touch_ready_and_undo_takes_it_back() {
    let mut f = Fixture::seeded();
    f.select("Ana Silva");
    assert!(f.screen().contains("missing company"), "{}", f.screen());
    let Effect::EditProspect(file) = f.press(&["E"]) else {
        panic!("E asks for the editor");
    };
    assert!(file.text.contains("company = \"\""), "{}", file.text);
    let saved = file
        .text
        .replace("company = \"\"", "company = \"Lumen Retail\"");
    fix::finish_edit(&mut f.app, file, Ok(saved));
    assert!(f.status().contains("Changed company"), "{}", f.status());
    let screen = f.screen();
    assert!(!screen.contains("missing company"), "{screen}");
    assert!(screen.contains("Lumen Retail"), "{screen}");
    f.press(&["u"]);
    assert!(f.screen().contains("missing company"), "{}", f.screen());
}

#[test]
fn a_broken_file_changes_nothing_and_says_where() {
    let mut f = Fixture::seeded();
    f.select("Ana Silva");
    let Effect::EditProspect(file) = f.press(&["E"]) else {
        panic!("E asks for the editor");
    };
    let before = f
        .app
        .desk
        .prospect_by_id(file.prospect_id.expect("a known prospect"))
        .expect("read");
    let saved = file.text.replace("company = \"\"", "company = \"Lumen");
    fix::finish_edit(&mut f.app, file.clone(), Ok(saved));
    assert!(
        f.status().starts_with("Not changed: prospect.toml line"),
        "{}",
        f.status()
    );
    assert_eq!(
        f.app
            .desk
            .prospect_by_id(file.prospect_id.expect("a known prospect"))
            .expect("read"),
        before
    );
}

#[test]
fn n_keeps_a_dated_note_on_the_prospect() {
    let mut f = Fixture::seeded();
    f.select("Lee Park");
    f.press(&["n"]);
    f.type_text("prefers calls after 3pm");
    f.press(&["Enter"]);
    let lee = f.app.desk.prospect("lee@quanta.example").expect("lee");
    assert!(
        lee.notes.ends_with("23 Nov 2026: prefers calls after 3pm"),
        "{:?}",
        lee.notes
    );
    // In the queue's detail, under the history.
    for _ in 0..30 {
        f.press(&["J"]);
    }
    assert!(f.screen().contains("── notes ──"), "{}", f.screen());
    f.press(&["2", "/"]);
    f.type_text("quanta");
    f.press(&["Enter"]);
    assert!(
        f.screen().contains("prefers calls after 3pm"),
        "{}",
        f.screen()
    );
}

#[test]
fn an_edit_left_unsent_on_quitting_is_a_draft_when_the_app_opens_again() {
    let mut f = Fixture::seeded();
    f.select("Lee Park");
    let Effect::Edit(req) = f.press(&["e"]) else {
        panic!("e asks for the editor");
    };
    let file = touchbase::tui::editor::to_file_text(&req.text);
    let edited = file.replace("Hi Lee,", "Lee, quick one:");
    touchbase::tui::work::finish_edit(&mut f.app, req, Ok(edited));
    let said = f.app.keep_drafts().expect("told about the draft");
    assert!(said.contains("Kept 1 message"), "{said}");
    let mut again = f.second_window();
    assert!(
        again.status().contains("1 message you edited"),
        "{}",
        again.status()
    );
    again.select("Lee Park");
    again.press(&["y"]);
    let copied = again.clipboard.last().expect("copied");
    assert!(copied.starts_with("Lee, quick one:"), "{copied}");
    // Sent: the draft is spent, and the next quit keeps nothing.
    again.press(&["space"]);
    assert_eq!(again.app.keep_drafts(), None);
    assert!(f.app.desk.drafts().expect("drafts").is_empty());
}

#[test]
fn a_adds_a_prospect_from_the_prospects_view_and_undo_takes_them_away() {
    let mut f = Fixture::seeded();
    f.press(&["2"]);
    let Effect::EditProspect(file) = f.press(&["a"]) else {
        panic!("a asks for the editor");
    };
    let saved = file
        .text
        .replace("first_name = \"\"", "first_name = \"Mia\"")
        .replace("last_name = \"\"", "last_name = \"Cho\"")
        .replace("email = \"\"", "email = \"mia@quanta.example\"");
    fix::finish_edit(&mut f.app, file, Ok(saved));
    assert!(f.status().contains("Mia Cho"), "{}", f.status());
    assert_eq!(
        f.app.prospects.selected_prospect().map(|p| p.full_name()),
        Some("Mia Cho".to_string())
    );
    f.press(&["u"]);
    assert!(f.app.desk.prospect("mia@quanta.example").is_err());
}

#[test]
fn e_in_sequences_enrolls_the_one_named_or_everyone_marked() {
    let mut f = Fixture::seeded();
    f.app
        .desk
        .add(
            super::person("Mia", "Cho", "mia@quanta.example"),
            None,
            super::now(),
        )
        .expect("add Mia");
    f.press(&["3"]);
    f.press(&["e"]);
    assert!(f.screen().contains("Enroll who in"), "{}", f.screen());
    f.type_text("mia@quanta.example");
    f.press(&["Enter"]);
    assert!(f.status().contains("Enrolled Mia Cho"), "{}", f.status());
    let mia = f.app.desk.prospect("mia@quanta.example").expect("mia");
    assert!(f.app.desk.open_enrollment(mia.id).expect("q").is_some());
    // Someone already in a sequence: the prompt stays open and says why.
    f.press(&["e"]);
    f.type_text("mia@quanta.example");
    f.press(&["Enter"]);
    assert!(f.app.modal.is_some(), "{}", f.screen());
}
