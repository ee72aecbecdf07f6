//! The README's screenshots are drawn by the app itself (`touchbase screen --svg`) from the
//! demo on a fixed clock. This test draws them again and fails when a committed one is
//! stale; `TOUCHBASE_UPDATE_SCREENSHOTS=1 cargo test screenshots` writes them afresh.

use crate::util::Sandbox;
use std::path::PathBuf;

const NOW: &str = "2026-11-24T09:30";

/// Each screenshot: its file, and the keys pressed before it is taken.
const SHOTS: &[(&str, &str)] = &[
    // The queue, on a touch that is ready to send.
    ("queue.svg", "j j j j j j j j j j"),
    // The call block, and the outcome picker of its first call.
    ("call.svg", "f c space"),
    // Stats over all time.
    ("stats.svg", "4 t t"),
];

fn demo() -> Sandbox {
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.config_dir()).expect("config dir");
    // The rep's clock is pinned too: the same pictures on every machine.
    std::fs::write(
        sb.config_dir().join("config.toml"),
        "timezone = \"America/New_York\"\n",
    )
    .expect("config");
    sb.cmd(NOW)
        .args(["demo", "--no-open", "--db"])
        .arg(sb.db())
        .assert()
        .success();
    sb
}

fn draw(sb: &Sandbox, keys: &str) -> String {
    let out = sb
        .cmd(NOW)
        .args([
            "screen", "--svg", "--width", "100", "--height", "30", "--keys", keys,
        ])
        .assert()
        .success();
    String::from_utf8(out.get_output().stdout.clone()).expect("utf-8")
}

#[test]
fn the_readme_screenshots_are_the_app_as_it_draws_today() {
    let sb = demo();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/screenshots");
    let update = std::env::var_os("TOUCHBASE_UPDATE_SCREENSHOTS").is_some();
    let mut stale = Vec::new();
    for (file, keys) in SHOTS {
        let drawn = draw(&sb, keys);
        assert!(
            drawn.starts_with("<svg ") && drawn.ends_with("</svg>\n"),
            "{drawn}"
        );
        let path = dir.join(file);
        if update {
            std::fs::write(&path, &drawn).expect("write the screenshot");
            continue;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed != drawn {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "stale screenshots: {}; run TOUCHBASE_UPDATE_SCREENSHOTS=1 cargo test screenshots",
        stale.join(", ")
    );
}

#[test]
fn the_pictures_show_what_they_say() {
    let sb = demo();
    let text = |keys: &str| {
        let out = sb
            .cmd(NOW)
            .args(["screen", "--width", "100", "--height", "30", "--keys", keys])
            .assert()
            .success();
        String::from_utf8_lossy(&out.get_output().stdout).into_owned()
    };
    assert!(
        text("f c space").contains("How did the call with"),
        "the outcome picker"
    );
    assert!(
        text("4 t t").contains("Stats · all sequences · all time"),
        "the Stats view"
    );
    // Keys act inside a transaction that is never committed: the action shows on the
    // screen, and the demo database is as it was.
    let before = crate::db::dump_file(&sb.db());
    let sent = text("f e j space");
    assert!(
        sent.contains(" Sent 3/4 new-angle to Mateo Morales"),
        "{sent}"
    );
    text("space space space u");
    assert_eq!(crate::db::dump_file(&sb.db()), before);
}

#[test]
fn an_unknown_key_is_refused_by_name() {
    let sb = Sandbox::new();
    let out = sb
        .cmd(NOW)
        .args(["screen", "--keys", "j PageDown"])
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.starts_with("error: --keys: 'PageDown' is not a key"),
        "{err}"
    );
}
