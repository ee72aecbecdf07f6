//! Snapshots and putting one back, through the binary: the daily snapshot before the first
//! change of a day, how many are kept, `backup`, and `restore` over a damaged or deleted
//! file, refusing a backup that is newer or damaged.

use crate::db::dump_file;
use crate::util::{Sandbox, mode};
use std::path::{Path, PathBuf};

const MON: &str = "2026-11-23T10:00";

fn backups(sb: &Sandbox) -> PathBuf {
    sb.db().parent().expect("data dir").join("backups")
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn add(sb: &Sandbox, now: &str, first: &str) {
    sb.cmd(now)
        .args(["add", "--first", first, "--email"])
        .arg(format!("{}@example.com", first.to_lowercase()))
        .assert()
        .success();
}

#[test]
fn the_first_change_of_each_day_keeps_a_private_snapshot_and_old_ones_go() {
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.config_dir()).expect("config dir");
    std::fs::write(sb.config_dir().join("config.toml"), "backups_kept = 2\n").expect("config");
    add(&sb, "2026-11-23T09:00", "Ana");
    let dir = backups(&sb);
    assert_eq!(names(&dir), ["touchbase-2026-11-23.db"]);
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join("touchbase-2026-11-23.db")), 0o600);
    // Taken before the change: the day's first state, without Ana.
    let first = dump_file(&dir.join("touchbase-2026-11-23.db"));
    assert!(
        first.get("prospects").is_none_or(|rows| rows.is_empty()),
        "{first:?}"
    );
    // The rest of the day adds none; reading adds none.
    add(&sb, "2026-11-23T15:00", "Bo");
    sb.cmd("2026-11-24T09:00").arg("due").assert().success();
    assert_eq!(names(&dir), ["touchbase-2026-11-23.db"]);
    add(&sb, "2026-11-24T09:05", "Cy");
    add(&sb, "2026-11-25T09:05", "Di");
    assert_eq!(
        names(&dir),
        ["touchbase-2026-11-24.db", "touchbase-2026-11-25.db"],
        "two kept"
    );
    // The 25th's snapshot holds the 24th's work: Ana, Bo and Cy.
    let kept = dump_file(&dir.join("touchbase-2026-11-25.db"));
    assert_eq!(kept["prospects"].len(), 3, "{kept:?}");
}

#[test]
fn backup_writes_a_snapshot_on_demand_that_opens_on_its_own() {
    let sb = Sandbox::new();
    add(&sb, MON, "Ana");
    let to = sb.dir.path().join("copy.db");
    let out = sb
        .cmd(MON)
        .args(["backup", "--to"])
        .arg(&to)
        .assert()
        .success();
    let said = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(said.starts_with("Backed up to "), "{said}");
    assert_eq!(mode(&to), 0o600);
    assert!(!PathBuf::from(format!("{}-wal", to.display())).exists());
    assert_eq!(dump_file(&to), dump_file(&sb.db()));
    sb.cmd("2026-11-23T11:30").arg("backup").assert().success();
    assert!(
        names(&backups(&sb)).contains(&"touchbase-2026-11-23-113000.db".to_string()),
        "{:?}",
        names(&backups(&sb))
    );
}

/// Overwrites every page of a database file but the first (its header).
fn damage(path: &Path) {
    use std::io::{Seek, SeekFrom, Write};
    let len = std::fs::metadata(path).expect("size").len();
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .expect("open");
    f.seek(SeekFrom::Start(4096)).expect("seek");
    let rest = usize::try_from(len.saturating_sub(4096)).expect("size");
    f.write_all(&vec![0x5a; rest]).expect("write");
}

/// Overwrites page `n` (1-based) of a database file.
fn damage_page(path: &Path, n: u64) {
    use std::io::{Seek, SeekFrom, Write};
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .expect("open");
    f.seek(SeekFrom::Start((n - 1) * 4096)).expect("seek");
    f.write_all(&[0x5a; 4096]).expect("write");
}

