//! The header's progress: every worked touch counts, against the daily goal when the config
//! sets one, with the day's work by channel.

use super::Fixture;

#[test]
fn the_header_counts_every_kind_of_work_against_the_goal_by_channel() {
    let mut f = Fixture::seeded();
    f.resize(120, 40);
    f.app.desk.config.daily_goal = Some(10);
    f.select("Lee Park");
    f.press(&["space"]);
    f.select("Dana Reyes");
    f.press(&["space", "v"]);
    f.select("Ana Silva");
    f.press(&["s", "n"]);
    let header = f.screen().lines().next().expect("header").to_string();
    assert!(header.contains("3/10 done"), "{header}");
    assert!(header.contains("(✉ 2 ☎ 1)"), "{header}");
    assert!(header.contains("30%"), "{header}");
}
