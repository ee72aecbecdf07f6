//! `C` copies a message that is not ready; `space` then asks whether it went out as copied
//! (DESIGN §2's override) and keeps that text, its gaps marked.

use super::Fixture;
use touchbase::domain::Outcome;
use touchbase::tui::modal::Modal;

/// The body frozen on the prospect's sent email, if one was logged.
fn sent_body(f: &Fixture, email: &str) -> Option<String> {
    let id = f.prospect_id(email);
    let h = f.app.desk.history(id).expect("history");
    h.into_iter()
        .find(|l| l.row.outcome == Outcome::Sent)
        .and_then(|l| l.row.body)
}

fn step_of(f: &Fixture, email: &str) -> usize {
    let id = f.prospect_id(email);
    let open = f.app.desk.open_enrollment(id).expect("query");
    open.expect("open enrollment").enrollment.step
}

#[test]
fn space_refuses_a_not_ready_message_and_names_c() {
    let mut f = Fixture::seeded();
    f.select("Ana Silva");
    f.press(&["space"]);
    assert!(f.app.modal.is_none());
    assert!(
        f.status().contains("C copies it as it is"),
        "{}",
        f.status()
    );
    assert_eq!(step_of(&f, "ana@silva.example"), 0);
}

#[test]
fn after_c_space_logs_the_copied_text_with_its_gaps_marked() {
    let mut f = Fixture::seeded();
    f.select("Ana Silva");
    f.press(&["C"]);
    let copied = f.clipboard.last().expect("copied anyway");
    assert!(copied.contains("⟨title⟩"), "{copied}");
    assert!(f.status().contains("space asks"), "{}", f.status());
    f.press(&["space"]);
    let Some(Modal::Pick(p)) = &f.app.modal else {
        panic!("space asks whether it went out as copied");
    };
    assert!(p.title.contains("Did it go out as copied?"), "{}", p.title);
    f.press(&["y"]);
    assert!(
        f.status()
            .contains("(kept as you copied it, gaps marked [field])"),
        "{}",
        f.status()
    );
    let kept = sent_body(&f, "ana@silva.example").expect("a frozen body");
    assert_eq!(
        kept,
        copied
            .replace("⟨title⟩", "[title]")
            .replace("⟨company⟩", "[company]")
    );
    assert!(!kept.contains('⟨'), "{kept}");
    // The next two steps (LinkedIn and a call; no profile or phone known) skipped
    // themselves: the follow-up email is current.
    assert_eq!(step_of(&f, "ana@silva.example"), 3);
}

#[test]
fn n_or_esc_after_c_logs_nothing() {
    let mut f = Fixture::seeded();
    f.select("Ana Silva");
    f.press(&["C", "space", "n"]);
    assert!(f.status().contains("Not logged"), "{}", f.status());
    f.press(&["space", "Esc"]);
    assert_eq!(step_of(&f, "ana@silva.example"), 0);
    assert_eq!(sent_body(&f, "ana@silva.example"), None);
}
