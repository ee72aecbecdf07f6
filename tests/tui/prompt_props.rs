//! Keys typed into every prompt the app opens (dates, reasons, filters, time off), random
//! characters from any script mixed with editing keys, never panic the app, and a prompt
//! closed with Esc changes nothing in the database.

use super::Fixture;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use proptest::prelude::*;
use touchbase::tui::handle_key;

fn key() -> impl Strategy<Value = KeyEvent> {
    let plain = |code| KeyEvent::new(code, KeyModifiers::NONE);
    prop_oneof![
        4 => any::<char>().prop_map(move |c| plain(KeyCode::Char(c))),
        1 => Just(plain(KeyCode::Backspace)),
        1 => Just(plain(KeyCode::Left)),
        1 => Just(plain(KeyCode::Right)),
        1 => Just(plain(KeyCode::Home)),
        1 => Just(plain(KeyCode::End)),
        1 => Just(plain(KeyCode::Delete)),
        1 => Just(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
        1 => Just(KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL)),
    ]
}

/// The keys that open a prompt that takes typed text, from the Queue.
const OPENERS: [&[&str]; 6] = [
    &["z", "d"],
    &["p"],
    &["s", "o"],
    &["/"],
    &["V"],
    &["2", "R", "o"],
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn typing_anything_into_a_prompt(
        opener in prop::sample::select(OPENERS.to_vec()),
        keys in prop::collection::vec(key(), 0..40),
    ) {
        let mut f = Fixture::seeded();
        let before = crate::db::dump_file(&f.db);
        f.press(opener);
        for k in keys {
            handle_key(&mut f.app, k);
        }
        let _ = f.screen();
        f.press(&["Esc", "Esc"]);
        let _ = f.screen();
        prop_assert_eq!(crate::db::dump_file(&f.db), before);
    }
}

#[test]
fn a_control_chord_never_picks_the_choice_of_its_letter() {
    let mut f = Fixture::seeded();
    let before = crate::db::dump_file(&f.db);
    f.press(&["z"]);
    // Ctrl-W and Alt-T are not "w" (next week) and "t" (tomorrow).
    handle_key(
        &mut f.app,
        KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL),
    );
    handle_key(
        &mut f.app,
        KeyEvent::new(KeyCode::Char('t'), KeyModifiers::ALT),
    );
    assert!(f.screen().contains("Snooze"), "the picker stays open");
    f.press(&["Esc"]);
    assert_eq!(crate::db::dump_file(&f.db), before);
}

#[test]
fn ctrl_u_clears_and_ctrl_w_deletes_a_word_in_a_prompt() {
    let mut f = Fixture::seeded();
    f.press(&["z", "d"]);
    f.type_text("next mié");
    handle_key(
        &mut f.app,
        KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL),
    );
    assert!(f.screen().contains("next "), "{}", f.screen());
    assert!(!f.screen().contains("mié"), "{}", f.screen());
    handle_key(
        &mut f.app,
        KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL),
    );
    f.type_text("+3");
    assert!(f.screen().contains("+3"), "{}", f.screen());
    assert!(!f.screen().contains("> next"), "{}", f.screen());
}

#[test]
fn ctrl_a_and_home_go_to_the_start_and_ctrl_e_and_end_back_to_the_end() {
    let mut f = Fixture::seeded();
    f.select("Lee Park");
    f.press(&["z", "d"]);
    f.type_text("3");
    handle_key(
        &mut f.app,
        KeyEvent::new(KeyCode::Char('a'), KeyModifiers::CONTROL),
    );
    f.type_text("+");
    handle_key(
        &mut f.app,
        KeyEvent::new(KeyCode::Char('e'), KeyModifiers::CONTROL),
    );
    f.type_text("x");
    handle_key(
        &mut f.app,
        KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE),
    );
    handle_key(&mut f.app, KeyEvent::new(KeyCode::Home, KeyModifiers::NONE));
    handle_key(&mut f.app, KeyEvent::new(KeyCode::End, KeyModifiers::NONE));
    assert!(f.screen().contains("+3▏"), "{}", f.screen());
    f.press(&["Enter"]);
    assert!(f.status().contains("Snoozed"), "{}", f.status());
}
