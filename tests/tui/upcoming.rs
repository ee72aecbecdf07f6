//! The Upcoming view: the next working days with their touches, and a touch worked ahead
//! of its day on purpose.

use super::{Fixture, at, enroll, person};

/// The seeded day, and two prospects whose sequences start later this week.
fn with_the_week() -> Fixture {
    let mut f = Fixture::seeded();
    let now = at("2026-11-23T08:50:00");
    let mia = touchbase::domain::Prospect {
        company: Some("Quanta".into()),
        ..person("Mia", "Cho", "mia@quanta.example")
    };
    f.app
        .desk
        .add(mia, enroll("classic-4", "2026-11-24"), now)
        .expect("add Mia");
    let kai = touchbase::domain::Prospect {
        company: Some("Fabrikam".into()),
        phone: Some("+49 30 5555 0101".into()),
        ..person("Kai", "Berg", "kai@fabrikam.example")
    };
    f.app
        .desk
        .add(kai, enroll("cold-21", "2026-11-25"), now)
        .expect("add Kai");
    f.app.reload().expect("reload");
    f
}

#[test]
fn upcoming_at_80x24_and_120x40() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut f = with_the_week();
        f.resize(w, h);
        f.press(&["5"]);
        super::snapshots::snap(&format!("upcoming_{w}x{h}"), &f.screen());
    }
}

#[test]
fn tomorrow_is_there_and_space_works_a_touch_ahead_which_moves_the_rest_up() {
    let mut f = with_the_week();
    f.press(&["5"]);
    let screen = f.screen();
    assert!(screen.contains("(tomorrow)"), "{screen}");
    let total = f.app.upcoming.len();
    assert!(total > 0, "{screen}");
    let (day, entry) = f.app.upcoming.selected_entry().expect("a touch");
    let (day, who, enrollment) = (day, entry.brief.prospect_id, entry.brief.enrollment_id);
    let step = entry.brief.step;
    let before = f
        .app
        .desk
        .open_enrollment(who)
        .expect("query")
        .expect("open")
        .enrollment;
    assert_eq!(before.id, enrollment);
    assert!(before.due.map(|d| d.date()) == Some(day));
    f.press(&["space"]);
    if f.app.modal.is_some() {
        // A call asks how it went.
        f.press(&["v"]);
    }
    assert!(f.status().contains("Worked ahead"), "{}", f.status());
    let after = f.app.desk.enrollments(who).expect("read");
    let e = &after.last().expect("enrolled").enrollment;
    assert!(e.step > step || !e.status.is_open(), "{e:?}");
    // Mia's opener went out a day early; her next step comes a day earlier too (Wed, not
    // Thu), and the view shows it there.
    assert_eq!(
        e.due.map(|d| d.date()),
        Some(super::day("2026-11-25")),
        "{e:?}"
    );
    assert_eq!(f.app.upcoming.len(), total, "{}", f.screen());
    assert!(f.screen().contains("step 2 · classic-4"), "{}", f.screen());
    // Undo puts it back on its day.
    f.press(&["u"]);
    let back = f
        .app
        .desk
        .open_enrollment(who)
        .expect("query")
        .expect("open")
        .enrollment;
    assert_eq!(back.step, step);
    assert_eq!(back.due, before.due);
}