#[test]
fn restore_puts_a_backup_back_over_a_damaged_or_deleted_file() {
    let sb = Sandbox::new();
    sb.write_me();
    sb.add_dana(MON, "cold-7");
    sb.cmd(MON).args(["log", "1", "sent"]).assert().success();
    let copy = sb.dir.path().join("friday.db");
    sb.cmd(MON)
        .args(["backup", "--to"])
        .arg(&copy)
        .assert()
        .success();
    let before = dump_file(&sb.db());
    // A later change, then the file is damaged.
    add(&sb, "2026-11-23T12:00", "Ana");
    damage(&sb.db());
    let broken = sb.cmd(MON).arg("due").assert().failure();
    let said = String::from_utf8_lossy(&broken.get_output().stderr).into_owned();
    assert!(said.contains("touchbase restore"), "{said}");
    let out = sb
        .cmd("2026-11-23T13:00")
        .arg("restore")
        .arg(&copy)
        .assert()
        .success();
    let said = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(said.contains("1 prospects"), "{said}");
    assert!(said.contains("kept as"), "{said}");
    assert_eq!(dump_file(&sb.db()), before, "same logical content");
    assert!(
        names(&backups(&sb))
            .iter()
            .any(|n| n.starts_with("touchbase-before-restore-2026-11-23-130000")),
        "{:?}",
        names(&backups(&sb))
    );
    sb.cmd(MON).arg("due").assert().success();
    // Deleted outright: restore makes the file again.
    for side in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{side}", sb.db().display()));
    }
    sb.cmd(MON).arg("restore").arg(&copy).assert().success();
    assert_eq!(dump_file(&sb.db()), before);
    assert_eq!(mode(&sb.db()), 0o600);
}

#[test]
fn restore_refuses_a_newer_or_damaged_backup_and_changes_nothing() {
    let sb = Sandbox::new();
    add(&sb, MON, "Ana");
    let good = sb.dir.path().join("good.db");
    sb.cmd(MON)
        .args(["backup", "--to"])
        .arg(&good)
        .assert()
        .success();
    let newer = sb.dir.path().join("newer.db");
    std::fs::copy(&good, &newer).expect("copy");
    rusqlite::Connection::open(&newer)
        .and_then(|c| c.pragma_update(None, "user_version", touchbase::schema::LATEST + 1))
        .expect("make it newer");
    let damaged = sb.dir.path().join("damaged.db");
    std::fs::copy(&good, &damaged).expect("copy");
    damage(&damaged);
    let text = sb.dir.path().join("notes.db");
    std::fs::write(&text, "not a database at all, just notes\n".repeat(200)).expect("write");
    let before = dump_file(&sb.db());
    let snapshots = names(&backups(&sb));
    for (file, says) in [
        (&newer, "newer touchbase"),
        (&damaged, "damaged"),
        (&text, "not a database"),
    ] {
        let out = sb.cmd(MON).arg("restore").arg(file).assert().failure();
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(err.starts_with("error: ") && err.contains(says), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert_eq!(dump_file(&sb.db()), before);
        assert_eq!(
            names(&backups(&sb)),
            snapshots,
            "no snapshot taken for nothing"
        );
    }
}

/// A Sandbox whose data folder is on `disk`.
fn on(disk: &crate::util::SmallDisk) -> Sandbox {
    let sb = Sandbox::new();
    let data = disk.dir.path().join("data");
    std::fs::create_dir_all(&data).expect("data dir");
    std::os::unix::fs::symlink(&data, sb.dir.path().join("data")).expect("link data");
    sb
}

#[test]
fn a_restore_on_a_full_disk_keeps_the_book_and_says_the_disk_is_full() {
    let disk = crate::util::SmallDisk::new("3m");
    let sb = on(&disk);
    for name in ["Ana", "Bo", "Cy"] {
        add(&sb, MON, name);
    }
    let copy = backups(&sb).join("monday.db");
    sb.cmd(MON)
        .args(["backup", "--to"])
        .arg(&copy)
        .assert()
        .success();
    add(&sb, MON, "Di");
    let before = dump_file(&sb.db());
    disk.fill();
    let out = sb.cmd(MON).arg("restore").arg(&copy).assert().failure();
    let said = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(said.contains("the disk is full"), "{said}");
    assert!(said.contains("nothing was changed"), "{said}");
    assert_eq!(said.lines().count(), 1, "{said}");
    disk.empty();
    assert_eq!(dump_file(&sb.db()), before, "the book is as it was");
    // With room again, the same restore goes through.
    sb.cmd(MON).arg("restore").arg(&copy).assert().success();
    let names_now = dump_file(&sb.db());
    assert_eq!(names_now.get("prospects").map(Vec::len), Some(3));
}

#[test]
fn a_damaged_book_is_never_snapshotted_over_the_good_ones() {
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.config_dir()).expect("config dir");
    std::fs::write(sb.config_dir().join("config.toml"), "backups_kept = 2\n").expect("config");
    add(&sb, "2026-11-23T09:00", "Ana");
    add(&sb, "2026-11-24T09:00", "Bo");
    let dir = backups(&sb);
    // A snapshot killed half way, long ago, left its partial file: the next one clears it.
    let stale = dir.join("touchbase-2026-11-24.db.4000000.partial");
    std::fs::write(&stale, b"half").expect("partial");
    add(&sb, "2026-11-25T09:00", "Cy");
    let good = ["touchbase-2026-11-24.db", "touchbase-2026-11-25.db"];
    assert_eq!(names(&dir), good);
    // One page damaged: the changes still go through, but no day's snapshot lands, and
    // each says so with the snapshot to put back.
    damage_page(&sb.db(), 11);
    for day in 26..=30 {
        let now = format!("2026-11-{day}T09:00");
        let first = format!("Di{day}");
        let out = sb
            .cmd(&now)
            .args(["add", "--first", &first])
            .assert()
            .success();
        let said = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(said.contains("the book is damaged"), "{said}");
        assert!(
            said.contains("your last good snapshot is") && said.contains("touchbase-2026-11-25.db"),
            "{said}"
        );
    }
    assert_eq!(names(&dir), good, "the good snapshots stay");
    let doctor = sb.cmd("2026-11-30T09:00").arg("doctor").assert().failure();
    let said = String::from_utf8_lossy(&doctor.get_output().stdout).into_owned();
    assert!(said.contains("touchbase-2026-11-25.db (checked)"), "{said}");
}

