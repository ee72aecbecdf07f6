//! The snooze prompt reads every day phrase of the shared table (tests/dates.rs) as the
//! command line does: the touch moves to that day.

use super::{Fixture, day};
use crate::dates::DAYS;

#[test]
fn the_snooze_prompt_reads_every_phrase_of_the_table() {
    // The fixture's clock is Monday 23 November 2026; a snooze goes to a later day.
    for (typed, want) in DAYS
        .iter()
        .filter(|(_, want)| day(want) > day("2026-11-23"))
    {
        let mut f = Fixture::seeded();
        f.select("Lee Park");
        f.press(&["z", "d"]);
        f.type_text(typed);
        f.press(&["Enter"]);
        let id = f.prospect_id("lee@quanta.example");
        let open = f
            .app
            .desk
            .open_enrollment(id)
            .expect("query")
            .expect("open");
        assert_eq!(
            open.enrollment.due.map(|d| d.date()),
            Some(day(want)),
            "{typed}: {}",
            f.status()
        );
    }
}
