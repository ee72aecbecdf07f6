//! `touchbase doctor` on a healthy setup and on a broken one: each problem found with where
//! it is, a non-zero exit on a failure, and `--fix` tightening the modes.

use crate::util::{Sandbox, mode};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

const MON: &str = "2026-11-23T10:00";

fn doctor(sb: &Sandbox, args: &[&str]) -> (bool, String) {
    let out = sb
        .cmd(MON)
        .arg("doctor")
        .args(args)
        .output()
        .expect("doctor");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn line<'a>(report: &'a str, level: &str, topic: &str) -> Vec<&'a str> {
    report
        .lines()
        .filter(|l| l.starts_with(&format!("{level:<5} {topic}")))
        .collect()
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

#[test]
fn a_healthy_setup_passes() {
    let sb = Sandbox::new();
    sb.write_me_in("Europe/Berlin");
    sb.add_dana(MON, "cold-7");
    let (ok, report) = doctor(&sb, &[]);
    assert!(ok, "{report}");
    assert!(line(&report, "fail", "").is_empty(), "{report}");
    assert_eq!(line(&report, "ok", "database").len(), 1, "{report}");
    assert!(report.contains("intact, 1 prospects"), "{report}");
    assert_eq!(line(&report, "ok", "backups").len(), 1, "{report}");
    assert_eq!(line(&report, "ok", "modes").len(), 1, "{report}");
    assert_eq!(line(&report, "ok", "sequences").len(), 1, "{report}");
    assert_eq!(line(&report, "ok", "time zone").len(), 1, "{report}");
    assert_eq!(line(&report, "ok", "calendar").len(), 1, "{report}");
    // No desktop and no tmux here: copy falls back to OSC 52, which is said.
    assert_eq!(line(&report, "warn", "clipboard").len(), 1, "{report}");
}

#[test]
fn a_broken_setup_is_found_line_by_line_and_fix_tightens_the_modes() {
    let sb = Sandbox::new();
    sb.write_me();
    sb.add_dana(MON, "cold-7");
    let db = sb.db();
    let data = db.parent().expect("data dir").to_path_buf();
    chmod(&db, 0o644);
    chmod(&data, 0o755);
    let seqs = sb.config_dir().join("sequences");
    std::fs::create_dir_all(&seqs).expect("sequences");
    std::fs::write(
        seqs.join("broken.toml"),
        "name = \"x\"\n[[steps]\nday = 1\n",
    )
    .expect("write");
    let templates = sb.config_dir().join("templates");
    std::fs::create_dir_all(&templates).expect("templates");
    std::fs::write(templates.join("bad.md"), "Hi {{ first_name \n").expect("write");
    std::fs::write(
        sb.config_dir().join("config.toml"),
        "timezone = \"Mars/Olympus\"\n",
    )
    .expect("write");
    let (ok, report) = doctor(&sb, &[]);
    assert!(!ok, "a failure exits non-zero: {report}");
    let config = line(&report, "fail", "config");
    assert!(
        config.len() == 1 && config[0].contains("config.toml:1:"),
        "{report}"
    );
    let files = line(&report, "fail", "sequences");
    assert!(
        files.iter().any(|l| l.contains("broken.toml:2:")),
        "{report}"
    );
    assert!(files.iter().any(|l| l.contains("bad.md:1:")), "{report}");
    let modes = line(&report, "warn", "modes");
    assert!(
        modes.iter().any(|l| l.contains("touchbase.db is 0644")),
        "{report}"
    );
    assert!(modes.iter().any(|l| l.contains("is 0755")), "{report}");
    assert!(modes.iter().all(|l| l.contains("doctor --fix")), "{report}");
    assert_eq!(mode(&db), 0o644, "doctor alone changes nothing");

    let (_, fixed) = doctor(&sb, &["--fix"]);
    assert!(fixed.contains("was 0644, now 0600"), "{fixed}");
    assert_eq!(mode(&db), 0o600);
    assert_eq!(mode(&data), 0o700);
    let (_, after) = doctor(&sb, &[]);
    assert!(line(&after, "warn", "modes").is_empty(), "{after}");
    assert_eq!(line(&after, "ok", "modes").len(), 1, "{after}");
}

#[test]
fn a_damaged_database_fails_with_the_way_back() {
    let sb = Sandbox::new();
    sb.add_dana(MON, "cold-7");
    {
        use std::io::{Seek, SeekFrom, Write};
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .open(sb.db())
            .expect("open");
        f.seek(SeekFrom::Start(4096 * 3)).expect("seek");
        f.write_all(&[0xa5; 4096 * 6]).expect("write");
    }
    let (ok, report) = doctor(&sb, &[]);
    assert!(!ok, "{report}");
    let db = line(&report, "fail", "database");
    assert!(
        db.len() == 1 && db[0].contains("damaged") && db[0].contains("touchbase restore"),
        "{report}"
    );
}

#[test]
fn the_inbox_settings_are_checked_when_present() {
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.config_dir()).expect("config dir");
    let maildir = sb.dir.path().join("Mail");
    std::fs::create_dir_all(&maildir).expect("a folder that is not a Maildir");
    std::fs::write(
        sb.config_dir().join("config.toml"),
        format!(
            "[inbox]\nmaildir = \"{}\"\nimap = \"imaps://dana@127.0.0.1:1\"\npassword_command = \"echo secret\"\nca_file = \"{}/none.pem\"\n",
            maildir.display(),
            sb.dir.path().display()
        ),
    )
    .expect("config");
    let (ok, report) = doctor(&sb, &[]);
    assert!(!ok, "{report}");
    let fails = line(&report, "fail", "inbox");
    assert!(
        fails.iter().any(|l| l.contains("is not a Maildir")),
        "{report}"
    );
    assert!(
        fails.iter().any(|l| l.contains("none.pem does not exist")),
        "{report}"
    );
    let warns = line(&report, "warn", "inbox");
    assert!(
        warns
            .iter()
            .any(|l| l.contains("127.0.0.1:1 does not answer")),
        "{report}"
    );
    // A Maildir that is one passes.
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(maildir.join(sub)).expect("maildir");
    }
    let (_, report) = doctor(&sb, &[]);
    assert!(
        line(&report, "ok", "inbox")
            .iter()
            .any(|l| l.contains("is a Maildir")),
        "{report}"
    );
}