#[test]
fn every_write_on_a_full_disk_says_the_disk_is_full_and_changes_nothing() {
    let disk = crate::util::SmallDisk::new("3m");
    let sb = on(&disk);
    sb.add_dana(MON, "classic-4");
    let csv = sb.dir.path().join("in.csv");
    std::fs::write(&csv, "first_name,email\nAna,ana@x.example\n").expect("csv");
    let before = dump_file(&sb.db());
    disk.fill();
    let full_file = disk.dir.path().join("out.csv");
    let commands: Vec<Vec<String>> = vec![
        vec!["log".into(), "1".into(), "sent".into()],
        vec!["add".into(), "--first".into(), "Bo".into()],
        vec!["import".into(), csv.display().to_string()],
        vec!["undo".into()],
        vec![
            "backup".into(),
            "--to".into(),
            disk.dir.path().join("b.db").display().to_string(),
        ],
        vec![
            "export".into(),
            "prospects".into(),
            "--out".into(),
            full_file.display().to_string(),
        ],
        vec![
            "vacation".into(),
            "--from".into(),
            "2026-11-24".into(),
            "--to".into(),
            "2026-11-26".into(),
        ],
    ];
    for args in commands {
        let out = sb.cmd(MON).args(&args).assert().failure();
        let said = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(said.contains("the disk is full"), "{args:?}: {said}");
    }
    disk.empty();
    assert_eq!(dump_file(&sb.db()), before, "nothing changed");
    assert!(!full_file.exists(), "no half export");
}

#[test]
fn under_umask_000_everything_written_is_private_and_loose_modes_are_tightened_on_open() {
    let sb = Sandbox::new();
    let bin = assert_cmd::cargo::cargo_bin("touchbase");
    let run = |args: &str| {
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("umask 000; exec '{}' {args}", bin.display()))
            .env("TOUCHBASE_DB", sb.db())
            .env("TOUCHBASE_CONFIG_DIR", sb.config_dir())
            .env("TOUCHBASE_NOW", MON)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("run");
        assert!(status.success(), "{args}");
    };
    run("add --first Ana");
    run("sequences new mine");
    let config = sb.config_dir();
    for (path, want) in [
        (sb.db(), 0o600),
        (backups(&sb), 0o700),
        (backups(&sb).join("touchbase-2026-11-23.db"), 0o600),
        (config.join("sequences"), 0o700),
        (config.join("sequences/mine.toml"), 0o600),
        (config.join("templates/mine"), 0o700),
        (config.join("templates/mine/01-opener.md"), 0o600),
    ] {
        assert_eq!(mode(&path), want, "{}", path.display());
    }
    // Loosened by hand (a copy, an unpacked archive): the next open tightens them.
    use std::os::unix::fs::PermissionsExt;
    let loosen = |p: &Path, m: u32| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).expect("chmod")
    };
    loosen(&backups(&sb), 0o777);
    loosen(&backups(&sb).join("touchbase-2026-11-23.db"), 0o666);
    loosen(&sb.db(), 0o644);
    run("due");
    assert_eq!(mode(&backups(&sb)), 0o700);
    assert_eq!(mode(&backups(&sb).join("touchbase-2026-11-23.db")), 0o600);
    assert_eq!(mode(&sb.db()), 0o600);
}
